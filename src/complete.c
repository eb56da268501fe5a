/*
 * complete.c: Tab completion.  The line is split with the same tokenizer
 * that runs it (lex.c, in its partial mode), so the word being completed
 * is the word that will be executed.  The first word completes from the
 * command table; an argument completes by the type its parameter has in
 * the table (cmd.h: mailbox, fetch, flags, search, status, store, bool,
 * command, file, mech, setting; a *varargs parameter's type repeats), and
 * inside a parenthesised or bracketed group by the part being typed:
 * "fetch 1 (FL" completes FLAGS, "BODY.PEEK[" the section parts.
 *
 * Completion never prints (the caller lists the candidates) and sends
 * nothing to the server but one quiet LIST "" * for the mailbox names,
 * when it has none for this connection, or they are a minute old, or a
 * command typed since may have changed them.  That LIST's sink
 * (sink-names.c) takes its items, so the untagged-responses dictionary
 * stays as it was and imaplib-visible state does not change; it is kept
 * out of the trace (the log command still shows it).  Between refreshes,
 * the session's watch (a sink set with imap_set_watch() while a typed line
 * runs) learns from every untagged response: the LIST and LSUB responses
 * add their names, FLAGS responses give the flags of the selected mailbox,
 * and EXISTS, EXPUNGE and VANISHED keep the prompt's message count.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cmd.h"
#include "imap-quote.h"
#include "lex.h"
#include "msgcount.h"
#include "repl.h"
#include "sasl.h"
#include "sink-names.h"

#define COMPLETE_LIST_AGE	60	/* seconds a LIST "" * is trusted */

/* The session's watch while a typed line runs (complete_observe()). */
struct complete_watch {
	struct sink	 sink;
	struct session	*s;
};

/* What completion remembers of a session (struct session's complete). */
struct complete_cache {
	char		**names;	/* mailbox names, as the server has them */
	size_t		  nnames;
	int		  sorted;	/* names sorted and without duplicates */
	int		  listed;	/* a LIST "" * filled names... */
	struct timespec	  when;		/* ...at this time */
	int		  stale;	/* a command may have changed the names */
	char		  tagpre[IMAP_TAG_PREFIX_SIZE];
	char		**flags;	/* the last FLAGS response's flags */
	size_t		  nflags;
	struct complete_watch watch;
	struct sink	 *learn;	/* names from the watch's LISTs */
};

/* The word being completed, and the candidates for it. */
struct complete {
	struct session	*s;
	const char	*typed;		/* what to match (the token typed) */
	size_t		 len;
	char		**v;
	size_t		 n;
};

static const char *const complete_uid_commands[] = {
	"FETCH", "SEARCH", "STORE", "COPY", "MOVE", "SORT", "THREAD",
	"EXPUNGE", NULL
};

/* Items ending in "[" or "(" are left open for what follows. */
static const char *const complete_fetch_items[] = {
	"FLAGS", "INTERNALDATE", "RFC822", "RFC822.SIZE", "RFC822.HEADER",
	"RFC822.TEXT", "UID", "ENVELOPE", "BODY", "BODYSTRUCTURE", "BODY[",
	"BODY.PEEK[", "BODY.PEEK[HEADER.FIELDS (", "BODY.PEEK[HEADER]",
	"BODY.PEEK[TEXT]", "BODY[HEADER]", "BODY[TEXT]", "BINARY[",
	"BINARY.PEEK[", "BINARY.SIZE[", "MODSEQ", "EMAILID", "THREADID",
	"SAVEDATE", "PREVIEW", "X-GM-LABELS", "X-GM-MSGID", "X-GM-THRID",
	"ALL", "FAST", "FULL", NULL
};

/* After "BODY[" or "BODY.PEEK[" (a part number may come first). */
static const char *const complete_sections[] = {
	"HEADER]", "TEXT]", "MIME]", "HEADER.FIELDS (", "HEADER.FIELDS.NOT (",
	"]", NULL
};

/* Inside HEADER.FIELDS (...). */
static const char *const complete_headers[] = {
	"FROM", "TO", "CC", "BCC", "SUBJECT", "DATE", "MESSAGE-ID",
	"IN-REPLY-TO", "REFERENCES", "REPLY-TO", "SENDER", "LIST-ID",
	"CONTENT-TYPE", "RECEIVED", NULL
};

