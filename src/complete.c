/*
 * complete.c: Tab completion.  The line is split with the same tokenizer
 * that runs it (lex.c, in its partial mode), so the word being completed
 * is the word that will be executed.  The first word completes from the
 * command table; help's argument too.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "lex.h"
#include "repl.h"

static void	complete_add(char ***, size_t *, const char *);

static void
complete_add(char ***cands, size_t *n, const char *s)
{
	*cands = xreallocarray(*cands, *n + 1, sizeof **cands);
	(*cands)[(*n)++] = xstrdup(s);
}

size_t
complete_line(struct session *s, const char *line, size_t cursor,
    char ***cands, size_t *ncands)
{
	struct words	 w;
	const char	*word = "";
	char		*text, *cause = NULL;
	size_t		 idx, typed, i;

	*cands = NULL;
	*ncands = 0;
	text = xstrndup(line, cursor);
	memset(&w, 0, sizeof w);
	if (lex_line(text, LEX_PARTIAL, &w, &cause) == -1 || w.callform) {
		free(cause);
		free(text);
		words_free(&w);
		return (0);
	}
	if (w.n == 0 || w.trailing_blank) {
		idx = w.n;
		word = "";
	} else {
		idx = w.n - 1;
		word = w.v[idx].s;
	}
	typed = strlen(word);
	if (idx == 0 || (idx == 1 && strcasecmp(w.v[0].s, "help") == 0)) {
		for (i = 0; i < cmd_count; i++)
			if (strncasecmp(cmd_table[i].name, word, typed) == 0)
				complete_add(cands, ncands,
				    cmd_table[i].name);
	}
	words_free(&w);
	free(text);
	return (typed);
}
