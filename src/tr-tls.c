/*
 * tr-tls.c: TLS (GnuTLS) over any lower transport.
 *
 * The TLS layer reads and writes through the lower transport's own read
 * and write (GnuTLS push/pull functions), so the same code serves imaps
 * over TCP and STARTTLS over TCP or over a child process.  Verification
 * is on unless the user said --insecure: the chain against the system
 * trust store or --cafile, the validity dates, and the host name (or IP
 * address) with gnutls_session_set_verify_cert().  SNI is sent for DNS
 * names, never for IP literals (RFC 6066).  A failed verification says
 * what was wrong and how to proceed.
 *
 * Decrypted bytes that GnuTLS holds, and received bytes it has not taken
 * yet, are reported by pending(), so the caller reads them before it
 * polls the descriptor.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "term.h"
#include "tls-version.h"
#include "transport.h"
#include "xmalloc.h"

/* What GnuTLS reads comes from this buffer, filled by large reads of
 * the lower transport: GnuTLS asks for a record's header and its body
 * separately, which would otherwise cost several system calls a record. */
#define TLS_INBUF	(64 * 1024)
#define TLS_MAX_ALT_NAMES 100	/* shown by the tls command */

struct tr_tls {
	struct transport		*lower;
	gnutls_session_t		 session;
	gnutls_certificate_credentials_t cred;
	int				 io_errno;
	char				*in;
	size_t				 in_off;
	size_t				 in_len;
};

static ssize_t	tr_tls_read(struct transport *, void *, size_t, char **);
static ssize_t	tr_tls_write(struct transport *, const void *, size_t,
		    char **);
static size_t	tr_tls_pending(struct transport *);
static int	tr_tls_rfd(struct transport *);
static int	tr_tls_wfd(struct transport *);
static int	tr_tls_want(struct transport *, int);
static void	tr_tls_close(struct transport *);
static char	*tr_tls_eof_reason(struct transport *);
static ssize_t	tr_tls_push(gnutls_transport_ptr_t, const void *, size_t);
static ssize_t	tr_tls_pull(gnutls_transport_ptr_t, void *, size_t);
static int	tr_tls_pull_timeout(gnutls_transport_ptr_t, unsigned int);
static char	*tr_tls_verify_error(gnutls_session_t, const char *);
static int	tr_tls_is_ip(const char *);
static struct transport *tr_tls_find(struct transport *);
static int	tr_tls_credentials(struct tr_tls *, const struct tls_opts *,
		    char **);
static int	tr_tls_session(struct transport *, const struct tls_opts *,
		    int, char **);
static int	tr_tls_handshake(struct transport *, const struct tls_opts *,
		    int, char **);
static void	tr_tls_fail_cause(struct tr_tls *, const struct tls_opts *,
		    int, char **);
static void	tr_tls_describe_key(gnutls_x509_crt_t, struct buf *);

static const struct transport_ops tr_tls_ops = {
	.name = "tls",
	.read = tr_tls_read,
	.write = tr_tls_write,
	.pending = tr_tls_pending,
	.rfd = tr_tls_rfd,
	.wfd = tr_tls_wfd,
	.want = tr_tls_want,
	.close = tr_tls_close,
	.eof_reason = tr_tls_eof_reason,
};

static int
tr_tls_is_ip(const char *host)
{
	unsigned char	addr[sizeof(struct in6_addr)];

	return (inet_pton(AF_INET, host, addr) == 1 ||
	    inet_pton(AF_INET6, host, addr) == 1);
}

/* A lower transport's -2 (would block) or -1, told to GnuTLS as it
 * wants: -1 with EAGAIN or EIO. */
static ssize_t
tr_tls_io_failed(struct tr_tls *tls, ssize_t n)
{
	gnutls_transport_set_errno(tls->session, n == -2 ? EAGAIN : EIO);
	return (-1);
}

static ssize_t
tr_tls_push(gnutls_transport_ptr_t p, const void *buf, size_t len)
{
	struct transport	*t = p;
	struct tr_tls		*tls = t->priv;
	ssize_t			 n;
	char			*cause = NULL;

	n = tls->lower->ops->write(tls->lower, buf, len, &cause);
	free(cause);
	return (n < 0 ? tr_tls_io_failed(tls, n) : n);
}

