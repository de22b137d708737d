// SPDX-License-Identifier: MIT
/*
 * Consistency checks of the mm state, SQLite style: run after every hotplug
 * operation in debug builds (make DEBUG=1), and by the tests. They hold for
 * every state Linux can be in; a failure is a memhp bug.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long pcp_list_pages(const struct zone *zone)
{
	unsigned long n = 0;
	for (int t = 0; t < MIGRATE_PCPTYPES; t++) {
		const struct list_head *pos;
		list_for_each(pos, &zone->pcp.lists[t])
			n++;
	}
	return n;
}

/*
 * A free run on zone's list of migratetype mt stands for a whole online
 * section of that zone and migratetype (every pageblock), marked as a run.
 */
static int verify_run(struct kernel *k, struct zone *zone, unsigned int order, int mt,
		      struct page *run, struct sbuf *why)
{
	struct mem_section *ms = container_of(run, struct mem_section, run);
	unsigned long pfn = run->private;
	if (order != MAX_ORDER - 1 || (pfn & ~PAGE_SECTION_MASK) || __pfn_to_section(k, pfn) != ms ||
	    !(ms->flags & SECTION_FREE_RUN) || !(ms->flags & SECTION_IS_ONLINE) ||
	    (ms->flags & SECTION_LAZY_RESERVED) || ~ms->subsection_map) {
		sb_printf(why, "zone %s: a free run at pfn %#lx, order %u, section flags %#lx", zone->name,
			  pfn, order, ms->flags);
		return -1;
	}
	for (unsigned long i = 0; i < PAGEBLOCKS_PER_SECTION; i++) {
		unsigned long p = pfn + i * pageblock_nr_pages;
		if (page_zone(k, p) != zone || get_pageblock_migratetype(k, p) != mt) {
			sb_printf(why, "zone %s: the free run at pfn %#lx on the %s list has pageblock %#lx "
				  "of migratetype %d in another zone or type", zone->name, pfn,
				  migratetype_names[mt], p, get_pageblock_migratetype(k, p));
			return -1;
		}
	}
	return 0;
}

/* Runs on the zone's lists, each checked; -1 if one is broken. */
static long zone_verify_runs(struct kernel *k, struct zone *zone, struct sbuf *why)
{
	long runs = 0;
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		for (int t = 0; t < MIGRATE_TYPES; t++) {
			struct list_head *pos;
			list_for_each(pos, &zone->free_area[o].free_list[t]) {
				struct page *page = list_entry(pos, struct page, lru);
				if (!(page->flags & PG_run))
					continue;
				if (verify_run(k, zone, o, t, page, why))
					return -1;
				runs++;
			}
		}
	return runs;
}

/* Every section marked as a run is on a list, and the lazy reservations' marks agree. */
static int verify_sections(struct kernel *k, long runs_listed, struct sbuf *why)
{
	long runs = 0;
	for (unsigned long r = 0; r < NR_SECTION_ROOTS; r++) {
		struct mem_section *root = k->mem_section[r];
		for (unsigned long i = 0; root && i < SECTIONS_PER_ROOT; i++) {
			struct mem_section *ms = &root[i];
			runs += !!(ms->flags & SECTION_FREE_RUN);
			if (!(ms->flags & SECTION_LAZY_RESERVED) != !ms->lazy_reserved) {
				sb_printf(why, "section %lu: flags %#lx, lazy reservations %#llx",
					  r * SECTIONS_PER_ROOT + i, ms->flags,
					  (unsigned long long)ms->lazy_reserved);
				return -1;
			}
		}
	}
	if (runs != runs_listed) {
		sb_printf(why, "%ld sections marked as free runs, %ld runs on the free lists", runs,
			  runs_listed);
		return -1;
	}
	return 0;
}

