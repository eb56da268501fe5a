# Makefile: builds imapsh, runs its tests, opens the demo, installs it.
#
#   make            build ./imapsh and ./imapsh-show, the program that lays
#                   messages out for show (runs ./configure when there is
#                   no config.mk, and autoreconf first in a git checkout)
#   make deps       install the Debian packages that building and testing
#                   need (scripts/install-deps; root only)
#   make check      build (gcc and clang, warnings as errors), run every
#                   test (unit, end to end against a private Dovecot, and
#                   the same again under ASan+UBSan); ends with "N passed,
#                   N failed"
#                   (TESTS=FILES: those bats files only)
#   make demo       imapsh on a throwaway local Dovecot with sample mail
#   make install    PREFIX (default: ./configure's --prefix, /usr/local)
#                   and DESTDIR are honoured; imapsh-show goes to
#                   LIBEXECDIR/imapsh, the directory compiled into imapsh
#   make dist       imapsh-VERSION.tar.gz, with a generated configure
#   make distcheck  build, check and install that tarball in a temporary
#                   directory
#   make deb        build/deb/imapsh_VERSION_ARCH.deb (dpkg-buildpackage
#                   on the tarball), checked by lintian
#   make analyze    gcc -fanalyzer over every source, findings as errors
#                   (a few minutes; not part of make check)
#   make clean      remove what the build made
#
# check, demo and bench install nothing: a missing package stops them with
# the apt-get line to run.  `make deps check` installs first, as root.

PREFIX ?=	$(or $(prefix),/usr/local)
BINDIR ?=	$(PREFIX)/bin
LIBEXECDIR ?=	$(PREFIX)/libexec
MANDIR ?=	$(PREFIX)/share/man
DATADIR ?=	$(PREFIX)/share
ZSHCOMPDIR ?=	$(DATADIR)/zsh/site-functions

# config.mk (made by ./configure) is read unless every goal is one of
# these.
NOCONF_GOALS =	clean distclean maintainer-clean deps
ifneq ($(filter-out $(NOCONF_GOALS),$(or $(MAKECMDGOALS),all)),)
-include config.mk
endif

# `make deps ...` installs missing Debian packages before anything else,
# including the first ./configure of a fresh checkout; check, demo and
# bench only say what is missing.
ifneq ($(filter deps,$(MAKECMDGOALS)),)
DEPS_FIRST =	sh scripts/install-deps
else ifneq ($(filter check demo bench,$(MAKECMDGOALS)),)
DEPS_FIRST =	sh scripts/install-deps --check
else
DEPS_FIRST =	:
endif

SRCS =	main.c repl.c linein.c complete.c config.c lex.c cmd.c cmd-session.c cmd-mailbox.c \
	cmd-message.c cmd-local.c cmd-auth.c cmd-mech.c cmd-idle.c cmd-ext.c \
	imap.c imap-parse.c imap-quote.c imap-resp.c imap-untagged.c crlf.c \
	msgcount.c target.c hint.c \
	imap-json.c imap-util.c imap-date.c imap-utf7.c cmd-util.c pyval.c \
	cmd-raw.c output.c stage.c sink-python.c sink-json.c sink-count.c \
	sink-raw.c sink-idle.c sink-names.c sink.c xmalloc.c \
	transport.c tr-tcp.c tr-tls.c tr-cmd.c tr-zlib.c sasl.c secret.c trace.c
SRCS +=	sasl-gssapi.c
# Everything but the front end: what the unit tests link against.
LIBSRCS = $(filter-out main.c repl.c complete.c,$(SRCS))
UNITS =	parse lex quote util print utf7 crlf linein live sasl session gssapi \
	untagged resp msgcount sink
# The sinks that see more than their command's items: raw, idle, names.
UNITS +=	sinks
# The commands a script may send ahead, built from their arguments
# before they run or are sent.
SRCS +=		cmd-build.c
UNITS +=	build

# The calls that differ between Linux and other systems (compat.h).
SRCS +=		compat.c
UNITS +=	compat

# The front end's Ctrl-C count, read by the layers below (intr.h).
SRCS +=		intr.c
UNITS +=	stage

# One JSON value per input line (--format json).
SRCS +=		json-line.c

