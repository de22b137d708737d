// SPDX-License-Identifier: MIT
/*
 * Memory hot(un)plug (mm/memory_hotplug.c) as Linux 6.1 does it: adding and
 * removing memory, zone selection for onlining, and online_pages() /
 * offline_pages() with their notifier events, accounting and rollback.
 */
#include "memory_hotplug.h"
#include "internal.h"
#include "../base/firmware_memmap.h"
#include "../base/node.h"
#include "../kernel/lockdep.h"
#include "../lib/alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- locks ---- */

void mem_hotplug_begin(struct kernel *k)
{
	/* cpus_read_lock() is a read lock: readers never wait for each other, not checked */
	percpu_down_read(&k->cpu_hotplug_lock);
	percpu_down_write(&k->mem_hotplug_lock);
	lockdep_acquire(LOCK_MEM_HOTPLUG);
}

void mem_hotplug_done(struct kernel *k)
{
	lockdep_release(LOCK_MEM_HOTPLUG);
	percpu_up_write(&k->mem_hotplug_lock);
	percpu_up_read(&k->cpu_hotplug_lock);
}

void lock_device_hotplug(struct kernel *k)
{
	pthread_mutex_lock(&k->device_hotplug_lock);
	lockdep_acquire(LOCK_DEVICE_HOTPLUG);
}

void unlock_device_hotplug(struct kernel *k)
{
	lockdep_release(LOCK_DEVICE_HOTPLUG);
	pthread_mutex_unlock(&k->device_hotplug_lock);
}

/*
 * Linux returns -ERESTARTNOINTR after a 5 ms sleep and the syscall restarts:
 * the writer never sees the error. Looping here is the same to user space.
 */
