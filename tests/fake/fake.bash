# tests/fake/fake.bash: run tests/fake/fake-imapd.py from bats tests.
# shellcheck shell=bash
#
# Load it after the helper:  load helper; load ../fake/fake
#
#   fake_start SCENARIO [OPTION...]
#           start the fake in the background for one connection (--once;
#           a later --count N wins) on a free port, with STARTTLS/--tls
#           certificate $IMAPSH_TEST_CERTS/server.pem (a later --cert,
#           --key win).  SCENARIO is a name from tests/fake/scenarios
#           (with or without .txt) or a path.  Sets FAKE_PORT, FAKE_PID,
#           FAKE_TRANSCRIPT (every byte the client sent), FAKE_LOG (the
#           fake's log).  Call it directly, not with `run`: it sets
#           variables.
#   fake_stdio SCENARIO [OPTION...]
#           the same for a child-process transport: sets FAKE_CMD, a
#           shell command line serving one connection on its stdin and
#           stdout (imapsh -s "$FAKE_CMD"), and FAKE_TRANSCRIPT,
#           FAKE_LOG; FAKE_PID and FAKE_PORT are empty.
#   fake_wait
#           wait for the fake to finish and return its exit status (0 the
#           scenario was played to its end, 1 it failed, 2 bad scenario,
#           3 timeout); on failure print its log to stderr.  With
#           fake_stdio, waits (5 s at most) for the status file the
#           command writes when it ends.
#   fake_stop
#           kill a fake that still runs (for teardown); quiet.
#   fake_assert_transcript LINE...
#           the client sent exactly these lines, each ended by CRLF, and
#           nothing else; {TAG} in a LINE stands for any tag.  Prints
#           both sides when they differ.
#
# The files go to BATS_TEST_TMPDIR (or a new temporary directory), named
# fake.N.* with N counting the fakes of the test.
#
# FAKE_PYTHON is the Python interpreter: python3 resolved to its real
# path once per bats run (a pyenv shim costs 50 ms a call).

FAKE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FAKE_IMAPD=$FAKE_DIR/fake-imapd.py
FAKE_SCENARIOS=$FAKE_DIR/scenarios
_fake_seq=0

# _fake_python: set FAKE_PYTHON (see the top of the file).
_fake_python()
{
	local cache=${BATS_RUN_TMPDIR:+$BATS_RUN_TMPDIR/fake-python}

	[ -n "${FAKE_PYTHON-}" ] && return 0
	if [ -n "$cache" ] && [ -s "$cache" ]; then
		read -r FAKE_PYTHON <"$cache"
		[ -x "$FAKE_PYTHON" ] && return 0
	fi
	FAKE_PYTHON=$(python3 -c 'import sys; print(sys.executable)') ||
	    FAKE_PYTHON=python3
	if [ -n "$cache" ]; then
		printf '%s\n' "$FAKE_PYTHON" >"$cache.$$" &&
		    mv -f "$cache.$$" "$cache"
	fi
	return 0
}
_fake_python

