# tests/bats/secure-helper.bash: helpers of the 15-secure*.bats files (TLS,
# STARTTLS policy, SASL, secrets), loaded after helper and the fake:
#
#	load helper
#	load ../fake/fake
#	load secure-helper
#
# shellcheck shell=bash disable=SC2154,SC2034 # status, output, lines: bats' run
#
#   run_split ARGS...          run imapsh ARGS under a timeout with stdout
#                              and stderr apart: sets status, OUT, ERR,
#                              output (OUT, then ERR) and lines (its
#                              non-empty lines, as bats' run)
#   relay_cmd PORT             a shell command line copying its stdin and
#                              stdout to and from 127.0.0.1:PORT (for -s)
#   scenario NAME <<EOF        write a scenario of the test's own (standard
#                              input) and print its path, for fake_start
#   client_lines               the fake's transcript, one line per line
#                              the client sent, the tag of a tagged
#                              command replaced by "T" ("T LOGIN ...")
#   client_commands            the command names of the tagged lines,
#                              blank-separated ("CAPABILITY STARTTLS")
#   refute_sent WORD...        no tagged line of the transcript is one of
#                              these commands
#   assert_no_secret SECRET FILE...
#                              SECRET, its base64 and the base64 of
#                              "\0USER\0SECRET" (PLAIN) are in none of
#                              the FILEs
#   history_lines FILE         FILE's entries (a libedit history file),
#                              decoded from vis(3) form
#   b64 FORMAT [ARG...]        printf FORMAT ARG... in base64
#   dovecot_login_line         wait (5 s at most) for Dovecot's log line of
#                              the test user's login and print it
#   elapsed_since START        milliseconds since START (date +%s%3N)

SECURE_PY=${FAKE_PYTHON:-python3}

run_split()
{
	local dir=$BATS_TEST_TMPDIR

	status=0
	imapsh_run "$@" >"$dir/split.out" 2>"$dir/split.err" || status=$?
	OUT=$(<"$dir/split.out")
	ERR=$(<"$dir/split.err")
	output=$OUT${ERR:+$'\n'}$ERR
	lines=()
	local line
	while IFS= read -r line; do
		[ -n "$line" ] && lines+=("$line")
	done <<<"$output"
	return 0
}

relay_cmd()
{
	# No single quote in the program: it goes inside one.
	local prog='import os, socket, sys, threading
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
def up():
    try:
        while True:
            d = os.read(0, 65536)
            if not d:
                break
            s.sendall(d)
        s.shutdown(socket.SHUT_WR)
    except OSError:
        pass
threading.Thread(target=up, daemon=True).start()
try:
    while True:
        d = s.recv(65536)
        if not d:
            break
        os.write(1, d)
except OSError:
    pass'
	printf "%q -c '%s' %s\n" "$SECURE_PY" "$prog" "$1"
}

scenario()
{
	local f=$BATS_TEST_TMPDIR/t3-$1.txt

	cat >"$f"
	printf '%s\n' "$f"
}

client_lines()
{
	"$SECURE_PY" - "$FAKE_TRANSCRIPT" <<'EOF'
import re, sys
data = open(sys.argv[1], "rb").read()
for line in data.split(b"\r\n")[:-1] if data.endswith(b"\r\n") else \
        data.split(b"\r\n"):
    line = re.sub(rb'^[A-Z]{4}[0-9]+ ', b"T ", line)
    print(line.decode("utf-8", "backslashreplace"))
EOF
}

client_commands()
{
	client_lines | awk '$1 == "T" { printf "%s%s", sep, toupper($2); sep = " " }
	    END { print "" }'
}

refute_sent()
{
	local cmds word

	cmds=" $(client_commands) "
	for word; do
		if [[ $cmds == *" $word "* ]]; then
			_imapsh_fail "the client sent $word" \
			    transcript "$(client_lines)"
			return 1
		fi
	done
}

b64()
{
	# shellcheck disable=SC2059 # a format, as printf's
	printf "$@" | base64 -w 0
}

assert_no_secret()
{
	local secret=$1 f form
	local -a forms

	shift
	forms=("$secret" "$(b64 '%s' "$secret")")
	[ -n "${USER_NAME-}" ] &&
	    forms+=("$(b64 '\0%s\0%s' "$USER_NAME" "$secret")")
	for f; do
		for form in "${forms[@]}"; do
			if grep -qF -- "$form" "$f"; then
				_imapsh_fail "a secret shows" secret "$form" \
				    file "$f" contents "$(head -c 3000 "$f")"
				return 1
			fi
		done
	done
}

elapsed_since()
{
	echo $(($(date +%s%3N) - $1))
}

dovecot_login_line()
{
	local i line

	for ((i = 0; i < 100; i++)); do
		line=$(grep -F "Login: user=<$USER_NAME>," \
		    "$IMAPSH_TEST_DIR/dovecot.log" | tail -n 1)
		if [ -n "$line" ]; then
			printf '%s\n' "$line"
			return 0
		fi
		sleep 0.05
	done
	echo "no login of $USER_NAME in the Dovecot log" >&2
	return 1
}

# history_lines FILE: FILE's entries, decoded from libedit's vis(3) form.
history_lines()
{
	"$SECURE_PY" -c '
import re, sys
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    line = line.rstrip("\n")
    if line == "_HiStOrY_V2_":
        continue
    print(re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), line))
' "$1"
}