int lock_device_hotplug_sysfs(struct kernel *k)
{
	while (pthread_mutex_trylock(&k->device_hotplug_lock)) {
		struct timespec ts = { 0, 5 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	lockdep_acquire(LOCK_DEVICE_HOTPLUG);
	return 0;
}

/* ---- notifiers and the online-page callback ---- */

int memory_notify(struct kernel *k, unsigned long val, void *v)
{
	ftrace_func(k);
	return blocking_notifier_call_chain(&k->memory_chain, val, v);
}

int register_memory_notifier(struct kernel *k, struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&k->memory_chain, nb);
}

void unregister_memory_notifier(struct kernel *k, struct notifier_block *nb)
{
	blocking_notifier_chain_unregister(&k->memory_chain, nb);
}

int set_online_page_callback(struct kernel *k, online_page_callback_t cb)
{
	ftrace_func(k);
	int rc = -EINVAL;
	get_online_mems(k);
	if (k->online_page_callback == generic_online_page && cb) {
		k->online_page_callback = cb;
		rc = 0;
	}
	put_online_mems(k);
	return rc;
}

int restore_online_page_callback(struct kernel *k, online_page_callback_t cb)
{
	int rc = -EINVAL;
	get_online_mems(k);
	if (k->online_page_callback == cb && cb != generic_online_page) {
		k->online_page_callback = generic_online_page;
		rc = 0;
	}
	put_online_mems(k);
	return rc;
}

/* ---- range checks and resources ---- */

bool mhp_range_allowed(uint64_t start, uint64_t size, bool need_mapping)
{
	uint64_t end = start + size;
	(void)need_mapping;
	return start < end && end - 1 <= PHYSMEM_END;
}

static int check_hotplug_memory_range(struct kernel *k, uint64_t start, uint64_t size)
{
	ftrace_func(k);
	uint64_t bs = k->block_size;
	if (!size || (start & (bs - 1)) || (size & (bs - 1))) {
		klog(k, "Block size [%#lx] unaligned hotplug range: start %#llx, size %#llx",
		     (unsigned long)bs, (unsigned long long)start, (unsigned long long)size);
		return -EINVAL;
	}
	return 0;
}

static struct resource *register_memory_resource(struct kernel *k, uint64_t start, uint64_t size,
						 const char *name, int *err)
{
	ftrace_func(k);
	unsigned long flags = IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY;
	if (strcmp(name, "System RAM"))
		flags |= IORESOURCE_SYSRAM_DRIVER_MANAGED;
	if (!mhp_range_allowed(start, size, true)) {
		klog(k, "Hotplug memory [%#llx-%#llx] exceeds maximum addressable range [%#llx-%#llx]",
		     (unsigned long long)start, (unsigned long long)(start + size), 0ULL,
		     (unsigned long long)PHYSMEM_END);
		*err = -E2BIG;
		return NULL;
	}
	if (start + size > k->params.max_mem_size && !k->booted) {
		*err = -E2BIG;
		return NULL;
	}
	/*
	 * __request_region() first allocates the resource (alloc_resource():
	 * kzalloc(GFP_KERNEL), kmalloc-64, where failslab applies); a failed
	 * allocation is reported as the busy range is: -EEXIST
	 */
	struct resource *res = should_failslab(k, 64, true, false) ? NULL :
			       request_mem_region(&k->iomem_resource, start, size, name, flags);
	if (!res) {
		klog(k, "Unable to reserve System RAM region: %016llx->%016llx",
		     (unsigned long long)start, (unsigned long long)(start + size - 1));
		*err = -EEXIST;
	}
	return res;
}

/* ---- adding memory ---- */

/* Pages of a block's self-hosted memmap; force rounds up to whole pageblocks (Linux >= 6.6). */
static unsigned long memory_block_memmap_on_memory_pages(struct kernel *k)
{
	unsigned long nr = memory_block_pages(k) * 64 / PAGE_SIZE;
	if (k->params.memmap_on_memory == MEMMAP_ON_MEMORY_FORCE)
		nr = (nr + pageblock_nr_pages - 1) & ~(pageblock_nr_pages - 1);
	return nr;
}

/*
 * Linux 6.1: only a request of exactly one memory block can host its memmap.
 * `force` is memhp's extension with Linux >= 6.8's rules: any block-aligned
 * request, one memmap per block.
 */
bool mhp_supports_memmap_on_memory(struct kernel *k, unsigned long size)
{
	/* Linux's struct page is 64 bytes; the vmemmap must fill whole PMDs and pageblocks */
	unsigned long block = k->block_size;
	unsigned long vmemmap_size = (block / PAGE_SIZE) * 64;
	unsigned long m = memory_block_memmap_on_memory_pages(k);
	if (k->params.memmap_on_memory == MEMMAP_ON_MEMORY_DISABLE || !size || size % block)
		return false;
	if (k->params.memmap_on_memory != MEMMAP_ON_MEMORY_FORCE && size != block)
		return false;
	return !(vmemmap_size & (PAGE_SIZE - 1)) && !(m & (pageblock_nr_pages - 1)) &&
	       m != memory_block_pages(k) && !(vmemmap_size & ((2UL << 20) - 1));
}

/*
 * The memmap of a hot-added section: x86's vmemmap_populate() (Linux 6.1,
 * arch/x86/mm/init_64.c). vmemmap_populate_hugepages() maps the section's
 * 2 MiB of struct pages with one PMD, an order-9 block from
 * vmemmap_alloc_block() (GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN on
 * the node, falling back to the others). They are ordinary unmovable
 * allocations, so they may pin other memory blocks. When the block cannot be
 * had, vmemmap_alloc_block() warns once per boot and the section falls back to
 * base pages (vmemmap_populate_basepages(), mm/sparse-vmemmap.c): a page-table
 * page, then 512 pages of order 0, each checked by vmemmap_verify(). A base
 * page that cannot be had fails the section with -ENOMEM.
 */
#define VMEMMAP_START		0xffffea0000000000UL	/* 4-level paging; KASLR moves it on Linux */
#define VMEMMAP_GFP		(GFP_KERNEL | __GFP_NOWARN)
#define VMEMMAP_BASE_PAGES	(PAGES_PER_SECTION * 64 / PAGE_SIZE)

/* warn_alloc() of vmemmap_alloc_block(), its first line: once per boot */
static void vmemmap_alloc_failure(struct kernel *k, unsigned int order)
{
	struct sbuf mems = SBUF_INIT;
	int first = -1;

	if (k->vmemmap_alloc_warned)
		return;
	k->vmemmap_alloc_warned = true;
	/* cpuset_print_current_mems_allowed(): the top cpuset's mems_allowed, N_MEMORY */
	for (int nid = 0; nid <= MAX_NUMNODES; nid++) {
		bool in = nid < MAX_NUMNODES && node_state(k, nid, N_MEMORY);

		if (in && first < 0)
			first = nid;
		if (!in && first >= 0) {
			sb_printf(&mems, "%s%d", mems.len ? "," : "", first);
			if (nid - 1 > first)
				sb_printf(&mems, "-%d", nid - 1);
			first = -1;
		}
	}
	/*
	 * Linux names the hot-add worker (a kworker of kacpi_hotplug, its number
	 * varying) and follows with dump_stack() and show_mem(), not printed here
	 */
	klog(k, "kworker/u4:0: vmemmap alloc failure: order:%u, mode:0x4cc0(GFP_KERNEL|__GFP_RETRY_MAYFAIL), "
	     "nodemask=(null),cpuset=/,mems_allowed=%s", order, sb_str(&mems));
	sb_free(&mems);
}

/* vmemmap_alloc_block(): a block of 2^order pages for the memmap, or -1UL */
static unsigned long vmemmap_alloc_block(struct kernel *k, unsigned int order, int nid)
{
	unsigned long pfn = __alloc_pages(k, VMEMMAP_GFP, order, nid);

	if (pfn == -1UL)
		vmemmap_alloc_failure(k, order);
	return pfn;
}

static void free_section_vmemmap(struct kernel *k, unsigned long pfn)
{
	struct mem_section *ms = __pfn_to_section(k, pfn);

	if (!ms)
		return;
	if (ms->vmemmap_pfn) {
		__free_pages(k, ms->vmemmap_pfn - 1, pageblock_order);
		ms->vmemmap_pfn = 0;
	}
	for (unsigned int i = 0; i < ms->nr_vmemmap_base; i++)
		__free_pages(k, ms->vmemmap_base_pfns[i], 0);
	free(ms->vmemmap_base_pfns);
	ms->vmemmap_base_pfns = NULL;
	ms->nr_vmemmap_base = 0;
}

/* vmemmap_populate_basepages() for the section at pfn: 0, or -ENOMEM with what it took given back */
static int vmemmap_populate_basepages(struct kernel *k, struct mem_section *ms, int nid, unsigned long pfn)
{
	unsigned long vaddr = VMEMMAP_START + pfn * 64;

	ms->vmemmap_base_pfns = mh_calloc(VMEMMAP_BASE_PAGES + 1, sizeof(unsigned long));
	if (!ms->vmemmap_base_pfns)
		return -ENOMEM;
	/* the PTE table first (vmemmap_pte_populate() finds the PMD empty), then each page */
	for (unsigned long i = 0; i <= VMEMMAP_BASE_PAGES; i++) {
		unsigned long p = vmemmap_alloc_block(k, 0, nid);

		if (p == -1UL) {
			free_section_vmemmap(k, pfn);
			return -ENOMEM;
		}
		ms->vmemmap_base_pfns[ms->nr_vmemmap_base++] = p;
		/* vmemmap_verify(): a page from a node farther than LOCAL_DISTANCE (every other one) */
		if (i && pfn_to_nid(k, p) != nid)
			klog(k, "[%lx-%lx] potential offnode page_structs", vaddr + (i - 1) * PAGE_SIZE,
			     vaddr + i * PAGE_SIZE - 1);
	}
	return 0;
}

static int alloc_section_vmemmap(struct kernel *k, int nid, unsigned long pfn)
{
	struct mem_section *ms = __pfn_to_section(k, pfn);
	unsigned long v = vmemmap_alloc_block(k, pageblock_order, nid);

	if (v != -1UL) {
		ms->vmemmap_pfn = v + 1;	/* +1 so that 0 means "none" */
		return 0;
	}
	return vmemmap_populate_basepages(k, ms, nid, pfn);
}

static void arch_remove_memory(struct kernel *k, uint64_t start, uint64_t size, bool altmap)
{
	ftrace_func(k);
	unsigned long pfn = PHYS_PFN(start), end = PHYS_PFN(start + size);
	ftrace_func_as(k, "__remove_pages");
	for (; pfn < end; pfn += PAGES_PER_SECTION) {
		if (!altmap)
			free_section_vmemmap(k, pfn);
		sparse_remove_section(k, pfn, PAGES_PER_SECTION);
	}
}

static void add_pages_warn(struct kernel *k)
{
	if (k->add_pages_warned)
		return;
	k->add_pages_warned = true;
	klog(k, "------------[ cut here ]------------");
	klog(k, "WARNING: CPU: 0 PID: 61 at arch/x86/mm/init_64.c:963 add_pages+0x6c/0x80");
}

/* x86 arch_add_memory(): direct map, then __add_pages() section by section */
static int arch_add_memory(struct kernel *k, int nid, uint64_t start, uint64_t size, bool altmap)
{
	ftrace_func(k);
	unsigned long pfn = PHYS_PFN(start), nr = PHYS_PFN(size);
	if (pfn + nr - 1 > PHYS_PFN(PHYSMEM_END))
		return -ERANGE;
	if ((pfn | nr) & (PAGES_PER_SUBSECTION - 1)) {
		klog(k, "Misaligned __add_pages start: %#lx end: %#lx", pfn, pfn + nr - 1);
		return -EINVAL;
	}
	/* x86: arch_add_memory() -> add_pages() -> __add_pages(), section by section */
	ftrace_func_as(k, "add_pages");
	ftrace_func_as(k, "__add_pages");
	for (unsigned long p = pfn; p < pfn + nr; p += PAGES_PER_SECTION) {
		int rc = sparse_add_section(k, nid, p, PAGES_PER_SECTION);
		/* section_activate(): a memmap that cannot be populated deactivates the section */
		if (!rc && !altmap && (rc = alloc_section_vmemmap(k, nid, p)))
			sparse_remove_section(k, p, PAGES_PER_SECTION);
		if (rc) {
			/*
			 * add_pages()'s WARN_ON_ONCE; as Linux, the sections added so
			 * far stay, with their memmaps (add_memory_resource() does not
			 * remove them)
			 */
			add_pages_warn(k);
			return rc;
		}
	}
	if (pfn + nr > k->max_pfn)
		k->max_pfn = pfn + nr;
	return 0;
}

int try_online_node(struct kernel *k, int nid)
{
	if (node_online(k, nid))
		return 0;
	free_area_init_node_struct(k, nid);
	return 1;
}

static int online_memory_block(struct kernel *k, struct memory_block *mem, void *arg)
{
	mem->online_type = k->params.default_online_type;
	return device_online(k, mem);
}

static int add_memory_resource(struct kernel *k, int nid, struct resource *res, mhp_t flags)
{
	ftrace_func(k);
	uint64_t start = res->start, size = res->end - res->start + 1;
	struct memory_group *group = NULL;
	unsigned long vmemmap = 0;
	int rc = check_hotplug_memory_range(k, start, size);
	if (rc)
		return rc;
	if (flags & MHP_NID_IS_MGID) {
		group = memory_group_find_by_id(k, nid);
		if (!group)
			return -EINVAL;
		nid = group->nid;
	}
	if (nid < 0 || nid >= MAX_NUMNODES || !node_state(k, nid, N_POSSIBLE)) {
		klog(k, "node %d was absent from the node_possible_map", nid);
		return -EINVAL;
	}
	mem_hotplug_begin(k);
	int new_node;
	ftrace_call(k, "__try_online_node", new_node = try_online_node(k, nid));
	if (flags & MHP_MEMMAP_ON_MEMORY) {
		/* Linux 6.1: a request that cannot host its memmap fails */
		if (!mhp_supports_memmap_on_memory(k, size)) {
			rc = -EINVAL;
			goto error;
		}
		vmemmap = memory_block_memmap_on_memory_pages(k);
	}
	/* with a memmap on memory, each block carries its own (one block in 6.1, any in force) */
	uint64_t step = vmemmap ? k->block_size : size;
	for (uint64_t off = 0; off < size; off += step) {
		rc = arch_add_memory(k, nid, start + off, step, vmemmap != 0);
		if (!rc) {
			rc = create_memory_block_devices(k, start + off, step, vmemmap, group);
			if (rc)
				arch_remove_memory(k, start + off, step, vmemmap != 0);
		}
		if (rc) {
			remove_memory_block_devices(k, start, off);
			if (off)
				arch_remove_memory(k, start, off, vmemmap != 0);
			goto error;
		}
	}
	if (new_node) {
		node_set_state(k, nid, N_ONLINE);
		register_one_node(k, nid);
	}
	register_memory_blocks_under_node(k, nid, PHYS_PFN(start), PHYS_PFN(start + size - 1));
	if (!strcmp(res->name, "System RAM"))
		firmware_map_add_hotplug(k, start, start + size, "System RAM");
	if (flags & MHP_MERGE_RESOURCE)
		merge_system_ram_resource(res);
	mem_hotplug_done(k);

	mm_debug_check(k, "add_memory");
	/* auto-online: stop at the first block that fails; the add still succeeds */
	if (k->params.default_online_type != MMOP_OFFLINE)
		walk_memory_blocks(k, start, size, NULL, online_memory_block);
	return 0;
error:
	mem_hotplug_done(k);
	return rc;
}

static int do_add_memory(struct kernel *k, int nid, uint64_t start, uint64_t size,
			 const char *name, mhp_t flags)
{
	int rc = 0;
	struct resource *res = register_memory_resource(k, start, size, name, &rc);
	if (!res)
		return rc;
	rc = add_memory_resource(k, nid, res, flags);
	if (rc < 0)
		release_resource_free(res);
	return rc;
}

int __add_memory(struct kernel *k, int nid, uint64_t start, uint64_t size, mhp_t flags)
{
	ftrace_func(k);
	return do_add_memory(k, nid, start, size, "System RAM", flags);
}

int add_memory(struct kernel *k, int nid, uint64_t start, uint64_t size, mhp_t flags)
{
	ftrace_func(k);
	lock_device_hotplug(k);
	int rc = __add_memory(k, nid, start, size, flags);
	unlock_device_hotplug(k);
	return rc;
}

int add_memory_driver_managed(struct kernel *k, int nid, uint64_t start, uint64_t size,
			      const char *name, mhp_t flags)
{
	ftrace_func(k);
	size_t n = name ? strlen(name) : 0;
	if (!name || strncmp(name, "System RAM (", 12) || n < 13 || name[n - 1] != ')')
		return -EINVAL;
	lock_device_hotplug(k);
	int rc = do_add_memory(k, nid, start, size, name, flags);
	unlock_device_hotplug(k);
	return rc;
}

/* ---- zone selection (contig-zones and auto-movable) ---- */

static bool zone_intersects(struct zone *z, unsigned long s, unsigned long n)
{
	if (zone_is_empty(z))
		return false;
	return s < zone_end_pfn(z) && s + n > z->zone_start_pfn;
}

static struct zone *default_kernel_zone_for_pfn(struct kernel *k, int nid, unsigned long s,
						unsigned long n)
{
	pg_data_t *pgdat = NODE_DATA(k, nid);
	for (int zid = 0; zid < ZONE_NORMAL; zid++)
		if (zone_intersects(&pgdat->node_zones[zid], s, n))
			return &pgdat->node_zones[zid];
	return &pgdat->node_zones[ZONE_NORMAL];
}

static struct zone *default_zone_for_pfn(struct kernel *k, int nid, unsigned long s,
					 unsigned long n)
{
	struct zone *kz = default_kernel_zone_for_pfn(k, nid, s, n);
	struct zone *mz = &NODE_DATA(k, nid)->node_zones[ZONE_MOVABLE];
	bool in_kernel = zone_intersects(kz, s, n), in_movable = zone_intersects(mz, s, n);
	if (in_kernel ^ in_movable)
		return in_kernel ? kz : mz;
	return k->params.movable_node ? mz : kz;
}

static bool auto_movable_can_online_movable(struct kernel *k, int nid, struct memory_group *group,
					    unsigned long nr_pages)
{
	unsigned long kernel_early = 0, movable = 0, req_kernel_early = 0, group_movable = 0;
	unsigned int ratio = k->params.auto_movable_ratio;
	for (int n = 0; n < MAX_NUMNODES; n++) {
		if (!k->node_data[n] || (nid != NUMA_NO_NODE && n != nid) || !node_online(k, n))
			continue;
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &k->node_data[n]->node_zones[z];
			if (!populated_zone(zone))
				continue;
			if (z == ZONE_MOVABLE)
				movable += zone->present_pages;
			else
				kernel_early += zone->present_early_pages;
		}
	}
	for (int g = 0; g < k->nr_groups && ratio; g++) {
		struct memory_group *o = k->groups[g];
		if (!o || !o->is_dynamic || o == group || (nid != NUMA_NO_NODE && o->nid != nid))
			continue;
		long req = (long)(o->present_movable_pages * 100 / ratio) - (long)o->present_kernel_pages;
		if (req > 0)
			req_kernel_early += (unsigned long)req;
		group_movable += o->present_movable_pages;
	}
	if (kernel_early <= req_kernel_early)
		return false;
	kernel_early -= req_kernel_early;
	movable -= group_movable;
	if (group && group->is_dynamic)
		kernel_early += group->present_kernel_pages;
	return movable + nr_pages <= (unsigned long)ratio * kernel_early / 100;
}

