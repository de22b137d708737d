// SPDX-License-Identifier: MIT
/*
 * The buddy allocator (mm/page_alloc.c, Linux 6.1): free lists per order and
 * migratetype, merging on free, splitting on allocation, fallback stealing
 * between migratetypes, zonelists and watermarks.
 *
 * Free pages on MIGRATE_ISOLATE lists are not counted in NR_FREE_PAGES, as in
 * Linux, so that isolated memory is invisible to the allocator's accounting.
 */
#include "internal.h"

#include <errno.h>
#include <string.h>

const char *const zone_names[MAX_NR_ZONES] = { "DMA", "DMA32", "Normal", "Movable", "Device" };
const char *const migratetype_names[MIGRATE_TYPES] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "CMA", "Isolate",
};

/* The order in which an allocation of one type may steal from the others. */
static const int fallbacks[MIGRATE_TYPES][3] = {
	[MIGRATE_UNMOVABLE]   = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE,   MIGRATE_TYPES },
	[MIGRATE_MOVABLE]     = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE, MIGRATE_TYPES },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE,   MIGRATE_MOVABLE,   MIGRATE_TYPES },
};

static const int sysctl_lowmem_reserve_ratio[MAX_NR_ZONES] = { 256, 256, 32, 0, 0 };
static const int watermark_scale_factor = 10;


void zone_init_free_lists(struct zone *zone)
{
	for (int t = 0; t < MIGRATE_PCPTYPES; t++)
		INIT_LIST_HEAD(&zone->pcp.lists[t]);
	for (int o = 0; o < MAX_ORDER; o++) {
		for (int t = 0; t < MIGRATE_TYPES; t++)
			INIT_LIST_HEAD(&zone->free_area[o].free_list[t]);
		zone->free_area[o].nr_free = 0;
	}
}

static inline void account_freepages(struct zone *zone, long nr, int mt)
{
	if (mt != MIGRATE_ISOLATE)
		zone->nr_free_pages += (unsigned long)nr;
}

/* A free block's head remembers its pfn (in private) so list walks need no lookup. */
static void add_to_free_list(struct kernel *k, struct zone *zone, unsigned long pfn,
			     unsigned int order, int mt, bool tail)
{
	struct free_area *area = &zone->free_area[order];
	struct page *page = pfn_to_page(k, pfn);
	page->private = pfn;
	page->flags = PG_buddy;
	page->order = (uint8_t)order;
	page->_refcount = 0;
	if (tail)
		list_add_tail(&page->lru, &area->free_list[mt]);
	else
		list_add(&page->lru, &area->free_list[mt]);
	area->nr_free++;
}

/* ---- free runs: fully free sections kept as one list entry ---- */

#define RUN_HEADS (PAGES_PER_SECTION / MAX_ORDER_NR_PAGES)

/* A section whose max-order chunks would all go to the tail of one list, written by no one. */
bool section_can_be_run(struct kernel *k, struct mem_section *ms)
{
	if (!ms->memmap || ~ms->subsection_map ||
	    (ms->flags & (SECTION_MEMMAP_DIRTY | SECTION_FREE_RUN | SECTION_LAZY_RESERVED)))
		return false;
	for (unsigned long i = 1; i < PAGEBLOCKS_PER_SECTION; i++)
		if (ms->pageblock_zone[i] != ms->pageblock_zone[0] ||
		    ms->pageblock_nid[i] != ms->pageblock_nid[0] ||
		    ms->pageblock_mt[i] != ms->pageblock_mt[0])
			return false;
	return ms->pageblock_zone[0] != 0;
}

/*
 * What RUN_HEADS calls of __free_one_page(..., MAX_ORDER - 1, ..., to_tail)
 * in ascending order do: no merging at the top order, each head to the tail.
 */
void add_free_run(struct kernel *k, struct zone *zone, struct mem_section *ms, unsigned long pfn)
{
	ms->run.private = pfn;
	int mt = ms->pageblock_mt[0];
	struct free_area *area = &zone->free_area[MAX_ORDER - 1];
	ms->run.flags = PG_buddy | PG_run;
	ms->run.order = MAX_ORDER - 1;
	list_add_tail(&ms->run.lru, &area->free_list[mt]);
	area->nr_free += RUN_HEADS;
	account_freepages(zone, PAGES_PER_SECTION, mt);
	ms->flags |= SECTION_FREE_RUN;
}

/*
 * move_freepages_block() on each pageblock of the section in ascending order
 * moves each head to the tail of mt's list: the run moves whole. The caller
 * does the accounting, as for move_freepages_block().
 */
void move_free_run(struct kernel *k, struct zone *zone, struct mem_section *ms, int mt)
{
	list_move_tail(&ms->run.lru, &zone->free_area[MAX_ORDER - 1].free_list[mt]);
	memset(ms->pageblock_mt, mt, sizeof(ms->pageblock_mt));
}

