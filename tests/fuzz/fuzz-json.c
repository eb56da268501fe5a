/*
 * fuzz-json.c: libFuzzer target for the JSON printer (imap-json.c).
 *
 * Input layout:
 *	byte 0		bit 0: an error result (the rest of the input up to
 *			the first NUL is the error text) or a data result
 *	byte 1		length of the command name that follows
 *	the rest	a value tree for pvgen() (tests/fuzz/pvgen.h), or
 *			the error text
 *
 * The object json-line.c makes of a result or an error, closed, is
 * written with the printer's json_print_string() and json_print_value()
 * (fuzz_json_object() below) to a memory file; the output must be one line
 * that is valid UTF-8 (RFC 3629), holds nothing a terminal acts on
 * (controls, DEL, C1, bidi and format characters), and is exactly one
 * JSON value per RFC 8259 (checked by the strict parser below, which also
 * refuses unpaired surrogate escapes): an object with "command",
 * "status" and "data" or "error".  Any violation aborts.
 *
 * Build and run:
 *	make build/fuzz/fuzz-json
 *	build/fuzz/fuzz-json -dict=tests/fuzz/print.dict CORPUS_DIR
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imap-json.h"
#include "pvgen.h"
#include "utf8.h"
#include "xmalloc.h"

#define JSON_DEPTH	200

struct jp {
	const char	*s;
	size_t		 len, pos;
	int		 depth;
};

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	 check(int, const char *);
static int	 jp_peek(struct jp *);
static void	 jp_ws(struct jp *);
static void	 jp_lit(struct jp *, const char *);
static unsigned	 jp_hex4(struct jp *);
static void	 jp_string(struct jp *, char *, size_t);
static void	 jp_number(struct jp *);
static void	 jp_value(struct jp *);
static void	 check_result(const char *, size_t, int);
static void	 fuzz_json_object(struct out *, const char *, const char *,
		    const struct pyval *, const char *);

static void
check(int cond, const char *what)
{
	pvgen_check(cond, "fuzz-json", what);
}

static int
jp_peek(struct jp *p)
{
	return (p->pos < p->len ? (unsigned char)p->s[p->pos] : -1);
}

static void
jp_ws(struct jp *p)
{
	while (p->pos < p->len && strchr(" \t\n\r", p->s[p->pos]) != NULL &&
	    p->s[p->pos] != '\0')
		p->pos++;
}

static void
jp_lit(struct jp *p, const char *word)
{
	size_t	 n = strlen(word);

	check(p->len - p->pos >= n && memcmp(p->s + p->pos, word, n) == 0,
	    "a literal name");
	p->pos += n;
}

static unsigned
jp_hex4(struct jp *p)
{
	unsigned	 v = 0;
	int		 i, c;

	for (i = 0; i < 4; i++) {
		c = jp_peek(p);
		check(c != -1 && strchr("0123456789abcdefABCDEF", c) != NULL &&
		    c != '\0', "four hex digits after \\u");
		v = v << 4 | (unsigned)(c <= '9' ? c - '0' : (c | 0x20) -
		    'a' + 10);
		p->pos++;
	}
	return (v);
}

/* A string; its first keylen-1 raw bytes go to key when key is set. */
static void
jp_string(struct jp *p, char *key, size_t keylen)
{
	size_t	 n = 0;
	unsigned u, lo;
	int	 c;

	check(jp_peek(p) == '"', "a string opens with a quote");
	p->pos++;
	for (;;) {
		c = jp_peek(p);
		check(c != -1, "a string is closed");
		p->pos++;
		if (c == '"')
			break;
		check(c >= 0x20, "no raw control in a string");
		if (key != NULL && n + 1 < keylen)
			key[n++] = (char)c;
		if (c != '\\')
			continue;
		c = jp_peek(p);
		check(c != -1 && strchr("\"\\/bfnrtu", c) != NULL && c != 0,
		    "a valid escape");
		p->pos++;
		if (c != 'u')
			continue;
		u = jp_hex4(p);
		check(u < 0xdc00 || u > 0xdfff, "no lone low surrogate");
		if (u >= 0xd800 && u <= 0xdbff) {
			jp_lit(p, "\\u");
			lo = jp_hex4(p);
			check(lo >= 0xdc00 && lo <= 0xdfff,
			    "a high surrogate escape is paired");
		}
	}
	if (key != NULL)
		key[n] = '\0';
}

