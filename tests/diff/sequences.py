"""sequences.py: the steps imapdiff.py runs through imaplib and imapsh.

A step is one imaplib method call in Python's call form, without the "M.":
imaplib evaluates "M." + step, imapsh gets the line as it is.  $USER and
$PASS stand for each side's user name and password.  Step(py, sh=...)
gives imapsh a different line where it must differ, and says why.
Generate(func) computes further steps from imaplib's records so far
(("result", (typ, data)) or (exception kind, text)), as imaplib's own
self-test computes DELETEs from a LIST; imapsh gets the same lines.

Why some imapsh lines differ from imaplib's:

  * QUOTED: imaplib's documentation says an argument holding a blank is
    sent quoted, but Python 3's imaplib sends every argument bare, so
    CREATE "a b" goes out as "CREATE a b" and breaks.  imapsh follows the
    documentation.  Such steps give imaplib the pre-quoted value
    ('"scratch/xxx 1"') and imapsh the documented form ('scratch/xxx 1').
  * HEREDOC: a message in an imapsh line is refused (a value may not hold
    a line break), so append steps give imapsh the message as a heredoc,
    "append MAILBOX None None <<EOM", the body lines, "EOM".  The shell
    form is used because the call form must end with ")".  The message
    argument's own handling is compared in the append-message-arg
    sequence.
"""

QUOTED = ("imaplib sends arguments bare against its documentation: imaplib "
          "gets the name pre-quoted, imapsh the documented plain form")
HEREDOC = "imapsh takes a message from a heredoc, not from an argument"


class Step:
    def __init__(self, py, sh=None, note=None):
        self.py = py
        self.sh = py if sh is None else sh
        self.note = note

    def __repr__(self):
        return "Step(%r)" % self.py


class Generate:
    def __init__(self, func, note=None):
        self.func = func
        self.note = note


class Sequence:
    """A named list of steps.  fake names a scenario of tests/fake/scenarios
    to run against instead of Dovecot (see imapdiff.py)."""

    def __init__(self, name, doc, steps, deliver=3, selfcheck=False,
                 fake=None):
        self.name = name
        self.doc = doc
        self.steps = [s if isinstance(s, (Step, Generate)) else Step(s)
                      for s in steps]
        self.deliver = deliver
        self.selfcheck = selfcheck
        self.fake = fake


def quoted(name):
    """NAME as imaplib needs it on the wire: double-quoted if it must be."""
    if any(c in name for c in ' ()"\\{%*') and not name.startswith('"'):
        return '"%s"' % name.replace("\\", "\\\\").replace('"', '\\"')
    return name


def mailbox_step(method, *names):
    """A step on mailboxes NAMES: QUOTED for imaplib, plain for imapsh."""
    py = "%s(%s)" % (method, ", ".join(repr(quoted(n)) for n in names))
    sh = "%s(%s)" % (method, ", ".join(repr(n) for n in names))
    return Step(py, sh, QUOTED if py != sh else None)


def append_step(mailbox, message):
    """APPEND of MESSAGE (str, \\n line ends): HEREDOC for imapsh.

    In the shell form a double-quoted word is sent as typed, so a name
    with a blank goes in double quotes there.
    """
    py = "append(%s, None, None, %r)" % (
        "None" if mailbox is None else repr(quoted(mailbox)),
        message.encode())
    sh_mailbox = "None" if mailbox is None else quoted(mailbox)
    body = message[:-1] if message.endswith("\n") else message
    sh = "append %s None None <<EOM\n%sEOM" % (sh_mailbox, body + "\n")
    return Step(py, sh, HEREDOC + ("; " + QUOTED if " " in (mailbox or "")
                                   else ""))


# --- (a) every foundation command ---------------------------------------