static ssize_t
tr_tls_pull(gnutls_transport_ptr_t p, void *buf, size_t len)
{
	struct transport	*t = p;
	struct tr_tls		*tls = t->priv;
	ssize_t			 n;
	char			*cause = NULL;

	if (tls->in_off == tls->in_len) {
		if (tls->in == NULL)
			tls->in = xmalloc(TLS_INBUF);
		n = tls->lower->ops->read(tls->lower, tls->in, TLS_INBUF,
		    &cause);
		free(cause);
		if (n < 0)
			return (tr_tls_io_failed(tls, n));
		if (n == 0)
			return (0);
		tls->in_off = 0;
		tls->in_len = (size_t)n;
	}
	if (len > tls->in_len - tls->in_off)
		len = tls->in_len - tls->in_off;
	memcpy(buf, tls->in + tls->in_off, len);
	tls->in_off += len;
	return ((ssize_t)len);
}

static int
tr_tls_pull_timeout(gnutls_transport_ptr_t p, unsigned int ms)
{
	struct transport	*t = p;
	struct tr_tls		*tls = t->priv;
	struct pollfd		 pfd;

	if (tls->in_off < tls->in_len || (tls->lower->ops->pending != NULL &&
	    tls->lower->ops->pending(tls->lower) > 0))
		return (1);
	pfd.fd = tls->lower->ops->rfd(tls->lower);
	pfd.events = POLLIN;
	return (poll(&pfd, 1, ms == GNUTLS_INDEFINITE_TIMEOUT ? -1 :
	    (int)ms));
}

static ssize_t
tr_tls_read(struct transport *t, void *buf, size_t len, char **cause)
{
	struct tr_tls	*tls = t->priv;
	ssize_t		 n;

	for (;;) {
		n = gnutls_record_recv(tls->session, buf, len);
		if (n >= 0)
			return (n);
		/* GnuTLS also says "again" after a record that held no data
		 * (a session ticket): go on while bytes wait in the buffer,
		 * which no poll would report. */
		if (n == GNUTLS_E_AGAIN && tls->in_off < tls->in_len)
			continue;
		if (n == GNUTLS_E_AGAIN)
			return (-2);
		if (n == GNUTLS_E_INTERRUPTED)
			continue;
		if (n == GNUTLS_E_PREMATURE_TERMINATION)
			return (0);
		if (n == GNUTLS_E_REHANDSHAKE ||
		    (!gnutls_error_is_fatal((int)n) &&
		    n != GNUTLS_E_WARNING_ALERT_RECEIVED))
			continue;
		xasprintf(cause, "TLS: %s", gnutls_strerror((int)n));
		return (-1);
	}
}

static ssize_t
tr_tls_write(struct transport *t, const void *buf, size_t len, char **cause)
{
	struct tr_tls	*tls = t->priv;
	ssize_t		 n;

	for (;;) {
		n = gnutls_record_send(tls->session, buf, len);
		if (n >= 0)
			return (n);
		if (n == GNUTLS_E_AGAIN)
			return (-2);
		if (n == GNUTLS_E_INTERRUPTED)
			continue;
		xasprintf(cause, "TLS: %s", gnutls_strerror((int)n));
		return (-1);
	}
}

static size_t
tr_tls_pending(struct transport *t)
{
	struct tr_tls	*tls = t->priv;

	return (gnutls_record_check_pending(tls->session) +
	    (tls->in_len - tls->in_off));
}

static int
tr_tls_rfd(struct transport *t)
{
	struct tr_tls	*tls = t->priv;

	return (tls->lower->ops->rfd(tls->lower));
}

static int
tr_tls_wfd(struct transport *t)
{
	struct tr_tls	*tls = t->priv;

	return (tls->lower->ops->wfd(tls->lower));
}

/* GnuTLS may need to write while we read (and the reverse). */
static int
tr_tls_want(struct transport *t, int reading)
{
	struct tr_tls	*tls = t->priv;

	return (gnutls_record_get_direction(tls->session) ? POLLOUT :
	    (reading ? POLLIN : POLLOUT));
}

static char *
tr_tls_eof_reason(struct transport *t)
{
	struct tr_tls	*tls = t->priv;

	if (tls->lower->ops->eof_reason != NULL)
		return (tls->lower->ops->eof_reason(tls->lower));
	return (NULL);
}

