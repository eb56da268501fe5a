/*
 * json-line.c: with --format json, one JSON value for each input line
 * (json-line.h), so that a script's output lines up with its input.
 *
 * The value a line prints is left open: its end adds what only the end
 * of the line knows (the exit status class, the line's number, the
 * error) and closes it.  A line that printed nothing gets its value
 * there, from the status and error it ended with and the text it wrote
 * on stdout, which was captured in an unlinked file while it ran (the
 * local commands' text, raw's server lines) and is read back in chunks,
 * one data item per line, so a big raw reply costs no memory.
 */
#include <sys/types.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "imap-json.h"
#include "json-line.h"
#include "trace.h"
#include "xmalloc.h"

#define JL_NONE		0	/* nothing printed yet */
#define JL_HEAD		1	/* a value up to its data, status written */
#define JL_EVENTS	2	/* "responses": [ open, no status yet */
#define JL_CHUNK	(64 * 1024)

static struct {
	struct out	*o;		/* where values go; NULL: no line */
	int		 open;
	char		*kind;		/* the first error: its kind */
	char		*error;		/* and message */
	char		*status;	/* json_line_status() */
	struct spool	*cap;		/* captured stdout */
	struct out	*saved;		/* s->out while it is captured */
	int		 cap_bytes;
	struct out	 capo;
} jl;

static struct out *json_line_out(struct out *);
static void	json_line_open(struct out *, const char *);
static const char *json_line_status_of(int);
static void	json_line_captured(struct out *);
static void	json_line_item(struct out *, uint64_t, uint64_t, char *);
static void	json_line_reset(void);

void
json_line_begin(struct out *o)
{
	json_line_reset();
	jl.o = o;
}

static void
json_line_reset(void)
{
	free(jl.kind);
	free(jl.error);
	free(jl.status);
	jl.kind = jl.error = jl.status = NULL;
	if (jl.cap != NULL)
		spool_unref(jl.cap);
	jl.cap = NULL;
	jl.o = NULL;
	jl.open = JL_NONE;
}

void
json_line_capture(struct session *s, int bytes)
{
	char	*cause = NULL;

	if (jl.saved != NULL)
		return;
	/* Without a file the text is dropped (its data is null): it must
	 * not reach the output, which is JSON. */
	if ((jl.cap = spool_new(&cause)) == NULL && trace_level >= 1)
		trace_msg("no file for a command's text: %s", cause);
	free(cause);
	out_flush(s->out);
	out_init(&jl.capo, jl.cap != NULL ? jl.cap->fd : -1);
	jl.saved = s->out;
	jl.cap_bytes = bytes;
	s->out = &jl.capo;
}

void
json_line_error(const char *kind, const char *msg)
{
	if (jl.error != NULL)
		return;
	jl.kind = xstrdup(kind);
	jl.error = xstrdup(msg);
}

void
json_line_status(const char *typ)
{
	free(jl.status);
	jl.status = xstrdup(typ);
}

/* Values go to the line's output, not to a capture. */
static struct out *
json_line_out(struct out *o)
{
	return (jl.o != NULL ? jl.o : o);
}

/* {"command": name (null for a line that names none) */
static void
json_line_open(struct out *o, const char *command)
{
	out_puts(o, "{\"command\": ");
	if (command == NULL)
		out_puts(o, "null");
	else
		json_print_string(o, command, strlen(command));
}

struct out *
json_line_head(struct out *o, const char *command, const char *status)
{
	o = json_line_out(o);
	if (jl.open == JL_EVENTS)
		out_puts(o, "], \"status\": ");
	else {
		if (jl.open == JL_HEAD)
			out_puts(o, "}\n");	/* a second result */
		json_line_open(o, command);
		out_puts(o, ", \"status\": ");
	}
	json_print_string(o, status, strlen(status));
	out_puts(o, ", \"data\": ");
	jl.open = JL_HEAD;
	return (o);
}

void
json_line_result(struct out *o, const char *command, const char *status,
    const struct pyval *data)
{
	o = json_line_head(o, command, status);
	if (data == NULL)
		out_puts(o, "null");
	else
		json_print_value(o, data);
}

