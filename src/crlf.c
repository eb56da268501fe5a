/*
 * crlf.c: the line ends of a message imapsh sends, and a message file sent
 * as a literal straight from the file (see crlf.h).
 *
 * append <file used to copy the whole message into a spool, converting
 * the line ends on the way so that the literal's size was known, then
 * read the spool back to send it.  A regular file is now read twice
 * instead, and never copied: once here to measure it, once to send it
 * after the server's "+".  When no line end needs changing (the usual
 * .eml, already CRLF) the second pass is sendfile(2) on a plain TCP
 * connection, so the bytes never enter this process; otherwise they are
 * read and converted a chunk at a time.
 *
 * Counting is then the whole cost of the first pass, so crlf_count()
 * compares 16 bytes at a time with the vector extension of GCC and Clang:
 * plain byte loops are not vectorised at -O2, and reading and counting a
 * 50 MB message takes ~55 ms that way, ~6 ms this way.
 *
 * The file is named by the person and may change under us.  It is
 * measured with its size and modification time around the first pass, and
 * checked again before and after the second: a literal whose announced
 * size is not what the file now holds cannot be put right on the wire, so
 * crlf_file_send() fails and the caller drops the connection before the
 * command line ends, and the server stores nothing.  It never sends more
 * than the announced size, which the server would read as commands.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crlf.h"
#include "transport.h"
#include "xmalloc.h"

#define CRLF_CHUNK	(256 * 1024)		/* read at a time */
#define CRLF_SLICE	(4 * 1024 * 1024)	/* sendfile between progress
						   reports */

struct crlf_file {
	int		 fd;
	char		*name;
	char		*pre, *post;
	uint64_t	 fsize;		/* the file's size when measured */
	uint64_t	 conv;		/* the same with CRLF line ends */
	struct timespec	 mtime;		/* its modification time then */
};

/* 16 bytes compared as one (a typedef: the attribute needs a type). */
typedef unsigned char crlf_vec __attribute__((__vector_size__(16)));

static int	crlf_file_changed(const struct crlf_file *,
		    const struct stat *);
static int	crlf_file_check(struct crlf_file *, char **);
static ssize_t	crlf_pread(int, void *, size_t, uint64_t);
static void	crlf_changed_cause(const struct crlf_file *, char **);

size_t
crlf_convert(int *cr, const char *in, size_t n, char *out)
{
	const char	*p = in, *end = in + n, *nextcr, *nextlf, *e;
	char		*o = out;

	if (n == 0)
		return (0);
	/* The \n of a \r\n cut by the previous call: its \r made the pair. */
	if (*cr && *p == '\n')
		p++;
	nextcr = memchr(p, '\r', (size_t)(end - p));
	nextlf = memchr(p, '\n', (size_t)(end - p));
	while (nextcr != NULL || nextlf != NULL) {
		if (nextlf == NULL || (nextcr != NULL && nextcr < nextlf))
			e = nextcr;
		else
			e = nextlf;
		memcpy(o, p, (size_t)(e - p));
		o += e - p;
		*o++ = '\r';
		*o++ = '\n';
		p = e + 1;
		if (*e == '\r' && p < end && *p == '\n')
			p++;
		if (nextcr != NULL && nextcr < p)
			nextcr = memchr(p, '\r', (size_t)(end - p));
		if (nextlf != NULL && nextlf < p)
			nextlf = memchr(p, '\n', (size_t)(end - p));
	}
	memcpy(o, p, (size_t)(end - p));
	o += end - p;
	*cr = end[-1] == '\r';
	return ((size_t)(o - out));
}

