/* The simulated Vendotek terminal's knobs, its operation table file and its JSON lines: see
 * vtksim.h. */
#include "tests/sim/pinpad/vtksim.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void vtksim_knobs_defaults(struct vtksim_knobs *k)
{
	memset(k, 0, sizeof *k);
	k->outcome = VTKSIM_APPROVE;
	k->delay_ms = 300;
	k->pos_timeout_ms = 3000;
	k->receipt = 2;
	k->policy_ms = 60000;
	k->tk_s = 10;
	k->to_s = 60;
	k->sta = -1;
	snprintf(k->decline_rc, sizeof k->decline_rc, "05");
}

static const char *const WHEN[] = {
	"none", "before_vrp", "after_approval", "after_vrp_reply", "before_fin_reply", NULL,
};
static const char *const RECEIPT[] = { "none", "short", "over127", "over255", NULL };
static const char *const ABR[] = { "honour", "ignore", "race", NULL };
static const char *const FIN[] = { "accept", "refuse", "refuse_partial", NULL };
static const char *const POLICY[] = { "none", "reverse", "complete", NULL };

static const struct {
	const char *name, *help;
} HELP[] = {
	{ "approve", "VRP approved after delay (default)" },
	{ "decline[=RC]", "VRP declined after delay (04 = 0); the receipt's RESPONSE CODE is RC (05)" },
	{ "nocard", "no card: 04 = 0 after pos_timeout_ms" },
	{ "cancel", "the customer cancels on the terminal after delay (04 = 0)" },
	{ "delay=MS", "card delay: VRP to the customer's decision (300)" },
	{ "pos_timeout_ms=MS", "the terminal's own card timeout (3000)" },
	{ "receipt=none|short|over127|over255", "tag 13 in the replies (over127)" },
	{ "approve_amount=KOP", "approve this amount instead of the requested one (0: requested)" },
	{ "late=MS", "send the VRP reply MS after the decision (0)" },
	{ "noreply[=0|1]", "never send VRP replies (results are still stored)" },
	{ "abr=honour|ignore|race", "ABR: 04 = 0 at once / ignored / approved at once (honour)" },
	{ "fin=accept|refuse|refuse_partial", "FIN replies (accept)" },
	{ "fin_policy=none|reverse|complete", "an approval with no FIN after fin_after_ms (none)" },
	{ "fin_after_ms=MS", "for fin_policy (60000)" },
	{ "repeat_vrp=replay|new", "a repeated VRP of an op cut by a restart (replay: 04 = 0)" },
	{ "idl=answer|ignore", "answer IDL/DIS or stay silent (answer)" },
	{ "tk=S", "tag 05 in IDL replies, 0 leaves it out (10)" },
	{ "to=S", "tag 06 in IDL replies (60)" },
	{ "drop=WHEN", "once: close the connection (before_vrp, after_approval, after_vrp_reply, "
		       "before_fin_reply)" },
	{ "mute=WHEN", "once: stop sending until the next connection (as drop)" },
	{ "garbage=N", "once: N garbage bytes before the next frame" },
	{ "corrupt=N", "once: a bad CRC on the Nth frame from now (serial)" },
	{ "sta=KOP", "once: STA with this maximum amount (in IDLE)" },
	{ "mgmt=L|R", "once: tag 10 in the next IDL reply" },
	{ "mfr", "once: an MFR message" },
	{ "timereq", "once: local time 1970... in the next IDL reply" },
	{ "con", "once: a CON message (the kiosk must answer status 00)" },
	{ "split=N", "write at most N bytes per write" },
	{ "coalesce[=0|1]", "write all queued frames in one write" },
	{ "reset", "every knob back to its default" },
};

void vtksim_knobs_print(FILE *out)
{
	for (size_t i = 0; i < sizeof HELP / sizeof HELP[0]; i++)
		fprintf(out, "  %-36s %s\n", HELP[i].name, HELP[i].help);
}

