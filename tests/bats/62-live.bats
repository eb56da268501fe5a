#!/usr/bin/env bats
# A FETCH's value printed as it arrives.  imapsh formats a FETCH's value
# as its responses come, big literals piece by piece and not kept.  When
# standard output is a regular file or /dev/null it writes it there at
# once, and takes it back (truncates the file) if the command does not end
# OK; elsewhere (a pipe, a file open for appending) it holds the formatted
# value in a stage until the tagged reply (imapsh(1), "Output").  What the
# file holds must be exactly what a pipe gets.  A -d 4 trace says "FETCH
# data printed as it comes (the output can be taken back)" or "(held until
# the tagged reply)", and "literal printed as it comes" for a literal that
# was not kept; the tests check these, so that a comparison of two runs
# on the same path cannot pass for one of each.

load helper
load e2e-helper
load ../fake/fake
load hostile-helper

bats_require_minimum_version 1.5.0

LIVE_NOTE="FETCH data printed as it comes (the output can be taken back)"
HELD_NOTE="FETCH data printed as it comes (held until the tagged reply)"
LIT_NOTE="literal printed as it comes"

teardown()
{
	fake_stop
}

# A message of about size bytes: headers, then numbered lines with
# quotes, a backslash and an 8-bit byte.
big_message()
{
	python3 - "$1" "$2" <<-'PY'
	import sys
	path, size = sys.argv[1], int(sys.argv[2])
	head = (b"From: live@example.org\r\nTo: test@example.org\r\n"
	        b"Subject: printed as it comes\r\n\r\n")
	out, n = [head], len(head)
	i = 0
	while n < size:
	    line = b"%07d it's \"quoted\" \\ \xe9 " % i + b"x" * (i % 90) + b"\r\n"
	    out.append(line)
	    n += len(line)
	    i += 1
	open(path, "wb").write(b"".join(out))
	PY
}

# Times in Dovecot's replies differ from run to run.
untimed()
{
	sed -E 's/ \([0-9]+\.[0-9]+( \+ [0-9]+\.[0-9]+)* secs\)/ (T secs)/g' "$1"
}

# live_vs_pipe ARGS...: run imapsh with stdout a file (and -d 4 to a file
# of its own), then with stdout a pipe, each reading the file SCRIPT (if
# set) as its script; the outputs must be the same, the exit statuses
# too, and the first run must have printed live.
live_vs_pipe()
{
	local d=$BATS_TEST_TMPDIR rc1=0 rc2=0 in=${SCRIPT:-/dev/null}

	imapsh_run -d 4 "$@" <"$in" >"$d/live.out" 2>"$d/live.err" || rc1=$?
	imapsh_run "$@" <"$in" 2>"$d/pipe.err" | cat >"$d/pipe.out"
	rc2=${PIPESTATUS[0]}
	assert_equal "$rc2" "$rc1"
	grep -q "$LIVE_NOTE" "$d/live.err" ||
	    _imapsh_fail "the run to a file did not print live" \
	    trace "$(tail -n 20 "$d/live.err")"
	if ! cmp -s <(untimed "$d/live.out") <(untimed "$d/pipe.out"); then
		_imapsh_fail "output to a file differs from output to a pipe" \
		    diff "$(diff <(untimed "$d/live.out") \
		    <(untimed "$d/pipe.out") | head -c 3000)"
		return 1
	fi
	LIVE_RC=$rc1
}

# Select once, so that the runs compared see no \Recent (the first does).
selected_once()
{
	ish_c 'select INBOX' >/dev/null
}

# to_null ARGS...: imapsh with stdout /dev/null; stderr to stdout.
to_null()
{
	imapsh_run "$@" 2>&1 >/dev/null
}

