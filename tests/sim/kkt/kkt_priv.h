#ifndef TESTS_SIM_KKT_KKT_PRIV_H
#define TESTS_SIM_KKT_KKT_PRIV_H
/* Shared between the simulator core's files: reply building and document making. */
#include "drivers/shtrih_cmd.h"
#include "tests/sim/kkt/kkt_core.h"

/* A reply under construction: the command code, then the error code, then fields. */
struct kkt_rep {
	uint8_t *p;
	size_t n;
};

void kkt_rep_begin(struct kkt_rep *r, uint8_t *buf, uint16_t cmd);
size_t kkt_rep_err(struct kkt_rep *r, uint8_t err);     /* replaces the body: cmd + err */
void kkt_rep_le(struct kkt_rep *r, uint64_t v, int n);
void kkt_rep_bytes(struct kkt_rep *r, const void *p, size_t n);

/* The operator number of a password, or 0 when it is none of 1..30. */
uint8_t kkt_operator(uint32_t pw);
/* The register's clock as DATE_TIME (local time of the register). */
void kkt_dt(const struct kkt_core *k, int64_t now_ms, uint8_t dt[5]);
/* Appends a document to the archive (FD, FP, time set here), hands it to the sink. */
struct kkt_doc *kkt_make_doc(struct kkt_core *k, uint8_t type, int64_t now_ms);
/* Whether the shift is past 24 h at now_ms. */
bool kkt_shift_over(const struct kkt_core *k, int64_t now_ms);

/* WIN1251 text (item names, printed lines) as UTF-8, up to a NUL or n bytes. */
void kkt_win1251_to_utf8(const uint8_t *p, size_t n, char *out, size_t cap);

/* kkt_receipt.c: 8Dh, FF46, FF4D, FF0C, FF45, 88h, FF08 */
size_t kkt_receipt_exec(struct kkt_core *k, uint16_t cmd, const uint8_t *d, size_t n,
			int64_t now_ms, uint8_t *reply);

#define KKT_TZ_OFFSET_MIN 180   /* the register keeps Moscow time */

#endif