static struct zone *auto_movable_zone_for_pfn(struct kernel *k, int nid, struct memory_group *group,
					      unsigned long pfn, unsigned long nr_pages)
{
	unsigned long online_pages = 0, max_pages;
	if (!k->params.auto_movable_ratio)
		goto kernel_zone;
	if (group && !group->is_dynamic) {
		max_pages = group->max_pages;
		online_pages = group->present_movable_pages;
		/* all or nothing per static group (a DIMM) */
		if (group->present_kernel_pages)
			goto kernel_zone;
	} else if (!group || group->unit_pages == nr_pages) {
		max_pages = nr_pages;
	} else {
		max_pages = group->unit_pages;
		pfn = pfn & ~(group->unit_pages - 1);
		for (unsigned long p = pfn; p < pfn + max_pages; p += PAGES_PER_SECTION) {
			if (!online_section_nr(k, pfn_to_section_nr(p)))
				continue;
			struct zone *z = page_zone(k, p);
			if (!z || z->idx != ZONE_MOVABLE)
				goto kernel_zone;
			online_pages += PAGES_PER_SECTION;
		}
	}
	nr_pages = max_pages - online_pages;
	if (!auto_movable_can_online_movable(k, NUMA_NO_NODE, group, nr_pages))
		goto kernel_zone;
	if (k->params.auto_movable_numa_aware && k->boot.nr_nodes > 1 &&
	    !auto_movable_can_online_movable(k, nid, group, nr_pages))
		goto kernel_zone;
	return &NODE_DATA(k, nid)->node_zones[ZONE_MOVABLE];
kernel_zone:
	return default_kernel_zone_for_pfn(k, nid, pfn, nr_pages);
}

