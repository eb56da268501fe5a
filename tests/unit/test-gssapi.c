/*
 * test-gssapi.c: the GSSAPI mechanism's parts that need no KDC: the
 * advice for each Kerberos failure a person can act on (no ticket,
 * expired ticket, unknown service principal, clock skew, no KDC), the
 * checks of the service host, the state machine's refusals, and a real
 * gss_init_sec_context without a ticket cache.  The exchange itself runs
 * against a real KDC and Dovecot in tests/bats/15-secure-gssapi.bats.
 *
 * A build without GSSAPI runs the other half: the mechanism is still
 * known (listed, completed) and says it is unavailable in this build.
 *
 * A TAP program: "ok N - ..." per check, the plan last; exit 0 iff all
 * pass.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_GSSAPI
#include <gssapi/gssapi.h>
#include <krb5.h>
#endif

#include "sasl.h"
#include "sasl-gssapi.h"
#include "xmalloc.h"
#include "tap.h"

static int	contains(const char *, const char *);
static void	test_listed(void);
static struct sasl *new_gssapi(const char *, const char *, char **);
#ifdef HAVE_GSSAPI
static void	test_advice(void);
static void	test_hosts(void);
static void	test_steps(void);
static void	test_no_ticket(void);
#else
static void	test_unavailable(void);
#endif

static int
contains(const char *s, const char *what)
{
	return (s != NULL && strstr(s, what) != NULL);
}

static struct sasl *
new_gssapi(const char *host, const char *authzid, char **cause)
{
	struct sasl_params	 p;

	memset(&p, 0, sizeof p);
	p.host = host;
	p.authzid = authzid;
	*cause = NULL;
	return (sasl_new("GSSAPI", &p, cause));
}

/* Listed (help, completion) whether or not the build has it. */
static void
test_listed(void)
{
	size_t	 i;
	int	 found = 0;

	for (i = 0; sasl_mechanisms[i] != NULL; i++)
		found |= strcmp(sasl_mechanisms[i], "GSSAPI") == 0;
	ok(found, "GSSAPI is in sasl_mechanisms");
	ok(!sasl_needs_secret("GSSAPI"), "GSSAPI needs no password");
}

#ifdef HAVE_GSSAPI

struct advice_case {
	OM_uint32	 major;
	krb5_error_code	 minor;
	const char	*want;		/* NULL: no advice */
	const char	*desc;
};

static void
test_advice(void)
{
	static const struct advice_case cases[] = {
		{ GSS_S_NO_CRED, KRB5_FCC_NOFILE, "run kinit",
		    "no cache file" },
		{ GSS_S_FAILURE, KRB5_CC_NOTFOUND, "run kinit",
		    "no cache in the collection" },
		{ GSS_S_NO_CRED, 0, "run kinit", "GSS_S_NO_CRED alone" },
		{ GSS_S_FAILURE, KRB5KRB_AP_ERR_TKT_EXPIRED,
		    "expired: run kinit again", "ticket expired" },
		{ GSS_S_CREDENTIALS_EXPIRED, 0, "expired: run kinit again",
		    "GSS_S_CREDENTIALS_EXPIRED alone" },
		{ GSS_S_FAILURE, KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN,
		    "--service-host", "unknown service principal" },
		{ GSS_S_FAILURE, KRB5KRB_AP_ERR_SKEW, "clock skew",
		    "clock skew" },
		{ GSS_S_FAILURE, KRB5_KDC_UNREACH, "krb5.conf",
		    "KDC unreachable" },
		{ GSS_S_FAILURE, KRB5_REALM_UNKNOWN, "krb5.conf",
		    "realm unknown" },
		{ GSS_S_FAILURE, 0, NULL, "a bare failure" },
		{ GSS_S_BAD_SIG, KRB5KRB_AP_ERR_MODIFIED, NULL,
		    "a bad integrity check" },
	};
	const char	*got;
	size_t		 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		got = sasl_gssapi_advice(cases[i].major,
		    (uint32_t)cases[i].minor);
		if (cases[i].want == NULL)
			ok(got == NULL, "advice: %s: none (got '%s')",
			    cases[i].desc, got == NULL ? "" : got);
		else
			ok(contains(got, cases[i].want), "advice: %s: '%s' "
			    "in '%s'", cases[i].desc, cases[i].want,
			    got == NULL ? "(null)" : got);
	}
}

