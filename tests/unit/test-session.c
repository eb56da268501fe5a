/*
 * test-session.c: the session core (imap.c) driven through a scripted
 * transport: bytes in, bytes out, no sockets.
 *
 * A script is a list of steps: "C: TEXT" waits for the client's next line
 * and checks that what follows its tag starts with TEXT (the tag is
 * remembered); "S: BYTES" is what the server sends next, {TAG} standing
 * for the tag of the last client line, {TAG-1} and {TAG-2} for the ones
 * before.
 * The server's bytes are handed out in reads of at most `chunk` bytes
 * (0: a step at a time; -1: random sizes), so every framing path is
 * taken, and a Ctrl-C can be raised before any read (interrupt_at, and
 * again at interrupt_again).  The count of Ctrl-Cs is the test's, as it is
 * the front end's in imapsh (intr.h): the core must only read it.
 * When the script is done the transport reports EOF.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imap.h"
#include "intr.h"
#include "py-repr.h"
#include "pyval.h"
#include "sink.h"
#include "sink-names.h"
#include "tap.h"
#include "trace.h"
#include "transport.h"
#include "xmalloc.h"

struct script {
	const char	**steps;
	size_t		  nsteps, step;
	size_t		  off;		/* bytes of the S: step sent */
	char		  tags[3][32];	/* last client tags, newest first */
	struct buf	  client;	/* client bytes not yet matched */
	char		 *failure;	/* first mismatch */
	int		  chunk;
	unsigned	  reads;
	unsigned	  interrupt_at;	/* raise Ctrl-C at this read */
	unsigned	  interrupt_again;
	unsigned	  seed;
};

/* The count of Ctrl-Cs, as the front end's SIGINT handler keeps it. */
static volatile sig_atomic_t ctrl_c;

static ssize_t	script_read(struct transport *, void *, size_t, char **);
static ssize_t	script_write(struct transport *, const void *, size_t,
		    char **);
static size_t	script_pending(struct transport *);
static int	script_fd(struct transport *);
static void	script_close(struct transport *);

static const struct transport_ops script_ops = {
	.name = "script",
	.read = script_read,
	.write = script_write,
	.pending = script_pending,
	.rfd = script_fd,
	.wfd = script_fd,
	.close = script_close,
};

/* Match client lines against C: steps as long as there are both. */
static void
script_take_client(struct script *sc)
{
	const char	*step, *nl, *sp;
	size_t		 linelen, taglen;

	while (sc->step < sc->nsteps && strncmp(sc->steps[sc->step], "C: ",
	    3) == 0 && sc->client.len > 0 &&
	    (nl = memchr(sc->client.data, '\n', sc->client.len)) != NULL) {
		step = sc->steps[sc->step] + 3;
		linelen = (size_t)(nl - sc->client.data) + 1;
		sp = memchr(sc->client.data, ' ', linelen);
		taglen = sp != NULL ? (size_t)(sp - sc->client.data) : 0;
		if (taglen == 0 || taglen >= sizeof sc->tags[0] ||
		    strncmp(sp + 1, step, strlen(step)) != 0) {
			if (sc->failure == NULL)
				xasprintf(&sc->failure, "step %zu wants '%s', "
				    "client sent '%.*s'", sc->step, step,
				    (int)linelen, sc->client.data);
			sc->step = sc->nsteps;
			return;
		}
		memmove(sc->tags[1], sc->tags[0], 2 * sizeof sc->tags[0]);
		memcpy(sc->tags[0], sc->client.data, taglen);
		sc->tags[0][taglen] = '\0';
		memmove(sc->client.data, sc->client.data + linelen,
		    sc->client.len - linelen);
		sc->client.len -= linelen;
		sc->step++;
	}
}

/* The S: step's bytes with the tags put in (a static buffer). */
static const char *
script_expand(struct script *sc, size_t *len)
{
	static struct buf	 b;
	const char		*p = sc->steps[sc->step] + 3, *q;

	buf_reset(&b);
	while ((q = strchr(p, '{')) != NULL) {
		buf_add(&b, p, (size_t)(q - p));
		if (strncmp(q, "{TAG}", 5) == 0) {
			buf_addstr(&b, sc->tags[0]);
			p = q + 5;
		} else if (strncmp(q, "{TAG-", 5) == 0 && (q[5] == '1' ||
		    q[5] == '2') && q[6] == '}') {
			buf_addstr(&b, sc->tags[q[5] - '0']);
			p = q + 7;
		} else {
			buf_addc(&b, '{');
			p = q + 1;
		}
	}
	buf_addstr(&b, p);
	*len = b.len;
	return (b.data != NULL ? b.data : "");
}

static ssize_t
script_read(struct transport *t, void *out, size_t len, char **cause)
{
	struct script	*sc = t->priv;
	const char	*s;
	size_t		 slen, n;

	if (++sc->reads == sc->interrupt_at || sc->reads == sc->interrupt_again)
		ctrl_c++;
	script_take_client(sc);
	if (sc->step >= sc->nsteps)
		return (0);
	if (strncmp(sc->steps[sc->step], "S: ", 3) != 0) {
		xasprintf(cause, "script: step %zu waits for the client",
		    sc->step);
		return (-1);
	}
	s = script_expand(sc, &slen);
	n = slen - sc->off;
	if (sc->chunk > 0 && n > (size_t)sc->chunk)
		n = (size_t)sc->chunk;
	else if (sc->chunk < 0)
		n = 1 + (size_t)(rand_r(&sc->seed) % 16) < n ?
		    1 + (size_t)(rand_r(&sc->seed) % 16) : n;
	if (n > len)
		n = len;
	memcpy(out, s + sc->off, n);
	sc->off += n;
	if (sc->off == slen) {
		sc->off = 0;
		sc->step++;
	}
	return ((ssize_t)n);
}

static ssize_t
script_write(struct transport *t, const void *p, size_t len, char **cause)
{
	struct script	*sc = t->priv;

	(void)cause;
	if (buf_add(&sc->client, p, len) == -1)
		return (-1);
	script_take_client(sc);
	return ((ssize_t)len);
}

static size_t
script_pending(struct transport *t)
{
	(void)t;
	return (0);
}

static int
script_fd(struct transport *t)
{
	(void)t;
	return (-1);
}

