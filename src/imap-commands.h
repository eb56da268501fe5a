/*
 * imap-commands.h: the session's states and imaplib's Commands table,
 * which says in which states each IMAP command may be sent.
 *
 * It is the one state table: the core checks every command against it
 * before sending, and the command layer asks it for the errors that
 * imaplib gives (uid, login, xatom).
 */
#ifndef IMAP_COMMANDS_H
#define IMAP_COMMANDS_H

enum imap_state {
	IMAP_LOGOUT,
	IMAP_NONAUTH,
	IMAP_AUTH,
	IMAP_SELECTED
};

/* "NONAUTH", "AUTH", "SELECTED" or "LOGOUT". */
const char	*imap_commands_state_name(enum imap_state);
/* The states a command is valid in, as imaplib names them ("AUTH,
 * SELECTED"), or NULL when the command is unknown.  The text is static:
 * it lasts until the next call. */
const char	*imap_commands_states(const char *name);
/* 1 if name is one of imaplib's own commands (what uid accepts). */
int		 imap_commands_is_imaplib(const char *name);
/* 1 if the command is valid in state, 0 if not, -1 when it is unknown. */
int		 imap_commands_allowed(const char *name, enum imap_state);
/* imaplib's error for a command not valid in state: "command NAME
 * illegal in state S, only allowed in states ...", allocated. */
char		*imap_commands_illegal(const char *name, enum imap_state);
/* Make an unknown command valid in state (xatom does this, as imaplib
 * adds it to its Commands dict); a known one is left as it is. */
void		 imap_commands_allow(const char *name, enum imap_state);

#endif
