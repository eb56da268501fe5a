#!/usr/bin/env bats
# Ctrl-C during a command, at a terminal driven through tmux: it stops the
# output of a big result within a moment and says how much was left out,
# the session stays usable; a second Ctrl-C drops the connection, and
# nothing of the result cut short is shown (no PARTIAL data).  What the
# pane receives is logged by tmux (pipe-pane), so the bytes printed after
# the Ctrl-C can be counted.

load helper
load e2e-helper
load tmux-helper
load ../fake/fake

setup()
{
	imapsh_setup || return 1
	tmux_setup || return 1
	HOST=$IMAPSH_TEST_HOST
	PANE_LOG=$BATS_TEST_TMPDIR/pane.log
}

teardown()
{
	tmux_teardown
	fake_stop
}

# log_pane: from now on append what the pane receives to PANE_LOG.
log_pane()
{
	: >"$PANE_LOG"
	tmux -L "$TSOCK" pipe-pane -t main -o "cat >>'$PANE_LOG'"
}

# log_size: bytes the pane has received since log_pane.
log_size()
{
	stat -c %s "$PANE_LOG"
}

# wait_log_size N: until the pane has received more than N bytes.
wait_log_size()
{
	local i

	for ((i = 0; i < WAIT_TENTHS * 2; i++)); do
		[ "$(log_size)" -gt "$1" ] && return 0
		sleep 0.05
	done
	_imapsh_fail "the pane never got that much" expected "$1 bytes" \
	    got "$(log_size) bytes"
}

# big_message MB: a message of about MB megabytes of short text lines.
big_message()
{
	python3 -c '
import sys
n = int(sys.argv[1]) * 1024 * 1024 // 64
sys.stdout.write("From: a@example.org\nSubject: big\n\n")
for i in range(n):
    sys.stdout.write("line %08d of the big message, to print at a terminal..\n" % i)
' "$1" >"$BATS_TEST_TMPDIR/big.eml"
	deliver_file "$BATS_TEST_TMPDIR/big.eml"
}

# stops_output [ARGS...]: imapsh ARGS prints a 40 MB FETCH at the
# terminal; a Ctrl-C while it does stops the printing at once (not more
# than what was on its way shows; the prompt is back within 3 s), says how
# much was left out, and the session goes on.
stops_output()
{
	local at after t0 ms

	big_message 40
	start_imapsh "$@" "$HOST" "$IMAPSH_TEST_PORT"
	wait_prompt "$HOST (not logged in)>"
	type_line "login $USER_NAME $USER_PASS"
	wait_prompt "$USER_NAME@$HOST>"
	type_line select
	wait_prompt "$USER_NAME@$HOST INBOX[1]>"
	log_pane
	type_line 'fetch 1 (BODY[])'
	wait_log_size 2000000
	keys C-c
	t0=$(date +%s%N)
	at=$(log_size)
	wait_for "bytes of output not shown"
	wait_prompt "$USER_NAME@$HOST INBOX[1]>"
	ms=$((($(date +%s%N) - t0) / 1000000))
	sleep 0.5	# the log (cat, from tmux) catches up with the pane
	after=$(($(log_size) - at))
	[ "$after" -lt 1500000 ] || _imapsh_fail "printing went on" \
	    "bytes after Ctrl-C" "$after"
	[ "$ms" -lt 3000 ] || _imapsh_fail "the prompt came back late" \
	    "ms after Ctrl-C" "$ms"
	run pane
	assert_output_matches "interrupted: [0-9]{7,} bytes of output not shown"
	refute_output_contains "line 00650000"
	type_line noop
	wait_for "NOOP completed"
	wait_prompt "$USER_NAME@$HOST INBOX[1]>"
}

@test "Ctrl-C stops a big result's output at once and says how much was left out" {
	# The value is printed once the tagged OK is in: Ctrl-C during that.
	stops_output
}

@test "--format raw: Ctrl-C stops the output as it comes; the command is let finish" {
	# Printed as it comes: the Ctrl-C comes while the FETCH is read.
	stops_output --format raw
	run pane
	assert_output_contains "error: interrupted"
}

@test "Ctrl-C waits for a stalled command; a second drops the connection, no PARTIAL data" {
	fake_start h-literal-stall --timeout 20
	start_imapsh -t 30 127.0.0.1 "$FAKE_PORT"
	wait_prompt "127.0.0.1>"
	log_pane
	type_line select
	wait_prompt "127.0.0.1 INBOX[1]>"
	type_line 'fetch 1 (BODY[])'
	# The fake has sent what it will of the literal: imapsh waits.
	# shellcheck disable=SC2153 # FAKE_LOG comes from fake.bash
	for ((i = 0; i < 100; i++)); do
		grep -q "S: 150000 bytes" "$FAKE_LOG" && break
		sleep 0.05
	done
	assert_file_contains "$FAKE_LOG" "S: 150000 bytes"
	sleep 0.2
	keys C-c
	wait_for "interrupted: waiting for the server to finish the command (Ctrl-C again drops the connection)"
	keys C-c
	wait_prompt "imapsh (not connected)>"
	run pane
	assert_output_contains "abort: command: FETCH => interrupted: the connection was dropped"
	refute_output_contains "socket error"
	refute_output_contains "PARTIAL"
	refute_output_contains "stalled 'body' line"
	[ "$(log_size)" -lt 20000 ] || _imapsh_fail "the cut result was printed" \
	    "bytes in the pane" "$(log_size)"
	fake_wait
}