/* del_page_from_free_list() of every head (the offline commit); the caller accounts. */
void del_free_run(struct kernel *k, struct zone *zone, struct mem_section *ms)
{
	list_del(&ms->run.lru);
	zone->free_area[MAX_ORDER - 1].nr_free -= RUN_HEADS;
	ms->flags &= ~SECTION_FREE_RUN;
}

/* Write the run's heads in its place on the list, in ascending order (the section is split). */
void section_split_run(struct kernel *k, struct mem_section *ms)
{
	unsigned long start = ms->run.private;
	ms->flags &= ~SECTION_FREE_RUN;
	for (unsigned long i = 0; i < RUN_HEADS; i++) {
		struct page *page = &ms->memmap[i * MAX_ORDER_NR_PAGES];
		page->private = start + i * MAX_ORDER_NR_PAGES;
		page->flags = PG_buddy;
		page->order = MAX_ORDER - 1;
		page->_refcount = 0;
		list_add_tail(&page->lru, &ms->run.lru);
	}
	list_del(&ms->run.lru);
	INIT_LIST_HEAD(&ms->run.lru);
}

static void del_page_from_free_list(struct zone *zone, struct page *page, unsigned int order)
{
	list_del(&page->lru);
	page->flags &= ~PG_buddy;
	page->order = 0;
	page->private = 0;
	zone->free_area[order].nr_free--;
}

/* A buddy is mergeable when it heads a free block of the same order in the same zone. */
static struct page *find_buddy(struct kernel *k, struct zone *zone, unsigned long buddy_pfn,
			       unsigned int order)
{
	if (!pfn_valid(k, buddy_pfn))
		return NULL;
	struct page *buddy = pfn_to_page(k, buddy_pfn);
	if (!buddy || !PageBuddy(buddy) || buddy->order != order)
		return NULL;
	if (page_zone(k, buddy_pfn) != zone)
		return NULL;
	return buddy;
}

/*
 * If the next-larger buddy is free too, the block is likely to merge soon:
 * putting it at the tail keeps it from being split meanwhile.
 */
static bool buddy_merge_likely(struct kernel *k, struct zone *zone, unsigned long pfn,
			       unsigned long buddy_pfn, unsigned int order)
{
	if (order >= MAX_ORDER - 2)
		return false;
	unsigned long combined = buddy_pfn & pfn;
	unsigned long higher_buddy = combined ^ (1UL << (order + 1));
	return find_buddy(k, zone, higher_buddy, order + 1) != NULL;
}

static void __free_one_page(struct kernel *k, struct zone *zone, unsigned long pfn,
			    unsigned int order, int mt, bool to_tail)
{
	unsigned long buddy_pfn = 0;
	account_freepages(zone, 1L << order, mt);
	while (order < MAX_ORDER - 1) {
		buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy = find_buddy(k, zone, buddy_pfn, order);
		if (!buddy)
			break;
		if (order >= pageblock_order) {
			/* never merge isolated pageblocks with others */
			int buddy_mt = get_pageblock_migratetype(k, buddy_pfn);
			if (mt != buddy_mt && (mt == MIGRATE_ISOLATE || buddy_mt == MIGRATE_ISOLATE))
				break;
		}
		del_page_from_free_list(zone, buddy, order);
		pfn &= buddy_pfn;
		order++;
	}
	if (!to_tail)
		to_tail = buddy_pfn && buddy_merge_likely(k, zone, pfn, buddy_pfn, order);
	add_to_free_list(k, zone, pfn, order, mt, to_tail);
}

void __free_pages_ok(struct kernel *k, unsigned long pfn, unsigned int order, bool to_tail)
{
	struct zone *zone = page_zone(k, pfn);
	if (!zone)
		return;
	int mt = get_pageblock_migratetype(k, pfn);
	pthread_mutex_lock(&k->zone_lock);
	__free_one_page(k, zone, pfn, order, mt, to_tail);
	pthread_mutex_unlock(&k->zone_lock);
}

/* Give pcp pages back to the buddy, oldest first (free_pcppages_bulk). Zone lock held. */
static void free_pcppages_bulk(struct kernel *k, struct zone *zone, int count)
{
	while (count > 0 && zone->pcp.count > 0) {
		for (int t = 0; t < MIGRATE_PCPTYPES && count > 0; t++) {
			struct list_head *l = &zone->pcp.lists[t];
			if (list_empty(l))
				continue;
			struct page *page = list_entry(l->prev, struct page, lru);
			unsigned long pfn = page->private;
			list_del(&page->lru);
			page->private = 0;
			zone->pcp.count--;
			count--;
			/* the pageblock may have been isolated meanwhile */
			__free_one_page(k, zone, pfn, 0, get_pageblock_migratetype(k, pfn), false);
		}
	}
}

