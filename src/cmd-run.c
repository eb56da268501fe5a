/*
 * cmd-run.c: running a line: read its heredoc, lex it, bind its words to
 * the command's parameters and call the command, around it the sink it
 * prints through, the JSON value of the line and the prompt's state; and
 * the lines of a script sent ahead of their turn (pipelining), whose
 * replies are taken when their turn comes.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd-list.h"
#include "hint.h"
#include "json-line.h"

static int	cmd_read_heredoc(struct session *, const char *, struct buf *,
		    char **);
static char	*cmd_raw_heredoc_tag(const char *);
static void	cmd_exec_begin(struct session *, const struct cmd_entry *);
static int	cmd_run_raw(struct session *, const char *, struct words *,
		    enum cmd_status *);
static enum cmd_status cmd_lex_failed(struct session *, const char *, char *);
static const struct cmd_entry *cmd_prepare(struct session *, const char *,
		    struct words *, struct cmd_args *, struct buf *, int *);
static void	cmd_exec_end(struct session *, enum cmd_status);
static void	cmd_hint_line(struct session *, const struct cmd_entry *,
		    const char *, enum cmd_status);

/* The heredoc body of the line being run, for append. */
static struct buf	*cmd_heredoc_body;

/* The TAG of a line ending in "<<TAG" or "<< TAG", looked at without the
 * lexer (for lines it refuses); NULL if there is none. */
