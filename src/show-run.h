/*
 * show-run.h: the show command's text comes from imapsh-show, a program
 * of its own (show-main.c) that imapsh runs once for each message.
 *
 * The helper is $IMAPSH_SHOW_HELPER when that is set (the tests run the
 * build's copy), else where make install puts it:
 * LIBEXECDIR/imapsh/imapsh-show.
 */
#ifndef SHOW_RUN_H
#define SHOW_RUN_H

#include "output.h"
#include "pyval.h"

/*
 * imapsh-show's exit statuses: shown; the message cannot be shown (no such
 * part, not a message: why on standard error); a wrong argument or a
 * system error (on standard error); the output could not be written (the
 * reader went away).  A helper that cannot be run exits with 127.
 */
#define SHOW_EXIT_OK		0
#define SHOW_EXIT_MESSAGE	1
#define SHOW_EXIT_ERROR		2
#define SHOW_EXIT_OUTPUT	3
#define SHOW_EXIT_EXEC		127

/* The helper's path: $IMAPSH_SHOW_HELPER, or the installed one. */
const char	*show_run_path(void);
/* 0 if the helper can be run; -1 and *cause (what to do) if not. */
int		 show_run_ready(char **cause);
/*
 * Lay out the message lit (PV_BYTES, in memory or spooled), or only its
 * part (NULL: all of it), to o's descriptor, after flushing o.  0, also
 * when the output went away (o->failed is then set: a pager that quit)
 * or Ctrl-C ended the helper (intr_count() then says so); -1 and *cause
 * when the message could not be shown (no such part) or the helper
 * failed.
 */
int		 show_run(const struct pyval *lit, const char *part,
		    struct out *o, char **cause);

#endif
