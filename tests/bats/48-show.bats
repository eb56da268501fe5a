#!/usr/bin/env bats
# Reading mail at a terminal: raw output keeps a literal's line breaks on
# a terminal, raw literals typed by hand, and the show command (decoded
# headers and bodies, the tree of parts, the pager, and imapsh-show, the
# program it runs).  The terminal tests run imapsh in tmux
# (tmux-helper.bash).

load helper
load e2e-helper
load tmux-helper

setup()
{
	imapsh_setup || return 1
	tmux_setup || return 1
	HOST=$IMAPSH_TEST_HOST
}

teardown()
{
	tmux_teardown
}

# login_select: at the started imapsh's first prompt, log in and select
# INBOX, which holds one message.
login_select()
{
	wait_prompt "$HOST (not logged in)>"
	type_line "login $USER_NAME $USER_PASS"
	wait_prompt "$USER_NAME@$HOST>"
	type_line select
	wait_prompt "$USER_NAME@$HOST INBOX[1]>"
}

@test "format raw at a terminal: a literal's CRLF are line breaks, controls stay escaped" {
	printf 'From: a@example.org\r\nSubject: two lines\r\n\r\nfirst line\r\nsecond\033[31m line\r\n' \
	    >"$BATS_TEST_TMPDIR/m.eml"
	deliver_file "$BATS_TEST_TMPDIR/m.eml"
	start_imapsh --format raw "$HOST" "$IMAPSH_TEST_PORT"
	login_select
	type_line 'fetch 1 BODY.PEEK[TEXT]'
	wait_for "OK Fetch completed"
	run pane
	# The body's lines are lines of the pane, not one line of \r\n.
	assert_output_matches $'\nfirst line\n'
	assert_output_matches $'\nsecond\\\\x1b\\[31m line\n'
	refute_output_contains 'first line\r\n'
}

@test "raw at a terminal: a literal typed at the > prompt, then more of the command" {
	printf 'From: a@example.org\r\nSubject: test\r\n\r\nhi\r\n' >"$BATS_TEST_TMPDIR/m.eml"
	deliver_file "$BATS_TEST_TMPDIR/m.eml"
	start_imapsh "$HOST" "$IMAPSH_TEST_PORT"
	login_select
	type_line 'raw SEARCH SUBJECT {4}'
	wait_prompt ">"
	type_line 'test'
	wait_for "OK Search completed"
	wait_prompt "$USER_NAME@$HOST INBOX[1]>"
	type_line 'raw SEARCH CHARSET {5}'
	wait_prompt ">"
	type_line 'UTF-8 SUBJECT {4}'
	wait_prompt ">"
	type_line 'nope ALL'
	wait_prompt "$USER_NAME@$HOST INBOX[1]>"
	run pane
	assert_output_contains "* SEARCH 1"
	assert_output_matches $'\n\\* SEARCH\n'	# nope: nothing found
	refute_output_contains "error"
}

# mime_msg: deliver the MIME sample of sample-mail.py (RFC 2047 Subject
# and From; text/plain in quoted-printable ISO-8859-1 with a text/html
# alternative; a base64 attachment) as the next message.
mime_msg()
{
	python3 "$SAMPLE_MAIL" mime "$BATS_TEST_TMPDIR/mime.eml" &&
	    deliver_file "$BATS_TEST_TMPDIR/mime.eml"
}

# show_c LINE...: log in, select INBOX, run each LINE, in a UTF-8 locale.
show_c()
{
	local args=(-c "login $USER_NAME $USER_PASS" -c select) line

	for line; do
		args+=(-c "$line")
	done
	LC_ALL=C.UTF-8 run imapsh_run "${args[@]}" "$HOST" "$IMAPSH_TEST_PORT"
}

