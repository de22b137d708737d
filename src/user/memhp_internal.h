/* SPDX-License-Identifier: MIT */
/* What the parts of src/user share about one struct memhp. */
#ifndef MEMHP_USER_MEMHP_INTERNAL_H
#define MEMHP_USER_MEMHP_INTERNAL_H

#include "memhp/memhp.h"

struct machine;
struct kernel;
struct memhog;

struct memhp_notifier;

struct memhp {
	struct machine *machine;
	struct memhog *memhogs;		/* the guest's running memhog processes (memhog.c) */
	struct memhp_notifier *notifiers;	/* registered through the API (memhp_api.c) */
	memhp_online_page_fn online_page_fn;
	void *online_page_data;
	unsigned int offline_timeout_ms;
	_Atomic int cancel_offline;
	memhp_uevent_fn uevent_fn;	/* memhp_set_uevent_handler() */
	void *uevent_arg;
	memhp_trace_fn trace_fn;	/* memhp_set_trace_handler() */
	void *trace_arg;
};

/* memhp_api.c: connect the kernel's hooks (log, offline cancel) to m. */
void memhp_attach_kernel_hooks(struct memhp *m);
void memhp_api_free(struct memhp *m);

struct kernel *memhp_kernel(struct memhp *m);

/* memhog.c: end every memhog of m (memhp_free). */
void memhog_free_all(struct memhp *m);
/* memhog.c, for tests: the pfn behind page index of memhog name, or -1UL. */
unsigned long memhog_pfn(struct memhp *m, const char *name, size_t index);

#endif
