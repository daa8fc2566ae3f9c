/* Sync decisions: backoff, Retry-After, what to do after each answer. */
#include "offline/sync_core.h"

#include <string.h>

#include "offline/center_client.h"

int64_t sync_backoff_ms(int attempt, uint64_t rnd)
{
	int64_t ceil = SYNC_BACKOFF_BASE_MS;
	for (int i = 0; i < attempt && ceil < SYNC_BACKOFF_CAP_MS; i++)
		ceil *= 2;
	if (ceil > SYNC_BACKOFF_CAP_MS)
		ceil = SYNC_BACKOFF_CAP_MS;
	return (int64_t)(rnd % (uint64_t)(ceil + 1));
}

static struct sync_decision retry(const struct sync_outcome *o, int attempt, uint64_t rnd,
				  const char *why)
{
	struct sync_decision d = { .step = SYNC_RETRY_SAME, .attempt = attempt + 1, .why = why };
	d.delay_ms = sync_backoff_ms(attempt, rnd);
	if (o->retry_after_s >= 0) {
		int64_t ra = o->retry_after_s > SYNC_RETRY_AFTER_MAX_S ? SYNC_RETRY_AFTER_MAX_S : o->retry_after_s;
		if (ra * 1000 > d.delay_ms)
			d.delay_ms = ra * 1000;
	}
	return d;
}

struct sync_decision sync_decide(const struct sync_outcome *o, int attempt, uint64_t rnd)
{
	struct sync_decision d = { 0 };
	const char *err = o->error ? o->error : "";
	switch (o->cls) {
	case CENTER_OK:
		d.step = SYNC_APPLY;
		d.online = true;
		d.why = "ok";
		return d;
	case CENTER_EPIN:
		/* Someone else's key answers for the center: never unpinned, slow down, tell. */
		d.step = SYNC_PIN_ALERT;
		d.delay_ms = SYNC_BACKOFF_CAP_MS;
		d.attempt = attempt + 1;
		d.alert = true;
		d.rehello = true;
		d.why = "pin_mismatch";
		return d;
	case CENTER_ENET:
	case CENTER_ETIMEOUT:
	case CENTER_EREPLY:
		d = retry(o, attempt, rnd, o->cls == CENTER_ETIMEOUT ? "timeout" :
				   o->cls == CENTER_EREPLY ? "bad_reply" : "network");
		d.rehello = true;  /* a reconnect starts with hello */
		return d;
	case CENTER_ETLS:
		d.step = SYNC_HOLD;
		d.delay_ms = SYNC_BACKOFF_CAP_MS;
		d.attempt = attempt + 1;
		d.alert = true;
		d.rehello = true;
		d.why = "tls";
		return d;
	default:
		break;
	}
	/* An HTTP answer: the center is online whatever it said. */
	if (o->status == 409 && strcmp(err, "gap") == 0) {
		d.step = SYNC_REWIND;
		d.why = "gap";
	} else if (o->status == 409 && strcmp(err, "fork") == 0) {
		d.step = SYNC_NEW_EPOCH;
		d.alert = true;
		d.rehello = true;
		d.why = "fork";
	} else if (o->status >= 500 || o->status == 429 || o->status == 408) {
		d = retry(o, attempt, rnd, err[0] ? err : "server_error");
	} else if (o->status == 401 && (strcmp(err, "clock_skew") == 0 || strcmp(err, "replay") == 0)) {
		/* clock_skew: the client already re-signed once with the learned offset, the clock
		 * is moving.  replay: our nonce reached the center before (libcurl resends a request
		 * whose reused connection died); a fresh signature later is safe, batches are
		 * idempotent. */
		d = retry(o, attempt, rnd, err);
	} else {
		d.step = SYNC_HOLD;
		d.delay_ms = SYNC_BACKOFF_CAP_MS;
		d.attempt = attempt + 1;
		d.alert = true;
		d.rehello = true;
		d.why = err[0] ? err : "refused";
	}
	d.online = true;
	return d;
}

int sync_check_results(const struct outbox_batch *b, const struct cjson_batch_resp *r)
{
	if (memcmp(b->epoch, r->epoch, sizeof b->epoch) != 0 || r->n != b->n || r->watermark < b->last_seq)
		return -1;
	for (int i = 0; i < r->n; i++) {
		const struct outbox_result *x = &r->results[i];
		if (x->seq != b->recs[i].seq || memcmp(x->idem_key, b->recs[i].idem_key, OUTBOX_KEY_LEN) != 0 ||
		    x->server_ref[0] == '\0')
			return -1;
	}
	return 0;
}

void sync_tally_results(const struct outbox_result *res, int n, struct sync_tally *ret)
{
	struct sync_tally t = { 0 };
	for (int i = 0; i < n; i++) {
		switch (res[i].disposition) {
		case OUTBOX_CREATED: t.created++; break;
		case OUTBOX_DUPLICATE: t.duplicate++; break;
		case OUTBOX_CONFLICT: t.conflict++; break;
		case OUTBOX_REJECTED: t.rejected++; break;
		}
	}
	*ret = t;
}

enum sync_hello_step sync_after_hello(const struct cjson_hello_resp *r)
{
	if (strcmp(r->status, "fork") == 0)
		return SYNC_HELLO_NEW_EPOCH;
	if (strcmp(r->status, "revoked") == 0)
		return SYNC_HELLO_STOP;
	return SYNC_HELLO_SEND;
}

enum sync_gap_step sync_on_gap(int64_t center_watermark, int64_t first_unacked)
{
	return first_unacked <= center_watermark + 1 ? SYNC_GAP_RESEND : SYNC_GAP_NEW_EPOCH;
}

int64_t sync_next_hello(int64_t now_ms, int heartbeat_s)
{
	return now_ms + (int64_t)(heartbeat_s > 0 ? heartbeat_s : 60) * 1000;
}
