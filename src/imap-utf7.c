/*
 * imap-utf7.c: modified UTF-7 mailbox names (RFC 3501 section 5.1.3).
 *
 *	name	= *(direct / "&-" / run)
 *	direct	= %x20-25 / %x27-7E	; printable US-ASCII but "&"
 *	run	= "&" 1*b64char "-"	; UTF-16BE in modified base64
 *	b64char	= ALPHA / DIGIT / "+" / ","
 *
 * The encoder puts every character that is not printable US-ASCII
 * (controls, DEL and all of non-ASCII) into runs, one run per stretch of
 * such characters.  The decoder is strict in the way Dovecot's is: it takes
 * only what that encoder produces, because a name with two spellings is
 * two different names to a server, and a lax decoder would show a person
 * the same text for both.
 */
#include <stdint.h>

#include "imap-utf7.h"

/* RFC 2045 base64 with ',' for '/'. */
static const char	 utf7_b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

struct utf7_out {
	struct buf	*b;
	int		 full;		/* the buffer's cap was reached */
	uint32_t	 bits;		/* base64 bits not yet written */
	int		 nbits;
};

static int	 utf7_direct(int);
static int	 utf7_b64_value(int);
static int	 utf8_next(const unsigned char *, size_t, uint32_t *);
static void	 out_add(struct utf7_out *, const void *, size_t);
static void	 out_c(struct utf7_out *, int);
static void	 out_utf8(struct utf7_out *, uint32_t);
static void	 out_unit(struct utf7_out *, uint32_t);
static void	 out_run_end(struct utf7_out *);

/* Printable US-ASCII: stands for itself (after "&" is doubled as "&-"). */
static int
utf7_direct(int c)
{
	return (c >= 0x20 && c <= 0x7e);
}

/* The value of a modified base64 character, or -1. */
static int
utf7_b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return (c - 'A');
	if (c >= 'a' && c <= 'z')
		return (c - 'a' + 26);
	if (c >= '0' && c <= '9')
		return (c - '0' + 52);
	if (c == '+')
		return (62);
	if (c == ',')
		return (63);
	return (-1);
}

/*
 * The code point at p (n bytes available) into *cp.  Returns its length in
 * bytes, or -1 for a byte sequence that is not well-formed UTF-8 (Unicode
 * 3.9 table 3-7): overlong, a surrogate, past U+10FFFF, or cut short.
 */
static int
utf8_next(const unsigned char *p, size_t n, uint32_t *cp)
{
	uint32_t	 c, min;
	int		 len, i;

	c = p[0];
	if (c < 0x80) {
		*cp = c;
		return (1);
	}
	if (c < 0xc2)
		return (-1);
	if (c < 0xe0) {
		len = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c < 0xf0) {
		len = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c < 0xf5) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else
		return (-1);
	if (n < (size_t)len)
		return (-1);
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return (-1);
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return (-1);
	*cp = c;
	return (len);
}

static void
out_add(struct utf7_out *o, const void *p, size_t n)
{
	if (buf_add(o->b, p, n) == -1)
		o->full = 1;
}

static void
out_c(struct utf7_out *o, int c)
{
	char	ch = (char)c;

	out_add(o, &ch, 1);
}

