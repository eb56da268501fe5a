/*
 * intr.h: Ctrl-C, as the layers below the front end see it.
 *
 * The front end (repl.c) owns the count of Ctrl-Cs: a volatile
 * sig_atomic_t that its SIGINT handler raises and that it alone sets back
 * to zero, when it reads a new line and when a new command starts.  It
 * hands the count here, read-only, once (intr_watch()).  Every other layer
 * only reads it and reports "interrupted"; none clears it.  A layer that
 * must tell a second Ctrl-C from the first (the core lets a command finish
 * on the first and drops the connection on the second; output stops on
 * any it was not told to go on after) remembers how many it has answered.
 */
#ifndef INTR_H
#define INTR_H

#include <signal.h>

/* Watch count from now on (NULL: none, intr_count() is then 0). */
void	 intr_watch(const volatile sig_atomic_t *count);
/* The number of Ctrl-Cs since the front end last set the count to 0. */
int	 intr_count(void);

#endif