int mm_verify(struct kernel *k, struct sbuf *why)
{
	unsigned long managed = 0;
	long runs = 0;
	for (int n = 0; n < MAX_NUMNODES; n++) {
		pg_data_t *pgdat = k->node_data[n];
		if (!pgdat)
			continue;
		unsigned long present = 0;
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &pgdat->node_zones[z];
			unsigned long listed = zone_count_free_pages(zone);
			if (listed != zone->nr_free_pages) {
				sb_printf(why, "node %d zone %s: %lu pages on the free lists, NR_FREE_PAGES %lu",
					  n, zone->name, listed, zone->nr_free_pages);
				return -1;
			}
			if (zone->managed_pages > zone->present_pages ||
			    zone->present_pages > zone->spanned_pages) {
				sb_printf(why, "node %d zone %s: managed %lu present %lu spanned %lu", n,
					  zone->name, zone->managed_pages, zone->present_pages,
					  zone->spanned_pages);
				return -1;
			}
			if (pcp_list_pages(zone) != (unsigned long)zone->pcp.count) {
				sb_printf(why, "node %d zone %s: pcp count %d, lists hold %lu", n, zone->name,
					  zone->pcp.count, pcp_list_pages(zone));
				return -1;
			}
			long zone_runs = zone_verify_runs(k, zone, why);
			if (zone_runs < 0)
				return -1;
			runs += zone_runs;
			managed += zone->managed_pages;
			present += zone->present_pages;
		}
		if (present != pgdat->node_present_pages) {
			sb_printf(why, "node %d: zones present %lu, node present %lu", n, present,
				  pgdat->node_present_pages);
			return -1;
		}
	}
	if (verify_sections(k, runs, why))
		return -1;
	if (managed != k->totalram_pages) {
		sb_printf(why, "totalram_pages %lu, zones manage %lu", k->totalram_pages, managed);
		return -1;
	}
	for (unsigned long i = 0; i < k->nr_blocks; i++) {
		struct memory_block *mem = k->blocks[i];
		bool online = online_section_nr(k, mem->start_section_nr);
		if (online != (mem->state != MEM_OFFLINE)) {
			sb_printf(why, "memory%lu: state %lu, section online %d", mem->id, mem->state, online);
			return -1;
		}
		if (mem->state == MEM_ONLINE && mem->zone) {
			unsigned long start = section_nr_to_pfn(mem->start_section_nr);
			unsigned long v = mem->nr_vmemmap_pages;
			unsigned long end = start + (k->block_size >> PAGE_SHIFT);
			/*
			 * A boot block may begin or end in a hole (a legacy PMEM range
			 * from pfn 0, say): its first page tells where it is RAM, else
			 * the zone must at least span part of the block.
			 */
			bool in_zone = page_zone(k, start + v) == mem->zone ||
				       (mem->zone->zone_start_pfn < end && zone_end_pfn(mem->zone) > start + v);
			if (!in_zone) {
				sb_printf(why, "memory%lu: pages not in its zone %s", mem->id, mem->zone->name);
				return -1;
			}
		}
	}
	return 0;
}

#ifdef MEMHP_DEBUG
/*
 * mm_verify() walks every section and memory block, so checking after each
 * online of a machine with tens of thousands of blocks is quadratic (a
 * 64 TiB guest's auto-online would take hours). Above 4096 blocks an online
 * or offline is checked every (blocks / 128)th time; boot, add_memory and
 * remove_memory always are, so every hot-add is still checked as a whole.
 */
static bool debug_check_due(struct kernel *k, const char *after)
{
	unsigned long blocks = k->block_size ? (unsigned long)(((uint64_t)k->max_pfn << PAGE_SHIFT) / k->block_size) : 0;

	if (blocks <= 4096 || (strcmp(after, "online") && strcmp(after, "offline")))
		return true;
	return ++k->debug_checks_skipped % (blocks / 128) == 0;
}
#endif

void mm_debug_check(struct kernel *k, const char *after)
{
#ifdef MEMHP_DEBUG
	struct sbuf why = SBUF_INIT;
	if (!debug_check_due(k, after))
		return;
	if (mm_verify(k, &why)) {
		fprintf(stderr, "memhp: mm state broken after %s: %s\n", after, sb_str(&why));
		abort();
	}
	sb_free(&why);
#else
	(void)k;
	(void)after;
#endif
}
