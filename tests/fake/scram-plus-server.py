#!/usr/bin/python3
"""tests/fake/scram-plus-server.py: a scripted IMAP server over TLS that
checks SCRAM channel binding itself, and a man in the middle for it.

No IMAP server the suite can start speaks SCRAM-*-PLUS (Dovecot 2.3 says
"Channel binding not supported"), so this one plays the server side of
RFC 5802 with hashlib and hmac: it verifies the client's proof, and takes
the channel binding from its own end of the TLS session with pyOpenSSL
(Debian python3-openssl): export_keying_material("EXPORTER-Channel-
Binding", 32) for tls-exporter (RFC 9266, TLS 1.3), the hash of its
certificate for tls-server-end-point (RFC 5929 section 4.1: the
certificate's signature hash, SHA-256 for MD5 and SHA-1, on TLS 1.2).
A binding that is not its own is refused with
e=channel-bindings-dont-match, as a real server would.

With --mitm-cert/--mitm-key a second listener is a man in the middle: it
terminates TLS with that certificate (one the client was made to trust)
and relays the bytes over its own TLS session to the server, so the
binding the client sends is that of the wrong session.

usage: scram-plus-server.py --cert C --key K --tls 1.2|1.3|none
           --user U --password P [--offer "MECH ..."] [--logindisabled]
           [--hidden-plus] [--starttls] [--mitm-cert C --mitm-key K]
           [--log FILE] [--parent PID]

Stdout gets one line "PORT MITMPORT" (MITMPORT 0 without a man in the
middle) once both listen; every AUTHENTICATE is logged to --log, one line:
"MECH flag=F binding=ok|mismatch|none proof=ok|bad|- result=OK|NO".
Runs until killed, or until process PID (--parent) is gone.
"""

import argparse
import base64
import hashlib
import hmac
import importlib.util
import os
import socket
import ssl
import sys
import threading
import time

from OpenSSL import SSL, crypto

# The relay of tests/lib/tls-proxy.py (a file name Python cannot import).
_spec = importlib.util.spec_from_file_location(
    "tls_proxy", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                              "..", "lib", "tls-proxy.py"))
tls_proxy = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tls_proxy)

SALT = b"imapsh-plus-salt"
ITERATIONS = 4096


def b64(b):
    return base64.b64encode(b).decode()


class Log:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()

    def write(self, line):
        if self.path is None:
            return
        with self.lock, open(self.path, "a") as f:
            f.write(line + "\n")


class Conn:
    """Line I/O over a pyOpenSSL connection or a plain socket."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def send(self, text):
        self.sock.sendall(text.encode() + b"\r\n")

    def readline(self):
        while b"\r\n" not in self.buf:
            try:
                data = self.sock.recv(4096)
            except (SSL.ZeroReturnError, SSL.SysCallError):
                data = b""
            if not data:
                raise EOFError
            self.buf += data
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line.decode()


def end_point_hash(cert):
    """RFC 5929 section 4.1: the certificate's signature hash, but
    SHA-256 for MD5 and SHA-1."""
    alg = cert.get_signature_algorithm().decode().lower()
    der = crypto.dump_certificate(crypto.FILETYPE_ASN1, cert)
    for name in ("sha512", "sha384", "sha256"):
        if name in alg:
            return hashlib.new(name, der).digest()
    return hashlib.sha256(der).digest()


def binding(tls, version):
    """(type, data) of the server's own end of the TLS session."""
    if version == "1.3":
        return ("tls-exporter",
                tls.export_keying_material(b"EXPORTER-Channel-Binding", 32))
    return ("tls-server-end-point", end_point_hash(tls.get_certificate()))


def attrs(msg):
    out = {}
    for part in msg.split(","):
        if len(part) >= 2 and part[1] == "=":
            out.setdefault(part[0], part[2:])
    return out


