#ifndef TESTS_LIB_FLOW_DRIVE_H
#define TESTS_LIB_FLOW_DRIVE_H
/* A flow test's one flow, driven event by event as the shell would: each event moves the
 * monotonic clock 100 ms (and the wall clock too when flow_drive_wall is set), and every
 * step asserts that no action was dropped (a full action queue is a bug).  Include once,
 * in a cmocka test program, after <cmocka.h>. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/flow/flow.h"

static struct flow f;
static struct flow_out out;
static int64_t now;
static bool flow_drive_wall;

static inline void send(struct flow_event ev)
{
	memset(&out, 0, sizeof out);
	now += 100;
	if (flow_drive_wall)
		f.wall_ms += 100;
	flow_handle(&f, &ev, now, &out);
	assert_int_equal(out.dropped, 0);
}

static inline void tap(const char *id) { send((struct flow_event){ .type = FE_TAP, .widget = id }); }

static inline void scan(const char *s)
{
	send((struct flow_event){ .type = FE_SCAN, .data = (const uint8_t *)s, .len = strlen(s) });
}

/* Taps key_<c> for each character; ',' is key_comma. */
static inline void type(const char *keys)
{
	for (const char *p = keys; *p; p++) {
		char id[16];
		snprintf(id, sizeof id, *p == ',' ? "key_comma" : "key_%c", *p);
		tap(id);
	}
}

/* The last event's first action of type t (its payload to check), or NULL. */
static inline const struct flow_action *emitted(enum flow_action_type t)
{
	for (int i = 0; i < out.n; i++)
		if (out.a[i].type == t)
			return &out.a[i];
	return NULL;
}

#endif