static void
out_utf8(struct utf7_out *o, uint32_t cp)
{
	if (cp < 0x80)
		out_c(o, (int)cp);
	else if (cp < 0x800) {
		out_c(o, (int)(0xc0 | (cp >> 6)));
		out_c(o, (int)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		out_c(o, (int)(0xe0 | (cp >> 12)));
		out_c(o, (int)(0x80 | ((cp >> 6) & 0x3f)));
		out_c(o, (int)(0x80 | (cp & 0x3f)));
	} else {
		out_c(o, (int)(0xf0 | (cp >> 18)));
		out_c(o, (int)(0x80 | ((cp >> 12) & 0x3f)));
		out_c(o, (int)(0x80 | ((cp >> 6) & 0x3f)));
		out_c(o, (int)(0x80 | (cp & 0x3f)));
	}
}

/* One UTF-16 code unit into the current run. */
static void
out_unit(struct utf7_out *o, uint32_t unit)
{
	o->bits = (o->bits << 16) | unit;
	o->nbits += 16;
	while (o->nbits >= 6) {
		o->nbits -= 6;
		out_c(o, utf7_b64[(o->bits >> o->nbits) & 0x3f]);
	}
	o->bits &= (1u << o->nbits) - 1;
}

/* Close the current run: the last bits padded with zeros, then "-". */
static void
out_run_end(struct utf7_out *o)
{
	if (o->nbits > 0)
		out_c(o, utf7_b64[(o->bits << (6 - o->nbits)) & 0x3f]);
	out_c(o, '-');
	o->bits = 0;
	o->nbits = 0;
}

int
imap_utf8_to_utf7(const char *s, size_t len, struct buf *out, char **cause)
{
	const unsigned char	*p = (const unsigned char *)s;
	struct utf7_out		 o = { out, 0, 0, 0 };
	uint32_t		 cp;
	size_t			 i = 0;
	int			 n, in_run = 0;

	while (i < len) {
		if (utf7_direct(p[i])) {
			if (in_run) {
				out_run_end(&o);
				in_run = 0;
			}
			if (p[i] == '&')
				out_add(&o, "&-", 2);
			else
				out_c(&o, p[i]);
			i++;
			continue;
		}
		if ((n = utf8_next(p + i, len - i, &cp)) == -1) {
			xasprintf(cause, "not valid UTF-8 at byte %zu", i);
			return (-1);
		}
		if (cp == 0) {
			xasprintf(cause, "a NUL at byte %zu", i);
			return (-1);
		}
		if (!in_run) {
			out_c(&o, '&');
			in_run = 1;
		}
		if (cp >= 0x10000) {
			cp -= 0x10000;
			out_unit(&o, 0xd800 | (cp >> 10));
			out_unit(&o, 0xdc00 | (cp & 0x3ff));
		} else
			out_unit(&o, cp);
		i += (size_t)n;
	}
	if (in_run)
		out_run_end(&o);
	if (o.full) {
		*cause = xstrdup("name too long");
		return (-1);
	}
	return (0);
}

int
imap_utf7_to_utf8(const char *s, size_t len, struct buf *out, char **cause)
{
	const unsigned char	*p = (const unsigned char *)s;
	struct utf7_out		 o = { out, 0, 0, 0 };
	uint32_t		 bits, unit, high;
	size_t			 i = 0, start = 0, units, last_run_end = SIZE_MAX;
	int			 nbits, v;

	while (i < len) {
		if (!utf7_direct(p[i])) {
			xasprintf(cause, "byte %zu (0x%02x) is not printable "
			    "US-ASCII", i, p[i]);
			return (-1);
		}
		if (p[i] != '&') {
			out_c(&o, p[i++]);
			continue;
		}
		if (i + 1 < len && p[i + 1] == '-') {
			out_c(&o, '&');
			i += 2;
			continue;
		}
		if (i == last_run_end) {
			xasprintf(cause, "the run at byte %zu directly follows "
			    "another (one run would do)", i);
			return (-1);
		}
		start = i++;
		bits = 0;
		nbits = 0;
		high = 0;
		units = 0;
		for (;;) {
			if (i >= len) {
				xasprintf(cause, "the run at byte %zu has no "
				    "closing '-'", start);
				return (-1);
			}
			if (p[i] == '-')
				break;
			if ((v = utf7_b64_value(p[i])) == -1) {
				xasprintf(cause, "byte %zu (0x%02x) is not "
				    "modified base64", i, p[i]);
				return (-1);
			}
			bits = (bits << 6) | (uint32_t)v;
			nbits += 6;
			i++;
			if (nbits < 16)
				continue;
			nbits -= 16;
			unit = (bits >> nbits) & 0xffff;
			bits &= (1u << nbits) - 1;
			units++;
			if (high != 0) {
				if (unit < 0xdc00 || unit > 0xdfff)
					goto unpaired;
				out_utf8(&o, 0x10000 + ((high - 0xd800) << 10) +
				    (unit - 0xdc00));
				high = 0;
			} else if (unit >= 0xd800 && unit <= 0xdbff)
				high = unit;
			else if (unit >= 0xdc00 && unit <= 0xdfff)
				goto unpaired;
			else if (unit == 0) {
				xasprintf(cause, "the run at byte %zu holds a "
				    "NUL", start);
				return (-1);
			} else if (utf7_direct((int)unit)) {
				xasprintf(cause, "the run at byte %zu holds "
				    "'%c', which must stand for itself", start,
				    (int)unit);
				return (-1);
			} else
				out_utf8(&o, unit);
		}
		if (units == 0 || nbits >= 6 || bits != 0) {
			xasprintf(cause, "the run at byte %zu does not end on "
			    "a whole character", start);
			return (-1);
		}
		if (high != 0)
			goto unpaired;
		last_run_end = ++i;
	}
	if (o.full) {
		*cause = xstrdup("name too long");
		return (-1);
	}
	return (0);

unpaired:
	xasprintf(cause, "the run at byte %zu holds an unpaired UTF-16 "
	    "surrogate", start);
	return (-1);
}
