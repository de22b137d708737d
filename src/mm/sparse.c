// SPDX-License-Identifier: MIT
/*
 * The sparse memory model (mm/sparse.c): 128 MiB sections with 2 MiB
 * subsections, each present section owning a memmap of struct pages.
 *
 * A memmap is an anonymous MAP_NORESERVE mapping: the OS backs it with zero
 * pages until something writes, and an all-zero struct page is a valid free
 * page here, so a section costs real memory only for pages in use and for
 * the heads of free blocks.
 */
#include "internal.h"
#include "../lib/alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define MEMMAP_BYTES (PAGES_PER_SECTION * sizeof(struct page))

struct mem_section *sparse_index_init(struct kernel *k, unsigned long nr, int nid)
{
	if (nr >= NR_MEM_SECTIONS)
		return NULL;
	struct mem_section **root = &k->mem_section[nr / SECTIONS_PER_ROOT];
	if (!*root) {
		*root = mh_calloc(SECTIONS_PER_ROOT, sizeof(**root));
		if (!*root)
			return NULL;
	}
	struct mem_section *ms = &(*root)[nr % SECTIONS_PER_ROOT];
	if (!ms->flags)
		ms->nid = nid;
	return ms;
}

bool present_section_nr(struct kernel *k, unsigned long nr)
{
	struct mem_section *ms = __nr_to_section(k, nr);
	return ms && (ms->flags & SECTION_MARKED_PRESENT);
}

bool online_section_nr(struct kernel *k, unsigned long nr)
{
	struct mem_section *ms = __nr_to_section(k, nr);
	return ms && (ms->flags & SECTION_IS_ONLINE);
}

static struct page *alloc_memmap(void)
{
	void *p = mmap(NULL, MEMMAP_BYTES, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void free_memmap(struct page *memmap)
{
	if (memmap)
		munmap(memmap, MEMMAP_BYTES);
}

/* Mark subsections of [pfn, pfn+nr) in one section; -EEXIST if any is set already. */
static int fill_subsection_map(struct mem_section *ms, unsigned long pfn, unsigned long nr)
{
	unsigned long first = subsection_idx(pfn), last = subsection_idx(pfn + nr - 1);
	uint64_t mask = 0;
	if (!nr)
		return -EINVAL;
	for (unsigned long i = first; i <= last; i++)
		mask |= 1ULL << i;
	if (ms->subsection_map & mask)
		return -EEXIST;
	ms->subsection_map |= mask;
	return 0;
}

static int section_activate(struct kernel *k, struct mem_section *ms, unsigned long pfn,
			    unsigned long nr)
{
	int rc = fill_subsection_map(ms, pfn, nr);
	if (rc)
		return rc;
	if (!ms->memmap) {
		ms->memmap = alloc_memmap();
		if (!ms->memmap) {
			ms->subsection_map = 0;
			return -ENOMEM;
		}
	}
	return 0;
}

int sparse_init_range(struct kernel *k, unsigned long start_pfn, unsigned long end_pfn, int nid)
{
	for (unsigned long pfn = start_pfn; pfn < end_pfn;) {
		unsigned long nr = pfn_to_section_nr(pfn);
		unsigned long sec_end = section_nr_to_pfn(nr + 1);
		unsigned long chunk_end = end_pfn < sec_end ? end_pfn : sec_end;
		/* subsections are 2 MiB: boot RAM edges round out to whole subsections */
		unsigned long s = pfn & ~(PAGES_PER_SUBSECTION - 1);
		struct mem_section *ms = sparse_index_init(k, nr, nid);
		if (!ms)
			return -ENOMEM;
		for (unsigned long i = subsection_idx(s); i <= subsection_idx(chunk_end - 1); i++)
			ms->subsection_map |= 1ULL << i;
		if (!ms->memmap && !(ms->memmap = alloc_memmap()))
			return -ENOMEM;
		ms->flags |= SECTION_MARKED_PRESENT | SECTION_HAS_MEM_MAP | SECTION_IS_EARLY;
		pfn = chunk_end;
	}
	return 0;
}

int sparse_add_section(struct kernel *k, int nid, unsigned long pfn, unsigned long nr_pages)
{
	unsigned long nr = pfn_to_section_nr(pfn);
	struct mem_section *ms = sparse_index_init(k, nr, nid);
	if (!ms)
		return -ENOMEM;
	int rc = section_activate(k, ms, pfn, nr_pages);
	if (rc)
		return rc;
	ms->nid = nid;
	ms->flags |= SECTION_MARKED_PRESENT | SECTION_HAS_MEM_MAP;
	return 0;
}

void sparse_remove_section(struct kernel *k, unsigned long pfn, unsigned long nr_pages)
{
	ftrace_func(k);
	struct mem_section *ms = __pfn_to_section(k, pfn);
	if (!ms)
		return;
	unsigned long first = subsection_idx(pfn), last = subsection_idx(pfn + nr_pages - 1);
	for (unsigned long i = first; i <= last; i++)
		ms->subsection_map &= ~(1ULL << i);
	if (ms->subsection_map)
		return;
	/* boot sections keep their memmap for reuse, as Linux keeps boot usage maps */
	if (!(ms->flags & SECTION_IS_EARLY)) {
		free_memmap(ms->memmap);
		ms->memmap = NULL;
	}
	ms->flags &= SECTION_IS_EARLY;
	ms->lazy_reserved = 0;
	memset(ms->pageblock_mt, 0, sizeof(ms->pageblock_mt));
	memset(ms->pageblock_zone, 0, sizeof(ms->pageblock_zone));
	memset(ms->pageblock_nid, 0, sizeof(ms->pageblock_nid));
}

void online_mem_sections(struct kernel *k, unsigned long start_pfn, unsigned long end_pfn)
{
	ftrace_func(k);
	for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn += PAGES_PER_SECTION) {
		struct mem_section *ms = __pfn_to_section(k, pfn);
		if (ms)
			ms->flags |= SECTION_IS_ONLINE;
	}
}

void offline_mem_sections(struct kernel *k, unsigned long start_pfn, unsigned long end_pfn)
{
	ftrace_func(k);
	for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn += PAGES_PER_SECTION) {
		struct mem_section *ms = __pfn_to_section(k, pfn);
		if (ms)
			ms->flags &= ~SECTION_IS_ONLINE;
	}
}

