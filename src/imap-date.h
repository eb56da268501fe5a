/*
 * imap-date.h: INTERNALDATE, as imaplib's Time2Internaldate and
 * Internaldate2tuple.
 *
 * The functions that can fail report the exception imaplib would raise
 * in its place: *exc names its class ("ValueError", "OverflowError", ...)
 * and *cause (allocated) holds its message.
 */
#ifndef IMAP_DATE_H
#define IMAP_DATE_H

#include <time.h>

#include "xmalloc.h"

/*
 * Time2Internaldate(secs): "D-Mmm-Y HH:MM:SS +HHMM" with its double quotes,
 * for seconds since the epoch, in local time; formatted as Python's
 * strftime does it (a year before 1000 has fewer digits, an offset with
 * seconds shows them).  0, or -1 for a time outside years 1 to 9999.
 */
int	 time2internaldate(long long secs, struct buf *, const char **exc,
	    char **cause);

/*
 * Time2Internaldate(date_time) for date_time given as text:
 *   - a string starting and ending with '"': as it is;
 *   - a Python int or float: seconds since the epoch (a float rounded to
 *     microseconds, half to even, as datetime.fromtimestamp rounds);
 *   - a Python tuple "(2024, 1, 5, 12, 0, 0, 4, 5, -1)": local time, its
 *     offset from time.timezone or time.altzone as imaplib takes it;
 *   - "now" (not imaplib's: the shell's word for time.time()).
 * Anything else is imaplib's ValueError "date_time not of a known type".
 * 0, or -1 with *exc and *cause.
 */
int	 imap_date_value(const char *, struct buf *, const char **exc,
	    char **cause);

/* imap_date_value() for append's date_time: -1 with *cause alone. */
int	 imap_date_arg(const char *, struct buf *, char **cause);

/*
 * Internaldate2tuple(resp): 1 with *tm the local time (as time.localtime)
 * when resp holds an INTERNALDATE imaplib's regular expression matches;
 * 0 when imaplib returns None; -1 with *exc and *cause for what imaplib
 * raises (KeyError for a month name it does not know, ValueError for year
 * 0).
 */
int	 internaldate2tuple(const char *resp, size_t len, struct tm *,
	    const char **exc, char **cause);

/* Append the repr of the time.struct_time Python makes from tm. */
void	 struct_time_repr(const struct tm *, struct buf *);

#endif
