# Payment kiosk: one Makefile, GNU Make + pkg-config.
#
#   make            build build/kiosk, build/kiosk-tool, build/kiosk-test (with the test hooks)
#                   and the simulators
#   make run        start the demo: simulators on loopback + the kiosk in a window
#   make check      sanitized build (ASan + UBSan) and every test
#   make bench      optimised build and the performance figures
#   make fuzz       libFuzzer targets, FUZZ_SECONDS each (clang)
#   make install    PREFIX (/usr/local) and DESTDIR honoured
#
# Sources are found by wildcard: a new module is a new .c file, a new unit test is
# tests/unit/test_NAME.c, a new fuzz target tests/fuzz/fuzz_NAME.c.  Areas with special
# needs add a fragment NAME.mk beside their sources (included below).

# The one list of Debian packages the project needs (build, tests, demo).
DEBS := build-essential pkg-config clang \
	libsdl2-dev libsdl2-ttf-dev libpng-dev libusb-1.0-0-dev \
	libsqlite3-dev sqlite3 libcurl4-openssl-dev libssl-dev openssl \
	libjansson-dev libqrencode-dev libmicrohttpd-dev libcmocka-dev \
	umockdev libumockdev-dev libespeak-ng-dev espeak-ng-data \
	fonts-inter fonts-noto-core fonts-material-design-icons-iconfont \
	xvfb xauth zbar-tools python3 tzdata faketime

PKGS := sdl2 SDL2_ttf libpng libusb-1.0 sqlite3 libcurl openssl jansson libqrencode espeak-ng

# No built-in rules: every rule is written here or in a fragment (make_graph.sh checks them).
MAKEFLAGS += --no-builtin-rules
.SUFFIXES:

BUILD   ?= build
PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
FUZZ_SECONDS ?= 60

WARN   := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
KIOSK_VERSION ?= 0.1.0
CFLAGS_BASE := -std=c11 -D_GNU_SOURCE -DKIOSK_VERSION=\"$(KIOSK_VERSION)\" -g $(WARN) -I. -MMD -MP
ifeq ($(SAN),1)
OPT := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
else
OPT := -O2
endif

# pkg-config is asked only after the packages are there (deps runs first).
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
ALL_CFLAGS  = $(CFLAGS_BASE) $(OPT) $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(OPT) $(LDFLAGS)

KIOSK_MAIN := kiosk/shell/main.c kiosk/shell/kiosk.c
TOOL_SRC   := $(wildcard kiosk/tool/*.c)
LINK_SRC   := $(wildcard kiosk/link/*.c)
LIB_SRC    := $(filter-out $(KIOSK_MAIN) $(TOOL_SRC) $(LINK_SRC), \
		$(wildcard kiosk/*/*.c ui/*.c drivers/*.c offline/*.c))
# The flow core: base helpers and the domain (docs/internals.md, Layers).  The flow's unit
# tests link this archive and nothing else from the program, so a call from the flow into
# the store, a device, the network or SDL does not link (tests/check/layers.sh).
FLOW_SRC   := $(wildcard kiosk/base/*.c kiosk/conf/*.c kiosk/bill/*.c kiosk/flow/*.c kiosk/receipt/*.c)
TESTLIB_SRC := $(wildcard tests/lib/*.c)
PPSIM_SRC  := $(filter-out tests/sim/pinpad/main.c, $(wildcard tests/sim/pinpad/*.c))
CENTER_SRC := $(filter-out tests/sim/billing-center/main.c, $(wildcard tests/sim/billing-center/*.c))
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
FUZZ_SRC   := $(wildcard tests/fuzz/fuzz_*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

LIB     := $(BUILD)/libkiosk.a
FLOWLIB := $(BUILD)/libflow.a
TESTLIB := $(BUILD)/libtesthelp.a
PPSIMLIB := $(BUILD)/libpinpadsim.a
CENTERLIB := $(BUILD)/libcenter.a
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
FUZZREG_BIN := $(patsubst tests/fuzz/%.c,$(BUILD)/tests/reg_%,$(FUZZ_SRC))
PROGS := $(BUILD)/kiosk $(BUILD)/kiosk-tool $(BUILD)/kiosk-link \
	$(if $(wildcard tests/sim/pinpad/main.c),$(BUILD)/pinpad-sim) \
	$(if $(wildcard tests/sim/billing-center/main.c),$(BUILD)/billing-center)

# Extra programs and check steps that fragments register.
EXTRA_PROGS :=
CHECK_BINS :=
BENCH_BINS :=

.PHONY: all deps run check bench fuzz install clean screenshots soak
all: $(PROGS)

# ---------------------------------------------------------------- stamps
# Defined before any fragment is read: a fragment's rule lines expand these at once, so a
# stamp defined later would be an empty prerequisite there.
#   DEPS_STAMP   the package step: every object, archive and program waits for it
#                (through FLAGS_STAMP); tests/check/make_graph.sh checks that none escapes.
#   FLAGS_STAMP  rebuilds objects when the flags change (plain and SAN=1 share build/).
#   CERTS_STAMP  the test PKI (tests/sim/billing-center/certs.mk).
DEPS_STAMP := $(BUILD)/.deps-$(shell echo '$(DEBS)' | cksum | cut -d' ' -f1)
FLAGS_STAMP := $(BUILD)/.flags
CERTS_STAMP := $(BUILD)/certs/.stamp

deps: $(DEPS_STAMP)
$(DEPS_STAMP):
	@./.ci/ensure-debs $(DEBS)
	@mkdir -p $(BUILD) && rm -f $(BUILD)/.deps-* && touch $@

$(FLAGS_STAMP): FORCE | $(DEPS_STAMP)
	@mkdir -p $(BUILD)
	@echo '$(ALL_CFLAGS) $(ALL_LDFLAGS)' | cmp -s - $@ || echo '$(ALL_CFLAGS) $(ALL_LDFLAGS)' > $@
FORCE:

# The fragments, in any order: FRAGMENTS may be overridden (tests/check/make_graph.sh reads
# them in reverse and checks that the rules come out the same).
FRAGMENTS ?= $(sort $(wildcard kiosk/*.mk kiosk/*/*.mk ui/*.mk drivers/*.mk offline/*.mk tests/*.mk tests/*/*.mk))
include $(FRAGMENTS)