FOUNDATION = [
    # NONAUTH: a refused login is an error, and the state stays NONAUTH.
    "login('$USER', 'wrong-$PASS')",
    "login('$USER', '$PASS')",
    "capability()",
    "noop()",
    "namespace()",
    # FETCH in AUTH state: imaplib raises before sending anything.
    "fetch('1', '(FLAGS)')",
    "list()",
    "list('\"\"', 'INBOX')",
    "lsub()",
    "status('INBOX', '(MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)')",
    "create('Work')",
    # QUOTED: imaplib gets '"Work/Sub box"', imapsh 'Work/Sub box'.
    mailbox_step("create", "Work/Sub box"),
    "rename('Work', 'Projects')",
    "list('\"\"', '*')",
    "subscribe('Projects')",
    "lsub()",
    "unsubscribe('Projects')",
    "lsub()",
    "select('Nonexistent')",
    "select('INBOX', readonly=True)",
    "response('UIDVALIDITY')",
    "response('EXISTS')",
    "response('READ-ONLY')",
    "store('1', '+FLAGS', '(\\\\Flagged)')",
    "select()",
    "recent()",
    "response('EXISTS')",
    "search(None, 'ALL')",
    "search(None, 'FROM', '\"somebody\"')",
    "search(None, 'FROM', '\"example\"')",
    "search('UTF-8', 'ALL')",
    "fetch('1', '(FLAGS)')",
    "fetch('1', '(RFC822.SIZE)')",
    "fetch('1', '(BODY.PEEK[HEADER])')",
    "fetch('2', '(RFC822)')",
    "fetch('3', '(BODY.PEEK[HEADER] BODY.PEEK[TEXT])')",
    "fetch('1:3', '(FLAGS RFC822.SIZE)')",
    "fetch('1:3', '(BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)])')",
    # A BAD reply raises: "FETCH command error: BAD [b'...']".
    "fetch('1', '(NOSUCHITEM)')",
    "store('1', '+FLAGS', '(\\\\Deleted)')",
    "store('2', '-FLAGS', '(\\\\Seen)')",
    # Bare flags: both clients put them in parentheses.
    "store('3', 'FLAGS', '\\\\Flagged')",
    "copy('1:2', 'Projects')",
    "uid('SEARCH', 'ALL')",
    "uid('FETCH', '1:*', '(FLAGS)')",
    "uid('STORE', '2', '+FLAGS', '(\\\\Answered)')",
    "uid('COPY', '3', 'Projects')",
    "expunge()",
    "check()",
    "status('Projects', '(MESSAGES UNSEEN)')",
    "xatom('ID', 'NIL')",
    "close()",
    # SELECTED commands after CLOSE: AUTH state again.
    "expunge()",
    # A mailbox the server opens read-only raises readonly on SELECT.
    # Rights l, r and x (lookup, read, delete): no write right at all.
    "xatom('SETACL', 'Projects', '$USER', 'lrx')",
    "select('Projects')",
    # READ-ONLY is still among the untagged responses: readonly again.
    "close()",
    "select('Projects', readonly=True)",
    "close()",
    # QUOTED, as above.
    mailbox_step("delete", "Projects/Sub box"),
    "delete('Projects')",
    "list()",
    "logout()",
]


# --- (b) imaplib's own self-test (imaplib.py, "if __name__ == '__main__'")

# Adapted to the test server and to Python 3, each change marked:
#  * "/tmp/xxx 1" -> "scratch/xxx 1" and so on: Dovecot's separator is
#    "/", a name may not start with it, and its maildir layout refuses
#    "tmp" (also "new" and "cur") as a name.  The spaces stay: quoting
#    them is the point.
#  * list('/tmp', 'yy*') -> list('scratch/', 'yy*'): Dovecot joins
#    reference and pattern as they are ("scratchyy*" matches nothing), so
#    the reference gets its separator as in the later list('/tmp/', 'yy%').
#  * QUOTED mailbox names, see the top of the file.
#  * test_mesg is bytes: Python 3's imaplib.append() cannot take a str.
#  * The DELETE loop decodes each LIST line before matching it (the
#    original applies a str pattern to bytes), and the UID FETCH uses
#    uid[-1].decode() (the original's '%s' % uid[-1] gives "b'3'").
#  * Every step runs whatever the result; the original stops at a NO.

