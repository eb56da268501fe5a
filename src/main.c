/*
 * main.c: options, usage, connecting, choosing the interactive or batch
 * front end, and the exit status.
 *
 * Exit status: 0 every command returned OK; 1 a command returned NO or
 * BAD or raised an error; 2 a usage error (of imapsh or of a command
 * line); 3 the connection, TLS or the protocol failed.
 */
#include <sys/socket.h>

#include <err.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "cmd.h"
#include "imap-print.h"
#include "repl.h"
#include "trace.h"

#define DEFAULT_TIMEOUT	60

static void	usage(int) __attribute__((__noreturn__));
static void	version(void) __attribute__((__noreturn__));
static void	list_commands(void) __attribute__((__noreturn__));
static void	on_sigint(int);
static void	notify(void *, const char *);

enum {
	OPT_LIST_COMMANDS = 256,
	OPT_TIMEOUT
};

static const struct option longopts[] = {
	{ "command",		required_argument,	NULL, 'c' },
	{ "debug",		required_argument,	NULL, 'd' },
	{ "exit-on-error",	no_argument,		NULL, 'e' },
	{ "help",		no_argument,		NULL, 'h' },
	{ "login",		no_argument,		NULL, 'l' },
	{ "timeout",		required_argument,	NULL, 't' },
	{ "version",		no_argument,		NULL, 'V' },
	{ "list-commands",	no_argument,		NULL, OPT_LIST_COMMANDS },
	{ NULL,			0,			NULL, 0 }
};

/* The short usage; to stdout with status 0 when asked for with -h. */
static void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: imapsh [-46ehlV] [-c line] [-d level] [-t seconds] "
	    "[[user@]host [port]]\n"
	    "  -4, -6          use IPv4 or IPv6 only\n"
	    "  -c line         run line (repeatable), then exit\n"
	    "  -d level        trace: 1 connection, 3 capabilities, "
	    "4 every line, 5 all\n"
	    "  -e              stop at the first command that fails\n"
	    "  -h, --help      this help\n"
	    "  -l, --login     log in right after connecting "
	    "(user from user@host)\n"
	    "  -t, --timeout seconds\n"
	    "                  give up on a silent server "
	    "(default %d; 0 waits forever)\n"
	    "  -V, --version   versions of imapsh, GnuTLS and libedit\n"
	    "Type 'help' inside imapsh for its commands; see imapsh(1).\n",
	    DEFAULT_TIMEOUT);
	exit(status);
}

static void
version(void)
{
	printf("imapsh %s (GnuTLS %s, libedit %s)\n", IMAPSH_VERSION,
	    gnutls_check_version(NULL), LIBEDIT_VERSION);
	exit(0);
}

/* The command names, one per line: what the completions and the drift
 * test read, so they cannot disagree with the table. */
static void
list_commands(void)
{
	size_t	i;

	for (i = 0; i < cmd_count; i++) {
		printf("%s\t%s\n", cmd_table[i].name, cmd_table[i].summary);
		if (cmd_table[i].alias != NULL)
			printf("%s\talias of %s\n", cmd_table[i].alias,
			    cmd_table[i].name);
	}
	exit(0);
}

/* What the core has to say mid-command, on stderr. */
static void
notify(void *arg, const char *msg)
{
	struct session	*s = arg;

	out_flush(s->out);
	out_printf(s->err, "%s\n", msg);
	out_flush(s->err);
}

static void
on_sigint(int sig)
{
	(void)sig;
	tr_interrupted = 1;
}

