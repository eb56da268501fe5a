/*
 * cmd-ext.c: the commands of IMAP extensions.
 *
 * The imaplib methods for them, ported one to one with the same
 * parameters and the same (typ, data): deleteacl, getacl, setacl,
 * myrights (ACL, RFC 4314), getquota, getquotaroot, setquota (QUOTA, RFC
 * 2087/9208), getannotation, setannotation (Cyrus's ANNOTATEMORE draft),
 * partial (IMAP2bis, obsolete), sort, thread (RFC 5256), enable (RFC 5161,
 * with imaplib's switch to UTF-8 mode on UTF8=ACCEPT, RFC 6855) and
 * unselect (RFC 3691).
 *
 * And those an administrator needs that imaplib lacks, written as imaplib
 * would have them: examine (select with readonly=True), id (RFC 2971),
 * move (RFC 6851, returning the tagged data as copy does), getmetadata and
 * setmetadata (RFC 5464).
 *
 * Like imaplib, none of them checks the capability first (the server
 * answers), except enable, which imaplib refuses without ENABLE.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd-list.h"
#include "imap-quote.h"

static int		ext_has_break(const char *, size_t);
static int		ext_is_list(const struct word *);
static int		ext_list_item(struct buf *, struct session *,
			    const struct word *, int, char **);
static int		ext_wire_list(struct cmd_wire *, struct session *,
			    const struct word **, size_t, const int *,
			    char **);
static void		ext_wire_trailer(struct cmd_wire *, const char *);
static void		ext_word(struct word *, const char *, size_t);

/* A bare word of text, for arguments built here. */
static void
ext_word(struct word *w, const char *text, size_t len)
{
	memset(w, 0, sizeof *w);
	w->s = (char *)text;
	w->len = len;
	w->kind = W_BARE;
}

/* 1 if s holds CR, LF or NUL, which no quoted string or atom can carry. */
static int
ext_has_break(const char *s, size_t len)
{
	return (memchr(s, '\r', len) != NULL || memchr(s, '\n', len) != NULL ||
	    memchr(s, '\0', len) != NULL);
}

/* 1 if w is already a parenthesised list, sent as it is. */
static int
ext_is_list(const struct word *w)
{
	return (!arg_is_none(w) && w->len >= 2 && w->s[0] == '(' &&
	    w->s[w->len - 1] == ')');
}

/* Add text with no blank before it: what closes a list after a literal. */
static void
ext_wire_trailer(struct cmd_wire *cw, const char *text)
{
	size_t	n = cw->n;

	wire_text(cw, text);
	if (cw->n > n)
		cw->a[cw->n - 1].type = IMAP_ARG_TRAILER;
}

/*
 * Encode one list item into out: None is NIL, a "double-quoted" word
 * goes as typed, anything else by the quoting rule, or
 * always quoted when force is set (where the grammar wants a string).
 * Returns 0, 1 when the item needs a literal (nothing appended), or -1
 * with *cause.
 */
static int
ext_list_item(struct buf *out, struct session *s, const struct word *w,
    int force, char **cause)
{
	int	qflags = force ? IMAPQ_FORCE : 0;

	if (arg_is_none(w)) {
		buf_addstr(out, "NIL");
		return (0);
	}
	if (w->kind == W_DQUOTED) {
		buf_add(out, w->s, w->len);
		return (0);
	}
	if (imap_utf8(s->im))
		qflags |= IMAPQ_UTF8;
	switch (imap_quote_arg(out, w->s, w->len, qflags)) {
	case IMAPQ_LITERAL:
		return (1);
	case IMAPQ_INVALID:
		*cause = xstrdup("a value with a line break or NUL cannot be "
		    "sent; nothing was sent");
		return (-1);
	default:
		return (0);
	}
}

/*
 * Add "(item item ...)" as wire arguments; force[i] says whether item i
 * must be a string (see ext_list_item).  An item that needs a literal
 * (8-bit bytes outside UTF-8 mode; a line break, for the value of
 * setmetadata) goes as one, except the first: a literal cannot follow
 * "(" on the wire here.
 */
