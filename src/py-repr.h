/*
 * py-repr.h: CPython's repr() of str, bytes and of a pyval, on one line.
 *
 * The repr follows CPython byte for byte (quote choice, escapes, and for
 * str which characters str.isprintable() accepts).  It escapes every
 * control byte, DEL and every byte >= 0x80 of bytes, so nothing the server
 * sends reaches the terminal raw.  Spooled bytes are read back in windows;
 * memory does not grow with their size.
 */
#ifndef PY_REPR_H
#define PY_REPR_H

#include <stddef.h>

#include "pyval.h"
#include "xmalloc.h"

/*
 * Append the repr of bytes / str / v to b.  If b reaches its cap, the rest
 * is dropped and b ends with a prefix of the repr.
 */
void	 py_bytes_repr(struct buf *b, const char *s, size_t len);
void	 py_str_repr(struct buf *b, const char *s, size_t len);
void	 py_repr(struct buf *b, const struct pyval *v);

/* The same on an emitter, for the printers (py-print.c); spools are read
 * through w. */
struct emit;
struct rwin;
void	 py_repr_value(struct emit *, const struct pyval *v, struct rwin *w);
void	 py_repr_lit_str(struct emit *, const char *s, size_t len);
/*
 * The length of v's repr, with an early exit: the exact length if it is
 * at most limit (<= PY_REPR_PEEK), else some number greater than limit.
 */
size_t	 py_repr_len(const struct pyval *v, size_t limit);
#define PY_REPR_PEEK	80	/* the longest spooled bytes it reads back */

#endif
