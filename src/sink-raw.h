/*
 * sink-raw.h: the raw printer, a sink that prints every line and literal
 * chunk of its command as received and keeps nothing (--format raw, and
 * the raw command).
 */
#ifndef SINK_RAW_H
#define SINK_RAW_H

#include "output.h"
#include "sink.h"

/* A raw printer on o.  streams: a literal too big to keep in memory is
 * only printed (--format raw, where the output is the result); else it is
 * also filed as usual (the raw command under the other formats, whose
 * untagged responses response and recent still see). */
struct sink	*sink_raw_new(struct out *o, int streams);

#endif
