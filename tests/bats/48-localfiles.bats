#!/usr/bin/env bats
# Local files that could block or deceive imapsh (imapsh(1), FILES and
# SECURITY CONSIDERATIONS): the configuration file, --password-file,
# --token-file, the netrc file and the history file are opened without
# blocking and used only when they are regular files, so a FIFO is
# refused at once; the history file is never a symbolic link; a password
# or netrc file everyone may read is warned about; and netrc's quoted
# words are read as curl reads them.

load helper
load e2e-helper
load tmux-helper

setup()
{
	imapsh_setup || return 1
	unset IMAPSH_PASSWORD NETRC IMAPSH_CONFIG
	FIFO=$BATS_TEST_TMPDIR/fifo
	mkfifo "$FIFO"
}

teardown()
{
	[ -z "${TSOCK-}" ] || tmux_teardown
}

# quick ARGS...: imapsh ARGS against the test Dovecot, which must end
# within 5 seconds (a FIFO would block it for ever).
quick()
{
	status=0
	output=$(timeout -k 2 5 "$IMAPSH" "$@" 2>&1) || status=$?
	[ "$status" -ne 124 ] || _imapsh_fail "imapsh blocked" output "$output"
}

@test "local files: a configuration file that is a FIFO is refused at once, exit 2" {
	IMAPSH_CONFIG=$FIFO quick -n -c noop
	assert_failure 2
	assert_output "imapsh: $FIFO: not a regular file"
}

@test "local files: a password, token or netrc file that is a FIFO is refused at once" {
	quick --password-file "$FIFO" -c "login $USER_NAME" localhost \
	    "$IMAPSH_TEST_PORT"
	assert_failure 1
	assert_output_contains "$FIFO: not a regular file"
	quick --token-file "$FIFO" -c "authenticate XOAUTH2 $USER_NAME" \
	    localhost "$IMAPSH_TEST_PORT"
	assert_failure 1
	assert_output_contains "$FIFO: not a regular file"
	NETRC=$FIFO quick --netrc -c login localhost "$IMAPSH_TEST_PORT"
	assert_failure 1
	assert_output_contains "$FIFO: not a regular file"
}

@test "local files: a password or netrc file everyone may read is warned about" {
	local pw=$BATS_TEST_TMPDIR/pw netrc=$BATS_TEST_TMPDIR/netrc
	printf '%s\n' "$USER_PASS" >"$pw"
	printf 'machine localhost login %s password %s\n' "$USER_NAME" \
	    "$USER_PASS" >"$netrc"
	chmod 644 "$pw" "$netrc"
	quick --password-file "$pw" -c "login $USER_NAME" localhost \
	    "$IMAPSH_TEST_PORT"
	assert_success
	assert_output "imapsh: warning: $pw: the password file is readable by everyone (chmod o-r $pw)
('OK', [b'Logged in'])"
	NETRC=$netrc quick --netrc -c login localhost "$IMAPSH_TEST_PORT"
	assert_success
	assert_output "imapsh: warning: $netrc: the netrc file is readable by everyone (chmod o-r $netrc)
('OK', [b'Logged in'])"
	chmod 600 "$pw" "$netrc"
	quick --password-file "$pw" -c "login $USER_NAME" localhost \
	    "$IMAPSH_TEST_PORT"
	assert_success
	assert_output "('OK', [b'Logged in'])"
	NETRC=$netrc quick --netrc -c login localhost "$IMAPSH_TEST_PORT"
	assert_success
	assert_output "('OK', [b'Logged in'])"
}

@test "local files: netrc's quoted password, with curl's escapes" {
	local netrc=$BATS_TEST_TMPDIR/netrc
	new_user "" 'two words "q" \x'
	# curl: "..." with \" for a quote, \\ for a backslash.
	printf '%s\n' '# a comment line' \
	    "machine localhost login \"$USER_NAME\"" \
	    '  password "two words \"q\" \\x"  # and a comment' \
	    'machine other login x password y' >"$netrc"
	chmod 600 "$netrc"
	NETRC=$netrc quick --netrc -c login localhost "$IMAPSH_TEST_PORT"
	assert_success
	assert_output "('OK', [b'Logged in'])"
	# A quote that does not end: an error naming the file, no login.
	printf 'machine localhost login %s password "open\n' "$USER_NAME" \
	    >"$netrc"
	NETRC=$netrc quick --netrc -c login localhost "$IMAPSH_TEST_PORT"
	assert_failure 1
	assert_output_contains "$netrc: a quoted word does not end on its line"
}

@test "local files: a history file that is a FIFO does not block the shell" {
	tmux_setup
	start_imapsh "IMAPSH_HISTFILE=$FIFO" -n
	wait_for "imapsh (not connected)>"
	wait_for "$FIFO: not a regular file; history is not kept"
	type_line "utf7 encode x"
	wait_for "'x'"
	keys C-d
	wait_for "imapsh exited with status 0"
}

@test "local files: a history file that is a symbolic link is neither read nor written" {
	local target=$BATS_TEST_TMPDIR/target
	tmux_setup
	printf '_HiStOrY_V2_\nplanted\\040line\n' >"$target"
	cp "$target" "$target.orig"
	mkdir -p "$ISTATE/imapsh"
	ln -s "$target" "$ISTATE/imapsh/history"
	start_imapsh -n
	wait_for "imapsh (not connected)>"
	wait_for "a symbolic link; refusing to use it; history is not kept"
	type_line "utf7 encode y"
	wait_for "'y'"
	# Up: no planted line was loaded.
	keys Up
	wait_for "> utf7 encode y"
	keys C-u C-d
	wait_for "imapsh exited with status 0"
	run cmp "$target" "$target.orig"
	assert_success
	[ -L "$ISTATE/imapsh/history" ]

	# A regular history file of one's own: read, and written privately.
	rm "$ISTATE/imapsh/history"
	cp "$target.orig" "$ISTATE/imapsh/history"
	chmod 644 "$ISTATE/imapsh/history"
	tmux_teardown
	tmux_setup
	start_imapsh -n
	wait_for "imapsh (not connected)>"
	keys Up
	wait_for "> planted line"
	keys C-u
	type_line "utf7 encode z"
	wait_for "'z'"
	keys C-d
	wait_for "imapsh exited with status 0"
	run cat "$ISTATE/imapsh/history"
	assert_output '_HiStOrY_V2_
planted\040line
utf7\040encode\040z'
	run stat -c %a "$ISTATE/imapsh/history"
	assert_output 600
}

@test "local files: a --cafile, --certfile or --keyfile that is a FIFO is refused at once, exit 2" {
	local opt
	for opt in cafile certfile; do
		quick "--$opt" "$FIFO" -c noop "imaps://localhost:$IMAPSH_TEST_TLS_PORT"
		assert_failure 2
		assert_output "imapsh: --$opt $FIFO: not a regular file"
	done
	quick --certfile "$IMAPSH_TEST_CERTS/client.pem" --keyfile "$FIFO" \
	    -c noop "imaps://localhost:$IMAPSH_TEST_TLS_PORT"
	assert_failure 2
	assert_output "imapsh: --keyfile $FIFO: not a regular file"
}