static char *
cmd_raw_heredoc_tag(const char *line)
{
	const char	*end = line + strlen(line), *p, *start;

	while (end > line && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	for (p = end; p > line && p[-1] != ' ' && p[-1] != '\t'; p--)
		;
	start = p;
	if (end - start > 2 && strncmp(start, "<<", 2) == 0)
		return (xstrndup(start + 2, (size_t)(end - start - 2)));
	/* "<< TAG": the word before the last is "<<" */
	while (p > line && (p[-1] == ' ' || p[-1] == '\t'))
		p--;
	if (p - line >= 2 && strncmp(p - 2, "<<", 2) == 0 &&
	    (p - 2 == line || p[-3] == ' ' || p[-3] == '\t') && end > start)
		return (xstrndup(start, (size_t)(end - start)));
	return (NULL);
}

/* Read a heredoc body up to a line holding only tag. */
static int
cmd_read_heredoc(struct session *s, const char *tag, struct buf *body,
    char **cause)
{
	char	*line;
	int	 nul = 0;

	for (;;) {
		if (s->readline == NULL ||
		    (line = s->readline(s, "> ")) == NULL) {
			xasprintf(cause, "input ended before the line '%s' "
			    "that ends the message", tag);
			return (-1);
		}
		if (s->input_nul) {	/* a NUL would cut the line short */
			s->input_nul = 0;
			nul = 1;
		}
		if (strcmp(line, tag) == 0) {
			free(line);
			if (nul) {
				*cause = xstrdup("the inline message holds a "
				    "NUL byte; nothing was sent");
				return (-1);
			}
			return (0);
		}
		if (buf_addstr(body, line) == -1 ||
		    buf_addc(body, '\n') == -1) {
			free(line);
			*cause = xstrdup("inline message too large; use "
			    "<file instead");
			return (-1);
		}
		free(line);
	}
}

struct buf *
cmd_current_heredoc(void)
{
	return (cmd_heredoc_body);
}

enum cmd_status
cmd_run_line(struct session *s, const char *line)
{
	const struct cmd_entry	*ce;
	struct words		 w;
	struct cmd_args		 ca;
	struct buf		 body;
	enum cmd_status		 st;
	char			*cause = NULL;
	int			 have_body = 0, json = s->format == FMT_JSON;

	memset(&w, 0, sizeof w);
	if (json)
		json_line_begin(s->out);
	if (cmd_run_raw(s, line, &w, &st))
		goto out;
	if (lex_line(line, LEX_BREAKS, &w, &cause) == -1) {
		st = cmd_lex_failed(s, line, cause);
		goto out;
	}
	if (w.n == 0) {
		words_free(&w);
		return (CMD_OK);
	}
	/* An inline message belongs to this line whatever happens next. */
	buf_init(&body, 256u * 1024 * 1024);
	if ((ce = cmd_prepare(s, line, &w, &ca, &body, &have_body)) == NULL) {
		buf_free(&body);
		st = CMD_USAGE;
		goto out;
	}
	/* Not connected: the core still checks the state first, as imaplib
	 * does ("command SELECT illegal in state LOGOUT ..."), then says
	 * the connection is gone. */
	cmd_heredoc_body = have_body ? &body : NULL;
	cmd_exec_begin(s, ce);
	if (json && (ce->flags & (CMD_LOCAL | CMD_TEXT)))
		json_line_capture(s, 0);	/* text output: the data */
	if (s->no_session && !imap_connected(s->im) &&
	    (ce->flags & CMD_LOCAL) == 0)
		st = cmd_not_connected(s);
	else
		st = ce->exec(s, &ca);
	hint_after(s, &ca, st);
	cmd_heredoc_body = NULL;
	free(ca.rest);
	buf_wipe(&body);
	cmd_exec_end(s, st);
	words_free(&w);
	return (st);
out:
	words_free(&w);
	json_line_end(s, s->current_cmd, (int)st);
	s->current_cmd = NULL;
	out_flush(s->out);
	out_flush(s->err);
	if ((int)st > s->status)
		s->status = (int)st;
	return (st);
}

/* A command that takes the rest of its line as typed (CMD_LINE: raw): no
 * lexer, no quoting.  1 (and its status in *stp) when line is one; its
 * name must be typed whole. */
static int
cmd_run_raw(struct session *s, const char *line, struct words *w,
    enum cmd_status *stp)
{
	const struct cmd_entry	*ce = NULL;
	struct cmd_args		 ca;
	const char		*p = line + strspn(line, " \t");
	size_t			 len = strcspn(p, " \t"), i;

	for (i = 0; i < cmd_count && ce == NULL; i++)
		if ((cmd_table[i].flags & CMD_LINE) &&
		    strlen(cmd_table[i].name) == len &&
		    strncasecmp(cmd_table[i].name, p, len) == 0)
			ce = &cmd_table[i];
	if (ce == NULL)
		return (0);
	s->current_cmd = ce->name;
	if (s->format == FMT_JSON)
		json_line_capture(s, 1);
	memset(&ca, 0, sizeof ca);
	ca.cmd = ce;
	ca.words = w;
	ca.line = p + len + strspn(p + len, " \t");
	*stp = ce->exec(s, &ca);
	cmd_note_state(s);
	return (1);
}

/* A line the lexer refused (cause, taken): say why.  A line that ends in
 * <<TAG owns the lines up to TAG even so: they must not run as commands. */
static enum cmd_status
cmd_lex_failed(struct session *s, const char *line, char *cause)
{
	struct buf	 body;
	char		*tag;

	cmd_error(s, "%s", cause);
	free(cause);
	if ((tag = cmd_raw_heredoc_tag(line)) != NULL) {
		buf_init(&body, 256u * 1024 * 1024);
		cause = NULL;
		if (cmd_read_heredoc(s, tag, &body, &cause) == -1) {
			cmd_error(s, "%s", cause);
			free(cause);
		}
		buf_wipe(&body);
		free(tag);
	}
	return (CMD_USAGE);
}

/*
 * A lexed line made a command: its inline message read into body
 * (*have_body set), its entry found and its arguments bound in *ca (and
 * defaulted).  NULL after saying what is wrong (a usage error).
 */
static const struct cmd_entry *
cmd_prepare(struct session *s, const char *line, struct words *w,
    struct cmd_args *ca, struct buf *body, int *have_body)
{
	const struct cmd_entry	*ce;
	struct buf		 u;
	char			*cause = NULL;

	if (w->heredoc != NULL) {
		if (cmd_read_heredoc(s, w->heredoc, body, &cause) == -1) {
			cmd_error(s, "%s", cause);
			free(cause);
			return (NULL);
		}
		*have_body = 1;
	}
	if ((ce = cmd_find(w->v[0].s, &cause)) == NULL) {
		cmd_error(s, "%s", cause);
		free(cause);
		return (NULL);
	}
	s->current_cmd = ce->name;
	if ((w->redirect != NULL || w->heredoc != NULL) &&
	    (ce->flags & CMD_MESSAGE) == 0) {
		cmd_error(s, "%s takes no message: '<' is for append", ce->name);
		return (NULL);
	}
	if (cmd_bind(ce, w, ca, &cause) == -1) {
		ca->line = line;
		buf_init(&u, 0);
		cmd_usage(ce, &u);
		cmd_error(s, "%s\nusage: %s", cause, u.data);
		buf_free(&u);
		free(cause);
		free(ca->rest);
		return (NULL);
	}
	cmd_defaults(ce, ca);
	ca->line = line;
	return (ce);
}

/* Around a command's run: what it prints through, and after it the
 * prompt's state, the output flushed and the worst status kept. */
static void
cmd_exec_begin(struct session *s, const struct cmd_entry *ce)
{
	s->current_cmd = ce->name;
	cmd_sink_free(imap_set_sink(s->im, (ce->flags & CMD_LOCAL) == 0 ?
	    cmd_sink_base(s) : NULL, NULL));
}

static void
cmd_exec_end(struct session *s, enum cmd_status st)
{
	cmd_sink_free(imap_set_sink(s->im, NULL, NULL));
	json_line_end(s, s->current_cmd, (int)st);
	s->current_cmd = NULL;
	cmd_note_state(s);
	out_flush(s->out);
	out_flush(s->err);
	if ((int)st > s->status)
		s->status = (int)st;
}

/*
 * Send a line's command ahead of its turn: its builder describes it and
 * the core sends that; nothing is printed.  A line the builder refuses
 * waits for its turn, whose run says why.
 */
int
cmd_presend_line(struct session *s, const char *line)
{
	const struct cmd_entry	*ce;
	struct words		 w;
	struct cmd_args		 ca;
	struct cmd_built	 cb;
	char			*cause = NULL, *msg = NULL;
	int			 sent = 0;

	memset(&w, 0, sizeof w);
	memset(&ca, 0, sizeof ca);
	cmd_build_init(&cb);
	if (lex_line(line, LEX_BREAKS, &w, &cause) == -1) {
		free(cause);
		return (0);
	}
	if (w.n == 0) {
		words_free(&w);
		return (2);
	}
	if (w.redirect != NULL || w.heredoc != NULL ||
	    s->nsent >= IMAP_AHEAD_MAX ||
	    (ce = cmd_find(w.v[0].s, &cause)) == NULL ||
	    (ce->flags & CMD_PIPE) == 0 ||
	    cmd_bind(ce, &w, &ca, &cause) == -1)
		goto out;
	cmd_defaults(ce, &ca);
	ca.line = line;
	if ((ce->ahead != NULL && !ce->ahead(&ca)) ||
	    ce->build(s, &ca, &cb, &cause) == -1)
		goto out;
	if (imap_send_ahead(s->im, cb.name, cb.wire.a, cb.wire.n, cb.untagged,
	    &msg) == IMAP_SENT) {
		s->sent[s->nsent++] = ce;
		sent = 1;
	}
	free(msg);
out:
	cmd_build_free(&cb);
	free(cause);
	free(ca.rest);
	words_free(&w);
	return (sent);
}

/*
 * The turn of a line whose command was sent ahead (cmd_presend_line()):
 * take its reply and print it, without parsing or building the command
 * again.  -1 when nothing sent ahead waits (the connection was lost
 * since): the line is then run as any other.
 */
int
cmd_run_sent(struct session *s, const char *line, enum cmd_status *stp)
{
	const struct cmd_entry	*ce;
	struct pyval		*data = NULL;
	struct sink		*sk;
	enum imap_exc		 e;
	const char		*key;
	char			*typ = NULL, *msg = NULL, *untagged;

	if (s->nsent == 0 || imap_ahead_next(s->im, &key) == NULL) {
		s->nsent = 0;
		return (-1);
	}
	ce = s->sent[0];
	memmove(&s->sent[0], &s->sent[1], --s->nsent * sizeof s->sent[0]);
	untagged = key != NULL ? xstrdup(key) : NULL;
	if (s->format == FMT_JSON)
		json_line_begin(s->out);
	cmd_exec_begin(s, ce);
	sk = cmd_sink_new(s, untagged);
	e = imap_collect_ahead(s->im, &typ, &data, &msg);
	*stp = cmd_simple_end(s, sk, e, typ, data, msg, untagged);
	cmd_hint_line(s, ce, line, *stp);
	cmd_exec_end(s, *stp);
	free(untagged);
	return (0);
}

/* The hints for a line whose command ran without its arguments at hand
 * (cmd_run_sent()): they are read from the line again. */
static void
cmd_hint_line(struct session *s, const struct cmd_entry *ce,
    const char *line, enum cmd_status st)
{
	struct words	 w;
	struct cmd_args	 ca;
	char		*cause = NULL;

	memset(&w, 0, sizeof w);
	memset(&ca, 0, sizeof ca);
	if (lex_line(line, LEX_BREAKS, &w, &cause) == 0 && w.n > 0 &&
	    cmd_bind(ce, &w, &ca, &cause) == 0) {
		cmd_defaults(ce, &ca);
		ca.line = line;
		hint_after(s, &ca, st);
	}
	free(cause);
	free(ca.rest);
	words_free(&w);
}

/* Forget the commands sent ahead whose lines will not run: their
 * replies are dropped when they come. */
void
cmd_drop_sent(struct session *s)
{
	s->nsent = 0;
	imap_ahead_orphan(s->im);
}
