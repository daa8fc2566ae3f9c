# The umockdev harnesses (tests/umockdev/*.c): the real libusb transports of the PIN-pad,
# the scanner and the printer against recorded devices, run by tests/check/*_usb.sh under
# umockdev-wrapper.  One object rule for all of them; the programs are declared by their
# areas (drivers/pinpad.mk, drivers/printer.mk).  umockdev's headers are system headers
# here (-isystem): they do not build cleanly with -Wstrict-prototypes.
UMOCKDEV_CFLAGS = $(patsubst -I%,-isystem %,$(shell pkg-config --cflags umockdev-1.0 2>/dev/null))
UMOCKDEV_LIBS = $(shell pkg-config --libs umockdev-1.0 2>/dev/null)

$(BUILD)/obj/tests/umockdev/%.o: tests/umockdev/%.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) $(UMOCKDEV_CFLAGS) -c $< -o $@
