# bash completion for imapsh.
# Command names come from the binary itself (imapsh --list-commands), so
# they cannot drift from what imapsh runs; account names come from the
# configuration file that imapsh reads.
_imapsh_accounts()
{
	local f=${IMAPSH_CONFIG-}

	if [ -z "${IMAPSH_CONFIG+set}" ]; then
		if [[ ${XDG_CONFIG_HOME-} == /* ]]; then
			f=$XDG_CONFIG_HOME/imapsh/config
		else
			f=$HOME/.config/imapsh/config
		fi
	fi
	[ -n "$f" ] && [ -r "$f" ] || return 0
	sed -n 's/^[[:space:]]*account[[:space:]]\{1,\}\([A-Za-z0-9._-]\{1,\}\)[[:space:]]*$/\1/p' "$f"
}

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
	--format)
		COMPREPLY=($(compgen -W "python raw json" -- "$cur"))
		return
		;;
	--color)
		COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
		return
		;;
	--tls-min)
		COMPREPLY=($(compgen -W "1.0 1.1 1.2 1.3" -- "$cur"))
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
	--service-host)
		COMPREPLY=($(compgen -A hostname -- "$cur"))
		return
		;;
	-t|--timeout|--token)
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "-4 -6 -c -d -e -h -l -n -s -t -V
		    --allow-cleartext --cafile --certfile --color --command
		    --debug --exit-on-error --format --help --insecure --keyfile --login --netrc
		    --no-connect --no-pipeline --no-sasl-ir --password-file
		    --service-host --show-secrets
		    --ssl --starttls --stream --timeout --token --token-command
		    --tls-min --token-file --utf7-names --version" -- "$cur"))
		return
	fi
	if [[ $cur == imap* ]]; then
		COMPREPLY=($(compgen -W "imap:// imaps:// imap+notls://" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -W "$(_imapsh_accounts)" -- "$cur")
	    $(compgen -A hostname -- "$cur"))
}
complete -F _imapsh imapsh