static void
script_close(struct transport *t)
{
	struct script	*sc = t->priv;

	buf_free(&sc->client);
}

static struct transport *
script_new(struct script *sc, const char **steps, size_t nsteps, int chunk)
{
	struct transport	*t;

	memset(sc, 0, sizeof *sc);
	sc->steps = steps;
	sc->nsteps = nsteps;
	sc->chunk = chunk;
	sc->seed = 7;
	buf_init(&sc->client, 0);
	t = xcalloc(1, sizeof *t);
	t->ops = &script_ops;
	t->priv = sc;
	t->loopback = 1;
	return (t);
}

/* The one-line repr of (typ, data), or of the error. */
static char *
result_repr(enum imap_exc e, const char *typ, const struct pyval *data,
    const char *msg)
{
	struct buf	 b;
	char		*s;

	buf_init(&b, 0);
	if (e != IMAP_OK)
		buf_printf(&b, "exc %d: %s", (int)e, msg);
	else {
		buf_printf(&b, "('%s', ", typ);
		py_repr(&b, data);
		buf_addc(&b, ')');
	}
	s = xstrdup(b.data != NULL ? b.data : "");
	buf_free(&b);
	return (s);
}

/* Run name (no arguments): the repr of (typ, data), the data taken from
 * the untagged name untagged when it is not NULL. */
static char *
run_cmd(struct imap *im, const char *name, const char *untagged)
{
	struct pyval	*data = NULL, *out;
	enum imap_exc	 e;
	char		*typ = NULL, *msg = NULL, *r;

	e = imap_simple_command(im, name, NULL, 0, &typ, &data, &msg);
	if (e == IMAP_OK && untagged != NULL) {
		imap_untagged_response(im, typ, data, untagged, &out);
		data = out;
	}
	r = result_repr(e, typ, data, msg);
	free(typ);
	free(msg);
	pv_free(data);
	return (r);
}

/* SELECT (the script's SELECTED steps), as commands on messages need. */
static void
select_mailbox(struct imap *im)
{
	struct pyval	*data = NULL;
	char		*typ = NULL, *msg = NULL;

	if (imap_simple_command(im, "SELECT", NULL, 0, &typ, &data, &msg) !=
	    IMAP_OK || strcmp(typ, "OK") != 0 ||
	    imap_state(im) != IMAP_SELECTED)
		ok(0, "SELECT: %s", msg != NULL ? msg : "not selected");
	free(typ);
	free(msg);
	pv_free(data);
}

/* A session on steps in reads of chunk bytes, SELECTED through the
 * core when the steps have a SELECT. */
static struct imap *
open_selected(struct script *sc, const char **steps, size_t n, int chunk)
{
	struct imap	*im;
	char		*msg = NULL;
	size_t		 i;

	im = imap_new(2000);
	if (imap_open(im, script_new(sc, steps, n, chunk), "script", "143",
	    &msg) != IMAP_OK)
		ok(0, "open: %s", msg);
	free(msg);
	for (i = 0; i < n; i++)
		if (strcmp(steps[i], "C: SELECT") == 0) {
			select_mailbox(im);
			break;
		}
	return (im);
}

/*
 * Open a session on the script, run name (no arguments) and, when
 * untagged is not NULL, take its data from there as imaplib does; returns
 * the repr of the result.  *imp is the session, for further checks.
 */
static char *
run_one(struct imap **imp, struct script *sc, const char **steps, size_t n,
    int chunk, const char *name, const char *untagged)
{
	struct imap	*im;
	enum imap_exc	 e;
	char		*msg = NULL, *r;

	*imp = im = imap_new(2000);
	e = imap_open(im, script_new(sc, steps, n, chunk), "script", "143",
	    &msg);
	if (e != IMAP_OK) {
		r = result_repr(e, NULL, NULL, msg);
		free(msg);
		return (r);
	}
	select_mailbox(im);
	return (run_cmd(im, name, untagged));
}

#define GREETING	"S: * PREAUTH [CAPABILITY IMAP4rev1] ready\r\n", \
	"C: CAPABILITY", "S: * CAPABILITY IMAP4rev1\r\n{TAG} OK caps\r\n"
#define SELECTED	GREETING, "C: SELECT", "S: {TAG} OK selected\r\n"
#define NSTEPS(a)	(sizeof (a) / sizeof (a)[0])

static const char *fetch_steps[] = {
	SELECTED,
	"C: FETCH",
	"S: * 1 FETCH (BODY[] {12}\r\nhello\r\nworld UID 7)\r\n",
	"S: * 2 FETCH (FLAGS (\\Seen) BODY[] {0}\r\n)\r\n",
	"S: * 3 EXISTS\r\n",
	"S: {TAG} OK [READ-ONLY] done\r\n",
};
#define FETCH_RESULT "('OK', [(b'1 (BODY[] {12}', b'hello\\r\\nworld'), " \
	"b' UID 7)', (b'2 (FLAGS (\\\\Seen) BODY[] {0}', b''), b')'])"

/* A FETCH with literals, the server's bytes in reads of every size. */
static void
test_fetch_chunks(void)
{
	struct script	 sc;
	struct imap	*im;
	const struct pyval *ur;
	char		*r;
	int		 chunk, bad = 0;

	for (chunk = -1; chunk <= 40; chunk++) {
		r = run_one(&im, &sc, fetch_steps, NSTEPS(fetch_steps),
		    chunk, "FETCH", "FETCH");
		if (strcmp(r, FETCH_RESULT) != 0) {
			ok(0, "fetch in reads of %d bytes: %s", chunk, r);
			bad++;
		}
		ur = imap_ur_find(im, "EXISTS");
		if (ur == NULL || ur->n != 1 ||
		    imap_ur_find(im, "READ-ONLY") == NULL) {
			ok(0, "fetch in reads of %d: EXISTS and the code "
			    "filed", chunk);
			bad++;
		}
		free(r);
		imap_free(im);
	}
	ok(bad == 0, "FETCH with literals read in chunks of 1..40 bytes and "
	    "random sizes: the same value, the other responses filed");
}

/* NO after data: imaplib's (typ, data) is the tagged reply's; the data
 * stays in the dictionary for the next command. */
