/* SPDX-License-Identifier: MIT */
/* /sys/firmware/memmap (drivers/firmware/memmap.c): the firmware's view of RAM, plus hot-added System RAM. */
#ifndef MEMHP_BASE_FIRMWARE_MEMMAP_H
#define MEMHP_BASE_FIRMWARE_MEMMAP_H

#include <stdint.h>

struct kernel;
struct firmware_map_entry;

/* end is exclusive in these calls, as in Linux; entries store it inclusive. */
int firmware_map_add_early(struct kernel *k, uint64_t start, uint64_t end, const char *type);
int firmware_map_add_hotplug(struct kernel *k, uint64_t start, uint64_t end, const char *type);
/* firmware_memmap_init(): the directories of the entries added early, after the boot-time hot-adds */
void firmware_memmap_init(struct kernel *k);
int firmware_map_remove(struct kernel *k, uint64_t start, uint64_t end, const char *type);
/* Entry by directory number, or NULL. */
struct firmware_map_entry *firmware_map_find(struct kernel *k, int id);
void firmware_map_free_all(struct kernel *k);

#endif
