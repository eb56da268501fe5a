/*
 * imap-private.h: the fields of the session (struct imap) and the
 * functions the core's files share (imap.c, imap-queue.c, imap-literal.c,
 * imap-raw.c), the core's own.
 *
 * Only the core includes it: the rest of imapsh reads the session through
 * the functions of imap.h, and the session changes only inside the core,
 * on the replies that change it.  What watches or prints the responses
 * is a sink (sink.h), set through imap_set_sink() and imap_set_watch().
 */
#ifndef IMAP_PRIVATE_H
#define IMAP_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "imap.h"

struct buf;
struct imap_event;
struct pyval;
struct spool;

#define IMAP_RBUF_SIZE		(256 * 1024)
#define IMAP_MEM_BUDGET		(512u * 1024) /* literal bytes in RAM */
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
	size_t		 bytes;		/* its items' cost, of ahead_bytes */
	unsigned long long dropped;	/* items past the budget, not kept */
	size_t		 dropped_budget; /* the budget they passed */
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
	imap_progress_fn	 progress;
	void			*progress_arg;
	/* Pipelining: commands sent ahead, oldest first, and how many may
	 * be (imap_set_ahead_max()). */
	struct imap_ahead	*ahead;
	size_t			 nahead;
	size_t			 ahead_max;
	/* Bytes in the buckets of all of them, and the budget they share
	 * (0: IMAP_UNTAGGED_BUDGET). */
	size_t			 ahead_bytes;
	size_t			 ahead_budget;
	/* The sink of the command in flight (sink.h): the items filed
	 * under sink_key (none when it is NULL) go to it, not to the
	 * dictionary, and literals too big to keep in memory as they come
	 * (when it streams); its optional ops see every untagged response
	 * and every line and literal chunk. */
	struct sink		*sink;
	const char		*sink_key;
	/* What the dictionary still keeps of the sink's items, for
	 * imaplib's next command should this one not end OK (bytes, under
	 * IMAP_SINK_KEEP), and how many it did not keep past that. */
	uint64_t		 sink_kept;
	unsigned long long	 sink_dropped;
	/* The session's watch (imap_set_watch()). */
	struct sink		*watch;
	char			*host;
	char			*port;
};

/*
 * The core's own functions, shared by its files: imap.c (the session),
 * imap-queue.c (commands sent ahead), imap-literal.c (literals in and
 * out) and imap-raw.c (the raw command).
 */

/* imap.c */
/* A read or write failed with cause (taken): abort, as imap.c says. */
enum imap_exc	 imap_fail_io(struct imap *, char **msg, char *cause);
enum imap_exc	 imap_fail(struct imap *, enum imap_exc, char **,
		    const char *, ...)
		    __attribute__((__format__(__printf__, 4, 5)));
enum imap_exc	 imap_next_event(struct imap *, struct imap_event *, char **);
enum imap_exc	 imap_next_line(struct imap *, struct imap_event *, char **);
void		 imap_file_untagged(struct imap *, const char *,
		    struct pyval *, int);
void		 imap_append_untagged(struct imap *, const char *,
		    struct pyval *);
int		 imap_sink_takes(const struct imap *, const char *);
int		 imap_may_notify(const struct imap *);
void		 imap_sink_wire(struct imap *, const char *, size_t, int);
void		 imap_trace_sent(const char *, size_t);
size_t		 imap_args_text(const struct imap_arg *, size_t, size_t,
		    struct buf *, struct buf *);
enum imap_exc	 imap_may_send(struct imap *, const char *, char **);
enum imap_exc	 imap_command_start(struct imap *, char **);
enum imap_exc	 imap_new_command(struct imap *, char **);
void		 imap_take_reply(struct imap *, char **, struct pyval **);
enum imap_exc	 imap_command_finish(struct imap *, const char *, char **,
		    struct pyval **, char **);
void		 imap_state_before(struct imap *, const char *);
void		 imap_state_after(struct imap *, const char *, int);
enum imap_exc	 imap_continuations(struct imap *, imap_cont_fn, void *,
		    char **);

/* imap-queue.c */
struct imap_ahead *imap_queue_find(struct imap *, const char *, size_t);
void		 imap_queue_remove(struct imap *, size_t);
void		 imap_queue_clear(struct imap *);
struct imap_ahead *imap_queue_fetch_owner(struct imap *, unsigned long long,
		    const struct pyval *);
void		 imap_queue_file_fetch(struct imap *, const char *,
		    struct pyval *, struct imap_ahead *, int);

/* imap-literal.c */
enum imap_exc	 imap_literal_drain(struct imap *, struct imap_event *,
		    char **);
enum imap_exc	 imap_literal_untagged(struct imap *, struct imap_event *,
		    const char *, struct pyval **, struct pyval *,
		    struct pyval *, char **);
enum imap_exc	 imap_literal_send(struct imap *, const struct imap_arg *,
		    struct buf *, struct buf *, int *, char **);
int		 imap_literal_write_spool(struct imap *, struct spool *,
		    uint64_t, char **);

#endif
