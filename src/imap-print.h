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
#include <stdint.h>

#include "output.h"
#include "pyval.h"
#include "xmalloc.h"

#define PRINT_WIDTH	80

/* Print v (normally a 2-tuple) followed by a newline. */
void	 print_python(struct out *, const struct pyval *v);

/*
 * Printing ('OK', data) while data arrives, for a FETCH: the same bytes
 * print_python() prints for it, written as the items come.  live_item()
 * gives the next item of data (copied); a literal that must not be held
 * comes as live_lit_begin() with the line before it and its size, its
 * bytes in live_lit_data() chunks of any size, and live_lit_end(): the
 * tuple (line, literal) as one item.  Nothing is written until the value
 * is known not to fit on one line (live_started() says when it was);
 * then items are written one behind (the last one's layout differs) and
 * a literal as it comes.  live_finish() writes the rest of the value for
 * a tagged OK.  Any other end is the caller's: take the output back.
 */
struct live;
struct live	*live_new(struct out *);
void		 live_item(struct live *, const struct pyval *);
void		 live_lit_begin(struct live *, const struct pyval *line,
		    uint64_t size);
void		 live_lit_data(struct live *, const char *, size_t);
void		 live_lit_end(struct live *);
int		 live_started(const struct live *);
/* Before it started, the items it was given (the caller's); else NULL. */
struct pyval	*live_take_pending(struct live *);
void		 live_finish(struct live *);
/* The connection ended: close the literal being received (its bytes so
 * far), then the value, as live_finish().  The head still says 'OK'. */
void		 live_cut(struct live *);
#define LIVE_HEAD	"('OK',"	/* what the value starts with */
void		 live_free(struct live *);

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
