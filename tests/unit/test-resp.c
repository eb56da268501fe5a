/*
 * test-resp.c: unit tests for the typed response records (imap-resp.c).
 *
 * A TAP program: "ok N - ..." per check, the plan "1..N" last.
 *
 * 1. A table of single lines and the record each must give, written as
 *    one string (see rec_str()): tagged, untagged with and without a
 *    number, continuations, response codes as imaplib reads them, and
 *    hostile lines (huge numbers, unbalanced brackets, NULs, 8-bit bytes,
 *    missing tags and names).
 * 2. A table of FETCH attribute lists and what the walker hands over.
 * 3. Whole responses (CR LF, literals) fed to the framer whole, one byte
 *    at a time and in pseudo-random chunks (fixed seeds), turned into
 *    records and walked across their literals: each mode must give the
 *    same transcript, and the one written in the table.  Chunks are
 *    copied into allocations of exactly their size, so under ASan a read
 *    past a line or a chunk is caught.
 * 4. Response code arguments, and the small helpers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "imap-parse.h"
#include "imap-resp.h"
#include "xmalloc.h"
#include "escape.h"
#include "tap.h"

#define L(s)	(s), sizeof(s) - 1	/* a literal with its NULs */

enum feed { FEED_WHOLE, FEED_BYTE, FEED_RANDOM };

struct rec_case {
	const char	*in;
	size_t		 len;
	const char	*want;
};

struct walk_case {
	const char	*in;
	size_t		 len;
	const char	*want;
};

static void	 add_span(struct buf *, struct imap_resp_span);
static void	 rec_str(struct buf *, const struct imap_resp *, int);
static void	 att_str(struct buf *, const struct imap_resp_att *);
static int	 walk_until(struct buf *, struct imap_resp_fetch *);
static char	*run_stream(const char *, size_t, enum feed, uint32_t);
static void	 expect(const char *, const char *, const char *);
static void	 test_records(void);
static void	 test_walker(void);
static void	 test_streams(void);
static void	 test_args(void);
static void	 test_helpers(void);
static void	 test_deep(void);
static void	 test_speed(void);

/* "bytes" if present, - if absent. */
static void
add_span(struct buf *b, struct imap_resp_span sp)
{
	if (sp.p == NULL) {
		buf_addc(b, '-');
		return;
	}
	buf_addc(b, '"');
	add_escaped(b, sp.p, sp.len);
	buf_addc(b, '"');
}

/*
 * A record as one string:
 *	T(tag) NAME text [CODE|args]	tagged
 *	* #N NAME text			untagged (#big(digits) past 2^32-1)
 *	+ text				continuation
 *	ERROR(why)
 * text is "bytes" or - when absent.
 */
static void
rec_str(struct buf *b, const struct imap_resp *r, int rv)
{
	if (rv == -1) {
		buf_printf(b, "ERROR(%s)", r->error);
		return;
	}
	switch (r->kind) {
	case IMAP_RESP_TAGGED:
		buf_addstr(b, "T(");
		add_escaped(b, r->tag.p, r->tag.len);
		buf_addstr(b, ")");
		break;
	case IMAP_RESP_UNTAGGED:
		buf_addstr(b, "*");
		break;
	case IMAP_RESP_CONTINUATION:
		buf_addstr(b, "+ ");
		add_span(b, r->text);
		return;
	}
	if (r->has_number && r->number_overflow) {
		buf_addstr(b, " #big(");
		add_escaped(b, r->number_text.p, r->number_text.len);
		buf_addstr(b, ")");
	} else if (r->has_number)
		buf_printf(b, " #%lu", (unsigned long)r->number);
	buf_printf(b, " %s ", r->name);
	add_span(b, r->text);
	if (r->has_code) {
		buf_addstr(b, " [");
		add_escaped(b, r->code.p, r->code.len);
		buf_addc(b, '|');
		add_escaped(b, r->code_args.p, r->code_args.len);
		buf_addc(b, ']');
	}
}

/* NAME[section]<origin> K "value" [lit=N] [more], K in A Q L (. */
static void
att_str(struct buf *b, const struct imap_resp_att *a)
{
	static const char	 kinds[] = "AQL(";

	if (a->part > 0)
		buf_addstr(b, "...");
	else
		add_escaped(b, a->name.p, a->name.len);
	if (a->section.p != NULL) {
		buf_addc(b, '[');
		add_escaped(b, a->section.p, a->section.len);
		buf_addc(b, ']');
	}
	if (a->has_origin)
		buf_printf(b, "<%llu>", (unsigned long long)a->origin);
	buf_printf(b, " %c ", kinds[a->kind]);
	add_span(b, a->value);
	if (a->literal)
		buf_printf(b, " lit=%llu", (unsigned long long)a->literal_size);
	if (a->more)
		buf_addstr(b, " more");
}

