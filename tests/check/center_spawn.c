/* Spawns the billing-center simulator and reads its "listening" line; the test PKI. */
#include "tests/check/center_spawn.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "offline/center_sign.h"

struct center_proc center_spawn(const char *build, const char *db, const char *const *extra)
{
	return center_spawn_at(build, db, 0, NULL, extra);
}

struct center_proc center_spawn_at(const char *build, const char *db, int port, const char *errlog,
				   const char *const *extra)
{
	struct center_proc s = { -1, 0 };
	int p[2];
	char bin[300], certs[300], listen[32];
	snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
	snprintf(bin, sizeof bin, "%s/billing-center", build);
	snprintf(certs, sizeof certs, "%s/certs", build);
	if (pipe(p) != 0)
		abort();
	s.pid = fork();
	if (s.pid == 0) {
		const char *argv[32] = { bin, "--listen", listen, "--db", db, "--certs-dir", certs };
		int n = 7;
		for (int i = 0; extra && extra[i] && n < 31; i++)
			argv[n++] = extra[i];
		argv[n] = NULL;
		dup2(p[1], 1);
		if (errlog) {
			FILE *e = fopen(errlog, "a");
			if (e)
				dup2(fileno(e), 2);
		}
		close(p[0]);
		close(p[1]);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	close(p[1]);
	FILE *f = fdopen(p[0], "r");
	char line[128] = "";
	if (fgets(line, sizeof line, f) && strncmp(line, "listening 127.0.0.1:", 20) == 0)
		s.port = atoi(line + 20);
	fclose(f);
	return s;
}

void center_kill(struct center_proc *p)
{
	if (p->pid > 0) {
		kill(p->pid, SIGTERM);
		waitpid(p->pid, NULL, 0);
	}
	p->pid = -1;
}

int test_pki_load(const char *build, struct test_pki *p)
{
	memset(p, 0, sizeof *p);
	snprintf(p->ca, sizeof p->ca, "%s/certs/center-ca.pem", build);
	snprintf(p->cert, sizeof p->cert, "%s/certs/client.pem", build);
	snprintf(p->key, sizeof p->key, "%s/certs/client.key", build);
	snprintf(p->keyfile, sizeof p->keyfile, "%s/certs/hmac-K0001.key", build);
	char pf[400];
	snprintf(pf, sizeof pf, "%s/certs/pins", build);
	FILE *f = fopen(pf, "r");
	if (!f || !fgets(p->pins, sizeof p->pins, f)) {
		fprintf(stderr, "no %s (make builds the test PKI)\n", pf);
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	p->pins[strcspn(p->pins, "\n")] = '\0';
	return 0;
}

int test_pki_client(struct test_pki *p, int port, struct center_client_opts *o)
{
	snprintf(p->url, sizeof p->url, "https://127.0.0.1:%d", port);
	*o = (struct center_client_opts){ .url = p->url, .ca = p->ca, .pins = p->pins, .cert = p->cert,
					  .key = p->key, .key_id = "k1", .device_id = "K0001" };
	return csign_load_key(p->keyfile, o->hmac_key) == 0 ? 0 : -1;
}
