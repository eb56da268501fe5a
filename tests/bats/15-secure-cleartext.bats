#!/usr/bin/env bats
# Cleartext refusal (imapsh(1), --allow-cleartext): no password or token
# crosses a plain TCP connection to another machine unless the user says
# --allow-cleartext; this machine (loopback) and a child process are
# exempt, and TLS (STARTTLS) lifts the refusal.
#
# "Another machine" needs an address that is not loopback, so as root
# the file builds its own network: two network namespaces joined by a
# veth pair, the client's with 192.0.2.1 and the server's with 192.0.2.2
# (TEST-NET-1, RFC 5737).  Nothing is added to the namespace the suite
# runs in (its own addresses and routes are untouched, whatever they
# are), and both namespaces are deleted at the end.  In the server's
# namespace the fake server (tests/fake) listens on its loopback and a
# small relay forwards 192.0.2.2:143 to it; imapsh runs in the client's.
# Without root or ip(8), the tests that need the network are skipped.

load helper
load ../fake/fake
load secure-helper

NS_CLIENT_ADDR=192.0.2.1
NS_SERVER_ADDR=192.0.2.2

setup_file()
{
	local tag=$$ py
	export NS_SKIP='' NS_CLIENT=imapsh-c-$tag NS_SERVER=imapsh-s-$tag
	if [ "$(id -u)" -ne 0 ]; then
		NS_SKIP="not root: cannot create network namespaces"
		return 0
	fi
	if ! command -v ip >/dev/null; then
		NS_SKIP="ip(8) (iproute2) is not installed"
		return 0
	fi
	if ! ip netns add "$NS_CLIENT" 2>"$BATS_FILE_TMPDIR/ns.err"; then
		NS_SKIP="ip netns add failed: $(<"$BATS_FILE_TMPDIR/ns.err")"
		return 0
	fi
	if ! {
		ip netns add "$NS_SERVER" &&
		    ip link add "ic$tag" netns "$NS_CLIENT" type veth \
		    peer name "is$tag" netns "$NS_SERVER" &&
		    ip -n "$NS_CLIENT" addr add "$NS_CLIENT_ADDR/24" dev "ic$tag" &&
		    ip -n "$NS_SERVER" addr add "$NS_SERVER_ADDR/24" dev "is$tag" &&
		    ip -n "$NS_CLIENT" link set lo up &&
		    ip -n "$NS_SERVER" link set lo up &&
		    ip -n "$NS_CLIENT" link set "ic$tag" up &&
		    ip -n "$NS_SERVER" link set "is$tag" up &&
		    ip netns exec "$NS_CLIENT" true
	} 2>"$BATS_FILE_TMPDIR/ns.err"; then
		NS_SKIP="cannot build the test network: $(<"$BATS_FILE_TMPDIR/ns.err")"
		ip netns del "$NS_SERVER" 2>/dev/null
		ip netns del "$NS_CLIENT" 2>/dev/null
		return 0
	fi
	# The fake's interpreter, run in the server's namespace.
	py=$(python3 -c 'import sys; print(sys.executable)')
	export NS_PY=$BATS_FILE_TMPDIR/ns-python
	printf '#!/bin/sh\nexec ip netns exec %q %q "$@"\n' "$NS_SERVER" "$py" \
	    >"$NS_PY"
	chmod +x "$NS_PY"
	# A certificate of the test CA for the server's address.
	export NS_CERTS=$BATS_FILE_TMPDIR/certs
	mkdir -p "$NS_CERTS"
	cp "$IMAPSH_TEST_CERTS/ca.pem" "$IMAPSH_TEST_CERTS/ca-key.pem" \
	    "$NS_CERTS/"
	_certs_leaf "$NS_CERTS" netserver ca \
	    "$(_certs_server_lines "$NS_SERVER_ADDR" "$NS_SERVER_ADDR" &&
	    _certs_validity)"
}

teardown_file()
{
	if [ -z "${NS_SKIP-}" ]; then
		# Deleting a namespace deletes its end of the veth pair, and
		# with it the other end.
		ip netns del "$NS_SERVER" 2>/dev/null
		ip netns del "$NS_CLIENT" 2>/dev/null
	fi
	return 0
}

setup()
{
	[ -n "${IMAPSH_TEST_CERTS-}" ] || {
		echo "IMAPSH_TEST_CERTS not set: run the tests with tests/run" >&2
		return 1
	}
	unset IMAPSH_PASSWORD NETRC
	RELAY_PID=
}

