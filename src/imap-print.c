/*
 * imap-print.c: results as Python literals, and terminal-safe text.
 *
 * print_python() prints a result the way Python's pprint.pformat(v,
 * width=80) lays it out, so that what the user sees is exactly the value
 * imaplib would have returned, and can be pasted back into Python:
 *
 *   - the repr of str and bytes follows CPython byte for byte (quote choice,
 *     escapes, and for str which characters str.isprintable() accepts);
 *   - a value whose repr fits in (80 - indent - allowance) stays on one
 *     line; otherwise a tuple or list puts each item on its own line one
 *     column further in, exactly as pprint's _format_items does;
 *   - where pprint would cut a long bytes (or str) value every few bytes
 *     to fit the width, we cut it after each line end instead (and a line
 *     longer than PIECE_MAX bytes into pieces), so a message prints as its
 *     lines, b'Subject: hi\r\n' under b'From: ...\r\n'.  The pieces are
 *     adjacent literals, which Python concatenates back into the value.
 *
 * Big literals live in spools.  Nothing here ever holds one whole: whether
 * a value fits on a line is computed with an early exit (a spool longer
 * than the width cannot fit), and spooled bytes are read back through a
 * window of RBUF_SIZE bytes (struct rwin) that slides along the spool,
 * keeping the tail of a line cut by its edge.  The window reads ahead past
 * the value it was asked for, so the literals of a FETCH, which follow one
 * another in one spool, cost one pread per RBUF_SIZE bytes, not one per
 * literal.  Memory stays flat for a 50 MB message.
 *
 * Speed: the bytes that need no escape are found eight at a time
 * (swar_special()) and copied as they are scanned; the other bytes are
 * classified by a table.  A split bytes value, the FETCH case, is printed
 * one piece at a time by piece_bytes(), which finds the line end, makes
 * the quote choice and escapes in one pass, writing straight into the
 * staging buffer (struct emit) with room reserved for the worst case, so
 * the loop checks no bounds.  print_python()'s emitter stages in the free end
 * of the struct out's own buffer (out_reserve()), so the output is copied
 * once and written in blocks of that buffer's size.
 *
 * term_escape() is for text that is not a Python literal (error lines, raw
 * protocol output): it keeps readable UTF-8 and escapes only what a
 * terminal could act on.
 */
#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imap-print.h"

#define PIECE_MAX	1000		/* longest piece of a split value */
#define RBUF_SIZE	(128 * 1024)	/* the spool read-back window */
#define ESC_MAX		10		/* longest escape: \U0010ffff */
#define LEAD_MAX	64		/* newline and indent, in a piece */
/* The most piece_bytes() writes: lead, b'', 4 per byte of 1001 bytes. */
#define PIECE_ROOM	(LEAD_MAX + 3 + 4 * (PIECE_MAX + 1))
/* The room an emitter has after a flush, at least. */
#define SINK_ROOM	PIECE_ROOM
#define EMIT_SIZE	8192		/* an emitter's own buffer */
#define ESC_CHUNK	(SINK_ROOM / 4)	/* see esc_bytes() */

#define SWAR_ONES	0x0101010101010101ULL
#define SWAR_HIGHS	0x8080808080808080ULL

/*
 * A staging buffer in front of a struct buf or a struct out: tmp, of size
 * bytes, holds len.  For a buf, tmp is the emitter's own buffer.  When the
 * buf reaches its cap, everything after is dropped, so what it holds is a
 * clean prefix of the repr rather than a repr with holes.  For an out,
 * tmp is the free end of the out's own buffer (direct), so that output is
 * not copied from one buffer to the other; only while the out cannot
 * lend it (a highlight is pending) is the emitter's own buffer used.
 */
struct emit {
	struct buf	*b;
	struct out	*o;
	int		 full;
	int		 direct;	/* tmp is in o's buffer */
	size_t		 len;
	size_t		 size;
	char		*tmp;
	char		*own;		/* EMIT_SIZE */
};

/*
 * A window on a spool: buf[0..len) holds the spool's bytes from off on.
 * It is reused from one value to the next (spool, off and len say what it
 * holds), so reads that run ahead past a value serve the next one.
 */
struct rwin {
	struct spool	*spool;		/* NULL: holds nothing */
	uint64_t	 off;
	size_t		 len;
	char		*buf;		/* RBUF_SIZE, allocated on first use */
};

struct pctx {
	struct emit	 sk;
	struct rwin	 win;
	char		 own[EMIT_SIZE];
};

struct cp_range {
	uint32_t	 lo;
	uint32_t	 hi;
};

/* Byte classes: for repr, only C_PLAIN is copied as is. */
enum {
	C_PLAIN,	/* printable ASCII */
	C_BSL,		/* backslash */
	C_QUOTE,	/* ' or " */
	C_TAB,
	C_LF,
	C_CR,
	C_CTL,		/* other C0 controls, DEL */
	C_HIGH		/* >= 0x80: escaped in bytes, UTF-8 in str */
};

static void	 emit_init(struct emit *, struct buf *, struct out *, char *);
static void	 emit_stage(struct emit *);
static void	 emit_pass(struct emit *, const void *, size_t);
static void	 emit_flush(struct emit *);
static void	 emit_add(struct emit *, const void *, size_t);
static void	 emit_addc(struct emit *, char);
static void	 emit_addstr(struct emit *, const char *);
static void	 emit_spaces(struct emit *, size_t);
static int	 utf8_decode(const unsigned char *, const unsigned char *,
		    uint32_t *);
static int	 cp_printable(uint32_t);
static int	 cp_term_unsafe(uint32_t);
static uint64_t	 swar_special(uint64_t);
static size_t	 swar_first(uint64_t, const unsigned char *);
static const unsigned char *skip_plain(const unsigned char *,
		    const unsigned char *);
static const unsigned char *copy_plain(char **, const unsigned char *,
		    const unsigned char *);
static char	*esc_hex(char *, unsigned int);
static char	*esc_byte(char *, unsigned int, int);
static char	*esc_cp(char *, uint32_t);
static int	 choose_quote(const char *, size_t);
static void	 esc_bytes(struct emit *, const char *, size_t, int);
static void	 esc_str(struct emit *, const char *, size_t, int);
static void	 lit_bytes(struct emit *, const char *, size_t);
static void	 lit_str(struct emit *, const char *, size_t);
static void	 lit_spool(struct emit *, const struct pyval *, struct rwin *);
static void	 repr_value(struct emit *, const struct pyval *, struct rwin *);
static size_t	 len_bytes(const char *, size_t, size_t);
static size_t	 len_str(const char *, size_t, size_t);
static size_t	 len_value(const struct pyval *, size_t);
static const char *rwin_get(struct rwin *, struct spool *, uint64_t, size_t,
		    size_t *);
static const char *split_window(struct pctx *, const struct pyval *,
		    size_t, size_t *);
static size_t	 piece_len(const char *, size_t, int);
static size_t	 piece_bytes(struct emit *, const char *, size_t,
		    const char *, size_t);
static void	 print_value(struct pctx *, const struct pyval *, long, long,
		    int);
static void	 print_items(struct pctx *, const struct pyval *, long, long);
static void	 print_split(struct pctx *, const struct pyval *, long, int);
static void	 split_str(struct pctx *, const struct pyval *, long, int);
static void	 split_bytes(struct pctx *, const struct pyval *, long, int);

static const unsigned char cls[256] = {
	/* 0x00 */
	C_CTL, C_CTL, C_CTL, C_CTL, C_CTL, C_CTL, C_CTL, C_CTL,
	C_CTL, C_TAB, C_LF, C_CTL, C_CTL, C_CR, C_CTL, C_CTL,
	C_CTL, C_CTL, C_CTL, C_CTL, C_CTL, C_CTL, C_CTL, C_CTL,
	C_CTL, C_CTL, C_CTL, C_CTL, C_CTL, C_CTL, C_CTL, C_CTL,
	/* 0x20: ' ' '!' '"' ... '\'' */
	C_PLAIN, C_PLAIN, C_QUOTE, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_QUOTE,
	C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN,
	C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN,
	C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN,
	/* 0x40 */
	C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN,
	C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN,
	C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN,
	C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_BSL, C_PLAIN, C_PLAIN, C_PLAIN,
	/* 0x60 */
	C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN,
	C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN,
	C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN,
	C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_PLAIN, C_CTL,
	/* 0x80 */
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	/* 0xc0 */
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH,
	C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH
};

/* Length of each class in a repr (a quote may need one more). */
static const unsigned char cls_width[] = { 1, 2, 1, 2, 2, 2, 4, 4 };
/* The letter of the escapes \\ \t \n \r. */
static const char cls_letter[] = { 0, '\\', 0, 't', 'n', 'r', 0, 0 };

static const char hexdigits[] = "0123456789abcdef";

/*
 * Code points >= U+0080 that str.isprintable() rejects (categories Cc, Cf,
 * Cs, Co, Cn, Zl, Zp and Zs but the space), which repr() escapes.
 * Generated by tests/unit/gen-nonprint.py.
 */