static int
ext_wire_list(struct cmd_wire *cw, struct session *s,
    const struct word **items, size_t n, const int *force, char **cause)
{
	struct buf	 cur;
	struct spool	*sp;
	size_t		 i;
	int		 r, fresh = 1;	/* nothing in cur needs a blank after */

	buf_init(&cur, 0);
	buf_addc(&cur, '(');
	for (i = 0; i < n; i++) {
		const struct word *w = items[i];
		int		 brk = !arg_is_none(w) &&
				    ext_has_break(w->s, w->len);

		if (brk && memchr(w->s, '\0', w->len) != NULL) {
			*cause = xstrdup("a value with a NUL cannot be sent; "
			    "nothing was sent");
			goto fail;
		}
		if (!brk) {
			size_t	mark = cur.len;

			if (!fresh)
				buf_addc(&cur, ' ');
			if ((r = ext_list_item(&cur, s, w, force[i],
			    cause)) == -1)
				goto fail;
			if (r == 0) {
				fresh = 0;
				continue;
			}
			cur.len = mark;		/* it needs a literal */
			cur.data[mark] = '\0';
		}
		if (i == 0) {
			*cause = xstrdup("the first item of the list cannot "
			    "be sent as a literal; nothing was sent");
			goto fail;
		}
		if (cur.len > 0)
			wire_text(cw, cur.data);
		buf_reset(&cur);
		fresh = 1;
		if (brk) {
			/* A value with line breaks: a literal, byte for
			 * byte, from a spool as append sends messages. */
			if ((sp = spool_new(cause)) == NULL)
				goto fail;
			if (spool_write(sp, w->s, w->len, cause) == -1) {
				spool_unref(sp);
				goto fail;
			}
			wire_literal_spool(cw, sp);
			spool_unref(sp);
		} else if (wire_value(cw, s, w->s, w->len,
		    force[i] ? IMAPQ_FORCE : 0, 0, cause) == -1)
			goto fail;
	}
	if (cur.len > 0) {
		buf_addc(&cur, ')');
		wire_text(cw, cur.data);
	} else
		ext_wire_trailer(cw, ")");
	buf_free(&cur);
	return (0);
fail:
	buf_free(&cur);
	return (-1);
}

/* ACL (RFC 4314) */

/* deleteacl(mailbox, who) */
enum cmd_status
cmd_deleteacl(struct session *s, struct cmd_args *ca)
{
	return (cmd_params(s, ca, "DELETEACL", 2, NULL));
}

/* getacl(mailbox): the ACL responses. */
int
cmd_getacl_build(struct session *s, struct cmd_args *ca, struct cmd_built *cb,
    char **cause)
{
	return (cmd_build_params(cb, s, ca, "GETACL", 1, "ACL", cause));
}

/* setacl(mailbox, who, what) */
enum cmd_status
cmd_setacl(struct session *s, struct cmd_args *ca)
{
	return (cmd_params(s, ca, "SETACL", 3, NULL));
}

/* myrights(mailbox): the MYRIGHTS responses. */
int
cmd_myrights_build(struct session *s, struct cmd_args *ca, struct cmd_built *cb,
    char **cause)
{
	return (cmd_build_params(cb, s, ca, "MYRIGHTS", 1, "MYRIGHTS", cause));
}

/* QUOTA (RFC 2087, RFC 9208) */

/* getquota(root): the QUOTA responses. */
int
cmd_getquota_build(struct session *s, struct cmd_args *ca, struct cmd_built *cb,
    char **cause)
{
	return (cmd_build_params(cb, s, ca, "GETQUOTA", 1, "QUOTA", cause));
}

/*
 * getquotaroot(mailbox): [QUOTAROOT responses, QUOTA responses], each
 * taken as imaplib takes them (on NO, both are the tagged data).
 */
enum cmd_status
cmd_getquotaroot(struct session *s, struct cmd_args *ca)
{
	struct cmd_wire	 cw;
	struct pyval	*data, *quota, *quotaroot, *out;
	enum imap_exc	 e;
	enum cmd_status	 st;
	char		*typ, *msg = NULL, *cause = NULL;

	wire_init(&cw);
	if (wire_word(&cw, s, ca->p[0], 0, &cause) == -1) {
		wire_free(&cw);
		st = cmd_error(s, "getquotaroot: %s", cause);
		free(cause);
		return (st);
	}
	e = imap_simple_command(s->im, "GETQUOTAROOT", cw.a, cw.n, &typ,
	    &data, &msg);
	wire_free(&cw);
	if (e == IMAP_ERROR && strcmp(msg, IMAP_INTERRUPTED) == 0) {
		imap_ur_delete(s->im, "QUOTA");	/* the dropped result */
		imap_ur_delete(s->im, "QUOTAROOT");
	}
	if (e != IMAP_OK)
		return (cmd_exc(s, e, msg));
	imap_untagged_response(s->im, typ, pv_copy(data), "QUOTA", &quota);
	imap_untagged_response(s->im, typ, data, "QUOTAROOT", &quotaroot);
	out = pv_list();
	pv_append(out, quotaroot);
	pv_append(out, quota);
	st = cmd_result(s, typ, out);
	free(typ);
	return (st);
}

