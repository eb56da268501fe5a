/*
 * sink-python.c: the python printer as a sink.
 *
 * The items go to a live printer (py-live.c), which writes nothing
 * until ('OK', [items]) is known not to fit on one line and from then on
 * writes each item as the next one comes, literals piece by piece.  It
 * assumes the type is OK, which only the tagged reply tells.  So where it
 * writes depends on the output:
 *
 *  - Into the stage (stage.c), for a pipe or a terminal: on OK the stage
 *    goes out; on PARTIAL (the connection ended in a literal) it goes out
 *    under that head; on anything else it is discarded.
 *  - Straight to the output when that is a regular file or /dev/null,
 *    which can be taken back (output.c): on OK nothing is left to do, on
 *    anything else the file is truncated where the value began, on
 *    PARTIAL the head is rewritten in place.  This saves writing a big
 *    result twice, and is the only place output is printed before its
 *    type is known.
 *
 * A value that never stopped fitting on one line was not written at all:
 * its items go back to the caller, which prints them as any result.
 */
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "py-live.h"
#include "pyval.h"
#include "sink-python.h"
#include "stage.h"
#include "trace.h"
#include "xmalloc.h"

#define PARTIAL_HEAD	"('PARTIAL',"

struct sink_python {
	struct sink	 sink;
	struct out	*dst;
	struct stage	*st;		/* NULL: straight to dst */
	struct py_live	*lv;
	const char	*hl_on;
	const char	*hl_off;
};

static void	sink_python_item(struct sink *, const struct pyval *);
static void	sink_python_lit_begin(struct sink *, const struct pyval *,
		    uint64_t);
static void	sink_python_lit_data(struct sink *, const char *, size_t);
static void	sink_python_lit_end(struct sink *);
static enum sink_done sink_python_done(struct sink *, const char *, int,
		    struct pyval **);
static void	sink_python_free(struct sink *);
static enum sink_done sink_python_shown(struct sink_python *, int);

static const struct sink_ops sink_python_ops = {
	.item = sink_python_item,
	.lit_begin = sink_python_lit_begin,
	.lit_data = sink_python_lit_data,
	.lit_end = sink_python_lit_end,
	.done = sink_python_done,
	.free = sink_python_free,
};

struct sink *
sink_python_new(const char *name, struct out *dst, struct stage *st,
    const char *hl_on, const char *hl_off)
{
	struct sink_python	*sp;

	sp = xcalloc(1, sizeof *sp);
	sp->sink.ops = &sink_python_ops;
	sp->sink.streams = 1;
	sp->dst = dst;
	sp->hl_on = hl_on;
	sp->hl_off = hl_off;
	if (dst->takeback != 0 && hl_on == NULL && out_mark(dst) == 0)
		sp->st = NULL;
	else
		sp->st = st;
	if (trace_level >= 4)
		trace_msg("%s data printed as it comes (%s)", name,
		    sp->st == NULL ? "the output can be taken back" :
		    "held until the tagged reply");
	sp->lv = py_live_new(sp->st == NULL ? dst : stage_out(sp->st));
	return (&sp->sink);
}

static void
sink_python_item(struct sink *sk, const struct pyval *v)
{
	py_live_item(((struct sink_python *)sk)->lv, v);
}

static void
sink_python_lit_begin(struct sink *sk, const struct pyval *line,
    uint64_t size)
{
	py_live_lit_begin(((struct sink_python *)sk)->lv, line, size);
}

static void
sink_python_lit_data(struct sink *sk, const char *p, size_t len)
{
	py_live_lit_data(((struct sink_python *)sk)->lv, p, len);
}

static void
sink_python_lit_end(struct sink *sk)
{
	py_live_lit_end(((struct sink_python *)sk)->lv);
}

/* The value was written under the head ('OK', (cut 0) or is PARTIAL data
 * (cut 1): let it out. */
static enum sink_done
sink_python_shown(struct sink_python *sp, int cut)
{
	const char	*head = cut ? PARTIAL_HEAD : NULL;
	size_t		 skip = cut ? strlen(PY_LIVE_HEAD) : 0;
	size_t		 hl_len = cut ? strlen("'PARTIAL'") : strlen("'OK'");

	if (sp->st != NULL) {
		if (stage_emit(sp->st, sp->dst, skip, head, 1, hl_len,
		    sp->hl_on, sp->hl_off) == -1)
			return (SINK_DROPPED);
	} else if (cut && out_rehead(sp->dst, skip, head,
	    strlen(head)) == -1) {
		out_flush(sp->dst);
		return (SINK_DROPPED);
	}
	out_flush(sp->dst);
	return (SINK_SHOWN);
}

static enum sink_done
sink_python_done(struct sink *sk, const char *typ, int cut,
    struct pyval **items)
{
	struct sink_python	*sp = (struct sink_python *)sk;
	int			 ok = typ != NULL && strcmp(typ, "OK") == 0;

	*items = NULL;
	if (!py_live_started(sp->lv)) {
		if (!ok && !cut)
			return (SINK_DROPPED);
		*items = py_live_take_pending(sp->lv);
		if ((*items)->n == 0 && !cut)
			pv_append(*items, pv_none());
		return (SINK_PENDING);
	}
	if (ok || cut) {
		if (cut)
			py_live_cut(sp->lv);
		else
			py_live_finish(sp->lv);
		return (sink_python_shown(sp, cut));
	}
	if (sp->st != NULL)
		stage_discard(sp->st);
	else
		(void)out_take_back(sp->dst);
	return (SINK_DROPPED);
}

static void
sink_python_free(struct sink *sk)
{
	struct sink_python	*sp = (struct sink_python *)sk;

	py_live_free(sp->lv);
	free(sp);
}
