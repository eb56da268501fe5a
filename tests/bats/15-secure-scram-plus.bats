#!/usr/bin/env bats
# SCRAM channel binding (SCRAM-SHA-1-PLUS, SCRAM-SHA-256-PLUS) against
# tests/fake/scram-plus-server.py, a scripted server that checks the proof
# and the binding from its own end of the TLS session: tls-exporter on
# TLS 1.3, tls-server-end-point on TLS 1.2, the right binding accepted and
# the binding of another TLS session (a man in the middle that terminates
# TLS with a certificate the client trusts) refused.  The gs2 flags y and
# n, the choice of authenticate without a mechanism and of login under
# LOGINDISABLED, the trace, help.  Then the test Dovecot (2.3: it offers
# no -PLUS, and accepts the flag y), and CRAM-SHA1, CRAM-SHA256 and
# ANONYMOUS against the fake, and hostile mechanism names in help.

load helper
load ../fake/fake
load secure-helper

# pyOpenSSL is Debian's python3-openssl, for the system Python.
SCRAM_PLUS_PY=${SCRAM_PLUS_PY:-/usr/bin/python3}
SCRAM_PLUS_SERVER=$BATS_TEST_DIRNAME/../fake/scram-plus-server.py

setup()
{
	imapsh_setup || return 1
	unset IMAPSH_PASSWORD NETRC
	SP_PID=
}

teardown()
{
	fake_stop || true
	sp_stop
}

# sp_stop: stop the scram-plus server, if one runs.
sp_stop()
{
	if [ -n "${SP_PID-}" ]; then
		kill "$SP_PID" 2>/dev/null || true
		wait "$SP_PID" 2>/dev/null || true
		SP_PID=
	fi
	return 0
}

# sp_start TLS [OPTION...]: start the scram-plus server (TLS 1.2, 1.3 or
# none) for user alice, password "s3cret pw", with a man in the middle
# using nameonly.pem (signed by the test CA: a certificate the client
# trusts).  Sets SP_PORT, SP_MITM, SP_LOG, SP_PID.
sp_start()
{
	local tls=$1 i ports=
	shift
	SP_LOG=$BATS_TEST_TMPDIR/sp.log
	: >"$SP_LOG"
	# A second server of the test must not read the first one's ports.
	rm -f "$BATS_TEST_TMPDIR/sp.ports"
	"$SCRAM_PLUS_PY" "$SCRAM_PLUS_SERVER" --tls "$tls" \
	    --cert "$IMAPSH_TEST_CERTS/server.pem" \
	    --key "$IMAPSH_TEST_CERTS/server-key.pem" \
	    --mitm-cert "$IMAPSH_TEST_CERTS/nameonly.pem" \
	    --mitm-key "$IMAPSH_TEST_CERTS/nameonly-key.pem" \
	    --user alice --password "s3cret pw" --log "$SP_LOG" \
	    --parent $$ "$@" </dev/null >"$BATS_TEST_TMPDIR/sp.ports" \
	    2>"$BATS_TEST_TMPDIR/sp.err" 3>&- &
	SP_PID=$!
	for ((i = 0; i < 250; i++)); do
		[ -s "$BATS_TEST_TMPDIR/sp.ports" ] &&
		    read -r SP_PORT SP_MITM <"$BATS_TEST_TMPDIR/sp.ports" &&
		    [ -n "$SP_MITM" ] && return 0
		kill -0 "$SP_PID" 2>/dev/null || break
		sleep 0.02
	done
	echo "sp_start: scram-plus-server.py did not start:" >&2
	cat "$BATS_TEST_TMPDIR/sp.err" >&2
	return 1
}

# sp ARGS...: imapsh over implicit TLS to the server (PORT: SP_PORT).
sp()
{
	run_split --cafile "$IMAPSH_TEST_CA" --ssl "$@" localhost \
	    "${PORT:-$SP_PORT}"
}

