#!/usr/bin/env bats
# The configuration file and its named accounts (imapsh NAME), and the
# shell completions of bash, zsh and fish run for real.

load helper
load e2e-helper
load tmux-helper

ROOT="$BATS_TEST_DIRNAME/../.."

setup()
{
	imapsh_setup || return 1
	CONF=$BATS_TEST_TMPDIR/imapsh.conf
	PASSFILE=$BATS_TEST_TMPDIR/work.pass
	printf '%s\n' "$USER_PASS" >"$PASSFILE"
	chmod 600 "$PASSFILE"
	export IMAPSH_CONFIG=$CONF
}

teardown()
{
	[ -z "${TSOCK-}" ] || tmux_teardown
}

# config LINE...: write the configuration file, mode 600.
config()
{
	printf '%s\n' "$@" >"$CONF"
	chmod 600 "$CONF"
}

# work_account [LINE...]: an account "work" on the test Dovecot, for the
# test's user, with the password in PASSFILE, and LINE... after it.
work_account()
{
	config '# defaults' 'set timeout 30' '' \
	    'account work' \
	    "    host $IMAPSH_TEST_HOST" \
	    "    port $IMAPSH_TEST_PORT" \
	    "    user $USER_NAME" \
	    '    tls none' \
	    "    password-file $PASSFILE" "$@"
}

@test "config: an account connects; a bare login takes its user and password file" {
	work_account
	run imapsh_run -c login -c 'select' work
	assert_success
	assert_output "('OK', [b'Logged in'])
('OK', [b'0'])"
}

@test "config: connect ACCOUNT connects as imapsh ACCOUNT does" {
	work_account '    login yes'
	run imapsh_run -n -c 'connect work' -c select
	assert_success
	assert_output "('OK', [b'Logged in'])
('OK', [b'0'])"
}

@test "config: login yes logs in; ~/ in a file name is HOME" {
	mkdir -p "$BATS_TEST_TMPDIR/home"
	cp "$PASSFILE" "$BATS_TEST_TMPDIR/home/pw"
	config 'account work' \
	    "host $IMAPSH_TEST_HOST" \
	    "port $IMAPSH_TEST_PORT" \
	    "user $USER_NAME" \
	    'password-file ~/pw' \
	    'login yes'
	HOME=$BATS_TEST_TMPDIR/home run imapsh_run -c 'status INBOX (MESSAGES)' work
	assert_success
	assert_output "('OK', [b'Logged in'])
('OK', [b'INBOX (MESSAGES 0)'])"
}

@test "config: password-command gives the password" {
	config 'account work' \
	    "host $IMAPSH_TEST_HOST" \
	    "port $IMAPSH_TEST_PORT" \
	    "user $USER_NAME" \
	    "password-command cat '$PASSFILE'"
	run imapsh_run -c login work
	assert_success
	assert_output "('OK', [b'Logged in'])"
}

@test "config: options override the file; settings apply to every session" {
	work_account '    set format json'
	run imapsh_run -n -c 'show timeout' -c 'show format' work
	assert_success
	# in JSON, as the file says
	run jq -r '.data | to_entries[] | "\(.key) \(.value)"' <<<"$output"
	assert_output "timeout 30
format json"
	run imapsh_run -n -t 5 --format python -c 'show timeout' \
	    -c 'show format' work
	assert_success
	assert_output "timeout 5
format python"
	# A port after the account's name overrides the account's port.
	run imapsh_run -c noop work 1
	assert_failure 3
	assert_output_contains "port 1"
}

@test "config: a name that is no account, user@host and host:port stay hosts" {
	work_account
	run imapsh_run -c noop "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT"
	assert_success
	assert_output_contains "NOOP completed"
	run imapsh_run -c noop "imap+notls://work@$IMAPSH_TEST_HOST:$IMAPSH_TEST_PORT"
	assert_success
	run imapsh_run -n -c 'show timeout' "nosuchaccount"
	assert_success
	assert_output "timeout 30"
}

