/*
 * imap-date.c: INTERNALDATE strings, as imaplib makes and reads them.
 *
 * Time2Internaldate turns its argument into an aware datetime and formats
 * it with strftime('"%d-{Mon}-%Y %H:%M:%S %z"'), English month names
 * whatever the locale.  A number goes through datetime.fromtimestamp(n,
 * timezone.utc).astimezone(): the offset is the local one at that instant.
 * A plain 9-tuple is local time whose offset is -time.timezone, or
 * -time.altzone when its tm_isdst (asked of mktime when -1) says so;
 * Python computes timezone and altzone once from the offsets of January
 * and July of the current year, and so does this.  Every exception imaplib
 * would raise on the way is reported as that exception.
 *
 * Internaldate2tuple matches imaplib's regular expression by hand (see
 * internaldate2tuple()) and converts with calendar.timegm and
 * time.localtime.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "imap-date.h"
#include "imap-util.h"

static const char *const imap_months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

/* One element of a date_time tuple. */
struct date_item {
	int		 is_float;
	int		 fits;		/* an int that fits a C int */
	int		 neg;
	long long	 v;
	int		 ll;		/* v holds the int (fits a long long) */
};

static int	 date_error(const char **, char **, const char *,
		    const char *, ...)
		    __attribute__((__format__(__printf__, 4, 5)));
static int	 date_errno(const char **, char **);
static void	 date_format(const struct tm *, long, struct buf *);
static int	 date_float(double, struct buf *, const char **, char **);
static int	 date_number(const struct py_number *, struct buf *,
		    const char **, char **);
static int	 date_tuple_parse(const char *, struct date_item **, size_t *,
		    struct py_number *, int *, const char **, char **);
static int	 date_item_int(const struct date_item *, int *, const char **,
		    char **);
static int	 date_tuple(const struct date_item *, size_t, struct buf *,
		    const char **, char **);
static int	 date_tuple_gmtoff(const struct date_item *, size_t, long *,
		    const char **, char **);
static int	 date_tuple_dst(const struct date_item *, size_t, long long *,
		    const char **, char **);
static int	 date_tuple_fields(const struct date_item *, size_t, int *,
		    const char **, char **);
static void	 date_tuple_tm(struct tm *, const int *);
static void	 py_time_zone(long *, long *, int *);
static double	 round_half_even(double);
static long long days_from_civil(long long, unsigned int, unsigned int);
static int	 days_in_month(int, int);
static int	 is_digit(int);
static int	 internaldate_at(const unsigned char *);

static int
date_error(const char **exc, char **cause, const char *type,
    const char *fmt, ...)
{
	va_list	 ap;

	*exc = type;
	va_start(ap, fmt);
	xvasprintf(cause, fmt, ap);
	va_end(ap);
	return (-1);
}

/* What Python's time functions raise when the C library fails. */
static int
date_errno(const char **exc, char **cause)
{
	int	 e = errno != 0 ? errno : EINVAL;

	return (date_error(exc, cause, "OSError", "[Errno %d] %s", e,
	    strerror(e)));
}

/* '"%d-Mon-%Y %H:%M:%S %z"' as Python's strftime fills it in. */
static void
date_format(const struct tm *tm, long off, struct buf *out)
{
	char	 sign = '+';

	if (off < 0) {
		sign = '-';
		off = -off;
	}
	buf_printf(out, "\"%02d-%s-%lld %02d:%02d:%02d %c%02ld%02ld",
	    tm->tm_mday, imap_months[tm->tm_mon], (long long)tm->tm_year + 1900,
	    tm->tm_hour, tm->tm_min, tm->tm_sec, sign, off / 3600,
	    (off % 3600) / 60);
	if (off % 60 != 0)
		buf_printf(out, "%02ld", off % 60);
	buf_addc(out, '"');
}

/* datetime.fromtimestamp(secs, timezone.utc).astimezone(), formatted. */
int
time2internaldate(long long secs, struct buf *out, const char **exc,
    char **cause)
{
	struct tm	 utc, local;
	time_t		 t = (time_t)secs;
	long long	 year;

	errno = 0;
	if ((long long)t != secs || gmtime_r(&t, &utc) == NULL)
		return (date_errno(exc, cause));
	year = (long long)utc.tm_year + 1900;
	if (year < 1 || year > 9999)
		return (date_error(exc, cause, "ValueError",
		    "year %lld is out of range", year));
	tzset();
	errno = 0;
	if (localtime_r(&t, &local) == NULL)
		return (date_errno(exc, cause));
	year = (long long)local.tm_year + 1900;
	if (year < 1 || year > 9999)
		return (date_error(exc, cause, "OverflowError",
		    "date value out of range"));
	date_format(&local, local.tm_gmtoff, out);
	return (0);
}

