/* libFuzzer target: the frames between the kiosk and kiosk-link.  Every decoder either
 * refuses a payload with a reason or accepts it, and what it accepted encodes back to the
 * very same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "offline/link_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same(const struct link_buf *b, const uint8_t *data, size_t size)
{
	if (b->len != size + 4 || memcmp(b->p + 4, data, size) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct link_buf b = { 0 };
	const char *why = NULL;
	struct link_open o;
	if (link_decode_open(data, size, &o, &why) == 0) {
		struct center_client_opts c = { .url = o.url, .ca = o.ca, .pins = o.pins, .cert = o.cert,
						.key = o.key, .key_id = o.key_id, .device_id = o.device_id,
						.connect_timeout_ms = (long)o.connect_ms,
						.total_timeout_ms = (long)o.total_ms };
		memcpy(c.hmac_key, o.hmac_key, sizeof c.hmac_key);
		if (link_encode_open(&c, &b) != 0)
			abort();
		same(&b, data, size);
		link_open_clear(&o);
	} else if (!why) {
		abort();
	}
	b.len = 0;
	struct link_request q;
	if (link_decode_request(data, size, &q, &why) == 0) {
		if (link_encode_request(q.method, q.path, (const char *)q.body, q.len, (const char *const *)q.headers,
					q.has_override ? &q.ov : NULL, q.offset_ms, &b) != 0)
			abort();
		same(&b, data, size);
		link_request_clear(&q);
	}
	b.len = 0;
	struct link_reply r;
	if (link_decode_reply(data, size, &r, &why) == 0) {
		if (link_encode_reply(&r.r, r.offset_ms, r.reachable, &b) != 0)
			abort();
		same(&b, data, size);
		link_reply_clear(&r);
	}
	b.len = 0;
	struct link_opened op;
	if (link_decode_opened(data, size, &op, &why) == 0) {
		if (link_encode_opened(op.err, &b) != 0)
			abort();
		same(&b, data, size);
		link_opened_clear(&op);
	}
	link_buf_free(&b);
	return 0;
}
