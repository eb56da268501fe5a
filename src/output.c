/*
 * output.c: the one output object.
 *
 * Output is collected in the 64 KB buffer inside struct out and written
 * when it fills or when the caller flushes; a write larger than the buffer
 * goes straight to the descriptor after what is already buffered, so a
 * 50 MB message costs no copy.  Writes survive EINTR, short writes and a
 * non-blocking descriptor (we wait with poll).  The first real error
 * (EPIPE when the reader went away, ENOSPC, EIO...) sets failed, and from
 * then on output is dropped silently: the caller checks failed once, where
 * it decides the exit status, instead of after every print.
 *
 * out_reserve() and out_commit() let a printer write into the buffer in
 * place (py-print.c escapes a whole FETCH this way), so that what it
 * prints is copied once, not staged and copied again.
 *
 * Output to a regular file or to /dev/null can be taken back: a FETCH's
 * value is printed as it arrives there, and if the command does not end
 * OK the file is truncated where the value began (out_mark(),
 * out_take_back()), or its first word replaced (out_rehead()).
 *
 * The results' output stops on Ctrl-C (out_stop_on_intr()): it is written
 * in pieces, the count of Ctrl-Cs is looked at before each, and from the
 * first one on what would be written is counted instead, for the front
 * end to say how much was left out.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "intr.h"
#include "output.h"
#include "xmalloc.h"

static void	out_write_plain(struct out *, const void *, size_t);
static void	out_puts_plain(struct out *, const char *);
static void	out_write_hl(struct out *, const char *, size_t);

static void	out_raw(struct out *, const char *, size_t);

void
out_init(struct out *o, int fd)
{
	o->fd = fd;
	o->tty = isatty(fd);
	o->failed = 0;
	o->takeback = 0;
	o->mark = 0;
	o->hl_skip = o->hl_len = 0;
	o->hl_on = o->hl_off = NULL;
	o->intr = o->intr_seen = 0;
	o->unshown = 0;
	o->len = 0;
}

void
out_stop_on_intr(struct out *o)
{
	o->intr = 1;
	o->intr_seen = intr_count();
}

int
out_stopped(const struct out *o)
{
	return (o->intr && intr_count() > o->intr_seen);
}

void
out_resume(struct out *o)
{
	o->intr_seen = intr_count();
}

/* Write all of p to the descriptor, or set failed; once a Ctrl-C stopped
 * the output, count what is left instead. */
