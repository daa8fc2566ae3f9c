#ifndef TESTS_UMOCKDEV_USBMOCK_H
#define TESTS_UMOCKDEV_USBMOCK_H
/* A scripted USB device for umockdev tests: a UMockdevTestbed with one usbfs device whose
 * ioctls (submit/reap/discard URB, claim, capabilities) are answered here, so the real
 * libusb code runs unmodified.  Endpoint-generic: IN transfers (bulk or interrupt) are
 * answered from per-endpoint queues the test fills, OUT transfers are collected.  Used
 * by the HID-POS scanner test; the printer's bulk transport (transport_usb, pinpad
 * branch) can be driven the same way (bulk OUT = ESC/POS bytes, bulk IN = DLE EOT
 * answers).  The program must run under umockdev-wrapper.  Thread-safe: the ioctls are
 * answered on umockdev's thread.  As usbfs: a URB is reaped or discarded only through the
 * open file that submitted it, and closing that file drops it.  USBMOCK_TRACE=1 in the
 * environment logs control requests and dropped URBs to stderr. */
#include <stddef.h>
#include <stdint.h>

struct usbmock;

/* descriptors_hex: device + configuration descriptors as sysfs' "descriptors" file. */
struct usbmock *usbmock_new(const char *descriptors_hex);
/* Adds the device (bus 1, device 2) / unplugs it: URBs in flight fail with -ESHUTDOWN,
 * every later ioctl with ENODEV, and the device leaves sysfs with a "remove" uevent. */
void usbmock_plug(struct usbmock *m);
void usbmock_unplug(struct usbmock *m);
/* One IN transfer's worth of data for endpoint ep (0x81…). */
void usbmock_queue_in(struct usbmock *m, uint8_t ep, const void *data, size_t n);
/* IN transfers still queued for ep. */
int usbmock_pending_in(struct usbmock *m, uint8_t ep);
/* Moves the bytes OUT transfers delivered so far into buf; returns their count. */
size_t usbmock_take_out(struct usbmock *m, uint8_t *buf, size_t cap);
/* Device logic for OUT transfers: called (under the mock's lock: do not call usbmock_*
 * from it) with each OUT transfer's bytes; whatever it writes into reply (at most cap
 * bytes) is queued as one IN transfer on reply_ep.  Replaces the OUT sink when set. */
typedef size_t usbmock_out_hook(void *ud, const uint8_t *out, size_t n, uint8_t *reply, size_t cap);
void usbmock_set_out_hook(struct usbmock *m, usbmock_out_hook *hook, void *ud, uint8_t reply_ep);
/* Endpoint 0.  Standard requests are answered by the mock as a configured device does
 * (GET_STATUS, GET_DESCRIPTOR for the device and configuration, GET_CONFIGURATION,
 * GET_INTERFACE; CLEAR/SET_FEATURE, SET_CONFIGURATION, SET_INTERFACE acknowledged; the rest
 * stall).  Class and vendor requests go to the control hook when one is set: called (under
 * the mock's lock) with the setup packet and the data stage (len bytes: what the host sends,
 * or room for the answer), it returns the data stage's length or -1 to stall.  Without a
 * hook, host-to-device class/vendor requests are acknowledged and their setup packet and
 * data appended to what usbmock_take_out returns; device-to-host ones stall.  Control
 * transfers never reach the OUT hook. */
typedef int usbmock_control_hook(void *ud, const uint8_t setup[8], uint8_t *data, size_t len);
void usbmock_set_control_hook(struct usbmock *m, usbmock_control_hook *hook, void *ud);
/* How many times an interface was claimed (DISCONNECT_CLAIM or CLAIMINTERFACE). */
int usbmock_claims(struct usbmock *m);
void usbmock_free(struct usbmock *m);

#endif