uint64_t
crlf_count(int *cr, const char *in, size_t n)
{
	const unsigned char	*p = (const unsigned char *)in;
	crlf_vec		 cur, prev, vcr, vlf, acr, alf, apair;
	uint64_t		 ncr, nlf, npair;
	size_t			 i, j, k;

	if (n == 0)
		return (0);
	/* Byte 0 pairs with the last byte of the previous call. */
	ncr = p[0] == '\r';
	nlf = p[0] == '\n';
	npair = *cr && p[0] == '\n';
	vcr = (crlf_vec){ 0 } + '\r';
	vlf = (crlf_vec){ 0 } + '\n';
	i = 1;
	while (n - i >= sizeof cur) {
		/* Byte-wide counters: 255 rounds at most before they wrap. */
		acr = alf = apair = (crlf_vec){ 0 };
		for (k = 0; k < 255 && n - i >= sizeof cur; k++) {
			memcpy(&cur, p + i, sizeof cur);
			memcpy(&prev, p + i - 1, sizeof prev);
			acr -= (crlf_vec)(cur == vcr);
			alf -= (crlf_vec)(cur == vlf);
			apair -= (crlf_vec)((cur == vlf) & (prev == vcr));
			i += sizeof cur;
		}
		for (j = 0; j < sizeof cur; j++) {
			ncr += acr[j];
			nlf += alf[j];
			npair += apair[j];
		}
	}
	for (; i < n; i++) {
		ncr += p[i] == '\r';
		nlf += p[i] == '\n';
		npair += p[i] == '\n' && p[i - 1] == '\r';
	}
	*cr = p[n - 1] == '\r';
	/* A lone \r or \n gains a byte; a pair stays two. */
	return (n + ncr + nlf - 2 * npair);
}

/* pread(2) that carries on after a signal. */
static ssize_t
crlf_pread(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t	n;

	do
		n = pread(fd, buf, len, (off_t)off);
	while (n == -1 && errno == EINTR);
	return (n);
}

static int
crlf_file_changed(const struct crlf_file *cf, const struct stat *sb)
{
	return ((uint64_t)sb->st_size != cf->fsize ||
	    sb->st_mtim.tv_sec != cf->mtime.tv_sec ||
	    sb->st_mtim.tv_nsec != cf->mtime.tv_nsec);
}

static void
crlf_changed_cause(const struct crlf_file *cf, char **cause)
{
	xasprintf(cause, "%s: the file changed while it was being sent",
	    cf->name);
}

/* 0 if the file is still as measured; -1 and *cause if not. */
static int
crlf_file_check(struct crlf_file *cf, char **cause)
{
	struct stat	sb;

	if (fstat(cf->fd, &sb) == -1) {
		xasprintf(cause, "%s: %s", cf->name, strerror(errno));
		return (-1);
	}
	if (crlf_file_changed(cf, &sb)) {
		crlf_changed_cause(cf, cause);
		return (-1);
	}
	return (0);
}

struct crlf_file *
crlf_file_open(int fd, const char *name, const char *pre, const char *post,
    char **cause)
{
	struct crlf_file	*cf;
	struct stat		 sb, sa;
	char			*chunk;
	uint64_t		 off = 0, conv = 0, size, want;
	ssize_t			 n;
	int			 cr = 0;

	if (fstat(fd, &sb) == -1) {
		xasprintf(cause, "%s: %s", name, strerror(errno));
		return (NULL);
	}
	if (!S_ISREG(sb.st_mode) || sb.st_size <= 0)
		return (NULL);
	size = (uint64_t)sb.st_size;
	/* Up to one byte past the size: more means it grows as we read. */
	chunk = xmalloc(CRLF_CHUNK);
	while (off <= size) {
		want = size + 1 - off;
		if (want > CRLF_CHUNK)
			want = CRLF_CHUNK;
		if ((n = crlf_pread(fd, chunk, (size_t)want, off)) == -1) {
			xasprintf(cause, "%s: %s", name, strerror(errno));
			free(chunk);
			return (NULL);
		}
		if (n == 0)
			break;
		conv += crlf_count(&cr, chunk, (size_t)n);
		off += (uint64_t)n;
	}
	free(chunk);
	if (fstat(fd, &sa) == -1) {
		xasprintf(cause, "%s: %s", name, strerror(errno));
		return (NULL);
	}
	/* A file that changed, or whose size is not its length (/proc):
	 * the caller reads it once, as a stream. */
	if (off != size || (uint64_t)sa.st_size != size ||
	    sa.st_mtim.tv_sec != sb.st_mtim.tv_sec ||
	    sa.st_mtim.tv_nsec != sb.st_mtim.tv_nsec)
		return (NULL);

	cf = xcalloc(1, sizeof *cf);
	cf->fd = fd;
	cf->name = xstrdup(name);
	cf->pre = xstrdup(pre);
	cf->post = xstrdup(post);
	cf->fsize = size;
	cf->conv = conv;
	cf->mtime = sb.st_mtim;
	return (cf);
}

