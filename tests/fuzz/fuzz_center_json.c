/* libFuzzer target: every billing-center response parser the kiosk runs on bytes from the
 * network (and the batch request parser the simulator runs).  A successful decode must
 * re-encode and decode to the same value. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "offline/center_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char err[CJSON_ERR_MAX];
	struct cjson_hello_resp h, h2;
	if (cjson_hello_resp_decode(s, size, &h, err) == 0) {
		char *e = cjson_hello_resp_encode(&h);
		if (cjson_hello_resp_decode(e, strlen(e), &h2, err) != 0 ||
		    h2.nepochs != h.nepochs || h2.server_time_ms != h.server_time_ms)
			abort();
		free(e);
	}
	struct cjson_batch_resp b;
	if (cjson_batch_resp_decode(s, size, &b, err) == 0) {
		char *e = cjson_batch_resp_encode(&b);
		struct cjson_batch_resp b2;
		if (cjson_batch_resp_decode(e, strlen(e), &b2, err) != 0 || b2.n != b.n ||
		    (b.n && memcmp(b.results, b2.results, sizeof *b.results * (size_t)b.n) != 0))
			abort();
		cjson_batch_resp_clear(&b2);
		free(e);
		cjson_batch_resp_clear(&b);
	}
	struct outbox_batch q;
	if (cjson_batch_req_decode(s, size, &q, err) == 0) {
		char *e = cjson_batch_req_encode(&q);
		free(e);
		cjson_batch_clear(&q);
	}
	struct cjson_error ce;
	(void)cjson_error_decode(s, size, &ce, err);
	(void)cjson_server_time(s, size);
	struct account *a = malloc(sizeof *a);
	if (cjson_account_decode(s, size, a, err) == 0) {
		char *e = cjson_account_encode(a, NULL, -1);
		struct account *a2 = malloc(sizeof *a2);
		if (cjson_account_decode(e, strlen(e), a2, err) != 0 || a2->nmeters != a->nmeters ||
		    a2->due != a->due)
			abort();
		free(a2);
		free(e);
	}
	free(a);
	struct cjson_verify_resp v;
	(void)cjson_verify_resp_decode(s, size, &v, err);
	struct cjson_readings *r = malloc(sizeof *r);
	(void)cjson_readings_decode(s, size, r, err);
	free(r);
	struct cjson_payments *p = malloc(sizeof *p);
	(void)cjson_payments_decode(s, size, p, err);
	free(p);
	struct cjson_snapshot_page pg;
	if (cjson_snapshot_decode(s, size, &pg, err) == 0)
		cjson_snapshot_clear(&pg);
	return 0;
}
