#!/usr/bin/env python3
r"""tests/fake/fake-imapd.py: a scripted fake IMAP server for imapsh's tests.

It plays one scenario per connection: hostile or quirky server behaviour no
real server produces, checked line by line against what the client sends.
A mismatch ends the connection and the exit status says so, with expected
and actual bytes on the log.

usage: fake-imapd.py [options] SCENARIO

  --port N          listen on 127.0.0.1 port N (default 0: any free port);
                    the port is the first line on stdout
  --stdio           serve one connection on stdin/stdout instead (for
                    imapsh -s 'command'); implies --once
  --tls             implicit TLS from the first byte (needs --cert, --key)
  --cert FILE, --key FILE
                    server certificate and key for --tls and STARTTLS
  --client-ca FILE  ask for a client certificate (not required) and verify
                    it against FILE; see CLIENT_CERT
  --once            serve one connection, then exit (same as --count 1)
  --count N         serve N connections, one after another, then exit;
                    each plays the scenario from the top.  Without --once
                    or --count: serve until the timeout, then exit
  --timeout S       give up after S seconds in all (default 10): the fake
                    never hangs a test
  --linger S        after the scenario, wait up to S seconds (default 2)
                    for the client to leave (see "End of a scenario")
  --transcript FILE append every byte the client sends, as received
                    (after TLS decryption), to FILE
  --log FILE        the log (what was sent and received, and why the
                    scenario failed) goes to FILE instead of stderr
  --status-file FILE  write the exit status to FILE when done (for
                    --stdio, where nobody waits for the process)

Exit status: 0 every connection played the scenario to its end; 1 a
scenario failed (the client sent something else, closed early, ...); 2 bad
usage or scenario file; 3 timed out (no connection, or the client went
silent).

Scenario files
--------------
UTF-8 text, one directive per line.  Blank lines and lines starting with
"#" are ignored.  Trailing white space is kept (write \x20 to make it
visible).

  S: TEXT       send TEXT and CRLF, in one write.  A single "\" at the end
                of the line means: no CRLF.  "S:" alone sends a bare CRLF.
                With \r\n inside, several lines go in one write (what an
                injection looks like: "S: {TAG} OK Begin TLS\r\n* OK x").
  C: TEXT       expect the client's next line (CRLF-terminated; a bare LF
                fails) to be exactly TEXT (without its CRLF)
  C: re:REGEX   ... to match the Python regex REGEX as a whole (bytes)
  C: <literal N>  expect exactly N bytes (the data of a literal), not a
                line; "C: <literal N> TEXT" also checks that they are TEXT
  SLEEP S       wait S seconds (a float)
  SPLIT         send the next S: one byte per write, 5 ms apart
  BIGSEND N TEXT  send N bytes of TEXT repeated (cut at N), no CRLF
  STARTTLS      start TLS now, as the server, with --cert/--key.  Fails
                if the client sent anything after the line that asked for
                it (plaintext pipelined past STARTTLS).
  STARTTLS fail the client must refuse the TLS handshake (or close):
                the scenario ends there
  CLOSE         close the connection now (TLS close_notify first) and end
                the scenario
  CLOSE abrupt  close the socket without TLS close_notify (truncation)
  RESET         close with a TCP reset (not with --stdio)
  EXPECT_EOF    the client must close the connection now, sending nothing
                more; ends the scenario
  EXPECT_CLOSE  the client must leave now: close, or send LOGOUT (answered
                with BYE and OK) and close; anything else fails (say, a
                LOGIN after a refused STARTTLS); ends the scenario
  CLIENT_CERT NAME  the client presented, in this TLS session, a valid
                certificate (see --client-ca) whose CN is NAME;
                "CLIENT_CERT none": it presented none
  CAPS WORDS... from now on, answer a CAPABILITY command that no C: line
                expects with "* CAPABILITY WORDS" and OK (a client may or
                may not ask again when the greeting had the list); "CAPS"
                alone stops that
  SCRAM MECH PASSWORD [OPTION...]
                the server side of a whole SCRAM exchange: MECH is sha1 or
                sha256.  Reads "TAG AUTHENTICATE SCRAM-SHA-..." (with or
                without an initial response), sends the server-first
                message, reads the client-final message, checks the proof
                (a wrong proof sends NO and fails), and sends the server
                signature as a "+" challenge.  The scenario goes on with
                the client's answer to it and the tagged reply.  OPTIONs:
                bad-signature (a wrong server signature), no-signature
                (none at all: go straight on to the tagged reply),
                user=NAME (the client must authenticate as NAME),
                iterations=N (default 4096)

In TEXT, backslash escapes: \r \n \t \0 \e (ESC) \\ \xHH \{ \}.  A backslash
before anything else stays as it is, so IMAP flags need no quoting
(\Seen, \HasNoChildren; they are capitalised, the escapes are not).  Other
bytes go as they are (UTF-8).  In re:REGEX the escapes are the regex's:
write \\Seen there.
Placeholders, in braces (anything else in braces, such as a literal's
{12}, is plain text):

  {TAG}, {TAG2}, ...  in C: the client's tag, captured (a tag is 1*<any
                ASTRING-CHAR except "+">); in S: the last one captured
  {PORT}        the port the fake listens on
  {B64:TEXT}    TEXT (escapes and placeholders allowed) base64-encoded
  {B64RE:REGEX} C: only: a base64 word that decodes to bytes matching
                REGEX as a whole

End of a scenario
-----------------
After the last directive (unless it closed the connection) the fake shuts
down its sending side only after a grace period: for --linger seconds it
answers LOGOUT with "* BYE" and OK (CAPABILITY too, if CAPS is on), other
commands with BAD, and closes when the client does.  Those bytes go to the
transcript but do not decide the exit status.

Example:

  S: * OK [CAPABILITY IMAP4rev1 STARTTLS] fake ready
  C: {TAG} STARTTLS
  S: {TAG} OK Begin TLS negotiation now
  STARTTLS
  C: {TAG} CAPABILITY
  S: * CAPABILITY IMAP4rev1 AUTH=PLAIN
  S: {TAG} OK done
"""

