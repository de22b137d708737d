/* SPDX-License-Identifier: MIT */
/* Memory hot(un)plug (mm/memory_hotplug.c, include/linux/memory_hotplug.h), Linux 6.1. */
#ifndef MEMHP_MM_MEMORY_HOTPLUG_H
#define MEMHP_MM_MEMORY_HOTPLUG_H

#include <stdint.h>
#include "../kernel/kernel.h"

typedef int mhp_t;
#define MHP_NONE		0
#define MHP_MERGE_RESOURCE	(1 << 0)
#define MHP_MEMMAP_ON_MEMORY	(1 << 1)
#define MHP_NID_IS_MGID		(1 << 2)

void mem_hotplug_begin(struct kernel *k);
void mem_hotplug_done(struct kernel *k);
/* The reader side of mem_hotplug_lock, inline as in Linux (percpu_down_read()). */
static inline void get_online_mems(struct kernel *k) { percpu_down_read(&k->mem_hotplug_lock); }
static inline void put_online_mems(struct kernel *k) { percpu_up_read(&k->mem_hotplug_lock); }
void lock_device_hotplug(struct kernel *k);
void unlock_device_hotplug(struct kernel *k);
/* The sysfs variant: trylock, else sleep 5 ms and restart the write (here: retry). */
int lock_device_hotplug_sysfs(struct kernel *k);

bool mhp_range_allowed(uint64_t start, uint64_t size, bool need_mapping);
bool mhp_supports_memmap_on_memory(struct kernel *k, unsigned long size);
int __add_memory(struct kernel *k, int nid, uint64_t start, uint64_t size, mhp_t flags);
int add_memory(struct kernel *k, int nid, uint64_t start, uint64_t size, mhp_t flags);
int add_memory_driver_managed(struct kernel *k, int nid, uint64_t start, uint64_t size,
			      const char *resource_name, mhp_t flags);
void __remove_memory(struct kernel *k, uint64_t start, uint64_t size);
int remove_memory(struct kernel *k, uint64_t start, uint64_t size);
int offline_and_remove_memory(struct kernel *k, uint64_t start, uint64_t size);

struct zone *zone_for_pfn_range(struct kernel *k, int online_type, int nid,
				struct memory_group *group, unsigned long start_pfn,
				unsigned long nr_pages);
int online_pages(struct kernel *k, unsigned long pfn, unsigned long nr_pages, struct zone *zone,
		 struct memory_group *group);
int offline_pages(struct kernel *k, unsigned long start_pfn, unsigned long nr_pages,
		  struct zone *zone, struct memory_group *group);
int mhp_init_memmap_on_memory(struct kernel *k, unsigned long pfn, unsigned long nr_pages,
			      struct zone *zone);
void mhp_deinit_memmap_on_memory(struct kernel *k, unsigned long pfn, unsigned long nr_pages);
void adjust_present_page_count(struct kernel *k, unsigned long pfn, struct memory_group *group,
			       long nr_pages);
void move_pfn_range_to_zone(struct kernel *k, struct zone *zone, unsigned long start_pfn,
			    unsigned long nr_pages, int migratetype);
void remove_pfn_range_from_zone(struct kernel *k, struct zone *zone, unsigned long start_pfn,
				unsigned long nr_pages);
int try_online_node(struct kernel *k, int nid);
void try_offline_node(struct kernel *k, int nid);
int memory_notify(struct kernel *k, unsigned long val, void *v);
int register_memory_notifier(struct kernel *k, struct notifier_block *nb);
void unregister_memory_notifier(struct kernel *k, struct notifier_block *nb);
int set_online_page_callback(struct kernel *k, online_page_callback_t cb);
int restore_online_page_callback(struct kernel *k, online_page_callback_t cb);

/* memory groups (drivers/base/memory.c) */
int memory_group_register_static(struct kernel *k, int nid, unsigned long max_pages);
int memory_group_register_dynamic(struct kernel *k, int nid, unsigned long unit_pages);
int memory_group_unregister(struct kernel *k, int mgid);
struct memory_group *memory_group_find_by_id(struct kernel *k, int mgid);

#endif
