// SPDX-License-Identifier: MIT
/*
 * Consistency checks of the mm state, SQLite style: run after every hotplug
 * operation in debug builds (make DEBUG=1), and by the tests. They hold for
 * every state Linux can be in; a failure is a memhp bug.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>

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

int mm_verify(struct kernel *k, struct sbuf *why)
{
	unsigned long managed = 0;
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
			managed += zone->managed_pages;
			present += zone->present_pages;
		}
		if (present != pgdat->node_present_pages) {
			sb_printf(why, "node %d: zones present %lu, node present %lu", n, present,
				  pgdat->node_present_pages);
			return -1;
		}
	}
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
			/* (a boot block may end in a hole: its first page tells) */
			if (page_zone(k, start + v) != mem->zone) {
				sb_printf(why, "memory%lu: pages not in its zone %s", mem->id, mem->zone->name);
				return -1;
			}
		}
	}
	return 0;
}

void mm_debug_check(struct kernel *k, const char *after)
{
#ifdef MEMHP_DEBUG
	struct sbuf why = SBUF_INIT;
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
