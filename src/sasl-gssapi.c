/*
 * sasl-gssapi.c: SASL GSSAPI (RFC 4752) over MIT krb5's GSS-API library
 * (the contract is in sasl-gssapi.h).
 *
 * RFC 4752 section 3.1, the client's side:
 *   1. GSS_Init_sec_context for the host-based service "imap@HOST" with
 *      mutual_req_flag, and no input token: its output is the initial
 *      response.
 *   2. Each challenge is fed to GSS_Init_sec_context until it returns
 *      GSS_S_COMPLETE (for Kerberos the one challenge is the AP-REP that
 *      proves the server holds the service key); the last output token,
 *      possibly empty, is sent.  A context that completes without
 *      mutual_state is refused: the server would be unauthenticated.
 *   3. The next challenge is GSS_Wrap'ed: 4 octets, a bit mask of the
 *      security layers the server offers (1 none, 2 integrity, 4
 *      confidentiality) and its maximum message size.  The answer,
 *      GSS_Wrap'ed without confidentiality: the layer chosen, always 1
 *      ("no security layer"; TLS protects the link), the maximum size,
 *      which must be 0 without a layer, then the authorization identity.
 *
 * The tokens sent are secrets while they last (a Kerberos authenticator
 * can be replayed within the clock skew): they are wiped once copied, and
 * the caller keeps them out of traces.  Error texts carry the GSS major
 * and minor status texts, escaped for the terminal, after advice a
 * person can act on (sasl_gssapi_advice).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_GSSAPI
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5.h>
#endif

#include "sasl.h"
#include "sasl-gssapi.h"
#include "xmalloc.h"

#ifndef HAVE_GSSAPI

/* The build without the library: the mechanism is known, not usable. */
struct sasl_gssapi *
sasl_gssapi_new(const char *host, const char *authzid, char **cause)
{
	*cause = xstrdup("GSSAPI is not available in this build of imapsh "
	    "(it was built without MIT Kerberos: install libkrb5-dev, run "
	    "./configure and rebuild)");
	return (NULL);
}

void
sasl_gssapi_free(struct sasl_gssapi *g)
{
}

enum sasl_rc
sasl_gssapi_step(struct sasl_gssapi *g, const char *chal, size_t len,
    struct buf *resp, char **cause)
{
	*cause = xstrdup("GSSAPI is not available in this build of imapsh");
	return (SASL_ERR);
}

int
sasl_gssapi_finish(const struct sasl_gssapi *g, char **cause)
{
	*cause = xstrdup("GSSAPI is not available in this build of imapsh");
	return (-1);
}

int
sasl_gssapi_available(void)
{
	return (0);
}

#else /* HAVE_GSSAPI */

/* RFC 4752 section 3.3: the security layer bit masks. */
#define GSSAPI_LAYER_NONE	0x01

/* The most bytes of status text kept from the library, per code. */
#define GSSAPI_STATUS_MAX	1024

enum sasl_gssapi_state {
	GSSAPI_CONTEXT,		/* GSS_Init_sec_context rounds */
	GSSAPI_LAYER,		/* waiting for the wrapped layer offer */
	GSSAPI_DONE		/* the layer answer was produced */
};

struct sasl_gssapi {
	enum sasl_gssapi_state	 state;
	gss_ctx_id_t		 ctx;
	gss_name_t		 target;
	char			*service;	/* "imap@HOST", printable */
	char			*authzid;	/* or NULL */
	int			 mutual;	/* mutual_state was set */
};

static int	 gssapi_add_token(struct buf *, gss_buffer_t);
static void	 gssapi_status_text(struct buf *, OM_uint32, int);
static void	 gssapi_error(const struct sasl_gssapi *, const char *,
		    OM_uint32, OM_uint32, char **);
static enum sasl_rc gssapi_context(struct sasl_gssapi *, const char *,
		    size_t, struct buf *, char **);
static enum sasl_rc gssapi_layer(struct sasl_gssapi *, const char *, size_t,
		    struct buf *, char **);

int
sasl_gssapi_available(void)
{
	return (1);
}

