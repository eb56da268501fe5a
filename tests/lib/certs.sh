# tests/lib/certs.sh: test certificates for imapsh's TLS tests.
# shellcheck shell=bash
#
# Source this file from bash.  Everything is made with certtool (package
# gnutls-bin) from ECDSA P-256 keys, so a whole set takes well under a
# second.  Every certificate gets its own key, NAME-key.pem next to
# NAME.pem.
#
#   certs_make DIR           make the set below in DIR, unless DIR/ca.pem
#                            exists already (a finished set: ca.pem is
#                            moved into place last).  Safe to call from
#                            parallel processes: one makes, the others
#                            wait for it.
#   certs_client DIR USER    print the path of DIR/client-USER.pem, a
#                            client certificate for USER signed by the
#                            test CA (key: DIR/client-USER-key.pem), made
#                            on the first call for USER.  certs_make DIR
#                            first.
#
# The set (the host names are what a client connecting to the test
# servers uses: "localhost", 127.0.0.1 or ::1):
#
#   ca.pem, ca-key.pem           the test CA, "imapsh test CA": the one
#                                to trust (--cafile)
#   server.pem                   signed by the CA; DNS localhost, IP
#                                127.0.0.1 and ::1.  The good one.
#   expired.pem                  as server.pem, but expired on 2020-01-02
#   wrongname.pem                signed by the CA; DNS wrong.example only
#   nameonly.pem                 signed by the CA; DNS localhost only, no
#                                IP: fine for "localhost", a mismatch for
#                                127.0.0.1
#   unknownca.pem                as server.pem, signed by another CA,
#                                unknown-ca.pem (not trusted by anyone)
#   selfsigned.pem               as server.pem, self-signed
#   client.pem                   a TLS client certificate signed by the
#                                CA, CN "extuser", e-mail
#                                extuser@imapsh.test (SASL EXTERNAL)
#
# The CA and every good certificate are valid from 2000-01-01 for ten
# years from now, so a clock that is a bit off does not matter.

# The test user of client.pem.
CERTS_CLIENT_USER=extuser

# _certs_key FILE: write a new ECDSA P-256 key to FILE.
_certs_key()
{
	certtool --generate-privkey --key-type=ecdsa --curve=secp256r1 \
	    --outfile "$1" 2>/dev/null
}

# _certs_validity: the template lines for "valid now, for long".
_certs_validity()
{
	printf 'activation_date = "2000-01-01 00:00:00 UTC"\n'
	printf 'expiration_days = 3650\n'
}

# _certs_ca DIR NAME CN: a self-signed CA certificate DIR/NAME.pem with
# its key DIR/NAME-key.pem.
_certs_ca()
{
	local dir=$1 name=$2 cn=$3

	_certs_key "$dir/$name-key.pem" || return 1
	{
		printf 'cn = "%s"\n' "$cn"
		printf 'organization = "imapsh tests"\n'
		printf 'serial = %d\n' $((RANDOM * 32768 + RANDOM + 1))
		printf 'ca\ncert_signing_key\ncrl_signing_key\n'
		_certs_validity
	} >"$dir/$name.tmpl"
	certtool --generate-self-signed --load-privkey "$dir/$name-key.pem" \
	    --template "$dir/$name.tmpl" --outfile "$dir/$name.pem" \
	    >/dev/null 2>"$dir/$name.err" || {
		echo "certs_make: certtool failed for $name:" >&2
		cat "$dir/$name.err" >&2
		return 1
	}
	rm -f "$dir/$name.tmpl" "$dir/$name.err"
}

# _certs_leaf DIR NAME CA TEMPLATE-LINES: DIR/NAME.pem and its key,
# signed by DIR/CA.pem (or self-signed when CA is "-").  TEMPLATE-LINES
# is the rest of the certtool template (names, usage, dates).
_certs_leaf()
{
	local dir=$1 name=$2 ca=$3 lines=$4

	_certs_key "$dir/$name-key.pem" || return 1
	{
		printf 'serial = %d\n' $((RANDOM * 32768 + RANDOM + 1))
		printf '%s\n' "$lines"
	} >"$dir/$name.tmpl"
	if [ "$ca" = - ]; then
		certtool --generate-self-signed \
		    --load-privkey "$dir/$name-key.pem" \
		    --template "$dir/$name.tmpl" --outfile "$dir/$name.pem" \
		    >/dev/null 2>"$dir/$name.err"
	else
		certtool --generate-certificate \
		    --load-privkey "$dir/$name-key.pem" \
		    --load-ca-certificate "$dir/$ca.pem" \
		    --load-ca-privkey "$dir/$ca-key.pem" \
		    --template "$dir/$name.tmpl" --outfile "$dir/$name.pem" \
		    >/dev/null 2>"$dir/$name.err"
	fi || {
		echo "certs_make: certtool failed for $name:" >&2
		cat "$dir/$name.err" >&2
		return 1
	}
	rm -f "$dir/$name.tmpl" "$dir/$name.err"
}

