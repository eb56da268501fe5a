/*
 * raw-literal.c: a raw command's literal announcements, and how much of
 * each typed line goes into a literal (raw-literal.h says what a person
 * means by them).
 *
 * The announcement is RFC 3501's literal, with RFC 7888's
 * non-synchronizing form:
 *
 *	literal  = "{" number ["+"] "}" CRLF *CHAR8
 *
 * parsed from the end of the text, digit by digit with an overflow check.
 */
#include <string.h>

#include "raw-literal.h"
#include "xmalloc.h"

#define RAW_LITERAL_MAX	(UINT64_C(1) << 63)

int
raw_literal_announced(const char *text, size_t len,
    struct raw_literal_ann *ann, char **cause)
{
	size_t		 end = len, start;
	uint64_t	 n = 0;

	memset(ann, 0, sizeof *ann);
	if (end < 3 || text[end - 1] != '}')
		return (0);
	end--;
	if (text[end - 1] == '+') {
		ann->nonsync = 1;
		end--;
	}
	for (start = end; start > 0 && text[start - 1] >= '0' &&
	    text[start - 1] <= '9'; start--)
		;
	if (start == end || start == 0 || text[start - 1] != '{')
		return (0);
	for (; start < end; start++) {
		if (n > (RAW_LITERAL_MAX - 9) / 10) {
			*cause = xstrdup("literal size too large");
			return (-1);
		}
		n = n * 10 + (uint64_t)(text[start] - '0');
	}
	ann->size = n;
	return (1);
}

enum raw_literal_fill
raw_literal_fill(uint64_t need, size_t len, size_t *take, int *crlf)
{
	if ((uint64_t)len >= need) {
		*take = (size_t)need;
		*crlf = 0;
		return (RAW_LIT_DONE);
	}
	*take = len;
	*crlf = 1;
	if ((uint64_t)len + 1 == need)
		return (RAW_LIT_CUT);
	return ((uint64_t)len + 2 == need ? RAW_LIT_DONE : RAW_LIT_MORE);
}