# sp_log_is LINE...: the server logged exactly these AUTHENTICATE lines.
sp_log_is()
{
	local want got
	want=$(printf '%s\n' "$@")
	got=$(<"$SP_LOG")
	assert_equal "$want" "$got"
}

@test "scram-plus: TLS 1.3 binds with tls-exporter; authenticate picks SCRAM-SHA-256-PLUS" {
	sp_start 1.3
	sp -c "authenticate None alice 's3cret pw'" -c select
	assert_success
	assert_equal "('OK', [b'Logged in'])
('OK', [None])" "$OUT"
	sp -c "authenticate SCRAM-SHA-1-PLUS alice 's3cret pw'"
	assert_success
	sp_log_is \
	    "SCRAM-SHA-256-PLUS flag=p=tls-exporter binding=ok proof=ok result=OK" \
	    "SCRAM-SHA-1-PLUS flag=p=tls-exporter binding=ok proof=ok result=OK"
}

@test "scram-plus: TLS 1.2 binds with tls-server-end-point, never tls-unique" {
	sp_start 1.2
	sp -c "authenticate None alice 's3cret pw'"
	assert_success
	assert_equal "('OK', [b'Logged in'])" "$OUT"
	sp -c "authenticate SCRAM-SHA-1-PLUS alice 's3cret pw'"
	assert_success
	sp_log_is \
	    "SCRAM-SHA-256-PLUS flag=p=tls-server-end-point binding=ok proof=ok result=OK" \
	    "SCRAM-SHA-1-PLUS flag=p=tls-server-end-point binding=ok proof=ok result=OK"
}

@test "scram-plus: through a man in the middle (TLS 1.3) the binding is refused" {
	sp_start 1.3
	PORT=$SP_MITM sp -c "authenticate None alice 's3cret pw'"
	assert_failure 1
	assert_output_contains "channel-bindings-dont-match"
	assert_output_contains "AUTHENTICATIONFAILED"
	# Plain SCRAM through the same relay logs in: binding is what
	# catches it.
	PORT=$SP_MITM sp -c "authenticate SCRAM-SHA-256 alice 's3cret pw'"
	assert_success
	sp_log_is \
	    "SCRAM-SHA-256-PLUS flag=p=tls-exporter binding=mismatch proof=ok result=NO" \
	    "SCRAM-SHA-256 flag=n binding=none proof=ok result=OK"
}

@test "scram-plus: after STARTTLS (TLS 1.3, then 1.2) -PLUS binds; before it, it is refused unsent" {
	local v cb
	for v in 1.3 1.2; do
		cb=tls-exporter
		[ "$v" = 1.3 ] || cb=tls-server-end-point
		sp_start "$v" --starttls
		run_split --cafile "$IMAPSH_TEST_CA" --starttls \
		    -c "authenticate None alice 's3cret pw'" localhost "$SP_PORT"
		assert_success
		assert_equal "('OK', [b'Logged in'])" "$OUT"
		run_split -c "authenticate SCRAM-SHA-256-PLUS alice 's3cret pw'" \
		    localhost "$SP_PORT"
		assert_failure 1
		assert_output_contains "has none: run starttls first"
		sp_log_is \
		    "SCRAM-SHA-256-PLUS flag=p=$cb binding=ok proof=ok result=OK"
		sp_stop
	done
}

@test "scram-plus: a man in the middle with the server's own certificate (TLS 1.3) is refused" {
	sp_start 1.3 --mitm-cert "$IMAPSH_TEST_CERTS/server.pem" \
	    --mitm-key "$IMAPSH_TEST_CERTS/server-key.pem"
	PORT=$SP_MITM sp -c "authenticate SCRAM-SHA-1-PLUS alice 's3cret pw'"
	assert_failure 1
	assert_output_contains "channel-bindings-dont-match"
	sp_log_is \
	    "SCRAM-SHA-1-PLUS flag=p=tls-exporter binding=mismatch proof=ok result=NO"
}

