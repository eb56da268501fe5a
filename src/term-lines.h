/*
 * term-lines.h: text for a terminal with its line breaks kept.
 *
 * term_escape() (term.h) escapes every control byte, so a message
 * printed with it is one long line of \r\n escapes.  Where the text is
 * meant to be read as lines (raw output's literals, the show command's
 * bodies), CRLF and a lone LF become a real newline and everything else a
 * terminal could act on stays escaped as term_escape() escapes it.
 */
#ifndef TERM_LINES_H
#define TERM_LINES_H

#include <stddef.h>

#include "xmalloc.h"

/* What a chunk left undecided for the next: zero it to start. */
struct term_lines {
	int		 cr;		/* the chunk ended in CR */
	unsigned char	 held[4];	/* a UTF-8 character it cut */
	size_t		 nheld;
};

/*
 * Append s to b, escaped, with CRLF and LF as "\n".  The text may come in
 * chunks cut anywhere: a CR at the end of a chunk, or the start of a UTF-8
 * character, waits in *tl for the next chunk.  A lone CR is escaped.
 */
void	 term_lines_escape(struct buf *b, const char *s, size_t len,
	    struct term_lines *tl);
/* The text has ended: append what *tl still holds, escaped. */
void	 term_lines_end(struct buf *b, struct term_lines *tl);

#endif
