/*
 * cmd-result.c: what a command ends with: its (typ, data) printed in the
 * session's format, an exception or an error said on stderr, a notice,
 * and the PARTIAL data of a connection that died in a literal.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "intr.h"
#include "json-line.h"
#include "py-print.h"

int
cmd_color(struct session *s, struct out *o)
{
	if (s->color_mode == COLOR_NEVER)
		return (0);
	if (s->color_mode == COLOR_ALWAYS)
		return (1);
	return (o->tty && getenv("NO_COLOR") == NULL &&
	    (getenv("TERM") == NULL || strcmp(getenv("TERM"), "dumb") != 0));
}

void
cmd_print(struct session *s, const char *typ, const struct pyval *data)
{
	struct pyval	*t;

	switch (s->format) {
	case FMT_RAW:
		return;		/* sink-raw.c printed it as it came */
	case FMT_JSON:
		json_line_result(s->out, s->current_cmd, typ, data);
		return;
	}
	/* The tuple borrows data: it is taken out again before the free. */
	t = pv_tuple();
	pv_append(t, pv_str(typ));
	pv_append(t, (struct pyval *)(uintptr_t)data);
	if (cmd_color(s, s->out))
		out_highlight(s->out, 1, strlen(typ) + 2,
		    strcmp(typ, "NO") == 0 || strcmp(typ, "BAD") == 0 ?
		    "\033[1;31m" : "\033[1;32m", "\033[0m");
	py_print(s->out, t);
	out_flush(s->out);
	t->items[1] = NULL;
	pv_free(t);
}

enum cmd_status
cmd_result(struct session *s, const char *typ, struct pyval *data)
{
	enum cmd_status	 st;

	cmd_print(s, typ, data);
	pv_free(data);
	/* NO and BAD fail; OK, BYE (logout) and the codes that response
	 * returns as its type do not. */
	st = strcmp(typ, "NO") == 0 || strcmp(typ, "BAD") == 0 ? CMD_FAILED :
	    CMD_OK;
	return (st);
}

enum cmd_status
cmd_exc(struct session *s, enum imap_exc exc, char *msg)
{
	const char	*kind;

	switch (exc) {
	case IMAP_ABORT:
		kind = "abort";
		break;
	case IMAP_READONLY:
		kind = "readonly";
		break;
	default:
		kind = "error";
		break;
	}
	out_flush(s->out);
	if (s->format == FMT_JSON)
		json_line_error(kind, msg);
	if (s->lineno > 0)
		out_printf(s->err, "line %lld: ", s->lineno);
	if (cmd_color(s, s->err))
		out_printf(s->err, "\033[1;31m%s:\033[0m %s\n", kind, msg);
	else
		out_printf(s->err, "%s: %s\n", kind, msg);
	out_flush(s->err);
	free(msg);
	if (exc == IMAP_ABORT) {
		free(s->mailbox);
		s->mailbox = NULL;
		return (CMD_ABORT);
	}
	return (CMD_FAILED);
}

enum cmd_status
cmd_error(struct session *s, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	out_flush(s->out);
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	if (s->format == FMT_JSON)
		json_line_error("error", msg);
	if (s->lineno > 0)
		out_printf(s->err, "line %lld: ", s->lineno);
	out_puts(s->err, cmd_color(s, s->err) ? "\033[1;31merror:\033[0m " :
	    "error: ");
	out_puts(s->err, msg);
	out_putc(s->err, '\n');
	out_flush(s->err);
	free(msg);
	return (CMD_FAILED);
}

/* A line on stderr that is neither a result nor an error. */
void
cmd_notice(struct session *s, const char *fmt, ...)
{
	va_list	 ap;

	out_flush(s->out);
	out_puts(s->err, "note: ");
	va_start(ap, fmt);
	out_vprintf(s->err, fmt, ap);
	va_end(ap);
	out_putc(s->err, '\n');
	out_flush(s->err);
}

int
cmd_need_connection(struct session *s)
{
	return (imap_connected(s->im));
}

/* Keep what the prompt shows in step with the session (the message
 * count follows the responses as they come: msgcount.c). */
void
cmd_note_state(struct session *s)
{
	if (!imap_connected(s->im) || imap_state(s->im) != IMAP_SELECTED) {
		free(s->mailbox);
		s->mailbox = NULL;
		s->exists = -1;
	}
}

/* The error of a command whose connection died in the middle of a
 * literal: say the PARTIAL data above is incomplete. */
void
cmd_partial_said(struct session *s, char **msg)
{
	char	*m = *msg;

	xasprintf(msg, "%s (the connection ended in the middle of a "
	    "literal: the PARTIAL data above is incomplete)", m);
	free(m);
	imap_partial_clear(s->im);
}

/*
 * The connection died in the middle of a literal: show what did arrive of
 * that response, as a ('PARTIAL', [...]) pair, and say so in the error;
 * unless a Ctrl-C dropped it (intr.h): then nothing of it is shown.
 */
void
cmd_show_partial(struct session *s, char **msg)
{
	struct pyval	*data;

	if ((data = imap_ur_pop(s->im, imap_partial(s->im))) != NULL &&
	    intr_count() == 0) {
		cmd_print(s, "PARTIAL", data);
		pv_free(data);
		cmd_partial_said(s, msg);
		return;
	}
	pv_free(data);
	imap_partial_clear(s->im);
}
