/*
 * cmd.h: the command table and the session the commands act on.
 *
 * One struct cmd_entry per command, one table (cmd_table[] in cmd.c) that
 * drives lookup (case-insensitive, unique prefix, ambiguity listed),
 * argument binding, help, completion and the --list-commands listing that
 * the man page and the shell completions are checked against.  Every
 * imaplib method is a command of the same name whose parameters are the
 * method's parameters: they bind from words positionally or, in the Python
 * call form, by keyword, and a mistake is reported the way Python reports
 * it ("fetch() missing 1 required positional argument: 'message_parts'").
 */
#ifndef CMD_H
#define CMD_H

#include <stddef.h>

#include "imap.h"
#include "lex.h"
#include "output.h"
#include "pyval.h"

/* What a command's run adds to the exit status (worst one wins). */
enum cmd_status {
	CMD_OK = 0,	/* typ OK (or a local command that worked) */
	CMD_FAILED = 1,	/* typ NO/BAD, or an error exception */
	CMD_USAGE = 2,	/* the line could not be run as typed */
	CMD_ABORT = 3	/* connection, TLS or protocol failure */
};

/* Output formats and colour modes. */
#define FMT_PYTHON	0	/* imaplib's value as a Python literal */
#define FMT_RAW		1	/* the server's lines as received */
#define FMT_JSON	2	/* one JSON object per command */
#define COLOR_AUTO	0
#define COLOR_ALWAYS	1
#define COLOR_NEVER	2

/* Connection modes. */
#define CONN_PLAIN	0	/* TCP; starttls by hand if wanted */
#define CONN_IMPLICIT	1	/* TLS from the start (imaps) */
#define CONN_STARTTLS	2	/* TCP, STARTTLS required before anything */

/* Argument types, for completion and help. */
#define CMD_MAX_PARAMS	8

struct session;
struct cmd_args;
struct cmd_built;

struct cmd_entry {
	const char	*name;
	const char	*alias;
	const char	*group;		/* heading in help */
	/* Python-style parameters: "name", "name=default", "*name".  A
	 * default is the text a missing argument takes ("INBOX", "None"). */
	const char	*params[CMD_MAX_PARAMS];
	/* Completion type of each parameter: mailbox, seq, fetch, flags,
	 * search, status, store, bool, command, file, mech, setting, word. */
	const char	*types[CMD_MAX_PARAMS];
	const char	*summary;
	const char	*imap;		/* what it sends, "" for local */
	const char	*capability;	/* needed capability, or NULL */
	const char	*example;
	int		 flags;
	enum cmd_status	(*exec)(struct session *, struct cmd_args *);
	/* For a CMD_PIPE command whose arguments decide whether it changes
	 * something: 1 if these do not, so a script may send it ahead. */
	int		(*ahead)(const struct cmd_args *);
	/* For a CMD_PIPE command: describe the command the bound
	 * arguments make (struct cmd_built, cmd-build.c), printing and
	 * sending nothing; -1 and *cause (allocated) on bad arguments. */
	int		(*build)(struct session *, struct cmd_args *,
			    struct cmd_built *, char **cause);
};

#define CMD_SECRET	0x1	/* arguments may hold a secret: no history */
#define CMD_MESSAGE	0x2	/* takes a message: <file or <<TAG */
#define CMD_LOCAL	0x4	/* needs no connection */
#define CMD_HIDDEN	0x8	/* alias-like, not listed separately */
#define CMD_NOT_IMAPLIB	0x10	/* an IMAP command imaplib has no method for */
#define CMD_PIPE	0x20	/* changes nothing: a script may pipeline it */
#define CMD_TEXT	0x40	/* prints text, not (typ, data): JSON takes
				   the text as the data */
#define CMD_MAILBOXES	0x80	/* may add, remove or rename mailboxes */
#define CMD_LINE	0x100	/* takes the rest of its line as typed,
				   not lexed into words */

struct cmd_args {
	const struct cmd_entry	*cmd;
	const char		*line;	/* the line as typed */
	struct words		*words;
	/* Bound parameters: a word, or NULL when absent (default). */
	const struct word	*p[CMD_MAX_PARAMS];
	/* The *varargs parameter's words. */
	const struct word	**rest;
	size_t			 nrest;
};

/* Where the next line of input comes from (heredoc bodies, passwords). */
typedef char	*(*session_readline_fn)(struct session *, const char *prompt);

struct session {
	struct imap	*im;		/* the protocol session (imap.h) */
	struct out	*out;		/* results */
	struct out	*err;		/* error lines */

