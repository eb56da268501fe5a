#!/usr/bin/env bats
# Tests of the test harness itself (tests/lib, tests/bats/helper.bash):
# the private Dovecot, its users, delivery and the helpers.  None of them
# runs imapsh, so they say whether a failure elsewhere is imapsh's fault.

load helper

@test "harness: environment names the private Dovecot" {
	assert_equal 127.0.0.1 "$IMAPSH_TEST_HOST"
	[[ $IMAPSH_TEST_PORT =~ ^[0-9]+$ ]] ||
	    _imapsh_fail "port is not a number" port "$IMAPSH_TEST_PORT"
	[ "$IMAPSH_TEST_PORT" -ne 143 ] ||
	    _imapsh_fail "the system's IMAP port is used" port 143
	assert_file_contains "$IMAPSH_TEST_CONF" "port = $IMAPSH_TEST_PORT"
	assert_file_contains "$IMAPSH_TEST_DIR/passwd.d/$USER_NAME" \
	    "$USER_NAME:{PLAIN}$USER_PASS:"
}

@test "harness: dovecot greets with * OK on the port" {
	run python3 -c '
import os, socket
s = socket.create_connection((os.environ["IMAPSH_TEST_HOST"],
                              int(os.environ["IMAPSH_TEST_PORT"])), 5)
print(s.makefile("rb").readline().decode().rstrip("\r\n"))'
	assert_success
	assert_output_matches '^\* OK \[CAPABILITY IMAP4rev1 .*\] .*ready\.$'
	refute_output_contains STARTTLS
}

@test "harness: raw LOGIN works for a fresh user" {
	run python3 -c '
import os, socket
s = socket.create_connection((os.environ["IMAPSH_TEST_HOST"],
                              int(os.environ["IMAPSH_TEST_PORT"])), 5)
f = s.makefile("rb")
f.readline()
s.sendall(b"a1 LOGIN %s %s\r\n" % (os.environ["USER_NAME"].encode(),
                                   os.environ["USER_PASS"].encode()))
print(f.readline().decode().rstrip("\r\n"))
s.sendall(b"a2 LOGOUT\r\n")
for line in f:
    print(line.decode().rstrip("\r\n"))'
	assert_success
	assert_output_matches '^a1 OK \[CAPABILITY [^]]* QUOTA ACL'
	assert_output_contains "* BYE"
	assert_output_matches $'\na2 OK Logout completed[^\n]*$'
}

@test "harness: a wrong password fails fast, also when repeated" {
	run python3 -c '
import imaplib, os, time
for attempt in (1, 2, 3):
    M = imaplib.IMAP4(os.environ["IMAPSH_TEST_HOST"],
                      int(os.environ["IMAPSH_TEST_PORT"]))
    start = time.monotonic()
    try:
        M.login(os.environ["USER_NAME"], "wrong")
        print("logged in")
    except imaplib.IMAP4.error as e:
        print("attempt %d: %s" % (attempt, e))
    elapsed = time.monotonic() - start
    if elapsed > 2.0:
        print("attempt %d took %.1f s: auth penalty active?" % (
            attempt, elapsed))
    M.logout()'
	assert_success
	assert_output_contains "attempt 3: b'[AUTHENTICATIONFAILED]"
	refute_output_contains "logged in"
	refute_output_contains "auth penalty"
}

@test "harness: capabilities cover what imapsh needs" {
	run imap_py 'print(M._simple_command("CAPABILITY")[0],
      M.untagged_responses["CAPABILITY"][-1].decode())'
	assert_success
	local cap
	for cap in IDLE SORT THREAD=REFERENCES MOVE ID NAMESPACE UIDPLUS \
	    QUOTA ACL METADATA COMPRESS=DEFLATE LITERAL+ ENABLE CONDSTORE \
	    UNSELECT LIST-STATUS; do
		assert_output_contains " $cap"
	done
}