TEST_MESG = "From: $USER@localhost\nSubject: IMAP4 test\n\ndata...\n"


def selftest_delete_loop(records):
    """for ml in run('list', ('/tmp/', 'yy%')): ... run('delete', (path,))"""
    import re
    kind, value = records[-1]
    if kind != "result":
        return
    for ml in value[1]:
        if ml is None:
            continue
        ml = ml.decode()
        mo = re.match(r'.*"([^"]+)"$', ml)
        if mo:
            path = mo.group(1)
        else:
            path = ml.split()[-1]
        yield mailbox_step("delete", path)


def selftest_uid_fetch(records):
    """uid = dat[-1].split(); if uid: run('uid', ('FETCH', uid[-1], ...))"""
    kind, value = records[-1]
    if kind != "result":
        return
    uid = value[1][-1].split()
    if not uid:
        return
    yield Step("uid('FETCH', %r, '(FLAGS INTERNALDATE RFC822.SIZE "
               "RFC822.HEADER RFC822.TEXT)')" % uid[-1].decode())


IMAPLIB_SELFTEST = [
    # test_seq1
    "login('$USER', '$PASS')",
    # QUOTED: imaplib gets '"scratch/xxx 1"', imapsh 'scratch/xxx 1'; so
    # for every name with a space below, and the message of append is
    # HEREDOC for imapsh (see the top of the file).
    mailbox_step("create", "scratch/xxx 1"),
    mailbox_step("rename", "scratch/xxx 1", "scratch/yyy"),
    # imaplib's upper-case alias; imapsh's names are case-insensitive.
    mailbox_step("CREATE", "scratch/yyz 2"),
    append_step("scratch/yyz 2", TEST_MESG),
    "list('scratch/', 'yy*')",
    mailbox_step("select", "scratch/yyz 2"),
    "search(None, 'SUBJECT', 'test')",
    "fetch('1', '(FLAGS INTERNALDATE RFC822)')",
    "store('1', 'FLAGS', '(\\\\Deleted)')",
    "namespace()",
    "expunge()",
    "recent()",
    "close()",
    # for ml in run('list', ('/tmp/', 'yy%')): ... run('delete', (path,))
    "list('scratch/', 'yy%')",
    Generate(selftest_delete_loop, "DELETE each mailbox the LIST returned"),
    # test_seq2
    "select()",
    "response('UIDVALIDITY')",
    "uid('SEARCH', 'ALL')",
    Generate(selftest_uid_fetch, "UID FETCH of the last UID found"),
    "response('EXISTS')",
    append_step(None, TEST_MESG),
    "recent()",
    "logout()",
]


# --- smaller sequences ---------------------------------------------------

# A message given as append's fourth argument, as an imaplib script line
# has it: imapsh's synopsis lists [message], and the call form is meant
# to take such lines as they are.
APPEND_MESSAGE_ARG = [
    "login('$USER', '$PASS')",
    "append('INBOX', None, None, b'Subject: one line, no line end')",
    "append('INBOX', None, None, b'From: a@example.org\\r\\n"
    "Subject: arg\\r\\n\\r\\nbody\\r\\n')",
    "select()",
    "fetch('4:*', '(RFC822)')",
    "logout()",
]

# What comes after LOGOUT: imaplib keeps the object, in state LOGOUT.
AFTER_LOGOUT = [
    "login('$USER', '$PASS')",
    "logout()",
    "select()",
]

# Not authenticated: NOOP, a refused LOGIN, a state error, LOGOUT.
NONAUTH = [
    "noop()",
    "capability()",
    "login('$USER', 'wrong-$PASS')",
    "select()",
    "logout()",
]

# --- every other imaplib method -----------------------------------------

