/*
 * test-crlf.c: line ends of a message sent (crlf.c).
 *
 * crlf_convert() against a table of imaplib's MapCRLF results, whole, cut
 * at every point and fed one byte at a time; crlf_count() must give the
 * converted size in each of those ways.  Then random messages of CR, LF
 * and other bytes, long enough for the 16-byte path and its counter
 * flush, against a byte-at-a-time reference, cut at random points.
 *
 * crlf_file_send() over a fake transport that keeps what it is given:
 * with and without a sendfile operation, a CRLF file and an LF file, the
 * UTF8 wrapper; and a file that changes between measure and send, or
 * while it is being sent, which must fail without sending more than the
 * announced size.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crlf.h"
#include "transport.h"
#include "tap.h"

struct crlf_case {
	const char	*in;
	size_t		 inlen;		/* 0: strlen */
	const char	*out;
	const char	*desc;
};

/* The out column is Python's re.sub(br'\r\n|\r|\n', b'\r\n', in). */
static const struct crlf_case cases[] = {
	{ "", 0, "", "empty" },
	{ "abc", 0, "abc", "no line end" },
	{ "a\r\nb\r\n", 0, "a\r\nb\r\n", "CRLF stays" },
	{ "a\nb\n", 0, "a\r\nb\r\n", "LF becomes CRLF" },
	{ "a\rb\r", 0, "a\r\nb\r\n", "lone CR becomes CRLF" },
	{ "a\r\nb", 0, "a\r\nb", "last line without a line end" },
	{ "\n", 0, "\r\n", "LF alone" },
	{ "\r", 0, "\r\n", "CR alone, at the end" },
	{ "\r\n", 0, "\r\n", "CRLF alone" },
	{ "\n\r", 0, "\r\n\r\n", "LF CR: two line ends" },
	{ "\r\r\n", 0, "\r\n\r\n", "CR then CRLF" },
	{ "\r\n\n", 0, "\r\n\r\n", "CRLF then LF" },
	{ "\r\n\r", 0, "\r\n\r\n", "CRLF then CR at the end" },
	{ "\n\n\n", 0, "\r\n\r\n\r\n", "LF LF LF" },
	{ "\r\r\r", 0, "\r\n\r\n\r\n", "CR CR CR" },
	{ "a\0b\r\n\0", 5, "a\0b\r\n\0", "NUL bytes pass" },
	{ "x\r\n\r\n\r\nyy\n\rz\r\r\n\n", 0,
	    "x\r\n\r\n\r\nyy\r\n\r\nz\r\n\r\n\r\n", "a mix" },
};


/* What the fake transport was given, and what it does to the file. */
struct fake {
	char	*data;
	size_t	 len, size;
	size_t	 piece;		/* at most this much a call */
	int	 fd;		/* the file being sent, for the hook */
	size_t	 change_at;	/* 0, or change the file past this */
	int	 in_place;	/* the change: line ends written over the
				   second half (same size), or else a
				   growth */
	int	 changed;
};

static void	 show(const char *, const char *, size_t);
static size_t	 reference(int *, const char *, size_t, char *);
static int	 convert_cut(const char *, size_t, size_t, char *, size_t *);
static uint64_t	 count_cut(const char *, size_t, size_t);
static void	 fake_keep(struct fake *, const void *, size_t);
static ssize_t	 fake_read(struct transport *, void *, size_t, char **);
static ssize_t	 fake_write(struct transport *, const void *, size_t,
		    char **);
static ssize_t	 fake_sendfile(struct transport *, int, uint64_t, size_t,
		    char **);
static int	 fake_fd(struct transport *);
static void	 fake_close(struct transport *);
static int	 temp_file(const void *, size_t, char *, size_t);
static int	 send_file(const void *, size_t, const char *, const char *,
		    int, size_t, struct fake *, char **);

static const struct transport_ops fake_ops = {
	.name = "fake",
	.read = fake_read,
	.write = fake_write,
	.rfd = fake_fd,
	.wfd = fake_fd,
	.close = fake_close,
};
static const struct transport_ops fake_sendfile_ops = {
	.name = "fake-sendfile",
	.read = fake_read,
	.write = fake_write,
	.rfd = fake_fd,
	.wfd = fake_fd,
	.close = fake_close,
	.sendfile = fake_sendfile,
};

