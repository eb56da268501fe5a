#!/usr/bin/env bats
# Secrets on every path a credential can be typed (imapsh(1), SECURITY
# CONSIDERATIONS), not only login and authenticate: raw and xatom of LOGIN
# and AUTHENTICATE, a SASL initial response, an answer typed by hand to
# AUTHENTICATE's "+", a literal that carries the password, and lines that
# name LOGIN through an unknown method (_simple_command).  None may show
# the secret in the trace (-d 4, -d 1 and the log command) nor go into
# the history; --show-secrets shows them, which proves the checks can fail.

load helper
load e2e-helper
load tmux-helper
load secure-helper

setup()
{
	imapsh_setup || return 1
	unset IMAPSH_PASSWORD NETRC
	SECRET=Zq7-$RANDOM$RANDOM
	new_user "" "$SECRET"
	PLAIN64=$(b64 '\0%s\0%s' "$USER_NAME" "$SECRET")
}

teardown()
{
	[ -z "${TSOCK-}" ] || tmux_teardown
}

# trace_run NAME LEVEL SCRIPT: run SCRIPT (lines) as a batch with -d LEVEL
# and a log command at the end; keep stdout and stderr in NAME.out and
# NAME.err and assert that neither holds the secret.
trace_run()
{
	local name=$1 level=$2 script=$3 dir=$BATS_TEST_TMPDIR

	status=0
	printf '%s\nlog\n' "$script" | imapsh_run -d "$level" localhost \
	    "$IMAPSH_TEST_PORT" >"$dir/$name.out" 2>"$dir/$name.err" ||
	    status=$?
	output=$(cat "$dir/$name.out" "$dir/$name.err")
	assert_no_secret "$SECRET" "$dir/$name.out" "$dir/$name.err"
}

@test "secret paths: raw LOGIN, in any case, with a tag of one's own, is redacted" {
	local level
	for level in 4 1; do
		trace_run "raw-$level" "$level" "raw LOGIN $USER_NAME $SECRET
raw login $USER_NAME $SECRET
raw a1 LOGIN $USER_NAME \"$SECRET\"
raw   LOGIN  $USER_NAME   $SECRET two words"
		assert_output_matches "[A-P]{4}[0-9]+ OK Logged in"
		assert_output_matches "> b'[A-P]{4}[0-9]+ LOGIN $USER_NAME <redacted>'"
		assert_output_contains "> b'a1 LOGIN $USER_NAME <redacted>'"
		assert_output_contains "LOGIN  $USER_NAME   <redacted> <redacted> <redacted>'"
	done
	# A second tag typed by mistake: the server refuses the line, but
	# the password in it is not shown.
	trace_run raw-two-tags 4 "raw a1 a2 LOGIN $USER_NAME $SECRET"
	assert_output_contains "> b'a1 a2 LOGIN $USER_NAME <redacted>'"
}

@test "secret paths: xatom and raw AUTHENTICATE with an initial response are redacted" {
	trace_run xatom 4 "xatom LOGIN $USER_NAME $SECRET"
	assert_output_contains "('OK', [b'Logged in'])"
	assert_output_matches "> b'[A-P]{4}[0-9]+ LOGIN $USER_NAME <redacted>'"
	trace_run xatom-auth 4 "xatom AUTHENTICATE PLAIN $PLAIN64"
	assert_output_matches "> b'[A-P]{4}[0-9]+ AUTHENTICATE PLAIN <redacted>'"
	trace_run raw-auth 4 "raw AUTHENTICATE PLAIN $PLAIN64
noop"
	assert_output_contains "OK [CAPABILITY"
	assert_output_matches "> b'[A-P]{4}[0-9]+ AUTHENTICATE PLAIN <redacted>'"
	assert_output_contains "('OK', [b'NOOP completed"
}

@test "secret paths: answers typed by hand to raw (a +, a literal) are never traced" {
	trace_run raw-cont 4 "raw AUTHENTICATE PLAIN
$PLAIN64
noop"
	assert_output_contains "+ "
	assert_output_matches "[A-P]{4}[0-9]+ OK .*Logged in"
	assert_output_contains "> b'<redacted>'"
	assert_output_contains "('OK', [b'NOOP completed"
	# With no input left: cancelled with "*", not a wait for the timeout.
	run_split -d 4 -t 20 -c "raw AUTHENTICATE PLAIN" localhost \
	    "$IMAPSH_TEST_PORT"
	[[ $ERR == *"> b'*'"* ]] ||
	    _imapsh_fail "no cancel was sent" err "$ERR"
	[[ $OUT =~ [A-P]{4}[0-9]+\ BAD ]] ||
	    _imapsh_fail "the cancel was not answered" output "$OUT"
	# A literal carrying the password: its size is traced, never its
	# bytes ({N} counts the CRLF the input line ends with).
	trace_run raw-literal 4 "raw LOGIN $USER_NAME {$((${#SECRET} + 2))}
$SECRET"
	assert_output_matches "> b'[A-P]{4}[0-9]+ LOGIN $USER_NAME \\{$((${#SECRET} + 2))\\}'"
	assert_output_contains "write literal size $((${#SECRET} + 2))"
}

@test "secret paths: --show-secrets shows them (the checks above can fail)" {
	local dir=$BATS_TEST_TMPDIR
	printf 'raw LOGIN %s %s\n' "$USER_NAME" "$SECRET" |
	    imapsh_run -d 4 --show-secrets localhost "$IMAPSH_TEST_PORT" \
	    >"$dir/show.out" 2>"$dir/show.err" || true
	run assert_no_secret "$SECRET" "$dir/show.out" "$dir/show.err"
	assert_failure
	printf 'raw AUTHENTICATE PLAIN\n%s\n' "$PLAIN64" |
	    imapsh_run -d 4 --show-secrets localhost "$IMAPSH_TEST_PORT" \
	    >"$dir/show2.out" 2>"$dir/show2.err" || true
	assert_file_contains "$dir/show2.err" "> b'$PLAIN64'"
}

@test "secret paths: no line that carries a credential goes into the history" {
	tmux_setup
	start_imapsh localhost "$IMAPSH_TEST_PORT"
	wait_for "localhost (not logged in)>"
	type_line "raw AUTHENTICATE PLAIN"
	wait_for "+ "
	type_line "$PLAIN64"
	wait_for "OK [CAPABILITY"
	type_line "raw LOGIN $USER_NAME $SECRET"
	type_line "raw a7 login $USER_NAME $SECRET"
	type_line "xatom LOGIN $USER_NAME $SECRET"
	type_line "xatom AUTHENTICATE PLAIN $PLAIN64"
	type_line "M._simple_command('LOGIN', '$USER_NAME', '$SECRET')"
	type_line "M.xatom('LOGIN', '$USER_NAME', '$SECRET')"
	type_line "logi $USER_NAME $SECRET"
	type_line "raw LOGIN $USER_NAME \"$SECRET"
	wait_for "ambiguous command 'logi'"
	type_line "raw NOOP"
	type_line noop
	wait_for "('OK', [b'NOOP completed"
	keys C-d
	wait_for "imapsh exited with status"
	run history_lines "$ISTATE/imapsh/history"
	assert_output "raw AUTHENTICATE PLAIN
raw NOOP
noop"
	run grep -rlF -- "$SECRET" "$ISTATE" "$IHOME"
	assert_failure 1
	run grep -rlF -- "$PLAIN64" "$ISTATE" "$IHOME"
	assert_failure 1
}
