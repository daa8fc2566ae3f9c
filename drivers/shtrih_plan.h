#ifndef DRIVERS_SHTRIH_PLAN_H
#define DRIVERS_SHTRIH_PLAN_H
/* Pure decisions of the fiscal register's driver (docs/fiscal.md): what to do about the
 * register's state before a card payment, whether a held reply or an archive document is
 * the receipt of a payment whose close was in doubt, and the ages that raise alarms. */
#include <stdbool.h>
#include <stdint.h>

#include "drivers/shtrih_cmd.h"

enum shtrih_fix {
	SHTRIH_FIX_NONE = 0,        /* ready */
	SHTRIH_FIX_CONTINUE_PRINT,  /* B0h: paper is back, the interrupted document reprints */
	SHTRIH_FIX_WAIT,            /* printing: ask again shortly */
	SHTRIH_FIX_CANCEL_RECEIPT,  /* 88h: a receipt was left open (no document yet) */
	SHTRIH_FIX_CLOSE_SHIFT,     /* 41h: the shift passed 24 h */
	SHTRIH_FIX_OPEN_SHIFT,      /* E0h */
	SHTRIH_FIX_OUT_OF_SERVICE,  /* a person must act; why says what */
};

/* The next fix for the state st.  open_shift: whether a closed shift should be opened now
 * (at the first payment) or left closed.  *ret_why: Russian text for the out-of-service
 * case and the log (never NULL). */
enum shtrih_fix shtrih_plan_fix(const struct shtrih_short_status *st, bool open_shift,
				const char **ret_why);
const char *shtrih_fix_name(enum shtrih_fix f);

/* A held reply body that is a successful FF45: fills *ret and returns true. */
bool shtrih_plan_held_close(const uint8_t *body, size_t n, struct shtrih_fd_result *ret);
/* Whether an archive document is the sale receipt of amount kopecks. */
bool shtrih_plan_doc_matches(const struct shtrih_fn_doc *d, int64_t amount);

/* Whether the open shift should be closed (Z) now: always once it is 23.5 h old (the
 * drive refuses receipts at 24 h), and at the quiet hour once it is an hour old (a shift
 * opened during the quiet hour is left to the next day).  Hours on the register's clock. */
bool shtrih_plan_close_due(int64_t age_ms, int hour_now, int close_hour);

/* Whole days from a to b, both register dates (YY MM DD [hh mm]); negative when b is
 * earlier.  The register keeps one local clock, so no time zone is needed. */
int shtrih_plan_days(const uint8_t a_ymd[3], const uint8_t b_ymd[3]);
/* DATE_TIME (YY MM DD hh mm) of the register to UTC ms given its offset from UTC. */
int64_t shtrih_plan_dt_ms(const struct shtrih_dt *dt, int utc_offset_min);

#endif
