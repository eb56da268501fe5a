/*
 * json-line.h: with --format json, one JSON value for each input line.
 *
 * The value of a line is opened by what the line prints (a result, or
 * the responses idle shows as they come) and closed once the line has
 * run, when its exit status is known:
 *   {"command": "fetch", "status": "OK", "data": [...], "exit": 0,
 *    "line": 3}
 * A line that prints no result (a parse error, an unknown command, a
 * usage error, a refused connection, a local command) gets its value when
 * it ends, its text output captured while it ran as the data.  "line" is
 * the input line's number in batch input (the session's lineno); "error"
 * is the first error's message, when there was one.
 */
#ifndef JSON_LINE_H
#define JSON_LINE_H

#include "output.h"
#include "pyval.h"

struct session;

/* A line starts; its values go to o. */
void	 json_line_begin(struct out *o);
/* Hold the text s->out receives until json_line_end(), as the data:
 * strings (bytes 0) or, for what a server sent, bytes values (1). */
void	 json_line_capture(struct session *, int bytes);
/* An error of the line, with its kind ("error", "abort", "readonly"). */
void	 json_line_error(const char *kind, const char *msg);
/* The status a line that prints no result ends with (raw's typ). */
void	 json_line_status(const char *typ);
/* A result: its value with data (NULL: null); or its head only, up to
 * "data": , for a printer that writes the data itself (sink-json.c,
 * responses) to the output returned: the line's, o's while o is being
 * captured. */
void	 json_line_result(struct out *, const char *command,
	    const char *status, const struct pyval *data);
struct out *json_line_head(struct out *o, const char *command,
	    const char *status);
/* A response shown as it comes (idle): the value's "responses" array
 * gets [typ, items]; the result that follows ends it. */
void	 json_line_event(struct out *, const char *command, const char *typ,
	    const struct pyval *items);
/* The line has run with status st (an enum cmd_status, the exit status
 * class): close its value, or write the one it did not print.  Nothing
 * unless the line began in JSON or is in JSON now. */
void	 json_line_end(struct session *, const char *command, int st);

#endif
