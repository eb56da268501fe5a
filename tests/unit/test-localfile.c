/*
 * test-localfile.c: the user's own files opened safely (localfile.c), and
 * the netrc parser that reads through it (secret.c).
 *
 * A FIFO, a directory and a device are refused at once (an alarm fails
 * the program if anything blocks); a symbolic link only where the caller
 * says so; files others may write, and another user's, as asked.  The
 * netrc file: quoted words with curl's escapes, comments, and a quote
 * that does not end.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "localfile.h"
#include "secret.h"
#include "xmalloc.h"
#include "tap.h"

static char	dir[] = "/tmp/test-localfile.XXXXXX";

static void	 on_alarm(int);
static char	*path(const char *);
static void	 put(const char *, const char *, mode_t);
static int	 opens(const char *, int, const char *);
static char	*netrc(const char *, const char *, char **);

static void
on_alarm(int sig)
{
	static const char msg[] = "not ok - an open blocked\n";

	(void)sig;
	write(STDOUT_FILENO, msg, sizeof msg - 1);
	_exit(1);
}

static char *
path(const char *name)
{
	static char	p[4][256];
	static int	i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof p[i], "%s/%s", dir, name);
	return (p[i]);
}

static void
put(const char *name, const char *text, mode_t mode)
{
	FILE	*fp = fopen(path(name), "w");

	if (fp == NULL)
		exit(2);
	fputs(text, fp);
	fclose(fp);
	chmod(path(name), mode);
}

/* 1 if localfile_open(name, flags) opens; else 0, and the cause must
 * hold want when want is not NULL. */
static int
opens(const char *name, int flags, const char *want)
{
	char	*cause = NULL;
	int	 fd, fl;

	if ((fd = localfile_open(path(name), flags, NULL, &cause)) != -1) {
		fl = fcntl(fd, F_GETFL);
		close(fd);
		/* Reads block again once the file is known to be one. */
		return (fl != -1 && (fl & O_NONBLOCK) == 0);
	}
	if (want != NULL && (cause == NULL || strstr(cause, want) == NULL))
		printf("# cause '%s', not '%s'\n", cause, want);
	fd = want == NULL || (cause != NULL && strstr(cause, want) != NULL) ?
	    0 : -1;
	free(cause);
	return (fd);
}

/* The password netrc text gives for host (and user); *cause set. */
static char *
netrc(const char *text, const char *user, char **cause)
{
	*cause = NULL;
	put("netrc", text, 0600);
	setenv("NETRC", path("netrc"), 1);
	return (secret_from_netrc("mail.example", user, NULL, cause));
}

