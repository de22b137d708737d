// SPDX-License-Identifier: MIT
/*
 * Poisoning single pages (mm/memory-failure.c, Linux 6.1), as the sysfs
 * files soft_offline_page and hard_offline_page reach it: a free page is
 * taken off the buddy for good; soft offline migrates an in-use movable page
 * first, so nothing is lost; hard offline (memory_failure) poisons in place.
 * Kernel pages cannot be handled: EBUSY.
 */
#include "internal.h"
#include "page_owner.h"

#include <errno.h>
#include <string.h>

static void poison(struct kernel *k, unsigned long pfn, struct page *page)
{
	page->flags |= PG_hwpoison;
	k->num_poisoned_pages++;
	/* 6.1 forgets the poison when the block is onlined again (memmap re-initialised) */
	__pfn_to_section(k, pfn)->flags |= SECTION_MEMMAP_DIRTY;
}

/* A free page leaves the buddy for good, poisoned. false if pfn was not free. */
static bool poison_free_page(struct kernel *k, unsigned long pfn, struct page *page)
{
	if (!take_page_off_buddy(k, pfn))
		return false;
	page->flags = 0;
	page->_refcount = 1;
	poison(k, pfn, page);
	return true;
}

int soft_offline_page(struct kernel *k, unsigned long pfn)
{
	if (!pfn_valid(k, pfn)) {
		klog(k, "soft_offline_page: %#lx invalid pfn", pfn);
		return -ENXIO;
	}
	struct page *page = pfn_to_online_page(k, pfn);
	if (!page)
		return -EIO;
	if (page->flags & PG_hwpoison) {
		klog(k, "soft offline: %#lx page already poisoned", pfn);
		return 0;
	}
	drain_zone_pages(k, page_zone(k, pfn));
	if (poison_free_page(k, pfn, page)) {
		klog(k, "soft offline: %#lx: free buddy page isolated", pfn);
		return 0;
	}
	/* an in-use movable page moves first: its owner keeps every byte */
	if (!(page->flags & (PG_lru | PG_movable)) || !page->_refcount) {
		klog(k, "soft_offline: %#lx: unknown page type", pfn);
		return -EBUSY;
	}
	if (page->order && !(page->flags & PG_head))
		return -EBUSY;
	if (do_migrate_range(k, pfn, pfn + 1)) {
		klog(k, "soft offline: %#lx: migration failed", pfn);
		return -EBUSY;
	}
	/* the old page came back (through the pcp list) to the buddy: keep it out */
	drain_zone_pages(k, page_zone(k, pfn));
	poison_free_page(k, pfn, page);
	return 0;
}

int memory_failure(struct kernel *k, unsigned long pfn)
{
	struct page *page = pfn_to_online_page(k, pfn);
	if (!page) {
		klog(k, "Memory failure: %#lx: memory outside kernel control", pfn);
		return -ENXIO;
	}
	if (page->flags & PG_hwpoison) {
		klog(k, "Memory failure: %#lx: already hardware poisoned", pfn);
		return -EHWPOISON;
	}
	drain_zone_pages(k, page_zone(k, pfn));
	if (poison_free_page(k, pfn, page)) {
		klog(k, "Memory failure: %#lx: recovery action for free buddy page: Recovered", pfn);
		return 0;
	}
	if (page->_refcount && (page->flags & PG_lru)) {
		/* unmapped from its owner, never migrated again, skipped by offlining */
		page->flags &= ~PG_lru;
		poison(k, pfn, page);
		klog(k, "Memory failure: %#lx: recovery action for dirty LRU page: Recovered", pfn);
		return 0;
	}
	poison(k, pfn, page);
	klog(k, "Memory failure: %#lx: recovery action for reserved kernel page: Ignored", pfn);
	return -EBUSY;
}
