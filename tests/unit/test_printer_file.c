/* File printer backend: PNG width, text content, naming, the paper knob. */
#include <SDL.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "drivers/printer_file.h"
#include "drivers/printer_image.h"
#include "drivers/printer_service.h"
#include "kiosk/base/log.h"
#include "kiosk/base/pngio.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/test_printer_file.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void demo_doc(struct receipt_doc *d)
{
	receipt_doc_init(d);
	receipt_doc_text(d, RDOC_CENTER, RDOC_BOLD, "ТСЖ «Берёзка»");
	receipt_doc_text(d, RDOC_LEFT, 0, "Чек №42");
	receipt_doc_pair(d, 0, "Итого", "1 234,56 ₽");
	receipt_doc_separator(d);
	receipt_doc_text(d, RDOC_RIGHT, RDOC_BIG, "Спасибо");
	receipt_doc_qr(d, "ST00012|Name=Test|PersonalAcc=40702810000000000001");
	receipt_doc_cut(d, false);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	static char buf[8192];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static const char *want_80 =
	"                 ТСЖ «Берёзка»\n"
	"Чек №42\n"
	"Итого                                 1 234,56 ₽\n"
	"------------------------------------------------\n"
	"                 Спасибо\n"
	"[QR] ST00012|Name=Test|PersonalAcc=40702810000000000001\n"
	"- - - cut - - -\n";

static void test_text_rendering(void **state)
{
	(void)state;
	struct receipt_doc d;
	demo_doc(&d);
	char *t = printer_file_text(&d, 80);
	assert_string_equal(t, want_80);
	free(t);
	t = printer_file_text(&d, 58);
	/* 32 columns: the pair is 5 + 17 + 10 */
	assert_non_null(strstr(t, "\nИтого                 1 234,56 ₽\n"));
	assert_non_null(strstr(t, "\n--------------------------------\n"));
	free(t);
	receipt_doc_free(&d);
}

static void check_png(const char *path, int width)
{
	SDL_Surface *s = pngio_load(path);
	assert_non_null(s);
	assert_int_equal(s->w, width);
	assert_true(s->h > 300); /* text lines and a QR of at least width/2 */
	/* there is ink: some dark pixels, and the corners are paper */
	SDL_Surface *rgba = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGBA32, 0);
	int dark = 0;
	for (int y = 0; y < rgba->h; y++)
		for (int x = 0; x < rgba->w; x++)
			dark += ((uint8_t *)rgba->pixels)[y * rgba->pitch + x * 4] < 64;
	assert_true(dark > 1000);
	assert_int_equal(((uint8_t *)rgba->pixels)[0], 255);
	SDL_FreeSurface(rgba);
	SDL_FreeSurface(s);
}

static void test_png_widths(void **state)
{
	(void)state;
	struct receipt_doc d;
	demo_doc(&d);
	char png[128], txt[128];
	snprintf(png, sizeof png, "%s/a.png", dir);
	snprintf(txt, sizeof txt, "%s/a.txt", dir);
	assert_int_equal(printer_file_render(&d, 80, NULL, png, txt), 0);
	check_png(png, 576);
	assert_string_equal(slurp(txt), want_80);
	snprintf(png, sizeof png, "%s/b.png", dir);
	assert_int_equal(printer_file_render(&d, 58, NULL, png, NULL), 0);
	check_png(png, 384);
	/* no temporary file left behind */
	snprintf(png, sizeof png, "%s/b.png.tmp", dir);
	assert_int_not_equal(access(png, F_OK), 0);
	receipt_doc_free(&d);
}

static void test_logo(void **state)
{
	(void)state;
	/* a 40x20 PNG: black left half, white right half */
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 40, 20, 32, SDL_PIXELFORMAT_RGBA32);
	SDL_FillRect(s, NULL, SDL_MapRGBA(s->format, 255, 255, 255, 255));
	SDL_Rect half = { 0, 0, 20, 20 };
	SDL_FillRect(s, &half, SDL_MapRGBA(s->format, 0, 0, 0, 255));
	char logo[128];
	snprintf(logo, sizeof logo, "%s/logo.png", dir);
	assert_int_equal(pngio_save(s, logo), 0);
	SDL_FreeSurface(s);
	struct printer_bitmap bm;
	assert_int_equal(printer_bitmap_load_png(logo, 384, &bm), 0);
	assert_int_equal(bm.w, 40);
	assert_int_equal(bm.h, 20);
	assert_int_equal(printer_bitmap_get(&bm, 5, 5), 1);
	assert_int_equal(printer_bitmap_get(&bm, 30, 5), 0);
	printer_bitmap_free(&bm);
	/* scaled down to the width asked */
	assert_int_equal(printer_bitmap_load_png(logo, 20, &bm), 0);
	assert_int_equal(bm.w, 20);
	assert_int_equal(bm.h, 10);
	printer_bitmap_free(&bm);
}

