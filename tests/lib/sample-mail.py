#!/usr/bin/env python3
"""Deterministic sample mail for the imapsh tests and `make demo`.

The same --seed and index always give the same message, byte for byte on a
given Python version: plain text, multipart/alternative, messages with
base64 attachments (some with non-ASCII file names), RFC 2047 encoded
UTF-8 subjects and display names, replies that thread (In-Reply-To and
References), dates spread over several years and time zones, and flags
(a few \\Flagged, some \\Seen or \\Answered).

  sample-mail.py write DIR [-n N] [--seed S] [--start K]
      Write messages K..K+N-1 as DIR/NNNN.eml and DIR/manifest.json.

  sample-mail.py deliver -u USER [-n N] [--seed S] [--start K] [-m MAILBOX]
      Store them in USER's MAILBOX (default INBOX) with `doveadm save`,
      then set their flags with `doveadm flags add`.  No IMAP involved.

  sample-mail.py mailboxes -u USER [--seed S]
      Create and fill INBOX, Archive, Lists/dev and Sent.

  sample-mail.py mime FILE
      Write one fixed MIME message for the show command's tests: an RFC
      2047 Subject (ISO-8859-1 and UTF-8 words) and From, multipart/mixed
      holding a multipart/alternative (text/plain in quoted-printable
      ISO-8859-1, text/html in UTF-8) and a base64 attachment whose name
      is RFC 2231 encoded.

deliver and mailboxes talk to the private Dovecot of tests/lib/dovecot.sh:
--conf defaults to $IMAPSH_TEST_CONF, else $IMAPSH_TEST_DIR/dovecot.conf.
With --json they print the manifest (one object per message: index, file
or mailbox, message_id, subject and from as Unicode, date, flags, kind,
size) on stdout.  Exit status: 0, 1 on a doveadm failure, 2 on bad usage.
"""

import argparse
import datetime
import email.policy
import email.utils
import functools
import json
import os
import random
import subprocess
import sys
from email.message import EmailMessage

DOMAIN = "imapsh.test"

# (display name, address): ASCII and not, so From/To need RFC 2047.
PEOPLE = [
    ("Alice Example", "alice@example.org"),
    ("Bob Builder", "bob@example.net"),
    ("José Müller", "jose.mueller@example.de"),
    ("Åsa Öberg", "asa@example.se"),
    ("渡辺 健", "watanabe@example.jp"),
    ("Zoë Ångström", "zoe@example.fr"),
    ("Дмитрий Иванов", "dmitry@example.ru"),
    ("", "noreply@notifications.example.com"),
    ("O'Brien, Pat", "pat.obrien@example.ie"),
    ("Chloé \"Coco\" Dubois", "chloe@example.fr"),
]

SUBJECTS = [
    "Quarterly report",
    "Lunch on Friday?",
    "Réunion demain à 10h",
    "Grüße aus Köln",
    "会議の議事録",
    "Build failed: main (#4711)",
    "Invoice 2023-118 attached",
    "Test ✓ with emoji 🎉",
    "Привет из Москвы",
    "A rather long subject line that goes on and on so that it has to be "
    "folded over more than one header line when encoded",
    "[dev] Proposal: drop support for IMAP2bis",
    "",
    "Fwd: photos from the trip",
    "Smörgåsbord of updates",
]

PARAGRAPHS = [
    "Here is the information you asked for. Let me know if anything is "
    "missing.",
    "Ça marche pour moi, à demain !",
    "Die Präsentation liegt im gemeinsamen Ordner.",
    "お疲れ様です。資料を添付します。",
    "The quick brown fox jumps over the lazy dog.",
    "Line with trailing spaces   \nand a second line.",
    ">> quoted text from an earlier message\n> and a reply to it",
    "Numbers: 3.14159 2.71828 1.41421 — and an em dash.",
    "-- \nSent from my terminal",
    "From the start of a line (mbox would escape this).",
]

ATTACHMENTS = [
    ("report.pdf", "application", "pdf"),
    ("data.csv", "text", "csv"),
    ("résumé.pdf", "application", "pdf"),
    ("photo.jpg", "image", "jpeg"),
    ("archive.tar.gz", "application", "gzip"),
    ("notes with spaces.txt", "text", "plain"),
]

MAILBOXES = [
    # (mailbox, number of messages, seed offset, kind of traffic)
    ("INBOX", 12, 0, "inbox"),
    ("Archive", 20, 1000, "inbox"),
    ("Lists/dev", 15, 2000, "list"),
    ("Sent", 6, 3000, "sent"),
]

