/*
 * test-untagged.c: unit tests for imap-untagged.c, imaplib's
 * untagged_responses dictionary: its dict-of-lists semantics, hashed
 * lookups (50,000 distinct names in well under a second), and the byte
 * budget (100 MB of responses held in bounded memory, the drop reported
 * once).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "imap-untagged.h"
#include "pyval.h"
#include "xmalloc.h"
#include "tap.h"

#define MB		(1024u * 1024)
#define NAMES		50000
#define NAMES_BOUND	2.0		/* seconds, generous */
#define FLOOD_BYTES	(100u * MB)
#define RSS_BOUND_KB	(32u * 1024)	/* VmHWM, the target */

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN	1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN	0
#endif

static double	 now(void);
static long	 vm_hwm_kb(void);
static int	 list_is(const struct pyval *, const char *const *, size_t);
static int	 order_is(struct imap_untagged *, const char *const *,
		    size_t);
static void	 test_semantics(void);
static void	 test_names(void);
static void	 test_flood(void);
static void	 test_flood_names(void);
static void	 test_accounting(void);
static void	 test_model(void);

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* The process's peak resident set (VmHWM), in kB; -1 if unknown. */
static long
vm_hwm_kb(void)
{
	FILE	*f;
	char	 line[256];
	long	 kb = -1;

	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return (-1);
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, "VmHWM:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	fclose(f);
	return (kb);
}

/* 1 if list is a list of exactly the bytes want[0..n). */
static int
list_is(const struct pyval *list, const char *const *want, size_t n)
{
	size_t	 i;

	if (list == NULL || list->type != PV_LIST || list->n != n)
		return (0);
	for (i = 0; i < n; i++)
		if (list->items[i]->type != PV_BYTES ||
		    list->items[i]->len != strlen(want[i]) ||
		    memcmp(list->items[i]->s, want[i],
		    list->items[i]->len) != 0)
			return (0);
	return (1);
}

/* 1 if the names are exactly want[0..n), in that order. */
static int
order_is(struct imap_untagged *ut, const char *const *want, size_t n)
{
	size_t	 i;

	if (imap_untagged_count(ut) != n)
		return (0);
	for (i = 0; i < n; i++)
		if (strcmp(imap_untagged_at(ut, i, NULL), want[i]) != 0)
			return (0);
	return (imap_untagged_at(ut, n, NULL) == NULL);
}

#define B(s)	pv_bytes((s), strlen(s))

/* _append_untagged, pop (response/_untagged_response), del, clear. */
static void
test_semantics(void)
{
	struct imap_untagged	*ut = imap_untagged_new(0);
	struct pyval		*l;
	char			 note[IMAP_UNTAGGED_NOTICE_MAX];

	ok(imap_untagged_count(ut) == 0 && imap_untagged_find(ut, "X") ==
	    NULL && imap_untagged_pop(ut, "X") == NULL,
	    "a new dictionary is empty");
	ok(imap_untagged_append(ut, "EXISTS", B("3")) == 0 &&
	    imap_untagged_append(ut, "FLAGS", B("(\\Seen)")) == 0 &&
	    imap_untagged_append(ut, "EXISTS", B("4")) == 0,
	    "appending under the budget drops nothing");
	ok(list_is(imap_untagged_find(ut, "EXISTS"),
	    (const char *const[]){ "3", "4" }, 2),
	    "items of one name form a list, oldest first");
	ok(order_is(ut, (const char *const[]){ "EXISTS", "FLAGS" }, 2),
	    "names in insertion order");
	ok(imap_untagged_find(ut, "exists") == NULL,
	    "names are case-sensitive (the core upper-cases them)");
	ok(strcmp(imap_untagged_at(ut, 1, NULL), "FLAGS") == 0 &&
	    imap_untagged_at(ut, imap_untagged_count(ut), NULL) == NULL,
	    "positions");

	l = imap_untagged_pop(ut, "EXISTS");
	ok(list_is(l, (const char *const[]){ "3", "4" }, 2) &&
	    imap_untagged_find(ut, "EXISTS") == NULL,
	    "pop takes the whole list out");
	pv_free(l);
	ok(imap_untagged_items(ut) == 1, "one item left");
	imap_untagged_append(ut, "EXISTS", B("5"));
	ok(order_is(ut, (const char *const[]){ "FLAGS", "EXISTS" }, 2) &&
	    list_is(imap_untagged_find(ut, "EXISTS"),
	    (const char *const[]){ "5" }, 1),
	    "a name filed again after pop goes last, as in a Python dict");

	imap_untagged_delete(ut, "FLAGS");
	imap_untagged_delete(ut, "FLAGS");	/* absent: nothing */
	ok(order_is(ut, (const char *const[]){ "EXISTS" }, 1),
	    "delete removes one name");
	ok(imap_untagged_append(ut, "OK", NULL) == 0 &&
	    imap_untagged_find(ut, "OK")->items[0]->type == PV_NONE,
	    "a NULL item is None");
	imap_untagged_clear(ut);
	ok(imap_untagged_count(ut) == 0 && imap_untagged_items(ut) == 0 &&
	    imap_untagged_bytes(ut) == 0, "clear empties it, bytes and all");
	imap_untagged_append(ut, "A", B("1"));
	ok(order_is(ut, (const char *const[]){ "A" }, 1),
	    "usable after clear");
	ok(imap_untagged_notice(ut, note, sizeof note) == 0,
	    "no notice when nothing was dropped");
	imap_untagged_free(ut);
}

