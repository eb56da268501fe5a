/*
 * pager.h: long output for a person goes through a pager.
 *
 * The pager is $PAGER, run by /bin/sh -c as man(1) and git do; with
 * $PAGER unset it is less(1) in its secure mode (LESSSECURE=1: no shell
 * commands, editor, log file or history file from inside it, so a
 * session that may run with privileges, as under sudo, cannot become a
 * shell by a keystroke in the pager).  LESS defaults to "FX": quit at
 * once when the text fits on one screen, and leave it on the screen.  No
 * -R: what imapsh gives the pager has every control byte escaped, and
 * less shows any that slipped through as ^X instead of passing it on.
 * $PAGER set to "" or "cat" means no pager.
 */
#ifndef PAGER_H
#define PAGER_H

#include <sys/types.h>

struct pager {
	int	 fd;		/* write the text here */
	pid_t	 pid;
};

/*
 * Start the pager; 0 and *pg filled, or -1 when there is none to start
 * (none wanted, less not installed, or it could not be started: then
 * *cause says why, else it is NULL).
 */
int	 pager_open(struct pager *pg, char **cause);
/* End of the text: close the pipe and wait for the person to quit it. */
void	 pager_close(struct pager *pg);

#endif
