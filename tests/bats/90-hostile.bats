#!/usr/bin/env bats
# Hostile servers: framing tricks, lying literals, disconnects, silence,
# terminal escapes, floods, and the quirks of real servers that must be
# accepted.  Every case plays a scenario of the fake server
# (tests/fake/scenarios/h-*.txt) against imapsh -t 2, and every run goes
# through hx_run (hostile-helper.bash), which fails the test if imapsh
# crashed, hung, or wrote a raw ESC, C1 CSI, BEL or U+202E to either
# output.  Where the wire matters, the client's transcript is compared
# exactly.
#
# Expected results are imaplib's where imaplib has one (an unexpected
# response is an abort, exit 3), and otherwise what imapsh(1) promises.

load helper
load ../fake/fake
load hostile-helper

setup()
{
	# The fake needs no Dovecot user; the certificates come from tests/run.
	[ -n "${IMAPSH_TEST_CERTS-}" ] || {
		echo "IMAPSH_TEST_CERTS not set: run the tests with tests/run" >&2
		return 1
	}
}

teardown()
{
	fake_stop
}

# --- framing ------------------------------------------------------------

@test "hostile: EOF during the greeting: exit 3, nothing sent" {
	hx_fake_run h-greeting-eof -c noop
	assert_failure 3
	assert_output "abort: connection closed by server during greeting"
	fake_wait
	fake_assert_transcript
}

@test "hostile: a garbage greeting: exit 3, shown escaped, nothing sent" {
	hx_fake_run h-greeting-garbage -c noop
	assert_failure 3
	assert_output "abort: unexpected response: b'HTTP/1.1 400 Bad Request\\x1b[2J\\x1b]0;pwned\\x07\\x9b31m' (while waiting for the greeting)"
	fake_wait
	fake_assert_transcript
}

@test "hostile: a tagged greeting: exit 3, nothing sent" {
	hx_fake_run h-greeting-tagged -c noop
	assert_failure 3
	assert_output "abort: unexpected response: b'A001 OK [CAPABILITY IMAP4rev1] ready' (while waiting for the greeting)"
	fake_wait
	fake_assert_transcript
}

@test "hostile: a BYE greeting with escapes: refused, exit 3, escaped, nothing sent" {
	hx_fake_run h-greeting-bye -d 4 -c noop
	assert_failure 3
	[[ $ERR == *"abort: server refused the connection: "*"go away"* ]] ||
	    _imapsh_fail "no refusal" stderr "$ERR"
	assert_output_contains "< b'* BYE [UNAVAILABLE] \\x1b]52;c;?\\x07\\x1b[2J\\x9b2J\\xc2\\x9b2J go away \\xe2\\x80\\xae yllaer'"
	fake_wait
	fake_assert_transcript
}

@test "hostile: bare LF line ends are accepted, results exact" {
	hx_fake_run h-bare-lf -d 3 -c capability -c select
	assert_success
	assert_equal "('OK', [b'IMAP4rev1 LFCAP'])
('OK', [b'7'])" "$OUT"
	fake_wait
	fake_assert_transcript '{TAG} CAPABILITY' '{TAG} CAPABILITY' \
	    '{TAG} SELECT INBOX' '{TAG} LOGOUT'
}

@test "hostile: a 2 MB line without an end: imaplib's error at once, bounded memory" {
	# -t 5 (the last -t wins): the limit must stop it long before.
	hx_fake_run h-long-line -t 5 -c noop -c noop
	assert_failure 3
	assert_err_lines 1 "error: command: NOOP => got more than 1000000 bytes"
	assert_err_lines 1 "abort: not connected"
	assert_took_less 4000
	assert_rss_below 16384
	fake_assert_transcript '{TAG} CAPABILITY' '{TAG} NOOP'
}

@test "hostile: NUL and {5} inside quoted strings are text, not literals" {
	hx_fake_run h-quoted -c list -c noop
	assert_success
	assert_equal "('OK',
 [b'() \"/\" \"a\\x00b\"',
  b'() \"/\" \"x {5}\"',
  b'() \"/\" \"q\\\\\"{5}\"',
  b'() \"/\" \"open {3}'])
('OK', [b'NOOP completed.'])" "$OUT"
	fake_wait
}

