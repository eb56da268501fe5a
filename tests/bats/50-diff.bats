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

@test "diff: ACL and QUOTA methods match imaplib (acl-quota)" {
	run imapdiff -k acl-quota
	assert_success
	assert_output_matches '^ok acl-quota: [0-9]+ steps match'
}

@test "diff: sort, thread, partial, uid, unselect, enable (extensions)" {
	run imapdiff -k extensions
	assert_success
	assert_output_matches '^ok extensions: [0-9]+ steps match'
}

@test "diff: examine, id, move, metadata against imaplib's xatom (extras)" {
	run imapdiff -k extras
	assert_success
	assert_output_matches '^ok extras: [0-9]+ steps match'
}

@test "diff: annotations and more on a Cyrus-like fake (annotatemore)" {
	run imapdiff -k annotatemore
	assert_success
	assert_output_matches '^ok annotatemore: [0-9]+ steps match'
}

@test "diff: UTF8=ACCEPT names and append on a fake (utf8-accept)" {
	run imapdiff -k utf8-accept
	assert_success
	assert_output_matches '^ok utf8-accept: [0-9]+ steps match'
}

@test "diff: enable on a fake without ENABLE sends nothing (no-enable)" {
	run imapdiff -k no-enable
	assert_success
	assert_output_matches '^ok no-enable: [0-9]+ steps match'
}

@test "diff: login_cram_md5 and proxyauth match imaplib (cram-md5)" {
	run imapdiff -k cram-md5
	assert_success
	assert_output_matches '^ok cram-md5: [0-9]+ steps match'
}

@test "diff: every imaplib method is called by some sequence" {
	# Every public method of imaplib.IMAP4 is some step's call, but for
	# the ones that cannot be a step, listed with where they are tested.
	run python3 -c '
import imaplib, inspect, re, sys
sys.path.insert(0, sys.argv[1])
sys.dont_write_bytecode = True
import sequences
untestable = {
    # the socket layer, not commands
    "open", "read", "readline", "send", "shutdown", "socket",
    "print_log",        # the log command: 30-trace.bats
    "authenticate",     # a callback object: 15-secure-sasl.bats
    "starttls",         # an SSL context: 15-secure.bats
}
called = set()
for seq in sequences.SEQUENCES:
    for step in seq.steps:
        if isinstance(step, sequences.Step):
            for line in (step.py, step.sh):
                called.update(m.lower() for m in
                              re.findall(r"^(\w+)\(", line, re.M))
methods = {n for n, _ in inspect.getmembers(imaplib.IMAP4,
                                            inspect.isfunction)
           if not n.startswith("_")}
print("not called:", " ".join(sorted(methods - untestable - called))
      or "none")' "$IMAPSH_TESTS_DIR/diff"
	assert_success
	assert_output "not called: none"
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
