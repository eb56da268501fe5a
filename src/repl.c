/*
 * repl.c: the two front ends.
 *
 * Interactive (stdin is a terminal): libedit line editing with emacs keys,
 * a prompt that shows where you are, persistent history in
 * $XDG_STATE_HOME/imapsh/history (mode 0600, lines that carry a secret
 * are never added), Tab completion (complete.c), Ctrl-C cancels the line
 * being typed, Ctrl-D logs out and leaves.
 *
 * Ctrl-C belongs to the front end: its handler counts them, and only this
 * file sets the count back to zero, when a line is read and when its
 * command starts; the layers below read it (intr.h).  During a command
 * the first one stops the results' output and makes the core drop the
 * command's result once the server has finished it; the second drops the
 * connection.  After the command the shell says how much output was left
 * out.
 *
 * Batch (heredocs, pipes): lines run in order, no prompt, no libedit;
 * each result is printed as its command completes, and independent
 * commands are pipelined (see batch_run).
 */
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <histedit.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#define LIBBSD_NETBSD_VIS	/* strunvis() only; silences libbsd's note */
#include <vis.h>
#include <wchar.h>

#include "cmd.h"
#include "imap-utf7.h"
#include "intr.h"
#include "json-line.h"
#include "linein.h"
#include "localfile.h"
#include "redact.h"
#include "repl.h"
#include "term.h"
#include "transport.h"

struct repl {
	struct session	*s;
	EditLine	*el;
	History		*hist;
	char		*histfile;
	const char	*prompt_override;
	struct buf	 prompt;
	mbstate_t	 mbs;
};

static struct repl	*repl_current;

/* Ctrl-Cs since the line or command began (intr.h). */
static volatile sig_atomic_t repl_intr;
#define REPL_INTR_MAX	100

static char	*repl_prompt(EditLine *);
static int	 repl_getc(EditLine *, wchar_t *);
static void	 repl_list(char **, size_t);
static void	 repl_replace(EditLine *, const char *, size_t, const char *,
		    size_t);
static unsigned char repl_complete(EditLine *, int);
static char	*repl_histfile(void);
static void	 repl_history_load(struct repl *);
static void	 repl_history_save(struct repl *);
static char	*repl_readline(struct session *, const char *);
static char	*batch_readline(struct session *, const char *);
static void	 repl_chomp(char *);
static void	 repl_prompt_mailbox(struct session *, struct buf *);
static void	 repl_on_sigint(int);
static void	 repl_intr_reset(struct session *);
static void	 repl_unshown(struct session *);

/* The first line of a history file, as libedit writes it. */
#define REPL_HIST_COOKIE	"_HiStOrY_V2_"

/* Colour for the prompt, marked with \1 as EL_PROMPT_ESC wants. */
#define PROMPT_HOST	"\1\033[1;32m\1"
#define PROMPT_BOX	"\1\033[1;36m\1"
#define PROMPT_OFF	"\1\033[0m\1"

/* The selected mailbox's name, decoded from modified UTF-7 with
 * --utf7-names when it decodes; commands still send it as it was typed. */
static void
repl_prompt_mailbox(struct session *s, struct buf *b)
{
	struct buf	 name;
	char		*cause = NULL;

	buf_init(&name, 0);
	if (s->utf7_names && imap_utf7_to_utf8(s->mailbox,
	    strlen(s->mailbox), &name, &cause) == 0 && name.data != NULL)
		term_line(b, name.data, name.len);
	else
		term_line(b, s->mailbox, strlen(s->mailbox));
	free(cause);
	buf_free(&name);
}

void
repl_prompt_text(struct session *s, struct buf *b, int color)
{
	struct transport	*tr = imap_transport(s->im);

	if (tr == NULL) {
		buf_addstr(b, "imapsh (not connected)> ");
		return;
	}
	if (color)
		buf_addstr(b, PROMPT_HOST);
	/* The user may come from netrc or a URL's %0a: one line too. */
	if (s->user != NULL && imap_state(s->im) != IMAP_NONAUTH) {
		term_line(b, s->user, strlen(s->user));
		buf_addc(b, '@');
	}
	term_line(b, s->host, strlen(s->host));
	if (color)
		buf_addstr(b, PROMPT_OFF);
	if (imap_state(s->im) == IMAP_NONAUTH)
		buf_addstr(b, " (not logged in)");
	else if (!imap_tls(s->im) && !tr->loopback && !tr->child)
		buf_addstr(b, " (cleartext)");
	if (imap_state(s->im) == IMAP_SELECTED && s->mailbox != NULL) {
		buf_addc(b, ' ');
		if (color)
			buf_addstr(b, PROMPT_BOX);
		repl_prompt_mailbox(s, b);
		if (color)
			buf_addstr(b, PROMPT_OFF);
		if (s->exists >= 0)
			buf_printf(b, "[%lld%s]", s->exists,
			    imap_readonly(s->im) ? ",ro" : "");
		else if (imap_readonly(s->im))
			buf_addstr(b, "[ro]");
	}
	buf_addstr(b, "> ");
}

