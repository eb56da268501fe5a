#!/usr/bin/env bats
# SASL and credential sources: every mechanism of authenticate (and
# login_cram_md5) against the test Dovecot, --no-sasl-ir, wrong passwords,
# and against the fake server the exchanges Dovecot cannot play: a
# garbage challenge, XOAUTH2 and OAUTHBEARER with their error JSON and
# the three token sources, SCRAM with a wrong or missing server
# signature, EXTERNAL with a client certificate.  Then where a password
# comes from: --password-file, IMAPSH_PASSWORD, --netrc, and nowhere.

load helper
load ../fake/fake
load secure-helper

MECHS="PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256"

setup()
{
	imapsh_setup || return 1
	unset IMAPSH_PASSWORD NETRC
}

teardown()
{
	fake_stop || true
}

# dc ARGS...: run_split imapsh ARGS against the plain port of Dovecot.
dc()
{
	run_split "$@" localhost "$IMAPSH_TEST_PORT"
}

# dovecot_methods: the SASL methods of the test user's logins, in order.
dovecot_methods()
{
	grep -F "Login: user=<$USER_NAME>," "$IMAPSH_TEST_DIR/dovecot.log" |
	    sed -n 's/.*, method=\([A-Z0-9-]*\),.*/\1/p' | tr '\n' ' '
}

# fake_ish ARGS...: run_split imapsh ARGS against the fake.
fake_ish()
{
	run_split --cafile "$IMAPSH_TEST_CA" "$@" localhost "$FAKE_PORT"
}

@test "sasl: every mechanism logs in to Dovecot, and select works after it" {
	local m
	for m in $MECHS; do
		dc -c "authenticate $m $USER_NAME $USER_PASS" -c select
		assert_success
		assert_equal "('OK', [b'Logged in'])
('OK', [b'0'])" "$OUT"
	done
	dc -c "login_cram_md5 $USER_NAME $USER_PASS" -c select
	assert_success
	assert_equal "('OK', [b'Logged in'])
('OK', [b'0'])" "$OUT"
	# Dovecot says which mechanism each login used.
	local i got
	for ((i = 0; i < 50; i++)); do
		got=$(dovecot_methods)
		[ "$got" = "$MECHS CRAM-MD5 " ] && break
		sleep 0.05
	done
	assert_equal "$MECHS CRAM-MD5 " "$got"
}

@test "sasl: every mechanism over TLS (--ssl), the user of user@host" {
	local m
	for m in $MECHS; do
		run_split --cafile "$IMAPSH_TEST_CA" \
		    -c "authenticate $m None $USER_PASS" -c select \
		    --ssl "$USER_NAME@localhost" "$IMAPSH_TEST_TLS_PORT"
		assert_success
		assert_equal "('OK', [b'Logged in'])
('OK', [b'0'])" "$OUT"
	done
}

@test "sasl: --no-sasl-ir sends no initial response on the AUTHENTICATE line" {
	local m
	for m in PLAIN SCRAM-SHA-1 SCRAM-SHA-256; do
		dc -d 4 -c "authenticate $m $USER_NAME $USER_PASS"
		assert_success
		[[ $ERR =~ "> b'"[A-Z]+"1 AUTHENTICATE $m <redacted>'" ]] ||
		    _imapsh_fail "$m: no initial response with SASL-IR" \
		    err "$ERR"
		dc -d 4 --no-sasl-ir -c "authenticate $m $USER_NAME $USER_PASS"
		assert_success
		assert_equal "('OK', [b'Logged in'])" "$OUT"
		[[ $ERR =~ "> b'"[A-Z]+"1 AUTHENTICATE $m'" ]] ||
		    _imapsh_fail "$m: an initial response with --no-sasl-ir" \
		    err "$ERR"
		[[ $ERR == *"< b'+ '"*"> b'<redacted>'"* ]] ||
		    _imapsh_fail "$m: no empty challenge answered" err "$ERR"
	done
	# On the wire (the fake): the bare command, then the response.
	fake_start scram-sha256-ok
	fake_ish --no-sasl-ir -c "authenticate SCRAM-SHA-256 user pencil"
	assert_success
	fake_wait
	run client_lines
	assert_line 1 "T AUTHENTICATE SCRAM-SHA-256"
	[[ ${lines[2]} =~ ^[A-Za-z0-9+/]+=*$ ]] ||
	    _imapsh_fail "no client-first message" transcript "$output"
}