void drain_zone_pages(struct kernel *k, struct zone *zone)
{
	pthread_mutex_lock(&k->zone_lock);
	free_pcppages_bulk(k, zone, zone->pcp.count);
	pthread_mutex_unlock(&k->zone_lock);
}

void zone_pcp_disable(struct kernel *k, struct zone *zone)
{
	ftrace_func(k);
	pthread_mutex_lock(&k->zone_lock);
	zone->pcp_disabled = true;
	free_pcppages_bulk(k, zone, zone->pcp.count);
	pthread_mutex_unlock(&k->zone_lock);
}

void zone_pcp_enable(struct kernel *k, struct zone *zone)
{
	ftrace_func(k);
	zone->pcp_disabled = false;
}

/* free_unref_page(): an order-0 page goes to the pcp list unless its pageblock is isolated. */
static void free_unref_page(struct kernel *k, unsigned long pfn)
{
	struct zone *zone = page_zone(k, pfn);
	if (!zone)
		return;
	pthread_mutex_lock(&k->zone_lock);
	int mt = get_pageblock_migratetype(k, pfn);
	if (mt == MIGRATE_ISOLATE || zone->pcp_disabled || zone->pcp.high <= 0) {
		__free_one_page(k, zone, pfn, 0, mt, false);
	} else {
		struct page *page = pfn_to_page(k, pfn);
		page->private = pfn;
		list_add(&page->lru, &zone->pcp.lists[mt < MIGRATE_PCPTYPES ? mt : MIGRATE_MOVABLE]);
		if (++zone->pcp.count >= zone->pcp.high)
			free_pcppages_bulk(k, zone, zone->pcp.batch);
	}
	pthread_mutex_unlock(&k->zone_lock);
}

void __free_pages(struct kernel *k, unsigned long pfn, unsigned int order)
{
	struct page *page = pfn_to_page(k, pfn);
	if (!page)
		return;
	page->flags = 0;
	page->_refcount = 0;
	page->owner = NULL;
	page->private = 0;
	page->order = 0;
	if (!order)
		free_unref_page(k, pfn);
	else
		__free_pages_ok(k, pfn, order, false);
}

void adjust_managed_page_count(struct kernel *k, struct zone *zone, long count)
{
	zone->managed_pages += (unsigned long)count;
	k->totalram_pages += (unsigned long)count;
}

void generic_online_page(struct kernel *k, unsigned long pfn, unsigned int order)
{
	ftrace_func(k);
	struct zone *zone = page_zone(k, pfn);
	/* a driver's callback may have marked the chunk reserved first: the buddy takes it clean */
	if (__pfn_to_section(k, pfn)->flags & SECTION_MEMMAP_DIRTY) {
		for (unsigned long i = 0; i < (1UL << order); i++) {
			struct page *p = pfn_to_page(k, pfn + i);
			p->flags = 0;
			p->_refcount = 0;
		}
	}
	adjust_managed_page_count(k, zone, 1L << order);
	ftrace_call(k, "__free_pages_core", __free_pages_ok(k, pfn, order, true));
}

/*
 * generic_online_page() for each max-order-aligned chunk of [start, end) (as
 * online_pages_range() cuts them), with the zone lock taken once for the
 * range rather than once per chunk. While tracing, chunk by chunk, so that
 * the trace shows each call as Linux makes it.
 */
void generic_online_page_range(struct kernel *k, unsigned long start, unsigned long end)
{
	if (ftrace_active(k) || (__pfn_to_section(k, start)->flags & SECTION_MEMMAP_DIRTY)) {
		for (unsigned long pfn = start; pfn < end;) {
			unsigned int order = online_chunk_order(pfn);
			generic_online_page(k, pfn, order);
			pfn += 1UL << order;
		}
		return;
	}
	pthread_mutex_lock(&k->zone_lock);
	for (unsigned long pfn = start; pfn < end;) {
		struct mem_section *ms = pfn & ~PAGE_SECTION_MASK || end - pfn < PAGES_PER_SECTION ? NULL
					 : __pfn_to_section(k, pfn);
		if (ms && section_can_be_run(k, ms)) {
			struct zone *zone = page_zone(k, pfn);
			adjust_managed_page_count(k, zone, PAGES_PER_SECTION);
			add_free_run(k, zone, ms, pfn);
			pfn += PAGES_PER_SECTION;
			continue;
		}
		unsigned int order = online_chunk_order(pfn);
		struct zone *zone = page_zone(k, pfn);
		adjust_managed_page_count(k, zone, 1L << order);
		if (zone)
			__free_one_page(k, zone, pfn, order, get_pageblock_migratetype(k, pfn), true);
		pfn += 1UL << order;
	}
	pthread_mutex_unlock(&k->zone_lock);
}

