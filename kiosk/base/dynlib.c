/* Libraries loaded on first use (dynlib.h). */
#include "kiosk/base/dynlib.h"

#include <dlfcn.h>
#include <stdio.h>

#include "kiosk/base/log.h"

void *dynlib_open(const char *soname, const struct dynlib_fn *fns, size_t n, char *err, size_t cap)
{
	void *so = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!so) {
		const char *e = dlerror();
		snprintf(err, cap, "cannot load %s: %s", soname, e ? e : "?");
		return NULL;
	}
	void *found[64];
	if (n > sizeof found / sizeof found[0]) {
		snprintf(err, cap, "%s: %zu functions asked, at most 64", soname, n);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		found[i] = dlsym(so, fns[i].name);
		if (!found[i]) {
			snprintf(err, cap, "%s has no %s", soname, fns[i].name);
			return NULL; /* left loaded: another of its users may be in the process */
		}
	}
	/* POSIX lets a function pointer be written through a void * of the same size. */
	for (size_t i = 0; i < n; i++)
		*(void **)fns[i].slot = found[i];
	return so;
}

int dynlib_lazy_load(struct dynlib_lazy *l, char *err, size_t cap)
{
	int state = atomic_load_explicit(&l->state, memory_order_acquire);
	if (state == 0) {
		pthread_mutex_lock(&l->mu);
		state = atomic_load_explicit(&l->state, memory_order_relaxed);
		if (state == 0) {
			state = dynlib_open(l->soname, l->fns, l->n, l->why, sizeof l->why) ? 1 : -1;
			if (state < 0)
				log_error(l->log_mod, "library_missing", "why=\"%s\"", l->why);
			atomic_store_explicit(&l->state, state, memory_order_release);
		}
		pthread_mutex_unlock(&l->mu);
	}
	if (state < 0 && err && cap)
		snprintf(err, cap, "%s", l->why);
	return state > 0 ? 0 : -1;
}
