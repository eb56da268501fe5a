/*
 * test-sink.c: the stage (stage.c) and the result sinks (sink-python.c,
 * sink-json.c) on their own.
 *
 * A sink is fed a command's items as the core would feed them, and what
 * it leaves on the output is compared with what py_print() prints
 * and the JSON object json-line.c makes (closed) holds for the same
 * (typ, data): whole on OK, nothing on NO (the items come back or are
 * dropped as the sink says), under a
 * PARTIAL head when the connection was cut.  The output is a file opened
 * for appending, which cannot be taken back (so the value is held in the
 * stage, as for a pipe), or a regular file that can be taken back, so
 * both of the python sink's paths run.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imap-json.h"
#include "json-line.h"
#include "output.h"
#include "py-print.h"
#include "pyval.h"
#include "sink-json.h"
#include "sink-python.h"
#include "stage.h"
#include "tap.h"
#include "xmalloc.h"

static char	*tmpdir;

static void	cleanup(void);
static int	shown_as(int, int, struct stage *, const struct pyval *,
		    const char *, int, const struct pyval *);

/* A fresh output file; append: opened O_APPEND (no take-back). */
static int
out_file(const char *name, int append, char **path)
{
	int	fd;

	xasprintf(path, "%s/%s", tmpdir, name);
	fd = open(*path, O_RDWR | O_CREAT | O_TRUNC | (append ? O_APPEND : 0),
	    0600);
	if (fd == -1) {
		perror(*path);
		exit(2);
	}
	return (fd);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*fp;
	char	*s;
	long	 n;

	if ((fp = fopen(path, "rb")) == NULL)
		return (xstrdup(""));
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	s = xmalloc((size_t)n + 1);
	*len = fread(s, 1, (size_t)n, fp);
	s[*len] = '\0';
	fclose(fp);
	return (s);
}

/* n items like a FETCH's: some bytes, some (line, literal) tuples, one
 * literal of big bytes (over the stage's 64 KB of memory). */
static struct pyval *
items(int n, size_t big)
{
	struct pyval	*l = pv_list(), *t;
	char		 line[64], *b;
	int		 i;

	for (i = 1; i <= n; i++) {
		snprintf(line, sizeof line, "%d (UID %d FLAGS (\\Seen))", i,
		    i * 7);
		if (i % 3 != 0) {
			pv_append(l, pv_bytes(line, strlen(line)));
			continue;
		}
		t = pv_tuple();
		snprintf(line, sizeof line, "%d (BODY[] {%zu}", i,
		    i == 3 ? big : (size_t)12);
		pv_append(t, pv_bytes(line, strlen(line)));
		if (i == 3) {
			b = xmalloc(big);
			memset(b, 'x', big);
			b[big / 2] = '\n';
			pv_append(t, pv_bytes_take(b, big));
		} else
			pv_append(t, pv_bytes("hello\r\nworld", 12));
		pv_append(l, t);
		pv_append(l, pv_bytes(")", 1));
	}
	return (l);
}

/* What py_print() prints for (typ, data). */
static char *
expect_python(const char *typ, const struct pyval *data, size_t *len)
{
	struct pyval	*t;
	struct out	 o;
	char		*path, *s;
	int		 fd;

	fd = out_file("expect", 0, &path);
	out_init(&o, fd);
	t = pv_tuple();
	pv_append(t, pv_str(typ));
	pv_append(t, pv_copy(data));
	py_print(&o, t);
	out_flush(&o);
	close(fd);
	pv_free(t);
	s = slurp(path, len);
	free(path);
	return (s);
}

static char *
expect_json(const char *typ, const struct pyval *data, size_t *len)
{
	struct out	 o;
	char		*path, *s;
	int		 fd;

	fd = out_file("expect", 0, &path);
	out_init(&o, fd);
	/* The object json-line.c opens for a result, closed. */
	out_puts(&o, "{\"command\": ");
	json_print_string(&o, "fetch", 5);
	out_puts(&o, ", \"status\": ");
	json_print_string(&o, typ, strlen(typ));
	out_puts(&o, ", \"data\": ");
	if (data == NULL)
		out_puts(&o, "null");
	else
		json_print_value(&o, data);
	out_puts(&o, "}\n");
	out_flush(&o);
	close(fd);
	s = slurp(path, len);
	free(path);
	return (s);
}

/*
 * Feed data to a new sink (python, or JSON), end it with typ (NULL: no
 * tagged reply) and cut; what the output file holds, and the sink's
 * verdict and items.
 */
static char *
run_sink(int json, int append, struct stage *st, const struct pyval *data,
    const char *typ, int cut, enum sink_done *d, struct pyval **back,
    size_t *len)
{
	struct sink	*sk;
	struct out	 o;
	char		*path, *s;
	size_t		 i;
	int		 fd;

	fd = out_file("got", append, &path);
	out_init(&o, fd);
	out_takeback_init(&o, -1);
	if (json) {
		json_line_begin(&o);	/* as a line of input does */
		sk = sink_json_new("fetch", &o, st);
	} else
		sk = sink_python_new("FETCH", &o, st, NULL, NULL);
	for (i = 0; i < data->n; i++)
		sk->ops->item(sk, data->items[i]);
	*d = sk->ops->done(sk, typ, cut, back);
	if (json && *d == SINK_SHOWN)
		out_puts(&o, "}\n");	/* as the line's end does (json-line.c) */
	sk->ops->free(sk);
	out_flush(&o);
	close(fd);
	s = slurp(path, len);
	free(path);
	return (s);
}

/*
 * 1 if the sink fed data and ended with typ and cut shows (typ, value),
 * typ being PARTIAL when cut: printed by the sink, or given back to be
 * printed as any result.
 */
