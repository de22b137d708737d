// SPDX-License-Identifier: MIT
/*
 * Uevents of the guest kernel for programs: the kernel calls
 * k->uevent(k->hook_opaque, ...) with hook_opaque = the struct memhp.
 */
#include "../api/api_internal.h"

#include "../kernel/kernel.h"

static void uevent_dispatch(void *opaque, const char *action, const char *devpath,
			    const char *subsystem)
{
	struct memhp *m = opaque;
	if (m->uevent_fn)
		m->uevent_fn(m->uevent_arg, action, devpath, subsystem);
}

void memhp_set_uevent_handler(struct memhp *m, memhp_uevent_fn fn, void *arg)
{
	if (!m)
		return;
	struct kernel *k = guest_kernel(m);
	api_lock(m);
	m->uevent_fn = fn;
	m->uevent_arg = arg;
	k->uevent = fn ? uevent_dispatch : NULL;
	api_unlock(m);
}
