/*
 * test-live.c: printing a FETCH's value as it arrives (struct py_live in
 * py-live.c) and taking output back (output.c).
 *
 * Live printing must write exactly the bytes py_print() writes for
 * ('OK', data), whatever the items and however a literal's bytes are cut
 * into chunks.  Values are FETCH-shaped, as the core files them: each
 * response is (line, literal) tuples followed by the rest of its line as
 * bytes.  Literal sizes sit around every boundary the printer knows (the
 * 80-column width, LIVE_SMALL, PIECE_MAX, the carry), their bytes favour
 * line ends, quotes, backslashes, long lines and a CR at a piece's edge,
 * and each literal is fed whole (py_live_item) or in chunks of random sizes,
 * with the output flushed between calls now and then, as a trace line
 * does.
 * Short values check the one-line layouts, where nothing may be written
 * before the end.
 *
 * Environment: TEST_LIVE_SEED and TEST_LIVE_COUNT choose the values.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "py-live.h"
#include "py-print.h"
#include "tap.h"
#include "xmalloc.h"

static char		*tmpdir;
static unsigned long	 rng;
static int		 tiny;	/* values that may fit on one line */

static unsigned long
rnd(unsigned long n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return ((rng >> 33) % n);
}

static char *
slurp(const char *path, size_t *len)
{
	struct stat	 st;
	char		*s;
	int		 fd;

	if ((fd = open(path, O_RDONLY)) == -1 || fstat(fd, &st) == -1) {
		perror(path);
		exit(1);
	}
	s = xmalloc((size_t)st.st_size + 1);
	if (read(fd, s, (size_t)st.st_size) != st.st_size) {
		perror(path);
		exit(1);
	}
	s[st.st_size] = '\0';
	*len = (size_t)st.st_size;
	close(fd);
	return (s);
}

static int
open_tmp(const char *name, char **path, int flags)
{
	int	 fd;

	xasprintf(path, "%s/%s", tmpdir, name);
	if ((fd = open(*path, O_RDWR | O_CREAT | O_TRUNC | flags,
	    0600)) == -1) {
		perror(*path);
		exit(1);
	}
	return (fd);
}

/* Literal bytes that exercise the piece splitter and the quote choice. */
static char *
lit_bytes(size_t n)
{
	static const char	 some[] = "abc 'x' \"y\" \\ \t\x01\x7f\xe9\xff";
	char			*s = xmalloc(n + 1);
	size_t			 i, style = rnd(4);

	for (i = 0; i < n; i++) {
		switch (rnd(style == 0 ? 40 : style == 1 ? 400 : 2000)) {
		case 0:
			s[i] = '\n';
			break;
		case 1:
			s[i] = '\r';
			if (i + 1 < n)
				s[++i] = '\n';
			break;
		case 2:
			s[i] = some[rnd(sizeof some - 1)];
			break;
		default:
			s[i] = style == 3 && rnd(3) == 0 ? '\'' :
			    (char)('a' + rnd(26));
		}
	}
	/* A CR at the edge of a piece, now and then. */
	if (n > 1001 && rnd(3) == 0) {
		s[999] = '\r';
		s[1000] = '\n';
		memset(s, 'z', 999);
	}
	return (s);
}

static size_t
lit_size(void)
{
	static const size_t	 sizes[] = { 0, 1, 4, 5, 50, 70, 72, 73, 75,
	    76, 77, 78, 79, 80, 81, 255, 256, 257, 300, 999, 1000, 1001,
	    1002, 1003, 2000, 2001, 2002, 4096, 70000 };

	if (tiny)
		return (rnd(6));
	if (rnd(4) == 0)
		return (rnd(9000));
	return (sizes[rnd(sizeof sizes / sizeof sizes[0])]);
}