static void
tr_tls_close(struct transport *t)
{
	struct tr_tls	*tls = t->priv;

	/* A best-effort close_notify; the peer may be gone already. */
	gnutls_bye(tls->session, GNUTLS_SHUT_WR);
	gnutls_deinit(tls->session);
	gnutls_certificate_free_credentials(tls->cred);
	tr_close(tls->lower);
	free(tls->in);
	free(tls);
}

/* Say what was wrong with the certificate, and what to do about it. */
static char *
tr_tls_verify_error(gnutls_session_t session, const char *name)
{
	unsigned int	 status;
	struct buf	 b;

	status = gnutls_session_get_verify_cert_status(session);
	buf_init(&b, 0);
	buf_printf(&b, "certificate of %s not accepted:", name);
	if (status & GNUTLS_CERT_EXPIRED)
		buf_addstr(&b, " expired;");
	if (status & GNUTLS_CERT_NOT_ACTIVATED)
		buf_addstr(&b, " not valid yet;");
	if ((status & GNUTLS_CERT_UNEXPECTED_OWNER) && tr_tls_is_ip(name))
		buf_printf(&b, " it holds no entry for the IP address %s "
		    "(connect by the host name it was issued for);", name);
	else if (status & GNUTLS_CERT_UNEXPECTED_OWNER)
		buf_printf(&b, " name mismatch (it is not issued for %s);",
		    name);
	if (status & GNUTLS_CERT_SIGNER_NOT_FOUND)
		buf_addstr(&b, " unknown issuer (not signed by a trusted "
		    "CA);");
	if (status & GNUTLS_CERT_SIGNER_NOT_CA)
		buf_addstr(&b, " issuer is not a CA;");
	if (status & GNUTLS_CERT_REVOKED)
		buf_addstr(&b, " revoked;");
	if (status & GNUTLS_CERT_INSECURE_ALGORITHM)
		buf_addstr(&b, " insecure algorithm;");
	if (status & GNUTLS_CERT_SIGNATURE_FAILURE)
		buf_addstr(&b, " bad signature;");
	if (b.data[b.len - 1] == ':')
		buf_addstr(&b, " not trusted;");
	b.data[b.len - 1] = '.';
	if (status & GNUTLS_CERT_SIGNER_NOT_FOUND)
		buf_addstr(&b, " To trust a private CA, give it with "
		    "--cafile FILE;");
	else
		buf_addstr(&b, " Check the server's certificate;");
	buf_addstr(&b, " --insecure skips verification (not safe).");
	return (buf_steal(&b, NULL));
}

struct transport *
tr_tls_wrap(struct transport *lower, const struct tls_opts *opts,
    int timeout_ms, char **cause)
{
	struct transport	*t;
	struct tr_tls		*tls;

	t = xcalloc(1, sizeof *t);
	tls = xcalloc(1, sizeof *tls);
	tls->lower = lower;
	t->ops = &tr_tls_ops;
	t->priv = tls;
	t->loopback = lower->loopback;
	t->child = lower->child;
	t->tls = 1;
	t->peer = xstrdup(lower->peer);

	if (tr_tls_credentials(tls, opts, cause) == -1 ||
	    tr_tls_session(t, opts, timeout_ms, cause) == -1 ||
	    tr_tls_handshake(t, opts, timeout_ms, cause) == -1) {
		if (tls->session != NULL)
			gnutls_deinit(tls->session);
		if (tls->cred != NULL)
			gnutls_certificate_free_credentials(tls->cred);
		tr_close(lower);
		free(t->peer);
		free(tls->in);
		free(tls);
		free(t);
		return (NULL);
	}
	return (t);
}

/*
 * Load the certificates the server is checked against (--cafile or the
 * system's) and the client's own (--certfile, --keyfile) into tls->cred.
 */
static int
tr_tls_credentials(struct tr_tls *tls, const struct tls_opts *opts,
    char **cause)
{
	int	rv;

	if ((rv = gnutls_certificate_allocate_credentials(&tls->cred)) < 0)
		goto gnutls_fail;
	if (opts->cafile != NULL) {
		rv = gnutls_certificate_set_x509_trust_file(tls->cred,
		    opts->cafile, GNUTLS_X509_FMT_PEM);
		if (rv <= 0) {
			xasprintf(cause, "%s: %s", opts->cafile, rv == 0 ?
			    "no certificates found" : gnutls_strerror(rv));
			return (-1);
		}
	} else if ((rv = gnutls_certificate_set_x509_system_trust(
	    tls->cred)) < 0)
		goto gnutls_fail;
	if (opts->certfile != NULL) {
		rv = gnutls_certificate_set_x509_key_file(tls->cred,
		    opts->certfile, opts->keyfile != NULL ? opts->keyfile :
		    opts->certfile, GNUTLS_X509_FMT_PEM);
		if (rv < 0) {
			xasprintf(cause, "%s: %s", opts->certfile,
			    gnutls_strerror(rv));
			return (-1);
		}
	}
	return (0);

gnutls_fail:
	tr_tls_fail_cause(tls, opts, rv, cause);
	return (-1);
}

