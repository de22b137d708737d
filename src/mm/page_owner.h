/* SPDX-License-Identifier: MIT */
/*
 * Who holds an allocated page, so that migration can move it and tell the
 * holder: a process's anonymous memory, the page cache, a driver. Kernel
 * allocations have no migratable owner.
 */
#ifndef MEMHP_MM_PAGE_OWNER_H
#define MEMHP_MM_PAGE_OWNER_H

#include <stdbool.h>

struct kernel;

/* What the pages are, for the node's counters (AnonPages, Shmem/Cached). */
enum page_owner_kind { OWNER_ANON, OWNER_FILE, OWNER_DRIVER };

struct page_owner {
	const char *name;
	enum page_owner_kind kind;
	/* The block at old_pfn now lives at new_pfn, contents copied. cookie is page->private. */
	void (*migrated)(struct kernel *k, struct page_owner *o, unsigned long cookie,
			 unsigned long old_pfn, unsigned long new_pfn);
};

/* Allocate 2^order movable (LRU) pages for owner on nid; first pfn or -1UL. */
unsigned long alloc_movable_pages(struct kernel *k, struct page_owner *owner, unsigned long cookie,
				  unsigned int order, int nid);
/* Allocate 2^order unmovable kernel pages (slab, stacks, page tables); first pfn or -1UL. */
unsigned long alloc_kernel_pages(struct kernel *k, unsigned int order, int nid);
void free_owned_pages(struct kernel *k, unsigned long pfn, unsigned int order);
/* A long-term pin (FOLL_LONGTERM): the page cannot migrate while pinned. */
void pin_page(struct kernel *k, unsigned long pfn);
void unpin_page(struct kernel *k, unsigned long pfn);

#endif
