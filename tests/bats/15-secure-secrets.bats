#!/usr/bin/env bats
# Secrets stay secret (imapsh(1), SECURITY CONSIDERATIONS): no password
# or token, nor its base64 form, in the trace at the highest level, in
# the log command, in error messages, or in the interactive history;
# --show-secrets does show them, which proves the checks can fail.
#
# Every secret is distinctive (S3cr3t-<random>) and looked for with
# grep -F in stdout and stderr apart, as it is, in base64 alone (the LOGIN
# mechanism sends it so) and as PLAIN's base64 "\0user\0secret".

load helper
load ../fake/fake
load secure-helper

MECHS="PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256"

setup()
{
	imapsh_setup || return 1
	unset IMAPSH_PASSWORD NETRC
	SECRET=S3cr3t-$RANDOM$RANDOM
	new_user "" "$SECRET"
	HOST=$IMAPSH_TEST_HOST
}

teardown()
{
	fake_stop || true
	if [ -n "${TSOCK-}" ]; then
		tmux -L "$TSOCK" kill-server 2>/dev/null || true
	fi
}

# auth_line HOW [PASSWORD]: the command line that logs in with HOW (a
# mechanism, login or login_cram_md5) and PASSWORD (default SECRET).
auth_line()
{
	local pass=${2:-$SECRET}

	case $1 in
	login*) echo "$1 $USER_NAME $pass" ;;
	*) echo "authenticate $1 $USER_NAME $pass" ;;
	esac
}

# keep NAME: save OUT and ERR of the last run_split as NAME.out, NAME.err
# and print their paths.
keep()
{
	printf '%s\n' "$OUT" >"$BATS_TEST_TMPDIR/$1.out"
	printf '%s\n' "$ERR" >"$BATS_TEST_TMPDIR/$1.err"
	printf '%s\n' "$BATS_TEST_TMPDIR/$1.out" "$BATS_TEST_TMPDIR/$1.err"
}

@test "secrets: -d 5 shows no password, for login and every mechanism" {
	local how files
	for how in login login_cram_md5 $MECHS; do
		run_split -d 5 -c "$(auth_line "$how")" -c noop \
		    localhost "$IMAPSH_TEST_PORT"
		assert_success
		[[ $OUT == "('OK', [b'Logged in'])"* ]] ||
		    _imapsh_fail "$how: not logged in" output "$output"
		mapfile -t files < <(keep "$how")
		assert_no_secret "$SECRET" "${files[@]}"
		# Every line sent after the command itself is redacted.
		case $how in
		login)
			[[ $ERR =~ "> b'"[A-Z]+"1 LOGIN $USER_NAME <redacted>'" ]] ||
			    _imapsh_fail "no redacted LOGIN" err "$ERR" ;;
		PLAIN | SCRAM-*)
			[[ $ERR =~ "> b'"[A-Z]+"1 AUTHENTICATE $how <redacted>'" ]] ||
			    _imapsh_fail "no redacted AUTHENTICATE" err "$ERR" ;;
		*)
			[[ $ERR =~ "> b'"[A-Z]+"1 AUTHENTICATE "[A-Z0-9-]+"'" ]] ||
			    _imapsh_fail "no AUTHENTICATE" err "$ERR" ;;
		esac
		if [[ $how != login && $how != PLAIN ]]; then
			[[ $ERR == *"> b'<redacted>'"* ]] ||
			    _imapsh_fail "$how: no redacted response" err "$ERR"
			# No other line goes out between the command and its
			# tagged reply.
			[[ ! $ERR =~ "> b'"[^A-Z\<] ]] ||
			    _imapsh_fail "$how: a line sent in clear" err "$ERR"
		fi
	done
}

@test "secrets: the log command shows no password either" {
	local how files
	for how in login $MECHS; do
		run_split -c "$(auth_line "$how")" -c log localhost \
		    "$IMAPSH_TEST_PORT"
		assert_success
		assert_output_contains "<redacted>"
		mapfile -t files < <(keep "$how")
		assert_no_secret "$SECRET" "${files[@]}"
	done
}

@test "secrets: --show-secrets shows them (the checks above can fail)" {
	local files
	run_split -d 5 --show-secrets -c "$(auth_line login)" \
	    localhost "$IMAPSH_TEST_PORT"
	assert_success
	mapfile -t files < <(keep login)
	run assert_no_secret "$SECRET" "${files[@]}"
	assert_failure
	[[ $ERR == *"LOGIN $USER_NAME \"$SECRET\"'"* ]] ||
	    _imapsh_fail "the password is not shown" err "$ERR"

	run_split -d 5 --show-secrets -c "$(auth_line PLAIN)" \
	    localhost "$IMAPSH_TEST_PORT"
	assert_success
	mapfile -t files < <(keep plain)
	run assert_no_secret "$SECRET" "${files[@]}"
	assert_failure
	[[ $ERR == *"AUTHENTICATE PLAIN $(b64 '\0%s\0%s' "$USER_NAME" "$SECRET")'"* ]] ||
	    _imapsh_fail "the PLAIN message is not shown" err "$ERR"

	run_split -d 5 --show-secrets -c "$(auth_line LOGIN)" \
	    localhost "$IMAPSH_TEST_PORT"
	assert_success
	[[ $ERR == *"> b'$(b64 '%s' "$SECRET")'"* ]] ||
	    _imapsh_fail "the LOGIN password is not shown" err "$ERR"
}

