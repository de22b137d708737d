/* SPDX-License-Identifier: MIT */
/* NUMA node devices (drivers/base/node.c): /sys/devices/system/node/nodeN and memory links. */
#ifndef MEMHP_BASE_NODE_H
#define MEMHP_BASE_NODE_H

struct kernel;
struct memory_block;

int register_one_node(struct kernel *k, int nid);
void unregister_one_node(struct kernel *k, int nid);
/* Link every block of [start_pfn, end_pfn] to nid (mem->nid, both symlinks). */
void register_memory_blocks_under_node(struct kernel *k, int nid, unsigned long start_pfn,
				       unsigned long end_pfn);
void unregister_memory_block_under_nodes(struct kernel *k, struct memory_block *mem);
/* Boot: link each block to the nodes its present sections belong to. */
void link_boot_memory_blocks(struct kernel *k);

#endif
