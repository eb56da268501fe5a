#!/usr/bin/env python3
"""imapdiff.py: differential test of imapsh against Python's imaplib.

imapsh promises that every imaplib method is a command of the same name,
with the same arguments, printing the Python literal of the (typ, data)
imaplib returns.  This program holds it to that: it runs one sequence of
steps through both clients against the same server and compares the
results step by step.

  imapdiff.py [-kv] [--imapsh PATH] [--sabotage N] SEQUENCE...
  imapdiff.py --list

A SEQUENCE is a name from sequences.py (next to this file), or "all" for
every sequence that is not a self-check of this program.

How a sequence runs:

  * Two fresh Dovecot users with names of the same length (A for
    imaplib, B for imapsh) get the same sample messages
    (tests/lib/sample-mail.py deliver), so neither client sees the
    other's changes and sizes that depend on the user name agree.
  * imaplib: IMAP4(host, port); every step is evaluated as "M." + step.
    IMAP4.readonly, .abort and .error are caught and recorded as
    ("readonly" | "abort" | "error", str(exc)).
  * imapsh: "imapsh HOST PORT" reads all steps from stdin at once, as a
    here-document would give them, stdout and stderr on one pipe so that
    their order is kept.  Between steps goes a line "@@imapdiff-sync-N",
    an unknown command whose error message marks where step N's output
    begins: a step that prints nothing, or two things, cannot shift the
    results of the steps after it.  Each step's output is split into
    top-level Python literals (pprint layout: a literal starts at a line
    that does not begin with a blank) and read with ast.literal_eval;
    "error: ...", "abort: ..." and "readonly: ..." lines are exceptions.
  * Both sides are normalised, then compared with ==, which tells str
    from bytes and tuples from lists.  Normalised is only what legitimately
    differs between two runs: Dovecot's timing text "(0.001 + 0.000
    secs)", command tags in exception texts, UIDVALIDITY values (learned
    from each side's own results), INTERNALDATE values, and the user
    names (A's and B's both become <USER>).

A sequence with a fake server (Sequence(..., fake=SCENARIO)) runs
against tests/fake/fake-imapd.py playing tests/fake/scenarios/SCENARIO
instead, for what Dovecot lacks (Cyrus's ANNOTATEMORE, PARTIAL, a
SETQUOTA that succeeds, UTF8=ACCEPT): the fake is started once per
client, both clients log in as "user" with "secret", and besides the
results matching, each client must have sent exactly the scenario's
lines (the fake's exit status is 0), so the wire is compared too.

Steps are written once, in Python's call form, with $USER and $PASS for
the side's user name and password.  A step whose imapsh line must differ
carries an explicit imapsh override (sequences.py says why at each one).
A generated step (Generate) computes further steps from imaplib's results
so far, the way imaplib's own self-test derives a DELETE from a LIST;
imapsh then gets the same derived lines.

Exit status: 0 when every step matched, 1 on a mismatch (the first one is
shown as a diff), 2 on a usage or environment error.

Environment: IMAPSH (the binary, unless --imapsh), IMAPSH_TEST_HOST,
IMAPSH_TEST_PORT, IMAPSH_TEST_DIR (set by tests/run; see
tests/lib/dovecot.sh).  IMAPDIFF_SABOTAGE=N does what --sabotage N does:
it alters imapsh's result of step N after parsing, to show that the
comparison notices.
"""

import argparse
import ast
import copy
import difflib
import imaplib
import os
import pprint
import random
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True      # no __pycache__ in the source tree

import sequences  # noqa: E402  (needs the path above)
from sequences import Generate, Step  # noqa: E402

DOVECOT_SH = os.path.join(TESTS, "lib", "dovecot.sh")
FAKE_IMAPD = os.path.join(TESTS, "fake", "fake-imapd.py")
FAKE_SCENARIOS = os.path.join(TESTS, "fake", "scenarios")
FAKE_USER, FAKE_PASS = "imapdiff", "secret"
SAMPLE_MAIL = os.path.join(TESTS, "lib", "sample-mail.py")
SYNC = "@@imapdiff-sync-%d"
# A script's errors name their input line ("line 12: error: ..."); the
# number is dropped, since imaplib has none.
SYNC_RE = re.compile(
    r"^(?:line \d+: )?error: unknown command '@@imapdiff-sync-(\d+)'")
EXC_RE = re.compile(r"^(?:line \d+: )?(error|abort|readonly): (.*)$", re.S)
TIMEOUT = int(os.environ.get("IMAPDIFF_TIMEOUT", "120"))