static const char *const complete_search_keys[] = {
	"ALL", "ANSWERED", "BCC", "BEFORE", "BODY", "CC", "DELETED", "DRAFT",
	"FLAGGED", "FROM", "HEADER", "KEYWORD", "LARGER", "NEW", "NOT", "OLD",
	"ON", "OR", "RECENT", "SEEN", "SENTBEFORE", "SENTON", "SENTSINCE",
	"SINCE", "SMALLER", "SUBJECT", "TEXT", "TO", "UID", "UNANSWERED",
	"UNDELETED", "UNDRAFT", "UNFLAGGED", "UNKEYWORD", "UNSEEN", "MODSEQ",
	"OLDER", "YOUNGER", "X-GM-RAW", "X-GM-MSGID", "X-GM-THRID",
	"X-GM-LABELS", NULL
};

static const char *const complete_status_items[] = {
	"MESSAGES", "RECENT", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "SIZE",
	"HIGHESTMODSEQ", "DELETED", "APPENDLIMIT", "MAILBOXID", NULL
};

static const char *const complete_store_modes[] = {
	"FLAGS", "+FLAGS", "-FLAGS", "FLAGS.SILENT", "+FLAGS.SILENT",
	"-FLAGS.SILENT", NULL
};

/* RFC 3501's system flags, which every mailbox has (\Recent cannot be
 * stored). */
static const char *const complete_system_flags[] = {
	"\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft", NULL
};

static const char *const complete_bools[] = { "True", "False", NULL };

/* The values cmd_setting() takes, by setting. */
static const char *const complete_formats[] = { "python", "raw", "json",
    NULL };
static const char *const complete_colors[] = { "auto", "always", "never",
    NULL };
static const char *const complete_debug_levels[] = { "0", "1", "2", "3",
    "4", "5", NULL };

static struct complete_cache *complete_cache(struct session *);
static void	 complete_forget(struct complete_cache *);
static void	 complete_strv_free(char ***, size_t *);
static void	 complete_observe(struct sink *, const char *,
		    const struct pyval *);
static int	 complete_name_cmp(const void *, const void *);
static void	 complete_names_sort(struct complete_cache *);
static void	 complete_flags_parse(const char *, size_t, char ***,
		    size_t *);
static void	 complete_refresh(struct session *, struct complete_cache *);
static double	 complete_age(const struct timespec *);

static const struct sink_ops complete_watch_ops = {
	.untagged = complete_observe,
};

static void	 complete_add(struct complete *, const char *);
static void	 complete_match(struct complete *, const char *);
static void	 complete_matchv(struct complete *, const char *const *);
static void	 complete_prefixed(struct complete *, const char *,
		    const char *const *);
static void	 complete_commands(struct complete *);
static void	 complete_mailboxes(struct complete *, int);
static char	*complete_mailbox_word(const char *, int);
static void	 complete_flags(struct complete *);
static void	 complete_mechs(struct complete *);
static void	 complete_files(struct complete *, const char *);
static const char *complete_param_type(const struct cmd_entry *, size_t);
static void	 complete_setting_values(struct complete *, const char *);
static void	 complete_group(struct complete *, const char *,
		    const char *, size_t, size_t *);
static void	 complete_type(struct complete *, const char *,
		    const struct cmd_entry *, int);

/* Lists. */

static void
complete_strv_free(char ***v, size_t *n)
{
	size_t	i;

	for (i = 0; i < *n; i++)
		free((*v)[i]);
	free(*v);
	*v = NULL;
	*n = 0;
}

static struct complete_cache *
complete_cache(struct session *s)
{
	if (s->complete == NULL)
		s->complete = xcalloc(1, sizeof *s->complete);
	return (s->complete);
}

static void
complete_forget(struct complete_cache *cc)
{
	complete_strv_free(&cc->names, &cc->nnames);
	complete_strv_free(&cc->flags, &cc->nflags);
	cc->sorted = 1;
	cc->listed = 0;
	cc->stale = 0;
}

void
complete_free(struct session *s)
{
	if (s->complete == NULL)
		return;
	complete_forget(s->complete);
	if (s->complete->learn != NULL)
		s->complete->learn->ops->free(s->complete->learn);
	free(s->complete);
	s->complete = NULL;
}

static int
complete_name_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