@test "sasl: a wrong password with every mechanism: an error and exit status 1" {
	local m n=0 pids=() dir=$BATS_TEST_TMPDIR
	# Dovecot answers a failure after half a second: all at once.
	for m in $MECHS login_cram_md5 login; do
		n=$((n + 1))
		case $m in
		login*) line="$m $USER_NAME Wr0ng-$RANDOM" ;;
		*) line="authenticate $m $USER_NAME Wr0ng-$RANDOM" ;;
		esac
		echo "$line" >"$dir/wrong.$n.line"
		imapsh_run -c "$line" localhost "$IMAPSH_TEST_PORT" \
		    >"$dir/wrong.$n.out" 2>"$dir/wrong.$n.err" &
		pids+=($!)
	done
	for ((n = 1; n <= ${#pids[@]}; n++)); do
		status=0
		wait "${pids[n - 1]}" || status=$?
		line=$(<"$dir/wrong.$n.line")
		[ "$status" -eq 1 ] ||
		    _imapsh_fail "wrong exit status" line "$line" \
		    status "$status" err "$(<"$dir/wrong.$n.err")"
		[ ! -s "$dir/wrong.$n.out" ] ||
		    _imapsh_fail "a result on stdout" line "$line" \
		    out "$(<"$dir/wrong.$n.out")"
		grep -q '^line 1: error: .*AUTHENTICATIONFAILED' "$dir/wrong.$n.err" ||
		    _imapsh_fail "no error" line "$line" \
		    err "$(<"$dir/wrong.$n.err")"
		assert_no_secret "${line##* }" "$dir/wrong.$n.err"
	done
}

@test "sasl: a challenge that is not base64 is answered with '*'; the command fails" {
	fake_start sasl-garbage-challenge
	fake_ish -c "login_cram_md5 user secret"
	assert_failure 1
	assert_output_contains "error: "
	refute_output_contains "Logged in"
	fake_wait
	run client_lines
	assert_output "T CAPABILITY
T AUTHENTICATE CRAM-MD5
*
T LOGOUT"
}

@test "sasl: a challenge that is not base64: the error says so" {
	fake_start sasl-garbage-challenge
	fake_ish -c "login_cram_md5 user secret"
	assert_failure 1
	assert_output_contains "not base64"
	fake_wait
}

@test "sasl: XOAUTH2 with --token, --token-file and --token-command" {
	local sc tok=tok-$RANDOM$RANDOM
	sc=$(scenario xoauth2-ok <<EOF
S: * OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2] fake-imapd ready
CAPS IMAP4rev1 SASL-IR AUTH=XOAUTH2
C: {TAG} AUTHENTICATE XOAUTH2 {B64:user=user@example.org\x01auth=Bearer $tok\x01\x01}
S: {TAG} OK [CAPABILITY IMAP4rev1 IDLE] Logged in
EOF
)
	printf '%s\nnot-this-line\n' "$tok" >"$BATS_TEST_TMPDIR/token"
	fake_start "$sc"
	fake_ish --token "$tok" -c "authenticate XOAUTH2 user@example.org"
	assert_success
	assert_equal "('OK', [b'[CAPABILITY IMAP4rev1 IDLE] Logged in'])" "$OUT"
	fake_wait
	fake_start "$sc"
	fake_ish --token-file "$BATS_TEST_TMPDIR/token" \
	    -c "authenticate XOAUTH2 user@example.org"
	assert_success
	fake_wait
	fake_start "$sc"
	fake_ish --token-command "printf '%s\\n' $tok" \
	    -c "authenticate XOAUTH2 user@example.org"
	assert_success
	fake_wait
}

@test "sasl: OAUTHBEARER with --token, --token-file and --token-command" {
	echo token123 >"$BATS_TEST_TMPDIR/token"
	fake_start oauthbearer-ok
	fake_ish --token token123 -c "authenticate OAUTHBEARER user@example.org"
	assert_success
	assert_equal "('OK', [b'[CAPABILITY IMAP4rev1 IDLE] Logged in'])" "$OUT"
	fake_wait
	fake_start oauthbearer-ok
	fake_ish --token-file "$BATS_TEST_TMPDIR/token" \
	    -c "authenticate OAUTHBEARER user@example.org"
	assert_success
	fake_wait
	fake_start oauthbearer-ok
	fake_ish --token-command "cat '$BATS_TEST_TMPDIR/token'" \
	    -c "authenticate OAUTHBEARER user@example.org"
	assert_success
	fake_wait
}

@test "sasl: the OAuth error JSON shows in the error (XOAUTH2, OAUTHBEARER)" {
	fake_start xoauth2-error
	fake_ish --token token123 -c "authenticate XOAUTH2 user@example.org"
	assert_failure 1
	assert_output_contains "error: [AUTHENTICATIONFAILED] Invalid credentials (Failure)"
	assert_output_contains '"status":"401"'
	assert_output_contains '"scope":"https://mail.google.com/"'
	fake_wait
	# The empty response to the error challenge.
	run client_lines
	assert_output_matches $'\nT AUTHENTICATE XOAUTH2 [A-Za-z0-9+/]+=*\n\nT LOGOUT$'

	fake_start oauthbearer-error
	fake_ish --token token123 -c "authenticate OAUTHBEARER user@example.org"
	assert_failure 1
	assert_output_contains "error: [AUTHENTICATIONFAILED] Authentication failed"
	assert_output_contains '"status":"invalid_token"'
	fake_wait
	run client_lines
	assert_output_contains $'\nAQ==\n'
}

@test "sasl: a token source that fails: a clear error, nothing sent" {
	fake_start "$(scenario oauth-nothing <<'EOF'
S: * OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2 AUTH=OAUTHBEARER] fake-imapd ready
CAPS IMAP4rev1 SASL-IR AUTH=XOAUTH2 AUTH=OAUTHBEARER
C: {TAG} NOOP
S: {TAG} OK NOOP completed.
EOF
)"
	fake_ish --token-command "exit 7" \
	    -c "authenticate XOAUTH2 user@example.org" -c noop
	assert_failure 1
	assert_output_contains "error: token command"
	assert_output_contains "('OK', [b'NOOP completed.'])"
	fake_wait
	refute_sent AUTHENTICATE

	fake_start "$(scenario oauth-nothing2 <<'EOF'
