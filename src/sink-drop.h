/*
 * sink-drop.h: a sink that keeps nothing, for output already shown as it
 * came (--format raw).
 */
#ifndef SINK_DROP_H
#define SINK_DROP_H

#include "sink.h"

struct sink	*sink_drop_new(void);

#endif