/* A short bytes item: a response's rest of line. */
static struct pyval *
line_item(void)
{
	static const char	*lines[] = { ")", "", " FLAGS (\\Seen))",
	    "1 (FLAGS (\\Seen) UID 4)", "2 (UID 7 RFC822.SIZE 2030)",
	    " BODY[TEXT] {12}" };
	char	 b[200];
	size_t	 n, i;

	if (tiny)
		return (pv_bytes(")", 1));
	const char	*l;

	if (rnd(5) != 0) {
		l = lines[rnd(6)];
		return (pv_bytes(l, strlen(l)));
	}
	n = rnd(sizeof b);
	for (i = 0; i < n; i++)
		b[i] = (char)(' ' + rnd(95));
	return (pv_bytes(b, n));
}

/*
 * Feed data to live printing as the core would (a tuple's literal whole
 * or in chunks of random sizes), finish as the command layer does, and
 * compare with py_print()'s ('OK', data).  Returns 1 when the same;
 * *started says whether live printing wrote anything before the end.
 */
static int
compare(const struct pyval *data, int *started, const char *what)
{
	struct pyval	*tup;
	struct out	*lo, *po;
	struct py_live	*lv;
	const struct pyval *it;
	const char	*lit;
	char		*lpath, *ppath, *ls, *ps;
	size_t		 i, n, off, c, llen, plen;
	int		 lfd, pfd, same;

	lfd = open_tmp("live.out", &lpath, 0);
	pfd = open_tmp("print.out", &ppath, 0);
	lo = xmalloc(sizeof *lo);
	po = xmalloc(sizeof *po);
	out_init(lo, lfd);
	out_init(po, pfd);
	lv = py_live_new(lo);
	for (i = 0; i < data->n; i++) {
		it = data->items[i];
		/* A trace line flushes stdout between calls, now and then. */
		if (rnd(3) == 0)
			out_flush(lo);
		if (it->type != PV_TUPLE || it->items[1]->spool != NULL ||
		    rnd(3) == 0) {
			py_live_item(lv, it);
			continue;
		}
		n = it->items[1]->len;
		lit = it->items[1]->s;
		py_live_lit_begin(lv, it->items[0], n);
		for (off = 0; off < n; off += c) {
			switch (rnd(5)) {
			case 0:
				c = 1 + rnd(8);
				break;
			case 1:
				c = 1001;
				break;
			case 2:
				c = 1000;
				break;
			default:
				c = 1 + rnd(3000);
			}
			if (c > n - off)
				c = n - off;
			py_live_lit_data(lv, lit + off, c);
			if (rnd(4) == 0)
				out_flush(lo);
		}
		py_live_lit_end(lv);
	}
	*started = py_live_started(lv);
	if (*started)
		py_live_finish(lv);
	py_live_free(lv);
	tup = pv_tuple();
	pv_append(tup, pv_str("OK"));
	pv_append(tup, (struct pyval *)(uintptr_t)data);
	if (!*started)
		py_print(lo, tup);	/* the command layer's print */
	py_print(po, tup);
	tup->items[1] = NULL;
	pv_free(tup);
	out_flush(lo);
	out_flush(po);
	ls = slurp(lpath, &llen);
	ps = slurp(ppath, &plen);
	same = llen == plen && memcmp(ls, ps, plen) == 0;
	if (!same) {
		for (off = 0; off < llen && off < plen && ls[off] == ps[off];
		    off++)
			;
		printf("# %s: first difference at byte %zu (live %zu, print "
		    "%zu bytes)\n# live:  %.80s\n# print: %.80s\n", what, off,
		    llen, plen, ls + (off > 40 ? off - 40 : 0),
		    ps + (off > 40 ? off - 40 : 0));
	}
	free(ls);
	free(ps);
	close(lfd);
	close(pfd);
	unlink(lpath);
	unlink(ppath);
	free(lpath);
	free(ppath);
	free(lo);
	free(po);
	return (same);
}

static struct pyval *
fetch_tuple(size_t seq, const char *lit, size_t n)
{
	struct pyval	*tup;
	char		 head[64];

	snprintf(head, sizeof head, "%zu (BODY[] {%zu}", seq, n);
	tup = pv_tuple();
	pv_append(tup, pv_bytes(head, strlen(head)));
	pv_append(tup, pv_bytes(n > 0 ? lit : "", n));
	return (tup);
}

