/*
 * test-stage.c: a staged result emitted to an output that stops on
 * Ctrl-C (stage.c, output.c, intr.h).  The count of Ctrl-Cs is the
 * test's, as it is the front end's in imapsh: the output only reads it,
 * writes nothing once it has risen, and says how much it left out.  A
 * Ctrl-C while the output is blocked on a full pipe stops it at once.
 */
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "intr.h"
#include "output.h"
#include "stage.h"
#include "tap.h"

#define STAGED	(4u * 1024 * 1024)	/* bytes staged: past the buffer */

static volatile sig_atomic_t ctrl_c;

static void	on_alarm(int);
static struct stage *staged(void);
static off_t	file_size(int);
static int	temp_fd(void);
static void	test_emit_whole(void);
static void	test_emit_after_ctrl_c(void);
static void	test_blocked_pipe(void);
static void	test_resume(void);

static void
on_alarm(int sig)
{
	(void)sig;
	ctrl_c++;
}

/* A stage holding STAGED bytes of 'x'. */
static struct stage *
staged(void)
{
	struct stage	*st;
	char		*cause = NULL, chunk[4096];
	size_t		 i;

	if ((st = stage_new(&cause)) == NULL) {
		fprintf(stderr, "stage_new: %s\n", cause);
		exit(1);
	}
	memset(chunk, 'x', sizeof chunk);
	for (i = 0; i < STAGED; i += sizeof chunk)
		out_write(stage_out(st), chunk, sizeof chunk);
	return (st);
}

static off_t
file_size(int fd)
{
	return (lseek(fd, 0, SEEK_END));
}

static int
temp_fd(void)
{
	char	path[] = "/tmp/imapsh-test-stage-XXXXXX";
	int	fd;

	if ((fd = mkstemp(path)) == -1) {
		perror("mkstemp");
		exit(1);
	}
	unlink(path);
	return (fd);
}

/* No Ctrl-C: everything goes out, in pieces, nothing is counted. */
static void
test_emit_whole(void)
{
	struct stage	*st = staged();
	struct out	 o;
	int		 fd = temp_fd(), rc;

	out_init(&o, fd);
	out_stop_on_intr(&o);
	rc = stage_emit(st, &o, 0, NULL, 0, 0, NULL, NULL);
	out_flush(&o);
	ok(rc == 0 && file_size(fd) == (off_t)STAGED && o.unshown == 0,
	    "without Ctrl-C the whole stage is written: %lld of %u, %llu "
	    "not shown", (long long)file_size(fd), STAGED, o.unshown);
	close(fd);
	stage_free(st);
}

/* A Ctrl-C before: nothing is written, all of it is counted, the count
 * is left as it was. */
static void
test_emit_after_ctrl_c(void)
{
	struct stage	*st = staged();
	struct out	 o;
	int		 fd = temp_fd();

	out_init(&o, fd);
	out_stop_on_intr(&o);
	ctrl_c = 1;
	out_puts(&o, "head ");
	(void)stage_emit(st, &o, 0, NULL, 0, 0, NULL, NULL);
	out_flush(&o);
	ok(file_size(fd) == 0 && o.unshown == STAGED + 5 && ctrl_c == 1,
	    "after a Ctrl-C nothing is written and all is counted: %lld "
	    "written, %llu not shown, count %d", (long long)file_size(fd),
	    o.unshown, (int)ctrl_c);
	ctrl_c = 0;
	close(fd);
	stage_free(st);
}

/* A Ctrl-C while the write blocks on a pipe nobody reads: it stops
 * there, with what the pipe took written and the rest counted. */
static void
test_blocked_pipe(void)
{
	struct stage		*st = staged();
	struct sigaction	 sa;
	struct itimerval	 it;
	struct out		 o;
	struct timespec		 t0, t1;
	char			 buf[65536];
	unsigned long long	 got = 0;
	ssize_t			 n;
	double			 secs;
	int			 p[2];

	if (pipe(p) == -1) {
		perror("pipe");
		exit(1);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);		/* no SA_RESTART */
	memset(&it, 0, sizeof it);
	it.it_value.tv_usec = 200000;
	out_init(&o, p[1]);
	out_stop_on_intr(&o);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	setitimer(ITIMER_REAL, &it, NULL);
	(void)stage_emit(st, &o, 0, NULL, 0, 0, NULL, NULL);
	out_flush(&o);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	close(p[1]);
	while ((n = read(p[0], buf, sizeof buf)) > 0)
		got += (unsigned long long)n;
	close(p[0]);
	ok(ctrl_c == 1 && secs < 2.0 && got > 0 && got < STAGED &&
	    got + o.unshown == STAGED,
	    "a Ctrl-C stops a blocked write at once: %.2f s, %llu written, "
	    "%llu not shown", secs, got, o.unshown);
	ctrl_c = 0;
	stage_free(st);
}

/* out_resume() answers the Ctrl-Cs so far: writing goes on until the
 * next one. */
static void
test_resume(void)
{
	struct out	 o;
	int		 fd = temp_fd();

	out_init(&o, fd);
	out_stop_on_intr(&o);
	ctrl_c = 1;
	out_puts(&o, "dropped");
	out_flush(&o);
	out_resume(&o);
	out_puts(&o, "kept");
	out_flush(&o);
	ctrl_c = 2;
	out_puts(&o, "dropped again");
	out_flush(&o);
	ok(file_size(fd) == 4 && o.unshown == 7 + 13,
	    "out_resume: written after it until the next Ctrl-C: %lld "
	    "written, %llu not shown", (long long)file_size(fd), o.unshown);
	ctrl_c = 0;
	close(fd);
}

int
main(void)
{
	intr_watch(&ctrl_c);
	test_emit_whole();
	test_emit_after_ctrl_c();
	test_blocked_pipe();
	test_resume();
	printf("1..%d\n", tap_ntests);
	return (tap_status());
}