@test "secrets: a failed login's error and trace hold no secret" {
	local how n=0 pids=() dir=$BATS_TEST_TMPDIR wrong
	for how in login login_cram_md5 $MECHS; do
		n=$((n + 1))
		wrong=Wr0ng-$n-$RANDOM$RANDOM
		echo "$wrong" >"$dir/fail.$n.secret"
		imapsh_run -d 5 -c "$(auth_line "$how" "$wrong")" localhost \
		    "$IMAPSH_TEST_PORT" >"$dir/fail.$n.out" \
		    2>"$dir/fail.$n.err" &
		pids+=($!)
	done
	for ((n = 1; n <= ${#pids[@]}; n++)); do
		status=0
		wait "${pids[n - 1]}" || status=$?
		assert_failure 1
		assert_file_contains "$dir/fail.$n.err" "error: "
		assert_no_secret "$(<"$dir/fail.$n.secret")" \
		    "$dir/fail.$n.out" "$dir/fail.$n.err"
	done
}

@test "secrets: errors about a login line do not echo its secret" {
	run_split -c "authenticate NO-SUCH-MECH $USER_NAME $SECRET" \
	    -c "login $USER_NAME $SECRET" -c "login $USER_NAME $SECRET" \
	    -c "authenticate PLAIN $USER_NAME $SECRET" \
	    localhost "$IMAPSH_TEST_PORT"
	assert_failure 1
	# The unknown mechanism, then the logins in the wrong state.
	assert_output_contains "unknown SASL mechanism 'NO-SUCH-MECH'"
	assert_output_contains "illegal in state AUTH"
	local files
	mapfile -t files < <(keep errors)
	assert_no_secret "$SECRET" "${files[@]}"
	# A password the server cannot take (a CR): refused, not shown.
	run_split -c "login $USER_NAME '$SECRET"$'\r'"x'" \
	    localhost "$IMAPSH_TEST_PORT"
	assert_failure
	mapfile -t files < <(keep cr)
	assert_no_secret "$SECRET" "${files[@]}"
}

@test "secrets: OAuth tokens stay out of the trace, with every source" {
	local tok=T0ken-$RANDOM$RANDOM sc files blob
	sc=$(scenario xoauth2-secret <<EOF
S: * OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2] fake-imapd ready
CAPS IMAP4rev1 SASL-IR AUTH=XOAUTH2
C: {TAG} AUTHENTICATE XOAUTH2 {B64:user=user@example.org\x01auth=Bearer $tok\x01\x01}
S: {TAG} OK [CAPABILITY IMAP4rev1 IDLE] Logged in
EOF
)
	blob=$(b64 'user=user@example.org\001auth=Bearer %s\001\001' "$tok")
	printf '%s\n' "$tok" >"$BATS_TEST_TMPDIR/token"
	fake_start "$sc"
	run_split -d 5 --token "$tok" -c "authenticate XOAUTH2 user@example.org" \
	    -c log localhost "$FAKE_PORT"
	assert_success
	fake_wait
	mapfile -t files < <(keep token)
	assert_no_secret "$tok" "${files[@]}"
	refute_output_contains "$blob"
	assert_output_contains "AUTHENTICATE XOAUTH2 <redacted>'"

	fake_start "$sc"
	run_split -d 5 --token-file "$BATS_TEST_TMPDIR/token" \
	    -c "authenticate XOAUTH2 user@example.org" localhost "$FAKE_PORT"
	assert_success
	fake_wait
	mapfile -t files < <(keep token-file)
	assert_no_secret "$tok" "${files[@]}"

	fake_start "$sc"
	run_split -d 5 --token-command "cat $BATS_TEST_TMPDIR/token" \
	    -c "authenticate XOAUTH2 user@example.org" localhost "$FAKE_PORT"
	assert_success
	fake_wait
	mapfile -t files < <(keep token-command)
	assert_no_secret "$tok" "${files[@]}"

	# OAUTHBEARER, refused with its error JSON.
	fake_start "$(scenario oauthbearer-secret <<EOF
S: * OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=OAUTHBEARER] fake-imapd ready
CAPS IMAP4rev1 SASL-IR AUTH=OAUTHBEARER
C: {TAG} AUTHENTICATE OAUTHBEARER {B64RE:n,(a=user@example\.org)?,\x01(host=[^\x01]+\x01)?(port={PORT}\x01)?auth=Bearer $tok\x01\x01}
S: + {B64:{"status":"invalid_token"}}
C: AQ==
S: {TAG} NO [AUTHENTICATIONFAILED] Authentication failed
EOF
)"
	run_split -d 5 --token "$tok" \
	    -c "authenticate OAUTHBEARER user@example.org" localhost "$FAKE_PORT"
	assert_failure 1
	assert_output_contains "invalid_token"
	fake_wait
	mapfile -t files < <(keep oauthbearer)
	assert_no_secret "$tok" "${files[@]}"

	# --show-secrets: the token shows (inside the base64 message).
	fake_start "$sc"
	run_split -d 5 --show-secrets --token "$tok" \
	    -c "authenticate XOAUTH2 user@example.org" localhost "$FAKE_PORT"
	assert_success
	fake_wait
	assert_output_contains "AUTHENTICATE XOAUTH2 $blob'"
}

