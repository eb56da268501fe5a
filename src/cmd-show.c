/*
 * cmd-show.c: show MSGSET [PART], messages for a person to read: FETCH
 * (UID RFC822.SIZE BODY.PEEK[]) (PEEK: reading never sets \Seen), then
 * each message laid out by show.c: decoded headers, the tree of parts
 * with the numbers PART takes, the text in the terminal's charset, and a
 * line for each attachment.  With PART only that part: a text part's body
 * decoded, a multipart or message part laid out; a part that is not text
 * is never dumped (fetch gives its bytes).
 *
 * At a terminal, when a person is typing, the text goes through the
 * pager (pager.h); otherwise it is written as it is.  Everything is
 * escaped for the terminal either way: a pipe often ends at one.  There
 * is no JSON form (fetch gives the message to scripts): under --format
 * json show is refused with a JSON error.
 *
 * The layout is imapsh-show's, a program of its own that links GMime
 * (show-run.h says why), run once for each message with its text going
 * straight to the pager or imapsh's output.
 *
 * Memory: a message bigger than 64 KB arrives in a spool file (imap.h),
 * and imapsh-show reads it there through a bounded stream, keeping
 * references to its bodies rather than copies; bodies are decoded a chunk
 * at a time.  What grows with a message is its headers and the number of
 * its parts, and that in imapsh-show, which ends with the message.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd-show.h"
#include "intr.h"
#include "pager.h"
#include "py-repr.h"
#include "show-run.h"
#include "xmalloc.h"

#define SHOW_ITEMS	"(UID RFC822.SIZE BODY.PEEK[])"

/* One message of the FETCH. */
struct show_msg {
	long long		 seq;
	long long		 uid;		/* -1 if not given */
	long long		 size;		/* -1 if not given */
	const struct pyval	*body;		/* BODY[] */
};

static int	 show_valid_part(const char *);
static long long show_number(const char *, size_t, const char *);
static size_t	 show_collect(const struct pyval *, struct show_msg **);
static enum cmd_status show_fetch(struct session *, const char *,
		    struct pyval **);
static int	 show_render(struct session *, struct out *,
		    const struct show_msg *, size_t, const char *);

int
cmd_show_is_msgset(const char *arg)
{
	return (*arg != '\0' && strspn(arg, "0123456789:,*") == strlen(arg));
}

/* 1 for "1", "1.2", "2.1.3": numbers from 1, joined by dots. */
static int
show_valid_part(const char *p)
{
	size_t	len;

	for (;;) {
		len = strspn(p, "0123456789");
		if (len == 0 || len > 5 || *p == '0')
			return (0);
		p += len;
		if (*p == '\0')
			return (1);
		if (*p++ != '.')
			return (0);
	}
}

/* The number after "KEY " in s, or -1. */
static long long
show_number(const char *s, size_t len, const char *key)
{
	size_t		 klen = strlen(key), i, j;
	long long	 n;

	for (i = 0; i + klen < len; i++) {
		if (strncasecmp(s + i, key, klen) != 0 || s[i + klen] != ' ' ||
		    (i > 0 && s[i - 1] != ' ' && s[i - 1] != '('))
			continue;
		n = 0;
		for (j = i + klen + 1; j < len && j < i + klen + 19 &&
		    s[j] >= '0' && s[j] <= '9'; j++)
			n = n * 10 + (s[j] - '0');
		return (j > i + klen + 1 ? n : -1);
	}
	return (-1);
}

/*
 * The messages in a FETCH value: each (head, literal) whose head ends in
 * "BODY[] {N}", with the UID and size found in its head or in the bytes
 * after the literal (a server may send them there).  FETCH responses of
 * other kinds (flag updates) are left out.  Returns how many; *msgs is
 * allocated.
 */
static size_t
show_collect(const struct pyval *list, struct show_msg **msgs)
{
	const struct pyval	*it, *head, *next;
	struct show_msg		*m;
	size_t			 i, j, n = 0;

	*msgs = xcalloc(list->n + 1, sizeof **msgs);
	for (i = 0; i < list->n; i++) {
		it = list->items[i];
		if (it == NULL || it->type != PV_TUPLE || it->n != 2 ||
		    (head = it->items[0])->type != PV_BYTES || head->s == NULL ||
		    it->items[1]->type != PV_BYTES)
			continue;
		if (memmem(head->s, head->len, "BODY[] {", 8) == NULL)
			continue;
		m = &(*msgs)[n++];
		m->body = it->items[1];
		for (j = 0; j < head->len && j < 18 && head->s[j] >= '0' &&
		    head->s[j] <= '9'; j++)
			m->seq = m->seq * 10 + (head->s[j] - '0');
		m->uid = show_number(head->s, head->len, "UID");
		m->size = show_number(head->s, head->len, "RFC822.SIZE");
		next = i + 1 < list->n ? list->items[i + 1] : NULL;
		if (next != NULL && next->type == PV_BYTES && next->s != NULL) {
			if (m->uid == -1)
				m->uid = show_number(next->s, next->len, "UID");
			if (m->size == -1)
				m->size = show_number(next->s, next->len,
				    "RFC822.SIZE");
		}
	}
	return (n);
}

