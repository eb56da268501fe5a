"""bench/imaplib-client.py: Python's imaplib doing bench/run's jobs.

What a small imaplib script would do: connect, log in, run the job, log
out, discarding the results (each job's value is dropped as soon as it is
checked).

usage: imaplib-client.py [--tls CAFILE SERVERNAME] HOST PORT USER PASSWORD JOB...
       imaplib-client.py --stream COMMAND JOB...
jobs:  fetch MAILBOX SET ITEMS    select MAILBOX, then FETCH SET ITEMS
       script FILE                select INBOX, then run FILE's lines:
                                  noop, or uid FETCH N (FLAGS)
       append MAILBOX FILE        APPEND FILE's bytes to MAILBOX
       noop                       one NOOP (the start-up job)

Prints "BYTES <n>" (the bytes of the literals received, or sent for
append), "ITEMS <n>" (for fetch: the number of items in its data), its
own timing from the connect to the logout, the interpreter's start-up
and imports left out ("WALL", "USER", "SYS" in seconds; for
information: bench/run times the whole process), and "OK" on standard
output; an exception ends it with status 1.
"""

import imaplib
import resource
import sys
import time


def main():
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    args = sys.argv[1:]
    if args[0] == "--stream":
        M = imaplib.IMAP4_stream(args[1])
        job = args[2:]
    else:
        tls = None
        if args[0] == "--tls":
            tls = (args[1], args[2])
            args = args[3:]
        host, port, user, password = args[0], int(args[1]), args[2], args[3]
        job = args[4:]
        if tls:
            import ssl

            ctx = ssl.create_default_context(cafile=tls[0])
            # The certificate names tls[1]; connect to the address given.
            M = imaplib.IMAP4_SSL(tls[1], port, ssl_context=ctx)
        else:
            M = imaplib.IMAP4(host, port)
        M.login(user, password)

    nbytes = nitems = 0
    if job[0] == "fetch":
        typ, data = M.select(job[1])
        check(typ, data)
        typ, data = M.fetch(job[2], job[3])
        check(typ, data)
        nitems = len(data)
        for item in data:
            if isinstance(item, tuple):
                nbytes += len(item[1])
        del data
    elif job[0] == "script":
        typ, data = M.select("INBOX")
        check(typ, data)
        with open(job[1]) as f:
            for line in f:
                words = line.split()
                if not words or words[0] in ("login", "select"):
                    continue
                if words[0] == "noop":
                    typ, data = M.noop()
                elif words[0] == "uid":
                    typ, data = M.uid(words[1], words[2], " ".join(words[3:]))
                else:
                    raise SystemExit("unknown script line: " + line)
                check(typ, data)
    elif job[0] == "append":
        with open(job[2], "rb") as f:
            message = f.read()
        nbytes = len(message)
        typ, data = M.append(job[1], None, None, message)
        check(typ, data)
    elif job[0] == "noop":
        typ, data = M.noop()
        check(typ, data)
    else:
        raise SystemExit("unknown job: " + job[0])
    M.logout()
    t1 = time.perf_counter()
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    sys.stdout.write("BYTES %d\nITEMS %d\nWALL %.6f\nUSER %.6f\nSYS %.6f\nOK\n" % (
        nbytes, nitems, t1 - t0, ru1.ru_utime - ru0.ru_utime, ru1.ru_stime - ru0.ru_stime))
    return 0


def check(typ, data):
    if typ != "OK":
        raise SystemExit("%s %r" % (typ, data[:1]))


if __name__ == "__main__":
    sys.exit(main())
