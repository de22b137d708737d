// SPDX-License-Identifier: MIT
/*
 * Boot-time memory initialisation (mm/mm_init.c, arch/x86/kernel/e820.c,
 * mm/memblock.c): from the firmware's e820 map and NUMA affinity to nodes,
 * zones, sections, a memmap, boot reservations, and everything else handed
 * to the buddy allocator.
 *
 * The boot reservations model what Linux 6.1 keeps for itself on a QEMU pc
 * guest (the low 1 MiB, the kernel image, the memmap, swiotlb, early
 * allocations); /proc compares count them only as deltas, but they decide
 * which boot blocks can be offlined.
 */
#include "internal.h"
#include "../lib/alloc.h"
#include "../base/firmware_memmap.h"
#include "../kernel/e820_user.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SZ_1M	(1ULL << 20)
#define SZ_4G	(1ULL << 32)

/* memblock: RAM ranges and reservations, pfn granular, end exclusive */
struct pfn_range {
	unsigned long start, end;
	int nid;
};

struct memblock {
	struct pfn_range mem[E820_MAX_ENTRIES * 2];
	int nr_mem;
	struct pfn_range rsv[64];
	int nr_rsv;
};

static void memblock_add(struct memblock *mb, unsigned long start, unsigned long end, int nid)
{
	if (start < end && mb->nr_mem < (int)(sizeof(mb->mem) / sizeof(mb->mem[0])))
		mb->mem[mb->nr_mem++] = (struct pfn_range){ start, end, nid };
}

static void memblock_reserve(struct memblock *mb, unsigned long start, unsigned long end)
{
	if (start < end && mb->nr_rsv < (int)(sizeof(mb->rsv) / sizeof(mb->rsv[0])))
		mb->rsv[mb->nr_rsv++] = (struct pfn_range){ start, end, NUMA_NO_NODE };
}

static bool pfn_reserved(const struct memblock *mb, unsigned long pfn)
{
	for (int i = 0; i < mb->nr_rsv; i++)
		if (pfn >= mb->rsv[i].start && pfn < mb->rsv[i].end)
			return true;
	return false;
}

/* Top-down allocation, as memblock does: the highest free RAM of nid below limit. */
static unsigned long memblock_alloc_top(struct memblock *mb, unsigned long nr, int nid,
					unsigned long limit)
{
	for (int i = mb->nr_mem - 1; i >= 0; i--) {
		struct pfn_range *r = &mb->mem[i];
		if (nid != NUMA_NO_NODE && r->nid != nid)
			continue;
		unsigned long end = r->end < limit ? r->end : limit;
		while (end >= r->start + nr) {
			unsigned long start = (end - nr) & ~(pageblock_nr_pages - 1);
			if (start < r->start)
				break;
			bool clash = false;
			for (int j = 0; j < mb->nr_rsv; j++) {
				if (start < mb->rsv[j].end && start + nr > mb->rsv[j].start) {
					end = mb->rsv[j].start;
					clash = true;
					break;
				}
			}
			if (!clash) {
				memblock_reserve(mb, start, start + nr);
				return start;
			}
		}
	}
	return -1UL;
}

static int node_of_addr(struct kernel *k, uint64_t addr)
{
	for (int i = 0; i < k->boot.nr_memblk; i++) {
		struct numa_memblk *b = &k->boot.memblk[i];
		if (!b->hotpluggable && addr >= b->start && addr < b->end)
			return b->nid;
	}
	return 0;
}

/* memory_block_size_bytes() for x86-64 under a hypervisor */
static unsigned long probe_memory_block_size(unsigned long boot_mem_end)
{
	if (boot_mem_end < (64ULL << 30))
		return 128UL << 20;
	for (unsigned long bz = 2UL << 30; bz > (128UL << 20); bz >>= 1)
		if (!(boot_mem_end & (bz - 1)))
			return bz;
	return 128UL << 20;
}

void init_currently_empty_zone(struct zone *zone, unsigned long start_pfn, unsigned long size)
{
	zone->zone_start_pfn = start_pfn;
	zone->spanned_pages = size;
}