/* A TAP comment line showing bytes with C escapes. */
static void
show(const char *what, const char *s, size_t len)
{
	size_t	i;

	printf("#   %s: \"", what);
	for (i = 0; s != NULL && i < len && i < 200; i++) {
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\')
			putchar(s[i]);
		else
			printf("\\x%02x", (unsigned char)s[i]);
	}
	printf("%s\"\n", len > 200 ? "..." : "");
}

/* The rule one byte at a time, as cmd-message.c applied it before. */
static size_t
reference(int *cr, const char *p, size_t n, char *out)
{
	size_t	i, o = 0;

	for (i = 0; i < n; i++) {
		if (*cr) {
			*cr = 0;
			if (p[i] == '\n')
				continue;
		}
		if (p[i] == '\r' || p[i] == '\n') {
			out[o++] = '\r';
			out[o++] = '\n';
			*cr = p[i] == '\r';
		} else
			out[o++] = p[i];
	}
	return (o);
}

/*
 * Convert in pieces of at most step bytes (0: at cut points 1, 2, 3...
 * given by a simple generator) into out; *len is the size.  Pieces are
 * heap copies of exact size so that ASan sees any read past them.
 */
static int
convert_cut(const char *in, size_t n, size_t step, char *out, size_t *len)
{
	char	*piece;
	size_t	 off = 0, take, k = 1;
	int	 cr = 0;

	*len = 0;
	while (off < n) {
		take = step != 0 ? step : k++ % 37 + 1;
		if (take > n - off)
			take = n - off;
		if ((piece = malloc(take)) == NULL)
			return (-1);
		memcpy(piece, in + off, take);
		*len += crlf_convert(&cr, piece, take, out + *len);
		free(piece);
		off += take;
	}
	return (0);
}

static uint64_t
count_cut(const char *in, size_t n, size_t step)
{
	char		*piece;
	size_t		 off = 0, take;
	uint64_t	 total = 0;
	int		 cr = 0;

	while (off < n) {
		take = step < n - off ? step : n - off;
		if ((piece = malloc(take)) == NULL)
			return (UINT64_MAX);
		memcpy(piece, in + off, take);
		total += crlf_count(&cr, piece, take);
		free(piece);
		off += take;
	}
	return (total);
}

static void
fake_keep(struct fake *f, const void *p, size_t n)
{
	if (f->len + n > f->size) {
		f->size = (f->len + n) * 2;
		if ((f->data = realloc(f->data, f->size)) == NULL)
			abort();
	}
	memcpy(f->data + f->len, p, n);
	f->len += n;
	/* The hook: the file grows under the sender. */
	if (f->change_at != 0 && !f->changed && f->len > f->change_at) {
		struct timespec	ts = { 0, 20 * 1000 * 1000 };

		char		lf[4096];
		struct stat	sb;

		nanosleep(&ts, NULL);	/* a new mtime even on coarse clocks */
		memset(lf, '\n', sizeof lf);
		if (fstat(f->fd, &sb) == -1)
			abort();
		if (f->in_place) {
			if (pwrite(f->fd, lf, sizeof lf, sb.st_size / 2) !=
			    (ssize_t)sizeof lf)
				abort();
		} else if (pwrite(f->fd, "\nmore\n", 6, 1 << 30) != 6)
			abort();
		f->changed = 1;
	}
}

static ssize_t
fake_read(struct transport *t, void *buf, size_t len, char **cause)
{
	return (0);
}

static ssize_t
fake_write(struct transport *t, const void *buf, size_t len, char **cause)
{
	struct fake	*f = t->priv;

	if (len > f->piece)
		len = f->piece;
	fake_keep(f, buf, len);
	return ((ssize_t)len);
}

static ssize_t
fake_sendfile(struct transport *t, int fd, uint64_t off, size_t len,
    char **cause)
{
	struct fake	*f = t->priv;
	char		*buf;
	ssize_t		 n;

	if (len > f->piece)
		len = f->piece;
	if ((buf = malloc(len)) == NULL)
		abort();
	if ((n = pread(fd, buf, len, (off_t)off)) == -1) {
		*cause = strdup(strerror(errno));
		free(buf);
		return (-1);
	}
	fake_keep(f, buf, (size_t)n);
	free(buf);
	return (n);
}