/* setquota(root, limits): the QUOTA responses. */
enum cmd_status
cmd_setquota(struct session *s, struct cmd_args *ca)
{
	return (cmd_params(s, ca, "SETQUOTA", 2, "QUOTA"));
}

/* ANNOTATEMORE (draft-daboo-imap-annotatemore, Cyrus) */

/* getannotation(mailbox, entry, attribute): the ANNOTATION responses. */
int
cmd_getannotation_build(struct session *s, struct cmd_args *ca,
    struct cmd_built *cb, char **cause)
{
	return (cmd_build_params(cb, s, ca, "GETANNOTATION", 3, "ANNOTATION",
	    cause));
}

/* setannotation(*args): mailbox[, entry, attribute]+ as given. */
enum cmd_status
cmd_setannotation(struct session *s, struct cmd_args *ca)
{
	return (cmd_words(s, ca, "SETANNOTATION", NULL, 0, ca->rest,
	    ca->nrest, "ANNOTATION"));
}

/* Messages and mailboxes */

/* examine(mailbox='INBOX'): select(mailbox, readonly=True). */
enum cmd_status
cmd_examine(struct session *s, struct cmd_args *ca)
{
	struct cmd_args	 sa = *ca;
	struct word	 readonly;

	ext_word(&readonly, "True", 4);
	readonly.kind = W_BOOL;
	sa.p[1] = &readonly;
	return (cmd_select(s, &sa));
}

/* unselect(): the state is AUTH afterwards whatever happened, as close. */
enum cmd_status
cmd_unselect(struct session *s, struct cmd_args *ca)
{
	enum cmd_status	st;

	st = cmd_simple(s, "UNSELECT", NULL, NULL);
	return (st);
}

/* move(message_set, new_mailbox): the tagged data, as copy. */
enum cmd_status
cmd_move(struct session *s, struct cmd_args *ca)
{
	return (cmd_params(s, ca, "MOVE", 2, NULL));
}

/* partial(message_num, message_part, start, length): FETCH responses. */
enum cmd_status
cmd_partial(struct session *s, struct cmd_args *ca)
{
	return (cmd_params(s, ca, "PARTIAL", 4, "FETCH"));
}

/*
 * sort(sort_criteria, charset, *search_criteria): the criteria go in
 * parentheses unless they are in them already.
 */
int
cmd_sort_build(struct session *s, struct cmd_args *ca, struct cmd_built *cb,
    char **cause)
{
	struct word	 crit;
	struct buf	 b;
	const struct word *first[2];
	int		 r;

	buf_init(&b, 0);
	arg_parens(&b, arg_str(ca->p[0]));
	ext_word(&crit, b.data, b.len);
	first[0] = &crit;
	first[1] = ca->p[1];
	cb->name = "SORT";
	cb->untagged = xstrdup("SORT");
	r = cmd_build_words(cb, s, ca, first, 2, ca->rest, ca->nrest, cause);
	buf_free(&b);
	return (r);
}

/* thread(threading_algorithm, charset, *search_criteria) */
int
cmd_thread_build(struct session *s, struct cmd_args *ca, struct cmd_built *cb,
    char **cause)
{
	cb->name = "THREAD";
	cb->untagged = xstrdup("THREAD");
	return (cmd_build_words(cb, s, ca, ca->p, 2, ca->rest, ca->nrest,
	    cause));
}

/* Session */

/*
 * enable(capability): refused unless the server advertises ENABLE; on OK
 * with UTF8=ACCEPT the session is in UTF-8 mode: arguments may be UTF-8
 * quoted strings, append wraps its message in UTF8 (...), and search
 * takes no charset.  The capability text holds one or more names
 * separated by blanks, each sent as an atom.
 */
enum cmd_status
cmd_enable(struct session *s, struct cmd_args *ca)
{
	struct cmd_wire	 cw;
	struct pyval	*data;
	enum imap_exc	 e;
	enum cmd_status	 st;
	const struct word *w = ca->p[0];
	const char	*p, *q, *end;
	char		*typ, *msg = NULL, *cause = NULL;

	if (!imap_has_cap(s->im, "ENABLE"))
		return (cmd_error(s, "Server does not support ENABLE"));
	wire_init(&cw);
	if (arg_is_none(w) || w->kind == W_DQUOTED) {
		if (wire_word(&cw, s, w, 0, &cause) == -1)
			goto fail;
	} else {
		end = w->s + w->len;
		for (p = w->s; p < end; p = q) {
			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
			for (q = p; q < end && *q != ' ' && *q != '\t'; q++)
				;
			if (q > p && wire_value(&cw, s, p, (size_t)(q - p),
			    0, 0, &cause) == -1)
				goto fail;
		}
	}
	e = imap_enable(s->im, cw.a, cw.n, &typ, &data, &msg);
	wire_free(&cw);
	if (e != IMAP_OK)
		return (cmd_exc(s, e, msg));
	st = cmd_result(s, typ, data);
	free(typ);
	return (st);
fail:
	wire_free(&cw);
	st = cmd_error(s, "enable: %s", cause);
	free(cause);
	return (st);
}

