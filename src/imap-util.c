/*
 * imap-util.c: imaplib's module-level helpers Int2AP and ParseFlags, as
 * pure functions that give the same results byte for byte.
 */
#include <string.h>

#include "imap-util.h"

static int	 py_space(int);

/*
 * Int2AP: base 16 with the digits A..P, most significant first; 0 gives
 * the empty string, as in imaplib.
 */
size_t
int2ap(unsigned long long num, char *out)
{
	static const char	 ap[] = "ABCDEFGHIJKLMNOP";
	char			 tmp[16];
	size_t			 n = 0, i;

	while (num != 0) {
		tmp[n++] = ap[num % 16];
		num /= 16;
	}
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
	return (n);
}

/* bytes.split() separators: ASCII whitespace. */
static int
py_space(int c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f');
}

/*
 * ParseFlags matches re.compile(br'.*FLAGS \((?P<flags>[^\)]*)\)') at the
 * start of resp.  The greedy .* cannot cross a newline, and backtracks
 * from the right: the match uses the last "FLAGS (" that starts before
 * the first '\n' and has a ')' somewhere after it; the flags run up to
 * the first such ')' (and may span newlines).  The flags are then split
 * on ASCII whitespace.
 */
struct pyval *
parse_flags(const char *resp, size_t len)
{
	static const char	 pat[] = "FLAGS (";
	const size_t		 patlen = sizeof pat - 1;
	const char		*nl, *close, *start;
	struct pyval		*tuple;
	size_t			 limit, at, i, j;

	tuple = pv_tuple();
	if (len < patlen + 1)
		return (tuple);

	/* The pattern must start at or before the first newline. */
	nl = memchr(resp, '\n', len);
	limit = nl == NULL ? len : (size_t)(nl - resp);
	if (limit > len - patlen - 1)
		limit = len - patlen - 1;

	for (at = limit + 1; at-- > 0;) {
		if (memcmp(resp + at, pat, patlen) != 0)
			continue;
		start = resp + at + patlen;
		close = memchr(start, ')', len - at - patlen);
		if (close == NULL)
			continue;
		for (i = 0; start + i < close; i = j) {
			while (start + i < close &&
			    py_space((unsigned char)start[i]))
				i++;
			for (j = i; start + j < close &&
			    !py_space((unsigned char)start[j]); j++)
				;
			if (j > i)
				pv_append(tuple, pv_bytes(start + i, j - i));
		}
		break;
	}
	return (tuple);
}
