/*
 * sink-idle.h: IDLE's printer, the sink that shows each untagged response
 * as it comes while the idle command runs.
 */
#ifndef SINK_IDLE_H
#define SINK_IDLE_H

#include "sink.h"

struct session;

/* A printer of s's untagged responses, in s's output format. */
struct sink	*sink_idle_new(struct session *s);

#endif