GEN_POLICY = email.policy.default.clone(linesep="\n", max_line_length=78)


def fmt_addr(person):
    name, addr = person
    return email.utils.formataddr((name, addr)) if name else addr


def message_id(seed, index):
    return "<sample.%d.%d@%s>" % (seed, index, DOMAIN)


def make_date(rng):
    start = datetime.datetime(2019, 1, 1, tzinfo=datetime.timezone.utc)
    when = start + datetime.timedelta(seconds=rng.randrange(6 * 365 * 86400))
    offset = rng.choice([-8 * 60, -5 * 60, -3 * 60 - 30, 0, 60, 120, 330,
                         540, 765])
    tz = datetime.timezone(datetime.timedelta(minutes=offset))
    return when.astimezone(tz)


def body_text(rng, paragraphs):
    return "\n\n".join(rng.choice(PARAGRAPHS) for _ in range(paragraphs)) \
        + "\n"


@functools.lru_cache(maxsize=None)
def skeleton(seed, index):
    """Return (sender, subject, date, parent index or None) of a message.

    Every message has its own generator, seeded by SEED and INDEX, so a
    message does not change when others are added.  Subjects go through
    a per-seed permutation of SUBJECTS so that a batch covers them all;
    about a third of the messages reply to an earlier one (same subject
    with "Re: ", a later date), which gives THREAD something to do.
    """
    rng = random.Random("%d/%d" % (seed, index))
    order = list(range(len(SUBJECTS)))
    random.Random(seed).shuffle(order)
    sender = rng.choice(PEOPLE)
    subject = SUBJECTS[order[(index - 1) % len(order)]]
    date = make_date(rng)
    parent = None
    if index > 1 and rng.random() < 0.3:
        parent = rng.randrange(max(1, index - 6), index)
        _, psubject, pdate, _ = skeleton(seed, parent)
        while psubject.startswith("Re: "):
            psubject = psubject[4:]
        subject = "Re: " + psubject
        date = pdate + datetime.timedelta(minutes=rng.randrange(5, 5000))
    return sender, subject, date, parent