import argparse
import base64
import hashlib
import hmac
import os
import re
import select
import signal
import socket
import ssl
import sys
import time

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_TIMEOUT = 0, 1, 2, 3
MAX_LINE = 1 << 20
TAG_RE = rb'[^\x00-\x20\x7f(){%*"\\\]+]+'
PLACEHOLDER_RE = re.compile(r"\{(TAG\d*|PORT|B64:|B64RE:)")


class ScenarioError(Exception):
    """A bad scenario file or command line: exit 2."""


class Fail(Exception):
    """The client did not play along: exit 1."""
    status = EXIT_FAIL


class Timeout(Fail):
    status = EXIT_TIMEOUT


class Logger:
    def __init__(self, path):
        self.f = open(path, "a", buffering=1) if path else sys.stderr

    def __call__(self, msg):
        self.f.write("%s %s\n" % (time.strftime("%H:%M:%S"), msg))
        self.f.flush()


log = Logger(None)


# ---------------------------------------------------------------------------
# Text: escapes and placeholders.

ESCAPES = {"r": b"\r", "n": b"\n", "t": b"\t", "0": b"\0", "e": b"\x1b",
           "\\": b"\\", "{": b"{", "}": b"}"}


def unescape(text, where):
    """TEXT with backslash escapes -> bytes.  A backslash that starts no
    escape is kept (IMAP's \\Seen)."""
    out = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        e = text[i + 1] if c == "\\" and i + 1 < len(text) else ""
        if e in ESCAPES and e:
            out += ESCAPES[e]
            i += 2
        elif e == "x" and re.fullmatch(r"[0-9A-Fa-f]{2}", text[i + 2:i + 4]):
            out.append(int(text[i + 2:i + 4], 16))
            i += 4
        else:
            out += c.encode("utf-8")
            i += 1
    return bytes(out)


def show(data, limit=160):
    """repr() of bytes, cut to LIMIT bytes with the full length said."""
    if len(data) <= limit:
        return repr(data)
    return "%r... (%d bytes)" % (data[:limit], len(data))


