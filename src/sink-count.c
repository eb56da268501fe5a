/*
 * sink-count.c: a progress line that counts a command's responses.
 *
 * A big literal has its own progress line (bytes, rate, time left); a
 * FETCH of many small messages has none, and at a terminal the shell
 * then looks stuck while the value is held for the tagged reply.  This
 * sink passes everything to the one it wraps and counts the responses
 * (the items whose line starts with a number: "12 (UID ..."), drawing
 * "receiving N FETCH responses" on standard error once the command has
 * run half a second, then ten times a second; the line is erased before
 * the result is printed.
 */
#include <ctype.h>
#include <stdlib.h>

#include "output.h"
#include "pyval.h"
#include "sink-count.h"
#include "transport.h"
#include "xmalloc.h"

#define COUNT_FIRST_MS	500	/* no line for a command quicker than this */
#define COUNT_EVERY_MS	100

struct sink_count {
	struct sink	 sink;
	struct sink	*inner;
	const char	*name;
	struct out	*err;
	unsigned long long n;
	long long	 t0, last;
	int		 drawn;
};

static void	sink_count_item(struct sink *, const struct pyval *);
static void	sink_count_lit_begin(struct sink *, const struct pyval *,
		    uint64_t);
static void	sink_count_lit_data(struct sink *, const char *, size_t);
static void	sink_count_lit_end(struct sink *);
static enum sink_done sink_count_done(struct sink *, const char *, int,
		    struct pyval **);
static void	sink_count_free(struct sink *);
static void	sink_count_tick(struct sink_count *, const struct pyval *);

static const struct sink_ops sink_count_ops = {
	.item = sink_count_item,
	.lit_begin = sink_count_lit_begin,
	.lit_data = sink_count_lit_data,
	.lit_end = sink_count_lit_end,
	.done = sink_count_done,
	.free = sink_count_free,
};

struct sink *
sink_count_new(struct sink *inner, const char *name, struct out *err)
{
	struct sink_count	*sc;

	sc = xcalloc(1, sizeof *sc);
	sc->sink.ops = &sink_count_ops;
	sc->sink.streams = inner->streams;
	sc->inner = inner;
	sc->name = name;
	sc->err = err;
	sc->t0 = tr_now_ms();
	return (&sc->sink);
}

/* Count v if it starts a response (its line starts with the message
 * number), and redraw when it is time. */
static void
sink_count_tick(struct sink_count *sc, const struct pyval *v)
{
	long long	now;

	if (v != NULL && v->type == PV_TUPLE && v->n > 0)
		v = v->items[0];
	if (v != NULL && v->type == PV_BYTES && v->s != NULL && v->len > 0 &&
	    isdigit((unsigned char)v->s[0]))
		sc->n++;
	if ((sc->n & 63) != 0)
		return;		/* the clock is read every 64 responses */
	now = tr_now_ms();
	if (now - sc->t0 < COUNT_FIRST_MS || now - sc->last < COUNT_EVERY_MS)
		return;
	sc->last = now;
	sc->drawn = 1;
	out_printf(sc->err, "\r\033[K  receiving %llu %s responses, %.0f/s",
	    sc->n, sc->name, (double)sc->n * 1000.0 / (double)(now - sc->t0));
	out_flush(sc->err);
}

static void
sink_count_item(struct sink *sk, const struct pyval *v)
{
	struct sink_count	*sc = (struct sink_count *)sk;

	sc->inner->ops->item(sc->inner, v);
	sink_count_tick(sc, v);
}

static void
sink_count_lit_begin(struct sink *sk, const struct pyval *line, uint64_t size)
{
	struct sink_count	*sc = (struct sink_count *)sk;

	sc->inner->ops->lit_begin(sc->inner, line, size);
	sink_count_tick(sc, line);
}

static void
sink_count_lit_data(struct sink *sk, const char *p, size_t len)
{
	struct sink_count	*sc = (struct sink_count *)sk;

	sc->inner->ops->lit_data(sc->inner, p, len);
}

static void
sink_count_lit_end(struct sink *sk)
{
	struct sink_count	*sc = (struct sink_count *)sk;

	sc->inner->ops->lit_end(sc->inner);
}

static enum sink_done
sink_count_done(struct sink *sk, const char *typ, int cut,
    struct pyval **items)
{
	struct sink_count	*sc = (struct sink_count *)sk;

	if (sc->drawn) {
		out_puts(sc->err, "\r\033[K");
		out_flush(sc->err);
	}
	return (sc->inner->ops->done(sc->inner, typ, cut, items));
}

static void
sink_count_free(struct sink *sk)
{
	struct sink_count	*sc = (struct sink_count *)sk;

	sc->inner->ops->free(sc->inner);
	free(sc);
}
