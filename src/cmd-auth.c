/*
 * cmd-auth.c: logging in: login, login_cram_md5, authenticate, proxyauth,
 * and the rules every one of them follows.
 *
 * authenticate without a mechanism, and login when the server says
 * LOGINDISABLED over TLS but offers SASL, take the best mechanism the
 * server offers (cmd-mech.c: SCRAM-*-PLUS over TLS first).
 *
 * Secrets come from the command line's sources (secret.c) when the line
 * leaves them out.  No credential crosses a network connection in
 * cleartext unless the user said --allow-cleartext (this machine and a
 * child process are exempt), and LOGINDISABLED is honoured.  Every
 * secret is redacted in the trace (the core's arg->secret and the
 * continuation callback's *secret), zeroed after use, and never echoed in
 * an error.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd-list.h"
#include "cmd-mech.h"
#include "imap-quote.h"
#include "py-repr.h"
#include "sasl.h"
#include "secret.h"
#include "term.h"
#include "trace.h"

struct auth_ctx {
	struct sasl	*sasl;
	int		 started;	/* the first message was sent */
	int		 cancelled;	/* "*" lines sent */
	char		*cause;		/* why we cancelled */
};

/*
 * "*" lines sent at most: a server that asks again after a cancel gets a
 * few more before imapsh gives up on it.  imaplib would answer forever.
 */
#define AUTH_MAX_CANCELS	3

static int	auth_cont(void *, const char *, struct buf *, int *);
static enum cmd_status auth_run(struct session *, const char *mech,
		    const char *user, const char *secret);
static struct sasl *auth_sasl_new(struct session *, const char *,
		    const char *, const char *, char **);
static int	 auth_initial(struct session *, struct auth_ctx *,
		    struct cmd_wire *, char **);
static enum cmd_status auth_refused(struct session *, struct auth_ctx *,
		    char *, struct pyval *);
static enum cmd_status auth_verified(struct session *, struct auth_ctx *,
		    char *, struct pyval *);
static char	*auth_user(struct session *, const struct word *);
static enum cmd_status auth_password(struct session *, const char *,
		    const struct word *, const struct word *);
static int	 auth_state_check(struct session *, const char *);

char *
cmd_secret(struct session *s, const char *user, int token)
{
	char	*secret = NULL, *cause = NULL, *prompt, *env;
	int	 cancelled;

	if (token) {
		if (s->token != NULL)
			return (xstrdup(s->token));
		if (s->token_file != NULL)
			secret = secret_from_file(s->token_file, &cause);
		else if (s->token_command != NULL)
			secret = secret_from_command(s->token_command,
			    &cause);
		if (cause != NULL) {
			cmd_error(s, "%s", cause);
			free(cause);
			return (NULL);
		}
		if (secret != NULL)
			return (secret);
	} else {
		if (s->password_file != NULL) {
			if ((secret = secret_from_file(s->password_file,
			    &cause)) == NULL) {
				cmd_error(s, "%s", cause);
				free(cause);
			}
			return (secret);
		}
		if (s->password_command != NULL) {
			if ((secret = secret_from_command(s->password_command,
			    &cause)) == NULL) {
				cmd_error(s, "%s", cause);
				free(cause);
			}
			return (secret);
		}
		if ((env = getenv("IMAPSH_PASSWORD")) != NULL)
			return (xstrdup(env));
		if (s->use_netrc) {
			secret = secret_from_netrc(s->host, user, NULL,
			    &cause);
			if (cause != NULL) {
				cmd_error(s, "netrc: %s", cause);
				free(cause);
			}
			if (secret != NULL)
				return (secret);
		}
	}
	xasprintf(&prompt, "%s for %s@%s: ", token ? "Token" : "Password",
	    user, s->host != NULL ? s->host : "localhost");
	out_flush(s->out);
	secret = secret_prompt(prompt, &cancelled);
	free(prompt);
	if (secret == NULL && cancelled) {
		out_puts(s->err, "cancelled\n");
		out_flush(s->err);
	} else if (secret == NULL)
		cmd_error(s, "no %s for %s: give it as an argument, with %s, "
		    "or run imapsh at a terminal", token ? "token" : "password",
		    user, token ? "--token-file or --token-command" :
		    "--password-file, IMAPSH_PASSWORD or --netrc");
	return (secret);
}

