/*
 * test-redact.c: which words of a command line are credentials (redact.c).
 *
 * IMAP command lines as sent, each against the line the trace must show;
 * lines typed to imapsh, each with whether it may go into the history.
 * Every secret below holds "Zq7": no redacted form may keep it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redact.h"
#include "tap.h"

struct wire_case {
	const char	*in;
	const char	*shown;		/* what the trace shows */
};

static const struct wire_case wire[] = {
	{ "A1 LOGIN bob Zq7-pw", "A1 LOGIN bob <redacted>" },
	{ "A1 login bob Zq7-pw", "A1 login bob <redacted>" },
	{ "a1  LOGIN\tbob   Zq7-pw", "a1  LOGIN\tbob   <redacted>" },
	{ "A1 LOGIN \"bob smith\" \"Zq7 pw \\\" x\"",
	    "A1 LOGIN \"bob smith\" <redacted>" },
	{ "A1 LOGIN bob Zq7 two words", "A1 LOGIN bob <redacted> <redacted> "
	    "<redacted>" },
	{ "A1 LOGIN \"bob Zq7-pw", "A1 LOGIN <redacted>" },
	{ "A1 LOGIN (bob Zq7-pw", "A1 LOGIN <redacted>" },
	{ "A1 LOGIN bo\"b Zq7-pw", "A1 LOGIN bo\"b <redacted>" },
	{ "A1 LOGIN bob {7}", "A1 LOGIN bob {7}" },
	{ "A1 LOGIN {3}", "A1 LOGIN {3}" },
	{ "A1 LOGIN bob <redacted>", "A1 LOGIN bob <redacted>" },
	{ "A1 AUTHENTICATE PLAIN AGJvYgBacTc=", "A1 AUTHENTICATE PLAIN "
	    "<redacted>" },
	{ "A1 Authenticate XOAUTH2 dXNlcj1aeTc=",
	    "A1 Authenticate XOAUTH2 <redacted>" },
	{ "A1 AUTHENTICATE SCRAM-SHA-256", "A1 AUTHENTICATE SCRAM-SHA-256" },
	{ "A1 SELECT INBOX", "A1 SELECT INBOX" },
	{ "A1 SEARCH FROM login", "A1 SEARCH FROM login" },
	{ "A1 ID (\"name\" \"LOGIN Zq7\")", "A1 ID (\"name\" \"LOGIN Zq7\")" },
	{ "A1", "A1" },
	{ "", "" },
	{ "A1 LOGIN", "A1 LOGIN" },
	{ "A1 LOGIN bob ", "A1 LOGIN bob " },
	{ "a1 a2 LOGIN bob Zq7-pw", "a1 a2 LOGIN bob <redacted>" },
	{ "a1 a2 authenticate PLAIN AGJv", "a1 a2 authenticate PLAIN "
	    "<redacted>" },
	{ "a1 a2 a3 SELECT LOGIN", "a1 a2 a3 SELECT LOGIN" },
	{ "A1 SELECT LOGIN", "A1 SELECT LOGIN" },
};

struct typed_case {
	const char	*line;
	int		 secret;
};

static const struct typed_case typed[] = {
	{ "login bob Zq7-pw", 1 },
	{ "LOGIN bob Zq7-pw", 1 },
	{ "login bob", 0 },
	{ "login", 0 },
	{ "M.login('bob', 'Zq7-pw')", 1 },
	{ "typ, dat = M.login('bob', 'Zq7-pw')", 1 },
	{ "M.login(password='Zq7-pw')", 1 },
	{ "login_cram_md5 bob Zq7-pw", 1 },
	{ "auth PLAIN bob Zq7-pw", 1 },
	{ "authenticate PLAIN", 0 },
	{ "raw LOGIN bob Zq7-pw", 1 },
	{ "raw login bob Zq7-pw", 1 },
	{ "ra LOGIN bob Zq7-pw", 1 },
	{ "raw a1 LOGIN bob Zq7-pw", 1 },
	{ "raw a1 a2 LOGIN bob Zq7-pw", 1 },
	{ "raw AUTHENTICATE PLAIN AGJvYgBaZWNyZXQ=", 1 },
	{ "raw AUTHENTICATE PLAIN", 0 },
	{ "raw LOGIN bob {6}", 0 },
	{ "raw LOGIN bob 'Zq7", 1 },
	{ "raw LOGIN \"bob Zq7", 1 },
	{ "raw NOOP", 0 },
	{ "raw a1 SELECT INBOX", 0 },
	{ "xatom LOGIN bob Zq7-pw", 1 },
	{ "xatom login bob Zq7-pw", 1 },
	{ "xatom AUTHENTICATE PLAIN AGJvYgBaZWNyZXQ=", 1 },
	{ "xatom AUTHENTICATE PLAIN", 0 },
	{ "xatom ID NIL", 0 },
	{ "M.xatom('LOGIN', 'bob', 'Zq7-pw')", 1 },
	{ "M._simple_command('LOGIN', 'bob', 'Zq7-pw')", 1 },
	{ "M._simple_command('AUTHENTICATE', 'PLAIN', 'AGJv')", 1 },
	{ "_command LOGIN bob Zq7-pw", 1 },
	{ "logi bob Zq7-pw", 1 },
	{ "select INBOX", 0 },
	{ "search FROM login", 0 },
	{ "noop", 0 },
	{ "", 0 },
	{ "# login bob Zq7-pw", 0 },
	{ "select 'unbalanced", 0 },
	{ "fetch 1 (FLAGS", 0 },
};

int
main(void)
{
	struct buf	 b;
	size_t		 i, n;
	int		 got;

	for (i = 0; i < sizeof wire / sizeof wire[0]; i++) {
		buf_init(&b, 0);
		n = redact_imap_line(&b, wire[i].in, strlen(wire[i].in));
		buf_addc(&b, '\0');
		ok(strcmp(b.data, wire[i].shown) == 0,
		    "trace of '%s': '%s' (%zu redacted)", wire[i].in, b.data, n);
		buf_free(&b);
	}
	for (i = 0; i < sizeof typed / sizeof typed[0]; i++) {
		got = redact_typed_line(typed[i].line);
		ok(got == typed[i].secret, "history %s '%s'", typed[i].secret ?
		    "refuses" : "takes", typed[i].line);
	}
	ok(redact_imap_exchange("AUTHENTICATE PLAIN", 18) &&
	    redact_imap_exchange("authenticate XOAUTH2", 20),
	    "an AUTHENTICATE exchange's answers are credentials");
	ok(!redact_imap_exchange("IDLE", 4) &&
	    !redact_imap_exchange("APPEND INBOX {5}", 16) &&
	    !redact_imap_exchange("AUTHENTICATEX", 13),
	    "IDLE's and APPEND's are not");
	ok(redact_imap_arg("LOGIN", 5, 1) && !redact_imap_arg("LOGIN", 5, 0) &&
	    redact_imap_arg("AUTHENTICATE", 12, 1) &&
	    !redact_imap_arg("AUTHENTICATE", 12, 0) &&
	    !redact_imap_arg("SELECT", 6, 1),
	    "the credential arguments: LOGIN's password, AUTHENTICATE's "
	    "initial response");
	printf("1..%d\n", tap_ntests);
	return (tap_status());
}