void free_area_init_node_struct(struct kernel *k, int nid)
{
	pg_data_t *pgdat = k->node_data[nid];
	if (!pgdat) {
		pgdat = mh_calloc(1, sizeof(*pgdat));
		if (!pgdat)
			out_of_memory(ALLOC_WHERE, 0);
		k->node_data[nid] = pgdat;
	}
	pgdat->node_id = nid;
	pgdat->node_start_pfn = 0;
	pgdat->node_spanned_pages = 0;
	pgdat->node_present_pages = 0;
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];
		if (!zone->zone_pgdat) {
			zone->zone_pgdat = pgdat;
			zone->idx = (enum zone_type)z;
			zone->name = zone_names[z];
			zone_init_free_lists(zone);
		}
		zone->zone_start_pfn = 0;
		zone->spanned_pages = 0;
		zone->present_pages = zone->present_early_pages = 0;
		zone_pcp_reset(zone);
	}
}

static const unsigned long zone_limits[MAX_NR_ZONES] = {
	[ZONE_DMA] = (16ULL << 20) >> PAGE_SHIFT,
	[ZONE_DMA32] = SZ_4G >> PAGE_SHIFT,
	[ZONE_NORMAL] = -1UL,
};

static unsigned long zone_lo(int z) { return z ? zone_limits[z - 1] : 0; }

/* Lay out zones of one node over its boot RAM, and give pageblocks their zone. */
static void init_node_zones(struct kernel *k, struct memblock *mb, int nid)
{
	pg_data_t *pgdat = k->node_data[nid];
	unsigned long nstart = -1UL, nend = 0;
	for (int i = 0; i < mb->nr_mem; i++) {
		if (mb->mem[i].nid != nid)
			continue;
		if (mb->mem[i].start < nstart)
			nstart = mb->mem[i].start;
		if (mb->mem[i].end > nend)
			nend = mb->mem[i].end;
	}
	if (nstart >= nend)
		return;
	pgdat->node_start_pfn = nstart;
	pgdat->node_spanned_pages = nend - nstart;
	for (int z = ZONE_DMA; z <= ZONE_NORMAL; z++) {
		struct zone *zone = &pgdat->node_zones[z];
		unsigned long s = nstart > zone_lo(z) ? nstart : zone_lo(z);
		unsigned long e = nend < zone_limits[z] ? nend : zone_limits[z];
		if (s >= e)
			continue;
		unsigned long present = 0;
		for (int i = 0; i < mb->nr_mem; i++) {
			struct pfn_range *r = &mb->mem[i];
			if (r->nid != nid)
				continue;
			unsigned long a = r->start > s ? r->start : s, b = r->end < e ? r->end : e;
			if (a < b)
				present += b - a;
		}
		init_currently_empty_zone(zone, s, e - s);
		zone->present_pages = zone->present_early_pages = present;
		pgdat->node_present_pages += present;
		for (unsigned long pfn = s & ~(pageblock_nr_pages - 1); pfn < e; pfn += pageblock_nr_pages) {
			set_pageblock_zone(k, pfn, zone);
			set_pageblock_migratetype(k, pfn, MIGRATE_MOVABLE);
		}
	}
}

/* Hand every RAM page that nothing reserved to the buddy, in max-order chunks. */
/* [pfn, end) lies inside one reservation */
static bool range_reserved(const struct memblock *mb, unsigned long pfn, unsigned long end)
{
	for (int i = 0; i < mb->nr_rsv; i++)
		if (pfn >= mb->rsv[i].start && end <= mb->rsv[i].end)
			return true;
	return false;
}

/* [pfn, end) meets no reservation */
static bool range_unreserved(const struct memblock *mb, unsigned long pfn, unsigned long end)
{
	for (int i = 0; i < mb->nr_rsv; i++)
		if (pfn < mb->rsv[i].end && end > mb->rsv[i].start)
			return false;
	return true;
}

/*
 * A whole pageblock of a reservation: its struct pages are written on first
 * use (SECTION_LAZY_RESERVED), so that boot writes no memmap for it.
 */
static bool reserve_pageblock_lazily(struct kernel *k, const struct pfn_range *r,
				     const struct memblock *mb, unsigned long pfn)
{
	unsigned long end = pfn + pageblock_nr_pages;
	if ((pfn & (pageblock_nr_pages - 1)) || end > r->end || !range_reserved(mb, pfn, end))
		return false;
	struct mem_section *ms = __pfn_to_section(k, pfn);
	ms->lazy_reserved |= 1ULL << pb_idx(pfn);
	ms->flags |= SECTION_LAZY_RESERVED;
	return true;
}

/*
 * A whole section free of reservations, as one free run: what freeing its
 * max-order chunks one by one would give, without writing their heads.
 */