@test "hostile: negative, empty and non-numeric literal sizes are text" {
	hx_fake_run h-literal-not-sizes -c noop -c "response OK" -c noop
	assert_success
	assert_equal "('OK', [b'NOOP completed.'])
('OK', [b'negative {-5}', b'empty {}', b'letters {abc}'])
('OK', [b'still in step'])" "$OUT"
	fake_wait
}

@test "hostile: a 20-digit and a 2^63 literal size: protocol error, exit 3" {
	local sc
	for sc in h-literal-20-digits h-literal-2p63; do
		hx_fake_run "$sc" -c noop
		assert_failure 3
		assert_equal "line 1: abort: command: NOOP => protocol error: literal size too large" "$ERR"
		fake_wait
	done
}

@test "hostile: 10,000 nested parentheses: depth limit, no stack overflow" {
	hx_fake_run h-deep-parens -c noop
	assert_failure 3
	assert_equal "line 1: abort: command: NOOP => protocol error: nesting too deep" "$ERR"
	fake_wait
}

@test "hostile: a tagged reply with an unknown tag: abort, exit 3, escaped" {
	hx_fake_run h-unknown-tag -c noop -c noop
	assert_failure 3
	assert_err_lines 1 "abort: command: NOOP => unexpected response: b'ZZZZ9 OK \\\\x1b\\[2Jwho are you'"
	fake_wait
	fake_assert_transcript '{TAG} CAPABILITY' '{TAG} NOOP'
}

@test "hostile: a duplicated tagged reply: the second aborts the next command" {
	hx_fake_run h-duplicate-tag -c noop -c noop
	assert_failure 3
	assert_equal "('OK', [b'NOOP completed.'])" "$OUT"
	[[ $ERR == "line 2: abort: command: NOOP => unexpected tagged response: b'"*" OK NOOP completed again.'" ]] ||
	    _imapsh_fail "wrong abort" stderr "$ERR"
	fake_wait
}

@test "hostile: a tagged reply to a command not yet sent is not taken as a reply" {
	hx_fake_run h-early-tag -c noop -c noop
	assert_failure 3
	refute_output_contains "('OK'"
	[[ $ERR == "line 1: abort: command: NOOP => unexpected tagged response: b'"*"2 OK [READ-WRITE] SELECT completed.'"* ]] ||
	    _imapsh_fail "wrong abort" stderr "$ERR"
	fake_wait
}

@test "hostile: responses one byte per write give the same result" {
	hx_fake_run h-split -c select -c "response UIDVALIDITY"
	assert_success
	assert_equal "('OK', [b'3'])
('UIDVALIDITY', [b'42'])" "$OUT"
	fake_wait
}

# --- literals -----------------------------------------------------------

@test "hostile: {0} literals give empty bytes" {
	hx_fake_run h-literal-zero -c select -c "fetch 1 (BODY[HEADER] BODY[TEXT])"
	assert_success
	assert_equal "('OK', [b'1'])
('OK', [(b'1 (BODY[HEADER] {0}', b''), (b' BODY[TEXT] {0}', b''), b')'])" "$OUT"
	fake_wait
}

# The literal cases run twice: standard output a file (FETCH data printed
# as it comes, big literals never spooled) and a pipe (spooled).

@test "hostile: a literal that claims 2^63-1 bytes, then EOF: bounded, partial data shown" {
	local HX_STDOUT
	for HX_STDOUT in file pipe; do
		hx_fake_run h-literal-huge -c select -c "fetch 1 (BODY[])" -c noop
		assert_failure 3
		assert_rss_below 32768
		assert_line 0 "('OK', [b'1'])"
		assert_output_contains "command: FETCH => socket error: EOF"
		# The 22 bytes that did arrive are shown, and said to be partial.
		assert_output_contains "begin"
		assert_output_contains "('PARTIAL',"
		assert_output_matches "[Pp]artial|[Ii]ncomplete|[Tt]runcated"
		fake_wait
	done
}

@test "hostile: a literal shorter than announced, then EOF: partial data shown" {
	local HX_STDOUT
	for HX_STDOUT in file pipe; do
		hx_fake_run h-literal-short -c select -c "fetch 1 (BODY[])"
		assert_failure 3
		assert_line 0 "('OK', [b'1'])"
		assert_output_contains "command: FETCH => socket error: EOF"
		assert_output_contains "Subject: lunch"
		assert_output_contains "see you at"
		assert_output_matches "[Pp]artial|[Ii]ncomplete|[Tt]runcated"
		fake_wait
	done
}