@test "config: errors name the file and line, and exit 2 before connecting" {
	local -a bad=(
	    "account work|    hots example.org|2: unknown keyword 'hots'"
	    "host example.org|1: host belongs in an account"
	    "account work|port 99999|2: port must be 1 to 65535, not '99999'"
	    "account work|tls maybe|2: tls must be imaps, starttls or none"
	    "account a|account a|2: account a is already defined at line 1"
	    "account a b|1: account needs a name of letters"
	    "account w|host x|host y|3: host is given twice in account w"
	    "# c||set format yaml|3: set: format must be python, raw or json"
	    "set timeout|1: set needs a name and a value"
	    "account w|netrc maybe|2: netrc must be yes or no"
	    "account w|tls-min 1.4|2: tls-min must be 1.0, 1.1, 1.2 or 1.3, not '1.4'"
	)
	local entry lines want
	for entry in "${bad[@]}"; do
		want=${entry##*|}
		lines=${entry%|*}
		IFS='|' read -r -a arr <<<"$lines"
		config "${arr[@]}"
		run imapsh_run -c noop "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT"
		assert_failure 2
		assert_output_contains "imapsh: $CONF:$want"
		refute_output_contains "NOOP"
	done
	# --help and --version still work.
	run imapsh_run --version
	assert_success
}

@test "config: a file others may write is refused; a readable password file is warned about" {
	work_account
	chmod 620 "$CONF"
	run imapsh_run -c noop work
	assert_failure 2
	assert_output "imapsh: $CONF: others may write it; refusing to use it (chmod go-w $CONF)"
	chmod 602 "$CONF"
	run imapsh_run -c noop work
	assert_failure 2
	chmod 600 "$CONF"
	chmod 644 "$PASSFILE"
	run imapsh_run -c login work
	assert_success
	assert_output "imapsh: warning: $PASSFILE: the password file of account work is readable by everyone (chmod o-r $PASSFILE)
('OK', [b'Logged in'])"
}

@test "config: the default path, IMAPSH_CONFIG naming no file, and empty" {
	local xdg=$BATS_TEST_TMPDIR/xdg
	mkdir -p "$xdg/imapsh"
	work_account
	mv "$CONF" "$xdg/imapsh/config"
	unset IMAPSH_CONFIG
	XDG_CONFIG_HOME=$xdg run imapsh_run -c login work
	assert_success
	assert_output "('OK', [b'Logged in'])"
	IMAPSH_CONFIG=$BATS_TEST_TMPDIR/none run imapsh_run -n -c noop
	assert_failure 2
	assert_output_contains "$BATS_TEST_TMPDIR/none: No such file"
	# Empty: no file at all, so "work" is a host name again.
	IMAPSH_CONFIG= XDG_CONFIG_HOME=$xdg run imapsh_run -n -c 'show timeout' work
	assert_success
	assert_output "timeout 60"
}

@test "completions: bash offers --starttls for --sta, and account names" {
	work_account
	run bash -c "
		PATH='$(dirname "$IMAPSH")':\$PATH
		source '$ROOT/completions/imapsh.bash'
		COMP_WORDS=(imapsh --sta); COMP_CWORD=1
		_imapsh; printf '%s\n' \"\${COMPREPLY[@]}\"
		COMP_WORDS=(imapsh wo); COMP_CWORD=1
		_imapsh; printf '%s\n' \"\${COMPREPLY[@]}\""
	assert_success
	assert_line 0 "--starttls"
	assert_line 1 "work"
}

@test "completions: fish offers --starttls for --sta, and account names" {
	work_account
	run fish --no-config -c "
		set PATH '$(dirname "$IMAPSH")' \$PATH
		source '$ROOT/completions/imapsh.fish'
		complete -C 'imapsh --sta'
		complete -C 'imapsh wor'"
	assert_success
	assert_output "--starttls	require STARTTLS
work	account"
}

@test "completions: zsh offers --starttls for --sta, and account names" {
	tmux_setup || return 1
	work_account
	tmux -L "$TSOCK" -f /dev/null new-session -d -s main -x 150 -y 40 \
	    "env -i HOME='$BATS_TEST_TMPDIR' TERM=screen IMAPSH_CONFIG='$CONF' PATH='$(dirname "$IMAPSH")':/usr/bin:/bin zsh -f"
	type_line "fpath=('$ROOT/completions' \$fpath); autoload -Uz compinit; compinit -u -D; PS1='zsh> '"
	wait_prompt "zsh>"
	type_text "imapsh --sta"
	keys Tab
	wait_prompt "zsh> imapsh --starttls"
	keys C-u
	type_text "imapsh wor"
	keys Tab
	wait_prompt "zsh> imapsh work"
}
