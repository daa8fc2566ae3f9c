/* libqrencode on first use (qr_lib.h). */
#include "kiosk/base/qr_lib.h"

#include <stddef.h>

#include "kiosk/base/dynlib.h"

static struct {
	__typeof__(&QRcode_encodeString) encode_string;
	__typeof__(&QRcode_encodeData) encode_data;
	__typeof__(&QRcode_free) free;
} fn;
static const struct dynlib_fn fns[] = {
	{ "QRcode_encodeString", &fn.encode_string },
	{ "QRcode_encodeData", &fn.encode_data },
	{ "QRcode_free", &fn.free },
};
static struct dynlib_lazy so = DYNLIB_LAZY("libqrencode.so.4", fns, "qr");

QRcode *qr_encode_string(const char *s, int version, QRecLevel level, QRencodeMode hint, int casesensitive)
{
	return dynlib_lazy_load(&so, NULL, 0) == 0 ? fn.encode_string(s, version, level, hint, casesensitive) : NULL;
}

QRcode *qr_encode_data(int size, const unsigned char *data, int version, QRecLevel level)
{
	return dynlib_lazy_load(&so, NULL, 0) == 0 ? fn.encode_data(size, data, version, level) : NULL;
}

void qr_free(QRcode *q)
{
	/* A code exists only if the library was loaded to make it. */
	if (q)
		fn.free(q);
}
