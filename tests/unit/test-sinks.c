/*
 * test-sinks.c: the sinks that see more than their command's items, on
 * their own: the raw printer (sink-raw.c), IDLE's printer (sink-idle.c)
 * and completion's names (sink-names.c).
 *
 * Each is fed as the core feeds it (wire chunks, untagged responses,
 * LIST items) and what it leaves on its output, or in the caller's list,
 * is compared with the bytes imapsh has always printed for them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "json-line.h"
#include "output.h"
#include "pyval.h"
#include "sink-idle.h"
#include "sink-names.h"
#include "sink-raw.h"
#include "tap.h"
#include "xmalloc.h"

/* An output into a fresh temporary file. */
static FILE *
capture(struct out *o, int tty)
{
	FILE	*fp;

	if ((fp = tmpfile()) == NULL) {
		perror("tmpfile");
		exit(2);
	}
	out_init(o, fileno(fp));
	o->tty = tty;
	return (fp);
}

/* What the output holds (allocated; *len bytes, NUL after them). */
static char *
captured(struct out *o, FILE *fp, size_t *len)
{
	char	*s;
	long	 n;

	out_flush(o);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	s = xmalloc((size_t)n + 1);
	*len = fread(s, 1, (size_t)n, fp);
	s[*len] = '\0';
	fclose(fp);
	return (s);
}

/* A FETCH with a literal, cut into the chunks the core hands over, and
 * the bytes it was. */
#define RAW_BYTES	"* 1 FETCH (BODY[] {13}\r\nhello\r\nw\x1b[2Jd)\r\n" \
			"A1 OK done\r\n"

static void
raw_feed(struct sink *sk)
{
	struct pyval	*line, *none;

	sk->ops->wire(sk, "* 1 FETCH (BODY[] {13}", 22, 0);
	line = pv_bytes("1 (BODY[] {13}", 14);
	sk->ops->lit_begin(sk, line, 13);
	sk->ops->wire(sk, "hello\r", 6, 1);
	sk->ops->lit_data(sk, "hello\r", 6);
	sk->ops->wire(sk, "\nw\x1b[2Jd", 7, 1);
	sk->ops->lit_data(sk, "\nw\x1b[2Jd", 7);
	sk->ops->lit_end(sk);
	sk->ops->item(sk, line);
	sk->ops->wire(sk, ")", 1, 0);
	sk->ops->wire(sk, "A1 OK done", 10, 0);
	pv_free(line);
	ok(sk->ops->done(sk, "OK", 0, &none) == SINK_SHOWN && none == NULL,
	    "raw: an OK result was shown, nothing kept");
}

static void
test_raw(void)
{
	struct sink	*sk;
	struct pyval	*none;
	struct out	 o;
	FILE		*fp;
	char		*s;
	size_t		 len;

	fp = capture(&o, 0);
	sk = sink_raw_new(&o, 1);
	ok(sk->streams == 1 && !sk->quiet && sk->ops->untagged == NULL,
	    "raw: streams as asked, not quiet, no untagged op");
	raw_feed(sk);
	sk->ops->free(sk);
	s = captured(&o, fp, &len);
	ok(len == sizeof RAW_BYTES - 1 && memcmp(s, RAW_BYTES, len) == 0,
	    "raw into a file: the server's bytes, each line with its CRLF");
	free(s);

	fp = capture(&o, 1);
	sk = sink_raw_new(&o, 0);
	raw_feed(sk);
	s = captured(&o, fp, &len);
	ok(strcmp(s, "* 1 FETCH (BODY[] {13}\nhello\nw\\x1b[2Jd)\n"
	    "A1 OK done\n") == 0, "raw at a terminal: escaped, the literal's "
	    "CRLF cut between chunks a line break");
	ok(sk->streams == 0, "raw: a sink that does not stream");
	ok(sk->ops->done(sk, "NO", 0, &none) == SINK_DROPPED &&
	    none == NULL && sk->ops->done(sk, NULL, 1, &none) ==
	    SINK_DROPPED, "raw: NO, or no tagged reply, drops the result");
	sk->ops->free(sk);
	free(s);
}

/* idle's sink in the session's format: what one EXISTS and one FETCH
 * with a literal leave on the output. */
