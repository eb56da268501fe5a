/*
 * imap-private.h: the fields of the session (struct imap), the core's own.
 *
 * Only the core includes it: the rest of imapsh reads the session through
 * the functions of imap.h, and the session changes only inside the core,
 * on the replies that change it.  (The raw tap and the untagged observer
 * are still set from outside, in cmd.c, cmd-raw.c, cmd-idle.c and
 * complete.c, which include this header for them alone until the raw
 * printer, IDLE's printer and completion's LIST are sinks.)
 */
#ifndef IMAP_PRIVATE_H
#define IMAP_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "imap.h"

#define IMAP_RBUF_SIZE		(256 * 1024)
#define IMAP_MEM_BUDGET		(512u * 1024) /* literal bytes in RAM */
#define IMAP_MAX_UR_ITEMS	500000		/* items kept for a FETCH sent
						   ahead, before its run */
#define IMAP_PROGRESS_MIN	(4u * 1024 * 1024) /* literals worth a bar */

/* A command sent ahead of its run (pipelining), oldest first. */
struct imap_ahead {
	char		*tag;
	char		*name;
	char		*key;		/* the untagged name its run takes */
	int		 done;		/* its tagged reply arrived */
	int		 orphan;	/* no run will take it: drop the reply */
	char		*typ;
	struct pyval	*data;
	/* A FETCH's message set (lo, hi pairs; UIDs for UID FETCH), by
	 * which its responses are told from another FETCH's, and those
	 * that came before its run. */
	uint32_t	*set;
	size_t		 nset;
	int		 byuid;
	struct pyval	*bucket;
};

struct imap {
	struct transport	*tr;
	struct imap_parser	*parser;
	char			*rbuf;
	size_t			 roff, rlen;

	char			 tagpre[IMAP_TAG_PREFIX_SIZE];
	unsigned long		 tagnum;
	char			*pending_tag;	/* tag of the command in flight */
	int			 pending_done;	/* tagged reply arrived */
	char			*pending_typ;
	struct pyval		*pending_data;

	enum imap_state		 state;
	int			 is_readonly;
	int			 utf8_enabled;
	int			 tls_established;
	int			 compressed;	/* COMPRESS=DEFLATE is on */
	char			*partial;	/* untagged name holding a literal
						   cut short by a disconnect */
	char			**caps;		/* upper-cased */
	size_t			 ncaps;
	const char		*protocol_version;
	struct pyval		*welcome;	/* bytes: the greeting line */
	char			*continuation;	/* last "+" text, or NULL */

	struct imap_untagged	*ut;
	uint64_t		 mem_literals;	/* literal bytes held in RAM */
	struct spool		*spool;		/* shared spool for literals */

	int			 timeout_ms;
	int			 cancelled;	/* Ctrl-C: drain, then drop */
	int			 sending;	/* a literal is being sent */
	/* How the core tells the person something mid-command (the
	 * command layer prints it; the core never does). */
	imap_notify_fn		 notify;
	void			*notify_arg;
	/* Every untagged response as it is filed: its name and the items it
	 * added (idle prints them as they come). */
	void			(*on_untagged)(void *, const char *,
				    const struct pyval *);
	void			*on_untagged_arg;
	imap_progress_fn	 progress;
	void			*progress_arg;
	/* Every line and literal chunk as received (raw output). */
	void			(*tap)(void *, const char *, size_t, int);
	void			*tap_arg;
	/* Pipelining: commands sent ahead, oldest first. */
	struct imap_ahead	*ahead;
	size_t			 nahead;
	/* The tap is the output: literals past the memory budget are
	 * passed to it and not kept (they are filed as b''). */
	int			 tap_only;
	/* The sink of the command in flight (sink.h): the items filed
	 * under sink_key go to it, not to the dictionary, and literals too
	 * big to keep in memory as they come (when it streams). */
	struct sink		*sink;
	const char		*sink_key;
	/* What the dictionary still keeps of the sink's items, for
	 * imaplib's next command should this one not end OK (bytes, under
	 * IMAP_SINK_KEEP), and how many it did not keep past that. */
	uint64_t		 sink_kept;
	unsigned long long	 sink_dropped;
	char			*host;
	char			*port;
};

#endif
