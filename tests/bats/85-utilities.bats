#!/usr/bin/env bats
# imaplib's module functions as commands (Internaldate2tuple, Int2AP,
# ParseFlags, Time2Internaldate), checked against python3's imaplib itself
# under several time zones, and the utf7 command against the vectors of
# tests/unit/test-utf7.c.  None of it needs a server.
#
# Each case is an imapsh line and the Python expression it stands for.
# imapsh must print exactly what print(repr(expression)) prints; where
# Python raises, imapsh must fail (status 1) with "error: NAME: TYPE: ..."
# naming the same exception class.

load helper

setup()
{
	:	# no Dovecot user: these commands are local
}

# check_cases TZ: every case of tests below, through imapsh and python3,
# both with TZ set; prints the differences and fails if there are any.
check_cases()
{
	TZ=$1 python3 - "$IMAPSH" <<'EOF'
import imaplib as I
import re
import subprocess
import sys

imapsh = sys.argv[1]

IDATE = 'INTERNALDATE "%s"'
CASES = [
    # Internaldate2tuple: the whole response line, a group, the call form.
    ("Internaldate2tuple '1 (INTERNALDATE \"17-Jul-1996 02:44:25 -0700\")'",
     "I.Internaldate2tuple(b'1 (INTERNALDATE \"17-Jul-1996 02:44:25 -0700\")')"),
    ('internaldate2tuple (INTERNALDATE "17-Jul-1996 02:44:25 -0700")',
     "I.Internaldate2tuple(b'(INTERNALDATE \"17-Jul-1996 02:44:25 -0700\")')"),
    ("Internaldate2tuple(b'12 (UID 7 INTERNALDATE \"01-Jan-2024 00:00:00 +0000\" FLAGS ())')",
     "I.Internaldate2tuple(b'12 (UID 7 INTERNALDATE \"01-Jan-2024 00:00:00 +0000\" FLAGS ())')"),
    ("Internaldate2tuple(resp=b'INTERNALDATE \"29-Feb-2024 23:59:59 +0530\"')",
     "I.Internaldate2tuple(b'INTERNALDATE \"29-Feb-2024 23:59:59 +0530\"')"),
    # A space-padded day; days and hours past the end carry over (timegm).
    ("Internaldate2tuple 'INTERNALDATE \" 5-Jan-2024 12:00:00 +0000\"'",
     "I.Internaldate2tuple(b'INTERNALDATE \" 5-Jan-2024 12:00:00 +0000\"')"),
    ("Internaldate2tuple 'INTERNALDATE \"00-Mar-2024 99:99:99 -9999\"'",
     "I.Internaldate2tuple(b'INTERNALDATE \"00-Mar-2024 99:99:99 -9999\"')"),
    ("Internaldate2tuple 'INTERNALDATE \"39-Dec-9999 23:59:59 -2359\"'",
     "I.Internaldate2tuple(b'INTERNALDATE \"39-Dec-9999 23:59:59 -2359\"')"),
    ("Internaldate2tuple 'INTERNALDATE \"01-Jan-0001 00:00:00 +0000\"'",
     "I.Internaldate2tuple(b'INTERNALDATE \"01-Jan-0001 00:00:00 +0000\"')"),
    ("Internaldate2tuple 'INTERNALDATE \"01-Jan-1850 00:00:00 +0000\"'",
     "I.Internaldate2tuple(b'INTERNALDATE \"01-Jan-1850 00:00:00 +0000\"')"),
    # Either side of the DST changes of the zones tested.
    ("Internaldate2tuple 'INTERNALDATE \"10-Mar-2024 06:59:59 +0000\"'",
     "I.Internaldate2tuple(b'INTERNALDATE \"10-Mar-2024 06:59:59 +0000\"')"),
    ("Internaldate2tuple 'INTERNALDATE \"10-Mar-2024 07:00:00 +0000\"'",
     "I.Internaldate2tuple(b'INTERNALDATE \"10-Mar-2024 07:00:00 +0000\"')"),
    ("Internaldate2tuple 'INTERNALDATE \"06-Apr-2024 14:59:59 +0000\"'",
     "I.Internaldate2tuple(b'INTERNALDATE \"06-Apr-2024 14:59:59 +0000\"')"),
    ("Internaldate2tuple 'INTERNALDATE \"06-Apr-2024 15:00:00 +0000\"'",
     "I.Internaldate2tuple(b'INTERNALDATE \"06-Apr-2024 15:00:00 +0000\"')"),
    ("Internaldate2tuple 'INTERNALDATE \"05-Oct-2024 15:30:00 +0000\"'",
     "I.Internaldate2tuple(b'INTERNALDATE \"05-Oct-2024 15:30:00 +0000\"')"),
    # The last match before the first newline wins; none after it.
    ("Internaldate2tuple 'INTERNALDATE \"01-Jan-2020 00:00:00 +0000\" INTERNALDATE \"02-Feb-2021 01:01:01 +0100\"'",
     "I.Internaldate2tuple(b'INTERNALDATE \"01-Jan-2020 00:00:00 +0000\" INTERNALDATE \"02-Feb-2021 01:01:01 +0100\"')"),
    ("Internaldate2tuple('INTERNALDATE \"01-Jan-2020 00:00:00 +0000\"\\nINTERNALDATE \"02-Feb-2021 01:01:01 +0100\"')",
     "I.Internaldate2tuple(b'INTERNALDATE \"01-Jan-2020 00:00:00 +0000\"\\nINTERNALDATE \"02-Feb-2021 01:01:01 +0100\"')"),
    ("Internaldate2tuple('1 (FLAGS ())\\n INTERNALDATE \"01-Jan-2020 00:00:00 +0000\"')",
     "I.Internaldate2tuple(b'1 (FLAGS ())\\n INTERNALDATE \"01-Jan-2020 00:00:00 +0000\"')"),
    ("Internaldate2tuple '\u00e9 INTERNALDATE \"01-Jan-2020 00:00:00 +0000\"'",
     "I.Internaldate2tuple('\u00e9 INTERNALDATE \"01-Jan-2020 00:00:00 +0000\"'.encode())"),
    # Wrong formats: None.
    ('Internaldate2tuple "17-Jul-1996 02:44:25 -0700"',
     "I.Internaldate2tuple(b'\"17-Jul-1996 02:44:25 -0700\"')"),
    ("Internaldate2tuple 'INTERNALDATE 17-Jul-1996 02:44:25 -0700'",
     "I.Internaldate2tuple(b'INTERNALDATE 17-Jul-1996 02:44:25 -0700')"),
    ("Internaldate2tuple 'internaldate \"17-Jul-1996 02:44:25 -0700\"'",
     "I.Internaldate2tuple(b'internaldate \"17-Jul-1996 02:44:25 -0700\"')"),
    ("Internaldate2tuple 'INTERNALDATE \"17-jul-1996 02:44:25 -0700\"'",
     "I.Internaldate2tuple(b'INTERNALDATE \"17-jul-1996 02:44:25 -0700\"')"),
    ("Internaldate2tuple 'INTERNALDATE \"7-Jul-1996 02:44:25 -0700\"'",
     "I.Internaldate2tuple(b'INTERNALDATE \"7-Jul-1996 02:44:25 -0700\"')"),
    ("Internaldate2tuple 'INTERNALDATE \"47-Jul-1996 02:44:25 -0700\"'",
     "I.Internaldate2tuple(b'INTERNALDATE \"47-Jul-1996 02:44:25 -0700\"')"),
    ("Internaldate2tuple 'INTERNALDATE \"17-Jul-1996 02:44:25 0700\"'",
     "I.Internaldate2tuple(b'INTERNALDATE \"17-Jul-1996 02:44:25 0700\"')"),
    ("Internaldate2tuple 'INTERNALDATE \"17-Jul-96 02:44:25 -0700\"'",
     "I.Internaldate2tuple(b'INTERNALDATE \"17-Jul-96 02:44:25 -0700\"')"),
    ("Internaldate2tuple 'INTERNALDATE \"17-Jul-1996 02:44:25 -0700'",
     "I.Internaldate2tuple(b'INTERNALDATE \"17-Jul-1996 02:44:25 -0700')"),
    ("Internaldate2tuple ''", "I.Internaldate2tuple(b'')"),
    ("Internaldate2tuple nothing", "I.Internaldate2tuple(b'nothing')"),
    # What imaplib raises.
    ("Internaldate2tuple 'INTERNALDATE \"17-Foo-1996 02:44:25 -0700\"'",
     "I.Internaldate2tuple(b'INTERNALDATE \"17-Foo-1996 02:44:25 -0700\"')"),
    ("Internaldate2tuple 'INTERNALDATE \"17-Jul-0000 02:44:25 -0700\"'",
     "I.Internaldate2tuple(b'INTERNALDATE \"17-Jul-0000 02:44:25 -0700\"')"),
    ("Internaldate2tuple(None)", "I.Internaldate2tuple(None)"),
    ("Internaldate2tuple(5)", "I.Internaldate2tuple(5)"),

    # Int2AP: edge values, any size, signs, the shell form's other forms.
    ("Int2AP 0", "I.Int2AP(0)"),
    ("Int2AP 1", "I.Int2AP(1)"),
    ("int2ap 15", "I.Int2AP(15)"),
    ("INT2AP 16", "I.Int2AP(16)"),
    ("Int2AP 4095", "I.Int2AP(4095)"),
    ("Int2AP(4096)", "I.Int2AP(4096)"),
    ("Int2AP(num=65536)", "I.Int2AP(65536)"),
    ("Int2AP -1", "I.Int2AP(-1)"),
    ("Int2AP(-4096)", "I.Int2AP(-4096)"),
    ("Int2AP 2147483647", "I.Int2AP(2147483647)"),
    ("Int2AP 9223372036854775807", "I.Int2AP(9223372036854775807)"),
    ("Int2AP 9223372036854775808", "I.Int2AP(9223372036854775808)"),
    ("Int2AP -9223372036854775808", "I.Int2AP(-9223372036854775808)"),
    ("Int2AP 18446744073709551615", "I.Int2AP(18446744073709551615)"),
    ("Int2AP 18446744073709551616", "I.Int2AP(18446744073709551616)"),
    ("Int2AP(" + "9" * 300 + ")", "I.Int2AP(" + "9" * 300 + ")"),
    ("Int2AP -" + "12345678901234567890" * 10, "I.Int2AP(-" + "12345678901234567890" * 10 + ")"),
    ("Int2AP 1_000_000", "I.Int2AP(1_000_000)"),
    ("Int2AP 0x1F", "I.Int2AP(0x1F)"),
    ("Int2AP -0xffff_ffff_ffff_ffff_ffff", "I.Int2AP(-0xffff_ffff_ffff_ffff_ffff)"),
    ("Int2AP 0o17", "I.Int2AP(0o17)"),
    ("Int2AP 0b101", "I.Int2AP(0b101)"),
    ("Int2AP 000", "I.Int2AP(000)"),
    ("Int2AP(True)", "I.Int2AP(True)"),
    ("Int2AP(False)", "I.Int2AP(False)"),
    ("Int2AP 4096.9", "I.Int2AP(4096.9)"),
    ("Int2AP -4096.9", "I.Int2AP(-4096.9)"),
    ("Int2AP 0.5", "I.Int2AP(0.5)"),
    ("Int2AP 1e300", "I.Int2AP(1e300)"),
    ("Int2AP 4503599627370497.0", "I.Int2AP(4503599627370497.0)"),
    ("Int2AP 1e999", "I.Int2AP(1e999)"),
    ("Int2AP(None)", "I.Int2AP(None)"),
    ("Int2AP('4096')", "I.Int2AP('4096')"),
    ("Int2AP \"4096\"", "I.Int2AP('\"4096\"')"),
    ("Int2AP abc", "I.Int2AP('abc')"),
    ("Int2AP 0123", "I.Int2AP('0123')"),

    # ParseFlags, with Gmail's flags holding ']'.
    ("ParseFlags '1 (FLAGS (\\Seen \\Answered))'",
     "I.ParseFlags(rb'1 (FLAGS (\\Seen \\Answered))')"),
    ("parseflags (FLAGS (\\Seen))", "I.ParseFlags(rb'(FLAGS (\\Seen))')"),
    ("ParseFlags '12 (FLAGS (\\Seen $Forwarded [Gmail]/Important))'",
     "I.ParseFlags(rb'12 (FLAGS (\\Seen $Forwarded [Gmail]/Important))')"),
    ("ParseFlags '1 (X-GM-LABELS (\"\\\\Important\") FLAGS (\\Seen Junk]))'",
     "I.ParseFlags(rb'1 (X-GM-LABELS (\"\\\\Important\") FLAGS (\\Seen Junk]))')"),
    ("ParseFlags(b'1 (UID 5 FLAGS (\\\\Seen \\\\Answered) RFC822.SIZE 44)')",
     "I.ParseFlags(b'1 (UID 5 FLAGS (\\\\Seen \\\\Answered) RFC822.SIZE 44)')"),
    ("ParseFlags '1 (FLAGS ())'", "I.ParseFlags(b'1 (FLAGS ())')"),
    ("ParseFlags '1 (UID 5)'", "I.ParseFlags(b'1 (UID 5)')"),
    ("ParseFlags 'FLAGS'", "I.ParseFlags(b'FLAGS')"),
    ("ParseFlags('1 (FLAGS (\\\\Seen\\n\\\\Deleted))')",
     "I.ParseFlags(b'1 (FLAGS (\\\\Seen\\n\\\\Deleted))')"),
    ("ParseFlags('x\\n1 (FLAGS (\\\\Seen))')",
     "I.ParseFlags(b'x\\n1 (FLAGS (\\\\Seen))')"),
    ("ParseFlags(None)", "I.ParseFlags(None)"),

    # Time2Internaldate: int and float epochs, near DST changes and the
    # ends of datetime's range, local mean time offsets with seconds.
    ("Time2Internaldate 0", "I.Time2Internaldate(0)"),
    ("Time2Internaldate(1700000000)", "I.Time2Internaldate(1700000000)"),
    ("Time2Internaldate(date_time=-1)", "I.Time2Internaldate(-1)"),
    ("Time2Internaldate 1710053999", "I.Time2Internaldate(1710053999)"),
    ("Time2Internaldate 1710054000", "I.Time2Internaldate(1710054000)"),
    ("Time2Internaldate 1730613599", "I.Time2Internaldate(1730613599)"),
    ("Time2Internaldate 1730613600", "I.Time2Internaldate(1730613600)"),
    ("Time2Internaldate 1712415599", "I.Time2Internaldate(1712415599)"),
    ("Time2Internaldate 1712415600", "I.Time2Internaldate(1712415600)"),
    ("Time2Internaldate 1728142199", "I.Time2Internaldate(1728142199)"),
    ("Time2Internaldate 1728142200", "I.Time2Internaldate(1728142200)"),
    ("Time2Internaldate -3786825600", "I.Time2Internaldate(-3786825600)"),
    ("Time2Internaldate -2000000000", "I.Time2Internaldate(-2000000000)"),
    ("Time2Internaldate -30000000000", "I.Time2Internaldate(-30000000000)"),
    ("Time2Internaldate 253402300799", "I.Time2Internaldate(253402300799)"),
    ("Time2Internaldate 253402300800", "I.Time2Internaldate(253402300800)"),
    ("Time2Internaldate -62135596800", "I.Time2Internaldate(-62135596800)"),
    ("Time2Internaldate -62135596801", "I.Time2Internaldate(-62135596801)"),
    ("Time2Internaldate -62135500000", "I.Time2Internaldate(-62135500000)"),
    ("Time2Internaldate 1000000000000", "I.Time2Internaldate(1000000000000)"),
    ("Time2Internaldate 4611686018427387904", "I.Time2Internaldate(4611686018427387904)"),
    ("Time2Internaldate 9223372036854775808", "I.Time2Internaldate(9223372036854775808)"),
    ("Time2Internaldate 1.5", "I.Time2Internaldate(1.5)"),
    ("Time2Internaldate -1.5", "I.Time2Internaldate(-1.5)"),
    ("Time2Internaldate 0.9999995", "I.Time2Internaldate(0.9999995)"),
    ("Time2Internaldate 0.9999994", "I.Time2Internaldate(0.9999994)"),
    ("Time2Internaldate -0.0000005", "I.Time2Internaldate(-0.0000005)"),
    ("Time2Internaldate -0.0000015", "I.Time2Internaldate(-0.0000015)"),
    ("Time2Internaldate 1700000000.999999", "I.Time2Internaldate(1700000000.999999)"),
    ("Time2Internaldate 1_700_000_000.25", "I.Time2Internaldate(1_700_000_000.25)"),
    ("Time2Internaldate 1.7e9", "I.Time2Internaldate(1.7e9)"),
    ("Time2Internaldate .5", "I.Time2Internaldate(.5)"),
    ("Time2Internaldate 1e300", "I.Time2Internaldate(1e300)"),
    ("Time2Internaldate -1e999", "I.Time2Internaldate(-1e999)"),
    ("Time2Internaldate(True)", "I.Time2Internaldate(True)"),
    ("Time2Internaldate 0x10", "I.Time2Internaldate(0x10)"),
    # Double-quoted strings come back as they are; other strings raise.
    ('Time2Internaldate "17-Jul-1996 02:44:25 -0700"',
     "I.Time2Internaldate('\"17-Jul-1996 02:44:25 -0700\"')"),
    ("Time2Internaldate('\"x\"')", "I.Time2Internaldate('\"x\"')"),
    ("Time2Internaldate('\"')", "I.Time2Internaldate('\"')"),
    ("Time2Internaldate('\"it\\'s\"')", "I.Time2Internaldate('\"it\\'s\"')"),
    ("Time2Internaldate('')", "I.Time2Internaldate('')"),
    ("Time2Internaldate('now')", "I.Time2Internaldate('now')"),
    ("Time2Internaldate('1700000000')", "I.Time2Internaldate('1700000000')"),
    ("Time2Internaldate abc", "I.Time2Internaldate('abc')"),
    ("Time2Internaldate(None)", "I.Time2Internaldate(None)"),
    # 9-tuples of local time, in the shell form, as a group; quoted, the
    # tuple is a str, as in the call form.
    ("Time2Internaldate (2024, 1, 5, 12, 0, 0, 4, 5, -1)",
     "I.Time2Internaldate((2024, 1, 5, 12, 0, 0, 4, 5, -1))"),
    ("Time2Internaldate (2024, 7, 5, 12, 0, 0, 4, 187, -1)",
     "I.Time2Internaldate((2024, 7, 5, 12, 0, 0, 4, 187, -1))"),
    ("Time2Internaldate '(2024, 7, 5, 12, 0, 0, 4, 187, -1)'",
     "I.Time2Internaldate('(2024, 7, 5, 12, 0, 0, 4, 187, -1)')"),
    ("Time2Internaldate (2024,1,5,12,0,0,4,5,0)",
     "I.Time2Internaldate((2024,1,5,12,0,0,4,5,0))"),
    ("Time2Internaldate (2024, 1, 5, 12, 0, 0, 4, 5, 1)",
     "I.Time2Internaldate((2024, 1, 5, 12, 0, 0, 4, 5, 1))"),
    ("Time2Internaldate (2024, 1, 5, 12, 0, 0, 4, 5, -2)",
     "I.Time2Internaldate((2024, 1, 5, 12, 0, 0, 4, 5, -2))"),
    ("Time2Internaldate (2024, 1, 5, 12, 0, 0, 4, 5, 2)",
     "I.Time2Internaldate((2024, 1, 5, 12, 0, 0, 4, 5, 2))"),
    ("Time2Internaldate (2024, 3, 10, 2, 30, 0, 6, 70, -1)",
     "I.Time2Internaldate((2024, 3, 10, 2, 30, 0, 6, 70, -1))"),
    ("Time2Internaldate (2024, 11, 3, 1, 30, 0, 6, 308, -1)",
     "I.Time2Internaldate((2024, 11, 3, 1, 30, 0, 6, 308, -1))"),
    ("Time2Internaldate (2024, 4, 7, 1, 45, 0, 6, 98, -1)",
     "I.Time2Internaldate((2024, 4, 7, 1, 45, 0, 6, 98, -1))"),
    ("Time2Internaldate (2024, 10, 6, 2, 15, 0, 6, 280, -1)",
     "I.Time2Internaldate((2024, 10, 6, 2, 15, 0, 6, 280, -1))"),
    ("Time2Internaldate (2024, 13, 5, 12, 0, 0, 4, 5, -1)",
     "I.Time2Internaldate((2024, 13, 5, 12, 0, 0, 4, 5, -1))"),
    ("Time2Internaldate (2023, 2, 29, 12, 0, 0, 4, 5, 0)",
     "I.Time2Internaldate((2023, 2, 29, 12, 0, 0, 4, 5, 0))"),
    ("Time2Internaldate (2024, 2, 29, 23, 59, 59, 3, 60, 0)",
     "I.Time2Internaldate((2024, 2, 29, 23, 59, 59, 3, 60, 0))"),
    ("Time2Internaldate (2024, 1, 5, 24, 0, 0, 4, 5, 0)",
     "I.Time2Internaldate((2024, 1, 5, 24, 0, 0, 4, 5, 0))"),
    ("Time2Internaldate (2024, 1, 5, 12, 60, 0, 4, 5, 0)",
     "I.Time2Internaldate((2024, 1, 5, 12, 60, 0, 4, 5, 0))"),
    ("Time2Internaldate (2024, 1, 5, 12, 0, 60, 4, 5, 0)",
     "I.Time2Internaldate((2024, 1, 5, 12, 0, 60, 4, 5, 0))"),
    ("Time2Internaldate (0, 1, 5, 12, 0, 0, 4, 5, 0)",
     "I.Time2Internaldate((0, 1, 5, 12, 0, 0, 4, 5, 0))"),
    ("Time2Internaldate (999, 1, 5, 12, 0, 0, 4, 5, 0)",
     "I.Time2Internaldate((999, 1, 5, 12, 0, 0, 4, 5, 0))"),
    ("Time2Internaldate (1, 1, 1, 0, 0, 0, 0, 1, 0)",
     "I.Time2Internaldate((1, 1, 1, 0, 0, 0, 0, 1, 0))"),
    ("Time2Internaldate (9999, 12, 31, 23, 59, 59, 4, 365, 0)",
     "I.Time2Internaldate((9999, 12, 31, 23, 59, 59, 4, 365, 0))"),
    ("Time2Internaldate (2024, 1, 5)", "I.Time2Internaldate((2024, 1, 5))"),
    ("Time2Internaldate (2024, 1, 5, 12, 0, 0)",
     "I.Time2Internaldate((2024, 1, 5, 12, 0, 0))"),
    ("Time2Internaldate (2024, 1)", "I.Time2Internaldate((2024, 1))"),
    ("Time2Internaldate (2024,)", "I.Time2Internaldate((2024,))"),
    ("Time2Internaldate ()", "I.Time2Internaldate(())"),
    ("Time2Internaldate (1700000000)", "I.Time2Internaldate((1700000000))"),
    ("Time2Internaldate (2024, 1, 5, 12, 0, 0, 4, 5, -1, 0)",
     "I.Time2Internaldate((2024, 1, 5, 12, 0, 0, 4, 5, -1, 0))"),
    ("Time2Internaldate (2024, 1, 5, 12, 0, 0, 4, 5, 0, 0)",
     "I.Time2Internaldate((2024, 1, 5, 12, 0, 0, 4, 5, 0, 0))"),
    ("Time2Internaldate (2024.0, 1, 5, 12, 0, 0, 4, 5, 0)",
     "I.Time2Internaldate((2024.0, 1, 5, 12, 0, 0, 4, 5, 0))"),
    ("Time2Internaldate (2024, 1, 5, 12, 0, 0, 4, 5, 0.0)",
     "I.Time2Internaldate((2024, 1, 5, 12, 0, 0, 4, 5, 0.0))"),
    ("Time2Internaldate (2024, 1, 5, 12, 0, 0, 4.5, 5, -1)",
     "I.Time2Internaldate((2024, 1, 5, 12, 0, 0, 4.5, 5, -1))"),
    ("Time2Internaldate (1099511627776, 1, 5, 12, 0, 0, 4, 5, 0)",
     "I.Time2Internaldate((1099511627776, 1, 5, 12, 0, 0, 4, 5, 0))"),
    ("Time2Internaldate (-2147483649, 1, 5, 12, 0, 0, 4, 5, 0)",
     "I.Time2Internaldate((-2147483649, 1, 5, 12, 0, 0, 4, 5, 0))"),
    ("Time2Internaldate (2024, 1, 5, 12, 0, 0, 4, 5, 1180591620717411303424)",
     "I.Time2Internaldate((2024, 1, 5, 12, 0, 0, 4, 5, 1180591620717411303424))"),
    ("Time2Internaldate (2024, 1, , 5)", "I.Time2Internaldate('(2024, 1, , 5)')"),
    ("Time2Internaldate (2024, x)", "I.Time2Internaldate('(2024, x)')"),
]

# A tuple with tm_isdst -1 goes through mktime(3), whose answer for an
# ambiguous local time depends on glibc's hint from the process's previous
# mktime calls: such cases run in a fresh python3, as imapsh runs fresh.
FRESH = """
import imaplib as I
try:
    print(repr(%s))
except Exception as e:
    print('error: ' + type(e).__name__)
"""

def python(expr):
    if ', -1)' in expr:
        return subprocess.run([sys.executable, '-c', FRESH % expr],
                              capture_output=True, check=True,
                              text=True).stdout.rstrip('\n')
    try:
        return repr(eval(expr))
    except Exception as e:
        return 'error: ' + type(e).__name__

def run_imapsh(line):
    p = subprocess.run([imapsh, '-n', '-c', line], capture_output=True,
                       timeout=60)
    out = p.stdout.decode('utf-8', 'backslashreplace').rstrip('\n')
    err = p.stderr.decode('utf-8', 'backslashreplace').rstrip('\n')
    m = re.fullmatch(r'line 1: error: \w+: (\w+Error): .*', err)
    if p.returncode == 1 and out == '' and m:
        return 'error: ' + m.group(1)
    if p.returncode == 0 and err == '':
        return out
    return 'status %d, stdout %r, stderr %r' % (p.returncode, out, err)

differ = 0
for line, expr in CASES:
    want, got = python(expr), run_imapsh(line)
    if want != got:
        differ += 1
        print('# imapsh -c %s' % line)
        print('#   python: %s' % want)
        print('#   imapsh: %s' % got)
print('%d cases, %d differ' % (len(CASES), differ))
sys.exit(1 if differ else 0)
EOF
}

