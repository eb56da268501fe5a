/*
 * cmd-local.c: the shell's own commands: help, debug, log, quit, set and
 * show (whose message form is in cmd-show.c).
 * help is rendered from cmd_table[], so it cannot drift from what runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd-list.h"
#include "cmd-mech.h"
#include "cmd-show.h"
#include "imap-json.h"
#include "json-line.h"
#include "trace.h"

static void	cmd_help_one(struct session *, const struct cmd_entry *);
static void	cmd_show_value(struct session *, size_t, char *, size_t);

static void
cmd_help_one(struct session *s, const struct cmd_entry *ce)
{
	struct buf	b;

	buf_init(&b, 0);
	cmd_usage(ce, &b);
	out_printf(s->out, "usage: %s\n", b.data);
	buf_free(&b);
	out_printf(s->out, "  %s\n", ce->summary);
	if (ce->alias != NULL)
		out_printf(s->out, "  alias: %s\n", ce->alias);
	if (ce->imap[0] != '\0')
		out_printf(s->out, "  sends: %s\n", ce->imap);
	if (ce->capability != NULL)
		out_printf(s->out, "  needs: the %s capability\n",
		    ce->capability);
	if (ce->flags & CMD_NOT_IMAPLIB)
		out_printf(s->out, "  as imaplib: none (imaplib has no %s())\n",
		    ce->name);
	else if ((ce->flags & CMD_LOCAL) == 0 &&
	    strcmp(ce->name, "response") != 0)
		out_printf(s->out, "  as imaplib: IMAP4.%s()\n", ce->name);
	if (ce->flags & CMD_PIPE)
		out_printf(s->out, "  pipelined in scripts when it changes "
		    "nothing (imapsh(1), Pipelining)\n");
	out_printf(s->out, "  example: %s\n", ce->example);
	if (strcmp(ce->name, "authenticate") == 0)
		cmd_mech_help(s);
}

enum cmd_status
cmd_help(struct session *s, struct cmd_args *ca)
{
	const struct cmd_entry	*ce;
	const char		*group = NULL;
	char			*cause = NULL;
	size_t			 i, j, width = 0;
	enum cmd_status		 st;

	if (!arg_is_none(ca->p[0])) {
		if ((ce = cmd_find(arg_str(ca->p[0]), &cause)) == NULL) {
			st = cmd_error(s, "%s", cause);
			free(cause);
			return (st);
		}
		cmd_help_one(s, ce);
		return (CMD_OK);
	}
	for (i = 0; i < cmd_count; i++) {
		ce = &cmd_table[i];
		if (group == NULL || strcmp(group, ce->group) != 0) {
			group = ce->group;
			out_printf(s->out, "%s%s:\n", i == 0 ? "" : "\n",
			    group);
			/* Aligned per group: the long utility names
			 * (Internaldate2tuple) do not push the rest right. */
			width = 0;
			for (j = i; j < cmd_count &&
			    strcmp(cmd_table[j].group, group) == 0; j++)
				if (strlen(cmd_table[j].name) > width)
					width = strlen(cmd_table[j].name);
		}
		out_printf(s->out, "  %-*s  %s\n", (int)width, ce->name,
		    ce->summary);
	}
	out_puts(s->out, "\nArguments are words; (groups), [groups] and "
	    "\"strings\" stay whole and are sent as typed;\n'single quotes' "
	    "make one argument, quoted as needed ('C D' sends \"C D\"); None "
	    "leaves\nan argument out.  Python calls such as fetch('1', "
	    "'(FLAGS)') work too.\n'help COMMAND' shows one command.\n");
	return (CMD_OK);
}

enum cmd_status
cmd_debug(struct session *s, struct cmd_args *ca)
{
	const char	*errstr;
	long long	 level;

	if (arg_is_none(ca->p[0])) {
		out_printf(s->out, "debug level %d\n", trace_level);
		return (CMD_OK);
	}
	level = strtonum(arg_str(ca->p[0]), 0, TRACE_MAX_LEVEL, &errstr);
	if (errstr != NULL)
		return (cmd_error(s, "debug: level must be 0 to %d, not '%s'",
		    TRACE_MAX_LEVEL, arg_str(ca->p[0])));
	trace_level = (int)level;
	return (CMD_OK);
}