# ACL (RFC 4314) and QUOTA (RFC 2087/9208), which the test Dovecot has:
# GETACL's and MYRIGHTS's untagged data, GETQUOTAROOT's pair of lists, a
# SETQUOTA that only an administrator may send (NO), and the NO of a
# mailbox that does not exist.
ACL_QUOTA = [
    "login('$USER', '$PASS')",
    "getacl('INBOX')",
    "myrights('INBOX')",
    "setacl('INBOX', 'friend', 'lr')",
    "getacl('INBOX')",
    "setacl('INBOX', 'friend', '+ws')",
    "getacl('INBOX')",
    "setacl('INBOX', 'friend', '-s')",
    "getacl('INBOX')",
    "deleteacl('INBOX', 'friend')",
    "getacl('INBOX')",
    "getacl('Nonexistent')",
    "myrights('Nonexistent')",
    # A BAD reply raises: Dovecot refuses the "anyone" identifier.
    "setacl('INBOX', 'anyone', 'lr')",
    "getquota('\"User quota\"')",
    "getquota('Nonexistent')",
    "getquotaroot('INBOX')",
    "getquotaroot('Nonexistent')",
    "setquota('\"User quota\"', '(STORAGE 512000)')",
    "select()",
    "myrights('INBOX')",
    "getquotaroot('INBOX')",
    "logout()",
]

# SORT and THREAD (RFC 5256), PARTIAL (which Dovecot answers with BAD),
# UID with every command imaplib's table allows, UNSELECT, and ENABLE,
# whose UTF8=ACCEPT puts imaplib in UTF-8 mode: no SEARCH charset, and
# APPEND's message wrapped in "UTF8 (...)".
EXTENSIONS = [
    "login('$USER', '$PASS')",
    "enable('CONDSTORE')",
    "select()",
    # ENABLE is valid in the authenticated state only.
    "enable('CONDSTORE')",
    "sort('DATE', 'UTF-8', 'ALL')",
    "sort('(REVERSE SUBJECT)', 'UTF-8', 'ALL')",
    "sort('SUBJECT', 'UTF-8', 'FROM', '\"example\"')",
    "sort('DATE', 'US-ASCII', 'SUBJECT', 'report')",
    # No charset: imaplib leaves it out, which Dovecot refuses.
    "sort('DATE', None, 'ALL')",
    "thread('REFERENCES', 'UTF-8', 'ALL')",
    "thread('ORDEREDSUBJECT', 'UTF-8', 'ALL')",
    "thread('NOSUCH', 'UTF-8', 'ALL')",
    "partial('1', 'BODY[TEXT]', '0', '10')",
    # Dovecot has no ANNOTATEMORE: BAD (see "annotatemore" for a server
    # that has it).
    "getannotation('INBOX', '\"/comment\"', '\"value.shared\"')",
    "setannotation('INBOX', '\"/comment\"', '(\"value.shared\" \"x\")')",
    "uid('SORT', '(DATE)', 'UTF-8', 'ALL')",
    "uid('THREAD', 'REFERENCES', 'UTF-8', 'ALL')",
    "uid('SEARCH', 'ALL')",
    "uid('FETCH', '1', '(FLAGS)')",
    "uid('STORE', '1:2', '+FLAGS', '(\\\\Deleted)')",
    "uid('EXPUNGE', '1')",
    "search(None, 'DELETED')",
    "create('Work')",
    "uid('COPY', '3', 'Work')",
    "uid('MOVE', '3', 'Work')",
    "uid('move', '2', 'Nonexistent')",
    "uid('NOSUCH', '1')",
    "status('Work', '(MESSAGES)')",
    "unselect()",
    # UNSELECT outside the selected state raises, and the state is AUTH.
    "unselect()",
    "fetch('1', '(FLAGS)')",
    "enable('UTF8=ACCEPT')",
    "search('UTF-8', 'ALL')",
    "select()",
    "search('UTF-8', 'ALL')",
    "search(None, 'ALL')",
    append_step(None, "Subject: in UTF-8 mode\n\nbody\n"),
    "fetch('2', '(RFC822)')",
    "logout()",
]

# What imaplib has no method for: imapsh's examine, id, move, getmetadata
# and setmetadata, against what an imaplib script would write instead
# (select(readonly=True), and xatom with the untagged response taken as
# imaplib takes it).
XATOM = "imaplib has no such method: it gets the xatom an imaplib script " \
    "would use"


