/*
 * cmd-build.c: a command built before it runs (struct cmd_built).
 *
 * A command that a script may send ahead (CMD_PIPE) has a builder in the
 * command table: from the bound arguments it fills in the IMAP name, the
 * wire arguments and the untagged name whose data the command returns,
 * and it prints and sends nothing.  The command's run is the builder and
 * then cmd_simple() (cmd_build_exec()); pipelining hands the same
 * description to the core to send ahead (cmd_presend_line()), so a
 * command is built once either way.
 */
#include <stdlib.h>

#include "cmd.h"

void
cmd_build_init(struct cmd_built *cb)
{
	cb->name = NULL;
	cb->untagged = NULL;
	wire_init(&cb->wire);
}

void
cmd_build_free(struct cmd_built *cb)
{
	wire_free(&cb->wire);
	free(cb->untagged);
	cb->untagged = NULL;
}

int
cmd_build_words(struct cmd_built *cb, struct session *s,
    const struct cmd_args *ca, const struct word **first, size_t nfirst,
    const struct word **rest, size_t nrest, char **cause)
{
	char	*why = NULL;
	size_t	 i;

	for (i = 0; i < nfirst + nrest; i++) {
		const struct word *w = i < nfirst ? first[i] : rest[i - nfirst];

		if (wire_word(&cb->wire, s, w, 0, &why) == -1) {
			xasprintf(cause, "%s: %s", ca->cmd->name, why);
			free(why);
			return (-1);
		}
	}
	return (0);
}

int
cmd_build_params(struct cmd_built *cb, struct session *s,
    struct cmd_args *ca, const char *name, size_t n, const char *untagged,
    char **cause)
{
	cb->name = name;
	cb->untagged = untagged != NULL ? xstrdup(untagged) : NULL;
	return (cmd_build_words(cb, s, ca, ca->p, n, NULL, 0, cause));
}

/* Run what a builder made (r 0), or print why it could not (r -1,
 * cause); cb is freed either way. */
enum cmd_status
cmd_build_run(struct session *s, struct cmd_built *cb, int r, char *cause)
{
	enum cmd_status	 st;

	if (r == -1) {
		cmd_build_free(cb);
		st = cmd_error(s, "%s", cause);
		free(cause);
		return (st);
	}
	st = cmd_simple(s, cb->name, &cb->wire, cb->untagged);
	cmd_build_free(cb);
	return (st);
}

enum cmd_status
cmd_build_exec(struct session *s, struct cmd_args *ca)
{
	struct cmd_built cb;
	char		*cause = NULL;
	int		 r;

	cmd_build_init(&cb);
	r = ca->cmd->build(s, ca, &cb, &cause);
	return (cmd_build_run(s, &cb, r, cause));
}
