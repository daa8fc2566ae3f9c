#ifndef KIOSK_JOURNAL_MODEL_H
#define KIOSK_JOURNAL_MODEL_H
/* A card payment as the journal keeps it, and the journal's state machine, as plain data:
 * what receipts, reports and the PIN-pad's recovery read, with no store behind it
 * (offline/journal.h persists it).
 *
 *   INTENT -> AUTHORIZED -> RECORDED -> CONFIRMED
 *   exits:  DECLINED, CANCELLED, VOIDED, REVERSED_AUTO, NEEDS_OPERATOR
 *   (INTENT may exit to any of them: an approval the kiosk never wrote down can come back
 *   from the terminal as reversed; recovery must be able to record every answer.)
 *
 * The txn id is 32 lowercase hex chars of a random 128-bit value: the PIN-pad TXN_ID and the
 * outbox idem_key of the payment record. */
#include <stdbool.h>
#include <stdint.h>

#include "kiosk/base/money.h"

enum journal_state {
	JOURNAL_INTENT,
	JOURNAL_AUTHORIZED,
	JOURNAL_RECORDED,
	JOURNAL_CONFIRMED,
	JOURNAL_DECLINED,
	JOURNAL_CANCELLED,
	JOURNAL_VOIDED,
	JOURNAL_REVERSED_AUTO,
	JOURNAL_NEEDS_OPERATOR,
};

bool journal_state_valid(int st); /* one of the nine */
const char *journal_state_name(enum journal_state st); /* "?" when not */
int journal_state_parse(const char *name); /* -1 when unknown */
bool journal_is_terminal(enum journal_state st);
bool journal_can_move(enum journal_state from, enum journal_state to);

#define JOURNAL_TXN_ID_LEN 32
#define JOURNAL_MAX_LINES 10

struct journal_line {
	char pers_acc[33];  /* digits only */
	char period[8];     /* YYYY-MM, may be empty */
	kopecks amount;     /* > 0 */
	char payee_inn[13];
	char payee_name[161];
};

/* What the PIN-pad reported (docs/kpp1.md, What the kiosk records).  Never a full PAN:
 * masked_pan is re-masked to at most first 6 + last 4 digits before it is stored. */
struct journal_card {
	char masked_pan[24];
	char scheme[24];
	char auth_code[8];
	char rrn[16];
	char tid[12];
	char mid[20];
	char stan[8];
	char batch_no[12];
	char aid[36];
	char terminal_dt[16];
	char host_rc[4];
	int entry_mode;
	int cvm;
	char slip[2048];    /* the terminal's customer slip, verbatim */
};

struct journal_payment {
	char txn_id[JOURNAL_TXN_ID_LEN + 1];
	enum journal_state state;
	kopecks total;
	int nlines;
	struct journal_line lines[JOURNAL_MAX_LINES];
	struct journal_card card;
	char reason[128];   /* why it left the main path (host code, operator note) */
	int64_t created_ms; /* UTC ms */
	int64_t updated_ms;
	bool offline;       /* recorded while the center was unreachable */
};

#endif