def make_message(seed, index, user, traffic="inbox"):
    """Return (EmailMessage, manifest entry) for message INDEX of SEED."""
    sender, subject, date, parent = skeleton(seed, index)
    rng = random.Random("%d/%d/body" % (seed, index))
    me = ("Test User", "%s@%s" % (user, DOMAIN))

    roll = rng.random()
    if roll < 0.45:
        kind = "plain"
    elif roll < 0.70:
        kind = "alternative"
    elif roll < 0.90:
        kind = "attachment"
    else:
        kind = "alternative+attachment"

    msg = EmailMessage(policy=GEN_POLICY)
    if traffic == "sent":
        msg["From"] = fmt_addr(me)
        msg["To"] = fmt_addr(sender)
    else:
        msg["From"] = fmt_addr(sender)
        msg["To"] = fmt_addr(me)
    if rng.random() < 0.25:
        msg["Cc"] = ", ".join(fmt_addr(p) for p in rng.sample(PEOPLE, 2))
    if subject or rng.random() < 0.5:
        # Once in a while no Subject header at all.
        msg["Subject"] = subject
    msg["Date"] = email.utils.format_datetime(date)
    msg["Message-ID"] = message_id(seed, index)
    if parent is not None:
        msg["In-Reply-To"] = message_id(seed, parent)
        msg["References"] = message_id(seed, parent)
    if traffic == "list":
        msg["List-Id"] = "imapsh developers <dev.lists.%s>" % DOMAIN
        msg["Reply-To"] = "dev@lists.%s" % DOMAIN
        if "Subject" in msg:
            msg.replace_header("Subject", "[dev] " + subject)
    if rng.random() < 0.2:
        msg["X-Priority"] = "1 (Highest)"

    text = body_text(rng, rng.randint(1, 4))
    msg.set_content(text, cte="quoted-printable" if rng.random() < 0.5
                    else None)
    if kind.startswith("alternative"):
        html = "<html><body>%s</body></html>\n" % "".join(
            "<p>%s</p>" % p.replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace("\n", "<br>")
            for p in text.strip().split("\n\n"))
        msg.add_alternative(html, subtype="html")
    if kind.endswith("attachment"):
        for _ in range(rng.randint(1, 2)):
            name, maintype, subtype = rng.choice(ATTACHMENTS)
            size = rng.choice([200, 1500, 4096, 20000, 70000])
            if maintype == "text":
                data = "".join(
                    "%d,%s,%d\n" % (i, rng.choice(["a", "b", "ç"]),
                                    rng.randrange(1000))
                    for i in range(size // 10)).encode()
            else:
                data = rng.randbytes(size)
            msg.add_attachment(data, maintype=maintype, subtype=subtype,
                               filename=name, cte="base64")

    # Random boundaries would make the output differ from run to run.
    for n, part in enumerate(msg.walk()):
        if part.is_multipart():
            part.set_boundary("=_imapsh_%d_%d_%d" % (seed, index, n))
        if part is not msg:
            del part["MIME-Version"]

    flags = []
    if rng.random() < 0.15:
        flags.append("\\Flagged")
    if traffic == "sent" or rng.random() < 0.4:
        flags.append("\\Seen")
        if traffic != "sent" and rng.random() < 0.3:
            flags.append("\\Answered")

    entry = {
        "index": index,
        "message_id": message_id(seed, index),
        "subject": str(msg["Subject"]) if "Subject" in msg else None,
        "from": str(msg["From"]),
        "date": msg["Date"],
        "flags": flags,
        "kind": kind,
    }
    return msg, entry


def render(msg):
    return msg.as_bytes(policy=GEN_POLICY)


def default_conf():
    conf = os.environ.get("IMAPSH_TEST_CONF")
    if not conf and os.environ.get("IMAPSH_TEST_DIR"):
        conf = os.path.join(os.environ["IMAPSH_TEST_DIR"], "dovecot.conf")
    return conf


class Doveadm:
    def __init__(self, doveadm, conf, user):
        self.base = [doveadm, "-c", conf]
        self.user = user

    def run(self, args, data=None):
        proc = subprocess.run(self.base + args, input=data,
                              stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
        if proc.returncode != 0:
            raise RuntimeError("%s: exit %d: %s" % (
                " ".join(self.base + args), proc.returncode,
                proc.stderr.decode(errors="replace").strip()))
        return proc.stdout

    def ensure_mailbox(self, mailbox):
        if mailbox.upper() == "INBOX":
            return
        # "mailbox list -u USER NAME" echoes NAME even when it does not
        # exist: list everything instead.
        listing = self.run(["mailbox", "list", "-u", self.user])
        if mailbox in listing.decode("utf-8").splitlines():
            return
        self.run(["mailbox", "create", "-s", "-u", self.user, mailbox])

    def save(self, mailbox, data):
        self.run(["save", "-u", self.user, "-m", mailbox], data)

    def flag(self, mailbox, msgid, flags):
        self.run(["flags", "add", "-u", self.user, " ".join(flags),
                  "mailbox", mailbox, "header", "Message-ID", msgid])


def deliver(dv, mailbox, seed, start, count, traffic):
    dv.ensure_mailbox(mailbox)
    entries = []
    for index in range(start, start + count):
        msg, entry = make_message(seed, index, dv.user, traffic)
        data = render(msg)
        dv.save(mailbox, data)
        entry["mailbox"] = mailbox
        entry["size"] = len(data)
        entries.append(entry)
    # Flags after all saves: doveadm save cannot set them.
    for entry in entries:
        if entry["flags"]:
            dv.flag(mailbox, entry["message_id"], entry["flags"])
    return entries


def cmd_write(args):
    os.makedirs(args.dir, exist_ok=True)
    user = args.user or "user"
    entries = []
    for index in range(args.start, args.start + args.count):
        msg, entry = make_message(args.seed, index, user)
        data = render(msg)
        name = "%04d.eml" % index
        with open(os.path.join(args.dir, name), "wb") as f:
            f.write(data)
        entry["file"] = name
        entry["size"] = len(data)
        entries.append(entry)
    with open(os.path.join(args.dir, "manifest.json"), "w",
              encoding="utf-8") as f:
        json.dump(entries, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return entries


def doveadm_from(args):
    conf = args.conf or default_conf()
    if not conf or not os.path.exists(conf):
        sys.exit("sample-mail.py: no Dovecot configuration: use --conf or "
                 "set IMAPSH_TEST_CONF (see tests/lib/dovecot.sh)")
    return Doveadm(args.doveadm, conf, args.user)


def cmd_deliver(args):
    return deliver(doveadm_from(args), args.mailbox, args.seed, args.start,
                   args.count, "inbox")


def cmd_mailboxes(args):
    dv = doveadm_from(args)
    entries = []
    for mailbox, count, offset, traffic in MAILBOXES:
        entries += deliver(dv, mailbox, args.seed + offset, 1, count,
                           traffic)
    return entries


MIME_ATTACHMENT = bytes(range(256)) * 4
MIME_TEXT = ("Grüße aus Köln,\n\ndie Rechnung hängt an.\n"
             "Eine lange Zeile, die quoted-printable weich umbrochen wird, "
             "weil sie länger ist als sechsundsiebzig Zeichen.\n")


def mime_sample():
    """The fixed message of `mime`, with CRLF line ends."""
    import base64
    import quopri
    qp = quopri.encodestring(MIME_TEXT.encode("iso-8859-1"))
    b64 = base64.encodebytes(MIME_ATTACHMENT)
    msg = (b"From: =?UTF-8?Q?Jos=C3=A9_M=C3=BCller?= <jose@example.de>\n"
           b"To: Alice <alice@example.org>\n"
           b"Subject: =?ISO-8859-1?Q?Gr=FC=DFe_aus_K=F6ln?= "
           b"=?UTF-8?B?8J+Tpw==?=\n"
           b"Date: Mon, 7 Dec 2026 06:00:00 +0000\n"
           b"Message-ID: <mime-sample@imapsh.test>\n"
           b"MIME-Version: 1.0\n"
           b"Content-Type: multipart/mixed; boundary=\"mixed\"\n\n"
           b"--mixed\n"
           b"Content-Type: multipart/alternative; boundary=\"alt\"\n\n"
           b"--alt\n"
           b"Content-Type: text/plain; charset=ISO-8859-1\n"
           b"Content-Transfer-Encoding: quoted-printable\n\n" + qp +
           b"\n--alt\n"
           b"Content-Type: text/html; charset=UTF-8\n\n"
           b"<p>Gr\xc3\xbc\xc3\x9fe aus K\xc3\xb6ln</p>\n"
           b"--alt--\n\n"
           b"--mixed\n"
           b"Content-Type: application/octet-stream\n"
           b"Content-Disposition: attachment;\n"
           b" filename*=UTF-8''Rechnung%20M%C3%A4rz.bin\n"
           b"Content-Transfer-Encoding: base64\n\n" + b64 +
           b"\n--mixed--\n")
    return msg.replace(b"\n", b"\r\n")


def cmd_mime(args):
    with open(args.file, "wb") as f:
        f.write(mime_sample())
    return []


def main():
    ap = argparse.ArgumentParser(
        description="Deterministic sample mail for imapsh tests.")
    sub = ap.add_subparsers(dest="command", required=True)

    def common(p, need_user):
        p.add_argument("--seed", type=int, default=1,
                       help="seed: same seed, same messages (default 1)")
        p.add_argument("--json", action="store_true",
                       help="print the manifest as JSON on stdout")
        p.add_argument("-u", "--user", required=need_user,
                       help="Dovecot user (write: local part of To:)")
        if need_user:
            p.add_argument("--conf", help="dovecot.conf (default "
                           "$IMAPSH_TEST_CONF or $IMAPSH_TEST_DIR/"
                           "dovecot.conf)")
            p.add_argument("--doveadm", default="doveadm",
                           help="doveadm binary (default: doveadm)")

    def numbering(p):
        p.add_argument("-n", "--count", type=int, default=10,
                       help="number of messages (default 10)")
        p.add_argument("--start", type=int, default=1,
                       help="index of the first message (default 1)")

    p = sub.add_parser("write", help="write .eml files into DIR")
    p.add_argument("dir")
    numbering(p)
    common(p, False)
    p.set_defaults(func=cmd_write)

    p = sub.add_parser("deliver", help="store messages with doveadm save")
    numbering(p)
    p.add_argument("-m", "--mailbox", default="INBOX")
    common(p, True)
    p.set_defaults(func=cmd_deliver)

    p = sub.add_parser("mailboxes",
                       help="fill INBOX, Archive, Lists/dev and Sent")
    common(p, True)
    p.set_defaults(func=cmd_mailboxes)

    p = sub.add_parser("mime", help="write the fixed MIME sample to FILE")
    p.add_argument("file")
    p.set_defaults(func=cmd_mime, json=False)

    args = ap.parse_args()
    if getattr(args, "count", 1) < 0 or getattr(args, "start", 1) < 1:
        ap.error("--count must be >= 0 and --start >= 1")
    try:
        entries = args.func(args)
    except (RuntimeError, OSError) as e:
        print("sample-mail.py: %s" % e, file=sys.stderr)
        return 1
    if args.json:
        json.dump(entries, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
