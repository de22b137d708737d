// SPDX-License-Identifier: MIT
/*
 * The memhog workload (shared/oracle/guest-tools/memhog.c): a guest
 * process that holds SIZE of anonymous memory, every page filled with a
 * pattern derived from its index and NAME, so that a page that comes back
 * from migration with another page's bytes, or zeroed, is caught.
 *
 *   memhog start NAME SIZE   fill, keep running, print nothing
 *   memhog check NAME        "memhog: NAME SIZE verified" or "memhog: NAME N pages corrupted"
 *   memhog stop NAME         the same, and end the process
 *
 * Its memory is what a guest process's anonymous memory would be: movable
 * pages from the guest's page allocator, transparent huge pages (order 9)
 * where they can be had and single pages otherwise, whose bytes are host
 * memory. Migration (memory offlining) copies them and tells their owner,
 * the memhog, which updates its "page table".
 */
#include <errno.h>
#include "../lib/alloc.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../kernel/kernel.h"
#include "../mm/internal.h"
#include "../mm/memory_hotplug.h"
#include "../mm/page_owner.h"
#include "../api/api_internal.h"
#include "shell.h"

#define MEMHOG_PAGE 4096UL
#define THP_ORDER 9

struct chunk {
	unsigned long pfn;
	unsigned int order;
};

struct memhog {
	struct page_owner owner;	/* first member: migration hands it back to us */
	struct kernel *k;
	char *name, *sizearg;
	uint64_t seed;
	size_t npages;
	struct chunk *chunks;		/* the page table: chunk i holds pages [sum of earlier sizes, ...) */
	size_t nchunks;
	unsigned long *pgtables;	/* the kernel's page-table pages behind it, one per 2 MiB */
	size_t npgtables;
	bool orphaned;			/* a later start took its name: it runs on, out of reach */
	struct memhog *next;
};

/* page_owner->migrated: chunk number cookie now lives at new_pfn */
static void memhog_migrated(struct kernel *k, struct page_owner *o, unsigned long cookie, unsigned long old_pfn,
			    unsigned long new_pfn)
{
	struct memhog *h = (struct memhog *)o;
	if (cookie < h->nchunks && h->chunks[cookie].pfn == old_pfn)
		h->chunks[cookie].pfn = new_pfn;
}

/* The node a process on CPU 0 allocates from first. */
static int local_node(struct kernel *k)
{
	return k->boot.nr_nodes > 0 ? k->boot.cpu_to_node[0] : 0;
}

/*
 * The page-table page that maps a 2 MiB stretch: a PTE page for small pages,
 * or, for a huge page, the one do_huge_pmd_anonymous_page() deposits
 * (pte_alloc_one()) for a later split. Either way an unmovable GFP_KERNEL
 * page on the process's node: under memory pressure these are what pin more
 * ZONE_NORMAL pageblocks than the kernel's first one.
 */
static int alloc_pgtable(struct memhog *h, int nid)
{
	unsigned long pfn = alloc_kernel_pages(h->k, 0, nid);
	if (pfn == -1UL)
		return -ENOMEM;
	h->pgtables[h->npgtables++] = pfn;
	return 0;
}

/* Fault in every page; 0 or -ENOMEM. Caller holds get_online_mems(). */
static int populate(struct memhog *h)
{
	size_t left = h->npages, cap = 64, mapped = 0;
	int nid = local_node(h->k);
	h->chunks = mh_malloc(cap * sizeof(*h->chunks));
	h->pgtables = mh_malloc((h->npages / (1UL << THP_ORDER) + 1) * sizeof(*h->pgtables));
	if (!h->chunks || !h->pgtables)
		out_of_memory(ALLOC_WHERE, 0);
	while (left) {
		unsigned int order = left >= (1UL << THP_ORDER) ? THP_ORDER : 0;
		unsigned long pfn = alloc_movable_pages(h->k, &h->owner, h->nchunks, order, nid);
		if (pfn == -1UL && order) {
			order = 0;	/* no huge page: small ones, as a THP fault falls back */
			pfn = alloc_movable_pages(h->k, &h->owner, h->nchunks, order, nid);
		}
		if (pfn == -1UL)
			return -ENOMEM;
		if (h->nchunks == cap) {
			cap *= 2;
			struct chunk *c = mh_realloc(h->chunks, cap * sizeof(*c));
			if (!c)
				out_of_memory(ALLOC_WHERE, 0);
			h->chunks = c;
		}
		h->chunks[h->nchunks++] = (struct chunk){ pfn, order };
		/* the first page of each 2 MiB of the address space needs its table */
		if (mapped % (1UL << THP_ORDER) == 0 && alloc_pgtable(h, nid))
			return -ENOMEM;
		mapped += 1UL << order;
		left -= 1UL << order;
	}
	return 0;
}

/* Give the pages back. Caller holds get_online_mems(). */
static void depopulate(struct memhog *h)
{
	for (size_t i = 0; i < h->nchunks; i++)
		free_owned_pages(h->k, h->chunks[i].pfn, h->chunks[i].order);
	h->nchunks = 0;
	for (size_t i = 0; i < h->npgtables; i++)
		free_owned_pages(h->k, h->pgtables[i], 0);
	h->npgtables = 0;
}

/* fn on each page's bytes (NULL without host memory), in process order. Caller holds get_online_mems(). */
static void for_each_page(struct memhog *h, void (*fn)(void *arg, size_t index, uint64_t *words), void *arg)
{
	size_t index = 0;
	for (size_t c = 0; c < h->nchunks; c++)
		for (unsigned long i = 0; i < (1UL << h->chunks[c].order); i++, index++)
			fn(arg, index, page_address(h->k, h->chunks[c].pfn + i));
}

