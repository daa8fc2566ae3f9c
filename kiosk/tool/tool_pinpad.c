/* kiosk-tool pinpad status|reconcile|txn ID: talk to the PIN-pad named by the config's
 * pinpad.protocol / pinpad.transport / pinpad.address, for technicians and tests.  Prints
 * key=value lines (masked PAN re-masked; the slip, which carries no card number, after
 * "receipt:").  Exit 0 when the terminal answered RESULT=OK, 1 otherwise, 2 on usage.
 *
 * A Vendotek terminal (vtk) has no status query for a payment: `status` is the IDL exchange
 * (the terminal's last operation number and timers); `txn ID` prints the kiosk's own record of
 * the payment's operation (read only: replaying a VRP or FIN is recovery's job, never a
 * technician's), then the terminal's last operation number; `reconcile` is not in VTK. */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "drivers/kpp_client.h"
#include "drivers/transports.h"
#include "drivers/vtk_conn.h"
#include "kiosk/tool/tool.h"
#include "offline/vtk_map.h"

int tool_pinpad(struct tool_ctx *ctx, int argc, char **argv);

static void print_msg(const struct kpp_msg *m)
{
	printf("msg=%s\n", kpp_msg_name(m->code));
	for (unsigned tag = 1; tag <= KPP_TAG_LAST; tag++) {
		if (!kpp_msg_has(m, (enum kpp_tag)tag) || tag == KPP_TAG_RECEIPT_TEXT)
			continue;
		const char *v = kpp_msg_get(m, (enum kpp_tag)tag);
		char pan[24];
		if (tag == KPP_TAG_RESULT)
			printf("result=%s\n", kpp_result_name(m->result));
		else if (tag == KPP_TAG_TXN_STATE)
			printf("txn_state=%s\n", kpp_txn_state_name(m->txn_state));
		else if (tag == KPP_TAG_MASKED_PAN)
			printf("masked_pan=%s\n", kpp_mask_pan(v, pan, sizeof pan));
		else if (!v) /* u8 tags */
			printf("%s=%u\n", kpp_tag_name((enum kpp_tag)tag),
			       tag == KPP_TAG_TERM_STATE ? m->term_state : tag == KPP_TAG_ENTRY_MODE ?
			       m->entry_mode : tag == KPP_TAG_CVM ? m->cvm : m->event_code);
		else if (strchr(v, '\n'))
			printf("%s:\n%s%s", kpp_tag_name((enum kpp_tag)tag), v,
			       v[strlen(v) - 1] == '\n' ? "" : "\n");
		else
			printf("%s=%s\n", kpp_tag_name((enum kpp_tag)tag), v);
	}
	if (kpp_msg_has(m, KPP_TAG_RECEIPT_TEXT))
		printf("receipt:\n%s\n", m->receipt_text);
}

/* The kiosk's record of one payment's VTK operation; 0 when there is one. */
static int vtk_txn(const struct config *c, const char *txn_id)
{
	static struct vtk_map_row r;
	struct store *st;
	if (access(c->store_path, R_OK) != 0 || store_open(c->store_path, &st) != 0) {
		fprintf(stderr, "pinpad: cannot open the store %s\n", c->store_path);
		return 1;
	}
	int rc = vtk_map_get(st, txn_id, &r);
	store_close(st);
	if (rc != 0) {
		printf("txn_id=%s\nresult=UNKNOWN_TXN\n", txn_id);
		return 1;
	}
	printf("txn_id=%s\nop=%u\nstate=%s\namount=%lld\napproved=%lld\n", r.txn_id, r.op,
	       vtk_map_state_name(r.state), (long long)r.amount, (long long)r.approved);
	if (r.fin_amount >= 0)
		printf("fin_amount=%lld\n", (long long)r.fin_amount);
	if (r.state == VTK_MAP_DONE)
		printf("fin_reply=%lld\nfin=%s\n", (long long)r.fin_reply,
		       r.fin_reply != r.fin_amount ? "refused" : r.fin_amount ? "completed" : "voided");
	if (r.receipt[0])
		printf("receipt:\n%s\n", r.receipt);
	return 0;
}

static int vtk_tool(const struct config *c, struct transport *t, const char *cmd, const char *txn)
{
	if (!strcmp(cmd, "reconcile")) {
		transport_destroy(t);
		fprintf(stderr, "pinpad: VTK has no reconciliation: the terminal closes its batches by itself\n");
		return 1;
	}
	int status = txn ? vtk_txn(c, txn) : 0;
	static struct vtk_conn conn;
	vtk_conn_init(&conn, t, strcmp(c->pinpad_transport, "tcp") ? VTK_LINK_SERIAL : VTK_LINK_TCP, 1000);
	int rc = vtk_conn_open(&conn);
	if (rc == KPP_OK)
		printf("protocol=vtk\nresult=OK\npos_op=%u\nkeepalive_s=%d\ntimeout_s=%d\n", conn.pos_op,
		       conn.tk_s, conn.to_s);
	else
		fprintf(stderr, "pinpad: %s (vtk %s)\n", kpp_client_strerror(rc), t->desc);
	vtk_conn_free(&conn);
	return rc == KPP_OK ? status : 1;
}

int tool_pinpad(struct tool_ctx *ctx, int argc, char **argv)
{
	if (argc < 2 || (strcmp(argv[1], "status") && strcmp(argv[1], "reconcile") &&
			 strcmp(argv[1], "txn")) || (!strcmp(argv[1], "txn") && argc != 3) ||
	    (strcmp(argv[1], "txn") && argc != 2)) {
		fprintf(stderr, "usage: kiosk-tool pinpad status|reconcile|txn ID\n");
		return 2;
	}
	if (tool_need_config(ctx) != 0)
		return 1;
	const struct config *c = &ctx->cfg;
	struct transport *t = transport_from_config(c->pinpad_transport, c->pinpad_address);
	if (!t) {
		fprintf(stderr, "pinpad: no usable transport (pinpad.transport=%s pinpad.address=%s)\n",
			c->pinpad_transport, c->pinpad_address);
		return 1;
	}
	if (!strcmp(c->pinpad_protocol, "vtk"))
		return vtk_tool(c, t, argv[1], argc == 3 ? argv[2] : NULL);
	struct kpp_client *cl = kpp_client_new(t, NULL);
	static struct kpp_msg m;
	int rc = kpp_client_open(cl);
	if (rc == KPP_OK)
		rc = kpp_client_hello(cl, &m);
	if (rc == KPP_OK) {
		if (!strcmp(argv[1], "status")) {
			print_msg(&m);
			rc = kpp_client_status(cl, &m);
		} else if (!strcmp(argv[1], "txn")) {
			rc = kpp_client_txn_status(cl, argv[2], &m);
		} else {
			unsigned char rnd[16];
			char id[40] = "R-";
			if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
				rc = KPP_EPROTO;
			} else {
				for (int i = 0; i < 16; i++)
					snprintf(id + 2 + 2 * i, 3, "%02x", rnd[i]);
				printf("txn_id=%s\n", id);
				rc = kpp_client_reconcile(cl, id, NULL, NULL, &m);
			}
		}
	}
	int status = 1;
	if (rc == KPP_OK) {
		print_msg(&m);
		status = m.result == KPP_RES_OK ? 0 : 1;
	} else {
		fprintf(stderr, "pinpad: %s (%s)\n", kpp_client_strerror(rc), t->desc);
	}
	kpp_client_free(cl);
	return status;
}
