/*
 * esc.h: the byte classes, scanners and escapes that the Python repr
 * (py-repr.c), its layout (py-print.c) and terminal escaping (term.c)
 * share.  Private to them: nothing else needs to know how they escape.
 *
 * Speed: the bytes a repr copies as they are are found eight at a time
 * (esc_swar_special()) and copied as they are scanned; the other bytes
 * are classified by a table.  The scanners and the byte escape are
 * inline, because they are the inner loop of printing a FETCH; what is
 * not on that path (code points, the quote choice) is in esc.c.
 */
#ifndef ESC_H
#define ESC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "utf8.h"

#define ESC_MAX		10		/* longest escape: \U0010ffff */

#define ESC_SWAR_ONES	0x0101010101010101ULL
#define ESC_SWAR_HIGHS	0x8080808080808080ULL

/* Byte classes: for repr, only ESC_PLAIN is copied as is. */
enum {
	ESC_PLAIN,	/* printable ASCII */
	ESC_BSL,	/* backslash */
	ESC_QUOTE,	/* ' or " */
	ESC_TAB,
	ESC_LF,
	ESC_CR,
	ESC_CTL,	/* other C0 controls, DEL */
	ESC_HIGH	/* >= 0x80: escaped in bytes, UTF-8 in str */
};

extern const unsigned char	esc_class[256];
/* Length of each class in a repr (a quote may need one more). */
extern const unsigned char	esc_class_width[8];
/* The letter of the escapes \\ \t \n \r. */
extern const char		esc_class_letter[8];
extern const char		esc_hexdigits[17];

/*
 * The length (1-4) of the valid UTF-8 character at p (p < end) and its
 * code point in *cp, or 0 (utf8_next(): RFC 3629, by libunistring).
 */
static inline size_t
esc_utf8(const unsigned char *p, const unsigned char *end, uint32_t *cp)
{
	return (utf8_next((const char *)p, (size_t)(end - p), cp));
}

/* 1 if CPython's repr() shows code point cp (>= U+0080) as it is. */
int	 esc_cp_printable(uint32_t cp);
/* Write cp as CPython escapes it: \xhh, \uhhhh or \Uhhhhhhhh; the end. */
char	*esc_cp(char *d, uint32_t cp);
/* CPython's quote for s: ' unless it holds ' and no ". */
int	 esc_quote(const char *s, size_t len);

/*
 * Whether the 8 bytes of w hold one that a repr does not copy as it is
 * (C0 controls, DEL, bytes >= 0x80, ' " and \), as a mask of high bits.
 * Byte by byte, one of the sums sets the high bit of a special byte b:
 * b - 0x20 for b < 0x20 and 0xff, b + 1 for 0x7f..0xfe, (b ^ c) - 1 for
 * b == c; for a plain byte (0x20..0x7e but the three) each stays below
 * 0x80.  A borrow or carry crosses into the next byte up (in significance)
 * only from a special byte, so the mask is 0 if and only if the 8 bytes
 * are plain, and its least significant set byte is the first special one
 * (the bytes above it may be set falsely).
 */
static inline uint64_t
esc_swar_special(uint64_t w)
{
	return (((w - ESC_SWAR_ONES * 0x20) |		/* < 0x20, 0xff */
	    (w + ESC_SWAR_ONES) |			/* 0x7f..0xfe */
	    ((w ^ ESC_SWAR_ONES * '\'') - ESC_SWAR_ONES) |
	    ((w ^ ESC_SWAR_ONES * '"') - ESC_SWAR_ONES) |
	    ((w ^ ESC_SWAR_ONES * '\\') - ESC_SWAR_ONES)) & ESC_SWAR_HIGHS);
}

/*
 * The index of the first special byte of the 8 at p, given their nonzero
 * esc_swar_special() mask m.  On a little-endian machine that is the
 * lowest set byte of m; elsewhere (where a borrow may have set a byte
 * before the first special one) the table says.
 */
static inline size_t
esc_swar_first(uint64_t m, const unsigned char *p)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	(void)p;
	return ((size_t)__builtin_ctzll(m) >> 3);
#else
	size_t	 i;

	(void)m;
	for (i = 0; esc_class[p[i]] == ESC_PLAIN; i++)
		;
	return (i);
#endif
}

/* The first byte of [p, end) a repr escapes, or end. */
static inline const unsigned char *
esc_skip_plain(const unsigned char *p, const unsigned char *end)
{
	uint64_t	 w, m;

	while ((size_t)(end - p) >= 8) {
		memcpy(&w, p, 8);
		if ((m = esc_swar_special(w)) != 0)
			return (p + esc_swar_first(m, p));
		p += 8;
	}
	while (p < end && esc_class[*p] == ESC_PLAIN)
		p++;
	return (p);
}

/*
 * As esc_skip_plain(), copying the bytes skipped to *dp and advancing it.
 * Up to 7 bytes past the copy may be written too: *dp must have room for
 * end - p bytes.
 */
static inline const unsigned char *
esc_copy_plain(char **dp, const unsigned char *p, const unsigned char *end)
{
	char		*d = *dp;
	uint64_t	 w, m;
	size_t		 k, words;

	for (words = (size_t)(end - p) / 8; words > 0; words--) {
		memcpy(&w, p, 8);
		memcpy(d, &w, 8);
		if ((m = esc_swar_special(w)) != 0) {
			k = esc_swar_first(m, p);
			*dp = d + k;
			return (p + k);
		}
		p += 8;
		d += 8;
	}
	while (p < end && esc_class[*p] == ESC_PLAIN)
		*d++ = (char)*p++;
	*dp = d;
	return (p);
}

/* Write \xhh at d; returns the end. */
static inline char *
esc_hex(char *d, unsigned int c)
{
	d[0] = '\\';
	d[1] = 'x';
	d[2] = esc_hexdigits[(c >> 4) & 0xf];
	d[3] = esc_hexdigits[c & 0xf];
	return (d + 4);
}

/*
 * Write byte c (not ESC_PLAIN) as a bytes literal quoted with q shows it;
 * returns the end.
 */
static inline char *
esc_byte(char *d, unsigned int c, int q)
{
	unsigned int	 k;

	switch ((k = esc_class[c])) {
	case ESC_QUOTE:
		if ((int)c == q)
			*d++ = '\\';
		*d++ = (char)c;
		break;
	case ESC_BSL:
	case ESC_TAB:
	case ESC_LF:
	case ESC_CR:
		*d++ = '\\';
		*d++ = esc_class_letter[k];
		break;
	default:
		d = esc_hex(d, c);
		break;
	}
	return (d);
}

#endif
