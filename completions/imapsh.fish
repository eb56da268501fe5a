# fish completion for imapsh.  Command names come from the binary itself
# (imapsh --list-commands), so they cannot drift from what imapsh runs.
function __imapsh_commands
	command imapsh --list-commands 2>/dev/null
end
complete -c imapsh -s 4 -d 'use IPv4 only'
complete -c imapsh -s 6 -d 'use IPv6 only'
complete -c imapsh -s c -l command -x -a '(__imapsh_commands)' -d 'run a command line, then exit'
complete -c imapsh -s d -l debug -x -a '0 1 2 3 4 5' -d 'trace level'
complete -c imapsh -s e -l exit-on-error -d 'stop at the first failing command'
complete -c imapsh -s h -l help -d 'show usage'
complete -c imapsh -s l -l login -d 'log in after connecting'
complete -c imapsh -s t -l timeout -x -d 'seconds to wait for the server'
complete -c imapsh -s V -l version -d 'show versions'
complete -c imapsh -f -a '(__fish_print_hostnames)'
