#!/usr/bin/env bats
# Bad input from the user: unknown commands, wrong argument counts,
# unbalanced groups and quotes, bad sequence sets, line breaks and NUL in
# arguments, missing or unreadable message files, bad options, ports and
# URLs.  Each one gets one clear error line, the session goes on (the
# NOOP after it works), and nothing unintended reaches the server: the
# fake's transcript is compared exactly.  Every run goes through hx_run
# (hostile-helper.bash): no crash, no hang, nothing raw on the terminal.

load helper
load ../fake/fake
load hostile-helper

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
}

# bad_lines N: the run refused N lines with one "error:" line each, the
# NOOP after them worked, and the server saw nothing but CAPABILITY, the
# NOOP and the LOGOUT at exit.
bad_lines()
{
	assert_failure 2
	assert_err_lines "$1" "error: "
	assert_equal "('OK', [b'NOOP completed.'])" "$OUT"
	fake_wait
	fake_assert_transcript '{TAG} CAPABILITY' '{TAG} NOOP' '{TAG} LOGOUT'
}

@test "badinput: unknown and ambiguous commands, in both forms" {
	hx_fake_run h-noop <<'EOF'
frobnicate 1 2
fetchx 1 (FLAGS)
s INBOX
M.frobnicate('x')
typ, data = M.nosuch()
noop
EOF
	bad_lines 5
	assert_output_contains "error: unknown command 'frobnicate'"
	assert_output_contains "did you mean fetch?"
	assert_output_contains "error: ambiguous command 's': could be "
}

@test "badinput: wrong argument counts and keywords: the error and the usage" {
	hx_fake_run h-noop <<'EOF'
noop 1
fetch 1
select a b c
M.fetch('1')
store 1 +FLAGS
M.select(mailbox='INBOX', bogus=1)
noop
EOF
	bad_lines 6
	assert_output_contains "error: noop() takes 0 positional arguments but 1 was given"
	assert_output_contains "error: fetch() missing 1 required positional argument: 'message_parts'"
	assert_output_contains "error: select() takes from 0 to 2 positional arguments but 3 were given"
	assert_output_contains "error: select() got an unexpected keyword argument 'bogus'"
	# Each error is followed by the command's usage, and nothing else.
	assert_equal 12 "$(grep -c . <<<"$ERR")"
	assert_err_lines 6 "usage: "
}

