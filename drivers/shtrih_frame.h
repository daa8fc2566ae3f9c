#ifndef DRIVERS_SHTRIH_FRAME_H
#define DRIVERS_SHTRIH_FRAME_H
/* Framing of the Shtrih-M fiscal register protocol (docs/fiscal.md): a pure encoder and a
 * byte-at-a-time decoder.  No I/O, no allocation, no clock of its own.
 *
 *   STX(02) N CMD[1|2] DATA LRC       N = bytes of CMD+DATA (1..255),
 *                                     LRC = N xor every byte of CMD+DATA
 *
 * A command code above 0xFF is a two-byte "FF xx" command, sent FF first.  A reply has the
 * same frame; its data starts with the error code.  Control bytes ENQ, ACK, NAK travel
 * alone, outside frames. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHTRIH_STX 0x02
#define SHTRIH_ENQ 0x05
#define SHTRIH_ACK 0x06
#define SHTRIH_NAK 0x15
#define SHTRIH_BODY_MAX 255                 /* CMD + DATA */
#define SHTRIH_FRAME_MAX (SHTRIH_BODY_MAX + 3)

/* N xor every body byte. */
uint8_t shtrih_lrc(const uint8_t *body, size_t n);
/* Bytes the command code takes: 2 for 0xFF00..0xFFFF, else 1. */
size_t shtrih_cmd_len(uint16_t cmd);

/* Writes the frame of cmd + data into out.  Returns its length, or 0 when cmd is not a
 * valid code (0x100..0xFEFF), the body would pass 255 bytes or cap is short. */
size_t shtrih_frame_encode(uint16_t cmd, const uint8_t *data, size_t len, uint8_t *out,
			   size_t cap);

/* A reply body split in its fields.  data points into the body (valid while it lives). */
struct shtrih_reply {
	uint16_t cmd;
	uint8_t err;
	const uint8_t *data;   /* after the error code */
	size_t len;
};
/* Splits a reply body.  Returns 0, or -1 when it is too short to hold a command code and
 * an error code. */
int shtrih_reply_parse(const uint8_t *body, size_t n, struct shtrih_reply *ret);

enum shtrih_dec_event {
	SHTRIH_DEC_MORE = 0,   /* byte taken, nothing complete */
	SHTRIH_DEC_FRAME,      /* body/n hold a frame whose LRC was good */
	SHTRIH_DEC_BAD_LRC,    /* a whole frame arrived with a wrong LRC: answer NAK */
	SHTRIH_DEC_NOISE,      /* a byte outside a frame (not STX): the caller decides */
};

struct shtrih_decoder {
	uint8_t body[SHTRIH_BODY_MAX];
	int state;             /* 0 hunting STX, 1 want N, 2 body, 3 want LRC */
	size_t n, have;
	int64_t last_ms;
	int byte_timeout_ms;
	uint32_t n_noise, n_bad_lrc, n_timeouts;
};

void shtrih_decoder_init(struct shtrih_decoder *d, int byte_timeout_ms);
/* Forgets a partial frame. */
void shtrih_decoder_reset(struct shtrih_decoder *d);
/* True while a frame has started and not ended. */
bool shtrih_decoder_busy(const struct shtrih_decoder *d);
/* Feeds one byte that arrived at now_ms.  A partial frame whose previous byte is older than
 * the byte timeout is dropped first (the device drops such a frame too).  N = 0 is not a
 * frame: the STX is dropped and hunting resumes. */
int shtrih_decoder_feed(struct shtrih_decoder *d, uint8_t b, int64_t now_ms);

#endif
