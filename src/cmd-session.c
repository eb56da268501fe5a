/*
 * cmd-session.c: connecting and the session-wide commands: connect,
 * reconnect, login, logout, capability, noop, namespace, xatom.
 */
#include <ctype.h>
#include <readpassphrase.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd-list.h"
#include "imap-print.h"
#include "imap-quote.h"
#include "trace.h"

static char	*cmd_session_password(struct session *, const char *);
static void	 cmd_dump_ur(struct session *);

enum cmd_status
cmd_session_connect(struct session *s, const char *host, const char *port)
{
	struct transport	*tr;
	enum imap_exc		 e;
	char			*cause = NULL, *msg = NULL;

	if (imap_connected(&s->im))
		imap_shutdown(&s->im);
	free(s->mailbox);
	s->mailbox = NULL;
	if (host != s->host) {
		free(s->host);
		s->host = xstrdup(host);
	}
	if (port != s->port) {
		free(s->port);
		s->port = xstrdup(port);
	}
	tr = tr_tcp_connect(s->host, s->port, s->family, s->timeout_ms,
	    &cause);
	if (tr == NULL) {
		cmd_error(s, "cannot connect to %s", cause);
		free(cause);
		return (CMD_ABORT);
	}
	if (trace_level >= 1)
		trace_msg("connected to %s", tr->peer);
	e = imap_open(&s->im, tr, s->host, s->port, &msg);
	if (e != IMAP_OK)
		return (cmd_exc(s, e, msg));
	if (s->interactive && s->im.welcome != NULL) {
		struct buf	b;

		buf_init(&b, 0);
		term_escape(&b, s->im.welcome->s, s->im.welcome->len);
		out_printf(s->err, "%s\n", b.data);
		buf_free(&b);
		out_flush(s->err);
	}
	return (CMD_OK);
}

enum cmd_status
cmd_connect(struct session *s, struct cmd_args *ca)
{
	const char	*host = s->host, *port = s->port;

	if (!arg_is_none(ca->p[0]))
		host = arg_str(ca->p[0]);
	if (!arg_is_none(ca->p[1]))
		port = arg_str(ca->p[1]);
	else if (!arg_is_none(ca->p[0]))
		port = "143";
	return (cmd_session_connect(s, host, port));
}

enum cmd_status
cmd_reconnect(struct session *s, struct cmd_args *ca)
{
	return (cmd_session_connect(s, s->host, s->port));
}

/* The password: $IMAPSH_PASSWORD, else asked for on the terminal. */
static char *
cmd_session_password(struct session *s, const char *user)
{
	char	 prompt[256], pass[1024];
	char	*env;

	if ((env = getenv("IMAPSH_PASSWORD")) != NULL)
		return (xstrdup(env));
	snprintf(prompt, sizeof prompt, "Password for %s@%s: ", user,
	    s->host != NULL ? s->host : "localhost");
	out_flush(s->out);
	if (readpassphrase(prompt, pass, sizeof pass,
	    RPP_ECHO_OFF | RPP_REQUIRE_TTY) == NULL)
		return (NULL);
	env = xstrdup(pass);
	explicit_bzero(pass, sizeof pass);
	return (env);
}

