/*
 * escape.h: how the C unit tests show bytes in a transcript: printable
 * ASCII as itself, CR, LF and NUL as <CR>, <LF>, <NUL>, any other byte as
 * <xNN>, so a transcript is one readable line per event whatever the
 * server sent.
 */
#ifndef ESCAPE_H
#define ESCAPE_H

#include <stddef.h>

#include "xmalloc.h"

static inline void
add_escaped(struct buf *b, const char *p, size_t len)
{
	unsigned char	 c;
	size_t		 i;

	for (i = 0; i < len; i++) {
		c = (unsigned char)p[i];
		if (c == '\r')
			buf_addstr(b, "<CR>");
		else if (c == '\n')
			buf_addstr(b, "<LF>");
		else if (c == '\0')
			buf_addstr(b, "<NUL>");
		else if (c < 0x20 || c >= 0x7f)
			buf_printf(b, "<x%02X>", c);
		else
			buf_addc(b, (char)c);
	}
}

#endif
