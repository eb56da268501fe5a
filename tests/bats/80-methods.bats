#!/usr/bin/env bats
# End-to-end tests of the extension commands (src/cmd-ext.c) against the
# private Dovecot: the imaplib methods deleteacl, getacl, setacl, myrights,
# getquota, getquotaroot, setquota, partial, sort, thread, enable,
# unselect, getannotation and setannotation, uid with every command of
# imaplib's table, and examine, id, move, getmetadata and setmetadata.
# Each runs by -c and as a heredoc script, and both must agree; results
# are checked, and where the server's state changes, imap_py looks at it
# independently.  tests/diff (50-diff.bats) compares every one of them
# with imaplib step by step, and, for ANNOTATEMORE and UTF8=ACCEPT, which
# Dovecot lacks, against a scripted fake server.

load helper
load e2e-helper

# same_user LINE...: run the lines by -c and then as a heredoc script, for
# the same user (for lines that leave the server as they found it, such
# as ACL changes undone).  Fails unless both give the same status and
# results; leaves $status and $output of the heredoc run as both_forms
# does.
same_user()
{
	local hand_status dir=$BATS_TEST_TMPDIR

	run ish_c "$@"
	RAW_HAND=$output
	hand_status=$status
	run ish <<EOF
login $USER_NAME $USER_PASS
$(printf '%s\n' "$@")
EOF
	RAW_SCRIPT=$output
	both_compare "$hand_status" "$dir" || return 1
}

three()
{
	deliver 3
}

# ish_trace LINE...: ish_c with the trace at level 4 (every line sent).
ish_trace()
{
	local args=(-d 4 -c "login $USER_NAME $USER_PASS") line

	for line in "$@"; do
		args+=(-c "$line")
	done
	ish "${args[@]}"
}

# --- ACL and QUOTA ---------------------------------------------------

@test "acl: setacl then getacl shows the rights; deleteacl removes them" {
	same_user 'getacl INBOX' 'setacl INBOX friend lrs' 'getacl INBOX' \
	    'myrights INBOX' 'setacl INBOX friend -s' 'getacl INBOX' \
	    "M.setacl('INBOX', 'friend', '+w')" 'getacl(mailbox="INBOX")' \
	    'deleteacl INBOX friend' 'getacl INBOX'
	assert_success
	assert_output "('OK', [b'INBOX $USER_NAME lrwstipekxacd'])
('OK', [b'Setacl complete (T secs).'])
('OK', [b'INBOX friend lrs $USER_NAME lrwstipekxacd'])
('OK', [b'INBOX lrwstipekxacd'])
('OK', [b'Setacl complete (T secs).'])
('OK', [b'INBOX friend lr $USER_NAME lrwstipekxacd'])
('OK', [b'Setacl complete (T secs).'])
('OK', [b'INBOX friend lrw $USER_NAME lrwstipekxacd'])
('OK', [b'Deleteacl complete (T secs).'])
('OK', [b'INBOX $USER_NAME lrwstipekxacd'])"
}

@test "acl: the rights setacl gives are what the server has" {
	run ish_c 'create Shared' 'setacl Shared friend lrsw'
	assert_success
	run imap_py 'print(M.getacl("Shared"))'
	assert_output "('OK', [b'Shared friend lrws $USER_NAME lrwstipekxacd'])"
	run ish_c 'deleteacl Shared friend'
	assert_success
	run imap_py 'print(M.getacl("Shared"))'
	assert_output "('OK', [b'Shared $USER_NAME lrwstipekxacd'])"
}

@test "acl: a mailbox that does not exist is NO; a BAD is an error" {
	both_forms : 'getacl Nonexistent' 'setacl INBOX anyone lr'
	assert_failure 1
	assert_line 0 "('NO', [b\"[NONEXISTENT] Mailbox doesn't exist: Nonexistent (T secs).\"])"
	assert_line 1 "line 3: error: SETACL command error: BAD [b\"Error in IMAP command SETACL: 'anyone' identifier is disallowed (T secs).\"]"
}

