# build/kiosk-test: the kiosk with its test hooks (kiosk/base/hooks.h), what every test and the
# demo start.  The same library and kiosk_main as build/kiosk; only its main and the hooks
# behind it (this folder) are its own, so it costs one link.
HOOKS_SRC := $(wildcard tests/hooks/*.c)
EXTRA_PROGS += $(BUILD)/kiosk-test
CHECK_BINS += $(BUILD)/kiosk-test

$(BUILD)/kiosk-test: $(call obj,$(HOOKS_SRC) kiosk/shell/main.c) $(LIB)
	$(CC) $(ALL_LDFLAGS) $(AS_NEEDED) -o $@ $^ $(PKG_LIBS)
