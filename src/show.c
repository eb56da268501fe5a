/*
 * show.c: a message laid out for a person (show.h), in imapsh-show
 * (show-main.c), the one program that links GMime.
 *
 * GMime parses the message: it is what notmuch, Evolution and others
 * read mail with, it copes with the broken MIME that real mail is full
 * of, and it decodes RFC 2047 and RFC 2231 words, base64 and
 * quoted-printable, and charsets (through iconv) the way mail readers
 * must.  Bodies are read through a filtered GMime stream one chunk at a
 * time, so a big part costs a buffer, not its size; with a seekable
 * stream (a spool file) the parser keeps references to the bodies, not
 * copies.
 *
 * Numbering (RFC 3501 6.4.5): the parts of a multipart body are 1, 2,
 * ...; a part that is itself multipart numbers its parts 1.1, 1.2, ...;
 * a message/rfc822 part numbers the parts of its message's body the same
 * way (2.1, 2.2), or calls a body that is not multipart 2.1; a message
 * that is not multipart has the one part 1.
 */
#include <errno.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "show.h"
#include "xmalloc.h"

#define SHOW_DEPTH_MAX	32		/* nesting shown at most */
#define SHOW_CHUNK	(16 * 1024)	/* bytes read from a body at a time */

static void	 show_conv(struct show_out *, const char *, size_t);
static int	 show_stop(const struct show_out *);
static GMimeObject *show_child(GMimeObject *, int);
static GMimeObject *show_body_child(GMimeMessage *, int);
static void	 show_size(char *, size_t, long long);
static void	 show_part_line(struct show_out *, GMimeObject *,
		    const char *, int);
static void	 show_tree(struct show_out *, GMimeObject *, const char *,
		    int);
static void	 show_headers(struct show_out *, GMimeMessage *);
static GMimeStream *show_decoded(GMimePart *, int, int *);
static void	 show_part_text(struct show_out *, GMimePart *);
static int	 show_is_text(GMimeObject *);
static void	 show_walk(struct show_out *, GMimeObject *, const char *,
		    int);
static void	 show_walk_children(struct show_out *, GMimeObject *,
		    const char *, int);
static void	 show_alternative(struct show_out *, GMimeMultipart *,
		    const char *, int);
static GMimeObject *show_find(GMimeMessage *, const char *, char **);
static void	 show_one_part(struct show_out *, GMimeObject *,
		    const char *);
static void	 show_section(char *, size_t, const char *, int);

void
show_out_init(struct show_out *so, struct out *o)
{
	const char	*cs = nl_langinfo(CODESET);
	char		 to[128];

	memset(so, 0, sizeof *so);
	so->o = o;
	so->cd = (iconv_t)-1;
	if (cs != NULL && strcasecmp(cs, "UTF-8") != 0 &&
	    strcasecmp(cs, "UTF8") != 0) {
		snprintf(to, sizeof to, "%s//TRANSLIT", cs);
		so->cd = iconv_open(to, "UTF-8");
	}
}

void
show_out_free(struct show_out *so)
{
	struct buf	b;

	buf_init(&b, 0);
	term_lines_end(&b, &so->tl);
	show_conv(so, b.data, b.len);
	buf_free(&b);
	if (so->cd != (iconv_t)-1)
		iconv_close(so->cd);
	so->cd = (iconv_t)-1;
}

/* Escaped UTF-8 to the output, in the locale's charset: a character it
 * lacks, even transliterated, becomes '?'. */
static void
show_conv(struct show_out *so, const char *s, size_t len)
{
	char	 obuf[8192], *in = (char *)(uintptr_t)s, *outp;
	size_t	 inleft = len, outleft;

	if (len == 0)
		return;
	if (so->cd == (iconv_t)-1) {
		out_write(so->o, s, len);
		return;
	}
	while (inleft > 0) {
		outp = obuf;
		outleft = sizeof obuf;
		if (iconv(so->cd, &in, &inleft, &outp, &outleft) ==
		    (size_t)-1 && errno != E2BIG) {
			/* EILSEQ: skip the character. */
			*outp++ = '?';
			in++;
			inleft--;
			while (inleft > 0 && ((unsigned char)*in & 0xc0) ==
			    0x80) {
				in++;
				inleft--;
			}
		}
		out_write(so->o, obuf, (size_t)(outp - obuf));
	}
}