struct zone *zone_for_pfn_range(struct kernel *k, int online_type, int nid,
				struct memory_group *group, unsigned long start_pfn,
				unsigned long nr_pages)
{
	ftrace_func(k);
	if (online_type == MMOP_ONLINE_KERNEL)
		return default_kernel_zone_for_pfn(k, nid, start_pfn, nr_pages);
	if (online_type == MMOP_ONLINE_MOVABLE)
		return &NODE_DATA(k, nid)->node_zones[ZONE_MOVABLE];
	if (k->params.online_policy == ONLINE_POLICY_AUTO_MOVABLE)
		return auto_movable_zone_for_pfn(k, nid, group, start_pfn, nr_pages);
	return default_zone_for_pfn(k, nid, start_pfn, nr_pages);
}

/* ---- zone spans ---- */

static void resize_zone_range(struct zone *zone, unsigned long start, unsigned long nr)
{
	unsigned long old_end = zone_end_pfn(zone);
	if (zone_is_empty(zone) || start < zone->zone_start_pfn)
		zone->zone_start_pfn = start;
	zone->spanned_pages = (start + nr > old_end ? start + nr : old_end) - zone->zone_start_pfn;
}

static void resize_pgdat_range(pg_data_t *pgdat, unsigned long start, unsigned long nr)
{
	unsigned long old_end = pgdat_end_pfn(pgdat);
	if (!pgdat->node_spanned_pages || start < pgdat->node_start_pfn)
		pgdat->node_start_pfn = start;
	pgdat->node_spanned_pages =
		(start + nr > old_end ? start + nr : old_end) - pgdat->node_start_pfn;
}

