/* The payment journal's state machine (journal_model.h): plain data, no store.
 *
 * The state machine, as a table (row = from, columns = allowed to):
 *
 *   from \ to       AUTH REC  CONF DECL CANC VOID REV  NEEDS_OP
 *   INTENT           x    .    .    x    x    .    .    x
 *   AUTHORIZED       .    x    .    .    .    x    x    x
 *   RECORDED         .    .    x    .    .    x    x    x
 *   CONFIRMED        .    .    .    .    .    x    .    .
 *   DECLINED, CANCELLED, VOIDED, REVERSED_AUTO, NEEDS_OPERATOR: no exits.
 *
 * Why: INTENT exists before the PIN-pad is asked, so it can end declined (bank said no),
 * cancelled (the resident or a timeout before any authorisation) or authorised.  Once money
 * is authorised it can only be recorded, voided by the kiosk, or reversed by the terminal on
 * its own (no confirm in time: REVERSED_AUTO); DECLINED/CANCELLED no longer make sense.  A
 * RECORDED payment is confirmed to the terminal, or voided/reversed if that fails.
 * CONFIRMED is the end of the payment flow (journal_is_terminal is true), but a cashier may
 * still void it, which is the single move out of a terminal state.  NEEDS_OPERATOR is where
 * recovery parks whatever it cannot resolve from any unfinished state; it has no exits: a
 * person settles it outside this journal (the reason and the audit trail say how).
 * No state moves to itself and nothing moves backwards. */
#include "kiosk/receipt/journal_model.h"

#include <string.h>

#define B(x) (1u << JOURNAL_##x)
static const unsigned moves[] = {
	/* INTENT may end reversed: the terminal approved, the kiosk died (or could not write)
	 * before AUTHORIZED, and the terminal reversed it — recovery records that as it is. */
	[JOURNAL_INTENT] = B(AUTHORIZED) | B(DECLINED) | B(CANCELLED) | B(VOIDED) | B(REVERSED_AUTO) |
			   B(NEEDS_OPERATOR),
	[JOURNAL_AUTHORIZED] = B(RECORDED) | B(VOIDED) | B(REVERSED_AUTO) | B(NEEDS_OPERATOR),
	[JOURNAL_RECORDED] = B(CONFIRMED) | B(VOIDED) | B(REVERSED_AUTO) | B(NEEDS_OPERATOR),
	[JOURNAL_CONFIRMED] = B(VOIDED),
	[JOURNAL_DECLINED] = 0,
	[JOURNAL_CANCELLED] = 0,
	[JOURNAL_VOIDED] = 0,
	[JOURNAL_REVERSED_AUTO] = 0,
	[JOURNAL_NEEDS_OPERATOR] = 0,
};
#undef B

static const char *const names[] = {
	[JOURNAL_INTENT] = "INTENT",
	[JOURNAL_AUTHORIZED] = "AUTHORIZED",
	[JOURNAL_RECORDED] = "RECORDED",
	[JOURNAL_CONFIRMED] = "CONFIRMED",
	[JOURNAL_DECLINED] = "DECLINED",
	[JOURNAL_CANCELLED] = "CANCELLED",
	[JOURNAL_VOIDED] = "VOIDED",
	[JOURNAL_REVERSED_AUTO] = "REVERSED_AUTO",
	[JOURNAL_NEEDS_OPERATOR] = "NEEDS_OPERATOR",
};
#define NSTATES ((int)(sizeof names / sizeof names[0]))

bool journal_state_valid(int st)
{
	return st >= 0 && st < NSTATES;
}

const char *journal_state_name(enum journal_state st)
{
	return journal_state_valid((int)st) ? names[st] : "?";
}

int journal_state_parse(const char *name)
{
	for (int i = 0; name && i < NSTATES; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

bool journal_is_terminal(enum journal_state st)
{
	return !(st == JOURNAL_INTENT || st == JOURNAL_AUTHORIZED || st == JOURNAL_RECORDED);
}

bool journal_can_move(enum journal_state from, enum journal_state to)
{
	if (!journal_state_valid((int)from) || !journal_state_valid((int)to))
		return false;
	return (moves[from] >> to) & 1u;
}
