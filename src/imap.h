/*
 * imap.h: the protocol core, an IMAP4rev1 client session that behaves as
 * Python's imaplib.IMAP4 does.
 *
 * It owns the tags (a random Int2AP prefix and a counter), the state
 * (NONAUTH, AUTH, SELECTED, LOGOUT, changed only here, on the replies
 * that change it), the capability cache, the untagged-responses
 * dictionary (imap-untagged.c: per response name, in arrival order, as
 * imaplib keeps it, under a byte budget), and the commands in flight (the
 * one being run and those a script sent ahead).  Each line from the
 * server is made a typed record (imap-resp.c) and dispatched on.  It
 * never prints: results are returned as Python-shaped values (pyval.h),
 * failures as an imaplib-style exception kind with its message, and the
 * debug trace goes through trace.h.
 *
 * Literal data from the server is kept in memory when small and moved to
 * a spool file otherwise, so a response of any size costs bounded memory;
 * the data of the command's own untagged name goes to the command's sink
 * (sink.h) as it comes, keeping nothing.
 *
 * The session is opaque: imap_new() makes one, functions below read what
 * the rest of imapsh needs of it (imap_state(), imap_caps() ...), and
 * settings go in through setters (imap_set_timeout() ...).
 */
#ifndef IMAP_H
#define IMAP_H

#include <stddef.h>
#include <stdint.h>

#include "pyval.h"
#include "imap-commands.h"
#include "imap-untagged.h"
#include "sink.h"
#include "transport.h"
#include "xmalloc.h"

struct crlf_file;
/* The session; its fields are the core's own (imap-private.h). */
struct imap;

/* imaplib's exception classes; IMAP_OK means no exception. */
enum imap_exc {
	IMAP_OK = 0,
	IMAP_ERROR,	/* IMAP4.error: the command failed, session usable */
	IMAP_ABORT,	/* IMAP4.abort: the connection is gone */
	IMAP_READONLY,	/* IMAP4.readonly */
	IMAP_SENT	/* imap_send_ahead(): sent, imap_collect_ahead() takes
			   the reply */
};

/* One argument of a command as it goes on the wire. */
enum imap_arg_type {
	IMAP_ARG_TEXT,		/* already encoded; a space goes before it */
	IMAP_ARG_LITERAL,	/* {N} then wait for "+" then the bytes */
	IMAP_ARG_TRAILER	/* encoded text with no space before it */
};

struct imap_arg {
	enum imap_arg_type	 type;
	const char		*s;	/* text, or literal bytes in memory */
	size_t			 len;
	struct spool		*spool;	/* or literal bytes in a spool */
	struct crlf_file	*file;	/* or a message file, sent from where
					   it is with CRLF line ends (crlf.h) */
	int			 secret; /* redact in the trace */
};

#define IMAP_AHEAD_MAX		64	/* commands in flight at most */

/* How the core tells the person something mid-command: the front end
 * prints it, the core never does. */
typedef void	(*imap_notify_fn)(void *, const char *);
/* How far a big literal has come (done == total at the end); sending is
 * 1 for a literal going out. */
typedef void	(*imap_progress_fn)(void *, uint64_t done, uint64_t total,
		    int sending);

#define IMAP_TAG_PREFIX_SIZE	17	/* imap_tag_prefix(), with its NUL */
#define IMAP_MAX_ARGS		64
#define IMAP_LIT_MEM_MAX	(64 * 1024)	/* bigger literals spool */
#define IMAP_SINK_KEEP		(1024u * 1024)	/* sink items also kept */

/* Every protocol function below returns an enum imap_exc and, when it is
 * not IMAP_OK, an allocated message in *msg (imaplib's str(exception)). */

/* A session with no connection yet, each read and write of which waits
 * at most timeout_ms; imap_free() ends it (NULL is nothing). */
struct imap	*imap_new(int timeout_ms);
void		 imap_free(struct imap *);

/* Take over a connected transport: read the greeting, learn the
 * capabilities, as IMAP4.__init__ does after open(). */
enum imap_exc	 imap_open(struct imap *, struct transport *,
		    const char *host, const char *port, char **msg);
