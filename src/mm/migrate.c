// SPDX-License-Identifier: MIT
/*
 * Page migration for memory offlining (mm/migrate.c, do_migrate_range() of
 * mm/memory_hotplug.c): movable pages are copied, byte for byte, to pages
 * outside the range being offlined, and their owners are told.
 */
#include "internal.h"
#include "page_owner.h"

#include <errno.h>
#include <string.h>

/* The node counter a page of this kind counts in (meminfo's AnonPages, Shmem, Slab). */
static unsigned long *node_counter(struct kernel *k, unsigned long pfn, const struct page *page)
{
	int nid = pfn_to_nid(k, pfn);
	pg_data_t *pgdat = nid >= 0 ? k->node_data[nid] : NULL;
	if (!pgdat)
		return NULL;
	if (page->flags & PG_slab)
		return &pgdat->nr_slab_unreclaimable;
	if (!page->owner)
		return NULL;
	switch (page->owner->kind) {
	case OWNER_ANON:
		return &pgdat->nr_anon_pages;
	case OWNER_FILE:
		return &pgdat->nr_file_pages;
	default:
		return &pgdat->nr_kernel_pages;
	}
}

static void account_pages(struct kernel *k, unsigned long pfn, long nr)
{
	unsigned long *c = node_counter(k, pfn, pfn_to_page(k, pfn));
	if (c)
		*c += (unsigned long)nr;
}

unsigned long alloc_movable_pages(struct kernel *k, struct page_owner *owner, unsigned long cookie,
				  unsigned int order, int nid)
{
	unsigned long pfn = __alloc_pages(k, GFP_HIGHUSER_MOVABLE, order, nid);
	if (pfn == -1UL)
		return pfn;
	struct page *page = pfn_to_page(k, pfn);
	page->flags |= PG_lru;
	page->owner = owner;
	page->private = cookie;
	account_pages(k, pfn, 1L << order);
	return pfn;
}

unsigned long alloc_kernel_pages(struct kernel *k, unsigned int order, int nid)
{
	unsigned long pfn = __alloc_pages(k, GFP_KERNEL, order, nid);
	if (pfn != -1UL) {
		pfn_to_page(k, pfn)->flags |= PG_slab;
		account_pages(k, pfn, 1L << order);
	}
	return pfn;
}

void free_owned_pages(struct kernel *k, unsigned long pfn, unsigned int order)
{
	account_pages(k, pfn, -(1L << order));
	__free_pages(k, pfn, order);
}

void pin_page(struct kernel *k, unsigned long pfn)
{
	struct page *p = pfn_to_page(k, pfn);
	if (p) {
		p->flags |= PG_pinned;
		p->_refcount++;
	}
}

void unpin_page(struct kernel *k, unsigned long pfn)
{
	struct page *p = pfn_to_page(k, pfn);
	if (p && (p->flags & PG_pinned)) {
		p->flags &= ~PG_pinned;
		p->_refcount--;
	}
}

int scan_movable_pages(struct kernel *k, unsigned long start, unsigned long end,
		       unsigned long *movable_pfn)
{
	for (unsigned long pfn = start; pfn < end; pfn++) {
		if (free_run_at(k, pfn, end)) {
			pfn += PAGES_PER_SECTION - 1;	/* a free run: nothing to migrate */
			continue;
		}
		struct page *page = pfn_to_page(k, pfn);
		if (!page)
			continue;
		if (PageBuddy(page)) {
			pfn += (1UL << page->order) - 1;
			continue;
		}
		if (page->_refcount && (page->flags & (PG_lru | PG_movable))) {
			*movable_pfn = pfn;
			return 0;
		}
		/* PageOffline pages still referenced after MEM_GOING_OFFLINE block offlining */
		if ((page->flags & PG_offline) && page->_refcount)
			return -EBUSY;
	}
	return -ENOENT;
}

/* Migration targets: another memory node if there is one, as alloc_migration_target() */
static int migration_target_node(struct kernel *k, int nid)
{
	for (int n = 0; n < MAX_NUMNODES; n++)
		if (n != nid && node_state(k, n, N_MEMORY))
			return n;
	return nid;
}

static int migrate_one(struct kernel *k, unsigned long pfn)
{
	struct page *old = pfn_to_page(k, pfn);
	unsigned int order = (old->flags & PG_head) ? old->order : 0;
	if (old->flags & PG_pinned)
		return -EAGAIN;
	int target = migration_target_node(k, pfn_to_nid(k, pfn));
	/* offline_pages()' migration_target_control: GFP_USER | __GFP_MOVABLE (no __GFP_HIGHMEM) */
	unsigned long npfn = __alloc_pages(k, GFP_USER | __GFP_MOVABLE | __GFP_NOWARN, order, target);
	if (npfn == -1UL)
		return -ENOMEM;
	void *src = page_address(k, pfn), *dst = page_address(k, npfn);
	if (src && dst)
		memcpy(dst, src, PAGE_SIZE << order);
	struct page *new = pfn_to_page(k, npfn);
	new->flags = old->flags;
	new->order = old->order;
	new->owner = old->owner;
	new->private = old->private;
	if (old->owner && old->owner->migrated)
		old->owner->migrated(k, old->owner, old->private, pfn, npfn);
	account_pages(k, npfn, 1L << order);
	account_pages(k, pfn, -(1L << order));
	__free_pages(k, pfn, order);
	return 0;
}

static bool migratable(const struct page *page)
{
	return page && !PageBuddy(page) && page->_refcount && (page->flags & (PG_lru | PG_movable));
}

/*
 * Linux isolates the range's movable pages onto a list and, when it is not
 * empty, calls migrate_pages() once for it (which retries failures itself):
 * the frame spans the copies from the first movable page on.
 */
int do_migrate_range(struct kernel *k, unsigned long start, unsigned long end)
{
	int failed = 0;
	while (start < end && !migratable(pfn_to_page(k, start)))
		start++;
	if (start == end)
		return 0;
	ftrace_func_as(k, "migrate_pages");
	for (unsigned long pfn = start; pfn < end; pfn++) {
		if (free_run_at(k, pfn, end)) {
			pfn += PAGES_PER_SECTION - 1;
			continue;
		}
		struct page *page = pfn_to_page(k, pfn);
		if (!migratable(page))
			continue;
		unsigned int order = (page->flags & PG_head) ? page->order : 0;
		if (migrate_one(k, pfn)) {
			if (printk_ratelimit_state(k, &k->migrate_rs, "do_migrate_range"))
				klog(k, "migrating pfn %lx failed ret:%d", pfn, -EAGAIN);
			failed++;
		}
		pfn += (1UL << order) - 1;
	}
	return failed ? -EBUSY : 0;
}
