#!/usr/bin/env bats
# The protocol trace (-d, debug, log): imaplib's format, its levels, and
# what it must never show (passwords, raw control bytes).

load helper
load e2e-helper

bats_require_minimum_version 1.5.0

# py_repr VALUE: VALUE as a Python string literal.
py_repr()
{
	python3 -c 'import sys; print(repr(sys.argv[1]))' "$1"
}

# refute_password PASSWORD: neither PASSWORD nor any 6-character piece of
# it, raw or escaped as the trace would escape it, is in $output.
refute_password()
{
	local pw=$1 i piece esc

	refute_output_contains "$pw"
	for ((i = 0; i + 6 <= ${#pw}; i++)); do
		piece=${pw:i:6}
		refute_output_contains "$piece" || return 1
	done
	esc=$(python3 -c 'import sys
print(repr(sys.argv[1].encode())[2:-1])' "$pw")
	refute_output_contains "$esc"
}

@test "-d 4 shows LOGIN with the password redacted" {
	run ish -d 4 -c "login $USER_NAME $USER_PASS" -c noop
	assert_success
	assert_output_matches "(^|"$'\n'")  [0-9]{2}:[0-9]{2}\.[0-9]{2} > b'[A-Z]{4}[0-9]+ LOGIN $USER_NAME <redacted>'"$'\n'
	assert_output_contains "Logged in'])"
	refute_password "$USER_PASS"
}

@test "a password with blanks and quotes: logged in, never shown" {
	local pass='se cr"et \b/x'
	new_user "" "$pass"
	# Hand style: single quotes group the words.
	run ish -d 4 -c "login $USER_NAME '$pass'" -c noop
	assert_success
	assert_output_contains "Logged in'])"
	assert_output_matches "> b'[A-Z]{4}[0-9]+ LOGIN $USER_NAME <redacted>'"
	refute_password "$pass"
	refute_password 'cr\"et'
	# Call form, with a single quote too, at the most verbose level.
	pass="it's a \"quoted\" pass"
	new_user "" "$pass"
	run ish -d 5 -c "M.login('$USER_NAME', $(py_repr "$pass"))" -c noop
	assert_success
	assert_output_contains "Logged in'])"
	assert_output_matches "> b'[A-Z]{4}[0-9]+ LOGIN $USER_NAME <redacted>'"
	refute_password "$pass"
	refute_password '\"quoted\"'
}

@test "an 8-bit password goes as a literal and is not traced" {
	local pass=pässwörd-$RANDOM
	new_user "" "$pass"
	run ish -d 5 -c "login $USER_NAME $pass" -c noop -c log
	assert_success
	assert_output_contains "Logged in'])"
	refute_password "$pass"
	refute_password "p\\xc3\\xa4ssw\\xc3\\xb6rd"
	refute_output_contains "ssw"
}

@test "-d 5 redacts the password too and adds the untagged bookkeeping" {
	run ish -d 5 -c "login $USER_NAME $USER_PASS" -c select
	assert_success
	assert_output_matches "> b'[A-Z]{4}[0-9]+ LOGIN $USER_NAME <redacted>'"
	assert_output_contains "untagged_responses[EXISTS] 0 += [\"b'0'\"]"
	refute_password "$USER_PASS"
}

@test "log shows the last interactions with the password redacted" {
	run ish -c "login $USER_NAME $USER_PASS" -c log -c noop -c log
	assert_success
	refute_password "$USER_PASS"
	# The NOOP added two lines, sent and received.
	local n
	n=$(sed -n 's/.* last \([0-9]*\) IMAP4 interactions:$/\1/p' <<<"$output" | head -n 1)
	[ -n "$n" ] && [ "$n" -ge 3 ] && [ "$n" -le 8 ] ||
	    _imapsh_fail "no plausible first count" output "$output"
	assert_output_contains "last $((n + 2)) IMAP4 interactions:"
	assert_output_matches "  [0-9]{2}:[0-9]{2}\.[0-9]{2} > b'[A-Z]{4}[0-9]+ LOGIN $USER_NAME <redacted>'"
}

@test "log keeps the last ten lines, oldest first" {
	local args=() i
	for ((i = 0; i < 8; i++)); do
		args+=(-c noop)
	done
	ish -c "login $USER_NAME $USER_PASS" "${args[@]}" -c log \
	    >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err"
	run cat "$BATS_TEST_TMPDIR/err"
	local stderr=$output
	assert_output_matches "^  [0-9]{2}:[0-9]{2}\.[0-9]{2} last 10 IMAP4 interactions:"
	[ "${#lines[@]}" -eq 11 ] ||
	    _imapsh_fail "not 10 lines after the header" stderr "$stderr"
	# Ten lines: the last five NOOPs, each sent and answered.
	local i want=">" tag first=
	for ((i = 1; i <= 10; i++)); do
		if [ "$want" = ">" ]; then
			[[ ${lines[i]} =~ \>\ b\'[A-Z]{4}([0-9]+)\ NOOP\'$ ]] ||
			    _imapsh_fail "line $i is not a NOOP sent" \
			    stderr "$stderr"
			tag=${BASH_REMATCH[1]}
			first=${first:-$tag}
			want="<"
		else
			[[ ${lines[i]} =~ \<\ b\'[A-Z]{4}$tag\ OK\ NOOP\ completed ]] ||
			    _imapsh_fail "line $i is not its reply" \
			    stderr "$stderr"
			want=">"
		fi
	done
	assert_equal $((first + 4)) "$tag"
}

@test "log at -d 4 is empty, as imaplib's print_log" {
	run ish -d 4 -c "login $USER_NAME $USER_PASS" -c noop -c log
	assert_success
	assert_output_contains "last 0 IMAP4 interactions:"
}

@test "trace timestamps are imaplib's '  MM:SS.hh ' in local time" {
	local start end
	start=$(date +%s.%N)
	ish -d 4 -c "login $USER_NAME $USER_PASS" -c select -c noop \
	    >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err"
	end=$(date +%s.%N)
	run python3 - "$BATS_TEST_TMPDIR/err" "$start" "$end" <<'EOF'
import re, sys, time
lines = open(sys.argv[1], encoding="utf-8", errors="replace").read().splitlines()
start, end = float(sys.argv[2]), float(sys.argv[3])
# Every instant of the run, as imaplib formats it.
ok = set()
for h in range(int(start * 100), int(end * 100) + 2):
    ok.add(time.strftime("%M:%S", time.localtime(h / 100)) + ".%02d" % (h % 100))
# Lines that go on a message (the untagged responses dump) start with tabs.
bad = [l for l in lines
       if not re.match(r"  \d\d:\d\d\.\d\d \S", l) and not l.startswith("\t")]
lines = [l for l in lines if not l.startswith("\t")]
stamps = [l[2:10] for l in lines if l not in bad]
wrong = [s for s in stamps if s not in ok]
print(len(lines) >= 10, bad, wrong)
EOF
	assert_output "True [] []"
}

@test "-d 4 shows lines received as < b'...' and sent as > b'...'" {
	run ish -d 4 -c "login $USER_NAME $USER_PASS" -c select -c noop
	assert_success
	assert_output_matches "  [0-9:.]{8} < b'\* OK \[CAPABILITY IMAP4rev1 [^]]*\] [^']*ready\.'"
	assert_output_matches "> b'([A-Z]{4})[0-9]+ SELECT INBOX'"$'\n'"  [0-9:.]{8} < b'\* FLAGS \("
	assert_output_matches "  [0-9:.]{8} < b'\* 0 EXISTS'"
	assert_output_matches "  [0-9:.]{8} < b'[A-Z]{4}[0-9]+ OK \[READ-WRITE\] Select completed"
	assert_output_matches "  [0-9:.]{8} > b'[A-Z]{4}[0-9]+ NOOP'"
	assert_output_matches "  [0-9:.]{8} > b'[A-Z]{4}[0-9]+ LOGOUT'"
	assert_output_contains "BYE response: b'Logging out'"
	# The tags are the one the connection line announces, counting up
	# from 0, one per command sent.
	local tag nums n=0 want=""
	tag=$(sed -n "s/.*new IMAP4 connection, tag=\([A-Z]\{4\}\)$/\1/p" <<<"$output")
	[ -n "$tag" ] || _imapsh_fail "no tag announced" output "$output"
	nums=$(sed -n "s/.* > b'$tag\([0-9]*\) [A-Z].*/\1/p" <<<"$output" | tr '\n' ' ')
	for _ in $nums; do
		want+="$n "
		n=$((n + 1))
	done
	assert_equal "$want" "$nums"
	[ "$n" -ge 4 ] || _imapsh_fail "too few commands" nums "$nums"
}

@test "-d 4 shows the size of each literal read" {
	local f
	f=$(mkmsg m.eml 'Subject: literal' '' 'twelve bytes' 'and more')
	deliver_file "$f"
	run ish -d 4 -c "login $USER_NAME $USER_PASS" -c select \
	    -c 'fetch 1 (BODY.PEEK[TEXT] BODY.PEEK[HEADER.FIELDS (SUBJECT)])'
	assert_success
	# "twelve bytes\r\nand more\r\n" is 24 bytes; the header 20.
	assert_output_matches "< b'\* 1 FETCH \(BODY\[TEXT\] \{24\}'"$'\n'"  [0-9:.]{8} read literal size 24"$'\n'"  [0-9:.]{8} < b' BODY\[HEADER.FIELDS \(SUBJECT\)\] \{20\}'"$'\n'"  [0-9:.]{8} read literal size 20"$'\n'"  [0-9:.]{8} < b'\)'"
}

@test "-d 4 shows the size of each literal written" {
	local f
	f=$(mkmsg a.eml 'Subject: written' '' 'body')
	run ish -d 4 -c "login $USER_NAME $USER_PASS" \
	    -c "append INBOX None None <$f"
	assert_success
	# 16 + 0 + 4 bytes and three CRLFs: 26.
	assert_output_matches "> b'[A-Z]{4}[0-9]+ APPEND INBOX \{26\}'"
	assert_output_matches "  [0-9:.]{8} write literal size 26"$'\n'
	refute_output_contains "Subject: written"
}

@test "-d 3 adds the capabilities, but no lines" {
	run ish -d 3 -c "login $USER_NAME $USER_PASS" -c noop
	assert_success
	assert_output_matches "  [0-9:.]{8} CAPABILITIES: \('IMAP4REV1', [^)]*'LITERAL\+'"
	refute_output_contains "> b'"
	refute_output_contains "< b'"
	run ish -d 2 -c "login $USER_NAME $USER_PASS" -c noop
	assert_success
	refute_output_contains "CAPABILITIES:"
	assert_output_contains "new IMAP4 connection, tag="
}

@test "-d 1 shows a NO response, and no lines" {
	run ish -d 1 -c "login $USER_NAME $USER_PASS" -c 'select NoSuchBox'
	assert_failure 1
	assert_output_matches "  [0-9:.]{8} NO response: b\"Mailbox doesn't exist: NoSuchBox \([0-9. +]+ secs\)\.\""$'\n'"\('NO',"
	assert_output_contains "BYE response: b'Logging out'"
	refute_output_contains "> b'"
	refute_output_contains "CAPABILITIES:"
}

@test "no -d: nothing on stderr" {
	run --separate-stderr ish -c "login $USER_NAME $USER_PASS" -c select \
	    -c 'select NoSuchBox'
	assert_failure 1
	[ -z "$stderr" ] || _imapsh_fail "stderr not empty" stderr "$stderr"
}

@test "debug 4 inside a session turns tracing on from there" {
	run ish -c "login $USER_NAME $USER_PASS" -c noop -c debug -c 'debug 4' \
	    -c debug -c noop -c 'debug 0' -c 'create Untraced'
	assert_success
	refute_output_contains "LOGIN $USER_NAME"
	refute_output_contains "CREATE"
	assert_output_contains "debug level 0"
	assert_output_contains "debug level 4"
	run match_groups "([<>]) b'[A-Z]{4}[0-9]+ (OK )?NOOP"
	assert_output "> <"
}

@test "control bytes from the server are escaped on stdout and in the trace" {
	printf '%s\r\n' 'From: x@example.org' \
	    $'Subject: esc \x1b[31mred\x1b[0m bell\x07 del\x7f' '' \
	    $'body \x1b]0;title\x07 \x9b' >"$BATS_TEST_TMPDIR/esc.eml"
	deliver_file "$BATS_TEST_TMPDIR/esc.eml"
	ish -d 5 -c "login $USER_NAME $USER_PASS" -c select \
	    -c 'fetch 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)] BODY.PEEK[TEXT])' \
	    -c 'search None SUBJECT red' \
	    >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err"
	run python3 - "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/err" <<'EOF'
import sys
for name in sys.argv[1:]:
    data = open(name, "rb").read()
    print(sorted(set(b for b in data if b < 0x20 and b != 0x0a or b >= 0x7f)))
EOF
	assert_output "[]
[]"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_output_contains "b'Subject: esc \\x1b[31mred\\x1b[0m bell\\x07 del\\x7f\\r\\n\\r\\n'"
	assert_output_contains "b'body \\x1b]0;title\\x07 \\x9b\\r\\n'"
	run cat "$BATS_TEST_TMPDIR/err"
	assert_output_contains "read literal size"
}

@test "control bytes in a trace line the server sends are escaped" {
	# The server repeats the name in its reply: a line, not a literal.
	run --separate-stderr ish -d 4 -c "login $USER_NAME $USER_PASS" \
	    -c "M.select('a\\x1b[2Jb')"
	assert_failure 1
	[[ $stderr == *"SELECT \"a\\x1b[2Jb\"'"* ]] ||
	    _imapsh_fail "the sent line is not escaped" stderr "$stderr"
	[[ $stderr$output != *$'\x1b'* ]] ||
	    _imapsh_fail "a raw ESC reached the terminal" stderr "$stderr"
}