void
show_text(struct show_out *so, const char *s, size_t len)
{
	struct buf	b;

	if (len > 0)
		so->last = s[len - 1];
	buf_init(&b, 0);
	term_lines_escape(&b, s, len, &so->tl);
	show_conv(so, b.data, b.len);
	buf_free(&b);
}

void
show_printf(struct show_out *so, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = xvasprintf(&s, fmt, ap);
	va_end(ap);
	show_text(so, s, (size_t)n);
	free(s);
}

/* 1 when nobody reads any more: the pager quit.  (Ctrl-C ends the
 * program: SIGINT has its default action in imapsh-show.) */
static int
show_stop(const struct show_out *so)
{
	return (so->o->failed);
}

/* The i-th (from 0) part numbered under a message: its body's parts, or
 * the body itself as part 1 when it is not multipart. */
static GMimeObject *
show_body_child(GMimeMessage *m, int i)
{
	GMimeObject	*body;

	if (m == NULL || (body = g_mime_message_get_mime_part(m)) == NULL)
		return (NULL);
	if (GMIME_IS_MULTIPART(body))
		return (i < g_mime_multipart_get_count(GMIME_MULTIPART(body)) ?
		    g_mime_multipart_get_part(GMIME_MULTIPART(body), i) : NULL);
	return (i == 0 ? body : NULL);
}

/* The i-th (from 0) part numbered under obj, or NULL. */
static GMimeObject *
show_child(GMimeObject *obj, int i)
{
	if (GMIME_IS_MULTIPART(obj))
		return (i < g_mime_multipart_get_count(GMIME_MULTIPART(obj)) ?
		    g_mime_multipart_get_part(GMIME_MULTIPART(obj), i) : NULL);
	if (GMIME_IS_MESSAGE_PART(obj))
		return (show_body_child(g_mime_message_part_get_message(
		    GMIME_MESSAGE_PART(obj)), i));
	return (NULL);
}

/* "1.2" for part i (from 0) under section parent ("" at the top). */
static void
show_section(char *out, size_t size, const char *parent, int i)
{
	if (*parent == '\0')
		snprintf(out, size, "%d", i + 1);
	else
		snprintf(out, size, "%s.%d", parent, i + 1);
}

static void
show_size(char *out, size_t size, long long n)
{
	if (n < 1024)
		snprintf(out, size, "%lld bytes", n);
	else if (n < 1024 * 1024)
		snprintf(out, size, "%.1f KB", (double)n / 1024);
	else
		snprintf(out, size, "%.1f MB", (double)n / (1024 * 1024));
}

/* A body decoded from its transfer encoding and, when to_utf8, from its
 * charset into UTF-8 (*unknown set when GMime does not know it); NULL
 * for a part without content. */
static GMimeStream *
show_decoded(GMimePart *part, int to_utf8, int *unknown)
{
	GMimeDataWrapper	*w = g_mime_part_get_content(part);
	GMimeStream		*src, *fs;
	GMimeFilter		*f;
	GMimeContentEncoding	 enc;
	const char		*cs;

	if (unknown != NULL)
		*unknown = 0;
	if (w == NULL || (src = g_mime_data_wrapper_get_stream(w)) == NULL)
		return (NULL);
	g_mime_stream_reset(src);
	fs = g_mime_stream_filter_new(src);
	enc = g_mime_data_wrapper_get_encoding(w);
	if (enc == GMIME_CONTENT_ENCODING_BASE64 ||
	    enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
	    enc == GMIME_CONTENT_ENCODING_UUENCODE) {
		f = g_mime_filter_basic_new(enc, FALSE);
		g_mime_stream_filter_add(GMIME_STREAM_FILTER(fs), f);
		g_object_unref(f);
	}
	cs = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part),
	    "charset");
	if (to_utf8 && cs != NULL && strcasecmp(cs, "utf-8") != 0 &&
	    strcasecmp(cs, "us-ascii") != 0) {
		if ((f = g_mime_filter_charset_new(cs, "UTF-8")) != NULL) {
			g_mime_stream_filter_add(GMIME_STREAM_FILTER(fs), f);
			g_object_unref(f);
		} else if (unknown != NULL)
			*unknown = 1;
	}
	return (fs);
}