const char *
sasl_gssapi_advice(uint32_t major, uint32_t minor)
{
	switch ((krb5_error_code)(int32_t)minor) {
	case KRB5_FCC_NOFILE:
	case KRB5_CC_NOTFOUND:
	case KRB5_CC_END:
		return ("no Kerberos ticket: run kinit (or set KRB5CCNAME "
		    "to the ticket cache)");
	case KRB5KRB_AP_ERR_TKT_EXPIRED:
		return ("the Kerberos ticket has expired: run kinit again");
	case KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN:
		return ("the KDC does not know the service principal: check "
		    "the host name, or name the server's Kerberos host with "
		    "--service-host");
	case KRB5KRB_AP_ERR_SKEW:
		return ("clock skew: this computer's clock and the KDC's or "
		    "the server's differ by more than Kerberos allows (5 "
		    "minutes by default): set the clock right");
	case KRB5_KDC_UNREACH:
	case KRB5_REALM_UNKNOWN:
	case KRB5_REALM_CANT_RESOLVE:
		return ("no KDC could be reached for the realm: check "
		    "krb5.conf (or KRB5_CONFIG) and the network");
	default:
		break;
	}
	switch (GSS_ROUTINE_ERROR(major)) {
	case GSS_S_NO_CRED:
		return ("no Kerberos credentials: run kinit");
	case GSS_S_CREDENTIALS_EXPIRED:
		return ("the Kerberos ticket has expired: run kinit again");
	default:
		return (NULL);
	}
}

/*
 * "imap@host", for GSS_C_NT_HOSTBASED_SERVICE.  The host is the one
 * connected to or --service-host: printable ASCII without '@' or '/'
 * (which would make another principal), else an error.
 */
struct sasl_gssapi *
sasl_gssapi_new(const char *host, const char *authzid, char **cause)
{
	struct sasl_gssapi	*g;
	gss_buffer_desc		 name;
	OM_uint32		 major, minor;
	const char		*p;
	char			*text;

	if (host == NULL || *host == '\0') {
		*cause = xstrdup("GSSAPI needs the server's host name for "
		    "its service principal imap@HOST: give it with "
		    "--service-host");
		return (NULL);
	}
	for (p = host; *p != '\0'; p++) {
		if (*p <= 0x20 || *p >= 0x7f || *p == '@' || *p == '/') {
			text = sasl_printable(host, strlen(host));
			xasprintf(cause, "GSSAPI: '%s' is not a host name for "
			    "a service principal", text);
			free(text);
			return (NULL);
		}
	}
	g = xcalloc(1, sizeof *g);
	g->ctx = GSS_C_NO_CONTEXT;
	g->target = GSS_C_NO_NAME;
	xasprintf(&g->service, "imap@%s", host);
	if (authzid != NULL && *authzid != '\0')
		g->authzid = xstrdup(authzid);
	name.value = g->service;
	name.length = strlen(g->service);
	major = gss_import_name(&minor, &name, GSS_C_NT_HOSTBASED_SERVICE,
	    &g->target);
	if (GSS_ERROR(major)) {
		gssapi_error(g, "gss_import_name", major, minor, cause);
		sasl_gssapi_free(g);
		return (NULL);
	}
	return (g);
}

void
sasl_gssapi_free(struct sasl_gssapi *g)
{
	OM_uint32	 minor;

	if (g == NULL)
		return;
	if (g->ctx != GSS_C_NO_CONTEXT)
		gss_delete_sec_context(&minor, &g->ctx, GSS_C_NO_BUFFER);
	if (g->target != GSS_C_NO_NAME)
		gss_release_name(&minor, &g->target);
	free(g->service);
	freezero_str(g->authzid);
	free(g);
}

/*
 * Append a token to b (unless b is NULL), then wipe and release it.  -1
 * past b's cap.
 */
static int
gssapi_add_token(struct buf *b, gss_buffer_t tok)
{
	OM_uint32	 minor;
	int		 rv = 0;

	if (tok->length != 0 && tok->value != NULL) {
		if (b != NULL)
			rv = buf_add(b, tok->value, tok->length);
		explicit_bzero(tok->value, tok->length);
	}
	gss_release_buffer(&minor, tok);
	return (rv);
}

