# make bench fragment: bench programs that need more than their own source file.
# bench_sync starts build/billing-center through the check suites' spawner and needs the
# simulator and its test PKI built first.
$(BUILD)/bench/bench_sync: $(call obj,tests/bench/bench_sync.c tests/check/center_spawn.c) $(LIB) | $(PROGS) $(CERTS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o %.a,$^) $(PKG_LIBS)
