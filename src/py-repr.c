/*
 * py-repr.c: CPython's repr() of str and bytes, and of a pyval on one
 * line (see py-repr.h), written through an emitter (emit.h) so that the
 * printers lay out with the very same code.
 *
 * The bytes that need no escape are found eight at a time and copied as
 * they are scanned (esc.h); bytes are escaped a chunk at a time into room
 * reserved for the worst case, so the inner loop checks no bounds.  A
 * spooled value is read twice through a window (rwin.h): once for the
 * quote choice, once to print.  Whether a value fits on a line is
 * computed with an early exit, so a 50 MB literal is never measured.
 */
#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "emit.h"
#include "esc.h"
#include "py-repr.h"
#include "rwin.h"

#define REPR_CHUNK	(EMIT_ROOM / 4)	/* see py_repr_bytes_body() */

static void	 py_repr_bytes_body(struct emit *, const char *, size_t, int);
static void	 py_repr_str_body(struct emit *, const char *, size_t, int);
static void	 py_repr_lit_bytes(struct emit *, const char *, size_t);
static void	 py_repr_lit_spool(struct emit *, const struct pyval *,
		    struct rwin *);
static size_t	 py_repr_len_bytes(const char *, size_t, size_t);
static size_t	 py_repr_len_str(const char *, size_t, size_t);
static void	 py_repr_to_buf(struct buf *, void (*)(struct emit *, const char *,
		    size_t), const char *, size_t);

/*
 * The inside of a bytes literal quoted with q, REPR_CHUNK bytes at a time:
 * the emitter is flushed unless it has room for all of a chunk escaped, and
 * the chunk is then written into it without further checks.
 */
static void
py_repr_bytes_body(struct emit *sk, const char *s, size_t len, int q)
{
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*end = p + len, *stop;
	char			*d;
	size_t			 n;

	while (p < end) {
		n = (size_t)(end - p) < REPR_CHUNK ? (size_t)(end - p) :
		    REPR_CHUNK;
		if (sk->size - sk->len < 4 * n)
			emit_flush(sk);
		d = sk->tmp + sk->len;
		stop = p + n;
		while ((p = esc_copy_plain(&d, p, stop)) < stop)
			d = esc_byte(d, *p++, q);
		sk->len = (size_t)(d - sk->tmp);
	}
}

/*
 * The inside of a str literal quoted with q; s is UTF-8.  Printable
 * non-ASCII characters extend a run like plain ASCII; bytes that are not
 * valid UTF-8 (never passed, by contract) come out as \xhh.
 */
static void
py_repr_str_body(struct emit *sk, const char *s, size_t len, int q)
{
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*end = p + len, *run;
	unsigned int		 c, k;
	uint32_t		 cp;
	size_t			 n;
	char			*d;

	while (p < end) {
		run = p;
		for (;;) {
			p = esc_skip_plain(p, end);
			if (p < end && *p >= 0x80 &&
			    (n = esc_utf8(p, end, &cp)) != 0 &&
			    esc_cp_printable(cp)) {
				p += n;
				continue;
			}
			break;
		}
		if (p != run)
			emit_add(sk, run, (size_t)(p - run));
		if (p == end)
			break;
		if (sk->size - sk->len < ESC_MAX)
			emit_flush(sk);
		d = sk->tmp + sk->len;
		c = *p;
		switch ((k = esc_class[c])) {
		case ESC_QUOTE:
			if ((int)c == q)
				*d++ = '\\';
			*d++ = (char)c;
			p++;
			break;
		case ESC_BSL:
		case ESC_TAB:
		case ESC_LF:
		case ESC_CR:
			*d++ = '\\';
			*d++ = esc_class_letter[k];
			p++;
			break;
		case ESC_HIGH:
			if ((n = esc_utf8(p, end, &cp)) == 0) {
				d = esc_hex(d, c);
				p++;
			} else {
				d = esc_cp(d, cp);
				p += n;
			}
			break;
		default:
			d = esc_hex(d, c);
			p++;
			break;
		}
		sk->len = (size_t)(d - sk->tmp);
	}
}

