"""bench/raw-client.py: the floor of imapsh's benchmark (bench/run).

A client with no client logic: it connects, writes a canned file of IMAP
lines (every command pipelined, literals as LITERAL+), and reads until
the reply tagged LASTTAG has arrived, counting the bytes and discarding
them.  Whatever imapsh or imaplib spends beyond this is the cost of being
a client.  It waits once: the file's first line (the LOGIN) goes alone,
and the rest after its tagged reply, because Dovecot's login process
drops a client whose input overflows its buffer before it has logged in
("Input buffer full").

usage: raw-client.py [--stdout] [--tls CAFILE SERVERNAME] HOST PORT INPUT LASTTAG

Prints "BYTES <n>", the last line received ("LAST <line>"), and its own
timing from the connect to the last reply, the interpreter's start-up
left out: "WALL <seconds>" and "USER"/"SYS" <seconds> of CPU (getrusage
of this process, both threads); exits 0 when that line is LASTTAG's OK, 1
otherwise.  Run with python3 -S: it imports only os, socket, ssl,
threading and resource.

--stdout: every byte received goes to standard output as it is read (one
write(2) per read, no scan, no copy), and the report above to standard
error: the floor for a client whose output goes into a pipe, where the
reader of the pipe (cat(1) in bench/run) takes its share of the machine
and a full pipe holds the writer back.
"""

import os
import resource
import socket
import sys
import threading
import time

CHUNK = 256 * 1024


def write_all(fd, data):
    """write(2) all of data (a memoryview) to fd."""
    while data:
        data = data[os.write(fd, data):]


def read_until_tagged(sock, buf, tag, out=None):
    """Read until the last line received starts with tag + " ", or EOF.
    Only the end of each read is looked at (no scan of the data): the
    reply awaited is the last thing the server sends before it waits for
    more input or closes.  out: a file descriptor each read is written
    to.  Returns (bytes read, that line, found)."""
    view = memoryview(buf)
    want = tag + b" "
    total = 0
    tail = b""
    while True:
        n = sock.recv_into(buf)
        if n == 0:
            break
        total += n
        if out is not None:
            write_all(out, view[:n])
        tail = (tail + bytes(view[max(0, n - 512) : n]))[-512:]
        if tail.endswith(b"\r\n"):
            line = tail[:-2].rsplit(b"\n", 1)[-1]
            if line.startswith(want):
                return total, line, True
    return total, tail.rstrip(b"\r\n").rsplit(b"\n", 1)[-1], False


def main():
    args = sys.argv[1:]
    out = report = None
    if args and args[0] == "--stdout":
        out, report = 1, sys.stderr
        args = args[1:]
    report = report or sys.stdout
    tls = None
    if args and args[0] == "--tls":
        tls = (args[1], args[2])
        args = args[3:]
    host, port, path, lasttag = args[0], int(args[1]), args[2], args[3].encode()

    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    sock = socket.create_connection((host, port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if tls:
        import ssl

        ctx = ssl.create_default_context(cafile=tls[0])
        sock = ctx.wrap_socket(sock, server_hostname=tls[1])
    buf = bytearray(CHUNK)

    with open(path, "rb") as f:
        first = f.readline()
    sock.sendall(first)
    total, _, _ = read_until_tagged(sock, buf, first.split(b" ", 1)[0], out)

    sender = None
    if tls:
        # Concurrent SSL_read and SSL_write on one connection are not
        # safe: the TLS jobs send a few short lines, so send them first.
        with open(path, "rb") as f:
            f.seek(len(first))
            sock.sendall(f.read())
    else:
        # A thread writes while this one reads: a long pipeline cannot
        # deadlock on full socket buffers.  sendfile(2): no copy at all.
        def send():
            with open(path, "rb") as f:
                sock.sendfile(f, offset=len(first))

        sender = threading.Thread(target=send, daemon=True)
        sender.start()

    n, line, found = read_until_tagged(sock, buf, lasttag, out)
    if not found:
        report.write("EOF before the reply tagged %s\n" % lasttag.decode())
    total += n
    if sender:
        sender.join(timeout=5)
    sock.close()
    t1 = time.perf_counter()
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    report.write("BYTES %d\nLAST %s\nWALL %.6f\nUSER %.6f\nSYS %.6f\n" % (
        total, line.decode("latin-1"), t1 - t0,
        ru1.ru_utime - ru0.ru_utime, ru1.ru_stime - ru0.ru_stime))
    return 0 if found and line.startswith(lasttag + b" OK") else 1


if __name__ == "__main__":
    sys.exit(main())
