/*
 * imap-commands.c: imaplib's Commands table, the states each IMAP command
 * may be sent in, and the names of the states.
 *
 * imaplib checks every command against this table before sending it and
 * raises "command X illegal in state Y, only allowed in states Z"; the
 * core does the same (imap.c), and uid, login and xatom ask it too.  The
 * table is imaplib 3.11's, in its order, then the commands imapsh speaks
 * beyond it; xatom adds commands as imaplib's does to its dict.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imap-commands.h"
#include "xmalloc.h"

#define S_NONAUTH	0x1
#define S_AUTH		0x2
#define S_SELECTED	0x4
#define S_LOGOUT	0x8

/* imaplib's Commands table: name and the states it is valid in; the
 * entries past UNSELECT are not imaplib's (uid refuses them). */
static const struct {
	const char	*name;
	int		 states;
} imap_commands_table[] = {
	{ "APPEND",		S_AUTH | S_SELECTED },
	{ "AUTHENTICATE",	S_NONAUTH },
	{ "CAPABILITY",		S_NONAUTH | S_AUTH | S_SELECTED | S_LOGOUT },
	{ "CHECK",		S_SELECTED },
	{ "CLOSE",		S_SELECTED },
	{ "COPY",		S_SELECTED },
	{ "CREATE",		S_AUTH | S_SELECTED },
	{ "DELETE",		S_AUTH | S_SELECTED },
	{ "DELETEACL",		S_AUTH | S_SELECTED },
	{ "ENABLE",		S_AUTH },
	{ "EXAMINE",		S_AUTH | S_SELECTED },
	{ "EXPUNGE",		S_SELECTED },
	{ "FETCH",		S_SELECTED },
	{ "GETACL",		S_AUTH | S_SELECTED },
	{ "GETANNOTATION",	S_AUTH | S_SELECTED },
	{ "GETQUOTA",		S_AUTH | S_SELECTED },
	{ "GETQUOTAROOT",	S_AUTH | S_SELECTED },
	{ "MYRIGHTS",		S_AUTH | S_SELECTED },
	{ "LIST",		S_AUTH | S_SELECTED },
	{ "LOGIN",		S_NONAUTH },
	{ "LOGOUT",		S_NONAUTH | S_AUTH | S_SELECTED | S_LOGOUT },
	{ "LSUB",		S_AUTH | S_SELECTED },
	{ "MOVE",		S_SELECTED },
	{ "NAMESPACE",		S_AUTH | S_SELECTED },
	{ "NOOP",		S_NONAUTH | S_AUTH | S_SELECTED | S_LOGOUT },
	{ "PARTIAL",		S_SELECTED },
	{ "PROXYAUTH",		S_AUTH },
	{ "RENAME",		S_AUTH | S_SELECTED },
	{ "SEARCH",		S_SELECTED },
	{ "SELECT",		S_AUTH | S_SELECTED },
	{ "SETACL",		S_AUTH | S_SELECTED },
	{ "SETANNOTATION",	S_AUTH | S_SELECTED },
	{ "SETQUOTA",		S_AUTH | S_SELECTED },
	{ "SORT",		S_SELECTED },
	{ "STARTTLS",		S_NONAUTH },
	{ "STATUS",		S_AUTH | S_SELECTED },
	{ "STORE",		S_SELECTED },
	{ "SUBSCRIBE",		S_AUTH | S_SELECTED },
	{ "THREAD",		S_SELECTED },
	{ "UID",		S_SELECTED },
	{ "UNSUBSCRIBE",	S_AUTH | S_SELECTED },
	{ "UNSELECT",		S_SELECTED },
	/* Beyond imaplib 3.11's table: IDLE as imaplib 3.14 has it, and the
	 * extensions imapsh speaks. */
	{ "COMPRESS",		S_AUTH | S_SELECTED },
	{ "GETMETADATA",	S_AUTH | S_SELECTED },
	{ "ID",			S_NONAUTH | S_AUTH | S_SELECTED },
	{ "IDLE",		S_AUTH | S_SELECTED },
	{ "SETMETADATA",	S_AUTH | S_SELECTED },
};
#define NCOMMANDS	(sizeof imap_commands_table / sizeof imap_commands_table[0])