@test "show: headers decoded, the tree of parts, the text decoded from QP ISO-8859-1" {
	mime_msg
	show_c 'show 1'
	assert_success
	assert_output_contains "--- message 1 (UID 1, "
	assert_output_contains "From: José Müller <jose@example.de>"
	assert_output_contains "Subject: Grüße aus Köln📧"
	assert_output_contains "Date: Mon, 7 Dec 2026 06:00:00 +0000"
	assert_output_matches $'\n  1 +multipart/alternative\n'
	assert_output_matches $'\n    1\\.1 +text/plain \\(ISO-8859-1\\), [0-9]+ bytes\n'
	assert_output_matches $'\n    1\\.2 +text/html \\(UTF-8\\), [0-9]+ bytes\n'
	assert_output_matches $'\n  2 +application/octet-stream "Rechnung März.bin", 1.0 KB, attachment\n'
	# The text/plain alternative, decoded, its soft line break joined.
	assert_output_contains $'Grüße aus Köln,\n\ndie Rechnung hängt an.\n'
	assert_output_contains "weich umbrochen wird, weil sie länger ist als"
	assert_output_contains "[part 1.2, an alternative form of part 1.1: not shown]"
	assert_output_contains '[part 2: application/octet-stream "Rechnung März.bin", not shown]'
	# Neither the HTML nor the attachment's base64 is dumped.
	refute_output_contains "<p>"
	refute_output_contains "AAECAwQF"
}

@test "show: BODY.PEEK, so showing a message never sets \\Seen" {
	mime_msg
	show_c 'show 1' 'fetch 1 (FLAGS)'
	assert_success
	assert_output_contains "Subject: Grüße aus Köln"
	assert_output_matches "\\('OK', \\[b'1 \\(FLAGS \\([^)]*\\)\\)'\\]\\)"
	refute_output_contains 'Seen'
	# (The same check fails for a fetch of BODY[].)
	show_c 'fetch 1 (BODY[HEADER])' 'fetch 1 (FLAGS)'
	assert_output_contains 'Seen'

}

@test "show PART: a part's decoded body by its IMAP section number" {
	mime_msg
	show_c 'show 1 1.1'
	assert_success
	assert_output_contains $'Grüße aus Köln,\n\ndie Rechnung hängt an.\n'
	refute_output_contains "Subject:"
	show_c 'show 1 1.2'
	assert_success
	assert_output_contains "<p>Grüße aus Köln</p>"
	# The section numbers are the server's: BODY[1.1] is the same text.
	LC_ALL=C.UTF-8 run imapsh_run --format raw -c "login $USER_NAME $USER_PASS" \
	    -c select -c 'fetch 1 (BODY.PEEK[1.2])' "$HOST" "$IMAPSH_TEST_PORT"
	assert_output_contains "<p>Gr"
	# An attachment is never dumped; a missing part fails.
	show_c 'show 1 2' 'show 1 3'
	assert_failure 1
	assert_output_contains "[part 2 is application/octet-stream, not text: not shown"
	refute_output_contains "AAECAwQF"
	assert_output_contains "error: show: message 1: no part 3"
}

@test "show: what the server sends is escaped; no control byte reaches the terminal" {
	mkmsg evil.eml 'From: x@example.org' \
	    'Subject: =?UTF-8?Q?evil=1B[31m_red?=' '' \
	    "body $(printf '\033')]0;title$(printf '\007') end" >/dev/null
	deliver_file "$BATS_TEST_TMPDIR/evil.eml"
	show_c 'show 1'
	assert_success
	assert_output_contains 'Subject: evil\x1b[31m red'
	assert_output_contains 'body \x1b]0;title\x07 end'
	run python3 -c 'import sys; d = sys.stdin.buffer.read(); print(any(b < 32 and b not in (9, 10) or b == 127 for b in d))' <<<"$output"
	assert_output "False"
}

@test "show: the text is converted to the locale's charset (ASCII in the C locale)" {
	mime_msg
	LC_ALL=C run imapsh_run -c "login $USER_NAME $USER_PASS" -c select \
	    -c 'show 1 1.1' "$HOST" "$IMAPSH_TEST_PORT"
	assert_success
	assert_output_contains "die Rechnung h?ngt an."
	run python3 -c 'import sys; print(max(sys.stdin.buffer.read()) < 128)' <<<"$output"
	assert_output "True"
}