@test "scram-plus: through a man in the middle (TLS 1.2) the binding is refused" {
	sp_start 1.2
	PORT=$SP_MITM sp -c "authenticate None alice 's3cret pw'"
	assert_failure 1
	assert_output_contains "channel-bindings-dont-match"
	sp_log_is \
	    "SCRAM-SHA-256-PLUS flag=p=tls-server-end-point binding=mismatch proof=ok result=NO"
}

@test "scram-plus: a wrong password with -PLUS fails on the proof, not the binding" {
	sp_start 1.3
	sp -c "authenticate SCRAM-SHA-256-PLUS alice wrong"
	assert_failure 1
	assert_output_contains "invalid-proof"
	sp_log_is \
	    "SCRAM-SHA-256-PLUS flag=p=tls-exporter binding=ok proof=bad result=NO"
}

@test "scram-plus: flag y over TLS when no -PLUS is offered; a server that binds catches the stripping" {
	sp_start 1.3 --offer "SCRAM-SHA-256 SCRAM-SHA-1"
	sp -c "authenticate None alice 's3cret pw'"
	assert_success
	sp_log_is "SCRAM-SHA-256 flag=y binding=none proof=ok result=OK"
	sp_stop
	# A server that supports binding but whose -PLUS were removed from
	# what the client saw: "y" tells it so, and it refuses.
	sp_start 1.2 --offer "SCRAM-SHA-256" --hidden-plus
	sp -c "authenticate None alice 's3cret pw'"
	assert_failure 1
	assert_output_contains "server-does-support-channel-binding"
	sp_log_is "SCRAM-SHA-256 flag=y binding=- proof=- result=NO"
}

@test "scram-plus: flag n without TLS, and for plain SCRAM chosen where -PLUS is offered" {
	sp_start none
	run_split -c "authenticate None alice 's3cret pw'" localhost "$SP_PORT"
	assert_success
	assert_equal "('OK', [b'Logged in'])" "$OUT"
	sp_stop
	sp_start 1.3
	sp -c "authenticate SCRAM-SHA-1 alice 's3cret pw'"
	assert_success
	sp_log_is "SCRAM-SHA-1 flag=n binding=none proof=ok result=OK"
}

@test "scram-plus: -PLUS without TLS is a clear error and nothing is sent" {
	sp_start none
	run_split -c "authenticate SCRAM-SHA-256-PLUS alice 's3cret pw'" \
	    localhost "$SP_PORT"
	assert_failure 1
	assert_equal "line 1: error: authenticate: SCRAM-SHA-256-PLUS binds the login to TLS, and this connection has none: run starttls first or connect with imaps://" "$ERR"
	sp_log_is ""
}

@test "scram-plus: login under LOGINDISABLED takes SCRAM-SHA-256-PLUS" {
	sp_start 1.3 --logindisabled
	sp -c "login alice 's3cret pw'" -c select
	assert_success
	assert_equal "('OK', [b'Logged in'])
('OK', [None])" "$OUT"
	sp_log_is \
	    "SCRAM-SHA-256-PLUS flag=p=tls-exporter binding=ok proof=ok result=OK"
}

@test "scram-plus: -d 4 redacts every SCRAM message, the binding included" {
	sp_start 1.3
	sp -d 4 -c "authenticate SCRAM-SHA-256-PLUS alice 's3cret pw'"
	assert_success
	assert_output_matches "> b'[A-Z]{4}[0-9]+ AUTHENTICATE SCRAM-SHA-256-PLUS <redacted>'"
	# base64 of "p=tls-exporter,,n=alice": the client-first message.
	refute_output_contains "cD10bHMtZXhwb3J0ZXIsLG49YWxpY2"
	refute_output_contains "s3cret"
}

