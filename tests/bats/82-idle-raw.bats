#!/usr/bin/env bats
# idle and raw: responses as they come, and lines as typed.

load helper
load ../fake/fake

teardown() {
	fake_stop 2>/dev/null || true
	[ -n "${TMUX_SOCK:-}" ] && tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true
}

@test "idle: mail delivered by another client shows up within a second" {
	out="$BATS_TEST_TMPDIR/idle.out"
	"$IMAPSH" -c "login $USER_NAME $USER_PASS" -c select -c 'idle 6' \
	    "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT" >"$out" 2>&1 &
	pid=$!
	sleep 1.5
	deliver 1
	t0=$(date +%s%N)
	found=""
	for _ in $(seq 1 40); do
		if grep -q "^('EXISTS', \[b'1'\])" "$out"; then found=yes; break; fi
		sleep 0.05
	done
	t1=$(date +%s%N)
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	[ "$found" = yes ] || { cat "$out"; false; }
	[ $(( (t1 - t0) / 1000000 )) -lt 1000 ]
}

@test "idle N waits, ends with DONE, and keeps responses for response" {
	run imapsh_run -c "login $USER_NAME $USER_PASS" -c select -c 'idle 1' \
	    -c 'response EXISTS' "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT"
	assert_success
	assert_output_matches "\('OK', \[b'Idle completed"
	assert_output_contains "('EXISTS', [b'0'])"
}

@test "idle: a server that drops the connection while idling is reported" {
	fake_start t4-idle-drop
	run imapsh_run -c 'login user secret' -c 'idle 5' 127.0.0.1 "$FAKE_PORT"
	assert_failure 3
	assert_output_contains "('EXISTS', [b'3'])"
	assert_output_contains "('EXISTS', [b'4'])"
	assert_output_contains "abort: the server closed the connection while idling"
	fake_wait
}

@test "idle: a bare + and data after DONE are handled, nothing lost" {
	fake_start t4-idle-quirks
	run imapsh_run -c 'login user secret' -c 'idle 1' -c 'noop' \
	    -c 'response EXISTS' 127.0.0.1 "$FAKE_PORT"
	assert_success
	assert_output_contains "('EXISTS', [b'7'])"
	assert_output_contains "('OK', [b'IDLE terminated'])"
	assert_output_contains "('EXISTS', [b'7', b'8'])"
	fake_wait
}

@test "idle: Ctrl-C ends IDLE cleanly at a terminal, the shell goes on" {
	TMUX_SOCK="$BATS_TEST_TMPDIR/tmux.sock"
	export HOME="$BATS_TEST_TMPDIR" XDG_STATE_HOME="$BATS_TEST_TMPDIR/state"
	tmux -S "$TMUX_SOCK" new-session -d -x 150 -y 40 \
	    "'$IMAPSH' $USER_NAME@$IMAPSH_TEST_HOST $IMAPSH_TEST_PORT; sleep 5"
	pane() { tmux -S "$TMUX_SOCK" capture-pane -p; }
	waitfor() { for _ in $(seq 1 60); do pane | grep -qF -- "$1" && return 0; sleep 0.1; done; pane; return 1; }
	waitfor "(not logged in)>"
	tmux -S "$TMUX_SOCK" send-keys "login $USER_NAME $USER_PASS" Enter
	waitfor "$USER_NAME@"
	tmux -S "$TMUX_SOCK" send-keys 'idle' Enter
	waitfor "idling"
	tmux -S "$TMUX_SOCK" send-keys C-c
	waitfor "Idle completed"
	tmux -S "$TMUX_SOCK" send-keys 'noop' Enter
	waitfor "NOOP completed"
}

