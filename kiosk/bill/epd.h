#ifndef KIOSK_EPD_H
#define KIOSK_EPD_H
/* Bill QR decoder: ГОСТ Р 56042-2014 payment codes as printed on the ЕПД, by the rules of
 * docs/epd.md, Decoding rules (applied in order; the first failure decides the error code).
 *
 * Pure: no I/O, no allocation.  The result lives in a caller-owned struct epd_bill with
 * fixed capacities; every string it hands out is UTF-8, NUL-terminated and points into
 * that struct (valid while it lives; a struct copy stays valid because values are stored
 * as offsets).  Thread-safe: no global state.
 *
 *   struct epd_bill bill;
 *   int rc = epd_decode(buf, len, &bill);
 *   if (rc == 0) rc = epd_check_allowed(&bill, cfg.allow, cfg.nallow);
 *   if (rc < 0) show(epd_error_message(rc, "ru"));
 *   else lookup(epd_pers_acc_digits(&bill), bill.has_sum ? bill.sum : ask_amount());
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/conf/config.h"

/* The largest QR symbol (version 40-L, byte mode). */
#define EPD_MAX_PAYLOAD 2953

/* Error codes, one per code of docs/epd.md (epd_error_code() gives its text), in rule order.
 * EPD_ENOT_ALLOWED comes from epd_check_allowed() (docs/epd.md, Around the decoder), never
 * from epd_decode(). */
enum epd_error {
	EPD_OK = 0,
	EPD_EEMPTY_PAYLOAD = -1,
	EPD_ETRUNCATED_HEADER = -2,
	EPD_EBAD_FORMAT_ID = -3,
	EPD_EUNSUPPORTED_VERSION = -4,
	EPD_EBAD_ENCODING_FLAG = -5,
	EPD_EBAD_SEPARATOR = -6,
	EPD_ETOO_LONG = -7,
	EPD_EBAD_ENCODING = -8,
	EPD_EMOJIBAKE = -9,
	EPD_EMALFORMED_FIELD = -10,
	EPD_ECONTROL_CHAR = -11,
	EPD_EDUPLICATE_KEY = -12,
	EPD_EMISSING_MANDATORY = -13,
	EPD_EBAD_BIC = -14,
	EPD_EBAD_ACCOUNT = -15,
	EPD_EBAD_ACCOUNT_KEY = -16,
	EPD_EBAD_CORRESP_ACC = -17,
	EPD_EBAD_SUM = -18,
	EPD_EBAD_INN = -19,
	EPD_ENOT_ALLOWED = -20,
};
#define EPD_ERROR_COUNT 21 /* including EPD_OK */

/* Every known key, in the order of docs/epd.md, Keys: the 5 mandatory ones first, then the
 * additional ones with length limits, then the other known keys.  epd_key_name() is the
 * canonical spelling. */
enum epd_key {
	EPD_NAME, EPD_PERSONAL_ACC, EPD_BANK_NAME, EPD_BIC, EPD_CORRESP_ACC,
	EPD_SUM, EPD_PURPOSE, EPD_PAYEE_INN, EPD_PAYER_INN, EPD_DRAWER_STATUS, EPD_KPP, EPD_CBC,
	EPD_OKTMO, EPD_PAYT_REASON, EPD_TAX_PERIOD, EPD_DOC_NO, EPD_DOC_DATE, EPD_TAX_PAYT_KIND,
	EPD_LAST_NAME, EPD_FIRST_NAME, EPD_MIDDLE_NAME, EPD_PAYER_ADDRESS, EPD_PERSONAL_ACCOUNT,
	EPD_DOC_IDX, EPD_PENS_ACC, EPD_CONTRACT, EPD_PERS_ACC, EPD_FLAT, EPD_PHONE,
	EPD_PAYER_ID_TYPE, EPD_PAYER_ID_NUM, EPD_CHILD_FIO, EPD_BIRTH_DATE, EPD_PAYM_TERM,
	EPD_PAYM_PERIOD, EPD_CATEGORY, EPD_SERVICE_NAME, EPD_COUNTER_ID, EPD_COUNTER_VAL,
	EPD_QUITT_ID, EPD_QUITT_DATE, EPD_INST_NUM, EPD_CLASS_NUM, EPD_SPEC_FIO, EPD_ADD_AMOUNT,
	EPD_RULE_ID, EPD_EXEC_ID, EPD_REG_TYPE, EPD_UIN, EPD_TECH_CODE,
	EPD_KEY_COUNT
};

/* Decoded text: a cp1251/KOI8-R byte becomes at most 3 UTF-8 bytes; the digits-only
 * PersAcc is appended after it. */
