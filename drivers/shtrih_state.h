#ifndef DRIVERS_SHTRIH_STATE_H
#define DRIVERS_SHTRIH_STATE_H
/* The fiscal register's modes, submodes, fiscal-drive phases and error codes as text a
 * cashier or technician can read (Russian), and what the kiosk does about each error.
 * Pure tables. */
#include <stdint.h>

enum shtrih_mode {
	SHTRIH_MODE_PRINTING_REPORT = 0, SHTRIH_MODE_DUMP = 1, SHTRIH_MODE_SHIFT_OPEN = 2,
	SHTRIH_MODE_SHIFT_OVER = 3, SHTRIH_MODE_SHIFT_CLOSED = 4, SHTRIH_MODE_LOCKED = 5,
	SHTRIH_MODE_DATE_UNCONFIRMED = 6, SHTRIH_MODE_DOCUMENT = 8, SHTRIH_MODE_TECH_RESET = 9,
	SHTRIH_MODE_TEST_RUN = 10,
};

enum shtrih_submode {
	SHTRIH_SUB_IDLE = 0, SHTRIH_SUB_PAPER_OUT = 1, SHTRIH_SUB_PAPER_OUT_PRINTING = 2,
	SHTRIH_SUB_WAIT_CONTINUE = 3, SHTRIH_SUB_PRINTING_LONG = 4, SHTRIH_SUB_PRINTING = 5,
};

/* Status flags (10h) the kiosk looks at. */
#define SHTRIH_FLAG_ROLL        0x0002
#define SHTRIH_FLAG_PAPER       0x0080  /* receipt sensor: 1 = paper present */
#define SHTRIH_FLAG_LEVER_DOWN  0x0200
#define SHTRIH_FLAG_COVER_OPEN  0x0400

/* Fiscal drive warning bits (FF01). */
#define SHTRIH_WARN_REPLACE_NOW 0x01
#define SHTRIH_WARN_30_DAYS     0x02
#define SHTRIH_WARN_ARCHIVE_90  0x04
#define SHTRIH_WARN_OFD_TIMEOUT 0x08

/* What an error code means for the kiosk. */
enum shtrih_action {
	SHTRIH_ACT_NONE = 0,      /* no error */
	SHTRIH_ACT_BUG,           /* our request was wrong: log, stop this document */
	SHTRIH_ACT_RESYNC,        /* read the state again and fix it (mode, open document) */
	SHTRIH_ACT_OUT_OF_SERVICE,/* the register or its drive cannot fiscalise */
	SHTRIH_ACT_REPLACE_FN,    /* the fiscal drive must be replaced */
	SHTRIH_ACT_SHIFT_OVER,    /* Z report, then open a shift */
	SHTRIH_ACT_RETRY,         /* busy printing: wait and resend (not executed) */
	SHTRIH_ACT_CONTINUE,      /* waiting for continue-print (B0h) */
	SHTRIH_ACT_PAPER,         /* no paper */
	SHTRIH_ACT_NO_DATA,       /* normal end of a listing, or no such document */
	SHTRIH_ACT_LOG,           /* the ОФД link: note it and carry on */
	SHTRIH_ACT_PASSWORD,      /* wrong password: configuration */
	SHTRIH_ACT_DATE,          /* date/time to confirm or out of step */
};

const char *shtrih_mode_text(uint8_t mode);
const char *shtrih_submode_text(uint8_t submode);
const char *shtrih_phase_text(uint8_t phase);
/* "Ошибка 6Bh: нет чековой ленты"-style text without the code; never NULL. */
const char *shtrih_error_text(uint8_t err);
enum shtrih_action shtrih_error_action(uint8_t err);
const char *shtrih_action_name(enum shtrih_action a);

#endif