@test "quota: getquota, getquotaroot's [roots, quotas]; setquota is NO" {
	both_forms : 'getquota "User quota"' 'getquotaroot INBOX' \
	    "typ, data = M.getquotaroot(mailbox='INBOX')" \
	    'setquota "User quota" (STORAGE 512000)'
	assert_failure 1
	assert_output "('OK', [b'\"User quota\" (STORAGE 0 1048576)'])
('OK', [[b'INBOX \"User quota\"'], [b'\"User quota\" (STORAGE 0 1048576)']])
('OK', [[b'INBOX \"User quota\"'], [b'\"User quota\" (STORAGE 0 1048576)']])
('NO', [b'Quota can be changed only by admin (T secs).'])"
}

@test "quota: the usage getquotaroot shows grows with the mail" {
	deliver 3
	run ish_c 'getquotaroot INBOX'
	assert_success
	run py_results '
roots, quotas = R[1][1]
import re
used = int(re.search(rb"STORAGE (\d+) 1048576", quotas[0]).group(1))
print(R[1][0], roots, used > 0)'
	assert_output "OK [b'INBOX \"User quota\"'] True"
}

# --- mailboxes -------------------------------------------------------

@test "examine opens read-only; unselect leaves the authenticated state" {
	both_forms three examine 'response READ-ONLY' \
	    'store 1 +FLAGS (\Seen)' 'fetch 1 (FLAGS)' unselect \
	    'fetch 1 (FLAGS)' unselect "examine('INBOX')" \
	    "examine(mailbox='Nonexistent')"
	assert_failure 1
	# Dovecot ignores a STORE in a read-only mailbox: \Seen is not set.
	assert_output "('OK', [b'3'])
('READ-ONLY', [b''])
('OK', [None])
('OK', [b'1 (FLAGS (\\\\Recent))'])
('OK', [b'Unselect completed (T secs).'])
line 7: error: command FETCH illegal in state AUTH, only allowed in states SELECTED
hint: select a mailbox first (select INBOX, or examine INBOX to read only)
line 8: error: command UNSELECT illegal in state AUTH, only allowed in states SELECTED
('OK', [b'3'])
('NO', [b\"Mailbox doesn't exist: Nonexistent (T secs).\"])"
}

@test "unselect keeps messages marked \\Deleted, close removes them" {
	both_forms three select 'store 1:2 +FLAGS.SILENT (\Deleted)' \
	    unselect select close select
	assert_success
	assert_output "('OK', [b'3'])
('OK', [None])
('OK', [b'Unselect completed (T secs).'])
('OK', [b'3'])
('OK', [b'Close completed (T secs).'])
('OK', [b'1'])"
}

@test "move and uid MOVE: the messages leave, as imap_py sees" {
	both_forms three select 'create Work' 'move 1 Work' 'uid MOVE 3 Work' \
	    'response EXPUNGE' 'search None ALL' "M.move('1', 'Nonexistent')"
	assert_failure 1
	assert_output "('OK', [b'3'])
('OK', [b'Create completed (T secs).'])
('OK', [b'Move completed (T secs).'])
('OK', [None])
('EXPUNGE', [b'1', b'2'])
('OK', [b'1'])
('NO', [b\"[TRYCREATE] Mailbox doesn't exist: Nonexistent (T secs).\"])"
	run imap_py 'M.select("Work"); print(M.uid("SEARCH", "ALL"))
print(M.select("INBOX"), M.uid("SEARCH", "ALL"))'
	assert_output "('OK', [b'1 2'])
('OK', [b'1']) ('OK', [b'2'])"
}

@test "move before select is a state error; nothing is sent" {
	run ish_trace 'move 1 Work'
	assert_failure 1
	assert_output_contains "error: command MOVE illegal in state AUTH, only allowed in states SELECTED"
	refute_output_contains "MOVE 1 Work'"
}

# --- sort, thread, partial, uid ----------------------------------------

@test "sort and thread give what imaplib gets; criteria get parentheses" {
	both_forms three select 'sort DATE UTF-8 ALL' \
	    'sort (REVERSE DATE) UTF-8 ALL' "sort 'REVERSE SUBJECT' US-ASCII ALL" \
	    'thread REFERENCES UTF-8 ALL' 'thread ORDEREDSUBJECT UTF-8 ALL' \
	    'uid SORT (DATE) UTF-8 ALL' 'uid THREAD REFERENCES UTF-8 ALL' \
	    "M.sort('ARRIVAL', 'UTF-8', 'SEEN')"
	assert_success
	sh=$output
	run imap_py 'M.select()
for r in (M.sort("DATE", "UTF-8", "ALL"),
          M.sort("(REVERSE DATE)", "UTF-8", "ALL"),
          M.sort("REVERSE SUBJECT", "US-ASCII", "ALL"),
          M.thread("REFERENCES", "UTF-8", "ALL"),
          M.thread("ORDEREDSUBJECT", "UTF-8", "ALL"),
          M.uid("SORT", "(DATE)", "UTF-8", "ALL"),
          M.uid("THREAD", "REFERENCES", "UTF-8", "ALL"),
          M.sort("ARRIVAL", "UTF-8", "SEEN")):
    print(r)'
	assert_success
	assert_equal "('OK', [b'3'])
$output" "$sh"
	# Three messages, two of them a thread: the shape is known.
	assert_output_contains "('OK', [b'(3)(1 2)'])"
}

@test "sort sends its criteria in parentheses, once" {
	run ish_trace select 'sort DATE UTF-8 ALL' \
	    'sort (REVERSE DATE) UTF-8 FROM "example"'
	assert_success
	assert_output_contains " SORT (DATE) UTF-8 ALL'"
	assert_output_contains " SORT (REVERSE DATE) UTF-8 FROM \"example\"'"
}

@test "a thread algorithm the server lacks, and partial, raise BAD" {
	both_forms three select 'thread NOSUCH UTF-8 ALL' \
	    'partial 1 BODY[TEXT] 0 10'
	assert_failure 1
	assert_line 1 "line 3: error: THREAD command error: BAD [b'Error in IMAP command THREAD: Unknown thread algorithm (T secs).']"
	assert_line 2 "line 4: error: PARTIAL command error: BAD [b'Error in IMAP command PARTIAL: Unknown command (T secs).']"
}

@test "uid EXPUNGE removes only the UIDs given" {
	both_forms three select 'store 1:3 +FLAGS.SILENT (\Deleted)' \
	    'uid EXPUNGE 2' 'uid SEARCH ALL' 'response EXPUNGE'
	assert_success
	assert_output "('OK', [b'3'])
('OK', [None])
('OK', [None])
('OK', [b'1 3'])
('EXPUNGE', [b'2'])"
}

@test "uid takes every command of imaplib's table, and no other" {
	both_forms three select 'uid COPY 1 INBOX' 'uid move 1 INBOX' \
	    'uid SEARCH ALL' 'uid NOSUCH 1'
	assert_failure 1
	assert_output "('OK', [b'3'])
('OK', [None])
('OK', [None])
('OK', [b'2 3 4 5'])
line 6: error: Unknown IMAP4 UID command: NOSUCH"
}

# --- enable and UTF-8 mode -------------------------------------------

@test "enable UTF8=ACCEPT: UTF-8 names, no charset, append as imaplib" {
	both_forms : 'enable UTF8=ACCEPT' 'create Résumé' \
	    "append('INBOX', None, None, 'Subject: caf\\u00e9\\n\\nbonjour\\n')" \
	    select 'search UTF-8 ALL' 'search None ALL' 'fetch 1 (BODY[])'
	assert_failure 1
	# Dovecot 2.3 does not implement UTF8=ACCEPT, so it refuses the
	# UTF-8 name; the message is wrapped as imaplib wraps it.
	assert_line 0 "('OK', [b'Enabled (T secs).'])"
	assert_line 1 "('NO', [b'Mailbox name is not valid mUTF-7 (T secs).'])"
	assert_line 3 "('OK', [b'1'])"
	assert_line 4 "line 6: error: Non-None charset not valid in UTF8 mode"
	assert_line 5 "('OK', [b'1'])"
	assert_line 6 "('OK', [(b'1 (FLAGS (\\\\Seen \\\\Recent) BODY[] {34}', b'UTF8 (Subject: caf\\xc3\\xa9\\r\\n\\r\\nbonjour\\r\\n)'), b')'])"
	# imaplib, told the same, stores the same bytes.
	run imap_py 'M.enable("UTF8=ACCEPT")
M.append("INBOX", None, None, "Subject: café\n\nbonjour\n".encode())
M.select()
a = M.fetch("1", "(BODY.PEEK[])")[1][0][1]
b = M.fetch("2", "(BODY.PEEK[])")[1][0][1]
print(a == b, len(a))'
	assert_output "True 34"
}

@test "enable UTF8=ACCEPT: append <file is wrapped as imaplib wraps it, LF or CRLF" {
	local d=$BATS_TEST_TMPDIR
	printf 'Subject: caf\xc3\xa9\n\nbonjour\n' >"$d/lf.eml"
	printf 'Subject: caf\xc3\xa9\r\n\r\nbonjour\r\n' >"$d/crlf.eml"
	run ish_c 'enable UTF8=ACCEPT' "append INBOX None None <$d/lf.eml" \
	    "append INBOX None None <$d/crlf.eml"
	assert_success
	export MSGDIR=$d
	run imap_py 'M.enable("UTF8=ACCEPT")
d = os.environ["MSGDIR"]
for n in ("lf", "crlf"):
    M.append("INBOX", None, None, open(d + "/" + n + ".eml", "rb").read())
M.select()
m = [M.fetch(str(i), "(BODY.PEEK[])")[1][0][1] for i in range(1, 5)]
print(m[0] == m[1] == m[2] == m[3], m[0])'
	assert_output "True b'UTF8 (Subject: caf\\xc3\\xa9\\r\\n\\r\\nbonjour\\r\\n)'"
}

@test "enable: UTF-8 names go as quoted strings, not literals" {
	run ish_trace 'create Résumé' 'enable UTF8=ACCEPT' 'create Résumé'
	assert_failure 1
	# Before ENABLE: a literal; after: a UTF-8 quoted string.
	assert_output_contains " CREATE {8}'"
	assert_output_contains $' CREATE "R\\xc3\\xa9sum\\xc3\\xa9"\''
}

@test "enable: several capabilities in one argument go as atoms" {
	run ish_trace "enable 'CONDSTORE QRESYNC'" \
	    "enable('CONDSTORE QRESYNC')" 'enable CONDSTORE'
	assert_success
	[ "$(grep -c " ENABLE CONDSTORE QRESYNC'" <<<"$output")" -eq 2 ] ||
	    _imapsh_fail "ENABLE lines" output "$output"
	assert_output_contains " ENABLE CONDSTORE'"
	[ "$(grep -c "^('OK', \[b'Enabled" <<<"$output")" -eq 3 ] ||
	    _imapsh_fail "three OK results" output "$output"
}

@test "enable is for the authenticated state only, as in imaplib" {
	run ish -c 'enable UTF8=ACCEPT'
	assert_failure 1
	assert_output "line 1: error: command ENABLE illegal in state NONAUTH, only allowed in states AUTH"
	run ish_c select 'enable UTF8=ACCEPT'
	assert_failure 1
	assert_output_contains "error: command ENABLE illegal in state SELECTED, only allowed in states AUTH"
}

# --- id and metadata ---------------------------------------------------

@test "id: NIL without fields, name value pairs as strings, any state" {
	run ish -d 4 -c id -c "login $USER_NAME $USER_PASS" \
	    -c 'id name imapsh version 0.1' -c "id('name', None)" \
	    -c 'id ("name" "raw")' -c 'id name'
	assert_failure 1
	assert_output_contains " ID NIL'"
	assert_output_contains " ID (\"name\" \"imapsh\" \"version\" \"0.1\")'"
	assert_output_contains " ID (\"name\" NIL)'"
	assert_output_contains " ID (\"name\" \"raw\")'"
	assert_output_contains "error: id() takes field and value pairs, but 1 argument was given"
	run ish -c id -c "login $USER_NAME $USER_PASS" -c 'id name imapsh'
	assert_success
	assert_output "('OK', [b'(\"name\" \"Dovecot\")'])
('OK', [b'Logged in'])
('OK', [b'(\"name\" \"Dovecot\")'])"
}

@test "metadata: set, get, a value with line breaks, None removes it" {
	both_forms : 'setmetadata INBOX /private/comment "to do"' \
	    'getmetadata INBOX /private/comment' \
	    "setmetadata('INBOX', '/private/comment', 'line 1\\nline 2')" \
	    'getmetadata INBOX /private/comment /shared/comment' \
	    'setmetadata INBOX /private/comment None' \
	    'getmetadata INBOX (/private/comment)' \
	    'getmetadata "" /shared/comment' 'getmetadata INBOX'
	assert_failure 1
	assert_output "('OK', [b'Setmetadata completed (T secs).'])
('OK', [(b'INBOX (/private/comment {5}', b'to do'), b')'])
('OK', [b'Setmetadata completed (T secs).'])
('OK', [(b'INBOX (/private/comment {13}', b'line 1\\nline 2'), b' /shared/comment NIL)'])
('OK', [b'Setmetadata completed (T secs).'])
('OK', [b'INBOX (/private/comment NIL)'])
('OK', [b'\"\" (/shared/comment NIL)'])
line 9: error: getmetadata() needs at least one entry, such as /private/comment"
}

@test "metadata: what setmetadata stores is what imap_py reads" {
	run ish_c 'setmetadata INBOX /private/comment "from imapsh"'
	assert_success
	run imap_py 'M.xatom("GETMETADATA", "INBOX", "(/private/comment)")
print(M.response("METADATA"))'
	assert_output "('METADATA', [(b'INBOX (/private/comment {11}', b'from imapsh'), b')'])"
}

@test "setmetadata and id send strings; literals for line breaks, 8-bit" {
	run ish_trace 'setmetadata INBOX /private/comment word' \
	    "setmetadata('INBOX', '/private/comment', 'a\\nb')" \
	    'setmetadata INBOX /private/comment café' \
	    'id name café version 1'
	assert_success
	assert_output_contains " SETMETADATA INBOX (/private/comment \"word\")'"
	assert_output_contains " SETMETADATA INBOX (/private/comment {3}'"
	assert_output_contains " SETMETADATA INBOX (/private/comment {5}'"
	assert_output_contains "> b')'"
	# A literal inside a list: the rest of the list follows it.
	assert_output_contains " ID (\"name\" {5}'"
	assert_output_contains "> b' \"version\" \"1\")'"
	run imap_py 'M.xatom("GETMETADATA", "INBOX", "(/private/comment)")
print(M.response("METADATA"))'
	assert_output "('METADATA', [(b'INBOX (/private/comment {5}', b'caf\\xc3\\xa9'), b')'])"
}

# --- annotations (Cyrus; Dovecot has none) -------------------------------

@test "getannotation and setannotation: Dovecot answers BAD, an error" {
	both_forms : 'getannotation INBOX "/comment" "value.shared"' \
	    'setannotation INBOX "/comment" ("value.shared" "x")'
	assert_failure 1
	assert_output "line 2: error: GETANNOTATION command error: BAD [b'Error in IMAP command GETANNOTATION: Unknown command (T secs).']
line 3: error: SETANNOTATION command error: BAD [b'Error in IMAP command SETANNOTATION: Unknown command (T secs).']"
}

# --- the table -------------------------------------------------------

@test "help names the capability each extension command needs" {
	local pair name cap
	for pair in deleteacl:ACL getacl:ACL setacl:ACL myrights:ACL \
	    getquota:QUOTA getquotaroot:QUOTA setquota:QUOTA \
	    getannotation:ANNOTATEMORE setannotation:ANNOTATEMORE \
	    sort:SORT thread:THREAD=algorithm enable:ENABLE \
	    unselect:UNSELECT id:ID move:MOVE getmetadata:METADATA \
	    setmetadata:METADATA; do
		name=${pair%%:*} cap=${pair#*:}
		run imapsh_run -n -c "help $name"
		assert_success
		assert_output_contains "usage: $name"
		assert_output_contains "needs: the $cap capability"
	done
	run imapsh_run -n -c 'help examine' -c 'help getacl'
	assert_output_contains "as imaplib: none (imaplib has no examine())"
	assert_output_contains "as imaplib: IMAP4.getacl()"
}

@test "argument mistakes are reported as Python reports them" {
	run ish_c getacl 'setacl INBOX bob' 'partial 1 BODY[TEXT] 0' \
	    'sort DATE' 'examine INBOX extra' 'getquotaroot(mailbox="INBOX", x=1)'
	assert_failure 2
	assert_output_contains "getacl() missing 1 required positional argument: 'mailbox'"
	assert_output_contains "setacl() missing 1 required positional argument: 'what'"
	assert_output_contains "partial() missing 1 required positional argument: 'length'"
	assert_output_contains "sort() missing 1 required positional argument: 'charset'"
	assert_output_contains "examine() takes from 0 to 1 positional arguments but 2 were given"
	assert_output_contains "getquotaroot() got an unexpected keyword argument 'x'"
}