static void
complete_names_sort(struct complete_cache *cc)
{
	size_t	i, j;

	if (cc->sorted || cc->nnames == 0)
		return;
	qsort(cc->names, cc->nnames, sizeof *cc->names, complete_name_cmp);
	for (i = j = 0; i < cc->nnames; i++) {
		if (j > 0 && strcmp(cc->names[j - 1], cc->names[i]) == 0)
			free(cc->names[i]);
		else
			cc->names[j++] = cc->names[i];
	}
	cc->nnames = j;
	cc->sorted = 1;
}

/* The flags of "(\Seen $Label ...)", without \* and \Recent. */
static void
complete_flags_parse(const char *s, size_t len, char ***v, size_t *n)
{
	const char	*p = s, *end = s + len, *start;

	while (p < end) {
		while (p < end && (*p == ' ' || *p == '(' || *p == ')'))
			p++;
		start = p;
		while (p < end && *p != ' ' && *p != '(' && *p != ')')
			p++;
		if (p == start || (p - start == 2 &&
		    strncmp(start, "\\*", 2) == 0) || (p - start == 7 &&
		    strncasecmp(start, "\\Recent", 7) == 0))
			continue;
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[(*n)++] = xstrndup(start, (size_t)(p - start));
	}
}

/* The watch's untagged op: every untagged response while a typed line
 * runs. */
static void
complete_observe(struct sink *sk, const char *typ, const struct pyval *items)
{
	struct session		*s = ((struct complete_watch *)sk)->s;
	struct complete_cache	*cc = complete_cache(s);
	size_t			 i, before = cc->nnames;

	msgcount_note(&s->exists, typ, items);

	if (strcmp(typ, "LIST") == 0 || strcmp(typ, "LSUB") == 0) {
		if (cc->learn == NULL)
			cc->learn = sink_names_new(&cc->names, &cc->nnames);
		for (i = 0; i < items->n; i++)
			cc->learn->ops->item(cc->learn, items->items[i]);
		if (cc->nnames != before)
			cc->sorted = 0;
	} else if (strcmp(typ, "FLAGS") == 0 && items->n > 0 &&
	    items->items[items->n - 1]->type == PV_BYTES &&
	    items->items[items->n - 1]->s != NULL) {
		complete_strv_free(&cc->flags, &cc->nflags);
		complete_flags_parse(items->items[items->n - 1]->s,
		    items->items[items->n - 1]->len, &cc->flags, &cc->nflags);
	}
}

void
complete_before(struct session *s, const char *line)
{
	struct complete_cache	*cc = complete_cache(s);
	const struct cmd_entry	*ce;
	struct words		 w;
	char			*cause = NULL;

	if (strcmp(cc->tagpre, imap_tag_prefix(s->im)) != 0) {
		complete_forget(cc);
		strlcpy(cc->tagpre, imap_tag_prefix(s->im), sizeof cc->tagpre);
	}
	/* A command that may add, remove or rename mailboxes makes the
	 * next mailbox completion ask the server again. */
	if (lex_line(line, LEX_PARTIAL, &w, &cause) == 0) {
		if (w.n > 0 && (ce = cmd_find(w.v[0].s, &cause)) != NULL &&
		    (ce->flags & CMD_MAILBOXES))
			cc->stale = 1;
		words_free(&w);
	} else
		cc->stale = 1;		/* raw, or a line we cannot read */
	free(cause);
	cc->watch.sink.ops = &complete_watch_ops;
	cc->watch.s = s;
	imap_set_watch(s->im, &cc->watch.sink);
}

void
complete_after(struct session *s)
{
	imap_set_watch(s->im, NULL);
}

static double
complete_age(const struct timespec *then)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return ((double)(now.tv_sec - then->tv_sec) +
	    (double)(now.tv_nsec - then->tv_nsec) / 1e9);
}

/*
 * LIST "" * through the core, printing nothing: no trace lines (the ring
 * that the log command shows still gets them), and its sink, which takes
 * LIST's items from the dictionary, is quiet (no notices) and no printer.
 * Other untagged responses that arrive meanwhile are filed as usual, as
 * they would be with any command.
 */
