/*
 * test-build.c: the commands a script may send ahead are built, not run
 * (cmd-build.c).  Every CMD_PIPE entry of the command table has a
 * builder and no other entry has one; a builder turns a line's bound
 * arguments into the IMAP name, the wire arguments imaplib would send and
 * the untagged name whose data the command returns, or refuses the line
 * with the error its run prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "imap.h"
#include "lex.h"
#include "tap.h"
#include "xmalloc.h"

struct build_case {
	const char	*line;
	const char	*name;		/* NULL: the builder refuses it */
	const char	*args;		/* or the cause */
	const char	*untagged;
};

static const struct build_case build_cases[] = {
	{ "noop", "NOOP", "", NULL },
	{ "namespace", "NAMESPACE", "", "NAMESPACE" },
	{ "list", "LIST", "\"\" *", "LIST" },
	{ "lsub Work %", "LSUB", "Work %", "LSUB" },
	{ "status INBOX (MESSAGES)", "STATUS", "INBOX (MESSAGES)", "STATUS" },
	{ "search None ALL", "SEARCH", "ALL", "SEARCH" },
	{ "search UTF-8 SUBJECT x", "SEARCH", "CHARSET UTF-8 SUBJECT x",
	    "SEARCH" },
	{ "fetch 1:3 (UID FLAGS)", "FETCH", "1:3 (UID FLAGS)", "FETCH" },
	{ "getacl INBOX", "GETACL", "INBOX", "ACL" },
	{ "myrights INBOX", "MYRIGHTS", "INBOX", "MYRIGHTS" },
	{ "getquota \"\"", "GETQUOTA", "\"\"", "QUOTA" },
	{ "sort DATE UTF-8 ALL", "SORT", "(DATE) UTF-8 ALL", "SORT" },
	{ "thread REFERENCES UTF-8 ALL", "THREAD", "REFERENCES UTF-8 ALL",
	    "THREAD" },
	{ "getmetadata INBOX /private/comment", "GETMETADATA",
	    "INBOX (/private/comment)", "METADATA" },
	{ "getannotation INBOX /comment value.priv", "GETANNOTATION",
	    "INBOX /comment value.priv", "ANNOTATION" },
	{ "getmetadata INBOX", NULL, "getmetadata() needs at least one "
	    "entry, such as /private/comment", NULL },
	{ "uid bogus 1", NULL, "Unknown IMAP4 UID command: BOGUS", NULL },
	{ "uid search ALL", NULL, "command SEARCH illegal in state LOGOUT, "
	    "only allowed in states SELECTED", NULL },
};

static void	test_table(void);
static void	test_case(struct session *, const struct build_case *);

/* CMD_PIPE if and only if there is a builder. */
static void
test_table(void)
{
	size_t	i, npipe = 0;

	for (i = 0; i < cmd_count; i++) {
		const struct cmd_entry *ce = &cmd_table[i];

		if (ce->flags & CMD_PIPE) {
			npipe++;
			ok(ce->build != NULL, "%s (CMD_PIPE) has a builder",
			    ce->name);
		} else if (ce->build != NULL)
			ok(0, "%s has a builder but is not CMD_PIPE",
			    ce->name);
	}
	ok(npipe == 15, "15 commands may be sent ahead (%zu)", npipe);
}

static void
test_case(struct session *s, const struct build_case *bc)
{
	const struct cmd_entry	*ce;
	struct words		 w;
	struct cmd_args		 ca;
	struct cmd_built	 cb;
	struct buf		 args;
	char			*cause = NULL;
	size_t			 i;
	int			 r;

	memset(&w, 0, sizeof w);
	memset(&ca, 0, sizeof ca);
	if (lex_line(bc->line, LEX_BREAKS, &w, &cause) == -1 ||
	    (ce = cmd_find(w.v[0].s, &cause)) == NULL ||
	    cmd_bind(ce, &w, &ca, &cause) == -1) {
		ok(0, "%s: bound (%s)", bc->line, cause);
		free(cause);
		words_free(&w);
		return;
	}
	cmd_defaults(ce, &ca);
	ca.line = bc->line;
	cmd_build_init(&cb);
	r = ce->build(s, &ca, &cb, &cause);
	if (bc->name == NULL) {
		ok(r == -1 && cause != NULL && strcmp(cause, bc->args) == 0,
		    "%s: refused: %s", bc->line, cause != NULL ? cause : "");
		ok(cb.wire.n == 0, "%s: no wire arguments left", bc->line);
	} else {
		buf_init(&args, 0);
		for (i = 0; i < cb.wire.n; i++) {
			if (i > 0)
				buf_addc(&args, ' ');
			buf_add(&args, cb.wire.a[i].s, cb.wire.a[i].len);
		}
		ok(r == 0 && strcmp(cb.name, bc->name) == 0,
		    "%s: builds %s", bc->line, r == 0 ? cb.name : cause);
		ok(strcmp(args.data != NULL ? args.data : "", bc->args) == 0,
		    "%s: sends '%s'", bc->line,
		    args.data != NULL ? args.data : "");
		ok(bc->untagged == NULL ? cb.untagged == NULL :
		    cb.untagged != NULL && strcmp(cb.untagged,
		    bc->untagged) == 0, "%s: returns %s", bc->line,
		    cb.untagged != NULL ? cb.untagged : "no untagged data");
		buf_free(&args);
	}
	cmd_build_free(&cb);
	free(cause);
	free(ca.rest);
	words_free(&w);
}

int
main(void)
{
	struct session	 s;
	size_t		 i;

	memset(&s, 0, sizeof s);
	s.im = imap_new(1000);
	test_table();
	for (i = 0; i < sizeof build_cases / sizeof build_cases[0]; i++)
		test_case(&s, &build_cases[i]);
	imap_free(s.im);
	printf("1..%d\n", tap_ntests);
	return (tap_status());
}
