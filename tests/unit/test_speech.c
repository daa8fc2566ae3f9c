/* The speech engine with SDL's dummy audio driver: each utterance in speech.log (time,
 * screen, text, one line each, numbering going on after a restart), a WAV file per
 * utterance synthesized by espeak-ng (header and length checked), a cut dropping what is
 * queued, rate and volume clamped, the remembered texts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#include "tests/lib/test_tmp.h"
#include "tests/lib/test_zone.h"
#include "ui/speech.h"

static char dir[TEST_TMP_DIR_LEN];

static int setup(void **st)
{
	(void)st;
	setenv("SDL_AUDIODRIVER", "dummy", 1);
	test_zone("Europe/Moscow");
	test_tmp_dir("test_speech", dir, NULL);
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	return test_tmp_remove(dir);
}

static char *slurp(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	static char buf[1 << 22];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (ret_len)
		*ret_len = n;
	return buf;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void test_log_and_wav(void **st)
{
	(void)st;
	char err[256];
	struct speech_options o = { .rate = 175, .volume = 80, .out_dir = dir, .wav = true };
	struct speech *sp = speech_start(&o, err, sizeof err);
	assert_non_null(sp);
	assert_int_equal(speech_say(sp, LANG_RU, "account", "К оплате: четыре тысячи рублей.", false), 1);
	assert_int_equal(speech_say(sp, LANG_EN, "account", "Due:\tfour\nthousand rubles.", false), 2);
	assert_true(speech_idle(sp, 10000));
	assert_int_equal(speech_last(sp), 2);
	assert_string_equal(speech_text(sp, 1), "К оплате: четыре тысячи рублей.");
	assert_null(speech_text(sp, 3));
	assert_null(speech_text(sp, 0));
	speech_stop(sp);

	char path[512];
	snprintf(path, sizeof path, "%s/speech.log", dir);
	char *log = slurp(path, NULL);
	assert_non_null(log);
	/* two lines: date time.ms, screen, text with tabs and line breaks as spaces */
	char *nl = strchr(log, '\n');
	assert_non_null(nl);
	assert_non_null(strstr(log, "\taccount\tК оплате: четыре тысячи рублей.\n"));
	assert_non_null(strstr(nl + 1, "\taccount\tDue: four thousand rubles.\n"));
	assert_int_equal(log[4], '-');
	assert_int_equal(log[10], ' ');
	assert_int_equal(log[19], '.');
	assert_null(strchr(strchr(nl + 1, '\n') + 1, '\n'));

	for (int i = 1; i <= 2; i++) {
		snprintf(path, sizeof path, "%s/speech-%04d.wav", dir, i);
		size_t n = 0;
		unsigned char *w = (unsigned char *)slurp(path, &n);
		assert_non_null(w);
		assert_memory_equal(w, "RIFF", 4);
		assert_memory_equal(w + 8, "WAVEfmt ", 8);
		assert_int_equal(le32(w + 24), 22050);
		assert_int_equal(le32(w + 40), n - 44);
		/* a sentence is more than half a second of audio, and not silence */
		assert_true(n - 44 > 22050);
		int peak = 0;
		for (size_t k = 44; k + 1 < n; k += 2) {
			int v = (int16_t)(w[k] | w[k + 1] << 8);
			peak = abs(v) > peak ? abs(v) : peak;
		}
		assert_true(peak > 1000);
	}

	/* A restart appends and numbers on. */
	sp = speech_start(&o, err, sizeof err);
	assert_non_null(sp);
	assert_int_equal(speech_say(sp, LANG_RU, "attract", "Голосовое сопровождение включено.", false), 1);
	assert_true(speech_idle(sp, 10000));
	speech_stop(sp);
	snprintf(path, sizeof path, "%s/speech-0003.wav", dir);
	assert_non_null(slurp(path, NULL));
}

static void test_cut_and_settings(void **st)
{
	(void)st;
	char err[256];
	struct speech_options o = { .rate = 10, .volume = 400, .out_dir = NULL };
	struct speech *sp = speech_start(&o, err, sizeof err);
	assert_non_null(sp);
	int rate, vol;
	speech_get(sp, &rate, &vol);
	assert_int_equal(rate, 80);
	assert_int_equal(vol, 100);
	speech_set(sp, 1000, -5);
	speech_get(sp, &rate, &vol);
	assert_int_equal(rate, 450);
	assert_int_equal(vol, 0);
	/* many queued, then a cut: the queue is dropped and the engine goes idle at once */
	for (int i = 0; i < 40; i++)
		speech_say(sp, LANG_RU, "scan", "Поднесите QR-код квитанции к сканеру или введите номер лицевого счёта.", false);
	speech_say(sp, LANG_RU, "enter_account", "Номер лицевого счёта.", true);
	assert_true(speech_idle(sp, 10000));
	assert_int_equal(speech_last(sp), 41);
	assert_string_equal(speech_text(sp, 41), "Номер лицевого счёта.");
	speech_stop(sp);
	speech_stop(NULL);
}

static void test_bad_dir(void **st)
{
	(void)st;
	char err[256] = "";
	struct speech_options o = { .rate = 150, .volume = 50, .out_dir = "/nonexistent/dir" };
	assert_null(speech_start(&o, err, sizeof err));
	assert_non_null(strstr(err, "/nonexistent/dir/speech.log"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_and_wav),
		cmocka_unit_test(test_cut_and_settings),
		cmocka_unit_test(test_bad_dir),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
