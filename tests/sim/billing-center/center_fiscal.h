#ifndef TESTS_SIM_BILLING_CENTER_CENTER_FISCAL_H
#define TESTS_SIM_BILLING_CENTER_CENTER_FISCAL_H
/* The fiscal receipt a payment body may carry (docs/api.md §5): drive serial (16 digits),
 * FD (1..2^32-1) and FP (0..2^32-1), the register's time YYYY-MM-DDTHH:MM, shift and
 * number as integers.  "" when f is NULL (no register) or valid, else "fiscal_invalid". */
#include <jansson.h>

const char *center_fiscal_check(json_t *f);

#endif
