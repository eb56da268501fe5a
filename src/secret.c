/*
 * secret.c: password and token sources.  See secret.h.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <readpassphrase.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "secret.h"
#include "xmalloc.h"

#define SECRET_MAX	8192

static char	*secret_first_line(FILE *, char **, const char *);
static char	*netrc_token(const char **);

/* Read the first line of fp (at most SECRET_MAX bytes). */
static char *
secret_first_line(FILE *fp, char **cause, const char *what)
{
	char	*line = NULL;
	size_t	 size = 0;
	ssize_t	 n;

	if ((n = getline(&line, &size, fp)) == -1) {
		free(line);
		xasprintf(cause, "%s: empty", what);
		return (NULL);
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (n == 0 || n > SECRET_MAX) {
		freezero_str(line);
		xasprintf(cause, "%s: %s", what, n == 0 ? "empty first line" :
		    "first line too long");
		return (NULL);
	}
	return (line);
}

char *
secret_from_file(const char *path, char **cause)
{
	FILE	*fp;
	char	*s, *what;

	if ((fp = fopen(path, "re")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	xasprintf(&what, "password file %s", path);
	s = secret_first_line(fp, cause, what);
	free(what);
	fclose(fp);
	return (s);
}

char *
secret_from_command(const char *command, char **cause)
{
	FILE	*fp;
	char	*s;
	int	 status;

	if ((fp = popen(command, "re")) == NULL) {
		xasprintf(cause, "token command: %s", strerror(errno));
		return (NULL);
	}
	s = secret_first_line(fp, cause, "token command output");
	status = pclose(fp);
	if (s != NULL && (status == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)) {
		freezero_str(s);
		xasprintf(cause, "token command failed (status %d)",
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return (NULL);
	}
	return (s);
}

/* The next whitespace-separated token of a netrc text, or NULL. */
static char *
netrc_token(const char **pp)
{
	const char	*p = *pp, *start;

	while (*p != '\0' && isspace((unsigned char)*p))
		p++;
	if (*p == '\0') {
		*pp = p;
		return (NULL);
	}
	start = p;
	while (*p != '\0' && !isspace((unsigned char)*p))
		p++;
	*pp = p;
	return (xstrndup(start, (size_t)(p - start)));
}

char *
secret_from_netrc(const char *host, const char *user, char **login,
    char **cause)
{
	struct buf	 text;
	const char	*path, *home, *p;
	char		*file = NULL, *tok, *cur_login = NULL, *cur_pass = NULL;
	char		*found = NULL, chunk[4096];
	FILE		*fp;
	size_t		 n;
	int		 in_entry = 0, matched = 0, is_default = 0;

	if (login != NULL)
		*login = NULL;
	if ((path = getenv("NETRC")) == NULL) {
		if ((home = getenv("HOME")) == NULL)
			return (NULL);
		xasprintf(&file, "%s/.netrc", home);
		path = file;
	}
	if ((fp = fopen(path, "re")) == NULL) {
		if (errno != ENOENT)
			xasprintf(cause, "%s: %s", path, strerror(errno));
		free(file);
		return (NULL);
	}
	buf_init(&text, 1024 * 1024);
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		if (buf_add(&text, chunk, n) == -1)
			break;
	fclose(fp);
	explicit_bzero(chunk, sizeof chunk);
	p = text.data != NULL ? text.data : "";

	/* Entries: machine NAME | default, then login/password/account
	 * pairs; macdef runs to a blank line. */
	for (;;) {
		tok = netrc_token(&p);
		if (tok == NULL || strcmp(tok, "machine") == 0 ||
		    strcmp(tok, "default") == 0) {
			if (in_entry && matched && cur_pass != NULL &&
			    (user == NULL || (cur_login != NULL &&
			    strcmp(cur_login, user) == 0))) {
				found = cur_pass;
				cur_pass = NULL;
				if (login != NULL && cur_login != NULL) {
					*login = cur_login;
					cur_login = NULL;
				}
			}
			free(cur_login);
			freezero_str(cur_pass);
			cur_login = cur_pass = NULL;
			if (found != NULL || tok == NULL) {
				free(tok);
				break;
			}
			in_entry = 1;
			is_default = strcmp(tok, "default") == 0;
			free(tok);
			if (is_default)
				matched = 1;
			else {
				tok = netrc_token(&p);
				matched = tok != NULL &&
				    strcasecmp(tok, host) == 0;
				free(tok);
			}
			continue;
		}
		if (strcmp(tok, "login") == 0) {
			free(cur_login);
			cur_login = netrc_token(&p);
		} else if (strcmp(tok, "password") == 0) {
			freezero_str(cur_pass);
			cur_pass = netrc_token(&p);
		} else if (strcmp(tok, "account") == 0)
			free(netrc_token(&p));
		else if (strcmp(tok, "macdef") == 0) {
			const char *end = strstr(p, "\n\n");

			p = end != NULL ? end : p + strlen(p);
		}
		free(tok);
	}
	buf_wipe(&text);
	free(file);
	return (found);
}

char *
secret_prompt(const char *prompt)
{
	char	pass[1024], *s;

	if (readpassphrase(prompt, pass, sizeof pass,
	    RPP_ECHO_OFF | RPP_REQUIRE_TTY) == NULL) {
		explicit_bzero(pass, sizeof pass);
		return (NULL);
	}
	s = xstrdup(pass);
	explicit_bzero(pass, sizeof pass);
	return (s);
}
