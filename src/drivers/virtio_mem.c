// SPDX-License-Identifier: MIT
/*
 * The virtio-mem guest driver of Linux 6.1 (drivers/virtio/virtio_mem.c) in
 * Sub Block Mode: the device's memory is added to Linux one memory block at
 * a time (add_memory_driver_managed() into a dynamic memory group), and
 * plugged or unplugged in subblocks (max(device block size, pageblock size)
 * = 2 MiB by default). The core's auto-online onlines the added blocks; the
 * driver's online-page callback hands plugged subblocks to the buddy and
 * keeps unplugged ones fake-offline (PageOffline, not managed). Unplugging
 * takes subblocks of offline blocks first, then of online ZONE_MOVABLE and
 * then kernel blocks (alloc_contig_range), highest block first, and removes
 * blocks that end up fully unplugged.
 *
 * Linux's work item runs synchronously here: probe and every config change
 * (QEMU's qom-set requested-size) run virtio_mem_run_wq() at once, and again
 * when the run queued itself (virtio_mem_retry() after memory was removed),
 * as the workqueue runs a work item queued while it runs once more. The
 * retry timer (50 s and more), and the retry queued when memory is onlined
 * from outside the work item, are not modelled. The functions Linux 6.1
 * calls out of line are entered for ftrace under their names (docs/tracing.md).
 * memhp extension.
 */
#include "virtio_mem.h"
#include "../lib/alloc.h"
#include "../kernel/kernel.h"
#include "../lib/list.h"
#include "../mm/internal.h"
#include "../mm/memory_hotplug.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../acpi/acpi.h"
#include "../kernel/ftrace.h"

/* The driver is a module: ftrace names its functions with the module's name. */
#define VM_FN(name) name " [virtio_mem]"

enum virtio_mem_sbm_mb_state {
	VIRTIO_MEM_SBM_MB_UNUSED = 0,		/* unplugged, not added */
	VIRTIO_MEM_SBM_MB_PLUGGED,		/* (partially) plugged, not added: add failed */
	VIRTIO_MEM_SBM_MB_OFFLINE,		/* fully plugged, added, offline */
	VIRTIO_MEM_SBM_MB_OFFLINE_PARTIAL,
	VIRTIO_MEM_SBM_MB_KERNEL,		/* fully plugged, online, not ZONE_MOVABLE */
	VIRTIO_MEM_SBM_MB_KERNEL_PARTIAL,
	VIRTIO_MEM_SBM_MB_MOVABLE,		/* fully plugged, online, ZONE_MOVABLE */
	VIRTIO_MEM_SBM_MB_MOVABLE_PARTIAL,
	VIRTIO_MEM_SBM_MB_COUNT
};

#define VIRTIO_MEM_DEFAULT_OFFLINE_THRESHOLD	(1024ULL * 1024 * 1024)

struct virtio_mem {
	struct kernel *k;
	char name[16];				/* virtio<N> */
	const struct virtio_mem_dev_ops *ops;
	void *opaque;

	uint64_t plugged_size, requested_size;
	uint64_t device_block_size;
	int nid, mgid;
	uint64_t addr, region_size;

	struct resource *parent_resource;
	uint64_t offline_size, offline_threshold;

	unsigned long first_mb_id, last_usable_mb_id, next_mb_id;
	uint64_t sb_size;
	unsigned int sbs_per_mb;
	unsigned long mb_count[VIRTIO_MEM_SBM_MB_COUNT];
	uint8_t *mb_states;		/* per memory block from first_mb_id */
	uint8_t *sb_states;		/* per subblock: 1 = plugged */
	size_t nr_mbs_alloc;

	bool unplug_all_required, config_changed, broken, hotplug_active, wq_active;
	bool wq_queued;			/* virtio_mem_retry(): the work item runs (again) */
	struct notifier_block memory_notifier;
	struct virtio_mem *next;
};

static struct virtio_mem **vm_list(struct kernel *k)
{
	return &k->virtio_mem_devices;
}

static uint64_t mb_size(const struct virtio_mem *vm)
{
	return memory_block_size_bytes(vm->k);
}

static unsigned long phys_to_mb_id(const struct virtio_mem *vm, uint64_t addr)
{
	return (unsigned long)(addr / mb_size(vm));
}

static uint64_t mb_id_to_phys(const struct virtio_mem *vm, unsigned long mb_id)
{
	return (uint64_t)mb_id * mb_size(vm);
}

static unsigned int phys_to_sb_id(const struct virtio_mem *vm, uint64_t addr)
{
	return (unsigned int)((addr - mb_id_to_phys(vm, phys_to_mb_id(vm, addr))) / vm->sb_size);
}

static void set_mb_state(struct virtio_mem *vm, unsigned long mb_id, uint8_t state)
{
	uint8_t *s = &vm->mb_states[mb_id - vm->first_mb_id];
	vm->mb_count[*s]--;
	vm->mb_count[state]++;
	*s = state;
}

static uint8_t get_mb_state(const struct virtio_mem *vm, unsigned long mb_id)
{
	return vm->mb_states[mb_id - vm->first_mb_id];
}

