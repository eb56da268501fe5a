/*
 * py-print.c: results as Python literals, laid out as pprint lays them.
 *
 * py_print() prints a result the way Python's pprint.pformat(v, width=80)
 * lays it out, so that what the user sees is exactly the value imaplib
 * would have returned, and can be pasted back into Python:
 *
 *   - the repr of str and bytes is CPython's, byte for byte (py-repr.c);
 *   - a value whose repr fits in (80 - indent - allowance) stays on one
 *     line; otherwise a tuple or list puts each item on its own line one
 *     column further in, exactly as pprint's _format_items does;
 *   - where pprint would cut a long bytes (or str) value every few bytes
 *     to fit the width, we cut it after each line end instead (and a line
 *     longer than PIECE_MAX bytes into pieces), so a message prints as its
 *     lines, b'Subject: hi\r\n' under b'From: ...\r\n'.  The pieces are
 *     adjacent literals, which Python concatenates back into the value.
 *
 * Big literals live in spools.  Nothing here ever holds one whole: whether
 * a value fits on a line is computed with an early exit (a spool longer
 * than the width cannot fit), and spooled bytes are read back through a
 * window (rwin.h) that slides along the spool, keeping the tail of a line
 * cut by its edge.  Memory stays flat for a 50 MB message.
 *
 * Speed: a split bytes value, the FETCH case, is printed one piece at a
 * time by py_print_piece(), which finds the line end, makes the quote
 * choice and escapes in one pass (esc.h), writing straight into the
 * staging buffer (emit.h) with room reserved for the worst case, so the
 * loop checks no bounds.  The emitter stages in the free end of the
 * struct out's own buffer (out_reserve()), so the output is copied once
 * and written in blocks of that buffer's size.
 */
#include <sys/types.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "esc.h"
#include "py-print.h"
#include "py-repr.h"
#include "rwin.h"

/* The most py_print_piece() writes: lead, b'', 4 per byte of 1001 bytes. */
#define PIECE_ROOM	(LEAD_MAX + 3 + 4 * (PIECE_MAX + 1))

_Static_assert(PIECE_ROOM <= EMIT_ROOM, "a piece fits after a flush");
_Static_assert(PRINT_WIDTH <= PY_REPR_PEEK, "a line's repr is measured");

struct py_print {
	struct emit	 sk;
	struct rwin	 win;
	char		 own[EMIT_SIZE];
};

static const char *py_print_window(struct py_print *, const struct pyval *,
		    size_t, size_t *);
static size_t	 py_print_piece_len(const char *, size_t, int);
static void	 py_print_format(struct py_print *, const struct pyval *, long,
		    long, int);
static void	 py_print_items(struct py_print *, const struct pyval *, long,
		    long);
static void	 py_print_split(struct py_print *, const struct pyval *, long,
		    int);
static void	 py_print_split_str(struct py_print *, const struct pyval *,
		    long, int);
static void	 py_print_split_bytes(struct py_print *, const struct pyval *,
		    long, int);

/*
 * The bytes of a split bytes value v from byte done on, their number in
 * *avail: all the rest, or at least PIECE_MAX + 1 of them, so that the
 * next piece can be told from them.  Fewer only where a spool cannot be
 * read, which ends the value there; *avail is 0 at its end.
 */
static const char *
py_print_window(struct py_print *c, const struct pyval *v, size_t done,
    size_t *avail)
{
	const char	*p;
	size_t		 rest = v->len - done, n;

	if (v->spool == NULL) {
		*avail = rest;
		return (v->s + done);
	}
	p = rwin_get(&c->win, v->spool, v->spool_off + done,
	    rest < PIECE_MAX + 1 ? rest : PIECE_MAX + 1, &n);
	*avail = n < rest ? n : rest;
	return (p);
}

/*
 * The length of the piece at s, of avail > 0 bytes, which hold the whole
 * value from there on or more than PIECE_MAX bytes: up to and including
 * the first '\n', or PIECE_MAX bytes (one more if that keeps a CRLF
 * whole; fewer for a str, so as not to cut a UTF-8 sequence).
 */