void move_pfn_range_to_zone(struct kernel *k, struct zone *zone, unsigned long start_pfn,
			    unsigned long nr_pages, int migratetype)
{
	ftrace_func(k);
	if (zone_is_empty(zone))
		init_currently_empty_zone(zone, start_pfn, nr_pages);
	resize_zone_range(zone, start_pfn, nr_pages);
	resize_pgdat_range(zone->zone_pgdat, start_pfn, nr_pages);
	/*
	 * memmap_init_range(): struct pages are left all-zero (see mmzone.h);
	 * the pageblocks get their zone, node and migratetype.
	 */
	for (unsigned long pfn = start_pfn; pfn < start_pfn + nr_pages; pfn += pageblock_nr_pages) {
		set_pageblock_zone(k, pfn, zone);
		set_pageblock_migratetype(k, pfn, migratetype);
	}
}

static bool pfn_in_zone_online(struct kernel *k, unsigned long pfn, int nid, struct zone *zone)
{
	return pfn_is_online(k, pfn) && pfn_to_nid(k, pfn) == nid && page_zone(k, pfn) == zone;
}

static void shrink_zone_span(struct kernel *k, struct zone *zone, unsigned long start,
			     unsigned long end)
{
	int nid = zone_to_nid(zone);
	if (zone->zone_start_pfn == start) {
		for (unsigned long pfn = end; pfn < zone_end_pfn(zone); pfn += PAGES_PER_SUBSECTION) {
			if (pfn_in_zone_online(k, pfn, nid, zone)) {
				zone->spanned_pages = zone_end_pfn(zone) - pfn;
				zone->zone_start_pfn = pfn;
				return;
			}
		}
		zone->zone_start_pfn = 0;
		zone->spanned_pages = 0;
	} else if (zone_end_pfn(zone) == end) {
		for (unsigned long pfn = start; pfn > zone->zone_start_pfn;) {
			pfn -= PAGES_PER_SUBSECTION;
			if (pfn_in_zone_online(k, pfn, nid, zone)) {
				zone->spanned_pages = pfn + PAGES_PER_SUBSECTION - zone->zone_start_pfn;
				return;
			}
		}
		zone->zone_start_pfn = 0;
		zone->spanned_pages = 0;
	}
}

static void update_pgdat_span(pg_data_t *pgdat)
{
	unsigned long s = 0, e = 0;
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];
		if (!zone->spanned_pages)
			continue;
		if (!e) {
			s = zone->zone_start_pfn;
			e = zone_end_pfn(zone);
			continue;
		}
		if (zone_end_pfn(zone) > e)
			e = zone_end_pfn(zone);
		if (zone->zone_start_pfn < s)
			s = zone->zone_start_pfn;
	}
	pgdat->node_start_pfn = s;
	pgdat->node_spanned_pages = e - s;
}

void remove_pfn_range_from_zone(struct kernel *k, struct zone *zone, unsigned long start_pfn,
				unsigned long nr_pages)
{
	ftrace_func(k);
	/* "poison" the memmap: the pageblocks no longer belong to a zone */
	for (unsigned long pfn = start_pfn; pfn < start_pfn + nr_pages; pfn += pageblock_nr_pages)
		clear_pageblock_zone(k, pfn);
	if (zone->idx == ZONE_DEVICE)
		return;
	shrink_zone_span(k, zone, start_pfn, start_pfn + nr_pages);
	update_pgdat_span(zone->zone_pgdat);
}

void adjust_present_page_count(struct kernel *k, unsigned long pfn, struct memory_group *group,
			       long nr_pages)
{
	ftrace_func(k);
	struct zone *zone = page_zone(k, pfn);
	struct mem_section *ms = __pfn_to_section(k, pfn);
	bool movable = zone->idx == ZONE_MOVABLE;
	if (ms && (ms->flags & SECTION_IS_EARLY))
		zone->present_early_pages += (unsigned long)nr_pages;
	zone->present_pages += (unsigned long)nr_pages;
	zone->zone_pgdat->node_present_pages += (unsigned long)nr_pages;
	if (group && movable)
		group->present_movable_pages += (unsigned long)nr_pages;
	else if (group)
		group->present_kernel_pages += (unsigned long)nr_pages;
}