/* Split a block of order high down to order low, returning the upper halves to the lists. */
static void expand(struct kernel *k, struct zone *zone, unsigned long pfn, unsigned int low,
		   unsigned int high, int mt)
{
	unsigned long size = 1UL << high;
	while (high > low) {
		high--;
		size >>= 1;
		add_to_free_list(k, zone, pfn + size, high, mt, false);
	}
}

/* The first block on a list; a run there is split first, its lowest head taking its place. */
static struct page *first_free(struct kernel *k, struct free_area *area, int mt)
{
	if (list_empty(&area->free_list[mt]))
		return NULL;
	struct page *page = list_first_entry(&area->free_list[mt], struct page, lru);
	if (page->flags & PG_run) {
		section_split_run(k, container_of(page, struct mem_section, run));
		page = list_first_entry(&area->free_list[mt], struct page, lru);
	}
	return page;
}

static inline unsigned long free_page_pfn(struct kernel *k, struct zone *zone, struct page *page)
{
	return page->private;
}

static unsigned long __rmqueue_smallest(struct kernel *k, struct zone *zone, unsigned int order,
					int mt)
{
	for (unsigned int cur = order; cur < MAX_ORDER; cur++) {
		struct page *page = first_free(k, &zone->free_area[cur], mt);
		if (!page)
			continue;
		unsigned long pfn = free_page_pfn(k, zone, page);
		del_page_from_free_list(zone, page, cur);
		expand(k, zone, pfn, order, cur, mt);
		return pfn;
	}
	return -1UL;
}

/* Also counts the block's in-use movable pages into *num_movable, if given. */
/*
 * The head of the free buddy that covers pfn, else pfn itself (Linux 6.10's
 * find_large_buddy()). Linux looks at the aligned heads below pfn from the
 * smallest order up and stops at the first buddy. Pages inside a free buddy
 * are never buddies themselves, so looking from the largest order down finds
 * the same buddy; it reads the struct page most likely already written (a
 * free max-order head) first, where reading pfn's own would map a memmap
 * page no one has touched.
 */
unsigned long find_large_buddy(struct kernel *k, unsigned long pfn)
{
	unsigned int low = pfn ? (unsigned int)__builtin_ctzl(pfn) : MAX_ORDER - 1;
	for (unsigned int order = MAX_ORDER - 1;; order--) {
		unsigned long head = pfn & (~0UL << order);
		struct page *page = pfn_to_page(k, head);
		if (!page)
			return pfn;
		if (PageBuddy(page) && head + (1UL << page->order) > pfn)
			return head;
		if (order <= low)
			return pfn;	/* the heads of lower orders are pfn itself */
	}
}

static unsigned long __move_freepages_block(struct kernel *k, struct zone *zone, unsigned long pfn,
					    int mt, unsigned long *num_movable)
{
	unsigned long start = pfn & ~(pageblock_nr_pages - 1), moved = 0;
	/*
	 * Inside a larger free buddy whose head is in an earlier pageblock: all
	 * its pages are free tails, nothing to move or count (the head's block
	 * moved the buddy).
	 */
	if (find_large_buddy(k, start) < start)
		return 0;
	for (unsigned long p = start; p < start + pageblock_nr_pages;) {
		struct page *page = pfn_valid(k, p) ? pfn_to_page(k, p) : NULL;
		if (!page || !PageBuddy(page) || page_zone(k, p) != zone) {
			if (num_movable && page && page->_refcount && (page->flags & (PG_lru | PG_movable)))
				(*num_movable)++;
			p++;
			continue;
		}
		unsigned int order = page->order;
		list_move_tail(&page->lru, &zone->free_area[order].free_list[mt]);
		moved += 1UL << order;
		p += 1UL << order;
	}
	return moved;
}

unsigned long move_freepages_block(struct kernel *k, struct zone *zone, unsigned long pfn, int mt)
{
	return __move_freepages_block(k, zone, pfn, mt, NULL);
}

static bool can_steal_fallback(unsigned int order, int start_mt)
{
	if (order >= pageblock_order)
		return true;
	return order >= pageblock_order / 2 || start_mt == MIGRATE_RECLAIMABLE ||
	       start_mt == MIGRATE_UNMOVABLE;
}

static int find_suitable_fallback(struct free_area *area, unsigned int order, int mt,
				  bool *can_steal)
{
	*can_steal = false;
	if (!area->nr_free)
		return -1;
	for (int i = 0; fallbacks[mt][i] != MIGRATE_TYPES; i++) {
		int fmt = fallbacks[mt][i];
		if (list_empty(&area->free_list[fmt]))
			continue;
		if (can_steal_fallback(order, mt))
			*can_steal = true;
		return fmt;
	}
	return -1;
}