/* Walk until the walker wants a line or is done; 1 if it wants one. */
static int
walk_until(struct buf *b, struct imap_resp_fetch *w)
{
	struct imap_resp_att	 a;
	int			 n;

	for (n = 0; n < 10000; n++) {
		switch (imap_resp_fetch_next(w, &a)) {
		case IMAP_RESP_ITEM:
			buf_addstr(b, "\n  ");
			att_str(b, &a);
			break;
		case IMAP_RESP_NEED_LINE:
			return (1);
		case IMAP_RESP_END:
			buf_addstr(b, "\n  END");
			if (imap_resp_fetch_next(w, &a) != IMAP_RESP_END)
				buf_addstr(b, " (not sticky)");
			return (0);
		case IMAP_RESP_ERROR:
			buf_printf(b, "\n  ERROR(%s)", w->error);
			if (imap_resp_fetch_next(w, &a) != IMAP_RESP_ERROR)
				buf_addstr(b, " (not sticky)");
			return (0);
		}
	}
	buf_addstr(b, "\n  RUNAWAY");
	return (0);
}

static const struct rec_case rec_cases[] = {
	/* tagre */
	{ L("A1 OK LOGIN completed"), "T(A1) OK \"LOGIN completed\"" },
	{ L("A1 ok done"), "T(A1) OK \"done\"" },
	{ L("A1 OK"), "T(A1) OK -" },
	{ L("A1 OK "), "T(A1) OK \"\"" },
	{ L("A1 NO [TRYCREATE] No such mailbox"),
	  "T(A1) NO \"[TRYCREATE] No such mailbox\" [TRYCREATE|]" },
	{ L("A1 OK [READ-WRITE] SELECT completed"),
	  "T(A1) OK \"[READ-WRITE] SELECT completed\" [READ-WRITE|]" },
	{ L("A1 OK [COPYUID 38505 304,319:320 3956:3958] Done"),
	  "T(A1) OK \"[COPYUID 38505 304,319:320 3956:3958] Done\" "
	  "[COPYUID|38505 304,319:320 3956:3958]" },
	{ L("tag.x] BAD [CLIENTBUG] x"),
	  "T(tag.x]) BAD \"[CLIENTBUG] x\" [CLIENTBUG|]" },
	{ L("A1 OK[ALERT] x"), "ERROR(bad response name)" },
	{ L("A1 OK-X done"), "ERROR(bad response name)" },
	{ L("A1 PREAUTH [ALERT] x"), "T(A1) PREAUTH \"[ALERT] x\"" },
	/* Untagged_status */
	{ L("* 23 EXISTS"), "* #23 EXISTS -" },
	{ L("* 5 FETCH (UID 9 FLAGS (\\Seen))"),
	  "* #5 FETCH \"(UID 9 FLAGS (\\Seen))\"" },
	{ L("* 007 RECENT"), "* #7 RECENT -" },
	{ L("* 4294967295 EXISTS"), "* #4294967295 EXISTS -" },
	{ L("* 4294967296 EXISTS"), "* #big(4294967296) EXISTS -" },
	{ L("* 99999999999999999999999999999999 EXPUNGE"),
	  "* #big(99999999999999999999999999999999) EXPUNGE -" },
	{ L("* 0 EXISTS"), "* #0 EXISTS -" },
	{ L("* 3 OK [ALERT] x"), "* #3 OK \"[ALERT] x\"" },
	{ L("* 12abc FOO"), "ERROR(missing response name)" },
	{ L("* 5"), "ERROR(missing response name)" },
	{ L("* 5 "), "ERROR(missing response name)" },
	/* Untagged_response */
	{ L("* CAPABILITY IMAP4rev1 IDLE"),
	  "* CAPABILITY \"IMAP4rev1 IDLE\"" },
	{ L("* list (\\HasNoChildren) \"/\" INBOX"),
	  "* LIST \"(\\HasNoChildren) \"/\" INBOX\"" },
	{ L("* X-GM-THING a"), "* X-GM-THING \"a\"" },
	{ L("* OK [UIDVALIDITY 3857529045] UIDs valid"),
	  "* OK \"[UIDVALIDITY 3857529045] UIDs valid\" "
	  "[UIDVALIDITY|3857529045]" },
	{ L("* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited"),
	  "* OK \"[PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\" "
	  "[PERMANENTFLAGS|(\\Deleted \\Seen \\*)]" },
	{ L("* OK [ALERT] see ] here"),
	  "* OK \"[ALERT] see ] here\" [ALERT|]" },
	{ L("* NO [ALERT ]"), "* NO \"[ALERT ]\" [ALERT|]" },
	{ L("* BAD [ALERT"), "* BAD \"[ALERT\"" },
	{ L("* OK [ALERT x"), "* OK \"[ALERT x\"" },
	{ L("* OK [alert] lower case is no code"),
	  "* OK \"[alert] lower case is no code\"" },
	{ L("* OK [ALERT2] digits end it"), "* OK \"[ALERT2] digits end it\"" },
	{ L("* OK []"), "* OK \"[]\"" },
	{ L("* OK ]]]((("), "* OK \"]]](((\"" },
	{ L("* BYE [ALERT] going"), "* BYE \"[ALERT] going\"" },
	{ L("* OK"), "* OK -" },
	{ L("* OK[ALERT] no space"), "* OK -" },
	{ L("* SEARCH"), "* SEARCH -" },
	{ L("* SEARCH 2 3 6"), "* SEARCH \"2 3 6\"" },
	/* Continuation */
	{ L("+ "), "+ \"\"" },
	{ L("+"), "+ -" },
	{ L("+ Ready for literal data"), "+ \"Ready for literal data\"" },
	{ L("+dGVzdA=="), "+ -" },
	{ L("+ [ALERT] x"), "+ \"[ALERT] x\"" },
	/* hostile */
	{ L(""), "ERROR(empty line)" },
	{ L(" OK"), "ERROR(bad tag)" },
	{ L("*"), "ERROR(bad tag)" },
	{ L("*OK"), "ERROR(bad tag)" },
	{ L("* "), "ERROR(missing response name)" },
	{ L("A1"), "ERROR(bad tag)" },
	{ L("A1 "), "ERROR(missing response name)" },
	{ L("A1  OK"), "ERROR(missing response name)" },
	{ L("A\0 OK"), "ERROR(bad tag)" },
	{ L("\0"), "ERROR(bad tag)" },
	{ L("A(1 OK"), "ERROR(bad tag)" },
	{ L("A+1 OK"), "ERROR(bad tag)" },
	{ L("A*1 OK"), "ERROR(bad tag)" },
	{ L("A\"1 OK"), "ERROR(bad tag)" },
	{ L("\xc3\xa9 OK"), "ERROR(bad tag)" },
	{ L("A1\tOK"), "ERROR(bad tag)" },
	{ L("* \xc3\xa9"), "ERROR(missing response name)" },
	{ L("* OK caf\xc3\xa9 \xff"), "* OK \"caf<xC3><xA9> <xFF>\"" },
	{ L("* OK a\0b"), "* OK \"a<NUL>b\"" },
	{ L("* OK\0"), "* OK -" },
	{ L("* OK [AL\0ERT] x"), "* OK \"[AL<NUL>ERT] x\"" },
	{ L("A1 OK [ALERT] \0]"),
	  "T(A1) OK \"[ALERT] <NUL>]\" [ALERT|]" },
	{ L("A1 OK [ALERT \0] x]"),
	  "T(A1) OK \"[ALERT <NUL>] x]\" [ALERT|<NUL>] x]" },
	{ L("* FETCH\r"), "* FETCH -" },
};

