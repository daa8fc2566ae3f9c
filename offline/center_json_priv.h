#ifndef OFFLINE_CENTER_JSON_PRIV_H
#define OFFLINE_CENTER_JSON_PRIV_H
/* Internal to center_json*.c: strict field readers (0 or CJSON_EBAD with "field: why" in
 * err; an absent or null optional field keeps the default already in dst) and writers. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define CJSON_B64_CAP(n) (4 * (((n) + 2) / 3) + 1)
#define MS_MAX ((int64_t)1 << 53)   /* times: ms since the epoch, safe in any JSON reader */
#define SEQ_MAX ((int64_t)1 << 53)

int cjson_fail(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Parses one JSON object (duplicate keys, NUL in strings, > CJSON_MAX_INPUT refused). */
json_t *cjson_load(const char *s, size_t len, char *err);
/* Compact, in insertion order; consumes o; the result is xmalloc'd. */
char *cjson_dump(json_t *o);
int cjson_get_str(json_t *o, const char *k, char *dst, size_t cap, bool req, char *err);
int cjson_get_int(json_t *o, const char *k, int64_t *dst, int64_t min, int64_t max, bool req,
		  char *err);
int cjson_get_i(json_t *o, const char *k, int *dst, int min, int max, bool req, char *err);
int cjson_get_bool(json_t *o, const char *k, bool *dst, bool req, char *err);
/* Exactly n bytes of base64. */
int cjson_get_b64(json_t *o, const char *k, uint8_t *dst, size_t n, char *err);
json_t *cjson_b64(const uint8_t *p, size_t n);
/* An array of at most max entries, or NULL (with err set when present but wrong, or absent
 * and required). */
json_t *cjson_arr(json_t *o, const char *k, size_t max, bool req, char *err);

#endif
