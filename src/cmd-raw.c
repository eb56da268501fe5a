/*
 * cmd-raw.c: raw, a line sent exactly as typed.
 *
 * raw sends a line exactly as typed, after a tag (the user's own if the
 * line starts with one), and prints every line the server sends until the
 * tagged reply, escaped for the terminal when stdout is one and byte for
 * byte otherwise.  A line ending in {N} (or {N+}) sends the next N bytes
 * of input after the server's "+" as raw-literal.h reads them: a line as
 * long as N is the literal without its line end, a longer literal takes
 * lines joined with CRLF, and what is left of the literal's last line goes
 * on with the command (and may announce another literal).  A trailing
 * "<file" sends the file as a literal, its size filled in.  Any other "+"
 * is answered with the next line of input, redacted in the trace in an
 * AUTHENTICATE exchange.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "cmd-list.h"
#include "json-line.h"
#include "raw-literal.h"
#include "redact.h"
#include "sink-raw.h"
#include "trace.h"

#define RAW_MAX_LITERALS	32		/* literals in one raw command */
#define RAW_MAX_CANCELS		3		/* '*' answers before giving up */

/* A raw command cut into text pieces and literals (raw_build()). */
struct raw_cmd {
	struct imap_arg	 parts[2 * RAW_MAX_LITERALS + 1];
	size_t		 nparts;
	char		*texts[RAW_MAX_LITERALS + 1];	/* owned */
	size_t		 ntexts;
};

/* Answering the server's "+" to a raw line by hand. */
struct raw_cont {
	struct session	*s;
	int		 secret;	/* an AUTHENTICATE exchange */
	int		 ended;		/* the input ended: cancelled */
};

static int	 raw_is_command(const char *, size_t);
static void	 raw_note_mailbox(struct session *, const char *);
static int	 raw_file_literal(char **, struct spool **, char **);
static struct spool *raw_literal_read(struct session *,
		    const struct raw_literal_ann *, char **, char **);
static void	 raw_trim(char *);
static int	 raw_build(struct session *, char *, struct raw_cmd *,
		    char **);
static void	 raw_free(struct raw_cmd *);
static int	 raw_answer(void *, const char *, struct buf *, int *);

/* 1 if word is an IMAP command name the core knows. */
static int
raw_is_command(const char *w, size_t len)
{
	char	name[32];
	size_t	i;

	if (len == 0 || len >= sizeof name)
		return (0);
	for (i = 0; i < len; i++)
		name[i] = (char)toupper((unsigned char)w[i]);
	name[len] = '\0';
	return (imap_commands_states(name) != NULL);
}

/*
 * A "<file" at the end of text: the file in a new spool, and the text
 * ending in "{size}" instead.  0 when text has none (*spp NULL); -1 with
 * *cause.
 */
