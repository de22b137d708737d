/* SPDX-License-Identifier: MIT */
/*
 * The physical memory model: pages, sections, zones and nodes, as Linux 6.1
 * on x86-64 keeps them (SPARSEMEM_VMEMMAP, 4 KiB pages, 128 MiB sections).
 */
#ifndef MEMHP_MM_MMZONE_H
#define MEMHP_MM_MMZONE_H

#include <stdbool.h>
#include <stdint.h>

#include "../lib/list.h"

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define SECTION_SIZE_BITS	27
#define PFN_SECTION_SHIFT	(SECTION_SIZE_BITS - PAGE_SHIFT)
#define PAGES_PER_SECTION	(1UL << PFN_SECTION_SHIFT)
#define PAGE_SECTION_MASK	(~(PAGES_PER_SECTION - 1))
#define SUBSECTION_SHIFT	21
#define PAGES_PER_SUBSECTION	(1UL << (SUBSECTION_SHIFT - PAGE_SHIFT))
#define SUBSECTIONS_PER_SECTION	(PAGES_PER_SECTION / PAGES_PER_SUBSECTION)
#define MAX_PHYSMEM_BITS	46
#define NR_MEM_SECTIONS		(1UL << (MAX_PHYSMEM_BITS - SECTION_SIZE_BITS))
#define SECTIONS_PER_ROOT	256UL
#define NR_SECTION_ROOTS	(NR_MEM_SECTIONS / SECTIONS_PER_ROOT)
#define PHYSMEM_END		((1ULL << MAX_PHYSMEM_BITS) - 1)

/* Linux 6.1: MAX_ORDER is exclusive, the largest buddy block is order 10 (4 MiB). */
#define MAX_ORDER		11
#define MAX_ORDER_NR_PAGES	(1UL << (MAX_ORDER - 1))
#define pageblock_order		9
#define pageblock_nr_pages	(1UL << pageblock_order)
#define PAGEBLOCKS_PER_SECTION	(PAGES_PER_SECTION / pageblock_nr_pages)

#define MAX_NUMNODES		64
#define NUMA_NO_NODE		(-1)
#define MAX_CPUS		256

#define PFN_PHYS(pfn)		((uint64_t)(pfn) << PAGE_SHIFT)
#define PHYS_PFN(a)		((unsigned long)((a) >> PAGE_SHIFT))
#define pfn_to_section_nr(pfn)	((unsigned long)(pfn) >> PFN_SECTION_SHIFT)
#define section_nr_to_pfn(nr)	((unsigned long)(nr) << PFN_SECTION_SHIFT)

enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_PCPTYPES,	/* the number of types on the pcp lists */
	MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES,
	MIGRATE_CMA,
	MIGRATE_ISOLATE,
	MIGRATE_TYPES
};

enum zone_type {
	ZONE_DMA,
	ZONE_DMA32,
	ZONE_NORMAL,
	ZONE_MOVABLE,
	ZONE_DEVICE,
	MAX_NR_ZONES
};

/*
 * A struct page is "online-initialised" when its pageblock's zone is set; an
 * all-zero struct page is a free, non-head page (refcount 0, no flags).
 */

/* struct page flags (a subset of Linux's, the ones hotplug looks at). */
enum pageflags {
	PG_reserved	= 1u << 0,	/* boot reservation, hole, or memmap not handed to the buddy */
	PG_buddy	= 1u << 1,	/* head of a free buddy block; order in page->order */
	PG_offline	= 1u << 2,	/* logically offline (kept back by an online-page callback) */
	PG_lru		= 1u << 3,	/* on an LRU: movable user/page-cache memory */
	PG_movable	= 1u << 4,	/* non-LRU movable (e.g. zsmalloc, balloon) */
	PG_head		= 1u << 5,	/* first page of a higher-order allocation */
	PG_hwpoison	= 1u << 6,
	PG_vmemmap	= 1u << 7,	/* self-hosted memmap page (memmap_on_memory) */
	PG_slab		= 1u << 8,	/* kernel allocation: never migratable */
	PG_pinned	= 1u << 9,	/* long-term pinned (FOLL_LONGTERM): migration fails */
	PG_run		= 1u << 10,	/* not a page: a free section's stand-in on a free list (memhp) */
};

struct page_owner;

/*
 * One per 4 KiB page frame. Allocated per section when the section gets its
 * memmap; the OS hands out zero pages until a field is written, so untouched
 * parts of a memmap cost no RSS.
 */
struct page {
	struct list_head lru;	/* buddy free list, or owner's list */
	uint32_t flags;
	int32_t _refcount;
	uint8_t order;		/* buddy order (PG_buddy) or allocation order (PG_head) */
	uint8_t _pad[7];
	struct page_owner *owner;	/* who holds an allocated page (migration tells it) */
	unsigned long private;	/* owner's cookie (e.g. index in its mapping) */
};

/* mem_section flags */
#define SECTION_MARKED_PRESENT	(1UL << 0)
#define SECTION_HAS_MEM_MAP	(1UL << 1)
#define SECTION_IS_ONLINE	(1UL << 2)
#define SECTION_IS_EARLY	(1UL << 3)
/*
 * Some struct page of this offline section is not all-zero (a poisoned page,
 * pages a driver's online-page callback kept): onlining must reset them, as
 * Linux's memmap_init_range() does. Clean sections skip that pass, so
 * onlining touches only the heads of free blocks.
 */
