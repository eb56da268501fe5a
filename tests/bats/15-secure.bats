#!/usr/bin/env bats
# Secure transports against the test Dovecot: every way to connect (TCP
# with the starttls command, --starttls and imap://, --ssl and imaps://,
# a child process, and STARTTLS or TLS over a child process), the tls
# command, and certificate verification: each bad certificate refused
# with its own reason and exit status 3, --insecure, --cafile.
#
# The test CA is not in the system trust store, so every connection that
# should succeed gives --cafile "$IMAPSH_TEST_CA".

load helper
load ../fake/fake
load secure-helper

# caps_of OUTPUT: the capability words in a ('OK', [b'...']) result.
caps_of()
{
	sed -n "s/^.*\[b'\(IMAP4rev1 [^']*\)'\].*$/\1/p" <<<"$1" | tr -s ' \n' '  '
}

@test "secure: starttls on TCP: ('OK', [None]), then new capabilities, then login" {
	run_split --cafile "$IMAPSH_TEST_CA" -c capability -c starttls \
	    -c capability -c "login $USER_NAME $USER_PASS" -c select \
	    localhost "$IMAPSH_TEST_STARTTLS_PORT"
	assert_success
	assert_equal "" "$ERR"
	# capability, starttls, capability, login, select: one result each.
	mapfile -t res < <(printf '%s\n' "$OUT" | grep "^('")
	assert_equal 5 "${#res[@]}"
	assert_equal "('OK', [None])" "${res[1]}"
	before=$(caps_of "$(printf '%s\n' "$OUT" | sed -n '1,/^(.OK., \[None\])$/p')")
	after=$(caps_of "$(printf '%s\n' "$OUT" | sed '1,/^(.OK., \[None\])$/d')")
	[[ " $before " == *" STARTTLS "* ]] ||
	    _imapsh_fail "no STARTTLS before TLS" before "$before"
	[[ " $after " != *" STARTTLS "* ]] ||
	    _imapsh_fail "STARTTLS still offered over TLS" after "$after"
	[[ " $after " == *" AUTH=PLAIN "* && " $after " == *" AUTH=SCRAM-SHA-256 "* ]] ||
	    _imapsh_fail "no AUTH= mechanisms over TLS" after "$after"
	[ "$before" != "$after" ] ||
	    _imapsh_fail "the capabilities did not change" caps "$after"
	assert_equal "('OK', [b'0'])" "${res[4]}"
	# Dovecot saw the login over TLS.
	run dovecot_login_line
	assert_output_contains ", TLS,"
}

@test "secure: --starttls and imap:// start TLS before anything else" {
	local how
	for how in --starttls imap; do
		if [ "$how" = imap ]; then
			run_split --cafile "$IMAPSH_TEST_CA" -d 1 -c tls \
			    -c "login $USER_NAME $USER_PASS" -c select \
			    "imap://localhost:$IMAPSH_TEST_STARTTLS_PORT"
		else
			run_split --starttls --cafile "$IMAPSH_TEST_CA" -d 1 \
			    -c tls -c "login $USER_NAME $USER_PASS" -c select \
			    localhost "$IMAPSH_TEST_STARTTLS_PORT"
		fi
		assert_success
		[[ $OUT == "protocol: TLS1."[23]$'\n'* ]] ||
		    _imapsh_fail "$how: not TLS from the start" out "$OUT"
		[[ $ERR == *"TLS established with localhost"* ]] ||
		    _imapsh_fail "$how: no TLS in the trace" err "$ERR"
		[[ $OUT == *"('OK', [b'0'])" ]] ||
		    _imapsh_fail "$how: select failed" out "$OUT"
	done
	# The trace says TLS came before the login: STARTTLS, not LOGIN, was
	# the first command after the capabilities.
	run_split --starttls --cafile "$IMAPSH_TEST_CA" -d 4 \
	    -c "login $USER_NAME $USER_PASS" \
	    localhost "$IMAPSH_TEST_STARTTLS_PORT"
	assert_success
	output=$(grep -oE "> b'[A-Z]+[0-9]+ [A-Z]+" <<<"$ERR" |
	    awk '{ print $3 }' | tr '\n' ' ')
	assert_output "CAPABILITY STARTTLS CAPABILITY LOGIN LOGOUT "
}

