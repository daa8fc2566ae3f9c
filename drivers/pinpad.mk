# PIN-pad: the umockdev harness that tests the real libusb transport (tests/check/pinpad_usb.sh).
UMOCKDEV_CFLAGS = $(shell pkg-config --cflags umockdev-1.0 2>/dev/null)
UMOCKDEV_LIBS = $(shell pkg-config --libs umockdev-1.0 2>/dev/null)

CHECK_BINS += $(BUILD)/tests/pinpad_usb

$(BUILD)/obj/tests/umockdev/%.o: tests/umockdev/%.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(UMOCKDEV_CFLAGS) -c $< -o $@

$(BUILD)/tests/pinpad_usb: $(BUILD)/obj/tests/umockdev/pinpad_usb.o $(PPSIMLIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(UMOCKDEV_LIBS) -lumockdev-preload
