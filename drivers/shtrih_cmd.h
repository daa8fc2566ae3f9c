#ifndef DRIVERS_SHTRIH_CMD_H
#define DRIVERS_SHTRIH_CMD_H
/* The command subset the kiosk sends to a Shtrih-M fiscal register (docs/fiscal.md): pure
 * request encoders and reply decoders.  Integers are little-endian, money is kopecks in 5
 * bytes, passwords 4 bytes.  A decoder fills *ret only when the reply is long enough for
 * every field it reads (returns 0), else returns -1 and leaves *ret alone.  No I/O. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/shtrih_frame.h"

enum shtrih_cmd_code {
	SHTRIH_SHORT_STATUS = 0x10, SHTRIH_LONG_STATUS = 0x11, SHTRIH_PRINT_LINE = 0x17,
	SHTRIH_CUT = 0x25, SHTRIH_X_REPORT = 0x40, SHTRIH_Z_REPORT = 0x41,
	SHTRIH_CANCEL_RECEIPT = 0x88, SHTRIH_OPEN_RECEIPT = 0x8D, SHTRIH_CONTINUE_PRINT = 0xB0,
	SHTRIH_OPEN_SHIFT = 0xE0, SHTRIH_IDENTIFY = 0xFC,
	SHTRIH_FN_STATUS = 0xFF01, SHTRIH_FN_SERIAL = 0xFF02, SHTRIH_FN_EXPIRY = 0xFF03,
	SHTRIH_FN_CANCEL_DOC = 0xFF08, SHTRIH_FN_FIND_DOC = 0xFF0A, SHTRIH_FN_OPEN_SHIFT = 0xFF0B,
	SHTRIH_FN_TAG = 0xFF0C, SHTRIH_FN_OFD_STATUS = 0xFF39, SHTRIH_FN_TLV_BEGIN = 0xFF3A,
	SHTRIH_FN_TLV_NEXT = 0xFF3B, SHTRIH_FN_TICKET = 0xFF3C, SHTRIH_FN_UNSENT = 0xFF3F,
	SHTRIH_FN_SHIFT_STATUS = 0xFF40, SHTRIH_FN_SHIFT_OPEN_BEGIN = 0xFF41,
	SHTRIH_FN_SHIFT_CLOSE_BEGIN = 0xFF42, SHTRIH_FN_CLOSE_SHIFT = 0xFF43,
	SHTRIH_FN_CLOSE_RECEIPT = 0xFF45, SHTRIH_FN_ITEM = 0xFF46, SHTRIH_FN_ITEM_TAG = 0xFF4D,
};

#define SHTRIH_TLV_MAX 250     /* FF0C / FF4D carry at most this many TLV bytes */
#define SHTRIH_NAME_MAX 128    /* FF46 item name, WIN1251 bytes */
#define SHTRIH_LINE_MAX 40     /* 17h text bytes */
#define SHTRIH_AMOUNT_NONE (-1) /* an amount field sent as FF x5 */

struct shtrih_req {
	uint16_t cmd;
	size_t len;
	uint8_t data[SHTRIH_BODY_MAX];
};

/* The execution timeout of cmd: how long the host waits for the reply after the device
 * ACKed the frame (reports and the shift open print, so they get longer). */
int shtrih_cmd_timeout_ms(uint16_t cmd);
/* "FF45" / "10" for logs; buf holds at least 5 bytes. */
const char *shtrih_cmd_name(uint16_t cmd, char *buf);

/* Requests carrying only a password (10h, 11h, 40h, 41h, 88h, B0h, E0h, FF01..FF03, FF08,
 * FF0B, FF39, FF3B, FF3F..FF43).  FCh carries nothing: pw is ignored for it. */
void shtrih_req_pw(struct shtrih_req *r, uint16_t cmd, uint32_t pw);
/* 8Dh: type 0 sale, 1 purchase, 2 sale refund, 3 purchase refund. */
void shtrih_req_open_receipt(struct shtrih_req *r, uint32_t pw, uint8_t type);
/* FF0A, FF3A, FF3C: pw and a fiscal document number. */
void shtrih_req_fd(struct shtrih_req *r, uint16_t cmd, uint32_t pw, uint32_t fd);
/* FF0C / FF4D: tlv bytes (1..SHTRIH_TLV_MAX).  Returns 0 or -1 when too long or empty. */
int shtrih_req_tlv(struct shtrih_req *r, uint16_t cmd, uint32_t pw, const uint8_t *tlv, size_t n);
/* 17h: flags (bit1 receipt tape, bit0 journal) and up to 40 WIN1251 bytes, NUL-padded. */
int shtrih_req_print(struct shtrih_req *r, uint32_t pw, uint8_t flags, const uint8_t *text,
		     size_t n);
/* 25h: a full (false) or partial (true) cut. */
void shtrih_req_cut(struct shtrih_req *r, uint32_t pw, bool partial);

/* FF46 operation V2: one item. */
struct shtrih_item {
	uint8_t op_type;        /* 1054: 1 sale, 2 sale refund, 3 purchase, 4 purchase refund */
	int64_t qty_micro;      /* quantity x 10^6 */
	int64_t price;          /* kopecks */
	int64_t amount;         /* kopecks, or SHTRIH_AMOUNT_NONE: the ККТ computes it */
	int64_t tax_amount;     /* kopecks, or SHTRIH_AMOUNT_NONE */
	uint8_t tax;            /* rate bitmask (08 = without VAT) */
	uint8_t department;     /* 0..16 */
	uint8_t method;         /* 1214 */
	uint8_t object;         /* 1212 */
	uint8_t name[SHTRIH_NAME_MAX]; /* WIN1251 */
	size_t name_len;
};
/* Returns 0, or -1 when a field is out of range (amounts beyond 40 bits or negative,
 * department > 16, name too long). */
