/*
 * config.c: the configuration file and its named accounts.
 *
 * The file is $IMAPSH_CONFIG (empty: no file), else
 * $XDG_CONFIG_HOME/imapsh/config, else ~/.config/imapsh/config.  One
 * statement per line; blank lines and lines whose first non-blank is '#'
 * are ignored; blanks around a line do not matter.
 *
 *	line	 = keyword [blanks value]
 *	value	 = the rest of the line; a value in double quotes has them
 *		   removed (so it may begin or end with a blank)
 *
 *	set NAME VALUE		a setting, as the set command takes it
 *				(format, color, debug, timeout)
 *	account NAME		starts an account (letters, digits, '.', '_',
 *				'-'); the lines after it, up to the next
 *				account line, belong to it
 *
 * In an account, each at most once:
 *
 *	host HOST		port PORT		user USER
 *	tls imaps|starttls|none	cafile FILE		certfile FILE
 *	keyfile FILE		password-file FILE	password-command CMD
 *	netrc yes|no		login yes|no		stream CMD
 *	allow-cleartext yes|no	service-host HOST	set NAME VALUE
 *	tls-min 1.0|1.1|1.2|1.3
 *
 * Settings before the first account apply to every session; an account's
 * own set lines come after them.  A FILE starting with "~/" is in $HOME.
 * The file is refused when someone else than its owner (or root) could
 * write it, since it says where passwords come from and which commands
 * run; a password file that everyone may read is warned about.
 *
 * Nothing in the file is checked lazily: an error anywhere, even in an
 * account not used, is reported with its file and line and stops imapsh
 * before it connects.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "localfile.h"
#include "tls-version.h"
#include "trace.h"

#define CONFIG_LINE_MAX	4096

struct config_set {
	char		*name;
	char		*value;
	size_t		 line;
};

/* An account as read: config_account is what main() sees of it. */
struct config_acct {
	struct config_account	 pub;
	size_t			 line;
	char			*user;
	char			*cafile;
	char			*certfile;
	char			*keyfile;
	char			*password_file;
	char			*password_command;
	char			*stream;
	char			*service_host;
	int			 tls;		/* -1, or CONN_* */
	int			 tls_min;	/* tls-version.h; 0: default */
	int			 netrc;		/* -1 unset, 0, 1 */
	int			 allow_cleartext;
	int			 login;
	struct config_set	*sets;
	size_t			 nsets;
	unsigned int		 seen;		/* keywords given, by index */
};

struct config {
	char			*path;
	struct config_set	*sets;		/* before the first account */
	size_t			 nsets;
	struct config_acct	*accts;
	size_t			 naccts;
};

enum config_kind {
	CK_STRING,	/* any text */
	CK_PATH,	/* a file: ~/ expanded */
	CK_PORT,	/* 1 to 65535 */
	CK_TLS,		/* imaps, starttls, none */
	CK_YESNO,	/* yes or no */
	CK_TLS_MIN,	/* 1.0, 1.1, 1.2 or 1.3 */
	CK_SET		/* NAME VALUE, checked by cmd_setting() */
};

static const struct config_keyword {
	const char		*name;
	enum config_kind	 kind;
	size_t			 off;	/* in struct config_acct */
} config_keywords[] = {
	{ "host", CK_STRING, offsetof(struct config_acct, pub.host) },
	{ "port", CK_PORT, offsetof(struct config_acct, pub.port) },
	{ "user", CK_STRING, offsetof(struct config_acct, user) },
	{ "tls", CK_TLS, offsetof(struct config_acct, tls) },
	{ "cafile", CK_PATH, offsetof(struct config_acct, cafile) },
	{ "certfile", CK_PATH, offsetof(struct config_acct, certfile) },
	{ "keyfile", CK_PATH, offsetof(struct config_acct, keyfile) },
	{ "password-file", CK_PATH,
	    offsetof(struct config_acct, password_file) },
	{ "password-command", CK_STRING,
	    offsetof(struct config_acct, password_command) },
	{ "netrc", CK_YESNO, offsetof(struct config_acct, netrc) },
	{ "login", CK_YESNO, offsetof(struct config_acct, login) },
	{ "stream", CK_STRING, offsetof(struct config_acct, stream) },
	{ "allow-cleartext", CK_YESNO,
	    offsetof(struct config_acct, allow_cleartext) },
	{ "service-host", CK_STRING,
	    offsetof(struct config_acct, service_host) },
	{ "tls-min", CK_TLS_MIN, offsetof(struct config_acct, tls_min) },
	{ "set", CK_SET, 0 },
};
#define CONFIG_NKEYWORDS (sizeof config_keywords / sizeof config_keywords[0])

static struct config	*config_current;

static char	*config_path(int *);
static int	 config_parse(struct config *, FILE *);
static int	 config_statement(struct config *, const char *, size_t,
		    char *, char **);
