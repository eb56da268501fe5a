/*
 * test-sasl.c: the SASL mechanisms of sasl.c against their RFCs' worked
 * examples, byte for byte, and against Python for what the RFCs do not
 * cover:
 *
 *	SCRAM-SHA-1	RFC 5802 section 5
 *	SCRAM-SHA-256	RFC 7677 section 3
 *	CRAM-MD5	RFC 2195 section 2, and python3's
 *			user + " " + hmac.HMAC(pwd, chal, 'md5').hexdigest()
 *	CRAM-SHA1, CRAM-SHA256	RFC 2195's exchange with python3's
 *			hmac.new(pwd, chal, 'sha1' / 'sha256').hexdigest()
 *	SCRAM-*-PLUS	no RFC example: gen-scram-plus.py computes them with
 *			hashlib/hmac from fixed nonces and binding data
 *			(and reproduces the RFC 5802 and 7677 examples)
 *	ANONYMOUS	RFC 4505 section 4's trace
 *	PLAIN		RFC 4616 layout; OAUTHBEARER RFC 7628 section 4.1;
 *	XOAUTH2		Google's developer documentation example
 *
 * The SCRAM vectors with escaped names, a non-ASCII password and i=1 were
 * computed with Python 3.11's hashlib.pbkdf2_hmac and hmac (the same
 * script reproduces the RFC 5802 vector), the password NFC-normalised
 * with unicodedata.normalize.  Then the failures: nonces that do not
 * extend the client's, bad iteration counts, mandatory extensions,
 * server errors, a wrong server signature, challenges where none may
 * come, and a strict base64 table.  Run under ASan this also checks that
 * every state is freed (and wiped) cleanly.
 *
 * A TAP program: "ok N - ..." per check, the plan last; exit 0 iff all
 * pass.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sasl.h"
#include "sasl-gssapi.h"
#include "xmalloc.h"
#include "tap.h"

struct b64_case {
	const char	*in;
	size_t		 len;		/* 0: strlen(in) */
	int		 valid;
	const char	*out;		/* decoded, when valid */
	size_t		 outlen;
	const char	*desc;
};

struct cram_case {
	const char	*user;
	const char	*secret;
	const char	*chal;
	size_t		 chal_len;
	const char	*want;
};

struct scram_vector {
	const char	*mech;
	const char	*user;
	const char	*authzid;
	const char	*password;
	const char	*nonce;
	const char	*client_first;
	const char	*server_first;
	const char	*client_final;
	const char	*server_final;
	const char	*desc;
};

struct scram_cb_vector {
	struct scram_vector	 v;
	const char		*cb_type;	/* NULL: no binding */
	const char		*cb_data;
	size_t			 cb_len;
	int			 possible;	/* flag "y" */
};


static void	 diag_bytes(const char *, const char *, size_t);
static int	 same(const struct buf *, const char *, size_t);
static void	 check_bytes(const struct buf *, const char *, size_t,
		    const char *);
static void	 check_cause(char *, const char *, const char *);
static struct sasl *new_or_fail(const char *, const struct sasl_params *);
static void	 test_table(void);
static void	 test_new_errors(void);
static void	 test_plain(void);
static void	 test_login(void);
static void	 test_cram(void);
static void	 test_scram_vectors(void);
static void	 run_scram_vector(const struct scram_vector *,
		    const struct scram_cb_vector *);
static void	 test_scram_binding(void);
static void	 test_cram_sha(void);
static void	 test_anonymous(void);
static void	 test_scram_failures(void);
static void	 test_scram_password(void);
static void	 test_scram_nonce(void);
static void	 test_oauth(void);
static void	 test_external(void);
static void	 test_base64(void);
static void	 test_misc(void);
static enum sasl_rc scram_server_first(const char *, const char *,
		    char **);

static void
diag_bytes(const char *what, const char *p, size_t len)
{
	size_t	 i;

	printf("#   %s: \"", what);
	for (i = 0; i < len; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\' && p[i] != '"')
			putchar(p[i]);
		else
			printf("\\x%02x", (unsigned char)p[i]);
	}
	printf("\"\n");
}

static int
same(const struct buf *b, const char *want, size_t len)
{
	if (b->len != len)
		return (0);
	return (len == 0 || memcmp(b->data, want, len) == 0);
}

static void
check_bytes(const struct buf *b, const char *want, size_t len,
    const char *desc)
{
	int	 good = same(b, want, len);

	ok(good, "%s", desc);
	if (!good) {
		diag_bytes("got", b->data == NULL ? "" : b->data, b->len);
		diag_bytes("want", want, len);
	}
}

/* Checks that cause starts with prefix, then frees it. */
static void
check_cause(char *cause, const char *prefix, const char *desc)
{
	int	 good;

	good = cause != NULL && strncmp(cause, prefix, strlen(prefix)) == 0;
	ok(good, "%s", desc);
	if (!good)
		printf("#   cause: %s\n#   want prefix: %s\n",
		    cause == NULL ? "(null)" : cause, prefix);
	free(cause);
}

static struct sasl *
new_or_fail(const char *mech, const struct sasl_params *p)
{
	struct sasl	*s;
	char		*cause = NULL;

	if ((s = sasl_new(mech, p, &cause)) == NULL) {
		printf("# sasl_new(%s): %s\n", mech, cause);
		free(cause);
	}
	return (s);
}

static void
test_table(void)
{
	static const char *const want[] = {
		"PLAIN", "LOGIN", "CRAM-MD5", "CRAM-SHA1", "CRAM-SHA256",
		"SCRAM-SHA-1", "SCRAM-SHA-256", "SCRAM-SHA-1-PLUS",
		"SCRAM-SHA-256-PLUS", "ANONYMOUS", "XOAUTH2", "OAUTHBEARER",
		"EXTERNAL", "GSSAPI", NULL
	};
	static const int	 first[] = { 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1,
				    1, 1 };
	struct sasl_params	 p = { "user", NULL, "secret", "localhost",
				    NULL, NULL };
	struct sasl		*s;
	char			 lower[32];
	size_t			 i, j;
	int			 good = 1, names = 1, firsts = 1, secrets = 1;

	for (i = 0; want[i] != NULL; i++) {
		if (sasl_mechanisms[i] == NULL ||
		    strcmp(sasl_mechanisms[i], want[i]) != 0)
			good = 0;
	}
	ok(good && sasl_mechanisms[i] == NULL,
	    "sasl_mechanisms lists the fourteen mechanisms in order");

	for (i = 0; want[i] != NULL; i++) {
		/* A build without GSSAPI: test-gssapi checks what it says. */
		if (strcmp(want[i], "GSSAPI") == 0 && !sasl_gssapi_available())
			continue;
		for (j = 0; want[i][j] != '\0'; j++)
			lower[j] = (char)(want[i][j] >= 'A' &&
			    want[i][j] <= 'Z' ? want[i][j] + 32 : want[i][j]);
		lower[j] = '\0';
		if ((s = new_or_fail(lower, &p)) == NULL) {
			names = firsts = 0;
			continue;
		}
		if (strcmp(sasl_name(s), want[i]) != 0)
			names = 0;
		if (sasl_client_first(s) != first[i])
			firsts = 0;
		if (sasl_needs_secret(lower) != (strcmp(want[i],
		    "EXTERNAL") != 0 && strcmp(want[i], "ANONYMOUS") != 0 &&
		    strcmp(want[i], "GSSAPI") != 0))
			secrets = 0;
		sasl_free(s);
	}
	ok(names, "lower-case names are accepted; sasl_name is canonical");
	ok(firsts, "client-first: all but LOGIN and the CRAMs");
	ok(secrets, "sasl_needs_secret: all but EXTERNAL, ANONYMOUS, GSSAPI");
	ok(sasl_needs_user("ANONYMOUS") == 0 && sasl_needs_user("cram-sha1") &&
	    sasl_needs_user("NOPE"), "sasl_needs_user: not ANONYMOUS");
	ok(sasl_channel_binding("scram-sha-1-plus") == SASL_CB_REQUIRED &&
	    sasl_channel_binding("SCRAM-SHA-256") == SASL_CB_FLAG &&
	    sasl_channel_binding("PLAIN") == SASL_CB_NONE &&
	    sasl_channel_binding("NOPE") == SASL_CB_NONE,
	    "sasl_channel_binding: -PLUS binds, SCRAM flags, others none");
	ok(sasl_needs_secret("NOPE") == 0 && sasl_needs_secret("Plain") == 1,
	    "sasl_needs_secret: 0 for an unknown mechanism, any case");
}

