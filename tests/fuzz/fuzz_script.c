/* The script parser never crashes; on success every command is well formed, on failure
 * the message names a line ("script:N: "). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/shell/script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct script s;
	char err[256];
	if (script_parse(text, &s, err, sizeof err) != 0) {
		if (strncmp(err, "script:", 7) != 0)
			abort();
	} else {
		for (int i = 0; i < s.n; i++) {
			const struct script_cmd *c = &s.cmds[i];
			if (c->line < 1 || (c->op == SCRIPT_SCAN && !c->data) || (c->op == SCRIPT_DB && !c->expected))
				abort();
		}
		script_free(&s);
	}
	free(text);
	return 0;
}