@test "hostile: literal data holding tagged OK, + and * BYE lines is data" {
	hx_fake_run h-literal-protocol-text -c select \
	    -c "fetch 1 (BODY[HEADER] BODY[TEXT])" -c noop
	assert_success
	local tag
	tag=$(grep -o '^[A-P]\{4\}' "$FAKE_TRANSCRIPT" | head -n 1)
	assert_equal "('OK', [b'1'])
('OK',
 [(b'1 (BODY[HEADER] {40}', b'${tag}2 OK [READ-WRITE] fake\\r\\n+ go ahead\\r\\n'),
  (b' BODY[TEXT] {36}', b'* BYE not really\\r\\nA001 OK nope\\r\\n+ \\r\\n'),
  b')'])
('OK', [b'NOOP completed.'])" "$OUT"
	fake_wait
}

@test "hostile: several literals in one FETCH, exact" {
	hx_fake_run h-literal-several -c select \
	    -c "fetch 1 (FLAGS BODY[HEADER] BODY[TEXT] BODY[1])"
	assert_success
	assert_equal "('OK', [b'1'])
('OK',
 [(b'1 (FLAGS (\\\\Seen) BODY[HEADER] {18}', b'Subject: three\\r\\n\\r\\n'),
  (b' BODY[TEXT] {6}', b'one{5}'),
  (b' BODY[1] {1}', b'x'),
  b' UID 9)'])" "$OUT"
	fake_wait
}

@test "hostile: NO instead of + to APPEND: the literal is not sent" {
	hx_fake_run h-append-no <<'EOF'
append INBOX None None <<EOM
Subject: x

hello
EOM
noop
EOF
	assert_failure 1
	assert_equal "('NO', [b'[OVERQUOTA] \\x1b[2JQuota exceeded\\x07'])
('OK', [b'NOOP completed.'])" "$OUT"
	fake_wait
	fake_assert_transcript '{TAG} CAPABILITY' '{TAG} APPEND INBOX {21}' \
	    '{TAG} NOOP' '{TAG} LOGOUT'
}

# --- STARTTLS and authentication extras -----------------------------------

@test "hostile: an [ALERT] with escapes in cleartext: forgotten after STARTTLS, escaped in the trace" {
	hx_fake_run h-alert-cleartext --cafile "$IMAPSH_TEST_CA" -d 4 \
	    -c starttls -c "response ALERT" -c "login user secret"
	assert_success
	assert_equal "('OK', [None])
('ALERT', [None])
('OK', [b'Logged in'])" "$OUT"
	assert_output_contains "< b'* OK [ALERT] \\x1b[31mACCOUNT LOCKED\\x1b[0m call \\xe2\\x80\\xae 0010 555 1+\\x07\\x9b2J'"
	fake_wait
}

@test "hostile: a REFERRAL is never followed" {
	local sc port2
	# A second listener, the referral's target: it must see nobody.
	fake_start h-greeting-eof --timeout 1.5
	port2=$FAKE_PORT
	local pid2=$FAKE_PID log2=$FAKE_LOG status2=$FAKE_STATUS_FILE
	sc=$(hx_scenario h-referral "s/@PORT2@/$port2/g")
	hx_fake_run "$sc" -c "login user secret" -c "login user2 secret" \
	    -c select -c "response REFERRAL"
	assert_failure 1
	assert_equal "('OK', [b'Logged in'])
('OK', [b'0'])
('REFERRAL', [b'imap://127.0.0.1:$port2/INBOX'])" "$OUT"
	[[ $ERR == "line 1: error: b'[REFERRAL imap://user@127.0.0.1:$port2/] \\x1b]0;title\\x07Try that server'" ]] ||
	    _imapsh_fail "wrong error" stderr "$ERR"
	fake_wait
	FAKE_PID=$pid2 FAKE_LOG=$log2 FAKE_STATUS_FILE=$status2
	fake_assert_no_connection
}

