#include "drivers/shtrih_plan.h"

#include <time.h>

#include "drivers/shtrih_state.h"

enum shtrih_fix shtrih_plan_fix(const struct shtrih_short_status *st, bool open_shift,
				const char **ret_why)
{
	*ret_why = "";
	switch (st->submode) {
	case SHTRIH_SUB_WAIT_CONTINUE:
		return SHTRIH_FIX_CONTINUE_PRINT;
	case SHTRIH_SUB_PRINTING_LONG:
	case SHTRIH_SUB_PRINTING:
		return SHTRIH_FIX_WAIT;
	case SHTRIH_SUB_PAPER_OUT:
	case SHTRIH_SUB_PAPER_OUT_PRINTING:
		*ret_why = shtrih_submode_text(st->submode);
		return SHTRIH_FIX_OUT_OF_SERVICE;
	default:
		break;
	}
	if (!(st->flags & SHTRIH_FLAG_PAPER)) {
		*ret_why = "нет бумаги (датчик чековой ленты)";
		return SHTRIH_FIX_OUT_OF_SERVICE;
	}
	switch (st->mode) {
	case SHTRIH_MODE_SHIFT_OPEN:
		return SHTRIH_FIX_NONE;
	case SHTRIH_MODE_DOCUMENT:
		return SHTRIH_FIX_CANCEL_RECEIPT;
	case SHTRIH_MODE_SHIFT_OVER:
		return SHTRIH_FIX_CLOSE_SHIFT;
	case SHTRIH_MODE_SHIFT_CLOSED:
		return open_shift ? SHTRIH_FIX_OPEN_SHIFT : SHTRIH_FIX_NONE;
	case SHTRIH_MODE_PRINTING_REPORT:
		return SHTRIH_FIX_WAIT;
	default:
		/* data dump, unconfirmed date, test run, lock, tech reset: the commands that end
		 * them are service work, not the kiosk's */
		*ret_why = shtrih_mode_text(st->mode);
		return SHTRIH_FIX_OUT_OF_SERVICE;
	}
}

const char *shtrih_fix_name(enum shtrih_fix f)
{
	static const char *const names[] = {
		"none", "continue_print", "wait", "cancel_receipt", "close_shift", "open_shift",
		"out_of_service",
	};
	return (unsigned)f < sizeof names / sizeof names[0] ? names[f] : "?";
}

bool shtrih_plan_held_close(const uint8_t *body, size_t n, struct shtrih_fd_result *ret)
{
	struct shtrih_reply rp;
	return shtrih_reply_parse(body, n, &rp) == 0 && rp.cmd == SHTRIH_FN_CLOSE_RECEIPT &&
	       rp.err == 0 && shtrih_parse_close_result(&rp, ret) == 0;
}

bool shtrih_plan_doc_matches(const struct shtrih_fn_doc *d, int64_t amount)
{
	return d->type == SHTRIH_DOC_RECEIPT && d->op == 1 && d->sum == amount;
}

static int64_t day_number(const uint8_t ymd[3])
{
	struct tm tm = { .tm_year = 100 + ymd[0], .tm_mon = ymd[1] - 1, .tm_mday = ymd[2],
			 .tm_hour = 12 };
	return (int64_t)timegm(&tm) / 86400;
}

int shtrih_plan_days(const uint8_t a_ymd[3], const uint8_t b_ymd[3])
{
	return (int)(day_number(b_ymd) - day_number(a_ymd));
}

int64_t shtrih_plan_dt_ms(const struct shtrih_dt *dt, int utc_offset_min)
{
	struct tm tm = { .tm_year = 100 + dt->yy, .tm_mon = dt->mo - 1, .tm_mday = dt->dd,
			 .tm_hour = dt->hh, .tm_min = dt->mi };
	return ((int64_t)timegm(&tm) - (int64_t)utc_offset_min * 60) * 1000;
}

bool shtrih_plan_close_due(int64_t age_ms, int hour_now, int close_hour)
{
	const int64_t hour = 3600 * 1000LL;
	return age_ms >= 23 * hour + hour / 2 || (hour_now == close_hour && age_ms >= hour);
}