#define SECTION_MEMMAP_DIRTY	(1UL << 4)
/*
 * The section is entirely free as PAGES_PER_SECTION / MAX_ORDER_NR_PAGES
 * max-order buddies of one zone and migratetype, none of whose struct pages
 * is written: mem_section.run stands for all of them, in ascending order, at
 * their place on the order-(MAX_ORDER - 1) free list (memhp's representation;
 * Linux writes every head). pfn_to_page() writes the heads in its place first
 * (section_split_run()), so only code that walks free lists sees runs.
 */
#define SECTION_FREE_RUN	(1UL << 5)
/*
 * Some pageblocks of this section are boot reservations whose struct pages
 * are not written yet (mem_section.lazy_reserved): pfn_to_page() writes a
 * pageblock's PG_reserved pages on first use (section_fill_reserved()).
 */
#define SECTION_LAZY_RESERVED	(1UL << 6)

struct mem_section {
	unsigned long flags;
	uint64_t subsection_map;	/* one bit per 2 MiB subsection */
	unsigned long vmemmap_pfn;	/* the order-9 allocation backing a hot-added memmap, or 0 */
	/* the base pages backing it instead (vmemmap_populate_basepages), when the order-9 one failed */
	unsigned long *vmemmap_base_pfns;
	unsigned int nr_vmemmap_base;
	struct page *memmap;		/* PAGES_PER_SECTION entries, or NULL */
	/*
	 * Per pageblock: migratetype, zone and node. Linux keeps zone and node in
	 * every struct page; keeping them per pageblock (zones and nodes never
	 * split a pageblock here) lets a free page's struct page stay all-zero,
	 * so a memmap costs RSS only where pages are used or head a free block.
	 */
	uint8_t pageblock_mt[PAGEBLOCKS_PER_SECTION];
	uint8_t pageblock_zone[PAGEBLOCKS_PER_SECTION];
	uint8_t pageblock_nid[PAGEBLOCKS_PER_SECTION];
	int nid;
	uint64_t lazy_reserved;		/* SECTION_LAZY_RESERVED: one bit per pageblock */
	struct page run;		/* SECTION_FREE_RUN: the stand-in on the free list */
};

struct free_area {
	struct list_head free_list[MIGRATE_TYPES];
	unsigned long nr_free;	/* number of free blocks of this order */
};

enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, NR_WMARK };

/*
 * The per-CPU page lists of a zone: order-0 pages freed by "this CPU" wait
 * here before going back to the buddy, and order-0 allocations come from
 * here first. memhp runs the guest's work on one CPU, so a zone has one set.
 */
struct per_cpu_pages {
	int count, high, batch;
	struct list_head lists[MIGRATE_PCPTYPES];
};

struct pglist_data;

struct zone {
	struct pglist_data *zone_pgdat;
	const char *name;
	enum zone_type idx;
	unsigned long zone_start_pfn;
	unsigned long spanned_pages;
	unsigned long present_pages;
	unsigned long present_early_pages;
	unsigned long managed_pages;
	unsigned long cma_pages;
	unsigned long nr_free_pages;	/* NR_FREE_PAGES */
	unsigned long nr_isolate_pageblock;
	unsigned long _watermark[NR_WMARK];
	unsigned long watermark_boost;
	long lowmem_reserve[MAX_NR_ZONES];
	bool pcp_disabled;	/* zone_pcp_disable(): frees go straight to the buddy */
	struct per_cpu_pages pcp;	/* high/batch as zoneinfo shows them */
	int stat_threshold;
	struct free_area free_area[MAX_ORDER];
	/* statistics, for zoneinfo/meminfo */
	unsigned long nr_alloc[MIGRATE_TYPES];	/* pages allocated per migratetype */
	unsigned long numa_hit;
};

enum node_states {
	N_POSSIBLE,
	N_ONLINE,
	N_NORMAL_MEMORY,
	N_HIGH_MEMORY = N_NORMAL_MEMORY,
	N_MEMORY,
	N_CPU,
	N_GENERIC_INITIATOR,
	NR_NODE_STATES
};

typedef struct pglist_data {
	int node_id;
	struct zone node_zones[MAX_NR_ZONES];
	unsigned long node_start_pfn;
	unsigned long node_present_pages;
	unsigned long node_spanned_pages;
	/* node-level counters (per-node stats in zoneinfo/meminfo) */
	unsigned long nr_anon_pages;
	unsigned long nr_file_pages;
	unsigned long nr_slab_unreclaimable;
	unsigned long nr_kernel_pages;	/* other kernel allocations */
	unsigned long nr_page_table_pages;
} pg_data_t;

static inline unsigned long zone_end_pfn(const struct zone *z)
{
	return z->zone_start_pfn + z->spanned_pages;
}
static inline bool zone_is_empty(const struct zone *z) { return z->spanned_pages == 0; }
static inline bool populated_zone(const struct zone *z) { return z->present_pages != 0; }
static inline bool managed_zone(const struct zone *z) { return z->managed_pages != 0; }
static inline int zone_to_nid(const struct zone *z);
static inline unsigned long pgdat_end_pfn(const pg_data_t *p)
{
	return p->node_start_pfn + p->node_spanned_pages;
}

extern const char *const zone_names[MAX_NR_ZONES];
extern const char *const migratetype_names[MIGRATE_TYPES];

static inline int zone_to_nid(const struct zone *z) { return z->zone_pgdat->node_id; }

#endif