void sparse_free_all(struct kernel *k)
{
	for (unsigned long r = 0; r < NR_SECTION_ROOTS; r++) {
		struct mem_section *root = k->mem_section[r];
		if (!root)
			continue;
		for (unsigned long i = 0; i < SECTIONS_PER_ROOT; i++) {
			free_memmap(root[i].memmap);
			/* the base pages of a memmap whose hot-add failed later stay, as in Linux */
			free(root[i].vmemmap_base_pfns);
		}
		free(root);
		k->mem_section[r] = NULL;
	}
}

void *page_address(struct kernel *k, unsigned long pfn)
{
	if (!k->boot.host_ptr)
		return NULL;
	void *p = k->boot.host_ptr(k->boot.host_opaque, PFN_PHYS(pfn), PAGE_SIZE);
	if (p && k->page_cache)
		page_cache_fill(k, pfn, p);
	return p;
}

/*
 * A boot reservation's pageblock, written on first use: its pages are
 * PG_reserved with one reference, as memblock_free_all() leaves them.
 */
void section_fill_reserved(struct mem_section *ms, unsigned long pfn)
{
	uint64_t bit = 1ULL << pb_idx(pfn);
	if (!(ms->lazy_reserved & bit))
		return;
	ms->lazy_reserved &= ~bit;
	if (!ms->lazy_reserved)
		ms->flags &= ~SECTION_LAZY_RESERVED;
	struct page *p = &ms->memmap[pb_idx(pfn) * pageblock_nr_pages];
	for (unsigned long i = 0; i < pageblock_nr_pages; i++) {
		p[i].flags = PG_reserved;
		p[i]._refcount = 1;
	}
}

/* ---- pageblock attributes ---- */

int pfn_to_nid(struct kernel *k, unsigned long pfn)
{
	struct mem_section *ms = __pfn_to_section(k, pfn);
	if (!ms)
		return NUMA_NO_NODE;
	if (ms->pageblock_zone[pb_idx(pfn)])
		return ms->pageblock_nid[pb_idx(pfn)];
	return ms->nid;
}

void set_pageblock_zone(struct kernel *k, unsigned long pfn, struct zone *zone)
{
	struct mem_section *ms = __pfn_to_section(k, pfn);
	if (!ms)
		return;
	ms->pageblock_zone[pb_idx(pfn)] = (uint8_t)(zone->idx + 1);
	ms->pageblock_nid[pb_idx(pfn)] = (uint8_t)zone->zone_pgdat->node_id;
}

void clear_pageblock_zone(struct kernel *k, unsigned long pfn)
{
	struct mem_section *ms = __pfn_to_section(k, pfn);
	if (ms)
		ms->pageblock_zone[pb_idx(pfn)] = 0;
}
