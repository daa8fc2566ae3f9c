/* Writes a kiosk script (kiosk/shell/script.h) of resident sessions back to back, for the soak
 * (tests/soak/run) and the memory bench (tests/bench/sessions.sh).
 *
 *   soak_gen --sessions N [--seed S] [--mode mix|browse|pay] [--mark K]
 *
 * browse: every session scans a demo bill, looks at the account and goes home.
 * pay:    every session pays the demo bill of 50012345 (approved, no simulator delays).
 * mix:    each session picks, from a seeded generator (splitmix64, the same on every
 *         machine), one of: pay (approved), decline, cancel (on the payment screen),
 *         pinpad timeout (no card), readings (a rising value for meter m3 of 50098765),
 *         inactivity timeout (prompt, then attract).  The PIN-pad simulator's delays are
 *         zero except where the session needs time to act (cancel).
 * --mark K: prints "mark K line L" on stderr, L being the script line of session K's last
 *         command, so a caller can watch the kiosk log for "script ok line=L" (the script
 *         itself is unchanged).
 * The script header carries the readings window (# conf:) so readings are always open.
 * stdout: the script; stderr: "seed S", the per-kind counts and any mark lines. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BILL_HEAD "scan text:ST00012|Name=ООО «МосОблЕИРЦ»|PersonalAcc=40702810640000012345|" \
	"BankName=ПАО Сбербанк|BIC=044525225|CorrespAcc=30101810400000000225|PayeeINN=5037008735|" \
	"KPP=503701001|"
#define BILL_A BILL_HEAD "persAcc=50012345|paymPeriod=102026|Sum=452316|TechCode=02"
#define BILL_B BILL_HEAD "persAcc=50098765|paymPeriod=102026|Sum=121000|TechCode=02"

enum kind { K_PAY, K_DECLINE, K_CANCEL, K_TIMEOUT, K_READINGS, K_IDLE, K_BROWSE, K_COUNT };
static const char *kind_name[K_COUNT] = { "pay", "decline", "cancel", "pinpad_timeout", "readings",
					  "inactivity", "browse" };
/* Mix weights (out of 100). */
static const int weight[] = { 40, 10, 10, 10, 20, 10 };

static uint64_t rng;
static uint64_t next(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int line_no;
static void out(const char *s)
{
	puts(s);
	line_no++;
}

static void checkout(const char *knobs)
{
	out(knobs);
	out(BILL_A);
	out("wait account");
	out("tap pay");
	out("wait confirm");
	out("tap confirm_pay");
}

static void session(enum kind k, int *reading)
{
	char buf[128];
	switch (k) {
	case K_PAY:
		checkout("pinpad reset delay=0 event_ms=0");
		out("wait payment_result 30");
		out("expect Оплата прошла");
		break;
	case K_DECLINE:
		checkout("pinpad reset decline=51 delay=0 event_ms=0");
		out("wait payment_result 30");
		out("expect Банк отклонил оплату");
		break;
	case K_CANCEL:
		checkout("pinpad reset delay=5000 event_ms=200");
		out("wait payment");
		/* As a person would: after the PIN-pad asks for the card.  (A cancel tapped
		 * before the sale is online is dropped by kpp_client_cancel: see
		 * docs/performance.md, soak findings.) */
		out("expect Приложите или вставьте карту");
		out("tap cancel");
		out("wait payment_result 30");
		out("expect Оплата отменена");
		break;
	case K_TIMEOUT:
		checkout("pinpad reset timeout delay=0 event_ms=0");
		out("wait payment_result 30");
		out("expect Карта не приложена");
		break;
	case K_READINGS:
		out("tap submit_readings");
		out("wait scan");
		out(BILL_B);
		out("wait readings");
		out("tap reading_m3");
		/* 10 240,0 kWh and on by a tenth each time, typed with the comma; stored exactly. */
		snprintf(buf, sizeof buf, "type %d,%d", 10240 + *reading / 10, *reading % 10);
		out(buf);
		out("tap key_ok");
		out("tap send");
		out("wait readings_done");
		out("expect Показания приняты");
		snprintf(buf, sizeof buf, "db SELECT max(value_milli) FROM readings WHERE meter_id='m3' => %lld",
			 10240000LL + 100LL * *reading);
		out(buf);
		(*reading)++;
		out("tap done");
		out("wait attract");
		return;
	case K_IDLE:
		out(BILL_A);
		out("wait account");
		out("advance 61");
		out("expect Вы ещё здесь?");
		out("advance 21");
		out("wait attract");
		return;
	case K_BROWSE:
		out(*reading & 1 ? BILL_B : BILL_A);
		(*reading)++;
		out("wait account");
		out("tap home");
		out("wait attract");
		return;
	case K_COUNT:
		break;
	}
	out("tap done");
	out("wait attract");
}

static void usage(void)
{
	fprintf(stderr, "usage: soak_gen --sessions N [--seed S] [--mode mix|browse|pay] [--mark K]...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	long n = -1;
	uint64_t seed = (uint64_t)time(NULL);
	int browse = 0, pay = 0, nmarks = 0;
	long marks[8];
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--sessions") && i + 1 < argc) {
			n = atol(argv[++i]);
		} else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			seed = strtoull(argv[++i], NULL, 10);
		} else if (!strcmp(argv[i], "--mode") && i + 1 < argc) {
			i++;
			browse = !strcmp(argv[i], "browse");
			pay = !strcmp(argv[i], "pay");
			if (!browse && !pay && strcmp(argv[i], "mix"))
				usage();
		} else if (!strcmp(argv[i], "--mark") && i + 1 < argc && nmarks < 8) {
			marks[nmarks++] = atol(argv[++i]);
		} else {
			usage();
		}
	}
	if (n <= 0)
		usage();
	rng = seed;
	int count[K_COUNT] = { 0 }, reading = 0;
	out("# Generated by tests/soak/soak_gen; do not edit.");
	out("# conf: readings.from_day = 1");
	out("# conf: readings.to_day = 31");
	out("wait attract");
	for (long s = 1; s <= n; s++) {
		enum kind k = browse ? K_BROWSE : K_PAY;
		if (!browse && !pay) {
			int r = (int)(next() % 100), acc = 0;
			for (k = K_PAY; k < K_IDLE; k++) {
				acc += weight[k];
				if (r < acc)
					break;
			}
		}
		count[k]++;
		session(k, &reading);
		for (int m = 0; m < nmarks; m++)
			if (marks[m] == s)
				fprintf(stderr, "mark %ld line %d\n", s, line_no);
	}
	/* Every record delivered before the run ends, so the ledgers can be compared. */
	if (!browse)
		out("synced 120");
	fprintf(stderr, "seed %" PRIu64 "\n", seed);
	for (int k = 0; k < K_COUNT; k++)
		if (count[k])
			fprintf(stderr, "sessions %s %d\n", kind_name[k], count[k]);
	return 0;
}
