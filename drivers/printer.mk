# Printer and scanner drivers: the umockdev harnesses, run by tests/check/{scanner,printer}_usb.sh
# under umockdev-wrapper.  Their objects come from the one umockdev rule
# (tests/umockdev/umockdev.mk).
CHECK_BINS += $(BUILD)/tests/umockdev_scanner_usb $(BUILD)/tests/umockdev_printer_usb

$(BUILD)/tests/umockdev_scanner_usb: $(BUILD)/obj/tests/umockdev/scanner_usb.o \
		$(BUILD)/obj/tests/umockdev/usbmock.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(UMOCKDEV_LIBS)

$(BUILD)/tests/umockdev_printer_usb: $(BUILD)/obj/tests/umockdev/printer_usb.o \
		$(BUILD)/obj/tests/umockdev/usbmock.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(UMOCKDEV_LIBS)
