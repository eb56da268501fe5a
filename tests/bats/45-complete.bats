#!/usr/bin/env bats
# Tab completion by argument type, driven through tmux: command names,
# mailbox names (quoted when they need it), fetch items inside groups,
# flags, store modes, search keys, status items, files after "<", SASL
# mechanisms, booleans and settings.  Completion sends nothing but one
# quiet LIST, which leaves imaplib's untagged responses as they were.

load helper
load e2e-helper
load tmux-helper

setup()
{
	imapsh_setup || return 1
	tmux_setup || return 1
	HOST=$IMAPSH_TEST_HOST
	P=$USER_NAME@$HOST
}

teardown()
{
	tmux_teardown
}

# logged_in [ARGS...]: start imapsh ARGS against the test Dovecot and log
# in; the prompt is "$P>".
logged_in()
{
	start_imapsh "$@" "$HOST" "$IMAPSH_TEST_PORT"
	wait_prompt "$HOST (not logged in)>"
	type_line "login $USER_NAME $USER_PASS"
	wait_prompt "$P>"
}

# tab PROMPT TYPED EXPECTED: type TYPED, press Tab, and wait until the
# line reads EXPECTED after PROMPT.  Ctrl-U then empties the line.
tab()
{
	type_text "$2"
	keys Tab
	wait_prompt "$1> $3"
	keys C-u
	wait_prompt "$1>"
}

@test "complete: command names, help's argument and uid's commands" {
	start_imapsh "$HOST" "$IMAPSH_TEST_PORT"
	local p="$HOST (not logged in)"
	wait_prompt "$p>"
	tab "$p" "capa" "capability"
	tab "$p" "help fe" "help fetch"
	tab "$p" "uid fe" "uid FETCH"
	tab "$p" "set fo" "set format"
	tab "$p" "set format j" "set format json"
	# Several candidates and nothing more in common: they are listed.
	type_text "log"
	keys Tab
	wait_for "login  login_cram_md5  logout  log"
	wait_prompt "$p> log"
}

@test "complete: a mailbox name with a blank completes quoted" {
	logged_in
	type_line 'create "Box One"'
	wait_for "Create completed"
	wait_prompt "$P>"
	tab "$P" "select Bo" 'select "Box One"'
	tab "$P" 'select "Box' 'select "Box One"'
	# A single quote stays: 'Box One' is one argument too.
	tab "$P" "select 'Bo" "select 'Box One'"
	tab "$P" "status IN" "status INBOX"
	type_text "select Bo"
	keys Tab
	wait_prompt "$P> select \"Box One\""
	keys Enter
	wait_for "('OK', [b'0'])"
	# Ctrl-D: a clean exit (the sanitizer build checks for leaks there).
	keys C-d
	wait_for "imapsh exited with status 0"
}

@test "complete: a mailbox created after the names were listed is found" {
	logged_in
	tab "$P" "select IN" "select INBOX"
	type_line 'create Later'
	wait_for "Create completed"
	wait_prompt "$P>"
	tab "$P" "select La" "select Later"
}

@test "complete: the quiet LIST leaves responses and the screen alone" {
	logged_in -d 4
	type_line 'xatom LIST "" INBOX'
	wait_for "List completed"
	wait_prompt "$P>"
	type_line 'create Quiet'
	wait_for "Create completed"
	wait_prompt "$P>"
	tab "$P" "select Qu" "select Quiet"
	# Not in the -d 4 trace: only xatom's LIST shows (its reply line
	# and its result).
	run pane
	refute_output_contains 'LIST "" *'
	assert_equal 2 "$(grep -c 'List completed' <<<"$output")"
	# imaplib's untagged responses still hold xatom's LIST, and only it.
	type_line 'response LIST'
	wait_for "('LIST', [b'(\\\\HasNoChildren) \"/\" INBOX'])"
	keys C-d
	wait_for "imapsh exited with status 0"
}

@test "complete: before login, mailboxes offer INBOX and nothing is sent" {
	start_imapsh -d 4 "$HOST" "$IMAPSH_TEST_PORT"
	local p="$HOST (not logged in)"
	wait_prompt "$p>"
	tab "$p" "select i" "select INBOX"
	run pane
	refute_output_contains "LIST"
}

@test "complete: fetch items, inside parentheses and brackets too" {
	logged_in
	type_line select
	wait_prompt "$P INBOX[0]>"
	tab "$P INBOX[0]" "fetch 1 (FL" "fetch 1 (FLAGS"
	tab "$P INBOX[0]" "fetch 1 (UID bodys" "fetch 1 (UID BODYSTRUCTURE"
	tab "$P INBOX[0]" "fetch 1 internal" "fetch 1 INTERNALDATE"
	tab "$P INBOX[0]" "fetch 1 (BODY.PEEK[HEADER.F" \
	    "fetch 1 (BODY.PEEK[HEADER.FIELDS"
	tab "$P INBOX[0]" "fetch 1 (BODY.PEEK[HEADER.FIELDS (SUBJ" \
	    "fetch 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT"
	tab "$P INBOX[0]" "uid fetch 1:* (ENV" "uid fetch 1:* (ENVELOPE"
	tab "$P INBOX[0]" "status INBOX (UIDN" "status INBOX (UIDNEXT"
	tab "$P INBOX[0]" "search None UNSE" "search None UNSEEN"
}