	char		*host;		/* connection target */
	char		*port;
	char		*user;		/* from user@host, for a bare login */
	int		 family;
	int		 timeout_ms;

	int		 interactive;	/* a person at a terminal */
	int		 stop_on_error;	/* -e */
	int		 no_session;	/* none since -n or a failed connect:
					   commands say "not connected" */
	long long	 lineno;	/* batch: the input line running (the
					   Nth -c is line N), named in
					   errors; 0 for none */
	int		 status;	/* worst status so far */
	int		 quit;

	/* How to connect (options and URL forms). */
	int		 tls_mode;	/* CONN_PLAIN, CONN_IMPLICIT, ... */
	char		*stream_cmd;	/* -s: a child process instead */
	struct tls_opts	 tls;
	int		 allow_cleartext; /* credentials over plain TCP */
	int		 no_sasl_ir;
	/* Where secrets come from when a command leaves them out. */
	char		*password_file;
	int		 use_netrc;
	char		*token;
	char		*token_file;
	char		*token_command;
	char		*service_host;	/* GSSAPI: imap@HOST, else host */

	/* Settings (set/show, and their options). */
	int		 format;	/* FMT_PYTHON, FMT_RAW, FMT_JSON */
	int		 color_mode;	/* COLOR_AUTO, COLOR_ALWAYS, ... */
	const char	*current_cmd;	/* the command being run */
	long long	 progress_t0;	/* progress line: start, last draw */
	long long	 progress_last;

	char		*mailbox;	/* selected mailbox, for the prompt */
	int		 utf7_names;	/* --utf7-names: prompt shows it decoded */
	long long	 exists;	/* its message count, -1 unknown */

	session_readline_fn readline;	/* NULL: no more input */
	int		 input_nul;	/* the last line read held a NUL */
	void		*readline_arg;

	/* What Tab completion remembers (complete.c), or NULL. */
	struct complete_cache *complete;
	/* Where login finds the password: a command (the config file's
	 * password-command), tried after password_file. */
	char		*password_command;
	/* The commands sent ahead whose lines are still to run, oldest
	 * first (cmd_presend_line(), cmd_run_sent()). */
	const struct cmd_entry *sent[IMAP_AHEAD_MAX];
	size_t		 nsent;
	/* Where results are held until their tagged reply (stage.h). */
	struct stage	*stage;
};

extern const struct cmd_entry	cmd_table[];
extern const size_t		cmd_count;

/* Run one input line; returns its status and folds it into s->status. */
enum cmd_status	 cmd_run_line(struct session *, const char *line);
/* Pipelining: send the line's command now if it changes nothing and
 * needs no reply first (its run prints the result later); 1 if sent, 2
 * for a line with no command, 0 when it must wait for its turn. */
int		 cmd_presend_line(struct session *, const char *line);
int		 cmd_run_sent(struct session *, const char *line,
		    enum cmd_status *);
void		 cmd_drop_sent(struct session *);

/* Lookup: exact name or alias, else a unique prefix.  On failure NULL and
 * *cause says "unknown command" (with close names) or lists the
 * ambiguous matches. */
const struct cmd_entry *cmd_find(const char *name, char **cause);
/* "fetch message_set message_parts" */
void		 cmd_usage(const struct cmd_entry *, struct buf *);
/* Bind words to the command's parameters as Python binds call
 * arguments (-1 and *cause, in TypeError's words, on a mismatch); then
 * give those left out their defaults. */
int		 cmd_bind(const struct cmd_entry *, struct words *,
		    struct cmd_args *, char **cause);
void		 cmd_defaults(const struct cmd_entry *, struct cmd_args *);

/* Helpers shared by the cmd-*.c files. */
enum cmd_status	 cmd_result(struct session *, const char *typ,
		    struct pyval *data);
/* Print (typ, data) in the session's format; data is not consumed. */
void		 cmd_print(struct session *, const char *typ,
		    const struct pyval *data);
/* 1 if colour goes to out (a terminal, or --color=always). */
int		 cmd_color(struct session *, struct out *);
/* Parse a setting's value into the session; -1 and *cause if bad. */
int		 cmd_setting(struct session *, const char *name,
		    const char *value, char **cause);
extern const char *const cmd_settings[];
enum cmd_status	 cmd_exc(struct session *, enum imap_exc, char *msg);
enum cmd_status	 cmd_error(struct session *, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));
void		 cmd_notice(struct session *, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));
int		 cmd_need_connection(struct session *);
/* After an abort mid-literal: print what arrived, amend *msg; or only
 * amend it, when what arrived was printed as it came. */
void		 cmd_show_partial(struct session *, char **msg);
void		 cmd_partial_said(struct session *, char **msg);
void		 cmd_note_state(struct session *);

