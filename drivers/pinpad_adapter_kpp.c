/* KPP/1 behind the PIN-pad seam: each call is the kpp_client call of the same name. */
#include "drivers/pinpad_adapter.h"

#include <stdlib.h>

#include "kiosk/base/xalloc.h"

static int k_open(void *c) { return kpp_client_open(c); }
static void k_close(void *c) { kpp_client_close(c); }
static const char *k_desc(const void *c) { return kpp_client_desc(c); }
static int k_cancel(void *c) { return kpp_client_cancel(c); }
static void k_free(void *c) { kpp_client_free(c); }

/* HELLO at open is the handshake; the health ping is STATUS. */
static int k_open_hello(void *c)
{
	struct kpp_msg m; /* the reply is not needed */
	int rc = k_open(c);
	if (rc == KPP_OK)
		rc = kpp_client_hello(c, &m);
	if (rc != KPP_OK)
		kpp_client_close(c);
	return rc;
}

static int k_health(void *c, struct kpp_msg *ret) { return kpp_client_status(c, ret); }

static int k_authorize(void *c, const struct kpp_sale_req *rq, kpp_event_fn cb, void *ctx,
		       struct kpp_msg *ret)
{
	return kpp_client_sale(c, rq, cb, ctx, ret);
}

static int k_confirm(void *c, const char *txn_id, struct kpp_msg *ret)
{
	return kpp_client_confirm(c, txn_id, ret);
}

static int k_void(void *c, const char *void_id, const char *txn_id, kpp_event_fn cb, void *ctx,
		  struct kpp_msg *ret)
{
	return kpp_client_void(c, void_id, txn_id, cb, ctx, ret);
}

static int k_status(void *c, const char *txn_id, struct kpp_msg *ret)
{
	return kpp_client_txn_status(c, txn_id, ret);
}

static int k_reconcile(void *c, const char *id, kpp_event_fn cb, void *ctx, struct kpp_msg *ret)
{
	return kpp_client_reconcile(c, id, cb, ctx, ret);
}

static const struct pinpad_adapter_ops KPP_OPS = {
	.open = k_open_hello, .close = k_close, .desc = k_desc, .health = k_health,
	.authorize = k_authorize, .cancel = k_cancel, .confirm = k_confirm, .void_auth = k_void,
	.status = k_status, .reconcile = k_reconcile, .free = k_free,
};

struct pinpad_adapter *pinpad_adapter_kpp(struct kpp_client *c)
{
	struct pinpad_adapter *a = xcalloc(1, sizeof *a);
	a->ops = &KPP_OPS;
	a->impl = c;
	a->protocol = "kpp1";
	return a;
}

void pinpad_adapter_free(struct pinpad_adapter *a)
{
	if (!a)
		return;
	a->ops->free(a->impl);
	free(a);
}