/* 50,000 distinct names: a linear search took seconds. */
static void
test_names(void)
{
	struct imap_untagged	*ut = imap_untagged_new(256 * MB);
	const struct pyval	*l;
	char			 name[32];
	double			 t0, t;
	size_t			 i, good = 0, inorder = 0;

	t0 = now();
	for (i = 0; i < NAMES; i++) {
		snprintf(name, sizeof name, "X-NAME-%zu", i);
		imap_untagged_append(ut, name, B("data"));
	}
	for (i = 0; i < NAMES; i++) {
		snprintf(name, sizeof name, "X-NAME-%zu", i);
		imap_untagged_append(ut, name, B("more"));
	}
	t = now() - t0;
	printf("# %d distinct names filed twice each in %.3f s\n", NAMES, t);
	ok(t < NAMES_BOUND, "%d distinct names filed in %.3f s (bound %.1f s)",
	    NAMES, t, NAMES_BOUND);
	for (i = 0; i < NAMES; i++) {
		snprintf(name, sizeof name, "X-NAME-%zu", i);
		if ((l = imap_untagged_find(ut, name)) != NULL &&
		    list_is(l, (const char *const[]){ "data", "more" }, 2))
			good++;
		if (strcmp(imap_untagged_at(ut, i, NULL), name) == 0)
			inorder++;
	}
	ok(good == NAMES && inorder == NAMES,
	    "every name found with its two items, in insertion order");
	t0 = now();
	for (i = 0; i < NAMES; i += 2) {
		snprintf(name, sizeof name, "X-NAME-%zu", i);
		imap_untagged_delete(ut, name);
	}
	t = now() - t0;
	printf("# %d of them deleted one by one in %.3f s\n", NAMES / 2, t);
	ok(imap_untagged_count(ut) == NAMES / 2 &&
	    imap_untagged_find(ut, "X-NAME-0") == NULL &&
	    imap_untagged_find(ut, "X-NAME-1") != NULL &&
	    strcmp(imap_untagged_at(ut, 0, NULL), "X-NAME-1") == 0,
	    "half deleted: the rest found, order kept");
	imap_untagged_free(ut);
}

/*
 * 100 MB of unsolicited FETCH responses (lines and literals) after what a
 * SELECT leaves: the dictionary stays under its budget, the process's peak
 * memory stays bounded, EXISTS survives, and the drop is reported once.
 */