static void
py_repr_lit_bytes(struct emit *sk, const char *s, size_t len)
{
	int	 q;

	q = esc_quote(s, len);
	emit_addc(sk, 'b');
	emit_addc(sk, (char)q);
	py_repr_bytes_body(sk, s, len, q);
	emit_addc(sk, (char)q);
}

void
py_repr_lit_str(struct emit *sk, const char *s, size_t len)
{
	int	 q;

	q = esc_quote(s, len);
	emit_addc(sk, (char)q);
	py_repr_str_body(sk, s, len, q);
	emit_addc(sk, (char)q);
}

/*
 * Spooled bytes (spool_off, len) as one bytes literal, read twice through
 * the window: once for the quote choice, once to print.  If the spool
 * cannot be read, what was read is printed and the literal closed.
 */
static void
py_repr_lit_spool(struct emit *sk, const struct pyval *v, struct rwin *w)
{
	const char	*p;
	uint64_t	 off, stop = v->spool_off + v->len;
	size_t		 n;
	int		 sq = 0, dq = 0, q;

	for (off = v->spool_off; off < stop && !(sq && dq); off += n) {
		p = rwin_get(w, v->spool, off, 1, &n);
		if (n > stop - off)
			n = (size_t)(stop - off);
		if (n == 0)
			break;
		sq = sq || memchr(p, '\'', n) != NULL;
		dq = dq || memchr(p, '"', n) != NULL;
	}
	q = sq && !dq ? '"' : '\'';
	emit_addc(sk, 'b');
	emit_addc(sk, (char)q);
	for (off = v->spool_off; off < stop; off += n) {
		p = rwin_get(w, v->spool, off, 1, &n);
		if (n > stop - off)
			n = (size_t)(stop - off);
		if (n == 0)
			break;
		py_repr_bytes_body(sk, p, n, q);
	}
	emit_addc(sk, (char)q);
}

/* The one-line repr of v; spools are read through w. */
void
py_repr_value(struct emit *sk, const struct pyval *v, struct rwin *w)
{
	char	 num[32];
	size_t	 i;
	int	 n;

	if (v == NULL) {
		emit_addstr(sk, "None");
		return;
	}
	switch (v->type) {
	case PV_NONE:
		emit_addstr(sk, "None");
		break;
	case PV_BOOL:
		emit_addstr(sk, v->i ? "True" : "False");
		break;
	case PV_INT:
		n = snprintf(num, sizeof num, "%lld", v->i);
		emit_add(sk, num, (size_t)n);
		break;
	case PV_STR:
		py_repr_lit_str(sk, v->s, v->len);
		break;
	case PV_BYTES:
		if (v->spool == NULL)
			py_repr_lit_bytes(sk, v->s, v->len);
		else
			py_repr_lit_spool(sk, v, w);
		break;
	case PV_TUPLE:
	case PV_LIST:
		emit_addc(sk, v->type == PV_TUPLE ? '(' : '[');
		for (i = 0; i < v->n; i++) {
			if (i > 0)
				emit_add(sk, ", ", 2);
			py_repr_value(sk, v->items[i], w);
		}
		if (v->type == PV_TUPLE && v->n == 1)
			emit_addc(sk, ',');
		emit_addc(sk, v->type == PV_TUPLE ? ')' : ']');
		break;
	}
}

/*
 * The length of a repr, with an early exit: the exact length if it is at
 * most limit, else some number greater than limit (counting stops there).
 */
