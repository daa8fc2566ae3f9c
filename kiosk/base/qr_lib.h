#ifndef KIOSK_QR_LIB_H
#define KIOSK_QR_LIB_H
/* libqrencode, loaded the first time a QR code is made (the ui's, the image printer's)
 * instead of at exec, where it cost ~0.6 ms of a 40 ms bare SDL start, ahead of a first
 * frame that shows none.
 *
 * Promises: qr_encode_string, qr_encode_data and qr_free are libqrencode's
 * QRcode_encodeString, QRcode_encodeData and QRcode_free, the library loaded by the first
 * call (kiosk/base/dynlib.h); when it cannot be loaded the encoders return NULL, as for a
 * text they cannot encode, and say why in the log once.  qr_free(NULL) does nothing. */
#include <qrencode.h>

QRcode *qr_encode_string(const char *s, int version, QRecLevel level, QRencodeMode hint, int casesensitive);
QRcode *qr_encode_data(int size, const unsigned char *data, int version, QRecLevel level);
void qr_free(QRcode *q);

#endif
