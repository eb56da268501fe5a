#!/usr/bin/env bats
# Hostile servers, round two: invalid UTF-8 under --format json, loops a
# server can keep going, waits that must honour -t, refusals of the right
# kind, imaplib's line limit, and TLS versions.  Every run goes through
# hx_run (hostile-helper.bash): no crash, no hang, nothing raw on the
# terminal.  Each case fails on an imapsh without the fix it names.

load helper
load ../fake/fake
load hostile-helper

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

setup()
{
	[ -n "${IMAPSH_TEST_CERTS-}" ] || {
		echo "IMAPSH_TEST_CERTS not set: run the tests with tests/run" >&2
		return 1
	}
}

teardown()
{
	fake_stop
	[ -z "${OLD_PID-}" ] || kill "$OLD_PID" 2>/dev/null || true
}

# assert_json_utf8 FILE N: FILE is N lines, each strict UTF-8 (RFC 3629:
# Python's decoder refuses overlongs, surrogates and past U+10FFFF) and
# one JSON value.
assert_json_utf8()
{
	"$HX_PY" - "$1" "$2" <<'PY'
import json, sys
data = open(sys.argv[1], "rb").read()
text = data.decode("utf-8")		# strict
lines = text.splitlines()
if len(lines) != int(sys.argv[2]):
    sys.exit("want %s JSON lines, got %d" % (sys.argv[2], len(lines)))
for line in lines:
    json.loads(line)
PY
}

# --- class 3: JSON that is UTF-8 -------------------------------------------

@test "json: overlong, surrogate and past-U+10FFFF bytes are base64; a split U+009B is escaped" {
	HX_STDOUT=pipe hx_fake_run h-json-utf8 --format json -c select \
	    -c "fetch 1:5 (BODY[])" -c "fetch 6 (BODY[])"
	assert_success
	assert_json_utf8 "$BATS_TEST_TMPDIR/hx.out" 3
	"$HX_PY" - "$BATS_TEST_TMPDIR/hx.out" <<'PY'
import base64, json, sys
lines = open(sys.argv[1], "rb").read().decode().splitlines()[1:]
small = json.loads(lines[0])["data"][::2]
want = [b"\xe0\x80\x9b[2J.", b"\xc1\x9b[2J..", b"\xe0\x82\x9b[2J.",
        b"\xed\xa0\x80[2J.", b"\xf4\x90\x80\x80[2J"]
assert len(small) == 5, small
for item, body in zip(small, want):
    got = item[1]
    assert isinstance(got, dict) and "text" not in got, got
    assert base64.b64decode(got["base64"]) == body, (got, body)
big = json.loads(lines[1])["data"][0][1]["text"]
assert big == "a" * 65535 + "\u009b[2J\u20ac.", big[65530:]
assert "\\u009b" in lines[1]
PY
	fake_wait
}

# --- class 7: refusals and limits of the right kind --------------------------

@test "kind: a line of 1,000,000 bytes with CR LF is fine, one more is imaplib's error" {
	hx_fake_run h-line-limit -c noop -c noop
	assert_failure 1
	assert_err_lines 1 "error: command: NOOP => got more than 1000000 bytes"
	[ "$(grep -c "^('OK', \[b'done'\])" <<<"$OUT")" -eq 1 ]
	assert_rss_below 32768
	fake_wait
}

@test "kind: starttls refused locally is an error and the connection stays usable" {
	hx_fake_run h-starttls-refusals -c starttls -c "login bob pw" \
	    -c starttls -c noop
	assert_failure 1
	assert_err_lines 1 "error: TLS not supported by server"
	assert_err_lines 1 "error: command STARTTLS illegal in state AUTH, only allowed in states NONAUTH"
	grep -qxF "('OK', [b'noop done'])" <<<"$OUT"
	fake_wait
}

# --- class 4: loops a server can keep going ---------------------------------

@test "loop: '+ ' to every AUTHENTICATE line: three '*', then abort, connection closed" {
	hx_fake_run h-auth-loop -c "authenticate PLAIN bob pw" -c noop
	assert_failure 3
	assert_err_lines 1 "abort: AUTHENTICATE: the server went on asking after 3 cancels \\(imapsh cancelled: "
	assert_err_lines 1 "abort: not connected"
	assert_took_less 3000
	fake_wait
}

# --- class 5: every wait honours -t ----------------------------------------

@test "timeout: a greeting trickled one byte every 0.3 s ends after -t 2 in all, exit 3" {
	hx_fake_run h-greeting-trickle -c noop
	assert_failure 3
	assert_output "abort: socket error: timed out after 2 seconds waiting for the server (while waiting for the greeting)"
	assert_took_more 1900
	assert_took_less 3500
	fake_assert_transcript
}

