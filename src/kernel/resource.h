/* SPDX-License-Identifier: MIT */
/* The iomem resource tree (kernel/resource.c): what /proc/iomem prints. */
#ifndef MEMHP_KERNEL_RESOURCE_H
#define MEMHP_KERNEL_RESOURCE_H

#include <stdint.h>

#define IORESOURCE_MEM			0x00000200UL
#define IORESOURCE_SYSRAM		0x01000000UL
#define IORESOURCE_SYSRAM_DRIVER_MANAGED 0x02000000UL
#define IORESOURCE_BUSY			0x80000000UL
#define IORESOURCE_SYSTEM_RAM		(IORESOURCE_MEM | IORESOURCE_SYSRAM)

struct resource {
	uint64_t start, end;	/* end inclusive */
	char *name;
	unsigned long flags;
	struct resource *parent, *sibling, *child;
};

/* Insert res under root; returns the conflicting resource or NULL on success. */
struct resource *request_resource_conflict(struct resource *root, struct resource *res);
/*
 * Linux's __request_region(): place a new busy region, descending into
 * non-busy parents that fully contain it. NULL (-EEXIST) on overlap.
 */
struct resource *request_mem_region(struct resource *root, uint64_t start, uint64_t size,
				    const char *name, unsigned long flags);
/* Unlink and free a resource (and any children); 0, or -EINVAL if not in a tree. */
int release_resource_free(struct resource *res);
/* Linux's release_mem_region_adjustable(): delete, trim or split the busy region. */
void release_mem_region_adjustable(struct resource *root, uint64_t start, uint64_t size);
/* Sum of bytes of busy System RAM resources inside [start, end]. */
uint64_t system_ram_bytes_in(struct resource *root, uint64_t start, uint64_t end);
/*
 * Linux's insert_resource(), for building the boot tree: if res lies inside
 * an existing resource it goes deeper; existing siblings it covers entirely
 * become its children. Unlike Linux, an existing resource with the very same
 * range becomes res's parent (the boot code inserts outer resources first).
 * Returns NULL, or the resource it conflicts with (partial overlap).
 */
struct resource *insert_resource_nested(struct resource *root, struct resource *res);
struct resource *resource_new(uint64_t start, uint64_t end, const char *name, unsigned long flags);
void resource_free_tree(struct resource *root);
/* Free one resource that is in no tree (a refused insert). */
void resource_free(struct resource *res);
/* Linux's merge_system_ram_resource(): join res with equal busy neighbours (res may be freed) */
void merge_system_ram_resource(struct resource *res);

#endif
