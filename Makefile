# Crowdelic - one GNU Makefile, one dependency graph (STYLE.md 3.14).
#
#   make            build the debug variant (build/debug/crowdelic)
#   make run        install what is missing, build, start the server
#   make test       install what is missing, build the asan variant, run every suite
#   make test-cluster  the cluster test alone (release build, nginx, PostgreSQL, Redis)
#   make soak       the soak alone: SOAK_SECONDS (default 600) of load with model faults
#   make bench      release build + wrk benchmarks
#   make fuzz       libFuzzer targets (clang) for FUZZ_SECONDS each (FUZZ_JOBS at once)
#   BUILD=debug|asan|release|tsan selects the variant; V=1 shows commands;
#   WERROR=1 turns warnings into errors (CI sets it).

BUILD ?= debug
CC ?= cc
ifeq ($(origin CC),default)
CC := gcc
endif

PKGS := libmicrohttpd jansson libsodium sqlite3 libpq hiredis zlib libcurl libjwt
TEST_PKGS := cmocka

O ?= build/$(BUILD)
GEN := $(O)/gen

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
GIT_REV := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)

CPPFLAGS += -Isrc -MMD -MP
CPPFLAGS += -DCROWDELIC_VERSION='"$(VERSION)"' -DCROWDELIC_GIT_REV='"$(GIT_REV)"'
CFLAGS += -std=c11 -pthread
CFLAGS += -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
          -Wold-style-definition -Wwrite-strings -Wpointer-arith -Wformat=2 -Wvla -fno-common
LDFLAGS += -pthread
ifeq ($(WERROR),1)
CFLAGS += -Werror
endif

ifeq ($(BUILD),debug)
CFLAGS += -O0 -g3
else ifeq ($(BUILD),asan)
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
CFLAGS += -O1 -g $(SAN)
LDFLAGS += $(SAN)
else ifeq ($(BUILD),tsan)
CFLAGS += -O1 -g -fsanitize=thread
LDFLAGS += -fsanitize=thread
else ifeq ($(BUILD),release)
CFLAGS += -O2 -g -DNDEBUG
else ifeq ($(BUILD),fuzz)
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
CFLAGS += -O1 -g $(SAN) -fsanitize=fuzzer-no-link
LDFLAGS += $(SAN)
else
$(error BUILD must be debug, asan, tsan, release or fuzz, not '$(BUILD)')
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CPPFLAGS += $(PKG_CFLAGS)
LDLIBS += $(PKG_LIBS) -lm

ifneq ($(V),1)
Q = @
QUIET_CC = @echo '   CC  $<';
QUIET_LD = @echo '   LD  $@';
QUIET_AR = @echo '   AR  $@';
QUIET_GEN = @echo '  GEN  $@';
endif

# ---- sources --------------------------------------------------------------

LIB_SRCS := $(sort $(wildcard src/*/*.c src/*/*/*.c))
LIB_OBJS := $(LIB_SRCS:%.c=$(O)/obj/%.o) $(O)/obj/gen/embedded.o
MAIN_OBJ := $(O)/obj/src/main.o
LIB := $(O)/libcrowdelic.a
BIN := $(O)/crowdelic

EMBED_FILES := docs/openapi.yaml $(sort $(wildcard sql/*.sql)) $(sort $(wildcard data/*/*.tsv)) $(sort $(wildcard data/passwords/*.txt)) \
               $(sort $(wildcard data/personas/*.json))

UNIT_SRCS := $(sort $(wildcard tests/unit/*/test_*.c))
UNIT_BINS := $(UNIT_SRCS:%.c=$(O)/%)
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
REPLAY_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(O)/tests/fuzz/replay_%)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(O)/tests/fuzz/%)

C_FILES := $(shell git ls-files -co --exclude-standard -- 'src/*.[ch]' 'tests/*.[ch]' 'bench/*.[ch]' 2>/dev/null)

.SECONDARY:

.PHONY: all run test test-unit test-e2e test-asan test-ui test-tsan test-cluster soak fuzz fuzz-build bench format check-format \
        lint check clean bootstrap unit-bins replay-bins bench-bins web compile_commands.json

all: $(BIN)

# ---- build rules ----------------------------------------------------------

$(O)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(QUIET_CC)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# Makefile too: a file added to EMBED_FILES must regenerate it
$(GEN)/embedded.c: scripts/embed $(EMBED_FILES) Makefile
	@mkdir -p $(@D)
	$(QUIET_GEN)scripts/embed $(EMBED_FILES) > $@.tmp && mv $@.tmp $@

$(O)/obj/gen/embedded.o: $(GEN)/embedded.c
	@mkdir -p $(@D)
	$(QUIET_CC)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJS)
	@mkdir -p $(@D)
	@rm -f $@
	$(QUIET_AR)$(AR) rcs $@ $^

$(BIN): $(MAIN_OBJ) $(LIB)
	$(QUIET_LD)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Each unit test is one binary linked against the library archive, so it pulls
