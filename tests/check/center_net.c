/* Network suite for the billing center: starts build/billing-center on free loopback ports
 * with the test PKI and drives it with the kiosk's center_client (docs/api.md).  Checks
 * values, dispositions and ledger rows, not just status codes.
 * The ledger's rules: center_net_ledger.c.
 * Usage: center_net [BUILD_DIR]   (prints "N passed, N failed" and the fault seed)
 * With CENTER_NET_LINK set, every client runs its exchanges in a kiosk-link process. */
#include <curl/curl.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/base/xalloc.h"
#include "offline/center_client.h"
#include "offline/center_json.h"
#include "offline/center_sign.h"
#include "tests/check/center_net.h"
#include "tests/check/center_spawn.h"

int net_passed, net_failed;
static char build[256] = "build", tmp[64], dbpath[128], certs[300];
static const uint64_t seed = 424242;

static const uint8_t ZERO[32];

#define server center_proc
static struct server start(const char *const *extra)
{
	return center_spawn(build, dbpath, extra);
}

static void stop(struct server *s)
{
	center_kill(s);
}

static char *readfile(const char *name)
{
	char path[400];
	snprintf(path, sizeof path, "%s/%s", certs, name);
	FILE *f = fopen(path, "r");
	if (!f)
		return xstrdup("");
	char buf[512] = "";
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return xstrdup(buf);
}

static char *pins, url[64];
static char ca[400], ccert[400], ckey[400];

struct center_proc net_start(const char *const *extra)
{
	return start(extra);
}

static struct center_client_opts opts_for(int port, const char *cert, const char *key,
					  const char *dev, long total_ms)
{
	struct center_client_opts o = { .url = url, .ca = ca, .pins = pins, .cert = cert, .key = key,
					.key_id = "k1", .device_id = dev, .total_timeout_ms = total_ms,
					.connect_timeout_ms = 2000 };
	char kf[400];
	snprintf(url, sizeof url, "https://127.0.0.1:%d", port);
	snprintf(kf, sizeof kf, "%s/hmac-%s.key", certs, dev);
	if (getenv("CENTER_NET_LINK")) {  /* the same suite through kiosk-link, as the kiosk runs */
		o.link.on = true;
		if (snprintf(o.link.program, sizeof o.link.program, "%s/kiosk-link", build) >= (int)sizeof o.link.program)
			abort();
		snprintf(o.link.log_level, sizeof o.link.log_level, "warn");
	}
	if (csign_load_key(kf, o.hmac_key) != 0)
		abort();
	return o;
}

struct center_client_opts net_opts(int port, long total_ms)
{
	return opts_for(port, ccert, ckey, "K0001", total_ms);
}

static struct center_client *client_for(int port, const char *cert, const char *key,
					const char *dev, long total_ms)
{
	struct center_client_opts o = opts_for(port, cert, key, dev, total_ms);
	char err[200];
	struct center_client *c = center_client_new(&o, err, sizeof err);
	if (!c) {
		fprintf(stderr, "%s\n", err);
		abort();
	}
	return c;
}

struct center_client *net_client(int port)
{
	return client_for(port, ccert, ckey, "K0001", 5000);
}

struct center_client *net_client_total(int port, long total_ms)
{
	return client_for(port, ccert, ckey, "K0001", total_ms);
}