int shtrih_req_item(struct shtrih_req *r, uint32_t pw, const struct shtrih_item *it);

/* FF45 close receipt, extended no. 2. */
struct shtrih_close {
	int64_t pay[16];        /* #1 cash, #2..#13 electronic, #14 prepay, #15 credit, #16 other */
	uint8_t rounding;       /* kopecks */
	int64_t taxes[6];
	uint8_t tax_system;     /* 1055: exactly one bit */
	uint8_t text[64];       /* WIN1251 */
	size_t text_len;
};
/* Returns 0, or -1 when tax_system is not one bit of b0..b5, a sum is out of range or the
 * text is too long. */
int shtrih_req_close(struct shtrih_req *r, uint32_t pw, const struct shtrih_close *c);

/* ---- replies (r is the parsed reply of the matching command, r->err == 0) */

struct shtrih_short_status {
	uint8_t op;
	uint16_t flags;
	uint8_t mode, mode_status;  /* low and high nibble of the mode byte */
	uint8_t submode;
	uint16_t ops;               /* operations in the open receipt */
	uint8_t battery, supply;
	bool has_print_result;
	uint8_t print_result;       /* 0 ok, 1 paper break, 2 printer error, 5 printing */
};
int shtrih_parse_short_status(const struct shtrih_reply *r, struct shtrih_short_status *ret);

struct shtrih_long_status {
	uint8_t op;
	char fw[3];                 /* two characters */
	uint16_t build;
	uint8_t fw_date[3];         /* DD MM YY */
	uint16_t doc_no;
	uint16_t flags;
	uint8_t mode, submode;
	uint8_t date[3], time[3];   /* DD MM YY, hh mm ss */
	uint32_t serial;
	uint16_t last_shift;
	uint64_t inn;
};
int shtrih_parse_long_status(const struct shtrih_reply *r, struct shtrih_long_status *ret);

struct shtrih_identity {
	uint8_t type, subtype, proto, subproto, model, lang;
	char name[64];              /* WIN1251 as sent, NUL-terminated */
};
int shtrih_parse_identity(const struct shtrih_reply *r, struct shtrih_identity *ret);

/* DATE_TIME of the fiscal drive: YY MM DD hh mm. */
struct shtrih_dt { uint8_t yy, mo, dd, hh, mi; };

struct shtrih_fn_status {
	uint8_t phase, cur_doc, doc_data, shift_open, warn;
	struct shtrih_dt last_doc;
	char serial[17];
	uint32_t last_fd;
};
int shtrih_parse_fn_status(const struct shtrih_reply *r, struct shtrih_fn_status *ret);
int shtrih_parse_fn_serial(const struct shtrih_reply *r, char ret[17]);
int shtrih_parse_fn_expiry(const struct shtrih_reply *r, uint8_t ret_ymd[3]);

struct shtrih_shift_status { uint8_t open; uint16_t shift_no, receipt_no; };
int shtrih_parse_shift_status(const struct shtrih_reply *r, struct shtrih_shift_status *ret);

/* FF0B / FF43 / FF45 share the FD and FP; FF45 adds the change before them. */
struct shtrih_fd_result {
	uint16_t shift_no;          /* FF0B, FF43 */
	int64_t change;             /* FF45 */
	uint32_t fd, fp;
	bool has_dt;
	struct shtrih_dt dt;
};
int shtrih_parse_shift_result(const struct shtrih_reply *r, struct shtrih_fd_result *ret);
int shtrih_parse_close_result(const struct shtrih_reply *r, struct shtrih_fd_result *ret);

enum { SHTRIH_DOC_SHIFT_OPEN = 2, SHTRIH_DOC_RECEIPT = 3, SHTRIH_DOC_SHIFT_CLOSE = 5 };
struct shtrih_fn_doc {
	uint8_t type, ofd_ack;
	struct shtrih_dt dt;
	uint32_t fd, fp;
	uint8_t op;                 /* receipts */
	int64_t sum;                /* receipts */
	uint16_t shift_no;          /* shift open / close */
};
int shtrih_parse_fn_doc(const struct shtrih_reply *r, struct shtrih_fn_doc *ret);

struct shtrih_ofd_status {
	uint8_t bits, reading;
	uint16_t msgs;
	uint32_t first_fd;
	struct shtrih_dt first_dt;
};
int shtrih_parse_ofd_status(const struct shtrih_reply *r, struct shtrih_ofd_status *ret);
int shtrih_parse_unsent(const struct shtrih_reply *r, uint16_t *ret);
/* FF3A: the document's STLV tag and its length; the value then comes in FF3B chunks (each
 * reply's data is the next chunk) until error 08h.  FF3C's data is the ОФД ticket. */
int shtrih_parse_tlv_begin(const struct shtrih_reply *r, uint16_t *ret_tag, uint16_t *ret_len);

/* Little-endian helpers shared with the simulator and the receipt builder. */
void shtrih_put_le(uint8_t *p, uint64_t v, int n);
uint64_t shtrih_get_le(const uint8_t *p, int n);

#endif