int
main(void)
{
	char	*s, *cause, *login;

	signal(SIGALRM, on_alarm);
	alarm(10);
	if (mkdtemp(dir) == NULL)
		return (2);

	put("plain", "x\n", 0600);
	ok(opens("plain", 0, NULL) == 1, "a regular file opens, blocking");
	ok(opens("plain", LF_NOFOLLOW | LF_MINE | LF_NOWRITERS, NULL) == 1,
	    "with every check");
	mkfifo(path("fifo"), 0600);
	ok(opens("fifo", 0, "not a regular file") == 0,
	    "a FIFO is refused at once, for reading");
	ok(opens("fifo", LF_WRITE, "not a regular file") == 0,
	    "and for writing");
	ok(opens(".", 0, "not a regular file") == 0, "a directory is refused");
	ok(opens("../../dev/null", 0, "not a regular file") == 0,
	    "a device is refused");
	ok(opens("missing", 0, "No such file") == 0 && errno == ENOENT,
	    "a missing file: ENOENT");
	symlink(path("plain"), path("link"));
	ok(opens("link", 0, NULL) == 1, "a symbolic link is followed");
	ok(opens("link", LF_NOFOLLOW, "a symbolic link") == 0,
	    "unless LF_NOFOLLOW says no");
	ok(opens("link", LF_WRITE | LF_NOFOLLOW, "a symbolic link") == 0,
	    "also for writing");
	put("groupw", "x\n", 0620);
	ok(opens("groupw", LF_NOWRITERS, "others may write it") == 0 &&
	    opens("groupw", 0, NULL) == 1,
	    "a file others may write: refused only with LF_NOWRITERS");
	put("theirs", "x\n", 0600);
	if (chown(path("theirs"), 65534, 65534) == 0)
		ok(opens("theirs", LF_MINE, "owned by another user") == 0,
		    "another user's file is refused with LF_MINE");
	else
		ok(1, "# SKIP another user's file: chown needs root");
	ok(opens("new", LF_WRITE, NULL) == 1, "LF_WRITE creates a file");
	{
		struct stat	sb;

		ok(stat(path("new"), &sb) == 0 && (sb.st_mode & 0777) == 0600,
		    "with mode 0600");
	}
	put("readable", "x\n", 0644);
	ok(localfile_world_readable(path("readable")) &&
	    !localfile_world_readable(path("plain")) &&
	    !localfile_world_readable(path("fifo")),
	    "world-readable: 0644 yes, 0600 and a FIFO no");

	/* netrc */
	s = netrc("machine mail.example login bob password \"two words\"\n",
	    NULL, &cause);
	ok(s != NULL && strcmp(s, "two words") == 0, "a quoted password");
	free(s);
	s = netrc("machine mail.example login bob password "
	    "\"a\\\"b\\\\c\\nd\\re\\tf\\xg\"\n", NULL, &cause);
	ok(s != NULL && strcmp(s, "a\"b\\c\nd\re\tf" "xg") == 0,
	    "curl's escapes: \\\" \\\\ \\n \\r \\t and \\x for x");
	free(s);
	s = netrc("machine \"mail.example\"\n  login \"bob\" password pw\n",
	    "bob", &cause);
	ok(s != NULL && strcmp(s, "pw") == 0, "quoted machine and login");
	free(s);
	s = netrc("# a comment: machine mail.example password no\n"
	    "machine mail.example password yes # more\n", NULL, &cause);
	ok(s != NULL && strcmp(s, "yes") == 0, "# comments run to the line end");
	free(s);
	s = netrc("machine other password \"machine\" "
	    "machine mail.example password right\n", NULL, &cause);
	ok(s != NULL && strcmp(s, "right") == 0,
	    "a quoted \"machine\" is a value, not a keyword");
	free(s);
	s = netrc("machine mail.example password \"open\n\"\n", NULL, &cause);
	ok(s == NULL && cause != NULL && strstr(cause, "quoted") != NULL,
	    "a quote that does not end on its line: an error");
	free(cause);
	s = netrc("machine mail.example password \"trail\\", NULL, &cause);
	ok(s == NULL && cause != NULL, "a backslash at the end: an error");
	free(cause);
	s = netrc("machine mail.example login bob password plain\n", "bob",
	    &cause);
	ok(s != NULL && strcmp(s, "plain") == 0 && cause == NULL,
	    "an unquoted password as before");
	free(s);
	setenv("NETRC", path("fifo"), 1);
	cause = NULL;
	login = NULL;
	s = secret_from_netrc("mail.example", NULL, &login, &cause);
	ok(s == NULL && cause != NULL &&
	    strstr(cause, "not a regular file") != NULL,
	    "a netrc that is a FIFO is refused at once");
	free(cause);
	cause = NULL;
	s = secret_from_file(path("fifo"), &cause);
	ok(s == NULL && cause != NULL &&
	    strstr(cause, "not a regular file") != NULL,
	    "so is a password file that is a FIFO");
	free(cause);

	unlink(path("plain"));
	unlink(path("fifo"));
	unlink(path("link"));
	unlink(path("groupw"));
	unlink(path("theirs"));
	unlink(path("new"));
	unlink(path("readable"));
	unlink(path("netrc"));
	rmdir(dir);
	printf("1..%d\n", tap_ntests);
	return (tap_status());
}