@test "hostile: WEBALERT URLs and ALERT text are data, shown escaped" {
	hx_fake_run h-webalert -d 4 -c "login user secret" \
	    -c "response WEBALERT" -c "response ALERT"
	assert_failure 1
	assert_equal "('WEBALERT',
 [b'https://evil.example/\\x1b]8;;https://phish.example/\\x07verify\\x1b]8;;\\x07?x=\\x9b2J'])
('ALERT', [b''])" "$OUT"
	assert_output_contains "error: b'[AUTHENTICATIONFAILED] \\x1b[8mhidden\\x1b[0m denied \\xe2\\x80\\xae'"
	fake_wait
}

# --- disconnects and silence -----------------------------------------------

@test "hostile: a reset mid-literal: partial data marked, reconnect works in the same script" {
	HX_FAKE_OPTS="--count 2" hx_fake_run h-reset-literal -c select -c "fetch 1 (BODY[])" \
	    -c reconnect -c select -c "fetch 1 (BODY[])"
	assert_failure 3
	# The session came back: the second select worked.
	[ "$(grep -c "^('OK', \[b'1'\])$" <<<"$OUT")" -eq 2 ] ||
	    _imapsh_fail "reconnect did not give a working session" output "$output"
	[ "$(grep -c "abort: command: FETCH => socket error: connection reset" <<<"$ERR")" -eq 2 ] ||
	    _imapsh_fail "the reset was not reported twice" stderr "$ERR"
	# What arrived before the reset is shown, and said to be partial.
	assert_output_contains "see you at"
	assert_output_matches "[Pp]artial|[Ii]ncomplete|[Tt]runcated"
	fake_wait
}

@test "hostile: silence after the greeting: timeout after -t 2, exit 3" {
	hx_fake_run h-silent-after-greeting -c noop
	assert_failure 3
	assert_output "abort: command: CAPABILITY => socket error: timed out after 2 seconds waiting for the server"
	assert_took_more 1900
	assert_took_less 6000
	fake_assert_transcript '{TAG} CAPABILITY'
}

@test "hostile: silence in the middle of a response: timeout, exit 3" {
	hx_fake_run h-silent-mid-response -c select -c noop
	assert_failure 3
	assert_err_lines 1 "abort: command: SELECT => socket error: timed out after 2 seconds"
	assert_took_more 1900
	assert_took_less 6000
	fake_assert_transcript '{TAG} CAPABILITY' '{TAG} SELECT INBOX'
}

@test "hostile: silence after STARTTLS OK: timeout, nothing more in cleartext" {
	hx_fake_run h-silent-after-starttls --cafile "$IMAPSH_TEST_CA" \
	    -c starttls -c "login user secret"
	assert_failure 3
	assert_err_lines 1 "abort: TLS handshake timed out after 2 seconds"
	assert_took_more 1900
	assert_took_less 6000
	# The transcript ends with the TLS ClientHello: no LOGIN in clear.
	"$HX_PY" - "$FAKE_TRANSCRIPT" <<'EOF'
import re, sys
data = open(sys.argv[1], "rb").read()
m = re.match(rb"[A-P]{4}0 CAPABILITY\r\n[A-P]{4}1 STARTTLS\r\n", data)
rest = data[m.end():] if m else data
if not m or (rest and rest[0] != 0x16) or b"LOGIN" in data or b"secret" in data:
    sys.exit("unexpected transcript: %r" % data[:200])
EOF
}

@test "hostile: repeated BYE: the first one aborts with its text, escaped" {
	hx_fake_run h-bye-repeated -c noop -c noop
	assert_failure 3
	assert_equal "line 1: abort: command: NOOP => first \\x1b[2Jgoodbye
line 2: abort: not connected: use 'connect HOST [PORT]' or 'reconnect'" "$ERR"
	fake_wait
	fake_assert_transcript '{TAG} CAPABILITY' '{TAG} NOOP'
}

@test "hostile: a tagged BYE to LOGOUT is the result, exit 0" {
	hx_fake_run h-logout-tagged-bye -c logout
	assert_success
	assert_equal "('BYE', [b'logging out'])" "$OUT"
	assert_equal "" "$ERR"
	fake_wait
	fake_assert_transcript '{TAG} CAPABILITY' '{TAG} LOGOUT'
}

# --- child processes (-s) ---------------------------------------------------

