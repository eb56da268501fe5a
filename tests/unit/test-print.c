/*
 * test-print.c: unit tests for the Python printers (py-repr.c,
 * py-print.c and the escaping they share, esc.c), term_escape() (term.c),
 * pyval.c and output.c (TAP).
 *
 * Four kinds of checks:
 *
 *   - tables generated with python3 when the tests were written (see
 *     gen-print-tables.py): the repr of every single byte, of every
 *     Latin-1 character and of the tricky ones beyond, quote mixes,
 *     and pprint.pformat() layouts, so CPython's rules are checked even
 *     where python3 is not installed;
 *   - a per-byte reference of CPython's bytes repr and of the line split,
 *     written here from the rules, against which the word-at-a-time
 *     scanner of esc.h is checked exhaustively (every byte value
 *     at every position of short plain runs, in memory and spooled);
 *   - "evaluates back" checks run through test-print-eval.py when python3
 *     is there: fixed result-shaped values (a FETCH with a 3 MB spooled
 *     literal, LIST responses, 1-tuples, deep nesting...) and a few hundred
 *     random ones are printed with py_print(), then Python, which
 *     builds every expected value itself, checks that ast.literal_eval()
 *     gives the same value back, that the layout is pprint's, and the repr
 *     of every code point;
 *   - memory: printing a 50 MB spooled literal must not grow the process
 *     by more than a few megabytes.
 *
 * Environment: TEST_PRINT_SEED and TEST_PRINT_COUNT choose the random
 * values; TEST_PRINT_EVAL names the helper script; PYTHON the interpreter.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "py-print.h"
#include "py-repr.h"
#include "term.h"

#ifndef nitems
#define nitems(a)	(sizeof (a) / sizeof (a)[0])
#endif

struct repr_case {
	const char	*in;
	size_t		 len;
	const char	*want;
};

struct layout_case {
	const char	*in;		/* as parse_value() reads it */
	const char	*want;		/* pprint.pformat(v, width=80) + "\n" */
};

struct term_case {
	const char	*in;
	const char	*want;
};

struct fixed_case {
	const char	*name;
	struct pyval	*(*build)(void);
};

static void		 check(int, const char *, ...)
			    __attribute__((__format__(__printf__, 2, 3)));
static void		 skip(const char *, const char *);
static void		 diag_text(const char *, const char *, size_t);
static int		 check_text(const char *, size_t, const char *, size_t,
			    const char *, ...)
			    __attribute__((__format__(__printf__, 5, 6)));
static struct pyval	*parse_value(const char **, const char *);
static char		*print_to_string(const struct pyval *, size_t *);
static char		*read_file(const char *, size_t *);
static long		 proc_status_kb(const char *);
static struct spool	*spool_of(const char *, size_t, size_t);
static struct pyval	*bytes_cstr(const char *);
static struct pyval	*mk(enum pyval_type, size_t, ...);
static struct pyval	*nest(int, struct pyval *);
static char		*msg_bytes(size_t *);
static char		*big_literal(size_t *);
static struct pyval	*build_fetch(void);
static struct pyval	*build_fetch_spool_3mb(void);
static struct pyval	*build_fetch_two_literals(void);
static struct pyval	*build_list(void);
static struct pyval	*build_search_long(void);
static struct pyval	*build_one_tuples(void);
static struct pyval	*build_one_tuple_edge(void);
static struct pyval	*build_empty_list(void);
static struct pyval	*build_none_data(void);
static struct pyval	*build_no(void);
static struct pyval	*build_scalars(void);
static struct pyval	*build_quotes(void);
static struct pyval	*build_width_edge(void);
static struct pyval	*build_deep(void);
static struct pyval	*build_deep_long(void);
static struct pyval	*build_top_bytes(void);
static struct pyval	*build_top_bytes_one_piece(void);
static struct pyval	*build_top_str(void);
static struct pyval	*build_top_str_one_piece(void);
static struct pyval	*build_long_str_utf8(void);
static struct pyval	*build_many_short(void);
static void		 test_memory(void);
static void		 test_repr_tables(void);
static void		 test_py_repr(void);
static void		 test_term_escape(void);
static void		 test_layout_tables(void);
static void		 test_spool_parity(void);
static void		 test_pyval(void);
static void		 test_output(void);
static void		 ref_bytes_repr(struct buf *, const char *, size_t);
static void		 ref_ascii_repr(struct buf *, const char *, size_t);
static size_t		 ref_piece_len(const char *, size_t);
static void		 ref_split(struct buf *, const char *, size_t,
			    const char *);
static char		 plain_byte(size_t);
static size_t		 plain_run(char *, size_t, size_t, unsigned int);
static void		 tally(size_t *, const char *, size_t, const char *,
			    size_t, const char *, ...)
			    __attribute__((__format__(__printf__, 6, 7)));
static void		 repr_both(struct buf *, struct buf *, const char *,
			    size_t, int);
static char		*print_fd(struct out *, int, const struct pyval *,
			    size_t *);
static void		 test_swar(void);
static void		 test_print_out(void);
static const char	*find_helper(const char *);
static int		 run_helper(int, const char *, ...);
static int		 env_int(const char *, int);
static void		 test_python(const char *);

static int	 ntests;
static int	 nfailed;
static char	*tmpdir;

static const struct term_case term_cases[] = {
	{ "plain text, caf\303\251 \360\237\230\200", NULL },
	{ "tab\there \\ backslash", NULL },
	{ "line\nend\r", "line\\x0aend\\x0d" },
	{ "\033[31mred\033[0m", "\\x1b[31mred\\x1b[0m" },
	{ "del\177", "del\\x7f" },
	{ "bell\007", "bell\\x07" },
	{ "c1 utf8 \302\205 \302\233", "c1 utf8 \\u0085 \\u009b" },
	{ "c1 raw \233 \205", "c1 raw \\x9b \\x85" },
	{ "bidi \342\200\256x\342\200\254", "bidi \\u202ex\\u202c" },
	{ "\342\200\213\342\200\217\342\200\250\342\200\251",
	    "\\u200b\\u200f\\u2028\\u2029" },
	{ "\342\201\240\342\201\244\342\201\246\342\201\251",
	    "\\u2060\\u2064\\u2066\\u2069" },
	{ "bom \357\273\277 alm \330\234", "bom \\ufeff alm \\u061c" },
	{ "nbsp \302\240 shy \302\255 ok", NULL },
	{ "bad \377\376", "bad \\xff\\xfe" },
	{ "cut \342\200", "cut \\xe2\\x80" },
	{ "overlong \300\257 surrogate \355\240\200",
	    "overlong \\xc0\\xaf surrogate \\xed\\xa0\\x80" },
	{ "big \364\220\200\200", "big \\xf4\\x90\\x80\\x80" },
};

static const struct fixed_case fixed_cases[] = {
	{ "fetch", build_fetch },
	{ "fetch-spool-3mb", build_fetch_spool_3mb },
	{ "fetch-two-literals", build_fetch_two_literals },
	{ "list", build_list },
	{ "search-long", build_search_long },
	{ "one-tuples", build_one_tuples },
	{ "one-tuple-edge", build_one_tuple_edge },
	{ "empty-list", build_empty_list },
	{ "none-data", build_none_data },
	{ "no", build_no },
	{ "scalars", build_scalars },
	{ "quotes", build_quotes },
	{ "width-edge", build_width_edge },
	{ "deep", build_deep },
	{ "deep-long", build_deep_long },
	{ "top-bytes", build_top_bytes },
	{ "top-bytes-one-piece", build_top_bytes_one_piece },
	{ "top-str", build_top_str },
	{ "top-str-one-piece", build_top_str_one_piece },
	{ "long-str-utf8", build_long_str_utf8 },
	{ "many-short", build_many_short },
};

/* The tests of the fixed-size groups, for the plan. */
#define N_MEMORY	2
#define N_PY_REPR	9
#define N_PARITY	8
#define N_PYVAL		13
#define N_OUTPUT	5
#define N_SWAR		16
#define N_PRINT_OUT	3

/* py-print.h's PIECE_MAX: the longest piece of a split value. */
#define REF_PIECE_MAX	1000
#define N_PYTHON	(nitems(fixed_cases) + 2)

/* Generated by tests/unit/gen-print-tables.py (Python 3.11.7). */