static void
test_records(void)
{
	struct imap_resp	 r;
	struct buf		 b;
	size_t			 i;
	char			 name[IMAP_RESP_MAX_NAME + 16];
	int			 rv;

	for (i = 0; i < sizeof rec_cases / sizeof rec_cases[0]; i++) {
		char	*in = xmalloc(rec_cases[i].len + 1);

		/* An allocation of exactly the line (and a guard NUL the
		 * parser must not need). */
		memcpy(in, rec_cases[i].in, rec_cases[i].len);
		in[rec_cases[i].len] = '\0';
		buf_init(&b, 0);
		buf_addstr(&b, "");
		rv = imap_resp_parse(&r, in, rec_cases[i].len);
		rec_str(&b, &r, rv);
		expect("record", b.data, rec_cases[i].want);
		buf_free(&b);
		free(in);
	}

	/* Name limit: IMAP_RESP_MAX_NAME bytes, and not one more. */
	memcpy(name, "* ", 2);
	memset(name + 2, 'a', IMAP_RESP_MAX_NAME);
	rv = imap_resp_parse(&r, name, 2 + IMAP_RESP_MAX_NAME);
	ok(rv == 0 && strlen(r.name) == IMAP_RESP_MAX_NAME && r.name[0] ==
	    'A', "a name of %d bytes is taken, upper-cased",
	    IMAP_RESP_MAX_NAME);
	memset(name + 2, 'a', IMAP_RESP_MAX_NAME + 1);
	rv = imap_resp_parse(&r, name, 3 + IMAP_RESP_MAX_NAME);
	ok(rv == -1 && strcmp(r.error, "response name too long") == 0,
	    "a name of %d bytes is not", IMAP_RESP_MAX_NAME + 1);
}

