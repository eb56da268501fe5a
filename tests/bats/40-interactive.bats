#!/usr/bin/env bats
# The interactive shell, driven through tmux: prompt, completion, Ctrl-C,
# Ctrl-D, the password prompt, the history file and heredocs typed by hand.
# Every test has its own tmux server (-L) and its own HOME and
# XDG_STATE_HOME, so the history file is private to it.

load helper
load e2e-helper

setup()
{
	imapsh_setup || return 1
	command -v tmux >/dev/null || {
		echo "tmux is needed for these tests" >&2
		return 1
	}
	TSOCK=imapsh-test-$$-${BATS_SUITE_TEST_NUMBER:-$BATS_TEST_NUMBER}
	IHOME=$BATS_TEST_TMPDIR/home
	ISTATE=$BATS_TEST_TMPDIR/state
	mkdir -p "$IHOME" "$ISTATE"
	HOST=$IMAPSH_TEST_HOST
	# Up to 15 s for anything to show (the sanitizer build is slower).
	WAIT_TENTHS=150
}

teardown()
{
	tmux -L "$TSOCK" kill-server 2>/dev/null || true
}

# start_imapsh [VAR=VALUE...] [ARGS...]: run imapsh ARGS in a new tmux
# session of 150x40, with HOME and XDG_STATE_HOME private to the test and
# the VAR=VALUE settings in its environment; when it exits, the pane says
# "imapsh exited with status N".
start_imapsh()
{
	local script=$BATS_TEST_TMPDIR/run-imapsh.sh envs=()

	while [ $# -gt 0 ] && [[ $1 == [A-Z_]*=* ]]; do
		envs+=("$1")
		shift
	done
	{
		echo '#!/usr/bin/env bash'
		printf 'export HOME=%q XDG_STATE_HOME=%q\n' "$IHOME" "$ISTATE"
		printf 'unset IMAPSH_PASSWORD IMAPSH_HISTFILE\n'
		[ ${#envs[@]} -eq 0 ] || printf 'export %q\n' "${envs[@]}"
		printf '%q ' "$IMAPSH" "$@"
		printf '\necho "imapsh exited with status $?"\nexec sleep 120\n'
	} >"$script"
	chmod +x "$script"
	tmux -L "$TSOCK" -f /dev/null new-session -d -s main -x 150 -y 40 \
	    "$script"
}

# pane: the pane's text, wrapped lines joined, trailing blanks dropped.
pane()
{
	tmux -L "$TSOCK" capture-pane -p -J -t main -S -2000 |
	    sed -e 's/[[:space:]]*$//' -e '/^$/d'
}

# type_line TEXT: type TEXT and Enter.
type_line()
{
	tmux -L "$TSOCK" send-keys -t main -l -- "$1"
	tmux -L "$TSOCK" send-keys -t main Enter
}

# keys KEY...: send tmux keys (C-c, C-d, Tab, Up...).
keys()
{
	tmux -L "$TSOCK" send-keys -t main "$@"
}

# wait_for TEXT: wait until the pane contains TEXT.  Gives up at once if
# imapsh has exited and TEXT is not there.
wait_for()
{
	local i text

	for ((i = 0; i < WAIT_TENTHS * 2; i++)); do
		text=$(pane)
		[[ $text == *"$1"* ]] && return 0
		[[ $text == *"imapsh exited with status"* ]] && break
		sleep 0.05
	done
	_imapsh_fail "the pane never showed the text" expected "$1" \
	    pane "$text"
}

# wait_prompt PROMPT: wait until the last line of the pane is PROMPT
# (without its trailing blank): imapsh waits for input there.
wait_prompt()
{
	local i text last

	for ((i = 0; i < WAIT_TENTHS * 2; i++)); do
		text=$(pane)
		last=${text##*$'\n'}
		[ "$last" = "$1" ] && return 0
		[[ $text == *"imapsh exited with status"* ]] && break
		sleep 0.05
	done
	_imapsh_fail "no prompt" expected "$1" "last line" "$last" \
	    pane "$text"
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