static int	 config_value(const struct config_keyword *,
		    struct config_acct *, const char *, char **);
static int	 config_add_set(struct config_set **, size_t *, const char *,
		    size_t, char **);
static int	 config_valid_name(const char *);
static struct config_acct *config_find(struct config *, const char *);
static int	 config_apply_sets(struct config *, struct session *,
		    const struct config_set *, size_t);
static void	 config_apply(struct config_acct *, struct session *);
static int	 config_scan_args(int, char **, const char *,
		    const struct option *, const char **);

/*
 * The file to read, or NULL for none.  *must is set when the file was
 * named explicitly ($IMAPSH_CONFIG) and so must exist.
 */
static char *
config_path(int *must)
{
	const char	*env, *home;
	char		*path;

	*must = 0;
	if ((env = getenv("IMAPSH_CONFIG")) != NULL) {
		if (*env == '\0')
			return (NULL);
		*must = 1;
		return (xstrdup(env));
	}
	if ((env = getenv("XDG_CONFIG_HOME")) != NULL && *env == '/')
		xasprintf(&path, "%s/imapsh/config", env);
	else if ((home = getenv("HOME")) != NULL && *home != '\0')
		xasprintf(&path, "%s/.config/imapsh/config", home);
	else
		return (NULL);
	return (path);
}

static int
config_valid_name(const char *name)
{
	const char	*p;

	if (*name == '\0')
		return (0);
	for (p = name; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '_' &&
		    *p != '-')
			return (0);
	return (1);
}

static struct config_acct *
config_find(struct config *cfg, const char *name)
{
	size_t	i;

	for (i = 0; i < cfg->naccts; i++)
		if (strcmp(cfg->accts[i].pub.name, name) == 0)
			return (&cfg->accts[i]);
	return (NULL);
}

/*
 * "set NAME VALUE": checked now with cmd_setting() on a scratch session
 * (the debug level it sets is put back), applied later.
 */
static int
config_add_set(struct config_set **sets, size_t *nsets, const char *value,
    size_t line, char **cause)
{
	struct session	 scratch;
	struct config_set *cs;
	const char	*v;
	char		*name, *why = NULL;
	int		 level = trace_level, rv;

	v = value + strcspn(value, " \t");
	name = xstrndup(value, (size_t)(v - value));
	v += strspn(v, " \t");
	if (*name == '\0' || *v == '\0') {
		free(name);
		*cause = xstrdup("set needs a name and a value: set NAME VALUE");
		return (-1);
	}
	memset(&scratch, 0, sizeof scratch);
	rv = cmd_setting(&scratch, name, v, &why);
	trace_level = level;
	if (rv == -1) {
		free(name);
		xasprintf(cause, "set: %s", why);
		free(why);
		return (-1);
	}
	*sets = xreallocarray(*sets, *nsets + 1, sizeof **sets);
	cs = &(*sets)[(*nsets)++];
	cs->name = name;
	cs->value = xstrdup(v);
	cs->line = line;
	return (0);
}

/* Store the value of keyword kw (not set) in account a; -1 and *cause
 * if it is bad. */
static int
config_value(const struct config_keyword *kw, struct config_acct *a,
    const char *value, char **cause)
{
	char		**sp = (char **)((char *)a + kw->off);
	int		 *ip = (int *)((char *)a + kw->off);
	const char	 *home, *errstr;

	switch (kw->kind) {
	case CK_STRING:
		*sp = xstrdup(value);
		break;
	case CK_PATH:
		if (strncmp(value, "~/", 2) == 0) {
			if ((home = getenv("HOME")) == NULL || *home == '\0') {
				*cause = xstrdup("~/ but HOME is not set");
				return (-1);
			}
			xasprintf(sp, "%s%s", home, value + 1);
		} else
			*sp = xstrdup(value);
		break;
	case CK_PORT:
		strtonum(value, 1, 65535, &errstr);
		if (errstr != NULL) {
			xasprintf(cause, "port must be 1 to 65535, not '%s'",
			    value);
			return (-1);
		}
		*sp = xstrdup(value);
		break;
	case CK_TLS:
		if (strcmp(value, "imaps") == 0)
			*ip = CONN_IMPLICIT;
		else if (strcmp(value, "starttls") == 0)
			*ip = CONN_STARTTLS;
		else if (strcmp(value, "none") == 0)
			*ip = CONN_PLAIN;
		else {
			xasprintf(cause, "tls must be imaps, starttls or "
			    "none, not '%s'", value);
			return (-1);
		}
		break;
	case CK_YESNO:
		if (strcmp(value, "yes") == 0)
			*ip = 1;
		else if (strcmp(value, "no") == 0)
			*ip = 0;
		else {
			xasprintf(cause, "%s must be yes or no, not '%s'",
			    kw->name, value);
			return (-1);
		}
		break;
	case CK_TLS_MIN:
		if ((*ip = tls_version_parse(value)) == -1) {
			xasprintf(cause, "tls-min must be 1.0, 1.1, 1.2 or "
			    "1.3, not '%s'", value);
			return (-1);
		}
		break;
	case CK_SET:
		abort();	/* config_statement() adds those */
	}
	return (0);
}