static int pick(const char *const *names, const char *v)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(names[i], v))
			return i;
	return -1;
}

static int num(const char *v, int64_t *ret)
{
	char *end;
	if (!v || !*v)
		return -1;
	long long x = strtoll(v, &end, 10);
	if (*end || x < 0)
		return -1;
	*ret = x;
	return 0;
}

/* One knob into k; 0 or -1. */
static int apply(struct vtksim_knobs *k, const char *name, const char *v)
{
	int64_t x = 0;
	int c;
	bool flag = !v || strcmp(v, "0") != 0;
	if (!strcmp(name, "approve") && !v) k->outcome = VTKSIM_APPROVE;
	else if (!strcmp(name, "decline") && (!v || (strlen(v) <= 3 && strspn(v, "0123456789") == strlen(v) && *v))) {
		k->outcome = VTKSIM_DECLINE;
		snprintf(k->decline_rc, sizeof k->decline_rc, "%s", v ? v : "05");
	}
	else if (!strcmp(name, "nocard") && !v) k->outcome = VTKSIM_NOCARD;
	else if (!strcmp(name, "cancel") && !v) k->outcome = VTKSIM_CANCEL;
	else if (!strcmp(name, "noreply")) k->noreply = flag;
	else if (!strcmp(name, "coalesce")) k->coalesce = flag;
	else if (!strcmp(name, "mfr") && !v) k->mfr = true;
	else if (!strcmp(name, "timereq") && !v) k->timereq = true;
	else if (!strcmp(name, "con") && !v) k->con = true;
	else if (!strcmp(name, "reset") && !v) vtksim_knobs_defaults(k);
	else if (!strcmp(name, "receipt") && v && (c = pick(RECEIPT, v)) >= 0) k->receipt = c;
	else if (!strcmp(name, "abr") && v && (c = pick(ABR, v)) >= 0) k->abr = c;
	else if (!strcmp(name, "fin") && v && (c = pick(FIN, v)) >= 0) k->fin = c;
	else if (!strcmp(name, "fin_policy") && v && (c = pick(POLICY, v)) >= 0) k->policy = c;
	else if (!strcmp(name, "drop") && v && (c = pick(WHEN, v)) >= 0) k->drop = c;
	else if (!strcmp(name, "mute") && v && (c = pick(WHEN, v)) >= 0) k->mute = c;
	else if (!strcmp(name, "repeat_vrp") && v && (!strcmp(v, "replay") || !strcmp(v, "new")))
		k->repeat_new = v[0] == 'n';
	else if (!strcmp(name, "idl") && v && (!strcmp(v, "answer") || !strcmp(v, "ignore")))
		k->idl_ignore = v[0] == 'i';
	else if (!strcmp(name, "mgmt") && v && (!strcmp(v, "L") || !strcmp(v, "R")))
		k->mgmt = v[0];
	else if (num(v, &x) != 0 || x > 100000000000LL)
		return -1;
	else if (!strcmp(name, "delay")) k->delay_ms = (int)x;
	else if (!strcmp(name, "pos_timeout_ms")) k->pos_timeout_ms = (int)x;
	else if (!strcmp(name, "approve_amount")) k->approve_amount = x;
	else if (!strcmp(name, "late")) k->late_ms = (int)x;
	else if (!strcmp(name, "fin_after_ms")) k->policy_ms = (int)x;
	else if (!strcmp(name, "tk") && x <= 999) k->tk_s = (int)x;
	else if (!strcmp(name, "to") && x >= 1 && x <= 999) k->to_s = (int)x;
	else if (!strcmp(name, "garbage") && x <= 64) k->garbage = (int)x;
	else if (!strcmp(name, "corrupt")) k->corrupt = (int)x;
	else if (!strcmp(name, "sta")) k->sta = x;
	else if (!strcmp(name, "split")) k->split = (int)x;
	else return -1;
	return 0;
}