# _certs_server_lines CN NAMES...: template lines of a TLS server
# certificate for NAMES (an IP address or a DNS name each).
_certs_server_lines()
{
	local cn=$1 name

	shift
	printf 'cn = "%s"\norganization = "imapsh tests"\n' "$cn"
	for name; do
		case $name in
		*:* | [0-9]*.*[0-9]) printf 'ip_address = "%s"\n' "$name" ;;
		*) printf 'dns_name = "%s"\n' "$name" ;;
		esac
	done
	printf 'tls_www_server\nsigning_key\n'
}

# _certs_client_lines USER: template lines of a TLS client certificate.
_certs_client_lines()
{
	printf 'cn = "%s"\nemail = "%s@imapsh.test"\n' "$1" "$1"
	printf 'organization = "imapsh tests"\n'
	printf 'tls_www_client\nsigning_key\n'
	_certs_validity
}

# _certs_make_in DIR: make the whole set in the empty directory DIR.
_certs_make_in()
{
	local dir=$1 good

	good=$(_certs_server_lines localhost localhost 127.0.0.1 ::1 &&
	    _certs_validity)
	_certs_ca "$dir" ca "imapsh test CA" &&
	    _certs_ca "$dir" unknown-ca "imapsh untrusted CA" &&
	    _certs_leaf "$dir" server ca "$good" &&
	    _certs_leaf "$dir" expired ca \
	    "$(_certs_server_lines localhost localhost 127.0.0.1 ::1)
activation_date = \"2020-01-01 00:00:00 UTC\"
expiration_date = \"2020-01-02 00:00:00 UTC\"" &&
	    _certs_leaf "$dir" wrongname ca \
	    "$(_certs_server_lines wrong.example wrong.example &&
	    _certs_validity)" &&
	    _certs_leaf "$dir" nameonly ca \
	    "$(_certs_server_lines localhost localhost && _certs_validity)" &&
	    _certs_leaf "$dir" unknownca unknown-ca "$good" &&
	    _certs_leaf "$dir" selfsigned - "$good" &&
	    _certs_leaf "$dir" client ca \
	    "$(_certs_client_lines "$CERTS_CLIENT_USER")"
}

# certs_make DIR: see the top of the file.
certs_make()
{
	local dir=$1 tmp f i

	if [ -z "$dir" ]; then
		echo "certs_make: usage: certs_make DIR" >&2
		return 2
	fi
	[ -f "$dir/ca.pem" ] && return 0
	if ! command -v certtool >/dev/null 2>&1; then
		echo "certs_make: certtool not found (package gnutls-bin;" \
		    "run scripts/install-deps)" >&2
		return 1
	fi
	mkdir -p "$dir" || return 1
	# One maker at a time; the others wait (at most 30 s) and reuse.
	for ((i = 0; i < 300; i++)); do
		mkdir "$dir/.lock" 2>/dev/null && break
		[ -f "$dir/ca.pem" ] && return 0
		sleep 0.1
	done
	if [ "$i" -eq 300 ]; then
		echo "certs_make: $dir/.lock held for 30 s" >&2
		return 1
	fi
	if [ -f "$dir/ca.pem" ]; then
		rmdir "$dir/.lock"
		return 0
	fi
	tmp=$dir/.new.$$
	rm -rf "$tmp"
	mkdir -m 700 "$tmp" || { rmdir "$dir/.lock"; return 1; }
	if ! _certs_make_in "$tmp"; then
		rm -rf "$tmp"
		rmdir "$dir/.lock"
		return 1
	fi
	chmod 644 "$tmp"/*.pem
	chmod 600 "$tmp"/*-key.pem
	# ca.pem last: its presence says the set is complete.
	for f in "$tmp"/*.pem; do
		[ "${f##*/}" = ca.pem ] || mv -f "$f" "$dir/" || break
	done
	mv -f "$tmp/ca.pem" "$dir/ca.pem"
	rm -rf "$tmp"
	rmdir "$dir/.lock"
	[ -f "$dir/ca.pem" ]
}

# certs_client DIR USER: see the top of the file.
certs_client()
{
	local dir=$1 user=$2 tmp

	if [ $# -ne 2 ] || [ -z "$user" ]; then
		echo "certs_client: usage: certs_client DIR USER" >&2
		return 2
	fi
	case $user in
	*[!A-Za-z0-9._@+-]*)
		echo "certs_client: unusual user name: $user" >&2
		return 2
		;;
	esac
	if [ ! -f "$dir/ca.pem" ]; then
		echo "certs_client: no CA in $dir: certs_make first" >&2
		return 1
	fi
	if [ ! -f "$dir/client-$user.pem" ]; then
		tmp=$(mktemp -d "$dir/.client.XXXXXX") || return 1
		cp "$dir/ca.pem" "$dir/ca-key.pem" "$tmp/" &&
		    _certs_leaf "$tmp" client ca "$(_certs_client_lines "$user")" &&
		    chmod 600 "$tmp/client-key.pem" &&
		    chmod 644 "$tmp/client.pem" &&
		    mv -f "$tmp/client-key.pem" "$dir/client-$user-key.pem" &&
		    mv -f "$tmp/client.pem" "$dir/client-$user.pem"
		rm -rf "$tmp"
		[ -f "$dir/client-$user.pem" ] || return 1
	fi
	printf '%s\n' "$dir/client-$user.pem"
}
