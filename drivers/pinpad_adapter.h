#ifndef DRIVERS_PINPAD_ADAPTER_H
#define DRIVERS_PINPAD_ADAPTER_H
/* The seam between the payment service and a PIN-pad protocol: what the service asks of a
 * terminal (open and handshake, health, authorize, cancel, confirm, void before confirm,
 * status of one payment for recovery, reconcile), whatever the protocol underneath.
 *
 * The answers use the service's two-phase vocabulary, which is the one KPP/1 defines (a
 * result, a transaction state, the amount, the card fields and the slip, in a struct
 * kpp_msg): a KPP/1 terminal answers in it directly (pinpad_adapter_kpp); a Vendotek
 * terminal's answers are mapped onto it (vtk_client.h).  Return codes are the KPP_E* codes of
 * kpp_client.h with the same meaning: KPP_EUNKNOWN for an outcome that is unknown, KPP_ELINK /
 * KPP_EGONE / KPP_EIO / KPP_ETIMEDOUT when the link is lost.
 *
 * Every call but cancel runs on the service's thread; cancel may come from any thread. */
#include "drivers/kpp_client.h"

struct pinpad_adapter_ops {
	int (*open)(void *impl);
	void (*close)(void *impl);
	const char *(*desc)(const void *impl);
	int (*health)(void *impl, struct kpp_msg *ret);
	int (*authorize)(void *impl, const struct kpp_sale_req *rq, kpp_event_fn cb, void *ctx,
			 struct kpp_msg *ret);
	int (*cancel)(void *impl);
	int (*confirm)(void *impl, const char *txn_id, struct kpp_msg *ret);
	/* void_id: a stable id derived from txn_id (a repeated void is the same void) */
	int (*void_auth)(void *impl, const char *void_id, const char *txn_id, kpp_event_fn cb,
			 void *ctx, struct kpp_msg *ret);
	/* txn_id NULL: the last payment */
	int (*status)(void *impl, const char *txn_id, struct kpp_msg *ret);
	int (*reconcile)(void *impl, const char *id, kpp_event_fn cb, void *ctx, struct kpp_msg *ret);
	void (*free)(void *impl);
};

struct pinpad_adapter {
	const struct pinpad_adapter_ops *ops;
	void *impl;
	const char *protocol;   /* "kpp1", "vtk" */
};

/* KPP/1: a kpp_client (owned from now on) behind the seam. */
struct pinpad_adapter *pinpad_adapter_kpp(struct kpp_client *c);
/* Frees the adapter and what it owns; NULL is a no-op. */
void pinpad_adapter_free(struct pinpad_adapter *a);

#endif
