/*
 * trace.h: the debug trace, as imaplib's Debug levels.
 *
 * Lines go to stderr as "  MM:SS.hh message", exactly imaplib's _mesg()
 * format.  Level 1: connection, NO/BAD/BYE responses; 3: capabilities;
 * 4: every line sent ("> b'...'") and received ("< b'...'") and literal
 * sizes; 5: untagged-response bookkeeping.  Below level 4 the lines sent
 * and received go to a ring of the last ten interactions instead, which
 * trace_print_log() shows (imaplib's print_log) and which is printed on
 * an abort.  Callers redact secrets before they trace: nothing here can
 * know what a password looks like.  Messages are built with Python's
 * repr, so they carry no raw control bytes.
 */
#ifndef TRACE_H
#define TRACE_H

#include "output.h"
#include "xmalloc.h"

#define TRACE_MAX_LEVEL	5
#define TRACE_LOG_LEN	10

extern int	trace_level;
extern int	trace_secrets;		/* show secrets (explicit option) */
extern struct out *trace_sync;		/* flushed before each trace line */

void	trace_msg(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
/* At level >= 4 print like trace_msg, else keep in the ring. */
void	trace_io(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
/* A line received or sent, shown as "DIR " and fmt's form of its bytes:
 * at level >= 4 now, else kept in the ring and formatted when printed. */
typedef void	(*trace_fmt_fn)(struct buf *, const char *, size_t);
void	trace_bytes(const char *dir, const char *s, size_t len,
	    trace_fmt_fn fmt);
void	trace_print_log(void);
/* Hold (1) or release (0) the trace: while held nothing is printed, and
 * the lines sent and received go to the ring only.  The core holds it
 * while one of imapsh's own commands runs (a quiet sink, sink.h). */
void	trace_hold(int);
void	trace_clear_log(void);

#endif
