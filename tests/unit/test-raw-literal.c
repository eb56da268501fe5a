/*
 * test-raw-literal.c: how typed lines make up a raw command's literals
 * (raw-literal.c).
 *
 * raw_literal_announced() against a table of texts that end, or only seem
 * to end, in {N} or {N+}, including a size past 2^63; raw_literal_fill()
 * against a table of (need, line length) cases; then whole typed scripts
 * run through both as cmd-idle.c runs them, checking the wire pieces: the
 * bytes of each literal and the text that follows it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "raw-literal.h"
#include "tap.h"

struct ann_case {
	const char	*text;
	int		 rv;
	uint64_t	 size;
	int		 nonsync;
};

static const struct ann_case ann_cases[] = {
	{ "SEARCH SUBJECT {4}", 1, 4, 0 },
	{ "LOGIN {5}", 1, 5, 0 },
	{ "{0}", 1, 0, 0 },
	{ "APPEND INBOX {123+}", 1, 123, 1 },
	{ "APPEND INBOX ~{12}", 1, 12, 0 },
	{ "x {9223372036854775807}", -1, 0, 0 },
	{ "x {18446744073709551616}", -1, 0, 0 },
	{ "x {922337203685477580}", 1, 922337203685477580ULL, 0 },
	{ "NOOP", 0, 0, 0 },
	{ "x {}", 0, 0, 0 },
	{ "x {+}", 0, 0, 0 },
	{ "x {4", 0, 0, 0 },
	{ "x 4}", 0, 0, 0 },
	{ "x {4}}", 0, 0, 0 },
	{ "x {4} ", 0, 0, 0 },
	{ "x {a4}", 0, 0, 0 },
	{ "x {4++}", 0, 0, 0 },
	{ "}", 0, 0, 0 },
	{ "", 0, 0, 0 },
};

struct fill_case {
	uint64_t		 need;
	size_t			 len;
	enum raw_literal_fill	 r;
	size_t			 take;
	int			 crlf;
	const char		*desc;
};

static const struct fill_case fill_cases[] = {
	{ 4, 4, RAW_LIT_DONE, 4, 0, "the line alone, no line end" },
	{ 4, 9, RAW_LIT_DONE, 4, 0, "the start of the line; the rest goes on" },
	{ 6, 4, RAW_LIT_DONE, 4, 1, "the line and its CRLF end it" },
	{ 5, 4, RAW_LIT_CUT, 4, 1, "the CRLF would be cut" },
	{ 35, 19, RAW_LIT_MORE, 19, 1, "a line of a longer literal" },
	{ 2, 0, RAW_LIT_DONE, 0, 1, "an empty line ends it with CRLF" },
	{ 1, 0, RAW_LIT_CUT, 0, 1, "an empty line for one byte" },
	{ 0, 5, RAW_LIT_DONE, 0, 0, "{0}: the whole line goes on" },
	{ 0, 0, RAW_LIT_DONE, 0, 0, "{0} and an empty line" },
};

/* A typed script: the first line, the lines after, and the wire pieces
 * (text, literal, text, ...) expected, or NULL pieces for an error. */
struct script_case {
	const char	*first;
	const char	*lines[6];
	const char	*pieces[8];
	size_t		 lens[8];	/* 0: strlen */
	const char	*desc;
};

static const struct script_case scripts[] = {
	{ "SEARCH SUBJECT {4}", { "test" },
	  { "SEARCH SUBJECT {4}", "test", "" }, { 0 },
	  "a literal without CRLF: the line alone" },
	{ "SEARCH CHARSET {5}", { "UTF-8 SUBJECT {4}", "test ALL" },
	  { "SEARCH CHARSET {5}", "UTF-8", " SUBJECT {4}", "test", " ALL" },
	  { 0 }, "the command goes on after literals, with another one" },
	{ "LOGIN {5}", { "alice {6+}", "secret" },
	  { "LOGIN {5}", "alice", " {6+}", "secret", "" }, { 0 },
	  "LITERAL+ after a literal" },
	{ "APPEND INBOX {35}", { "From: a@example.org", "Subject: x", "" },
	  { "APPEND INBOX {35}",
	    "From: a@example.org\r\nSubject: x\r\n\r\n", "" }, { 0 },
	  "lines joined with CRLF, as before" },
	{ "SEARCH SUBJECT {6}", { "test" },
	  { "SEARCH SUBJECT {6}", "test\r\n", "" }, { 0 },
	  "a line and its CRLF" },
	{ "SEARCH SUBJECT {5}", { "test" }, { NULL }, { 0 },
	  "a CRLF cut in two is refused" },
	{ "SEARCH SUBJECT {9}", { "test" }, { NULL }, { 0 },
	  "input that ends too early is refused" },
	{ "X {0}", { " Y" }, { "X {0}", "", " Y" }, { 0 },
	  "an empty literal" },
};