@test "utilities print what imaplib's functions return, TZ=UTC" {
	run check_cases UTC
	printf '%s\n' "$output" | tail -n 40
	assert_success
}

@test "utilities print what imaplib's functions return, TZ=America/New_York" {
	run check_cases America/New_York
	printf '%s\n' "$output" | tail -n 40
	assert_success
}

@test "utilities print what imaplib's functions return, TZ=Asia/Kolkata" {
	run check_cases Asia/Kolkata
	printf '%s\n' "$output" | tail -n 40
	assert_success
}

@test "utilities print what imaplib's functions return, TZ=Australia/Lord_Howe" {
	run check_cases Australia/Lord_Howe
	printf '%s\n' "$output" | tail -n 40
	assert_success
}

@test "Time2Internaldate now is the time now, in the local offset" {
	local tz
	for tz in UTC America/New_York Asia/Kolkata Australia/Lord_Howe; do
		run env TZ=$tz python3 - "$IMAPSH" <<'EOF'
import datetime, imaplib, subprocess, sys
before = imaplib.Time2Internaldate(datetime.datetime.now().timestamp())
out = subprocess.run([sys.argv[1], '-n', '-c', 'Time2Internaldate now'],
                     capture_output=True, check=True, text=True).stdout
after = imaplib.Time2Internaldate(datetime.datetime.now().timestamp())
got = eval(out)
fmt = '"%d-%b-%Y %H:%M:%S %z"'
when = [datetime.datetime.strptime(x, fmt) for x in (before, got, after)]
# Same offset as Python's, and within the seconds the call took.
assert got[-6:] in (before[-6:], after[-6:]), (before, got, after)
assert when[0] <= when[1] <= when[2], (before, got, after)
print('ok', got)
EOF
		assert_success
		assert_output_contains "ok"
	done
}