/* Python 3.11.7, Unicode 14.0.0: 700 ranges. */
static const struct cp_range nonprint[] = {
	{ 0x80, 0xa0 }, { 0xad, 0xad }, { 0x378, 0x379 }, { 0x380, 0x383 },
	{ 0x38b, 0x38b }, { 0x38d, 0x38d }, { 0x3a2, 0x3a2 },
	{ 0x530, 0x530 }, { 0x557, 0x558 }, { 0x58b, 0x58c },
	{ 0x590, 0x590 }, { 0x5c8, 0x5cf }, { 0x5eb, 0x5ee },
	{ 0x5f5, 0x605 }, { 0x61c, 0x61c }, { 0x6dd, 0x6dd },
	{ 0x70e, 0x70f }, { 0x74b, 0x74c }, { 0x7b2, 0x7bf },
	{ 0x7fb, 0x7fc }, { 0x82e, 0x82f }, { 0x83f, 0x83f },
	{ 0x85c, 0x85d }, { 0x85f, 0x85f }, { 0x86b, 0x86f },
	{ 0x88f, 0x897 }, { 0x8e2, 0x8e2 }, { 0x984, 0x984 },
	{ 0x98d, 0x98e }, { 0x991, 0x992 }, { 0x9a9, 0x9a9 },
	{ 0x9b1, 0x9b1 }, { 0x9b3, 0x9b5 }, { 0x9ba, 0x9bb },
	{ 0x9c5, 0x9c6 }, { 0x9c9, 0x9ca }, { 0x9cf, 0x9d6 },
	{ 0x9d8, 0x9db }, { 0x9de, 0x9de }, { 0x9e4, 0x9e5 },
	{ 0x9ff, 0xa00 }, { 0xa04, 0xa04 }, { 0xa0b, 0xa0e },
	{ 0xa11, 0xa12 }, { 0xa29, 0xa29 }, { 0xa31, 0xa31 },
	{ 0xa34, 0xa34 }, { 0xa37, 0xa37 }, { 0xa3a, 0xa3b },
	{ 0xa3d, 0xa3d }, { 0xa43, 0xa46 }, { 0xa49, 0xa4a },
	{ 0xa4e, 0xa50 }, { 0xa52, 0xa58 }, { 0xa5d, 0xa5d },
	{ 0xa5f, 0xa65 }, { 0xa77, 0xa80 }, { 0xa84, 0xa84 },
	{ 0xa8e, 0xa8e }, { 0xa92, 0xa92 }, { 0xaa9, 0xaa9 },
	{ 0xab1, 0xab1 }, { 0xab4, 0xab4 }, { 0xaba, 0xabb },
	{ 0xac6, 0xac6 }, { 0xaca, 0xaca }, { 0xace, 0xacf },
	{ 0xad1, 0xadf }, { 0xae4, 0xae5 }, { 0xaf2, 0xaf8 },
	{ 0xb00, 0xb00 }, { 0xb04, 0xb04 }, { 0xb0d, 0xb0e },
	{ 0xb11, 0xb12 }, { 0xb29, 0xb29 }, { 0xb31, 0xb31 },
	{ 0xb34, 0xb34 }, { 0xb3a, 0xb3b }, { 0xb45, 0xb46 },
	{ 0xb49, 0xb4a }, { 0xb4e, 0xb54 }, { 0xb58, 0xb5b },
	{ 0xb5e, 0xb5e }, { 0xb64, 0xb65 }, { 0xb78, 0xb81 },
	{ 0xb84, 0xb84 }, { 0xb8b, 0xb8d }, { 0xb91, 0xb91 },
	{ 0xb96, 0xb98 }, { 0xb9b, 0xb9b }, { 0xb9d, 0xb9d },
	{ 0xba0, 0xba2 }, { 0xba5, 0xba7 }, { 0xbab, 0xbad },
	{ 0xbba, 0xbbd }, { 0xbc3, 0xbc5 }, { 0xbc9, 0xbc9 },
	{ 0xbce, 0xbcf }, { 0xbd1, 0xbd6 }, { 0xbd8, 0xbe5 },
	{ 0xbfb, 0xbff }, { 0xc0d, 0xc0d }, { 0xc11, 0xc11 },
	{ 0xc29, 0xc29 }, { 0xc3a, 0xc3b }, { 0xc45, 0xc45 },
	{ 0xc49, 0xc49 }, { 0xc4e, 0xc54 }, { 0xc57, 0xc57 },
	{ 0xc5b, 0xc5c }, { 0xc5e, 0xc5f }, { 0xc64, 0xc65 },
	{ 0xc70, 0xc76 }, { 0xc8d, 0xc8d }, { 0xc91, 0xc91 },
	{ 0xca9, 0xca9 }, { 0xcb4, 0xcb4 }, { 0xcba, 0xcbb },
	{ 0xcc5, 0xcc5 }, { 0xcc9, 0xcc9 }, { 0xcce, 0xcd4 },
	{ 0xcd7, 0xcdc }, { 0xcdf, 0xcdf }, { 0xce4, 0xce5 },
	{ 0xcf0, 0xcf0 }, { 0xcf3, 0xcff }, { 0xd0d, 0xd0d },
	{ 0xd11, 0xd11 }, { 0xd45, 0xd45 }, { 0xd49, 0xd49 },
	{ 0xd50, 0xd53 }, { 0xd64, 0xd65 }, { 0xd80, 0xd80 },
	{ 0xd84, 0xd84 }, { 0xd97, 0xd99 }, { 0xdb2, 0xdb2 },
	{ 0xdbc, 0xdbc }, { 0xdbe, 0xdbf }, { 0xdc7, 0xdc9 },
	{ 0xdcb, 0xdce }, { 0xdd5, 0xdd5 }, { 0xdd7, 0xdd7 },
	{ 0xde0, 0xde5 }, { 0xdf0, 0xdf1 }, { 0xdf5, 0xe00 },
	{ 0xe3b, 0xe3e }, { 0xe5c, 0xe80 }, { 0xe83, 0xe83 },
	{ 0xe85, 0xe85 }, { 0xe8b, 0xe8b }, { 0xea4, 0xea4 },
	{ 0xea6, 0xea6 }, { 0xebe, 0xebf }, { 0xec5, 0xec5 },
	{ 0xec7, 0xec7 }, { 0xece, 0xecf }, { 0xeda, 0xedb },
	{ 0xee0, 0xeff }, { 0xf48, 0xf48 }, { 0xf6d, 0xf70 },
	{ 0xf98, 0xf98 }, { 0xfbd, 0xfbd }, { 0xfcd, 0xfcd },
	{ 0xfdb, 0xfff }, { 0x10c6, 0x10c6 }, { 0x10c8, 0x10cc },
	{ 0x10ce, 0x10cf }, { 0x1249, 0x1249 }, { 0x124e, 0x124f },
	{ 0x1257, 0x1257 }, { 0x1259, 0x1259 }, { 0x125e, 0x125f },
	{ 0x1289, 0x1289 }, { 0x128e, 0x128f }, { 0x12b1, 0x12b1 },
	{ 0x12b6, 0x12b7 }, { 0x12bf, 0x12bf }, { 0x12c1, 0x12c1 },
	{ 0x12c6, 0x12c7 }, { 0x12d7, 0x12d7 }, { 0x1311, 0x1311 },
	{ 0x1316, 0x1317 }, { 0x135b, 0x135c }, { 0x137d, 0x137f },
	{ 0x139a, 0x139f }, { 0x13f6, 0x13f7 }, { 0x13fe, 0x13ff },
	{ 0x1680, 0x1680 }, { 0x169d, 0x169f }, { 0x16f9, 0x16ff },
	{ 0x1716, 0x171e }, { 0x1737, 0x173f }, { 0x1754, 0x175f },
	{ 0x176d, 0x176d }, { 0x1771, 0x1771 }, { 0x1774, 0x177f },
	{ 0x17de, 0x17df }, { 0x17ea, 0x17ef }, { 0x17fa, 0x17ff },
	{ 0x180e, 0x180e }, { 0x181a, 0x181f }, { 0x1879, 0x187f },
	{ 0x18ab, 0x18af }, { 0x18f6, 0x18ff }, { 0x191f, 0x191f },
	{ 0x192c, 0x192f }, { 0x193c, 0x193f }, { 0x1941, 0x1943 },
	{ 0x196e, 0x196f }, { 0x1975, 0x197f }, { 0x19ac, 0x19af },
	{ 0x19ca, 0x19cf }, { 0x19db, 0x19dd }, { 0x1a1c, 0x1a1d },
	{ 0x1a5f, 0x1a5f }, { 0x1a7d, 0x1a7e }, { 0x1a8a, 0x1a8f },
	{ 0x1a9a, 0x1a9f }, { 0x1aae, 0x1aaf }, { 0x1acf, 0x1aff },
	{ 0x1b4d, 0x1b4f }, { 0x1b7f, 0x1b7f }, { 0x1bf4, 0x1bfb },
	{ 0x1c38, 0x1c3a }, { 0x1c4a, 0x1c4c }, { 0x1c89, 0x1c8f },
	{ 0x1cbb, 0x1cbc }, { 0x1cc8, 0x1ccf }, { 0x1cfb, 0x1cff },
	{ 0x1f16, 0x1f17 }, { 0x1f1e, 0x1f1f }, { 0x1f46, 0x1f47 },
	{ 0x1f4e, 0x1f4f }, { 0x1f58, 0x1f58 }, { 0x1f5a, 0x1f5a },
	{ 0x1f5c, 0x1f5c }, { 0x1f5e, 0x1f5e }, { 0x1f7e, 0x1f7f },
	{ 0x1fb5, 0x1fb5 }, { 0x1fc5, 0x1fc5 }, { 0x1fd4, 0x1fd5 },
	{ 0x1fdc, 0x1fdc }, { 0x1ff0, 0x1ff1 }, { 0x1ff5, 0x1ff5 },
	{ 0x1fff, 0x200f }, { 0x2028, 0x202f }, { 0x205f, 0x206f },
	{ 0x2072, 0x2073 }, { 0x208f, 0x208f }, { 0x209d, 0x209f },
	{ 0x20c1, 0x20cf }, { 0x20f1, 0x20ff }, { 0x218c, 0x218f },
	{ 0x2427, 0x243f }, { 0x244b, 0x245f }, { 0x2b74, 0x2b75 },
	{ 0x2b96, 0x2b96 }, { 0x2cf4, 0x2cf8 }, { 0x2d26, 0x2d26 },
	{ 0x2d28, 0x2d2c }, { 0x2d2e, 0x2d2f }, { 0x2d68, 0x2d6e },
	{ 0x2d71, 0x2d7e }, { 0x2d97, 0x2d9f }, { 0x2da7, 0x2da7 },
	{ 0x2daf, 0x2daf }, { 0x2db7, 0x2db7 }, { 0x2dbf, 0x2dbf },
	{ 0x2dc7, 0x2dc7 }, { 0x2dcf, 0x2dcf }, { 0x2dd7, 0x2dd7 },
	{ 0x2ddf, 0x2ddf }, { 0x2e5e, 0x2e7f }, { 0x2e9a, 0x2e9a },
	{ 0x2ef4, 0x2eff }, { 0x2fd6, 0x2fef }, { 0x2ffc, 0x3000 },
	{ 0x3040, 0x3040 }, { 0x3097, 0x3098 }, { 0x3100, 0x3104 },
	{ 0x3130, 0x3130 }, { 0x318f, 0x318f }, { 0x31e4, 0x31ef },
	{ 0x321f, 0x321f }, { 0xa48d, 0xa48f }, { 0xa4c7, 0xa4cf },
	{ 0xa62c, 0xa63f }, { 0xa6f8, 0xa6ff }, { 0xa7cb, 0xa7cf },
	{ 0xa7d2, 0xa7d2 }, { 0xa7d4, 0xa7d4 }, { 0xa7da, 0xa7f1 },
	{ 0xa82d, 0xa82f }, { 0xa83a, 0xa83f }, { 0xa878, 0xa87f },
	{ 0xa8c6, 0xa8cd }, { 0xa8da, 0xa8df }, { 0xa954, 0xa95e },
	{ 0xa97d, 0xa97f }, { 0xa9ce, 0xa9ce }, { 0xa9da, 0xa9dd },
	{ 0xa9ff, 0xa9ff }, { 0xaa37, 0xaa3f }, { 0xaa4e, 0xaa4f },
	{ 0xaa5a, 0xaa5b }, { 0xaac3, 0xaada }, { 0xaaf7, 0xab00 },
	{ 0xab07, 0xab08 }, { 0xab0f, 0xab10 }, { 0xab17, 0xab1f },
	{ 0xab27, 0xab27 }, { 0xab2f, 0xab2f }, { 0xab6c, 0xab6f },
	{ 0xabee, 0xabef }, { 0xabfa, 0xabff }, { 0xd7a4, 0xd7af },
	{ 0xd7c7, 0xd7ca }, { 0xd7fc, 0xf8ff }, { 0xfa6e, 0xfa6f },
	{ 0xfada, 0xfaff }, { 0xfb07, 0xfb12 }, { 0xfb18, 0xfb1c },
	{ 0xfb37, 0xfb37 }, { 0xfb3d, 0xfb3d }, { 0xfb3f, 0xfb3f },
	{ 0xfb42, 0xfb42 }, { 0xfb45, 0xfb45 }, { 0xfbc3, 0xfbd2 },
	{ 0xfd90, 0xfd91 }, { 0xfdc8, 0xfdce }, { 0xfdd0, 0xfdef },
	{ 0xfe1a, 0xfe1f }, { 0xfe53, 0xfe53 }, { 0xfe67, 0xfe67 },
	{ 0xfe6c, 0xfe6f }, { 0xfe75, 0xfe75 }, { 0xfefd, 0xff00 },
	{ 0xffbf, 0xffc1 }, { 0xffc8, 0xffc9 }, { 0xffd0, 0xffd1 },
	{ 0xffd8, 0xffd9 }, { 0xffdd, 0xffdf }, { 0xffe7, 0xffe7 },
	{ 0xffef, 0xfffb }, { 0xfffe, 0xffff }, { 0x1000c, 0x1000c },
	{ 0x10027, 0x10027 }, { 0x1003b, 0x1003b }, { 0x1003e, 0x1003e },
	{ 0x1004e, 0x1004f }, { 0x1005e, 0x1007f }, { 0x100fb, 0x100ff },
	{ 0x10103, 0x10106 }, { 0x10134, 0x10136 }, { 0x1018f, 0x1018f },
	{ 0x1019d, 0x1019f }, { 0x101a1, 0x101cf }, { 0x101fe, 0x1027f },
	{ 0x1029d, 0x1029f }, { 0x102d1, 0x102df }, { 0x102fc, 0x102ff },
	{ 0x10324, 0x1032c }, { 0x1034b, 0x1034f }, { 0x1037b, 0x1037f },
	{ 0x1039e, 0x1039e }, { 0x103c4, 0x103c7 }, { 0x103d6, 0x103ff },
	{ 0x1049e, 0x1049f }, { 0x104aa, 0x104af }, { 0x104d4, 0x104d7 },
	{ 0x104fc, 0x104ff }, { 0x10528, 0x1052f }, { 0x10564, 0x1056e },
	{ 0x1057b, 0x1057b }, { 0x1058b, 0x1058b }, { 0x10593, 0x10593 },
	{ 0x10596, 0x10596 }, { 0x105a2, 0x105a2 }, { 0x105b2, 0x105b2 },
	{ 0x105ba, 0x105ba }, { 0x105bd, 0x105ff }, { 0x10737, 0x1073f },
	{ 0x10756, 0x1075f }, { 0x10768, 0x1077f }, { 0x10786, 0x10786 },
	{ 0x107b1, 0x107b1 }, { 0x107bb, 0x107ff }, { 0x10806, 0x10807 },
	{ 0x10809, 0x10809 }, { 0x10836, 0x10836 }, { 0x10839, 0x1083b },
	{ 0x1083d, 0x1083e }, { 0x10856, 0x10856 }, { 0x1089f, 0x108a6 },
	{ 0x108b0, 0x108df }, { 0x108f3, 0x108f3 }, { 0x108f6, 0x108fa },
	{ 0x1091c, 0x1091e }, { 0x1093a, 0x1093e }, { 0x10940, 0x1097f },
	{ 0x109b8, 0x109bb }, { 0x109d0, 0x109d1 }, { 0x10a04, 0x10a04 },
	{ 0x10a07, 0x10a0b }, { 0x10a14, 0x10a14 }, { 0x10a18, 0x10a18 },
	{ 0x10a36, 0x10a37 }, { 0x10a3b, 0x10a3e }, { 0x10a49, 0x10a4f },
	{ 0x10a59, 0x10a5f }, { 0x10aa0, 0x10abf }, { 0x10ae7, 0x10aea },
	{ 0x10af7, 0x10aff }, { 0x10b36, 0x10b38 }, { 0x10b56, 0x10b57 },
	{ 0x10b73, 0x10b77 }, { 0x10b92, 0x10b98 }, { 0x10b9d, 0x10ba8 },
	{ 0x10bb0, 0x10bff }, { 0x10c49, 0x10c7f }, { 0x10cb3, 0x10cbf },
	{ 0x10cf3, 0x10cf9 }, { 0x10d28, 0x10d2f }, { 0x10d3a, 0x10e5f },
	{ 0x10e7f, 0x10e7f }, { 0x10eaa, 0x10eaa }, { 0x10eae, 0x10eaf },
	{ 0x10eb2, 0x10eff }, { 0x10f28, 0x10f2f }, { 0x10f5a, 0x10f6f },
	{ 0x10f8a, 0x10faf }, { 0x10fcc, 0x10fdf }, { 0x10ff7, 0x10fff },
	{ 0x1104e, 0x11051 }, { 0x11076, 0x1107e }, { 0x110bd, 0x110bd },
	{ 0x110c3, 0x110cf }, { 0x110e9, 0x110ef }, { 0x110fa, 0x110ff },
	{ 0x11135, 0x11135 }, { 0x11148, 0x1114f }, { 0x11177, 0x1117f },
	{ 0x111e0, 0x111e0 }, { 0x111f5, 0x111ff }, { 0x11212, 0x11212 },
	{ 0x1123f, 0x1127f }, { 0x11287, 0x11287 }, { 0x11289, 0x11289 },
	{ 0x1128e, 0x1128e }, { 0x1129e, 0x1129e }, { 0x112aa, 0x112af },
	{ 0x112eb, 0x112ef }, { 0x112fa, 0x112ff }, { 0x11304, 0x11304 },
	{ 0x1130d, 0x1130e }, { 0x11311, 0x11312 }, { 0x11329, 0x11329 },
	{ 0x11331, 0x11331 }, { 0x11334, 0x11334 }, { 0x1133a, 0x1133a },
	{ 0x11345, 0x11346 }, { 0x11349, 0x1134a }, { 0x1134e, 0x1134f },
	{ 0x11351, 0x11356 }, { 0x11358, 0x1135c }, { 0x11364, 0x11365 },
	{ 0x1136d, 0x1136f }, { 0x11375, 0x113ff }, { 0x1145c, 0x1145c },
	{ 0x11462, 0x1147f }, { 0x114c8, 0x114cf }, { 0x114da, 0x1157f },
	{ 0x115b6, 0x115b7 }, { 0x115de, 0x115ff }, { 0x11645, 0x1164f },
	{ 0x1165a, 0x1165f }, { 0x1166d, 0x1167f }, { 0x116ba, 0x116bf },
	{ 0x116ca, 0x116ff }, { 0x1171b, 0x1171c }, { 0x1172c, 0x1172f },
	{ 0x11747, 0x117ff }, { 0x1183c, 0x1189f }, { 0x118f3, 0x118fe },
	{ 0x11907, 0x11908 }, { 0x1190a, 0x1190b }, { 0x11914, 0x11914 },
	{ 0x11917, 0x11917 }, { 0x11936, 0x11936 }, { 0x11939, 0x1193a },
	{ 0x11947, 0x1194f }, { 0x1195a, 0x1199f }, { 0x119a8, 0x119a9 },
	{ 0x119d8, 0x119d9 }, { 0x119e5, 0x119ff }, { 0x11a48, 0x11a4f },
	{ 0x11aa3, 0x11aaf }, { 0x11af9, 0x11bff }, { 0x11c09, 0x11c09 },
	{ 0x11c37, 0x11c37 }, { 0x11c46, 0x11c4f }, { 0x11c6d, 0x11c6f },
	{ 0x11c90, 0x11c91 }, { 0x11ca8, 0x11ca8 }, { 0x11cb7, 0x11cff },
	{ 0x11d07, 0x11d07 }, { 0x11d0a, 0x11d0a }, { 0x11d37, 0x11d39 },
	{ 0x11d3b, 0x11d3b }, { 0x11d3e, 0x11d3e }, { 0x11d48, 0x11d4f },
	{ 0x11d5a, 0x11d5f }, { 0x11d66, 0x11d66 }, { 0x11d69, 0x11d69 },
	{ 0x11d8f, 0x11d8f }, { 0x11d92, 0x11d92 }, { 0x11d99, 0x11d9f },
	{ 0x11daa, 0x11edf }, { 0x11ef9, 0x11faf }, { 0x11fb1, 0x11fbf },
	{ 0x11ff2, 0x11ffe }, { 0x1239a, 0x123ff }, { 0x1246f, 0x1246f },
	{ 0x12475, 0x1247f }, { 0x12544, 0x12f8f }, { 0x12ff3, 0x12fff },
	{ 0x1342f, 0x143ff }, { 0x14647, 0x167ff }, { 0x16a39, 0x16a3f },
	{ 0x16a5f, 0x16a5f }, { 0x16a6a, 0x16a6d }, { 0x16abf, 0x16abf },
	{ 0x16aca, 0x16acf }, { 0x16aee, 0x16aef }, { 0x16af6, 0x16aff },
	{ 0x16b46, 0x16b4f }, { 0x16b5a, 0x16b5a }, { 0x16b62, 0x16b62 },
	{ 0x16b78, 0x16b7c }, { 0x16b90, 0x16e3f }, { 0x16e9b, 0x16eff },
	{ 0x16f4b, 0x16f4e }, { 0x16f88, 0x16f8e }, { 0x16fa0, 0x16fdf },
	{ 0x16fe5, 0x16fef }, { 0x16ff2, 0x16fff }, { 0x187f8, 0x187ff },
	{ 0x18cd6, 0x18cff }, { 0x18d09, 0x1afef }, { 0x1aff4, 0x1aff4 },
	{ 0x1affc, 0x1affc }, { 0x1afff, 0x1afff }, { 0x1b123, 0x1b14f },
	{ 0x1b153, 0x1b163 }, { 0x1b168, 0x1b16f }, { 0x1b2fc, 0x1bbff },
	{ 0x1bc6b, 0x1bc6f }, { 0x1bc7d, 0x1bc7f }, { 0x1bc89, 0x1bc8f },
	{ 0x1bc9a, 0x1bc9b }, { 0x1bca0, 0x1ceff }, { 0x1cf2e, 0x1cf2f },
	{ 0x1cf47, 0x1cf4f }, { 0x1cfc4, 0x1cfff }, { 0x1d0f6, 0x1d0ff },
	{ 0x1d127, 0x1d128 }, { 0x1d173, 0x1d17a }, { 0x1d1eb, 0x1d1ff },
	{ 0x1d246, 0x1d2df }, { 0x1d2f4, 0x1d2ff }, { 0x1d357, 0x1d35f },
	{ 0x1d379, 0x1d3ff }, { 0x1d455, 0x1d455 }, { 0x1d49d, 0x1d49d },
	{ 0x1d4a0, 0x1d4a1 }, { 0x1d4a3, 0x1d4a4 }, { 0x1d4a7, 0x1d4a8 },
	{ 0x1d4ad, 0x1d4ad }, { 0x1d4ba, 0x1d4ba }, { 0x1d4bc, 0x1d4bc },
	{ 0x1d4c4, 0x1d4c4 }, { 0x1d506, 0x1d506 }, { 0x1d50b, 0x1d50c },
	{ 0x1d515, 0x1d515 }, { 0x1d51d, 0x1d51d }, { 0x1d53a, 0x1d53a },
	{ 0x1d53f, 0x1d53f }, { 0x1d545, 0x1d545 }, { 0x1d547, 0x1d549 },
	{ 0x1d551, 0x1d551 }, { 0x1d6a6, 0x1d6a7 }, { 0x1d7cc, 0x1d7cd },
	{ 0x1da8c, 0x1da9a }, { 0x1daa0, 0x1daa0 }, { 0x1dab0, 0x1deff },
	{ 0x1df1f, 0x1dfff }, { 0x1e007, 0x1e007 }, { 0x1e019, 0x1e01a },
	{ 0x1e022, 0x1e022 }, { 0x1e025, 0x1e025 }, { 0x1e02b, 0x1e0ff },
	{ 0x1e12d, 0x1e12f }, { 0x1e13e, 0x1e13f }, { 0x1e14a, 0x1e14d },
	{ 0x1e150, 0x1e28f }, { 0x1e2af, 0x1e2bf }, { 0x1e2fa, 0x1e2fe },
	{ 0x1e300, 0x1e7df }, { 0x1e7e7, 0x1e7e7 }, { 0x1e7ec, 0x1e7ec },
	{ 0x1e7ef, 0x1e7ef }, { 0x1e7ff, 0x1e7ff }, { 0x1e8c5, 0x1e8c6 },
	{ 0x1e8d7, 0x1e8ff }, { 0x1e94c, 0x1e94f }, { 0x1e95a, 0x1e95d },
	{ 0x1e960, 0x1ec70 }, { 0x1ecb5, 0x1ed00 }, { 0x1ed3e, 0x1edff },
	{ 0x1ee04, 0x1ee04 }, { 0x1ee20, 0x1ee20 }, { 0x1ee23, 0x1ee23 },
	{ 0x1ee25, 0x1ee26 }, { 0x1ee28, 0x1ee28 }, { 0x1ee33, 0x1ee33 },
	{ 0x1ee38, 0x1ee38 }, { 0x1ee3a, 0x1ee3a }, { 0x1ee3c, 0x1ee41 },
	{ 0x1ee43, 0x1ee46 }, { 0x1ee48, 0x1ee48 }, { 0x1ee4a, 0x1ee4a },
	{ 0x1ee4c, 0x1ee4c }, { 0x1ee50, 0x1ee50 }, { 0x1ee53, 0x1ee53 },
	{ 0x1ee55, 0x1ee56 }, { 0x1ee58, 0x1ee58 }, { 0x1ee5a, 0x1ee5a },
	{ 0x1ee5c, 0x1ee5c }, { 0x1ee5e, 0x1ee5e }, { 0x1ee60, 0x1ee60 },
	{ 0x1ee63, 0x1ee63 }, { 0x1ee65, 0x1ee66 }, { 0x1ee6b, 0x1ee6b },
	{ 0x1ee73, 0x1ee73 }, { 0x1ee78, 0x1ee78 }, { 0x1ee7d, 0x1ee7d },
	{ 0x1ee7f, 0x1ee7f }, { 0x1ee8a, 0x1ee8a }, { 0x1ee9c, 0x1eea0 },
	{ 0x1eea4, 0x1eea4 }, { 0x1eeaa, 0x1eeaa }, { 0x1eebc, 0x1eeef },
	{ 0x1eef2, 0x1efff }, { 0x1f02c, 0x1f02f }, { 0x1f094, 0x1f09f },
	{ 0x1f0af, 0x1f0b0 }, { 0x1f0c0, 0x1f0c0 }, { 0x1f0d0, 0x1f0d0 },
	{ 0x1f0f6, 0x1f0ff }, { 0x1f1ae, 0x1f1e5 }, { 0x1f203, 0x1f20f },
	{ 0x1f23c, 0x1f23f }, { 0x1f249, 0x1f24f }, { 0x1f252, 0x1f25f },
	{ 0x1f266, 0x1f2ff }, { 0x1f6d8, 0x1f6dc }, { 0x1f6ed, 0x1f6ef },
	{ 0x1f6fd, 0x1f6ff }, { 0x1f774, 0x1f77f }, { 0x1f7d9, 0x1f7df },
	{ 0x1f7ec, 0x1f7ef }, { 0x1f7f1, 0x1f7ff }, { 0x1f80c, 0x1f80f },
	{ 0x1f848, 0x1f84f }, { 0x1f85a, 0x1f85f }, { 0x1f888, 0x1f88f },
	{ 0x1f8ae, 0x1f8af }, { 0x1f8b2, 0x1f8ff }, { 0x1fa54, 0x1fa5f },
	{ 0x1fa6e, 0x1fa6f }, { 0x1fa75, 0x1fa77 }, { 0x1fa7d, 0x1fa7f },
	{ 0x1fa87, 0x1fa8f }, { 0x1faad, 0x1faaf }, { 0x1fabb, 0x1fabf },
	{ 0x1fac6, 0x1facf }, { 0x1fada, 0x1fadf }, { 0x1fae8, 0x1faef },
	{ 0x1faf7, 0x1faff }, { 0x1fb93, 0x1fb93 }, { 0x1fbcb, 0x1fbef },
	{ 0x1fbfa, 0x1ffff }, { 0x2a6e0, 0x2a6ff }, { 0x2b739, 0x2b73f },
	{ 0x2b81e, 0x2b81f }, { 0x2cea2, 0x2ceaf }, { 0x2ebe1, 0x2f7ff },
	{ 0x2fa1e, 0x2ffff }, { 0x3134b, 0xe00ff }, { 0xe01f0, 0x10ffff },
};