static size_t
py_print_piece_len(const char *s, size_t avail, int is_str)
{
	const char	*nl;
	size_t		 n;

	n = avail < PIECE_MAX ? avail : PIECE_MAX;
	if ((nl = memchr(s, '\n', n)) != NULL)
		return ((size_t)(nl - s) + 1);
	if (n < avail) {
		if (s[n - 1] == '\r' && s[n] == '\n')
			n++;
		else if (is_str) {
			while (n > PIECE_MAX - 3 && (s[n] & 0xc0) == 0x80)
				n--;
		}
	}
	return (n);
}

/*
 * The next piece of a split bytes value as one literal, after the first
 * leadlen bytes of lead (LEAD_MAX bytes: newline and indent, then spaces,
 * copied whole for speed, the rest overwritten): the piece is the one
 * py_print_piece_len() finds in s (avail > 0 bytes, as there), found here
 * in the same pass that escapes it.  The quote is ' unless the piece holds '
 * and no ": at the first ', with no " before it, the rest of the piece
 * is searched for one, and if there is none the opening quote, still in
 * the emitter, becomes ".  Returns the length of the piece.
 */
size_t
py_print_piece(struct emit *sk, const char *lead, size_t leadlen,
    const char *s, size_t avail)
{
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*end, *nl;
	char			*d, *qp;
	unsigned int		 c;
	int			 q = '\'', sq = 0, dq = 0;

	if (sk->size - sk->len < PIECE_ROOM)
		emit_flush(sk);
	d = sk->tmp + sk->len;
	memcpy(d, lead, LEAD_MAX);	/* a constant size: no call */
	d += leadlen;
	*d++ = 'b';
	qp = d;
	*d++ = '\'';
	end = p + (avail < PIECE_MAX ? avail : PIECE_MAX);
	for (;;) {
		if ((p = esc_copy_plain(&d, p, end)) == end)
			break;
		c = *p++;
		if (c == '\n') {
			*d++ = '\\';
			*d++ = 'n';
			goto done;
		}
		/* The common line end, at once: one mispredicted exit less. */
		if (c == '\r' && p < end && *p == '\n') {
			memcpy(d, "\\r\\n", 4);
			d += 4;
			p++;
			goto done;
		}
		if (c == '"')
			dq = 1;
		else if (c == '\'' && !sq && !dq) {
			/* The first ', no " before it: is there one after? */
			sq = 1;
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				nl = end;
			if (memchr(p, '"', (size_t)(nl - p)) == NULL)
				*qp = (char)(q = '"');
		}
		d = esc_byte(d, c, q);
	}
	/* No line end in PIECE_MAX bytes: keep a CRLF whole. */
	if ((size_t)(end - (const unsigned char *)s) < avail &&
	    end[-1] == '\r' && *end == '\n') {
		*d++ = '\\';
		*d++ = 'n';
		p++;
	}
done:
	*d++ = (char)q;
	sk->len = (size_t)(d - sk->tmp);
	return ((size_t)(p - (const unsigned char *)s));
}

/*
 * pprint's _format: the repr if it fits in the width left, else the value
 * laid out over several lines.  top is pprint's level 1, the value itself
 * rather than an item: a split bytes or str is wrapped in parens there.
 */
static void
py_print_format(struct py_print *c, const struct pyval *v, long indent,
    long allowance, int top)
{
	long	 max;

	max = PRINT_WIDTH - indent - allowance;
	if (v == NULL || (max >= 0 && py_repr_len(v, (size_t)max) <=
	    (size_t)max)) {
		py_repr_value(&c->sk, v, &c->win);
		return;
	}
	switch (v->type) {
	case PV_LIST:
		emit_addc(&c->sk, '[');
		py_print_items(c, v, indent, allowance + 1);
		emit_addc(&c->sk, ']');
		break;
	case PV_TUPLE:
		emit_addc(&c->sk, '(');
		py_print_items(c, v, indent, allowance + (v->n == 1 ? 2 : 1));
		emit_addstr(&c->sk, v->n == 1 ? ",)" : ")");
		break;
	case PV_BYTES:
		/* pprint prints up to 4 bytes whole, whatever the width. */
		if (pv_bytes_len(v) <= 4) {
			py_repr_value(&c->sk, v, &c->win);
			break;
		}
		py_print_split(c, v, indent, top);
		break;
	case PV_STR:
		py_print_split(c, v, indent, top);
		break;
	default:
		py_repr_value(&c->sk, v, &c->win);
		break;
	}
}