int64_t net_db_int(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v = -1;
	if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void test_interactive(int port)
{
	struct center_client *c = net_client(port);
	struct center_reply rep = { 0 };
	struct account *a = xcalloc(1, sizeof *a);
	int rc = center_account(c, "50012345", NULL, -1, a, &rep);
	CHECK(rc == CENTER_OK && !a->details && a->nservices == 0 && strcmp(a->period, "2026-10") == 0 &&
	      strstr(a->address_masked, "Л*****") && a->accrued == 0, "typed account: no details before the question");
	center_reply_clear(&rep);
	rc = center_account(c, "50012345", NULL, 452316, a, &rep);
	CHECK(rc == CENTER_OK && a->details && a->nservices == 5 && a->nmeters == 2 && a->due == 452316 &&
	      a->meters[0].last_value_milli == 129000 && strcmp(a->owner_masked, "И***в И. И.") == 0,
	      "scanned bill: details, 5 services, 2 meters");
	center_reply_clear(&rep);
	rc = center_account(c, "50000000", NULL, -1, a, &rep);
	CHECK(rc == CENTER_EHTTP && rep.status == 404 && strcmp(rep.err.error, "unknown_account") == 0,
	      "unknown account: 404 unknown_account");
	center_reply_clear(&rep);

	struct cjson_verify_resp vr;
	rc = center_verify(c, "50011111", 1, &vr, &rep);
	CHECK(rc == CENTER_EHTTP && rep.status == 403 && rep.err.attempts_left == 2, "wrong answer: 403, 2 left");
	center_reply_clear(&rep);
	rc = center_verify(c, "50011111", 2, &vr, &rep);
	CHECK(rep.status == 403 && rep.err.attempts_left == 1, "wrong answer: 1 left");
	center_reply_clear(&rep);
	rc = center_verify(c, "50011111", 3, &vr, &rep);
	CHECK(rep.status == 429 && rep.retry_after_s == 900, "third wrong answer: 429 Retry-After 900");
	center_reply_clear(&rep);
	rc = center_verify(c, "50011111", 200000, &vr, &rep);
	CHECK(rep.status == 429, "locked: even the right answer gets 429");
	center_reply_clear(&rep);

	rc = center_verify(c, "50098765", 121000, &vr, &rep);
	CHECK(rc == CENTER_OK && strlen(vr.token) == 32 && vr.ttl_s == 600, "right answer: token, ttl 600");
	center_reply_clear(&rep);
	struct cjson_readings *rh = xcalloc(1, sizeof *rh);
	rc = center_readings(c, "50098765", vr.token, "2026-09", "2026-10", rh, &rep);
	CHECK(rc == CENTER_OK && rh->n == 4 && strcmp(rh->r[0].meter_id, "m3") == 0 && rh->r[1].value_milli == 10234500,
	      "readings 2026-09..10 with token: 4 rows");
	center_reply_clear(&rep);
	rc = center_readings(c, "50098765", NULL, NULL, NULL, rh, &rep);
	CHECK(rc == CENTER_EHTTP && rep.status == 403, "readings without token: 403");
	center_reply_clear(&rep);
	rc = center_account(c, "50098765", vr.token, -1, a, &rep);
	CHECK(rc == CENTER_OK && a->details && a->nmeters == 2, "account with token: details");
	center_reply_clear(&rep);

	struct cjson_payments *ph = xcalloc(1, sizeof *ph);
	rc = center_verify(c, "50012345", 452316, &vr, &rep);
	center_reply_clear(&rep);
	rc = center_payments(c, "50012345", vr.token, NULL, NULL, ph, &rep);
	bool kiosk = false;
	for (int i = 0; i < ph->n; i++)
		kiosk |= strcmp(ph->p[i].source, "kiosk") == 0 && ph->p[i].amount == 452316 &&
			 strcmp(ph->p[i].ref, "L-88001") == 0 && strcmp(ph->p[i].status, "accepted") == 0;
	CHECK(rc == CENTER_OK && ph->n == 3 && kiosk, "payments: 2 bank + the synced kiosk payment (L-88001)");
	center_reply_clear(&rep);

	struct cjson_snapshot_page pg;
	rc = center_snapshot(c, "", 3, &pg, &rep);
	CHECK(rc == CENTER_OK && pg.n == 3 && pg.more && pg.accounts[0].details, "snapshot page 1: 3 accounts, more");
	char cur[64];
	snprintf(cur, sizeof cur, "%s", pg.next_cursor);
	cjson_snapshot_clear(&pg);
	center_reply_clear(&rep);
	rc = center_snapshot(c, cur, 3, &pg, &rep);
	CHECK(rc == CENTER_OK && pg.n == 1 && !pg.more, "snapshot page 2: 1 account, done");
	cjson_snapshot_clear(&pg);
	center_reply_clear(&rep);
	free(ph);
	free(rh);
	free(a);
	center_client_free(c);
}

static int64_t wall_s(void)
{
	return (int64_t)time(NULL);
}

static void test_signature(int port)
{
	struct center_client *c = net_client(port);
	struct center_reply rep = { 0 };
	struct center_sign_override ov = { .t = wall_s() };
	memset(ov.nonce, 0x5A, sizeof ov.nonce);
	int rc = center_request(c, "GET", "/v1/accounts/50012345", NULL, 0, NULL, &ov, &rep);
	CHECK(rc == CENTER_OK, "fixed nonce, first use: 200");
	center_reply_clear(&rep);
	rc = center_request(c, "GET", "/v1/accounts/50012345", NULL, 0, NULL, &ov, &rep);
	CHECK(rep.status == 401 && strcmp(rep.err.error, "replay") == 0, "same nonce again: 401 replay");
	center_reply_clear(&rep);
	ov.t = wall_s() - 301;
	ov.nonce[0] = 1;
	rc = center_request(c, "GET", "/v1/accounts/50012345", NULL, 0, NULL, &ov, &rep);
	CHECK(rep.status == 401 && strcmp(rep.err.error, "clock_skew") == 0 && rep.err.server_time_ms > 0,
	      "request signed 301 s ago: 401 clock_skew with server_time_ms");
	center_reply_clear(&rep);
	center_client_free(c);

	/* K0002's certificate cannot act for K0001 */
	char c2[400], k2[400];
	snprintf(c2, sizeof c2, "%s/client2.pem", certs);
	snprintf(k2, sizeof k2, "%s/client2.key", certs);
	c = client_for(port, c2, k2, "K0002", 5000);
	rc = center_request(c, "POST", "/v1/devices/K0001/hello", "{}", 2, NULL, NULL, &rep);
	CHECK(rep.status == 403 && strcmp(rep.err.error, "device_mismatch") == 0, "K0002 on K0001's path: 403");
	center_reply_clear(&rep);
	center_client_free(c);

	snprintf(c2, sizeof c2, "%s/rogue-client.pem", certs);
	snprintf(k2, sizeof k2, "%s/rogue-client.key", certs);
	c = client_for(port, c2, k2, "K0001", 5000);
	rc = center_request(c, "GET", "/v1/accounts/50012345", NULL, 0, NULL, NULL, &rep);
	CHECK(rep.status == 403 && strcmp(rep.err.error, "client_cert_invalid") == 0,
	      "CN=K0001 from another CA: 403 client_cert_invalid");
	center_reply_clear(&rep);
	center_client_free(c);

	/* No client certificate at all (plain libcurl, everything else right). */
	CURL *h = curl_easy_init();
	char u[128];
	long st = 0;
	snprintf(u, sizeof u, "https://127.0.0.1:%d/v1/accounts/50012345", port);
	curl_easy_setopt(h, CURLOPT_URL, u);
	curl_easy_setopt(h, CURLOPT_CAINFO, ca);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, fwrite);
	FILE *devnull = fopen("/dev/null", "w");
	curl_easy_setopt(h, CURLOPT_WRITEDATA, devnull);
	CURLcode cr = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &st);
	CHECK(cr == CURLE_OK && st == 401, "no client certificate: refused (401)");
	fclose(devnull);
	curl_easy_cleanup(h);
}

