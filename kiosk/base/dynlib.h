#ifndef KIOSK_DYNLIB_H
#define KIOSK_DYNLIB_H
/* A shared library loaded when first needed rather than at exec (offline/curl_lib.h,
 * offline/crypto_lib.h): the libraries a program does not need before its first frame are
 * not in its dynamic section, so the loader does not map and relocate them at start.
 *
 * Promises: dynlib_open loads SONAME (RTLD_NOW | RTLD_LOCAL) and stores the address of each
 * named function in its slot, all or nothing: on any failure it returns NULL with why
 * ("cannot load S: ..." or "S has no F") in err and no slot written.  What it loaded stays
 * loaded until the process ends. */
#include <stddef.h>

struct dynlib_fn {
	const char *name;
	void *slot; /* the address of a function pointer */
};

void *dynlib_open(const char *soname, const struct dynlib_fn *fns, size_t n, char *err, size_t cap);

#endif
