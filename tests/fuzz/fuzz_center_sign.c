/* libFuzzer target: the Kiosk-Signature header parser the center runs on every request, and
 * the base64/hex decoders behind it.  A header that parses must re-serialise to one that
 * parses to the same fields. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "offline/center_sign.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	struct csign_header h, h2;
	if (csign_parse(s, &h) == 0) {
		char sig[64], again[CSIGN_HEADER_MAX + 1];
		csign_b64(h.sig, 32, sig, sizeof sig);
		snprintf(again, sizeof again, "kid=%s,t=%lld,n=%s,sig=%s", h.kid, (long long)h.t, h.nonce_hex, sig);
		if (csign_parse(again, &h2) != 0 || memcmp(&h, &h2, sizeof h) != 0)
			abort();
		uint8_t key[32] = { 0 };
		(void)csign_check_sig(key, &h, "POST", "/v1/x", "K0001", data, size);
		(void)csign_check_time(h.t, 1795600000);
	}
	uint8_t out[256];
	int n = csign_unb64(s, out, sizeof out);
	if (n > (int)sizeof out)
		abort();
	(void)csign_unhex(s, out, size / 2 < sizeof out ? size / 2 : sizeof out);
	free(s);
	return 0;
}
