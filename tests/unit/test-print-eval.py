#!/usr/bin/env python3
"""test-print-eval.py: the Python half of tests/unit/test-print.c.

test-print prints values with py_print() and asks this script whether
Python agrees.  Every expected value is built here, independently of the C
code: the fixed cases from their own recipe, the random ones from a seed.

  gen SEED COUNT FILE   write COUNT random values for the C side to build
  check SEED COUNT FILE FILE holds "#### name" blocks printed by C; for each
                        check that ast.literal_eval() gives back exactly the
                        expected value, that the text is what pprint's own
                        algorithm gives when only long bytes/str splitting
                        is swapped for imapsh's rule (Oracle below), and,
                        for the cases in EXACT, that it is exactly
                        pprint.pformat(value, width=80)
  cps FILE              FILE holds the repr of chr(cp) for every code point
                        but surrogates, one per line: compare with repr()

Output: one "ok NAME" / "not ok NAME: why" line per check, "# " lines for
diagnostics; test-print.c turns them into TAP.
"""

import ast
import difflib
import pprint
import random
import sys

PIECE_MAX = 1000
WIDTH = 80

# --- imapsh's split rule, in the shape of pprint's own wrapping ----------


def split_pieces(data, is_str):
    """Cut after each b'\\n'; a longer run into PIECE_MAX-byte pieces,
    one more to keep a CRLF whole, fewer so as not to cut UTF-8."""
    pieces = []
    pos = 0
    total = len(data)
    while pos < total:
        avail = total - pos
        n = min(avail, PIECE_MAX)
        nl = data.find(b'\n', pos, pos + n)
        if nl != -1:
            n = nl - pos + 1
        elif n < avail:
            if data[pos + n - 1] == 0x0d and data[pos + n] == 0x0a:
                n += 1
            elif is_str:
                while n > PIECE_MAX - 3 and (data[pos + n] & 0xc0) == 0x80:
                    n -= 1
        pieces.append(data[pos:pos + n])
        pos += n
    return pieces


class Oracle(pprint.PrettyPrinter):
    """pprint with bytes and str wrapping replaced by imapsh's rule."""

    _dispatch = dict(pprint.PrettyPrinter._dispatch)

    def _pprint_bytes(self, obj, stream, indent, allowance, context, level):
        if len(obj) <= 4:
            stream.write(repr(obj))
            return
        reps = [repr(p) for p in split_pieces(obj, False)]
        if level == 1:
            indent += 1
            stream.write('(')
        stream.write(('\n' + ' ' * indent).join(reps))
        if level == 1:
            stream.write(')')

    def _pprint_str(self, obj, stream, indent, allowance, context, level):
        pieces = split_pieces(obj.encode('utf-8'), True)
        if len(pieces) <= 1:
            stream.write(repr(obj))
            return
        reps = [repr(p.decode('utf-8')) for p in pieces]
        if level == 1:
            indent += 1
            stream.write('(')
        stream.write(('\n' + ' ' * indent).join(reps))
        if level == 1:
            stream.write(')')

    _dispatch[bytes.__repr__] = _pprint_bytes
    _dispatch[str.__repr__] = _pprint_str


def oracle(v):
    return Oracle(width=WIDTH).pformat(v)


# --- fixed cases: the same recipes are written in C ----------------------

MSG = (b'Return-Path: <alice@example.org>\r\n'
       b'Delivered-To: bob@example.org\r\n'
       b'Received: from mx.example.org by imap.example.org with LMTP\r\n'
       b'Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n'
       b'From: "Alice O\'Hara" <alice@example.org>\r\n'
       b'To: bob@example.org\r\n'
       b'Subject: =?utf-8?q?caf=C3=A9?= \x1b[31mred\x1b[0m\r\n'
       b'Content-Type: text/plain; charset=utf-8\r\n'
       b'\r\n'
       b'Hello Bob,\r\n'
       b'caf\xc3\xa9 \\ tab\there \xe2\x80\xae evil\r\n'
       b'-- \r\n'
       b'Alice\r\n')


def big_literal():
    """About 3 MB: CRLF lines holding every byte value, long lines."""
    parts = []
    for i in range(52000):
        if i % 1000 == 999:
            parts.append(b'X' * (3000 + i % 7) + b'\r\n')
        elif i % 777 == 0:
            # A CR right at the PIECE_MAX cut, then LF.
            parts.append(b'Y' * (PIECE_MAX - 1) + b'\r\n')
        else:
            parts.append(b'Line %d: ' % i +
                         bytes((i * 7 + k) % 256 for k in range(i % 97)) +
                         b'\r\n')
    return b''.join(parts)


def nest(depth, leaf):
    v = leaf
    for _ in range(depth):
        v = [v]
    return v


