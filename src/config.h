/*
 * config.h: the configuration file, $IMAPSH_CONFIG or
 * $XDG_CONFIG_HOME/imapsh/config (~/.config/imapsh/config): settings for
 * every session, and named accounts that "imapsh NAME" connects to.
 * The format is in config.c and in imapsh(1), FILES.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <getopt.h>

#include "cmd.h"

/* One account of the file, as main() needs it once applied. */
struct config_account {
	char		*name;
	char		*host;		/* NULL: localhost */
	char		*port;		/* NULL: by the TLS mode */
	int		 login;		/* log in right after connecting */
};

/*
 * Read the configuration file and apply it to s: its settings, and the
 * account that the command line's only host argument names (argv and the
 * options are those main() is about to parse: the file is applied first,
 * so that every option given overrides it).  *account is that account, or
 * NULL.  A missing file is no error, unless $IMAPSH_CONFIG names it; none
 * is read for -h, -V and --list-commands.  Returns 0, or -1 after printing
 * the error ("file:line: ..."): exit 2.
 */
int	 config_load(struct session *, int argc, char **argv,
	    const char *optstring, const struct option *longopts,
	    const struct config_account **account);
/*
 * The account name of the file config_load() read, applied to s as the
 * command line applies it (connect ACCOUNT), or NULL when there is none.
 */
const struct config_account *config_use_account(struct session *,
	    const char *name);
/* Release what config_load() kept (the session points into it). */
void	 config_free(void);

#endif