static const struct repr_case bytes_cases[] = {
	{ "\000", 1,
	    "b'\\x00'" },
	{ "\001", 1,
	    "b'\\x01'" },
	{ "\002", 1,
	    "b'\\x02'" },
	{ "\003", 1,
	    "b'\\x03'" },
	{ "\004", 1,
	    "b'\\x04'" },
	{ "\005", 1,
	    "b'\\x05'" },
	{ "\006", 1,
	    "b'\\x06'" },
	{ "\007", 1,
	    "b'\\x07'" },
	{ "\010", 1,
	    "b'\\x08'" },
	{ "\011", 1,
	    "b'\\t'" },
	{ "\012", 1,
	    "b'\\n'" },
	{ "\013", 1,
	    "b'\\x0b'" },
	{ "\014", 1,
	    "b'\\x0c'" },
	{ "\015", 1,
	    "b'\\r'" },
	{ "\016", 1,
	    "b'\\x0e'" },
	{ "\017", 1,
	    "b'\\x0f'" },
	{ "\020", 1,
	    "b'\\x10'" },
	{ "\021", 1,
	    "b'\\x11'" },
	{ "\022", 1,
	    "b'\\x12'" },
	{ "\023", 1,
	    "b'\\x13'" },
	{ "\024", 1,
	    "b'\\x14'" },
	{ "\025", 1,
	    "b'\\x15'" },
	{ "\026", 1,
	    "b'\\x16'" },
	{ "\027", 1,
	    "b'\\x17'" },
	{ "\030", 1,
	    "b'\\x18'" },
	{ "\031", 1,
	    "b'\\x19'" },
	{ "\032", 1,
	    "b'\\x1a'" },
	{ "\033", 1,
	    "b'\\x1b'" },
	{ "\034", 1,
	    "b'\\x1c'" },
	{ "\035", 1,
	    "b'\\x1d'" },
	{ "\036", 1,
	    "b'\\x1e'" },
	{ "\037", 1,
	    "b'\\x1f'" },
	{ " ", 1,
	    "b' '" },
	{ "!", 1,
	    "b'!'" },
	{ "\"", 1,
	    "b'\"'" },
	{ "#", 1,
	    "b'#'" },
	{ "$", 1,
	    "b'$'" },
	{ "%", 1,
	    "b'%'" },
	{ "&", 1,
	    "b'&'" },
	{ "'", 1,
	    "b\"'\"" },
	{ "(", 1,
	    "b'('" },
	{ ")", 1,
	    "b')'" },
	{ "*", 1,
	    "b'*'" },
	{ "+", 1,
	    "b'+'" },
	{ ",", 1,
	    "b','" },
	{ "-", 1,
	    "b'-'" },
	{ ".", 1,
	    "b'.'" },
	{ "/", 1,
	    "b'/'" },
	{ "0", 1,
	    "b'0'" },
	{ "1", 1,
	    "b'1'" },
	{ "2", 1,
	    "b'2'" },
	{ "3", 1,
	    "b'3'" },
	{ "4", 1,
	    "b'4'" },
	{ "5", 1,
	    "b'5'" },
	{ "6", 1,
	    "b'6'" },
	{ "7", 1,
	    "b'7'" },
	{ "8", 1,
	    "b'8'" },
	{ "9", 1,
	    "b'9'" },
	{ ":", 1,
	    "b':'" },
	{ ";", 1,
	    "b';'" },
	{ "<", 1,
	    "b'<'" },
	{ "=", 1,
	    "b'='" },
	{ ">", 1,
	    "b'>'" },
	{ "\077", 1,
	    "b'\077'" },
	{ "@", 1,
	    "b'@'" },
	{ "A", 1,
	    "b'A'" },
	{ "B", 1,
	    "b'B'" },
	{ "C", 1,
	    "b'C'" },
	{ "D", 1,
	    "b'D'" },
	{ "E", 1,
	    "b'E'" },
	{ "F", 1,
	    "b'F'" },
	{ "G", 1,
	    "b'G'" },
	{ "H", 1,
	    "b'H'" },
	{ "I", 1,
	    "b'I'" },
	{ "J", 1,
	    "b'J'" },
	{ "K", 1,
	    "b'K'" },
	{ "L", 1,
	    "b'L'" },
	{ "M", 1,
	    "b'M'" },
	{ "N", 1,
	    "b'N'" },
	{ "O", 1,
	    "b'O'" },
	{ "P", 1,
	    "b'P'" },
	{ "Q", 1,
	    "b'Q'" },
	{ "R", 1,
	    "b'R'" },
	{ "S", 1,
	    "b'S'" },
	{ "T", 1,
	    "b'T'" },
	{ "U", 1,
	    "b'U'" },
	{ "V", 1,
	    "b'V'" },
	{ "W", 1,
	    "b'W'" },
	{ "X", 1,
	    "b'X'" },
	{ "Y", 1,
	    "b'Y'" },
	{ "Z", 1,
	    "b'Z'" },
	{ "[", 1,
	    "b'['" },
	{ "\\", 1,
	    "b'\\\\'" },
	{ "]", 1,
	    "b']'" },
	{ "^", 1,
	    "b'^'" },
	{ "_", 1,
	    "b'_'" },
	{ "`", 1,
	    "b'`'" },
	{ "a", 1,
	    "b'a'" },
	{ "b", 1,
	    "b'b'" },
	{ "c", 1,
	    "b'c'" },
	{ "d", 1,
	    "b'd'" },
	{ "e", 1,
	    "b'e'" },
	{ "f", 1,
	    "b'f'" },
	{ "g", 1,
	    "b'g'" },
	{ "h", 1,
	    "b'h'" },
	{ "i", 1,
	    "b'i'" },
	{ "j", 1,
	    "b'j'" },
	{ "k", 1,
	    "b'k'" },
	{ "l", 1,
	    "b'l'" },
	{ "m", 1,
	    "b'm'" },
	{ "n", 1,
	    "b'n'" },
	{ "o", 1,
	    "b'o'" },
	{ "p", 1,
	    "b'p'" },
	{ "q", 1,
	    "b'q'" },
	{ "r", 1,
	    "b'r'" },
	{ "s", 1,
	    "b's'" },
	{ "t", 1,
	    "b't'" },
	{ "u", 1,
	    "b'u'" },
	{ "v", 1,
	    "b'v'" },
	{ "w", 1,
	    "b'w'" },
	{ "x", 1,
	    "b'x'" },
	{ "y", 1,
	    "b'y'" },
	{ "z", 1,
	    "b'z'" },
	{ "{", 1,
	    "b'{'" },
	{ "|", 1,
	    "b'|'" },
	{ "}", 1,
	    "b'}'" },
	{ "~", 1,
	    "b'~'" },
	{ "\177", 1,
	    "b'\\x7f'" },
	{ "\200", 1,
	    "b'\\x80'" },
	{ "\201", 1,
	    "b'\\x81'" },
	{ "\202", 1,
	    "b'\\x82'" },
	{ "\203", 1,
	    "b'\\x83'" },
	{ "\204", 1,
	    "b'\\x84'" },
	{ "\205", 1,
	    "b'\\x85'" },
	{ "\206", 1,
	    "b'\\x86'" },
	{ "\207", 1,
	    "b'\\x87'" },
	{ "\210", 1,
	    "b'\\x88'" },
	{ "\211", 1,
	    "b'\\x89'" },
	{ "\212", 1,
	    "b'\\x8a'" },
	{ "\213", 1,
	    "b'\\x8b'" },
	{ "\214", 1,
	    "b'\\x8c'" },
	{ "\215", 1,
	    "b'\\x8d'" },
	{ "\216", 1,
	    "b'\\x8e'" },
	{ "\217", 1,
	    "b'\\x8f'" },
	{ "\220", 1,
	    "b'\\x90'" },
	{ "\221", 1,
	    "b'\\x91'" },
	{ "\222", 1,
	    "b'\\x92'" },
	{ "\223", 1,
	    "b'\\x93'" },
	{ "\224", 1,
	    "b'\\x94'" },
	{ "\225", 1,
	    "b'\\x95'" },
	{ "\226", 1,
	    "b'\\x96'" },
	{ "\227", 1,
	    "b'\\x97'" },
	{ "\230", 1,
	    "b'\\x98'" },
	{ "\231", 1,
	    "b'\\x99'" },
	{ "\232", 1,
	    "b'\\x9a'" },
	{ "\233", 1,
	    "b'\\x9b'" },
	{ "\234", 1,
	    "b'\\x9c'" },
	{ "\235", 1,
	    "b'\\x9d'" },
	{ "\236", 1,
	    "b'\\x9e'" },
	{ "\237", 1,
	    "b'\\x9f'" },
	{ "\240", 1,
	    "b'\\xa0'" },
	{ "\241", 1,
	    "b'\\xa1'" },
	{ "\242", 1,
	    "b'\\xa2'" },
	{ "\243", 1,
	    "b'\\xa3'" },
	{ "\244", 1,
	    "b'\\xa4'" },
	{ "\245", 1,
	    "b'\\xa5'" },
	{ "\246", 1,
	    "b'\\xa6'" },
	{ "\247", 1,
	    "b'\\xa7'" },
	{ "\250", 1,
	    "b'\\xa8'" },
	{ "\251", 1,
	    "b'\\xa9'" },
	{ "\252", 1,
	    "b'\\xaa'" },
	{ "\253", 1,
	    "b'\\xab'" },
	{ "\254", 1,
	    "b'\\xac'" },
	{ "\255", 1,
	    "b'\\xad'" },
	{ "\256", 1,
	    "b'\\xae'" },
	{ "\257", 1,
	    "b'\\xaf'" },
	{ "\260", 1,
	    "b'\\xb0'" },
	{ "\261", 1,
	    "b'\\xb1'" },
	{ "\262", 1,
	    "b'\\xb2'" },
	{ "\263", 1,
	    "b'\\xb3'" },
	{ "\264", 1,
	    "b'\\xb4'" },
	{ "\265", 1,
	    "b'\\xb5'" },
	{ "\266", 1,
	    "b'\\xb6'" },
	{ "\267", 1,
	    "b'\\xb7'" },
	{ "\270", 1,
	    "b'\\xb8'" },
	{ "\271", 1,
	    "b'\\xb9'" },
	{ "\272", 1,
	    "b'\\xba'" },
	{ "\273", 1,
	    "b'\\xbb'" },
	{ "\274", 1,
	    "b'\\xbc'" },
	{ "\275", 1,
	    "b'\\xbd'" },
	{ "\276", 1,
	    "b'\\xbe'" },
	{ "\277", 1,
	    "b'\\xbf'" },
	{ "\300", 1,
	    "b'\\xc0'" },
	{ "\301", 1,
	    "b'\\xc1'" },
	{ "\302", 1,
	    "b'\\xc2'" },
	{ "\303", 1,
	    "b'\\xc3'" },
	{ "\304", 1,
	    "b'\\xc4'" },
	{ "\305", 1,
	    "b'\\xc5'" },
	{ "\306", 1,
	    "b'\\xc6'" },
	{ "\307", 1,
	    "b'\\xc7'" },
	{ "\310", 1,
	    "b'\\xc8'" },
	{ "\311", 1,
	    "b'\\xc9'" },
	{ "\312", 1,
	    "b'\\xca'" },
	{ "\313", 1,
	    "b'\\xcb'" },
	{ "\314", 1,
	    "b'\\xcc'" },
	{ "\315", 1,
	    "b'\\xcd'" },
	{ "\316", 1,
	    "b'\\xce'" },
	{ "\317", 1,
	    "b'\\xcf'" },
	{ "\320", 1,
	    "b'\\xd0'" },
	{ "\321", 1,
	    "b'\\xd1'" },
	{ "\322", 1,
	    "b'\\xd2'" },
	{ "\323", 1,
	    "b'\\xd3'" },
	{ "\324", 1,
	    "b'\\xd4'" },
	{ "\325", 1,
	    "b'\\xd5'" },
	{ "\326", 1,
	    "b'\\xd6'" },
	{ "\327", 1,
	    "b'\\xd7'" },
	{ "\330", 1,
	    "b'\\xd8'" },
	{ "\331", 1,
	    "b'\\xd9'" },
	{ "\332", 1,
	    "b'\\xda'" },
	{ "\333", 1,
	    "b'\\xdb'" },
	{ "\334", 1,
	    "b'\\xdc'" },
	{ "\335", 1,
	    "b'\\xdd'" },
	{ "\336", 1,
	    "b'\\xde'" },
	{ "\337", 1,
	    "b'\\xdf'" },
	{ "\340", 1,
	    "b'\\xe0'" },
	{ "\341", 1,
	    "b'\\xe1'" },
	{ "\342", 1,
	    "b'\\xe2'" },
	{ "\343", 1,
	    "b'\\xe3'" },
	{ "\344", 1,
	    "b'\\xe4'" },
	{ "\345", 1,
	    "b'\\xe5'" },
	{ "\346", 1,
	    "b'\\xe6'" },
	{ "\347", 1,
	    "b'\\xe7'" },
	{ "\350", 1,
	    "b'\\xe8'" },
	{ "\351", 1,
	    "b'\\xe9'" },
	{ "\352", 1,
	    "b'\\xea'" },
	{ "\353", 1,
	    "b'\\xeb'" },
	{ "\354", 1,
	    "b'\\xec'" },
	{ "\355", 1,
	    "b'\\xed'" },
	{ "\356", 1,
	    "b'\\xee'" },
	{ "\357", 1,
	    "b'\\xef'" },
	{ "\360", 1,
	    "b'\\xf0'" },
	{ "\361", 1,
	    "b'\\xf1'" },
	{ "\362", 1,
	    "b'\\xf2'" },
	{ "\363", 1,
	    "b'\\xf3'" },
	{ "\364", 1,
	    "b'\\xf4'" },
	{ "\365", 1,
	    "b'\\xf5'" },
	{ "\366", 1,
	    "b'\\xf6'" },
	{ "\367", 1,
	    "b'\\xf7'" },
	{ "\370", 1,
	    "b'\\xf8'" },
	{ "\371", 1,
	    "b'\\xf9'" },
	{ "\372", 1,
	    "b'\\xfa'" },
	{ "\373", 1,
	    "b'\\xfb'" },
	{ "\374", 1,
	    "b'\\xfc'" },
	{ "\375", 1,
	    "b'\\xfd'" },
	{ "\376", 1,
	    "b'\\xfe'" },
	{ "\377", 1,
	    "b'\\xff'" },
	{ "", 0,
	    "b''" },
	{ "'", 1,
	    "b\"'\"" },
	{ "\"", 1,
	    "b'\"'" },
	{ "'\"", 2,
	    "b'\\'\"'" },
	{ "a'b", 3,
	    "b\"a'b\"" },
	{ "a\"b", 3,
	    "b'a\"b'" },
	{ "it's \"x\"", 8,
	    "b'it\\'s \"x\"'" },
	{ "\\'", 2,
	    "b\"\\\\'\"" },
	{ "\\\"", 2,
	    "b'\\\\\"'" },
	{ "''", 2,
	    "b\"''\"" },
	{ "\"\"", 2,
	    "b'\"\"'" },
	{ "\015\012", 2,
	    "b'\\r\\n'" },
	{ "abc\000def\377", 8,
	    "b'abc\\x00def\\xff'" },
	{ "\011\013\014", 3,
	    "b'\\t\\x0b\\x0c'" },
	{ "caf\303\251", 5,
	    "b'caf\\xc3\\xa9'" },
	{ "\033[31mred\033[0m", 12,
	    "b'\\x1b[31mred\\x1b[0m'" },
};

