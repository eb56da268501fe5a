/*
 * term-lines.c: terminal-safe text that keeps its line breaks.
 *
 * The text is cut at CR and LF (bytes that never occur inside a UTF-8
 * sequence, so no character is split), the pieces in between go through
 * term_escape(), and the line ends become newlines.  Only CRLF and LF are
 * line ends: a lone CR moves the cursor back over what was printed, so it
 * stays an escape.  Text that comes in chunks is cut at arbitrary points:
 * a CR at the end waits to see whether an LF follows, and the first bytes
 * of a UTF-8 character wait for the rest, so a chunk boundary never
 * changes what is shown.
 */
#include <string.h>

#include "term-lines.h"
#include "term.h"

static const char	*term_lines_stop(const char *, const char *);
static size_t		 term_lines_seqlen(unsigned char);
static size_t		 term_lines_cut(const char *, size_t);
static size_t		 term_lines_resume(struct buf *, const char *, size_t,
			    struct term_lines *);

/* The first CR or LF in [p, end), or end. */
static const char *
term_lines_stop(const char *p, const char *end)
{
	const char	*lf = memchr(p, '\n', (size_t)(end - p));
	const char	*cr = memchr(p, '\r', (size_t)(lf != NULL ? lf - p :
			    end - p));

	if (cr != NULL)
		return (cr);
	return (lf != NULL ? lf : end);
}

/* The length of the UTF-8 sequence a lead byte starts, 0 if none. */
static size_t
term_lines_seqlen(unsigned char c)
{
	if (c >= 0xc2 && c <= 0xdf)
		return (2);
	if (c >= 0xe0 && c <= 0xef)
		return (3);
	if (c >= 0xf0 && c <= 0xf4)
		return (4);
	return (0);
}

/* How many bytes at the end of s start a UTF-8 character they do not
 * finish (0 to 3). */
static size_t
term_lines_cut(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, k, n;

	for (k = 1; k <= 3 && k <= len; k++) {
		i = len - k;
		if ((p[i] & 0xc0) == 0x80)
			continue;	/* a continuation byte: look further */
		n = term_lines_seqlen(p[i]);
		return (n > k ? k : 0);
	}
	return (0);
}

/*
 * Finish what the last chunk left in *tl with the start of s; returns how
 * many bytes of s that used.
 */
static size_t
term_lines_resume(struct buf *b, const char *s, size_t len,
    struct term_lines *tl)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 need, used = 0;

	if (tl->cr) {
		tl->cr = 0;
		if (len > 0 && *p == '\n') {
			buf_addc(b, '\n');
			return (1);
		}
		term_escape(b, "\r", 1);
		return (0);
	}
	if (tl->nheld == 0)
		return (0);
	need = term_lines_seqlen(tl->held[0]);
	while (tl->nheld < need && used < len && (p[used] & 0xc0) == 0x80)
		tl->held[tl->nheld++] = p[used++];
	if (tl->nheld < need && used == len)
		return (used);		/* still not whole: wait on */
	term_escape(b, (const char *)tl->held, tl->nheld);
	tl->nheld = 0;
	return (used);
}

void
term_lines_escape(struct buf *b, const char *s, size_t len,
    struct term_lines *tl)
{
	const char	*p = s, *end = s + len, *q;
	size_t		 cut;

	if (len == 0)
		return;
	p += term_lines_resume(b, s, len, tl);
	while (p < end) {
		q = term_lines_stop(p, end);
		if (q == end && (cut = term_lines_cut(p,
		    (size_t)(q - p))) > 0) {
			q -= cut;
			memcpy(tl->held, q, cut);
			tl->nheld = cut;
		}
		if (q > p)
			term_escape(b, p, (size_t)(q - p));
		if (q == end || tl->nheld > 0)
			break;
		if (*q == '\n') {
			buf_addc(b, '\n');
			p = q + 1;
		} else if (q + 1 == end) {
			tl->cr = 1;	/* an LF may start the next chunk */
			break;
		} else if (q[1] == '\n') {
			buf_addc(b, '\n');
			p = q + 2;
		} else {
			term_escape(b, q, 1);
			p = q + 1;
		}
	}
}

void
term_lines_end(struct buf *b, struct term_lines *tl)
{
	if (tl->cr)
		term_escape(b, "\r", 1);
	if (tl->nheld > 0)
		term_escape(b, (const char *)tl->held, tl->nheld);
	memset(tl, 0, sizeof *tl);
}
