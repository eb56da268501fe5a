/*
 * sink-names.h: a sink that collects mailbox names from LIST or LSUB
 * items, for Tab completion (complete.c).
 */
#ifndef SINK_NAMES_H
#define SINK_NAMES_H

#include <stddef.h>

#include "sink.h"

/*
 * A sink that appends the mailbox name of each LIST or LSUB item it is
 * given to *v (*n names, each allocated; the caller frees them).  It is
 * quiet (sink.h): set as the sink of imapsh's own LIST, it takes LIST's
 * items and the untagged-responses dictionary keeps none of them.  done()
 * returns SINK_SHOWN when the command ended OK (the names are the server's
 * list) and SINK_DROPPED otherwise; the names stay in *v either way.
 */
struct sink	*sink_names_new(char ***v, size_t *n);

#endif