static char *
repl_prompt(EditLine *el)
{
	struct repl	*r = repl_current;

	buf_reset(&r->prompt);
	if (r->prompt_override != NULL)
		buf_addstr(&r->prompt, r->prompt_override);
	else
		repl_prompt_text(r->s, &r->prompt, cmd_color(r->s, r->s->out));
	return (r->prompt.data);
}

/*
 * Read one character for libedit.  A SIGINT (Ctrl-C) makes read() fail
 * with EINTR: report an error so el_wgets() returns and the line is
 * dropped.  Returns 1, 0 at end of input, -1 on error.
 */
static int
repl_getc(EditLine *el, wchar_t *wc)
{
	struct repl	*r = repl_current;
	char		 c;
	ssize_t		 n;
	size_t		 k;

	for (;;) {
		n = read(STDIN_FILENO, &c, 1);
		if (n == -1 && errno == EINTR) {
			if (repl_intr > 0)
				return (-1);
			continue;
		}
		if (n <= 0)
			return ((int)n);
		k = mbrtowc(wc, &c, 1, &r->mbs);
		if (k == (size_t)-2)
			continue;		/* more bytes to come */
		if (k == (size_t)-1) {
			memset(&r->mbs, 0, sizeof r->mbs);
			*wc = (wchar_t)(unsigned char)c;
		}
		return (1);
	}
}

/*
 * Replace the last typed bytes before the cursor (a tail of line) with
 * the first len bytes of text.  libedit counts characters, not bytes.
 */
static void
repl_replace(EditLine *el, const char *line, size_t typed, const char *text,
    size_t len)
{
	const char	*p = line + strlen(line) - typed;
	mbstate_t	 mbs;
	size_t		 k;
	int		 chars = 0;
	char		*ins;

	memset(&mbs, 0, sizeof mbs);
	while (*p != '\0') {
		k = mbrlen(p, strlen(p), &mbs);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&mbs, 0, sizeof mbs);
			k = 1;
		}
		p += k;
		chars++;
	}
	if (chars > 0)
		el_deletestr(el, chars);
	ins = xstrndup(text, len);
	el_insertstr(el, ins);
	free(ins);
}

/*
 * Tab: complete the word at the cursor (complete.c).  One candidate
 * replaces what is typed, followed by a blank unless it leaves something
 * open (a directory, "BODY[", "(").  Several replace it with their common
 * prefix when that is longer, else are listed, escaped for the terminal.
 * In a heredoc body (a prompt of its own), Tab is a tab.
 */
static unsigned char
repl_complete(EditLine *el, int ch)
{
	struct repl	*r = repl_current;
	const LineInfo	*li = el_line(el);
	char		*line, **cands = NULL, last;
	size_t		 typed, n = 0, i, j, common, len;
	unsigned char	 rv = CC_REFRESH_BEEP;

	if (r->prompt_override != NULL) {
		el_insertstr(el, "\t");
		return (CC_REFRESH);
	}
	line = xstrndup(li->buffer, (size_t)(li->cursor - li->buffer));
	typed = complete_line(r->s, line, strlen(line), &cands, &n);
	if (n == 1) {
		len = strlen(cands[0]);
		last = len > 0 ? cands[0][len - 1] : ' ';
		repl_replace(el, line, typed, cands[0], len);
		if (last != '/' && last != '[' && last != '(')
			el_insertstr(el, " ");
		rv = CC_REFRESH;
	} else if (n > 1) {
		common = strlen(cands[0]);
		for (i = 1; i < n; i++) {
			for (j = 0; j < common && cands[i][j] == cands[0][j];
			    j++)
				;
			common = j;
		}
		if (common > typed) {
			repl_replace(el, line, typed, cands[0], common);
			rv = CC_REFRESH;
		} else {
			repl_list(cands, n);
			rv = CC_REDISPLAY;
		}
	}
	for (i = 0; i < n; i++)
		free(cands[i]);
	free(cands);
	free(line);
	return (rv);
}