/* One random value of nresp FETCH responses. */
static void
one_case(unsigned long seed, size_t nresp, int *started)
{
	struct pyval	*data;
	char		*lit, what[128];
	size_t		 r, k, nlit, n;

	rng = seed;
	data = pv_list();
	for (r = 0; r < nresp; r++) {
		nlit = rnd(4) == 0 ? 0 : 1 + rnd(2);
		for (k = 0; k < nlit; k++) {
			n = lit_size();
			lit = lit_bytes(n);
			pv_append(data, fetch_tuple(r + 1, lit, n));
			free(lit);
		}
		pv_append(data, line_item());
	}
	snprintf(what, sizeof what, "seed %lu, %zu responses", seed, nresp);
	ok(compare(data, started, what), "%s", what);
	pv_free(data);
}

/*
 * Every width around the layout's edges: a value ending in a bytes item
 * of length 0..100, after nothing, a short item, a middle item of 60..90
 * bytes, a small literal, or a big one: the one-line layouts, the list
 * on the line after 'OK', and the last item's allowance.
 */
static void
width_cases(void)
{
	struct pyval	*data;
	char		 b[128], lit[4000], what[64];
	size_t		 kind, len, mid, bad;
	int		 started, seen[2] = { 0, 0 };

	/* Line ends inside, so a split differs from the one-line repr. */
	memset(b, 'a', sizeof b);
	for (len = 5; len < sizeof b; len += 20)
		b[len] = '\n';
	memset(lit, 'q', sizeof lit);
	for (kind = 0; kind < 5; kind++) {
		bad = 0;
		for (len = 0; len <= 100; len++) {
			for (mid = 60; mid <= 90; mid += kind == 2 ? 1 : 31) {
				data = pv_list();
				if (kind == 1)
					pv_append(data, pv_bytes("x", 1));
				if (kind == 2)
					pv_append(data, pv_bytes(b, mid));
				if (kind == 3)
					pv_append(data, fetch_tuple(1, lit, 3));
				if (kind == 4)
					pv_append(data,
					    fetch_tuple(1, lit, sizeof lit));
				pv_append(data, pv_bytes(b, len));
				snprintf(what, sizeof what, "kind %zu, last "
				    "item %zu bytes, middle %zu", kind, len, mid);
				if (!compare(data, &started, what))
					bad++;
				seen[started]++;
				pv_free(data);
			}
		}
		snprintf(what, sizeof what, "widths after prefix kind %zu: "
		    "live output is py_print's", kind);
		ok(bad == 0, "%s", what);
	}
	ok(seen[0] > 0 && seen[1] > 0,
	    "the widths cover values printed live and on one line");
}

/* Items already spooled (a command sent ahead) print from the spool. */
static void
spooled_case(void)
{
	struct pyval	*data, *tup;
	struct spool	*sp;
	char		*cause = NULL, *lit;
	int		 started;

	rng = 7;
	if ((sp = spool_new(&cause)) == NULL) {
		printf("# %s\n", cause);
		exit(1);
	}
	lit = lit_bytes(300000);
	spool_write(sp, lit, 300000, &cause);
	free(lit);
	data = pv_list();
	tup = pv_tuple();
	pv_append(tup, pv_bytes("1 (BODY[] {300000}", 18));
	pv_append(tup, pv_bytes_spool_range(sp, 0, 300000));
	pv_append(data, tup);
	pv_append(data, pv_bytes(")", 1));
	spool_unref(sp);
	ok(compare(data, &started, "spooled") && started,
	    "a spooled literal prints the same live");
	pv_free(data);
}

