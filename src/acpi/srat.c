// SPDX-License-Identifier: MIT
/*
 * ACPI NUMA (drivers/acpi/numa/srat.c, arch/x86/mm/srat.c): the firmware
 * speaks of proximity domains (QEMU's -numa nodeid), Linux of node ids.
 * acpi_numa_init() walks the SRAT once for its processor affinity entries
 * and once for its memory affinity entries, and acpi_map_pxm_to_node()
 * hands out node ids in the order in which domains first appear. QEMU's
 * build_srat() lists every CPU first (by APIC id), then node 0's 640 KiB,
 * each node that has memory, and the device-memory range of the last node,
 * so a node with memory but no CPU gets a higher id than all nodes with CPUs
 * (-numa node,nodeid=1,memdev=r1 without cpus= is node 3 in the guest when
 * nodes 0, 2 and 3 have CPUs).
 */
#include "acpi.h"
#include "../kernel/kernel.h"
#include "../mm/internal.h"

/* acpi_map_pxm_to_node(): the first unused node id for a domain not seen yet */
int acpi_map_pxm_to_node(struct kernel *k, int pxm)
{
	if (pxm < 0 || pxm >= MAX_PXM_DOMAINS)
		return NUMA_NO_NODE;
	if (k->pxm_to_node_map[pxm] == NUMA_NO_NODE) {
		if (k->nr_pxm_nodes >= MAX_NUMNODES)
			return NUMA_NO_NODE;
		k->pxm_to_node_map[pxm] = k->nr_pxm_nodes++;
	}
	return k->pxm_to_node_map[pxm];
}

/* pxm_to_node(): NUMA_NO_NODE for a domain the SRAT did not name */
int pxm_to_node(struct kernel *k, int pxm)
{
	if (pxm < 0 || pxm >= MAX_PXM_DOMAINS)
		return NUMA_NO_NODE;
	return k->pxm_to_node_map[pxm];
}

/*
 * acpi_numa_init(): the boot parameters carry domains; from here on the
 * kernel's copy carries node ids (memblocks, CPU-to-node, nr_nodes).
 */
void acpi_numa_init(struct kernel *k)
{
	struct boot_params *bp = &k->boot;

	for (int i = 0; i < MAX_PXM_DOMAINS; i++)
		k->pxm_to_node_map[i] = NUMA_NO_NODE;
	k->nr_pxm_nodes = 0;
	if (bp->nr_nodes <= 0)
		return;	/* no SRAT: one node, ids stay 0 */
	/* acpi_parse_processor_affinity(): the CPU entries come first */
	for (int c = 0; c < bp->nr_cpus && c < MAX_CPUS; c++)
		bp->cpu_to_node[c] = acpi_map_pxm_to_node(k, bp->cpu_to_node[c]);
	/* acpi_parse_memory_affinity(): then the enabled memory ranges, in table order */
	for (int i = 0; i < bp->nr_memblk; i++)
		bp->memblk[i].nid = acpi_map_pxm_to_node(k, bp->memblk[i].nid);
	bp->nr_nodes = k->nr_pxm_nodes;
}
