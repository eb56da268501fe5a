# tests/lib/dovecot.sh: a private Dovecot 2.3 for the imapsh test suite.
# shellcheck shell=bash
#
# Source this file from bash (tests/run, tests/bats/helper.bash, a shell).
# Everything lives in one directory chosen by the caller: configuration,
# base_dir (sockets, master.pid), state_dir, logs, the passwd-files and the
# users' maildirs.  Nothing is shared with a system Dovecot: its port, its
# /run/dovecot and /var/lib/dovecot are never touched, so a system instance
# listening on 143 (or none at all) makes no difference.
#
#   dovecot_start DIR        make the test certificates in DIR/certs
#                            (tests/lib/certs.sh), write DIR/dovecot.conf,
#                            start the master on 127.0.0.1 on free random
#                            ports, start the TLS relay of the bad
#                            certificates, wait for the greetings; exports
#                            the variables below.  Returns 1 (log printed
#                            to stderr) if it does not come up.
#   dovecot_stop [DIR]       stop the TLS relay; SIGTERM the master, wait,
#                            SIGKILL whatever of its process tree is left.
#                            Idempotent.
#   dovecot_add_user NAME PASSWORD
#                            add a user: DIR/passwd.d/NAME, a passwd-file
#                            of one line, seen at the next login (no
#                            restart).  Its home, DIR/home/NAME, appears
#                            at the first login or delivery: a new user
#                            has an empty INBOX.
#   dovecot_deliver USER FILE [MAILBOX]
#                            store the RFC 5322 message in FILE in USER's
#                            MAILBOX (default INBOX) with doveadm save, no
#                            IMAP involved.
#   dovecot_doveadm ARGS...  run doveadm against this instance.
#   dovecot_stream_cmd USER  print a shell command line that runs a
#                            pre-authenticated imap process for USER on
#                            stdin/stdout ("* PREAUTH" greeting).
#   dovecot_log              print the instance's log.
#
# Exported by dovecot_start (all ports on IMAPSH_TEST_HOST, 127.0.0.1,
# which the name "localhost" reaches too):
#   IMAPSH_TEST_HOST         127.0.0.1
#   IMAPSH_TEST_PORT         plain IMAP, no TLS at all: no STARTTLS in the
#                            capabilities (the port the suite always had)
#   IMAPSH_TEST_STARTTLS_PORT  plain IMAP offering STARTTLS (server.pem)
#   IMAPSH_TEST_TLS_PORT     IMAP over implicit TLS (imaps; server.pem)
#   IMAPSH_TEST_TLS_EXPIRED_PORT, IMAPSH_TEST_TLS_WRONGNAME_PORT,
#   IMAPSH_TEST_TLS_NAMEONLY_PORT, IMAPSH_TEST_TLS_UNKNOWNCA_PORT
#                            implicit TLS with expired.pem, wrongname.pem,
#                            nameonly.pem, unknownca.pem: tests/lib/
#                            tls-proxy.py relaying to IMAPSH_TEST_PORT
#                            (Dovecot cannot pick a certificate by port)
#   IMAPSH_TEST_CERTS        DIR/certs, the certificates (see certs.sh)
#   IMAPSH_TEST_CA           DIR/certs/ca.pem, the CA that signed them
#   IMAPSH_TEST_DIR          DIR
#   IMAPSH_TEST_CONF         DIR/dovecot.conf
#
# TLS: TLS 1.2 and 1.3.  Dovecot asks for a client certificate (it does
# not require one): one signed by the test CA logs in with AUTHENTICATE
# EXTERNAL as the user named by its CN, whoever that is (make one for the
# test's user with certs_client "$IMAPSH_TEST_CERTS" "$USER_NAME").
# AUTH=EXTERNAL is in the capabilities of every port, IMAPSH_TEST_PORT's
# too, but only succeeds over TLS with such a certificate.
#
# DOVECOT_EXTRA_CONF, when set, is appended to dovecot.conf by
# dovecot_start: a second instance with more settings (the GSSAPI tests
# add the mechanism and a keytab).  A setting given again there wins.
#
# The functions other than dovecot_start find the instance through
# IMAPSH_TEST_DIR (or DIR where they take one), so they work in any
# process that inherited the environment, such as bats tests.
#
# Works as root (mail processes run as nobody:nogroup, login processes as
# dovenull, internal ones as dovecot) and as an unprivileged user (every
# process runs as that user, no chroot).