static bool free_section_as_run(struct kernel *k, const struct pfn_range *r,
				const struct memblock *mb, unsigned long pfn)
{
	unsigned long end = pfn + PAGES_PER_SECTION;
	if ((pfn & ~PAGE_SECTION_MASK) || end > r->end || !range_unreserved(mb, pfn, end))
		return false;
	struct mem_section *ms = __pfn_to_section(k, pfn);
	if (!section_can_be_run(k, ms))
		return false;
	struct zone *zone = page_zone(k, pfn);
	adjust_managed_page_count(k, zone, PAGES_PER_SECTION);
	pthread_mutex_lock(&k->zone_lock);
	add_free_run(k, zone, ms, pfn);
	pthread_mutex_unlock(&k->zone_lock);
	return true;
}

static void memblock_free_all(struct kernel *k, struct memblock *mb)
{
	for (int i = 0; i < mb->nr_mem; i++) {
		struct pfn_range *r = &mb->mem[i];
		unsigned long pfn = r->start;
		while (pfn < r->end) {
			if (free_section_as_run(k, r, mb, pfn)) {
				pfn += PAGES_PER_SECTION;
				continue;
			}
			if (reserve_pageblock_lazily(k, r, mb, pfn)) {
				pfn += pageblock_nr_pages;
				continue;
			}
			if (pfn_reserved(mb, pfn)) {
				struct page *p = pfn_to_page(k, pfn);
				p->flags = PG_reserved;
				p->_refcount = 1;
				pfn++;
				continue;
			}
			/* the largest aligned chunk that is free throughout */
			unsigned int order = 0;
			while (order < MAX_ORDER - 1) {
				unsigned long n = 1UL << (order + 1);
				if ((pfn & (n - 1)) || pfn + n > r->end)
					break;
				bool ok = true;
				for (int j = 0; j < mb->nr_rsv && ok; j++)
					if (pfn < mb->rsv[j].end && pfn + n > mb->rsv[j].start)
						ok = false;
				if (!ok)
					break;
				order++;
			}
			struct zone *zone = page_zone(k, pfn);
			if (zone) {
				adjust_managed_page_count(k, zone, 1L << order);
				__free_pages_ok(k, pfn, order, true);
			}
			pfn += 1UL << order;
		}
	}
}

/* Holes inside valid sections are reserved pages, as init_unavailable_range() leaves them. */
static void mark_holes_reserved(struct kernel *k, struct memblock *mb)
{
	for (unsigned long nr = 0; nr <= pfn_to_section_nr(k->max_pfn); nr++) {
		struct mem_section *ms = __nr_to_section(k, nr);
		if (!valid_section(ms))
			continue;
		unsigned long s = section_nr_to_pfn(nr);
		bool all_ram = false;
		for (int i = 0; i < mb->nr_mem && !all_ram; i++)
			all_ram = mb->mem[i].start <= s && mb->mem[i].end >= s + PAGES_PER_SECTION;
		if (all_ram)
			continue;	/* no hole in this section */
		for (unsigned long pfn = s; pfn < s + PAGES_PER_SECTION; pfn++) {
			if (!pfn_valid(k, pfn))
				continue;
			bool ram = false;
			for (int i = 0; i < mb->nr_mem && !ram; i++)
				ram = pfn >= mb->mem[i].start && pfn < mb->mem[i].end;
			if (!ram) {
				struct page *p = pfn_to_page(k, pfn);
				p->flags = PG_reserved;
				p->_refcount = 1;
			}
		}
	}
}

/*
 * insert_resource() of a boot resource: one that conflicts (the kernel image
 * of a guest smaller than the image, mem= cutting RAM under it) stays out
 * of the tree, as e820__reserve_resources() and setup_arch() leave it.
 */
static int iomem_insert(struct kernel *k, uint64_t start, uint64_t end, const char *name,
			unsigned long flags)
{
	struct resource *res = resource_new(start, end, name, flags);
	if (!res)
		return -ENOMEM;
	if (insert_resource_nested(&k->iomem_resource, res)) {
		resource_free(res);
	}
	return 0;
}

