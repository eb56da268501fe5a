/*
 * output.h: the one output object.
 *
 * Everything imapsh prints for the user goes through a struct out: results
 * and error lines on stdout/stderr, buffered in large blocks and written
 * with few system calls.  Nothing below the command layer touches it; the
 * printers (py-print.c, py-live.c) and the command layer write into it.
 */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <stdarg.h>
#include <stddef.h>

struct out {
	int	 fd;
	int	 tty;		/* fd is a terminal */
	int	 failed;	/* a write failed (EPIPE, ENOSPC...) */
	/* What is written can be taken back (out_take_back()): fd is a
	 * regular file (OUT_TB_FILE) or /dev/null (OUT_TB_NULL). */
	int	 takeback;
	long long mark;		/* the file's offset at out_mark() */
	/* One-shot highlight: bytes [hl_skip, hl_skip + hl_len) of what is
	 * written next are wrapped in hl_on ... hl_off (colour). */
	size_t	 hl_skip;
	size_t	 hl_len;
	const char *hl_on;
	const char *hl_off;
	/* With intr set, writing stops once the count of Ctrl-Cs (intr.h)
	 * passes intr_seen, and unshown counts the bytes not written since;
	 * writes go out in pieces of OUT_PIECE at most, so that a stop
	 * comes between two. */
	int	 intr;
	int	 intr_seen;
	unsigned long long unshown;
	size_t	 len;
	char	 buf[64 * 1024];
};

#define OUT_PIECE	(64 * 1024)

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
 * Ctrl-C.  out_stop_on_intr() makes o stop writing when a Ctrl-C is
 * counted (intr.h); out_stopped() says whether it has (bytes written then
 * are dropped and counted in unshown).  out_resume() answers the Ctrl-Cs
 * counted so far: writing goes on until the next one.
 */
void	 out_stop_on_intr(struct out *);
int	 out_stopped(const struct out *);
void	 out_resume(struct out *);
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
/*
 * Output that may be taken back.  out_takeback_init() sets takeback when
 * fd is a regular file that is neither open for appending (another writer
 * may share it) nor the file behind other_fd (stderr: its lines would be
 * taken back too), or /dev/null.  out_mark() flushes and remembers where
 * the output stands; out_take_back() drops everything written since,
 * truncating the file there (-1 if that fails, and failed is set).
 */
#define OUT_TB_FILE	1
#define OUT_TB_NULL	2
void	 out_takeback_init(struct out *, int other_fd);
int	 out_mark(struct out *);
int	 out_take_back(struct out *);
/* Replace the first oldlen bytes written since the mark by the newlen
 * (>= oldlen) bytes of head, moving the rest up; -1 if it cannot. */
int	 out_rehead(struct out *, size_t oldlen, const char *head,
	    size_t newlen);
/* Wrap bytes [skip, skip + len) of the next output in on ... off. */
void	 out_highlight(struct out *, size_t skip, size_t len, const char *on,
	    const char *off);

#endif
