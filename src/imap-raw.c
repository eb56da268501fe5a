/*
 * imap-raw.c: the raw command, a line sent as typed.
 *
 * No state check and no argument building: the text goes out after our
 * tag (or the person's own), each literal after the "+" its {N} asks for,
 * and the reply comes back as the server gave it, BAD included.  Only the
 * state the command's first word changes is kept in step with the
 * server.
 */
#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imap.h"
#include "imap-private.h"
#include "pyval.h"
#include "trace.h"
#include "transport.h"
#include "xmalloc.h"

static enum imap_exc imap_raw_send(struct imap *, const struct imap_arg *,
		    size_t, char **);
static enum imap_exc imap_raw_reply(struct imap *, const char *, int, char **,
		    struct pyval **, char **);

/*
 * Send a command as typed after tag (ours when tag is NULL), with no
 * state check: the raw command.  Each literal of parts goes after the
 * server's "+" for the {N} that ends the text before it (at once for
 * {N+}), and the text after it continues the line; cont, when not NULL,
 * answers every other "+" (as in imap_command_cont).  The reply is as for
 * imap_simple_command, without the BAD exception: raw shows what came.
 */
enum imap_exc
imap_raw_command(struct imap *im, const char *tag,
    const struct imap_arg *parts, size_t nparts, imap_cont_fn cont,
    void *arg, char **typ,
    struct pyval **data, char **msg)
{
	enum imap_exc	 e;
	size_t		 i;
	char		 word[32];
	int		 logout;

	*typ = NULL;
	*data = NULL;
	if (im->tr == NULL)
		return (imap_fail(im, IMAP_ABORT, msg, "not connected: use "
		    "'connect HOST [PORT]' or 'reconnect'"));
	if (imap_new_command(im, msg) != IMAP_OK)
		return (IMAP_ERROR);
	/* The command's name: its first word, for the state it changes. */
	for (i = 0; nparts > 0 && parts[0].type != IMAP_ARG_LITERAL &&
	    i < parts[0].len && i < sizeof word - 1 && parts[0].s[i] != ' ' &&
	    parts[0].s[i] != '\t'; i++)
		word[i] = parts[0].s[i];
	word[i] = '\0';
	imap_state_before(im, word);
	free(im->pending_tag);
	if (tag != NULL)
		im->pending_tag = xstrdup(tag);
	else
		xasprintf(&im->pending_tag, "%s%lu", im->tagpre,
		    im->tagnum++);
	im->pending_done = 0;
	if ((e = imap_raw_send(im, parts, nparts, msg)) != IMAP_OK)
		return (e);
	logout = nparts == 1 && parts[0].len == 6 &&
	    strncasecmp(parts[0].s, "LOGOUT", 6) == 0;
	/* Each "+" after that is answered by cont (a line typed by hand). */
	if (cont != NULL && !im->pending_done && !logout &&
	    (e = imap_continuations(im, cont, arg, msg)) != IMAP_OK)
		return (e);
	return (imap_raw_reply(im, word, logout, typ, data, msg));
}

/* raw's text pieces and literals, each literal after the "+" its {N}
 * asks for (at once for {N+}); stops early when the tagged reply comes. */
static enum imap_exc
imap_raw_send(struct imap *im, const struct imap_arg *parts, size_t nparts,
    char **msg)
{
	struct buf	 wire;
	enum imap_exc	 e;
	char		*cause = NULL;
	size_t		 i;
	int		 is_cont;

	buf_init(&wire, 0);
	buf_printf(&wire, "%s ", im->pending_tag);
	/* Text pieces and literals; the text before a literal ends in its
	 * {N} (wait for "+") or {N+} (LITERAL+: send at once). */
	for (i = 0; i < nparts && !im->pending_done; i++) {
		if (parts[i].type != IMAP_ARG_LITERAL) {
			buf_add(&wire, parts[i].s, parts[i].len);
			continue;
		}
		imap_trace_sent(wire.data, wire.len);
		is_cont = wire.len >= 2 &&
		    memcmp(wire.data + wire.len - 2, "+}", 2) == 0;
		buf_add(&wire, "\r\n", 2);
		if (tr_write_all(im->tr, wire.data, wire.len, im->timeout_ms,
		    &cause) == -1)
			goto write_failed;
		buf_reset(&wire);
		while (!is_cont && !im->pending_done)
			if ((e = imap_get_response(im, &is_cont, msg)) !=
			    IMAP_OK) {
				buf_free(&wire);
				return (e);
			}
		if (im->pending_done)
			break;
		if (trace_level >= 4)
			trace_msg("write literal size %llu",
			    (unsigned long long)parts[i].spool->size);
		if (imap_literal_write_spool(im, parts[i].spool,
		    parts[i].spool->size, &cause) == -1)
			goto write_failed;
	}
	if (!im->pending_done) {
		if (wire.len > 0)
			imap_trace_sent(wire.data, wire.len);
		buf_add(&wire, "\r\n", 2);
		if (tr_write_all(im->tr, wire.data, wire.len, im->timeout_ms,
		    &cause) == -1)
			goto write_failed;
	}
	buf_free(&wire);
	return (IMAP_OK);

write_failed:
	buf_free(&wire);
	return (imap_fail_io(im, msg, cause));
}

/* raw's tagged reply (or, for LOGOUT, the BYE), as imap_raw_command()
 * returns it; word is the command's name, for the state it changes. */
static enum imap_exc
imap_raw_reply(struct imap *im, const char *word, int logout, char **typ,
    struct pyval **data, char **msg)
{
	struct pyval	*bye;
	enum imap_exc	 e;
	int		 is_cont;

	for (;;) {
		if (im->pending_done)
			break;
		if (logout && (bye = imap_ur_pop(im, "BYE")) != NULL) {
			*typ = xstrdup("BYE");
			*data = bye;
			free(im->pending_tag);
			im->pending_tag = NULL;
			imap_shutdown(im);
			return (IMAP_OK);
		}
		if ((e = imap_get_response(im, &is_cont, msg)) != IMAP_OK)
			return (e);
	}
	imap_take_reply(im, typ, data);
	imap_state_after(im, word, strcmp(*typ, "OK") == 0);
	return (IMAP_OK);
}
