#ifndef DRIVERS_KPP_MSG_H
#define DRIVERS_KPP_MSG_H
/* KPP/1 application messages (docs/kpp1.md, Messages; Requests and responses):
 * PAYLOAD = MSG { TAG LEN(u16 BE) VALUE }*
 * encoded from and decoded into one fixed-size struct.
 *
 * Every known tag has a type and a length range in one table (kpp_msg.c); decoding checks
 * each value against it (charset, length, capacity), rejects a tag that appears twice and a
 * TLV that runs past the payload, and skips unknown tags.  Setting a field goes through the
 * same checks, so a struct that encodes is always one a peer will accept.  Pure. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum kpp_msg_code {
	KPP_MSG_HELLO = 0x01,
	KPP_MSG_STATUS = 0x02,
	KPP_MSG_SALE = 0x10,
	KPP_MSG_CANCEL = 0x11,
	KPP_MSG_CONFIRM = 0x12,
	KPP_MSG_VOID = 0x13,
	KPP_MSG_REFUND = 0x14,
	KPP_MSG_TXN_STATUS = 0x20,
	KPP_MSG_RECONCILE = 0x21,
	KPP_MSG_EVENT = 0x40,
	KPP_MSG_RESP = 0x80, /* | request code */
};

enum kpp_tag {
	KPP_TAG_TXN_ID = 0x01, KPP_TAG_AMOUNT, KPP_TAG_CURRENCY, KPP_TAG_ORIG_TXN_ID,
	KPP_TAG_RESULT, KPP_TAG_TXN_STATE, KPP_TAG_HOST_RC, KPP_TAG_AUTH_CODE, KPP_TAG_RRN,
	KPP_TAG_MASKED_PAN, KPP_TAG_SCHEME, KPP_TAG_AID, KPP_TAG_ENTRY_MODE, KPP_TAG_TID,
	KPP_TAG_MID, KPP_TAG_STAN, KPP_TAG_BATCH_NO, KPP_TAG_TERMINAL_DT, KPP_TAG_RECEIPT_TEXT,
	KPP_TAG_MESSAGE_TEXT, KPP_TAG_EVENT_CODE, KPP_TAG_TIMEOUT_S, KPP_TAG_CONFIRM_TIMEOUT_S,
	KPP_TAG_TERM_STATE, KPP_TAG_CURRENT_TXN_ID, KPP_TAG_CVM, KPP_TAG_VENDOR_ERROR,
	KPP_TAG_TOTALS, KPP_TAG_TERM_INFO, KPP_TAG_ORDER_REF,
	KPP_TAG_LAST = KPP_TAG_ORDER_REF,
};

enum kpp_result {
	KPP_RES_OK = 0, KPP_RES_DECLINED, KPP_RES_CANCELLED, KPP_RES_TIMEOUT, KPP_RES_BUSY,
	KPP_RES_UNKNOWN_TXN, KPP_RES_DUPLICATE, KPP_RES_NOT_SUPPORTED, KPP_RES_BAD_REQUEST,
	KPP_RES_TERMINAL_ERROR, KPP_RES_TOO_LATE,
};

enum kpp_txn_state {
	KPP_TS_NONE = 0, KPP_TS_IN_PROGRESS, KPP_TS_APPROVED_PENDING_CONFIRM,
	KPP_TS_APPROVED_CONFIRMED, KPP_TS_DECLINED, KPP_TS_CANCELLED, KPP_TS_REVERSED,
	KPP_TS_REVERSED_AUTO, KPP_TS_FAILED, KPP_TS_REFUNDED,
};

enum kpp_event_code {
	KPP_EV_PRESENT_CARD = 1, KPP_EV_READING, KPP_EV_ENTER_PIN, KPP_EV_ONLINE,
	KPP_EV_REMOVE_CARD, KPP_EV_SEE_PHONE, KPP_EV_KEEPALIVE,
};

enum kpp_term_state { KPP_TERM_IDLE = 0, KPP_TERM_BUSY_TXN, KPP_TERM_OUT_OF_SERVICE,
	KPP_TERM_NEEDS_RECONCILE };