@test "timeout: after COMPRESS, a server that stops reading: the write gives up after -t 2, exit 3" {
	head -c 150000 /dev/urandom | base64 -w0 >"$BATS_TEST_TMPDIR/rand"
	printf 'compress\nraw NOOP %s\n' "$(cat "$BATS_TEST_TMPDIR/rand")" \
	    >"$BATS_TEST_TMPDIR/script"
	fake_stdio h-compress-no-read
	hx_run -t 2 -s "$FAKE_CMD" <"$BATS_TEST_TMPDIR/script"
	assert_failure 3
	assert_output "('OK', [b'DEFLATE active'])
line 2: abort: socket error: timed out after 2 seconds waiting for the server"
	assert_took_more 1900
	assert_took_less 6000
}

# --- TLS versions (RFC 8996) ---------------------------------------------------

# old_tls_server PRIORITY-VERSIONS: gnutls-serv on a free port speaking only
# those versions ("+VERS-TLS1.0"); sets OLD_PORT, OLD_PID.
old_tls_server()
{
	command -v gnutls-serv >/dev/null || skip "gnutls-serv is not installed"
	OLD_PORT=$("$HX_PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	gnutls-serv --port "$OLD_PORT" \
	    --x509certfile "$IMAPSH_TEST_CERTS/server.pem" \
	    --x509keyfile "$IMAPSH_TEST_CERTS/server-key.pem" \
	    --priority "NORMAL:-VERS-ALL:$1" \
	    >"$BATS_TEST_TMPDIR/gnutls-serv.log" 2>&1 &
	OLD_PID=$!
	for _ in $(seq 50); do
		grep -q "listening" "$BATS_TEST_TMPDIR/gnutls-serv.log" && return 0
		sleep 0.1
	done
	echo "gnutls-serv did not start" >&2
	return 1
}

@test "tls: a TLS 1.0/1.1 server is refused by default with a clear message; --tls-min=1.0 allows it" {
	old_tls_server "+VERS-TLS1.0:+VERS-TLS1.1"
	hx_run -t 2 --cafile "$IMAPSH_TEST_CERTS/ca.pem" -c noop \
	    "imaps://localhost:$OLD_PORT"
	assert_failure 3
	assert_output "abort: TLS handshake failed: the server offers no TLS version imapsh accepts (1.2 or later, RFC 8996); if it is an old server you trust, --tls-min=1.0 allows TLS 1.0 and 1.1"
	hx_run -t 2 -d 1 --tls-min=1.0 --cafile "$IMAPSH_TEST_CERTS/ca.pem" \
	    -c noop "imaps://localhost:$OLD_PORT"
	assert_failure 3
	assert_output_contains "TLS established with localhost"
	assert_output_contains "(while waiting for the greeting)"
	kill "$OLD_PID"
}

@test "tls: --tls-min=1.1 refuses a TLS 1.0 server; a bad --tls-min is a usage error" {
	old_tls_server "+VERS-TLS1.0"
	hx_run -t 2 --tls-min 1.1 --cafile "$IMAPSH_TEST_CERTS/ca.pem" \
	    -c noop "imaps://localhost:$OLD_PORT"
	assert_failure 3
	assert_output_contains "the server offers no TLS version imapsh accepts (1.1 or later)"
	kill "$OLD_PID"
	run "$IMAPSH" --tls-min 1.4 -n -c noop
	assert_failure 2
	assert_output_contains "--tls-min: 1.0, 1.1, 1.2 or 1.3, not '1.4'"
}

@test "tls: an account's tls-min 1.0 allows an old server, as --tls-min does" {
	local conf=$BATS_TEST_TMPDIR/config
	old_tls_server "+VERS-TLS1.0:+VERS-TLS1.1"
	printf 'account old\n    host localhost\n    port %s\n    tls imaps\n    cafile %s\n    tls-min 1.0\n' \
	    "$OLD_PORT" "$IMAPSH_TEST_CERTS/ca.pem" >"$conf"
	chmod 600 "$conf"
	IMAPSH_CONFIG=$conf hx_run -t 2 -d 1 -c noop old
	assert_failure 3
	assert_output_contains "TLS established with localhost"
	refute_output_contains "offers no TLS version"
	kill "$OLD_PID"
}

# --- class 8: deliberate differences from imaplib (imapsh(1)) ----------------

@test "imaplib differences: 'A1 OK' without text and lower-case names are accepted" {
	hx_fake_run h-imaplib-lenient -c noop -c select -c noop \
	    -c "response EXISTS"
	assert_success
	assert_output "('OK', [b''])
('OK', [b'3'])
('OK', [b'noop'])
('EXISTS', [b'3', b'4'])"
	fake_wait
}

@test "imaplib differences: every item of the man page's section names its behaviour" {
	local section
	section=$(sed -n '/^\.Sh DIFFERENCES FROM IMAPLIB/,/^\.Sh /p' \
	    "$ROOT/man/imapsh.1")
	for what in "bare LF" "A1 OK" "lower or mixed case" "partial" \
	    "tls-min" "allow-cleartext" "Fl t" "STARTTLS OK" \
	    "2^63" "1000 nested" "three such answers" \
	    "does not offer STARTTLS" "got more than 1000000 bytes" \
	    "redacted"; do
		grep -qF -- "$what" <<<"$section" ||
		    { echo "DIFFERENCES FROM IMAPLIB lacks: $what"; return 1; }
	done
}
