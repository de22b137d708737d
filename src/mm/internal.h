/* SPDX-License-Identifier: MIT */
/* Functions shared inside mm/ (mm/internal.h): sparse model, buddy allocator, isolation, hotplug. */
#ifndef MEMHP_MM_INTERNAL_H
#define MEMHP_MM_INTERNAL_H

#include "../kernel/kernel.h"

/* ---- sparse.c: sections and the memmap ---- */
/*
 * The pfn lookups are inline, as Linux's are: isolation, the migratetype
 * moves and the buddy allocator call them once per page or block.
 */
static inline struct mem_section *__nr_to_section(struct kernel *k, unsigned long nr)
{
	if (nr >= NR_MEM_SECTIONS)
		return NULL;
	struct mem_section *root = k->mem_section[nr / SECTIONS_PER_ROOT];
	return root ? &root[nr % SECTIONS_PER_ROOT] : NULL;
}
static inline struct mem_section *__pfn_to_section(struct kernel *k, unsigned long pfn)
{
	return __nr_to_section(k, pfn_to_section_nr(pfn));
}
static inline bool valid_section(struct mem_section *ms)
{
	return ms && (ms->flags & SECTION_HAS_MEM_MAP);
}
static inline unsigned long subsection_idx(unsigned long pfn)
{
	return (pfn & ~PAGE_SECTION_MASK) / PAGES_PER_SUBSECTION;
}
static inline bool pfn_valid(struct kernel *k, unsigned long pfn)
{
	struct mem_section *ms = __pfn_to_section(k, pfn);
	if (!valid_section(ms))
		return false;
	return (ms->subsection_map >> subsection_idx(pfn)) & 1;
}
/* page_alloc.c: write the struct pages a run or a lazy reservation stands for */
void section_split_run(struct kernel *k, struct mem_section *ms);
void section_fill_reserved(struct mem_section *ms, unsigned long pfn);
/*
 * Before anyone reads or writes a struct page of a section kept lazily (a
 * free run, unwritten boot reservations), its real contents are written:
 * every caller holds the machine's lock, as every caller of the free lists does.
 */
static inline void section_materialise(struct kernel *k, struct mem_section *ms, unsigned long pfn)
{
	if (__builtin_expect(ms->flags & SECTION_FREE_RUN, 0))
		section_split_run(k, ms);
	if (__builtin_expect(ms->flags & SECTION_LAZY_RESERVED, 0))
		section_fill_reserved(ms, pfn);
}
static inline struct page *pfn_to_page(struct kernel *k, unsigned long pfn)
{
	struct mem_section *ms = __pfn_to_section(k, pfn);
	if (!ms || !ms->memmap)
		return NULL;
	section_materialise(k, ms, pfn);
	return &ms->memmap[pfn & ~PAGE_SECTION_MASK];
}
/* pfn_to_online_page() would find a page: asked without touching the memmap */
static inline bool pfn_is_online(struct kernel *k, unsigned long pfn)
{
	struct mem_section *ms = __pfn_to_section(k, pfn);
	return ms && (ms->flags & SECTION_IS_ONLINE) && pfn_valid(k, pfn);
}
/* The page if its section is online (pfn_to_online_page), else NULL. */
static inline struct page *pfn_to_online_page(struct kernel *k, unsigned long pfn)
{
	if (!pfn_is_online(k, pfn))
		return NULL;
	struct mem_section *ms = __pfn_to_section(k, pfn);
	section_materialise(k, ms, pfn);
	return &ms->memmap[pfn & ~PAGE_SECTION_MASK];
}
/*
 * The section of pfn if pfn starts a free run that lies wholly inside
 * [pfn, end), else NULL: walkers over free memory take such a section whole.
 */
static inline struct mem_section *free_run_at(struct kernel *k, unsigned long pfn, unsigned long end)
{
	if (pfn & ~PAGE_SECTION_MASK || end - pfn < PAGES_PER_SECTION)
		return NULL;
	struct mem_section *ms = __pfn_to_section(k, pfn);
	return ms && (ms->flags & SECTION_FREE_RUN) ? ms : NULL;
}
bool present_section_nr(struct kernel *k, unsigned long nr);
bool online_section_nr(struct kernel *k, unsigned long nr);
struct mem_section *sparse_index_init(struct kernel *k, unsigned long nr, int nid);
/* Boot: mark [start_pfn, end_pfn) present and give the sections a memmap. */
int sparse_init_range(struct kernel *k, unsigned long start_pfn, unsigned long end_pfn, int nid);
int sparse_add_section(struct kernel *k, int nid, unsigned long pfn, unsigned long nr_pages);
void sparse_remove_section(struct kernel *k, unsigned long pfn, unsigned long nr_pages);
void online_mem_sections(struct kernel *k, unsigned long start_pfn, unsigned long end_pfn);
void offline_mem_sections(struct kernel *k, unsigned long start_pfn, unsigned long end_pfn);
void sparse_free_all(struct kernel *k);
/* Host memory behind a pfn (the guest's RAM), or NULL. */
void *page_address(struct kernel *k, unsigned long pfn);