/* own is EMIT_SIZE bytes. */
static void
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
 * buffer if it lends it, with at least SINK_ROOM bytes, else in its own.
 */
static void
emit_stage(struct emit *sk)
{
	char	*p;
	size_t	 room;

	if ((p = out_reserve(sk->o, SINK_ROOM, &room)) != NULL) {
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

/* Hand what is staged on; then there are at least SINK_ROOM bytes free. */
static void
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

static void
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

static void
emit_addc(struct emit *sk, char c)
{
	if (sk->len == sk->size)
		emit_flush(sk);
	sk->tmp[sk->len++] = c;
}

static void
emit_addstr(struct emit *sk, const char *s)
{
	emit_add(sk, s, strlen(s));
}

static void
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

/*
 * Decode the UTF-8 sequence at p (*p >= 0x80).  Returns its length and sets
 * *cp, or 0 if it is not valid UTF-8 (overlong, surrogate, past U+10FFFF,
 * stray continuation byte, truncated).
 */
static int
utf8_decode(const unsigned char *p, const unsigned char *end, uint32_t *cp)
{
	size_t		 avail = (size_t)(end - p);
	unsigned int	 c = p[0];

	if (c >= 0xc2 && c <= 0xdf) {
		if (avail < 2 || (p[1] & 0xc0) != 0x80)
			return (0);
		*cp = ((c & 0x1f) << 6) | (p[1] & 0x3f);
		return (2);
	}
	if (c >= 0xe0 && c <= 0xef) {
		if (avail < 3 || (p[1] & 0xc0) != 0x80 ||
		    (p[2] & 0xc0) != 0x80)
			return (0);
		if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f))
			return (0);
		*cp = ((c & 0x0f) << 12) | ((p[1] & 0x3f) << 6) |
		    (p[2] & 0x3f);
		return (3);
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (avail < 4 || (p[1] & 0xc0) != 0x80 ||
		    (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
			return (0);
		if ((c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f))
			return (0);
		*cp = ((uint32_t)(c & 0x07) << 18) | ((p[1] & 0x3f) << 12) |
		    ((p[2] & 0x3f) << 6) | (p[3] & 0x3f);
		return (4);
	}
	return (0);
}

/* 1 if CPython's repr() shows code point cp (>= U+0080) as it is. */
static int
cp_printable(uint32_t cp)
{
	size_t	 lo = 0, hi = sizeof nonprint / sizeof nonprint[0], mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cp < nonprint[mid].lo)
			hi = mid;
		else if (cp > nonprint[mid].hi)
			lo = mid + 1;
		else
			return (0);
	}
	return (1);
}