@test "live: fetch to a file is byte for byte what a pipe gets" {
	deliver 12
	big_message "$BATS_TEST_TMPDIR/big.eml" 3000000
	deliver_file "$BATS_TEST_TMPDIR/big.eml"
	deliver 6
	selected_once
	live_vs_pipe -c "login $USER_NAME $USER_PASS" -c "select INBOX" \
	    -c "fetch 1:* (FLAGS BODY.PEEK[])" \
	    -c "uid fetch 1:* (BODY.PEEK[HEADER] BODY.PEEK[TEXT])" \
	    -c "fetch 13 (BODY.PEEK[]<0.100>)" -c "fetch 2 (FLAGS)" \
	    -c "fetch 99 (FLAGS)" \
	    "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT"
	# fetch 99: BAD, an error; the rest went on.
	assert_equal 1 "$LIVE_RC"
	grep -q "$LIT_NOTE" "$BATS_TEST_TMPDIR/live.err" ||
	    _imapsh_fail "no literal went without a spool"
	local out=$BATS_TEST_TMPDIR/live.out
	grep -q "^('OK', \[b'2 (FLAGS (\\\\\\\\Seen))'\])\$" "$out" ||
	    _imapsh_fail "the one-line result of fetch 2 (FLAGS) is not there" \
	    tail "$(tail -c 500 "$out")"
	[ "$(grep -c "^('OK',\$" "$out")" -eq 3 ] ||
	    _imapsh_fail "expected three values laid out over lines"
}

@test "live: a script's pipelined fetches to a file, as to a pipe" {
	deliver 8
	big_message "$BATS_TEST_TMPDIR/big.eml" 700000
	deliver_file "$BATS_TEST_TMPDIR/big.eml"
	selected_once
	printf '%s\n' "login $USER_NAME $USER_PASS" 'select INBOX' \
	    'fetch 1:4 (BODY.PEEK[])' 'fetch 9 (BODY.PEEK[])' \
	    'fetch 5:8 (BODY.PEEK[])' 'uid fetch 9 (UID)' \
	    >"$BATS_TEST_TMPDIR/script"
	SCRIPT=$BATS_TEST_TMPDIR/script live_vs_pipe "$IMAPSH_TEST_HOST" \
	    "$IMAPSH_TEST_PORT"
	assert_equal 0 "$LIVE_RC"
	grep -q "was sent ahead" "$BATS_TEST_TMPDIR/live.err" ||
	    _imapsh_fail "the script was not pipelined"
}

@test "live: /dev/null prints live; exit statuses are kept" {
	big_message "$BATS_TEST_TMPDIR/big.eml" 500000
	deliver_file "$BATS_TEST_TMPDIR/big.eml"
	run -0 to_null -d 4 -c "login $USER_NAME $USER_PASS" \
	    -c "select INBOX" -c "fetch 1 (BODY.PEEK[])" \
	    "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT"
	assert_output_contains "$LIVE_NOTE"
	assert_output_contains "$LIT_NOTE"
	run -1 to_null -e -d 4 -c "login $USER_NAME $USER_PASS" \
	    -c "select INBOX" -c "fetch 1 (BODY.PEEK[])" -c "fetch 7 (FLAGS)" \
	    -c noop "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT"
	assert_output_contains "FETCH command error: BAD"
	# -e stopped there: no NOOP went out.
	refute_output_contains "NOOP"
}

@test "live: not for >> (a shared file) nor when stderr is the same file" {
	big_message "$BATS_TEST_TMPDIR/big.eml" 300000
	deliver_file "$BATS_TEST_TMPDIR/big.eml"
	local d=$BATS_TEST_TMPDIR
	local -a args=(-c "login $USER_NAME $USER_PASS" -c "select INBOX"
	    -c "fetch 1 (BODY.PEEK[])" "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT")
	echo "before" >"$d/append.out"
	imapsh_run -d 4 "${args[@]}" >>"$d/append.out" 2>"$d/append.err"
	! grep -qF "$LIVE_NOTE" "$d/append.err" ||
	    _imapsh_fail "printed live to a file open for appending"
	grep -qF "$HELD_NOTE" "$d/append.err" ||
	    _imapsh_fail "not held for a file open for appending"
	imapsh_run "${args[@]}" | cat >"$d/pipe.out"
	assert_equal "$(cat "$d/pipe.out")" "$(tail -n +2 "$d/append.out")"
	assert_equal "before" "$(head -n 1 "$d/append.out")"
	imapsh_run -d 4 "${args[@]}" >"$d/both.out" 2>&1
	! grep -qF "$LIVE_NOTE" "$d/both.out" ||
	    _imapsh_fail "printed live with stderr in the same file"
	grep -qF "$HELD_NOTE" "$d/both.out" ||
	    _imapsh_fail "not held with stderr in the same file"
	# The trace comes before the value it led to, not inside it.
	grep -q "^('OK',\$" "$d/both.out"
	[ "$(grep -n "^('OK',\$" "$d/both.out" | cut -d: -f1)" -gt \
	    "$(grep -n "read literal size" "$d/both.out" | tail -n 1 | cut -d: -f1)" ] ||
	    _imapsh_fail "trace lines inside the value"
}

@test "live: a FETCH that ends NO after data: taken back, as a pipe shows it" {
	fake_start fetch-no-after-data
	hx_run -t 2 -c select -c "fetch 1:2 (BODY[])" -c "fetch 2 (FLAGS)" \
	    127.0.0.1 "$FAKE_PORT"
	fake_wait
	assert_failure 1
	assert_equal "('NO', [b'Some messages could not be FETCHed (failure)'])" \
	    "$(sed -n 2p "$BATS_TEST_TMPDIR/hx.out")"
	# The data printed as it came was taken back; the next fetch returns
	# what imaplib kept, without the literal that was not kept.
	[ "$(grep -c "a line of the body" "$BATS_TEST_TMPDIR/hx.out")" -eq 0 ] ||
	    _imapsh_fail "the taken-back literal is still in the file"
	assert_file_contains "$BATS_TEST_TMPDIR/hx.out" \
	    "(b'1 (BODY[] {102400}', b''),"
	assert_file_contains "$BATS_TEST_TMPDIR/hx.out" "b'2 (FLAGS (\\\\Seen))'])"
	# Through a pipe the value was held, not printed, and the same.
	fake_start fetch-no-after-data
	run imapsh_run -t 2 -c select -c "fetch 1:2 (BODY[])" \
	    -c "fetch 2 (FLAGS)" 127.0.0.1 "$FAKE_PORT"
	fake_wait
	assert_failure 1
	assert_equal "$output" "$(cat "$BATS_TEST_TMPDIR/hx.out")"
}

@test "hostile: cut in a literal printed live: the PARTIAL data a pipe gets" {
	fake_start h-literal-cut-live
	hx_run -c select -c "fetch 1:2 (BODY[])" 127.0.0.1 "$FAKE_PORT"
	fake_wait
	assert_failure 3
	assert_output_contains "PARTIAL data above is incomplete"
	cp "$BATS_TEST_TMPDIR/hx.out" "$BATS_TEST_TMPDIR/live.out"
	fake_start h-literal-cut-live
	imapsh_run -t 2 -c select -c "fetch 1:2 (BODY[])" 127.0.0.1 \
	    "$FAKE_PORT" 2>/dev/null | cat >"$BATS_TEST_TMPDIR/pipe.out"
	fake_wait
	cmp "$BATS_TEST_TMPDIR/live.out" "$BATS_TEST_TMPDIR/pipe.out" ||
	    _imapsh_fail "the PARTIAL data differs" \
	    live "$(head -c 300 "$BATS_TEST_TMPDIR/live.out")" \
	    pipe "$(head -c 300 "$BATS_TEST_TMPDIR/pipe.out")"
	assert_equal "('PARTIAL'," "$(sed -n 2p "$BATS_TEST_TMPDIR/live.out")"
	# Every byte that came: 150,000 of the second literal.
	python3 - "$BATS_TEST_TMPDIR/live.out" <<-'PY'
	import ast, sys
	text = open(sys.argv[1], encoding="latin-1").read().split("\n", 1)[1]
	typ, data = ast.literal_eval(text)
	assert typ == "PARTIAL", typ
	assert len(data) == 3 and data[1] == b")", data[1:2]
	assert len(data[0][1]) == 2000 and len(data[2][1]) == 150000, \
	    (len(data[0][1]), len(data[2][1]))
	PY
}
