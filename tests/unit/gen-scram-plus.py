#!/usr/bin/env python3
"""tests/unit/gen-scram-plus.py: the SCRAM channel-binding vectors of
test-sasl.c, computed from RFC 5802 section 3 with Python's hashlib and
hmac (nothing of imapsh's).

The RFCs give no worked example with channel binding, so these are built
from fixed nonces, salt and binding data.  The script first reproduces the
RFC 5802 section 5 and RFC 7677 section 3 examples, so the same code is
shown to be the RFC's algorithm, then prints each vector as C string
literals for scram_cb_vectors[].  Run: python3 tests/unit/gen-scram-plus.py
"""

import base64
import hashlib
import hmac


def b64(b):
    return base64.b64encode(b).decode()


def saslname(s):
    return s.replace("=", "=3D").replace(",", "=2C")


def scram(hname, user, authzid, password, cnonce, snonce, salt, it,
          cbflag, cbdata):
    """Returns (client-first, server-first, client-final, server-final)."""
    gs2 = cbflag + "," + ("a=" + saslname(authzid) if authzid else "") + ","
    first_bare = "n=%s,r=%s" % (saslname(user), cnonce)
    server_first = "r=%s%s,s=%s,i=%d" % (cnonce, snonce, salt, it)
    cbind = gs2.encode() + (cbdata if cbflag.startswith("p=") else b"")
    without_proof = "c=%s,r=%s%s" % (b64(cbind), cnonce, snonce)
    auth = ",".join([first_bare, server_first, without_proof]).encode()
    salted = hashlib.pbkdf2_hmac(hname, password.encode(),
                                 base64.b64decode(salt), it)
    ckey = hmac.new(salted, b"Client Key", hname).digest()
    stored = hashlib.new(hname, ckey).digest()
    csig = hmac.new(stored, auth, hname).digest()
    proof = bytes(a ^ b for a, b in zip(ckey, csig))
    skey = hmac.new(salted, b"Server Key", hname).digest()
    ssig = hmac.new(skey, auth, hname).digest()
    return (gs2 + first_bare, server_first,
            without_proof + ",p=" + b64(proof), "v=" + b64(ssig))


# The RFC examples first: the same function must give them.
assert scram("sha1", "user", None, "pencil", "fyko+d2lbbFgONRv9qkxdawL",
             "3rfcNHYJY1ZVvWVs7j", "QSXCR+Q6sek8bf92", 4096, "n", b"")[2:] \
    == ("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,"
        "p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=", "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=")
assert scram("sha256", "user", None, "pencil", "rOprNGfwEbeRWgbNEkqO",
             "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0", "W22ZaJ0SNY7soEsUEjb6gQ==",
             4096, "n", b"")[3] \
    == "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="

# The binding data: 32 bytes 0x00..0x1f stand for a tls-exporter value,
# SHA-256("imapsh test certificate") for a tls-server-end-point hash.
EXPORTER = bytes(range(32))
ENDPOINT = hashlib.sha256(b"imapsh test certificate").digest()

VECTORS = [
    ("SCRAM-SHA-256-PLUS", "sha256", "user", None, "p=tls-exporter",
     EXPORTER, "tls-exporter binding (TLS 1.3)"),
    ("SCRAM-SHA-1-PLUS", "sha1", "user", "admin", "p=tls-server-end-point",
     ENDPOINT, "tls-server-end-point binding (TLS 1.2), with authzid"),
    ("SCRAM-SHA-256", "sha256", "user", None, "y", b"",
     "flag y: could bind, the server offers no -PLUS"),
]


def c_bytes(b):
    return "".join("\\x%02x" % x for x in b)


for mech, h, user, authzid, flag, data, desc in VECTORS:
    cf, sf, cfin, sfin = scram(h, user, authzid, "pencil",
                               "rOprNGfwEbeRWgbNEkqO", "srvnonce",
                               "W22ZaJ0SNY7soEsUEjb6gQ==", 4096, flag, data)
    print('/* %s */' % desc)
    print('{ "%s", "%s", %s, "%s" }' % (mech, flag,
          '"%s"' % authzid if authzid else "NULL", c_bytes(data)))
    for x in (cf, sf, cfin, sfin):
        print('  "%s"' % x)