/*
 * Make the client session of t: the TLS versions allowed, the credentials,
 * SNI (a host name, never an address), verification unless --insecure,
 * I/O through the lower transport and the handshake timeout.
 */
static int
tr_tls_session(struct transport *t, const struct tls_opts *opts,
    int timeout_ms, char **cause)
{
	struct tr_tls	*tls = t->priv;
	int		 rv;

	if ((rv = gnutls_init(&tls->session, GNUTLS_CLIENT |
	    GNUTLS_NONBLOCK)) < 0)
		goto gnutls_fail;
	if (tls_version_apply(tls->session, opts->min_version, cause) == -1)
		return (-1);
	if ((rv = gnutls_credentials_set(tls->session, GNUTLS_CRD_CERTIFICATE,
	    tls->cred)) < 0)
		goto gnutls_fail;
	if (opts->servername != NULL && !tr_tls_is_ip(opts->servername))
		gnutls_server_name_set(tls->session, GNUTLS_NAME_DNS,
		    opts->servername, strlen(opts->servername));
	if (!opts->insecure)
		gnutls_session_set_verify_cert(tls->session,
		    opts->servername, 0);
	gnutls_transport_set_ptr(tls->session, t);
	gnutls_transport_set_push_function(tls->session, tr_tls_push);
	gnutls_transport_set_pull_function(tls->session, tr_tls_pull);
	gnutls_transport_set_pull_timeout_function(tls->session,
	    tr_tls_pull_timeout);
	if (timeout_ms > 0)
		gnutls_handshake_set_timeout(tls->session,
		    (unsigned int)timeout_ms);
	return (0);

gnutls_fail:
	tr_tls_fail_cause(tls, opts, rv, cause);
	return (-1);
}

/*
 * Run the handshake to its end, polling the lower transport while GnuTLS
 * waits for it; a verification failure, a fatal error, an interrupt or
 * the timeout ends it with *cause set.
 */
static int
tr_tls_handshake(struct transport *t, const struct tls_opts *opts,
    int timeout_ms, char **cause)
{
	struct tr_tls		*tls = t->priv;
	struct transport	*lower = tls->lower;
	struct pollfd		 pfd;
	int			 rv, n;

	for (;;) {
		rv = gnutls_handshake(tls->session);
		if (rv == GNUTLS_E_SUCCESS)
			break;
		if (rv == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR) {
			*cause = tr_tls_verify_error(tls->session,
			    opts->servername != NULL ? opts->servername :
			    "the server");
			return (-1);
		}
		if (gnutls_error_is_fatal(rv)) {
			tr_tls_fail_cause(tls, opts, rv, cause);
			return (-1);
		}
		if (tr_interrupt_pending(lower)) {
			*cause = xstrdup("interrupted");
			return (-1);
		}
		if (tls->in_off < tls->in_len || (lower->ops->pending != NULL &&
		    lower->ops->pending(lower) > 0))
			continue;
		if (gnutls_record_get_direction(tls->session) == 1) {
			pfd.fd = lower->ops->wfd(lower);
			pfd.events = POLLOUT;
		} else {
			pfd.fd = lower->ops->rfd(lower);
			pfd.events = POLLIN;
		}
		n = poll(&pfd, 1, timeout_ms > 0 ? timeout_ms : -1);
		if (n == 0) {
			xasprintf(cause, "TLS handshake timed out after %d "
			    "seconds", timeout_ms / 1000);
			return (-1);
		}
		if (n == -1 && errno != EINTR) {
			xasprintf(cause, "poll: %s", strerror(errno));
			return (-1);
		}
	}
	return (0);
}

/*
 * Set *cause for GnuTLS error rv while setting up or in the handshake:
 * say when the server only offers TLS versions below the minimum, name
 * the alert the server sent, or hint that the port may not speak TLS.
 */