/*
 * The library's text for one status code (all its messages, joined by
 * "; "), escaped for the terminal and cut at GSSAPI_STATUS_MAX bytes.
 */
static void
gssapi_status_text(struct buf *b, OM_uint32 code, int type)
{
	gss_buffer_desc	 msg;
	OM_uint32	 major, minor, more = 0;
	size_t		 n, start = b->len;
	char		*text;
	int		 first = 1;

	do {
		major = gss_display_status(&minor, code, type,
		    type == GSS_C_MECH_CODE ? (gss_OID)gss_mech_krb5 :
		    GSS_C_NO_OID, &more, &msg);
		if (GSS_ERROR(major))
			break;
		n = b->len - start < GSSAPI_STATUS_MAX ?
		    GSSAPI_STATUS_MAX - (b->len - start) : 0;
		if (n > msg.length)
			n = msg.length;
		text = sasl_printable(msg.value, n);
		if ((!first && buf_addstr(b, "; ") == -1) ||
		    buf_addstr(b, text) == -1)
			more = 0;
		free(text);
		gss_release_buffer(&minor, &msg);
		first = 0;
	} while (more != 0 && b->len - start < GSSAPI_STATUS_MAX);
}

/*
 * *cause for a failed GSS call: the advice when there is one, then the
 * major and minor status texts, e.g.
 * "GSSAPI: no Kerberos ticket: run kinit (...) [imap@host:
 *  gss_init_sec_context: No credentials were supplied...; No Kerberos
 *  credentials available (default cache: FILE:/tmp/krb5cc_0)]".
 */
static void
gssapi_error(const struct sasl_gssapi *g, const char *call, OM_uint32 major,
    OM_uint32 minor, char **cause)
{
	const char	*advice;
	struct buf	 b;

	buf_init(&b, 0);
	buf_addstr(&b, "GSSAPI: ");
	if ((advice = sasl_gssapi_advice(major, minor)) != NULL) {
		buf_addstr(&b, advice);
		buf_addstr(&b, " [");
	}
	buf_printf(&b, "%s: %s: ", g->service, call);
	gssapi_status_text(&b, major, GSS_C_GSS_CODE);
	if (minor != 0) {
		buf_addstr(&b, "; ");
		gssapi_status_text(&b, minor, GSS_C_MECH_CODE);
	}
	if (advice != NULL)
		buf_addc(&b, ']');
	*cause = buf_steal(&b, NULL);
}

/* Step 1 and 2 of RFC 4752 section 3.1 (see the top of the file). */
static enum sasl_rc
gssapi_context(struct sasl_gssapi *g, const char *chal, size_t len,
    struct buf *resp, char **cause)
{
	gss_buffer_desc	 in, out = GSS_C_EMPTY_BUFFER;
	OM_uint32	 major, minor, flags = 0;

	if (chal == NULL && g->ctx != GSS_C_NO_CONTEXT) {
		*cause = xstrdup("GSSAPI: the initial response was already "
		    "sent");
		return (SASL_ERR);
	}
	in.value = (void *)(uintptr_t)chal;
	in.length = chal == NULL ? 0 : len;
	major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &g->ctx,
	    g->target, (gss_OID)gss_mech_krb5,
	    GSS_C_MUTUAL_FLAG | GSS_C_SEQUENCE_FLAG | GSS_C_INTEG_FLAG, 0,
	    GSS_C_NO_CHANNEL_BINDINGS, chal == NULL ? GSS_C_NO_BUFFER : &in,
	    NULL, &out, &flags, NULL);
	if (GSS_ERROR(major)) {
		gssapi_add_token(NULL, &out);
		gssapi_error(g, "gss_init_sec_context", major, minor, cause);
		return (SASL_ERR);
	}
	if (major == GSS_S_COMPLETE) {
		if ((flags & GSS_C_MUTUAL_FLAG) == 0) {
			gssapi_add_token(NULL, &out);
			xasprintf(cause, "GSSAPI: the server did not prove "
			    "its identity (no mutual authentication for %s)",
			    g->service);
			return (SASL_ERR);
		}
		g->mutual = 1;
		g->state = GSSAPI_LAYER;
	}
	if (gssapi_add_token(resp, &out) == -1) {
		*cause = xstrdup("GSSAPI: token too long for the buffer");
		return (SASL_ERR);
	}
	return (SASL_CONTINUE);
}

