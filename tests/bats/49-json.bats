#!/usr/bin/env bats
# --format json for scripts: one JSON value for every input line that is
# not empty or a comment (errors and local commands included, each with its
# exit status class), and one jq path, .base64, that holds a value's bytes
# whatever they are.

load helper
load e2e-helper
load ../fake/fake

teardown() {
	fake_stop 2>/dev/null || true
}

# json_values FILE: the values in FILE, one compact value a line; fails
# when FILE is not a sequence of JSON values each on a line of its own.
json_values() {
	local n
	n=$(jq -c . "$1" | wc -l) || return 1
	[ "$n" -eq "$(wc -l <"$1")" ] ||
	    _imapsh_fail "a JSON value is not on a line of its own" \
	    output "$(cat "$1")"
	jq -c . "$1"
}

@test "json: a heredoc gives one value per non-empty line: errors, usage, local commands" {
	deliver 1
	local script=$BATS_TEST_TMPDIR/script out=$BATS_TEST_TMPDIR/out
	cat >"$script" <<END
login $USER_NAME $USER_PASS

# a comment gives nothing, as an empty line does
select
fetch 1 (FLAGS
fecth 1 (FLAGS)
fetch 1
fetch 1 (FLAGS)
  
help select
set format json
show format
responses
tls
utf7 decode &ZeVnLIqe-
Int2AP 4096
Time2Internaldate 1700000000
Internaldate2tuple '1 (INTERNALDATE "17-Jul-1996 02:44:25 -0700")'
ParseFlags '1 (FLAGS (\\Seen))'
debug 0
log
select nosuch
logout
END
	run bash -c "TZ=UTC '$IMAPSH' --format json $IMAPSH_TEST_HOST \
	    $IMAPSH_TEST_PORT <'$script' >'$out' 2>/dev/null"
	assert_failure 2
	run json_values "$out"
	assert_success
	# One value for each of the 20 lines that are neither empty nor a
	# comment, in order, each naming its line.
	local want=$(grep -cv '^[[:space:]]*\(#.*\)\?$' "$script")
	assert_equal 20 "$want"
	assert_equal "$want" "$(jq -s length "$out")"
	run jq -c '[.line, .command, .status, .exit]' "$out"
	assert_output '[1,"login","OK",0]
[4,"select","OK",0]
[5,null,"usage",2]
[6,null,"usage",2]
[7,"fetch","usage",2]
[8,"fetch","OK",0]
[10,"help","OK",0]
[11,"set","OK",0]
[12,"show","OK",0]
[13,"responses","OK",0]
[14,"tls","OK",0]
[15,"utf7","OK",0]
[16,"Int2AP","OK",0]
[17,"Time2Internaldate","OK",0]
[18,"Internaldate2tuple","OK",0]
[19,"ParseFlags","OK",0]
[20,"debug","OK",0]
[21,"log","OK",0]
[22,"select","NO",1]
[23,"logout","BYE",0]'
	# Errors say what went wrong; local commands' data are JSON values.
	run jq -r 'select(.line == 6) | .error' "$out"
	assert_output_contains "unknown command 'fecth'"
	run jq -r 'select(.line == 7) | .error' "$out"
	assert_output_contains "fetch() missing 1 required positional argument"
	run jq -r 'select(.line == 22) | .data[0].text' "$out"
	assert_output_contains "Mailbox doesn't exist"
	run jq -c 'select(.line >= 12 and .line <= 19) | .data' "$out"
	assert_line 0 '{"format":"json"}'
	assert_output_contains '"EXISTS":[{"text":"1","base64":"MQ=="}]'
	assert_line 2 '["not encrypted: 127.0.0.1 port '"$IMAPSH_TEST_PORT"'"]'
	assert_line 3 '"日本語"'
	assert_line 4 '{"text":"BAAA","base64":"QkFBQQ=="}'
	assert_line 5 '"\"14-Nov-2023 22:13:20 +0000\""'
	assert_line 6 '[1996,7,17,9,44,25,2,199,0]'
	assert_line 7 '[{"text":"\\Seen","base64":"XFNlZW4="}]'
	run jq -r 'select(.line == 10) | .data[0]' "$out"
	assert_output "usage: select [mailbox [readonly]]"
	run jq -c 'select(.line == 11) | .data' "$out"
	assert_output 'null'
}

@test "json: -c lines and lines typed at a prompt give one value each too" {
	run bash -c "'$IMAPSH' -n --format json -c 'help fetch' -c 'nosuch' \
	    -c 'Int2AP x' -c 'set format yaml' 2>/dev/null"
	assert_failure 2
	run jq -c '[.line, .command, .status, .exit]' <<<"$output"
	assert_output '[1,"help","OK",0]
[2,null,"usage",2]
[3,"Int2AP","error",1]
[4,"set","error",1]'
	# -e: the lines after the one that stops the script do not run.
	run bash -c "'$IMAPSH' -n -e --format json -c 'Int2AP 1' -c nosuch \
	    -c 'Int2AP 2' 2>/dev/null"
	assert_failure 2
	run jq -c '[.line, .status]' <<<"$output"
	assert_output '[1,"OK"]
[2,"usage"]'
	# At a terminal: a value for each line, and no "line" (not a script).
	{ printf 'nosuch\nhelp noop\n'; sleep 1; } |
	    script -qec "'$IMAPSH' -n --format json" "$BATS_TEST_TMPDIR/ts" \
	    >/dev/null || true
	run bash -c "tr -d '\r' <'$BATS_TEST_TMPDIR/ts' | grep '^{' |
	    jq -c '[.line, .command, .status]'"
	assert_output '[null,null,"usage"]
[null,"help","OK"]'
}

@test "json: a refused connection gives one value, abort with exit 3" {
	local port
	port=$(free_port)
	run bash -c "'$IMAPSH' --format json -c noop -c 'select' 127.0.0.1 \
	    $port 2>/dev/null"
	assert_failure 3
	run jq -c '[.command, .status, .exit, .error]' <<<"$output"
	assert_output '["connect","abort",3,"cannot connect to 127.0.0.1 port '"$port"': connection refused"]'
	# connect as a line of a script: that line's value.
	run bash -c "'$IMAPSH' -n --format json -c 'connect 127.0.0.1 $port' \
	    -c 'Int2AP 1' 2>/dev/null"
	assert_failure 3
	run jq -c '[.line, .command, .status, .exit]' <<<"$output"
	assert_output '[1,"connect","abort",3]
[2,"Int2AP","OK",0]'
}

@test "json: .base64 holds a literal's exact bytes, UTF-8 or not; .text only for UTF-8" {
	printf 'From: a@example.org\r\nSubject: x\r\n\r\n\xff\xfe\x80 binary\r\n' \
	    >"$BATS_TEST_TMPDIR/bin.eml"
	printf 'From: a@example.org\r\nSubject: y\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSm\xc3\xb6rg\xc3\xa5sbord \xe2\x82\xac\r\n' \
	    >"$BATS_TEST_TMPDIR/utf8.eml"
	deliver_file "$BATS_TEST_TMPDIR/bin.eml"
	deliver_file "$BATS_TEST_TMPDIR/utf8.eml"
	"$IMAPSH" --format json -c "login $USER_NAME $USER_PASS" -c select \
	    -c 'fetch 1 (BODY.PEEK[TEXT])' -c 'fetch 2 (BODY.PEEK[TEXT])' \
	    "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT" >"$BATS_TEST_TMPDIR/out"
	for n in 1 2; do
		jq -r "select(.line == $((n + 2))) | .data[0][1].base64" \
		    "$BATS_TEST_TMPDIR/out" | base64 -d >"$BATS_TEST_TMPDIR/got$n"
	done
	printf '\xff\xfe\x80 binary\r\n' >"$BATS_TEST_TMPDIR/want1"
	printf 'Sm\xc3\xb6rg\xc3\xa5sbord \xe2\x82\xac\r\n' >"$BATS_TEST_TMPDIR/want2"
	cmp "$BATS_TEST_TMPDIR/want1" "$BATS_TEST_TMPDIR/got1"
	cmp "$BATS_TEST_TMPDIR/want2" "$BATS_TEST_TMPDIR/got2"
	run jq -c 'select(.line >= 3) | .data[0][1] | has("text")' \
	    "$BATS_TEST_TMPDIR/out"
	assert_output 'false
true'
	run jq -r 'select(.line == 4) | .data[0][1].text' "$BATS_TEST_TMPDIR/out"
	assert_output "$(printf 'Sm\xc3\xb6rg\xc3\xa5sbord \xe2\x82\xac\r')"
	# The header line before the literal is bytes too.
	run jq -r 'select(.line == 4) | .data[0][0].base64' "$BATS_TEST_TMPDIR/out"
	assert_equal "2 (BODY[TEXT] {19}" "$(base64 -d <<<"$output")"
}

@test "json: idle is one value, its responses inside it as they came" {
	fake_start t4-idle-quirks
	run imapsh_run --format json -c 'login user secret' -c 'idle 1' \
	    -c noop 127.0.0.1 "$FAKE_PORT"
	assert_success
	run jq -c '[.line, .command, .status, [.responses[]? |
	    [.[0], .[1][0].text]]]' <<<"$output"
	assert_output '[1,"login","OK",[]]
