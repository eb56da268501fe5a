/*
 * imap-untagged.h: imaplib's untagged_responses dictionary.
 *
 * A dict of lists: each untagged response (and each response code) is
 * appended to the list under its name, commands take their data out with
 * pop, and `responses` shows the whole dict in insertion order.  Names are
 * looked up by hash.  The items held are kept under a byte budget; when
 * it is passed, the oldest items are dropped (see imap-untagged.c for
 * which, and why not spilled) and the drop is reported once through
 * imap_untagged_notice().
 *
 * Lists handed out by find are the dictionary's own: read them, do not
 * change them.  Lists handed out by pop belong to the caller.
 */
#ifndef IMAP_UNTAGGED_H
#define IMAP_UNTAGGED_H

#include <stddef.h>
#include <stdint.h>

struct pyval;
struct imap_untagged;

/*
 * The default budget, in bytes: some 130,000 small responses are kept
 * whole, and a flood of 100 MB of them leaves the process at about 23 MB
 * of peak RSS, under the 32 MB it may use.
 */
#define IMAP_UNTAGGED_BUDGET	(16u * 1024 * 1024)
#define IMAP_UNTAGGED_NOTICE_MAX 160	/* room for imap_untagged_notice() */

/* A new empty dictionary; budget in bytes, 0 for IMAP_UNTAGGED_BUDGET. */
struct imap_untagged *imap_untagged_new(size_t budget);
void		 imap_untagged_free(struct imap_untagged *);
/* Change the budget (0: the default); takes effect at the next append. */
void		 imap_untagged_set_budget(struct imap_untagged *, size_t);

/*
 * _append_untagged(typ, dat): append item (taken; bytes or a tuple) to the
 * list under name, making the list if there is none.  Returns 1 if this
 * pushed the dictionary over its budget and older items were dropped,
 * else 0.
 */
int		 imap_untagged_append(struct imap_untagged *, const char *name,
		    struct pyval *item);

/* The list under name (never empty), or NULL. */
const struct pyval *imap_untagged_find(const struct imap_untagged *,
		    const char *name);
/* Take the list under name out of the dictionary; NULL if there is none. */
struct pyval	*imap_untagged_pop(struct imap_untagged *, const char *name);
/* Pop and free. */
void		 imap_untagged_delete(struct imap_untagged *, const char *name);
/* Empty the dictionary (a pending notice is kept). */
void		 imap_untagged_clear(struct imap_untagged *);
/*
 * Number of names, and the i-th name and its list in insertion order
 * (i < imap_untagged_count(); NULL past the end).  Walking 0, 1, 2 ... is
 * O(1) a step (the first call may tidy the dictionary, hence not const).
 */
size_t		 imap_untagged_count(const struct imap_untagged *);
const char	*imap_untagged_at(struct imap_untagged *, size_t i,
		    const struct pyval **list);

/* Bytes held (the measure the budget bounds), and the number of items. */
size_t		 imap_untagged_bytes(const struct imap_untagged *);
size_t		 imap_untagged_items(const struct imap_untagged *);

/* A budget as notices say it: "16 MB", "8 KB" or "1000 bytes". */
void		 imap_untagged_size_str(size_t, char *out, size_t size);

/*
 * If items were dropped since the last call, write one line saying so
 * (no "imapsh: " prefix, no newline), e.g. "untagged responses over 16 MB:
 * dropped the oldest 350000 LIST items", into out[0..size), forget the
 * drop and return 1; else return 0.  The core calls it once a command is
 * done, so a flood is reported once per command.
 */
int		 imap_untagged_notice(struct imap_untagged *, char *out,
		    size_t size);

#endif
