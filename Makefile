# riskreg - every entry point: all, demo, test, asan, install, format, lint, bench, fuzz

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
BUILD     ?= build
BACKEND   ?= sqlite
CC        ?= cc

BINDIR     = $(PREFIX)/bin
DATADIR    = $(PREFIX)/share/riskreg
MANDIR     = $(PREFIX)/share/man
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR = $(PREFIX)/share/zsh/vendor-completions

PKGS      := lua5.4 sqlite3 libpq gdlib libpng libdeflate libcmark jansson libcrypto fontconfig xlsxwriter \
             libzip expat libxxhash
# libcsv ships no pkg-config file on Debian; use it when a distribution adds one
CSV_LIBS  := $(shell pkg-config --libs libcsv 2>/dev/null || echo -lcsv)
# mimalloc is the program's allocator: a build makes and drops millions of small Lua tables and
# strings, and spends a fifth of its time in glibc's malloc. Sanitizer builds keep the system's
# allocator, whose allocations they track. (No pkg-config file on Debian either.)
MALLOC_LIBS ?= $(shell pkg-config --libs mimalloc 2>/dev/null || echo -lmimalloc)

OPT       ?= -O2 -g
WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wno-format-nonliteral
CFLAGS    ?=
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(MALLOC_LIBS) $(shell pkg-config --libs $(PKGS) 2>/dev/null) $(CSV_LIBS) -lm -lpthread
ALL_CFLAGS = -std=gnu11 $(OPT) $(WARN) $(PKG_CFLAGS) -I src -I $(BUILD)/gen \
             -DRISKREG_VERSION='"$(VERSION)"' -DRISKREG_DATADIR='"$(DATADIR)"' \
             $(SOURCE_FALLBACK) $(CFLAGS)
# A build in the source tree finds scripts/ and report-templates/ here when nothing is installed;
# the installed program (make install) never looks at the source tree.
SOURCE_FALLBACK ?= -DRISKREG_SOURCEDIR='"$(CURDIR)"'


SRCS      := $(sort $(wildcard src/*.c))
OBJS      := $(SRCS:src/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/embedded.o $(BUILD)/obj/manual_text.o
LIB_OBJS  := $(filter-out $(BUILD)/obj/main.o,$(OBJS))
MIGRATIONS := $(sort $(wildcard register/migrations/*.sql))
SERVER_MIGRATIONS := $(sort $(wildcard register/server/*.sql))

.PHONY: all deps demo test check asan ubsan install uninstall format lint clean bench fuzz gallery

all: $(BUILD)/riskreg

$(BUILD)/riskreg: $(OBJS)
	@echo "  LINK   $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $(OBJS) $(PKG_LIBS) $(LDFLAGS)

$(BUILD)/obj/%.o: src/%.c $(wildcard src/*.h) | $(BUILD)/obj
	@echo "  CC     $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/obj/embedded.o: $(BUILD)/gen/embedded.c | $(BUILD)/obj
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

# embed_migrations NAME,FILES,COUNT: the shell that writes C's NAME[] (version, file name, SQL per
# file, in order) and COUNT
embed_migrations = echo 'const struct migration $(1)[] = {'; \
	   for m in $(2); do \
	     n=$$(basename $$m); v=$$(echo $$n | sed 's/^0*\([0-9][0-9]*\)-.*/\1/'); \
	     echo "    {$$v, \"$$n\","; \
	     awk '{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); printf "     \"%s\\n\"\n", $$0 }' $$m; \
	     echo '    },'; \
	   done; \
	   echo '    {0, 0, 0}};'; \
	   echo 'const int $(3) = $(words $(2));';

