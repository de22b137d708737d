// SPDX-License-Identifier: MIT
/*
 * /proc/meminfo (fs/proc/meminfo.c) and /sys/devices/system/node/nodeN/meminfo
 * (drivers/base/node.c): Linux 6.1's field lists with their literal padding,
 * including its quirks (node "FileHugePages:" one column short, the
 * HugePages_ counts without a unit).
 */
#include "fs_internal.h"

#include <string.h>

#include "../kernel/kernel.h"

#define K(pages)	((unsigned long)(pages) << (PAGE_SHIFT - 10))

/* What both files print, summed over the nodes asked for. */
struct mem_totals {
	unsigned long managed, free, reserve, low_wmark;
	unsigned long node[VS_NR_VM_NODE_STAT_ITEMS];
	unsigned long zone[VS_NR_VM_ZONE_STAT_ITEMS];
};

static void add_node(struct kernel *k, int nid, struct mem_totals *t)
{
	pg_data_t *pgdat = NODE_DATA(k, nid);
	if (!pgdat)
		return;
	unsigned long nv[VS_NR_VM_NODE_STAT_ITEMS];
	vs_node_values(pgdat, nv);
	for (int i = 0; i < VS_NR_VM_NODE_STAT_ITEMS; i++)
		t->node[i] += nv[i];
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];
		unsigned long zv[VS_NR_VM_ZONE_STAT_ITEMS];
		vs_zone_values(zone, zv);
		for (int i = 0; i < VS_NR_VM_ZONE_STAT_ITEMS; i++)
			t->zone[i] += zv[i];
		t->managed += zone->managed_pages;
		t->free += zone->nr_free_pages;
		t->low_wmark += zone->_watermark[WMARK_LOW];
		/* calculate_totalreserve_pages(): the largest lowmem reserve plus the high watermark */
		long max = 0;
		for (int j = 0; j < MAX_NR_ZONES; j++)
			if (zone->lowmem_reserve[j] > max)
				max = zone->lowmem_reserve[j];
		unsigned long r = (unsigned long)max + zone->_watermark[WMARK_HIGH];
		t->reserve += r > zone->managed_pages ? zone->managed_pages : r;
	}
}

static unsigned long min_ul(unsigned long a, unsigned long b) { return a < b ? a : b; }

/* si_mem_available() */
static unsigned long mem_available(const struct mem_totals *t)
{
	long avail = (long)t->free - (long)t->reserve;
	unsigned long pagecache = t->node[VS_NR_ACTIVE_FILE] + t->node[VS_NR_INACTIVE_FILE];
	pagecache -= min_ul(pagecache / 2, t->low_wmark);
	avail += (long)pagecache;
	unsigned long reclaimable = t->node[VS_NR_SLAB_RECLAIMABLE_B] + t->node[VS_NR_KERNEL_MISC_RECLAIMABLE];
	reclaimable -= min_ul(reclaimable / 2, t->low_wmark);
	avail += (long)reclaimable;
	return avail < 0 ? 0 : (unsigned long)avail;
}

/*
 * The direct map covers every System RAM range; x86 maps the 2 MiB-aligned
 * middle of a range with 2M pages and the rest with 4K pages (no 1G pages:
 * QEMU's default CPU model lacks pdpe1gb).
 */
