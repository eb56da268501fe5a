#!/usr/bin/env python3
"""tests/lib/tls-proxy.py: implicit-TLS listeners with chosen (bad)
certificates in front of a plain IMAP port, for imapsh's TLS tests.

Dovecot 2.3 picks its certificate by local address or SNI name, never by
port, so one Dovecot cannot serve a different certificate on each port of
127.0.0.1.  This relay can: each listener terminates TLS with its own
certificate and copies bytes both ways to the plain port (a real Dovecot
session behind it), so a client that accepts the certificate anyway
(no verification) still gets a working IMAP server.

usage: tls-proxy.py --to HOST:PORT [--bind ADDR] [--parent PID]
                    --listen NAME CERT KEY [--listen NAME CERT KEY]...

Every listener binds ADDR (default 127.0.0.1) on a port of the kernel's
choosing (no race with other programs).  When all listen, stdout gets one
line "NAME PORT" per listener, then "ready", and is closed.  Runs until
SIGTERM or SIGINT, or until process PID (--parent) is gone, checked twice
a second, so that a test run killed hard leaves nothing behind.  Each
connection is logged to stderr, one line.
"""

import argparse
import os
import selectors
import signal
import socket
import ssl
import sys
import threading
import time

HANDSHAKE_TIMEOUT = 10
BUFSIZE = 65536


def log(msg):
    sys.stderr.write("tls-proxy[%d] %s: %s\n"
                     % (os.getpid(), time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


def relay(tls, plain):
    """Copy bytes both ways until either side closes (plain may be TLS
    too: tests/fake/scram-plus-server.py relays TLS to TLS)."""
    sel = selectors.DefaultSelector()
    tls.setblocking(False)
    plain.setblocking(False)
    sel.register(tls, selectors.EVENT_READ, plain)
    sel.register(plain, selectors.EVENT_READ, tls)
    try:
        while True:
            # TLS may hold decrypted bytes the socket no longer shows.
            ready = [(s, d) for s, d in ((tls, plain), (plain, tls))
                     if isinstance(s, ssl.SSLSocket) and s.pending()] or [
                (key.fileobj, key.data) for key, _ in sel.select()]
            for src, dst in ready:
                try:
                    data = src.recv(BUFSIZE)
                except (ssl.SSLWantReadError, BlockingIOError):
                    continue
                if not data:
                    return
                dst.setblocking(True)
                dst.sendall(data)
                dst.setblocking(False)
    except (OSError, ssl.SSLError):
        return
    finally:
        sel.close()


def serve(name, conn, peer, ctx, backend):
    conn.settimeout(HANDSHAKE_TIMEOUT)
    try:
        tls = ctx.wrap_socket(conn, server_side=True)
    except (OSError, ssl.SSLError) as e:
        # What a client that refuses the certificate looks like.
        log("%s: %s:%d: handshake failed: %s" % (name, peer[0], peer[1], e))
        conn.close()
        return
    try:
        plain = socket.create_connection(backend, HANDSHAKE_TIMEOUT)
    except OSError as e:
        log("%s: cannot reach %s:%d: %s" % (name, backend[0], backend[1], e))
        tls.close()
        return
    log("%s: %s:%d: relaying (%s)" % (name, peer[0], peer[1], tls.version()))
    tls.settimeout(None)
    plain.settimeout(None)
    try:
        relay(tls, plain)
    finally:
        for s in (tls, plain):
            try:
                s.close()
            except OSError:
                pass


def accept_loop(name, lsock, ctx, backend):
    while True:
        try:
            conn, peer = lsock.accept()
        except OSError:
            return
        threading.Thread(target=serve, args=(name, conn, peer, ctx, backend),
                         daemon=True).start()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--to", required=True, help="HOST:PORT of plain IMAP")
    ap.add_argument("--bind", default="127.0.0.1")
    ap.add_argument("--parent", type=int, default=0)
    ap.add_argument("--listen", nargs=3, action="append", required=True,
                    metavar=("NAME", "CERT", "KEY"))
    args = ap.parse_args()
    host, _, port = args.to.rpartition(":")
    backend = (host, int(port))

    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))

    listeners = []
    for name, cert, key in args.listen:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(cert, key)
        lsock = socket.socket(socket.AF_INET6 if ":" in args.bind
                              else socket.AF_INET)
        lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        lsock.bind((args.bind, 0))
        lsock.listen(64)
        listeners.append((name, lsock, ctx))
    for name, lsock, _ in listeners:
        sys.stdout.write("%s %d\n" % (name, lsock.getsockname()[1]))
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    sys.stdout.close()
    os.close(1)
    for name, lsock, ctx in listeners:
        threading.Thread(target=accept_loop, args=(name, lsock, ctx, backend),
                         daemon=True).start()
    while True:
        time.sleep(0.5)
        if args.parent:
            try:
                os.kill(args.parent, 0)
            except ProcessLookupError:
                log("parent %d gone, exiting" % args.parent)
                os._exit(0)
            except PermissionError:
                pass


if __name__ == "__main__":
    main()
