/*
 * cmd.c: the command table, lookup and argument binding.
 *
 * cmd_table[] is the one source of truth: help, usage lines, completion,
 * the man page check and the shell completions all read it.  Its order is
 * the order of help and of the man page's COMMANDS section.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd-list.h"
#include "term.h"

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
		.flags = CMD_NOT_IMAPLIB | CMD_TEXT,
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
		.build = cmd_noop_build,
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
		.exec = cmd_build_exec,
		.build = cmd_namespace_build,
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
		.flags = CMD_MAILBOXES,
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
		.exec = cmd_build_exec,
		.build = cmd_list_build,
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
		.exec = cmd_build_exec,
		.build = cmd_lsub_build,
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
		.exec = cmd_build_exec,
		.build = cmd_status_build,
	},
	{
		.name = "create",
		.group = "mailboxes",
		.params = { "mailbox" },
		.types = { "mailbox" },
		.summary = "create a mailbox",
		.imap = "CREATE",
		.example = "create Archive/2024",
		.flags = CMD_MAILBOXES,
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
		.flags = CMD_MAILBOXES,
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
		.flags = CMD_MAILBOXES,
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
		.exec = cmd_build_exec,
		.build = cmd_search_build,
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
		.exec = cmd_build_exec,
		.ahead = cmd_fetch_ahead,
		.build = cmd_fetch_build,
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
		.exec = cmd_build_exec,
		.ahead = cmd_uid_ahead,
		.build = cmd_uid_build,
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
		.flags = CMD_NOT_IMAPLIB | CMD_MAILBOXES | CMD_LINE,
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
		.exec = cmd_build_exec,
		.build = cmd_getacl_build,
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
		.exec = cmd_build_exec,
		.build = cmd_myrights_build,
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
		.exec = cmd_build_exec,
		.build = cmd_getquota_build,
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
		.exec = cmd_build_exec,
		.build = cmd_sort_build,
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
		.exec = cmd_build_exec,
		.build = cmd_thread_build,
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
		.exec = cmd_build_exec,
		.build = cmd_getmetadata_build,
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
		.exec = cmd_build_exec,
		.build = cmd_getannotation_build,
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
static size_t	cmd_edit_distance(const char *, const char *);

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
int
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
void
cmd_defaults(const struct cmd_entry *ce, struct cmd_args *ca)
{
	size_t	i;

	for (i = 0; i < CMD_MAX_PARAMS && ce->params[i] != NULL; i++)
		if (ca->p[i] == NULL && ce->params[i][0] != '*')
			ca->p[i] = cmd_default(ce, i);
}
