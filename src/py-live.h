/*
 * py-live.h: printing ('OK', data) while the data arrives, for a FETCH:
 * the same bytes py_print() prints for it, written as the items come.
 *
 * py_live_item() gives the next item of data (copied); a literal that must
 * not be held comes as py_live_lit_begin() with the line before it and its
 * size, its bytes in py_live_lit_data() chunks of any size, and
 * py_live_lit_end(): the tuple (line, literal) as one item.  Nothing is
 * written until the value is known not to fit on one line
 * (py_live_started() says when it was); then items are written one behind
 * (the last one's layout differs) and a literal as it comes.
 * py_live_finish() writes the rest of the value for a tagged OK.  Any
 * other end is the caller's: take the output back.
 */
#ifndef PY_LIVE_H
#define PY_LIVE_H

#include <stddef.h>
#include <stdint.h>

#include "output.h"
#include "pyval.h"

struct py_live;
struct py_live	*py_live_new(struct out *);
void		 py_live_item(struct py_live *, const struct pyval *);
void		 py_live_lit_begin(struct py_live *, const struct pyval *line,
		    uint64_t size);
void		 py_live_lit_data(struct py_live *, const char *, size_t);
void		 py_live_lit_end(struct py_live *);
int		 py_live_started(const struct py_live *);
/* Before it started, the items it was given (the caller's); else NULL. */
struct pyval	*py_live_take_pending(struct py_live *);
void		 py_live_finish(struct py_live *);
/* The connection ended: close the literal being received (its bytes so
 * far), then the value, as py_live_finish().  The head still says 'OK'. */
void		 py_live_cut(struct py_live *);
#define PY_LIVE_HEAD	"('OK',"	/* what the value starts with */
void		 py_live_free(struct py_live *);

#endif
