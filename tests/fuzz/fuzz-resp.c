/*
 * fuzz-resp.c: libFuzzer target for the typed response records and the
 * FETCH attribute walker (imap-resp.c).
 *
 * The input is a byte stream a server sends.  It is framed (imap-parse.c,
 * whose own target checks that chunking changes nothing, so it is fed
 * whole here), every first line made a record, every FETCH walked across
 * its literals and continued lines, every response code's arguments
 * walked; the input is also taken as one line and as one attribute list.
 * Checked as they come: spans lie inside the line they came from and are
 * absent or present as the contract says, names are upper case and within
 * IMAP_RESP_MAX_NAME, a number that is not flagged fits 32 bits, the
 * walker's literal is the framer's literal, the walker hands over a piece
 * for every step it takes and ends, and END and ERROR are sticky.  Any
 * violation aborts, which libFuzzer reports as a crash.
 *
 * Build and run: make fuzz (or build/fuzz/fuzz-resp), e.g.
 *	build/fuzz/fuzz-resp -dict=tests/fuzz/imap.dict CORPUS_DIR
 * Work on a copy of tests/fuzz/corpus-resp: libFuzzer adds files to it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imap-parse.h"
#include "imap-resp.h"
#include "xmalloc.h"

#define MAX_STEPS	100000	/* walker steps for one line, at most */

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	 check(int, const char *);
static void	 check_span(struct imap_resp_span, const char *, size_t,
		    const char *);
static void	 check_record(const struct imap_resp *, int, const char *,
		    size_t);
static int	 walk(struct imap_resp_fetch *, const char *, size_t,
		    uint64_t *);
static void	 walk_args(struct imap_resp_span);

static void
check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz-resp: invariant violated: %s\n", what);
		abort();
	}
}

/* An absent span, or one inside line[0..len). */
static void
check_span(struct imap_resp_span sp, const char *line, size_t len,
    const char *what)
{
	if (sp.p == NULL) {
		check(sp.len == 0, what);
		return;
	}
	check(sp.p >= line && sp.p <= line + len &&
	    sp.len <= (size_t)(line + len - sp.p), what);
}

static void
check_record(const struct imap_resp *r, int rv, const char *line,
    size_t len)
{
	size_t	 i, n;

	if (rv == -1) {
		check(r->error != NULL && *r->error != '\0', "error message");
		return;
	}
	check(rv == 0 && r->error == NULL, "return value");
	check_span(r->tag, line, len, "tag in the line");
	check_span(r->number_text, line, len, "number in the line");
	check_span(r->text, line, len, "text in the line");
	check_span(r->code, line, len, "code in the line");
	check_span(r->code_args, line, len, "code args in the line");
	check((r->kind == IMAP_RESP_TAGGED) == (r->tag.p != NULL),
	    "tagged records and only they have a tag");
	check(!r->number_overflow || (r->has_number && r->number == 0),
	    "an overflowed number is 0");
	check(r->has_code == (r->code.p != NULL && r->code_args.p != NULL),
	    "a code has a name and arguments");
	n = strlen(r->name);
	check(n <= IMAP_RESP_MAX_NAME, "name within its limit");
	check((n == 0) == (r->kind == IMAP_RESP_CONTINUATION),
	    "every response but a continuation has a name");
	for (i = 0; i < n; i++)
		check((r->name[i] >= 'A' && r->name[i] <= 'Z') ||
		    r->name[i] == '-', "name upper case");
}

/*
 * Walk what is in line[0..len) until the walker wants a line (returns 1,
 * *lit the literal it announced) or is done (returns 0).
 */
static int
walk(struct imap_resp_fetch *w, const char *line, size_t len, uint64_t *lit)
{
	struct imap_resp_att	 a;
	enum imap_resp_walk	 st;
	int			 steps;

	for (steps = 0; steps < MAX_STEPS; steps++) {
		switch ((st = imap_resp_fetch_next(w, &a))) {
		case IMAP_RESP_ITEM:
			check_span(a.name, line, len, "att name in the line");
			check_span(a.section, line, len, "section in line");
			check_span(a.value, line, len, "value in the line");
			check(a.value.p != NULL, "a value is never absent");
			check(a.part > 0 || a.name.len > 0, "a first piece "
			    "has a name");
			check(!a.more || a.literal, "more only at a literal");
			if (a.literal)
				*lit = a.literal_size;
			break;
		case IMAP_RESP_NEED_LINE:
			check(imap_resp_fetch_next(w, &a) ==
			    IMAP_RESP_NEED_LINE, "NEED_LINE until fed");
			return (1);
		case IMAP_RESP_END:
		case IMAP_RESP_ERROR:
			check(st == IMAP_RESP_END || w->error != NULL,
			    "an error has a message");
			check(imap_resp_fetch_next(w, &a) == st,
			    "END and ERROR are sticky");
			return (0);
		}
	}
	check(0, "the walker ends");
	return (0);
}

static void
walk_args(struct imap_resp_span args)
{
	struct imap_resp_span	 sp = args;
	struct imap_resp_val	 v;
	const char		*err;
	int			 steps;

	for (steps = 0; steps < MAX_STEPS; steps++) {
		switch (imap_resp_args_next(&sp, &v, &err)) {
		case IMAP_RESP_ITEM:
			check_span(v.span, args.p, args.len, "arg in args");
			check(v.span.len > 0, "an argument is not empty");
			continue;
		case IMAP_RESP_ERROR:
			check(err != NULL, "an error has a message");
			return;
		default:
			return;
		}
	}
	check(0, "the argument walk ends");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imap_parser	*ps;
	struct imap_event	 ev;
	struct imap_resp	 r;
	struct imap_resp_fetch	 w;
	struct imap_resp_span	 sp;
	char			*in;
	size_t			 off = 0, used;
	uint64_t		 lit = 0;
	int			 walking = 0, rv;

	in = xmalloc(size + 1);
	memcpy(in, data, size);
	rv = imap_resp_parse(&r, in, size);
	check_record(&r, rv, in, size);
	sp.p = in;
	sp.len = size;
	imap_resp_fetch_init(&w, sp);
	(void)walk(&w, in, size, &lit);
	walk_args(sp);

	ps = imap_parser_new(1024, 0);
	for (;;) {
		switch (imap_parse_feed(ps, in + off, size - off, &used,
		    &ev)) {
		case IMAP_EV_LINE:
			if (ev.continued && walking) {
				imap_resp_fetch_line(&w, ev.line, ev.len);
				walking = walk(&w, ev.line, ev.len, &lit);
			} else if (!ev.continued) {
				walking = 0;
				rv = imap_resp_parse(&r, ev.line, ev.len);
				check_record(&r, rv, ev.line, ev.len);
				if (rv == 0 && r.has_code)
					walk_args(r.code_args);
				if (rv == 0 && strcmp(r.name, "FETCH") == 0) {
					imap_resp_fetch_init(&w, r.text);
					walking = walk(&w, ev.line, ev.len,
					    &lit);
				}
			}
			if (walking)
				check(ev.has_literal && lit ==
				    ev.literal_size, "the walker's literal "
				    "is the framer's");
			break;
		case IMAP_EV_MORE:
		case IMAP_EV_ERROR:
			imap_parser_free(ps);
			free(in);
			return (0);
		default:
			break;
		}
		off += used;
	}
}