static int
shown_as(int json, int append, struct stage *st, const struct pyval *data,
    const char *typ, int cut, const struct pyval *value)
{
	struct pyval	*back;
	enum sink_done	 d;
	const char	*head = cut ? "PARTIAL" : typ;
	char		*got, *want;
	size_t		 glen, wlen;
	int		 same;

	got = run_sink(json, append, st, data, typ, cut, &d, &back, &glen);
	want = json ? expect_json(head, value, &wlen) :
	    expect_python(head, value, &wlen);
	if (d == SINK_PENDING) {
		free(got);
		got = json ? expect_json(head, back, &glen) :
		    expect_python(head, back, &glen);
	}
	same = d != SINK_DROPPED && glen == wlen &&
	    memcmp(got, want, wlen) == 0;
	pv_free(back);
	free(got);
	free(want);
	return (same);
}

static void
test_stage(void)
{
	struct stage	*st;
	struct out	 o, *so;
	char		*cause = NULL, *path, *s, *want;
	size_t		 len, i, n = 200000;
	int		 fd;

	if ((st = stage_new(&cause)) == NULL) {
		ok(0, "stage_new: %s", cause);
		return;
	}
	/* Past the 64 KB buffer: the file, then the copy out. */
	so = stage_out(st);
	want = xmalloc(n + 1);
	for (i = 0; i < n; i++)
		want[i] = (char)('a' + i % 26);
	want[n] = '\0';
	out_write(so, "('OK', ", 7);
	out_write(so, want, n);
	fd = out_file("stage", 1, &path);
	out_init(&o, fd);
	ok(stage_emit(st, &o, 0, NULL, 0, 0, NULL, NULL) == 0,
	    "a stage of 200 KB is emitted");
	out_flush(&o);
	close(fd);
	s = slurp(path, &len);
	ok(len == n + 7 && memcmp(s, "('OK', ", 7) == 0 &&
	    memcmp(s + 7, want, n) == 0, "byte for byte (%zu bytes)", len);
	free(s);
	/* The head replaced, and a highlight around it. */
	out_write(so, "('OK', [b'x'])\n", 15);
	free(path);
	fd = out_file("stage", 0, &path);
	out_init(&o, fd);
	ok(stage_emit(st, &o, strlen("('OK',"), "('PARTIAL',", 1, 9, "<",
	    ">") == 0, "emitted under another head");
	out_flush(&o);
	close(fd);
	s = slurp(path, &len);
	ok(strcmp(s, "(<'PARTIAL'>, [b'x'])\n") == 0, "head and highlight: "
	    "%.*s", (int)strcspn(s, "\n"), s);
	free(s);
	/* Discarded: nothing left for the next emit. */
	out_write(so, want, n);
	stage_discard(st);
	out_write(so, "next", 4);
	free(path);
	fd = out_file("stage", 0, &path);
	out_init(&o, fd);
	(void)stage_emit(st, &o, 0, NULL, 0, 0, NULL, NULL);
	out_flush(&o);
	close(fd);
	s = slurp(path, &len);
	ok(strcmp(s, "next") == 0, "a discarded stage leaves nothing: %.20s",
	    s);
	free(s);
	free(want);
	free(path);
	stage_free(st);
}

/* Every path of both sinks, with few items (one line) and many. */
static void
test_sinks(void)
{
	struct stage	*st;
	struct pyval	*data, *back, *nodata;
	enum sink_done	 d;
	char		*cause = NULL, *got;
	size_t		 glen;
	int		 json, append, n, bad;

	if ((st = stage_new(&cause)) == NULL) {
		ok(0, "stage_new: %s", cause);
		return;
	}
	nodata = pv_list1(pv_none());
	for (json = 0; json <= 1; json++)
	for (append = 0; append <= 1; append++)
	for (n = 0; n <= 40; n += n < 3 ? 1 : 37) {
		bad = 0;
		data = items(n, 100000);
		/* OK: the whole value, or its items back when it was never
		 * written (it fits on one line). */
		bad += !shown_as(json, append, st, data, "OK", 0,
		    n > 0 ? data : nodata);
		/* NO: nothing printed, the items not shown. */
		got = run_sink(json, append, st, data, "NO", 0, &d, &back,
		    &glen);
		if (glen != 0 || d == SINK_SHOWN)
			bad++;
		pv_free(back);
		free(got);
		/* No tagged reply (interrupted, or the connection lost). */
		got = run_sink(json, append, st, data, NULL, 0, &d, &back,
		    &glen);
		if (glen != 0 || d == SINK_SHOWN)
			bad++;
		pv_free(back);
		free(got);
		/* Cut in a literal: the PARTIAL value. */
		if (n > 0) {
			bad += !shown_as(json, append, st, data, NULL, 1,
			    data);
		}
		ok(bad == 0, "%s sink, %s output, %d items: OK, NO, no reply "
		    "and a cut each as printed whole", json ? "JSON" :
		    "python", append ? "appended (held in the stage)" :
		    "take-back file", n);
		pv_free(data);
	}
	pv_free(nodata);
	stage_free(st);
}

static void
cleanup(void)
{
	const char	*names[] = { "expect", "got", "stage" };
	char		*path;
	size_t		 i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		xasprintf(&path, "%s/%s", tmpdir, names[i]);
		(void)unlink(path);
		free(path);
	}
	(void)rmdir(tmpdir);
}

int
main(void)
{
	char	 tmpl[] = "/tmp/test-sink.XXXXXX";

	if ((tmpdir = mkdtemp(tmpl)) == NULL) {
		perror("mkdtemp");
		return (2);
	}
	test_stage();
	test_sinks();
	printf("1..%d\n", tap_ntests);
	cleanup();
	return (tap_status());
}
