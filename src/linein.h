/*
 * linein.h: lines from a descriptor, and whether one is there now.
 */
#ifndef LINEIN_H
#define LINEIN_H

#include <stddef.h>

struct linein {
	int	 fd;
	char	*buf;
	size_t	 off;		/* start of unread bytes */
	size_t	 len;		/* end of unread bytes */
	size_t	 size;
	int	 eof;
};

void	 linein_init(struct linein *, int fd);
void	 linein_free(struct linein *);
/* The next line without its newline, waiting for it if need be; NULL at
 * the end of input.  *nul is set when the line held a NUL byte. */
char	*linein_get(struct linein *, int *nul);
/* 1 if linein_get would return without waiting. */
int	 linein_ready(struct linein *);

#endif