/*
 * List completion candidates under the line, escaped for the terminal:
 * on one line when they fit the terminal's width, else in columns, read
 * down then across, as ls(1) lists names.
 */
static void
repl_list(char **cands, size_t n)
{
	struct winsize	 ws;
	struct buf	 list, *esc;
	size_t		 i, row, rows, cols, width = 0, total = 0, termw = 80;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		termw = ws.ws_col;
	esc = xcalloc(n, sizeof *esc);
	for (i = 0; i < n; i++) {
		buf_init(&esc[i], 0);
		term_line(&esc[i], cands[i], strlen(cands[i]));
		if (esc[i].len > width)
			width = esc[i].len;
		total += esc[i].len + 2;
	}
	width += 2;
	cols = total <= termw ? n : (termw / width > 0 ? termw / width : 1);
	rows = (n + cols - 1) / cols;
	buf_init(&list, 0);
	buf_addc(&list, '\n');
	for (row = 0; row < rows; row++) {
		for (i = row; i < n; i += rows) {
			buf_add(&list, esc[i].data, esc[i].len);
			if (i + rows >= n)
				break;
			if (total <= termw)
				buf_addstr(&list, "  ");
			else
				buf_printf(&list, "%*s", (int)(width -
				    esc[i].len), "");
		}
		buf_addc(&list, '\n');
	}
	fwrite(list.data, 1, list.len, stdout);
	fflush(stdout);
	buf_free(&list);
	for (i = 0; i < n; i++)
		buf_free(&esc[i]);
	free(esc);
}

/* $XDG_STATE_HOME/imapsh/history, made with its directory if needed. */
static char *
repl_histfile(void)
{
	const char	*base, *home;
	char		*dir, *file, *p;

	if ((p = getenv("IMAPSH_HISTFILE")) != NULL)
		return (*p == '\0' ? NULL : xstrdup(p));
	if ((base = getenv("XDG_STATE_HOME")) != NULL && *base == '/')
		xasprintf(&dir, "%s/imapsh", base);
	else if ((home = getenv("HOME")) != NULL && *home != '\0')
		xasprintf(&dir, "%s/.local/state/imapsh", home);
	else
		return (NULL);
	/* mkdir -p with private modes */
	for (p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(dir, 0700);
		*p = '/';
	}
	mkdir(dir, 0700);
	xasprintf(&file, "%s/history", dir);
	free(dir);
	return (file);
}

/*
 * Load the history file as libedit's H_LOAD would (a cookie line, then
 * one vis(3)-encoded entry a line), but from a descriptor opened by
 * localfile_open(): a FIFO, a symbolic link or another user's file is
 * refused (with a warning, and no history is kept for the session).
 */
static void
repl_history_load(struct repl *r)
{
	HistEvent	 ev;
	FILE		*fp;
	char		*line = NULL, *dec, *cause = NULL;
	size_t		 size = 0;
	ssize_t		 n;
	int		 fd;

	if ((fd = localfile_open(r->histfile, LF_NOFOLLOW | LF_MINE, NULL,
	    &cause)) == -1) {
		if (errno != ENOENT) {
			warnx("warning: %s; history is not kept", cause);
			free(r->histfile);
			r->histfile = NULL;
		}
		free(cause);
		return;
	}
	if ((fp = fdopen(fd, "r")) == NULL) {
		close(fd);
		return;
	}
	if ((n = getline(&line, &size, fp)) != -1 &&
	    strcmp(line, REPL_HIST_COOKIE "\n") == 0) {
		while ((n = getline(&line, &size, fp)) != -1) {
			if (n > 0 && line[n - 1] == '\n')
				line[--n] = '\0';
			dec = xmalloc((size_t)n + 1);
			if (strunvis(dec, line) != -1)
				history(r->hist, &ev, H_ENTER, dec);
			free(dec);
		}
	}
	free(line);
	fclose(fp);
}

/* Write the history (private, and only to a regular file of the user's
 * own that is not a symbolic link: see repl_history_load). */