@test "Time2Internaldate errors name the exception and fail with status 1" {
	run "$IMAPSH" -n -c "Time2Internaldate('now')"
	assert_failure 1
	assert_output "line 1: error: Time2Internaldate: ValueError: date_time not of a known type"
	run "$IMAPSH" -n -c "Int2AP(None)"
	assert_failure 1
	assert_output "line 1: error: Int2AP: TypeError: bad operand type for abs(): 'NoneType'"
	run "$IMAPSH" -n -c "Internaldate2tuple 'INTERNALDATE \"17-Foo-1996 02:44:25 -0700\"'"
	assert_failure 1
	assert_output "line 1: error: Internaldate2tuple: KeyError: b'Foo'"
}

@test "utility names: mixed case, any case, unique prefixes, help" {
	run "$IMAPSH" -n -c 'int2ap 4096' -c 'INT2AP 4096' -c 'Int2AP(4096)' \
	    -c 'int2 4096' -c 'pars (FLAGS (\Seen))' -c 'time2 0' \
	    -c 'M.Int2AP(4096)'
	assert_success
	assert_output "b'BAAA'
b'BAAA'
b'BAAA'
b'BAAA'
(b'\\\\Seen',)
'\"01-Jan-1970 00:00:00 +0000\"'
b'BAAA'"
	run "$IMAPSH" -n -c 'in 5'
	assert_failure 2
	assert_output_contains "ambiguous command 'in': could be"
	assert_output_contains "Internaldate2tuple Int2AP"
	run "$IMAPSH" -n -c 'help Time2Internaldate' -c 'help utf7'
	assert_success
	assert_output_contains "usage: Time2Internaldate date_time"
	assert_output_contains "usage: utf7 action name"
}

