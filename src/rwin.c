/*
 * rwin.c: a sliding window on a spool (see rwin.h).  When the window
 * must move, the bytes it holds from the new offset on are kept at its
 * start and the rest of it is filled from the spool, so a line cut by
 * the window's edge is still whole after the move.
 */
#include <stdlib.h>
#include <string.h>

#include "rwin.h"
#include "xmalloc.h"

void
rwin_init(struct rwin *w)
{
	memset(w, 0, sizeof *w);
}

const char *
rwin_get(struct rwin *w, struct spool *sp, uint64_t off, size_t want,
    size_t *n)
{
	size_t	 keep = 0, at;
	ssize_t	 r;

	if (w->spool == sp && off >= w->off && off - w->off <= w->len) {
		at = (size_t)(off - w->off);
		keep = w->len - at;
		if (keep >= want) {
			*n = keep;
			return (w->buf + at);
		}
		memmove(w->buf, w->buf + at, keep);
	}
	if (w->buf == NULL)
		w->buf = xmalloc(RWIN_SIZE);
	w->spool = sp;
	w->off = off;
	w->len = keep;
	while (w->len < want) {
		r = spool_read(sp, off + w->len, w->buf + w->len,
		    RWIN_SIZE - w->len);
		if (r <= 0)
			break;
		w->len += (size_t)r;
	}
	*n = w->len;
	return (w->buf);
}

void
rwin_free(struct rwin *w)
{
	free(w->buf);
	rwin_init(w);
}
