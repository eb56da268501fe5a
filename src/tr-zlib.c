/*
 * tr-zlib.c: COMPRESS=DEFLATE (RFC 4978) over any lower transport.
 *
 * Raw DEFLATE (no zlib header) both ways.  Every write is flushed with
 * Z_SYNC_FLUSH so the server sees each command at once.  Reads inflate
 * into the caller's buffer; pending() reports output that zlib still
 * holds, so the caller does not poll for bytes that already arrived.
 * Bytes the server sent right after its OK (already read by the core)
 * are given to tr_zlib_wrap() and inflated first.  The protocol trace is
 * kept above this layer, so -d 4 still shows the uncompressed lines.
 */
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "transport.h"
#include "xmalloc.h"

#define ZBUF	(64 * 1024)

struct tr_zlib {
	struct transport	*lower;
	z_stream		 in;
	z_stream		 out;
	unsigned char		*ibuf;		/* compressed input */
	unsigned char		*obuf;		/* compressed output */
	int			 more;		/* inflate may have more */
	int			 eof;
	/* Output not yet sent: obuf[opos, olen), for the first taken bytes
	 * of the caller's buffer; full: deflate filled obuf. */
	size_t			 opos, olen, taken;
	int			 full;
};

static ssize_t	tr_zlib_read(struct transport *, void *, size_t, char **);
static ssize_t	tr_zlib_write(struct transport *, const void *, size_t,
		    char **);
static size_t	tr_zlib_pending(struct transport *);
static int	tr_zlib_rfd(struct transport *);
static int	tr_zlib_wfd(struct transport *);
static int	tr_zlib_want(struct transport *, int);
static void	tr_zlib_close(struct transport *);
static char	*tr_zlib_eof_reason(struct transport *);

static const struct transport_ops tr_zlib_ops = {
	.name = "deflate",
	.read = tr_zlib_read,
	.write = tr_zlib_write,
	.pending = tr_zlib_pending,
	.rfd = tr_zlib_rfd,
	.wfd = tr_zlib_wfd,
	.want = tr_zlib_want,
	.close = tr_zlib_close,
	.eof_reason = tr_zlib_eof_reason,
};

static ssize_t
tr_zlib_read(struct transport *t, void *buf, size_t len, char **cause)
{
	struct tr_zlib	*z = t->priv;
	ssize_t		 n;
	size_t		 got;
	int		 rv;

	for (;;) {
		if (z->in.avail_in == 0 && !z->more) {
			if (z->eof)
				return (0);
			n = z->lower->ops->read(z->lower, z->ibuf, ZBUF, cause);
			if (n <= 0)
				return (n);	/* -2 would block, 0 EOF, -1 */
			z->in.next_in = z->ibuf;
			z->in.avail_in = (uInt)n;
		}
		z->in.next_out = buf;
		z->in.avail_out = (uInt)(len > ZBUF ? ZBUF : len);
		rv = inflate(&z->in, Z_SYNC_FLUSH);
		got = (size_t)((unsigned char *)z->in.next_out -
		    (unsigned char *)buf);
		/* Output filled up: zlib may hold more for the next read. */
		z->more = z->in.avail_out == 0;
		if (rv == Z_STREAM_END)
			z->eof = 1;
		else if (rv != Z_OK && rv != Z_BUF_ERROR) {
			xasprintf(cause, "COMPRESS: inflate: %s",
			    z->in.msg != NULL ? z->in.msg : "corrupt data");
			return (-1);
		}
		if (got > 0)
			return ((ssize_t)got);
		if (z->eof)
			return (0);
		z->more = 0;	/* nothing came out: read more input */
	}
}

/*
 * Deflate up to ZBUF bytes of buf and send the result.  When the lower
 * layer would block, -2 goes back to the caller, which waits (with its
 * timeout, transport.c) and calls again with the same bytes: the output
 * already made is sent then, and the count of bytes it stands for is
 * returned.  Nothing here waits on its own.
 */
