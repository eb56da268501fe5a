# fish completion for imapsh.  Command names come from the binary itself
# (imapsh --list-commands), so they cannot drift from what imapsh runs;
# account names come from the configuration file that imapsh reads.
function __imapsh_commands
	command imapsh --list-commands 2>/dev/null
end
function __imapsh_accounts
	set -l f
	if set -q IMAPSH_CONFIG
		set f $IMAPSH_CONFIG
	else if string match -q '/*' -- "$XDG_CONFIG_HOME"
		set f $XDG_CONFIG_HOME/imapsh/config
	else
		set f $HOME/.config/imapsh/config
	end
	test -n "$f" -a -r "$f"; or return
	sed -n 's/^[[:space:]]*account[[:space:]]\{1,\}\([A-Za-z0-9._-]\{1,\}\)[[:space:]]*$/\1/p' $f
end
complete -c imapsh -s 4 -d 'use IPv4 only'
complete -c imapsh -s 6 -d 'use IPv6 only'
complete -c imapsh -l allow-cleartext -d 'send credentials over plain TCP to another host'
complete -c imapsh -l cafile -r -F -d 'trust this CA'
complete -c imapsh -l color -x -a 'auto always never' -d 'colour on a terminal'
complete -c imapsh -l format -x -a 'python raw json' -d 'output format'
complete -c imapsh -l certfile -r -F -d 'client certificate'
complete -c imapsh -s c -l command -x -a '(__imapsh_commands)' -d 'run a command line, then exit'
complete -c imapsh -s d -l debug -x -a '0 1 2 3 4 5' -d 'trace level'
complete -c imapsh -s e -l exit-on-error -d 'stop at the first failing command'
complete -c imapsh -s h -l help -d 'show usage'
complete -c imapsh -l insecure -d 'do not verify the certificate'
complete -c imapsh -l tls-min -x -a '1.0 1.1 1.2 1.3' -d 'the oldest TLS version to accept'
complete -c imapsh -l keyfile -r -F -d 'client key'
complete -c imapsh -s l -l login -d 'log in after connecting'
complete -c imapsh -s n -l no-connect -d 'start without connecting'
complete -c imapsh -l netrc -d 'passwords from ~/.netrc'
complete -c imapsh -l no-pipeline -d 'run script commands one at a time'
complete -c imapsh -l no-sasl-ir -d 'no SASL initial response'
complete -c imapsh -l password-file -r -F -d 'read the password from a file'
complete -c imapsh -s s -l stream -x -a '(__fish_complete_command)' -d 'speak IMAP to a command'
complete -c imapsh -l service-host -x -a '(__fish_print_hostnames)' -d 'host of the Kerberos service imap@host'
complete -c imapsh -l show-secrets -d 'show secrets in the trace'
complete -c imapsh -l ssl -d 'TLS from the start'
complete -c imapsh -l starttls -d 'require STARTTLS'
complete -c imapsh -s t -l timeout -x -d 'seconds to wait for the server'
complete -c imapsh -l token -x -d 'OAuth token'
complete -c imapsh -l token-command -x -d 'command printing the OAuth token'
complete -c imapsh -l token-file -r -F -d 'file holding the OAuth token'
complete -c imapsh -l utf7-names -d 'show the mailbox in the prompt decoded from modified UTF-7'
complete -c imapsh -l list-commands -d 'print the commands, one a line, and exit'
complete -c imapsh -s V -l version -d 'show versions'
complete -c imapsh -f -a '(__imapsh_accounts)' -d 'account'
complete -c imapsh -f -a 'imap:// imaps:// imap+notls://' -d 'URL'
complete -c imapsh -f -a '(__fish_print_hostnames)'
