/* The key table printed: docs/config.md's table and the configuration as loaded. */
#include <stdbool.h>
#include <stdio.h>

#include "kiosk/conf/config.h"
#include "kiosk/conf/config_priv.h"
#include "kiosk/base/money.h"

void config_print_doc(void *file)
{
	FILE *f = file;
	size_t n;
	const struct key *keys = config_key_table(&n);
	fprintf(f, "| key | default | meaning |\n|---|---|---|\n");
	for (size_t i = 0; i < n; i++) {
		const struct key *k = &keys[i];
		fprintf(f, "| `%s` | %s%s%s | %s", k->name, k->def[0] ? "`" : "", k->def[0] ? k->def : "(none)",
			k->def[0] ? "`" : "", k->doc);
		if (k->type == K_ENUM)
			fprintf(f, " One of `%s`.", k->choices);
		if (k->type == K_INT && k->choices)
			fprintf(f, " One of `%s`.", k->choices);
		else if (k->type == K_INT)
			fprintf(f, " %ld…%ld.", k->min, k->max);
		fprintf(f, " |\n");
	}
}

void config_print(const struct config *c, void *file)
{
	FILE *f = file;
	size_t n;
	const struct key *keys = config_key_table(&n);
	for (size_t i = 0; i < n; i++) {
		const struct key *k = &keys[i];
		const char *p = (const char *)c + k->off;
		char money[MONEY_FMT_MAX];
		switch (k->type) {
		case K_STR: case K_ENUM: fprintf(f, "%s = %s\n", k->name, p); break;
		case K_INT: fprintf(f, "%s = %d\n", k->name, *(const int *)p); break;
		case K_BOOL: fprintf(f, "%s = %s\n", k->name, *(const bool *)p ? "true" : "false"); break;
		case K_MONEY: fprintf(f, "%s = %s\n", k->name, money_format(*(const kopecks *)p, false, money, sizeof money)); break;
		case K_ALLOW:
			for (int j = 0; j < c->nallow; j++)
				fprintf(f, "%s = %s/%s/%s\n", k->name, c->allow[j].inn, c->allow[j].account, c->allow[j].bic);
			break;
		}
	}
}