/*
 * id(*fields): ID NIL without fields, else ID ("name" "value" ...) with
 * every name and value a string (None is NIL); a single parenthesised
 * list goes as it is.  Returns the ID responses.
 */
enum cmd_status
cmd_id(struct session *s, struct cmd_args *ca)
{
	struct cmd_wire	 cw;
	enum cmd_status	 st;
	char		*cause = NULL;
	int		 force[IMAP_MAX_ARGS];
	size_t		 i;

	wire_init(&cw);
	if (ca->nrest == 0 || (ca->nrest == 1 && arg_is_none(ca->rest[0])))
		wire_text(&cw, "NIL");
	else if (ca->nrest == 1 && ext_is_list(ca->rest[0])) {
		if (wire_word(&cw, s, ca->rest[0], 0, &cause) == -1)
			goto fail;
	} else if (ca->nrest % 2 != 0) {
		return (cmd_error(s, "id() takes field and value pairs, "
		    "but %zu argument%s given", ca->nrest,
		    ca->nrest == 1 ? " was" : "s were"));
	} else if (ca->nrest > IMAP_MAX_ARGS) {
		return (cmd_error(s, "id: too many fields"));
	} else {
		for (i = 0; i < ca->nrest; i++)
			force[i] = 1;
		if (ext_wire_list(&cw, s, ca->rest, ca->nrest, force,
		    &cause) == -1)
			goto fail;
	}
	return (cmd_simple(s, "ID", &cw, "ID"));
fail:
	wire_free(&cw);
	st = cmd_error(s, "id: %s", cause);
	free(cause);
	return (st);
}

/* METADATA (RFC 5464) */

/*
 * getmetadata(mailbox, *entries): GETMETADATA mailbox (entry ...), or the
 * one parenthesised list given.  Returns the METADATA responses.
 */
int
cmd_getmetadata_build(struct session *s, struct cmd_args *ca,
    struct cmd_built *cb, char **cause)
{
	char		*why = NULL;
	int		 force[IMAP_MAX_ARGS];
	size_t		 i;

	if (ca->nrest == 0) {
		*cause = xstrdup("getmetadata() needs at least one entry, "
		    "such as /private/comment");
		return (-1);
	}
	if (ca->nrest > IMAP_MAX_ARGS) {
		*cause = xstrdup("getmetadata: too many entries");
		return (-1);
	}
	cb->name = "GETMETADATA";
	cb->untagged = xstrdup("METADATA");
	if (wire_word(&cb->wire, s, ca->p[0], 0, &why) == -1)
		goto fail;
	if (ca->nrest == 1 && ext_is_list(ca->rest[0])) {
		if (wire_word(&cb->wire, s, ca->rest[0], 0, &why) == -1)
			goto fail;
	} else {
		for (i = 0; i < ca->nrest; i++)
			force[i] = 0;
		if (ext_wire_list(&cb->wire, s, ca->rest, ca->nrest, force,
		    &why) == -1)
			goto fail;
	}
	return (0);
fail:
	xasprintf(cause, "getmetadata: %s", why);
	free(why);
	return (-1);
}

/*
 * setmetadata(mailbox, entry, value): SETMETADATA mailbox (entry value);
 * the value is a string (a literal when it holds 8-bit bytes or line
 * breaks), None is NIL and removes the entry.  Returns the tagged data.
 */
enum cmd_status
cmd_setmetadata(struct session *s, struct cmd_args *ca)
{
	struct cmd_wire	 cw;
	enum cmd_status	 st;
	const struct word *items[2];
	char		*cause = NULL;
	static const int force[2] = { 0, 1 };

	wire_init(&cw);
	if (wire_word(&cw, s, ca->p[0], 0, &cause) == -1)
		goto fail;
	items[0] = ca->p[1];
	items[1] = ca->p[2];
	if (arg_is_none(items[0])) {
		cause = xstrdup("the entry cannot be None");
		goto fail;
	}
	if (ext_wire_list(&cw, s, items, 2, force, &cause) == -1)
		goto fail;
	return (cmd_simple(s, "SETMETADATA", &cw, NULL));
fail:
	wire_free(&cw);
	st = cmd_error(s, "setmetadata: %s", cause);
	free(cause);
	return (st);
}