/* _PyTime_RoundHalfEven, for |x| < 1e6. */
static double
round_half_even(double x)
{
	long long	 i = (long long)x;	/* toward zero */
	double		 frac = x - (double)i;	/* exact */

	if (frac > 0.5 || (frac == 0.5 && (i & 1)))
		i++;
	else if (frac < -0.5 || (frac == -0.5 && (i & 1)))
		i--;
	return ((double)i);
}

/*
 * A float timestamp: Python splits it into seconds and microseconds,
 * rounding the microseconds half to even, and the seconds are what the
 * format shows (floor, so -1.5 is 23:59:58).
 */
static int
date_float(double d, struct buf *out, const char **exc, char **cause)
{
	double	 ip, fp;

	if (d != d)
		return (date_error(exc, cause, "ValueError",
		    "Invalid value NaN (not a number)"));
	fp = modf(d, &ip);
	fp = round_half_even(fp * 1e6);
	if (fp >= 1e6)
		ip += 1.0;
	else if (fp < 0)
		ip -= 1.0;
	if (!(ip >= -9223372036854775808.0 && ip < 9223372036854775808.0))
		return (date_error(exc, cause, "OverflowError",
		    "timestamp out of range for platform time_t"));
	return (time2internaldate((long long)ip, out, exc, cause));
}

static int
date_number(const struct py_number *n, struct buf *out, const char **exc,
    char **cause)
{
	long long	 secs;

	if (n->is_float)
		return (date_float(n->f, out, exc, cause));
	if (py_number_ll(n, &secs) == -1)
		return (date_error(exc, cause, "OverflowError",
		    "timestamp out of range for platform time_t"));
	return (time2internaldate(secs, out, exc, cause));
}

/*
 * "(" [item *("," item) [","]] ")" with blanks anywhere; an item is a
 * Python number.  As in Python, "(5)" is the number 5 (*is_tuple 0, *num
 * set) and "(5,)" a tuple.  Returns 0, or -1 with *exc and *cause.
 */
static int
date_tuple_parse(const char *s, struct date_item **items, size_t *n,
    struct py_number *num, int *is_tuple, const char **exc, char **cause)
{
	struct py_number	 pn;
	const char		*p = s + 1, *end = s + strlen(s) - 1, *q, *e;
	char			*text;
	size_t			 commas = 0;
	long long		 v;

	*items = NULL;
	*n = 0;
	*is_tuple = 1;
	if (end <= s || *end != ')')
		goto bad;
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end)
			break;
		for (q = p; q < end && *q != ','; q++)
			;
		for (e = q; e > p && (e[-1] == ' ' || e[-1] == '\t'); e--)
			;
		if (e == p)
			goto bad;		/* "(,)", "(1,,2)" */
		text = xstrndup(p, (size_t)(e - p));
		if (py_number_parse(text, &pn, exc, cause) == -1) {
			free(text);
			if (*exc != NULL)
				goto fail;
			free(*cause);
			goto bad;
		}
		free(text);
		if (q == end && commas == 0 && *n == 0) {
			*is_tuple = 0;		/* "(5)" */
			*num = pn;
			return (0);
		}
		*items = xreallocarray(*items, *n + 1, sizeof **items);
		memset(&(*items)[*n], 0, sizeof **items);
		(*items)[*n].is_float = pn.is_float;
		(*items)[*n].neg = pn.neg;
		if (!pn.is_float && py_number_ll(&pn, &v) == 0) {
			(*items)[*n].ll = 1;
			(*items)[*n].v = v;
			(*items)[*n].fits = v >= INT_MIN && v <= INT_MAX;
		}
		(*n)++;
		py_number_free(&pn);
		if (q == end)
			break;
		commas++;
		p = q + 1;
	}
	if (*n == 0 && commas > 0)
		goto bad;
	return (0);
bad:
	date_error(exc, cause, "ValueError", "date_time not of a known type");
fail:
	free(*items);
	*items = NULL;
	return (-1);
}

/* A tuple element where Python wants a C int ("i"). */
static int
date_item_int(const struct date_item *it, int *v, const char **exc,
    char **cause)
{
	if (it->is_float)
		return (date_error(exc, cause, "TypeError",
		    "'float' object cannot be interpreted as an integer"));
	if (!it->fits)
		return (date_error(exc, cause, "OverflowError",
		    "signed integer is %s", it->neg ? "less than minimum" :
		    "greater than maximum"));
	*v = (int)it->v;
	return (0);
}