static void
test_no_after_data(void)
{
	static const char *steps[] = {
		SELECTED,
		"C: FETCH",
		"S: * 1 FETCH (UID 1)\r\n",
		"S: {TAG} NO some messages are gone\r\n",
	};
	struct script	 sc;
	struct imap	*im;
	const struct pyval *ur;
	char		*r;

	r = run_one(&im, &sc, steps, NSTEPS(steps), 0, "FETCH", "FETCH");
	ok(strcmp(r, "('NO', [b'some messages are gone'])") == 0,
	    "NO after data returns the tagged text: %s", r);
	ur = imap_ur_find(im, "FETCH");
	ok(ur != NULL && ur->n == 1, "the FETCH data is kept for the "
	    "next command");
	free(r);
	imap_free(im);
}

/* BYE in the middle, then the connection closes. */
static void
test_bye_midway(void)
{
	static const char *steps[] = {
		SELECTED,
		"C: NOOP",
		"S: * 1 EXISTS\r\n",
		"S: * BYE shutting down\r\n",
	};
	struct script	 sc;
	struct imap	*im;
	char		*r;

	r = run_one(&im, &sc, steps, NSTEPS(steps), 0, "NOOP", NULL);
	ok(strncmp(r, "exc 2: ", 7) == 0 && strstr(r, "shutting down") !=
	    NULL, "BYE then EOF mid-command: abort with the BYE text: %s", r);
	ok(!imap_connected(im), "the session is closed after the abort");
	free(r);
	imap_free(im);
}

/* A continuation no command asked for. */
static void
test_stray_continuation(void)
{
	static const char *steps[] = {
		SELECTED,
		"C: NOOP",
		"S: + go ahead\r\n",
		"S: {TAG} OK done\r\n",
	};
	struct script	 sc;
	struct imap	*im;
	char		*r;

	r = run_one(&im, &sc, steps, NSTEPS(steps), 0, "NOOP", NULL);
	ok(strncmp(r, "exc 2: ", 7) == 0, "a continuation where none is owed "
	    "aborts: %s", r);
	free(r);
	imap_free(im);
}

/* A tag nobody sent, and an untagged line without a name. */
static void
test_unexpected(void)
{
	static const char *tag_steps[] = {
		SELECTED,
		"C: NOOP",
		"S: {TAG}9 OK not yours\r\n",
	};
	static const char *name_steps[] = {
		SELECTED,
		"C: NOOP",
		"S: * 12\r\n",
	};
	struct script	 sc;
	struct imap	*im;
	char		*r;

	r = run_one(&im, &sc, tag_steps, NSTEPS(tag_steps), 0, "NOOP",
	    NULL);
	ok(strstr(r, "unexpected tagged response: b'") != NULL,
	    "an unknown tag aborts, the line shown as bytes: %s", r);
	free(r);
	imap_free(im);
	r = run_one(&im, &sc, name_steps, NSTEPS(name_steps), 0, "NOOP",
	    NULL);
	ok(strstr(r, "unexpected response: b'* 12'") != NULL,
	    "an untagged line without a name aborts: %s", r);
	free(r);
	imap_free(im);
}

/*
 * Ctrl-C before any read of a FETCH: the command ends "interrupted" (or
 * completes, when the reply was read first), and the session stays in
 * step: the next command gets its own reply.
 */
static void
test_interrupt_anywhere(void)
{
	static const char *steps[] = {
		SELECTED,
		"C: FETCH",
		"S: * 1 FETCH (BODY[] {12}\r\nhello\r\nworld)\r\n",
		"S: * 2 FETCH (UID 9)\r\n",
		"S: {TAG} OK done\r\n",
		"C: NOOP",
		"S: {TAG} OK noop done\r\n",
	};
	struct script	 sc;
	struct imap	*im;
	struct pyval	*data;
	enum imap_exc	 e;
	char		*r, *typ, *msg;
	unsigned	 at, when;
	int		 bad = 0, interrupted = 0;

	for (at = 2; at < 40; at++) {
		im = open_selected(&sc, steps, NSTEPS(steps), 3);
		when = sc.interrupt_at = sc.reads + at;
		typ = msg = NULL;
		data = NULL;
		e = imap_simple_command(im, "FETCH", NULL, 0, &typ, &data,
		    &msg);
		sc.interrupt_at = 0;
		/* The core reported it and left the count alone. */
		if (ctrl_c != (sc.reads >= when ? 1 : 0)) {
			ok(0, "Ctrl-C at read %u: the count is %d", at,
			    (int)ctrl_c);
			bad++;
		}
		ctrl_c = 0;	/* the front end's next command */
		if (e == IMAP_ERROR && strcmp(msg, IMAP_INTERRUPTED) == 0)
			interrupted++;
		else if (e != IMAP_OK) {
			ok(0, "Ctrl-C at read %u: %s", at, msg);
			bad++;
		}
		free(typ);
		free(msg);
		pv_free(data);
		typ = msg = NULL;
		data = NULL;
		e = imap_simple_command(im, "NOOP", NULL, 0, &typ, &data,
		    &msg);
		r = result_repr(e, typ, data, msg);
		if (strcmp(r, "('OK', [b'noop done'])") != 0) {
			ok(0, "after Ctrl-C at read %u the next command: %s",
			    at, r);
			bad++;
		}
		free(r);
		free(typ);
		free(msg);
		pv_free(data);
		imap_free(im);
	}
	ok(bad == 0 && interrupted > 0, "Ctrl-C between any two reads: "
	    "the command is interrupted (%d times) or done, the session "
	    "stays in step", interrupted);
}

/*
 * Two Ctrl-Cs in a literal: the first lets the FETCH go on, the second
 * drops the connection.  Neither changes the count.
 */
