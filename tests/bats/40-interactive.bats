#!/usr/bin/env bats
# The interactive shell, driven through tmux: prompt, completion, Ctrl-C,
# Ctrl-D, the password prompt, the history file and heredocs typed by hand.
# Every test has its own tmux server (-L) and its own HOME and
# XDG_STATE_HOME, so the history file is private to it (tmux-helper.bash).

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

# history_lines FILE: FILE's entries, decoded from libedit's vis(3) form.
history_lines()
{
	python3 -c '
import re, sys
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    line = line.rstrip("\n")
    if line == "_HiStOrY_V2_":
        continue
    print(re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), line))
' "$1"
}

three_msgs()
{
	local f

	f=$(mkmsg m.eml 'From: a@example.org' 'Subject: hi' '' 'hello')
	deliver_file "$f" && deliver_file "$f" && deliver_file "$f"
}

@test "the prompt follows the session: not logged in, user, mailbox and count" {
	three_msgs
	start_imapsh "$HOST" "$IMAPSH_TEST_PORT"
	wait_prompt "$HOST (not logged in)>"
	type_line "login $USER_NAME $USER_PASS"
	wait_prompt "$USER_NAME@$HOST>"
	type_line select
	wait_prompt "$USER_NAME@$HOST INBOX[3]>"
	type_line 'select INBOX True'
	wait_prompt "$USER_NAME@$HOST INBOX[3,ro]>"
	# New mail shows once a command has seen it.
	deliver_file "$BATS_TEST_TMPDIR/m.eml"
	type_line noop
	wait_prompt "$USER_NAME@$HOST INBOX[4,ro]>"
	type_line close
	wait_prompt "$USER_NAME@$HOST>"
	run pane
	assert_output_contains "$USER_NAME@$HOST INBOX[3]> select INBOX True"
	assert_output_contains "('OK', [b'3'])"
}

@test "the prompt's count goes down with EXPUNGE and VANISHED, up with EXISTS" {
	three_msgs
	deliver_file "$BATS_TEST_TMPDIR/m.eml"
	deliver_file "$BATS_TEST_TMPDIR/m.eml"
	start_imapsh "$HOST" "$IMAPSH_TEST_PORT"
	wait_prompt "$HOST (not logged in)>"
	type_line "login $USER_NAME $USER_PASS"
	wait_prompt "$USER_NAME@$HOST>"
	type_line 'create Other'
	wait_prompt "$USER_NAME@$HOST>"
	type_line select
	wait_prompt "$USER_NAME@$HOST INBOX[5]>"
	type_line 'store 1 +FLAGS \Deleted'
	wait_prompt "$USER_NAME@$HOST INBOX[5]>"
	type_line expunge
	wait_prompt "$USER_NAME@$HOST INBOX[4]>"
	type_line 'move 1 Other'
	wait_prompt "$USER_NAME@$HOST INBOX[3]>"
	deliver_file "$BATS_TEST_TMPDIR/m.eml"
	type_line noop
	wait_prompt "$USER_NAME@$HOST INBOX[4]>"
	# With QRESYNC the server says VANISHED instead of EXPUNGE.
	type_line close
	wait_prompt "$USER_NAME@$HOST>"
	type_line 'enable QRESYNC'
	wait_prompt "$USER_NAME@$HOST>"
	type_line select
	wait_prompt "$USER_NAME@$HOST INBOX[4]>"
	type_line 'store 1:2 +FLAGS.SILENT \Deleted'
	wait_prompt "$USER_NAME@$HOST INBOX[4]>"
	type_line expunge
	wait_prompt "$USER_NAME@$HOST INBOX[2]>"
	type_line 'response VANISHED'
	wait_for "('VANISHED', [b'3:4'])"
}

@test "Tab completes a unique command prefix" {
	three_msgs
	start_imapsh "$HOST" "$IMAPSH_TEST_PORT"
	wait_prompt "$HOST (not logged in)>"
	type_line "login $USER_NAME $USER_PASS"
	wait_prompt "$USER_NAME@$HOST>"
	tmux -L "$TSOCK" send-keys -t main -l sel
	keys Tab
	wait_prompt "$USER_NAME@$HOST> select"
	# The completion ends with a blank: the argument follows directly.
	type_line INBOX
	wait_prompt "$USER_NAME@$HOST INBOX[3]>"
	run pane
	assert_output_contains "$USER_NAME@$HOST> select INBOX"
	refute_output_contains "unknown command"
}

