/*
 * msgcount.h: the selected mailbox's message count that the prompt shows
 * (INBOX[12]), kept in step with the untagged responses as they arrive:
 * EXISTS sets it, EXPUNGE lowers it by one, VANISHED (RFC 7162) by the
 * number of UIDs it names.
 */
#ifndef MSGCOUNT_H
#define MSGCOUNT_H

#include <stdint.h>

struct pyval;

/*
 * Apply the untagged response typ with its items (bytes, as the core
 * files them) to *count; -1 means unknown and stays so until the next
 * EXISTS.  Other responses leave it alone.
 */
void	 msgcount_note(long long *count, const char *typ,
	    const struct pyval *items);

/* How many numbers the sequence set s (len bytes, "1:3,7") names, or -1
 * when it is not one. */
long long msgcount_set_size(const char *s, size_t len);

#endif