[2,"idle","OK",[["EXISTS","7"],["EXISTS","8"]]]
[3,"noop","OK",[]]'
	fake_wait
	# A server gone mid-IDLE: still one value, with the abort.
	fake_start t4-idle-drop
	run bash -c "'$IMAPSH' --format json -c 'login user secret' \
	    -c 'idle 5' 127.0.0.1 $FAKE_PORT 2>/dev/null"
	assert_failure 3
	run jq -c 'select(.line == 2) | [.status, .exit, (.responses |
	    length), .error]' <<<"$output"
	assert_output '["abort",3,2,"the server closed the connection while idling (socket error: EOF)"]'
	fake_wait
}

@test "json: raw is one value, the server's lines its data as bytes" {
	run imapsh_run --format json -c "login $USER_NAME $USER_PASS" \
	    -c 'raw CAPABILITY' -c 'raw NOSUCH' \
	    "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT"
	assert_failure 1
	run jq -c 'select(.line >= 2) | [.command, .status, .exit,
	    (.data | length), (.data[0].base64 | @base64d | .[0:13]),
	    (.data[-1].text | test("^[A-Z]+[0-9]+ (OK|BAD) "))]' <<<"$output"
	assert_line 0 '["raw","OK",0,2,"* CAPABILITY ",true]'
	assert_output_matches '\["raw","BAD",1,1,"[A-Z]+[0-9]+ BAD Err",true\]'
}

