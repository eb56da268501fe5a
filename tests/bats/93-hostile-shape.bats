#!/usr/bin/env bats
# Server text that would change the shape of the display (imapsh(1),
# SECURITY CONSIDERATIONS): a field shown on one line stays on one line.
# A forged certificate whose subject, issuer and alternative names hold
# line breaks (LF, CR, U+2028, U+2029) cannot add "certificate N:" or
# "sha256:" lines to the tls display; nor can a tab or a line separator
# in an AUTHENTICATE refusal, a BYE or the user name in the prompt move
# what follows it.  (Completion drops names with control characters;
# term_line() itself is unit-tested.)

load helper
load ../fake/fake
load secure-helper
load tmux-helper

setup()
{
	imapsh_setup || return 1
}

teardown()
{
	fake_stop || true
	[ -z "${TSOCK-}" ] || tmux_teardown
}

# forged_cert DIR: DIR/forged.pem and DIR/forged-key.pem, self-signed,
# whose subject CN, issuer CN and DNS alternative name hold
# line breaks.  certtool makes it with placeholders of the same length,
# which are then replaced in the DER (the signature no longer matches:
# the test connects with --insecure, which does not check it).
forged_cert()
{
	"$SECURE_PY" - "$1" <<'EOF_PY'
import base64, os, subprocess, sys
d = sys.argv[1]
cn = "x\ncertificate 1:\n  sha256: 00:11\r\u2028\u2029\tend".encode()
san = "a\nb.example\r\u2028c".encode()
ph = {b"C" * len(cn): cn, b"D" * len(san): san}
with open(os.path.join(d, "forged.tmpl"), "w") as f:
    f.write('cn = "%s"\n' % ("C" * len(cn)))
    f.write('dns_name = "%s"\n' % ("D" * len(san)))
    f.write("serial = 7\nexpiration_days = 30\ntls_www_server\n"
            "signing_key\nencryption_key\nca\ncert_signing_key\n")
key = os.path.join(d, "forged-key.pem")
subprocess.run(["certtool", "--generate-privkey", "--key-type=ecdsa",
                "--outfile", key], check=True, capture_output=True)
subprocess.run(["certtool", "--generate-self-signed", "--load-privkey", key,
                "--template", os.path.join(d, "forged.tmpl"), "--outfile",
                os.path.join(d, "plain.pem")], check=True,
               capture_output=True)
pem = open(os.path.join(d, "plain.pem")).read()
b64 = pem.split("-----BEGIN CERTIFICATE-----")[1].split(
    "-----END CERTIFICATE-----")[0]
der = base64.b64decode("".join(b64.split()))
for old, new in ph.items():
    assert der.count(old) >= 1, old
    der = der.replace(old, new)
body = base64.encodebytes(der).decode()
with open(os.path.join(d, "forged.pem"), "w") as f:
    f.write("-----BEGIN CERTIFICATE-----\n" + body +
            "-----END CERTIFICATE-----\n")
EOF_PY
}

@test "shape: a certificate with line breaks in its names cannot forge tls lines" {
	local dir=$BATS_TEST_TMPDIR
	forged_cert "$dir"
	fake_start "$(scenario forged <<'EOF'
S: * OK fake-imapd ready
C: {TAG} CAPABILITY
S: * CAPABILITY IMAP4rev1
S: {TAG} OK done
EXPECT_CLOSE
EOF
)" --tls --cert "$dir/forged.pem" --key "$dir/forged-key.pem"
	run_split --insecure -c tls "imaps://localhost:$FAKE_PORT"
	assert_success
	fake_wait
	# One certificate: one "certificate" line, one sha256 line, and every
	# line one of the display's own.
	assert_equal 1 "$(grep -c '^certificate ' <<<"$OUT")"
	assert_equal 1 "$(grep -c '^  sha256:' <<<"$OUT")"
	run grep -vE '^(protocol|session): |^certificate 0:$|^  (subject|issuer|alt name|key|valid from|valid until|sha256): ' <<<"$OUT"
	assert_failure 1
	output=$OUT
	assert_output_contains '  subject: CN=x\x0acertificate 1:\x0a  sha256: 00:11\x0d\u2028\u2029\x09end'
	assert_output_contains '  issuer: CN=x\x0acertificate 1:'
	assert_output_contains '  alt name: DNS:a\x0ab.example\x0d\u2028c'
	# Nothing below 0x20 but the line ends, no U+2028/2029 left raw.
	run "$SECURE_PY" -c '
import sys
t = open(sys.argv[1], "rb").read()
bad = [c for c in t if c < 0x20 and c != 0x0a] or \
    [s for s in ("\u2028", "\u2029", "\x85") if s.encode() in t]
sys.exit(1 if bad else 0)' "$BATS_TEST_TMPDIR/split.out"
	assert_success
}

@test "shape: an AUTHENTICATE refusal with a tab and U+2029 stays on its line" {
	fake_start "$(scenario shape-text <<'EOF'
S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready
CAPS IMAP4rev1 AUTH=PLAIN SASL-IR
C: re:{TAG} AUTHENTICATE PLAIN .*
S: {TAG} NO refused	see error: x
EXPECT_CLOSE
EOF
)"
	IMAPSH_PASSWORD=pw run_split -c "authenticate PLAIN bob" localhost \
	    "$FAKE_PORT"
	assert_failure 1
	fake_wait
	assert_equal "line 1: error: refused\\x09see\\u2029error: x" "$ERR"
}

@test "shape: a BYE with a tab and a CR in its text stays on its line" {
	fake_start "$(scenario shape-bye <<'EOF'
S: * OK [CAPABILITY IMAP4rev1] ready
CAPS IMAP4rev1
C: {TAG} NOOP
S: * BYE going\tdown\rerror: forged
CLOSE
EOF
)"
	run_split -c noop localhost "$FAKE_PORT"
	assert_failure 3
	fake_wait
	assert_equal "line 1: abort: command: NOOP => going\\x09down\\x0derror: forged" "$ERR"
}

@test "shape: a user name with a tab and U+2028 (from a URL) stays on the prompt's line" {
	fake_start "$(scenario shape-user <<'EOF'
S: * OK [CAPABILITY IMAP4rev1] ready
CAPS IMAP4rev1
C: re:{TAG} LOGIN .*
S: {TAG} OK done
EXPECT_CLOSE
EOF
)"
	tmux_setup
	start_imapsh "imap+notls://bo%09b%E2%80%A8c@localhost:$FAKE_PORT"
	wait_for "localhost (not logged in)>"
	type_line "login None pw"
	wait_for 'bo\x09b\u2028c@localhost>'
	keys C-d
	wait_for "imapsh exited with status"
	fake_wait
}
