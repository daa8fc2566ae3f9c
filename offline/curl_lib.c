/* libcurl on first use (curl_lib.h): dlopen, dlsym for each function, global init. */
#include "offline/curl_lib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "kiosk/base/log.h"

#define CURL_SONAME "libcurl.so.4"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct curl_lib lib;
static const struct curl_lib *loaded;
static char why[256];

/* POSIX lets a function pointer be written through a void * of the same size. */
static int find(void *so, const char *name, void *fn_slot)
{
	void *sym = dlsym(so, name);
	if (!sym) {
		snprintf(why, sizeof why, "%s has no %s", CURL_SONAME, name);
		return -1;
	}
	*(void **)fn_slot = sym;
	return 0;
}

static void load(void)
{
	void *so = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!so) {
		const char *e = dlerror();
		snprintf(why, sizeof why, "cannot load %s: %s", CURL_SONAME, e ? e : "?");
		log_error("center", "curl_missing", "why=\"%s\"", why);
		return;
	}
	CURLcode (*global_init)(long flags) = NULL;
	if (find(so, "curl_global_init", &global_init) || find(so, "curl_easy_init", &lib.easy_init) ||
	    find(so, "curl_easy_cleanup", &lib.easy_cleanup) || find(so, "curl_easy_reset", &lib.easy_reset) ||
	    find(so, "curl_easy_setopt", &lib.easy_setopt) || find(so, "curl_easy_perform", &lib.easy_perform) ||
	    find(so, "curl_easy_getinfo", &lib.easy_getinfo) || find(so, "curl_easy_header", &lib.easy_header) ||
	    find(so, "curl_easy_escape", &lib.easy_escape) || find(so, "curl_free", &lib.free) ||
	    find(so, "curl_slist_append", &lib.slist_append) ||
	    find(so, "curl_slist_free_all", &lib.slist_free_all)) {
		log_error("center", "curl_missing", "why=\"%s\"", why);
		return; /* left loaded: another of its users may be in the process */
	}
	if (global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(why, sizeof why, "curl_global_init failed");
		log_error("center", "curl_missing", "why=\"%s\"", why);
		return;
	}
	loaded = &lib;
}

const struct curl_lib *curl_lib(char *err, size_t cap)
{
	pthread_once(&once, load);
	if (!loaded && err && cap)
		snprintf(err, cap, "%s", why);
	return loaded;
}

void curl_lib_before_threads(void)
{
	setenv("GNUTLS_NO_IMPLICIT_INIT", "1", 0);
}
