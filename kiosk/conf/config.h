#ifndef KIOSK_CONFIG_H
#define KIOSK_CONFIG_H
/* Configuration: an INI file ([section] then `key = value`; `#` or `;` comments).  Keys are
 * addressed as section.key.  Every key is in one table (config.c) with its type, default and
 * the text docs/config.md shows.  An unknown key, a bad value or an unreadable file is an
 * error `file:line: what is wrong`: the kiosk refuses to start (exit 2) rather than guess.
 * A key given twice is an error on its second line, except payee.allow, which repeats (never
 * with the same entry twice).  Rules between keys name the line of the key that was set. */
#include <stdbool.h>
#include <stdint.h>

#include "kiosk/base/money.h"

#define CONFIG_MAX_ALLOW 8

struct config_allow {
	char inn[13];
	char account[21];
	char bic[10];
};

struct config {
	/* [kiosk] */
	char kiosk_id[32];
	char org_name[128];
	char address[160];
	char store_path[256];
	char log_file[256];
	char log_level[8];
	bool log_syslog;
	char assets_dir[256];
	char lang[4];               /* default language: ru | en */
	char timezone[64];          /* tzdata name (kiosk/base/tz.h) */
	/* [screen] */
	int width, height;
	bool fullscreen;
	char theme[32];             /* default | high-contrast */
	int inactivity_s;           /* per-screen default; "are you still there" after it */
	int prompt_s;               /* how long the prompt waits before attract */
	/* [payee] agent details (103-ФЗ) and the allow-list */
	char agent_name[160];
	char agent_inn[13];
	char agent_address[160];
	char agent_phone[32];
	char contact_phone[32];
	char office_hours[128];
	char office_hours_en[128];
	char office_address[160];    /* where to pay at a window when the kiosk cannot */
	char office_address_en[160];
	int nallow;
	struct config_allow allow[CONFIG_MAX_ALLOW];
	/* [payment] */
	kopecks max_amount;
	int min_free_mb;
	int control_attempts;       /* wrong control answers before a typed account locks */
	int control_lock_min;       /* how long it stays locked */
	int crediting_days;
	/* [readings] */
	int readings_from_day, readings_to_day;
	/* [pinpad] */
	char pinpad_protocol[8];    /* kpp1 | vtk */
	char pinpad_transport[8];   /* tcp | tty | usb | none */
	char pinpad_address[128];   /* host:port, /dev/ttyACM0, or VID:PID */
	char pinpad_control[64];   /* the simulator's control port (tests only) */
	int pinpad_timeout_s;
	int pinpad_confirm_timeout_s;
	/* [printer] */
	char printer_transport[8];  /* file | usb | tty | tcp | kkt | none */
	char printer_address[256];  /* directory for file, VID:PID, /dev/..., host:port */
	int printer_width_mm;       /* 58 | 80 */
	int printer_codepage;       /* ESC t n for CP866 */
	/* [scanner] */
	char scanner_transport[8];  /* hidpos | tty | wedge | none */
	char scanner_address[128];
	char scanner_suffix[8];     /* stripped from each symbol, hex (e.g. 0d0a) */
	/* [center] */
	char center_url[256];
	char center_ca[256];
	char center_pins[256];      /* sha256//A;sha256//B; required when center_url is set... */
	bool center_insecure_demo;  /* ...unless this is true (the demo and tests only) */
	char center_cert[256];
	char center_key[256];
	char center_hmac_key[256];  /* file holding the 32-byte key, hex */
	char center_key_id[32];
	char device_id[64];
	int center_heartbeat_s;
	int center_retry_max_s;  /* 0: the backoff and Retry-After as they are */
	/* [staff] */
	char staff_card_prefix[16];
	char demo_bills[256];          /* demo.bills: a file of bill payloads for the scan screen; "" none */
	/* [speech] voice guidance */
	bool speech_enabled;        /* false: no voice button, no audio, nothing initialised */
	int speech_rate;            /* words per minute */
	int speech_volume;          /* percent */
	/* [fiscal] the fiscal register; the composite keys are read by kiosk/conf/fiscal_conf */
	char fiscal_device[8];          /* shtrih | none */
	char fiscal_transport[8];       /* tcp | tty | usb */
	char fiscal_address[128];
	int fiscal_baud;
	int fiscal_byte_timeout_ms;
	int fiscal_password;
	char fiscal_tax_system[24];     /* 1055 */
	char fiscal_vat[8];             /* 1199 */
	int fiscal_payment_method;      /* 1214 */
	int fiscal_payment_object;      /* 1212 */
	bool fiscal_tag_1057;
	char fiscal_item_tags[8];       /* after | before FF46 */
	char fiscal_agent_type[8];      /* 1057 / 1222 */
	char fiscal_agent_phone[20];    /* 1073 */
	char fiscal_operator_phone[20]; /* 1074 */
	char fiscal_bank_operator[400]; /* bank agents: 1026;1005;1016;1075;1044 */
	char fiscal_supplier_phones[400]; /* 1171 by supplier INN */
	int fiscal_shift_close_hour;
	int fiscal_unsent_alarm_days;
	int fiscal_unsent_stop_days;
	int fiscal_fn_warn_days;
	int fiscal_print_width;         /* printer.transport = kkt: characters a line */
};

/* Sets every key to its default. */
void config_defaults(struct config *c);
/* Loads PATH over the defaults.  On error returns -1 and writes "file:line: message" into
 * err (errcap bytes); c is then partly filled and must not be used. */
int config_load(const char *path, struct config *c, char *err, int errcap);
/* The same over text in memory (len bytes, need not be NUL-terminated); name is used in
 * messages.  For tests and the fuzz target. */
int config_parse_text(const char *text, size_t len, const char *name, struct config *c, char *err, int errcap);
/* Applies one `section.key = value` (the same checks as the file); 0 or -1 with err. */
int config_set(struct config *c, const char *key, const char *value, char *err, int errcap);
/* Prints the key table as Markdown (docs/config.md is generated from it and checked). */
void config_print_doc(void *file);
/* Writes every key = value, secrets (paths to keys stay, values never) shown as given. */
void config_print(const struct config *c, void *file);

#endif
