// SPDX-License-Identifier: MIT
/*
 * alloc_contig_range() / free_contig_range() (mm/page_alloc.c, Linux 6.1),
 * simplified for virtio-mem: a pageblock-aligned range of one zone is
 * isolated, its movable pages are migrated away, and its then free pages are
 * taken off the buddy as order-0 pages with one reference each.
 */
#include "internal.h"

#include <errno.h>

#define CONTIG_MIGRATE_TRIES	5

int alloc_contig_range(struct kernel *k, unsigned long start, unsigned long end)
{
	struct zone *zone = page_zone(k, start);
	int rc;

	if (!zone || (start | end) & (pageblock_nr_pages - 1) || start >= end)
		return -EINVAL;
	/* free blocks crossing the range's edges are split first */
	split_free_page_to_order(k, start, pageblock_order);
	split_free_page_to_order(k, end - 1, pageblock_order);
	rc = start_isolate_page_range(k, start, end, MIGRATE_MOVABLE, false);
	if (rc)
		return rc;
	drain_zone_pages(k, zone);
	for (int tries = 0;; tries++) {
		unsigned long pfn = start;
		while (!scan_movable_pages(k, pfn, end, &pfn)) {
			if (do_migrate_range(k, pfn, end))
				break;
		}
		if (!test_pages_isolated(k, start, end))
			break;
		if (tries + 1 >= CONTIG_MIGRATE_TRIES) {
			undo_isolate_page_range(k, start, end, MIGRATE_MOVABLE);
			return -EBUSY;
		}
	}
	/* isolated free pages are not counted as free: taking them changes no counter */
	ftrace_call(k, "isolate_freepages_range", take_isolated_free_pages(k, start, end));
	for (unsigned long pfn = start; pfn < end; pfn++) {
		struct page *p = pfn_to_page(k, pfn);
		p->flags = 0;
		p->order = 0;
		p->_refcount = 1;
		p->owner = NULL;
		p->private = 0;
	}
	undo_isolate_page_range(k, start, end, MIGRATE_MOVABLE);
	return 0;
}

void free_contig_range(struct kernel *k, unsigned long pfn, unsigned long nr_pages)
{
	for (unsigned long i = 0; i < nr_pages; i++) {
		struct page *p = pfn_to_page(k, pfn + i);
		p->flags = 0;
		p->_refcount = 0;
		p->order = 0;
	}
	for (unsigned long i = 0; i < nr_pages; i += pageblock_nr_pages)
		__free_pages_ok(k, pfn + i, pageblock_order, false);
}
