#!/usr/bin/env python3
"""Read imapsh's output as a stream of Python literals, in little memory.

imapsh prints each result as the Python literal imaplib would return, a
long literal split into adjacent bytes literals at its line ends.  For a
50 MB message that is some 700 000 lines: ast.literal_eval of the whole
needs about ten times the message in memory.  This reads the output with
tokenize, one token at a time, and folds every run of adjacent string
literals into its length and SHA-256 (keeping the value itself when it is
short), so memory stays small whatever the size.

  pyliteral.py show OUTPUT
      Print each top-level value of OUTPUT, long strings as digests.

  pyliteral.py fetched-literal OUTPUT MESSAGE
      Check that the last value of OUTPUT is the result of fetching one
      literal, ('OK', [(b'N (... {SIZE}', DATA), b')']), whose DATA is
      the file MESSAGE byte for byte.  Exit 0 if so, 1 (saying why) if
      not.

Tuples, lists, str and bytes literals, numbers, None, True and False are
understood: what imapsh prints, nothing else.  Exit status 2 on output
that is not such literals.
"""

import ast
import codecs
import hashlib
import re
import sys
import tokenize

SMALL = 4096    # strings up to this long are kept as they are


class Digest:
    """A long str or bytes value: its type, length, SHA-256 and start."""

    def __init__(self, kind, length, sha256, head):
        self.kind = kind
        self.length = length
        self.sha256 = sha256
        self.head = head

    def __repr__(self):
        return "<%s, %d long, sha256 %s, starting %r>" % (
            self.kind.__name__, self.length, self.sha256, self.head[:40])


class StringRun:
    """Adjacent string literals, which Python joins into one value."""

    def __init__(self, value):
        self.kind = type(value)
        self.hash = hashlib.sha256()
        self.length = 0
        self.head = value[:0]
        self.add(value)

    def add(self, value):
        if type(value) is not self.kind:
            raise ValueError("adjacent str and bytes literals")
        self.hash.update(value if isinstance(value, bytes)
                         else value.encode("utf-8", "surrogatepass"))
        self.length += len(value)
        if len(self.head) <= SMALL:
            self.head += value[:SMALL + 1 - len(self.head)]

    def value(self):
        if self.length <= SMALL:
            return self.head
        return Digest(self.kind, self.length, self.hash.hexdigest(),
                      self.head)


def string_token(s):
    """The value of one string token; bytes the fast way."""
    if s[:2] in ("b'", 'b"') and s[2:4] != s[1] * 2:
        # b'...' as repr() writes it: escapes as in a bytes literal.
        return codecs.escape_decode(s[2:-1])[0]
    return ast.literal_eval(s)


def values(f):
    """Yield the top-level values read from the text file F."""
    stack = []      # open containers: [opening char, items]
    run = None

    def put(value):
        if stack:
            stack[-1][1].append(value)
            return False
        return True

    for tok in tokenize.generate_tokens(f.readline):
        t, s = tok.type, tok.string
        if t == tokenize.STRING:
            v = string_token(s)
            if run is None:
                run = StringRun(v)
            else:
                run.add(v)
            continue
        if t in (tokenize.NL, tokenize.COMMENT):
            continue
        if run is not None:
            v, run = run.value(), None
            if put(v):
                yield v
        if t == tokenize.OP and s in "([":
            stack.append([s, []])
        elif t == tokenize.OP and s in ")]":
            if not stack or "([".index(stack[-1][0]) != ")]".index(s):
                raise ValueError("unbalanced %r at %s" % (s, tok.start))
            kind, items = stack.pop()
            v = tuple(items) if kind == "(" else items
            if put(v):
                yield v
        elif t == tokenize.OP and s == ",":
            if not stack:
                raise ValueError("',' outside a tuple at %s" % (tok.start,))
        elif t == tokenize.OP and s == "-":
            raise ValueError("negative numbers are not expected")
        elif t in (tokenize.NAME, tokenize.NUMBER):
            v = ast.literal_eval(s)
            if put(v):
                yield v
        elif t in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                   tokenize.ENDMARKER):
            pass
        else:
            raise ValueError("unexpected %r at %s" % (s, tok.start))
    if stack:
        raise ValueError("output ends inside a literal")


def file_digest(path):
    h = hashlib.sha256()
    length = 0
    with open(path, "rb") as f:
        while True:
            chunk = f.read(1 << 20)
            if not chunk:
                break
            h.update(chunk)
            length += len(chunk)
    return length, h.hexdigest()


def check_fetched_literal(output, message):
    with open(output, encoding="utf-8", errors="surrogateescape") as f:
        got = list(values(f))
    if not got:
        return "no result in %s" % output
    last = got[-1]
    length, sha = file_digest(message)
    shape = (isinstance(last, tuple) and len(last) == 2 and last[0] == "OK"
             and isinstance(last[1], list) and len(last[1]) == 2 and
             isinstance(last[1][0], tuple) and len(last[1][0]) == 2 and
             last[1][1] == b")")
    if not shape:
        return "not the result of fetching one literal: %r" % (last,)
    header, data = last[1][0]
    if not isinstance(header, bytes) or \
            not re.match(rb"^\d+ \(.* \{%d\}$" % length, header):
        return "header %r does not announce {%d}" % (header, length)
    if isinstance(data, Digest):
        if data.kind is not bytes:
            return "the literal is %s, not bytes" % data.kind.__name__
        if (data.length, data.sha256) != (length, sha):
            return ("the literal differs from %s: %d bytes, sha256 %s; "
                    "the file: %d bytes, sha256 %s" % (
                        message, data.length, data.sha256, length, sha))
    else:
        with open(message, "rb") as f:
            want = f.read()
        if data != want:
            return "the literal differs from %s:\n  got  %r\n  want %r" % (
                message, data, want)
    return None


def main(argv):
    if len(argv) == 3 and argv[1] == "show":
        with open(argv[2], encoding="utf-8",
                  errors="surrogateescape") as f:
            for v in values(f):
                print(repr(v))
        return 0
    if len(argv) == 4 and argv[1] == "fetched-literal":
        problem = check_fetched_literal(argv[2], argv[3])
        if problem:
            print("pyliteral.py: %s" % problem, file=sys.stderr)
            return 1
        length, sha = file_digest(argv[3])
        print("the fetched literal is %s: %d bytes, sha256 %s" % (
            argv[3], length, sha))
        return 0
    print("usage: pyliteral.py show OUTPUT\n"
          "       pyliteral.py fetched-literal OUTPUT MESSAGE",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (ValueError, SyntaxError, tokenize.TokenError) as e:
        print("pyliteral.py: not imapsh's literals: %s" % e, file=sys.stderr)
        sys.exit(2)
