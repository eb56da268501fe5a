#!/usr/bin/env bats
# Differential tests: imapsh against Python's imaplib, step by step, with
# tests/diff/imapdiff.py (which adds its own pair of users per sequence and
# delivers the same sample mail to both).  One test per sequence of
# tests/diff/sequences.py, so that a failure names the sequence; -k lists
# every mismatching step, not only the first.  The last tests check that
# the tester itself notices a difference.

load helper

IMAPDIFF=$IMAPSH_TESTS_DIR/diff/imapdiff.py

# imapdiff ARGS...: imapdiff.py under a timeout; IMAPSH is the binary.
imapdiff()
{
	timeout -k 5 300 python3 "$IMAPDIFF" "$@"
}

@test "diff: commands before login match imaplib (nonauth)" {
	run imapdiff -k nonauth
	assert_success
	assert_output_matches '^ok nonauth: [0-9]+ steps match'
}

@test "diff: every foundation command matches imaplib (foundation)" {
	run imapdiff -k foundation
	assert_success
	assert_output_matches '^ok foundation: [0-9]+ steps match'
}

@test "diff: imaplib's own self-test matches (imaplib-selftest)" {
	run imapdiff -k imaplib-selftest
	assert_success
	assert_output_matches '^ok imaplib-selftest: [0-9]+ steps match'
}

@test "diff: append with the message as an argument (append-message-arg)" {
	run imapdiff -k append-message-arg
	assert_success
	assert_output_matches '^ok append-message-arg: [0-9]+ steps match'
}

@test "diff: a command after logout (after-logout)" {
	run imapdiff -k after-logout
	assert_success
	assert_output_matches '^ok after-logout: [0-9]+ steps match'
}

@test "diff: every sequence of sequences.py has its test here" {
	local name
	run imapdiff --list
	assert_success
	[ "${#lines[@]}" -gt 0 ] || _imapsh_fail "no sequences" output "$output"
	for name in $(printf '%s\n' "${lines[@]}" |
	    awk '!/\(self-check\)$/ { print $1 }'); do
		grep -q -- "run imapdiff -k $name\$" "$BATS_TEST_FILENAME" ||
		    _imapsh_fail "sequence without a test" sequence "$name"
	done
}

@test "diff: the tester notices a result altered after parsing" {
	# Unaltered, the sequence passes; with step 2's result altered
	# (imapdiff's own IMAPDIFF_SABOTAGE), it must fail and say where.
	run imapdiff smoke
	assert_success
	assert_output_matches '^ok smoke: 3 steps match'

	IMAPDIFF_SABOTAGE=2 run imapdiff smoke
	assert_failure 1
	assert_output_contains "MISMATCH in sequence smoke at step 2:"
	assert_output_contains "(sabotaged by imapdiff)"
	assert_output_contains "diff (- imaplib, + imapsh):"
	refute_output_contains "ok smoke"

	# The other kind of alteration: step 1's (typ, data) gains an item.
	run imapdiff --sabotage 1 smoke
	assert_failure 1
	assert_output_contains "MISMATCH in sequence smoke at step 1:"
	assert_output_contains "b'sabotaged by imapdiff'"
}

@test "diff: the tester notices a wrong, an extra and a missing result" {
	local seq
	for seq in selfcheck-wrong-line selfcheck-extra-output \
	    selfcheck-missing-output; do
		run imapdiff "$seq"
		assert_failure 1
		assert_output_contains "MISMATCH in sequence $seq at step 2:"
	done
	run imapdiff selfcheck-extra-output
	assert_output_contains "imapsh printed 2 results"
	run imapdiff selfcheck-missing-output
	assert_output_contains "imapsh printed nothing"
}

@test "diff: the tester refuses to run without a server" {
	IMAPSH_TEST_PORT='' run imapdiff smoke
	assert_failure 2
	assert_output_contains "IMAPSH_TEST_PORT is not set"
}