static void test_skew(int64_t offset_s)
{
	char off[32];
	snprintf(off, sizeof off, "%" PRId64, offset_s);
	const char *extra[] = { "--clock-offset-s", off, NULL };
	struct server s = start(extra);
	struct center_client *c = net_client(s.port);
	struct center_reply rep = { 0 };
	struct center_sign_override ov = { .t = wall_s() };
	memset(ov.nonce, 0x77, sizeof ov.nonce);
	center_request(c, "GET", "/v1/accounts/50012345", NULL, 0, NULL, &ov, &rep);
	CHECK(rep.status == 401 && strcmp(rep.err.error, "clock_skew") == 0, "server %+" PRId64 " h: clock_skew", offset_s / 3600);
	center_reply_clear(&rep);
	struct account a;
	int rc = center_account(c, "50012345", NULL, -1, &a, &rep);
	int64_t learned = center_client_offset_ms(c);
	CHECK(rc == CENTER_OK && llabs(learned - offset_s * 1000) < 5000,
	      "after learning the offset (%" PRId64 " ms) the request passes", learned);
	center_reply_clear(&rep);
	center_client_free(c);
	stop(&s);
}

static void test_pin(void)
{
	const char *extra[] = { "--server-key-alt", NULL };
	struct server s = start(extra);
	struct center_client *c = net_client(s.port);
	struct center_reply rep = { 0 };
	struct cjson_batch_resp br;
	struct net_batch rs;
	const int keys[] = { 30 };
	const char *kinds[] = { "event" };
	const char *bodies[] = { "{\"event\":\"pin_test\"}" };
	int64_t before = net_db_int("SELECT count(*) FROM ledger");
	uint8_t ep[16];
	memset(ep, 0x33, 16);
	net_mkbatch(&rs, ep, 1, ZERO, 1, keys, kinds, bodies);
	int rc = net_send_batch(c, &rs.b, &br, &rep);
	CHECK(rc == CENTER_EPIN && rep.curl_code == CURLE_SSL_PINNEDPUBKEYNOTMATCH && rep.status == 0,
	      "alternative server key: pin mismatch (curl %d), no HTTP exchange", rep.curl_code);
	CHECK(net_db_int("SELECT count(*) FROM ledger") == before, "nothing delivered to the unpinned server");
	center_reply_clear(&rep);
	center_client_free(c);

	/* key rotation: the new key pinned as the backup is accepted */
	char *cur = readfile("server.pin"), *alt = readfile("server-alt.pin"), *saved = pins;
	pins = xasprintf("%s;%s", cur, alt);
	c = net_client(s.port);
	struct cjson_hello_req hq = { .sw = "1.0.0", .device_time_ms = 1 };
	struct cjson_hello_resp hr;
	rc = center_hello(c, &hq, &hr, &rep);
	CHECK(rc == CENTER_OK, "backup pin matches the rotated key: hello ok");
	center_reply_clear(&rep);
	center_client_free(c);
	free(pins);
	pins = saved;
	free(cur);
	free(alt);
	stop(&s);
}

