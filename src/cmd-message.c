/*
 * cmd-message.c: the message commands: search, fetch, store, copy, uid,
 * append; and the response bookkeeping ones: response, recent.  Each is
 * the imaplib method of the same name.
 *
 * append takes its message from a file ("<msg.eml"), from an inline block
 * ("<<EOM" ... "EOM"), or as a Python string in the call form.  Line ends
 * become CRLF (crlf.h), so the literal's size is the number of bytes
 * actually sent, and memory does not grow with the message: a regular
 * file is measured where it is and sent from there after the "+"; anything
 * else (an inline block, a pipe) is converted into a spool file first.  In
 * UTF-8 mode the literal is wrapped in "UTF8 (...)" as imaplib wraps it.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "cmd-list.h"
#include "crlf.h"
#include "imap-date.h"
#include "imap-json.h"
#include "imap-quote.h"
#include "json-line.h"
#include "py-repr.h"
#include "trace.h"

/* A message going into a spool with CRLF line ends (crlf_convert()). */
struct cmd_message_buf {
	struct spool	*sp;
	int		 cr;		/* the last byte seen was \r */
	size_t		 len;
	char		 buf[64 * 1024];
};

static void	cmd_responses_json(struct session *, struct imap_untagged *,
		    size_t);
static int	cmd_fetch_sets_seen(const char *);
static int	cmd_message_emit(struct cmd_message_buf *, const char *,
		    size_t, char **);
static int	cmd_message_feed(struct cmd_message_buf *, const char *,
		    size_t, char **);
static int	cmd_message_flush(struct cmd_message_buf *, char **);
static struct spool *cmd_message_spool(struct session *, struct cmd_args *,
		    int, char **);
static int	cmd_message_source(struct session *, struct cmd_args *,
		    struct spool **, struct crlf_file **, char **);

static int
cmd_message_flush(struct cmd_message_buf *c, char **cause)
{
	if (c->len > 0 && spool_write(c->sp, c->buf, c->len, cause) == -1)
		return (-1);
	c->len = 0;
	return (0);
}

static int
cmd_message_emit(struct cmd_message_buf *c, const char *p, size_t n,
    char **cause)
{
	size_t	take;

	while (n > 0) {
		if (c->len == sizeof c->buf &&
		    cmd_message_flush(c, cause) == -1)
			return (-1);
		take = sizeof c->buf - c->len;
		if (take > n)
			take = n;
		memcpy(c->buf + c->len, p, take);
		c->len += take;
		p += take;
		n -= take;
	}
	return (0);
}

static int
cmd_message_feed(struct cmd_message_buf *c, const char *p, size_t n,
    char **cause)
{
	size_t	take;

	while (n > 0) {
		/* Room for the worst case: every byte a lone line end. */
		if (sizeof c->buf - c->len < sizeof c->buf / 4 &&
		    cmd_message_flush(c, cause) == -1)
			return (-1);
		take = (sizeof c->buf - c->len) / 2;
		if (take > n)
			take = n;
		c->len += crlf_convert(&c->cr, p, take, c->buf + c->len);
		p += take;
		n -= take;
	}
	return (0);
}

/*
 * The message of an append, with CRLF line ends, in a new spool: the
 * inline block, fd (the "<file" redirect, when it is not -1) or the
 * fourth argument.
 */
static struct spool *
cmd_message_spool(struct session *s, struct cmd_args *ca, int fd,
    char **cause)
{
	struct cmd_message_buf	*c;
	struct buf	*body = cmd_current_heredoc();
	struct spool	*sp;
	char		*chunk;
	ssize_t		 n;
	int		 rv = 0;

	if ((sp = spool_new(cause)) == NULL)
		return (NULL);
	c = xcalloc(1, sizeof *c);
	c->sp = sp;
	/* UTF-8 mode (enable UTF8=ACCEPT): imaplib sends
	 * b'UTF8 (' + message + b')' as the literal; so does imapsh.  Six
	 * bytes into the empty buffer cannot fail. */
	if (imap_utf8(s->im))
		(void)cmd_message_emit(c, "UTF8 (", 6, cause);
	if (body != NULL)
		rv = cmd_message_feed(c, body->data == NULL ? "" : body->data,
		    body->len, cause);
	else if (fd != -1) {
		chunk = xmalloc(256 * 1024);
		for (;;) {
			n = read(fd, chunk, 256 * 1024);
			if (n == -1 && errno == EINTR)
				continue;
			if (n == -1) {
				xasprintf(cause, "%s: %s", ca->words->redirect,
				    strerror(errno));
				rv = -1;
				break;
			}
			if (n == 0)
				break;
			if ((rv = cmd_message_feed(c, chunk, (size_t)n,
			    cause)) == -1)
				break;
		}
		free(chunk);
	} else if (!arg_is_none(ca->p[3]))
		rv = cmd_message_feed(c, ca->p[3]->s, ca->p[3]->len, cause);
	else {
		*cause = xstrdup("no message: give <file, an inline <<TAG "
		    "block, or the message as the fourth argument");
		rv = -1;
	}
	if (rv == 0 && imap_utf8(s->im))
		rv = cmd_message_emit(c, ")", 1, cause);
	if (rv == 0)
		rv = cmd_message_flush(c, cause);
	free(c);
	if (rv == -1) {
		spool_unref(sp);
		return (NULL);
	}
	return (sp);
}

