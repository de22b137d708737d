// SPDX-License-Identifier: MIT
/*
 * The VM counters the views print (mm/vmstat.c): Linux 6.1's item names, and
 * their values derived from the few counters memhp keeps. memhp tracks
 * anonymous, file (shmem) and kernel pages per node and allocations per
 * migratetype per zone; the LRU split and the like are derived from them so
 * that the files read plausibly (the oracle compares only the names there).
 */
#include "fs_internal.h"

#include "../kernel/kernel.h"

const char *const vs_node_names[VS_NR_VM_NODE_STAT_ITEMS] = {
	[VS_NR_INACTIVE_ANON] = "nr_inactive_anon",
	[VS_NR_ACTIVE_ANON] = "nr_active_anon",
	[VS_NR_INACTIVE_FILE] = "nr_inactive_file",
	[VS_NR_ACTIVE_FILE] = "nr_active_file",
	[VS_NR_UNEVICTABLE] = "nr_unevictable",
	[VS_NR_SLAB_RECLAIMABLE_B] = "nr_slab_reclaimable",
	[VS_NR_SLAB_UNRECLAIMABLE_B] = "nr_slab_unreclaimable",
	[VS_NR_ISOLATED_ANON] = "nr_isolated_anon",
	[VS_NR_ISOLATED_FILE] = "nr_isolated_file",
	[VS_WORKINGSET_NODES] = "workingset_nodes",
	[VS_WORKINGSET_REFAULT_ANON] = "workingset_refault_anon",
	[VS_WORKINGSET_REFAULT_FILE] = "workingset_refault_file",
	[VS_WORKINGSET_ACTIVATE_ANON] = "workingset_activate_anon",
	[VS_WORKINGSET_ACTIVATE_FILE] = "workingset_activate_file",
	[VS_WORKINGSET_RESTORE_ANON] = "workingset_restore_anon",
	[VS_WORKINGSET_RESTORE_FILE] = "workingset_restore_file",
	[VS_WORKINGSET_NODERECLAIM] = "workingset_nodereclaim",
	[VS_NR_ANON_MAPPED] = "nr_anon_pages",
	[VS_NR_FILE_MAPPED] = "nr_mapped",
	[VS_NR_FILE_PAGES] = "nr_file_pages",
	[VS_NR_FILE_DIRTY] = "nr_dirty",
	[VS_NR_WRITEBACK] = "nr_writeback",
	[VS_NR_WRITEBACK_TEMP] = "nr_writeback_temp",
	[VS_NR_SHMEM] = "nr_shmem",
	[VS_NR_SHMEM_THPS] = "nr_shmem_hugepages",
	[VS_NR_SHMEM_PMDMAPPED] = "nr_shmem_pmdmapped",
	[VS_NR_FILE_THPS] = "nr_file_hugepages",
	[VS_NR_FILE_PMDMAPPED] = "nr_file_pmdmapped",
	[VS_NR_ANON_THPS] = "nr_anon_transparent_hugepages",
	[VS_NR_VMSCAN_WRITE] = "nr_vmscan_write",
	[VS_NR_VMSCAN_IMMEDIATE] = "nr_vmscan_immediate_reclaim",
	[VS_NR_DIRTIED] = "nr_dirtied",
	[VS_NR_WRITTEN] = "nr_written",
	[VS_NR_THROTTLED_WRITTEN] = "nr_throttled_written",
	[VS_NR_KERNEL_MISC_RECLAIMABLE] = "nr_kernel_misc_reclaimable",
	[VS_NR_FOLL_PIN_ACQUIRED] = "nr_foll_pin_acquired",
	[VS_NR_FOLL_PIN_RELEASED] = "nr_foll_pin_released",
	[VS_NR_KERNEL_STACK_KB] = "nr_kernel_stack",
	[VS_NR_PAGETABLE] = "nr_page_table_pages",
	[VS_NR_SECONDARY_PAGETABLE] = "nr_sec_page_table_pages",
	[VS_NR_SWAPCACHE] = "nr_swapcached",
	[VS_PGPROMOTE_SUCCESS] = "pgpromote_success",
	[VS_PGPROMOTE_CANDIDATE] = "pgpromote_candidate",
};

const char *const vs_zone_names[VS_NR_VM_ZONE_STAT_ITEMS] = {
	[VS_NR_FREE_PAGES] = "nr_free_pages",
	[VS_NR_ZONE_INACTIVE_ANON] = "nr_zone_inactive_anon",
	[VS_NR_ZONE_ACTIVE_ANON] = "nr_zone_active_anon",
	[VS_NR_ZONE_INACTIVE_FILE] = "nr_zone_inactive_file",
	[VS_NR_ZONE_ACTIVE_FILE] = "nr_zone_active_file",
	[VS_NR_ZONE_UNEVICTABLE] = "nr_zone_unevictable",
	[VS_NR_ZONE_WRITE_PENDING] = "nr_zone_write_pending",
	[VS_NR_MLOCK] = "nr_mlock",
	[VS_NR_BOUNCE] = "nr_bounce",
	[VS_NR_ZSPAGES] = "nr_zspages",
	[VS_NR_FREE_CMA_PAGES] = "nr_free_cma",
};

const char *const vs_numa_names[VS_NR_VM_NUMA_EVENT_ITEMS] = {
	[VS_NUMA_HIT] = "numa_hit",
	[VS_NUMA_MISS] = "numa_miss",
	[VS_NUMA_FOREIGN] = "numa_foreign",
	[VS_NUMA_INTERLEAVE_HIT] = "numa_interleave",
	[VS_NUMA_LOCAL] = "numa_local",
	[VS_NUMA_OTHER] = "numa_other",
};

