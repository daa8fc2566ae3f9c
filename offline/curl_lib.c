/* libcurl on first use (curl_lib.h): its functions through dynlib, then its global init. */
#include "offline/curl_lib.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "kiosk/base/dynlib.h"
#include "kiosk/base/log.h"

static struct curl_lib lib;
static CURLcode (*global_init)(long flags);
static const struct dynlib_fn fns[] = {
	{ "curl_global_init", &global_init }, { "curl_easy_init", &lib.easy_init },
	{ "curl_easy_cleanup", &lib.easy_cleanup }, { "curl_easy_reset", &lib.easy_reset },
	{ "curl_easy_setopt", &lib.easy_setopt }, { "curl_easy_perform", &lib.easy_perform },
	{ "curl_easy_getinfo", &lib.easy_getinfo }, { "curl_easy_header", &lib.easy_header },
	{ "curl_easy_escape", &lib.easy_escape }, { "curl_free", &lib.free },
	{ "curl_slist_append", &lib.slist_append }, { "curl_slist_free_all", &lib.slist_free_all },
};
static struct dynlib_lazy so = DYNLIB_LAZY("libcurl.so.4", fns, "center");
static pthread_once_t once = PTHREAD_ONCE_INIT;
static bool inited;

static void init(void)
{
	inited = global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
	if (!inited)
		log_error("center", "curl_init_failed", "call=%s", "curl_global_init");
}

const struct curl_lib *curl_lib(char *err, size_t cap)
{
	if (dynlib_lazy_load(&so, err, cap) != 0)
		return NULL;
	pthread_once(&once, init);
	if (!inited) {
		if (err && cap)
			snprintf(err, cap, "curl_global_init failed");
		return NULL;
	}
	return &lib;
}

void curl_lib_before_threads(void)
{
	setenv("GNUTLS_NO_IMPLICIT_INIT", "1", 0);
}
