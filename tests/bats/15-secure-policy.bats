#!/usr/bin/env bats
# The STARTTLS policy of imapsh(1), SECURITY CONSIDERATIONS, against the
# scripted fake server (tests/fake): bytes injected after the STARTTLS OK,
# a server that does not offer STARTTLS, refuses it or answers it with a
# continuation, a PREAUTH greeting over the network, capabilities and
# untagged responses learned in cleartext, and LOGINDISABLED.
#
# What the client sent is read from the fake's transcript: the point of
# most tests is a command that must never have been sent.  The scenarios
# of tests/fake/scenarios expect a client that asks for CAPABILITY only
# when the greeting lacks it; imapsh asks after every greeting, as
# imaplib does, so for the scenarios that end with EXPECT_CLOSE the
# transcript, not the fake's exit status, is what counts here.

load helper
load ../fake/fake
load secure-helper

setup()
{
	[ -n "${IMAPSH_TEST_CERTS-}" ] || {
		echo "IMAPSH_TEST_CERTS not set: run the tests with tests/run" >&2
		return 1
	}
	unset IMAPSH_PASSWORD
}

teardown()
{
	fake_stop || true
}

# fake_ish ARGS...: run_split imapsh ARGS against the fake as user@localhost
# (localhost, so that the certificate matches), trusting the test CA.
fake_ish()
{
	run_split --cafile "$IMAPSH_TEST_CA" "$@" user@localhost "$FAKE_PORT"
}

@test "policy: bytes after the STARTTLS OK end the connection; nothing more is sent" {
	# The starttls command: the session goes on, but nothing is sent.
	fake_start starttls-injection
	fake_ish -c starttls -c "login user secret" -c noop
	assert_failure 3
	assert_output_contains "after its STARTTLS reply"
	refute_output_contains "Logged in"
	fake_wait
	assert_equal "CAPABILITY STARTTLS" "$(client_commands)"
	# No TLS ClientHello after the STARTTLS line either: the transcript
	# ends there.
	run client_lines
	assert_line -1 "T STARTTLS"

	# --starttls, and a password at hand for -l: never used.
	fake_start starttls-injection
	IMAPSH_PASSWORD=secret fake_ish --starttls -l
	assert_failure 3
	assert_output_contains "after its STARTTLS reply"
	fake_wait
	assert_equal "CAPABILITY STARTTLS" "$(client_commands)"
}

@test "policy: --starttls and no STARTTLS offered: no credentials, exit 3" {
	local sc
	# As tests/fake/scenarios/starttls-not-offered.txt, but answering
	# the CAPABILITY imapsh asks after every greeting.
	sc=$(scenario not-offered <<'EOF'
S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] fake-imapd: no TLS here
C: {TAG} CAPABILITY
S: * CAPABILITY IMAP4rev1 AUTH=PLAIN
S: {TAG} OK Capability completed.
EXPECT_CLOSE
EOF
)
	fake_start "$sc"
	IMAPSH_PASSWORD=secret fake_ish --starttls -l \
	    -c "authenticate PLAIN user secret"
	assert_failure 3
	assert_output_contains "STARTTLS was required but the server does not offer it"
	fake_wait
	refute_sent LOGIN AUTHENTICATE STARTTLS
}

@test "policy: --starttls and STARTTLS answered NO or BAD: no credentials, exit 3" {
	local s
	for s in starttls-no starttls-bad; do
		fake_start "$s"
		IMAPSH_PASSWORD=secret fake_ish --starttls -l \
		    -c "authenticate PLAIN user secret"
		assert_failure 3
		assert_output_contains "refused STARTTLS"
		fake_wait
		refute_sent LOGIN AUTHENTICATE
		[[ " $(client_commands) " == *" STARTTLS "* ]] ||
		    _imapsh_fail "$s: STARTTLS never sent" \
		    transcript "$(client_lines)"
	done
}

@test "policy: the starttls command refused: an error, the session stays in cleartext" {
	fake_start "$(scenario starttls-no-then-noop <<'EOF'
S: * OK [CAPABILITY IMAP4rev1 STARTTLS] fake-imapd ready
CAPS IMAP4rev1 STARTTLS
C: {TAG} STARTTLS
S: {TAG} NO [UNAVAILABLE] not now
C: {TAG} NOOP
S: {TAG} OK NOOP completed.
EOF
)"
	fake_ish -c starttls -c tls -c noop
	assert_failure 1
	assert_output_contains "error: Couldn't establish TLS session"
	assert_output_contains "not encrypted:"
	assert_output_contains "('OK', [b'NOOP completed.'])"
	fake_wait
}

