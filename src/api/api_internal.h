/* SPDX-License-Identifier: MIT */
/* What the parts of src/user share about one struct memhp. */
#ifndef MEMHP_USER_MEMHP_INTERNAL_H
#define MEMHP_USER_MEMHP_INTERNAL_H

#include <pthread.h>

#include "memhp/memhp.h"

struct machine;
struct kernel;
struct memhog;

struct memhp_notifier;
struct percpu_rw_semaphore;

struct memhp {
	/*
	 * The machine's lock: every public function holds it (api_lock), so
	 * one machine may be driven from several threads. Recursive, because
	 * callbacks the kernel makes under it (online-page, notifiers) call
	 * back into the API, and the shell's dmesg is memhp_dmesg().
	 */
	pthread_mutex_t lock;
	struct machine *machine;
	/* the guest's mem_hotplug_lock, fixed for the machine's life: the public reader
	 * pair goes straight to it, without a per-call machine lookup */
	struct percpu_rw_semaphore *online_mems;
	struct memhog *memhogs;		/* the guest's running memhog processes (memhog.c) */
	struct memhp_notifier *notifiers;	/* registered through the API (memhp_api.c) */
	memhp_online_page_fn online_page_fn;
	void *online_page_data;
	unsigned int offline_timeout_ms;
	/* memhp_cancel_offline(): when (CLOCK_MONOTONIC ns) it was last called; an offline
	 * that began before that moment ends with -EINTR */
	_Atomic long long cancel_ns;
	memhp_uevent_fn uevent_fn;	/* memhp_set_uevent_handler() */
	void *uevent_arg;
	memhp_trace_fn trace_fn;	/* memhp_set_trace_handler() */
	void *trace_arg;
};

/* The machine's lock (memhp.c); NULL-safe. */
void api_lock(struct memhp *m);
void api_unlock(struct memhp *m);

/* memhp_api.c: connect the kernel's hooks (log, offline cancel) to m. */
void api_attach_kernel_hooks(struct memhp *m);
void api_free_notifiers(struct memhp *m);

/* The guest kernel of m, for the parts of the library and the host tools (memhp serve). */
struct kernel *guest_kernel(struct memhp *m);

/* memhog.c: end every memhog of m (memhp_free). */
void memhog_free_all(struct memhp *m);
/* memhog.c, for tests: the pfn behind page index of memhog name, or -1UL. */
unsigned long memhog_pfn(struct memhp *m, const char *name, size_t index);

#endif