static void steal_suitable_fallback(struct kernel *k, struct zone *zone, unsigned long pfn,
				    unsigned int order, int start_mt, bool whole_block)
{
	struct page *page = pfn_to_page(k, pfn);
	if (order >= pageblock_order) {
		for (unsigned long p = pfn; p < pfn + (1UL << order); p += pageblock_nr_pages)
			set_pageblock_migratetype(k, p, start_mt);
	} else if (whole_block) {
		int old = get_pageblock_migratetype(k, pfn);
		unsigned long movable = 0;
		unsigned long free_pages = __move_freepages_block(k, zone, pfn, start_mt, &movable);
		/*
		 * Claim the block when at least half of it is free or already holds
		 * pages like the ones asked for (in-use pages of a movable block that
		 * are not on an LRU count as alike for an unmovable request).
		 */
		unsigned long alike = start_mt == MIGRATE_MOVABLE ? movable
				      : old == MIGRATE_MOVABLE ? pageblock_nr_pages - (free_pages + movable)
				      : 0;
		if (free_pages + alike >= (1UL << (pageblock_order - 1)))
			set_pageblock_migratetype(k, pfn, start_mt);
		return;
	}
	list_move_tail(&page->lru, &zone->free_area[order].free_list[start_mt]);
}

/* Steal a block from another migratetype; true if something was moved to start_mt's lists. */
static bool __rmqueue_fallback(struct kernel *k, struct zone *zone, unsigned int order,
			       int start_mt, bool nofragment)
{
	unsigned int min_order = nofragment && order < pageblock_order ? pageblock_order : order;
	bool can_steal;
	int fmt = -1;
	int cur;
	for (cur = MAX_ORDER - 1; cur >= (int)min_order; cur--) {
		fmt = find_suitable_fallback(&zone->free_area[cur], cur, start_mt, &can_steal);
		if (fmt == -1)
			continue;
		if (!can_steal && start_mt == MIGRATE_MOVABLE && cur > (int)order)
			goto find_smallest;
		goto do_steal;
	}
	return false;
find_smallest:
	for (cur = order; cur < MAX_ORDER; cur++) {
		fmt = find_suitable_fallback(&zone->free_area[cur], cur, start_mt, &can_steal);
		if (fmt != -1)
			break;
	}
	if (fmt == -1)
		return false;
do_steal:;
	struct page *page = first_free(k, &zone->free_area[cur], fmt);
	steal_suitable_fallback(k, zone, free_page_pfn(k, zone, page), cur, start_mt, can_steal);
	return true;
}

static unsigned long __rmqueue(struct kernel *k, struct zone *zone, unsigned int order, int mt,
			       bool nofragment)
{
	for (;;) {
		unsigned long pfn = __rmqueue_smallest(k, zone, order, mt);
		if (pfn != -1UL)
			return pfn;
		if (!__rmqueue_fallback(k, zone, order, mt, nofragment))
			return -1UL;
	}
}

static int gfp_migratetype(gfp_t gfp)
{
	if (gfp & __GFP_MOVABLE)
		return MIGRATE_MOVABLE;
	if (gfp & __GFP_RECLAIMABLE)
		return MIGRATE_RECLAIMABLE;
	return MIGRATE_UNMOVABLE;
}

static enum zone_type gfp_zone(gfp_t gfp)
{
	if (gfp & __GFP_DMA)
		return ZONE_DMA;
	if (gfp & __GFP_DMA32)
		return ZONE_DMA32;
	if (gfp & __GFP_MOVABLE)
		return ZONE_MOVABLE;
	return ZONE_NORMAL;
}

static bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
			      enum zone_type highest)
{
	long free = (long)z->nr_free_pages - (1L << order) + 1;
	return free > (long)(mark + (unsigned long)z->lowmem_reserve[highest]);
}

static int nr_online_nodes(struct kernel *k)
{
	return __builtin_popcountll(k->node_states[N_ONLINE]);
}

/* Nodes in fallback order from nid: itself, then the others by id (all at distance 20). */
static int node_order(struct kernel *k, int nid, int *order)
{
	int n = 0;
	if (nid >= 0 && nid < MAX_NUMNODES && k->node_data[nid] && node_online(k, nid))
		order[n++] = nid;
	for (int i = 0; i < MAX_NUMNODES; i++)
		if (i != nid && k->node_data[i] && node_online(k, i))
			order[n++] = i;
	return n;
}

/* rmqueue_pcplist(): an order-0 page from the pcp list, refilled batch pages at a time. */
static unsigned long rmqueue_pcplist(struct kernel *k, struct zone *z, int mt, bool nofragment)
{
	struct list_head *l = &z->pcp.lists[mt];
	if (list_empty(l)) {
		for (int i = 0; i < (z->pcp.batch > 0 ? z->pcp.batch : 1); i++) {
			unsigned long pfn = __rmqueue(k, z, 0, mt, nofragment);
			if (pfn == -1UL)
				break;
			z->nr_free_pages--;
			struct page *page = pfn_to_page(k, pfn);
			page->private = pfn;
			list_add_tail(&page->lru, l);
			z->pcp.count++;
		}
		if (list_empty(l))
			return -1UL;
	}
	struct page *page = list_first_entry(l, struct page, lru);
	unsigned long pfn = page->private;
	list_del(&page->lru);
	page->private = 0;
	z->pcp.count--;
	return pfn;
}