/*
 * Where the message of an append comes from: a regular file named by
 * "<file" is measured and left where it is (*cfp); anything else goes
 * into a spool (*spp).  0, or -1 and *cause.
 */
static int
cmd_message_source(struct session *s, struct cmd_args *ca,
    struct spool **spp, struct crlf_file **cfp, char **cause)
{
	const char	*name = ca->words->redirect;
	int		 fd;

	*spp = NULL;
	*cfp = NULL;
	if (cmd_current_heredoc() != NULL || name == NULL) {
		*spp = cmd_message_spool(s, ca, -1, cause);
		return (*spp == NULL ? -1 : 0);
	}
	if ((fd = open(name, O_RDONLY | O_CLOEXEC)) == -1) {
		xasprintf(cause, "%s: %s", name, strerror(errno));
		return (-1);
	}
	*cfp = crlf_file_open(fd, name, imap_utf8(s->im) ? "UTF8 (" : "",
	    imap_utf8(s->im) ? ")" : "", cause);
	if (*cfp != NULL)
		return (0);		/* it owns fd */
	if (*cause == NULL)		/* a pipe, a FIFO, /proc: a stream */
		*spp = cmd_message_spool(s, ca, fd, cause);
	close(fd);
	return (*spp == NULL ? -1 : 0);
}

/* append(mailbox, flags, date_time, message) */
enum cmd_status
cmd_append(struct session *s, struct cmd_args *ca)
{
	struct cmd_wire	 cw;
	struct spool	*sp;
	struct crlf_file *cf;
	struct buf	 b;
	enum cmd_status	 st;
	const char	*flags = arg_str(ca->p[1]);
	char		*cause = NULL;
	size_t		 flen = strlen(flags);

	if (cmd_message_source(s, ca, &sp, &cf, &cause) == -1) {
		st = cmd_error(s, "append: %s", cause);
		free(cause);
		return (st);
	}
	wire_init(&cw);
	if (arg_is_none(ca->p[0]) || ca->p[0]->len == 0)
		wire_text(&cw, "INBOX");
	else if (wire_word(&cw, s, ca->p[0], 0, &cause) == -1)
		goto fail;
	if (flen > 0) {
		buf_init(&b, 0);
		arg_parens(&b, flags);
		if (memchr(b.data, '\r', b.len) != NULL ||
		    memchr(b.data, '\n', b.len) != NULL) {
			buf_free(&b);
			cause = xstrdup("flags hold a line break");
			goto fail;
		}
		wire_text(&cw, b.data);
		buf_free(&b);
	}
	/* imaplib: "if date_time:" -- 0, 0.0 and False send no date. */
	if (!arg_is_none(ca->p[2]) && ca->p[2]->len > 0 &&
	    strcmp(ca->p[2]->s, "0") != 0 && strcmp(ca->p[2]->s, "0.0") != 0 &&
	    !(ca->p[2]->kind == W_BOOL && strcmp(ca->p[2]->s, "False") == 0)) {
		buf_init(&b, 0);
		if (imap_date_arg(arg_str(ca->p[2]), &b, &cause) == -1) {
			buf_free(&b);
			goto fail;
		}
		wire_text(&cw, b.data);
		buf_free(&b);
	}
	if (cf != NULL)
		wire_literal_file(&cw, cf);
	else {
		wire_literal_spool(&cw, sp);
		spool_unref(sp);
	}
	return (cmd_simple(s, "APPEND", &cw, NULL));
fail:
	wire_free(&cw);
	if (sp != NULL)
		spool_unref(sp);
	crlf_file_free(cf);
	st = cmd_error(s, "append: %s", cause);
	free(cause);
	return (st);
}

