#!/usr/bin/env bats
# Output: the three formats, settings, colour and the progress line.

load helper
load ../fake/fake

teardown()
{
	fake_stop
}

login_args() { echo "-c" "login $USER_NAME $USER_PASS"; }

@test "json: one valid JSON object per command, for every command family" {
	deliver 2
	printf 'From: a@example.org\nSubject: j\n\nbody\n' >"$BATS_TEST_TMPDIR/m.eml"
	run bash -c "'$IMAPSH' --format json -c 'login $USER_NAME $USER_PASS' \
	    -c capability -c 'list' -c 'status INBOX (MESSAGES)' -c 'create J1' \
	    -c 'append INBOX None None <$BATS_TEST_TMPDIR/m.eml' -c select \
	    -c 'search None ALL' -c 'fetch 1 (FLAGS BODY.PEEK[HEADER])' \
	    -c 'store 1 +FLAGS (\\Seen)' -c 'response UIDVALIDITY' -c noop \
	    -c 'select nosuch' -c 'fetch 1 (FLAGS)' -c logout \
	    $IMAPSH_TEST_HOST $IMAPSH_TEST_PORT 2>/dev/null |
	    jq -c '[.command, .status]'"
	assert_success
	assert_line 0 '["login","OK"]'
	assert_output_contains '["capability","OK"]'
	assert_output_contains '["list","OK"]'
	assert_output_contains '["status","OK"]'
	assert_output_contains '["create","OK"]'
	assert_output_contains '["append","OK"]'
	assert_output_contains '["search","OK"]'
	assert_output_contains '["fetch","OK"]'
	assert_output_contains '["store","OK"]'
	assert_output_contains '["response","UIDVALIDITY"]'
	assert_output_contains '["select","NO"]'
	assert_output_contains '["fetch","error"]'
	assert_output_contains '["logout","BYE"]'
}

@test "json: a literal is the second element of [header, literal]" {
	deliver 1
	run bash -c "'$IMAPSH' --format json -c 'login $USER_NAME $USER_PASS' -c select \
	    -c 'fetch 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])' \
	    $IMAPSH_TEST_HOST $IMAPSH_TEST_PORT | tail -1 | jq -r '.data[0][1].text'"
	assert_success
	assert_output_matches "^Subject: "
}

@test "json: bytes that are not UTF-8 are {\"base64\": ...} with no text" {
	printf 'From: a@example.org\r\nSubject: x\r\n\r\n\xff\xfe\x80 binary\r\n' \
	    >"$BATS_TEST_TMPDIR/bin.eml"
	deliver_file "$BATS_TEST_TMPDIR/bin.eml"
	run bash -c "'$IMAPSH' --format json -c 'login $USER_NAME $USER_PASS' -c select \
	    -c 'fetch 1 (BODY.PEEK[TEXT])' $IMAPSH_TEST_HOST $IMAPSH_TEST_PORT |
	    tail -1 | jq -r '.data[0][1] | (has(\"text\") | tostring), .base64' |
	    { read -r t; echo \$t; base64 -d | od -An -tx1 | head -1; }"
	assert_success
	assert_line 0 "false"
	assert_output_contains "ff fe 80"
}

@test "raw: the server's bytes exactly when stdout is not a terminal" {
	printf 'From: a@example.org\r\nSubject: ctl\r\n\r\nesc \x1b[31m del \x7f bell \x07\r\n' \
	    >"$BATS_TEST_TMPDIR/ctl.eml"
	deliver_file "$BATS_TEST_TMPDIR/ctl.eml"
	"$IMAPSH" --format raw -c "login $USER_NAME $USER_PASS" -c select \
	    -c 'fetch 1 (BODY.PEEK[TEXT])' "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT" \
	    >"$BATS_TEST_TMPDIR/raw.out"
	run python3 - "$BATS_TEST_TMPDIR/raw.out" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
assert b'esc \x1b[31m del \x7f bell \x07\r\n' in d, d[-300:]
assert b'OK Fetch completed' in d
print("exact")
PY
	assert_output "exact"
}

@test "raw: escaped when stdout is a terminal" {
	printf 'From: a@example.org\r\nSubject: ctl\r\n\r\nesc \x1b[31m red\r\n' \
	    >"$BATS_TEST_TMPDIR/ctl.eml"
	deliver_file "$BATS_TEST_TMPDIR/ctl.eml"
	script -qec "'$IMAPSH' --format raw -c 'login $USER_NAME $USER_PASS' -c select \
	    -c 'fetch 1 (BODY.PEEK[TEXT])' $IMAPSH_TEST_HOST $IMAPSH_TEST_PORT" \
	    "$BATS_TEST_TMPDIR/typescript" >/dev/null
	run python3 - "$BATS_TEST_TMPDIR/typescript" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
assert b'\x1b[31m' not in d, "raw ESC reached the terminal"
assert b'\\x1b[31m' in d, d[-400:]
print("escaped")
PY
	assert_output "escaped"
}