int
cmd_cleartext_check(struct session *s, const char *what)
{
	struct transport	*tr = imap_transport(s->im);

	if (imap_tls(s->im) || tr == NULL || tr->loopback ||
	    tr->child || s->allow_cleartext)
		return (0);
	cmd_error(s, "refusing to send %s in cleartext to %s: run starttls "
	    "first, connect with --starttls or imaps://, or allow it with "
	    "--allow-cleartext", what, tr->peer);
	return (-1);
}

/*
 * The state first, as imaplib checks it, before asking for a password
 * the command could not use.  0, or -1 with the error printed.
 */
static int
auth_state_check(struct session *s, const char *name)
{
	char	*why;

	if (imap_commands_allowed(name, imap_state(s->im)) != 0)
		return (0);
	why = imap_commands_illegal(name, imap_state(s->im));
	cmd_error(s, "%s", why);
	free(why);
	return (-1);
}

/* The user: the argument, else user@host, else the netrc login. */
static char *
auth_user(struct session *s, const struct word *w)
{
	char	*login = NULL, *cause = NULL, *pass;

	if (!arg_is_none(w))
		return (xstrdup(arg_str(w)));
	if (s->user != NULL)
		return (xstrdup(s->user));
	if (s->use_netrc) {
		pass = secret_from_netrc(s->host, NULL, &login, &cause);
		freezero_str(pass);
		if (cause != NULL) {
			cmd_error(s, "netrc: %s", cause);
			free(cause);
			return (NULL);
		}
		if (login != NULL)
			return (login);
	}
	cmd_error(s, "no user: give one as an argument or connect as "
	    "USER@HOST");
	return (NULL);
}

/* login(user, password): the password is always quoted. */
enum cmd_status
cmd_login(struct session *s, struct cmd_args *ca)
{
	struct cmd_wire	 cw;
	struct pyval	*data;
	enum imap_exc	 e;
	char		*user, *pass, *typ, *msg = NULL, *cause = NULL;
	enum cmd_status	 st;

	/* The state first: no point asking for a password LOGIN can't use. */
	if (auth_state_check(s, "LOGIN") == -1)
		return (CMD_FAILED);
	/* Over TLS, LOGINDISABLED means the server wants SASL. */
	if (imap_tls(s->im) && imap_has_cap(s->im, "LOGINDISABLED") &&
	    cmd_mech_offered(s))
		return (auth_password(s, cmd_mech_pick(s, &cause), ca->p[0],
		    ca->p[1]));
	if (imap_has_cap(s->im, "LOGINDISABLED"))
		return (cmd_error(s, "the server says LOGINDISABLED: it takes "
		    "no password before TLS; run starttls first"));
	if (cmd_cleartext_check(s, "a password") == -1)
		return (CMD_FAILED);
	if ((user = auth_user(s, ca->p[0])) == NULL)
		return (CMD_FAILED);
	if (!arg_is_none(ca->p[1]))
		pass = xstrdup(arg_str(ca->p[1]));
	else if ((pass = cmd_secret(s, user, 0)) == NULL) {
		free(user);
		return (CMD_FAILED);
	}
	wire_init(&cw);
	if ((arg_is_none(ca->p[0]) ?
	    wire_value(&cw, s, user, strlen(user), 0, 0, &cause) :
	    wire_word(&cw, s, ca->p[0], 0, &cause)) == -1 ||
	    wire_value(&cw, s, pass, strlen(pass), IMAPQ_FORCE, 1,
	    &cause) == -1) {
		freezero_str(pass);
		free(user);
		wire_free(&cw);
		st = cmd_error(s, "login: %s", cause);
		free(cause);
		return (st);
	}
	freezero_str(pass);
	e = imap_simple_command(s->im, "LOGIN", cw.a, cw.n, &typ, &data,
	    &msg);
	wire_free(&cw);
	if (e != IMAP_OK) {
		free(user);
		return (cmd_exc(s, e, msg));
	}
	if (strcmp(typ, "OK") != 0) {
		struct buf	b;

		/* imaplib: raise self.error(dat[-1]) */
		buf_init(&b, 0);
		if (data->n > 0)
			py_repr(&b, data->items[data->n - 1]);
		free(typ);
		free(user);
		pv_free(data);
		return (cmd_exc(s, IMAP_ERROR, buf_steal(&b, NULL)));
	}
	free(s->user);
	s->user = user;
	st = cmd_result(s, typ, data);
	free(typ);
	return (st);
}