@test "show: a message past 64 KB is read from its spool file" {
	{
		printf 'From: a@example.org\r\nSubject: big\r\n\r\n'
		for i in $(seq 1 3000); do
			printf 'line %04d of a long message, with some words\r\n' "$i"
		done
	} >"$BATS_TEST_TMPDIR/big.eml"
	deliver_file "$BATS_TEST_TMPDIR/big.eml"
	show_c 'show 1'
	assert_success
	assert_output_contains "Subject: big"
	assert_output_contains $'line 0001 of a long message, with some words\nline 0002 '
	assert_output_contains "line 3000 of a long message"
}

@test "show: several messages in turn; the settings form is unchanged" {
	mime_msg
	mkmsg plain.eml 'From: a@example.org' 'Subject: plain' '' 'hello' >/dev/null
	deliver_file "$BATS_TEST_TMPDIR/plain.eml"
	show_c 'show 1:2' 'show format' 'show 2 1'
	assert_success
	assert_output_contains "--- message 1 (UID 1, "
	assert_output_contains "--- message 2 (UID 2, "
	assert_output_contains "format python"
	assert_output_matches $'\nhello\n'
	show_c 'show 1 1 1'
	assert_failure 2
	show_c 'show 1 x'
	assert_failure 1
	assert_output_contains "a part is a number such as 1 or 1.2"
}

@test "show: under --format json one JSON error value; without a mailbox, a plain error" {
	mime_msg
	run imapsh_run --format json -c "login $USER_NAME $USER_PASS" -c select \
	    -c 'show 1' "$HOST" "$IMAPSH_TEST_PORT"
	assert_failure 1
	run jq -c 'select(.command == "show") | [.status, .error]' \
	    < <(grep '^{' <<<"$output")
	assert_output '["error","show has no JSON form: use fetch MSGSET (BODY.PEEK[]) for a message'"'"'s bytes"]'
	run imapsh_run -c "login $USER_NAME $USER_PASS" -c 'show 1' \
	    "$HOST" "$IMAPSH_TEST_PORT"
	assert_failure 1
	assert_output_contains "error: show: select a mailbox first"
}

@test "show at a terminal: through \$PAGER when typed by hand, not with -c" {
	mime_msg
	start_imapsh LC_ALL=C.UTF-8 PAGER='sed s/^/paged:/' "$HOST" "$IMAPSH_TEST_PORT"
	login_select
	type_line 'show 1'
	wait_for "paged:die Rechnung hängt an."
	wait_prompt "$USER_NAME@$HOST INBOX[1]>"
	run pane
	assert_output_contains "paged:Subject: Grüße aus Köln"
	tmux_teardown
	start_imapsh LC_ALL=C.UTF-8 PAGER='sed s/^/paged:/' \
	    -c "login $USER_NAME $USER_PASS" -c select -c 'show 1' \
	    "$HOST" "$IMAPSH_TEST_PORT"
	wait_for "imapsh exited with status 0"
	run pane
	assert_output_contains "Subject: Grüße aus Köln"
	refute_output_contains "paged:"
}

@test "show at a terminal: the default pager is less in secure mode" {
	{
		printf 'From: a@example.org\r\nSubject: long\r\n\r\n'
		for i in $(seq 1 200); do
			printf 'line %03d\r\n' "$i"
		done
	} >"$BATS_TEST_TMPDIR/long.eml"
	deliver_file "$BATS_TEST_TMPDIR/long.eml"
	start_imapsh LC_ALL=C.UTF-8 "$HOST" "$IMAPSH_TEST_PORT"
	login_select
	type_line 'show 1'
	wait_for "line 030"
	# less waits for a key: the rest is not on the screen yet.
	run pane
	refute_output_contains "line 200"
	# LESSSECURE: no shell from the pager.
	type_text '!'
	wait_for "Command not available"
	keys q
	wait_prompt "$USER_NAME@$HOST INBOX[1]>"
}

