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
#include "stage.h"
#include "config.h"
#include "localfile.h"
#include "json-line.h"
#include "repl.h"
#include "secret.h"
#include "tls-version.h"
#include "target.h"
#include "trace.h"

#define DEFAULT_TIMEOUT	60
#define OPTSTRING	"46c:d:ehlns:t:V"

static void	usage(int) __attribute__((__noreturn__));
static void	version(void) __attribute__((__noreturn__));
static void	list_commands(void) __attribute__((__noreturn__));
static void	main_target(struct session *, int, char **, const char **,
		    const char **, struct target *);
static void	notify(void *, const char *);
static enum cmd_status connect_first(struct session *);
static void	progress(void *, uint64_t, uint64_t, int);
static void	warn_world_readable(const char *, const char *);
static void	check_tls_file(const char *, const char *);

enum {
	OPT_LIST_COMMANDS = 256,
	OPT_ALLOW_CLEARTEXT,
	OPT_CAFILE,
	OPT_CERTFILE,
	OPT_COLOR,
	OPT_FORMAT,
	OPT_INSECURE,
	OPT_KEYFILE,
	OPT_NETRC,
	OPT_NO_PIPELINE,
	OPT_NO_SASL_IR,
	OPT_PASSWORD_FILE,
	OPT_SERVICE_HOST,
	OPT_SHOW_SECRETS,
	OPT_SSL,
	OPT_STARTTLS,
	OPT_TLS_MIN,
	OPT_TOKEN,
	OPT_TOKEN_COMMAND,
	OPT_TOKEN_FILE,
	OPT_UTF7_NAMES
};

static int	tls_option_given;	/* --ssl or --starttls was given */

static const struct option longopts[] = {
	{ "allow-cleartext",	no_argument,		NULL, OPT_ALLOW_CLEARTEXT },
	{ "cafile",		required_argument,	NULL, OPT_CAFILE },
	{ "certfile",		required_argument,	NULL, OPT_CERTFILE },
	{ "color",		required_argument,	NULL, OPT_COLOR },
	{ "format",		required_argument,	NULL, OPT_FORMAT },
	{ "insecure",		no_argument,		NULL, OPT_INSECURE },
	{ "keyfile",		required_argument,	NULL, OPT_KEYFILE },
	{ "netrc",		no_argument,		NULL, OPT_NETRC },
	{ "no-pipeline",	no_argument,		NULL, OPT_NO_PIPELINE },
	{ "no-sasl-ir",		no_argument,		NULL, OPT_NO_SASL_IR },
	{ "password-file",	required_argument,	NULL, OPT_PASSWORD_FILE },
	{ "service-host",	required_argument,	NULL, OPT_SERVICE_HOST },
	{ "show-secrets",	no_argument,		NULL, OPT_SHOW_SECRETS },
	{ "ssl",		no_argument,		NULL, OPT_SSL },
	{ "starttls",		no_argument,		NULL, OPT_STARTTLS },
	{ "stream",		required_argument,	NULL, 's' },
	{ "tls-min",		required_argument,	NULL, OPT_TLS_MIN },
	{ "token",		required_argument,	NULL, OPT_TOKEN },
	{ "token-command",	required_argument,	NULL, OPT_TOKEN_COMMAND },
	{ "token-file",		required_argument,	NULL, OPT_TOKEN_FILE },
	{ "utf7-names",		no_argument,		NULL, OPT_UTF7_NAMES },
	{ "command",		required_argument,	NULL, 'c' },
	{ "debug",		required_argument,	NULL, 'd' },
	{ "exit-on-error",	no_argument,		NULL, 'e' },
	{ "help",		no_argument,		NULL, 'h' },
	{ "login",		no_argument,		NULL, 'l' },
	{ "no-connect",		no_argument,		NULL, 'n' },
	{ "timeout",		required_argument,	NULL, 't' },
	{ "version",		no_argument,		NULL, 'V' },
	{ "list-commands",	no_argument,		NULL, OPT_LIST_COMMANDS },
	{ NULL,			0,			NULL, 0 }
};

