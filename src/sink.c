/*
 * sink.c: what sinks that keep nothing share (sink.h).
 *
 * The raw printer showed a command's data as it came and completion's
 * names sink kept only names: neither has imaplib's data list to give
 * back, so their done() says whether the command ended OK.
 */
#include <string.h>

#include "sink.h"

enum sink_done
sink_done_nothing_kept(struct sink *sk, const char *typ, int cut,
    struct pyval **items)
{
	(void)sk;
	(void)cut;
	*items = NULL;
	return (typ != NULL && strcmp(typ, "OK") == 0 ? SINK_SHOWN :
	    SINK_DROPPED);
}
