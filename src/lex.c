/*
 * lex.c: the one tokenizer.  A line becomes words, either in shell form
 * ("fetch 1 (FLAGS)") or in the call form of an imaplib script line
 * ("typ, data = M.fetch('1', '(FLAGS)')").  The executor and the completer
 * both call lex_line(), so what Tab sees is what Enter runs.
 *
 * Shell form, one word:
 *
 *	word	= 1*(bare / dquoted / squoted / group)
 *	bare	= any char but blank, '"', '\'', ( ) [ ]
 *	dquoted	= '"' *(any char but '"' and '\\' / '\\' any char) '"'
 *		  kept verbatim, quotes and backslashes included
 *	squoted	= '\'' *(any char but '\'') '\''
 *		  quotes removed; makes the whole word W_STRING
 *	group	= ( "(" / "[" ) *(any char / dquoted / group) ( ")" / "]" )
 *		  kept verbatim; blanks inside do not split; a ")" must
 *		  close a "(" and a "]" a "["
 *
 * Inside a group only double quotes are honoured (a ")" or blank in
 * "..." neither closes nor splits); a single quote there is an ordinary
 * character, because the group goes to the server exactly as typed and
 * IMAP has no single-quote syntax: (SUBJECT don't) stays one word.
 *
 * A word holding a squoted part is W_STRING: its value is the word with
 * every quote removed (as a shell reads 'a b'"c"), and it goes to the
 * server by the quoting rule exactly as the same Python str in the call
 * form does, so create 'C D' sends CREATE "C D" (a group is the way to
 * send text unquoted).  A word that is exactly one dquoted token is
 * W_DQUOTED, the bare word None is W_NONE, anything else is W_BARE (a
 * backslash in bare text is a plain character, so \Seen stays \Seen).
 *
 * Redirections, recognised only as the last word(s) after the command
 * name: "<file" or "< file" set words->redirect, "<<TAG" or "<< TAG" set
 * words->heredoc.  The file name and tag are taken with their quotes
 * removed ("<'my msg.eml'" names "my msg.eml").  A last word of the form
 * <...> (ending in '>') is an argument, not a redirection, so that
 * "search None HEADER Message-ID <id@host>" works.  Outside LEX_PARTIAL
 * the redirection words are removed from the word list; with LEX_PARTIAL
 * they stay (so the completer can find the file name being typed) and
 * redirect/heredoc are set as well ("<" alone gives an empty redirect).
 *
 * Call form is recognised when, after an optional "a, b =" assignment and
 * an optional dotted object prefix ("M.", "self.imap."), an identifier is
 * immediately followed by "(" and the line ends with ")" (trailing blanks
 * ignored).  A call followed by a Python "# comment" is also accepted, as
 * long as it parses as a call.  Arguments are Python literals, decoded as
 * Python decodes them.  Word 0 is the method name; a keyword argument's
 * word has kw set and the offsets of its value.  None, True and False give
 * W_NONE and W_BOOL words whose s is "None", "True" or "False".
 *
 * With LEX_PARTIAL, the last word of a line that ends inside a quote or
 * group holds what was typed so far (an open "... word is W_DQUOTED, an
 * open '... word W_STRING) and open_quote and open_depth say what is
 * still open; trailing_blank says the line ends between words.  Stray
 * closers, CR, LF and NUL are errors in both modes.  Call form needs the
 * closing ")" even with LEX_PARTIAL; an unfinished call lexes as shell
 * form.
 *
 * A final "\n" or "\r\n" (as left by getline) is ignored; any other CR, LF
 * or NUL that ends up in a value is refused, since IMAP cannot carry it.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"
#include "xmalloc.h"

struct lexer {
	const char	*line;
	size_t		 len;	/* without a trailing newline */
	int		 flags;
	struct words	*w;
	char		**cause;
};

/* What shell-form lexing learns about one word besides its value. */
struct shell_word {
	struct buf	 val;	/* the word's value (struct word's s) */
	struct buf	 plain;	/* all quotes removed: for redirections */
	int		 squoted;	/* held a single-quoted part */
	size_t		 first_dq_end;	/* end of a leading "..." or 0 */
	int		 bare_lt;	/* starts with an unquoted '<' */
};

