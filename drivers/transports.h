#ifndef DRIVERS_TRANSPORTS_H
#define DRIVERS_TRANSPORTS_H
/* Constructors of the byte transports of transport.h.  Each returns a closed transport
 * (call transport_open) or NULL when the address is malformed; destroy with
 * transport_destroy. */
#include <stdbool.h>
#include <stdint.h>

#include "drivers/transport.h"

/* "host:port" (IPv4 name or address); the device is the server. */
struct transport *transport_tcp_new(const char *hostport);
/* A serial device (CDC-ACM, RS-232): raw, 8N1, no flow control, at baud (e.g. 115200). */
struct transport *transport_tty_new(const char *path, int baud);
/* An already open fd (socketpair or pty end, for tests).  The transport owns the fd and
 * closes it in destroy; close() only detaches (I/O fails with TRANSPORT_EGONE) so that a
 * reopen, as after a link loss, works. */
struct transport *transport_fd_new(int fd);

/* USB interface classes the libusb transport can drive. */
enum { TRANSPORT_USB_VENDOR = 0xFF, TRANSPORT_USB_CDC_DATA = 0x0A, TRANSPORT_USB_PRINTER = 0x07 };

struct transport_usb_cfg {
	uint16_t vid, pid;
	/* Interface classes in order of preference; the first the device has is claimed.
	 * 0-terminated; all zero means { VENDOR, CDC_DATA }. */
	uint8_t classes[4];
	int in_transfer_size;   /* bytes of the pending bulk IN transfer; < 512 means 512 */
	int ring_size;          /* IN bytes buffered for read(); < 4096 means 16384 */
};
/* libusb bulk transport on the first device matching VID:PID.  CDC data interfaces get
 * SET_CONTROL_LINE_STATE(DTR|RTS) on their comm interface; a printer interface (class 7)
 * may have no IN endpoint, then read() only waits.  LIBUSB_ERROR_NO_DEVICE maps to
 * TRANSPORT_EGONE. */
struct transport *transport_usb_new(const struct transport_usb_cfg *cfg);
/* USB printer class GET_PORT_STATUS (bit 3 not error, bit 4 selected, bit 5 paper empty)
 * of an open usb transport that claimed a class-7 interface: 0 with *ret_status, or a
 * negative TRANSPORT_E* code (TRANSPORT_EIO when t is not such a transport). */
int transport_usb_printer_status(struct transport *t, uint8_t *ret_status);
/* Parses "VID:PID" (hex) into cfg (classes left zero); false when malformed. */
bool transport_usb_parse_id(const char *s, struct transport_usb_cfg *cfg);

/* kind "tcp" | "tty" | "usb" | "fd" (address: the fd number); NULL for "none", an unknown
 * kind or a malformed address. */
struct transport *transport_from_config(const char *kind, const char *address);

#endif