static uint8_t *sb_bit(struct virtio_mem *vm, unsigned long mb_id, unsigned int sb_id)
{
	return &vm->sb_states[(mb_id - vm->first_mb_id) * vm->sbs_per_mb + sb_id];
}

static void set_sb(struct virtio_mem *vm, unsigned long mb_id, unsigned int sb_id, unsigned int count,
		   uint8_t v)
{
	for (unsigned int i = 0; i < count; i++)
		*sb_bit(vm, mb_id, sb_id + i) = v;
}

static bool test_sb_plugged(struct virtio_mem *vm, unsigned long mb_id, unsigned int sb_id,
			    unsigned int count)
{
	for (unsigned int i = 0; i < count; i++)
		if (!*sb_bit(vm, mb_id, sb_id + i))
			return false;
	return true;
}

static bool test_sb_unplugged(struct virtio_mem *vm, unsigned long mb_id, unsigned int sb_id,
			      unsigned int count)
{
	for (unsigned int i = 0; i < count; i++)
		if (*sb_bit(vm, mb_id, sb_id + i))
			return false;
	return true;
}

static unsigned int first_unplugged_sb(struct virtio_mem *vm, unsigned long mb_id)
{
	unsigned int sb_id = 0;
	while (sb_id < vm->sbs_per_mb && *sb_bit(vm, mb_id, sb_id))
		sb_id++;
	return sb_id;
}

/* ---- talking to the device ---- */

/* virtio_mem_send_request(): the request on the virtqueue, the device's answer */
static int send_request(struct virtio_mem *vm, int type, uint64_t addr, uint64_t size)
{
	ftrace_func_as(vm->k, VM_FN("virtio_mem_send_request"));
	return vm->ops->request(vm->opaque, type, addr, size / vm->device_block_size);
}

/*
 * virtio_mem_send_plug_request() and virtio_mem_send_unplug_request() (out
 * of line), virtio_mem_send_unplug_all_request() (inlined): the answer as
 * an errno, the plugged size after it.
 */
static int send_typed_request(struct virtio_mem *vm, int type, uint64_t addr, uint64_t size)
{
	int resp;

	if (type == VIRTIO_MEM_REQ_PLUG) {
		ftrace_func_as(vm->k, VM_FN("virtio_mem_send_plug_request"));
		resp = send_request(vm, type, addr, size);
	} else if (type == VIRTIO_MEM_REQ_UNPLUG) {
		ftrace_func_as(vm->k, VM_FN("virtio_mem_send_unplug_request"));
		resp = send_request(vm, type, addr, size);
	} else {
		resp = send_request(vm, type, addr, size);
	}
	switch (resp) {
	case VIRTIO_MEM_RESP_ACK:
		if (type == VIRTIO_MEM_REQ_PLUG)
			vm->plugged_size += size;
		else if (type == VIRTIO_MEM_REQ_UNPLUG)
			vm->plugged_size -= size;
		return 0;
	case VIRTIO_MEM_RESP_NACK:
		return -EAGAIN;
	case VIRTIO_MEM_RESP_BUSY:
		return -ETXTBSY;
	case VIRTIO_MEM_RESP_ERROR:
		return -EINVAL;
	}
	return -ENOMEM;
}

/* Ask the device to plug (or unplug) count subblocks; the bitmap follows its answer. */
static int sbm_request_sb(struct virtio_mem *vm, unsigned long mb_id, unsigned int sb_id,
			  unsigned int count, bool plug)
{
	uint64_t addr = mb_id_to_phys(vm, mb_id) + sb_id * vm->sb_size;
	int rc = send_typed_request(vm, plug ? VIRTIO_MEM_REQ_PLUG : VIRTIO_MEM_REQ_UNPLUG, addr,
			      count * vm->sb_size);
	if (!rc)
		set_sb(vm, mb_id, sb_id, count, plug);
	return rc;
}

static int sbm_plug_sb(struct virtio_mem *vm, unsigned long mb_id, unsigned int sb_id, unsigned int count)
{
	ftrace_func_as(vm->k, VM_FN("virtio_mem_sbm_plug_sb"));
	return sbm_request_sb(vm, mb_id, sb_id, count, true);
}

static int sbm_unplug_sb(struct virtio_mem *vm, unsigned long mb_id, unsigned int sb_id, unsigned int count)
{
	ftrace_func_as(vm->k, VM_FN("virtio_mem_sbm_unplug_sb"));
	return sbm_request_sb(vm, mb_id, sb_id, count, false);
}

/* ---- adding and removing memory ---- */

static bool could_add_memory(struct virtio_mem *vm, uint64_t size)
{
	if (size > vm->offline_threshold)
		return false;
	return vm->offline_size + size <= vm->offline_threshold;
}

/* virtio_mem_retry(): the work item runs again once the running one ends */
static void virtio_mem_retry(struct virtio_mem *vm)
{
	vm->wq_queued = true;
}

