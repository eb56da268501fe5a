/*
 * raw-literal.h: how the lines a person types make up a raw command's
 * literals.
 *
 * "raw SEARCH SUBJECT {4}" announces a literal of 4 bytes; the bytes come
 * from the lines typed next.  A person means the line's own bytes, not
 * its line end, when the line is as long as the literal ("test" for
 * {4}); a longer literal takes whole lines joined by CRLF ("test" for
 * {6} is "test\r\n"), and a shorter one takes the start of the line,
 * whose rest goes on with the command ("test CHARSET {5}" for {4}: the
 * literal "test", then " CHARSET {5}", which asks for another).  These
 * functions are pure: cmd-idle.c reads the lines and sends the pieces.
 */
#ifndef RAW_LITERAL_H
#define RAW_LITERAL_H

#include <stddef.h>
#include <stdint.h>

/* What a piece of command text announces at its end. */
struct raw_literal_ann {
	uint64_t	 size;
	int		 nonsync;	/* {N+}: LITERAL+, no "+" to wait for */
};

/*
 * 1 if text ends in a literal's announcement, "{N}" or "{N+}", with its
 * size in *ann; 0 if it does not; -1 with *cause for a size past 2^63.
 */
int	 raw_literal_announced(const char *text, size_t len,
	    struct raw_literal_ann *ann, char **cause);

enum raw_literal_fill {
	RAW_LIT_MORE,	/* the line and a CRLF go in; more lines needed */
	RAW_LIT_DONE,	/* the literal is full; the rest goes on */
	RAW_LIT_CUT	/* the literal would end between CR and LF */
};

/*
 * A literal that still needs `need` bytes, and a typed line of len bytes
 * (its line end taken off): *take bytes of the line go in, then a CRLF
 * when *crlf.  On RAW_LIT_DONE the command goes on with the line's bytes
 * from *take on (none when the line end went in).
 */
enum raw_literal_fill raw_literal_fill(uint64_t need, size_t len,
	    size_t *take, int *crlf);

#endif