/* login(user, password): the password is always quoted. */
enum cmd_status
cmd_login(struct session *s, struct cmd_args *ca)
{
	struct cmd_wire	 cw;
	struct pyval	*data;
	enum imap_exc	 e;
	const char	*user;
	char		*pass, *typ, *msg = NULL, *cause = NULL;
	enum cmd_status	 st;

	/* The state first: no point asking for a password LOGIN can't use. */
	if (imap_command_allowed(&s->im, "LOGIN") == 0)
		return (cmd_error(s, "command LOGIN illegal in state %s, only "
		    "allowed in states %s", imap_state_name(s->im.state),
		    imap_command_states("LOGIN")));
	user = arg_is_none(ca->p[0]) ? s->user : arg_str(ca->p[0]);
	if (user == NULL)
		return (cmd_error(s, "login: no user: give one (login USER "
		    "[PASSWORD]) or connect as USER@HOST"));
	if (!arg_is_none(ca->p[1]))
		pass = xstrdup(arg_str(ca->p[1]));
	else if ((pass = cmd_session_password(s, user)) == NULL)
		return (cmd_error(s, "login: no password: give it as the "
		    "second argument, in IMAPSH_PASSWORD, or at a terminal"));
	wire_init(&cw);
	if ((arg_is_none(ca->p[0]) ?
	    wire_value(&cw, s, user, strlen(user), 0, 0, &cause) :
	    wire_word(&cw, s, ca->p[0], 0, &cause)) == -1 ||
	    wire_value(&cw, s, pass, strlen(pass), IMAPQ_FORCE, 1,
	    &cause) == -1) {
		freezero_str(pass);
		wire_free(&cw);
		st = cmd_error(s, "login: %s", cause);
		free(cause);
		return (st);
	}
	freezero_str(pass);
	e = imap_simple_command(&s->im, "LOGIN", cw.a, cw.n, &typ, &data,
	    &msg);
	wire_free(&cw);
	if (e != IMAP_OK)
		return (cmd_exc(s, e, msg));
	if (strcmp(typ, "OK") != 0) {
		struct buf	b;

		/* imaplib: raise self.error(dat[-1]) */
		buf_init(&b, 0);
		if (data->n > 0)
			py_repr(&b, data->items[data->n - 1]);
		free(typ);
		pv_free(data);
		return (cmd_exc(s, IMAP_ERROR, buf_steal(&b, NULL)));
	}
	s->im.state = IMAP_AUTH;
	if (s->user == NULL || strcmp(s->user, user) != 0) {
		char *u = xstrdup(user);

		free(s->user);
		s->user = u;
	}
	st = cmd_result(s, typ, data);
	free(typ);
	return (st);
}

enum cmd_status
cmd_logout(struct session *s, struct cmd_args *ca)
{
	struct pyval	*data;
	enum imap_exc	 e;
	char		*typ, *msg = NULL;
	enum cmd_status	 st;

	s->im.state = IMAP_LOGOUT;
	e = imap_simple_command(&s->im, "LOGOUT", NULL, 0, &typ, &data, &msg);
	imap_shutdown(&s->im);
	if (e != IMAP_OK)
		return (cmd_exc(s, e, msg));
	st = cmd_result(s, typ, data);
	free(typ);
	return (st);
}

enum cmd_status
cmd_capability(struct session *s, struct cmd_args *ca)
{
	return (cmd_simple(s, "CAPABILITY", NULL, "CAPABILITY"));
}

/* imaplib's _dump_ur, shown by noop at debug level 3 and above. */
static void
cmd_dump_ur(struct session *s)
{
	struct buf	b;
	size_t		i;

	if (s->im.nur == 0)
		return;
	buf_init(&b, 0);
	buf_addstr(&b, "untagged responses dump:");
	for (i = 0; i < s->im.nur; i++) {
		if (i > 0)
			buf_addstr(&b, "\n\t\t");
		buf_printf(&b, "%s: ", s->im.ur[i].name);
		py_repr(&b, s->im.ur[i].list);
	}
	trace_msg("%s", b.data);
	buf_free(&b);
}

enum cmd_status
cmd_noop(struct session *s, struct cmd_args *ca)
{
	if (trace_level >= 3)
		cmd_dump_ur(s);
	return (cmd_simple(s, "NOOP", NULL, NULL));
}

enum cmd_status
cmd_namespace(struct session *s, struct cmd_args *ca)
{
	return (cmd_simple(s, "NAMESPACE", NULL, "NAMESPACE"));
}

/* xatom(name, *args): any command, valid in the current state. */
enum cmd_status
cmd_xatom(struct session *s, struct cmd_args *ca)
{
	struct cmd_wire	 cw;
	char		*name, *cause = NULL;
	size_t		 i;
	enum cmd_status	 st;

	name = xstrdup(arg_str(ca->p[0]));
	for (i = 0; name[i] != '\0'; i++) {
		if (!isalnum((unsigned char)name[i]) && name[i] != '-' &&
		    name[i] != '_' && name[i] != '.') {
			free(name);
			return (cmd_error(s, "xatom: '%s' is not a command "
			    "name", arg_str(ca->p[0])));
		}
		name[i] = (char)toupper((unsigned char)name[i]);
	}
	imap_command_allow(&s->im, name);
	wire_init(&cw);
	for (i = 0; i < ca->nrest; i++) {
		if (wire_word(&cw, s, ca->rest[i], 0, &cause) == -1) {
			wire_free(&cw);
			free(name);
			st = cmd_error(s, "xatom: %s", cause);
			free(cause);
			return (st);
		}
	}
	st = cmd_simple(s, name, &cw, NULL);
	free(name);
	return (st);
}
