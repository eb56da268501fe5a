# bash completion for imapsh.
# Command names come from the binary itself (imapsh --list-commands), so
# they cannot drift from what imapsh runs.
_imapsh()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
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
	--cafile|--certfile|--keyfile|--password-file|--token-file)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	-s|--stream|--token-command)
		COMPREPLY=($(compgen -c -- "$cur"))
		return
		;;
	-t|--timeout|--token)
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "-4 -6 -c -d -e -h -l -n -s -t -V
		    --allow-cleartext --cafile --certfile --command --debug
		    --exit-on-error --help --insecure --keyfile --login --netrc
		    --no-connect --no-sasl-ir --password-file --show-secrets
		    --ssl --starttls --stream --timeout --token --token-command
		    --token-file --version" -- "$cur"))
		return
	fi
	if [[ $cur == imap* ]]; then
		COMPREPLY=($(compgen -W "imap:// imaps:// imap+notls://" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -A hostname -- "$cur"))
}
complete -F _imapsh imapsh
