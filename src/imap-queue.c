/*
 * imap-queue.c: commands sent ahead of their run (pipelining, RFC 3501
 * section 5.5).
 *
 * A script's independent commands go out before the replies of the ones
 * ahead of them: imap_send_ahead() sends a command and files its tag
 * here; the command's run later takes the oldest one with
 * imap_collect_ahead(), its tag and its reply if that came already, and
 * reads the rest as if it had just sent it.  Replies are read in the order
 * they come, so what each command returns is what it would return run one
 * by one from a server that answers in order.  Untagged data carries no
 * tag: a FETCH response that comes before its FETCH's run is told from
 * another FETCH's by the message set each asked for, and kept for it,
 * under a budget in bytes that all such FETCHes share.
 */
#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imap.h"
#include "imap-private.h"
#include "imap-untagged.h"
#include "pyval.h"
#include "trace.h"
#include "transport.h"
#include "xmalloc.h"

/* What an item costs in a bucket besides itself: its slot in the list's
 * array, which grows by doubling (as the dictionary counts it). */
#define IMAP_QUEUE_ITEM_SLOT	(2 * sizeof(struct pyval *))

static int	imap_queue_uses_seqs(const char *);
static enum imap_exc imap_queue_presend(struct imap *, const char *,
		    const struct imap_arg *, size_t, const char *, char **);
static char	*imap_queue_adopt(struct imap *);
static int	imap_queue_fetch_set(const char *, const struct imap_arg *,
		    size_t, uint32_t **, size_t *);
static int	imap_queue_sets_apart(const struct imap_ahead *,
		    const uint32_t *, size_t, int);
static void	imap_queue_bucket_add(struct imap *, struct imap_ahead *,
		    struct pyval *);
static void	imap_queue_bucket_report(struct imap *, struct imap_ahead *);

/* Commands that name messages by sequence number.  RFC 3501 (7.4.1)
 * lets a server send EXPUNGE during any command but these, so one may
 * only follow commands of this kind. */
static int
imap_queue_uses_seqs(const char *name)
{
	return (strcmp(name, "FETCH") == 0 || strcmp(name, "SEARCH") == 0 ||
	    strcmp(name, "SORT") == 0 || strcmp(name, "THREAD") == 0 ||
	    strcmp(name, "STORE") == 0 || strcmp(name, "COPY") == 0 ||
	    strcmp(name, "MOVE") == 0);
}

/* Send a command ahead of its run: IMAP_SENT, or IMAP_ERROR when it must
 * wait for the replies before it (nothing was sent). */
static enum imap_exc
imap_queue_presend(struct imap *im, const char *name,
    const struct imap_arg *args, size_t nargs, const char *key, char **msg)
{
	struct imap_ahead	*ah;
	struct buf		 line, shown, wire;
	char			*tag, *cause = NULL;
	uint32_t		*set = NULL;
	size_t			 i, nset = 0;
	int			 byuid;

	if (im->pending_tag != NULL ||
	    im->nahead >= im->ahead_max || im->cancelled ||
	    (imap_ur_find(im, "READ-ONLY") != NULL && !im->is_readonly))
		goto not_sent;
	/* Untagged data carries no tag: two commands whose runs take the
	 * same name (two FETCHes) cannot be told apart, as servers may run
	 * them side by side and mix their responses. */
	byuid = imap_queue_fetch_set(name, args, nargs, &set, &nset);
	if (key != NULL)
		for (i = 0; i < im->nahead; i++)
			if (im->ahead[i].key != NULL &&
			    strcmp(im->ahead[i].key, key) == 0 &&
			    !imap_queue_sets_apart(&im->ahead[i], set, nset,
			    byuid))
				goto not_sent;
	if (imap_queue_uses_seqs(name))
		for (i = 0; i < im->nahead; i++)
			if (!im->ahead[i].done &&
			    (strcmp(im->ahead[i].name, "FETCH") != 0 &&
			    strcmp(im->ahead[i].name, "SEARCH") != 0))
				goto not_sent;
	buf_init(&line, 0);
	buf_init(&shown, 0);
	buf_addstr(&line, name);
	buf_addstr(&shown, name);
	if (imap_args_text(args, nargs, 0, &line, &shown) != nargs) {
		buf_wipe(&line);	/* a literal waits for "+" */
		buf_free(&shown);
		goto not_sent;
	}
	xasprintf(&tag, "%s%lu", im->tagpre, im->tagnum++);
	buf_init(&wire, 0);
	buf_printf(&wire, "%s ", tag);
	buf_add(&wire, shown.data, shown.len);
	imap_trace_sent(wire.data, wire.len);
	buf_free(&shown);
	buf_reset(&wire);
	buf_printf(&wire, "%s ", tag);
	buf_add(&wire, line.data, line.len);
	buf_add(&wire, "\r\n", 2);
	if (tr_write_all(im->tr, wire.data, wire.len, im->timeout_ms,
	    &cause) == -1) {
		/* The run sends it again and reports what happens. */
		free(cause);
		free(tag);
		buf_wipe(&wire);
		buf_wipe(&line);
		goto not_sent;
	}
	buf_wipe(&wire);
	im->ahead = xreallocarray(im->ahead, im->nahead + 1,
	    sizeof *im->ahead);
	ah = &im->ahead[im->nahead++];
	memset(ah, 0, sizeof *ah);
	ah->tag = tag;
	ah->name = xstrdup(name);
	ah->key = key != NULL ? xstrdup(key) : NULL;
	buf_wipe(&line);
	ah->set = set;
	ah->nset = nset;
	ah->byuid = byuid;
	return (IMAP_SENT);

not_sent:
	free(set);
	*msg = xstrdup("not pipelined");
	return (IMAP_ERROR);
}

