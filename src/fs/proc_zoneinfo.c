// SPDX-License-Identifier: MIT
/*
 * /proc/zoneinfo and /proc/buddyinfo (mm/vmstat.c): every zone of every
 * online node, in Linux 6.1's layout. Each zone is printed under the zone
 * lock, as walk_zones_in_node() does, so one zone's figures agree with each
 * other.
 */
#include "fs_internal.h"

#include <pthread.h>

#include "../kernel/kernel.h"

static const char *const fallback_zone_names[MAX_NR_ZONES] = {
	"DMA", "DMA32", "Normal", "Movable", "Device",
};

static const char *zone_label(const struct zone *z, int idx)
{
	return z->name ? z->name : fallback_zone_names[idx];
}

static bool is_zone_first_populated(const pg_data_t *pgdat, const struct zone *zone)
{
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		const struct zone *z = &pgdat->node_zones[i];
		if (populated_zone(z))
			return z == zone;
	}
	return false;
}

static void zoneinfo_show_print(struct kernel *k, pg_data_t *pgdat, int idx, struct sbuf *out)
{
	struct zone *zone = &pgdat->node_zones[idx];

	sb_printf(out, "Node %d, zone %8s", pgdat->node_id, zone_label(zone, idx));
	if (is_zone_first_populated(pgdat, zone)) {
		unsigned long v[VS_NR_VM_NODE_STAT_ITEMS];
		vs_node_values(pgdat, v);
		sb_puts(out, "\n  per-node stats");
		for (int i = 0; i < VS_NR_VM_NODE_STAT_ITEMS; i++)
			sb_printf(out, "\n      %-12s %lu", vs_node_names[i], v[i]);
	}
	sb_printf(out,
		  "\n  pages free     %lu"
		  "\n        boost    %lu"
		  "\n        min      %lu"
		  "\n        low      %lu"
		  "\n        high     %lu"
		  "\n        spanned  %lu"
		  "\n        present  %lu"
		  "\n        managed  %lu"
		  "\n        cma      %lu",
		  zone->nr_free_pages,
		  zone->watermark_boost,
		  zone->_watermark[WMARK_MIN],
		  zone->_watermark[WMARK_LOW],
		  zone->_watermark[WMARK_HIGH],
		  zone->spanned_pages,
		  zone->present_pages,
		  zone->managed_pages,
		  zone->cma_pages);
	sb_printf(out, "\n        protection: (%ld", zone->lowmem_reserve[0]);
	for (int i = 1; i < MAX_NR_ZONES; i++)
		sb_printf(out, ", %ld", zone->lowmem_reserve[i]);
	sb_putc(out, ')');

	/* an unpopulated zone has nothing more worth showing */
	if (!populated_zone(zone)) {
		sb_putc(out, '\n');
		return;
	}

	unsigned long zv[VS_NR_VM_ZONE_STAT_ITEMS], nv[VS_NR_VM_NUMA_EVENT_ITEMS];
	vs_zone_values(zone, zv);
	vs_zone_numa_values(zone, nv);
	for (int i = 0; i < VS_NR_VM_ZONE_STAT_ITEMS; i++)
		sb_printf(out, "\n      %-12s %lu", vs_zone_names[i], zv[i]);
	for (int i = 0; i < VS_NR_VM_NUMA_EVENT_ITEMS; i++)
		sb_printf(out, "\n      %-12s %lu", vs_numa_names[i], nv[i]);

	sb_puts(out, "\n  pagesets");
	int ncpus = k->boot.nr_cpus > MAX_CPUS ? MAX_CPUS : k->boot.nr_cpus;
	for (int cpu = 0; cpu < ncpus; cpu++) {
		/* the guest's work runs on CPU 0: the other CPUs' lists stay empty */
		sb_printf(out,
			  "\n    cpu: %i"
			  "\n              count: %i"
			  "\n              high:  %i"
			  "\n              batch: %i",
			  cpu, cpu ? 0 : zone->pcp.count, zone->pcp.high, zone->pcp.batch);
		sb_printf(out, "\n  vm stats threshold: %d", zone->stat_threshold);
	}
	sb_printf(out,
		  "\n  node_unreclaimable:  %u"
		  "\n  start_pfn:           %lu",
		  0u, zone->zone_start_pfn);
	sb_putc(out, '\n');
}

void proc_zoneinfo_show(struct kernel *k, struct sbuf *out)
{
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		pg_data_t *pgdat = NODE_DATA(k, nid);
		if (!node_online(k, nid) || !pgdat)
			continue;
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			pthread_mutex_lock(&k->zone_lock);
			zoneinfo_show_print(k, pgdat, z, out);
			pthread_mutex_unlock(&k->zone_lock);
		}
	}
	sb_add(out, "", 0);
}

void proc_buddyinfo_show(struct kernel *k, struct sbuf *out)
{
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		pg_data_t *pgdat = NODE_DATA(k, nid);
		if (!node_online(k, nid) || !pgdat)
			continue;
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &pgdat->node_zones[z];
			if (!populated_zone(zone))
				continue;
			pthread_mutex_lock(&k->zone_lock);
			sb_printf(out, "Node %d, zone %8s ", pgdat->node_id, zone_label(zone, z));
			for (int order = 0; order < MAX_ORDER; order++)
				sb_printf(out, "%6lu ", zone->free_area[order].nr_free);
			sb_putc(out, '\n');
			pthread_mutex_unlock(&k->zone_lock);
		}
	}
	sb_add(out, "", 0);
}