def tokenize(text, where):
    """Split TEXT into ("lit", str), ("tag", name), ("port",),
    ("b64", [parts]) and ("b64re", [parts]).  A backslash protects the next
    character from being read as the start of a placeholder."""
    parts, lit, i = [], [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            lit.append(text[i:i + 2])
            i += 2
            continue
        m = PLACEHOLDER_RE.match(text, i) if c == "{" else None
        if not m:
            lit.append(c)
            i += 1
            continue
        if lit:
            parts.append(("lit", "".join(lit)))
            lit = []
        name = m.group(1)
        if name.startswith("B64"):
            # To the matching brace, escapes skipped.
            depth, j = 1, m.end()
            while j < len(text) and depth:
                if text[j] == "\\":
                    j += 2
                    continue
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
            if depth:
                raise ScenarioError("%s: unterminated {%s" % (where, name))
            inner = tokenize(text[m.end():j - 1], where)
            parts.append(("b64" if name == "B64:" else "b64re", inner))
            i = j
        else:
            end = text.find("}", m.end())
            parts.append(("port",) if name == "PORT" else ("tag", name))
            i = end + 1
    if lit:
        parts.append(("lit", "".join(lit)))
    return parts


class Context:
    """What placeholders refer to, for one connection."""

    def __init__(self, port):
        self.port = port
        self.tags = {}

    def tag(self, name, where):
        if name not in self.tags:
            raise Fail("%s: {%s} used before a C: line captured it"
                       % (where, name))
        return self.tags[name]


def render(parts, ctx, where):
    """Parts of an S: line (or of {B64:...}) -> bytes."""
    out = b""
    for p in parts:
        if p[0] == "lit":
            out += unescape(p[1], where)
        elif p[0] == "tag":
            out += ctx.tag(p[1], where)
        elif p[0] == "port":
            out += str(ctx.port).encode()
        elif p[0] == "b64":
            out += base64.b64encode(render(p[1], ctx, where))
        else:
            raise ScenarioError("%s: {B64RE:...} is only for C: lines"
                                % where)
    return out


def to_regex(parts, ctx, where, is_regex, b64res, seen):
    """Parts of a C: line -> a bytes regex.  {TAG}s become groups (a
    second use in the line must be the same tag); {B64RE:R} becomes a group
    _b64N whose decoded value must match R (collected in b64res)."""
    out = b""
    for p in parts:
        if p[0] == "lit":
            if is_regex:
                out += p[1].encode("utf-8")
            else:
                out += re.escape(unescape(p[1], where))
        elif p[0] == "tag":
            name = p[1].encode()
            if name in seen:
                out += b"(?P=" + name + b")"
            else:
                seen.add(name)
                out += b"(?P<" + name + b">" + TAG_RE + b")"
        elif p[0] == "port":
            out += str(ctx.port).encode()
        elif p[0] == "b64":
            out += re.escape(base64.b64encode(render(p[1], ctx, where)))
        else:
            sub = b""
            for q in p[1]:
                if q[0] == "lit":
                    sub += q[1].encode("utf-8")
                elif q[0] == "tag":
                    sub += re.escape(ctx.tag(q[1], where))
                elif q[0] == "port":
                    sub += str(ctx.port).encode()
                else:
                    raise ScenarioError("%s: {B64...} inside {B64RE:...}"
                                        % where)
            name = "_b64%d" % len(b64res)
            b64res.append((name, sub))
            out += b"(?P<" + name.encode() + b">[A-Za-z0-9+/]*={0,2})"
    return out


# ---------------------------------------------------------------------------
# The scenario file.

class Step:
    def __init__(self, lineno, kind, arg, source):
        self.lineno, self.kind, self.arg, self.source = \
            lineno, kind, arg, source

    def where(self, scenario):
        return "%s:%d" % (os.path.basename(scenario), self.lineno)


def parse_scenario(path):
    try:
        with open(path, encoding="utf-8", newline="") as f:
            raw = f.read()
    except OSError as e:
        raise ScenarioError("%s: %s" % (path, e.strerror))
    steps = []
    name = os.path.basename(path)
    for n, line in enumerate(raw.split("\n"), 1):
        line = line[:-1] if line.endswith("\r") else line
        where = "%s:%d" % (name, n)
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith(("S:", "C:")):
            kind, arg = line[0], line[2:]
            if arg.startswith(" "):
                arg = arg[1:]
            if kind == "S":
                # An odd number of trailing backslashes: no CRLF.
                nback = len(arg) - len(arg.rstrip("\\"))
                crlf = nback % 2 == 0
                if not crlf:
                    arg = arg[:-1]
                arg = (tokenize(arg, where), crlf)
                if any(p[0] == "b64re" for p in arg[0]):
                    raise ScenarioError("%s: {B64RE:...} in an S: line"
                                        % where)
            else:
                m = re.fullmatch(r"<literal (\d+)>(?: (.*))?", arg, re.S)
                if m:
                    kind = "LITERAL"
                    arg = (int(m.group(1)), None if m.group(2) is None
                           else unescape(m.group(2), where))
                elif arg.startswith("re:"):
                    arg = (tokenize(arg[3:], where), True)
                    try:
                        re.compile(to_regex(arg[0], Context(1), where,
                                            True, [], set()))
                    except re.error as e:
                        raise ScenarioError("%s: bad regex: %s" % (where, e))
                    except Fail:
                        pass
                else:
                    arg = (tokenize(arg, where), False)
            steps.append(Step(n, kind, arg, line))
            continue
        words = line.split()
        kind, args = words[0], words[1:]
        if kind == "SLEEP" and len(args) == 1:
            try:
                arg = float(args[0])
            except ValueError:
                raise ScenarioError("%s: SLEEP needs seconds" % where)
        elif kind == "SPLIT" and not args:
            arg = None
        elif kind == "BIGSEND" and len(args) >= 2 and args[0].isdigit():
            pattern = line.split(None, 2)[2]
            arg = (int(args[0]), unescape(pattern, where))
            if not arg[1]:
                raise ScenarioError("%s: BIGSEND needs a pattern" % where)
        elif kind == "STARTTLS" and args in ([], ["fail"]):
            arg = bool(args)
        elif kind == "CLOSE" and args in ([], ["abrupt"]):
            arg = bool(args)
        elif kind in ("RESET", "EXPECT_EOF", "EXPECT_CLOSE") and not args:
            arg = None
        elif kind == "CLIENT_CERT" and len(args) == 1:
            arg = args[0]
        elif kind == "CAPS":
            arg = " ".join(args).encode()
        elif kind == "SCRAM" and len(args) >= 2 and \
                args[0] in ("sha1", "sha256"):
            arg = {"hash": args[0], "password": args[1], "signature": "good",
                   "user": None, "iterations": 4096}
            for opt in args[2:]:
                if opt in ("bad-signature", "no-signature"):
                    arg["signature"] = opt.split("-")[0]
                elif opt.startswith("user="):
                    arg["user"] = opt[5:]
                elif re.fullmatch(r"iterations=\d+", opt):
                    arg["iterations"] = int(opt[11:])
                else:
                    raise ScenarioError("%s: unknown SCRAM option %s"
                                        % (where, opt))
        else:
            raise ScenarioError("%s: cannot parse: %s" % (where, line))
        steps.append(Step(n, kind, arg, line))
    for i, st in enumerate(steps):
        ends = st.kind in ("CLOSE", "RESET", "EXPECT_EOF",
                           "EXPECT_CLOSE") or \
            (st.kind == "STARTTLS" and st.arg)
        if ends and i != len(steps) - 1:
            raise ScenarioError("%s: %s ends the scenario, but more follows"
                                % (st.where(path), st.source.strip()))
    if not steps:
        raise ScenarioError("%s: no directives" % path)
    return steps


# ---------------------------------------------------------------------------
# Connections: a raw byte pipe (socket or stdio), optionally under TLS
# (memory BIOs, so both kinds work alike).

class Deadline:
    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def left(self):
        return self.end - time.monotonic()


class RawSocket:
    def __init__(self, sock):
        self.sock = sock
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def recv(self, deadline, what):
        left = deadline.left()
        if left <= 0:
            raise Timeout("timed out waiting for %s" % what)
        self.sock.settimeout(left)
        try:
            return self.sock.recv(65536)
        except socket.timeout:
            raise Timeout("timed out waiting for %s" % what)
        except ConnectionResetError:
            return b""

    def send(self, data):
        self.sock.settimeout(10)
        self.sock.sendall(data)

    def shutdown_write(self):
        try:
            self.sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def reset(self):
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                             b"\x01\x00\x00\x00\x00\x00\x00\x00")
        self.sock.close()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


