/* SPDX-License-Identifier: MIT */
/*
 * QMP event rate limiting as QEMU 7.2's monitor_qapi_event_queue_no_reenter():
 * per (event, key) the first event goes out at once and opens a window; within
 * it only the latest event is kept, and it goes out when the window closes
 * (which opens the next window). Not thread-safe: the caller locks.
 */
#ifndef MEMHP_TOOLS_QMP_THROTTLE_H
#define MEMHP_TOOLS_QMP_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

#define QMP_THROTTLE_MAX 64

struct qmp_throttle_slot {
	char *event, *key;
	char *pending;		/* the latest event text held back, or NULL */
	int64_t deadline_ms;	/* when the window closes */
};

struct qmp_throttle {
	struct qmp_throttle_slot slot[QMP_THROTTLE_MAX];
	int n;
};

/* The rate QEMU gives event (monitor_qapi_event_conf), in ms; 0 if not throttled. */
int64_t qmp_throttle_rate_ms(const char *event);
/* true: send text now; false: it is held (and replaces any event held for the key). */
bool qmp_throttle_offer(struct qmp_throttle *t, const char *event, const char *key, const char *text,
			int64_t now_ms);
/* Windows that closed by now: their held events go to emit; ms until the next deadline, or -1. */
int64_t qmp_throttle_expire(struct qmp_throttle *t, int64_t now_ms, void (*emit)(void *opaque, const char *text),
			    void *opaque);
void qmp_throttle_release(struct qmp_throttle *t);

#endif
