/*
 * fuzz-lex.c: libFuzzer target for the line tokenizer, lex_line().
 *
 * Input layout: the whole input is one line typed by the user (cut at its
 * first NUL, as a C string is: lex_line() takes one).  It is lexed four
 * times, with each combination of LEX_PARTIAL and LEX_BREAKS, and every
 * result is checked against the contract in lex.h:
 *
 *	- 0 and no cause, or -1 with a non-empty cause and no words;
 *	- every word's value is non-NULL and NUL-terminated at its length;
 *	  its offsets lie within the line, are non-empty, and do not go
 *	  backwards from one word to the next;
 *	- in shell form, a word that is not W_STRING is exactly its text
 *	  in the line (offsets and value agree);
 *	- None/True/False/number words hold what their kind says; a keyword
 *	  name and the call-form method name are identifiers;
 *	- no value holds CR, LF or NUL, except a W_STRING with LEX_BREAKS;
 *	- open_quote and open_depth are 0 without LEX_PARTIAL;
 * and the four results are compared: LEX_BREAKS only lets more W_STRING
 * values through (so without a break in any W_STRING both agree word for
 * word), and in shell form LEX_PARTIAL accepts whatever the strict mode
 * accepts, with the same words first (it keeps the redirection words).
 * Any violation aborts, which libFuzzer reports as a crash.
 *
 * Build and run (make fuzz builds and runs it with the parser's target):
 *	clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
 *	    -Isrc -isystem /usr/include/bsd -DLIBBSD_OVERLAY \
 *	    src/lex.c src/xmalloc.c tests/fuzz/fuzz-lex.c -lbsd -o fuzz-lex
 *	./fuzz-lex -dict=tests/fuzz/lex.dict CORPUS_DIR
 * Work on a copy of tests/fuzz/corpus-lex: libFuzzer adds files to it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"

struct result {
	struct words	 w;
	char		*cause;
	int		 rv;
};

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	 check(int, const char *);
static int	 is_ident_str(const char *);
static int	 has_break(const struct word *);
static int	 same_word(const struct word *, const struct word *);
static int	 same_str(const char *, const char *);
static void	 lex_checked(const char *, int, struct result *);

static void
check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz-lex: invariant violated: %s\n", what);
		abort();
	}
}

static int
is_ident_str(const char *s)
{
	size_t	 i;

	if (s[0] == '\0' || (s[0] >= '0' && s[0] <= '9'))
		return (0);
	for (i = 0; s[i] != '\0'; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return (0);
	}
	return (1);
}

static int
has_break(const struct word *wd)
{
	return (memchr(wd->s, '\r', wd->len) != NULL ||
	    memchr(wd->s, '\n', wd->len) != NULL ||
	    memchr(wd->s, '\0', wd->len) != NULL);
}

static int
same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

static int
same_word(const struct word *a, const struct word *b)
{
	return (a->kind == b->kind && a->len == b->len &&
	    memcmp(a->s, b->s, a->len) == 0 && same_str(a->kw, b->kw) &&
	    a->start == b->start && a->end == b->end);
}

/* Lex line with flags into r, checking everything about one result. */
static void
lex_checked(const char *line, int flags, struct result *r)
{
	const struct word	*wd;
	size_t			 len = strlen(line), i, j;

	memset(&r->w, 0xa5, sizeof r->w);
	r->cause = (char *)&r->cause;	/* must be overwritten */
	r->rv = lex_line(line, flags, &r->w, &r->cause);
	check(r->rv == 0 || r->rv == -1, "returns 0 or -1");
	if (r->rv == -1) {
		check(r->cause != NULL && r->cause[0] != '\0',
		    "a failure has a cause");
		check(r->w.n == 0 && r->w.v == NULL && r->w.redirect == NULL &&
		    r->w.heredoc == NULL, "no words after a failure");
		return;
	}
	check(r->cause == NULL, "no cause on success");
	check(r->w.n == 0 || r->w.v != NULL, "words allocated");
	check(r->w.open_quote == 0 || r->w.open_quote == '"' ||
	    r->w.open_quote == '\'', "open_quote is 0, '\"' or '\\''");
	check(r->w.open_depth >= 0, "open_depth not negative");
	if (!(flags & LEX_PARTIAL)) {
		check(r->w.open_quote == 0 && r->w.open_depth == 0,
		    "nothing left open without LEX_PARTIAL");
	}
	if (r->w.redirect != NULL)
		(void)strlen(r->w.redirect);	/* ASan: terminated */
	if (r->w.heredoc != NULL)
		(void)strlen(r->w.heredoc);

	for (i = 0; i < r->w.n; i++) {
		wd = &r->w.v[i];
		check(wd->s != NULL, "word has a value");
		check(wd->s[wd->len] == '\0', "value is NUL-terminated");
		check(wd->start < wd->end, "offsets not empty");
		check(wd->end <= len, "offsets within the line");
		check(i == 0 || wd->start >= r->w.v[i - 1].end,
		    "offsets do not go backwards");
		check(wd->kind >= W_BARE && wd->kind <= W_NUMBER,
		    "kind is known");
		if (wd->kw != NULL) {
			check(r->w.callform && i > 0,
			    "keywords only in call form");
			check(is_ident_str(wd->kw), "keyword is an identifier");
		}
		switch (wd->kind) {
		case W_NONE:
			check(strcmp(wd->s, "None") == 0 && wd->len == 4,
			    "W_NONE is None");
			break;
		case W_BOOL:
			check(r->w.callform, "W_BOOL only in call form");
			check(strcmp(wd->s, "True") == 0 ||
			    strcmp(wd->s, "False") == 0, "W_BOOL is a bool");
			break;
		case W_NUMBER:
			check(r->w.callform, "W_NUMBER only in call form");
			for (j = wd->s[0] == '-'; j < wd->len; j++)
				check(wd->s[j] >= '0' && wd->s[j] <= '9',
				    "W_NUMBER is digits");
			check(wd->len > (size_t)(wd->s[0] == '-'),
			    "W_NUMBER has a digit");
			break;
		case W_STRING:
			break;
		case W_DQUOTED:
			check(!r->w.callform, "shell kinds in shell form");
			break;
		case W_BARE:
			break;
		}
		if (has_break(wd)) {
			check(flags & LEX_BREAKS && wd->kind == W_STRING &&
			    r->w.callform,
			    "CR, LF or NUL only in a W_STRING with "
			    "LEX_BREAKS");
		}
		if (r->w.callform) {
			if (i == 0) {
				check(wd->kind == W_BARE &&
				    is_ident_str(wd->s) && wd->len ==
				    wd->end - wd->start && memcmp(wd->s,
				    line + wd->start, wd->len) == 0,
				    "call-form name is its text");
			}
		} else if (wd->kind != W_STRING) {
			check(wd->len == wd->end - wd->start &&
			    memcmp(wd->s, line + wd->start, wd->len) == 0,
			    "shell word is its text in the line");
		}
	}
	if (r->w.callform)
		check(r->w.n > 0, "a call has a name");
	else if (r->w.n > 0 && r->w.v[0].kind == W_DQUOTED)
		check(r->w.v[0].s[0] == '"', "W_DQUOTED starts with '\"'");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int flagset[4] = { 0, LEX_BREAKS, LEX_PARTIAL,
	    LEX_PARTIAL | LEX_BREAKS };
	struct result	 r[4];
	char		*line;
	size_t		 i;
	int		 k, breaks;

	/* An exact-size copy, so ASan sees any read past the NUL. */
	if ((line = malloc(size + 1)) == NULL)
		return (0);
	memcpy(line, data, size);
	line[size] = '\0';

	for (k = 0; k < 4; k++)
		lex_checked(line, flagset[k], &r[k]);

	/* LEX_BREAKS: more W_STRING values pass, nothing else changes. */
	for (k = 0; k < 4; k += 2) {
		if (r[k].rv == 0) {
			check(r[k + 1].rv == 0, "LEX_BREAKS accepts what the "
			    "default accepts");
		}
		if (r[k].rv != 0 || r[k + 1].rv != 0)
			continue;
		check(r[k].w.n == r[k + 1].w.n &&
		    r[k].w.callform == r[k + 1].w.callform &&
		    same_str(r[k].w.redirect, r[k + 1].w.redirect) &&
		    same_str(r[k].w.heredoc, r[k + 1].w.heredoc),
		    "LEX_BREAKS gives the same words");
		for (i = 0; i < r[k].w.n; i++)
			check(same_word(&r[k].w.v[i], &r[k + 1].w.v[i]),
			    "LEX_BREAKS gives the same word");
	}
	if (r[1].rv == 0) {
		breaks = 0;
		for (i = 0; i < r[1].w.n; i++)
			breaks |= has_break(&r[1].w.v[i]);
		if (!breaks)
			check(r[0].rv == 0, "without a break, LEX_BREAKS "
			    "changes nothing");
	}

	/* Shell form: LEX_PARTIAL accepts it too, with the same words. */
	if (r[0].rv == 0 && !r[0].w.callform) {
		check(r[2].rv == 0, "LEX_PARTIAL accepts a shell line the "
		    "default accepts");
		check(!r[2].w.callform, "LEX_PARTIAL: shell form too");
		check(r[2].w.n >= r[0].w.n && r[2].w.n <= r[0].w.n + 2,
		    "LEX_PARTIAL keeps at most the redirection words");
		check(r[2].w.n == r[0].w.n ||
		    r[0].w.redirect != NULL || r[0].w.heredoc != NULL,
		    "LEX_PARTIAL: extra words only for a redirection");
		check(same_str(r[0].w.redirect, r[2].w.redirect) &&
		    same_str(r[0].w.heredoc, r[2].w.heredoc),
		    "LEX_PARTIAL: same redirection");
		for (i = 0; i < r[0].w.n; i++)
			check(same_word(&r[0].w.v[i], &r[2].w.v[i]),
			    "LEX_PARTIAL gives the same word");
		check(r[2].w.open_quote == 0 && r[2].w.open_depth == 0,
		    "LEX_PARTIAL: a complete line leaves nothing open");
	}

	for (k = 0; k < 4; k++) {
		free(r[k].cause);
		words_free(&r[k].w);
	}
	free(line);
	return (0);
}
