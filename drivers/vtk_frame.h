#ifndef DRIVERS_VTK_FRAME_H
#define DRIVERS_VTK_FRAME_H
/* Vendotek VTK framing (docs/pinpad.md, "VTK wire format"): a pure encoder and an incremental
 * decoder for both link forms.
 *
 *   TCP:     LEN(u16 BE) DISC(u16 BE) TLVs
 *   serial:  0x1F LEN(u16 BE) DISC(u16 BE) TLVs CRC(u16 BE, CRC-16/CCITT-FALSE over 0x1F..TLVs)
 *
 * LEN counts DISC and the TLVs (so it is at least 2).  DISC is 96FB from the kiosk (VMC),
 * 97FB from the terminal (POS); 96FC/97FC belong to an NFC sub-protocol we ignore.
 *
 * The decoder reassembles frames from LEN whatever the reads look like (one frame split over
 * many reads, several frames in one read).  Serial: bytes before 0x1F are skipped; a frame
 * with a bad CRC or a LEN below 2 drops its 0x1F and the scan resumes at the next byte (there
 * is no byte stuffing and no NAK: the peer repeats its message); a partial frame whose 0x1F
 * is older than VTK_T_FRAME_MS is discarded.  TCP has no marker to resync on: a LEN below 2
 * or a discriminator VTK does not define (96/97 FB/FC) breaks the stream (VTK_DEC_BROKEN:
 * close the connection).  Frames of the NFC sub-protocol (96FC/97FC) and, on serial, of any
 * other discriminator, are consumed and counted, never reported.  No I/O, no allocation, time comes
 * from the caller. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum vtk_link { VTK_LINK_TCP = 0, VTK_LINK_SERIAL = 1 };

#define VTK_DISC_VMC 0x96FB      /* kiosk -> terminal */
#define VTK_DISC_POS 0x97FB      /* terminal -> kiosk */
#define VTK_STX 0x1F
#define VTK_MAX_LEN 65535        /* the LEN field: DISC + TLVs */
#define VTK_MAX_PAYLOAD (VTK_MAX_LEN - 2)
#define VTK_FRAME_MAX (1 + 2 + VTK_MAX_LEN + 2)
#define VTK_T_FRAME_MS 8000      /* serial: the whole frame within 8 s of its 0x1F */

/* Writes one frame into out (cap bytes).  Returns its length, or 0 when len exceeds
 * VTK_MAX_PAYLOAD or cap is short. */
size_t vtk_frame_encode(enum vtk_link link, uint16_t disc, const uint8_t *payload, size_t len,
			uint8_t *out, size_t cap);

struct vtk_frame {
	uint16_t disc;
	uint16_t len;              /* of the TLVs */
	const uint8_t *payload;    /* into the decoder: valid until its next call */
};

enum vtk_dec_event {
	VTK_DEC_NONE = 0,   /* all input consumed, nothing complete */
	VTK_DEC_FRAME,      /* *ret_frame holds a frame (serial: its CRC was good) */
	VTK_DEC_BROKEN,     /* TCP: garbage (LEN < 2, unknown DISC); no resync is possible */
};

struct vtk_decoder {
	enum vtk_link link;
	uint8_t buf[VTK_FRAME_MAX];
	size_t have;
	size_t done;            /* a reported frame's bytes, dropped on the next call */
	int64_t start_ms;       /* serial: when the frame's 0x1F arrived */
	int t_frame_ms;         /* VTK_T_FRAME_MS unless a test scales it */
	bool broken;            /* TCP: VTK_DEC_BROKEN was reported; everything is dropped */
	/* counters for logs and tests */
	uint32_t n_garbage;     /* serial: bytes skipped hunting for 0x1F or after a bad LEN */
	uint32_t n_bad_crc;
	uint32_t n_timeouts;    /* serial: partial frames discarded by T_FRAME */
	uint32_t n_foreign;     /* frames with another discriminator, dropped */
};

void vtk_decoder_init(struct vtk_decoder *d, enum vtk_link link);

/* Feeds up to n bytes that arrived at now_ms.  Stops after the first event: returns how many
 * bytes it consumed and sets *ret_event (VTK_DEC_NONE only when it consumed all n).  Call
 * again with the rest.  After VTK_DEC_BROKEN every byte is consumed and ignored until
 * vtk_decoder_init. */
size_t vtk_decoder_feed(struct vtk_decoder *d, const uint8_t *in, size_t n, int64_t now_ms,
			struct vtk_frame *ret_frame, int *ret_event);

/* Applies T_FRAME without new input (a caller polling its clock). */
void vtk_decoder_tick(struct vtk_decoder *d, int64_t now_ms);

#endif
