# tests/bats/hostile-helper.bash: helpers of 90-hostile.bats and
# 91-badinput.bats, loaded after helper and the fake:
#
#	load helper
#	load ../fake/fake
#	load hostile-helper
#
# shellcheck shell=bash disable=SC2154,SC2034 # status, output, lines: bats' run variables
#
# Every run of imapsh here goes through hx_run, which checks what must
# hold whatever the server or the user did:
#   - no crash: the exit status is one imapsh documents (0 to 3), not a
#     signal, not a sanitizer's abort;
#   - no hang: it ended within HX_LIMIT seconds (default 15; every run
#     also gives -t 2 or less to imapsh itself);
#   - no terminal corruption: neither standard output nor standard error
#     holds a raw ESC (0x1b), C1 CSI (0x9b), BEL (0x07) or the UTF-8 of
#     U+202E RIGHT-TO-LEFT OVERRIDE;
# and records its peak RSS and how long it took.
#
#   hx_run ARGS...       run "$IMAPSH" ARGS (standard input is the
#                        caller's) with the checks above; sets status, OUT,
#                        ERR, output (OUT, then ERR), lines (the non-empty
#                        lines of output), HX_MS (elapsed milliseconds)
#                        and HX_RSS_KB (peak RSS).  Returns non-zero, with
#                        a report, when a check fails.  Standard output is
#                        a file, where imapsh prints FETCH data as it
#                        comes; with HX_STDOUT=pipe it goes through a pipe
#                        instead, where imapsh spools it (imapsh(1),
#                        OUTPUT).
#   hx_fake_run SCENARIO ARGS...
#                        fake_start SCENARIO $HX_FAKE_OPTS, then hx_run
#                        -t 2 ARGS 127.0.0.1 FAKE_PORT
#   assert_terminal_safe FILE...
#                        none of the FILEs holds one of the bytes above
#   assert_rss_below KB  HX_RSS_KB < KB (skipped, as passing, in the ASan
#                        pass: its shadow memory inflates RSS)
#   assert_took_less MS  HX_MS < MS
#   assert_took_more MS  HX_MS >= MS
#   assert_err_lines N PREFIX
#                        exactly N lines of ERR start with PREFIX
#   hx_scenario NAME [SED-EXPR...]
#                        copy scenario NAME (from tests/fake/scenarios) to
#                        the test's directory with the sed expressions
#                        applied; print the copy's path
#   hx_children PID      the state letters of PID's children, one per line
#   fake_assert_no_connection
#                        the fake (started with a short --timeout) ended
#                        without a connection: nobody connected to it

HX_LIMIT=${HX_LIMIT:-15}
HX_PY=${FAKE_PYTHON:-python3}

hx_run()
{
	local dir=$BATS_TEST_TMPDIR rc=0 start end

	rm -f "$dir/hx.out" "$dir/hx.err" "$dir/hx.rss"
	start=$(date +%s%3N)
	if [ "${HX_STDOUT-}" = pipe ]; then
		if [ -x /usr/bin/time ]; then
			timeout -k 5 "$HX_LIMIT" /usr/bin/time -f '%M' \
			    -o "$dir/hx.rss" "$IMAPSH" "$@" 2>"$dir/hx.err" |
			    cat >"$dir/hx.out"
		else
			timeout -k 5 "$HX_LIMIT" "$IMAPSH" "$@" 2>"$dir/hx.err" |
			    cat >"$dir/hx.out"
		fi
		rc=${PIPESTATUS[0]}
	elif [ -x /usr/bin/time ]; then
		timeout -k 5 "$HX_LIMIT" /usr/bin/time -f '%M' -o "$dir/hx.rss" \
		    "$IMAPSH" "$@" >"$dir/hx.out" 2>"$dir/hx.err" || rc=$?
	else
		timeout -k 5 "$HX_LIMIT" "$HX_PY" -c '
import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
with open(sys.argv[1], "w") as f:
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=f)
sys.exit(rc if rc >= 0 else 128 - rc)' "$dir/hx.rss" "$IMAPSH" "$@" \
		    >"$dir/hx.out" 2>"$dir/hx.err" || rc=$?
	fi
	end=$(date +%s%3N)
	status=$rc
	HX_MS=$((end - start))
	HX_RSS_KB=
	# /usr/bin/time may write "Command exited with non-zero status N"
	# or "Command terminated by signal N" before the number.
	[ -s "$dir/hx.rss" ] && HX_RSS_KB=$(tail -n 1 "$dir/hx.rss")
	OUT=$(<"$dir/hx.out")
	ERR=$(<"$dir/hx.err")
	if [ -n "$OUT" ] && [ -n "$ERR" ]; then
		output=$OUT$'\n'$ERR
	else
		output=$OUT$ERR
	fi
	# One builtin, not a loop: bats traces every command a test runs.
	mapfile -t lines < <(grep -v '^$' <<<"$output")

	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		_imapsh_fail "imapsh hung: killed after ${HX_LIMIT}s" \
		    args "$*" stdout "$(head -c 2000 "$dir/hx.out")" \
		    stderr "$(head -c 2000 "$dir/hx.err")"
		return 1
	fi
	if [ "$rc" -gt 3 ] || grep -q "Command terminated by signal" \
	    "$dir/hx.rss" 2>/dev/null; then
		_imapsh_fail "imapsh crashed or exited with an undocumented status" \
		    status "$rc" args "$*" stdout "$(head -c 2000 "$dir/hx.out")" \
		    stderr "$(head -c 4000 "$dir/hx.err")"
		return 1
	fi
	assert_terminal_safe "$dir/hx.out" "$dir/hx.err"
}

