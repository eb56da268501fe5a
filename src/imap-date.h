/*
 * imap-date.h: INTERNALDATE, as imaplib's Time2Internaldate.
 */
#ifndef IMAP_DATE_H
#define IMAP_DATE_H

#include <time.h>

#include "xmalloc.h"

/*
 * Time2Internaldate: "DD-Mmm-YYYY HH:MM:SS +HHMM" with its double quotes,
 * for seconds since the epoch in local time.
 */
void	 time2internaldate(time_t, struct buf *);

/*
 * The shell's date_time argument: a double-quoted string is taken as it
 * is (imaplib assumes it is already right); a number of seconds since the
 * epoch (integer or decimal) or "now" is converted.  Anything else is
 * imaplib's "date_time not of a known type".  0 or -1 with *cause.
 */
int	 imap_date_arg(const char *, struct buf *, char **cause);

#endif