@test "secure: implicit TLS with --ssl and with imaps://" {
	run_split --ssl --cafile "$IMAPSH_TEST_CA" -c tls \
	    -c "login $USER_NAME $USER_PASS" -c select \
	    localhost "$IMAPSH_TEST_TLS_PORT"
	assert_success
	[[ $OUT == "protocol: TLS1."[23]$'\n'* ]] ||
	    _imapsh_fail "not TLS" out "$OUT"
	[[ $OUT == *"('OK', [b'0'])" ]] || _imapsh_fail "select" out "$OUT"

	# --ssl on the port that speaks cleartext IMAP: a clear failure.
	run_split --cafile "$IMAPSH_TEST_CA" -c noop \
	    --ssl localhost "$IMAPSH_TEST_PORT"
	assert_failure 3
	assert_output_contains "TLS"

	# imaps://: the user of the URL, the password from the environment.
	IMAPSH_PASSWORD=$USER_PASS run_split --cafile "$IMAPSH_TEST_CA" \
	    -c tls -c login -c select \
	    "imaps://$USER_NAME@localhost:$IMAPSH_TEST_TLS_PORT"
	assert_success
	[[ $OUT == "protocol: TLS1."[23]$'\n'* ]] ||
	    _imapsh_fail "not TLS" out "$OUT"
	[[ $OUT == *"('OK', [b'0'])" ]] || _imapsh_fail "select" out "$OUT"
}

@test "secure: a child process: PREAUTH, select, logout" {
	deliver 2
	run_split -s "$(stream_cmd)" -c select -c tls -c logout
	assert_success
	assert_line 0 "('OK', [b'2'])"
	[[ ${lines[1]} == "not encrypted: command "* ]] ||
	    _imapsh_fail "tls over a plain child" output "$output"
	assert_line 2 "('BYE', [b'Logging out'])"
	# --starttls does not apply to a PREAUTH child process: it is fine.
	run_split -s "$(stream_cmd)" --starttls -c select
	assert_success
	assert_output "('OK', [b'2'])"
}

@test "secure: STARTTLS over a child process, verified for the host given" {
	local relay
	relay=$(relay_cmd "$IMAPSH_TEST_STARTTLS_PORT")
	run_split -s "$relay" --starttls --cafile "$IMAPSH_TEST_CA" -d 1 \
	    -c tls -c "login $USER_NAME $USER_PASS" -c select localhost
	assert_success
	[[ $OUT == "protocol: TLS1."[23]$'\n'* ]] ||
	    _imapsh_fail "not TLS" out "$OUT"
	assert_output_contains "subject: CN=localhost"
	[[ $OUT == *"('OK', [b'0'])" ]] || _imapsh_fail "select" out "$OUT"
	[[ $ERR == *"TLS established with localhost"* ]] ||
	    _imapsh_fail "no TLS in the trace" err "$ERR"

	# Without a host, the name checked is localhost: fine too.
	run_split -s "$relay" --starttls --cafile "$IMAPSH_TEST_CA" -c tls
	assert_success
	assert_output_contains "subject: CN=localhost"

	# The starttls command over a child process.
	run_split -s "$relay" --cafile "$IMAPSH_TEST_CA" -c starttls -c tls \
	    127.0.0.1
	assert_success
	assert_line 0 "('OK', [None])"
	assert_output_contains "subject: CN=localhost"

	# The certificate is checked for the name given: another fails.
	run_split -s "$relay" --starttls --cafile "$IMAPSH_TEST_CA" \
	    -c "login $USER_NAME $USER_PASS" wrong.example
	assert_failure 3
	assert_output_contains "name mismatch"
	refute_output_contains "Logged in"

	# And so is the CA: without --cafile the test CA is unknown.
	run_split -s "$relay" --starttls -c noop localhost
	assert_failure 3
	assert_output_contains "unknown issuer"
}

@test "secure: implicit TLS over a child process (-s with --ssl)" {
	run_split -s "$(relay_cmd "$IMAPSH_TEST_TLS_PORT")" --ssl \
	    --cafile "$IMAPSH_TEST_CA" -c "login $USER_NAME $USER_PASS" \
	    -c tls localhost
	assert_success
	assert_line 0 "('OK', [b'Logged in'])"
	assert_output_contains "subject: CN=localhost"
	# The IP address check applies over a child process too.
	run_split -s "$(relay_cmd "$IMAPSH_TEST_TLS_NAMEONLY_PORT")" --ssl \
	    --cafile "$IMAPSH_TEST_CA" -c noop 127.0.0.1
	assert_failure 3
	assert_output_contains "IP address 127.0.0.1"
}