/* The oldest command sent ahead becomes the command in flight: it takes
 * its tag, and its reply if that came already.  Returns its name (the
 * caller's), or NULL when none is waiting for its run. */
static char *
imap_queue_adopt(struct imap *im)
{
	struct imap_ahead	*ah = NULL;
	char			*name;
	size_t			 i;

	for (i = 0; i < im->nahead; i++)
		if (!im->ahead[i].orphan) {
			ah = &im->ahead[i];
			break;
		}
	if (ah == NULL)
		return (NULL);
	free(im->pending_tag);
	im->pending_tag = ah->tag;
	ah->tag = NULL;
	free(im->pending_typ);
	im->pending_typ = ah->typ;
	ah->typ = NULL;
	pv_free(im->pending_data);
	im->pending_data = ah->data;
	ah->data = NULL;
	im->pending_done = ah->done;
	if (ah->bucket != NULL) {
		/* Its responses that came early join the dictionary now,
		 * where they would be had it been sent just before. */
		for (i = 0; i < ah->bucket->n; i++) {
			imap_append_untagged(im, ah->key, ah->bucket->items[i]);
			ah->bucket->items[i] = NULL;
		}
		ah->bucket->n = 0;
	}
	imap_queue_bucket_report(im, ah);
	if (trace_level >= 4)
		trace_msg("%s was sent ahead (pipelined)", im->pending_tag);
	name = ah->name;
	ah->name = NULL;
	imap_queue_remove(im, (size_t)(ah - im->ahead));
	return (name);
}

void
imap_ahead_orphan(struct imap *im)
{
	size_t	i;

	for (i = 0; i < im->nahead; i++)
		im->ahead[i].orphan = 1;
	/* Those answered already are dropped now. */
	for (i = im->nahead; i > 0; i--)
		if (im->ahead[i - 1].done)
			imap_queue_remove(im, i - 1);
}

/*
 * The message set of FETCH set ... or UID FETCH set ... when it is plain
 * numbers and ranges (no *, no $): malloc'd lo, hi pairs in *set.
 * Returns 1 for UIDs, 0 for sequence numbers; *set is NULL for anything
 * else.
 */
static int
imap_queue_fetch_set(const char *name, const struct imap_arg *args,
    size_t nargs, uint32_t **set, size_t *nset)
{
	const struct imap_arg	*a;
	const char		*p, *end;
	unsigned long long	 lo, hi, t;
	int			 byuid;

	*set = NULL;
	*nset = 0;
	if (strcmp(name, "FETCH") == 0 && nargs >= 1) {
		a = &args[0];
		byuid = 0;
	} else if (strcmp(name, "UID") == 0 && nargs >= 2 &&
	    args[0].len == 5 && strncasecmp(args[0].s, "FETCH", 5) == 0) {
		a = &args[1];
		byuid = 1;
	} else
		return (0);
	if (a->type != IMAP_ARG_TEXT)
		return (byuid);
	p = a->s;
	end = a->s + a->len;
	while (p < end) {
		if (*nset >= 2 * 64)
			goto bad;
		for (lo = 0; p < end && *p >= '0' && *p <= '9'; p++)
			if ((lo = lo * 10 + (unsigned)(*p - '0')) > UINT32_MAX)
				goto bad;
		hi = lo;
		if (p < end && *p == ':') {
			if (++p == end || *p < '0' || *p > '9')
				goto bad;
			for (hi = 0; p < end && *p >= '0' && *p <= '9'; p++)
				if ((hi = hi * 10 + (unsigned)(*p - '0')) >
				    UINT32_MAX)
					goto bad;
		}
		if (lo == 0 || hi == 0 || (p < end && *p != ','))
			goto bad;
		if (p < end && ++p == end)
			goto bad;
		if (lo > hi) {
			t = lo;
			lo = hi;
			hi = t;
		}
		*set = xreallocarray(*set, *nset + 2, sizeof **set);
		(*set)[(*nset)++] = (uint32_t)lo;
		(*set)[(*nset)++] = (uint32_t)hi;
	}
	if (*nset > 0)
		return (byuid);
bad:
	free(*set);
	*set = NULL;
	*nset = 0;
	return (byuid);
}