static char *
idle_run(int format, size_t *len)
{
	static struct out outs[3];	/* one a format: JSON's stays in use */
	struct session	 s;
	struct sink	*sk;
	struct pyval	*items, *t, *none;
	FILE		*fp;

	memset(&s, 0, sizeof s);
	s.out = &outs[format];
	fp = capture(s.out, 0);
	s.format = format;
	s.color_mode = COLOR_NEVER;
	if (format == FMT_JSON)
		json_line_begin(s.out);
	sk = sink_idle_new(&s);
	ok(sk->ops->item == NULL && sk->ops->wire == NULL &&
	    sk->ops->untagged != NULL && !sk->streams,
	    "idle: no items of its own, no wire; every untagged response");
	items = pv_list1(pv_bytes("3", 1));
	sk->ops->untagged(sk, "EXISTS", items);
	pv_free(items);
	items = pv_list();
	t = pv_tuple();
	pv_append(t, pv_bytes("3 (BODY[] {2}", 13));
	pv_append(t, pv_bytes("hi", 2));
	pv_append(items, t);
	pv_append(items, pv_bytes(")", 1));
	sk->ops->untagged(sk, "FETCH", items);
	pv_free(items);
	ok(sk->ops->done(sk, "OK", 0, &none) == SINK_DROPPED && none == NULL,
	    "idle: the result is the tagged reply's");
	sk->ops->free(sk);
	return (captured(s.out, fp, len));
}

static void
test_idle(void)
{
	char	*s;
	size_t	 len;

	s = idle_run(FMT_PYTHON, &len);
	ok(strcmp(s, "('EXISTS', [b'3'])\n('FETCH', [(b'3 (BODY[] {2}', "
	    "b'hi'), b')'])\n") == 0, "idle, python: each response as "
	    "imaplib's idle yields it");
	free(s);
	s = idle_run(FMT_JSON, &len);
	ok(strstr(s, "\"command\": \"idle\"") != NULL &&
	    strstr(s, "\"responses\": [[\"EXISTS\", ") != NULL &&
	    strstr(s, "], [\"FETCH\", ") != NULL,
	    "idle, json: the responses are events of the line: %s", s);
	free(s);
	s = idle_run(FMT_RAW, &len);
	ok(len == 0, "idle, raw: nothing (the raw printer shows the lines)");
	free(s);
}

static void
test_names(void)
{
	struct sink	*sk;
	struct pyval	*t, *none;
	char		**v = NULL;
	const char	*all;
	size_t		 n = 0, i;
	struct buf	 b;
	static const char *lines[] = {
		"(\\HasNoChildren) \"/\" INBOX",
		"(\\HasChildren) \"/\" \"Sent Items\"",
		"(\\Noselect \\HasChildren) \"/\" Archive",
		"(\\NonExistent) \"/\" Gone",
		"() NIL \"quo\\\"ted\"",
		"() \".\" \"bad\\x01name\"",
		"() \"/\" \"\"",
		"no parenthesis",
		"(\\Marked) \"\\\\\" Work/Plans",
	};

	sk = sink_names_new(&v, &n);
	ok(sk->quiet && !sk->streams && sk->ops->untagged == NULL &&
	    sk->ops->wire == NULL, "names: quiet, does not stream, sees "
	    "only its items");
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		t = pv_bytes(lines[i], strlen(lines[i]));
		if (strstr(lines[i], "\\x01") != NULL) {
			pv_free(t);
			t = pv_bytes("() \".\" \"bad\001name\"", 18);
		}
		sk->ops->item(sk, t);
		pv_free(t);
	}
	t = pv_tuple();
	pv_append(t, pv_bytes("() \"/\" {6}", 10));
	pv_append(t, pv_bytes("Li\"t z", 6));
	sk->ops->item(sk, t);
	pv_free(t);
	buf_init(&b, 0);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s|", v[i]);
	all = b.data != NULL ? b.data : "";
	ok(strcmp(all, "INBOX|Sent Items|quo\"ted|Work/Plans|Li\"t z|") == 0,
	    "names: atoms, quoted and literal names; not \\Noselect, "
	    "\\NonExistent, empty or with a control character: %s", all);
	buf_free(&b);
	ok(sk->ops->done(sk, "OK", 0, &none) == SINK_SHOWN && none == NULL &&
	    sk->ops->done(sk, "NO", 0, &none) == SINK_DROPPED &&
	    sk->ops->done(sk, NULL, 0, &none) == SINK_DROPPED && n == 5,
	    "names: OK says the names are the list; they stay either way");
	sk->ops->free(sk);
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int
main(void)
{
	test_raw();
	test_idle();
	test_names();
	printf("1..%d\n", tap_ntests);
	return (tap_status());
}
