/*
 * repl.h: the interactive front end (libedit) and the batch one.
 */
#ifndef REPL_H
#define REPL_H

#include "cmd.h"

/* Interactive: libedit line editing, history, completion, prompt.
 * Returns when the user quits or types Ctrl-D. */
void	 repl_run(struct session *);
/* Batch: run lines from fp until EOF (or the first failure with -e). */
void	 batch_run(struct session *, FILE *);
/* The prompt for the session's state, kept short. */
void	 repl_prompt_text(struct session *, struct buf *, int color);
/* Tab completion for a line (complete.c): fills the candidates for the
 * word that ends at cursor; returns how many chars of it are typed. */
size_t	 complete_line(struct session *, const char *line, size_t cursor,
	    char ***cands, size_t *ncands);

#endif