# in only the objects of the layers it uses (STYLE.md T1).
# The helpers shared by unit tests (tests/unit/*.c) form an archive too, so
# a test pulls in only the helpers it uses (and their layers).
TESTLIB_SRCS := $(sort $(wildcard tests/unit/*.c))
TESTLIB := $(O)/tests/libtestutil.a
$(TESTLIB): $(TESTLIB_SRCS:%.c=$(O)/obj/%.o)
	@mkdir -p $(@D)
	@rm -f $@
	$(QUIET_AR)$(AR) rcs $@ $^

$(O)/tests/unit/%: $(O)/obj/tests/unit/%.o $(TESTLIB) $(LIB)
	@mkdir -p $(@D)
	$(QUIET_LD)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(shell pkg-config --libs $(TEST_PKGS))

$(O)/obj/tests/unit/%.o: CPPFLAGS += $(shell pkg-config --cflags $(TEST_PKGS)) -Itests/unit \
    -DTESTS_SOURCE_DIR='"$(CURDIR)/tests"' 

# Corpus replay: the fuzz entry point linked with a plain main (works with gcc).
$(O)/tests/fuzz/replay_%: $(O)/obj/tests/fuzz/%.o $(O)/obj/tests/fuzz/standalone.o $(LIB)
	@mkdir -p $(@D)
	$(QUIET_LD)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# libFuzzer binaries (BUILD=fuzz, CC=clang).
$(O)/tests/fuzz/fuzz_%: $(O)/obj/tests/fuzz/fuzz_%.o $(LIB)
	@mkdir -p $(@D)
	$(QUIET_LD)$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

# Benchmark programs (bench/*.c), linked like the tests (with their sample inputs).
BENCH_SRCS := $(sort $(wildcard bench/*.c))
BENCH_BINS := $(BENCH_SRCS:bench/%.c=$(O)/bench/%)
$(O)/bench/%: $(O)/obj/bench/%.o $(TESTLIB) $(LIB)
	@mkdir -p $(@D)
	$(QUIET_LD)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(shell pkg-config --libs $(TEST_PKGS))

$(O)/obj/bench/%.o: CPPFLAGS += -Itests/unit

unit-bins: $(UNIT_BINS)
bench-bins: $(BENCH_BINS)
replay-bins: $(REPLAY_BINS)

-include $(LIB_OBJS:.o=.d) $(MAIN_OBJ:.o=.d)
-include $(UNIT_SRCS:%.c=$(O)/obj/%.d) $(TESTLIB_SRCS:%.c=$(O)/obj/%.d)
-include $(FUZZ_SRCS:%.c=$(O)/obj/%.d)
-include $(BENCH_SRCS:%.c=$(O)/obj/%.d)

# ---- entry points -----------------------------------------------------------

bootstrap:
	@scripts/bootstrap

web:
	@scripts/build-web

run: bootstrap
	@$(MAKE) --no-print-directory -j$(JOBS) BUILD=$(BUILD) all
	@scripts/build-web
	@mkdir -p var
	./$(BIN) serve

# Builds run on every core (JOBS=1 for a serial build).
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

# The whole suite: every unit test, the fuzz corpora and the end-to-end tests
# on the asan build, plus the source checks, the web UI's (lint, Vitest,
# the browser test in headless Chromium) and the cluster test (the release
# build behind nginx, tests/cluster/run). Ends with "N passed, N failed".
test: bootstrap
	@$(MAKE) --no-print-directory -j$(JOBS) BUILD=asan all unit-bins replay-bins
	@scripts/run-tests build/asan

test-asan: test

# The web UI alone: lint, Vitest, and the browser test against the asan build.
test-ui: bootstrap
	@$(MAKE) --no-print-directory -j$(JOBS) BUILD=asan all
	@scripts/run-tests --only ui build/asan

# The threaded code under ThreadSanitizer (not part of make test: it cannot
# be combined with ASan, and the asan run is the one CI requires).
test-tsan: bootstrap
	@$(MAKE) --no-print-directory -j$(JOBS) BUILD=tsan all unit-bins
	@TSAN_OPTIONS=halt_on_error=1 scripts/run-tests --only unit,e2e build/tsan

# The cluster test alone: PostgreSQL, Redis, two nodes, two workers and nginx
# (deploy/nginx.conf) on loopback, on the release build (run-tests builds it).
test-cluster: bootstrap
	@scripts/run-tests --only cluster build/release

soak: bootstrap
	@SOAK_SECONDS=$${SOAK_SECONDS:-600} scripts/run-tests --only soak build/release

test-unit: bootstrap
	@$(MAKE) --no-print-directory -j$(JOBS) BUILD=asan all unit-bins
	@scripts/run-tests --only unit build/asan

test-e2e: bootstrap
	@$(MAKE) --no-print-directory -j$(JOBS) BUILD=asan all
	@scripts/run-tests --only e2e build/asan

FUZZ_SECONDS ?= 60
fuzz: bootstrap
	@$(MAKE) --no-print-directory -j$(JOBS) BUILD=fuzz CC=clang fuzz-build
	@scripts/run-fuzz build/fuzz $(FUZZ_SECONDS)

fuzz-build: $(FUZZ_BINS)

bench: bootstrap
	@$(MAKE) --no-print-directory -j$(JOBS) BUILD=release all bench-bins
	@bench/run build/release/crowdelic

format:
	clang-format -i $(C_FILES)

check-format:
	@clang-format --dry-run -Werror $(C_FILES)

check:
	@scripts/check-src

lint:
	clang-tidy --quiet $(filter %.c,$(C_FILES)) -- $(CPPFLAGS) -std=c11
	cppcheck --quiet --enable=warning,performance,portability --inline-suppr -Isrc src

compile_commands.json:
	bear -- $(MAKE) -B BUILD=$(BUILD) all unit-bins

clean:
	rm -rf build
