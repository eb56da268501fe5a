#!/usr/bin/env bats
# Batch use: exit statuses, -e, scripts on standard input, and the options
# that print and exit.

load helper
load e2e-helper

bats_require_minimum_version 1.5.0

teardown()
{
	fake_server_stop
}

# --- exit status 0 and 1 ---------------------------------------------

@test "exit 0 when every command returns OK" {
	run ish_c select noop 'create Box' 'list "" Box' logout
	assert_success
	refute_output_contains "error:"
	assert_line -1 "('BYE', [b'Logging out'])"
}

@test "exit 1 when a command returns NO" {
	run ish_c 'select NoSuchBox' noop
	assert_failure 1
	assert_output_contains "('NO', [b\"Mailbox doesn't exist: NoSuchBox"
	# The script went on after the NO.
	assert_output_contains "('OK', [b'NOOP completed"
}

@test "exit 1 when a command gets BAD (raised as an error)" {
	run ish_c select 'fetch 1 (NOSUCHITEM)' noop
	assert_failure 1
	assert_output_contains "error: FETCH command error: BAD [b'Error in IMAP command FETCH:"
	assert_output_contains "('OK', [b'NOOP completed"
}

@test "exit 1 when a command raises an error without sending anything" {
	run ish_c expunge
	assert_failure 1
	drop_login
	assert_output "line 2: error: command EXPUNGE illegal in state AUTH, only allowed in states SELECTED"
}

@test "a wrong password: the error imaplib raises, exit 1; the script goes on" {
	# (Dovecot answers a failed login after half a second: one is enough.)
	run ish <<EOF
login $USER_NAME wrong-$USER_PASS
capability
EOF
	assert_failure 1
	assert_line 0 "line 1: error: b'[AUTHENTICATIONFAILED] Authentication failed.'"
	# Still not logged in: the pre-login capabilities.
	assert_output_contains "AUTH=PLAIN"
	[ "${#lines[@]}" -le 3 ] ||
	    _imapsh_fail "more output than the error and one result" \
	    output "$output"
}

# --- exit status 2: usage errors -------------------------------------

@test "exit 2 for a bad option, with the usage on stderr" {
	run --separate-stderr "$IMAPSH" -Z
	assert_failure 2
	[ -z "$output" ] || _imapsh_fail "stdout not empty" stdout "$output"
	[[ $stderr == *"invalid option"* ]] ||
	    _imapsh_fail "no diagnostic" stderr "$stderr"
	[[ $stderr =~ usage:\ imapsh\ \[-[0-9A-Za-z]*e[0-9A-Za-z]*\]\ \[-c\ line\] ]] ||
	    _imapsh_fail "no usage line" stderr "$stderr"
}

@test "exit 2 for a bad port, before connecting" {
	local port
	for port in notaport 0 65536 99999 12x; do
		run imapsh_run -c noop 127.0.0.1 "$port"
		assert_failure 2
		assert_output_contains "port must be 1 to 65535, not '$port'"
		refute_output_contains "cannot connect"
	done
}

@test "exit 2 for a bad debug level or timeout" {
	run ish -d 99 -c noop
	assert_failure 2
	assert_output_contains "debug level must be 0 to 5, not '99'"
	run ish -d x -c noop
	assert_failure 2
	run ish -t -5 -c noop
	assert_failure 2
	run ish --timeout=soon -c noop
	assert_failure 2
}

@test "exit 2 for an unknown command line" {
	run ish_c frobnicate noop
	assert_failure 2
	assert_output_contains "error: unknown command 'frobnicate' ('help' lists commands)"
	assert_output_contains "('OK', [b'NOOP completed"
	run ish_c selct
	assert_failure 2
	assert_output_contains "error: unknown command 'selct'; did you mean select"
}

@test "exit 2 for a wrong argument count, with Python's message and the usage" {
	run ish_c select 'fetch 1'
	assert_failure 2
	assert_line -2 "line 3: error: fetch() missing 1 required positional argument: 'message_parts'"
	assert_line -1 "usage: fetch message_set message_parts"
	run ish_c 'rename a'
	assert_failure 2
	assert_line -2 "line 2: error: rename() missing 1 required positional argument: 'newmailbox'"
	assert_line -1 "usage: rename oldmailbox newmailbox"
	run ish_c 'status'
	assert_failure 2
	assert_line -2 "line 2: error: status() missing 2 required positional arguments: 'mailbox' and 'names'"
	run ish_c 'noop now'
	assert_failure 2
	assert_line -2 "line 2: error: noop() takes 0 positional arguments but 1 was given"
	assert_line -1 "usage: noop"
	run ish_c 'copy 1 a b'
	assert_failure 2
	assert_line -2 "line 2: error: copy() takes 2 positional arguments but 3 were given"
}

