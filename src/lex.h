/*
 * lex.h: the one tokenizer.  A line the user typed becomes words, and the
 * words become method arguments.  The executor and the completer both use
 * it, so what Tab completes is what Enter runs.
 *
 * Shell form:  name arg arg ...
 *   - words are separated by blanks (space, tab);
 *   - a "double-quoted string" is one word and keeps its quotes (so the
 *     quoting rule sees it as already quoted), backslash escapes inside it
 *     are kept verbatim;
 *   - a parenthesised or bracketed group is one word, however many blanks
 *     it holds: (UID BODY[TEXT]) and BODY.PEEK[HEADER.FIELDS (FROM TO)];
 *     quotes inside a group are honoured;
 *   - 'single quotes' group words into one argument: the word's text
 *     without its quotes, sent by the quoting rule as the same string in
 *     the call form is (W_STRING);
 *   - None (exactly, case-sensitive as in Python) is an absent argument;
 *   - a last word "<file" redirects a message from a file, "<<TAG" starts
 *     an inline message that ends at a line holding just TAG.
 *
 * Call form (lines copied from an imaplib script):
 *   [typ, data =] [obj.]name(arg, ..., kw=arg)
 *   args are Python literals: 'str', "str", r'raw', b'bytes', None, True,
 *   False, integers; escapes are decoded as Python decodes them.  String
 *   values are subject to the quoting rule (W_STRING).
 *
 * A '#' at the start of a line (after blanks) makes a comment.
 */
#ifndef LEX_H
#define LEX_H

#include <stddef.h>

enum word_kind {
	W_BARE,		/* plain word, quoting rule applies */
	W_DQUOTED,	/* "..." kept with its quotes: already quoted */
	W_STRING,	/* a Python str's or a '...' word's value: quoting
			 * rule */
	W_NONE,		/* None */
	W_BOOL,		/* True / False (s is "True" / "False") */
	W_NUMBER	/* a Python integer literal (s is its digits) */
};

struct word {
	char		*s;	/* decoded value, NUL-terminated (may hold NUL) */
	size_t		 len;
	enum word_kind	 kind;
	char		*kw;	/* keyword name in call form (kw=...), or NULL */
	size_t		 start;	/* offset of the word's first char in line */
	size_t		 end;	/* offset just past its last char */
};

struct words {
	struct word	*v;
	size_t		 n;
	int		 callform;	/* the line was a Python call */
	char		*redirect;	/* "<file": the file name, or NULL */
	char		*heredoc;	/* "<<TAG": the TAG, or NULL */
	/* LEX_PARTIAL only: the state at the end of the line */
	int		 open_quote;	/* 0, '"' or '\'' still open at end */
	int		 open_depth;	/* unclosed ( and [ at end */
	int		 trailing_blank; /* line ends in a blank: new word */
};

#define LEX_PARTIAL	0x1	/* for completion: accept unterminated input */
#define LEX_BREAKS	0x2	/* call-form strings may hold CR, LF, NUL */

/*
 * Split line into words.  Returns 0, or -1 with *cause set (unbalanced
 * parenthesis or quote, bad escape, a CR/LF/NUL in a value, bad call
 * form).  An empty or comment line gives n == 0.  words_free() releases.
 */
int	 lex_line(const char *line, int flags, struct words *, char **cause);
void	 words_free(struct words *);

#endif
