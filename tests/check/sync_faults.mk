# The end-to-end fault suite (tests/check/sync_faults.sh): the sync thread over the real store
# against build/billing-center with a seeded fault schedule, then a restore from backup.
CHECK_BINS += $(BUILD)/tests/sync_faults
$(BUILD)/tests/sync_faults: $(call obj,tests/check/sync_faults.c tests/check/sync_faults_read.c tests/check/link_procs.c tests/check/center_spawn.c) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)
