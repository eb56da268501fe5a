/*
 * py-live.c: the python printer's layout of ('OK', [items]) written while
 * a FETCH's responses arrive (see py-live.h), through py-print.c's layout
 * of each item and of each piece of a literal.
 *
 * Once ('OK', [items]) does not fit on one line, py_print_format() lays
 * it out as
 *
 *	('OK',
 *	 [(b'1 (BODY[] {1234}',
 *	   b'Subject: hi\r\n'
 *	   b'...'),
 *	  b')',
 *	  ...])
 *
 * with every item at indent 2 and allowance 1, but the last, whose
 * allowance is 2 (the "])" after it).  So items wait in pending until the
 * list's one-line repr passes LIVE_FIT (the width left for it: when it
 * fits there, the pair may still fit on one line, or the list on the
 * line after 'OK'); then the head is written, and from then on each item
 * is written when the next one comes.  A literal longer than LIVE_SMALL
 * is written as it comes, in its (line, literal) tuple, without waiting:
 * such a tuple is never on one line, at any allowance; its literal's
 * pieces depend only on their own bytes (py_print_piece()); and it is
 * never the last item, because the rest of the response line after a literal
 * is always filed as an item of its own.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "py-live.h"
#include "py-print.h"
#include "py-repr.h"
#include "xmalloc.h"

#define LIVE_INDENT	2
#define LIVE_FIT	(PRINT_WIDTH - 2)
#define LIVE_SMALL	256

struct py_live {
	struct py_print	*pp;		/* the layout */
	struct emit	*sk;		/* and its emitter */
	struct pyval	*pending;	/* items not written yet (copies) */
	size_t		 plen;		/* one-line length of [pending...] */
	int		 started;	/* the head is written */
	size_t		 nout;		/* items written */
	int		 in_lit;	/* 1: a small literal, 2: a big one */
	struct pyval	*lit_line;	/* a small literal's line */
	struct buf	 small;		/* and its bytes */
	uint64_t	 lit_done;	/* bytes of a big one printed */
	size_t		 ncarry;
	char		 lead[LEAD_MAX];
	char		 carry[2 * (PIECE_MAX + 1)];
};

static void	 py_live_enter(struct py_live *);
static void	 py_live_sep(struct py_live *);
static void	 py_live_put(struct py_live *, const struct pyval *, int);
static void	 py_live_write(struct py_live *, size_t);
static size_t	 py_live_pieces(struct py_live *, const char *, size_t, int);

struct py_live *
py_live_new(struct out *o)
{
	struct py_live	*l;

	l = xcalloc(1, sizeof *l);
	l->pp = py_print_new(o);
	l->sk = py_print_emit(l->pp);
	l->pending = pv_list();
	l->plen = 2;
	l->lead[0] = '\n';
	memset(l->lead + 1, ' ', LEAD_MAX - 1);
	buf_init(&l->small, LIVE_SMALL);
	return (l);
}

/*
 * Between calls the out may have been flushed (a trace line flushes
 * stdout first): stage anew where its buffer now ends.
 */
static void
py_live_enter(struct py_live *l)
{
	emit_stage(l->sk);
}

/* The separator before an item that is not the first. */
static void
py_live_sep(struct py_live *l)
{
	if (l->nout++ > 0) {
		emit_add(l->sk, ",\n", 2);
		emit_spaces(l->sk, LIVE_INDENT);
	}
}

/* One item of the list, after its separator. */
static void
py_live_put(struct py_live *l, const struct pyval *v, int last)
{
	py_live_sep(l);
	py_print_value(l->pp, v, LIVE_INDENT, last ? 2 : 1);
}

/* Write the head if need be, then the pending items but the last keep
 * of them (0 or 1), none of them the list's last. */
static void
py_live_write(struct py_live *l, size_t keep)
{
	struct pyval	*p = l->pending;
	size_t		 i, n;

	if (!l->started) {
		emit_addstr(l->sk, PY_LIVE_HEAD "\n [");
		l->started = 1;
	}
	n = p->n > keep ? p->n - keep : 0;
	for (i = 0; i < n; i++) {
		py_live_put(l, p->items[i], 0);
		pv_free(p->items[i]);
	}
	if (n > 0 && p->n > n)
		memmove(p->items, p->items + n, (p->n - n) * sizeof *p->items);
	p->n -= n;
}

void
py_live_item(struct py_live *l, const struct pyval *v)
{
	py_live_enter(l);
	pv_append(l->pending, pv_copy(v));
	if (!l->started) {
		l->plen += (l->pending->n > 1 ? 2 : 0) +
		    py_repr_len(v, LIVE_FIT + 1);
		if (l->plen <= LIVE_FIT)
			return;
	}
	py_live_write(l, 1);
	emit_flush(l->sk);
}