_dovecot_lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=certs.sh
source "$_dovecot_lib/certs.sh"

DOVECOT_BIN=${DOVECOT_BIN:-/usr/sbin/dovecot}
DOVEADM_BIN=${DOVEADM_BIN:-/usr/bin/doveadm}
DOVECOT_LIBEXEC=${DOVECOT_LIBEXEC:-/usr/lib/dovecot}

# Seconds to wait for the greeting before giving up.
DOVECOT_START_TIMEOUT=${DOVECOT_START_TIMEOUT:-10}

# _dovecot_pick_port: print a random TCP port on 127.0.0.1 that nothing
# listens on right now.  Ports come from 20000-32767, below Linux's
# ephemeral range, so outgoing connections of the test suite cannot be
# handed the port between this check and Dovecot's bind.  Returns 1 when
# no free port was found.
_dovecot_pick_port()
{
	local port try

	for ((try = 0; try < 20; try++)); do
		port=$((20000 + (RANDOM * 32768 + RANDOM) % 12768))
		if _dovecot_port_free "$port"; then
			printf '%s\n' "$port"
			return 0
		fi
	done
	return 1
}

# _dovecot_port_free PORT: true if PORT on 127.0.0.1 can be bound now.
_dovecot_port_free()
{
	if command -v python3 >/dev/null 2>&1; then
		python3 - "$1" <<'EOF' 2>/dev/null
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
EOF
		return $?
	fi
	# Without python3: free if nobody accepts a connection on it.
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# _dovecot_tls_conf DIR: the TLS part of the configuration: the
# certificates of DIR/certs, and client certificates for EXTERNAL.  The
# listeners are in _dovecot_write_conf.
_dovecot_tls_conf()
{
	local certs=$1/certs

	cat <<EOF
# TLS: offered (STARTTLS, imaps), never required: disable_plaintext_auth
# is off and 127.0.0.1 counts as secure anyway.
ssl = yes
ssl_cert = <$certs/server.pem
ssl_key = <$certs/server-key.pem
ssl_min_protocol = TLSv1.2
# Only ECDSA keys: no DH parameters needed.
ssl_dh =
# Client certificates: asked for, not required; one signed by the test
# CA names its user by its CN (EXTERNAL).  The CA has no CRL.
ssl_ca = <$certs/ca.pem
ssl_verify_client_cert = yes
ssl_require_crl = no
auth_ssl_username_from_cert = yes
ssl_cert_username_field = commonName
EOF
}

# _dovecot_write_conf DIR PORT STARTTLS-PORT TLS-PORT: write
# DIR/dovecot.conf.
_dovecot_write_conf()
{
	local dir=$1 port=$2 starttls_port=$3 tls_port=$4
	local login_user internal_user internal_group mail_uid mail_gid
	local chroot_conf='' nonroot_conf='' svc

	if [ "$(id -u)" -eq 0 ]; then
		login_user=dovenull
		internal_user=dovecot
		internal_group=dovecot
		mail_uid=nobody
		mail_gid=nogroup
		chroot_conf=
	else
		# Unprivileged: every process runs as us; Dovecot cannot
		# chroot the login processes nor switch users.
		login_user=$(id -un)
		internal_user=$login_user
		internal_group=$(id -gn)
		mail_uid=$(id -u)
		mail_gid=$(id -g)
		chroot_conf='  chroot ='
		for svc in aggregator anvil director imap-urlauth-login ipc \
		    old-stats; do
			nonroot_conf+="service $svc {"$'\n'"  chroot ="$'\n'"}"$'\n'
		done
	fi

	cat >"$dir/dovecot.conf" <<EOF
# Generated by tests/lib/dovecot.sh for the imapsh test suite.
# Private instance: do not edit, it is rewritten on every start.

instance_name = imapsh-test-$$-$port
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
info_log_path = $dir/dovecot.log
debug_log_path = $dir/dovecot.log
auth_verbose = yes

protocols = imap
listen = 127.0.0.1
shutdown_clients = yes

default_login_user = $login_user
default_internal_user = $internal_user
default_internal_group = $internal_group
first_valid_uid = 0
first_valid_gid = 0

# Plain IMAP with STARTTLS, and imaps.
service imap-login {
$chroot_conf
  inet_listener imap {
    address = 127.0.0.1
    port = $starttls_port
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $tls_port
    ssl = yes
  }
}
# IMAPSH_TEST_PORT: plain IMAP without STARTTLS.  Dovecot chooses TLS
# settings by local address, not by port: a second login service whose
# processes override ssl on their command line does it by port.
service imap-login-plain {
  executable = imap-login -o ssl=no
  type = login
  protocol = imap
  user = $login_user
${chroot_conf:-  chroot = login}
  service_count = 1
  inet_listener imap-plain {
    address = 127.0.0.1
    port = $port
  }
}
$nonroot_conf
$(_dovecot_tls_conf "$dir")

disable_plaintext_auth = no
auth_mechanisms = plain login cram-md5 scram-sha-1 scram-sha-256 external
# Failed logins are part of the tests: do not make them slow.  Dovecot
# delays each failure by auth_failure_delay (checked every 0.5 s, so a
# failure still takes 0.5 s) and, worse, makes later attempts from the
# same IP wait 2 to 15 s: the "auth penalty" kept by anvil, which
# login_trusted_networks does not lift.  Dovecot does not create a
# listener of mode 0, and an auth process that finds no
# anvil-auth-penalty socket runs without penalties, silently.
auth_failure_delay = 0
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
passdb {
  # EXTERNAL: the user named by the CN of a client certificate that the
  # test CA signed (Dovecot knows no user before EXTERNAL otherwise).
  # EXTERNAL verifies an empty password, which nopassword accepts.  Not a
  # passwd-file: nopassword refuses a non-empty password from the file,
  # and override_fields cannot clear it.  Any name logs in (the static
  # userdb knows everybody), but only the tests hold such certificates.
  driver = static
  args = nopassword=y
  mechanisms = external
}
passdb {
  # One passwd-file per user, DIR/passwd.d/USER: Dovecot stats a
  # passwd-file at most once a second, so a user appended to a shared
  # file could stay unknown for up to a second.  A new file is read at
  # its first lookup.
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dir/passwd.d/%u
}
userdb {
  driver = static
  args = uid=$mail_uid gid=$mail_gid home=$dir/home/%u
}

# LAYOUT=fs: one directory per mailbox, so names may contain '.'
# (Maildir++ would refuse them); only "cur", "new" and "tmp" are refused.
mail_location = maildir:~/Maildir:LAYOUT=fs
namespace inbox {
  inbox = yes
  separator = /
  prefix =
}

mail_plugins = \$mail_plugins quota acl
protocol imap {
  mail_plugins = \$mail_plugins imap_quota imap_acl imap_zlib
  # Parallel tests share one client address.
  mail_max_userip_connections = 1000
}
plugin {
  quota = count:User quota
  quota_rule = *:storage=1G
  quota_vsizes = yes
  acl = vfile
}
imap_metadata = yes
mail_attribute_dict = file:%h/dovecot-attributes
${DOVECOT_EXTRA_CONF-}
EOF
}

# _dovecot_greeting PORT: true if a connection to PORT greets "* OK".
_dovecot_greeting()
{
	local fd line

	exec {fd}<>"/dev/tcp/127.0.0.1/$1" || return 1
	IFS= read -r -t 2 line <&"$fd"
	printf 'a LOGOUT\r\n' 1>&"$fd" 2>/dev/null
	exec {fd}>&-
	[[ $line == '* OK'* ]]
}

# _dovecot_alive PID: true if PID runs.  A zombie does not: the master
# is reparented when it daemonizes, and its new parent may reap it late.
_dovecot_alive()
{
	local stat

	# Explicit return values throughout: in a trap handler a bare
	# "return" gives the status from before the trap.
	if ! { read -r stat <"/proc/$1/stat"; } 2>/dev/null; then
		# No such process, or no /proc.
		if [ ! -d /proc/self ] && kill -0 "$1" 2>/dev/null; then
			return 0
		fi
		return 1
	fi
	stat=${stat##*) }
	if [ "${stat%% *}" = Z ]; then
		return 1
	fi
	return 0
}

# _dovecot_master_pid DIR: print the master's pid if it runs.
_dovecot_master_pid()
{
	local pid

	[ -r "$1/run/master.pid" ] || return 1
	read -r pid <"$1/run/master.pid" || return 1
	[ -n "$pid" ] && _dovecot_alive "$pid" || return 1
	printf '%s\n' "$pid"
}

# _dovecot_pick_ports N: print N distinct free ports, one per line.
_dovecot_pick_ports()
{
	local -A seen=()
	local port n=$1 try

	for ((try = 0; n > 0 && try < 50; try++)); do
		port=$(_dovecot_pick_port) || return 1
		[ -n "${seen[$port]-}" ] && continue
		seen[$port]=1
		printf '%s\n' "$port"
		n=$((n - 1))
	done
	[ "$n" -eq 0 ]
}

# _dovecot_tls_greeting PORT CA: true if an implicit-TLS connection to
# PORT, verified with CA (and the name localhost), greets "* OK".
_dovecot_tls_greeting()
{
	python3 - "$1" "$2" <<'EOF' 2>/dev/null
import socket, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[2])
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), 2) as s:
    with ctx.wrap_socket(s, server_hostname="localhost") as t:
        sys.exit(0 if t.recv(4).startswith(b"* OK") else 1)