# --- the interactive history, through tmux --------------------------------

# start_imapsh ARGS...: imapsh ARGS in a new tmux session (150x40) with
# HOME and XDG_STATE_HOME private to the test; when it exits, the pane
# says "imapsh exited with status N".
start_imapsh()
{
	local script=$BATS_TEST_TMPDIR/run-imapsh.sh

	command -v tmux >/dev/null || {
		echo "tmux is needed for this test" >&2
		return 1
	}
	TSOCK=imapsh-secure-$$-${BATS_SUITE_TEST_NUMBER:-$BATS_TEST_NUMBER}
	IHOME=$BATS_TEST_TMPDIR/home
	ISTATE=$BATS_TEST_TMPDIR/state
	mkdir -p "$IHOME" "$ISTATE"
	{
		echo '#!/usr/bin/env bash'
		printf 'export HOME=%q XDG_STATE_HOME=%q\n' "$IHOME" "$ISTATE"
		printf 'unset IMAPSH_PASSWORD IMAPSH_HISTFILE NETRC\n'
		printf '%q ' "$IMAPSH" "$@"
		printf '\necho "imapsh exited with status $?"\nexec sleep 120\n'
	} >"$script"
	chmod +x "$script"
	tmux -L "$TSOCK" -f /dev/null new-session -d -s main -x 150 -y 40 \
	    "$script"
}

pane()
{
	tmux -L "$TSOCK" capture-pane -p -J -t main -S -2000 |
	    sed -e 's/[[:space:]]*$//' -e '/^$/d'
}

type_line()
{
	tmux -L "$TSOCK" send-keys -t main -l -- "$1"
	tmux -L "$TSOCK" send-keys -t main Enter
}

# wait_count TEXT N: wait (15 s at most) until the pane shows TEXT N times.
wait_count()
{
	local i text n

	for ((i = 0; i < 300; i++)); do
		text=$(pane)
		n=$(grep -cF -- "$1" <<<"$text" || true)
		[ "$n" -ge "$2" ] && return 0
		[[ $text == *"imapsh exited with status"* ]] && break
		sleep 0.05
	done
	_imapsh_fail "the pane never showed the text $2 times" \
	    expected "$1" pane "$text"
}

@test "secrets: the history never holds a line with a password" {
	start_imapsh "$HOST" "$IMAPSH_TEST_PORT"
	wait_count "$HOST (not logged in)>" 1
	type_line "login $USER_NAME $SECRET"
	wait_count "$USER_NAME@$HOST>" 1
	# In the authenticated state these fail at once, but they were
	# typed with the password all the same.
	type_line "authenticate PLAIN $USER_NAME $SECRET"
	type_line "login_cram_md5 $USER_NAME $SECRET"
	type_line "auth SCRAM-SHA-256 $USER_NAME $SECRET"
	type_line "M.login('$USER_NAME', '$SECRET')"
	type_line "typ, dat = M.login('$USER_NAME', '$SECRET')"
	wait_count "illegal in state AUTH" 5
	type_line noop
	wait_count "('OK', [b'NOOP completed" 1
	tmux -L "$TSOCK" send-keys -t main C-d
	# Status 0: an interactive session exits with its last command's,
	# and noop worked.
	wait_count "imapsh exited with status 0" 1
	run history_lines "$ISTATE/imapsh/history"
	assert_output "noop"
	run grep -rlF -- "$SECRET" "$ISTATE" "$IHOME"
	assert_failure 1
}

@test "secrets: the history never holds a password given by keyword" {
	start_imapsh "$USER_NAME@$HOST" "$IMAPSH_TEST_PORT"
	wait_count "$HOST (not logged in)>" 1
	type_line "M.login(password='$SECRET')"
	wait_count "$USER_NAME@$HOST>" 1
	type_line "M.login_cram_md5(password='$SECRET')"
	wait_count "illegal in state AUTH" 1
	type_line noop
	wait_count "('OK', [b'NOOP completed" 1
	tmux -L "$TSOCK" send-keys -t main C-d
	# Status 0: an interactive session exits with its last command's,
	# and noop worked.
	wait_count "imapsh exited with status 0" 1
	run grep -rF -- "$SECRET" "$ISTATE" "$IHOME"
	assert_failure 1
	run history_lines "$ISTATE/imapsh/history"
	assert_output "noop"
}