static int
raw_file_literal(char **textp, struct spool **spp, char **cause)
{
	struct spool	*sp;
	struct stat	 st;
	char		*text = *textp, *lt, chunk[64 * 1024];
	ssize_t		 n;
	int		 fd;

	*spp = NULL;
	if ((lt = strrchr(text, '<')) == NULL || (lt != text &&
	    lt[-1] != ' ') || lt[1] == '\0' || strchr(lt, ' ') != NULL)
		return (0);
	if ((fd = open(lt + 1, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		xasprintf(cause, "%s: %s", lt + 1, strerror(errno));
		if (fd != -1)
			close(fd);
		return (-1);
	}
	if ((sp = spool_new(cause)) == NULL) {
		close(fd);
		return (-1);
	}
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		if (spool_write(sp, chunk, (size_t)n, cause) == -1)
			break;
	close(fd);
	if (n != 0) {
		if (*cause == NULL)
			xasprintf(cause, "%s: %s", lt + 1, strerror(errno));
		spool_unref(sp);
		return (-1);
	}
	*lt = '\0';
	xasprintf(textp, "%s{%llu}", text, (unsigned long long)sp->size);
	free(text);
	*spp = sp;
	return (0);
}

/*
 * The literal text announces, filled from the lines typed next
 * (raw_literal_fill() decides how much of each goes in).  Returns the
 * spool and in *restp what follows the literal on its last line; NULL
 * with *cause on error.
 */
static struct spool *
raw_literal_read(struct session *s, const struct raw_literal_ann *ann,
    char **restp, char **cause)
{
	struct spool	*sp;
	uint64_t	 need = ann->size;
	size_t		 len, take;
	char		*in;
	int		 crlf;
	enum raw_literal_fill r;

	if ((sp = spool_new(cause)) == NULL)
		return (NULL);
	do {
		if (s->readline == NULL || (in = s->readline(s, "> ")) ==
		    NULL) {
			xasprintf(cause, "input ended after %llu of the %llu "
			    "literal bytes", (unsigned long long)(ann->size -
			    need), (unsigned long long)ann->size);
			goto fail;
		}
		if (s->input_nul) {
			s->input_nul = 0;
			free(in);
			*cause = xstrdup("a typed literal cannot hold a NUL "
			    "byte (send a file with <file)");
			goto fail;
		}
		len = strlen(in);
		if ((r = raw_literal_fill(need, len, &take, &crlf)) ==
		    RAW_LIT_CUT) {
			xasprintf(cause, "the line has %zu bytes, %zu with "
			    "its line end, where the literal wants %llu more: "
			    "announce {%llu} for the line alone or {%llu} for "
			    "the line and CRLF", len, len + 2,
			    (unsigned long long)need,
			    (unsigned long long)(ann->size - 1),
			    (unsigned long long)(ann->size + 1));
			free(in);
			goto fail;
		}
		if (spool_write(sp, in, take, cause) == -1 ||
		    (crlf && spool_write(sp, "\r\n", 2, cause) == -1)) {
			free(in);
			goto fail;
		}
		need -= take + (crlf ? 2 : 0);
		if (r == RAW_LIT_DONE)
			*restp = xstrdup(in + take);
		free(in);
	} while (r == RAW_LIT_MORE);
	return (sp);

fail:
	spool_unref(sp);
	return (NULL);
}

/* Drop the spaces at the end of text. */
static void
raw_trim(char *text)
{
	size_t	len = strlen(text);

	while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t'))
		text[--len] = '\0';
}

/*
 * Cut the command that starts with first into text pieces and literals:
 * a piece that ends in "<file" or a literal's {N} is followed by that
 * literal and by the rest of the line the literal ended on, which may
 * announce another.  Takes first; -1 with *cause on error.
 */
static int
raw_build(struct session *s, char *first, struct raw_cmd *rc,
    char **cause)
{
	struct raw_literal_ann	 ann;
	struct spool		*sp;
	char			*text = first, *rest = NULL;
	int			 rv;

	for (;;) {
		raw_trim(text);
		if (strpbrk(text, "\r\n") != NULL) {
			free(text);
			*cause = xstrdup("a line break cannot be sent");
			return (-1);
		}
		if (raw_file_literal(&text, &sp, cause) == -1) {
			free(text);
			return (-1);
		}
		rc->texts[rc->ntexts++] = text;
		rc->parts[rc->nparts].type = IMAP_ARG_TRAILER;
		rc->parts[rc->nparts].s = text;
		rc->parts[rc->nparts++].len = strlen(text);
		if (sp != NULL)
			rest = xstrdup("");
		else if ((rv = raw_literal_announced(text, strlen(text), &ann,
		    cause)) <= 0)
			return (rv);
		else if (rc->ntexts > RAW_MAX_LITERALS) {
			*cause = xstrdup("too many literals in one command");
			return (-1);
		} else if ((sp = raw_literal_read(s, &ann, &rest,
		    cause)) == NULL)
			return (-1);
		rc->parts[rc->nparts].type = IMAP_ARG_LITERAL;
		rc->parts[rc->nparts++].spool = sp;
		text = rest;
	}
}

static void
raw_free(struct raw_cmd *rc)
{
	size_t	i;

	for (i = 0; i < rc->nparts; i++)
		if (rc->parts[i].spool != NULL)
			spool_unref(rc->parts[i].spool);
	for (i = 0; i < rc->ntexts; i++)
		free(rc->texts[i]);
}

/*
 * The answer to a "+" (not the one a {N} literal waits for): the next
 * line of input, as typed, redacted in the trace in an AUTHENTICATE
 * exchange; "*" (the cancel of RFC 3501, 6.2.2) when the input ends.
 */
static int
raw_answer(void *arg, const char *cont, struct buf *resp, int *secret)
{
	struct raw_cont	*rc = arg;
	char		*in;

	*secret = rc->secret;
	if (rc->ended || rc->s->readline == NULL ||
	    (in = rc->s->readline(rc->s, "> ")) == NULL) {
		/* No more input: cancel, and past a few cancels give up
		 * on a server that will not end the exchange. */
		*secret = 0;
		if (rc->ended++ >= RAW_MAX_CANCELS) {
			buf_printf(resp, "raw: the server went on asking after "
			    "%d cancels; connection closed", RAW_MAX_CANCELS);
			return (-1);
		}
		buf_addc(resp, '*');
		return (0);
	}
	buf_addstr(resp, in);
	freezero_str(in);
	return (0);
}

/* raw LINE */
enum cmd_status
cmd_raw(struct session *s, struct cmd_args *ca)
{
	struct raw_cmd	 rc;
	struct raw_cont	 ans;
	struct pyval	*data;
	struct sink	*was, *sk;
	enum imap_exc	 e;
	enum cmd_status	 st;
	char		*line, *tag = NULL, *rest, *typ, *msg = NULL;
	char		*cause = NULL;
	size_t		 w1, w2, i;
	int		 digit;

	if (ca->line == NULL || *ca->line == '\0')
		return (cmd_error(s, "raw: give the line to send, for example "
		    "raw NOOP"));
	if (strpbrk(ca->line, "\r\n") != NULL)
		return (cmd_error(s, "raw: a line break cannot be sent"));
	line = xstrdup(ca->line);
	/* The user's own tag: a first word that is not a command, followed
	 * by one that is, or with a digit in it (a001 NOOP, x SELECT a). */
	w1 = strcspn(line, " \t");
	rest = line + w1 + strspn(line + w1, " \t");
	w2 = strcspn(rest, " \t");
	for (i = 0, digit = 0; i < w1; i++)
		if (isdigit((unsigned char)line[i]))
			digit = 1;
	if (*rest != '\0' && !raw_is_command(line, w1) &&
	    (raw_is_command(rest, w2) || digit)) {
		tag = xstrndup(line, w1);
		memmove(line, rest, strlen(rest) + 1);
	}
	ans.s = s;
	ans.secret = redact_imap_exchange(line, strlen(line));
	ans.ended = 0;
	memset(&rc, 0, sizeof rc);
	if (raw_build(s, line, &rc, &cause) == -1) {
		raw_free(&rc);
		free(tag);
		st = cmd_error(s, "raw: %s", cause);
		free(cause);
		return (st);
	}
	/* The lines are shown as they come; under --format raw they are
	 * the result, else the responses are filed for response. */
	was = imap_set_sink(s->im, sink_raw_new(s->out, s->format ==
	    FMT_RAW), NULL);
	e = imap_raw_command(s->im, tag, rc.parts, rc.nparts, raw_answer,
	    &ans, &typ, &data, &msg);
	sk = imap_set_sink(s->im, was, NULL);
	sk->ops->free(sk);
	out_flush(s->out);
	free(tag);
	if (e != IMAP_OK) {
		raw_free(&rc);
		return (cmd_exc(s, e, msg));
	}
	st = strcmp(typ, "NO") == 0 || strcmp(typ, "BAD") == 0 ? CMD_FAILED :
	    CMD_OK;
	if (s->format == FMT_JSON)
		json_line_status(typ);	/* the lines shown are the data */
	if (st == CMD_OK)
		raw_note_mailbox(s, rc.texts[0]);
	raw_free(&rc);
	free(typ);
	pv_free(data);
	return (st);
}

/* The prompt names the mailbox a raw SELECT or EXAMINE opened (the core
 * changes the state). */
static void
raw_note_mailbox(struct session *s, const char *line)
{
	size_t	w = strcspn(line, " \t");

	if (!imap_connected(s->im))
		return;
	if ((w == 6 && strncasecmp(line, "SELECT", 6) == 0) ||
	    (w == 7 && strncasecmp(line, "EXAMINE", 7) == 0)) {
		free(s->mailbox);
		s->mailbox = xstrdup(line + w + strspn(line + w, " \t"));
	}
}
