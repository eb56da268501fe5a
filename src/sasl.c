/*
 * sasl.c: the client side of the SASL mechanisms AUTHENTICATE offers, as
 * small state machines that do no I/O (the contract is in sasl.h).
 *
 * Each mechanism is one row of sasl_mech_table[] and one step function.
 * sasl_step() does what all of them share: it turns the empty challenge a
 * server sends when the client did not use SASL-IR into the request for
 * the initial response, refuses a challenge that comes where none can,
 * and takes back a partial response when a step fails.  The step
 * function sees s->nsteps, the number of responses already produced, and
 * answers "unexpected challenge" when the exchange is over.
 *
 * All the cryptography is GnuTLS's: HMAC, hashes, PBKDF2, the random
 * nonce, the constant-time compare, base64 and the password preparation.
 * What is here is protocol: building messages, and parsing the SCRAM
 * server messages (RFC 5802 section 7 grammar, quoted above the parser).
 *
 * Secrets (password or token, and SCRAM's derived keys) live only in the
 * state and in local arrays, and are wiped (explicit_bzero) when no
 * longer needed: SCRAM drops the password as soon as the proof is built,
 * and sasl_free() wipes whatever is left.  Nothing here prints, and no
 * error text ever contains a secret.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "sasl.h"
#include "sasl-gssapi.h"
#include "xmalloc.h"

/*
 * The largest SCRAM iteration count accepted.  RFC 7677 asks for at
 * least 4096 and servers use 4096 to a few 100000; a million PBKDF2
 * rounds of SHA-256 take about a second, which bounds what a hostile or
 * broken server can make the client spend.  Counts below 1 are not
 * numbers the grammar allows.
 */
#define SCRAM_MAX_ITER		1000000u
#define SCRAM_NONCE_BYTES	24		/* 32 base64 characters */
#define SCRAM_MAX_HASH		32		/* SHA-256 */

/*
 * GnuTLS datums are at most UINT_MAX long: decode this many characters
 * at a time, encode this many bytes at a time.
 */
#define B64_DECODE_CHUNK	(4u * 16384)
#define B64_ENCODE_CHUNK	(3u * 16384)

enum sasl_kind {
	SASL_PLAIN,
	SASL_LOGIN,
	SASL_CRAM,			/* CRAM-MD5, -SHA1, -SHA256 */
	SASL_SCRAM,
	SASL_XOAUTH2,
	SASL_OAUTHBEARER,
	SASL_EXTERNAL,
	SASL_ANONYMOUS,
	SASL_GSSAPI
};

struct sasl_mech {
	const char		*name;
	enum sasl_kind		 kind;
	int			 client_first;
	int			 needs_user;
	int			 needs_secret;
	const char		*secret_name;	/* "needs ..." */
	gnutls_mac_algorithm_t	 mac;		/* SCRAM, CRAM */
	gnutls_digest_algorithm_t digest;	/* SCRAM */
	enum sasl_rc		(*step)(struct sasl *, const char *, size_t,
				    struct buf *, char **);
};

struct sasl {
	const struct sasl_mech	*mech;
	char			*user;
	char			*authzid;
	char			*secret;	/* SCRAM: already prepared */
	char			*host;
	char			*port;
	unsigned int		 nsteps;	/* responses produced */
	int			 failed;

	/* SCRAM */
	char			*cnonce;
	struct buf		 first_bare;	/* client-first-message-bare */
	unsigned char		 server_sig[SCRAM_MAX_HASH];
	size_t			 sig_len;
	int			 verified;
	char			*gs2_cbflag;	/* "n", "y" or "p=" type */
	unsigned char		*cb_data;	/* with "p=" */
	size_t			 cb_len;

	char			*server_error;	/* printable, or NULL */

	struct sasl_gssapi	*gssapi;	/* GSSAPI: sasl-gssapi.c */
};

static const struct sasl_mech	*sasl_lookup(const char *);
static int	 sasl_ascii_casecmp(const char *, const char *);
static enum sasl_rc sasl_unexpected(struct sasl *, char **);
static enum sasl_rc sasl_too_long(char **);
static int	 sasl_has_byte(const char *, int);
static int	 sasl_add_saslname(struct buf *, const char *);
static int	 sasl_gs2_header(struct buf *, const char *, const char *);
static int	 sasl_is_plus(const struct sasl_mech *);
static void	 sasl_unknown(const char *, char **);
static int	 sasl_b64_add(const void *, size_t, struct buf *);
static int	 sasl_b64_value(unsigned char);
static int	 sasl_cram_add(gnutls_mac_algorithm_t, const char *,
		    const char *, const char *, size_t, struct buf *, char **);
static int	 scram_prepare_password(const char *, char **, char **);
static int	 scram_gs2_header(const struct sasl *, struct buf *);
static int	 scram_attr(const char **, const char *, char, const char **,
		    size_t *);
static int	 scram_printable(const char *, size_t);
static int	 scram_iterations(const struct sasl_mech *, const char *,
		    size_t, unsigned int *, char **);
static int	 scram_extensions(const char *, const char *);
static enum sasl_rc scram_first(struct sasl *, struct buf *, char **);
static enum sasl_rc scram_final(struct sasl *, const char *, size_t,
		    struct buf *, char **);
static int	 scram_first_nonce(struct sasl *, const char *, size_t,
		    const char **, const char **, size_t *, char **);
static int	 scram_salt_iter(struct sasl *, const char **, const char *,
		    struct buf *, unsigned int *, char **);
static int	 scram_auth_message(struct sasl *, const char *, size_t,
		    const char *, size_t, struct buf *, struct buf *, char **);
static int	 scram_proof(struct sasl *, const struct buf *, unsigned int,
		    const struct buf *, unsigned char *, size_t, char **);
static enum sasl_rc scram_verify(struct sasl *, const char *, size_t,
		    char **);

static enum sasl_rc sasl_plain_step(struct sasl *, const char *, size_t,
		    struct buf *, char **);
static enum sasl_rc sasl_login_step(struct sasl *, const char *, size_t,
		    struct buf *, char **);
static enum sasl_rc sasl_cram_step(struct sasl *, const char *, size_t,
		    struct buf *, char **);
static enum sasl_rc sasl_scram_step(struct sasl *, const char *, size_t,
		    struct buf *, char **);
static enum sasl_rc sasl_xoauth2_step(struct sasl *, const char *, size_t,
		    struct buf *, char **);
static enum sasl_rc sasl_oauthbearer_step(struct sasl *, const char *,
		    size_t, struct buf *, char **);
static enum sasl_rc sasl_external_step(struct sasl *, const char *, size_t,
		    struct buf *, char **);
static enum sasl_rc sasl_anonymous_step(struct sasl *, const char *, size_t,
		    struct buf *, char **);
static enum sasl_rc sasl_gssapi_run(struct sasl *, const char *, size_t,
		    struct buf *, char **);