@test "the highest status wins: a usage error after a NO exits 2" {
	run ish_c 'select NoSuchBox' 'fetch 1' noop
	assert_failure 2
	run ish_c 'fetch 1' 'select NoSuchBox'
	assert_failure 2
}

# --- exit status 3: connection failures ------------------------------

@test "exit 3 when the connection is refused" {
	local port
	port=$(free_port)
	run imapsh_run -c noop 127.0.0.1 "$port"
	assert_failure 3
	assert_output "error: cannot connect to 127.0.0.1 port $port: connection refused"
}

@test "exit 3 when the server closes the connection during the greeting" {
	fake_server close
	run imapsh_run -c noop -c 'create X' 127.0.0.1 "$FAKE_PORT"
	assert_failure 3
	assert_output_contains "connection closed by server during greeting"
	refute_output_contains "('"
}

@test "exit 3 when the server stays silent past --timeout" {
	fake_server silent
	SECONDS=0
	run imapsh_run --timeout 1 -c noop 127.0.0.1 "$FAKE_PORT"
	assert_failure 3
	assert_output_contains "timed out"
	[ "$SECONDS" -le 4 ] ||
	    _imapsh_fail "the timeout took too long" seconds "$SECONDS"
}

# --- -e --------------------------------------------------------------

@test "-e stops at a NO: later commands never reach the server" {
	run ish -e <<EOF
login $USER_NAME $USER_PASS
create Before
select NoSuchBox
create After
EOF
	assert_failure 1
	refute_output_contains "error:"
	run imap_py 'print(sorted(M.list()[1]))'
	assert_output "[b'(\\\\HasNoChildren) \"/\" Before', b'(\\\\HasNoChildren) \"/\" INBOX']"
}

@test "without -e the same script goes on" {
	run ish <<EOF
login $USER_NAME $USER_PASS
create Before
select NoSuchBox
create After
EOF
	assert_failure 1
	run imap_py 'print(sorted(M.list()[1]))'
	assert_output "[b'(\\\\HasNoChildren) \"/\" After', b'(\\\\HasNoChildren) \"/\" Before', b'(\\\\HasNoChildren) \"/\" INBOX']"
}

@test "-e stops at a usage error and at a raised error" {
	run ish -e -c "login $USER_NAME $USER_PASS" -c 'fetch 1' -c 'create After1'
	assert_failure 2
	run ish -e -c "login $USER_NAME $USER_PASS" -c 'close' -c 'create After2'
	assert_failure 1
	assert_output_contains "error: command CLOSE illegal in state AUTH"
	run ish -d 4 -e -c "login $USER_NAME wrong" -c 'create After3'
	assert_failure 1
	assert_output_contains "error: b'[AUTHENTICATIONFAILED] Authentication failed.'"
	refute_output_contains "CREATE"
	run imap_py 'print(M.list())'
	assert_output "('OK', [b'(\\\\HasNoChildren) \"/\" INBOX'])"
}

# --- scripts ---------------------------------------------------------

@test "a script without logout still logs out cleanly" {
	run ish -d 4 <<EOF
login $USER_NAME $USER_PASS
select
EOF
	assert_success
	refute_output_contains "error"
	refute_output_contains "abort"
	assert_output_matches "> b'[A-Z]{4}[0-9]+ LOGOUT'"
	assert_output_contains "BYE response: b'Logging out'"
	# The result of the implicit logout is not printed.
	refute_output_contains "('BYE'"
	wait_dovecot_log "Logged out"
}