static void
test_new_errors(void)
{
	struct sasl_params	 p;
	char			*cause = NULL;
	int			 good;

	memset(&p, 0, sizeof p);
	p.user = "u";
	p.secret = "s";
	ok(sasl_new("NTLM", &p, &cause) == NULL,
	    "unknown mechanism refused");
	good = cause != NULL && strcmp(cause, "unknown SASL mechanism "
	    "'NTLM'; imapsh knows PLAIN, LOGIN, CRAM-MD5, CRAM-SHA1, "
	    "CRAM-SHA256, SCRAM-SHA-1, SCRAM-SHA-256, SCRAM-SHA-1-PLUS, "
	    "SCRAM-SHA-256-PLUS, ANONYMOUS, XOAUTH2, OAUTHBEARER, "
	    "EXTERNAL, GSSAPI") == 0;
	ok(good, "unknown mechanism message lists what is known");
	if (!good)
		printf("#   %s\n", cause);
	free(cause);
	cause = NULL;
	ok(sasl_new("digest-md5", &p, &cause) == NULL,
	    "DIGEST-MD5 refused");
	check_cause(cause, "DIGEST-MD5 is obsolete (RFC 6331)",
	    "... saying why");
	cause = NULL;
	ok(sasl_new("PL\033AIN", &p, &cause) == NULL && cause != NULL &&
	    strstr(cause, "'PL\\x1bAIN'") != NULL,
	    "unknown mechanism name is escaped in the message");
	free(cause);

	p.user = NULL;
	cause = NULL;
	ok(sasl_new("PLAIN", &p, &cause) == NULL, "PLAIN without a user");
	check_cause(cause, "PLAIN needs a user name", "... says so");
	p.user = "";
	cause = NULL;
	ok(sasl_new("SCRAM-SHA-256", &p, &cause) == NULL &&
	    cause != NULL && strcmp(cause, "SCRAM-SHA-256 needs a user "
	    "name") == 0, "an empty user is no user");
	free(cause);
	p.user = "u";
	p.secret = NULL;
	cause = NULL;
	ok(sasl_new("login", &p, &cause) == NULL, "LOGIN without a password");
	check_cause(cause, "LOGIN needs a password", "... says so");
	cause = NULL;
	ok(sasl_new("XOAUTH2", &p, &cause) == NULL, "XOAUTH2 without a token");
	check_cause(cause, "XOAUTH2 needs an OAuth token", "... says so");
	p.secret = "";
	cause = NULL;
	ok(sasl_new("OAUTHBEARER", &p, &cause) == NULL && cause != NULL,
	    "OAUTHBEARER with an empty token");
	free(cause);
	p.secret = "tok\001en";
	cause = NULL;
	ok(sasl_new("XOAUTH2", &p, &cause) == NULL && cause != NULL &&
	    strstr(cause, "tok\001en") == NULL,
	    "a token with \\x01 is refused, and not echoed");
	free(cause);
	p.secret = "pencil";
	p.test_nonce = "a,b";
	cause = NULL;
	ok(sasl_new("SCRAM-SHA-1", &p, &cause) == NULL && cause != NULL,
	    "a test nonce with ',' is refused");
	free(cause);
	cause = NULL;
	ok(sasl_new("PLAIN", NULL, &cause) == NULL && cause != NULL,
	    "NULL params: PLAIN needs a user");
	free(cause);
}

static void
test_plain(void)
{
	struct sasl_params	 p = { "tim", NULL, "tanstaaftanstaaf", NULL,
				    NULL, NULL };
	struct sasl		*s;
	struct buf		 r, enc;
	char			*cause = NULL;
	enum sasl_rc		 rc;

	buf_init(&r, 0);
	buf_init(&enc, 0);
	if ((s = new_or_fail("PLAIN", &p)) == NULL)
		return;
	rc = sasl_step(s, NULL, 0, &r, &cause);
	ok(rc == SASL_DONE, "PLAIN: initial response is the last");
	check_bytes(&r, "\0tim\0tanstaaftanstaaf", 21,
	    "PLAIN without authzid: NUL user NUL password");
	sasl_b64_encode(r.data, r.len, &enc);
	ok(strcmp(enc.data, "AHRpbQB0YW5zdGFhZnRhbnN0YWFm") == 0,
	    "PLAIN base64 as python's base64.b64encode");
	buf_reset(&r);
	rc = sasl_step(s, "", 0, &r, &cause);
	ok(rc == SASL_ERR && r.len == 0, "PLAIN: a further challenge fails");
	check_cause(cause, "unexpected challenge", "... as an unexpected "
	    "challenge");
	cause = NULL;
	ok(sasl_finish(s, &cause) == -1, "... and sasl_finish says so");
	free(cause);
	sasl_free(s);

	p.authzid = "admin";
	buf_reset(&r);
	buf_reset(&enc);
	if ((s = new_or_fail("PLAIN", &p)) == NULL)
		return;
	/* No SASL-IR: the server asks with an empty challenge. */
	cause = NULL;
	rc = sasl_step(s, "", 0, &r, &cause);
	ok(rc == SASL_DONE, "PLAIN after an empty challenge (no SASL-IR)");
	check_bytes(&r, "admin\0tim\0tanstaaftanstaaf", 26,
	    "PLAIN with authzid");
	sasl_b64_encode(r.data, r.len, &enc);
	ok(strcmp(enc.data, "YWRtaW4AdGltAHRhbnN0YWFmdGFuc3RhYWY=") == 0,
	    "PLAIN with authzid, base64");
	ok(sasl_finish(s, &cause) == 0, "PLAIN: finish after OK");
	sasl_free(s);

	/* A non-empty first challenge: no data may precede it. */
	if ((s = new_or_fail("PLAIN", &p)) == NULL)
		return;
	buf_reset(&r);
	cause = NULL;
	ok(sasl_step(s, "x", 1, &r, &cause) == SASL_ERR && r.len == 0,
	    "PLAIN: a non-empty first challenge fails");
	free(cause);
	sasl_free(s);

	/* A response that does not fit the buffer leaves it as it was. */
	if ((s = new_or_fail("PLAIN", &p)) == NULL)
		return;
	buf_free(&r);
	buf_init(&r, 12);
	buf_addstr(&r, "ab");
	cause = NULL;
	rc = sasl_step(s, NULL, 0, &r, &cause);
	ok(rc == SASL_ERR && r.len == 2 && strcmp(r.data, "ab") == 0 &&
	    memchr(r.data, 't', r.size) == NULL,
	    "PLAIN: too long for the buffer: taken back and wiped");
	free(cause);
	sasl_free(s);
	buf_wipe(&r);
	buf_free(&enc);
}