static unsigned long alloc_from_zone(struct kernel *k, struct zone *z, unsigned int order, int mt,
				     bool nofragment)
{
	unsigned long pfn;
	pthread_mutex_lock(&k->zone_lock);
	if (!order && !z->pcp_disabled && z->pcp.high > 0) {
		pfn = rmqueue_pcplist(k, z, mt, nofragment);
	} else {
		pfn = __rmqueue(k, z, order, mt, nofragment);
		if (pfn != -1UL)
			z->nr_free_pages -= 1UL << order;
	}
	if (pfn != -1UL) {
		z->nr_alloc[mt] += 1UL << order;
		z->numa_hit++;
	}
	pthread_mutex_unlock(&k->zone_lock);
	return pfn;
}

/*
 * get_page_from_freelist over the zonelist, first at the low watermark with
 * ALLOC_NOFRAGMENT where Linux sets it, then without, then at min. There is no
 * reclaim: an allocation that fails here fails.
 */
/* should_fail_alloc_page(): fail_page_alloc in debugfs (lib/fault-inject.c) */
static bool should_fail_alloc_page(struct kernel *k, gfp_t gfp, unsigned int order)
{
	struct fault_inject *fi = &k->fault_inject;

	if (order < fi->page_min_order)
		return false;
	if (fi->page_ignore_gfp_highmem && (gfp & __GFP_HIGHMEM))
		return false;
	if (fi->page_ignore_gfp_reclaim && (gfp & __GFP_DIRECT_RECLAIM))
		return false;
	return should_fail(k, &fi->page_alloc, 1L << order, gfp & __GFP_NOWARN);
}

unsigned long __alloc_pages(struct kernel *k, gfp_t gfp, unsigned int order, int preferred_nid)
{
	if (should_fail_alloc_page(k, gfp, order))
		return -1UL;

	int mt = gfp_migratetype(gfp);
	enum zone_type highest = gfp_zone(gfp);
	int nodes[MAX_NUMNODES];
	int nr = node_order(k, preferred_nid, nodes);
	if (gfp & __GFP_THISNODE)
		nr = nr ? 1 : 0;
	if (order >= MAX_ORDER || !nr)
		return -1UL;

	/* the preferred zone: first populated zone of the zonelist */
	struct zone *preferred = NULL;
	for (int z = highest; z >= 0 && !preferred; z--)
		if (managed_zone(&k->node_data[nodes[0]]->node_zones[z]))
			preferred = &k->node_data[nodes[0]]->node_zones[z];
	bool nofragment = preferred && preferred->idx == ZONE_NORMAL &&
			  !(nr_online_nodes(k) > 1 && !populated_zone(preferred - 1));

	for (int pass = 0; pass < 3; pass++) {
		enum zone_watermarks wm = pass == 2 ? WMARK_MIN : WMARK_LOW;
		bool nofrag = pass == 0 && nofragment;
		if (pass == 0 && !nofragment)
			continue;
		for (int n = 0; n < nr; n++) {
			pg_data_t *pgdat = k->node_data[nodes[n]];
			for (int z = highest; z >= 0; z--) {
				struct zone *zone = &pgdat->node_zones[z];
				if (!managed_zone(zone))
					continue;
				/* NOFRAGMENT gives way as soon as the allocation would leave the local node */
				if (nofrag && nodes[n] != nodes[0])
					goto next_pass;
				if (!zone_watermark_ok(zone, order, zone->_watermark[wm], highest))
					continue;
				unsigned long pfn = alloc_from_zone(k, zone, order, mt, nofrag);
				if (pfn == -1UL)
					continue;
				struct page *page = pfn_to_page(k, pfn);
				page->flags = order ? PG_head : 0;
				page->order = (uint8_t)order;
				page->_refcount = 1;
				return pfn;
			}
		}
next_pass:;
	}
	return -1UL;
}

unsigned long take_isolated_free_pages(struct kernel *k, unsigned long start, unsigned long end)
{
	unsigned long taken = 0;
	pthread_mutex_lock(&k->zone_lock);
	for (unsigned long pfn = start; pfn < end;) {
		struct mem_section *ms = free_run_at(k, pfn, end);
		if (ms) {
			del_free_run(k, page_zone(k, pfn), ms);
			taken += PAGES_PER_SECTION;
			pfn += PAGES_PER_SECTION;
			continue;
		}
		struct page *page = pfn_to_page(k, pfn);
		if (page && PageBuddy(page)) {
			struct zone *zone = page_zone(k, pfn);
			unsigned int order = page->order;
			del_page_from_free_list(zone, page, order);
			taken += 1UL << order;
			pfn += 1UL << order;
			continue;
		}
		pfn++;
	}
	pthread_mutex_unlock(&k->zone_lock);
	return taken;
}