static void
repl_history_save(struct repl *r)
{
	HistEvent	 ev;
	FILE		*fp;
	char		*cause = NULL;
	int		 fd;

	if (r->histfile == NULL)
		return;
	if ((fd = localfile_open(r->histfile, LF_WRITE | LF_NOFOLLOW |
	    LF_MINE, NULL, &cause)) == -1) {
		free(cause);
		return;
	}
	if (fchmod(fd, 0600) == -1 || ftruncate(fd, 0) == -1 ||
	    (fp = fdopen(fd, "w")) == NULL) {
		close(fd);
		return;
	}
	history(r->hist, &ev, H_SAVE_FP, fp);
	fclose(fp);
}

static void
repl_chomp(char *line)
{
	size_t	len = strlen(line);

	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
}

static void
repl_on_sigint(int sig)
{
	(void)sig;
	if (repl_intr < REPL_INTR_MAX)
		repl_intr++;
}

void
repl_catch_sigint(struct session *s)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = repl_on_sigint;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: reads see EINTR */
	sigaction(SIGINT, &sa, NULL);
	intr_watch(&repl_intr);
	out_stop_on_intr(s->out);
}

/* A line or a command begins: the Ctrl-Cs counted were the last one's. */
static void
repl_intr_reset(struct session *s)
{
	repl_intr = 0;
	out_resume(s->out);
}

/* After a command: how much of its output a Ctrl-C left out. */
static void
repl_unshown(struct session *s)
{
	out_flush(s->out);
	if (s->out->unshown == 0)
		return;
	out_printf(s->err, "%sinterrupted: %llu bytes of output not shown\n",
	    s->out->tty ? "\n" : "", s->out->unshown);
	out_flush(s->err);
	s->out->unshown = 0;
}

/* Input for a heredoc body while interactive. */
static char *
repl_readline(struct session *s, const char *prompt)
{
	struct repl	*r = repl_current;
	const char	*line;
	char		*copy;
	int		 count;

	r->prompt_override = prompt;
	line = el_gets(r->el, &count);
	r->prompt_override = NULL;
	if (line == NULL || count <= 0)
		return (NULL);	/* Ctrl-C or Ctrl-D: the command cancels */
	copy = xstrdup(line);
	repl_chomp(copy);
	return (copy);
}

void
repl_run(struct session *s)
{
	struct repl	 r;
	HistEvent	 ev;
	const char	*line;
	char		*copy;
	int		 count;

	memset(&r, 0, sizeof r);
	r.s = s;
	buf_init(&r.prompt, 0);
	repl_current = &r;
	s->readline = repl_readline;

	r.hist = history_init();
	history(r.hist, &ev, H_SETSIZE, 1000);
	history(r.hist, &ev, H_SETUNIQUE, 1);
	r.histfile = repl_histfile();
	if (r.histfile != NULL)
		repl_history_load(&r);

	r.el = el_init("imapsh", stdin, stdout, stderr);
	el_set(r.el, EL_EDITOR, "emacs");
	el_set(r.el, EL_PROMPT_ESC, repl_prompt, '\1');
	el_set(r.el, EL_HIST, history, r.hist);
	el_set(r.el, EL_GETCFN, repl_getc);
	/* The wide call: libedit's narrow EL_ADDFN wcsdup()s the name and
	 * help and never frees them. */
	el_wset(r.el, EL_ADDFN, L"imapsh-complete", L"complete a word",
	    repl_complete);
	el_set(r.el, EL_BIND, "^I", "imapsh-complete", NULL);
	el_source(r.el, NULL);		/* ~/.editrc, as other tools */

	for (;;) {
		repl_intr_reset(s);
		line = el_gets(r.el, &count);
		if (line == NULL || count <= 0) {
			if (repl_intr > 0) {	/* Ctrl-C: drop the line */
				fputs("^C\n", stdout);
				fflush(stdout);
				el_reset(r.el);
				continue;
			}
			fputc('\n', stdout);	/* Ctrl-D */
			break;
		}
		copy = xstrdup(line);
		repl_chomp(copy);
		if (copy[strspn(copy, " \t")] != '\0' &&
		    !redact_typed_line(copy)) {
			history(r.hist, &ev, H_ENTER, copy);
			repl_history_save(&r);
		}
		repl_intr_reset(s);
		/* The session's status is its last command's: a failure
		 * that was put right does not stay. */
		s->status = 0;
		complete_before(s, copy);
		cmd_run_line(s, copy);
		complete_after(s);
		repl_unshown(s);
		free(copy);
		if (s->quit)
			break;
	}
	s->readline = NULL;
	complete_free(s);
	el_end(r.el);
	history_end(r.hist);
	free(r.histfile);
	buf_free(&r.prompt);
	repl_current = NULL;
}