static void
test_login(void)
{
	struct sasl_params	 p = { "jdoe", NULL, "s3cr3t pass", NULL,
				    NULL, NULL };
	struct sasl		*s;
	struct buf		 r;
	char			*cause = NULL;
	enum sasl_rc		 rc;

	buf_init(&r, 0);
	if ((s = new_or_fail("LOGIN", &p)) == NULL)
		return;
	rc = sasl_step(s, NULL, 0, &r, &cause);
	ok(rc == SASL_ERR, "LOGIN has no initial response");
	check_cause(cause, "LOGIN has no initial response", "... says so");
	sasl_free(s);

	if ((s = new_or_fail("LOGIN", &p)) == NULL)
		return;
	cause = NULL;
	rc = sasl_step(s, "Username:", 9, &r, &cause);
	ok(rc == SASL_CONTINUE, "LOGIN: first challenge continues");
	check_bytes(&r, "jdoe", 4, "LOGIN: first challenge -> user");
	buf_reset(&r);
	/* Not the usual text: the order decides. */
	rc = sasl_step(s, "User Name\0", 10, &r, &cause);
	ok(rc == SASL_DONE, "LOGIN: second challenge is the last");
	check_bytes(&r, "s3cr3t pass", 11,
	    "LOGIN: second challenge -> password, whatever its text");
	buf_reset(&r);
	rc = sasl_step(s, "Password:", 9, &r, &cause);
	ok(rc == SASL_ERR && r.len == 0, "LOGIN: a third challenge fails");
	check_cause(cause, "unexpected challenge", "... as unexpected");
	sasl_free(s);

	if ((s = new_or_fail("LOGIN", &p)) == NULL)
		return;
	buf_reset(&r);
	cause = NULL;
	rc = sasl_step(s, "", 0, &r, &cause);
	ok(rc == SASL_CONTINUE && same(&r, "jdoe", 4),
	    "LOGIN: an empty first challenge still asks for the user");
	cause = NULL;
	ok(sasl_finish(s, &cause) == 0, "LOGIN: finish trusts the OK");
	free(cause);
	sasl_free(s);
	buf_wipe(&r);
}

static const struct cram_case cram_cases[] = {
	{ "tim", "tanstaaftanstaaf",
	    "<1896.697170952@postoffice.reston.mci.net>", 0,
	    "tim b913a602c7eda7a495b4e6e7334d3890" },
	/* A key longer than MD5's block. */
	{ "joe", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	    "<12345.67890@example.org>", 0,
	    "joe e8384e0fec6fdec45e0f9c236af80c84" },
	/* UTF-8 password, empty challenge. */
	{ "user@example.com", "p\303\244ss w\303\266rd", "", 0,
	    "user@example.com 34ced20a1879d31eec4298b2f73baf9b" },
	/* Empty password, binary challenge with a NUL. */
	{ "a", "", "\000\377\001chal", 7,
	    "a 8b1867bc8576091f8ce5787ec3645955" },
};

static void
test_cram(void)
{
	struct sasl_params	 p = { "tim", NULL, "tanstaaftanstaaf", NULL,
				    NULL, NULL };
	const struct cram_case	*c;
	struct sasl		*s;
	struct buf		 chal, r, enc;
	char			*cause = NULL;
	enum sasl_rc		 rc;
	size_t			 i;

	buf_init(&r, 0);
	buf_init(&enc, 0);
	for (i = 0; i < sizeof cram_cases / sizeof cram_cases[0]; i++) {
		c = &cram_cases[i];
		buf_reset(&r);
		buf_addstr(&r, "pre:");
		sasl_cram_md5(c->user, c->secret, c->chal, c->chal_len != 0 ?
		    c->chal_len : strlen(c->chal), &r);
		ok(r.len == 4 + strlen(c->want) &&
		    strcmp(r.data + 4, c->want) == 0,
		    "sasl_cram_md5 = python hmac: %s", c->want);
	}

	/* RFC 2195's exchange, base64 on the wire. */
	buf_init(&chal, 0);
	ok(sasl_b64_decode("PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5"
	    "uZXQ+", 56, &chal, &cause) == 0, "RFC 2195 challenge decodes");
	if ((s = new_or_fail("CRAM-MD5", &p)) == NULL)
		return;
	buf_reset(&r);
	rc = sasl_step(s, chal.data, chal.len, &r, &cause);
	ok(rc == SASL_DONE, "CRAM-MD5: one challenge, one response");
	sasl_b64_encode(r.data, r.len, &enc);
	ok(strcmp(enc.data, "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzO"
	    "Dkw") == 0, "CRAM-MD5: RFC 2195's response, base64");
	buf_reset(&r);
	cause = NULL;
	ok(sasl_step(s, chal.data, chal.len, &r, &cause) == SASL_ERR,
	    "CRAM-MD5: a second challenge fails");
	free(cause);
	sasl_free(s);

	if ((s = new_or_fail("CRAM-MD5", &p)) == NULL)
		return;
	cause = NULL;
	ok(sasl_step(s, NULL, 0, &r, &cause) == SASL_ERR,
	    "CRAM-MD5 has no initial response");
	free(cause);
	sasl_free(s);
	buf_free(&chal);
	buf_wipe(&r);
	buf_free(&enc);
}

static const struct scram_vector scram_vectors[] = {
	{ "SCRAM-SHA-1", "user", NULL, "pencil", "fyko+d2lbbFgONRv9qkxdawL",
	    "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL",
	    "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,"
	    "i=4096",
	    "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,"
	    "p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
	    "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=",
	    "RFC 5802 section 5 (SCRAM-SHA-1)" },
	{ "SCRAM-SHA-256", "user", NULL, "pencil", "rOprNGfwEbeRWgbNEkqO",
	    "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
	    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
	    "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
	    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
	    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
	    "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
	    "RFC 7677 section 3 (SCRAM-SHA-256)" },
	{ "scram-sha-256", "us=er,", "admin,x", "pencil",
	    "rOprNGfwEbeRWgbNEkqO",
	    "n,a=admin=2Cx,n=us=3Der=2C,r=rOprNGfwEbeRWgbNEkqO",
	    "r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1",
	    "c=bixhPWFkbWluPTJDeCw=,r=rOprNGfwEbeRWgbNEkqOxyz,"
	    "p=9GuJleryHjVZuaFpJPpbzxtucRSvicvSJPim2d4ThCc=",
	    "v=Uts/bBTNTadWjtqkNrpUm02S7KFeUFwpE74BGV2/MeI=",
	    "'=' and ',' escaped in user and authzid; c= carries a=; i=1" },
	{ "SCRAM-SHA-256", "user", NULL, "p\303\251ncil",
	    "rOprNGfwEbeRWgbNEkqO", "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
	    "r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
	    "c=biws,r=rOprNGfwEbeRWgbNEkqOxyz,"
	    "p=wv64ezL7EhHWrCehVCMzklEYQ6lpJiHp4gbuF52MfZs=",
	    "v=6+5gfjKeAVv4FQeoj/htdZ8heJ5G14h7UQ0B0/Mb9is=",
	    "UTF-8 password (NFC)" },
	{ "SCRAM-SHA-256", "user", NULL, "pe\314\201ncil",
	    "rOprNGfwEbeRWgbNEkqO", "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
	    "r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
	    "c=biws,r=rOprNGfwEbeRWgbNEkqOxyz,"
	    "p=wv64ezL7EhHWrCehVCMzklEYQ6lpJiHp4gbuF52MfZs=",
	    "v=6+5gfjKeAVv4FQeoj/htdZ8heJ5G14h7UQ0B0/Mb9is=",
	    "decomposed UTF-8 password is normalised to NFC first" },
	{ "SCRAM-SHA-1", "user", NULL, "pencil", "fyko+d2lbbFgONRv9qkxdawL",
	    "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL",
	    "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,"
	    "i=4096,x=future,y=ext",
	    NULL, NULL,
	    "extensions after i= are accepted (and enter AuthMessage)" },
};

