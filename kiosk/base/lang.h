#ifndef KIOSK_LANG_H
#define KIOSK_LANG_H
/* The languages the kiosk speaks, Russian first. */
enum lang { LANG_RU, LANG_EN, LANG_COUNT };
#endif
