/*
 * sink.h: where a command's result goes while its responses arrive.
 *
 * A command that returns the data of an untagged name (FETCH for fetch,
 * store and partial, LIST for list, ...) carries one sink, chosen by the
 * command layer before the command runs.  The core hands the sink every
 * item filed under that name as it is parsed, instead of keeping it in
 * the untagged-responses dictionary, so memory does not grow with the
 * number of responses; and it hands over literals too big to keep as they
 * arrive, piece by piece (lit_begin with the line before the literal and
 * its announced size, lit_data, lit_end: the item is the tuple (line,
 * literal)).  The core never prints and never decides where output goes:
 * the sink does (sink-python.c prints imaplib's value; sink-drop.c keeps
 * nothing, for output that was already shown as it came).
 *
 * done() ends the result: typ is the tagged reply's type, or NULL when the
 * command did not end with one (the connection went away or the command
 * was interrupted); cut is set when the connection ended in the middle of
 * a literal of this result, which is then imaplib's PARTIAL data.  done()
 * returns SINK_SHOWN when the sink printed the whole result, SINK_PENDING
 * when the items it was given are in *items (imaplib's data list, for the
 * caller to print; [None] when there were none) and SINK_DROPPED when they
 * are gone (the caller reports typ with the tagged reply's data, as
 * imaplib does for NO).  free() releases the sink.
 */
#ifndef SINK_H
#define SINK_H

#include <stddef.h>
#include <stdint.h>

struct pyval;

enum sink_done {
	SINK_SHOWN,
	SINK_PENDING,
	SINK_DROPPED
};

struct sink;

struct sink_ops {
	void		(*item)(struct sink *, const struct pyval *);
	void		(*lit_begin)(struct sink *, const struct pyval *line,
			    uint64_t size);
	void		(*lit_data)(struct sink *, const char *, size_t);
	void		(*lit_end)(struct sink *);
	enum sink_done	(*done)(struct sink *, const char *typ, int cut,
			    struct pyval **items);
	void		(*free)(struct sink *);
};

struct sink {
	const struct sink_ops	*ops;
	/* A literal given as it came was not kept: what arrived of it is
	 * in the output only.  Set by the sink that streams literals. */
	int			 streams;
};

#endif
