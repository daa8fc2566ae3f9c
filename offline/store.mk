# The store's crash and fault suites (tests/check/store_*.sh): programs built from
# tests/crash/, linked with the library.
CRASH_COMMON := tests/crash/vfs_shim.c tests/crash/workload.c tests/crash/check.c \
	tests/crash/harness.c
CRASH_PROGS := crash_store ioerr_store kill_store
CHECK_BINS += $(patsubst %,$(BUILD)/tests/%,$(CRASH_PROGS))

$(BUILD)/tests/crash_store $(BUILD)/tests/ioerr_store $(BUILD)/tests/kill_store: \
		$(BUILD)/tests/%: $(call obj,tests/crash/%.c $(CRASH_COMMON)) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)
