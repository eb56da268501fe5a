/*
 * py-print.h: printing a result as the Python literal of imaplib's value.
 *
 * py_print() prints a (typ, data) result as the Python literal that
 * evaluates to exactly imaplib's value: CPython's repr (py-repr.h), laid
 * out the way pprint does for nested tuples and lists (width 80): a value
 * that fits stays on one line; otherwise each item of a tuple/list goes on
 * its own line, indented one column per nesting level, and a long bytes
 * value is split into adjacent bytes literals at its line ends
 * (b'...\r\n' b'...'), which Python concatenates back into the same value.
 * Spooled bytes are read back and printed in chunks; memory does not grow
 * with their size.
 */
#ifndef PY_PRINT_H
#define PY_PRINT_H

#include <stddef.h>

#include "output.h"
#include "pyval.h"

#define PRINT_WIDTH	80

/* Print v (normally a 2-tuple) followed by a newline. */
void		 py_print(struct out *, const struct pyval *v);

/*
 * The layout a piece at a time, for the live printer (py-live.c), which
 * lays out ('OK', [items]) as its items arrive.  A struct py_print lays
 * out through an emitter (emit.h) onto o.  py_print_value() lays out an
 * item at indent with allowance columns after it.  py_print_piece() writes
 * the next piece of a split bytes value (see py-print.c) and returns its
 * length; lead is LEAD_MAX bytes, a newline and spaces, of which the first
 * leadlen go before the piece.
 */
#define PIECE_MAX	1000		/* longest piece of a split value */
#define LEAD_MAX	64		/* newline and indent, in a piece */

struct emit;
struct py_print;
struct py_print	*py_print_new(struct out *o);
struct emit	*py_print_emit(struct py_print *);
void		 py_print_value(struct py_print *, const struct pyval *v,
		    long indent, long allowance);
size_t		 py_print_piece(struct emit *, const char *lead,
		    size_t leadlen, const char *s, size_t avail);
void		 py_print_free(struct py_print *);

#endif