# imaplib's Commands table: the states each IMAP command may be sent in.
SRCS +=		imap-commands.c

# The core's parts beside the session (imap.c): commands sent ahead,
# literals in and out, the raw command.
SRCS +=		imap-queue.c imap-literal.c imap-raw.c

VERSION =	$(PACKAGE_VERSION)
DIST =		imapsh-$(VERSION).tar.gz

# Raw literals, terminal text with its line breaks, and show.
SRCS +=	term-lines.c raw-literal.c pager.c show-run.c cmd-show.c
UNITS +=	raw-literal term-lines

# Secrets on every path, local files opened safely, one-line text.
SRCS +=	localfile.c redact.c term.c
UNITS +=	redact localfile term

# CPython's repr, its pprint layout, the layout written as a FETCH
# arrives, and the byte scanners and staging buffer they share with
# terminal escaping (term.c).
SRCS +=	esc.c emit.c rwin.c py-repr.c py-print.c py-live.c
# The command layer's parts: running a line, results, cmd_simple() and
# its sinks, the wire arguments, bound parameters, settings.
SRCS +=	cmd-run.c cmd-result.c cmd-simple.c wire.c arg.c cmd-set.c

# RFC 3629 UTF-8 (libunistring), the oldest TLS version, and their tests
# (zlib: the COMPRESS layer): apart from the lists above, which others
# change too.
SRCS +=		utf8.c tls-version.c
UNITS +=	utf8 zlib

# imapsh-show, the program that lays messages out for show: the only one
# that links GMime, whose libraries would cost every imapsh run memory and
# start-up time (src/show-run.c).  show.c and the few modules it uses.
HELPER_SRCS =	show-main.c show.c term-lines.c term.c esc.c emit.c utf8.c pyval.c \
		output.c intr.c compat.c xmalloc.c
HELPER_GMIME =	show-main.o show.o
# term.c decodes UTF-8 with libunistring, which DEP_LIBS names.
HELPER_LIBS =	$(GMIME_LIBS) $(LIBBSD_LIBS) $(filter -lunistring,$(DEP_LIBS))

STD_CFLAGS =	-std=c11 -D_GNU_SOURCE -DIMAPSH_VERSION='"$(PACKAGE_VERSION)"' \
		-DLIBEDIT_VERSION='"$(LIBEDIT_VERSION)"' -Isrc
ALL_CFLAGS =	$(STD_CFLAGS) $(WARN_CFLAGS) $(WERROR) $(DEP_CFLAGS) $(CPPFLAGS) \
		$(CFLAGS)
ASAN_FLAGS =	-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
		-fno-sanitize-recover=undefined
ASAN_CFLAGS =	$(STD_CFLAGS) $(WARN_CFLAGS) $(WERROR) $(DEP_CFLAGS) \
		$(CPPFLAGS) $(ASAN_FLAGS)
# The second compiler of make check: a build only, warnings as errors.
CLANG ?=	clang
CLANG_CFLAGS =	$(STD_CFLAGS) $(WARN_CFLAGS) -Werror $(DEP_CFLAGS) -O2

OBJS =		$(SRCS:%.c=build/%.o)
LIBOBJS =	$(LIBSRCS:%.c=build/%.o)
ASAN_OBJS =	$(SRCS:%.c=build/asan/%.o)
CLANG_OBJS =	$(SRCS:%.c=build/clang/%.o)
ASAN_LIBOBJS =	$(LIBSRCS:%.c=build/asan/%.o)
HELPER_OBJS =	$(HELPER_SRCS:%.c=build/%.o)
ASAN_HELPER_OBJS = $(HELPER_SRCS:%.c=build/asan/%.o)
CLANG_HELPER_OBJS = $(HELPER_SRCS:%.c=build/clang/%.o)
UNIT_BINS =	$(UNITS:%=build/unit/test-%)
ASAN_UNIT_BINS = $(UNITS:%=build/asan/unit/test-%)
UNIT_HDRS =	tests/unit/tap.h tests/unit/escape.h

.PHONY: all check demo deps install uninstall clean distclean \
	maintainer-clean asan units clang analyze fuzz dist distcheck deb FORCE

all: imapsh imapsh-show

