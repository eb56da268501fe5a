/*
 * secret.h: where passwords and tokens come from.
 *
 * In order: a password file (first line), $IMAPSH_PASSWORD, ~/.netrc
 * (as curl's --netrc: the "machine" entry for the host, and the login if
 * one is known; "quoted words" with curl's escapes), and last a prompt on the terminal without echo.  Tokens
 * (OAuth) come from --token, --token-file or the first line a
 * --token-command prints.  Returned strings are the caller's to
 * freezero_str().  Nothing here ever prints a secret; errors name the
 * source, not its content.
 */
#ifndef SECRET_H
#define SECRET_H

/* The first line of a file, without its line end; NULL and *cause. */
char	*secret_from_file(const char *path, char **cause);
/* The first line a shell command prints; NULL and *cause. */
char	*secret_from_command(const char *command, char **cause);
/*
 * The password ~/.netrc (or $NETRC) holds for host, and user when it is
 * not NULL; *login gets the entry's login when user is NULL.  NULL when
 * there is no entry (no error) or, with *cause, when the file is unusable.
 */
char	*secret_from_netrc(const char *host, const char *user, char **login,
	    char **cause);
/* The netrc file: $NETRC, else ~/.netrc; NULL without $HOME. */
char	*secret_netrc_path(void);
/*
 * Ask on the terminal (/dev/tty) without echo.  NULL when there is no
 * terminal, or with *cancelled set when Ctrl-C or Ctrl-D (the input ends
 * before the line does) cancels the question.
 */
char	*secret_prompt(const char *prompt, int *cancelled);

#endif
