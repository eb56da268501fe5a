/*
 * cmd-util.c: imaplib's module-level functions as local commands
 * (Internaldate2tuple, Int2AP, ParseFlags, Time2Internaldate), and utf7
 * for mailbox names in modified UTF-7.  None needs a connection.
 *
 * Each prints what print(repr(imaplib.F(arg))) prints (with --format
 * json, the value as JSON), computed by the same pure functions the rest
 * of imapsh uses (imap-date.c, imap-util.c, imap-utf7.c).  Where imaplib raises, the command fails with the
 * exception's class and message: "error: Int2AP: TypeError: ...".
 *
 * What an argument is, by how it was typed:
 *   - in the call form, a Python literal: 'str' and b'bytes' are strings
 *     (imapsh does not tell them apart), 4096 is an int, None is None;
 *   - in the shell form, a word is its text as typed: a "double-quoted"
 *     word keeps its quotes (which is what Time2Internaldate wants), a
 *     'single-quoted' one is a str (as in the call form), and a group such as
 *     (INTERNALDATE "17-Jul-1996 02:44:25 -0700") is one word.  A word
 *     that is a Python number (1.5, -0x10) is taken as that number where a
 *     number is expected; the call form has only decimal integers, so
 *     floats and tuples are typed in the shell form.
 * utf7 alone reads a "double-quoted" name as the server would, without
 * its quotes and escapes, since names are copied from LIST responses.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "cmd-list.h"
#include "imap-date.h"
#include "json-line.h"
#include "imap-utf7.h"
#include "imap-util.h"
#include "py-repr.h"

static enum cmd_status	cmd_util_raise(struct session *, const char *,
			    const char *, char *);
static const char	*cmd_util_pytype(const struct word *);
static int		 cmd_util_text(struct session *, const char *,
			    const struct word *, enum cmd_status *);
static void		 cmd_util_print(struct session *, const char *,
			    struct pyval *);
static struct pyval	*cmd_util_struct_time(const struct tm *);
static void		 cmd_util_unquote(const struct word *, struct buf *);

/* Report the exception imaplib would raise; takes cause. */
static enum cmd_status
cmd_util_raise(struct session *s, const char *name, const char *exc,
    char *cause)
{
	enum cmd_status	 st;

	st = cmd_error(s, "%s: %s: %s", name, exc, cause);
	free(cause);
	return (st);
}

/* The Python type of a call-form value that is not text, or NULL. */
static const char *
cmd_util_pytype(const struct word *w)
{
	if (arg_is_none(w))
		return ("NoneType");
	if (w->kind == W_NUMBER)
		return ("int");
	if (w->kind == W_BOOL)
		return ("bool");
	return (NULL);
}

/* 0 if the argument is text for a regular expression on bytes; else the
 * TypeError re raises is reported and -1. */
static int
cmd_util_text(struct session *s, const char *name, const struct word *w,
    enum cmd_status *st)
{
	const char	*type;

	if ((type = cmd_util_pytype(w)) == NULL)
		return (0);
	*st = cmd_error(s, "%s: TypeError: expected string or bytes-like "
	    "object, got '%s'", name, type);
	return (-1);
}

/* Print a function's value as Python prints its repr, or as a JSON
 * value; takes v. */
static void
cmd_util_print(struct session *s, const char *name, struct pyval *v)
{
	struct buf	 b;

	if (s->format == FMT_JSON)
		json_line_result(s->out, name, "OK", v);
	else {
		buf_init(&b, 0);
		py_repr(&b, v);
		out_printf(s->out, "%s\n", b.data != NULL ? b.data : "");
		buf_free(&b);
	}
	pv_free(v);
}

/* A time.struct_time's nine fields, for JSON. */
static struct pyval *
cmd_util_struct_time(const struct tm *tm)
{
	struct pyval	*t = pv_tuple();

	pv_append(t, pv_int((long long)tm->tm_year + 1900));
	pv_append(t, pv_int(tm->tm_mon + 1));
	pv_append(t, pv_int(tm->tm_mday));
	pv_append(t, pv_int(tm->tm_hour));
	pv_append(t, pv_int(tm->tm_min));
	pv_append(t, pv_int(tm->tm_sec));
	pv_append(t, pv_int((tm->tm_wday + 6) % 7));
	pv_append(t, pv_int(tm->tm_yday + 1));
	pv_append(t, pv_int(tm->tm_isdst));
	return (t);
}

/* A word's value as a mailbox name: a "quoted string" loses its quotes
 * and its \" and \\ escapes, as the server would read it. */
static void
cmd_util_unquote(const struct word *w, struct buf *b)
{
	size_t	 i;

	if (w->kind != W_DQUOTED || w->len < 2) {
		buf_add(b, w->s, w->len);
		return;
	}
	for (i = 1; i < w->len - 1; i++) {
		if (w->s[i] == '\\' && i + 1 < w->len - 1 &&
		    (w->s[i + 1] == '"' || w->s[i + 1] == '\\'))
			i++;
		buf_addc(b, w->s[i]);
	}
}