static void
test_scram_vectors(void)
{
	size_t	 i;

	for (i = 0; i < sizeof scram_vectors / sizeof scram_vectors[0]; i++)
		run_scram_vector(&scram_vectors[i], NULL);
}

/*
 * One exchange of v, step by step; with cb, after sasl_bind() with its
 * binding.
 */
static void
run_scram_vector(const struct scram_vector *v,
    const struct scram_cb_vector *cb)
{
	struct sasl_params	 p;
	struct sasl		*s;
	struct buf		 r;
	char			*cause;
	enum sasl_rc		 rc;

	buf_init(&r, 0);
	memset(&p, 0, sizeof p);
	p.user = v->user;
	p.authzid = v->authzid;
	p.secret = v->password;
	p.test_nonce = v->nonce;
	if ((s = new_or_fail(v->mech, &p)) == NULL) {
		ok(0, "%s: sasl_new", v->desc);
		return;
	}
	cause = NULL;
	if (cb != NULL && sasl_bind(s, cb->cb_type, cb->cb_data, cb->cb_len,
	    cb->possible, &cause) == -1) {
		ok(0, "%s: sasl_bind: %s", v->desc, cause);
		free(cause);
		sasl_free(s);
		return;
	}
	buf_reset(&r);
	rc = sasl_step(s, NULL, 0, &r, &cause);
	ok(rc == SASL_CONTINUE, "%s: client-first continues", v->desc);
	check_bytes(&r, v->client_first, strlen(v->client_first),
	    "... client-first-message");
	buf_reset(&r);
	rc = sasl_step(s, v->server_first, strlen(v->server_first), &r,
	    &cause);
	if (v->client_final == NULL) {
		ok(rc == SASL_CONTINUE && r.len > 0 &&
		    strncmp(r.data, "c=biws,r=", 9) == 0, "%s", v->desc);
		if (rc == SASL_ERR)
			printf("#   %s\n", cause);
		free(cause);
		sasl_free(s);
		buf_wipe(&r);
		return;
	}
	ok(rc == SASL_CONTINUE, "... server-first accepted%s%s",
	    rc == SASL_ERR ? ": " : "", rc == SASL_ERR ? cause : "");
	check_bytes(&r, v->client_final, strlen(v->client_final),
	    "... client-final-message");
	cause = NULL;
	ok(sasl_finish(s, &cause) == -1,
	    "... finish before the server signature fails");
	free(cause);
	cause = NULL;
	buf_reset(&r);
	rc = sasl_step(s, v->server_final, strlen(v->server_final), &r,
	    &cause);
	ok(rc == SASL_DONE && r.len == 0,
	    "... server signature verified, empty response");
	if (rc == SASL_ERR)
		printf("#   %s\n", cause);
	ok(sasl_finish(s, &cause) == 0, "... finish after OK");
	rc = sasl_step(s, "", 0, &r, &cause);
	ok(rc == SASL_ERR && r.len == 0, "... a fourth challenge fails");
	check_cause(cause, "unexpected challenge", "... as unexpected");
	sasl_free(s);
	buf_wipe(&r);
}

/*
 * RFC 5802's exchange up to server-first, with sf in its place.  Returns
 * what the step said; *cause is set on SASL_ERR.
 */
static enum sasl_rc
scram_server_first(const char *mech, const char *sf, char **cause)
{
	struct sasl_params	 p = { "user", NULL, "pencil", NULL, NULL,
				    "fyko+d2lbbFgONRv9qkxdawL" };
	struct sasl		*s;
	struct buf		 r;
	enum sasl_rc		 rc;

	*cause = NULL;
	if ((s = new_or_fail(mech, &p)) == NULL) {
		*cause = xstrdup("sasl_new");
		return (SASL_ERR);
	}
	buf_init(&r, 0);
	rc = sasl_step(s, NULL, 0, &r, cause);
	if (rc == SASL_CONTINUE) {
		buf_reset(&r);
		rc = sasl_step(s, sf, strlen(sf), &r, cause);
	}
	sasl_free(s);
	buf_wipe(&r);
	return (rc);
}