/* One statement: keyword and value (value is modified). */
static int
config_statement(struct config *cfg, const char *keyword, size_t line,
    char *value, char **cause)
{
	const struct config_keyword	*kw = NULL;
	struct config_acct		*a;
	size_t				 i, len = strlen(value);

	if (len >= 2 && value[0] == '"' && value[len - 1] == '"') {
		value[len - 1] = '\0';
		value++;
	}
	if (strcmp(keyword, "account") == 0) {
		if (!config_valid_name(value)) {
			xasprintf(cause, "account needs a name of letters, "
			    "digits, '.', '_' and '-', not '%s'", value);
			return (-1);
		}
		if ((a = config_find(cfg, value)) != NULL) {
			xasprintf(cause, "account %s is already defined at "
			    "line %zu", value, a->line);
			return (-1);
		}
		cfg->accts = xreallocarray(cfg->accts, cfg->naccts + 1,
		    sizeof *cfg->accts);
		a = &cfg->accts[cfg->naccts++];
		memset(a, 0, sizeof *a);
		a->pub.name = xstrdup(value);
		a->line = line;
		a->tls = a->netrc = a->allow_cleartext = a->login = -1;
		return (0);
	}
	for (i = 0; i < CONFIG_NKEYWORDS; i++)
		if (strcmp(config_keywords[i].name, keyword) == 0)
			kw = &config_keywords[i];
	if (kw == NULL) {
		xasprintf(cause, "unknown keyword '%s'", keyword);
		return (-1);
	}
	if (*value == '\0') {
		xasprintf(cause, "%s needs a value", keyword);
		return (-1);
	}
	if (kw->kind == CK_SET && cfg->naccts == 0)
		return (config_add_set(&cfg->sets, &cfg->nsets, value, line,
		    cause));
	if (cfg->naccts == 0) {
		xasprintf(cause, "%s belongs in an account: put an "
		    "'account NAME' line before it", keyword);
		return (-1);
	}
	a = &cfg->accts[cfg->naccts - 1];
	if (kw->kind == CK_SET)
		return (config_add_set(&a->sets, &a->nsets, value, line,
		    cause));
	if (a->seen & (1u << (kw - config_keywords))) {
		xasprintf(cause, "%s is given twice in account %s", keyword,
		    a->pub.name);
		return (-1);
	}
	a->seen |= 1u << (kw - config_keywords);
	return (config_value(kw, a, value, cause));
}

/* Read every line; on error print "file:line: why" and return -1. */
static int
config_parse(struct config *cfg, FILE *fp)
{
	char		*line = NULL, *p, *end, *keyword, *cause = NULL;
	size_t		 size = 0, lineno = 0;
	ssize_t		 n;
	int		 rv = 0;

	while ((n = getline(&line, &size, fp)) != -1) {
		lineno++;
		if ((size_t)n > CONFIG_LINE_MAX) {
			cause = xstrdup("line too long");
			break;
		}
		if (memchr(line, '\0', (size_t)n) != NULL) {
			cause = xstrdup("NUL byte in the line");
			break;
		}
		end = line + n;
		while (end > line && (end[-1] == '\n' || end[-1] == '\r' ||
		    end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		p = line + strspn(line, " \t");
		if (*p == '\0' || *p == '#')
			continue;
		keyword = p;
		p += strcspn(p, " \t");
		if (*p != '\0')
			*p++ = '\0';
		p += strspn(p, " \t");
		if (config_statement(cfg, keyword, lineno, p, &cause) == -1)
			break;
	}
	if (cause == NULL && ferror(fp))
		xasprintf(&cause, "read error: %s", strerror(errno));
	if (cause != NULL) {
		warnx("%s:%zu: %s", cfg->path, lineno, cause);
		free(cause);
		rv = -1;
	}
	free(line);
	return (rv);
}

/* Apply settings through the set command's parser. */
static int
config_apply_sets(struct config *cfg, struct session *s,
    const struct config_set *sets, size_t nsets)
{
	size_t	 i;
	char	*cause = NULL;

	for (i = 0; i < nsets; i++) {
		if (cmd_setting(s, sets[i].name, sets[i].value, &cause) ==
		    -1) {
			warnx("%s:%zu: set: %s", cfg->path, sets[i].line,
			    cause);
			free(cause);
			return (-1);
		}
	}
	return (0);
}

/* The account's connection settings into the session. */
static void
config_apply(struct config_acct *a, struct session *s)
{
	if (a->user != NULL)
		s->user = xstrdup(a->user);
	if (a->tls != -1)
		s->tls_mode = a->tls;
	s->tls.cafile = a->cafile;
	s->tls.certfile = a->certfile;
	s->tls.keyfile = a->keyfile;
	s->tls.min_version = a->tls_min;
	s->password_file = a->password_file;
	s->password_command = a->password_command;
	s->stream_cmd = a->stream;
	s->service_host = a->service_host;
	s->use_netrc = a->netrc == 1;
	s->allow_cleartext = a->allow_cleartext == 1;
	a->pub.login = a->login == 1;
	if (a->password_file != NULL &&
	    localfile_world_readable(a->password_file))
		warnx("warning: %s: the password file of account %s is "
		    "readable by everyone (chmod o-r %s)", a->password_file,
		    a->pub.name, a->password_file);
}

/*
 * Find the command line's positional arguments the way main() will, by a
 * quiet getopt pass; getopt is reset for main() after it.  *first is the
 * first positional argument or NULL.  Returns the number of positional
 * arguments, or -1 for -h, -V and --list-commands (no file is read).
 */
static int
config_scan_args(int argc, char **argv, const char *optstring,
    const struct option *longopts, const char **first)
{
	int	ch, li = -1, info = 0, n;

	*first = NULL;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, optstring, longopts, &li)) !=
	    -1) {
		if (ch == 'h' || ch == 'V' || (li >= 0 &&
		    strcmp(longopts[li].name, "list-commands") == 0))
			info = 1;
		li = -1;
	}
	n = argc - optind;
	if (n > 0)
		*first = argv[optind];
	optind = 0;		/* GNU getopt: start afresh */
	opterr = 1;
	return (info ? -1 : n);
}

