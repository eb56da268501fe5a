# bash completion for imapsh.
# Command names come from the binary itself (imapsh --list-commands), so
# they cannot drift from what imapsh runs.
_imapsh()
{
	local cur prev words cword
	_init_completion 2>/dev/null || {
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD-1]}
	}
	case $prev in
	-c|--command)
		local cmds
		cmds=$("${COMP_WORDS[0]}" --list-commands 2>/dev/null | cut -f1)
		COMPREPLY=($(compgen -W "$cmds" -- "$cur"))
		return
		;;
	-d|--debug)
		COMPREPLY=($(compgen -W "0 1 2 3 4 5" -- "$cur"))
		return
		;;
	-t|--timeout)
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "-4 -6 -c -d -e -h -l -t -V --command
		    --debug --exit-on-error --help --login --timeout --version" \
		    -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -A hostname -- "$cur"))
}
complete -F _imapsh imapsh
