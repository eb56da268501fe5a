/*
 * arg.c: a command's bound parameters (words) read as what they are:
 * text, None, a Python truth value, a parenthesised list.
 */
#include <string.h>

#include "cmd.h"

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
