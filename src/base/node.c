// SPDX-License-Identifier: MIT
/*
 * Node devices (drivers/base/node.c). Node directories are generated from
 * N_ONLINE; what this file keeps is the memory-block <-> node linkage:
 * memoryN/nodeM and nodeM/memoryN exist for each bit of mem->node_links.
 */
#include "node.h"
#include "../kernel/kernel.h"
#include "../mm/internal.h"

#include <stdio.h>

int register_one_node(struct kernel *k, int nid)
{
	char path[64];
	snprintf(path, sizeof(path), "/devices/system/node/node%d", nid);
	if (nid >= 0 && nid < MAX_NUMNODES)
		k->node_pm[nid] = (struct dev_pm_info){ 0 };	/* a new device */
	kobject_uevent(k, "add", path, "node");
	return 0;
}

void unregister_one_node(struct kernel *k, int nid)
{
	char path[64];
	snprintf(path, sizeof(path), "/devices/system/node/node%d", nid);
	kobject_uevent(k, "remove", path, "node");
}

/*
 * Linux 6.1 (register_memory_blocks_under_node, MEMINIT_HOTPLUG): every
 * block in the range belongs to nid; boot blocks are linked per section.
 */
void register_memory_blocks_under_node(struct kernel *k, int nid, unsigned long start_pfn,
				       unsigned long end_pfn)
{
	ftrace_func(k);
	unsigned long first = memory_block_id(k, pfn_to_section_nr(start_pfn));
	unsigned long last = memory_block_id(k, pfn_to_section_nr(end_pfn));
	for (unsigned long id = first; id <= last; id++) {
		struct memory_block *mem = find_memory_block_by_id(k, id);
		if (!mem)
			continue;
		mem->nid = nid;
		mem->node_links |= 1ULL << nid;
	}
}

void unregister_memory_block_under_nodes(struct kernel *k, struct memory_block *mem)
{
	mem->node_links = 0;
}

/*
 * memory_block_add_nid() at boot: a block whose sections sit on one node and
 * in one zone is managed by that zone; spanning zones or nodes leaves zone NULL.
 */
void link_boot_memory_blocks(struct kernel *k)
{
	for (unsigned long i = 0; i < nr_memory_blocks(k); i++) {
		struct memory_block *mem = memory_block_at(k, i);
		unsigned long start = section_nr_to_pfn(mem->start_section_nr);
		unsigned long end = start + memory_block_pages(k);
		struct zone *zone = NULL;
		bool single = true;
		for (unsigned long pfn = start; pfn < end; pfn += pageblock_nr_pages) {
			if (!pfn_valid(k, pfn))
				continue;
			struct zone *z = page_zone(k, pfn);
			int nid = pfn_to_nid(k, pfn);
			if (!z || nid < 0)
				continue;
			if (!(mem->node_links & (1ULL << nid))) {
				mem->node_links |= 1ULL << nid;
				mem->nid = nid;
			}
			if (zone && z != zone)
				single = false;
			zone = z;
		}
		/* early_node_zone_for_memory_block(): one zone spanning the block, else none */
		if (single && zone && __builtin_popcountll(mem->node_links) == 1) {
			for (int z = 0; z < MAX_NR_ZONES; z++) {
				struct zone *o = &zone->zone_pgdat->node_zones[z];
				if (o != zone && !zone_is_empty(o) && start < zone_end_pfn(o) &&
				    end > o->zone_start_pfn)
					single = false;
			}
		}
		mem->zone = single ? zone : NULL;
	}
}
