"""tests/fake/fake_client.py: a scripted IMAP client, to test the test
infrastructure (fake-imapd.py, in tests/bats/05-fake.bats) without imapsh.

    import sys; sys.path.insert(0, FAKE_DIR)
    from fake_client import Client
    c = Client(port)                  # or Client(sock=...) for --stdio
    c.expect("* OK [CAPABILITY IMAP4rev1 STARTTLS] fake-imapd ready")
    c.send("a1 STARTTLS")
    c.expect("re:a1 OK .*")
    c.starttls(ca)
    ...
    c.logout("a9")                    # LOGOUT, BYE and OK, EOF

expect() takes a line (without CRLF) or "re:REGEX" and raises
AssertionError with both lines when it differs; lines are str (latin-1).
scram() plays the client side of SCRAM (RFC 5802) from scratch, so that
the fake's SCRAM directive is checked against an independent
implementation.
"""

import base64
import hashlib
import hmac
import os
import re
import socket
import ssl


class Client:
    def __init__(self, port=None, host="127.0.0.1", sock=None, tls=False,
                 ca=None, cert=None, key=None, timeout=5):
        self.sock = sock or socket.create_connection((host, port), timeout)
        self.sock.settimeout(timeout)
        self.buf = b""
        self.recvs = 0
        if tls:
            self.starttls(ca, cert, key)

    def starttls(self, ca, cert=None, key=None, hostname="localhost"):
        assert not self.buf, "data before TLS: %r" % self.buf
        ctx = ssl.create_default_context(cafile=ca)
        if cert:
            ctx.load_cert_chain(cert, key)
        self.sock = ctx.wrap_socket(self.sock, server_hostname=hostname)

    def _fill(self):
        data = self.sock.recv(65536)
        self.recvs += 1
        self.buf += data
        return bool(data)

    def line(self):
        """The next line without CRLF; None at EOF."""
        while b"\r\n" not in self.buf:
            if not self._fill():
                return None
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line.decode("latin-1")

    def read(self, n):
        while len(self.buf) < n:
            if not self._fill():
                break
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def expect(self, want):
        got = self.line()
        ok = got is not None and (
            re.fullmatch(want[3:], got, re.S) if want.startswith("re:")
            else got == want)
        assert ok, "server line differs\n  expected: %s\n  got:      %r" % (
            want, got)
        return got

    def send(self, text):
        self.send_raw(text.encode("latin-1") + b"\r\n")

    def send_raw(self, data):
        self.sock.sendall(data)

    def eof(self):
        """True if the server closed (after anything still buffered)."""
        try:
            return not self.buf and not self._fill()
        except (ConnectionResetError, ssl.SSLEOFError):
            return True

    def logout(self, tag):
        self.send(tag + " LOGOUT")
        self.expect("re:\\* BYE .*")
        self.expect("re:" + tag + " OK .*")
        assert self.eof(), "no EOF after LOGOUT"
        self.close()

    def close(self):
        self.sock.close()


def b64(data):
    return base64.b64encode(data if isinstance(data, bytes)
                            else data.encode()).decode()


def scram(c, tag, user, password, hashname="sha256", ir=True,
          password_for_proof=None):
    """Run SCRAM-SHA-* as the client up to the server-final challenge.
    Returns (server_final, expected_server_final): the client's caller
    decides what to answer.  password_for_proof, if given, is used for the
    proof instead (a client with the wrong password)."""
    mech = {"sha1": "SCRAM-SHA-1", "sha256": "SCRAM-SHA-256"}[hashname]
    h = getattr(hashlib, hashname)
    cnonce = b64(os.urandom(18))
    bare = "n=%s,r=%s" % (user, cnonce)
    first = "n,," + bare
    if ir:
        c.send("%s AUTHENTICATE %s %s" % (tag, mech, b64(first)))
    else:
        c.send("%s AUTHENTICATE %s" % (tag, mech))
        assert c.expect("re:\\+ ?") is not None
        c.send(b64(first))
    chal = c.expect("re:\\+ .*")[2:]
    sfirst = base64.b64decode(chal).decode()
    attrs = dict(kv.split("=", 1) for kv in sfirst.split(","))
    assert attrs["r"].startswith(cnonce), "server nonce lacks ours"
    salted = hashlib.pbkdf2_hmac(
        hashname, (password_for_proof or password).encode(),
        base64.b64decode(attrs["s"]), int(attrs["i"]))
    ckey = hmac.new(salted, b"Client Key", h).digest()
    without_proof = "c=%s,r=%s" % (b64("n,,"), attrs["r"])
    auth = ",".join((bare, sfirst, without_proof)).encode()
    csig = hmac.new(h(ckey).digest(), auth, h).digest()
    proof = bytes(a ^ b for a, b in zip(ckey, csig))
    c.send(b64(without_proof + ",p=" + b64(proof)))
    skey = hmac.new(hashlib.pbkdf2_hmac(
        hashname, password.encode(), base64.b64decode(attrs["s"]),
        int(attrs["i"])), b"Server Key", h).digest()
    want = "v=" + b64(hmac.new(skey, auth, h).digest())
    line = c.line()
    if line is None or not line.startswith("+ "):
        return line, want
    return base64.b64decode(line[2:]).decode(), want
