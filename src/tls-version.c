/*
 * tls-version.c: the lowest TLS version, as GnuTLS priorities.
 *
 * RFC 8996 deprecates TLS 1.0 and 1.1, so by default they are taken out
 * of GnuTLS's default priorities (a system may still enable them);
 * --tls-min=1.0 or 1.1 puts them back for an old server, and 1.3
 * refuses 1.2 too.  A server that speaks only older versions answers
 * the ClientHello with a protocol_version alert, or with a ServerHello
 * of an older version: both are told apart from other failures so the
 * message can say what happened and what to do.
 */
#include <stdio.h>
#include <string.h>

#include "tls-version.h"
#include "xmalloc.h"

static const struct {
	const char	*name;
	int		 version;
	const char	*priority;	/* appended to the defaults */
} tls_versions[] = {
	{ "1.0", 10, "+VERS-TLS1.0:+VERS-TLS1.1:+VERS-TLS1.2:+VERS-TLS1.3" },
	{ "1.1", 11, "-VERS-TLS1.0:+VERS-TLS1.1:+VERS-TLS1.2:+VERS-TLS1.3" },
	{ "1.2", 12, "-VERS-TLS1.0:-VERS-TLS1.1" },
	{ "1.3", 13, "-VERS-TLS1.0:-VERS-TLS1.1:-VERS-TLS1.2" },
};
#define NVERSIONS	(sizeof tls_versions / sizeof tls_versions[0])

int
tls_version_parse(const char *s)
{
	size_t	i;

	for (i = 0; i < NVERSIONS; i++)
		if (strcmp(s, tls_versions[i].name) == 0)
			return (tls_versions[i].version);
	return (-1);
}

int
tls_version_apply(gnutls_session_t session, int min, char **cause)
{
	const char	*err = NULL;
	size_t		 i;
	int		 rv;

	if (min == 0)
		min = TLS_VERSION_DEFAULT;
	for (i = 0; i < NVERSIONS; i++)
		if (tls_versions[i].version == min)
			break;
	if (i == NVERSIONS) {
		xasprintf(cause, "unknown TLS version %d", min);
		return (-1);
	}
	rv = gnutls_set_default_priority_append(session,
	    tls_versions[i].priority, &err, 0);
	if (rv < 0) {
		xasprintf(cause, "TLS priorities: %s", gnutls_strerror(rv));
		return (-1);
	}
	return (0);
}

char *
tls_version_refused(gnutls_session_t session, int rv, int min)
{
	char	*msg;

	if (min == 0)
		min = TLS_VERSION_DEFAULT;
	if (min <= 10)
		return (NULL);
	if (rv != GNUTLS_E_UNSUPPORTED_VERSION_PACKET &&
	    !(rv == GNUTLS_E_FATAL_ALERT_RECEIVED &&
	    gnutls_alert_get(session) == GNUTLS_A_PROTOCOL_VERSION))
		return (NULL);
	xasprintf(&msg, "TLS handshake failed: the server offers no TLS "
	    "version imapsh accepts (%d.%d or later%s); if it is an old "
	    "server you trust, --tls-min=1.0 allows TLS 1.0 and 1.1", min / 10,
	    min % 10, min == 12 ? ", RFC 8996" : "");
	return (msg);
}
