/*
 * repl.h: the interactive front end (libedit) and the batch one.
 */
#ifndef REPL_H
#define REPL_H

#include "cmd.h"

/* Interactive: libedit line editing, history, completion, prompt.
 * Returns when the user quits or types Ctrl-D. */
void	 repl_run(struct session *);
/* At a terminal: count Ctrl-Cs (SIGINT) for the layers below (intr.h),
 * and stop the results' output on one. */
void	 repl_catch_sigint(struct session *);
/* Batch: run lines from fd until EOF (or the first failure with -e). */
void	 batch_run(struct session *, int fd);
/* The prompt for the session's state, kept short. */
void	 repl_prompt_text(struct session *, struct buf *, int color);
/* Tab completion for a line (complete.c): fills the candidates for the
 * word (or part of a group) that ends at cursor; returns how many bytes
 * before the cursor each candidate replaces (0 with no candidates). */
size_t	 complete_line(struct session *, const char *line, size_t cursor,
	    char ***cands, size_t *ncands);
/* Around each line the shell runs: completion watches its LIST, LSUB and
 * FLAGS responses, and forgets mailbox names it may change. */
void	 complete_before(struct session *, const char *line);
void	 complete_after(struct session *);
/* Forget what completion remembers of the session. */
void	 complete_free(struct session *);

#endif