/* 1 if a FETCH sent ahead and one with set (byuid) cannot claim the same
 * response: both sets known, of the same kind, and disjoint. */
static int
imap_queue_sets_apart(const struct imap_ahead *ah, const uint32_t *set,
    size_t nset, int byuid)
{
	size_t	i, j;

	if (ah->set == NULL || set == NULL || ah->byuid != byuid)
		return (0);
	for (i = 0; i < ah->nset; i += 2)
		for (j = 0; j < nset; j += 2)
			if (ah->set[i] <= set[j + 1] &&
			    set[j] <= ah->set[i + 1])
				return (0);
	return (1);
}

/*
 * The FETCH sent ahead whose set holds this response's message: seq is
 * the response's number; parts are its items (bytes, or (bytes, literal)
 * tuples), in which "UID n" is looked for at the outer level.
 */
struct imap_ahead *
imap_queue_fetch_owner(struct imap *im, unsigned long long seq,
    const struct pyval *parts)
{
	const struct pyval	*v;
	const char		*p, *end;
	unsigned long long	 uid = 0, id;
	size_t			 i, j;
	int			 depth = 0, quoted = 0, esc = 0;

	for (i = 0; i < parts->n && uid == 0; i++) {
		v = parts->items[i];
		if (v->type == PV_TUPLE && v->n == 2)
			v = v->items[0];
		if (v->type != PV_BYTES || v->s == NULL)
			continue;
		p = v->s;
		end = v->s + v->len;
		for (; p < end && uid == 0; p++) {
			if (quoted) {
				if (esc)
					esc = 0;
				else if (*p == '\\')
					esc = 1;
				else if (*p == '"')
					quoted = 0;
				continue;
			}
			if (*p == '"')
				quoted = 1;
			else if (*p == '(')
				depth++;
			else if (*p == ')')
				depth--;
			else if (depth == 1 && end - p > 4 &&
			    strncasecmp(p, "UID ", 4) == 0 &&
			    (p[-1] == '(' || p[-1] == ' ')) {
				for (p += 4; p < end && *p >= '0' &&
				    *p <= '9' && uid < UINT32_MAX; p++)
					uid = uid * 10 + (unsigned)(*p - '0');
				p--;
			}
		}
	}
	for (i = 0; i < im->nahead; i++) {
		struct imap_ahead	*ah = &im->ahead[i];

		if (ah->done || ah->orphan || ah->set == NULL)
			continue;
		if ((id = ah->byuid ? uid : seq) == 0)
			continue;
		for (j = 0; j < ah->nset; j += 2)
			if (ah->set[j] <= id && id <= ah->set[j + 1])
				return (ah);
	}
	return (NULL);
}

/* File a FETCH response's items (route, freed) under typ, or in the
 * bucket of owner, the FETCH sent ahead that asked for it. */
void
imap_queue_file_fetch(struct imap *im, const char *typ, struct pyval *route,
    struct imap_ahead *owner, int trace)
{
	size_t	i;

	if (route == NULL)
		return;
	if (owner != NULL && trace && trace_level >= 5)
		trace_msg("FETCH response for %s (sent ahead) kept for its "
		    "run", owner->tag);
	for (i = 0; i < route->n; i++) {
		if (owner == NULL)
			imap_append_untagged(im, typ, route->items[i]);
		else
			imap_queue_bucket_add(im, owner, route->items[i]);
		route->items[i] = NULL;
	}
	route->n = 0;
	pv_free(route);
}

/*
 * Keep item (taken) in the bucket of owner, a FETCH sent ahead, for its
 * run.  The buckets of all the commands sent ahead share one budget in
 * bytes (imap_set_ahead_budget()), measured as the dictionary measures
 * its items.  Past it, this item and every later one of owner's are
 * dropped and counted, so what is kept is the first of its responses, in
 * order; the drop is told when the run takes the bucket.  Unlike the
 * dictionary, which drops its oldest items, this drops the newest: the
 * oldest held may be another FETCH's, and a run is to lose only its own
 * responses, never because another FETCH was answered first.
 */
