# PIN-pad: the umockdev harness that tests the real libusb transport (tests/check/pinpad_usb.sh).
# Its object comes from the one umockdev rule (tests/umockdev/umockdev.mk).
CHECK_BINS += $(BUILD)/tests/pinpad_usb

$(BUILD)/tests/pinpad_usb: $(BUILD)/obj/tests/umockdev/pinpad_usb.o $(PPSIMLIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(UMOCKDEV_LIBS) -lumockdev-preload