/* Step 3 of RFC 4752 section 3.1: choose no security layer. */
static enum sasl_rc
gssapi_layer(struct sasl_gssapi *g, const char *chal, size_t len,
    struct buf *resp, char **cause)
{
	gss_buffer_desc	 in, offer = GSS_C_EMPTY_BUFFER;
	gss_buffer_desc	 out = GSS_C_EMPTY_BUFFER;
	struct buf	 answer;
	OM_uint32	 major, minor;
	unsigned char	 layers;
	static const unsigned char none[4] = { GSSAPI_LAYER_NONE, 0, 0, 0 };
	enum sasl_rc	 rc = SASL_ERR;

	in.value = (void *)(uintptr_t)chal;
	in.length = len;
	major = gss_unwrap(&minor, g->ctx, &in, &offer, NULL, NULL);
	if (GSS_ERROR(major)) {
		gssapi_error(g, "gss_unwrap of the security layer offer",
		    major, minor, cause);
		return (SASL_ERR);
	}
	if (offer.length != 4) {
		xasprintf(cause, "GSSAPI: the server's security layer offer "
		    "is %zu bytes, not 4", (size_t)offer.length);
		gss_release_buffer(&minor, &offer);
		return (SASL_ERR);
	}
	layers = ((unsigned char *)offer.value)[0];
	gss_release_buffer(&minor, &offer);
	if ((layers & GSSAPI_LAYER_NONE) == 0) {
		xasprintf(cause, "GSSAPI: the server requires a security "
		    "layer (offers 0x%02x); imapsh uses none, relying on TLS",
		    layers);
		return (SASL_ERR);
	}

	buf_init(&answer, 0);
	if (buf_add(&answer, none, sizeof none) == -1 ||
	    (g->authzid != NULL && buf_addstr(&answer, g->authzid) == -1)) {
		*cause = xstrdup("GSSAPI: authorization identity too long");
		goto out;
	}
	in.value = answer.data;
	in.length = answer.len;
	major = gss_wrap(&minor, g->ctx, 0, GSS_C_QOP_DEFAULT, &in, NULL,
	    &out);
	if (GSS_ERROR(major)) {
		gssapi_error(g, "gss_wrap of the security layer answer",
		    major, minor, cause);
		goto out;
	}
	if (gssapi_add_token(resp, &out) == -1) {
		*cause = xstrdup("GSSAPI: token too long for the buffer");
		goto out;
	}
	g->state = GSSAPI_DONE;
	rc = SASL_DONE;
out:
	buf_wipe(&answer);
	return (rc);
}

enum sasl_rc
sasl_gssapi_step(struct sasl_gssapi *g, const char *chal, size_t len,
    struct buf *resp, char **cause)
{
	switch (g->state) {
	case GSSAPI_CONTEXT:
		return (gssapi_context(g, chal, len, resp, cause));
	case GSSAPI_LAYER:
		if (chal == NULL)
			break;
		return (gssapi_layer(g, chal, len, resp, cause));
	case GSSAPI_DONE:
		break;
	}
	*cause = xstrdup("unexpected challenge: the GSSAPI exchange has "
	    "nothing more to send");
	return (SASL_ERR);
}

int
sasl_gssapi_finish(const struct sasl_gssapi *g, char **cause)
{
	if (g->state == GSSAPI_DONE && g->mutual)
		return (0);
	xasprintf(cause, "the server said OK before the GSSAPI exchange "
	    "was complete (%s)", g->mutual ? "no security layer agreed" :
	    "the server did not prove its identity");
	return (-1);
}

#endif /* HAVE_GSSAPI */
