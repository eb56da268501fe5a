#!/usr/bin/env bats
# End-to-end tests of the foundation commands against the private Dovecot.
# Most tests run the same lines twice (both_forms): as -c options, and as a
# heredoc script for a fresh user with the same mail, and want the same
# result from both; then they check the result and, with imap_py, the
# server's state.

load helper
load e2e-helper

# three_msgs: deliver three known messages to the test user's INBOX.
three_msgs()
{
	local f

	f=$(mkmsg m1.eml 'From: Alice <alice@example.org>' 'To: t@example.org' \
	    'Subject: first message' 'Message-ID: <m1@imapsh.test>' '' \
	    'Body of the first.' 'Second line.') || return 1
	deliver_file "$f" || return 1
	f=$(mkmsg m2.eml 'From: Bob <bob@example.net>' 'To: t@example.org' \
	    'Subject: second message' 'Message-ID: <m2@imapsh.test>' '' \
	    'Body of the second.') || return 1
	deliver_file "$f" || return 1
	f=$(mkmsg m3.eml 'From: Carol <carol@example.com>' 'To: t@example.org' \
	    'Subject: =?utf-8?q?caf=C3=A9_time?=' \
	    'Message-ID: <m3@imapsh.test>' '' 'Body of the third.') || return 1
	deliver_file "$f"
}

# --- connection and session ------------------------------------------

@test "login and logout, by -c and by heredoc" {
	both_forms : logout
	assert_success
	assert_output "('BYE', [b'Logging out'])"
	# The login result came first, as imaplib returns it.
	output=$RAW_HAND
	run py_results 'print(R[0][0], R[0][1][0].endswith(b"Logged in"))'
	assert_output "OK True"
	output=$RAW_SCRIPT
	run py_results 'print(R[0][0], R[0][1][0].endswith(b"Logged in"), len(R))'
	assert_output "OK True 2"
}

@test "logout is the last thing sent: the server logs a clean logout" {
	run ish_c logout
	assert_success
	wait_dovecot_log "Logged out"
}

@test "capability before login equals imaplib's" {
	run ish -c capability
	assert_success
	run py_results 'import imaplib, os
M = imaplib.IMAP4(os.environ["IMAPSH_TEST_HOST"], int(os.environ["IMAPSH_TEST_PORT"]))
want = M.capability()
M.logout()
print(R == [want], R[0][0], len(R[0][1]))'
	assert_output "True OK 1"
}

@test "capability after login lists the post-login capabilities" {
	both_forms : capability
	assert_success
	run py_results '
typ, data = R[0]
caps = data[-1].split()
print(typ, b"IMAP4rev1" in caps, b"QUOTA" in caps, b"ACL" in caps,
      b"AUTH=PLAIN" in caps)'
	assert_output "OK True True True False"
}

@test "noop" {
	both_forms : noop noop
	assert_success
	assert_output "('OK', [b'NOOP completed (T secs).'])
('OK', [b'NOOP completed (T secs).'])"
}

# --- mailboxes -------------------------------------------------------

@test "select returns the message count, default INBOX" {
	both_forms three_msgs select 'select INBOX' 'select Inbox'
	assert_success
	assert_output "('OK', [b'3'])
('OK', [b'3'])
('OK', [b'3'])"
}

@test "select readonly True sends EXAMINE" {
	both_forms three_msgs 'select INBOX True' 'store 1 +FLAGS (\Seen)'
	assert_line 0 "('OK', [b'3'])"
	run ish -d 4 -c "login $USER_NAME $USER_PASS" -c 'select INBOX True' \
	    -c "M.select('INBOX', readonly=True)" -c 'select INBOX False'
	assert_success
	assert_output_contains "OK [READ-ONLY]"
	run match_groups "> b'[A-Z]{4}[0-9]+ (EXAMINE|SELECT) INBOX'"
	assert_output "EXAMINE EXAMINE SELECT"
	# EXAMINE made the store fail or do nothing: no message is \Seen.
	run imap_py 'M.select("INBOX"); print(M.search(None, "SEEN"))'
	assert_output "('OK', [b''])"
}

@test "select of a nonexistent mailbox returns NO and exits 1" {
	both_forms : 'select NoSuchBox'
	assert_failure 1
	assert_output "('NO', [b\"Mailbox doesn't exist: NoSuchBox (T secs).\"])"
}

@test "close removes messages marked \\Deleted" {
	both_forms three_msgs select 'store 2 +FLAGS (\Deleted)' close
	assert_success
	assert_line 2 "('OK', [b'Close completed (T secs).'])"
	run imap_py 'M.select("INBOX")
print(M.search(None, "ALL"), M.fetch("1:*", "(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")[1][2][1])'
	assert_output "('OK', [b'1 2']) b'Message-ID: <m3@imapsh.test>\\r\\n\\r\\n'"
}

