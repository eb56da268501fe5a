/*
 * cmd.c: the command table, lookup, argument binding and dispatch.
 *
 * cmd_table[] is the one source of truth: help, usage lines, completion,
 * the man page check and the shell completions all read it.  Its order is
 * the order of help and of the man page's COMMANDS section.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd-list.h"
#include "crlf.h"
#include "hint.h"
#include "imap-quote.h"
#include "intr.h"
#include "py-print.h"
#include "sink-count.h"
#include "json-line.h"
#include "sink-json.h"
#include "sink-python.h"
#include "sink-raw.h"
#include "stage.h"
#include "term.h"
#include "trace.h"

const struct cmd_entry cmd_table[] = {
	/* connection and session */
	{
		.name = "connect",
		.group = "connection",
		.params = { "host=None", "port=None" },
		.types = { "word", "word" },
		.summary = "open a new connection (default: the last host and "
		    "port)",
		.imap = "",
		.example = "connect imap.example.org 143",
		.flags = CMD_LOCAL,
		.exec = cmd_connect,
	},
	{
		.name = "reconnect",
		.group = "connection",
		.summary = "connect again to the same host and port",
		.imap = "",
		.example = "reconnect",
		.flags = CMD_LOCAL,
		.exec = cmd_reconnect,
	},
	{
		.name = "starttls",
		.group = "connection",
		.summary = "start TLS on this connection (verified as "
		    "--cafile/--insecure say)",
		.imap = "STARTTLS",
		.capability = "STARTTLS",
		.example = "starttls",
		.exec = cmd_starttls,
	},
	{
		.name = "tls",
		.group = "connection",
		.summary = "show the TLS protocol, cipher suite and the "
		    "server's certificates",
		.imap = "",
		.example = "tls",
		.flags = CMD_NOT_IMAPLIB,
		.exec = cmd_tls,
	},
	{
		.name = "compress",
		.group = "connection",
		.summary = "compress the connection both ways "
		    "(COMPRESS=DEFLATE)",
		.imap = "COMPRESS DEFLATE",
		.capability = "COMPRESS=DEFLATE",
		.example = "compress",
		.flags = CMD_NOT_IMAPLIB,
		.exec = cmd_compress,
	},
	{
		.name = "login",
		.group = "connection",
		.params = { "user=None", "password=None" },
		.types = { "word", "word" },
		.summary = "identify with a plaintext password (prompted when "
		    "left out)",
		.imap = "LOGIN",
		.example = "login alice",
		.flags = CMD_SECRET,
		.exec = cmd_login,
	},
	{
		.name = "login_cram_md5",
		.group = "connection",
		.params = { "user=None", "password=None" },
		.types = { "word", "word" },
		.summary = "identify with CRAM-MD5, so the password itself is "
		    "never sent",
		.imap = "AUTHENTICATE CRAM-MD5",
		.capability = "AUTH=CRAM-MD5",
		.example = "login_cram_md5 alice",
		.flags = CMD_SECRET,
		.exec = cmd_login_cram_md5,
	},
	{
		.name = "authenticate",
		.group = "connection",
		.params = { "mechanism=None", "user=None", "secret=None" },
		.types = { "mech", "word", "word" },
		.summary = "log in with SASL (no mechanism: the best the "
		    "server offers)",
		.imap = "AUTHENTICATE",
		.capability = "AUTH=mechanism",
		.example = "authenticate SCRAM-SHA-256 alice",
		.flags = CMD_SECRET,
		.exec = cmd_authenticate,
	},
	{
		.name = "proxyauth",
		.group = "connection",
		.params = { "user" },
		.types = { "word" },
		.summary = "act as another user (an administrator's right)",
		.imap = "PROXYAUTH",
		.example = "proxyauth bob",
		.exec = cmd_proxyauth,
	},
	{
		.name = "logout",
		.group = "connection",
		.summary = "end the session; returns the server's BYE",
		.imap = "LOGOUT",
		.example = "logout",
		.exec = cmd_logout,
	},
	{
		.name = "capability",
		.group = "connection",
		.summary = "ask the server what it can do",
		.imap = "CAPABILITY",
		.example = "capability",
		.exec = cmd_capability,
	},
	{
		.name = "noop",
		.group = "connection",
		.summary = "do nothing; collects pending untagged responses",
		.imap = "NOOP",
		.example = "noop",
		.flags = CMD_PIPE,
		.exec = cmd_noop,
	},
	{
		.name = "namespace",
		.group = "connection",
		.summary = "show the personal, other users' and shared "
		    "namespaces",
		.imap = "NAMESPACE",
		.capability = "NAMESPACE",
		.example = "namespace",
		.flags = CMD_PIPE,
		.exec = cmd_namespace,
	},
	{
		.name = "xatom",
		.group = "connection",
		.params = { "name", "*args" },
		.types = { "word", "word" },
		.summary = "send any command the server advertises; returns "
		    "the tagged reply",
		.imap = "any",
		.example = "xatom ID NIL",
		.exec = cmd_xatom,
	},
	/* mailboxes */
	{
		.name = "select",
		.group = "mailboxes",
		.params = { "mailbox=INBOX", "readonly=False" },
		.types = { "mailbox", "bool" },
		.summary = "open a mailbox; returns its message count",
		.imap = "SELECT, EXAMINE when readonly",
		.example = "select INBOX True",
		.exec = cmd_select,
	},
	{
		.name = "close",
		.group = "mailboxes",
		.summary = "close the mailbox, removing messages marked "
		    "\\Deleted",
		.imap = "CLOSE",
		.example = "close",
		.exec = cmd_close,
	},
	{
		.name = "check",
		.group = "mailboxes",
		.summary = "ask for a checkpoint of the mailbox",
		.imap = "CHECK",
		.example = "check",
		.exec = cmd_check,
	},
	{
		.name = "expunge",
		.group = "mailboxes",
		.summary = "remove messages marked \\Deleted; returns their "
		    "numbers",
		.imap = "EXPUNGE",
		.example = "expunge",
		.exec = cmd_expunge,
	},
	{
		.name = "list",
		.group = "mailboxes",
		.params = { "directory=\"\"", "pattern=*" },
		.types = { "mailbox", "mailbox" },
		.summary = "list mailboxes matching a pattern",
		.imap = "LIST",
		.example = "list \"\" \"*\"",
		.flags = CMD_PIPE,
		.exec = cmd_list,
	},
	{
		.name = "lsub",
		.group = "mailboxes",
		.params = { "directory=\"\"", "pattern=*" },
		.types = { "mailbox", "mailbox" },
		.summary = "list subscribed mailboxes matching a pattern",
		.imap = "LSUB",
		.example = "lsub \"\" \"*\"",
		.flags = CMD_PIPE,
		.exec = cmd_lsub,
	},
	{
		.name = "status",
		.group = "mailboxes",
		.params = { "mailbox", "names" },
		.types = { "mailbox", "status" },
		.summary = "ask for a mailbox's counters without selecting it",
		.imap = "STATUS",
		.example = "status INBOX (MESSAGES UNSEEN UIDNEXT)",
		.flags = CMD_PIPE,
		.exec = cmd_status,
	},
	{
		.name = "create",
		.group = "mailboxes",
		.params = { "mailbox" },
		.types = { "mailbox" },
		.summary = "create a mailbox",
		.imap = "CREATE",
		.example = "create Archive/2024",
		.exec = cmd_create,
	},
	{
		.name = "delete",
		.group = "mailboxes",
		.params = { "mailbox" },
		.types = { "mailbox" },
		.summary = "delete a mailbox",
		.imap = "DELETE",
		.example = "delete Archive/2024",
		.exec = cmd_delete,
	},
	{
		.name = "rename",
		.group = "mailboxes",
		.params = { "oldmailbox", "newmailbox" },
		.types = { "mailbox", "mailbox" },
		.summary = "rename a mailbox",
		.imap = "RENAME",
		.example = "rename Drafts Old-Drafts",
		.exec = cmd_rename,
	},
	{
		.name = "subscribe",
		.group = "mailboxes",
		.params = { "mailbox" },
		.types = { "mailbox" },
		.summary = "add a mailbox to the subscribed list",
		.imap = "SUBSCRIBE",
		.example = "subscribe Archive",
		.exec = cmd_subscribe,
	},
	{
		.name = "unsubscribe",
		.group = "mailboxes",
		.params = { "mailbox" },
		.types = { "mailbox" },
		.summary = "remove a mailbox from the subscribed list",
		.imap = "UNSUBSCRIBE",
		.example = "unsubscribe Archive",
		.exec = cmd_unsubscribe,
	},
	/* messages */
	{
		.name = "search",
		.group = "messages",
		.params = { "charset", "*criteria" },
		.types = { "word", "search" },
		.summary = "find messages; returns their numbers (charset "
		    "None for none)",
		.imap = "SEARCH",
		.example = "search None FROM \"alice\" UNSEEN",
		.flags = CMD_PIPE,
		.exec = cmd_search,
	},
	{
		.name = "fetch",
		.group = "messages",
		.params = { "message_set", "message_parts" },
		.types = { "seq", "fetch" },
		.summary = "fetch message data; literals print as (header, "
		    "data) tuples",
		.imap = "FETCH",
		.example = "fetch 1:3 (FLAGS BODY.PEEK[HEADER])",
		.flags = CMD_PIPE,
		.exec = cmd_fetch,
	},
	{
		.name = "store",
		.group = "messages",
		.params = { "message_set", "command", "flags" },
		.types = { "seq", "store", "flags" },
		.summary = "change flags: FLAGS, +FLAGS or -FLAGS, .SILENT "
		    "optional",
		.imap = "STORE",
		.example = "store 1 +FLAGS \\Deleted",
		.exec = cmd_store,
	},
	{
		.name = "copy",
		.group = "messages",
		.params = { "message_set", "new_mailbox" },
		.types = { "seq", "mailbox" },
		.summary = "copy messages to another mailbox",
		.imap = "COPY",
		.example = "copy 1:5 Archive",
		.exec = cmd_copy,
	},
	{
		.name = "uid",
		.group = "messages",
		.params = { "command", "*args" },
		.types = { "command", "word" },
		.summary = "run FETCH, SEARCH, STORE, COPY... with UIDs "
		    "instead of numbers",
		.imap = "UID",
		.example = "uid FETCH 4827 (FLAGS)",
		.flags = CMD_PIPE,
		.exec = cmd_uid,
	},
	{
		.name = "append",
		.group = "messages",
		.params = { "mailbox", "flags", "date_time", "message=None" },
		.types = { "mailbox", "flags", "word", "file" },
		.summary = "add a message from <file or an inline <<TAG ... "
		    "TAG block",
		.imap = "APPEND",
		.example = "append INBOX (\\Seen) None <msg.eml",
		.flags = CMD_MESSAGE,
		.exec = cmd_append,
	},
	/* responses */
	{
		.name = "response",
		.group = "responses",
		.params = { "code" },
		.types = { "word" },
		.summary = "return (and forget) the data of an untagged "
		    "response or code",
		.imap = "",
		.example = "response UIDVALIDITY",
		.exec = cmd_response,
	},
	{
		.name = "recent",
		.group = "responses",
		.summary = "return RECENT responses, asking the server with "
		    "NOOP if none",
		.imap = "NOOP when needed",
		.example = "recent",
		.exec = cmd_recent,
	},
	{
		.name = "responses",
		.group = "responses",
		.summary = "show every untagged response kept (imaplib's "
		    "untagged_responses)",
		.imap = "",
		.example = "responses",
		.flags = CMD_LOCAL | CMD_NOT_IMAPLIB,
		.exec = cmd_responses,
	},
	{
		.name = "idle",
		.group = "responses",
		.params = { "duration=None" },
		.types = { "word" },
		.summary = "wait for news, printing responses as they come; "
		    "Ctrl-C or Enter ends it",
		.imap = "IDLE ... DONE",
		.capability = "IDLE",
		.example = "idle 300",
		.exec = cmd_idle,
	},
	{
		.name = "raw",
		.group = "responses",
		.params = { "line" },
		.types = { "word" },
		.summary = "send a line as typed (tag added unless given); "
		    "print every reply line",
		.imap = "any",
		.example = "raw UID FETCH 1:* (FLAGS)",
		.flags = CMD_NOT_IMAPLIB,
		.exec = cmd_raw,
	},
	/* acl and quota (cmd-ext.c) */
	{
		.name = "deleteacl",
		.group = "acl and quota",
		.params = { "mailbox", "who" },
		.types = { "mailbox", "word" },
		.summary = "remove every right an identifier has on a mailbox",
		.imap = "DELETEACL",
		.capability = "ACL",
		.example = "deleteacl Shared bob",
		.exec = cmd_deleteacl,
	},
	{
		.name = "getacl",
		.group = "acl and quota",
		.params = { "mailbox" },
		.types = { "mailbox" },
		.summary = "show who has which rights on a mailbox",
		.imap = "GETACL",
		.capability = "ACL",
		.example = "getacl INBOX",
		.flags = CMD_PIPE,
		.exec = cmd_getacl,
	},
	{
		.name = "setacl",
		.group = "acl and quota",
		.params = { "mailbox", "who", "what" },
		.types = { "mailbox", "word", "word" },
		.summary = "set an identifier's rights on a mailbox (+rights "
		    "adds, -rights removes)",
		.imap = "SETACL",
		.capability = "ACL",
		.example = "setacl Shared bob lrs",
		.exec = cmd_setacl,
	},
	{
		.name = "myrights",
		.group = "acl and quota",
		.params = { "mailbox" },
		.types = { "mailbox" },
		.summary = "show the rights you have on a mailbox",
		.imap = "MYRIGHTS",
		.capability = "ACL",
		.example = "myrights INBOX",
		.flags = CMD_PIPE,
		.exec = cmd_myrights,
	},
	{
		.name = "getquota",
		.group = "acl and quota",
		.params = { "root" },
		.types = { "word" },
		.summary = "show a quota root's usage and limits",
		.imap = "GETQUOTA",
		.capability = "QUOTA",
		.example = "getquota \"User quota\"",
		.flags = CMD_PIPE,
		.exec = cmd_getquota,
	},
	{
		.name = "getquotaroot",
		.group = "acl and quota",
		.params = { "mailbox" },
		.types = { "mailbox" },
		.summary = "show a mailbox's quota roots and their usage and "
		    "limits: [roots, quotas]",
		.imap = "GETQUOTAROOT",
		.capability = "QUOTA",
		.example = "getquotaroot INBOX",
		.exec = cmd_getquotaroot,
	},
	{
		.name = "setquota",
		.group = "acl and quota",
		.params = { "root", "limits" },
		.types = { "word", "word" },
		.summary = "set a quota root's limits (an administrator's "
		    "right)",
		.imap = "SETQUOTA",
		.capability = "QUOTA",
		.example = "setquota \"User quota\" (STORAGE 512000)",
		.exec = cmd_setquota,
	},
	/* extensions (cmd-ext.c) */
	{
		.name = "examine",
		.group = "extensions",
		.params = { "mailbox=INBOX" },
		.types = { "mailbox" },
		.summary = "open a mailbox read-only (select with "
		    "readonly=True)",
		.imap = "EXAMINE",
		.example = "examine Archive",
		.flags = CMD_NOT_IMAPLIB,
		.exec = cmd_examine,
	},
	{
		.name = "unselect",
		.group = "extensions",
		.summary = "close the mailbox without removing \\Deleted "
		    "messages",
		.imap = "UNSELECT",
		.capability = "UNSELECT",
		.example = "unselect",
		.exec = cmd_unselect,
	},
	{
		.name = "move",
		.group = "extensions",
		.params = { "message_set", "new_mailbox" },
		.types = { "seq", "mailbox" },
		.summary = "move messages to another mailbox",
		.imap = "MOVE",
		.capability = "MOVE",
		.example = "move 1:5 Archive",
		.flags = CMD_NOT_IMAPLIB,
		.exec = cmd_move,
	},
	{
		.name = "partial",
		.group = "extensions",
		.params = { "message_num", "message_part", "start", "length" },
		.types = { "seq", "fetch", "word", "word" },
		.summary = "fetch part of a message (IMAP2bis; obsolete, few "
		    "servers have it)",
		.imap = "PARTIAL",
		.example = "partial 1 BODY[TEXT] 0 1024",
		.exec = cmd_partial,
	},
	{
		.name = "sort",
		.group = "extensions",
		.params = { "sort_criteria", "charset", "*search_criteria" },
		.types = { "word", "word", "search" },
		.summary = "find messages and return their numbers sorted "
		    "(criteria get parentheses)",
		.imap = "SORT",
		.capability = "SORT",
		.example = "sort (REVERSE DATE) UTF-8 ALL",
		.flags = CMD_PIPE,
		.exec = cmd_sort,
	},
	{
		.name = "thread",
		.group = "extensions",
		.params = {
		    "threading_algorithm", "charset", "*search_criteria"
		},
		.types = { "word", "word", "search" },
		.summary = "find messages and return them as threads",
		.imap = "THREAD",
		.capability = "THREAD=algorithm",
		.example = "thread REFERENCES UTF-8 ALL",
		.flags = CMD_PIPE,
		.exec = cmd_thread,
	},
	{
		.name = "enable",
		.group = "extensions",
		.params = { "capability" },
		.types = { "word" },
		.summary = "turn on extensions; UTF8=ACCEPT switches to UTF-8 "
		    "mode",
		.imap = "ENABLE",
		.capability = "ENABLE",
		.example = "enable UTF8=ACCEPT",
		.exec = cmd_enable,
	},
	{
		.name = "id",
		.group = "extensions",
		.params = { "*fields" },
		.types = { "word" },
		.summary = "tell the server who you are and ask who it is: "
		    "name value pairs",
		.imap = "ID",
		.capability = "ID",
		.example = "id name imapsh version 0.1",
		.flags = CMD_NOT_IMAPLIB,
		.exec = cmd_id,
	},
	{
		.name = "getmetadata",
		.group = "extensions",
		.params = { "mailbox", "*entries" },
		.types = { "mailbox", "word" },
		.summary = "read annotations of a mailbox (\"\" for the "
		    "server)",
		.imap = "GETMETADATA",
		.capability = "METADATA",
		.example = "getmetadata INBOX /private/comment",
		.flags = CMD_NOT_IMAPLIB | CMD_PIPE,
		.exec = cmd_getmetadata,
	},
	{
		.name = "setmetadata",
		.group = "extensions",
		.params = { "mailbox", "entry", "value" },
		.types = { "mailbox", "word", "word" },
		.summary = "set an annotation of a mailbox (\"\" for the "
		    "server); None removes it",
		.imap = "SETMETADATA",
		.capability = "METADATA",
		.example = "setmetadata INBOX /private/comment \"to do\"",
		.flags = CMD_NOT_IMAPLIB,
		.exec = cmd_setmetadata,
	},
	{
		.name = "getannotation",
		.group = "extensions",
		.params = { "mailbox", "entry", "attribute" },
		.types = { "mailbox", "word", "word" },
		.summary = "read annotations (the ANNOTATEMORE draft, as "
		    "Cyrus has it)",
		.imap = "GETANNOTATION",
		.capability = "ANNOTATEMORE",
		.example = "getannotation INBOX \"/comment\" \"value.shared\"",
		.flags = CMD_PIPE,
		.exec = cmd_getannotation,
	},
	{
		.name = "setannotation",
		.group = "extensions",
		.params = { "*args" },
		.types = { "word" },
		.summary = "set annotations: mailbox then entry and attribute "
		    "list pairs",
		.imap = "SETANNOTATION",
		.capability = "ANNOTATEMORE",
		.example = "setannotation INBOX \"/comment\" "
		    "(\"value.shared\" \"hi\")",
		.exec = cmd_setannotation,
	},
	/* utilities: imaplib's module functions, modified UTF-7 (cmd-util.c) */
	{
		.name = "Internaldate2tuple",
		.group = "utilities",
		.params = { "resp" },
		.types = { "word" },
		.summary = "INTERNALDATE as local time.struct_time or None "
		    "(imaplib)",
		.imap = "",
		.example = "Internaldate2tuple '1 (INTERNALDATE \"17-Jul-1996 "
		    "02:44:25 -0700\")'",
		.flags = CMD_LOCAL,
		.exec = cmd_internaldate2tuple,
	},
	{
		.name = "Int2AP",
		.group = "utilities",
		.params = { "num" },
		.types = { "word" },
		.summary = "a number in the letters A-P, as tags are made "
		    "(imaplib)",
		.imap = "",
		.example = "Int2AP 4096",
		.flags = CMD_LOCAL,
		.exec = cmd_int2ap,
	},
	{
		.name = "ParseFlags",
		.group = "utilities",
		.params = { "resp" },
		.types = { "word" },
		.summary = "the flags of a FETCH response as a tuple (imaplib)",
		.imap = "",
		.example = "ParseFlags '1 (FLAGS (\\Seen \\Answered))'",
		.flags = CMD_LOCAL,
		.exec = cmd_parseflags,
	},
	{
		.name = "Time2Internaldate",
		.group = "utilities",
		.params = { "date_time" },
		.types = { "word" },
		.summary = "epoch seconds, now or a 9-tuple as INTERNALDATE "
		    "(imaplib)",
		.imap = "",
		.example = "Time2Internaldate (2024, 1, 5, 12, 0, 0, 4, 5, -1)",
		.flags = CMD_LOCAL,
		.exec = cmd_time2internaldate,
	},
	{
		.name = "utf7",
		.group = "utilities",
		.params = { "action", "name" },
		.types = { "word", "mailbox" },
		.summary = "encode a mailbox name to modified UTF-7, or "
		    "decode one",
		.imap = "",
		.example = "utf7 decode ~peter/mail/&U,BTFw-/&ZeVnLIqe-",
		.flags = CMD_LOCAL,
		.exec = cmd_utf7,
	},
	/* the shell itself */
	{
		.name = "help",
		.group = "shell",
		.params = { "command=None" },
		.types = { "command" },
		.summary = "list commands, or show one command's usage",
		.imap = "",
		.example = "help fetch",
		.flags = CMD_LOCAL,
		.exec = cmd_help,
	},
	{
		.name = "debug",
		.group = "shell",
		.params = { "level=None" },
		.types = { "word" },
		.summary = "show or set the trace level: 0 off ... 4 every "
		    "line, 5 all",
		.imap = "",
		.example = "debug 4",
		.flags = CMD_LOCAL,
		.exec = cmd_debug,
	},
	{
		.name = "set",
		.group = "shell",
		.params = { "name", "value" },
		.types = { "setting", "word" },
		.summary = "change a setting: format python|raw|json, color, "
		    "debug, timeout",
		.imap = "",
		.example = "set format json",
		.flags = CMD_LOCAL,
		.exec = cmd_set,
	},
	{
		.name = "show",
		.group = "shell",
		.params = { "name=None", "part=None" },
		.types = { "setting", "word" },
		.summary = "show the settings, or one of them; or messages to "
		    "read: show MSGSET [PART]",
		.imap = "FETCH (BODY.PEEK[]) for messages",
		.example = "show 3",
		.flags = CMD_LOCAL,
		.exec = cmd_show,
	},
	{
		.name = "log",
		.group = "shell",
		.summary = "show the last 10 lines sent and received "
		    "(imaplib's print_log)",
		.imap = "",
		.example = "log",
		.flags = CMD_LOCAL,
		.exec = cmd_log,
	},
	{
		.name = "quit",
		.alias = "exit",
		.group = "shell",
		.summary = "log out if connected, and leave",
		.imap = "LOGOUT",
		.example = "quit",
		.flags = CMD_LOCAL,
		.exec = cmd_quit,
	},
};
const size_t cmd_count = sizeof cmd_table / sizeof cmd_table[0];

