/*
 * sasl-gssapi.h: the client side of SASL GSSAPI (RFC 4752) with Kerberos
 * 5, as a state machine that does no I/O; sasl.c runs it as one of its
 * mechanisms.
 *
 * Credentials come from the user's ticket cache (kinit, KRB5CCNAME); the
 * service principal is imap@HOST.  Mutual authentication is required and
 * checked, and no security layer is chosen (TLS protects the link).  A
 * build without the GSS-API library (configure found no krb5-gssapi)
 * keeps these functions, and sasl_gssapi_new() then says the mechanism
 * is unavailable.
 */
#ifndef SASL_GSSAPI_H
#define SASL_GSSAPI_H

#include <stddef.h>
#include <stdint.h>

#include "sasl.h"
#include "xmalloc.h"

struct sasl_gssapi;

/*
 * A context for the service imap@host, with an optional authorization
 * identity (NULL or "" for none).  NULL and *cause when GSSAPI is not in
 * this build or the host is no usable name.
 */
struct sasl_gssapi *sasl_gssapi_new(const char *host, const char *authzid,
		    char **cause);
void		 sasl_gssapi_free(struct sasl_gssapi *);

/*
 * One step: chal is NULL for the initial response, else the decoded
 * challenge.  The token to send is appended to resp.  SASL_DONE once the
 * security layer message is answered.
 */
enum sasl_rc	 sasl_gssapi_step(struct sasl_gssapi *, const char *chal,
		    size_t len, struct buf *resp, char **cause);
/* 0 if the context is established, the server authenticated (mutual
 * authentication) and the security layer agreed; -1 with *cause if not. */
int		 sasl_gssapi_finish(const struct sasl_gssapi *, char **cause);

/* 1 if this build has GSSAPI. */
int		 sasl_gssapi_available(void);

#ifdef HAVE_GSSAPI
/*
 * What a person can do about a failed GSS call with these major and
 * minor (Kerberos) status codes: "run kinit" and the like, or NULL when
 * there is nothing more useful to say than the status text.  Pure.
 */
const char	*sasl_gssapi_advice(uint32_t major, uint32_t minor);
#endif

#endif
