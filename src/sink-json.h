/*
 * sink-json.h: the JSON printer as a sink (sink.h): one object per
 * command, its data written as the responses arrive.
 */
#ifndef SINK_JSON_H
#define SINK_JSON_H

#include "output.h"
#include "sink.h"
#include "stage.h"

/* A sink printing {"command": command, "status": ..., "data": [...]} to
 * dst, the data held in st until the tagged reply. */
struct sink	*sink_json_new(const char *command, struct out *dst,
		    struct stage *st);

#endif