# _fake_scenario NAME: print the path of scenario NAME.
_fake_scenario()
{
	local name=$1

	case $name in
	*/*) ;;
	*.txt) name=$FAKE_SCENARIOS/$name ;;
	*) name=$FAKE_SCENARIOS/$name.txt ;;
	esac
	if [ ! -r "$name" ]; then
		echo "fake: no scenario $1 ($name)" >&2
		return 1
	fi
	printf '%s\n' "$name"
}

# _fake_files: set _fake_base, the prefix of this fake's files, and the
# FAKE_* file variables.
_fake_files()
{
	local dir=${BATS_TEST_TMPDIR-}

	if [ -z "$dir" ]; then
		dir=$(mktemp -d "${TMPDIR:-/tmp}/fake.XXXXXX") || return 1
	fi
	_fake_seq=$((_fake_seq + 1))
	_fake_base=$dir/fake.$_fake_seq
	FAKE_TRANSCRIPT=$_fake_base.transcript
	FAKE_LOG=$_fake_base.log
	FAKE_STATUS_FILE=$_fake_base.status
	rm -f "$FAKE_TRANSCRIPT" "$FAKE_LOG" "$FAKE_STATUS_FILE"
	: >"$FAKE_TRANSCRIPT"
}

# _fake_cert_opts: the default certificate options.
_fake_cert_opts()
{
	if [ -n "${IMAPSH_TEST_CERTS-}" ]; then
		printf '%s\n' --cert "$IMAPSH_TEST_CERTS/server.pem" \
		    --key "$IMAPSH_TEST_CERTS/server-key.pem"
	fi
}

# fake_start SCENARIO [OPTION...]: see the top of the file.
fake_start()
{
	local scenario i port=
	local -a certopts

	scenario=$(_fake_scenario "$1") || return 1
	shift
	_fake_files || return 1
	mapfile -t certopts < <(_fake_cert_opts)
	# fd 3 is bats' own: a background process holding it stalls bats.
	"$FAKE_PYTHON" "$FAKE_IMAPD" --port 0 --once "${certopts[@]}" \
	    --transcript "$FAKE_TRANSCRIPT" --status-file "$FAKE_STATUS_FILE" \
	    "$@" "$scenario" </dev/null >"$_fake_base.port" 2>"$FAKE_LOG" 3>&- &
	FAKE_PID=$!
	FAKE_CMD=
	for ((i = 0; i < 250; i++)); do
		if [ -s "$_fake_base.port" ] &&
		    read -r port <"$_fake_base.port" && [ -n "$port" ]; then
			break
		fi
		if ! kill -0 "$FAKE_PID" 2>/dev/null; then
			break
		fi
		sleep 0.02
	done
	if ! [[ $port =~ ^[0-9]+$ ]]; then
		echo "fake_start: fake-imapd.py did not start:" >&2
		sed 's/^/  | /' "$FAKE_LOG" >&2
		fake_stop
		return 1
	fi
	FAKE_PORT=$port
	export FAKE_PORT FAKE_PID FAKE_TRANSCRIPT FAKE_LOG
}

# fake_stdio SCENARIO [OPTION...]: see the top of the file.
fake_stdio()
{
	local scenario arg
	local -a certopts

	scenario=$(_fake_scenario "$1") || return 1
	shift
	_fake_files || return 1
	mapfile -t certopts < <(_fake_cert_opts)
	FAKE_CMD=$(printf '%q ' "$FAKE_PYTHON" "$FAKE_IMAPD" --stdio "${certopts[@]}" \
	    --transcript "$FAKE_TRANSCRIPT" --status-file "$FAKE_STATUS_FILE" \
	    --log "$FAKE_LOG")
	for arg; do
		FAKE_CMD+=$(printf '%q ' "$arg")
	done
	FAKE_CMD+=$(printf '%q' "$scenario")
	FAKE_PID=
	FAKE_PORT=
	export FAKE_CMD FAKE_PORT FAKE_PID FAKE_TRANSCRIPT FAKE_LOG
}

# _fake_running PID: true while PID runs (a zombie does not count: under
# `run`, the shell that could reap it is busy).
_fake_running()
{
	local stat

	{ read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
	stat=${stat##*) }
	[ "${stat%% *}" != Z ]
}

# fake_wait: see the top of the file.  The status comes from the status
# file, so that it works in a subshell too (`run fake_wait`), where wait
# cannot reap the fake.
fake_wait()
{
	local status='' i

	for ((i = 0; i < 1500; i++)); do
		[ -s "$FAKE_STATUS_FILE" ] && break
		if [ -n "${FAKE_PID-}" ] && ! _fake_running "$FAKE_PID"; then
			# It may have written the file just before it ended.
			[ -s "$FAKE_STATUS_FILE" ] || sleep 0.05
			break
		fi
		# With --stdio, the command may not have ended yet either.
		sleep 0.02
	done
	if [ -s "$FAKE_STATUS_FILE" ]; then
		read -r status <"$FAKE_STATUS_FILE"
	fi
	if [ -n "${FAKE_PID-}" ]; then
		# Our child: reap it (and take its status if it wrote none).
		wait "$FAKE_PID" 2>/dev/null
		i=$?
		[ -n "$status" ] || [ "$i" -eq 127 ] || status=$i
		FAKE_PID=
	fi
	if [ -z "$status" ]; then
		echo "fake_wait: the fake ended without a status" \
		    "($FAKE_STATUS_FILE)" >&2
		status=3
	fi
	if [ "$status" -ne 0 ]; then
		{
			printf -- '-- fake-imapd exited with status %s; its log:\n' \
			    "$status"
			sed 's/^/  | /' "$FAKE_LOG"
			printf -- '--\n'
		} >&2
	fi
	return "$status"
}

# fake_stop: see the top of the file.
fake_stop()
{
	if [ -n "${FAKE_PID-}" ]; then
		kill "$FAKE_PID" 2>/dev/null
		wait "$FAKE_PID" 2>/dev/null
		FAKE_PID=
	fi
	return 0
}

# fake_assert_transcript LINE...: see the top of the file.
fake_assert_transcript()
{
	"$FAKE_PYTHON" - "$FAKE_TRANSCRIPT" "$@" <<'EOF'
import re, sys
got = open(sys.argv[1], "rb").read()
want = sys.argv[2:]
tag = rb'[^\x00-\x20\x7f(){%*"\\\]+]+'
rx = b""
for line in want:
    pieces = line.encode().split(b"{TAG}")
    rx += tag.join(re.escape(p) for p in pieces) + b"\r\n"
if re.fullmatch(rx, got, re.S):
    sys.exit(0)
out = sys.stderr
out.write("-- client transcript differs --\nexpected:\n")
for line in want:
    out.write("  | %s\\r\\n\n" % line)
out.write("actual:\n")
for line in got.splitlines(keepends=True) or [b""]:
    out.write("  | %s\n" % repr(line)[2:-1])
out.write("--\n")
sys.exit(1)
EOF
}
