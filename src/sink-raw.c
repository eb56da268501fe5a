/*
 * sink-raw.c: the raw printer (sink.h).
 *
 * Its wire op is given every line and literal chunk of its command as
 * they come off the wire, and prints them: at a terminal escaped (a
 * literal's line ends kept as line breaks, term-lines.h), else byte for
 * byte, each line with its CRLF back.  What it is given as items, or as
 * literals that stream, was printed already as it came: it keeps none of
 * it, so a command's data costs no memory however many responses it
 * brings.  done() says the result was shown when the command ended OK;
 * otherwise the data is dropped and the caller reports the tagged reply.
 */
#include <stdlib.h>

#include "sink-raw.h"
#include "term.h"
#include "term-lines.h"
#include "xmalloc.h"

struct sink_raw {
	struct sink		 sink;
	struct out		*out;
	struct term_lines	 tl;	/* what a literal chunk left */
};

static void	sink_raw_item(struct sink *, const struct pyval *);
static void	sink_raw_lit_begin(struct sink *, const struct pyval *,
		    uint64_t);
static void	sink_raw_lit_data(struct sink *, const char *, size_t);
static void	sink_raw_lit_end(struct sink *);
static void	sink_raw_free(struct sink *);
static void	sink_raw_wire(struct sink *, const char *, size_t, int);

static const struct sink_ops sink_raw_ops = {
	.item = sink_raw_item,
	.lit_begin = sink_raw_lit_begin,
	.lit_data = sink_raw_lit_data,
	.lit_end = sink_raw_lit_end,
	.done = sink_done_nothing_kept,
	.free = sink_raw_free,
	.wire = sink_raw_wire,
};

struct sink *
sink_raw_new(struct out *o, int streams)
{
	struct sink_raw	*sr;

	sr = xcalloc(1, sizeof *sr);
	sr->sink.ops = &sink_raw_ops;
	sr->sink.streams = streams;
	sr->out = o;
	return (&sr->sink);
}

static void
sink_raw_wire(struct sink *sk, const char *p, size_t len, int literal)
{
	struct sink_raw	*sr = (struct sink_raw *)sk;
	struct out	*o = sr->out;
	struct buf	 b;

	if (o->tty) {
		buf_init(&b, 0);
		if (literal)
			term_lines_escape(&b, p, len, &sr->tl);
		else {
			term_lines_end(&b, &sr->tl);
			term_escape(&b, p, len);
		}
		if (b.len > 0)		/* a chunk of a lone CR waits */
			out_write(o, b.data, b.len);
		buf_free(&b);
	} else
		out_write(o, p, len);
	if (!literal)
		out_write(o, o->tty ? "\n" : "\r\n", o->tty ? 1 : 2);
}

static void
sink_raw_item(struct sink *sk, const struct pyval *v)
{
	(void)sk;
	(void)v;
}

static void
sink_raw_lit_begin(struct sink *sk, const struct pyval *line, uint64_t size)
{
	(void)sk;
	(void)line;
	(void)size;
}

static void
sink_raw_lit_data(struct sink *sk, const char *p, size_t len)
{
	(void)sk;
	(void)p;
	(void)len;
}

static void
sink_raw_lit_end(struct sink *sk)
{
	(void)sk;
}

static void
sink_raw_free(struct sink *sk)
{
	free(sk);
}
