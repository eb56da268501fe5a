/*
 * imap-json.h: values as JSON, for scripts and jq.
 *
 * Schema (documented in imapsh(1), OUTPUT); json-line.c makes one such
 * object of each input line, adding "exit", "line" and "error":
 *   {"command": "fetch", "status": "OK", "data": [...]}
 *   {"command": "select", "status": "error", "error": "..."}
 * status is the typ imaplib returns (OK, NO, BAD, BYE, or the code name
 * for response), or "error", "abort", "readonly" for an exception.  In
 * data, bytes are {"text": "...", "base64": "..."}, "text" only when
 * they are valid UTF-8, so .base64 always holds them; str is a JSON
 * string; tuples and lists are arrays; None is null.
 * A literal is the second element of a [header, literal] array.
 */
#ifndef IMAP_JSON_H
#define IMAP_JSON_H

#include "output.h"
#include "pyval.h"

/* One value of the data (json-line.c writes the object around it). */
void	 json_print_value(struct out *, const struct pyval *);
/* A JSON string of UTF-8 text. */
void	 json_print_string(struct out *, const char *, size_t);

#endif
