#ifndef KIOSK_DYNLIB_H
#define KIOSK_DYNLIB_H
/* A shared library loaded when first needed rather than at exec (offline/curl_lib.h,
 * offline/crypto_lib.h, kiosk/base/ttf_lib.h, kiosk/base/qr_lib.h, espeak-ng in
 * ui/speech.c): the libraries a program does not need before its first frame are not in
 * its dynamic section, so the loader does not map and relocate them at start.
 *
 * Promises: dynlib_open loads SONAME (RTLD_NOW | RTLD_LOCAL) and stores the address of each
 * named function in its slot, all or nothing: on any failure it returns NULL with why
 * ("cannot load S: ..." or "S has no F") in err and no slot written.  What it loaded stays
 * loaded until the process ends. */
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

struct dynlib_fn {
	const char *name;
	void *slot; /* the address of a function pointer */
};

void *dynlib_open(const char *soname, const struct dynlib_fn *fns, size_t n, char *err, size_t cap);

/* A library loaded once, by the first call that needs it, from any thread: a file-scope
 * object made with DYNLIB_LAZY (its functions' slots are file-scope too). */
struct dynlib_lazy {
	const char *soname;
	const struct dynlib_fn *fns;
	size_t n;
	const char *log_mod; /* the log line's module when it cannot be loaded */
	pthread_mutex_t mu;
	atomic_int state;    /* 0 not tried, 1 loaded, -1 could not be */
	char why[256];
};
#define DYNLIB_LAZY(so, fn_table, mod)                                                        \
	{ .soname = (so), .fns = (fn_table), .n = sizeof(fn_table) / sizeof(fn_table)[0], .log_mod = (mod), \
	  .mu = PTHREAD_MUTEX_INITIALIZER }

/* 0 once the library and every function are loaded (the first call loads them; a failure
 * is logged once, `<mod> library_missing why=...`); -1 with why in err (NULL: not wanted),
 * every time it is asked.  After 0, the slots hold the functions for good. */
int dynlib_lazy_load(struct dynlib_lazy *l, char *err, size_t cap);

#endif
