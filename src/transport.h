/*
 * transport.h: how the protocol core moves bytes.
 *
 * A transport is a small vtable: read, write, pending, rfd, wfd, close.
 * Read and write descriptors are separate because a child process has two
 * pipes; a layer such as TLS wraps any lower transport and reports, through
 * pending(), bytes it has already decrypted so that the caller reads them
 * before it polls the descriptor.
 *
 * The helpers in transport.c add what every transport needs the same way:
 * a timeout on every read and write (poll), EINTR handling with an
 * interrupt check (Ctrl-C), and writing a whole buffer.
 */
#ifndef TRANSPORT_H
#define TRANSPORT_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

struct transport;

struct transport_ops {
	const char *name;
	/* > 0 bytes, 0 at EOF, -1 with *cause; -2 when it would block. */
	ssize_t	(*read)(struct transport *, void *, size_t, char **cause);
	/* > 0 bytes, -1 with *cause; -2 when it would block. */
	ssize_t	(*write)(struct transport *, const void *, size_t,
		    char **cause);
	size_t	(*pending)(struct transport *);
	int	(*rfd)(struct transport *);
	int	(*wfd)(struct transport *);
	/* poll events the layer needs for the next read/write (TLS may need
	 * to write while reading); NULL means POLLIN for read, POLLOUT for
	 * write. */
	int	(*want)(struct transport *, int reading);
	void	(*close)(struct transport *);
	/* Why the peer went away, for the message at EOF (a child process's
	 * exit status); NULL when there is nothing to add. Optional. */
	char	*(*eof_reason)(struct transport *);
	/* Send up to len bytes of the file fd from offset off without them
	 * passing through this process (sendfile(2)): > 0 bytes, 0 at the
	 * file's end, -1 with *cause, -2 when it would block, -3 when this
	 * file cannot be sent so.  Optional: only a layer that hands bytes
	 * to the kernel as they are has it (not TLS or COMPRESS). */
	ssize_t	(*sendfile)(struct transport *, int fd, uint64_t off,
		    size_t len, char **cause);
};

struct transport {
	const struct transport_ops *ops;
	void		*priv;
	char		*peer;		/* "host port" as shown to people */
	int		 loopback;	/* the peer is this machine */
	int		 child;		/* the peer is a child process */
	int		 tls;		/* this layer is TLS */
	/* An overall deadline (CLOCK_MONOTONIC ms, 0: none) on top of each
	 * wait's timeout, and its length for the message. */
	long long	 deadline;
	int		 deadline_ms;
	/* Ctrl-Cs its reader has answered (intr.h): a wait ends
	 * "interrupted" on one more.  Set by the reader only. */
	int		 intr_seen;
};

/*
 * Read up to len bytes, waiting at most timeout_ms (<= 0: no timeout).
 * Returns > 0, 0 at EOF, -1 with *cause (timed out, interrupted, error).
 */
ssize_t	 tr_read(struct transport *, void *, size_t, int timeout_ms,
	    char **cause);
/* Write all of buf; 0 or -1 with *cause. */
int	 tr_write_all(struct transport *, const void *, size_t,
	    int timeout_ms, char **cause);
/*
 * Send len bytes of the file fd from offset off with the transport's
 * sendfile.  0 with *sent == len, or *sent < len when the file ended
 * first; -1 with *cause; 1 when the transport cannot send from a file
 * (nothing was sent by this call): the caller reads and writes instead.
 */
int	 tr_send_file(struct transport *, int fd, uint64_t off, uint64_t len,
	    uint64_t *sent, int timeout_ms, char **cause);
void	 tr_close(struct transport *);

/*
 * Milliseconds on a monotonic clock.  tr_left() is what is left of
 * timeout_ms started at start (1 at least, so that it stays a timeout;
 * 0 when timeout_ms is 0: no timeout).  tr_set_deadline() makes every
 * read and write of t fail once timeout_ms from start has passed (0
 * clears it): the greeting's overall deadline.
 */
long long tr_now_ms(void);
int	 tr_left(long long start, int timeout_ms);
void	 tr_set_deadline(struct transport *, long long start, int timeout_ms);

/*
 * Ctrl-C (intr.h): 1 when the front end has counted more Ctrl-Cs than t's
 * reader has answered (t->intr_seen; t NULL: any).  Every wait here ends
 * "interrupted" then; nothing here changes the count.
 */
int	 tr_interrupt_pending(const struct transport *);

/* TCP: connect to host:port (family AF_UNSPEC, AF_INET or AF_INET6). */
struct transport *tr_tcp_connect(const char *host, const char *port,
	    int family, int timeout_ms, char **cause);

/* A child process: /bin/sh -c command, speaking over its stdin/stdout;
 * its stderr passes through to ours. */
struct transport *tr_cmd_start(const char *command, char **cause);

/* TLS over any lower transport (TCP for imaps and STARTTLS, a child
 * process for STARTTLS over a stream). */
struct tls_opts {
	const char	*servername;	/* checked against the certificate */
	const char	*cafile;	/* NULL: the system trust store */
	const char	*certfile;	/* client certificate (EXTERNAL) */
	const char	*keyfile;
	int		 insecure;	/* do not verify: explicit only */
	int		 min_version;	/* tls-version.h: 10..13, 0 default */
};
/* On success the TLS transport owns lower; on failure lower is closed. */
struct transport *tr_tls_wrap(struct transport *lower,
	    const struct tls_opts *, int timeout_ms, char **cause);
/* COMPRESS=DEFLATE over lower; preload holds bytes already read that
 * belong to the compressed stream.  NULL and *cause on failure (lower is
 * left open). */
struct transport *tr_zlib_wrap(struct transport *lower, const void *preload,
	    size_t len, char **cause);

/* Protocol, cipher suite and the peer's chain, for the tls command. */
int	 tr_tls_describe(struct transport *, char **out);
/* 1 if t is a TLS transport (at any layer below the top). */
int	 tr_is_tls(struct transport *);
/* The channel binding of the TLS layer under t (which may be under
 * COMPRESS): *type is "tls-exporter" (TLS 1.3) or "tls-server-end-point"
 * (TLS 1.2), *data (allocated, *len bytes) the binding.  -1 with *cause
 * when there is none. */
int	 tr_tls_channel_binding(struct transport *, const char **type,
	    unsigned char **data, size_t *len, char **cause);

#endif
