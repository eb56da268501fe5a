/*
 * sink-names.c: mailbox names out of LIST and LSUB items (sink.h).
 *
 * Completion asks the server LIST "" * on its own, without the person
 * seeing it: this sink takes that command's items instead of the
 * untagged-responses dictionary, which the person's commands read, and
 * keeps only the names.  The session's watch (complete.c) gives it the
 * LIST and LSUB items of the person's commands too.  An item is bytes, or
 * (bytes, literal) when the name came as a literal:
 *
 *	mailbox-list = "(" [mbx-list-flags] ")" SP
 *		       (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox
 *
 * A \Noselect or \NonExistent name is left out (it cannot be opened), and
 * so is a name holding a control character (CR, LF, ESC...), which could
 * not be typed back or shown safely.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pyval.h"
#include "sink-names.h"
#include "xmalloc.h"

struct sink_names {
	struct sink	  sink;
	char		***v;
	size_t		 *n;
};

static void	sink_names_item(struct sink *, const struct pyval *);
static void	sink_names_free(struct sink *);
static void	sink_names_add(struct sink_names *, const char *, size_t);

static const struct sink_ops sink_names_ops = {
	.item = sink_names_item,
	.done = sink_done_nothing_kept,
	.free = sink_names_free,
};

struct sink *
sink_names_new(char ***v, size_t *n)
{
	struct sink_names	*sn;

	sn = xcalloc(1, sizeof *sn);
	sn->sink.ops = &sink_names_ops;
	sn->sink.quiet = 1;
	sn->v = v;
	sn->n = n;
	return (&sn->sink);
}

static void
sink_names_add(struct sink_names *sn, const char *name, size_t len)
{
	size_t	i;

	if (len == 0)
		return;
	for (i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return;
	*sn->v = xreallocarray(*sn->v, *sn->n + 1, sizeof **sn->v);
	(*sn->v)[(*sn->n)++] = xstrndup(name, len);
}

static void
sink_names_item(struct sink *sk, const struct pyval *item)
{
	struct sink_names	*sn = (struct sink_names *)sk;
	const struct pyval	*line = item, *lit = NULL;
	const char		*p, *end, *close;
	struct buf		 name;

	if (item->type == PV_TUPLE && item->n == 2) {
		line = item->items[0];
		lit = item->items[1];
	}
	if (line->type != PV_BYTES || line->s == NULL ||
	    (lit != NULL && (lit->type != PV_BYTES || lit->s == NULL)))
		return;
	p = line->s;
	end = p + line->len;
	if (p == end || *p != '(' ||
	    (close = memchr(p, ')', (size_t)(end - p))) == NULL)
		return;
	if (memmem(p, (size_t)(close - p), "\\Noselect", 9) != NULL ||
	    memmem(p, (size_t)(close - p), "\\NoSelect", 9) != NULL ||
	    memmem(p, (size_t)(close - p), "\\NonExistent", 12) != NULL)
		return;
	p = close + 1;
	if (p < end && *p == ' ')
		p++;
	if (p < end && *p == '"') {		/* the delimiter */
		for (p++; p < end && *p != '"'; p++)
			if (*p == '\\' && p + 1 < end)
				p++;
		if (p < end)
			p++;
	} else if (end - p >= 3 && strncasecmp(p, "NIL", 3) == 0)
		p += 3;
	if (p < end && *p == ' ')
		p++;
	if (lit != NULL) {
		sink_names_add(sn, lit->s, lit->len);
		return;
	}
	if (p < end && *p == '"') {
		buf_init(&name, 0);
		for (p++; p < end && *p != '"'; p++) {
			if (*p == '\\' && p + 1 < end)
				p++;
			buf_addc(&name, *p);
		}
		if (name.data != NULL)
			sink_names_add(sn, name.data, name.len);
		buf_free(&name);
	} else
		sink_names_add(sn, p, (size_t)(end - p));
}

static void
sink_names_free(struct sink *sk)
{
	free(sk);
}
