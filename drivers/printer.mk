# Printer and scanner drivers: the umockdev harnesses.
# tests/umockdev/*.c are built with libumockdev (pkg-config umockdev-1.0) and run by
# tests/check/{scanner,printer}_usb.sh under umockdev-wrapper.

UMOCKDEV_CFLAGS = $(patsubst -I%,-isystem %,$(shell pkg-config --cflags umockdev-1.0 2>/dev/null))
UMOCKDEV_LIBS = $(shell pkg-config --libs umockdev-1.0 2>/dev/null)

CHECK_BINS += $(BUILD)/tests/umockdev_scanner_usb $(BUILD)/tests/umockdev_printer_usb

# (Fragments are read before the Makefile defines FLAGS_STAMP: name the stamp itself so
# these objects are rebuilt when switching between plain and SAN=1 builds.)
$(BUILD)/obj/tests/umockdev/%.o: tests/umockdev/%.c $(BUILD)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(UMOCKDEV_CFLAGS) -c $< -o $@

$(BUILD)/tests/umockdev_scanner_usb: $(BUILD)/obj/tests/umockdev/scanner_usb.o \
		$(BUILD)/obj/tests/umockdev/usbmock.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(UMOCKDEV_LIBS)

$(BUILD)/tests/umockdev_printer_usb: $(BUILD)/obj/tests/umockdev/printer_usb.o \
		$(BUILD)/obj/tests/umockdev/usbmock.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(UMOCKDEV_LIBS)