@test "scram-plus: help authenticate lists this build's mechanisms and the server's" {
	local m build
	sp_start 1.2
	sp -c "help authenticate"
	assert_success
	# This build's list (wrapped), then what the server offers.
	build=$(sed -n '/^  mechanisms of this imapsh:/,/^  the server/p' \
	    <<<"$OUT" | sed '$d' | tr -s ' \n' '  ')
	for m in PLAIN LOGIN CRAM-MD5 CRAM-SHA1 CRAM-SHA256 SCRAM-SHA-1 \
	    SCRAM-SHA-256 SCRAM-SHA-1-PLUS SCRAM-SHA-256-PLUS ANONYMOUS \
	    XOAUTH2 OAUTHBEARER EXTERNAL; do
		[[ " $build " == *" $m "* ]] ||
		    _imapsh_fail "help's build list lacks $m" output "$OUT"
	done
	assert_output_contains "
  the server offers: SCRAM-SHA-256-PLUS SCRAM-SHA-1-PLUS SCRAM-SHA-256
    SCRAM-SHA-1
  with no mechanism named: SCRAM-SHA-256-PLUS"
	run_split -n -c "help authenticate"
	assert_success
	assert_output_contains "  mechanisms of this imapsh: PLAIN"
	refute_output_contains "the server offers:"
}

@test "scram-plus: Dovecot 2.3 offers no -PLUS; over TLS authenticate takes SCRAM-SHA-256 with flag y" {
	run_split --cafile "$IMAPSH_TEST_CA" -c capability --ssl \
	    "$USER_NAME@localhost" "$IMAPSH_TEST_TLS_PORT"
	refute_output_contains "PLUS"
	run_split --cafile "$IMAPSH_TEST_CA" \
	    -c "authenticate None None $USER_PASS" -c select \
	    --ssl "$USER_NAME@localhost" "$IMAPSH_TEST_TLS_PORT"
	assert_success
	assert_equal "('OK', [b'Logged in'])
('OK', [b'0'])" "$OUT"
	local line
	line=$(dovecot_login_line)
	[[ $line == *", method=SCRAM-SHA-256,"* ]] ||
	    _imapsh_fail "Dovecot's login line" line "$line"
	# Naming -PLUS anyway: Dovecot says no, imapsh does not step down.
	run_split --cafile "$IMAPSH_TEST_CA" \
	    -c "authenticate SCRAM-SHA-256-PLUS None $USER_PASS" \
	    --ssl "$USER_NAME@localhost" "$IMAPSH_TEST_TLS_PORT"
	assert_failure 1
	assert_output_contains "Unsupported authentication mechanism"
	# One login in Dovecot's log: the -PLUS attempt did not become one.
	assert_equal 1 "$(grep -cF "Login: user=<$USER_NAME>," \
	    "$IMAPSH_TEST_DIR/dovecot.log")"
}

@test "cram-sha: CRAM-SHA1 and CRAM-SHA256 answer RFC 2195's challenge with their HMAC" {
	local m
	for m in cram-sha1 cram-sha256; do
		fake_start "$m"
		run_split -c "authenticate ${m^^} tim tanstaaftanstaaf" \
		    localhost "$FAKE_PORT"
		assert_success
		assert_equal "('OK', [b'Logged in'])" "$OUT"
		fake_wait
	done
}

@test "anonymous: the trace as initial response, no password asked" {
	fake_start anonymous
	run_split -c "authenticate ANONYMOUS sirhc" localhost "$FAKE_PORT" \
	    </dev/null
	assert_success
	assert_equal "('OK', [b'Logged in anonymously'])" "$OUT"
	fake_wait
}

@test "digest-md5: refused with the reason" {
	run_split -c "authenticate DIGEST-MD5 alice pw" localhost \
	    "$IMAPSH_TEST_PORT"
	assert_failure 1
	assert_output_contains "DIGEST-MD5 is obsolete (RFC 6331)"
}

@test "help authenticate: the server's mechanism names reach the terminal escaped" {
	fake_start h-auth-escapes
	run_split -c "help authenticate" localhost "$FAKE_PORT"
	assert_success
	fake_wait
	[[ $OUT != *$'\e'* && $OUT != *$'\a'* && $OUT != *$'\x9b'* ]] ||
	    _imapsh_fail "a control byte reached the output" output "$OUT"
	# The name with control bytes is not an atom: not kept at all.
	assert_output_contains "
  the server offers: SCRAM-SHA-256
"
}
