#ifndef DRIVERS_KPP_CLIENT_H
#define DRIVERS_KPP_CLIENT_H
/* The host side of KPP/1 over a transport: one blocking call per operation, with the
 * host-side timeouts of docs/kpp1.md, "Host-side timeouts".
 *
 *  - HELLO, STATUS, TXN_STATUS, CONFIRM: an answer within T_RESP (5 s) or KPP_ETIMEDOUT.
 *  - SALE, VOID, RECONCILE (online): EVENTs go to the callback; silence longer than
 *    3 x T_KEEPALIVE (15 s), or more than TIMEOUT_S + 120 s in all, is KPP_EUNKNOWN: the
 *    outcome is unknown and the caller must resolve it with TXN_STATUS (docs/kpp1.md, Recovery).
 *  - a DATA frame not ACKed after 4 attempts is KPP_ELINK; a vanished device KPP_EGONE:
 *    the caller closes, reopens (kpp_client_open) and sends HELLO.
 *  - kpp_client_cancel may be called from another thread while SALE/VOID runs: the running
 *    call sends CANCEL and reports CANCEL_RESP through the callback; the sale then ends
 *    with its own SALE_RESP (CANCELLED, or approved when the CANCEL came TOO_LATE).
 *  - One operation at a time; everything else from the thread that runs operations.
 * Every frame is logged at debug level through kpp_msg_describe (PAN re-masked, slips
 * omitted). */
#include <stdbool.h>
#include <stdint.h>

#include "drivers/kpp_msg.h"
#include "drivers/transport.h"

struct kpp_timeouts {
	int t_ack_ms;         /* 1000 */
	int max_retx;         /* 3 */
	int t_byte_ms;        /* 500 */
	int t_resp_ms;        /* 5000 */
	int silence_ms;       /* 15000 = 3 x T_KEEPALIVE */
	int online_extra_ms;  /* 120000, added to TIMEOUT_S */
	int ms_per_s;         /* 1000: what one second of TIMEOUT_S means (tests scale it) */
	/* The clock every timeout is measured on; NULL: the machine's monotonic clock (device
	 * timeouts follow real time even when a test advances the kiosk's clock).  The payment
	 * property test runs the client on a simulated clock. */
	int64_t (*mono_ms)(void);
};
void kpp_timeouts_default(struct kpp_timeouts *t);

enum kpp_client_rc {
	KPP_OK = 0,
	KPP_ETIMEDOUT = -1,  /* no answer within T_RESP */
	KPP_EUNKNOWN = -2,   /* online operation: outcome unknown, resolve with TXN_STATUS */
	KPP_ELINK = -3,      /* frame not acknowledged: link down */
	KPP_EGONE = -4,      /* transport gone (unplug, peer closed) */
	KPP_EIO = -5,        /* transport error */
	KPP_EPROTO = -6,     /* the request could not be encoded / bad arguments */
	KPP_EBUSY = -7,      /* another operation is running on this client */
};
const char *kpp_client_strerror(int rc);

struct kpp_client;

/* Takes ownership of t (destroyed by kpp_client_free).  to NULL: the values of docs/kpp1.md. */
struct kpp_client *kpp_client_new(struct transport *t, const struct kpp_timeouts *to);
void kpp_client_free(struct kpp_client *c);
/* Opens the transport and resets the link (both SEQ states).  0 or a KPP_E* code. */
int kpp_client_open(struct kpp_client *c);
void kpp_client_close(struct kpp_client *c);
const char *kpp_client_desc(const struct kpp_client *c);
/* Link counters since open: retransmissions sent, duplicate DATA frames suppressed, NAKs sent. */
void kpp_client_link_stats(const struct kpp_client *c, uint32_t *ret_retx, uint32_t *ret_dup,
			   uint32_t *ret_nak);

/* EVENTs and CANCEL_RESP during an online operation (called on the operation's thread). */
typedef void (*kpp_event_fn)(void *ctx, const struct kpp_msg *m);

struct kpp_sale_req {
	const char *txn_id;
	int64_t amount;           /* minor units, > 0 */
	const char *currency;     /* "643" */
	const char *order_ref;    /* may be NULL */
	int timeout_s;            /* 0: 60 */
	int confirm_timeout_s;    /* 0: not sent (terminal default 300) */
};

/* Each returns KPP_OK with the terminal's response in *ret (whatever its RESULT), or a
 * KPP_E* code (then *ret is unspecified). */
int kpp_client_hello(struct kpp_client *c, struct kpp_msg *ret);
int kpp_client_status(struct kpp_client *c, struct kpp_msg *ret);
int kpp_client_sale(struct kpp_client *c, const struct kpp_sale_req *rq, kpp_event_fn cb,
		    void *ctx, struct kpp_msg *ret);
int kpp_client_confirm(struct kpp_client *c, const char *orig_txn_id, struct kpp_msg *ret);
int kpp_client_void(struct kpp_client *c, const char *txn_id, const char *orig_txn_id,
		    kpp_event_fn cb, void *ctx, struct kpp_msg *ret);
/* txn_id NULL: the last financial transaction. */
int kpp_client_txn_status(struct kpp_client *c, const char *txn_id, struct kpp_msg *ret);
int kpp_client_reconcile(struct kpp_client *c, const char *txn_id, kpp_event_fn cb, void *ctx,
			 struct kpp_msg *ret);
/* Asks the running SALE/VOID to be cancelled; thread-safe.  0 when queued, -1 when no
 * online operation is running. */
int kpp_client_cancel(struct kpp_client *c);

#endif
