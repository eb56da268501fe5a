/*
 * imap-util.c: imaplib's module-level helpers Int2AP and ParseFlags, as
 * pure functions that give the same results byte for byte, and the Python
 * number literals the shell's utility commands take.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "imap-util.h"

/* sys.get_int_max_str_digits(): Python refuses longer decimal literals. */
#define PY_MAX_STR_DIGITS	4300
/* The longest number taken at all (in any base). */
#define PY_NUMBER_MAX		100000

static int	 py_space(int);
static int	 py_digit_value(int);
static long	 py_digits(const char **, int, int, struct buf *);
static void	 nib_mul_add(unsigned char *, size_t *, unsigned int,
		    unsigned int);
static int	 py_number_bad(const char *, const char **, char **);

/*
 * Int2AP: base 16 with the digits A..P, most significant first; 0 gives
 * the empty string, as in imaplib.
 */
size_t
int2ap(unsigned long long num, char *out)
{
	static const char	 ap[] = "ABCDEFGHIJKLMNOP";
	char			 tmp[16];
	size_t			 n = 0, i;

	while (num != 0) {
		tmp[n++] = ap[num % 16];
		num /= 16;
	}
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
	return (n);
}

/* bytes.split() separators: ASCII whitespace. */
static int
py_space(int c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f');
}

/*
 * ParseFlags matches re.compile(br'.*FLAGS \((?P<flags>[^\)]*)\)') at the
 * start of resp.  The greedy .* cannot cross a newline, and backtracks
 * from the right: the match uses the last "FLAGS (" that starts before
 * the first '\n' and has a ')' somewhere after it; the flags run up to
 * the first such ')' (and may span newlines).  The flags are then split
 * on ASCII whitespace.
 */
struct pyval *
parse_flags(const char *resp, size_t len)
{
	static const char	 pat[] = "FLAGS (";
	const size_t		 patlen = sizeof pat - 1;
	const char		*nl, *close, *start;
	struct pyval		*tuple;
	size_t			 limit, at, i, j;

	tuple = pv_tuple();
	if (len < patlen + 1)
		return (tuple);

	/* The pattern must start at or before the first newline. */
	nl = memchr(resp, '\n', len);
	limit = nl == NULL ? len : (size_t)(nl - resp);
	if (limit > len - patlen - 1)
		limit = len - patlen - 1;

	for (at = limit + 1; at-- > 0;) {
		if (memcmp(resp + at, pat, patlen) != 0)
			continue;
		start = resp + at + patlen;
		close = memchr(start, ')', len - at - patlen);
		if (close == NULL)
			continue;
		for (i = 0; start + i < close; i = j) {
			while (start + i < close &&
			    py_space((unsigned char)start[i]))
				i++;
			for (j = i; start + j < close &&
			    !py_space((unsigned char)start[j]); j++)
				;
			if (j > i)
				pv_append(tuple, pv_bytes(start + i, j - i));
		}
		break;
	}
	return (tuple);
}

