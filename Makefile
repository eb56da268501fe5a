# Makefile: builds imapsh, runs its tests, opens the demo, installs it.
#
#   make            build ./imapsh (runs autoreconf and ./configure when the
#                   checkout is fresh)
#   make check      install what the tests need, build, run every test
#                   (unit, end to end against a private Dovecot, and the same
#                   again under ASan+UBSan); ends with "N passed, N failed"
#   make demo       imapsh on a throwaway local Dovecot with sample mail
#   make install    PREFIX (default /usr/local) and DESTDIR are honoured
#   make clean      remove what the build made

PREFIX ?=	/usr/local
BINDIR ?=	$(PREFIX)/bin
MANDIR ?=	$(PREFIX)/share/man
DATADIR ?=	$(PREFIX)/share

NOCONF_GOALS =	clean distclean
ifeq ($(filter $(NOCONF_GOALS),$(MAKECMDGOALS)),)
-include config.mk
endif

# check and demo install missing Debian packages before anything else,
# including the first ./configure of a fresh checkout.
ifneq ($(filter check demo bench,$(MAKECMDGOALS)),)
INSTALL_DEPS =	sh scripts/install-deps &&
endif

SRCS =	main.c repl.c linein.c complete.c config.c lex.c cmd.c cmd-session.c cmd-mailbox.c \
	cmd-message.c cmd-local.c cmd-auth.c cmd-idle.c cmd-ext.c imap.c \
	imap-parse.c imap-quote.c crlf.c msgcount.c target.c hint.c \
	imap-print.c imap-json.c imap-util.c imap-date.c imap-utf7.c cmd-util.c pyval.c \
	output.c xmalloc.c \
	transport.c tr-tcp.c tr-tls.c tr-cmd.c tr-zlib.c sasl.c secret.c trace.c
# Everything but the front end: what the unit tests link against.
LIBSRCS = $(filter-out main.c repl.c complete.c,$(SRCS))
UNITS =	parse lex quote util print utf7 crlf linein live sasl msgcount

STD_CFLAGS =	-std=c11 -D_GNU_SOURCE -DIMAPSH_VERSION='"$(PACKAGE_VERSION)"' \
		-DLIBEDIT_VERSION='"$(LIBEDIT_VERSION)"' -Isrc
ALL_CFLAGS =	$(STD_CFLAGS) $(WARN_CFLAGS) $(DEP_CFLAGS) $(CPPFLAGS) $(CFLAGS)
ASAN_FLAGS =	-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
		-fno-sanitize-recover=undefined
ASAN_CFLAGS =	$(STD_CFLAGS) $(WARN_CFLAGS) $(DEP_CFLAGS) $(CPPFLAGS) \
		$(ASAN_FLAGS)

OBJS =		$(SRCS:%.c=build/%.o)
LIBOBJS =	$(LIBSRCS:%.c=build/%.o)
ASAN_OBJS =	$(SRCS:%.c=build/asan/%.o)
ASAN_LIBOBJS =	$(LIBSRCS:%.c=build/asan/%.o)
UNIT_BINS =	$(UNITS:%=build/unit/test-%)
ASAN_UNIT_BINS = $(UNITS:%=build/asan/unit/test-%)

.PHONY: all check demo install uninstall clean distclean asan units fuzz

all: imapsh

config.mk: configure.ac config.mk.in
	@$(INSTALL_DEPS) command -v autoreconf >/dev/null || \
	    { echo "autoreconf not found: run 'sh scripts/install-deps'" \
	    "(or 'make check', which does)" >&2; exit 1; }
	autoreconf -fi
	./configure

imapsh: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(DEP_LIBS)