/*
 * Answer one server challenge of an AUTHENTICATE exchange.  A challenge
 * that is not base64, or that the mechanism rejects, is answered with
 * "*", which cancels the exchange (RFC 3501 6.2.2).  Every mechanism has
 * a fixed number of steps and cancels past them, so counting the "*"
 * lines bounds every exchange: past AUTH_MAX_CANCELS, give up (-1).
 */
static int
auth_cont(void *arg, const char *cont, struct buf *resp, int *secret)
{
	struct auth_ctx	*ac = arg;
	struct buf	 chal, raw;
	enum sasl_rc	 rc;
	char		*cause = NULL;

	*secret = 1;
	buf_init(&chal, 0);
	buf_init(&raw, 0);
	if (ac->cancelled) {
		*secret = 0;
		if (ac->cancelled++ >= AUTH_MAX_CANCELS) {
			buf_printf(resp, "AUTHENTICATE: the server went on "
			    "asking after %d cancels (imapsh cancelled: %s); "
			    "connection closed", AUTH_MAX_CANCELS,
			    ac->cause != NULL ? ac->cause : "by the user");
			return (-1);
		}
		buf_addstr(resp, "*");
		return (0);
	}
	if (!ac->started && sasl_client_first(ac->sasl))
		rc = sasl_step(ac->sasl, NULL, 0, &raw, &cause);
	else if (sasl_b64_decode(cont == NULL ? "" : cont,
	    cont == NULL ? 0 : strlen(cont), &chal, &cause) == -1) {
		free(cause);
		cause = xstrdup("the server's challenge is not base64");
		rc = SASL_ERR;
	} else
		rc = sasl_step(ac->sasl, chal.data == NULL ? "" : chal.data,
		    chal.len, &raw, &cause);
	ac->started = 1;
	if (rc == SASL_ERR) {
		ac->cancelled = 1;
		free(ac->cause);
		ac->cause = cause;
		buf_addstr(resp, "*");
		*secret = 0;
	} else
		sasl_b64_encode(raw.data == NULL ? "" : raw.data, raw.len,
		    resp);
	buf_wipe(&chal);
	buf_wipe(&raw);
	return (0);
}

/* One AUTHENTICATE exchange; secret may be NULL for EXTERNAL. */
static enum cmd_status
auth_run(struct session *s, const char *mech, const char *user,
    const char *secret)
{
	struct auth_ctx		 ac;
	struct cmd_wire		 cw;
	struct pyval		*data;
	enum imap_exc		 e;
	enum cmd_status		 st;
	char			*typ, *msg = NULL, *cause = NULL, *name;
	size_t			 i;

	memset(&ac, 0, sizeof ac);
	if ((ac.sasl = auth_sasl_new(s, mech, user, secret,
	    &cause)) == NULL) {
		st = cmd_error(s, "authenticate: %s", cause);
		free(cause);
		return (st);
	}
	name = xstrdup(sasl_name(ac.sasl));
	for (i = 0; name[i] != '\0'; i++)
		name[i] = (char)toupper((unsigned char)name[i]);
	wire_init(&cw);
	wire_text(&cw, name);
	if (auth_initial(s, &ac, &cw, &cause) == -1) {
		wire_free(&cw);
		sasl_free(ac.sasl);
		free(name);
		st = cmd_error(s, "authenticate: %s", cause);
		free(cause);
		return (st);
	}
	e = imap_command_cont(s->im, "AUTHENTICATE", cw.a, cw.n, auth_cont,
	    &ac, &typ, &data, &msg);
	wire_free(&cw);
	free(name);
	if (e != IMAP_OK) {
		/* Say why imapsh cancelled, if it did (a BAD to "*"). */
		if (e == IMAP_ERROR && ac.cause != NULL) {
			char	*m = msg;

			xasprintf(&msg, "%s (imapsh cancelled: %s)", m,
			    ac.cause);
			free(m);
		}
		sasl_free(ac.sasl);
		free(ac.cause);
		return (cmd_exc(s, e, msg));
	}
	if (strcmp(typ, "OK") != 0)
		return (auth_refused(s, &ac, typ, data));
	return (auth_verified(s, &ac, typ, data));
}

