#!/usr/bin/env bats
# Reading mail at a terminal: raw output keeps a literal's line breaks on
# a terminal, raw literals typed by hand, and the show command (decoded
# headers and bodies, the tree of parts, the pager).  The terminal tests
# run imapsh in tmux (tmux-helper.bash).

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

@test "format raw at a terminal: a literal's CRLF are line breaks, controls stay escaped" {
	printf 'From: a@example.org\r\nSubject: two lines\r\n\r\nfirst line\r\nsecond\033[31m line\r\n' \
	    >"$BATS_TEST_TMPDIR/m.eml"
	deliver_file "$BATS_TEST_TMPDIR/m.eml"
	start_imapsh --format raw "$HOST" "$IMAPSH_TEST_PORT"
	wait_prompt "$HOST (not logged in)>"
	type_line "login $USER_NAME $USER_PASS"
	wait_prompt "$USER_NAME@$HOST>"
	type_line select
	wait_prompt "$USER_NAME@$HOST INBOX[1]>"
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
	wait_prompt "$HOST (not logged in)>"
	type_line "login $USER_NAME $USER_PASS"
	wait_prompt "$USER_NAME@$HOST>"
	type_line select
	wait_prompt "$USER_NAME@$HOST INBOX[1]>"
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
