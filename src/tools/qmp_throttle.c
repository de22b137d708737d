// SPDX-License-Identifier: MIT
/* QMP event rate limiting (QEMU 7.2 monitor/monitor.c's event throttling). */
#include "qmp_throttle.h"

#include <stdlib.h>
#include <string.h>

int64_t qmp_throttle_rate_ms(const char *event)
{
	/* monitor_qapi_event_conf[]: the events memhp can raise that QEMU throttles */
	if (!strcmp(event, "MEMORY_DEVICE_SIZE_CHANGE"))
		return 1000;
	return 0;
}

static void drop(struct qmp_throttle *t, int i)
{
	free(t->slot[i].event);
	free(t->slot[i].key);
	free(t->slot[i].pending);
	t->slot[i] = t->slot[--t->n];
}

bool qmp_throttle_offer(struct qmp_throttle *t, const char *event, const char *key, const char *text,
			int64_t now_ms)
{
	int64_t rate = qmp_throttle_rate_ms(event);
	struct qmp_throttle_slot *s;

	if (!rate)
		return true;
	for (int i = 0; i < t->n; i++) {
		s = &t->slot[i];
		if (strcmp(s->event, event) || strcmp(s->key, key))
			continue;
		free(s->pending);
		s->pending = strdup(text);
		return false;
	}
	if (t->n == QMP_THROTTLE_MAX)
		return true;	/* more keys than memhp has devices: never hold an event back without a slot */
	s = &t->slot[t->n];
	s->event = strdup(event);
	s->key = strdup(key);
	s->pending = NULL;
	s->deadline_ms = now_ms + rate;
	if (!s->event || !s->key) {
		free(s->event);
		free(s->key);
		return true;
	}
	t->n++;
	return true;
}

int64_t qmp_throttle_expire(struct qmp_throttle *t, int64_t now_ms, void (*emit)(void *opaque, const char *text),
			    void *opaque)
{
	int64_t next = -1;

	for (int i = 0; i < t->n;) {
		struct qmp_throttle_slot *s = &t->slot[i];

		if (s->deadline_ms > now_ms) {
			if (next < 0 || s->deadline_ms - now_ms < next)
				next = s->deadline_ms - now_ms;
			i++;
			continue;
		}
		if (!s->pending) {
			/* monitor_qapi_event_handler(): a quiet window ends the throttling */
			drop(t, i);
			continue;
		}
		emit(opaque, s->pending);
		free(s->pending);
		s->pending = NULL;
		s->deadline_ms = now_ms + qmp_throttle_rate_ms(s->event);
		if (next < 0 || s->deadline_ms - now_ms < next)
			next = s->deadline_ms - now_ms;
		i++;
	}
	return next;
}

void qmp_throttle_release(struct qmp_throttle *t)
{
	while (t->n)
		drop(t, t->n - 1);
}