void
py_live_lit_begin(struct py_live *l, const struct pyval *line, uint64_t size)
{
	py_live_enter(l);
	if (size <= LIVE_SMALL) {
		l->in_lit = 1;
		pv_free(l->lit_line);
		l->lit_line = pv_copy(line);
		buf_reset(&l->small);
		return;
	}
	py_live_write(l, 0);
	py_live_sep(l);
	emit_addc(l->sk, '(');
	py_print_value(l->pp, line, LIVE_INDENT + 1, 1);
	emit_add(l->sk, ",\n", 2);
	emit_spaces(l->sk, LIVE_INDENT + 1);
	l->in_lit = 2;
	l->lit_done = 0;
	l->ncarry = 0;
	emit_flush(l->sk);
}

/*
 * Print the pieces of a big literal that p (avail bytes from lit_done
 * on) settles: while more than PIECE_MAX bytes are left, as split_bytes()
 * does, and at the end all of them.  Returns the bytes used.
 */
static size_t
py_live_pieces(struct py_live *l, const char *p, size_t avail, int end)
{
	size_t	 used = 0, k;

	while (avail > PIECE_MAX || (end && avail > 0)) {
		k = py_print_piece(l->sk, l->lead, l->lit_done > 0 ?
		    LIVE_INDENT + 2 : 0, p, avail);
		p += k;
		avail -= k;
		used += k;
		l->lit_done += k;
	}
	return (used);
}

/*
 * The bytes of a big literal.  What a chunk leaves unsettled (at most
 * PIECE_MAX bytes) waits in carry; the next chunk tops carry up with
 * PIECE_MAX + 1 bytes, which settles every piece that starts in it, and
 * the bytes of that top-up left over go back to the chunk, so the data
 * is printed from where it lies and carry copies little.
 */
void
py_live_lit_data(struct py_live *l, const char *p, size_t n)
{
	size_t	 k, t, left;

	py_live_enter(l);
	if (l->in_lit == 1) {
		if (buf_add(&l->small, p, n) == -1)
			l->in_lit = 0;	/* longer than announced: aborts */
		return;
	}
	if (l->in_lit != 2)
		return;
	while (n > 0) {
		if (l->ncarry == 0) {
			k = py_live_pieces(l, p, n, 0);
			memcpy(l->carry, p + k, n - k);
			l->ncarry = n - k;
			break;
		}
		t = n < PIECE_MAX + 1 ? n : PIECE_MAX + 1;
		memcpy(l->carry + l->ncarry, p, t);
		l->ncarry += t;
		p += t;
		n -= t;
		k = py_live_pieces(l, l->carry, l->ncarry, 0);
		left = l->ncarry - k;
		if (left <= t) {
			p -= left;
			n += left;
			l->ncarry = 0;
		} else {
			memmove(l->carry, l->carry + k, left);
			l->ncarry = left;
		}
	}
	emit_flush(l->sk);
}

void
py_live_lit_end(struct py_live *l)
{
	struct pyval	*t;

	py_live_enter(l);
	if (l->in_lit == 1) {
		t = pv_tuple();
		pv_append(t, l->lit_line);
		pv_append(t, pv_bytes(l->small.len > 0 ? l->small.data : "",
		    l->small.len));
		l->lit_line = NULL;
		l->in_lit = 0;
		py_live_item(l, t);
		pv_free(t);
		return;
	}
	if (l->in_lit != 2)
		return;
	if (l->lit_done == 0 && l->ncarry == 0)
		emit_add(l->sk, "b''", 3);
	else
		py_live_pieces(l, l->carry, l->ncarry, 1);
	l->ncarry = 0;
	emit_addc(l->sk, ')');
	l->in_lit = 0;
	emit_flush(l->sk);
}

int
py_live_started(const struct py_live *l)
{
	return (l->started);
}

struct pyval *
py_live_take_pending(struct py_live *l)
{
	struct pyval	*p;

	if (l->started)
		return (NULL);
	p = l->pending;
	l->pending = pv_list();
	l->plen = 2;
	return (p);
}

void
py_live_finish(struct py_live *l)
{
	if (!l->started)
		return;
	py_live_enter(l);
	if (l->pending->n > 0) {
		py_live_write(l, 1);
		py_live_put(l, l->pending->items[0], 1);
	}
	emit_add(l->sk, "])\n", 3);
	emit_flush(l->sk);
}

void
py_live_cut(struct py_live *l)
{
	if (l->in_lit != 0)
		py_live_lit_end(l);
	py_live_finish(l);
}

void
py_live_free(struct py_live *l)
{
	if (l == NULL)
		return;
	pv_free(l->pending);
	pv_free(l->lit_line);
	buf_free(&l->small);
	py_print_free(l->pp);
	free(l);
}
