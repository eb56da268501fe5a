#!/usr/bin/env bats
# Tests of the fake IMAP server (tests/fake/fake-imapd.py, fake.bash and
# the scenarios), played by a scripted Python client (tests/fake/
# fake_client.py) instead of imapsh: every scenario passes with a client
# that does the right thing, and the fake catches clients that do not.
# A failure here is the infrastructure's, not imapsh's.

load helper
load ../fake/fake

setup()
{
	# No Dovecot user needed; the certificates come from tests/run.
	[ -n "${IMAPSH_TEST_CERTS-}" ] || {
		echo "IMAPSH_TEST_CERTS not set: run the tests with tests/run" >&2
		return 1
	}
}

teardown()
{
	fake_stop
}

# client CODE: run python3 CODE with fake_client imported, PORT (the
# fake's), CA (the test CA) and CERTS (the certificate directory).
client()
{
	# shellcheck disable=SC2153 # FAKE_DIR comes from fake.bash
	FAKE_DIR=$FAKE_DIR "$FAKE_PYTHON" -c "import os, sys, json, base64, ssl, time
sys.path.insert(0, os.environ['FAKE_DIR'])
from fake_client import Client, scram, b64
PORT = int(os.environ.get('FAKE_PORT') or 0)
CA = os.environ['IMAPSH_TEST_CA']
CERTS = os.environ['IMAPSH_TEST_CERTS']
$1"
}

# scenario NAME TEXT: write a scenario of this test's own, print its path.
scenario()
{
	printf '%s\n' "$2" >"$BATS_TEST_TMPDIR/$1.txt"
	printf '%s\n' "$BATS_TEST_TMPDIR/$1.txt"
}

# --- the fake's machinery ----------------------------------------------

@test "fake: a matching client completes the scenario, exit 0" {
	fake_start greeting-capability
	run client '
c = Client(PORT)
c.expect("* OK [CAPABILITY IMAP4rev1 FAKECAP ID] fake-imapd ready")
c.send("a1 NOOP")
c.expect("a1 OK NOOP completed.")
c.logout("a2")'
	assert_success
	fake_wait
	assert_file_contains "$FAKE_LOG" "scenario greeting-capability.txt completed"
}

@test "fake: a wrong client line fails with expected and actual" {
	fake_start greeting-capability
	run client '
c = Client(PORT)
c.line()
c.send("a1 CAPABILITY")
print("eof" if c.eof() else "no eof")'
	assert_output eof
	run fake_wait
	assert_failure 1
	assert_output_contains "greeting-capability.txt:6: client line does not match"
	assert_output_contains "expected: {TAG} NOOP"
	assert_output_contains "got:      b'a1 CAPABILITY'"
}

@test "fake: a bare LF from the client fails" {
	fake_start greeting-capability
	run client '
c = Client(PORT)
c.line()
c.send_raw(b"a1 NOOP\n")
c.eof()'
	run fake_wait
	assert_failure 1
	assert_output_contains "client line ends in a bare LF: b'a1 NOOP\\n'"
}

@test "fake: the client closing early fails and says what was expected" {
	fake_start greeting-plain
	run client 'Client(PORT).line()'
	run fake_wait
	assert_failure 1
	assert_output_contains "client closed the connection; expected: {TAG} CAPABILITY"
}

@test "fake: the transcript holds the client's exact bytes" {
	fake_start greeting-plain
	run client '
c = Client(PORT)
c.line()
c.send("x7 CAPABILITY")
c.expect("* CAPABILITY IMAP4rev1 FAKECAP")
c.expect("x7 OK Capability completed.")
c.send("x8 NOOP")
c.line()
c.send_raw(b"x9 LOGOUT\r\n")
c.line(); c.line(); c.eof()'
	assert_success
	fake_wait
	run cat -A "$FAKE_TRANSCRIPT"
	assert_output 'x7 CAPABILITY^M$
x8 NOOP^M$
x9 LOGOUT^M$'
	fake_assert_transcript '{TAG} CAPABILITY' '{TAG} NOOP' '{TAG} LOGOUT'
	run fake_assert_transcript '{TAG} CAPABILITY' '{TAG} LOGOUT'
	assert_failure
	assert_output_contains "client transcript differs"
	assert_output_contains "  | x8 NOOP\\r\\n"
}

