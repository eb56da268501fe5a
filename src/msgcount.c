/*
 * msgcount.c: the prompt's message count, kept in step with what the
 * server says while a command runs.  A server announces a new message
 * with "* N EXISTS" and a removed one with "* N EXPUNGE" or, once QRESYNC
 * is enabled, "* VANISHED uid-set"; each EXPUNGE lowers the count by one
 * and each VANISHED by the size of its set.  "VANISHED (EARLIER)" reports
 * messages removed before the mailbox was opened, which EXISTS never
 * counted, so it changes nothing.
 *
 * The numbers come from the server: they are parsed digit by digit with
 * overflow checks, and anything unexpected makes the count unknown (-1)
 * rather than wrong.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "msgcount.h"
#include "pyval.h"

static int	 msgcount_number(const char **, const char *, uint64_t *);

/* A number of at most 10 digits (a 32-bit UID) at *pp; 0 or -1. */
static int
msgcount_number(const char **pp, const char *end, uint64_t *n)
{
	const char	*p = *pp;

	*n = 0;
	if (p >= end || *p < '0' || *p > '9')
		return (-1);
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		*n = *n * 10 + (uint64_t)(*p - '0');
		if (*n > UINT32_MAX)
			return (-1);
	}
	*pp = p;
	return (0);
}

long long
msgcount_set_size(const char *s, size_t len)
{
	const char	*p = s, *end = s + len;
	uint64_t	 a, b, total = 0;

	for (;;) {
		if (msgcount_number(&p, end, &a) == -1)
			return (-1);
		b = a;
		if (p < end && *p == ':') {
			p++;
			if (msgcount_number(&p, end, &b) == -1)
				return (-1);
		}
		total += (a > b ? a - b : b - a) + 1;
		if (p == end)
			return ((long long)total);
		if (*p++ != ',')
			return (-1);
	}
}

void
msgcount_note(long long *count, const char *typ, const struct pyval *items)
{
	const struct pyval	*it;
	const char		*p, *end;
	long long		 n;
	uint64_t		 v;
	size_t			 i;

	for (i = 0; i < items->n; i++) {
		it = items->items[i];
		if (it->type != PV_BYTES || it->s == NULL) {
			if (strcmp(typ, "EXISTS") == 0 ||
			    strcmp(typ, "EXPUNGE") == 0 ||
			    strcmp(typ, "VANISHED") == 0)
				*count = -1;
			continue;
		}
		p = it->s;
		end = it->s + it->len;
		if (strcmp(typ, "EXISTS") == 0) {
			if (msgcount_number(&p, end, &v) == -1 || p != end)
				*count = -1;
			else
				*count = (long long)v;
		} else if (strcmp(typ, "EXPUNGE") == 0) {
			if (*count > 0)
				(*count)--;
		} else if (strcmp(typ, "VANISHED") == 0) {
			if (it->len >= 10 && strncmp(p, "(EARLIER) ", 10) == 0)
				continue;
			n = msgcount_set_size(p, it->len);
			if (n < 0 || *count < 0)
				*count = -1;
			else
				*count = n >= *count ? 0 : *count - n;
		}
	}
}