static void
takeback_cases(void)
{
	struct out	*o;
	char		*path, *s, big[100000];
	size_t		 len;
	int		 fd, fd2, p[2];

	o = xmalloc(sizeof *o);
	memset(big, 'x', sizeof big);

	fd = open_tmp("tb.out", &path, 0);
	out_init(o, fd);
	out_takeback_init(o, -1);
	ok(o->takeback == OUT_TB_FILE, "a regular file can take back");
	out_puts(o, "head\n");
	ok(out_mark(o) == 0, "out_mark on a file");
	out_write(o, big, sizeof big);	/* past the buffer: written */
	out_puts(o, "more");
	ok(out_take_back(o) == 0, "out_take_back on a file");
	out_puts(o, "tail\n");
	out_flush(o);
	s = slurp(path, &len);
	ok(len == 10 && memcmp(s, "head\ntail\n", 10) == 0,
	    "what was written after the mark is gone, the rest stays");
	free(s);

	/* PARTIAL for OK at the mark, the rest moved up; through a
	 * descriptor open for writing only, as '>' opens stdout. */
	fd2 = open(path, O_WRONLY);
	lseek(fd2, 0, SEEK_END);
	out_init(o, fd2);
	out_takeback_init(o, -1);
	out_mark(o);
	out_puts(o, "('OK',\n [");
	out_write(o, big, sizeof big);
	out_puts(o, "])\n");
	ok(out_rehead(o, 6, "('PARTIAL',", 11) == 0,
	    "out_rehead through a write-only descriptor");
	out_puts(o, "end\n");
	out_flush(o);
	s = slurp(path, &len);
	ok(len == 10 + 11 + 3 + sizeof big + 3 + 4 &&
	    memcmp(s, "head\ntail\n('PARTIAL',\n [x", 25) == 0 &&
	    memcmp(s + len - 8, "x])\nend\n", 8) == 0,
	    "the head is replaced and everything after it moved up");
	free(s);
	close(fd2);

	fd2 = open(path, O_WRONLY);
	out_init(o, fd);
	out_takeback_init(o, fd2);
	ok(o->takeback == 0, "not when stderr is the same file");
	close(fd2);
	close(fd);
	unlink(path);
	free(path);

	fd = open_tmp("tb-append.out", &path, O_APPEND);
	out_init(o, fd);
	out_takeback_init(o, -1);
	ok(o->takeback == 0, "not a file open for appending");
	close(fd);
	unlink(path);
	free(path);

	if ((fd = open("/dev/null", O_WRONLY)) != -1) {
		out_init(o, fd);
		out_takeback_init(o, -1);
		ok(o->takeback == OUT_TB_NULL && out_mark(o) == 0 &&
		    out_take_back(o) == 0, "/dev/null takes back anything");
		close(fd);
	} else
		ok(0, "open /dev/null");

	if (pipe(p) == 0) {
		out_init(o, p[1]);
		out_takeback_init(o, -1);
		ok(o->takeback == 0 && out_mark(o) == -1,
		    "a pipe cannot take back");
		close(p[0]);
		close(p[1]);
	} else
		ok(0, "pipe");
	free(o);
}

int
main(void)
{
	const char	*e, *dir;
	char		*tmpl;
	unsigned long	 seed = 1, count = 400, i;
	size_t		 nresp;
	int		 started, nstarted = 0, nline = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if ((e = getenv("TEST_LIVE_SEED")) != NULL)
		seed = strtoul(e, NULL, 10);
	if ((e = getenv("TEST_LIVE_COUNT")) != NULL)
		count = strtoul(e, NULL, 10);
	if ((dir = getenv("TMPDIR")) == NULL || *dir == '\0')
		dir = "/tmp";
	xasprintf(&tmpl, "%s/test-live.XXXXXX", dir);
	if ((tmpdir = mkdtemp(tmpl)) == NULL) {
		perror(tmpl);
		return (1);
	}
	printf("1..%lu\n", count + 1 + 6 + 1 + 10);
	for (i = 0; i < count; i++) {
		rng = seed + i;
		tiny = i % 8 == 0;
		nresp = i % 4 == 0 ? 1 + rnd(2) : 1 + rnd(12);
		one_case(seed * 1000003 + i, nresp, &started);
		if (started)
			nstarted++;
		else
			nline++;
	}
	/* Both kinds must have come up, or the cases test less than
	 * they claim. */
	printf("# %d values printed as they came, %d on one line\n",
	    nstarted, nline);
	ok(nstarted > (int)count / 4 && nline > 0,
	    "the random values cover both layouts");
	width_cases();
	spooled_case();
	takeback_cases();
	rmdir(tmpdir);
	free(tmpl);
	return (tap_status());
}
