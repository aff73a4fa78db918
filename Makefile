# riskreg - every entry point: all, demo, test, asan, install, format, lint, bench, fuzz

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
BUILD     ?= build
CC        ?= cc

BINDIR     = $(PREFIX)/bin
DATADIR    = $(PREFIX)/share/riskreg
MANDIR     = $(PREFIX)/share/man

PKGS      := lua5.4 sqlite3 gdlib libpng libcmark jansson libcrypto fontconfig
# libcsv ships no pkg-config file on Debian; use it when a distribution adds one
CSV_LIBS  := $(shell pkg-config --libs libcsv 2>/dev/null || echo -lcsv)

OPT       ?= -O2 -g
WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wno-format-nonliteral
CFLAGS    ?=
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) $(CSV_LIBS) -lm -lpthread
ALL_CFLAGS = -std=gnu11 $(OPT) $(WARN) $(PKG_CFLAGS) -I src -I $(BUILD)/gen \
             -DRISKREG_VERSION='"$(VERSION)"' -DRISKREG_DATADIR='"$(DATADIR)"' \
             -DRISKREG_SOURCEDIR='"$(CURDIR)"' $(CFLAGS)

SRCS      := $(sort $(wildcard src/*.c))
OBJS      := $(SRCS:src/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/embedded.o
LIB_OBJS  := $(filter-out $(BUILD)/obj/main.o,$(OBJS))
MIGRATIONS := $(sort $(wildcard register/migrations/*.sql))

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

# The schema and migrations go into the binary, so an installed riskreg needs no source tree.
$(BUILD)/gen/embedded.c: register/schema.sql $(MIGRATIONS) Makefile | $(BUILD)/gen
	@{ echo '/* generated from register/ by make; do not edit */'; \
	   echo 'struct migration { int version; const char *name; const char *sql; };'; \
	   echo 'const char register_schema_sql[] ='; \
	   awk '{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); printf "    \"%s\\n\"\n", $$0 }' register/schema.sql; \
	   echo '    ;'; \
	   echo 'const struct migration register_migrations[] = {'; \
	   for m in $(MIGRATIONS); do \
	     n=$$(basename $$m); v=$$(echo $$n | sed 's/^0*\([0-9][0-9]*\)-.*/\1/'); \
	     echo "    {$$v, \"$$n\","; \
	     awk '{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); printf "     \"%s\\n\"\n", $$0 }' $$m; \
	     echo '    },'; \
	   done; \
	   echo '    {0, 0, 0}};'; \
	   echo 'const int register_migration_count = $(words $(MIGRATIONS));'; \
	 } > $@.tmp && mv $@.tmp $@

$(BUILD)/obj $(BUILD)/gen:
	@mkdir -p $@

# ---- the install step: apt-get only what is missing --------------------------------------
# Each entry is WHAT=PACKAGE: an absolute path that must exist, or a command that must run.
DEPS := /usr/include/lua5.4/lua.h=liblua5.4-dev \
        /usr/include/sqlite3.h=libsqlite3-dev \
        /usr/include/gd.h=libgd-dev \
        /usr/include/cmark.h=libcmark-dev \
        /usr/include/csv.h=libcsv-dev \
        /usr/include/jansson.h=libjansson-dev \
        /usr/include/openssl/evp.h=libssl-dev \
        /usr/include/fontconfig/fontconfig.h=libfontconfig-dev \
        /usr/include/png.h=libpng-dev \
        /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf=fonts-dejavu-core \
        pkg-config=pkg-config cc=gcc make=make sqlite3=sqlite3 awk=mawk tidy=tidy \
        /usr/bin/chromium=chromium node=nodejs npm=npm

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
	@$(MAKE) --no-print-directory all
	@rm -rf $(DEMO)/register.db $(DEMO)/register.db-wal $(DEMO)/register.db-shm
	@RISKREG_ACTOR=demo $(BUILD)/riskreg -C $(DEMO) import $(DEMO)/data --on 2026-11-20
	@$(BUILD)/riskreg -C $(DEMO) verify
	@$(BUILD)/riskreg -C $(DEMO) build --quiet
	@echo
	@echo "The demo register is $(DEMO)/register.db; try"
	@echo "  $(BUILD)/riskreg -C $(DEMO) list risks status=open"
	@echo "  $(BUILD)/riskreg -C $(DEMO) due --within 30"
	@echo
	@echo "The management-review site is built. Open it in a browser:"
	@echo "  $(CURDIR)/$(DEMO)/public/index.html"

# ---- tests -------------------------------------------------------------------------------
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/*.c))

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS) tests/unit/unit.h
	@mkdir -p $(dir $@)
	@echo "  CC     $@"
	@$(CC) $(ALL_CFLAGS) -I tests/unit -o $@ $< $(LIB_OBJS) $(PKG_LIBS) $(LDFLAGS)

test: deps
	@$(MAKE) --no-print-directory all $(UNIT_TESTS)
	@RISKREG=$(CURDIR)/$(BUILD)/riskreg UNIT_DIR=$(CURDIR)/$(BUILD)/tests tests/run.sh

check: test

# Redraw the chart gallery (scripts/gallery/*.png) from scripts/CHARTS.md, on purpose.
gallery: all
	@GALLERY_WRITE=1 RISKREG=$(CURDIR)/$(BUILD)/riskreg RESULTS=/dev/null bash tests/charts.sh

# Redraw the reference charts in tests/data/charts, on purpose: after a change to how charts
# look, view the new pictures before committing them.
.PHONY: charts-reference
charts-reference: $(BUILD)/tests/test_chart
	@mkdir -p tests/data/charts
	@CHART_REFERENCE_WRITE=1 $(BUILD)/tests/test_chart

# AddressSanitizer + UndefinedBehaviorSanitizer over the whole suite, in its own build folder.
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
asan: deps
	@$(MAKE) --no-print-directory BUILD=build/asan OPT="$(SAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" \
	  all $(patsubst $(BUILD)/%,build/asan/%,$(UNIT_TESTS))
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  RISKREG=$(CURDIR)/build/asan/riskreg UNIT_DIR=$(CURDIR)/build/asan/tests tests/run.sh

ubsan: asan

# ---- benchmarks: make bench [BENCH_N="1000 10000"] [BENCH_REPEAT=3] [BENCH_JOBS=N] ------
bench: deps
	@$(MAKE) --no-print-directory all $(BUILD)/bench/chart_bench
	@command -v hugo >/dev/null 2>&1 && [ -x /usr/bin/time ] || { sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq hugo time >/dev/null; }
	@RISKREG=$(CURDIR)/$(BUILD)/riskreg CHART_BENCH=$(CURDIR)/$(BUILD)/bench/chart_bench tests/bench/run.sh

$(BUILD)/bench/chart_bench: tests/bench/chart_bench.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	@$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB_OBJS) $(PKG_LIBS) $(LDFLAGS)

# ---- install -----------------------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)
	install -m 755 $(BUILD)/riskreg $(DESTDIR)$(BINDIR)/riskreg
	cp -R scripts report-templates $(DESTDIR)$(DATADIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/riskreg
	rm -rf $(DESTDIR)$(DATADIR)

# ---- housekeeping ------------------------------------------------------------------------
format:
	clang-format -i src/*.c src/*.h tests/unit/*.c tests/unit/*.h

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --suppress=missingIncludeSystem -I src src

clean:
	rm -rf build
