/*
 * emit.c: the staging buffer in front of a struct buf or a struct out
 * that the Python printers and terminal escaping write through.  See
 * emit.h.
 */
#include <string.h>

#include "emit.h"

static void	 emit_pass(struct emit *, const void *, size_t);

void
emit_init(struct emit *sk, struct buf *b, struct out *o, char *own)
{
	sk->b = b;
	sk->o = o;
	sk->full = 0;
	sk->direct = 0;
	sk->len = 0;
	sk->size = EMIT_SIZE;
	sk->tmp = sk->own = own;
	if (o != NULL)
		emit_stage(sk);
}

/*
 * Where an empty emitter for an out stages what comes next: in the out's
 * buffer if it lends it, with at least EMIT_ROOM bytes, else in its own.
 */
void
emit_stage(struct emit *sk)
{
	char	*p;
	size_t	 room;

	if ((p = out_reserve(sk->o, EMIT_ROOM, &room)) != NULL) {
		sk->tmp = p;
		sk->size = room;
		sk->direct = 1;
	} else {
		sk->tmp = sk->own;
		sk->size = EMIT_SIZE;
		sk->direct = 0;
	}
}

/* Pass p on to the buf or out behind the emitter; fill a buf to its cap. */
static void
emit_pass(struct emit *sk, const void *p, size_t len)
{
	struct buf	*b = sk->b;

	if (sk->o != NULL)
		out_write(sk->o, p, len);
	else if (!sk->full && buf_add(b, p, len) == -1) {
		if (b->cap > b->len)
			(void)buf_add(b, p, b->cap - b->len);
		sk->full = 1;
	}
}

/* Hand what is staged on; then there are at least EMIT_ROOM bytes free. */
void
emit_flush(struct emit *sk)
{
	size_t	 len = sk->len;

	sk->len = 0;
	if (sk->direct)
		out_commit(sk->o, len);
	else if (len > 0)
		emit_pass(sk, sk->tmp, len);
	if (sk->o != NULL)
		emit_stage(sk);
}

void
emit_add(struct emit *sk, const void *p, size_t len)
{
	if (len > sk->size - sk->len) {
		emit_flush(sk);
		if (len >= sk->size / 2) {
			emit_pass(sk, p, len);
			if (sk->o != NULL)
				emit_stage(sk);
			return;
		}
	}
	memcpy(sk->tmp + sk->len, p, len);
	sk->len += len;
}

void
emit_addstr(struct emit *sk, const char *s)
{
	emit_add(sk, s, strlen(s));
}

void
emit_spaces(struct emit *sk, size_t n)
{
	static const char	 spaces[] = "                                ";
	size_t			 k;

	while (n > 0) {
		k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
		emit_add(sk, spaces, k);
		n -= k;
	}
}