static const struct walk_case walk_cases[] = {
	{ L("(UID 5 FLAGS (\\Seen) BODY[1.2]<0> {123}"),
	  "\n  UID A \"5\"\n  FLAGS ( \"(\\Seen)\""
	  "\n  BODY[1.2]<0> L \"{123}\" lit=123" },
	{ L("(UID 5)"), "\n  UID A \"5\"\n  END" },
	{ L("()"), "\n  END" },
	{ L("(FLAGS ())"), "\n  FLAGS ( \"()\"\n  END" },
	{ L("(INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE 4286)"),
	  "\n  INTERNALDATE Q \"\"17-Jul-1996 02:44:25 -0700\"\""
	  "\n  RFC822.SIZE A \"4286\"\n  END" },
	{ L("(BODY[HEADER.FIELDS (FROM \"X]Y\")] NIL)"),
	  "\n  BODY[HEADER.FIELDS (FROM \"X]Y\")] A \"NIL\"\n  END" },
	{ L("(BODY[] \"a \\\"quoted\\\" \\\\ (string)\")"),
	  "\n  BODY[] Q \"\"a \\\"quoted\\\" \\\\ (string)\"\"\n  END" },
	{ L("(ENVELOPE (\"date\" \"subj\" ((NIL NIL \"a\" \"b.c\")) NIL) "
	  "UID 2)"),
	  "\n  ENVELOPE ( \"(\"date\" \"subj\" ((NIL NIL \"a\" \"b.c\")) "
	  "NIL)\"\n  UID A \"2\"\n  END" },
	{ L("(BINARY[1]<10> ~{4}"),
	  "\n  BINARY[1]<10> L \"~{4}\" lit=4" },
	{ L("(X-GM-LABELS (\\Inbox \"[Gmail]/Sent\") MODSEQ (12345))"),
	  "\n  X-GM-LABELS ( \"(\\Inbox \"[Gmail]/Sent\")\""
	  "\n  MODSEQ ( \"(12345)\"\n  END" },
	{ L("(ENVELOPE (\"d\" {5}"),
	  "\n  ENVELOPE ( \"(\"d\" {5}\" lit=5 more" },
	{ L("(UID 5) "), "\n  UID A \"5\"\n  END" },
	{ L("(FLAGS (\\Seen \"caf\xc3\xa9\"))"),
	  "\n  FLAGS ( \"(\\Seen \"caf<xC3><xA9>\")\"\n  END" },
	/* hostile */
	{ L("UID 5"), "\n  ERROR(missing attribute list)" },
	{ L(""), "\n  ERROR(missing attribute list)" },
	{ L("(UID 5"), "\n  UID A \"5\"\n  ERROR(unbalanced parentheses)" },
	{ L("(FLAGS (\\Seen)"),
	  "\n  FLAGS ( \"(\\Seen)\"\n  ERROR(unbalanced parentheses)" },
	{ L("(FLAGS (\\Seen"), "\n  ERROR(unbalanced parentheses)" },
	{ L("(UID 5))"), "\n  UID A \"5\"\n  ERROR(text after the attribute "
	  "list)" },
	{ L("(UID  5)"), "\n  ERROR(missing value)" },
	{ L("(UID 5  FLAGS ())"), "\n  UID A \"5\"\n  ERROR(attributes not "
	  "separated by one space)" },
	{ L("(UID 5 )"), "\n  UID A \"5\"\n  ERROR(attributes not separated "
	  "by one space)" },
	{ L("(UID)"), "\n  ERROR(missing space after an attribute name)" },
	{ L("(UID )"), "\n  ERROR(missing value)" },
	{ L("( UID 5)"), "\n  ERROR(missing attribute name)" },
	{ L("(BODY[1 {3}"), "\n  ERROR(literal in a section)" },
	{ L("(BODY[1 NIL"), "\n  ERROR(unterminated section)" },
	{ L("(BODY[1)] NIL)"), "\n  ERROR(unbalanced parentheses)" },
	{ L("(BODY[]<99999999999999999999> NIL)"),
	  "\n  ERROR(number too large)" },
	{ L("(BODY[]<> NIL)"), "\n  ERROR(bad partial origin)" },
	{ L("(BODY[]<1 NIL)"), "\n  ERROR(bad partial origin)" },
	{ L("(BODY[] {99999999999999999999})"),
	  "\n  ERROR(bad literal announcement)" },
	{ L("(BODY[] {12}x"), "\n  ERROR(bad literal announcement)" },
	{ L("(BODY[] {12} UID 1)"), "\n  ERROR(bad literal announcement)" },
	{ L("(BODY[] \"abc)"), "\n  ERROR(unterminated quoted string)" },
	{ L("(BODY[] \"a\0c\")"), "\n  ERROR(NUL in a quoted string)" },
	{ L("(BODY[] \"a\\qc\")"), "\n  ERROR(bad escape in a quoted string)" },
	{ L("(UID 5\0)"), "\n  ERROR(NUL in an atom)" },
	{ L("(UID \xff)"), "\n  ERROR(8-bit byte in an atom)" },
	{ L("(U\0ID 5)"), "\n  ERROR(missing space after an attribute name)" },
	{ L("(\0UID 5)"), "\n  ERROR(NUL in an attribute name)" },
	{ L("(\xc3\xa9 5)"), "\n  ERROR(missing attribute name)" },
	{ L("(UID 5 FLAGS ((((\\Seen)"), "\n  UID A \"5\"\n  ERROR(unbalanced "
	  "parentheses)" },
};

