/*
 * stage.h: output held back until a command's tagged reply.
 *
 * imaplib's value starts with its type, which only the tagged reply tells,
 * so a printer that formats a result as its responses arrive writes into a
 * stage: a struct out whose 64 KB buffer is the memory it may use, spilling
 * to an unlinked file in $TMPDIR (or /tmp).  On the tagged reply the stage
 * is emitted to the real output (the first bytes possibly replaced by
 * another head), the file moved by the kernel (sendfile) where it can; or
 * discarded.  Memory stays the buffer's size whatever the result's size,
 * and nothing is formatted twice.  One stage serves a session's commands
 * in turn; its file is made on first use and emptied after each.
 */
#ifndef STAGE_H
#define STAGE_H

#include <stddef.h>

#include "output.h"

struct stage;

/* NULL and *cause when no file can be made in $TMPDIR. */
struct stage	*stage_new(char **cause);
void		 stage_free(struct stage *);
/* The output to write the staged bytes into. */
struct out	*stage_out(struct stage *);
/*
 * Write what was staged to dst, its first skip bytes replaced by head
 * (head may be NULL when skip is 0), then empty the stage.  When hl_on is
 * not NULL, bytes [hl_skip, hl_skip + hl_len) of what dst gets are
 * highlighted (out_highlight()).  -1 when the staged bytes could not be
 * read back (dst got what could be); dst->failed tells of write errors.
 */
int		 stage_emit(struct stage *, struct out *dst, size_t skip,
		    const char *head, size_t hl_skip, size_t hl_len,
		    const char *hl_on, const char *hl_off);
/* Forget what was staged. */
void		 stage_discard(struct stage *);

#endif
