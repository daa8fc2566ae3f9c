#ifndef UI_STRINGS_H
#define UI_STRINGS_H
/* User-visible strings by key, per language, from assets/strings/LANG.strings
 * (`key = value`, `\n` for a line break, `#` comments).  Nothing user-visible is hard-coded
 * in C.  A missing key returns "⟦key⟧" (never a blank) and is counted, so tests and the
 * script interface can fail on it. */
#include <stdbool.h>

#include "kiosk/base/lang.h"

struct strings;

/* Loads every language from DIR; NULL with err ("file:line: …") on a bad file. */
struct strings *strings_load(const char *dir, char *err, int errcap);
void strings_free(struct strings *s);
const char *strings_get(struct strings *s, enum lang l, const char *key);
bool strings_has(const struct strings *s, enum lang l, const char *key);
int strings_missing(const struct strings *s); /* lookups of absent keys so far */
int strings_count(const struct strings *s, enum lang l);
/* The i-th key of a language (sorted), for completeness checks. */
const char *strings_key(const struct strings *s, enum lang l, int i);
const char *lang_code(enum lang l);   /* "ru", "en" */
int lang_parse(const char *code);     /* -1 when unknown */

#endif