/* Per-pageblock attributes */
static inline unsigned long pb_idx(unsigned long pfn)
{
	return (pfn & ~PAGE_SECTION_MASK) >> pageblock_order;
}
static inline int get_pageblock_migratetype(struct kernel *k, unsigned long pfn)
{
	struct mem_section *ms = __pfn_to_section(k, pfn);
	return ms ? ms->pageblock_mt[pb_idx(pfn)] : MIGRATE_UNMOVABLE;
}
static inline void set_pageblock_migratetype(struct kernel *k, unsigned long pfn, int mt)
{
	struct mem_section *ms = __pfn_to_section(k, pfn);
	if (ms)
		ms->pageblock_mt[pb_idx(pfn)] = (uint8_t)mt;
}
/* NULL if not in a zone; pageblock_zone holds zone index + 1, so that 0 means "in no zone" */
static inline struct zone *page_zone(struct kernel *k, unsigned long pfn)
{
	struct mem_section *ms = __pfn_to_section(k, pfn);
	if (!ms || !ms->pageblock_zone[pb_idx(pfn)])
		return NULL;
	pg_data_t *pgdat = k->node_data[ms->pageblock_nid[pb_idx(pfn)]];
	return pgdat ? &pgdat->node_zones[ms->pageblock_zone[pb_idx(pfn)] - 1] : NULL;
}
int pfn_to_nid(struct kernel *k, unsigned long pfn);
void set_pageblock_zone(struct kernel *k, unsigned long pfn, struct zone *zone);
void clear_pageblock_zone(struct kernel *k, unsigned long pfn);

/* ---- page_alloc.c: the buddy allocator ---- */
typedef unsigned int gfp_t;
#define __GFP_DMA		0x01u
#define __GFP_DMA32		0x02u
#define __GFP_MOVABLE		0x08u
#define __GFP_RECLAIMABLE	0x10u
#define __GFP_THISNODE		0x20u
#define __GFP_NOWARN		0x40u
#define __GFP_DIRECT_RECLAIM	0x80u	/* fault injection's ignore-gfp-wait */
#define __GFP_HIGHMEM		0x100u	/* fault injection's ignore-gfp-highmem (no zone on x86-64) */
#define GFP_KERNEL		(__GFP_DIRECT_RECLAIM)
#define GFP_USER		(__GFP_DIRECT_RECLAIM)
#define GFP_HIGHUSER_MOVABLE	(__GFP_MOVABLE | __GFP_HIGHMEM | __GFP_DIRECT_RECLAIM)

