/*
 * redact.h: which words of a command line are credentials.
 *
 * The one place that knows it, for the two places that must hide them:
 * the trace (every line sent, whichever command built it: login and
 * authenticate, but also raw, xatom and the lines answering a "+") and
 * the interactive history (every line typed).  Nothing here does I/O.
 *
 * IMAP commands: everything after LOGIN's user name (the password, and
 * any further words, as a password typed with a blank in it by hand
 * would be) and everything after AUTHENTICATE's mechanism (the SASL
 * initial response); every line that answers a "+" in an AUTHENTICATE
 * exchange.
 */
#ifndef REDACT_H
#define REDACT_H

#include <stddef.h>

#include "xmalloc.h"

#define REDACTED	"<redacted>"

/* 1 if argument i (0 is the first after the name) of the IMAP command
 * name (len bytes, any case) is a credential. */
int	redact_imap_arg(const char *name, size_t len, size_t i);

/*
 * Append line, an IMAP command line as sent (tag, name, arguments; no
 * CRLF), to b with each credential argument replaced by REDACTED.
 * Returns the number replaced.  A literal's {N} stays: its bytes are
 * not part of the line.
 */
size_t	redact_imap_line(struct buf *b, const char *line, size_t len);

/* 1 if the lines answering a "+" to this command (its name first, no
 * tag) are credentials: an AUTHENTICATE exchange. */
int	redact_imap_exchange(const char *line, size_t len);

/*
 * 1 if a line typed to imapsh holds a credential, so it must not go into
 * the history: login, login_cram_md5 or authenticate with a secret (by
 * position or keyword), raw or xatom of an IMAP command with one, and any
 * other line (an unknown or ambiguous name, _simple_command('LOGIN', ...))
 * that names such a command and has two words after it.  A line the
 * lexer cannot read counts as one if it mentions login or auth at all.
 */
int	redact_typed_line(const char *line);

#endif