static const struct repr_case str_cases[] = {
	{ "\000", 1,
	    "'\\x00'" },
	{ "\001", 1,
	    "'\\x01'" },
	{ "\002", 1,
	    "'\\x02'" },
	{ "\003", 1,
	    "'\\x03'" },
	{ "\004", 1,
	    "'\\x04'" },
	{ "\005", 1,
	    "'\\x05'" },
	{ "\006", 1,
	    "'\\x06'" },
	{ "\007", 1,
	    "'\\x07'" },
	{ "\010", 1,
	    "'\\x08'" },
	{ "\011", 1,
	    "'\\t'" },
	{ "\012", 1,
	    "'\\n'" },
	{ "\013", 1,
	    "'\\x0b'" },
	{ "\014", 1,
	    "'\\x0c'" },
	{ "\015", 1,
	    "'\\r'" },
	{ "\016", 1,
	    "'\\x0e'" },
	{ "\017", 1,
	    "'\\x0f'" },
	{ "\020", 1,
	    "'\\x10'" },
	{ "\021", 1,
	    "'\\x11'" },
	{ "\022", 1,
	    "'\\x12'" },
	{ "\023", 1,
	    "'\\x13'" },
	{ "\024", 1,
	    "'\\x14'" },
	{ "\025", 1,
	    "'\\x15'" },
	{ "\026", 1,
	    "'\\x16'" },
	{ "\027", 1,
	    "'\\x17'" },
	{ "\030", 1,
	    "'\\x18'" },
	{ "\031", 1,
	    "'\\x19'" },
	{ "\032", 1,
	    "'\\x1a'" },
	{ "\033", 1,
	    "'\\x1b'" },
	{ "\034", 1,
	    "'\\x1c'" },
	{ "\035", 1,
	    "'\\x1d'" },
	{ "\036", 1,
	    "'\\x1e'" },
	{ "\037", 1,
	    "'\\x1f'" },
	{ " ", 1,
	    "' '" },
	{ "!", 1,
	    "'!'" },
	{ "\"", 1,
	    "'\"'" },
	{ "#", 1,
	    "'#'" },
	{ "$", 1,
	    "'$'" },
	{ "%", 1,
	    "'%'" },
	{ "&", 1,
	    "'&'" },
	{ "'", 1,
	    "\"'\"" },
	{ "(", 1,
	    "'('" },
	{ ")", 1,
	    "')'" },
	{ "*", 1,
	    "'*'" },
	{ "+", 1,
	    "'+'" },
	{ ",", 1,
	    "','" },
	{ "-", 1,
	    "'-'" },
	{ ".", 1,
	    "'.'" },
	{ "/", 1,
	    "'/'" },
	{ "0", 1,
	    "'0'" },
	{ "1", 1,
	    "'1'" },
	{ "2", 1,
	    "'2'" },
	{ "3", 1,
	    "'3'" },
	{ "4", 1,
	    "'4'" },
	{ "5", 1,
	    "'5'" },
	{ "6", 1,
	    "'6'" },
	{ "7", 1,
	    "'7'" },
	{ "8", 1,
	    "'8'" },
	{ "9", 1,
	    "'9'" },
	{ ":", 1,
	    "':'" },
	{ ";", 1,
	    "';'" },
	{ "<", 1,
	    "'<'" },
	{ "=", 1,
	    "'='" },
	{ ">", 1,
	    "'>'" },
	{ "\077", 1,
	    "'\077'" },
	{ "@", 1,
	    "'@'" },
	{ "A", 1,
	    "'A'" },
	{ "B", 1,
	    "'B'" },
	{ "C", 1,
	    "'C'" },
	{ "D", 1,
	    "'D'" },
	{ "E", 1,
	    "'E'" },
	{ "F", 1,
	    "'F'" },
	{ "G", 1,
	    "'G'" },
	{ "H", 1,
	    "'H'" },
	{ "I", 1,
	    "'I'" },
	{ "J", 1,
	    "'J'" },
	{ "K", 1,
	    "'K'" },
	{ "L", 1,
	    "'L'" },
	{ "M", 1,
	    "'M'" },
	{ "N", 1,
	    "'N'" },
	{ "O", 1,
	    "'O'" },
	{ "P", 1,
	    "'P'" },
	{ "Q", 1,
	    "'Q'" },
	{ "R", 1,
	    "'R'" },
	{ "S", 1,
	    "'S'" },
	{ "T", 1,
	    "'T'" },
	{ "U", 1,
	    "'U'" },
	{ "V", 1,
	    "'V'" },
	{ "W", 1,
	    "'W'" },
	{ "X", 1,
	    "'X'" },
	{ "Y", 1,
	    "'Y'" },
	{ "Z", 1,
	    "'Z'" },
	{ "[", 1,
	    "'['" },
	{ "\\", 1,
	    "'\\\\'" },
	{ "]", 1,
	    "']'" },
	{ "^", 1,
	    "'^'" },
	{ "_", 1,
	    "'_'" },
	{ "`", 1,
	    "'`'" },
	{ "a", 1,
	    "'a'" },
	{ "b", 1,
	    "'b'" },
	{ "c", 1,
	    "'c'" },
	{ "d", 1,
	    "'d'" },
	{ "e", 1,
	    "'e'" },
	{ "f", 1,
	    "'f'" },
	{ "g", 1,
	    "'g'" },
	{ "h", 1,
	    "'h'" },
	{ "i", 1,
	    "'i'" },
	{ "j", 1,
	    "'j'" },
	{ "k", 1,
	    "'k'" },
	{ "l", 1,
	    "'l'" },
	{ "m", 1,
	    "'m'" },
	{ "n", 1,
	    "'n'" },
	{ "o", 1,
	    "'o'" },
	{ "p", 1,
	    "'p'" },
	{ "q", 1,
	    "'q'" },
	{ "r", 1,
	    "'r'" },
	{ "s", 1,
	    "'s'" },
	{ "t", 1,
	    "'t'" },
	{ "u", 1,
	    "'u'" },
	{ "v", 1,
	    "'v'" },
	{ "w", 1,
	    "'w'" },
	{ "x", 1,
	    "'x'" },
	{ "y", 1,
	    "'y'" },
	{ "z", 1,
	    "'z'" },
	{ "{", 1,
	    "'{'" },
	{ "|", 1,
	    "'|'" },
	{ "}", 1,
	    "'}'" },
	{ "~", 1,
	    "'~'" },
	{ "\177", 1,
	    "'\\x7f'" },
	{ "\302\200", 2,
	    "'\\x80'" },
	{ "\302\201", 2,
	    "'\\x81'" },
	{ "\302\202", 2,
	    "'\\x82'" },
	{ "\302\203", 2,
	    "'\\x83'" },
	{ "\302\204", 2,
	    "'\\x84'" },
	{ "\302\205", 2,
	    "'\\x85'" },
	{ "\302\206", 2,
	    "'\\x86'" },
	{ "\302\207", 2,
	    "'\\x87'" },
	{ "\302\210", 2,
	    "'\\x88'" },
	{ "\302\211", 2,
	    "'\\x89'" },
	{ "\302\212", 2,
	    "'\\x8a'" },
	{ "\302\213", 2,
	    "'\\x8b'" },
	{ "\302\214", 2,
	    "'\\x8c'" },
	{ "\302\215", 2,
	    "'\\x8d'" },
	{ "\302\216", 2,
	    "'\\x8e'" },
	{ "\302\217", 2,
	    "'\\x8f'" },
	{ "\302\220", 2,
	    "'\\x90'" },
	{ "\302\221", 2,
	    "'\\x91'" },
	{ "\302\222", 2,
	    "'\\x92'" },
	{ "\302\223", 2,
	    "'\\x93'" },
	{ "\302\224", 2,
	    "'\\x94'" },
	{ "\302\225", 2,
	    "'\\x95'" },
	{ "\302\226", 2,
	    "'\\x96'" },
	{ "\302\227", 2,
	    "'\\x97'" },
	{ "\302\230", 2,
	    "'\\x98'" },
	{ "\302\231", 2,
	    "'\\x99'" },
	{ "\302\232", 2,
	    "'\\x9a'" },
	{ "\302\233", 2,
	    "'\\x9b'" },
	{ "\302\234", 2,
	    "'\\x9c'" },
	{ "\302\235", 2,
	    "'\\x9d'" },
	{ "\302\236", 2,
	    "'\\x9e'" },
	{ "\302\237", 2,
	    "'\\x9f'" },
	{ "\302\240", 2,
	    "'\\xa0'" },
	{ "\302\241", 2,
	    "'\302\241'" },
	{ "\302\242", 2,
	    "'\302\242'" },
	{ "\302\243", 2,
	    "'\302\243'" },
	{ "\302\244", 2,
	    "'\302\244'" },
	{ "\302\245", 2,
	    "'\302\245'" },
	{ "\302\246", 2,
	    "'\302\246'" },
	{ "\302\247", 2,
	    "'\302\247'" },
	{ "\302\250", 2,
	    "'\302\250'" },
	{ "\302\251", 2,
	    "'\302\251'" },
	{ "\302\252", 2,
	    "'\302\252'" },
	{ "\302\253", 2,
	    "'\302\253'" },
	{ "\302\254", 2,
	    "'\302\254'" },
	{ "\302\255", 2,
	    "'\\xad'" },
	{ "\302\256", 2,
	    "'\302\256'" },
	{ "\302\257", 2,
	    "'\302\257'" },
	{ "\302\260", 2,
	    "'\302\260'" },
	{ "\302\261", 2,
	    "'\302\261'" },
	{ "\302\262", 2,
	    "'\302\262'" },
	{ "\302\263", 2,
	    "'\302\263'" },
	{ "\302\264", 2,
	    "'\302\264'" },
	{ "\302\265", 2,
	    "'\302\265'" },
	{ "\302\266", 2,
	    "'\302\266'" },
	{ "\302\267", 2,
	    "'\302\267'" },
	{ "\302\270", 2,
	    "'\302\270'" },
	{ "\302\271", 2,
	    "'\302\271'" },
	{ "\302\272", 2,
	    "'\302\272'" },
	{ "\302\273", 2,
	    "'\302\273'" },
	{ "\302\274", 2,
	    "'\302\274'" },
	{ "\302\275", 2,
	    "'\302\275'" },
	{ "\302\276", 2,
	    "'\302\276'" },
	{ "\302\277", 2,
	    "'\302\277'" },
	{ "\303\200", 2,
	    "'\303\200'" },
	{ "\303\201", 2,
	    "'\303\201'" },
	{ "\303\202", 2,
	    "'\303\202'" },
	{ "\303\203", 2,
	    "'\303\203'" },
	{ "\303\204", 2,
	    "'\303\204'" },
	{ "\303\205", 2,
	    "'\303\205'" },
	{ "\303\206", 2,
	    "'\303\206'" },
	{ "\303\207", 2,
	    "'\303\207'" },
	{ "\303\210", 2,
	    "'\303\210'" },
	{ "\303\211", 2,
	    "'\303\211'" },
	{ "\303\212", 2,
	    "'\303\212'" },
	{ "\303\213", 2,
	    "'\303\213'" },
	{ "\303\214", 2,
	    "'\303\214'" },
	{ "\303\215", 2,
	    "'\303\215'" },
	{ "\303\216", 2,
	    "'\303\216'" },
	{ "\303\217", 2,
	    "'\303\217'" },
	{ "\303\220", 2,
	    "'\303\220'" },
	{ "\303\221", 2,
	    "'\303\221'" },
	{ "\303\222", 2,
	    "'\303\222'" },
	{ "\303\223", 2,
	    "'\303\223'" },
	{ "\303\224", 2,
	    "'\303\224'" },
	{ "\303\225", 2,
	    "'\303\225'" },
	{ "\303\226", 2,
	    "'\303\226'" },
	{ "\303\227", 2,
	    "'\303\227'" },
	{ "\303\230", 2,
	    "'\303\230'" },
	{ "\303\231", 2,
	    "'\303\231'" },
	{ "\303\232", 2,
	    "'\303\232'" },
	{ "\303\233", 2,
	    "'\303\233'" },
	{ "\303\234", 2,
	    "'\303\234'" },
	{ "\303\235", 2,
	    "'\303\235'" },
	{ "\303\236", 2,
	    "'\303\236'" },
	{ "\303\237", 2,
	    "'\303\237'" },
	{ "\303\240", 2,
	    "'\303\240'" },
	{ "\303\241", 2,
	    "'\303\241'" },
	{ "\303\242", 2,
	    "'\303\242'" },
	{ "\303\243", 2,
	    "'\303\243'" },
	{ "\303\244", 2,
	    "'\303\244'" },
	{ "\303\245", 2,
	    "'\303\245'" },
	{ "\303\246", 2,
	    "'\303\246'" },
	{ "\303\247", 2,
	    "'\303\247'" },
	{ "\303\250", 2,
	    "'\303\250'" },
	{ "\303\251", 2,
	    "'\303\251'" },
	{ "\303\252", 2,
	    "'\303\252'" },
	{ "\303\253", 2,
	    "'\303\253'" },
	{ "\303\254", 2,
	    "'\303\254'" },
	{ "\303\255", 2,
	    "'\303\255'" },
	{ "\303\256", 2,
	    "'\303\256'" },
	{ "\303\257", 2,
	    "'\303\257'" },
	{ "\303\260", 2,
	    "'\303\260'" },
	{ "\303\261", 2,
	    "'\303\261'" },
	{ "\303\262", 2,
	    "'\303\262'" },
	{ "\303\263", 2,
	    "'\303\263'" },
	{ "\303\264", 2,
	    "'\303\264'" },
	{ "\303\265", 2,
	    "'\303\265'" },
	{ "\303\266", 2,
	    "'\303\266'" },
	{ "\303\267", 2,
	    "'\303\267'" },
	{ "\303\270", 2,
	    "'\303\270'" },
	{ "\303\271", 2,
	    "'\303\271'" },
	{ "\303\272", 2,
	    "'\303\272'" },
	{ "\303\273", 2,
	    "'\303\273'" },
	{ "\303\274", 2,
	    "'\303\274'" },
	{ "\303\275", 2,
	    "'\303\275'" },
	{ "\303\276", 2,
	    "'\303\276'" },
	{ "\303\277", 2,
	    "'\303\277'" },
	{ "\315\270", 2,
	    "'\\u0378'" },
	{ "\314\200", 2,
	    "'\314\200'" },
	{ "\344\270\255", 3,
	    "'\344\270\255'" },
	{ "\343\200\200", 3,
	    "'\\u3000'" },
	{ "\342\200\200", 3,
	    "'\\u2000'" },
	{ "\342\200\212", 3,
	    "'\\u200a'" },
	{ "\341\232\200", 3,
	    "'\\u1680'" },
	{ "\330\234", 2,
	    "'\\u061c'" },
	{ "\342\200\213", 3,
	    "'\\u200b'" },
	{ "\342\200\214", 3,
	    "'\\u200c'" },
	{ "\342\200\215", 3,
	    "'\\u200d'" },
	{ "\342\200\216", 3,
	    "'\\u200e'" },
	{ "\342\200\217", 3,
	    "'\\u200f'" },
	{ "\342\200\250", 3,
	    "'\\u2028'" },
	{ "\342\200\251", 3,
	    "'\\u2029'" },
	{ "\342\200\252", 3,
	    "'\\u202a'" },
	{ "\342\200\253", 3,
	    "'\\u202b'" },
	{ "\342\200\254", 3,
	    "'\\u202c'" },
	{ "\342\200\255", 3,
	    "'\\u202d'" },
	{ "\342\200\256", 3,
	    "'\\u202e'" },
	{ "\342\200\257", 3,
	    "'\\u202f'" },
	{ "\342\201\237", 3,
	    "'\\u205f'" },
	{ "\342\201\240", 3,
	    "'\\u2060'" },
	{ "\342\201\241", 3,
	    "'\\u2061'" },
	{ "\342\201\242", 3,
	    "'\\u2062'" },
	{ "\342\201\243", 3,
	    "'\\u2063'" },
	{ "\342\201\244", 3,
	    "'\\u2064'" },
	{ "\342\201\245", 3,
	    "'\\u2065'" },
	{ "\342\201\246", 3,
	    "'\\u2066'" },
	{ "\342\201\247", 3,
	    "'\\u2067'" },
	{ "\342\201\250", 3,
	    "'\\u2068'" },
	{ "\342\201\251", 3,
	    "'\\u2069'" },
	{ "\357\273\277", 3,
	    "'\\ufeff'" },
	{ "\356\200\200", 3,
	    "'\\ue000'" },
	{ "\357\243\277", 3,
	    "'\\uf8ff'" },
	{ "\357\277\275", 3,
	    "'\357\277\275'" },
	{ "\357\277\276", 3,
	    "'\\ufffe'" },
	{ "\357\277\277", 3,
	    "'\\uffff'" },
	{ "\360\220\200\200", 4,
	    "'\360\220\200\200'" },
	{ "\360\237\230\200", 4,
	    "'\360\237\230\200'" },
	{ "\360\237\207\246", 4,
	    "'\360\237\207\246'" },
	{ "\363\240\200\201", 4,
	    "'\\U000e0001'" },
	{ "\363\240\204\200", 4,
	    "'\363\240\204\200'" },
	{ "\363\260\200\200", 4,
	    "'\\U000f0000'" },
	{ "\364\217\277\275", 4,
	    "'\\U0010fffd'" },
	{ "\364\217\277\277", 4,
	    "'\\U0010ffff'" },
	{ "", 0,
	    "''" },
	{ "'", 1,
	    "\"'\"" },
	{ "\"", 1,
	    "'\"'" },
	{ "'\"", 2,
	    "'\\'\"'" },
	{ "a'b", 3,
	    "\"a'b\"" },
	{ "a\"b", 3,
	    "'a\"b'" },
	{ "it's \"x\"", 8,
	    "'it\\'s \"x\"'" },
	{ "\\'", 2,
	    "\"\\\\'\"" },
	{ "caf\303\251", 5,
	    "'caf\303\251'" },
	{ "na\314\210ive", 7,
	    "'na\314\210ive'" },
	{ "\346\227\245\346\234\254\350\252\236 \342\200\256evil\342\200"
	    "\254", 20,
	    "'\346\227\245\346\234\254\350\252\236 \\u202eevil\\u202c'" },
	{ "tab\011here\015\012", 10,
	    "'tab\\there\\r\\n'" },
	{ "x\302\205y\302\240z\302\255w", 10,
	    "'x\\x85y\\xa0z\\xadw'" },
	{ "\360\237\230\200\360\237\230\200", 8,
	    "'\360\237\230\200\360\237\230\200'" },
	{ "l'\303\251t\303\251 \"chaud\"", 15,
	    "'l\\'\303\251t\303\251 \"chaud\"'" },
};

