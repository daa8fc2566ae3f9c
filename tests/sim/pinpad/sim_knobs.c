/* The simulator's knobs and its store file: see sim_core.h and docs/pinpad.md. */
#include "tests/sim/pinpad/sim_core.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum kval { K_NONE, K_INT, K_BOOL, K_RC };

struct knob {
	const char *name;
	enum kval val;
	const char *help;
};

/* The table docs/pinpad.md mirrors. */
static const struct knob knobs[] = {
	{ "approve", K_NONE, "sales are approved (the default)" },
	{ "decline", K_RC, "sales are declined with HOST_RC (default 51)" },
	{ "timeout", K_NONE, "no card is presented: RESULT=TIMEOUT" },
	{ "cancel", K_INT, "the customer cancels at EVENT step N (default 1, PRESENT_CARD)" },
	{ "silent", K_BOOL, "send no EVENTs during online operations" },
	{ "delay", K_INT, "ms from SALE to its result (default 300)" },
	{ "event_ms", K_INT, "ms between EVENTs (default 100)" },
	{ "too_late", K_BOOL, "answer every CANCEL with TOO_LATE" },
	{ "confirm_timeout_ms", K_INT, "auto-reversal after N ms without CONFIRM (0: the request's)" },
	{ "reboot_ms", K_INT, "how long a reboot keeps the terminal deaf (default 300)" },
	{ "drop_resp", K_NONE, "once: persist the next result but never send it" },
	{ "reboot", K_NONE, "once: reboot after approving, before SALE_RESP" },
	{ "power_cycle", K_NONE, "once: as reboot, and the TCP link is closed (and refused) for reboot_ms" },
	{ "drop_ack", K_INT, "once: drop the Nth ACK sent from now" },
	{ "drop_data", K_INT, "once: drop the Nth DATA frame sent from now" },
	{ "corrupt", K_INT, "once: corrupt the CRC of the Nth DATA frame sent from now" },
	{ "ignore_ack", K_INT, "once: lose the Nth ACK received from now (the host's ACK)" },
	{ "garbage", K_INT, "once: N garbage bytes before the next frame" },
	{ "busy", K_INT, "answer the next N financial requests BUSY" },
	{ "status_busy", K_INT, "answer the next N TXN_STATUS requests BUSY" },
	{ "split", K_INT, "write at most N bytes per write (0: one frame per write)" },
	{ "coalesce", K_BOOL, "write everything queued in one write" },
	{ "t_ack_ms", K_INT, "the terminal's own ACK timeout (default 1000)" },
	{ "reset", K_NONE, "all knobs back to their defaults" },
};

void sim_knobs_defaults(struct sim_knobs *k)
{
	memset(k, 0, sizeof *k);
	k->outcome = SIM_APPROVE;
	strcpy(k->decline_rc, "51");
	k->cancel_step = KPP_EV_PRESENT_CARD;
	k->delay_ms = 300;
	k->event_ms = 100;
	k->reboot_ms = 300;
}

static int set_one(struct sim_core *s, const char *name, const char *v, char *err, size_t cap)
{
	const struct knob *k = NULL;
	for (size_t i = 0; i < sizeof knobs / sizeof knobs[0]; i++)
		if (strcmp(knobs[i].name, name) == 0)
			k = &knobs[i];
	if (!k) {
		snprintf(err, cap, "unknown knob '%s'", name);
		return -1;
	}
	long n = 0;
	if (k->val == K_NONE && v) {
		snprintf(err, cap, "knob '%s' takes no value", name);
		return -1;
	}
	if (k->val == K_INT || k->val == K_BOOL) {
		char *end;
		n = v ? strtol(v, &end, 10) : 1;
		if ((v && (!*v || *end)) || n < 0 || n > 10000000 || (k->val == K_BOOL && n > 1)) {
			snprintf(err, cap, "bad value for '%s'", name);
			return -1;
		}
	}
	if (k->val == K_RC && v && (strlen(v) < 2 || strlen(v) > 3 || strspn(v, "0123456789") != strlen(v))) {
		snprintf(err, cap, "bad HOST_RC '%s'", v);
		return -1;
	}
	struct sim_knobs *kn = &s->k;
	int i = (int)n;
	if (!strcmp(name, "approve")) kn->outcome = SIM_APPROVE;
	else if (!strcmp(name, "decline")) {
		kn->outcome = SIM_DECLINE;
		snprintf(kn->decline_rc, sizeof kn->decline_rc, "%s", v ? v : "51");
	} else if (!strcmp(name, "timeout")) kn->outcome = SIM_TIMEOUT;
	else if (!strcmp(name, "cancel")) {
		kn->outcome = SIM_CANCEL;
		kn->cancel_step = v ? i : KPP_EV_PRESENT_CARD;
	} else if (!strcmp(name, "silent")) kn->silent = i;
	else if (!strcmp(name, "delay")) kn->delay_ms = i;
	else if (!strcmp(name, "event_ms")) kn->event_ms = i > 0 ? i : 1;
	else if (!strcmp(name, "too_late")) kn->too_late = i;
	else if (!strcmp(name, "confirm_timeout_ms")) kn->confirm_timeout_ms = i;
	else if (!strcmp(name, "reboot_ms")) kn->reboot_ms = i;
	else if (!strcmp(name, "drop_resp")) kn->drop_resp = true;
	else if (!strcmp(name, "reboot")) kn->reboot = true;
	else if (!strcmp(name, "power_cycle")) kn->power_cycle = true;
	else if (!strcmp(name, "drop_ack")) kn->drop_ack = i;
	else if (!strcmp(name, "drop_data")) kn->drop_data = i;
	else if (!strcmp(name, "corrupt")) kn->corrupt = i;
	else if (!strcmp(name, "garbage")) kn->garbage = i;
	else if (!strcmp(name, "ignore_ack")) kn->ignore_ack = i;
	else if (!strcmp(name, "busy")) kn->busy = i;
	else if (!strcmp(name, "status_busy")) kn->status_busy = i;
	else if (!strcmp(name, "split")) kn->split = i;
	else if (!strcmp(name, "coalesce")) kn->coalesce = i;
	else if (!strcmp(name, "t_ack_ms")) s->link.t_ack_ms = i > 0 ? i : 1;
	else if (!strcmp(name, "reset")) {
		sim_knobs_defaults(kn);
	}
	return 0;
}