/*
 * Batch mode.  Lines run in order, each printing its result when it is
 * done.  Before a line runs, the lines after it that have already
 * arrived are offered to cmd_presend_line(), in order, until one must
 * wait: those go to the server at once (pipelining), and each one's run
 * later takes its reply, as many as the core may hold in flight
 * (imap_set_ahead_max(): none with --no-pipeline).
 */
#define BATCH_AHEAD	(IMAP_AHEAD_MAX * 2)	/* lines looked at ahead */

struct batch_line {
	char		*s;
	int		 nul;		/* it held a NUL byte */
	int		 sent;		/* sent ahead, or nothing to send */
	int		 ahead;		/* its command was sent ahead */
	long long	 lineno;	/* its number in the input, from 1 */
};

static struct linein	 batch_in;
static struct batch_line batch_q[BATCH_AHEAD + 1];
static size_t		 batch_n;
static int		 batch_ahead;	/* the line read was sent ahead */
static long long	 batch_lines;	/* lines read so far */
static long long	 batch_last;	/* the number of the last line taken */

/* Queue the next line; wait for it if wait is set.  0 if none. */
static int
batch_queue(int wait)
{
	char	*line;
	int	 nul;

	if (!wait && !linein_ready(&batch_in))
		return (0);
	if ((line = linein_get(&batch_in, &nul)) == NULL)
		return (0);
	repl_chomp(line);
	batch_q[batch_n].s = line;
	batch_q[batch_n].nul = nul;
	batch_q[batch_n].sent = 0;
	batch_q[batch_n].ahead = 0;
	batch_q[batch_n].lineno = ++batch_lines;
	batch_n++;
	return (1);
}

static char *
batch_readline(struct session *s, const char *prompt)
{
	char	*line;

	if (batch_n == 0 && !batch_queue(1))
		return (NULL);
	batch_ahead = batch_q[0].ahead;
	line = batch_q[0].s;
	batch_last = batch_q[0].lineno;
	if (batch_q[0].nul)
		s->input_nul = 1;	/* the line would be cut at the NUL */
	memmove(&batch_q[0], &batch_q[1], --batch_n * sizeof batch_q[0]);
	return (line);
}

/* Send ahead the queued lines that can go, in order, stopping at the
 * first that must wait for the replies before it. */
static void
batch_pipeline(struct session *s)
{
	size_t	i;
	int	r;

	for (i = 0; ; i++) {
		if (i == batch_n &&
		    (batch_n == BATCH_AHEAD || !batch_queue(0)))
			break;
		if (batch_q[i].sent)
			continue;
		if (batch_q[i].nul || (r = cmd_presend_line(s,
		    batch_q[i].s)) == 0)
			break;
		batch_q[i].sent = 1;
		batch_q[i].ahead = r == 1;
	}
}

void
batch_run(struct session *s, int fd)
{
	enum cmd_status	 st;
	char		*line;

	linein_init(&batch_in, fd);
	s->readline = batch_readline;
	while (!s->quit) {
		if (batch_n == 0 && !batch_queue(1))
			break;
		if (imap_connected(s->im) && imap_ahead_room(s->im) > 0)
			batch_pipeline(s);
		line = batch_readline(s, NULL);
		/* Errors name the command's line (a heredoc's body lines
		 * are read while it runs). */
		s->lineno = batch_last;
		if (s->input_nul) {
			s->input_nul = 0;
			if (s->format == FMT_JSON)
				json_line_begin(s->out);
			cmd_error(s, "an input line holds a NUL byte: not run");
			if (s->format == FMT_JSON)
				json_line_end(s, NULL, CMD_USAGE);
			if (s->status < CMD_USAGE)
				s->status = CMD_USAGE;
			free(line);
			if (s->stop_on_error)
				break;
			continue;
		}
		if (!batch_ahead || cmd_run_sent(s, line, &st) == -1)
			st = cmd_run_line(s, line);
		free(line);
		if (st != CMD_OK && s->stop_on_error)
			break;
	}
	cmd_drop_sent(s);
	while (batch_n > 0)
		free(batch_readline(s, NULL));
	s->lineno = 0;
	s->readline = NULL;
	linein_free(&batch_in);
}
