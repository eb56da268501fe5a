/*
 * linein.c: lines from a descriptor, and whether one is there now.
 *
 * Batch mode reads its script with this rather than stdio so that it can
 * ask whether the next line has arrived without waiting for it: a script
 * fed by a program that waits for each answer must never stall because
 * imapsh looked ahead (pipelining only takes lines that are there).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linein.h"
#include "xmalloc.h"

#define LINEIN_CHUNK	(64 * 1024)

static int	linein_fill(struct linein *, int wait);
static char	*linein_line(struct linein *, int *);

void
linein_init(struct linein *li, int fd)
{
	memset(li, 0, sizeof *li);
	li->fd = fd;
}

void
linein_free(struct linein *li)
{
	free(li->buf);
	li->buf = NULL;
	li->off = li->len = li->size = 0;
}

/* Read what is there (or wait for something when wait is set); 0 when
 * nothing came, -1 at the end of input or on an error. */
static int
linein_fill(struct linein *li, int wait)
{
	struct pollfd	pfd;
	ssize_t		n;

	if (li->eof)
		return (-1);
	if (li->off > 0) {		/* keep the unread bytes at the front */
		memmove(li->buf, li->buf + li->off, li->len - li->off);
		li->len -= li->off;
		li->off = 0;
	}
	if (li->size - li->len < LINEIN_CHUNK) {
		li->buf = xreallocarray(li->buf, li->size + LINEIN_CHUNK, 1);
		li->size += LINEIN_CHUNK;
	}
	for (;;) {
		pfd.fd = li->fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, wait ? -1 : 0) == -1) {
			if (errno == EINTR && wait)
				continue;
			if (errno == EINTR)
				return (0);
			li->eof = 1;
			return (-1);
		}
		if (pfd.revents == 0)
			return (0);
		n = read(li->fd, li->buf + li->len, li->size - li->len);
		if (n == -1 && (errno == EINTR || errno == EAGAIN)) {
			if (!wait)
				return (0);
			continue;
		}
		if (n <= 0) {
			li->eof = 1;
			return (-1);
		}
		li->len += (size_t)n;
		return (1);
	}
}

/* A whole line from the buffer, or NULL when none is complete. */
static char *
linein_line(struct linein *li, int *nul)
{
	char	*p, *nl, *line;
	size_t	 n;

	p = li->buf + li->off;
	nl = memchr(p, '\n', li->len - li->off);
	if (nl == NULL && !(li->eof && li->len > li->off))
		return (NULL);
	n = nl != NULL ? (size_t)(nl - p) : li->len - li->off;
	*nul = memchr(p, '\0', n) != NULL;
	line = xmalloc(n + 1);
	memcpy(line, p, n);
	line[n] = '\0';
	li->off += n + (nl != NULL);
	return (line);
}

char *
linein_get(struct linein *li, int *nul)
{
	char	*line;

	*nul = 0;
	for (;;) {
		if (li->buf != NULL && (line = linein_line(li, nul)) != NULL)
			return (line);
		if (linein_fill(li, 1) == -1 && (li->buf == NULL ||
		    li->len == li->off))
			return (NULL);
	}
}

int
linein_ready(struct linein *li)
{
	char	*p;

	for (;;) {
		if (li->buf != NULL) {
			p = li->buf + li->off;
			if (memchr(p, '\n', li->len - li->off) != NULL ||
			    (li->eof && li->len > li->off))
				return (1);
		}
		if (li->eof)
			return (0);
		if (linein_fill(li, 0) != 1)
			return (li->eof && li->buf != NULL &&
			    li->len > li->off);
	}
}
