#ifndef TESTS_SIM_KKT_KKT_CORE_H
#define TESTS_SIM_KKT_KKT_CORE_H
/* The simulated Shtrih-M fiscal register with its fiscal drive (docs/fiscal.md): a request
 * body in, a reply body out, time from the caller.  No I/O: kkt_link frames the bytes and
 * build/kkt-sim serves them.
 *
 * Modelled: modes 2/3/4/8 and submodes 0-3, the paper sensor, passwords 1..30, the open
 * receipt (items with their tags, receipt tags), the shift (number, opening time, receipt
 * counter, 24 h), the fiscal drive (phase, serial, expiry, last FD, warning flags, the
 * archive of documents with FP, unsent documents), and the validation a real device does
 * (layout lengths, the tax bitmask, one tax-system bit, 45h/4Dh, +-1 kopeck, 12-character
 * INNs, the agent bit against registration, 4Fh, 72h/73h).  Every fiscal document made is
 * passed to a sink as it is made (kkt-sim writes it as one JSON line).
 *
 * Knobs (kkt_core_knobs, "name=value ..."; docs/fiscal.md lists them) change the state or
 * arm one-shot faults. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KKT_MAX_ITEMS 32
#define KKT_TLV_CAP 1024

struct kkt_item {
	uint8_t op;
	int64_t qty_micro, price, amount;
	uint8_t tax, dept, method, object;
	char name[260];            /* UTF-8 */
	uint8_t tlv[KKT_TLV_CAP];  /* FF4D tags */
	size_t tlv_len;
};

/* One fiscal document of the archive. */
struct kkt_doc {
	uint32_t fd, fp;
	uint8_t type;              /* 2 shift open, 3 receipt, 5 shift close */
	int64_t at_ms;             /* UTC ms */
	uint8_t dt[5];             /* YY MM DD hh mm (UTC) */
	uint16_t shift_no, receipt_no;
	uint8_t op;                /* 1054 */
	int64_t sum, card, cash;
	uint8_t tax_system;
	bool ofd_ack;
	int nitems;
	struct kkt_item *items;    /* owned */
	uint8_t tlv[KKT_TLV_CAP];  /* FF0C tags */
	size_t tlv_len;
};

typedef void (*kkt_doc_sink)(void *ctx, const struct kkt_doc *d, const char *serial);
typedef void (*kkt_print_sink)(void *ctx, const char *kind, const char *text);

struct kkt_core {
	/* registration */
	char serial[17];            /* ФН serial */
	uint8_t agent_bits;         /* agent types registered (1057/1222 must be among them) */
	uint8_t tax_systems;        /* registered tax systems */
	uint8_t fp_key[32];
	uint8_t expiry[3];          /* YY MM DD */
	/* state */
	uint8_t mode, submode;
	bool paper;
	uint8_t phase, warn;
	uint32_t last_fd;
	uint16_t doc_no;            /* сквозной номер */
	bool shift_open;
	uint16_t shift_no, receipt_no;
	int64_t shift_opened_ms;
	/* open receipt */
	uint8_t receipt_type;
	int nitems;
	struct kkt_item items[KKT_MAX_ITEMS];
	uint8_t pending_tlv[KKT_TLV_CAP]; /* FF4D before the first FF46 (before-mode) */
	size_t pending_len;
	uint8_t rtlv[KKT_TLV_CAP];
	size_t rtlv_len;
	/* the archive */
	struct kkt_doc *docs;
	size_t ndocs, cap_docs;
	/* knobs */
	bool ofd_auto_ack;          /* documents count as sent at once */
	bool item_tags_before;      /* FF4D belongs to the next FF46 (кассовое ядро) */
	int64_t skew_ms;
	uint8_t fn_error;           /* > 0: fiscal commands fail with it */
	int paper_break_after_close;/* the next N closes lose paper after the FD is made */
	int busy;                   /* the next N commands answer 50h */
	/* sinks */
	kkt_doc_sink on_doc;
	kkt_print_sink on_print;
	void *sink_ctx;
	/* counters */
	uint32_t n_exec;
};

/* A fresh register at now_ms: shift closed, paper in, ФН in phase 3, FD 0. */
void kkt_core_init(struct kkt_core *k, int64_t now_ms);
void kkt_core_free(struct kkt_core *k);
/* Executes one request body (CMD + DATA) at now_ms (UTC ms); writes the reply body into
 * reply (SHTRIH_BODY_MAX) and returns its length. */
size_t kkt_core_exec(struct kkt_core *k, const uint8_t *req, size_t n, int64_t now_ms,
		     uint8_t *reply);
/* "name=value ..." (paper, ofd, skew_ms, fn_error, warn, paper_break, busy, agent_bits,
 * tax_systems, phase, unsent_days...); 0 or -1 with err.  Link knobs are kkt_link's. */
int kkt_core_knobs(struct kkt_core *k, const char *line, int64_t now_ms, char *err, size_t cap);
const struct kkt_doc *kkt_core_doc(const struct kkt_core *k, uint32_t fd);
/* The FP of a document: HMAC-SHA256(key, serial || FD || DATE_TIME || sum) cut to 32 bits. */
uint32_t kkt_core_fp(const struct kkt_core *k, uint32_t fd, const uint8_t dt[5], int64_t sum);
/* The document as one JSON line (no newline), every tag decoded; malloc'd. */
char *kkt_doc_json(const struct kkt_doc *d, const char *serial);

#endif
