/*
 * tap.h: the TAP output of the C unit tests.  Each test program is one
 * translation unit, so the counters live here: ok() prints "ok N - ..."
 * or "not ok N - ..." and counts; tap_ntests is the plan a program that
 * prints it last uses, and tap_status() its exit status.
 */
#ifndef TAP_H
#define TAP_H

#include <stdarg.h>
#include <stdio.h>

static int	tap_ntests, tap_nfailed;

static inline void	ok(int, const char *, ...)
			    __attribute__((__format__(__printf__, 2, 3)));

static inline void
ok(int pass, const char *fmt, ...)
{
	va_list	 ap;

	tap_ntests++;
	if (!pass)
		tap_nfailed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_ntests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* 0 when every test passed, else 1. */
static inline int
tap_status(void)
{
	return (tap_nfailed == 0 ? 0 : 1);
}

#endif
