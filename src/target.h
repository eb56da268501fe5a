/*
 * target.h: where to connect, as the command line and the connect command
 * both take it: [user@]host [port], host:port, [v6-address]:port,
 * imaps://[user@]host[:port] (TLS from the start), imap://... (STARTTLS
 * required) and imap+notls://... (plain TCP, said explicitly).  One parser
 * serves both, so they never differ.  Accounts of the configuration file
 * are looked up by the caller (a lone word, without '@', ':' or '/').
 */
#ifndef TARGET_H
#define TARGET_H

struct target {
	char	*user;		/* NULL: none given */
	char	*host;
	char	*port;		/* NULL: by the TLS mode */
	int	 tls_mode;	/* CONN_* of a URL's scheme, or -1 */
};

/*
 * Parse arg, and port (NULL when not given) into t.  Returns 0, or -1 with
 * *cause set (and t empty).  target_free() releases t.
 */
int	 target_parse(const char *arg, const char *port, struct target *t,
	    char **cause);
void	 target_free(struct target *);
/* A lone word that may name an account: no '@', ':' or '/'. */
int	 target_is_word(const char *arg);

#endif
