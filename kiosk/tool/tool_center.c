/* kiosk-tool center-status: is the billing center reachable, with our pins, certificate and
 * key?  It sends one signed hello carrying the all-zero epoch (a probe: the center answers
 * with its clock, status, limits and the watermarks it holds for this device, and records
 * nothing) and prints one line:
 *
 *   center=URL state=online status=ok offset_ms=N latency_ms=N epochs=N
 *   center=URL state=offline error=pin_mismatch curl=90 http=0
 *
 * Exit 0 when online, 1 otherwise, 2 on a configuration problem. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kiosk/base/clock.h"
#include "kiosk/tool/tool.h"
#include "offline/center_client.h"
#include "offline/center_conf.h"

int tool_center_status(struct tool_ctx *ctx, int argc, char **argv);

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int tool_center_status(struct tool_ctx *ctx, int argc, char **argv)
{
	struct center_client_opts o;
	char err[256];
	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: kiosk-tool center-status\n");
		return 2;
	}
	if (tool_need_config(ctx) != 0)
		return 2;
	if (center_conf_opts(&ctx->cfg, &o, err, sizeof err) != 0) {
		fprintf(stderr, "kiosk-tool: %s\n", err);
		return 2;
	}
	o.total_timeout_ms = 15000;
	struct center_client *c = center_client_new(&o, err, sizeof err);
	memset(o.hmac_key, 0, sizeof o.hmac_key);
	if (!c) {
		fprintf(stderr, "kiosk-tool: %s\n", err);
		return 2;
	}
	struct cjson_hello_req rq;
	struct cjson_hello_resp rs;
	struct center_reply rep = { 0 };
	memset(&rq, 0, sizeof rq);
	snprintf(rq.sw, sizeof rq.sw, "%s", KIOSK_VERSION);
	snprintf(rq.boot_id, sizeof rq.boot_id, "kiosk-tool");
	rq.device_time_ms = clock_wall_ms();
	int64_t t0 = mono_ms();
	int rc = center_hello(c, &rq, &rs, &rep);
	int64_t lat = mono_ms() - t0;
	if (rc == CENTER_OK)
		printf("center=%s state=online status=%s offset_ms=%" PRId64 " latency_ms=%" PRId64 " epochs=%d\n",
		       o.url, rs.status, center_client_offset_ms(c), lat, rs.nepochs);
	else
		printf("center=%s state=offline error=%s%s%s curl=%d http=%ld\n", o.url,
		       center_class_name((enum center_class)rc), rep.err.error[0] ? ":" : "",
		       rep.err.error, rep.curl_code, rep.status);
	center_reply_clear(&rep);
	center_client_free(c);
	return rc == CENTER_OK ? 0 : 1;
}
