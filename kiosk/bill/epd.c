/* Bill QR decoder: docs/epd.md, Decoding rules, in order.  The text is decoded into
 * the bill's own buffer, split there in place (values become NUL-terminated strings) and
 * referred to by offsets, so the struct can be copied and nothing is allocated. */
#include "kiosk/bill/epd.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/bill/epd_internal.h"

enum { MANDATORY = 1 };

static const struct key_def {
	const char *name;
	unsigned char len;
	unsigned char flags;
	unsigned short limit;   /* characters; 0 = none checked as text */
} keys[EPD_KEY_COUNT] = {
#define K(id, nm, lim, fl) [id] = { nm, sizeof nm - 1, fl, lim }
	K(EPD_NAME, "Name", 160, MANDATORY),
	K(EPD_PERSONAL_ACC, "PersonalAcc", 0, MANDATORY),
	K(EPD_BANK_NAME, "BankName", 45, MANDATORY),
	K(EPD_BIC, "BIC", 0, MANDATORY),
	K(EPD_CORRESP_ACC, "CorrespAcc", 0, MANDATORY),
	K(EPD_SUM, "Sum", 18, 0),
	K(EPD_PURPOSE, "Purpose", 210, 0),
	K(EPD_PAYEE_INN, "PayeeINN", 12, 0),
	K(EPD_PAYER_INN, "PayerINN", 12, 0),
	K(EPD_DRAWER_STATUS, "DrawerStatus", 2, 0),
	K(EPD_KPP, "KPP", 9, 0),
	K(EPD_CBC, "CBC", 20, 0),
	K(EPD_OKTMO, "OKTMO", 11, 0),
	K(EPD_PAYT_REASON, "PaytReason", 2, 0),
	K(EPD_TAX_PERIOD, "TaxPeriod", 10, 0),
	K(EPD_DOC_NO, "DocNo", 15, 0),
	K(EPD_DOC_DATE, "DocDate", 10, 0),
	K(EPD_TAX_PAYT_KIND, "TaxPaytKind", 2, 0),
	K(EPD_LAST_NAME, "LastName", 0, 0),
	K(EPD_FIRST_NAME, "FirstName", 0, 0),
	K(EPD_MIDDLE_NAME, "MiddleName", 0, 0),
	K(EPD_PAYER_ADDRESS, "PayerAddress", 0, 0),
	K(EPD_PERSONAL_ACCOUNT, "PersonalAccount", 0, 0),
	K(EPD_DOC_IDX, "DocIdx", 0, 0),
	K(EPD_PENS_ACC, "PensAcc", 0, 0),
	K(EPD_CONTRACT, "Contract", 0, 0),
	K(EPD_PERS_ACC, "PersAcc", 0, 0),
	K(EPD_FLAT, "Flat", 0, 0),
	K(EPD_PHONE, "Phone", 0, 0),
	K(EPD_PAYER_ID_TYPE, "PayerIdType", 0, 0),
	K(EPD_PAYER_ID_NUM, "PayerIdNum", 0, 0),
	K(EPD_CHILD_FIO, "ChildFio", 0, 0),
	K(EPD_BIRTH_DATE, "BirthDate", 0, 0),
	K(EPD_PAYM_TERM, "PaymTerm", 0, 0),
	K(EPD_PAYM_PERIOD, "PaymPeriod", 0, 0),
	K(EPD_CATEGORY, "Category", 0, 0),
	K(EPD_SERVICE_NAME, "ServiceName", 0, 0),
	K(EPD_COUNTER_ID, "CounterId", 0, 0),
	K(EPD_COUNTER_VAL, "CounterVal", 0, 0),
	K(EPD_QUITT_ID, "QuittId", 0, 0),
	K(EPD_QUITT_DATE, "QuittDate", 0, 0),
	K(EPD_INST_NUM, "InstNum", 0, 0),
	K(EPD_CLASS_NUM, "ClassNum", 0, 0),
	K(EPD_SPEC_FIO, "SpecFio", 0, 0),
	K(EPD_ADD_AMOUNT, "AddAmount", 0, 0),
	K(EPD_RULE_ID, "RuleId", 0, 0),
	K(EPD_EXEC_ID, "ExecId", 0, 0),
	K(EPD_REG_TYPE, "RegType", 0, 0),
	K(EPD_UIN, "UIN", 0, 0),
	K(EPD_TECH_CODE, "TechCode", 0, 0),
#undef K
};

