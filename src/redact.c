/*
 * redact.c: which words of a command line are credentials.  See redact.h.
 *
 * An IMAP command line is walked with the grammar of RFC 3501 just far
 * enough to find argument boundaries: an atom runs to a blank, a quoted
 * string to its closing quote (backslash escapes), a list to its closing
 * parenthesis (quotes honoured inside), a literal's {N} ends the line.
 * Blanks between arguments may be one or more spaces or tabs (raw sends
 * what was typed).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "lex.h"
#include "redact.h"

static size_t	redact_word_end(const char *, size_t, size_t, int *);
static size_t	redact_skip_blanks(const char *, size_t, size_t);
static int	redact_names_credentials(const char *, size_t);
static int	redact_raw_line(const char *);
static int	redact_words(const struct words *);
static int	redact_unlexed(const char *);

/* 1 if name is LOGIN or AUTHENTICATE (any case). */
static int
redact_names_credentials(const char *name, size_t len)
{
	return ((len == 5 && strncasecmp(name, "LOGIN", 5) == 0) ||
	    (len == 12 && strncasecmp(name, "AUTHENTICATE", 12) == 0));
}

int
redact_imap_arg(const char *name, size_t len, size_t i)
{
	/* LOGIN user password; AUTHENTICATE mechanism [initial-response] */
	return (i >= 1 && redact_names_credentials(name, len));
}

static size_t
redact_skip_blanks(const char *s, size_t len, size_t i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return (i);
}

/*
 * The end of the argument that starts at s[i]; *open is set when a quoted
 * string or a list it starts does not end on the line.  A quote inside
 * an atom is a character like any other.
 */
static size_t
redact_word_end(const char *s, size_t len, size_t i, int *open)
{
	size_t	depth = 0;
	int	quoted = 0;

	*open = 0;
	if (i < len && s[i] == '"') {
		quoted = 1;
		i++;
	}
	for (; i < len; i++) {
		if (quoted) {
			if (s[i] == '\\' && i + 1 < len)
				i++;
			else if (s[i] == '"') {
				quoted = 0;
				if (depth == 0)
					return (i + 1);
			}
		} else if (s[i] == '"' && depth > 0)
			quoted = 1;
		else if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && depth > 0) {
			if (--depth == 0)
				return (i + 1);
		} else if ((s[i] == ' ' || s[i] == '\t') && depth == 0)
			return (i);
	}
	*open = quoted || depth > 0;
	return (len);
}

size_t
redact_imap_line(struct buf *b, const char *line, size_t len)
{
	size_t	i, end, name, namelen, arg, n = 0;
	int	open, cred;

	/* The tag and the name go as they are. */
	end = redact_word_end(line, len, 0, &open);
	name = redact_skip_blanks(line, len, end);
	namelen = redact_word_end(line, len, name, &open) - name;
	cred = redact_names_credentials(line + name, namelen);
	if (!cred) {
		/* A word between the tag and LOGIN (a second tag typed to
		 * raw by mistake): the server refuses the line, but what
		 * follows LOGIN is still a password. */
		i = redact_skip_blanks(line, len, name + namelen);
		end = redact_word_end(line, len, i, &open);
		if (redact_names_credentials(line + i, end - i)) {
			name = i;
			namelen = end - i;
			cred = 1;
		}
	}
	i = name + namelen;
	buf_add(b, line, i);
	for (arg = 0; i < len; arg++) {
		end = redact_skip_blanks(line, len, i);
		buf_add(b, line + i, end - i);
		if ((i = end) == len)
			break;
		end = redact_word_end(line, len, i, &open);
		/* An argument left open would hide the password in it. */
		if ((redact_imap_arg(line + name, namelen, arg) ||
		    (cred && open)) && line[i] != '{') {
			buf_addstr(b, REDACTED);
			n++;
		} else
			buf_add(b, line + i, end - i);
		i = end;
	}
	return (n);
}

int
redact_imap_exchange(const char *line, size_t len)
{
	size_t	name, end;
	int	open;

	name = redact_skip_blanks(line, len, 0);
	end = redact_word_end(line, len, name, &open);
	return (end - name == 12 &&
	    strncasecmp(line + name, "AUTHENTICATE", 12) == 0);
}

/* What raw sends: with or without a tag of the user's own. */
static int
redact_raw_line(const char *rest)
{
	struct buf	b, tagged;
	size_t		n;

	buf_init(&b, 0);
	buf_init(&tagged, 0);
	buf_addstr(&tagged, "T ");
	buf_addstr(&tagged, rest);
	n = redact_imap_line(&b, rest, strlen(rest));
	n += redact_imap_line(&b, tagged.data, tagged.len);
	buf_free(&tagged);
	buf_free(&b);
	return (n > 0);
}

/* The typed line's words: see redact_typed_line(). */
static int
redact_words(const struct words *w)
{
	const struct cmd_entry	*ce;
	char			*cause = NULL;
	size_t			 i;

	if (w->n == 0)
		return (0);
	ce = cmd_find(w->v[0].s, &cause);
	free(cause);
	if (ce != NULL && (ce->flags & CMD_SECRET)) {
		/* login user pass, or any keyword (password=...) */
		for (i = 1; i < w->n; i++)
			if (w->v[i].kw != NULL)
				return (1);
		return (w->n >= 3);
	}
	if (ce != NULL && strcmp(ce->name, "xatom") == 0) {
		for (i = 2; w->n >= 2 && i < w->n; i++)
			if (redact_imap_arg(w->v[1].s, w->v[1].len, i - 2))
				return (1);
		return (0);
	}
	if (ce != NULL)
		return (0);
	/* Not a command imapsh knows (or an ambiguous prefix): any word
	 * that names a command taking a credential, two words after it. */
	for (i = 0; i + 2 < w->n; i++) {
		if (redact_names_credentials(w->v[i].s, w->v[i].len) ||
		    (i == 0 && w->v[i].len >= 3 &&
		    (strncasecmp(w->v[i].s, "login", w->v[i].len) == 0 ||
		    strncasecmp(w->v[i].s, "login_cram_md5",
		    w->v[i].len) == 0 ||
		    strncasecmp(w->v[i].s, "authenticate", w->v[i].len) == 0)))
			return (1);
	}
	return (0);
}

/* A line the lexer cannot read: does it mention login or auth at all? */
static int
redact_unlexed(const char *line)
{
	return (strcasestr(line, "login") != NULL ||
	    strcasestr(line, "auth") != NULL);
}

int
redact_typed_line(const char *line)
{
	const struct cmd_entry	*ce;
	struct words		 w;
	char			*cause = NULL;
	int			 secret;

	memset(&w, 0, sizeof w);
	if (lex_line(line, LEX_PARTIAL, &w, &cause) == -1) {
		free(cause);
		return (redact_unlexed(line));
	}
	/* raw: the rest of the line is sent as typed. */
	if (w.n >= 2 && !w.callform &&
	    (ce = cmd_find(w.v[0].s, &cause)) != NULL &&
	    (ce->flags & CMD_LINE))
		secret = redact_raw_line(line + w.v[1].start);
	else
		secret = redact_words(&w);
	free(cause);
	words_free(&w);
	return (secret);
}
