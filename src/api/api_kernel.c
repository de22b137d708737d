// SPDX-License-Identifier: MIT
/*
 * The embedding half of the public API: memory notifiers, the online-page
 * callback, guest page allocation with handles that follow migration,
 * get/put_online_mems, offline cancellation and the kernel log.
 */
#include "../api/api_internal.h"
#include "../lib/alloc.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../kernel/kernel.h"
#include "../mm/internal.h"
#include "../mm/memory_hotplug.h"
#include "../mm/page_owner.h"
#include "../machine/machine.h"

struct memhp_notifier {
	struct notifier_block nb;	/* first: the chain hands it back */
	struct memhp *m;
	memhp_memory_notifier_fn fn;
	void *data;
	struct memhp_notifier *next;
};

struct memhp_page {
	struct page_owner owner;	/* first: migration hands it back */
	unsigned long pfn;
	unsigned int order;
	bool movable, pinned;
};

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* offline_pages() asks between migration passes; a "signal" ends it with EINTR */
static bool offline_cancel(void *opaque)
{
	struct memhp *m = opaque;
	struct kernel *k = guest_kernel(m);
	/* only a cancel made after this offline began counts: one made before is spent */
	if (atomic_load(&m->cancel_ns) >= k->offline_start_ns)
		return true;
	return m->offline_timeout_ms &&
	       now_ns() - k->offline_start_ns > (long long)m->offline_timeout_ms * 1000000LL;
}

/* a write to an ACPI memory device's eject file: the platform finishes the eject */
static void acpi_eject(void *opaque, int slot)
{
	struct memhp *m = opaque;
	machine_acpi_eject(m->machine, slot);
}

void api_attach_kernel_hooks(struct memhp *m)
{
	struct kernel *k = guest_kernel(m);
	k->hook_opaque = m;
	k->offline_cancel = offline_cancel;
	k->acpi_eject = acpi_eject;
	m->online_mems = &k->mem_hotplug_lock;
}

void api_free_notifiers(struct memhp *m)
{
	struct kernel *k = guest_kernel(m);
	while (m->notifiers) {
		struct memhp_notifier *n = m->notifiers;
		m->notifiers = n->next;
		unregister_memory_notifier(k, &n->nb);
		free(n);
	}
}

/* ---- notifiers ---- */

static int notifier_trampoline(struct notifier_block *nb, unsigned long action, void *data)
{
	struct memhp_notifier *n = (struct memhp_notifier *)nb;
	const struct memory_notify *mn = data;
	struct memhp_memory_notify arg = { mn->start_pfn, mn->nr_pages, mn->status_change_nid_normal,
					   mn->status_change_nid };
	return n->fn(n->m, action, &arg, n->data);
}

int memhp_register_memory_notifier(struct memhp *m, memhp_memory_notifier_fn fn, void *data,
				   int priority, struct memhp_notifier **out)
{
	if (!m || !fn)
		return -EINVAL;
	struct memhp_notifier *n = mh_calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->nb.notifier_call = notifier_trampoline;
	n->nb.priority = priority;
	n->m = m;
	n->fn = fn;
	n->data = data;
	api_lock(m);
	int rc = register_memory_notifier(guest_kernel(m), &n->nb);
	if (!rc) {
		n->next = m->notifiers;
		m->notifiers = n;
	}
	api_unlock(m);
	if (rc) {
		free(n);
		return rc;
	}
	if (out)
		*out = n;
	return 0;
}

int memhp_unregister_memory_notifier(struct memhp *m, struct memhp_notifier *n)
{
	if (!m || !n)
		return -EINVAL;
	api_lock(m);
	for (struct memhp_notifier **p = &m->notifiers; *p; p = &(*p)->next) {
		if (*p != n)
			continue;
		*p = n->next;
		unregister_memory_notifier(guest_kernel(m), &n->nb);
		api_unlock(m);
		free(n);
		return 0;
	}
	api_unlock(m);
	return -ENOENT;
}

/* ---- online-page callback ---- */

static void online_page_trampoline(struct kernel *k, unsigned long pfn, unsigned int order)
{
	struct memhp *m = k->hook_opaque;
	m->online_page_fn(m, pfn, order, m->online_page_data);
}

int memhp_set_online_page_callback(struct memhp *m, memhp_online_page_fn fn, void *data)
{
	if (!m || !fn)
		return -EINVAL;
	api_lock(m);
	int rc = set_online_page_callback(guest_kernel(m), online_page_trampoline);
	if (!rc) {
		m->online_page_fn = fn;
		m->online_page_data = data;
	}
	api_unlock(m);
	return rc;
}

int memhp_restore_online_page_callback(struct memhp *m, memhp_online_page_fn fn)
{
	if (!m)
		return -EINVAL;
	api_lock(m);
	int rc = -EINVAL;
	if (fn == m->online_page_fn)
		rc = restore_online_page_callback(guest_kernel(m), online_page_trampoline);
	if (!rc)
		m->online_page_fn = NULL;
	api_unlock(m);
	return rc;
}

