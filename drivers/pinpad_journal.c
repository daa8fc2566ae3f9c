/* pinpad_journal_store: the payment service's journal ops over offline/journal.h.  Kept in
 * its own file so that programs and tests that do not use the store do not pull it in. */
#include "drivers/pinpad_service.h"

static int j_begin(void *j, const struct journal_line *lines, int nlines, int64_t now_ms,
		   char *ret_txn_id)
{
	return journal_begin(j, lines, nlines, now_ms, ret_txn_id);
}

static int j_authorize(void *j, const char *id, const struct journal_card *card, int64_t now_ms)
{
	return journal_authorize(j, id, card, now_ms);
}

static int j_record(void *j, const char *id, bool offline, int64_t now_ms)
{
	return journal_record(j, id, offline, now_ms);
}

static int j_move(void *j, const char *id, enum journal_state to, const char *reason,
		  int64_t now_ms)
{
	return journal_move(j, id, to, reason, now_ms);
}

static int j_get(void *j, const char *id, struct journal_payment *ret)
{
	return journal_get(j, id, ret);
}

static int j_unfinished(void *j, struct journal_payment *ret, int cap)
{
	return journal_unfinished(j, ret, cap);
}

const struct pinpad_journal_ops pinpad_journal_store = {
	.begin = j_begin, .authorize = j_authorize, .record = j_record, .move = j_move,
	.get = j_get, .unfinished = j_unfinished,
};