static void
tr_tls_fail_cause(struct tr_tls *tls, const struct tls_opts *opts, int rv,
    char **cause)
{
	if ((*cause = tls_version_refused(tls->session, rv,
	    opts->min_version)) != NULL)
		;	/* an old server: say so, and how to allow it */
	else if (rv == GNUTLS_E_FATAL_ALERT_RECEIVED)
		xasprintf(cause, "TLS handshake failed: the server sent the "
		    "alert '%s'", gnutls_alert_get_name(
		    gnutls_alert_get(tls->session)));
	else if (rv == GNUTLS_E_UNEXPECTED_PACKET_LENGTH ||
	    rv == GNUTLS_E_UNSUPPORTED_VERSION_PACKET ||
	    rv == GNUTLS_E_UNEXPECTED_PACKET)
		xasprintf(cause, "TLS handshake failed: %s (is this port "
		    "speaking TLS? imaps is usually 993, STARTTLS 143)",
		    gnutls_strerror(rv));
	else
		xasprintf(cause, "TLS handshake failed: %s",
		    gnutls_strerror(rv));
}

int
tr_is_tls(struct transport *t)
{
	return (t != NULL && t->ops == &tr_tls_ops);
}

/* The TLS layer of t, which may sit under COMPRESS, or NULL. */
static struct transport *
tr_tls_find(struct transport *t)
{
	while (t != NULL && !tr_is_tls(t)) {
		if (strcmp(t->ops->name, "deflate") != 0)
			return (NULL);
		t = *(struct transport **)t->priv;	/* lower comes first */
	}
	return (t);
}

/* The certificate's subject alternative names, one a line: "  alt
 * name: DNS:mail.example.org" (IP:, email:, URI:; other kinds skipped). */
static void
tr_tls_alt_names(gnutls_x509_crt_t crt, struct buf *b)
{
	char		 name[1024], ip[INET6_ADDRSTRLEN];
	const char	*kind;
	size_t		 size;
	unsigned int	 i, critical;
	int		 type;

	for (i = 0; i < TLS_MAX_ALT_NAMES; i++) {
		size = sizeof name;
		type = gnutls_x509_crt_get_subject_alt_name(crt, i, name,
		    &size, &critical);
		if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			return;
		if (type == GNUTLS_SAN_IPADDRESS && (size == 4 || size == 16)) {
			inet_ntop(size == 4 ? AF_INET : AF_INET6, name, ip,
			    sizeof ip);
			buf_printf(b, "  alt name: IP:%s\n", ip);
			continue;
		}
		if (type == GNUTLS_SAN_DNSNAME)
			kind = "DNS";
		else if (type == GNUTLS_SAN_RFC822NAME)
			kind = "email";
		else if (type == GNUTLS_SAN_URI)
			kind = "URI";
		else
			continue;	/* too long, or of another kind */
		buf_printf(b, "  alt name: %s:", kind);
		term_line(b, name, size);
		buf_addc(b, '\n');
	}
	buf_printf(b, "  alt name: (more than %d)\n", TLS_MAX_ALT_NAMES);
}

/* The public key's algorithm and size: "  key: RSA 2048 bits". */
static void
tr_tls_describe_key(gnutls_x509_crt_t crt, struct buf *b)
{
	unsigned int	bits = 0;
	int		algo;
	const char	*name;

	if ((algo = gnutls_x509_crt_get_pk_algorithm(crt, &bits)) < 0)
		return;
	name = gnutls_pk_algorithm_get_name((gnutls_pk_algorithm_t)algo);
	buf_printf(b, "  key: %s %u bits\n", name != NULL ? name : "?",
	    bits);
}