/* One line of the tree: number, type, charset, name, size. */
static void
show_part_line(struct show_out *so, GMimeObject *obj, const char *sec,
    int depth)
{
	GMimeStream	*fs, *null;
	char		*type, size[32];
	const char	*cs, *name = NULL;
	ssize_t		 n = -1;

	type = g_mime_content_type_get_mime_type(
	    g_mime_object_get_content_type(obj));
	show_printf(so, "  %*s%-*s %s", depth * 2, "", 10 - depth * 2 > 0 ?
	    10 - depth * 2 : 0, sec, type);
	g_free(type);
	if (!GMIME_IS_PART(obj)) {
		show_text(so, "\n", 1);
		return;
	}
	if ((cs = g_mime_object_get_content_type_parameter(obj,
	    "charset")) != NULL)
		show_printf(so, " (%s)", cs);
	if ((name = g_mime_part_get_filename(GMIME_PART(obj))) != NULL)
		show_printf(so, " \"%s\"", name);
	if ((fs = show_decoded(GMIME_PART(obj), 0, NULL)) != NULL) {
		null = g_mime_stream_null_new();
		n = g_mime_stream_write_to_stream(fs, null);
		g_object_unref(null);
		g_object_unref(fs);
	}
	show_size(size, sizeof size, n < 0 ? 0 : (long long)n);
	show_printf(so, ", %s%s\n", size,
	    g_mime_part_is_attachment(GMIME_PART(obj)) ? ", attachment" : "");
}

static void
show_tree(struct show_out *so, GMimeObject *obj, const char *sec,
    int depth)
{
	GMimeObject	*kid;
	char		 ksec[256];
	int		 i;

	show_part_line(so, obj, sec, depth);
	if (depth >= SHOW_DEPTH_MAX) {
		if (show_child(obj, 0) != NULL)
			show_printf(so, "  %*s(nested deeper than %d: not "
			    "shown)\n", depth * 2 + 2, "", SHOW_DEPTH_MAX);
		return;
	}
	for (i = 0; (kid = show_child(obj, i)) != NULL && !show_stop(so);
	    i++) {
		show_section(ksec, sizeof ksec, sec, i);
		show_tree(so, kid, ksec, depth + 1);
	}
}

static void
show_headers(struct show_out *so, GMimeMessage *m)
{
	static const char *const names[] = { "From", "To", "Cc" };
	InternetAddressList	*list[3];
	const char		*v;
	char			*addrs;
	size_t			 i;

	if ((v = g_mime_object_get_header(GMIME_OBJECT(m), "Date")) != NULL)
		show_printf(so, "Date: %s\n", v);
	list[0] = g_mime_message_get_from(m);
	list[1] = g_mime_message_get_to(m);
	list[2] = g_mime_message_get_cc(m);
	for (i = 0; i < 3; i++) {
		if (list[i] == NULL || internet_address_list_length(list[i]) ==
		    0)
			continue;
		addrs = internet_address_list_to_string(list[i], NULL, FALSE);
		show_printf(so, "%s: %s\n", names[i], addrs);
		g_free(addrs);
	}
	if ((v = g_mime_message_get_subject(m)) != NULL)
		show_printf(so, "Subject: %s\n", v);
}

