/*
 * imap-util.h: imaplib's module-level helpers, as pure functions.
 *
 * Int2AP turns a number into letters A..P (tags are made from it);
 * ParseFlags splits the flag list out of a FETCH/FLAGS response.  The
 * numbers the shell's utility commands take are parsed here as Python
 * parses its number literals.
 */
#ifndef IMAP_UTIL_H
#define IMAP_UTIL_H

#include <stddef.h>

#include "pyval.h"
#include "xmalloc.h"

/* Int2AP: writes the A-P form of num (no sign, "" for 0) into out,
 * which must hold at least 17 bytes.  Returns the length. */
size_t		 int2ap(unsigned long long num, char *out);

/* ParseFlags: a PV_TUPLE of PV_BYTES flags, () when resp has no FLAGS. */
struct pyval	*parse_flags(const char *resp, size_t len);

/*
 * A Python number literal, as the helpers take their arguments: an
 * optional sign, then an int (decimal, 0x, 0o or 0b, with single
 * underscores between digits, of any size) or a decimal float (1.5, .5,
 * 5., 1e9, 1_000.25); True and False are the ints 1 and 0.
 */
struct py_number {
	int		 is_float;
	int		 neg;		/* an int's sign */
	double		 f;		/* a float's value, sign included */
	unsigned char	*nib;		/* an int's magnitude in base 16, */
	size_t		 nnib;		/* least significant first; 0 for 0 */
};

/* 0, or -1 with *cause and *exc: NULL for text that is not a number (a
 * str to Python), else the exception Python raises for it ("ValueError"
 * past 4300 decimal digits).  py_number_free() releases. */
int		 py_number_parse(const char *, struct py_number *,
		    const char **exc, char **cause);
void		 py_number_free(struct py_number *);
/* An int that fits a long long into *v: 0; otherwise -1. */
int		 py_number_ll(const struct py_number *, long long *v);
/* Int2AP(num) for any int or float (int(abs(num))), appended to out.  -1
 * with *exc and *cause for infinity, as Python raises. */
int		 int2ap_number(const struct py_number *, struct buf *out,
		    const char **exc, char **cause);

#endif
