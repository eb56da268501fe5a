#!/usr/bin/env bats
# AUTHENTICATE GSSAPI (RFC 4752) against a real Kerberos realm: a private
# MIT KDC (tests/lib/kdc.sh) and a second private Dovecot that offers
# GSSAPI with a keytab for imap/localhost; tickets come from kinit into a
# cache in the test's directory.  The errors a person meets (no ticket,
# an expired ticket, an unknown service principal, clock skew) are made
# for real: the skew by giving the ticket cache a KDC time offset, as
# kinit records one for a client whose clock is off.  The scripted fake
# server plays what no real server does: OK without mutual
# authentication, and a challenge that is no Kerberos token.
#
# Skipped, and saying so, only when the MIT KDC or Dovecot's GSSAPI
# plugin is not installed (scripts/install-deps installs them as root).

load helper
load ../fake/fake
load secure-helper
load e2e-helper
load tmux-helper

GSS_PLUGIN=${DOVECOT_LIBEXEC:-/usr/lib/dovecot}/modules/auth/libmech_gssapi.so

setup_file()
{
	source "$IMAPSH_TESTS_DIR/lib/kdc.sh"
	if ! kdc_available || [ ! -e "$GSS_PLUGIN" ]; then
		export GSS_SKIP="MIT KDC (krb5-kdc, krb5-admin-server, krb5-user) or dovecot-gssapi not installed: run scripts/install-deps as root"
		return 0
	fi
	GSS_DIR=$(mktemp -d /tmp/imapsh-gss.XXXXXX) || return 1
	chmod 755 "$GSS_DIR"
	export GSS_DIR
	kdc_start "$GSS_DIR/kdc" || return 1
	# The suite's certificates: no time spent making new ones.
	mkdir -p "$GSS_DIR/dovecot"
	cp -a "$IMAPSH_TEST_CERTS" "$GSS_DIR/dovecot/certs" || return 1
	# From here on IMAPSH_TEST_* name this GSSAPI Dovecot.
	DOVECOT_EXTRA_CONF="
auth_mechanisms = plain gssapi
auth_gssapi_hostname = localhost
auth_krb5_keytab = $KDC_DIR/imap.keytab
import_environment = \$import_environment KRB5_CONFIG=$KRB5_CONFIG
" dovecot_start "$GSS_DIR/dovecot" || return 1
}

teardown_file()
{
	[ -n "${GSS_DIR-}" ] || return 0
	source "$IMAPSH_TESTS_DIR/lib/kdc.sh"
	dovecot_stop "$GSS_DIR/dovecot"
	kdc_stop "$GSS_DIR/kdc"
	rm -rf "$GSS_DIR"
}

# A principal of its own for each test, PRINC (with a password), and a
# ticket cache path for it, CC (empty until gss_kinit).
setup()
{
	[ -z "${GSS_SKIP-}" ] || skip "$GSS_SKIP"
	source "$IMAPSH_TESTS_DIR/lib/kdc.sh"
	PRINC=g$BATS_TEST_NUMBER-${IMAPSH_TEST_STAGE:-bats}-$$
	PRINC_PASS=pw-$RANDOM$RANDOM
	kdc_add_user "$PRINC" "$PRINC_PASS"
	CC=$BATS_TEST_TMPDIR/ccache
	export KRB5CCNAME=FILE:$CC
	URL=imap+notls://localhost:$IMAPSH_TEST_PORT
}

teardown()
{
	fake_stop || true
	tmux_teardown
}

# gss_kinit [KINIT-ARGS...]: a ticket for PRINC in CC.
gss_kinit()
{
	kdc_kinit "$PRINC" "$PRINC_PASS" "$CC" "$@"
}

# The lowercase name Dovecot logs in as (auth_username_format = %Lu).
lower() { printf '%s\n' "$1" | tr '[:upper:]' '[:lower:]'; }

@test "gssapi: logs in with a ticket from kinit, over TLS and on loopback" {
	gss_kinit
	run imapsh_run --cafile "$IMAPSH_TEST_CA" \
	    "imaps://localhost:$IMAPSH_TEST_TLS_PORT" \
	    -c 'authenticate GSSAPI' -c 'select INBOX'
	assert_success
	assert_line 0 "('OK', [b'Logged in'])"
	assert_line 1 "('OK', [b'0'])"
	run imapsh_run "$URL" -c 'authenticate gssapi'
	assert_success
	assert_output "('OK', [b'Logged in'])"
	run grep -c "Login: user=<$(lower "$PRINC@$KDC_REALM")>, method=GSSAPI" \
	    "$IMAPSH_TEST_DIR/dovecot.log"
	assert_output 2
}