@test "fake: a silent client times out with status 3" {
	fake_start greeting-plain --timeout 0.5
	SECONDS=0
	run client '
c = Client(PORT)
c.line()
time.sleep(0.7)'
	run fake_wait
	assert_failure 3
	assert_output_contains "timed out waiting for {TAG} CAPABILITY"
	[ "$SECONDS" -le 3 ] || _imapsh_fail "too slow" seconds "$SECONDS"
}

@test "fake: no connection at all times out with status 3" {
	fake_start greeting-plain --timeout 0.5
	run fake_wait
	assert_failure 3
	assert_output_contains "0 of 1 connections served"
}

@test "fake: a bad scenario file is reported with its line, status 2" {
	local f
	f=$(scenario bad 'S: * OK hi
FROBNICATE now')
	run "$FAKE_PYTHON" "$FAKE_IMAPD" --once "$f"
	assert_failure 2
	assert_output_contains "bad.txt:2: cannot parse: FROBNICATE now"
	f=$(scenario bad2 'S: * OK hi
CLOSE
S: * never sent')
	run "$FAKE_PYTHON" "$FAKE_IMAPD" --once "$f"
	assert_failure 2
	assert_output_contains "CLOSE ends the scenario, but more follows"
	f=$(scenario bad3 'C: re:{TAG} (unclosed')
	run "$FAKE_PYTHON" "$FAKE_IMAPD" --once "$f"
	assert_failure 2
	assert_output_contains "bad3.txt:1: bad regex"
}

@test "fake: escapes, placeholders and a line without CRLF" {
	local f
	f=$(scenario esc 'S: * OK [CAPABILITY IMAP4rev1] esc\x1b\t\0\\ {12} \{PORT\}
C: re:{TAG} ECHO (\d+)
S: * ECHO {PORT} {B64:{TAG}:{PORT}\x01}
S: {TAG} OK no CRLF\
CLOSE')
	fake_start "$f"
	run client '
c = Client(PORT)
print(repr(c.line()))
c.send("t1 ECHO 42")
print(c.line())
c.line() is None
print(repr(c.buf))'
	assert_success
	fake_wait
	assert_line 0 "'* OK [CAPABILITY IMAP4rev1] esc\\x1b\\t\\x00\\\\ {12} {PORT}'"
	local want
	want=$(printf 't1:%s\001' "$FAKE_PORT" | base64)
	assert_line 1 "* ECHO $FAKE_PORT $want"
	assert_line 2 "b't1 OK no CRLF'"
}

@test "fake: a client literal is read as bytes and checked" {
	local f
	f=$(scenario lit 'S: * PREAUTH [CAPABILITY IMAP4rev1] hi
C: {TAG} APPEND INBOX {7}
S: + Ready for literal data
C: <literal 7> a\r\nb c\n
C:
S: {TAG} OK Append completed.')
	fake_start "$f"
	run client '
c = Client(PORT)
c.line()
c.send("A1 APPEND INBOX {7}")
c.expect("+ Ready for literal data")
c.send_raw(b"a\r\nb c\n\r\n")
c.expect("A1 OK Append completed.")'
	assert_success
	fake_wait
	fake_assert_transcript '{TAG} APPEND INBOX {7}' $'a\r\nb c\n'
}

@test "fake: {B64RE:...} decodes and checks a base64 word" {
	fake_start oauthbearer-ok
	run client '
c = Client(PORT)
c.line()
c.send("a1 AUTHENTICATE OAUTHBEARER " +
       b64("n,,\x01host=x\x01port=%d\x01auth=Bearer WRONG\x01\x01" % PORT))
c.eof()'
	run fake_wait
	assert_failure 1
	assert_output_contains "base64 word does not decode as expected"
	assert_output_contains "auth=Bearer WRONG"
}

@test "fake: CAPS answers an unexpected CAPABILITY; without it, it fails" {
	# starttls-no has CAPS: a client that asks first is fine.
	fake_start starttls-no
	run client '
c = Client(PORT)
c.line()
c.send("a1 CAPABILITY")
c.expect("* CAPABILITY IMAP4rev1 STARTTLS")
c.expect("a1 OK Capability completed.")
c.send("a2 STARTTLS")
c.expect("re:a2 NO .*")
c.close()'
	assert_success
	fake_wait
}

@test "fake: after the scenario, LOGOUT is answered and others get BAD" {
	fake_start greeting-capability
	run client '
c = Client(PORT)
c.line()
c.send("a1 NOOP")
c.line()
c.send("a2 SELECT INBOX")
c.expect("a2 BAD fake-imapd: the scenario is over")
c.logout("a3")'
	assert_success
	fake_wait
}

@test "fake: SPLIT sends one byte per write, BIGSEND many bytes" {
	local f
	f=$(scenario big 'S: * OK [CAPABILITY IMAP4rev1] hi
SPLIT
S: * 1 FETCH (BODY[] {3}\r\nabc)
BIGSEND 100000 0123456789
S:
CLOSE')
	fake_start "$f"
	run client '
c = Client(PORT)
c.line()
c.expect("* 1 FETCH (BODY[] {3}")
n = c.recvs
assert c.read(3) == b"abc" and c.line() == ")"
print("split into", "many" if c.recvs > 10 else c.recvs, "reads")
big = c.read(100000)
print(len(big), big[:12], c.line() == "", c.eof())'
	assert_success
	assert_line 0 "split into many reads"
	assert_line 1 "100000 b'012345678901' True True"
	fake_wait
}

@test "fake: RESET resets the connection" {
	local f
	f=$(scenario reset 'S: * OK [CAPABILITY IMAP4rev1] hi
C: {TAG} NOOP
RESET')
	fake_start "$f"
	run client '
c = Client(PORT)
c.line()
c.send("a1 NOOP")
try:
    c.sock.recv(10)
    print("no reset")
except ConnectionResetError:
    print("reset")'
	assert_output reset
	fake_wait
}

@test "fake: --count 2 plays the scenario twice" {
	fake_start greeting-capability --count 2
	run client '
for tag in ("a", "b"):
    c = Client(PORT)
    c.line()
    c.send(tag + "1 NOOP")
    c.expect(tag + "1 OK NOOP completed.")
    c.logout(tag + "2")'
	assert_success
	fake_wait
	fake_assert_transcript '{TAG} NOOP' '{TAG} LOGOUT' '{TAG} NOOP' \
	    '{TAG} LOGOUT'
}

@test "fake: --stdio plays on stdin/stdout, STARTTLS included" {
	fake_stdio starttls-ok
	run client '
import socket, subprocess
mine, theirs = socket.socketpair()
p = subprocess.Popen(os.environ["FAKE_CMD"], shell=True, stdin=theirs,
                     stdout=theirs)
theirs.close()
c = Client(sock=mine)
c.line()
c.send("a1 STARTTLS")
c.expect("a1 OK Begin TLS negotiation now.")
c.starttls(CA)
c.send("a2 CAPABILITY")
c.expect("* CAPABILITY IMAP4rev1 AUTH=PLAIN")
c.expect("a2 OK Capability completed.")
c.send("a3 LOGIN user secret")
c.expect("re:a3 OK .*")
c.logout("a4")
print("fake exit", p.wait())'
	assert_success
	assert_output "fake exit 0"
	fake_wait
	assert_file_contains "$FAKE_LOG" "TLS established"
}

@test "fake: STARTTLS with data pipelined after the command fails" {
	fake_start starttls-ok
	run client '
c = Client(PORT)
c.line()
c.send_raw(b"a1 STARTTLS\r\na2 NOOP\r\n")
c.line()
c.eof()'
	run fake_wait
	assert_failure 1
	assert_output_contains "pipelined past STARTTLS"
}

@test "fake: STARTTLS fail wants the client to refuse the certificate" {
	local f
	f=$(scenario refuse 'S: * OK [CAPABILITY IMAP4rev1 STARTTLS] hi
C: {TAG} STARTTLS
S: {TAG} OK Begin TLS
STARTTLS fail')
	# The unknown CA's certificate: the client refuses it.
	fake_start "$f" --cert "$IMAPSH_TEST_CERTS/unknownca.pem" \
	    --key "$IMAPSH_TEST_CERTS/unknownca-key.pem"
	run client '
c = Client(PORT)
c.line()
c.send("a1 STARTTLS")
c.line()
try:
    c.starttls(CA)
except ssl.SSLCertVerificationError as e:
    print(e.verify_message)' 
	assert_output "unable to get local issuer certificate"
	fake_wait
	assert_file_contains "$FAKE_LOG" "TLS handshake failed, as the scenario wants"
}

@test "fake: --tls and --client-ca check the client certificate" {
	fake_start external-client-cert --tls --client-ca "$IMAPSH_TEST_CA"
	run client '
c = Client(PORT, host="localhost", tls=True, ca=CA,
           cert=CERTS + "/client.pem", key=CERTS + "/client-key.pem")
c.line()
c.send("a1 AUTHENTICATE EXTERNAL =")
c.expect("re:a1 OK .*")
c.logout("a2")'
	assert_success
	fake_wait
	assert_file_contains "$FAKE_LOG" "client certificate: extuser"

	fake_start external-client-cert --tls --client-ca "$IMAPSH_TEST_CA"
	run client '
c = Client(PORT, tls=True, ca=CA)
c.line()
c.send("a1 AUTHENTICATE EXTERNAL =")
c.eof()'
	run fake_wait
	assert_failure 1
	assert_output_contains "client certificate CN none, expected extuser"
}

# --- every scenario, played right ---------------------------------------

@test "scenario greeting-eof: the greeting stops half-way" {
	fake_start greeting-eof
	run client '
c = Client(PORT)
print(c.line(), repr(c.buf))'
	assert_output "None b'* OK fake-imapd gre'"
	fake_wait
}

@test "scenario greeting-bye: a client that just closes passes, LOGOUT fails" {
	fake_start greeting-bye
	run client '
c = Client(PORT)
c.expect("re:\\* BYE \\[UNAVAILABLE\\] .*")
c.close()'
	assert_success
	fake_wait

	fake_start greeting-bye
	run client '
c = Client(PORT)
c.line()
c.send("a1 LOGOUT")
c.eof()'
	run fake_wait
	assert_failure 1
	assert_output_contains "expected the client to close, got b'a1 LOGOUT\\r\\n'"
}

@test "scenario slow-greeting and slow-reply: 1.5 s late, both at once" {
	local first_pid first_status first_log
	fake_start slow-greeting
	export GREETING_PORT=$FAKE_PORT
	first_pid=$FAKE_PID first_status=$FAKE_STATUS_FILE first_log=$FAKE_LOG
	fake_start slow-reply
	run client '
import threading
def impatient():
    c = Client(int(os.environ["GREETING_PORT"]), timeout=1)
    t = time.monotonic()
    try:
        c.line()
        print("greeting came")
    except TimeoutError:
        print("timed out after %.0f s" % (time.monotonic() - t))
th = threading.Thread(target=impatient)
th.start()
c = Client(PORT)
c.line()
t = time.monotonic()
c.send("a1 NOOP")
c.expect("a1 OK NOOP completed, too late.")
th.join()
print("waited", "over 1.4 s" if time.monotonic() - t > 1.4 else "too little")
c.logout("a2")'
	assert_output "timed out after 1 s
waited over 1.4 s"
	fake_wait
	FAKE_PID=$first_pid FAKE_STATUS_FILE=$first_status FAKE_LOG=$first_log
	fake_wait
}

@test "scenario literal-split: a literal one byte per write" {
	fake_start literal-split
	run client '
c = Client(PORT)
c.line()
c.send("a1 SELECT INBOX")
for _ in range(4):
    c.line()
c.send("a2 FETCH 1 (BODY[])")
c.expect("* 1 FETCH (BODY[] {12}")
print(c.read(12), c.line(), c.line(), c.recvs > 20)
c.logout("a3")'
	assert_success
	assert_output "b'hello\\r\\nworld' ) a2 OK Fetch completed. True"
	fake_wait
}

@test "scenario starttls-injection: a client that drops the line passes" {
	fake_start starttls-injection
	run client '
c = Client(PORT)
c.line()
c.send("a1 STARTTLS")
c.expect("a1 OK Begin TLS negotiation now.")
print("buffered:", c.buf)
c.close()'
	assert_output "buffered: b'* OK injected\\r\\n'"
	fake_wait
}

@test "scenario starttls-injection: a client that starts TLS anyway fails" {
	fake_start starttls-injection
	run client '
c = Client(PORT)
c.line()
c.send("a1 STARTTLS")
c.line()
c.buf = b""
try:
    c.starttls(CA)
except (ssl.SSLError, OSError):
    pass'
	run fake_wait
	assert_failure 1
	# A TLS ClientHello: a handshake record, then a cut at 160 bytes.
	assert_output_contains "expected the client to close, got b"
	assert_output_contains "\\x16\\x03"
	assert_output_contains "... ("
}

@test "scenario starttls-not-offered: LOGOUT passes, LOGIN fails" {
	fake_start starttls-not-offered
	run client '
c = Client(PORT)
c.line()
c.logout("a1")'
	assert_success
	fake_wait

	fake_start starttls-not-offered
	run client '
c = Client(PORT)
c.line()
c.send("a1 LOGIN user secret")
c.eof()'
	run fake_wait
	assert_failure 1
	assert_output_contains "the client should have left, but sent b'a1 LOGIN user secret"
}

@test "scenario starttls-no, starttls-bad: a client that gives up passes" {
	local s
	for s in starttls-no starttls-bad; do
		fake_start "$s"
		run client '
c = Client(PORT)
c.line()
c.send("a1 STARTTLS")
print(c.line().split()[1])
c.close()'
		assert_success
		fake_wait
		[ "$s" = starttls-no ] && assert_output NO
		[ "$s" = starttls-bad ] && assert_output BAD
	done
}

@test "scenario starttls-continuation: a + to STARTTLS, the client leaves" {
	fake_start starttls-continuation
	run client '
c = Client(PORT)
c.line()
c.send("a1 STARTTLS")
c.expect("+ go ahead")
c.logout("a2")'
	assert_success
	fake_wait
}

@test "scenario preauth-tcp: a client that refuses PREAUTH passes" {
	fake_start preauth-tcp
	run client '
c = Client(PORT)
c.expect("re:\\* PREAUTH .*")
c.close()'
	assert_success
	fake_wait
}

@test "scenario starttls-ok and caps-change-after-tls: new capabilities" {
	local s
	for s in starttls-ok caps-change-after-tls; do
		fake_start "$s"
		run client '
c = Client(PORT)
c.line()
c.send("a1 STARTTLS")
c.expect("a1 OK Begin TLS negotiation now.")
c.starttls(CA)
c.send("a2 CAPABILITY")
c.expect("* CAPABILITY IMAP4rev1 AUTH=PLAIN")
c.line()
c.send("a3 LOGIN user \"secret\"")
c.expect("re:a3 OK .*Logged in")
c.logout("a4")'
		assert_success
		fake_wait
	done
}

@test "scenario caps-change-after-tls: no CAPABILITY after TLS fails" {
	fake_start caps-change-after-tls
	run client '
c = Client(PORT)
c.line()
c.send("a1 STARTTLS")
c.line()
c.starttls(CA)
c.send("a2 LOGIN user secret")
c.eof()'
	run fake_wait
	assert_failure 1
	assert_output_contains "expected: {TAG} CAPABILITY"
}

@test "scenario alert-before-starttls and list-before-starttls" {
	fake_start alert-before-starttls
	run client '
c = Client(PORT)
c.line()
c.send("a1 STARTTLS")
c.expect("* OK [ALERT] Your account is locked: call +1 555 0100 now")
c.line()
c.starttls(CA)
c.send("a2 CAPABILITY"); c.line(); c.line()
c.send("a3 LOGIN user secret")
c.expect("a3 OK Logged in")
c.logout("a4")'
	assert_success
	fake_wait

	fake_start list-before-starttls
	run client '
c = Client(PORT)
c.line()
c.send("a1 STARTTLS")
c.expect("* LIST () \"/\" Injected")
c.line()
c.starttls(CA)
c.send("a2 CAPABILITY"); c.line(); c.line()
c.send("a3 LOGIN user secret"); c.line()
c.send("a4 LIST \"\" *")
c.expect("* LIST (\\HasNoChildren) \"/\" INBOX")
c.expect("a4 OK List completed.")
c.logout("a5")'
	assert_success
	fake_wait
}

@test "scenario sasl-garbage-challenge: the client cancels with *" {
	fake_start sasl-garbage-challenge
	run client '
c = Client(PORT)
c.line()
c.send("a1 AUTHENTICATE CRAM-MD5")
c.expect("+ !!!notbase64")
c.send("*")
c.expect("a1 BAD AUTHENTICATE cancelled")
c.logout("a2")'
	assert_success
	fake_wait
}

@test "scenario xoauth2-error: error JSON, empty response, NO" {
	fake_start xoauth2-error
	run client '
c = Client(PORT)
c.line()
c.send("a1 AUTHENTICATE XOAUTH2 " +
       b64("user=user@example.org\x01auth=Bearer token123\x01\x01"))
print(json.loads(base64.b64decode(c.expect("re:\\+ .*")[2:])))
c.send("")
c.expect("re:a1 NO \\[AUTHENTICATIONFAILED\\] .*")
c.logout("a2")'
	assert_success
	assert_output "{'status': '401', 'schemes': 'bearer', 'scope': 'https://mail.google.com/'}"
	fake_wait
}

@test "scenario oauthbearer-ok and oauthbearer-error" {
	fake_start oauthbearer-ok
	run client '
c = Client(PORT)
c.line()
c.send("a1 AUTHENTICATE OAUTHBEARER " + b64(
    "n,a=user@example.org,\x01host=127.0.0.1\x01port=%d\x01"
    "auth=Bearer token123\x01\x01" % PORT))
c.expect("re:a1 OK .*")
c.logout("a2")'
	assert_success
	fake_wait

	fake_start oauthbearer-error
	run client '
c = Client(PORT)
c.line()
c.send("a1 AUTHENTICATE OAUTHBEARER " +
       b64("n,,\x01auth=Bearer token123\x01\x01"))
print(json.loads(base64.b64decode(c.expect("re:\\+ .*")[2:]))["status"])
c.send(b64("\x01"))
c.expect("re:a1 NO .*")
c.logout("a2")'
	assert_success
	assert_output invalid_token
	fake_wait
}

@test "scenario scram-sha256-ok: with and without SASL-IR" {
	local ir
	for ir in True False; do
		fake_start scram-sha256-ok
		run client "
c = Client(PORT)
c.line()
got, want = scram(c, 'a1', 'user', 'pencil', ir=$ir)
print('signature', 'ok' if got == want else 'WRONG: %r' % got)
c.send('')
c.expect('re:a1 OK .*')
c.logout('a2')"
		assert_success
		assert_output "signature ok"
		fake_wait
	done
}

@test "scenario scram-sha256-bad-signature: the client sees it and cancels" {
	fake_start scram-sha256-bad-signature
	run client '
c = Client(PORT)
c.line()
got, want = scram(c, "a1", "user", "pencil")
print("signature", "ok" if got == want else "wrong")
c.send("*")
c.expect("a1 OK Logged in anyway")
c.logout("a2")'
	assert_success
	assert_output "signature wrong"
	fake_wait
}

@test "scenario scram-sha256-no-signature: OK comes instead of v=" {
	fake_start scram-sha256-no-signature
	run client '
c = Client(PORT)
c.line()
got, want = scram(c, "a1", "user", "pencil")
print(got)
c.logout("a2")'
	assert_success
	assert_output "a1 OK Logged in without a signature"
	fake_wait
}

@test "scenario scram: a wrong password is caught by the fake" {
	fake_start scram-sha256-ok
	run client '
c = Client(PORT)
c.line()
got, want = scram(c, "a1", "user", "pencil", password_for_proof="crayon")
print(got)'
	assert_output "a1 NO [AUTHENTICATIONFAILED] Authentication failed."
	run fake_wait
	assert_failure 1
	assert_output_contains "wrong SCRAM client proof"
}

@test "scenario external and external-no-sasl-ir" {
	fake_start external
	run client '
c = Client(PORT)
c.line()
c.send("a1 AUTHENTICATE EXTERNAL =")
c.expect("re:a1 OK .*")
c.logout("a2")'
	assert_success
	fake_wait

	fake_start external-no-sasl-ir
	run client '
c = Client(PORT)
c.line()
c.send("a1 AUTHENTICATE EXTERNAL")
c.expect("+ ")
c.send("")
c.expect("re:a1 OK .*")
c.logout("a2")'
	assert_success
	fake_wait
}

@test "scenarios: every file parses and is played by some test" {
	run "$FAKE_PYTHON" -c '
import importlib.util, sys
spec = importlib.util.spec_from_file_location("fake", sys.argv[1])
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
for f in sys.argv[2:]:
    m.parse_scenario(f)
print(len(sys.argv) - 2, "parsed")' "$FAKE_IMAPD" "$FAKE_SCENARIOS"/*.txt
	assert_success
	assert_output_matches '^[1-9][0-9]* parsed$'
	local f name
	for f in "$FAKE_SCENARIOS"/*.txt; do
		name=$(basename "$f" .txt)
		grep -qE "fake_(start|stdio) $name( |\$|\")|for s in .*$name|$name" \
		    "$BATS_TEST_DIRNAME"/*.bats ||
		    _imapsh_fail "scenario not played by any test" \
		    scenario "$name"
	done
}