static void direct_map(struct resource *root, unsigned long long *k4, unsigned long long *m2)
{
	const uint64_t M2 = 2ULL << 20;
	for (struct resource *r = root->child; r; r = r->sibling) {
		if (r->name && strncmp(r->name, "System RAM", 10) == 0) {
			uint64_t s = (r->start + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
			uint64_t e = (r->end + 1) & ~(uint64_t)(PAGE_SIZE - 1);
			if (e <= s)
				continue;
			uint64_t ms = (s + M2 - 1) & ~(M2 - 1), me = e & ~(M2 - 1);
			if (me > ms) {
				*m2 += me - ms;
				*k4 += (ms - s) + (e - me);
			} else {
				*k4 += e - s;
			}
			continue;	/* what lies inside RAM is mapped already */
		}
		direct_map(r, k4, m2);
	}
}

static void kb_line(struct sbuf *out, const char *label, unsigned long kb)
{
	sb_printf(out, "%-16s%8lu kB\n", label, kb);
}

void proc_meminfo_show(struct kernel *k, struct sbuf *out)
{
	struct mem_totals t;
	memset(&t, 0, sizeof(t));
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		if (node_online(k, nid))
			add_node(k, nid, &t);

	const unsigned long *n = t.node;
	unsigned long totalram = k->totalram_pages;
	unsigned long cached = n[VS_NR_FILE_PAGES] - n[VS_NR_SWAPCACHE];
	unsigned long long k4 = 0, m2 = 0;
	direct_map(&k->iomem_resource, &k4, &m2);

	kb_line(out, "MemTotal:", K(totalram));
	kb_line(out, "MemFree:", K(t.free));
	kb_line(out, "MemAvailable:", K(mem_available(&t)));
	kb_line(out, "Buffers:", 0);
	kb_line(out, "Cached:", K(cached));
	kb_line(out, "SwapCached:", K(n[VS_NR_SWAPCACHE]));
	kb_line(out, "Active:", K(n[VS_NR_ACTIVE_ANON] + n[VS_NR_ACTIVE_FILE]));
	kb_line(out, "Inactive:", K(n[VS_NR_INACTIVE_ANON] + n[VS_NR_INACTIVE_FILE]));
	kb_line(out, "Active(anon):", K(n[VS_NR_ACTIVE_ANON]));
	kb_line(out, "Inactive(anon):", K(n[VS_NR_INACTIVE_ANON]));
	kb_line(out, "Active(file):", K(n[VS_NR_ACTIVE_FILE]));
	kb_line(out, "Inactive(file):", K(n[VS_NR_INACTIVE_FILE]));
	kb_line(out, "Unevictable:", K(n[VS_NR_UNEVICTABLE]));
	kb_line(out, "Mlocked:", K(t.zone[VS_NR_MLOCK]));
	kb_line(out, "SwapTotal:", 0);
	kb_line(out, "SwapFree:", 0);
	kb_line(out, "Zswap:", 0);
	kb_line(out, "Zswapped:", 0);
	kb_line(out, "Dirty:", K(n[VS_NR_FILE_DIRTY]));
	kb_line(out, "Writeback:", K(n[VS_NR_WRITEBACK]));
	kb_line(out, "AnonPages:", K(n[VS_NR_ANON_MAPPED]));
	kb_line(out, "Mapped:", K(n[VS_NR_FILE_MAPPED]));
	kb_line(out, "Shmem:", K(n[VS_NR_SHMEM]));
	kb_line(out, "KReclaimable:", K(n[VS_NR_SLAB_RECLAIMABLE_B] + n[VS_NR_KERNEL_MISC_RECLAIMABLE]));
	kb_line(out, "Slab:", K(n[VS_NR_SLAB_RECLAIMABLE_B] + n[VS_NR_SLAB_UNRECLAIMABLE_B]));
	kb_line(out, "SReclaimable:", K(n[VS_NR_SLAB_RECLAIMABLE_B]));
	kb_line(out, "SUnreclaim:", K(n[VS_NR_SLAB_UNRECLAIMABLE_B]));
	kb_line(out, "KernelStack:", n[VS_NR_KERNEL_STACK_KB]);
	kb_line(out, "PageTables:", K(n[VS_NR_PAGETABLE]));
	kb_line(out, "SecPageTables:", K(n[VS_NR_SECONDARY_PAGETABLE]));
	kb_line(out, "NFS_Unstable:", 0);
	kb_line(out, "Bounce:", K(t.zone[VS_NR_BOUNCE]));
	kb_line(out, "WritebackTmp:", K(n[VS_NR_WRITEBACK_TEMP]));
	/* no swap, vm.overcommit_ratio = 50 */
	kb_line(out, "CommitLimit:", K(totalram / 2));
	kb_line(out, "Committed_AS:", K(n[VS_NR_ANON_MAPPED] + n[VS_NR_SHMEM]));
	kb_line(out, "VmallocTotal:", 13743895347199UL);	/* (VMALLOC_END - VMALLOC_START) >> 10, 4-level paging */
	kb_line(out, "VmallocUsed:", 0);
	kb_line(out, "VmallocChunk:", 0);
	kb_line(out, "Percpu:", 0);
	sb_printf(out, "HardwareCorrupted: %5lu kB\n", k->num_poisoned_pages * 4);
	kb_line(out, "AnonHugePages:", 0);
	kb_line(out, "ShmemHugePages:", 0);
	kb_line(out, "ShmemPmdMapped:", 0);
	kb_line(out, "FileHugePages:", 0);
	kb_line(out, "FilePmdMapped:", 0);
	sb_printf(out,
		  "HugePages_Total:   %5lu\n"
		  "HugePages_Free:    %5lu\n"
		  "HugePages_Rsvd:    %5lu\n"
		  "HugePages_Surp:    %5lu\n"
		  "Hugepagesize:   %8lu kB\n",
		  0UL, 0UL, 0UL, 0UL, 2048UL);
	kb_line(out, "Hugetlb:", 0);
	kb_line(out, "DirectMap4k:", (unsigned long)(k4 >> 10));
	kb_line(out, "DirectMap2M:", (unsigned long)(m2 >> 10));
	/* arch_report_meminfo(): only a CPU with 1 GiB pages has the line */
	if (!k->boot.no_gbpages)
		kb_line(out, "DirectMap1G:", 0);
}

void node_meminfo_show(struct kernel *k, int nid, struct sbuf *out)
{
	struct mem_totals t;
	memset(&t, 0, sizeof(t));
	add_node(k, nid, &t);
	const unsigned long *n = t.node;

	/* node_read_meminfo(): the labels carry their own padding, quirks included */
	sb_printf(out,
		  "Node %d MemTotal:       %8lu kB\n"
		  "Node %d MemFree:        %8lu kB\n"
		  "Node %d MemUsed:        %8lu kB\n"
		  "Node %d SwapCached:     %8lu kB\n"
		  "Node %d Active:         %8lu kB\n"
		  "Node %d Inactive:       %8lu kB\n"
		  "Node %d Active(anon):   %8lu kB\n"
		  "Node %d Inactive(anon): %8lu kB\n"
		  "Node %d Active(file):   %8lu kB\n"
		  "Node %d Inactive(file): %8lu kB\n"
		  "Node %d Unevictable:    %8lu kB\n"
		  "Node %d Mlocked:        %8lu kB\n",
		  nid, K(t.managed),
		  nid, K(t.free),
		  nid, K(t.managed - (t.free < t.managed ? t.free : t.managed)),
		  nid, K(n[VS_NR_SWAPCACHE]),
		  nid, K(n[VS_NR_ACTIVE_ANON] + n[VS_NR_ACTIVE_FILE]),
		  nid, K(n[VS_NR_INACTIVE_ANON] + n[VS_NR_INACTIVE_FILE]),
		  nid, K(n[VS_NR_ACTIVE_ANON]),
		  nid, K(n[VS_NR_INACTIVE_ANON]),
		  nid, K(n[VS_NR_ACTIVE_FILE]),
		  nid, K(n[VS_NR_INACTIVE_FILE]),
		  nid, K(n[VS_NR_UNEVICTABLE]),
		  nid, K(t.zone[VS_NR_MLOCK]));
	sb_printf(out,
		  "Node %d Dirty:          %8lu kB\n"
		  "Node %d Writeback:      %8lu kB\n"
		  "Node %d FilePages:      %8lu kB\n"
		  "Node %d Mapped:         %8lu kB\n"
		  "Node %d AnonPages:      %8lu kB\n"
		  "Node %d Shmem:          %8lu kB\n"
		  "Node %d KernelStack:    %8lu kB\n"
		  "Node %d PageTables:     %8lu kB\n"
		  "Node %d SecPageTables:  %8lu kB\n"
		  "Node %d NFS_Unstable:   %8lu kB\n"
		  "Node %d Bounce:         %8lu kB\n"
		  "Node %d WritebackTmp:   %8lu kB\n"
		  "Node %d KReclaimable:   %8lu kB\n"
		  "Node %d Slab:           %8lu kB\n"
		  "Node %d SReclaimable:   %8lu kB\n"
		  "Node %d SUnreclaim:     %8lu kB\n"
		  "Node %d AnonHugePages:  %8lu kB\n"
		  "Node %d ShmemHugePages: %8lu kB\n"
		  "Node %d ShmemPmdMapped: %8lu kB\n"
		  "Node %d FileHugePages: %8lu kB\n"
		  "Node %d FilePmdMapped: %8lu kB\n",
		  nid, K(n[VS_NR_FILE_DIRTY]),
		  nid, K(n[VS_NR_WRITEBACK]),
		  nid, K(n[VS_NR_FILE_PAGES]),
		  nid, K(n[VS_NR_FILE_MAPPED]),
		  nid, K(n[VS_NR_ANON_MAPPED]),
		  nid, K(n[VS_NR_SHMEM]),
		  nid, n[VS_NR_KERNEL_STACK_KB],
		  nid, K(n[VS_NR_PAGETABLE]),
		  nid, K(n[VS_NR_SECONDARY_PAGETABLE]),
		  nid, 0UL,
		  nid, K(t.zone[VS_NR_BOUNCE]),
		  nid, K(n[VS_NR_WRITEBACK_TEMP]),
		  nid, K(n[VS_NR_SLAB_RECLAIMABLE_B] + n[VS_NR_KERNEL_MISC_RECLAIMABLE]),
		  nid, K(n[VS_NR_SLAB_RECLAIMABLE_B] + n[VS_NR_SLAB_UNRECLAIMABLE_B]),
		  nid, K(n[VS_NR_SLAB_RECLAIMABLE_B]),
		  nid, K(n[VS_NR_SLAB_UNRECLAIMABLE_B]),
		  nid, 0UL, nid, 0UL, nid, 0UL, nid, 0UL, nid, 0UL);
	/* hugetlb_report_node_meminfo(): counts, no unit */
	sb_printf(out,
		  "Node %d HugePages_Total: %5u\n"
		  "Node %d HugePages_Free:  %5u\n"
		  "Node %d HugePages_Surp:  %5u\n",
		  nid, 0u, nid, 0u, nid, 0u);
}