/* The value of a digit in bases up to 16, or -1. */
static int
py_digit_value(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/*
 * digit *(["_"] digit) in base at *pp, or with lead_us (["_"] digit)+ as
 * after 0x; the digits' values go to dig when it is not NULL.  Returns the
 * number of digits (0 if none, *pp unmoved) or -1 for an underscore that
 * is not followed by a digit.
 */
static long
py_digits(const char **pp, int base, int lead_us, struct buf *dig)
{
	const char	*p = *pp, *q;
	long		 n = 0;
	int		 v;

	for (;;) {
		q = p;
		if (*q == '_' && (n > 0 || lead_us))
			q++;
		if ((v = py_digit_value((unsigned char)*q)) == -1 ||
		    v >= base) {
			if (q != p)
				return (-1);
			break;
		}
		if (dig != NULL)
			buf_addc(dig, (char)v);
		n++;
		p = q + 1;
	}
	*pp = p;
	return (n);
}

/* nib = nib * base + add, growing nnib (the caller sized the array). */
static void
nib_mul_add(unsigned char *nib, size_t *nnib, unsigned int base,
    unsigned int add)
{
	unsigned int	 v, carry = add;
	size_t		 i;

	for (i = 0; i < *nnib; i++) {
		v = nib[i] * base + carry;
		nib[i] = v & 15;
		carry = v >> 4;
	}
	while (carry != 0) {
		nib[(*nnib)++] = carry & 15;
		carry >>= 4;
	}
}

static int
py_number_bad(const char *s, const char **exc, char **cause)
{
	*exc = NULL;
	xasprintf(cause, "not a Python number: '%.64s%s'", s,
	    strlen(s) > 64 ? "..." : "");
	return (-1);
}

/*
 * Python's grammar (an optional sign in front, as the unary operator):
 *
 *	decinteger	= nonzerodigit *(["_"] digit) / 1*"0" *(["_"] "0")
 *	hexinteger	= "0" ("x" / "X") 1*(["_"] hexdigit)
 *	octinteger	= "0" ("o" / "O") 1*(["_"] octdigit)
 *	bininteger	= "0" ("b" / "B") 1*(["_"] bindigit)
 *	floatnumber	= pointfloat / exponentfloat
 *	pointfloat	= [digitpart] "." digitpart / digitpart "."
 *	exponentfloat	= (digitpart / pointfloat) ("e" / "E") ["+" / "-"]
 *			  digitpart
 *	digitpart	= digit *(["_"] digit)
 *
 * A float's value is strtod's, correctly rounded as Python's is (only
 * LC_CTYPE follows the user's locale, so the decimal point is '.').
 */
int
py_number_parse(const char *s, struct py_number *n, const char **exc,
    char **cause)
{
	const char	*p = s, *body;
	struct buf	 dig, clean;
	size_t		 i;
	long		 nd, nf = 0, ne;
	int		 base = 10, prefixed = 0;

	memset(n, 0, sizeof *n);
	if (strlen(s) > PY_NUMBER_MAX) {
		*exc = "ValueError";
		*cause = xstrdup("number too long");
		return (-1);
	}
	if (*p == '+' || *p == '-')
		n->neg = *p++ == '-';
	if (strcmp(p, "True") == 0 || strcmp(p, "False") == 0) {
		n->nib = xmalloc(1);
		n->nib[0] = 1;
		n->nnib = p[0] == 'T';
		return (0);
	}
	if (p[0] == '0' && p[1] != '\0' && strchr("xXoObB", p[1]) != NULL) {
		base = p[1] == 'x' || p[1] == 'X' ? 16 :
		    p[1] == 'o' || p[1] == 'O' ? 8 : 2;
		prefixed = 1;
		p += 2;
	}
	body = p;
	buf_init(&dig, 0);
	if ((nd = py_digits(&p, base, prefixed, &dig)) == -1)
		goto bad;
	if (!prefixed && (*p == '.' || *p == 'e' || *p == 'E')) {
		if (*p == '.') {
			p++;
			if ((nf = py_digits(&p, 10, 0, NULL)) == -1)
				goto bad;
		}
		if (nd == 0 && nf == 0)
			goto bad;
		if (*p == 'e' || *p == 'E') {
			p++;
			if (*p == '+' || *p == '-')
				p++;
			if ((ne = py_digits(&p, 10, 0, NULL)) <= 0)
				goto bad;
		}
		if (*p != '\0')
			goto bad;
		buf_init(&clean, 0);
		for (i = 0; body[i] != '\0'; i++)
			if (body[i] != '_')
				buf_addc(&clean, body[i]);
		n->is_float = 1;
		n->f = strtod(clean.data, NULL);
		if (n->neg)
			n->f = -n->f;
		buf_free(&clean);
		buf_free(&dig);
		return (0);
	}
	if (nd == 0 || *p != '\0')
		goto bad;
	if (base == 10) {
		for (i = 1; dig.data[0] == 0 && i < dig.len; i++)
			if (dig.data[i] != 0)
				goto bad;	/* leading zeros: 0123 */
		if (nd > PY_MAX_STR_DIGITS) {
			buf_free(&dig);
			*exc = "ValueError";
			xasprintf(cause, "Exceeds the limit (%d digits) for "
			    "integer string conversion: value has %ld digits",
			    PY_MAX_STR_DIGITS, nd);
			return (-1);
		}
	}
	n->nib = xmalloc(dig.len + 1);
	for (i = 0; i < dig.len; i++)
		nib_mul_add(n->nib, &n->nnib, (unsigned int)base,
		    (unsigned char)dig.data[i]);
	buf_free(&dig);
	return (0);
bad:
	buf_free(&dig);
	return (py_number_bad(s, exc, cause));
}

void
py_number_free(struct py_number *n)
{
	free(n->nib);
	n->nib = NULL;
	n->nnib = 0;
}

int
py_number_ll(const struct py_number *n, long long *v)
{
	unsigned long long	 u = 0;
	size_t			 i;

	if (n->is_float || n->nnib > 16)
		return (-1);
	for (i = n->nnib; i-- > 0;)
		u = (u << 4) | n->nib[i];
	if (n->neg) {
		if (u > (unsigned long long)INT64_MAX + 1)
			return (-1);
		*v = u == (unsigned long long)INT64_MAX + 1 ? INT64_MIN :
		    -(long long)u;
	} else {
		if (u > (unsigned long long)INT64_MAX)
			return (-1);
		*v = (long long)u;
	}
	return (0);
}

/*
 * Int2AP: val = AP[mod] + val while num, with num = int(abs(num)).  A
 * float's integer part is exact: its 53-bit mantissa shifted left.
 */
int
int2ap_number(const struct py_number *n, struct buf *out, const char **exc,
    char **cause)
{
	static const char	 ap[] = "ABCDEFGHIJKLMNOP";
	unsigned char		*nib;
	const unsigned char	*digits = n->nib;
	size_t			 nnib = n->nnib, i;
	uint64_t		 mant;
	double			 a;
	int			 e, shift;

	nib = NULL;
	if (n->is_float) {
		if (isnan(n->f)) {
			*exc = "ValueError";
			*cause = xstrdup("cannot convert float NaN to integer");
			return (-1);
		}
		if (isinf(n->f)) {
			*exc = "OverflowError";
			*cause = xstrdup("cannot convert float infinity to "
			    "integer");
			return (-1);
		}
		/* int(): whole from 2^52 up, else truncated (libc only:
		 * imapsh does not link libm). */
		a = fabs(n->f);
		if (a < 4503599627370496.0)
			a = (double)(uint64_t)a;
		nnib = 0;
		if (a >= 1) {
			mant = (uint64_t)ldexp(frexp(a, &e), 53);
			shift = e - 53;
			if (shift < 0) {
				mant >>= -shift;	/* only zero bits go */
				shift = 0;
			}
			nib = xmalloc(16 + (size_t)shift / 4 + 2);
			while (mant != 0) {
				nib[nnib++] = mant & 15;
				mant >>= 4;
			}
			while (shift-- > 0)
				nib_mul_add(nib, &nnib, 2, 0);
		}
		digits = nib;
	}
	for (i = nnib; i-- > 0;)
		buf_addc(out, ap[digits[i]]);
	free(nib);
	return (0);
}