def fixed_cases():
    big = big_literal()
    lst = []
    for i in range(40):
        lst.append(b'(\\HasNoChildren) "/" "Folder %d"' % i)
    lst.append(b'(\\HasChildren \\Noselect) "/" Archive')
    lst.append(b'() "/" "&AMk-t&AOk-"')
    lst.append(b'(\\HasNoChildren) "/" "it\'s"')
    return {
        'fetch': ('OK', [(b'1 (RFC822 {%d}' % len(MSG), MSG), b')']),
        'fetch-spool-3mb': ('OK', [(b'7 (UID 42 BODY[] {%d}' % len(big), big),
                                   b' FLAGS (\\Seen))']),
        'fetch-two-literals': ('OK', [(b'1 (BODY[HEADER] {%d}' % len(MSG[:300]),
                                       MSG[:300]),
                                      (b' BODY[TEXT] {%d}' % len(MSG[300:]),
                                       MSG[300:]),
                                      b')',
                                      (b'2 (RFC822 {0}', b''),
                                      b')']),
        'list': ('OK', lst),
        'search-long': ('OK', [b' '.join(b'%d' % i for i in range(1, 3001))]),
        'one-tuples': ('OK', [(b'x',), (None,), ((b'a', b'b'),), ()]),
        # The ",)" of a 1-tuple leaves 73 columns here, not 74.
        'one-tuple-edge': ('OK', [(b'a\n' + b'x' * 68,)]),
        'empty-list': ('OK', []),
        'none-data': ('OK', [None]),
        'no': ('NO', [b'[TRYCREATE] Mailbox doesn\'t exist: "Foo"']),
        'scalars': (True, False, None, 0, -1, 2 ** 62, -(2 ** 63)),
        'quotes': ('OK', [b"it's", b'say "hi"', b'both \' and "',
                          "str's", 'say "hi"', 'both \' and "',
                          '\u30e6\u30cb\u30b3\u30fc\u30c9 \u202e x \x85',
                          b'\\', '\\']),
        'width-edge': ('OK', [b'a' * 74, b'b' * 71, "'" * 37, '"' * 75,
                              'e' * 75, 'e' * 76, '\xe9' * 75, '\u3000' * 12,
                              ('f' * 74,), ('g' * 75,)]),
        'deep': nest(100, (b'x', b'a\nb', 'abc', 1, None, [], ())),
        'deep-long': nest(30, b'line one\r\nline two\r\n' * 5),
        'top-bytes': b'header: value\r\n' * 20,
        'top-bytes-one-piece': b'z' * 200,
        'top-str': 'first line\nsecond line\n' * 5,
        'top-str-one-piece': 'w' * 200,
        # Cuts at 1000 bytes fall at every place in 2-, 3- and 4-byte
        # sequences.
        'long-str-utf8': ('OK', ['x' * k + c * 600 + '\nx'
                                 for c in ('\U0001f600', '\u20ac', '\u00e9')
                                 for k in range(4)]),
        'many-short': ('OK', [b'%d' % i for i in range(200)]),
    }


EXACT = {'list', 'one-tuples', 'empty-list', 'none-data', 'no', 'scalars',
         'quotes', 'width-edge', 'deep', 'many-short', 'top-str-one-piece'}


# --- random values --------------------------------------------------------

PALETTE = ('abcXYZ019 \'"\\\t\r\n\x00\x1b\x7f' +
           '\x85\xa0\xad\xe9\xff\u0378\u200b\u202e\u2028\u3000\u30c4\ue000'
           '\ufeff\U0001f600\U000e0001\U0010ffff')


def rand_bytes(r):
    k = r.random()
    if k < 0.15:
        # Near the width, with a line end to split at.
        b = bytearray(r.choice(b"ab'\"\\\x00\xff") for _ in range(
            r.randint(60, 80)))
        b[r.randrange(len(b))] = 0x0a
        return bytes(b)
    if k < 0.3:
        n = r.randint(0, 4)
    elif k < 0.7:
        n = r.randint(5, 90)
    elif k < 0.95:
        n = r.randint(90, 400)
    else:
        n = r.randint(900, 3000)
    if r.random() < 0.5:
        return bytes(r.randrange(256) for _ in range(n))
    words = []
    size = 0
    while size < n:
        w = r.choice([b'Subject: hi', b'\r\n', b'x' * r.randint(1, 1200),
                      b"it's", b'"q"', b'\\', b'\r', b'\n', b'\xc3\xa9'])
        words.append(w)
        size += len(w)
    return b''.join(words)[:n]


def rand_str(r):
    n = r.choice([0, 1, 3, 10, 30, 60, 70, 75, 78, 80, 120, 1500])
    n = r.randint(0, n)
    return ''.join(r.choice(PALETTE) for _ in range(n))


def rand_value(r, depth):
    k = r.random()
    if depth > 0 and k < 0.35:
        n = r.choice([0, 1, 1, 1, 2, 2, 3, 5, 8, 30])
        items = [rand_value(r, depth - 1) for _ in range(n)]
        return tuple(items) if r.random() < 0.5 else items
    k = r.random()
    if k < 0.05:
        return None
    if k < 0.1:
        return r.random() < 0.5
    if k < 0.2:
        return r.randint(-(2 ** 63), 2 ** 63 - 1) >> r.randint(0, 63)
    if k < 0.55:
        return rand_str(r)
    return rand_bytes(r)


def rand_cases(seed, count):
    r = random.Random(seed)
    return [rand_value(r, r.randint(0, 7)) for _ in range(count)]


