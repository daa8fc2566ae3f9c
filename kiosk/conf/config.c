#include "kiosk/conf/config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/digits.h"
#include "kiosk/conf/config_priv.h"
#include "kiosk/bill/epd.h"
#include "kiosk/conf/fiscal_conf.h"

#define SC(n, f, d, chk, doc) { n, K_STR, offsetof(struct config, f), sizeof(((struct config *)0)->f), d, 0, 0, NULL, doc, chk }
#define S(n, f, d, doc) SC(n, f, d, NULL, doc)
#define E(n, f, d, ch, doc) { n, K_ENUM, offsetof(struct config, f), sizeof(((struct config *)0)->f), d, 0, 0, ch, doc, NULL }
#define I(n, f, d, lo, hi, doc) { n, K_INT, offsetof(struct config, f), 0, d, lo, hi, NULL, doc, NULL }
#define IC(n, f, d, ch, doc) { n, K_INT, offsetof(struct config, f), 0, d, INT_MIN, INT_MAX, ch, doc, NULL }
#define B(n, f, d, doc) { n, K_BOOL, offsetof(struct config, f), 0, d, 0, 0, NULL, doc, NULL }
#define M(n, f, d, doc) { n, K_MONEY, offsetof(struct config, f), 0, d, 0, 0, NULL, doc, NULL }

static int check_url(const struct key *k, const char *v, char *msg, size_t mcap);
static int check_pins(const struct key *k, const char *v, char *msg, size_t mcap);
static int check_hex(const struct key *k, const char *v, char *msg, size_t mcap);
static int check_inn(const struct key *k, const char *v, char *msg, size_t mcap);