static void
test_interrupt_twice(void)
{
	static const char *steps[] = {
		SELECTED,
		"C: FETCH",
		"S: * 1 FETCH (BODY[] {30}\r\nabcdefghij",
		"S: klmnopqrst",
		"S: uvwxyz0123)\r\n",
		"S: {TAG} OK done\r\n",
	};
	struct script	 sc;
	struct imap	*im;
	struct pyval	*data = NULL;
	enum imap_exc	 e;
	char		*typ = NULL, *msg = NULL;

	im = open_selected(&sc, steps, NSTEPS(steps), 0);
	sc.interrupt_at = sc.reads + 2;
	sc.interrupt_again = sc.reads + 3;
	e = imap_simple_command(im, "FETCH", NULL, 0, &typ, &data, &msg);
	ok(e == IMAP_ABORT && msg != NULL &&
	    strstr(msg, "interrupted") != NULL && !imap_connected(im),
	    "a second Ctrl-C drops the connection: %d %s", (int)e,
	    msg != NULL ? msg : "");
	ok(ctrl_c == 2, "the core left the count of Ctrl-Cs alone: %d",
	    (int)ctrl_c);
	ctrl_c = 0;
	free(typ);
	free(msg);
	pv_free(data);
	imap_free(im);
}

/*
 * A Ctrl-C before a command (during the output of the one before it, in
 * the same command of the front end): nothing more is sent, until the
 * front end starts its next command.
 */
static void
test_interrupt_before(void)
{
	static const char *steps[] = {
		GREETING,
		"C: NOOP",
		"S: {TAG} OK noop done\r\n",
	};
	struct script	 sc;
	struct imap	*im;
	struct pyval	*data = NULL;
	enum imap_exc	 e;
	char		*typ = NULL, *msg = NULL, *r;

	im = imap_new(2000);
	e = imap_open(im, script_new(&sc, steps, NSTEPS(steps), 0),
	    "script", "143", &msg);
	free(msg);
	msg = NULL;
	ctrl_c = 1;
	e = imap_simple_command(im, "NOOP", NULL, 0, &typ, &data, &msg);
	r = result_repr(e, typ, data, msg);
	ok(e == IMAP_ERROR && strcmp(msg, IMAP_INTERRUPTED) == 0 &&
	    sc.client.len == 0 && ctrl_c == 1 && imap_connected(im),
	    "after a Ctrl-C no command is sent: %s (%zu bytes sent)", r,
	    sc.client.len);
	free(r);
	free(msg);
	msg = NULL;
	ctrl_c = 0;
	e = imap_simple_command(im, "NOOP", NULL, 0, &typ, &data, &msg);
	r = result_repr(e, typ, data, msg);
	ok(strcmp(r, "('OK', [b'noop done'])") == 0, "the next command of "
	    "the front end goes: %s", r);
	free(r);
	free(typ);
	free(msg);
	pv_free(data);
	imap_free(im);
}

/* A sink that records what it is given. */
struct rec_sink {
	struct sink	 sink;
	struct buf	 log;
};

static void
rec_item(struct sink *sk, const struct pyval *v)
{
	struct rec_sink	*rs = (struct rec_sink *)sk;

	buf_addstr(&rs->log, "item ");
	py_repr(&rs->log, v);
	buf_addc(&rs->log, ';');
}

static void
rec_lit_begin(struct sink *sk, const struct pyval *line, uint64_t size)
{
	struct rec_sink	*rs = (struct rec_sink *)sk;

	buf_printf(&rs->log, "lit %llu after ", (unsigned long long)size);
	py_repr(&rs->log, line);
	buf_addc(&rs->log, ':');
}

static void
rec_lit_data(struct sink *sk, const char *p, size_t len)
{
	buf_add(&((struct rec_sink *)sk)->log, p, len);
}

static void
rec_lit_end(struct sink *sk)
{
	buf_addstr(&((struct rec_sink *)sk)->log, ";end;");
}

static const struct sink_ops rec_ops = {
	.item = rec_item,
	.lit_begin = rec_lit_begin,
	.lit_data = rec_lit_data,
	.lit_end = rec_lit_end,
};

/* The sink gets the command's own items, in order, and a literal too big
 * to keep as it comes; other names still go to the dictionary. */
static void
test_sink(void)
{
	static char	 big[IMAP_LIT_MEM_MAX + 100];
	static char	 line[sizeof big + 100];
	const char	*steps[] = {
		SELECTED,
		"C: FETCH",
		"S: * 1 FETCH (UID 1)\r\n",
		line,
		"S: * 4 EXISTS\r\n",
		"S: {TAG} OK done\r\n",
	};
	struct rec_sink	 rs;
	struct script	 sc;
	struct imap	*im;
	struct pyval	*data = NULL;
	enum imap_exc	 e;
	char		*typ = NULL, *msg = NULL, *want;
	int		 chunk, bad = 0;

	memset(big, 'x', sizeof big - 1);
	snprintf(line, sizeof line, "S: * 2 FETCH (BODY[] {%zu}\r\n%s)\r\n",
	    sizeof big - 1, big);
	xasprintf(&want, "item b'1 (UID 1)';lit %zu after b'2 (BODY[] "
	    "{%zu}':%s;end;item b')';", sizeof big - 1, sizeof big - 1, big);
	for (chunk = 0; chunk < 1000; chunk = chunk * 3 + 1) {
		memset(&rs, 0, sizeof rs);
		rs.sink.ops = &rec_ops;
		rs.sink.streams = 1;
		buf_init(&rs.log, 0);
		im = open_selected(&sc, steps, NSTEPS(steps), chunk);
		imap_set_sink(im, &rs.sink, "FETCH");
		e = imap_simple_command(im, "FETCH", NULL, 0, &typ, &data,
		    &msg);
		imap_set_sink(im, NULL, NULL);
		if (e != IMAP_OK || rs.log.data == NULL ||
		    strcmp(rs.log.data, want) != 0 ||
		    imap_ur_find(im, "EXISTS") == NULL) {
			ok(0, "sink, reads of %d: %.200s", chunk,
			    rs.log.data != NULL ? rs.log.data : "(nothing)");
			bad++;
		}
		free(typ);
		free(msg);
		pv_free(data);
		typ = msg = NULL;
		data = NULL;
		buf_free(&rs.log);
		imap_free(im);
	}
	ok(bad == 0, "the sink gets the command's items in order and a big "
	    "literal as it comes; EXISTS still filed");
	free(want);
}

/* A sink that sees more than its items: the lines and literal chunks
 * (wire) or the untagged responses it is given, in order. */
struct see_sink {
	struct sink	 sink;
	const char	*who;
	struct buf	*log;
};