teardown()
{
	fake_stop || true
	if [ -n "${RELAY_PID-}" ]; then
		kill "$RELAY_PID" 2>/dev/null
		wait "$RELAY_PID" 2>/dev/null
	fi
	return 0
}

need_network()
{
	[ -z "$NS_SKIP" ] || skip "$NS_SKIP"
}

# net_fake SCENARIO [OPTION...]: start the fake in the server's namespace
# and the relay from NS_SERVER_ADDR:143 to it.
net_fake()
{
	local i ready=$BATS_TEST_TMPDIR/relay.ready

	FAKE_PYTHON=$NS_PY fake_start "$@" || return 1
	rm -f "$ready"
	ip netns exec "$NS_SERVER" "$SECURE_PY" -c '
import os, socket, sys, threading
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind((sys.argv[1], 143))
ls.listen(1)
open(sys.argv[3], "w").close()
ls.settimeout(15)
a, _ = ls.accept()
b = socket.create_connection(("127.0.0.1", int(sys.argv[2])))
def pipe(x, y):
    try:
        while True:
            d = x.recv(65536)
            if not d:
                break
            y.sendall(d)
        y.shutdown(socket.SHUT_WR)
    except OSError:
        pass
t = threading.Thread(target=pipe, args=(b, a))
t.start()
pipe(a, b)
t.join()' "$NS_SERVER_ADDR" "$FAKE_PORT" "$ready" </dev/null >/dev/null \
	    2>>"$BATS_TEST_TMPDIR/relay.log" 3>&- &
	RELAY_PID=$!
	for ((i = 0; i < 200; i++)); do
		[ -e "$ready" ] && return 0
		sleep 0.02
	done
	echo "net_fake: the relay did not start" >&2
	cat "$BATS_TEST_TMPDIR/relay.log" >&2
	return 1
}

# net_ish ARGS...: run_split imapsh ARGS in the client's namespace.
net_ish()
{
	local dir=$BATS_TEST_TMPDIR

	status=0
	ip netns exec "$NS_CLIENT" timeout -k 5 "$IMAPSH_TIMEOUT" "$IMAPSH" "$@" \
	    >"$dir/split.out" 2>"$dir/split.err" || status=$?
	OUT=$(<"$dir/split.out")
	ERR=$(<"$dir/split.err")
	output=$OUT${ERR:+$'\n'}$ERR
}

@test "cleartext: the test network reaches the fake, and it is not loopback" {
	need_network
	net_fake "$(scenario net-noop <<'EOF'
S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] fake-imapd ready
CAPS IMAP4rev1 AUTH=PLAIN
C: {TAG} NOOP
S: {TAG} OK NOOP completed.
EOF
)"
	net_ish -d 1 -c noop "$NS_SERVER_ADDR"
	assert_success
	assert_output_contains "connected to $NS_SERVER_ADDR port 143"
	assert_output_contains "('OK', [b'NOOP completed.'])"
	fake_wait
	# Nothing of it leaked into the suite's own network namespace.
	run ip -o addr show
	refute_output_contains "$NS_CLIENT_ADDR/24"
}

@test "cleartext: login, authenticate and tokens refused to another machine, nothing sent" {
	need_network
	local sc
	sc=$(scenario net-refused <<'EOF'
S: * OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=XOAUTH2] fake-imapd ready
CAPS IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=XOAUTH2
C: {TAG} NOOP
S: {TAG} OK NOOP completed.
EOF
)
	net_fake "$sc"
	IMAPSH_PASSWORD=secret net_ish --token tok123 \
	    -c "login user secret" -c login \
	    -c "authenticate PLAIN user secret" \
	    -c "authenticate SCRAM-SHA-256 user secret" \
	    -c "authenticate CRAM-MD5 user secret" \
	    -c "authenticate XOAUTH2 user" -c noop "user@$NS_SERVER_ADDR"
	assert_failure 1
	assert_equal "('OK', [b'NOOP completed.'])" "$OUT"
	assert_output_contains "refusing to send a password in cleartext to $NS_SERVER_ADDR port 143"
	# One refusal per line.
	assert_equal 6 "$(grep -c '^line [1-6]: error: refusing to send .* in cleartext' <<<"$ERR")"
	fake_wait
	refute_sent LOGIN AUTHENTICATE
	run client_lines
	refute_output_contains "secret"
	refute_output_contains "tok123"

	# -l the same.
	net_fake "$sc"
	IMAPSH_PASSWORD=secret net_ish -l "user@$NS_SERVER_ADDR"
	assert_failure 1
	assert_output_contains "refusing to send a password in cleartext"
	fake_stop || true
	refute_sent LOGIN AUTHENTICATE
}