static void
out_raw(struct out *o, const char *p, size_t len)
{
	struct pollfd	 pfd;
	ssize_t		 n;

	while (len > 0 && !o->failed) {
		if (out_stopped(o)) {
			o->unshown += len;
			break;
		}
		n = write(o->fd, p, o->intr && len > OUT_PIECE ? OUT_PIECE :
		    len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				pfd.fd = o->fd;
				pfd.events = POLLOUT;
				if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
					o->failed = 1;
				continue;
			}
			o->failed = 1;
			break;
		}
		if (n == 0) {
			o->failed = 1;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
}

void
out_flush(struct out *o)
{
	if (o->len != 0 && !o->failed)
		out_raw(o, o->buf, o->len);
	o->len = 0;
}

char *
out_reserve(struct out *o, size_t want, size_t *room)
{
	if (o->hl_len > 0 || o->failed || want > sizeof o->buf)
		return (NULL);
	if (sizeof o->buf - o->len < want)
		out_flush(o);
	*room = sizeof o->buf - o->len;
	return (o->buf + o->len);
}

void
out_commit(struct out *o, size_t len)
{
	o->len += len;
}

void
out_takeback_init(struct out *o, int other_fd)
{
	struct stat	 st, ot, nt;
	int		 fl;

	o->takeback = 0;
	if (fstat(o->fd, &st) == -1)
		return;
	if (S_ISCHR(st.st_mode)) {
		if (stat("/dev/null", &nt) == 0 && S_ISCHR(nt.st_mode) &&
		    nt.st_rdev == st.st_rdev)
			o->takeback = OUT_TB_NULL;
		return;
	}
	if (!S_ISREG(st.st_mode) ||
	    (fl = fcntl(o->fd, F_GETFL)) == -1 || (fl & O_APPEND) != 0 ||
	    (fl & O_ACCMODE) == O_RDONLY)
		return;
	if (other_fd >= 0 && fstat(other_fd, &ot) == 0 &&
	    ot.st_dev == st.st_dev && ot.st_ino == st.st_ino)
		return;
	o->takeback = OUT_TB_FILE;
}

int
out_mark(struct out *o)
{
	off_t	 at;

	out_flush(o);
	if (o->takeback == 0 || o->failed)
		return (-1);
	if (o->takeback == OUT_TB_NULL) {
		o->mark = 0;
		return (0);
	}
	if ((at = lseek(o->fd, 0, SEEK_CUR)) == -1)
		return (-1);
	o->mark = (long long)at;
	return (0);
}

int
out_take_back(struct out *o)
{
	o->len = 0;
	if (o->failed)
		return (-1);
	if (o->takeback == OUT_TB_NULL)
		return (0);
	if (ftruncate(o->fd, (off_t)o->mark) == -1 ||
	    lseek(o->fd, (off_t)o->mark, SEEK_SET) == -1) {
		o->failed = 1;
		return (-1);
	}
	return (0);
}

/*
 * The file is read back through a descriptor of its own when stdout was
 * opened for writing only (as '>' does): /proc/self/fd/N opens it anew.
 */
int
out_rehead(struct out *o, size_t oldlen, const char *head, size_t newlen)
{
	char	 buf[64 * 1024];
	off_t	 end, pos, from;
	size_t	 n, shift = newlen - oldlen;
	int	 rfd = o->fd, fl, rc = -1;

	out_flush(o);
	if (o->failed || newlen < oldlen)
		return (-1);
	if (o->takeback == OUT_TB_NULL)
		return (0);
	if ((end = lseek(o->fd, 0, SEEK_CUR)) == -1 ||
	    (fl = fcntl(o->fd, F_GETFL)) == -1)
		return (-1);
	if ((fl & O_ACCMODE) != O_RDWR) {
		if ((rfd = compat_reopen(o->fd, O_RDONLY)) == -1)
			return (-1);
	}
	from = (off_t)o->mark + (off_t)oldlen;
	for (pos = end; pos > from; pos -= (off_t)n) {
		n = pos - from < (off_t)sizeof buf ? (size_t)(pos - from) :
		    sizeof buf;
		if (pread(rfd, buf, n, pos - (off_t)n) != (ssize_t)n ||
		    pwrite(o->fd, buf, n, pos - (off_t)n + (off_t)shift) !=
		    (ssize_t)n)
			goto out;
	}
	if (pwrite(o->fd, head, newlen, (off_t)o->mark) != (ssize_t)newlen ||
	    lseek(o->fd, end + (off_t)shift, SEEK_SET) == -1)
		goto out;
	rc = 0;
out:
	if (rfd != o->fd)
		close(rfd);
	return (rc);
}

void
out_highlight(struct out *o, size_t skip, size_t len, const char *on,
    const char *off)
{
	o->hl_skip = skip;
	o->hl_len = len;
	o->hl_on = on;
	o->hl_off = off;
}

/* The slow path while a highlight is pending: split around it. */
static void
out_write_hl(struct out *o, const char *p, size_t len)
{
	size_t	n;

	while (len > 0 && o->hl_len > 0) {
		if (o->hl_skip > 0) {
			n = len < o->hl_skip ? len : o->hl_skip;
			o->hl_skip -= n;
		} else {
			if (o->hl_on != NULL) {
				out_puts_plain(o, o->hl_on);
				o->hl_on = NULL;
			}
			n = len < o->hl_len ? len : o->hl_len;
			o->hl_len -= n;
		}
		out_write_plain(o, p, n);
		p += n;
		len -= n;
		if (o->hl_len == 0 && o->hl_skip == 0)
			out_puts_plain(o, o->hl_off);
	}
	if (len > 0)
		out_write_plain(o, p, len);
}

void
out_write(struct out *o, const void *p, size_t len)
{
	if (o->hl_len > 0) {
		out_write_hl(o, p, len);
		return;
	}
	out_write_plain(o, p, len);
}

static void
out_puts_plain(struct out *o, const char *s)
{
	out_write_plain(o, s, strlen(s));
}

static void
out_write_plain(struct out *o, const void *p, size_t len)
{
	if (o->failed) {
		o->len = 0;
		return;
	}
	if (len > sizeof o->buf - o->len) {
		out_flush(o);
		if (len >= sizeof o->buf) {
			out_raw(o, p, len);
			return;
		}
	}
	memcpy(o->buf + o->len, p, len);
	o->len += len;
}

void
out_putc(struct out *o, char c)
{
	if (o->hl_len > 0) {
		out_write_hl(o, &c, 1);
		return;
	}
	if (o->len == sizeof o->buf)
		out_flush(o);
	if (o->failed)
		return;
	o->buf[o->len++] = c;
}

void
out_puts(struct out *o, const char *s)
{
	out_write(o, s, strlen(s));
}

void
out_vprintf(struct out *o, const char *fmt, va_list ap)
{
	va_list	 ap2;
	size_t	 room;
	char	*s;
	int	 n;

	if (o->failed)
		return;
	/* Format in place when it fits, else into a temporary string. */
	room = sizeof o->buf - o->len;
	va_copy(ap2, ap);
	n = vsnprintf(o->buf + o->len, room, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	if ((size_t)n < room) {
		o->len += (size_t)n;
		return;
	}
	n = xvasprintf(&s, fmt, ap);
	out_write(o, s, (size_t)n);
	free(s);
}

void
out_printf(struct out *o, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	out_vprintf(o, fmt, ap);
	va_end(ap);
}