/*
 * The SASL state for mechanism mech, bound to the connection for the
 * channel-binding mechanisms; NULL with *cause set if it cannot be made.
 */
static struct sasl *
auth_sasl_new(struct session *s, const char *mech, const char *user,
    const char *secret, char **cause)
{
	struct sasl_params	 sp;
	struct sasl		*sasl;

	memset(&sp, 0, sizeof sp);
	sp.user = user;
	sp.secret = secret;
	sp.host = s->host;
	sp.port = s->port;
	/* GSSAPI: the identity comes from the ticket; user is an authzid. */
	if (strcasecmp(mech, "GSSAPI") == 0) {
		if (s->service_host != NULL)
			sp.host = s->service_host;
		if (*user != '\0')
			sp.authzid = user;
	}
	if ((sasl = sasl_new(mech, &sp, cause)) == NULL ||
	    cmd_mech_bind(s, sasl, cause) == -1) {
		sasl_free(sasl);
		return (NULL);
	}
	return (sasl);
}

/*
 * SASL-IR (RFC 4959): the first message goes with the command, added to
 * cw, when the mechanism speaks first and the server and options allow.
 */
static int
auth_initial(struct session *s, struct auth_ctx *ac, struct cmd_wire *cw,
    char **cause)
{
	struct buf	ir, raw;

	if (!sasl_client_first(ac->sasl) || !imap_has_cap(s->im, "SASL-IR") ||
	    s->no_sasl_ir)
		return (0);
	buf_init(&raw, 0);
	if (sasl_step(ac->sasl, NULL, 0, &raw, cause) == SASL_ERR) {
		buf_wipe(&raw);
		return (-1);
	}
	buf_init(&ir, 0);
	if (raw.len == 0)
		buf_addstr(&ir, "=");
	else
		sasl_b64_encode(raw.data, raw.len, &ir);
	buf_wipe(&raw);
	wire_value(cw, s, ir.data, ir.len, 0, 1, cause);
	buf_wipe(&ir);
	ac->started = 1;
	return (0);
}

/*
 * The server refused (NO or BAD): its text, why imapsh cancelled if it
 * did, and the SCRAM server error if there was one.  Frees typ, data and
 * the exchange.
 */
static enum cmd_status
auth_refused(struct session *s, struct auth_ctx *ac, char *typ,
    struct pyval *data)
{
	struct buf	 b;
	const char	*serr = sasl_server_error(ac->sasl);

	/* imaplib: raise self.error(dat[-1].decode()) */
	buf_init(&b, 0);
	if (data->n > 0 && data->items[data->n - 1]->type == PV_BYTES)
		term_line(&b, data->items[data->n - 1]->s,
		    data->items[data->n - 1]->len);
	if (ac->cause != NULL)
		buf_printf(&b, " (imapsh cancelled: %s)", ac->cause);
	if (serr != NULL) {
		buf_addstr(&b, " (server said: ");
		term_line(&b, serr, strlen(serr));
		buf_addc(&b, ')');
	}
	free(typ);
	pv_free(data);
	sasl_free(ac->sasl);
	free(ac->cause);
	return (cmd_exc(s, IMAP_ERROR, buf_steal(&b, NULL)));
}

/*
 * The server said OK: check its proof where the mechanism has one, and
 * only then count the session as authenticated.  Frees typ, data and the
 * exchange.
 */
static enum cmd_status
auth_verified(struct session *s, struct auth_ctx *ac, char *typ,
    struct pyval *data)
{
	enum cmd_status	 st;
	char		*msg = NULL, *cause = NULL;

