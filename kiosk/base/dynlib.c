/* Libraries loaded on first use (dynlib.h). */
#include "kiosk/base/dynlib.h"

#include <dlfcn.h>
#include <stdio.h>

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