/* time.timezone, time.altzone and time.daylight as Python sets them. */
static void
py_time_zone(long *tz, long *alt, int *has_dst)
{
	const time_t	 year = (365 * 24 + 6) * 3600;
	time_t		 t, t2;
	struct tm	 tm;
	long		 jan, jul;

	tzset();
	t = (time(NULL) / year) * year;
	t2 = t + year / 2;
	localtime_r(&t, &tm);
	jan = -tm.tm_gmtoff;
	localtime_r(&t2, &tm);
	jul = -tm.tm_gmtoff;
	if (jan < jul) {		/* southern hemisphere */
		*tz = jul;
		*alt = jan;
	} else {
		*tz = jan;
		*alt = jul;
	}
	*has_dst = jan != jul;
}

static int
days_in_month(int year, int month)
{
	static const int	 dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
				    31, 30, 31 };

	if (month == 2 && year % 4 == 0 && (year % 100 != 0 ||
	    year % 400 == 0))
		return (29);
	return (dim[month - 1]);
}

/*
 * The tuple branch of Time2Internaldate:
 *
 *	if time.daylight:
 *		dst = date_time[8]
 *		if dst == -1:
 *			dst = time.localtime(time.mktime(date_time))[8]
 *		gmtoff = -(time.timezone, time.altzone)[dst]
 *	else:
 *		gmtoff = -time.timezone
 *	dt = datetime(*date_time[:6], tzinfo=timezone(timedelta(seconds=gmtoff)))
 */
static int
date_tuple(const struct date_item *it, size_t n, struct buf *out,
    const char **exc, char **cause)
{
	struct tm	 tm;
	long		 gmtoff;
	int		 f[6] = { 0, 1, 1, 0, 0, 0 };

	if (date_tuple_gmtoff(it, n, &gmtoff, exc, cause) == -1 ||
	    date_tuple_fields(it, n, f, exc, cause) == -1)
		return (-1);
	if (gmtoff <= -86400 || gmtoff >= 86400)
		return (date_error(exc, cause, "ValueError",
		    "offset must be a timedelta strictly between "
		    "-timedelta(hours=24) and timedelta(hours=24)."));
	date_tuple_tm(&tm, f);
	date_format(&tm, gmtoff, out);
	return (0);
}

/*
 * gmtoff as Time2Internaldate picks it: -time.timezone, or with
 * time.daylight the offset date_time[8] chooses, -1 asking mktime().
 */
static int
date_tuple_gmtoff(const struct date_item *it, size_t n, long *gmtoff,
    const char **exc, char **cause)
{
	long		 tz, alt;
	long long	 dst;
	int		 has_dst;

	py_time_zone(&tz, &alt, &has_dst);
	*gmtoff = -tz;
	if (!has_dst)
		return (0);
	if (n < 9)
		return (date_error(exc, cause, "IndexError",
		    "tuple index out of range"));
	if (it[8].is_float)
		return (date_error(exc, cause, "TypeError",
		    "tuple indices must be integers or slices, not "
		    "float"));
	if (!it[8].ll)
		return (date_error(exc, cause, "IndexError",
		    "cannot fit 'int' into an index-sized integer"));
	dst = it[8].v;
	if (dst == -1 && date_tuple_dst(it, n, &dst, exc, cause) == -1)
		return (-1);
	if (dst == 0 || dst == -2)
		*gmtoff = -tz;
	else if (dst == 1 || dst == -1)
		*gmtoff = -alt;
	else
		return (date_error(exc, cause, "IndexError",
		    "tuple index out of range"));
	return (0);
}

/*
 * time.localtime(time.mktime(date_time))[8]: whether daylight saving
 * time is in force at the local time date_time names, into *dst.
 */
static int
date_tuple_dst(const struct date_item *it, size_t n, long long *dst,
    const char **exc, char **cause)
{
	struct tm	 tm, lt;
	time_t		 t;
	int		 v[9];
	size_t		 i;

	if (n != 9)
		return (date_error(exc, cause, "TypeError",
		    "mktime(): illegal time tuple argument"));
	for (i = 0; i < 9; i++)
		if (date_item_int(&it[i], &v[i], exc, cause) == -1)
			return (-1);
	if (v[0] < INT_MIN + 1900)
		return (date_error(exc, cause, "OverflowError",
		    "year out of range"));
	date_tuple_tm(&tm, v);
	tm.tm_yday = v[7] - 1;
	tm.tm_isdst = v[8];
	tm.tm_wday = -1;	/* Python's sentinel */
	t = mktime(&tm);
	if (t == (time_t)-1 && tm.tm_wday == -1)
		return (date_error(exc, cause, "OverflowError",
		    "mktime argument out of range"));
	errno = 0;
	if (localtime_r(&t, &lt) == NULL)
		return (date_errno(exc, cause));
	*dst = lt.tm_isdst;
	return (0);
}