uint64_t
crlf_file_size(const struct crlf_file *cf)
{
	return (strlen(cf->pre) + cf->conv + strlen(cf->post));
}

int
crlf_file_send(struct crlf_file *cf, struct transport *t, int timeout_ms,
    void (*progress)(void *, uint64_t, uint64_t, int), void *progress_arg,
    char **cause)
{
	char		*in = NULL, *out = NULL;
	const char	*p;
	uint64_t	 total = crlf_file_size(cf), end, done, off = 0;
	uint64_t	 slice, sent, shown = 0;
	size_t		 len, want, plen = strlen(cf->pre);
	ssize_t		 n;
	int		 cr = 0, rv = -1;

	/* The bytes from the file end at end; post follows. */
	end = plen + cf->conv;
	if (crlf_file_check(cf, cause) == -1)
		return (-1);
	if (plen > 0 && tr_write_all(t, cf->pre, plen, timeout_ms,
	    cause) == -1)
		return (-1);
	done = plen;

	/* Nothing to change: the file as it is, by the kernel where the
	 * transport has no layer of its own above the socket. */
	while (cf->conv == cf->fsize && off < cf->fsize) {
		slice = cf->fsize - off;
		if (slice > CRLF_SLICE)
			slice = CRLF_SLICE;
		rv = tr_send_file(t, cf->fd, off, slice, &sent, timeout_ms,
		    cause);
		if (rv == -1)
			return (-1);
		if (rv == 1)
			break;		/* the transport cannot */
		off += sent;
		done += sent;
		if (sent < slice)
			goto changed;	/* the file ended early */
		if (progress != NULL) {
			progress(progress_arg, done, total, 1);
			shown = done;
		}
	}
	rv = -1;

	/* Else read it, and convert it when it must be. */
	if (off < cf->fsize) {
		in = xmalloc(CRLF_CHUNK);
		if (cf->conv != cf->fsize)
			out = xmalloc(2 * CRLF_CHUNK);
	}
	while (off < cf->fsize) {
		want = CRLF_CHUNK;
		if (want > cf->fsize - off)
			want = (size_t)(cf->fsize - off);
		if ((n = crlf_pread(cf->fd, in, want, off)) == -1) {
			xasprintf(cause, "%s: %s", cf->name, strerror(errno));
			goto out;
		}
		if (n == 0)
			goto changed;
		off += (uint64_t)n;
		if (out == NULL) {
			p = in;
			len = (size_t)n;
		} else {
			p = out;
			len = crlf_convert(&cr, in, (size_t)n, out);
		}
		if (len > end - done)
			goto changed;
		if (tr_write_all(t, p, len, timeout_ms, cause) == -1)
			goto out;
		done += len;
		if (progress != NULL) {
			progress(progress_arg, done, total, 1);
			shown = done;
		}
	}
	if (done != end || crlf_file_check(cf, cause) == -1)
		goto changed;
	if (tr_write_all(t, cf->post, strlen(cf->post), timeout_ms,
	    cause) == -1)
		goto out;
	if (progress != NULL && shown != total)
		progress(progress_arg, total, total, 1);
	rv = 0;
	goto out;

changed:
	if (*cause == NULL)
		crlf_changed_cause(cf, cause);
out:
	free(out);
	free(in);
	return (rv);
}

void
crlf_file_free(struct crlf_file *cf)
{
	if (cf == NULL)
		return;
	close(cf->fd);
	free(cf->post);
	free(cf->pre);
	free(cf->name);
	free(cf);
}
