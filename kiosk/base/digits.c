/* ASCII digit checks (digits.h). */
#include "kiosk/base/digits.h"

#include <string.h>

bool digits_run(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool digits_only(const char *s, size_t min, size_t max)
{
	size_t n = strnlen(s, max + 1);
	return n >= min && n <= max && digits_run(s, n);
}