static const struct repr_case str_bad_cases[] = {
	{ "\377", 1,
	    "'\\xff'" },
	{ "\200", 1,
	    "'\\x80'" },
	{ "\303", 1,
	    "'\\xc3'" },
	{ "a\303", 2,
	    "'a\\xc3'" },
	{ "\342\200", 2,
	    "'\\xe2\\x80'" },
	{ "\300\257", 2,
	    "'\\xc0\\xaf'" },
	{ "\355\240\200", 3,
	    "'\\xed\\xa0\\x80'" },
	{ "\364\220\200\200", 4,
	    "'\\xf4\\x90\\x80\\x80'" },
	{ "\370\210\200\200\200", 5,
	    "'\\xf8\\x88\\x80\\x80\\x80'" },
	{ "ok\376\377ok", 6,
	    "'ok\\xfe\\xffok'" },
};

static const struct layout_case layout_cases[] = {
	{ "(s2:OK[b40:Nothing Accomplished. d25if65hy903weo.87])",
	    "('OK', [b'Nothing Accomplished. d25if65hy903weo.87'])\012" },
	{ "(s2:OK[b28:(\\HasNoChildren) \"/\" \"INBOX\"b27:(\\HasNoChildren"
	    ") \"/\" \"Sent\"b28:(\\HasNoChildren) \"/\" \"Trash\"])",
	    "('OK',\012 [b'(\\\\HasNoChildren) \"/\" \"INBOX\"',\012  b'(\\\\"
	    "HasNoChildren) \"/\" \"Sent\"',\012  b'(\\\\HasNoChildren) \"/\""
	    " \"Trash\"'])\012" },
	{ "(s2:OK[(b57:1 (UID 1 FLAGS (\\Seen) BODY[HEADER.FIELDS (SUBJECT)"
	    "] {20}b21:Subject: hi there\015\012\015\012)b1:)])",
	    "('OK',\012 [(b'1 (UID 1 FLAGS (\\\\Seen) BODY[HEADER.FIELDS (SUB"
	    "JECT)] {20}',\012   b'Subject: hi there\\r\\n\\r\\n'),\012  b')'"
	    "])\012" },
	{ "(s2:OK[(s76:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxx)])",
	    "('OK',\012 [('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxx',)])\012" },
	{ "(s2:OK[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[b1:xNi1;]]]]]]]]"
	    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]])",
	    "('OK',\012 [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[b'x',\012  "
	    "                                         None,\012              "
	    "                             1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
	    "]]]]]]]])\012" },
	{ "(s3:BYE[b60:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxb60:yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
	    "yyyyyyyy(b1:z)])",
	    "('BYE',\012 [b'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxx',\012  b'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
	    "yyyyyyyyyyyyyyyyy',\012  (b'z',)])\012" },
	{ "(s2:OK[NTFi-12345678901234;s3:str()])",
	    "('OK', [None, True, False, -12345678901234, 'str', ()])\012" },
};

static void
check(int ok, const char *fmt, ...)
{
	va_list	 ap;

	ntests++;
	if (!ok)
		nfailed++;
	printf("%sok %d - ", ok ? "" : "not ", ntests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static void
skip(const char *what, const char *why)
{
	ntests++;
	printf("ok %d - %s # SKIP %s\n", ntests, what, why);
}

/* A diagnostic line showing s (escaped, cut at 300 bytes). */
static void
diag_text(const char *label, const char *s, size_t len)
{
	struct buf	 b;

	buf_init(&b, 0);
	py_bytes_repr(&b, s, len < 300 ? len : 300);
	printf("#   %s: %s%s (%zu bytes)\n", label, b.data,
	    len > 300 ? "..." : "", len);
	buf_free(&b);
}

static int
check_text(const char *got, size_t gotlen, const char *want, size_t wantlen,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*desc;
	size_t	 i;
	int	 ok;

	ok = gotlen == wantlen && memcmp(got, want, gotlen) == 0;
	va_start(ap, fmt);
	xvasprintf(&desc, fmt, ap);
	va_end(ap);
	check(ok, "%s", desc);
	free(desc);
	if (!ok) {
		for (i = 0; i < gotlen && i < wantlen && got[i] == want[i]; i++)
			;
		printf("#   first difference at byte %zu\n", i);
		i = i > 100 ? i - 100 : 0;
		diag_text("want", want + i, wantlen - i);
		diag_text("got ", got + i, gotlen > i ? gotlen - i : 0);
	}
	return (ok);
}

/*
 * The value format test-print-eval.py writes: N T F, i<int>; and
 * b<len>:<bytes> (B: the same, spooled), s<len>:<utf-8>, (...) and [...].
 */
static struct pyval *
parse_value(const char **pp, const char *end)
{
	struct pyval	*v, *item;
	struct spool	*sp;
	const char	*p = *pp;
	char		*ep;
	unsigned long	 len;
	long long	 i;
	char		 c, close;

	if (p >= end)
		return (NULL);
	switch ((c = *p++)) {
	case 'N':
		v = pv_none();
		break;
	case 'T':
	case 'F':
		v = pv_bool(c == 'T');
		break;
	case 'i':
		errno = 0;
		i = strtoll(p, &ep, 10);
		if (errno != 0 || ep >= end || *ep != ';')
			return (NULL);
		p = ep + 1;
		v = pv_int(i);
		break;
	case 'b':
	case 'B':
	case 's':
		len = strtoul(p, &ep, 10);
		if (ep >= end || *ep != ':' || len > (size_t)(end - ep - 1))
			return (NULL);
		p = ep + 1;
		if (c == 's')
			v = pv_strn(p, len);
		else if (c == 'b')
			v = pv_bytes(p, len);
		else {
			/* A range, with quotes around it to be ignored. */
			sp = spool_of("'\"junk", 6, 6);
			spool_write(sp, p, len, NULL);
			spool_write(sp, "\"'junk", 6, NULL);
			v = pv_bytes_spool_range(sp, 6, len);
			spool_unref(sp);
		}
		p += len;
		break;
	case '(':
	case '[':
		v = c == '(' ? pv_tuple() : pv_list();
		close = c == '(' ? ')' : ']';
		while (p < end && *p != close) {
			if ((item = parse_value(&p, end)) == NULL) {
				pv_free(v);
				return (NULL);
			}
			pv_append(v, item);
		}
		if (p >= end) {
			pv_free(v);
			return (NULL);
		}
		p++;
		break;
	default:
		return (NULL);
	}
	*pp = p;
	return (v);
}

static char *
read_file(const char *path, size_t *lenp)
{
	struct buf	 b;
	char		 tmp[65536];
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY)) == -1) {
		*lenp = 0;
		return (xstrdup(""));
	}
	buf_init(&b, SIZE_MAX / 2);
	while ((n = read(fd, tmp, sizeof tmp)) > 0)
		buf_add(&b, tmp, (size_t)n);
	close(fd);
	return (buf_steal(&b, lenp));
}

/* py_print() into a file, and the file back. */
static char *
print_to_string(const struct pyval *v, size_t *lenp)
{
	struct out	*o;
	char		*path;
	char		*s;
	int		 fd;

	xasprintf(&path, "%s/print.tmp", tmpdir);
	if ((fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600)) == -1) {
		perror(path);
		exit(1);
	}
	o = xmalloc(sizeof *o);
	out_init(o, fd);
	py_print(o, v);
	out_flush(o);
	close(fd);
	free(o);
	s = read_file(path, lenp);
	unlink(path);
	free(path);
	return (s);
}

/* A field of /proc/self/status in kB, or -1. */
static long
proc_status_kb(const char *field)
{
	FILE	*f;
	char	 line[256];
	size_t	 flen = strlen(field);
	long	 kb = -1;

	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return (-1);
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, field, flen) == 0) {
			kb = strtol(line + flen, NULL, 10);
			break;
		}
	}
	fclose(f);
	return (kb);
}

/* A spool holding data, written in pieces of chunk bytes. */
static struct spool *
spool_of(const char *data, size_t len, size_t chunk)
{
	struct spool	*sp;
	char		*cause = NULL;
	size_t		 off, n;

	if ((sp = spool_new(&cause)) == NULL) {
		fprintf(stderr, "%s\n", cause);
		exit(1);
	}
	for (off = 0; off < len; off += n) {
		n = len - off < chunk ? len - off : chunk;
		if (spool_write(sp, data + off, n, &cause) == -1) {
			fprintf(stderr, "%s\n", cause);
			exit(1);
		}
	}
	return (sp);
}

static struct pyval *
bytes_cstr(const char *s)
{
	return (pv_bytes(s, strlen(s)));
}

/* A tuple or list of n items (taken over). */
static struct pyval *
mk(enum pyval_type type, size_t n, ...)
{
	struct pyval	*v;
	va_list		 ap;

	v = type == PV_TUPLE ? pv_tuple() : pv_list();
	va_start(ap, n);
	while (n-- > 0)
		pv_append(v, va_arg(ap, struct pyval *));
	va_end(ap);
	return (v);
}

/* v inside depth lists. */
static struct pyval *
nest(int depth, struct pyval *v)
{
	while (depth-- > 0)
		v = mk(PV_LIST, 1, v);
	return (v);
}

/* The message of the "fetch" cases, as test-print-eval.py's MSG. */
static char *
msg_bytes(size_t *lenp)
{
	static const char msg[] =
	    "Return-Path: <alice@example.org>\r\n"
	    "Delivered-To: bob@example.org\r\n"
	    "Received: from mx.example.org by imap.example.org with LMTP\r\n"
	    "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n"
	    "From: \"Alice O'Hara\" <alice@example.org>\r\n"
	    "To: bob@example.org\r\n"
	    "Subject: =?utf-8?q?caf=C3=A9?= \033[31mred\033[0m\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "\r\n"
	    "Hello Bob,\r\n"
	    "caf\303\251 \\ tab\there \342\200\256 evil\r\n"
	    "-- \r\n"
	    "Alice\r\n";

	*lenp = sizeof msg - 1;
	return (xmemdup(msg, sizeof msg));
}

/* About 3 MB: test-print-eval.py's big_literal(), byte for byte. */
static char *
big_literal(size_t *lenp)
{
	struct buf	 b;
	int		 i, k;

	buf_init(&b, 0);
	for (i = 0; i < 52000; i++) {
		if (i % 1000 == 999) {
			for (k = 0; k < 3000 + i % 7; k++)
				buf_addc(&b, 'X');
		} else if (i % 777 == 0) {
			for (k = 0; k < 1000 - 1; k++)
				buf_addc(&b, 'Y');
		} else {
			buf_printf(&b, "Line %d: ", i);
			for (k = 0; k < i % 97; k++)
				buf_addc(&b, (char)((i * 7 + k) % 256));
		}
		buf_add(&b, "\r\n", 2);
	}
	return (buf_steal(&b, lenp));
}

static struct pyval *
build_fetch(void)
{
	struct pyval	*v;
	char		*msg, *head;
	size_t		 len;

	msg = msg_bytes(&len);
	xasprintf(&head, "1 (RFC822 {%zu}", len);
	v = mk(PV_TUPLE, 2, pv_str("OK"), mk(PV_LIST, 2,
	    mk(PV_TUPLE, 2, bytes_cstr(head), pv_bytes_take(msg, len)),
	    bytes_cstr(")")));
	free(head);
	return (v);
}

static struct pyval *
build_fetch_spool_3mb(void)
{
	struct pyval	*v, *lit;
	struct spool	*sp;
	char		*big, *head;
	size_t		 len;

	big = big_literal(&len);
	sp = spool_of(big, len, 7777);
	free(big);
	lit = pv_bytes_spool(sp);
	spool_unref(sp);
	xasprintf(&head, "7 (UID 42 BODY[] {%zu}", len);
	v = mk(PV_TUPLE, 2, pv_str("OK"), mk(PV_LIST, 2,
	    mk(PV_TUPLE, 2, bytes_cstr(head), lit),
	    bytes_cstr(" FLAGS (\\Seen))")));
	free(head);
	return (v);
}