class RawStdio:
    def __init__(self):
        self.rfd, self.wfd = sys.stdin.fileno(), sys.stdout.fileno()

    def recv(self, deadline, what):
        left = deadline.left()
        if left <= 0:
            raise Timeout("timed out waiting for %s" % what)
        r, _, _ = select.select([self.rfd], [], [], left)
        if not r:
            raise Timeout("timed out waiting for %s" % what)
        try:
            return os.read(self.rfd, 65536)
        except OSError:
            return b""

    def send(self, data):
        while data:
            n = os.write(self.wfd, data)
            data = data[n:]

    def shutdown_write(self):
        try:
            os.close(self.wfd)
        except OSError:
            pass
        self.wfd = -1

    def reset(self):
        raise Fail("RESET is not possible on stdio")

    def close(self):
        self.shutdown_write()


class TLS:
    def __init__(self, raw, ctx):
        self.raw = raw
        self.inc, self.out = ssl.MemoryBIO(), ssl.MemoryBIO()
        self.obj = ctx.wrap_bio(self.inc, self.out, server_side=True)

    def flush(self):
        data = self.out.read()
        if data:
            self.raw.send(data)

    def handshake(self, deadline):
        while True:
            try:
                self.obj.do_handshake()
                self.flush()
                return
            except ssl.SSLWantReadError:
                self.flush()
                data = self.raw.recv(deadline, "the TLS handshake")
                if not data:
                    raise EOFError("client closed during the TLS handshake")
                self.inc.write(data)

    def recv(self, deadline, what):
        while True:
            try:
                data = self.obj.read(65536)
                self.flush()
                return data
            except ssl.SSLWantReadError:
                self.flush()
                data = self.raw.recv(deadline, what)
                if not data:
                    return b""
                self.inc.write(data)
            except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
                return b""

    def send(self, data):
        self.obj.write(data)
        self.flush()

    def close_notify(self):
        try:
            self.obj.unwrap()
        except ssl.SSLError:
            pass
        try:
            self.flush()
        except OSError:
            pass