int mhp_init_memmap_on_memory(struct kernel *k, unsigned long pfn, unsigned long nr_pages,
			      struct zone *zone)
{
	ftrace_func(k);
	move_pfn_range_to_zone(k, zone, pfn, nr_pages, MIGRATE_UNMOVABLE);
	for (unsigned long p = pfn; p < pfn + nr_pages; p++) {
		struct page *page = pfn_to_page(k, p);
		page->flags = PG_reserved | PG_vmemmap;
		page->_refcount = 1;
	}
	if (nr_pages >= PAGES_PER_SECTION)
		online_mem_sections(k, pfn, (pfn + nr_pages) & PAGE_SECTION_MASK);
	return 0;
}

void mhp_deinit_memmap_on_memory(struct kernel *k, unsigned long pfn, unsigned long nr_pages)
{
	ftrace_func(k);
	if (nr_pages >= PAGES_PER_SECTION)
		offline_mem_sections(k, pfn, (pfn + nr_pages) & PAGE_SECTION_MASK);
	for (unsigned long p = pfn; p < pfn + nr_pages; p++)
		memset(pfn_to_page(k, p), 0, sizeof(struct page));
	remove_pfn_range_from_zone(k, page_zone(k, pfn), pfn, nr_pages);
}

/* ---- onlining ---- */

static void node_states_check_changes_online(struct kernel *k, struct zone *zone,
					     struct memory_notify *arg)
{
	int nid = zone_to_nid(zone);
	arg->status_change_nid = NUMA_NO_NODE;
	arg->status_change_nid_normal = NUMA_NO_NODE;
	if (!node_state(k, nid, N_MEMORY))
		arg->status_change_nid = nid;
	if (zone->idx <= ZONE_NORMAL && !node_state(k, nid, N_NORMAL_MEMORY))
		arg->status_change_nid_normal = nid;
}

static void online_pages_range(struct kernel *k, unsigned long start_pfn, unsigned long nr_pages)
{
	unsigned long end = start_pfn + nr_pages;
	/* memmap_init_range(): stale struct pages of an earlier life are reset */
	for (unsigned long pfn = start_pfn; pfn < end; pfn += PAGES_PER_SECTION) {
		struct mem_section *ms = __pfn_to_section(k, pfn);
		if (!(ms->flags & SECTION_MEMMAP_DIRTY))
			continue;
		unsigned long s = pfn > start_pfn ? pfn & PAGE_SECTION_MASK : start_pfn;
		unsigned long e = (pfn & PAGE_SECTION_MASK) + PAGES_PER_SECTION;
		for (unsigned long p = s; p < e && p < end; p++)
			memset(pfn_to_page(k, p), 0, sizeof(struct page));
		ms->flags &= ~SECTION_MEMMAP_DIRTY;
	}
	/* a driver's callback may keep chunks: their struct pages stay behind after offline */
	if (k->online_page_callback != generic_online_page)
		for (unsigned long pfn = start_pfn; pfn < end; pfn += PAGES_PER_SECTION)
			__pfn_to_section(k, pfn)->flags |= SECTION_MEMMAP_DIRTY;
	if (k->online_page_callback == generic_online_page) {
		generic_online_page_range(k, start_pfn, end);
	} else {
		for (unsigned long pfn = start_pfn; pfn < end;) {
			unsigned int order = online_chunk_order(pfn);
			/* a driver's callback sees the pages as memmap_init left them */
			for (unsigned long i = 0; i < (1UL << order); i++) {
				struct page *p = pfn_to_page(k, pfn + i);
				p->flags = PG_reserved;
				p->_refcount = 1;
			}
			k->online_page_callback(k, pfn, order);
			pfn += 1UL << order;
		}
	}
	online_mem_sections(k, start_pfn, end);
}

int online_pages(struct kernel *k, unsigned long pfn, unsigned long nr_pages, struct zone *zone,
		 struct memory_group *group)
{
	ftrace_func(k);
	struct memory_notify arg;
	int nid = zone_to_nid(zone), rc;
	bool rebuild;
	if (!nr_pages || (pfn & (pageblock_nr_pages - 1)) ||
	    ((pfn + nr_pages) & (PAGES_PER_SECTION - 1)))
		return -EINVAL;

	move_pfn_range_to_zone(k, zone, pfn, nr_pages, MIGRATE_ISOLATE);
	arg.start_pfn = pfn;
	arg.nr_pages = nr_pages;
	node_states_check_changes_online(k, zone, &arg);

	rc = notifier_to_errno(memory_notify(k, MEM_GOING_ONLINE, &arg));
	if (rc)
		goto failed_addition;

	zone->nr_isolate_pageblock += nr_pages / pageblock_nr_pages;
	/* an unpopulated zone is in no zonelist yet: rebuild them once it has pages */
	rebuild = !populated_zone(zone);
	online_pages_range(k, pfn, nr_pages);
	adjust_present_page_count(k, pfn, group, (long)nr_pages);
	if (arg.status_change_nid_normal >= 0)
		node_set_state(k, nid, N_NORMAL_MEMORY);
	if (arg.status_change_nid >= 0)
		node_set_state(k, nid, N_MEMORY);
	if (rebuild)
		build_all_zonelists(k);
	/* basic onlining is complete: the pageblocks become MIGRATE_MOVABLE, allocatable */
	undo_isolate_page_range(k, pfn, pfn + nr_pages, MIGRATE_MOVABLE);
	init_per_zone_wmark_min(k);
	/* the node's reclaim and compaction threads (already running here: nothing to start) */
	ftrace_leaf(k, "kswapd_run");
	ftrace_leaf(k, "kcompactd_run");
	ftrace_leaf(k, "writeback_set_ratelimit");
	memory_notify(k, MEM_ONLINE, &arg);
	return 0;

failed_addition:
	klog(k, "online_pages [mem %#010llx-%#010llx] failed",
	     (unsigned long long)PFN_PHYS(pfn), (unsigned long long)PFN_PHYS(pfn + nr_pages) - 1);
	memory_notify(k, MEM_CANCEL_ONLINE, &arg);
	remove_pfn_range_from_zone(k, zone, pfn, nr_pages);
	return rc;
}