int
tr_tls_describe(struct transport *t, char **out)
{
	struct tr_tls		*tls;
	const gnutls_datum_t	*peers;
	gnutls_x509_crt_t	 crt;
	gnutls_datum_t		 dn;
	struct buf		 b;
	unsigned int		 n = 0, i;
	unsigned char		 fp[32];
	size_t			 fplen, j;
	char			*desc, tbuf[64];
	time_t			 when;
	struct tm		 tm;

	if ((t = tr_tls_find(t)) == NULL)
		return (-1);
	tls = t->priv;
	buf_init(&b, 0);
	desc = gnutls_session_get_desc(tls->session);
	buf_printf(&b, "protocol: %s\n", gnutls_protocol_get_name(
	    gnutls_protocol_get_version(tls->session)));
	buf_printf(&b, "session: %s\n", desc != NULL ? desc : "?");
	gnutls_free(desc);
	peers = gnutls_certificate_get_peers(tls->session, &n);
	for (i = 0; peers != NULL && i < n; i++) {
		if (gnutls_x509_crt_init(&crt) < 0)
			break;
		if (gnutls_x509_crt_import(crt, &peers[i],
		    GNUTLS_X509_FMT_DER) < 0) {
			gnutls_x509_crt_deinit(crt);
			break;
		}
		buf_printf(&b, "certificate %u:\n", i);
		/* The names are the server's text: each stays on its line. */
		if (gnutls_x509_crt_get_dn3(crt, &dn, 0) >= 0) {
			buf_addstr(&b, "  subject: ");
			term_line(&b, (char *)dn.data, dn.size);
			buf_addc(&b, '\n');
			gnutls_free(dn.data);
		}
		if (gnutls_x509_crt_get_issuer_dn3(crt, &dn, 0) >= 0) {
			buf_addstr(&b, "  issuer: ");
			term_line(&b, (char *)dn.data, dn.size);
			buf_addc(&b, '\n');
			gnutls_free(dn.data);
		}
		tr_tls_alt_names(crt, &b);
		tr_tls_describe_key(crt, &b);
		when = gnutls_x509_crt_get_activation_time(crt);
		gmtime_r(&when, &tm);
		strftime(tbuf, sizeof tbuf, "%Y-%m-%d %H:%M:%S UTC", &tm);
		buf_printf(&b, "  valid from: %s\n", tbuf);
		when = gnutls_x509_crt_get_expiration_time(crt);
		gmtime_r(&when, &tm);
		strftime(tbuf, sizeof tbuf, "%Y-%m-%d %H:%M:%S UTC", &tm);
		buf_printf(&b, "  valid until: %s\n", tbuf);
		fplen = sizeof fp;
		if (gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA256,
		    fp, &fplen) >= 0) {
			buf_addstr(&b, "  sha256:");
			for (j = 0; j < fplen; j++)
				buf_printf(&b, "%s%02X", j == 0 ? " " : ":",
				    fp[j]);
			buf_addc(&b, '\n');
		}
		gnutls_x509_crt_deinit(crt);
	}
	*out = buf_steal(&b, NULL);
	return (0);
}

/*
 * The channel binding of the TLS session under t (RFC 5056), for
 * SCRAM-*-PLUS: "tls-exporter" (RFC 9266) on TLS 1.3, where tls-unique
 * is not defined, and "tls-server-end-point" (RFC 5929, a hash of the
 * server's certificate) on TLS 1.2.  Both come from GnuTLS.  Older
 * protocols get none: their binding types are known to be weak.
 */
int
tr_tls_channel_binding(struct transport *t, const char **type,
    unsigned char **data, size_t *len, char **cause)
{
	struct tr_tls			*tls;
	gnutls_channel_binding_t	 cbt;
	gnutls_protocol_t		 ver;
	gnutls_datum_t			 cb = { NULL, 0 };
	int				 rv;

	if ((t = tr_tls_find(t)) == NULL) {
		*cause = xstrdup("no TLS on this connection");
		return (-1);
	}
	tls = t->priv;
	ver = gnutls_protocol_get_version(tls->session);
	if (ver == GNUTLS_TLS1_3) {
		cbt = GNUTLS_CB_TLS_EXPORTER;
		*type = "tls-exporter";
	} else if (ver == GNUTLS_TLS1_2) {
		cbt = GNUTLS_CB_TLS_SERVER_END_POINT;
		*type = "tls-server-end-point";
	} else {
		xasprintf(cause, "no channel binding defined for %s",
		    gnutls_protocol_get_name(ver));
		return (-1);
	}
	if ((rv = gnutls_session_channel_binding(tls->session, cbt,
	    &cb)) < 0) {
		xasprintf(cause, "no %s channel binding from GnuTLS: %s",
		    *type, gnutls_strerror(rv));
		return (-1);
	}
	if (cb.size == 0) {
		gnutls_free(cb.data);
		xasprintf(cause, "GnuTLS gave an empty %s channel binding",
		    *type);
		return (-1);
	}
	*data = xmalloc(cb.size);
	memcpy(*data, cb.data, cb.size);
	*len = cb.size;
	gnutls_free(cb.data);
	return (0);
}
