/*
 * hint.h: a line of advice on stderr after a result that puzzles a person
 * though it is imaplib's (the result itself is never changed).
 */
#ifndef HINT_H
#define HINT_H

#include "cmd.h"

/* After command ca has run with status st: print the hints that apply. */
void	 hint_after(struct session *, const struct cmd_args *ca,
	    enum cmd_status st);

#endif