#define KPP_TXN_ID_MAX 36
#define KPP_TEXT_MAX 4000   /* RECEIPT_TEXT; bounded by the 4096-byte payload anyway */

struct kpp_msg {
	uint8_t code;
	uint64_t present;         /* bit (1 << tag) per tag set */
	char txn_id[KPP_TXN_ID_MAX + 1];
	char amount[13];
	char currency[4];
	char orig_txn_id[KPP_TXN_ID_MAX + 1];
	uint8_t result;
	uint8_t txn_state;
	char host_rc[4];
	char auth_code[7];
	char rrn[13];
	char masked_pan[20];
	char scheme[33];
	char aid[33];
	uint8_t entry_mode;
	char tid[9];
	char mid[16];
	char stan[7];
	char batch_no[13];
	char terminal_dt[15];
	char receipt_text[KPP_TEXT_MAX + 1];
	char message_text[257];
	uint8_t event_code;
	char timeout_s[7];
	char confirm_timeout_s[7];
	uint8_t term_state;
	char current_txn_id[KPP_TXN_ID_MAX + 1];
	uint8_t cvm;
	char vendor_error[65];
	char totals[1025];
	char term_info[513];
	char order_ref[33];
};

enum {
	KPP_MSG_OK = 0,
	KPP_MSG_ETRUNC = -1,   /* a TLV runs past the payload / empty payload */
	KPP_MSG_EDUP = -2,     /* a tag appears twice */
	KPP_MSG_EVALUE = -3,   /* a value has the wrong length or characters */
	KPP_MSG_ESPACE = -4,   /* encode: output too small */
	KPP_MSG_ETAG = -5,     /* set: not a known tag, or the wrong setter for its type */
};

void kpp_msg_init(struct kpp_msg *m, uint8_t code);
bool kpp_msg_has(const struct kpp_msg *m, enum kpp_tag tag);
/* Sets a text tag (checked as the decoder would); returns KPP_MSG_OK or an error and leaves
 * m unchanged on failure. */
int kpp_msg_set(struct kpp_msg *m, enum kpp_tag tag, const char *value);
/* Sets a u8 tag (RESULT, TXN_STATE, ENTRY_MODE, EVENT_CODE, TERM_STATE, CVM). */
int kpp_msg_set_u8(struct kpp_msg *m, enum kpp_tag tag, uint8_t value);
/* Text of a tag (NULL when not present or a u8 tag). */
const char *kpp_msg_get(const struct kpp_msg *m, enum kpp_tag tag);

/* Encodes m into out; returns the payload length or a negative KPP_MSG_E*. */
int kpp_msg_encode(const struct kpp_msg *m, uint8_t *out, size_t cap);
/* Decodes a payload into *ret (overwritten even on failure). */
int kpp_msg_decode(const uint8_t *p, size_t n, struct kpp_msg *ret);

const char *kpp_msg_name(uint8_t code);    /* "SALE", "SALE_RESP", "EVENT", "0x33" → "?" */
const char *kpp_tag_name(enum kpp_tag tag);
const char *kpp_result_name(uint8_t r);
const char *kpp_txn_state_name(uint8_t s);

/* Parses AMOUNT (1..12 digits) into minor units; false when absent or malformed. */
bool kpp_msg_amount(const struct kpp_msg *m, int64_t *ret);

/* One log line's worth of m: "msg=SALE_RESP RESULT=OK TXN_STATE=... TAG=value ...".  Redacts
 * by tag: MASKED_PAN is re-masked with kpp_mask_pan, RECEIPT_TEXT and TOTALS are replaced by
 * their length, texts are cut and their control characters escaped.  Returns buf. */
char *kpp_msg_describe(const struct kpp_msg *m, char *buf, size_t cap);

/* Writes a PAN-like string re-masked to at most the first 6 and last 4 digits (the rest
 * '*'); non-digit, non-'*' characters are dropped.  out gets at most cap-1 chars.  A string
 * of fewer than 11 digits keeps only its last 4 digits visible.  Returns out. */
char *kpp_mask_pan(const char *in, char *out, size_t cap);

#endif
