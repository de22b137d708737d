/* SPDX-License-Identifier: MIT */
/* Memory block devices (drivers/base/memory.c): the unit sysfs onlines and offlines. */
#ifndef MEMHP_BASE_MEMORY_H
#define MEMHP_BASE_MEMORY_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "power.h"

struct kernel;
struct zone;
struct memory_group;

/* memory_block.state; also the values of the first three memory notifier actions */
#define MEM_ONLINE		(1 << 0)
#define MEM_GOING_OFFLINE	(1 << 1)
#define MEM_OFFLINE		(1 << 2)
#define MEM_GOING_ONLINE	(1 << 3)
#define MEM_CANCEL_ONLINE	(1 << 4)
#define MEM_CANCEL_OFFLINE	(1 << 5)

/* online types (MMOP_*) */
enum {
	MMOP_OFFLINE = 0,
	MMOP_ONLINE,
	MMOP_ONLINE_KERNEL,
	MMOP_ONLINE_MOVABLE,
};
extern const char *const online_type_to_str[4];
/* Index of buf in online_type_to_str (sysfs word match), or -EINVAL. */
int mhp_online_type_from_str(const char *buf);

struct memory_notify {
	unsigned long start_pfn;
	unsigned long nr_pages;
	int status_change_nid_normal;
	int status_change_nid;
};

struct memory_block {
	unsigned long start_section_nr;
	unsigned long id;		/* dev.id: memoryN */
	unsigned long state;		/* MEM_ONLINE / MEM_GOING_OFFLINE / MEM_OFFLINE */
	int online_type;		/* request carrier, MMOP_* */
	int nid;			/* NUMA_NO_NODE until linked */
	struct zone *zone;		/* the single zone managing it, or NULL */
	unsigned long nr_vmemmap_pages;	/* 6.1: memmap_on_memory pages at the block start */
	struct memory_group *group;
	bool dev_offline;		/* device core's dev.offline */
	uint64_t node_links;		/* bitmask of nodes holding a memoryN link (boot blocks may span nodes) */
	int acpi_slot;			/* bound ACPI memory device (firmware_node), or -1 */
	struct dev_pm_info power;	/* its power/ directory */
	pthread_mutex_t dev_lock;	/* device_lock(): serialises online/offline of this block */
};

struct memory_group {
	int id;
	int nid;
	unsigned long present_kernel_pages;
	unsigned long present_movable_pages;
	bool is_dynamic;
	unsigned long max_pages;	/* static */
	unsigned long unit_pages;	/* dynamic */
};

unsigned long memory_block_size_bytes(struct kernel *k);

struct memory_block *find_memory_block_by_id(struct kernel *k, unsigned long id);
/* Blocks in id order; i from 0 to nr_memory_blocks-1. */
unsigned long nr_memory_blocks(struct kernel *k);
struct memory_block *memory_block_at(struct kernel *k, unsigned long i);

int create_memory_block_devices(struct kernel *k, unsigned long start, unsigned long size,
				unsigned long vmemmap_pages, struct memory_group *group);
void remove_memory_block_devices(struct kernel *k, unsigned long start, unsigned long size);
/* Boot: one online block per block-sized range holding a present section. */
int memory_dev_init(struct kernel *k);

/* device core: 0 done, 1 already in that state, <0 error */
int device_online(struct kernel *k, struct memory_block *mem);
int device_offline(struct kernel *k, struct memory_block *mem);

/* sysfs stores; return 0 or -errno (the whole write consumed on success) */
int state_store(struct kernel *k, struct memory_block *mem, const char *buf);
int online_store(struct kernel *k, struct memory_block *mem, const char *buf);
int auto_online_blocks_store(struct kernel *k, const char *buf);
/* a physical address to soft_offline_page() / memory_failure(), under device_hotplug_lock */
int soft_offline_page_store(struct kernel *k, const char *buf);
int hard_offline_page_store(struct kernel *k, const char *buf);
/* sysfs shows, appended to out */
struct sbuf;
void state_show(struct kernel *k, struct memory_block *mem, struct sbuf *out);
void valid_zones_show(struct kernel *k, struct memory_block *mem, struct sbuf *out);

int walk_memory_blocks(struct kernel *k, unsigned long start, unsigned long size, void *arg,
		       int (*func)(struct kernel *k, struct memory_block *mem, void *arg));

#endif