static struct pyval *
build_fetch_two_literals(void)
{
	struct pyval	*v;
	char		*msg, *h1, *h2;
	size_t		 len;

	msg = msg_bytes(&len);
	xasprintf(&h1, "1 (BODY[HEADER] {%d}", 300);
	xasprintf(&h2, " BODY[TEXT] {%zu}", len - 300);
	v = mk(PV_TUPLE, 2, pv_str("OK"), mk(PV_LIST, 5,
	    mk(PV_TUPLE, 2, bytes_cstr(h1), pv_bytes(msg, 300)),
	    mk(PV_TUPLE, 2, bytes_cstr(h2), pv_bytes(msg + 300, len - 300)),
	    bytes_cstr(")"),
	    mk(PV_TUPLE, 2, bytes_cstr("2 (RFC822 {0}"), pv_bytes("", 0)),
	    bytes_cstr(")")));
	free(msg);
	free(h1);
	free(h2);
	return (v);
}

static struct pyval *
build_list(void)
{
	struct pyval	*l;
	char		*s;
	int		 i;

	l = pv_list();
	for (i = 0; i < 40; i++) {
		xasprintf(&s, "(\\HasNoChildren) \"/\" \"Folder %d\"", i);
		pv_append(l, bytes_cstr(s));
		free(s);
	}
	pv_append(l, bytes_cstr("(\\HasChildren \\Noselect) \"/\" Archive"));
	pv_append(l, bytes_cstr("() \"/\" \"&AMk-t&AOk-\""));
	pv_append(l, bytes_cstr("(\\HasNoChildren) \"/\" \"it's\""));
	return (mk(PV_TUPLE, 2, pv_str("OK"), l));
}

static struct pyval *
build_search_long(void)
{
	struct buf	 b;
	char		*s;
	size_t		 len;
	int		 i;

	buf_init(&b, 0);
	for (i = 1; i <= 3000; i++)
		buf_printf(&b, "%s%d", i > 1 ? " " : "", i);
	s = buf_steal(&b, &len);
	return (mk(PV_TUPLE, 2, pv_str("OK"),
	    mk(PV_LIST, 1, pv_bytes_take(s, len))));
}

static struct pyval *
build_one_tuples(void)
{
	return (mk(PV_TUPLE, 2, pv_str("OK"), mk(PV_LIST, 4,
	    mk(PV_TUPLE, 1, bytes_cstr("x")),
	    mk(PV_TUPLE, 1, pv_none()),
	    mk(PV_TUPLE, 1, mk(PV_TUPLE, 2, bytes_cstr("a"), bytes_cstr("b"))),
	    pv_tuple())));
}

static struct pyval *
build_one_tuple_edge(void)
{
	char	 s[70];

	memcpy(s, "a\n", 2);
	memset(s + 2, 'x', 68);
	return (mk(PV_TUPLE, 2, pv_str("OK"), mk(PV_LIST, 1,
	    mk(PV_TUPLE, 1, pv_bytes(s, sizeof s)))));
}

static struct pyval *
build_empty_list(void)
{
	return (mk(PV_TUPLE, 2, pv_str("OK"), pv_list()));
}

static struct pyval *
build_none_data(void)
{
	return (mk(PV_TUPLE, 2, pv_str("OK"), mk(PV_LIST, 1, pv_none())));
}

static struct pyval *
build_no(void)
{
	return (mk(PV_TUPLE, 2, pv_str("NO"), mk(PV_LIST, 1,
	    bytes_cstr("[TRYCREATE] Mailbox doesn't exist: \"Foo\""))));
}

static struct pyval *
build_scalars(void)
{
	return (mk(PV_TUPLE, 7, pv_bool(1), pv_bool(0), pv_none(), pv_int(0),
	    pv_int(-1), pv_int(4611686018427387904LL),
	    pv_int(-9223372036854775807LL - 1)));
}

static struct pyval *
build_quotes(void)
{
	return (mk(PV_TUPLE, 2, pv_str("OK"), mk(PV_LIST, 9,
	    bytes_cstr("it's"), bytes_cstr("say \"hi\""),
	    bytes_cstr("both ' and \""),
	    pv_str("str's"), pv_str("say \"hi\""), pv_str("both ' and \""),
	    pv_str("\343\203\246\343\203\213\343\202\263\343\203\274\343\203\211"
	    " \342\200\256 x \302\205"),
	    bytes_cstr("\\"), pv_str("\\"))));
}

static struct pyval *
build_width_edge(void)
{
	struct buf	 b;
	struct pyval	*l;
	int		 i;

	l = pv_list();
	buf_init(&b, 0);
#define REP(s, n) do {						\
	buf_reset(&b);						\
	for (i = 0; i < (n); i++)				\
		buf_addstr(&b, (s));				\
} while (0)
	REP("a", 74);
	pv_append(l, pv_bytes(b.data, b.len));
	REP("b", 71);
	pv_append(l, pv_bytes(b.data, b.len));
	REP("'", 37);
	pv_append(l, pv_strn(b.data, b.len));
	REP("\"", 75);
	pv_append(l, pv_strn(b.data, b.len));
	REP("e", 75);
	pv_append(l, pv_strn(b.data, b.len));
	REP("e", 76);
	pv_append(l, pv_strn(b.data, b.len));
	REP("\303\251", 75);
	pv_append(l, pv_strn(b.data, b.len));
	REP("\343\200\200", 12);
	pv_append(l, pv_strn(b.data, b.len));
	REP("f", 74);
	pv_append(l, mk(PV_TUPLE, 1, pv_strn(b.data, b.len)));
	REP("g", 75);
	pv_append(l, mk(PV_TUPLE, 1, pv_strn(b.data, b.len)));
#undef REP
	buf_free(&b);
	return (mk(PV_TUPLE, 2, pv_str("OK"), l));
}

static struct pyval *
build_deep(void)
{
	return (nest(100, mk(PV_TUPLE, 7, bytes_cstr("x"), bytes_cstr("a\nb"),
	    pv_str("abc"), pv_int(1), pv_none(), pv_list(), pv_tuple())));
}

static struct pyval *
build_deep_long(void)
{
	struct buf	 b;
	char		*s;
	size_t		 len;
	int		 i;

	buf_init(&b, 0);
	for (i = 0; i < 5; i++)
		buf_addstr(&b, "line one\r\nline two\r\n");
	s = buf_steal(&b, &len);
	return (nest(30, pv_bytes_take(s, len)));
}

static struct pyval *
build_top_bytes(void)
{
	struct pyval	*v;
	struct buf	 b;
	int		 i;

	buf_init(&b, 0);
	for (i = 0; i < 20; i++)
		buf_addstr(&b, "header: value\r\n");
	v = pv_bytes(b.data, b.len);
	buf_free(&b);
	return (v);
}

static struct pyval *
build_top_bytes_one_piece(void)
{
	char	 s[200];

	memset(s, 'z', sizeof s);
	return (pv_bytes(s, sizeof s));
}

static struct pyval *
build_top_str(void)
{
	struct pyval	*v;
	struct buf	 b;
	int		 i;

	buf_init(&b, 0);
	for (i = 0; i < 5; i++)
		buf_addstr(&b, "first line\nsecond line\n");
	v = pv_strn(b.data, b.len);
	buf_free(&b);
	return (v);
}

static struct pyval *
build_top_str_one_piece(void)
{
	char	 s[200];

	memset(s, 'w', sizeof s);
	return (pv_strn(s, sizeof s));
}

static struct pyval *
build_long_str_utf8(void)
{
	static const char	*chars[] = { "\360\237\230\200", "\342\202\254",
				    "\303\251" };
	struct pyval		*l;
	struct buf		 b;
	size_t			 c;
	int			 i, k;

	l = pv_list();
	buf_init(&b, 0);
	for (c = 0; c < nitems(chars); c++) {
		for (k = 0; k < 4; k++) {
			buf_reset(&b);
			for (i = 0; i < k; i++)
				buf_addc(&b, 'x');
			for (i = 0; i < 600; i++)
				buf_addstr(&b, chars[c]);
			buf_addstr(&b, "\nx");
			pv_append(l, pv_strn(b.data, b.len));
		}
	}
	buf_free(&b);
	return (mk(PV_TUPLE, 2, pv_str("OK"), l));
}

static struct pyval *
build_many_short(void)
{
	struct pyval	*l;
	char		 s[16];
	int		 i;

	l = pv_list();
	for (i = 0; i < 200; i++) {
		snprintf(s, sizeof s, "%d", i);
		pv_append(l, bytes_cstr(s));
	}
	return (mk(PV_TUPLE, 2, pv_str("OK"), l));
}

/*
 * A 50 MB spooled literal printed to a file: the peak RSS must not grow by
 * more than 5 MB, and the file must hold exactly what the layout says.
 */
