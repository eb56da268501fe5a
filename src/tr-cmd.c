/*
 * tr-cmd.c: the child-process transport, imaplib's IMAP4_stream.
 *
 * The command runs under /bin/sh -c with its stdin and stdout on two
 * pipes (separate read and write descriptors) and its stderr passed
 * through.  Our ends are non-blocking and close-on-exec.  When the child
 * goes away its exit status or signal is reported with the EOF; closing
 * the transport closes its stdin, waits a moment for it to finish, and
 * then terminates its whole process group, so no zombie or orphan (a
 * command the shell started) is left.  SIGPIPE is ignored by main.
 *
 * The child runs in a process group of its own, so a Ctrl-C typed at
 * imapsh (at the prompt or during a command) never reaches it: Dovecot's
 * imap, for one, dies of SIGINT.  When imapsh holds the foreground of its
 * terminal, the child's group is given the terminal until the child first
 * writes (or ends): until the greeting, ssh may ask for a password on
 * /dev/tty, and a Ctrl-C there cancels the command.  imapsh then takes the
 * terminal back.  A process group that is not in the foreground gets
 * SIGTTOU when it calls tcsetpgrp(), so both sides block it around the
 * call.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "transport.h"
#include "xmalloc.h"

struct tr_cmd {
	pid_t	 pid;
	int	 rfd;		/* the child's stdout */
	int	 wfd;		/* the child's stdin */
	int	 status;	/* wait status once reaped */
	int	 reaped;
	int	 ttyfd;		/* our terminal, or -1 */
	int	 child_fg;	/* the child's group has the terminal */
};

static ssize_t	tr_cmd_read(struct transport *, void *, size_t, char **);
static ssize_t	tr_cmd_write(struct transport *, const void *, size_t,
		    char **);
static int	tr_cmd_rfd(struct transport *);
static int	tr_cmd_wfd(struct transport *);
static void	tr_cmd_close(struct transport *);
static char	*tr_cmd_eof_reason(struct transport *);
static int	tr_cmd_reap(struct tr_cmd *, int);
static int	tr_cmd_tty(void);
static int	tr_cmd_foreground(int, pid_t);
static void	tr_cmd_take_terminal(struct tr_cmd *);
static void	tr_cmd_end_group(struct tr_cmd *);
static void	tr_cmd_child(const char *, int, int, int);

static const struct transport_ops tr_cmd_ops = {
	.name = "command",
	.read = tr_cmd_read,
	.write = tr_cmd_write,
	.pending = NULL,
	.rfd = tr_cmd_rfd,
	.wfd = tr_cmd_wfd,
	.want = NULL,
	.close = tr_cmd_close,
	.eof_reason = tr_cmd_eof_reason,
};

/* Reap the child, waiting up to wait_ms.  1 when it is gone. */
static int
tr_cmd_reap(struct tr_cmd *c, int wait_ms)
{
	struct timespec	ts = { 0, 20 * 1000 * 1000 };
	pid_t		r;
	int		waited = 0;

	if (c->reaped)
		return (1);
	for (;;) {
		r = waitpid(c->pid, &c->status, WNOHANG);
		if (r == c->pid || (r == -1 && errno == ECHILD)) {
			c->reaped = 1;
			return (1);
		}
		if (waited >= wait_ms)
			return (0);
		nanosleep(&ts, NULL);
		waited += 20;
	}
}

/* The descriptor of the terminal whose foreground group is ours, or -1. */
static int
tr_cmd_tty(void)
{
	const int	fds[] = { STDIN_FILENO, STDERR_FILENO, STDOUT_FILENO };
	size_t		i;

	for (i = 0; i < sizeof fds / sizeof fds[0]; i++)
		if (isatty(fds[i]) && tcgetpgrp(fds[i]) == getpgrp())
			return (fds[i]);
	return (-1);
}

/* Make pgrp the foreground group of the terminal on fd; 0 or -1. */
static int
tr_cmd_foreground(int fd, pid_t pgrp)
{
	sigset_t	set, old;
	int		rv;

	sigemptyset(&set);
	sigaddset(&set, SIGTTOU);
	sigprocmask(SIG_BLOCK, &set, &old);
	rv = tcsetpgrp(fd, pgrp);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return (rv);
}

/* Take the terminal back from the child's group, if it has it. */
static void
tr_cmd_take_terminal(struct tr_cmd *c)
{
	if (!c->child_fg)
		return;
	c->child_fg = 0;
	tr_cmd_foreground(c->ttyfd, getpgrp());
}

/*
 * End the child's process group: the child is given a moment to finish
 * (its stdin is closed), then the group gets SIGTERM (which also ends
 * what the child left running), and SIGKILL if the child outlives it.
 */
