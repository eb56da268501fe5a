/*
 * imap-untagged.c: imaplib's untagged_responses dictionary (see
 * imap-untagged.h for the interface).
 *
 * The entries sit in one array in insertion order, so `responses` walks
 * them in order and imap_untagged_at() is O(1); an open-addressing hash
 * index over the array finds a name in O(1), so a server that sends tens
 * of thousands of distinct names costs milliseconds, not a linear search
 * per response.  The index is keyed by a random seed per dictionary (the
 * names come from the server, which must not be able to choose colliding
 * ones).  Removing an entry leaves a tombstone in the array and in the
 * index; once tombstones are half the array, or when a caller walks the
 * array by position, it is compacted and the index rebuilt, so removals
 * cost O(1) amortised.
 *
 * Budget.  Every item is measured when it is filed (pv_mem_size(), plus
 * its slot in the list's array) and every name costs its entry, its copy
 * and its list; the total is kept under the budget.  When an append passes
 * it, items are dropped, oldest first within a name, until the total is
 * three quarters of the budget (so a flood pays for one batch per quarter
 * of the budget, not one per response):
 *	1. from the names that hold at least 1/16 of the budget each, in
 *	   insertion order: the flood, not the one EXISTS or FLAGS that a
 *	   SELECT left and that the prompt and completion still use;
 *	2. if that is not enough (a flood of many small names), from every
 *	   name in insertion order.
 * A list that loses all its items loses its name, as imaplib never holds
 * an empty list.
 *
 * Why drop rather than spill to disk: the dictionary holds what no command
 * asked for (a command's own data goes to its sink as it arrives), imaplib
 * itself would hold it for ever, and a spill would only move unbounded
 * growth from memory to the temporary directory, where a server that
 * floods without end fills the disk instead.  Dropping keeps both bounded,
 * and imap_untagged_notice() tells the person what went.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imap-untagged.h"
#include "pyval.h"
#include "xmalloc.h"

#define UT_MIN_SLOTS	16
#define UT_EMPTY	0
#define UT_TOMB		UINT32_MAX
#define UT_DROP_NAME	48		/* of a name kept for the notice */
#define UT_ITEM_SLOT	(2 * sizeof(struct pyval *))	/* array grows x2 */

struct ut_entry {
	char		*name;
	size_t		 namelen;
	uint64_t	 hash;
	struct pyval	*list;		/* NULL once a drop emptied it */
	size_t		 bytes;		/* of its items */
};

struct imap_untagged {
	struct ut_entry	*e;		/* insertion order */
	size_t		 n, alloc;
	size_t		 ntomb;		/* entries removed (name NULL) */
	uint32_t	*slot;		/* UT_EMPTY, UT_TOMB or index + 1 */
	size_t		 nslot;		/* a power of two */
	uint64_t	 seed;

	size_t		 budget;
	size_t		 bytes;		/* entries and items held */
	size_t		 items;

	/* The drop not yet reported by imap_untagged_notice(). */
	uint64_t	 drop_items;
	size_t		 drop_budget;
	char		 drop_name[UT_DROP_NAME];	/* the first */
	uint64_t	 drop_hash;	/* of that name */
	int		 drop_mixed;	/* items of other names went too */
};

static uint64_t	 ut_hash(const struct imap_untagged *, const char *, size_t);
static long	 ut_lookup(const struct imap_untagged *, const char *, size_t,
		    uint64_t);
static void	 ut_reindex(struct imap_untagged *, size_t);
static size_t	 ut_entry_cost(size_t);
static size_t	 ut_item_cost(const struct pyval *);
static struct ut_entry *ut_new_entry(struct imap_untagged *, size_t,
		    const char *, size_t, uint64_t);
static void	 ut_remove(struct imap_untagged *, size_t);
static void	 ut_compact(struct imap_untagged *);
static void	 ut_tidy(struct imap_untagged *);
static int	 ut_shed(struct imap_untagged *);
static int	 ut_shed_pass(struct imap_untagged *, size_t, size_t);
static void	 ut_drop_front(struct imap_untagged *, struct ut_entry *,
		    size_t);
static void	 ut_drop_note(struct imap_untagged *, const struct ut_entry *,
		    size_t);