S: * OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2 AUTH=OAUTHBEARER] fake-imapd ready
CAPS IMAP4rev1 SASL-IR AUTH=XOAUTH2 AUTH=OAUTHBEARER
C: {TAG} NOOP
S: {TAG} OK NOOP completed.
EOF
)"
	fake_ish --token-file "$BATS_TEST_TMPDIR/no-such-token" \
	    -c "authenticate OAUTHBEARER user@example.org" -c noop
	assert_failure 1
	assert_output_contains "$BATS_TEST_TMPDIR/no-such-token"
	fake_wait
	refute_sent AUTHENTICATE
}

@test "sasl: SCRAM-SHA-256 against the fake: a good server signature is accepted" {
	fake_start scram-sha256-ok
	fake_ish -c "authenticate SCRAM-SHA-256 user pencil"
	assert_success
	fake_wait
}

@test "sasl: SCRAM-SHA-256 with a wrong server signature: abort despite the OK, exit 3" {
	fake_start scram-sha256-bad-signature
	fake_ish -c "authenticate SCRAM-SHA-256 user pencil" -c noop
	assert_failure 3
	assert_output_contains "abort: authentication not verified"
	refute_output_contains "Logged in"
	refute_output_contains "NOOP"
	fake_wait
	refute_sent NOOP
	run client_lines
	assert_line -1 "*"

	fake_start scram-sha256-no-signature
	fake_ish -c "authenticate SCRAM-SHA-256 user pencil" -c noop
	assert_failure 3
	assert_output_contains "abort: authentication not verified"
	assert_output_contains "signature"
	fake_wait
	refute_sent NOOP
}

