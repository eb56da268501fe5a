/*
 * xmalloc.c: allocation wrappers and the bounded growable buffer.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

static void	xmalloc_fail(size_t) __attribute__((__noreturn__));

static void
xmalloc_fail(size_t n)
{
	fprintf(stderr, "imapsh: out of memory (allocating %zu bytes)\n", n);
	exit(3);
}

void *
xmalloc(size_t n)
{
	void	*p;

	if (n == 0)
		n = 1;
	if ((p = malloc(n)) == NULL)
		xmalloc_fail(n);
	return (p);
}

void *
xcalloc(size_t nmemb, size_t n)
{
	void	*p;

	if (nmemb == 0 || n == 0)
		nmemb = n = 1;
	if ((p = calloc(nmemb, n)) == NULL)
		xmalloc_fail(nmemb * n);
	return (p);
}

void *
xreallocarray(void *old, size_t nmemb, size_t n)
{
	void	*p;

	if (nmemb == 0 || n == 0)
		nmemb = n = 1;
	if (n != 0 && nmemb > SIZE_MAX / n)
		xmalloc_fail(SIZE_MAX);
	if ((p = realloc(old, nmemb * n)) == NULL)
		xmalloc_fail(nmemb * n);
	return (p);
}

char *
xstrdup(const char *s)
{
	return (xmemdup(s, strlen(s) + 1));
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;
	size_t	 len;

	len = strnlen(s, n);
	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return (p);
}

void *
xmemdup(const void *s, size_t n)
{
	void	*p;

	p = xmalloc(n);
	if (n != 0)
		memcpy(p, s, n);
	return (p);
}

int
xvasprintf(char **ret, const char *fmt, va_list ap)
{
	int	 n;

	if ((n = vasprintf(ret, fmt, ap)) == -1)
		xmalloc_fail(strlen(fmt));
	return (n);
}

int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = xvasprintf(ret, fmt, ap);
	va_end(ap);
	return (n);
}

/* Zero a secret string before freeing it. */
void
freezero_str(char *s)
{
	if (s == NULL)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

void
buf_init(struct buf *b, size_t cap)
{
	b->data = NULL;
	b->len = b->size = 0;
	b->cap = cap == 0 ? BUF_DEFAULT_CAP : cap;
}

static int
buf_grow(struct buf *b, size_t need)
{
	size_t	 want;

	if (b->cap == 0)
		b->cap = BUF_DEFAULT_CAP;
	if (need > b->cap - b->len)
		return (-1);
	if (b->len + need + 1 <= b->size)
		return (0);
	want = b->size < 256 ? 256 : b->size;
	while (want < b->len + need + 1)
		want = want > SIZE_MAX / 2 ? SIZE_MAX : want * 2;
	if (want > b->cap + 1)
		want = b->cap + 1;
	b->data = xreallocarray(b->data, 1, want);
	b->size = want;
	return (0);
}

int
buf_add(struct buf *b, const void *p, size_t n)
{
	if (buf_grow(b, n) == -1)
		return (-1);
	if (n != 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return (0);
}

int
buf_addc(struct buf *b, char c)
{
	return (buf_add(b, &c, 1));
}

int
buf_addstr(struct buf *b, const char *s)
{
	return (buf_add(b, s, strlen(s)));
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n, rv;

	va_start(ap, fmt);
	n = xvasprintf(&s, fmt, ap);
	va_end(ap);
	rv = buf_add(b, s, (size_t)n);
	free(s);
	return (rv);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
buf_free(struct buf *b)
{
	size_t	 cap = b->cap;

	free(b->data);
	buf_init(b, cap);
}

void
buf_wipe(struct buf *b)
{
	if (b->data != NULL)
		explicit_bzero(b->data, b->size);
	buf_free(b);
}

char *
buf_steal(struct buf *b, size_t *lenp)
{
	char	*p;

	if (b->data == NULL)
		buf_add(b, "", 0);
	p = b->data;
	if (lenp != NULL)
		*lenp = b->len;
	b->data = NULL;
	b->len = b->size = 0;
	return (p);
}