static void
see_wire(struct sink *sk, const char *p, size_t len, int literal)
{
	struct see_sink	*ss = (struct see_sink *)sk;

	if (!literal)
		buf_addc(ss->log, '[');
	buf_add(ss->log, p, len);
	if (!literal)
		buf_addc(ss->log, ']');
}

static void
see_untagged(struct sink *sk, const char *name, const struct pyval *items)
{
	struct see_sink	*ss = (struct see_sink *)sk;

	buf_printf(ss->log, "%s %s ", ss->who, name);
	py_repr(ss->log, items);
	buf_addc(ss->log, ';');
}

static const struct sink_ops wire_ops = {
	.wire = see_wire,
};

static const struct sink_ops untagged_ops = {
	.untagged = see_untagged,
};

/*
 * A sink set with no untagged name and only a wire op (the raw printer's
 * shape): every line and literal chunk of the command as received, in
 * reads of any size; its data still goes to the dictionary, as for a
 * command without a sink.  imap_set_sink() hands back the sink it
 * replaces.
 */
static void
test_wire(void)
{
	struct see_sink	 ss;
	struct script	 sc;
	struct imap	*im;
	struct buf	 log;
	struct sink	*was;
	const char	*want = "[* 1 FETCH (BODY[] {12}]hello\r\nworld"
			    "[ UID 7)][* 2 FETCH (FLAGS (\\Seen) BODY[] {0}][)]"
			    "[* 3 EXISTS][";
	char		*r;
	int		 chunk, bad = 0;

	for (chunk = -1; chunk <= 40; chunk++) {
		buf_init(&log, 0);
		memset(&ss, 0, sizeof ss);
		ss.sink.ops = &wire_ops;
		ss.log = &log;
		im = open_selected(&sc, fetch_steps, NSTEPS(fetch_steps),
		    chunk);
		was = imap_set_sink(im, &ss.sink, NULL);
		r = run_cmd(im, "FETCH", "FETCH");
		if (was != NULL || imap_set_sink(im, NULL, NULL) !=
		    &ss.sink || strcmp(r, FETCH_RESULT) != 0 ||
		    log.data == NULL || strncmp(log.data, want,
		    strlen(want)) != 0 || strcmp(log.data + strlen(want) +
		    strlen(sc.tags[0]), " OK [READ-ONLY] done]") != 0) {
			ok(0, "wire, reads of %d: %s | %s", chunk, r,
			    log.data != NULL ? log.data : "(nothing)");
			bad++;
		}
		free(r);
		buf_free(&log);
		imap_free(im);
	}
	ok(bad == 0, "a sink's wire op gets every line and literal chunk as "
	    "received; with no name, the data is filed as without a sink");
}

/*
 * A literal too big to keep in memory, of a name that is not the
 * sink's: a wire sink that streams keeps nothing of it (filed as b''),
 * one that does not lets it be filed whole.
 */
static void
test_wire_streams(void)
{
	static char	 big[IMAP_LIT_MEM_MAX + 100];
	static char	 line[sizeof big + 100];
	const char	*steps[] = {
		GREETING,
		"C: NOOP",
		line,
		"S: {TAG} OK done\r\n",
	};
	struct see_sink	 ss;
	struct script	 sc;
	struct imap	*im;
	struct buf	 log;
	const struct pyval *ur;
	char		*r;
	int		 streams;

	memset(big, 'y', sizeof big - 1);
	snprintf(line, sizeof line, "S: * 2 FETCH (BODY[] {%zu}\r\n%s)\r\n",
	    sizeof big - 1, big);
	for (streams = 0; streams <= 1; streams++) {
		buf_init(&log, 0);
		memset(&ss, 0, sizeof ss);
		ss.sink.ops = &wire_ops;
		ss.sink.streams = streams;
		ss.log = &log;
		im = open_selected(&sc, steps, NSTEPS(steps), 1000);
		(void)imap_set_sink(im, &ss.sink, NULL);
		r = run_cmd(im, "NOOP", NULL);
		(void)imap_set_sink(im, NULL, NULL);
		ur = imap_ur_find(im, "FETCH");
		ok(strcmp(r, "('OK', [b'done'])") == 0 && ur != NULL &&
		    ur->n == 2 && ur->items[0]->type == PV_TUPLE &&
		    pv_bytes_len(ur->items[0]->items[1]) ==
		    (streams ? 0 : sizeof big - 1) && log.data != NULL &&
		    strstr(log.data, big) != NULL, "a big literal of another "
		    "name with a wire sink that %s: %s, shown as it came",
		    streams ? "streams" : "does not stream", streams ?
		    "filed as b''" : "filed whole");
		free(r);
		buf_free(&log);
		imap_free(im);
	}
}

/*
 * The command's sink and the session's watch see every untagged
 * response as it is filed, whatever its name: the sink first, then the
 * watch; the dictionary files them as before.  With no sink set the
 * watch still sees them; once unset it sees nothing.
 */
static void
test_untagged_watch(void)
{
	static const char *steps[] = {
		GREETING,
		"C: NOOP",
		"S: * 4 EXISTS\r\n{TAG} OK one\r\n",
		"C: NOOP",
		"S: * 5 EXISTS\r\n{TAG} OK two\r\n",
	};
	struct see_sink	 cmd, watch;
	struct script	 sc;
	struct imap	*im;
	struct buf	 log;
	char		*r;
	const struct pyval *ur;

	buf_init(&log, 0);
	memset(&cmd, 0, sizeof cmd);
	cmd.sink.ops = &untagged_ops;
	cmd.who = "cmd";
	cmd.log = &log;
	watch = cmd;
	watch.who = "watch";
	im = open_selected(&sc, fetch_steps, NSTEPS(fetch_steps), 5);
	imap_set_watch(im, &watch.sink);
	(void)imap_set_sink(im, &cmd.sink, NULL);
	r = run_cmd(im, "FETCH", "FETCH");
	(void)imap_set_sink(im, NULL, NULL);
	ur = imap_ur_find(im, "EXISTS");
	ok(strcmp(r, FETCH_RESULT) == 0 && ur != NULL && ur->n == 1 &&
	    log.data != NULL && strcmp(log.data, "cmd FETCH [(b'1 (BODY[] "
	    "{12}', b'hello\\r\\nworld'), b' UID 7)'];watch FETCH [(b'1 "
	    "(BODY[] {12}', b'hello\\r\\nworld'), b' UID 7)'];cmd FETCH "
	    "[(b'2 (FLAGS (\\\\Seen) BODY[] {0}', b''), b')'];watch FETCH "
	    "[(b'2 (FLAGS (\\\\Seen) BODY[] {0}', b''), b')'];cmd EXISTS "
	    "[b'3'];watch EXISTS [b'3'];") == 0,
	    "the sink, then the watch, get each untagged response and the "
	    "items it added: %s", log.data != NULL ? log.data : "");
	free(r);
	imap_free(im);
	buf_free(&log);

	buf_init(&log, 0);
	im = open_selected(&sc, steps, NSTEPS(steps), 0);
	imap_set_watch(im, &watch.sink);
	free(run_cmd(im, "NOOP", NULL));
	imap_set_watch(im, NULL);
	free(run_cmd(im, "NOOP", NULL));
	ur = imap_ur_find(im, "EXISTS");
	ok(log.data != NULL && strcmp(log.data, "watch EXISTS [b'4'];") ==
	    0 && ur != NULL && ur->n == 2, "the watch alone, then none: %s",
	    log.data != NULL ? log.data : "");
	imap_free(im);
	buf_free(&log);
}