static void
test_scram_failures(void)
{
	static const struct {
		const char	*sf;
		const char	*cause;
		const char	*desc;
	} bad[] = {
		{ "r=fyko+d2lbbFgONRv9qkxdawL,s=QSXCR+Q6sek8bf92,i=4096",
		    "SCRAM-SHA-1: the server's nonce does not extend",
		    "server nonce equal to the client's" },
		{ "r=fyko+d2lbbFgONRv9qkxdawX3rfc,s=QSXCR+Q6sek8bf92,i=4096",
		    "SCRAM-SHA-1: the server's nonce does not extend",
		    "server nonce not prefixed by the client's" },
		{ "r=fyko+d2lbbFgONRv9qkxdawL3r\001c,s=QSXCR+Q6sek8bf92,i=1",
		    "SCRAM-SHA-1: the server's nonce does not extend",
		    "server nonce with a control character" },
		{ "r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=0",
		    "SCRAM-SHA-1: the server's iteration count is not",
		    "i=0" },
		{ "r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=",
		    "SCRAM-SHA-1: the server's iteration count is not",
		    "i= empty" },
		{ "r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=-1",
		    "SCRAM-SHA-1: the server's iteration count is not",
		    "i=-1" },
		{ "r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=04096",
		    "SCRAM-SHA-1: the server's iteration count is not",
		    "i= with a leading zero" },
		{ "r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=40x6",
		    "SCRAM-SHA-1: the server's iteration count is not",
		    "i= with a letter" },
		{ "r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=1000001",
		    "SCRAM-SHA-1: the server's iteration count is over 1000000",
		    "i= one past the limit" },
		{ "r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,"
		    "i=99999999999999999999999",
		    "SCRAM-SHA-1: the server's iteration count is over",
		    "i= that overflows 64 bits" },
		{ "r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92",
		    "SCRAM-SHA-1: the server sent no iteration count",
		    "no i=" },
		{ "r=fyko+d2lbbFgONRv9qkxdawL3rfc,i=4096",
		    "SCRAM-SHA-1: the server sent no salt",
		    "no s=" },
		{ "r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=,i=4096",
		    "SCRAM-SHA-1: the server sent no salt",
		    "empty s=" },
		{ "r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf9,i=4096",
		    "SCRAM-SHA-1: the server's salt is not base64",
		    "salt not base64" },
		{ "m=channel-bindings,r=fyko+d2lbbFgONRv9qkxdawL3rfc,"
		    "s=QSXCR+Q6sek8bf92,i=4096",
		    "SCRAM-SHA-1: the server requires an extension (m=)",
		    "m= mandatory extension" },
		{ "e=other-error",
		    "SCRAM-SHA-1 server error: other-error",
		    "e= in place of server-first" },
		{ "s=QSXCR+Q6sek8bf92,r=fyko+d2lbbFgONRv9qkxdawL3rfc,i=4096",
		    "SCRAM-SHA-1: malformed server-first-message",
		    "attributes out of order" },
		{ "r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=4096,",
		    "SCRAM-SHA-1: trailing ','",
		    "trailing comma" },
		{ "r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=4096,"
		    "7=x",
		    "SCRAM-SHA-1: malformed extensions",
		    "extension name not a letter" },
		{ "", "SCRAM-SHA-1: malformed server-first-message",
		    "empty server-first after the initial response" },
	};
	struct sasl_params	 p = { "user", NULL, "pencil", NULL, NULL,
				    "fyko+d2lbbFgONRv9qkxdawL" };
	struct sasl		*s;
	struct buf		 r;
	char			*cause;
	enum sasl_rc		 rc;
	size_t			 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		rc = scram_server_first("SCRAM-SHA-1", bad[i].sf, &cause);
		ok(rc == SASL_ERR, "SCRAM server-first refused: %s",
		    bad[i].desc);
		check_cause(cause, bad[i].cause, "... with the reason");
	}
	rc = scram_server_first("SCRAM-SHA-1", "r=fyko+d2lbbFgONRv9qkxdawL3rfc,"
	    "s=QSXCR+Q6sek8bf92,i=1000000", &cause);
	ok(rc == SASL_CONTINUE, "i=1000000 (the limit) is accepted");
	free(cause);
	rc = scram_server_first("SCRAM-SHA-1", "r=fyko+d2lbbFgONRv9qkxdawL3rfc,"
	    "s=QSXCR+Q6sek8bf92,i=1", &cause);
	ok(rc == SASL_CONTINUE, "i=1 is accepted");
	free(cause);

	/* NUL inside the server-first-message. */
	if ((s = new_or_fail("SCRAM-SHA-1", &p)) != NULL) {
		static const char nul[] = "r=fyko+d2lbbFgONRv9qkxdawL3\0,"
		    "s=QSXCR+Q6sek8bf92,i=4096";

		buf_init(&r, 0);
		cause = NULL;
		sasl_step(s, NULL, 0, &r, &cause);
		buf_reset(&r);
		rc = sasl_step(s, nul, sizeof nul - 1, &r, &cause);
		ok(rc == SASL_ERR && r.len == 0,
		    "SCRAM: a NUL in server-first is refused");
		free(cause);
		sasl_free(s);
		buf_wipe(&r);
	}

	/* Server-final: a wrong signature, an error, garbage. */
	{
		static const struct {
			const char	*sfin;
			const char	*cause;
			const char	*err;
			const char	*desc;
		} fin[] = {
			{ "v=rmF9pqV8S7suAoZWja4dJRkFsKE=",
			    "SCRAM-SHA-1: wrong server signature", NULL,
			    "a wrong server signature" },
			{ "v=rmF9pqV8S7suAoZWja4dJRkF",
			    "SCRAM-SHA-1: wrong server signature", NULL,
			    "a truncated server signature" },
			{ "v=", "SCRAM-SHA-1: wrong server signature", NULL,
			    "an empty server signature" },
			{ "v=rmF9pqV8S7suAoZWja4dJRkFsKQ",
			    "SCRAM-SHA-1: the server signature is not base64",
			    NULL, "a server signature that is not base64" },
			{ "e=invalid-proof",
			    "SCRAM-SHA-1 server error: invalid-proof",
			    "invalid-proof", "e= server-final" },
			{ "e=bad\033[2Jtext",
			    "SCRAM-SHA-1 server error: bad\\x1b[2Jtext",
			    "bad\\x1b[2Jtext",
			    "e= server-final with an escape, made printable" },
			{ "x=rmF9pqV8S7suAoZWja4dJRkFsKQ=",
			    "SCRAM-SHA-1: malformed server-final-message", NULL,
			    "neither v= nor e=" },
		};
		const char	*sf = "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1Z"
				    "VvWVs7j,s=QSXCR+Q6sek8bf92,i=4096";

		for (i = 0; i < sizeof fin / sizeof fin[0]; i++) {
			if ((s = new_or_fail("SCRAM-SHA-1", &p)) == NULL)
				continue;
			buf_init(&r, 0);
			cause = NULL;
			sasl_step(s, NULL, 0, &r, &cause);
			sasl_step(s, sf, strlen(sf), &r, &cause);
			buf_reset(&r);
			rc = sasl_step(s, fin[i].sfin, strlen(fin[i].sfin),
			    &r, &cause);
			ok(rc == SASL_ERR && r.len == 0,
			    "SCRAM server-final refused: %s", fin[i].desc);
			ok(cause != NULL && strstr(cause, "pencil") == NULL,
			    "... the cause does not hold the password");
			check_cause(cause, fin[i].cause, "... with the reason");
			ok(fin[i].err == NULL ? sasl_server_error(s) == NULL :
			    sasl_server_error(s) != NULL &&
			    strcmp(sasl_server_error(s), fin[i].err) == 0,
			    "... sasl_server_error");
			cause = NULL;
			ok(sasl_finish(s, &cause) == -1,
			    "... and sasl_finish fails");
			free(cause);
			cause = NULL;
			ok(sasl_step(s, "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=", 30,
			    &r, &cause) == SASL_ERR,
			    "... and the state stays failed");
			free(cause);
			sasl_free(s);
			buf_wipe(&r);
		}
	}

	/* No SASL-IR: an empty challenge asks for client-first. */
	if ((s = new_or_fail("SCRAM-SHA-1", &p)) != NULL) {
		buf_init(&r, 0);
		cause = NULL;
		rc = sasl_step(s, "", 0, &r, &cause);
		ok(rc == SASL_CONTINUE && same(&r, "n,,n=user,r=fyko+d2lbbFgONR"
		    "v9qkxdawL", 36), "SCRAM: empty first challenge -> "
		    "client-first");
		cause = NULL;
		ok(sasl_step(s, NULL, 0, &r, &cause) == SASL_ERR,
		    "SCRAM: the initial response is asked only once");
		free(cause);
		sasl_free(s);
		buf_wipe(&r);
	}
}

static void
test_scram_password(void)
{
	struct sasl_params	 p = { "user", NULL, NULL, NULL, NULL,
				    "rOprNGfwEbeRWgbNEkqO" };
	const char		*sf = "r=rOprNGfwEbeRWgbNEkqOxyz,"
				    "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
	const char		*pw[] = { "pen\302\240cil", "pen cil",
				    "pencil" };
	struct buf		 r[3];
	struct sasl		*s;
	char			*cause = NULL;
	size_t			 i;

	for (i = 0; i < 3; i++) {
		buf_init(&r[i], 0);
		p.secret = pw[i];
		if ((s = new_or_fail("SCRAM-SHA-256", &p)) == NULL)
			continue;
		sasl_step(s, NULL, 0, &r[i], &cause);
		buf_reset(&r[i]);
		if (sasl_step(s, sf, strlen(sf), &r[i], &cause) == SASL_ERR) {
			printf("# %s\n", cause);
			free(cause);
			cause = NULL;
		}
		sasl_free(s);
	}
	ok(r[0].len > 0 && r[0].len == r[1].len &&
	    memcmp(r[0].data, r[1].data, r[0].len) == 0,
	    "SCRAM: a no-break space in the password counts as a space "
	    "(RFC 8265)");
	ok(r[1].len > 0 && r[1].len == r[2].len &&
	    memcmp(r[1].data, r[2].data, r[1].len) != 0,
	    "... and the space is not dropped");
	for (i = 0; i < 3; i++)
		buf_wipe(&r[i]);

	p.secret = "caf\351";		/* Latin-1, not UTF-8 */
	cause = NULL;
	ok(sasl_new("SCRAM-SHA-256", &p, &cause) == NULL,
	    "SCRAM: a password that is not UTF-8 is refused");
	check_cause(cause, "SCRAM: the password is not valid for RFC 8265",
	    "... saying why");
	p.secret = "caf\303\251\001";
	cause = NULL;
	ok(sasl_new("SCRAM-SHA-1", &p, &cause) == NULL && cause != NULL &&
	    strstr(cause, "caf") == NULL,
	    "SCRAM: non-ASCII password with a control character refused, "
	    "not echoed");
	free(cause);
}