/*
 * 1 if a terminal could act on cp (>= U+0080): C1 controls, and the
 * invisible format characters that reorder or hide text (bidi embeddings,
 * overrides, isolates and marks, including U+061C ARABIC LETTER MARK;
 * zero-width characters; line and paragraph separators; BOM).
 */
static int
cp_term_unsafe(uint32_t cp)
{
	return ((cp >= 0x80 && cp <= 0x9f) || cp == 0x61c ||
	    (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x2028 && cp <= 0x202e) ||
	    (cp >= 0x2060 && cp <= 0x2064) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff);
}

/*
 * Whether the 8 bytes of w hold one that a repr does not copy as it is
 * (C0 controls, DEL, bytes >= 0x80, ' " and \), as a mask of high bits.
 * Byte by byte, one of the sums sets the high bit of a special byte b:
 * b - 0x20 for b < 0x20 and 0xff, b + 1 for 0x7f..0xfe, (b ^ c) - 1 for
 * b == c; for a plain byte (0x20..0x7e but the three) each stays below
 * 0x80.  A borrow or carry crosses into the next byte up (in significance)
 * only from a special byte, so the mask is 0 if and only if the 8 bytes
 * are plain, and its least significant set byte is the first special one
 * (the bytes above it may be set falsely).
 */
