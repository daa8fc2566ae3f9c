#ifndef TESTS_UMOCKDEV_TEST_USB_BULK_H
#define TESTS_UMOCKDEV_TEST_USB_BULK_H
/* A minimal libusb bulk transport for the printer's umockdev test, standing in for the
 * shared drivers/transport_usb.c (PIN-pad branch) until it is merged: then the test's
 * make_transport() calls the real one and this file goes.  Same contract as
 * drivers/transport.h: EGONE on LIBUSB_ERROR_NO_DEVICE, 0 on timeout. */
#include <stdint.h>

#include "drivers/transport.h"

struct transport *test_usb_bulk_new(uint16_t vid, uint16_t pid, uint8_t iface_class);

#endif