int vtksim_knobs(struct vtksim *s, const char *line, char *err, size_t errcap)
{
	struct vtksim_knobs k = s->k;
	char buf[512];
	snprintf(buf, sizeof buf, "%s", line);
	for (char *save = NULL, *w = strtok_r(buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		char *eq = strchr(w, '=');
		if (eq)
			*eq = 0;
		if (apply(&k, w, eq ? eq + 1 : NULL) != 0) {
			snprintf(err, errcap, "bad knob %s%s%s", w, eq ? "=" : "", eq ? eq + 1 : "");
			return -1;
		}
	}
	s->k = k;
	return 0;
}

void vtksim_finish(struct vtksim *s, struct vtksim_op *o, const char *final)
{
	bool declined = !final[0];
	snprintf(o->final, sizeof o->final, "%s", declined ? "none" : final);
	o->state = declined ? VTKSIM_DECLINED : VTKSIM_FINISHED;
	s->dirty = true;
	int64_t charged = !strcmp(final, "completed") ? o->fin_reply
			: !strcmp(final, "auto_completed") ? o->approved : 0;
	if (!s->finished)
		return;
	char line[320];
	snprintf(line, sizeof line,
		 "{\"op\":%" PRIu32 ",\"requested\":%" PRId64 ",\"result\":\"%s\",\"approved\":%" PRId64
		 ",\"fin\":%" PRId64 ",\"final\":\"%s\",\"charged\":%" PRId64 ",\"at_ms\":%" PRId64 "}",
		 o->op, o->requested, o->result, o->approved, o->fin_req, o->final, charged, s->now);
	s->finished(s->ctx, line);
}

int vtksim_save(struct vtksim *s, const char *path)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return -1;
	fprintf(f, "vtksim 1\nlast %" PRIu32 "\n", s->last_op);
	for (int i = 0; i < s->nops; i++) {
		const struct vtksim_op *o = &s->ops[i];
		fprintf(f, "op %" PRIu32 " %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %d %s %s %d %"
			PRId64 "\n", o->op, o->requested, o->approved, o->fin_req, o->fin_reply,
			o->state, o->result[0] ? o->result : "-", o->final[0] ? o->final : "-",
			o->receipt, o->approved_ms);
	}
	bool ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) != 0)
		return -1;
	s->dirty = false;
	return 0;
}

int vtksim_load(struct vtksim *s, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char line[256];
	int rc = 0;
	while (fgets(line, sizeof line, f)) {
		struct vtksim_op o = { .fin_req = -1 };
		if (sscanf(line, "last %" SCNu32, &s->last_op) == 1 || !strncmp(line, "vtksim ", 7))
			continue;
		if (s->nops == VTKSIM_OPS ||
		    sscanf(line, "op %" SCNu32 " %" SCNd64 " %" SCNd64 " %" SCNd64 " %" SCNd64
			   " %d %15s %15s %d %" SCNd64, &o.op, &o.requested, &o.approved, &o.fin_req,
			   &o.fin_reply, &o.state, o.result, o.final, &o.receipt, &o.approved_ms) != 10) {
			rc = -1;
			break;
		}
		if (!strcmp(o.result, "-"))
			o.result[0] = 0;
		if (!strcmp(o.final, "-"))
			o.final[0] = 0;
		s->ops[s->nops++] = o;
	}
	fclose(f);
	/* A card dialogue cut by the restart: no decision was made, so nothing was charged. */
	for (int i = 0; i < s->nops; i++) {
		struct vtksim_op *o = &s->ops[i];
		if (o->state != VTKSIM_AUTHORIZING && o->state != VTKSIM_CUT)
			continue;
		o->state = VTKSIM_CUT;
		snprintf(o->result, sizeof o->result, "interrupted");
		if (!s->k.repeat_new)
			vtksim_finish(s, o, "");
	}
	return rc;
}