@test "idle: Enter ends IDLE at a terminal" {
	TMUX_SOCK="$BATS_TEST_TMPDIR/tmux.sock"
	export HOME="$BATS_TEST_TMPDIR" XDG_STATE_HOME="$BATS_TEST_TMPDIR/state"
	tmux -S "$TMUX_SOCK" new-session -d -x 150 -y 40 \
	    "'$IMAPSH' $USER_NAME@$IMAPSH_TEST_HOST $IMAPSH_TEST_PORT; sleep 5"
	pane() { tmux -S "$TMUX_SOCK" capture-pane -p; }
	waitfor() { for _ in $(seq 1 60); do pane | grep -qF -- "$1" && return 0; sleep 0.1; done; pane; return 1; }
	waitfor "(not logged in)>"
	tmux -S "$TMUX_SOCK" send-keys "login $USER_NAME $USER_PASS" Enter
	waitfor "$USER_NAME@"
	tmux -S "$TMUX_SOCK" send-keys 'idle' Enter
	waitfor "idling"
	tmux -S "$TMUX_SOCK" send-keys Enter
	waitfor "Idle completed"
}

@test "raw: a line as typed gets our tag; every reply line is printed" {
	run imapsh_run -c "login $USER_NAME $USER_PASS" -c 'raw SELECT INBOX' \
	    "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT"
	assert_success
	assert_output_contains "* 0 EXISTS"
	assert_output_matches "[A-P]{4}[0-9]+ OK \[READ-WRITE\] Select completed"
}

@test "raw: a tag typed by the user is used as is" {
	run imapsh_run -c "login $USER_NAME $USER_PASS" -c 'raw mytag7 NOOP' \
	    "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT"
	assert_success
	assert_output_contains "mytag7 OK NOOP completed"
}

@test "raw: a command the server rejects prints its BAD and fails" {
	run imapsh_run -c "login $USER_NAME $USER_PASS" -c 'raw FROBNICATE now' \
	    "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT"
	assert_failure 1
	assert_output_matches "[A-P]{4}[0-9]+ BAD .*Unknown command"
}

@test "raw: a literal from the next input lines, after the server's +" {
	run imapsh_run "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT" <<SCRIPT
login $USER_NAME $USER_PASS
raw APPEND INBOX {35}
From: a@example.org
Subject: x

raw SELECT INBOX
raw FETCH 1 (RFC822.SIZE BODY[HEADER.FIELDS (SUBJECT)])
SCRIPT
	assert_success
	assert_output_contains "+ OK"
	assert_output_contains "* 1 EXISTS"
	assert_output_contains "RFC822.SIZE 35"
	assert_output_contains "Subject: x"
}

@test "raw: a literal as long as the typed line holds just the line" {
	printf 'From: a@example.org\r\nSubject: test\r\n\r\nhi\r\n' >"$BATS_TEST_TMPDIR/m.eml"
	deliver_file "$BATS_TEST_TMPDIR/m.eml"
	run imapsh_run "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT" <<SCRIPT
login $USER_NAME $USER_PASS
raw SELECT INBOX
raw SEARCH SUBJECT {4}
test
raw SEARCH SUBJECT {6}
test
SCRIPT
	assert_success
	# {4} is "test" (it was "test\r\n", 6 bytes, refused); {6} is
	# "test\r\n" as before; both find the message.
	[ "$(grep -c '^\* SEARCH 1' <<<"$output")" -eq 2 ] || {
		echo "$output"
		return 1
	}
	refute_output_contains "error"
}

