/*
 * show-run.c: running imapsh-show on one message (show-run.h).
 *
 * Why a program of its own: GMime, and glib, gobject and gio under it,
 * run constructors as soon as they are loaded.  Linked into imapsh they
 * cost every run about 3 MB of memory and its start-up time, also the
 * runs that never show a message (the memory targets are met by a run
 * that fetches a million responses, which show must not spoil).  Only the
 * helper links them, so only show pays; and hostile MIME that made the
 * parser crash would end the helper, not the session.
 *
 * The message goes to the helper as a file: the spool a big literal
 * arrived in, or a new spool that a message held in memory is written to
 * (a pipe would need imapsh to feed it while reading the helper's
 * errors).  The file is the helper's standard input, with the message's
 * offset and length as arguments; its standard output is o's descriptor
 * (the terminal, a file, or the pager's pipe), so the text is not copied
 * through imapsh; its standard error comes back on a pipe and is the
 * reason given when it fails.  The helper is started with fork and
 * execv: no shell, so no word of its path or arguments is interpreted.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "intr.h"
#include "show-run.h"
#include "term.h"
#include "xmalloc.h"

/* Where make install puts the helper (the Makefile gives LIBEXECDIR). */
#ifndef IMAPSH_LIBEXECDIR
#define IMAPSH_LIBEXECDIR	"/usr/local/libexec"
#endif
#define SHOW_RUN_HELPER		IMAPSH_LIBEXECDIR "/imapsh/imapsh-show"

#define SHOW_RUN_ERRMAX		1024	/* bytes of the helper's stderr kept */

/* The helper's standard error, as much as is kept. */
struct show_run_err {
	char	 text[SHOW_RUN_ERRMAX];
	size_t	 len;
};

static void	 show_run_child(const char *, char *const [], int, int, int)
		    __attribute__((__noreturn__));
static void	 show_run_read_err(int, pid_t, struct show_run_err *);
static int	 show_run_status(const char *, int, struct show_run_err *,
		    struct out *, char **);
static int	 show_run_helper(int, uint64_t, uint64_t, const char *,
		    struct out *, char **);

const char *
show_run_path(void)
{
	const char	*env = getenv("IMAPSH_SHOW_HELPER");

	return (env != NULL && *env != '\0' ? env : SHOW_RUN_HELPER);
}

int
show_run_ready(char **cause)
{
	const char	*path = show_run_path();

	if (access(path, X_OK) == 0)
		return (0);
	xasprintf(cause, "cannot run %s, which lays messages out: %s "
	    "(imapsh-show is installed with imapsh; IMAPSH_SHOW_HELPER "
	    "names another)", path, strerror(errno));
	return (-1);
}

/*
 * In the child: in_fd, out_fd and err_fd become standard input, output
 * and error (moved above 2 first, so that one already there is not
 * overwritten by another), and the helper is run.
 */
static void
show_run_child(const char *path, char *const argv[], int in_fd, int out_fd,
    int err_fd)
{
	char	msg[512];
	int	in, out, err;

	if ((in = fcntl(in_fd, F_DUPFD, 3)) == -1 ||
	    (out = fcntl(out_fd, F_DUPFD, 3)) == -1 ||
	    (err = fcntl(err_fd, F_DUPFD, 3)) == -1 ||
	    dup2(in, STDIN_FILENO) == -1 || dup2(out, STDOUT_FILENO) == -1 ||
	    dup2(err, STDERR_FILENO) == -1)
		_exit(SHOW_EXIT_EXEC);
	/* The copies above 2 are not close-on-exec: close them. */
	close(in);
	close(out);
	close(err);
	execv(path, argv);
	snprintf(msg, sizeof msg, "cannot run %s: %s\n", path,
	    strerror(errno));
	if (write(STDERR_FILENO, msg, strlen(msg)) == -1)
		_exit(SHOW_EXIT_EXEC);
	_exit(SHOW_EXIT_EXEC);
}

/*
 * Read the helper's standard error to its end, keeping the first
 * SHOW_RUN_ERRMAX bytes.  Ctrl-C, when it reached imapsh alone (not the
 * helper, as at a terminal), is passed on to the helper.
 */
