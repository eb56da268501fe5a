/*
 * pvgen.h: Python-shaped values (pyval.h) built from fuzz input, for the
 * printer fuzz targets (fuzz-json.c, fuzz-repr.c), and the checks both
 * make of printed text.
 */
#ifndef PVGEN_H
#define PVGEN_H

#include <stddef.h>
#include <stdint.h>

#include "output.h"
#include "pyval.h"

/* Output written to a memory file, to read back and check. */
struct capture {
	struct out	*o;
	int		 fd;
};

/*
 * A list of values read from in[0..len): each byte's value modulo 10 is
 * an opcode (0 None, 1 bool, 2 int, 3 str, 4 bytes, 5 spooled bytes,
 * 6 (the byte 6 itself, once per input: it is slow) spooled bytes behind
 * a filler that reaches a printer's chunk edge,
 * 7 open a tuple, 8 open a list, 9 close); lengths and contents follow
 * the opcode.  Spooled values share one spool.
 */
struct pyval	*pvgen(const uint8_t *in, size_t len);
/* Start capturing (write to c->o); end: all that was written, *len
 * bytes and a NUL, to free. */
void		 pvgen_capture_begin(struct capture *c);
char		*pvgen_capture_end(struct capture *c, size_t *len);
/* abort() with what when cond is false. */
void		 pvgen_check(int cond, const char *target, const char *what);
/* 1 if s holds no byte or character a terminal could act on: C0 but
 * those in allowed, DEL, C1 (raw or as UTF-8), bidi and format
 * characters; s must be valid UTF-8. */
int		 pvgen_terminal_safe(const char *s, size_t len,
		    const char *allowed);

#endif