@test "policy: a continuation instead of the STARTTLS OK: abort at once" {
	local start ms
	# The fake gives up after 3 s: a client still waiting then sees EOF.
	fake_start starttls-continuation --timeout 3
	start=$(date +%s%3N)
	IMAPSH_PASSWORD=secret fake_ish --starttls -t 20 -l -c noop
	ms=$(elapsed_since "$start")
	assert_failure 3
	# A protocol error, seen as one: not a wait for the tagged reply
	# until the timeout or the server's EOF.
	[ "$ms" -lt 2000 ] ||
	    _imapsh_fail "imapsh waited for the tagged reply" \
	    milliseconds "$ms" output "$output"
	refute_output_contains "EOF"
	refute_output_contains "timed out"
	refute_sent LOGIN AUTHENTICATE NOOP
	# Not a TLS handshake on a "+": no bytes after the STARTTLS line.
	run client_lines
	assert_line -1 "T STARTTLS"
	fake_wait
}

@test "policy: a PREAUTH greeting over TCP with --starttls: abort, no command run" {
	local sc
	# As tests/fake/scenarios/preauth-tcp.txt, but answering the
	# CAPABILITY imapsh asks after every greeting.
	sc=$(scenario preauth <<'EOF'
S: * PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] fake-imapd: logged in already
C: {TAG} CAPABILITY
S: * CAPABILITY IMAP4rev1 STARTTLS
S: {TAG} OK Capability completed.
EXPECT_CLOSE
EOF
)
	fake_start "$sc"
	fake_ish --starttls -c select -c "login user secret"
	assert_failure 3
	assert_output_contains "greeted with PREAUTH, so STARTTLS is impossible"
	fake_wait
	refute_sent SELECT LOGIN STARTTLS AUTHENTICATE
	# Without --starttls a PREAUTH greeting is taken as it is.
	fake_start "$(scenario preauth-plain <<'EOF'
S: * PREAUTH [CAPABILITY IMAP4rev1] fake-imapd: logged in already
CAPS IMAP4rev1
C: {TAG} NOOP
S: {TAG} OK NOOP completed.
EOF
)"
	fake_ish -c noop
	assert_success
	fake_wait
}

@test "policy: imap:// requires STARTTLS as --starttls does" {
	fake_start "$(scenario url-not-offered <<'EOF'
S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] fake-imapd: no TLS here
C: {TAG} CAPABILITY
S: * CAPABILITY IMAP4rev1 AUTH=PLAIN
S: {TAG} OK Capability completed.
EXPECT_CLOSE
EOF
)"
	IMAPSH_PASSWORD=secret run_split --cafile "$IMAPSH_TEST_CA" -l \
	    "imap://user@localhost:$FAKE_PORT"
	assert_failure 3
	assert_output_contains "does not offer it"
	fake_wait
	refute_sent LOGIN AUTHENTICATE STARTTLS

	fake_start "$(scenario url-preauth <<'EOF'
S: * PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] fake-imapd: logged in already
C: {TAG} CAPABILITY
S: * CAPABILITY IMAP4rev1 STARTTLS
S: {TAG} OK Capability completed.
EXPECT_CLOSE
EOF
)"
	run_split --cafile "$IMAPSH_TEST_CA" -c select \
	    "imap://localhost:$FAKE_PORT"
	assert_failure 3
	assert_output_contains "PREAUTH"
	fake_wait
	refute_sent SELECT

	fake_start starttls-ok
	run_split --cafile "$IMAPSH_TEST_CA" -c tls -c "login user secret" \
	    "imap://localhost:$FAKE_PORT"
	assert_success
	[[ $OUT == "protocol: TLS1."* ]] || _imapsh_fail "not TLS" out "$OUT"
	fake_wait
}

@test "policy: a PREAUTH greeting over a child process with --starttls is fine" {
	fake_stdio "$(scenario preauth-stdio <<'EOF'
S: * PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] fake-imapd: logged in already
CAPS IMAP4rev1 STARTTLS
C: {TAG} SELECT INBOX
S: * 1 EXISTS
S: {TAG} OK [READ-WRITE] Select completed.
EOF
)"
	run_split -s "$FAKE_CMD" --starttls -c select
	assert_success
	assert_output "('OK', [b'1'])"
	fake_wait
	refute_sent STARTTLS
}

@test "policy: capabilities are read again after TLS: LOGINDISABLED, then AUTH=PLAIN" {
	fake_start caps-change-after-tls
	fake_ish -c "login user secret" -c starttls -c "login user secret"
	# The first login failed (1), the second worked.
	assert_failure 1
	assert_equal "line 1: error: the server says LOGINDISABLED: it takes no password before TLS; run starttls first" "$ERR"
	assert_equal "('OK', [None])
('OK', [b'[CAPABILITY IMAP4rev1 IDLE] Logged in'])" "$OUT"
	fake_wait
	run client_lines
	assert_output "T CAPABILITY
T STARTTLS
T CAPABILITY
T LOGIN user \"secret\"
T LOGOUT"
}