/* Same order as sasl_mechanisms[]. */
static const struct sasl_mech sasl_mech_table[] = {
	{ "PLAIN", SASL_PLAIN, 1, 1, 1, "a password", GNUTLS_MAC_UNKNOWN,
	    GNUTLS_DIG_UNKNOWN, sasl_plain_step },
	{ "LOGIN", SASL_LOGIN, 0, 1, 1, "a password", GNUTLS_MAC_UNKNOWN,
	    GNUTLS_DIG_UNKNOWN, sasl_login_step },
	{ "CRAM-MD5", SASL_CRAM, 0, 1, 1, "a password", GNUTLS_MAC_MD5,
	    GNUTLS_DIG_UNKNOWN, sasl_cram_step },
	{ "CRAM-SHA1", SASL_CRAM, 0, 1, 1, "a password", GNUTLS_MAC_SHA1,
	    GNUTLS_DIG_UNKNOWN, sasl_cram_step },
	{ "CRAM-SHA256", SASL_CRAM, 0, 1, 1, "a password", GNUTLS_MAC_SHA256,
	    GNUTLS_DIG_UNKNOWN, sasl_cram_step },
	{ "SCRAM-SHA-1", SASL_SCRAM, 1, 1, 1, "a password", GNUTLS_MAC_SHA1,
	    GNUTLS_DIG_SHA1, sasl_scram_step },
	{ "SCRAM-SHA-256", SASL_SCRAM, 1, 1, 1, "a password", GNUTLS_MAC_SHA256,
	    GNUTLS_DIG_SHA256, sasl_scram_step },
	{ "SCRAM-SHA-1-PLUS", SASL_SCRAM, 1, 1, 1, "a password",
	    GNUTLS_MAC_SHA1, GNUTLS_DIG_SHA1, sasl_scram_step },
	{ "SCRAM-SHA-256-PLUS", SASL_SCRAM, 1, 1, 1, "a password",
	    GNUTLS_MAC_SHA256, GNUTLS_DIG_SHA256, sasl_scram_step },
	{ "ANONYMOUS", SASL_ANONYMOUS, 1, 0, 0, NULL, GNUTLS_MAC_UNKNOWN,
	    GNUTLS_DIG_UNKNOWN, sasl_anonymous_step },
	{ "XOAUTH2", SASL_XOAUTH2, 1, 1, 1, "an OAuth token",
	    GNUTLS_MAC_UNKNOWN, GNUTLS_DIG_UNKNOWN, sasl_xoauth2_step },
	{ "OAUTHBEARER", SASL_OAUTHBEARER, 1, 0, 1, "an OAuth token",
	    GNUTLS_MAC_UNKNOWN, GNUTLS_DIG_UNKNOWN, sasl_oauthbearer_step },
	{ "EXTERNAL", SASL_EXTERNAL, 1, 0, 0, NULL, GNUTLS_MAC_UNKNOWN,
	    GNUTLS_DIG_UNKNOWN, sasl_external_step },
	{ "GSSAPI", SASL_GSSAPI, 1, 0, 0, NULL, GNUTLS_MAC_UNKNOWN,
	    GNUTLS_DIG_UNKNOWN, sasl_gssapi_run },
};
#define SASL_NMECH	(sizeof sasl_mech_table / sizeof sasl_mech_table[0])

const char *const sasl_mechanisms[] = {
	"PLAIN", "LOGIN", "CRAM-MD5", "CRAM-SHA1", "CRAM-SHA256",
	"SCRAM-SHA-1", "SCRAM-SHA-256",
	"SCRAM-SHA-1-PLUS", "SCRAM-SHA-256-PLUS", "ANONYMOUS",
	"XOAUTH2", "OAUTHBEARER", "EXTERNAL", "GSSAPI", NULL
};

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Compare ASCII letters without case, whatever the locale says. */
static int
sasl_ascii_casecmp(const char *a, const char *b)
{
	unsigned char	 ca, cb;

	for (;; a++, b++) {
		ca = (unsigned char)*a;
		cb = (unsigned char)*b;
		if (ca >= 'a' && ca <= 'z')
			ca -= 'a' - 'A';
		if (cb >= 'a' && cb <= 'z')
			cb -= 'a' - 'A';
		if (ca != cb)
			return (ca < cb ? -1 : 1);
		if (ca == '\0')
			return (0);
	}
}

static const struct sasl_mech *
sasl_lookup(const char *name)
{
	size_t	 i;

	if (name == NULL)
		return (NULL);
	for (i = 0; i < SASL_NMECH; i++) {
		if (sasl_ascii_casecmp(name, sasl_mech_table[i].name) == 0)
			return (&sasl_mech_table[i]);
	}
	return (NULL);
}

/*
 * A copy of len bytes safe to show on a terminal: every byte outside
 * printable ASCII becomes \xNN.  Used for whatever the server or the user
 * typed that ends up in an error text.
 */
char *
sasl_printable(const char *p, size_t len)
{
	static const char	 hex[] = "0123456789abcdef";
	struct buf		 b;
	unsigned char		 c;
	size_t			 i;

	buf_init(&b, 0);
	buf_add(&b, "", 0);
	for (i = 0; i < len; i++) {
		c = (unsigned char)p[i];
		if (c >= 0x20 && c < 0x7f) {
			if (buf_addc(&b, (char)c) == -1)
				break;
		} else if (buf_addc(&b, '\\') == -1 ||
		    buf_addc(&b, 'x') == -1 ||
		    buf_addc(&b, hex[c >> 4]) == -1 ||
		    buf_addc(&b, hex[c & 0xf]) == -1)
			break;
	}
	return (buf_steal(&b, NULL));
}

/* 1 if the string s holds byte c. */
static int
sasl_has_byte(const char *s, int c)
{
	return (s != NULL && strchr(s, c) != NULL);
}

static enum sasl_rc
sasl_unexpected(struct sasl *s, char **cause)
{
	xasprintf(cause, "unexpected challenge: the %s exchange has nothing "
	    "more to send", s->mech->name);
	return (SASL_ERR);
}

static enum sasl_rc
sasl_too_long(char **cause)
{
	*cause = xstrdup("SASL response too long for the buffer");
	return (SASL_ERR);
}

/*
 * RFC 5802's saslname: the name with "=" as "=3D" and "," as "=2C" (also
 * OAUTHBEARER's a=, RFC 7628 section 3.1).  No SASLprep of the name:
 * servers compare the bytes they are sent.  -1 past b's cap.
 */
static int
sasl_add_saslname(struct buf *b, const char *name)
{
	int	 rv;

	for (; *name != '\0'; name++) {
		if (*name == '=')
			rv = buf_addstr(b, "=3D");
		else if (*name == ',')
			rv = buf_addstr(b, "=2C");
		else
			rv = buf_addc(b, *name);
		if (rv == -1)
			return (-1);
	}
	return (0);
}

/*
 * gs2-header = gs2-cbind-flag "," ["a=" saslname] ","
 * gs2-cbind-flag = ("p=" cb-name) / "n" / "y"
 * cbflag is the flag as sent.  -1 past b's cap.
 */
static int
sasl_gs2_header(struct buf *b, const char *cbflag, const char *authzid)
{
	if (buf_addstr(b, cbflag) == -1 || buf_addc(b, ',') == -1)
		return (-1);
	if (authzid != NULL && authzid[0] != '\0' &&
	    (buf_addstr(b, "a=") == -1 || sasl_add_saslname(b, authzid) == -1))
		return (-1);
	return (buf_addc(b, ','));
}