/* ---- offlining ---- */

static void node_states_check_changes_offline(struct kernel *k, unsigned long nr_pages,
					      struct zone *zone, struct memory_notify *arg)
{
	pg_data_t *pgdat = zone->zone_pgdat;
	unsigned long present = 0;
	arg->status_change_nid = NUMA_NO_NODE;
	arg->status_change_nid_normal = NUMA_NO_NODE;
	for (int zt = 0; zt <= ZONE_NORMAL; zt++)
		present += pgdat->node_zones[zt].present_pages;
	if (zone->idx <= ZONE_NORMAL && nr_pages >= present)
		arg->status_change_nid_normal = zone_to_nid(zone);
	present += pgdat->node_zones[ZONE_MOVABLE].present_pages;
	if (nr_pages >= present)
		arg->status_change_nid = zone_to_nid(zone);
}

int offline_pages(struct kernel *k, unsigned long start_pfn, unsigned long nr_pages,
		  struct zone *zone, struct memory_group *group)
{
	ftrace_func(k);
	unsigned long end_pfn = start_pfn + nr_pages;
	int nid = zone_to_nid(zone), rc;
	struct memory_notify arg;
	const char *reason;

	if (!nr_pages || (start_pfn & (pageblock_nr_pages - 1)) ||
	    (end_pfn & (PAGES_PER_SECTION - 1)))
		return -EINVAL;

	uint64_t ram = system_ram_bytes_in(&k->iomem_resource, PFN_PHYS(start_pfn),
					   PFN_PHYS(end_pfn) - 1);
	if (ram != PFN_PHYS(nr_pages)) {
		rc = -EINVAL;
		reason = "memory holes";
		goto failed_removal;
	}
	if (page_zone(k, start_pfn) != zone || page_zone(k, end_pfn - 1) != zone) {
		rc = -EINVAL;
		reason = "multizone range";
		goto failed_removal;
	}
	/* pages freed from now on go straight to the buddy, where isolation sees them */
	zone_pcp_disable(k, zone);
	/* lru_add_drain_all(): the per-cpu LRU batches are drained (none are kept here) */
	ftrace_leaf(k, "lru_cache_disable");
	rc = start_isolate_page_range(k, start_pfn, end_pfn, MIGRATE_MOVABLE, true);
	if (rc) {
		reason = "failure to isolate range";
		goto failed_removal_pcplists_disabled;
	}
	arg.start_pfn = start_pfn;
	arg.nr_pages = nr_pages;
	node_states_check_changes_offline(k, nr_pages, zone, &arg);
	rc = notifier_to_errno(memory_notify(k, MEM_GOING_OFFLINE, &arg));
	if (rc) {
		reason = "notifier failure";
		goto failed_removal_isolated;
	}
	{
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		k->offline_start_ns = ts.tv_sec * 1000000000LL + ts.tv_nsec;
	}
	do {
		unsigned long pfn = start_pfn;
		do {
			if (k->offline_cancel && k->offline_cancel(k->hook_opaque)) {
				rc = -EINTR;
				reason = "signal backoff";
				goto failed_removal_isolated;
			}
			rc = scan_movable_pages(k, pfn, end_pfn, &pfn);
			if (!rc) {
				do_migrate_range(k, pfn, end_pfn);
			}
		} while (!rc);
		if (rc != -ENOENT) {
			reason = "unmovable page";
			goto failed_removal_isolated;
		}
		/* no hugetlb pages in memhp's guest: nothing to dissolve */
		ftrace_leaf(k, "dissolve_free_huge_pages");
		rc = test_pages_isolated(k, start_pfn, end_pfn);
	} while (rc);

	__offline_isolated_pages(k, start_pfn, end_pfn);
	zone->nr_isolate_pageblock -= nr_pages / pageblock_nr_pages;
	zone_pcp_enable(k, zone);
	adjust_managed_page_count(k, zone, -(long)nr_pages);
	adjust_present_page_count(k, start_pfn, group, -(long)nr_pages);
	init_per_zone_wmark_min(k);
	if (!populated_zone(zone)) {
		ftrace_leaf(k, "zone_pcp_reset");
		zone_pcp_reset(zone);
		build_all_zonelists(k);
	}
	if (arg.status_change_nid_normal >= 0)
		node_clear_state(k, nid, N_NORMAL_MEMORY);
	if (arg.status_change_nid >= 0) {
		node_clear_state(k, nid, N_MEMORY);
		ftrace_leaf(k, "kcompactd_stop");
		ftrace_leaf(k, "kswapd_stop");
	}
	ftrace_leaf(k, "writeback_set_ratelimit");
	memory_notify(k, MEM_OFFLINE, &arg);
	remove_pfn_range_from_zone(k, zone, start_pfn, nr_pages);
	return 0;

failed_removal_isolated:
	undo_isolate_page_range(k, start_pfn, end_pfn, MIGRATE_MOVABLE);
	memory_notify(k, MEM_CANCEL_OFFLINE, &arg);
failed_removal_pcplists_disabled:
	zone_pcp_enable(k, zone);
failed_removal:
	klog(k, "memory offlining [mem %#010llx-%#010llx] failed due to %s",
	     (unsigned long long)PFN_PHYS(start_pfn), (unsigned long long)PFN_PHYS(end_pfn) - 1,
	     reason);
	return rc;
}