static void
test_walker(void)
{
	struct imap_resp_fetch	 w;
	struct imap_resp_span	 text;
	struct buf		 b;
	size_t			 i;

	for (i = 0; i < sizeof walk_cases / sizeof walk_cases[0]; i++) {
		char	*in = xmalloc(walk_cases[i].len + 1);

		memcpy(in, walk_cases[i].in, walk_cases[i].len);
		text.p = in;
		text.len = walk_cases[i].len;
		buf_init(&b, 0);
		buf_addstr(&b, "");
		imap_resp_fetch_init(&w, text);
		walk_until(&b, &w);
		expect("walk", b.data, walk_cases[i].want);
		buf_free(&b);
		free(in);
	}
}

/*
 * Feed a byte stream to the framer in chunks and return the transcript:
 * per response, the record; for FETCH the walk across literals; other
 * continued lines as cont("..."); each literal as data(N) with N its
 * bytes; framer errors as FRAMER(why).
 */
static char *
run_stream(const char *in, size_t inlen, enum feed mode, uint32_t rng)
{
	struct imap_parser	*ps = imap_parser_new(0, 0);
	struct imap_event	 ev;
	struct imap_resp	 r;
	struct imap_resp_fetch	 w;
	struct buf		 out;
	char			*chunk = NULL;
	size_t			 pos = 0, clen = 0, coff = 0, used;
	uint64_t		 litbytes = 0;
	int			 walking = 0, rv;

	buf_init(&out, 0);
	buf_addstr(&out, "");
	for (;;) {
		switch (imap_parse_feed(ps, chunk + coff, clen - coff, &used,
		    &ev)) {
		case IMAP_EV_MORE:
			free(chunk);
			chunk = NULL;
			if (pos == inlen)
				goto done;
			clen = inlen - pos;
			if (mode == FEED_BYTE)
				clen = 1;
			else if (mode == FEED_RANDOM) {
				rng ^= rng << 13;
				rng ^= rng >> 17;
				rng ^= rng << 5;
				clen = rng % 4 == 0 ? rng / 4 % 97 + 1 :
				    rng / 4 % 7 + 1;
				if (clen > inlen - pos)
					clen = inlen - pos;
			}
			chunk = xmalloc(clen);
			memcpy(chunk, in + pos, clen);
			pos += clen;
			coff = 0;
			continue;
		case IMAP_EV_LINE:
			if (ev.continued && walking) {
				imap_resp_fetch_line(&w, ev.line, ev.len);
				walking = walk_until(&out, &w);
			} else if (ev.continued) {
				buf_addstr(&out, "\n  cont(");
				add_escaped(&out, ev.line, ev.len);
				buf_addc(&out, ')');
			} else {
				rv = imap_resp_parse(&r, ev.line, ev.len);
				buf_addstr(&out, out.len == 0 ? "" : "\n");
				rec_str(&out, &r, rv);
				if (rv == 0 && r.kind == IMAP_RESP_UNTAGGED &&
				    strcmp(r.name, "FETCH") == 0) {
					imap_resp_fetch_init(&w, r.text);
					walking = walk_until(&out, &w);
				}
			}
			break;
		case IMAP_EV_LITERAL_DATA:
			litbytes += ev.data_len;
			break;
		case IMAP_EV_LITERAL_END:
			buf_printf(&out, "\n  data(%llu)",
			    (unsigned long long)litbytes);
			litbytes = 0;
			break;
		case IMAP_EV_ERROR:
			buf_printf(&out, "\nFRAMER(%s)", ev.error);
			goto done;
		}
		coff += used;
	}
done:
	free(chunk);
	imap_parser_free(ps);
	return (buf_steal(&out, NULL));
}