static int build_iomem(struct kernel *k, const struct e820_entry *e820, int nr)
{
	int rc = 0;
	for (int i = 0; i < nr && !rc; i++) {
		const struct e820_entry *e = &e820[i];
		bool ram = e->type == E820_TYPE_RAM;
		rc = iomem_insert(k, e->addr, e->addr + e->size - 1, e820_type_name(e->type),
				  ram ? IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY : IORESOURCE_MEM);
	}
	/* the kernel image, inside the first RAM above 1 MiB */
	static const struct { uint64_t s, e; const char *n; } image[] = {
		{ 0x01000000, 0x01e01d31, "Kernel code" },
		{ 0x02000000, 0x028eafff, "Kernel rodata" },
		{ 0x02a00000, 0x02c4897f, "Kernel data" },
		{ 0x03310000, 0x043fffff, "Kernel bss" },
	};
	for (unsigned i = 0; i < sizeof(image) / sizeof(image[0]) && !rc; i++)
		rc = iomem_insert(k, image[i].s, image[i].e, image[i].n, IORESOURCE_MEM | IORESOURCE_BUSY);
	/* chipset and firmware resources nest by their ranges */
	for (int i = 0; i < k->boot.nr_fw_res && !rc; i++) {
		const struct fw_resource *f = &k->boot.fw_res[i];
		rc = iomem_insert(k, f->start, f->end, f->name, IORESOURCE_MEM);
	}
	return rc;
}

/*
 * What Linux 6.1 keeps for itself at boot on a QEMU pc guest, calibrated on
 * the oracle's transcripts (DMA32/Normal managed pages of 1, 2, 2x1 NUMA, 4
 * and 64 GiB guests): the low 1 MiB, the kernel image and its early data
 * (11318 pages at 16 MiB), swiotlb (64 MiB, top-down below 4 GiB), the
 * memmap (512 pages per present section, on its node, top-down) and early
 * allocations that grow with memory (5873 pages at 1 GiB, 3 more per 2048 pages,
 * top-down on the last node; each other NUMA node keeps 110 pages locally
 * and the total is 724 pages less per extra node).
 */
static void reserve_boot_memory(struct kernel *k, struct memblock *mb, int nr_nodes)
{
	unsigned long present = 0;
	for (int i = 0; i < mb->nr_mem; i++)
		present += mb->mem[i].end - mb->mem[i].start;
	memblock_reserve(mb, 0, SZ_1M >> PAGE_SHIFT);
	memblock_reserve(mb, 0x1000000 >> PAGE_SHIFT, (0x1000000 >> PAGE_SHIFT) + 11318);
	memblock_alloc_top(mb, (64 * SZ_1M) >> PAGE_SHIFT, NUMA_NO_NODE, SZ_4G >> PAGE_SHIFT);
	int last = 0;
	for (int n = 0; n < nr_nodes; n++) {
		unsigned long sections = 0;
		for (unsigned long nr_s = 0; nr_s <= pfn_to_section_nr(k->max_pfn); nr_s++) {
			struct mem_section *ms = __nr_to_section(k, nr_s);
			if (valid_section(ms) && ms->nid == n)
				sections++;
		}
		if (!sections)
			continue;
		memblock_alloc_top(mb, sections * (PAGES_PER_SECTION * 64 / PAGE_SIZE), n, -1UL);
		last = n;
	}
	/* 5873 pages on a 1 GiB guest (262014 present pages), 384 more per GiB */
	unsigned long early = present > 262014 ? 5873 + (present - 262014) * 3 / 2048 : 5873;
	for (int n = 0; n < last; n++) {
		if (!k->node_data[n] || !node_state(k, n, N_ONLINE))
			continue;
		memblock_alloc_top(mb, 110, n, -1UL);
		early -= 110 + 724;
	}
	memblock_alloc_top(mb, early, last, -1UL);
}

