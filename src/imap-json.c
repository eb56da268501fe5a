/*
 * imap-json.c: the JSON output format (see imap-json.h for the schema).
 *
 * Spooled literals are read back in chunks, twice: once to learn whether
 * they are valid UTF-8, once to write them, so memory stays flat.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imap-json.h"
#include "sasl.h"
#include "utf8.h"
#include "xmalloc.h"

#define JSON_CHUNK	(64 * 1024)

static void	json_escape(struct out *, const char *, size_t);
static int	json_unsafe_cp(uint32_t);
static void	json_string(struct out *, const char *, size_t);
static void	json_value(struct out *, const struct pyval *);
static void	json_bytes(struct out *, const struct pyval *);
static int	json_spool_valid(const struct pyval *, char *);
static void	json_spool_text(struct out *, const struct pyval *, char *);
static void	json_spool_base64(struct out *, const struct pyval *, char *);
static size_t	json_whole_chars(const char *, size_t);

/* 1 for a character a terminal could act on: C1 controls U+0080-U+009F,
 * bidi and format characters.  Legal in JSON, escaped all the same. */
static int
json_unsafe_cp(uint32_t cp)
{
	return ((cp >= 0x80 && cp <= 0x9f) || cp == 0x061c ||
	    (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 &&
	    cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2069) ||
	    cp == 0xfeff);
}

/*
 * The body of a JSON string (no quotes): control bytes, DEL, quote and
 * backslash escaped, so nothing reaches a terminal raw.  s should be
 * valid UTF-8 (RFC 3629); a byte that does not start a valid character
 * becomes U+FFFD, so the output is valid UTF-8 whatever s holds.
 */
static void
json_escape(struct out *o, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t		 i, start = 0, n;
	unsigned char	 c;
	char		 esc[6] = { '\\', 'u', '0', '0', 0, 0 }, uesc[8];
	uint32_t	 cp;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x80) {
			n = utf8_next(s + i, len - i, &cp);
			if (n > 0 && !json_unsafe_cp(cp)) {
				i += n - 1;
				continue;
			}
			out_write(o, s + start, i - start);
			if (n == 0) {
				out_puts(o, "\\ufffd");
				n = 1;
			} else {
				snprintf(uesc, sizeof uesc, "\\u%04x",
				    (unsigned int)cp);
				out_puts(o, uesc);
			}
			i += n - 1;
			start = i + 1;
			continue;
		}
		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
			continue;
		out_write(o, s + start, i - start);
		start = i + 1;
		if (c == '"')
			out_puts(o, "\\\"");
		else if (c == '\\')
			out_puts(o, "\\\\");
		else if (c == '\n')
			out_puts(o, "\\n");
		else if (c == '\r')
			out_puts(o, "\\r");
		else if (c == '\t')
			out_puts(o, "\\t");
		else {
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xf];
			out_write(o, esc, 6);
		}
	}
	out_write(o, s + start, len - start);
}

/* A JSON string of UTF-8 text (invalid bytes become U+FFFD). */
static void
json_string(struct out *o, const char *s, size_t len)
{
	out_putc(o, '"');
	json_escape(o, s, len);
	out_putc(o, '"');
}

/* 1 if the spooled bytes of v are valid UTF-8 (read in chunks). */
static int
json_spool_valid(const struct pyval *v, char *chunk)
{
	struct utf8_check	 u;
	uint64_t		 off, left;
	ssize_t			 n;
	size_t			 want;

	utf8_check_init(&u);
	for (off = 0, left = v->len; left > 0; ) {
		want = left > JSON_CHUNK ? JSON_CHUNK : (size_t)left;
		if ((n = spool_read(v->spool, v->spool_off + off, chunk,
		    want)) <= 0)
			return (0);
		if (!utf8_check_feed(&u, chunk, (size_t)n))
			return (0);
		off += (uint64_t)n;
		left -= (uint64_t)n;
	}
	return (utf8_check_end(&u));
}

/*
 * How much of the valid UTF-8 in s[0..len) ends on a character boundary:
 * len, less a character cut short at the end.
 */
static size_t
json_whole_chars(const char *s, size_t len)
{
	size_t		 j, need;
	unsigned char	 c;

	for (j = len; j > 0 && len - j < 4; j--) {
		c = (unsigned char)s[j - 1];
		if ((c & 0xc0) == 0x80)
			continue;
		need = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
		return (len - (j - 1) < need ? j - 1 : len);
	}
	return (len);
}

