/* libcurl on first use (curl_lib.h): its functions through dynlib, then its global init. */
#include "offline/curl_lib.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "kiosk/base/dynlib.h"
#include "kiosk/base/log.h"

#define CURL_SONAME "libcurl.so.4"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct curl_lib lib;
static const struct curl_lib *loaded;
static char why[256];

static void load(void)
{
	CURLcode (*global_init)(long flags) = NULL;
	const struct dynlib_fn fns[] = {
		{ "curl_global_init", &global_init }, { "curl_easy_init", &lib.easy_init },
		{ "curl_easy_cleanup", &lib.easy_cleanup }, { "curl_easy_reset", &lib.easy_reset },
		{ "curl_easy_setopt", &lib.easy_setopt }, { "curl_easy_perform", &lib.easy_perform },
		{ "curl_easy_getinfo", &lib.easy_getinfo }, { "curl_easy_header", &lib.easy_header },
		{ "curl_easy_escape", &lib.easy_escape }, { "curl_free", &lib.free },
		{ "curl_slist_append", &lib.slist_append }, { "curl_slist_free_all", &lib.slist_free_all },
	};
	if (!dynlib_open(CURL_SONAME, fns, sizeof fns / sizeof fns[0], why, sizeof why)) {
		log_error("center", "curl_missing", "why=\"%s\"", why);
		return;
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
