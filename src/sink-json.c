/*
 * sink-json.c: the JSON printer as a sink.
 *
 * The object starts with the status, which only the tagged reply tells,
 * so each item of the data is written into the stage (stage.c) as it
 * comes, and on OK (or PARTIAL, when the connection ended in a literal)
 * the object's head goes out, then the stage, then its end; on anything
 * else the stage is dropped and the caller prints the result as usual.
 * Whether a literal gets a "text" beside its "base64" depends on all of
 * its bytes, so literals are not taken as they come (streams is 0): the
 * core spools the big ones and the item reads them back.  The value is
 * left open for json-line.c, which closes it when the line ends.
 */
#include <stdlib.h>
#include <string.h>

#include "imap-json.h"
#include "json-line.h"
#include "output.h"
#include "pyval.h"
#include "sink-json.h"
#include "stage.h"
#include "xmalloc.h"

struct sink_json {
	struct sink	 sink;
	const char	*command;
	struct out	*dst;
	struct stage	*st;
	size_t		 n;		/* items written */
};

static void	sink_json_item(struct sink *, const struct pyval *);
static void	sink_json_lit_begin(struct sink *, const struct pyval *,
		    uint64_t);
static void	sink_json_lit_data(struct sink *, const char *, size_t);
static void	sink_json_lit_end(struct sink *);
static enum sink_done sink_json_done(struct sink *, const char *, int,
		    struct pyval **);
static void	sink_json_free(struct sink *);

static const struct sink_ops sink_json_ops = {
	.item = sink_json_item,
	.lit_begin = sink_json_lit_begin,
	.lit_data = sink_json_lit_data,
	.lit_end = sink_json_lit_end,
	.done = sink_json_done,
	.free = sink_json_free,
};

struct sink *
sink_json_new(const char *command, struct out *dst, struct stage *st)
{
	struct sink_json	*sj;

	sj = xcalloc(1, sizeof *sj);
	sj->sink.ops = &sink_json_ops;
	sj->sink.streams = 0;
	sj->command = command;
	sj->dst = dst;
	sj->st = st;
	return (&sj->sink);
}

static void
sink_json_item(struct sink *sk, const struct pyval *v)
{
	struct sink_json	*sj = (struct sink_json *)sk;
	struct out		*o = stage_out(sj->st);

	if (sj->n++ > 0)
		out_puts(o, ", ");
	json_print_value(o, v);
}

/* Not called: the sink does not stream literals. */
static void
sink_json_lit_begin(struct sink *sk, const struct pyval *line, uint64_t size)
{
	(void)sk;
	(void)line;
	(void)size;
}

static void
sink_json_lit_data(struct sink *sk, const char *p, size_t len)
{
	(void)sk;
	(void)p;
	(void)len;
}

static void
sink_json_lit_end(struct sink *sk)
{
	(void)sk;
}

static enum sink_done
sink_json_done(struct sink *sk, const char *typ, int cut,
    struct pyval **items)
{
	struct sink_json	*sj = (struct sink_json *)sk;
	int			 rc;

	*items = NULL;
	if (!cut && (typ == NULL || strcmp(typ, "OK") != 0)) {
		stage_discard(sj->st);
		return (SINK_DROPPED);
	}
	json_line_head(sj->dst, sj->command, cut ? "PARTIAL" : typ);
	out_puts(sj->dst, sj->n == 0 ? "[null" : "[");
	rc = stage_emit(sj->st, sj->dst, 0, NULL, 0, 0, NULL, NULL);
	out_puts(sj->dst, "]");	/* the line's end closes the value */
	out_flush(sj->dst);
	return (rc == 0 ? SINK_SHOWN : SINK_DROPPED);
}

static void
sink_json_free(struct sink *sk)
{
	free(sk);
}