/*
 * Why mech is refused: DIGEST-MD5 is historic (RFC 6331: its security
 * was weak and underspecified, SCRAM replaces it); anything else is
 * unknown, and the error lists what is known.
 */
static void
sasl_unknown(const char *mech, char **cause)
{
	struct buf	 b;
	char		*name, *known;
	size_t		 i;

	if (mech != NULL && sasl_ascii_casecmp(mech, "DIGEST-MD5") == 0) {
		*cause = xstrdup("DIGEST-MD5 is obsolete (RFC 6331) and not "
		    "offered: use SCRAM-SHA-256");
		return;
	}
	buf_init(&b, 0);
	for (i = 0; sasl_mechanisms[i] != NULL; i++) {
		if (i != 0)
			buf_addstr(&b, ", ");
		buf_addstr(&b, sasl_mechanisms[i]);
	}
	known = buf_steal(&b, NULL);
	name = sasl_printable(mech == NULL ? "" : mech,
	    mech == NULL ? 0 : strlen(mech));
	xasprintf(cause, "unknown SASL mechanism '%s'; imapsh knows %s", name,
	    known);
	free(name);
	free(known);
}

struct sasl *
sasl_new(const char *mech, const struct sasl_params *params, char **cause)
{
	static const struct sasl_params	 none;
	const struct sasl_mech		*m;
	struct sasl			*s;
	unsigned char			 raw[SCRAM_NONCE_BYTES];
	struct buf			 b;
	int				 rv;

	if (params == NULL)
		params = &none;
	if ((m = sasl_lookup(mech)) == NULL) {
		sasl_unknown(mech, cause);
		return (NULL);
	}
	if (m->needs_user && (params->user == NULL ||
	    params->user[0] == '\0')) {
		xasprintf(cause, "%s needs a user name", m->name);
		return (NULL);
	}
	if (m->needs_secret && (params->secret == NULL ||
	    ((m->kind == SASL_XOAUTH2 || m->kind == SASL_OAUTHBEARER) &&
	    params->secret[0] == '\0'))) {
		xasprintf(cause, "%s needs %s", m->name, m->secret_name);
		return (NULL);
	}
	/* The OAuth messages are \x01-separated: keep fields whole. */
	if ((m->kind == SASL_XOAUTH2 || m->kind == SASL_OAUTHBEARER) &&
	    (sasl_has_byte(params->user, '\001') ||
	    sasl_has_byte(params->secret, '\001') ||
	    sasl_has_byte(params->host, '\001') ||
	    sasl_has_byte(params->port, '\001'))) {
		xasprintf(cause, "%s: user, token, host and port may not "
		    "contain \\x01", m->name);
		return (NULL);
	}
	if (m->kind == SASL_SCRAM && params->test_nonce != NULL &&
	    (params->test_nonce[0] == '\0' ||
	    !scram_printable(params->test_nonce,
	    strlen(params->test_nonce)))) {
		xasprintf(cause, "%s: the nonce must be printable ASCII "
		    "without ','", m->name);
		return (NULL);
	}

	s = xcalloc(1, sizeof *s);
	s->mech = m;
	buf_init(&s->first_bare, 0);
	if (params->user != NULL)
		s->user = xstrdup(params->user);
	if (params->authzid != NULL)
		s->authzid = xstrdup(params->authzid);
	if (params->host != NULL)
		s->host = xstrdup(params->host);
	if (params->port != NULL)
		s->port = xstrdup(params->port);
	if (m->kind == SASL_SCRAM) {
		if (scram_prepare_password(params->secret, &s->secret,
		    cause) == -1) {
			sasl_free(s);
			return (NULL);
		}
		if (params->test_nonce != NULL)
			s->cnonce = xstrdup(params->test_nonce);
		else {
			rv = gnutls_rnd(GNUTLS_RND_NONCE, raw, sizeof raw);
			if (rv < 0) {
				xasprintf(cause, "%s: no random nonce: %s",
				    m->name, gnutls_strerror(rv));
				sasl_free(s);
				return (NULL);
			}
			/* Base64 is printable and has no ','. */
			buf_init(&b, 0);
			sasl_b64_encode(raw, sizeof raw, &b);
			s->cnonce = buf_steal(&b, NULL);
			explicit_bzero(raw, sizeof raw);
		}
	} else if (params->secret != NULL && m->needs_secret)
		s->secret = xstrdup(params->secret);
	if (m->kind == SASL_GSSAPI && (s->gssapi = sasl_gssapi_new(
	    params->host, params->authzid, cause)) == NULL) {
		sasl_free(s);
		return (NULL);
	}
	return (s);
}

void
sasl_free(struct sasl *s)
{
	if (s == NULL)
		return;
	freezero_str(s->user);
	freezero_str(s->authzid);
	freezero_str(s->secret);
	freezero_str(s->host);
	freezero_str(s->port);
	freezero_str(s->cnonce);
	buf_wipe(&s->first_bare);
	free(s->gs2_cbflag);
	if (s->cb_data != NULL)
		explicit_bzero(s->cb_data, s->cb_len);
	free(s->cb_data);
	free(s->server_error);
	sasl_gssapi_free(s->gssapi);
	explicit_bzero(s, sizeof *s);
	free(s);
}

const char *
sasl_name(const struct sasl *s)
{
	return (s->mech->name);
}

int
sasl_client_first(const struct sasl *s)
{
	return (s->mech->client_first);
}

/* Unknown mechanisms need nothing: sasl_new() will reject them before
 * the user is asked for a password. */
int
sasl_needs_secret(const char *mech)
{
	const struct sasl_mech	*m;

	if ((m = sasl_lookup(mech)) == NULL)
		return (0);
	return (m->needs_secret);
}

int
sasl_needs_user(const char *mech)
{
	const struct sasl_mech	*m;

	if ((m = sasl_lookup(mech)) == NULL)
		return (1);
	return (m->needs_user);
}

enum sasl_cb
sasl_channel_binding(const char *mech)
{
	const struct sasl_mech	*m;

	if ((m = sasl_lookup(mech)) == NULL || m->kind != SASL_SCRAM)
		return (SASL_CB_NONE);
	return (sasl_is_plus(m) ? SASL_CB_REQUIRED : SASL_CB_FLAG);
}

/* 1 for the SCRAM-*-PLUS mechanisms, which bind to the TLS channel. */
static int
sasl_is_plus(const struct sasl_mech *m)
{
	size_t	 len = strlen(m->name);

	return (len > 5 && strcmp(m->name + len - 5, "-PLUS") == 0);
}

/*
 * The gs2 channel binding flag of a SCRAM exchange (RFC 5802 section
 * 6): "p=" and the binding's type for -PLUS, which cannot go on without
 * one; "y" when the client could bind but the server offers no -PLUS
 * mechanism (a server that does support binding then knows someone
 * removed them from the list); "n" otherwise.
 */