@test "harness: a fresh user has an empty INBOX" {
	run imap_py 'print(M.select("INBOX"))'
	assert_success
	assert_output "('OK', [b'0'])"
}

@test "harness: deliver makes messages appear in INBOX" {
	deliver 1
	run imap_py 'print(M.select("INBOX"))'
	assert_output "('OK', [b'1'])"

	deliver 3
	run imap_py 'print(M.select("INBOX"))'
	assert_output "('OK', [b'4'])"

	# The second call went on with messages 2 to 4.
	run jq -r '.[].message_id' "$(delivered_manifest)"
	assert_output "$(printf '<sample.1.%d@imapsh.test>\n' 1 2 3 4)"
}

@test "harness: dovecot_deliver stores the given file" {
	printf '%s\r\n' 'From: Harness <h@example.org>' 'Subject: hello there' \
	    'Message-ID: <harness-1@example.org>' '' 'body' \
	    >"$BATS_TEST_TMPDIR/m.eml"
	deliver_file "$BATS_TEST_TMPDIR/m.eml"
	run imap_py 'M.select("INBOX")
print(M.fetch("1", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")[1][0][1])'
	assert_success
	assert_output "b'Subject: hello there\\r\\n\\r\\n'"
}

@test "harness: sample mail has flags, attachments and encoded words" {
	deliver 14
	export MANIFEST
	MANIFEST=$(delivered_manifest)
	run imap_py '
import email, email.policy, json
manifest = json.load(open(os.environ["MANIFEST"]))
M.select("INBOX", readonly=True)
flagged = M.search(None, "FLAGGED")[1][0].split()
want = [str(i + 1).encode() for i, e in enumerate(manifest)
        if "\\Flagged" in e["flags"]]
print("flagged:", flagged == want and len(want) > 0)
typ, data = M.fetch("1:*", "(BODYSTRUCTURE BODY.PEEK[HEADER])")
fetched = [d for d in data if isinstance(d, tuple)]
subjects = [email.message_from_bytes(d[1], policy=email.policy.default)
            .get("Subject") for d in fetched]
print("subjects:", subjects == [e["subject"] for e in manifest])
print("encoded words:", any(b"=?utf-8?" in d[1] for d in fetched))
print("non-ASCII subject:", any(s and not s.isascii() for s in subjects))
print("attachments:", any(b"\"attachment\"" in d[0] for d in fetched))
print("alternative:", any(b"\"alternative\"" in d[0] for d in fetched))
'
	assert_success
	assert_output "$(printf '%s: True\n' flagged subjects 'encoded words' \
	    'non-ASCII subject' attachments alternative)"
}

@test "harness: sample-mail.py write is deterministic" {
	python3 "$SAMPLE_MAIL" write "$BATS_TEST_TMPDIR/a" -n 5 --seed 7
	python3 "$SAMPLE_MAIL" write "$BATS_TEST_TMPDIR/b" -n 5 --seed 7
	python3 "$SAMPLE_MAIL" write "$BATS_TEST_TMPDIR/c" -n 5 --seed 8
	run diff -r "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	assert_success
	run diff -q "$BATS_TEST_TMPDIR/a/0001.eml" "$BATS_TEST_TMPDIR/c/0001.eml"
	assert_failure 1
	run jq length "$BATS_TEST_TMPDIR/a/manifest.json"
	assert_output 5
}

@test "harness: sample-mail.py mailboxes fills four mailboxes" {
	python3 "$SAMPLE_MAIL" mailboxes -u "$USER_NAME"
	run imap_py '
for mbox in ("INBOX", "Archive", "Lists/dev", "Sent"):
    print(M.status(mbox, "(MESSAGES)")[1][0].decode())
print(sorted(l.decode() for l in M.lsub()[1]))'
	assert_success
	assert_line 0 'INBOX (MESSAGES 12)'
	assert_line 1 'Archive (MESSAGES 20)'
	assert_line 2 'Lists/dev (MESSAGES 15)'
	assert_line 3 'Sent (MESSAGES 6)'
	assert_line 4 "['() \"/\" Archive', '() \"/\" Lists/dev', '() \"/\" Sent']"
}

@test "harness: users do not see each other's mail" {
	local first=$USER_NAME
	deliver 2
	new_user
	[ "$USER_NAME" != "$first" ] ||
	    _imapsh_fail "new_user reused a name" name "$USER_NAME"
	run imap_py 'print(M.select("INBOX"))'
	assert_output "('OK', [b'0'])"
}

@test "harness: quota, ACL and METADATA plugins answer" {
	run imap_py '
print(M.getquotaroot("INBOX"))
print(M.myrights("INBOX"))
print(M._simple_command("SETMETADATA", "INBOX",
                        "(/private/comment \"harness\")")[0])
M._simple_command("GETMETADATA", "INBOX", "/private/comment")
print(M.untagged_responses.get("METADATA"))'
	assert_success
	assert_line 0 "('OK', [[b'INBOX \"User quota\"'], [b'\"User quota\" (STORAGE 0 1048576)']])"
	assert_line 1 "('OK', [b'INBOX lrwstipekxacd'])"
	assert_line 2 OK
	assert_line 3 "[(b'INBOX (/private/comment {7}', b'harness'), b')']"
}

@test "harness: many parallel connections of one user are allowed" {
	run imap_py '
conns = []
for i in range(20):
    c = imaplib.IMAP4(os.environ["IMAPSH_TEST_HOST"],
                      int(os.environ["IMAPSH_TEST_PORT"]))
    c.login(os.environ["USER_NAME"], os.environ["USER_PASS"])
    c.select("INBOX")
    conns.append(c)
print(len(conns), "connections")
for c in conns:
    c.logout()'
	assert_success
	assert_output "20 connections"
}

@test "harness: the PREAUTH stream command greets and logs out" {
	run sh -c "$(stream_cmd)" <<-'EOF'
	a SELECT INBOX
	b LOGOUT
	EOF
	assert_success
	assert_output_matches '^\* PREAUTH \[CAPABILITY IMAP4rev1 [^]]*\] Logged in as '
	assert_output_contains "* 0 EXISTS"
	assert_output_contains "* BYE Logging out"
	assert_output_matches $'\nb OK Logout completed[^\n]*$'
}

@test "harness: imapsh_run passes arguments and stdin" {
	IMAPSH=$BATS_TEST_TMPDIR/fake-imapsh
	printf '#!/bin/sh\nprintf "[%%s]" "$@"; echo; cat\n' >"$IMAPSH"
	chmod +x "$IMAPSH"
	run imapsh_run -x 'two words' "" <<<"from stdin"
	assert_success
	assert_output "[-x][two words][]
from stdin"
}

@test "harness: imapsh_run stops a hung imapsh" {
	IMAPSH=$BATS_TEST_TMPDIR/hung-imapsh
	printf '#!/bin/sh\nexec sleep 30\n' >"$IMAPSH"
	chmod +x "$IMAPSH"
	IMAPSH_TIMEOUT=1
	SECONDS=0
	run imapsh_run
	assert_failure 124
	assert_output_contains "timed out after 1s"
	[ "$SECONDS" -lt 5 ] ||
	    _imapsh_fail "timeout too slow" seconds "$SECONDS"
}

@test "harness: imapsh_run reports an unusable IMAPSH" {
	IMAPSH=$BATS_TEST_TMPDIR/does-not-exist
	run -127 imapsh_run
	assert_failure 127
	assert_output_contains "is not an executable"
}

@test "harness: assertions print expected and actual values" {
	run assert_equal "expected text" "actual text"
	assert_failure 1
	assert_output_contains "expected:"
	assert_output_contains "  | expected text"
	assert_output_contains "  | actual text"

	output=$'one\ntwo'
	lines=(one two)
	run assert_line 1 three
	assert_failure 1
	assert_output_contains "line 1 differs"
}
