# tests/bats/helper.bash: loaded by every bats file with `load helper`.
# shellcheck shell=bash disable=SC2154 # status, output, lines: set by bats' run
#
# tests/run starts one private Dovecot for the whole run and exports
# IMAPSH_TEST_HOST, IMAPSH_TEST_PORT, IMAPSH_TEST_DIR and IMAPSH_TEST_CONF
# (see tests/lib/dovecot.sh) and IMAPSH, the binary under test.
#
# setup() gives every test a fresh Dovecot user, so a fresh empty mailbox:
# USER_NAME and USER_PASS.  A file that needs its own setup() calls
# imapsh_setup first:
#
#	setup() {
#		imapsh_setup
#		deliver 3
#	}
#
# Functions (all return non-zero on failure, so a failing call fails the
# test; the assert_* ones print expected and actual values first):
#
#   new_user [NAME [PASSWORD]]   add a user, set USER_NAME and USER_PASS
#   imapsh_run ARGS...           "$IMAPSH" ARGS under a timeout of
#                                $IMAPSH_TIMEOUT (10) seconds; use as
#                                `run imapsh_run ...`
#   deliver [N [MAILBOX]]        deliver N (1) sample messages to the
#                                user; the next call continues the series
#   deliver_file FILE [MAILBOX]  deliver one message from FILE
#   delivered_manifest           path of a JSON array describing every
#                                sample message delivered in this test
#   imap_py CODE                 run python3 CODE with M, an imaplib.IMAP4
#                                logged in as USER_NAME
#   stream_cmd                   dovecot_stream_cmd for USER_NAME
#   assert_success, assert_failure [STATUS], assert_equal EXPECTED ACTUAL,
#   assert_output TEXT, assert_output_contains TEXT,
#   refute_output_contains TEXT, assert_output_matches ERE,
#   assert_line INDEX TEXT, assert_file_contains FILE TEXT
#
# The assertions about output use $status, $output and $lines as set by
# bats' run.

IMAPSH_TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source-path=SCRIPTDIR source=../lib/dovecot.sh
source "$IMAPSH_TESTS_DIR/lib/dovecot.sh"
SAMPLE_MAIL=$IMAPSH_TESTS_DIR/lib/sample-mail.py
IMAPSH_TIMEOUT=${IMAPSH_TIMEOUT:-10}
# No test reads the configuration file of the person running them; the
# tests of the file name their own.
export IMAPSH_CONFIG=
# show runs the imapsh-show built beside the imapsh under test (make
# builds both), not an installed one.
if [ -n "${IMAPSH-}" ] && [ -x "$(dirname "$IMAPSH")/imapsh-show" ]; then
	IMAPSH_SHOW_HELPER=$(dirname "$IMAPSH")/imapsh-show
	export IMAPSH_SHOW_HELPER
fi

_imapsh_user_seq=0

setup()
{
	imapsh_setup
}

# imapsh_setup: per-test setup; see the top of the file.
imapsh_setup()
{
	if [ -z "${IMAPSH_TEST_PORT-}" ] || [ -z "${IMAPSH_TEST_DIR-}" ]; then
		echo "no test Dovecot: run the tests with tests/run" \
		    "(or source tests/lib/dovecot.sh and dovecot_start DIR)" >&2
		return 1
	fi
	new_user "" ""
}

# new_user [NAME [PASSWORD]]: add a Dovecot user and make it the test's
# user.  The default name is unique in the run: test number, stage
# (bats or asan-bats), pid and a counter, skipping names already taken.
new_user()
{
	local name=${1-} pass=${2-}

	if [ -z "$name" ]; then
		while :; do
			_imapsh_user_seq=$((_imapsh_user_seq + 1))
			name=t${BATS_SUITE_TEST_NUMBER:-$BATS_TEST_NUMBER}
			name+=-${IMAPSH_TEST_STAGE:-bats}-$$-$_imapsh_user_seq
			if [ ! -e "$IMAPSH_TEST_DIR/passwd.d/$name" ] &&
			    [ ! -e "$IMAPSH_TEST_DIR/home/$name" ]; then
				break
			fi
		done
	fi
	[ -n "$pass" ] || pass=pw-$RANDOM$RANDOM
	dovecot_add_user "$name" "$pass" || return 1
	export USER_NAME=$name USER_PASS=$pass
}

# imapsh_run ARGS...: see the top of the file.  Exit status is imapsh's,
# 124 on timeout (with a message on stderr), 127 if IMAPSH is unusable.
imapsh_run()
{
	local rc

	if [ -z "${IMAPSH-}" ] || [ ! -x "$IMAPSH" ]; then
		echo "imapsh_run: IMAPSH='${IMAPSH-}' is not an executable" >&2
		return 127
	fi
	timeout -k 5 "$IMAPSH_TIMEOUT" "$IMAPSH" "$@"
	rc=$?
	if [ "$rc" -eq 124 ]; then
		echo "imapsh_run: timed out after ${IMAPSH_TIMEOUT}s:" \
		    "$IMAPSH $*" >&2
	fi
	return "$rc"
}

