#!/usr/bin/env bats
# Releases: the tarball of make dist builds with no autotools, and the
# Debian package of make deb builds, is lintian-clean, holds the files
# where each shell finds them, runs from where it is installed, and dpkg
# removes all of it.  The tarball and the package are built once, from
# this tree, into the file's temporary directory.

load helper

ROOT="$BATS_TEST_DIRNAME/../.."

# True in a release tarball (it has a MANIFEST) on a machine without the
# tools that build and check a Debian package: a tarball builds and
# passes make check without them (scripts/install-deps).  A git checkout
# needs them, so there the package tests fail instead.
no_deb_tools()
{
	[ -f "$ROOT/MANIFEST" ] && ! { command -v dpkg-buildpackage &&
	    command -v dh && command -v lintian; } >/dev/null
}

# The version configure.ac gives: the one place it is written.
ac_version()
{
	sed -n 's/^AC_INIT(\[imapsh\], \[\([^]]*\)\].*/\1/p' "$ROOT/configure.ac"
}

setup_file()
{
	# Only the plain pass: the package does not depend on which
	# imapsh the pass tests, and building it twice costs a minute.
	[ "${IMAPSH_TEST_STAGE-}" = asan-bats ] && return 0
	# Not the make that runs the suite: its jobserver is not ours.
	unset MAKEFLAGS MAKELEVEL MFLAGS
	# nocheck: the suite runs the unit tests itself.
	export DEB_BUILD_OPTIONS="parallel=2 nocheck"
	local dir=$BATS_FILE_TMPDIR version

	version=$(ac_version)
	sh "$ROOT/scripts/dist" "$version" "$dir" >"$dir/dist.log" 2>&1
	echo $? >"$dir/dist.status"
	if no_deb_tools; then
		echo skip >"$dir/deb.status"
		return 0
	fi
	sh "$ROOT/scripts/deb" "$dir/imapsh-$version.tar.gz" "$dir/deb" \
	    >"$dir/deb.log" 2>&1
	echo $? >"$dir/deb.status"
}

setup()
{
	if [ "${IMAPSH_TEST_STAGE-}" = asan-bats ] &&
	    [[ $BATS_TEST_DESCRIPTION != version:* ]]; then
		skip "packaging runs in the plain pass only (it builds its own imapsh)"
	fi
	VERSION=$(ac_version)
	TARBALL=$BATS_FILE_TMPDIR/imapsh-$VERSION.tar.gz
	DEB=$BATS_FILE_TMPDIR/deb/imapsh_${VERSION}_$(dpkg-architecture -q DEB_HOST_ARCH).deb
	[ -n "$VERSION" ] || _imapsh_fail "no version in configure.ac's AC_INIT"
}

# has_line TEXT: a line of $output is TEXT; has_no_line TEXT: none is.
has_line()
{
	grep -qxF -- "$1" <<<"$output" && return 0
	_imapsh_fail "no line '$1'" output "$output"
}

has_no_line()
{
	grep -qxF -- "$1" <<<"$output" || return 0
	_imapsh_fail "a line '$1'" output "$output"
}

# deb_built: the package was made and lintian passed, or fail with why
# (skip where no_deb_tools).
deb_built()
{
	case $(cat "$BATS_FILE_TMPDIR/deb.status") in
	0) return 0 ;;
	skip) skip "a release tarball, and no debhelper or lintian here" ;;
	esac
	cat "$BATS_FILE_TMPDIR/deb.log"
	_imapsh_fail "scripts/deb failed"
}

@test "version: imapsh --version shows configure.ac's version" {
	run "$IMAPSH" --version
	assert_success
	assert_output_matches "^imapsh $VERSION \\("
}

@test "dist: the tarball holds configure, sources, man page, completions, tests, debian/" {
	[ "$(cat "$BATS_FILE_TMPDIR/dist.status")" = 0 ] ||
	    _imapsh_fail "$(cat "$BATS_FILE_TMPDIR/dist.log")"
	run tar -tzf "$TARBALL"
	assert_success
	for f in configure configure.ac config.mk.in Makefile MANIFEST \
	    README.md src/main.c man/imapsh.1 completions/_imapsh \
	    completions/imapsh.bash completions/imapsh.fish tests/run \
	    tests/bats/helper.bash debian/control debian/rules \
	    scripts/install-deps; do
		has_line "imapsh-$VERSION/$f"
	done
	has_no_line "imapsh-$VERSION/config.mk"
	has_no_line "imapsh-$VERSION/imapsh"
	has_no_line "imapsh-$VERSION/imapsh-show"
	refute_output_contains "imapsh-$VERSION/build/"
}