class Usage(Exception):
    """A usage or environment error: exit status 2."""


# --- the server side: users and mail ------------------------------------

def env(name):
    value = os.environ.get(name)
    if not value:
        raise Usage("%s is not set: run under tests/run (or source "
                    "tests/lib/dovecot.sh and dovecot_start DIR)" % name)
    return value


def add_users(seq_name):
    """Add users A and B, return ((name_a, name_b), password).

    The names differ in their last character only: the sample messages
    carry the user name (To:), so equal lengths give equal sizes.
    """
    stage = os.environ.get("IMAPSH_TEST_STAGE", "run")
    password = "pw-%08d" % random.randrange(10 ** 8)
    for attempt in range(20):
        base = "diff-%s-%s-%d-%d-" % (
            re.sub(r"[^A-Za-z0-9]", "", seq_name)[:20],
            re.sub(r"[^A-Za-z0-9-]", "", stage), os.getpid(),
            random.randrange(10 ** 6))
        names = (base + "a", base + "b")
        ok = True
        for name in names:
            proc = subprocess.run(
                ["bash", "-c", 'source "$1" && dovecot_add_user "$2" "$3"',
                 "_", DOVECOT_SH, name, password],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if proc.returncode != 0:
                if "exists" in proc.stdout:
                    ok = False
                    break
                raise Usage("dovecot_add_user %s: %s" % (name, proc.stdout))
        if ok:
            return names, password
    raise Usage("could not find free user names")


def deliver(user, count):
    if count <= 0:
        return
    proc = subprocess.run([sys.executable, SAMPLE_MAIL, "deliver", "-u", user,
                           "-n", str(count)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    if proc.returncode != 0:
        raise Usage("sample-mail.py deliver -u %s: %s" % (user, proc.stdout))


def subst(text, user, password):
    return text.replace("$USER", user).replace("$PASS", password)


# --- the fake server ---------------------------------------------------

class Fake:
    """fake-imapd.py playing one scenario for one connection."""

    def __init__(self, scenario):
        path = os.path.join(FAKE_SCENARIOS, scenario + ".txt")
        if not os.path.isfile(path):
            raise Usage("no fake scenario %s" % path)
        self.log = os.path.join(env("IMAPSH_TEST_DIR"), "imapdiff-fake-%d-%d"
                                ".log" % (os.getpid(),
                                          random.randrange(10 ** 6)))
        self.proc = subprocess.Popen(
            [sys.executable, FAKE_IMAPD, "--port", "0", "--once",
             "--timeout", str(TIMEOUT), "--linger", "1", "--log", self.log,
             path], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            text=True)
        line = self.proc.stdout.readline()
        if not line.strip().isdigit():
            self.proc.kill()
            self.proc.wait()
            raise Usage("fake-imapd.py did not start: %s" % self.read_log())
        self.port = int(line)

    def read_log(self):
        try:
            with open(self.log, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return "(no log)"

    def finish(self, client):
        """Wait for the fake; a list of problems (empty: scenario played)."""
        try:
            status = self.proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            status = self.proc.wait()
        self.proc.stdout.close()
        log = self.read_log()
        try:
            os.unlink(self.log)
        except OSError:
            pass
        if status == 0:
            return []
        return ["the fake server's scenario failed for %s (status %d); its "
                "log:\n%s" % (client, status, indent(log[-3000:]))]


# --- imaplib -----------------------------------------------------------

def run_imaplib(seq, host, port, user, password):
    """Run SEQ's steps through imaplib.

    Returns (steps, records): the concrete Step of every step run
    (generated ones included) and its record, ("result", (typ, data)) or
    (exception kind, str(exc)).
    """
    steps, records = [], []
    results = []            # what Generate functions see: the records

    M = imaplib.IMAP4(host, port, timeout=60)
    try:
        pending = list(seq.steps)
        while pending:
            step = pending.pop(0)
            if isinstance(step, Generate):
                pending[0:0] = list(step.func(results))
                continue
            code = "M." + subst(step.py, user, password)
            try:
                value = eval(code, {"M": M, "imaplib": imaplib})
                # A copy: select() returns imaplib's own EXISTS list,
                # which later responses would still append to.
                record = ("result", copy.deepcopy(value))
            except imaplib.IMAP4.readonly as e:
                record = ("readonly", str(e))
            except imaplib.IMAP4.abort as e:
                record = ("abort", str(e))
            except imaplib.IMAP4.error as e:
                record = ("error", str(e))
            except Exception as e:  # a bug in the step, or in imaplib
                record = ("exception", "%s: %s" % (type(e).__name__, e))
            steps.append(step)
            records.append(record)
            results.append(record)
    finally:
        try:
            M.shutdown()
        except Exception:
            pass
    return steps, records


# --- imapsh ------------------------------------------------------------

def imapsh_script(steps, user, password):
    lines = []
    for i, step in enumerate(steps):
        lines.append(SYNC % i)
        lines.append(subst(step.sh, user, password))
    lines.append(SYNC % len(steps))
    return "\n".join(lines) + "\n"


def run_imapsh(imapsh, steps, host, port, user, password):
    """Run the steps through imapsh; return (records, problems, raw)."""
    script = imapsh_script(steps, user, password)
    environ = dict(os.environ)
    environ.pop("IMAPSH_PASSWORD", None)
    environ["IMAPSH_HISTFILE"] = ""
    try:
        proc = subprocess.run([imapsh, host, str(port)], input=script.encode(),
                              stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, env=environ,
                              timeout=TIMEOUT)
    except subprocess.TimeoutExpired as e:
        return None, ["imapsh timed out after %d s" % TIMEOUT], \
            (e.stdout or b"").decode("utf-8", "replace")
    out = proc.stdout.decode("utf-8", "replace")
    problems = []
    if proc.returncode < 0 or proc.returncode > 3:
        problems.append("imapsh exited with status %d%s" % (
            proc.returncode, " (killed by a signal)"
            if proc.returncode < 0 else ""))
    records, more = split_output(out, len(steps))
    return records, problems + more, out


def split_output(out, nsteps):
    """Cut imapsh's merged output at the sync lines; parse each part."""
    segments = {}
    current = None
    preamble = []
    for line in out.split("\n"):
        if line.startswith("hint: "):
            continue        # advice after a result, not imaplib's
        m = SYNC_RE.match(line)
        if m:
            current = int(m.group(1))
            segments[current] = []
            continue
        if current is None:
            preamble.append(line)
        else:
            segments[current].append(line)
    problems = []
    if any(line.strip() for line in preamble):
        problems.append("output before the first step:\n" +
                        "\n".join(preamble))
    for i in range(nsteps + 1):
        if i not in segments:
            problems.append("no sync line %d in imapsh's output: it stopped "
                            "reading, or crashed" % i)
    trailing = segments.get(nsteps, [])
    if any(line.strip() for line in trailing):
        problems.append("output after the last step:\n" + "\n".join(trailing))
    records = []
    for i in range(nsteps):
        parsed = parse_segment(segments.get(i, []))
        if len(parsed) == 1:
            records.append(parsed[0])
        elif not parsed:
            records.append(("imapsh printed nothing", None))
        else:
            records.append(("imapsh printed %d results" % len(parsed),
                            parsed))
    return records, problems


def parse_segment(lines):
    """Parse one step's output into records.

    A block starts at a line that does not begin with a blank (pprint
    indents continuation lines).  Exception lines become (kind, text);
    other blocks are read with ast.literal_eval, joined with the next
    block while they do not parse; a line that is neither (such as the
    "usage: ..." after a usage error) continues the exception before it,
    or is kept as ("unparsed", text).
    """
    blocks = []
    for line in lines:
        if line == "":
            continue
        if line[0] in " \t" and blocks:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    records = []
    i = 0
    while i < len(blocks):
        text = "\n".join(blocks[i])
        m = EXC_RE.match(text)
        if m:
            records.append((m.group(1), m.group(2)))
            i += 1
            continue
        j, value = i, None
        while j < len(blocks):
            try:
                value = ast.literal_eval(text)
                break
            except (SyntaxError, ValueError, MemoryError, RecursionError):
                j += 1
                if j < len(blocks):
                    text += "\n" + "\n".join(blocks[j])
        if j < len(blocks):
            records.append(("result", value))
            i = j + 1
            continue
        text = "\n".join(blocks[i])
        if records and records[-1][0] in ("error", "abort", "readonly"):
            records[-1] = (records[-1][0], records[-1][1] + "\n" + text)
        else:
            records.append(("unparsed", text))
        i += 1
    return records


# --- normalisation and comparison --------------------------------------

UIDVALIDITY_RES = [
    re.compile(rb"UIDVALIDITY (\d+)"),
    re.compile(rb"\[(?:APPENDUID|COPYUID) (\d+) "),
]
TIMING_RE = re.compile(r"\((?:\d+\.\d+ \+ )*\d+\.\d+ secs\)")
INTERNALDATE_RE = re.compile(r'INTERNALDATE "[^"]*"')
TAG_RE = re.compile(r"\b[A-Z]{4}\d+\b")


def walk_strings(value):
    if isinstance(value, (str, bytes)):
        yield value
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from walk_strings(v)


def learn_uidvalidities(records):
    found = set()
    for kind, value in records:
        if kind != "result":
            continue
        for s in walk_strings(value):
            b = s if isinstance(s, bytes) else s.encode("utf-8", "replace")
            for r in UIDVALIDITY_RES:
                found.update(m.group(1).decode() for m in r.finditer(b))
        # response('UIDVALIDITY') -> ('UIDVALIDITY', [b'1795572943'])
        if (isinstance(value, tuple) and len(value) == 2 and
                value[0] == "UIDVALIDITY" and isinstance(value[1], list)):
            for item in value[1]:
                if isinstance(item, bytes) and item.isdigit():
                    found.add(item.decode())
    return found


class Normaliser:
    def __init__(self, user, uidvalidities):
        self.subs = [
            (re.compile(re.escape(user)), "<USER>"),
            (TIMING_RE, "(<secs>)"),
            (INTERNALDATE_RE, 'INTERNALDATE "<date>"'),
        ]
        if uidvalidities:
            self.subs.append((re.compile(r"\b(?:%s)\b" % "|".join(
                sorted(uidvalidities))), "<UIDVALIDITY>"))
        self.bsubs = [(re.compile(r.pattern.encode()), t.encode())
                      for r, t in self.subs]

    def value(self, v):
        if isinstance(v, str):
            for r, t in self.subs:
                v = r.sub(t, v)
            return v
        if isinstance(v, bytes):
            for r, t in self.bsubs:
                v = r.sub(t, v)
            return v
        if isinstance(v, list):
            return [self.value(x) for x in v]
        if isinstance(v, tuple):
            return tuple(self.value(x) for x in v)
        return v

    def record(self, record):
        kind, value = record
        value = self.value(value)
        if kind in ("error", "abort", "readonly") and isinstance(value, str):
            value = TAG_RE.sub("<TAG>", value)
        return (kind, value)


def show(record, limit=None):
    kind, value = record
    if kind == "result":
        text = pprint.pformat(value, width=100)
    elif kind in ("error", "abort", "readonly", "exception"):
        text = "%s: %s" % (kind, value)
    elif value is None:
        text = kind
    else:
        text = "%s: %s" % (kind, pprint.pformat(value, width=100))
    if limit is not None:
        lines = text.split("\n")
        if len(lines) > limit:
            text = "\n".join(lines[:limit] + ["... (%d more lines)" % (
                len(lines) - limit)])
    return text


def indent(text, prefix="    "):
    return "\n".join(prefix + line for line in text.split("\n"))


def report_mismatch(seq, i, step, py, sh, user_a, user_b, password):
    print("MISMATCH in sequence %s at step %d:" % (seq.name, i + 1))
    print("  imaplib: M.%s" % subst(step.py, user_a, password))
    if step.sh != step.py:
        print("  imapsh:  %s" % subst(step.sh, user_b, password).replace(
            "\n", "\n           "))
    else:
        print("  imapsh:  (the same line)")
    if step.note:
        print("  note:    %s" % step.note)
    print("imaplib gave (normalised):")
    print(indent(show(py, 40)))
    print("imapsh gave (normalised):")
    print(indent(show(sh, 40)))
    a = show(py).split("\n")
    b = show(sh).split("\n")
    diff = list(difflib.unified_diff(a, b, "imaplib", "imapsh", lineterm="",
                                     n=2))
    if diff:
        print("diff (- imaplib, + imapsh):")
        if len(diff) > 80:
            diff = diff[:80] + ["... (%d more diff lines)" % (len(diff) - 80)]
        print(indent("\n".join(diff)))


def sabotage(records, n):
    """Alter imapsh's record of step N (1-based) in a way that must show."""
    if not 1 <= n <= len(records):
        raise Usage("--sabotage %d: the sequence has %d steps" % (
            n, len(records)))
    kind, value = records[n - 1]
    if kind == "result" and isinstance(value, tuple) and len(value) == 2 \
            and isinstance(value[1], list):
        value = (value[0], value[1] + [b"sabotaged by imapdiff"])
    elif isinstance(value, str):
        value += " (sabotaged by imapdiff)"
    else:
        kind = "sabotaged"
    records[n - 1] = (kind, value)


def run_sequence(seq, imapsh, host, port, verbose, sabotage_step,
                 keep_going):
    started = time.monotonic()
    if seq.fake:
        (user_a, user_b), password = (FAKE_USER, FAKE_USER), FAKE_PASS
        fake = Fake(seq.fake)
        try:
            steps, py_records = run_imaplib(seq, "127.0.0.1", fake.port,
                                            user_a, password)
        finally:
            fake_problems = fake.finish("imaplib")
        fake = Fake(seq.fake)
        try:
            sh_records, problems, raw = run_imapsh(
                imapsh, steps, "127.0.0.1", fake.port, user_b, password)
        finally:
            fake_problems += fake.finish("imapsh")
        problems = (problems or []) + fake_problems
    else:
        (user_a, user_b), password = add_users(seq.name)
        deliver(user_a, seq.deliver)
        deliver(user_b, seq.deliver)

        steps, py_records = run_imaplib(seq, host, port, user_a, password)
        sh_records, problems, raw = run_imapsh(imapsh, steps, host, port,
                                               user_b, password)
    if sh_records is None:
        print("FAIL %s: %s" % (seq.name, "; ".join(problems)))
        print(indent(raw[-3000:]))
        return False
    if sabotage_step:
        sabotage(sh_records, sabotage_step)

    norm_a = Normaliser(user_a, learn_uidvalidities(py_records))
    norm_b = Normaliser(user_b, learn_uidvalidities(sh_records))
    ok = True
    for i, step in enumerate(steps):
        py = norm_a.record(py_records[i])
        sh = norm_b.record(sh_records[i])
        if verbose:
            print("step %d: %s" % (i + 1, subst(step.py, user_a, password)))
            print(indent(show(py, 12)))
        if py != sh:
            report_mismatch(seq, i, step, py, sh, user_a, user_b, password)
            ok = False
            if not keep_going:
                break
    if ok and problems:
        ok = False
    for p in problems:
        print("PROBLEM in sequence %s: %s" % (seq.name, p))
    elapsed = time.monotonic() - started
    if ok:
        print("ok %s: %d steps match (%.1f s)" % (seq.name, len(steps),
                                                  elapsed))
    else:
        print("FAIL %s (%.1f s; users %s and %s)" % (
            seq.name, elapsed, user_a, user_b))
    return ok


def main():
    ap = argparse.ArgumentParser(
        description="Compare imapsh with Python's imaplib, step by step.")
    ap.add_argument("sequences", nargs="*", metavar="SEQUENCE",
                    help='sequence names from sequences.py, or "all"')
    ap.add_argument("--list", action="store_true",
                    help="list the sequences and exit")
    ap.add_argument("--imapsh", default=os.environ.get("IMAPSH"),
                    help="the imapsh binary (default: $IMAPSH)")
    ap.add_argument("--sabotage", type=int, metavar="N",
                    default=int(os.environ.get("IMAPDIFF_SABOTAGE") or 0),
                    help="alter imapsh's result of step N (self-check)")
    ap.add_argument("-k", "--keep-going", action="store_true",
                    help="report every mismatching step, not the first only")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="print every step's normalised imaplib result")
    args = ap.parse_args()

    by_name = {s.name: s for s in sequences.SEQUENCES}
    if args.list:
        for s in sequences.SEQUENCES:
            print("%-24s %s%s" % (s.name, s.doc,
                                  " (self-check)" if s.selfcheck else ""))
        return 0
    if not args.sequences:
        ap.error("name at least one sequence (--list lists them)")
    chosen = []
    for name in args.sequences:
        if name == "all":
            chosen += [s for s in sequences.SEQUENCES if not s.selfcheck]
        elif name in by_name:
            chosen.append(by_name[name])
        else:
            ap.error("no sequence %r (--list lists them)" % name)
    try:
        if not args.imapsh or not os.access(args.imapsh, os.X_OK):
            raise Usage("imapsh binary %r is not executable: set IMAPSH or "
                        "use --imapsh" % args.imapsh)
        host = env("IMAPSH_TEST_HOST")
        port = int(env("IMAPSH_TEST_PORT"))
        env("IMAPSH_TEST_DIR")
        ok = True
        for seq in chosen:
            ok = run_sequence(seq, args.imapsh, host, port, args.verbose,
                              args.sabotage, args.keep_going) and ok
    except Usage as e:
        print("imapdiff.py: %s" % e, file=sys.stderr)
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