static int	 is_blank(int);
static int	 is_ident_start(int);
static int	 is_ident(int);
static int	 is_digit(int);
static int	 hex_value(int);
static void	 put_bytes(struct buf *, const void *, size_t);
static void	 put_char(struct buf *, int);
static void	 put_utf8(struct buf *, uint32_t);
static int	 lex_error(struct lexer *, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));
static struct word *words_add(struct words *);
static void	 word_remove_last(struct words *);
static size_t	 skip_blanks(struct lexer *, size_t);
static size_t	 ident_end(struct lexer *, size_t);

static int	 shell_lex(struct lexer *);
static int	 shell_word(struct lexer *, size_t *, struct shell_word *,
		    char *);
static int	 shell_dquoted(struct lexer *, size_t *, struct shell_word *);
static int	 shell_squoted(struct lexer *, size_t *, struct shell_word *);
static int	 shell_redirect(struct lexer *, struct shell_word *, size_t);

static int	 call_detect(struct lexer *, size_t *, size_t *);
static int	 call_lex(struct lexer *, size_t, size_t);
static int	 call_value(struct lexer *, size_t *, struct word *, size_t);
static int	 call_string(struct lexer *, size_t *, struct buf *, int, int,
		    size_t);
static int	 call_escape(struct lexer *, size_t *, struct buf *, int,
		    size_t);
static int	 string_prefix(struct lexer *, size_t, size_t *, int *, int *);

static int	 check_values(struct lexer *);

static int
is_blank(int c)
{
	return (c == ' ' || c == '\t');
}

static int
is_ident_start(int c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_');
}

static int
is_ident(int c)
{
	return (is_ident_start(c) || is_digit(c));
}

static int
is_digit(int c)
{
	return (c >= '0' && c <= '9');
}

/* The value of hex digit c, or -1. */
static int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/*
 * Append to a value buffer.  Every buffer is created with a cap larger
 * than the line, and no value is longer than the text it was decoded
 * from, so the cap cannot be reached: failing here is a bug.
 */
static void
put_bytes(struct buf *b, const void *p, size_t n)
{
	if (buf_add(b, p, n) == -1)
		abort();
}

static void
put_char(struct buf *b, int c)
{
	char	ch = (char)c;

	put_bytes(b, &ch, 1);
}

