/*
 * xmalloc.h: allocation wrappers that never return NULL, and a bounded
 * growable byte buffer.
 *
 * Every allocation in imapsh goes through these: on failure they print one
 * line and exit(3), so callers never check for NULL.  struct buf carries a
 * hard cap so that no number the server sends can make it grow without
 * bound; buf_add() returns -1 when the cap would be passed.
 */
#ifndef XMALLOC_H
#define XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
void	*xmemdup(const void *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
int	 xvasprintf(char **, const char *, va_list)
	    __attribute__((__format__(__printf__, 2, 0)));
void	 freezero_str(char *);

/* A growable byte buffer with a hard cap; data is always NUL-terminated. */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 size;
	size_t	 cap;		/* 0 means the default cap (BUF_DEFAULT_CAP) */
};
#define BUF_DEFAULT_CAP	(64u * 1024 * 1024)

void	 buf_init(struct buf *, size_t cap);
int	 buf_add(struct buf *, const void *, size_t);	/* -1 past cap */
int	 buf_addc(struct buf *, char);
int	 buf_addstr(struct buf *, const char *);
int	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
void	 buf_reset(struct buf *);		/* len = 0, memory kept */
void	 buf_free(struct buf *);		/* frees and reinitialises */
void	 buf_wipe(struct buf *);		/* zeroes contents, then frees */
char	*buf_steal(struct buf *, size_t *);	/* caller owns result */

#endif