@test "sasl: SCRAM-SHA-256 with a wrong server signature: the error names the signature" {
	fake_start scram-sha256-bad-signature
	fake_ish -c "authenticate SCRAM-SHA-256 user pencil"
	assert_failure 3
	assert_output_contains "signature"
	fake_wait
}

@test "sasl: EXTERNAL with a client certificate (the fake, implicit TLS)" {
	fake_start external-client-cert --tls --client-ca "$IMAPSH_TEST_CA"
	fake_ish --ssl --certfile "$IMAPSH_TEST_CERTS/client.pem" \
	    --keyfile "$IMAPSH_TEST_CERTS/client-key.pem" \
	    -c "authenticate EXTERNAL"
	assert_success
	assert_equal "('OK', [b'[CAPABILITY IMAP4rev1 IDLE] Logged in'])" "$OUT"
	fake_wait
	assert_file_contains "$FAKE_LOG" "client certificate: extuser"

	# Without SASL-IR: the empty response comes after the "+".
	fake_start external-no-sasl-ir
	fake_ish -c "authenticate EXTERNAL"
	assert_success
	fake_wait
	run client_lines
	assert_line 1 "T AUTHENTICATE EXTERNAL"
}

@test "sasl: EXTERNAL with a client certificate logs in to Dovecot (--ssl, --starttls)" {
	local cert
	cert=$(certs_client "$IMAPSH_TEST_CERTS" "$USER_NAME")
	deliver 1
	run_split --cafile "$IMAPSH_TEST_CA" --certfile "$cert" \
	    --keyfile "${cert%.pem}-key.pem" -c "authenticate EXTERNAL" \
	    -c select --ssl localhost "$IMAPSH_TEST_TLS_PORT"
	assert_success
	assert_equal "('OK', [b'Logged in'])
('OK', [b'1'])" "$OUT"
	run_split --cafile "$IMAPSH_TEST_CA" --certfile "$cert" \
	    --keyfile "${cert%.pem}-key.pem" -c "authenticate EXTERNAL" \
	    -c select --starttls localhost "$IMAPSH_TEST_STARTTLS_PORT"
	assert_success
	assert_equal "('OK', [b'Logged in'])
('OK', [b'1'])" "$OUT"
	run dovecot_login_line
	assert_output_contains "method=EXTERNAL"
	# No certificate: refused.
	run_split --cafile "$IMAPSH_TEST_CA" -c "authenticate EXTERNAL" \
	    --ssl localhost "$IMAPSH_TEST_TLS_PORT"
	assert_failure 1
	assert_output_contains "error: "
}

@test "credentials: --password-file gives its first line" {
	printf '%s\nnot-the-password\n' "$USER_PASS" >"$BATS_TEST_TMPDIR/pw"
	chmod 600 "$BATS_TEST_TMPDIR/pw"
	dc --password-file "$BATS_TEST_TMPDIR/pw" -c "login $USER_NAME" \
	    -c logout
	assert_success
	assert_equal "('OK', [b'Logged in'])
('BYE', [b'Logging out'])" "$OUT"
	dc --password-file "$BATS_TEST_TMPDIR/pw" \
	    -c "authenticate SCRAM-SHA-256 $USER_NAME"
	assert_success
	# The second line is not the password.
	printf 'wrong-first\n%s\n' "$USER_PASS" >"$BATS_TEST_TMPDIR/pw2"
	dc --password-file "$BATS_TEST_TMPDIR/pw2" -c "login $USER_NAME"
	assert_failure 1
	# A missing file: a clear error, exit 1.
	dc --password-file "$BATS_TEST_TMPDIR/nope" -c "login $USER_NAME"
	assert_failure 1
	assert_output_contains "$BATS_TEST_TMPDIR/nope: No such file or directory"
}