@test "Ctrl-C drops the line being typed; the shell stays usable" {
	start_imapsh "$HOST" "$IMAPSH_TEST_PORT"
	wait_prompt "$HOST (not logged in)>"
	type_line "login $USER_NAME $USER_PASS"
	wait_prompt "$USER_NAME@$HOST>"
	tmux -L "$TSOCK" send-keys -t main -l 'create Dropped'
	wait_prompt "$USER_NAME@$HOST> create Dropped"
	keys C-c
	wait_for "^C"
	wait_prompt "$USER_NAME@$HOST>"
	type_line 'create Kept'
	wait_for "('OK', [b'Create completed"
	wait_prompt "$USER_NAME@$HOST>"
	run imap_py 'print(sorted(M.list()[1]))'
	assert_output "[b'(\\\\HasNoChildren) \"/\" INBOX', b'(\\\\HasNoChildren) \"/\" Kept']"
}

@test "Ctrl-D logs out and exits with status 0" {
	start_imapsh "$HOST" "$IMAPSH_TEST_PORT"
	wait_prompt "$HOST (not logged in)>"
	type_line "login $USER_NAME $USER_PASS"
	wait_prompt "$USER_NAME@$HOST>"
	keys C-d
	wait_for "imapsh exited with status 0"
	wait_dovecot_log "Logged out"
}

@test "history: mode 0600, typed commands kept, a login with its password not" {
	start_imapsh "$HOST" "$IMAPSH_TEST_PORT"
	wait_prompt "$HOST (not logged in)>"
	type_line "login $USER_NAME $USER_PASS"
	wait_prompt "$USER_NAME@$HOST>"
	type_line 'select INBOX True'
	wait_prompt "$USER_NAME@$HOST INBOX[0,ro]>"
	type_line "M.login('$USER_NAME', '$USER_PASS')"
	wait_for "error: command LOGIN illegal in state SELECTED"
	wait_prompt "$USER_NAME@$HOST INBOX[0,ro]>"
	type_line noop
	wait_prompt "$USER_NAME@$HOST INBOX[0,ro]>"
	keys C-d
	wait_for "imapsh exited with status"
	local hist=$ISTATE/imapsh/history
	run stat -c %a "$hist"
	assert_output 600
	run stat -c %a "$ISTATE/imapsh"
	assert_output 700
	run history_lines "$hist"
	assert_output "select INBOX True
noop"
	run cat "$hist"
	refute_output_contains "$USER_PASS"
}

@test "login with the password typed at its prompt: not echoed, not in history" {
	local pass="typed-$RANDOM$RANDOM"
	new_user "" "$pass"
	start_imapsh "$HOST" "$IMAPSH_TEST_PORT"
	wait_prompt "$HOST (not logged in)>"
	type_line "login $USER_NAME"
	wait_for "Password for $USER_NAME@$HOST:"
	type_line "$pass"
	wait_prompt "$USER_NAME@$HOST>"
	type_line noop
	wait_prompt "$USER_NAME@$HOST>"
	run pane
	refute_output_contains "$pass"
	assert_output_contains "Logged in'])"
	keys C-d
	wait_for "imapsh exited with status 0"
	run history_lines "$ISTATE/imapsh/history"
	assert_output "login $USER_NAME
noop"
	run grep -rF -- "$pass" "$ISTATE" "$IHOME"
	assert_failure 1
}

@test "the user of user@host: a bare login asks for that user's password" {
	start_imapsh "$USER_NAME@$HOST" "$IMAPSH_TEST_PORT"
	wait_prompt "$HOST (not logged in)>"
	type_line login
	wait_for "Password for $USER_NAME@$HOST:"
	type_line "$USER_PASS"
	wait_prompt "$USER_NAME@$HOST>"
	run pane
	refute_output_contains "$USER_PASS"
}

@test "history persists: Up recalls the last session's command" {
	start_imapsh "$HOST" "$IMAPSH_TEST_PORT"
	wait_prompt "$HOST (not logged in)>"
	type_line 'capability'
	wait_for "('OK',"
	keys C-d
	wait_for "imapsh exited with status 0"
	tmux -L "$TSOCK" kill-server
	start_imapsh "$HOST" "$IMAPSH_TEST_PORT"
	wait_prompt "$HOST (not logged in)>"
	keys Up
	wait_prompt "$HOST (not logged in)> capability"
}