int
sasl_bind(struct sasl *s, const char *t, const void *data, size_t len,
    int possible, char **cause)
{
	size_t	 i;

	if (s->mech->kind != SASL_SCRAM || s->nsteps != 0) {
		xasprintf(cause, "%s: no channel binding here", s->mech->name);
		return (-1);
	}
	free(s->gs2_cbflag);
	s->gs2_cbflag = NULL;
	if (!sasl_is_plus(s->mech)) {
		if (t != NULL) {
			xasprintf(cause, "%s does not bind to the channel; "
			    "%s-PLUS does", s->mech->name, s->mech->name);
			return (-1);
		}
		s->gs2_cbflag = xstrdup(possible ? "y" : "n");
		return (0);
	}
	if (t == NULL || t[0] == '\0' || data == NULL || len == 0) {
		xasprintf(cause, "%s needs TLS channel binding, and this "
		    "connection has none", s->mech->name);
		return (-1);
	}
	/* cb-name = 1*(ALPHA / DIGIT / "." / "-") */
	for (i = 0; t[i] != '\0'; i++) {
		if (!((t[i] >= 'a' && t[i] <= 'z') ||
		    (t[i] >= 'A' && t[i] <= 'Z') ||
		    (t[i] >= '0' && t[i] <= '9') || t[i] == '.' ||
		    t[i] == '-')) {
			xasprintf(cause, "%s: bad channel binding type",
			    s->mech->name);
			return (-1);
		}
	}
	xasprintf(&s->gs2_cbflag, "p=%s", t);
	if (s->cb_data != NULL)
		explicit_bzero(s->cb_data, s->cb_len);
	free(s->cb_data);
	s->cb_data = xmemdup(data, len);
	s->cb_len = len;
	return (0);
}

/* The SCRAM gs2-header, with the flag sasl_bind() chose ("n" when it was
 * not called). */
static int
scram_gs2_header(const struct sasl *s, struct buf *b)
{
	return (sasl_gs2_header(b, s->gs2_cbflag != NULL ? s->gs2_cbflag :
	    "n", s->authzid));
}

const char *
sasl_server_error(const struct sasl *s)
{
	return (s->server_error);
}

/*
 * What every mechanism shares.  A client-first mechanism asked with an
 * empty challenge (AUTHENTICATE without SASL-IR: the server sends "+ ")
 * gives its initial response; a non-empty first challenge is an error
 * (RFC 4422 section 5: no server data before the initial response).  On
 * SASL_ERR nothing stays appended to resp.
 */
enum sasl_rc
sasl_step(struct sasl *s, const char *chal, size_t len, struct buf *resp,
    char **cause)
{
	enum sasl_rc	 rc;
	size_t		 start = resp->len;

	if (s->failed) {
		xasprintf(cause, "the %s exchange has already failed",
		    s->mech->name);
		return (SASL_ERR);
	}
	if (s->mech->client_first && s->nsteps == 0 && chal != NULL) {
		if (len != 0) {
			xasprintf(cause, "the server sent a challenge before "
			    "the %s initial response", s->mech->name);
			s->failed = 1;
			return (SASL_ERR);
		}
		chal = NULL;
	}
	if (chal == NULL && (!s->mech->client_first || s->nsteps != 0)) {
		if (s->nsteps != 0)
			xasprintf(cause, "the %s initial response was "
			    "already sent", s->mech->name);
		else
			xasprintf(cause, "%s has no initial response",
			    s->mech->name);
		s->failed = 1;
		return (SASL_ERR);
	}
	if (chal == NULL)
		len = 0;
	rc = s->mech->step(s, chal, len, resp, cause);
	if (rc == SASL_ERR) {
		s->failed = 1;
		if (resp->data != NULL && resp->len > start) {
			explicit_bzero(resp->data + start, resp->len - start);
			resp->len = start;
			resp->data[start] = '\0';
		}
		return (rc);
	}
	s->nsteps++;
	return (rc);
}

/* After the tagged OK.  Only SCRAM proves anything about the server. */
int
sasl_finish(struct sasl *s, char **cause)
{
	if (s->failed) {
		xasprintf(cause, "the %s exchange failed", s->mech->name);
		return (-1);
	}
	if (s->mech->kind == SASL_SCRAM && !s->verified) {
		xasprintf(cause, "the server said OK without proving it knows "
		    "the password (no verified %s server signature)",
		    s->mech->name);
		return (-1);
	}
	if (s->mech->kind == SASL_GSSAPI)
		return (sasl_gssapi_finish(s->gssapi, cause));
	return (0);
}

/* RFC 4616: [authzid] NUL authcid NUL passwd, as the initial response. */
static enum sasl_rc
sasl_plain_step(struct sasl *s, const char *chal, size_t len,
    struct buf *resp, char **cause)
{
	(void)chal;
	(void)len;
	if (s->nsteps != 0)
		return (sasl_unexpected(s, cause));
	if ((s->authzid != NULL && buf_addstr(resp, s->authzid) == -1) ||
	    buf_addc(resp, '\0') == -1 ||
	    buf_addstr(resp, s->user) == -1 ||
	    buf_addc(resp, '\0') == -1 ||
	    buf_addstr(resp, s->secret) == -1)
		return (sasl_too_long(cause));
	return (SASL_DONE);
}

/* The first challenge ("Username:") gets the user, the second the
 * password, whatever their text. */
static enum sasl_rc
sasl_login_step(struct sasl *s, const char *chal, size_t len,
    struct buf *resp, char **cause)
{
	(void)chal;
	(void)len;
	switch (s->nsteps) {
	case 0:
		if (buf_addstr(resp, s->user) == -1)
			return (sasl_too_long(cause));
		return (SASL_CONTINUE);
	case 1:
		if (buf_addstr(resp, s->secret) == -1)
			return (sasl_too_long(cause));
		return (SASL_DONE);
	default:
		return (sasl_unexpected(s, cause));
	}
}

/*
 * RFC 2195: user SP lowercase-hex(HMAC-MD5(password, challenge)); the
 * CRAM-SHA1 and CRAM-SHA256 of Courier-IMAP are the same with their HMAC.
 * -1 with *cause (when cause is not NULL) if GnuTLS refuses the HMAC (MD5
 * in FIPS mode) or out is full; out is then as it was.
 */
static int
sasl_cram_add(gnutls_mac_algorithm_t alg, const char *user,
    const char *secret, const char *chal, size_t len, struct buf *out,
    char **cause)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 mac[SCRAM_MAX_HASH];
	char			 text[2 * sizeof mac];
	size_t			 i, mlen, start = out->len;
	int			 rv;

	mlen = gnutls_hmac_get_len(alg);
	if (mlen == 0 || mlen > sizeof mac)
		rv = GNUTLS_E_UNKNOWN_ALGORITHM;
	else
		rv = gnutls_hmac_fast(alg, secret, strlen(secret), chal, len,
		    mac);
	if (rv < 0) {
		if (cause != NULL)
			xasprintf(cause, "CRAM: HMAC-%s: %s",
			    gnutls_mac_get_name(alg), gnutls_strerror(rv));
		return (-1);
	}
	for (i = 0; i < mlen; i++) {
		text[2 * i] = hex[mac[i] >> 4];
		text[2 * i + 1] = hex[mac[i] & 0xf];
	}
	explicit_bzero(mac, sizeof mac);
	if (buf_addstr(out, user) == -1 || buf_addc(out, ' ') == -1 ||
	    buf_add(out, text, 2 * mlen) == -1) {
		if (out->data != NULL) {
			out->len = start;
			out->data[start] = '\0';
		}
		if (cause != NULL)
			*cause = xstrdup("SASL response too long for the "
			    "buffer");
		return (-1);
	}
	return (0);
}

