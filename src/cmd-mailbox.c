/*
 * cmd-mailbox.c: the mailbox commands: select, close, check, expunge,
 * list, lsub, status, create, delete, rename, subscribe, unsubscribe.
 * Each is the imaplib method of the same name.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd-list.h"
#include "term.h"
#include "trace.h"


/* select(mailbox='INBOX', readonly=False) */
enum cmd_status
cmd_select(struct session *s, struct cmd_args *ca)
{
	struct cmd_wire	 cw;
	const struct pyval *ur;
	struct pyval	*data, *exists;
	enum imap_exc	 e;
	enum cmd_status	 st;
	const char	*mailbox = arg_str(ca->p[0]);
	char		*typ, *msg = NULL, *cause = NULL;
	int		 readonly;

	if (arg_bool(ca->p[1], &readonly, &cause) == -1) {
		st = cmd_error(s, "select: readonly: %s", cause);
		free(cause);
		return (st);
	}
	wire_init(&cw);
	if (wire_word(&cw, s, ca->p[0], 0, &cause) == -1) {
		st = cmd_error(s, "select: %s", cause);
		free(cause);
		return (st);
	}
	imap_ur_clear(s->im);		/* flush old responses */
	e = imap_simple_command(s->im, readonly ? "EXAMINE" : "SELECT",
	    cw.a, cw.n, &typ, &data, &msg);
	wire_free(&cw);
	if (e != IMAP_OK)
		return (cmd_exc(s, e, msg));
	if (strcmp(typ, "OK") != 0) {
		st = cmd_result(s, typ, data);
		free(typ);
		return (st);
	}
	free(s->mailbox);
	s->mailbox = xstrdup(mailbox);
	if (imap_ur_find(s->im, "READ-ONLY") != NULL && !readonly) {
		struct buf	b;

		free(typ);
		pv_free(data);
		buf_init(&b, 0);
		term_line(&b, mailbox, strlen(mailbox));
		buf_addstr(&b, " is not writable");
		return (cmd_exc(s, IMAP_READONLY, buf_steal(&b, NULL)));
	}
	pv_free(data);
	if ((ur = imap_ur_find(s->im, "EXISTS")) != NULL)
		exists = pv_copy(ur);
	else
		exists = pv_list1(pv_none());
	st = cmd_result(s, typ, exists);
	free(typ);
	return (st);
}

/* close(): the state is AUTH afterwards whatever happened. */
enum cmd_status
cmd_close(struct session *s, struct cmd_args *ca)
{
	enum cmd_status	st;

	st = cmd_simple(s, "CLOSE", NULL, NULL);
	return (st);
}

enum cmd_status
cmd_check(struct session *s, struct cmd_args *ca)
{
	return (cmd_simple(s, "CHECK", NULL, NULL));
}

enum cmd_status
cmd_expunge(struct session *s, struct cmd_args *ca)
{
	return (cmd_simple(s, "EXPUNGE", NULL, "EXPUNGE"));
}

int
cmd_list_build(struct session *s, struct cmd_args *ca, struct cmd_built *cb,
    char **cause)
{
	return (cmd_build_params(cb, s, ca, "LIST", 2, "LIST", cause));
}

int
cmd_lsub_build(struct session *s, struct cmd_args *ca, struct cmd_built *cb,
    char **cause)
{
	return (cmd_build_params(cb, s, ca, "LSUB", 2, "LSUB", cause));
}

int
cmd_status_build(struct session *s, struct cmd_args *ca, struct cmd_built *cb,
    char **cause)
{
	return (cmd_build_params(cb, s, ca, "STATUS", 2, "STATUS", cause));
}

enum cmd_status
cmd_create(struct session *s, struct cmd_args *ca)
{
	return (cmd_params(s, ca, "CREATE", 1, NULL));
}

enum cmd_status
cmd_delete(struct session *s, struct cmd_args *ca)
{
	return (cmd_params(s, ca, "DELETE", 1, NULL));
}

enum cmd_status
cmd_rename(struct session *s, struct cmd_args *ca)
{
	return (cmd_params(s, ca, "RENAME", 2, NULL));
}

enum cmd_status
cmd_subscribe(struct session *s, struct cmd_args *ca)
{
	return (cmd_params(s, ca, "SUBSCRIBE", 1, NULL));
}

enum cmd_status
cmd_unsubscribe(struct session *s, struct cmd_args *ca)
{
	return (cmd_params(s, ca, "UNSUBSCRIBE", 1, NULL));
}