# The schema and migrations go into the binary, so an installed riskreg needs no source tree.
$(BUILD)/gen/embedded.c: register/schema.sql $(MIGRATIONS) $(SERVER_MIGRATIONS) Makefile | $(BUILD)/gen
	@{ echo '/* generated from register/ by make; do not edit */'; \
	   echo 'struct migration { int version; const char *name; const char *sql; };'; \
	   echo 'const char register_schema_sql[] ='; \
	   awk '{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); printf "    \"%s\\n\"\n", $$0 }' register/schema.sql; \
	   echo '    ;'; \
	   $(call embed_migrations,register_migrations,$(MIGRATIONS),register_migration_count) \
	   $(call embed_migrations,register_server_migrations,$(SERVER_MIGRATIONS),register_server_migration_count) \
	 } > $@.tmp && mv $@.tmp $@

# riskreg help lua prints riskreg-lua(7) from the scdoc source the man page is made of
# (manual.c takes the marks away), so the two never differ and the help needs no man.
$(BUILD)/gen/manual_text.c: src/riskreg-lua.7.scd Makefile | $(BUILD)/gen
	@{ echo '/* generated from src/riskreg-lua.7.scd by make; do not edit */'; \
	   echo 'const char manual_lua_scd[] ='; \
	   awk '{ gsub(/\\/, "&&"); gsub(/"/, "\\\""); gsub(/\t/, "\\t"); printf "    \"%s\\n\"\n", $$0 }' $<; \
	   echo '    ;'; \
	 } > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/manual_text.o: $(BUILD)/gen/manual_text.c | $(BUILD)/obj
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/obj $(BUILD)/gen:
	@mkdir -p $@

# ---- the install step: apt-get only what is missing --------------------------------------
# Each entry is WHAT=PACKAGE: an absolute path that must exist, or a command that must run.
DEPS := /usr/include/lua5.4/lua.h=liblua5.4-dev \
        /usr/include/sqlite3.h=libsqlite3-dev \
        /usr/include/postgresql/libpq-fe.h=libpq-dev \
        /usr/bin/pg_virtualenv=postgresql \
        /usr/include/gd.h=libgd-dev \
        /usr/include/cmark.h=libcmark-dev \
        /usr/include/csv.h=libcsv-dev \
        /usr/include/jansson.h=libjansson-dev \
        /usr/include/openssl/evp.h=libssl-dev \
        /usr/include/fontconfig/fontconfig.h=libfontconfig-dev \
        /usr/include/png.h=libpng-dev \
        /usr/include/libdeflate.h=libdeflate-dev \
        /usr/include/mimalloc.h=libmimalloc-dev \
        /usr/include/xlsxwriter.h=libxlsxwriter-dev \
        /usr/include/xxhash.h=libxxhash-dev \
        /usr/include/zip.h=libzip-dev \
        /usr/include/expat.h=libexpat1-dev \
        /usr/lib/python3/dist-packages/openpyxl/__init__.py=python3-openpyxl \
        /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf=fonts-dejavu-core \
        /usr/bin/time=time pkg-config=pkg-config cc=gcc make=make sqlite3=sqlite3 awk=mawk tidy=tidy \
        scdoc=scdoc man=man-db zsh=zsh cppcheck=cppcheck luacheck=lua-check clang-format=clang-format \
        /usr/bin/chromium=chromium node=nodejs npm=npm pdfinfo=poppler-utils