/* virtio_mem_sbm_add_mb(), inlined, and the virtio_mem_add_memory() it calls */
static int sbm_add_mb(struct virtio_mem *vm, unsigned long mb_id)
{
	uint64_t addr = mb_id_to_phys(vm, mb_id), size = mb_size(vm);
	ftrace_func_as(vm->k, VM_FN("virtio_mem_add_memory"));
	/* the memory may get onlined at once: the notifier subtracts it again */
	vm->offline_size += size;
	int rc = add_memory_driver_managed(vm->k, vm->mgid, addr, size, "System RAM (virtio_mem)",
					   MHP_MERGE_RESOURCE | MHP_NID_IS_MGID);
	if (rc) {
		vm->offline_size -= size;
		klog(vm->k, "virtio_mem %s: adding memory failed: %d", vm->name, rc);
	}
	return rc;
}

/* virtio_mem_sbm_remove_mb(), inlined, and virtio_mem_remove_memory() */
static int sbm_remove_mb(struct virtio_mem *vm, unsigned long mb_id)
{
	ftrace_func_as(vm->k, VM_FN("virtio_mem_remove_memory"));
	int rc = remove_memory(vm->k, mb_id_to_phys(vm, mb_id), mb_size(vm));
	if (!rc) {
		vm->offline_size -= mb_size(vm);
		/* freed memory may let a pending unplug go on */
		virtio_mem_retry(vm);
	}
	return rc;
}

/* virtio_mem_sbm_offline_and_remove_mb(), inlined, and virtio_mem_offline_and_remove_memory() */
static int sbm_offline_and_remove_mb(struct virtio_mem *vm, unsigned long mb_id)
{
	ftrace_func_as(vm->k, VM_FN("virtio_mem_offline_and_remove_memory"));
	int rc = offline_and_remove_memory(vm->k, mb_id_to_phys(vm, mb_id), mb_size(vm));
	if (!rc) {
		vm->offline_size -= mb_size(vm);
		virtio_mem_retry(vm);
	}
	return rc;
}

/* ---- fake-offline pages ---- */

static void set_fake_offline(struct kernel *k, unsigned long pfn, unsigned long nr_pages)
{
	ftrace_func_as(k, VM_FN("virtio_mem_set_fake_offline"));
	for (unsigned long i = 0; i < nr_pages; i++) {
		struct page *p = pfn_to_page(k, pfn + i);
		p->flags = (p->flags & ~PG_reserved) | PG_offline;
	}
}

/* Give plugged, fake-offline pages to the buddy (virtio_mem_fake_online()). */
static void fake_online(struct kernel *k, unsigned long pfn, unsigned long nr_pages)
{
	ftrace_func_as(k, VM_FN("virtio_mem_fake_online"));
	struct zone *zone = page_zone(k, pfn);
	free_contig_range(k, pfn, nr_pages);
	adjust_managed_page_count(k, zone, (long)nr_pages);
}

/* Take an online range away from the buddy (virtio_mem_fake_offline()). */
static int fake_offline(struct kernel *k, unsigned long pfn, unsigned long nr_pages)
{
	ftrace_func_as(k, VM_FN("virtio_mem_fake_offline"));
	struct zone *zone = page_zone(k, pfn);
	bool movable = zone && zone->idx == ZONE_MOVABLE;
	for (int retry = 0; retry < 5; retry++) {
		int rc = alloc_contig_range(k, pfn, pfn + nr_pages);
		if (rc == -ENOMEM)
			return rc;
		if (rc && !movable)
			break;
		if (rc)
			continue;
		set_fake_offline(k, pfn, nr_pages);
		adjust_managed_page_count(k, zone, -(long)nr_pages);
		return 0;
	}
	return -EBUSY;
}

static void online_page_cb(struct kernel *k, unsigned long pfn, unsigned int order)
{
	ftrace_func_as(k, VM_FN("virtio_mem_online_page_cb"));
	uint64_t start = (uint64_t)pfn << PAGE_SHIFT, end = start + ((uint64_t)PAGE_SIZE << order);

	for (struct virtio_mem *vm = *vm_list(k); vm; vm = vm->next) {
		if (start < vm->addr || end > vm->addr + vm->region_size)
			continue;
		/* a chunk may mix plugged and unplugged subblocks: then go subblock-wise */
		for (uint64_t addr = start; addr < end;) {
			unsigned long id = phys_to_mb_id(vm, addr);
			uint64_t next = addr + ((uint64_t)PAGE_SIZE << order);
			unsigned int sb_id = phys_to_sb_id(vm, addr);
			unsigned int count = phys_to_sb_id(vm, next - 1) - sb_id + 1;
			bool do_online;
			if (test_sb_plugged(vm, id, sb_id, count)) {
				do_online = true;
			} else if (count == 1 || test_sb_unplugged(vm, id, sb_id, count)) {
				do_online = false;
			} else {
				order = (unsigned int)__builtin_ctzll(vm->sb_size) - PAGE_SHIFT;
				continue;
			}
			if (do_online)
				generic_online_page(k, (unsigned long)(addr >> PAGE_SHIFT), order);
			else
				set_fake_offline(k, (unsigned long)(addr >> PAGE_SHIFT), 1UL << order);
			addr = next;
		}
		return;
	}
	/* not virtio-mem memory (e.g. a DIMM) */
	generic_online_page(k, pfn, order);
}

/* ---- memory notifier ---- */