static void
show_run_read_err(int fd, pid_t pid, struct show_run_err *e)
{
	char	buf[4096];
	size_t	room;
	ssize_t	n;
	int	passed = 0;

	e->len = 0;
	for (;;) {
		if ((n = read(fd, buf, sizeof buf)) == -1) {
			if (errno != EINTR)
				break;
			if (intr_count() > 0 && !passed) {
				kill(pid, SIGINT);
				passed = 1;
			}
			continue;
		}
		if (n == 0)
			break;
		room = sizeof e->text - e->len;
		memcpy(e->text + e->len, buf, (size_t)n < room ? (size_t)n :
		    room);
		e->len += (size_t)n < room ? (size_t)n : room;
	}
}

/*
 * What the helper's wait status means for show: 0, or -1 and *cause
 * (its standard error, escaped, without its name and last newline).
 */
static int
show_run_status(const char *path, int status, struct show_run_err *e,
    struct out *o, char **cause)
{
	static const char	 name[] = "imapsh-show: ";
	struct buf		 b;
	const char		*text = e->text;
	size_t			 len = e->len;

	if (WIFEXITED(status) && WEXITSTATUS(status) == SHOW_EXIT_OK)
		return (0);
	if ((WIFEXITED(status) && WEXITSTATUS(status) == SHOW_EXIT_OUTPUT) ||
	    (WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE)) {
		o->failed = 1;		/* as if imapsh's own write failed */
		return (0);
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGINT &&
	    intr_count() > 0)
		return (0);
	if (WIFSIGNALED(status)) {
		xasprintf(cause, "%s was killed by signal %d (%s)", path,
		    WTERMSIG(status), strsignal(WTERMSIG(status)));
		return (-1);
	}
	if (len >= sizeof name - 1 && memcmp(text, name, sizeof name - 1) == 0) {
		text += sizeof name - 1;
		len -= sizeof name - 1;
	}
	while (len > 0 && text[len - 1] == '\n')
		len--;
	if (len == 0) {
		xasprintf(cause, "%s exited with status %d", path,
		    WEXITSTATUS(status));
		return (-1);
	}
	buf_init(&b, 0);
	term_escape(&b, text, len);
	*cause = buf_steal(&b, NULL);
	return (-1);
}

/* The helper on the len bytes at off of in_fd, its text to o. */
static int
show_run_helper(int in_fd, uint64_t off, uint64_t len, const char *part,
    struct out *o, char **cause)
{
	const char		*path = show_run_path();
	struct show_run_err	 e;
	char			 offs[32], lens[32];
	char			*argv[] = { (char *)"imapsh-show", (char *)"-o",
				    offs, (char *)"-l", lens, (char *)"--",
				    (char *)(uintptr_t)part, NULL };
	pid_t			 pid;
	int			 fds[2], status;

	snprintf(offs, sizeof offs, "%" PRIu64, off);
	snprintf(lens, sizeof lens, "%" PRIu64, len);
	out_flush(o);
	if (o->failed)
		return (0);
	if (compat_pipe(fds) == -1) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		return (-1);
	}
	if ((pid = fork()) == -1) {
		xasprintf(cause, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return (-1);
	}
	if (pid == 0)
		show_run_child(path, argv, in_fd, o->fd, fds[1]);
	close(fds[1]);
	show_run_read_err(fds[0], pid, &e);
	close(fds[0]);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			xasprintf(cause, "waitpid: %s", strerror(errno));
			return (-1);
		}
	return (show_run_status(path, status, &e, o, cause));
}

int
show_run(const struct pyval *lit, const char *part, struct out *o,
    char **cause)
{
	struct spool	*sp;
	uint64_t	 off = 0;
	int		 rv;

	if (lit->spool != NULL) {
		sp = spool_ref(lit->spool);
		off = lit->spool_off;
	} else {
		if ((sp = spool_new(cause)) == NULL)
			return (-1);
		if (spool_write(sp, lit->s != NULL ? lit->s : "", lit->len,
		    cause) == -1) {
			spool_unref(sp);
			return (-1);
		}
	}
	rv = show_run_helper(sp->fd, off, lit->len, part, o, cause);
	spool_unref(sp);
	return (rv);
}