# show_rss N: peak RSS in kB of imapsh showing message N (output in
# $BATS_TEST_TMPDIR/show-N.out).
show_rss()
{
	LC_ALL=C.UTF-8 timeout -k 5 "$IMAPSH_TIMEOUT" python3 -c '
import resource, subprocess, sys
with open(sys.argv[1], "wb") as out:
    rc = subprocess.call(sys.argv[2:], stdout=out)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc)' "$BATS_TEST_TMPDIR/show-$1.out" "$IMAPSH" \
	    -c "login $USER_NAME $USER_PASS" -c select -c "show $1" \
	    "$HOST" "$IMAPSH_TEST_PORT"
}

@test "show: a 36 MB message costs no more memory than a small one (spool, not RAM)" {
	if [ "${IMAPSH_TEST_STAGE-}" = asan-bats ]; then
		skip "ASan inflates RSS; the limit is checked in the plain pass"
	fi
	local small big

	mkmsg small.eml 'From: a@example.org' 'Subject: small' '' 'hi' >/dev/null
	deliver_file "$BATS_TEST_TMPDIR/small.eml"
	python3 -c '
import base64, sys
att = bytes(range(256)) * (96 * 1024)		# 24 MB
text = "".join("text line %d\r\n" % i for i in range(200000))
sys.stdout.buffer.write(
    b"From: a@example.org\r\nSubject: huge\r\nMIME-Version: 1.0\r\n"
    b"Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n"
    b"Content-Type: text/plain\r\n\r\n" + text.encode() +
    b"--B\r\nContent-Type: application/octet-stream; name=big.bin\r\n"
    b"Content-Transfer-Encoding: base64\r\n\r\n" +
    base64.encodebytes(att).replace(b"\n", b"\r\n") + b"--B--\r\n")' \
	    >"$BATS_TEST_TMPDIR/huge.eml"
	deliver_file "$BATS_TEST_TMPDIR/huge.eml"
	small=$(show_rss 1)
	big=$(show_rss 2)
	echo "peak RSS of show (kB): small $small, 36 MB $big" >&3
	run cat "$BATS_TEST_TMPDIR/show-2.out"
	assert_output_contains '2          application/octet-stream "big.bin", 24.0 MB'
	assert_output_contains $'text line 199998\ntext line 199999\n'
	[ "$big" -lt $((small + 16 * 1024)) ] ||
	    _imapsh_fail "show of 36 MB: peak RSS too high" small "$small" \
	    big "$big"
}

# --- imapsh-show: the program show runs -----------------------------------

@test "show: imapsh links no GMime or glib; imapsh-show, which show runs, does" {
	[ -n "${IMAPSH_SHOW_HELPER-}" ] ||
	    _imapsh_fail "no imapsh-show beside $IMAPSH: make builds it"
	run ldd "$IMAPSH"
	assert_success
	refute_output_contains "libgmime"
	refute_output_contains "libglib"
	refute_output_contains "libgobject"
	refute_output_contains "libgio"
	run ldd "$IMAPSH_SHOW_HELPER"
	assert_success
	assert_output_contains "libgmime-3.0"
}

@test "show: a run that shows nothing stays small (start-up RSS < 7 MB)" {
	if [ "${IMAPSH_TEST_STAGE-}" = asan-bats ]; then
		skip "ASan inflates RSS; the limit is checked in the plain pass"
	fi
	[ -x /usr/bin/time ] || _imapsh_fail "GNU time is not installed"
	local rss

	run /usr/bin/time -f 'rss %M' "$IMAPSH" -n -c 'Int2AP 5'
	assert_success
	rss=$(sed -n 's/^rss //p' <<<"$output")
	echo "peak RSS of imapsh -n -c 'Int2AP 5' (kB): $rss" >&3
	[ "$rss" -lt 7168 ] ||
	    _imapsh_fail "start-up RSS too high (kB)" rss "$rss"
}

