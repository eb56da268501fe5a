/*
 * test-compat.c: compat.c, built twice: as imapsh uses it (the Linux
 * calls) and with -DCOMPAT_PORTABLE (test-compat-portable: the fall-backs
 * a BSD or macOS build uses).  Both must give close-on-exec pipes,
 * non-blocking close-on-exec sockets, a read-only reopen of a file open
 * for writing only, and TCP keepalive; sendfile moves a file's bytes to a
 * socket, or says ENOSYS so that the caller copies them.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "tap.h"

#ifdef COMPAT_PORTABLE
#define MODE	"portable"
#else
#define MODE	"native"
#endif

static int	cloexec(int);
static void	test_pipe_socket(void);
static int	temp_file(const char *, size_t);
static void	test_reopen(void);
static void	test_sendfile(void);

static int
cloexec(int fd)
{
	int	fl = fcntl(fd, F_GETFD);

	return (fl != -1 && (fl & FD_CLOEXEC) != 0);
}

static void
test_pipe_socket(void)
{
	int	fds[2], fd, fl;

	ok(compat_pipe(fds) == 0, MODE ": compat_pipe");
	ok(cloexec(fds[0]) && cloexec(fds[1]),
	    MODE ": both ends of the pipe are close-on-exec");
	ok(write(fds[1], "x", 1) == 1, MODE ": the pipe carries a byte");
	close(fds[0]);
	close(fds[1]);

	fd = compat_socket(AF_INET, SOCK_STREAM, 0);
	ok(fd != -1, MODE ": compat_socket");
	fl = fcntl(fd, F_GETFL);
	ok(fl != -1 && (fl & O_NONBLOCK) != 0 && cloexec(fd),
	    MODE ": the socket is non-blocking and close-on-exec");
	ok(compat_keepalive(fd, 60, 15, 4) == 0,
	    MODE ": compat_keepalive on a TCP socket");
	close(fd);
	errno = 0;
	ok(compat_keepalive(fd, 60, 15, 4) == -1 && errno == EBADF,
	    MODE ": compat_keepalive on a closed descriptor fails");
}

/* A temporary file holding data, open for writing only; unlinked. */
static int
temp_file(const char *data, size_t len)
{
	char	path[] = "/tmp/imapsh-compat.XXXXXX";
	int	fd, wfd;

	if ((fd = mkstemp(path)) == -1)
		return (-1);
	wfd = open(path, O_WRONLY);
	unlink(path);
	close(fd);
	if (wfd == -1 || write(wfd, data, len) != (ssize_t)len)
		return (-1);
	return (wfd);
}

static void
test_reopen(void)
{
	char	buf[16];
	int	wfd, rfd;

	wfd = temp_file("reopened", 8);
	ok(wfd != -1 && read(wfd, buf, 1) == -1,
	    MODE ": a file open for writing only cannot be read");
	rfd = compat_reopen(wfd, O_RDONLY);
	ok(rfd != -1, MODE ": compat_reopen opens it for reading");
	memset(buf, 0, sizeof buf);
	ok(rfd != -1 && pread(rfd, buf, sizeof buf, 0) == 8 &&
	    strcmp(buf, "reopened") == 0, MODE ": and reads what was written");
	ok(rfd != -1 && cloexec(rfd), MODE ": close-on-exec");
	if (rfd != -1)
		close(rfd);
	close(wfd);
	errno = 0;
	ok(compat_reopen(wfd, O_RDONLY) == -1,
	    MODE ": compat_reopen of a closed descriptor fails");
}

static void
test_sendfile(void)
{
	const char	*data = "0123456789";
	char		 buf[16];
	off_t		 off = 3;
	ssize_t		 n;
	int		 sv[2], fd, rfd;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1 ||
	    (fd = temp_file(data, strlen(data))) == -1 ||
	    (rfd = compat_reopen(fd, O_RDONLY)) == -1) {
		ok(0, MODE ": sendfile's setup");
		return;
	}
	errno = 0;
	n = compat_sendfile(sv[0], rfd, &off, 4);
#ifdef COMPAT_PORTABLE
	ok(n == -1 && errno == ENOSYS && off == 3,
	    MODE ": compat_sendfile says ENOSYS, the offset unchanged");
#else
	memset(buf, 0, sizeof buf);
	ok(n == 4 && off == 7 && read(sv[1], buf, sizeof buf) == 4 &&
	    strcmp(buf, "3456") == 0,
	    MODE ": compat_sendfile sends the bytes from the offset");
#endif
	(void)buf;
	close(rfd);
	close(fd);
	close(sv[0]);
	close(sv[1]);
}

int
main(void)
{
	test_pipe_socket();
	test_reopen();
	test_sendfile();
	printf("1..%d\n", tap_ntests);
	return (tap_status());
}
