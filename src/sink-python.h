/*
 * sink-python.h: the python printer as a sink (sink.h): imaplib's value,
 * laid out as py_print() lays it out, formatted as the responses
 * arrive.
 */
#ifndef SINK_PYTHON_H
#define SINK_PYTHON_H

#include "output.h"
#include "sink.h"
#include "stage.h"

/*
 * A sink printing ('TYP', [items]) to dst; name is the untagged name, for
 * the trace.  When dst can take output back
 * (dst->takeback: a regular file or /dev/null) and no highlight is
 * wanted, the value is printed straight to dst; otherwise into st, and
 * emitted on the tagged reply.  hl_on/hl_off colour the type when not
 * NULL (no_on for NO and BAD, which are never printed by the sink: their
 * data is the tagged reply's).
 */
struct sink	*sink_python_new(const char *name, struct out *dst,
		    struct stage *st, const char *hl_on, const char *hl_off);

#endif