@test "results print in order, errors in between" {
	run ish <<EOF
login $USER_NAME $USER_PASS
status INBOX (MESSAGES)
close
create A1
fetch 1
create A2
select NoSuchBox
list "" A*
EOF
	assert_failure 2
	drop_login
	norm_times
	assert_output "('OK', [b'INBOX (MESSAGES 0)'])
line 3: error: command CLOSE illegal in state AUTH, only allowed in states SELECTED
('OK', [b'Create completed (T secs).'])
line 5: error: fetch() missing 1 required positional argument: 'message_parts'
usage: fetch message_set message_parts
('OK', [b'Create completed (T secs).'])
('NO', [b\"Mailbox doesn't exist: NoSuchBox (T secs).\"])
('OK', [b'(\\\\HasNoChildren) \"/\" A2', b'(\\\\HasNoChildren) \"/\" A1'])"
}

@test "each result is printed as its command completes" {
	# A reader of the pipe sees the first result before the script
	# sends its second line.
	local fifo=$BATS_TEST_TMPDIR/in
	mkfifo "$fifo"
	(
		exec 4>"$fifo"
		printf 'login %s %s\nnoop\n' "$USER_NAME" "$USER_PASS" >&4
		for ((i = 0; i < 100; i++)); do
			[ -s "$BATS_TEST_TMPDIR/out" ] &&
			    grep -q "NOOP completed" "$BATS_TEST_TMPDIR/out" &&
			    break
			sleep 0.05
		done
		if grep -q "NOOP completed" "$BATS_TEST_TMPDIR/out"; then
			echo 'create SeenInTime' >&4
		fi
	) 3>&- &
	ish <"$fifo" >"$BATS_TEST_TMPDIR/out" 2>&1
	wait
	run imap_py 'print(M.list("\"\"", "SeenInTime"))'
	assert_output "('OK', [b'(\\\\HasNoChildren) \"/\" SeenInTime'])"
}

@test "comment lines and blank lines are ignored" {
	run ish -d 4 <<EOF
# login nobody nothing
login $USER_NAME $USER_PASS

# create Commented
	
noop
#noop
EOF
	assert_success
	refute_output_contains "Commented"
	refute_output_contains "nobody"
	run match_groups "> b'[A-Z]{4}[0-9]+ (NOOP|LOGIN)"
	assert_output "LOGIN NOOP"
	run imap_py 'print(M.list())'
	assert_output "('OK', [b'(\\\\HasNoChildren) \"/\" INBOX'])"
}

@test "heredoc append body lines are never run as commands" {
	local f
	run ish <<EOF
login $USER_NAME $USER_PASS
append INBOX None None extra args <<EOM
create Injected1
EOM
append <<EOM
create Injected2
EOM
append INBOX None yesterday <<EOM
create Injected3
EOM
appendx INBOX None None <<EOM
create Injected4
EOM
append NoSuchBox None None <<EOM
create Injected5
EOM
create Control
EOF
	assert_failure 2
	assert_output_contains "error: append() takes from 3 to 4 positional arguments but 5 were given"
	assert_output_contains "error: append() missing 3 required positional arguments: 'mailbox', 'flags', and 'date_time'"
	assert_output_contains "error: unknown command 'appendx'"
	assert_output_contains "[TRYCREATE]"
	run imap_py 'print(M.list()); print(M.select("INBOX"))'
	assert_line 0 "('OK', [b'(\\\\HasNoChildren) \"/\" Control', b'(\\\\HasNoChildren) \"/\" INBOX'])"
	assert_line 1 "('OK', [b'0'])"
}

@test "heredoc append body lines are not run when the append line fails to parse" {
	run ish <<EOF
login $USER_NAME $USER_PASS
append "unterminated <<EOM
create Injected1
EOM
append INBOX None None (unbalanced <<EOM
create Injected2
EOM
M.append('INBOX', None, None, <<EOM
create Injected3
EOM
create Control
EOF
	assert_failure 2
	assert_output_contains "error: unterminated quote"
	refute_output_contains "unknown command 'EOM'"
	run imap_py 'print(M.list()); print(M.select("INBOX"))'
	assert_line 0 "('OK', [b'(\\\\HasNoChildren) \"/\" Control', b'(\\\\HasNoChildren) \"/\" INBOX'])"
	assert_line 1 "('OK', [b'0'])"
}

@test "a script that ends inside a heredoc appends nothing" {
	run ish <<EOF
login $USER_NAME $USER_PASS
append INBOX None None <<EOM
Subject: cut short

body
EOF
	assert_failure 2
	assert_output_matches "error: .*'EOM'"
	run imap_py 'print(M.select("INBOX"))'
	assert_output "('OK', [b'0'])"
}

@test "a bare login takes IMAPSH_PASSWORD; without it and a terminal it fails" {
	# imapsh_run runs "setsid -w imapsh": no controlling terminal.
	local real_imapsh=$IMAPSH setsid
	setsid=$(command -v setsid)
	IMAPSH=$setsid IMAPSH_PASSWORD=$USER_PASS \
	    run imapsh_run -w "$real_imapsh" "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT" <<EOF
login $USER_NAME
select
EOF
	assert_success
	assert_line -1 "('OK', [b'0'])"
	# No controlling terminal: nowhere to ask, so an error, not a hang.
	unset IMAPSH_PASSWORD
	IMAPSH=$setsid run imapsh_run -w "$real_imapsh" \
	    "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT" <<EOF
login $USER_NAME
create AfterNoPassword
EOF
	assert_failure 1
	assert_output_contains "error: no password for $USER_NAME"
	refute_output_contains "Logged in"
}

@test "lines after quit are not run" {
	run ish <<EOF
login $USER_NAME $USER_PASS
quit
create AfterQuit
EOF
	assert_success
	run imap_py 'print(M.list())'
	assert_output "('OK', [b'(\\\\HasNoChildren) \"/\" INBOX'])"
}

@test "with -c, standard input is not read" {
	run ish -c "login $USER_NAME $USER_PASS" -c noop <<EOF
create FromStdin
EOF
	assert_success
	run imap_py 'print(M.list())'
	assert_output "('OK', [b'(\\\\HasNoChildren) \"/\" INBOX'])"
}

@test "-l logs in with IMAPSH_PASSWORD as the user of user@host" {
	IMAPSH_PASSWORD=$USER_PASS run imapsh_run -l -c 'select' \
	    "$USER_NAME@$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT"
	assert_success
	assert_line -1 "('OK', [b'0'])"
	assert_output_contains "Logged in'])"
}

# --- options that print and exit -------------------------------------

@test "usage errors say what is wrong: --ssl with --starttls, three arguments" {
	run imapsh_run --ssl --starttls -n
	assert_failure 2
	assert_output_contains "--ssl and --starttls exclude each other"
	run imapsh_run --starttls -n --ssl
	assert_failure 2
	assert_output_contains "--ssl and --starttls exclude each other"
	run imapsh_run a b c
	assert_failure 2
	assert_output_contains "too many arguments from 'c' on: give [user@]host [port], an account [port] or a URL"
}

@test "--help and -h print the usage on stdout and exit 0" {
	local opt
	for opt in --help -h; do
		run --separate-stderr "$IMAPSH" "$opt"
		assert_success
		[ -z "$stderr" ] || _imapsh_fail "stderr not empty" stderr "$stderr"
		assert_output_matches "^usage: imapsh \[-[0-9A-Za-z]+\] \[-c line\] \[-d level\] "
		assert_output_contains "-e, --exit-on-error
                  stop at the first command that fails"
	done
}

@test "a bad option: the error, the synopsis and a pointer to --help, exit 2" {
	run --separate-stderr "$IMAPSH" --no-such-option
	assert_failure 2
	[ -z "$output" ] || _imapsh_fail "stdout not empty" stdout "$output"
	[[ ${stderr_lines[0]} == *"--no-such-option"* ]] ||
	    _imapsh_fail "the first line does not name the option" stderr "$stderr"
	[[ ${stderr_lines[1]} == "usage: imapsh "* ]] ||
	    _imapsh_fail "no synopsis after the error" stderr "$stderr"
	[[ ${stderr_lines[-1]} == "imapsh --help lists the options; see imapsh(1)." ]] ||
	    _imapsh_fail "no pointer to --help at the end" stderr "$stderr"
	[[ $stderr != *"stop at the first command that fails"* ]] ||
	    _imapsh_fail "the option descriptions follow the error" stderr "$stderr"
}

@test "--version and -V name imapsh and GnuTLS" {
	local opt
	for opt in --version -V; do
		run --separate-stderr "$IMAPSH" "$opt"
		assert_success
		assert_output_matches "^imapsh [0-9]+\.[0-9]+\.[0-9]+ \(GnuTLS [0-9]+\.[0-9.]+, libedit [^)]*\)$"
	done
}

@test "--list-commands lists every command, one per line with its summary" {
	run --separate-stderr "$IMAPSH" --list-commands
	assert_success
	[ -z "$stderr" ] || _imapsh_fail "stderr not empty" stderr "$stderr"
	local listed=" " line name
	for line in "${lines[@]}"; do
		[[ $line =~ ^[a-zA-Z_0-9]+$'\t'[a-zA-Z]. ]] ||
		    _imapsh_fail "not 'name<TAB>summary'" line "$line"
		listed+="${line%%$'\t'*} "
	done
	# Every imaplib method of the foundation, and the shell's own.
	for name in connect reconnect login logout capability noop namespace \
	    xatom select close check expunge list lsub status create delete \
	    rename subscribe unsubscribe search fetch store copy uid append \
	    response recent help debug log quit exit; do
		[[ $listed == *" $name "* ]] ||
		    _imapsh_fail "command not listed" name "$name" \
		    listed "$listed"
	done
	[[ $output == *"exit"$'\t'"alias of quit"* ]] ||
	    _imapsh_fail "exit is not shown as quit's alias" output "$output"
	# And nothing that help does not know: the table drives both.
	run ish -c help
	for name in $listed; do
		[ "$name" = exit ] && continue
		assert_output_matches "(^|"$'\n'")  $name +[a-zA-Z]"
	done
}

@test "help lists the commands and help CMD shows the usage" {
	run ish -c help -c 'help fetch' -c 'help nosuch'
	assert_failure
	assert_output_contains "usage: fetch message_set message_parts"
	assert_output_contains "example: fetch 1:3 (FLAGS BODY.PEEK[HEADER])"
	local cmd
	for cmd in select fetch uid append response recent debug log quit; do
		assert_output_contains "$cmd"
	done
}

@test "every error in a script names its input line; the Nth -c is line N" {
	run ish <<EOF2
login $USER_NAME $USER_PASS
noop
fecth 1
append INBOX None None <<EOM
Subject: x

body
EOM
expunge
M.fetch('1')
EOF2
	assert_failure 2
	assert_output_contains "line 3: error: unknown command 'fecth'"
	# The heredoc's body lines count: expunge is line 9.
	assert_output_contains "line 9: error: command EXPUNGE illegal in state AUTH"
	assert_output_contains "line 10: error: fetch() missing 1 required"
	run ish -c "login $USER_NAME $USER_PASS" -c noop -c 'fecth' -c expunge
	assert_failure 2
	assert_output_contains "line 3: error: unknown command 'fecth'"
	assert_output_contains "line 4: error: command EXPUNGE illegal"
	# A connection that fails is no line's error.
	run imapsh_run -t 2 -c noop 127.0.0.1 "$(free_port)"
	assert_failure 3
	refute_output_contains "line "
}

@test "hints on stderr after the unchanged result: charset, select first, parentheses, UTF-7" {
	local args=(-c "login $USER_NAME $USER_PASS" -c 'search FROM bob'
	    -c 'fetch 1 (FLAGS)' -c 'status INBOX MESSAGES' -c 'create Résumé'
	    -c select -c 'search None FROM bob' -c 'status INBOX (MESSAGES)'
	    -c 'create R&AOk-sum&AOk-')
	status=0
	ish "${args[@]}" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" ||
	    status=$?
	assert_failure 1
	run cat "$BATS_TEST_TMPDIR/err"
	assert_line 1 "hint: the first argument of search is the charset, so FROM went as the charset; give one: search None FROM ..."
	assert_line 2 "hint: select a mailbox first (select INBOX, or examine INBOX to read only)"
	assert_line 4 "hint: select a mailbox first (select INBOX, or examine INBOX to read only)"
	assert_line 6 "hint: status items go in parentheses: status INBOX (MESSAGES)"
	assert_line 7 "hint: mailbox names are modified UTF-7 in IMAP: Résumé is R&AOk-sum&AOk- (utf7 encode converts a name)"
	# Nothing else: the right forms get no hint.
	[ "$(grep -c '^hint:' "$BATS_TEST_TMPDIR/err")" -eq 5 ] ||
	    _imapsh_fail "more hints" stderr "$output"
	# The results are imaplib's, unchanged: stdout has no hint.
	run grep -c hint "$BATS_TEST_TMPDIR/out"
	assert_output 0
	run cat "$BATS_TEST_TMPDIR/out"
	assert_output_contains "('NO', [b'Mailbox name is not valid mUTF-7"
	assert_output_contains "('OK', [b'INBOX (MESSAGES 0)'])"
	run imap_py 'print(sorted(M.list()[1]))'
	assert_output_contains "R&AOk-sum&AOk-"
}
