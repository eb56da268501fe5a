#!/usr/bin/env bats
# The command table is the one source: help, the man page's COMMANDS list
# and the shell completions must name exactly its commands, in its order.

load helper

ROOT="$BATS_TEST_DIRNAME/../.."

table_names() { "$IMAPSH" --list-commands | grep -v $'\talias of ' | cut -f1; }

@test "drift: the man page's COMMANDS list is the table, in order" {
	run bash -c "sed -n '/^\.Sh COMMANDS/,/^\.Sh /p' '$ROOT/man/imapsh.1' |
	    sed -n 's/^\.It Xo Ic \([a-zA-Z_0-9]*\).*/\1/p'"
	assert_success
	expected=$(table_names)
	assert_equal "$output" "$expected"
}

@test "drift: help lists every command of the table and nothing more" {
	run imapsh_run -n -c help
	help_names=$(printf '%s\n' "$output" | sed -n 's/^  \([a-zA-Z_0-9]*\)  .*/\1/p')
	assert_equal "$help_names" "$(table_names)"
}

@test "drift: help COMMAND works for every command and shows its usage" {
	for name in $(table_names); do
		run "$IMAPSH" -n -c "help $name"
		assert_output_contains "usage: $name"
	done
}

@test "drift: aliases in the table resolve to their command" {
	"$IMAPSH" --list-commands | grep $'\talias of ' | while IFS=$'\t' read -r alias rest; do
		target=${rest#alias of }
		run "$IMAPSH" -n -c "help $alias"
		assert_output_contains "usage: $target"
	done
}

@test "drift: the completions take command names from the binary" {
	grep -q -- '--list-commands' "$ROOT/completions/imapsh.bash"
	grep -q -- '--list-commands' "$ROOT/completions/_imapsh"
	grep -q -- '--list-commands' "$ROOT/completions/imapsh.fish"
	# and every option of --help is offered by each completion
	for opt in $("$IMAPSH" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -q -- "$opt" "$ROOT/completions/imapsh.bash" ||
		    { echo "bash completion lacks $opt"; return 1; }
		grep -q -- "${opt#--}" "$ROOT/completions/_imapsh" ||
		    { echo "zsh completion lacks $opt"; return 1; }
		grep -q -- "-l ${opt#--}" "$ROOT/completions/imapsh.fish" ||
		    { echo "fish completion lacks $opt"; return 1; }
	done
}

@test "drift: every long option of --help is in the man page" {
	for opt in $("$IMAPSH" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -q -- "Fl -${opt#--}" "$ROOT/man/imapsh.1" ||
		    { echo "man page lacks $opt"; return 1; }
	done
}

# accepted_long, accepted_short: every option the program accepts, from
# its getopt tables in src/main.c (longopts[] and OPTSTRING), one a line.
accepted_long()
{
	sed -n '/^static const struct option longopts\[\] = {/,/^};/p' \
	    "$ROOT/src/main.c" | sed -n 's/^[[:space:]]*{ "\([a-z0-9-]*\)".*/\1/p'
}

accepted_short()
{
	sed -n 's/^#define[[:space:]]*OPTSTRING[[:space:]]*"\(.*\)"$/\1/p' \
	    "$ROOT/src/main.c" | tr -d ':' | fold -w1
}

# readme_options: the README's option table.
readme_options()
{
	sed -n '/^| option | meaning |$/,/^$/p' "$ROOT/README.md"
}

@test "drift: every option the program accepts is in --help, the man page and the README table" {
	local opt help table missing=""
	[ "$(accepted_long | wc -l)" -ge 20 ] ||
	    _imapsh_fail "the long option table was not found" \
	    found "$(accepted_long)"
	[ "$(accepted_short | wc -l)" -ge 10 ] ||
	    _imapsh_fail "OPTSTRING was not found" found "$(accepted_short)"
	help=$("$IMAPSH" --help)
	table=$(readme_options)
	[ -n "$table" ] || _imapsh_fail "no option table in README.md"
	for opt in $(accepted_long); do
		grep -qE -- "(^|[^a-z-])--$opt([^a-z-]|\$)" <<<"$help" ||
		    missing+="--help lacks --$opt"$'\n'
		grep -qE -- "Fl -$opt([^a-z-]|\$)" "$ROOT/man/imapsh.1" ||
		    missing+="the man page lacks --$opt"$'\n'
		grep -qE -- "\`--$opt([^a-z-]|\$)" <<<"$table" ||
		    missing+="the README table lacks --$opt"$'\n'
	done
	for opt in $(accepted_short); do
		grep -qE -- "^  (.*, )?-$opt[ ,]" <<<"$help" ||
		    missing+="--help lacks -$opt"$'\n'
		grep -qE -- "^\.It (Fl [a-z0-9]+ , )?Fl $opt( |\$)" \
		    "$ROOT/man/imapsh.1" ||
		    missing+="the man page lacks -$opt"$'\n'
		grep -qE -- "\`-$opt[\` ]" <<<"$table" ||
		    missing+="the README table lacks -$opt"$'\n'
	done
	[ -z "$missing" ] || _imapsh_fail "options not documented" \
	    missing "$missing"
}

@test "docs: groff, as man uses it, finds nothing in the man page" {
	command -v groff >/dev/null || _imapsh_fail "groff is not installed"
	run groff -ww -z -mandoc "$ROOT/man/imapsh.1"
	assert_success
	assert_output ""
}

@test "docs: mandoc -Tlint finds nothing in the man page" {
	run mandoc -Tlint -W warning "$ROOT/man/imapsh.1"
	assert_success
	assert_output ""
}

@test "docs: the completions parse in bash, zsh and fish" {
	run bash -n "$ROOT/completions/imapsh.bash"
	assert_success
	run zsh -n "$ROOT/completions/_imapsh"
	assert_success
	run fish -n "$ROOT/completions/imapsh.fish"
	assert_success
}

@test "docs: bash completes -c with command names from the binary" {
	run bash -c "
		PATH='$(dirname "$IMAPSH")':\$PATH
		source '$ROOT/completions/imapsh.bash'
		COMP_WORDS=(imapsh -c sel); COMP_CWORD=2
		_imapsh; printf '%s\n' \"\${COMPREPLY[@]}\""
	assert_success
	assert_output "select"
}

@test "drift: the man page's Pipelining list is the table's pipelined commands" {
	local name table=""
	for name in $(table_names); do
		run "$IMAPSH" -n -c "help $name"
		assert_success
		[[ $output == *"pipelined in scripts"* ]] && table+="$name "
	done
	[ -n "$table" ] || _imapsh_fail "help calls no command pipelined"
	run bash -c "sed -n '/^\.Ss Pipelining/,/^\.S[sh] /p' '$ROOT/man/imapsh.1' |
	    sed -n 's/^\.Ic \([a-z]*\).*/\1/p' | tr '\n' ' '"
	assert_success
	assert_equal "$output" "$table"
}
