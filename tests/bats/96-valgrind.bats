#!/usr/bin/env bats
# imapsh under valgrind's memcheck against the test Dovecot: a
# representative session (login, select, fetch with literals, an inline
# append, search, store, expunge, logout) over plain TCP, then one over
# STARTTLS and one over implicit TLS.  Each must end with exit status 0,
# "ERROR SUMMARY: 0 errors" and no definitely or indirectly lost blocks.
# Only in the plain pass: valgrind cannot run the ASan build.

load helper

VG_TIMEOUT=120

setup()
{
	if [ "${IMAPSH_TEST_STAGE-}" = asan-bats ]; then
		skip "valgrind runs in the plain pass only (it cannot run the ASan build)"
	fi
	command -v valgrind >/dev/null 2>&1 ||
	    skip "valgrind is not installed"
	imapsh_setup
}

# vg_run NAME ARGS...: imapsh ARGS under valgrind (standard input is the
# caller's); valgrind's report goes to NAME.vg, imapsh's output to
# NAME.out and NAME.err.  Sets status, VG (the report) and OUT.
vg_run()
{
	local name=$BATS_TEST_TMPDIR/$1

	shift
	status=0
	timeout -k 5 "$VG_TIMEOUT" valgrind --error-exitcode=99 \
	    --leak-check=full --errors-for-leak-kinds=definite,indirect \
	    --show-leak-kinds=definite,indirect --track-origins=yes \
	    --log-file="$name.vg" -v \
	    "$IMAPSH" "$@" >"$name.out" 2>"$name.err" || status=$?
	VG=$(<"$name.vg")
	OUT=$(<"$name.out")
	output=$OUT
}

# assert_vg_clean: the last vg_run exited 0 with a clean report.
assert_vg_clean()
{
	local err=$BATS_TEST_TMPDIR/vg.err

	[ "$status" -eq 0 ] ||
	    _imapsh_fail "exit status $status under valgrind" \
	    report "$(grep -v '^--' <<<"$VG" | tail -n 60)" \
	    stdout "$(head -c 3000 <<<"$OUT")" || return 1
	[[ $VG == *"ERROR SUMMARY: 0 errors from 0 contexts"* ]] ||
	    _imapsh_fail "valgrind found errors" \
	    report "$(grep -v '^--' <<<"$VG" | tail -n 60)" || return 1
	if grep -qE '(definitely|indirectly) lost: [1-9]' <<<"$VG"; then
		_imapsh_fail "valgrind found leaks" \
		    report "$(grep -v '^--' <<<"$VG" | tail -n 60)"
		return 1
	fi
}

@test "valgrind: a whole session over TCP: no errors, no leaks" {
	deliver 2
	vg_run tcp "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT" <<EOF
login $USER_NAME $USER_PASS
capability
select
fetch 1:2 (FLAGS BODY.PEEK[HEADER] BODY.PEEK[TEXT])
fetch 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)])
append INBOX (\\Seen) None <<EOM
From: valgrind@example.org
To: $USER_NAME@example.org
Subject: under valgrind

A message appended under valgrind.
EOM
search None ALL
search None SUBJECT "valgrind"
store 1 +FLAGS (\\Deleted)
expunge
status INBOX (MESSAGES UNSEEN)
list
response EXISTS
logout
EOF
	assert_vg_clean
	# The session did what it says: three messages, one expunged.
	assert_output_contains "('OK', [b'1 2 3'])"
	assert_output_contains "('OK', [b'3'])"
	assert_output_contains "('OK', [b'1'])"
	assert_output_contains "('OK', [b'INBOX (MESSAGES 2 UNSEEN 0)'])"
	assert_output_contains "('BYE', [b'Logging out'])"
}

@test "valgrind: STARTTLS and implicit TLS sessions: no errors, no leaks" {
	deliver 1
	vg_run starttls --starttls --cafile "$IMAPSH_TEST_CA" -c tls \
	    -c "login $USER_NAME $USER_PASS" -c select \
	    -c "fetch 1 (BODY.PEEK[])" -c logout \
	    localhost "$IMAPSH_TEST_STARTTLS_PORT" </dev/null
	assert_vg_clean
	assert_output_contains "protocol: TLS1."
	assert_output_contains "('OK', [b'1'])"

	vg_run imaps --cafile "$IMAPSH_TEST_CA" -c tls \
	    -c "login $USER_NAME $USER_PASS" -c select -c "search None ALL" \
	    -c logout "imaps://localhost:$IMAPSH_TEST_TLS_PORT" </dev/null
	assert_vg_clean
	assert_output_contains "protocol: TLS1."
	assert_output_contains "('OK', [b'1'])"
}
