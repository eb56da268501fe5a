/*
 * wire.c: a command's arguments as they go on the wire (struct cmd_wire):
 * text, quoted strings and literals by imapsh's quoting rule
 * (imap-quote.h), literals from a spool or a message file.
 */
#include <string.h>

#include "cmd.h"
#include "crlf.h"
#include "imap-quote.h"

static struct imap_arg *wire_next(struct cmd_wire *);

void
wire_init(struct cmd_wire *cw)
{
	memset(cw, 0, sizeof *cw);
}

void
wire_free(struct cmd_wire *cw)
{
	size_t	i;

	for (i = 0; i < cw->n; i++) {
		if (cw->a[i].secret)
			buf_wipe(&cw->b[i]);
		else
			buf_free(&cw->b[i]);
		if (cw->a[i].spool != NULL)
			spool_unref(cw->a[i].spool);
		crlf_file_free(cw->a[i].file);
	}
	cw->n = 0;
}

static struct imap_arg *
wire_next(struct cmd_wire *cw)
{
	struct imap_arg	*a;

	if (cw->n >= IMAP_MAX_ARGS)
		return (NULL);
	a = &cw->a[cw->n];
	memset(a, 0, sizeof *a);
	buf_init(&cw->b[cw->n], 0);
	cw->n++;
	return (a);
}

void
wire_text(struct cmd_wire *cw, const char *text)
{
	struct imap_arg	*a;

	if ((a = wire_next(cw)) == NULL)
		return;
	buf_addstr(&cw->b[cw->n - 1], text);
	a->type = IMAP_ARG_TEXT;
	a->s = cw->b[cw->n - 1].data;
	a->len = cw->b[cw->n - 1].len;
}

void
wire_literal_spool(struct cmd_wire *cw, struct spool *sp)
{
	struct imap_arg	*a;

	if ((a = wire_next(cw)) == NULL)
		return;
	a->type = IMAP_ARG_LITERAL;
	a->spool = spool_ref(sp);
}

void
wire_literal_file(struct cmd_wire *cw, struct crlf_file *cf)
{
	struct imap_arg	*a;

	if ((a = wire_next(cw)) == NULL) {
		crlf_file_free(cf);
		return;
	}
	a->type = IMAP_ARG_LITERAL;
	a->file = cf;
}

int
wire_value(struct cmd_wire *cw, struct session *s, const char *v,
    size_t len, int qflags, int secret, char **cause)
{
	struct imap_arg	*a;
	struct buf	*b;

	if ((a = wire_next(cw)) == NULL) {
		*cause = xstrdup("too many arguments");
		return (-1);
	}
	b = &cw->b[cw->n - 1];
	if (imap_utf8(s->im))
		qflags |= IMAPQ_UTF8;
	switch (imap_quote_arg(b, v, len, qflags)) {
	case IMAPQ_ATOM:
	case IMAPQ_QUOTED:
	case IMAPQ_ASIS:
		a->type = IMAP_ARG_TEXT;
		a->s = b->data != NULL ? b->data : "";
		a->len = b->len;
		break;
	case IMAPQ_LITERAL:
		buf_reset(b);
		if (buf_add(b, v, len) == -1) {
			cw->n--;
			buf_free(b);
			*cause = xstrdup("value too large to send");
			return (-1);
		}
		a->type = IMAP_ARG_LITERAL;
		a->s = b->data;
		a->len = b->len;
		break;
	case IMAPQ_INVALID:
		cw->n--;
		buf_free(b);
		*cause = xstrdup("a value with a line break or NUL cannot be "
		    "sent; nothing was sent");
		return (-1);
	}
	a->secret = secret;
	return (0);
}

int
wire_word(struct cmd_wire *cw, struct session *s, const struct word *w,
    int qflags, char **cause)
{
	struct imap_arg	*a;

	if (w == NULL || w->kind == W_NONE)
		return (0);
	switch (w->kind) {
	case W_DQUOTED:
	case W_NUMBER:
	case W_BOOL:
		if (memchr(w->s, '\r', w->len) != NULL ||
		    memchr(w->s, '\n', w->len) != NULL ||
		    memchr(w->s, '\0', w->len) != NULL) {
			*cause = xstrdup("a value with a line break or NUL "
			    "cannot be sent; nothing was sent");
			return (-1);
		}
		if ((qflags & IMAPQ_FORCE) == 0) {
			if ((a = wire_next(cw)) == NULL) {
				*cause = xstrdup("too many arguments");
				return (-1);
			}
			buf_add(&cw->b[cw->n - 1], w->s, w->len);
			a->type = IMAP_ARG_TEXT;
			a->s = cw->b[cw->n - 1].data;
			a->len = cw->b[cw->n - 1].len;
			return (0);
		}
		/* FALLTHROUGH */
	default:
		return (wire_value(cw, s, w->s, w->len, qflags, 0, cause));
	}
}