@test "cleartext: GSSAPI is refused too: no security layer guards its session" {
	need_network
	net_fake "$(scenario net-gssapi <<'EOF'
S: * OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=GSSAPI] fake-imapd ready
CAPS IMAP4rev1 SASL-IR AUTH=GSSAPI
C: {TAG} NOOP
S: {TAG} OK NOOP completed.
EOF
)"
	net_ish -c "authenticate GSSAPI" -c noop "$NS_SERVER_ADDR"
	assert_failure 1
	assert_equal "('OK', [b'NOOP completed.'])" "$OUT"
	assert_output_contains "refusing to send credentials in cleartext to $NS_SERVER_ADDR port 143"
	fake_wait
	refute_sent AUTHENTICATE
}

@test "cleartext: login_cram_md5 is refused as authenticate CRAM-MD5 is" {
	need_network
	net_fake "$(scenario net-cram <<'EOF'
S: * OK [CAPABILITY IMAP4rev1 AUTH=CRAM-MD5] fake-imapd ready
CAPS IMAP4rev1 AUTH=CRAM-MD5
C: {TAG} NOOP
S: {TAG} OK NOOP completed.
EOF
)"
	net_ish -c "authenticate CRAM-MD5 user secret" \
	    -c "login_cram_md5 user secret" -c noop "$NS_SERVER_ADDR"
	assert_failure 1
	assert_equal "('OK', [b'NOOP completed.'])" "$OUT"
	assert_equal 2 "$(grep -c '^line [12]: error: refusing to send .* in cleartext' <<<"$ERR")"
	fake_wait
	refute_sent AUTHENTICATE
}

@test "cleartext: imap+notls:// is plain TCP: refused the same" {
	need_network
	net_fake "$(scenario net-notls <<'EOF'
S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] fake-imapd ready
CAPS IMAP4rev1 AUTH=PLAIN
C: {TAG} NOOP
S: {TAG} OK NOOP completed.
EOF
)"
	IMAPSH_PASSWORD=secret net_ish -c login -c noop \
	    "imap+notls://user@$NS_SERVER_ADDR"
	assert_failure 1
	assert_output_contains "refusing to send a password in cleartext"
	assert_output_contains "('OK', [b'NOOP completed.'])"
	fake_wait
	refute_sent LOGIN AUTHENTICATE
}

@test "cleartext: --allow-cleartext sends the password" {
	need_network
	net_fake "$(scenario net-login <<'EOF'
S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] fake-imapd ready
CAPS IMAP4rev1 AUTH=PLAIN
C: re:{TAG} LOGIN "?user"? "?secret"?
S: {TAG} OK Logged in
EOF
)"
	net_ish --allow-cleartext -c "login user secret" "$NS_SERVER_ADDR"
	assert_success
	assert_equal "('OK', [b'Logged in'])" "$OUT"
	fake_wait
	run client_lines
	assert_output_contains 'T LOGIN user "secret"'
}

@test "cleartext: after STARTTLS the password goes, the certificate checked for the address" {
	need_network
	net_fake starttls-ok --cert "$NS_CERTS/netserver.pem" \
	    --key "$NS_CERTS/netserver-key.pem"
	net_ish --cafile "$IMAPSH_TEST_CA" -c starttls -c "login user secret" \
	    "$NS_SERVER_ADDR"
	assert_success
	assert_equal "('OK', [None])
('OK', [b'[CAPABILITY IMAP4rev1 IDLE] Logged in'])" "$OUT"
	fake_wait
	# --starttls does it from the start.
	net_fake starttls-ok --cert "$NS_CERTS/netserver.pem" \
	    --key "$NS_CERTS/netserver-key.pem"
	IMAPSH_PASSWORD=secret net_ish --cafile "$IMAPSH_TEST_CA" \
	    --starttls -l "user@$NS_SERVER_ADDR"
	assert_success
	fake_wait
}

@test "cleartext: a child process and loopback are exempt" {
	# No network needed: the refusal is about the peer.
	fake_stdio "$(scenario stdio-login <<'EOF'
S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] fake-imapd ready
CAPS IMAP4rev1 AUTH=PLAIN
C: re:{TAG} LOGIN "?user"? "?secret"?
S: {TAG} OK Logged in
EOF
)"
	run_split -s "$FAKE_CMD" -c "login user secret"
	assert_success
	assert_equal "('OK', [b'Logged in'])" "$OUT"
	fake_wait
	fake_start "$BATS_TEST_TMPDIR/t3-stdio-login.txt"
	run_split -c "login user secret" 127.0.0.1 "$FAKE_PORT"
	assert_success
	fake_wait
}
