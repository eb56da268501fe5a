#!/usr/bin/env bats
# Large literals stream: a 50 MB message goes in with append <file (as
# CRLF, and as LF converted on the way) and comes back with fetch (BODY[])
# byte for byte, and imapsh's peak RSS stays far below the message's size
# in both directions ("Large messages are never held in memory whole, in
# either direction", imapsh(1)); appending 50 MB from a file takes no more
# than appending 1 KB.
#
# The fetched output (about 58 MB of bytes literals) is read by
# tests/lib/pyliteral.py one token at a time and compared by length and
# SHA-256, which takes a couple of seconds and little memory, where
# ast.literal_eval of the whole would need about ten times the message.
#
# Peak RSS comes from /usr/bin/time (or, without it, from getrusage() in
# a python3 wrapper).  The ASan pass still checks the bytes, but skips the
# RSS limit: ASan's shadow memory and quarantine inflate RSS.

load helper

PYLITERAL=$IMAPSH_TESTS_DIR/lib/pyliteral.py
BIG_SIZE=$((50 * 1024 * 1024))
# The limit for imapsh's peak RSS, in kB.
RSS_LIMIT_KB=$((20 * 1024))
IMAPSH_TIMEOUT=60

setup_file()
{
	# 50 MB, deterministic: headers, then base64-alphabet lines of 78
	# bytes with CRLF, each starting with its number so that a chunk
	# lost, doubled or moved shows; the same in 1 KB.
	python3 - "$BATS_FILE_TMPDIR" "$BIG_SIZE" <<-'EOF'
	import sys
	alphabet = (b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	            b"0123456789+/") * 3

	def write(path, size, subject):
	    head = (b"From: stream@example.org\r\nTo: test@example.org\r\n"
	            b"Subject: " + subject + b"\r\nMIME-Version: 1.0\r\n"
	            b"Content-Type: application/octet-stream\r\n"
	            b"Content-Transfer-Encoding: base64\r\n\r\n")
	    lines = [head]
	    n = len(head)
	    i = 0
	    while n + 78 <= size:
	        lines.append(b"%08d" % i + alphabet[i % 64:i % 64 + 68] +
	                     b"\r\n")
	        n += 78
	        i += 1
	    with open(path, "wb") as f:
	        f.write(b"".join(lines))

	write(sys.argv[1] + "/big.eml", int(sys.argv[2]), b"a 50 MB message")
	write(sys.argv[1] + "/small.eml", 1024, b"a 1 KB message")
	EOF
	# The same with LF line ends: converted while it is sent.
	tr -d '\r' <"$BATS_FILE_TMPDIR/big.eml" >"$BATS_FILE_TMPDIR/big-lf.eml"
}

# imapsh_rss RSSFILE ARGS...: run imapsh ARGS (stdin and stdout are the
# caller's) under a timeout; its peak RSS in kB goes to RSSFILE.  Exit
# status is imapsh's.
imapsh_rss()
{
	local rssfile=$1 rc=0

	shift
	if [ -x /usr/bin/time ]; then
		timeout -k 5 "$IMAPSH_TIMEOUT" /usr/bin/time -f '%M' \
		    -o "$rssfile" "$IMAPSH" "$@" || rc=$?
		# "Command exited with non-zero status N" may come first.
		tail -n 1 "$rssfile" >"$rssfile.last" &&
		    mv "$rssfile.last" "$rssfile"
	else
		timeout -k 5 "$IMAPSH_TIMEOUT" python3 -c '
import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
with open(sys.argv[1], "w") as f:
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=f)
sys.exit(rc)' "$rssfile" "$IMAPSH" "$@" || rc=$?
	fi
	[ "$rc" -eq 124 ] && echo "imapsh timed out after ${IMAPSH_TIMEOUT}s" >&2
	return "$rc"
}

# append_file FILE TAG: append FILE to the user's INBOX with imapsh
# ("append INBOX None None <FILE"); peak RSS in $BATS_TEST_TMPDIR/TAG.rss,
# output in $BATS_TEST_TMPDIR/TAG.out.
append_file()
{
	local out=$BATS_TEST_TMPDIR/$2.out rc=0

	imapsh_rss "$BATS_TEST_TMPDIR/$2.rss" \
	    "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT" >"$out" 2>&1 <<-EOF || rc=$?
	login $USER_NAME $USER_PASS
	append INBOX None None <$1
	logout
	EOF
	[ "$rc" -eq 0 ] || _imapsh_fail "append failed" status "$rc" \
	    output "$(head -c 4000 "$out")"
}

# fetch_first TAG: "fetch 1 (BODY[])" with imapsh; peak RSS in
# $BATS_TEST_TMPDIR/TAG.rss, stdout in $BATS_TEST_TMPDIR/TAG.out (not
# through bats' run: it is some 58 MB).
fetch_first()
{
	local out=$BATS_TEST_TMPDIR/$1.out rc=0

	imapsh_rss "$BATS_TEST_TMPDIR/$1.rss" \
	    "$IMAPSH_TEST_HOST" "$IMAPSH_TEST_PORT" \
	    >"$out" 2>"$out.err" <<-EOF || rc=$?
	login $USER_NAME $USER_PASS
	select INBOX
	fetch 1 (BODY[])
	EOF
	[ "$rc" -eq 0 ] || _imapsh_fail "fetch failed" status "$rc" \
	    stderr "$(head -c 4000 "$out.err")" \
	    stdout "$(head -c 4000 "$out")"
}