static void
complete_refresh(struct session *s, struct complete_cache *cc)
{
	struct imap		*im = s->im;
	struct imap_arg		 args[2];
	struct pyval		*data, *none;
	struct sink		*sk, *was;
	enum imap_exc		 e;
	char			**got = NULL;
	size_t			 ngot = 0;
	char			*typ = NULL, *msg = NULL;

	memset(args, 0, sizeof args);
	args[0].type = args[1].type = IMAP_ARG_TEXT;
	args[0].s = "\"\"";
	args[0].len = 2;
	args[1].s = "*";
	args[1].len = 1;
	sk = sink_names_new(&got, &ngot);
	was = imap_set_sink(im, sk, "LIST");
	e = imap_simple_command(im, "LIST", args, 2, &typ, &data, &msg);
	(void)imap_set_sink(im, was, NULL);
	if (sk->ops->done(sk, e == IMAP_OK ? typ : NULL, 0, &none) ==
	    SINK_SHOWN) {
		complete_strv_free(&cc->names, &cc->nnames);
		cc->names = got;
		cc->nnames = ngot;
		cc->sorted = 0;
	} else
		complete_strv_free(&got, &ngot);
	sk->ops->free(sk);
	if (e == IMAP_OK) {
		free(typ);
		pv_free(data);
	} else
		free(msg);
	/* Tried, whatever the answer: not again at every Tab. */
	cc->listed = 1;
	cc->stale = 0;
	clock_gettime(CLOCK_MONOTONIC, &cc->when);
	cmd_note_state(s);	/* the prompt's count, or a lost connection */
}

/* Candidates. */

static void
complete_add(struct complete *c, const char *cand)
{
	size_t	i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->v[i], cand) == 0)
			return;
	c->v = xreallocarray(c->v, c->n + 1, sizeof *c->v);
	c->v[c->n++] = xstrdup(cand);
}

/* Add cand if what is typed is a prefix of it (ignoring case). */
static void
complete_match(struct complete *c, const char *cand)
{
	if (strncasecmp(cand, c->typed, c->len) == 0)
		complete_add(c, cand);
}

static void
complete_matchv(struct complete *c, const char *const *v)
{
	for (; *v != NULL; v++)
		complete_match(c, *v);
}

/* The words of v that match, each written after before ("(" for a
 * STATUS item list). */
static void
complete_prefixed(struct complete *c, const char *before,
    const char *const *v)
{
	char	*cand;

	for (; *v != NULL; v++) {
		if (strncasecmp(*v, c->typed, c->len) != 0)
			continue;
		xasprintf(&cand, "%s%s", before, *v);
		complete_add(c, cand);
		free(cand);
	}
}

static void
complete_commands(struct complete *c)
{
	size_t	i;

	for (i = 0; i < cmd_count; i++)
		if ((cmd_table[i].flags & CMD_HIDDEN) == 0)
			complete_match(c, cmd_table[i].name);
}

/*
 * The word that names mailbox name on the command line: as it is when the
 * quoting rule sends it as an atom and the tokenizer reads it as one bare
 * word; else a quoted string ("My Box"), as imap-quote writes it.
 */
static char *
complete_mailbox_word(const char *name, int quote)
{
	struct buf	 b;
	size_t		 len = strlen(name);

	buf_init(&b, 0);
	if (!quote && strcmp(name, "None") != 0 && name[0] != '<' &&
	    strpbrk(name, "\"'()[]") == NULL &&
	    imap_quote_arg(&b, name, len, 0) == IMAPQ_ATOM)
		return (buf_steal(&b, NULL));
	buf_reset(&b);
	imap_quote_string(&b, name, len);
	return (buf_steal(&b, NULL));
}

/*
 * Mailbox names from the cache (asking the server first when the cache is
 * empty, old or stale and the session is logged in), INBOX always.  What
 * is typed may open a quoted string.  When several names match and one
 * needs quotes, all are quoted, so that they share a prefix.  A typed
 * single quote keeps the names in single quotes, which the tokenizer
 * reads as one string (a name holding a single quote cannot be one).
 */
