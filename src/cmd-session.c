/*
 * cmd-session.c: connecting and the session-wide commands: connect,
 * reconnect, login, logout, capability, noop, namespace, xatom.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd-list.h"
#include "config.h"
#include "imap-quote.h"
#include "py-repr.h"
#include "redact.h"
#include "term.h"
#include "target.h"
#include "trace.h"

static void	 cmd_dump_ur(struct session *);
static enum cmd_status cmd_session_open(struct session *, const char *,
		    const char *);

/*
 * Connect as the options say: a child process or TCP, TLS from the start
 * (imaps), or STARTTLS required before anything else.  When TLS was asked
 * for, a PREAUTH greeting over the network, a missing STARTTLS, or a
 * STARTTLS the server refuses ends the session before any credential is
 * sent.  When that leaves no session, later commands say "not connected".
 */
enum cmd_status
cmd_session_connect(struct session *s, const char *host, const char *port)
{
	enum cmd_status	st;

	st = cmd_session_open(s, host, port);
	s->no_session = !imap_connected(s->im);
	return (st);
}

static enum cmd_status
cmd_session_open(struct session *s, const char *host, const char *port)
{
	struct transport	*tr;
	const struct pyval	*welcome;
	struct pyval		*data;
	enum imap_exc		 e;
	char			*cause = NULL, *msg = NULL, *typ;
	long long		 start = tr_now_ms();

	/* Reach the new server first: a failure keeps the session we had.
	 * Connecting, the TLS handshake and the greeting share one deadline,
	 * -t from now, so a server cannot trickle its greeting forever. */
	if (s->stream_cmd != NULL)
		tr = tr_cmd_start(s->stream_cmd, &cause);
	else
		tr = tr_tcp_connect(host, port, s->family, s->timeout_ms,
		    &cause);
	if (tr == NULL) {
		cmd_error(s, "cannot connect to %s", cause);
		free(cause);
		return (CMD_ABORT);
	}
	if (imap_connected(s->im))
		imap_shutdown(s->im);
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
	if (trace_level >= 1)
		trace_msg("connected to %s", tr->peer);
	if (s->tls_mode == CONN_IMPLICIT) {
		s->tls.servername = s->host;
		if ((tr = tr_tls_wrap(tr, &s->tls, tr_left(start,
		    s->timeout_ms), &cause)) == NULL)
			return (cmd_exc(s, IMAP_ABORT, cause));
		if (trace_level >= 1)
			trace_msg("TLS established with %s", s->host);
	}
	tr_set_deadline(tr, start, s->timeout_ms);
	e = imap_open(s->im, tr, s->host, s->port, &msg);
	if (e != IMAP_OK)
		return (cmd_exc(s, e, msg));
	tr_set_deadline(tr, 0, 0);
	if (s->interactive && (welcome = imap_welcome(s->im)) != NULL) {
		struct buf	b;

		buf_init(&b, 0);
		term_line(&b, welcome->s, welcome->len);
		out_printf(s->err, "%s\n", b.data);
		buf_free(&b);
		out_flush(s->err);
	}
	if (s->tls_mode != CONN_STARTTLS)
		return (CMD_OK);
	if (imap_state(s->im) == IMAP_AUTH && !tr->child) {
		imap_shutdown(s->im);
		return (cmd_exc(s, IMAP_ABORT, xstrdup("the server greeted "
		    "with PREAUTH, so STARTTLS is impossible and the session "
		    "would be unencrypted; connection closed")));
	}
	if (imap_state(s->im) == IMAP_AUTH)
		return (CMD_OK);	/* PREAUTH over a child process */
	if (!imap_has_cap(s->im, "STARTTLS")) {
		imap_shutdown(s->im);
		return (cmd_exc(s, IMAP_ABORT, xstrdup("STARTTLS was required "
		    "but the server does not offer it; connection closed")));
	}
	s->tls.servername = s->host;
	e = imap_starttls(s->im, &s->tls, &typ, &data, &msg);
	if (e != IMAP_OK) {
		imap_shutdown(s->im);
		if (e == IMAP_ERROR) {
			free(msg);
			msg = xstrdup("the server refused STARTTLS, which was "
			    "required; connection closed");
		}
		return (cmd_exc(s, IMAP_ABORT, msg));
	}
	free(typ);
	pv_free(data);
	if (trace_level >= 1)
		trace_msg("TLS established with %s", s->host);
	return (CMD_OK);
}

/* starttls(): what the server answered, imaplib's way. */
enum cmd_status
cmd_starttls(struct session *s, struct cmd_args *ca)
{
	struct pyval	*data;
	enum imap_exc	 e;
	char		*typ, *msg = NULL;
	enum cmd_status	 st;

	s->tls.servername = s->host;
	e = imap_starttls(s->im, &s->tls, &typ, &data, &msg);
	if (e != IMAP_OK)
		return (cmd_exc(s, e, msg));
	st = cmd_result(s, typ, data);
	free(typ);
	return (st);
}

