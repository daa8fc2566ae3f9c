#!/bin/sh
# umockdev suite: drivers/transport_usb.c (real libusb) against the PIN-pad simulator core
# answering usbfs URBs: enumeration by VID:PID, read timeout, a SALE round trip over bulk
# endpoints (split and coalesced transfers), unplug mid-sale -> TRANSPORT_EGONE -> reopen.
# The binary links libumockdev-preload itself, so no umockdev-wrapper and no ASan
# link-order override are needed.  Prints "N passed, N failed".
BUILD=${BUILD:-build}
exec timeout 120 "$BUILD/tests/pinpad_usb"
