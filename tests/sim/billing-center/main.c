/* billing-center: the billing-center simulator (docs/api.md), a real HTTPS server used by the
 * tests, tests/e2e/run and `make run`.
 *
 *   billing-center --listen 127.0.0.1:PORT --db FILE
 *                  (--certs-dir DIR [--server-key-alt] | --cert F --key F --client-ca F --hmac-keys F)
 *                  [--faults SPEC] [--clock-offset-s N] [--slow-ms N]
 *
 * Prints "listening 127.0.0.1:PORT" on stdout once it accepts connections; runs until SIGTERM
 * or SIGINT, then prints on stderr the fault hits and the request counts (connections,
 * refused, hellos, batch POSTs, batches answered 200, distinct batches answered). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/base/clock.h"
#include "kiosk/base/log.h"
#include "tests/sim/billing-center/center_http.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: billing-center --listen HOST:PORT --db FILE\n"
		"         (--certs-dir DIR [--server-key-alt] |\n"
		"          --cert PEM --key PEM --client-ca PEM --hmac-keys FILE)\n"
		"         [--faults name=p,...,seed=N] [--clock-offset-s N] [--slow-ms N]\n"
		"  PORT 0 picks a free port.  --certs-dir takes server.pem/server.key (or\n"
		"  server-alt.* with --server-key-alt), kiosk-ca.pem and hmac-keys from DIR.\n"
		"  faults: refuse reset commit_drop commit_504 slow_commit dup_reply busy seed\n"
		"  seconds: offline_s batches_offline_s\n");
}

int main(int argc, char **argv)
{
	struct center_opts o = { .host = "127.0.0.1", .slow_ms = 2000 };
	const char *listen_arg = NULL, *certs_dir = NULL, *faults = NULL;
	bool alt = false;
	static char host[64], cert[512], key[512], ca[512], keys[512];
	char err[256];
	if (clock_attach_env(err, sizeof err) != 0) { /* the test stack's clock (kiosk/base/clock.h) */
		fprintf(stderr, "billing-center: %s\n", err);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = true;
		if (strcmp(a, "--listen") == 0 && v) listen_arg = v;
		else if (strcmp(a, "--db") == 0 && v) o.db_path = v;
		else if (strcmp(a, "--cert") == 0 && v) o.cert = v;
		else if (strcmp(a, "--key") == 0 && v) o.key = v;
		else if (strcmp(a, "--client-ca") == 0 && v) o.client_ca = v;
		else if (strcmp(a, "--hmac-keys") == 0 && v) o.hmac_keys = v;
		else if (strcmp(a, "--certs-dir") == 0 && v) certs_dir = v;
		else if (strcmp(a, "--faults") == 0 && v) faults = v;
		else if (strcmp(a, "--clock-offset-s") == 0 && v) o.clock_offset_s = strtoll(v, NULL, 10);
		else if (strcmp(a, "--slow-ms") == 0 && v) o.slow_ms = atoi(v);
		else if (strcmp(a, "--server-key-alt") == 0) { alt = true; takes = false; }
		else if (strcmp(a, "--help") == 0) { usage(stdout); return 0; }
		else {
			fprintf(stderr, "billing-center: bad argument %s\n", a);
			usage(stderr);
			return 2;
		}
		i += takes;
	}
	if (certs_dir) {
		snprintf(cert, sizeof cert, "%s/%s.pem", certs_dir, alt ? "server-alt" : "server");
		snprintf(key, sizeof key, "%s/%s.key", certs_dir, alt ? "server-alt" : "server");
		snprintf(ca, sizeof ca, "%s/kiosk-ca.pem", certs_dir);
		snprintf(keys, sizeof keys, "%s/hmac-keys", certs_dir);
		o.cert = o.cert ? o.cert : cert;
		o.key = o.key ? o.key : key;
		o.client_ca = o.client_ca ? o.client_ca : ca;
		o.hmac_keys = o.hmac_keys ? o.hmac_keys : keys;
	} else if (alt) {
		fprintf(stderr, "billing-center: --server-key-alt needs --certs-dir\n");
		return 2;
	}
	if (!listen_arg || !o.db_path || !o.cert || !o.key || !o.client_ca || !o.hmac_keys) {
		usage(stderr);
		return 2;
	}
	const char *colon = strrchr(listen_arg, ':');
	if (!colon || (size_t)(colon - listen_arg) >= sizeof host) {
		fprintf(stderr, "billing-center: --listen wants HOST:PORT\n");
		return 2;
	}
	memcpy(host, listen_arg, (size_t)(colon - listen_arg));
	o.host = host;
	o.port = atoi(colon + 1);
	uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 16);
	if (center_faults_parse(faults, seed, &o.faults, err, sizeof err) != 0) {
		fprintf(stderr, "billing-center: %s\n", err);
		return 2;
	}
	fprintf(stderr, "billing-center: faults seed=%llu\n", (unsigned long long)o.faults.seed);

	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* before MHD starts its thread */
	signal(SIGPIPE, SIG_IGN);
	log_set_level(LOG_LVL_WARN);

	struct center_srv *s = center_start(&o, err, sizeof err);
	if (!s) {
		fprintf(stderr, "billing-center: %s\n", err);
		return 1;
	}
	printf("listening %s:%d\n", host, center_port(s));
	fflush(stdout);
	int sig = 0;
	sigwait(&set, &sig);
	char sum[256];
	center_fault_summary(s, sum, sizeof sum);
	fprintf(stderr, "billing-center: stopping (signal %d), fault hits: %s\n", sig, sum);
	center_request_summary(s, sum, sizeof sum);
	fprintf(stderr, "billing-center: requests: %s\n", sum);
	center_stop(s);
	return 0;
}