deps:
	@missing=""; \
	for d in $(DEPS); do \
	  what=$${d%%=*}; pkg=$${d#*=}; \
	  case $$what in \
	    /*) [ -e "$$what" ] || missing="$$missing $$pkg" ;; \
	    *) command -v "$$what" >/dev/null 2>&1 || missing="$$missing $$pkg" ;; \
	  esac; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing >/dev/null || \
	    { echo "make: could not install$$missing; install them and run make again" >&2; exit 1; }; \
	fi

# ---- the demo register -------------------------------------------------------------------
DEMO := register/demo

demo: deps
	@$(MAKE) --no-print-directory all man
	@rm -rf $(DEMO)/register.db $(DEMO)/register.db-wal $(DEMO)/register.db-shm
	@RISKREG_ACTOR=demo $(BUILD)/riskreg -C $(DEMO) import $(DEMO)/data --on 2026-11-20
	@RISKREG_ACTOR=demo $(BUILD)/riskreg -C $(DEMO) review freeze
	@$(BUILD)/riskreg -C $(DEMO) verify
	@$(BUILD)/riskreg -C $(DEMO) build --quiet
	@echo
	@echo "The demo register is $(DEMO)/register.db; try"
	@echo "  $(BUILD)/riskreg -C $(DEMO) list risks status=open"
	@echo "  $(BUILD)/riskreg -C $(DEMO) due --within 30"
	@echo
	@echo "The management-review site is built. Open it in a browser:"
	@echo "  $(CURDIR)/$(DEMO)/public/index.html"
	@echo
	@echo "To change it, see report-templates/README.md; the Lua API of report scripts:"
	@echo "  man -l $(BUILD)/man/riskreg-lua.7   (or $(BUILD)/riskreg help lua)"

# ---- tests -------------------------------------------------------------------------------
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/*.c))

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC     $@"
	@$(CC) $(ALL_CFLAGS) -I tests/unit -o $@ $< $(LIB_OBJS) $(PKG_LIBS) $(LDFLAGS)

test: deps
	@$(MAKE) --no-print-directory all $(UNIT_TESTS)
	@RISKREG=$(CURDIR)/$(BUILD)/riskreg UNIT_DIR=$(CURDIR)/$(BUILD)/tests tests/run.sh

check: test

# valgrind memcheck over init, import, build (one thread and the default), verify, export, list,
# show and the write commands of the demo register: no definite/indirect leak, no memory error.
# Slow (a minute or more), so not part of make test; tests/leakcheck.sh skips without LEAKCHECK=1.
.PHONY: leakcheck
leakcheck: deps
	@$(MAKE) --no-print-directory all
	@command -v valgrind >/dev/null 2>&1 || { sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq valgrind >/dev/null; }
	@LEAKCHECK=1 RISKREG=$(CURDIR)/$(BUILD)/riskreg RESULTS=/dev/null bash tests/leakcheck.sh && echo "leakcheck: no leaks, no errors"

# Redraw the chart gallery (scripts/gallery/*.png) from scripts/CHARTS.md, on purpose.
gallery: all
	@GALLERY_WRITE=1 RISKREG=$(CURDIR)/$(BUILD)/riskreg RESULTS=/dev/null bash tests/charts.sh

# Write riskreg help templates' lists into report-templates/README.md and scripts/README.md again,
# after a change to scripts/lib/templates.lua (tests/extend.sh fails until they match).
.PHONY: docs
docs: all
	@DOCS_WRITE=1 RISKREG=$(CURDIR)/$(BUILD)/riskreg RESULTS=/dev/null bash tests/extend.sh

# Redraw the reference charts in tests/data/charts, on purpose: after a change to how charts
# look, view the new pictures before committing them.
.PHONY: charts-reference
charts-reference: $(BUILD)/tests/test_chart
	@mkdir -p tests/data/charts
	@CHART_REFERENCE_WRITE=1 $(BUILD)/tests/test_chart

# AddressSanitizer + UndefinedBehaviorSanitizer over the whole suite, in its own build folder.
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
asan: deps
	@$(MAKE) --no-print-directory BUILD=build/asan OPT="$(SAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" MALLOC_LIBS= \
	  all $(patsubst $(BUILD)/%,build/asan/%,$(UNIT_TESTS))
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  RISKREG=$(CURDIR)/build/asan/riskreg UNIT_DIR=$(CURDIR)/build/asan/tests tests/run.sh

ubsan: asan

# ---- fuzzing: make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="csv date"], make fuzz-regress ------
# libFuzzer targets (tests/fuzz/fuzz_*.c, see tests/fuzz/README.md) built with clang, ASan and
# UBSan in build/fuzz. `fuzz` runs each target for FUZZ_SECONDS on a scratch copy of its corpus
# (the template target's is seeded with report-templates/*.html as well);
# `fuzz-regress` runs each once over its corpus and regressions, without fuzzing.
FUZZ_TARGETS ?= csv date rating template assignment xlsx
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_BUILD   := build/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $(FUZZ_SAN)
# extra flags for clang (e.g. a warning gcc does not have), empty by default
FUZZ_CFLAGS  ?=
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzzers/fuzz_%)
FUZZ_RUN     := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1 \
                UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

.PHONY: fuzz-deps fuzz-build fuzz-regress

$(BUILD)/fuzzers/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h tests/unit/unit_config.h $(LIB_OBJS)
	@mkdir -p $(dir $@)
	@echo "  FUZZ   $@"
	@$(CC) $(ALL_CFLAGS) -I tests/fuzz -o $@ $< $(LIB_OBJS) $(PKG_LIBS) $(LDFLAGS)

# clang, and libFuzzer's runtime for it (Debian: libclang-rt-N-dev), checked with a tiny target
fuzz-deps: deps
	@command -v $(FUZZ_CC) >/dev/null 2>&1 || { \
	  echo "installing: clang"; sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq clang >/dev/null || \
	    { echo "make: could not install clang; install it and run make again" >&2; exit 1; }; }
	@mkdir -p $(FUZZ_BUILD); probe=$(FUZZ_BUILD)/probe; \
	printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' > $$probe.c; \
	if ! $(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $$probe $$probe.c >/dev/null 2>&1; then \
	  v=$$($(FUZZ_CC) --version | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -1); \
	  echo "installing: libclang-rt-$$v-dev"; sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq libclang-rt-$$v-dev >/dev/null && \
	  $(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $$probe $$probe.c || \
	    { echo "make: $(FUZZ_CC) cannot link -fsanitize=fuzzer; install libFuzzer's runtime (libclang-rt-$$v-dev)" >&2; exit 1; }; \
	fi; rm -f $$probe $$probe.c

fuzz-build: fuzz-deps
	@$(MAKE) --no-print-directory -s BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) OPT="$(FUZZ_OPT)" MALLOC_LIBS= \
	  CFLAGS="$(FUZZ_CFLAGS)" LDFLAGS="-fsanitize=fuzzer $(FUZZ_SAN)" $(FUZZ_BINS)

# Each target FUZZ_SECONDS on a scratch copy of its corpus (new inputs stay out of the tree);
# a crash fails the run and leaves its input in build/fuzz/artifacts/TARGET/.
fuzz: fuzz-build
	@scratch=$$(mktemp -d); trap 'rm -rf "$$scratch"' EXIT; failed=""; \
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p "$$scratch/$$t" $(FUZZ_BUILD)/artifacts/$$t $(FUZZ_BUILD)/logs; \
	  cp tests/fuzz/corpus/$$t/* "$$scratch/$$t/" 2>/dev/null; \
	  [ $$t != template ] || cp report-templates/*.html "$$scratch/$$t/"; \
	  regs=tests/fuzz/regressions/$$t; [ -d $$regs ] || regs=; \
	  log=$(FUZZ_BUILD)/logs/$$t.log; \
	  echo "fuzz $$t: $(FUZZ_SECONDS) s (log $$log)"; \
	  if $(FUZZ_RUN) $(FUZZ_BUILD)/fuzzers/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	       -close_fd_mask=2 -print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/artifacts/$$t/ \
	       "$$scratch/$$t" $$regs >$$log 2>&1; then \
	    awk '/^stat::number_of_executed_units/ { n = $$NF } /^stat::average_exec_per_sec/ { r = $$NF } \
	      /^stat::new_units_added/ { u = $$NF } END { printf "  ok: %s runs, %s exec/s, %s new inputs\n", n, r, u }' $$log; \
	  else \
	    awk '/fuzz invariant|^template \(|==ERROR|runtime error/ { on = 1 } \
	      /Test unit written/ { print; on = 0; next } /^SUMMARY:/ && on { print; on = 0; next } \
	      on && !/fuzzer::|libc_start|in _start|pthread_kill|raise\.c|abort\.c|print_stack_trace|^NOTE|Combine libFuzzer/ { print }' \
	      $$log | head -n 60; failed="$$failed $$t"; \
	    echo "fuzz $$t: FAILED; the input is in $(FUZZ_BUILD)/artifacts/$$t/ (see 'Test unit written to' above)"; \
	    echo "  reproduce: $(FUZZ_BUILD)/fuzzers/fuzz_$$t ARTIFACT; keep it: copy it into tests/fuzz/regressions/$$t/"; \
	  fi; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: crashes in:$$failed" >&2; exit 1; fi

# Every corpus input (in one run) and every regression (one run each, so each is reported) once
# through its target, no fuzzing: one line per target, and what broke under a failing one.
fuzz-regress: fuzz-build
	@failed=""; mkdir -p $(FUZZ_BUILD)/logs; \
	for t in $(FUZZ_TARGETS); do \
	  bin=$(FUZZ_BUILD)/fuzzers/fuzz_$$t; log=$(FUZZ_BUILD)/logs/$$t-regress.log; : > $$log; \
	  corpus=$$(find tests/fuzz/corpus/$$t -type f ! -name '.*' 2>/dev/null | sort; \
	    [ $$t != template ] || ls report-templates/*.html); \
	  regs=$$(find tests/fuzz/regressions/$$t -type f ! -name '.*' 2>/dev/null | sort); \
	  nc=$$(printf '%s\n' $$corpus | grep -c .); nr=$$(printf '%s\n' $$regs | grep -c .); bad=""; \
	  if [ "$$nc" = 0 ] || ! $(FUZZ_RUN) $$bin -close_fd_mask=2 $$corpus >>$$log 2>&1; then \
	    bad="corpus:$$(sed -n 's/^Running: .*\///p' $$log | tail -n 1)"; fi; \
	  for r in $$regs; do \
	    $(FUZZ_RUN) $$bin -close_fd_mask=2 $$r >$$log.one 2>&1 || { bad="$$bad $$(basename $$r)"; \
	      { grep -m 1 -A 1 'fuzz invariant' $$log.one; \
	        grep -m 1 -E 'ERROR: [A-Za-z]+Sanitizer|runtime error' $$log.one | sed 's/ on address.*//; s/^==[0-9]*==//'; \
	        grep -m 1 -E '#[0-9]+ .* in [A-Za-z_].* [^ ]*/src/' $$log.one | sed 's/.* in /  at /'; } | \
	        sed "s|^|  $$(basename $$r): |" >> $$log.why; }; \
	    cat $$log.one >> $$log; rm -f $$log.one; \
	  done; \
	  if [ -z "$$bad" ]; then echo "fuzz-regress $$t: $$nc corpus and $$nr regression inputs ok"; \
	  else echo "fuzz-regress $$t: FAILED:$$bad (of $$nc corpus, $$nr regression inputs; log $$log)"; \
	    [ -f $$log.why ] && cut -c1-200 $$log.why; failed="$$failed $$t"; fi; \
	  rm -f $$log.why; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz-regress: failed:$$failed" >&2; exit 1; fi

