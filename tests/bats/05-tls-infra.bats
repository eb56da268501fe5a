#!/usr/bin/env bats
# Tests of the TLS side of the test harness (tests/lib/certs.sh, the TLS
# configuration of tests/lib/dovecot.sh and tests/lib/tls-proxy.py),
# checked with certtool, Python's ssl/imaplib (OpenSSL) and gnutls-cli
# (GnuTLS, as imapsh), never with imapsh: a failure here is the
# harness's, not imapsh's.

load helper

# tls_py CODE: python3 CODE with os, ssl, imaplib, socket imported, CA
# (the test CA's path) and the function connect(port, host, **ctx_opts)
# that returns "ok: GREETING" or the certificate verification error.
tls_py()
{
	python3 -c 'import imaplib, os, socket, ssl, sys
CA = os.environ["IMAPSH_TEST_CA"]
CERTS = os.environ["IMAPSH_TEST_CERTS"]
def connect(port, host):
    ctx = ssl.create_default_context(cafile=CA)
    try:
        with socket.create_connection((host, int(port)), 5) as s:
            with ctx.wrap_socket(s, server_hostname=host) as t:
                return "ok: " + t.makefile("rb").readline().decode()[:4]
    except ssl.SSLCertVerificationError as e:
        return e.verify_message
'"$1"
}

# verify NAME [HOST]: certtool's verdict on DIR/NAME.pem with the test CA.
verify()
{
	certtool --verify --load-ca-certificate "$IMAPSH_TEST_CA" \
	    --infile "$IMAPSH_TEST_CERTS/$1.pem" ${2:+--verify-hostname="$2"} \
	    2>&1 | sed -n 's/^Chain verification output: //p'
	return "${PIPESTATUS[0]}"
}

# gnutls PORT HOST [OPTION...]: gnutls-cli's verdict (its Status line).
gnutls()
{
	local port=$1 host=$2

	shift 2
	timeout 10 gnutls-cli --x509cafile "$IMAPSH_TEST_CA" -p "$port" \
	    "$@" "$host" </dev/null 2>&1 | sed -n 's/^- Status: //p'
	return "${PIPESTATUS[0]}"
}

@test "tls-infra: dovecot exports the TLS ports, the CA and the certificates" {
	local v seen=" $IMAPSH_TEST_PORT "
	for v in IMAPSH_TEST_STARTTLS_PORT IMAPSH_TEST_TLS_PORT \
	    IMAPSH_TEST_TLS_EXPIRED_PORT IMAPSH_TEST_TLS_WRONGNAME_PORT \
	    IMAPSH_TEST_TLS_NAMEONLY_PORT IMAPSH_TEST_TLS_UNKNOWNCA_PORT; do
		[[ ${!v-} =~ ^[0-9]+$ ]] ||
		    _imapsh_fail "not a port number" variable "$v=${!v-}"
		[[ $seen != *" ${!v} "* ]] ||
		    _imapsh_fail "port used twice" variable "$v=${!v}"
		seen+="${!v} "
	done
	assert_equal "$IMAPSH_TEST_DIR/certs" "$IMAPSH_TEST_CERTS"
	assert_equal "$IMAPSH_TEST_CERTS/ca.pem" "$IMAPSH_TEST_CA"
	for v in ca server expired wrongname nameonly unknownca selfsigned \
	    client; do
		[ -s "$IMAPSH_TEST_CERTS/$v.pem" ] &&
		    [ -s "$IMAPSH_TEST_CERTS/$v-key.pem" ] ||
		    _imapsh_fail "certificate or key missing" name "$v"
	done
}

@test "tls-infra: certtool verifies the certificates as intended" {
	run verify server localhost
	assert_success
	assert_output "Verified. The certificate is trusted. "
	run verify server 127.0.0.1
	assert_success
	run verify server ::1
	assert_success
	run verify client
	assert_success

	run verify expired localhost
	assert_failure
	assert_output_contains "The certificate chain uses expired certificate."
	run verify wrongname localhost
	assert_failure
	assert_output_contains "The name in the certificate does not match the expected."
	run verify wrongname wrong.example
	assert_success
	run verify nameonly localhost
	assert_success
	run verify nameonly 127.0.0.1
	assert_failure
	assert_output_contains "does not match the expected."
	run verify unknownca localhost
	assert_failure
	assert_output_contains "The certificate issuer is unknown."
	run verify selfsigned localhost
	assert_failure
	assert_output_contains "The certificate issuer is unknown."
}

@test "tls-infra: the certificates carry the intended names and uses" {
	run certtool -i --infile "$IMAPSH_TEST_CERTS/server.pem"
	assert_output_contains "DNSname: localhost"
	assert_output_contains "IPAddress: 127.0.0.1"
	assert_output_contains "IPAddress: ::1"
	assert_output_contains "TLS WWW Server."
	assert_output_contains "EC/ECDSA"
	run certtool -i --infile "$IMAPSH_TEST_CERTS/nameonly.pem"
	refute_output_contains "IPAddress"
	run certtool -i --infile "$IMAPSH_TEST_CERTS/client.pem"
	assert_output_contains "Subject: CN=extuser,"
	assert_output_contains "RFC822Name: extuser@imapsh.test"
	assert_output_contains "TLS WWW Client."
	run certtool -i --infile "$IMAPSH_TEST_CERTS/expired.pem"
	assert_output_contains "Not After: Thu Jan 02 00:00:00 UTC 2020"
}