static void
test_scram_nonce(void)
{
	struct sasl_params	 p = { "user", NULL, "pencil", NULL, NULL,
				    NULL };
	struct sasl		*s;
	struct buf		 r[2];
	char			*cause = NULL;
	size_t			 i, j;
	int			 good = 1;

	for (i = 0; i < 2; i++) {
		buf_init(&r[i], 0);
		if ((s = new_or_fail("SCRAM-SHA-256", &p)) == NULL) {
			good = 0;
			continue;
		}
		if (sasl_step(s, NULL, 0, &r[i], &cause) != SASL_CONTINUE ||
		    r[i].len != 12 + 32 ||
		    strncmp(r[i].data, "n,,n=user,r=", 12) != 0)
			good = 0;
		for (j = 12; j < r[i].len; j++) {
			if (r[i].data[j] < 0x21 || r[i].data[j] > 0x7e ||
			    r[i].data[j] == ',')
				good = 0;
		}
		sasl_free(s);
	}
	ok(good, "SCRAM: random nonce of 32 printable characters, no ','");
	ok(r[0].len == r[1].len && memcmp(r[0].data, r[1].data,
	    r[0].len) != 0, "SCRAM: two nonces differ");
	buf_free(&r[0]);
	buf_free(&r[1]);
}

static void
test_oauth(void)
{
	static const char xo[] = "user=someuser@example.com\001auth=Bearer "
	    "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg\001\001";
	static const char ob[] = "n,a=user@example.com,\001host=server."
	    "example.com\001port=143\001auth=Bearer vF9dft4qmTc2Nvb3RlckBhbH"
	    "RhdmlzdGEuY29tCg==\001\001";
	static const char ob_nohost[] = "n,a=a=2Cb=3Dc,\001auth=Bearer "
	    "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\001\001";
	static const char ob_nouser[] = "n,,\001auth=Bearer "
	    "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\001\001";
	static const char json[] = "{\"status\":\"invalid_token\","
	    "\"scope\":\"example_scope\",\"openid-configuration\":"
	    "\"https://example.com/.well-known/openid-configuration\"}";
	struct sasl_params	 p;
	struct sasl		*s;
	struct buf		 r, enc;
	char			*cause = NULL;
	enum sasl_rc		 rc;

	buf_init(&r, 0);
	buf_init(&enc, 0);
	memset(&p, 0, sizeof p);
	p.user = "someuser@example.com";
	p.secret = "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg";
	if ((s = new_or_fail("XOAUTH2", &p)) == NULL)
		return;
	rc = sasl_step(s, NULL, 0, &r, &cause);
	ok(rc == SASL_DONE, "XOAUTH2: the initial response is the last");
	check_bytes(&r, xo, sizeof xo - 1, "XOAUTH2 initial response");
	sasl_b64_encode(r.data, r.len, &enc);
	ok(strcmp(enc.data, "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYX"
	    "JlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0"
	    "Q2cBAQ==") == 0, "XOAUTH2 base64 as in Google's example");
	ok(sasl_server_error(s) == NULL, "XOAUTH2: no server error yet");
	buf_reset(&r);
	rc = sasl_step(s, json, sizeof json - 1, &r, &cause);
	ok(rc == SASL_DONE && r.len == 0,
	    "XOAUTH2: error challenge answered with an empty response");
	ok(sasl_server_error(s) != NULL &&
	    strcmp(sasl_server_error(s), json) == 0,
	    "XOAUTH2: the JSON error is kept as text");
	rc = sasl_step(s, json, sizeof json - 1, &r, &cause);
	ok(rc == SASL_ERR, "XOAUTH2: a second challenge fails");
	check_cause(cause, "unexpected challenge", "... as unexpected");
	sasl_free(s);

	p.user = "user@example.com";
	p.secret = "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==";
	p.host = "server.example.com";
	p.port = "143";
	if ((s = new_or_fail("OAUTHBEARER", &p)) == NULL)
		return;
	buf_reset(&r);
	buf_reset(&enc);
	cause = NULL;
	rc = sasl_step(s, NULL, 0, &r, &cause);
	ok(rc == SASL_DONE, "OAUTHBEARER: the initial response is the last");
	check_bytes(&r, ob, sizeof ob - 1, "OAUTHBEARER, RFC 7628 4.1");
	sasl_b64_encode(r.data, r.len, &enc);
	ok(strcmp(enc.data, "bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLm"
	    "V4YW1wbGUuY29tAXBvcnQ9MTQzAWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRjMk52"
	    "YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB") == 0,
	    "OAUTHBEARER base64 as in RFC 7628 4.1");
	buf_reset(&r);
	rc = sasl_step(s, "{\"status\":\"invalid_token\"}\n", 27, &r,
	    &cause);
	ok(rc == SASL_DONE && same(&r, "\001", 1),
	    "OAUTHBEARER: error challenge answered with \\x01");
	ok(sasl_server_error(s) != NULL && strcmp(sasl_server_error(s),
	    "{\"status\":\"invalid_token\"}\\x0a") == 0,
	    "OAUTHBEARER: error kept, control bytes made printable");
	cause = NULL;
	ok(sasl_finish(s, &cause) == 0, "OAUTHBEARER: finish trusts the "
	    "server's answer");
	free(cause);
	sasl_free(s);

	p.host = p.port = NULL;
	p.user = "a,b=c";
	if ((s = new_or_fail("OAUTHBEARER", &p)) == NULL)
		return;
	buf_reset(&r);
	rc = sasl_step(s, "", 0, &r, &cause);
	check_bytes(&r, ob_nohost, sizeof ob_nohost - 1,
	    "OAUTHBEARER without host/port, user escaped, no SASL-IR");
	sasl_free(s);

	p.user = NULL;
	if ((s = new_or_fail("OAUTHBEARER", &p)) == NULL)
		return;
	buf_reset(&r);
	rc = sasl_step(s, NULL, 0, &r, &cause);
	check_bytes(&r, ob_nouser, sizeof ob_nouser - 1,
	    "OAUTHBEARER without a user: n,,");
	sasl_free(s);
	buf_wipe(&r);
	buf_free(&enc);
}

static void
test_external(void)
{
	struct sasl_params	 p;
	struct sasl		*s;
	struct buf		 r;
	char			*cause = NULL;
	enum sasl_rc		 rc;

	memset(&p, 0, sizeof p);
	buf_init(&r, 0);
	if ((s = new_or_fail("EXTERNAL", &p)) == NULL)
		return;
	rc = sasl_step(s, NULL, 0, &r, &cause);
	ok(rc == SASL_DONE && r.len == 0,
	    "EXTERNAL without authzid: empty initial response");
	ok(sasl_finish(s, &cause) == 0, "EXTERNAL: finish");
	sasl_free(s);
	p.user = "";
	if ((s = new_or_fail("EXTERNAL", &p)) == NULL)
		return;
	rc = sasl_step(s, NULL, 0, &r, &cause);
	ok(rc == SASL_DONE && r.len == 0,
	    "EXTERNAL with an empty user: empty initial response");
	sasl_free(s);
	p.user = "bob";
	if ((s = new_or_fail("EXTERNAL", &p)) == NULL)
		return;
	rc = sasl_step(s, NULL, 0, &r, &cause);
	check_bytes(&r, "bob", 3, "EXTERNAL without authzid sends the user");
	sasl_free(s);
	buf_reset(&r);
	p.authzid = "admin@example.com";
	p.secret = "ignored";
	if ((s = new_or_fail("External", &p)) == NULL)
		return;
	rc = sasl_step(s, "", 0, &r, &cause);
	ok(rc == SASL_DONE, "EXTERNAL after an empty challenge");
	check_bytes(&r, "admin@example.com", 17, "EXTERNAL: the authzid");
	buf_reset(&r);
	rc = sasl_step(s, "more", 4, &r, &cause);
	ok(rc == SASL_ERR, "EXTERNAL: a second challenge fails");
	free(cause);
	sasl_free(s);
	buf_free(&r);
}