static size_t	cmd_nparams(const struct cmd_entry *);
static int	cmd_bind(const struct cmd_entry *, struct words *,
		    struct cmd_args *, char **);
static size_t	cmd_edit_distance(const char *, const char *);
static int	cmd_read_heredoc(struct session *, const char *, struct buf *,
		    char **);
static char	*cmd_raw_heredoc_tag(const char *);
static void	cmd_exec_begin(struct session *, const struct cmd_entry *);
static int	cmd_run_raw(struct session *, const char *, struct words *,
		    enum cmd_status *);
static enum cmd_status cmd_lex_failed(struct session *, const char *, char *);
static const struct cmd_entry *cmd_prepare(struct session *, const char *,
		    struct words *, struct cmd_args *, struct buf *, int *);
static void	cmd_exec_end(struct session *, enum cmd_status);
static struct sink *cmd_sink_base(struct session *);
static void	cmd_sink_free(struct sink *);
static void	cmd_hint_line(struct session *, const struct cmd_entry *,
		    const char *, enum cmd_status);

static size_t
cmd_nparams(const struct cmd_entry *ce)
{
	size_t	n;

	for (n = 0; n < CMD_MAX_PARAMS && ce->params[n] != NULL; n++)
		;
	return (n);
}

static size_t
cmd_edit_distance(const char *a, const char *b)
{
	size_t	la = strlen(a), lb = strlen(b), i, j;
	size_t	row[64], prev, tmp;

	if (lb >= 64)
		return (64);
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = tolower((unsigned char)a[i - 1]) ==
			    tolower((unsigned char)b[j - 1]) ? prev :
			    1 + (prev < row[j] ? (prev < row[j - 1] ? prev :
			    row[j - 1]) : (row[j] < row[j - 1] ? row[j] :
			    row[j - 1]));
			prev = tmp;
		}
	}
	return (row[lb]);
}

