#!/bin/sh
# The HID-POS scanner over real libusb against an emulated USB device (umockdev):
# multi-report symbol by interrupt IN, unplug, reconnect.  Prints "N passed, N failed".
BUILD=${BUILD:-build}
bin=$BUILD/tests/umockdev_scanner_usb
if [ ! -x "$bin" ]; then
	echo "0 passed, 1 failed ($bin not built)"
	exit 1
fi
# The preload library comes before the ASan runtime: let ASan accept that.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	exec timeout 60 umockdev-wrapper "$bin"
