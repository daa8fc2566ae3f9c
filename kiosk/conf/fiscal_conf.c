#include "kiosk/conf/fiscal_conf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/base/digits.h"
#include "kiosk/bill/epd.h"

struct name_bits {
	const char *name;
	uint8_t bits;
};

static const struct name_bits tax_systems[] = {
	{ "osn", 0x01 }, { "usn_income", 0x02 }, { "usn_income_expense", 0x04 },
	{ "envd", 0x08 }, { "eshn", 0x10 }, { "psn", 0x20 },
};
/* FF46's tax byte is a bitmask, not the 1199 code; the last six are newer firmware's. */
static const struct name_bits vats[] = {
	{ "20", 0x01 }, { "10", 0x02 }, { "0", 0x04 }, { "none", 0x08 }, { "20_120", 0x10 },
	{ "10_110", 0x20 }, { "5", 0x81 }, { "7", 0x82 }, { "5_105", 0x84 }, { "7_107", 0x88 },
	{ "22", 0xCB }, { "22_122", 0xCC },
};
static const struct name_bits agents[] = {
	{ "bpa", 0x01 }, { "bpa_sub", 0x02 }, { "pa", 0x04 }, { "pa_sub", 0x08 },
};

static int lookup(const struct name_bits *t, size_t n, const char *name, uint8_t *ret)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0) {
			*ret = t[i].bits;
			return 0;
		}
	return -1;
}

bool fiscal_phone_ok(const char *s)
{
	return s[0] == '+' && digits_only(s + 1, 1, 18);
}

__attribute__((format(printf, 5, 6)))
static int bad(const char **ret_key, const char *key, char *msg, int mcap, const char *fmt, ...)
{
	va_list ap;
	*ret_key = key;
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)mcap, fmt, ap);
	va_end(ap);
	return -1;
}

/* Copies the next ';'-separated field of *p into out (cap); false when it does not fit. */
static bool next_field(const char **p, char *out, size_t cap)
{
	const char *e = strchr(*p, ';');
	size_t n = e ? (size_t)(e - *p) : strlen(*p);
	if (n >= cap)
		return false;
	memcpy(out, *p, n);
	out[n] = '\0';
	*p += n + (e ? 1 : 0);
	return true;
}

static int parse_bank(const struct config *c, struct fiscal_conf *fc, const char **k, char *msg,
		      int mcap)
{
	const char *key = "fiscal.bank_operator", *p = c->fiscal_bank_operator;
	int semis = 0;
	for (const char *q = p; *q; q++)
		semis += *q == ';';
	if (semis != 4 || !next_field(&p, fc->bank_name, sizeof fc->bank_name) ||
	    !next_field(&p, fc->bank_address, sizeof fc->bank_address) ||
	    !next_field(&p, fc->bank_inn, sizeof fc->bank_inn) ||
	    !next_field(&p, fc->bank_phone, sizeof fc->bank_phone) ||
	    !next_field(&p, fc->bank_operation, sizeof fc->bank_operation) || *p)
		return bad(k, key, msg, mcap, "%s: expected name;address;INN;phone;operation", key);
	if (!fc->bank_name[0] || !fc->bank_address[0] || !fc->bank_operation[0])
		return bad(k, key, msg, mcap, "%s: name, address and operation are required", key);
	if (!epd_inn_ok(fc->bank_inn))
		return bad(k, key, msg, mcap, "%s: INN '%s' is not valid", key, fc->bank_inn);
	if (!fiscal_phone_ok(fc->bank_phone))
		return bad(k, key, msg, mcap, "%s: phone '%s' is not +digits", key, fc->bank_phone);
	return 0;
}

static int parse_suppliers(const struct config *c, struct fiscal_conf *fc, const char **k,
			   char *msg, int mcap)
{
	const char *key = "fiscal.supplier_phones", *p = c->fiscal_supplier_phones;
	char item[64];
	while (*p) {
		if (!next_field(&p, item, sizeof item))
			return bad(k, key, msg, mcap, "%s: an entry is too long", key);
		char *eq = strchr(item, '=');
		if (!eq)
			return bad(k, key, msg, mcap, "%s: '%s' is not INN=+phone", key, item);
		*eq = '\0';
		if (strlen(item) > 12 || !epd_inn_ok(item) || !fiscal_phone_ok(eq + 1))
			return bad(k, key, msg, mcap, "%s: '%s=%s' needs a valid INN and a +digits phone",
				   key, item, eq + 1);
		if (fiscal_conf_supplier_phone(fc, item))
			return bad(k, key, msg, mcap, "%s: INN %s given twice", key, item);
		if (fc->nsuppliers == FISCAL_MAX_SUPPLIERS)
			return bad(k, key, msg, mcap, "%s: more than %d suppliers", key,
				   FISCAL_MAX_SUPPLIERS);
		struct fiscal_supplier_phone *s = &fc->suppliers[fc->nsuppliers++];
		memcpy(s->inn, item, strlen(item) + 1);
		memcpy(s->phone, eq + 1, strlen(eq + 1) + 1); /* fiscal_phone_ok: <= 19 */
	}
	return 0;
}

