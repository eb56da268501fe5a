/*
 * compat.h: the system calls that differ between Linux and the BSDs and
 * macOS, each behind one function with a portable fall-back (compat.c).
 * Nothing else in imapsh uses sendfile(2), /proc, pipe2(2), SOCK_NONBLOCK
 * or the TCP keepalive options directly, so a port is a matter of
 * building.  Building with -DCOMPAT_PORTABLE uses every fall-back even on
 * Linux (tests/unit/test-compat.c checks both).
 */
#ifndef COMPAT_H
#define COMPAT_H

#include <sys/types.h>
#include <sys/socket.h>
#include <stddef.h>

/* send(2) flags that keep a closed peer from raising SIGPIPE where the
 * system has them (main ignores SIGPIPE everywhere anyway). */
#ifdef MSG_NOSIGNAL
#define COMPAT_MSG_NOSIGNAL	MSG_NOSIGNAL
#else
#define COMPAT_MSG_NOSIGNAL	0
#endif

/* Send up to len bytes of file fd from *off to descriptor out (a socket,
 * or on Linux any file), advancing *off: the bytes sent, or -1 with errno
 * (ENOSYS where the system has no such call: the caller copies with read
 * and write instead). */
ssize_t	compat_sendfile(int out, int fd, off_t *off, size_t len);
/* A socket(2) that is non-blocking and close-on-exec; -1 with errno. */
int	compat_socket(int domain, int type, int protocol);
/* A pipe(2) whose two ends are close-on-exec; -1 with errno. */
int	compat_pipe(int fds[2]);
/* Open the file behind descriptor fd anew with flags (O_RDONLY: read a
 * file that fd may only write), close-on-exec; -1 with errno where the
 * system cannot. */
int	compat_reopen(int fd, int flags);
/* TCP keepalive on sock: probes after idle seconds of silence, every
 * intvl seconds, cnt misses; the timings the system cannot set are left
 * at its defaults.  -1 with errno if keepalive itself fails. */
int	compat_keepalive(int sock, int idle, int intvl, int cnt);
/* Let the pipe behind fd (when it is one) hold bytes of a big write at
 * once, up to size, so that writer and reader trade places less often;
 * nothing where the system cannot. */
void	compat_pipe_grow(int fd, int size);

#endif