# assert_stored FILE: message 1 of the user's INBOX is FILE, byte for
# byte, as imaplib (not imapsh) fetches it.
assert_stored()
{
	local want

	want="$(wc -c <"$1") $(sha256sum "$1" | cut -d' ' -f1)"
	run imap_py '
import hashlib
M.select("INBOX", readonly=True)
typ, data = M.fetch("1", "(BODY.PEEK[])")
body = data[0][1]
print(len(body), hashlib.sha256(body).hexdigest())'
	assert_success
	assert_output "$want"
}

# assert_fetched TAG FILE: TAG.out ends with fetch's result, one literal
# equal to FILE.
assert_fetched()
{
	run python3 "$PYLITERAL" fetched-literal "$BATS_TEST_TMPDIR/$1.out" "$2"
	assert_success
}

rss_of()
{
	cat "$BATS_TEST_TMPDIR/$1.rss"
}

@test "stream: a 1 KB message goes in and comes back byte for byte" {
	append_file "$BATS_FILE_TMPDIR/small.eml" append
	assert_stored "$BATS_FILE_TMPDIR/small.eml"
	fetch_first fetch
	assert_fetched fetch "$BATS_FILE_TMPDIR/small.eml"
}

@test "stream: a 50 MB message appended from a file is stored byte for byte" {
	append_file "$BATS_FILE_TMPDIR/big.eml" append
	assert_file_contains "$BATS_TEST_TMPDIR/append.out" \
	    "Append completed"
	assert_stored "$BATS_FILE_TMPDIR/big.eml"
}

@test "stream: a 50 MB message with LF line ends is stored with CRLF, byte for byte" {
	append_file "$BATS_FILE_TMPDIR/big-lf.eml" append
	assert_file_contains "$BATS_TEST_TMPDIR/append.out" \
	    "Append completed"
	assert_stored "$BATS_FILE_TMPDIR/big.eml"
}

@test "stream: a 50 MB message fetched with BODY[] comes back byte for byte" {
	# Stored with doveadm: this test depends on fetch alone.
	deliver_file "$BATS_FILE_TMPDIR/big.eml"
	fetch_first fetch
	assert_fetched fetch "$BATS_FILE_TMPDIR/big.eml"
	# Nothing but the results on stdout, nothing at all on stderr.
	run python3 "$PYLITERAL" show "$BATS_TEST_TMPDIR/fetch.out"
	assert_success
	assert_equal 3 "${#lines[@]}"
	assert_equal "" "$(cat "$BATS_TEST_TMPDIR/fetch.out.err")"
}

@test "stream: imapsh's peak RSS stays under 20 MB for 50 MB in and out" {
	if [ "${IMAPSH_TEST_STAGE-}" = asan-bats ]; then
		skip "ASan inflates RSS; the limit is checked in the plain pass"
	fi
	local small_in small_out big_in big_out

	append_file "$BATS_FILE_TMPDIR/small.eml" small-append
	fetch_first small-fetch
	small_in=$(rss_of small-append) small_out=$(rss_of small-fetch)

	new_user
	append_file "$BATS_FILE_TMPDIR/big.eml" big-append
	fetch_first big-fetch
	big_in=$(rss_of big-append) big_out=$(rss_of big-fetch)

	# Shown by tests/run as output of this test.
	printf '%s: append 1 KB %s, 50 MB %s; fetch 1 KB %s, 50 MB %s\n' \
	    "peak RSS of imapsh (kB)" "$small_in" "$big_in" "$small_out" \
	    "$big_out" >&3

	# The fetch must have been the real thing.
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/big-fetch.out")" -gt "$BIG_SIZE" ] ||
	    _imapsh_fail "fetch output too short" \
	    size "$(stat -c %s "$BATS_TEST_TMPDIR/big-fetch.out")"
	local what value
	for what in small_in small_out big_in big_out; do
		value=${!what}
		[[ $value =~ ^[0-9]+$ ]] ||
		    _imapsh_fail "no RSS measured" measure "$what" value "$value"
	done
	[ "$big_in" -lt "$RSS_LIMIT_KB" ] ||
	    _imapsh_fail "append of 50 MB: peak RSS too high" \
	    "limit (kB)" "$RSS_LIMIT_KB" "peak RSS (kB)" "$big_in" \
	    "1 KB append (kB)" "$small_in"
	# A file is sent from where it is: its size does not show.
	[ "$big_in" -lt $((small_in + 1024)) ] ||
	    _imapsh_fail "append of 50 MB: peak RSS more than 1 MB over 1 KB's" \
	    "peak RSS (kB)" "$big_in" "1 KB append (kB)" "$small_in"
	[ "$big_out" -lt "$RSS_LIMIT_KB" ] ||
	    _imapsh_fail "fetch of 50 MB: peak RSS too high" \
	    "limit (kB)" "$RSS_LIMIT_KB" "peak RSS (kB)" "$big_out" \
	    "1 KB fetch (kB)" "$small_out"
}