/* ---- removing memory ---- */

static int check_memblock_offlined_cb(struct kernel *k, struct memory_block *mem, void *arg)
{
	*(int *)arg = mem->nid;
	if (mem->state != MEM_OFFLINE) {
		uint64_t b = PFN_PHYS(section_nr_to_pfn(mem->start_section_nr));
		klog(k, "removing memory fails, because memory [%#llx-%#llx] is onlined",
		     (unsigned long long)b, (unsigned long long)(b + k->block_size - 1));
		return -EBUSY;
	}
	return 0;
}

static int get_nr_vmemmap_pages_cb(struct kernel *k, struct memory_block *mem, void *arg)
{
	*(unsigned long *)arg += mem->nr_vmemmap_pages;
	return 0;
}

static bool node_has_memory_blocks(struct kernel *k, int nid)
{
	for (unsigned long i = 0; i < k->nr_blocks; i++)
		if (k->blocks[i]->nid == nid)
			return true;
	return false;
}

void try_offline_node(struct kernel *k, int nid)
{
	ftrace_func(k);
	pg_data_t *pgdat = NODE_DATA(k, nid);
	if (!pgdat || pgdat->node_spanned_pages || node_has_memory_blocks(k, nid))
		return;
	for (int c = 0; c < k->boot.nr_cpus; c++)
		if (k->boot.cpu_to_node[c] == nid)
			return;
	node_clear_state(k, nid, N_ONLINE);
	unregister_one_node(k, nid);
}

static int try_remove_memory(struct kernel *k, uint64_t start, uint64_t size)
{
	ftrace_func(k);
	int nid = NUMA_NO_NODE, rc;
	unsigned long vmemmap = 0;
	if (check_hotplug_memory_range(k, start, size))
		return -EINVAL;
	rc = walk_memory_blocks(k, start, size, &nid, check_memblock_offlined_cb);
	if (rc)
		return rc;
	if (k->params.memmap_on_memory) {
		walk_memory_blocks(k, start, size, &vmemmap, get_nr_vmemmap_pages_cb);
		if (vmemmap && size != k->block_size &&
		    k->params.memmap_on_memory != MEMMAP_ON_MEMORY_FORCE) {
			klog(k, "Refuse to remove %#llx - %#llx,wrong granularity",
			     (unsigned long long)start, (unsigned long long)(start + size));
			return -EINVAL;
		}
	}
	firmware_map_remove(k, start, start + size, "System RAM");
	remove_memory_block_devices(k, start, size);
	mem_hotplug_begin(k);
	arch_remove_memory(k, start, size, vmemmap != 0);
	ftrace_call(k, "release_mem_region_adjustable",
		    release_mem_region_adjustable(&k->iomem_resource, start, size));
	if (nid != NUMA_NO_NODE)
		try_offline_node(k, nid);
	mem_hotplug_done(k);
	mm_debug_check(k, "remove_memory");
	return 0;
}

void __remove_memory(struct kernel *k, uint64_t start, uint64_t size)
{
	ftrace_func(k);
	/* Linux BUG()s if a block is online; callers offline first */
	(void)try_remove_memory(k, start, size);
}

int remove_memory(struct kernel *k, uint64_t start, uint64_t size)
{
	ftrace_func(k);
	lock_device_hotplug(k);
	int rc = try_remove_memory(k, start, size);
	unlock_device_hotplug(k);
	return rc;
}

struct offline_and_remove_state {
	int nr;
	uint8_t *online_types;
	unsigned long start_block;
};

static int try_offline_memory_block(struct kernel *k, struct memory_block *mem, void *arg)
{
	struct offline_and_remove_state *st = arg;
	uint8_t online_type = MMOP_ONLINE_KERNEL;
	if (mem->state == MEM_OFFLINE)
		online_type = MMOP_OFFLINE;
	else if (mem->zone && mem->zone->idx == ZONE_MOVABLE)
		online_type = MMOP_ONLINE_MOVABLE;
	int rc = device_offline(k, mem);
	if (!rc)
		st->online_types[mem->id - st->start_block] = online_type;
	return rc < 0 ? rc : 0;
}

static int try_reonline_memory_block(struct kernel *k, struct memory_block *mem, void *arg)
{
	struct offline_and_remove_state *st = arg;
	uint8_t t = st->online_types[mem->id - st->start_block];
	if (t != MMOP_OFFLINE) {
		mem->online_type = t;
		int rc = device_online(k, mem);
		if (rc < 0)
			klog(k, "%s: Failed to re-online memory: %d", __func__, rc);
		st->online_types[mem->id - st->start_block] = MMOP_OFFLINE;
	}
	return 0;
}

int offline_and_remove_memory(struct kernel *k, uint64_t start, uint64_t size)
{
	ftrace_func(k);
	uint64_t bs = k->block_size;
	if (!size || (start & (bs - 1)) || (size & (bs - 1)))
		return -EINVAL;
	/* one saved online type per block, kmalloc_array()'d as Linux does: no limit on the count */
	size_t mb_count = size / bs;
	uint8_t *types = mh_malloc(mb_count);
	if (!types)
		return -ENOMEM;
	memset(types, MMOP_OFFLINE, mb_count);
	struct offline_and_remove_state st = { (int)mb_count, types, (unsigned long)(start / bs) };
	lock_device_hotplug(k);
	int rc = walk_memory_blocks(k, start, size, &st, try_offline_memory_block);
	if (!rc) {
		rc = try_remove_memory(k, start, size);
		if (rc)
			klog(k, "%s: Failed to remove memory: %d", __func__, rc);
	}
	if (rc)
		walk_memory_blocks(k, start, size, &st, try_reonline_memory_block);
	unlock_device_hotplug(k);
	free(types);
	return rc;
}