void
json_line_event(struct out *o, const char *command, const char *typ,
    const struct pyval *items)
{
	o = json_line_out(o);
	if (jl.open == JL_EVENTS)
		out_puts(o, ", ");
	else {
		if (jl.open == JL_HEAD)
			out_puts(o, "}\n");
		json_line_open(o, command);
		out_puts(o, ", \"responses\": [");
		jl.open = JL_EVENTS;
	}
	out_putc(o, '[');
	json_print_string(o, typ, strlen(typ));
	out_puts(o, ", ");
	if (items == NULL)
		out_puts(o, "null");
	else
		json_print_value(o, items);
	out_putc(o, ']');
	out_flush(o);
}

/* The status of a line that printed no result. */
static const char *
json_line_status_of(int st)
{
	if (jl.status != NULL)
		return (jl.status);
	switch (st) {
	case CMD_OK:
		return ("OK");
	case CMD_USAGE:
		return ("usage");
	case CMD_ABORT:
		return ("abort");
	default:		/* "error" or "readonly" */
		return (jl.kind != NULL ? jl.kind : "error");
	}
}

/* One line [off, off + len) of the capture as a data item: a string, or
 * bytes when the capture holds a server's bytes or the line is long. */
static void
json_line_item(struct out *o, uint64_t off, uint64_t len, char *chunk)
{
	struct pyval	*v;

	if (!jl.cap_bytes && len <= JL_CHUNK &&
	    spool_read(jl.cap, off, chunk, (size_t)len) == (ssize_t)len) {
		json_print_string(o, chunk, (size_t)len);
		return;
	}
	v = pv_bytes_spool_range(jl.cap, off, len);
	json_print_value(o, v);
	pv_free(v);
}

/* The captured text as an array of its lines (CR LF or LF), or null. */
static void
json_line_captured(struct out *o)
{
	char		*scan, *item, *nl, before = '\0';
	off_t		 end;
	uint64_t	 off, start = 0, len;
	size_t		 i;
	ssize_t		 n;
	int		 first = 1;

	if (jl.cap == NULL || (end = lseek(jl.cap->fd, 0, SEEK_CUR)) <= 0) {
		out_puts(o, "null");
		return;
	}
	jl.cap->size = (uint64_t)end;
	scan = xmalloc(JL_CHUNK);
	item = xmalloc(JL_CHUNK);
	out_putc(o, '[');
	for (off = 0; off < jl.cap->size; off += (uint64_t)n) {
		if ((n = spool_read(jl.cap, off, scan, JL_CHUNK)) <= 0)
			break;
		for (i = 0; (nl = memchr(scan + i, '\n', (size_t)n - i)) !=
		    NULL; i = (size_t)(nl - scan) + 1) {
			len = off + (uint64_t)(nl - scan) - start;
			if (len > 0 && (nl > scan ? nl[-1] : before) == '\r')
				len--;
			if (!first)
				out_puts(o, ", ");
			first = 0;
			json_line_item(o, start, len, item);
			start = off + (uint64_t)(nl - scan) + 1;
		}
		before = scan[n - 1];
	}
	if (start < jl.cap->size) {
		if (!first)
			out_puts(o, ", ");
		json_line_item(o, start, jl.cap->size - start, item);
	}
	out_putc(o, ']');
	free(scan);
	free(item);
}

void
json_line_end(struct session *s, const char *command, int st)
{
	struct out	*o;

	if (jl.o == NULL && s->format != FMT_JSON)
		return;		/* not a JSON line */
	if (jl.saved != NULL) {
		out_flush(&jl.capo);
		s->out = jl.saved;
		jl.saved = NULL;
	}
	o = jl.o != NULL ? jl.o : s->out;
	out_resume(o);		/* the line's record, after a Ctrl-C */
	if (jl.open == JL_EVENTS) {
		out_puts(o, "], \"status\": ");
		json_print_string(o, json_line_status_of(st),
		    strlen(json_line_status_of(st)));
		out_puts(o, ", \"data\": null");
	} else if (jl.open == JL_NONE) {
		json_line_open(o, command);
		out_puts(o, ", \"status\": ");
		json_print_string(o, json_line_status_of(st),
		    strlen(json_line_status_of(st)));
		out_puts(o, ", \"data\": ");
		json_line_captured(o);
	}
	out_printf(o, ", \"exit\": %d", st);
	if (s->lineno > 0)
		out_printf(o, ", \"line\": %lld", s->lineno);
	if (jl.error != NULL) {
		out_puts(o, ", \"error\": ");
		json_print_string(o, jl.error, strlen(jl.error));
	}
	out_puts(o, "}\n");
	out_flush(o);
	json_line_reset();
}