@test "secure: tls shows the protocol, the session and the certificate chain" {
	run_split --cafile "$IMAPSH_TEST_CA" -c tls \
	    --ssl localhost "$IMAPSH_TEST_TLS_PORT"
	assert_success
	assert_output_matches $'^protocol: TLS1\\.[23]\nsession: \\(TLS1\\.[23]\\)-'
	assert_output_contains $'certificate 0:\n  subject: CN=localhost,O=imapsh tests\n  issuer: CN=imapsh test CA,O=imapsh tests\n'
	assert_output_contains "valid from: 2000-01-01 00:00:00 UTC"
	# The fingerprint of certificate 0 is server.pem's, as certtool says.
	local got want
	got=$(printf '%s\n' "$OUT" | sed -n '/^certificate 0:/,/^certificate 1:/s/^  sha256: //p' |
	    tr -d ':' | tr 'A-F' 'a-f')
	want=$(certtool -i --infile "$IMAPSH_TEST_CERTS/server.pem" |
	    sed -n 's/^[[:space:]]*sha256:\([0-9a-fA-F]*\)$/\1/p' | head -n 1 |
	    tr 'A-F' 'a-f')
	[[ $want =~ ^[0-9a-f]{64}$ ]] ||
	    _imapsh_fail "no fingerprint from certtool" certtool "$want"
	assert_equal "$want" "$got"
	# And the CA's is another one.
	want=$(certtool -i --infile "$IMAPSH_TEST_CA" |
	    sed -n 's/^[[:space:]]*sha256:\([0-9a-fA-F]*\)$/\1/p' | head -n 1 |
	    tr 'A-F' 'a-f')
	got=$(printf '%s\n' "$OUT" | sed -n '/^certificate 1:/,$s/^  sha256: //p' |
	    tr -d ':' | tr 'A-F' 'a-f')
	assert_equal "$want" "$got"
}

@test "secure: tls on a plain connection says it is not encrypted" {
	run_split -c tls localhost "$IMAPSH_TEST_PORT"
	assert_success
	assert_output "not encrypted: 127.0.0.1 port $IMAPSH_TEST_PORT"
	run_split -c tls localhost "$IMAPSH_TEST_STARTTLS_PORT"
	assert_success
	assert_output "not encrypted: 127.0.0.1 port $IMAPSH_TEST_STARTTLS_PORT (the server offers STARTTLS)"
	refute_output_contains "protocol:"
}

@test "secure: a certificate of an unknown CA is refused (system trust store)" {
	# No --cafile: the system's CAs do not know the test CA.
	run_split -c "login $USER_NAME $USER_PASS" \
	    --ssl localhost "$IMAPSH_TEST_TLS_PORT"
	assert_failure 3
	assert_output_contains "unknown issuer"
	assert_output_contains "--cafile"
	refute_output_contains "Logged in"
	# With the test CA, a certificate of another CA is refused too.
	run_split --cafile "$IMAPSH_TEST_CA" -c noop \
	    --ssl localhost "$IMAPSH_TEST_TLS_UNKNOWNCA_PORT"
	assert_failure 3
	assert_output_contains "unknown issuer"
	refute_output_contains "NOOP completed"
	# So is STARTTLS to the test Dovecot without --cafile.
	run_split --starttls -c noop localhost "$IMAPSH_TEST_STARTTLS_PORT"
	assert_failure 3
	assert_output_contains "unknown issuer"
}

@test "secure: an expired certificate is refused as expired" {
	run_split --cafile "$IMAPSH_TEST_CA" -c noop \
	    --ssl localhost "$IMAPSH_TEST_TLS_EXPIRED_PORT"
	assert_failure 3
	assert_output_contains "expired"
	refute_output_contains "name mismatch"
	refute_output_contains "unknown issuer"
	refute_output_contains "NOOP completed"
}

@test "secure: a certificate for another name is refused as a name mismatch" {
	run_split --cafile "$IMAPSH_TEST_CA" -c noop \
	    --ssl localhost "$IMAPSH_TEST_TLS_WRONGNAME_PORT"
	assert_failure 3
	assert_output_contains "name mismatch"
	assert_output_contains "localhost"
	refute_output_contains "expired"
	refute_output_contains "unknown issuer"
	refute_output_contains "NOOP completed"
}

@test "secure: a certificate without the IP address is refused for 127.0.0.1 only" {
	run_split --cafile "$IMAPSH_TEST_CA" -c noop \
	    --ssl 127.0.0.1 "$IMAPSH_TEST_TLS_NAMEONLY_PORT"
	assert_failure 3
	assert_output_contains "IP address 127.0.0.1"
	refute_output_contains "NOOP completed"
	run_split --cafile "$IMAPSH_TEST_CA" -c noop \
	    --ssl localhost "$IMAPSH_TEST_TLS_NAMEONLY_PORT"
	assert_success
	assert_output "('OK', [b'NOOP completed.'])"
	# server.pem names 127.0.0.1: fine by address.
	run_split --cafile "$IMAPSH_TEST_CA" -c noop \
	    --ssl 127.0.0.1 "$IMAPSH_TEST_TLS_PORT"
	assert_success
}

