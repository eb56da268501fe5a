/*
 * compat.c: the system calls that differ between Linux and the BSDs and
 * macOS, each with a portable fall-back (see compat.h).
 *
 * Linux: sendfile(2) from the page cache, pipe2(2) and SOCK_NONBLOCK |
 * SOCK_CLOEXEC in one call, /proc/self/fd/N to open a descriptor's file
 * anew.  Elsewhere: no sendfile (the caller reads and writes), fcntl(2)
 * after pipe(2) and socket(2), /dev/fd/N (a real reopen on systems with
 * fdescfs; where it is not, the open fails and the caller says so).  The
 * BSDs' own sendfile(2) differs from Linux's in every argument, and
 * imapsh's fall-back is fast enough not to need it.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#if defined(__linux__) && !defined(COMPAT_PORTABLE)
#define COMPAT_LINUX	1
#include <sys/sendfile.h>
#endif

#include "compat.h"

#ifndef COMPAT_LINUX
static int	compat_setfd(int, int);

/* Set close-on-exec, and O_NONBLOCK if nonblock, on fd; on failure close
 * it.  Returns fd, or -1 with errno. */
static int
compat_setfd(int fd, int nonblock)
{
	int	fl, saved;

	if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1 || (nonblock &&
	    ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1))) {
		saved = errno;
		close(fd);
		errno = saved;
		return (-1);
	}
	return (fd);
}
#endif

ssize_t
compat_sendfile(int out, int fd, off_t *off, size_t len)
{
#ifdef COMPAT_LINUX
	/* Linux sends at most 0x7ffff000 bytes a call. */
	if (len > 0x7ffff000)
		len = 0x7ffff000;
	return (sendfile(out, fd, off, len));
#else
	(void)out;
	(void)fd;
	(void)off;
	(void)len;
	errno = ENOSYS;
	return (-1);
#endif
}

int
compat_socket(int domain, int type, int protocol)
{
#ifdef COMPAT_LINUX
	return (socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol));
#else
	int	fd;

	if ((fd = socket(domain, type, protocol)) == -1)
		return (-1);
	return (compat_setfd(fd, 1));
#endif
}

int
compat_pipe(int fds[2])
{
#ifdef COMPAT_LINUX
	return (pipe2(fds, O_CLOEXEC));
#else
	if (pipe(fds) == -1)
		return (-1);
	if (compat_setfd(fds[0], 0) == -1) {
		close(fds[1]);
		return (-1);
	}
	if (compat_setfd(fds[1], 0) == -1) {
		close(fds[0]);
		return (-1);
	}
	return (0);
#endif
}

int
compat_reopen(int fd, int flags)
{
	char	path[64];

#ifdef COMPAT_LINUX
	(void)snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
#else
	(void)snprintf(path, sizeof path, "/dev/fd/%d", fd);
#endif
	return (open(path, flags | O_CLOEXEC));
}

int
compat_keepalive(int sock, int idle, int intvl, int cnt)
{
	int	one = 1;

	if (setsockopt(sock, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one) == -1)
		return (-1);
#if defined(TCP_KEEPIDLE)
	(void)setsockopt(sock, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
#elif defined(TCP_KEEPALIVE)		/* macOS */
	(void)setsockopt(sock, IPPROTO_TCP, TCP_KEEPALIVE, &idle, sizeof idle);
#else
	(void)idle;
#endif
#ifdef TCP_KEEPINTVL
	(void)setsockopt(sock, IPPROTO_TCP, TCP_KEEPINTVL, &intvl,
	    sizeof intvl);
#else
	(void)intvl;
#endif
#ifdef TCP_KEEPCNT
	(void)setsockopt(sock, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt);
#else
	(void)cnt;
#endif
	return (0);
}

void
compat_pipe_grow(int fd, int size)
{
#if defined(F_SETPIPE_SZ) && !defined(COMPAT_PORTABLE)
	struct stat	st;

	if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode))
		(void)fcntl(fd, F_SETPIPE_SZ, size);
#else
	(void)fd;
	(void)size;
#endif
}