void		 imap_shutdown(struct imap *);
int		 imap_connected(const struct imap *);

/* What the session is: its state, whether the mailbox selected is
 * read-only, whether UTF8=ACCEPT is enabled, whether the connection is
 * TLS (implicit or after STARTTLS) and compressed. */
enum imap_state	 imap_state(const struct imap *);
int		 imap_readonly(const struct imap *);
int		 imap_utf8(const struct imap *);
int		 imap_tls(const struct imap *);
int		 imap_compressed(const struct imap *);
/* The capability cache, upper-cased; valid until the next command. */
const char *const *imap_caps(const struct imap *, size_t *ncaps);
/* The tags' random prefix: a new one is a new connection. */
const char	*imap_tag_prefix(const struct imap *);
/* The greeting line (bytes), or NULL before one. */
const struct pyval *imap_welcome(const struct imap *);
/* The connection, or NULL when there is none. */
struct transport *imap_transport(const struct imap *);
/* 1 while a command waits for its tagged reply. */
int		 imap_busy(const struct imap *);
/* How many commands were sent ahead and still await their run, and how
 * many more may be. */
size_t		 imap_ahead_count(const struct imap *);
size_t		 imap_ahead_room(const struct imap *);
/* The untagged name holding a literal that a disconnect cut short, or
 * NULL; imap_partial_clear() once it has been reported. */
const char	*imap_partial(const struct imap *);
void		 imap_partial_clear(struct imap *);
/* How many items of the sink's name the dictionary did not keep for the
 * command in flight (over IMAP_SINK_KEEP); see imap_set_sink(). */
unsigned long long imap_sink_dropped(const struct imap *);

/* Settings: the timeout of each read and write, in ms; who is told what
 * the core has to say mid-command, and who draws a big literal's
 * progress (NULL: nobody). */
void		 imap_set_timeout(struct imap *, int timeout_ms);
void		 imap_set_notify(struct imap *, imap_notify_fn, void *);
void		 imap_set_progress(struct imap *, imap_progress_fn, void *);

/*
 * _simple_command(name, *args): check the state, send, wait for the
 * tagged reply.  *typ and *data (a PV_LIST) are imaplib's (typ, data).
 * A BAD reply is an IMAP_ERROR ("NAME command error: BAD [b'...']").
 */
enum imap_exc	 imap_simple_command(struct imap *, const char *name,
		    const struct imap_arg *, size_t nargs, char **typ,
		    struct pyval **data, char **msg);

/*
 * Pipelining (RFC 3501, 5.5).  imap_send_ahead() sends a command whose
 * reply is taken later: IMAP_SENT, or IMAP_ERROR (*msg set, nothing sent)
 * when it must wait for the replies before it.  key is the untagged name
 * its data is filed under (NULL for none): two commands whose data would
 * mix are not both in flight.  imap_ahead_next() names the oldest such
 * command (and its key) whose reply is still to be taken, or NULL;
 * imap_collect_ahead() takes it, as imap_simple_command() does for a
 * command it sends.  imap_ahead_orphan() drops them all: their replies
 * are read and dropped when they come.
 */
enum imap_exc	 imap_send_ahead(struct imap *, const char *name,
		    const struct imap_arg *, size_t nargs, const char *key,
		    char **msg);
const char	*imap_ahead_next(const struct imap *, const char **key);
enum imap_exc	 imap_collect_ahead(struct imap *, char **typ,
		    struct pyval **data, char **msg);
void		 imap_ahead_orphan(struct imap *);
/*
 * The bytes the responses of the FETCHes sent ahead that come before
 * their runs may hold, all together (0: IMAP_UNTAGGED_BUDGET, the
 * dictionary's).  Past it a FETCH's later responses are dropped, and its
 * run says so once through the notify function.
 */
void		 imap_set_ahead_budget(struct imap *, size_t bytes);
/* How many commands may be sent ahead of their runs: IMAP_AHEAD_MAX at
 * most and by default; 0 sends each only when its turn comes (what
 * --no-pipeline asks). */
void		 imap_set_ahead_max(struct imap *, size_t);

