#ifndef DRIVERS_KPP_FRAME_H
#define DRIVERS_KPP_FRAME_H
/* KPP/1 link-layer framing (docs/kpp1.md, Link layer): a pure encoder and an incremental decoder.
 *
 *   STX(0x02) VER(0x01) KIND SEQ LEN(u16 BE) PAYLOAD CRC(u16 BE, CRC-16/CCITT-FALSE over
 *   VER..PAYLOAD)
 *
 * The decoder takes bytes as they arrive (split or several frames per read), and the time
 * of arrival from the caller (no clock of its own), and reports one event at a time: a good
 * frame, or a DATA frame whose CRC failed (the owner answers NAK(seq)).  Garbage is skipped
 * up to the next STX; a bad header or CRC drops the STX and rescans the bytes after it; a
 * partial frame older than T_BYTE is discarded.  No I/O, no allocation. */
#include <stddef.h>
#include <stdint.h>

#define KPP_STX 0x02
#define KPP_VER 0x01
#define KPP_MAX_PAYLOAD 4096
#define KPP_HDR_LEN 6
#define KPP_FRAME_OVERHEAD (KPP_HDR_LEN + 2)
#define KPP_FRAME_MAX (KPP_FRAME_OVERHEAD + KPP_MAX_PAYLOAD)
#define KPP_T_BYTE_MS 500

enum kpp_kind { KPP_KIND_DATA = 0, KPP_KIND_ACK = 1, KPP_KIND_NAK = 2 };

/* Writes one frame into out (cap bytes).  Returns its length, or 0 when kind is not a
 * KPP kind, len exceeds KPP_MAX_PAYLOAD, an ACK/NAK carries a payload, or cap is short. */
size_t kpp_frame_encode(uint8_t kind, uint8_t seq, const uint8_t *payload, size_t len,
			uint8_t *out, size_t cap);

struct kpp_frame {
	uint8_t kind;
	uint8_t seq;
	uint16_t len;
	uint8_t payload[KPP_MAX_PAYLOAD];
};

enum kpp_dec_event {
	KPP_DEC_NONE = 0,   /* all input consumed, nothing complete */
	KPP_DEC_FRAME,      /* *ret_frame holds a frame with a good CRC */
	KPP_DEC_BAD_DATA,   /* a DATA frame failed its CRC: send NAK(ret_frame->seq) */
};

struct kpp_decoder {
	uint8_t buf[KPP_FRAME_MAX];
	size_t have;
	int64_t last_byte_ms;
	int t_byte_ms;          /* KPP_T_BYTE_MS unless a test scales it */
	/* counters for logs and tests */
	uint32_t n_garbage;     /* bytes skipped while hunting for STX or after a bad header */
	uint32_t n_bad_crc;
	uint32_t n_timeouts;    /* partial frames discarded by T_BYTE */
};

void kpp_decoder_init(struct kpp_decoder *d);

/* Feeds up to n bytes that arrived at now_ms.  Stops after the first event: returns how
 * many bytes it consumed and sets *ret_event (KPP_DEC_NONE only when it consumed all n).
 * Call again with the rest.  A partial frame whose last byte is older than t_byte_ms is
 * dropped before the new bytes are looked at. */
size_t kpp_decoder_feed(struct kpp_decoder *d, const uint8_t *in, size_t n, int64_t now_ms,
			struct kpp_frame *ret_frame, int *ret_event);

/* Applies T_BYTE without new input (a caller polling its clock). */
void kpp_decoder_tick(struct kpp_decoder *d, int64_t now_ms);

#endif