	if (sasl_finish(ac->sasl, &cause) == -1) {
		/* The server said OK without proving it knows the password:
		 * not the server we think it is. */
		free(typ);
		pv_free(data);
		sasl_free(ac->sasl);
		imap_shutdown(s->im);
		xasprintf(&msg, "authentication not verified: %s; connection "
		    "closed", ac->cause != NULL ? ac->cause : cause);
		free(cause);
		free(ac->cause);
		return (cmd_exc(s, IMAP_ABORT, msg));
	}
	sasl_free(ac->sasl);
	free(ac->cause);
	st = cmd_result(s, typ, data);
	free(typ);
	return (st);
}

/* authenticate(mechanism, user, secret); no mechanism: the best offered */
enum cmd_status
cmd_authenticate(struct session *s, struct cmd_args *ca)
{
	const char	*mech;
	char		*user, *secret = NULL, *cause = NULL;
	enum cmd_status	 st;
	int		 token;

	if (auth_state_check(s, "AUTHENTICATE") == -1)
		return (CMD_FAILED);
	if (!arg_is_none(ca->p[0]))
		mech = arg_str(ca->p[0]);
	else if ((mech = cmd_mech_pick(s, &cause)) == NULL) {
		st = cmd_error(s, "authenticate: %s", cause);
		free(cause);
		return (st);
	}
	/* GSSAPI sends no password, but without a security layer only TLS
	 * keeps the session it opens from being taken over. */
	if ((sasl_needs_secret(mech) || strcasecmp(mech, "GSSAPI") == 0) &&
	    cmd_cleartext_check(s, "credentials") == -1)
		return (CMD_FAILED);
	if (!sasl_needs_user(mech) && strcasecmp(mech, "OAUTHBEARER") != 0 &&
	    arg_is_none(ca->p[1]))
		user = xstrdup("");
	else if ((user = auth_user(s, ca->p[1])) == NULL)
		return (CMD_FAILED);
	token = strcasecmp(mech, "XOAUTH2") == 0 ||
	    strcasecmp(mech, "OAUTHBEARER") == 0;
	if (!arg_is_none(ca->p[2]))
		secret = xstrdup(arg_str(ca->p[2]));
	else if (sasl_needs_secret(mech) &&
	    (secret = cmd_secret(s, user, token)) == NULL) {
		free(user);
		return (CMD_FAILED);
	}
	st = auth_run(s, mech, user, secret);
	if (st == CMD_OK && *user != '\0' &&
	    strcasecmp(mech, "ANONYMOUS") != 0) {
		free(s->user);
		s->user = user;
	} else
		free(user);
	freezero_str(secret);
	return (st);
}

/* login_cram_md5(user, password), as imaplib: AUTHENTICATE CRAM-MD5. */
enum cmd_status
cmd_login_cram_md5(struct session *s, struct cmd_args *ca)
{
	return (auth_password(s, "CRAM-MD5", ca->p[0], ca->p[1]));
}

/* AUTHENTICATE mech with a user and a password (asked for when left out). */
static enum cmd_status
auth_password(struct session *s, const char *mech, const struct word *uw,
    const struct word *pw)
{
	char		*user, *secret;
	enum cmd_status	 st;

	if (auth_state_check(s, "AUTHENTICATE") == -1)
		return (CMD_FAILED);
	if (cmd_cleartext_check(s, "credentials") == -1)
		return (CMD_FAILED);
	if ((user = auth_user(s, uw)) == NULL)
		return (CMD_FAILED);
	if (!arg_is_none(pw))
		secret = xstrdup(arg_str(pw));
	else if ((secret = cmd_secret(s, user, 0)) == NULL) {
		free(user);
		return (CMD_FAILED);
	}
	st = auth_run(s, mech, user, secret);
	if (st == CMD_OK) {
		free(s->user);
		s->user = user;
	} else
		free(user);
	freezero_str(secret);
	return (st);
}

/* proxyauth(user) */
enum cmd_status
cmd_proxyauth(struct session *s, struct cmd_args *ca)
{
	struct cmd_wire	 cw;
	char		*cause = NULL;
	enum cmd_status	 st;

	wire_init(&cw);
	if (wire_word(&cw, s, ca->p[0], 0, &cause) == -1) {
		st = cmd_error(s, "proxyauth: %s", cause);
		free(cause);
		return (st);
	}
	return (cmd_simple(s, "PROXYAUTH", &cw, NULL));
}