static inline uint64_t
swar_special(uint64_t w)
{
	return (((w - SWAR_ONES * 0x20) |		/* < 0x20, 0xff */
	    (w + SWAR_ONES) |				/* 0x7f..0xfe */
	    ((w ^ SWAR_ONES * '\'') - SWAR_ONES) |
	    ((w ^ SWAR_ONES * '"') - SWAR_ONES) |
	    ((w ^ SWAR_ONES * '\\') - SWAR_ONES)) & SWAR_HIGHS);
}

/*
 * The index of the first special byte of the 8 at p, given their nonzero
 * swar_special() mask m.  On a little-endian machine that is the lowest
 * set byte of m; elsewhere (where a borrow may have set a byte before the
 * first special one) the table says.
 */
static inline size_t
swar_first(uint64_t m, const unsigned char *p)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	(void)p;
	return ((size_t)__builtin_ctzll(m) >> 3);
#else
	size_t	 i;

	(void)m;
	for (i = 0; cls[p[i]] == C_PLAIN; i++)
		;
	return (i);
#endif
}

/* The first byte of [p, end) a repr escapes, or end. */
static inline const unsigned char *
skip_plain(const unsigned char *p, const unsigned char *end)
{
	uint64_t	 w, m;

	while ((size_t)(end - p) >= 8) {
		memcpy(&w, p, 8);
		if ((m = swar_special(w)) != 0)
			return (p + swar_first(m, p));
		p += 8;
	}
	while (p < end && cls[*p] == C_PLAIN)
		p++;
	return (p);
}

/*
 * As skip_plain(), copying the bytes skipped to *dp and advancing it.  Up
 * to 7 bytes past the copy may be written too: *dp must have room for
 * end - p bytes.
 */
static inline const unsigned char *
copy_plain(char **dp, const unsigned char *p, const unsigned char *end)
{
	char		*d = *dp;
	uint64_t	 w, m;
	size_t		 k, words;

	for (words = (size_t)(end - p) / 8; words > 0; words--) {
		memcpy(&w, p, 8);
		memcpy(d, &w, 8);
		if ((m = swar_special(w)) != 0) {
			k = swar_first(m, p);
			*dp = d + k;
			return (p + k);
		}
		p += 8;
		d += 8;
	}
	while (p < end && cls[*p] == C_PLAIN)
		*d++ = (char)*p++;
	*dp = d;
	return (p);
}

/* Write \xhh at d; returns the end. */
static char *
esc_hex(char *d, unsigned int c)
{
	d[0] = '\\';
	d[1] = 'x';
	d[2] = hexdigits[(c >> 4) & 0xf];
	d[3] = hexdigits[c & 0xf];
	return (d + 4);
}

/* Write byte c (not C_PLAIN) as a bytes literal quoted with q shows it. */
static inline char *
esc_byte(char *d, unsigned int c, int q)
{
	unsigned int	 k;

	switch ((k = cls[c])) {
	case C_QUOTE:
		if ((int)c == q)
			*d++ = '\\';
		*d++ = (char)c;
		break;
	case C_BSL:
	case C_TAB:
	case C_LF:
	case C_CR:
		*d++ = '\\';
		*d++ = cls_letter[k];
		break;
	default:
		d = esc_hex(d, c);
		break;
	}
	return (d);
}

/* Write cp as CPython escapes it: \xhh, \uhhhh or \Uhhhhhhhh. */
static char *
esc_cp(char *d, uint32_t cp)
{
	int	 n, i;

	if (cp <= 0xff)
		return (esc_hex(d, cp));
	*d++ = '\\';
	if (cp <= 0xffff) {
		*d++ = 'u';
		n = 4;
	} else {
		*d++ = 'U';
		n = 8;
	}
	for (i = n - 1; i >= 0; i--)
		*d++ = hexdigits[(cp >> (4 * i)) & 0xf];
	return (d);
}

/* CPython's choice: ' unless the value holds ' and no ". */
static int
choose_quote(const char *s, size_t len)
{
	if (memchr(s, '\'', len) != NULL && memchr(s, '"', len) == NULL)
		return ('"');
	return ('\'');
}

/*
 * The inside of a bytes literal quoted with q, ESC_CHUNK bytes at a time:
 * the emitter is flushed unless it has room for all of a chunk escaped, and
 * the chunk is then written into it without further checks.
 */
static void
esc_bytes(struct emit *sk, const char *s, size_t len, int q)
{
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*end = p + len, *stop;
	char			*d;
	size_t			 n;

	while (p < end) {
		n = (size_t)(end - p) < ESC_CHUNK ? (size_t)(end - p) :
		    ESC_CHUNK;
		if (sk->size - sk->len < 4 * n)
			emit_flush(sk);
		d = sk->tmp + sk->len;
		stop = p + n;
		while ((p = copy_plain(&d, p, stop)) < stop)
			d = esc_byte(d, *p++, q);
		sk->len = (size_t)(d - sk->tmp);
	}
}

/*
 * The inside of a str literal quoted with q; s is UTF-8.  Printable
 * non-ASCII characters extend a run like plain ASCII; bytes that are not
 * valid UTF-8 (never passed, by contract) come out as \xhh.
 */
