# tests/bats/tmux-helper.bash: drive imapsh at a terminal through tmux.
# shellcheck shell=bash
#
# Loaded (after helper and e2e-helper) by the files that test the
# interactive shell.  tmux_setup, called from setup(), gives the test its
# own tmux server (-L TSOCK) and its own HOME, XDG_STATE_HOME and
# XDG_CONFIG_HOME (IHOME, ISTATE, ICONFIG), so history and configuration
# files are private to it; tmux_teardown, from teardown(), stops that
# server.
#
#   start_imapsh [VAR=VALUE...] [ARGS...]
#                     run imapsh ARGS in a new 150x40 session (PAGER,
#                     LESS and LESSSECURE unset unless given); when it
#                     exits the pane says "imapsh exited with status N"
#   pane              the pane's text, wrapped lines joined
#   type_line TEXT    type TEXT and Enter
#   type_text TEXT    type TEXT, no Enter
#   keys KEY...       tmux keys (C-c, C-d, Tab, Up...)
#   wait_for TEXT     until the pane contains TEXT (bounded)
#   wait_prompt TEXT  until the pane's last line is TEXT (bounded)

tmux_setup()
{
	command -v tmux >/dev/null || {
		echo "tmux is needed for these tests" >&2
		return 1
	}
	TSOCK=imapsh-test-$$-${BATS_SUITE_TEST_NUMBER:-$BATS_TEST_NUMBER}
	IHOME=$BATS_TEST_TMPDIR/home
	ISTATE=$BATS_TEST_TMPDIR/state
	ICONFIG=$BATS_TEST_TMPDIR/config
	mkdir -p "$IHOME" "$ISTATE" "$ICONFIG"
	# Up to 15 s for anything to show (the sanitizer build is slower).
	WAIT_TENTHS=150
}

tmux_teardown()
{
	tmux -L "$TSOCK" kill-server 2>/dev/null || true
}

# start_imapsh [VAR=VALUE...] [ARGS...]: run imapsh ARGS in a new tmux
# session of 150x40, with HOME, XDG_STATE_HOME and XDG_CONFIG_HOME private
# to the test and the VAR=VALUE settings in its environment; when it
# exits, the pane says "imapsh exited with status N".
start_imapsh()
{
	local script=$BATS_TEST_TMPDIR/run-imapsh.sh envs=()

	while [ $# -gt 0 ] && [[ $1 == [A-Z_]*=* ]]; do
		envs+=("$1")
		shift
	done
	{
		echo '#!/usr/bin/env bash'
		printf 'export HOME=%q XDG_STATE_HOME=%q XDG_CONFIG_HOME=%q\n' \
		    "$IHOME" "$ISTATE" "$ICONFIG"
		printf 'unset IMAPSH_PASSWORD IMAPSH_HISTFILE IMAPSH_CONFIG PAGER LESS LESSSECURE\n'
		printf 'cd %q\n' "$BATS_TEST_TMPDIR"
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

# type_text TEXT: type TEXT without Enter.
type_text()
{
	tmux -L "$TSOCK" send-keys -t main -l -- "$1"
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