static const struct rec_case stream_cases[] = {
	{ L("* OK [CAPABILITY IMAP4rev1 LITERAL+] ready\r\n"
	  "* 3 EXISTS\r\n"
	  "* FLAGS (\\Answered \\Seen)\r\n"
	  "A1 OK [READ-WRITE] done\r\n"),
	  "* OK \"[CAPABILITY IMAP4rev1 LITERAL+] ready\" "
	  "[CAPABILITY|IMAP4rev1 LITERAL+]\n"
	  "* #3 EXISTS -\n"
	  "* FLAGS \"(\\Answered \\Seen)\"\n"
	  "T(A1) OK \"[READ-WRITE] done\" [READ-WRITE|]" },
	{ L("* 1 FETCH (UID 5 FLAGS (\\Seen) BODY[1.2]<0> {12}\r\n"
	  "hello\r\nworld UID 6)\r\n"
	  "* 2 FETCH (BODY[] {0}\r\n)\r\n"
	  "A2 OK FETCH done\r\n"),
	  "* #1 FETCH \"(UID 5 FLAGS (\\Seen) BODY[1.2]<0> {12}\"\n"
	  "  UID A \"5\"\n"
	  "  FLAGS ( \"(\\Seen)\"\n"
	  "  BODY[1.2]<0> L \"{12}\" lit=12\n"
	  "  data(12)\n"
	  "  UID A \"6\"\n"
	  "  END\n"
	  "* #2 FETCH \"(BODY[] {0}\"\n"
	  "  BODY[] L \"{0}\" lit=0\n"
	  "  data(0)\n"
	  "  END\n"
	  "T(A2) OK \"FETCH done\"" },
	{ L("* 7 FETCH (ENVELOPE (\"d\" {3}\r\nabc \"s\" (({2}\r\nxy"
	  " NIL \"a\" \"b\"))) UID 7)\r\n"),
	  "* #7 FETCH \"(ENVELOPE (\"d\" {3}\"\n"
	  "  ENVELOPE ( \"(\"d\" {3}\" lit=3 more\n"
	  "  data(3)\n"
	  "  ... ( \" \"s\" (({2}\" lit=2 more\n"
	  "  data(2)\n"
	  "  ... ( \" NIL \"a\" \"b\")))\"\n"
	  "  UID A \"7\"\n"
	  "  END" },
	{ L("* LIST () \"/\" {5}\r\nIN)BO\r\n"
	  "+ go ahead\r\n"
	  "* 4294967296 FETCH (UID 1)\r\n"),
	  "* LIST \"() \"/\" {5}\"\n"
	  "  data(5)\n"
	  "  cont()\n"
	  "+ \"go ahead\"\n"
	  "* #big(4294967296) FETCH \"(UID 1)\"\n"
	  "  UID A \"1\"\n"
	  "  END" },
	{ L("* 1 FETCH (BODY[] {3}\r\nabc)\r\n"
	  "* 2 FETCH (BODY[] {3}\r\nabc UID 9 junk)\r\n"
	  "* 3 FETCH (UID 1) {2}\r\nxy\r\n"
	  "A3 NO [ALERT] \xff\0 bye\r\n"),
	  "* #1 FETCH \"(BODY[] {3}\"\n"
	  "  BODY[] L \"{3}\" lit=3\n"
	  "  data(3)\n"
	  "  END\n"
	  "* #2 FETCH \"(BODY[] {3}\"\n"
	  "  BODY[] L \"{3}\" lit=3\n"
	  "  data(3)\n"
	  "  UID A \"9\"\n"
	  "  ERROR(missing space after an attribute name)\n"
	  "* #3 FETCH \"(UID 1) {2}\"\n"
	  "  UID A \"1\"\n"
	  "  ERROR(text after the attribute list)\n"
	  "  data(2)\n"
	  "  cont()\n"
	  "T(A3) NO \"[ALERT] <xFF><NUL> bye\" [ALERT|]" },
	{ L(" OK\r\n* \r\nA1\r\n\r\n+\r\n* 1 FETCH UID\r\n"),
	  "ERROR(bad tag)\n"
	  "ERROR(missing response name)\n"
	  "ERROR(bad tag)\n"
	  "ERROR(empty line)\n"
	  "+ -\n"
	  "* #1 FETCH \"UID\"\n"
	  "  ERROR(missing attribute list)" },
};

