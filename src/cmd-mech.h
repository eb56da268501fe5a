/*
 * cmd-mech.h: choosing the SASL mechanism of authenticate, its TLS
 * channel binding, and what help says about mechanisms.
 */
#ifndef CMD_MECH_H
#define CMD_MECH_H

#include "cmd.h"
#include "sasl.h"

/*
 * The best mechanism that takes a password among those the server offers
 * (SCRAM-*-PLUS first, over TLS only), or NULL with *cause.
 */
const char	*cmd_mech_pick(struct session *, char **cause);
/* 1 if the server offers one of the mechanisms cmd_mech_pick() knows. */
int		 cmd_mech_offered(struct session *);
/*
 * Give a SCRAM state its channel binding from the connection's TLS layer
 * (sasl_bind): the binding for -PLUS, which fails without one; the gs2
 * flag "y" or "n" for the others.  Other mechanisms are left alone.  0, or
 * -1 with *cause.
 */
int		 cmd_mech_bind(struct session *, struct sasl *, char **cause);
/* help authenticate's lines: this build's mechanisms and the server's. */
void		 cmd_mech_help(struct session *);

#endif
