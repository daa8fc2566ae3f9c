/* Speech: the espeak-ng worker (kiosk/base/worker.h), the SDL audio device, speech.log and
 * WAV files (speech.h). */
#include "ui/speech.h"

#include <errno.h>
#include <espeak-ng/speak_lib.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#include "kiosk/base/clock.h"
#include "kiosk/base/dynlib.h"
#include "kiosk/base/log.h"
#include "kiosk/base/tz.h"
#include "kiosk/base/worker.h"
#include "kiosk/base/xalloc.h"

#define QUEUE_MAX 32                 /* utterances waiting; the oldest goes when full */
#define MAX_SAMPLES (22050 * 120)    /* two minutes of audio at espeak's rate: an utterance's cap */

/* An utterance: the worker's job (copied into its queue; the text is the job's to free). */
struct item {
	uint64_t seq, gen;
	enum lang lang;
	char *text;
};

struct speech {
	struct worker *w;            /* the synthesis thread: jobs are struct item */
	pthread_mutex_t mu;          /* dev, and queueing audio against a cut */
	atomic_uint_fast64_t gen;    /* a cut moves it on: older work is skipped */
	atomic_int rate, volume;
	SDL_AudioDeviceID dev;       /* 0: no device */
	bool audio_init, audio_tried;
	/* the synthesis thread's: espeak's sample rate once started (espeak_rate), the voice */
	int sample_rate;
	enum lang voice;
	/* the main thread's side */
	FILE *log;
	char out_dir[256];
	bool wav;
	uint64_t seq, base;          /* base: lines the log held before this run */
	char *said[SPEECH_KEEP];
};

/* ------------------------------------------------------------------ synthesis (worker) */

struct synth {
	int16_t *s;
	size_t n, cap;
	uint64_t gen;
	struct speech *sp;
	bool cut;
};

static _Thread_local struct synth *cur;

static int on_samples(short *wav, int n, espeak_EVENT *ev)
{
	(void)ev;
	struct synth *y = cur;
	if (!y)
		return 1;
	if (atomic_load(&y->sp->gen) != y->gen) {
		y->cut = true;
		return 1; /* a cut: stop synthesizing this one */
	}
	if (!wav || n <= 0)
		return 0;
	if (y->n + (size_t)n > MAX_SAMPLES)
		return 1;
	if (y->n + (size_t)n > y->cap) {
		y->cap = (y->n + (size_t)n) * 2;
		y->s = xrealloc(y->s, y->cap * sizeof *y->s);
	}
	memcpy(y->s + y->n, wav, (size_t)n * sizeof *wav);
	y->n += (size_t)n;
	return 0;
}