static const struct key keys[] = {
	S("kiosk.id", kiosk_id, "K0001", "This terminal's id, printed on receipts."),
	S("kiosk.org_name", org_name, "ООО «МосОблЕИРЦ»", "Organisation shown on the attract screen."),
	S("kiosk.address", address, "г. Подольск, ул. Кирова, д. 1", "Where the terminal stands (receipts)."),
	S("kiosk.store", store_path, "/var/lib/kiosk/kiosk.db", "SQLite store (created 0600)."),
	S("kiosk.log_file", log_file, "/var/log/kiosk/kiosk.log", "Log file (key=value lines); empty: stderr only."),
	E("kiosk.log_level", log_level, "info", "debug|info|warn|error", "Lowest level written."),
	B("kiosk.syslog", log_syslog, "true", "Also log to syslog."),
	S("kiosk.assets", assets_dir, "/usr/local/share/kiosk", "Fonts, strings, themes."),
	E("kiosk.lang", lang, "ru", "ru|en", "Language the attract screen starts in."),
	S("kiosk.timezone", timezone, "Europe/Moscow", "Time zone the kiosk shows and counts days in (tzdata name)."),
	I("screen.width", width, "1080", 320, 7680, "Window width in pixels (1080×1920 portrait by default)."),
	I("screen.height", height, "1920", 240, 7680, "Window height in pixels."),
	B("screen.fullscreen", fullscreen, "true", "Fullscreen with the cursor hidden (`--windowed` overrides)."),
	E("screen.theme", theme, "default", "default|high-contrast", "Theme file in assets/themes."),
	I("screen.inactivity_s", inactivity_s, "60", 10, 3600, "Idle seconds before \"Вы ещё здесь?\"."),
	I("screen.prompt_s", prompt_s, "20", 5, 600, "How long that prompt waits before the attract screen."),
	S("payee.agent_name", agent_name, "ООО «МосОблЕИРЦ»", "Payment agent (103-ФЗ art. 4)."),
	SC("payee.agent_inn", agent_inn, "5037008735", check_inn, "Agent's INN (10 or 12 digits, check digits verified)."),
	S("payee.agent_address", agent_address, "142100, Московская обл., г. Подольск, ул. Кирова, д. 1", "Agent's address."),
	S("payee.agent_phone", agent_phone, "8-800-555-07-69", "Agent's phone for complaints."),
	S("payee.contact_phone", contact_phone, "8-800-555-07-69", "Contact center phone (help screen)."),
	S("payee.office_hours", office_hours, "пн–пт 8:00–20:00, сб 9:00–15:00", "Office hours (help screen)."),
	S("payee.office_hours_en", office_hours_en, "Mon–Fri 8:00–20:00, Sat 9:00–15:00", "Office hours in English."),
	S("payee.office_address", office_address, "г. Подольск, ул. Кирова, д. 1, окна 1–4",
	  "Where residents pay at the office's windows (out-of-service screen)."),
	S("payee.office_address_en", office_address_en, "1 Kirova St., Podolsk, windows 1–4", "The office's address in English."),
	{ "payee.allow", K_ALLOW, 0, 0, "", 0, 0, NULL,
	  "Allow-listed payee `INN/Account/BIC` (INN check digits and the account's key digit against the BIC "
	  "verified); repeat the key for more (up to 8).", NULL },
	M("payment.max_amount", max_amount, "500000.00", "Largest amount a resident may pay, rubles."),
	I("payment.min_free_mb", min_free_mb, "16", 1, 1048576,
	  "Free space the store's disk must have before a card is armed (MB); below it card payments are refused with that reason."),
	I("payment.control_attempts", control_attempts, "3", 1, 10,
	  "Wrong answers to the control question (the accrued sum a typed account asks for) before typing that account is locked on this kiosk."),
	I("payment.control_lock_min", control_lock_min, "15", 1, 1440,
	  "Minutes that lock lasts (the billing center's own lock, when it names its length, wins); scanning the bill works meanwhile."),
	I("payment.crediting_days", crediting_days, "3", 1, 30,
	  "Working days within which a payment reaches the suppliers (the confirmation screen says it)."),
	I("readings.from_day", readings_from_day, "15", 1, 31, "First day of the month readings are accepted."),
	I("readings.to_day", readings_to_day, "25", 1, 31, "Last day of the month readings are accepted."),
	S("pinpad.control", pinpad_control, "", "Simulator control address (tests): host:port; empty in production."),
	E("pinpad.protocol", pinpad_protocol, "kpp1", "kpp1|vtk",
	  "The PIN-pad's protocol: kpp1 (KPP/1) or vtk (a Vendotek terminal, VTK; TCP port 62801 or a serial line)."),
	E("pinpad.transport", pinpad_transport, "tcp", "tcp|tty|usb|none", "How the PIN-pad is reached."),
	S("pinpad.address", pinpad_address, "127.0.0.1:7001", "host:port, /dev/ttyACM0 or VID:PID."),
	I("pinpad.timeout_s", pinpad_timeout_s, "60", 10, 300, "Card presentation timeout (SALE TIMEOUT_S)."),
	I("pinpad.confirm_timeout_s", pinpad_confirm_timeout_s, "300", 10, 3600, "CONFIRM_TIMEOUT_S of a SALE."),
	E("printer.transport", printer_transport, "file", "file|usb|tty|tcp|kkt|none", "How the receipt printer is reached (kkt: as text on the fiscal register)."),
	S("printer.address", printer_address, "/var/lib/kiosk/receipts", "Directory (file), VID:PID, /dev/... or host:port."),
	IC("printer.width_mm", printer_width_mm, "80", "58|80", "Paper width in millimetres."),
	I("printer.codepage", printer_codepage, "17", 0, 255, "ESC t code page number for CP866."),
	E("scanner.transport", scanner_transport, "none", "hidpos|tty|wedge|none", "How the barcode scanner is reached."),
	S("scanner.address", scanner_address, "", "VID:PID or /dev/ttyACM1."),
	SC("scanner.suffix", scanner_suffix, "", check_hex,
	   "Suffix bytes the scanner appends, hex: an even number of hex digits (e.g. 0d0a)."),
	SC("center.url", center_url, "", check_url, "Billing center base URL `https://host[:port][/path]`; empty: offline only."),
	S("center.ca", center_ca, "/etc/kiosk/center-ca.pem", "The center's private CA."),
	SC("center.pins", center_pins, "", check_pins,
	   "Pinned keys `sha256//current;sha256//backup` (44 base64 characters each); at least one when center.url is set."),
	B("center.insecure_demo", center_insecure_demo, "false",
	  "Allows a center with no pinned keys: the demo and tests only; never on a terminal."),
	S("center.cert", center_cert, "/etc/kiosk/client.pem", "This kiosk's client certificate."),
	S("center.key", center_key, "/etc/kiosk/client.key", "Its private key (0600)."),
	S("center.hmac_key", center_hmac_key, "/etc/kiosk/hmac.key", "File with the 256-bit signing key, hex (0600)."),
	S("center.key_id", center_key_id, "k1", "Key id sent in Kiosk-Signature."),
	S("center.device_id", device_id, "K0001", "device_id (the client certificate's CN)."),
	I("center.heartbeat_s", center_heartbeat_s, "60", 5, 3600, "hello interval."),
	I("center.retry_max_s", center_retry_max_s, "0", 0, 3600,
	  "Longest wait before trying the billing center again after a failure, whatever the "
	  "backoff (random, doubling up to 5 minutes) or the center's Retry-After asks; 0: as they ask."),
	S("demo.bills", demo_bills, "",
	  "The demo only: a file of bill QR payloads, one per line; the scan screen then offers them as buttons "
	  "(a kiosk without a scanner). Empty on every terminal."),
	S("staff.card_prefix", staff_card_prefix, "STAFF:", "Barcode prefix of staff cards."),
	B("speech.enabled", speech_enabled, "true",
	  "Voice guidance: the `voice` button (attract and footer) and speech by espeak-ng through SDL audio. "
	  "false: no button, and no synthesizer, audio device or thread is started."),
	I("speech.rate", speech_rate, "150", 80, 450,
	  "Speaking rate, words per minute (the technician menu changes it; its value is kept in the store)."),
	I("speech.volume", speech_volume, "80", 0, 100,
	  "Volume, percent of full scale (the technician menu changes it; its value is kept in the store)."),
	E("fiscal.device", fiscal_device, "none", "shtrih|none", "Fiscal register (docs/fiscal.md); none: no fiscal receipt."),
	E("fiscal.transport", fiscal_transport, "tcp", "tcp|tty|usb", "How the register is reached (usb: its CDC data interface)."),
	S("fiscal.address", fiscal_address, "192.168.137.111:7778", "host:port (RNDIS), /dev/ttyACM0 or VID:PID."),
	IC("fiscal.baud", fiscal_baud, "115200", "2400|4800|9600|19200|38400|57600|115200|230400|460800|921600", "Serial speed (tty)."),
	I("fiscal.byte_timeout_ms", fiscal_byte_timeout_ms, "50", 10, 150, "Link byte timeout (ms)."),
	I("fiscal.password", fiscal_password, "30", 1, 99999999, "Password the kiosk uses (30: system administrator)."),
	S("fiscal.tax_system", fiscal_tax_system, "", "1055: osn|usn_income|usn_income_expense|envd|eshn|psn; required with a register."),
	E("fiscal.vat", fiscal_vat, "none", "none|0|10|20|10_110|20_120|5|7|22|5_105|7_107|22_122", "1199 of each item."),
	I("fiscal.payment_method", fiscal_payment_method, "4", 1, 7, "1214 of each item (4: full payment)."),
	I("fiscal.payment_object", fiscal_payment_object, "4", 1, 26, "1212 of each item (4: service)."),
	B("fiscal.tag_1057", fiscal_tag_1057, "true", "Send the receipt-level agent flag 1057."),
	E("fiscal.item_tags", fiscal_item_tags, "after", "after|before", "Item tags (FF4D) after or before the item (model)."),
	E("fiscal.agent_type", fiscal_agent_type, "pa", "pa|pa_sub|bpa|bpa_sub", "1057/1222: payment (sub)agent or bank payment (sub)agent."),
	S("fiscal.agent_phone", fiscal_agent_phone, "+78005550769", "1073: the agent's phone, +digits."),
	S("fiscal.operator_phone", fiscal_operator_phone, "", "1074: the payment-acceptance operator's phone (pa, pa_sub)."),
	S("fiscal.bank_operator", fiscal_bank_operator, "", "bpa, bpa_sub: `name;address;INN;phone;operation` (1026;1005;1016;1075;1044)."),
	S("fiscal.supplier_phones", fiscal_supplier_phones, "", "1171 by supplier: `INN=+phone;INN=+phone`; every allow-listed payee needs one."),
	I("fiscal.shift_close_hour", fiscal_shift_close_hour, "3", 0, 23, "Local hour the shift is closed (Z) and reopened."),
	I("fiscal.unsent_alarm_days", fiscal_unsent_alarm_days, "3", 1, 29, "Alarm when a document is unsent to the OFD this long."),
	I("fiscal.unsent_stop_days", fiscal_unsent_stop_days, "25", 1, 29, "Stop card payments when a document is unsent this long."),
	I("fiscal.fn_warn_days", fiscal_fn_warn_days, "30", 1, 365, "Warn this many days before the fiscal drive expires."),
	I("fiscal.print_width", fiscal_print_width, "40", 16, 40, "Characters a text line on the register (printer.transport = kkt)."),
};