# ---- benchmarks: make bench [BENCH_N="1000 10000"] [BENCH_REPEAT=3] [BENCH_JOBS=N] ------
# Hugo (the same pages without charts) and a Python + jinja2 + matplotlib peer (N ≤ 1000, or
# BENCH_PEER_MAX) run beside riskreg; BENCH_N=100000 shows how the cost per risk grows.
bench: deps
	@$(MAKE) --no-print-directory all $(BUILD)/bench/chart_bench
	@command -v hugo >/dev/null 2>&1 && [ -x /usr/bin/time ] && /usr/bin/python3 -c 'import jinja2, matplotlib' 2>/dev/null || \
	  { sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends hugo time python3-jinja2 python3-matplotlib >/dev/null; }
	@BACKEND=$(BACKEND) RISKREG=$(CURDIR)/$(BUILD)/riskreg CHART_BENCH=$(CURDIR)/$(BUILD)/bench/chart_bench tests/bench/run.sh

$(BUILD)/bench/chart_bench: tests/bench/chart_bench.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	@$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB_OBJS) $(PKG_LIBS) $(LDFLAGS)

# ---- man pages: build/man/riskreg.1 and riskreg-lua.7 from src/*.scd (scdoc: make deps) ----
# The date in a page's footer is its source's last commit (or SOURCE_DATE_EPOCH), not today.
MAN_PAGES := $(BUILD)/man/riskreg.1 $(BUILD)/man/riskreg-lua.7