all: $(EXTRA_PROGS)

$(BUILD)/obj/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(call obj,$(LIB_SRC))
	@rm -f $@; ar rcs $@ $^
$(FLOWLIB): $(call obj,$(FLOW_SRC))
	@rm -f $@; ar rcs $@ $^
$(TESTLIB): $(call obj,$(TESTLIB_SRC))
	@rm -f $@; ar rcs $@ $^
$(PPSIMLIB): $(call obj,$(PPSIM_SRC))
	@rm -f $@; ar rcs $@ $^
$(CENTERLIB): $(call obj,$(CENTER_SRC))
	@rm -f $@; ar rcs $@ $^

# The programs as installed need only the libraries they call: libcurl is loaded when the
# billing-center client is first made (offline/curl_lib.h), not at exec, and in the kiosk
# only by its kiosk-link processes.
AS_NEEDED := -Wl,--as-needed
$(BUILD)/kiosk: $(call obj,$(KIOSK_MAIN)) $(LIB)
	$(CC) $(ALL_LDFLAGS) $(AS_NEEDED) -o $@ $^ $(PKG_LIBS)
$(BUILD)/kiosk-tool: $(call obj,$(TOOL_SRC)) $(LIB)
	$(CC) $(ALL_LDFLAGS) $(AS_NEEDED) -o $@ $^ $(PKG_LIBS)
# The kiosk's network process (offline/center_link.c): libcurl, TLS and the signing key live
# there, not in the kiosk.
$(BUILD)/kiosk-link: $(call obj,$(LINK_SRC)) $(LIB)
	$(CC) $(ALL_LDFLAGS) $(AS_NEEDED) -o $@ $^ $(PKG_LIBS)
$(BUILD)/pinpad-sim: $(call obj,tests/sim/pinpad/main.c) $(PPSIMLIB) $(TESTLIB) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(BUILD)/billing-center: $(call obj,tests/sim/billing-center/main.c) $(CENTERLIB) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(shell pkg-config --libs libmicrohttpd 2>/dev/null)

