#ifndef DRIVERS_VTK_MSG_H
#define DRIVERS_VTK_MSG_H
/* Vendotek VTK messages (docs/pinpad.md, "VTK wire format"): the TLV payload of a frame
 * into one fixed-size struct and back.  Pure: no I/O, no allocation.
 *
 * TLV: a 1-byte tag (every defined tag is below 0x1F; a BER multi-byte tag is refused), a BER
 * length (00-7F itself, 81 nn = nn, 82 hh ll = hhll; 80 and 83.. are refused), the value.
 * Tags come in any order; unknown tags are skipped; for a repeated tag the first one counts.
 * Decimal values are unsigned ASCII digits, leading zeros accepted on input, never emitted.
 * The message name (tag 01, three letters) is mandatory.  The receipt (13) and the system
 * information (12) are kept up to their caps and flagged when cut; any other value over its
 * cap, a bad decimal or a length past the end refuses the whole message, filling nothing. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum vtk_tag {
	VTK_T_NAME = 0x01, VTK_T_OP = 0x03, VTK_T_AMOUNT = 0x04, VTK_T_KEEPALIVE = 0x05,
	VTK_T_TIMEOUT = 0x06, VTK_T_EVENT_NAME = 0x07, VTK_T_EVENT_NO = 0x08,
	VTK_T_PRODUCT = 0x09, VTK_T_QR = 0x0A, VTK_T_TCPIP = 0x0B, VTK_T_BYTES = 0x0C,
	VTK_T_PRODUCT_NAME = 0x0F, VTK_T_MGMT = 0x10, VTK_T_LOCAL_TIME = 0x11,
	VTK_T_SYSINFO = 0x12, VTK_T_RECEIPT = 0x13, VTK_T_DISPLAY_MS = 0x14, VTK_T_HOST_ID = 0x19,
};

#define VTK_HAS(m, tag) (((m)->present >> (tag)) & 1u)
#define VTK_RECEIPT_MAX 4096
#define VTK_QR_MAX 512
#define VTK_MSG_MAX 65533  /* the TLVs of one frame */

struct vtk_msg {
	uint32_t present;          /* bit (1 << tag) for each tag carried */
	char name[4];              /* 01: "IDL", "VRP", ... */
	uint32_t op;               /* 03: operation number, 0..99999999 */
	int64_t amount;            /* 04: kopecks, 0..999999999999 */
	uint32_t keepalive_s;      /* 05 */
	uint32_t timeout_s;        /* 06 */
	char event_name[6];        /* 07 */
	uint32_t event_no;         /* 08 */
	uint32_t product;          /* 09 */
	char qr[VTK_QR_MAX + 1];   /* 0A */
	uint8_t tcpip[32];         /* 0B, raw */
	uint8_t tcpip_len;
	uint32_t bytes;            /* 0C */
	char product_name[128];    /* 0F, UTF-8 */
	char mgmt[16];             /* 10: 'L' download, 'R' restart */
	char local_time[32];       /* 11: YYYYMMDDThhmmss+hhmm */
	char sysinfo[256];         /* 12 */
	bool sysinfo_cut;
	uint32_t display_ms;       /* 14 */
	uint32_t host_id;          /* 19 */
	char receipt[VTK_RECEIPT_MAX + 1]; /* 13: UTF-8, LF between lines */
	uint16_t receipt_len;
	bool receipt_cut;          /* the terminal's receipt was longer than VTK_RECEIPT_MAX */
};

enum vtk_msg_rc {
	VTK_MSG_OK = 0,
	VTK_MSG_ETRUNC = -1,     /* a tag or length runs past the end */
	VTK_MSG_ELEN = -2,       /* a BER length form we refuse (80, 83 and longer) */
	VTK_MSG_ETAG = -3,       /* a multi-byte (BER 1F) tag */
	VTK_MSG_EVALUE = -4,     /* a value of a known tag is malformed or over its cap */
	VTK_MSG_ENONAME = -5,    /* no message name */
	VTK_MSG_ESPACE = -6,     /* encode: the output buffer is too small */
};

/* Decodes n TLV bytes into *ret (cleared first; untouched on error). */
int vtk_msg_decode(const uint8_t *p, size_t n, struct vtk_msg *ret);

/* Encodes the tags present in m (01 always, from m->name), in tag order.  Returns the
 * length, or VTK_MSG_ESPACE / VTK_MSG_EVALUE (a number over its tag's digits, a text over
 * its cap, a name that is not three letters). */
int vtk_msg_encode(const struct vtk_msg *m, uint8_t *out, size_t cap);

/* Starts a message: cleared, name set (three letters). */
void vtk_msg_init(struct vtk_msg *m, const char *name);
/* Sets a decimal tag (03 04 05 06 08 09 0C 14 19) and marks it present. */
void vtk_msg_set_num(struct vtk_msg *m, enum vtk_tag tag, int64_t v);
/* Sets a text tag (07 0A 0F 10 11 12 13), cut to its cap, and marks it present. */
void vtk_msg_set_text(struct vtk_msg *m, enum vtk_tag tag, const char *s, size_t n);

/* Writes one BER length at out (up to 3 bytes); returns the bytes written (0: n > 65535). */
size_t vtk_ber_len_put(size_t n, uint8_t *out);
/* Reads one BER length from p (avail bytes).  Returns the bytes it took (1-3) and sets
 * *ret_len, or a negative vtk_msg_rc. */
int vtk_ber_len_get(const uint8_t *p, size_t avail, size_t *ret_len);

/* One log line's worth of m: "VRP op=42 amount=452316 receipt=143B ...".  The receipt and the
 * QR are replaced by their lengths: a receipt may carry card data. */
char *vtk_msg_describe(const struct vtk_msg *m, char *buf, size_t cap);

#endif