.PHONY: man
man: $(MAN_PAGES)

$(BUILD)/man/riskreg.1: src/riskreg.1.scd
$(BUILD)/man/riskreg-lua.7: src/riskreg-lua.7.scd
$(MAN_PAGES):
	@command -v scdoc >/dev/null 2>&1 || { echo "make: scdoc is missing; make deps installs it" >&2; exit 1; }
	@mkdir -p $(dir $@)
	@echo "  SCDOC  $@"
	@e=$${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct -- $< 2>/dev/null)}; \
	  [ -n "$$e" ] || e=$$(stat -c %Y $<); \
	  SOURCE_DATE_EPOCH=$$e scdoc < $< > $@.tmp && mv $@.tmp $@

# ---- install -----------------------------------------------------------------------------
# The installed program is compiled for its PREFIX, in a folder of its own.
INSTALL_BUILD = build/install$(abspath $(PREFIX))
install: $(MAN_PAGES)
	@$(MAKE) --no-print-directory BUILD=$(INSTALL_BUILD) SOURCE_FALLBACK= PREFIX=$(PREFIX) all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)
	install -m 755 $(INSTALL_BUILD)/riskreg $(DESTDIR)$(BINDIR)/riskreg
	cp -R scripts report-templates $(DESTDIR)$(DATADIR)/
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7
	install -m 644 $(BUILD)/man/riskreg.1 $(DESTDIR)$(MANDIR)/man1/riskreg.1
	install -m 644 $(BUILD)/man/riskreg-lua.7 $(DESTDIR)$(MANDIR)/man7/riskreg-lua.7
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 644 src/completion/riskreg.bash $(DESTDIR)$(BASHCOMPDIR)/riskreg
	install -m 644 src/completion/_riskreg $(DESTDIR)$(ZSHCOMPDIR)/_riskreg

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/riskreg
	rm -rf $(DESTDIR)$(DATADIR)
	rm -f $(DESTDIR)$(MANDIR)/man1/riskreg.1 $(DESTDIR)$(MANDIR)/man7/riskreg-lua.7
	rm -f $(DESTDIR)$(BASHCOMPDIR)/riskreg $(DESTDIR)$(ZSHCOMPDIR)/_riskreg

# ---- housekeeping ------------------------------------------------------------------------
FORMATTED := src/*.c src/*.h tests/unit/*.c tests/unit/*.h tests/fuzz/*.c tests/fuzz/*.h tests/bench/*.c

format:
	clang-format -i $(FORMATTED)

# cppcheck over the C, luacheck over the Lua (the sandbox's globals: .luacheckrc), and the C as
# make format leaves it
lint: deps
	@echo "  CPPCHECK src"
	@cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --suppress=missingIncludeSystem -I src src
	@echo "  LUACHECK scripts register/demo/scripts"
	@luacheck --quiet --no-color scripts register/demo/scripts
	@echo "  FORMAT   $(words $(wildcard $(FORMATTED))) files"
	@clang-format --dry-run --Werror $(FORMATTED)

clean:
	rm -rf build
