/*
 * pyval.c: the Python values that commands return, and spools.
 *
 * A result is a small tree of struct pyval; containers own their items and
 * pv_free() frees a whole tree.  Bytes are copied in (pv_bytes), handed
 * over (pv_bytes_take) or left in a spool (pv_bytes_spool).  In-memory str
 * and bytes data are always NUL-terminated, so callers may treat a str as a
 * C string (bytes may still hold NULs of their own).
 *
 * A spool is an unlinked temporary file: nothing is left on disk whatever
 * way the process ends, the descriptor is close-on-exec so no child sees
 * it, and its contents are never held in memory whole.  Spools are shared
 * by reference count, so pv_copy() of a 50 MB message is cheap, and a
 * spooled value is a byte range of its spool (spool_off, len), so that one
 * spool can hold every literal of a response.
 */
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pyval.h"
#include "xmalloc.h"

static struct pyval	*pv_new(enum pyval_type);
static void		 spool_cause(char **, const char *, int);

static struct pyval *
pv_new(enum pyval_type type)
{
	struct pyval	*v;

	v = xcalloc(1, sizeof *v);
	v->type = type;
	return (v);
}

struct pyval *
pv_none(void)
{
	return (pv_new(PV_NONE));
}

struct pyval *
pv_bool(int b)
{
	struct pyval	*v;

	v = pv_new(PV_BOOL);
	v->i = b != 0;
	return (v);
}

struct pyval *
pv_int(long long i)
{
	struct pyval	*v;

	v = pv_new(PV_INT);
	v->i = i;
	return (v);
}

struct pyval *
pv_str(const char *s)
{
	return (pv_strn(s, strlen(s)));
}

struct pyval *
pv_strn(const char *s, size_t len)
{
	struct pyval	*v;

	v = pv_new(PV_STR);
	v->s = xmalloc(len + 1);
	if (len != 0)
		memcpy(v->s, s, len);
	v->s[len] = '\0';
	v->len = len;
	return (v);
}

struct pyval *
pv_bytes(const void *p, size_t len)
{
	struct pyval	*v;

	v = pv_strn(p, len);
	v->type = PV_BYTES;
	return (v);
}

/*
 * Take ownership of s, which must come from the xmalloc family (it is
 * grown by one byte for the terminating NUL).  A NULL s is an empty value.
 */
struct pyval *
pv_bytes_take(char *s, size_t len)
{
	struct pyval	*v;

	if (s == NULL)
		return (pv_bytes("", 0));
	v = pv_new(PV_BYTES);
	v->s = xreallocarray(s, len + 1, 1);
	v->s[len] = '\0';
	v->len = len;
	return (v);
}

/*
 * The value takes a reference of its own (spool_ref): the caller keeps the
 * one it had and drops it with spool_unref() when done with the spool.
 */
struct pyval *
pv_bytes_spool(struct spool *sp)
{
	return (pv_bytes_spool_range(sp, 0, sp->size));
}

/* Bytes [off, off + len) of a spool that many values may share. */
struct pyval *
pv_bytes_spool_range(struct spool *sp, uint64_t off, uint64_t len)
{
	struct pyval	*v;

	v = pv_new(PV_BYTES);
	v->spool = spool_ref(sp);
	v->spool_off = off;
	v->len = (size_t)len;
	return (v);
}

struct pyval *
pv_tuple(void)
{
	return (pv_new(PV_TUPLE));
}

struct pyval *
pv_list(void)
{
	return (pv_new(PV_LIST));
}

struct pyval *
pv_list1(struct pyval *item)
{
	struct pyval	*l = pv_new(PV_LIST);

	pv_append(l, item);
	return (l);
}

/*
 * Append item to a tuple or list, which takes ownership of it (a NULL item
 * becomes None).  Returns the item, so that nested values can be built in
 * place: t = pv_append(data, pv_tuple()); pv_append(t, ...).
 */
struct pyval *
pv_append(struct pyval *c, struct pyval *item)
{
	if (item == NULL)
		item = pv_none();
	if (c->n == c->alloc) {
		c->alloc = c->alloc == 0 ? 4 : c->alloc * 2;
		c->items = xreallocarray(c->items, c->alloc, sizeof *c->items);
	}
	c->items[c->n++] = item;
	return (item);
}