static int	 run_script(const struct script_case *, char **, size_t *,
		    size_t *);

/*
 * cmd-idle.c's loop over the two functions, with the pieces joined into
 * got (a piece ends at each NUL) and their lengths in lens.  -1 on error.
 */
static int
run_script(const struct script_case *sc, char **got, size_t *lens,
    size_t *npieces)
{
	struct raw_literal_ann	 ann;
	const char		*text = sc->first;
	char			*lit, *cause = NULL;
	size_t			 line = 0, take, litlen, n = 0;
	uint64_t		 need;
	int			 crlf, rv;
	enum raw_literal_fill	 r;

	for (;;) {
		got[n] = strdup(text);
		lens[n++] = strlen(text);
		if ((rv = raw_literal_announced(text, strlen(text), &ann,
		    &cause)) <= 0) {
			free(cause);
			*npieces = n;
			return (rv);
		}
		lit = malloc(ann.size + 1);
		litlen = 0;
		need = ann.size;
		do {
			if (sc->lines[line] == NULL) {
				free(lit);
				*npieces = n;
				return (-1);
			}
			text = sc->lines[line++];
			r = raw_literal_fill(need, strlen(text), &take, &crlf);
			if (r == RAW_LIT_CUT) {
				free(lit);
				*npieces = n;
				return (-1);
			}
			memcpy(lit + litlen, text, take);
			litlen += take;
			if (crlf) {
				memcpy(lit + litlen, "\r\n", 2);
				litlen += 2;
			}
			need -= take + (crlf ? 2 : 0);
			text += crlf ? strlen(text) : take;
		} while (r == RAW_LIT_MORE);
		got[n] = lit;
		lens[n++] = litlen;
	}
}

int
main(void)
{
	struct raw_literal_ann	 ann;
	char			*cause, *got[16];
	size_t			 i, j, take, lens[16], n;
	int			 crlf, rv, same;
	enum raw_literal_fill	 r;

	for (i = 0; i < sizeof ann_cases / sizeof ann_cases[0]; i++) {
		const struct ann_case *c = &ann_cases[i];

		cause = NULL;
		rv = raw_literal_announced(c->text, strlen(c->text), &ann,
		    &cause);
		ok(rv == c->rv && (rv != 1 || (ann.size == c->size &&
		    ann.nonsync == c->nonsync)) && (rv == -1) ==
		    (cause != NULL), "announced '%s': %d (size %llu%s)",
		    c->text, rv, (unsigned long long)ann.size,
		    ann.nonsync ? ", +" : "");
		free(cause);
	}
	for (i = 0; i < sizeof fill_cases / sizeof fill_cases[0]; i++) {
		const struct fill_case *c = &fill_cases[i];

		r = raw_literal_fill(c->need, c->len, &take, &crlf);
		ok(r == c->r && (r == RAW_LIT_CUT || (take == c->take &&
		    crlf == c->crlf)), "fill need %llu, line %zu: %s",
		    (unsigned long long)c->need, c->len, c->desc);
	}
	for (i = 0; i < sizeof scripts / sizeof scripts[0]; i++) {
		const struct script_case *sc = &scripts[i];

		rv = run_script(sc, got, lens, &n);
		if (sc->pieces[0] == NULL)
			same = rv == -1;
		else {
			same = rv == 0;
			for (j = 0; same && j < 8 && sc->pieces[j] != NULL;
			    j++)
				same = j < n && lens[j] ==
				    strlen(sc->pieces[j]) && memcmp(got[j],
				    sc->pieces[j], lens[j]) == 0;
			same = same && (j == 8 || sc->pieces[j] == NULL) &&
			    j == n;
		}
		ok(same, "script '%s': %s", sc->first, sc->desc);
		for (j = 0; j < n; j++)
			free(got[j]);
	}
	printf("1..%d\n", tap_ntests);
	return (tap_status());
}