static ssize_t
tr_zlib_write(struct transport *t, const void *buf, size_t len, char **cause)
{
	struct tr_zlib	*z = t->priv;
	ssize_t		 n;

	for (;;) {
		while (z->opos < z->olen) {
			n = z->lower->ops->write(z->lower, z->obuf + z->opos,
			    z->olen - z->opos, cause);
			if (n < 0)
				return (n);	/* -2 would block, -1 */
			z->opos += (size_t)n;
		}
		if (z->taken > 0 && !z->full) {
			n = (ssize_t)z->taken;
			z->taken = 0;
			return (n);
		}
		if (z->taken == 0) {
			z->taken = len > ZBUF ? ZBUF : len;
			z->out.next_in = (unsigned char *)(uintptr_t)buf;
			z->out.avail_in = (uInt)z->taken;
		}
		z->out.next_out = z->obuf;
		z->out.avail_out = ZBUF;
		if (deflate(&z->out, Z_SYNC_FLUSH) == Z_STREAM_ERROR) {
			*cause = xstrdup("COMPRESS: deflate failed");
			return (-1);
		}
		/* A full buffer: deflate may hold more for the same input. */
		z->full = z->out.avail_out == 0;
		z->olen = ZBUF - z->out.avail_out;
		z->opos = 0;
	}
}

/* What the lower layer needs polled (TLS may read while writing). */
static int
tr_zlib_want(struct transport *t, int reading)
{
	struct tr_zlib	*z = t->priv;

	if (z->lower->ops->want != NULL)
		return (z->lower->ops->want(z->lower, reading));
	return (reading ? POLLIN : POLLOUT);
}

static size_t
tr_zlib_pending(struct transport *t)
{
	struct tr_zlib	*z = t->priv;

	if (z->more || z->in.avail_in > 0)
		return (1);
	if (z->lower->ops->pending != NULL)
		return (z->lower->ops->pending(z->lower));
	return (0);
}

static int
tr_zlib_rfd(struct transport *t)
{
	struct tr_zlib	*z = t->priv;

	return (z->lower->ops->rfd(z->lower));
}

static int
tr_zlib_wfd(struct transport *t)
{
	struct tr_zlib	*z = t->priv;

	return (z->lower->ops->wfd(z->lower));
}

static char *
tr_zlib_eof_reason(struct transport *t)
{
	struct tr_zlib	*z = t->priv;

	if (z->lower->ops->eof_reason != NULL)
		return (z->lower->ops->eof_reason(z->lower));
	return (NULL);
}

static void
tr_zlib_close(struct transport *t)
{
	struct tr_zlib	*z = t->priv;

	inflateEnd(&z->in);
	deflateEnd(&z->out);
	tr_close(z->lower);
	free(z->ibuf);
	free(z->obuf);
	free(z);
}

struct transport *
tr_zlib_wrap(struct transport *lower, const void *preload, size_t len,
    char **cause)
{
	struct transport	*t;
	struct tr_zlib		*z;

	if (len > ZBUF) {
		*cause = xstrdup("COMPRESS: too much data before compression");
		return (NULL);
	}
	z = xcalloc(1, sizeof *z);
	z->ibuf = xmalloc(ZBUF);
	z->obuf = xmalloc(ZBUF);
	if (inflateInit2(&z->in, -15) != Z_OK ||
	    deflateInit2(&z->out, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK) {
		*cause = xstrdup("COMPRESS: zlib initialisation failed");
		free(z->ibuf);
		free(z->obuf);
		free(z);
		return (NULL);
	}
	if (len > 0) {
		memcpy(z->ibuf, preload, len);
		z->in.next_in = z->ibuf;
		z->in.avail_in = (uInt)len;
	}
	z->lower = lower;
	t = xcalloc(1, sizeof *t);
	t->ops = &tr_zlib_ops;
	t->priv = z;
	t->loopback = lower->loopback;
	t->child = lower->child;
	t->tls = 0;
	t->peer = xstrdup(lower->peer);
	return (t);
}
