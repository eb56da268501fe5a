/*
 * fuzz-parse.c: libFuzzer target for the response push parser.
 *
 * Input layout:
 *	byte 0		limits: bits 0-1 pick max_line (8 16 64 1024),
 *			bits 2-3 pick max_depth (1 3 16 1000)
 *	byte 1		chunking: 0 feeds one byte at a time, any
 *			other value seeds the random chunk sizes
 *	the rest	the byte stream a server sends
 *
 * The stream is parsed twice, fed whole and fed in chunks, with every
 * event checked against the contract in imap-parse.h as it comes (used
 * never exceeds what was fed, MORE uses everything, literal data points
 * into the chunk and counts down, lines are NUL-terminated and within the
 * limit, events come in a legal order, ERROR is sticky, the parser never
 * stalls).  The two runs are then compared through a digest of their
 * events with adjacent literal chunks merged: how the bytes were split
 * must never change what the parser makes of them.  Any violation
 * aborts, which libFuzzer reports as a crash.
 *
 * Build and run (see tests/fuzz/imap.dict for the dictionary):
 *	clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
 *	    -Isrc -isystem /usr/include/bsd -DLIBBSD_OVERLAY \
 *	    src/imap-parse.c src/xmalloc.c tests/fuzz/fuzz-parse.c -lbsd \
 *	    -o fuzz-parse
 *	./fuzz-parse -dict=tests/fuzz/imap.dict CORPUS_DIR
 * Work on a copy of tests/fuzz/corpus-parse: libFuzzer adds files to it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imap-parse.h"
#include "xmalloc.h"

#define FNV_OFFSET	0xcbf29ce484222325ULL
#define FNV_PRIME	0x100000001b3ULL

/* Feeds at a stretch that may produce an event without using a byte. */
#define MAX_STALLS	1

struct digest {
	uint64_t	 hash;
	int		 in_data;	/* last event was LITERAL_DATA */
};

struct feeder {
	const uint8_t	*in;
	size_t		 len;
	size_t		 pos;
	int		 whole;
	int		 bytewise;
	uint32_t	 rng;
};

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	 check(int, const char *);
static void	 digest_add(struct digest *, const void *, size_t);
static void	 digest_u64(struct digest *, uint64_t);
static size_t	 feeder_next(struct feeder *);
static uint64_t	 parse_run(const uint8_t *, size_t, size_t, int, int,
		    uint8_t);

static const size_t	max_lines[] = { 8, 16, 64, 1024 };
static const int	max_depths[] = { 1, 3, 16, 1000 };

static void
check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz-parse: invariant violated: %s\n", what);
		abort();
	}
}

static void
digest_add(struct digest *d, const void *p, size_t len)
{
	const unsigned char	*s = p;
	size_t			 i;

	for (i = 0; i < len; i++) {
		d->hash ^= s[i];
		d->hash *= FNV_PRIME;
	}
}

static void
digest_u64(struct digest *d, uint64_t v)
{
	unsigned char	 b[8];
	int		 i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	digest_add(d, b, sizeof b);
}

/* Size of the next chunk; 0 when the input is exhausted. */
static size_t
feeder_next(struct feeder *f)
{
	size_t	 left = f->len - f->pos, n;

	if (left == 0)
		return (0);
	if (f->whole)
		n = left;
	else if (f->bytewise)
		n = 1;
	else {
		f->rng ^= f->rng << 13;
		f->rng ^= f->rng >> 17;
		f->rng ^= f->rng << 5;
		/* Mostly short chunks to split tokens, sometimes long. */
		n = f->rng % 8 == 0 ? f->rng / 8 % 512 + 1 : f->rng / 8 % 5 + 1;
	}
	return (n < left ? n : left);
}

/*
 * Parse in[0..len) once, checking every event, and return a digest of
 * the events that does not depend on chunk boundaries.
 */