@test "json: a line with a NUL byte gives its value too" {
	run bash -c "printf 'Int2AP 1\nhelp\0x\nInt2AP 2\n' |
	    '$IMAPSH' -n --format json 2>/dev/null"
	assert_failure 2
	run jq -c '[.line, .command, .status, .exit]' <<<"$output"
	assert_output '[1,"Int2AP","OK",0]
[2,null,"usage",2]
[3,"Int2AP","OK",0]'
}

@test "json: every command of the table, run as its help example, gives one value" {
	deliver 3
	local d=$BATS_TEST_TMPDIR c ex
	printf 'From: a@example.org\r\nSubject: m\r\n\r\nm\r\n' >"$d/msg.eml"
	{
		echo "login $USER_NAME $USER_PASS"
		echo "select"
		# Each command's example, as help shows it (so every command of
		# the table, in its order; close is followed by a select); the
		# ones that end or move the session come last, connect (to a
		# name that is not a test server) not at all.
		for c in $("$IMAPSH" --list-commands | awk '{ print $1 }'); do
			ex=$("$IMAPSH" -n --format json -c "help $c" | jq -r \
			    '.data[] | select(startswith("  example: ")) | .[11:]')
			case $c in
			connect|exit|quit|logout|starttls|compress|reconnect) ;;
			idle) echo "idle 1" ;;
			close) printf '%s\nselect\n' "$ex" ;;
			*) printf '%s\n' "$ex" ;;
			esac
		done
		printf '%s\n' compress reconnect starttls logout quit
	} >"$d/script"
	(cd "$d" && "$IMAPSH" -t 5 --format json "$IMAPSH_TEST_HOST" \
	    "$IMAPSH_TEST_PORT" <script >out 2>err) || true
	run json_values "$d/out"
	assert_success
	assert_equal "$(wc -l <"$d/script")" "$(jq -s length "$d/out")"
	# In order, each naming its line, each with its exit status class.
	assert_equal "$(seq "$(wc -l <"$d/script")")" \
	    "$(jq '.line' "$d/out")"
	run jq -r 'select((.exit | type) != "number" or
	    ((.status | type) != "string")) | .line' "$d/out"
	assert_output ""
}