struct imap_untagged *
imap_untagged_new(size_t budget)
{
	struct imap_untagged	*ut;

	ut = xcalloc(1, sizeof *ut);
	ut->budget = budget == 0 ? IMAP_UNTAGGED_BUDGET : budget;
	arc4random_buf(&ut->seed, sizeof ut->seed);
	ut_reindex(ut, UT_MIN_SLOTS);
	return (ut);
}

void
imap_untagged_free(struct imap_untagged *ut)
{
	if (ut == NULL)
		return;
	imap_untagged_clear(ut);
	free(ut->e);
	free(ut->slot);
	free(ut);
}

void
imap_untagged_set_budget(struct imap_untagged *ut, size_t budget)
{
	ut->budget = budget == 0 ? IMAP_UNTAGGED_BUDGET : budget;
}

/*
 * FNV-1a from a random basis, finished with a 64-bit mixer so that the
 * low bits the index uses depend on every byte and on the whole seed.
 */
static uint64_t
ut_hash(const struct imap_untagged *ut, const char *name, size_t len)
{
	uint64_t	 h = ut->seed ^ 0xcbf29ce484222325ULL;
	size_t		 i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)name[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return (h);
}

/* Index of the entry called name, or -1. */
static long
ut_lookup(const struct imap_untagged *ut, const char *name, size_t len,
    uint64_t h)
{
	const struct ut_entry	*e;
	size_t			 mask = ut->nslot - 1, i;

	for (i = (size_t)h & mask; ut->slot[i] != UT_EMPTY;
	    i = (i + 1) & mask) {
		if (ut->slot[i] == UT_TOMB)
			continue;
		e = &ut->e[ut->slot[i] - 1];
		if (e->hash == h && e->namelen == len &&
		    memcmp(e->name, name, len) == 0)
			return ((long)(ut->slot[i] - 1));
	}
	return (-1);
}

/* Rebuild the index with at least nslot slots (rounded up to a power of
 * two that keeps it at most two thirds full). */
static void
ut_reindex(struct imap_untagged *ut, size_t nslot)
{
	size_t	 size = UT_MIN_SLOTS, mask, i, j;

	while (size < nslot || size / 3 * 2 < ut->n + 1)
		size *= 2;
	if (size != ut->nslot) {
		free(ut->slot);
		ut->slot = xcalloc(size, sizeof *ut->slot);
		ut->nslot = size;
	} else
		memset(ut->slot, 0, size * sizeof *ut->slot);
	mask = size - 1;
	for (i = 0; i < ut->n; i++) {
		if (ut->e[i].name == NULL)
			continue;		/* a tombstone */
		for (j = (size_t)ut->e[i].hash & mask; ut->slot[j] != UT_EMPTY;
		    j = (j + 1) & mask)
			;
		ut->slot[j] = (uint32_t)(i + 1);
	}
}

/* What a name costs besides its items: entry, copy, list, index slots. */
static size_t
ut_entry_cost(size_t namelen)
{
	return (sizeof(struct ut_entry) + namelen + 1 + PV_ALLOC_OVERHEAD +
	    sizeof(struct pyval) + PV_ALLOC_OVERHEAD + 3 * sizeof(uint32_t));
}

static size_t
ut_item_cost(const struct pyval *item)
{
	return (pv_mem_size(item) + UT_ITEM_SLOT);
}

/* Make an entry with an empty list at position pos (<= ut->n). */
static struct ut_entry *
ut_new_entry(struct imap_untagged *ut, size_t pos, const char *name,
    size_t len, uint64_t h)
{
	struct ut_entry	*e;

	if (ut->n == ut->alloc) {
		ut->alloc = ut->alloc == 0 ? 16 : ut->alloc * 2;
		ut->e = xreallocarray(ut->e, ut->alloc, sizeof *ut->e);
	}
	memmove(&ut->e[pos + 1], &ut->e[pos], (ut->n - pos) * sizeof *ut->e);
	e = &ut->e[pos];
	e->name = xstrndup(name, len);
	e->namelen = len;
	e->hash = h;
	e->list = pv_list();
	e->bytes = 0;
	ut->n++;
	ut->bytes += ut_entry_cost(len);
	if (pos + 1 != ut->n || (ut->n + 1) > ut->nslot / 3 * 2)
		ut_reindex(ut, ut->nslot);	/* indices moved, or full */
	else {
		size_t	 mask = ut->nslot - 1, j;

		for (j = (size_t)h & mask; ut->slot[j] != UT_EMPTY;
		    j = (j + 1) & mask)
			;
		ut->slot[j] = (uint32_t)ut->n;
	}
	return (e);
}