/* Append code point cp (at most 0x10ffff, not a surrogate) as UTF-8. */
static void
put_utf8(struct buf *b, uint32_t cp)
{
	if (cp < 0x80)
		put_char(b, (int)cp);
	else if (cp < 0x800) {
		put_char(b, (int)(0xc0 | (cp >> 6)));
		put_char(b, (int)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		put_char(b, (int)(0xe0 | (cp >> 12)));
		put_char(b, (int)(0x80 | ((cp >> 6) & 0x3f)));
		put_char(b, (int)(0x80 | (cp & 0x3f)));
	} else {
		put_char(b, (int)(0xf0 | (cp >> 18)));
		put_char(b, (int)(0x80 | ((cp >> 12) & 0x3f)));
		put_char(b, (int)(0x80 | ((cp >> 6) & 0x3f)));
		put_char(b, (int)(0x80 | (cp & 0x3f)));
	}
}

/* Set *cause (once) and return -1. */
static int
lex_error(struct lexer *lx, const char *fmt, ...)
{
	va_list	 ap;

	if (*lx->cause == NULL) {
		va_start(ap, fmt);
		xvasprintf(lx->cause, fmt, ap);
		va_end(ap);
	}
	return (-1);
}

/* Append a zeroed word and return it. */
static struct word *
words_add(struct words *w)
{
	struct word	*wd;

	w->v = xreallocarray(w->v, w->n + 1, sizeof *w->v);
	wd = &w->v[w->n++];
	memset(wd, 0, sizeof *wd);
	return (wd);
}

static void
word_remove_last(struct words *w)
{
	struct word	*wd = &w->v[--w->n];

	free(wd->s);
	free(wd->kw);
	memset(wd, 0, sizeof *wd);
}

static size_t
skip_blanks(struct lexer *lx, size_t p)
{
	while (p < lx->len && is_blank((unsigned char)lx->line[p]))
		p++;
	return (p);
}

/* The end of the identifier starting at p, or p if there is none. */
static size_t
ident_end(struct lexer *lx, size_t p)
{
	if (p >= lx->len || !is_ident_start((unsigned char)lx->line[p]))
		return (p);
	while (p < lx->len && is_ident((unsigned char)lx->line[p]))
		p++;
	return (p);
}

int
lex_line(const char *line, int flags, struct words *w, char **cause)
{
	struct lexer	 lx;
	size_t		 p, name_start, name_end;
	int		 rv;

	memset(w, 0, sizeof *w);
	*cause = NULL;

	lx.line = line;
	lx.len = strlen(line);
	lx.flags = flags;
	lx.w = w;
	lx.cause = cause;
	if (lx.len > 0 && line[lx.len - 1] == '\n') {
		lx.len--;
		if (lx.len > 0 && line[lx.len - 1] == '\r')
			lx.len--;
	}

	p = skip_blanks(&lx, 0);
	if (p < lx.len && line[p] == '#')
		return (0);

	if (call_detect(&lx, &name_start, &name_end))
		rv = call_lex(&lx, name_start, name_end);
	else
		rv = shell_lex(&lx);
	if (rv == 0)
		rv = check_values(&lx);
	if (rv != 0) {
		words_free(w);
		if (*cause == NULL)
			*cause = xstrdup("cannot parse line");
		return (-1);
	}
	return (0);
}

void
words_free(struct words *w)
{
	size_t	 i;

	for (i = 0; i < w->n; i++) {
		free(w->v[i].s);
		free(w->v[i].kw);
	}
	free(w->v);
	free(w->redirect);
	free(w->heredoc);
	memset(w, 0, sizeof *w);
}

/* Refuse a value holding CR, LF or NUL: no IMAP syntax can carry it. */
static int
check_values(struct lexer *lx)
{
	struct word	*wd;
	size_t		 i, j;

	for (i = 0; i < lx->w->n; i++) {
		wd = &lx->w->v[i];
		/* A message for append may hold line breaks: it goes as a
		 * literal, and the wire layer refuses them anywhere else.
		 * Only a call form's escapes make them; a raw CR typed in a
		 * '...' word stays refused. */
		if (wd->kind == W_STRING && lx->w->callform &&
		    (lx->flags & LEX_BREAKS))
			continue;
		for (j = 0; j < wd->len; j++) {
			if (wd->s[j] != '\r' && wd->s[j] != '\n' &&
			    wd->s[j] != '\0')
				continue;
			if (i == 0) {
				return (lex_error(lx, "the command name "
				    "contains a line break or NUL"));
			}
			return (lex_error(lx, "argument %zu contains a line "
			    "break or NUL; IMAP cannot carry it", i));
		}
	}
	/* The same for a redirection, which is no longer a word here: with
	 * LEX_PARTIAL it is, and both modes must agree.  A heredoc tag
	 * holding CR could never match a line and would swallow the rest of
	 * the input. */
	if ((lx->w->redirect != NULL &&
	    strpbrk(lx->w->redirect, "\r\n") != NULL) ||
	    (lx->w->heredoc != NULL &&
	    strpbrk(lx->w->heredoc, "\r\n") != NULL)) {
		return (lex_error(lx, "the %s after %s contains a line break",
		    lx->w->redirect != NULL ? "file name" : "tag",
		    lx->w->redirect != NULL ? "<" : "<<"));
	}
	return (0);
}

/* Shell form. */

static int
shell_lex(struct lexer *lx)
{
	struct shell_word	 sw, last;
	struct word		*wd;
	char			*stack;
	size_t			 p, start;
	int			 have_last = 0;

	memset(&last, 0, sizeof last);
	/* Open ( and [ of the current word; depth never exceeds the line. */
	stack = xmalloc(lx->len + 1);
	p = 0;
	for (;;) {
		p = skip_blanks(lx, p);
		if (p >= lx->len)
			break;
		start = p;
		if (shell_word(lx, &p, &sw, stack) != 0) {
			buf_free(&sw.val);
			buf_free(&sw.plain);
			goto fail;
		}
		wd = words_add(lx->w);
		if (sw.squoted) {
			/* The value loses every quote; plain stays for a
			 * redirection. */
			buf_reset(&sw.val);
			put_bytes(&sw.val, sw.plain.data, sw.plain.len);
		}
		wd->s = buf_steal(&sw.val, &wd->len);
		wd->start = start;
		wd->end = p;
		if (sw.squoted)
			wd->kind = W_STRING;
		else if (sw.first_dq_end == p)
			wd->kind = W_DQUOTED;
		else if (strcmp(wd->s, "None") == 0)
			wd->kind = W_NONE;
		else
			wd->kind = W_BARE;
		if (have_last)
			buf_free(&last.plain);
		last = sw;
		have_last = 1;
	}
	if (lx->len > 0 && is_blank((unsigned char)lx->line[lx->len - 1]) &&
	    lx->w->open_quote == 0 && lx->w->open_depth == 0)
		lx->w->trailing_blank = 1;
	free(stack);
	if (have_last) {
		if (shell_redirect(lx, &last, lx->w->n - 1) != 0) {
			buf_free(&last.plain);
			return (-1);
		}
		buf_free(&last.plain);
	}
	return (0);

fail:
	free(stack);
	if (have_last)
		buf_free(&last.plain);
	return (-1);
}

/*
 * Lex the word at *pp into sw, leaving *pp just past it.  Returns 0, or -1
 * with a cause.  With LEX_PARTIAL, an unterminated quote or group ends the
 * word at the end of the line and is recorded in the words' end state.
 */
static int
shell_word(struct lexer *lx, size_t *pp, struct shell_word *sw, char *stack)
{
	size_t	 p = *pp, seg_start, depth = 0;
	int	 c, partial = lx->flags & LEX_PARTIAL;

	memset(sw, 0, sizeof *sw);
	buf_init(&sw->val, lx->len + 1);
	buf_init(&sw->plain, lx->len + 1);
	sw->bare_lt = lx->line[p] == '<';

	while (p < lx->len) {
		c = (unsigned char)lx->line[p];
		seg_start = p;
		if (depth == 0 && is_blank(c))
			break;
		if (c == '"') {
			if (shell_dquoted(lx, &p, sw) != 0)
				return (-1);
			if (seg_start == *pp)
				sw->first_dq_end = p;
			if (lx->w->open_quote != 0)
				break;
			continue;
		}
		if (c == '\'' && depth == 0) {
			if (shell_squoted(lx, &p, sw) != 0)
				return (-1);
			if (lx->w->open_quote != 0)
				break;
			continue;
		}
		if (c == '(' || c == '[')
			stack[depth++] = (char)c;
		else if (c == ')' || c == ']') {
			if (depth == 0 || stack[depth - 1] != (c == ')' ?
			    '(' : '[')) {
				return (lex_error(lx, "unbalanced %s",
				    c == ')' ? "parenthesis" : "bracket"));
			}
			depth--;
		}
		put_char(&sw->val, c);
		put_char(&sw->plain, c);
		p++;
	}
	/* The leading "..." must be the whole word to make it W_DQUOTED. */
	if (sw->first_dq_end != 0 && sw->first_dq_end != p)
		sw->first_dq_end = 0;
	if (depth != 0) {
		if (!partial) {
			return (lex_error(lx, "unbalanced %s",
			    stack[depth - 1] == '(' ? "parenthesis" :
			    "bracket"));
		}
		lx->w->open_depth = (int)depth;
	}
	*pp = p;
	return (0);
}

/* A "..." token at *pp, kept verbatim in val and unescaped in plain. */
static int
shell_dquoted(struct lexer *lx, size_t *pp, struct shell_word *sw)
{
	size_t	 p = *pp;
	int	 c;

	put_char(&sw->val, '"');
	p++;
	for (;;) {
		if (p >= lx->len) {
			if (!(lx->flags & LEX_PARTIAL))
				return (lex_error(lx, "unterminated quote"));
			lx->w->open_quote = '"';
			break;
		}
		c = (unsigned char)lx->line[p];
		if (c == '"') {
			put_char(&sw->val, c);
			p++;
			break;
		}
		if (c == '\\' && p + 1 < lx->len) {
			put_char(&sw->val, c);
			c = (unsigned char)lx->line[++p];
		}
		put_char(&sw->val, c);
		put_char(&sw->plain, c);
		p++;
	}
	*pp = p;
	return (0);
}

/* A '...' token at *pp: quotes removed, the whole word made a string. */
static int
shell_squoted(struct lexer *lx, size_t *pp, struct shell_word *sw)
{
	size_t	 p = *pp + 1;
	int	 c;

	sw->squoted = 1;
	for (;;) {
		if (p >= lx->len) {
			if (!(lx->flags & LEX_PARTIAL))
				return (lex_error(lx, "unterminated quote"));
			lx->w->open_quote = '\'';
			break;
		}
		c = (unsigned char)lx->line[p++];
		if (c == '\'')
			break;
		put_char(&sw->val, c);
		put_char(&sw->plain, c);
	}
	*pp = p;
	return (0);
}

/*
 * Turn trailing "<file", "< file", "<<TAG" or "<< TAG" words into the
 * redirection fields; last is what the lexer learnt about word i, the
 * last one.  Returns 0, or -1 with a cause for a missing name.
 */
static int
shell_redirect(struct lexer *lx, struct shell_word *last, size_t i)
{
	struct words	*w = lx->w;
	struct word	*prev;
	const char	*plain = last->plain.data;
	int		 partial = lx->flags & LEX_PARTIAL;

	if (i == 0 || plain == NULL)
		return (0);
	if (last->bare_lt) {
		if (strncmp(plain, "<<", 2) == 0) {
			if (plain[2] == '\0' && !partial)
				return (lex_error(lx, "missing tag after <<"));
			w->heredoc = xstrdup(plain + 2);
		} else {
			if (plain[1] == '\0' && !partial) {
				return (lex_error(lx,
				    "missing file name after <"));
			}
			if (plain[1] != '\0' &&
			    plain[strlen(plain) - 1] == '>')
				return (0);	/* <message-id> */
			w->redirect = xstrdup(plain + 1);
		}
		if (!partial)
			word_remove_last(w);
		return (0);
	}
	if (i < 2)
		return (0);
	prev = &w->v[i - 1];
	if (prev->kind != W_BARE || lx->line[prev->start] != '<')
		return (0);
	if (strcmp(prev->s, "<") == 0)
		w->redirect = xstrdup(plain);
	else if (strcmp(prev->s, "<<") == 0)
		w->heredoc = xstrdup(plain);
	else
		return (0);
	if (!partial) {
		word_remove_last(w);
		word_remove_last(w);
	}
	return (0);
}

/* Call form. */

/*
 * Is the line a Python call?  Sets the method name's offsets and returns
 * 1, or returns 0 for shell form.
 */
static int
call_detect(struct lexer *lx, size_t *name_start, size_t *name_end)
{
	const char	*line = lx->line;
	size_t		 p, q, e, len;

	p = skip_blanks(lx, 0);

	/* An assignment: identifiers and commas before a single '='. */
	q = p;
	while ((e = ident_end(lx, q)) != q) {
		q = skip_blanks(lx, e);
		if (q < lx->len && line[q] == ',') {
			q = skip_blanks(lx, q + 1);
			if (ident_end(lx, q) != q)
				continue;
		}
		if (q < lx->len && line[q] == '=' &&
		    (q + 1 >= lx->len || line[q + 1] != '='))
			p = skip_blanks(lx, q + 1);
		break;
	}

	/* A dotted name followed at once by '('. */
	for (;;) {
		if ((e = ident_end(lx, p)) == p)
			return (0);
		if (e < lx->len && line[e] == '.') {
			p = e + 1;
			continue;
		}
		if (e >= lx->len || line[e] != '(')
			return (0);
		break;
	}
	*name_start = p;
	*name_end = e;

	/* The line must end with ')', or the call must parse (a comment). */
	len = lx->len;
	while (len > 0 && is_blank((unsigned char)line[len - 1]))
		len--;
	if (line[len - 1] == ')')
		return (1);
	if (lx->flags & LEX_PARTIAL)
		return (0);
	if (call_lex(lx, p, e) == 0) {
		words_free(lx->w);
		return (1);
	}
	words_free(lx->w);
	free(*lx->cause);
	*lx->cause = NULL;
	return (0);
}

static int
call_lex(struct lexer *lx, size_t name_start, size_t name_end)
{
	const char	*line = lx->line;
	struct word	*wd;
	size_t		 p, q, e, argno, i;
	char		*kw;
	int		 seen_kw = 0;

	lx->w->callform = 1;
	wd = words_add(lx->w);
	wd->s = xstrndup(line + name_start, name_end - name_start);
	wd->len = name_end - name_start;
	wd->kind = W_BARE;
	wd->start = name_start;
	wd->end = name_end;

	p = name_end + 1;
	for (argno = 1;; argno++) {
		p = skip_blanks(lx, p);
		if (p >= lx->len)
			return (lex_error(lx, "missing ')' after arguments"));
		if (line[p] == ')')
			break;

		kw = NULL;
		e = ident_end(lx, p);
		q = skip_blanks(lx, e);
		if (e != p && q < lx->len && line[q] == '=' &&
		    (q + 1 >= lx->len || line[q + 1] != '=')) {
			kw = xstrndup(line + p, e - p);
			if (strcmp(kw, "None") == 0 ||
			    strcmp(kw, "True") == 0 ||
			    strcmp(kw, "False") == 0) {
				lex_error(lx, "argument %zu: %s cannot be a "
				    "keyword", argno, kw);
				free(kw);
				return (-1);
			}
			for (i = 1; i < lx->w->n; i++) {
				if (lx->w->v[i].kw == NULL ||
				    strcmp(lx->w->v[i].kw, kw) != 0)
					continue;
				lex_error(lx, "argument %zu: keyword argument "
				    "%s repeated", argno, kw);
				free(kw);
				return (-1);
			}
			seen_kw = 1;
			p = skip_blanks(lx, q + 1);
		} else if (seen_kw) {
			return (lex_error(lx, "argument %zu: positional "
			    "argument follows keyword argument", argno));
		}

		wd = words_add(lx->w);
		wd->kw = kw;
		if (call_value(lx, &p, wd, argno) != 0)
			return (-1);

		p = skip_blanks(lx, p);
		if (p < lx->len && line[p] == ',') {
			p++;
			continue;
		}
		if (p < lx->len && line[p] == ')')
			break;
		if (p >= lx->len)
			return (lex_error(lx, "missing ')' after arguments"));
		return (lex_error(lx, "argument %zu: expected ',' or ')' "
		    "after the value, not '%c'", argno, line[p]));
	}
	p = skip_blanks(lx, p + 1);
	if (p < lx->len && line[p] != '#')
		return (lex_error(lx, "unexpected text after ')'"));
	return (0);
}

/* One argument value at *pp into wd. */
static int
call_value(struct lexer *lx, size_t *pp, struct word *wd, size_t argno)
{
	const char	*line = lx->line;
	struct buf	 val;
	size_t		 p = *pp, e, plen;
	int		 raw, bytes, is_bytes = -1;

	wd->start = p;
	if (p >= lx->len)
		return (lex_error(lx, "argument %zu: missing value", argno));

	if (string_prefix(lx, p, &plen, &raw, &bytes)) {
		buf_init(&val, lx->len + 1);
		for (;;) {
			if (is_bytes != -1 && is_bytes != bytes) {
				buf_free(&val);
				return (lex_error(lx, "argument %zu: cannot "
				    "mix bytes and str literals", argno));
			}
			is_bytes = bytes;
			p += plen;
			if (call_string(lx, &p, &val, raw, bytes,
			    argno) != 0) {
				buf_free(&val);
				return (-1);
			}
			wd->end = p;
			/* Adjacent literals concatenate: 'a' 'b'. */
			e = skip_blanks(lx, p);
			if (!string_prefix(lx, e, &plen, &raw, &bytes))
				break;
			p = e;
		}
		wd->s = buf_steal(&val, &wd->len);
		wd->kind = W_STRING;
		*pp = p;
		return (0);
	}

	if (line[p] == '-' || is_digit((unsigned char)line[p])) {
		e = p + (line[p] == '-');
		while (e < lx->len && is_digit((unsigned char)line[e]))
			e++;
		if (e == p + 1 && line[p] == '-') {
			return (lex_error(lx, "argument %zu: '-' is not "
			    "followed by a number", argno));
		}
		if (e < lx->len && (is_ident((unsigned char)line[e]) ||
		    line[e] == '.')) {
			return (lex_error(lx, "argument %zu: only decimal "
			    "integers are supported", argno));
		}
		wd->s = xstrndup(line + p, e - p);
		wd->len = e - p;
		wd->kind = W_NUMBER;
		wd->end = *pp = e;
		return (0);
	}

	if ((e = ident_end(lx, p)) != p) {
		wd->s = xstrndup(line + p, e - p);
		wd->len = e - p;
		wd->end = *pp = e;
		if (strcmp(wd->s, "None") == 0)
			wd->kind = W_NONE;
		else if (strcmp(wd->s, "True") == 0 ||
		    strcmp(wd->s, "False") == 0)
			wd->kind = W_BOOL;
		else if (e < lx->len && (line[e] == '\'' || line[e] == '"')) {
			return (lex_error(lx, "argument %zu: unsupported "
			    "string prefix %s", argno, wd->s));
		} else {
			return (lex_error(lx, "argument %zu: %s is not a "
			    "literal; use a string, bytes, integer, None, "
			    "True or False", argno, wd->s));
		}
		return (0);
	}

	return (lex_error(lx, "argument %zu: unexpected '%c'; use a string, "
	    "bytes, integer, None, True or False", argno, line[p]));
}

/*
 * Does a string literal start at p?  Accepts the prefixes r, u, b, rb and
 * br in any case; sets the prefix length and whether the literal is raw
 * or bytes.
 */
static int
string_prefix(struct lexer *lx, size_t p, size_t *plen, int *raw, int *bytes)
{
	const char	*line = lx->line;
	size_t		 n;
	int		 r = 0, b = 0, u = 0, c;

	for (n = 0; p + n < lx->len; n++) {
		c = (unsigned char)line[p + n];
		if (c == '\'' || c == '"')
			break;
		if (n == 2)
			return (0);
		if ((c == 'r' || c == 'R') && !r)
			r = 1;
		else if ((c == 'b' || c == 'B') && !b)
			b = 1;
		else if ((c == 'u' || c == 'U') && !u)
			u = 1;
		else
			return (0);
	}
	if (p + n >= lx->len || (line[p + n] != '\'' && line[p + n] != '"'))
		return (0);
	if (u && (r || b))
		return (0);
	*plen = n;
	*raw = r;
	*bytes = b;
	return (1);
}

/*
 * The string literal whose opening quote is at *pp: append its value to
 * val and leave *pp past the closing quote.  raw and bytes come from the
 * literal's prefix.
 */
static int
call_string(struct lexer *lx, size_t *pp, struct buf *val, int raw,
    int bytes, size_t argno)
{
	const char	*line = lx->line;
	size_t		 p = *pp;
	int		 q, c, triple;

	q = (unsigned char)line[p];
	triple = p + 2 < lx->len && line[p + 1] == q && line[p + 2] == q;
	p += triple ? 3 : 1;
	for (;;) {
		if (p >= lx->len) {
			return (lex_error(lx, "argument %zu: unterminated "
			    "string", argno));
		}
		c = (unsigned char)line[p];
		if (c == q && (!triple || (p + 2 < lx->len &&
		    line[p + 1] == q && line[p + 2] == q))) {
			p += triple ? 3 : 1;
			break;
		}
		if (c == '\\') {
			if (raw) {
				put_char(val, c);
				if (++p < lx->len)
					put_char(val, line[p++]);
				continue;
			}
			if (call_escape(lx, &p, val, bytes, argno) != 0)
				return (-1);
			continue;
		}
		if (bytes && c >= 0x80) {
			return (lex_error(lx, "argument %zu: a bytes literal "
			    "can only hold ASCII characters", argno));
		}
		put_char(val, c);
		p++;
	}
	*pp = p;
	return (0);
}

/*
 * Decode the backslash escape at *pp as Python does for a str or bytes
 * literal, appending the result to val (str code points as UTF-8).
 * Unknown escapes are kept with their backslash, as Python keeps them.
 */
static int
call_escape(struct lexer *lx, size_t *pp, struct buf *val, int bytes,
    size_t argno)
{
	const char	*line = lx->line;
	size_t		 p = *pp + 1, n, ndigits;
	uint32_t	 cp;
	int		 c, d;

	if (p >= lx->len)
		return (lex_error(lx, "argument %zu: unterminated string",
		    argno));
	c = (unsigned char)line[p++];
	switch (c) {
	case '\\':
	case '\'':
	case '"':
		put_char(val, c);
		break;
	case 'a':
		put_char(val, '\a');
		break;
	case 'b':
		put_char(val, '\b');
		break;
	case 'f':
		put_char(val, '\f');
		break;
	case 'n':
		put_char(val, '\n');
		break;
	case 'r':
		put_char(val, '\r');
		break;
	case 't':
		put_char(val, '\t');
		break;
	case 'v':
		put_char(val, '\v');
		break;
	case '0': case '1': case '2': case '3':
	case '4': case '5': case '6': case '7':
		cp = (uint32_t)(c - '0');
		for (n = 1; n < 3 && p < lx->len &&
		    line[p] >= '0' && line[p] <= '7'; n++)
			cp = cp * 8 + (uint32_t)(line[p++] - '0');
		if (!bytes)
			put_utf8(val, cp);
		else if (cp > 0xff) {
			return (lex_error(lx, "argument %zu: octal escape "
			    "out of range", argno));
		} else
			put_char(val, (int)cp);
		break;
	case 'x':
	case 'u':
	case 'U':
		if (c != 'x' && bytes) {
			/* b'\u' is a backslash and a u. */
			put_char(val, '\\');
			put_char(val, c);
			break;
		}
		ndigits = c == 'x' ? 2 : c == 'u' ? 4 : 8;
		cp = 0;
		for (n = 0; n < ndigits; n++) {
			if (p >= lx->len ||
			    (d = hex_value((unsigned char)line[p])) == -1) {
				return (lex_error(lx, "argument %zu: "
				    "truncated \\%c escape", argno, c));
			}
			cp = cp * 16 + (uint32_t)d;
			p++;
		}
		if (bytes)
			put_char(val, (int)cp);
		else if (cp > 0x10ffff) {
			return (lex_error(lx, "argument %zu: \\%c escape "
			    "beyond Unicode", argno, c));
		} else if (cp >= 0xd800 && cp <= 0xdfff) {
			return (lex_error(lx, "argument %zu: a surrogate "
			    "cannot be encoded in UTF-8", argno));
		} else
			put_utf8(val, cp);
		break;
	case 'N':
		if (!bytes) {
			return (lex_error(lx, "argument %zu: \\N{...} escapes "
			    "are not supported", argno));
		}
		/* FALLTHROUGH */
	default:
		put_char(val, '\\');
		put_char(val, c);
		break;
	}
	*pp = p;
	return (0);
}