/* tm from year, month, day, hour, minute and second in v[0..5]. */
static void
date_tuple_tm(struct tm *tm, const int *v)
{
	memset(tm, 0, sizeof *tm);
	tm->tm_year = v[0] - 1900;
	tm->tm_mon = v[1] - 1;
	tm->tm_mday = v[2];
	tm->tm_hour = v[3];
	tm->tm_min = v[4];
	tm->tm_sec = v[5];
}

/*
 * datetime(*date_time[:6]): parse the arguments into f (which holds the
 * defaults), then check them in datetime's order.
 */
static int
date_tuple_fields(const struct date_item *it, size_t n, int *f,
    const char **exc, char **cause)
{
	static const char *const names[] = { "year", "month", "day" };
	size_t		 i;

	for (i = 0; i < 6 && i < n; i++)
		if (date_item_int(&it[i], &f[i], exc, cause) == -1)
			return (-1);
	if (n < 3)
		return (date_error(exc, cause, "TypeError",
		    "function missing required argument '%s' (pos %zu)",
		    names[n], n + 1));
	if (f[0] < 1 || f[0] > 9999)
		return (date_error(exc, cause, "ValueError",
		    "year %d is out of range", f[0]));
	if (f[1] < 1 || f[1] > 12)
		return (date_error(exc, cause, "ValueError",
		    "month must be in 1..12"));
	if (f[2] < 1 || f[2] > days_in_month(f[0], f[1]))
		return (date_error(exc, cause, "ValueError",
		    "day is out of range for month"));
	if (f[3] < 0 || f[3] > 23)
		return (date_error(exc, cause, "ValueError",
		    "hour must be in 0..23"));
	if (f[4] < 0 || f[4] > 59)
		return (date_error(exc, cause, "ValueError",
		    "minute must be in 0..59"));
	if (f[5] < 0 || f[5] > 59)
		return (date_error(exc, cause, "ValueError",
		    "second must be in 0..59"));
	return (0);
}

int
imap_date_value(const char *s, struct buf *out, const char **exc,
    char **cause)
{
	struct py_number	 num;
	struct date_item	*items;
	size_t			 len = strlen(s), n;
	int			 rv, is_tuple;

	if (len == 0)
		return (date_error(exc, cause, "IndexError",
		    "string index out of range"));
	if (s[0] == '"' && s[len - 1] == '"') {
		buf_addstr(out, s);	/* assumed right, as imaplib does */
		return (0);
	}
	if (strcasecmp(s, "now") == 0) {
		struct timespec	 ts;

		/* Not time(NULL): on Linux it reads the clock as of the last
		 * tick, which can still be in the previous second. */
		clock_gettime(CLOCK_REALTIME, &ts);
		return (time2internaldate((long long)ts.tv_sec, out, exc,
		    cause));
	}
	if (s[0] == '(') {
		if (date_tuple_parse(s, &items, &n, &num, &is_tuple, exc,
		    cause) == -1)
			return (-1);
		if (is_tuple) {
			rv = date_tuple(items, n, out, exc, cause);
			free(items);
			return (rv);
		}
	} else if (py_number_parse(s, &num, exc, cause) == -1) {
		if (*exc != NULL)
			return (-1);
		free(*cause);
		return (date_error(exc, cause, "ValueError",
		    "date_time not of a known type"));
	}
	rv = date_number(&num, out, exc, cause);
	py_number_free(&num);
	return (rv);
}

int
imap_date_arg(const char *s, struct buf *out, char **cause)
{
	const char	*exc;
	char		*msg = NULL;

	if (imap_date_value(s, out, &exc, &msg) == 0)
		return (0);
	if (strcmp(msg, "date_time not of a known type") == 0)
		xasprintf(cause, "%s: give seconds since the epoch, now, a "
		    "9-tuple, or a quoted \"DD-Mmm-YYYY HH:MM:SS +HHMM\"",
		    msg);
	else
		xasprintf(cause, "date_time: %s: %s", exc, msg);
	free(msg);
	return (-1);
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static long long
days_from_civil(long long y, unsigned int m, unsigned int d)
{
	long long	 era;
	unsigned int	 yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned int)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + (long long)doe - 719468);
}

static int
is_digit(int c)
{
	return (c >= '0' && c <= '9');
}