class Scram:
    """The server side of one SCRAM exchange (RFC 5802 section 3)."""

    def __init__(self, args, tls, conn, mech):
        self.args, self.tls, self.conn, self.mech = args, tls, conn, mech
        self.hname = "sha256" if "SHA-256" in mech else "sha1"
        self.plus = mech.endswith("-PLUS")
        self.flag = "?"
        self.binding = "-"
        self.proof = "-"

    def challenge(self, text):
        self.conn.send("+ " + b64(text.encode()))
        return self.conn.readline()

    def fail(self, err):
        """server-final e=...; the client cancels or answers; NO."""
        self.challenge("e=" + err)
        return "NO"

    def check_flag(self, gs2flag, offers_plus):
        """None if the gs2 flag fits the mechanism, else the e= value."""
        if self.plus and not gs2flag.startswith("p="):
            return "channel-binding-not-supported"
        if not self.plus and gs2flag.startswith("p="):
            return "channel-binding-not-supported"
        if gs2flag == "y" and offers_plus:
            return "server-does-support-channel-binding"
        if gs2flag not in ("n", "y") and not gs2flag.startswith("p="):
            return "other-error"
        return None

    def run(self, ir):
        if ir is None:
            self.conn.send("+ ")
            ir = self.conn.readline()
        cf = base64.b64decode(ir).decode()
        gs2flag, authz, bare = cf.split(",", 2)
        self.flag = gs2flag
        offers_plus = self.args.hidden_plus or any(
            m.endswith("-PLUS") for m in self.args.offer)
        err = self.check_flag(gs2flag, offers_plus)
        if err is None and gs2flag.startswith("p="):
            if self.tls is None:
                err = "channel-binding-not-supported"
            else:
                cbtype, cbdata = binding(self.tls, self.args.tls)
                if gs2flag[2:] != cbtype:
                    err = "unsupported-channel-binding-type"
        if err is not None:
            return self.fail(err)
        cnonce = attrs(bare)["r"]
        nonce = cnonce + b64(os.urandom(12))
        sf = "r=%s,s=%s,i=%d" % (nonce, b64(SALT), ITERATIONS)
        cfin = base64.b64decode(self.challenge(sf)).decode()
        without_proof, proof = cfin.rsplit(",p=", 1)
        want = (gs2flag + "," + authz + ",").encode()
        if gs2flag.startswith("p="):
            want += cbdata
        got = attrs(without_proof)
        self.binding = ("ok" if base64.b64decode(got["c"]) == want
                        else "mismatch")
        if gs2flag == "y" or gs2flag == "n":
            self.binding = ("none" if self.binding == "ok"
                            else "mismatch")
        if got.get("r") != nonce:
            return self.fail("other-error")
        auth = ",".join([bare, sf, without_proof]).encode()
        salted = hashlib.pbkdf2_hmac(self.hname, self.args.password.encode(),
                                     SALT, ITERATIONS)
        ckey = hmac.new(salted, b"Client Key", self.hname).digest()
        stored = hashlib.new(self.hname, ckey).digest()
        csig = hmac.new(stored, auth, self.hname).digest()
        sent = base64.b64decode(proof)
        sent_key = bytes(a ^ b for a, b in zip(sent, csig))
        user_ok = attrs(bare).get("n") == self.args.user
        self.proof = ("ok" if user_ok and len(sent) == len(csig) and
                      hmac.compare_digest(
                          hashlib.new(self.hname, sent_key).digest(), stored)
                      else "bad")
        if self.binding == "mismatch":
            return self.fail("channel-bindings-dont-match")
        if self.proof != "ok":
            return self.fail("invalid-proof")
        skey = hmac.new(salted, b"Server Key", self.hname).digest()
        ssig = hmac.new(skey, auth, self.hname).digest()
        self.challenge("v=" + b64(ssig))
        return "OK"


def capabilities(args, tls):
    caps = ["IMAP4rev1", "SASL-IR"]
    if args.starttls and tls is None:
        caps.append("STARTTLS")
    caps += ["AUTH=" + m for m in args.offer]
    if args.logindisabled:
        caps.append("LOGINDISABLED")
    return " ".join(caps)


def authenticate(args, log, tls, conn, tag, words):
    mech = words[2].upper() if len(words) > 2 else ""
    if mech not in args.offer or not mech.startswith("SCRAM-"):
        conn.send(tag + " NO [CANNOT] not offered here")
        return
    s = Scram(args, tls, conn, mech)
    ir = words[3] if len(words) > 3 else None
    result = s.run(ir)
    log.write("%s flag=%s binding=%s proof=%s result=%s"
              % (mech, s.flag, s.binding, s.proof, result))
    if result == "OK":
        conn.send(tag + " OK Logged in")
    else:
        conn.send(tag + " NO [AUTHENTICATIONFAILED] Authentication failed")


def handshake(ctx, sock):
    tls = SSL.Connection(ctx, sock)
    tls.set_accept_state()
    tls.do_handshake()
    return tls


