#ifndef OFFLINE_CURL_LIB_H
#define OFFLINE_CURL_LIB_H
/* libcurl, loaded the first time the billing-center client is made, not when the kiosk
 * starts: libcurl brings about 24 libraries (TLS, Kerberos, LDAP, SSH, ...) whose loading
 * took 11 ms of a 37 ms bare SDL start, ahead of the first frame.
 *
 * Promises:
 *  - curl_lib() loads libcurl.so.4, finds every function below and runs
 *    curl_global_init(CURL_GLOBAL_DEFAULT), once per process, from any thread;
 *  - when the library or a function is missing it returns NULL and says which in err, every
 *    time it is asked (nothing half-loaded is ever handed out);
 *  - the library stays loaded until the process ends.
 * The members are libcurl's functions of the same names (curl_easy_setopt is easy_setopt):
 * the option values go through `...` as libcurl documents them (long, pointer, curl_off_t). */
#include <stddef.h>

#include <curl/curl.h>

struct curl_lib {
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *h);
	void (*easy_reset)(CURL *h);
	CURLcode (*easy_setopt)(CURL *h, CURLoption opt, ...);
	CURLcode (*easy_perform)(CURL *h);
	CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
	CURLHcode (*easy_header)(CURL *h, const char *name, size_t index, unsigned int origin,
				 int request, struct curl_header **hout);
	char *(*easy_escape)(CURL *h, const char *s, int len);
	void (*free)(void *p);
	struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
	void (*slist_free_all)(struct curl_slist *l);
};

const struct curl_lib *curl_lib(char *err, size_t cap);

/* Call once at the start of main, before any thread: libcurl's LDAP and RTMP libraries
 * bring GnuTLS, which initialises itself when loaded (its priority file, its crypto
 * backend, p11-kit): 1 MB of resident pages after 300 sessions that nothing uses, since the
 * kiosk speaks TLS through OpenSSL.  GnuTLS's documented GNUTLS_NO_IMPLICIT_INIT=1 leaves
 * that to a program that calls gnutls_global_init itself (libcurl's GnuTLS build does).
 * It sets an environment variable, which is why it must come before the threads. */
void curl_lib_before_threads(void);

#endif