/* Linux 6.1: the sections go offline first, then the free pages leave the buddy */
unsigned long __offline_isolated_pages(struct kernel *k, unsigned long start, unsigned long end)
{
	ftrace_func(k);
	offline_mem_sections(k, start, end);
	return take_isolated_free_pages(k, start, end);
}

unsigned long zone_count_free_pages(struct zone *zone)
{
	unsigned long n = 0;
	for (int o = 0; o < MAX_ORDER; o++)
		for (int t = 0; t < MIGRATE_TYPES; t++) {
			if (t == MIGRATE_ISOLATE)
				continue;
			struct list_head *pos;
			list_for_each(pos, &zone->free_area[o].free_list[t])
				n += list_entry(pos, struct page, lru)->flags & PG_run ? PAGES_PER_SECTION
											: 1UL << o;
		}
	return n;
}

/* ---- watermarks (init_per_zone_wmark_min and friends) ---- */

static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0, bit = 1UL << (sizeof(long) * 8 - 2);
	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

#define for_each_zone(k, pgdat, zone)						\
	for (int __n = 0; __n < MAX_NUMNODES; __n++)				\
		if (((pgdat) = (k)->node_data[__n]) && node_online((k), __n))	\
			for (int __z = 0; __z < MAX_NR_ZONES; __z++)		\
				if (((zone) = &(pgdat)->node_zones[__z]))

unsigned long nr_free_buffer_pages(struct kernel *k)
{
	pg_data_t *pgdat;
	struct zone *zone;
	unsigned long sum = 0;
	for_each_zone(k, pgdat, zone) {
		if (zone->idx > ZONE_NORMAL)
			continue;
		unsigned long high = zone->_watermark[WMARK_HIGH];
		if (zone->managed_pages > high)
			sum += zone->managed_pages - high;
	}
	return sum;
}

static int fls_ul(unsigned long x) { return x ? 64 - __builtin_clzl(x) : 0; }

static int zone_batchsize(struct zone *zone)
{
	unsigned long batch = zone->managed_pages >> 10;
	if (batch > (1UL << 20) / PAGE_SIZE)
		batch = (1UL << 20) / PAGE_SIZE;
	batch /= 4;
	if (batch < 1)
		batch = 1;
	batch = (1UL << (fls_ul(batch + batch / 2) - 1)) - 1;
	return (int)batch;
}

void zone_pcp_update(struct kernel *k, struct zone *zone)
{
	int nid = zone_to_nid(zone), cpus = 0;
	for (int c = 0; c < k->boot.nr_cpus; c++)
		if (k->boot.cpu_to_node[c] == nid)
			cpus++;
	if (!cpus)
		cpus = k->boot.nr_cpus ? k->boot.nr_cpus : 1;
	int batch = zone_batchsize(zone);
	int high = (int)(zone->_watermark[WMARK_LOW] / (unsigned long)cpus);
	if (high < batch * 4)
		high = batch * 4;
	zone->pcp.batch = batch;
	zone->pcp.high = high;
	/* calculate_normal_threshold() */
	int mem = (int)(zone->managed_pages >> (27 - PAGE_SHIFT));
	int thr = 2 * fls_ul((unsigned long)(k->boot.nr_cpus ? k->boot.nr_cpus : 1)) * (1 + fls_ul((unsigned long)mem));
	zone->stat_threshold = thr > 125 ? 125 : thr;
}

void zone_pcp_reset(struct zone *zone)
{
	zone->pcp.batch = 1;
	zone->pcp.high = 0;
}

void setup_per_zone_wmarks(struct kernel *k)
{
	pg_data_t *pgdat;
	struct zone *zone;
	unsigned long lowmem = 0;
	unsigned long pages_min = k->min_free_kbytes >> (PAGE_SHIFT - 10);
	for_each_zone(k, pgdat, zone)
		if (zone->idx != ZONE_MOVABLE)
			lowmem += zone->managed_pages;
	for_each_zone(k, pgdat, zone) {
		unsigned long tmp = lowmem ? pages_min * zone->managed_pages / lowmem : 0;
		if (zone->idx == ZONE_MOVABLE) {
			unsigned long m = zone->managed_pages / 1024;
			zone->_watermark[WMARK_MIN] = m < 32 ? 32 : m > 128 ? 128 : m;
		} else {
			zone->_watermark[WMARK_MIN] = tmp;
		}
		unsigned long scaled = zone->managed_pages * watermark_scale_factor / 10000;
		tmp = (tmp >> 2) > scaled ? tmp >> 2 : scaled;
		zone->watermark_boost = 0;
		zone->_watermark[WMARK_LOW] = zone->_watermark[WMARK_MIN] + tmp;
		zone->_watermark[WMARK_HIGH] = zone->_watermark[WMARK_LOW] + tmp;
		if (!zone->managed_pages)
			zone->_watermark[WMARK_MIN] = zone->_watermark[WMARK_LOW] =
				zone->_watermark[WMARK_HIGH] = 0;
	}
}