/* A text body, decoded, converted, escaped. */
static void
show_part_text(struct show_out *so, GMimePart *part)
{
	GMimeStream	*fs;
	char		 buf[SHOW_CHUNK];
	ssize_t		 n;
	int		 unknown;

	if ((fs = show_decoded(part, 1, &unknown)) == NULL)
		return;
	if (unknown)
		show_printf(so, "[unknown charset %s: shown as UTF-8]\n",
		    g_mime_object_get_content_type_parameter(GMIME_OBJECT(
		    part), "charset"));
	while (!show_stop(so) && (n = g_mime_stream_read(fs, buf,
	    sizeof buf)) > 0)
		show_text(so, buf, (size_t)n);
	g_object_unref(fs);
}

/* 1 for a text part to show inline (text/ *, not an attachment). */
static int
show_is_text(GMimeObject *obj)
{
	return (GMIME_IS_PART(obj) && !g_mime_part_is_attachment(
	    GMIME_PART(obj)) && g_mime_content_type_is_type(
	    g_mime_object_get_content_type(obj), "text", "*"));
}

/* multipart/alternative: its text/plain part, else its first, shown. */
static void
show_alternative(struct show_out *so, GMimeMultipart *mp, const char *sec,
    int depth)
{
	GMimeObject	*kid, *pick = NULL;
	char		 ksec[256], psec[256];
	int		 i;

	for (i = 0; (kid = show_child(GMIME_OBJECT(mp), i)) != NULL; i++) {
		if (pick == NULL || (show_is_text(kid) &&
		    g_mime_content_type_is_type(
		    g_mime_object_get_content_type(kid), "text", "plain"))) {
			pick = kid;
			show_section(psec, sizeof psec, sec, i);
		}
	}
	if (pick == NULL)
		return;
	show_walk(so, pick, psec, depth + 1);
	for (i = 0; (kid = show_child(GMIME_OBJECT(mp), i)) != NULL; i++) {
		show_section(ksec, sizeof ksec, sec, i);
		if (kid != pick)
			show_printf(so, "[part %s, an alternative form of "
			    "part %s: not shown]\n", ksec, psec);
	}
}

static void
show_walk_children(struct show_out *so, GMimeObject *obj, const char *sec,
    int depth)
{
	GMimeObject	*kid;
	char		 ksec[256];
	int		 i;

	for (i = 0; (kid = show_child(obj, i)) != NULL && !show_stop(so);
	    i++) {
		show_section(ksec, sizeof ksec, sec, i);
		show_walk(so, kid, ksec, depth + 1);
	}
}

/* What a person reads of obj: text shown, attachments named. */
static void
show_walk(struct show_out *so, GMimeObject *obj, const char *sec,
    int depth)
{
	GMimeMessage	*m;
	char		*type;
	const char	*name;

	if (show_stop(so))
		return;
	if (depth > SHOW_DEPTH_MAX) {
		show_printf(so, "[part %s: nested deeper than %d, not "
		    "shown]\n", sec, SHOW_DEPTH_MAX);
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		if (g_mime_content_type_is_type(g_mime_object_get_content_type(
		    obj), "multipart", "alternative"))
			show_alternative(so, GMIME_MULTIPART(obj), sec, depth);
		else
			show_walk_children(so, obj, sec, depth);
		return;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		show_printf(so, "\n[part %s, a message:]\n", sec);
		if ((m = g_mime_message_part_get_message(
		    GMIME_MESSAGE_PART(obj))) != NULL)
			show_headers(so, m);
		show_text(so, "\n", 1);
		show_walk_children(so, obj, sec, depth);
		return;
	}
	if (show_is_text(obj)) {
		if (g_mime_content_type_is_type(g_mime_object_get_content_type(
		    obj), "text", "html"))
			show_printf(so, "[part %s is text/html, shown as its "
			    "source]\n", sec);
		show_part_text(so, GMIME_PART(obj));
		show_text(so, "\n", 1);
		return;
	}
	type = g_mime_content_type_get_mime_type(
	    g_mime_object_get_content_type(obj));
	name = GMIME_IS_PART(obj) ? g_mime_part_get_filename(GMIME_PART(obj)) :
	    NULL;
	show_printf(so, "[part %s: %s%s%s%s, not shown]\n", sec, type,
	    name != NULL ? " \"" : "", name != NULL ? name : "",
	    name != NULL ? "\"" : "");
	g_free(type);
}

