// SPDX-License-Identifier: MIT
/*
 * Uevents of the guest kernel for programs: the kernel calls
 * k->uevent(k->hook_opaque, ...) with hook_opaque = the struct memhp (set by
 * memhp_api.c); the handler a program registered for that struct memhp is
 * looked up here. The handlers live in a small table of their own so that
 * struct memhp need not change for them.
 */
#include "events.h"

#include <pthread.h>
#include <stdlib.h>

#include "../kernel/kernel.h"
#include "memhp_internal.h"

struct uevent_handler {
	struct memhp *m;
	memhp_uevent_fn fn;
	void *arg;
	struct uevent_handler *next;
};

static pthread_mutex_t handlers_lock = PTHREAD_MUTEX_INITIALIZER;
static struct uevent_handler *handlers;

static void uevent_dispatch(void *opaque, const char *action, const char *devpath,
			    const char *subsystem)
{
	struct memhp *m = opaque;
	memhp_uevent_fn fn = NULL;
	void *arg = NULL;

	pthread_mutex_lock(&handlers_lock);
	for (struct uevent_handler *h = handlers; h; h = h->next) {
		if (h->m == m) {
			fn = h->fn;
			arg = h->arg;
			break;
		}
	}
	pthread_mutex_unlock(&handlers_lock);
	if (fn)
		fn(arg, action, devpath, subsystem);
}

void memhp_set_uevent_handler(struct memhp *m, memhp_uevent_fn fn, void *arg)
{
	struct kernel *k;
	struct uevent_handler **p, *h;

	if (!m)
		return;
	k = memhp_kernel(m);
	pthread_mutex_lock(&handlers_lock);
	for (p = &handlers; *p; p = &(*p)->next)
		if ((*p)->m == m)
			break;
	h = *p;
	if (fn) {
		if (!h) {
			h = calloc(1, sizeof(*h));
			if (!h)
				abort();
			h->m = m;
			*p = h;
		}
		h->fn = fn;
		h->arg = arg;
	} else if (h) {
		*p = h->next;
		free(h);
	}
	pthread_mutex_unlock(&handlers_lock);
	if (k) {
		/* hook_opaque stays the struct memhp, as memhp_api.c sets it */
		k->hook_opaque = m;
		k->uevent = fn ? uevent_dispatch : NULL;
	}
}