/* The spooled bytes of v, known to be valid UTF-8, as a JSON string. */
static void
json_spool_text(struct out *o, const struct pyval *v, char *chunk)
{
	uint64_t	 off, left;
	ssize_t		 n;
	size_t		 want, whole;

	out_putc(o, '"');
	for (off = 0, left = v->len; left > 0; ) {
		want = left > JSON_CHUNK ? JSON_CHUNK : (size_t)left;
		if ((n = spool_read(v->spool, v->spool_off + off, chunk,
		    want)) <= 0)
			break;
		/* Escape whole characters only: one cut by the chunk's end
		 * is read again with the next chunk. */
		whole = json_whole_chars(chunk, (size_t)n);
		if (whole == 0)
			whole = (size_t)n;
		json_escape(o, chunk, whole);
		off += whole;
		left -= whole;
	}
	out_putc(o, '"');
}

/* The base64 of the spooled bytes of v. */
static void
json_spool_base64(struct out *o, const struct pyval *v, char *chunk)
{
	struct buf	 b;
	uint64_t	 off, left;
	ssize_t		 n;
	size_t		 want;

	/* base64 in multiples of 3 bytes so pieces join cleanly */
	for (off = 0, left = v->len; left > 0; ) {
		want = left > JSON_CHUNK - JSON_CHUNK % 3 ?
		    JSON_CHUNK - JSON_CHUNK % 3 : (size_t)left;
		if ((n = spool_read(v->spool, v->spool_off + off,
		    chunk, want)) <= 0)
			break;
		if ((size_t)n != want && (uint64_t)n != left)
			want = (size_t)n - (size_t)n % 3;
		else
			want = (size_t)n;
		buf_init(&b, 0);
		sasl_b64_encode(chunk, want, &b);
		out_write(o, b.data == NULL ? "" : b.data, b.len);
		buf_free(&b);
		off += want;
		left -= want;
	}
}

/*
 * Bytes, whatever they are: {"text": "...", "base64": "..."}, with "text"
 * only when they are valid UTF-8 (RFC 3629), so .base64 always holds them
 * exactly.  Spooled literals are read back in chunks.
 */
static void
json_bytes(struct out *o, const struct pyval *v)
{
	struct buf	 b;
	char		*chunk;

	if (v->spool == NULL) {
		if (utf8_valid(v->s, v->len)) {
			out_puts(o, "{\"text\": ");
			json_string(o, v->s, v->len);
			out_puts(o, ", ");
		} else
			out_putc(o, '{');
		buf_init(&b, 0);
		sasl_b64_encode(v->s, v->len, &b);
		out_puts(o, "\"base64\": \"");
		out_write(o, b.data == NULL ? "" : b.data, b.len);
		out_puts(o, "\"}");
		buf_free(&b);
		return;
	}
	chunk = xmalloc(JSON_CHUNK);
	if (json_spool_valid(v, chunk)) {
		out_puts(o, "{\"text\": ");
		json_spool_text(o, v, chunk);
		out_puts(o, ", ");
	} else
		out_putc(o, '{');
	out_puts(o, "\"base64\": \"");
	json_spool_base64(o, v, chunk);
	out_puts(o, "\"}");
	free(chunk);
}

static void
json_value(struct out *o, const struct pyval *v)
{
	size_t	i;
	char	num[32];

	switch (v->type) {
	case PV_NONE:
		out_puts(o, "null");
		break;
	case PV_BOOL:
		out_puts(o, v->i ? "true" : "false");
		break;
	case PV_INT:
		snprintf(num, sizeof num, "%lld", v->i);
		out_puts(o, num);
		break;
	case PV_STR:
		json_string(o, v->s, v->len);
		break;
	case PV_BYTES:
		json_bytes(o, v);
		break;
	case PV_TUPLE:
	case PV_LIST:
		out_putc(o, '[');
		for (i = 0; i < v->n; i++) {
			if (i > 0)
				out_puts(o, ", ");
			json_value(o, v->items[i]);
		}
		out_putc(o, ']');
		break;
	}
}

void
json_print_value(struct out *o, const struct pyval *v)
{
	json_value(o, v);
}

void
json_print_string(struct out *o, const char *s, size_t len)
{
	json_string(o, s, len);
}
