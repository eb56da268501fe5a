/*
 * output.h: the one output object.
 *
 * Everything imapsh prints for the user goes through a struct out: results
 * and error lines on stdout/stderr, buffered in large blocks and written
 * with few system calls.  Nothing below the command layer touches it; the
 * printers (imap-print.c) and the command layer write into it.
 */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <stdarg.h>
#include <stddef.h>

struct out {
	int	 fd;
	int	 tty;		/* fd is a terminal */
	int	 failed;	/* a write failed (EPIPE, ENOSPC...) */
	/* One-shot highlight: bytes [hl_skip, hl_skip + hl_len) of what is
	 * written next are wrapped in hl_on ... hl_off (colour). */
	size_t	 hl_skip;
	size_t	 hl_len;
	const char *hl_on;
	const char *hl_off;
	size_t	 len;
	char	 buf[64 * 1024];
};

void	 out_init(struct out *, int fd);
void	 out_write(struct out *, const void *, size_t);
void	 out_putc(struct out *, char);
void	 out_puts(struct out *, const char *);
void	 out_printf(struct out *, const char *, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
void	 out_vprintf(struct out *, const char *, va_list)
	    __attribute__((__format__(__printf__, 2, 0)));
void	 out_flush(struct out *);
/*
 * Writing in place, for a printer that would otherwise stage its output
 * and copy it in: out_reserve() returns the free end of the buffer, *room
 * bytes, at least want (<= the buffer's size), flushing it first if need
 * be; or NULL while a highlight is pending or once a write has failed,
 * when output must go through out_write().  out_commit() adds the len
 * bytes written there.  Nothing else may write to o in between.
 */
char	*out_reserve(struct out *, size_t want, size_t *room);
void	 out_commit(struct out *, size_t len);
/* Wrap bytes [skip, skip + len) of the next output in on ... off. */
void	 out_highlight(struct out *, size_t skip, size_t len, const char *on,
	    const char *off);

#endif