@test "secure: --insecure connects to every bad certificate and warns" {
	local p
	for p in "$IMAPSH_TEST_TLS_EXPIRED_PORT" \
	    "$IMAPSH_TEST_TLS_WRONGNAME_PORT" \
	    "$IMAPSH_TEST_TLS_UNKNOWNCA_PORT"; do
		run_split --insecure -c "login $USER_NAME $USER_PASS" \
		    --ssl localhost "$p"
		assert_success
		assert_equal "('OK', [b'Logged in'])" "$OUT"
		[[ $ERR == *"warning: --insecure"* ]] ||
		    _imapsh_fail "no warning on stderr" err "$ERR"
	done
	run_split --insecure --starttls -c tls localhost \
	    "$IMAPSH_TEST_STARTTLS_PORT"
	assert_success
	[[ $ERR == *"warning"* ]] || _imapsh_fail "no warning" err "$ERR"
	[[ $OUT == "protocol: TLS1."* ]] || _imapsh_fail "not TLS" out "$OUT"
}

@test "secure: --cafile with a missing or empty file is a clear error" {
	# a file that is not there is a usage error, found before connecting
	run_split --cafile "$BATS_TEST_TMPDIR/no-such-ca.pem" -c noop \
	    --ssl localhost "$IMAPSH_TEST_TLS_PORT"
	assert_failure 2
	assert_output_contains "$BATS_TEST_TMPDIR/no-such-ca.pem"
	refute_output_contains "NOOP completed"
	refute_output_contains "not accepted"

	: >"$BATS_TEST_TMPDIR/empty.pem"
	run_split --cafile "$BATS_TEST_TMPDIR/empty.pem" -c noop \
	    --ssl localhost "$IMAPSH_TEST_TLS_PORT"
	assert_failure 3
	assert_output_contains "$BATS_TEST_TMPDIR/empty.pem: no certificates found"
}

@test "secure: --keyfile without --certfile is a usage error" {
	run_split --keyfile "$IMAPSH_TEST_CERTS/client-key.pem" -c noop \
	    localhost "$IMAPSH_TEST_PORT"
	assert_failure 2
	assert_output_contains "--keyfile needs --certfile"
}

@test "secure: --ssl or --starttls with an imap+notls:// URL never goes plain" {
	# The options ask for TLS, the URL for none: a usage error (2) or a
	# TLS failure (3), but never a session in cleartext.
	local opt
	for opt in --ssl --starttls; do
		run_split "$opt" --cafile "$IMAPSH_TEST_CA" -c tls -c noop \
		    "imap+notls://localhost:$IMAPSH_TEST_PORT"
		[ "$status" -eq 2 ] || [ "$status" -eq 3 ] ||
		    _imapsh_fail "$opt imap+notls://: wrong exit status" \
		    status "$status" output "$output"
		refute_output_contains "not encrypted"
		refute_output_contains "NOOP completed"
	done
}

@test "secure: tls shows the names a certificate is for and its key" {
	run_split --ssl --cafile "$IMAPSH_TEST_CA" -c tls \
	    localhost "$IMAPSH_TEST_TLS_PORT"
	assert_success
	assert_output_contains "  alt name: DNS:localhost"
	assert_output_contains "  alt name: IP:127.0.0.1"
	assert_output_matches "  key: [A-Za-z/-]+ [0-9]+ bits"$'\n'"  valid from: "
}

@test "secure: connect takes what the command line takes: URLs, user@host, host:port" {
	IMAPSH_PASSWORD=$USER_PASS run_split --cafile "$IMAPSH_TEST_CA" -n \
	    -c "connect imaps://$USER_NAME@localhost:$IMAPSH_TEST_TLS_PORT" \
	    -c tls -c login -c select -c logout \
	    -c "connect imap+notls://$USER_NAME@localhost:$IMAPSH_TEST_PORT" \
	    -c login -c logout \
	    -c "connect $USER_NAME@localhost:$IMAPSH_TEST_PORT" -c login \
	    -c "connect [127.0.0.1]:$IMAPSH_TEST_PORT" \
	    -c "login $USER_NAME $USER_PASS" -c logout -c "connect localhost:1" \
	    -c noop -c select
	assert_failure 3
	[[ $OUT == "protocol: TLS1."[23]$'\n'* ]] ||
	    _imapsh_fail "not TLS" out "$OUT" err "$ERR"
	assert_output_contains "('OK', [b'0'])"
	assert_equal 4 "$(grep -c "Logged in" <<<"$OUT")"
	# After a failed connect, every command says so.
	assert_equal "line 14: error: cannot connect to localhost port 1: connection refused
line 15: abort: not connected: use 'connect HOST [PORT]' or 'reconnect'
line 16: abort: not connected: use 'connect HOST [PORT]' or 'reconnect'" "$ERR"
}
