/*
 * cmd-simple.c: a command sent with its wire arguments, its data taken
 * by the sink the output format calls for, and its result printed:
 * cmd_simple() and the command layer's sinks (sink.h) around it.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "intr.h"
#include "sink-count.h"
#include "sink-json.h"
#include "sink-python.h"
#include "sink-raw.h"
#include "trace.h"

static int	cmd_sink_done(struct session *, struct sink *, enum imap_exc,
		    const char *, const char *, char **, struct pyval **);

/*
 * The sink of a command that returns the data of the untagged name
 * "untagged" (sink.h), by the output format: the python or JSON printer,
 * or, for raw output (already shown as it came), one that keeps nothing.
 * Items already filed under the name come first, as they do in the value.
 * NULL when there is none.
 */
struct sink *
cmd_sink_new(struct session *s, const char *untagged)
{
	struct pyval	*early;
	struct sink	*sk;
	char		*cause = NULL;
	size_t		 i;
	int		 color;

	if (untagged == NULL)
		return (NULL);
	switch (s->format) {
	case FMT_RAW:
		sk = sink_raw_new(s->out, 1);
		break;
	case FMT_PYTHON:
	case FMT_JSON:
		if (s->stage == NULL && (s->stage = stage_new(&cause)) ==
		    NULL) {
			if (trace_level >= 1)
				trace_msg("no stage for results: %s", cause);
			free(cause);
			return (NULL);
		}
		if (s->format == FMT_JSON) {
			sk = sink_json_new(s->current_cmd != NULL ?
			    s->current_cmd : "", s->out, s->stage);
			break;
		}
		color = cmd_color(s, s->out);
		sk = sink_python_new(untagged, s->out, s->stage,
		    color ? "\033[1;32m" : NULL, color ? "\033[0m" : NULL);
		break;
	default:
		return (NULL);
	}
	/* Held for the tagged reply: a person at a terminal sees how many
	 * responses have come. */
	if (s->err->tty && s->format != FMT_RAW)
		sk = sink_count_new(sk, untagged, s->err);
	if ((early = imap_ur_pop(s->im, untagged)) != NULL) {
		for (i = 0; i < early->n; i++)
			sk->ops->item(sk, early->items[i]);
		pv_free(early);
	}
	cmd_sink_free(imap_set_sink(s->im, sk, untagged));
	return (sk);
}

/* The sink a command runs with until it chooses its own, and again
 * after it: --format raw's printer (every line as it comes), or none. */
struct sink *
cmd_sink_base(struct session *s)
{
	return (s->format == FMT_RAW ? sink_raw_new(s->out, 1) : NULL);
}

void
cmd_sink_free(struct sink *sk)
{
	if (sk != NULL)
		sk->ops->free(sk);
}

/*
 * End a command that had a sink: the sink prints the result or gives
 * back its items.  CMD_OK/CMD_FAILED when the result is settled (*data is
 * then NULL); -1 when the caller goes on with *data as the untagged
 * data (NULL: take it from the tagged reply as imaplib does).
 */
static int
cmd_sink_done(struct session *s, struct sink *sk, enum imap_exc e,
    const char *typ, const char *untagged, char **msg, struct pyval **data)
{
	enum sink_done	 d;
	struct pyval	*items;
	unsigned long long dropped;
	int		 cut;

	dropped = imap_sink_dropped(s->im);
	(void)imap_set_sink(s->im, cmd_sink_base(s), NULL);
	*data = NULL;
	/* Cut short by a Ctrl-C, the result is dropped, not PARTIAL. */
	cut = e == IMAP_ABORT && imap_partial(s->im) != NULL &&
	    strcmp(imap_partial(s->im), untagged) == 0 && intr_count() == 0;
	d = sk->ops->done(sk, e == IMAP_OK ? typ : NULL, cut, &items);
	sk->ops->free(sk);
	if (cut) {
		if (d == SINK_PENDING)
			cmd_print(s, "PARTIAL", items);
		pv_free(items);
		cmd_partial_said(s, msg);
		return (cmd_exc(s, e, *msg));
	}
	if (d == SINK_SHOWN && e == IMAP_OK) {
		imap_ur_delete(s->im, untagged);
		out_flush(s->out);
		return (CMD_OK);
	}
	if (dropped > 0 && e == IMAP_OK && strcmp(typ, "NO") == 0)
		cmd_notice(s, "%llu %s responses that came before the NO "
		    "were not kept (over %u KB): imaplib would return them "
		    "with the next command", dropped, untagged,
		    IMAP_SINK_KEEP / 1024);
	*data = items;
	return (-1);
}

