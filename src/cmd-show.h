/*
 * cmd-show.h: show MSGSET [PART], messages laid out for a person to read.
 *
 * show shares its name with the settings command (show, show format):
 * cmd_show() in cmd-local.c sends it here when its first argument is not
 * a setting's name, and a message set never is one.
 */
#ifndef CMD_SHOW_H
#define CMD_SHOW_H

#include "cmd.h"

/* 1 if arg looks like a message set (digits, ':', ',', '*'). */
int		 cmd_show_is_msgset(const char *arg);
/* show(msgset, part=None) */
enum cmd_status	 cmd_show_messages(struct session *, struct cmd_args *);

#endif