@test "tls-infra: certs_make reuses a finished set, certs_client adds users" {
	local before dir=$BATS_TEST_TMPDIR/certs
	before=$(cksum <"$IMAPSH_TEST_CA")
	certs_make "$IMAPSH_TEST_CERTS"
	assert_equal "$before" "$(cksum <"$IMAPSH_TEST_CA")"

	# A new set, twice at once: one makes it, the other waits.
	certs_make "$dir" & certs_make "$dir"
	wait $!
	run certtool --verify --load-ca-certificate "$dir/ca.pem" \
	    --infile "$dir/server.pem"
	assert_success
	run certtool --verify --load-ca-certificate "$IMAPSH_TEST_CA" \
	    --infile "$dir/server.pem"
	assert_failure
	[ ! -e "$dir/.lock" ] || _imapsh_fail "lock left behind"

	run certs_client "$dir" "$USER_NAME"
	assert_success
	assert_output "$dir/client-$USER_NAME.pem"
	run certtool -i --infile "$dir/client-$USER_NAME.pem"
	assert_output_contains "Subject: CN=$USER_NAME,"
	run certs_client "$dir" 'bad name'
	assert_failure 2
}

@test "tls-infra: OpenSSL (python ssl) verifies each TLS port as intended" {
	run tls_py '
E = os.environ
for var, host in (("IMAPSH_TEST_TLS_PORT", "localhost"),
                  ("IMAPSH_TEST_TLS_PORT", "127.0.0.1"),
                  ("IMAPSH_TEST_TLS_EXPIRED_PORT", "localhost"),
                  ("IMAPSH_TEST_TLS_WRONGNAME_PORT", "localhost"),
                  ("IMAPSH_TEST_TLS_NAMEONLY_PORT", "localhost"),
                  ("IMAPSH_TEST_TLS_NAMEONLY_PORT", "127.0.0.1"),
                  ("IMAPSH_TEST_TLS_UNKNOWNCA_PORT", "localhost")):
    print(connect(E[var], host))'
	assert_success
	assert_output "ok: * OK
ok: * OK
certificate has expired
Hostname mismatch, certificate is not valid for 'localhost'.
ok: * OK
IP address mismatch, certificate is not valid for '127.0.0.1'.
unable to get local issuer certificate"
}

@test "tls-infra: GnuTLS (gnutls-cli) verifies each TLS port as intended" {
	run gnutls "$IMAPSH_TEST_TLS_PORT" localhost
	assert_success
	assert_output "The certificate is trusted. "
	run gnutls "$IMAPSH_TEST_TLS_PORT" 127.0.0.1
	assert_success
	run gnutls "$IMAPSH_TEST_TLS_EXPIRED_PORT" localhost
	assert_failure
	assert_output_contains "The certificate chain uses expired certificate."
	run gnutls "$IMAPSH_TEST_TLS_WRONGNAME_PORT" localhost
	assert_failure
	assert_output_contains "The name in the certificate does not match the expected."
	run gnutls "$IMAPSH_TEST_TLS_NAMEONLY_PORT" localhost
	assert_success
	run gnutls "$IMAPSH_TEST_TLS_NAMEONLY_PORT" 127.0.0.1
	assert_failure
	assert_output_contains "does not match the expected."
	run gnutls "$IMAPSH_TEST_TLS_UNKNOWNCA_PORT" localhost
	assert_failure
	assert_output_contains "The certificate issuer is unknown."
	run gnutls "$IMAPSH_TEST_STARTTLS_PORT" localhost --starttls-proto=imap
	assert_success
	assert_output "The certificate is trusted. "
}

@test "tls-infra: STARTTLS with imaplib on the STARTTLS port, none on the plain one" {
	run tls_py '
E = os.environ
M = imaplib.IMAP4("localhost", int(E["IMAPSH_TEST_STARTTLS_PORT"]))
print("before:", "STARTTLS" in M.capabilities)
print(M.starttls(ssl.create_default_context(cafile=CA))[0])
print("after:", "STARTTLS" in M.capabilities, M.sock.version() >= "TLSv1.2")
print(M.login(E["USER_NAME"], E["USER_PASS"])[0], M.select()[0])
M.logout()
M = imaplib.IMAP4(E["IMAPSH_TEST_HOST"], int(E["IMAPSH_TEST_PORT"]))
try:
    M.starttls(ssl.create_default_context(cafile=CA))
except imaplib.IMAP4.error as e:
    print("plain:", e)'
	assert_success
	assert_output "before: True
OK
after: False True
OK OK
plain: TLS not supported by server"
}