/* search(charset, *criteria) */
int
cmd_search_build(struct session *s, struct cmd_args *ca, struct cmd_built *cb,
    char **cause)
{
	struct word	 kw;
	const struct word *first[2];

	cb->name = "SEARCH";
	cb->untagged = xstrdup("SEARCH");
	if (arg_is_none(ca->p[0]) || ca->p[0]->len == 0)
		return (cmd_build_words(cb, s, ca, NULL, 0, ca->rest,
		    ca->nrest, cause));
	if (imap_utf8(s->im)) {
		*cause = xstrdup("Non-None charset not valid in UTF8 mode");
		return (-1);
	}
	memset(&kw, 0, sizeof kw);
	kw.s = (char *)"CHARSET";
	kw.len = 7;
	kw.kind = W_BARE;
	first[0] = &kw;
	first[1] = ca->p[0];
	return (cmd_build_words(cb, s, ca, first, 2, ca->rest, ca->nrest,
	    cause));
}

/* 1 if FETCH items may set \Seen (BODY[...], BINARY[...], RFC822 and
 * RFC822.TEXT): such a fetch changes the mailbox. */
static int
cmd_fetch_sets_seen(const char *items)
{
	const char	*p;
	size_t		 i;
	char		 up[16];

	for (p = items; *p != '\0'; p++) {
		for (i = 0; i < sizeof up - 1 && p[i] != '\0'; i++)
			up[i] = (char)toupper((unsigned char)p[i]);
		up[i] = '\0';
		if (strncmp(up, "BODY[", 5) == 0 ||
		    strncmp(up, "BINARY[", 7) == 0)
			return (1);
		if (strncmp(up, "RFC822", 6) == 0 &&
		    strncmp(up + 6, ".HEADER", 7) != 0 &&
		    strncmp(up + 6, ".SIZE", 5) != 0)
			return (1);
	}
	return (0);
}

/* fetch's ahead: a FETCH that cannot set \Seen changes nothing. */
int
cmd_fetch_ahead(const struct cmd_args *ca)
{
	return (!cmd_fetch_sets_seen(ca->p[1] != NULL ? ca->p[1]->s : ""));
}

/* uid's ahead: UID SEARCH, SORT and THREAD change nothing, nor a UID
 * FETCH that cannot set \Seen; UID STORE, COPY, MOVE, EXPUNGE do. */
int
cmd_uid_ahead(const struct cmd_args *ca)
{
	const char	*sub = arg_str(ca->p[0]);

	if (strcasecmp(sub, "FETCH") == 0)
		return (!cmd_fetch_sets_seen(ca->nrest >= 2 ?
		    ca->rest[1]->s : ""));
	return (strcasecmp(sub, "SEARCH") == 0 ||
	    strcasecmp(sub, "SORT") == 0 || strcasecmp(sub, "THREAD") == 0);
}

/* fetch(message_set, message_parts) */
int
cmd_fetch_build(struct session *s, struct cmd_args *ca, struct cmd_built *cb,
    char **cause)
{
	return (cmd_build_params(cb, s, ca, "FETCH", 2, "FETCH", cause));
}

/* store(message_set, command, flags): flags go in parentheses. */
enum cmd_status
cmd_store(struct session *s, struct cmd_args *ca)
{
	struct word	 fw;
	struct buf	 b;
	const struct word *first[3];
	const char	*flags = arg_str(ca->p[2]);
	enum cmd_status	 st;

	buf_init(&b, 0);
	arg_parens(&b, flags);
	memset(&fw, 0, sizeof fw);
	fw.s = b.data;
	fw.len = b.len;
	fw.kind = W_BARE;
	first[0] = ca->p[0];
	first[1] = ca->p[1];
	first[2] = &fw;
	st = cmd_words(s, ca, "STORE", first, 3, NULL, 0, "FETCH");
	buf_free(&b);
	return (st);
}

/* copy(message_set, new_mailbox) */
enum cmd_status
cmd_copy(struct session *s, struct cmd_args *ca)
{
	return (cmd_words(s, ca, "COPY", ca->p, 2, NULL, 0, NULL));
}

