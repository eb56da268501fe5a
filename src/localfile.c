/*
 * localfile.c: open the user's own files safely.  See localfile.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "localfile.h"
#include "xmalloc.h"

static int	localfile_refuse(const char *, const struct stat *, int,
		    char **);

/* 0 if the open file passes the checks flags ask for; else -1, *cause. */
static int
localfile_refuse(const char *path, const struct stat *sb, int flags,
    char **cause)
{
	if (!S_ISREG(sb->st_mode)) {
		xasprintf(cause, "%s: not a regular file", path);
		errno = EINVAL;
		return (-1);
	}
	if ((flags & LF_NOWRITERS) && (sb->st_mode & (S_IWGRP | S_IWOTH))) {
		xasprintf(cause, "%s: others may write it; refusing to use it "
		    "(chmod go-w %s)", path, path);
		errno = EPERM;
		return (-1);
	}
	if ((flags & LF_MINE) && sb->st_uid != geteuid() && sb->st_uid != 0) {
		xasprintf(cause, "%s: owned by another user; refusing to use "
		    "it", path);
		errno = EPERM;
		return (-1);
	}
	return (0);
}

int
localfile_open(const char *path, int flags, struct stat *sb, char **cause)
{
	struct stat	 st;
	int		 fd, oflags, fl, saved;

	oflags = O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
	oflags |= (flags & LF_WRITE) ? O_RDWR | O_CREAT : O_RDONLY;
	if (flags & LF_NOFOLLOW)
		oflags |= O_NOFOLLOW;
	if ((fd = open(path, oflags, 0600)) == -1) {
		saved = errno;
		if (saved == ELOOP && (flags & LF_NOFOLLOW))
			xasprintf(cause, "%s: a symbolic link; refusing to "
			    "use it", path);
		else
			xasprintf(cause, "%s: %s", path, strerror(saved));
		errno = saved;
		return (-1);
	}
	if (fstat(fd, &st) == -1) {
		saved = errno;
		xasprintf(cause, "%s: %s", path, strerror(saved));
		close(fd);
		errno = saved;
		return (-1);
	}
	if (localfile_refuse(path, &st, flags, cause) == -1 ||
	    (fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1) {
		saved = errno;
		if (*cause == NULL)
			xasprintf(cause, "%s: %s", path, strerror(saved));
		close(fd);
		errno = saved;
		return (-1);
	}
	if (sb != NULL)
		*sb = st;
	return (fd);
}

int
localfile_world_readable(const char *path)
{
	struct stat	 sb;
	char		*cause = NULL;
	int		 fd;

	if ((fd = localfile_open(path, 0, &sb, &cause)) == -1) {
		free(cause);
		return (0);
	}
	close(fd);
	return ((sb.st_mode & S_IROTH) != 0);
}