static void test_device_naming_and_knob(void **state)
{
	(void)state;
	struct printer_dev *p = printer_file_new(dir, 80, NULL);
	enum printer_state st = PRINTER_ERROR;
	assert_int_equal(printer_dev_status(p, &st), 0);
	assert_int_equal(st, PRINTER_OK); /* no knob file */
	static const struct { const char *knob; enum printer_state st; } knobs[] = {
		{ "ok\n", PRINTER_OK }, { "near_end\n", PRINTER_NEAR_END }, { "out", PRINTER_PAPER_OUT },
		{ "cover_open\n", PRINTER_COVER_OPEN }, { "jammed\n", PRINTER_ERROR },
	};
	char knob[128];
	snprintf(knob, sizeof knob, "%s/paper", dir);
	for (size_t i = 0; i < sizeof knobs / sizeof knobs[0]; i++) {
		FILE *f = fopen(knob, "w");
		fputs(knobs[i].knob, f);
		fclose(f);
		assert_int_equal(printer_dev_status(p, &st), 0);
		assert_int_equal(st, knobs[i].st);
	}
	unlink(knob);

	/* numbering continues after what is in the directory */
	char path[160];
	snprintf(path, sizeof path, "%s/receipt-7-old.txt", dir);
	fclose(fopen(path, "w"));
	struct receipt_doc d;
	demo_doc(&d);
	assert_int_equal(printer_dev_print(p, &d, "K1-0001"), 0);
	assert_int_equal(printer_dev_print(p, &d, "K1-0002"), 0);
	snprintf(path, sizeof path, "%s/receipt-8-K1-0001.png", dir);
	check_png(path, 576);
	snprintf(path, sizeof path, "%s/receipt-9-K1-0002.txt", dir);
	assert_string_equal(slurp(path), want_80);
	receipt_doc_free(&d);
	printer_dev_destroy(p);

	/* an unusable directory is an offline printer */
	p = printer_file_new("/nonexistent/receipts", 58, NULL);
	assert_int_equal(printer_dev_status(p, &st), PRINTER_EOFFLINE);
	printer_dev_destroy(p);
}

static void on_job(void *ud, uint64_t id, enum printer_outcome o, int attempts)
{
	(void)id;
	atomic_int *r = ud;
	atomic_store(&r[1], attempts);
	atomic_store(&r[0], (int)o + 1);
}

static void test_service_with_paper_knob(void **state)
{
	(void)state;
	char sub[96], knob[128];
	snprintf(sub, sizeof sub, "%s/svc", dir); /* an empty directory: numbering starts at 1 */
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(knob, sizeof knob, "%s/paper", sub);
	FILE *f = fopen(knob, "w");
	fputs("out\n", f);
	fclose(f);
	static atomic_int result[2];
	struct printer_service_cfg c;
	printer_service_cfg_default(&c);
	c.dev = printer_file_new(sub, 58, NULL);
	c.poll_ms = 20;
	c.paper_wait_ms = 5000;
	c.on_job = on_job;
	c.ud = result;
	struct printer_service *s = printer_service_start(&c);
	struct receipt_doc d;
	demo_doc(&d);
	assert_true(printer_service_submit(s, &d, "K1/0003 x") > 0);
	usleep(100 * 1000);
	char path[160];
	snprintf(path, sizeof path, "%s/receipt-1-K1_0003_x.txt", sub);
	assert_int_not_equal(access(path, F_OK), 0); /* waiting for paper */
	f = fopen(knob, "w");
	fputs("ok\n", f);
	fclose(f);
	for (int i = 0; i < 500 && !atomic_load(&result[0]); i++)
		usleep(10 * 1000);
	printer_service_stop(s);
	assert_int_equal(result[0], PRINTER_PRINTED + 1);
	assert_int_equal(result[1], 1);
	assert_int_equal(access(path, F_OK), 0);
}

int main(void)
{
	log_set_level(LOG_LVL_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_rendering),
		cmocka_unit_test(test_png_widths),
		cmocka_unit_test(test_logo),
		cmocka_unit_test(test_device_naming_and_knob),
		cmocka_unit_test(test_service_with_paper_knob),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