# A release tarball ships configure; a git checkout makes it with
# autoreconf (autoconf, automake and pkg-config's pkg.m4).
config.mk: configure config.mk.in
	@$(DEPS_FIRST)
	./configure

configure: configure.ac
	@$(DEPS_FIRST)
	@command -v autoreconf >/dev/null || \
	    { echo "autoreconf not found: run 'make deps' as root" \
	    "(or build from a release tarball, which has configure)" >&2; \
	    exit 1; }
	autoreconf -fi

# Each imapsh is built with the imapsh-show beside it, which its show
# runs (order-only: a new helper does not relink imapsh).
imapsh: $(OBJS) | imapsh-show
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(DEP_LIBS)

imapsh-show: $(HELPER_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(HELPER_OBJS) $(HELPER_LIBS)

# GMime's headers for the helper's own sources only.
$(foreach d,build build/asan build/clang,$(HELPER_GMIME:%=$(d)/%)): \
    DEP_CFLAGS += $(GMIME_CFLAGS)

# Where imapsh finds imapsh-show is compiled into show-run.o, which is
# rebuilt when LIBEXECDIR changes (make install PREFIX=... after make).
SHOW_RUN_OBJS =	build/show-run.o build/asan/show-run.o build/clang/show-run.o
$(SHOW_RUN_OBJS): build/libexecdir.stamp
$(SHOW_RUN_OBJS): STD_CFLAGS += -DIMAPSH_LIBEXECDIR='"$(LIBEXECDIR)"'

build/libexecdir.stamp: FORCE
	@mkdir -p build
	@echo '$(LIBEXECDIR)' | cmp -s - $@ || echo '$(LIBEXECDIR)' >$@

build/%.o: src/%.c src/*.h config.mk
	@mkdir -p build
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/asan/%.o: src/%.c src/*.h config.mk
	@mkdir -p build/asan
	$(CC) $(ASAN_CFLAGS) -c -o $@ $<

build/clang/%.o: src/%.c src/*.h config.mk
	@mkdir -p build/clang
	$(CLANG) $(CLANG_CFLAGS) -c -o $@ $<

build/clang/imapsh: $(CLANG_OBJS) | build/clang/imapsh-show
	$(CLANG) $(LDFLAGS) -o $@ $(CLANG_OBJS) $(DEP_LIBS)

build/clang/imapsh-show: $(CLANG_HELPER_OBJS)
	$(CLANG) $(LDFLAGS) -o $@ $(CLANG_HELPER_OBJS) $(HELPER_LIBS)

clang: build/clang/imapsh build/clang/imapsh-show

analyze: config.mk
	@for f in $(sort $(SRCS) $(HELPER_SRCS)); do \
	    echo "analyze src/$$f"; \
	    $(CC) $(STD_CFLAGS) $(WARN_CFLAGS) -Werror $(DEP_CFLAGS) \
	    $(GMIME_CFLAGS) -O2 \
	    -fanalyzer -c -o /dev/null src/$$f || exit 1; \
	done

build/asan/imapsh: $(ASAN_OBJS) | build/asan/imapsh-show
	$(CC) $(ASAN_FLAGS) $(LDFLAGS) -o $@ $(ASAN_OBJS) $(DEP_LIBS)

build/asan/imapsh-show: $(ASAN_HELPER_OBJS)
	$(CC) $(ASAN_FLAGS) $(LDFLAGS) -o $@ $(ASAN_HELPER_OBJS) $(HELPER_LIBS)

build/unit/test-%: tests/unit/test-%.c $(UNIT_HDRS) $(LIBOBJS)
	@mkdir -p build/unit
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBOBJS) $(DEP_LIBS)

build/asan/unit/test-%: tests/unit/test-%.c $(UNIT_HDRS) $(ASAN_LIBOBJS)
	@mkdir -p build/asan/unit
	$(CC) $(ASAN_CFLAGS) $(LDFLAGS) -o $@ $< $(ASAN_LIBOBJS) $(DEP_LIBS)

# compat.c's fall-backs, which other systems use, tested here too.
COMPAT_PORTABLE = tests/unit/test-compat.c src/compat.c
UNIT_BINS +=	build/unit/test-compat-portable
ASAN_UNIT_BINS += build/asan/unit/test-compat-portable

build/unit/test-compat-portable: $(COMPAT_PORTABLE) src/compat.h \
    tests/unit/tap.h config.mk
	@mkdir -p build/unit
	$(CC) $(ALL_CFLAGS) -DCOMPAT_PORTABLE $(LDFLAGS) -o $@ $(COMPAT_PORTABLE)

build/asan/unit/test-compat-portable: $(COMPAT_PORTABLE) src/compat.h \
    tests/unit/tap.h config.mk
	@mkdir -p build/asan/unit
	$(CC) $(ASAN_CFLAGS) -DCOMPAT_PORTABLE $(LDFLAGS) -o $@ \
	    $(COMPAT_PORTABLE)

units: $(UNIT_BINS)
asan: build/asan/imapsh build/asan/imapsh-show $(ASAN_UNIT_BINS)

deps:
	@sh scripts/install-deps

# WERROR= (empty) lets make check build past a new compiler's warnings.
WERROR_CHECK ?=	-Werror

check: config.mk
	@sh scripts/install-deps --check
	@$(MAKE) --no-print-directory WERROR=$(WERROR_CHECK) imapsh units asan \
	    clang
	@IMAPSH=$(CURDIR)/imapsh UNIT_DIR=$(CURDIR)/build/unit \
	    ASAN_IMAPSH=$(CURDIR)/build/asan/imapsh \
	    ASAN_UNIT_DIR=$(CURDIR)/build/asan/unit \
	    bash tests/run $(TESTS)

demo: config.mk
	@sh scripts/install-deps --check
	@$(MAKE) --no-print-directory imapsh
	@IMAPSH=$(CURDIR)/imapsh bash tests/demo

install: imapsh imapsh-show
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR)/imapsh \
	    $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(DATADIR)/bash-completion/completions \
	    $(DESTDIR)$(ZSHCOMPDIR) \
	    $(DESTDIR)$(DATADIR)/fish/vendor_completions.d
	install -m 755 imapsh $(DESTDIR)$(BINDIR)/imapsh
	install -m 755 imapsh-show $(DESTDIR)$(LIBEXECDIR)/imapsh/imapsh-show
	install -m 644 man/imapsh.1 $(DESTDIR)$(MANDIR)/man1/imapsh.1
	install -m 644 completions/imapsh.bash \
	    $(DESTDIR)$(DATADIR)/bash-completion/completions/imapsh
	install -m 644 completions/_imapsh $(DESTDIR)$(ZSHCOMPDIR)/_imapsh
	install -m 644 completions/imapsh.fish \
	    $(DESTDIR)$(DATADIR)/fish/vendor_completions.d/imapsh.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/imapsh $(DESTDIR)$(MANDIR)/man1/imapsh.1 \
	    $(DESTDIR)$(DATADIR)/bash-completion/completions/imapsh \
	    $(DESTDIR)$(ZSHCOMPDIR)/_imapsh \
	    $(DESTDIR)$(DATADIR)/fish/vendor_completions.d/imapsh.fish \
	    $(DESTDIR)$(LIBEXECDIR)/imapsh/imapsh-show
	rmdir $(DESTDIR)$(LIBEXECDIR)/imapsh 2>/dev/null || :

clean:
	rm -rf build imapsh imapsh-show

# distclean leaves a tarball's tree as it was unpacked; maintainer-clean
# also removes what autoreconf made.
distclean: clean
	rm -rf config.mk config.log config.status autom4te.cache configure~ \
	    imapsh-*.tar.gz

maintainer-clean: distclean
	rm -f configure aclocal.m4

# Release tarball and Debian package (scripts/dist, scripts/distcheck,
# scripts/deb): the file list is git's (or, in a tarball, its MANIFEST).
dist: configure config.mk
	sh scripts/dist $(VERSION)

distcheck: dist
	sh scripts/distcheck $(DIST)

deb: dist
	sh scripts/deb $(DIST)

# Fuzzing (clang's libFuzzer): the response parser (fuzz-parse), the
# response records (fuzz-resp) and the line tokenizer (fuzz-lex),
# FUZZ_SECONDS each, with their seed corpora.
# tests/fuzz/run-short builds the same targets for the short run of make
# check (tests/bats/95-fuzz.bats).
FUZZ_SECONDS ?=	60
FUZZ_CFLAGS =	-g -O1 -fsanitize=fuzzer,address,undefined -std=c11 \
		-D_GNU_SOURCE -Isrc $(DEP_CFLAGS)

build/fuzz/fuzz-parse: tests/fuzz/fuzz-parse.c src/imap-parse.c src/xmalloc.c
	@mkdir -p build/fuzz
	clang $(FUZZ_CFLAGS) -o $@ $^ $(DEP_LIBS)

build/fuzz/fuzz-resp: tests/fuzz/fuzz-resp.c src/imap-resp.c src/imap-parse.c \
    src/xmalloc.c
	@mkdir -p build/fuzz
	clang $(FUZZ_CFLAGS) -o $@ $^ $(DEP_LIBS)

build/fuzz/fuzz-lex: tests/fuzz/fuzz-lex.c src/lex.c src/xmalloc.c
	@mkdir -p build/fuzz
	clang $(FUZZ_CFLAGS) -o $@ $^ $(DEP_LIBS)

# The printers too: JSON (fuzz-json) and the Python repr (fuzz-repr), on
# value trees built by tests/fuzz/pvgen.c (make fuzz runs them last).
fuzz: build/fuzz/fuzz-json build/fuzz/fuzz-repr
PVGEN_SRCS =	tests/fuzz/pvgen.c src/utf8.c src/pyval.c src/output.c \
		src/intr.c src/compat.c src/xmalloc.c

build/fuzz/fuzz-json: tests/fuzz/fuzz-json.c src/imap-json.c src/sasl.c \
    src/sasl-gssapi.c $(PVGEN_SRCS) tests/fuzz/pvgen.h
	@mkdir -p build/fuzz
	clang $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) $(DEP_LIBS)

build/fuzz/fuzz-repr: tests/fuzz/fuzz-repr.c src/esc.c src/emit.c src/rwin.c \
    src/py-repr.c src/py-print.c $(PVGEN_SRCS) tests/fuzz/pvgen.h
	@mkdir -p build/fuzz
	clang $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) $(DEP_LIBS)

# Each target runs FUZZ_SECONDS on a fresh copy of its seed corpus.
fuzz: build/fuzz/fuzz-parse build/fuzz/fuzz-resp build/fuzz/fuzz-lex
	@rm -rf build/fuzz/corpus-parse && mkdir -p build/fuzz/corpus-parse
	cp tests/fuzz/corpus-parse/* build/fuzz/corpus-parse/
	build/fuzz/fuzz-parse -max_total_time=$(FUZZ_SECONDS) \
	    -dict=tests/fuzz/imap.dict build/fuzz/corpus-parse
	@rm -rf build/fuzz/corpus-resp && mkdir -p build/fuzz/corpus-resp
	cp tests/fuzz/corpus-resp/* build/fuzz/corpus-resp/
	build/fuzz/fuzz-resp -max_total_time=$(FUZZ_SECONDS) \
	    -dict=tests/fuzz/imap.dict build/fuzz/corpus-resp
	@rm -rf build/fuzz/corpus-lex && mkdir -p build/fuzz/corpus-lex
	cp tests/fuzz/corpus-lex/* build/fuzz/corpus-lex/
	build/fuzz/fuzz-lex -max_total_time=$(FUZZ_SECONDS) \
	    -dict=tests/fuzz/lex.dict build/fuzz/corpus-lex
	@for t in json repr; do \
	    rm -rf build/fuzz/corpus-$$t && mkdir -p build/fuzz/corpus-$$t && \
	    cp tests/fuzz/corpus-print/* build/fuzz/corpus-$$t/ && \
	    build/fuzz/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) \
	    -dict=tests/fuzz/print.dict build/fuzz/corpus-$$t || exit 1; \
	done

# Benchmark (bench/README.md): imapsh against a raw socket client and
# Python's imaplib on a private Dovecot; prints a table and writes
# bench/RESULTS.md and bench/results.json.  BENCH_FLAGS: e.g. --small
# (a 40 MB mailbox instead of 400 MB), --runs 5, --jobs A,C.
BENCH_FLAGS ?=

.PHONY: bench
bench: imapsh
	@sh scripts/install-deps --check
	python3 bench/run $(BENCH_FLAGS)