static void
complete_mailboxes(struct complete *c, int open_quote)
{
	struct session		*s = c->s;
	struct complete_cache	*cc = complete_cache(s);
	struct buf		 prefix;
	const char		**names = NULL, *p;
	char			*word;
	size_t			 nnames = 0, i;
	int			 quote = open_quote == '"', squote = 0;

	if (strcmp(cc->tagpre, imap_tag_prefix(s->im)) != 0) {
		complete_forget(cc);
		strlcpy(cc->tagpre, imap_tag_prefix(s->im), sizeof cc->tagpre);
	}
	if (imap_connected(s->im) && (imap_state(s->im) == IMAP_AUTH ||
	    imap_state(s->im) == IMAP_SELECTED) && !imap_busy(s->im) &&
	    (!cc->listed || cc->stale ||
	    complete_age(&cc->when) > COMPLETE_LIST_AGE))
		complete_refresh(s, cc);
	complete_names_sort(cc);

	/* What the name must start with: the typed text unquoted. */
	buf_init(&prefix, 0);
	p = c->typed;
	if (*p == '\'') {
		squote = 1;
		for (p++; *p != '\0' && *p != '\''; p++)
			buf_addc(&prefix, *p);
	} else if (*p == '"') {
		quote = 1;
		for (p++; *p != '\0' && *p != '"'; p++) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			buf_addc(&prefix, *p);
		}
	} else
		buf_add(&prefix, p, c->len);

	if (strncasecmp("INBOX", prefix.data == NULL ? "" : prefix.data,
	    prefix.len) == 0) {
		names = xreallocarray(names, nnames + 1, sizeof *names);
		names[nnames++] = "INBOX";
	}
	for (i = 0; i < cc->nnames; i++) {
		if (strcasecmp(cc->names[i], "INBOX") == 0 ||
		    strncmp(cc->names[i], prefix.data == NULL ? "" :
		    prefix.data, prefix.len) != 0)
			continue;
		names = xreallocarray(names, nnames + 1, sizeof *names);
		names[nnames++] = cc->names[i];
	}
	buf_free(&prefix);
	for (i = 0; squote && i < nnames; i++) {
		if (strchr(names[i], '\'') != NULL)
			continue;
		xasprintf(&word, "'%s'", names[i]);
		complete_add(c, word);
		free(word);
	}
	for (i = 0; nnames > 1 && !quote && !squote && i < nnames; i++) {
		word = complete_mailbox_word(names[i], 0);
		if (word[0] == '"')
			quote = 1;
		free(word);
	}
	for (i = 0; !squote && i < nnames; i++) {
		word = complete_mailbox_word(names[i], quote);
		complete_add(c, word);
		free(word);
	}
	free(names);
}

/* Flags: the system flags, and what the selected mailbox announced (its
 * FLAGS and PERMANENTFLAGS responses, or the last FLAGS seen). */
static void
complete_flags(struct complete *c)
{
	struct complete_cache	*cc = complete_cache(c->s);
	const struct pyval	*ur;
	const struct pyval	*item;
	const char		*names[] = { "FLAGS", "PERMANENTFLAGS" };
	char			**v = NULL;
	size_t			 n = 0, i, j;

	complete_matchv(c, complete_system_flags);
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if ((ur = imap_ur_find(c->s->im, names[i])) == NULL)
			continue;
		for (j = 0; j < ur->n; j++) {
			item = ur->items[j];
			if (item->type == PV_BYTES && item->s != NULL)
				complete_flags_parse(item->s, item->len, &v,
				    &n);
		}
	}
	if (imap_state(c->s->im) == IMAP_SELECTED)
		for (i = 0; i < cc->nflags; i++)
			complete_match(c, cc->flags[i]);
	for (i = 0; i < n; i++)
		complete_match(c, v[i]);
	complete_strv_free(&v, &n);
}

/* What the server offers (AUTH=...), else what imapsh speaks. */
static void
complete_mechs(struct complete *c)
{
	const char *const *caps;
	size_t		 ncaps, i;
	int		 offered = 0;

	caps = imap_caps(c->s->im, &ncaps);
	for (i = 0; i < ncaps; i++) {
		if (strncasecmp(caps[i], "AUTH=", 5) != 0)
			continue;
		offered = 1;
		complete_match(c, caps[i] + 5);
	}
	if (!offered)
		complete_matchv(c, sasl_mechanisms);
}

/*
 * File names for "<file".  The typed text may start with a quote, which
 * is kept; a name the tokenizer would split or misread is put in single
 * quotes.  The quote is left open after a directory, so that the next Tab
 * goes on inside it.
 */