# utf7: the vectors of tests/unit/test-utf7.c, through the command.  The
# expected encodings come from Python's base64 of UTF-16BE; decoding gives
# the str back.
@test "utf7 encodes and decodes the unit vectors and refuses bad names" {
	run python3 - "$IMAPSH" <<'EOF'
import base64, subprocess, sys

imapsh = sys.argv[1]

def mutf7(s):
    out, run = [], []
    def flush():
        if run:
            b64 = base64.b64encode(''.join(run).encode('utf-16-be'))
            out.append('&' + b64.decode().rstrip('=').replace('/', ',') + '-')
            run.clear()
    for ch in s:
        if 0x20 <= ord(ch) <= 0x7e:
            flush()
            out.append('&-' if ch == '&' else ch)
        else:
            run.append(ch)
    flush()
    return ''.join(out)

def ish(*args):
    p = subprocess.run([imapsh, '-n', '-c', *args], capture_output=True)
    return (p.returncode, p.stdout.decode(), p.stderr.decode())

NAMES = ['~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e', '', 'INBOX',
    'Sent Items', '[Gmail]/All Mail', '&', '&&', '1&1', '&1&', 'AT&T',
    '\t', 'm\x7fll', '\t&', '\t&\t', '&\t', '\u00e4', '\u00e4\u00f6\u00fc',
    'm\u00fcll', '\u00fcber', 'Entw\u00fcrfe', 'Gel\u00f6schte Elemente',
    '\u041e\u0442\u043f\u0440\u0430\u0432\u043b\u0435\u043d\u043d\u044b\u0435',
    '\u65e5\u672c\u8a9e&\u53f0\u5317', '\u1e00\u1e01', '\x80', '\ue000',
    '\uffff', '\U0001f602', '\U0001f608\U0001f60e', '\U0010ffff']
bad = 0
for name in NAMES:
    enc = mutf7(name)
    for line, want in (
            ('utf7(%r, %r)' % ('encode', name), repr(enc.encode())),
            ('utf7(%r, %r)' % ('decode', enc), repr(name))):
        got = ish(line)
        if got != (0, want + '\n', ''):
            bad += 1
            print('# %s\n#   want %s\n#   got %r' % (line, want, got))
# The shell form, and a double-quoted name losing its quotes.
for line, want in (
        ('utf7 encode ~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e',
         "b'~peter/mail/&U,BTFw-/&ZeVnLIqe-'"),
        ('utf7 decode ~peter/mail/&U,BTFw-/&ZeVnLIqe-',
         "'~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e'"),
        ('utf7 ENCODE "Sent Items"', "b'Sent Items'"),
        ('utf7 decode "a \\"q\\" &AOQ-"', "'a \"q\" \u00e4'"),
        ('utf7 decode &-', "'&'")):
    got = ish(line)
    if got != (0, want + '\n', ''):
        bad += 1
        print('# %s\n#   want %s\n#   got %r' % (line, want, got))
# Refused, with the reason and status 1.
for action, name in (('decode', '&'), ('decode', '&-&'), ('decode', '&AAk'),
        ('decode', '&AA-'), ('decode', '&AOQA-'), ('decode', '&AOR-'),
        ('decode', '&*Ak-'), ('decode', '&&-'), ('decode', '&AO=-'),
        ('decode', '&AGE-'), ('decode', '&ACY-'), ('decode', '&AAA-'),
        ('decode', '&2D0-'), ('decode', '&3gI-'), ('decode', '&2D0-&3gI-'),
        ('decode', '&AOQ-&APY-'), ('decode', '\u00e4'), ('decode', 'a\tb'),
        ('encode', b'\xff'), ('encode', b'\xc3'), ('encode', b'\xed\xa0\x80'),
        ('encode', b'\xc0\xa6')):
    rc, out, err = ish('utf7(%r, %r)' % (action, name))
    if rc != 1 or out != '' or not err.startswith('line 1: error: utf7: %s' % action):
        bad += 1
        print('# utf7 %s %r: not refused: %r' % (action, name, (rc, out, err)))
rc, out, err = ish('utf7 convert x')
if rc != 1 or 'encode or decode' not in err:
    bad += 1
    print('# utf7 convert: %r' % ((rc, out, err),))
print('%d bad' % bad)
sys.exit(1 if bad else 0)
EOF
	printf '%s\n' "$output" | tail -n 40
	assert_success
	assert_output_contains "0 bad"
}
