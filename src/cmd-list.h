/*
 * cmd-list.h: the exec functions of every command, and the builders of
 * those a script may send ahead, defined in the cmd-*.c family files and
 * listed in cmd_table[] (cmd.c).
 */
#ifndef CMD_LIST_H
#define CMD_LIST_H

#include "cmd.h"

#define CMD_DECL(n) enum cmd_status n(struct session *, struct cmd_args *)
/* The builders of the commands a script may send ahead (CMD_PIPE). */
#define CMD_BUILD_DECL(n) int n(struct session *, struct cmd_args *, \
			    struct cmd_built *, char **)

/* cmd-session.c */
/* The error of a command that needs a connection when there is none. */
enum cmd_status cmd_not_connected(struct session *);
CMD_DECL(cmd_connect);
CMD_DECL(cmd_reconnect);
CMD_DECL(cmd_logout);
CMD_DECL(cmd_capability);
CMD_DECL(cmd_noop);
CMD_BUILD_DECL(cmd_noop_build);
CMD_BUILD_DECL(cmd_namespace_build);
CMD_DECL(cmd_xatom);
CMD_DECL(cmd_starttls);
CMD_DECL(cmd_tls);
/* cmd-auth.c */
CMD_DECL(cmd_login);
CMD_DECL(cmd_login_cram_md5);
CMD_DECL(cmd_authenticate);
CMD_DECL(cmd_proxyauth);
/* cmd-mailbox.c */
CMD_DECL(cmd_select);
CMD_DECL(cmd_close);
CMD_DECL(cmd_check);
CMD_DECL(cmd_expunge);
CMD_BUILD_DECL(cmd_list_build);
CMD_BUILD_DECL(cmd_lsub_build);
CMD_BUILD_DECL(cmd_status_build);
CMD_DECL(cmd_create);
CMD_DECL(cmd_delete);
CMD_DECL(cmd_rename);
CMD_DECL(cmd_subscribe);
CMD_DECL(cmd_unsubscribe);
/* cmd-message.c */
CMD_BUILD_DECL(cmd_search_build);
CMD_BUILD_DECL(cmd_fetch_build);
/* The ahead facts of fetch and uid (struct cmd_entry). */
int cmd_fetch_ahead(const struct cmd_args *);
int cmd_uid_ahead(const struct cmd_args *);
CMD_DECL(cmd_store);
CMD_DECL(cmd_copy);
CMD_BUILD_DECL(cmd_uid_build);
CMD_DECL(cmd_append);
CMD_DECL(cmd_response);
CMD_DECL(cmd_recent);
CMD_DECL(cmd_responses);
/* cmd-idle.c */
CMD_DECL(cmd_idle);
CMD_DECL(cmd_raw);
CMD_DECL(cmd_compress);
/* cmd-local.c */
CMD_DECL(cmd_help);
CMD_DECL(cmd_debug);
CMD_DECL(cmd_log);
CMD_DECL(cmd_quit);
CMD_DECL(cmd_set);
CMD_DECL(cmd_show);
/* cmd-ext.c */
CMD_DECL(cmd_deleteacl);
CMD_BUILD_DECL(cmd_getacl_build);
CMD_DECL(cmd_setacl);
CMD_BUILD_DECL(cmd_myrights_build);
CMD_BUILD_DECL(cmd_getquota_build);
CMD_DECL(cmd_getquotaroot);
CMD_DECL(cmd_setquota);
CMD_DECL(cmd_examine);
CMD_DECL(cmd_unselect);
CMD_DECL(cmd_move);
CMD_DECL(cmd_partial);
CMD_BUILD_DECL(cmd_sort_build);
CMD_BUILD_DECL(cmd_thread_build);
CMD_DECL(cmd_enable);
CMD_DECL(cmd_id);
CMD_BUILD_DECL(cmd_getmetadata_build);
CMD_DECL(cmd_setmetadata);
CMD_BUILD_DECL(cmd_getannotation_build);
CMD_DECL(cmd_setannotation);
/* cmd-util.c */
CMD_DECL(cmd_internaldate2tuple);
CMD_DECL(cmd_int2ap);
CMD_DECL(cmd_parseflags);
CMD_DECL(cmd_time2internaldate);
CMD_DECL(cmd_utf7);

#endif