def serialise(v, r, out):
    """The format test-print.c parses; r decides which bytes to spool."""
    if v is None:
        out.append(b'N')
    elif v is True:
        out.append(b'T')
    elif v is False:
        out.append(b'F')
    elif isinstance(v, int):
        out.append(b'i%d;' % v)
    elif isinstance(v, bytes):
        out.append(b'%s%d:' % (b'B' if r.random() < 0.3 else b'b', len(v)))
        out.append(v)
    elif isinstance(v, str):
        e = v.encode('utf-8')
        out.append(b's%d:' % len(e))
        out.append(e)
    else:
        out.append(b'(' if isinstance(v, tuple) else b'[')
        for item in v:
            serialise(item, r, out)
        out.append(b')' if isinstance(v, tuple) else b']')


# --- checks --------------------------------------------------------------


def read_blocks(path):
    with open(path, 'rb') as f:
        text = f.read().decode('utf-8')
    blocks = []
    for chunk in text.split('#### ')[1:]:
        name, _, body = chunk.partition('\n')
        blocks.append((name, body))
    return blocks


def diff(want, got):
    lines = difflib.unified_diff(want.splitlines(), got.splitlines(),
                                 'expected', 'printed', lineterm='', n=1)
    return ['# ' + line[:200] for line in list(lines)[:30]]


def check_one(text, value, exact):
    """None if text is right for value, else (why, diagnostic lines)."""
    try:
        got = ast.literal_eval(text)
    except Exception as e:  # noqa: BLE001 - any failure is a finding
        return ('does not evaluate: %s' % e, ['# ' + text[:400]])
    if repr(got) != repr(value):
        return ('evaluates to another value',
                diff(repr(value)[:5000], repr(got)[:5000]))
    want = oracle(value) + '\n'
    if text != want:
        return ('layout differs from pprint (with imapsh splitting)',
                diff(want, text))
    if exact:
        want = pprint.pformat(value, width=WIDTH) + '\n'
        if text != want:
            return ('differs from pprint.pformat', diff(want, text))
    return None


def cmd_gen(seed, count, path):
    r = random.Random(seed + 1)
    out = []
    for i, v in enumerate(rand_cases(seed, count)):
        out.append(b'fuzz-%d\n' % i)
        serialise(v, r, out)
        out.append(b'\n')
    with open(path, 'wb') as f:
        f.write(b''.join(out))


def cmd_check(seed, count, path):
    fixed = fixed_cases()
    rand = rand_cases(seed, count)
    seen = set()
    fuzz_bad = []
    nfuzz = 0
    nsame = 0
    for name, text in read_blocks(path):
        if name.startswith('fuzz-'):
            nfuzz += 1
            i = int(name[5:])
            res = check_one(text, rand[i], False)
            if res is not None:
                fuzz_bad.append((name, res, rand[i]))
            elif text == pprint.pformat(rand[i], width=WIDTH) + '\n':
                nsame += 1
            continue
        seen.add(name)
        if name not in fixed:
            print('not ok %s: no such case' % name)
            continue
        res = check_one(text, fixed[name], name in EXACT)
        if res is None:
            print('ok %s' % name)
        else:
            print('not ok %s: %s' % (name, res[0]))
            for line in res[1]:
                print(line)
    for name in sorted(set(fixed) - seen):
        print('not ok %s: not printed' % name)
    if nfuzz != count:
        print('not ok fuzz: %d of %d values printed' % (nfuzz, count))
    elif fuzz_bad:
        print('not ok fuzz: %d of %d random values wrong' %
              (len(fuzz_bad), count))
        for name, res, v in fuzz_bad[:3]:
            print('# %s: %s: %s' % (name, res[0], repr(v)[:300]))
            for line in res[1]:
                print(line)
    else:
        print('# %d of the %d random values print exactly as '
              'pprint.pformat; the rest differ only by the splitting '
              'of long bytes/str' % (nsame, count))
        print('ok fuzz: %d random values (seed %d)' % (count, seed))


def cmd_cps(path):
    with open(path, 'rb') as f:
        lines = f.read().decode('utf-8').split('\n')
    bad = []
    i = 0
    for cp in range(0x110000):
        if 0xd800 <= cp <= 0xdfff:
            continue
        want = repr(chr(cp))
        got = lines[i] if i < len(lines) else '<missing>'
        i += 1
        if got != want:
            bad.append('# U+%04X: expected %s, printed %s' % (cp, want, got))
    if bad:
        print('not ok cps: %d code points differ' % len(bad))
        for line in bad[:20]:
            print(line)
    else:
        print('ok cps')


def main():
    if len(sys.argv) == 5 and sys.argv[1] == 'gen':
        cmd_gen(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    elif len(sys.argv) == 5 and sys.argv[1] == 'check':
        cmd_check(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    elif len(sys.argv) == 3 and sys.argv[1] == 'cps':
        cmd_cps(sys.argv[2])
    else:
        sys.exit('usage: test-print-eval.py gen|check SEED COUNT FILE | '
                 'cps FILE')


if __name__ == '__main__':
    main()