/* What only matters once a register is configured: a receipt must be possible.  A rule
 * broken by a key left at its default blames a key the file did set (fiscal.device), so
 * that the error names a real line. */
static int check_enabled(const struct config *c, struct fiscal_conf *fc, const char **k,
			 char *msg, int mcap)
{
	if (lookup(tax_systems, sizeof tax_systems / sizeof tax_systems[0], c->fiscal_tax_system,
		   &fc->tax_system))
		return bad(k, "fiscal.device", msg, mcap,
			   "fiscal.tax_system '%s' must be one of osn|usn_income|usn_income_expense|"
			   "envd|eshn|psn with fiscal.device = shtrih", c->fiscal_tax_system);
	if (fc->bank_agent && !c->fiscal_bank_operator[0])
		return bad(k, "fiscal.agent_type", msg, mcap,
			   "fiscal.agent_type %s needs fiscal.bank_operator", c->fiscal_agent_type);
	if (!fc->bank_agent && !fc->operator_phone[0])
		return bad(k, "fiscal.device", msg, mcap,
			   "fiscal.agent_type %s needs fiscal.operator_phone (1074)", c->fiscal_agent_type);
	for (int i = 0; i < c->nallow; i++)
		if (!fiscal_conf_supplier_phone(fc, c->allow[i].inn))
			return bad(k, c->fiscal_supplier_phones[0] ? "fiscal.supplier_phones" :
				   "fiscal.device", msg, mcap,
				   "fiscal.supplier_phones has no phone (1171) for payee %s",
				   c->allow[i].inn);
	return 0;
}

int fiscal_conf_from_config(const struct config *c, struct fiscal_conf *ret, const char **ret_key,
			    char *msg, int mcap)
{
	struct fiscal_conf fc;
	memset(&fc, 0, sizeof fc);
	fc.enabled = strcmp(c->fiscal_device, "shtrih") == 0;
	fc.password = (uint32_t)c->fiscal_password;
	fc.method = (uint8_t)c->fiscal_payment_method;
	fc.object = (uint8_t)c->fiscal_payment_object;
	fc.tag_1057 = c->fiscal_tag_1057;
	fc.tags_before_item = strcmp(c->fiscal_item_tags, "before") == 0;
	if (c->fiscal_tax_system[0] &&
	    lookup(tax_systems, sizeof tax_systems / sizeof tax_systems[0], c->fiscal_tax_system,
		   &fc.tax_system))
		return bad(ret_key, "fiscal.tax_system", msg, mcap, "fiscal.tax_system '%s' is not "
			   "osn|usn_income|usn_income_expense|envd|eshn|psn", c->fiscal_tax_system);
	if (lookup(vats, sizeof vats / sizeof vats[0], c->fiscal_vat, &fc.vat) ||
	    lookup(agents, sizeof agents / sizeof agents[0], c->fiscal_agent_type, &fc.agent))
		return bad(ret_key, "fiscal.vat", msg, mcap, "fiscal.vat or fiscal.agent_type unknown");
	fc.bank_agent = fc.agent <= 0x02;
	if (!fiscal_phone_ok(c->fiscal_agent_phone))
		return bad(ret_key, "fiscal.agent_phone", msg, mcap,
			   "fiscal.agent_phone '%s' is not +digits (1073)", c->fiscal_agent_phone);
	snprintf(fc.agent_phone, sizeof fc.agent_phone, "%s", c->fiscal_agent_phone);
	if (c->fiscal_operator_phone[0] && !fiscal_phone_ok(c->fiscal_operator_phone))
		return bad(ret_key, "fiscal.operator_phone", msg, mcap,
			   "fiscal.operator_phone '%s' is not +digits (1074)", c->fiscal_operator_phone);
	snprintf(fc.operator_phone, sizeof fc.operator_phone, "%s", c->fiscal_operator_phone);
	if (c->fiscal_bank_operator[0] && parse_bank(c, &fc, ret_key, msg, mcap))
		return -1;
	if (parse_suppliers(c, &fc, ret_key, msg, mcap))
		return -1;
	if (c->fiscal_unsent_alarm_days > c->fiscal_unsent_stop_days)
		return bad(ret_key, c->fiscal_unsent_alarm_days != 3 ? "fiscal.unsent_alarm_days" :
			   "fiscal.unsent_stop_days", msg, mcap,
			   "fiscal.unsent_alarm_days (%d) is after fiscal.unsent_stop_days (%d)",
			   c->fiscal_unsent_alarm_days, c->fiscal_unsent_stop_days);
	if (fc.enabled && check_enabled(c, &fc, ret_key, msg, mcap))
		return -1;
	*ret = fc;
	return 0;
}

const char *fiscal_conf_supplier_phone(const struct fiscal_conf *fc, const char *inn)
{
	for (int i = 0; i < fc->nsuppliers; i++)
		if (strcmp(fc->suppliers[i].inn, inn) == 0)
			return fc->suppliers[i].phone;
	return NULL;
}