static void
tr_cmd_end_group(struct tr_cmd *c)
{
	int	gone;

	gone = tr_cmd_reap(c, 1000);
	kill(-c->pid, SIGTERM);
	if (gone || tr_cmd_reap(c, 1000))
		return;
	kill(-c->pid, SIGKILL);
	tr_cmd_reap(c, 5000);
}

static char *
tr_cmd_eof_reason(struct transport *t)
{
	struct tr_cmd	*c = t->priv;
	char		*s;

	if (!tr_cmd_reap(c, 500))
		return (xstrdup("the command closed its output"));
	if (WIFEXITED(c->status))
		xasprintf(&s, "the command exited with status %d",
		    WEXITSTATUS(c->status));
	else if (WIFSIGNALED(c->status))
		xasprintf(&s, "the command was killed by signal %d (%s)",
		    WTERMSIG(c->status), strsignal(WTERMSIG(c->status)));
	else
		s = xstrdup("the command ended");
	return (s);
}

static ssize_t
tr_cmd_read(struct transport *t, void *buf, size_t len, char **cause)
{
	struct tr_cmd	*c = t->priv;
	ssize_t		 n;

	for (;;) {
		n = read(c->rfd, buf, len);
		if (n >= 0) {
			tr_cmd_take_terminal(c);
			return (n);
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return (-2);
		tr_cmd_take_terminal(c);
		xasprintf(cause, "read from command: %s", strerror(errno));
		return (-1);
	}
}

static ssize_t
tr_cmd_write(struct transport *t, const void *buf, size_t len, char **cause)
{
	struct tr_cmd	*c = t->priv;
	ssize_t		 n;
	char		*why;

	for (;;) {
		n = write(c->wfd, buf, len);
		if (n >= 0)
			return (n);
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return (-2);
		if (errno == EPIPE) {
			if (tr_cmd_reap(c, 500)) {
				why = tr_cmd_eof_reason(t);
				xasprintf(cause, "the command stopped reading "
				    "(%s)", why);
				free(why);
			} else
				*cause = xstrdup("the command stopped reading "
				    "its input");
			return (-1);
		}
		xasprintf(cause, "write to command: %s", strerror(errno));
		return (-1);
	}
}

static int
tr_cmd_rfd(struct transport *t)
{
	return (((struct tr_cmd *)t->priv)->rfd);
}

static int
tr_cmd_wfd(struct transport *t)
{
	return (((struct tr_cmd *)t->priv)->wfd);
}

static void
tr_cmd_close(struct transport *t)
{
	struct tr_cmd	*c = t->priv;

	tr_cmd_take_terminal(c);
	if (c->wfd != -1)
		close(c->wfd);
	if (c->rfd != -1)
		close(c->rfd);
	tr_cmd_end_group(c);
	free(c);
}

/*
 * The child: a process group of its own, the terminal when ttyfd is not
 * -1, stdin from in and stdout to out; never returns.
 */
static void
tr_cmd_child(const char *command, int in, int out, int ttyfd)
{
	setpgid(0, 0);
	if (ttyfd != -1)
		tr_cmd_foreground(ttyfd, getpgrp());
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);	/* only typed while it has the tty */
	if (dup2(in, STDIN_FILENO) == -1 || dup2(out, STDOUT_FILENO) == -1)
		_exit(127);
	execl("/bin/sh", "sh", "-c", command, (char *)NULL);
	_exit(127);
}

struct transport *
tr_cmd_start(const char *command, char **cause)
{
	struct transport	*t;
	struct tr_cmd		*c;
	int			 in[2], out[2], ttyfd;
	pid_t			 pid;

	if (compat_pipe(in) == -1) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		return (NULL);
	}
	if (compat_pipe(out) == -1) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		close(in[0]);
		close(in[1]);
		return (NULL);
	}
	ttyfd = tr_cmd_tty();
	if ((pid = fork()) == -1) {
		xasprintf(cause, "fork: %s", strerror(errno));
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		return (NULL);
	}
	if (pid == 0)
		tr_cmd_child(command, in[0], out[1], ttyfd);
	/* Both sides set the group and the terminal: neither waits. */
	setpgid(pid, pid);
	close(in[0]);
	close(out[1]);
	fcntl(in[1], F_SETFL, fcntl(in[1], F_GETFL) | O_NONBLOCK);
	fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);

	t = xcalloc(1, sizeof *t);
	c = xcalloc(1, sizeof *c);
	c->pid = pid;
	c->rfd = out[0];
	c->wfd = in[1];
	c->ttyfd = ttyfd;
	/* If the child already ended, the terminal is taken back at EOF. */
	c->child_fg = ttyfd != -1;
	if (c->child_fg)
		tr_cmd_foreground(ttyfd, pid);
	t->ops = &tr_cmd_ops;
	t->priv = c;
	t->child = 1;
	t->loopback = 1;
	xasprintf(&t->peer, "command '%s'", command);
	return (t);
}
