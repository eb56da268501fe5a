/*
 * sink-drop.c: a sink that keeps nothing (sink.h), for output that was
 * shown as it came off the wire (--format raw prints every line and
 * literal as received): a command's data then costs no memory however
 * many responses it brings.
 */
#include <stdlib.h>
#include <string.h>

#include "sink-drop.h"
#include "xmalloc.h"

static void	sink_drop_item(struct sink *, const struct pyval *);
static void	sink_drop_lit_begin(struct sink *, const struct pyval *,
		    uint64_t);
static void	sink_drop_lit_data(struct sink *, const char *, size_t);
static void	sink_drop_lit_end(struct sink *);
static enum sink_done sink_drop_done(struct sink *, const char *, int,
		    struct pyval **);
static void	sink_drop_free(struct sink *);

static const struct sink_ops sink_drop_ops = {
	.item = sink_drop_item,
	.lit_begin = sink_drop_lit_begin,
	.lit_data = sink_drop_lit_data,
	.lit_end = sink_drop_lit_end,
	.done = sink_drop_done,
	.free = sink_drop_free,
};

struct sink *
sink_drop_new(void)
{
	struct sink	*sk;

	sk = xcalloc(1, sizeof *sk);
	sk->ops = &sink_drop_ops;
	sk->streams = 1;
	return (sk);
}

static void
sink_drop_item(struct sink *sk, const struct pyval *v)
{
	(void)sk;
	(void)v;
}

static void
sink_drop_lit_begin(struct sink *sk, const struct pyval *line, uint64_t size)
{
	(void)sk;
	(void)line;
	(void)size;
}

static void
sink_drop_lit_data(struct sink *sk, const char *p, size_t len)
{
	(void)sk;
	(void)p;
	(void)len;
}

static void
sink_drop_lit_end(struct sink *sk)
{
	(void)sk;
}

static enum sink_done
sink_drop_done(struct sink *sk, const char *typ, int cut,
    struct pyval **items)
{
	(void)sk;
	(void)cut;
	*items = NULL;
	return (typ != NULL && strcmp(typ, "OK") == 0 ? SINK_SHOWN :
	    SINK_DROPPED);
}

static void
sink_drop_free(struct sink *sk)
{
	free(sk);
}
