/* Bill QR decode time for the demo bill (docs/demo.md): the median of many batches,
 * per decode.  Target: <= 20 us on the kiosk.  The floor printed beside it is a plain copy
 * of the payload into a bill-sized buffer, measured in the same run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/bill/epd.h"
#include "tests/lib/bench_time.h"

#define DEMO "ST00012|Name=ООО «МосОблЕИРЦ»|PersonalAcc=40702810640000012345|" \
	"BankName=ПАО Сбербанк|BIC=044525225|CorrespAcc=30101810400000000225|" \
	"PayeeINN=5037008735|KPP=503701001|persAcc=50012345|paymPeriod=102026|Sum=452316|TechCode=02"

#define BATCH 200
#define ROUNDS 101

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static struct epd_bill bill;
static volatile uint64_t sink;

static double median_us(int copy_only)
{
	double t[ROUNDS];
	const uint8_t *p = (const uint8_t *)DEMO;
	size_t n = strlen(DEMO);
	for (int r = 0; r < ROUNDS; r++) {
		double t0 = now_us();
		for (int i = 0; i < BATCH; i++) {
			if (copy_only) {
				memcpy(bill.text, p, n);
				sink += (uint8_t)bill.text[i % n];
			} else if (epd_decode(p, n, &bill) != 0 || bill.sum != 452316) {
				fprintf(stderr, "bench_epd: demo bill did not decode\n");
				exit(1);
			} else {
				sink += bill.sum;
			}
		}
		t[r] = (now_us() - t0) / BATCH;
	}
	qsort(t, ROUNDS, sizeof t[0], bench_cmp_double);
	return t[ROUNDS / 2];
}

int main(void)
{
	median_us(0); /* warm caches */
	double decode = median_us(0), floor = median_us(1);
	printf("epd_decode_us %.2f us\n", decode);
	printf("epd_decode_floor_us %.3f us\n", floor);
	return 0;
}
