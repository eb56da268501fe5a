/*
 * fuzz-repr.c: libFuzzer target for the Python printers: py_repr()
 * (py-repr.c), the one-line repr, and py_print() (py-print.c), the layout
 * imapsh prints results in (long bytes split into adjacent literals).
 *
 * Input: a value tree for pvgen() (tests/fuzz/pvgen.h).
 *
 * Both outputs must be valid UTF-8 holding nothing a terminal acts on
 * (no control but py_print()'s line ends, no DEL, C1, bidi or format
 * character), bytes literals must be printable ASCII, and each output
 * must be exactly one Python literal: None, True, False, integers, str
 * and bytes literals (adjacent ones of one kind concatenate) with their
 * quoting balanced and only Python's escapes inside, tuples and lists.
 * Any violation aborts.
 *
 * Build and run:
 *	make build/fuzz/fuzz-repr
 *	build/fuzz/fuzz-repr -dict=tests/fuzz/print.dict CORPUS_DIR
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvgen.h"
#include "py-print.h"
#include "py-repr.h"
#include "utf8.h"
#include "xmalloc.h"

#define REPR_DEPTH	200

struct rp {
	const char	*s;
	size_t		 len, pos;
	int		 depth;
};

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	 check(int, const char *);
static int	 rp_peek(const struct rp *);
static void	 rp_ws(struct rp *);
static int	 rp_word(struct rp *, const char *);
static void	 rp_hex(struct rp *, int);
static int	 rp_strlit(struct rp *);
static void	 rp_value(struct rp *);
static void	 check_repr(const char *, size_t, int);

static void
check(int cond, const char *what)
{
	pvgen_check(cond, "fuzz-repr", what);
}

static int
rp_peek(const struct rp *p)
{
	return (p->pos < p->len ? (unsigned char)p->s[p->pos] : -1);
}

static void
rp_ws(struct rp *p)
{
	while (rp_peek(p) == ' ' || rp_peek(p) == '\n')
		p->pos++;
}

static int
rp_word(struct rp *p, const char *word)
{
	size_t	 n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
		return (0);
	p->pos += n;
	return (1);
}

static void
rp_hex(struct rp *p, int n)
{
	int	 c;

	while (n-- > 0) {
		c = rp_peek(p);
		check(c != -1 && c != 0 && strchr("0123456789abcdef", c) !=
		    NULL, "lower-case hex digits in an escape");
		p->pos++;
	}
}

/*
 * A str or bytes literal at p, if there is one: 1 for bytes, 0 for str,
 * -1 for none.  The quoting must be balanced.
 */
static int
rp_strlit(struct rp *p)
{
	int	 bytes = 0, q, c;

	if (rp_peek(p) == 'b') {
		bytes = 1;
		p->pos++;
		check(rp_peek(p) == '\'' || rp_peek(p) == '"',
		    "b is followed by a quote");
	}
	q = rp_peek(p);
	if (q != '\'' && q != '"')
		return (-1);
	p->pos++;
	for (;;) {
		c = rp_peek(p);
		check(c != -1 && c != '\n', "a literal is closed on its line");
		p->pos++;
		if (c == q)
			return (bytes);
		if (bytes)
			check(c >= 0x20 && c < 0x7f, "bytes are printable ASCII");
		if (c != '\\')
			continue;
		c = rp_peek(p);
		p->pos++;
		if (c == 'x')
			rp_hex(p, 2);
		else if (!bytes && c == 'u')
			rp_hex(p, 4);
		else if (!bytes && c == 'U')
			rp_hex(p, 8);
		else
			check(c != -1 && c != 0 && strchr("\\'\"nrt", c) !=
			    NULL, "only Python's escapes");
	}
}

static void
rp_value(struct rp *p)
{
	int	 c, kind, n;

	check(++p->depth <= REPR_DEPTH, "nesting within reason");
	rp_ws(p);
	c = rp_peek(p);
	if (c == '(' || c == '[') {
		p->pos++;
		for (n = 0;; n++) {
			rp_ws(p);
			if (rp_peek(p) == (c == '(' ? ')' : ']'))
				break;
			rp_value(p);
			rp_ws(p);
			if (rp_peek(p) != ',')
				break;
			p->pos++;
		}
		rp_ws(p);
		check(rp_peek(p) == (c == '(' ? ')' : ']'),
		    "a container is closed");
		p->pos++;
	} else if ((kind = rp_strlit(p)) != -1) {
		/* Adjacent literals of one kind concatenate. */
		for (;;) {
			rp_ws(p);
			if (rp_peek(p) != '\'' && rp_peek(p) != '"' &&
			    rp_peek(p) != 'b')
				break;
			check(rp_strlit(p) == kind,
			    "adjacent literals of one kind");
		}
	} else if (!rp_word(p, "None") && !rp_word(p, "True") &&
	    !rp_word(p, "False")) {
		if (rp_peek(p) == '-')
			p->pos++;
		check(rp_peek(p) >= '0' && rp_peek(p) <= '9', "a value");
		if (rp_peek(p) == '0')
			p->pos++;
		else
			while (rp_peek(p) >= '0' && rp_peek(p) <= '9')
				p->pos++;
	}
	rp_ws(p);
	p->depth--;
}

static void
check_repr(const char *s, size_t len, int layout)
{
	struct rp	 p = { s, len, 0, 0 };

	check(utf8_valid(s, len), "valid UTF-8");
	check(pvgen_terminal_safe(s, len, layout ? "\n" : ""),
	    "terminal safe");
	if (layout)
		check(len > 0 && s[len - 1] == '\n', "ends with a newline");
	rp_value(&p);
	check(p.pos == len, "one value and nothing after it");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct capture	 c;
	struct pyval	*v;
	struct buf	 b;
	char		*text;
	size_t		 len;

	v = pvgen(data, size);
	buf_init(&b, 0);
	py_repr(&b, v);
	check_repr(b.data == NULL ? "" : b.data, b.len, 0);
	buf_free(&b);

	pvgen_capture_begin(&c);
	py_print(c.o, v);
	text = pvgen_capture_end(&c, &len);
	check_repr(text, len, 1);

	free(text);
	pv_free(v);
	return (0);
}