EOF
}

# _dovecot_proxy_start DIR PORT: start tests/lib/tls-proxy.py with the
# bad certificates of DIR/certs in front of plain PORT, wait until it
# listens and set the IMAPSH_TEST_TLS_*_PORT variables.  Its pid goes to
# DIR/run/tls-proxy.pid, its log to DIR/tls-proxy.log.
_dovecot_proxy_start()
{
	local dir=$1 port=$2 certs=$1/certs pid i name pport

	python3 "$_dovecot_lib/tls-proxy.py" --to "127.0.0.1:$port" \
	    --parent "$$" \
	    --listen expired "$certs/expired.pem" "$certs/expired-key.pem" \
	    --listen wrongname "$certs/wrongname.pem" "$certs/wrongname-key.pem" \
	    --listen nameonly "$certs/nameonly.pem" "$certs/nameonly-key.pem" \
	    --listen unknownca "$certs/unknownca.pem" "$certs/unknownca-key.pem" \
	    </dev/null >"$dir/tls-proxy.ports" 2>>"$dir/tls-proxy.log" &
	pid=$!
	printf '%s\n' "$pid" >"$dir/run/tls-proxy.pid"
	# By the clock, not by a count of tries: a loaded machine (fuzzers,
	# two test passes) makes Python slow to start.
	local deadline=$((SECONDS + 3 * DOVECOT_START_TIMEOUT))
	while ((SECONDS < deadline)); do
		grep -qx ready "$dir/tls-proxy.ports" 2>/dev/null && break
		if ! _dovecot_alive "$pid"; then
			echo "dovecot_start: tls-proxy.py failed:" >&2
			sed 's/^/  /' "$dir/tls-proxy.log" >&2
			return 1
		fi
		sleep 0.05
	done
	while read -r name pport; do
		case $name in
		expired) export IMAPSH_TEST_TLS_EXPIRED_PORT=$pport ;;
		wrongname) export IMAPSH_TEST_TLS_WRONGNAME_PORT=$pport ;;
		nameonly) export IMAPSH_TEST_TLS_NAMEONLY_PORT=$pport ;;
		unknownca) export IMAPSH_TEST_TLS_UNKNOWNCA_PORT=$pport ;;
		ready) return 0 ;;
		esac
	done <"$dir/tls-proxy.ports"
	echo "dovecot_start: tls-proxy.py did not get ready" >&2
	return 1
}