int
main(int argc, char **argv)
{
	static struct out	 out, errout;
	struct session		 s;
	struct sigaction	 sa;
	const char		*errstr, *host = "localhost", *port = "143";
	char			**lines = NULL, *at;
	size_t			 nlines = 0, i;
	int			 ch, login = 0;
	long long		 n;

	setlocale(LC_CTYPE, "");
	memset(&s, 0, sizeof s);
	s.timeout_ms = DEFAULT_TIMEOUT * 1000;
	s.exists = -1;

	while ((ch = getopt_long(argc, argv, "46c:d:ehlt:V", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case '4':
			s.family = AF_INET;
			break;
		case '6':
			s.family = AF_INET6;
			break;
		case 'c':
			lines = xreallocarray(lines, nlines + 1,
			    sizeof *lines);
			lines[nlines++] = optarg;
			break;
		case 'd':
			n = strtonum(optarg, 0, TRACE_MAX_LEVEL, &errstr);
			if (errstr != NULL) {
				warnx("debug level must be 0 to %d, not '%s'",
				    TRACE_MAX_LEVEL, optarg);
				usage(2);
			}
			trace_level = (int)n;
			break;
		case 'e':
			s.stop_on_error = 1;
			break;
		case 'l':
			login = 1;
			break;
		case 't':
			n = strtonum(optarg, 0, 86400, &errstr);
			if (errstr != NULL) {
				warnx("timeout must be 0 to 86400 seconds, "
				    "not '%s'", optarg);
				usage(2);
			}
			s.timeout_ms = (int)n * 1000;
			break;
		case 'V':
			version();
		case OPT_LIST_COMMANDS:
			list_commands();
		case 'h':
			usage(0);
		default:
			usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 2)
		usage(2);
	if (argc >= 1) {
		if ((at = strrchr(argv[0], '@')) != NULL) {
			s.user = xstrndup(argv[0], (size_t)(at - argv[0]));
			host = at + 1;
		} else
			host = argv[0];
		if (*host == '\0')
			host = "localhost";
	}
	if (argc == 2) {
		n = strtonum(argv[1], 1, 65535, &errstr);
		if (errstr != NULL) {
			warnx("port must be 1 to 65535, not '%s'", argv[1]);
			usage(2);
		}
		port = argv[1];
	}

	out_init(&out, STDOUT_FILENO);
	out_init(&errout, STDERR_FILENO);
	s.out = &out;
	s.err = &errout;
	trace_sync = &out;
	s.interactive = nlines == 0 && isatty(STDIN_FILENO);

	signal(SIGPIPE, SIG_IGN);
	if (s.interactive) {
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_sigint;
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = 0;	/* no SA_RESTART: reads see EINTR */
		sigaction(SIGINT, &sa, NULL);
	}

	imap_init(&s.im, s.timeout_ms);
	s.im.notify = notify;
	s.im.notify_arg = &s;
	s.host = xstrdup(host);
	s.port = xstrdup(port);
	if (cmd_session_connect(&s, s.host, s.port) != CMD_OK) {
		s.status = CMD_ABORT;
		if (!s.interactive)
			goto done;
	} else if (login &&
	    cmd_run_line(&s, "login") != CMD_OK && !s.interactive)
		goto done;

	if (nlines > 0) {
		for (i = 0; i < nlines && !s.quit; i++) {
			if (cmd_run_line(&s, lines[i]) != CMD_OK &&
			    s.stop_on_error)
				break;
		}
	} else if (s.interactive)
		repl_run(&s);
	else
		batch_run(&s, stdin);

done:
	/* Leave as imaplib's with-statement does: LOGOUT if still in. */
	if (imap_connected(&s.im) && s.im.state != IMAP_LOGOUT) {
		struct pyval	*data;
		char		*typ, *msg = NULL;

		s.im.state = IMAP_LOGOUT;
		if (imap_simple_command(&s.im, "LOGOUT", NULL, 0, &typ, &data,
		    &msg) == IMAP_OK) {
			free(typ);
			pv_free(data);
		} else
			free(msg);
	}
	imap_free(&s.im);
	out_flush(&out);
	out_flush(&errout);
	free(lines);
	free(s.host);
	free(s.port);
	free(s.user);
	free(s.mailbox);
	if (out.failed && s.status == 0)
		s.status = 1;
	return (s.status);
}