/* imaplib's _CRAM_MD5_AUTH; on failure (see above) out is unchanged. */
void
sasl_cram_md5(const char *user, const char *secret, const char *chal,
    size_t len, struct buf *out)
{
	sasl_cram_add(GNUTLS_MAC_MD5, user, secret, chal, len, out, NULL);
}

static enum sasl_rc
sasl_cram_step(struct sasl *s, const char *chal, size_t len,
    struct buf *resp, char **cause)
{
	if (s->nsteps != 0)
		return (sasl_unexpected(s, cause));
	if (sasl_cram_add(s->mech->mac, s->user, s->secret, chal, len, resp,
	    cause) == -1)
		return (SASL_ERR);
	return (SASL_DONE);
}

/*
 * XOAUTH2 (Google's, also Microsoft's and Dovecot's):
 *	"user=" user ^A "auth=Bearer " token ^A ^A
 * A failure comes back as a challenge holding JSON; the client must
 * answer it with an empty response, and the server then says NO.
 */
static enum sasl_rc
sasl_xoauth2_step(struct sasl *s, const char *chal, size_t len,
    struct buf *resp, char **cause)
{
	switch (s->nsteps) {
	case 0:
		if (buf_addstr(resp, "user=") == -1 ||
		    buf_addstr(resp, s->user) == -1 ||
		    buf_addstr(resp, "\001auth=Bearer ") == -1 ||
		    buf_addstr(resp, s->secret) == -1 ||
		    buf_addstr(resp, "\001\001") == -1)
			return (sasl_too_long(cause));
		return (SASL_DONE);
	case 1:
		if (len != 0) {
			free(s->server_error);
			s->server_error = sasl_printable(chal, len);
		}
		return (SASL_DONE);
	default:
		return (sasl_unexpected(s, cause));
	}
}

/*
 * RFC 7628 section 3.1:
 *	gs2-header ^A ["host=" host ^A] ["port=" port ^A]
 *	    "auth=Bearer " token ^A ^A
 * with gs2-header "n,a=" saslname "," (or "n,," without a user).  An
 * error challenge (JSON, section 3.2.2) is answered with a single ^A.
 */
static enum sasl_rc
sasl_oauthbearer_step(struct sasl *s, const char *chal, size_t len,
    struct buf *resp, char **cause)
{
	switch (s->nsteps) {
	case 0:
		if (sasl_gs2_header(resp, "n", s->user) == -1 ||
		    buf_addc(resp, '\001') == -1 ||
		    (s->host != NULL && (buf_addstr(resp, "host=") == -1 ||
		    buf_addstr(resp, s->host) == -1 ||
		    buf_addc(resp, '\001') == -1)) ||
		    (s->port != NULL && (buf_addstr(resp, "port=") == -1 ||
		    buf_addstr(resp, s->port) == -1 ||
		    buf_addc(resp, '\001') == -1)) ||
		    buf_addstr(resp, "auth=Bearer ") == -1 ||
		    buf_addstr(resp, s->secret) == -1 ||
		    buf_addstr(resp, "\001\001") == -1)
			return (sasl_too_long(cause));
		return (SASL_DONE);
	case 1:
		if (len != 0) {
			free(s->server_error);
			s->server_error = sasl_printable(chal, len);
		}
		if (buf_addc(resp, '\001') == -1)
			return (sasl_too_long(cause));
		return (SASL_DONE);
	default:
		return (sasl_unexpected(s, cause));
	}
}

/*
 * RFC 4422 appendix A: an authorization identity (often empty) and
 * nothing else; the identity comes from outside (a TLS client
 * certificate).  The authzid when given, else the user name when not
 * empty (what imaplib's authenticate('EXTERNAL', lambda x: user) and
 * curl send), else nothing.
 */
static enum sasl_rc
sasl_external_step(struct sasl *s, const char *chal, size_t len,
    struct buf *resp, char **cause)
{
	const char	*id;

	(void)chal;
	(void)len;
	if (s->nsteps != 0)
		return (sasl_unexpected(s, cause));
	id = s->authzid != NULL ? s->authzid : s->user;
	if (id != NULL && buf_addstr(resp, id) == -1)
		return (sasl_too_long(cause));
	return (SASL_DONE);
}

/*
 * RFC 4505: message = [ email / token ], at most 255 characters, sent as
 * the initial response: the trace the server may log (the user
 * argument), or nothing.  The characters are counted as UTF-8 (bytes
 * that do not continue one); control characters are refused, since the
 * trace grammar has none.
 */
static enum sasl_rc
sasl_anonymous_step(struct sasl *s, const char *chal, size_t len,
    struct buf *resp, char **cause)
{
	const unsigned char	*p;
	size_t			 nchar = 0;

	(void)chal;
	(void)len;
	if (s->nsteps != 0)
		return (sasl_unexpected(s, cause));
	if (s->user == NULL)
		return (SASL_DONE);
	for (p = (const unsigned char *)s->user; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			*cause = xstrdup("ANONYMOUS: the trace may not hold "
			    "control characters");
			return (SASL_ERR);
		}
		if ((*p & 0xc0) != 0x80)
			nchar++;
	}
	if (nchar > 255) {
		*cause = xstrdup("ANONYMOUS: the trace is over 255 "
		    "characters");
		return (SASL_ERR);
	}
	if (buf_addstr(resp, s->user) == -1)
		return (sasl_too_long(cause));
	return (SASL_DONE);
}

/*
 * SCRAM's password preparation.  RFC 5802 asks for SASLprep (RFC 4013),
 * which the PRECIS framework replaced; GnuTLS implements its successor
 * for passwords, the OpaqueString profile of RFC 8265 (non-ASCII spaces
 * become U+0020, then NFC; controls are refused).  The two agree on the
 * passwords people type; they differ on compatibility characters (NFKC in
 * SASLprep, NFC here) and on the characters SASLprep maps to nothing
 * (soft hyphen, zero-width joiners), which are kept here.
 *
 * An ASCII password is used as it is: OpaqueString leaves printable
 * ASCII alone, and sending ASCII control characters unchanged matches
 * servers that do no preparation at all (Dovecot compares bytes).  A
 * password that is not valid UTF-8, or that OpaqueString refuses, is an
 * error rather than something sent as-is, which could only fail.
 */
static int
scram_prepare_password(const char *pw, char **out, char **cause)
{
	gnutls_datum_t	 norm = { NULL, 0 };
	const char	*p;
	size_t		 len;
	int		 rv;

	for (p = pw; *p != '\0'; p++) {
		if ((unsigned char)*p >= 0x80)
			break;
	}
	if (*p == '\0') {
		*out = xstrdup(pw);
		return (0);
	}
	len = strlen(pw);
	if (len > UINT_MAX) {
		*cause = xstrdup("SCRAM: the password is too long");
		return (-1);
	}
	rv = gnutls_utf8_password_normalize((const unsigned char *)pw,
	    (unsigned int)len, &norm, 0);
	if (rv < 0) {
		xasprintf(cause, "SCRAM: the password is not valid for "
		    "RFC 8265 preparation (it must be UTF-8 without control "
		    "characters): %s", gnutls_strerror(rv));
		return (-1);
	}
	*out = xmalloc((size_t)norm.size + 1);
	if (norm.size != 0)
		memcpy(*out, norm.data, norm.size);
	(*out)[norm.size] = '\0';
	explicit_bzero(norm.data, norm.size);
	gnutls_free(norm.data);
	return (0);
}