#define NKEYS (sizeof keys / sizeof keys[0])

__attribute__((format(printf, 5, 6)))
static int errf(char *err, int cap, const char *file, int line, const char *fmt, ...)
{
	char msg[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (file)
		snprintf(err, (size_t)cap, "%s:%d: %s", file, line, msg);
	else
		snprintf(err, (size_t)cap, "%s", msg);
	return -1;
}

/* center.url: empty (offline) or https://host[:port][/path], host a DNS name, an IPv4
 * address or [IPv6]; no user part, query or fragment (the client appends its paths). */
static int check_url(const struct key *k, const char *v, char *msg, size_t mcap)
{
	if (!*v)
		return 0;
	const char *p = v + 8;
	bool good = strncmp(v, "https://", 8) == 0;
	if (good && *p == '[') {
		const char *q = ++p;
		while (isxdigit((unsigned char)*q) || *q == ':' || *q == '.')
			q++;
		good = q > p && *q == ']';
		p = q + 1;
	} else if (good) {
		const char *q = p;
		good = isalnum((unsigned char)*p);
		while (isalnum((unsigned char)*q) || *q == '-' || *q == '.')
			q++;
		p = q;
	}
	if (good && *p == ':') {
		long port = 0;
		const char *q = ++p;
		while (isdigit((unsigned char)*q) && q - p < 6)
			port = port * 10 + (*q++ - '0');
		good = q > p && port >= 1 && port <= 65535 && *p != '0';
		p = q;
	}
	if (good && *p && *p != '/')
		good = false;
	for (; good && *p; p++)
		good = *p > ' ' && *p < 0x7f && *p != '?' && *p != '#';
	if (!good) {
		snprintf(msg, mcap, "%s must be empty (offline) or https://host[:port][/path], not '%s'", k->name, v);
		return -1;
	}
	return 0;
}

/* Bytes written in hex: two digits each, nothing else (empty: no bytes). */
static int check_hex(const struct key *k, const char *v, char *msg, size_t mcap)
{
	size_t n = strlen(v);
	bool good = n % 2 == 0;
	for (size_t i = 0; good && i < n; i++)
		good = isxdigit((unsigned char)v[i]);
	if (!good) {
		snprintf(msg, mcap, "%s must be an even number of hex digits (e.g. 0d0a), not '%s'", k->name, v);
		return -1;
	}
	return 0;
}

/* Whether the '|'-separated list holds exactly the n bytes of v. */
static bool one_of(const char *choices, const char *v, size_t n)
{
	for (const char *ch = choices; *ch;) {
		const char *bar = strchr(ch, '|');
		size_t len = bar ? (size_t)(bar - ch) : strlen(ch);
		if (len == n && strncmp(ch, v, n) == 0)
			return true;
		ch += len + (bar ? 1 : 0);
	}
	return false;
}

/* A base64 digit's value, or -1. */
static int b64val(char ch)
{
	const char *set = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *at = ch ? strchr(set, ch) : NULL;
	return at ? (int)(at - set) : -1;
}

/* center.pins: ';'-separated `sha256//` + the base64 of a 32-byte digest: 43 digits, the last
 * with its two low bits clear (256 bits, not 258), and one '='. */
static int check_pins(const struct key *k, const char *v, char *msg, size_t mcap)
{
	if (!*v)
		return 0;
	for (int n = 1;; n++) {
		size_t len = strcspn(v, ";");
		bool good = len == 8 + 44 && strncmp(v, "sha256//", 8) == 0 && v[8 + 43] == '=';
		for (size_t i = 8; good && i < 8 + 43; i++)
			good = b64val(v[i]) >= 0;
		if (!good || (b64val(v[8 + 42]) & 3) != 0) {
			snprintf(msg, mcap, "%s: pin %d '%.*s' is not sha256// and the 44 base64 characters of a 32-byte digest",
				 k->name, n, (int)(len > 60 ? 60 : len), v);
			return -1;
		}
		if (!v[len])
			return 0;
		v += len + 1;
	}
}

/* Weighted digit sum of n digits of s. */
static int check_inn(const struct key *k, const char *v, char *msg, size_t mcap)
{
	if (!epd_inn_ok(v)) {
		snprintf(msg, mcap, "%s must be an INN (10 or 12 digits with valid check digits), not '%s'", k->name, v);
		return -1;
	}
	return 0;
}

/* Digits, optionally '.' or ',' and one or two more digits. */
static bool money_plain(const char *v)
{
	size_t n = strspn(v, "0123456789");
	if (v[n] == '\0')
		return n > 0;
	if (v[n] != '.' && v[n] != ',')
		return false;
	size_t f = strspn(v + n + 1, "0123456789");
	return n > 0 && (f == 1 || f == 2) && v[n + 1 + f] == '\0';
}

/* Splits `INN/Account/BIC` into its three digit strings (given buffers of 32 bytes). */
static bool allow_split(const char *v, char *inn, char *acc, char *bic)
{
	char *out[3] = { inn, acc, bic };
	for (int i = 0; i < 3; i++) {
		size_t n = strspn(v, "0123456789");
		if (n == 0 || n > 31 || v[n] != (i < 2 ? '/' : '\0'))
			return false;
		memcpy(out[i], v, n);
		out[i][n] = '\0';
		v += n + (i < 2);
	}
	return true;
}

static int apply(struct config *c, const struct key *k, const char *v, char *msg, size_t mcap)
{
	char *p = (char *)c + k->off;
	switch (k->type) {
	case K_STR:
		if (strlen(v) >= k->size) {
			snprintf(msg, mcap, "value of %s is longer than %zu bytes", k->name, k->size - 1);
			return -1;
		}
		if (k->check && k->check(k, v, msg, mcap) != 0)
			return -1;
		strcpy(p, v);
		return 0;
	case K_ENUM:
		if (!one_of(k->choices, v, strlen(v))) {
			snprintf(msg, mcap, "%s must be one of %s, not '%s'", k->name, k->choices, v);
			return -1;
		}
		strcpy(p, v);
		return 0;
	case K_INT: {
		/* Digits only (strtol alone would take "+5", " 5" or "\f5"). */
		const char *d = v + (*v == '-');
		char *end;
		errno = 0;
		long x = strtol(v, &end, 10);
		if (!*d || strspn(d, "0123456789") != strlen(d) || *end != '\0' || errno || x < INT_MIN || x > INT_MAX) {
			snprintf(msg, mcap, "%s must be a whole number, not '%s'", k->name, v);
			return -1;
		}
		char canon[24];
		snprintf(canon, sizeof canon, "%ld", x);
		if (k->choices && !one_of(k->choices, canon, strlen(canon))) {
			snprintf(msg, mcap, "%s must be one of %s, not %ld", k->name, k->choices, x);
			return -1;
		}
		if (x < k->min || x > k->max) {
			snprintf(msg, mcap, "%s must be between %ld and %ld, not %ld", k->name, k->min, k->max, x);
			return -1;
		}
		*(int *)p = (int)x;
		return 0;
	}
	case K_BOOL:
		if (!strcmp(v, "true"))
			*(bool *)p = true;
		else if (!strcmp(v, "false"))
			*(bool *)p = false;
		else {
			snprintf(msg, mcap, "%s must be true or false, not '%s'", k->name, v);
			return -1;
		}
		return 0;
	case K_MONEY:
		/* Rubles, then '.' or ',' and one or two kopeck digits: no spaces (money_parse_rub
		 * would read "5 00" as 500) and no bare separator. */
		if (!isdigit((unsigned char)*v) || !money_plain(v) || !money_parse_rub(v, (kopecks *)p) ||
		    *(kopecks *)p <= 0) {
			snprintf(msg, mcap, "%s must be an amount in rubles like 500000.00, not '%s'", k->name, v);
			return -1;
		}
		return 0;
	case K_ALLOW: {
		char inn[32], acc[32], bic[32];
		if (c->nallow >= CONFIG_MAX_ALLOW) {
			snprintf(msg, mcap, "more than %d payee.allow entries", CONFIG_MAX_ALLOW);
			return -1;
		}
		if (!allow_split(v, inn, acc, bic) || !(digits_only(inn, 10, 10) || digits_only(inn, 12, 12)) ||
		    !digits_only(acc, 20, 20) || !digits_only(bic, 9, 9)) {
			snprintf(msg, mcap, "payee.allow must be INN/Account/BIC (10 or 12, 20 and 9 digits), not '%s'", v);
			return -1;
		}
		if (!epd_inn_ok(inn)) {
			snprintf(msg, mcap, "payee.allow: INN %s has a wrong check digit", inn);
			return -1;
		}
		if (!epd_account_key_ok(bic, acc, false)) {
			snprintf(msg, mcap, "payee.allow: account %s does not match BIC %s (wrong key digit)", acc, bic);
			return -1;
		}
		struct config_allow *a = &c->allow[c->nallow++];
		strcpy(a->inn, inn);
		strcpy(a->account, acc);
		strcpy(a->bic, bic);
		return 0;
	}
	}
	return -1;
}

static const struct key *find(const char *name)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

void config_defaults(struct config *c)
{
	char msg[256];
	memset(c, 0, sizeof *c);
	for (size_t i = 0; i < NKEYS; i++)
		if (keys[i].type != K_ALLOW)
			apply(c, &keys[i], keys[i].def, msg, sizeof msg);
}

/* The index of the payee.allow entry written exactly as v, or -1. */
static int allow_index(const struct config *c, const char *v)
{
	for (int j = 0; j < c->nallow; j++) {
		char e[sizeof c->allow[j].inn + sizeof c->allow[j].account + sizeof c->allow[j].bic];
		snprintf(e, sizeof e, "%s/%s/%s", c->allow[j].inn, c->allow[j].account, c->allow[j].bic);
		if (strcmp(e, v) == 0)
			return j;
	}
	return -1;
}

int config_set(struct config *c, const char *key, const char *value, char *err, int errcap)
{
	char msg[256];
	const struct key *k = find(key);
	if (!k)
		return errf(err, errcap, NULL, 0, "unknown key '%s'", key);
	if (k->type == K_ALLOW && allow_index(c, value) >= 0)
		return errf(err, errcap, NULL, 0, "duplicate payee.allow entry %s", value);
	if (apply(c, k, value, msg, sizeof msg) != 0)
		return errf(err, errcap, NULL, 0, "%s", msg);
	return 0;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

static int load_stream(FILE *f, const char *path, struct config *c, char *err, int errcap);

int config_load(const char *path, struct config *c, char *err, int errcap)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return errf(err, errcap, path, 0, "cannot read: %s", strerror(errno));
	int rc = load_stream(f, path, c, err, errcap);
	fclose(f);
	return rc;
}

int config_parse_text(const char *text, size_t len, const char *name, struct config *c, char *err, int errcap)
{
	if (len == 0)
		return 0;
	FILE *f = fmemopen((void *)text, len, "r");
	if (!f)
		return errf(err, errcap, name, 0, "cannot read: %s", strerror(errno));
	int rc = load_stream(f, name, c, err, errcap);
	fclose(f);
	return rc;
}

/* Reads one line into buf without its '\n'; returns its length, -1 at end of file, or cap when
 * the line does not fit (cap - 1 bytes at most).  Counts bytes, so a NUL inside the line is
 * seen rather than silently ending it. */
static long read_line(FILE *f, char *buf, size_t cap)
{
	size_t n = 0;
	int ch;
	while ((ch = getc(f)) != EOF && ch != '\n') {
		if (n + 1 >= cap)
			return (long)cap;
		buf[n++] = (char)ch;
	}
	buf[n] = '\0';
	return ch == EOF && n == 0 ? -1 : (long)n;
}

/* Where each key was set (0: not in the file), so that a repeat and a cross-key rule can
 * name lines. */
struct lines {
	int key[NKEYS];
	int allow[CONFIG_MAX_ALLOW];
};

static int later(int a, int b)
{
	return a > b ? a : b;
}

/* Rules that span keys, checked once the whole file is read.  No single line is at fault,
 * so each names the line of the key that was set. */
static int cross_checks(const struct config *c, const struct lines *ln, const char *path, char *err, int errcap)
{
	if (c->readings_from_day > c->readings_to_day)
		return errf(err, errcap, path, later(ln->key[find("readings.from_day") - keys], ln->key[find("readings.to_day") - keys]),
			    "readings.from_day (%d) is after readings.to_day (%d)", c->readings_from_day, c->readings_to_day);
	/* A Vendotek terminal is a TCP server or a serial (CDC-ACM) device, never libusb's. */
	if (!strcmp(c->pinpad_protocol, "vtk") && !strcmp(c->pinpad_transport, "usb"))
		return errf(err, errcap, path, later(ln->key[find("pinpad.protocol") - keys], ln->key[find("pinpad.transport") - keys]),
			    "pinpad.protocol = vtk needs pinpad.transport = tcp or tty (a USB Vendotek "
			    "terminal is a serial device: /dev/ttyACM0)");
	/* Without a pin the center is trusted on its CA alone: never by accident. */
	if (c->center_url[0] && !c->center_pins[0] && !c->center_insecure_demo)
		return errf(err, errcap, path, ln->key[find("center.url") - keys],
			    "center.url is set but center.pins is empty: pin the center's key "
			    "(center.insecure_demo = true is for the demo and tests only)");
	if (!strcmp(c->printer_transport, "kkt") && strcmp(c->fiscal_device, "shtrih") != 0)
		return errf(err, errcap, path, ln->key[find("printer.transport") - keys],
			    "printer.transport = kkt prints on the fiscal register: it needs fiscal.device = shtrih");
	char msg[256];
	const char *bad = NULL;
	struct fiscal_conf fc;
	if (fiscal_conf_from_config(c, &fc, &bad, msg, sizeof msg) != 0)
		return errf(err, errcap, path, ln->key[find(bad) - keys], "%s", msg);
	return 0;
}

static int load_stream(FILE *f, const char *path, struct config *c, char *err, int errcap)
{
	char line[1024], section[64] = "";
	struct lines ln = { { 0 }, { 0 } };
	int lineno = 0;
	long n;
	while ((n = read_line(f, line, sizeof line)) >= 0) {
		lineno++;
		if ((size_t)n == sizeof line)
			return errf(err, errcap, path, lineno, "line longer than %zu bytes", sizeof line - 1);
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		for (long i = 0; i < n; i++) {
			unsigned char b = (unsigned char)line[i];
			if ((b < ' ' && b != '\t') || b == 0x7f)
				return errf(err, errcap, path, lineno, "control character 0x%02x in the line", b);
		}
		char *s = trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']');
			if (!close || close[1] != '\0' || close == s + 1 || (size_t)(close - s) > sizeof section)
				return errf(err, errcap, path, lineno, "bad section header '%s'", s);
			*close = '\0';
			snprintf(section, sizeof section, "%s", s + 1);
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq)
			return errf(err, errcap, path, lineno, "expected 'key = value', got '%s'", s);
		*eq = '\0';
		char *key = trim(s), *val = trim(eq + 1);
		char full[160];
		if (section[0])
			snprintf(full, sizeof full, "%s.%s", section, key);
		else
			snprintf(full, sizeof full, "%s", key);
		const struct key *k = find(full);
		if (!k)
			return errf(err, errcap, path, lineno, "unknown key '%s'", full);
		int *first = &ln.key[k - keys];
		if (k->type != K_ALLOW && *first)
			return errf(err, errcap, path, lineno, "duplicate key %s, first on line %d", full, *first);
		if (k->type == K_ALLOW) {
			int j = allow_index(c, val);
			if (j >= 0)
				return errf(err, errcap, path, lineno, "duplicate payee.allow entry %s, first on line %d", val,
					    ln.allow[j]);
		}
		char msg[256];
		if (apply(c, k, val, msg, sizeof msg) != 0)
			return errf(err, errcap, path, lineno, "%s", msg);
		if (!*first)
			*first = lineno;
		if (k->type == K_ALLOW)
			ln.allow[c->nallow - 1] = lineno;
	}
	if (ferror(f))
		return errf(err, errcap, path, lineno, "read error");
	return cross_checks(c, &ln, path, err, errcap);
}

const struct key *config_key_table(size_t *ret_n)
{
	*ret_n = NKEYS;
	return keys;
}