static uint64_t
parse_run(const uint8_t *in, size_t len, size_t max_line, int max_depth,
    int whole, uint8_t chunking)
{
	struct imap_parser	*ps;
	struct imap_event	 ev, ev2;
	struct digest		 d = { FNV_OFFSET, 0 };
	struct feeder		 f;
	enum imap_ev_type	 type;
	char			*chunk;
	size_t			 clen = 0, coff = 0, used, used2;
	uint64_t		 lit_left = 0;
	int			 stalls = 0, in_literal = 0;
	int			 want_continued = 0;

	memset(&f, 0, sizeof f);
	f.in = in;
	f.len = len;
	f.whole = whole;
	f.bytewise = chunking == 0;
	f.rng = (uint32_t)chunking * 2654435761u | 1;

	ps = imap_parser_new(max_line, max_depth);
	check(imap_parser_idle(ps), "new parser is idle");
	chunk = xmalloc(0);

	for (;;) {
		used = (size_t)-1;
		type = imap_parse_feed(ps, chunk + coff, clen - coff, &used,
		    &ev);
		check(type == ev.type, "return value is ev->type");
		check(used <= clen - coff, "used <= len");

		if (type == IMAP_EV_ERROR) {
			check(used == 0, "ERROR uses nothing");
			check(ev.error != NULL && *ev.error != '\0',
			    "ERROR has a message");
			check(!imap_parser_idle(ps), "not idle after ERROR");
			type = imap_parse_feed(ps, chunk + coff, clen - coff,
			    &used2, &ev2);
			check(type == IMAP_EV_ERROR && used2 == 0 &&
			    ev2.error == ev.error, "ERROR is sticky");
			d.in_data = 0;
			digest_add(&d, "E", 1);
			digest_add(&d, ev.error, strlen(ev.error));
			imap_parser_reset(ps);
			check(imap_parser_idle(ps), "idle after reset");
			break;
		}

		if (type != IMAP_EV_MORE && used == 0) {
			check(++stalls <= MAX_STALLS,
			    "progress: events without using input");
		} else
			stalls = 0;

		if (type == IMAP_EV_MORE) {
			check(used == clen - coff, "MORE uses everything");
			free(chunk);
			if ((clen = feeder_next(&f)) == 0) {
				chunk = NULL;
				break;
			}
			/* An exact-size copy, so ASan sees any over-read. */
			chunk = xmalloc(clen);
			memcpy(chunk, f.in + f.pos, clen);
			f.pos += clen;
			coff = 0;
			continue;
		}

		if (type != IMAP_EV_LITERAL_DATA)
			d.in_data = 0;
		switch (type) {
		case IMAP_EV_LINE:
			check(!in_literal, "LINE not inside a literal");
			check(used > 0, "LINE uses its line end");
			check(ev.line != NULL && ev.line[ev.len] == '\0',
			    "line is NUL-terminated");
			check(ev.len <= max_line, "line within max_line");
			check(memchr(ev.line, '\n', ev.len) == NULL,
			    "line holds no LF");
			check(ev.final != ev.has_literal,
			    "final iff no literal follows");
			check(ev.continued == want_continued,
			    "continued iff a literal came before");
			digest_add(&d, "L", 1);
			digest_u64(&d, ev.len);
			digest_add(&d, ev.line, ev.len);
			digest_u64(&d, (uint64_t)ev.continued << 2 |
			    (uint64_t)ev.final << 1 | (uint64_t)ev.has_literal);
			if (ev.has_literal) {
				check(ev.literal_size <= IMAP_PARSE_MAX_LITERAL,
				    "literal size within the limit");
				digest_u64(&d, ev.literal_size);
				in_literal = 1;
				lit_left = ev.literal_size;
				want_continued = 1;
				check(!imap_parser_idle(ps),
				    "not idle before a literal");
			} else {
				want_continued = 0;
				check(imap_parser_idle(ps),
				    "idle after a final line");
			}
			break;
		case IMAP_EV_LITERAL_DATA:
			check(in_literal, "DATA inside a literal");
			check(ev.data == chunk + coff, "DATA points at input");
			check(ev.data_len == used && ev.len == used,
			    "DATA length is what was used");
			check(used > 0 && used <= lit_left,
			    "DATA within the literal");
			lit_left -= used;
			check(ev.literal_left == lit_left,
			    "literal_left counts down");
			check(used == clen - coff || lit_left == 0,
			    "DATA takes all that is available");
			check(!imap_parser_idle(ps), "not idle inside data");
			if (!d.in_data)
				digest_add(&d, "D", 1);
			d.in_data = 1;
			digest_add(&d, ev.data, ev.data_len);
			break;
		case IMAP_EV_LITERAL_END:
			check(in_literal && lit_left == 0,
			    "END when the literal is done");
			check(used == 0, "END uses nothing");
			in_literal = 0;
			digest_add(&d, "Z", 1);
			break;
		default:
			check(0, "unknown event type");
		}
		coff += used;
	}

	digest_u64(&d, (uint64_t)imap_parser_idle(ps));
	free(chunk);
	imap_parser_free(ps);
	return (d.hash);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t		 max_line;
	int		 max_depth;
	uint64_t	 whole, chunked;

	if (size < 2)
		return (0);
	max_line = max_lines[data[0] & 3];
	max_depth = max_depths[data[0] >> 2 & 3];

	whole = parse_run(data + 2, size - 2, max_line, max_depth, 1, 0);
	chunked = parse_run(data + 2, size - 2, max_line, max_depth, 0,
	    data[1]);
	check(whole == chunked, "same events whole and in chunks");
	return (0);
}