@test "raw: the command goes on after a literal, with more literals" {
	printf 'From: a@example.org\r\nSubject: test\r\n\r\nhi\r\n' >"$BATS_TEST_TMPDIR/m.eml"
	deliver_file "$BATS_TEST_TMPDIR/m.eml"
	# The password as a literal without CRLF, then LITERAL+ ({N+}, no
	# "+" to wait for); -d 4 shows each piece and never the literals.
	run imapsh_run -d 4 -t 5 "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT" <<SCRIPT
raw LOGIN {${#USER_NAME}}
$USER_NAME {${#USER_PASS}+}
$USER_PASS
raw SELECT INBOX
raw SEARCH CHARSET {5}
UTF-8 SUBJECT {4+}
test UNDELETED
SCRIPT
	assert_success
	assert_output_matches "> b'[A-P]{4}[0-9]+ LOGIN \{${#USER_NAME}\}'"
	assert_output_contains "> b' {${#USER_PASS}+}'"
	assert_output_contains "write literal size ${#USER_PASS}"
	assert_output_matches "OK .*Logged in"
	assert_output_matches "> b'[A-P]{4}[0-9]+ SEARCH CHARSET \{5\}'"
	assert_output_contains "> b' SUBJECT {4+}'"
	assert_output_contains "> b' UNDELETED'"
	assert_output_contains "* SEARCH 1"
	refute_output_contains "$USER_PASS"
}

@test "raw: a literal that would end between CR and LF is refused" {
	run imapsh_run "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT" <<SCRIPT
login $USER_NAME $USER_PASS
raw SEARCH SUBJECT {5}
test
raw NOOP
SCRIPT
	assert_failure 1
	assert_output_contains "raw: the line has 4 bytes, 6 with its line end"
	assert_output_matches "[A-P]{4}[0-9]+ OK NOOP"
}

@test "raw: <file sends the file as a literal with its size" {
	printf 'From: a@example.org\r\nSubject: file\r\n\r\nbody\r\n' >"$BATS_TEST_TMPDIR/m.eml"
	run imapsh_run -c "login $USER_NAME $USER_PASS" \
	    -c "raw APPEND INBOX (\\Seen) <$BATS_TEST_TMPDIR/m.eml" \
	    -c 'select' -c 'fetch 1 (FLAGS RFC822.SIZE)' \
	    "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT"
	assert_success
	assert_output_contains "RFC822.SIZE 44"
	assert_output_contains '\\Seen'
}

@test "raw: output is byte-exact (CRLF) when stdout is not a terminal" {
	"$IMAPSH" -c "login $USER_NAME $USER_PASS" -c 'raw NOOP' \
	    "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT" >"$BATS_TEST_TMPDIR/raw.out"
	run python3 -c "import sys; d=open(sys.argv[1],'rb').read(); print(b'NOOP completed' in d and d.count(b'\r\n') >= 1)" "$BATS_TEST_TMPDIR/raw.out"
	assert_output "True"
}

@test "compress: COMPRESS=DEFLATE works, and -d 4 still shows plain lines" {
	deliver 2
	run imapsh_run -d 4 -c "login $USER_NAME $USER_PASS" -c compress \
	    -c select -c 'fetch 1:2 (RFC822.SIZE BODY.PEEK[HEADER])' \
	    -c 'search None ALL' -c compress \
	    "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT"
	assert_failure 1	# the second compress is refused
	assert_output_contains "> b'"
	assert_output_matches "> b'[A-P]{4}[0-9]+ COMPRESS DEFLATE'"
	assert_output_matches "< b'[A-P]{4}[0-9]+ OK Fetch completed"
	assert_output_contains "('OK', [b'1 2'])"
	assert_output_contains "error: compress: compression is already on"
}

@test "compress: over TLS, and tls still describes the session" {
	run imapsh_run --cafile "$IMAPSH_TEST_CA" -c "login $USER_NAME $USER_PASS" \
	    -c compress -c tls -c noop "imaps://localhost:$IMAPSH_TEST_TLS_PORT"
	assert_success
	assert_output_contains "protocol: TLS"
	assert_output_contains "NOOP completed"
}

@test "responses: the untagged dictionary, as a Python dict, nothing removed" {
	run bash -c "'$IMAPSH' -c 'login $USER_NAME $USER_PASS' -c select -c responses \
	    -c 'response EXISTS' -c responses $IMAPSH_TEST_HOST $IMAPSH_TEST_PORT |
	    python3 -c '
import ast, sys
text = sys.stdin.read()
dicts = [ast.literal_eval(\"{\" + d.split(\"}\")[0] + \"}\") for d in text.split(\"{\")[1:]]
assert len(dicts) == 2, dicts
assert dicts[0][\"EXISTS\"] == [b\"0\"], dicts[0]
assert \"EXISTS\" not in dicts[1] and \"UIDVALIDITY\" in dicts[1], dicts[1]
print(\"ok\")'"
	assert_success
	assert_output "ok"
}