# hx_stdio_script CMD: run imapsh -t 2 -s CMD with a script of "noop",
# a pause (the child ends), "noop" (imapsh finds out), and a pause in
# which imapsh's children are looked at: sets status, OUT, ERR and
# HX_ZOMBIES (imapsh's children in state Z, as "pid Z" lines).
hx_stdio_script()
{
	local dir=$BATS_TEST_TMPDIR fifo=$BATS_TEST_TMPDIR/in.fifo pid i
	local runner wfd

	rm -f "$fifo" "$dir/hx.status"
	mkfifo "$fifo"
	HX_ZOMBIES=
	( hx_run -t 2 -s "$1" <"$fifo"; echo "$status" >"$dir/hx.status" ) &
	runner=$!
	exec {wfd}>"$fifo"
	echo noop >&"$wfd"
	pid=
	for ((i = 0; i < 100; i++)); do
		pid=$(pgrep -n -f "^$IMAPSH -t 2 -s" 2>/dev/null) && break
		sleep 0.02
	done
	sleep 0.6
	echo noop >&"$wfd"
	sleep 0.6
	if [ -n "$pid" ]; then
		HX_ZOMBIES=$(hx_children "$pid" | grep ' Z$' || true)
	else
		HX_ZOMBIES="(imapsh not found)"
	fi
	exec {wfd}>&-
	wait "$runner"
	status=$(cat "$dir/hx.status" 2>/dev/null || echo 99)
	OUT=$(<"$dir/hx.out")
	ERR=$(<"$dir/hx.err")
	output=$OUT${OUT:+${ERR:+$'\n'}}$ERR
}

@test "hostile: -s child that exits: reported with its status, exit 3, no zombie" {
	fake_stdio h-stdio-dies
	hx_stdio_script "$FAKE_CMD; exit 7"
	assert_failure 3
	assert_equal "('OK', [b'NOOP completed.'])" "$OUT"
	[[ $ERR == *"exited with status 7"* ]] ||
	    _imapsh_fail "exit status not reported" stderr "$ERR"
	assert_equal "" "$HX_ZOMBIES"
	assert_terminal_safe "$BATS_TEST_TMPDIR/hx.out" "$BATS_TEST_TMPDIR/hx.err"
}

# hx_child BEFORE AFTER: a -s command line: one Python process (no shell
# left between imapsh and it) that runs BEFORE, greets with PREAUTH and
# runs AFTER (os, sys and time are imported).
hx_child()
{
	printf 'exec %q -c %q' "$HX_PY" "import os, sys, time; $1; os.write(1, b'* PREAUTH [CAPABILITY IMAP4rev1] hi\\r\\n'); $2"
}

@test "hostile: -s child that exits before greeting: its status is reported, exit 3" {
	hx_run -t 2 -s 'echo "imapd: cannot start" >&2; exit 7' -c noop
	assert_failure 3
	assert_output_contains "imapd: cannot start"
	assert_output_contains "exited with status 7"
}

@test "hostile: -s child that closes its stdout but runs on: reported, exit 3, no process left" {
	local marker=29.$$$RANDOM
	hx_run -t 2 -s "$(hx_child pass "os.close(1); time.sleep($marker)")" -c noop
	assert_failure 3
	assert_output_contains "socket error: EOF"
	assert_took_less 8000
	sleep 0.2
	! pgrep -f "sleep\\($marker\\)" >/dev/null ||
	    _imapsh_fail "the child still runs" ps "$(pgrep -af "sleep\\($marker\\)")"
}

@test "hostile: -s child that closes its stdin: 'stopped reading', exit 3, no process left" {
	local marker=28.$$$RANDOM
	hx_run -t 2 -s "$(hx_child "os.close(0)" "time.sleep($marker)")" -c noop
	assert_failure 3
	assert_output_contains "the command stopped reading"
	# It still runs: it did not close its output.
	refute_output_contains "closed its output"
	assert_took_less 8000
	sleep 0.2
	! pgrep -f "sleep\\($marker\\)" >/dev/null ||
	    _imapsh_fail "the child still runs" ps "$(pgrep -af "sleep\\($marker\\)")"
}

@test "hostile: -s child that never greets: the whole process group ends with imapsh" {
	local marker=27.$$$RANDOM
	# The shell starts a command of its own and waits: killing the
	# shell alone would orphan the sleep.
	hx_run -t 2 -s "sleep $marker & wait" -c noop
	assert_failure 3
	assert_output_contains "timed out"
	assert_took_less 8000
	sleep 0.2
	! pgrep -f "sleep $marker" >/dev/null ||
	    _imapsh_fail "a process of the command still runs" \
	    ps "$(pgrep -af "sleep $marker")"
}