@test "dist: the tarball builds with no autotools, and makes the same tarball again" {
	local dir=$BATS_FILE_TMPDIR/src tool
	mkdir -p "$dir" "$BATS_FILE_TMPDIR/noauto"
	tar -xzf "$TARBALL" -C "$dir"
	# Any autotool the build calls fails it, and says so.
	for tool in autoreconf autoconf automake aclocal autoheader autom4te; do
		printf '#!/bin/sh\necho "%s called" >>"%s"\nexit 1\n' "$tool" \
		    "$BATS_FILE_TMPDIR/autotools.log" >"$BATS_FILE_TMPDIR/noauto/$tool"
		chmod +x "$BATS_FILE_TMPDIR/noauto/$tool"
	done
	unset MAKEFLAGS MAKELEVEL MFLAGS
	cd "$dir/imapsh-$VERSION"
	run env PATH="$BATS_FILE_TMPDIR/noauto:$PATH" \
	    sh -c './configure CFLAGS=-O0 >configure.out &&
	    make -j2 imapsh >make.out 2>&1 || { cat make.out; exit 1; }'
	assert_success
	[ ! -e "$BATS_FILE_TMPDIR/autotools.log" ] ||
	    _imapsh_fail "$(cat "$BATS_FILE_TMPDIR/autotools.log")"
	run ./imapsh --version
	assert_success
	assert_output_matches "^imapsh $VERSION \\("
	# make dist in the unpacked tree (no .git: its MANIFEST) lists the same.
	mkdir "$BATS_FILE_TMPDIR/again"
	run env PATH="$BATS_FILE_TMPDIR/noauto:$PATH" \
	    sh scripts/dist "$VERSION" "$BATS_FILE_TMPDIR/again"
	assert_success
	assert_equal "$(tar -tzf "$BATS_FILE_TMPDIR/again/imapsh-$VERSION.tar.gz")" \
	    "$(tar -tzf "$TARBALL")"
}

@test "deb: dpkg-buildpackage builds the package, lintian finds nothing" {
	deb_built
	run cat "$BATS_FILE_TMPDIR/deb.log"
	assert_output_contains "deb: wrote $DEB"
	refute_output_contains "W: "
	refute_output_contains "E: "
}

@test "deb: the package holds the programs, man page and completions where Debian looks" {
	deb_built
	run dpkg-deb -c "$DEB"
	assert_success
	output=$(awk '{ print $6 }' <<<"$output")
	for f in /usr/bin/imapsh /usr/libexec/imapsh/imapsh-show \
	    /usr/share/man/man1/imapsh.1.gz \
	    /usr/share/bash-completion/completions/imapsh \
	    /usr/share/zsh/vendor-completions/_imapsh \
	    /usr/share/fish/vendor_completions.d/imapsh.fish \
	    /usr/share/doc/imapsh/copyright; do
		has_line ".$f"
	done
	refute_output_contains "/usr/local"
	run dpkg-deb -f "$DEB" Version
	assert_output "$VERSION"
}

@test "deb: installed with dpkg --root, imapsh and its completions run; dpkg -r removes all" {
	deb_built
	local root=$BATS_FILE_TMPDIR/root
	mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" \
	    "$root/var/log"
	: >"$root/var/lib/dpkg/status"
	# The sandbox has no libraries' packages: the libraries are the
	# system's, and the dependencies are dpkg-shlibdeps' (lintian checks).
	run dpkg --root="$root" --force-not-root --force-depends \
	    --force-script-chrootless --log=/dev/null -i "$DEB"
	assert_success
	run "$root/usr/bin/imapsh" --version
	assert_success
	assert_output_matches "^imapsh $VERSION \\("
	# show runs the imapsh-show the package installs: its path is the
	# one compiled into imapsh, and it runs.
	grep -qaF /usr/libexec/imapsh/imapsh-show "$root/usr/bin/imapsh" ||
	    _imapsh_fail "imapsh does not name /usr/libexec/imapsh/imapsh-show"
	printf 'From: a@example.org\r\nSubject: installed\r\n\r\nhi\r\n' |
	    "$root/usr/libexec/imapsh/imapsh-show" >"$BATS_TEST_TMPDIR/shown" ||
	    _imapsh_fail "the installed imapsh-show failed"
	assert_file_contains "$BATS_TEST_TMPDIR/shown" "Subject: installed"
	run bash -c "
		PATH='$root/usr/bin':\$PATH
		source '$root/usr/share/bash-completion/completions/imapsh'
		COMP_WORDS=(imapsh -c sel); COMP_CWORD=2
		_imapsh; printf '%s\n' \"\${COMPREPLY[@]}\""
	assert_success
	assert_output "select"
	run env PATH="$root/usr/bin:$PATH" fish --no-config -c "
		source '$root/usr/share/fish/vendor_completions.d/imapsh.fish'
		complete -C 'imapsh -c sel'"
	assert_success
	assert_output_matches "^select"
	run zsh -n "$root/usr/share/zsh/vendor-completions/_imapsh"
	assert_success

	run dpkg --root="$root" --force-not-root --force-script-chrootless \
	    --log=/dev/null -r imapsh
	assert_success
	# Nothing left but dpkg's own database.
	run find "$root" -path "$root/var" -prune -o -print
	assert_success
	assert_output "$root"
}
