# make soak: SOAK_SESSIONS resident sessions (default 10,000) back to back through the
# script interface with both simulators, random choices from SOAK_SEED (default: the time,
# printed).  Not part of make check.  `make soak SAN=1 SOAK_SESSIONS=200` is the
# LeakSanitizer run.
SOAK_SESSIONS ?= 10000
SOAK_SEED ?=
SOAK_GEN := $(BUILD)/tests/soak_gen
EXTRA_PROGS += $(SOAK_GEN)
BENCH_BINS += $(SOAK_GEN)

$(SOAK_GEN): $(call obj,tests/soak/soak_gen.c)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^

soak:
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) SAN=$(SAN) ./tests/soak/run $(SOAK_SESSIONS) $(SOAK_SEED)