static int
fake_fd(struct transport *t)
{
	return (-1);
}

static void
fake_close(struct transport *t)
{
}

/* A temporary file holding data; its fd, its name in path. */
static int
temp_file(const void *data, size_t len, char *path, size_t size)
{
	const char	*dir = getenv("TMPDIR");
	int		 fd;

	snprintf(path, size, "%s/test-crlf.XXXXXX",
	    dir != NULL && *dir != '\0' ? dir : "/tmp");
	if ((fd = mkstemp(path)) == -1)
		return (-1);
	if (write(fd, data, len) != (ssize_t)len) {
		close(fd);
		unlink(path);
		return (-1);
	}
	return (fd);
}

/*
 * Send data as a file through a fake transport (with sendfile or not,
 * pieces of at most piece bytes).  When f->change_at is set the file
 * grows once that much has been sent; when truncate is set it shrinks
 * between measure and send.  Returns crlf_file_send()'s result; what was
 * sent is in f; -2 when the file could not be set up.
 */
static int
send_file(const void *data, size_t len, const char *pre, const char *post,
    int use_sendfile, size_t piece, struct fake *f, char **cause)
{
	struct transport	 t;
	struct crlf_file	*cf;
	char			 path[4096];
	uint64_t		 size;
	int			 fd, rv, truncate;

	truncate = f->change_at == SIZE_MAX;
	if (truncate)
		f->change_at = 0;
	f->piece = piece;
	*cause = NULL;
	if ((fd = temp_file(data, len, path, sizeof path)) == -1)
		return (-2);
	unlink(path);
	f->fd = fd;
	if ((cf = crlf_file_open(fd, "msg.eml", pre, post, cause)) == NULL) {
		close(fd);
		return (-2);
	}
	size = crlf_file_size(cf);
	if (truncate) {
		struct timespec	ts = { 0, 20 * 1000 * 1000 };

		nanosleep(&ts, NULL);
		if (ftruncate(fd, (off_t)len / 2) == -1)
			abort();
	}
	memset(&t, 0, sizeof t);
	t.ops = use_sendfile ? &fake_sendfile_ops : &fake_ops;
	t.priv = f;
	rv = crlf_file_send(cf, &t, 0, NULL, NULL, cause);
	if (f->len > size) {
		printf("#   sent %zu bytes, announced %llu\n", f->len,
		    (unsigned long long)size);
		rv = -3;
	}
	if (rv == 0 && f->len != size) {
		printf("#   sent %zu bytes, announced %llu\n", f->len,
		    (unsigned long long)size);
		rv = -3;
	}
	crlf_file_free(cf);
	return (rv);
}

