#ifndef OFFLINE_VTK_MAP_H
#define OFFLINE_VTK_MAP_H
/* The payment ↔ Vendotek operation-number map (table vtk_ops).  VTK has no field for our
 * transaction id: the terminal knows a payment only by its operation number, so the pair is
 * written here before the VRP leaves, and every later step (approval, FIN sent, FIN
 * answered) is written before the next message.  Recovery after a link loss or a restart
 * reads the row back and replays the same number.  The receipt kept here is the sanitized
 * one (vtk_receipt_sanitize): never a full card number. */
#include <stdint.h>

#include "offline/store.h"

enum vtk_map_state {
	VTK_MAP_VRP_SENT,   /* the VRP may have left: outcome unknown until its reply */
	VTK_MAP_APPROVED,   /* the VRP reply approved .approved kopecks */
	VTK_MAP_DECLINED,   /* the VRP reply said 0 */
	VTK_MAP_FIN_SENT,   /* FIN .fin_amount may have left (0: the void) */
	VTK_MAP_DONE,       /* the FIN reply came: .fin_reply (== fin_amount: accepted) */
};

struct vtk_map_row {
	char txn_id[33];
	uint32_t op;
	int64_t amount;       /* requested, kopecks */
	int state;            /* enum vtk_map_state */
	int64_t approved;
	int64_t fin_amount;   /* -1: no FIN yet */
	int64_t fin_reply;
	char receipt[2048];
	int64_t created_ms, updated_ms;
};

/* Inserts the row (a new txn id) or updates it (the same txn id); a store_rc. */
int vtk_map_put(struct store *s, const struct vtk_map_row *row);
/* The row of txn_id; STORE_ENOTFOUND when there is none. */
int vtk_map_get(struct store *s, const char *txn_id, struct vtk_map_row *ret);
/* The row with the highest operation number whose payment is not over (no FIN reply and no
 * decline), or STORE_ENOTFOUND. */
int vtk_map_open_op(struct store *s, struct vtk_map_row *ret);
/* The highest operation number ever mapped (0 when none). */
int vtk_map_last_op(struct store *s, uint32_t *ret);

const char *vtk_map_state_name(int state);

#endif