/* Internaldate2tuple(resp) */
enum cmd_status
cmd_internaldate2tuple(struct session *s, struct cmd_args *ca)
{
	const struct word	*w = ca->p[0];
	struct tm		 tm;
	struct buf		 b;
	enum cmd_status		 st;
	const char		*exc;
	char			*cause = NULL;

	if (cmd_util_text(s, ca->cmd->name, w, &st) == -1)
		return (st);
	switch (internaldate2tuple(w->s, w->len, &tm, &exc, &cause)) {
	case -1:
		return (cmd_util_raise(s, ca->cmd->name, exc, cause));
	case 0:
		cmd_util_print(s, ca->cmd->name, pv_none());
		return (CMD_OK);
	}
	if (s->format == FMT_JSON) {
		cmd_util_print(s, ca->cmd->name, cmd_util_struct_time(&tm));
		return (CMD_OK);
	}
	buf_init(&b, 0);
	struct_time_repr(&tm, &b);
	out_printf(s->out, "%s\n", b.data);
	buf_free(&b);
	return (CMD_OK);
}

/* Int2AP(num) */
enum cmd_status
cmd_int2ap(struct session *s, struct cmd_args *ca)
{
	const struct word	*w = ca->p[0];
	struct py_number	 n;
	struct buf		 ap;
	const char		*exc;
	char			*cause = NULL;

	if (arg_is_none(w) || w->kind == W_STRING || w->kind == W_DQUOTED)
		return (cmd_error(s, "%s: TypeError: bad operand type for "
		    "abs(): '%s'", ca->cmd->name, arg_is_none(w) ?
		    "NoneType" : "str"));
	if (py_number_parse(w->s, &n, &exc, &cause) == -1) {
		if (exc != NULL)
			return (cmd_util_raise(s, ca->cmd->name, exc, cause));
		free(cause);		/* text: a str to Python */
		return (cmd_error(s, "%s: TypeError: bad operand type for "
		    "abs(): 'str'", ca->cmd->name));
	}
	buf_init(&ap, 0);
	if (int2ap_number(&n, &ap, &exc, &cause) == -1) {
		py_number_free(&n);
		buf_free(&ap);
		return (cmd_util_raise(s, ca->cmd->name, exc, cause));
	}
	py_number_free(&n);
	cmd_util_print(s, ca->cmd->name, pv_bytes(ap.data != NULL ? ap.data :
	    "", ap.len));
	buf_free(&ap);
	return (CMD_OK);
}

/* ParseFlags(resp) */
enum cmd_status
cmd_parseflags(struct session *s, struct cmd_args *ca)
{
	const struct word	*w = ca->p[0];
	struct pyval		*flags;
	enum cmd_status		 st;

	if (cmd_util_text(s, ca->cmd->name, w, &st) == -1)
		return (st);
	flags = parse_flags(w->s, w->len);
	cmd_util_print(s, ca->cmd->name, flags);
	return (CMD_OK);
}

/* Time2Internaldate(date_time) */
enum cmd_status
cmd_time2internaldate(struct session *s, struct cmd_args *ca)
{
	const struct word	*w = ca->p[0];
	struct buf		 date;
	const char		*exc;
	char			*cause = NULL;

	if (arg_is_none(w))
		return (cmd_error(s, "%s: ValueError: date_time not of a "
		    "known type", ca->cmd->name));
	/* A Python str is only ever taken when it is quoted. */
	if (w->kind == W_STRING && w->len == 0)
		return (cmd_error(s, "%s: IndexError: string index out of "
		    "range", ca->cmd->name));
	if (w->kind == W_STRING && (w->s[0] != '"' || w->s[w->len - 1] != '"'))
		return (cmd_error(s, "%s: ValueError: date_time not of a "
		    "known type", ca->cmd->name));
	buf_init(&date, 0);
	if (imap_date_value(w->s, &date, &exc, &cause) == -1) {
		buf_free(&date);
		return (cmd_util_raise(s, ca->cmd->name, exc, cause));
	}
	cmd_util_print(s, ca->cmd->name, pv_strn(date.data != NULL ?
	    date.data : "", date.len));
	buf_free(&date);
	return (CMD_OK);
}

/* utf7 encode|decode name */
enum cmd_status
cmd_utf7(struct session *s, struct cmd_args *ca)
{
	const char	*mode = arg_str(ca->p[0]);
	struct pyval	*v;
	struct buf	 name, conv;
	enum cmd_status	 st;
	char		*cause = NULL;
	int		 encode, rv;

	if (strcasecmp(mode, "encode") == 0)
		encode = 1;
	else if (strcasecmp(mode, "decode") == 0)
		encode = 0;
	else
		return (cmd_error(s, "utf7: say encode or decode, not '%s'",
		    mode));
	if (arg_is_none(ca->p[1]))
		return (cmd_error(s, "utf7: a name is needed, not None"));
	buf_init(&name, 0);
	cmd_util_unquote(ca->p[1], &name);
	buf_init(&conv, 0);
	if (encode)
		rv = imap_utf8_to_utf7(name.data != NULL ? name.data : "",
		    name.len, &conv, &cause);
	else
		rv = imap_utf7_to_utf8(name.data != NULL ? name.data : "",
		    name.len, &conv, &cause);
	buf_free(&name);
	if (rv == -1) {
		buf_free(&conv);
		st = cmd_error(s, "utf7: %s: %s", encode ? "encode" :
		    "decode: not modified UTF-7", cause);
		free(cause);
		return (st);
	}
	if (encode)
		v = pv_bytes(conv.data != NULL ? conv.data : "", conv.len);
	else
		v = pv_strn(conv.data != NULL ? conv.data : "", conv.len);
	buf_free(&conv);
	cmd_util_print(s, ca->cmd->name, v);
	return (CMD_OK);
}
