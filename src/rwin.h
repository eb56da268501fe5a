/*
 * rwin.h: a window on a spool, through which the Python printers read
 * spooled bytes back without ever holding a whole literal.
 *
 * buf[0..len) holds the spool's bytes from off on.  A window is reused
 * from one value to the next (spool, off and len say what it holds), and
 * reads run ahead past the value they were asked for, so the literals of
 * a FETCH, which follow one another in one spool, cost one pread per
 * RWIN_SIZE bytes, not one per literal.
 */
#ifndef RWIN_H
#define RWIN_H

#include <stddef.h>
#include <stdint.h>

#include "pyval.h"

#define RWIN_SIZE	(128 * 1024)

struct rwin {
	struct spool	*spool;		/* NULL: holds nothing */
	uint64_t	 off;
	size_t		 len;
	char		*buf;		/* RWIN_SIZE, allocated on first use */
};

void		 rwin_init(struct rwin *);
/*
 * The bytes of sp from off on: at least want of them (want <= RWIN_SIZE),
 * or all up to the end of the spool, or fewer if it cannot be read.
 * Returns them and their number in *n, which may be more than want (what
 * the window holds past off); *n is 0 at the end or on a read error.
 */
const char	*rwin_get(struct rwin *, struct spool *sp, uint64_t off,
		    size_t want, size_t *n);
void		 rwin_free(struct rwin *);

#endif
