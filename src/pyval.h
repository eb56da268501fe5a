/*
 * pyval.h: the Python values that commands return.
 *
 * imapsh prints every result as the Python literal that imaplib would
 * return for the same call, so results are built as a small tree of
 * Python-shaped values: None, bool, int, str, bytes, tuple and list.
 * Bytes may live in memory or, for large literals, in a spool: an unlinked
 * temporary file that the printer reads back in chunks, so a message of any
 * size never sits in memory whole.
 */
#ifndef PYVAL_H
#define PYVAL_H

#include <stddef.h>
#include <stdint.h>

enum pyval_type {
	PV_NONE,
	PV_BOOL,
	PV_INT,
	PV_STR,		/* text, UTF-8; repr'd as a Python str */
	PV_BYTES,	/* repr'd as a Python bytes literal */
	PV_TUPLE,
	PV_LIST
};

/* An unlinked temporary file holding bytes; reference counted. */
struct spool {
	int		 fd;
	uint64_t	 size;
	int		 refs;
	int		 partial;	/* the connection died while filling it */
};

struct pyval {
	enum pyval_type	 type;
	long long	 i;		/* PV_BOOL, PV_INT */
	char		*s;		/* PV_STR, PV_BYTES in memory */
	size_t		 len;
	struct spool	*spool;		/* PV_BYTES in a spool (s is NULL): */
	uint64_t	 spool_off;	/* bytes [spool_off, spool_off + len) */
	struct pyval	**items;	/* PV_TUPLE, PV_LIST */
	size_t		 n;
	size_t		 alloc;
};

struct pyval	*pv_none(void);
struct pyval	*pv_bool(int);
struct pyval	*pv_int(long long);
struct pyval	*pv_str(const char *);
struct pyval	*pv_strn(const char *, size_t);
struct pyval	*pv_bytes(const void *, size_t);
struct pyval	*pv_bytes_take(char *, size_t);	/* takes ownership */
struct pyval	*pv_bytes_spool(struct spool *);	/* takes a reference */
/* Bytes [off, off + len) of a spool; takes a reference. */
struct pyval	*pv_bytes_spool_range(struct spool *, uint64_t off,
		    uint64_t len);
struct pyval	*pv_tuple(void);
struct pyval	*pv_list(void);
/* [item]: a new list holding item (NULL means None). */
struct pyval	*pv_list1(struct pyval *item);
struct pyval	*pv_append(struct pyval *container, struct pyval *item);
struct pyval	*pv_copy(const struct pyval *);	/* deep, spools shared */
void		 pv_free(struct pyval *);
uint64_t	 pv_bytes_len(const struct pyval *);
/*
 * Bytes of memory a value holds: its structs, in-memory str and bytes
 * data, item arrays at their allocated size, each allocation counted with
 * PV_ALLOC_OVERHEAD for the allocator's header.  The data of spooled bytes
 * is on disk and not counted.  An estimate for budgets, not an exact RSS.
 */
#define PV_ALLOC_OVERHEAD	16
size_t		 pv_mem_size(const struct pyval *);
/* 1 if a PV_BYTES value is non-empty, as Python's truth test. */
int		 pv_truthy(const struct pyval *);

/*
 * Spools: spool_new() makes an unlinked file in $TMPDIR (or /tmp); NULL and
 * *cause on failure.  spool_write() appends; spool_read() reads at an
 * offset; both return -1 on error.
 */
struct spool	*spool_new(char **cause);
int		 spool_write(struct spool *, const void *, size_t, char **);
ssize_t		 spool_read(struct spool *, uint64_t off, void *, size_t);
struct spool	*spool_ref(struct spool *);
void		 spool_unref(struct spool *);

#endif
