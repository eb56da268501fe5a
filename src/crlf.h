/*
 * crlf.h: the line ends of a message imapsh sends (APPEND), and a message
 * file sent as a literal straight from the file.
 *
 * The rule is imaplib's MapCRLF: "\r\n", a lone "\r" and a lone "\n" each
 * become "\r\n"; no other byte changes, and a last line without a line end
 * stays without one.  crlf_convert() applies it to a stream cut anywhere;
 * crlf_count() gives the size it would produce without producing it.
 *
 * A crlf_file is a regular file measured once when it is opened (the
 * literal's size, and whether any line end needs changing) and sent when
 * the server says "+": with sendfile(2) when nothing needs changing and
 * the transport allows it, else read and converted chunk by chunk.  It is
 * never copied, and memory does not grow with its size.
 */
#ifndef CRLF_H
#define CRLF_H

#include <stddef.h>
#include <stdint.h>

struct transport;
struct crlf_file;

/*
 * Convert n bytes of in into out, which has room for 2 * n.  *cr carries
 * "the last byte was \r" from one call to the next (0 at the start).
 * Returns the number of bytes written.
 */
size_t		 crlf_convert(int *cr, const char *in, size_t n, char *out);
/* What crlf_convert() would write for the same bytes and state. */
uint64_t	 crlf_count(int *cr, const char *in, size_t n);

/*
 * Measure the file open on fd as the literal pre, the file with CRLF line
 * ends, post; name is for messages.  On success the crlf_file owns fd.
 * NULL with *cause when the file cannot be read; NULL with *cause left
 * NULL when it is not a regular file, is empty, or changed while it was
 * measured: nothing was taken from fd's offset, so the caller can read it
 * as a stream instead.
 */
struct crlf_file *crlf_file_open(int fd, const char *name, const char *pre,
		    const char *post, char **cause);
/* The literal's size: the number of bytes crlf_file_send() sends. */
uint64_t	 crlf_file_size(const struct crlf_file *);
/*
 * Send the literal over t.  progress, when not NULL, is told how far it
 * has come (done == total at the end).  0 when exactly the measured size
 * went; -1 and *cause otherwise, and also when the file changed since it
 * was measured: the server then holds a literal that is not the file, so
 * the caller must drop the connection before the command line ends.
 * Never more than the measured size is sent.
 */
int		 crlf_file_send(struct crlf_file *, struct transport *t,
		    int timeout_ms, void (*progress)(void *, uint64_t,
		    uint64_t, int), void *progress_arg, char **cause);
void		 crlf_file_free(struct crlf_file *);

#endif