/* The short usage; to stdout with status 0 when asked for with -h. */
static void
usage(int status)
{
	FILE	*f = status == 0 ? stdout : stderr;

	/* After a mistake, the synopsis only: the error stays in sight. */
	fputs(
	    "usage: imapsh [-46ehlnV] [-c line] [-d level] [-s command] "
	    "[-t seconds] [--ssl | --starttls]\n"
	    "              [--cafile file] [--insecure] [--certfile file] "
	    "[--keyfile file]\n"
	    "              [--tls-min 1.0|1.1|1.2|1.3]\n"
	    "              [--format python|raw|json] [--color when] "
	    "[--password-file file] [--netrc]\n"
	    "              [--token token | --token-file file | "
	    "--token-command command] [--service-host host]\n"
	    "              [--allow-cleartext] [--no-sasl-ir] "
	    "[--no-pipeline] [--show-secrets] [--utf7-names]\n"
	    "              [[user@]host [port] | account [port] | "
	    "imaps://[user@]host[:port] |\n"
	    "               imap://[user@]host[:port] | "
	    "imap+notls://[user@]host[:port]]\n", f);
	if (status != 0) {
		fputs("imapsh --help lists the options; see imapsh(1).\n", f);
		exit(status);
	}
	fprintf(f,
	    "  -4, -6          use IPv4 or IPv6 only\n"
	    "  -c, --command line\n"
	    "                  run line (repeatable), then exit\n"
	    "  -d, --debug level\n"
	    "                  trace: 1 connection, 3 capabilities, "
	    "4 every line, 5 all\n"
	    "  -e, --exit-on-error\n"
	    "                  stop at the first command that fails\n"
	    "  -h, --help      this help\n"
	    "  --list-commands the commands, one a line (for completions)\n"
	    "  -l, --login     log in right after connecting "
	    "(user from user@host)\n"
	    "  -n, --no-connect\n"
	    "                  start without connecting "
	    "(connect later with connect)\n"
	    "  -s, --stream command\n"
	    "                  speak IMAP to a command's stdin/stdout "
	    "(ssh host /usr/lib/dovecot/imap)\n"
	    "  --ssl           TLS from the start (port 993), as imaps://\n"
	    "  --starttls      require STARTTLS before anything else, "
	    "as imap://\n"
	    "  --cafile file   trust this CA instead of the system's\n"
	    "  --insecure      do not verify the server's certificate "
	    "(unsafe)\n"
	    "  --tls-min 1.0|1.1|1.2|1.3\n"
	    "                  the oldest TLS version to accept (1.2; "
	    "RFC 8996)\n"
	    "  --certfile file, --keyfile file\n"
	    "                  client certificate (for EXTERNAL)\n"
	    "  --password-file file, --netrc\n"
	    "                  where login finds the password "
	    "(else IMAPSH_PASSWORD, else a prompt)\n"
	    "  --token token, --token-file file, --token-command command\n"
	    "                  the OAuth token for XOAUTH2 and OAUTHBEARER\n"
	    "  --service-host host\n"
	    "                  GSSAPI's Kerberos service imap@host "
	    "(default: the host connected to)\n"
	    "  --allow-cleartext\n"
	    "                  send credentials over plain TCP to another "
	    "host\n"
	    "  --no-sasl-ir    never send a SASL initial response with "
	    "AUTHENTICATE\n"
	    "  --no-pipeline   run a script's commands strictly one at a "
	    "time\n"
	    "  --show-secrets  show passwords and tokens in the trace\n"
	    "  -t, --timeout seconds\n"
	    "                  give up on a silent server "
	    "(default %d; 0 waits forever)\n"
	    "  --utf7-names    show the mailbox in the prompt decoded from "
	    "modified UTF-7\n"
	    "  -V, --version   versions of imapsh, GnuTLS and libedit\n"
	    "  --format python|raw|json\n"
	    "                  imaplib's value (default), the server's lines, "
	    "or JSON\n"
	    "  --color auto|always|never\n"
	    "                  colour on a terminal (auto; NO_COLOR turns it "
	    "off)\n"
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

/*
 * The command line's [user@]host [port], host:port or URL (target.c, as
 * connect takes them) into s, *hostp and *portp, which point into t.
 * Exits with status 2 on an error.
 */
static void
main_target(struct session *s, int argc, char **argv, const char **hostp,
    const char **portp, struct target *t)
{
	char	*cause;

	if (target_parse(argv[0], argc == 2 ? argv[1] : NULL, t, &cause) ==
	    -1) {
		warnx("%s", cause);
		free(cause);
		exit(2);
	}
	if (t->tls_mode != -1) {
		if (tls_option_given && s->tls_mode != t->tls_mode) {
			warnx("%s: the URL's scheme and --%s disagree", argv[0],
			    s->tls_mode == CONN_IMPLICIT ? "ssl" : "starttls");
			exit(2);
		}
		s->tls_mode = t->tls_mode;
	}
	if (t->user != NULL) {
		s->user = t->user;
		t->user = NULL;
	}
	*hostp = t->host;
	*portp = t->port;
}

/*
 * A progress line on stderr for a big literal, when stderr is a terminal:
 * bytes, rate and time left, redrawn ten times a second and erased at
 * the end.
 */
static void
progress(void *arg, uint64_t done, uint64_t total, int sending)
{
	struct session	*s = arg;
	long long	 now;
	double		 secs, rate;

	if (!s->err->tty)
		return;
	now = tr_now_ms();
	if (s->progress_t0 == 0) {
		s->progress_t0 = now;	/* the first frame is drawn at once */
		s->progress_last = now - 100;
	}
	if (done >= total) {
		out_puts(s->err, "\r\033[K");
		out_flush(s->err);
		s->progress_t0 = 0;
		return;
	}
	if (now - s->progress_last < 100)
		return;
	s->progress_last = now;
	secs = (double)(now - s->progress_t0) / 1000.0;
	rate = secs > 0 ? (double)done / secs : 0;
	out_printf(s->err, "\r\033[K  %s %.1f of %.1f MB, %.1f MB/s, %.0f s "
	    "left", sending ? "sending" : "receiving",
	    (double)done / 1048576.0, (double)total / 1048576.0,
	    rate / 1048576.0, rate > 0 ? (double)(total - done) / rate : 0.0);
	out_flush(s->err);
}

/* The connection made before any input line; with --format json a
 * failure is a value of its own, as a line's would be. */
static enum cmd_status
connect_first(struct session *s)
{
	enum cmd_status	 st;

	if (s->format == FMT_JSON)
		json_line_begin(s->out);
	st = cmd_session_connect(s, s->host, s->port);
	if (s->format == FMT_JSON && st != CMD_OK)
		json_line_end(s, "connect", (int)st);
	return (st);
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

/* A file that holds a secret and that everyone may read. */
static void
warn_world_readable(const char *path, const char *what)
{
	if (localfile_world_readable(path))
		warnx("warning: %s: %s is readable by everyone (chmod o-r %s)",
		    path, what, path);
}

/* Exit 2 unless path (when given) is a regular file that can be read. */
static void
check_tls_file(const char *path, const char *option)
{
	char	*cause = NULL;
	int	 fd;

	if (path == NULL)
		return;
	if ((fd = localfile_open(path, 0, NULL, &cause)) == -1)
		errx(2, "--%s %s", option, cause);
	close(fd);
}

int
main(int argc, char **argv)
{
	static struct out	 out, errout;
	struct session		 s;
	const struct config_account *account;
	const char		*errstr, *host = "localhost", *port = NULL;
	struct target		 target = { NULL, NULL, NULL, -1 };
	char			**lines = NULL, *cause = NULL, *netrc;
	size_t			 nlines = 0, i;
	int			 ch, login = 0, noconnect = 0, no_pipeline = 0;
	long long		 n;

	setlocale(LC_CTYPE, "");
	memset(&s, 0, sizeof s);
	s.timeout_ms = DEFAULT_TIMEOUT * 1000;
	s.exists = -1;

	/* The configuration file first: every option given overrides it. */
	if (config_load(&s, argc, argv, OPTSTRING, longopts, &account) == -1)
		exit(2);
	if (account != NULL && account->login)
		login = 1;

	while ((ch = getopt_long(argc, argv, OPTSTRING, longopts,
	    NULL)) != -1) {
		switch (ch) {
		case OPT_ALLOW_CLEARTEXT:
			s.allow_cleartext = 1;
			break;
		case OPT_CAFILE:
			s.tls.cafile = optarg;
			break;
		case OPT_CERTFILE:
			s.tls.certfile = optarg;
			break;
		case OPT_COLOR:
		case OPT_FORMAT:
			if (cmd_setting(&s, ch == OPT_COLOR ? "color" :
			    "format", optarg, &cause) == -1) {
				warnx("%s", cause);
				usage(2);
			}
			break;
		case OPT_INSECURE:
			s.tls.insecure = 1;
			break;
		case OPT_KEYFILE:
			s.tls.keyfile = optarg;
			break;
		case OPT_TLS_MIN:
			if ((s.tls.min_version =
			    tls_version_parse(optarg)) == -1) {
				warnx("--tls-min: 1.0, 1.1, 1.2 or 1.3, not "
				    "'%s'", optarg);
				usage(2);
			}
			break;
		case OPT_NETRC:
			s.use_netrc = 1;
			break;
		case OPT_NO_PIPELINE:
			no_pipeline = 1;
			break;
		case OPT_NO_SASL_IR:
			s.no_sasl_ir = 1;
			break;
		case OPT_PASSWORD_FILE:
			s.password_file = optarg;
			warn_world_readable(optarg, "the password file");
			break;
		case OPT_SERVICE_HOST:
			s.service_host = optarg;
			break;
		case OPT_SHOW_SECRETS:
			trace_secrets = 1;
			break;
		case OPT_SSL:
		case OPT_STARTTLS:
			n = ch == OPT_SSL ? CONN_IMPLICIT : CONN_STARTTLS;
			if (tls_option_given && s.tls_mode != n) {
				warnx("--ssl and --starttls exclude each other: "
				    "TLS from the start, or STARTTLS");
				usage(2);
			}
			s.tls_mode = (int)n;
			tls_option_given = 1;
			break;
		case OPT_TOKEN:
			s.token = optarg;
			break;
		case OPT_TOKEN_COMMAND:
			s.token_command = optarg;
			break;
		case OPT_TOKEN_FILE:
			s.token_file = optarg;
			warn_world_readable(optarg, "the token file");
			break;
		case OPT_UTF7_NAMES:
			s.utf7_names = 1;
			break;
		case 's':
			s.stream_cmd = optarg;
			break;
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
		case 'n':
			noconnect = 1;
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
	if (argc > 2) {
		warnx("too many arguments from '%s' on: give [user@]host "
		    "[port], an account [port] or a URL", argv[2]);
		usage(2);
	}
	if (account != NULL) {
		if (account->host != NULL)
			host = account->host;
		port = account->port;
		if (argc == 2) {
			strtonum(argv[1], 1, 65535, &errstr);
			if (errstr != NULL) {
				warnx("port must be 1 to 65535, not '%s'",
				    argv[1]);
				usage(2);
			}
			port = argv[1];
		}
	} else if (argc >= 1)
		main_target(&s, argc, argv, &host, &port, &target);
	if (port == NULL)
		port = s.tls_mode == CONN_IMPLICIT ? "993" : "143";
	/* GnuTLS reads these later: a FIFO would block it there. */
	check_tls_file(s.tls.cafile, "cafile");
	check_tls_file(s.tls.certfile, "certfile");
	check_tls_file(s.tls.keyfile, "keyfile");
	if (s.tls.keyfile != NULL && s.tls.certfile == NULL) {
		warnx("--keyfile needs --certfile");
		usage(2);
	}
	if (s.use_netrc && (netrc = secret_netrc_path()) != NULL) {
		warn_world_readable(netrc, "the netrc file");
		free(netrc);
	}
	if (s.tls.insecure)
		warnx("warning: --insecure: the server's certificate is not "
		    "checked; anyone on the path can read and change this "
		    "session");

	out_init(&out, STDOUT_FILENO);
	out_init(&errout, STDERR_FILENO);
	out_takeback_init(&out, STDERR_FILENO);
	s.out = &out;
	s.err = &errout;
	trace_sync = &out;
	s.interactive = nlines == 0 && isatty(STDIN_FILENO);

	signal(SIGPIPE, SIG_IGN);
	if (s.interactive)
		repl_catch_sigint(&s);

	s.im = imap_new(s.timeout_ms);
	if (no_pipeline)
		imap_set_ahead_max(s.im, 0);
	imap_set_notify(s.im, notify, &s);
	imap_set_progress(s.im, progress, &s);
	s.host = xstrdup(host);
	s.port = xstrdup(port);
	if (noconnect)
		s.no_session = 1;	/* connect later, by hand */
	else if (connect_first(&s) != CMD_OK) {
		s.status = CMD_ABORT;
		if (!s.interactive)
			goto done;
	} else if (login &&
	    cmd_run_line(&s, "login") != CMD_OK && !s.interactive)
		goto done;

	if (nlines > 0) {
		for (i = 0; i < nlines && !s.quit; i++) {
			s.lineno = (long long)i + 1;
			if (cmd_run_line(&s, lines[i]) != CMD_OK &&
			    s.stop_on_error)
				break;
		}
		s.lineno = 0;
	} else if (s.interactive)
		repl_run(&s);
	else
		batch_run(&s, STDIN_FILENO);

done:
	/* Leave as imaplib's with-statement does: LOGOUT if still in. */
	if (imap_connected(s.im) && imap_state(s.im) != IMAP_LOGOUT) {
		struct pyval	*data;
		char		*typ, *msg = NULL;

		if (imap_simple_command(s.im, "LOGOUT", NULL, 0, &typ, &data,
		    &msg) == IMAP_OK) {
			free(typ);
			pv_free(data);
		} else
			free(msg);
	}
	imap_free(s.im);
	stage_free(s.stage);
	out_flush(&out);
	out_flush(&errout);
	free(lines);
	target_free(&target);
	config_free();
	free(s.host);
	free(s.port);
	free(s.user);
	free(s.mailbox);
	if (out.failed && s.status == 0)
		s.status = 1;
	return (s.status);
}