static void put_le(uint8_t *p, uint32_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A 16-bit mono PCM WAV file. */
static int wav_write(const char *path, const int16_t *s, size_t n, int rate)
{
	uint8_t h[44];
	uint32_t bytes = (uint32_t)(n * 2);
	memcpy(h, "RIFF", 4);
	put_le(h + 4, 36 + bytes, 4);
	memcpy(h + 8, "WAVEfmt ", 8);
	put_le(h + 16, 16, 4);
	put_le(h + 20, 1, 2);                  /* PCM */
	put_le(h + 22, 1, 2);                  /* mono */
	put_le(h + 24, (uint32_t)rate, 4);
	put_le(h + 28, (uint32_t)rate * 2, 4); /* bytes per second */
	put_le(h + 32, 2, 2);                  /* block align */
	put_le(h + 34, 16, 2);                 /* bits */
	memcpy(h + 36, "data", 4);
	put_le(h + 40, bytes, 4);
	FILE *f = fopen(path, "wbe");
	if (!f)
		return -1;
	bool ok = fwrite(h, 1, sizeof h, f) == sizeof h;
	for (size_t i = 0; ok && i < n; i++) {
		uint8_t b[2];
		put_le(b, (uint16_t)s[i], 2);
		ok = fwrite(b, 1, 2, f) == 2;
	}
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* espeak-ng's functions, loaded with it at the first utterance (espeak_rate): the library
 * and the three it brings are not mapped at exec, ahead of the first frame (~0.5 ms). */
static struct {
	__typeof__(&espeak_Initialize) initialize;
	__typeof__(&espeak_SetSynthCallback) set_callback;
	__typeof__(&espeak_SetVoiceByName) set_voice;
	__typeof__(&espeak_SetParameter) set_parameter;
	__typeof__(&espeak_Synth) synth;
} es;
static const struct dynlib_fn es_fns[] = {
	{ "espeak_Initialize", &es.initialize }, { "espeak_SetSynthCallback", &es.set_callback },
	{ "espeak_SetVoiceByName", &es.set_voice }, { "espeak_SetParameter", &es.set_parameter },
	{ "espeak_Synth", &es.synth },
};
static struct dynlib_lazy es_so = DYNLIB_LAZY("libespeak-ng.so.1", es_fns, "speech");

static void synthesize(struct speech *sp, const struct item *it, enum lang *voice, int sample_rate)
{
	struct synth y = { .gen = it->gen, .sp = sp };
	if (*voice != it->lang) {
		if (es.set_voice(it->lang == LANG_EN ? "en" : "ru") != EE_OK)
			log_error("speech", "voice", "lang=%s", it->lang == LANG_EN ? "en" : "ru");
		*voice = it->lang;
	}
	es.set_parameter(espeakRATE, atomic_load(&sp->rate), 0);
	cur = &y;
	espeak_ERROR rc = es.synth(it->text, strlen(it->text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, NULL);
	cur = NULL;
	if (rc != EE_OK)
		log_error("speech", "synth", "rc=%d seq=%llu", rc, (unsigned long long)it->seq);
	int vol = atomic_load(&sp->volume);
	for (size_t i = 0; i < y.n; i++)
		y.s[i] = (int16_t)((int32_t)y.s[i] * vol / 100);
	/* Queued for playing only if no cut came meanwhile (the cut clears the device's queue
	 * under the same lock). */
	pthread_mutex_lock(&sp->mu);
	if (!y.cut && atomic_load(&sp->gen) == it->gen && sp->dev && y.n)
		SDL_QueueAudio(sp->dev, y.s, (Uint32)(y.n * sizeof *y.s));
	pthread_mutex_unlock(&sp->mu);
	if (sp->wav && !y.cut && rc == EE_OK) {
		char path[320];
		snprintf(path, sizeof path, "%s/speech-%04llu.wav", sp->out_dir, (unsigned long long)(sp->base + it->seq));
		if (wav_write(path, y.s, y.n, sample_rate) != 0)
			log_error("speech", "wav", "path=%s errno=%d", path, errno);
	}
	free(y.s);
}

/* espeak-ng is started once per process, at the first utterance, and never terminated:
 * 1.51's espeak_Terminate() hangs after a second espeak_Initialize() (its internal thread
 * is not restarted), and the process ends soon after the speech stops anyway.  Not at start:
 * most sessions never switch voice mode on, and its data (phonemes, dictionaries: ~2.5 MB
 * resident) and the wait for it would be paid by every start; nor is the library loaded
 * before (es).  Returns its sample rate,
 * or -1 when it cannot start (logged once).  Only one worker synthesizes at a time. */
static int espeak_rate(void)
{
	static pthread_mutex_t once_mu = PTHREAD_MUTEX_INITIALIZER;
	static int rate;
	pthread_mutex_lock(&once_mu);
	if (rate == 0) {
		if (dynlib_lazy_load(&es_so, NULL, 0) != 0) {
			rate = -1; /* logged by dynlib_lazy_load */
		} else if ((rate = es.initialize(AUDIO_OUTPUT_SYNCHRONOUS, 200, NULL, espeakINITIALIZE_DONT_EXIT)) <= 0) {
			log_error("speech", "espeak_init", "rc=%d (espeak-ng-data installed?)", rate);
			rate = -1;
		} else {
			es.set_callback(on_samples);
			log_info("speech", "synth", "sample_rate=%d", rate);
		}
	}
	pthread_mutex_unlock(&once_mu);
	return rate;
}

/* An utterance, on the synthesis thread; one queued before a cut is skipped. */
static void run(void *ctx, void *job)
{
	struct speech *sp = ctx;
	struct item *it = job;
	if (sp->sample_rate == 0)
		sp->sample_rate = espeak_rate();
	if (sp->sample_rate > 0 && atomic_load(&sp->gen) == it->gen)
		synthesize(sp, it, &sp->voice, sp->sample_rate);
	free(it->text);
}

/* An utterance dropped unsaid (the queue full, or the stop). */
static void drop(void *ctx, void *job)
{
	(void)ctx;
	struct item *it = job;
	free(it->text);
}

/* ------------------------------------------------------------------ the main thread's side */

static void open_audio(struct speech *sp, int sample_rate)
{
	if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
		log_warn("speech", "no_audio", "err=\"%s\"", SDL_GetError());
		return;
	}
	sp->audio_init = true;
	SDL_AudioSpec want = { .freq = sample_rate, .format = AUDIO_S16SYS, .channels = 1, .samples = 1024 };
	SDL_AudioSpec have;
	SDL_AudioDeviceID dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
	if (!dev) {
		log_warn("speech", "no_audio", "err=\"%s\"", SDL_GetError());
		return;
	}
	SDL_PauseAudioDevice(dev, 0);
	pthread_mutex_lock(&sp->mu); /* the worker queues to it */
	sp->dev = dev;
	pthread_mutex_unlock(&sp->mu);
	log_info("speech", "audio", "driver=%s rate=%d", SDL_GetCurrentAudioDriver(), have.freq);
}

static uint64_t count_lines(FILE *f)
{
	uint64_t n = 0;
	int c;
	rewind(f);
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	return n;
}

static int clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

struct speech *speech_start(const struct speech_options *o, char *err, int errcap)
{
	struct speech *sp = xcalloc(1, sizeof *sp);
	pthread_mutex_init(&sp->mu, NULL);
	sp->voice = LANG_COUNT;
	atomic_init(&sp->gen, 1);
	atomic_init(&sp->rate, clampi(o->rate, espeakRATE_MINIMUM, espeakRATE_MAXIMUM));
	atomic_init(&sp->volume, clampi(o->volume, 0, 100));
	if (o->out_dir) {
		snprintf(sp->out_dir, sizeof sp->out_dir, "%s", o->out_dir);
		char path[320];
		snprintf(path, sizeof path, "%s/speech.log", o->out_dir);
		sp->log = fopen(path, "a+e");
		if (!sp->log) {
			snprintf(err, (size_t)errcap, "%s: %s", path, strerror(errno));
			goto fail;
		}
		sp->base = count_lines(sp->log); /* a restart goes on numbering */
		sp->wav = o->wav;
	}
	/* A full queue loses its oldest utterance: what is said now matters, not what was. */
	struct worker_cfg wc = { .name = "speech", .job_size = sizeof(struct item), .capacity = QUEUE_MAX,
				 .run = run, .drop = drop, .full_drops_oldest = true, .ctx = sp };
	sp->w = worker_start(&wc);
	if (!sp->w) {
		snprintf(err, (size_t)errcap, "speech thread: cannot start");
		goto fail;
	}
	log_info("speech", "started", "rate=%d volume=%d", atomic_load(&sp->rate), atomic_load(&sp->volume));
	return sp;
fail:
	if (sp->log)
		fclose(sp->log);
	pthread_mutex_destroy(&sp->mu);
	free(sp);
	return NULL;
}

void speech_stop(struct speech *sp)
{
	if (!sp)
		return;
	atomic_fetch_add(&sp->gen, 1);     /* cuts the utterance being synthesized short */
	worker_stop(sp->w, WORKER_DROP);  /* the queued ones are dropped unsaid */
	if (sp->dev)
		SDL_CloseAudioDevice(sp->dev);
	if (sp->audio_init)
		SDL_QuitSubSystem(SDL_INIT_AUDIO);
	if (sp->log)
		fclose(sp->log);
	for (int i = 0; i < SPEECH_KEEP; i++)
		free(sp->said[i]);
	pthread_mutex_destroy(&sp->mu);
	free(sp);
}

void speech_cut(struct speech *sp)
{
	/* What is queued is skipped by the worker (its generation is older); what is being
	 * synthesized stops at espeak's next callback. */
	pthread_mutex_lock(&sp->mu);
	atomic_fetch_add(&sp->gen, 1);
	if (sp->dev)
		SDL_ClearQueuedAudio(sp->dev);
	pthread_mutex_unlock(&sp->mu);
}

/* One log line: "2026-11-20 10:00:03.120<TAB>screen<TAB>text", the text on one line. */
static void log_line(struct speech *sp, const char *screen, const char *text)
{
	int64_t now = clock_wall_ms();
	struct tz_civil c;
	tz_local(now, &c);
	fprintf(sp->log, "%04d-%02d-%02d %02d:%02d:%02d.%03d\t%s\t", c.year, c.month, c.day, c.hour, c.min, c.sec,
		(int)(((now % 1000) + 1000) % 1000), screen);
	for (const char *p = text; *p; p++)
		putc(*p == '\n' || *p == '\t' || *p == '\r' ? ' ' : *p, sp->log);
	putc('\n', sp->log);
	fflush(sp->log);
}

uint64_t speech_say(struct speech *sp, enum lang l, const char *screen, const char *text, bool cut)
{
	if (!sp->audio_tried) {
		/* The device (and SDL's audio thread) only once something is to be said: most
		 * sessions never switch voice mode on.  It plays at espeak's rate, so espeak starts
		 * here if the worker has not started it yet. */
		sp->audio_tried = true;
		int rate = espeak_rate();
		if (rate > 0)
			open_audio(sp, rate);
	}
	if (cut)
		speech_cut(sp);
	uint64_t seq = ++sp->seq;
	free(sp->said[seq % SPEECH_KEEP]);
	sp->said[seq % SPEECH_KEEP] = xstrdup(text);
	if (sp->log)
		log_line(sp, screen, text);
	log_debug("speech", "say", "seq=%llu screen=%s", (unsigned long long)seq, screen);
	struct item it = { .seq = seq, .lang = l, .text = xstrdup(text) };
	/* Under mu with the generation read: a cut either comes before (and this one is said)
	 * or after (and it is skipped). */
	pthread_mutex_lock(&sp->mu);
	it.gen = atomic_load(&sp->gen);
	if (worker_submit(sp->w, &it) != 0)
		free(it.text); /* stopping: cannot happen while the owner is still saying things */
	pthread_mutex_unlock(&sp->mu);
	return seq;
}

void speech_set(struct speech *sp, int rate, int volume)
{
	atomic_store(&sp->rate, clampi(rate, espeakRATE_MINIMUM, espeakRATE_MAXIMUM));
	atomic_store(&sp->volume, clampi(volume, 0, 100));
}

void speech_get(const struct speech *sp, int *ret_rate, int *ret_volume)
{
	*ret_rate = atomic_load(&((struct speech *)sp)->rate);
	*ret_volume = atomic_load(&((struct speech *)sp)->volume);
}

uint64_t speech_last(const struct speech *sp)
{
	return sp->seq;
}

const char *speech_text(const struct speech *sp, uint64_t n)
{
	if (n == 0 || n > sp->seq || sp->seq - n >= SPEECH_KEEP)
		return NULL;
	return sp->said[n % SPEECH_KEEP];
}

bool speech_idle(struct speech *sp, int timeout_ms)
{
	int64_t end = SDL_GetTicks64() + (uint64_t)timeout_ms;
	while (!worker_idle(sp->w) && (int64_t)SDL_GetTicks64() < end)
		SDL_Delay(5);
	return worker_idle(sp->w);
}
