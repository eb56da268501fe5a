/*
 * show-main.c: imapsh-show, the program that lays a message out for the
 * show command (show.c does the work; show-run.c says why it is a
 * program of its own and how imapsh runs it).
 *
 * usage: imapsh-show [-l length] [-o offset] [part]
 *
 * The message is standard input: with -o or -l the length bytes at
 * offset of it (a file: imapsh passes its spool file), else all of it (a
 * file, or a pipe, which is read into memory first).  The text goes to
 * standard output, escaped for the terminal and in the charset of
 * LC_CTYPE's locale; with part (an IMAP section number, "1.2") only that
 * part.  Exit status: SHOW_EXIT_* in show-run.h.
 */
#include <err.h>
#include <errno.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "show-run.h"
#include "show.h"

static void	 usage(void) __attribute__((__noreturn__));
static long long show_main_number(const char *, const char *);
static GMimeStream *show_main_stream(long long, long long);

static void
usage(void)
{
	fprintf(stderr, "usage: imapsh-show [-l length] [-o offset] "
	    "[part]\n");
	exit(SHOW_EXIT_ERROR);
}

/* An offset or length argument. */
static long long
show_main_number(const char *s, const char *what)
{
	const char	*errstr;
	long long	 n;

	n = strtonum(s, 0, INT64_MAX / 2, &errstr);
	if (errstr != NULL)
		errx(SHOW_EXIT_ERROR, "%s %s: %s", what, s, errstr);
	return (n);
}

/*
 * Standard input as a stream: [off, off + len) of a file (len -1: to its
 * end), which GMime reads where it lies, keeping references to bodies
 * rather than copies; or all of a pipe, read into memory.  NULL with
 * errno on failure.
 */
static GMimeStream *
show_main_stream(long long off, long long len)
{
	GMimeStream	*in, *mem;
	ssize_t		 n;

	if (lseek(STDIN_FILENO, 0, SEEK_CUR) != -1)
		return (g_mime_stream_fs_new_with_bounds(STDIN_FILENO, off,
		    len == -1 ? -1 : off + len));
	if (errno != ESPIPE)
		return (NULL);
	if (off != 0 || len != -1)
		errx(SHOW_EXIT_ERROR, "-o and -l need standard input to be "
		    "a file");
	in = g_mime_stream_pipe_new(STDIN_FILENO);
	mem = g_mime_stream_mem_new();
	n = g_mime_stream_write_to_stream(in, mem);
	g_object_unref(in);
	if (n == -1) {
		g_object_unref(mem);
		return (NULL);
	}
	g_mime_stream_reset(mem);
	return (mem);
}

int
main(int argc, char **argv)
{
	static struct out	 o;
	struct show_out		 so;
	GMimeStream		*st;
	const char		*part = NULL;
	char			*cause = NULL;
	long long		 off = 0, len = -1;
	int			 ch, rv;

	setlocale(LC_CTYPE, "");
	while ((ch = getopt(argc, argv, "l:o:")) != -1) {
		switch (ch) {
		case 'l':
			len = show_main_number(optarg, "length");
			break;
		case 'o':
			off = show_main_number(optarg, "offset");
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		usage();
	if (argc == 1)
		part = argv[0];

	g_mime_init();
	if ((st = show_main_stream(off, len)) == NULL)
		err(SHOW_EXIT_ERROR, "standard input");
	out_init(&o, STDOUT_FILENO);
	show_out_init(&so, &o);
	rv = show_mime_message(&so, st, part, &cause);
	show_out_free(&so);
	out_flush(&o);
	g_object_unref(st);
	if (rv == -1) {
		warnx("%s", cause);
		free(cause);
		return (SHOW_EXIT_MESSAGE);
	}
	return (o.failed ? SHOW_EXIT_OUTPUT : SHOW_EXIT_OK);
}