void zone_init_free_lists(struct zone *zone);
/* Free 2^order pages at pfn into the buddy (merging), FPI_TO_TAIL if to_tail. */
void __free_pages_ok(struct kernel *k, unsigned long pfn, unsigned int order, bool to_tail);
/* The online-page default: give a chunk to the buddy and count it managed. */
void generic_online_page(struct kernel *k, unsigned long pfn, unsigned int order);
/* The order of the chunk online_pages_range() hands over at pfn: its alignment, at most MAX_ORDER - 1. */
static inline unsigned int online_chunk_order(unsigned long pfn)
{
	unsigned int order = pfn ? (unsigned int)__builtin_ctzl(pfn) : MAX_ORDER - 1;
	return order > MAX_ORDER - 1 ? MAX_ORDER - 1 : order;
}
/* generic_online_page() on every chunk of [start, end), the zone lock taken once. */
void generic_online_page_range(struct kernel *k, unsigned long start, unsigned long end);
/* Allocate 2^order pages; returns the first pfn or -1UL. */
unsigned long __alloc_pages(struct kernel *k, gfp_t gfp, unsigned int order, int preferred_nid);
void __free_pages(struct kernel *k, unsigned long pfn, unsigned int order);
static inline bool PageBuddy(const struct page *p) { return p->flags & PG_buddy; }
/* The head of the free buddy that covers pfn, else pfn (find_large_buddy(), Linux 6.10). */
unsigned long find_large_buddy(struct kernel *k, unsigned long pfn);
static inline unsigned int buddy_order(const struct page *p) { return p->order; }
/* Move the free pages of a pageblock to another migratetype's lists; pages moved. */
unsigned long move_freepages_block(struct kernel *k, struct zone *zone, unsigned long pfn, int mt);
/* Take every free block of [start, end) off the free lists (offline commit); pages taken. */
unsigned long __offline_isolated_pages(struct kernel *k, unsigned long start, unsigned long end);
/* The same without the sections: alloc_contig_range()'s isolate_freepages_range() */
unsigned long take_isolated_free_pages(struct kernel *k, unsigned long start, unsigned long end);
void setup_per_zone_wmarks(struct kernel *k);
void init_per_zone_wmark_min(struct kernel *k);
void build_all_zonelists(struct kernel *k);
unsigned long nr_free_buffer_pages(struct kernel *k);
void adjust_managed_page_count(struct kernel *k, struct zone *zone, long count);
void zone_pcp_update(struct kernel *k, struct zone *zone);
void drain_zone_pages(struct kernel *k, struct zone *zone);
void zone_pcp_disable(struct kernel *k, struct zone *zone);
void zone_pcp_enable(struct kernel *k, struct zone *zone);
void zone_pcp_reset(struct zone *zone);
/* Sum of free pages in a zone counted from its free lists (invariant checks). */
unsigned long zone_count_free_pages(struct zone *zone);

/*
 * Free runs (SECTION_FREE_RUN): give a whole section to the buddy as one run
 * (boot and online, for a section whose max-order chunks would all go to the
 * tail of one list); move a run to another migratetype's list as
 * move_freepages_block() moves its heads, pageblock by pageblock; take it off
 * the lists (offline). Zone lock held.
 */
bool section_can_be_run(struct kernel *k, struct mem_section *ms);
void add_free_run(struct kernel *k, struct zone *zone, struct mem_section *ms, unsigned long pfn);
void move_free_run(struct kernel *k, struct zone *zone, struct mem_section *ms, int mt);
void del_free_run(struct kernel *k, struct zone *zone, struct mem_section *ms);
bool take_page_off_buddy(struct kernel *k, unsigned long pfn);
void split_free_page_to_order(struct kernel *k, unsigned long pfn, unsigned int max_order);
/* page_contig.c: pageblock-aligned [start, end) of one zone; -EBUSY if it cannot be had */
int alloc_contig_range(struct kernel *k, unsigned long start, unsigned long end);
/* pageblock multiples only */
void free_contig_range(struct kernel *k, unsigned long pfn, unsigned long nr_pages);

/* ---- memory_failure.c: hwpoison ---- */
int soft_offline_page(struct kernel *k, unsigned long pfn);
int memory_failure(struct kernel *k, unsigned long pfn);

/* ---- page_isolation.c ---- */
int start_isolate_page_range(struct kernel *k, unsigned long start, unsigned long end,
			     int migratetype, bool memory_offline);
void undo_isolate_page_range(struct kernel *k, unsigned long start, unsigned long end, int mt);
int test_pages_isolated(struct kernel *k, unsigned long start, unsigned long end);
int has_unmovable_pages(struct kernel *k, struct zone *zone, unsigned long start, unsigned long end,
			bool memory_offline);

/* ---- mm_init.c: boot ---- */
int mm_core_init(struct kernel *k);
void init_currently_empty_zone(struct zone *zone, unsigned long start_pfn, unsigned long size);
void free_area_init_node_struct(struct kernel *k, int nid);
void kernel_alloc_activity(struct kernel *k, int nid);

/* ---- filemap.c: the rootfs page cache ---- */
void page_cache_init(struct kernel *k);
void page_cache_fill(struct kernel *k, unsigned long pfn, void *p);
unsigned long page_cache_verify(struct kernel *k);
void page_cache_free(struct kernel *k);

/* ---- debug.c: consistency checks ---- */
/* 0 when every invariant holds, else -1 and the first broken one in why. */
int mm_verify(struct kernel *k, struct sbuf *why);
/* Debug builds (MEMHP_DEBUG): abort with the reason if mm_verify() fails. */
void mm_debug_check(struct kernel *k, const char *after);

/* ---- migrate.c ---- */
int do_migrate_range(struct kernel *k, unsigned long start, unsigned long end);
int scan_movable_pages(struct kernel *k, unsigned long start, unsigned long end, unsigned long *movable_pfn);

#endif