/*
 * printable = %x21-2B / %x2D-7E	; any printable ASCII but ","
 * (the nonce's alphabet).  1 if all len bytes are in it.
 */
static int
scram_printable(const char *p, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		if ((unsigned char)p[i] < 0x21 ||
		    (unsigned char)p[i] > 0x7e || p[i] == ',')
			return (0);
	}
	return (1);
}

/*
 * One attribute "name=value" at *pp, up to a "," or end.  On success
 * (*val, *vlen) is the value and *pp points past the "," (or at end).  -1 if
 * the attribute at *pp is not the one named.
 */
static int
scram_attr(const char **pp, const char *end, char name, const char **val,
    size_t *vlen)
{
	const char	*p = *pp, *comma;

	if (end - p < 2 || p[0] != name || p[1] != '=')
		return (-1);
	p += 2;
	if ((comma = memchr(p, ',', (size_t)(end - p))) == NULL)
		comma = end;
	*val = p;
	*vlen = (size_t)(comma - p);
	*pp = comma == end ? end : comma + 1;
	return (0);
}

/*
 * extensions = attr-val *("," attr-val)
 * attr-val = ALPHA "=" value	; value: anything but "," (not empty)
 * 1 if p..end (after the "," that announced them) has that shape.
 */
static int
scram_extensions(const char *p, const char *end)
{
	const char	*comma;

	for (;;) {
		if (end - p < 3 || !((p[0] >= 'a' && p[0] <= 'z') ||
		    (p[0] >= 'A' && p[0] <= 'Z')) || p[1] != '=')
			return (0);
		if ((comma = memchr(p, ',', (size_t)(end - p))) == NULL)
			return (1);
		if (comma == p + 2)
			return (0);
		p = comma + 1;
	}
}

/*
 * iteration-count = "i=" posit-number
 * posit-number = %x31-39 *DIGIT
 * Digit by digit, refusing anything past SCRAM_MAX_ITER before it can
 * overflow.
 */
static int
scram_iterations(const struct sasl_mech *m, const char *p, size_t len,
    unsigned int *iter, char **cause)
{
	unsigned int	 n = 0, d;
	size_t		 i;

	if (len == 0 || p[0] < '1' || p[0] > '9') {
		xasprintf(cause, "%s: the server's iteration count is not a "
		    "positive number", m->name);
		return (-1);
	}
	for (i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9') {
			xasprintf(cause, "%s: the server's iteration count "
			    "is not a number", m->name);
			return (-1);
		}
		d = (unsigned int)(p[i] - '0');
		if (n > (SCRAM_MAX_ITER - d) / 10) {
			xasprintf(cause, "%s: the server's iteration count "
			    "is over %u", m->name, SCRAM_MAX_ITER);
			return (-1);
		}
		n = n * 10 + d;
	}
	*iter = n;
	return (0);
}

/*
 * client-first-message = gs2-header client-first-message-bare
 * client-first-message-bare = "n=" saslname ",r=" c-nonce
 */
static enum sasl_rc
scram_first(struct sasl *s, struct buf *resp, char **cause)
{
	if (sasl_is_plus(s->mech) && s->cb_data == NULL) {
		xasprintf(cause, "%s needs TLS channel binding, and none was "
		    "given", s->mech->name);
		return (SASL_ERR);
	}
	buf_reset(&s->first_bare);
	if (buf_addstr(&s->first_bare, "n=") == -1 ||
	    sasl_add_saslname(&s->first_bare, s->user) == -1 ||
	    buf_addstr(&s->first_bare, ",r=") == -1 ||
	    buf_addstr(&s->first_bare, s->cnonce) == -1 ||
	    scram_gs2_header(s, resp) == -1 ||
	    buf_add(resp, s->first_bare.data, s->first_bare.len) == -1)
		return (sasl_too_long(cause));
	return (SASL_CONTINUE);
}

/*
 * server-first-message = [reserved-mext ","] nonce "," salt ","
 *                        iteration-count ["," extensions]
 * nonce = "r=" c-nonce [s-nonce]	; c-nonce: ours, s-nonce non-empty
 * salt = "s=" base64
 *
 * Then, with H and HMAC those of the mechanism:
 *	SaltedPassword  = PBKDF2(HMAC, password, salt, i, len(H))
 *	ClientKey       = HMAC(SaltedPassword, "Client Key")
 *	StoredKey       = H(ClientKey)
 *	AuthMessage     = client-first-message-bare "," server-first-message
 *	                  "," client-final-message-without-proof
 *	ClientSignature = HMAC(StoredKey, AuthMessage)
 *	ClientProof     = ClientKey XOR ClientSignature
 *	ServerKey       = HMAC(SaltedPassword, "Server Key")
 *	ServerSignature = HMAC(ServerKey, AuthMessage)	; kept to verify
 * and the answer
 * client-final-message = "c=" base64(cbind-input) ",r=" nonce
 *                        ",p=" base64(ClientProof)
 * cbind-input = gs2-header [cbind-data]	; cbind-data with "p=" only
 * The password is wiped once the proof is made.
 */
static enum sasl_rc
scram_final(struct sasl *s, const char *msg, size_t len, struct buf *resp,
    char **cause)
{
	const struct sasl_mech	*m = s->mech;
	const char		*p = msg, *nonce;
	size_t			 nonce_len, hlen;
	unsigned int		 iter;
	unsigned char		 proof[SCRAM_MAX_HASH];
	struct buf		 salt, authmsg, without_proof;
	enum sasl_rc		 rc = SASL_ERR;

	hlen = gnutls_hmac_get_len(m->mac);
	if (hlen == 0 || hlen > SCRAM_MAX_HASH)
		return (SASL_ERR);	/* not reached: the table is fixed */
	if (scram_first_nonce(s, msg, len, &p, &nonce, &nonce_len,
	    cause) == -1)
		return (SASL_ERR);

	buf_init(&salt, 0);
	if (scram_salt_iter(s, &p, msg + len, &salt, &iter, cause) == -1)
		goto out_salt;

	buf_init(&authmsg, 0);
	buf_init(&without_proof, 0);
	if (scram_auth_message(s, msg, len, nonce, nonce_len, &authmsg,
	    &without_proof, cause) == -1)
		goto out;
	if (scram_proof(s, &salt, iter, &authmsg, proof, hlen, cause) == -1)
		goto out;

	/* without_proof becomes the whole client-final-message. */
	if (buf_addstr(&without_proof, ",p=") == -1 ||
	    sasl_b64_add(proof, hlen, &without_proof) == -1 ||
	    buf_add(resp, without_proof.data, without_proof.len) == -1) {
		sasl_too_long(cause);
		goto out;
	}
	rc = SASL_CONTINUE;

	/* The password is no longer needed. */
	freezero_str(s->secret);
	s->secret = NULL;
out:
	explicit_bzero(proof, sizeof proof);
	buf_wipe(&authmsg);
	buf_wipe(&without_proof);
out_salt:
	buf_wipe(&salt);
	return (rc);
}