/* ASCII folding only: Cyrillic look-alikes ("ВIС") must stay unknown keys. */
static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

static int find_key(const char *s, size_t n)
{
	for (int k = 0; k < EPD_KEY_COUNT; k++) {
		if (keys[k].len != n || lower(keys[k].name[0]) != lower(s[0]))
			continue;
		size_t i = 1;
		while (i < n && lower(keys[k].name[i]) == lower(s[i]))
			i++;
		if (i == n)
			return k;
	}
	return -1;
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static bool has_control(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
			return true;
	return false;
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void warn(struct epd_bill *b, const char *w, const char *arg)
{
	if (b->nwarnings >= EPD_MAX_WARNINGS)
		return;
	snprintf(b->warnings[b->nwarnings++], EPD_WARNING_LEN, "%s%s", w, arg ? arg : "");
}

static void sort_warnings(struct epd_bill *b)
{
	for (int i = 1; i < b->nwarnings; i++) {
		char tmp[EPD_WARNING_LEN];
		memcpy(tmp, b->warnings[i], EPD_WARNING_LEN);
		int j = i;
		for (; j > 0 && strcmp(b->warnings[j - 1], tmp) > 0; j--)
			memcpy(b->warnings[j], b->warnings[j - 1], EPD_WARNING_LEN);
		memcpy(b->warnings[j], tmp, EPD_WARNING_LEN);
	}
}

static const char *val(const struct epd_bill *b, enum epd_key k)
{
	return b->field[k] ? b->text + b->field[k] : NULL;
}

/* Rules 8-9: decode the body into b->text (from offset 1) by the flag. */
static int decode_text(const uint8_t *body, size_t n, char flag, struct epd_bill *b)
{
	char *out = b->text + 1;
	long len;
	bool high = false;
	if (flag == '2' || (flag == '1' && epd_utf8_valid(body, n, &high) && high)) {
		if (flag == '2' && !epd_utf8_valid(body, n, NULL))
			return EPD_EBAD_ENCODING;
		memcpy(out, body, n);
		len = (long)n;
		strcpy(b->enc, "utf-8");
		if (flag == '1')
			warn(b, "encoding_mismatch", NULL);
	} else {
		enum epd_charset cs = flag == '1' ? EPD_CS_CP1251 : EPD_CS_KOI8R;
		len = epd_charset_to_utf8(cs, body, n, out);
		if (len < 0)
			return EPD_EBAD_ENCODING;
		strcpy(b->enc, flag == '1' ? "cp1251" : "koi8-r");
	}
	out[len] = '\0';
	b->text_len = (uint16_t)(len + 2);

	/* Latin-1 letters without a single Cyrillic one: a keyboard-wedge scanner typed the
	 * UTF-8 bytes through a Western layout. */
	bool latin1 = false, cyrillic = false;
	for (long i = 0; i + 1 < len; i++) {
		unsigned char c = (unsigned char)out[i], d = (unsigned char)out[i + 1];
		if ((c == 0xC3) && d >= 0x80 && d <= 0xBF)
			latin1 = true;                      /* U+00C0..U+00FF */
		else if (c >= 0xD0 && c <= 0xD3 && (d & 0xC0) == 0x80)
			cyrillic = true;                    /* U+0400..U+04FF */
	}
	if (latin1 && !cyrillic)
		return EPD_EMOJIBAKE;
	return 0;
}

/* Rules 10-12: split, trim, look keys up.  A rule-10 failure anywhere beats a duplicate
 * seen earlier, hence the duplicate is only reported after the whole pass. */
static int split_fields(struct epd_bill *b, bool seen[EPD_KEY_COUNT])
{
	char *p = b->text + 1, *end = b->text + b->text_len - 1;
	bool dup = false;
	while (p <= end) {
		char *e = memchr(p, b->separator, (size_t)(end - p));
		if (!e)
			e = end;
		char *s = p, *t = e;
		p = e + 1;
		while (s < t && is_space(*s))
			s++;
		while (t > s && is_space(t[-1]))
			t--;
		if (s == t)
			continue;
		char *eq = memchr(s, '=', (size_t)(t - s));
		if (!eq)
			return EPD_EMALFORMED_FIELD;
		char *ke = eq, *vs = eq + 1;
		while (ke > s && is_space(ke[-1]))
			ke--;
		while (vs < t && is_space(*vs))
			vs++;
		if (ke == s)
			return EPD_EMALFORMED_FIELD;
		if (has_control(s, (size_t)(ke - s)) || has_control(vs, (size_t)(t - vs)))
			return EPD_ECONTROL_CHAR;
		*ke = '\0';
		*t = '\0';
		int k = find_key(s, (size_t)(ke - s));
		if (k < 0) {
			if (b->nunknown < EPD_MAX_UNKNOWN)
				b->unknown[b->nunknown++] = (uint16_t)(s - b->text);
			else
				b->nunknown_dropped++;
			continue;
		}
		if (seen[k])
			dup = true;
		seen[k] = true;
		if (vs < t)
			b->field[k] = (uint16_t)(vs - b->text);
	}
	return dup ? EPD_EDUPLICATE_KEY : 0;
}

/* Rules 15-17. */
static int check_bank(struct epd_bill *b)
{
	const char *bic = val(b, EPD_BIC), *acc = val(b, EPD_PERSONAL_ACC);
	const char *corr = val(b, EPD_CORRESP_ACC);
	if (bic[0] != '0' || !epd_all_digits(bic, 9))
		return EPD_EBAD_BIC;
	if (!epd_all_digits(acc, 20))
		return EPD_EBAD_ACCOUNT;
	if (acc[0] == '0' && acc[1] == '3')
		warn(b, "key_check_skipped", NULL);   /* treasury accounts have no key */
	else if (!epd_account_key_ok(bic, acc, false))
		return EPD_EBAD_ACCOUNT_KEY;
	if (strcmp(corr, "0") == 0) {
		warn(b, "corresp_acc_zero", NULL);
		return 0;
	}
	if (!epd_all_digits(corr, 20))
		return EPD_EBAD_CORRESP_ACC;
	if (strncmp(corr, "301", 3) == 0 && memcmp(corr + 17, bic + 6, 3) == 0 &&
	    epd_account_key_ok(bic, corr, true))
		return 0;
	if (strncmp(corr, "40102", 5) == 0 && epd_account_key_ok(bic, corr, true))
		return 0;
	return EPD_EBAD_CORRESP_ACC;
}

/* Rules 18-23. */
static int check_rest(struct epd_bill *b)
{
	const char *v = val(b, EPD_SUM);
	if (v) {
		size_t n = strlen(v);
		if (n > 18 || !epd_all_digits(v, n))
			return EPD_EBAD_SUM;
		uint64_t sum = 0;
		for (size_t i = 0; i < n; i++)
			sum = sum * 10 + (uint64_t)(v[i] - '0');
		b->sum = sum;
		b->has_sum = true;
	}
	if ((v = val(b, EPD_PAYEE_INN)) && !epd_inn_ok(v))
		return EPD_EBAD_INN;
	if ((v = val(b, EPD_PAYER_INN)) && !epd_inn_ok(v)) {
		b->field[EPD_PAYER_INN] = 0;
		warn(b, "bad_payer_inn", NULL);
	}
	if ((v = val(b, EPD_KPP))) {
		if (strcmp(v, "0") == 0) {
			b->field[EPD_KPP] = 0;
		} else if (!epd_kpp_ok(v)) {
			b->field[EPD_KPP] = 0;
			warn(b, "bad_kpp", NULL);
		}
	}
	if ((v = val(b, EPD_PAYM_PERIOD)))
		epd_period_normalise(v, b->period);
	/* The digits-only PersAcc goes after the text; the cap leaves room for it. */
	char *d = b->text + b->text_len, *d0 = d;
	if ((v = val(b, EPD_PERS_ACC)))
		for (; *v; v++)
			if (*v >= '0' && *v <= '9')
				*d++ = *v;
	*d = '\0';
	b->pers_acc_digits = (uint16_t)(d0 - b->text);
	b->text_len = (uint16_t)(d + 1 - b->text);
	return 0;
}

int epd_decode(const uint8_t *buf, size_t len, struct epd_bill *ret)
{
	struct epd_bill b;
	bool seen[EPD_KEY_COUNT] = { false };
	int rc;

	if (len == 0)
		return EPD_EEMPTY_PAYLOAD;
	while (len > 0 && (buf[len - 1] == '\r' || buf[len - 1] == '\n' || buf[len - 1] == '\0'))
		len--;
	if (len < 8)
		return EPD_ETRUNCATED_HEADER;
	if (buf[0] != 'S' || buf[1] != 'T')
		return EPD_EBAD_FORMAT_ID;
	if (memcmp(buf + 2, "0001", 4) != 0)
		return EPD_EUNSUPPORTED_VERSION;
	char flag = (char)buf[6];
	if (flag != '1' && flag != '2' && flag != '3')
		return EPD_EBAD_ENCODING_FLAG;
	char sep = (char)buf[7];
	if (sep < 0x21 || sep > 0x7E || sep == '=' || (sep >= '0' && sep <= '9') ||
	    ((sep | 0x20) >= 'a' && (sep | 0x20) <= 'z'))
		return EPD_EBAD_SEPARATOR;
	if (len > EPD_MAX_PAYLOAD)
		return EPD_ETOO_LONG;

	/* Only the header fields need clearing: text is written before it is read. */
	memset(&b, 0, offsetof(struct epd_bill, text));
	b.text[0] = '\0';
	b.separator = sep;
	if ((rc = decode_text(buf + 8, len - 8, flag, &b)) != 0)
		return rc;
	if ((rc = split_fields(&b, seen)) != 0)
		return rc;
	for (int k = 0; k < EPD_KEY_COUNT; k++)
		if ((keys[k].flags & MANDATORY) && !b.field[k])
			return EPD_EMISSING_MANDATORY;
	for (int k = 0; k < EPD_KEY_COUNT; k++)
		if (keys[k].limit && b.field[k] && utf8_chars(val(&b, k)) > keys[k].limit)
			warn(&b, "field_too_long:", keys[k].name);
	if ((rc = check_bank(&b)) != 0)
		return rc;
	if ((rc = check_rest(&b)) != 0)
		return rc;
	sort_warnings(&b);
	memcpy(ret, &b, offsetof(struct epd_bill, text) + b.text_len);
	return 0;
}

const char *epd_field_id(const struct epd_bill *b, enum epd_key k)
{
	if ((int)k < 0 || k >= EPD_KEY_COUNT)
		return NULL;
	return val(b, k);
}

const char *epd_field(const struct epd_bill *b, const char *key)
{
	int k = find_key(key, strlen(key));
	return k < 0 ? NULL : val(b, k);
}

const char *epd_key_name(enum epd_key k)
{
	return (int)k < 0 || k >= EPD_KEY_COUNT ? NULL : keys[k].name;
}

const char *epd_unknown_key(const struct epd_bill *b, int i)
{
	return i < 0 || i >= b->nunknown ? NULL : b->text + b->unknown[i];
}

const char *epd_pers_acc_digits(const struct epd_bill *b)
{
	return b->text + b->pers_acc_digits;
}

int epd_check_allowed(const struct epd_bill *b, const struct config_allow *allow, int nallow)
{
	const char *inn = val(b, EPD_PAYEE_INN), *acc = val(b, EPD_PERSONAL_ACC);
	const char *bic = val(b, EPD_BIC);
	if (!inn || !acc || !bic)
		return EPD_ENOT_ALLOWED;
	for (int i = 0; i < nallow; i++)
		if (strcmp(allow[i].inn, inn) == 0 && strcmp(allow[i].account, acc) == 0 &&
		    strcmp(allow[i].bic, bic) == 0)
			return 0;
	return EPD_ENOT_ALLOWED;
}

static const struct {
	const char *code, *ru, *en;
} errors[EPD_ERROR_COUNT] = {
	{ "ok", "Код прочитан", "Code read" },
	{ "empty_payload", "Код пуст", "The code is empty" },
	{ "truncated_header", "Код прочитан не полностью", "The code was read incompletely" },
	{ "bad_format_id", "Это не платёжный QR-код", "This is not a payment QR code" },
	{ "unsupported_version", "Версия платёжного кода не поддерживается",
	  "Unsupported payment code version" },
	{ "bad_encoding_flag", "Неизвестная кодировка платёжного кода",
	  "Unknown payment code character set" },
	{ "bad_separator", "Недопустимый разделитель в платёжном коде",
	  "Invalid separator in the payment code" },
	{ "too_long", "Платёжный код слишком длинный", "The payment code is too long" },
	{ "bad_encoding", "Текст платёжного кода повреждён", "The payment code's text is damaged" },
	{ "mojibake", "Сканер исказил текст кода, отсканируйте ещё раз",
	  "The scanner garbled the text; please scan again" },
	{ "malformed_field", "Платёжный код содержит ошибку", "The payment code has a malformed field" },
	{ "control_char", "Платёжный код содержит недопустимые символы",
	  "The payment code contains control characters" },
	{ "duplicate_key", "В платёжном коде повторяется реквизит",
	  "A field appears twice in the payment code" },
	{ "missing_mandatory", "В платёжном коде нет обязательных реквизитов",
	  "The payment code lacks a mandatory field" },
	{ "bad_bic", "Неверный БИК банка получателя", "Invalid bank BIC" },
	{ "bad_account", "Неверный счёт получателя", "Invalid payee account" },
	{ "bad_account_key", "Счёт получателя не прошёл проверку",
	  "The payee account fails its check digit" },
	{ "bad_corresp_acc", "Неверный корреспондентский счёт банка",
	  "Invalid correspondent account" },
	{ "bad_sum", "Неверная сумма в платёжном коде", "Invalid amount in the payment code" },
	{ "bad_inn", "Неверный ИНН получателя", "Invalid payee INN" },
	{ "not_allowed", "Этот документ нельзя оплатить здесь", "This document cannot be paid here" },
};

const char *epd_error_code(int err)
{
	return err > 0 || err <= -EPD_ERROR_COUNT ? "unknown" : errors[-err].code;
}

const char *epd_error_message(int err, const char *lang)
{
	if (err > 0 || err <= -EPD_ERROR_COUNT)
		return lang && strcmp(lang, "en") == 0 ? "Unknown error" : "Неизвестная ошибка";
	return lang && strcmp(lang, "en") == 0 ? errors[-err].en : errors[-err].ru;
}

/* Raw-byte masking for the debug log: the separator is ASCII, and ASCII bytes never occur
 * inside a UTF-8 sequence, so splitting the undecoded bytes is safe in all three sets. */
void epd_mask_payload(const uint8_t *buf, size_t len, uint8_t *out)
{
	static const enum epd_key secret[] = {
		EPD_PERS_ACC, EPD_LAST_NAME, EPD_FIRST_NAME, EPD_MIDDLE_NAME, EPD_PAYER_ADDRESS,
	};
	if (len)
		memcpy(out, buf, len);
	if (len < 8)
		return;
	uint8_t sep = buf[7];
	size_t i = 8;
	while (i < len) {
		size_t e = i;
		while (e < len && buf[e] != sep)
			e++;
		const uint8_t *eq = memchr(buf + i, '=', e - i);
		if (eq) {
			size_t ks = i, ke = (size_t)(eq - buf);
			while (ks < ke && is_space((char)buf[ks]))
				ks++;
			while (ke > ks && is_space((char)buf[ke - 1]))
				ke--;
			int k = ke > ks ? find_key((const char *)buf + ks, ke - ks) : -1;
			for (size_t s = 0; k >= 0 && s < sizeof secret / sizeof secret[0]; s++)
				if (k == (int)secret[s])
					memset(out + (eq - buf) + 1, '*', e - (size_t)(eq - buf) - 1);
		}
		i = e + 1;
	}
}