void memhp_generic_online_page(struct memhp *m, unsigned long pfn, unsigned int order)
{
	if (!m)
		return;
	api_lock(m);
	generic_online_page(guest_kernel(m), pfn, order);
	api_unlock(m);
}

/* ---- pages ---- */

static void page_migrated(struct kernel *k, struct page_owner *o, unsigned long cookie,
			  unsigned long old_pfn, unsigned long new_pfn)
{
	((struct memhp_page *)o)->pfn = new_pfn;
}

struct memhp_page *memhp_alloc_pages(struct memhp *m, enum memhp_alloc_type type,
				     unsigned int order, int nid)
{
	if (!m || order >= MAX_ORDER)
		return NULL;
	struct kernel *k = guest_kernel(m);
	if (nid < 0)
		nid = k->boot.nr_nodes > 0 ? k->boot.cpu_to_node[0] : 0;
	if (nid >= MAX_NUMNODES)
		return NULL;
	struct memhp_page *p = mh_calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->owner.name = "memhp_alloc_pages";
	p->owner.kind = OWNER_ANON;
	p->owner.migrated = page_migrated;
	p->order = order;
	p->movable = type == MEMHP_ALLOC_MOVABLE;
	api_lock(m);
	get_online_mems(k);
	p->pfn = p->movable ? alloc_movable_pages(k, &p->owner, 0, order, nid)
			    : alloc_kernel_pages(k, order, nid);
	put_online_mems(k);
	api_unlock(m);
	if (p->pfn == -1UL) {
		free(p);
		return NULL;
	}
	return p;
}

void memhp_free_pages(struct memhp *m, struct memhp_page *p)
{
	if (!m || !p)
		return;
	struct kernel *k = guest_kernel(m);
	api_lock(m);
	get_online_mems(k);
	if (p->pinned)
		unpin_page(k, p->pfn);
	free_owned_pages(k, p->pfn, p->order);
	put_online_mems(k);
	api_unlock(m);
	free(p);
}

unsigned long memhp_page_pfn(const struct memhp_page *p) { return p ? p->pfn : -1UL; }

void *memhp_page_data(struct memhp *m, const struct memhp_page *p)
{
	if (!m || !p)
		return NULL;
	struct kernel *k = guest_kernel(m);
	return k->boot.host_ptr ? k->boot.host_ptr(k->boot.host_opaque, PFN_PHYS(p->pfn),
						   PAGE_SIZE << p->order) : NULL;
}

void memhp_pin_page(struct memhp *m, struct memhp_page *p)
{
	if (!m || !p)
		return;
	api_lock(m);
	if (!p->pinned) {
		pin_page(guest_kernel(m), p->pfn);
		p->pinned = true;
	}
	api_unlock(m);
}

void memhp_unpin_page(struct memhp *m, struct memhp_page *p)
{
	if (!m || !p)
		return;
	api_lock(m);
	if (p->pinned) {
		unpin_page(guest_kernel(m), p->pfn);
		p->pinned = false;
	}
	api_unlock(m);
}

/*
 * The reader path stays lock-free: no machine lock, only the per-CPU
 * semaphore, reached through the pointer memhp_new() cached (the guest
 * kernel lives as long as the machine).
 */
void memhp_get_online_mems(struct memhp *m)
{
	if (__builtin_expect(m != NULL, 1))
		percpu_down_read(m->online_mems);
}

void memhp_put_online_mems(struct memhp *m)
{
	if (__builtin_expect(m != NULL, 1))
		percpu_up_read(m->online_mems);
}

void memhp_set_offline_timeout(struct memhp *m, unsigned int ms)
{
	if (!m)
		return;
	api_lock(m);
	m->offline_timeout_ms = ms;
	api_unlock(m);
}

/* Async-signal-safe: clock_gettime() and a lock-free atomic store, no lock. */
void memhp_cancel_offline(struct memhp *m)
{
	if (m)
		atomic_store(&m->cancel_ns, now_ns());
}

static void trace_dispatch(void *opaque, const char *line)
{
	struct memhp *m = opaque;
	if (m->trace_fn)
		m->trace_fn(m->trace_arg, line);
}

void memhp_set_trace_handler(struct memhp *m, memhp_trace_fn fn, void *arg)
{
	if (!m)
		return;
	api_lock(m);
	m->trace_fn = fn;
	m->trace_arg = arg;
	ftrace_set_listener(guest_kernel(m), fn ? trace_dispatch : NULL, m);
	api_unlock(m);
}

int memhp_dmesg(struct memhp *m, char **out)
{
	if (out)
		*out = NULL;
	if (!m || !out)
		return -EINVAL;
	struct kernel *k = guest_kernel(m);
	api_lock(m);
	*out = mh_strdup(sb_str(&k->log));
	api_unlock(m);
	return *out ? 0 : -ENOMEM;
}
