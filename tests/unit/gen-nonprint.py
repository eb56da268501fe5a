#!/usr/bin/env python3
# gen-nonprint.py: print the C table of non-printable code points >= U+0080
# (str.isprintable() is False) that src/esc.c uses to repr a str
# exactly as CPython does.  Paste the output over the table in
# esc.c when moving to a newer Unicode version.
import sys
import unicodedata

ranges = []
start = None
for cp in range(0x80, 0x110001):
    np = cp <= 0x10FFFF and not chr(cp).isprintable()
    if np and start is None:
        start = cp
    elif not np and start is not None:
        ranges.append((start, cp - 1))
        start = None

print("/* Python %s, Unicode %s: %d ranges. */" % (
    sys.version.split()[0], unicodedata.unidata_version, len(ranges)))
print("static const struct cp_range nonprint[] = {")
line = "\t"
for lo, hi in ranges:
    item = "{ 0x%x, 0x%x }," % (lo, hi)
    if len(line.expandtabs()) + len(item) + 1 > 79:
        print(line.rstrip())
        line = "\t"
    line += item + " "
print(line.rstrip())
print("};")
