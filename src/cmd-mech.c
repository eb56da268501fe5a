/*
 * cmd-mech.c: which SASL mechanism authenticate uses when none is named,
 * the TLS channel binding SCRAM gets, and the mechanisms help shows.
 *
 * The choice takes the strongest password mechanism the server offers:
 * SCRAM with channel binding first (over TLS only: it binds the login to
 * this TLS session, so a man in the middle with a certificate the client
 * wrongly trusted cannot relay it), then SCRAM, the CRAMs, and the
 * mechanisms that send the password itself.  A -PLUS mechanism that was
 * chosen and cannot bind is an error, never a quiet step down to SCRAM:
 * a downgrade is what channel binding is there to catch.
 *
 * The binding itself comes from the TLS layer (tr_tls_channel_binding:
 * tls-exporter on TLS 1.3, tls-server-end-point on TLS 1.2).  Plain SCRAM
 * over TLS says "y" when the server offers no -PLUS (RFC 5802 section 6:
 * a server that supports binding then knows the list was tampered with)
 * and "n" otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "cmd-mech.h"
#include "sasl.h"
#include "term.h"
#include "transport.h"

static int	cmd_mech_has(struct session *, const char *);
static int	cmd_mech_server_binds(struct session *);
static void	cmd_mech_wrap(struct session *, const char *, const char *);

/* The order of preference; all take a user and a password. */
static const char *const cmd_mech_order[] = {
	"SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256",
	"SCRAM-SHA-1", "CRAM-SHA256", "CRAM-SHA1", "CRAM-MD5", "PLAIN",
	"LOGIN", NULL
};

/* 1 if the server's capabilities hold AUTH=mech. */
static int
cmd_mech_has(struct session *s, const char *mech)
{
	char	 cap[64];
	int	 n;

	n = snprintf(cap, sizeof cap, "AUTH=%s", mech);
	if (n < 0 || (size_t)n >= sizeof cap)
		return (0);
	return (imap_has_cap(s->im, cap));
}

/* 1 if the server offers any SCRAM-*-PLUS. */
static int
cmd_mech_server_binds(struct session *s)
{
	size_t	 i;

	for (i = 0; cmd_mech_order[i] != NULL; i++) {
		if (sasl_channel_binding(cmd_mech_order[i]) ==
		    SASL_CB_REQUIRED && cmd_mech_has(s, cmd_mech_order[i]))
			return (1);
	}
	return (0);
}

const char *
cmd_mech_pick(struct session *s, char **cause)
{
	size_t	 i;

	for (i = 0; cmd_mech_order[i] != NULL; i++) {
		if (sasl_channel_binding(cmd_mech_order[i]) ==
		    SASL_CB_REQUIRED && !imap_tls(s->im))
			continue;
		if (cmd_mech_has(s, cmd_mech_order[i]))
			return (cmd_mech_order[i]);
	}
	*cause = xstrdup("the server offers no SASL mechanism imapsh can "
	    "use with a password; name one ('help authenticate' lists "
	    "them) or use login");
	return (NULL);
}

int
cmd_mech_offered(struct session *s)
{
	char	*cause = NULL;

	if (cmd_mech_pick(s, &cause) != NULL)
		return (1);
	free(cause);
	return (0);
}

int
cmd_mech_bind(struct session *s, struct sasl *sasl, char **cause)
{
	const char	*name = sasl_name(sasl), *type;
	enum sasl_cb	 cb = sasl_channel_binding(name);
	unsigned char	*data;
	size_t		 len;
	char		*why;
	int		 rv;

	if (cb == SASL_CB_NONE)
		return (0);
	if (!imap_tls(s->im) || imap_transport(s->im) == NULL) {
		if (cb == SASL_CB_REQUIRED) {
			xasprintf(cause, "%s binds the login to TLS, and this "
			    "connection has none: run starttls first or "
			    "connect with imaps://", name);
			return (-1);
		}
		return (sasl_bind(sasl, NULL, NULL, 0, 0, cause));
	}
	if (tr_tls_channel_binding(imap_transport(s->im), &type, &data, &len,
	    &why) == -1) {
		if (cb == SASL_CB_REQUIRED) {
			xasprintf(cause, "%s: no TLS channel binding: %s",
			    name, why);
			free(why);
			return (-1);
		}
		free(why);
		return (sasl_bind(sasl, NULL, NULL, 0, 0, cause));
	}
	if (cb == SASL_CB_REQUIRED)
		rv = sasl_bind(sasl, type, data, len, 0, cause);
	else
		rv = sasl_bind(sasl, NULL, NULL, 0,
		    !cmd_mech_server_binds(s), cause);
	free(data);
	return (rv);
}

/* "  title: A B C ...", wrapped before column 76, indented by 4. */
static void
cmd_mech_wrap(struct session *s, const char *title, const char *words)
{
	struct buf	 line;
	const char	*p = words, *end;
	size_t		 n;

	buf_init(&line, 0);
	buf_printf(&line, "  %s:", title);
	while (*p != '\0') {
		if ((end = strchr(p, ' ')) == NULL)
			end = p + strlen(p);
		n = (size_t)(end - p);
		if (n != 0) {
			if (line.len + 1 + n > 76 && line.len > 4) {
				out_printf(s->out, "%s\n", line.data);
				buf_reset(&line);
				buf_addstr(&line, "   ");
			}
			buf_addc(&line, ' ');
			buf_add(&line, p, n);
		}
		p = *end == '\0' ? end : end + 1;
	}
	out_printf(s->out, "%s\n", line.data);
	buf_free(&line);
}

void
cmd_mech_help(struct session *s)
{
	struct buf	 b;
	const char *const *caps;
	const char	*pick;
	char		*cause = NULL;
	size_t		 ncaps, i;
	int		 any = 0;

	buf_init(&b, 0);
	for (i = 0; sasl_mechanisms[i] != NULL; i++)
		buf_printf(&b, " %s", sasl_mechanisms[i]);
	cmd_mech_wrap(s, "mechanisms of this imapsh", b.data);
	if (!imap_connected(s->im)) {
		buf_free(&b);
		return;
	}
	buf_reset(&b);
	buf_add(&b, "", 0);
	caps = imap_caps(s->im, &ncaps);
	for (i = 0; i < ncaps; i++) {
		if (strncasecmp(caps[i], "AUTH=", 5) != 0)
			continue;
		any = 1;
		buf_addc(&b, ' ');
		term_escape(&b, caps[i] + 5, strlen(caps[i] + 5));
	}
	cmd_mech_wrap(s, "the server offers", any ? b.data :
	    "no SASL mechanism");
	buf_free(&b);
	if ((pick = cmd_mech_pick(s, &cause)) != NULL)
		out_printf(s->out, "  with no mechanism named: %s\n", pick);
	free(cause);
}