static void
esc_str(struct emit *sk, const char *s, size_t len, int q)
{
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*end = p + len, *run;
	unsigned int		 c, k;
	uint32_t		 cp;
	int			 n;
	char			*d;

	while (p < end) {
		run = p;
		for (;;) {
			p = skip_plain(p, end);
			if (p < end && *p >= 0x80 &&
			    (n = utf8_decode(p, end, &cp)) != 0 &&
			    cp_printable(cp)) {
				p += n;
				continue;
			}
			break;
		}
		if (p != run)
			emit_add(sk, run, (size_t)(p - run));
		if (p == end)
			break;
		if (sk->size - sk->len < ESC_MAX)
			emit_flush(sk);
		d = sk->tmp + sk->len;
		c = *p;
		switch ((k = cls[c])) {
		case C_QUOTE:
			if ((int)c == q)
				*d++ = '\\';
			*d++ = (char)c;
			p++;
			break;
		case C_BSL:
		case C_TAB:
		case C_LF:
		case C_CR:
			*d++ = '\\';
			*d++ = cls_letter[k];
			p++;
			break;
		case C_HIGH:
			if ((n = utf8_decode(p, end, &cp)) == 0) {
				d = esc_hex(d, c);
				p++;
			} else {
				d = esc_cp(d, cp);
				p += n;
			}
			break;
		default:
			d = esc_hex(d, c);
			p++;
			break;
		}
		sk->len = (size_t)(d - sk->tmp);
	}
}

static void
lit_bytes(struct emit *sk, const char *s, size_t len)
{
	int	 q;

	q = choose_quote(s, len);
	emit_addc(sk, 'b');
	emit_addc(sk, (char)q);
	esc_bytes(sk, s, len, q);
	emit_addc(sk, (char)q);
}

static void
lit_str(struct emit *sk, const char *s, size_t len)
{
	int	 q;

	q = choose_quote(s, len);
	emit_addc(sk, (char)q);
	esc_str(sk, s, len, q);
	emit_addc(sk, (char)q);
}

/*
 * Spooled bytes (spool_off, len) as one bytes literal, read twice through
 * the window: once for the quote choice, once to print.  If the spool
 * cannot be read, what was read is printed and the literal closed.
 */
static void
lit_spool(struct emit *sk, const struct pyval *v, struct rwin *w)
{
	const char	*p;
	uint64_t	 off, stop = v->spool_off + v->len;
	size_t		 n;
	int		 sq = 0, dq = 0, q;

	for (off = v->spool_off; off < stop && !(sq && dq); off += n) {
		p = rwin_get(w, v->spool, off, 1, &n);
		if (n > stop - off)
			n = (size_t)(stop - off);
		if (n == 0)
			break;
		sq = sq || memchr(p, '\'', n) != NULL;
		dq = dq || memchr(p, '"', n) != NULL;
	}
	q = sq && !dq ? '"' : '\'';
	emit_addc(sk, 'b');
	emit_addc(sk, (char)q);
	for (off = v->spool_off; off < stop; off += n) {
		p = rwin_get(w, v->spool, off, 1, &n);
		if (n > stop - off)
			n = (size_t)(stop - off);
		if (n == 0)
			break;
		esc_bytes(sk, p, n, q);
	}
	emit_addc(sk, (char)q);
}

/* The one-line repr of v; spools are read through w. */
static void
repr_value(struct emit *sk, const struct pyval *v, struct rwin *w)
{
	char	 num[32];
	size_t	 i;
	int	 n;

	if (v == NULL) {
		emit_addstr(sk, "None");
		return;
	}
	switch (v->type) {
	case PV_NONE:
		emit_addstr(sk, "None");
		break;
	case PV_BOOL:
		emit_addstr(sk, v->i ? "True" : "False");
		break;
	case PV_INT:
		n = snprintf(num, sizeof num, "%lld", v->i);
		emit_add(sk, num, (size_t)n);
		break;
	case PV_STR:
		lit_str(sk, v->s, v->len);
		break;
	case PV_BYTES:
		if (v->spool == NULL)
			lit_bytes(sk, v->s, v->len);
		else
			lit_spool(sk, v, w);
		break;
	case PV_TUPLE:
	case PV_LIST:
		emit_addc(sk, v->type == PV_TUPLE ? '(' : '[');
		for (i = 0; i < v->n; i++) {
			if (i > 0)
				emit_add(sk, ", ", 2);
			repr_value(sk, v->items[i], w);
		}
		if (v->type == PV_TUPLE && v->n == 1)
			emit_addc(sk, ',');
		emit_addc(sk, v->type == PV_TUPLE ? ')' : ']');
		break;
	}
}

/*
 * The length of a repr, with an early exit: the exact length if it is at
 * most limit, else some number greater than limit (counting stops there).
 */
static size_t
len_bytes(const char *s, size_t len, size_t limit)
{
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*end = p + len, *run;
	size_t			 total = 3, sq = 0, dq = 0;

	if (len > limit)
		return (len);
	while (p < end && total <= limit) {
		run = p;
		p = skip_plain(p, end);
		total += (size_t)(p - run);
		if (p == end)
			break;
		total += cls_width[cls[*p]];
		sq += *p == '\'';
		dq += *p == '"';
		p++;
	}
	/* The quote is escaped when ' is the quote: CPython's choice. */
	if (sq != 0 && dq == 0)
		return (total);
	return (total + sq);
}

/* As len_bytes for a str: Python counts code points, not bytes. */
static size_t
len_str(const char *s, size_t len, size_t limit)
{
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*end = p + len;
	size_t			 total = 2, sq = 0, dq = 0;
	uint32_t		 cp;
	int			 n;

	while (p < end && total <= limit) {
		if (*p < 0x80) {
			total += cls_width[cls[*p]];
			sq += *p == '\'';
			dq += *p == '"';
			p++;
		} else if ((n = utf8_decode(p, end, &cp)) == 0) {
			total += 4;
			p++;
		} else {
			if (cp_printable(cp))
				total += 1;
			else
				total += cp <= 0xff ? 4 : cp <= 0xffff ? 6 : 10;
			p += n;
		}
	}
	if (sq != 0 && dq == 0)
		return (total);
	return (total + sq);
}

static size_t
len_value(const struct pyval *v, size_t limit)
{
	char		 small[PRINT_WIDTH + 8];
	size_t		 total, i;
	ssize_t		 n;

	if (v == NULL)
		return (4);
	switch (v->type) {
	case PV_NONE:
		return (4);
	case PV_BOOL:
		return (v->i ? 4 : 5);
	case PV_INT:
		return ((size_t)snprintf(small, sizeof small, "%lld", v->i));
	case PV_STR:
		return (len_str(v->s, v->len, limit));
	case PV_BYTES:
		if (v->spool == NULL)
			return (len_bytes(v->s, v->len, limit));
		/* b'' around at least one character per byte. */
		if (v->len + 3 > limit || v->len > PRINT_WIDTH)
			return (v->len + 3);
		n = spool_read(v->spool, v->spool_off, small, v->len);
		if (n != (ssize_t)v->len)
			return (limit + 1);	/* unreadable: lay it out */
		return (len_bytes(small, v->len, limit));
	case PV_TUPLE:
	case PV_LIST:
		total = v->type == PV_TUPLE && v->n == 1 ? 3 : 2;
		for (i = 0; i < v->n && total <= limit; i++) {
			if (i > 0)
				total += 2;
			if (total > limit)
				break;
			total += len_value(v->items[i], limit - total);
		}
		return (total);
	}
	return (0);
}

/*
 * The bytes of sp from off on: at least want of them (want <= RBUF_SIZE),
 * or all up to the end of the spool, or fewer if it cannot be read.
 * Returns them and their number in *n, which may be more than want (what
 * the window holds past off); *n is 0 at the end or on a read error.
 * When the window must move, the bytes it holds from off on are kept at
 * its start and the rest of it is filled from the spool.
 */
static const char *
rwin_get(struct rwin *w, struct spool *sp, uint64_t off, size_t want,
    size_t *n)
{
	size_t	 keep = 0, at;
	ssize_t	 r;

	if (w->spool == sp && off >= w->off && off - w->off <= w->len) {
		at = (size_t)(off - w->off);
		keep = w->len - at;
		if (keep >= want) {
			*n = keep;
			return (w->buf + at);
		}
		memmove(w->buf, w->buf + at, keep);
	}
	if (w->buf == NULL)
		w->buf = xmalloc(RBUF_SIZE);
	w->spool = sp;
	w->off = off;
	w->len = keep;
	while (w->len < want) {
		r = spool_read(sp, off + w->len, w->buf + w->len,
		    RBUF_SIZE - w->len);
		if (r <= 0)
			break;
		w->len += (size_t)r;
	}
	*n = w->len;
	return (w->buf);
}

/*
 * The bytes of a split bytes value v from byte done on, their number in
 * *avail: all the rest, or at least PIECE_MAX + 1 of them, so that the
 * next piece can be told from them.  Fewer only where a spool cannot be
 * read, which ends the value there; *avail is 0 at its end.
 */
static const char *
split_window(struct pctx *c, const struct pyval *v, size_t done,
    size_t *avail)
{
	const char	*p;
	size_t		 rest = v->len - done, n;

	if (v->spool == NULL) {
		*avail = rest;
		return (v->s + done);
	}
	p = rwin_get(&c->win, v->spool, v->spool_off + done,
	    rest < PIECE_MAX + 1 ? rest : PIECE_MAX + 1, &n);
	*avail = n < rest ? n : rest;
	return (p);
}

