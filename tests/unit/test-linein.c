/*
 * test-linein.c: linein.c over pipes.  What matters is what batch mode's
 * pipelining relies on: linein_ready() says whether a whole line is
 * there without ever waiting, and linein_get() returns the lines as
 * written (the last one even without a newline), flagging a NUL.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "linein.h"
#include "tap.h"

static void	put(int, const char *, size_t);

/* The next line must be want (NULL: the end), with nul as given. */
static void
expect_line(struct linein *li, const char *want, int want_nul,
    const char *what)
{
	char	*line;
	int	 nul = -1;

	line = linein_get(li, &nul);
	if (want == NULL)
		ok(line == NULL, "%s", what);
	else
		ok(line != NULL && strcmp(line, want) == 0 &&
		    nul == want_nul, "%s", what);
	free(line);
}

/* Write all of s to fd (a pipe with room for it), or stop the test
 * (_exit: a forked writer must not flush the parent's TAP lines). */
static void
put(int fd, const char *s, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, s, len)) <= 0) {
			perror("write");
			_exit(1);
		}
		s += n;
		len -= (size_t)n;
	}
}

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

int
main(void)
{
	struct linein	 li;
	int		 fd[2];
	double		 t0;
	char		*big;
	size_t		 i;

	/* Nothing written yet: not ready, and asking does not wait. */
	if (pipe(fd) == -1)
		return (1);
	linein_init(&li, fd[0]);
	t0 = now();
	ok(linein_ready(&li) == 0, "empty pipe: not ready");
	ok(now() - t0 < 0.5, "empty pipe: linein_ready does not wait");

	/* A line and part of another: ready for the first only. */
	put(fd[1], "noop\nfet", 8);
	ok(linein_ready(&li) == 1, "a whole line: ready");
	expect_line(&li, "noop", 0, "the first line");
	ok(linein_ready(&li) == 0, "half a line: not ready");
	put(fd[1], "ch 1 (UID)\r\nx\0y\n", 16);
	ok(linein_ready(&li) == 1, "the rest came: ready");
	expect_line(&li, "fetch 1 (UID)\r", 0,
	    "a line split across writes (CR kept for the caller)");
	expect_line(&li, "x", 1, "a NUL is flagged");

	/* The end of input: a last line without a newline still counts. */
	put(fd[1], "logout", 6);
	ok(linein_ready(&li) == 0, "no newline, writer open: not ready");
	close(fd[1]);
	ok(linein_ready(&li) == 1, "writer closed: the last line is ready");
	expect_line(&li, "logout", 0, "the last line without a newline");
	ok(linein_ready(&li) == 0, "at the end: not ready");
	expect_line(&li, NULL, 0, "then the end");
	linein_free(&li);
	close(fd[0]);

	/* A line longer than one read. */
	if (pipe(fd) == -1)
		return (1);
	big = malloc(200001);
	for (i = 0; i < 200000; i++)
		big[i] = (char)('a' + i % 26);
	big[200000] = '\0';
	if (fork() == 0) {
		close(fd[0]);
		put(fd[1], big, 200000);
		put(fd[1], "\nnoop\n", 6);
		_exit(0);
	}
	close(fd[1]);
	linein_init(&li, fd[0]);
	expect_line(&li, big, 0, "a 200,000-byte line");
	expect_line(&li, "noop", 0, "and the line after it");
	expect_line(&li, NULL, 0, "then the end");
	linein_free(&li);
	close(fd[0]);
	free(big);

	printf("1..%d\n", tap_ntests);
	return (tap_status());
}