@test "close without a selected mailbox is an error, exit 1" {
	both_forms : close
	assert_failure 1
	assert_output "line 2: error: command CLOSE illegal in state AUTH, only allowed in states SELECTED"
}

@test "check" {
	both_forms three_msgs select check
	assert_success
	assert_line 1 "('OK', [b'Check completed (T secs).'])"
}

@test "expunge returns the expunged message numbers" {
	both_forms three_msgs select 'store 1 +FLAGS (\Deleted)' \
	    'store 3 +FLAGS \Deleted' expunge
	assert_success
	assert_line 1 "('OK', [b'1 (FLAGS (\\\\Deleted \\\\Recent))'])"
	assert_line 2 "('OK', [b'3 (FLAGS (\\\\Deleted \\\\Recent))'])"
	assert_line 3 "('OK', [b'3', b'1'])"
	run imap_py 'print(M.select("INBOX"), M.fetch("1", "(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")[1][0][1])'
	assert_output "('OK', [b'1']) b'Message-ID: <m2@imapsh.test>\\r\\n\\r\\n'"
}

@test "expunge with nothing deleted returns None" {
	both_forms three_msgs select expunge
	assert_success
	assert_line 1 "('OK', [None])"
}

@test "list with default arguments and with patterns" {
	mkboxes() {
		imap_py 'M.create("Work"); M.create("Work/Sub"); M.create("Play")'
	}
	both_forms mkboxes list 'list "" Work*' 'list Work %' 'list "" NoMatch*'
	assert_success
	run py_results '
print(R[0][0], sorted(R[0][1]))
print(R[1])
print(R[2])
print(R[3])'
	assert_line 0 "OK [b'(\\\\HasChildren) \"/\" Work', b'(\\\\HasNoChildren) \"/\" INBOX', b'(\\\\HasNoChildren) \"/\" Play', b'(\\\\HasNoChildren) \"/\" Work/Sub']"
	assert_line 1 "('OK', [b'(\\\\HasChildren) \"/\" Work', b'(\\\\HasNoChildren) \"/\" Work/Sub'])"
	assert_line 2 "('OK', [b'(\\\\HasChildren) \"/\" Work'])"
	assert_line 3 "('OK', [None])"
}

@test "lsub lists subscribed mailboxes only" {
	mkboxes() {
		imap_py 'M.create("Sub1"); M.create("Sub2"); M.create("NotSub")
M.subscribe("Sub1"); M.subscribe("Sub2")'
	}
	both_forms mkboxes lsub 'lsub "" Sub1'
	assert_success
	run py_results 'print(R[0][0], sorted(R[0][1])); print(R[1])'
	assert_line 0 "OK [b'() \"/\" Sub1', b'() \"/\" Sub2']"
	assert_line 1 "('OK', [b'() \"/\" Sub1'])"
}

@test "status returns the mailbox's counters" {
	both_forms three_msgs 'status INBOX (MESSAGES UNSEEN UIDNEXT)' \
	    'status NoSuchBox (MESSAGES)'
	assert_failure 1
	assert_line 0 "('OK', [b'INBOX (MESSAGES 3 UIDNEXT 4 UNSEEN 3)'])"
	assert_line 1 "('NO', [b\"Mailbox doesn't exist: NoSuchBox (T secs).\"])"
}

@test "create, rename, delete, subscribe and unsubscribe" {
	both_forms : 'create Projects' 'create Projects/2024' 'create Old' \
	    'rename Old New' 'delete Projects/2024' 'subscribe New' \
	    'subscribe Projects' 'unsubscribe Projects' list lsub
	assert_success
	assert_line 0 "('OK', [b'Create completed (T secs).'])"
	assert_line 3 "('OK', [b'Rename completed (T secs).'])"
	assert_line 4 "('OK', [b'Delete completed (T secs).'])"
	assert_line 5 "('OK', [b'Subscribe completed (T secs).'])"
	assert_line 7 "('OK', [b'Unsubscribe completed (T secs).'])"
	run py_results 'print(sorted(R[8][1])); print(R[9])'
	assert_line 0 "[b'(\\\\HasNoChildren) \"/\" INBOX', b'(\\\\HasNoChildren) \"/\" New', b'(\\\\HasNoChildren) \"/\" Projects']"
	assert_line 1 "('OK', [b'() \"/\" New'])"
	# The server agrees.
	run imap_py 'print(sorted(M.list()[1])); print(M.lsub())'
	assert_line 0 "[b'(\\\\HasNoChildren) \"/\" INBOX', b'(\\\\HasNoChildren) \"/\" New', b'(\\\\HasNoChildren) \"/\" Projects']"
	assert_line 1 "('OK', [b'() \"/\" New'])"
}

