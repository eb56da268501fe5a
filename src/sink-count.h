/*
 * sink-count.h: a sink in front of another that counts a command's
 * responses on a progress line, for a person at a terminal.
 */
#ifndef SINK_COUNT_H
#define SINK_COUNT_H

#include "output.h"
#include "sink.h"

/* Wrap inner (taken): name is the untagged name, for the line; err is
 * where the line goes (a terminal). */
struct sink	*sink_count_new(struct sink *inner, const char *name,
		    struct out *err);

#endif