@test "IMAPSH_HISTFILE names the history file; empty means none" {
	local custom=$BATS_TEST_TMPDIR/custom-history
	start_imapsh IMAPSH_HISTFILE="$custom" "$HOST" "$IMAPSH_TEST_PORT"
	wait_prompt "$HOST (not logged in)>"
	type_line noop
	wait_prompt "$HOST (not logged in)>"
	keys C-d
	wait_for "imapsh exited with status 0"
	run history_lines "$custom"
	assert_output noop
	run stat -c %a "$custom"
	assert_output 600
	[ ! -e "$ISTATE/imapsh/history" ] ||
	    _imapsh_fail "the default history file was written too" \
	    file "$ISTATE/imapsh/history"

	tmux -L "$TSOCK" kill-server
	start_imapsh IMAPSH_HISTFILE= "$HOST" "$IMAPSH_TEST_PORT"
	wait_prompt "$HOST (not logged in)>"
	type_line 'noop'
	wait_prompt "$HOST (not logged in)>"
	keys C-d
	wait_for "imapsh exited with status 0"
	run find "$ISTATE" "$IHOME" -type f
	assert_output ""
}

@test "a heredoc append typed by hand shows a '> ' continuation prompt" {
	start_imapsh "$HOST" "$IMAPSH_TEST_PORT"
	wait_prompt "$HOST (not logged in)>"
	type_line "login $USER_NAME $USER_PASS"
	wait_prompt "$USER_NAME@$HOST>"
	type_line 'append INBOX (\Seen) None <<EOM'
	wait_prompt ">"
	type_line 'From: hand@example.org'
	wait_prompt ">"
	type_line 'Subject: typed'
	type_line ''
	type_line 'noop'
	wait_for "> noop"
	type_line 'EOM'
	wait_for "Append completed"
	wait_prompt "$USER_NAME@$HOST>"
	run pane
	assert_output_contains "> From: hand@example.org
> Subject: typed
>
> noop
> EOM"
	refute_output_contains "NOOP completed"
	run imap_py 'M.select("INBOX")
print(M.fetch("1", "(FLAGS BODY.PEEK[])")[1][0])'
	assert_output "(b'1 (FLAGS (\\\\Seen \\\\Recent) BODY[] {48}', b'From: hand@example.org\\r\\nSubject: typed\\r\\n\\r\\nnoop\\r\\n')"
	keys C-d
	wait_for "imapsh exited with status 0"
	run history_lines "$ISTATE/imapsh/history"
	assert_output "append INBOX (\\Seen) None <<EOM"
}

@test "Ctrl-C while typing a heredoc body cancels the append" {
	start_imapsh "$HOST" "$IMAPSH_TEST_PORT"
	wait_prompt "$HOST (not logged in)>"
	type_line "login $USER_NAME $USER_PASS"
	wait_prompt "$USER_NAME@$HOST>"
	type_line 'append INBOX None None <<EOM'
	wait_prompt ">"
	type_line 'Subject: never sent'
	wait_prompt ">"
	keys C-c
	wait_prompt "$USER_NAME@$HOST>"
	type_line 'status INBOX (MESSAGES)'
	wait_for "('OK', [b'INBOX (MESSAGES 0)'])"
	run imap_py 'print(M.select("INBOX"))'
	assert_output "('OK', [b'0'])"
}

@test "--utf7-names shows the selected mailbox decoded; commands keep the name" {
	run imap_py 'print(M.create("&ZeVnLIqe-"))'
	assert_output_contains "('OK', [b'Create completed"
	start_imapsh LC_ALL=C.UTF-8 --utf7-names "$HOST" "$IMAPSH_TEST_PORT"
	wait_prompt "$HOST (not logged in)>"
	type_line "login $USER_NAME $USER_PASS"
	wait_prompt "$USER_NAME@$HOST>"
	type_line 'select &ZeVnLIqe-'
	wait_prompt "$USER_NAME@$HOST 日本語[0]>"
	# What is sent is the name as typed, not the decoded one.
	type_line 'status &ZeVnLIqe- (MESSAGES)'
	wait_for "('OK', [b'&ZeVnLIqe- (MESSAGES 0)'])"
	# A plain ASCII name is itself.
	type_line 'select INBOX'
	wait_prompt "$USER_NAME@$HOST INBOX[0]>"
	keys C-d
	wait_for "imapsh exited with status 0"
}