static void
test_flood(void)
{
	struct imap_untagged	*ut = imap_untagged_new(16 * MB);
	struct pyval		*t;
	char			 line[128], note[IMAP_UNTAGGED_NOTICE_MAX];
	char			*lit;
	uint64_t		 sent = 0;
	size_t			 i, maxbytes = 0, drops = 0;
	long			 hwm0, hwm;

	hwm0 = vm_hwm_kb();
	imap_untagged_append(ut, "EXISTS", B("100000"));
	imap_untagged_append(ut, "FLAGS", B("(\\Answered \\Seen)"));
	lit = xmalloc(4096);
	memset(lit, 'x', 4096);
	for (i = 0; sent < FLOOD_BYTES; i++) {
		int	 n;

		n = snprintf(line, sizeof line, "%zu (UID %zu FLAGS (\\Seen) "
		    "RFC822.SIZE %zu)", i + 1, i + 1, 1000 + i);
		if (i % 16 == 15) {
			t = pv_tuple();
			pv_append(t, pv_bytes(line, (size_t)n));
			pv_append(t, pv_bytes(lit, 4096));
			sent += 4096;
		} else
			t = pv_bytes(line, (size_t)n);
		sent += (size_t)n;
		drops += imap_untagged_append(ut, "FETCH", t);
		if (imap_untagged_bytes(ut) > maxbytes)
			maxbytes = imap_untagged_bytes(ut);
	}
	free(lit);
	hwm = vm_hwm_kb();
	printf("# %llu bytes of data in %zu responses: held at most %zu "
	    "bytes, %zu drop batches; VmHWM %ld kB (%ld kB before)\n",
	    (unsigned long long)sent, i, maxbytes, drops, hwm, hwm0);
	ok(maxbytes <= 16 * MB, "never over the 16 MB budget (%zu)", maxbytes);
	ok(drops > 0 && drops < 100, "dropped in batches, not per response "
	    "(%zu)", drops);
	if (UNDER_ASAN)
		printf("# VmHWM not compared under ASan: its redzones and "
		    "quarantine, not the dictionary, set the figure\n");
	else
		ok(hwm > 0 && hwm < (long)RSS_BOUND_KB,
		    "peak RSS %ld kB under %u kB", hwm, RSS_BOUND_KB);
	ok(list_is(imap_untagged_find(ut, "EXISTS"),
	    (const char *const[]){ "100000" }, 1) &&
	    imap_untagged_find(ut, "FLAGS") != NULL,
	    "the flood's oldest items went, not SELECT's EXISTS and FLAGS");
	ok(imap_untagged_items(ut) == imap_untagged_find(ut, "FETCH")->n + 2,
	    "item count consistent");
	ok(imap_untagged_notice(ut, note, sizeof note) == 1 &&
	    strncmp(note, "untagged responses over 16 MB: dropped the oldest ",
	    50) == 0 && strstr(note, " FETCH items") != NULL,
	    "the drop reported: %s", note);
	ok(imap_untagged_notice(ut, note, sizeof note) == 0,
	    "and reported once");
	imap_untagged_free(ut);
}

/* A flood of distinct small names: the second pass drops oldest names. */
static void
test_flood_names(void)
{
	struct imap_untagged	*ut = imap_untagged_new(MB);
	char			 name[32], note[IMAP_UNTAGGED_NOTICE_MAX];
	double			 t0, t;
	size_t			 i, maxbytes = 0;

	t0 = now();
	for (i = 0; i < 200000; i++) {
		snprintf(name, sizeof name, "N-%zu", i);
		imap_untagged_append(ut, name, B("x"));
		if (imap_untagged_bytes(ut) > maxbytes)
			maxbytes = imap_untagged_bytes(ut);
	}
	t = now() - t0;
	printf("# 200000 names under a 1 MB budget in %.3f s, %zu names "
	    "kept\n", t, imap_untagged_count(ut));
	ok(maxbytes <= MB && t < NAMES_BOUND,
	    "200000 one-item names: at most %zu bytes, %.3f s", maxbytes, t);
	ok(imap_untagged_find(ut, "N-0") == NULL &&
	    imap_untagged_find(ut, "N-199999") != NULL &&
	    strcmp(imap_untagged_at(ut, imap_untagged_count(ut) - 1, NULL),
	    "N-199999") == 0,
	    "the oldest names went, the newest stayed last");
	ok(imap_untagged_notice(ut, note, sizeof note) == 1 &&
	    strstr(note, "over 1 MB: dropped the oldest ") != NULL &&
	    strstr(note, " items (N-0 and other names)") != NULL,
	    "a drop of many names is reported as such: %s", note);
	imap_untagged_free(ut);
}