@test "show: without its program, a clear error and no FETCH" {
	mime_msg
	IMAPSH_SHOW_HELPER=$BATS_TEST_TMPDIR/none/imapsh-show \
	    show_c 'show 1' 'fetch 1 (FLAGS)'
	assert_failure 1
	assert_output_contains "error: show: cannot run $BATS_TEST_TMPDIR/none/imapsh-show, which lays messages out: No such file or directory"
	refute_output_contains "--- message 1"
	refute_output_contains 'Seen'
}

@test "show: a program that crashes or fails ends its message, not imapsh; its words escaped" {
	mime_msg
	mkmsg plain.eml 'From: a@example.org' 'Subject: plain' '' 'hello' >/dev/null
	deliver_file "$BATS_TEST_TMPDIR/plain.eml"
	printf '#!/bin/sh\nkill -SEGV $$\n' >"$BATS_TEST_TMPDIR/crash"
	printf '#!/bin/sh\nprintf "imapsh-show: bad \\033[31m thing\\n" >&2\nexit 1\n' \
	    >"$BATS_TEST_TMPDIR/fail"
	chmod +x "$BATS_TEST_TMPDIR/crash" "$BATS_TEST_TMPDIR/fail"
	IMAPSH_SHOW_HELPER=$BATS_TEST_TMPDIR/crash show_c 'show 1:2' 'noop'
	assert_failure 1
	assert_output_contains "--- message 2 (UID 2, "
	assert_output_contains "error: show: message 1: $BATS_TEST_TMPDIR/crash was killed by signal 11 (Segmentation fault); message 2: "
	assert_output_contains "('OK', [b'NOOP completed"
	IMAPSH_SHOW_HELPER=$BATS_TEST_TMPDIR/fail show_c 'show 2'
	assert_failure 1
	assert_output_contains 'error: show: message 2: bad \x1b[31m thing'
	run python3 -c 'import sys; print(b"\x1b" in sys.stdin.buffer.read())' <<<"$output"
	assert_output "False"
}

@test "imapsh-show alone: a file, a range of one, a pipe; its exit statuses" {
	local helper=$IMAPSH_SHOW_HELPER m=$BATS_TEST_TMPDIR/mime.eml size

	python3 "$SAMPLE_MAIL" mime "$m"
	LC_ALL=C.UTF-8 run "$helper" <"$m"
	assert_success
	assert_output_contains "Subject: Grüße aus Köln📧"
	assert_output_contains "die Rechnung hängt an."
	# The message inside other bytes, as in imapsh's spool.
	size=$(stat -c %s "$m")
	{ printf 'junk before\r\n'; cat "$m"; printf 'junk after\r\n'; } \
	    >"$BATS_TEST_TMPDIR/spool"
	LC_ALL=C.UTF-8 run "$helper" -o 13 -l "$size" 1.1 <"$BATS_TEST_TMPDIR/spool"
	assert_success
	assert_output_contains $'Grüße aus Köln,\n\ndie Rechnung hängt an.\n'
	refute_output_contains "junk"
	LC_ALL=C.UTF-8 run bash -c 'cat "$2" | "$1" 1.1' sh "$helper" "$m"
	assert_success
	assert_output_contains "die Rechnung hängt an."
	run "$helper" 9 <"$m"
	assert_failure 1
	assert_output "imapsh-show: no part 9"
	run bash -c 'cat "$2" | "$1" -o 1' sh "$helper" "$m"
	assert_failure 2
	run "$helper" -x <"$m"
	assert_failure 2
	assert_output_contains "usage: imapsh-show [-l length] [-o offset] [part]"
	# A reader that goes away: status 3 (SIGPIPE ignored, as imapsh
	# runs it), which imapsh takes as its own output failing.
	{
		printf 'From: a@example.org\r\nSubject: long\r\n\r\n'
		for i in $(seq 1 20000); do
			printf 'line %05d of a long message\r\n' "$i"
		done
	} >"$BATS_TEST_TMPDIR/long.eml"
	run bash -c 'trap "" PIPE; "$1" <"$2" | head -n 2 >/dev/null
	    echo "status ${PIPESTATUS[0]}"' sh "$helper" "$BATS_TEST_TMPDIR/long.eml"
	assert_output "status 3"
}