# The flow's tests link the flow core only (FLOW_SRC): no store, device, network or SDL.
FLOW_TESTS := $(filter %/test_flow %/test_flow_%,$(UNIT_BIN))
$(FLOW_TESTS): $(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(TESTLIB) $(FLOWLIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ -lcmocka -lpthread -lm
$(BUILD)/tests/test_%: $(call obj,tests/unit/test_%.c) $(TESTLIB) $(PPSIMLIB) $(CENTERLIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lcmocka $(shell pkg-config --libs libmicrohttpd 2>/dev/null)

# Fuzz targets double as regression tests: a plain driver replays the committed corpus.
$(BUILD)/tests/reg_%: $(call obj,tests/fuzz/%.c tests/fuzz/replay.c) $(TESTLIB) $(PPSIMLIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

# ---------------------------------------------------------------- run, check
run: all
	@BUILD=$(BUILD) ./tests/sim/demo

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
check:
	@$(MAKE) --no-print-directory -j$(JOBS) SAN=1 all tests
	@BUILD=$(BUILD) ./tests/run-all

tests: $(PROGS) $(UNIT_BIN) $(FUZZREG_BIN) $(CHECK_BINS)

# ---------------------------------------------------------------- bench, fuzz
bench:
	@$(MAKE) --no-print-directory -j$(JOBS) SAN=0 all bench-bins
	@BUILD=$(BUILD) ./tests/bench/run
BENCH_SRC := $(wildcard tests/bench/bench_*.c)
BENCH_BINS += $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))
bench-bins: $(BENCH_BINS)
$(BUILD)/bench/bench_%: $(call obj,tests/bench/bench_%.c) $(TESTLIB) $(PPSIMLIB) $(CENTERLIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(shell pkg-config --libs libmicrohttpd 2>/dev/null)

FUZZ_BIN := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRC))
# Library code is instrumented for coverage (fuzzer-no-link) and archived, so a target
# links only the objects it uses; libFuzzer's main comes in at the final link.
FUZZ_FLAGS = -std=c11 -D_GNU_SOURCE -DKIOSK_VERSION=\"$(KIOSK_VERSION)\" -g -O1 -I. $(PKG_CFLAGS) \
	-fsanitize=address,undefined
FUZZ_OBJ := $(patsubst %.c,$(BUILD)/fuzzobj/%.o,$(LIB_SRC) $(PPSIM_SRC))
$(BUILD)/fuzzobj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CLANG   $<"
	@clang $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c $< -o $@
$(BUILD)/libfuzzkiosk.a: $(FUZZ_OBJ)
	@rm -f $@; ar rcs $@ $^
$(BUILD)/fuzz/%: tests/fuzz/%.c $(BUILD)/libfuzzkiosk.a
	@mkdir -p $(dir $@)
	clang $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(BUILD)/libfuzzkiosk.a $(PKG_LIBS)
fuzz: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do n=$$(basename $$f); mkdir -p $(BUILD)/fuzz-corpus/$$n; \
	  echo "== $$n ($(FUZZ_SECONDS) s)"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 $(BUILD)/fuzz-corpus/$$n tests/fuzz/corpus/$$n || exit 1; done

# ---------------------------------------------------------------- install, clean
install: all
	@PREFIX=$(PREFIX) DESTDIR=$(DESTDIR) BUILD=$(BUILD) ./assets/install.sh

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# Screenshots of every screen (docs/screens/): the tour script's shots, and the walk's
# pictures of every screen in LOOKS (four of the sixteen by default, half size, ~2 MB a
# look: both languages, large text, contrast, both orientations; LOOKS=all keeps all 16).
LOOKS ?= ru en-large-contrast landscape-ru-large landscape-en-contrast
screenshots: all
	@rm -rf $(BUILD)/screens && BUILD=$(BUILD) tests/e2e/run tests/e2e/tour.script --out $(BUILD)/screens
	@for d in ru en large-contrast; do mkdir -p docs/screens/$$d && cp $(BUILD)/screens/$$d/*.png docs/screens/$$d/; done
	@cp $(BUILD)/screens/*.png docs/screens/ 2>/dev/null || true
	@rm -rf $(BUILD)/looks $(BUILD)/looks-land
	@BUILD=$(BUILD) tests/e2e/run tests/e2e/walk.script --out $(BUILD)/looks
	@BUILD=$(BUILD) tests/e2e/run tests/e2e/walk.script --landscape --out $(BUILD)/looks-land
	@rm -rf docs/screens/looks && for d in $(BUILD)/looks/*/ $(BUILD)/looks-land/*/; do \
		l=$$(basename $$d); case " $(LOOKS) " in *" all "*|*" $$l "*) ;; *) continue ;; esac; \
		mkdir -p docs/screens/looks/$$l && cp $$d*.png docs/screens/looks/$$l/; done
	@echo "screenshots in docs/screens/ (every screen in every look: docs/screens/looks/)"