@test "hostile: -s child that never reads a 1 MB APPEND: write timeout, exit 3" {
	head -c 1048576 /dev/zero | tr '\0' 'x' | fold -w 76 \
	    >"$BATS_TEST_TMPDIR/big.eml"
	fake_stdio h-stdio-no-read
	hx_run -t 2 -s "$FAKE_CMD" \
	    -c "append INBOX None None <$BATS_TEST_TMPDIR/big.eml"
	assert_failure 3
	assert_output_contains "timed out"
	assert_took_more 1900
	assert_took_less 9000
}

# --- output safety ------------------------------------------------------------

@test "hostile: terminal escapes everywhere, -d 4: nothing raw on stdout or stderr" {
	hx_fake_run h-escapes -d 4 -c select -c list \
	    -c "fetch 1 (FLAGS ENVELOPE BODY[])" -c "status INBOX (MESSAGES)" \
	    -c "response ALERT" -c noop
	assert_failure 3
	# Everything arrived and is shown, escaped.
	assert_output_contains "('OK', [b'1'])"
	assert_output_contains "b'() \"/\" \"\\x1b]0;title\\x07INBOX\"'"
	assert_output_contains "b'\\x1b[2J\\xe2\\x80\\xaeabc\\x07'"
	assert_output_contains "\\x1b]0;subject\\x07 \\xe2\\x80\\xae tcejbus \\xc2\\x9b2J"
	assert_output_contains "b'Subject: \\x1b[2J\\x1b]52;c;?\\x07\\r\\n"
	assert_output_contains "error: STATUS command error: BAD [b'\\x1b[2J\\x1b]0;bad\\x07 Error \\xe2\\x80\\xae in \\x9b STATUS']"
	# As imaplib: the text after "[ALERT]" is not the code's data.
	assert_output_contains "('ALERT', [b''])"
	assert_output_contains "< b'* OK [ALERT] \\x1b]52;c;?\\x07 clipboard \\x1b[2J \\xc2\\x9b \\xe2\\x80\\xae'"
	assert_output_contains "abort: command: NOOP => "
	assert_output_contains "< b'* PREAUTH [CAPABILITY IMAP4rev1] \\x1b]0;pwned\\x07"
	fake_wait
}

@test "hostile: terminal escapes in the greeting, raw's lines and a BYE at a terminal: escaped" {
	fake_start h-escapes-tty
	local log=$BATS_TEST_TMPDIR/tty.log
	# A pseudo-terminal, so that imapsh runs its interactive shell and
	# prints the greeting; TERM=dumb keeps libedit's own sequences out.
	# NO_COLOR: imapsh's own colours are not the server's escapes.
	printf 'raw NOOP\nnoop\n' | NO_COLOR=1 TERM=dumb IMAPSH_HISTFILE= timeout -k 5 "$HX_LIMIT" \
	    script -qec "$IMAPSH -t 2 127.0.0.1 $FAKE_PORT" /dev/null >"$log" 2>&1 ||
	    true
	assert_terminal_safe "$log"
	grep -q 'hello' "$log" ||
	    _imapsh_fail "the greeting was not shown" tty "$(cat -v "$log")"
	grep -q 'raw line' "$log" ||
	    _imapsh_fail "raw's lines were not shown" tty "$(cat -v "$log")"
	grep -q 'shutting down' "$log" ||
	    _imapsh_fail "the BYE was not shown" tty "$(cat -v "$log")"
	fake_wait
}

@test "hostile: terminal escapes with --format json: \\u escapes, nothing raw" {
	if ! "$IMAPSH" -n --format json -c help >/dev/null 2>&1; then
		skip "no --format json in this imapsh"
	fi
	# hx_run fails on a raw U+202E or U+009B (C2 9B) as on ESC: JSON can
	# and must carry them as \u escapes.
	hx_fake_run h-escapes --format json -c select -c list \
	    -c "fetch 1 (FLAGS ENVELOPE BODY[])" -c "status INBOX (MESSAGES)" \
	    -c noop
	assert_failure 3
	"$HX_PY" - "$BATS_TEST_TMPDIR/hx.out" <<'PY'
import json, sys
for n, line in enumerate(open(sys.argv[1], "rb"), 1):
    json.loads(line)
if n != 5:
    sys.exit("want 5 JSON lines, got %d" % n)
PY
	fake_wait
}