@test "policy: LOGINDISABLED refuses login and -l before anything is sent" {
	local sc
	sc=$(scenario logindisabled <<'EOF'
S: * OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED AUTH=PLAIN] fake-imapd ready
CAPS IMAP4rev1 STARTTLS LOGINDISABLED AUTH=PLAIN
C: {TAG} NOOP
S: {TAG} OK NOOP completed.
EOF
)
	fake_start "$sc"
	IMAPSH_PASSWORD=secret fake_ish -c "login user secret" -c login -c noop
	assert_failure 1
	assert_equal "('OK', [b'NOOP completed.'])" "$OUT"
	assert_equal 2 "$(grep -c "error: the server says LOGINDISABLED" <<<"$ERR")"
	fake_wait
	refute_sent LOGIN AUTHENTICATE
	# -l: the login after connecting fails the same way, and the script
	# stops there.
	fake_start "$sc"
	IMAPSH_PASSWORD=secret fake_ish -l
	assert_failure 1
	assert_output_contains "LOGINDISABLED"
	fake_stop || true
	refute_sent LOGIN AUTHENTICATE
}

@test "policy: an [ALERT] and a LIST sent before STARTTLS are forgotten" {
	fake_start alert-before-starttls
	fake_ish -c starttls -c "response ALERT" -c "login user secret"
	assert_success
	assert_output "('OK', [None])
('ALERT', [None])
('OK', [b'Logged in'])"
	refute_output_contains "555 0100"
	fake_wait

	fake_start list-before-starttls
	fake_ish -c starttls -c "response LIST" -c "login user secret" -c list
	assert_success
	assert_output "('OK', [None])
('LIST', [None])
('OK', [b'Logged in'])
('OK', [b'(\\\\HasNoChildren) \"/\" INBOX'])"
	refute_output_contains "Injected"
	fake_wait
}

@test "policy: without STARTTLS, response does return an [ALERT] and a LIST (control)" {
	fake_start "$(scenario alert-list-plain <<'EOF'
S: * OK [CAPABILITY IMAP4rev1] fake-imapd ready
CAPS IMAP4rev1
C: {TAG} NOOP
S: * OK [ALERT] Your account is locked
S: * LIST () "/" Injected
S: {TAG} OK NOOP completed.
EOF
)"
	fake_ish -c noop -c "response ALERT" -c "response LIST"
	assert_success
	# As imaplib: a response code without data is kept as b''.
	assert_output "('OK', [b'NOOP completed.'])
('ALERT', [b''])
('LIST', [b'() \"/\" Injected'])"
	fake_wait
}

@test "policy: more untagged data injected before STARTTLS is forgotten too" {
	fake_start "$(scenario injected <<'EOF'
S: * OK [CAPABILITY IMAP4rev1 STARTTLS] fake-imapd ready
CAPS IMAP4rev1 STARTTLS
C: {TAG} STARTTLS
S: * 23 EXISTS
S: * OK [UIDVALIDITY 666] injected
S: * FLAGS (\Injected)
S: {TAG} OK Begin TLS negotiation now.
STARTTLS
CAPS IMAP4rev1 AUTH=PLAIN
C: {TAG} NOOP
S: {TAG} OK NOOP completed.
EOF
)"
	fake_ish -c starttls -c "response EXISTS" -c "response UIDVALIDITY" \
	    -c "response FLAGS" -c noop
	assert_success
	assert_output "('OK', [None])
('EXISTS', [None])
('UIDVALIDITY', [None])
('FLAGS', [None])
('OK', [b'NOOP completed.'])"
	fake_wait
}

@test "policy: STARTTLS to a server with the wrong certificate: the client refuses" {
	fake_start "$(scenario starttls-wrongname <<'EOF'
S: * OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] fake-imapd ready
CAPS IMAP4rev1 STARTTLS AUTH=PLAIN
C: {TAG} STARTTLS
S: {TAG} OK Begin TLS negotiation now.
STARTTLS fail
EOF
)" --cert "$IMAPSH_TEST_CERTS/wrongname.pem" \
	    --key "$IMAPSH_TEST_CERTS/wrongname-key.pem"
	IMAPSH_PASSWORD=secret fake_ish --starttls -l
	assert_failure 3
	assert_output_contains "name mismatch"
	fake_wait
	refute_sent LOGIN AUTHENTICATE
}