int
main(void)
{
	const size_t	 ncases = sizeof cases / sizeof cases[0];
	const struct crlf_case *c;
	struct fake	 f;
	char		*in, *out, *want, *cause;
	size_t		 i, n, len, wlen, cut, step, outlen, bad;
	uint64_t	 cnt;
	unsigned int	 seed = 1;
	int		 cr, good, sf;

	printf("1..%zu\n", 3 * ncases + 3 + 5 * 2 + 3);

	for (i = 0; i < ncases; i++) {
		c = &cases[i];
		n = c->inlen != 0 ? c->inlen : strlen(c->in);
		wlen = c->inlen != 0 ? c->inlen + (strlen(c->out) -
		    strlen(c->in)) : strlen(c->out);
		if ((out = malloc(2 * n + 1)) == NULL)
			return (2);

		/* Whole, and the reference agrees with the table. */
		cr = 0;
		len = crlf_convert(&cr, c->in, n, out);
		cr = 0;
		cnt = crlf_count(&cr, c->in, n);
		good = len == wlen && memcmp(out, c->out, wlen) == 0 &&
		    cnt == wlen;
		cr = 0;
		good = good && reference(&cr, c->in, n, out) == wlen &&
		    memcmp(out, c->out, wlen) == 0;
		ok(good, "whole: %s", c->desc);
		if (!good)
			show("got", out, len);

		/* Cut at every point, converted and counted. */
		good = 1;
		for (cut = 0; cut <= n; cut++) {
			cr = 0;
			len = crlf_convert(&cr, c->in, cut, out);
			len += crlf_convert(&cr, c->in + cut, n - cut,
			    out + len);
			cr = 0;
			cnt = crlf_count(&cr, c->in, cut);
			cnt += crlf_count(&cr, c->in + cut, n - cut);
			if (len != wlen || memcmp(out, c->out, wlen) != 0 ||
			    cnt != wlen) {
				printf("#   cut at %zu\n", cut);
				good = 0;
			}
		}
		ok(good, "cut anywhere: %s", c->desc);

		/* One byte at a time. */
		good = convert_cut(c->in, n, 1, out, &len) == 0 &&
		    len == wlen && memcmp(out, c->out, wlen) == 0 &&
		    count_cut(c->in, n, 1) == wlen;
		ok(good, "one byte at a time: %s", c->desc);
		free(out);
	}

	/* Random messages against the reference. */
	bad = 0;
	for (i = 0; i < 400; i++) {
		n = i < 300 ? (size_t)rand_r(&seed) % 300 :
		    (size_t)rand_r(&seed) % 20000 + 4000;
		if ((in = malloc(n + 1)) == NULL ||
		    (out = malloc(2 * n + 1)) == NULL ||
		    (want = malloc(2 * n + 1)) == NULL)
			return (2);
		for (len = 0; len < n; len++) {
			switch (rand_r(&seed) % (i % 3 == 0 ? 4 : 40)) {
			case 0:
				in[len] = '\r';
				break;
			case 1:
				in[len] = '\n';
				break;
			case 2:
				in[len] = (char)(rand_r(&seed) & 0xff);
				break;
			default:
				in[len] = 'a' + (char)(len % 26);
				break;
			}
		}
		cr = 0;
		wlen = reference(&cr, in, n, want);
		step = (size_t)rand_r(&seed) % 5000 + 1;
		if (convert_cut(in, n, i % 2 ? 0 : step, out, &outlen) == -1)
			return (2);
		cr = 0;
		cnt = crlf_count(&cr, in, n);
		if (outlen != wlen || memcmp(out, want, wlen) != 0 ||
		    cnt != wlen || count_cut(in, n, step) != wlen) {
			if (bad++ < 3)
				printf("#   case %zu: %zu bytes, want %zu, "
				    "converted %zu, counted %llu\n", i, n, wlen,
				    outlen, (unsigned long long)cnt);
		}
		free(want);
		free(out);
		free(in);
	}
	ok(bad == 0, "400 random messages: convert and count as the "
	    "reference (%zu failed)", bad);

	/* A long CRLF message: the 16-byte path and its counter flush. */
	n = 1 << 20;
	if ((in = malloc(n)) == NULL)
		return (2);
	for (i = 0; i < n; i++)
		in[i] = i % 78 == 76 ? '\r' : i % 78 == 77 ? '\n' : 'x';
	cr = 0;
	cnt = crlf_count(&cr, in, n);
	in[n / 2 + 1] = '\n';		/* one bare LF */
	cr = 0;
	ok(cnt == n && crlf_count(&cr, in, n) == n + 1,
	    "1 MB of CRLF lines counts as itself; one bare LF adds one");

	/* Runs long enough to fill the byte-wide counters many times. */
	if ((out = malloc(n)) == NULL)
		return (2);
	memset(out, '\n', n);
	cr = 0;
	cnt = crlf_count(&cr, out, n);
	memset(out, '\r', n);
	cr = 0;
	cnt += crlf_count(&cr, out, n);
	for (i = 0; i < n; i++)
		out[i] = i % 2 ? '\n' : '\r';
	cr = 0;
	cnt += crlf_count(&cr, out, n);
	ok(cnt == 5 * (uint64_t)n, "1 MB of LF, of CR, of CRLF: counted "
	    "(%llu)", (unsigned long long)cnt);
	free(out);

	/* Files, through transports with and without sendfile. */
	for (sf = 0; sf < 2; sf++) {
		const char *tr = sf ? "sendfile" : "read and write";

		cr = 0;
		in[n / 2 + 1] = 'x';
		memset(&f, 0, sizeof f);
		good = send_file(in, n, "", "", sf, 70000, &f, &cause) == 0 &&
		    f.len == n && memcmp(f.data, in, n) == 0;
		ok(good, "%s: a CRLF file is sent as it is", tr);
		free(f.data);
		free(cause);

		/* LF only, with the UTF8 wrapper. */
		if ((out = malloc(2 * n + 8)) == NULL ||
		    (want = malloc(n)) == NULL)
			return (2);
		for (i = 0; i < n; i++)
			want[i] = in[i] == '\r' ? 'y' : in[i];
		want[n - 1] = 'z';	/* no final line end */
		memcpy(out, "UTF8 (", 6);
		cr = 0;
		len = 6 + crlf_convert(&cr, want, n, out + 6);
		out[len++] = ')';
		memset(&f, 0, sizeof f);
		good = send_file(want, n, "UTF8 (", ")", sf, 100000, &f,
		    &cause) == 0 && f.len == len &&
		    memcmp(f.data, out, len) == 0;
		ok(good, "%s: an LF file is converted, wrapped in UTF8 ()",
		    tr);
		free(f.data);
		free(cause);
		free(want);
		free(out);

		/* It grows while it is sent (past its first 300 kB). */
		memset(&f, 0, sizeof f);
		f.change_at = 300000;
		good = send_file(in, n, "", "", sf, 65536, &f, &cause) == -1 &&
		    cause != NULL && strstr(cause, "msg.eml: the file changed "
		    "while it was being sent") != NULL;
		ok(good, "%s: a file that grows while sent: refused (%s)", tr,
		    cause != NULL ? cause : "no cause");
		free(f.data);
		free(cause);

		/* Bare LFs written over an LF file's second half while it
		 * is sent: longer once converted; never more than
		 * announced is sent (send_file checks). */
		if ((want = malloc(n)) == NULL)
			return (2);
		for (i = 0; i < n; i++)
			want[i] = in[i] == '\r' ? 'y' : in[i];
		memset(&f, 0, sizeof f);
		f.change_at = 300000;
		f.in_place = 1;
		good = send_file(want, n, "", "", sf, 65536, &f, &cause) ==
		    -1 && cause != NULL && strstr(cause, "changed") != NULL;
		ok(good, "%s: an LF file changed in place while sent: "
		    "refused, nothing past its size (%s)", tr,
		    cause != NULL ? cause : "no cause");
		free(f.data);
		free(cause);
		free(want);

		/* It shrinks between measure and send: nothing sent. */
		memset(&f, 0, sizeof f);
		f.change_at = SIZE_MAX;
		good = send_file(in, n, "", "", sf, 65536, &f, &cause) == -1 &&
		    cause != NULL && strstr(cause, "changed") != NULL &&
		    f.len == 0;
		ok(good, "%s: a file that shrinks before it is sent: nothing "
		    "sent (%s)", tr, cause != NULL ? cause : "no cause");
		free(f.data);
		free(cause);
	}

	/* Not a regular file, or empty: NULL without a cause. */
	{
		int	 p[2];
		char	 path[4096];
		int	 fd;

		cause = NULL;
		good = pipe(p) == 0 &&
		    crlf_file_open(p[0], "pipe", "", "", &cause) == NULL &&
		    cause == NULL;
		ok(good, "a pipe is not measured: the caller spools it");
		close(p[0]);
		close(p[1]);
		fd = temp_file("", 0, path, sizeof path);
		good = fd != -1 &&
		    crlf_file_open(fd, "empty", "", "", &cause) == NULL &&
		    cause == NULL;
		ok(good, "an empty file is left to the spool");
		if (fd != -1) {
			close(fd);
			unlink(path);
		}
		/* An LF file: its size says so. */
		fd = temp_file("a\nb\rc\r\n", 7, path, sizeof path);
		{
			struct crlf_file *cf = NULL;

			good = fd != -1 && (cf = crlf_file_open(fd, "f", "",
			    "", &cause)) != NULL && crlf_file_size(cf) == 9;
			ok(good, "a file's literal size is its CRLF size");
			if (cf != NULL)
				crlf_file_free(cf);
			else if (fd != -1)
				close(fd);
			unlink(path);
		}
	}
	free(in);

	return (tap_status());
}
