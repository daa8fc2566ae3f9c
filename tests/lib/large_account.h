#ifndef TESTS_LIB_LARGE_ACCOUNT_H
#define TESTS_LIB_LARGE_ACCOUNT_H
/* A large account for the benches: every service, supplier and meter slot a kiosk screen
 * would lay out (12 services, 4 suppliers, 4 meters), with its details, read at UPDATED_MS. */
#include <stdint.h>

#include "kiosk/bill/account.h"

void large_account(struct account *a, const char *pers_acc, int64_t updated_ms);

#endif
