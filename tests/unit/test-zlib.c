/*
 * test-zlib.c: the COMPRESS=DEFLATE layer (tr-zlib.c) over a lower
 * transport that takes a few bytes at a time and then would block.
 *
 * The layer must never wait on its own (a fixed wait would ignore -t):
 * when the lower write would block it returns -2, and the caller, after
 * waiting, calls again with the same bytes.  Checked: -2 comes back while
 * output is pending, every call eventually reports the bytes it took,
 * and what reached the lower layer inflates to exactly what was written,
 * for several sizes of what the lower layer takes per turn.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "tap.h"
#include "transport.h"
#include "xmalloc.h"

struct mock {
	struct buf	 got;		/* what the layer wrote */
	size_t		 room;		/* bytes it may write before blocking */
	size_t		 per_turn;
	size_t		 blocks;	/* -2 returned so far */
};

static ssize_t	mock_read(struct transport *, void *, size_t, char **);
static ssize_t	mock_write(struct transport *, const void *, size_t,
		    char **);
static int	mock_fd(struct transport *);
static void	mock_close(struct transport *);
static int	inflate_all(const struct buf *, struct buf *);
static int	run(size_t per_turn, const char *in, size_t len);

static const struct transport_ops mock_ops = {
	.name = "mock",
	.read = mock_read,
	.write = mock_write,
	.rfd = mock_fd,
	.wfd = mock_fd,
	.close = mock_close,
};

static ssize_t
mock_read(struct transport *t, void *buf, size_t len, char **cause)
{
	return (-2);
}

static ssize_t
mock_write(struct transport *t, const void *buf, size_t len, char **cause)
{
	struct mock	*m = t->priv;

	if (m->room == 0) {
		m->blocks++;
		return (-2);
	}
	if (len > m->room)
		len = m->room;
	m->room -= len;
	(void)buf_add(&m->got, buf, len);
	return ((ssize_t)len);
}

static int
mock_fd(struct transport *t)
{
	return (-1);
}

static void
mock_close(struct transport *t)
{
}

/* Raw inflate of in into out; 0 when it is one clean stream so far. */
static int
inflate_all(const struct buf *in, struct buf *out)
{
	z_stream	 z;
	char		 chunk[4096];
	int		 rv;

	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, -15) != Z_OK)
		return (-1);
	z.next_in = (unsigned char *)in->data;
	z.avail_in = (uInt)in->len;
	do {
		z.next_out = (unsigned char *)chunk;
		z.avail_out = sizeof chunk;
		rv = inflate(&z, Z_SYNC_FLUSH);
		(void)buf_add(out, chunk, sizeof chunk - z.avail_out);
	} while (rv == Z_OK && (z.avail_in > 0 || z.avail_out == 0));
	inflateEnd(&z);
	return (rv == Z_OK || rv == Z_BUF_ERROR ? 0 : -1);
}

/* Write in through the layer; 1 if everything checks out. */
static int
run(size_t per_turn, const char *in, size_t len)
{
	struct transport	*lower, *z;
	struct mock		*m;
	struct buf		 out;
	char			*cause = NULL;
	size_t			 off = 0, calls = 0;
	ssize_t			 n;
	int			 good = 1;

	m = xcalloc(1, sizeof *m);
	buf_init(&m->got, 0);
	m->per_turn = m->room = per_turn;
	lower = xcalloc(1, sizeof *lower);
	lower->ops = &mock_ops;
	lower->priv = m;
	lower->peer = xstrdup("mock");
	if ((z = tr_zlib_wrap(lower, NULL, 0, &cause)) == NULL)
		return (0);
	while (off < len && good) {
		n = z->ops->write(z, in + off, len - off, &cause);
		if (n == -2) {
			m->room = m->per_turn;	/* the caller waited */
			if (++calls > 10 * 1000 * 1000)
				good = 0;	/* no progress */
			continue;
		}
		if (n <= 0 || (size_t)n > len - off)
			good = 0;
		else
			off += (size_t)n;
	}
	buf_init(&out, 0);
	if (good && (inflate_all(&m->got, &out) == -1 || out.len != len ||
	    memcmp(out.data, in, len) != 0))
		good = 0;
	if (per_turn < len / 4 && m->blocks == 0)
		good = 0;	/* the lower layer never blocked: no test */
	buf_free(&out);
	buf_free(&m->got);
	tr_close(z);
	free(m);
	return (good);
}

int
main(void)
{
	static const size_t	turns[] = { 1, 7, 1000, 65536, 1 << 20 };
	char			*in;
	size_t			 len = 300 * 1024, i;
	uint32_t		 x = 2463534242u;

	/* Half incompressible, half text: deflate output of both kinds. */
	in = xmalloc(len);
	for (i = 0; i < len / 2; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		in[i] = (char)x;
	}
	for (; i < len; i++)
		in[i] = "A1 NOOP\r\n"[i % 9];
	for (i = 0; i < sizeof turns / sizeof turns[0]; i++)
		ok(run(turns[i], in, len), "%zu bytes a turn: -2 while the "
		    "lower layer blocks, every byte counted once, inflates "
		    "back", turns[i]);
	free(in);
	printf("1..%d\n", tap_ntests);
	return (tap_status());
}