/* Commands that xatom made valid: name -> states, as imaplib mutates its
 * Commands dict.  Process-wide, as imaplib's is. */
static struct {
	char	*name;
	int	 states;
} *imap_commands_extra;
static size_t	imap_commands_nextra;


static int	imap_commands_states_of(const char *);
static int	imap_commands_state_bit(enum imap_state);
static void	imap_commands_states_str(int, char *, size_t);

const char *
imap_commands_state_name(enum imap_state s)
{
	switch (s) {
	case IMAP_NONAUTH:
		return ("NONAUTH");
	case IMAP_AUTH:
		return ("AUTH");
	case IMAP_SELECTED:
		return ("SELECTED");
	case IMAP_LOGOUT:
		break;
	}
	return ("LOGOUT");
}

static int
imap_commands_state_bit(enum imap_state s)
{
	switch (s) {
	case IMAP_NONAUTH:
		return (S_NONAUTH);
	case IMAP_AUTH:
		return (S_AUTH);
	case IMAP_SELECTED:
		return (S_SELECTED);
	case IMAP_LOGOUT:
		break;
	}
	return (S_LOGOUT);
}

/* The states bitmask of a command, 0 when unknown. */
static int
imap_commands_states_of(const char *name)
{
	size_t	i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcasecmp(imap_commands_table[i].name, name) == 0)
			return (imap_commands_table[i].states);
	for (i = 0; i < imap_commands_nextra; i++)
		if (strcasecmp(imap_commands_extra[i].name, name) == 0)
			return (imap_commands_extra[i].states);
	return (0);
}

/* "AUTH, SELECTED" in imaplib's order. */
static void
imap_commands_states_str(int states, char *out, size_t len)
{
	static const struct {
		int		 bit;
		const char	*name;
	} order[] = {
		{ S_NONAUTH, "NONAUTH" }, { S_AUTH, "AUTH" },
		{ S_SELECTED, "SELECTED" }, { S_LOGOUT, "LOGOUT" },
	};
	size_t	i;

	*out = '\0';
	for (i = 0; i < sizeof order / sizeof order[0]; i++) {
		if ((states & order[i].bit) == 0)
			continue;
		if (*out != '\0')
			strlcat(out, ", ", len);
		strlcat(out, order[i].name, len);
	}
}

int
imap_commands_is_imaplib(const char *name)
{
	size_t	i;

	for (i = 0; i < NCOMMANDS; i++) {
		if (strcasecmp(imap_commands_table[i].name, name) == 0)
			return (1);
		if (strcmp(imap_commands_table[i].name, "UNSELECT") == 0)
			break;
	}
	return (0);
}

const char *
imap_commands_states(const char *name)
{
	static char	s[64];
	int		states;

	if ((states = imap_commands_states_of(name)) == 0)
		return (NULL);
	imap_commands_states_str(states, s, sizeof s);
	return (s);
}

int
imap_commands_allowed(const char *name, enum imap_state state)
{
	int	states;

	if ((states = imap_commands_states_of(name)) == 0)
		return (-1);
	return ((states & imap_commands_state_bit(state)) != 0);
}

char *
imap_commands_illegal(const char *name, enum imap_state state)
{
	char	states[64], *msg;

	imap_commands_states_str(imap_commands_states_of(name), states,
	    sizeof states);
	xasprintf(&msg, "command %s illegal in state %s, only allowed in "
	    "states %s", name, imap_commands_state_name(state), states);
	return (msg);
}

void
imap_commands_allow(const char *name, enum imap_state state)
{
	if (imap_commands_states_of(name) != 0)
		return;
	imap_commands_extra = xreallocarray(imap_commands_extra,
	    imap_commands_nextra + 1, sizeof *imap_commands_extra);
	imap_commands_extra[imap_commands_nextra].name = xstrdup(name);
	imap_commands_extra[imap_commands_nextra].states =
	    imap_commands_state_bit(state);
	imap_commands_nextra++;
}
