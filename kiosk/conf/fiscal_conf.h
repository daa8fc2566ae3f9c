#ifndef KIOSK_FISCAL_CONF_H
#define KIOSK_FISCAL_CONF_H
/* The [fiscal] configuration turned into what the register's commands carry: the tax
 * system bit (1055), the item VAT bitmask (1199), the agent bit (1057/1222), the agent's
 * data (1223), the suppliers' phones (1171).  One function both validates (config.c calls
 * it once the file is read, so a bad value stops the kiosk with the key's line) and
 * converts.  Pure. */
#include <stdbool.h>
#include <stdint.h>

#include "kiosk/conf/config.h"

#define FISCAL_MAX_SUPPLIERS 16

struct fiscal_supplier_phone {
	char inn[13];
	char phone[20];
};

struct fiscal_conf {
	bool enabled;                 /* fiscal.device = shtrih */
	uint32_t password;
	uint8_t tax_system;           /* 1055: one bit */
	uint8_t vat;                  /* FF46 tax bitmask */
	uint8_t method, object;       /* 1214, 1212 */
	bool tag_1057;
	bool tags_before_item;
	uint8_t agent;                /* 1057 / 1222: one bit */
	bool bank_agent;              /* 1223 carries the bank-agent set */
	char agent_phone[20];         /* 1073 */
	char operator_phone[20];      /* 1074 */
	char bank_name[257];          /* 1026 */
	char bank_address[257];       /* 1005 */
	char bank_inn[13];            /* 1016 */
	char bank_phone[20];          /* 1075 */
	char bank_operation[65];      /* 1044 */
	int nsuppliers;
	struct fiscal_supplier_phone suppliers[FISCAL_MAX_SUPPLIERS];
};

/* Fills *ret from c.  With fiscal.device = none only the keys' syntax is checked and
 * ret->enabled is false.  On a bad value returns -1, *ret_key names the key at fault (a key
 * of the table, and one whose value is not its default, so that a file names its line)
 * and msg says what is wrong. */
int fiscal_conf_from_config(const struct config *c, struct fiscal_conf *ret, const char **ret_key,
			    char *msg, int mcap);
/* The phone for supplier INN (1171), or NULL. */
const char *fiscal_conf_supplier_phone(const struct fiscal_conf *fc, const char *inn);
/* "+" and 1..18 digits: the form 1073/1074/1075/1171 take. */
bool fiscal_phone_ok(const char *s);

#endif
