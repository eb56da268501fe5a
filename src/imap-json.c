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
#include "xmalloc.h"

#define JSON_CHUNK	(64 * 1024)

struct utf8_state {
	int	need;		/* continuation bytes still expected */
	int	bad;
};

static void	json_escape(struct out *, const char *, size_t);
static unsigned int json_unsafe_cp(const char *, size_t, size_t *);
static void	json_string(struct out *, const char *, size_t);
static void	json_value(struct out *, const struct pyval *);
static void	json_open(struct out *, const char *, const char *);
static void	json_bytes(struct out *, const struct pyval *);
static void	utf8_feed(struct utf8_state *, const unsigned char *, size_t);

/* A small, strict UTF-8 check (overlongs and surrogates are rejected by
 * the lead-byte ranges below), resumable across chunks. */
static void
utf8_feed(struct utf8_state *u, const unsigned char *p, size_t len)
{
	size_t	i;

	for (i = 0; i < len && !u->bad; i++) {
		if (u->need > 0) {
			if ((p[i] & 0xc0) != 0x80)
				u->bad = 1;
			u->need--;
			continue;
		}
		if (p[i] < 0x80)
			continue;
		if (p[i] >= 0xc2 && p[i] <= 0xdf)
			u->need = 1;
		else if (p[i] >= 0xe0 && p[i] <= 0xef)
			u->need = 2;
		else if (p[i] >= 0xf0 && p[i] <= 0xf4)
			u->need = 3;
		else
			u->bad = 1;
	}
}

/*
 * If s starts with the UTF-8 of a character a terminal could act on (C1
 * U+0080-U+009F, bidi and format characters), return it and its length
 * in *n; else 0.
 */
static unsigned int
json_unsafe_cp(const char *s, size_t len, size_t *n)
{
	const unsigned char	*u = (const unsigned char *)s;
	unsigned int		 cp;

	if (len >= 2 && u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f) {
		*n = 2;
		return (u[1]);
	}
	if (len >= 2 && u[0] == 0xd8 && u[1] == 0x9c) {
		*n = 2;
		return (0x061c);
	}
	if (len < 3 || (u[0] != 0xe2 && u[0] != 0xef) ||
	    (u[1] & 0xc0) != 0x80 || (u[2] & 0xc0) != 0x80)
		return (0);
	cp = ((u[0] & 0x0fu) << 12) | ((u[1] & 0x3fu) << 6) | (u[2] & 0x3fu);
	if ((cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 &&
	    cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff) {
		*n = 3;
		return (cp);
	}
	return (0);
}

/* The body of a JSON string (no quotes): control bytes, DEL, quote and
 * backslash escaped, so nothing reaches a terminal raw. */
static void
json_escape(struct out *o, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t		 i, start = 0;
	unsigned char	 c;
	char		 esc[6] = { '\\', 'u', '0', '0', 0, 0 }, uesc[8];
	unsigned int	 cp;
	size_t		 n;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x80 && (cp = json_unsafe_cp(s + i, len - i,
		    &n)) != 0) {
			/* C1 controls and bidi/format characters: legal
			 * in JSON, but not for a terminal. */
			out_write(o, s + start, i - start);
			snprintf(uesc, sizeof uesc, "\\u%04x", cp);
			out_puts(o, uesc);
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

/* A JSON string of valid UTF-8 text. */
static void
json_string(struct out *o, const char *s, size_t len)
{
	out_putc(o, '"');
	json_escape(o, s, len);
	out_putc(o, '"');
}

static void
json_bytes(struct out *o, const struct pyval *v)
{
	struct utf8_state	 u = { 0, 0 };
	struct buf		 b;
	char			*chunk;
	uint64_t		 off, left;
	ssize_t			 n;
	size_t			 want;

	if (v->spool == NULL) {
		utf8_feed(&u, (const unsigned char *)v->s, v->len);
		if (!u.bad && u.need == 0) {
			json_string(o, v->s, v->len);
			return;
		}
		buf_init(&b, 0);
		sasl_b64_encode(v->s, v->len, &b);
		out_puts(o, "{\"base64\": \"");
		out_write(o, b.data == NULL ? "" : b.data, b.len);
		out_puts(o, "\"}");
		buf_free(&b);
		return;
	}
	chunk = xmalloc(JSON_CHUNK);
	for (off = 0, left = v->len; left > 0 && !u.bad; ) {
		want = left > JSON_CHUNK ? JSON_CHUNK : (size_t)left;
		if ((n = spool_read(v->spool, v->spool_off + off, chunk,
		    want)) <= 0)
			break;
		utf8_feed(&u, (unsigned char *)chunk, (size_t)n);
		off += (uint64_t)n;
		left -= (uint64_t)n;
	}
	if (!u.bad && u.need == 0) {
		/* The escaping works byte by byte, so a chunk may end inside
		 * a UTF-8 character. */
		out_putc(o, '"');
		for (off = 0, left = v->len; left > 0; ) {
			want = left > JSON_CHUNK ? JSON_CHUNK : (size_t)left;
			if ((n = spool_read(v->spool, v->spool_off + off,
			    chunk, want)) <= 0)
				break;
			json_escape(o, chunk, (size_t)n);
			off += (uint64_t)n;
			left -= (uint64_t)n;
		}
		out_putc(o, '"');
	} else {
		/* base64 in multiples of 3 bytes so pieces join cleanly */
		out_puts(o, "{\"base64\": \"");
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
		out_puts(o, "\"}");
	}
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

/* {"command": ..., "status": ... */
static void
json_open(struct out *o, const char *command, const char *status)
{
	out_puts(o, "{\"command\": ");
	json_string(o, command, strlen(command));
	out_puts(o, ", \"status\": ");
	json_string(o, status, strlen(status));
}

void
print_json(struct out *o, const char *command, const char *status,
    const struct pyval *data, const char *error)
{
	if (error != NULL) {
		json_open(o, command, status);
		out_puts(o, ", \"error\": ");
		json_string(o, error, strlen(error));
	} else {
		json_print_head(o, command, status);
		if (data == NULL)
			out_puts(o, "null");
		else
			json_value(o, data);
	}
	out_puts(o, "}\n");
}

void
json_print_head(struct out *o, const char *command, const char *status)
{
	json_open(o, command, status);
	out_puts(o, ", \"data\": ");
}

void
json_print_value(struct out *o, const struct pyval *v)
{
	json_value(o, v);
}