int
imap_untagged_append(struct imap_untagged *ut, const char *name,
    struct pyval *item)
{
	struct ut_entry	*e;
	size_t		 len = strlen(name), cost;
	uint64_t	 h = ut_hash(ut, name, len);
	long		 i;

	if ((i = ut_lookup(ut, name, len, h)) == -1)
		e = ut_new_entry(ut, ut->n, name, len, h);
	else
		e = &ut->e[i];
	if (item == NULL)
		item = pv_none();
	cost = ut_item_cost(item);
	pv_append(e->list, item);
	e->bytes += cost;
	ut->bytes += cost;
	ut->items++;
	return (ut_shed(ut));
}

const struct pyval *
imap_untagged_find(const struct imap_untagged *ut, const char *name)
{
	size_t	 len = strlen(name);
	long	 i;

	if ((i = ut_lookup(ut, name, len, ut_hash(ut, name, len))) == -1)
		return (NULL);
	return (ut->e[i].list);
}

/*
 * Forget entry i's accounting and name, leaving tombstones in the array
 * and the index; its list stays with the caller.
 */
static void
ut_remove(struct imap_untagged *ut, size_t i)
{
	struct ut_entry	*e = &ut->e[i];
	size_t		 mask = ut->nslot - 1, j;

	for (j = (size_t)e->hash & mask; ut->slot[j] != i + 1;
	    j = (j + 1) & mask)
		;
	ut->slot[j] = UT_TOMB;
	ut->bytes -= ut_entry_cost(e->namelen) + e->bytes;
	if (e->list != NULL)
		ut->items -= e->list->n;
	free(e->name);
	e->name = NULL;
	e->list = NULL;
	e->bytes = 0;
	ut->ntomb++;
}

/* Close the gaps ut_remove() left, and rebuild the index. */
static void
ut_compact(struct imap_untagged *ut)
{
	size_t	 i, j;

	if (ut->ntomb == 0)
		return;
	for (i = j = 0; i < ut->n; i++)
		if (ut->e[i].name != NULL)
			ut->e[j++] = ut->e[i];
	ut->n = j;
	ut->ntomb = 0;
	ut_reindex(ut, UT_MIN_SLOTS);
}

/* Compact once tombstones are half the array: O(1) amortised. */
static void
ut_tidy(struct imap_untagged *ut)
{
	if (ut->ntomb > 0 && ut->ntomb >= ut->n / 2)
		ut_compact(ut);
}

struct pyval *
imap_untagged_pop(struct imap_untagged *ut, const char *name)
{
	struct pyval	*list;
	size_t		 len = strlen(name);
	long		 i;

	if ((i = ut_lookup(ut, name, len, ut_hash(ut, name, len))) == -1)
		return (NULL);
	list = ut->e[i].list;
	ut_remove(ut, (size_t)i);
	ut_tidy(ut);
	return (list);
}

void
imap_untagged_delete(struct imap_untagged *ut, const char *name)
{
	pv_free(imap_untagged_pop(ut, name));
}

void
imap_untagged_clear(struct imap_untagged *ut)
{
	size_t	 i;

	for (i = 0; i < ut->n; i++) {
		free(ut->e[i].name);
		pv_free(ut->e[i].list);
	}
	ut->n = 0;
	ut->ntomb = 0;
	ut->bytes = 0;
	ut->items = 0;
	ut_reindex(ut, UT_MIN_SLOTS);
}

size_t
imap_untagged_count(const struct imap_untagged *ut)
{
	return (ut->n - ut->ntomb);
}

const char *
imap_untagged_at(struct imap_untagged *ut, size_t i,
    const struct pyval **list)
{
	ut_compact(ut);
	if (i >= ut->n) {
		if (list != NULL)
			*list = NULL;
		return (NULL);
	}
	if (list != NULL)
		*list = ut->e[i].list;
	return (ut->e[i].name);
}

size_t
imap_untagged_bytes(const struct imap_untagged *ut)
{
	return (ut->bytes);
}

size_t
imap_untagged_items(const struct imap_untagged *ut)
{
	return (ut->items);
}

/*
 * Over budget: drop down to three quarters of it (the order is in the
 * comment at the top).  Returns 1 if anything was dropped.
 */