static void
imap_queue_bucket_add(struct imap *im, struct imap_ahead *owner,
    struct pyval *item)
{
	size_t	budget, cost;

	budget = im->ahead_budget != 0 ? im->ahead_budget :
	    IMAP_UNTAGGED_BUDGET;
	cost = pv_mem_size(item) + IMAP_QUEUE_ITEM_SLOT;
	if (owner->dropped > 0 || cost > budget ||
	    im->ahead_bytes > budget - cost) {
		if (owner->dropped++ == 0)
			owner->dropped_budget = budget;
		pv_free(item);
		return;
	}
	if (owner->bucket == NULL)
		owner->bucket = pv_list();
	pv_append(owner->bucket, item);
	owner->bytes += cost;
	im->ahead_bytes += cost;
}

/* The run of ah takes its bucket: say once what was dropped from it. */
static void
imap_queue_bucket_report(struct imap *im, struct imap_ahead *ah)
{
	char	note[160], budget[32];

	if (ah->dropped == 0)
		return;
	imap_untagged_size_str(ah->dropped_budget, budget, sizeof budget);
	(void)snprintf(note, sizeof note, "responses to %s sent ahead over "
	    "%s: dropped the last %llu items", ah->key != NULL ? ah->key :
	    ah->name, budget, ah->dropped);
	if (imap_may_notify(im))
		im->notify(im->notify_arg, note);
	ah->dropped = 0;
}

void
imap_set_ahead_budget(struct imap *im, size_t bytes)
{
	im->ahead_budget = bytes;
}

struct imap_ahead *
imap_queue_find(struct imap *im, const char *tag, size_t len)
{
	size_t	i;

	for (i = 0; i < im->nahead; i++)
		if (im->ahead[i].tag != NULL &&
		    strlen(im->ahead[i].tag) == len &&
		    memcmp(im->ahead[i].tag, tag, len) == 0)
			return (&im->ahead[i]);
	return (NULL);
}

void
imap_queue_remove(struct imap *im, size_t i)
{
	struct imap_ahead	*ah = &im->ahead[i];

	free(ah->tag);
	free(ah->name);
	free(ah->key);
	free(ah->set);
	im->ahead_bytes -= ah->bytes;
	pv_free(ah->bucket);
	free(ah->typ);
	pv_free(ah->data);
	memmove(ah, ah + 1, (im->nahead - i - 1) * sizeof *ah);
	im->nahead--;
}

void
imap_queue_clear(struct imap *im)
{
	while (im->nahead > 0)
		imap_queue_remove(im, im->nahead - 1);
	free(im->ahead);
	im->ahead = NULL;
}

void
imap_set_ahead_max(struct imap *im, size_t n)
{
	im->ahead_max = n < IMAP_AHEAD_MAX ? n : IMAP_AHEAD_MAX;
}

size_t
imap_ahead_room(const struct imap *im)
{
	return (im->nahead < im->ahead_max ? im->ahead_max - im->nahead : 0);
}

size_t
imap_ahead_count(const struct imap *im)
{
	return (im->nahead);
}

enum imap_exc
imap_send_ahead(struct imap *im, const char *name,
    const struct imap_arg *args, size_t nargs, const char *key, char **msg)
{
	enum imap_exc	e;

	if ((e = imap_may_send(im, name, msg)) != IMAP_OK)
		return (e);
	return (imap_queue_presend(im, name, args, nargs, key, msg));
}

const char *
imap_ahead_next(const struct imap *im, const char **key)
{
	size_t	i;

	for (i = 0; i < im->nahead; i++)
		if (!im->ahead[i].orphan) {
			*key = im->ahead[i].key;
			return (im->ahead[i].name);
		}
	return (NULL);
}

enum imap_exc
imap_collect_ahead(struct imap *im, char **typ, struct pyval **data,
    char **msg)
{
	enum imap_exc	 e;
	char		*name;

	*typ = NULL;
	*data = NULL;
	if (im->tr == NULL)
		return (imap_fail(im, IMAP_ABORT, msg, "not connected: use "
		    "'connect HOST [PORT]' or 'reconnect'"));
	if ((e = imap_command_start(im, msg)) != IMAP_OK)
		return (e);
	if ((name = imap_queue_adopt(im)) == NULL)
		return (imap_fail(im, IMAP_ERROR, msg, "no command was sent "
		    "ahead"));
	e = imap_command_finish(im, name, typ, data, msg);
	free(name);
	return (e);
}