build/%.o: src/%.c src/*.h config.mk
	@mkdir -p build
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/asan/%.o: src/%.c src/*.h config.mk
	@mkdir -p build/asan
	$(CC) $(ASAN_CFLAGS) -c -o $@ $<

build/asan/imapsh: $(ASAN_OBJS)
	$(CC) $(ASAN_FLAGS) $(LDFLAGS) -o $@ $(ASAN_OBJS) $(DEP_LIBS)

build/unit/test-%: tests/unit/test-%.c tests/unit/tap.h $(LIBOBJS)
	@mkdir -p build/unit
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBOBJS) $(DEP_LIBS)

build/asan/unit/test-%: tests/unit/test-%.c tests/unit/tap.h $(ASAN_LIBOBJS)
	@mkdir -p build/asan/unit
	$(CC) $(ASAN_CFLAGS) $(LDFLAGS) -o $@ $< $(ASAN_LIBOBJS) $(DEP_LIBS)

units: $(UNIT_BINS)
asan: build/asan/imapsh $(ASAN_UNIT_BINS)

check: config.mk
	@sh scripts/install-deps
	@$(MAKE) --no-print-directory imapsh units asan
	@IMAPSH=$(CURDIR)/imapsh UNIT_DIR=$(CURDIR)/build/unit \
	    ASAN_IMAPSH=$(CURDIR)/build/asan/imapsh \
	    ASAN_UNIT_DIR=$(CURDIR)/build/asan/unit \
	    bash tests/run

demo: config.mk
	@sh scripts/install-deps
	@$(MAKE) --no-print-directory imapsh
	@IMAPSH=$(CURDIR)/imapsh bash tests/demo

install: imapsh
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(DATADIR)/bash-completion/completions \
	    $(DESTDIR)$(DATADIR)/zsh/site-functions \
	    $(DESTDIR)$(DATADIR)/fish/vendor_completions.d
	install -m 755 imapsh $(DESTDIR)$(BINDIR)/imapsh
	install -m 644 man/imapsh.1 $(DESTDIR)$(MANDIR)/man1/imapsh.1
	install -m 644 completions/imapsh.bash \
	    $(DESTDIR)$(DATADIR)/bash-completion/completions/imapsh
	install -m 644 completions/_imapsh \
	    $(DESTDIR)$(DATADIR)/zsh/site-functions/_imapsh
	install -m 644 completions/imapsh.fish \
	    $(DESTDIR)$(DATADIR)/fish/vendor_completions.d/imapsh.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/imapsh $(DESTDIR)$(MANDIR)/man1/imapsh.1 \
	    $(DESTDIR)$(DATADIR)/bash-completion/completions/imapsh \
	    $(DESTDIR)$(DATADIR)/zsh/site-functions/_imapsh \
	    $(DESTDIR)$(DATADIR)/fish/vendor_completions.d/imapsh.fish

clean:
	rm -rf build imapsh

distclean: clean
	rm -rf config.mk config.log config.status configure autom4te.cache \
	    aclocal.m4 configure~

# Fuzzing (clang's libFuzzer): the response parser (fuzz-parse) and the
# line tokenizer (fuzz-lex), FUZZ_SECONDS each, with their seed corpora.
# tests/fuzz/run-short builds the same targets for the short run of make
# check (tests/bats/95-fuzz.bats).
FUZZ_SECONDS ?=	60
FUZZ_CFLAGS =	-g -O1 -fsanitize=fuzzer,address,undefined -std=c11 \
		-D_GNU_SOURCE -Isrc $(DEP_CFLAGS)

build/fuzz/fuzz-parse: tests/fuzz/fuzz-parse.c src/imap-parse.c src/xmalloc.c
	@mkdir -p build/fuzz
	clang $(FUZZ_CFLAGS) -o $@ $^ $(DEP_LIBS)

build/fuzz/fuzz-lex: tests/fuzz/fuzz-lex.c src/lex.c src/xmalloc.c
	@mkdir -p build/fuzz
	clang $(FUZZ_CFLAGS) -o $@ $^ $(DEP_LIBS)

# Each target runs FUZZ_SECONDS on a fresh copy of its seed corpus.
fuzz: build/fuzz/fuzz-parse build/fuzz/fuzz-lex
	@rm -rf build/fuzz/corpus-parse && mkdir -p build/fuzz/corpus-parse
	cp tests/fuzz/corpus-parse/* build/fuzz/corpus-parse/
	build/fuzz/fuzz-parse -max_total_time=$(FUZZ_SECONDS) \
	    -dict=tests/fuzz/imap.dict build/fuzz/corpus-parse
	@rm -rf build/fuzz/corpus-lex && mkdir -p build/fuzz/corpus-lex
	cp tests/fuzz/corpus-lex/* build/fuzz/corpus-lex/
	build/fuzz/fuzz-lex -max_total_time=$(FUZZ_SECONDS) \
	    -dict=tests/fuzz/lex.dict build/fuzz/corpus-lex

# Benchmark (bench/README.md): imapsh against a raw socket client and
# Python's imaplib on a private Dovecot; prints a table and writes
# bench/RESULTS.md and bench/results.json.  BENCH_FLAGS: e.g. --small
# (a 40 MB mailbox instead of 400 MB), --runs 5, --jobs A,C.
BENCH_FLAGS ?=

.PHONY: bench
bench: imapsh
	@sh scripts/install-deps
	python3 bench/run $(BENCH_FLAGS)
