#!/usr/bin/env bats
# Pipelining: a script's independent commands go to the server before the
# replies of the ones ahead of them; results still print in order, each
# the same as with --no-pipeline, and exit statuses do not change.

load helper
load e2e-helper

bats_require_minimum_version 1.5.0

# The lines "> TAG ..." and "< TAG OK ..." of a -d 4 trace, in order, as
# "S tag" (sent) and "R tag" (its tagged reply).
sent_replied()
{
	sed -nE "s/^ *[0-9:.]+ > b'([A-Z]+[0-9]+) .*/S \1/p;
	    s/^ *[0-9:.]+ < b'([A-Z]+[0-9]+) (OK|NO|BAD).*/R \1/p" <<<"$1"
}

# The same, with the tags' numbers only, on one line: "S 3 R 3 S 4 ...".
tag_order()
{
	sent_replied "$1" | sed -E 's/[A-Z]+([0-9]+)$/\1/' | tr '\n' ' '
}

script_fetches()
{
	printf 'login %s %s\nselect INBOX\n' "$USER_NAME" "$USER_PASS"
	printf '%s\n' 'uid FETCH 1 (FLAGS)' 'status INBOX (MESSAGES)' \
	    'uid FETCH 2 (FLAGS)' 'fetch 3 (FLAGS)' 'fetch 2 (UID)' \
	    'search None ALL' 'list "" *' 'uid FETCH 1,3 (UID FLAGS)' \
	    'fetch 1:3 (UID)' 'uid search ALL'
}

# deliver3: three messages, selected once so that no session after this
# one sees \Recent (the first to select does).
deliver3()
{
	deliver 3
	ish_c 'select INBOX' >/dev/null
}

@test "pipeline: the same results, in the same order, as --no-pipeline" {
	deliver3
	run ish --no-pipeline < <(script_fetches)
	assert_success
	local serial=$output
	run ish < <(script_fetches)
	assert_success
	assert_equal "$output" "$serial"
	# Each FETCH took only its own responses.
	local one="^\\('OK', \\[b'1 \\(UID 1 FLAGS \\([^)]*\\)\\)'\\]\\)\$"
	local two="^\\('OK', \\[b'1 \\(UID 1 [^,]*, b'3 \\(UID 3 [^,]*\\]\\)\$"
	[[ ${lines[2]} =~ $one ]] ||
	    _imapsh_fail "uid FETCH 1 took more than its response" line "${lines[2]}"
	[[ ${lines[9]} =~ $two ]] ||
	    _imapsh_fail "uid FETCH 1,3 did not take its two responses" line "${lines[9]}"
	assert_line 6 "('OK', [b'2 (UID 2)'])"
	assert_line 10 "('OK', [b'1 (UID 1)', b'2 (UID 2)', b'3 (UID 3)'])"
}

@test "pipeline: commands go out before the replies to the ones ahead" {
	deliver3
	run ish -d 4 < <(script_fetches)
	assert_success
	local order
	order=$(sent_replied "$output" | tr '\n' ' ')
	# LOGIN and SELECT wait for their replies; the uid FETCH after SELECT
	# and at least the STATUS after it are sent before its reply.
	[[ $order =~ S\ ([A-Z]+)2\ R\ [A-Z]+2\ S\ [A-Z]+3\ S\ [A-Z]+4\ S ]] ||
	    _imapsh_fail "no command was sent ahead" order "$order"
	assert_output_contains "was sent ahead (pipelined)"
}

@test "pipeline: --no-pipeline sends each command after the last reply" {
	deliver3
	run ish -d 4 --no-pipeline < <(script_fetches)
	assert_success
	local order expect="" i
	order=$(tag_order "$output")
	for i in $(seq 0 12); do
		expect+="S $i R $i "
	done
	expect+="S 13 "		# LOGOUT: the BYE ends the trace
	assert_equal "$order" "$expect"
	refute_output_contains "sent ahead"
}

@test "pipeline: two FETCHes that may answer for the same message wait" {
	deliver3
	run ish -d 4 <<EOF
login $USER_NAME $USER_PASS
select INBOX
fetch 1:2 (UID)
fetch 2:3 (UID)
uid FETCH 1 (FLAGS)
uid FETCH 1 (UID)
EOF
	assert_success
	local order
	order=$(tag_order "$output")
	# 3 and 4 overlap (message 2), 5 and 6 name the same UID: each is
	# sent after the other's reply.
	[[ $order == *"R 3 "*"S 4 "* ]] ||
	    _imapsh_fail "fetch 2:3 went before fetch 1:2's reply" order "$order"
	[[ $order == *"R 5 "*"S 6 "* ]] ||
	    _imapsh_fail "the second uid FETCH 1 went ahead" order "$order"
	assert_output_contains "('OK', [b'1 (UID 1)', b'2 (UID 2)'])"
	assert_output_contains "('OK', [b'2 (UID 2)', b'3 (UID 3)'])"
}