@test "gssapi: without SASL-IR the token follows the server's empty challenge" {
	gss_kinit
	run_split -d 4 --no-sasl-ir "$URL" -c 'authenticate GSSAPI'
	assert_success
	[[ $OUT == "('OK', [b'Logged in'])" ]] ||
	    _imapsh_fail "not logged in" output "$output"
	[[ $ERR =~ "> b'"[A-Z]+"1 AUTHENTICATE GSSAPI'" ]] ||
	    _imapsh_fail "no bare AUTHENTICATE GSSAPI" err "$ERR"
}

@test "gssapi: the authorization identity is sent, and the server judges it" {
	gss_kinit
	run imapsh_run "$URL" -c "authenticate GSSAPI $PRINC" -c noop
	assert_success
	assert_line 0 "('OK', [b'Logged in'])"
	# Dovecot logs in as the identity asked for, without the realm.
	run grep -c "Login: user=<$(lower "$PRINC")>, method=GSSAPI" \
	    "$IMAPSH_TEST_DIR/dovecot.log"
	assert_output 1
	# Another user's identity: this principal may not act as it.
	run imapsh_run "$URL" -c "authenticate GSSAPI someone-else"
	assert_failure
	assert_output_contains "[AUTHENTICATIONFAILED]"
	assert_file_contains "$IMAPSH_TEST_DIR/dovecot.log" \
	    "User not authorized to log in as someone-else"
}

@test "gssapi: -d 4 and -d 5 redact the tokens sent; --show-secrets shows them" {
	local level
	gss_kinit
	for level in 4 5; do
		run_split -d "$level" "$URL" -c 'authenticate GSSAPI' -c log
		assert_success
		[[ $ERR =~ "> b'"[A-Z]+"1 AUTHENTICATE GSSAPI <redacted>'" ]] ||
		    _imapsh_fail "no redacted initial response" err "$ERR"
		[[ $ERR == *"> b'<redacted>'"* ]] ||
		    _imapsh_fail "no redacted response" err "$ERR"
		# Nothing else is sent between the command and its reply.
		[[ ! $ERR =~ "> b'"[^A-Z\<] ]] ||
		    _imapsh_fail "a line sent in clear" err "$ERR"
		# A Kerberos AP-REQ in its GSS wrapping is base64 "YII...";
		# neither the trace nor the log command shows it.
		[[ $output != *"GSSAPI YII"* ]] ||
		    _imapsh_fail "the AP-REQ is shown" output "$output"
	done

	run_split -d 4 --show-secrets "$URL" -c 'authenticate GSSAPI'
	assert_success
	[[ $ERR =~ "AUTHENTICATE GSSAPI "(YII[A-Za-z0-9+/=]+) ]] ||
	    _imapsh_fail "--show-secrets shows no token" err "$ERR"
}

@test "gssapi: without a ticket it says to run kinit, with the GSS status" {
	run imapsh_run "$URL" -c 'authenticate GSSAPI'
	assert_failure
	assert_output_contains "run kinit"
	assert_output_contains "No credentials were supplied"
	assert_output_contains "No Kerberos credentials available"
	# Nothing reached the server: no AUTHENTICATE attempt in its log.
	refute_output_contains "AUTHENTICATIONFAILED"
}

@test "gssapi: the library's text is escaped for the terminal" {
	export KRB5CCNAME=FILE:$BATS_TEST_TMPDIR/cc$'\e[31m'red
	run imapsh_run "$URL" -c 'authenticate GSSAPI'
	assert_failure
	assert_output_contains 'run kinit'
	assert_output_contains 'cc\x1b[31mred'
	[[ $output != *$'\e'* ]] || _imapsh_fail "raw ESC in the error" \
	    output "$output"
}

@test "gssapi: an expired ticket says to run kinit again" {
	gss_kinit -l 1s
	sleep 2
	run imapsh_run "$URL" -c 'authenticate GSSAPI'
	assert_failure
	assert_output_contains "the Kerberos ticket has expired: run kinit again"
	assert_output_contains "Ticket expired"
}