/*
 * The length of the piece at s, of avail > 0 bytes, which hold the whole
 * value from there on or more than PIECE_MAX bytes: up to and including
 * the first '\n', or PIECE_MAX bytes (one more if that keeps a CRLF
 * whole; fewer for a str, so as not to cut a UTF-8 sequence).
 */
static size_t
piece_len(const char *s, size_t avail, int is_str)
{
	const char	*nl;
	size_t		 n;

	n = avail < PIECE_MAX ? avail : PIECE_MAX;
	if ((nl = memchr(s, '\n', n)) != NULL)
		return ((size_t)(nl - s) + 1);
	if (n < avail) {
		if (s[n - 1] == '\r' && s[n] == '\n')
			n++;
		else if (is_str) {
			while (n > PIECE_MAX - 3 && (s[n] & 0xc0) == 0x80)
				n--;
		}
	}
	return (n);
}

/*
 * The next piece of a split bytes value as one literal, after the first
 * leadlen bytes of lead (LEAD_MAX bytes: newline and indent, then spaces,
 * copied whole for speed, the rest overwritten): the piece is the one
 * piece_len() finds in s (avail > 0 bytes, as there), found here in the
 * same pass that escapes it.  The quote is ' unless the piece holds '
 * and no ": at the first ', with no " before it, the rest of the piece
 * is searched for one, and if there is none the opening quote, still in
 * the emitter, becomes ".  Returns the length of the piece.
 */
static size_t
piece_bytes(struct emit *sk, const char *lead, size_t leadlen,
    const char *s, size_t avail)
{
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*end, *nl;
	char			*d, *qp;
	unsigned int		 c;
	int			 q = '\'', sq = 0, dq = 0;

	if (sk->size - sk->len < PIECE_ROOM)
		emit_flush(sk);
	d = sk->tmp + sk->len;
	memcpy(d, lead, LEAD_MAX);	/* a constant size: no call */
	d += leadlen;
	*d++ = 'b';
	qp = d;
	*d++ = '\'';
	end = p + (avail < PIECE_MAX ? avail : PIECE_MAX);
	for (;;) {
		if ((p = copy_plain(&d, p, end)) == end)
			break;
		c = *p++;
		if (c == '\n') {
			*d++ = '\\';
			*d++ = 'n';
			goto done;
		}
		/* The common line end, at once: one mispredicted exit less. */
		if (c == '\r' && p < end && *p == '\n') {
			memcpy(d, "\\r\\n", 4);
			d += 4;
			p++;
			goto done;
		}
		if (c == '"')
			dq = 1;
		else if (c == '\'' && !sq && !dq) {
			/* The first ', no " before it: is there one after? */
			sq = 1;
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				nl = end;
			if (memchr(p, '"', (size_t)(nl - p)) == NULL)
				*qp = (char)(q = '"');
		}
		d = esc_byte(d, c, q);
	}
	/* No line end in PIECE_MAX bytes: keep a CRLF whole. */
	if ((size_t)(end - (const unsigned char *)s) < avail &&
	    end[-1] == '\r' && *end == '\n') {
		*d++ = '\\';
		*d++ = 'n';
		p++;
	}
done:
	*d++ = (char)q;
	sk->len = (size_t)(d - sk->tmp);
	return ((size_t)(p - (const unsigned char *)s));
}

/*
 * pprint's _format: the repr if it fits in the width left, else the value
 * laid out over several lines.  top is pprint's level 1, the value itself
 * rather than an item: a split bytes or str is wrapped in parens there.
 */
static void
print_value(struct pctx *c, const struct pyval *v, long indent,
    long allowance, int top)
{
	long	 max;

	max = PRINT_WIDTH - indent - allowance;
	if (v == NULL || (max >= 0 && len_value(v, (size_t)max) <=
	    (size_t)max)) {
		repr_value(&c->sk, v, &c->win);
		return;
	}
	switch (v->type) {
	case PV_LIST:
		emit_addc(&c->sk, '[');
		print_items(c, v, indent, allowance + 1);
		emit_addc(&c->sk, ']');
		break;
	case PV_TUPLE:
		emit_addc(&c->sk, '(');
		print_items(c, v, indent, allowance + (v->n == 1 ? 2 : 1));
		emit_addstr(&c->sk, v->n == 1 ? ",)" : ")");
		break;
	case PV_BYTES:
		/* pprint prints up to 4 bytes whole, whatever the width. */
		if (pv_bytes_len(v) <= 4) {
			repr_value(&c->sk, v, &c->win);
			break;
		}
		print_split(c, v, indent, top);
		break;
	case PV_STR:
		print_split(c, v, indent, top);
		break;
	default:
		repr_value(&c->sk, v, &c->win);
		break;
	}
}

/* pprint's _format_items: one item per line, one column further in. */
static void
print_items(struct pctx *c, const struct pyval *v, long indent,
    long allowance)
{
	size_t	 i;

	indent++;
	for (i = 0; i < v->n; i++) {
		if (i > 0) {
			emit_add(&c->sk, ",\n", 2);
			emit_spaces(&c->sk, (size_t)indent);
		}
		print_value(c, v->items[i], indent,
		    i == v->n - 1 ? allowance : 1, 0);
	}
}

/*
 * A bytes or str that does not fit: its pieces as adjacent literals, one
 * per line at indent.  At the top level pprint wraps a split bytes value
 * in parens, and a split str when it has more than one piece.
 */
static void
print_split(struct pctx *c, const struct pyval *v, long indent, int top)
{
	if (v->type == PV_STR)
		split_str(c, v, indent, top);
	else
		split_bytes(c, v, indent, top);
}

/* A str is never spooled. */
static void
split_str(struct pctx *c, const struct pyval *v, long indent, int top)
{
	size_t	 done, n;
	int	 parens;

	if (v->len == 0) {
		repr_value(&c->sk, v, &c->win);
		return;
	}
	n = piece_len(v->s, v->len, 1);
	parens = top && n < v->len;
	if (parens) {
		emit_addc(&c->sk, '(');
		indent++;
	}
	for (done = 0;;) {
		lit_str(&c->sk, v->s + done, n);
		if ((done += n) == v->len)
			break;
		emit_addc(&c->sk, '\n');
		emit_spaces(&c->sk, (size_t)indent);
		n = piece_len(v->s + done, v->len - done, 1);
	}
	if (parens)
		emit_addc(&c->sk, ')');
}

/*
 * Bytes, in memory or spooled, a window at a time: the pieces that the
 * window holds whole are printed without going back to it.
 */
static void
split_bytes(struct pctx *c, const struct pyval *v, long indent, int top)
{
	const char	*p;
	char		 lead[LEAD_MAX];
	size_t		 avail, done = 0, n, leadlen = 0;

	p = split_window(c, v, 0, &avail);
	if (avail == 0) {
		repr_value(&c->sk, v, &c->win);
		return;
	}
	if (top) {
		emit_addc(&c->sk, '(');
		indent++;
	}
	lead[0] = '\n';
	memset(lead + 1, ' ', LEAD_MAX - 1);
	if ((size_t)indent < LEAD_MAX)
		leadlen = (size_t)indent + 1;
	for (;;) {
		do {
			if (done > 0 && leadlen == 0) {
				emit_addc(&c->sk, '\n');
				emit_spaces(&c->sk, (size_t)indent);
			}
			n = piece_bytes(&c->sk, lead, done > 0 ? leadlen : 0,
			    p, avail);
			p += n;
			avail -= n;
			done += n;
		} while (avail > PIECE_MAX);
		if (done == v->len)
			break;
		p = split_window(c, v, done, &avail);
		if (avail == 0)
			break;
	}
	if (top)
		emit_addc(&c->sk, ')');
}

void
print_python(struct out *o, const struct pyval *v)
{
	struct pctx	*c;

	c = xmalloc(sizeof *c);
	emit_init(&c->sk, NULL, o, c->own);
	memset(&c->win, 0, sizeof c->win);
	print_value(c, v, 0, 0, 1);
	emit_addc(&c->sk, '\n');
	emit_flush(&c->sk);
	free(c->win.buf);
	free(c);
}

/*
 * The repr functions append to b; if b reaches its cap, the rest is
 * dropped and b ends with a prefix of the repr.
 */
void
py_bytes_repr(struct buf *b, const char *s, size_t len)
{
	struct emit	 sk;
	char		 tmp[EMIT_SIZE];

	emit_init(&sk, b, NULL, tmp);
	lit_bytes(&sk, s, len);
	emit_flush(&sk);
}

void
py_str_repr(struct buf *b, const char *s, size_t len)
{
	struct emit	 sk;
	char		 tmp[EMIT_SIZE];

	emit_init(&sk, b, NULL, tmp);
	lit_str(&sk, s, len);
	emit_flush(&sk);
}

void
py_repr(struct buf *b, const struct pyval *v)
{
	struct emit	 sk;
	struct rwin	 w;
	char		 tmp[EMIT_SIZE];

	emit_init(&sk, b, NULL, tmp);
	memset(&w, 0, sizeof w);
	repr_value(&sk, v, &w);
	emit_flush(&sk);
	free(w.buf);
}