#define EPD_TEXT_CAP (4 * EPD_MAX_PAYLOAD + 8)
/* At most one warning per kind plus one field_too_long per limited key. */
#define EPD_MAX_WARNINGS 24
#define EPD_WARNING_LEN 32
/* Unknown keys kept for the log; more are counted in nunknown_dropped. */
#define EPD_MAX_UNKNOWN 32

struct epd_bill {
	char enc[8];              /* decoding actually used: "cp1251" | "utf-8" | "koi8-r" */
	char separator;           /* byte 7 */
	char period[8];           /* "YYYY-MM" from PaymPeriod, or "" */
	bool has_sum;             /* Sum present: sum is the amount in kopecks */
	uint64_t sum;
	int nwarnings;            /* sorted: "bad_kpp", "field_too_long:BankName", ... */
	char warnings[EPD_MAX_WARNINGS][EPD_WARNING_LEN];
	int nunknown;             /* unknown keys in payload order (their own spelling) */
	int nunknown_dropped;
	uint16_t unknown[EPD_MAX_UNKNOWN];   /* offsets into text */
	uint16_t field[EPD_KEY_COUNT];       /* offsets into text; 0 = absent */
	uint16_t pers_acc_digits;            /* offset into text ("" when no PersAcc) */
	uint16_t text_len;                   /* bytes of text in use */
	char text[EPD_TEXT_CAP];             /* text[0] is always '\0' */
};

/* Decodes one symbol's raw bytes (AIM prefix and scanner suffix already stripped).
 * Returns 0 and fills *ret, or a negative enum epd_error and leaves *ret untouched. */
int epd_decode(const uint8_t *buf, size_t len, struct epd_bill *ret);

/* The value of KEY (any ASCII case: "PersAcc", "persacc"), or NULL when absent, dropped
 * (bad PayerINN, bad or `0` KPP) or not a known key. */
const char *epd_field(const struct epd_bill *b, const char *key);
/* Same by id; NULL when absent. */
const char *epd_field_id(const struct epd_bill *b, enum epd_key k);
/* Canonical spelling ("PersonalAcc"); NULL for an id out of range. */
const char *epd_key_name(enum epd_key k);
/* The i-th unknown key (0 <= i < nunknown). */
const char *epd_unknown_key(const struct epd_bill *b, int i);
/* PersAcc with everything but its digits removed ("12345-678" -> "12345678"); "" when
 * there is no PersAcc. */
const char *epd_pers_acc_digits(const struct epd_bill *b);

/* Allow-list check (docs/epd.md, Around the decoder): the bill's PayeeINN, PersonalAcc and BIC
 * must all equal one entry of ALLOW.  Returns 0 or EPD_ENOT_ALLOWED (also when PayeeINN is
 * absent). */
int epd_check_allowed(const struct epd_bill *b, const struct config_allow *allow, int nallow);

/* The bank details' check digits, for the bill and for the configuration's payees alike.
 * Bank of Russia account key: ACC (20 digits) against BIC (9 digits).  rkc selects the
 * РКЦ conditional number (0 + BIC digits 5-6); it is also used when BIC digits 7-9 are
 * 000, 001 or 002. */
bool epd_account_key_ok(const char *bic, const char *acc, bool rkc);
/* INN of 10 or 12 digits with its check digits. */
bool epd_inn_ok(const char *s);

/* "bad_format_id" for EPD_EBAD_FORMAT_ID, "ok" for 0; "unknown" for anything else. */
const char *epd_error_code(int err);
/* The text to show: LANG "en" gives English, anything else Russian. */
const char *epd_error_message(int err, const char *lang);

/* Copies BUF to OUT (len bytes) with the values of PersAcc, LastName, FirstName,
 * MiddleName and PayerAddress replaced by '*' (the keys stay readable).  Works on raw
 * bytes: byte 7 is taken as the separator whether or not the header is valid; when len < 8
 * nothing is masked. */
void epd_mask_payload(const uint8_t *buf, size_t len, uint8_t *out);

/* Logs BUF at debug level (mod=epd event=payload) as hex, masked as above, in lines of at
 * most 256 payload bytes.  Does nothing unless debug is enabled.  Payloads longer than
 * EPD_MAX_PAYLOAD + 16 bytes are logged truncated (len= says the real length). */
void epd_log_payload(const uint8_t *buf, size_t len);

/* JSON of docs/epd.md, Command line (kiosk/bill/epd_json.c, jansson): for a decoded bill, or for a
 * rejection with its code and message in LANG.  Compact, one line, no trailing newline;
 * malloc'd, the caller frees.  Never NULL. */
char *epd_to_json(const struct epd_bill *b);
char *epd_error_json(int err, const char *lang);

#endif
