# test_pay_property: its world (tests/unit/pay_world.c: the virtual clock, link and faulty
# journal) linked beside its own object, both before the libraries they call.
$(BUILD)/tests/test_pay_property: $(call obj,tests/unit/test_pay_property.c tests/unit/pay_world.c) $(TESTLIB) $(PPSIMLIB) $(CENTERLIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lcmocka $(shell pkg-config --libs libmicrohttpd 2>/dev/null)