/* Building the wire arguments of a command. */
struct cmd_wire {
	struct imap_arg	 a[IMAP_MAX_ARGS];
	struct buf	 b[IMAP_MAX_ARGS];
	size_t		 n;
};
void		 wire_init(struct cmd_wire *);
void		 wire_free(struct cmd_wire *);
/* Add a word by the quoting rule; None adds nothing.  -1 with *cause
 * when the value cannot be sent. */
int		 wire_word(struct cmd_wire *, struct session *,
		    const struct word *, int qflags, char **cause);
/* Add a value by the quoting rule. */
int		 wire_value(struct cmd_wire *, struct session *, const char *,
		    size_t, int qflags, int secret, char **cause);
/* Add text as is. */
void		 wire_text(struct cmd_wire *, const char *);
void		 wire_literal_spool(struct cmd_wire *, struct spool *);
/* A message file as a literal; the wire owns it from then on. */
void		 wire_literal_file(struct cmd_wire *, struct crlf_file *);

/* The value of a bound word as text ("" for NULL/None). */
const char	*arg_str(const struct word *);
int		 arg_is_none(const struct word *);
int		 arg_bool(const struct word *, int *, char **);

/* Words first[] then rest[] by the quoting rule; (typ, data) printed. */
enum cmd_status	 cmd_words(struct session *, struct cmd_args *,
		    const char *name, const struct word **, size_t,
		    const struct word **, size_t, const char *untagged);
/*
 * A command described before it runs (cmd-build.c): what its builder
 * (struct cmd_entry's build) fills from the bound arguments, run now by
 * cmd_build_run() or sent ahead by cmd_presend_line() as it is.
 */
struct cmd_built {
	const char	*name;		/* the IMAP command, "FETCH" */
	struct cmd_wire	 wire;		/* its arguments */
	char		*untagged;	/* the untagged name whose data it
					   returns, or NULL */
};
void		 cmd_build_init(struct cmd_built *);
void		 cmd_build_free(struct cmd_built *);
/* Add words first[] then rest[] to the wire by the quoting rule; -1 and
 * *cause ("fetch: ...") when one cannot be sent. */
int		 cmd_build_words(struct cmd_built *, struct session *,
		    const struct cmd_args *, const struct word **, size_t,
		    const struct word **, size_t, char **cause);
/* name with the first n bound parameters, returning untagged's data. */
int		 cmd_build_params(struct cmd_built *, struct session *,
		    struct cmd_args *, const char *name, size_t n,
		    const char *untagged, char **cause);
/* Run a built command through cmd_simple() (r 0), or print cause, why
 * it could not be built (r -1); the command and cause are freed. */
enum cmd_status	 cmd_build_run(struct session *, struct cmd_built *, int r,
		    char *cause);
/* The exec of a command with a builder: build, then run. */
enum cmd_status	 cmd_build_exec(struct session *, struct cmd_args *);

/* The first n bound parameters, as cmd_words. */
enum cmd_status	 cmd_params(struct session *, struct cmd_args *,
		    const char *name, size_t n, const char *untagged);
/* Append "(text)" to b, or text as is when it is parenthesised. */
void		 arg_parens(struct buf *, const char *);

/* A (typ, data) pair run through imap_simple_command. */
enum cmd_status	 cmd_simple(struct session *, const char *name,
		    struct cmd_wire *, const char *untagged);
/* cmd_simple()'s parts (cmd-simple.c), for a command whose reply is taken
 * later (cmd_run_sent()): the sink the format calls for, for the data of
 * untagged (NULL when there is none); the end of the command with it. */
struct sink	*cmd_sink_new(struct session *, const char *untagged);
enum cmd_status	 cmd_simple_end(struct session *, struct sink *,
		    enum imap_exc, char *typ, struct pyval *data, char *msg,
		    const char *untagged);
/* The sink a command runs with until it chooses its own (the raw
 * printer under --format raw, else none); freeing one, or NULL. */
struct sink	*cmd_sink_base(struct session *);
void		 cmd_sink_free(struct sink *);

/* The body of the line's <<TAG inline message, or NULL. */
struct buf	*cmd_current_heredoc(void);

/* The command families. */
enum cmd_status	 cmd_session_connect(struct session *, const char *host,
		    const char *port);
/* The password (or token) for user: from the command line's sources or
 * asked for on the terminal.  NULL with an error printed. */
char		*cmd_secret(struct session *, const char *user, int token);
/* 0 if credentials may be sent now; else prints why not and -1. */
int		 cmd_cleartext_check(struct session *, const char *what);

#endif