static void
complete_files(struct complete *c, const char *before)
{
	struct buf	 typed, cand;
	struct dirent	*de;
	struct stat	 sb;
	DIR		*d;
	const char	*slash, *base;
	char		*dir, *path;
	size_t		 baselen, first = c->n;
	int		 quote = 0, q, isdir, special;

	buf_init(&typed, 0);
	if (c->len > 0 && (c->typed[0] == '\'' || c->typed[0] == '"')) {
		quote = c->typed[0];
		buf_add(&typed, c->typed + 1, c->len - 1);
		if (typed.len > 0 && typed.data[typed.len - 1] == c->typed[0])
			typed.data[--typed.len] = '\0';
	} else
		buf_add(&typed, c->typed, c->len);
	if (typed.data == NULL)
		buf_addstr(&typed, "");
	if ((slash = strrchr(typed.data, '/')) != NULL) {
		dir = xstrndup(typed.data, (size_t)(slash - typed.data) + 1);
		base = slash + 1;
	} else {
		dir = xstrdup("");
		base = typed.data;
	}
	baselen = strlen(base);
	if ((d = opendir(*dir == '\0' ? "." : dir)) == NULL)
		goto out;
	buf_init(&cand, 0);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    strncmp(de->d_name, base, baselen) != 0 ||
		    (de->d_name[0] == '.' && base[0] != '.'))
			continue;
		xasprintf(&path, "%s%s", dir, de->d_name);
		isdir = stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
		special = strpbrk(path, " \t\"'()[]") != NULL;
		q = quote != 0 ? quote : special ? '\'' : 0;
		if (q != 0 && (strchr(path, q) != NULL ||
		    (q == '"' && strchr(path, '\\') != NULL))) {
			free(path);
			continue;	/* that quoting cannot hold it */
		}
		buf_reset(&cand);
		buf_addstr(&cand, before);
		if (q != 0)
			buf_addc(&cand, q);
		buf_addstr(&cand, path);
		if (isdir)
			buf_addc(&cand, '/');
		else if (q != 0)
			buf_addc(&cand, q);
		complete_add(c, cand.data);
		free(path);
	}
	closedir(d);
	buf_free(&cand);
	if (c->n - first > 1)	/* c->v is NULL when nothing was added */
		qsort(c->v + first, c->n - first, sizeof *c->v,
		    complete_name_cmp);
out:
	free(dir);
	buf_free(&typed);
}

/* The completion type of parameter i (the *varargs one repeats), or
 * NULL. */
static const char *
complete_param_type(const struct cmd_entry *ce, size_t i)
{
	size_t	n;

	for (n = 0; n < CMD_MAX_PARAMS && ce->params[n] != NULL; n++)
		;
	if (n == 0)
		return (NULL);
	if (i >= n) {
		if (ce->params[n - 1][0] != '*')
			return (NULL);
		i = n - 1;
	}
	return (ce->types[i]);
}

static void
complete_setting_values(struct complete *c, const char *name)
{
	if (strcasecmp(name, "format") == 0)
		complete_matchv(c, complete_formats);
	else if (strcasecmp(name, "color") == 0 ||
	    strcasecmp(name, "colour") == 0)
		complete_matchv(c, complete_colors);
	else if (strcasecmp(name, "debug") == 0)
		complete_matchv(c, complete_debug_levels);
}

/*
 * Inside a group: find the part being typed (after the last blank or
 * opening bracket) and what encloses it.  Sets *start to the part's
 * offset in word and completes it, or leaves the candidates empty when
 * the part is inside a quoted string.
 */
static void
complete_group(struct complete *c, const char *type, const char *word,
    size_t len, size_t *start)
{
	char	*stack;
	size_t	 i, depth = 0, part = 0;
	int	 inquote = 0, inbracket = 0;

	stack = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		if (inquote) {
			if (word[i] == '\\' && i + 1 < len)
				i++;
			else if (word[i] == '"')
				inquote = 0;
			continue;
		}
		switch (word[i]) {
		case '"':
			inquote = 1;
			break;
		case '(':
		case '[':
			stack[depth++] = word[i];
			part = i + 1;
			break;
		case ')':
		case ']':
			if (depth > 0)
				depth--;
			break;
		case ' ':
		case '\t':
			part = i + 1;
			break;
		}
	}
	*start = part;
	if (inquote || depth == 0) {
		free(stack);
		return;
	}
	for (i = 0; i < depth; i++)
		if (stack[i] == '[')
			inbracket = 1;
	c->typed = word + part;
	c->len = len - part;
	if (strcmp(type, "fetch") == 0) {
		if (stack[depth - 1] == '[')
			complete_matchv(c, complete_sections);
		else if (inbracket)
			complete_matchv(c, complete_headers);
		else
			complete_matchv(c, complete_fetch_items);
	} else if (inbracket)
		;
	else if (strcmp(type, "flags") == 0)
		complete_flags(c);
	else if (strcmp(type, "search") == 0)
		complete_matchv(c, complete_search_keys);
	else if (strcmp(type, "status") == 0)
		complete_matchv(c, complete_status_items);
	free(stack);
}

