/*
 * imap-print.h: printing results and making bytes safe for a terminal.
 *
 * print_python() prints a (typ, data) result as the Python literal that
 * evaluates to exactly imaplib's value.  It follows CPython's repr rules
 * (str and bytes quoting and escapes) and lays out long values the way
 * pprint does for nested tuples and lists (width 80): a value that fits
 * stays on one line; otherwise each item of a tuple/list goes on its own
 * line, indented one column per nesting level, and a long bytes value is
 * split into adjacent bytes literals at its line ends (b'...\r\n' b'...'),
 * which Python concatenates back into the same value.  Spooled bytes are
 * read back and printed in chunks; memory does not grow with their size.
 *
 * The repr escapes every control byte, DEL and every byte >= 0x80, so
 * nothing the server sends reaches the terminal raw.
 */
#ifndef IMAP_PRINT_H
#define IMAP_PRINT_H

#include <stddef.h>

#include "output.h"
#include "pyval.h"
#include "xmalloc.h"

#define PRINT_WIDTH	80

/* Print v (normally a 2-tuple) followed by a newline. */
void	 print_python(struct out *, const struct pyval *v);

/* Append the CPython repr of bytes / str to b. */
void	 py_bytes_repr(struct buf *b, const char *s, size_t len);
void	 py_str_repr(struct buf *b, const char *s, size_t len);

/* Append the full one-line repr of v (spooled bytes are read back). */
void	 py_repr(struct buf *b, const struct pyval *v);

/*
 * Append s with everything a terminal could act on escaped: C0 controls
 * (except TAB), DEL, C1 controls (as raw bytes and as UTF-8 U+0080..U+009F),
 * bidi overrides; valid UTF-8 text otherwise passes through.  Escapes look
 * like \x1b and \u202e.
 */
void	 term_escape(struct buf *b, const char *s, size_t len);

#endif