@test "pipeline: commands that change something are not sent ahead" {
	deliver3
	run ish -d 4 <<EOF
login $USER_NAME $USER_PASS
select INBOX
fetch 1 (FLAGS)
store 1 +FLAGS (\\Flagged)
fetch 1 (FLAGS)
fetch 2 (BODY[HEADER.FIELDS (SUBJECT)])
fetch 1 (FLAGS)
EOF
	assert_success
	local order
	order=$(tag_order "$output")
	# STORE (4) goes after the reply to 3, and 5 after STORE's reply;
	# the non-PEEK BODY[] fetch (6) sets \Seen: after 5's reply too.
	[[ $order == *"R 3 S 4 R 4 S 5 "* ]] ||
	    _imapsh_fail "STORE was pipelined" order "$order"
	[[ $order == *"R 5 S 6 "* ]] ||
	    _imapsh_fail "a fetch that sets \\Seen was pipelined" order "$order"
	assert_output_matches "\('OK', \[b'1 \(FLAGS \([^)]*Flagged[^)]*\)\)'\]\)"
}

@test "pipeline: a sequence-number FETCH never follows a NOOP in flight" {
	deliver 1
	run ish -d 4 <<EOF
login $USER_NAME $USER_PASS
select INBOX
noop
fetch 1 (FLAGS)
EOF
	assert_success
	local order
	order=$(tag_order "$output")
	# RFC 3501 7.4.1: EXPUNGE may come during NOOP, renumbering.
	[[ $order == *"S 3 R 3 S 4 R 4 "* ]] ||
	    _imapsh_fail "fetch 1 was sent while NOOP was in flight" order "$order"
}

@test "pipeline: exit status and -e are unchanged" {
	deliver 1
	local script
	script=$(printf '%s\n' "login $USER_NAME $USER_PASS" 'select INBOX' \
	    'fetch 1 (UID)' 'status NoSuchBox (MESSAGES)' 'fetch 1 (UID)' \
	    'uid FETCH 1 (UID)')
	run ish --no-pipeline <<<"$script"
	assert_failure 1
	norm_times
	local serial=$output
	run ish <<<"$script"
	assert_failure 1
	norm_times
	assert_equal "$output" "$serial"
	# -e: nothing after the failure prints, the status is the same.
	run ish -e --no-pipeline <<<"$script"
	assert_failure 1
	norm_times
	serial=$output
	run ish -e -d 4 <<<"$script"
	assert_failure 1
	[[ $output == *"sent ahead"* ]] ||
	    _imapsh_fail "nothing was pipelined" output "$output"
	run ish -e <<<"$script"
	assert_failure 1
	norm_times
	assert_equal "$output" "$serial"
	assert_line -1 "('NO', [b\"Mailbox doesn't exist: NoSuchBox (T secs).\"])"
}

@test "pipeline: a feeder that waits for each answer is answered (no look-ahead stall)" {
	local fifo=$BATS_TEST_TMPDIR/in out=$BATS_TEST_TMPDIR/out
	mkfifo "$fifo"
	timeout 20 "$IMAPSH" "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT" \
	    <"$fifo" >"$out" 2>&1 &
	local pid=$! n
	exec 7>"$fifo"
	printf 'login %s %s\nnoop\n' "$USER_NAME" "$USER_PASS" >&7
	# The NOOP's result must come while the next line is not written.
	for n in $(seq 100); do
		grep -q "NOOP completed" "$out" && break
		sleep 0.1
	done
	grep -q "NOOP completed" "$out" || {
		exec 7>&-
		wait "$pid"
		_imapsh_fail "no answer to a line until the next one came" \
		    output "$(cat "$out")"
	}
	printf 'capability\n' >&7
	exec 7>&-
	wait "$pid"
	run cat "$out"
	assert_output_contains "('OK', [b'Logged in'])"
	assert_output_contains "IMAP4rev1"
}

# Every command a script may send ahead (CMD_PIPE), with lines whose
# builder refuses them and replies of every kind (OK with data, NO, BAD).
script_all_pipe()
{
	printf 'login %s %s\nselect INBOX\n' "$USER_NAME" "$USER_PASS"
	printf '%s\n' 'noop' 'namespace' 'list "" *' 'lsub "" *' \
	    'status INBOX (MESSAGES UIDNEXT)' 'search None ALL' \
	    'fetch 1:3 (UID FLAGS)' 'uid search ALL' 'uid fetch 1:* (FLAGS)' \
	    'getacl INBOX' 'myrights INBOX' 'getquota ""' \
	    'sort (DATE) UTF-8 ALL' 'thread REFERENCES UTF-8 ALL' \
	    'getmetadata INBOX /private/comment' \
	    'getannotation INBOX /comment value.priv' \
	    'getmetadata INBOX' 'uid bogus 1' 'status NoSuchBox (MESSAGES)' \
	    'fetch 2 (UID)' 'noop'
}

@test "pipeline: all 15 commands print the same bytes as with --no-pipeline" {
	deliver3
	local fmt serial
	# (raw prints the server's lines as they come: pipelined, replies
	# come in a different order)
	for fmt in python json; do
		run ish --format "$fmt" --no-pipeline < <(script_all_pipe)
		assert_failure 1
		norm_times
		serial=$output
		[[ $serial == *"getmetadata() needs at least one entry"* &&
		    $serial == *"Unknown IMAP4 UID command: BOGUS"* ]] ||
		    _imapsh_fail "a refused line did not say why" output "$serial"
		run ish --format "$fmt" < <(script_all_pipe)
		assert_failure 1
		norm_times
		assert_equal "$output" "$serial"
	done
	run ish -d 4 < <(script_all_pipe)
	assert_failure 1
	[[ $output == *"was sent ahead (pipelined)"* ]] ||
	    _imapsh_fail "nothing was pipelined" output "$output"
}