@test "gssapi: an unknown service principal names it; --service-host fixes it" {
	gss_kinit
	# Connected as 127.0.0.1: the KDC has no imap/127.0.0.1.
	run imapsh_run "imap+notls://127.0.0.1:$IMAPSH_TEST_PORT" \
	    -c 'authenticate GSSAPI'
	assert_failure
	assert_output_contains "the KDC does not know the service principal"
	assert_output_contains "--service-host"
	assert_output_contains "imap@127.0.0.1"
	assert_output_contains "imap/127.0.0.1@$KDC_REALM not found in Kerberos database"
	run imapsh_run --service-host localhost \
	    "imap+notls://127.0.0.1:$IMAPSH_TEST_PORT" -c 'authenticate GSSAPI'
	assert_success
	assert_output "('OK', [b'Logged in'])"
}

@test "gssapi: clock skew is named as such" {
	gss_kinit
	# kinit records the KDC's time offset in the cache (file format 4,
	# header tag 1): a clock 15 minutes fast, as the library sees it.
	python3 - "$CC" <<'EOF'
import struct, sys
path = sys.argv[1]
b = bytearray(open(path, "rb").read())
assert b[0:8] == bytes.fromhex("0504000c00010008"), b[0:8].hex()
b[8:12] = struct.pack(">i", 900)
open(path, "wb").write(b)
EOF
	run imapsh_run "$URL" -c 'authenticate GSSAPI'
	assert_failure
	assert_output_contains "clock skew"
	assert_output_contains "set the clock right"
	assert_output_contains "Clock skew too great"
}

@test "gssapi: completed after authenticate where the server offers it" {
	local p="localhost (not logged in)"
	tmux_setup
	gss_kinit
	start_imapsh KRB5_CONFIG="$KRB5_CONFIG" KRB5CCNAME="$KRB5CCNAME" \
	    localhost "$IMAPSH_TEST_PORT"
	wait_prompt "$p>"
	type_text "authenticate gs"
	keys Tab
	wait_prompt "$p> authenticate GSSAPI"
	keys Enter
	wait_for "('OK', [b'Logged in'])"
	keys C-d
	wait_for "imapsh exited with status 0"
}

@test "gssapi: a server that says OK without proving its identity is left" {
	gss_kinit
	fake_start "$(scenario gss-no-mutual <<'EOF'
S: * OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=GSSAPI] fake-imapd ready
CAPS IMAP4rev1 SASL-IR AUTH=GSSAPI
C: re:{TAG} AUTHENTICATE GSSAPI YII[A-Za-z0-9+/]+={0,2}
S: {TAG} OK Logged in, trust me
EOF
)"
	run_split localhost "$FAKE_PORT" -c 'authenticate GSSAPI' -c noop
	assert_failure 3
	assert_output_contains "abort: authentication not verified"
	assert_output_contains "the server did not prove its identity"
	refute_output_contains "Logged in"
	fake_wait
	refute_sent NOOP
}

@test "gssapi: a challenge that is no Kerberos token is cancelled with *" {
	gss_kinit
	fake_start "$(scenario gss-garbage <<'EOF'
S: * OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=GSSAPI] fake-imapd ready
CAPS IMAP4rev1 SASL-IR AUTH=GSSAPI
C: re:{TAG} AUTHENTICATE GSSAPI YII[A-Za-z0-9+/]+={0,2}
S: + YAQGAgMB
C: *
S: {TAG} BAD AUTHENTICATE cancelled
EOF
)"
	run_split localhost "$FAKE_PORT" -c 'authenticate GSSAPI'
	assert_failure 1
	assert_output_contains "imapsh cancelled: GSSAPI:"
	assert_output_contains "gss_init_sec_context"
	fake_wait
}

@test "gssapi: an account's service-host in the configuration file" {
	local conf=$BATS_TEST_TMPDIR/imapsh.conf
	gss_kinit
	cat >"$conf" <<CONF
account krb
host 127.0.0.1
port $IMAPSH_TEST_PORT
tls none
service-host localhost
CONF
	chmod 600 "$conf"
	IMAPSH_CONFIG=$conf run imapsh_run krb -c 'authenticate GSSAPI'
	assert_success
	assert_output "('OK', [b'Logged in'])"
	# The option wins over the file.
	IMAPSH_CONFIG=$conf run imapsh_run --service-host 127.0.0.1 krb \
	    -c 'authenticate GSSAPI'
	assert_failure
	assert_output_contains "imap/127.0.0.1@$KDC_REALM not found"
}