static void fake_offline_going_offline(struct virtio_mem *vm, unsigned long pfn, unsigned long nr)
{
	ftrace_func_as(vm->k, VM_FN("virtio_mem_fake_offline_going_offline"));
	adjust_managed_page_count(vm->k, page_zone(vm->k, pfn), (long)nr);
	for (unsigned long i = 0; i < nr; i++)
		pfn_to_page(vm->k, pfn + i)->_refcount--;
}

static void fake_offline_cancel_offline(struct virtio_mem *vm, unsigned long pfn, unsigned long nr)
{
	ftrace_func_as(vm->k, VM_FN("virtio_mem_fake_offline_cancel_offline"));
	adjust_managed_page_count(vm->k, page_zone(vm->k, pfn), -(long)nr);
	for (unsigned long i = 0; i < nr; i++)
		pfn_to_page(vm->k, pfn + i)->_refcount++;
}

static void for_each_unplugged_sb(struct virtio_mem *vm, unsigned long mb_id,
				  void (*fn)(struct virtio_mem *, unsigned long, unsigned long))
{
	for (unsigned int sb_id = 0; sb_id < vm->sbs_per_mb; sb_id++) {
		if (test_sb_plugged(vm, mb_id, sb_id, 1))
			continue;
		uint64_t addr = mb_id_to_phys(vm, mb_id) + sb_id * vm->sb_size;
		fn(vm, (unsigned long)(addr >> PAGE_SHIFT), (unsigned long)(vm->sb_size >> PAGE_SHIFT));
	}
}

static int memory_notifier_cb(struct notifier_block *nb, unsigned long action, void *arg)
{
	struct virtio_mem *vm = container_of(nb, struct virtio_mem, memory_notifier);
	ftrace_func_as(vm->k, VM_FN("virtio_mem_memory_notifier_cb"));
	struct memory_notify *mhp = arg;
	uint64_t start = (uint64_t)mhp->start_pfn << PAGE_SHIFT, size = (uint64_t)mhp->nr_pages << PAGE_SHIFT;
	unsigned long mb_id = phys_to_mb_id(vm, start);
	int rc = NOTIFY_OK;
	uint8_t st;

	if (!(start < vm->addr + vm->region_size && vm->addr < start + size))
		return NOTIFY_DONE;
	if (size != mb_size(vm) || start % mb_size(vm))
		return NOTIFY_BAD;

	switch (action) {
	case MEM_GOING_OFFLINE:
		vm->hotplug_active = true;
		for_each_unplugged_sb(vm, mb_id, fake_offline_going_offline);
		break;
	case MEM_GOING_ONLINE:
		st = get_mb_state(vm, mb_id);
		if (st != VIRTIO_MEM_SBM_MB_OFFLINE && st != VIRTIO_MEM_SBM_MB_OFFLINE_PARTIAL) {
			klog(vm->k, "virtio_mem %s: memory block onlining denied", vm->name);
			return NOTIFY_BAD;
		}
		vm->hotplug_active = true;
		break;
	case MEM_OFFLINE:
		switch (get_mb_state(vm, mb_id)) {
		case VIRTIO_MEM_SBM_MB_KERNEL:
		case VIRTIO_MEM_SBM_MB_MOVABLE:
			set_mb_state(vm, mb_id, VIRTIO_MEM_SBM_MB_OFFLINE);
			break;
		case VIRTIO_MEM_SBM_MB_KERNEL_PARTIAL:
		case VIRTIO_MEM_SBM_MB_MOVABLE_PARTIAL:
			set_mb_state(vm, mb_id, VIRTIO_MEM_SBM_MB_OFFLINE_PARTIAL);
			break;
		}
		vm->offline_size += size;
		vm->hotplug_active = false;
		break;
	case MEM_ONLINE: {
		struct zone *z = page_zone(vm->k, mhp->start_pfn);
		bool movable = z && z->idx == ZONE_MOVABLE;
		if (get_mb_state(vm, mb_id) == VIRTIO_MEM_SBM_MB_OFFLINE)
			set_mb_state(vm, mb_id, movable ? VIRTIO_MEM_SBM_MB_MOVABLE : VIRTIO_MEM_SBM_MB_KERNEL);
		else if (get_mb_state(vm, mb_id) == VIRTIO_MEM_SBM_MB_OFFLINE_PARTIAL)
			set_mb_state(vm, mb_id, movable ? VIRTIO_MEM_SBM_MB_MOVABLE_PARTIAL :
					  VIRTIO_MEM_SBM_MB_KERNEL_PARTIAL);
		vm->offline_size -= size;
		vm->hotplug_active = false;
		break;
	}
	case MEM_CANCEL_OFFLINE:
		if (!vm->hotplug_active)
			break;
		for_each_unplugged_sb(vm, mb_id, fake_offline_cancel_offline);
		vm->hotplug_active = false;
		break;
	case MEM_CANCEL_ONLINE:
		vm->hotplug_active = false;
		break;
	}
	return rc;
}

/* ---- plugging ---- */