/* What the core said to the person (imap's notify). */
static void
notice(void *arg, const char *msg)
{
	buf_printf(arg, "%s;", msg);
}

/*
 * A quiet sink's command is imapsh's own (completion's LIST): its items
 * go to the sink and none to the dictionary, whose LIST entry from the
 * person's command before stays as it was; and the core gives no notice
 * meanwhile (here, the one of a Ctrl-C that lets it finish), as it does
 * for a command of the person's.
 */
static void
test_quiet(void)
{
	static const char *steps[] = {
		GREETING,
		"C: LIST",
		"S: * LIST () \"/\" Mine\r\n{TAG} OK listed\r\n",
		"C: LIST",
		"S: * LIST () \"/\" INBOX\r\n",
		"S: * LIST () \"/\" {5}\r\nDraft\r\n",
		"S: * LIST (\\Noselect) \"/\" Old\r\n",
		"S: * 7 EXISTS\r\n",
		"S: {TAG} OK listed\r\n",
	};
	struct script	 sc;
	struct imap	*im;
	struct sink	*sk;
	struct buf	 said;
	const struct pyval *ur;
	char		**v, *r;
	size_t		 n, i;
	int		 quiet;

	for (quiet = 0; quiet <= 1; quiet++) {
		v = NULL;
		n = 0;
		buf_init(&said, 0);
		im = open_selected(&sc, steps, NSTEPS(steps), 0);
		imap_set_notify(im, notice, &said);
		free(run_cmd(im, "LIST", NULL));
		sk = sink_names_new(&v, &n);
		sk->quiet = quiet;
		(void)imap_set_sink(im, sk, "LIST");
		sc.interrupt_at = sc.reads + 2;
		r = run_cmd(im, "LIST", NULL);
		sc.interrupt_at = 0;
		ctrl_c = 0;
		(void)imap_set_sink(im, NULL, NULL);
		ur = imap_ur_find(im, "LIST");
		if (quiet)
			ok(strcmp(r, "exc 1: " IMAP_INTERRUPTED) == 0 &&
			    n == 2 && strcmp(v[0], "INBOX") == 0 &&
			    strcmp(v[1], "Draft") == 0 && ur != NULL &&
			    ur->n == 1 && pv_bytes_len(ur->items[0]) == 11 &&
			    memcmp(ur->items[0]->s, "() \"/\" Mine", 11) == 0 &&
			    imap_ur_find(im, "EXISTS") != NULL &&
			    said.len == 0, "a quiet sink takes LIST's items, "
			    "the dictionary's LIST is as it was, EXISTS is "
			    "filed, no notice: %s, %zu names, said '%s'", r,
			    n, said.data != NULL ? said.data : "");
		else
			ok(ur != NULL && ur->n > 1 && said.data != NULL &&
			    strstr(said.data, "interrupted: waiting") != NULL,
			    "a sink that is not quiet: the dictionary keeps "
			    "a copy of LIST's items, the notice is given");
		sk->ops->free(sk);
		for (i = 0; i < n; i++)
			free(v[i]);
		free(v);
		free(r);
		buf_free(&said);
		imap_free(im);
	}
}

/* FETCH set (UID): sent ahead (presend), or its reply taken; the repr
 * of its result (data from FETCH), or "sent". */
static char *
fetch_uid(struct imap *im, const char *set, int presend)
{
	struct imap_arg	 args[2];
	struct pyval	*data = NULL, *out;
	enum imap_exc	 e;
	const char	*key;
	char		*typ = NULL, *msg = NULL, *r;

	memset(args, 0, sizeof args);
	args[0].type = args[1].type = IMAP_ARG_TEXT;
	args[0].s = set;
	args[0].len = strlen(set);
	args[1].s = "(UID)";
	args[1].len = 5;
	if (presend)
		e = imap_send_ahead(im, "FETCH", args, 2, "FETCH", &msg);
	else if (imap_ahead_next(im, &key) == NULL || strcmp(key, "FETCH") != 0)
		return (xstrdup("nothing sent ahead"));
	else
		e = imap_collect_ahead(im, &typ, &data, &msg);
	if (e == IMAP_SENT)
		r = xstrdup("sent");
	else {
		if (e == IMAP_OK) {
			imap_untagged_response(im, typ, data, "FETCH", &out);
			data = out;
		}
		r = result_repr(e, typ, data, msg);
	}
	free(typ);
	free(msg);
	pv_free(data);
	return (r);
}

/* Two FETCHes sent ahead, answered out of order, their responses mixed:
 * each run gets its own reply and data. */
