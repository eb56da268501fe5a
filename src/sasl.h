/*
 * sasl.h: client SASL mechanisms as small state machines, no I/O.
 *
 * The command layer runs AUTHENTICATE: it asks sasl_step() for the initial
 * response (when the mechanism has one and the server offers SASL-IR), then
 * for a response to each server challenge.  Challenges and responses here
 * are raw bytes: base64 is done by the caller with the helpers below
 * (GnuTLS's base64), so that a challenge that is not valid base64 can be
 * answered with "*" (cancel) before any mechanism sees it.
 *
 * Mechanisms: PLAIN, LOGIN, CRAM-MD5, CRAM-SHA1, CRAM-SHA256,
 * SCRAM-SHA-1, SCRAM-SHA-256 and their -PLUS variants with TLS channel
 * binding (the server signature is verified), ANONYMOUS, XOAUTH2,
 * OAUTHBEARER, EXTERNAL, and GSSAPI (Kerberos 5, in sasl-gssapi.c, when
 * the build has it).  All
 * crypto (HMAC, hashes, PBKDF2, random) comes from GnuTLS.  Secrets are
 * wiped when the state is freed.
 */
#ifndef SASL_H
#define SASL_H

#include <stddef.h>

#include "xmalloc.h"

struct sasl;

struct sasl_params {
	const char	*user;		/* authentication identity */
	const char	*authzid;	/* authorization identity, or NULL */
	const char	*secret;	/* password, or OAuth token */
	const char	*host;		/* OAUTHBEARER's host=; GSSAPI's
					   service principal imap@host */
	const char	*port;		/* for OAUTHBEARER's port= */
	const char	*test_nonce;	/* SCRAM client nonce; tests only */
};

/* What a mechanism does with TLS channel binding. */
enum sasl_cb {
	SASL_CB_NONE,		/* nothing: not SCRAM */
	SASL_CB_FLAG,		/* SCRAM: says "y" or "n" */
	SASL_CB_REQUIRED	/* SCRAM-*-PLUS: binds, or fails */
};

enum sasl_rc {
	SASL_ERR = -1,		/* *cause says why; send "*" to cancel */
	SASL_CONTINUE = 0,	/* send resp and expect another challenge */
	SASL_DONE = 1		/* send resp; the server should now say OK */
};

/* The mechanisms, upper case, NULL-terminated (for help, completion). */
extern const char *const sasl_mechanisms[];

/* NULL and *cause for an unknown mechanism or a missing parameter. */
struct sasl	*sasl_new(const char *mech, const struct sasl_params *,
		    char **cause);
void		 sasl_free(struct sasl *);	/* wipes secrets */
const char	*sasl_name(const struct sasl *);
/* 1 if the mechanism sends the first message (an initial response). */
int		 sasl_client_first(const struct sasl *);
/* 1 if the mechanism needs a secret (all but EXTERNAL, ANONYMOUS). */
int		 sasl_needs_secret(const char *mech);
/* 1 if the mechanism needs a user name (1 for an unknown one). */
int		 sasl_needs_user(const char *mech);
enum sasl_cb	 sasl_channel_binding(const char *mech);
/*
 * SCRAM channel binding, given before the first step (the binding comes
 * from the TLS layer).  For -PLUS: type ("tls-exporter" ...) and the
 * binding data, without which the first step fails.  For the other
 * SCRAM mechanisms: type NULL, and possible 1 when the client could bind
 * but the server offers no -PLUS (gs2 flag "y"; "n" otherwise and by
 * default).  -1 with *cause on a mismatch.
 */
int		 sasl_bind(struct sasl *, const char *type, const void *data,
		    size_t len, int possible, char **cause);

/*
 * One step.  chal is NULL for the initial response, else the decoded
 * challenge.  The response bytes are appended to resp (which the caller
 * wipes).  A server error reported as a challenge (the JSON of XOAUTH2 and
 * OAUTHBEARER) is kept for sasl_server_error() and answered as the
 * mechanism requires.
 */
enum sasl_rc	 sasl_step(struct sasl *, const char *chal, size_t len,
		    struct buf *resp, char **cause);
/* After the tagged OK: 0 if the exchange is complete and verified (SCRAM
 * must have seen a valid server signature), -1 with *cause if not. */
int		 sasl_finish(struct sasl *, char **cause);
/* The error text the server sent as a challenge, or NULL. */
const char	*sasl_server_error(const struct sasl *);

/* Base64 (GnuTLS).  decode is strict: -1 with *cause on anything that is
 * not canonical base64 (an empty input decodes to nothing). */
void		 sasl_b64_encode(const void *, size_t, struct buf *);
int		 sasl_b64_decode(const char *, size_t, struct buf *,
		    char **cause);

/* A copy of len bytes safe for a terminal: bytes outside printable ASCII
 * become \xNN. */
char		*sasl_printable(const char *, size_t);

/* CRAM-MD5's response, as imaplib's _CRAM_MD5_AUTH: "user hexdigest". */
void		 sasl_cram_md5(const char *user, const char *secret,
		    const char *chal, size_t len, struct buf *out);

#endif