/* What pop hands back is what was accounted: bytes return to zero. */
static void
test_accounting(void)
{
	struct imap_untagged	*ut = imap_untagged_new(0);
	struct pyval		*l, *t;
	size_t			 i;

	for (i = 0; i < 1000; i++) {
		t = pv_tuple();
		pv_append(t, B("1 (BODY[] {3}"));
		pv_append(t, B("abc"));
		imap_untagged_append(ut, i % 2 ? "FETCH" : "LIST", t);
	}
	ok(imap_untagged_bytes(ut) > 1000 * pv_mem_size(t),
	    "tuples counted whole (%zu bytes)", imap_untagged_bytes(ut));
	l = imap_untagged_pop(ut, "FETCH");
	pv_free(l);
	imap_untagged_delete(ut, "LIST");
	ok(imap_untagged_bytes(ut) == 0 && imap_untagged_items(ut) == 0,
	    "pop and delete keep the books");
	l = B("");
	t = B("0123456789");
	ok(pv_mem_size(t) - pv_mem_size(l) == 10,
	    "pv_mem_size counts in-memory bytes");
	pv_free(l);
	pv_free(t);
	imap_untagged_free(ut);
}

/*
 * Random appends, pops and deletes over 300 names, checked against a
 * plain model (names in order, item count each) after every step:
 * tombstones, compaction and index growth interleaved.
 */
static void
test_model(void)
{
	struct imap_untagged	*ut = imap_untagged_new(256 * MB);
	struct pyval		*l;
	const struct pyval	*at;
	char			 name[16];
	int			 order[300], count[300], n = 0;
	int			 step, k, j, bad = 0;

	srand(12);
	for (step = 0; step < 20000 && !bad; step++) {
		k = rand() % 300;
		snprintf(name, sizeof name, "N%d", k);
		for (j = 0; j < n && order[j] != k; j++)
			;
		switch (rand() % 4) {
		case 0:
		case 1:
			imap_untagged_append(ut, name, B("x"));
			if (j == n) {
				order[n++] = k;
				count[k] = 0;
			}
			count[k]++;
			break;
		case 2:
			l = imap_untagged_pop(ut, name);
			if ((l == NULL) != (j == n) ||
			    (l != NULL && (int)l->n != count[k]))
				bad = 1;
			pv_free(l);
			if (j < n) {
				memmove(&order[j], &order[j + 1],
				    (size_t)(n - j - 1) * sizeof *order);
				n--;
			}
			break;
		default:
			l = (struct pyval *)imap_untagged_find(ut, name);
			if ((l == NULL) != (j == n) ||
			    (l != NULL && (int)l->n != count[k]))
				bad = 1;
			break;
		}
		if (step % 97 == 0 || bad) {
			if ((int)imap_untagged_count(ut) != n)
				bad = 1;
			for (j = 0; j < n && !bad; j++) {
				snprintf(name, sizeof name, "N%d", order[j]);
				if (strcmp(imap_untagged_at(ut, (size_t)j,
				    &at), name) != 0 ||
				    imap_untagged_find(ut, name) != at)
					bad = 1;
			}
		}
	}
	ok(!bad, "20000 random operations agree with a model (step %d)",
	    step);
	imap_untagged_free(ut);
}

int
main(void)
{
	test_flood();		/* first: VmHWM is the process's peak */
	test_semantics();
	test_names();
	test_accounting();
	test_model();
	test_flood_names();
	printf("1..%d\n", tap_ntests);
	return (tap_status());
}