static void
test_pipelined(void)
{
	static const char *steps[] = {
		SELECTED,
		"C: FETCH 1 (UID)",
		"C: FETCH 2 (UID)",
		"S: * 2 FETCH (UID 20)\r\n",
		"S: * 1 FETCH (UID 10)\r\n{TAG} OK second\r\n",
		"S: {TAG-1} OK first\r\n",
	};
	struct script	 sc;
	struct imap	*im;
	char		*r[4];
	int		 chunk, bad = 0, i;

	for (chunk = 0; chunk < 12; chunk++) {
		im = open_selected(&sc, steps, NSTEPS(steps), chunk);
		r[0] = fetch_uid(im, "1", 1);
		r[1] = fetch_uid(im, "2", 1);
		r[2] = fetch_uid(im, "1", 0);
		r[3] = fetch_uid(im, "2", 0);
		if (strcmp(r[0], "sent") != 0 || strcmp(r[1], "sent") != 0 ||
		    strcmp(r[2], "('OK', [b'1 (UID 10)'])") != 0 ||
		    strcmp(r[3], "('OK', [b'2 (UID 20)'])") != 0) {
			ok(0, "pipelined, reads of %d: %s | %s | %s | %s",
			    chunk, r[0], r[1], r[2], r[3]);
			bad++;
		}
		for (i = 0; i < 4; i++)
			free(r[i]);
		imap_free(im);
	}
	ok(bad == 0, "two FETCHes sent ahead, answered out of order: each "
	    "run takes its own reply and data");
}

/* Take the reply of the oldest command sent ahead: its typ (or NULL on
 * an error) and, in *data, its FETCH data. */
static char *
fetch_take(struct imap *im, struct pyval **data)
{
	struct pyval	*dat = NULL;
	char		*typ = NULL, *msg = NULL;

	*data = NULL;
	if (imap_collect_ahead(im, &typ, &dat, &msg) != IMAP_OK) {
		ok(0, "collect: %s", msg);
		free(msg);
		return (NULL);
	}
	imap_untagged_response(im, typ, dat, "FETCH", data);
	return (typ);
}

/* 1 if list holds b'N (UID N)' for N = first, first + 1 ..., n items. */
static int
fetch_run(const struct pyval *list, size_t n, int first)
{
	char	want[64];
	size_t	i;

	if (list == NULL || list->n != n)
		return (0);
	for (i = 0; i < n; i++) {
		(void)snprintf(want, sizeof want, "%d (UID %d)",
		    first + (int)i, first + (int)i);
		if (pv_bytes_len(list->items[i]) != strlen(want) ||
		    memcmp(list->items[i]->s, want, strlen(want)) != 0)
			return (0);
	}
	return (1);
}

/*
 * Two FETCHes sent ahead, answered out of order: the second's 400
 * responses come before the first's, during the first's run, and pass
 * the budget of what is kept for commands sent ahead (8 KB here).  The
 * first's run is as it would be; the second's keeps its first responses,
 * in order, within the budget, and says once what it dropped.
 */
#define BUDGET_SECOND	400
static void
test_pipelined_budget(void)
{
	static const int chunks[] = { 0, 1, 7, -1 };
	const char	*steps[] = {
		SELECTED,
		"C: FETCH 1:3 (UID)",
		"C: FETCH 4:403 (UID)",
		NULL,
		"S: * 1 FETCH (UID 1)\r\n* 2 FETCH (UID 2)\r\n"
		    "* 3 FETCH (UID 3)\r\n{TAG} OK second\r\n",
		"S: {TAG-1} OK first\r\n",
	};
	struct script	 sc;
	struct imap	*im;
	struct pyval	*d1, *d2;
	struct buf	 flood, said;
	char		*typ1, *typ2, *msg = NULL, want[128], *said1;
	size_t		 i, c, kept, bytes;

	buf_init(&flood, 0);
	buf_addstr(&flood, "S: ");
	for (i = 4; i < 4 + BUDGET_SECOND; i++)
		buf_printf(&flood, "* %zu FETCH (UID %zu)\r\n", i, i);
	steps[NSTEPS(steps) - 3] = flood.data;
	for (c = 0; c < NSTEPS(chunks); c++) {
		buf_init(&said, 0);
		im = imap_new(2000);
		imap_set_notify(im, notice, &said);
		imap_set_ahead_budget(im, 8 * 1024);
		(void)imap_open(im, script_new(&sc, steps, NSTEPS(steps),
		    chunks[c]), "script", "143", &msg);
		free(msg);
		msg = NULL;
		select_mailbox(im);
		free(fetch_uid(im, "1:3", 1));
		free(fetch_uid(im, "4:403", 1));
		typ1 = fetch_take(im, &d1);
		said1 = xstrdup(said.data != NULL ? said.data : "");
		typ2 = fetch_take(im, &d2);
		kept = d2 != NULL ? d2->n : 0;
		for (i = 0, bytes = 0; i < kept; i++)
			bytes += pv_mem_size(d2->items[i]);
		(void)snprintf(want, sizeof want, "responses to FETCH sent "
		    "ahead over 8 KB: dropped the last %zu items;",
		    (size_t)BUDGET_SECOND - kept);
		ok(typ1 != NULL && strcmp(typ1, "OK") == 0 &&
		    fetch_run(d1, 3, 1) && said1[0] == '\0',
		    "reads of %d: the first FETCH's run: its own three "
		    "responses, no notice", chunks[c]);
		ok(typ2 != NULL && strcmp(typ2, "OK") == 0 && kept > 0 &&
		    kept < BUDGET_SECOND && bytes <= 8 * 1024 &&
		    fetch_run(d2, kept, 4), "reads of %d: the second's run "
		    "keeps its first %zu of %d responses (%zu bytes), in "
		    "order", chunks[c], kept, BUDGET_SECOND, bytes);
		ok(said.data != NULL && strcmp(said.data, want) == 0,
		    "reads of %d: the drop is told once: '%s'", chunks[c],
		    said.data != NULL ? said.data : "");
		ok(sc.failure == NULL, "reads of %d: the client's lines: %s",
		    chunks[c], sc.failure != NULL ? sc.failure :
		    "as scripted");
		free(typ1);
		free(typ2);
		free(said1);
		pv_free(d1);
		pv_free(d2);
		buf_free(&said);
		imap_free(im);
	}
	buf_free(&flood);
}

/* ENABLE: UTF-8 mode once the tagged OK of an ENABLE naming UTF8=ACCEPT
 * has come, not on a NO, not for another capability; the state is the
 * core's, read through imap_utf8(). */