static void
test_streams(void)
{
	static const enum feed	 modes[] = { FEED_WHOLE, FEED_BYTE,
				    FEED_RANDOM, FEED_RANDOM, FEED_RANDOM };
	static const char	*names[] = { "whole", "byte by byte",
				    "random chunks", "random chunks",
				    "random chunks" };
	char			*got, label[64];
	size_t			 i, m;

	for (i = 0; i < sizeof stream_cases / sizeof stream_cases[0]; i++)
		for (m = 0; m < sizeof modes / sizeof modes[0]; m++) {
			got = run_stream(stream_cases[i].in,
			    stream_cases[i].len, modes[m],
			    (uint32_t)(2463534242u + 7919 * m + i));
			snprintf(label, sizeof label, "stream %zu, %s", i,
			    names[m]);
			expect(label, got, stream_cases[i].want);
			free(got);
		}
}

/* Response code arguments. */
static void
test_args(void)
{
	static const struct {
		const char	*in;
		const char	*want;
	} cases[] = {
		{ "38505 304,319:320 3956:3958",
		  "A\"38505\" A\"304,319:320\" A\"3956:3958\" END" },
		{ "(\\Deleted \\Seen \\*)", "(\"(\\Deleted \\Seen \\*)\" END" },
		{ "(UTF-8 \"US-ASCII\")  x", "(\"(UTF-8 \"US-ASCII\")\" "
		  "A\"x\" END" },
		{ "", "END" },
		{ "  ", "END" },
		{ "\"a b\" NIL", "Q\"\"a b\"\" A\"NIL\" END" },
		{ "(a (b)", "ERROR(unbalanced parentheses)" },
		{ "a {3}", "A\"a\" ERROR(literal in a response code)" },
		{ "\"abc", "ERROR(unterminated quoted string)" },
		{ "a)", "A\"a\" ERROR(missing value)" },
	};
	static const char	 kinds[] = "AQL(";
	struct imap_resp_span	 sp;
	struct imap_resp_val	 v;
	struct buf		 b;
	const char		*err;
	size_t			 i;
	int			 n, st;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		sp.p = cases[i].in;
		sp.len = strlen(cases[i].in);
		buf_init(&b, 0);
		buf_addstr(&b, "");
		for (n = 0; n < 100; n++) {
			err = NULL;
			if ((st = imap_resp_args_next(&sp, &v, &err)) ==
			    IMAP_RESP_ITEM) {
				buf_printf(&b, "%c", kinds[v.kind]);
				add_span(&b, v.span);
				buf_addc(&b, ' ');
				continue;
			}
			if (st == IMAP_RESP_END)
				buf_addstr(&b, "END");
			else
				buf_printf(&b, "ERROR(%s)", err);
			break;
		}
		expect("code args", b.data, cases[i].want);
		buf_free(&b);
	}
	sp.p = NULL;
	sp.len = 0;
	ok(imap_resp_args_next(&sp, &v, &err) == IMAP_RESP_END,
	    "absent code arguments: END");
}

static void
test_helpers(void)
{
	struct imap_resp_span	 sp;
	uint64_t		 n = 0;

	sp.p = "uid";
	sp.len = 3;
	ok(imap_resp_span_is(sp, "UID") && !imap_resp_span_is(sp, "UIDS") &&
	    !imap_resp_span_is(sp, "UI"), "span_is: case-insensitive, whole");
	sp.p = NULL;
	ok(!imap_resp_span_is(sp, ""), "span_is: absent is nothing");
	sp.p = "4294967295";
	sp.len = 10;
	ok(imap_resp_number(sp, UINT32_MAX, &n) == 0 && n == 4294967295u,
	    "number: 2^32-1 within UINT32_MAX");
	sp.p = "4294967296";
	ok(imap_resp_number(sp, UINT32_MAX, &n) == -1,
	    "number: 2^32 over UINT32_MAX");
	sp.p = "18446744073709551615";
	sp.len = 20;
	ok(imap_resp_number(sp, UINT64_MAX, &n) == -1,
	    "number: 20 digits refused");
	sp.p = "12a";
	sp.len = 3;
	ok(imap_resp_number(sp, UINT64_MAX, &n) == -1, "number: not digits");
	sp.len = 0;
	ok(imap_resp_number(sp, UINT64_MAX, &n) == -1, "number: empty");
}