class Conn:
    """One client: line reading, sending, TLS, transcript."""

    def __init__(self, raw, transcript, deadline):
        self.raw, self.io, self.tls = raw, raw, None
        self.buf = b""
        self.transcript = transcript
        self.deadline = deadline
        self.eof = False
        self.send_error = None

    def _fill(self, what):
        data = self.io.recv(self.deadline, what)
        if not data:
            self.eof = True
            return False
        if self.transcript:
            self.transcript.write(data)
            self.transcript.flush()
        self.buf += data
        return True

    def readline(self, what):
        """A line with its terminator; b"" on EOF (partial line in buf)."""
        while b"\n" not in self.buf:
            if len(self.buf) > MAX_LINE:
                raise Fail("client line longer than %d bytes" % MAX_LINE)
            if self.eof or not self._fill(what):
                return b""
        i = self.buf.index(b"\n") + 1
        line, self.buf = self.buf[:i], self.buf[i:]
        return line

    def readbytes(self, n, what):
        while len(self.buf) < n:
            if self.eof or not self._fill(what):
                return None
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def send(self, data, split=False):
        log("S: %s" % show(data, 2000))
        try:
            if split:
                for i in range(len(data)):
                    self.io.send(data[i:i + 1])
                    time.sleep(0.005)
            else:
                self.io.send(data)
        except (OSError, ssl.SSLError) as e:
            raise Fail("client gone while sending: %s" % e)

    def starttls(self, ctx):
        if self.buf:
            raise Fail("client sent data before the TLS handshake "
                       "(pipelined past STARTTLS): %s" % show(self.buf))
        self.tls = TLS(self.raw, ctx)
        self.io = self.tls
        self.tls.handshake(self.deadline)
        log("TLS established: %s %s" % (self.tls.obj.version(),
                                        self.tls.obj.cipher()[0]))

    def close(self, notify=True, linger=0.5):
        """Close gracefully: close_notify, FIN, then read (and record)
        until the client closes too, or LINGER seconds."""
        if self.tls and notify:
            self.tls.close_notify()
        self.raw.shutdown_write()
        end = Deadline(linger)
        try:
            while not self.eof and end.left() > 0:
                self.buf = b""
                data = self.raw.recv(end, "EOF") if self.tls \
                    else self.io.recv(end, "EOF")
                if not data:
                    break
                if not self.tls and self.transcript:
                    self.transcript.write(data)
        except (Fail, OSError, ssl.SSLError):
            pass
        self.raw.close()
        self.eof = True


# ---------------------------------------------------------------------------
# Playing a scenario.