static uint64_t word(uint64_t seed, size_t page, size_t i)
{
	return (seed ^ (page * 0x9e3779b97f4a7c15ULL)) + i * 0x2545f4914f6cdd1dULL;
}

static void fill_page(void *arg, size_t page, uint64_t *w)
{
	const struct memhog *h = arg;
	if (!w)
		return;
	for (size_t i = 0; i < MEMHOG_PAGE / 8; i++)
		w[i] = word(h->seed, page, i);
}

struct verify {
	const struct memhog *h;
	size_t bad;
};

static void verify_page(void *arg, size_t page, uint64_t *w)
{
	struct verify *v = arg;
	if (!w) {	/* no host memory behind the page: its contents are lost */
		v->bad++;
		return;
	}
	for (size_t i = 0; i < MEMHOG_PAGE / 8; i++) {
		if (w[i] != word(v->h->seed, page, i)) {
			v->bad++;
			return;
		}
	}
}

/* SIZE: a number with an optional K, M or G (binary), as the guest tool reads it; 0 when malformed. */
static size_t parse_size(const char *s)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (end == s || errno || *s == '-')
		return 0;
	int shift = 0;
	switch (*end) {
	case 'G': shift = 30; break;
	case 'M': shift = 20; break;
	case 'K': shift = 10; break;
	case 0: break;
	default: return 0;
	}
	if (*end && end[1])
		return 0;
	if (v > (SIZE_MAX >> shift))
		return 0;
	return (size_t)(v << shift);
}

static struct memhog **find(struct memhp *m, const char *name)
{
	struct memhog **p = &m->memhogs;
	while (*p && ((*p)->orphaned || strcmp((*p)->name, name)))
		p = &(*p)->next;
	return p;
}

static void memhog_destroy(struct memhog *h)
{
	if (h->nchunks) {
		get_online_mems(h->k);
		depopulate(h);
		put_online_mems(h->k);
	}
	free(h->chunks);
	free(h->pgtables);
	free(h->name);
	free(h->sizearg);
	free(h);
}

void memhog_free_all(struct memhp *m)
{
	while (m->memhogs) {
		struct memhog *h = m->memhogs;
		m->memhogs = h->next;
		memhog_destroy(h);
	}
}

unsigned long memhog_pfn(struct memhp *m, const char *name, size_t index)
{
	struct memhog *h = *find(m, name);
	if (!h)
		return -1UL;
	for (size_t c = 0; c < h->nchunks; c++) {
		size_t n = 1UL << h->chunks[c].order;
		if (index < n)
			return h->chunks[c].pfn + index;
		index -= n;
	}
	return -1UL;
}

static int start(struct memhp *m, const char *name, const char *sizearg, struct sh_io *io)
{
	size_t size = parse_size(sizearg);
	if (!size) {
		sb_puts(io->err, "memhog: bad command\n");
		io->errnum = EINVAL;
		return 2;
	}
	struct memhog *h = mh_calloc(1, sizeof(*h));
	if (!h)
		out_of_memory(ALLOC_WHERE, 0);
	h->name = mh_strdup(name);
	h->sizearg = mh_strdup(sizearg);
	if (!h->name || !h->sizearg)
		out_of_memory(ALLOC_WHERE, 0);
	for (const char *c = name; *c; c++)
		h->seed = h->seed * 131 + (unsigned char)*c;
	h->npages = size / MEMHOG_PAGE;
	h->k = guest_kernel(m);
	h->owner.name = "memhog";
	h->owner.kind = OWNER_ANON;
	h->owner.migrated = memhog_migrated;

	get_online_mems(h->k);
	int ret = populate(h);
	if (ret == 0)
		for_each_page(h, fill_page, h);
	else
		depopulate(h);
	put_online_mems(h->k);
	if (ret < 0) {
		/* as the guest tool's child that died before it was ready */
		sb_printf(io->err, "memhog: %s: did not start\n", name);
		io->errnum = -ret;
		memhog_destroy(h);
		return 1;
	}
	/*
	 * The guest tool does not look for a running NAME: the new process
	 * takes over NAME's pid file, and the old one keeps its memory, out of
	 * reach of check and stop, until the guest ends.
	 */
	struct memhog *old = *find(m, name);
	if (old)
		old->orphaned = true;
	h->next = m->memhogs;
	m->memhogs = h;
	return 0;
}

static int check(struct memhp *m, const char *name, int stop, struct sh_io *io)
{
	struct memhog **p = find(m, name);
	if (!*p) {
		sb_printf(io->out, "memhog: %s: not running\n", name);
		io->errnum = ESRCH;
		return 1;
	}
	struct memhog *h = *p;
	struct verify v = { h, 0 };
	get_online_mems(h->k);
	for_each_page(h, verify_page, &v);
	put_online_mems(h->k);
	if (v.bad)
		sb_printf(io->out, "memhog: %s %zu pages corrupted\n", name, v.bad);
	else
		sb_printf(io->out, "memhog: %s %s verified\n", name, h->sizearg);
	if (stop) {
		*p = h->next;
		memhog_destroy(h);
	}
	return 0;
}

int sh_memhog(struct memhp *m, int argc, char **argv, struct sh_io *io)
{
	if (argc < 3) {
		sb_puts(io->err, "usage: memhog start NAME SIZE | check NAME | stop NAME\n");
		io->errnum = EINVAL;
		return 2;
	}
	if (!strcmp(argv[1], "check"))
		return check(m, argv[2], 0, io);
	if (!strcmp(argv[1], "stop"))
		return check(m, argv[2], 1, io);
	if (strcmp(argv[1], "start") || argc < 4) {
		sb_puts(io->err, "memhog: bad command\n");
		io->errnum = EINVAL;
		return 2;
	}
	return start(m, argv[2], argv[3], io);
}