static int sbm_prepare_next_mb(struct virtio_mem *vm, unsigned long *mb_id)
{
	if (vm->next_mb_id > vm->last_usable_mb_id)
		return -ENOSPC;
	size_t idx = vm->next_mb_id - vm->first_mb_id;
	if (idx >= vm->nr_mbs_alloc) {
		size_t n = vm->nr_mbs_alloc ? vm->nr_mbs_alloc * 2 : 16;
		uint8_t *ms = mh_realloc(vm->mb_states, n);
		if (!ms)
			return -ENOMEM;
		vm->mb_states = ms;
		uint8_t *ss = mh_realloc(vm->sb_states, n * vm->sbs_per_mb);
		if (!ss)
			return -ENOMEM;
		vm->sb_states = ss;
		memset(ms + vm->nr_mbs_alloc, 0, n - vm->nr_mbs_alloc);
		memset(ss + vm->nr_mbs_alloc * vm->sbs_per_mb, 0, (n - vm->nr_mbs_alloc) * vm->sbs_per_mb);
		vm->nr_mbs_alloc = n;
	}
	vm->mb_count[VIRTIO_MEM_SBM_MB_UNUSED]++;
	*mb_id = vm->next_mb_id++;
	return 0;
}

static int sbm_plug_and_add_mb(struct virtio_mem *vm, unsigned long mb_id, uint64_t *nb_sb)
{
	ftrace_func_as(vm->k, VM_FN("virtio_mem_sbm_plug_and_add_mb"));
	unsigned int count = *nb_sb < vm->sbs_per_mb ? (unsigned int)*nb_sb : vm->sbs_per_mb;
	int rc;

	if (!count)
		return -EINVAL;
	/* plugged before adding, so that onlining onlines exactly the plugged subblocks */
	rc = sbm_plug_sb(vm, mb_id, 0, count);
	if (rc)
		return rc;
	set_mb_state(vm, mb_id, count == vm->sbs_per_mb ? VIRTIO_MEM_SBM_MB_OFFLINE :
		     VIRTIO_MEM_SBM_MB_OFFLINE_PARTIAL);
	rc = sbm_add_mb(vm, mb_id);
	if (rc) {
		uint8_t st = VIRTIO_MEM_SBM_MB_UNUSED;
		if (sbm_unplug_sb(vm, mb_id, 0, count))
			st = VIRTIO_MEM_SBM_MB_PLUGGED;
		set_mb_state(vm, mb_id, st);
		return rc;
	}
	*nb_sb -= count;
	return 0;
}

static int sbm_plug_any_sb(struct virtio_mem *vm, unsigned long mb_id, uint64_t *nb_sb)
{
	const uint8_t old_state = get_mb_state(vm, mb_id);

	if (!*nb_sb)
		return -EINVAL;
	while (*nb_sb) {
		unsigned int sb_id = first_unplugged_sb(vm, mb_id), count = 1;
		if (sb_id >= vm->sbs_per_mb)
			break;
		while (count < *nb_sb && sb_id + count < vm->sbs_per_mb &&
		       !test_sb_plugged(vm, mb_id, sb_id + count, 1))
			count++;
		int rc = sbm_plug_sb(vm, mb_id, sb_id, count);
		if (rc)
			return rc;
		*nb_sb -= count;
		if (old_state == VIRTIO_MEM_SBM_MB_OFFLINE_PARTIAL)
			continue;
		/* the block is online: give the pages to the buddy */
		uint64_t addr = mb_id_to_phys(vm, mb_id) + sb_id * vm->sb_size;
		fake_online(vm->k, (unsigned long)(addr >> PAGE_SHIFT),
			    (unsigned long)((count * vm->sb_size) >> PAGE_SHIFT));
	}
	/* the fully plugged state precedes each partial one */
	if (test_sb_plugged(vm, mb_id, 0, vm->sbs_per_mb))
		set_mb_state(vm, mb_id, (uint8_t)(old_state - 1));
	return 0;
}