/* tls: the protocol, cipher suite and peer chain of this connection. */
enum cmd_status
cmd_tls(struct session *s, struct cmd_args *ca)
{
	struct transport	*tr = imap_transport(s->im);
	char			*text;

	if (tr == NULL)
		return (cmd_not_connected(s));
	if (tr_tls_describe(tr, &text) == -1) {
		out_printf(s->out, "not encrypted: %s%s\n", tr->peer,
		    imap_has_cap(s->im, "STARTTLS") ?
		    " (the server offers STARTTLS)" : "");
		return (CMD_OK);
	}
	/* The certificate's names come escaped, each on its one line. */
	out_puts(s->out, text);
	free(text);
	return (CMD_OK);
}

enum cmd_status
cmd_not_connected(struct session *s)
{
	return (cmd_exc(s, IMAP_ABORT, xstrdup("not connected: use 'connect "
	    "HOST [PORT]' or 'reconnect'")));
}

/*
 * connect [target [port]]: the targets of the command line (target.c),
 * or an account of the configuration file, which is applied (and logs in
 * when it says login) as "imapsh ACCOUNT" would.
 */
enum cmd_status
cmd_connect(struct session *s, struct cmd_args *ca)
{
	const struct config_account	*a = NULL;
	struct target			 t;
	const char			*arg, *port = NULL;
	char				*cause;
	enum cmd_status			 st;

	if (!arg_is_none(ca->p[1]))
		port = arg_str(ca->p[1]);
	if (arg_is_none(ca->p[0])) {
		if (port == NULL)
			port = s->port;
		return (cmd_session_connect(s, s->host, port));
	}
	arg = arg_str(ca->p[0]);
	if (target_is_word(arg) && (a = config_use_account(s, arg)) != NULL) {
		memset(&t, 0, sizeof t);
		t.host = xstrdup(a->host != NULL ? a->host : "localhost");
		if (port != NULL || a->port != NULL)
			t.port = xstrdup(port != NULL ? port : a->port);
	} else if (target_parse(arg, port, &t, &cause) == -1) {
		cmd_error(s, "connect: %s", cause);
		free(cause);
		return (CMD_USAGE);
	}
	if (t.tls_mode != -1)
		s->tls_mode = t.tls_mode;
	if (t.user != NULL) {
		free(s->user);
		s->user = t.user;
		t.user = NULL;
	}
	if (t.port == NULL)
		t.port = xstrdup(s->tls_mode == CONN_IMPLICIT ? "993" : "143");
	st = cmd_session_connect(s, t.host, t.port);
	target_free(&t);
	if (st == CMD_OK && a != NULL && a->login)
		st = cmd_run_line(s, "login");
	return (st);
}

enum cmd_status
cmd_reconnect(struct session *s, struct cmd_args *ca)
{
	return (cmd_session_connect(s, s->host, s->port));
}

enum cmd_status
cmd_logout(struct session *s, struct cmd_args *ca)
{
	struct pyval	*data;
	enum imap_exc	 e;
	char		*typ, *msg = NULL;
	enum cmd_status	 st;

	e = imap_simple_command(s->im, "LOGOUT", NULL, 0, &typ, &data, &msg);
	imap_shutdown(s->im);
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

	struct imap_untagged *ut = imap_ur(s->im);
	const struct pyval *list;
	const char	*name;

	if (imap_untagged_count(ut) == 0)
		return;
	buf_init(&b, 0);
	buf_addstr(&b, "untagged responses dump:");
	for (i = 0; i < imap_untagged_count(ut); i++) {
		name = imap_untagged_at(ut, i, &list);
		if (i > 0)
			buf_addstr(&b, "\n\t\t");
		buf_printf(&b, "%s: ", name);
		py_repr(&b, list);
	}
	trace_msg("%s", b.data);
	buf_free(&b);
}

/* noop(): at trace level 3 the untagged responses are dumped first. */
enum cmd_status
cmd_noop(struct session *s, struct cmd_args *ca)
{
	if (trace_level >= 3)
		cmd_dump_ur(s);
	return (cmd_build_exec(s, ca));
}

int
cmd_noop_build(struct session *s, struct cmd_args *ca, struct cmd_built *cb,
    char **cause)
{
	return (cmd_build_params(cb, s, ca, "NOOP", 0, NULL, cause));
}

int
cmd_namespace_build(struct session *s, struct cmd_args *ca,
    struct cmd_built *cb, char **cause)
{
	return (cmd_build_params(cb, s, ca, "NAMESPACE", 0, "NAMESPACE",
	    cause));
}

/* xatom(name, *args): any command, valid in the current state. */
enum cmd_status
cmd_xatom(struct session *s, struct cmd_args *ca)
{
	struct cmd_wire	 cw;
	char		*name, *cause = NULL;
	size_t		 i, n;
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
	imap_commands_allow(name, imap_state(s->im));
	wire_init(&cw);
	for (i = 0; i < ca->nrest; i++) {
		n = cw.n;
		if (wire_word(&cw, s, ca->rest[i], 0, &cause) == -1) {
			wire_free(&cw);
			free(name);
			st = cmd_error(s, "xatom: %s", cause);
			free(cause);
			return (st);
		}
		/* xatom LOGIN user password: redacted as login's */
		for (; n < cw.n; n++)
			cw.a[n].secret = redact_imap_arg(name, strlen(name), i);
	}
	st = cmd_simple(s, name, &cw, NULL);
	free(name);
	return (st);
}
