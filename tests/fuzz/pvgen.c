/*
 * pvgen.c: values for the printer fuzz targets (see pvgen.h).
 */
#include <sys/mman.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvgen.h"
#include "utf8.h"
#include "xmalloc.h"
#include <unistd.h>

#define PVGEN_DEPTH	32
#define PVGEN_ITEMS	4096

struct gen {
	const uint8_t	*in;
	size_t		 len, pos;
	struct spool	*spool;
	size_t		 items;
	int		 fillers;	/* big values so far: one at most */
};

static size_t	 gen_byte(struct gen *);
static struct pyval *gen_spooled(struct gen *, size_t, int, size_t);
static void	 gen_fill(struct gen *, struct pyval *, int);

/* The next input byte, 0 past the end. */
static size_t
gen_byte(struct gen *g)
{
	return (g->pos < g->len ? g->in[g->pos++] : 0);
}

/* filler bytes of fill, then n input bytes, appended to the spool. */
static struct pyval *
gen_spooled(struct gen *g, size_t filler, int fill, size_t n)
{
	char		 buf[4096], *cause = NULL;
	uint64_t	 off;
	size_t		 k;

	if (g->spool == NULL &&
	    (g->spool = spool_new(&cause)) == NULL) {
		fprintf(stderr, "pvgen: %s\n", cause);
		abort();
	}
	off = g->spool->size;
	memset(buf, fill, sizeof buf);
	for (; filler > 0; filler -= k) {
		k = filler < sizeof buf ? filler : sizeof buf;
		pvgen_check(spool_write(g->spool, buf, k, &cause) == 0,
		    "pvgen", "spool write");
	}
	if (n > g->len - g->pos)
		n = g->len - g->pos;
	pvgen_check(spool_write(g->spool, g->in + g->pos, n, &cause) == 0,
	    "pvgen", "spool write");
	g->pos += n;
	return (pv_bytes_spool_range(g->spool, off, g->spool->size - off));
}

static void
gen_fill(struct gen *g, struct pyval *c, int depth)
{
	struct pyval	*v;
	size_t		 op, n, k;
	long long	 i;

	while (g->pos < g->len && g->items++ < PVGEN_ITEMS) {
		op = gen_byte(g) % 10;
		v = NULL;
		switch (op) {
		case 0:
			v = pv_none();
			break;
		case 1:
			v = pv_bool((int)(gen_byte(g) & 1));
			break;
		case 2:
			for (i = 0, k = 0; k < 8; k++)
				i = (long long)((unsigned long long)i << 8 |
				    gen_byte(g));
			v = pv_int(i);
			break;
		case 3:
		case 4:
			n = gen_byte(g);
			if (n > g->len - g->pos)
				n = g->len - g->pos;
			v = op == 3 ? pv_strn((const char *)g->in + g->pos,
			    n) : pv_bytes(g->in + g->pos, n);
			g->pos += n;
			break;
		case 5:
			n = gen_byte(g);
			v = gen_spooled(g, 0, 0, n | gen_byte(g) << 8);
			break;
		case 6:
			/* Up to 255 bytes short of 64 KiB or 128 KiB, so
			 * the input straddles a read-back chunk's edge. */
			if (g->in[g->pos - 1] != 6 || g->fillers++ > 0)
				break;
			k = gen_byte(g);
			n = (k & 1 ? 128 : 64) * 1024 - gen_byte(g);
			v = gen_spooled(g, n, k & 2 ? 'a' : '\xc3', 16);
			break;
		case 7:
		case 8:
			if (depth >= PVGEN_DEPTH)
				break;
			v = op == 7 ? pv_tuple() : pv_list();
			gen_fill(g, v, depth + 1);
			break;
		default:
			if (depth > 0)
				return;
			break;
		}
		if (v != NULL)
			pv_append(c, v);
	}
}

struct pyval *
pvgen(const uint8_t *in, size_t len)
{
	struct gen	 g;
	struct pyval	*v = pv_list();

	memset(&g, 0, sizeof g);
	g.in = in;
	g.len = len;
	gen_fill(&g, v, 0);
	if (g.spool != NULL)
		spool_unref(g.spool);
	return (v);
}

void
pvgen_capture_begin(struct capture *c)
{
	pvgen_check((c->fd = memfd_create("pvgen", 0)) != -1, "pvgen",
	    "memfd");
	c->o = xmalloc(sizeof *c->o);
	out_init(c->o, c->fd);
}

char *
pvgen_capture_end(struct capture *c, size_t *len)
{
	char	*text;
	off_t	 end;

	out_flush(c->o);
	pvgen_check(!c->o->failed, "pvgen", "the output was written");
	end = lseek(c->fd, 0, SEEK_CUR);
	text = xmalloc((size_t)end + 1);
	pvgen_check(pread(c->fd, text, (size_t)end, 0) == end, "pvgen",
	    "read back");
	text[end] = '\0';
	*len = (size_t)end;
	free(c->o);
	close(c->fd);
	return (text);
}

void
pvgen_check(int cond, const char *target, const char *what)
{
	if (!cond) {
		fprintf(stderr, "%s: invariant violated: %s\n", target, what);
		abort();
	}
}

int
pvgen_terminal_safe(const char *s, size_t len, const char *allowed)
{
	size_t		 i, n;
	uint32_t	 cp;
	unsigned char	 c;

	for (i = 0; i < len; i += n) {
		c = (unsigned char)s[i];
		n = 1;
		if (c < 0x20 && (c == '\0' || strchr(allowed, c) == NULL))
			return (0);
		if (c == 0x7f)
			return (0);
		if (c < 0x80)
			continue;
		if ((n = utf8_next(s + i, len - i, &cp)) == 0)
			return (0);
		if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x061c ||
		    (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 &&
		    cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2069) ||
		    cp == 0xfeff)
			return (0);
	}
	return (1);
}