def xatom_step(sh, name, args, untagged=None):
    """imapsh's SH against imaplib's xatom(NAME, *ARGS)."""
    call = "xatom(%s)" % ", ".join(repr(a) for a in (name,) + args)
    if untagged:
        call = "_untagged_response(*M.%s, %r)" % (call, untagged)
    return Step(call, sh, XATOM)


EXTRAS = [
    "login('$USER', '$PASS')",
    xatom_step("id()", "ID", ("NIL",), "ID"),
    xatom_step("id('name', 'imapsh', 'version', None)", "ID",
               ('("name" "imapsh" "version" NIL)',), "ID"),
    Step("select(readonly=True)", "examine()", XATOM),
    Step("select('INBOX', readonly=True)", "examine('INBOX')", XATOM),
    "response('READ-ONLY')",
    "store('1', '+FLAGS', '(\\\\Seen)')",
    "select()",
    "create('Work')",
    xatom_step("move('1', 'Work')", "MOVE", ("1", "Work")),
    xatom_step("move('1', 'Nonexistent')", "MOVE", ("1", "Nonexistent")),
    "response('EXPUNGE')",
    xatom_step("setmetadata('INBOX', '/private/comment', 'hello world')",
               "SETMETADATA", ("INBOX", '(/private/comment "hello world")')),
    xatom_step("getmetadata('INBOX', '/private/comment', '/shared/comment')",
               "GETMETADATA", ("INBOX", "(/private/comment /shared/comment)"),
               "METADATA"),
    xatom_step("setmetadata('INBOX', '/private/comment', None)",
               "SETMETADATA", ("INBOX", "(/private/comment NIL)")),
    xatom_step("getmetadata('INBOX', '(/private/comment)')",
               "GETMETADATA", ("INBOX", "(/private/comment)"), "METADATA"),
    xatom_step("getmetadata('', '/shared/comment')",
               "GETMETADATA", ('""', "(/shared/comment)"), "METADATA"),
    "logout()",
]

# Against the fake server (tests/fake/scenarios): Cyrus IMAP's
# ANNOTATEMORE, which Dovecot lacks, with its GETANNOTATION and
# SETANNOTATION as imaplib sends them; and PARTIAL, SETQUOTA, GETQUOTAROOT,
# ACL, SORT and THREAD answered the way Cyrus answers them.
ANNOTATEMORE = [
    "login('$USER', '$PASS')",
    "getannotation('INBOX', '\"/comment\"', '\"value.shared\"')",
    "getannotation('\"*\"', '\"/vendor/cmu/cyrus-imapd/*\"', "
    "'(\"value.shared\" \"size.shared\")')",
    "getannotation('Nonexistent', '\"/comment\"', '\"value.shared\"')",
    "getannotation('INBOX', '/comment', 'value.shared')",
    "setannotation('INBOX', '\"/comment\"', "
    "'(\"value.shared\" \"My new comment\")')",
    "setannotation('INBOX', '\"/comment\"', '(\"value.shared\" NIL)', "
    "'\"/vendor/cmu/cyrus-imapd/expire\"', '(\"value.shared\" \"30\")')",
    "setannotation('INBOX', '\"/vendor/cmu/cyrus-imapd/size\"', "
    "'(\"value.shared\" \"1\")')",
    "response('ANNOTATION')",
    "getacl('INBOX')",
    "myrights('user.anne')",
    "getquotaroot('INBOX')",
    "setquota('user.anne', '(STORAGE 512000 MESSAGE 1000)')",
    "getquota('user.anne')",
    "getquotaroot('Nonexistent')",
    "select()",
    "partial('1', 'BODY[TEXT]', '0', '10')",
    "partial('2', 'RFC822', '5', '20')",
    "sort('(REVERSE DATE)', 'UTF-8', 'ALL')",
    "thread('REFERENCES', 'UTF-8', 'ALL')",
    "unselect()",
    "logout()",
]