static const struct b64_case b64_cases[] = {
	/* RFC 4648 section 10. */
	{ "", 0, 1, "", 0, "empty" },
	{ "Zg==", 0, 1, "f", 1, "Zg==" },
	{ "Zm8=", 0, 1, "fo", 2, "Zm8=" },
	{ "Zm9v", 0, 1, "foo", 3, "Zm9v" },
	{ "Zm9vYg==", 0, 1, "foob", 4, "Zm9vYg==" },
	{ "Zm9vYmE=", 0, 1, "fooba", 5, "Zm9vYmE=" },
	{ "Zm9vYmFy", 0, 1, "foobar", 6, "Zm9vYmFy" },
	{ "AP8BAA==", 0, 1, "\000\377\001\000", 4, "binary with NULs" },
	{ "+/+/", 0, 1, "\373\377\277", 3, "'+' and '/'" },

	{ "Zg=", 0, 0, NULL, 0, "length not a multiple of 4" },
	{ "Zg", 0, 0, NULL, 0, "missing padding" },
	{ "Z===", 0, 0, NULL, 0, "three '='" },
	{ "====", 0, 0, NULL, 0, "only padding" },
	{ "Zg=a", 0, 0, NULL, 0, "'=' inside the last group" },
	{ "Zg==Zg==", 0, 0, NULL, 0, "padding then more data" },
	{ "Zh==", 0, 0, NULL, 0, "non-zero bits before '=='" },
	{ "Zm9=", 0, 0, NULL, 0, "non-zero bits before '='" },
	{ " Zg=", 0, 0, NULL, 0, "leading space" },
	{ "Zg==\r\n", 0, 0, NULL, 0, "trailing CRLF" },
	{ "Zm9v\n", 0, 0, NULL, 0, "trailing newline" },
	{ "Zm 9", 0, 0, NULL, 0, "inner space" },
	{ "Zm9\t", 0, 0, NULL, 0, "tab" },
	{ "Zm9v!!!!", 0, 0, NULL, 0, "'!'" },
	{ "Zm-_", 0, 0, NULL, 0, "base64url alphabet" },
	{ "Zm\0v", 4, 0, NULL, 0, "NUL inside" },
	{ "Zm9v\377\377\377\377", 0, 0, NULL, 0, "8-bit bytes" },
	{ "*", 0, 0, NULL, 0, "'*' (a cancel, not a challenge)" },
};

static void
test_base64(void)
{
	static const char *const enc_want[] = {
		"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"
	};
	const struct b64_case	*c;
	struct buf		 out, big, back;
	char			*cause;
	unsigned char		*raw;
	size_t			 i, len;
	int			 rv, good;

	buf_init(&out, 0);
	for (i = 0; i < 7; i++) {
		buf_reset(&out);
		sasl_b64_encode("foobar", i, &out);
		ok(out.data != NULL && strcmp(out.data, enc_want[i]) == 0,
		    "base64 encode RFC 4648: \"%.*s\" -> \"%s\"", (int)i,
		    "foobar", enc_want[i]);
	}
	for (i = 0; i < sizeof b64_cases / sizeof b64_cases[0]; i++) {
		c = &b64_cases[i];
		len = c->len != 0 ? c->len : strlen(c->in);
		buf_reset(&out);
		buf_addstr(&out, "kept");
		cause = NULL;
		rv = sasl_b64_decode(c->in, len, &out, &cause);
		if (c->valid)
			good = rv == 0 && cause == NULL &&
			    out.len == 4 + c->outlen &&
			    memcmp(out.data, "kept", 4) == 0 &&
			    memcmp(out.data + 4, c->out, c->outlen) == 0;
		else
			good = rv == -1 && cause != NULL &&
			    strncmp(cause, "not base64: ", 12) == 0 &&
			    out.len == 4 && strcmp(out.data, "kept") == 0;
		ok(good, "base64 decode %s: %s", c->valid ? "accepts" :
		    "refuses", c->desc);
		if (cause != NULL)
			printf("#   %s\n", cause);
		free(cause);
	}

	/* Many GnuTLS chunks, every byte value, no line breaks. */
	len = 200003;
	raw = xmalloc(len);
	for (i = 0; i < len; i++)
		raw[i] = (unsigned char)(i * 7 + i / 251);
	buf_init(&big, 0);
	buf_init(&back, 0);
	sasl_b64_encode(raw, len, &big);
	ok(big.len == (len + 2) / 3 * 4 && memchr(big.data, '\n',
	    big.len) == NULL, "base64 encode of 200003 bytes: one line");
	cause = NULL;
	ok(sasl_b64_decode(big.data, big.len, &back, &cause) == 0 &&
	    back.len == len && memcmp(back.data, raw, len) == 0,
	    "base64 round trip of 200003 bytes");
	free(cause);
	free(raw);
	buf_free(&big);
	buf_free(&back);
	buf_free(&out);
}

/* From gen-scram-plus.py; user "user", password "pencil". */
static const struct scram_cb_vector scram_cb_vectors[] = {
	{ { "SCRAM-SHA-256-PLUS", "user", NULL, "pencil",
	    "rOprNGfwEbeRWgbNEkqO",
	    "p=tls-exporter,,n=user,r=rOprNGfwEbeRWgbNEkqO",
	    "r=rOprNGfwEbeRWgbNEkqOsrvnonce,s=W22ZaJ0SNY7soEsUEjb6gQ==,"
	    "i=4096",
	    "c=cD10bHMtZXhwb3J0ZXIsLAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhsc"
	    "HR4f,r=rOprNGfwEbeRWgbNEkqOsrvnonce,"
	    "p=SHR57IkzuJL5+qSEMUvztC0zuGOEO/hMuDVvV+vtjiw=",
	    "v=ePVD/ORkmlgXWZEZUbuY8Rjvw+U6VrIOvOcMVyZIf9U=",
	    "SCRAM-SHA-256-PLUS, tls-exporter (TLS 1.3)" },
	    "tls-exporter",
	    "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"
	    "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f",
	    32, 0 },
	{ { "SCRAM-SHA-1-PLUS", "user", "admin", "pencil",
	    "rOprNGfwEbeRWgbNEkqO",
	    "p=tls-server-end-point,a=admin,n=user,r=rOprNGfwEbeRWgbNEkqO",
	    "r=rOprNGfwEbeRWgbNEkqOsrvnonce,s=W22ZaJ0SNY7soEsUEjb6gQ==,"
	    "i=4096",
	    "c=cD10bHMtc2VydmVyLWVuZC1wb2ludCxhPWFkbWluLOg16xLj+2uj0smat0VT"
	    "gYx3Kha4lUAMtpPmTOhw4vfF,r=rOprNGfwEbeRWgbNEkqOsrvnonce,"
	    "p=mymh4vQiEIf3rWRJhB5b6f7pobE=",
	    "v=QseafSXQSHIa5qYAsuN0GFetXSo=",
	    "SCRAM-SHA-1-PLUS, tls-server-end-point (TLS 1.2), authzid" },
	    "tls-server-end-point",
	    "\xe8\x35\xeb\x12\xe3\xfb\x6b\xa3\xd2\xc9\x9a\xb7\x45\x53\x81\x8c"
	    "\x77\x2a\x16\xb8\x95\x40\x0c\xb6\x93\xe6\x4c\xe8\x70\xe2\xf7\xc5",
	    32, 0 },
	{ { "SCRAM-SHA-256", "user", NULL, "pencil", "rOprNGfwEbeRWgbNEkqO",
	    "y,,n=user,r=rOprNGfwEbeRWgbNEkqO",
	    "r=rOprNGfwEbeRWgbNEkqOsrvnonce,s=W22ZaJ0SNY7soEsUEjb6gQ==,"
	    "i=4096",
	    "c=eSws,r=rOprNGfwEbeRWgbNEkqOsrvnonce,"
	    "p=QY9ZJi5NXB1IslXmWUgG0zpmCIPdkOnB6dgFfFeeB9s=",
	    "v=6sA9VrQziGH3inpakk6iXe79Ffl6h1UKSmK1cJPMkk8=",
	    "SCRAM-SHA-256, flag y (no -PLUS offered)" },
	    NULL, NULL, 0, 1 },
};