void
term_escape(struct buf *b, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*end = p + len, *run;
	struct emit		 sk;
	uint32_t		 cp;
	int			 n;
	char			*d, tmp[EMIT_SIZE];

	emit_init(&sk, b, NULL, tmp);
	while (p < end) {
		run = p;
		for (;;) {
			while (p < end && cls[*p] <= C_TAB)
				p++;
			if (p < end && *p >= 0x80 &&
			    (n = utf8_decode(p, end, &cp)) != 0 &&
			    !cp_term_unsafe(cp)) {
				p += n;
				continue;
			}
			break;
		}
		if (p != run)
			emit_add(&sk, run, (size_t)(p - run));
		if (p == end)
			break;
		if (sk.size - sk.len < ESC_MAX)
			emit_flush(&sk);
		d = sk.tmp + sk.len;
		if (*p >= 0x80 && (n = utf8_decode(p, end, &cp)) != 0) {
			/* esc_cp would print C1 as \x80: keep \u0080. */
			*d++ = '\\';
			*d++ = 'u';
			*d++ = hexdigits[(cp >> 12) & 0xf];
			*d++ = hexdigits[(cp >> 8) & 0xf];
			*d++ = hexdigits[(cp >> 4) & 0xf];
			*d++ = hexdigits[cp & 0xf];
			p += n;
		} else
			d = esc_hex(d, *p++);
		sk.len = (size_t)(d - sk.tmp);
	}
	emit_flush(&sk);
}

/*
 * Printing while the data arrives (struct live).  Once ('OK', [items])
 * does not fit on one line, print_value() lays it out as
 *
 *	('OK',
 *	 [(b'1 (BODY[] {1234}',
 *	   b'Subject: hi\r\n'
 *	   b'...'),
 *	  b')',
 *	  ...])
 *
 * with every item at indent 2 and allowance 1, but the last, whose
 * allowance is 2 (the "])" after it).  So items wait in pending until the
 * list's one-line repr passes LIVE_FIT (the width left for it: when it
 * fits there, the pair may still fit on one line, or the list on the
 * line after 'OK'); then the head is written, and from then on each item
 * is written when the next one comes.  A literal longer than LIVE_SMALL
 * is written as it comes, in its (line, literal) tuple, without waiting:
 * such a tuple is never on one line, at any allowance; its literal's
 * pieces depend only on their own bytes (piece_bytes()); and it is never
 * the last item, because the rest of the response line after a literal
 * is always filed as an item of its own.
 */
#define LIVE_INDENT	2
#define LIVE_FIT	(PRINT_WIDTH - 2)
#define LIVE_SMALL	256

struct live {
	struct pctx	 c;
	struct pyval	*pending;	/* items not written yet (copies) */
	size_t		 plen;		/* one-line length of [pending...] */
	int		 started;	/* the head is written */
	size_t		 nout;		/* items written */
	int		 in_lit;	/* 1: a small literal, 2: a big one */
	struct pyval	*lit_line;	/* a small literal's line */
	struct buf	 small;		/* and its bytes */
	uint64_t	 lit_done;	/* bytes of a big one printed */
	size_t		 ncarry;
	char		 lead[LEAD_MAX];
	char		 carry[2 * (PIECE_MAX + 1)];
};

static void	 live_enter(struct live *);
static void	 live_sep(struct live *);
static void	 live_put(struct live *, const struct pyval *, int);
static void	 live_write(struct live *, size_t);
static size_t	 live_pieces(struct live *, const char *, size_t, int);

struct live *
live_new(struct out *o)
{
	struct live	*l;

	l = xcalloc(1, sizeof *l);
	emit_init(&l->c.sk, NULL, o, l->c.own);
	l->pending = pv_list();
	l->plen = 2;
	l->lead[0] = '\n';
	memset(l->lead + 1, ' ', LEAD_MAX - 1);
	buf_init(&l->small, LIVE_SMALL);
	return (l);
}

/*
 * Between calls the out may have been flushed (a trace line flushes
 * stdout first): stage anew where its buffer now ends.
 */
static void
live_enter(struct live *l)
{
	emit_stage(&l->c.sk);
}

/* The separator before an item that is not the first. */
static void
live_sep(struct live *l)
{
	if (l->nout++ > 0) {
		emit_add(&l->c.sk, ",\n", 2);
		emit_spaces(&l->c.sk, LIVE_INDENT);
	}
}

/* One item of the list, after its separator. */
static void
live_put(struct live *l, const struct pyval *v, int last)
{
	live_sep(l);
	print_value(&l->c, v, LIVE_INDENT, last ? 2 : 1, 0);
}

/* Write the head if need be, then the pending items but the last keep
 * of them (0 or 1), none of them the list's last. */
static void
live_write(struct live *l, size_t keep)
{
	struct pyval	*p = l->pending;
	size_t		 i, n;

	if (!l->started) {
		emit_addstr(&l->c.sk, LIVE_HEAD "\n [");
		l->started = 1;
	}
	n = p->n > keep ? p->n - keep : 0;
	for (i = 0; i < n; i++) {
		live_put(l, p->items[i], 0);
		pv_free(p->items[i]);
	}
	if (n > 0 && p->n > n)
		memmove(p->items, p->items + n, (p->n - n) * sizeof *p->items);
	p->n -= n;
}

void
live_item(struct live *l, const struct pyval *v)
{
	live_enter(l);
	pv_append(l->pending, pv_copy(v));
	if (!l->started) {
		l->plen += (l->pending->n > 1 ? 2 : 0) +
		    len_value(v, LIVE_FIT + 1);
		if (l->plen <= LIVE_FIT)
			return;
	}
	live_write(l, 1);
	emit_flush(&l->c.sk);
}

void
live_lit_begin(struct live *l, const struct pyval *line, uint64_t size)
{
	live_enter(l);
	if (size <= LIVE_SMALL) {
		l->in_lit = 1;
		pv_free(l->lit_line);
		l->lit_line = pv_copy(line);
		buf_reset(&l->small);
		return;
	}
	live_write(l, 0);
	live_sep(l);
	emit_addc(&l->c.sk, '(');
	print_value(&l->c, line, LIVE_INDENT + 1, 1, 0);
	emit_add(&l->c.sk, ",\n", 2);
	emit_spaces(&l->c.sk, LIVE_INDENT + 1);
	l->in_lit = 2;
	l->lit_done = 0;
	l->ncarry = 0;
	emit_flush(&l->c.sk);
}

/*
 * Print the pieces of a big literal that p (avail bytes from lit_done
 * on) settles: while more than PIECE_MAX bytes are left, as split_bytes()
 * does, and at the end all of them.  Returns the bytes used.
 */
static size_t
live_pieces(struct live *l, const char *p, size_t avail, int end)
{
	size_t	 used = 0, k;

	while (avail > PIECE_MAX || (end && avail > 0)) {
		k = piece_bytes(&l->c.sk, l->lead, l->lit_done > 0 ?
		    LIVE_INDENT + 2 : 0, p, avail);
		p += k;
		avail -= k;
		used += k;
		l->lit_done += k;
	}
	return (used);
}

/*
 * The bytes of a big literal.  What a chunk leaves unsettled (at most
 * PIECE_MAX bytes) waits in carry; the next chunk tops carry up with
 * PIECE_MAX + 1 bytes, which settles every piece that starts in it, and
 * the bytes of that top-up left over go back to the chunk, so the data
 * is printed from where it lies and carry copies little.
 */
void
live_lit_data(struct live *l, const char *p, size_t n)
{
	size_t	 k, t, left;

	live_enter(l);
	if (l->in_lit == 1) {
		if (buf_add(&l->small, p, n) == -1)
			l->in_lit = 0;	/* longer than announced: aborts */
		return;
	}
	if (l->in_lit != 2)
		return;
	while (n > 0) {
		if (l->ncarry == 0) {
			k = live_pieces(l, p, n, 0);
			memcpy(l->carry, p + k, n - k);
			l->ncarry = n - k;
			break;
		}
		t = n < PIECE_MAX + 1 ? n : PIECE_MAX + 1;
		memcpy(l->carry + l->ncarry, p, t);
		l->ncarry += t;
		p += t;
		n -= t;
		k = live_pieces(l, l->carry, l->ncarry, 0);
		left = l->ncarry - k;
		if (left <= t) {
			p -= left;
			n += left;
			l->ncarry = 0;
		} else {
			memmove(l->carry, l->carry + k, left);
			l->ncarry = left;
		}
	}
	emit_flush(&l->c.sk);
}

void
live_lit_end(struct live *l)
{
	struct pyval	*t;

	live_enter(l);
	if (l->in_lit == 1) {
		t = pv_tuple();
		pv_append(t, l->lit_line);
		pv_append(t, pv_bytes(l->small.len > 0 ? l->small.data : "",
		    l->small.len));
		l->lit_line = NULL;
		l->in_lit = 0;
		live_item(l, t);
		pv_free(t);
		return;
	}
	if (l->in_lit != 2)
		return;
	if (l->lit_done == 0 && l->ncarry == 0)
		emit_add(&l->c.sk, "b''", 3);
	else
		live_pieces(l, l->carry, l->ncarry, 1);
	l->ncarry = 0;
	emit_addc(&l->c.sk, ')');
	l->in_lit = 0;
	emit_flush(&l->c.sk);
}

int
live_started(const struct live *l)
{
	return (l->started);
}

struct pyval *
live_take_pending(struct live *l)
{
	struct pyval	*p;

	if (l->started)
		return (NULL);
	p = l->pending;
	l->pending = pv_list();
	l->plen = 2;
	return (p);
}

void
live_finish(struct live *l)
{
	if (!l->started)
		return;
	live_enter(l);
	if (l->pending->n > 0) {
		live_write(l, 1);
		live_put(l, l->pending->items[0], 1);
	}
	emit_add(&l->c.sk, "])\n", 3);
	emit_flush(&l->c.sk);
}

void
live_cut(struct live *l)
{
	if (l->in_lit != 0)
		live_lit_end(l);
	live_finish(l);
}

void
live_free(struct live *l)
{
	if (l == NULL)
		return;
	pv_free(l->pending);
	pv_free(l->lit_line);
	buf_free(&l->small);
	free(l->c.win.buf);
	free(l);
}
