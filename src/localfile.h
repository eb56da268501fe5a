/*
 * localfile.h: opening the user's own files (the configuration file,
 * password and token files, netrc, the history) so that none can block
 * imapsh or make it read or write something else than a file.
 *
 * A FIFO would block open() or read() forever, a device is not text, and
 * a symbolic link planted where imapsh writes would make it write over
 * another file.  localfile_open() opens without blocking (O_NONBLOCK,
 * cleared again once the type is known), checks the type on the open
 * descriptor (fstat, so no race between the check and the use) and
 * refuses anything but a regular file, and more as the flags ask.
 */
#ifndef LOCALFILE_H
#define LOCALFILE_H

#include <sys/stat.h>

#define LF_WRITE	0x1	/* open for reading and writing, create 0600 */
#define LF_NOFOLLOW	0x2	/* refuse a symbolic link */
#define LF_MINE		0x4	/* refuse another user's file (root's is fine) */
#define LF_NOWRITERS	0x8	/* refuse a file others (group, all) may write */

/*
 * Open path as flags say: a descriptor (close-on-exec, blocking), with its
 * stat in *sb when sb is not NULL; or -1 with *cause (NULL on entry) set
 * to "PATH: why" and errno kept (ENOENT: there is no such file).
 */
int	localfile_open(const char *path, int flags, struct stat *sb,
	    char **cause);

/* 1 if path is a regular file everyone may read (a secret in it is not
 * safe); 0 otherwise, or when it cannot be opened. */
int	localfile_world_readable(const char *path);

#endif