enum cmd_status
cmd_log(struct session *s, struct cmd_args *ca)
{
	out_flush(s->out);
	trace_print_log();
	return (CMD_OK);
}

/* quit: log out quietly when connected (as imaplib's with-statement). */
enum cmd_status
cmd_quit(struct session *s, struct cmd_args *ca)
{
	struct pyval	*data;
	char		*typ = NULL, *msg = NULL;

	if (imap_connected(s->im) && imap_state(s->im) != IMAP_LOGOUT) {
		if (imap_simple_command(s->im, "LOGOUT", NULL, 0, &typ,
		    &data, &msg) == IMAP_OK) {
			free(typ);
			pv_free(data);
		} else
			free(msg);
	}
	imap_shutdown(s->im);
	s->quit = 1;
	return (CMD_OK);
}

/* set(name, value): a session setting, as its option would. */
enum cmd_status
cmd_set(struct session *s, struct cmd_args *ca)
{
	char		*cause = NULL;
	enum cmd_status	 st;

	if (cmd_setting(s, arg_str(ca->p[0]), arg_str(ca->p[1]),
	    &cause) == -1) {
		st = cmd_error(s, "set: %s", cause);
		free(cause);
		return (st);
	}
	return (CMD_OK);
}

/* The value of setting i of cmd_settings[], as show prints it. */
static void
cmd_show_value(struct session *s, size_t i, char *v, size_t len)
{
	static const char *const formats[] = { "python", "raw", "json" };
	static const char *const colors[] = { "auto", "always", "never" };

	if (strcmp(cmd_settings[i], "format") == 0)
		strlcpy(v, formats[s->format], len);
	else if (strcmp(cmd_settings[i], "color") == 0)
		strlcpy(v, colors[s->color_mode], len);
	else if (strcmp(cmd_settings[i], "debug") == 0)
		snprintf(v, len, "%d", trace_level);
	else if (strcmp(cmd_settings[i], "timeout") == 0)
		snprintf(v, len, "%d", s->timeout_ms / 1000);
	else
		strlcpy(v, "", len);
}

/*
 * show(name=None, part=None): one setting or all of them, a "name value"
 * line each, in JSON an object of them, the numbers as numbers; or, given
 * a message set, messages for reading (cmd-show.c).
 */
enum cmd_status
cmd_show(struct session *s, struct cmd_args *ca)
{
	const char	*name = arg_is_none(ca->p[0]) ? NULL : arg_str(ca->p[0]);
	struct out	*o = NULL;
	char		 v[32];
	size_t		 i;
	int		 found = 0;

	if (name != NULL && cmd_show_is_msgset(name))
		return (cmd_show_messages(s, ca));
	if (!arg_is_none(ca->p[1]))
		return (cmd_error(s, "show: a part goes after a message set "
		    "(show 1 2), not after a setting"));
	for (i = 0; cmd_settings[i] != NULL; i++) {
		if (name != NULL && strcasecmp(name, cmd_settings[i]) != 0)
			continue;
		cmd_show_value(s, i, v, sizeof v);
		if (s->format != FMT_JSON)
			out_printf(s->out, "%s %s\n", cmd_settings[i], v);
		else {
			if (o == NULL) {
				o = json_line_head(s->out, "show", "OK");
				out_putc(o, '{');
			} else
				out_puts(o, ", ");
			json_print_string(o, cmd_settings[i],
			    strlen(cmd_settings[i]));
			out_puts(o, ": ");
			if (v[strspn(v, "0123456789")] == '\0')
				out_puts(o, v);
			else
				json_print_string(o, v, strlen(v));
		}
		found = 1;
	}
	if (o != NULL)
		out_putc(o, '}');
	if (!found)
		return (cmd_error(s, "show: unknown setting '%s': color, "
		    "debug, format or timeout (or a message set: show 1)",
		    name));
	return (CMD_OK);
}