static void
test_enable_utf8(void)
{
	static const char *steps[] = {
		GREETING,
		"C: ENABLE utf8=accept",
		"S: {TAG} NO not now\r\n",
		"C: ENABLE CONDSTORE",
		"S: * ENABLED CONDSTORE\r\n{TAG} OK enabled\r\n",
		"C: ENABLE utf8=accept",
		"S: * ENABLED UTF8=ACCEPT\r\n{TAG} OK enabled\r\n",
	};
	static const char *names[] = { "utf8=accept", "CONDSTORE",
	    "utf8=accept" };
	static const int want[] = { 0, 0, 1 };
	struct script	 sc;
	struct imap	*im;
	struct imap_arg	 arg;
	struct pyval	*data;
	enum imap_exc	 e;
	char		*typ, *msg = NULL;
	size_t		 i;

	im = imap_new(2000);
	(void)imap_open(im, script_new(&sc, steps, NSTEPS(steps), 0),
	    "script", "143", &msg);
	free(msg);
	for (i = 0; i < NSTEPS(names); i++) {
		memset(&arg, 0, sizeof arg);
		arg.type = IMAP_ARG_TEXT;
		arg.s = names[i];
		arg.len = strlen(names[i]);
		typ = msg = NULL;
		data = NULL;
		e = imap_enable(im, &arg, 1, &typ, &data, &msg);
		ok(e == IMAP_OK && imap_utf8(im) == want[i], "ENABLE %s, "
		    "%s: UTF-8 mode %d", names[i], typ != NULL ? typ : msg,
		    imap_utf8(im));
		free(typ);
		free(msg);
		pv_free(data);
	}
	ok(sc.failure == NULL, "the client's lines: %s",
	    sc.failure != NULL ? sc.failure : "as scripted");
	imap_free(im);
}

/* BYE in the middle of a queue: three FETCHes sent ahead, the first
 * answered, then BYE and the end of the connection.  The first run gets
 * its reply, the second the abort with the BYE's text, and the third
 * finds nothing left in flight (the front end then runs its line as any
 * other, on a closed session); in reads of any size. */
static void
test_bye_in_queue(void)
{
	static const char *steps[] = {
		SELECTED,
		"C: FETCH 1 (UID)",
		"C: FETCH 2 (UID)",
		"C: FETCH 3 (UID)",
		"S: * 1 FETCH (UID 10)\r\n{TAG-2} OK first\r\n",
		"S: * 2 FETCH (UID 20)\r\n* BYE going away\r\n",
	};
	struct script	 sc;
	struct imap	*im;
	char		*r[6];
	int		 chunk, bad = 0, i;

	for (chunk = 0; chunk < 12; chunk++) {
		im = open_selected(&sc, steps, NSTEPS(steps), chunk);
		r[0] = fetch_uid(im, "1", 1);
		r[1] = fetch_uid(im, "2", 1);
		r[2] = fetch_uid(im, "3", 1);
		r[3] = fetch_uid(im, "1", 0);
		r[4] = fetch_uid(im, "2", 0);
		r[5] = fetch_uid(im, "3", 0);
		if (strcmp(r[0], "sent") != 0 || strcmp(r[1], "sent") != 0 ||
		    strcmp(r[2], "sent") != 0 ||
		    strcmp(r[3], "('OK', [b'1 (UID 10)'])") != 0 ||
		    strncmp(r[4], "exc 2: ", 7) != 0 ||
		    strstr(r[4], "going away") == NULL ||
		    strcmp(r[5], "nothing sent ahead") != 0 ||
		    imap_connected(im) || imap_ahead_count(im) != 0) {
			ok(0, "BYE in a queue, reads of %d: %s | %s | %s",
			    chunk, r[3], r[4], r[5]);
			bad++;
		}
		for (i = 0; i < 6; i++)
			free(r[i]);
		imap_free(im);
	}
	ok(bad == 0, "BYE in the middle of a queue: the reply before it is "
	    "taken, the next run aborts with its text, nothing is left in "
	    "flight");
}

/* The queue's limit: with room for one command sent ahead, a second
 * must wait for its turn; with none (--no-pipeline), nothing is sent
 * ahead and the script sees nothing but the SELECT. */
static void
test_ahead_max(void)
{
	static const char *steps[] = {
		SELECTED,
		"C: FETCH 1 (UID)",
		"S: * 1 FETCH (UID 10)\r\n{TAG} OK first\r\n",
	};
	struct script	 sc;
	struct imap	*im;
	char		*r[3];
	int		 i;

	im = open_selected(&sc, steps, NSTEPS(steps), 0);
	imap_set_ahead_max(im, 1);
	r[0] = fetch_uid(im, "1", 1);
	r[1] = fetch_uid(im, "2", 1);
	r[2] = fetch_uid(im, "1", 0);
	ok(strcmp(r[0], "sent") == 0 && strncmp(r[1], "exc 1: ", 7) == 0 &&
	    imap_ahead_room(im) == 1 &&
	    strcmp(r[2], "('OK', [b'1 (UID 10)'])") == 0,
	    "room for one sent ahead: the second waits: %s | %s | %s", r[0],
	    r[1], r[2]);
	for (i = 0; i < 3; i++)
		free(r[i]);
	imap_free(im);

	im = open_selected(&sc, steps, NSTEPS(steps) - 2, 0);
	imap_set_ahead_max(im, 0);
	r[0] = fetch_uid(im, "1", 1);
	ok(strncmp(r[0], "exc 1: ", 7) == 0 && imap_ahead_room(im) == 0 &&
	    imap_ahead_count(im) == 0 && sc.failure == NULL,
	    "no room (--no-pipeline): nothing is sent ahead: %s", r[0]);
	free(r[0]);
	imap_free(im);
}

int
main(void)
{
	test_fetch_chunks();
	test_no_after_data();
	test_bye_midway();
	test_stray_continuation();
	test_unexpected();
	intr_watch(&ctrl_c);
	test_interrupt_anywhere();
	test_interrupt_twice();
	test_interrupt_before();
	test_sink();
	test_wire();
	test_wire_streams();
	test_untagged_watch();
	test_quiet();
	test_pipelined();
	test_bye_in_queue();
	test_ahead_max();
	test_pipelined_budget();
	test_enable_utf8();
	printf("1..%d\n", tap_ntests);
	return (tap_status());
}