static void
test_scram_binding(void)
{
	struct sasl_params	 p = { "user", NULL, "pencil", NULL, NULL,
				    "rOprNGfwEbeRWgbNEkqO" };
	struct sasl		*s;
	struct buf		 r;
	char			*cause = NULL;
	size_t			 i;

	for (i = 0; i < sizeof scram_cb_vectors / sizeof scram_cb_vectors[0];
	    i++)
		run_scram_vector(&scram_cb_vectors[i].v, &scram_cb_vectors[i]);

	/* -PLUS never goes on without a binding. */
	buf_init(&r, 0);
	if ((s = new_or_fail("SCRAM-SHA-256-PLUS", &p)) != NULL) {
		ok(sasl_step(s, NULL, 0, &r, &cause) == SASL_ERR && r.len == 0,
		    "-PLUS without sasl_bind: the first step fails");
		check_cause(cause, "SCRAM-SHA-256-PLUS needs TLS channel "
		    "binding", "... saying it needs channel binding");
		sasl_free(s);
	}
	if ((s = new_or_fail("SCRAM-SHA-1-PLUS", &p)) != NULL) {
		cause = NULL;
		ok(sasl_bind(s, NULL, NULL, 0, 1, &cause) == -1,
		    "-PLUS: sasl_bind without data fails");
		check_cause(cause, "SCRAM-SHA-1-PLUS needs TLS channel",
		    "... saying so");
		cause = NULL;
		ok(sasl_bind(s, "tls exporter", "x", 1, 0, &cause) == -1,
		    "-PLUS: a binding type outside the cb-name grammar fails");
		free(cause);
		sasl_free(s);
	}
	/* Plain SCRAM: "n" unless told "y"; never given binding data. */
	if ((s = new_or_fail("SCRAM-SHA-1", &p)) != NULL) {
		cause = NULL;
		ok(sasl_bind(s, "tls-exporter", "x", 1, 0, &cause) == -1,
		    "SCRAM-SHA-1: sasl_bind with a binding fails");
		free(cause);
		cause = NULL;
		ok(sasl_bind(s, NULL, NULL, 0, 0, &cause) == 0 &&
		    sasl_step(s, NULL, 0, &r, &cause) == SASL_CONTINUE &&
		    strncmp(r.data, "n,,n=user,", 10) == 0,
		    "SCRAM-SHA-1 told it cannot bind says n");
		sasl_free(s);
	}
	if ((s = new_or_fail("PLAIN", &p)) != NULL) {
		cause = NULL;
		ok(sasl_bind(s, NULL, NULL, 0, 1, &cause) == -1,
		    "PLAIN: sasl_bind fails (not SCRAM)");
		free(cause);
		sasl_free(s);
	}
	buf_wipe(&r);
}

/* RFC 2195's exchange with the HMACs of Courier's CRAM-SHA1/-SHA256. */
static void
test_cram_sha(void)
{
	static const struct {
		const char	*mech;
		const char	*want;
	} c[] = {
		{ "CRAM-SHA1", "tim 8cb10ed0a8b764ab0e05125dd6eaa295f19b5943" },
		{ "CRAM-SHA256", "tim f0011bbf7c1618ef90e3f18148e5eda4e15631c9c3"
		    "8ebef062bf7143ff72e944" },
	};
	static const char	 chal[] =
	    "<1896.697170952@postoffice.reston.mci.net>";
	struct sasl_params	 p = { "tim", NULL, "tanstaaftanstaaf", NULL,
				    NULL, NULL };
	struct sasl		*s;
	struct buf		 r;
	char			*cause = NULL;
	size_t			 i;

	buf_init(&r, 0);
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		if ((s = new_or_fail(c[i].mech, &p)) == NULL)
			continue;
		buf_reset(&r);
		ok(sasl_step(s, chal, sizeof chal - 1, &r, &cause) ==
		    SASL_DONE, "%s: one challenge, one response", c[i].mech);
		check_bytes(&r, c[i].want, strlen(c[i].want),
		    "... = python hmac");
		sasl_free(s);
	}
	buf_wipe(&r);
}

static void
test_anonymous(void)
{
	struct sasl_params	 p = { "sirhc", NULL, NULL, NULL, NULL, NULL };
	struct sasl		*s;
	struct buf		 r;
	char			*cause = NULL, big[300];

	buf_init(&r, 0);
	/* RFC 4505 section 4: the trace "sirhc" as the initial response. */
	if ((s = new_or_fail("ANONYMOUS", &p)) != NULL) {
		ok(sasl_client_first(s) && sasl_step(s, NULL, 0, &r, &cause) ==
		    SASL_DONE, "ANONYMOUS: one initial response");
		check_bytes(&r, "sirhc", 5, "... the trace, as RFC 4505 4");
		ok(sasl_finish(s, &cause) == 0, "... finish trusts the OK");
		sasl_free(s);
	}
	p.user = NULL;
	if ((s = new_or_fail("anonymous", &p)) != NULL) {
		buf_reset(&r);
		ok(sasl_step(s, NULL, 0, &r, &cause) == SASL_DONE &&
		    r.len == 0, "ANONYMOUS without a trace: empty response");
		sasl_free(s);
	}
	memset(big, 'x', 256);
	big[256] = '\0';
	p.user = big;
	if ((s = new_or_fail("ANONYMOUS", &p)) != NULL) {
		buf_reset(&r);
		ok(sasl_step(s, NULL, 0, &r, &cause) == SASL_ERR &&
		    r.len == 0, "ANONYMOUS: a 256-character trace fails");
		check_cause(cause, "ANONYMOUS: the trace is over 255",
		    "... saying so");
		sasl_free(s);
	}
	p.user = "a\tb";
	if ((s = new_or_fail("ANONYMOUS", &p)) != NULL) {
		cause = NULL;
		ok(sasl_step(s, NULL, 0, &r, &cause) == SASL_ERR,
		    "ANONYMOUS: a control character fails");
		free(cause);
		sasl_free(s);
	}
	buf_wipe(&r);
}

static void
test_misc(void)
{
	struct sasl_params	 p = { "u", NULL, "p", NULL, NULL, NULL };
	struct sasl		*s;
	struct buf		 r;
	char			*cause = NULL;

	sasl_free(NULL);
	ok(1, "sasl_free(NULL) is harmless");

	/* Freed at every stage: ASan watches. */
	buf_init(&r, 0);
	if ((s = new_or_fail("SCRAM-SHA-256", &p)) != NULL)
		sasl_free(s);
	if ((s = new_or_fail("SCRAM-SHA-256", &p)) != NULL) {
		sasl_step(s, NULL, 0, &r, &cause);
		sasl_free(s);
	}
	ok(1, "SCRAM state freed before and after client-first");
	if ((s = new_or_fail("CRAM-MD5", &p)) != NULL) {
		cause = NULL;
		ok(sasl_step(s, "", 0, &r, &cause) == SASL_DONE,
		    "CRAM-MD5 answers an empty challenge");
		free(cause);
		sasl_free(s);
	}
	buf_wipe(&r);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_table();
	test_new_errors();
	test_plain();
	test_login();
	test_cram();
	test_scram_vectors();
	test_scram_binding();
	test_cram_sha();
	test_anonymous();
	test_scram_failures();
	test_scram_password();
	test_scram_nonce();
	test_oauth();
	test_external();
	test_base64();
	test_misc();
	printf("1..%d\n", tap_ntests);
	return (tap_status());
}