/* A whole word of the given type (outside any group). */
static void
complete_type(struct complete *c, const char *type,
    const struct cmd_entry *ce, int open_quote)
{
	if (strcmp(type, "mailbox") == 0)
		complete_mailboxes(c, open_quote);
	else if (open_quote)
		;
	else if (strcmp(type, "fetch") == 0)
		complete_matchv(c, complete_fetch_items);
	else if (strcmp(type, "flags") == 0)
		complete_flags(c);
	else if (strcmp(type, "search") == 0)
		complete_matchv(c, complete_search_keys);
	else if (strcmp(type, "status") == 0)
		complete_prefixed(c, "(", complete_status_items);
	else if (strcmp(type, "store") == 0)
		complete_matchv(c, complete_store_modes);
	else if (strcmp(type, "bool") == 0)
		complete_matchv(c, complete_bools);
	else if (strcmp(type, "command") == 0)
		complete_commands(c);
	else if (strcmp(type, "mech") == 0)
		complete_mechs(c);
	else if (strcmp(type, "setting") == 0)
		complete_matchv(c, cmd_settings);
	else if (strcmp(type, "file") == 0)
		complete_files(c, (ce->flags & CMD_MESSAGE) ? "<" : "");
}

size_t
complete_line(struct session *s, const char *line, size_t cursor,
    char ***cands, size_t *ncands)
{
	const struct cmd_entry	*ce = NULL, *sub;
	struct complete		 c;
	struct words		 w;
	const char		*type = NULL, *word, *prev = NULL;
	char			*text, *cause = NULL, *lower;
	size_t			 idx, start, part, i, arg;

	*cands = NULL;
	*ncands = 0;
	text = xstrndup(line, cursor);
	if (lex_line(text, LEX_PARTIAL, &w, &cause) == -1 || w.callform) {
		free(cause);
		free(text);
		words_free(&w);
		return (0);
	}
	cursor = strlen(text);
	if (w.n == 0 || w.trailing_blank) {
		idx = w.n;
		start = cursor;
	} else {
		idx = w.n - 1;
		start = w.v[idx].start;
	}
	if (idx >= 1)
		prev = text + w.v[idx - 1].start;
	word = text + start;
	memset(&c, 0, sizeof c);
	c.s = s;
	c.typed = word;
	c.len = cursor - start;

	if (idx == 0) {
		complete_commands(&c);
		goto done;
	}
	if ((ce = cmd_find(w.v[0].s, &cause)) == NULL)
		goto done;
	/* "<file" (or "< file") gives a message; "<<TAG" starts one. */
	if (word[0] == '<' && word[1] != '<' && (ce->flags & CMD_MESSAGE)) {
		start++;
		c.typed++;
		c.len--;
		complete_files(&c, "");
		goto done;
	}
	if (idx >= 2 && w.v[idx - 1].end - w.v[idx - 1].start == 1 &&
	    *prev == '<' && (ce->flags & CMD_MESSAGE)) {
		complete_files(&c, "");
		goto done;
	}
	arg = idx - 1;
	if (strcmp(ce->name, "uid") == 0) {
		if (arg == 0) {
			complete_matchv(&c, complete_uid_commands);
			goto done;
		}
		lower = xstrdup(w.v[1].s);
		for (i = 0; lower[i] != '\0'; i++)
			lower[i] = (char)tolower((unsigned char)lower[i]);
		free(cause);
		cause = NULL;
		sub = strcmp(lower, "expunge") == 0 ? NULL :
		    cmd_find(lower, &cause);
		free(lower);
		if (sub == NULL)
			goto done;
		ce = sub;
		arg--;
	}
	if (strcmp(ce->name, "set") == 0 && arg == 1) {
		complete_setting_values(&c, w.v[1].s);
		goto done;
	}
	if ((type = complete_param_type(ce, arg)) == NULL)
		goto done;
	if (w.open_depth > 0 || (idx < w.n && word[0] == '(' &&
	    w.open_quote == 0)) {
		complete_group(&c, type, word, cursor - start, &part);
		start += part;
	} else
		complete_type(&c, type, ce, w.open_quote == '\'' ? 0 :
		    w.open_quote);

done:
	free(cause);
	words_free(&w);
	free(text);
	*cands = c.v;
	*ncands = c.n;
	return (c.n == 0 ? 0 : cursor - start);
}