/* The end of a command with data from the untagged name "untagged" (or
 * none): the result printed through its sink or as (typ, data). */
enum cmd_status
cmd_simple_end(struct session *s, struct sink *sk, enum imap_exc e,
    char *typ, struct pyval *data, char *msg, const char *untagged)
{
	struct pyval	*out, *items = NULL;
	enum cmd_status	 st;
	int		 r;

	if (sk != NULL && (r = cmd_sink_done(s, sk, e, typ, untagged, &msg,
	    &items)) != -1) {
		if (e == IMAP_OK)
			pv_free(data);
		free(typ);
		return ((enum cmd_status)r);
	}
	if (e == IMAP_ERROR && untagged != NULL &&
	    strcmp(msg, IMAP_INTERRUPTED) == 0)
		imap_ur_delete(s->im, untagged);	/* the dropped result */
	if (e == IMAP_ABORT && imap_partial(s->im) != NULL)
		cmd_show_partial(s, &msg);
	if (e != IMAP_OK) {
		pv_free(items);
		return (cmd_exc(s, e, msg));
	}
	if (items != NULL && strcmp(typ, "NO") != 0) {
		pv_free(data);
		imap_ur_delete(s->im, untagged);
		out = items;
	} else if (untagged != NULL) {
		pv_free(items);
		imap_untagged_response(s->im, typ, data, untagged, &out);
	} else
		out = data;
	st = cmd_result(s, typ, out);
	free(typ);
	return (st);
}

/*
 * Run name with the wire arguments; print (typ, data), taking the data
 * from the untagged response "untagged" when it is not NULL.
 */
enum cmd_status
cmd_simple(struct session *s, const char *name, struct cmd_wire *cw,
    const char *untagged)
{
	struct pyval	*data = NULL;
	struct sink	*sk;
	enum imap_exc	 e;
	char		*typ = NULL, *msg = NULL;

	sk = cmd_sink_new(s, untagged);
	e = imap_simple_command(s->im, name, cw != NULL ? cw->a : NULL,
	    cw != NULL ? cw->n : 0, &typ, &data, &msg);
	if (cw != NULL)
		wire_free(cw);
	return (cmd_simple_end(s, sk, e, typ, data, msg, untagged));
}

/*
 * Send name with the words first[] then rest[] by the quoting rule (None
 * left out) and print (typ, data), the data taken from the untagged
 * response "untagged" when it is not NULL.
 */
enum cmd_status
cmd_words(struct session *s, struct cmd_args *ca, const char *name,
    const struct word **first, size_t nfirst, const struct word **rest,
    size_t nrest, const char *untagged)
{
	struct cmd_built cb;
	char		*cause = NULL;
	int		 r;

	cmd_build_init(&cb);
	cb.name = name;
	cb.untagged = untagged != NULL ? xstrdup(untagged) : NULL;
	r = cmd_build_words(&cb, s, ca, first, nfirst, rest, nrest, &cause);
	return (cmd_build_run(s, &cb, r, cause));
}

/* Send name with the first n bound parameters. */
enum cmd_status
cmd_params(struct session *s, struct cmd_args *ca, const char *name,
    size_t n, const char *untagged)
{
	return (cmd_words(s, ca, name, ca->p, n, NULL, 0, untagged));
}
