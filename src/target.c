/*
 * target.c: the one parser of where to connect, shared by the command
 * line and the connect command (see target.h).
 *
 *	target	= url / [user "@"] hostport
 *	url	= ("imaps" / "imap" / "imap+notls") "://" [user "@"] hostport
 *		  ["/" anything]	(a trailing path is ignored)
 *	hostport = host [":" port] / "[" v6-address "]" [":" port]
 *
 * A URL's user may be percent-encoded.  Outside a URL, a host with more
 * than one ':' is an IPv6 address without a port (::1); in a URL it must
 * go in brackets.  An empty host (user@) is localhost outside a URL.  A
 * port comes once: after ':' or as the separate argument, 1 to 65535.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


#include "cmd.h"
#include "target.h"
#include "xmalloc.h"

static int	 target_fail(struct target *, char **, const char *, ...)
		    __attribute__((__format__(__printf__, 3, 4)));
static int	 target_hex(int);
static int	 target_user(struct target *, const char *, size_t, int);
static int	 target_hostport(struct target *, char *, int, const char *,
		    char **);

static const struct {
	const char	*prefix;
	int		 mode;
} target_schemes[] = {
	{ "imaps://", CONN_IMPLICIT },
	{ "imap://", CONN_STARTTLS },
	{ "imap+notls://", CONN_PLAIN },
};

static int
target_fail(struct target *t, char **cause, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	xvasprintf(cause, fmt, ap);
	va_end(ap);
	target_free(t);
	return (-1);
}

/* The value of hex digit c, or -1. */
static int
target_hex(int c)
{
	static const char	 digits[] = "0123456789abcdef";
	const char		*p;

	if (c == '\0' || (p = strchr(digits, tolower(c))) == NULL)
		return (-1);
	return ((int)(p - digits));
}

/* The user, percent-decoded in a URL; -1 if it decodes to a NUL. */
static int
target_user(struct target *t, const char *s, size_t len, int url)
{
	char	*d;
	size_t	 i;
	int	 hi, lo;

	d = t->user = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		if (url && s[i] == '%' && i + 2 < len &&
		    (hi = target_hex((unsigned char)s[i + 1])) >= 0 &&
		    (lo = target_hex((unsigned char)s[i + 2])) >= 0) {
			if (hi == 0 && lo == 0)
				return (-1);
			*d++ = (char)(hi * 16 + lo);
			i += 2;
		} else
			*d++ = s[i];
	}
	*d = '\0';
	return (0);
}

/* Split hostport (modified) into t's host and port. */
static int
target_hostport(struct target *t, char *hp, int url, const char *arg,
    char **cause)
{
	char	*h = hp, *p = NULL, *q;

	if (*h == '[') {
		if ((q = strchr(h, ']')) == NULL)
			return (target_fail(t, cause, "%s: unterminated [ in "
			    "the host", arg));
		*q++ = '\0';
		h++;
		if (*q == ':')
			p = q + 1;
		else if (*q != '\0')
			return (target_fail(t, cause, "%s: bad host", arg));
	} else if ((q = strchr(h, ':')) != NULL) {
		if (strchr(q + 1, ':') == NULL) {
			*q = '\0';
			p = q + 1;
		} else if (url)
			return (target_fail(t, cause, "%s: bad host or port "
			    "(an IPv6 address goes in brackets: "
			    "imaps://[::1]:993)", arg));
	}
	if (*h == '\0' && url)
		return (target_fail(t, cause, "%s: no host", arg));
	t->host = xstrdup(*h != '\0' ? h : "localhost");
	if (p != NULL)
		t->port = xstrdup(p);
	return (0);
}

int
target_parse(const char *arg, const char *port, struct target *t,
    char **cause)
{
	const char	*rest = arg, *at, *errstr;
	char		*hp, *slash;
	size_t		 i;
	int		 url = 0, rv;

	memset(t, 0, sizeof *t);
	t->tls_mode = -1;
	for (i = 0; i < sizeof target_schemes / sizeof target_schemes[0];
	    i++) {
		if (strncasecmp(arg, target_schemes[i].prefix,
		    strlen(target_schemes[i].prefix)) == 0) {
			t->tls_mode = target_schemes[i].mode;
			rest = arg + strlen(target_schemes[i].prefix);
			url = 1;
		}
	}
	if (!url && strstr(arg, "://") != NULL)
		return (target_fail(t, cause, "%s: unknown URL scheme: use "
		    "imaps://, imap:// or imap+notls://", arg));
	if (url && port != NULL)
		return (target_fail(t, cause, "%s: a URL gives its port after "
		    "':' (imaps://host:993), not as another argument", arg));
	if ((at = strrchr(rest, '@')) != NULL) {
		if (target_user(t, rest, (size_t)(at - rest), url) == -1)
			return (target_fail(t, cause, "%s: the user name holds "
			    "a NUL byte (%%00)", arg));
		rest = at + 1;
	}
	hp = xstrdup(rest);
	if (url && (slash = strchr(hp, '/')) != NULL)
		*slash = '\0';		/* a trailing path is ignored */
	rv = target_hostport(t, hp, url, arg, cause);
	free(hp);
	if (rv == -1)
		return (-1);
	if (port != NULL) {
		if (t->port != NULL)
			return (target_fail(t, cause, "%s: the port is given "
			    "twice", arg));
		t->port = xstrdup(port);
	}
	if (t->port != NULL) {
		strtonum(t->port, 1, 65535, &errstr);
		if (errstr != NULL)
			return (target_fail(t, cause, "port must be 1 to "
			    "65535, not '%s'", t->port));
	}
	return (0);
}

void
target_free(struct target *t)
{
	free(t->user);
	free(t->host);
	free(t->port);
	t->user = t->host = t->port = NULL;
}

int
target_is_word(const char *arg)
{
	return (*arg != '\0' && strpbrk(arg, "@:/") == NULL);
}
