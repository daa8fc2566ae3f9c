#ifndef DRIVERS_VTK_CLIENT_H
#define DRIVERS_VTK_CLIENT_H
/* A Vendotek terminal (VTK protocol) behind the PIN-pad seam (pinpad_adapter.h).
 *
 * VTK has no transaction id, no status query, no void after finalization and no refund; its
 * one idempotency key is the operation number.  So:
 *  - authorize: the operation number (the larger of the terminal's P and our last one, + 1)
 *    is tied to the txn id in the store (offline/vtk_map.h) before the VRP leaves; the VRP
 *    reply's amount says approved (equal to the request), declined (0: a decline, the
 *    customer's cancel, no card and the terminal's timeout look the same) or something else
 *    (a different amount: voided at once with FIN 0, reported declined).  No reply within To,
 *    or a link loss, is an unknown outcome (never "declined"): the link is closed and the
 *    service's recovery asks `status`.  A kiosk cancel is ABR; an approval that races it is
 *    voided with FIN 0 and reported cancelled.
 *  - confirm: FIN with the approved amount, written first as fin_sent; accepted only when the
 *    reply carries the same amount.  void before confirm: FIN 0.  A void after the FIN is
 *    refused plainly (NOT_SUPPORTED): refunds go through the acquirer or Vendotek's back
 *    office, by the cashier.
 *  - status (recovery, after a reconnect or a restart): from the stored row and the
 *    terminal's P (fresh IDL): vrp_sent with P < N: the terminal never had it (unknown txn);
 *    P == N: the identical VRP again, whose reply is the stored result; P > N: another
 *    operation used the terminal (handed to the cashier).  approved: pending confirmation.
 *    fin_sent: the same FIN again until its reply.  done: what that reply said.
 *  - After a declined VRP and after every FIN reply, an IDL at once.
 * The receipt (tag 13) is sanitized (no full card number survives), kept as the slip and
 * parsed for the RRN, auth code and masked PAN; without an RRN the slip gets a line with the
 * terminal's operation number. */
#include "drivers/pinpad_adapter.h"
#include "drivers/vtk_frame.h"
#include "offline/store.h"

/* Takes ownership of t; store is the service thread's connection (not owned).  ms_per_s:
 * 1000 (tests scale every timer with it). */
struct pinpad_adapter *vtk_client_adapter(struct transport *t, enum vtk_link link,
					  struct store *store, int ms_per_s);

#endif