/* Nesting: IMAP_RESP_MAX_DEPTH lists open is taken, one more is not. */
static void
test_deep(void)
{
	struct imap_resp_fetch	 w;
	struct imap_resp_att	 a;
	struct imap_resp_span	 text;
	struct buf		 b;
	int			 i, d;

	for (d = IMAP_RESP_MAX_DEPTH; d <= IMAP_RESP_MAX_DEPTH + 1; d++) {
		buf_init(&b, 0);
		buf_addstr(&b, "(X ");
		for (i = 0; i < d; i++)
			buf_addc(&b, '(');
		for (i = 0; i < d; i++)
			buf_addc(&b, ')');
		buf_addc(&b, ')');
		text.p = b.data;
		text.len = b.len;
		imap_resp_fetch_init(&w, text);
		if (d == IMAP_RESP_MAX_DEPTH)
			ok(imap_resp_fetch_next(&w, &a) == IMAP_RESP_ITEM &&
			    a.value.len == (size_t)d * 2 &&
			    imap_resp_fetch_next(&w, &a) == IMAP_RESP_END,
			    "%d lists deep: walked", d);
		else
			ok(imap_resp_fetch_next(&w, &a) == IMAP_RESP_ERROR &&
			    strcmp(w.error, "lists nested too deep") == 0,
			    "%d lists deep: refused", d);
		buf_free(&b);
	}
	imap_resp_fetch_line(&w, "x", 1);
	ok(imap_resp_fetch_next(&w, &a) == IMAP_RESP_ERROR,
	    "a line fed where none is owed is an error");
}

/*
 * Job F's responses: a million "* N FETCH (UID N FLAGS (\Seen)
 * RFC822.SIZE N)" lines made records and walked, timed (the bound is
 * generous: a shared machine, and ASan builds run this too).
 */
static void
test_speed(void)
{
	struct imap_resp	 r;
	struct imap_resp_fetch	 w;
	struct imap_resp_att	 a;
	struct timespec		 t0, t1;
	char			 line[128];
	double			 t;
	unsigned long		 i, atts = 0, uids = 0;
	uint64_t		 uid;
	int			 n;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 1; i <= 1000000; i++) {
		n = snprintf(line, sizeof line, "* %lu FETCH (UID %lu FLAGS "
		    "(\\Seen) RFC822.SIZE %lu)", i, i + 7, 4000 + i % 977);
		if (imap_resp_parse(&r, line, (size_t)n) == -1 ||
		    r.number != i)
			break;
		imap_resp_fetch_init(&w, r.text);
		while (imap_resp_fetch_next(&w, &a) == IMAP_RESP_ITEM) {
			atts++;
			if (imap_resp_span_is(a.name, "UID") &&
			    imap_resp_number(a.value, UINT32_MAX, &uid) == 0 &&
			    uid == i + 7)
				uids++;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	t = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("# 1000000 FETCH lines made records and walked in %.3f s\n", t);
	ok(atts == 3000000 && uids == 1000000,
	    "a million FETCH responses: every attribute, every UID");
	ok(t < 10.0, "a million FETCH responses in %.3f s (bound 10 s)", t);
}

/* One check, described by want with its newlines shown as " | ". */
static void
expect(const char *what, const char *got, const char *want)
{
	struct buf	 b;
	const char	*p;

	buf_init(&b, 0);
	buf_addstr(&b, "");
	for (p = want; *p != '\0'; p++)
		if (*p == '\n')
			buf_addstr(&b, " | ");
		else
			buf_addc(&b, *p);
	ok(strcmp(got, want) == 0, "%s: %s", what, b.data);
	buf_reset(&b);
	for (p = got; *p != '\0'; p++)
		if (*p == '\n')
			buf_addstr(&b, " | ");
		else
			buf_addc(&b, *p);
	if (strcmp(got, want) != 0)
		printf("# got: %s\n", b.data);
	buf_free(&b);
}

int
main(void)
{
	test_records();
	test_walker();
	test_streams();
	test_args();
	test_helpers();
	test_deep();
	test_speed();
	printf("1..%d\n", tap_ntests);
	return (tap_status());
}