# --- quirks of real servers ---------------------------------------------------

@test "quirk: Exchange's [base64] greeting, Gmail's ] in flags, trailing spaces: accepted" {
	hx_fake_run h-quirks -d 3 -c capability -c "login user secret" \
	    -c select -c "fetch 1 (FLAGS)" -c "search None ALL" \
	    -c "status INBOX (MESSAGES)" -c "response PERMANENTFLAGS"
	assert_success
	assert_equal "('OK', [b'IMAP4rev1 AUTH=PLAIN ID   '])
('OK', [b'LOGIN completed.'])
('OK', [b'3'])
('OK', [b'1 (FLAGS (\\\\Seen [Gmail]/Important \$Label]x))'])
('OK', [b'1 2 3   '])
('OK', [b'INBOX (MESSAGES 3)  '])
('PERMANENTFLAGS',
 [b'(\\\\Answered \\\\Flagged \\\\Draft \\\\Deleted \\\\Seen \$NotPhishing [Gmail]/Important \\\\*)'])" "$OUT"
	# The capabilities have no empty word from the trailing spaces.
	assert_output_contains "CAPABILITIES: ('IMAP4REV1', 'AUTH=PLAIN', 'ID')"
	fake_wait
}

@test "quirk: * ID NIL and * ID () are accepted" {
	hx_fake_run h-id-nil -c "xatom ID NIL" -c "response ID" \
	    -c "xatom ID NIL" -c "response ID"
	assert_success
	assert_equal "('OK', [b'ID completed.'])
('ID', [b'NIL'])
('OK', [b'ID completed.'])
('ID', [b'()'])" "$OUT"
	fake_wait
}

@test "quirk: bare +, untagged data before + and around IDLE's + idling" {
	if ! "$IMAPSH" -n -c 'help idle' >/dev/null 2>&1; then
		skip "idle not implemented yet"
	fi
	hx_fake_run h-continuations <<'EOF'
select
idle 1
response EXISTS
append INBOX None None <<EOM
Subject: x

hello
EOM
response EXISTS
EOF
	assert_success
	assert_equal "('OK', [b'1'])
('EXISTS', [b'2'])
('RECENT', [b'1'])
('EXISTS', [b'3'])
('EXISTS', [b'4'])
('OK', [b'IDLE terminated'])
('EXISTS', [b'1', b'2', b'3', b'4'])
('OK', [b'[APPENDUID 1 6] APPEND completed'])
('EXISTS', [b'5', b'6'])" "$OUT"
	fake_wait
}

# --- memory -------------------------------------------------------------------

@test "hostile: 200,000 untagged responses before the reply: done, one notice, RSS < 64 MB" {
	hx_fake_run h-flood -c noop -c "response EXISTS"
	assert_success
	assert_line 0 "('OK', [b'NOOP completed.'])"
	# 200,000 items pass the dictionary's 16 MB: the oldest go, and the
	# NOOP says so once, not at every drop.
	[ "$(grep -c "untagged responses over 16 MB: dropped the oldest" \
	    "$BATS_TEST_TMPDIR/hx.err")" -eq 1 ] ||
	    _imapsh_fail "not one notice" stderr "$ERR"
	# Some of EXISTS went: fewer than the 100,000 sent are left.
	local n
	n=$(grep -o "b'1'" "$BATS_TEST_TMPDIR/hx.out" | wc -l)
	assert_output_contains "('EXISTS',"
	[ "$n" -lt 100000 ] || _imapsh_fail "nothing dropped" count "$n"
	assert_rss_below 65536
	fake_wait
}