/*
 * The start of a server-first-message, up to and including the nonce:
 * no NUL, no server error, no mandatory extension, and a nonce that
 * extends the client's.  *pp is left after the nonce, which is set in
 * *nonce and *nonce_len.
 */
static int
scram_first_nonce(struct sasl *s, const char *msg, size_t len,
    const char **pp, const char **nonce, size_t *nonce_len, char **cause)
{
	const struct sasl_mech	*m = s->mech;
	const char		*end = msg + len, *val;
	size_t			 vlen, clen;
	char			*text;

	if (memchr(msg, '\0', len) != NULL) {
		xasprintf(cause, "%s: NUL in the server-first-message",
		    m->name);
		return (-1);
	}
	if (scram_attr(pp, end, 'e', &val, &vlen) == 0) {
		free(s->server_error);
		s->server_error = sasl_printable(val, vlen);
		xasprintf(cause, "%s server error: %s", m->name,
		    s->server_error);
		return (-1);
	}
	if (len >= 2 && msg[0] == 'm' && msg[1] == '=') {
		xasprintf(cause, "%s: the server requires an extension (m=) "
		    "imapsh does not know", m->name);
		return (-1);
	}
	clen = strlen(s->cnonce);
	if (scram_attr(pp, end, 'r', nonce, nonce_len) == -1 ||
	    *pp == end) {
		text = sasl_printable(msg, len);
		xasprintf(cause, "%s: malformed server-first-message '%s'",
		    m->name, text);
		free(text);
		return (-1);
	}
	if (*nonce_len <= clen || memcmp(*nonce, s->cnonce, clen) != 0 ||
	    !scram_printable(*nonce, *nonce_len)) {
		xasprintf(cause, "%s: the server's nonce does not extend "
		    "the client's", m->name);
		return (-1);
	}
	return (0);
}

/*
 * The rest of a server-first-message, from *pp to end: the salt
 * (decoded into salt), the iteration count and any extensions.
 */
static int
scram_salt_iter(struct sasl *s, const char **pp, const char *end,
    struct buf *salt, unsigned int *iter, char **cause)
{
	const struct sasl_mech	*m = s->mech;
	const char		*val;
	size_t			 vlen;
	char			*why;

	if (scram_attr(pp, end, 's', &val, &vlen) == -1 || vlen == 0) {
		xasprintf(cause, "%s: the server sent no salt", m->name);
		return (-1);
	}
	if (sasl_b64_decode(val, vlen, salt, &why) == -1) {
		xasprintf(cause, "%s: the server's salt is %s", m->name, why);
		free(why);
		return (-1);
	}
	if (salt->len > UINT_MAX || strlen(s->secret) > UINT_MAX) {
		xasprintf(cause, "%s: salt or password too long", m->name);
		return (-1);
	}
	if (scram_attr(pp, end, 'i', &val, &vlen) == -1) {
		xasprintf(cause, "%s: the server sent no iteration count",
		    m->name);
		return (-1);
	}
	if (scram_iterations(m, val, vlen, iter, cause) == -1)
		return (-1);
	if (*pp != end && !scram_extensions(*pp, end)) {
		xasprintf(cause, "%s: malformed extensions in the "
		    "server-first-message", m->name);
		return (-1);
	}
	/* *pp != end after the iteration count's value means a "," was
	 * eaten; an empty remainder is then a trailing comma. */
	if (*pp == end && val + vlen != end) {
		xasprintf(cause, "%s: trailing ',' in the server-first-message",
		    m->name);
		return (-1);
	}
	return (0);
}

/*
 * Build client-final-message-without-proof (the channel binding and the
 * combined nonce) and the AuthMessage the proof and the server's
 * signature are computed over.
 */
static int
scram_auth_message(struct sasl *s, const char *msg, size_t len,
    const char *nonce, size_t nonce_len, struct buf *authmsg,
    struct buf *without_proof, char **cause)
{
	struct buf	gs2;
	int		rv = 0;

	buf_init(&gs2, 0);
	if (scram_gs2_header(s, &gs2) == -1 ||
	    (s->cb_data != NULL &&
	    buf_add(&gs2, s->cb_data, s->cb_len) == -1) ||
	    buf_addstr(without_proof, "c=") == -1 ||
	    sasl_b64_add(gs2.data, gs2.len, without_proof) == -1 ||
	    buf_addstr(without_proof, ",r=") == -1 ||
	    buf_add(without_proof, nonce, nonce_len) == -1 ||
	    buf_add(authmsg, s->first_bare.data, s->first_bare.len) == -1 ||
	    buf_addc(authmsg, ',') == -1 ||
	    buf_add(authmsg, msg, len) == -1 ||
	    buf_addc(authmsg, ',') == -1 ||
	    buf_add(authmsg, without_proof->data, without_proof->len) == -1) {
		sasl_too_long(cause);
		rv = -1;
	}
	buf_wipe(&gs2);
	return (rv);
}

/*
 * Derive the keys from the password, salt and iteration count: put the
 * ClientProof (hlen bytes) in proof and keep the ServerSignature in s
 * for scram_verify().  The intermediate keys are wiped.
 */
static int
scram_proof(struct sasl *s, const struct buf *salt, unsigned int iter,
    const struct buf *authmsg, unsigned char *proof, size_t hlen,
    char **cause)
{
	const struct sasl_mech	*m = s->mech;
	unsigned char		 salted[SCRAM_MAX_HASH];
	unsigned char		 stored_key[SCRAM_MAX_HASH];
	unsigned char		 client_sig[SCRAM_MAX_HASH];
	unsigned char		 server_key[SCRAM_MAX_HASH];
	gnutls_datum_t		 pwd, saltd;
	size_t			 i;
	int			 rv, ret = -1;

	pwd.data = (unsigned char *)s->secret;
	pwd.size = (unsigned int)strlen(s->secret);
	saltd.data = (unsigned char *)salt->data;
	saltd.size = (unsigned int)salt->len;
	if ((rv = gnutls_pbkdf2(m->mac, &pwd, &saltd, iter, salted,
	    hlen)) < 0 ||
	    (rv = gnutls_hmac_fast(m->mac, salted, hlen, "Client Key", 10,
	    proof)) < 0 ||
	    (rv = gnutls_hash_fast(m->digest, proof, hlen,
	    stored_key)) < 0 ||
	    (rv = gnutls_hmac_fast(m->mac, stored_key, hlen, authmsg->data,
	    authmsg->len, client_sig)) < 0 ||
	    (rv = gnutls_hmac_fast(m->mac, salted, hlen, "Server Key", 10,
	    server_key)) < 0 ||
	    (rv = gnutls_hmac_fast(m->mac, server_key, hlen, authmsg->data,
	    authmsg->len, s->server_sig)) < 0) {
		xasprintf(cause, "%s: %s", m->name, gnutls_strerror(rv));
		goto out;
	}
	s->sig_len = hlen;
	/* ClientProof = ClientKey XOR ClientSignature */
	for (i = 0; i < hlen; i++)
		proof[i] ^= client_sig[i];
	ret = 0;
out:
	explicit_bzero(salted, sizeof salted);
	explicit_bzero(stored_key, sizeof stored_key);
	explicit_bzero(client_sig, sizeof client_sig);
	explicit_bzero(server_key, sizeof server_key);
	return (ret);
}