struct pyval *
pv_copy(const struct pyval *v)
{
	struct pyval	*c;
	size_t		 i;

	if (v == NULL)
		return (NULL);
	switch (v->type) {
	case PV_STR:
		return (pv_strn(v->s, v->len));
	case PV_BYTES:
		if (v->spool != NULL)
			return (pv_bytes_spool_range(v->spool, v->spool_off,
			    v->len));
		return (pv_bytes(v->s, v->len));
	case PV_TUPLE:
	case PV_LIST:
		c = pv_new(v->type);
		if (v->n != 0) {
			c->items = xreallocarray(NULL, v->n, sizeof *c->items);
			c->alloc = v->n;
			for (i = 0; i < v->n; i++)
				c->items[i] = pv_copy(v->items[i]);
			c->n = v->n;
		}
		return (c);
	default:
		c = pv_new(v->type);
		c->i = v->i;
		return (c);
	}
}

void
pv_free(struct pyval *v)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; i < v->n; i++)
		pv_free(v->items[i]);
	free(v->items);
	free(v->s);
	if (v->spool != NULL)
		spool_unref(v->spool);
	free(v);
}

/* Length of a PV_BYTES or PV_STR value (bytes), 0 for anything else. */
uint64_t
pv_bytes_len(const struct pyval *v)
{
	if (v == NULL || (v->type != PV_BYTES && v->type != PV_STR))
		return (0);
	return (v->len);
}

size_t
pv_mem_size(const struct pyval *v)
{
	size_t	 size, i;

	if (v == NULL)
		return (0);
	size = sizeof *v + PV_ALLOC_OVERHEAD;
	if (v->s != NULL)
		size += v->len + 1 + PV_ALLOC_OVERHEAD;
	if (v->items != NULL)
		size += v->alloc * sizeof *v->items + PV_ALLOC_OVERHEAD;
	for (i = 0; i < v->n; i++)
		size += pv_mem_size(v->items[i]);
	return (size);
}

/* Python's truth test, for every type. */
int
pv_truthy(const struct pyval *v)
{
	if (v == NULL)
		return (0);
	switch (v->type) {
	case PV_NONE:
		return (0);
	case PV_BOOL:
	case PV_INT:
		return (v->i != 0);
	case PV_STR:
	case PV_BYTES:
		return (pv_bytes_len(v) != 0);
	case PV_TUPLE:
	case PV_LIST:
		return (v->n != 0);
	}
	return (0);
}

static void
spool_cause(char **cause, const char *what, int error)
{
	if (cause != NULL)
		xasprintf(cause, "spool: %s: %s", what, strerror(error));
}

struct spool *
spool_new(char **cause)
{
	struct spool	*sp;
	const char	*dir;
	char		*path;
	int		 fd, error;

	if ((dir = getenv("TMPDIR")) == NULL || *dir == '\0')
		dir = "/tmp";
	xasprintf(&path, "%s/imapsh.XXXXXXXXXX", dir);
	if ((fd = mkostemp(path, O_CLOEXEC)) == -1) {
		error = errno;
		spool_cause(cause, dir, error);
		free(path);
		return (NULL);
	}
	if (unlink(path) == -1) {
		error = errno;
		spool_cause(cause, path, error);
		close(fd);
		free(path);
		return (NULL);
	}
	free(path);

	sp = xcalloc(1, sizeof *sp);
	sp->fd = fd;
	sp->refs = 1;
	return (sp);
}

/* Append len bytes; returns 0, or -1 and *cause (the spool is unchanged). */
int
spool_write(struct spool *sp, const void *p, size_t len, char **cause)
{
	const char	*s = p;
	size_t		 done = 0;
	ssize_t		 n;
	int		 error;

	while (done < len) {
		n = pwrite(sp->fd, s + done, len - done,
		    (off_t)(sp->size + done));
		if (n == -1) {
			if (errno == EINTR)
				continue;
			/* Bytes past size are never read: nothing to undo. */
			error = errno;
			spool_cause(cause, "write", error);
			return (-1);
		}
		done += (size_t)n;
	}
	sp->size += len;
	return (0);
}

/*
 * Read up to len bytes at off.  Returns the number read, short only at the
 * end of the spool (0 at or past it), or -1 on error.
 */
ssize_t
spool_read(struct spool *sp, uint64_t off, void *p, size_t len)
{
	char	*s = p;
	size_t	 done = 0;
	ssize_t	 n;

	if (off >= sp->size)
		return (0);
	if (len > sp->size - off)
		len = (size_t)(sp->size - off);
	if (len > SSIZE_MAX)
		len = SSIZE_MAX;
	while (done < len) {
		n = pread(sp->fd, s + done, len - done, (off_t)(off + done));
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return ((ssize_t)done);
}

struct spool *
spool_ref(struct spool *sp)
{
	if (sp != NULL)
		sp->refs++;
	return (sp);
}

void
spool_unref(struct spool *sp)
{
	if (sp == NULL || --sp->refs > 0)
		return;
	close(sp->fd);
	free(sp);
}