/* pprint's _format_items: one item per line, one column further in. */
static void
py_print_items(struct py_print *c, const struct pyval *v, long indent,
    long allowance)
{
	size_t	 i;

	indent++;
	for (i = 0; i < v->n; i++) {
		if (i > 0) {
			emit_add(&c->sk, ",\n", 2);
			emit_spaces(&c->sk, (size_t)indent);
		}
		py_print_format(c, v->items[i], indent,
		    i == v->n - 1 ? allowance : 1, 0);
	}
}

/*
 * A bytes or str that does not fit: its pieces as adjacent literals, one
 * per line at indent.  At the top level pprint wraps a split bytes value
 * in parens, and a split str when it has more than one piece.
 */
static void
py_print_split(struct py_print *c, const struct pyval *v, long indent,
    int top)
{
	if (v->type == PV_STR)
		py_print_split_str(c, v, indent, top);
	else
		py_print_split_bytes(c, v, indent, top);
}

/* A str is never spooled. */
static void
py_print_split_str(struct py_print *c, const struct pyval *v, long indent,
    int top)
{
	size_t	 done, n;
	int	 parens;

	if (v->len == 0) {
		py_repr_value(&c->sk, v, &c->win);
		return;
	}
	n = py_print_piece_len(v->s, v->len, 1);
	parens = top && n < v->len;
	if (parens) {
		emit_addc(&c->sk, '(');
		indent++;
	}
	for (done = 0;;) {
		py_repr_lit_str(&c->sk, v->s + done, n);
		if ((done += n) == v->len)
			break;
		emit_addc(&c->sk, '\n');
		emit_spaces(&c->sk, (size_t)indent);
		n = py_print_piece_len(v->s + done, v->len - done, 1);
	}
	if (parens)
		emit_addc(&c->sk, ')');
}

/*
 * Bytes, in memory or spooled, a window at a time: the pieces that the
 * window holds whole are printed without going back to it.
 */
static void
py_print_split_bytes(struct py_print *c, const struct pyval *v, long indent,
    int top)
{
	const char	*p;
	char		 lead[LEAD_MAX];
	size_t		 avail, done = 0, n, leadlen = 0;

	p = py_print_window(c, v, 0, &avail);
	if (avail == 0) {
		py_repr_value(&c->sk, v, &c->win);
		return;
	}
	if (top) {
		emit_addc(&c->sk, '(');
		indent++;
	}
	lead[0] = '\n';
	memset(lead + 1, ' ', LEAD_MAX - 1);
	if ((size_t)indent < LEAD_MAX)
		leadlen = (size_t)indent + 1;
	for (;;) {
		do {
			if (done > 0 && leadlen == 0) {
				emit_addc(&c->sk, '\n');
				emit_spaces(&c->sk, (size_t)indent);
			}
			n = py_print_piece(&c->sk, lead, done > 0 ? leadlen : 0,
			    p, avail);
			p += n;
			avail -= n;
			done += n;
		} while (avail > PIECE_MAX);
		if (done == v->len)
			break;
		p = py_print_window(c, v, done, &avail);
		if (avail == 0)
			break;
	}
	if (top)
		emit_addc(&c->sk, ')');
}

struct py_print *
py_print_new(struct out *o)
{
	struct py_print	*c;

	c = xmalloc(sizeof *c);
	emit_init(&c->sk, NULL, o, c->own);
	rwin_init(&c->win);
	return (c);
}

struct emit *
py_print_emit(struct py_print *c)
{
	return (&c->sk);
}

void
py_print_value(struct py_print *c, const struct pyval *v, long indent,
    long allowance)
{
	py_print_format(c, v, indent, allowance, 0);
}

void
py_print_free(struct py_print *c)
{
	if (c == NULL)
		return;
	rwin_free(&c->win);
	free(c);
}

void
py_print(struct out *o, const struct pyval *v)
{
	struct py_print	*c;

	c = py_print_new(o);
	py_print_format(c, v, 0, 0, 1);
	emit_addc(&c->sk, '\n');
	emit_flush(&c->sk);
	py_print_free(c);
}
