#ifndef OFFLINE_LINK_WIRE_H
#define OFFLINE_LINK_WIRE_H
/* The frames between the kiosk and its network process, kiosk-link (center_link.h), over a
 * local stream socket.  A frame is a 4-byte little-endian length N (1 .. LINK_FRAME_MAX) and
 * N bytes: a type byte and the message's fields in a fixed order.  Integers are 8-byte
 * little-endian, flags one byte (0 or 1), strings a 4-byte length and their bytes (no NUL;
 * a string may not contain one), byte blocks the same without that rule.
 *
 *   OPEN     kiosk -> link   the client's options (the center_client_opts it would use)
 *   OPENED   link -> kiosk   0, or the error center_client_new gave
 *   REQUEST  kiosk -> link   one center_request, with the clock offset to sign with
 *   REPLY    link -> kiosk   its center_reply (class, status, codes, body), the offset learned
 *                            and whether the center answered
 *
 * Pure: encoding into a growing buffer and decoding from bytes; no I/O (link_io.h reads and
 * writes frames).  A decoder refuses a frame of another type, a field cut short, a flag
 * other than 0/1, a string with a NUL, more than LINK_HEADERS_MAX headers and bytes left
 * over, and then leaves *ret as it was.  Decoded strings and blocks are copies the message
 * owns (free with the message's _clear). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "offline/center_client.h"

#define LINK_FRAME_MAX (5u * 1024 * 1024)  /* a 4 MB reply body and its fields */
#define LINK_HEADERS_MAX 8
#define LINK_STR_MAX 4096                  /* every string field but the body */

enum link_type { LINK_OPEN = 1, LINK_OPENED = 2, LINK_REQUEST = 3, LINK_REPLY = 4 };

struct link_buf {
	uint8_t *p;
	size_t len, cap;
};
void link_buf_free(struct link_buf *b);

struct link_open {
	char *url, *ca, *pins, *cert, *key, *key_id, *device_id;
	uint8_t hmac_key[CSIGN_KEY_LEN];
	int64_t connect_ms, total_ms;
};

struct link_opened {
	char *err;  /* "" when the client was made */
};

struct link_request {
	char *method, *path;
	uint8_t *body;
	size_t len;
	char *headers[LINK_HEADERS_MAX + 1];  /* NULL-terminated */
	bool has_override;
	struct center_sign_override ov;
	int64_t offset_ms;
};

struct link_reply {
	struct center_reply r;  /* r.err is not carried: the kiosk decodes it from the body */
	int64_t offset_ms;
	bool reachable;
};

/* Encoders append one whole frame (length prefix included) to b.  0, or -1 when a string
 * is over LINK_STR_MAX or has too many headers (nothing appended). */
int link_encode_open(const struct center_client_opts *o, struct link_buf *b);
int link_encode_opened(const char *err, struct link_buf *b);
int link_encode_request(const char *method, const char *path, const char *body, size_t len,
			const char *const *headers, const struct center_sign_override *ov,
			int64_t offset_ms, struct link_buf *b);
int link_encode_reply(const struct center_reply *r, int64_t offset_ms, bool reachable,
		      struct link_buf *b);

/* The type of a frame's payload (the bytes after the length): its first byte, or -1. */
int link_type_of(const uint8_t *p, size_t n);

/* Decoders take a frame's payload (without the length).  0, or -1 with a reason in why. */
int link_decode_open(const uint8_t *p, size_t n, struct link_open *ret, const char **why);
int link_decode_opened(const uint8_t *p, size_t n, struct link_opened *ret, const char **why);
int link_decode_request(const uint8_t *p, size_t n, struct link_request *ret, const char **why);
int link_decode_reply(const uint8_t *p, size_t n, struct link_reply *ret, const char **why);

void link_open_clear(struct link_open *m);  /* wipes the key too */
void link_opened_clear(struct link_opened *m);
void link_request_clear(struct link_request *m);
/* Leaves the body with the caller when it took it (m->r.body = NULL). */
void link_reply_clear(struct link_reply *m);

#endif
