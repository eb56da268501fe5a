/*
 * imap-util.h: imaplib's module-level helpers, as pure functions.
 *
 * Int2AP turns a number into letters A..P (tags are made from it);
 * ParseFlags splits the flag list out of a FETCH/FLAGS response.
 */
#ifndef IMAP_UTIL_H
#define IMAP_UTIL_H

#include <stddef.h>

#include "pyval.h"

/* Int2AP: writes the A-P form of num (no sign, "" for 0) into out,
 * which must hold at least 17 bytes.  Returns the length. */
size_t		 int2ap(unsigned long long num, char *out);

/* ParseFlags: a PV_TUPLE of PV_BYTES flags, () when resp has no FLAGS. */
struct pyval	*parse_flags(const char *resp, size_t len);

#endif