@test "create of an existing mailbox and delete of a missing one return NO" {
	both_forms : 'create Dup' 'create Dup' 'delete Missing'
	assert_failure 1
	run py_results 'for r in R: print(r)'
	assert_output "('OK', [b'Create completed (T secs).'])
('NO', [b'[ALREADYEXISTS] Mailbox already exists (T secs).'])
('NO', [b\"[NONEXISTENT] Mailbox doesn't exist: Missing (T secs).\"])"
}

# --- messages --------------------------------------------------------

@test "search None ALL, FROM \"x\" and a charset" {
	both_forms three_msgs select 'search None ALL' \
	    'search None FROM "bob@example.net"' 'search None FROM "nobody"' \
	    'search UTF-8 SUBJECT message' 'search None (OR FROM alice FROM carol)'
	assert_success
	assert_output "('OK', [b'3'])
('OK', [b'1 2 3'])
('OK', [b'2'])
('OK', [b''])
('OK', [b'1 2'])
('OK', [b'1 3'])"
	run ish -d 4 -c "login $USER_NAME $USER_PASS" -c select \
	    -c 'search UTF-8 SUBJECT message' -c 'search None ALL'
	assert_output_matches "> b'[A-Z]{4}[0-9]+ SEARCH CHARSET UTF-8 SUBJECT message'"
	assert_output_matches "> b'[A-Z]{4}[0-9]+ SEARCH ALL'"
}

@test "search with an 8-bit argument sends it as a literal and finds it" {
	both_forms three_msgs select 'search UTF-8 SUBJECT café'
	assert_success
	assert_line 1 "('OK', [b'3'])"
	run ish -d 4 -c "login $USER_NAME $USER_PASS" -c select \
	    -c 'search UTF-8 SUBJECT café'
	assert_success
	assert_output_matches "> b'[A-Z]{4}[0-9]+ SEARCH CHARSET UTF-8 SUBJECT \\{5\\}'"
	assert_output_contains "write literal size 5"
	refute_output_contains "café'"
}

@test "fetch FLAGS" {
	both_forms three_msgs select 'fetch 1 (FLAGS)' 'fetch 2:3 FLAGS'
	assert_success
	assert_output "('OK', [b'3'])
('OK', [b'1 (FLAGS (\\\\Recent))'])
('OK', [b'2 (FLAGS (\\\\Recent))', b'3 (FLAGS (\\\\Recent))'])"
}

@test "fetch (BODY.PEEK[HEADER.FIELDS (SUBJECT)]) gives a (header, data) tuple" {
	both_forms three_msgs select \
	    'fetch 2 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])'
	assert_success
	run py_results 'print(R[1])'
	assert_output "('OK', [(b'2 (BODY[HEADER.FIELDS (SUBJECT)] {27}', b'Subject: second message\\r\\n\\r\\n'), b')'])"
	# PEEK: nothing became \Seen.
	run imap_py 'M.select("INBOX"); print(M.search(None, "SEEN"))'
	assert_output "('OK', [b''])"
}

@test "fetch BODY.PEEK[HEADER.FIELDS (SUBJECT)] unparenthesised, as imaplib sends it" {
	# The man page keeps the bracketed group one word; imaplib sends
	# it as typed, and so must imapsh (not as a quoted string).
	three_msgs
	run ish -d 4 -c "login $USER_NAME $USER_PASS" -c select \
	    -c 'fetch 2 BODY.PEEK[HEADER.FIELDS (SUBJECT)]'
	assert_success
	assert_output_matches "> b'[A-Z]{4}[0-9]+ FETCH 2 BODY.PEEK\\[HEADER.FIELDS \\(SUBJECT\\)\\]'"
	assert_output_contains "b'Subject: second message\\r\\n\\r\\n'"
}

@test "fetch RFC822 of a delivered message is the file with CRLF line ends" {
	local f
	f=$(mkmsg lf.eml 'From: Dee <dee@example.org>' 'Subject: bytes' \
	    'Content-Type: text/plain; charset=utf-8' '' \
	    $'tab\there, quote \' and " and backslash \\ done' \
	    'caf'$'\xc3\xa9'' and an escape '$'\x1b''[0m byte' '' 'last line')
	deliver_file "$f"
	run ish_c select 'fetch 1 RFC822'
	assert_success
	refute_output_contains $'\x1b'
	export MSGFILE=$f
	run py_results 'import os
want = open(os.environ["MSGFILE"], "rb").read().replace(b"\n", b"\r\n")
typ, data = R[2]
print(typ, data[0][1] == want, data[0][0].endswith(b"RFC822 {%d}" % len(want)), data[1])' 
	assert_output "OK True True b')'"
}

@test "fetch of a large message: same value as imaplib's, byte for byte" {
	python3 -c '
import random, sys
r = random.Random(7)
lines = [b"From: Big <big@example.org>", b"Subject: big", b""]
for i in range(4000):
    lines.append(bytes(r.choice(b"abc def\xc3\xa9\x27\x22\\\x1b\t{}()") for _ in range(r.randrange(0, 160))))
open(sys.argv[1], "wb").write(b"\n".join(lines) + b"\n")' "$BATS_TEST_TMPDIR/big.eml"
	deliver_file "$BATS_TEST_TMPDIR/big.eml"
	ish_c 'select INBOX True' 'fetch 1 (RFC822.SIZE BODY.PEEK[])' \
	    >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err"
	run cat "$BATS_TEST_TMPDIR/err"
	assert_output ""
	run py_results_file "$BATS_TEST_TMPDIR/out" '
import imaplib, os
M = imaplib.IMAP4(os.environ["IMAPSH_TEST_HOST"], int(os.environ["IMAPSH_TEST_PORT"]))
M.login(os.environ["USER_NAME"], os.environ["USER_PASS"])
M.select("INBOX", readonly=True)
want = M.fetch("1", "(RFC822.SIZE BODY.PEEK[])")
M.logout()
print(len(R), R[2] == want, len(want[1][0][1]) > 300000)'
	assert_output "3 True True"
}

@test "store +FLAGS, -FLAGS and FLAGS.SILENT" {
	both_forms three_msgs select 'store 1 +FLAGS (\Flagged \Seen)' \
	    'store 1 -FLAGS \Seen' "store 2:3 +FLAGS '\\Answered \\Draft'" \
	    'store 2 FLAGS.SILENT (\Deleted)' 'store 3 -FLAGS.SILENT (\Draft)'
	assert_success
	assert_output "('OK', [b'3'])
('OK', [b'1 (FLAGS (\\\\Flagged \\\\Seen \\\\Recent))'])
('OK', [b'1 (FLAGS (\\\\Flagged \\\\Recent))'])
('OK', [b'2 (FLAGS (\\\\Answered \\\\Draft \\\\Recent))', b'3 (FLAGS (\\\\Answered \\\\Draft \\\\Recent))'])
('OK', [None])
('OK', [None])"
	run imap_py 'M.select("INBOX", readonly=True)
for d in M.fetch("1:3", "(FLAGS)")[1]: print(d.decode())'
	assert_output '1 (FLAGS (\Flagged))
2 (FLAGS (\Deleted))
3 (FLAGS (\Answered))'
}

@test "copy copies messages to another mailbox" {
	mk() { three_msgs && imap_py 'M.create("Archive")'; }
	both_forms mk select 'copy 2:3 Archive' 'copy 1 NoSuchBox'
	assert_failure 1
	run py_results 'import re
print(R[0]); print(re.sub(rb"COPYUID [0-9]+", b"COPYUID V", R[1][1][0])); print(R[2])'
	assert_output "('OK', [b'3'])
b'[COPYUID V 2:3 1:2] Copy completed (T secs).'
('NO', [b\"[TRYCREATE] Mailbox doesn't exist: NoSuchBox (T secs).\"])"
	run imap_py 'M.select("Archive")
print([d[1] for d in M.fetch("1:*", "(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")[1] if isinstance(d, tuple)])'
	assert_output "[b'Message-ID: <m2@imapsh.test>\\r\\n\\r\\n', b'Message-ID: <m3@imapsh.test>\\r\\n\\r\\n']"
}

@test "uid SEARCH, FETCH, STORE and COPY" {
	# Expunge the first message so that UIDs and numbers differ.
	mk() {
		three_msgs && imap_py 'M.create("Kept")
M.select("INBOX"); M.store("1", "+FLAGS", "\\Deleted"); M.expunge()'
	}
	both_forms mk select 'uid SEARCH ALL' 'uid search FROM carol' \
	    'uid FETCH 3 (FLAGS)' 'uid fetch 2:3 (UID)' \
	    'uid STORE 3 +FLAGS (\Flagged)' 'uid COPY 2 Kept'
	assert_success
	assert_output "('OK', [b'2'])
('OK', [b'2 3'])
('OK', [b'3'])
('OK', [b'2 (UID 3 FLAGS ())'])
('OK', [b'1 (UID 2)', b'2 (UID 3)'])
('OK', [b'2 (UID 3 FLAGS (\\\\Flagged))'])
('OK', [None])"
	run imap_py 'M.select("INBOX", readonly=True); print(M.uid("SEARCH", "FLAGGED"))
print(M.status("Kept", "(MESSAGES)"))'
	assert_line 0 "('OK', [b'3'])"
	assert_line 1 "('OK', [b'Kept (MESSAGES 1)'])"
}

@test "uid with an unknown command is an error and sends nothing" {
	both_forms three_msgs select 'uid XYZ 1' 'uid xyz 1'
	assert_failure 1
	assert_output "('OK', [b'3'])
line 3: error: Unknown IMAP4 UID command: XYZ
line 4: error: Unknown IMAP4 UID command: XYZ"
	run ish -d 4 -c "login $USER_NAME $USER_PASS" -c select -c 'uid XYZ 1'
	refute_output_contains "UID XYZ"
	refute_output_contains "XYZ 1'"
}

@test "append from <file: LF line ends arrive as CRLF, size counts them" {
	local f
	f=$(mkmsg lf.eml 'From: app@example.org' 'Subject: appended' '' \
	    'line one' 'line two')
	both_forms : "append INBOX None None <$f" select \
	    'fetch 1 (RFC822.SIZE FLAGS)'
	assert_success
	assert_output_matches "^\('OK', \[b'\[APPENDUID [0-9]+ 1\] Append completed \(T secs\)\.'\]\)
\('OK', \[b'1'\]\)
\('OK', \[b'1 \(RFC822.SIZE 64 FLAGS \(\\\\\\\\Recent\)\)'\]\)$"
	[ "$(wc -c <"$f")" -eq 59 ]
	export MSGFILE=$f
	run imap_py 'M.select("INBOX")
got = M.fetch("1", "(BODY.PEEK[])")[1][0][1]
print(got == open(os.environ["MSGFILE"], "rb").read().replace(b"\n", b"\r\n"))'
	assert_output True
}

@test "append from <file: CRLF, LF, lone CR, no last line end, cut line ends: as imaplib sends them, over TCP, TLS and a child" {
	# A regular file is measured, then sent from where it is (sendfile
	# on TCP, read and write over TLS and a child process), converted on
	# the way when a line end is not CRLF; the 256 KB reads must not cut
	# a CRLF in two or lose a lone CR at a read's end.
	local d=$BATS_TEST_TMPDIR f names=(crlf lf cr mixed cut)
	python3 - "$d" <<-'EOF'
	import sys
	d, chunk = sys.argv[1], 256 * 1024
	files = {
	    "crlf": b"Subject: crlf\r\n\r\none\r\ntwo\r\n",
	    "lf": b"Subject: lf\n\none\ntwo\n",
	    "cr": b"Subject: cr\r\rone\rtwo\r",
	    "mixed": b"Subject: mixed\r\n\nlone\rcr\n\r\n\n\rno end",
	    # CRLF across the first read's end, a lone CR at the second's,
	    # bare LFs and a CR as the last byte.
	    "cut": b"Subject: cut\r\n\r\n" + b"x" * (chunk - 17) + b"\r\n" +
	           b"y" * (chunk - 2) + b"\r" + b"z\n" * 10 + b"\r",
	}
	assert files["cut"][chunk - 1:chunk + 1] == b"\r\n"
	assert files["cut"][2 * chunk - 1:2 * chunk + 1] == b"\rz"
	for name, data in files.items():
	    open("%s/%s.eml" % (d, name), "wb").write(data)
	EOF
	local appends=()
	for f in "${names[@]}"; do
		appends+=(-c "append INBOX None None <$d/$f.eml")
	done
	run ish -c "login $USER_NAME $USER_PASS" "${appends[@]}"
	assert_success
	run imapsh_run --ssl --cafile "$IMAPSH_TEST_CA" \
	    -c "login $USER_NAME $USER_PASS" "${appends[@]}" \
	    localhost "$IMAPSH_TEST_TLS_PORT"
	assert_success
	run imapsh_run -s "$(stream_cmd)" "${appends[@]}"
	assert_success
	# What imaplib's append sends: MapCRLF.sub(CRLF, message).
	export MSGDIR=$d MSGNAMES="${names[*]}"
	run imap_py '
M.select("INBOX", readonly=True)
typ, data = M.fetch("1:*", "(BODY.PEEK[])")
got = [d[1] for d in data if isinstance(d, tuple)]
want = [imaplib.MapCRLF.sub(imaplib.CRLF, open("%s/%s.eml" % (
    os.environ["MSGDIR"], n), "rb").read())
    for n in os.environ["MSGNAMES"].split()] * 3
print(len(got), [i + 1 for i in range(max(len(got), len(want)))
                 if i >= len(got) or i >= len(want) or got[i] != want[i]])'
	assert_success
	assert_output "15 []"
}

@test "append from a FIFO: not a regular file, spooled as before" {
	local fifo=$BATS_TEST_TMPDIR/msg.fifo
	mkfifo "$fifo"
	printf 'Subject: fifo\n\nthrough a pipe\r\nlone\r' >"$fifo" &
	run ish -c "login $USER_NAME $USER_PASS" \
	    -c "append INBOX None None <$fifo"
	wait
	assert_success
	run imap_py 'M.select("INBOX", readonly=True)
print(M.fetch("1", "(BODY.PEEK[])")[1][0][1])'
	assert_output "b'Subject: fifo\\r\\n\\r\\nthrough a pipe\\r\\nlone\\r\\n'"
}

@test "append from a <<EOM heredoc inside a heredoc script" {
	run ish <<EOF
login $USER_NAME $USER_PASS
append INBOX (\Seen) None <<EOM
From: inline@example.org
Subject: inline

select INBOX
EOM
select INBOX
fetch 1 (FLAGS RFC822.SIZE)
EOF
	assert_success
	drop_login
	one_per_line
	assert_output_matches "^\('OK', \[b'\[APPENDUID [0-9]+ 1\] Append completed \(T secs\)\.'\]\)
\('OK', \[b'1'\]\)
\('OK', \[b'1 \(FLAGS \(\\\\\\\\Seen \\\\\\\\Recent\) RFC822.SIZE 59\)'\]\)$"
	run imap_py 'M.select("INBOX")
print(M.fetch("1", "(BODY.PEEK[])")[1][0][1])'
	assert_output "b'From: inline@example.org\\r\\nSubject: inline\\r\\n\\r\\nselect INBOX\\r\\n'"
}

@test "append flags: (\\Seen), bare \\Seen and several flags" {
	local f
	f=$(mkmsg a.eml 'Subject: flags' '' 'x')
	both_forms : "append INBOX (\\Seen) None <$f" \
	    "append INBOX \\Seen None <$f" \
	    "append INBOX '\\Flagged \\Draft' None <$f"
	assert_success
	run imap_py 'M.select("INBOX", readonly=True)
for d in M.fetch("1:*", "(FLAGS)")[1]: print(d.decode())'
	assert_output '1 (FLAGS (\Seen \Recent))
2 (FLAGS (\Seen \Recent))
3 (FLAGS (\Flagged \Draft \Recent))'
}

@test "append date_time as seconds since the epoch" {
	local f
	f=$(mkmsg a.eml 'Subject: dated' '' 'x')
	both_forms : "append INBOX None 1700000000 <$f" \
	    "append INBOX None 1690000000 <$f"
	assert_success
	run imap_py 'import time
M.select("INBOX", readonly=True)
for d in M.fetch("1:2", "(INTERNALDATE)")[1]:
    print(int(time.mktime(imaplib.Internaldate2tuple(d))))'
	assert_output "1700000000
1690000000"
	# The date goes out as imaplib's Time2Internaldate writes it, in
	# local time with its UTC offset (half hours too).
	run env TZ=Asia/Kolkata "$IMAPSH" -d 4 -c "login $USER_NAME $USER_PASS" \
	    -c "append INBOX None 1700000000 <$f" \
	    "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT"
	assert_success
	assert_output_contains "APPEND INBOX \"15-Nov-2023 03:43:20 +0530\" {"
}

@test "append date_time as a quoted string" {
	local f
	f=$(mkmsg a.eml 'Subject: dated' '' 'x')
	both_forms : "append INBOX (\\Seen) \"14-Nov-2023 22:13:20 +0000\" <$f" \
	    select 'fetch 1 (INTERNALDATE FLAGS)'
	assert_success
	run py_results 'print(R[1]); print(R[2])'
	assert_output "('OK', [b'1'])
('OK', [b'1 (INTERNALDATE \"14-Nov-2023 22:13:20 +0000\" FLAGS (\\\\Seen \\\\Recent))'])"
}

@test "append with a bad date_time or a missing file sends nothing" {
	local f
	f=$(mkmsg a.eml 'Subject: x' '' 'x')
	both_forms : "append INBOX None yesterday <$f" \
	    "append INBOX None None <$BATS_TEST_TMPDIR/missing.eml" \
	    'status INBOX (MESSAGES)'
	assert_failure
	assert_output_contains "error: append: date_time not of a known type"
	assert_output_contains "missing.eml: No such file or directory"
	assert_line -1 "('OK', [b'INBOX (MESSAGES 0)'])"
}

@test "namespace" {
	both_forms : namespace
	assert_success
	assert_output "('OK', [b'((\"\" \"/\")) NIL NIL'])"
}

@test "response: UIDVALIDITY after select, then None; the code's case is kept" {
	both_forms three_msgs select 'response UIDVALIDITY' \
	    'response UIDVALIDITY' 'response exists' 'response EXISTS' \
	    'response NOSUCHCODE'
	assert_success
	export GOT="$output"
	run imap_py 'v = M.select("INBOX") and M.response("UIDVALIDITY")[1][0]
want = """(\x27OK\x27, [b\x273\x27])
(\x27UIDVALIDITY\x27, [b\x27%s\x27])
(\x27UIDVALIDITY\x27, [None])
(\x27exists\x27, [b\x273\x27])
(\x27EXISTS\x27, [None])
(\x27NOSUCHCODE\x27, [None])""" % v.decode()
print(os.environ["GOT"] == want)
if os.environ["GOT"] != want: print(want)'
	assert_output True
}

@test "recent" {
	both_forms three_msgs select recent recent
	assert_success
	assert_output "('OK', [b'3'])
('OK', [b'3'])
('OK', [None])"
}

@test "xatom ID NIL" {
	both_forms : 'xatom ID NIL' 'response ID'
	assert_success
	assert_output "('OK', [b'ID completed (T secs).'])
('ID', [b'(\"name\" \"Dovecot\")'])"
}

@test "xatom of an unknown command raises the BAD as an error" {
	both_forms : 'xatom FROBNICATE'
	assert_failure 1
	assert_output "line 2: error: FROBNICATE command error: BAD [b'Error in IMAP command FROBNICATE: Unknown command (T secs).']"
}

# --- the Python call form --------------------------------------------

@test "Python call form: select readonly=True and fetch with a tuple" {
	both_forms three_msgs "typ, data = M.select('INBOX', readonly=True)" \
	    "M.fetch('1', '(UID BODY[TEXT])')" "M.search(None, 'FROM', '\"bob\"')" \
	    "M.select()" "imap.store('2', '+FLAGS', r'\\Seen')"
	assert_success
	run py_results 'for r in R: print(r)'
	assert_output "('OK', [b'3'])
('OK', [(b'1 (UID 1 BODY[TEXT] {34}', b'Body of the first.\\r\\nSecond line.\\r\\n'), b')'])
('OK', [b'2'])
('OK', [b'3'])
('OK', [b'2 (FLAGS (\\\\Seen \\\\Recent))'])"
	run ish -d 4 -c "M.login('$USER_NAME', '$USER_PASS')" \
	    -c "typ, data = M.select('INBOX', readonly=True)"
	assert_success
	assert_output_matches "> b'[A-Z]{4}[0-9]+ EXAMINE INBOX'"
}

@test "Python call form with a missing argument names it" {
	both_forms : "M.fetch('1')"
	assert_failure 2
	assert_output "line 2: error: fetch() missing 1 required positional argument: 'message_parts'
usage: fetch message_set message_parts"
}

# --- quoting ---------------------------------------------------------

@test "a mailbox name with a space: \"...\" is kept verbatim" {
	both_forms : 'create "My Box"' "M.create('Other Box')" \
	    'list "" "My*"' 'select "My Box"' 'status "Other Box" (MESSAGES)'
	assert_success
	assert_line 2 "('OK', [b'(\\\\HasNoChildren) \"/\" \"My Box\"'])"
	assert_line 3 "('OK', [b'0'])"
	assert_line 4 "('OK', [b'\"Other Box\" (MESSAGES 0)'])"
	run ish -d 4 -c "login $USER_NAME $USER_PASS" -c 'create "A B"' \
	    -c "M.create('C D')"
	assert_success
	assert_output_matches "> b'[A-Z]{4}[0-9]+ CREATE \"A B\"'"
	assert_output_matches "> b'[A-Z]{4}[0-9]+ CREATE \"C D\"'"
	run imap_py 'print(sorted(M.list()[1]))'
	assert_output_contains "\"/\" \"A B\"'"
	assert_output_contains "\"/\" \"C D\"'"
	assert_output_contains "\"/\" \"My Box\"'"
	assert_output_contains "\"/\" \"Other Box\"'"
}

# sent_lines LINE...: the commands imapsh sends for LINE... (after login
# and select), one a line, without their tags.
sent_lines()
{
	local args=(-c "login $USER_NAME $USER_PASS" -c select) line

	for line in "$@"; do
		args+=(-c "$line")
	done
	ish -d 4 "${args[@]}" 2>&1 | sed -n "s/^.* > b'[A-Z]*[0-9]* \(.*\)'\$/\1/p" |
	    sed '1,3d;$d'
}

@test "a single-quoted word is one argument, quoted as the call form quotes it" {
	local words calls
	words=$(sent_lines "create 'C D'" "search None SUBJECT 'test 1'" \
	    "list '' 'C*'" "status 'C D' '(MESSAGES)'" "create 'None'" \
	    "create 'a'\"b c\"")
	printf '%s\n' "$words" | head -3 >"$BATS_TEST_TMPDIR/first"
	assert_equal 'CREATE "C D"
SEARCH SUBJECT "test 1"
LIST "" C*' "$(cat "$BATS_TEST_TMPDIR/first")"
	assert_equal 'CREATE "ab c"' "$(printf '%s\n' "$words" | tail -1)"
	run imap_py 'print(sorted(M.list()[1]))'
	assert_output_contains "\"/\" \"C D\"'"
	assert_output_contains "\"/\" None'"
	new_user
	calls=$(sent_lines "M.create('C D')" \
	    "M.search(None, 'SUBJECT', 'test 1')" "M.list('', 'C*')" \
	    "M.status('C D', '(MESSAGES)')" "M.create('None')" \
	    "M.create('ab c')")
	assert_equal "$calls" "$words"
}

@test "an 8-bit argument goes as a literal" {
	run ish -d 4 -c "login $USER_NAME $USER_PASS" -c 'create Ünï' \
	    -c "M.status('caf\\xe9', '(MESSAGES)')"
	assert_output_matches "> b'[A-Z]{4}[0-9]+ CREATE \\{5\\}'"
	assert_output_matches "> b'[A-Z]{4}[0-9]+ STATUS \\{5\\}'"
	assert_output_contains "> b' (MESSAGES)'"
	assert_output_contains "write literal size 5"
	refute_output_contains "Ünï'"
}

@test "CR or LF in a call-form argument is refused and nothing is sent" {
	run ish -d 4 -c "login $USER_NAME $USER_PASS" \
	    -c "M.create('evil\\r\\nX1 DELETE INBOX')" -c "M.create('nl\\nx')" \
	    -c "M.create('nul\\x00x')" -c noop
	assert_failure
	refute_output_contains "CREATE"
	refute_output_contains "DELETE"
	assert_output_matches "> b'[A-Z]{4}[0-9]+ NOOP'"
	# One error each, naming the reason.
	run match_groups "^line [0-9]+: error: .*(line break)"
	assert_output "line break line break line break"
	run imap_py 'print(M.list())'
	assert_output "('OK', [b'(\\\\HasNoChildren) \"/\" INBOX'])"
}

# --- parity with imaplib ---------------------------------------------

@test "read-only commands print the values imaplib returns" {
	three_msgs
	imap_py 'M.create("Lists"); M.subscribe("Lists")
M.select("INBOX"); M.store("2", "+FLAGS", "(\\Seen \\Flagged)")'
	ish_c 'select INBOX True' noop 'search None ALL' 'search None UNSEEN' \
	    'fetch 1:3 (UID FLAGS RFC822.SIZE INTERNALDATE)' \
	    'fetch 2 (BODY.PEEK[HEADER] BODY.PEEK[TEXT])' \
	    'fetch 3 (ENVELOPE BODYSTRUCTURE)' 'uid SEARCH ALL' \
	    'uid FETCH 1:* (FLAGS)' list lsub 'status Lists (MESSAGES UIDNEXT)' \
	    namespace 'response FLAGS' 'response PERMANENTFLAGS' \
	    >"$BATS_TEST_TMPDIR/out" 2>&1
	run py_results_file "$BATS_TEST_TMPDIR/out" '
import imaplib, os, re
imaplib.Commands.setdefault("NAMESPACE", ("AUTH", "SELECTED"))
M = imaplib.IMAP4(os.environ["IMAPSH_TEST_HOST"], int(os.environ["IMAPSH_TEST_PORT"]))
M.login(os.environ["USER_NAME"], os.environ["USER_PASS"])
want = [
    M.select("INBOX", readonly=True), M.noop(), M.search(None, "ALL"),
    M.search(None, "UNSEEN"),
    M.fetch("1:3", "(UID FLAGS RFC822.SIZE INTERNALDATE)"),
    M.fetch("2", "(BODY.PEEK[HEADER] BODY.PEEK[TEXT])"),
    M.fetch("3", "(ENVELOPE BODYSTRUCTURE)"), M.uid("SEARCH", "ALL"),
    M.uid("FETCH", "1:*", "(FLAGS)"), M.list(), M.lsub(),
    M.status("Lists", "(MESSAGES UIDNEXT)"), M.namespace(),
    M.response("FLAGS"), M.response("PERMANENTFLAGS"),
]
M.logout()
def norm(v):
    return re.sub(r"\(\d+\.\d+( \+ \d+\.\d+)* secs\)", "(T)", repr(v))
got = R[1:]
if len(got) != len(want):
    print("counts differ:", len(got), len(want))
for i, (g, w) in enumerate(zip(got, want)):
    if norm(g) != norm(w):
        print("result %d differs:\n  imapsh  %r\n  imaplib %r" % (i, g, w))
print("compared", len(want))'
	assert_output "compared 15"
}
