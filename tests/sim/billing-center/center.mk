# The billing-center simulator links GnuTLS (to read the kiosk's client certificate from the
# TLS session libmicrohttpd hands over) and libmicrohttpd; the unit tests and check binaries
# that link libcenter.a need the same.
CENTER_LIBS = $(shell pkg-config --libs libmicrohttpd gnutls 2>/dev/null)

$(BUILD)/billing-center: PKG_LIBS += $(CENTER_LIBS)

# The network suite: a client driver that starts build/billing-center itself.
CHECK_BINS += $(BUILD)/tests/center_net
$(BUILD)/tests/center_net: $(call obj,tests/check/center_net.c tests/check/center_net_ledger.c tests/check/center_net_link.c tests/check/link_procs.c tests/check/center_spawn.c) $(CENTERLIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CENTER_LIBS)

# The sync engine against the simulator, over the kiosk's real store (temporary files).
CHECK_BINS += $(BUILD)/tests/center_sync
$(BUILD)/tests/center_sync: $(call obj,tests/check/center_sync.c tests/check/center_spawn.c) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)
