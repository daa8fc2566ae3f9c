#!/bin/sh
# The ESC/POS printer over libusb bulk endpoints against an emulated device (umockdev):
# DLE EOT status, receipt bytes, paper out, unplug, replug.  Prints "N passed, N failed".
BUILD=${BUILD:-build}
bin=$BUILD/tests/umockdev_printer_usb
if [ ! -x "$bin" ]; then
	echo "0 passed, 1 failed ($bin not built)"
	exit 1
fi
# The preload library comes before the ASan runtime: let ASan accept that.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	exec timeout 60 umockdev-wrapper "$bin"
