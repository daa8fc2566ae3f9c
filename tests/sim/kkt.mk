# build/kkt-sim: the simulated Shtrih-M fiscal register (docs/fiscal.md), its library and the
# unit test that links it (tests/unit/test_kkt_sim.c) ahead of the common archives.
KKTSIM_SRC := $(filter-out tests/sim/kkt/main.c, $(wildcard tests/sim/kkt/*.c))
KKTSIMLIB := $(BUILD)/libkktsim.a
EXTRA_PROGS += $(BUILD)/kkt-sim
CHECK_BINS += $(BUILD)/kkt-sim

$(KKTSIMLIB): $(call obj,$(KKTSIM_SRC))
	@rm -f $@; ar rcs $@ $^
$(BUILD)/kkt-sim: $(call obj,tests/sim/kkt/main.c) $(KKTSIMLIB) $(TESTLIB) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(BUILD)/tests/test_kkt_sim: $(call obj,tests/unit/test_kkt_sim.c) $(KKTSIMLIB) $(TESTLIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lcmocka
$(BUILD)/tests/test_shtrih_dev: $(call obj,tests/unit/test_shtrih_dev.c) $(KKTSIMLIB) $(TESTLIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lcmocka
$(BUILD)/tests/test_fiscal_service: $(call obj,tests/unit/test_fiscal_service.c) $(KKTSIMLIB) $(TESTLIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lcmocka
$(BUILD)/tests/test_fiscal_step: $(call obj,tests/unit/test_fiscal_step.c) $(KKTSIMLIB) $(TESTLIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lcmocka
