// SPDX-License-Identifier: MIT
/*
 * The page cache of the guest's root file system (mm/filemap.c, shmem): the
 * initramfs lives in tmpfs, about 5 MiB of movable pages the kernel fills at
 * boot (nr_shmem 1326 pages on the oracle's guest). They are the page-cache
 * owner kind: migration moves them and the cache follows.
 */
#include "internal.h"
#include "../lib/alloc.h"
#include "page_owner.h"

#include <stdlib.h>
#include <string.h>

#define ROOTFS_PAGES 1326

struct page_cache {
	struct page_owner owner;	/* first: migration hands it back */
	unsigned long pfns[ROOTFS_PAGES];
	size_t n;
	/*
	 * The file's bytes are written into a page on its first access
	 * (page_address(): a read, a write, migration's copy), not at boot:
	 * until then no one can tell, and boot faults in no guest RAM.
	 */
	bool written[ROOTFS_PAGES];
};

/* The bytes of the file at index i: recognisable, so that migration must keep them. */
static void page_cache_write(void *p, size_t i)
{
	memset(p, (int)(0x40 + i % 64), PAGE_SIZE);
}

static void page_cache_migrated(struct kernel *k, struct page_owner *o, unsigned long cookie,
				unsigned long old_pfn, unsigned long new_pfn)
{
	struct page_cache *pc = (struct page_cache *)o;
	if (cookie >= pc->n || pc->pfns[cookie] != old_pfn)
		return;
	pc->pfns[cookie] = new_pfn;
}

void page_cache_init(struct kernel *k)
{
	struct page_cache *pc = mh_calloc(1, sizeof(*pc));
	if (!pc)
		return;
	pc->owner.name = "page cache (rootfs)";
	pc->owner.kind = OWNER_FILE;
	pc->owner.migrated = page_cache_migrated;
	for (; pc->n < ROOTFS_PAGES; pc->n++) {
		unsigned long pfn = alloc_movable_pages(k, &pc->owner, pc->n, 0, 0);
		if (pfn == -1UL)
			break;
		pc->pfns[pc->n] = pfn;
	}
	k->page_cache = pc;
}

/* page_address() of pfn at host p: a page of the cache gets its bytes on first access. */
void page_cache_fill(struct kernel *k, unsigned long pfn, void *p)
{
	struct page_cache *pc = k->page_cache;
	struct page *page = pfn_to_page(k, pfn);
	if (!page || page->owner != &pc->owner)
		return;
	size_t i = page->private;
	if (i < pc->n && pc->pfns[i] == pfn && !pc->written[i]) {
		pc->written[i] = true;
		page_cache_write(p, i);
	}
}

/* Pages of the cache whose bytes are not what was written (0 when all is well). */
unsigned long page_cache_verify(struct kernel *k)
{
	struct page_cache *pc = k->page_cache;
	unsigned long bad = 0;
	for (size_t i = 0; pc && i < pc->n; i++) {
		const unsigned char *p = page_address(k, pc->pfns[i]);
		if (p && (p[0] != (unsigned char)(0x40 + i % 64) || p[PAGE_SIZE - 1] != p[0]))
			bad++;
	}
	return bad;
}

void page_cache_free(struct kernel *k)
{
	free(k->page_cache);
	k->page_cache = NULL;
}