/* Each fault knob at probability 1, observed from the client and in the ledger. */
static void test_faults(void)
{
	char spec[64];
	struct cjson_batch_resp br;
	struct center_reply rep = { 0 };
	struct net_batch rs;
	const char *kinds[] = { "event" };
	const char *bodies[] = { "{\"event\":\"fault\"}" };
	uint8_t ep[16];
	int64_t seq = 1;
	uint8_t prev[32];
	memset(ep, 0x44, 16);
	memset(prev, 0, 32);
	struct { const char *name; int cls; long status; bool committed; } cases[] = {
		{ "refuse", CENTER_ENET, 0, false },
		{ "reset", CENTER_ENET, 0, false },
		{ "busy", CENTER_EHTTP, 503, false },
		{ "commit_drop", CENTER_ENET, 0, true },
		{ "commit_504", CENTER_EHTTP, 504, true },
		{ "slow_commit", CENTER_ETIMEOUT, 0, true },
		{ "dup_reply", CENTER_OK, 200, true },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(spec, sizeof spec, "%s=1,seed=%" PRIu64, cases[i].name, seed);
		const char *extra[] = { "--faults", spec, "--slow-ms", "1500", NULL };
		struct server s = start(extra);
		struct center_client *c = client_for(s.port, ccert, ckey, "K0001", 800);
		const int keys[] = { 100 + (int)i };
		net_mkbatch(&rs, ep, seq, prev, 1, keys, kinds, bodies);
		int64_t before = net_db_int("SELECT count(*) FROM ledger");
		int rc = net_send_batch(c, &rs.b, &br, &rep);
		int64_t after = net_db_int("SELECT count(*) FROM ledger");
		bool ok = rc == cases[i].cls && (cases[i].status == 0 || rep.status == cases[i].status) &&
			  (after - before == (cases[i].committed ? 1 : 0));
		if (strcmp(cases[i].name, "busy") == 0)
			ok = ok && rep.retry_after_s == 1;
		if (strcmp(cases[i].name, "dup_reply") == 0)
			ok = ok && br.n == 1 && br.results[0].disposition == OUTBOX_DUPLICATE;
		CHECK(ok, "fault %s: class %s status %ld, ledger +%" PRId64, cases[i].name,
		      center_class_name((enum center_class)rc), rep.status, after - before);
		cjson_batch_resp_clear(&br);
		center_reply_clear(&rep);
		center_client_free(c);
		stop(&s);
		if (cases[i].committed) {
			seq++;
			memcpy(prev, rs.r[0].chain_hash, 32);
		}
	}
	/* After commit_drop etc. the same bytes resent to a healthy center are duplicates. */
	struct server s = start(NULL);
	struct center_client *c = net_client(s.port);
	const int keys[] = { 103 };
	uint8_t p0[32] = { 0 };
	net_mkbatch(&rs, ep, 1, p0, 1, keys, kinds, bodies);
	int rc = net_send_batch(c, &rs.b, &br, &rep);
	CHECK(rc == CENTER_OK && br.n == 1 && br.results[0].disposition == OUTBOX_DUPLICATE,
	      "resend after commit_drop: duplicate");
	cjson_batch_resp_clear(&br);
	center_reply_clear(&rep);
	center_client_free(c);
	stop(&s);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		snprintf(build, sizeof build, "%s", argv[1]);
	snprintf(certs, sizeof certs, "%s/certs", build);
	snprintf(ca, sizeof ca, "%s/center-ca.pem", certs);
	snprintf(ccert, sizeof ccert, "%s/client.pem", certs);
	snprintf(ckey, sizeof ckey, "%s/client.key", certs);
	strcpy(tmp, "/tmp/center_net.XXXXXX");
	if (!mkdtemp(tmp))
		return 2;
	snprintf(dbpath, sizeof dbpath, "%s/center.db", tmp);
	pins = readfile("pins");
	signal(SIGPIPE, SIG_IGN);
	printf("seed %" PRIu64 "\n", seed);

	struct server s = start(NULL);
	CHECK(s.port > 0, "billing-center started on port %d", s.port);
	if (s.port > 0) {
		test_ledger(s.port);
		test_interactive(s.port);
		test_signature(s.port);
	}
	stop(&s);
	test_skew(72 * 3600);
	test_skew(-72 * 3600);
	test_pin();
	test_faults();
	if (getenv("CENTER_NET_LINK"))
		test_link();

	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmp);
	free(pins);
	printf("%d passed, %d failed (seed %" PRIu64 ")\n", net_passed, net_failed, seed);
	return net_failed ? 1 : 0;
}