hx_fake_run()
{
	local scenario=$1
	local -a opts

	shift
	read -r -a opts <<<"${HX_FAKE_OPTS-}"
	fake_start "$scenario" "${opts[@]}" || return 1
	hx_run -t 2 "$@" 127.0.0.1 "$FAKE_PORT"
}

assert_terminal_safe()
{
	"$HX_PY" - "$@" <<'EOF'
import sys
BAD = [(b"\x1b", "ESC"), (b"\x9b", "C1 CSI (0x9b)"), (b"\x07", "BEL"),
       ("\u202e".encode(), "U+202E RIGHT-TO-LEFT OVERRIDE")]
failed = False
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    for seq, name in BAD:
        i = data.find(seq)
        if i >= 0:
            failed = True
            sys.stderr.write("-- %s holds a raw %s at byte %d: %r --\n"
                             % (path.rsplit("/", 1)[-1], name, i,
                                data[max(0, i - 40):i + 40]))
sys.exit(1 if failed else 0)
EOF
}

assert_rss_below()
{
	if [ "${IMAPSH_TEST_STAGE-}" = asan-bats ]; then
		return 0
	fi
	[[ $HX_RSS_KB =~ ^[0-9]+$ ]] ||
	    _imapsh_fail "no peak RSS measured" value "$HX_RSS_KB" || return 1
	[ "$HX_RSS_KB" -lt "$1" ] && return 0
	_imapsh_fail "peak RSS too high" "limit (kB)" "$1" \
	    "peak RSS (kB)" "$HX_RSS_KB"
}

assert_took_less()
{
	[ "$HX_MS" -lt "$1" ] && return 0
	_imapsh_fail "too slow" "limit (ms)" "$1" "took (ms)" "$HX_MS" \
	    output "$(head -c 2000 <<<"$output")"
}

assert_took_more()
{
	[ "$HX_MS" -ge "$1" ] && return 0
	_imapsh_fail "too fast (did it wait?)" "at least (ms)" "$1" \
	    "took (ms)" "$HX_MS" output "$(head -c 2000 <<<"$output")"
}

assert_err_lines()
{
	local n

	# An error of a script's line names it first ("line 3: error: ...").
	n=$(grep -cE -- "^(line [0-9]+: )?$2" <<<"$ERR")
	[ "$n" -eq "$1" ] && return 0
	_imapsh_fail "wrong number of '$2' lines on stderr" expected "$1" \
	    actual "$n" stderr "$ERR"
}

hx_scenario()
{
	local name=$1 copy

	shift
	copy=$BATS_TEST_TMPDIR/${name%.txt}.txt
	cp "$FAKE_SCENARIOS/${name%.txt}.txt" "$copy" || return 1
	local expr
	for expr; do
		sed -i -e "$expr" "$copy" || return 1
	done
	printf '%s\n' "$copy"
}

hx_children()
{
	local pid comm st
	local -a pids=()

	read -r -a pids <"/proc/$1/task/$1/children" 2>/dev/null
	for pid in "${pids[@]}"; do
		{ read -r _ comm st _ <"/proc/$pid/stat"; } 2>/dev/null &&
		    printf '%s %s\n' "$pid" "$st"
	done
}

fake_assert_no_connection()
{
	local rc=0

	fake_wait 2>/dev/null || rc=$?
	if [ "$rc" -eq 3 ] && grep -q "0 of 1 connections served" "$FAKE_LOG"
	then
		return 0
	fi
	_imapsh_fail "the fake saw a connection" status "$rc" \
	    log "$(cat "$FAKE_LOG")"
}
