/*
 * secret.c: password and token sources.  See secret.h.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "secret.h"
#include "xmalloc.h"

#define SECRET_MAX	8192

static char	*secret_first_line(FILE *, char **, const char *);
static char	*netrc_token(const char **);
static void	 secret_on_sigint(int);
static int	 secret_read_line(int, char *, size_t);

static volatile sig_atomic_t secret_interrupted;

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

static void
secret_on_sigint(int sig)
{
	secret_interrupted = 1;
}

/*
 * Read a line from the terminal fd into buf (cut at size - 1 bytes,
 * NUL-terminated).  1 when the line ended, 0 when Ctrl-C, the end of the
 * input or an error came first.
 */
static int
secret_read_line(int fd, char *buf, size_t size)
{
	size_t	len = 0;
	ssize_t	n;
	char	c;

	for (;;) {
		n = read(fd, &c, 1);
		if (n == 1) {
			if (c == '\n' || c == '\r') {
				buf[len] = '\0';
				return (1);
			}
			if (len < size - 1)
				buf[len++] = c;
			continue;
		}
		if (n == -1 && errno == EINTR && !secret_interrupted)
			continue;
		buf[len] = '\0';
		return (0);
	}
}

/*
 * readpassphrase(3) cannot tell Ctrl-D from an empty line, and turns
 * Ctrl-C into a signal imapsh would only see later: this keeps the
 * terminal's line editing and signals, turns echo off, and catches
 * SIGINT itself (without SA_RESTART, so that read() returns).
 */
char *
secret_prompt(const char *prompt, int *cancelled)
{
	struct termios		 saved, quiet;
	struct sigaction	 sa, saved_sa;
	char			 pass[1024], *s = NULL;
	int			 fd, ended;

	*cancelled = 0;
	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) == -1)
		return (NULL);
	if (tcgetattr(fd, &saved) == -1) {
		close(fd);
		return (NULL);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = secret_on_sigint;
	sigemptyset(&sa.sa_mask);
	secret_interrupted = 0;
	sigaction(SIGINT, &sa, &saved_sa);
	quiet = saved;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	quiet.c_lflag |= ICANON | ISIG;
	tcsetattr(fd, TCSAFLUSH, &quiet);
	(void)write(fd, prompt, strlen(prompt));
	ended = secret_read_line(fd, pass, sizeof pass);
	tcsetattr(fd, TCSAFLUSH, &saved);
	(void)write(fd, "\n", 1);
	sigaction(SIGINT, &saved_sa, NULL);
	close(fd);
	if (ended)
		s = xstrdup(pass);
	else
		*cancelled = 1;
	explicit_bzero(pass, sizeof pass);
	return (s);
}
