/*
 * term.h: server text made safe to show on a terminal.
 *
 * Text that is not printed as a Python literal (certificate names,
 * errors, the greeting, the prompt's mailbox, completion candidates) is
 * still the server's: it must neither act on the terminal nor change the
 * shape of what is shown.  A field shown on one line stays on one line,
 * so a certificate subject cannot forge the lines after it.
 */
#ifndef TERM_H
#define TERM_H

#include <stddef.h>

#include "xmalloc.h"

/*
 * Append s (len bytes) to b as one line: valid UTF-8 passes through but
 * for what a terminal could act on or what breaks, hides or reorders the
 * line, which is escaped: C0 controls (CR, LF and TAB included) and DEL
 * as \x0a, bytes that are not UTF-8 as \xff, and as \u2028 the C1
 * controls, U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR, the bidi
 * embeddings, overrides, isolates and marks (U+061C, U+200E/F,
 * U+202A..E, U+2066..9), zero-width characters (U+200B..D, U+2060..4)
 * and the BOM.  The result never holds a byte below 0x20.
 */
void	term_line(struct buf *b, const char *s, size_t len);

/*
 * Append s with everything a terminal could act on escaped: C0 controls
 * (except TAB), DEL, C1 controls (as raw bytes and as UTF-8 U+0080..U+009F),
 * bidi overrides; valid UTF-8 text otherwise passes through.  Escapes look
 * like \x1b and \u202e.  Unlike term_line(), line ends are escaped but
 * TAB is not.  If b reaches its cap, the rest is dropped.
 */
void	term_escape(struct buf *b, const char *s, size_t len);

/* 1 if code point cp (>= U+0080) is one term_line() escapes. */
int	term_cp_unsafe(unsigned int cp);

#endif