int
config_load(struct session *s, int argc, char **argv, const char *optstring,
    const struct option *longopts, const struct config_account **account)
{
	struct config		*cfg;
	struct config_acct	*a = NULL;
	FILE			*fp;
	const char		*first;
	char			*path, *cause = NULL;
	int			 must, npos, fd;

	*account = NULL;
	if ((npos = config_scan_args(argc, argv, optstring, longopts,
	    &first)) == -1)
		return (0);
	if ((path = config_path(&must)) == NULL)
		return (0);
	if ((fd = localfile_open(path, LF_MINE | LF_NOWRITERS, NULL,
	    &cause)) == -1) {
		if (errno == ENOENT && !must) {
			free(cause);
			free(path);
			return (0);
		}
		warnx("%s", cause);
		free(cause);
		free(path);
		return (-1);
	}
	if ((fp = fdopen(fd, "r")) == NULL) {
		warn("%s", path);
		close(fd);
		free(path);
		return (-1);
	}
	cfg = xcalloc(1, sizeof *cfg);
	cfg->path = path;
	config_current = cfg;
	if (config_parse(cfg, fp) == -1) {
		fclose(fp);
		return (-1);
	}
	fclose(fp);

	/* An account is named by a lone word: not user@host, host:port or
	 * a URL, which stay what they always were. */
	if ((npos == 1 || npos == 2) && strpbrk(first, "@:/") == NULL)
		a = config_find(cfg, first);
	if (config_apply_sets(cfg, s, cfg->sets, cfg->nsets) == -1)
		return (-1);
	if (a != NULL) {
		config_apply(a, s);
		if (config_apply_sets(cfg, s, a->sets, a->nsets) == -1)
			return (-1);
		*account = &a->pub;
	}
	return (0);
}

const struct config_account *
config_use_account(struct session *s, const char *name)
{
	struct config		*cfg = config_current;
	struct config_acct	*a;

	if (cfg == NULL || (a = config_find(cfg, name)) == NULL)
		return (NULL);
	free(s->user);
	s->user = NULL;
	config_apply(a, s);
	if (config_apply_sets(cfg, s, a->sets, a->nsets) == -1)
		return (NULL);
	return (&a->pub);
}

void
config_free(void)
{
	struct config		*cfg = config_current;
	struct config_acct	*a;
	size_t			 i, j;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->nsets; i++) {
		free(cfg->sets[i].name);
		free(cfg->sets[i].value);
	}
	free(cfg->sets);
	for (i = 0; i < cfg->naccts; i++) {
		a = &cfg->accts[i];
		free(a->pub.name);
		free(a->pub.host);
		free(a->pub.port);
		free(a->user);
		free(a->cafile);
		free(a->certfile);
		free(a->keyfile);
		free(a->password_file);
		free(a->password_command);
		free(a->stream);
		free(a->service_host);
		for (j = 0; j < a->nsets; j++) {
			free(a->sets[j].name);
			free(a->sets[j].value);
		}
		free(a->sets);
	}
	free(cfg->accts);
	free(cfg->path);
	free(cfg);
	config_current = NULL;
}
