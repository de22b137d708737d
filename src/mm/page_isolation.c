// SPDX-License-Identifier: MIT
/*
 * Page isolation (mm/page_isolation.c): pageblocks switched to
 * MIGRATE_ISOLATE so the allocator stops handing out their free pages, the
 * unmovable-page check that refuses isolation, and the test that a range is
 * entirely free.
 */
#include "internal.h"

#include <errno.h>

/*
 * The first page that makes [start, end) of one pageblock unmovable, else 0 (found = false).
 * Free memory is skipped in bulk: a pageblock inside a larger free buddy at once
 * (find_large_buddy()), a free buddy by its order. Free pages are never reserved, so
 * this finds what Linux 6.1's page-by-page walk finds.
 */
static bool find_unmovable_page(struct kernel *k, struct zone *zone, unsigned long start,
				unsigned long end, bool memory_offline, unsigned long *bad)
{
	if (find_large_buddy(k, start) < start)
		return false;
	for (unsigned long pfn = start; pfn < end; pfn++) {
		struct page *page = pfn_to_page(k, pfn);
		if (!page)
			continue;
		if (PageBuddy(page) && !(page->flags & PG_reserved)) {
			pfn += (1UL << page->order) - 1;
			continue;
		}
		if (page->flags & PG_reserved)
			goto unmovable;
		/* in ZONE_MOVABLE only reserved pages refuse isolation */
		if (zone->idx == ZONE_MOVABLE)
			continue;
		if (!page->_refcount)
			continue;
		if (memory_offline && (page->flags & (PG_hwpoison | PG_offline)))
			continue;
		if (page->flags & (PG_lru | PG_movable)) {
			/* a movable allocation: its tail pages move with it */
			if (page->flags & PG_head)
				pfn += (1UL << page->order) - 1;
			continue;
		}
		goto unmovable;
	}
	return false;
unmovable:
	*bad = start;
	return true;
}

int has_unmovable_pages(struct kernel *k, struct zone *zone, unsigned long start, unsigned long end,
			bool memory_offline)
{
	unsigned long bad = 0;
	return find_unmovable_page(k, zone, start, end, memory_offline, &bad) ? -EBUSY : 0;
}

/* Zone lock held (by the caller, once for the whole range). */
static int set_migratetype_isolate(struct kernel *k, unsigned long pfn, bool memory_offline)
{
	struct zone *zone = page_zone(k, pfn);
	int rc = 0;
	if (!zone)
		return -EBUSY;
	int mt = get_pageblock_migratetype(k, pfn);
	if (mt == MIGRATE_ISOLATE || mt == MIGRATE_CMA ||
	    has_unmovable_pages(k, zone, pfn, pfn + pageblock_nr_pages, memory_offline)) {
		rc = -EBUSY;
	} else {
		unsigned long nr = move_freepages_block(k, zone, pfn, MIGRATE_ISOLATE);
		zone->nr_free_pages -= nr;
		set_pageblock_migratetype(k, pfn, MIGRATE_ISOLATE);
		zone->nr_isolate_pageblock++;
	}
	return rc;
}

/* Zone lock held. */
static void unset_migratetype_isolate(struct kernel *k, unsigned long pfn, int mt)
{
	struct zone *zone = page_zone(k, pfn);
	if (!zone)
		return;
	if (get_pageblock_migratetype(k, pfn) == MIGRATE_ISOLATE) {
		unsigned long nr = move_freepages_block(k, zone, pfn, mt);
		zone->nr_free_pages += nr;
		set_pageblock_migratetype(k, pfn, mt);
		zone->nr_isolate_pageblock--;
	}
}

/*
 * A free run isolated whole: what set_migratetype_isolate() does to each of
 * its pageblocks (nothing in it is unmovable; each head moves to the tail of
 * the isolate list). false if its pageblocks cannot be isolated. Zone lock held.
 */
static bool isolate_free_run(struct kernel *k, struct mem_section *ms, unsigned long pfn)
{
	struct zone *zone = page_zone(k, pfn);
	int mt = ms->pageblock_mt[0];
	if (!zone || mt == MIGRATE_ISOLATE || mt == MIGRATE_CMA)
		return false;
	move_free_run(k, zone, ms, MIGRATE_ISOLATE);
	zone->nr_free_pages -= PAGES_PER_SECTION;
	zone->nr_isolate_pageblock += PAGEBLOCKS_PER_SECTION;
	return true;
}

/* unset_migratetype_isolate() on each pageblock of a free run. Zone lock held. */
static void unisolate_free_run(struct kernel *k, struct mem_section *ms, unsigned long pfn, int mt)
{
	struct zone *zone = page_zone(k, pfn);
	if (!zone || ms->pageblock_mt[0] != MIGRATE_ISOLATE)
		return;
	move_free_run(k, zone, ms, mt);
	zone->nr_free_pages += PAGES_PER_SECTION;
	zone->nr_isolate_pageblock -= PAGEBLOCKS_PER_SECTION;
}

static void __undo_isolate_page_range(struct kernel *k, unsigned long start, unsigned long end, int mt)
{
	for (unsigned long pfn = start; pfn < end;) {
		struct mem_section *ms = free_run_at(k, pfn, end);
		if (ms) {
			unisolate_free_run(k, ms, pfn, mt);
			pfn += PAGES_PER_SECTION;
			continue;
		}
		unset_migratetype_isolate(k, pfn, mt);
		pfn += pageblock_nr_pages;
	}
}

/*
 * Linux takes the zone lock per pageblock; nothing else runs between two
 * pageblocks here (the lock is uncontended in the guest's one CPU), so the
 * whole range is done under one acquisition.
 */
int start_isolate_page_range(struct kernel *k, unsigned long start, unsigned long end,
			     int migratetype, bool memory_offline)
{
	ftrace_func(k);
	unsigned long pfn;
	pthread_mutex_lock(&k->zone_lock);
	for (pfn = start; pfn < end;) {
		struct mem_section *ms = free_run_at(k, pfn, end);
		if (ms && isolate_free_run(k, ms, pfn)) {
			pfn += PAGES_PER_SECTION;
			continue;
		}
		if (set_migratetype_isolate(k, pfn, memory_offline))
			break;
		pfn += pageblock_nr_pages;
	}
	pthread_mutex_unlock(&k->zone_lock);
	if (pfn >= end)
		return 0;
	undo_isolate_page_range(k, start, pfn, migratetype);
	return -EBUSY;
}

void undo_isolate_page_range(struct kernel *k, unsigned long start, unsigned long end, int mt)
{
	ftrace_func(k);
	pthread_mutex_lock(&k->zone_lock);
	__undo_isolate_page_range(k, start, end, mt);
	pthread_mutex_unlock(&k->zone_lock);
}

int test_pages_isolated(struct kernel *k, unsigned long start, unsigned long end)
{
	ftrace_func(k);
	for (unsigned long pfn = start; pfn < end; pfn += pageblock_nr_pages)
		if (get_pageblock_migratetype(k, pfn) != MIGRATE_ISOLATE)
			return -EBUSY;
	for (unsigned long pfn = start; pfn < end;) {
		if (free_run_at(k, pfn, end)) {
			pfn += PAGES_PER_SECTION;	/* free throughout, its pageblocks isolated */
			continue;
		}
		struct page *page = pfn_to_page(k, pfn);
		if (PageBuddy(page)) {
			pfn += 1UL << page->order;
			continue;
		}
		if ((page->flags & PG_hwpoison) || ((page->flags & PG_offline) && !page->_refcount)) {
			pfn++;
			continue;
		}
		return -EBUSY;
	}
	return 0;
}
