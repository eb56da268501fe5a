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
 * the sink does (sink-python.c prints imaplib's value; sink-raw.c prints
 * the lines as they come and keeps nothing).
 *
 * done() ends the result: typ is the tagged reply's type, or NULL when the
 * command did not end with one (the connection went away or the command
 * was interrupted); cut is set when the connection ended in the middle of
 * a literal of this result, which is then imaplib's PARTIAL data.  done()
 * returns SINK_SHOWN when the sink printed the whole result, SINK_PENDING
 * when the items it was given are in *items (imaplib's data list, for the
 * caller to print; [None] when there were none) and SINK_DROPPED when they
 * are gone (the caller reports typ with the tagged reply's data, as
 * imaplib does for NO).  free() releases the sink.  item may be NULL in
 * a sink set with no untagged name (imap_set_sink()), and the literal ops
 * in one that does not stream: the core never calls them there.
 *
 * Two ops are optional (NULL when a sink does not want them), for sinks
 * that see more than their command's own items:
 * - untagged() is given every untagged response as it is filed, whatever
 *   its name: the name and the items it added (a (line, literal) tuple per
 *   literal, then the rest of the line).  IDLE's printer is the IDLE
 *   command's sink through it, and the session's watch (imap_set_watch(),
 *   which learns what the prompt and completion show) is a sink with this
 *   op alone.
 * - wire() is given every line (without its CRLF, literal 0) and every
 *   literal chunk (literal 1) as received, while its command runs: the raw
 *   printer (sink-raw.c) prints them.  A sink with wire() that streams
 *   keeps nothing of any literal too big to keep in memory: it was shown
 *   as it came, and is filed as b''.
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
	void		(*untagged)(struct sink *, const char *name,
			    const struct pyval *items);
	void		(*wire)(struct sink *, const char *, size_t,
			    int literal);
};

struct sink {
	const struct sink_ops	*ops;
	/* A literal given as it came was not kept: what arrived of it is
	 * in the output only.  Set by the sink that streams literals. */
	int			 streams;
	/* The command is imapsh's own, not the person's (completion's
	 * hidden LIST): none of the sink's items is also kept in the
	 * untagged-responses dictionary, the core's notices wait for the
	 * next command, and the trace is held (trace_hold()).  Set by the
	 * sink's maker. */
	int			 quiet;
};

/* done() of a sink that keeps no items: *items NULL; SINK_SHOWN when typ
 * is OK (what it was given is shown, or was all it wanted), else
 * SINK_DROPPED. */
enum sink_done	 sink_done_nothing_kept(struct sink *, const char *typ,
		    int cut, struct pyval **items);

#endif
