/*
 * imap-date.c: INTERNALDATE strings.  Python's Time2Internaldate formats
 * the local time with strftime('"%d-{Mon}-%Y %H:%M:%S %z"') using English
 * month names whatever the locale, which is what this does.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "imap-date.h"

static const char *const imap_months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

void
time2internaldate(time_t t, struct buf *out)
{
	struct tm	tm;
	long		off;
	char		sign = '+';

	localtime_r(&t, &tm);
	off = tm.tm_gmtoff;
	if (off < 0) {
		sign = '-';
		off = -off;
	}
	buf_printf(out, "\"%02d-%s-%04d %02d:%02d:%02d %c%02ld%02ld\"",
	    tm.tm_mday, imap_months[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, sign, off / 3600,
	    (off % 3600) / 60);
}

int
imap_date_arg(const char *s, struct buf *out, char **cause)
{
	const char	*p;
	long long	 secs = 0;
	size_t		 len = strlen(s);
	int		 digits = 0, neg = 0;

	if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
		buf_addstr(out, s);
		return (0);
	}
	if (strcasecmp(s, "now") == 0) {
		time2internaldate(time(NULL), out);
		return (0);
	}
	p = s;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	for (; isdigit((unsigned char)*p); p++) {
		if (secs > (253402300799LL - (*p - '0')) / 10)
			goto bad;	/* past year 9999 */
		secs = secs * 10 + (*p - '0');
		digits++;
	}
	if (*p == '.') {		/* a float: Python truncates */
		for (p++; isdigit((unsigned char)*p); p++)
			;
	}
	if (digits == 0 || *p != '\0')
		goto bad;
	time2internaldate((time_t)(neg ? -secs : secs), out);
	return (0);
bad:
	xasprintf(cause, "date_time not of a known type: give seconds since "
	    "the epoch, now, or a quoted \"DD-Mmm-YYYY HH:MM:SS +HHMM\"");
	return (-1);
}