/* The part numbered sec ("1.2"), or NULL with *cause. */
static GMimeObject *
show_find(GMimeMessage *m, const char *sec, char **cause)
{
	GMimeObject	*obj = NULL;
	const char	*p = sec, *errstr;
	char		 num[16];
	size_t		 len;
	long long	 n;

	for (;;) {
		len = strcspn(p, ".");
		if (len == 0 || len >= sizeof num)
			break;
		memcpy(num, p, len);
		num[len] = '\0';
		n = strtonum(num, 1, 100000, &errstr);
		if (errstr != NULL || (obj = obj == NULL ?
		    show_body_child(m, (int)n - 1) : show_child(obj,
		    (int)n - 1)) == NULL)
			break;
		p += len;
		if (*p == '\0')
			return (obj);
		p++;
	}
	xasprintf(cause, "no part %s", sec);
	return (NULL);
}

/* The part a person asked for: a body, or a subtree laid out. */
static void
show_one_part(struct show_out *so, GMimeObject *obj, const char *sec)
{
	GMimeObject	*kid;
	GMimeMessage	*m;
	char		*type, ksec[256];
	int		 i;

	if (GMIME_IS_PART(obj)) {
		if (g_mime_content_type_is_type(g_mime_object_get_content_type(
		    obj), "text", "*")) {
			show_part_text(so, GMIME_PART(obj));
			if (so->last != '\n')
				show_text(so, "\n", 1);
			return;
		}
		type = g_mime_content_type_get_mime_type(
		    g_mime_object_get_content_type(obj));
		show_printf(so, "[part %s is %s, not text: not shown; fetch N "
		    "(BODY.PEEK[%s]) gives its bytes as the message holds "
		    "them]\n", sec, type, sec);
		g_free(type);
		return;
	}
	if (GMIME_IS_MESSAGE_PART(obj) && (m = g_mime_message_part_get_message(
	    GMIME_MESSAGE_PART(obj))) != NULL) {
		show_headers(so, m);
		show_text(so, "\n", 1);
	}
	show_text(so, "Parts:\n", 7);
	for (i = 0; (kid = show_child(obj, i)) != NULL; i++) {
		show_section(ksec, sizeof ksec, sec, i);
		show_tree(so, kid, ksec, 0);
	}
	show_text(so, "\n", 1);
	show_walk_children(so, obj, sec, 0);
}

int
show_mime_message(struct show_out *so, GMimeStream *stream,
    const char *part, char **cause)
{
	GMimeParser	*parser;
	GMimeMessage	*m;
	GMimeObject	*body, *obj, *kid;
	char		 sec[16];
	int		 i;

	g_mime_stream_reset(stream);
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_persist_stream(parser, TRUE);
	m = g_mime_parser_construct_message(parser, NULL);
	g_object_unref(parser);
	if (m == NULL) {
		*cause = xstrdup("not a message GMime can read");
		return (-1);
	}
	if (part != NULL) {
		if ((obj = show_find(m, part, cause)) == NULL) {
			g_object_unref(m);
			return (-1);
		}
		show_one_part(so, obj, part);
		g_object_unref(m);
		return (0);
	}
	show_headers(so, m);
	body = g_mime_message_get_mime_part(m);
	if (body != NULL && !GMIME_IS_PART(body)) {
		show_text(so, "\nParts:\n", 8);
		for (i = 0; (kid = show_body_child(m, i)) != NULL; i++) {
			show_section(sec, sizeof sec, "", i);
			show_tree(so, kid, sec, 0);
		}
	}
	show_text(so, "\n", 1);
	if (body != NULL)
		show_walk(so, body, GMIME_IS_MULTIPART(body) ? "" : "1", 0);
	g_object_unref(m);
	return (0);
}
