/*
 * pager.c: the pager that long output for a person goes through
 * (pager.h says which pager and why its settings are safe).
 *
 * The pager reads a pipe and writes to imapsh's own standard output, the
 * terminal; it gets the default SIGPIPE back (imapsh ignores it) and
 * keeps imapsh's process group, so Ctrl-C reaches it as it does imapsh.
 * A pager that quits early makes imapsh's writes fail with EPIPE, which
 * struct out takes as the end of the output (output.h).
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pager.h"
#include "xmalloc.h"

static int	pager_in_path(const char *);

/* 1 if an executable file name is in $PATH. */
static int
pager_in_path(const char *name)
{
	const char	*path = getenv("PATH"), *p, *colon;
	char		*file;
	int		 found = 0;

	if (path == NULL)
		path = "/usr/bin:/bin";
	for (p = path; !found; p = colon + 1) {
		colon = strchr(p, ':');
		xasprintf(&file, "%.*s/%s", (int)(colon != NULL ?
		    (size_t)(colon - p) : strlen(p)), p, name);
		found = access(file, X_OK) == 0;
		free(file);
		if (colon == NULL)
			break;
	}
	return (found);
}

int
pager_open(struct pager *pg, char **cause)
{
	const char	*pager = getenv("PAGER");
	int		 fds[2], dflt = pager == NULL;

	*cause = NULL;
	if (pager != NULL && (pager[strspn(pager, " \t")] == '\0' ||
	    strcmp(pager, "cat") == 0))
		return (-1);
	if (dflt && !pager_in_path("less"))
		return (-1);
	if (pipe2(fds, O_CLOEXEC) == -1) {
		xasprintf(cause, "pager: pipe: %s", strerror(errno));
		return (-1);
	}
	switch ((pg->pid = fork())) {
	case -1:
		xasprintf(cause, "pager: fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return (-1);
	case 0:
		close(fds[1]);
		if (dup2(fds[0], STDIN_FILENO) == -1)
			_exit(127);
		close(fds[0]);
		signal(SIGPIPE, SIG_DFL);
		setenv("LESS", "FX", 0);
		if (dflt) {
			setenv("LESSSECURE", "1", 1);
			execlp("less", "less", (char *)NULL);
		} else
			execl("/bin/sh", "sh", "-c", pager, (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	pg->fd = fds[1];
	return (0);
}

void
pager_close(struct pager *pg)
{
	int	status;

	close(pg->fd);
	while (waitpid(pg->pid, &status, 0) == -1 && errno == EINTR)
		;
}
