/*
 * show.h: a message laid out for a person to read (the show
 * command), with GMime doing the MIME: headers decoded (RFC 2047), the
 * tree of parts numbered as IMAP numbers them (RFC 3501 6.4.5, so a
 * number shown is the PART that "show N PART" takes), text bodies decoded
 * from their transfer encoding and charset, attachments listed and not
 * dumped.  All text is escaped for the terminal (term-lines.h) and
 * converted to the locale's character set.
 */
#ifndef SHOW_H
#define SHOW_H

#include <iconv.h>
#include <stddef.h>

#include <gmime/gmime.h>

#include "output.h"
#include "term-lines.h"

/* Where the text goes. */
struct show_out {
	struct out		*o;
	iconv_t			 cd;	/* UTF-8 to the locale's charset, or
					   (iconv_t)-1 when that is UTF-8 */
	struct term_lines	 tl;
	char			 last;	/* the last byte of text given */
};

/* Text to o: escaped, in the charset of LC_CTYPE's locale. */
void	 show_out_init(struct show_out *, struct out *o);
void	 show_out_free(struct show_out *);
void	 show_text(struct show_out *, const char *utf8, size_t len);
void	 show_printf(struct show_out *, const char *, ...)
	    __attribute__((__format__(__printf__, 2, 3)));

/*
 * The message in stream (which is not consumed): headers, the tree of
 * parts and the text, or with part (an IMAP section number, "1.2") only
 * that part's body.  0, or -1 with *cause when the message has no such
 * part or cannot be parsed.
 */
int	 show_mime_message(struct show_out *, GMimeStream *stream,
	    const char *part, char **cause);

#endif
