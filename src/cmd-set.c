/*
 * cmd-set.c: the session's settings that `set` changes (color, debug,
 * format, timeout), each checked before it is taken.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "trace.h"

const char *const cmd_settings[] = { "color", "debug", "format", "timeout",
    NULL };

int
cmd_setting(struct session *s, const char *name, const char *value,
    char **cause)
{
	const char	*errstr;
	long long	 n;

	if (strcasecmp(name, "format") == 0) {
		if (strcasecmp(value, "python") == 0)
			s->format = FMT_PYTHON;
		else if (strcasecmp(value, "raw") == 0)
			s->format = FMT_RAW;
		else if (strcasecmp(value, "json") == 0)
			s->format = FMT_JSON;
		else {
			xasprintf(cause, "format must be python, raw or json, "
			    "not '%s'", value);
			return (-1);
		}
	} else if (strcasecmp(name, "color") == 0 ||
	    strcasecmp(name, "colour") == 0) {
		if (strcasecmp(value, "auto") == 0)
			s->color_mode = COLOR_AUTO;
		else if (strcasecmp(value, "always") == 0)
			s->color_mode = COLOR_ALWAYS;
		else if (strcasecmp(value, "never") == 0)
			s->color_mode = COLOR_NEVER;
		else {
			xasprintf(cause, "color must be auto, always or never, "
			    "not '%s'", value);
			return (-1);
		}
	} else if (strcasecmp(name, "debug") == 0) {
		n = strtonum(value, 0, TRACE_MAX_LEVEL, &errstr);
		if (errstr != NULL) {
			xasprintf(cause, "debug level must be 0 to %d, not "
			    "'%s'", TRACE_MAX_LEVEL, value);
			return (-1);
		}
		trace_level = (int)n;
	} else if (strcasecmp(name, "timeout") == 0) {
		n = strtonum(value, 0, 86400, &errstr);
		if (errstr != NULL) {
			xasprintf(cause, "timeout must be 0 to 86400 seconds, "
			    "not '%s'", value);
			return (-1);
		}
		s->timeout_ms = (int)n * 1000;
		if (s->im != NULL)	/* config.c's scratch has none */
			imap_set_timeout(s->im, s->timeout_ms);
	} else {
		xasprintf(cause, "unknown setting '%s': color, debug, format "
		    "or timeout", name);
		return (-1);
	}
	return (0);
}
