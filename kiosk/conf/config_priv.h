#ifndef KIOSK_CONFIG_PRIV_H
#define KIOSK_CONFIG_PRIV_H
/* Private to config.c and config_print.c: the shape of the one key table. */
#include <stddef.h>

#include "kiosk/conf/config.h"

enum ktype { K_STR, K_INT, K_BOOL, K_MONEY, K_ALLOW, K_ENUM };

struct key {
	const char *name;     /* section.key */
	enum ktype type;
	size_t off;
	size_t size;          /* K_STR: capacity */
	const char *def;
	long min, max;        /* K_INT bounds */
	const char *choices;  /* K_ENUM: "a|b|c"; K_INT: the only values allowed, if set */
	const char *doc;
	/* K_STR: a rule beyond the length; 0, or -1 with msg */
	int (*check)(const struct key *k, const char *v, char *msg, size_t mcap);
};

/* The table (config.c) and its length. */
const struct key *config_key_table(size_t *ret_n);

#endif
