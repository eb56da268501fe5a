# tests/bats/e2e-helper.bash: helpers of the end-to-end bats files
# (10-commands, 20-batch, 30-trace, 40-interactive), loaded after helper:
#
#	load helper
#	load e2e-helper
#
# shellcheck shell=bash disable=SC2154 # status, output, lines: set by bats' run
#
#   ish ARGS...                imapsh_run ARGS... against the test Dovecot
#   ish_c LINE...              log in as the test user, then run each LINE
#                              as a -c option (the hand style)
#   both_forms PREPARE LINE... run LINE... with ish_c, then as a heredoc
#                              script for a fresh user; PREPARE (a command,
#                              ":" for none) runs before each, for the user
#                              of the moment.  Fails unless both give the
#                              same status and the same results (timings and
#                              UIDVALIDITY values aside).  Leaves $status and
#                              $output of the heredoc run, with the login
#                              result dropped and one_per_line applied, and
#                              the raw outputs in RAW_HAND and RAW_SCRIPT.
#   drop_login                 remove the login result from $output
#   norm_times                 replace Dovecot's "(0.001 + 0.000 secs)"
#                              timings in $output by "(T secs)"
#   one_per_line               rewrite $output as one line per result: its
#                              Python repr (timings as "(T secs)"), or the
#                              line as it is if it is not a Python literal
#                              (as "error: ..."), so that a comparison does
#                              not depend on where a long result wraps
#   py_results CODE            run python3 CODE with R, the list of the
#                              results in $output evaluated as Python
#                              literals (a line that is not one, such as
#                              "error: ...", stays a str)
#   py_results_file FILE CODE  the same for the output in FILE
#   mkmsg NAME LINE...         write $BATS_TEST_TMPDIR/NAME with LF line
#                              ends; prints its path
#   free_port                  print a TCP port on 127.0.0.1 that nothing
#                              listens on
#   fake_server MODE           start a python3 listener (MODE close:
#                              accept and close; silent: accept and say
#                              nothing); sets FAKE_PORT and FAKE_PID
#   refute_output_matches ERE  $output does not match ERE
#   match_groups ERE           print the first group of ERE's match in each
#                              line of $output, in order
#   wait_dovecot_log TEXT      wait (up to 5 s) until a line of the
#                              Dovecot log about USER_NAME contains TEXT
#
# It also defines setup_file, which calls e2e_setup_file: a file with a
# setup_file of its own calls e2e_setup_file there.

IMAPSH_E2E_PY=$(cat <<'EOF'
import ast, sys

def split_results(text):
    chunks, cur = [], []
    for line in text.split("\n"):
        if line and not line[0].isspace() and cur:
            chunks.append("\n".join(cur))
            cur = []
        if line:
            cur.append(line)
    if cur:
        chunks.append("\n".join(cur))
    out = []
    for c in chunks:
        try:
            out.append(ast.literal_eval(c))
        except Exception:
            out.append(c)
    return out

with open(sys.argv[1], encoding="utf-8", errors="surrogateescape") as f:
    R = split_results(f.read())
EOF
)

IMAPSH_E2E_ONE_PER_LINE='
import re
def one_per_line(results):
    out = []
    for r in results:
        if not isinstance(r, str):
            r = repr(r)
        out.append(re.sub(r" \(\d+\.\d+( \+ \d+\.\d+)* secs\)",
                          " (T secs)", r))
    return out
def drop_login(results):
    if (results and isinstance(results[0], tuple) and
            results[0][0] == "OK" and isinstance(results[0][1], list) and
            isinstance(results[0][1][-1], bytes) and
            results[0][1][-1].endswith(b"Logged in")):
        return results[1:]
    return results
'

# Python: compare the results in the files argv[1] (hand) and argv[2]
# (script); write argv[2] one result per line to argv[3]; exit 1 (and
# say why) if they differ.
IMAPSH_E2E_COMPARE='
hand = one_per_line(drop_login(R))
with open(sys.argv[2], encoding="utf-8", errors="surrogateescape") as f:
    script = one_per_line(drop_login(split_results(f.read())))
with open(sys.argv[3], "w", encoding="utf-8", errors="surrogateescape") as f:
    f.write("\n".join(script))
def uidv(lines):
    return [re.sub(r"\b1[0-9]{9}\b", "UIDV", l) for l in lines]
if uidv(hand) != uidv(script):
    print("-c and heredoc results differ:")
    print("-c:"); print("\n".join("  | " + l for l in hand))
    print("heredoc:"); print("\n".join("  | " + l for l in script))
    sys.exit(1)
'

# e2e_setup_file: run python3 itself rather than a version manager's shim
# in front of it (pyenv's costs 60 ms a call): the same interpreter, found
# first in PATH, for these helpers and helper.bash's alike.
e2e_setup_file()
{
	local py

	py=$(python3 -c 'import sys; print(sys.executable)') &&
	    [ -x "$py" ] && export PATH="${py%/*}:$PATH"
	return 0
}

setup_file()
{
	e2e_setup_file
}

ish()
{
	imapsh_run "$@" "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT"
}

ish_c()
{
	local args=(-c "login $USER_NAME $USER_PASS") line

	for line in "$@"; do
		args+=(-c "$line")
	done
	ish "${args[@]}"
}

