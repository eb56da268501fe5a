/*
 * emit.h: the staging buffer the Python printers and terminal escaping
 * write through (private to py-repr.c, py-print.c, py-live.c and term.c).
 *
 * A struct emit stands in front of a struct buf or a struct out: tmp, of
 * size bytes, holds len.  For a buf, tmp is the emitter's own buffer.
 * When the buf reaches its cap, everything after is dropped, so what it
 * holds is a clean prefix of the text rather than a text with holes.  For
 * an out, tmp is the free end of the out's own buffer (direct), so that
 * output is not copied from one buffer to the other; only while the out
 * cannot lend it (a highlight is pending) is the emitter's own buffer
 * used.  Writers that escape reserve room for the worst case and then
 * write into tmp + len without further checks: after emit_flush() there
 * are at least EMIT_ROOM bytes free.
 */
#ifndef EMIT_H
#define EMIT_H

#include <stddef.h>

#include "output.h"
#include "xmalloc.h"

#define EMIT_SIZE	8192		/* an emitter's own buffer */
#define EMIT_ROOM	4096		/* free after a flush, at least */

struct emit {
	struct buf	*b;
	struct out	*o;
	int		 full;
	int		 direct;	/* tmp is in o's buffer */
	size_t		 len;
	size_t		 size;
	char		*tmp;
	char		*own;		/* EMIT_SIZE */
};

/* An empty emitter for b or (b NULL) o; own is EMIT_SIZE bytes. */
void	 emit_init(struct emit *, struct buf *b, struct out *o, char *own);
/*
 * Where an empty emitter for an out stages what comes next: anew, since
 * the out's buffer may have been flushed by another writer in between.
 */
void	 emit_stage(struct emit *);
/* Hand what is staged on; then there are at least EMIT_ROOM bytes free. */
void	 emit_flush(struct emit *);
void	 emit_add(struct emit *, const void *, size_t);
void	 emit_addstr(struct emit *, const char *);
void	 emit_spaces(struct emit *, size_t);

static inline void
emit_addc(struct emit *sk, char c)
{
	if (sk->len == sk->size)
		emit_flush(sk);
	sk->tmp[sk->len++] = c;
}

#endif