/*
 * 1 if the 41 bytes at p match
 *	INTERNALDATE "[ 0123][0-9]-[A-Z][a-z][a-z]-[0-9]{4}
 *	 [0-9]{2}:[0-9]{2}:[0-9]{2} [-+][0-9]{2}[0-9]{2}"
 */
static int
internaldate_at(const unsigned char *p)
{
	static const char	 pat[] = "INTERNALDATE \"";
	static const char	 shape[] = "D9-Aaa-9999 99:99:99 S9999\"";
	size_t			 i;
	int			 c;

	if (memcmp(p, pat, sizeof pat - 1) != 0)
		return (0);
	p += sizeof pat - 1;
	for (i = 0; shape[i] != '\0'; i++) {
		c = p[i];
		switch (shape[i]) {
		case 'D':
			if (c != ' ' && (c < '0' || c > '3'))
				return (0);
			break;
		case '9':
			if (!is_digit(c))
				return (0);
			break;
		case 'A':
			if (c < 'A' || c > 'Z')
				return (0);
			break;
		case 'a':
			if (c < 'a' || c > 'z')
				return (0);
			break;
		case 'S':
			if (c != '-' && c != '+')
				return (0);
			break;
		default:
			if (c != shape[i])
				return (0);
			break;
		}
	}
	return (1);
}

/*
 * imaplib's InternalDate.match(resp) starts with ".*", which cannot cross
 * a newline and gives back from the right: the match is the last place
 * before the first '\n' where the rest of the pattern (41 bytes, none of
 * them a newline) fits.  Then, as imaplib:
 *
 *	mon = Mon2num[mo.group('mon')]		# KeyError for "Foo"
 *	zone = +-(zoneh*60 + zonem)*60
 *	tt = (year, mon, day, hour, min, sec, -1, -1, -1)
 *	utc = calendar.timegm(tt) - zone	# date(year, mon, 1)...
 *	return time.localtime(utc)
 *
 * timegm only needs the first of the month to exist, so day 00 or 39 and
 * hour 99 are accepted and carry over; year 0000 is a ValueError.
 */
int
internaldate2tuple(const char *resp, size_t len, struct tm *tm,
    const char **exc, char **cause)
{
	const unsigned char	*r = (const unsigned char *)resp, *d;
	const unsigned char	*nl;
	size_t			 limit, at;
	long long		 year, days, utc, zone;
	time_t			 t;
	int			 mon;

	nl = memchr(r, '\n', len);
	limit = nl == NULL ? len : (size_t)(nl - r);
	if (limit < 41)
		return (0);
	for (at = limit - 41 + 1; at-- > 0;)
		if (internaldate_at(r + at))
			break;
	if (at == (size_t)-1)
		return (0);
	d = r + at + 14;

	for (mon = 0; mon < 12; mon++)
		if (memcmp(d + 3, imap_months[mon], 3) == 0)
			break;
	if (mon == 12)
		return (date_error(exc, cause, "KeyError", "b'%.3s'",
		    (const char *)d + 3));
	year = (d[7] - '0') * 1000 + (d[8] - '0') * 100 + (d[9] - '0') * 10 +
	    (d[10] - '0');
	if (year == 0)
		return (date_error(exc, cause, "ValueError",
		    "year 0 is out of range"));
	days = days_from_civil(year, (unsigned int)mon + 1, 1) +
	    (d[0] == ' ' ? 0 : (d[0] - '0') * 10) + (d[1] - '0') - 1;
	utc = days * 86400 +
	    ((d[12] - '0') * 10 + (d[13] - '0')) * 3600 +
	    ((d[15] - '0') * 10 + (d[16] - '0')) * 60 +
	    ((d[18] - '0') * 10 + (d[19] - '0'));
	zone = (((d[22] - '0') * 10 + (d[23] - '0')) * 60 +
	    ((d[24] - '0') * 10 + (d[25] - '0'))) * 60;
	utc -= d[21] == '-' ? -zone : zone;

	t = (time_t)utc;
	tzset();
	errno = 0;
	if (localtime_r(&t, tm) == NULL)
		return (date_errno(exc, cause));
	return (1);
}

void
struct_time_repr(const struct tm *tm, struct buf *out)
{
	buf_printf(out, "time.struct_time(tm_year=%lld, tm_mon=%d, "
	    "tm_mday=%d, tm_hour=%d, tm_min=%d, tm_sec=%d, tm_wday=%d, "
	    "tm_yday=%d, tm_isdst=%d)", (long long)tm->tm_year + 1900,
	    tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec,
	    (tm->tm_wday + 6) % 7, tm->tm_yday + 1, tm->tm_isdst);
}