# _dovecot_proxy_stop DIR: stop the relay started by _dovecot_proxy_start.
_dovecot_proxy_stop()
{
	_dovecot_stop_pidfile "$1/run/tls-proxy.pid"
}

# _dovecot_stop_pidfile FILE: stop the process whose pid FILE holds
# (SIGTERM, then SIGKILL after 2 s) and remove FILE.  Nothing to do
# without FILE.  tests/lib/kdc.sh uses it too.
_dovecot_stop_pidfile()
{
	local pid i

	{ read -r pid <"$1"; } 2>/dev/null || return 0
	rm -f "$1"
	[ -n "$pid" ] && _dovecot_alive "$pid" || return 0
	kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < 40; i++)); do
		_dovecot_alive "$pid" || return 0
		sleep 0.05
	done
	kill -KILL "$pid" 2>/dev/null
	return 0
}

# dovecot_start DIR: see the top of the file.
dovecot_start()
{
	local dir=$1 port starttls_port tls_port ports attempt tries

	if [ -z "$dir" ]; then
		echo "dovecot_start: usage: dovecot_start DIR" >&2
		return 2
	fi
	if [ ! -x "$DOVECOT_BIN" ]; then
		echo "dovecot_start: $DOVECOT_BIN not found" \
		    "(run scripts/install-deps)" >&2
		return 1
	fi
	mkdir -p "$dir" || return 1
	dir=$(cd "$dir" && pwd -P) || return 1
	# Unix sockets live in DIR/run; sun_path holds 107 bytes.
	if [ "${#dir}" -gt 70 ]; then
		echo "dovecot_start: $dir: path too long for Dovecot's" \
		    "sockets (max 70 characters)" >&2
		return 1
	fi
	if _dovecot_master_pid "$dir" >/dev/null; then
		echo "dovecot_start: already running in $dir" >&2
		return 1
	fi

	# The login, auth and mail processes run as other users: they must
	# be able to traverse DIR, read the passwd-files and write homes.
	chmod 755 "$dir"
	mkdir -p "$dir/home" "$dir/state"
	mkdir -p "$dir/passwd.d"
	chmod 755 "$dir/passwd.d"
	: >>"$dir/dovecot.log"
	if [ "$(id -u)" -eq 0 ]; then
		chown nobody:nogroup "$dir/home"
	fi
	certs_make "$dir/certs" || return 1

	port=
	for ((attempt = 1; attempt <= 5; attempt++)); do
		ports=$(_dovecot_pick_ports 3) || {
			echo "dovecot_start: no free port found" >&2
			return 1
		}
		{ read -r port; read -r starttls_port; read -r tls_port; } \
		    <<<"$ports"
		_dovecot_write_conf "$dir" "$port" "$starttls_port" \
		    "$tls_port" || return 1
		# The master binds its listeners before it daemonizes, so a
		# port taken since the check fails here and we try another.
		if "$DOVECOT_BIN" -c "$dir/dovecot.conf" \
		    </dev/null >"$dir/start.out" 2>&1; then
			break
		fi
		cat "$dir/start.out" >>"$dir/dovecot.log"
		if grep -q 'Address already in use' "$dir/start.out"; then
			port=
			continue
		fi
		echo "dovecot_start: $DOVECOT_BIN failed to start:" >&2
		sed 's/^/  /' "$dir/start.out" >&2
		return 1
	done
	rm -f "$dir/start.out"
	if [ -z "$port" ]; then
		echo "dovecot_start: could not bind a port in 5 attempts" >&2
		return 1
	fi

	tries=$((DOVECOT_START_TIMEOUT * 10))
	until _dovecot_greeting "$port" 2>/dev/null &&
	    _dovecot_greeting "$starttls_port" 2>/dev/null &&
	    _dovecot_tls_greeting "$tls_port" "$dir/certs/ca.pem"; do
		tries=$((tries - 1))
		if [ "$tries" -le 0 ]; then
			echo "dovecot_start: no greeting on 127.0.0.1:$port," \
			    "$starttls_port (STARTTLS) or $tls_port (TLS)" \
			    "after ${DOVECOT_START_TIMEOUT}s; log:" >&2
			sed 's/^/  /' "$dir/dovecot.log" >&2
			dovecot_stop "$dir"
			return 1
		fi
		sleep 0.1
	done

	if ! _dovecot_proxy_start "$dir" "$port"; then
		dovecot_stop "$dir"
		return 1
	fi

	export IMAPSH_TEST_HOST=127.0.0.1
	export IMAPSH_TEST_PORT=$port
	export IMAPSH_TEST_STARTTLS_PORT=$starttls_port
	export IMAPSH_TEST_TLS_PORT=$tls_port
	export IMAPSH_TEST_CERTS=$dir/certs
	export IMAPSH_TEST_CA=$dir/certs/ca.pem
	export IMAPSH_TEST_DIR=$dir
	export IMAPSH_TEST_CONF=$dir/dovecot.conf
	return 0
}