/*
 * server-final-message = (server-error / verifier) ["," extensions]
 * server-error = "e=" server-error-value
 * verifier = "v=" base64	; ServerSignature
 * The signature is compared in constant time; the exchange then ends
 * with an empty response.
 */
static enum sasl_rc
scram_verify(struct sasl *s, const char *msg, size_t len, char **cause)
{
	const char	*p = msg, *end = msg + len, *val;
	struct buf	 sig;
	char		*why;
	size_t		 vlen;
	int		 good;

	if (memchr(msg, '\0', len) != NULL) {
		xasprintf(cause, "%s: NUL in the server-final-message",
		    s->mech->name);
		return (SASL_ERR);
	}
	if (scram_attr(&p, end, 'e', &val, &vlen) == 0) {
		free(s->server_error);
		s->server_error = sasl_printable(val, vlen);
		xasprintf(cause, "%s server error: %s", s->mech->name,
		    s->server_error);
		return (SASL_ERR);
	}
	if (scram_attr(&p, end, 'v', &val, &vlen) == -1 ||
	    (p != end && !scram_extensions(p, end)) ||
	    (p == end && val + vlen != end)) {
		why = sasl_printable(msg, len);
		xasprintf(cause, "%s: malformed server-final-message '%s'",
		    s->mech->name, why);
		free(why);
		return (SASL_ERR);
	}
	buf_init(&sig, 0);
	if (sasl_b64_decode(val, vlen, &sig, &why) == -1) {
		xasprintf(cause, "%s: the server signature is %s",
		    s->mech->name, why);
		free(why);
		buf_wipe(&sig);
		return (SASL_ERR);
	}
	good = s->sig_len != 0 && sig.len == s->sig_len &&
	    gnutls_memcmp(sig.data, s->server_sig, s->sig_len) == 0;
	buf_wipe(&sig);
	if (!good) {
		xasprintf(cause, "%s: wrong server signature: this server "
		    "does not know the password (an impostor?)",
		    s->mech->name);
		return (SASL_ERR);
	}
	s->verified = 1;
	return (SASL_DONE);
}

static enum sasl_rc
sasl_scram_step(struct sasl *s, const char *chal, size_t len,
    struct buf *resp, char **cause)
{
	switch (s->nsteps) {
	case 0:
		return (scram_first(s, resp, cause));
	case 1:
		return (scram_final(s, chal, len, resp, cause));
	case 2:
		return (scram_verify(s, chal, len, cause));
	default:
		return (sasl_unexpected(s, cause));
	}
}

/* GSSAPI's state machine is its own module: sasl-gssapi.c. */
static enum sasl_rc
sasl_gssapi_run(struct sasl *s, const char *chal, size_t len,
    struct buf *resp, char **cause)
{
	return (sasl_gssapi_step(s->gssapi, chal, len, resp, cause));
}

/* Stops at out's cap (see sasl_b64_add). */
void
sasl_b64_encode(const void *p, size_t len, struct buf *out)
{
	sasl_b64_add(p, len, out);
}

/*
 * Encode with GnuTLS, a chunk (a multiple of 3 bytes) at a time.  -1 if
 * out's cap stopped it (out then holds a prefix of the encoding); GnuTLS
 * failing to allocate is handled as xmalloc does.
 */
static int
sasl_b64_add(const void *p, size_t len, struct buf *out)
{
	const unsigned char	*in = p;
	gnutls_datum_t		 data, enc;
	size_t			 n;
	int			 rv;

	if (buf_add(out, "", 0) == -1)
		return (-1);
	while (len != 0) {
		n = len < B64_ENCODE_CHUNK ? len : B64_ENCODE_CHUNK;
		data.data = (unsigned char *)(uintptr_t)in;
		data.size = (unsigned int)n;
		if ((rv = gnutls_base64_encode2(&data, &enc)) < 0) {
			fprintf(stderr, "imapsh: base64: %s\n",
			    gnutls_strerror(rv));
			exit(3);
		}
		rv = buf_add(out, enc.data, enc.size);
		gnutls_free(enc.data);
		if (rv == -1)
			return (-1);
		in += n;
		len -= n;
	}
	return (0);
}

/* The value of a base64 alphabet character, -1 for anything else. */
static int
sasl_b64_value(unsigned char c)
{
	const char	*hit;

	if (c == '\0' || (hit = strchr(b64_alphabet, c)) == NULL)
		return (-1);
	return ((int)(hit - b64_alphabet));
}

/*
 * Strict RFC 4648 section 4 base64: the length a multiple of 4, only the
 * alphabet, "=" only as the last one or two characters, and the bits the
 * padding leaves over zero (the only encoding of the bytes).  No
 * whitespace or line breaks, which GnuTLS would skip.  Checked here, then
 * decoded by GnuTLS.  On -1, out is as it was.
 */
int
sasl_b64_decode(const char *s, size_t len, struct buf *out, char **cause)
{
	gnutls_datum_t	 data, dec;
	size_t		 i, n, pad = 0, start = out->len;
	char		*what;
	int		 v, rv;

	buf_add(out, "", 0);
	if (len % 4 != 0) {
		xasprintf(cause, "not base64: length %zu is not a multiple "
		    "of 4", len);
		return (-1);
	}
	for (i = 0; i < len; i++) {
		if (s[i] == '=') {
			if (i < len - 2 ||
			    (i == len - 2 && s[len - 1] != '=')) {
				xasprintf(cause, "not base64: '=' at offset "
				    "%zu is not final padding", i);
				return (-1);
			}
			pad++;
			continue;
		}
		if (pad != 0 || sasl_b64_value((unsigned char)s[i]) == -1) {
			what = sasl_printable(s + i, 1);
			xasprintf(cause, "not base64: '%s' at offset %zu",
			    what, i);
			free(what);
			return (-1);
		}
	}
	if (pad != 0) {
		v = sasl_b64_value((unsigned char)s[len - pad - 1]);
		if ((pad == 2 && (v & 0x0f) != 0) ||
		    (pad == 1 && (v & 0x03) != 0)) {
			*cause = xstrdup("not base64: non-zero bits before "
			    "the padding");
			return (-1);
		}
	}
	for (i = 0; i < len; i += n) {
		n = len - i < B64_DECODE_CHUNK ? len - i : B64_DECODE_CHUNK;
		data.data = (unsigned char *)(uintptr_t)(s + i);
		data.size = (unsigned int)n;
		if ((rv = gnutls_base64_decode2(&data, &dec)) < 0) {
			xasprintf(cause, "not base64: %s", gnutls_strerror(rv));
			goto fail;
		}
		rv = buf_add(out, dec.data, dec.size);
		explicit_bzero(dec.data, dec.size);
		gnutls_free(dec.data);
		if (rv == -1) {
			*cause = xstrdup("base64 data too long for the buffer");
			goto fail;
		}
	}
	return (0);

fail:
	explicit_bzero(out->data + start, out->len - start);
	out->len = start;
	out->data[start] = '\0';
	return (-1);
}
