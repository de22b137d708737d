// SPDX-License-Identifier: MIT
/*
 * Memory block devices (drivers/base/memory.c, Linux 6.1): creation and
 * removal, the state machine behind sysfs `state` and `online`, the device
 * core's online/offline, valid_zones, and memory groups.
 */
#include "memory.h"
#include "../lib/alloc.h"
#include "node.h"
#include "../kernel/kernel.h"
#include "../kernel/params.h"
#include "../mm/internal.h"
#include "../mm/memory_hotplug.h"
#include "../lib/sbuf.h"
#include "../kernel/lockdep.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

unsigned long memory_block_size_bytes(struct kernel *k) { return k->block_size; }
unsigned long nr_memory_blocks(struct kernel *k) { return k->nr_blocks; }
struct memory_block *memory_block_at(struct kernel *k, unsigned long i)
{
	return i < k->nr_blocks ? k->blocks[i] : NULL;
}

static long block_index(struct kernel *k, unsigned long id, bool *found)
{
	long lo = 0, hi = (long)k->nr_blocks;
	while (lo < hi) {
		long mid = (lo + hi) / 2;
		if (k->blocks[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < (long)k->nr_blocks && k->blocks[lo]->id == id;
	return lo;
}

struct memory_block *find_memory_block_by_id(struct kernel *k, unsigned long id)
{
	bool found;
	long i = block_index(k, id, &found);
	return found ? k->blocks[i] : NULL;
}

static void devpath(struct memory_block *mem, char *buf, size_t n)
{
	snprintf(buf, n, "/devices/system/memory/memory%lu", mem->id);
}

static int add_memory_block(struct kernel *k, unsigned long id, unsigned long state,
			    unsigned long vmemmap, struct memory_group *group)
{
	ftrace_func(k);
	bool found;
	long i = block_index(k, id, &found);
	if (found)
		return -EEXIST;
	/* kzalloc(GFP_KERNEL) from kmalloc-1k (a memory_block embeds a struct device): failslab applies */
	if (should_failslab(k, 1024, true, false))
		return -ENOMEM;
	struct memory_block *mem = mh_calloc(1, sizeof(*mem));
	if (!mem)
		return -ENOMEM;
	if (k->nr_blocks == k->blocks_cap) {
		unsigned long cap = k->blocks_cap ? k->blocks_cap * 2 : 64;
		struct memory_block **b = mh_realloc(k->blocks, cap * sizeof(*b));
		if (!b) {
			free(mem);
			return -ENOMEM;
		}
		k->blocks = b;
		k->blocks_cap = cap;
	}
	memmove(&k->blocks[i + 1], &k->blocks[i], (k->nr_blocks - (unsigned long)i) * sizeof(*k->blocks));
	k->blocks[i] = mem;
	k->nr_blocks++;
	mem->id = id;
	mem->start_section_nr = id * sections_per_block(k);
	mem->state = state;
	mem->nid = NUMA_NO_NODE;
	mem->nr_vmemmap_pages = vmemmap;
	mem->group = group;
	mem->dev_offline = state == MEM_OFFLINE;
	mem->acpi_slot = -1;
	pthread_mutex_init(&mem->dev_lock, NULL);
	/* device_add(): the new device's lock is taken while it is registered */
	lockdep_acquire(LOCK_DEVICE);
	lockdep_release(LOCK_DEVICE);
	char path[64];
	devpath(mem, path, sizeof(path));
	kobject_uevent(k, "add", path, "memory");
	return 0;
}

static void remove_memory_block(struct kernel *k, struct memory_block *mem)
{
	ftrace_func(k);
	bool found;
	long i = block_index(k, mem->id, &found);
	char path[64];
	devpath(mem, path, sizeof(path));
	unregister_memory_block_under_nodes(k, mem);
	if (found) {
		memmove(&k->blocks[i], &k->blocks[i + 1],
			(k->nr_blocks - (unsigned long)i - 1) * sizeof(*k->blocks));
		k->nr_blocks--;
	}
	kobject_uevent(k, "remove", path, "memory");
	pthread_mutex_destroy(&mem->dev_lock);
	free(mem);
}

int create_memory_block_devices(struct kernel *k, unsigned long start, unsigned long size,
				unsigned long vmemmap_pages, struct memory_group *group)
{
	ftrace_func(k);
	unsigned long first = start / k->block_size, last = (start + size) / k->block_size;
	if ((start | size) & (k->block_size - 1))
		return -EINVAL;
	for (unsigned long id = first; id < last; id++) {
		int rc = add_memory_block(k, id, MEM_OFFLINE, vmemmap_pages, group);
		if (rc) {
			for (unsigned long j = first; j < id; j++)
				remove_memory_block(k, find_memory_block_by_id(k, j));
			return rc;
		}
	}
	return 0;
}

void remove_memory_block_devices(struct kernel *k, unsigned long start, unsigned long size)
{
	ftrace_func(k);
	unsigned long first = start / k->block_size, last = (start + size) / k->block_size;
	for (unsigned long id = first; id < last; id++) {
		struct memory_block *mem = find_memory_block_by_id(k, id);
		if (mem)
			remove_memory_block(k, mem);
	}
}

int memory_dev_init(struct kernel *k)
{
	unsigned long spb = sections_per_block(k);
	unsigned long nr_sections = pfn_to_section_nr(k->max_pfn - 1) + 1;
	for (unsigned long nr = 0; nr < nr_sections; nr += spb) {
		bool present = false;
		for (unsigned long s = nr; s < nr + spb; s++)
			present |= present_section_nr(k, s);
		if (!present)
			continue;
		int rc = add_memory_block(k, nr / spb, MEM_ONLINE, 0, NULL);
		if (rc)
			return rc;
	}
	link_boot_memory_blocks(k);
	return 0;
}

int walk_memory_blocks(struct kernel *k, unsigned long start, unsigned long size, void *arg,
		       int (*func)(struct kernel *k, struct memory_block *mem, void *arg))
{
	if (!size)
		return 0;
	unsigned long first = start / k->block_size, last = (start + size - 1) / k->block_size;
	for (unsigned long id = first; id <= last; id++) {
		struct memory_block *mem = find_memory_block_by_id(k, id);
		if (!mem)
			continue;
		int rc = func(k, mem, arg);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- memory groups ---- */

/* xa_alloc() with xa_limit_31b: the lowest free id, the array grown as needed. */
static int memory_group_register(struct kernel *k, struct memory_group g)
{
	if (g.nid < 0 || g.nid >= MAX_NUMNODES || !node_state(k, g.nid, N_POSSIBLE))
		return -EINVAL;
	int i = 0;
	while (i < k->nr_groups && k->groups[i])
		i++;
	if (i == k->groups_cap) {
		if (k->groups_cap >= (1 << 30))
			return -EBUSY;	/* the xarray's 31-bit id space is full */
		int cap = k->groups_cap ? k->groups_cap * 2 : 64;
		struct memory_group **v = mh_realloc(k->groups, (size_t)cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		memset(v + k->groups_cap, 0, (size_t)(cap - k->groups_cap) * sizeof(*v));
		k->groups = v;
		k->groups_cap = cap;
	}
	/* kzalloc(sizeof(group), GFP_KERNEL): kmalloc-64, where failslab applies */
	if (should_failslab(k, 64, true, false))
		return -ENOMEM;
	struct memory_group *n = mh_malloc(sizeof(*n));
	if (!n)
		return -ENOMEM;
	*n = g;
	n->id = i;
	k->groups[i] = n;
	if (i >= k->nr_groups)
		k->nr_groups = i + 1;
	return i;
}

int memory_group_register_static(struct kernel *k, int nid, unsigned long max_pages)
{
	if (!max_pages)
		return -EINVAL;
	return memory_group_register(k, (struct memory_group){ .nid = nid, .max_pages = max_pages });
}

int memory_group_register_dynamic(struct kernel *k, int nid, unsigned long unit_pages)
{
	if (!unit_pages || (unit_pages & (unit_pages - 1)) || unit_pages < memory_block_pages(k))
		return -EINVAL;
	return memory_group_register(k, (struct memory_group){
		.nid = nid, .is_dynamic = true, .unit_pages = unit_pages });
}

struct memory_group *memory_group_find_by_id(struct kernel *k, int mgid)
{
	if (mgid < 0 || mgid >= k->nr_groups)
		return NULL;
	return k->groups[mgid];
}

int memory_group_unregister(struct kernel *k, int mgid)
{
	struct memory_group *g = memory_group_find_by_id(k, mgid);
	if (!g)
		return -EINVAL;
	for (unsigned long i = 0; i < k->nr_blocks; i++)
		if (k->blocks[i]->group == g)
			return -EBUSY;
	free(g);
	k->groups[mgid] = NULL;
	return 0;
}

/* ---- onlining and offlining a block ---- */

static int memory_block_online(struct kernel *k, struct memory_block *mem)
{
	unsigned long start = section_nr_to_pfn(mem->start_section_nr);
	unsigned long nr = memory_block_pages(k), v = mem->nr_vmemmap_pages;
	struct zone *zone = zone_for_pfn_range(k, mem->online_type, mem->nid, mem->group, start, nr);
	int rc;
	/* mem_hotplug_begin() is out of line here: Linux inlines it only inside mm/memory_hotplug.c */
	ftrace_call(k, "mem_hotplug_begin", mem_hotplug_begin(k));
	if (v) {
		rc = mhp_init_memmap_on_memory(k, start, v, zone);
		if (rc) {
			ftrace_call(k, "mem_hotplug_done", mem_hotplug_done(k));
			return rc;
		}
	}
	rc = online_pages(k, start + v, nr - v, zone, mem->group);
	if (rc) {
		if (v)
			mhp_deinit_memmap_on_memory(k, start, v);
		ftrace_call(k, "mem_hotplug_done", mem_hotplug_done(k));
		return rc;
	}
	if (v)
		adjust_present_page_count(k, start, mem->group, (long)v);
	ftrace_call(k, "mem_hotplug_done", mem_hotplug_done(k));
	mem->zone = zone;
	kernel_alloc_activity(k, zone_to_nid(zone));
	return 0;
}

static int memory_block_offline(struct kernel *k, struct memory_block *mem)
{
	unsigned long start = section_nr_to_pfn(mem->start_section_nr);
	unsigned long nr = memory_block_pages(k), v = mem->nr_vmemmap_pages;
	if (!mem->zone)
		return -EINVAL;
	ftrace_call(k, "mem_hotplug_begin", mem_hotplug_begin(k));
	if (v)
		adjust_present_page_count(k, start, mem->group, -(long)v);
	int rc = offline_pages(k, start + v, nr - v, mem->zone, mem->group);
	if (rc) {
		if (v)
			adjust_present_page_count(k, start, mem->group, (long)v);
		ftrace_call(k, "mem_hotplug_done", mem_hotplug_done(k));
		return rc;
	}
	if (v)
		mhp_deinit_memmap_on_memory(k, start, v);
	ftrace_call(k, "mem_hotplug_done", mem_hotplug_done(k));
	mem->zone = NULL;
	return 0;
}

static int memory_block_change_state(struct kernel *k, struct memory_block *mem,
				     unsigned long to, unsigned long from)
{
	if (mem->state != from)
		return -EINVAL;
	if (from == MEM_ONLINE)
		mem->state = MEM_GOING_OFFLINE;
	int rc = to == MEM_ONLINE ? memory_block_online(k, mem) : memory_block_offline(k, mem);
	mem->state = rc ? from : to;
	mm_debug_check(k, to == MEM_ONLINE ? "online" : "offline");
	return rc;
}

static int memory_subsys_online(struct kernel *k, struct memory_block *mem)
{
	ftrace_func(k);
	if (mem->state == MEM_ONLINE)
		return 0;
	/* nobody set a type (the `online` file, device_online() by a driver): plain online */
	if (mem->online_type == MMOP_OFFLINE)
		mem->online_type = MMOP_ONLINE;
	int rc = memory_block_change_state(k, mem, MEM_ONLINE, MEM_OFFLINE);
	mem->online_type = MMOP_OFFLINE;
	return rc;
}

static int memory_subsys_offline(struct kernel *k, struct memory_block *mem)
{
	ftrace_func(k);
	if (mem->state == MEM_OFFLINE)
		return 0;
	return memory_block_change_state(k, mem, MEM_OFFLINE, MEM_ONLINE);
}

static void device_lock(struct memory_block *mem)
{
	pthread_mutex_lock(&mem->dev_lock);
	lockdep_acquire(LOCK_DEVICE);
}

static void device_unlock(struct memory_block *mem)
{
	lockdep_release(LOCK_DEVICE);
	pthread_mutex_unlock(&mem->dev_lock);
}

int device_online(struct kernel *k, struct memory_block *mem)
{
	ftrace_func(k);
	int rc = 1;
	device_lock(mem);
	if (mem->dev_offline) {
		rc = memory_subsys_online(k, mem);
		if (!rc) {
			char path[64];
			devpath(mem, path, sizeof(path));
			kobject_uevent(k, "online", path, "memory");
			mem->dev_offline = false;
		}
	}
	device_unlock(mem);
	return rc;
}

int device_offline(struct kernel *k, struct memory_block *mem)
{
	ftrace_func(k);
	int rc = 1;
	device_lock(mem);
	if (!mem->dev_offline) {
		rc = memory_subsys_offline(k, mem);
		if (!rc) {
			char path[64];
			devpath(mem, path, sizeof(path));
			kobject_uevent(k, "offline", path, "memory");
			mem->dev_offline = true;
		}
	}
	device_unlock(mem);
	return rc;
}

/* ---- sysfs ---- */

int state_store(struct kernel *k, struct memory_block *mem, const char *buf)
{
	ftrace_func(k);
	int online_type = mhp_online_type_from_str(buf);
	int rc;
	if (online_type < 0)
		return -EINVAL;
	lock_device_hotplug_sysfs(k);
	switch (online_type) {
	case MMOP_ONLINE_KERNEL:
	case MMOP_ONLINE_MOVABLE:
	case MMOP_ONLINE:
		/* mem->online_type is protected by device_hotplug_lock */
		mem->online_type = online_type;
		rc = device_online(k, mem);
		break;
	default:
		rc = device_offline(k, mem);
		break;
	}
	unlock_device_hotplug(k);
	if (rc < 0)
		return rc;
	if (rc)
		return -EINVAL;
	return 0;
}

int online_store(struct kernel *k, struct memory_block *mem, const char *buf)
{
	ftrace_func(k);
	bool val;
	int rc = kstrtobool(buf, &val);
	if (rc < 0)
		return rc;
	lock_device_hotplug_sysfs(k);
	rc = val ? device_online(k, mem) : device_offline(k, mem);
	unlock_device_hotplug(k);
	return rc < 0 ? rc : 0;
}

int auto_online_blocks_store(struct kernel *k, const char *buf)
{
	int t = mhp_online_type_from_str(buf);
	if (t < 0)
		return -EINVAL;
	k->params.default_online_type = t;
	return 0;
}

/*
 * soft_offline_page / hard_offline_page: a physical address, parsed as the
 * kernel parses it, to soft_offline_page() or memory_failure(), under
 * device_hotplug_lock so that the page's block cannot be onlined, offlined
 * or removed meanwhile. Linux turns memory_failure()'s -EOPNOTSUPP into
 * success.
 */
static int offline_page_store(struct kernel *k, const char *buf, bool soft)
{
	unsigned long long addr;
	int rc;

	if (kstrtoull(buf, 0, &addr))
		return -EINVAL;
	if (addr > PHYSMEM_END)
		return -ENXIO;
	lock_device_hotplug(k);
	rc = soft ? soft_offline_page(k, PHYS_PFN(addr)) : memory_failure(k, PHYS_PFN(addr));
	unlock_device_hotplug(k);
	return rc == -EOPNOTSUPP ? 0 : rc;
}

int soft_offline_page_store(struct kernel *k, const char *buf)
{
	return offline_page_store(k, buf, true);
}

int hard_offline_page_store(struct kernel *k, const char *buf)
{
	return offline_page_store(k, buf, false);
}

void state_show(struct kernel *k, struct memory_block *mem, struct sbuf *out)
{
	switch (mem->state) {
	case MEM_ONLINE:
		sb_puts(out, "online\n");
		break;
	case MEM_OFFLINE:
		sb_puts(out, "offline\n");
		break;
	case MEM_GOING_OFFLINE:
		sb_puts(out, "going-offline\n");
		break;
	default:
		sb_printf(out, "ERROR-UNKNOWN-%lu\n", mem->state);
		break;
	}
}

void valid_zones_show(struct kernel *k, struct memory_block *mem, struct sbuf *out)
{
	unsigned long start = section_nr_to_pfn(mem->start_section_nr), nr = memory_block_pages(k);
	if (mem->state == MEM_ONLINE) {
		sb_printf(out, "%s\n", mem->zone ? mem->zone->name : "none");
		return;
	}
	int nid = mem->nid < 0 ? 0 : mem->nid;
	struct zone *dflt = zone_for_pfn_range(k, MMOP_ONLINE, nid, mem->group, start, nr);
	sb_puts(out, dflt->name);
	for (int t = MMOP_ONLINE_KERNEL; t <= MMOP_ONLINE_MOVABLE; t++) {
		struct zone *z = zone_for_pfn_range(k, t, nid, mem->group, start, nr);
		if (z != dflt)
			sb_printf(out, " %s", z->name);
	}
	sb_putc(out, '\n');
}