static void
test_memory(void)
{
	struct pyval	*v, *lit;
	struct spool	*sp;
	struct out	*o;
	struct timespec	 t0, t1;
	struct stat	 st;
	struct buf	 chunk, r;
	char		*path, *head;
	const char	*p, *nl, *end;
	uint64_t	 want, per_chunk = 0;
	const uint64_t	 nchunks = 800;
	long		 rss0, hwm1;
	int		 fd, i;

	/* 64 KB of whole CRLF lines, escapes and quotes included. */
	buf_init(&chunk, 0);
	for (i = 0; chunk.len < 65536 - 200; i++)
		buf_printf(&chunk, "Line %05d: it's \"quoted\" \\ tab\t"
		    "\001\033\177\200\377 caf\303\251 %.*s\r\n", i, i % 90,
		    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
	while (chunk.len < 65536 - 2)
		buf_addc(&chunk, '.');
	buf_add(&chunk, "\r\n", 2);

	/* What each chunk prints as: its lines at indent 3. */
	buf_init(&r, 0);
	end = chunk.data + chunk.len;
	for (p = chunk.data; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		buf_reset(&r);
		py_bytes_repr(&r, p, (size_t)(nl + 1 - p));
		per_chunk += 3 + r.len + 1;
	}
	buf_free(&r);

	sp = spool_of("", 0, 1);
	for (i = 0; i < (int)nchunks; i++)
		spool_write(sp, chunk.data, chunk.len, NULL);
	lit = pv_bytes_spool(sp);
	spool_unref(sp);
	xasprintf(&head, "1 (BODY[] {%llu}",
	    (unsigned long long)(chunk.len * nchunks));
	v = mk(PV_TUPLE, 2, pv_str("OK"), mk(PV_LIST, 2,
	    mk(PV_TUPLE, 2, bytes_cstr(head), lit), bytes_cstr(")")));
	want = strlen("('OK',\n") + strlen(" [(b''") + strlen(head) +
	    strlen(",\n") + per_chunk * nchunks + strlen("),") +
	    strlen("  b')'])\n");

	xasprintf(&path, "%s/big.out", tmpdir);
	if ((fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600)) == -1) {
		perror(path);
		exit(1);
	}
	o = xmalloc(sizeof *o);
	out_init(o, fd);

	/* Reset the peak to the current RSS (Linux >= 4.0). */
	if ((i = open("/proc/self/clear_refs", O_WRONLY)) != -1) {
		ssize_t	 rc = write(i, "5", 1);

		(void)rc;
		close(i);
	}
	rss0 = proc_status_kb("VmRSS:");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	py_print(o, v);
	out_flush(o);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	hwm1 = proc_status_kb("VmHWM:");
	printf("# 50 MB literal printed in %.2f s; RSS %ld kB, peak %ld kB\n",
	    (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, rss0, hwm1);
	if (rss0 == -1 || hwm1 == -1)
		skip("50 MB spooled literal: RSS growth", "no /proc");
	else
		check(hwm1 - rss0 < 5 * 1024, "50 MB spooled literal: peak "
		    "RSS grew by %ld kB (< 5120)", hwm1 - rss0);
	if (fstat(fd, &st) == -1)
		st.st_size = 0;
	check(!o->failed && (uint64_t)st.st_size == want,
	    "50 MB spooled literal: printed %lld bytes (want %llu)",
	    (long long)st.st_size, (unsigned long long)want);

	close(fd);
	unlink(path);
	free(path);
	free(head);
	free(o);
	pv_free(v);
	buf_free(&chunk);
}

static void
test_repr_tables(void)
{
	struct buf	 b, d;
	size_t		 i;

	buf_init(&b, 0);
	buf_init(&d, 0);
	for (i = 0; i < nitems(bytes_cases); i++) {
		buf_reset(&b);
		py_bytes_repr(&b, bytes_cases[i].in, bytes_cases[i].len);
		check_text(b.data, b.len, bytes_cases[i].want,
		    strlen(bytes_cases[i].want), "bytes repr %s",
		    bytes_cases[i].want);
	}
	for (i = 0; i < nitems(str_cases); i++) {
		buf_reset(&b);
		py_str_repr(&b, str_cases[i].in, str_cases[i].len);
		buf_reset(&d);
		term_escape(&d, str_cases[i].want, strlen(str_cases[i].want));
		check_text(b.data, b.len, str_cases[i].want,
		    strlen(str_cases[i].want), "str repr %s", d.data);
	}
	for (i = 0; i < nitems(str_bad_cases); i++) {
		buf_reset(&b);
		py_str_repr(&b, str_bad_cases[i].in, str_bad_cases[i].len);
		check_text(b.data, b.len, str_bad_cases[i].want,
		    strlen(str_bad_cases[i].want), "str repr of invalid "
		    "UTF-8 %s", str_bad_cases[i].want);
	}
	buf_free(&b);
	buf_free(&d);
}

static void
test_py_repr(void)
{
	struct pyval	*v;
	struct spool	*sp;
	struct buf	 b, w;
	char		*big;
	size_t		 len, i, k;
	int		 c;

	buf_init(&b, 0);
	buf_init(&w, 0);

	v = mk(PV_TUPLE, 2, pv_str("OK"), mk(PV_LIST, 6, bytes_cstr("a"),
	    pv_none(), pv_bool(1), pv_bool(0), pv_int(-5), pv_str("x")));
	py_repr(&b, v);
	pv_free(v);
	check(strcmp(b.data, "('OK', [b'a', None, True, False, -5, 'x'])") ==
	    0, "py_repr of a result: %s", b.data);

	buf_reset(&b);
	v = mk(PV_TUPLE, 4, mk(PV_TUPLE, 1, bytes_cstr("x")), pv_tuple(),
	    pv_list(), mk(PV_LIST, 1, pv_tuple()));
	py_repr(&b, v);
	pv_free(v);
	check(strcmp(b.data, "((b'x',), (), [], [()])") == 0,
	    "py_repr of 1-tuples and empty containers: %s", b.data);

	/* A spool reads back as the same literal as memory. */
	big = big_literal(&len);
	sp = spool_of(big, len, 65536 + 17);
	v = pv_bytes_spool(sp);
	spool_unref(sp);
	buf_reset(&b);
	py_repr(&b, v);
	pv_free(v);
	py_bytes_repr(&w, big, len);
	free(big);
	check_text(b.data, b.len, w.data, w.len,
	    "py_repr of a 3 MB spool equals the in-memory repr");

	/* The quote choice sees a quote in any chunk. */
	for (k = 0; k < 3; k++) {
		buf_reset(&b);
		buf_reset(&w);
		big = xmalloc(200000);
		memset(big, 'a', 200000);
		if (k == 0 || k == 2)
			big[70000] = '\'';
		if (k == 2)
			big[150000] = '"';
		sp = spool_of(big, k == 1 ? 0 : 200000, 4096);
		v = pv_bytes_spool(sp);
		spool_unref(sp);
		py_repr(&b, v);
		pv_free(v);
		py_bytes_repr(&w, big, k == 1 ? 0 : 200000);
		free(big);
		check_text(b.data, b.len, w.data, w.len, "py_repr of a spool "
		    "with %s", k == 0 ? "' in its second chunk" : k == 1 ?
		    "nothing in it: b''" : "' and \" in different chunks");
	}

	/* Escapes across the staging buffer's edge. */
	buf_reset(&b);
	buf_reset(&w);
	big = xmalloc(5000 * 4);
	for (i = 0; i < 5000; i++)
		memcpy(big + i * 4, "\303\251\000'", 4);
	py_str_repr(&b, big, 5000 * 4);
	buf_addc(&w, '"');
	for (i = 0; i < 5000; i++)
		buf_add(&w, "\303\251\\x00'", 7);
	buf_addc(&w, '"');
	free(big);
	check_text(b.data, b.len, w.data, w.len,
	    "py_str_repr of 20000 bytes, escapes across buffer edges");

	/* All 256 byte values, 100 times: the single-byte table joined. */
	buf_reset(&b);
	buf_reset(&w);
	big = xmalloc(25600);
	for (i = 0; i < 25600; i++)
		big[i] = (char)(i % 256);
	py_bytes_repr(&b, big, 25600);
	buf_add(&w, "b'", 2);
	for (i = 0; i < 25600; i++) {
		c = (int)(i % 256);
		if (c == '\'')
			buf_add(&w, "\\'", 2);
		else
			buf_add(&w, bytes_cases[c].want + 2,
			    strlen(bytes_cases[c].want) - 3);
	}
	buf_addc(&w, '\'');
	check_text(b.data, b.len, w.data, w.len,
	    "py_bytes_repr of every byte value, 100 times over");

	/* At the cap, what is kept is a prefix. */
	buf_free(&b);
	buf_init(&b, 100);
	py_bytes_repr(&b, big, 25600);
	free(big);
	check(b.len == 100 && memcmp(b.data, w.data, b.len) == 0,
	    "py_bytes_repr fills the buf to its cap with a prefix");

	buf_free(&b);
	buf_free(&w);
}

static void
test_term_escape(void)
{
	struct buf	 b, d;
	const char	*want;
	size_t		 i;

	buf_init(&b, 0);
	buf_init(&d, 0);
	for (i = 0; i < nitems(term_cases); i++) {
		want = term_cases[i].want != NULL ? term_cases[i].want :
		    term_cases[i].in;
		buf_reset(&b);
		term_escape(&b, term_cases[i].in, strlen(term_cases[i].in));
		buf_reset(&d);
		py_bytes_repr(&d, term_cases[i].in, strlen(term_cases[i].in));
		check_text(b.data, b.len, want, strlen(want),
		    "term_escape %s", d.data);
	}
	buf_reset(&b);
	term_escape(&b, "a\0b", 3);
	check(strcmp(b.data, "a\\x00b") == 0, "term_escape of a NUL: %s",
	    b.data);
	buf_free(&b);
	buf_free(&d);
}

static void
test_layout_tables(void)
{
	struct pyval	*v;
	const char	*p;
	char		*s;
	size_t		 i, len;

	for (i = 0; i < nitems(layout_cases); i++) {
		p = layout_cases[i].in;
		if ((v = parse_value(&p, p + strlen(p))) == NULL) {
			check(0, "layout %zu: bad test value", i);
			continue;
		}
		s = print_to_string(v, &len);
		check_text(s, len, layout_cases[i].want,
		    strlen(layout_cases[i].want), "layout %zu is "
		    "pprint.pformat's (%.*s...)", i,
		    (int)strcspn(layout_cases[i].want, "\n"),
		    layout_cases[i].want);
		free(s);
		pv_free(v);
	}
}

/*
 * Spooled bytes are read in 64 KB chunks, memory bytes are not: both must
 * print the same, whatever falls on a chunk boundary.
 */
static void
test_spool_parity(void)
{
	struct pyval	*mv, *sv;
	struct spool	*sp;
	struct buf	 b;
	const char	*what;
	char		*m, *s;
	size_t		 mlen, slen, i;
	uint32_t	 x = 1;
	int		 k, top;

	buf_init(&b, 0);
	for (k = 0; k < N_PARITY; k++) {
		buf_reset(&b);
		top = 0;
		switch (k) {
		case 0:
			what = "a 200 KB line, then CRLF and a tail";
			for (i = 0; i < 200000; i++)
				buf_addc(&b, 'q');
			buf_addstr(&b, "\r\ntail");
			break;
		case 1:
			/* The first read ends with a 1000-byte piece's CR. */
			what = "CR at 65535, LF at 65536";
			for (i = 0; i < 65536 - 1000; i++)
				buf_addc(&b, i % 8 == 7 ? '\n' : 'r');
			for (i = 0; i < 999; i++)
				buf_addc(&b, 's');
			buf_addstr(&b, "\r\nafter\r\n");
			break;
		case 2:
			what = "999-, 1000- and 1001-byte lines";
			for (i = 0; b.len < 300000; i++) {
				for (x = 0; x < 999 + i % 3; x++)
					buf_addc(&b, (char)('a' + i % 26));
				buf_addstr(&b, i % 2 ? "\r\n" : "\n");
			}
			break;
		case 3:
			what = "65536 line feeds";
			for (i = 0; i < 65536; i++)
				buf_addc(&b, '\n');
			break;
		case 4:
			what = "150 KB of CR without LF";
			for (i = 0; i < 150000; i++)
				buf_addc(&b, i % 7 ? 'c' : '\r');
			break;
		case 5:
			what = "300 KB of pseudo-random binary";
			for (i = 0; i < 300000; i++) {
				x = x * 1103515245 + 12345;
				buf_addc(&b, (char)(x >> 16));
			}
			break;
		case 6:
			what = "a small spool that fits on the line";
			buf_addstr(&b, "it's short");
			break;
		default:
			what = "top-level spooled bytes";
			top = 1;
			for (i = 0; i < 70000; i++)
				buf_addstr(&b, i % 10 ? "z" : "z\r\n");
			break;
		}
		/* A range of a spool shared with other data, as imap.c does. */
		sp = spool_of("\n'\"prefix\r", 10, 3);
		spool_write(sp, b.data, b.len, NULL);
		spool_write(sp, "\n'\"suffix\r", 10, NULL);
		sv = pv_bytes_spool_range(sp, 10, b.len);
		spool_unref(sp);
		mv = pv_bytes(b.data, b.len);
		if (!top) {
			sv = mk(PV_TUPLE, 2, pv_str("OK"), mk(PV_LIST, 1,
			    mk(PV_TUPLE, 2, bytes_cstr("1 (RFC822 {n}"), sv)));
			mv = mk(PV_TUPLE, 2, pv_str("OK"), mk(PV_LIST, 1,
			    mk(PV_TUPLE, 2, bytes_cstr("1 (RFC822 {n}"), mv)));
		}
		s = print_to_string(sv, &slen);
		m = print_to_string(mv, &mlen);
		check_text(s, slen, m, mlen, "spooled (a range) and in-memory "
		    "print the same: %s", what);
		free(s);
		free(m);
		pv_free(sv);
		pv_free(mv);
	}
	buf_free(&b);
}

static void
test_pyval(void)
{
	struct pyval	*v, *c, *e;
	struct spool	*sp;
	struct stat	 st;
	struct buf	 b1, b2;
	char		*cause = NULL, *data, *back, *old;
	ssize_t		 n;
	size_t		 off, k;
	int		 ok, fl;

	sp = spool_of("hello", 5, 2);
	v = pv_bytes_spool(sp);
	ok = sp->refs == 2;
	c = pv_copy(v);
	ok = ok && sp->refs == 3 && c->spool == sp;
	pv_free(v);
	ok = ok && sp->refs == 2;
	pv_free(c);
	check(ok && sp->refs == 1, "pv_bytes_spool and pv_copy take "
	    "references of their own; pv_free drops them");

	check(pv_bytes_len(v = pv_bytes_spool(sp)) == 5 && pv_truthy(v),
	    "spooled bytes: length and truth");
	pv_free(v);
	v = pv_bytes_spool_range(sp, 1, 3);
	c = pv_copy(v);
	e = pv_bytes_spool_range(sp, 5, 0);
	buf_init(&b1, 0);
	py_repr(&b1, c);
	check(pv_bytes_len(c) == 3 && c->spool_off == 1 &&
	    strcmp(b1.data, "b'ell'") == 0 && !pv_truthy(e),
	    "a spool range: length, copy, repr %s, truth", b1.data);
	buf_free(&b1);
	pv_free(e);
	pv_free(c);
	pv_free(v);
	spool_unref(sp);

	e = pv_bytes_spool(sp = spool_of("", 0, 1));
	spool_unref(sp);
	v = mk(PV_LIST, 4, pv_bytes("", 0), pv_none(), pv_int(0), pv_list());
	c = mk(PV_LIST, 1, pv_none());
	check(!pv_truthy(e) && !pv_truthy(v->items[0]) &&
	    !pv_truthy(v->items[1]) && !pv_truthy(v->items[2]) &&
	    !pv_truthy(v->items[3]) && pv_truthy(c) && pv_truthy(v) &&
	    !pv_truthy(NULL), "pv_truthy follows Python");
	pv_free(e);
	pv_free(v);
	pv_free(c);

	/* Odd write sizes, odd read offsets. */
	data = xmalloc(1 << 20);
	for (off = 0; off < 1 << 20; off++)
		data[off] = (char)(off * 31 + (off >> 9));
	sp = spool_of(data, 1 << 20, 12345);
	back = xmalloc(1 << 20);
	ok = sp->size == 1 << 20;
	for (off = 0; off < 1 << 20 && ok; off += k) {
		k = 1 + (off * 7) % 70001;
		n = spool_read(sp, off, back + off, k);
		ok = n > 0 && (size_t)n == (k < (1 << 20) - off ? k :
		    (1 << 20) - off);
		if (ok)
			k = (size_t)n;
	}
	check(ok && memcmp(data, back, 1 << 20) == 0,
	    "spool_write / spool_read round trip of 1 MB");
	check(spool_read(sp, 1 << 20, back, 10) == 0 &&
	    spool_read(sp, (1 << 20) - 3, back, 10) == 3,
	    "spool_read stops at the end of the spool");
	ok = fcntl(sp->fd, F_GETFD) != -1 &&
	    (fcntl(sp->fd, F_GETFD) & FD_CLOEXEC);
	check(ok, "spool descriptor is close-on-exec");
	check(fstat(sp->fd, &st) == 0 && st.st_nlink == 0,
	    "spool file is unlinked");
	fl = fcntl(sp->fd, F_GETFL);
	check(fl != -1 && (fl & O_ACCMODE) == O_RDWR,
	    "spool is open for reading and writing");
	spool_unref(sp);
	free(data);
	free(back);

	old = getenv("TMPDIR") != NULL ? xstrdup(getenv("TMPDIR")) : NULL;
	setenv("TMPDIR", "/nonexistent/imapsh-test", 1);
	sp = spool_new(&cause);
	check(sp == NULL && cause != NULL &&
	    strstr(cause, "/nonexistent/imapsh-test") != NULL,
	    "spool_new in a missing TMPDIR fails with a cause: %s",
	    cause != NULL ? cause : "(none)");
	free(cause);
	if (old != NULL)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	free(old);
	if (sp != NULL)
		spool_unref(sp);

	/* pv_copy is deep: the copy outlives the original. */
	v = build_fetch_two_literals();
	c = pv_copy(v);
	buf_init(&b1, 0);
	buf_init(&b2, 0);
	py_repr(&b1, v);
	pv_free(v);
	py_repr(&b2, c);
	pv_free(c);
	check(b1.len == b2.len && memcmp(b1.data, b2.data, b1.len) == 0,
	    "pv_copy is a deep copy");
	buf_free(&b1);
	buf_free(&b2);

	data = xmemdup("ab\0cd", 5);
	v = pv_bytes_take(data, 5);
	check(v->len == 5 && memcmp(v->s, "ab\0cd", 5) == 0 &&
	    v->s[5] == '\0', "pv_bytes_take keeps the data, NUL-terminated");
	pv_free(v);

	v = pv_strn("a\0b", 3);
	c = pv_str("caf\303\251");
	check(v->len == 3 && v->s[3] == '\0' && c->len == 5 &&
	    v->type == PV_STR && pv_bytes_len(c) == 5, "pv_str, pv_strn");
	pv_free(v);
	pv_free(c);
}

static void
test_output(void)
{
	struct out	*o;
	struct buf	 want;
	char		*path, *got, *big;
	size_t		 len, i;
	int		 fd, p[2];
	void		(*old)(int);

	o = xmalloc(sizeof *o);
	xasprintf(&path, "%s/out.tmp", tmpdir);

	/* Small writes around a large one keep their order. */
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	out_init(o, fd);
	buf_init(&want, 0);
	big = xmalloc(200000);
	for (i = 0; i < 200000; i++)
		big[i] = (char)('A' + i % 26);
	out_puts(o, "head ");
	buf_addstr(&want, "head ");
	out_write(o, big, 200000);
	buf_add(&want, big, 200000);
	out_printf(o, " %d %s\n", 42, "tail");
	buf_addstr(&want, " 42 tail\n");
	out_flush(o);
	close(fd);
	got = read_file(path, &len);
	check_text(got, len, want.data, want.len,
	    "out: a 200 KB write between small ones");
	check(o->tty == 0, "out: a file is not a tty");
	free(got);

	/* A long printf into a nearly full buffer; putc across the edge. */
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	out_init(o, fd);
	buf_reset(&want);
	for (i = 0; i < 65530; i++)
		out_putc(o, (char)('a' + i % 26));
	for (i = 0; i < 65530; i++)
		buf_addc(&want, (char)('a' + i % 26));
	big[100000] = '\0';
	out_printf(o, "[%s]", big);
	buf_printf(&want, "[%s]", big);
	for (i = 0; i < 70000; i++)
		out_putc(o, (char)('0' + i % 10));
	for (i = 0; i < 70000; i++)
		buf_addc(&want, (char)('0' + i % 10));
	out_flush(o);
	close(fd);
	got = read_file(path, &len);
	check_text(got, len, want.data, want.len,
	    "out: printf past the buffer, putc across its edge");
	free(got);

	/* EPIPE: failed is set, further output is dropped, no signal. */
	old = signal(SIGPIPE, SIG_IGN);
	if (pipe(p) == -1) {
		perror("pipe");
		exit(1);
	}
	close(p[0]);
	out_init(o, p[1]);
	out_write(o, big, 200000);
	out_puts(o, "more");
	out_flush(o);
	out_printf(o, "%s", "and more");
	check(o->failed && o->len == 0, "out: EPIPE sets failed and drops "
	    "the rest");
	close(p[1]);
	signal(SIGPIPE, old);

	/* A non-blocking pipe that fills: we wait for the reader. */
	if (pipe(p) == -1) {
		perror("pipe");
		exit(1);
	}
	fcntl(p[1], F_SETFL, fcntl(p[1], F_GETFL) | O_NONBLOCK);
	switch (fork()) {
	case -1:
		perror("fork");
		exit(1);
	case 0:
		close(p[1]);
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
		while ((len = (size_t)read(p[0], big, 1000)) > 0 &&
		    len != (size_t)-1) {
			usleep(100);
			if (write(fd, big, len) != (ssize_t)len)
				_exit(1);
		}
		_exit(0);
	}
	close(p[0]);
	out_init(o, p[1]);
	for (i = 0; i < 200000; i++)
		big[i] = (char)('A' + i % 26);
	out_write(o, big, 200000);
	out_flush(o);
	close(p[1]);
	wait(NULL);
	got = read_file(path, &len);
	check(!o->failed && len == 200000 && memcmp(got, big, len) == 0,
	    "out: a non-blocking pipe is waited for (%zu bytes)", len);
	free(got);

	unlink(path);
	free(path);
	free(big);
	buf_free(&want);
	free(o);
}

/*
 * The reference the word-at-a-time scanner is checked against: CPython's
 * bytes repr, one byte at a time, written from its rules rather than from
 * esc.c's table.
 */
static void
ref_bytes_repr(struct buf *b, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i;
	int			 q;

	q = memchr(s, '\'', len) != NULL && memchr(s, '"', len) == NULL ?
	    '"' : '\'';
	buf_addc(b, 'b');
	buf_addc(b, (char)q);
	for (i = 0; i < len; i++) {
		if (p[i] == '\\' || p[i] == q)
			buf_printf(b, "\\%c", p[i]);
		else if (p[i] == '\t')
			buf_addstr(b, "\\t");
		else if (p[i] == '\n')
			buf_addstr(b, "\\n");
		else if (p[i] == '\r')
			buf_addstr(b, "\\r");
		else if (p[i] < 0x20 || p[i] >= 0x7f)
			buf_printf(b, "\\x%02x", p[i]);
		else
			buf_addc(b, (char)p[i]);
	}
	buf_addc(b, (char)q);
}

/* As ref_bytes_repr for a str of ASCII: the same but for the b. */
static void
ref_ascii_repr(struct buf *b, const char *s, size_t len)
{
	struct buf	 t;

	buf_init(&t, 0);
	ref_bytes_repr(&t, s, len);
	buf_add(b, t.data + 1, t.len - 1);
	buf_free(&t);
}

/*
 * The reference of a split: a piece ends after a '\n' or is REF_PIECE_MAX
 * (py-print.h's PIECE_MAX) bytes long, one more to keep a CRLF whole.
 */
static size_t
ref_piece_len(const char *s, size_t avail)
{
	size_t	 i;

	for (i = 0; i < avail && i < REF_PIECE_MAX; i++)
		if (s[i] == '\n')
			return (i + 1);
	if (i < avail && s[i - 1] == '\r' && s[i] == '\n')
		i++;
	return (i);
}

/* Its pieces' reprs, joined by sep. */
static void
ref_split(struct buf *b, const char *s, size_t len, const char *sep)
{
	size_t	 n;

	while (len > 0) {
		n = ref_piece_len(s, len);
		ref_bytes_repr(b, s, n);
		s += n;
		len -= n;
		if (len > 0)
			buf_addstr(b, sep);
	}
}

/*
 * Plain byte k of a run: every byte that needs no escape in turn, so that
 * no plain value goes unchecked.
 */
static char
plain_byte(size_t k)
{
	static const char	 plain[] = " !#$%&()*+,-./0123456789:;<=>?@"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`"
				    "abcdefghijklmnopqrstuvwxyz{|}~";

	return (plain[k % (sizeof plain - 1)]);
}

/* run plain bytes with byte c at pos (<= run) in s; returns run + 1. */
static size_t
plain_run(char *s, size_t run, size_t pos, unsigned int c)
{
	size_t	 k;

	for (k = 0; k < run; k++)
		s[k + (k >= pos)] = plain_byte(k + c);
	s[pos] = (char)c;
	return (run + 1);
}

/* Count in *bad a case where got is not want; show the first. */
static void
tally(size_t *bad, const char *got, size_t gotlen, const char *want,
    size_t wantlen, const char *fmt, ...)
{
	va_list	 ap;

	if (gotlen == wantlen && memcmp(got, want, gotlen) == 0)
		return;
	if ((*bad)++ != 0)
		return;
	printf("#   ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	diag_text("want", want, wantlen);
	diag_text("got ", got, gotlen);
}

/* py_bytes_repr (or py_str_repr) of s in b, the reference's in w. */
static void
repr_both(struct buf *b, struct buf *w, const char *s, size_t len,
    int is_str)
{
	buf_reset(b);
	buf_reset(w);
	if (is_str) {
		py_str_repr(b, s, len);
		ref_ascii_repr(w, s, len);
	} else {
		py_bytes_repr(b, s, len);
		ref_bytes_repr(w, s, len);
	}
}

/*
 * The SWAR scan of esc.h against the per-byte reference: every byte
 * value at every position 0..16 of runs of plain bytes of length 0..40,
 * at every alignment; two special bytes up to 9 apart (a borrow or carry
 * from the first must not hide or fake the second); the same as lines of
 * a split value, in memory and spooled; and the fits-on-a-line length.
 */
static void
test_swar(void)
{
	static const unsigned char	 firsts[] = { 0x00, 0x0a, 0x1f, 0x20,
					    0x22, 0x27, 0x5c, 0x7e, 0x7f,
					    0x80, 0xfe, 0xff };
	struct pyval	*v, *sv, *mv;
	struct spool	*sp;
	struct buf	 b, w, all, split;
	struct out	*o;
	char		 s[128], *area, *at, *head, *got, *path;
	size_t		 len, run, pos, k, gotlen, bad;
	unsigned int	 c, i;
	int		 fd;

	buf_init(&b, 0);
	buf_init(&w, 0);
	buf_init(&all, 0);
	area = xmalloc(64 + 8);

	/* One special byte in a plain run, at the alignment c + run gives. */
	bad = 0;
	for (run = 0; run <= 40; run++) {
		for (pos = 0; pos <= run && pos <= 16; pos++) {
			for (c = 0; c < 256; c++) {
				len = plain_run(s, run, pos, c);
				at = area + (c + run) % 8;
				memcpy(at, s, len);
				repr_both(&b, &w, at, len, 0);
				tally(&bad, b.data, b.len, w.data, w.len,
				    "run %zu, 0x%02x at %zu", run, c, pos);
				if (c < 0x80) {
					repr_both(&b, &w, at, len, 1);
					tally(&bad, b.data, b.len, w.data,
					    w.len, "str: run %zu, 0x%02x at "
					    "%zu", run, c, pos);
				}
				/* And as a line of the split value below. */
				buf_add(&all, s, len);
				buf_addstr(&all, c % 3 ? "\r\n" : "\n");
			}
		}
	}
	check(bad == 0, "py_bytes_repr and py_str_repr: every byte at "
	    "positions 0..16 of plain runs of 0..40 bytes, as the per-byte "
	    "reference (%zu differ)", bad);

	/* Two special bytes. */
	bad = 0;
	for (i = 0; i < nitems(firsts); i++) {
		for (pos = 1; pos <= 9; pos++) {
			for (c = 0; c < 256; c++) {
				len = plain_run(s, 23, 3, firsts[i]);
				s[3 + pos] = (char)c;
				repr_both(&b, &w, s, len, 0);
				tally(&bad, b.data, b.len, w.data, w.len,
				    "0x%02x, 0x%02x %zu later", firsts[i], c,
				    pos);
				buf_add(&all, s, len);
				buf_addstr(&all, "\r\n");
			}
		}
	}
	check(bad == 0, "py_bytes_repr: two special bytes 1..9 apart, as "
	    "the per-byte reference (%zu differ)", bad);

	/*
	 * Long lines around the cut at REF_PIECE_MAX: a ' early, a " on
	 * either side of the cut (the quote of the first piece depends on
	 * it), and CRLFs that straddle it.
	 */
	for (len = REF_PIECE_MAX - 5; len <= REF_PIECE_MAX + 6; len++) {
		for (pos = REF_PIECE_MAX - 4; pos <= REF_PIECE_MAX + 4;
		    pos++) {
			for (k = 0; k < len; k++)
				buf_addc(&all, plain_byte(k));
			all.data[all.len - len + 3] = '\'';
			if (pos < len)
				all.data[all.len - len + pos] = '"';
			buf_addstr(&all, "\r\n");
		}
	}

	/* A last CR, when the spool goes on with an LF. */
	buf_addstr(&all, "no line end\r");

	/* The split value, in memory and as a range of a spool. */
	xasprintf(&head, "1 (BODY[] {%zu}", all.len);
	buf_init(&split, 0);
	buf_printf(&split, "('OK',\n [(b'%s',\n   ", head);
	ref_split(&split, all.data, all.len, "\n   ");
	buf_addstr(&split, "),\n  b')'])\n");
	sp = spool_of("\n'\"junk\r", 8, 8);
	spool_write(sp, all.data, all.len, NULL);
	spool_write(sp, "\n'\"junk\r", 8, NULL);
	sv = mk(PV_TUPLE, 2, pv_str("OK"), mk(PV_LIST, 2, mk(PV_TUPLE, 2,
	    bytes_cstr(head), pv_bytes_spool_range(sp, 8, all.len)),
	    bytes_cstr(")")));
	spool_unref(sp);
	mv = mk(PV_TUPLE, 2, pv_str("OK"), mk(PV_LIST, 2, mk(PV_TUPLE, 2,
	    bytes_cstr(head), pv_bytes(all.data, all.len)),
	    bytes_cstr(")")));
	got = print_to_string(mv, &gotlen);
	check_text(got, gotlen, split.data, split.len, "py_print splits "
	    "%zu bytes in memory as the per-byte reference", all.len);
	free(got);
	got = print_to_string(sv, &gotlen);
	check_text(got, gotlen, split.data, split.len, "py_print splits "
	    "%zu spooled bytes as the per-byte reference", all.len);
	free(got);
	pv_free(sv);
	pv_free(mv);
	free(head);

	/*
	 * Deep in lists, the newline and indent before each piece are
	 * longer than the 64 bytes py-print.c copies in one go.
	 */
	for (k = 60; k <= 70; k++) {
		buf_reset(&split);
		buf_reset(&w);
		buf_addc(&w, '\n');
		for (i = 0; i < k; i++) {
			buf_addc(&split, '[');
			buf_addc(&w, ' ');
		}
		ref_split(&split, all.data, 3000, w.data);
		for (i = 0; i < k; i++)
			buf_addc(&split, ']');
		buf_addc(&split, '\n');
		v = nest((int)k, pv_bytes(all.data, 3000));
		got = print_to_string(v, &gotlen);
		check_text(got, gotlen, split.data, split.len,
		    "py_print splits bytes %zu lists deep as the "
		    "reference", k);
		free(got);
		pv_free(v);
	}

	/* Whether a value fits on the line: len_bytes() at the edge. */
	xasprintf(&path, "%s/fits.tmp", tmpdir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	o = xmalloc(sizeof *o);
	bad = 0;
	for (run = 73; run <= 77; run++) {
		for (pos = 0; pos <= 16; pos++) {
			for (c = 0; c < 256; c++) {
				len = plain_run(s, run, pos, c);
				buf_reset(&w);
				ref_bytes_repr(&w, s, len);
				if (w.len > PRINT_WIDTH) {
					buf_reset(&w);
					buf_addc(&w, '(');
					ref_split(&w, s, len, "\n ");
					buf_addc(&w, ')');
				}
				buf_addc(&w, '\n');
				v = pv_bytes(s, len);
				got = print_fd(o, fd, v, &gotlen);
				pv_free(v);
				tally(&bad, got, gotlen, w.data, w.len,
				    "run %zu, 0x%02x at %zu", run, c, pos);
				free(got);
			}
		}
	}
	check(bad == 0, "py_print: a bytes value that is 78..83 "
	    "characters as a repr fits on the line or is split as the "
	    "reference says (%zu differ)", bad);
	close(fd);
	unlink(path);
	free(path);
	free(o);

	free(area);
	buf_free(&split);
	buf_free(&all);
	buf_free(&b);
	buf_free(&w);
}

/*
 * py_print() writes into the struct out's buffer in place, except
 * while a highlight is pending: the output must be the same either way,
 * with the highlight where it was asked for, and a failed out must drop
 * it all quietly.
 */
static void
test_print_out(void)
{
	struct pyval	*v;
	struct out	*o;
	struct buf	 b, want;
	char		*plain, *got, *path;
	size_t		 plainlen, gotlen, i;
	int		 fd, p[2];
	void		(*old)(int);

	buf_init(&b, 0);
	for (i = 0; i < 20000; i++)
		buf_printf(&b, "line %zu: it's \"here\"\t\\\r\n", i);
	v = mk(PV_TUPLE, 2, pv_str("OK"), mk(PV_LIST, 1,
	    pv_bytes(b.data, b.len)));
	plain = print_to_string(v, &plainlen);

	xasprintf(&path, "%s/hl.tmp", tmpdir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	o = xcalloc(1, sizeof *o);
	out_init(o, fd);
	out_puts(o, "before\n");
	out_highlight(o, 1, 4, "<on>", "<off>");
	py_print(o, v);
	out_flush(o);
	close(fd);
	got = read_file(path, &gotlen);
	buf_init(&want, 0);
	buf_addstr(&want, "before\n(<on>'OK'<off>");
	buf_add(&want, plain + 5, plainlen - 5);
	check_text(got, gotlen, want.data, want.len, "py_print after a "
	    "highlight: the same output, highlighted");
	free(got);

	/* Several prints into a buffer that is already part full. */
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	out_init(o, fd);
	buf_reset(&want);
	for (i = 0; i < 3; i++) {
		out_printf(o, "%zu>", i);
		buf_printf(&want, "%zu>", i);
		py_print(o, v);
		buf_add(&want, plain, plainlen);
	}
	out_flush(o);
	close(fd);
	got = read_file(path, &gotlen);
	check_text(got, gotlen, want.data, want.len, "py_print three "
	    "times between other output");
	free(got);

	old = signal(SIGPIPE, SIG_IGN);
	if (pipe(p) == -1) {
		perror("pipe");
		exit(1);
	}
	close(p[0]);
	out_init(o, p[1]);
	py_print(o, v);
	out_flush(o);
	check(o->failed && o->len == 0, "py_print to a closed pipe: "
	    "failed, the rest dropped");
	close(p[1]);
	signal(SIGPIPE, old);

	unlink(path);
	free(path);
	free(o);
	free(plain);
	buf_free(&want);
	buf_free(&b);
	pv_free(v);
}

/* py_print() into fd, emptied first, and what it then holds. */
static char *
print_fd(struct out *o, int fd, const struct pyval *v, size_t *lenp)
{
	char	*s;
	off_t	 size;
	ssize_t	 n;

	if (ftruncate(fd, 0) == -1 || lseek(fd, 0, SEEK_SET) == -1) {
		perror("print_fd");
		exit(1);
	}
	out_init(o, fd);
	py_print(o, v);
	out_flush(o);
	if ((size = lseek(fd, 0, SEEK_CUR)) == -1) {
		perror("print_fd");
		exit(1);
	}
	s = xmalloc((size_t)size + 1);
	n = pread(fd, s, (size_t)size, 0);
	*lenp = n > 0 ? (size_t)n : 0;
	s[*lenp] = '\0';
	return (s);
}

/* The helper script: $TEST_PRINT_EVAL, or next to this file. */
static const char *
find_helper(const char *argv0)
{
	static char	 path[4096];
	const char	*env, *slash;
	const char	*rel[] = { "", "/../../tests/unit", "/../../../tests/unit" };
	size_t		 i;
	int		 n;

	if ((env = getenv("TEST_PRINT_EVAL")) != NULL)
		return (access(env, R_OK) == 0 ? env : NULL);
	if ((slash = strrchr(__FILE__, '/')) != NULL) {
		n = snprintf(path, sizeof path, "%.*s/test-print-eval.py",
		    (int)(slash - __FILE__), __FILE__);
		if (n > 0 && (size_t)n < sizeof path && access(path, R_OK) == 0)
			return (path);
	}
	if ((slash = strrchr(argv0, '/')) == NULL)
		return (NULL);
	for (i = 0; i < nitems(rel); i++) {
		n = snprintf(path, sizeof path, "%.*s%s/test-print-eval.py",
		    (int)(slash - argv0), argv0, rel[i]);
		if (n > 0 && (size_t)n < sizeof path && access(path, R_OK) == 0)
			return (path);
	}
	return (NULL);
}

/* The integer in environment variable name, or def. */
static int
env_int(const char *name, int def)
{
	const char	*s;
	char		*end;
	long		 l;

	if ((s = getenv(name)) == NULL || *s == '\0')
		return (def);
	errno = 0;
	l = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || l < 0 || l > 1000000)
		return (def);
	return ((int)l);
}

/*
 * Run the program and arguments that follow, up to a NULL (no shell).
 * Turn the "ok NAME" / "not ok NAME: why" lines it prints into results TAP
 * results (missing ones fail, extra ones count as failures) and pass "#"
 * lines through.  Returns the exit status, or -1.
 */
static int
run_helper(int results, const char *arg0, ...)
{
	FILE		*f;
	va_list		 ap;
	char		*argv[16], *line = NULL;
	size_t		 size = 0, argc = 0;
	ssize_t		 n;
	pid_t		 pid;
	int		 p[2], status, seen = 0;

	argv[argc++] = (char *)arg0;
	va_start(ap, arg0);
	while (argc < nitems(argv) - 1 &&
	    (argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	argv[argc] = NULL;

	fflush(stdout);
	if (pipe(p) == -1)
		return (-1);
	switch ((pid = fork())) {
	case -1:
		return (-1);
	case 0:
		close(p[0]);
		if (dup2(p[1], STDOUT_FILENO) == -1)
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	if ((f = fdopen(p[0], "r")) == NULL)
		return (-1);
	while ((n = getline(&line, &size, f)) != -1) {
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (line[0] == '#') {
			printf("%s\n", line);
			continue;
		}
		if (strncmp(line, "ok ", 3) != 0 &&
		    strncmp(line, "not ok ", 7) != 0) {
			printf("# helper: %s\n", line);
			continue;
		}
		if (seen++ >= results) {
			printf("# unexpected: %s\n", line);
			nfailed++;
			continue;
		}
		if (line[0] == 'o')
			check(1, "python: %s", line + 3);
		else
			check(0, "python: %s", line + 7);
	}
	free(line);
	fclose(f);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return (-1);
	for (; seen < results; seen++)
		check(0, "python: result missing (helper exit status %d)",
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return (WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/*
 * Ask Python: the repr of every code point, then the fixed cases and the
 * random values printed with py_print().
 */
static void
test_python(const char *argv0)
{
	struct pyval	*v;
	struct out	*o;
	struct buf	 b;
	const char	*helper, *python, *p, *end, *nl;
	char		*cases, *printed, *cps, *data, seed[32], count[32];
	char		 u[4];
	size_t		 len, i;
	uint32_t	 cp;
	int		 fd, bad = 0;

	if ((python = getenv("PYTHON")) == NULL)
		python = "python3";
	helper = find_helper(argv0);
	if (helper == NULL ||
	    run_helper(0, python, "-c", "pass", (char *)NULL) != 0) {
		for (i = 0; i < N_PYTHON; i++)
			skip("python checks", helper == NULL ?
			    "test-print-eval.py not found" :
			    "python3 not found");
		return;
	}
	snprintf(seed, sizeof seed, "%d", env_int("TEST_PRINT_SEED", 1));
	snprintf(count, sizeof count, "%d", env_int("TEST_PRINT_COUNT", 400));
	xasprintf(&cases, "%s/cases", tmpdir);
	xasprintf(&printed, "%s/printed", tmpdir);
	xasprintf(&cps, "%s/cps", tmpdir);
	o = xmalloc(sizeof *o);

	/* Every code point but the surrogates, one repr per line. */
	fd = open(cps, O_RDWR | O_CREAT | O_TRUNC, 0600);
	out_init(o, fd);
	buf_init(&b, 0);
	for (cp = 0; cp < 0x110000; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		if (cp < 0x80) {
			u[0] = (char)cp;
			len = 1;
		} else if (cp < 0x800) {
			u[0] = (char)(0xc0 | cp >> 6);
			u[1] = (char)(0x80 | (cp & 0x3f));
			len = 2;
		} else if (cp < 0x10000) {
			u[0] = (char)(0xe0 | cp >> 12);
			u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
			u[2] = (char)(0x80 | (cp & 0x3f));
			len = 3;
		} else {
			u[0] = (char)(0xf0 | cp >> 18);
			u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
			u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
			u[3] = (char)(0x80 | (cp & 0x3f));
			len = 4;
		}
		buf_reset(&b);
		py_str_repr(&b, u, len);
		out_write(o, b.data, b.len);
		out_putc(o, '\n');
	}
	out_flush(o);
	close(fd);
	buf_free(&b);
	run_helper(1, python, helper, "cps", cps, (char *)NULL);

	/* The random values, as the helper writes them. */
	if (run_helper(0, python, helper, "gen", seed, count, cases,
	    (char *)NULL) != 0)
		bad = 1;
	fd = open(printed, O_RDWR | O_CREAT | O_TRUNC, 0600);
	out_init(o, fd);
	for (i = 0; i < nitems(fixed_cases); i++) {
		v = fixed_cases[i].build();
		out_printf(o, "#### %s\n", fixed_cases[i].name);
		py_print(o, v);
		pv_free(v);
	}
	data = read_file(cases, &len);
	end = data + len;
	for (p = data; !bad && p < end; p = nl + 1) {
		/* name\nvalue\n */
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		out_printf(o, "#### %.*s\n", (int)(nl - p), p);
		p = nl + 1;
		if ((v = parse_value(&p, end)) == NULL || p >= end ||
		    *p != '\n') {
			printf("# cannot parse the random values\n");
			pv_free(v);
			break;
		}
		nl = p;
		py_print(o, v);
		pv_free(v);
	}
	free(data);
	out_flush(o);
	close(fd);
	run_helper((int)nitems(fixed_cases) + 1, python, helper, "check", seed,
	    count, printed, (char *)NULL);

	unlink(cases);
	unlink(printed);
	unlink(cps);
	free(cases);
	free(printed);
	free(cps);
	free(o);
}

int
main(int argc, char **argv)
{
	const char	*dir;
	char		*tmpl;
	size_t		 plan;

	(void)argc;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if ((dir = getenv("TMPDIR")) == NULL || *dir == '\0')
		dir = "/tmp";
	xasprintf(&tmpl, "%s/test-print.XXXXXX", dir);
	if ((tmpdir = mkdtemp(tmpl)) == NULL) {
		perror(tmpl);
		return (1);
	}

	plan = N_MEMORY + nitems(bytes_cases) + nitems(str_cases) +
	    nitems(str_bad_cases) + N_PY_REPR + nitems(term_cases) + 1 +
	    nitems(layout_cases) + N_PARITY + N_SWAR + N_PYVAL + N_OUTPUT +
	    N_PRINT_OUT + N_PYTHON;
	printf("1..%zu\n", plan);

	test_memory();		/* first, before anything raises the peak */
	test_repr_tables();
	test_py_repr();
	test_term_escape();
	test_layout_tables();
	test_spool_parity();
	test_swar();
	test_pyval();
	test_output();
	test_print_out();
	test_python(argv[0]);

	rmdir(tmpdir);
	free(tmpl);
	if ((size_t)ntests != plan) {
		printf("# planned %zu tests, ran %d\n", plan, ntests);
		return (1);
	}
	return (nfailed != 0);
}