class Player:
    def __init__(self, args, steps, port):
        self.args, self.steps = args, steps
        self.ctx = Context(port)
        self.caps = b""
        self.split = False

    def tls_context(self):
        if not self.args.cert or not self.args.key:
            raise Fail("STARTTLS/--tls needs --cert and --key")
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(self.args.cert, self.args.key)
        if self.args.client_ca:
            ctx.verify_mode = ssl.CERT_OPTIONAL
            ctx.load_verify_locations(self.args.client_ca)
        return ctx

    def client_line(self, conn, st, what):
        """The next client line, CAPABILITY answered when CAPS is on and
        the step does not want it; Fail on EOF or a bare LF."""
        while True:
            line = conn.readline(what)
            if not line:
                raise Fail("%s: client closed the connection; expected: %s%s"
                           % (st.where(self.args.scenario), what,
                              "\n  unterminated: %r" % conn.buf
                              if conn.buf else ""))
            log("C: %s" % show(line, 2000))
            if not line.endswith(b"\r\n"):
                raise Fail("%s: client line ends in a bare LF: %s"
                           % (st.where(self.args.scenario), show(line)))
            body = line[:-2]
            m = re.fullmatch(rb"(" + TAG_RE + rb") CAPABILITY", body, re.I)
            if m and self.caps and not self.step_wants(st, body):
                conn.send(b"* CAPABILITY " + self.caps + b"\r\n" +
                          m.group(1) + b" OK Capability completed.\r\n")
                continue
            return body

    def step_wants(self, st, body):
        if st.kind != "C":
            return False
        try:
            return self.match(st, body, dry=True)
        except Fail:
            return False

    def match(self, st, body, dry=False):
        where = st.where(self.args.scenario)
        parts, is_regex = st.arg
        b64res = []
        rx = to_regex(parts, self.ctx, where, is_regex, b64res, set())
        m = re.fullmatch(rx, body, re.S)
        if not m:
            if dry:
                return False
            raise Fail("%s: client line does not match\n  expected: %s\n"
                       "  got:      %s" % (where, st.source[2:].strip(),
                                           show(body)))
        for name, sub in b64res:
            try:
                decoded = base64.b64decode(m.group(name), validate=True)
            except ValueError:
                decoded = None
            if decoded is None or not re.fullmatch(sub, decoded, re.S):
                if dry:
                    return False
                raise Fail("%s: base64 word does not decode as expected\n"
                           "  expected: %s\n  got:      %r (%r)"
                           % (where, sub.decode("utf-8", "replace"),
                              m.group(name), decoded))
        if not dry:
            for k, v in m.groupdict().items():
                if k.startswith("TAG"):
                    self.ctx.tags[k] = v
        return True

    def play(self, conn):
        for st in self.steps:
            self.step(conn, st)

    def step(self, conn, st):
        where = st.where(self.args.scenario)
        k = st.kind
        if k == "S":
            data = render(st.arg[0], self.ctx, where)
            conn.send(data + (b"\r\n" if st.arg[1] else b""), self.split)
            self.split = False
        elif k == "C":
            body = self.client_line(conn, st, st.source[2:].strip())
            self.match(st, body)
        elif k == "LITERAL":
            n, want = st.arg
            data = conn.readbytes(n, "a literal of %d bytes" % n)
            if data is None:
                raise Fail("%s: client closed in a literal of %d bytes, "
                           "after %r" % (where, n, conn.buf))
            log("C: %s" % show(data, 2000))
            if want is not None and data != want:
                raise Fail("%s: literal differs\n  expected: %r\n"
                           "  got:      %r" % (where, want, data))
        elif k == "SLEEP":
            time.sleep(max(0, min(st.arg, conn.deadline.left())))
        elif k == "SPLIT":
            self.split = True
        elif k == "BIGSEND":
            n, pattern = st.arg
            data = (pattern * (n // len(pattern) + 1))[:n]
            log("S: %d bytes of %r" % (n, pattern))
            try:
                conn.io.send(data)
            except (OSError, ssl.SSLError) as e:
                raise Fail("%s: client gone during BIGSEND: %s" % (where, e))
        elif k == "STARTTLS":
            try:
                conn.starttls(self.tls_context())
            except (EOFError, ssl.SSLError, OSError) as e:
                if st.arg:
                    log("TLS handshake failed, as the scenario wants: %s" % e)
                    conn.eof = True
                    conn.raw.close()
                    return
                raise Fail("%s: TLS handshake failed: %s" % (where, e))
            if st.arg:
                raise Fail("%s: the client accepted the TLS handshake, the "
                           "scenario wants it refused" % where)
        elif k == "CLOSE":
            log("closing%s" % (" (abrupt)" if st.arg else ""))
            conn.close(notify=not st.arg)
        elif k == "RESET":
            log("resetting the connection")
            conn.raw.reset()
            conn.eof = True
        elif k == "EXPECT_EOF":
            try:
                line = conn.readline("EOF")
            except (OSError, ssl.SSLError):
                line = b""
            if line or conn.buf:
                raise Fail("%s: expected the client to close, got %s"
                           % (where, show(line + conn.buf)))
            log("client closed, as expected")
            conn.close(linger=0)
        elif k == "EXPECT_CLOSE":
            self.expect_close(conn, st)
        elif k == "CLIENT_CERT":
            cert = conn.tls.obj.getpeercert() if conn.tls else None
            cn = None
            for rdn in (cert or {}).get("subject", ()):
                for key, value in rdn:
                    if key == "commonName":
                        cn = value
            log("client certificate: %s" % (cn or "none"))
            if (cn or "none") != st.arg:
                raise Fail("%s: client certificate CN %s, expected %s%s"
                           % (where, cn or "none", st.arg,
                              "" if self.args.client_ca or not conn.tls
                              else " (no --client-ca: none was asked for)"))
        elif k == "CAPS":
            self.caps = st.arg
        elif k == "SCRAM":
            self.scram(conn, st)

    def expect_close(self, conn, st):
        where = st.where(self.args.scenario)
        try:
            line = conn.readline("the client to leave")
        except (OSError, ssl.SSLError):
            line = b""
        if line:
            log("C: %s" % show(line, 2000))
            m = re.fullmatch(rb"(" + TAG_RE + rb") LOGOUT\r\n", line, re.I)
            if not m:
                raise Fail("%s: the client should have left, but sent %s"
                           % (where, show(line)))
            conn.send(b"* BYE fake-imapd logging out\r\n" + m.group(1) +
                      b" OK Logout completed.\r\n")
            log("client logged out, as allowed")
            conn.close()
            return
        elif conn.buf:
            raise Fail("%s: the client should have left, but sent %s"
                       % (where, show(conn.buf)))
        log("client left, as expected")
        conn.close(linger=0)

    def scram(self, conn, st):
        where = st.where(self.args.scenario)
        opt = st.arg
        hname = opt["hash"]
        mech = {"sha1": b"SCRAM-SHA-1", "sha256": b"SCRAM-SHA-256"}[hname]
        body = self.client_line(conn, st, "TAG AUTHENTICATE %s" % mech)
        m = re.fullmatch(rb"(" + TAG_RE + rb") AUTHENTICATE " + mech +
                         rb"(?: (\S+))?", body, re.I)
        if not m:
            raise Fail("%s: expected AUTHENTICATE %s, got %r"
                       % (where, mech.decode(), body))
        self.ctx.tags["TAG"] = m.group(1)
        first = m.group(2)
        if first is None:
            conn.send(b"+ \r\n")
            first = self.client_line(conn, st, "the SCRAM client-first")
        cfirst = self.b64(first, where, "client-first")
        mm = re.fullmatch(rb"([ny]),(a=[^,]*)?,(n=([^,]*),r=([^,]+)(,.*)?)",
                          cfirst, re.S)
        if not mm:
            raise Fail("%s: bad SCRAM client-first message %r"
                       % (where, cfirst))
        gs2 = cfirst[:len(cfirst) - len(mm.group(3))]
        bare, user, cnonce = mm.group(3), mm.group(4), mm.group(5)
        user = user.replace(b"=2C", b",").replace(b"=3D", b"=")
        if opt["user"] is not None and user != opt["user"].encode():
            raise Fail("%s: SCRAM user %r, expected %r"
                       % (where, user, opt["user"]))
        nonce = cnonce + base64.b64encode(os.urandom(12))
        salt = b"fake-imapd salt!"
        sfirst = b"r=%s,s=%s,i=%d" % (nonce, base64.b64encode(salt),
                                      opt["iterations"])
        log("SCRAM server-first: %r" % sfirst)
        conn.send(b"+ " + base64.b64encode(sfirst) + b"\r\n")
        final = self.client_line(conn, st, "the SCRAM client-final")
        if final == b"*":
            raise Fail("%s: client cancelled SCRAM after server-first" % where)
        cfinal = self.b64(final, where, "client-final")
        mm = re.fullmatch(rb"(c=([^,]*),r=([^,]*)(?:,.*)?),p=([^,]+)", cfinal,
                          re.S)
        if not mm:
            raise Fail("%s: bad SCRAM client-final message %r"
                       % (where, cfinal))
        if mm.group(2) != base64.b64encode(gs2) or mm.group(3) != nonce:
            raise Fail("%s: SCRAM client-final has the wrong channel binding "
                       "or nonce: %r" % (where, cfinal))
        h = getattr(hashlib, hname)
        salted = hashlib.pbkdf2_hmac(hname, opt["password"].encode(), salt,
                                     opt["iterations"])
        ckey = hmac.new(salted, b"Client Key", h).digest()
        auth = bare + b"," + sfirst + b"," + mm.group(1)
        csig = hmac.new(h(ckey).digest(), auth, h).digest()
        proof = bytes(a ^ b for a, b in zip(ckey, csig))
        if base64.b64decode(mm.group(4)) != proof:
            conn.send(self.ctx.tags["TAG"] +
                      b" NO [AUTHENTICATIONFAILED] Authentication failed.\r\n")
            raise Fail("%s: wrong SCRAM client proof (wrong password, or a "
                       "broken SCRAM client)" % where)
        log("SCRAM client proof verified")
        skey = hmac.new(salted, b"Server Key", h).digest()
        ssig = hmac.new(skey, auth, h).digest()
        if opt["signature"] == "no":
            return
        if opt["signature"] == "bad":
            ssig = bytes([ssig[0] ^ 0x55]) + ssig[1:]
        conn.send(b"+ " + base64.b64encode(b"v=" + base64.b64encode(ssig)) +
                  b"\r\n")

    @staticmethod
    def b64(word, where, what):
        try:
            return base64.b64decode(word, validate=True)
        except ValueError:
            raise Fail("%s: SCRAM %s is not base64: %r" % (where, what, word))

    def epilogue(self, conn, linger):
        """After the scenario: answer LOGOUT, wait for the client to go."""
        end = Deadline(linger)
        saved, conn.deadline = conn.deadline, end
        try:
            while not conn.eof:
                line = conn.readline("the client to leave")
                if not line:
                    break
                log("C: %r (after the scenario)" % line)
                m = re.match(rb"(" + TAG_RE + rb") (\S+)", line)
                if not m:
                    continue
                tag, cmd = m.group(1), m.group(2).upper()
                if cmd == b"LOGOUT":
                    conn.send(b"* BYE fake-imapd logging out\r\n" + tag +
                              b" OK Logout completed.\r\n")
                    break
                if cmd == b"CAPABILITY" and self.caps:
                    conn.send(b"* CAPABILITY " + self.caps + b"\r\n" + tag +
                              b" OK Capability completed.\r\n")
                else:
                    conn.send(tag + b" BAD fake-imapd: the scenario is "
                              b"over\r\n")
        except (Fail, OSError, ssl.SSLError):
            pass
        finally:
            conn.deadline = saved
        conn.close(linger=max(0.0, min(0.5, end.left())))


def serve_one(args, steps, raw, port, transcript, deadline, peer):
    log("connection from %s" % peer)
    conn = Conn(raw, transcript, deadline)
    player = Player(args, steps, port)
    try:
        if args.tls:
            try:
                conn.starttls(player.tls_context())
            except (EOFError, ssl.SSLError, OSError) as e:
                raise Fail("TLS handshake failed: %s" % e)
        try:
            player.play(conn)
        except ssl.SSLError as e:
            raise Fail("TLS error: %s" % e)
        except ScenarioError as e:
            e2 = Fail("scenario: %s" % e)
            e2.status = EXIT_USAGE
            raise e2
        except OSError as e:
            raise Fail("connection error: %s" % e)
        if not conn.eof and steps[-1].kind not in ("CLOSE", "RESET"):
            player.epilogue(conn, args.linger)
    except Fail as e:
        log("FAIL: %s" % e)
        try:
            conn.raw.close()
        except OSError:
            pass
        return e.status
    log("scenario %s completed" % os.path.basename(args.scenario))
    return EXIT_OK


def main():
    global log
    ap = argparse.ArgumentParser(
        usage="fake-imapd.py [options] SCENARIO",
        description="A scripted fake IMAP server (see the top of the file).")
    ap.add_argument("scenario")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--stdio", action="store_true")
    ap.add_argument("--tls", action="store_true")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--client-ca")
    ap.add_argument("--once", dest="count", action="store_const", const=1)
    ap.add_argument("--count", dest="count", type=int)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--linger", type=float, default=2.0)
    ap.add_argument("--transcript")
    ap.add_argument("--log")
    ap.add_argument("--status-file")
    try:
        args = ap.parse_args()
    except SystemExit as e:
        return EXIT_USAGE if e.code else EXIT_OK
    log = Logger(args.log)

    def finish(status):
        if args.status_file:
            with open(args.status_file + ".tmp", "w") as f:
                f.write("%d\n" % status)
            os.rename(args.status_file + ".tmp", args.status_file)
        return status

    # The backstop: whatever blocks, the process ends.
    def alarm(*_):
        log("FAIL: hard timeout after %.0f s" % args.timeout)
        finish(EXIT_TIMEOUT)
        os._exit(EXIT_TIMEOUT)
    signal.signal(signal.SIGALRM, alarm)
    signal.alarm(int(args.timeout + args.linger) + 3)

    try:
        steps = parse_scenario(args.scenario)
    except ScenarioError as e:
        log("fake-imapd: %s" % e)
        return finish(EXIT_USAGE)
    transcript = open(args.transcript, "ab") if args.transcript else None
    deadline = Deadline(args.timeout)

    if args.stdio:
        status = serve_one(args, steps, RawStdio(), 0, transcript, deadline,
                           "stdio")
        return finish(status)

    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        lsock.bind(("127.0.0.1", args.port))
    except OSError as e:
        log("fake-imapd: cannot listen on port %d: %s" % (args.port, e))
        return finish(EXIT_USAGE)
    lsock.listen(8)
    port = lsock.getsockname()[1]
    sys.stdout.write("%d\n" % port)
    sys.stdout.flush()
    log("listening on 127.0.0.1:%d, scenario %s" % (port, args.scenario))

    served, status = 0, EXIT_OK
    while args.count is None or served < args.count:
        left = deadline.left()
        if left <= 0:
            break
        lsock.settimeout(left)
        try:
            sock, peer = lsock.accept()
        except socket.timeout:
            break
        served += 1
        st = serve_one(args, steps, RawSocket(sock), port, transcript,
                       deadline, "%s:%d" % peer)
        status = status or st
    if args.count is not None and served < args.count and not status:
        log("FAIL: timed out after %.0f s with %d of %d connections served"
            % (args.timeout, served, args.count))
        status = EXIT_TIMEOUT
    return finish(status)


if __name__ == "__main__":
    sys.exit(main())
