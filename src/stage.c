/*
 * stage.c: output held back until a command's tagged reply (stage.h).
 *
 * The stage is a struct out over an unlinked file: what the printer
 * writes stays in the out's buffer and goes to the file only when the
 * buffer fills, so a small result never touches the file.  Emitting
 * writes the head through the destination's out (where a highlight can
 * wrap it), then the buffered bytes or the file's, the file by sendfile(2)
 * from the page cache straight to the destination, whatever it is.
 */
#include <sys/types.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "output.h"
#include "pyval.h"
#include "stage.h"
#include "xmalloc.h"

#define STAGE_PIPE_SIZE	(1024 * 1024)	/* Linux's default limit */

struct stage {
	struct spool	*file;
	struct out	 o;
};

static int	stage_copy(struct stage *, struct out *, off_t, off_t);

struct stage *
stage_new(char **cause)
{
	struct stage	*st;
	struct spool	*sp;

	if ((sp = spool_new(cause)) == NULL)
		return (NULL);
	st = xcalloc(1, sizeof *st);
	st->file = sp;
	out_init(&st->o, sp->fd);
	return (st);
}

void
stage_free(struct stage *st)
{
	if (st == NULL)
		return;
	spool_unref(st->file);
	free(st);
}

struct out *
stage_out(struct stage *st)
{
	return (&st->o);
}

/* Empty the file (if it was written) and the buffer. */
void
stage_discard(struct stage *st)
{
	off_t	end;

	st->o.len = 0;
	st->o.failed = 0;
	st->o.hl_len = 0;
	if ((end = lseek(st->o.fd, 0, SEEK_CUR)) > 0) {
		if (ftruncate(st->o.fd, 0) == -1 ||
		    lseek(st->o.fd, 0, SEEK_SET) == -1)
			st->o.failed = 1;	/* stage_emit() says so */
	}
}

/*
 * Bytes [off, end) of the file to dst's descriptor (dst's buffer is
 * flushed first): sendfile, or read and write where it cannot.  Output
 * that stops on Ctrl-C goes in pieces, and what is left when one comes is
 * counted in dst->unshown.  -1 when the file could not be read.
 */
static int
stage_copy(struct stage *st, struct out *dst, off_t off, off_t end)
{
	char		 buf[64 * 1024];
	struct pollfd	 pfd;
	ssize_t		 n;
	size_t		 piece;
	int		 plain = 0;

	piece = dst->intr ? OUT_PIECE : (size_t)1 << 30;
	out_flush(dst);
	while (off < end && !dst->failed) {
		if (out_stopped(dst)) {
			dst->unshown += (unsigned long long)(end - off);
			break;
		}
		if (!plain) {
			n = compat_sendfile(dst->fd, st->o.fd, &off,
			    (size_t)(end - off) < piece ?
			    (size_t)(end - off) : piece);
			if (n > 0)
				continue;
			if (n == 0)
				return (-1);	/* the file shrank */
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				pfd.fd = dst->fd;
				pfd.events = POLLOUT;
				(void)poll(&pfd, 1, -1);
				continue;
			}
			if (errno != EINVAL && errno != ENOSYS)
				return (-1);
			plain = 1;
		}
		n = pread(st->o.fd, buf, (size_t)(end - off) < sizeof buf ?
		    (size_t)(end - off) : sizeof buf, off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return (-1);
		out_write(dst, buf, (size_t)n);
		out_flush(dst);
		off += n;
	}
	return (0);
}

int
stage_emit(struct stage *st, struct out *dst, size_t skip, const char *head,
    size_t hl_skip, size_t hl_len, const char *hl_on, const char *hl_off)
{
	char	 first[4096];
	off_t	 end;
	ssize_t	 n;
	size_t	 got;
	int	 rc = 0;

	if (st->o.failed || (end = lseek(st->o.fd, 0, SEEK_CUR)) == -1) {
		stage_discard(st);
		return (-1);
	}
	if (hl_on != NULL)
		out_highlight(dst, hl_skip, hl_len, hl_on, hl_off);
	if (head != NULL)
		out_write(dst, head, strlen(head));
	if (end == 0) {
		/* All of it is still in the buffer. */
		if (skip < st->o.len)
			out_write(dst, st->o.buf + skip, st->o.len - skip);
		stage_discard(st);
		return (0);
	}
	out_flush(&st->o);
	if (st->o.failed || (end = lseek(st->o.fd, 0, SEEK_CUR)) == -1) {
		stage_discard(st);
		return (-1);
	}
	/* A big value into a pipe: fewer, larger hand-overs to its reader. */
	compat_pipe_grow(dst->fd, STAGE_PIPE_SIZE);
	/* The first bytes through the out, where the highlight is. */
	got = sizeof first < (size_t)end ? sizeof first : (size_t)end;
	if ((n = pread(st->o.fd, first, got, 0)) != (ssize_t)got)
		rc = -1;
	else {
		if (skip < got)
			out_write(dst, first + skip, got - skip);
		rc = stage_copy(st, dst, (off_t)got, end);
	}
	stage_discard(st);
	return (rc);
}