const struct cmd_entry *
cmd_find(const char *name, char **cause)
{
	const struct cmd_entry	*found = NULL;
	struct buf		 b;
	size_t			 i, len = strlen(name), nfound = 0, d;

	for (i = 0; i < cmd_count; i++) {
		if (strcasecmp(cmd_table[i].name, name) == 0 ||
		    (cmd_table[i].alias != NULL &&
		    strcasecmp(cmd_table[i].alias, name) == 0))
			return (&cmd_table[i]);
	}
	for (i = 0; i < cmd_count; i++) {
		if (len > 0 && strncasecmp(cmd_table[i].name, name, len) == 0) {
			found = &cmd_table[i];
			nfound++;
		}
	}
	if (nfound == 1)
		return (found);
	buf_init(&b, 0);
	if (nfound > 1) {
		buf_printf(&b, "ambiguous command '%s': could be", name);
		for (i = 0; i < cmd_count; i++)
			if (strncasecmp(cmd_table[i].name, name, len) == 0)
				buf_printf(&b, " %s", cmd_table[i].name);
	} else {
		struct buf	 esc;
		int		 n = 0;

		buf_init(&esc, 0);
		term_escape(&esc, name, strlen(name));
		buf_printf(&b, "unknown command '%s'", esc.data);
		buf_free(&esc);
		for (i = 0; i < cmd_count; i++) {
			d = cmd_edit_distance(name, cmd_table[i].name);
			if (d <= 2 && d < strlen(cmd_table[i].name)) {
				buf_printf(&b, "%s%s", n++ == 0 ?
				    "; did you mean " : " or ",
				    cmd_table[i].name);
			}
		}
		buf_addstr(&b, n > 0 ? "? ('help' lists commands)" :
		    " ('help' lists commands)");
	}
	*cause = buf_steal(&b, NULL);
	return (NULL);
}