static void
test_hosts(void)
{
	struct sasl	*s;
	char		*cause;

	s = new_gssapi(NULL, NULL, &cause);
	ok(s == NULL && contains(cause, "--service-host"),
	    "no host: asks for --service-host (%s)", cause);
	free(cause);
	s = new_gssapi("", NULL, &cause);
	ok(s == NULL && contains(cause, "--service-host"), "empty host");
	free(cause);
	s = new_gssapi("imap@evil", NULL, &cause);
	ok(s == NULL && contains(cause, "not a host name"),
	    "'@' in the host: refused (%s)", cause);
	free(cause);
	s = new_gssapi("host/other", NULL, &cause);
	ok(s == NULL && contains(cause, "not a host name"),
	    "'/' in the host: refused");
	free(cause);
	s = new_gssapi("a\033[2Jb", NULL, &cause);
	ok(s == NULL && contains(cause, "a\\x1b[2Jb") &&
	    strchr(cause, '\033') == NULL,
	    "a control byte in the host: refused, escaped (%s)", cause);
	free(cause);
	s = new_gssapi("mail.example.org", "alice", &cause);
	ok(s != NULL && cause == NULL, "a host name: accepted");
	ok(s != NULL && strcmp(sasl_name(s), "GSSAPI") == 0 &&
	    sasl_client_first(s), "GSSAPI is client-first");
	sasl_free(s);
}

/* Refusals of the state machine that need no ticket. */
static void
test_steps(void)
{
	struct sasl	*s;
	struct buf	 resp;
	enum sasl_rc	 rc;
	char		*cause = NULL;
	int		 rv;

	s = new_gssapi("localhost", NULL, &cause);
	ok(s != NULL, "a context for imap@localhost");
	if (s == NULL)
		return;
	rv = sasl_finish(s, &cause);
	ok(rv == -1 && contains(cause, "complete"),
	    "OK before any exchange is not success (%s)", cause);
	free(cause);
	cause = NULL;
	buf_init(&resp, 0);
	rc = sasl_step(s, "\x60\x01", 2, &resp, &cause);
	ok(rc == SASL_ERR && resp.len == 0 &&
	    contains(cause, "before the GSSAPI initial"),
	    "a challenge before the initial response: refused (%s)", cause);
	free(cause);
	buf_wipe(&resp);
	sasl_free(s);
}

/* The real library, no ticket cache: "run kinit" and the GSS texts. */
static void
test_no_ticket(void)
{
	struct sasl	*s;
	struct buf	 resp;
	enum sasl_rc	 rc;
	char		*cause = NULL;

	setenv("KRB5_CONFIG", "/dev/null", 1);
	setenv("KRB5CCNAME", "FILE:/nonexistent/imapsh-test/\033[1mcc", 1);
	s = new_gssapi("localhost", NULL, &cause);
	if (s == NULL) {
		ok(0, "a context for imap@localhost (%s)", cause);
		free(cause);
		return;
	}
	buf_init(&resp, 0);
	rc = sasl_step(s, NULL, 0, &resp, &cause);
	ok(rc == SASL_ERR && resp.len == 0,
	    "no ticket: the initial response fails");
	ok(contains(cause, "run kinit"), "no ticket: says run kinit (%s)",
	    cause);
	ok(contains(cause, "imap@localhost"), "no ticket: names the service");
	ok(contains(cause, "\\x1b[1mcc") && strchr(cause, '\033') == NULL,
	    "no ticket: the library's text is escaped");
	free(cause);
	cause = NULL;
	rc = sasl_step(s, "", 0, &resp, &cause);
	ok(rc == SASL_ERR && contains(cause, "already failed"),
	    "no step after a failure");
	free(cause);
	buf_wipe(&resp);
	sasl_free(s);
}

int
main(void)
{
	ok(sasl_gssapi_available(), "this build has GSSAPI");
	test_listed();
	test_advice();
	test_hosts();
	test_steps();
	test_no_ticket();
	printf("1..%d\n", tap_ntests);
	return (tap_status());
}

#else /* !HAVE_GSSAPI */

static void
test_unavailable(void)
{
	struct sasl	*s;
	char		*cause;

	s = new_gssapi("localhost", NULL, &cause);
	ok(s == NULL && contains(cause, "not available in this build"),
	    "GSSAPI says it is unavailable in this build (%s)", cause);
	free(cause);
}

int
main(void)
{
	ok(!sasl_gssapi_available(), "this build has no GSSAPI");
	test_listed();
	test_unavailable();
	printf("1..%d\n", tap_ntests);
	return (tap_status());
}

#endif
