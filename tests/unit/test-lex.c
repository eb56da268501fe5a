/*
 * test-lex.c: the tokenizer of lex.c, table-driven.  Each case gives a
 * line, the flags, and either the expected error (a substring of the
 * cause) or the expected words with their kinds, values, keyword names
 * and offsets, and the end state.  The table was generated when this file
 * was written from a list of (line, expected words' raw text) pairs, so
 * the offsets were computed, not counted by hand.
 *
 * Besides the table: every word of every shell-form case must cover
 * exactly its offsets; every prefix of every case must lex in LEX_PARTIAL
 * without a crash or leak (run it under ASan); and words_free() must be
 * safe after a failure.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"
#include "tap.h"

#define MAXWORDS	8

struct word_case {
	enum word_kind	 kind;
	const char	*s;		/* NULL ends the list */
	size_t		 len;
	const char	*kw;
	size_t		 start;
	size_t		 end;
};

struct lex_case {
	const char	*desc;
	const char	*line;
	int		 flags;
	const char	*cause;		/* expected error, or NULL */
	int		 callform;
	const char	*redirect;
	const char	*heredoc;
	int		 open_quote;
	int		 open_depth;
	int		 trailing_blank;
	struct word_case words[MAXWORDS];
};

static const struct lex_case lex_cases[] = {
	{ "search None FROM \"LDJ\"",
	    "search None FROM \"LDJ\"", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "search", 6, NULL, 0, 6 },
		{ W_NONE, "None", 4, NULL, 7, 11 },
		{ W_BARE, "FROM", 4, NULL, 12, 16 },
		{ W_DQUOTED, "\"LDJ\"", 5, NULL, 17, 22 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "store with a flag list",
	    "store 1 +FLAGS (\\Deleted)", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "store", 5, NULL, 0, 5 },
		{ W_BARE, "1", 1, NULL, 6, 7 },
		{ W_BARE, "+FLAGS", 6, NULL, 8, 14 },
		{ W_BARE, "(\\Deleted)", 10, NULL, 15, 25 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "append with <file",
	    "append INBOX (\\Seen) None <msg.eml", 0,
	    NULL, 0, "msg.eml", NULL, 0, 0, 0, {
		{ W_BARE, "append", 6, NULL, 0, 6 },
		{ W_BARE, "INBOX", 5, NULL, 7, 12 },
		{ W_BARE, "(\\Seen)", 7, NULL, 13, 20 },
		{ W_NONE, "None", 4, NULL, 21, 25 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "append with <<TAG",
	    "append INBOX None None <<EOM", 0,
	    NULL, 0, NULL, "EOM", 0, 0, 0, {
		{ W_BARE, "append", 6, NULL, 0, 6 },
		{ W_BARE, "INBOX", 5, NULL, 7, 12 },
		{ W_NONE, "None", 4, NULL, 13, 17 },
		{ W_NONE, "None", 4, NULL, 18, 22 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "list \"\" *",
	    "list \"\" *", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "list", 4, NULL, 0, 4 },
		{ W_DQUOTED, "\"\"", 2, NULL, 5, 7 },
		{ W_BARE, "*", 1, NULL, 8, 9 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "login user 'pa ss'",
	    "login user 'pa ss'", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "login", 5, NULL, 0, 5 },
		{ W_BARE, "user", 4, NULL, 6, 10 },
		{ W_STRING, "pa ss", 5, NULL, 11, 18 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "comment line",
	    "# a comment (unbalanced \"", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "indented comment",
	    " \011 # comment", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "empty line",
	    "", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "blank line",
	    " \011 ", 0,
	    NULL, 0, NULL, NULL, 0, 0, 1, {
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "# inside a line is a character",
	    "select #news.comp", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "select", 6, NULL, 0, 6 },
		{ W_BARE, "#news.comp", 10, NULL, 7, 17 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "parenthesised group",
	    "fetch 1 (UID BODY[TEXT])", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "fetch", 5, NULL, 0, 5 },
		{ W_BARE, "1", 1, NULL, 6, 7 },
		{ W_BARE, "(UID BODY[TEXT])", 16, NULL, 8, 24 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "bracket group with a nested list",
	    "fetch 1:* BODY.PEEK[HEADER.FIELDS (FROM TO)]", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "fetch", 5, NULL, 0, 5 },
		{ W_BARE, "1:*", 3, NULL, 6, 9 },
		{ W_BARE, "BODY.PEEK[HEADER.FIELDS (FROM TO)]",
		    34, NULL, 10, 44 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "bracketed mailbox name",
	    "select [Gmail]/Sent", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "select", 6, NULL, 0, 6 },
		{ W_BARE, "[Gmail]/Sent", 12, NULL, 7, 19 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "bare text then a quoted part",
	    "select INBOX\"x y\"", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "select", 6, NULL, 0, 6 },
		{ W_BARE, "INBOX\"x y\"", 10, NULL, 7, 17 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "quoted part then bare text",
	    "select \"x y\"z", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "select", 6, NULL, 0, 6 },
		{ W_BARE, "\"x y\"z", 6, NULL, 7, 13 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "two quoted parts are not one token",
	    "select \"a\"\"b\"", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "select", 6, NULL, 0, 6 },
		{ W_BARE, "\"a\"\"b\"", 6, NULL, 7, 13 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "escapes in \"...\" kept verbatim",
	    "select \"a\\\"b\" \"c\\\\\"", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "select", 6, NULL, 0, 6 },
		{ W_DQUOTED, "\"a\\\"b\"", 6, NULL, 7, 13 },
		{ W_DQUOTED, "\"c\\\\\"", 5, NULL, 14, 19 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "backslash in bare text is plain",
	    "store 1 +FLAGS \\Seen", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "store", 5, NULL, 0, 5 },
		{ W_BARE, "1", 1, NULL, 6, 7 },
		{ W_BARE, "+FLAGS", 6, NULL, 8, 14 },
		{ W_BARE, "\\Seen", 5, NULL, 15, 20 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "partly single-quoted word is one string, every quote removed",
	    "x a'b c'\"d\"", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "x", 1, NULL, 0, 1 },
		{ W_STRING, "ab cd", 5, NULL, 2, 11 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "single quotes protect parens",
	    "x '(a' ')'", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "x", 1, NULL, 0, 1 },
		{ W_STRING, "(a", 2, NULL, 2, 6 },
		{ W_STRING, ")", 1, NULL, 7, 10 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "empty quoted words",
	    "x '' \"\"", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "x", 1, NULL, 0, 1 },
		{ W_STRING, "", 0, NULL, 2, 4 },
		{ W_DQUOTED, "\"\"", 2, NULL, 5, 7 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "None only when bare and exact",
	    "x None 'None' \"None\" none None1", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "x", 1, NULL, 0, 1 },
		{ W_NONE, "None", 4, NULL, 2, 6 },
		{ W_STRING, "None", 4, NULL, 7, 13 },
		{ W_DQUOTED, "\"None\"", 6, NULL, 14, 20 },
		{ W_BARE, "none", 4, NULL, 21, 25 },
		{ W_BARE, "None1", 5, NULL, 26, 31 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "quotes inside a group",
	    "search (SUBJECT \"a) b\")", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "search", 6, NULL, 0, 6 },
		{ W_BARE, "(SUBJECT \"a) b\")", 16, NULL, 7, 23 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "apostrophe inside a group",
	    "search (SUBJECT don't)", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "search", 6, NULL, 0, 6 },
		{ W_BARE, "(SUBJECT don't)", 15, NULL, 7, 22 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "tabs and runs of blanks",
	    "\011fetch \011 1\011\011(FLAGS)", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "fetch", 5, NULL, 1, 6 },
		{ W_BARE, "1", 1, NULL, 9, 10 },
		{ W_BARE, "(FLAGS)", 7, NULL, 12, 19 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "trailing blanks",
	    "noop   ", 0,
	    NULL, 0, NULL, NULL, 0, 0, 1, {
		{ W_BARE, "noop", 4, NULL, 0, 4 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "trailing newline ignored",
	    "noop\012", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "noop", 4, NULL, 0, 4 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "trailing CRLF ignored",
	    "capability\015\012", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "capability", 10, NULL, 0, 10 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "True and numbers are bare in shell form",
	    "x True -5", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "x", 1, NULL, 0, 1 },
		{ W_BARE, "True", 4, NULL, 2, 6 },
		{ W_BARE, "-5", 2, NULL, 7, 9 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "8-bit bytes pass through",
	    "select caf\303\251", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "select", 6, NULL, 0, 6 },
		{ W_BARE, "caf\303\251", 5, NULL, 7, 12 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "a blank line before a group call",
	    "fetch 1 (FLAGS)", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "fetch", 5, NULL, 0, 5 },
		{ W_BARE, "1", 1, NULL, 6, 7 },
		{ W_BARE, "(FLAGS)", 7, NULL, 8, 15 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "shell form when a blank precedes the paren",
	    "fetch (1)", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "fetch", 5, NULL, 0, 5 },
		{ W_BARE, "(1)", 3, NULL, 6, 9 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "< and a separate file name",
	    "append INBOX < msg.eml", 0,
	    NULL, 0, "msg.eml", NULL, 0, 0, 0, {
		{ W_BARE, "append", 6, NULL, 0, 6 },
		{ W_BARE, "INBOX", 5, NULL, 7, 12 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "<< and a separate tag",
	    "append INBOX << EOM", 0,
	    NULL, 0, NULL, "EOM", 0, 0, 0, {
		{ W_BARE, "append", 6, NULL, 0, 6 },
		{ W_BARE, "INBOX", 5, NULL, 7, 12 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "<\"file name\"",
	    "append INBOX <\"my msg.eml\"", 0,
	    NULL, 0, "my msg.eml", NULL, 0, 0, 0, {
		{ W_BARE, "append", 6, NULL, 0, 6 },
		{ W_BARE, "INBOX", 5, NULL, 7, 12 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "<'file name'",
	    "append INBOX <'my msg.eml'", 0,
	    NULL, 0, "my msg.eml", NULL, 0, 0, 0, {
		{ W_BARE, "append", 6, NULL, 0, 6 },
		{ W_BARE, "INBOX", 5, NULL, 7, 12 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "< then a quoted name",
	    "append INBOX < 'a b'", 0,
	    NULL, 0, "a b", NULL, 0, 0, 0, {
		{ W_BARE, "append", 6, NULL, 0, 6 },
		{ W_BARE, "INBOX", 5, NULL, 7, 12 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "redirect right after the name",
	    "append <m", 0,
	    NULL, 0, "m", NULL, 0, 0, 0, {
		{ W_BARE, "append", 6, NULL, 0, 6 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "<message-id> is an argument",
	    "search None HEADER Message-ID <id@host>", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "search", 6, NULL, 0, 6 },
		{ W_NONE, "None", 4, NULL, 7, 11 },
		{ W_BARE, "HEADER", 6, NULL, 12, 18 },
		{ W_BARE, "Message-ID", 10, NULL, 19, 29 },
		{ W_BARE, "<id@host>", 9, NULL, 30, 39 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "<file not last is an argument",
	    "append INBOX <m.eml x", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "append", 6, NULL, 0, 6 },
		{ W_BARE, "INBOX", 5, NULL, 7, 12 },
		{ W_BARE, "<m.eml", 6, NULL, 13, 19 },
		{ W_BARE, "x", 1, NULL, 20, 21 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "\"<x\" is an argument",
	    "append INBOX \"<x\"", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "append", 6, NULL, 0, 6 },
		{ W_BARE, "INBOX", 5, NULL, 7, 12 },
		{ W_DQUOTED, "\"<x\"", 4, NULL, 13, 17 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "a command name alone is not a redirect",
	    "<x", 0,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "<x", 2, NULL, 0, 2 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "redirect after a None",
	    "append INBOX None None <m", 0,
	    NULL, 0, "m", NULL, 0, 0, 0, {
		{ W_BARE, "append", 6, NULL, 0, 6 },
		{ W_BARE, "INBOX", 5, NULL, 7, 12 },
		{ W_NONE, "None", 4, NULL, 13, 17 },
		{ W_NONE, "None", 4, NULL, 18, 22 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ .desc = "unclosed (",
	    .line = "fetch 1 (FLAGS", .flags = 0,
	    .cause =
	    "unbalanced parenthesis" },
	{ .desc = "stray )",
	    .line = "fetch 1 FLAGS)", .flags = 0,
	    .cause =
	    "unbalanced parenthesis" },
	{ .desc = "unclosed [",
	    .line = "fetch 1 BODY[TEXT", .flags = 0,
	    .cause =
	    "unbalanced bracket" },
	{ .desc = "] closing (",
	    .line = "fetch 1 (BODY])", .flags = 0,
	    .cause =
	    "unbalanced bracket" },
	{ .desc = ") closing [",
	    .line = "fetch 1 BODY[)", .flags = 0,
	    .cause =
	    "unbalanced parenthesis" },
	{ .desc = "stray ]",
	    .line = "select a]", .flags = 0,
	    .cause =
	    "unbalanced bracket" },
	{ .desc = "unterminated \"",
	    .line = "select \"INBOX", .flags = 0,
	    .cause =
	    "unterminated quote" },
	{ .desc = "unterminated '",
	    .line = "login user 'pa ss", .flags = 0,
	    .cause =
	    "unterminated quote" },
	{ .desc = "escaped closing quote",
	    .line = "select \"a\\\"", .flags = 0,
	    .cause =
	    "unterminated quote" },
	{ .desc = "quote open inside a group",
	    .line = "search (SUBJECT \"a)", .flags = 0,
	    .cause =
	    "unterminated quote" },
	{ .desc = "< without a file",
	    .line = "append INBOX <", .flags = 0,
	    .cause =
	    "missing file name" },
	{ .desc = "<< without a tag",
	    .line = "append INBOX <<", .flags = 0,
	    .cause =
	    "missing tag" },
	{ .desc = "raw CR in an argument",
	    .line = "select a\015b", .flags = 0,
	    .cause =
	    "argument 1 contains a line break or NUL; IMAP cannot carry it" },
	{ .desc = "raw LF in a group",
	    .line = "fetch 1 (a\012b)", .flags = 0,
	    .cause =
	    "argument 2 contains a line break or NUL" },
	{ .desc = "raw CR in the name",
	    .line = "no\015op", .flags = 0,
	    .cause =
	    "command name contains a line break" },
	{ "partial: open group",
	    "fetch 1 (FLAGS BO", LEX_PARTIAL,
	    NULL, 0, NULL, NULL, 0, 1, 0, {
		{ W_BARE, "fetch", 5, NULL, 0, 5 },
		{ W_BARE, "1", 1, NULL, 6, 7 },
		{ W_BARE, "(FLAGS BO", 9, NULL, 8, 17 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "partial: nested open groups",
	    "fetch 1 BODY[HEADER.FIELDS (FR", LEX_PARTIAL,
	    NULL, 0, NULL, NULL, 0, 2, 0, {
		{ W_BARE, "fetch", 5, NULL, 0, 5 },
		{ W_BARE, "1", 1, NULL, 6, 7 },
		{ W_BARE, "BODY[HEADER.FIELDS (FR", 22, NULL, 8, 30 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "partial: open \"",
	    "select \"INB", LEX_PARTIAL,
	    NULL, 0, NULL, NULL, '"', 0, 0, {
		{ W_BARE, "select", 6, NULL, 0, 6 },
		{ W_DQUOTED, "\"INB", 4, NULL, 7, 11 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "partial: open \" with a blank",
	    "select \"a ", LEX_PARTIAL,
	    NULL, 0, NULL, NULL, '"', 0, 0, {
		{ W_BARE, "select", 6, NULL, 0, 6 },
		{ W_DQUOTED, "\"a ", 3, NULL, 7, 10 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "partial: open '",
	    "login user 'pa s", LEX_PARTIAL,
	    NULL, 0, NULL, NULL, '\'', 0, 0, {
		{ W_BARE, "login", 5, NULL, 0, 5 },
		{ W_BARE, "user", 4, NULL, 6, 10 },
		{ W_STRING, "pa s", 4, NULL, 11, 16 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "partial: open \" in an open group",
	    "search (SUBJECT \"a b", LEX_PARTIAL,
	    NULL, 0, NULL, NULL, '"', 1, 0, {
		{ W_BARE, "search", 6, NULL, 0, 6 },
		{ W_BARE, "(SUBJECT \"a b", 13, NULL, 7, 20 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "partial: open \" after bare text",
	    "select INBOX\"x", LEX_PARTIAL,
	    NULL, 0, NULL, NULL, '"', 0, 0, {
		{ W_BARE, "select", 6, NULL, 0, 6 },
		{ W_BARE, "INBOX\"x", 7, NULL, 7, 14 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "partial: new word after a blank",
	    "fetch 1 ", LEX_PARTIAL,
	    NULL, 0, NULL, NULL, 0, 0, 1, {
		{ W_BARE, "fetch", 5, NULL, 0, 5 },
		{ W_BARE, "1", 1, NULL, 6, 7 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "partial: in the middle of a word",
	    "fetch 1:", LEX_PARTIAL,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "fetch", 5, NULL, 0, 5 },
		{ W_BARE, "1:", 2, NULL, 6, 8 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "partial: closed group then blank",
	    "fetch 1 (FLAGS) ", LEX_PARTIAL,
	    NULL, 0, NULL, NULL, 0, 0, 1, {
		{ W_BARE, "fetch", 5, NULL, 0, 5 },
		{ W_BARE, "1", 1, NULL, 6, 7 },
		{ W_BARE, "(FLAGS)", 7, NULL, 8, 15 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "partial: first word",
	    "fet", LEX_PARTIAL,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "fet", 3, NULL, 0, 3 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "partial: empty line",
	    "", LEX_PARTIAL,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "partial: blanks only",
	    "  ", LEX_PARTIAL,
	    NULL, 0, NULL, NULL, 0, 0, 1, {
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "partial: <file being typed",
	    "append INBOX <ms", LEX_PARTIAL,
	    NULL, 0, "ms", NULL, 0, 0, 0, {
		{ W_BARE, "append", 6, NULL, 0, 6 },
		{ W_BARE, "INBOX", 5, NULL, 7, 12 },
		{ W_BARE, "<ms", 3, NULL, 13, 16 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "partial: < alone",
	    "append INBOX <", LEX_PARTIAL,
	    NULL, 0, "", NULL, 0, 0, 0, {
		{ W_BARE, "append", 6, NULL, 0, 6 },
		{ W_BARE, "INBOX", 5, NULL, 7, 12 },
		{ W_BARE, "<", 1, NULL, 13, 14 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "partial: < and a name",
	    "append INBOX < m", LEX_PARTIAL,
	    NULL, 0, "m", NULL, 0, 0, 0, {
		{ W_BARE, "append", 6, NULL, 0, 6 },
		{ W_BARE, "INBOX", 5, NULL, 7, 12 },
		{ W_BARE, "<", 1, NULL, 13, 14 },
		{ W_BARE, "m", 1, NULL, 15, 16 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "partial: comment",
	    "# (", LEX_PARTIAL,
	    NULL, 0, NULL, NULL, 0, 0, 0, {
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ .desc = "partial: a stray ) is still an error",
	    .line = "fetch 1 FLAGS) x", .flags = LEX_PARTIAL,
	    .cause =
	    "unbalanced parenthesis" },
	{ .desc = "partial: CR is still refused",
	    .line = "select a\015b", .flags = LEX_PARTIAL,
	    .cause =
	    "line break" },
	{ "fetch('1', '(UID BODY[TEXT])')",
	    "fetch('1', '(UID BODY[TEXT])')", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "fetch", 5, NULL, 0, 5 },
		{ W_STRING, "1", 1, NULL, 6, 9 },
		{ W_STRING, "(UID BODY[TEXT])", 16, NULL, 11, 29 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "typ, data = M.search(None, 'ALL')",
	    "typ, data = M.search(None, 'ALL')", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "search", 6, NULL, 14, 20 },
		{ W_NONE, "None", 4, NULL, 21, 25 },
		{ W_STRING, "ALL", 3, NULL, 27, 32 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "select('INBOX', readonly=True)",
	    "select('INBOX', readonly=True)", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "select", 6, NULL, 0, 6 },
		{ W_STRING, "INBOX", 5, NULL, 7, 14 },
		{ W_BOOL, "True", 4, "readonly", 25, 29 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "keyword with blanks around =",
	    "M.select('INBOX', readonly = False)", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "select", 6, NULL, 2, 8 },
		{ W_STRING, "INBOX", 5, NULL, 9, 16 },
		{ W_BOOL, "False", 5, "readonly", 29, 34 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "dotted object prefix",
	    "self.imap.store('1', '+FLAGS', r'(\\Deleted)')", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "store", 5, NULL, 10, 15 },
		{ W_STRING, "1", 1, NULL, 16, 19 },
		{ W_STRING, "+FLAGS", 6, NULL, 21, 29 },
		{ W_STRING, "(\\Deleted)", 10, NULL, 31, 44 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "escaped backslash",
	    "M.store('1', '+FLAGS', '(\\\\Deleted)')", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "store", 5, NULL, 2, 7 },
		{ W_STRING, "1", 1, NULL, 8, 11 },
		{ W_STRING, "+FLAGS", 6, NULL, 13, 21 },
		{ W_STRING, "(\\Deleted)", 10, NULL, 23, 36 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "escaped quotes",
	    "M.login(\"us\\\"er\", 'pa\\'ss')", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "login", 5, NULL, 2, 7 },
		{ W_STRING, "us\"er", 5, NULL, 8, 16 },
		{ W_STRING, "pa'ss", 5, NULL, 18, 26 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "a quoted string as a value",
	    "M.search(None, 'FROM', '\"LDJ\"')", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "search", 6, NULL, 2, 8 },
		{ W_NONE, "None", 4, NULL, 9, 13 },
		{ W_STRING, "FROM", 4, NULL, 15, 21 },
		{ W_STRING, "\"LDJ\"", 5, NULL, 23, 30 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "integers",
	    "M.x(1, -5, 0, 4294967296)", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "x", 1, NULL, 2, 3 },
		{ W_NUMBER, "1", 1, NULL, 4, 5 },
		{ W_NUMBER, "-5", 2, NULL, 7, 9 },
		{ W_NUMBER, "0", 1, NULL, 11, 12 },
		{ W_NUMBER, "4294967296", 10, NULL, 14, 24 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "adjacent literals concatenate",
	    "M.x('a' 'b', \"c\"'d', b'e'B'f')", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "x", 1, NULL, 2, 3 },
		{ W_STRING, "ab", 2, NULL, 4, 11 },
		{ W_STRING, "cd", 2, NULL, 13, 19 },
		{ W_STRING, "ef", 2, NULL, 21, 29 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "string prefixes",
	    "M.x(b'abc', rb'\\d', BR\"x\", u'y', Rb'\\n')", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "x", 1, NULL, 2, 3 },
		{ W_STRING, "abc", 3, NULL, 4, 10 },
		{ W_STRING, "\\d", 2, NULL, 12, 18 },
		{ W_STRING, "x", 1, NULL, 20, 25 },
		{ W_STRING, "y", 1, NULL, 27, 31 },
		{ W_STRING, "\\n", 2, NULL, 33, 39 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "str escapes to UTF-8",
	    "M.x('\\x41\\101\\u00e9\\U0001F600\\t\\xe9\\777')", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "x", 1, NULL, 2, 3 },
		{ W_STRING, "AA\303\251\360\237\230\200\011\303\251\307\277",
		    13, NULL, 4, 40 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "bytes escapes are bytes",
	    "M.x(b'\\xe9\\101\\u00e9\\N{x}')", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "x", 1, NULL, 2, 3 },
		{ W_STRING, "\351A\\u00e9\\N{x}", 13, NULL, 4, 26 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "other escapes",
	    "M.x('\\a\\b\\f\\v\\q\\\"')", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "x", 1, NULL, 2, 3 },
		{ W_STRING, "\007\010\014\013\\q\"", 7, NULL, 4, 18 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "raw string keeps escaped quote",
	    "M.x(r'a\\'b')", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "x", 1, NULL, 2, 3 },
		{ W_STRING, "a\\'b", 4, NULL, 4, 11 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "triple-quoted string",
	    "M.x('''a'b''', \"\"\"c\"d\"\"\")", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "x", 1, NULL, 2, 3 },
		{ W_STRING, "a'b", 3, NULL, 4, 13 },
		{ W_STRING, "c\"d", 3, NULL, 15, 24 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "parens inside a string",
	    "M.x('(a)b', \")\")", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "x", 1, NULL, 2, 3 },
		{ W_STRING, "(a)b", 4, NULL, 4, 10 },
		{ W_STRING, ")", 1, NULL, 12, 15 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "8-bit text in a str literal",
	    "M.select('caf\303\251')", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "select", 6, NULL, 2, 8 },
		{ W_STRING, "caf\303\251", 5, NULL, 9, 16 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "trailing comma",
	    "M.x('a',)", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "x", 1, NULL, 2, 3 },
		{ W_STRING, "a", 1, NULL, 4, 7 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "no arguments",
	    "M.noop()", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "noop", 4, NULL, 2, 6 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "blanks around the call",
	    "  M.noop( )  ", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "noop", 4, NULL, 4, 8 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "assignment without blanks",
	    "typ,data=M.noop()", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "noop", 4, NULL, 11, 15 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "assignment with a trailing comma",
	    "typ, = noop()", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "noop", 4, NULL, 7, 11 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "several keywords",
	    "M.x(a=1, b='x', c=None)", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "x", 1, NULL, 2, 3 },
		{ W_NUMBER, "1", 1, "a", 6, 7 },
		{ W_STRING, "x", 1, "b", 11, 14 },
		{ W_NONE, "None", 4, "c", 18, 22 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "a trailing Python comment",
	    "M.select('INBOX')  # go", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "select", 6, NULL, 2, 8 },
		{ W_STRING, "INBOX", 5, NULL, 9, 16 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "empty strings",
	    "M.x('', b\"\")", 0,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "x", 1, NULL, 2, 3 },
		{ W_STRING, "", 0, NULL, 4, 6 },
		{ W_STRING, "", 0, NULL, 8, 11 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "call form in LEX_PARTIAL when complete",
	    "M.fetch('1', '(FLAGS)')", LEX_PARTIAL,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "fetch", 5, NULL, 2, 7 },
		{ W_STRING, "1", 1, NULL, 8, 11 },
		{ W_STRING, "(FLAGS)", 7, NULL, 13, 22 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ "an unfinished call is shell form in LEX_PARTIAL",
	    "fetch('1', ", LEX_PARTIAL,
	    NULL, 0, NULL, NULL, 0, 1, 0, {
		{ W_BARE, "fetch('1', ", 11, NULL, 0, 11 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ .desc = "escaped LF",
	    .line = "M.x('a\\nb')", .flags = 0,
	    .cause =
	    "argument 1 contains a line break or NUL; IMAP cannot carry it" },
	{ .desc = "escaped CR in argument 2",
	    .line = "M.x('a', 'b\\r')", .flags = 0,
	    .cause =
	    "argument 2 contains a line break or NUL" },
	{ .desc = "escaped NUL",
	    .line = "M.x('a\\0b')", .flags = 0,
	    .cause =
	    "argument 1 contains a line break or NUL" },
	{ .desc = "NUL from \\x00 in bytes",
	    .line = "M.x(b'\\x00')", .flags = 0,
	    .cause =
	    "line break or NUL" },
	{ .desc = "LF from \\u000a",
	    .line = "M.x('\\u000a')", .flags = 0,
	    .cause =
	    "line break or NUL" },
	{ .desc = "LF from octal",
	    .line = "M.x('\\12')", .flags = 0,
	    .cause =
	    "line break or NUL" },
	{ "LEX_BREAKS: a message with line breaks in a call",
	    "M.append('INBOX', None, None, 'a\\r\\nb')", LEX_BREAKS,
	    NULL, 1, NULL, NULL, 0, 0, 0, {
		{ W_BARE, "append", 6, NULL, 2, 8 },
		{ W_STRING, "INBOX", 5, NULL, 9, 16 },
		{ W_NONE, "None", 4, NULL, 18, 22 },
		{ W_NONE, "None", 4, NULL, 24, 28 },
		{ W_STRING, "a\r\nb", 4, NULL, 30, 38 },
		{ 0, NULL, 0, NULL, 0, 0 } } },
	{ .desc = "LEX_BREAKS: a raw CR in shell form is still refused",
	    .line = "select a\015b", .flags = LEX_BREAKS,
	    .cause =
	    "line break" },
	{ .desc = "LF in a keyword value",
	    .line = "M.x('a', k='\\n')", .flags = 0,
	    .cause =
	    "argument 2 contains a line break" },
	{ .desc = "a variable",
	    .line = "M.fetch(num, \"(FLAGS)\")", .flags = 0,
	    .cause =
	    "argument 1: num is not a literal" },
	{ .desc = "unterminated string",
	    .line = "M.x('a)", .flags = 0,
	    .cause =
	    "argument 1: unterminated string" },
	{ .desc = "missing comma",
	    .line = "M.x('a' b)", .flags = 0,
	    .cause =
	    "argument 1: expected ',' or ')'" },
	{ .desc = "positional after keyword",
	    .line = "M.x(a=1, 'b')", .flags = 0,
	    .cause =
	    "argument 2: positional argument follows keyword argument" },
	{ .desc = "repeated keyword",
	    .line = "M.x(a=1, a=2)", .flags = 0,
	    .cause =
	    "keyword argument a repeated" },
	{ .desc = "\\N{...} in str",
	    .line = "M.x('\\N{EM DASH}')", .flags = 0,
	    .cause =
	    "\\N{...} escapes are not supported" },
	{ .desc = "truncated \\x",
	    .line = "M.x('\\x4')", .flags = 0,
	    .cause =
	    "truncated \\x escape" },
	{ .desc = "truncated \\u",
	    .line = "M.x('\\u12')", .flags = 0,
	    .cause =
	    "truncated \\u escape" },
	{ .desc = "surrogate",
	    .line = "M.x('\\ud800')", .flags = 0,
	    .cause =
	    "surrogate" },
	{ .desc = "beyond Unicode",
	    .line = "M.x('\\U00110000')", .flags = 0,
	    .cause =
	    "beyond Unicode" },
	{ .desc = "octal out of range in bytes",
	    .line = "M.x(b'\\777')", .flags = 0,
	    .cause =
	    "octal escape out of range" },
	{ .desc = "non-ASCII in bytes",
	    .line = "M.x(b'caf\303\251')", .flags = 0,
	    .cause =
	    "only hold ASCII" },
	{ .desc = "bytes and str mixed",
	    .line = "M.x('a' b'b')", .flags = 0,
	    .cause =
	    "cannot mix bytes and str" },
	{ .desc = "f-string",
	    .line = "M.x(f'x')", .flags = 0,
	    .cause =
	    "unsupported string prefix f" },
	{ .desc = "float",
	    .line = "M.x(1.5)", .flags = 0,
	    .cause =
	    "only decimal integers" },
	{ .desc = "hex integer",
	    .line = "M.x(0x10)", .flags = 0,
	    .cause =
	    "only decimal integers" },
	{ .desc = "a list",
	    .line = "M.x([1])", .flags = 0,
	    .cause =
	    "argument 1: unexpected '['" },
	{ .desc = "a lone comma",
	    .line = "M.x(,)", .flags = 0,
	    .cause =
	    "argument 1: unexpected ','" },
	{ .desc = "text after the call",
	    .line = "M.x('a'))", .flags = 0,
	    .cause =
	    "unexpected text after ')'" },
	{ .desc = "None as a keyword",
	    .line = "M.x(None=1)", .flags = 0,
	    .cause =
	    "None cannot be a keyword" },
	{ .desc = "lone minus",
	    .line = "M.x(-)", .flags = 0,
	    .cause =
	    "'-' is not followed by a number" },
	{ .desc = "unfinished call is shell form",
	    .line = "M.x('a'", .flags = 0,
	    .cause =
	    "unbalanced parenthesis" },
	/* fuzz-lex: the strict mode took a CR in a redirection that
	 * LEX_PARTIAL (which keeps it as a word) refused. */
	{ .desc = "CR in a heredoc tag",
	    .line = "append INBOX None None <<E\rOM", .flags = 0,
	    .cause =
	    "the tag after << contains a line break" },
	{ .desc = "CR in a heredoc tag, LEX_BREAKS",
	    .line = "append INBOX None None << E\rOM", .flags = LEX_BREAKS,
	    .cause =
	    "the tag after << contains a line break" },
	{ .desc = "CR in a file name",
	    .line = "append INBOX None None <msg\r.eml", .flags = 0,
	    .cause =
	    "the file name after < contains a line break" },
	{ .desc = "CR in a heredoc tag, LEX_PARTIAL",
	    .line = "append INBOX None None <<E\rOM", .flags = LEX_PARTIAL,
	    .cause =
	    "argument 4 contains a line break" },
};


static int	 same_str(const char *, const char *);
static int	 check_case(const struct lex_case *);
static int	 check_offsets(const struct lex_case *);
static int	 check_prefixes(const struct lex_case *);

/* Both NULL, or equal strings. */
static int
same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

/* 1 if lexing the case gives what the table says; prints why not. */
static int
check_case(const struct lex_case *lc)
{
	struct words		 w;
	const struct word_case	*wc;
	char			*cause;
	size_t			 n, i;
	int			 rv, pass = 1;

	memset(&w, 0xa5, sizeof w);
	rv = lex_line(lc->line, lc->flags, &w, &cause);
	if (lc->cause != NULL) {
		if (rv != -1 || cause == NULL ||
		    strstr(cause, lc->cause) == NULL) {
			printf("# want error \"%s\", got rv %d cause \"%s\"\n",
			    lc->cause, rv, cause == NULL ? "(null)" : cause);
			pass = 0;
		}
		if (w.n != 0 || w.v != NULL || w.redirect != NULL ||
		    w.heredoc != NULL) {
			printf("# words not empty after an error\n");
			pass = 0;
		}
		free(cause);
		words_free(&w);
		return (pass);
	}
	if (rv != 0 || cause != NULL) {
		printf("# unexpected error: %s\n",
		    cause == NULL ? "(null)" : cause);
		free(cause);
		words_free(&w);
		return (0);
	}

	for (n = 0; n < MAXWORDS && lc->words[n].s != NULL; n++)
		;
	if (w.n != n) {
		printf("# want %zu words, got %zu\n", n, w.n);
		pass = 0;
	}
	for (i = 0; i < n && i < w.n; i++) {
		wc = &lc->words[i];
		if (w.v[i].kind != wc->kind || w.v[i].len != wc->len ||
		    memcmp(w.v[i].s, wc->s, wc->len) != 0 ||
		    w.v[i].s[w.v[i].len] != '\0' ||
		    !same_str(w.v[i].kw, wc->kw) ||
		    w.v[i].start != wc->start || w.v[i].end != wc->end) {
			printf("# word %zu: want kind %d [%s] kw %s %zu-%zu, "
			    "got kind %d [%s] kw %s %zu-%zu\n", i, wc->kind,
			    wc->s, wc->kw == NULL ? "-" : wc->kw, wc->start,
			    wc->end, w.v[i].kind, w.v[i].s,
			    w.v[i].kw == NULL ? "-" : w.v[i].kw,
			    w.v[i].start, w.v[i].end);
			pass = 0;
		}
	}
	if (w.callform != lc->callform ||
	    !same_str(w.redirect, lc->redirect) ||
	    !same_str(w.heredoc, lc->heredoc)) {
		printf("# callform %d redirect %s heredoc %s\n", w.callform,
		    w.redirect == NULL ? "-" : w.redirect,
		    w.heredoc == NULL ? "-" : w.heredoc);
		pass = 0;
	}
	if (w.open_quote != lc->open_quote ||
	    w.open_depth != lc->open_depth ||
	    (lc->flags & LEX_PARTIAL &&
	    w.trailing_blank != lc->trailing_blank)) {
		printf("# end state: quote %d depth %d blank %d\n",
		    w.open_quote, w.open_depth, w.trailing_blank);
		pass = 0;
	}
	words_free(&w);
	if (w.n != 0 || w.v != NULL)
		pass = 0;
	words_free(&w);		/* twice is harmless */
	return (pass);
}

/*
 * In shell form, each word's value is its text in the line, except where
 * single quotes were removed: check that the offsets say so.
 */
static int
check_offsets(const struct lex_case *lc)
{
	struct words	 w;
	char		*cause;
	size_t		 i, len = strlen(lc->line);
	int		 pass = 1;

	if (lex_line(lc->line, lc->flags, &w, &cause) != 0) {
		free(cause);
		return (0);
	}
	for (i = 0; i < w.n; i++) {
		if (w.v[i].start >= w.v[i].end || w.v[i].end > len ||
		    (i > 0 && w.v[i].start < w.v[i - 1].end))
			pass = 0;
		if (w.callform || w.v[i].kind == W_STRING)
			continue;
		if (w.v[i].end - w.v[i].start != w.v[i].len ||
		    memcmp(lc->line + w.v[i].start, w.v[i].s,
		    w.v[i].len) != 0)
			pass = 0;
	}
	words_free(&w);
	return (pass);
}

/* Every prefix of the line, in LEX_PARTIAL: a clean result either way. */
static int
check_prefixes(const struct lex_case *lc)
{
	struct words	 w;
	char		*copy, *cause;
	size_t		 len = strlen(lc->line), i;
	int		 rv, pass = 1;

	for (i = 0; i <= len; i++) {
		if ((copy = malloc(i + 1)) == NULL)
			return (0);
		memcpy(copy, lc->line, i);
		copy[i] = '\0';
		rv = lex_line(copy, LEX_PARTIAL, &w, &cause);
		if (rv == 0 ? cause != NULL : (cause == NULL || w.n != 0))
			pass = 0;
		free(cause);
		words_free(&w);
		rv = lex_line(copy, 0, &w, &cause);
		if (rv == 0 ? cause != NULL : (cause == NULL || w.n != 0))
			pass = 0;
		free(cause);
		words_free(&w);
		free(copy);
	}
	return (pass);
}

int
main(void)
{
	const size_t	 n = sizeof lex_cases / sizeof lex_cases[0];
	size_t		 i;
	int		 pass;

	printf("1..%zu\n", n + 2);
	for (i = 0; i < n; i++)
		ok(check_case(&lex_cases[i]), "%s", lex_cases[i].desc);

	pass = 1;
	for (i = 0; i < n; i++) {
		if (lex_cases[i].cause == NULL &&
		    !check_offsets(&lex_cases[i])) {
			printf("# offsets wrong: %s\n", lex_cases[i].desc);
			pass = 0;
		}
	}
	ok(pass, "offsets cover each word's text");

	pass = 1;
	for (i = 0; i < n; i++) {
		if (!check_prefixes(&lex_cases[i])) {
			printf("# prefix failed: %s\n", lex_cases[i].desc);
			pass = 0;
		}
	}
	ok(pass, "every prefix of every case lexes cleanly");

	return (tap_status());
}