int sim_core_knobs(struct sim_core *s, const char *line, char *err, size_t errcap)
{
	char buf[512];
	if (strlen(line) >= sizeof buf) {
		snprintf(err, errcap, "line too long");
		return -1;
	}
	strcpy(buf, line);
	/* all or nothing: check on a copy first */
	struct sim_knobs saved = s->k;
	char *save = NULL;
	for (char *w = strtok_r(buf, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save)) {
		char *eq = strchr(w, '=');
		if (eq)
			*eq++ = 0;
		if (set_one(s, w, eq, err, errcap) != 0) {
			s->k = saved;
			return -1;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- store file
 * "KPPSIM1\n", then the counters, then each txn (oldest first) as its fixed header and the
 * stored response.  Written to PATH.tmp and renamed over PATH. */

static const char MAGIC[8] = "KPPSIM1\n";

int sim_core_save(struct sim_core *s, const char *path)
{
	char tmp[512];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return -1;
	uint32_t hdr[3] = { s->stan, s->batch_no, (uint32_t)s->ntxn };
	int last = -1;
	fwrite(MAGIC, 1, sizeof MAGIC, f);
	fwrite(hdr, sizeof hdr, 1, f);
	for (int i = 0; i < s->ntxn; i++) {
		int idx = (s->txn_head + SIM_TXN_MAX - s->ntxn + i) % SIM_TXN_MAX;
		const struct sim_txn *t = &s->txns[idx];
		if (idx == s->last_fin)
			last = i;
		fwrite(t, offsetof(struct sim_txn, resp), 1, f);
		fwrite(t->resp, 1, t->resp_len, f);
	}
	fwrite(&last, sizeof last, 1, f);
	bool ok = !ferror(f);
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	s->dirty = false;
	return 0;
}

int sim_core_load(struct sim_core *s, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return errno == ENOENT ? 0 : -1;
	char magic[8];
	uint32_t hdr[3];
	int rc = -1;
	if (fread(magic, 1, 8, f) != 8 || memcmp(magic, MAGIC, 8) != 0 ||
	    fread(hdr, sizeof hdr, 1, f) != 1 || hdr[2] > SIM_TXN_MAX)
		goto out;
	s->stan = hdr[0];
	s->batch_no = hdr[1];
	s->ntxn = 0;
	s->txn_head = 0;
	for (uint32_t i = 0; i < hdr[2]; i++) {
		struct sim_txn *t = &s->txns[i];
		if (fread(t, offsetof(struct sim_txn, resp), 1, f) != 1 || t->resp_len > KPP_MAX_PAYLOAD ||
		    fread(t->resp, 1, t->resp_len, f) != t->resp_len)
			goto out;
		t->txn_id[KPP_TXN_ID_MAX] = 0;
		/* an operation cut by the restart never completed: the terminal calls it failed */
		if (t->state == KPP_TS_IN_PROGRESS)
			t->state = KPP_TS_FAILED;
		s->ntxn++;
	}
	s->txn_head = s->ntxn % SIM_TXN_MAX;
	int last;
	if (fread(&last, sizeof last, 1, f) != 1 || last < -1 || last >= s->ntxn)
		goto out;
	s->last_fin = last;
	rc = 0;
out:
	fclose(f);
	return rc;
}

void sim_knobs_print(FILE *out)
{
	for (size_t i = 0; i < sizeof knobs / sizeof knobs[0]; i++)
		fprintf(out, "  %-20s %s\n", knobs[i].name, knobs[i].help);
}
