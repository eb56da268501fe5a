/*
 * intr.c: the front end's count of Ctrl-Cs, read-only for everyone else
 * (intr.h).
 */
#include <stddef.h>

#include "intr.h"

static const volatile sig_atomic_t *intr_source;

void
intr_watch(const volatile sig_atomic_t *count)
{
	intr_source = count;
}

int
intr_count(void)
{
	return (intr_source == NULL ? 0 : (int)*intr_source);
}