/* uid(command, *args): the command is checked as imaplib checks it. */
int
cmd_uid_build(struct session *s, struct cmd_args *ca, struct cmd_built *cb,
    char **cause)
{
	struct word	 cw;
	const struct word *first[1];
	char		*command;
	size_t		 i;
	int		 ok, r;

	command = xstrdup(arg_str(ca->p[0]));
	for (i = 0; command[i] != '\0'; i++)
		command[i] = (char)toupper((unsigned char)command[i]);
	if (!imap_commands_is_imaplib(command) ||
	    (ok = imap_commands_allowed(command, imap_state(s->im))) == -1) {
		xasprintf(cause, "Unknown IMAP4 UID command: %s", command);
		free(command);
		return (-1);
	}
	if (ok == 0) {
		*cause = imap_commands_illegal(command, imap_state(s->im));
		free(command);
		return (-1);
	}
	memset(&cw, 0, sizeof cw);
	cw.s = command;
	cw.len = strlen(command);
	cw.kind = W_BARE;
	first[0] = &cw;
	cb->name = "UID";
	if (strcmp(command, "SEARCH") == 0 || strcmp(command, "SORT") == 0 ||
	    strcmp(command, "THREAD") == 0)
		cb->untagged = xstrdup(command);
	else
		cb->untagged = xstrdup("FETCH");
	r = cmd_build_words(cb, s, ca, first, 1, ca->rest, ca->nrest, cause);
	free(command);
	return (r);
}

/* response(code): the data of an untagged response or code, or None;
 * the type printed is the code as given. */
enum cmd_status
cmd_response(struct session *s, struct cmd_args *ca)
{
	struct pyval	*data;
	char		*name;
	size_t		 i;
	enum cmd_status	 st;

	name = xstrdup(arg_str(ca->p[0]));
	for (i = 0; name[i] != '\0'; i++)
		name[i] = (char)toupper((unsigned char)name[i]);
	imap_untagged_response(s->im, arg_str(ca->p[0]),
	    pv_list1(pv_none()), name,
	    &data);
	free(name);
	st = cmd_result(s, arg_str(ca->p[0]), data);
	return (st);
}

/* recent(): RECENT responses if any, else ask with NOOP. */
enum cmd_status
cmd_recent(struct session *s, struct cmd_args *ca)
{
	struct pyval	*data, *tagged, *out;
	enum imap_exc	 e;
	char		*typ, *msg = NULL;
	enum cmd_status	 st;

	imap_untagged_response(s->im, "OK", pv_list1(pv_none()),
	    "RECENT", &data);
	if (data->n > 0 && data->items[data->n - 1]->type != PV_NONE &&
	    pv_truthy(data->items[data->n - 1]))
		return (cmd_result(s, "OK", data));
	pv_free(data);
	e = imap_simple_command(s->im, "NOOP", NULL, 0, &typ, &tagged, &msg);
	if (e != IMAP_OK)
		return (cmd_exc(s, e, msg));
	imap_untagged_response(s->im, typ, tagged, "RECENT", &out);
	st = cmd_result(s, typ, out);
	free(typ);
	return (st);
}

/* responses() as JSON: the dict is an object, a name's list its value. */
static void
cmd_responses_json(struct session *s, struct imap_untagged *ut, size_t nur)
{
	const struct pyval *list;
	const char	*name;
	struct out	*o;
	size_t		 i;

	o = json_line_head(s->out, "responses", "OK");
	out_putc(o, '{');
	for (i = 0; i < nur; i++) {
		name = imap_untagged_at(ut, i, &list);
		if (i > 0)
			out_puts(o, ", ");
		json_print_string(o, name, strlen(name));
		out_puts(o, ": ");
		json_print_value(o, list);
	}
	out_putc(o, '}');
}

/*
 * responses(): imaplib's untagged_responses attribute, a dict of lists,
 * printed as a Python dict literal: on one line when it fits, else one
 * key per line.  Nothing is removed.
 */
enum cmd_status
cmd_responses(struct session *s, struct cmd_args *ca)
{
	struct buf	 one, *items;
	struct imap_untagged *ut = imap_ur(s->im);
	const struct pyval *list;
	const char	*name;
	size_t		 i, total = 2, nur = imap_untagged_count(ut);

	if (s->format == FMT_JSON) {
		cmd_responses_json(s, ut, nur);
		return (CMD_OK);
	}
	if (nur == 0) {
		out_puts(s->out, "{}\n");
		return (CMD_OK);
	}
	items = xcalloc(nur, sizeof *items);
	for (i = 0; i < nur; i++) {
		name = imap_untagged_at(ut, i, &list);
		buf_init(&items[i], 0);
		py_str_repr(&items[i], name, strlen(name));
		buf_addstr(&items[i], ": ");
		py_repr(&items[i], list);
		total += items[i].len + 2;
	}
	buf_init(&one, 0);
	buf_addc(&one, '{');
	for (i = 0; i < nur; i++) {
		if (i > 0)
			buf_addstr(&one, total <= 80 ? ", " : ",\n ");
		buf_add(&one, items[i].data, items[i].len);
		buf_free(&items[i]);
	}
	buf_addstr(&one, "}\n");
	out_write(s->out, one.data, one.len);
	buf_free(&one);
	free(items);
	return (CMD_OK);
}