/* "select [mailbox [readonly]]" */
void
cmd_usage(const struct cmd_entry *ce, struct buf *b)
{
	size_t	i, n = cmd_nparams(ce), opened = 0;

	buf_addstr(b, ce->name);
	for (i = 0; i < n; i++) {
		const char	*p = ce->params[i];
		const char	*eq = strchr(p, '=');

		if (p[0] == '*')
			buf_printf(b, " [%s ...]", p + 1);
		else if (eq != NULL) {
			buf_printf(b, " [%.*s", (int)(eq - p), p);
			opened++;
		} else
			buf_printf(b, " %s", p);
	}
	while (opened-- > 0)
		buf_addc(b, ']');
	if (ce->flags & CMD_MESSAGE)
		buf_addstr(b, " <file | <<TAG");
}

/*
 * Bind words to parameters as Python binds call arguments, with Python's
 * TypeError wording on a mismatch.
 */
static int
cmd_bind(const struct cmd_entry *ce, struct words *w, struct cmd_args *ca,
    char **cause)
{
	size_t		 np = cmd_nparams(ce), i, j, npos = 0, nreq = 0;
	size_t		 maxpos = 0, given;
	int		 has_rest = 0;
	char		 pname[64];

	memset(ca, 0, sizeof *ca);
	ca->cmd = ce;
	ca->words = w;
	for (i = 0; i < np; i++) {
		if (ce->params[i][0] == '*')
			has_rest = 1;
		else {
			maxpos++;
			if (strchr(ce->params[i], '=') == NULL)
				nreq++;
		}
	}
	ca->rest = xcalloc(w->n + 1, sizeof *ca->rest);
	given = 0;
	for (i = 1; i < w->n; i++) {
		if (w->v[i].kw != NULL)
			continue;
		given++;
		if (npos < maxpos)
			ca->p[npos++] = &w->v[i];
		else if (has_rest)
			ca->rest[ca->nrest++] = &w->v[i];
		else {
			if (nreq == maxpos)
				xasprintf(cause, "%s() takes %zu positional "
				    "argument%s but %zu %s given", ce->name,
				    maxpos, maxpos == 1 ? "" : "s",
				    w->n - 1, w->n - 1 == 1 ? "was" : "were");
			else
				xasprintf(cause, "%s() takes from %zu to %zu "
				    "positional arguments but %zu %s given",
				    ce->name, nreq, maxpos, w->n - 1,
				    w->n - 1 == 1 ? "was" : "were");
			return (-1);
		}
	}
	for (i = 1; i < w->n; i++) {
		if (w->v[i].kw == NULL)
			continue;
		for (j = 0; j < np; j++) {
			size_t	l = strcspn(ce->params[j], "=");

			if (ce->params[j][0] != '*' &&
			    strlen(w->v[i].kw) == l &&
			    strncmp(ce->params[j], w->v[i].kw, l) == 0)
				break;
		}
		if (j == np) {
			xasprintf(cause, "%s() got an unexpected keyword "
			    "argument '%s'", ce->name, w->v[i].kw);
			return (-1);
		}
		if (ca->p[j] != NULL) {
			xasprintf(cause, "%s() got multiple values for "
			    "argument '%s'", ce->name, w->v[i].kw);
			return (-1);
		}
		ca->p[j] = &w->v[i];
	}
	{
		struct buf	 b;
		size_t		 nmiss = 0, k = 0;

		for (i = 0; i < maxpos; i++)
			if (ca->p[i] == NULL &&
			    strchr(ce->params[i], '=') == NULL)
				nmiss++;
		if (nmiss == 0)
			return (0);
		buf_init(&b, 0);
		buf_printf(&b, "%s() missing %zu required positional "
		    "argument%s: ", ce->name, nmiss, nmiss == 1 ? "" : "s");
		for (i = 0; i < maxpos; i++) {
			if (ca->p[i] != NULL ||
			    strchr(ce->params[i], '=') != NULL)
				continue;
			strlcpy(pname, ce->params[i], sizeof pname);
			k++;
			if (k > 1)
				buf_addstr(&b, k == nmiss ? (nmiss > 2 ?
				    ", and " : " and ") : ", ");
			buf_printf(&b, "'%s'", pname);
		}
		*cause = buf_steal(&b, NULL);
		return (-1);
	}
}

/* Default value of parameter i as a word, or NULL for None. */
static const struct word *cmd_default(const struct cmd_entry *, size_t);

static const struct word *
cmd_default(const struct cmd_entry *ce, size_t i)
{
	static struct word	 dw[CMD_MAX_PARAMS];
	static char		*dv[CMD_MAX_PARAMS];
	const char		*eq;

	if ((eq = strchr(ce->params[i], '=')) == NULL)
		return (NULL);
	eq++;
	if (strcmp(eq, "None") == 0)
		return (NULL);
	free(dv[i]);
	dv[i] = xstrdup(eq);
	memset(&dw[i], 0, sizeof dw[i]);
	dw[i].s = dv[i];
	dw[i].len = strlen(eq);
	if (eq[0] == '"')
		dw[i].kind = W_DQUOTED;
	else if (strcmp(eq, "True") == 0 || strcmp(eq, "False") == 0)
		dw[i].kind = W_BOOL;
	else
		dw[i].kind = W_BARE;
	return (&dw[i]);
}

/* Give the parameters left out their defaults. */
static void
cmd_defaults(const struct cmd_entry *ce, struct cmd_args *ca)
{
	size_t	i;

	for (i = 0; i < CMD_MAX_PARAMS && ce->params[i] != NULL; i++)
		if (ca->p[i] == NULL && ce->params[i][0] != '*')
			ca->p[i] = cmd_default(ce, i);
}

/* The TAG of a line ending in "<<TAG" or "<< TAG", looked at without the
 * lexer (for lines it refuses); NULL if there is none. */