/*
 * A command whose continuations are answered by cont (AUTHENTICATE):
 * cont gets the continuation text (NULL for a bare "+") and appends the
 * line to send; it leaves *secret set when the line must be redacted.
 * It returns 0, or -1 to give up (the server will not end the exchange):
 * the command then aborts with the text cont left in the buffer.
 */
typedef int	(*imap_cont_fn)(void *, const char *, struct buf *, int *);
enum imap_exc	 imap_command_cont(struct imap *, const char *name,
		    const struct imap_arg *, size_t nargs, imap_cont_fn,
		    void *, char **typ, struct pyval **data, char **msg);

/* _untagged_response(typ, dat, name): consumes dat. */
void		 imap_untagged_response(struct imap *, const char *typ,
		    struct pyval *dat, const char *name, struct pyval **out);

/*
 * starttls(): send STARTTLS and, on OK, start TLS over the current
 * transport.  A byte the server sent after the tagged OK and before the
 * handshake is an injection attempt: abort.  After the handshake
 * everything learned in cleartext is forgotten and CAPABILITY asked anew.
 */
enum imap_exc	 imap_starttls(struct imap *, const struct tls_opts *,
		    char **typ, struct pyval **data, char **msg);

/* COMPRESS DEFLATE; on OK the connection is compressed from then on. */
enum imap_exc	 imap_compress(struct imap *, char **typ, struct pyval **data,
		    char **msg);

/* ENABLE with args: imaplib's enable(); UTF8=ACCEPT among them, once
 * OK, turns on UTF-8 strings (imap_utf8()). */
enum imap_exc	 imap_enable(struct imap *, const struct imap_arg *,
		    size_t nargs, char **typ, struct pyval **data, char **msg);

/* raw: a command as typed, after the user's tag or ours: text pieces
 * (IMAP_ARG_TRAILER) and literals (IMAP_ARG_LITERAL, in a spool), each
 * literal announced by the end of the text before it: {N} or {N+}; cont
 * answers any other "+". */
enum imap_exc	 imap_raw_command(struct imap *, const char *tag,
		    const struct imap_arg *parts, size_t nparts,
		    imap_cont_fn cont, void *arg, char **typ,
		    struct pyval **data, char **msg);

/* IDLE (RFC 2177): begin waits for "+" (or returns the tagged refusal in
 * *typ); done sends DONE and returns the tagged reply. */
enum imap_exc	 imap_idle_begin(struct imap *, char **typ,
		    struct pyval **data, char **msg);
enum imap_exc	 imap_idle_done(struct imap *, char **typ,
		    struct pyval **data, char **msg);
/* 1 if bytes are waiting in imapsh's buffers (poll would not see them). */
int		 imap_buffered(struct imap *);
int		 imap_rfd(struct imap *);

/* Make sk the sink of the commands run from now on (NULL: none): it is
 * given the items of the untagged name key (NULL: none) and, through its
 * optional ops, every untagged response and every line and literal chunk
 * received (sink.h); key must outlive the sink's use.  Returns the sink it
 * replaces, for the caller to put back or free. */
struct sink	*imap_set_sink(struct imap *, struct sink *sk, const char *key);
/* Make sk the session's watch (NULL: none): its untagged op is given
 * every untagged response as it is filed, whatever command runs, after
 * the command's sink.  The caller keeps sk. */
void		 imap_set_watch(struct imap *, struct sink *sk);

/* Read one response and file it (used by recent, and by idle later). */
enum imap_exc	 imap_get_response(struct imap *, int *continuation,
		    char **msg);

/* The message of the error a cancelled (Ctrl-C) command ends with. */
#define IMAP_INTERRUPTED	"interrupted"

/* The untagged-responses dictionary. */
const struct pyval *imap_ur_find(struct imap *, const char *name);
struct imap_untagged *imap_ur(struct imap *);
struct pyval	*imap_ur_pop(struct imap *, const char *name);
void		 imap_ur_clear(struct imap *);
void		 imap_ur_delete(struct imap *, const char *name);

int		 imap_has_cap(const struct imap *, const char *);
enum imap_exc	 imap_get_capabilities(struct imap *, char **msg);

#endif