static void setup_per_zone_lowmem_reserve(struct kernel *k)
{
	for (int n = 0; n < MAX_NUMNODES; n++) {
		pg_data_t *pgdat = k->node_data[n];
		if (!pgdat)
			continue;
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &pgdat->node_zones[i];
			int ratio = sysctl_lowmem_reserve_ratio[i];
			bool clear = !ratio || !zone->managed_pages;
			unsigned long managed = 0;
			for (int j = 0; j < MAX_NR_ZONES; j++)
				if (j <= i)
					zone->lowmem_reserve[j] = 0;
			for (int j = i + 1; j < MAX_NR_ZONES; j++) {
				managed += pgdat->node_zones[j].managed_pages;
				zone->lowmem_reserve[j] = clear ? 0 : (long)(managed / (unsigned long)ratio);
			}
		}
	}
}

void init_per_zone_wmark_min(struct kernel *k)
{
	unsigned long lowmem_kbytes = nr_free_buffer_pages(k) * (PAGE_SIZE >> 10);
	unsigned long new_min = int_sqrt(lowmem_kbytes * 16);
	k->min_free_kbytes = new_min < 128 ? 128 : new_min > 262144 ? 262144 : new_min;
	setup_per_zone_wmarks(k);
	setup_per_zone_lowmem_reserve(k);
	pg_data_t *pgdat;
	struct zone *zone;
	for_each_zone(k, pgdat, zone)
		if (populated_zone(zone))
			zone_pcp_update(k, zone);
}

void build_all_zonelists(struct kernel *k)
{
	ftrace_func(k);
	/* zonelists are computed on the fly by __alloc_pages; Linux logs the rebuild */
	unsigned long total = 0;
	pg_data_t *pgdat;
	struct zone *zone;
	for_each_zone(k, pgdat, zone)
		total += zone->managed_pages;
	klog(k, "Built %d zonelists, mobility grouping on.  Total pages: %lu",
	     nr_online_nodes(k), total);
}

/*
 * take_page_off_buddy(): pull one page out of the free block holding it,
 * returning the rest of the block to the free lists. true if pfn was free.
 */
bool take_page_off_buddy(struct kernel *k, unsigned long pfn)
{
	struct zone *zone = page_zone(k, pfn);
	bool taken = false;
	if (!zone)
		return false;
	pthread_mutex_lock(&k->zone_lock);
	for (unsigned int order = 0; order < MAX_ORDER; order++) {
		unsigned long head = pfn & ~((1UL << order) - 1);
		struct page *hp = pfn_valid(k, head) ? pfn_to_page(k, head) : NULL;
		if (!hp || !PageBuddy(hp) || hp->order < order)
			continue;
		unsigned int o = hp->order;
		int mt = get_pageblock_migratetype(k, head);
		del_page_from_free_list(zone, hp, o);
		account_freepages(zone, -(1L << o), mt);
		/* give back every half that does not hold pfn */
		while (o > 0) {
			o--;
			unsigned long half = head + (1UL << o);
			if (pfn >= half) {
				__free_one_page(k, zone, head, o, mt, false);
				head = half;
			} else {
				__free_one_page(k, zone, half, o, mt, false);
			}
		}
		taken = true;
		break;
	}
	pthread_mutex_unlock(&k->zone_lock);
	return taken;
}

/*
 * Split the free block holding pfn until it is at most max_order, the halves
 * going to their own pageblocks' lists (alloc_contig_range() isolates single
 * pageblocks, as Linux 6.1's isolate_single_pageblock() splits such pages).
 */
void split_free_page_to_order(struct kernel *k, unsigned long pfn, unsigned int max_order)
{
	struct zone *zone = page_zone(k, pfn);
	if (!zone)
		return;
	pthread_mutex_lock(&k->zone_lock);
	for (unsigned int order = MAX_ORDER - 1; order > max_order; order--) {
		unsigned long head = pfn & ~((1UL << order) - 1);
		struct page *hp = pfn_valid(k, head) ? pfn_to_page(k, head) : NULL;
		if (!hp || !PageBuddy(hp) || hp->order != order)
			continue;
		int mt = get_pageblock_migratetype(k, head);
		del_page_from_free_list(zone, hp, order);
		account_freepages(zone, -(1L << order), mt);
		for (unsigned long half = head; half < head + (1UL << order); half += 1UL << (order - 1)) {
			int hmt = get_pageblock_migratetype(k, half);
			add_to_free_list(k, zone, half, order - 1, hmt, false);
			account_freepages(zone, 1L << (order - 1), hmt);
		}
	}
	pthread_mutex_unlock(&k->zone_lock);
}