static size_t
py_repr_len_bytes(const char *s, size_t len, size_t limit)
{
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*end = p + len, *run;
	size_t			 total = 3, sq = 0, dq = 0;

	if (len > limit)
		return (len);
	while (p < end && total <= limit) {
		run = p;
		p = esc_skip_plain(p, end);
		total += (size_t)(p - run);
		if (p == end)
			break;
		total += esc_class_width[esc_class[*p]];
		sq += *p == '\'';
		dq += *p == '"';
		p++;
	}
	/* The quote is escaped when ' is the quote: CPython's choice. */
	if (sq != 0 && dq == 0)
		return (total);
	return (total + sq);
}

/* As py_repr_len_bytes for a str: Python counts code points, not bytes. */
static size_t
py_repr_len_str(const char *s, size_t len, size_t limit)
{
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*end = p + len;
	size_t			 total = 2, sq = 0, dq = 0;
	uint32_t		 cp;
	size_t			 n;

	while (p < end && total <= limit) {
		if (*p < 0x80) {
			total += esc_class_width[esc_class[*p]];
			sq += *p == '\'';
			dq += *p == '"';
			p++;
		} else if ((n = esc_utf8(p, end, &cp)) == 0) {
			total += 4;
			p++;
		} else {
			if (esc_cp_printable(cp))
				total += 1;
			else
				total += cp <= 0xff ? 4 : cp <= 0xffff ? 6 : 10;
			p += n;
		}
	}
	if (sq != 0 && dq == 0)
		return (total);
	return (total + sq);
}

size_t
py_repr_len(const struct pyval *v, size_t limit)
{
	char		 small[PY_REPR_PEEK + 8];
	size_t		 total, i;
	ssize_t		 n;

	if (v == NULL)
		return (4);
	switch (v->type) {
	case PV_NONE:
		return (4);
	case PV_BOOL:
		return (v->i ? 4 : 5);
	case PV_INT:
		return ((size_t)snprintf(small, sizeof small, "%lld", v->i));
	case PV_STR:
		return (py_repr_len_str(v->s, v->len, limit));
	case PV_BYTES:
		if (v->spool == NULL)
			return (py_repr_len_bytes(v->s, v->len, limit));
		/* b'' around at least one character per byte. */
		if (v->len + 3 > limit || v->len > PY_REPR_PEEK)
			return (v->len + 3);
		n = spool_read(v->spool, v->spool_off, small, v->len);
		if (n != (ssize_t)v->len)
			return (limit + 1);	/* unreadable: lay it out */
		return (py_repr_len_bytes(small, v->len, limit));
	case PV_TUPLE:
	case PV_LIST:
		total = v->type == PV_TUPLE && v->n == 1 ? 3 : 2;
		for (i = 0; i < v->n && total <= limit; i++) {
			if (i > 0)
				total += 2;
			if (total > limit)
				break;
			total += py_repr_len(v->items[i], limit - total);
		}
		return (total);
	}
	return (0);
}

/*
 * The repr functions append to b; if b reaches its cap, the rest is
 * dropped and b ends with a prefix of the repr.
 */
void
py_bytes_repr(struct buf *b, const char *s, size_t len)
{
	py_repr_to_buf(b, py_repr_lit_bytes, s, len);
}

void
py_str_repr(struct buf *b, const char *s, size_t len)
{
	py_repr_to_buf(b, py_repr_lit_str, s, len);
}

/* The literal lit writes for s, appended to b through an emitter. */
static void
py_repr_to_buf(struct buf *b, void (*lit)(struct emit *, const char *,
    size_t), const char *s, size_t len)
{
	struct emit	 sk;
	char		 tmp[EMIT_SIZE];

	emit_init(&sk, b, NULL, tmp);
	lit(&sk, s, len);
	emit_flush(&sk);
}

void
py_repr(struct buf *b, const struct pyval *v)
{
	struct emit	 sk;
	struct rwin	 w;
	char		 tmp[EMIT_SIZE];

	emit_init(&sk, b, NULL, tmp);
	rwin_init(&w);
	py_repr_value(&sk, v, &w);
	emit_flush(&sk);
	rwin_free(&w);
}