static int sbm_plug_request(struct virtio_mem *vm, uint64_t diff)
{
	static const uint8_t states[] = { VIRTIO_MEM_SBM_MB_KERNEL_PARTIAL, VIRTIO_MEM_SBM_MB_MOVABLE_PARTIAL,
					  VIRTIO_MEM_SBM_MB_OFFLINE_PARTIAL };
	uint64_t nb_sb = diff / vm->sb_size;
	unsigned long mb_id;
	int rc;

	if (!nb_sb)
		return 0;
	for (size_t i = 0; i < sizeof(states); i++) {
		for (mb_id = vm->first_mb_id; mb_id < vm->next_mb_id && vm->mb_count[states[i]]; mb_id++) {
			if (get_mb_state(vm, mb_id) != states[i])
				continue;
			rc = sbm_plug_any_sb(vm, mb_id, &nb_sb);
			if (rc || !nb_sb)
				return rc;
		}
	}
	/* plug and add unused blocks, lowest first */
	for (mb_id = vm->first_mb_id; mb_id < vm->next_mb_id && vm->mb_count[VIRTIO_MEM_SBM_MB_UNUSED]; mb_id++) {
		if (get_mb_state(vm, mb_id) != VIRTIO_MEM_SBM_MB_UNUSED)
			continue;
		if (!could_add_memory(vm, mb_size(vm)))
			return -ENOSPC;
		rc = sbm_plug_and_add_mb(vm, mb_id, &nb_sb);
		if (rc || !nb_sb)
			return rc;
	}
	while (nb_sb) {
		if (!could_add_memory(vm, mb_size(vm)))
			return -ENOSPC;
		rc = sbm_prepare_next_mb(vm, &mb_id);
		if (rc)
			return rc;
		rc = sbm_plug_and_add_mb(vm, mb_id, &nb_sb);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- unplugging ---- */

/* Unplug plugged subblocks of an offline or not-added block, highest first. */
static int sbm_unplug_any_sb_raw(struct virtio_mem *vm, unsigned long mb_id, uint64_t *nb_sb)
{
	ftrace_func_as(vm->k, VM_FN("virtio_mem_sbm_unplug_any_sb_raw"));
	int sb_id = (int)vm->sbs_per_mb - 1;

	while (*nb_sb) {
		while (sb_id >= 0 && test_sb_unplugged(vm, mb_id, (unsigned int)sb_id, 1))
			sb_id--;
		if (sb_id < 0)
			break;
		unsigned int count = 1;
		while (count < *nb_sb && sb_id > 0 && test_sb_plugged(vm, mb_id, (unsigned int)sb_id - 1, 1)) {
			count++;
			sb_id--;
		}
		int rc = sbm_unplug_sb(vm, mb_id, (unsigned int)sb_id, count);
		if (rc)
			return rc;
		*nb_sb -= count;
		sb_id--;
	}
	return 0;
}

static int sbm_unplug_any_sb_offline(struct virtio_mem *vm, unsigned long mb_id, uint64_t *nb_sb)
{
	int rc = sbm_unplug_any_sb_raw(vm, mb_id, nb_sb);

	if (!test_sb_plugged(vm, mb_id, 0, vm->sbs_per_mb))
		set_mb_state(vm, mb_id, VIRTIO_MEM_SBM_MB_OFFLINE_PARTIAL);
	if (rc)
		return rc;
	if (test_sb_unplugged(vm, mb_id, 0, vm->sbs_per_mb)) {
		/* marked unused first so that nobody onlines it meanwhile */
		set_mb_state(vm, mb_id, VIRTIO_MEM_SBM_MB_UNUSED);
		rc = sbm_remove_mb(vm, mb_id);
		if (rc)
			vm->broken = true;
	}
	return 0;
}

static int sbm_unplug_sb_online(struct virtio_mem *vm, unsigned long mb_id, unsigned int sb_id,
				unsigned int count)
{
	ftrace_func_as(vm->k, VM_FN("virtio_mem_sbm_unplug_sb_online"));
	const uint8_t old_state = get_mb_state(vm, mb_id);
	unsigned long nr_pages = (unsigned long)((vm->sb_size >> PAGE_SHIFT) * count);
	unsigned long start_pfn = (unsigned long)((mb_id_to_phys(vm, mb_id) + sb_id * vm->sb_size) >> PAGE_SHIFT);
	int rc = fake_offline(vm->k, start_pfn, nr_pages);

	if (rc)
		return rc;
	rc = sbm_unplug_sb(vm, mb_id, sb_id, count);
	if (rc) {
		fake_online(vm->k, start_pfn, nr_pages);
		return rc;
	}
	if (old_state == VIRTIO_MEM_SBM_MB_KERNEL)
		set_mb_state(vm, mb_id, VIRTIO_MEM_SBM_MB_KERNEL_PARTIAL);
	else if (old_state == VIRTIO_MEM_SBM_MB_MOVABLE)
		set_mb_state(vm, mb_id, VIRTIO_MEM_SBM_MB_MOVABLE_PARTIAL);
	return 0;
}

static int sbm_unplug_any_sb_online(struct virtio_mem *vm, unsigned long mb_id, uint64_t *nb_sb)
{
	int rc;

	/* the whole block in one go if possible */
	if (*nb_sb >= vm->sbs_per_mb && test_sb_plugged(vm, mb_id, 0, vm->sbs_per_mb)) {
		rc = sbm_unplug_sb_online(vm, mb_id, 0, vm->sbs_per_mb);
		if (!rc) {
			*nb_sb -= vm->sbs_per_mb;
			goto unplugged;
		} else if (rc != -EBUSY) {
			return rc;
		}
	}
	/* else single subblocks, highest first, skipping busy ones */
	for (int sb_id = (int)vm->sbs_per_mb - 1; sb_id >= 0 && *nb_sb; sb_id--) {
		while (sb_id >= 0 && !test_sb_plugged(vm, mb_id, (unsigned int)sb_id, 1))
			sb_id--;
		if (sb_id < 0)
			break;
		rc = sbm_unplug_sb_online(vm, mb_id, (unsigned int)sb_id, 1);
		if (rc == -EBUSY)
			continue;
		else if (rc)
			return rc;
		*nb_sb -= 1;
	}
unplugged:
	/* a fully unplugged block is offlined and removed */
	if (test_sb_unplugged(vm, mb_id, 0, vm->sbs_per_mb)) {
		rc = sbm_offline_and_remove_mb(vm, mb_id);
		if (!rc)
			set_mb_state(vm, mb_id, VIRTIO_MEM_SBM_MB_UNUSED);
	}
	return 0;
}

static int sbm_unplug_any_sb(struct virtio_mem *vm, unsigned long mb_id, uint64_t *nb_sb)
{
	switch (get_mb_state(vm, mb_id)) {
	case VIRTIO_MEM_SBM_MB_KERNEL_PARTIAL:
	case VIRTIO_MEM_SBM_MB_KERNEL:
	case VIRTIO_MEM_SBM_MB_MOVABLE_PARTIAL:
	case VIRTIO_MEM_SBM_MB_MOVABLE:
		return sbm_unplug_any_sb_online(vm, mb_id, nb_sb);
	case VIRTIO_MEM_SBM_MB_OFFLINE_PARTIAL:
	case VIRTIO_MEM_SBM_MB_OFFLINE:
		return sbm_unplug_any_sb_offline(vm, mb_id, nb_sb);
	}
	return -EINVAL;
}

static int sbm_unplug_request(struct virtio_mem *vm, uint64_t diff)
{
	/* partially plugged first (whole blocks can go), ZONE_MOVABLE before kernel zones */
	static const uint8_t states[] = {
		VIRTIO_MEM_SBM_MB_OFFLINE_PARTIAL, VIRTIO_MEM_SBM_MB_OFFLINE,
		VIRTIO_MEM_SBM_MB_MOVABLE_PARTIAL, VIRTIO_MEM_SBM_MB_KERNEL_PARTIAL,
		VIRTIO_MEM_SBM_MB_MOVABLE, VIRTIO_MEM_SBM_MB_KERNEL,
	};
	uint64_t nb_sb = diff / vm->sb_size;

	if (!nb_sb)
		return 0;
	for (size_t i = 0; i < sizeof(states); i++) {
		for (unsigned long mb_id = vm->next_mb_id; mb_id-- > vm->first_mb_id && vm->mb_count[states[i]];) {
			if (get_mb_state(vm, mb_id) != states[i])
				continue;
			int rc = sbm_unplug_any_sb(vm, mb_id, &nb_sb);
			if (rc || !nb_sb)
				return rc;
		}
	}
	return nb_sb ? -EBUSY : 0;
}

/* ---- the work item ---- */

static void refresh_config(struct virtio_mem *vm)
{
	struct virtio_mem_config c;

	vm->ops->get_config(vm->opaque, &c);
	vm->plugged_size = c.plugged_size;
	vm->requested_size = c.requested_size;
	/* the last memory block that lies entirely in the usable region (none: below first) */
	uint64_t end = vm->addr + c.usable_region_size;	/* exclusive */
	unsigned long lim = (unsigned long)(end / mb_size(vm));
	vm->last_usable_mb_id = lim > vm->first_mb_id ? lim - 1 : vm->first_mb_id - 1;
}

static void virtio_mem_run_wq(struct virtio_mem *vm)
{
	ftrace_func_as(vm->k, VM_FN("virtio_mem_run_wq"));
	int rc = 0;

	if (vm->broken)
		return;
	vm->wq_active = true;
	for (int round = 0; round < 16; round++) {
		if (vm->unplug_all_required) {
			if (send_typed_request(vm, VIRTIO_MEM_REQ_UNPLUG_ALL, 0, 0) == 0) {
				vm->unplug_all_required = false;
				vm->plugged_size = 0;
				vm->config_changed = true;
			}
		}
		if (vm->config_changed) {
			vm->config_changed = false;
			refresh_config(vm);
			klog(vm->k, "virtio_mem %s: plugged size: 0x%llx", vm->name,
			     (unsigned long long)vm->plugged_size);
			klog(vm->k, "virtio_mem %s: requested size: 0x%llx", vm->name,
			     (unsigned long long)vm->requested_size);
		}
		rc = 0;
		if (vm->requested_size > vm->plugged_size)
			rc = sbm_plug_request(vm, vm->requested_size - vm->plugged_size);
		else if (vm->requested_size < vm->plugged_size)
			rc = sbm_unplug_request(vm, vm->plugged_size - vm->requested_size);
		/* -EAGAIN, -ENOMEM: Linux retries at once; the rest wait for the retry timer */
		if (rc != -EAGAIN && rc != -ENOMEM)
			break;
		vm->config_changed = true;
	}
	vm->wq_active = false;
}

/* process_one_work(): the work item, and once more each time it was queued meanwhile */
static void run_queued_work(struct virtio_mem *vm)
{
	while (vm->wq_queued) {
		vm->wq_queued = false;
		virtio_mem_run_wq(vm);
	}
}

void virtio_mem_config_changed(struct virtio_mem *vm)
{
	if (!vm)
		return;
	{
		/* the config interrupt's handler only queues the work item */
		ftrace_func_as(vm->k, VM_FN("virtio_mem_config_changed"));
		vm->config_changed = true;
		virtio_mem_retry(vm);
	}
	run_queued_work(vm);
}

/* ---- probe ---- */

static struct virtio_mem *probe_device(struct kernel *k, const struct virtio_mem_pci *pci,
				       const struct virtio_mem_dev_ops *ops, void *opaque);

/* The driver binds the device; its work item runs after the probe, as a kworker's. */
struct virtio_mem *virtio_mem_probe(struct kernel *k, const struct virtio_mem_pci *pci,
				    const struct virtio_mem_dev_ops *ops, void *opaque)
{
	struct virtio_mem *vm;
	{
		ftrace_func_as(k, VM_FN("virtio_mem_probe"));
		vm = probe_device(k, pci, ops, opaque);
	}
	if (vm)
		run_queued_work(vm);
	return vm;
}

static struct virtio_mem *probe_device(struct kernel *k, const struct virtio_mem_pci *pci,
				       const struct virtio_mem_dev_ops *ops, void *opaque)
{
	struct virtio_mem_config c;
	struct virtio_mem *vm = mh_calloc(1, sizeof(*vm));

	if (!vm)
		return NULL;
	vm->k = k;
	vm->ops = ops;
	vm->opaque = opaque;
	snprintf(vm->name, sizeof(vm->name), "virtio%d", k->virtio_index++);

	/* virtio_pci: the PCI core's BAR and the driver's claim on it */
	if (pci && pci->bar_size) {
		struct resource *bar = resource_new(pci->bar_start, pci->bar_start + pci->bar_size - 1,
						    pci->pci_name, IORESOURCE_MEM);
		if (bar && insert_resource_nested(&k->iomem_resource, bar))
			free(bar->name), free(bar), bar = NULL;
		if (bar)
			request_mem_region(&k->iomem_resource, pci->bar_start, pci->bar_size,
					   "virtio-pci-modern", IORESOURCE_MEM | IORESOURCE_BUSY);
	}

	ops->get_config(opaque, &c);
	vm->plugged_size = c.plugged_size;
	vm->device_block_size = c.block_size;
	vm->addr = c.addr;
	vm->region_size = c.region_size;
	/* virtio_mem_translate_node_id(): VIRTIO_MEM_F_ACPI_PXM, the node id is a domain */
	vm->nid = k->boot.nr_nodes > 0 ? pxm_to_node(k, c.node_id) : 0;
	if (vm->nid < 0 || vm->nid >= MAX_NUMNODES || !node_state(k, vm->nid, N_POSSIBLE))
		vm->nid = 0;
	if (vm->plugged_size)
		vm->unplug_all_required = true;
	vm->offline_threshold = VIRTIO_MEM_DEFAULT_OFFLINE_THRESHOLD;
	if (vm->offline_threshold < 2 * mb_size(vm))
		vm->offline_threshold = 2 * mb_size(vm);

	/* SBM: subblocks of max(pageblock, device block), memory block granularity to Linux */
	vm->sb_size = (uint64_t)pageblock_nr_pages * PAGE_SIZE;
	if (vm->sb_size < vm->device_block_size)
		vm->sb_size = vm->device_block_size;
	vm->sbs_per_mb = (unsigned int)(mb_size(vm) / vm->sb_size);
	vm->first_mb_id = phys_to_mb_id(vm, vm->addr - 1 + mb_size(vm));
	vm->next_mb_id = vm->first_mb_id;

	klog(k, "virtio_mem %s: start address: 0x%llx", vm->name, (unsigned long long)vm->addr);
	klog(k, "virtio_mem %s: region size: 0x%llx", vm->name, (unsigned long long)vm->region_size);
	klog(k, "virtio_mem %s: device block size: 0x%llx", vm->name,
	     (unsigned long long)vm->device_block_size);
	klog(k, "virtio_mem %s: nid: %d", vm->name, vm->nid);
	klog(k, "virtio_mem %s: memory block size: 0x%llx", vm->name, (unsigned long long)mb_size(vm));
	klog(k, "virtio_mem %s: subblock size: 0x%llx", vm->name, (unsigned long long)vm->sb_size);

	/* the parent resource: not busy, so that add_memory() can place its children */
	vm->parent_resource = request_mem_region(&k->iomem_resource, vm->addr, vm->region_size, vm->name,
						 IORESOURCE_SYSTEM_RAM | IORESOURCE_SYSRAM_DRIVER_MANAGED |
						 IORESOURCE_BUSY);
	if (!vm->parent_resource) {
		klog(k, "virtio_mem %s: could not reserve device region", vm->name);
		free(vm);
		return NULL;
	}
	vm->parent_resource->flags &= ~IORESOURCE_BUSY;

	vm->mgid = memory_group_register_dynamic(k, vm->nid, memory_block_pages(k));
	if (vm->mgid < 0) {
		release_resource_free(vm->parent_resource);
		free(vm);
		return NULL;
	}
	if (!*vm_list(k))
		set_online_page_callback(k, online_page_cb);
	vm->next = *vm_list(k);
	*vm_list(k) = vm;
	vm->memory_notifier.notifier_call = memory_notifier_cb;
	register_memory_notifier(k, &vm->memory_notifier);

	/* virtio_device_ready(), then the work item's first config read prints the sizes */
	vm->config_changed = true;
	virtio_mem_retry(vm);
	return vm;
}

void virtio_mem_free_all(struct kernel *k)
{
	struct virtio_mem *vm = *vm_list(k);

	if (vm)
		restore_online_page_callback(k, online_page_cb);
	while (vm) {
		struct virtio_mem *next = vm->next;
		unregister_memory_notifier(k, &vm->memory_notifier);
		free(vm->mb_states);
		free(vm->sb_states);
		free(vm);
		vm = next;
	}
	*vm_list(k) = NULL;
}