static int
ut_shed(struct imap_untagged *ut)
{
	size_t	 low;
	int	 dropped;

	if (ut->bytes <= ut->budget)
		return (0);
	low = ut->budget - ut->budget / 4;
	dropped = ut_shed_pass(ut, low, ut->budget / 16);
	if (ut->bytes > low)
		dropped |= ut_shed_pass(ut, low, 0);
	ut_tidy(ut);
	return (dropped);
}

/* Drop the oldest items of each name holding at least min bytes, in
 * insertion order, until ut->bytes <= low. */
static int
ut_shed_pass(struct imap_untagged *ut, size_t low, size_t min)
{
	struct ut_entry	*e;
	size_t		 i, k, over;
	int		 dropped = 0;

	for (i = 0; i < ut->n && ut->bytes > low; i++) {
		e = &ut->e[i];
		if (e->list == NULL || e->bytes < min)
			continue;
		over = ut->bytes - low;
		for (k = 0; k < e->list->n && over > 0; k++) {
			size_t	 c = ut_item_cost(e->list->items[k]);

			over = c >= over ? 0 : over - c;
		}
		if (k == 0)
			continue;
		ut_drop_note(ut, e, k);
		if (k == e->list->n) {
			pv_free(e->list);
			e->list = NULL;		/* ut_remove() counts none */
			ut->items -= k;
			ut_remove(ut, i);
		} else
			ut_drop_front(ut, e, k);
		dropped = 1;
	}
	return (dropped);
}

/* Drop the first k items of e's list (k < its length). */
static void
ut_drop_front(struct imap_untagged *ut, struct ut_entry *e, size_t k)
{
	struct pyval	*l = e->list;
	size_t		 i, c;

	for (i = 0; i < k; i++) {
		c = ut_item_cost(l->items[i]);
		e->bytes -= c;
		ut->bytes -= c;
		pv_free(l->items[i]);
	}
	memmove(&l->items[0], &l->items[k], (l->n - k) * sizeof *l->items);
	l->n -= k;
	ut->items -= k;
	if (l->n < l->alloc / 4) {	/* give back what the flood grew */
		l->alloc = l->n * 2;
		l->items = xreallocarray(l->items, l->alloc, sizeof *l->items);
	}
}

/* Remember k items of e dropped, for the notice. */
static void
ut_drop_note(struct imap_untagged *ut, const struct ut_entry *e, size_t k)
{
	size_t		 i, n;
	unsigned char	 c;

	if (ut->drop_items == 0) {
		/* The notice names the first name dropped from; names come
		 * from the server: keep them printable. */
		n = e->namelen < UT_DROP_NAME - 1 ? e->namelen :
		    UT_DROP_NAME - 1;
		for (i = 0; i < n; i++) {
			c = (unsigned char)e->name[i];
			ut->drop_name[i] = c > 0x20 && c < 0x7f ? (char)c :
			    '?';
		}
		ut->drop_name[n] = '\0';
		ut->drop_hash = e->hash;
		ut->drop_budget = ut->budget;
	} else if (e->hash != ut->drop_hash)
		ut->drop_mixed = 1;
	ut->drop_items += k;
}

/* 16777216 -> "16 MB", 1536 -> "1536 bytes" ... */
void
imap_untagged_size_str(size_t n, char *out, size_t size)
{
	if (n % (1024 * 1024) == 0)
		(void)snprintf(out, size, "%zu MB", n / (1024 * 1024));
	else if (n % 1024 == 0)
		(void)snprintf(out, size, "%zu KB", n / 1024);
	else
		(void)snprintf(out, size, "%zu bytes", n);
}

int
imap_untagged_notice(struct imap_untagged *ut, char *out, size_t size)
{
	char	 budget[32];

	if (ut->drop_items == 0)
		return (0);
	imap_untagged_size_str(ut->drop_budget, budget, sizeof budget);
	if (!ut->drop_mixed)
		(void)snprintf(out, size, "untagged responses over %s: dropped "
		    "the oldest %llu %s items", budget,
		    (unsigned long long)ut->drop_items, ut->drop_name);
	else
		(void)snprintf(out, size, "untagged responses over %s: dropped "
		    "the oldest %llu items (%s and other names)", budget,
		    (unsigned long long)ut->drop_items, ut->drop_name);
	ut->drop_items = 0;
	ut->drop_name[0] = '\0';
	ut->drop_mixed = 0;
	return (1);
}