@test "without --utf7-names the prompt shows the name as the server has it" {
	run imap_py 'print(M.create("&ZeVnLIqe-"))'
	assert_output_contains "('OK', [b'Create completed"
	start_imapsh LC_ALL=C.UTF-8 "$HOST" "$IMAPSH_TEST_PORT"
	wait_prompt "$HOST (not logged in)>"
	type_line "login $USER_NAME $USER_PASS"
	wait_prompt "$USER_NAME@$HOST>"
	type_line 'select &ZeVnLIqe-'
	wait_prompt "$USER_NAME@$HOST &ZeVnLIqe-[0]>"
}

@test "-s: a prompt before the greeting gets the terminal; Ctrl-C never reaches the command" {
	local sc
	sc=$(stream_cmd)
	# Like ssh asking for a password on /dev/tty before the greeting.
	start_imapsh -s "printf 'pass: ' >/dev/tty; read -r x </dev/tty;
	    echo \"read \$x\" >/dev/tty; exec $sc"
	wait_prompt "pass:"
	type_line "typed-at-the-child"
	wait_for "read typed-at-the-child"
	wait_prompt "localhost>"
	# Dovecot's imap dies of SIGINT: the command has a group of its own.
	keys C-c
	wait_prompt "localhost>"
	type_line "noop"
	wait_for "('OK', [b'NOOP completed"
	wait_prompt "localhost>"
	type_line "select"
	wait_prompt "localhost INBOX[0]>"
	type_line "idle"
	wait_for "idling: Enter or Ctrl-C ends it"
	keys C-c
	wait_prompt "localhost INBOX[0]>"
	type_line "noop"
	wait_for "NOOP completed"
	[[ $(pane) != *"the command stopped reading"* ]] ||
	    _imapsh_fail "the command died" pane "$(pane)"
	keys C-d
	wait_for "imapsh exited with status 0"
}

@test "Ctrl-C and Ctrl-D at the password prompt cancel the login: nothing sent" {
	start_imapsh "$USER_NAME@$HOST" "$IMAPSH_TEST_PORT"
	wait_prompt "$HOST (not logged in)>"
	type_line login
	wait_prompt "Password for $USER_NAME@$HOST:"
	keys C-c
	wait_prompt "$HOST (not logged in)>"
	type_line login
	wait_prompt "Password for $USER_NAME@$HOST:"
	keys C-d
	wait_prompt "$HOST (not logged in)>"
	run pane
	[ "$(grep -c '^cancelled$' <<<"$output")" -eq 2 ] ||
	    _imapsh_fail "not two plain 'cancelled' lines" pane "$output"
	refute_output_contains "no password"
	refute_output_contains "AUTHENTICATIONFAILED"
	type_line login
	wait_prompt "Password for $USER_NAME@$HOST:"
	type_line "$USER_PASS"
	wait_prompt "$USER_NAME@$HOST>"
	# The server saw one login only: the one that worked.
	run bash -c "grep -F 'user=<$USER_NAME>' '$IMAPSH_TEST_DIR/dovecot.log' |
	    grep -c 'auth failed'"
	assert_output 0
}

@test "an interactive session exits with its last command's status: a fixed typo does not stay" {
	start_imapsh "$HOST" "$IMAPSH_TEST_PORT"
	wait_prompt "$HOST (not logged in)>"
	type_line "login $USER_NAME $USER_PASS"
	wait_prompt "$USER_NAME@$HOST>"
	type_line "selct"
	wait_for "unknown command 'selct'"
	wait_prompt "$USER_NAME@$HOST>"
	type_line "select"
	wait_prompt "$USER_NAME@$HOST INBOX[0]>"
	keys C-d
	wait_for "imapsh exited with status 0"
}

@test "Tab lists many candidates in columns" {
	start_imapsh "$HOST" "$IMAPSH_TEST_PORT"
	wait_prompt "$HOST (not logged in)>"
	type_text "fetch 1 ("
	keys Tab
	wait_for "BODYSTRUCTURE"
	run pane
	# More than one candidate a line, and more than one line: columns.
	local rows
	rows=$(grep -c "ENVELOPE\|FLAGS\|INTERNALDATE\|RFC822\|UID\|BODY" <<<"$output")
	[ "$rows" -ge 2 ] || _imapsh_fail "not in rows" pane "$output"
}
