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

#include "localfile.h"
#include "secret.h"
#include "xmalloc.h"

#define SECRET_MAX	8192

static char	*secret_first_line(FILE *, char **, const char *);
static char	*netrc_token(const char **, int *, int *);
static void	 secret_on_sigint(int);
static int	 secret_read_line(int, char *, size_t);

static volatile sig_atomic_t secret_interrupted;

/* Read the first line of fp (at most SECRET_MAX bytes: no more is read
 * into memory, whatever the file holds). */
static char *
secret_first_line(FILE *fp, char **cause, const char *what)
{
	char	*line = xmalloc(SECRET_MAX + 2);
	size_t	 n;
	int	 whole;

	if (fgets(line, SECRET_MAX + 2, fp) == NULL) {
		free(line);
		xasprintf(cause, "%s: empty", what);
		return (NULL);
	}
	n = strlen(line);
	whole = n > 0 && line[n - 1] == '\n';
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (n == 0 || n > SECRET_MAX || (!whole && !feof(fp))) {
		explicit_bzero(line, SECRET_MAX + 2);
		free(line);
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
	int	 fd;

	if ((fd = localfile_open(path, 0, NULL, cause)) == -1)
		return (NULL);
	if ((fp = fdopen(fd, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		close(fd);
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

/*
 * The next token of a netrc text, as curl reads it: tokens are separated
 * by white space; a '#' that starts a token comments out the rest of its
 * line; a token that starts with '"' runs to the next '"' on its line,
 * with \n, \r and \t for a line feed, carriage return and tab, and \X
 * for any other X (\" and \\).  NULL at the end of the text, or with
 * *bad set when a quoted token does not end on its line.  *quoted says
 * whether it was quoted (then it is a value, never a keyword).
 */
static char *
netrc_token(const char **pp, int *quoted, int *bad)
{
	const char	*p = *pp, *start;
	char		*tok, *d;
	int		 esc;

	*quoted = 0;
	for (;;) {
		while (*p != '\0' && isspace((unsigned char)*p))
			p++;
		if (*p != '#')
			break;
		p += strcspn(p, "\n");
	}
	if (*p == '\0') {
		*pp = p;
		return (NULL);
	}
	if (*p != '"') {
		start = p;
		while (*p != '\0' && !isspace((unsigned char)*p))
			p++;
		*pp = p;
		return (xstrndup(start, (size_t)(p - start)));
	}
	*quoted = 1;
	d = tok = xmalloc(strcspn(p, "\n") + 1);
	for (p++; *p != '"'; p++) {
		if ((esc = *p == '\\'))
			p++;
		if (*p == '\0' || *p == '\n') {
			*bad = 1;
			*pp = p;
			*d = '\0';
			freezero_str(tok);
			return (NULL);
		}
		if (esc && (*p == 'n' || *p == 'r' || *p == 't'))
			*d++ = *p == 'n' ? '\n' : *p == 'r' ? '\r' : '\t';
		else
			*d++ = *p;
	}
	*d = '\0';
	*pp = p + 1;
	return (tok);
}

char *
secret_netrc_path(void)
{
	const char	*path, *home;
	char		*file;

	if ((path = getenv("NETRC")) != NULL)
		return (xstrdup(path));
	if ((home = getenv("HOME")) == NULL)
		return (NULL);
	xasprintf(&file, "%s/.netrc", home);
	return (file);
}

char *
secret_from_netrc(const char *host, const char *user, char **login,
    char **cause)
{
	struct buf	 text;
	const char	*p;
	char		*path, *tok, *cur_login = NULL, *cur_pass = NULL;
	char		*found = NULL, chunk[4096];
	ssize_t		 n;
	int		 fd, in_entry = 0, matched = 0, quoted, bad = 0;

	if (login != NULL)
		*login = NULL;
	if ((path = secret_netrc_path()) == NULL)
		return (NULL);
	if ((fd = localfile_open(path, 0, NULL, cause)) == -1) {
		if (errno == ENOENT) {
			free(*cause);
			*cause = NULL;
		}
		free(path);
		return (NULL);
	}
	buf_init(&text, 1024 * 1024);
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		if (buf_add(&text, chunk, (size_t)n) == -1)
			break;
	close(fd);
	explicit_bzero(chunk, sizeof chunk);
	p = text.data != NULL ? text.data : "";

	/* Entries: machine NAME | default, then login/password/account
	 * pairs; macdef runs to a blank line. */
	for (;;) {
		tok = netrc_token(&p, &quoted, &bad);
		if (tok == NULL || (!quoted && (strcmp(tok, "machine") == 0 ||
		    strcmp(tok, "default") == 0))) {
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
			matched = strcmp(tok, "default") == 0;
			free(tok);
			if (!matched) {
				tok = netrc_token(&p, &quoted, &bad);
				matched = tok != NULL &&
				    strcasecmp(tok, host) == 0;
				free(tok);
			}
			continue;
		}
		if (quoted)
			;	/* a value where a keyword belongs: skipped */
		else if (strcmp(tok, "login") == 0) {
			free(cur_login);
			cur_login = netrc_token(&p, &quoted, &bad);
		} else if (strcmp(tok, "password") == 0) {
			freezero_str(cur_pass);
			cur_pass = netrc_token(&p, &quoted, &bad);
		} else if (strcmp(tok, "account") == 0)
			freezero_str(netrc_token(&p, &quoted, &bad));
		else if (strcmp(tok, "macdef") == 0) {
			const char *end = strstr(p, "\n\n");

			p = end != NULL ? end : p + strlen(p);
		}
		freezero_str(tok);
	}
	buf_wipe(&text);
	if (bad) {
		/* curl gives up on the whole file: so does imapsh. */
		freezero_str(found);
		found = NULL;
		if (login != NULL) {
			free(*login);
			*login = NULL;
		}
		xasprintf(cause, "%s: a quoted word does not end on its line",
		    path);
	}
	free(path);
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