@test "credentials: IMAPSH_PASSWORD, for login, authenticate and -l" {
	IMAPSH_PASSWORD=$USER_PASS dc -c "login $USER_NAME"
	assert_success
	assert_equal "('OK', [b'Logged in'])" "$OUT"
	IMAPSH_PASSWORD=$USER_PASS run_split -c "authenticate SCRAM-SHA-1" \
	    "$USER_NAME@localhost" "$IMAPSH_TEST_PORT"
	assert_success
	IMAPSH_PASSWORD=$USER_PASS run_split -l -c select \
	    "$USER_NAME@localhost" "$IMAPSH_TEST_PORT"
	assert_success
	assert_equal "('OK', [b'Logged in'])
('OK', [b'0'])" "$OUT"
}

@test "credentials: --netrc with NETRC: the password, and the user when none is given" {
	local netrc=$BATS_TEST_TMPDIR/netrc
	printf 'machine other.example login nobody password nothing\n' >"$netrc"
	printf 'machine localhost\n  login %s\n  password %s\n' \
	    "$USER_NAME" "$USER_PASS" >>"$netrc"
	printf 'default login someone password else\n' >>"$netrc"
	chmod 600 "$netrc"
	NETRC=$netrc dc --netrc -c login -c select
	assert_success
	assert_equal "('OK', [b'Logged in'])
('OK', [b'0'])" "$OUT"
	NETRC=$netrc dc --netrc -c "login $USER_NAME"
	assert_success
	NETRC=$netrc dc --netrc -c "authenticate SCRAM-SHA-256"
	assert_success
	# Without --netrc the file is not read (setsid: no terminal to ask).
	status=0
	NETRC=$netrc setsid -w timeout 10 "$IMAPSH" -c "login $USER_NAME" \
	    localhost "$IMAPSH_TEST_PORT" </dev/null >/dev/null \
	    2>"$BATS_TEST_TMPDIR/err" || status=$?
	assert_failure 1
	assert_file_contains "$BATS_TEST_TMPDIR/err" "error: no password"
	# Another host's entry is not used.
	NETRC=$netrc run_split --netrc -c login 127.0.0.1 "$IMAPSH_TEST_PORT"
	assert_failure 1
	refute_output_contains "Logged in"
}

@test "credentials: login with no password anywhere and no terminal: a clear error, exit 1" {
	local rc=0
	# setsid: no controlling terminal, even when the suite runs in one.
	setsid -w timeout 10 "$IMAPSH" -c "login $USER_NAME" -c noop \
	    localhost "$IMAPSH_TEST_PORT" </dev/null >"$BATS_TEST_TMPDIR/out" \
	    2>"$BATS_TEST_TMPDIR/err" || rc=$?
	assert_equal 1 "$rc"
	run cat "$BATS_TEST_TMPDIR/err"
	assert_output_contains "error: no password for $USER_NAME"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_output "('OK', [b'NOOP completed.'])"
	# The same for authenticate.
	rc=0
	setsid -w timeout 10 "$IMAPSH" -c "authenticate PLAIN $USER_NAME" \
	    localhost "$IMAPSH_TEST_PORT" </dev/null >/dev/null \
	    2>"$BATS_TEST_TMPDIR/err" || rc=$?
	assert_equal 1 "$rc"
	assert_file_contains "$BATS_TEST_TMPDIR/err" "error: no password"
}
