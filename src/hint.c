/*
 * hint.c: advice after results that are imaplib's but puzzle a person.
 *
 * Each rule of the table names the commands it is about, a test of the
 * command's arguments, state and outcome, and the advice; every rule that
 * applies prints one "hint: ..." line on stderr after the result.  The
 * rules:
 *   - search's first argument is the charset: "search FROM bob" sends
 *     CHARSET FROM, which the server refuses;
 *   - a command for a selected mailbox run without one;
 *   - status items go in parentheses: "status INBOX MESSAGES";
 *   - a mailbox name with 8-bit bytes, outside UTF-8 mode: IMAP names are
 *     modified UTF-7, and the hint shows the name in that form.
 * Nothing here is sent anywhere, and only text the person typed is shown
 * (escaped for the terminal).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hint.h"
#include "imap-utf7.h"
#include "lex.h"
#include "term.h"

struct hint_rule {
	const char	*commands;	/* " name name " */
	/* The advice into b when the rule applies, else nothing. */
	void		(*advise)(struct session *, const struct cmd_args *,
			    enum cmd_status, struct buf *);
};

static void	 hint_charset(struct session *, const struct cmd_args *,
		    enum cmd_status, struct buf *);
static void	 hint_select(struct session *, const struct cmd_args *,
		    enum cmd_status, struct buf *);
static void	 hint_status(struct session *, const struct cmd_args *,
		    enum cmd_status, struct buf *);
static void	 hint_utf7(struct session *, const struct cmd_args *,
		    enum cmd_status, struct buf *);
static int	 hint_for(const char *, const char *);
static const char *hint_text(const struct word *);

/* Search keys of RFC 3501 6.4.4 that have no place as a charset. */
static const char *const hint_search_keys[] = {
	"ALL", "ANSWERED", "BCC", "BEFORE", "BODY", "CC", "DELETED", "DRAFT",
	"FLAGGED", "FROM", "HEADER", "KEYWORD", "LARGER", "NEW", "NOT", "OLD",
	"ON", "OR", "RECENT", "SEEN", "SENTBEFORE", "SENTON", "SENTSINCE",
	"SINCE", "SMALLER", "SUBJECT", "TEXT", "TO", "UID", "UNANSWERED",
	"UNDELETED", "UNDRAFT", "UNFLAGGED", "UNKEYWORD", "UNSEEN", NULL
};

static const struct hint_rule hint_rules[] = {
	{ " search sort thread ", hint_charset },
	{ " fetch store copy move search uid partial sort thread ",
	  hint_select },
	{ " status ", hint_status },
	{ NULL, hint_utf7 },		/* every command with a mailbox */
};

/* Is name one of the words of list (NULL: every command)? */
static int
hint_for(const char *list, const char *name)
{
	const char	*p;
	size_t		 len = strlen(name);

	if (list == NULL)
		return (1);
	for (p = strstr(list, name); p != NULL; p = strstr(p + 1, name))
		if (p[-1] == ' ' && p[len] == ' ')
			return (1);
	return (0);
}

static const char *
hint_text(const struct word *w)
{
	return (w == NULL || w->kind == W_NONE ? NULL : w->s);
}

static void
hint_charset(struct session *s, const struct cmd_args *ca,
    enum cmd_status st, struct buf *b)
{
	/* search(charset, ...); sort and thread take it second. */
	int		 search = strcmp(ca->cmd->name, "search") == 0;
	const char	*cs = hint_text(ca->p[search ? 0 : 1]);
	size_t		 i;

	if (cs == NULL)
		return;
	for (i = 0; hint_search_keys[i] != NULL; i++) {
		if (strcasecmp(cs, hint_search_keys[i]) != 0)
			continue;
		buf_printf(b, "the %s argument of %s is the charset, so %s "
		    "went as the charset; give one: %s ", search ?
		    "first" : "second", ca->cmd->name, hint_search_keys[i],
		    ca->cmd->name);
		if (search)
			buf_addstr(b, "None");
		else {
			term_escape(b, ca->p[0]->s, ca->p[0]->len);
			buf_addstr(b, " UTF-8");
		}
		buf_printf(b, " %s ...", hint_search_keys[i]);
		return;
	}
}

static void
hint_select(struct session *s, const struct cmd_args *ca,
    enum cmd_status st, struct buf *b)
{
	enum imap_state	state = imap_state(s->im);

	if (st != CMD_OK && imap_connected(s->im) &&
	    (state == IMAP_AUTH || state == IMAP_NONAUTH))
		buf_printf(b, "select a mailbox first (select INBOX, or "
		    "examine INBOX to read only)%s", state == IMAP_NONAUTH ?
		    ", after login" : "");
}

static void
hint_status(struct session *s, const struct cmd_args *ca,
    enum cmd_status st, struct buf *b)
{
	const char	*names = hint_text(ca->p[1]);

	if (names != NULL && names[0] != '(' && names[0] != '"')
		buf_printf(b, "status items go in parentheses: status %s (%s)",
		    hint_text(ca->p[0]) != NULL ? ca->p[0]->s : "INBOX",
		    names);
}

static void
hint_utf7(struct session *s, const struct cmd_args *ca, enum cmd_status st,
    struct buf *b)
{
	const struct cmd_entry	*ce = ca->cmd;
	const char		*name, *p;
	struct buf		 utf7;
	char			*cause = NULL;
	size_t			 i;

	/* Local commands (utf7 itself) send nothing. */
	if (imap_utf8(s->im) || (ce->flags & CMD_LOCAL))
		return;
	for (i = 0; i < CMD_MAX_PARAMS && ce->types[i] != NULL; i++) {
		if (strcmp(ce->types[i], "mailbox") != 0 ||
		    (name = hint_text(ca->p[i])) == NULL)
			continue;
		for (p = name; *p != '\0' && (unsigned char)*p < 0x80; p++)
			;
		if (*p == '\0')
			continue;
		buf_init(&utf7, 0);
		if (imap_utf8_to_utf7(name, strlen(name), &utf7, &cause) ==
		    0) {
			buf_addstr(b, "mailbox names are modified UTF-7 in "
			    "IMAP: ");
			term_escape(b, name, strlen(name));
			buf_addstr(b, " is ");
			buf_add(b, utf7.data, utf7.len);
			buf_printf(b, " (utf7 encode converts a name)");
		}
		free(cause);
		buf_free(&utf7);
		return;
	}
}

void
hint_after(struct session *s, const struct cmd_args *ca, enum cmd_status st)
{
	struct buf	b;
	size_t		i;

	buf_init(&b, 0);
	for (i = 0; i < sizeof hint_rules / sizeof hint_rules[0]; i++) {
		if (!hint_for(hint_rules[i].commands, ca->cmd->name))
			continue;
		buf_reset(&b);
		hint_rules[i].advise(s, ca, st, &b);
		if (b.len > 0) {
			out_flush(s->out);
			out_printf(s->err, "hint: %s\n", b.data);
			out_flush(s->err);
		}
	}
	buf_free(&b);
}