@test "tls-infra: imaps with imaplib.IMAP4_SSL, TLS 1.2 and 1.3" {
	run tls_py '
E = os.environ
for host, maxv in (("localhost", None), ("127.0.0.1", ssl.TLSVersion.TLSv1_2)):
    ctx = ssl.create_default_context(cafile=CA)
    if maxv:
        ctx.maximum_version = maxv
    M = imaplib.IMAP4_SSL(host, int(E["IMAPSH_TEST_TLS_PORT"]),
                          ssl_context=ctx)
    print(M.sock.version(), M.login(E["USER_NAME"], E["USER_PASS"])[0])
    M.logout()'
	assert_success
	assert_output "TLSv1.3 OK
TLSv1.2 OK"
}

@test "tls-infra: the bad-certificate ports relay to a working Dovecot" {
	run tls_py '
E = os.environ
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
for v in ("EXPIRED", "WRONGNAME", "NAMEONLY", "UNKNOWNCA"):
    M = imaplib.IMAP4_SSL("127.0.0.1", int(E["IMAPSH_TEST_TLS_%s_PORT" % v]),
                          ssl_context=ctx)
    print(v, M.login(E["USER_NAME"], E["USER_PASS"])[0], M.select()[1])
    M.logout()'
	assert_success
	assert_output "EXPIRED OK [b'0']
WRONGNAME OK [b'0']
NAMEONLY OK [b'0']
UNKNOWNCA OK [b'0']"
}

@test "tls-infra: EXTERNAL logs in with a client certificate, only with one" {
	certs_client "$IMAPSH_TEST_CERTS" "$USER_NAME" >/dev/null
	deliver 2
	run tls_py '
E = os.environ
user = E["USER_NAME"]
def ctx(cert=None):
    c = ssl.create_default_context(cafile=CA)
    if cert:
        c.load_cert_chain(CERTS + "/" + cert + ".pem",
                          CERTS + "/" + cert + "-key.pem")
    return c
def external(M):
    try:
        return M.authenticate("EXTERNAL", lambda c: b"")[0]
    except imaplib.IMAP4.error as e:
        return str(e)
M = imaplib.IMAP4_SSL("localhost", int(E["IMAPSH_TEST_TLS_PORT"]),
                      ssl_context=ctx("client-" + user))
print("AUTH=EXTERNAL" in M.capabilities, external(M), M.select()[1])
M.logout()
M = imaplib.IMAP4("localhost", int(E["IMAPSH_TEST_STARTTLS_PORT"]))
M.starttls(ctx("client-" + user))
print("starttls:", external(M), M.select()[1])
M.logout()
# Dovecot answers a failure after up to 0.5 s: the three at once.
import concurrent.futures
refused = (
    ("no certificate", lambda: imaplib.IMAP4_SSL(
        "localhost", int(E["IMAPSH_TEST_TLS_PORT"]), ssl_context=ctx())),
    ("untrusted certificate", lambda: imaplib.IMAP4_SSL(
        "localhost", int(E["IMAPSH_TEST_TLS_PORT"]),
        ssl_context=ctx("unknownca"))),
    ("plain", lambda: imaplib.IMAP4(E["IMAPSH_TEST_HOST"],
                                    int(E["IMAPSH_TEST_PORT"]))))
with concurrent.futures.ThreadPoolExecutor(3) as pool:
    results = pool.map(lambda r: (r[0], external(r[1]())), refused)
for what, result in results:
    print(what + ":", result)'
	assert_success
	assert_output "True OK [b'2']
starttls: OK [b'2']
no certificate: [AUTHENTICATIONFAILED] Authentication failed.
untrusted certificate: [AUTHENTICATIONFAILED] Authentication failed.
plain: [AUTHENTICATIONFAILED] Authentication failed."
}

@test "tls-infra: the relay stops with dovecot_stop's helper and with its parent" {
	local dir=$BATS_TEST_TMPDIR/relay pid
	mkdir -p "$dir/run"
	ln -s "$IMAPSH_TEST_CERTS" "$dir/certs"
	_dovecot_proxy_start "$dir" "$IMAPSH_TEST_PORT"
	read -r pid <"$dir/run/tls-proxy.pid"
	run tls_py 'print(connect(os.environ["IMAPSH_TEST_TLS_NAMEONLY_PORT"],
                          "localhost"))'
	assert_output "ok: * OK"
	_dovecot_proxy_stop "$dir"
	! _dovecot_alive "$pid" || _imapsh_fail "relay still runs" pid "$pid"

	# Its parent gone (a test run killed hard), it goes within a second.
	bash -c 'source "$1"; _dovecot_proxy_start "$2" "$3"' _ \
	    "$IMAPSH_TESTS_DIR/lib/dovecot.sh" "$dir" "$IMAPSH_TEST_PORT" 3>&-
	read -r pid <"$dir/run/tls-proxy.pid"
	local i
	for ((i = 0; i < 30; i++)); do
		_dovecot_alive "$pid" || break
		sleep 0.1
	done
	! _dovecot_alive "$pid" ||
	    _imapsh_fail "relay outlived its parent" pid "$pid"
}