@test "complete: store modes and the mailbox's flags" {
	deliver 1
	logged_in
	type_line 'select'
	wait_prompt "$P INBOX[1]>"
	type_line 'store 1 +FLAGS $Work'
	wait_for "\$Work"
	wait_prompt "$P INBOX[1]>"
	type_line 'select'
	wait_prompt "$P INBOX[1]>"
	tab "$P INBOX[1]" "store 1 -fl" "store 1 -FLAGS"
	tab "$P INBOX[1]" "store 1 +FLAGS \\fl" "store 1 +FLAGS \\Flagged"
	tab "$P INBOX[1]" "store 1 +FLAGS (\\Seen \\Dr" \
	    "store 1 +FLAGS (\\Seen \\Draft"
	tab "$P INBOX[1]" "store 1 FLAGS (\$Wo" "store 1 FLAGS (\$Work"
	keys C-d
	wait_for "imapsh exited with status 0"
}

@test "complete: files after append's <, directories with a slash" {
	mkdir "$BATS_TEST_TMPDIR/mails"
	printf 'Subject: one\n\nbody\n' >"$BATS_TEST_TMPDIR/mails/one.eml"
	printf 'Subject: sp\n\nbody\n' >"$BATS_TEST_TMPDIR/my msg.eml"
	mkdir "$BATS_TEST_TMPDIR/my dir"
	printf 'Subject: in\n\nbody\n' >"$BATS_TEST_TMPDIR/my dir/in.eml"
	logged_in
	tab "$P" "append INBOX None None <mai" "append INBOX None None <mails/"
	tab "$P" "append INBOX None None <mails/o" \
	    "append INBOX None None <mails/one.eml"
	tab "$P" "append INBOX None None < mails/o" \
	    "append INBOX None None < mails/one.eml"
	# Names with blanks are quoted; after a directory the quote stays open.
	tab "$P" "append INBOX None None <my" "append INBOX None None <'my"
	tab "$P" "append INBOX None None <'my m" \
	    "append INBOX None None <'my msg.eml'"
	tab "$P" "append INBOX None None <'my d" \
	    "append INBOX None None <'my dir/"
	tab "$P" "append INBOX None None <'my dir/" \
	    "append INBOX None None <'my dir/in.eml'"
	type_text "append INBOX None None <mails/o"
	keys Tab
	wait_prompt "$P> append INBOX None None <mails/one.eml"
	keys Enter
	wait_for "Append completed"
	keys C-d
	wait_for "imapsh exited with status 0"
}

@test "complete: SASL mechanisms the server offers after authenticate" {
	start_imapsh "$HOST" "$IMAPSH_TEST_PORT"
	local p="$HOST (not logged in)"
	wait_prompt "$p>"
	tab "$p" "authenticate pl" "authenticate PLAIN"
	tab "$p" "authenticate SCRAM-SHA-2" "authenticate SCRAM-SHA-256"
	# OAUTHBEARER is imapsh's, but this server does not offer it.
	type_text "authenticate "
	keys Tab
	wait_for "EXTERNAL"
	run pane
	refute_output_contains "OAUTHBEARER"
}

@test "complete: without a server, the mechanisms of imapsh, -PLUS and CRAM-SHA included" {
	start_imapsh -n
	local p="imapsh (not connected)"
	wait_prompt "$p>"
	tab "$p" "authenticate scram-sha-256-p" \
	    "authenticate SCRAM-SHA-256-PLUS"
	tab "$p" "authenticate cram-sha2" "authenticate CRAM-SHA256"
	tab "$p" "authenticate anon" "authenticate ANONYMOUS"
}

@test "complete: True and False for a boolean argument" {
	logged_in
	tab "$P" "select INBOX T" "select INBOX True"
	tab "$P" "select INBOX f" "select INBOX False"
	type_text "select INBOX T"
	keys Tab
	keys Enter
	wait_prompt "$P INBOX[0,ro]>"
}

@test "complete: in a heredoc body Tab is a tab" {
	logged_in
	type_line 'append INBOX None None <<EOM'
	wait_prompt ">"
	type_text "X-Col:"
	keys Tab
	type_line "v"
	type_line ""
	type_line "body"
	type_line "EOM"
	wait_for "Append completed"
	wait_prompt "$P>"
	run imap_py 'M.select("INBOX")
print(M.fetch("1", "(BODY.PEEK[HEADER])")[1][0][1])'
	assert_output "b'X-Col:\\tv\\r\\n\\r\\n'"
}