def session(args, log, ctx, sock):
    tls = None
    if args.tls != "none" and not args.starttls:
        tls = handshake(ctx, sock)
    conn = Conn(tls or sock)
    conn.send("* OK [CAPABILITY %s] scram-plus-server ready"
              % capabilities(args, tls))
    while True:
        words = conn.readline().split(" ")
        tag, cmd = words[0], (words[1].upper() if len(words) > 1 else "")
        if cmd == "CAPABILITY":
            conn.send("* CAPABILITY " + capabilities(args, tls))
            conn.send(tag + " OK done")
        elif cmd == "STARTTLS" and args.starttls and tls is None:
            conn.send(tag + " OK Begin TLS negotiation now")
            tls = handshake(ctx, sock)
            conn = Conn(tls)
        elif cmd == "AUTHENTICATE":
            authenticate(args, log, tls, conn, tag, words)
        elif cmd == "LOGOUT":
            conn.send("* BYE bye")
            conn.send(tag + " OK done")
            return
        elif cmd == "NOOP" or cmd == "SELECT":
            conn.send(tag + " OK done")
        else:
            conn.send(tag + " BAD not here")


def pin_version(ctx, version):
    v = SSL.TLS1_3_VERSION if version == "1.3" else SSL.TLS1_2_VERSION
    ctx.set_min_proto_version(v)
    ctx.set_max_proto_version(v)


def serve_one(args, log, ctx, sock):
    try:
        session(args, log, ctx, sock)
    except (EOFError, SSL.Error, OSError, ValueError, KeyError,
            IndexError) as e:
        sys.stderr.write("scram-plus-server: %s\n" % e)
    finally:
        sock.close()


def mitm_one(args, port, sock):
    """Terminate the client's TLS, open our own to the server."""
    version = (ssl.TLSVersion.TLSv1_3 if args.tls == "1.3"
               else ssl.TLSVersion.TLSv1_2)
    sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    sctx.minimum_version = sctx.maximum_version = version
    sctx.load_cert_chain(args.mitm_cert, args.mitm_key)
    cctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    cctx.check_hostname = False
    cctx.verify_mode = ssl.CERT_NONE
    cctx.minimum_version = cctx.maximum_version = version
    try:
        down = sctx.wrap_socket(sock, server_side=True)
        up = cctx.wrap_socket(socket.create_connection(("127.0.0.1", port)))
        tls_proxy.relay(down, up)
    except (OSError, ssl.SSLError) as e:
        sys.stderr.write("scram-plus-server mitm: %s\n" % e)
    finally:
        sock.close()


def listen():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    return s


def accept_loop(lsock, handler):
    while True:
        sock, _ = lsock.accept()
        threading.Thread(target=handler, args=(sock,), daemon=True).start()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--tls", choices=("1.2", "1.3", "none"), required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--offer", default="SCRAM-SHA-256-PLUS SCRAM-SHA-1-PLUS "
                   "SCRAM-SHA-256 SCRAM-SHA-1")
    p.add_argument("--logindisabled", action="store_true")
    p.add_argument("--starttls", action="store_true",
                   help="plain until STARTTLS (no man in the middle then)")
    p.add_argument("--hidden-plus", action="store_true",
                   help="bind, but leave -PLUS out of the capabilities "
                   "(what a client sees when someone strips them)")
    p.add_argument("--mitm-cert")
    p.add_argument("--mitm-key")
    p.add_argument("--log")
    p.add_argument("--parent", type=int)
    args = p.parse_args()
    args.offer = args.offer.split()
    log = Log(args.log)

    ctx = SSL.Context(SSL.TLS_SERVER_METHOD)
    ctx.use_certificate_chain_file(args.cert)
    ctx.use_privatekey_file(args.key)
    if args.tls != "none":
        pin_version(ctx, args.tls)
    server = listen()
    port = server.getsockname()[1]
    threading.Thread(target=accept_loop, daemon=True, args=(
        server, lambda sock: serve_one(args, log, ctx, sock))).start()
    mport = 0
    if args.mitm_cert:
        mitm = listen()
        mport = mitm.getsockname()[1]
        threading.Thread(target=accept_loop, daemon=True, args=(
            mitm, lambda sock: mitm_one(args, port, sock))).start()
    sys.stdout.write("%d %d\n" % (port, mport))
    sys.stdout.close()
    while args.parent is None or os.path.exists("/proc/%d" % args.parent):
        time.sleep(0.5)


if __name__ == "__main__":
    main()