# deliver [N [MAILBOX]]: see the top of the file.  Message numbers go on
# from the previous call in the same test and for the same user, so two
# calls never deliver the same message twice.
deliver()
{
	local n=${1:-1} mailbox=${2:-INBOX} counter start json

	counter=$BATS_TEST_TMPDIR/delivered.$USER_NAME
	start=1
	[ -r "$counter" ] && read -r start <"$counter"
	json=$BATS_TEST_TMPDIR/deliver.$$.json
	python3 "$SAMPLE_MAIL" deliver -u "$USER_NAME" -n "$n" \
	    --start "$start" -m "$mailbox" --json >"$json" || return 1
	echo $((start + n)) >"$counter"
	if [ -s "$BATS_TEST_TMPDIR/manifest.json" ]; then
		jq -s add "$BATS_TEST_TMPDIR/manifest.json" "$json" \
		    >"$json.all" &&
		    mv "$json.all" "$BATS_TEST_TMPDIR/manifest.json"
	else
		mv "$json" "$BATS_TEST_TMPDIR/manifest.json"
	fi
	rm -f "$json"
}

# delivered_manifest: print the path of the manifest of this test's
# deliveries (a JSON array; see tests/lib/sample-mail.py).
delivered_manifest()
{
	printf '%s\n' "$BATS_TEST_TMPDIR/manifest.json"
}

# deliver_file FILE [MAILBOX]: deliver one message to the test's user.
deliver_file()
{
	dovecot_deliver "$USER_NAME" "$@"
}

# stream_cmd: the PREAUTH command line for the test's user.
stream_cmd()
{
	dovecot_stream_cmd "$USER_NAME"
}

# imap_py CODE: run python3 CODE after logging in over IMAP as USER_NAME;
# M is the imaplib.IMAP4 connection, logged out afterwards.  imaplib
# learns the commands it lacks (GETMETADATA, SETMETADATA, ...).  Use
# it to check the server's state independently of imapsh.
imap_py()
{
	local prelude

	prelude='import imaplib, os, sys
for _c in ("GETMETADATA", "SETMETADATA", "GETQUOTA", "GETQUOTAROOT",
           "MYRIGHTS", "GETACL", "SETACL", "MOVE", "ID", "ENABLE",
           "UNSELECT", "NAMESPACE", "IDLE"):
    imaplib.Commands.setdefault(_c, ("AUTH", "SELECTED"))
M = imaplib.IMAP4(os.environ["IMAPSH_TEST_HOST"],
                  int(os.environ["IMAPSH_TEST_PORT"]))
M.login(os.environ["USER_NAME"], os.environ["USER_PASS"])
'
	python3 -c "$prelude$1"$'\ntry:\n    M.logout()\nexcept Exception:\n    pass\n'
}

# _imapsh_fail TITLE [LABEL VALUE]...: print a failure report, return 1.
_imapsh_fail()
{
	local title=$1

	shift
	{
		printf -- '-- %s --\n' "$title"
		while [ $# -ge 2 ]; do
			printf '%s:\n' "$1"
			if [ -z "$2" ]; then
				printf '  (empty)\n'
			else
				printf '%s\n' "$2" | sed 's/^/  | /'
			fi
			shift 2
		done
		printf -- '--\n'
	} >&2
	return 1
}

# assert_success: the last `run` exited 0.
assert_success()
{
	[ "$status" -eq 0 ] && return 0
	_imapsh_fail "command failed" status "$status" output "$output"
}

# assert_failure [STATUS]: the last `run` exited non-zero (or STATUS).
assert_failure()
{
	if [ $# -gt 0 ]; then
		[ "$status" -eq "$1" ] && return 0
		_imapsh_fail "wrong exit status" expected "$1" \
		    actual "$status" output "$output"
		return 1
	fi
	[ "$status" -ne 0 ] && return 0
	_imapsh_fail "command succeeded, failure expected" output "$output"
}

# assert_equal EXPECTED ACTUAL: the two strings are equal.
assert_equal()
{
	[ "$1" = "$2" ] && return 0
	_imapsh_fail "values differ" expected "$1" actual "$2"
}

# assert_output TEXT: $output is exactly TEXT.
assert_output()
{
	[ "$output" = "$1" ] && return 0
	_imapsh_fail "output differs" expected "$1" actual "$output" \
	    diff "$(diff <(printf '%s\n' "$1") <(printf '%s\n' "$output"))"
}

# assert_output_contains TEXT: $output contains TEXT.
assert_output_contains()
{
	[[ $output == *"$1"* ]] && return 0
	_imapsh_fail "output lacks expected text" expected "$1" \
	    output "$output"
}

# refute_output_contains TEXT: $output does not contain TEXT.
refute_output_contains()
{
	[[ $output != *"$1"* ]] && return 0
	_imapsh_fail "output contains unexpected text" unexpected "$1" \
	    output "$output"
}

# assert_output_matches ERE: $output matches the extended regex ERE.
assert_output_matches()
{
	[[ $output =~ $1 ]] && return 0
	_imapsh_fail "output does not match" regex "$1" output "$output"
}

# assert_line INDEX TEXT: line INDEX (from 0; negative from the end) of
# $output is TEXT.
assert_line()
{
	local actual

	if [ "$1" -lt "${#lines[@]}" ] && [ "$1" -ge "-${#lines[@]}" ]; then
		actual=${lines[$1]}
		[ "$actual" = "$2" ] && return 0
		_imapsh_fail "line $1 differs" expected "$2" \
		    actual "$actual" output "$output"
		return 1
	fi
	_imapsh_fail "no line $1 (${#lines[@]} lines)" expected "$2" \
	    output "$output"
}

# assert_file_contains FILE TEXT: FILE exists and contains TEXT.
assert_file_contains()
{
	if [ ! -r "$1" ]; then
		_imapsh_fail "file missing" file "$1"
		return 1
	fi
	grep -qF -- "$2" "$1" && return 0
	_imapsh_fail "file lacks expected text" file "$1" expected "$2" \
	    contents "$(head -c 4000 "$1")"
}
