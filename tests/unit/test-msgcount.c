/*
 * test-msgcount.c: the prompt's message count (msgcount.c).
 *
 * A table of untagged responses, each applied to a starting count, with
 * the count expected after it: EXISTS sets, EXPUNGE lowers by one,
 * VANISHED by the size of its UID set, VANISHED (EARLIER) not at all, and
 * anything malformed makes the count unknown (-1).  Then sequence-set
 * sizes on their own, including the bounds of a 32-bit UID.
 */
#include <stdio.h>
#include <string.h>

#include "msgcount.h"
#include "pyval.h"
#include "tap.h"

struct count_case {
	long long	 before;
	const char	*typ;
	const char	*item;
	long long	 after;
};

static const struct count_case cases[] = {
	{ -1, "EXISTS", "12", 12 },
	{ 12, "EXISTS", "13", 13 },
	{ 12, "EXISTS", "0", 0 },
	{ 12, "EXISTS", "x", -1 },
	{ 12, "EXISTS", "", -1 },
	{ 12, "EXISTS", "99999999999", -1 },
	{ 12, "EXPUNGE", "3", 11 },
	{ 0, "EXPUNGE", "1", 0 },
	{ -1, "EXPUNGE", "1", -1 },
	{ 12, "VANISHED", "3:4", 10 },
	{ 12, "VANISHED", "4:3,7,9:11", 6 },
	{ 12, "VANISHED", "1:4294967295", 0 },
	{ 12, "VANISHED", "(EARLIER) 1:5", 12 },
	{ 12, "VANISHED", "3:", -1 },
	{ 12, "VANISHED", "3,,4", -1 },
	{ 12, "VANISHED", "4294967296", -1 },
	{ -1, "VANISHED", "3", -1 },
	{ 12, "FETCH", "1 (FLAGS ())", 12 },
	{ 12, "RECENT", "1", 12 },
};

int
main(void)
{
	struct pyval	*items;
	long long	 count;
	size_t		 i;

	printf("1..%zu\n", sizeof cases / sizeof cases[0] + 3);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		items = pv_list();
		pv_append(items, pv_bytes(cases[i].item,
		    strlen(cases[i].item)));
		count = cases[i].before;
		msgcount_note(&count, cases[i].typ, items);
		ok(count == cases[i].after, "%lld, * %s %s: %lld (got %lld)",
		    cases[i].before, cases[i].typ, cases[i].item,
		    cases[i].after, count);
		pv_free(items);
	}
	/* Two EXPUNGEs filed at once lower it by two. */
	items = pv_list();
	pv_append(items, pv_bytes("1", 1));
	pv_append(items, pv_bytes("1", 1));
	count = 5;
	msgcount_note(&count, "EXPUNGE", items);
	ok(count == 3, "two EXPUNGE items: 3 (got %lld)", count);
	pv_free(items);
	ok(msgcount_set_size("4294967295:1", 12) == 4294967295LL,
	    "the largest set");
	ok(msgcount_set_size("", 0) == -1, "an empty set is not one");
	return (tap_status());
}