static char *
cmd_raw_heredoc_tag(const char *line)
{
	const char	*end = line + strlen(line), *p, *start;

	while (end > line && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	for (p = end; p > line && p[-1] != ' ' && p[-1] != '\t'; p--)
		;
	start = p;
	if (end - start > 2 && strncmp(start, "<<", 2) == 0)
		return (xstrndup(start + 2, (size_t)(end - start - 2)));
	/* "<< TAG": the word before the last is "<<" */
	while (p > line && (p[-1] == ' ' || p[-1] == '\t'))
		p--;
	if (p - line >= 2 && strncmp(p - 2, "<<", 2) == 0 &&
	    (p - 2 == line || p[-3] == ' ' || p[-3] == '\t') && end > start)
		return (xstrndup(start, (size_t)(end - start)));
	return (NULL);
}

/* Read a heredoc body up to a line holding only tag. */
static int
cmd_read_heredoc(struct session *s, const char *tag, struct buf *body,
    char **cause)
{
	char	*line;
	int	 nul = 0;

	for (;;) {
		if (s->readline == NULL ||
		    (line = s->readline(s, "> ")) == NULL) {
			xasprintf(cause, "input ended before the line '%s' "
			    "that ends the message", tag);
			return (-1);
		}
		if (s->input_nul) {	/* a NUL would cut the line short */
			s->input_nul = 0;
			nul = 1;
		}
		if (strcmp(line, tag) == 0) {
			free(line);
			if (nul) {
				*cause = xstrdup("the inline message holds a "
				    "NUL byte; nothing was sent");
				return (-1);
			}
			return (0);
		}
		if (buf_addstr(body, line) == -1 ||
		    buf_addc(body, '\n') == -1) {
			free(line);
			*cause = xstrdup("inline message too large; use "
			    "<file instead");
			return (-1);
		}
		free(line);
	}
}

/* The heredoc body of the line being run, for append. */
static struct buf	*cmd_heredoc_body;

struct buf *
cmd_current_heredoc(void)
{
	return (cmd_heredoc_body);
}

enum cmd_status
cmd_run_line(struct session *s, const char *line)
{
	const struct cmd_entry	*ce;
	struct words		 w;
	struct cmd_args		 ca;
	struct buf		 body;
	enum cmd_status		 st;
	char			*cause = NULL;
	int			 have_body = 0, json = s->format == FMT_JSON;

	memset(&w, 0, sizeof w);
	if (json)
		json_line_begin(s->out);
	if (cmd_run_raw(s, line, &w, &st))
		goto out;
	if (lex_line(line, LEX_BREAKS, &w, &cause) == -1) {
		st = cmd_lex_failed(s, line, cause);
		goto out;
	}
	if (w.n == 0) {
		words_free(&w);
		return (CMD_OK);
	}
	/* An inline message belongs to this line whatever happens next. */
	buf_init(&body, 256u * 1024 * 1024);
	if ((ce = cmd_prepare(s, line, &w, &ca, &body, &have_body)) == NULL) {
		buf_free(&body);
		st = CMD_USAGE;
		goto out;
	}
	/* Not connected: the core still checks the state first, as imaplib
	 * does ("command SELECT illegal in state LOGOUT ..."), then says
	 * the connection is gone. */
	cmd_heredoc_body = have_body ? &body : NULL;
	cmd_exec_begin(s, ce);
	if (json && ((ce->flags & CMD_LOCAL) || ce->exec == cmd_tls))
		json_line_capture(s, 0);	/* text output: the data */
	if (s->no_session && !imap_connected(s->im) &&
	    (ce->flags & CMD_LOCAL) == 0)
		st = cmd_not_connected(s);
	else
		st = ce->exec(s, &ca);
	hint_after(s, &ca, st);
	cmd_heredoc_body = NULL;
	free(ca.rest);
	buf_wipe(&body);
	cmd_exec_end(s, st);
	words_free(&w);
	return (st);
out:
	words_free(&w);
	json_line_end(s, s->current_cmd, (int)st);
	s->current_cmd = NULL;
	out_flush(s->out);
	out_flush(s->err);
	if ((int)st > s->status)
		s->status = (int)st;
	return (st);
}

/* raw takes the rest of its line as typed: no lexer, no quoting.  1 (and
 * its status in *stp) when line was a raw command. */
static int
cmd_run_raw(struct session *s, const char *line, struct words *w,
    enum cmd_status *stp)
{
	const struct cmd_entry	*ce;
	struct cmd_args		 ca;
	const char		*p = line + strspn(line, " \t");
	char			*cause = NULL;

	if (strncasecmp(p, "raw", 3) != 0 || (p[3] != ' ' && p[3] != '\t' &&
	    p[3] != '\0'))
		return (0);
	if ((ce = cmd_find("raw", &cause)) == NULL) {
		free(cause);
		return (0);
	}
	s->current_cmd = ce->name;
	if (s->format == FMT_JSON)
		json_line_capture(s, 1);
	memset(&ca, 0, sizeof ca);
	ca.cmd = ce;
	ca.words = w;
	ca.line = p + 3 + strspn(p + 3, " \t");
	*stp = ce->exec(s, &ca);
	cmd_note_state(s);
	return (1);
}

/* A line the lexer refused (cause, taken): say why.  A line that ends in
 * <<TAG owns the lines up to TAG even so: they must not run as commands. */
static enum cmd_status
cmd_lex_failed(struct session *s, const char *line, char *cause)
{
	struct buf	 body;
	char		*tag;

	cmd_error(s, "%s", cause);
	free(cause);
	if ((tag = cmd_raw_heredoc_tag(line)) != NULL) {
		buf_init(&body, 256u * 1024 * 1024);
		cause = NULL;
		if (cmd_read_heredoc(s, tag, &body, &cause) == -1) {
			cmd_error(s, "%s", cause);
			free(cause);
		}
		buf_wipe(&body);
		free(tag);
	}
	return (CMD_USAGE);
}

/*
 * A lexed line made a command: its inline message read into body
 * (*have_body set), its entry found and its arguments bound in *ca (and
 * defaulted).  NULL after saying what is wrong (a usage error).
 */
static const struct cmd_entry *
cmd_prepare(struct session *s, const char *line, struct words *w,
    struct cmd_args *ca, struct buf *body, int *have_body)
{
	const struct cmd_entry	*ce;
	struct buf		 u;
	char			*cause = NULL;

	if (w->heredoc != NULL) {
		if (cmd_read_heredoc(s, w->heredoc, body, &cause) == -1) {
			cmd_error(s, "%s", cause);
			free(cause);
			return (NULL);
		}
		*have_body = 1;
	}
	if ((ce = cmd_find(w->v[0].s, &cause)) == NULL) {
		cmd_error(s, "%s", cause);
		free(cause);
		return (NULL);
	}
	s->current_cmd = ce->name;
	if ((w->redirect != NULL || w->heredoc != NULL) &&
	    (ce->flags & CMD_MESSAGE) == 0) {
		cmd_error(s, "%s takes no message: '<' is for append", ce->name);
		return (NULL);
	}
	if (cmd_bind(ce, w, ca, &cause) == -1) {
		ca->line = line;
		buf_init(&u, 0);
		cmd_usage(ce, &u);
		cmd_error(s, "%s\nusage: %s", cause, u.data);
		buf_free(&u);
		free(cause);
		free(ca->rest);
		return (NULL);
	}
	cmd_defaults(ce, ca);
	ca->line = line;
	return (ce);
}

/* 1 if FETCH items may set \Seen (BODY[...], BINARY[...], RFC822 and
 * RFC822.TEXT): such a fetch changes the mailbox. */
static int
cmd_fetch_sets_seen(const char *items)
{
	const char	*p;
	size_t		 i;
	char		 up[16];

	for (p = items; *p != '\0'; p++) {
		for (i = 0; i < sizeof up - 1 && p[i] != '\0'; i++)
			up[i] = (char)toupper((unsigned char)p[i]);
		up[i] = '\0';
		if (strncmp(up, "BODY[", 5) == 0 ||
		    strncmp(up, "BINARY[", 7) == 0)
			return (1);
		if (strncmp(up, "RFC822", 6) == 0 &&
		    strncmp(up + 6, ".HEADER", 7) != 0 &&
		    strncmp(up + 6, ".SIZE", 5) != 0)
			return (1);
	}
	return (0);
}

/* Around a command's run: what it prints through, and after it the
 * prompt's state, the output flushed and the worst status kept. */
static void
cmd_exec_begin(struct session *s, const struct cmd_entry *ce)
{
	s->current_cmd = ce->name;
	cmd_sink_free(imap_set_sink(s->im, (ce->flags & CMD_LOCAL) == 0 ?
	    cmd_sink_base(s) : NULL, NULL));
}

static void
cmd_exec_end(struct session *s, enum cmd_status st)
{
	cmd_sink_free(imap_set_sink(s->im, NULL, NULL));
	json_line_end(s, s->current_cmd, (int)st);
	s->current_cmd = NULL;
	cmd_note_state(s);
	out_flush(s->out);
	out_flush(s->err);
	if ((int)st > s->status)
		s->status = (int)st;
}

int
cmd_presend_line(struct session *s, const char *line)
{
	const struct cmd_entry	*ce;
	struct words		 w;
	struct cmd_args		 ca;
	const char		*items = NULL;
	char			*cause = NULL;
	size_t			 before;
	int			 sent = 0;

	memset(&w, 0, sizeof w);
	memset(&ca, 0, sizeof ca);
	if (lex_line(line, LEX_BREAKS, &w, &cause) == -1) {
		free(cause);
		return (0);
	}
	if (w.n == 0) {
		words_free(&w);
		return (2);
	}
	if (w.redirect != NULL || w.heredoc != NULL ||
	    s->nsent >= IMAP_AHEAD_MAX ||
	    (ce = cmd_find(w.v[0].s, &cause)) == NULL ||
	    (ce->flags & CMD_PIPE) == 0 ||
	    cmd_bind(ce, &w, &ca, &cause) == -1)
		goto out;
	cmd_defaults(ce, &ca);
	if (ce->exec == cmd_fetch)
		items = ca.p[1] != NULL ? ca.p[1]->s : "";
	else if (ce->exec == cmd_uid) {
		const char *sub = arg_str(ca.p[0]);

		if (strcasecmp(sub, "FETCH") == 0)
			items = ca.nrest >= 2 ? ca.rest[1]->s : "";
		else if (strcasecmp(sub, "SEARCH") != 0 &&
		    strcasecmp(sub, "SORT") != 0 &&
		    strcasecmp(sub, "THREAD") != 0)
			goto out;	/* UID STORE, COPY, MOVE, EXPUNGE */
	}
	if (items != NULL && cmd_fetch_sets_seen(items))
		goto out;
	ca.line = line;
	before = imap_ahead_count(s->im);
	s->presend = 1;
	ce->exec(s, &ca);
	s->presend = 0;
	if ((sent = imap_ahead_count(s->im) > before))
		s->sent[s->nsent++] = ce;
out:
	free(cause);
	free(ca.rest);
	words_free(&w);
	return (sent);
}

/* Results and errors. */

int
cmd_color(struct session *s, struct out *o)
{
	if (s->color_mode == COLOR_NEVER)
		return (0);
	if (s->color_mode == COLOR_ALWAYS)
		return (1);
	return (o->tty && getenv("NO_COLOR") == NULL &&
	    (getenv("TERM") == NULL || strcmp(getenv("TERM"), "dumb") != 0));
}

void
cmd_print(struct session *s, const char *typ, const struct pyval *data)
{
	struct pyval	*t;

	if (s->presend)
		return;
	switch (s->format) {
	case FMT_RAW:
		return;		/* sink-raw.c printed it as it came */
	case FMT_JSON:
		json_line_result(s->out, s->current_cmd, typ, data);
		return;
	}
	/* The tuple borrows data: it is taken out again before the free. */
	t = pv_tuple();
	pv_append(t, pv_str(typ));
	pv_append(t, (struct pyval *)(uintptr_t)data);
	if (cmd_color(s, s->out))
		out_highlight(s->out, 1, strlen(typ) + 2,
		    strcmp(typ, "NO") == 0 || strcmp(typ, "BAD") == 0 ?
		    "\033[1;31m" : "\033[1;32m", "\033[0m");
	py_print(s->out, t);
	out_flush(s->out);
	t->items[1] = NULL;
	pv_free(t);
}

enum cmd_status
cmd_result(struct session *s, const char *typ, struct pyval *data)
{
	enum cmd_status	 st;

	cmd_print(s, typ, data);
	pv_free(data);
	/* NO and BAD fail; OK, BYE (logout) and the codes that response
	 * returns as its type do not. */
	st = strcmp(typ, "NO") == 0 || strcmp(typ, "BAD") == 0 ? CMD_FAILED :
	    CMD_OK;
	return (st);
}

enum cmd_status
cmd_exc(struct session *s, enum imap_exc exc, char *msg)
{
	const char	*kind;

	if (s->presend) {		/* not sent ahead: it waits its turn */
		free(msg);
		return (CMD_FAILED);
	}
	switch (exc) {
	case IMAP_ABORT:
		kind = "abort";
		break;
	case IMAP_READONLY:
		kind = "readonly";
		break;
	default:
		kind = "error";
		break;
	}
	out_flush(s->out);
	if (s->format == FMT_JSON)
		json_line_error(kind, msg);
	if (s->lineno > 0)
		out_printf(s->err, "line %lld: ", s->lineno);
	if (cmd_color(s, s->err))
		out_printf(s->err, "\033[1;31m%s:\033[0m %s\n", kind, msg);
	else
		out_printf(s->err, "%s: %s\n", kind, msg);
	out_flush(s->err);
	free(msg);
	if (exc == IMAP_ABORT) {
		free(s->mailbox);
		s->mailbox = NULL;
		return (CMD_ABORT);
	}
	return (CMD_FAILED);
}

enum cmd_status
cmd_error(struct session *s, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (s->presend)
		return (CMD_FAILED);
	out_flush(s->out);
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	if (s->format == FMT_JSON)
		json_line_error("error", msg);
	if (s->lineno > 0)
		out_printf(s->err, "line %lld: ", s->lineno);
	out_puts(s->err, cmd_color(s, s->err) ? "\033[1;31merror:\033[0m " :
	    "error: ");
	out_puts(s->err, msg);
	out_putc(s->err, '\n');
	out_flush(s->err);
	free(msg);
	return (CMD_FAILED);
}

/* A line on stderr that is neither a result nor an error. */
void
cmd_notice(struct session *s, const char *fmt, ...)
{
	va_list	 ap;

	if (s->presend)
		return;
	out_flush(s->out);
	out_puts(s->err, "note: ");
	va_start(ap, fmt);
	out_vprintf(s->err, fmt, ap);
	va_end(ap);
	out_putc(s->err, '\n');
	out_flush(s->err);
}

int
cmd_need_connection(struct session *s)
{
	return (imap_connected(s->im));
}

/* Keep what the prompt shows in step with the session (the message
 * count follows the responses as they come: msgcount.c). */
void
cmd_note_state(struct session *s)
{
	if (!imap_connected(s->im) || imap_state(s->im) != IMAP_SELECTED) {
		free(s->mailbox);
		s->mailbox = NULL;
		s->exists = -1;
	}
}

/* The wire arguments of a command. */

void
wire_init(struct cmd_wire *cw)
{
	memset(cw, 0, sizeof *cw);
}

void
wire_free(struct cmd_wire *cw)
{
	size_t	i;

	for (i = 0; i < cw->n; i++) {
		if (cw->a[i].secret)
			buf_wipe(&cw->b[i]);
		else
			buf_free(&cw->b[i]);
		if (cw->a[i].spool != NULL)
			spool_unref(cw->a[i].spool);
		crlf_file_free(cw->a[i].file);
	}
	cw->n = 0;
}

static struct imap_arg *wire_next(struct cmd_wire *);

static struct imap_arg *
wire_next(struct cmd_wire *cw)
{
	struct imap_arg	*a;

	if (cw->n >= IMAP_MAX_ARGS)
		return (NULL);
	a = &cw->a[cw->n];
	memset(a, 0, sizeof *a);
	buf_init(&cw->b[cw->n], 0);
	cw->n++;
	return (a);
}

void
wire_text(struct cmd_wire *cw, const char *text)
{
	struct imap_arg	*a;

	if ((a = wire_next(cw)) == NULL)
		return;
	buf_addstr(&cw->b[cw->n - 1], text);
	a->type = IMAP_ARG_TEXT;
	a->s = cw->b[cw->n - 1].data;
	a->len = cw->b[cw->n - 1].len;
}

void
wire_literal_spool(struct cmd_wire *cw, struct spool *sp)
{
	struct imap_arg	*a;

	if ((a = wire_next(cw)) == NULL)
		return;
	a->type = IMAP_ARG_LITERAL;
	a->spool = spool_ref(sp);
}

void
wire_literal_file(struct cmd_wire *cw, struct crlf_file *cf)
{
	struct imap_arg	*a;

	if ((a = wire_next(cw)) == NULL) {
		crlf_file_free(cf);
		return;
	}
	a->type = IMAP_ARG_LITERAL;
	a->file = cf;
}

int
wire_value(struct cmd_wire *cw, struct session *s, const char *v,
    size_t len, int qflags, int secret, char **cause)
{
	struct imap_arg	*a;
	struct buf	*b;

	if ((a = wire_next(cw)) == NULL) {
		*cause = xstrdup("too many arguments");
		return (-1);
	}
	b = &cw->b[cw->n - 1];
	if (imap_utf8(s->im))
		qflags |= IMAPQ_UTF8;
	switch (imap_quote_arg(b, v, len, qflags)) {
	case IMAPQ_ATOM:
	case IMAPQ_QUOTED:
	case IMAPQ_ASIS:
		a->type = IMAP_ARG_TEXT;
		a->s = b->data != NULL ? b->data : "";
		a->len = b->len;
		break;
	case IMAPQ_LITERAL:
		buf_reset(b);
		if (buf_add(b, v, len) == -1) {
			cw->n--;
			buf_free(b);
			*cause = xstrdup("value too large to send");
			return (-1);
		}
		a->type = IMAP_ARG_LITERAL;
		a->s = b->data;
		a->len = b->len;
		break;
	case IMAPQ_INVALID:
		cw->n--;
		buf_free(b);
		*cause = xstrdup("a value with a line break or NUL cannot be "
		    "sent; nothing was sent");
		return (-1);
	}
	a->secret = secret;
	return (0);
}

int
wire_word(struct cmd_wire *cw, struct session *s, const struct word *w,
    int qflags, char **cause)
{
	struct imap_arg	*a;

	if (w == NULL || w->kind == W_NONE)
		return (0);
	switch (w->kind) {
	case W_DQUOTED:
	case W_NUMBER:
	case W_BOOL:
		if (memchr(w->s, '\r', w->len) != NULL ||
		    memchr(w->s, '\n', w->len) != NULL ||
		    memchr(w->s, '\0', w->len) != NULL) {
			*cause = xstrdup("a value with a line break or NUL "
			    "cannot be sent; nothing was sent");
			return (-1);
		}
		if ((qflags & IMAPQ_FORCE) == 0) {
			if ((a = wire_next(cw)) == NULL) {
				*cause = xstrdup("too many arguments");
				return (-1);
			}
			buf_add(&cw->b[cw->n - 1], w->s, w->len);
			a->type = IMAP_ARG_TEXT;
			a->s = cw->b[cw->n - 1].data;
			a->len = cw->b[cw->n - 1].len;
			return (0);
		}
		/* FALLTHROUGH */
	default:
		return (wire_value(cw, s, w->s, w->len, qflags, 0, cause));
	}
}

const char *
arg_str(const struct word *w)
{
	if (w == NULL || w->kind == W_NONE)
		return ("");
	return (w->s);
}

int
arg_is_none(const struct word *w)
{
	return (w == NULL || w->kind == W_NONE);
}

/* A Python truth value: True/False, 1/0, yes/no, readonly. */
int
arg_bool(const struct word *w, int *v, char **cause)
{
	const char	*s = arg_str(w);

	if (arg_is_none(w) || strcasecmp(s, "False") == 0 ||
	    strcmp(s, "0") == 0 || strcasecmp(s, "no") == 0 || *s == '\0') {
		*v = 0;
		return (0);
	}
	if (strcasecmp(s, "True") == 0 || strcmp(s, "1") == 0 ||
	    strcasecmp(s, "yes") == 0 || strcasecmp(s, "readonly") == 0) {
		*v = 1;
		return (0);
	}
	xasprintf(cause, "expected True or False, not '%s'", s);
	return (-1);
}

/* The error of a command whose connection died in the middle of a
 * literal: say the PARTIAL data above is incomplete. */
static void
cmd_partial_said(struct session *s, char **msg)
{
	char	*m = *msg;

	xasprintf(msg, "%s (the connection ended in the middle of a "
	    "literal: the PARTIAL data above is incomplete)", m);
	free(m);
	imap_partial_clear(s->im);
}

/*
 * The connection died in the middle of a literal: show what did arrive of
 * that response, as a ('PARTIAL', [...]) pair, and say so in the error;
 * unless a Ctrl-C dropped it (intr.h): then nothing of it is shown.
 */
void
cmd_show_partial(struct session *s, char **msg)
{
	struct pyval	*data;

	if ((data = imap_ur_pop(s->im, imap_partial(s->im))) != NULL &&
	    intr_count() == 0) {
		cmd_print(s, "PARTIAL", data);
		pv_free(data);
		cmd_partial_said(s, msg);
		return;
	}
	pv_free(data);
	imap_partial_clear(s->im);
}

/*
 * The sink of a command that returns the data of the untagged name
 * "untagged" (sink.h), by the output format: the python or JSON printer,
 * or, for raw output (already shown as it came), one that keeps nothing.
 * Commands sent ahead take the data from the dictionary as before.
 * Items already filed under the name come first, as they do in the value.
 * NULL when there is none.
 */
static struct sink *
cmd_sink_new(struct session *s, const char *untagged)
{
	struct pyval	*early;
	struct sink	*sk;
	char		*cause = NULL;
	size_t		 i;
	int		 color;

	if (untagged == NULL || s->presend)
		return (NULL);
	switch (s->format) {
	case FMT_RAW:
		sk = sink_raw_new(s->out, 1);
		break;
	case FMT_PYTHON:
	case FMT_JSON:
		if (s->stage == NULL && (s->stage = stage_new(&cause)) ==
		    NULL) {
			if (trace_level >= 1)
				trace_msg("no stage for results: %s", cause);
			free(cause);
			return (NULL);
		}
		if (s->format == FMT_JSON) {
			sk = sink_json_new(s->current_cmd != NULL ?
			    s->current_cmd : "", s->out, s->stage);
			break;
		}
		color = cmd_color(s, s->out);
		sk = sink_python_new(untagged, s->out, s->stage,
		    color ? "\033[1;32m" : NULL, color ? "\033[0m" : NULL);
		break;
	default:
		return (NULL);
	}
	/* Held for the tagged reply: a person at a terminal sees how many
	 * responses have come. */
	if (s->err->tty && s->format != FMT_RAW)
		sk = sink_count_new(sk, untagged, s->err);
	if ((early = imap_ur_pop(s->im, untagged)) != NULL) {
		for (i = 0; i < early->n; i++)
			sk->ops->item(sk, early->items[i]);
		pv_free(early);
	}
	cmd_sink_free(imap_set_sink(s->im, sk, untagged));
	return (sk);
}

/* The sink a command runs with until it chooses its own, and again
 * after it: --format raw's printer (every line as it comes), or none. */
static struct sink *
cmd_sink_base(struct session *s)
{
	return (s->format == FMT_RAW ? sink_raw_new(s->out, 1) : NULL);
}

static void
cmd_sink_free(struct sink *sk)
{
	if (sk != NULL)
		sk->ops->free(sk);
}

/*
 * End a command that had a sink: the sink prints the result or gives
 * back its items.  CMD_OK/CMD_FAILED when the result is settled (*data is
 * then NULL); -1 when the caller goes on with *data as the untagged
 * data (NULL: take it from the tagged reply as imaplib does).
 */
static int
cmd_sink_done(struct session *s, struct sink *sk, enum imap_exc e,
    const char *typ, const char *untagged, char **msg, struct pyval **data)
{
	enum sink_done	 d;
	struct pyval	*items;
	unsigned long long dropped;
	int		 cut;

	dropped = imap_sink_dropped(s->im);
	(void)imap_set_sink(s->im, cmd_sink_base(s), NULL);
	*data = NULL;
	/* Cut short by a Ctrl-C, the result is dropped, not PARTIAL. */
	cut = e == IMAP_ABORT && imap_partial(s->im) != NULL &&
	    strcmp(imap_partial(s->im), untagged) == 0 && intr_count() == 0;
	d = sk->ops->done(sk, e == IMAP_OK ? typ : NULL, cut, &items);
	sk->ops->free(sk);
	if (cut) {
		if (d == SINK_PENDING)
			cmd_print(s, "PARTIAL", items);
		pv_free(items);
		cmd_partial_said(s, msg);
		return (cmd_exc(s, e, *msg));
	}
	if (d == SINK_SHOWN && e == IMAP_OK) {
		imap_ur_delete(s->im, untagged);
		out_flush(s->out);
		return (CMD_OK);
	}
	if (dropped > 0 && e == IMAP_OK && strcmp(typ, "NO") == 0)
		cmd_notice(s, "%llu %s responses that came before the NO "
		    "were not kept (over %u KB): imaplib would return them "
		    "with the next command", dropped, untagged,
		    IMAP_SINK_KEEP / 1024);
	*data = items;
	return (-1);
}

/* The end of a command with data from the untagged name "untagged" (or
 * none): the result printed through its sink or as (typ, data). */
static enum cmd_status
cmd_simple_end(struct session *s, struct sink *sk, enum imap_exc e,
    char *typ, struct pyval *data, char *msg, const char *untagged)
{
	struct pyval	*out, *items = NULL;
	enum cmd_status	 st;
	int		 r;

	if (sk != NULL && (r = cmd_sink_done(s, sk, e, typ, untagged, &msg,
	    &items)) != -1) {
		if (e == IMAP_OK)
			pv_free(data);
		free(typ);
		return ((enum cmd_status)r);
	}
	if (e == IMAP_ERROR && untagged != NULL &&
	    strcmp(msg, IMAP_INTERRUPTED) == 0)
		imap_ur_delete(s->im, untagged);	/* the dropped result */
	if (e == IMAP_ABORT && imap_partial(s->im) != NULL)
		cmd_show_partial(s, &msg);
	if (e != IMAP_OK) {
		pv_free(items);
		return (cmd_exc(s, e, msg));
	}
	if (items != NULL && strcmp(typ, "NO") != 0) {
		pv_free(data);
		imap_ur_delete(s->im, untagged);
		out = items;
	} else if (untagged != NULL) {
		pv_free(items);
		imap_untagged_response(s->im, typ, data, untagged, &out);
	} else
		out = data;
	st = cmd_result(s, typ, out);
	free(typ);
	return (st);
}

/*
 * Run name with the wire arguments; print (typ, data), taking the data
 * from the untagged response "untagged" when it is not NULL.  While a
 * script's lines are offered for pipelining (s->presend), the command is
 * only sent: CMD_OK when it went (its line's turn takes the reply,
 * cmd_run_sent()), CMD_FAILED when it must wait.
 */
enum cmd_status
cmd_simple(struct session *s, const char *name, struct cmd_wire *cw,
    const char *untagged)
{
	struct pyval	*data = NULL;
	struct sink	*sk;
	enum imap_exc	 e;
	char		*typ = NULL, *msg = NULL;

	if (s->presend) {
		e = imap_send_ahead(s->im, name, cw != NULL ? cw->a : NULL,
		    cw != NULL ? cw->n : 0, untagged, &msg);
		if (cw != NULL)
			wire_free(cw);
		free(msg);
		return (e == IMAP_SENT ? CMD_OK : CMD_FAILED);
	}
	sk = cmd_sink_new(s, untagged);
	e = imap_simple_command(s->im, name, cw != NULL ? cw->a : NULL,
	    cw != NULL ? cw->n : 0, &typ, &data, &msg);
	if (cw != NULL)
		wire_free(cw);
	return (cmd_simple_end(s, sk, e, typ, data, msg, untagged));
}

/*
 * The turn of a line whose command was sent ahead (cmd_presend_line()):
 * take its reply and print it, without parsing or building the command
 * again.  -1 when nothing sent ahead waits (the connection was lost
 * since): the line is then run as any other.
 */
int
cmd_run_sent(struct session *s, const char *line, enum cmd_status *stp)
{
	const struct cmd_entry	*ce;
	struct pyval		*data = NULL;
	struct sink		*sk;
	enum imap_exc		 e;
	const char		*key;
	char			*typ = NULL, *msg = NULL, *untagged;

	if (s->nsent == 0 || imap_ahead_next(s->im, &key) == NULL) {
		s->nsent = 0;
		return (-1);
	}
	ce = s->sent[0];
	memmove(&s->sent[0], &s->sent[1], --s->nsent * sizeof s->sent[0]);
	untagged = key != NULL ? xstrdup(key) : NULL;
	if (s->format == FMT_JSON)
		json_line_begin(s->out);
	cmd_exec_begin(s, ce);
	sk = cmd_sink_new(s, untagged);
	e = imap_collect_ahead(s->im, &typ, &data, &msg);
	*stp = cmd_simple_end(s, sk, e, typ, data, msg, untagged);
	cmd_hint_line(s, ce, line, *stp);
	cmd_exec_end(s, *stp);
	free(untagged);
	return (0);
}

/* The hints for a line whose command ran without its arguments at hand
 * (cmd_run_sent()): they are read from the line again. */
static void
cmd_hint_line(struct session *s, const struct cmd_entry *ce,
    const char *line, enum cmd_status st)
{
	struct words	 w;
	struct cmd_args	 ca;
	char		*cause = NULL;

	memset(&w, 0, sizeof w);
	memset(&ca, 0, sizeof ca);
	if (lex_line(line, LEX_BREAKS, &w, &cause) == 0 && w.n > 0 &&
	    cmd_bind(ce, &w, &ca, &cause) == 0) {
		cmd_defaults(ce, &ca);
		ca.line = line;
		hint_after(s, &ca, st);
	}
	free(cause);
	free(ca.rest);
	words_free(&w);
}

/* Forget the commands sent ahead whose lines will not run: their
 * replies are dropped when they come. */
void
cmd_drop_sent(struct session *s)
{
	s->nsent = 0;
	imap_ahead_orphan(s->im);
}

const char *const cmd_settings[] = { "color", "debug", "format", "timeout",
    NULL };

int
cmd_setting(struct session *s, const char *name, const char *value,
    char **cause)
{
	const char	*errstr;
	long long	 n;

	if (strcasecmp(name, "format") == 0) {
		if (strcasecmp(value, "python") == 0)
			s->format = FMT_PYTHON;
		else if (strcasecmp(value, "raw") == 0)
			s->format = FMT_RAW;
		else if (strcasecmp(value, "json") == 0)
			s->format = FMT_JSON;
		else {
			xasprintf(cause, "format must be python, raw or json, "
			    "not '%s'", value);
			return (-1);
		}
	} else if (strcasecmp(name, "color") == 0 ||
	    strcasecmp(name, "colour") == 0) {
		if (strcasecmp(value, "auto") == 0)
			s->color_mode = COLOR_AUTO;
		else if (strcasecmp(value, "always") == 0)
			s->color_mode = COLOR_ALWAYS;
		else if (strcasecmp(value, "never") == 0)
			s->color_mode = COLOR_NEVER;
		else {
			xasprintf(cause, "color must be auto, always or never, "
			    "not '%s'", value);
			return (-1);
		}
	} else if (strcasecmp(name, "debug") == 0) {
		n = strtonum(value, 0, TRACE_MAX_LEVEL, &errstr);
		if (errstr != NULL) {
			xasprintf(cause, "debug level must be 0 to %d, not "
			    "'%s'", TRACE_MAX_LEVEL, value);
			return (-1);
		}
		trace_level = (int)n;
	} else if (strcasecmp(name, "timeout") == 0) {
		n = strtonum(value, 0, 86400, &errstr);
		if (errstr != NULL) {
			xasprintf(cause, "timeout must be 0 to 86400 seconds, "
			    "not '%s'", value);
			return (-1);
		}
		s->timeout_ms = (int)n * 1000;
		if (s->im != NULL)	/* config.c's scratch has none */
			imap_set_timeout(s->im, s->timeout_ms);
	} else {
		xasprintf(cause, "unknown setting '%s': color, debug, format "
		    "or timeout", name);
		return (-1);
	}
	return (0);
}

/*
 * Send name with the words first[] then rest[] by the quoting rule (None
 * left out) and print (typ, data), the data taken from the untagged
 * response "untagged" when it is not NULL.
 */
enum cmd_status
cmd_words(struct session *s, struct cmd_args *ca, const char *name,
    const struct word **first, size_t nfirst, const struct word **rest,
    size_t nrest, const char *untagged)
{
	struct cmd_wire	 cw;
	enum cmd_status	 st;
	char		*cause = NULL;
	size_t		 i;

	wire_init(&cw);
	for (i = 0; i < nfirst + nrest; i++) {
		const struct word *w = i < nfirst ? first[i] : rest[i - nfirst];

		if (wire_word(&cw, s, w, 0, &cause) == -1) {
			wire_free(&cw);
			st = cmd_error(s, "%s: %s", ca->cmd->name, cause);
			free(cause);
			return (st);
		}
	}
	return (cmd_simple(s, name, &cw, untagged));
}

/* Send name with the first n bound parameters. */
enum cmd_status
cmd_params(struct session *s, struct cmd_args *ca, const char *name,
    size_t n, const char *untagged)
{
	return (cmd_words(s, ca, name, ca->p, n, NULL, 0, untagged));
}

/* "(text)" unless text is in parentheses already (flags, sort criteria). */
void
arg_parens(struct buf *b, const char *text)
{
	size_t	len = strlen(text);

	if (len == 0 || text[0] != '(' || text[len - 1] != ')')
		buf_printf(b, "(%s)", text);
	else
		buf_addstr(b, text);
}