# UTF8=ACCEPT (RFC 6855), which Dovecot 2.3 does not implement: after
# ENABLE, names go as UTF-8 quoted strings (QUOTED: imaplib gets them
# pre-quoted) and APPEND wraps its literal in "UTF8 (...)" as imaplib does.
UTF8_ACCEPT = [
    "login('$USER', '$PASS')",
    "enable('UTF8=ACCEPT')",
    "response('ENABLED')",
    Step("create('\"Résumé\"')", "create('Résumé')", QUOTED),
    Step("append('\"Résumé\"', None, None, "
         "b'Subject: caf\\xc3\\xa9\\n\\nbonjour\\n')",
         "append Résumé None None <<EOM\nSubject: café\n\nbonjour\nEOM",
         HEREDOC + "; " + QUOTED),
    "list()",
    Step("select('\"Résumé\"')", "select('Résumé')", QUOTED),
    "search('UTF-8', 'ALL')",
    "search(None, 'SUBJECT', '\"café\"')",
    "fetch('1', '(BODY.PEEK[HEADER.FIELDS (SUBJECT)])')",
    "logout()",
]

# The other way to log in, and PROXYAUTH (which Dovecot answers with BAD).
CRAM_MD5 = [
    "login_cram_md5('$USER', 'wrong-$PASS')",
    "login_cram_md5('$USER', '$PASS')",
    "proxyauth('$USER')",
    "logout()",
]

# A server without ENABLE: imaplib refuses enable() before sending.
NO_ENABLE = [
    "login('$USER', '$PASS')",
    "enable('UTF8=ACCEPT')",
    "logout()",
]

# For the self-checks of imapdiff.py (see 50-diff.bats): smoke must pass
# (with --sabotage it must not), the selfcheck-* ones must fail.
SMOKE = [
    "noop()",
    "login('$USER', 'wrong-$PASS')",
    "logout()",
]

SEQUENCES = [
    Sequence("foundation", "every foundation command, same arguments",
             FOUNDATION),
    Sequence("imaplib-selftest", "imaplib.py's __main__ self-test, adapted",
             IMAPLIB_SELFTEST),
    Sequence("append-message-arg", "append with the message as argument",
             APPEND_MESSAGE_ARG),
    Sequence("after-logout", "a command after LOGOUT", AFTER_LOGOUT,
             deliver=0),
    Sequence("nonauth", "commands before login", NONAUTH, deliver=0),
    Sequence("acl-quota", "ACL and QUOTA methods", ACL_QUOTA),
    Sequence("extensions", "sort, thread, partial, uid, unselect, enable",
             EXTENSIONS),
    Sequence("extras", "examine, id, move, getmetadata, setmetadata",
             EXTRAS),
    Sequence("annotatemore", "getannotation, setannotation and more, "
             "against a Cyrus-like fake", ANNOTATEMORE, fake="annotatemore"),
    Sequence("utf8-accept", "enable UTF8=ACCEPT, then names and append, "
             "against a fake", UTF8_ACCEPT, fake="utf8-accept"),
    Sequence("no-enable", "enable on a server without ENABLE (a fake)",
             NO_ENABLE, fake="no-enable"),
    Sequence("cram-md5", "login_cram_md5 and proxyauth", CRAM_MD5,
             deliver=0),
    Sequence("smoke", "noop, a refused login, logout (for self-checks)",
             SMOKE, deliver=0, selfcheck=True),
    Sequence("selfcheck-wrong-line", "imapsh runs another command: must fail",
             [SMOKE[0], Step("noop()", "capability()"), SMOKE[2]],
             deliver=0, selfcheck=True),
    Sequence("selfcheck-extra-output", "imapsh prints two results for one "
             "step: must fail",
             [SMOKE[0], Step("noop()", "noop()\nnoop()"), SMOKE[2]],
             deliver=0, selfcheck=True),
    Sequence("selfcheck-missing-output", "imapsh prints nothing for a step: "
             "must fail", [SMOKE[0], Step("noop()", "# nothing"), SMOKE[2]],
             deliver=0, selfcheck=True),
]
