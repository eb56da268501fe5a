/*
 * tls-version.h: the lowest TLS version imapsh accepts (RFC 8996: not
 * TLS 1.0 or 1.1 unless asked for, with --tls-min).
 *
 * Versions are written as 10, 11, 12, 13 (TLS 1.0 ... 1.3); 0 means the
 * default, TLS_VERSION_DEFAULT.
 */
#ifndef TLS_VERSION_H
#define TLS_VERSION_H

#include <gnutls/gnutls.h>

#define TLS_VERSION_DEFAULT	12

/* "1.0", "1.1", "1.2" or "1.3" as 10 ... 13; -1 for anything else. */
int	 tls_version_parse(const char *);
/* Set the session's priorities: the defaults without the versions below
 * min.  -1 and *cause if GnuTLS refuses. */
int	 tls_version_apply(gnutls_session_t, int min, char **cause);
/*
 * When the handshake failed with rv because the server speaks only
 * versions below min: an allocated message saying so and how to allow
 * them; else NULL.
 */
char	*tls_version_refused(gnutls_session_t, int rv, int min);

#endif
