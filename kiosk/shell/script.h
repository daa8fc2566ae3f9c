#ifndef KIOSK_SCRIPT_H
#define KIOSK_SCRIPT_H
/* The script language of docs/screens.md (tests, demos, acceptance checks): one command per line,
 * `#` comments and blank lines ignored.  This module only parses (pure); kiosk/shell/script_exec.c
 * runs the commands against the real program.
 *
 *   scan text:PAYLOAD | scan hex:HEX     tap ID      hold ID SECONDS      type DIGITS
 *   wait SCREEN [SECONDS]    expect TEXT    advance SECONDS    shot FILE.png
 *   db SQL => EXPECTED       synced [SECONDS]       pinpad KNOB=VALUE ...
 *   expect-speech TEXT       (voice mode: an utterance containing TEXT, after the last one matched)
 *   looks NAME               (the screen in every look: LOOK/NAME.png, each checked for overflow)
 *
 * SECONDS may have up to three decimals ("0.5"). */
#include <stddef.h>
#include <stdint.h>

enum script_op { SCRIPT_SCAN, SCRIPT_TAP, SCRIPT_HOLD, SCRIPT_TYPE, SCRIPT_WAIT, SCRIPT_EXPECT,
		 SCRIPT_ADVANCE, SCRIPT_SHOT, SCRIPT_DB, SCRIPT_SYNCED, SCRIPT_PINPAD, SCRIPT_EXPECT_SPEECH,
		 SCRIPT_LOOKS };

struct script_cmd {
	enum script_op op;
	int line;
	char *arg;        /* widget id, screen id, text, file, SQL, digits, knobs */
	char *expected;   /* db: the expected first row */
	uint8_t *data;    /* scan: the raw payload */
	size_t len;
	int64_t ms;       /* hold, wait, advance, synced: duration (-1: default) */
};

struct script {
	int n;
	struct script_cmd *cmds;
};

/* Parses a whole script.  On error returns -1 with "script:LINE: message" in err. */
int script_parse(const char *text, struct script *ret, char *err, size_t errcap);
void script_free(struct script *s);
const char *script_op_name(enum script_op op);
/* "1", "0.5", "2.250" -> ms; -1 on anything else. */
int64_t script_parse_seconds(const char *s);

#endif