@test "badinput: unbalanced parentheses, brackets and quotes" {
	hx_fake_run h-noop <<'EOF'
fetch 1 (FLAGS
fetch 1 FLAGS)
fetch 1 (BODY[TEXT)
fetch 1 BODY[TEXT
search None "FROM
search None 'FROM x
M.fetch('1, '(FLAGS)')
M.search(None, "FROM)
noop
EOF
	bad_lines 8
	assert_output_contains "error: unbalanced parenthesis"
	assert_output_contains "error: unbalanced bracket"
	assert_output_contains "error: unterminated quote"
}

@test "badinput: bad sequence sets go as typed; the server's BAD is one error line" {
	hx_fake_run h-bad-seqset <<'EOF'
select
fetch 1:x,,3 (FLAGS)
fetch 0 (FLAGS)
store *:-1 +FLAGS (\Seen)
noop
EOF
	assert_failure 1
	assert_equal "('OK', [b'2'])
('OK', [b'NOOP completed.'])" "$OUT"
	assert_err_lines 3 "error: "
	assert_output_contains "error: FETCH command error: BAD [b'Error in IMAP command FETCH: Invalid messageset (0.001 + 0.000 secs).']"
	assert_output_contains "error: STORE command error: BAD"
	fake_wait
	fake_assert_transcript '{TAG} CAPABILITY' '{TAG} SELECT INBOX' \
	    '{TAG} FETCH 1:x,,3 (FLAGS)' '{TAG} FETCH 0 (FLAGS)' \
	    '{TAG} STORE *:-1 +FLAGS (\Seen)' '{TAG} NOOP' '{TAG} LOGOUT'
}

@test "badinput: CR, LF or NUL in an argument: refused, nothing sent" {
	# Escapes in the call form, and a raw CR typed in the shell form.
	printf '%s\n' \
	    "M.select('IN\\rBOX')" \
	    "M.xatom('NOOP', 'a\\r\\nA1 LOGOUT')" \
	    "M.status('INBOX', '(MESSAGES\\x00)')" \
	    "M.search(None, b'FROM\\nx')" \
	    $'xatom NOOP x\rA1 LOGOUT' \
	    $'status INBOX (MESSAGES\rX)' \
	    $'raw NOOP\rX1 LOGOUT' \
	    noop >"$BATS_TEST_TMPDIR/in"
	hx_fake_run h-noop <"$BATS_TEST_TMPDIR/in"
	bad_lines 7
	assert_output_contains "line break or NUL"
}

@test "badinput: a NUL byte typed in a line: refused, nothing sent" {
	# Not cut at the NUL: "select IN" is not what was typed.
	printf 'select IN\0BOX\nnoop\n' >"$BATS_TEST_TMPDIR/in"
	hx_fake_run h-noop <"$BATS_TEST_TMPDIR/in"
	bad_lines 1
	assert_output_contains "NUL"
}

@test "badinput: a NUL byte in an inline message: append refused, the next line runs" {
	# IMAP cannot carry a NUL in a literal; cutting the line at it would
	# store another message than the one given.
	printf 'append INBOX None None <<EOM\nSubject: x\n\na\0b\nEOM\nnoop\n' \
	    >"$BATS_TEST_TMPDIR/in"
	hx_fake_run h-noop <"$BATS_TEST_TMPDIR/in"
	bad_lines 1
	assert_output_contains "NUL"
}

@test "badinput: a missing, a directory or an unreadable APPEND file: one error, nothing sent" {
	local dir=$BATS_TEST_TMPDIR n=2
	mkdir "$dir/adir"
	printf 'Subject: x\r\n\r\nsecret\r\n' >"$dir/unreadable.eml"
	chmod 000 "$dir/unreadable.eml"
	{
		echo "append INBOX None None <$dir/no-such-file.eml"
		echo "append INBOX None None <$dir/adir"
		# root reads any file: the case only means something otherwise
		if [ "$(id -u)" -ne 0 ]; then
			echo "append INBOX None None <$dir/unreadable.eml"
			n=3
		fi
		echo noop
	} >"$dir/in"
	hx_fake_run h-noop <"$dir/in"
	assert_failure 1
	assert_err_lines "$n" "error: append: "
	assert_output_contains "no-such-file.eml: No such file or directory"
	assert_output_contains "adir: Is a directory"
	assert_equal "('OK', [b'NOOP completed.'])" "$OUT"
	fake_wait
	fake_assert_transcript '{TAG} CAPABILITY' '{TAG} NOOP' '{TAG} LOGOUT'
}

@test "badinput: an inline message without its end tag: nothing appended" {
	hx_fake_run h-noop <<'EOF'
noop
append INBOX None None <<EOM
Subject: x

never ended
EOF
	assert_failure 2
	assert_err_lines 1 "error: input ended before the line 'EOM'"
	assert_equal "('OK', [b'NOOP completed.'])" "$OUT"
	fake_wait
	fake_assert_transcript '{TAG} CAPABILITY' '{TAG} NOOP' '{TAG} LOGOUT'
}

@test "badinput: debug 99 inside a session: one error, the session goes on" {
	hx_fake_run h-noop -c "debug 99" -c noop
	# A bad value: an error (1) or a usage error (2), either will do.
	[ "$status" -eq 1 ] || [ "$status" -eq 2 ] ||
	    _imapsh_fail "wrong exit status" status "$status" output "$output"
	assert_equal "line 1: error: debug: level must be 0 to 5, not '99'" "$ERR"
	assert_equal "('OK', [b'NOOP completed.'])" "$OUT"
	fake_wait
	fake_assert_transcript '{TAG} CAPABILITY' '{TAG} NOOP' '{TAG} LOGOUT'
}

@test "badinput: -d 99, a bad port, bad URLs on the command line: exit 2, a clear first line, no connection" {
	fake_start h-noop --timeout 2
	local args first
	while IFS= read -r args; do
		eval "set -- $args"
		hx_run -t 2 -c noop "$@" </dev/null
		assert_failure 2
		first=$(head -n 1 <<<"$ERR")
		[[ $first == imapsh:* ]] ||
		    _imapsh_fail "no clear first line" args "$args" stderr "$ERR"
		assert_equal "" "$OUT"
	done <<EOF
-d 99 127.0.0.1 $FAKE_PORT
127.0.0.1 99999
127.0.0.1 0
127.0.0.1 ${FAKE_PORT}x
'imaps://[::1'
'imaps://[127.0.0.1]x:$FAKE_PORT'
imap://
foo://127.0.0.1:$FAKE_PORT
imap+notls://127.0.0.1:99999
imap+notls://127.0.0.1:$FAKE_PORT:$FAKE_PORT
EOF
	fake_assert_no_connection
}

@test "badinput: a percent-encoded NUL in the URL's user: refused, no LOGIN for a cut name" {
	fake_start h-login --timeout 1.5
	IMAPSH_PASSWORD=pw hx_run -t 2 -c login \
	    "imap+notls://alice%00admin@127.0.0.1:$FAKE_PORT"
	[[ $ERR == imapsh:* ]] ||
	    _imapsh_fail "no clear error" status "$status" stderr "$ERR" \
	    sent "$(cat -v "$FAKE_TRANSCRIPT")"
	assert_failure 2
	fake_assert_no_connection
}

@test "badinput: connect with a bad port: one clear error, the session goes on" {
	hx_fake_run h-noop -c "connect 127.0.0.1 99999" -c noop
	assert_failure 2
	assert_err_lines 1 "error: "
	assert_output_contains "99999"
	# The port is wrong before any network: nothing was tried.
	refute_output_contains "connection refused"
	assert_equal "('OK', [b'NOOP completed.'])" "$OUT"
	fake_wait
	fake_assert_transcript '{TAG} CAPABILITY' '{TAG} NOOP' '{TAG} LOGOUT'
}
