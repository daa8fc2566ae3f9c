#ifndef KIOSK_ACCOUNT_H
#define KIOSK_ACCOUNT_H
/* A resident's account as the billing center describes it (docs/api.md §3.1): the data
 * model shared by the center client (JSON), the accounts cache (SQLite) and the screens.
 * Fixed capacities so it can live on the stack and be wiped with memset (privacy: the
 * screens clear it on timeout). */
#include <stdbool.h>
#include <stdint.h>

#include "kiosk/base/money.h"

#define ACCOUNT_MAX_SERVICES 16
#define ACCOUNT_MAX_SUPPLIERS 16
#define ACCOUNT_MAX_METERS 8

struct account_service {
	char code[16];
	char name[96];
	char supplier_id[16];
	kopecks accrued;
	kopecks due;
};

struct account_supplier {
	char id[16];
	char name[128];
	char inn[13];
	char phone[32];
	char address[160];
};

struct account_meter {
	char id[16];
	char serial[24];
	char service[16];
	char name[64];
	char unit[16];
	int digits, decimals;
	int64_t last_value_milli;   /* thousandths of the unit */
	char last_date[11];         /* YYYY-MM-DD */
	int64_t max_monthly_milli;
};

struct account {
	char pers_acc[16];          /* digits only */
	char owner_masked[96];
	char address_masked[192];
	char period[8];             /* YYYY-MM */
	kopecks due, accrued, paid, debt;
	int nservices, nsuppliers, nmeters;
	struct account_service services[ACCOUNT_MAX_SERVICES];
	struct account_supplier suppliers[ACCOUNT_MAX_SUPPLIERS];
	struct account_meter meters[ACCOUNT_MAX_METERS];
	bool details;               /* services/meters/owner present (scan or verified) */
	int64_t updated_at_ms;      /* "data as of" */
};

#endif