static void
jp_number(struct jp *p)
{
	int	 c;

	if (jp_peek(p) == '-')
		p->pos++;
	c = jp_peek(p);
	check(c >= '0' && c <= '9', "a number has digits");
	p->pos++;
	if (c != '0')
		while ((c = jp_peek(p)) >= '0' && c <= '9')
			p->pos++;
	check(jp_peek(p) != '.' && jp_peek(p) != 'e' && jp_peek(p) != 'E',
	    "integers only");
}

static void
jp_value(struct jp *p)
{
	int	 c;

	check(++p->depth <= JSON_DEPTH, "nesting within reason");
	jp_ws(p);
	c = jp_peek(p);
	if (c == '{' || c == '[') {
		p->pos++;
		jp_ws(p);
		if (jp_peek(p) == (c == '{' ? '}' : ']'))
			p->pos++;
		else
			for (;;) {
				jp_ws(p);
				if (c == '{') {
					jp_string(p, NULL, 0);
					jp_ws(p);
					jp_lit(p, ":");
				}
				jp_value(p);
				if (jp_peek(p) == ',') {
					p->pos++;
					continue;
				}
				jp_lit(p, c == '{' ? "}" : "]");
				break;
			}
	} else if (c == '"')
		jp_string(p, NULL, 0);
	else if (c == 't')
		jp_lit(p, "true");
	else if (c == 'f')
		jp_lit(p, "false");
	else if (c == 'n')
		jp_lit(p, "null");
	else
		jp_number(p);
	jp_ws(p);
	p->depth--;
}

/* The result object: {"command": ..., "status": ..., "data"|"error": ...}. */
static void
check_result(const char *s, size_t len, int error)
{
	struct jp	 p = { s, len, 0, 0 };
	char		 key[16];
	static const char *keys[] = { "command", "status", NULL };
	int		 i;

	check(len > 0 && s[len - 1] == '\n' && memchr(s, '\n', len - 1) ==
	    NULL, "one line");
	check(utf8_valid(s, len), "valid UTF-8");
	check(pvgen_terminal_safe(s, len, "\n"), "terminal safe");
	jp_value(&p);
	check(p.pos == len, "one value and nothing after it");
	p.pos = 0;
	jp_lit(&p, "{");
	for (i = 0; i < 3; i++) {
		jp_ws(&p);
		jp_string(&p, key, sizeof key);
		check(strcmp(key, keys[i] != NULL ? keys[i] : error ? "error" :
		    "data") == 0, "the keys in order");
		jp_ws(&p);
		jp_lit(&p, ":");
		jp_value(&p);
		jp_lit(&p, i < 2 ? "," : "}");
	}
}

/* {"command": ..., "status": ..., "data" or "error": ...} and a newline. */
static void
fuzz_json_object(struct out *o, const char *command, const char *status,
    const struct pyval *data, const char *error)
{
	out_puts(o, "{\"command\": ");
	json_print_string(o, command, strlen(command));
	out_puts(o, ", \"status\": ");
	json_print_string(o, status, strlen(status));
	if (error != NULL) {
		out_puts(o, ", \"error\": ");
		json_print_string(o, error, strlen(error));
	} else {
		out_puts(o, ", \"data\": ");
		if (data == NULL)
			out_puts(o, "null");
		else
			json_print_value(o, data);
	}
	out_puts(o, "}\n");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct capture	 c;
	struct pyval	*v = NULL;
	char		*command, *error = NULL, *text;
	size_t		 n;
	size_t		 len;
	int		 is_error;

	if (size < 2)
		return (0);
	is_error = data[0] & 1;
	n = data[1] < size - 2 ? data[1] : size - 2;
	command = xmalloc(n + 1);
	memcpy(command, data + 2, n);
	command[n] = '\0';
	data += 2 + n;
	size -= 2 + n;
	if (is_error) {
		error = xmalloc(size + 1);
		memcpy(error, data, size);
		error[size] = '\0';
	} else
		v = pvgen(data, size);

	pvgen_capture_begin(&c);
	fuzz_json_object(c.o, command, is_error ? "error" : "OK", v, error);
	text = pvgen_capture_end(&c, &len);
	check_result(text, len, is_error);

	free(text);
	free(command);
	free(error);
	pv_free(v);
	return (0);
}