/* FETCH set SHOW_ITEMS; *list the FETCH value on CMD_OK. */
static enum cmd_status
show_fetch(struct session *s, const char *set, struct pyval **list)
{
	struct cmd_wire	 cw;
	struct pyval	*data;
	struct buf	 b;
	enum imap_exc	 e;
	enum cmd_status	 st;
	char		*typ, *msg = NULL;

	wire_init(&cw);
	wire_text(&cw, set);
	wire_text(&cw, SHOW_ITEMS);
	e = imap_simple_command(s->im, "FETCH", cw.a, cw.n, &typ, &data,
	    &msg);
	wire_free(&cw);
	if (e != IMAP_OK)
		return (cmd_exc(s, e, msg));
	imap_untagged_response(s->im, typ, data, "FETCH", list);
	if (strcmp(typ, "OK") == 0) {
		free(typ);
		return (CMD_OK);
	}
	buf_init(&b, 0);
	if ((*list)->n > 0 && (*list)->items[0] != NULL)
		py_repr(&b, (*list)->items[0]);
	st = cmd_error(s, "show: the server said %s %s", typ,
	    b.data != NULL ? b.data : "");
	buf_free(&b);
	free(typ);
	pv_free(*list);
	return (st);
}

/* Each message into o; 0, or -1 when one could not be shown (said on
 * standard error when o is done with). */
static int
show_render(struct session *s, struct out *o, const struct show_msg *msgs,
    size_t n, const char *part)
{
	struct buf	 miss;
	char		*cause, size[32], uid[32];
	size_t		 i;
	int		 rv = 0;

	buf_init(&miss, 0);
	for (i = 0; i < n && !o->failed && intr_count() == 0; i++) {
		if (part == NULL || n > 1) {
			snprintf(uid, sizeof uid, "UID %lld, ", msgs[i].uid);
			snprintf(size, sizeof size, "%lld bytes",
			    msgs[i].size);
			out_printf(o, "%s--- message %lld (%s%s) ---\n",
			    i > 0 ? "\n" : "", msgs[i].seq, msgs[i].uid >= 0 ?
			    uid : "", msgs[i].size >= 0 ? size : "size unknown");
		}
		cause = NULL;
		if (show_run(msgs[i].body, part, o, &cause) == -1) {
			buf_printf(&miss, "%smessage %lld: %s", rv++ ? "; " :
			    "", msgs[i].seq, cause);
			free(cause);
		}
	}
	out_flush(o);
	if (rv > 0)
		cmd_error(s, "show: %s", miss.data);
	buf_free(&miss);
	return (rv > 0 ? -1 : 0);
}

/* show(msgset, part=None) */
enum cmd_status
cmd_show_messages(struct session *s, struct cmd_args *ca)
{
	const char	*set = arg_str(ca->p[0]);
	const char	*part = arg_is_none(ca->p[1]) ? NULL : arg_str(ca->p[1]);
	struct show_msg	*msgs;
	struct pyval	*list;
	struct pager	 pg;
	struct out	*po;
	enum cmd_status	 st;
	char		*cause;
	size_t		 n;
	int		 rv;

	if (part != NULL && !show_valid_part(part))
		return (cmd_error(s, "show: a part is a number such as 1 or "
		    "1.2 (the tree of parts shows them), not '%s'", part));
	if (s->format == FMT_JSON)
		return (cmd_exc(s, IMAP_ERROR, xstrdup("show has no JSON "
		    "form: use fetch MSGSET (BODY.PEEK[]) for a message's "
		    "bytes")));
	if (!imap_connected(s->im) || imap_state(s->im) != IMAP_SELECTED)
		return (cmd_error(s, "show: %s", imap_connected(s->im) ?
		    "select a mailbox first" : "not connected"));
	if (show_run_ready(&cause) == -1) {
		st = cmd_error(s, "show: %s", cause);
		free(cause);
		return (st);
	}
	if ((st = show_fetch(s, set, &list)) != CMD_OK)
		return (st);
	if ((n = show_collect(list, &msgs)) == 0) {
		free(msgs);
		pv_free(list);
		return (cmd_error(s, "show: no message %s in this mailbox",
		    set));
	}
	out_flush(s->out);
	if (s->interactive && s->out->tty && pager_open(&pg, &cause) == 0) {
		po = xmalloc(sizeof *po);
		out_init(po, pg.fd);
		rv = show_render(s, po, msgs, n, part);
		pager_close(&pg);
		/* A Ctrl-C typed in the pager was the pager's. */
		out_resume(s->out);
		free(po);
	} else {
		if (s->interactive && s->out->tty && cause != NULL) {
			cmd_error(s, "%s", cause);
			free(cause);
		}
		rv = show_render(s, s->out, msgs, n, part);
	}
	free(msgs);
	pv_free(list);
	return (rv == 0 ? CMD_OK : CMD_FAILED);
}
