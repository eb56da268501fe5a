/*
 * tr-tcp.c: the TCP transport.
 *
 * Resolves with getaddrinfo, tries each address in turn with a
 * non-blocking connect bounded by the timeout, and reports the last
 * failure in words ("connection refused", "timed out").  The socket stays
 * non-blocking; transport.c polls before every read and write.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "transport.h"
#include "xmalloc.h"

struct tr_tcp {
	int	fd;
};

static ssize_t	tr_tcp_read(struct transport *, void *, size_t, char **);
static ssize_t	tr_tcp_write(struct transport *, const void *, size_t,
		    char **);
static ssize_t	tr_tcp_sendfile(struct transport *, int, uint64_t, size_t,
		    char **);
static int	tr_tcp_fd(struct transport *);
static void	tr_tcp_close(struct transport *);
static int	tr_tcp_try(const struct addrinfo *, long long, int, char **);
static int	tr_tcp_is_loopback(const struct sockaddr *);

static const struct transport_ops tr_tcp_ops = {
	.name = "tcp",
	.read = tr_tcp_read,
	.write = tr_tcp_write,
	.pending = NULL,
	.rfd = tr_tcp_fd,
	.wfd = tr_tcp_fd,
	.want = NULL,
	.close = tr_tcp_close,
	.sendfile = tr_tcp_sendfile,
};

static ssize_t
tr_tcp_read(struct transport *t, void *buf, size_t len, char **cause)
{
	struct tr_tcp	*tcp = t->priv;
	ssize_t		 n;

	for (;;) {
		n = read(tcp->fd, buf, len);
		if (n >= 0)
			return (n);
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return (-2);
		if (errno == ECONNRESET) {
			*cause = xstrdup("connection reset by server");
			return (-1);
		}
		xasprintf(cause, "read: %s", strerror(errno));
		return (-1);
	}
}

static ssize_t
tr_tcp_write(struct transport *t, const void *buf, size_t len, char **cause)
{
	struct tr_tcp	*tcp = t->priv;
	ssize_t		 n;

	for (;;) {
		n = send(tcp->fd, buf, len, COMPAT_MSG_NOSIGNAL);
		if (n >= 0)
			return (n);
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return (-2);
		if (errno == EPIPE || errno == ECONNRESET) {
			*cause = xstrdup("connection closed by server");
			return (-1);
		}
		xasprintf(cause, "write: %s", strerror(errno));
		return (-1);
	}
}

/* Bytes of a file straight from the page cache to the socket, where the
 * system can (compat_sendfile: ENOSYS elsewhere, and -3 has the caller
 * read and write instead). */
static ssize_t
tr_tcp_sendfile(struct transport *t, int fd, uint64_t off, size_t len,
    char **cause)
{
	struct tr_tcp	*tcp = t->priv;
	off_t		 o = (off_t)off;
	ssize_t		 n;

	for (;;) {
		n = compat_sendfile(tcp->fd, fd, &o, len);
		if (n >= 0)
			return (n);
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return (-2);
		if (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP)
			return (-3);
		if (errno == EPIPE || errno == ECONNRESET) {
			*cause = xstrdup("connection closed by server");
			return (-1);
		}
		xasprintf(cause, "sendfile: %s", strerror(errno));
		return (-1);
	}
}

static int
tr_tcp_fd(struct transport *t)
{
	return (((struct tr_tcp *)t->priv)->fd);
}

static void
tr_tcp_close(struct transport *t)
{
	struct tr_tcp	*tcp = t->priv;

	if (tcp->fd != -1)
		close(tcp->fd);
	free(tcp);
}

static int
tr_tcp_is_loopback(const struct sockaddr *sa)
{
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;

	if (sa->sa_family == AF_INET) {
		sin = (const struct sockaddr_in *)sa;
		return ((ntohl(sin->sin_addr.s_addr) >> 24) == 127);
	}
	if (sa->sa_family == AF_INET6) {
		sin6 = (const struct sockaddr_in6 *)sa;
		return (IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr));
	}
	return (0);
}

/* Connect to one address within what is left of timeout_ms from start
 * (the whole connect's budget).  Returns the fd, or -1 with *cause. */
static int
tr_tcp_try(const struct addrinfo *ai, long long start, int timeout_ms,
    char **cause)
{
	struct pollfd	pfd;
	socklen_t	slen;
	int		fd, n, err, one = 1;

	fd = compat_socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
	if (fd == -1) {
		xasprintf(cause, "socket: %s", strerror(errno));
		return (-1);
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	/* Keepalive finds a peer that vanished while we wait (IDLE): probes
	 * after 60 s of silence, every 15 s, 4 misses. */
	(void)compat_keepalive(fd, 60, 15, 4);
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return (fd);
	if (errno != EINPROGRESS) {
		err = errno;
		goto fail;
	}
	pfd.fd = fd;
	pfd.events = POLLOUT;
	for (;;) {
		n = poll(&pfd, 1, timeout_ms > 0 ? tr_left(start,
		    timeout_ms) : -1);
		if (n == -1 && errno == EINTR) {
			if (tr_interrupt_pending(NULL)) {
				*cause = xstrdup("interrupted");
				close(fd);
				return (-1);
			}
			continue;
		}
		break;
	}
	if (n == 0) {
		err = ETIMEDOUT;
		goto fail;
	}
	if (n == -1) {
		err = errno;
		goto fail;
	}
	slen = sizeof err;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &slen) == -1)
		err = errno;
	if (err == 0)
		return (fd);
fail:
	close(fd);
	if (err == ECONNREFUSED)
		*cause = xstrdup("connection refused");
	else if (err == ETIMEDOUT)
		xasprintf(cause, "timed out after %d seconds",
		    timeout_ms / 1000);
	else
		*cause = xstrdup(strerror(err));
	return (-1);
}

struct transport *
tr_tcp_connect(const char *host, const char *port, int family,
    int timeout_ms, char **cause)
{
	struct addrinfo		 hints, *res, *ai;
	struct transport	*t;
	struct tr_tcp		*tcp;
	char			*last = NULL, addr[INET6_ADDRSTRLEN];
	int			 fd = -1, error;
	long long		 start = tr_now_ms();

	memset(&hints, 0, sizeof hints);
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	error = getaddrinfo(host, port, &hints, &res);
	if (error == EAI_ADDRFAMILY || error == EAI_NONAME) {
		hints.ai_flags = 0;
		error = getaddrinfo(host, port, &hints, &res);
	}
	if (error != 0) {
		xasprintf(cause, "%s port %s: %s", host, port,
		    gai_strerror(error));
		return (NULL);
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		free(last);
		last = NULL;
		if ((fd = tr_tcp_try(ai, start, timeout_ms, &last)) != -1)
			break;
		if (strcmp(last, "interrupted") == 0)
			break;
	}
	if (fd == -1) {
		xasprintf(cause, "%s port %s: %s", host, port,
		    last != NULL ? last : "no address");
		free(last);
		freeaddrinfo(res);
		return (NULL);
	}
	t = xcalloc(1, sizeof *t);
	tcp = xcalloc(1, sizeof *tcp);
	tcp->fd = fd;
	t->ops = &tr_tcp_ops;
	t->priv = tcp;
	t->loopback = tr_tcp_is_loopback(ai->ai_addr);
	if (getnameinfo(ai->ai_addr, ai->ai_addrlen, addr, sizeof addr,
	    NULL, 0, NI_NUMERICHOST) != 0)
		strlcpy(addr, host, sizeof addr);
	xasprintf(&t->peer, "%s port %s", addr, port);
	freeaddrinfo(res);
	return (t);
}