/* shmem sits on the anon LRU; two thirds of an LRU are inactive after a quiet boot */
static unsigned long inactive_share(unsigned long lru) { return lru - lru / 3; }

void vs_node_values(const pg_data_t *pgdat, unsigned long v[VS_NR_VM_NODE_STAT_ITEMS])
{
	for (int i = 0; i < VS_NR_VM_NODE_STAT_ITEMS; i++)
		v[i] = 0;
	if (!pgdat)
		return;
	unsigned long anon_lru = pgdat->nr_anon_pages + pgdat->nr_file_pages;
	v[VS_NR_INACTIVE_ANON] = inactive_share(anon_lru);
	v[VS_NR_ACTIVE_ANON] = anon_lru - v[VS_NR_INACTIVE_ANON];
	v[VS_NR_SLAB_UNRECLAIMABLE_B] = pgdat->nr_slab_unreclaimable;
	v[VS_NR_ANON_MAPPED] = pgdat->nr_anon_pages;
	v[VS_NR_FILE_MAPPED] = pgdat->nr_file_pages / 3;
	v[VS_NR_FILE_PAGES] = pgdat->nr_file_pages;
	v[VS_NR_SHMEM] = pgdat->nr_file_pages;
	v[VS_NR_PAGETABLE] = pgdat->nr_page_table_pages;
}

void vs_zone_values(const struct zone *z, unsigned long v[VS_NR_VM_ZONE_STAT_ITEMS])
{
	for (int i = 0; i < VS_NR_VM_ZONE_STAT_ITEMS; i++)
		v[i] = 0;
	v[VS_NR_FREE_PAGES] = z->nr_free_pages;
	unsigned long anon_lru = z->nr_alloc[MIGRATE_MOVABLE];
	v[VS_NR_ZONE_INACTIVE_ANON] = inactive_share(anon_lru);
	v[VS_NR_ZONE_ACTIVE_ANON] = anon_lru - v[VS_NR_ZONE_INACTIVE_ANON];
}

void vs_zone_numa_values(const struct zone *z, unsigned long v[VS_NR_VM_NUMA_EVENT_ITEMS])
{
	for (int i = 0; i < VS_NR_VM_NUMA_EVENT_ITEMS; i++)
		v[i] = 0;
	/* memhp allocates on the requested node only: every hit is local */
	v[VS_NUMA_HIT] = z->numa_hit;
	v[VS_NUMA_LOCAL] = z->numa_hit;
}

/* /sys/devices/system/node/nodeN/vmstat (node_read_vmstat) */
void node_vmstat_show(struct kernel *k, int nid, struct sbuf *out)
{
	pg_data_t *pgdat = NODE_DATA(k, nid);
	unsigned long zsum[VS_NR_VM_ZONE_STAT_ITEMS] = { 0 }, nsum[VS_NR_VM_NUMA_EVENT_ITEMS] = { 0 };
	unsigned long v[VS_NR_VM_NODE_STAT_ITEMS];

	if (pgdat)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			unsigned long zv[VS_NR_VM_ZONE_STAT_ITEMS], nv[VS_NR_VM_NUMA_EVENT_ITEMS];
			vs_zone_values(&pgdat->node_zones[z], zv);
			vs_zone_numa_values(&pgdat->node_zones[z], nv);
			for (int i = 0; i < VS_NR_VM_ZONE_STAT_ITEMS; i++)
				zsum[i] += zv[i];
			for (int i = 0; i < VS_NR_VM_NUMA_EVENT_ITEMS; i++)
				nsum[i] += nv[i];
		}
	for (int i = 0; i < VS_NR_VM_ZONE_STAT_ITEMS; i++)
		sb_printf(out, "%s %lu\n", vs_zone_names[i], zsum[i]);
	for (int i = 0; i < VS_NR_VM_NUMA_EVENT_ITEMS; i++)
		sb_printf(out, "%s %lu\n", vs_numa_names[i], nsum[i]);
	vs_node_values(pgdat, v);
	for (int i = 0; i < VS_NR_VM_NODE_STAT_ITEMS; i++)
		sb_printf(out, "%s %lu\n", vs_node_names[i], v[i]);
}

/* /sys/devices/system/node/nodeN/numastat (node_read_numastat): its own, older names */
void node_numastat_show(struct kernel *k, int nid, struct sbuf *out)
{
	pg_data_t *pgdat = NODE_DATA(k, nid);
	unsigned long sum[VS_NR_VM_NUMA_EVENT_ITEMS] = { 0 };

	if (pgdat)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			unsigned long nv[VS_NR_VM_NUMA_EVENT_ITEMS];
			vs_zone_numa_values(&pgdat->node_zones[z], nv);
			for (int i = 0; i < VS_NR_VM_NUMA_EVENT_ITEMS; i++)
				sum[i] += nv[i];
		}
	sb_printf(out,
		  "numa_hit %lu\n"
		  "numa_miss %lu\n"
		  "numa_foreign %lu\n"
		  "interleave_hit %lu\n"
		  "local_node %lu\n"
		  "other_node %lu\n",
		  sum[VS_NUMA_HIT], sum[VS_NUMA_MISS], sum[VS_NUMA_FOREIGN],
		  sum[VS_NUMA_INTERLEAVE_HIT], sum[VS_NUMA_LOCAL], sum[VS_NUMA_OTHER]);
}