# _dovecot_descendants PID: print PID's descendants, one per line, read
# from /proc (no procps needed).  tests/run uses it too.
_dovecot_descendants()
{
	local stat rest pid ppid
	local -A children=()

	for stat in /proc/[0-9]*/stat; do
		# Processes come and go while we read.
		{ read -r rest <"$stat"; } 2>/dev/null || continue
		pid=${rest%% *}
		# Field 2 (comm) may hold spaces and parentheses: skip past
		# the last ')', then the state field.
		rest=${rest##*) }
		rest=${rest#* }
		ppid=${rest%% *}
		children[$ppid]+="$pid "
	done
	_dovecot_walk() {
		local c
		for c in ${children[$1]-}; do
			printf '%s\n' "$c"
			_dovecot_walk "$c"
		done
	}
	_dovecot_walk "$1"
	unset -f _dovecot_walk
}

# dovecot_stop [DIR]: see the top of the file.  Returns 0 when nothing of
# the instance is left running.  Safe to call from a signal trap.
dovecot_stop()
{
	local dir=${1:-${IMAPSH_TEST_DIR-}} pid tree p i alive
	# A trap may run while a caller's "IFS= read" is in progress.
	local IFS=$' \t\n'

	[ -n "$dir" ] || return 0
	_dovecot_proxy_stop "$dir"
	pid=$(_dovecot_master_pid "$dir") || return 0
	tree=$(_dovecot_descendants "$pid")

	kill -TERM "$pid" 2>/dev/null
	# The master stops its children (shutdown_clients = yes) and exits:
	# give it 5 s, then 1 s more before SIGKILL for what is left.
	for ((i = 0; i < 100; i++)); do
		_dovecot_alive "$pid" || break
		sleep 0.05
	done
	for ((i = 0; i < 40; i++)); do
		alive=
		for p in $pid $tree; do
			_dovecot_alive "$p" && alive+="$p "
		done
		[ -z "$alive" ] && break
		# shellcheck disable=SC2086 # a list of pids
		[ "$i" -eq 20 ] && kill -KILL $alive 2>/dev/null
		sleep 0.05
	done
	rm -f "$dir/run/master.pid"
	if [ -n "$alive" ]; then
		echo "dovecot_stop: processes left: $alive" >&2
		return 1
	fi
	return 0
}

# _dovecot_dir: the instance directory of the running suite.
_dovecot_dir()
{
	if [ -z "${IMAPSH_TEST_DIR-}" ] ||
	    [ ! -f "$IMAPSH_TEST_DIR/dovecot.conf" ]; then
		echo "${FUNCNAME[1]}: IMAPSH_TEST_DIR not set:" \
		    "call dovecot_start first" >&2
		return 1
	fi
	printf '%s\n' "$IMAPSH_TEST_DIR"
}

# dovecot_add_user NAME PASSWORD: see the top of the file.  NAME may not
# contain ':', '/' or whitespace; PASSWORD may not contain ':' or a
# newline.  Returns 1 if NAME exists already.  To change a password,
# rewrite the file; Dovecot may keep the old one for up to a second.
dovecot_add_user()
{
	local dir name=$1 pass=$2

	dir=$(_dovecot_dir) || return 1
	if [ $# -ne 2 ] || [ -z "$name" ]; then
		echo "dovecot_add_user: usage: dovecot_add_user NAME PASSWORD" >&2
		return 2
	fi
	case $name in
	*[:/\ \	]* | . | ..)
		echo "dovecot_add_user: bad user name: $name" >&2
		return 2
		;;
	esac
	case $pass in
	*:* | *$'\n'*)
		echo "dovecot_add_user: password may not contain ':'" >&2
		return 2
		;;
	esac
	# Written aside and renamed: Dovecot never sees half a file, and of
	# two tests adding the same name at once, one fails.
	printf '%s:{PLAIN}%s::::::\n' "$name" "$pass" \
	    >"$dir/passwd.d/.$name.$$" &&
	    chmod 644 "$dir/passwd.d/.$name.$$" || return 1
	if ! ln "$dir/passwd.d/.$name.$$" "$dir/passwd.d/$name" 2>/dev/null
	then
		rm -f "$dir/passwd.d/.$name.$$"
		echo "dovecot_add_user: $name exists" >&2
		return 1
	fi
	rm -f "$dir/passwd.d/.$name.$$"
}

# dovecot_doveadm ARGS...: doveadm against this instance.
dovecot_doveadm()
{
	local dir

	dir=$(_dovecot_dir) || return 1
	"$DOVEADM_BIN" -c "$dir/dovecot.conf" "$@"
}

# dovecot_deliver USER FILE [MAILBOX]: see the top of the file.
dovecot_deliver()
{
	local user=$1 file=$2 mailbox=${3:-INBOX}

	if [ $# -lt 2 ] || [ ! -r "$file" ]; then
		echo "dovecot_deliver: usage: dovecot_deliver USER FILE" \
		    "[MAILBOX]" >&2
		return 2
	fi
	dovecot_doveadm save -u "$user" -m "$mailbox" <"$file"
}

# dovecot_stream_cmd USER: see the top of the file.  Run the printed line
# with sh -c.  The command needs the privileges of the caller of
# dovecot_start: it asks the auth process for USER's userdb entry, then
# drops to that uid.  A standalone imap process logs to stderr whatever
# log_path says, so stderr is appended to DIR/stream.log to keep the
# client's terminal and transcripts clean.
dovecot_stream_cmd()
{
	local dir

	dir=$(_dovecot_dir) || return 1
	if [ -z "$1" ]; then
		echo "dovecot_stream_cmd: usage: dovecot_stream_cmd USER" >&2
		return 2
	fi
	printf '%q -c %q -u %q 2>>%q\n' "$DOVECOT_LIBEXEC/imap" \
	    "$dir/dovecot.conf" "$1" "$dir/stream.log"
}

# dovecot_log: print the instance's log.
dovecot_log()
{
	local dir

	dir=$(_dovecot_dir) || return 1
	cat "$dir/dovecot.log"
}