# _set_lines: recompute $lines from $output as bats' run does.
_set_lines()
{
	lines=()
	local line
	while IFS= read -r line; do
		[ -n "$line" ] && lines+=("$line")
	done <<<"$output"
}

drop_login()
{
	local rest=$output

	if [[ $output == *"Logged in'])"* ]]; then
		rest=${output#*"Logged in'])"}
		rest=${rest#$'\n'}
	fi
	output=$rest
	_set_lines
}

norm_times()
{
	output=$(sed -E 's/ \([0-9]+\.[0-9]+( \+ [0-9]+\.[0-9]+)* secs\)/ (T secs)/g' \
	    <<<"$output")
	_set_lines
}

one_per_line()
{
	local f

	f=$(mktemp "$BATS_TEST_TMPDIR/results.XXXXXX")
	printf '%s\n' "$output" >"$f"
	output=$(py_results_file "$f" "$IMAPSH_E2E_ONE_PER_LINE
print(\"\\n\".join(one_per_line(R)))")
	_set_lines
}

both_forms()
{
	local prepare=$1 hand_status dir=$BATS_TEST_TMPDIR

	shift
	"$prepare" || return 1
	run ish_c "$@"
	RAW_HAND=$output
	hand_status=$status

	new_user || return 1
	"$prepare" || return 1
	run ish <<EOF
login $USER_NAME $USER_PASS
$(printf '%s\n' "$@")
EOF
	RAW_SCRIPT=$output
	both_compare "$hand_status" "$dir" || return 1
	return 0
}

py_results_file()
{
	python3 -c "$IMAPSH_E2E_PY"$'\n'"$2" "$1"
}

py_results()
{
	local f

	f=$(mktemp "$BATS_TEST_TMPDIR/results.XXXXXX")
	printf '%s\n' "$output" >"$f"
	py_results_file "$f" "$1"
}

mkmsg()
{
	local f=$BATS_TEST_TMPDIR/$1

	shift
	printf '%s\n' "$@" >"$f"
	printf '%s\n' "$f"
}

free_port()
{
	python3 -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

fake_server()
{
	local portfile=$BATS_TEST_TMPDIR/fake.port i

	rm -f "$portfile"
	python3 -c '
import os, socket, sys, time
mode, portfile = sys.argv[1], sys.argv[2]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(5)
with open(portfile + ".tmp", "w") as f:
    print(s.getsockname()[1], file=f)
os.rename(portfile + ".tmp", portfile)
s.settimeout(30)
c, _ = s.accept()
if mode == "close":
    c.close()
else:
    time.sleep(30)
' "$1" "$portfile" 3>&- &
	FAKE_PID=$!
	for ((i = 0; i < 100; i++)); do
		[ -s "$portfile" ] && break
		sleep 0.05
	done
	# shellcheck disable=SC2034 # for the caller
	read -r FAKE_PORT <"$portfile" || return 1
}

# fake_server_stop: stop the listener fake_server started, if any.
fake_server_stop()
{
	if [ -n "${FAKE_PID-}" ]; then
		kill "$FAKE_PID" 2>/dev/null || true
		wait "$FAKE_PID" 2>/dev/null || true
		FAKE_PID=
	fi
	return 0
}

wait_dovecot_log()
{
	local i

	for ((i = 0; i < 100; i++)); do
		if grep -F "($USER_NAME)" "$IMAPSH_TEST_DIR/dovecot.log" |
		    grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.05
	done
	_imapsh_fail "Dovecot log lacks text" expected "$1" \
	    log "$(grep -F "($USER_NAME)" "$IMAPSH_TEST_DIR/dovecot.log")"
}

# refute_output_matches ERE: $output does not match the extended regex ERE.
refute_output_matches()
{
	[[ ! $output =~ $1 ]] && return 0
	_imapsh_fail "output matches" regex "$1" output "$output"
}

# match_groups ERE: print, space-separated and in order, the first group
# of ERE's match in each line of $output that matches.
match_groups()
{
	local line out=()

	while IFS= read -r line; do
		if [[ $line =~ $1 ]]; then
			out+=("${BASH_REMATCH[1]}")
		fi
	done <<<"$output"
	echo "${out[*]}"
}

# both_compare HAND_STATUS DIR: after a run by -c (RAW_HAND, HAND_STATUS)
# and one by heredoc (RAW_SCRIPT, $status), fail unless both exited alike
# and printed the same results; output/lines become the one result list.
both_compare()
{
	local hand_status=$1 dir=$2

	printf '%s\n' "$RAW_HAND" >"$dir/both.hand"
	printf '%s\n' "$RAW_SCRIPT" >"$dir/both.script"
	if [ "$hand_status" != "$status" ]; then
		_imapsh_fail "-c and heredoc exit statuses differ" \
		    "-c status" "$hand_status" "heredoc status" "$status" \
		    "-c output" "$RAW_HAND" "heredoc output" "$RAW_SCRIPT"
		return 1
	fi
	python3 -c "$IMAPSH_E2E_PY$IMAPSH_E2E_ONE_PER_LINE$IMAPSH_E2E_COMPARE" \
	    "$dir/both.hand" "$dir/both.script" "$dir/both.out" >&2 ||
	    return 1
	output=$(<"$dir/both.out")
	_set_lines
}