int mm_core_init(struct kernel *k)
{
	struct memblock *mb = mh_calloc(1, sizeof(*mb));
	struct e820_entry e820[E820_MAX_ENTRIES];
	int nr = k->boot.nr_e820;
	if (!mb)
		return -ENOMEM;
	memcpy(e820, k->boot.e820, sizeof(e820));

	/* the firmware's map goes to /sys/firmware/memmap before the kernel edits it */
	for (int i = 0; i < nr; i++)
		firmware_map_add_early(k, e820[i].addr, e820[i].addr + e820[i].size,
				       e820[i].type == E820_TYPE_RAM ? "System RAM" : "Reserved");

	/* memmap=: the user's ranges go over the kernel's copy only */
	e820_apply_user(k, e820, &nr, E820_MAX_ENTRIES);

	/* x86 keeps page 0 for itself (e820__update_table: first page reserved) */
	if (nr && e820[0].addr == 0 && e820[0].type == E820_TYPE_RAM && e820[0].size > PAGE_SIZE) {
		memmove(&e820[1], &e820[0], sizeof(e820[0]) * (size_t)nr);
		e820[0] = (struct e820_entry){ 0, PAGE_SIZE, E820_TYPE_RESERVED };
		e820[1].addr += PAGE_SIZE;
		e820[1].size -= PAGE_SIZE;
		nr++;
	}
	/* mem=: RAM above the limit is dropped */
	for (int i = 0; i < nr; i++) {
		if (e820[i].type != E820_TYPE_RAM || k->params.max_mem_size == UINT64_MAX)
			continue;
		uint64_t lim = k->params.max_mem_size;
		if (e820[i].addr >= lim) {
			memmove(&e820[i], &e820[i + 1], sizeof(e820[0]) * (size_t)(nr - i - 1));
			nr--;
			i--;
		} else if (e820[i].addr + e820[i].size > lim) {
			e820[i].size = lim - e820[i].addr;
		}
	}
	int rc = build_iomem(k, e820, nr);
	if (rc) {
		free(mb);
		return rc;
	}

	/* memblock.memory: whole pages of RAM, split by node */
	for (int i = 0; i < nr; i++) {
		if (e820[i].type != E820_TYPE_RAM)
			continue;
		unsigned long s = (unsigned long)((e820[i].addr + PAGE_SIZE - 1) >> PAGE_SHIFT);
		unsigned long e = (unsigned long)((e820[i].addr + e820[i].size) >> PAGE_SHIFT);
		while (s < e) {
			int nid = node_of_addr(k, PFN_PHYS(s));
			unsigned long cut = e;
			for (int b = 0; b < k->boot.nr_memblk; b++) {
				struct numa_memblk *m = &k->boot.memblk[b];
				unsigned long me = (unsigned long)(m->end >> PAGE_SHIFT);
				if (!m->hotpluggable && m->nid == nid && PFN_PHYS(s) >= m->start &&
				    PFN_PHYS(s) < m->end && me < cut)
					cut = me;
			}
			if (cut <= s)
				cut = e;
			memblock_add(mb, s, cut, nid);
			if (cut > k->max_pfn)
				k->max_pfn = cut;
			s = cut;
		}
	}
	/*
	 * mem= below the first page of RAM leaves nothing to run on: Linux dies
	 * in early boot (no memblock memory for its page tables); the guest fails
	 * to boot rather than loop over sections up to pfn -1.
	 */
	if (!mb->nr_mem || !k->max_pfn) {
		klog(k, "Kernel panic - not syncing: no usable RAM (mem= leaves none)");
		free(mb);
		return -ENOMEM;
	}
	k->block_size = probe_memory_block_size(PFN_PHYS(k->max_pfn));
	klog(k, "x86/mm: Memory block size: %luMB", k->block_size >> 20);

	/* nodes: every configured node is possible; nodes with memory or CPUs are online */
	int nr_nodes = k->boot.nr_nodes ? k->boot.nr_nodes : 1;
	for (int n = 0; n < nr_nodes; n++) {
		node_set_state(k, n, N_POSSIBLE);
		bool has_mem = false, has_cpu = false;
		for (int i = 0; i < mb->nr_mem; i++)
			has_mem |= mb->mem[i].nid == n;
		for (int c = 0; c < k->boot.nr_cpus; c++)
			has_cpu |= k->boot.cpu_to_node[c] == n;
		if (has_cpu)
			node_set_state(k, n, N_CPU);
		if (has_mem || has_cpu || n == 0) {
			free_area_init_node_struct(k, n);
			node_set_state(k, n, N_ONLINE);
		}
	}

	for (int i = 0; i < mb->nr_mem; i++) {
		rc = sparse_init_range(k, mb->mem[i].start, mb->mem[i].end, mb->mem[i].nid);
		if (rc) {
			free(mb);
			return rc;
		}
	}
	for (int n = 0; n < nr_nodes; n++)
		if (k->node_data[n])
			init_node_zones(k, mb, n);

	reserve_boot_memory(k, mb, nr_nodes);

	mark_holes_reserved(k, mb);
	memblock_free_all(k, mb);
	for (int i = 0; i < mb->nr_mem; i++)
		online_mem_sections(k, mb->mem[i].start & PAGE_SECTION_MASK, mb->mem[i].end);

	for (int n = 0; n < nr_nodes; n++) {
		pg_data_t *pgdat = k->node_data[n];
		if (!pgdat || !node_online(k, n))
			continue;
		bool normal = false, any = false;
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &pgdat->node_zones[z];
			if (populated_zone(zone)) {
				any = true;
				normal |= z <= ZONE_NORMAL;
			}
		}
		if (normal)
			node_set_state(k, n, N_NORMAL_MEMORY);
		if (any)
			node_set_state(k, n, N_MEMORY);
	}
	free(mb);
	build_all_zonelists(k);
	init_per_zone_wmark_min(k);
	return 0;
}
