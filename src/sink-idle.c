/*
 * sink-idle.c: IDLE's printer (sink.h).
 *
 * While idle runs, the server's own words are the output: its untagged op
 * prints each untagged response as it is filed, as the (typ, [data]) pair
 * imaplib's idle yields (or, under --format json, as an event of the
 * line's value).  IDLE returns no data of an untagged name of its own:
 * the sink is set with no name, has no item or literal ops, and done()
 * leaves the result to the tagged reply.  The prompt's message count is the
 * session's watch's to keep (complete.c), not the printer's.
 */
#include <stdlib.h>

#include "cmd.h"
#include "json-line.h"
#include "sink-idle.h"
#include "xmalloc.h"

struct sink_idle {
	struct sink	 sink;
	struct session	*s;
};

static enum sink_done sink_idle_done(struct sink *, const char *, int,
		    struct pyval **);
static void	sink_idle_free(struct sink *);
static void	sink_idle_untagged(struct sink *, const char *,
		    const struct pyval *);

static const struct sink_ops sink_idle_ops = {
	.done = sink_idle_done,
	.free = sink_idle_free,
	.untagged = sink_idle_untagged,
};

struct sink *
sink_idle_new(struct session *s)
{
	struct sink_idle	*si;

	si = xcalloc(1, sizeof *si);
	si->sink.ops = &sink_idle_ops;
	si->s = s;
	return (&si->sink);
}

/* Each response while idling, as imaplib's idle yields it. */
static void
sink_idle_untagged(struct sink *sk, const char *typ, const struct pyval *items)
{
	struct session	*s = ((struct sink_idle *)sk)->s;

	if (s->format == FMT_JSON)
		json_line_event(s->out, "idle", typ, items);
	else
		cmd_print(s, typ, items);
}

static enum sink_done
sink_idle_done(struct sink *sk, const char *typ, int cut,
    struct pyval **items)
{
	(void)sk;
	(void)typ;
	(void)cut;
	*items = NULL;
	return (SINK_DROPPED);
}

static void
sink_idle_free(struct sink *sk)
{
	free(sk);
}