@test "hostile: 2,200,000 untagged responses, past the byte budget: memory and time bounded" {
	if [ "${IMAPSH_TEST_STAGE-}" = asan-bats ]; then
		skip "the RSS limit is checked in the plain pass (ASan inflates RSS)"
	fi
	HX_LIMIT=40 hx_fake_run h-flood-huge -c noop
	assert_success
	assert_equal "('OK', [b'NOOP completed.'])" "$OUT"
	# The dictionary keeps 16 MB of items (IMAP_UNTAGGED_BUDGET); past
	# it the oldest go, so 2,200,000 cost what some 200,000 do (22 MB
	# seen), and the drop is said once.  Dropping one must not cost a
	# pass over the others (20 s is generous).
	assert_rss_below 40960
	[[ $ERR == *"untagged responses over 16 MB: dropped the oldest"*"EXISTS items"* ]] ||
	    _imapsh_fail "no notice of the drop" stderr "$ERR"
	assert_took_less 20000
	fake_wait
}

# big_fetch_run FORMAT DEST: the h-flood of FETCH responses with stdout a
# file or a pipe; sets N (responses printed) and RSS_KB (GNU time's peak
# RSS of imapsh itself).  hx_run would read the 50 MB into bash.
big_fetch_run()
{
	local d=$BATS_TEST_TMPDIR rc=0
	fake_start h-fetch-million || return 1
	if [ "$2" = pipe ]; then
		timeout -k 5 40 /usr/bin/time -f '%M' -o "$d/rss" "$IMAPSH" \
		    -t 5 --format "$1" -c "select INBOX" \
		    -c "fetch 1:* (UID FLAGS RFC822.SIZE)" 127.0.0.1 \
		    "$FAKE_PORT" 2>"$d/err" | cat >"$d/out"
		rc=${PIPESTATUS[0]}
	else
		timeout -k 5 40 /usr/bin/time -f '%M' -o "$d/rss" "$IMAPSH" \
		    -t 5 --format "$1" -c "select INBOX" \
		    -c "fetch 1:* (UID FLAGS RFC822.SIZE)" 127.0.0.1 \
		    "$FAKE_PORT" >"$d/out" 2>"$d/err" || rc=$?
	fi
	fake_wait
	[ "$rc" -eq 0 ] || _imapsh_fail "failed ($1, $2)" status "$rc" \
	    stderr "$(head -c 2000 "$d/err")" || return 1
	N=$(grep -o "RFC822.SIZE 1234)" "$d/out" | wc -l)
	RSS_KB=$(tail -n 1 "$d/rss")
}

@test "hostile: 1,000,000 FETCH responses, every format, file and pipe: all printed, RSS < 10 MB" {
	if [ "${IMAPSH_TEST_STAGE-}" = asan-bats ]; then
		skip "the RSS limit is checked in the plain pass (ASan inflates RSS)"
	fi
	[ -x /usr/bin/time ] || _imapsh_fail "GNU time is not installed"
	local fmt dest
	for fmt in python raw json; do
		for dest in file pipe; do
			big_fetch_run "$fmt" "$dest"
			[ "$N" -eq 1000000 ] || _imapsh_fail \
			    "responses lost ($fmt, $dest)" count "$N"
			[ "$RSS_KB" -lt 10240 ] || _imapsh_fail \
			    "peak RSS too high ($fmt, $dest)" "kB" "$RSS_KB"
		done
	done
	# The last run's (JSON, a pipe) object is valid and whole.
	sed -n 2p "$BATS_TEST_TMPDIR/out" | jq -e '.status == "OK" and
	    (.data | length) == 1000000' >/dev/null ||
	    _imapsh_fail "not one JSON object with every response"
	# The python format's value starts and ends as Python prints it.
	big_fetch_run python pipe
	assert_equal "$(sed -n 2,3p "$BATS_TEST_TMPDIR/out")" \
	    "('OK',
 [b'1 (UID 1 FLAGS (\\\\Seen) RFC822.SIZE 1234)',"
	assert_equal "$(tail -n 1 "$BATS_TEST_TMPDIR/out")" \
	    "  b'1 (UID 1 FLAGS (\\\\Seen) RFC822.SIZE 1234)'])"
}

# --- pipelining -----------------------------------------------------------

@test "hostile: pipelined commands answered out of order each get their own reply" {
	hx_fake_run h-pipeline-parallel <<'EOF2'
select INBOX
fetch 1 (UID)
fetch 2 (UID)
search None ALL
EOF2
	assert_success
	assert_equal "('OK', [b'3'])
('OK', [b'1 (UID 10)'])
('OK', [b'2 (UID 20)'])
('OK', [b'1 2 3'])" "$OUT"
	fake_wait
}
