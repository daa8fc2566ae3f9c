#ifndef DRIVERS_SCANNER_USB_H
#define DRIVERS_SCANNER_USB_H
/* A USB HID scanner (HID-POS, or a boot keyboard for the wedge fallback) read through
 * libusb, as a transport: open() finds VID:PID, detaches the kernel's HID driver, claims
 * the first interface of class iface_class that has an interrupt IN endpoint; read()
 * returns one input report per call (an interrupt IN transfer), 0 on timeout,
 * TRANSPORT_EGONE when the device is unplugged (LIBUSB_ERROR_NO_DEVICE); write() is not
 * supported (the scanner takes no commands from us): TRANSPORT_EIO.  Each transport has
 * its own libusb context, so it does not disturb the PIN-pad's. */
#include <stdbool.h>
#include <stdint.h>

#include "drivers/transport.h"

struct scanner_usb_cfg {
	uint16_t vid, pid;
	uint8_t iface_class;   /* 0x03 HID (default) */
	/* Boot keyboard (interface subclass 1, protocol 1) for the wedge fallback: that
	 * interface is chosen and switched to the boot protocol (8-byte reports).  Otherwise
	 * a HID interface that is not a boot keyboard is preferred (a scanner showing both
	 * a HID-POS and a keyboard interface). */
	bool keyboard;
};

/* Parses "VID:PID" in hex ("0c2e:0b61"); 0 or -1. */
int scanner_usb_parse_id(const char *s, uint16_t *ret_vid, uint16_t *ret_pid);
struct transport *scanner_usb_new(const struct scanner_usb_cfg *c);

#endif