@test "set and show: format, debug, timeout, color; bad values refused" {
	run imapsh_run -n -c 'set format json' -c 'set debug 3' -c 'set timeout 7' \
	    -c 'set color never' -c show -c 'show format' -c 'set format yaml' \
	    -c 'set nosuch 1'
	assert_failure 1
	# show's value in JSON, the format set first: an object
	assert_output_contains '"data": {"color": "never", "debug": 3, "format": "json", "timeout": 7}'
	assert_output_contains '"data": {"format": "json"}'
	assert_output_contains "error: set: format must be python, raw or json, not 'yaml'"
	assert_output_contains "error: set: unknown setting 'nosuch'"
}

@test "colour: --color=always colours status words; never and pipes do not" {
	run imapsh_run --color always -c "login $USER_NAME $USER_PASS" -c 'select nosuch' \
	    "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT"
	assert_output_contains $'(\e[1;32m\'OK\'\e[0m'
	assert_output_contains $'(\e[1;31m\'NO\'\e[0m'
	run imapsh_run -c "login $USER_NAME $USER_PASS" "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT"
	refute_output_contains $'\e['
	script -qec "NO_COLOR=1 '$IMAPSH' -c 'login $USER_NAME $USER_PASS' \
	    $IMAPSH_TEST_HOST $IMAPSH_TEST_PORT" "$BATS_TEST_TMPDIR/ts" >/dev/null
	run grep -c $'\e\\[1;3' "$BATS_TEST_TMPDIR/ts"
	assert_output "0"
	script -qec "'$IMAPSH' -c 'login $USER_NAME $USER_PASS' \
	    $IMAPSH_TEST_HOST $IMAPSH_TEST_PORT" "$BATS_TEST_TMPDIR/ts2" >/dev/null
	run grep -c $'\e\\[1;32m' "$BATS_TEST_TMPDIR/ts2"
	assert_output "1"
}

@test "progress: a big literal shows a progress line on a terminal stderr only" {
	python3 -c "
import sys
with open(sys.argv[1], 'wb') as f:
    f.write(b'From: a@example.org\r\nSubject: big\r\n\r\n')
    line = b'x' * 998 + b'\r\n'
    for _ in range(12000): f.write(line)
" "$BATS_TEST_TMPDIR/big.eml"
	script -qec "'$IMAPSH' -c 'login $USER_NAME $USER_PASS' \
	    -c 'append INBOX None None <$BATS_TEST_TMPDIR/big.eml' -c select \
	    -c 'fetch 1 (BODY[])' $IMAPSH_TEST_HOST $IMAPSH_TEST_PORT >/dev/null" \
	    "$BATS_TEST_TMPDIR/ts" >/dev/null
	run grep -ac "MB/s" "$BATS_TEST_TMPDIR/ts"
	[ "$output" -ge 1 ] || { cat -v "$BATS_TEST_TMPDIR/ts" | tail -5; false; }
	"$IMAPSH" -c "login $USER_NAME $USER_PASS" -c select -c 'fetch 1 (BODY[])' \
	    "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT" >/dev/null 2>"$BATS_TEST_TMPDIR/err"
	run grep -c "MB/s" "$BATS_TEST_TMPDIR/err"
	assert_output "0"
}

@test "progress: many small FETCH responses are counted on a terminal stderr only" {
	fake_start fetch-slow-many
	script -qec "'$IMAPSH' -c 'select INBOX' -c 'fetch 1:* (UID FLAGS)' \
	    127.0.0.1 $FAKE_PORT >'$BATS_TEST_TMPDIR/out'" \
	    "$BATS_TEST_TMPDIR/ts" >/dev/null
	fake_wait
	run grep -ac "receiving [0-9]* FETCH responses" "$BATS_TEST_TMPDIR/ts"
	[ "$output" -ge 1 ] || { cat -v "$BATS_TEST_TMPDIR/ts" | tail -5; false; }
	# The line is erased, and the value is whole.
	run grep -c "RFC822\|UID 1 FLAGS" "$BATS_TEST_TMPDIR/out"
	assert_output "200000"
	fake_start fetch-slow-many
	"$IMAPSH" -c 'select INBOX' -c 'fetch 1:* (UID FLAGS)' 127.0.0.1 \
	    "$FAKE_PORT" >/dev/null 2>"$BATS_TEST_TMPDIR/err"
	fake_wait
	run grep -c "receiving" "$BATS_TEST_TMPDIR/err"
	assert_output "0"
}
