// SPDX-License-Identifier: MIT
/*
 * The ACPI memory-device driver (drivers/acpi/acpi_memhotplug.c) and the
 * part of the ACPI scan core that ejects it (drivers/acpi/scan.c), Linux 6.1.
 *
 * Device check: acpi_hotplug_work_fn -> acpi_device_hotplug -> acpi_bus_scan
 * -> acpi_memory_device_add -> acpi_memory_enable_device -> __add_memory.
 * Eject: acpi_scan_hot_remove -> acpi_scan_try_to_offline (offline every
 * bound memory block, twice, re-onlining on failure) -> acpi_bus_trim ->
 * acpi_memory_device_remove -> __remove_memory.
 */
#include "acpi.h"
#include "../lib/alloc.h"
#include "../kernel/kernel.h"
#include "../mm/memory_hotplug.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

struct acpi_memory_device {
	int slot;
	uint64_t start, length;
	int mgid;
	bool enabled;		/* the range was added (or was present) */
	/* physical_node_list: the bound memory blocks, in bind order */
	unsigned long first_block, nr_blocks;
	bool *put_online;	/* per bound block: offlined by the eject in progress */
};

static int bind_memory_block(struct kernel *k, struct memory_block *mem, void *arg)
{
	mem->acpi_slot = *(int *)arg;
	return 0;
}

static int unbind_memory_block(struct kernel *k, struct memory_block *mem, void *arg)
{
	mem->acpi_slot = -1;
	return 0;
}

/*
 * acpi_memory_device_add() when acpi_memory_enable_device() failed: its
 * error, and on a device check (not the boot-time scan) the scan's
 * "Enumeration failure" as the device got no handler (acpi_scan_device_check())
 */
static void enable_device_failed(struct kernel *k, int slot)
{
	klog(k, "acpi PNP0C80:%02x: acpi_memory_enable_device() error", slot);
	if (k->booted)
		klog(k, "acpi PNP0C80:%02x: Enumeration failure", slot);
}

static int memory_device_add(struct kernel *k, int slot, uint64_t start, uint64_t size, int pxm)
{
	ftrace_func_as(k, "acpi_memory_device_add");
	if (slot < 0 || slot >= (int)(sizeof(k->acpi_mem) / sizeof(k->acpi_mem[0])) || k->acpi_mem[slot])
		return -EINVAL;
	/* acpi_get_node(): _PXM through the SRAT's mapping (a new id for an unknown domain) */
	int nid = k->boot.nr_nodes > 0 ? acpi_map_pxm_to_node(k, pxm) : 0;
	if (nid < 0 || nid >= MAX_NUMNODES || !node_state(k, nid, N_POSSIBLE))
		nid = 0;
	lock_device_hotplug(k);
	struct acpi_memory_device *dev = mh_calloc(1, sizeof(*dev));
	if (!dev) {
		unlock_device_hotplug(k);
		return -ENOMEM;
	}
	dev->slot = slot;
	dev->start = start;
	dev->length = size;
	/* one put_online flag per physical node (memory block), as acpi_bind_one() allocates them */
	dev->nr_blocks = size / k->block_size;
	dev->put_online = mh_calloc(dev->nr_blocks ? dev->nr_blocks : 1, sizeof(bool));
	if (!dev->put_online) {
		free(dev);
		unlock_device_hotplug(k);
		return -ENOMEM;
	}
	dev->mgid = memory_group_register_static(k, nid, (size + PAGE_SIZE - 1) >> PAGE_SHIFT);
	if (dev->mgid < 0) {
		int rc = dev->mgid;
		free(dev->put_online);
		free(dev);
		enable_device_failed(k, slot);
		unlock_device_hotplug(k);
		return rc;
	}
	mhp_t flags = MHP_NID_IS_MGID;
	if (mhp_supports_memmap_on_memory(k, size))
		flags |= MHP_MEMMAP_ON_MEMORY;
	int rc = __add_memory(k, dev->mgid, start, size, flags);
	if (!rc || rc == -EEXIST) {
		walk_memory_blocks(k, start, size, &slot, bind_memory_block);
		dev->enabled = true;
		dev->first_block = start / k->block_size;
		rc = 0;
	} else {
		klog(k, "acpi PNP0C80:%02x: add_memory failed", slot);
		memory_group_unregister(k, dev->mgid);
		dev->mgid = -1;
		enable_device_failed(k, slot);
	}
	/* the device stays known to ACPI even if no memory could be added */
	k->acpi_mem[slot] = dev;
	unlock_device_hotplug(k);
	return rc ? -EINVAL : 0;
}

/*
 * At boot, acpi_scan_init() -> acpi_bus_scan(); later, the device-check
 * notification's work: acpi_hotplug_work_fn -> acpi_device_hotplug ->
 * acpi_bus_scan (acpi_scan_device_check is inlined).
 */
int acpi_memory_device_add(struct kernel *k, int slot, uint64_t start, uint64_t size, int pxm)
{
	if (!k->booted) {
		ftrace_func_as(k, "acpi_bus_scan");
		return memory_device_add(k, slot, start, size, pxm);
	}
	ftrace_func_as(k, "acpi_hotplug_work_fn");
	ftrace_func_as(k, "acpi_device_hotplug");
	ftrace_func_as(k, "acpi_bus_scan");
	return memory_device_add(k, slot, start, size, pxm);
}

/*
 * The ACPI namespace objects under a QEMU memory device MPxx (_HID, _UID, _STA,
 * _CRS, _PXM, _OST, _EJ0): acpi_scan_try_to_offline() walks them with
 * acpi_walk_namespace() calling acpi_bus_offline()/acpi_bus_online() on each,
 * which returns at once (they have no struct acpi_device).
 */
#define ACPI_MEMORY_DEVICE_CHILDREN 7

static void acpi_walk_children(struct kernel *k, const char *fn)
{
	for (int i = 0; i < ACPI_MEMORY_DEVICE_CHILDREN; i++)
		ftrace_leaf(k, fn);
}

/* One pass of acpi_bus_offline() over the device's physical nodes, after its children. */
static bool acpi_bus_offline(struct kernel *k, struct acpi_memory_device *dev, bool second_pass)
{
	acpi_walk_children(k, "acpi_bus_offline");
	ftrace_func_as(k, "acpi_bus_offline");
	bool failed = false;
	for (unsigned long i = 0; i < dev->nr_blocks; i++) {
		struct memory_block *mem = find_memory_block_by_id(k, dev->first_block + i);
		if (!mem)
			continue;
		if (second_pass) {
			if (dev->put_online[i])
				continue;
		} else {
			dev->put_online[i] = false;
		}
		int rc = device_offline(k, mem);
		if (rc >= 0) {
			dev->put_online[i] = !rc;
		} else {
			failed = true;
			if (second_pass)
				break;
		}
	}
	return failed;
}

/*
 * acpi_bus_online(): re-online with device_online(), i.e. the default online
 * type - a block that was in ZONE_MOVABLE may come back in ZONE_NORMAL.
 */
static void acpi_bus_online(struct kernel *k, struct acpi_memory_device *dev)
{
	{
		ftrace_func(k);
		for (unsigned long i = 0; i < dev->nr_blocks; i++) {
			struct memory_block *mem = find_memory_block_by_id(k, dev->first_block + i);
			if (mem && dev->put_online[i]) {
				device_online(k, mem);
				dev->put_online[i] = false;
			}
		}
	}
	/* acpi_scan_try_to_offline()'s rollback: the device first, then its children */
	acpi_walk_children(k, "acpi_bus_online");
}

int acpi_memory_device_eject(struct kernel *k, int slot, int *ost)
{
	*ost = ACPI_OST_FAILURE;
	if (slot < 0 || slot >= (int)(sizeof(k->acpi_mem) / sizeof(k->acpi_mem[0])))
		return -ENODEV;
	/* acpi_scan_hot_remove, acpi_scan_try_to_offline and acpi_bus_trim are inlined */
	ftrace_func_as(k, "acpi_hotplug_work_fn");
	ftrace_func_as(k, "acpi_device_hotplug");
	lock_device_hotplug(k);
	struct acpi_memory_device *dev = k->acpi_mem[slot];
	if (dev && dev->enabled && acpi_bus_offline(k, dev, false) &&
	    acpi_bus_offline(k, dev, true)) {
		acpi_bus_online(k, dev);
		unlock_device_hotplug(k);
		*ost = ACPI_OST_EJECT_DEVICE_BUSY;
		return -EBUSY;
	}
	if (dev) {
		if (dev->enabled) {
			ftrace_func_as(k, "acpi_memory_device_remove");
			walk_memory_blocks(k, dev->start, dev->length, NULL, unbind_memory_block);
			__remove_memory(k, dev->start, dev->length);
		}
		if (dev->mgid >= 0)
			memory_group_unregister(k, dev->mgid);
		free(dev->put_online);
		free(dev);
		k->acpi_mem[slot] = NULL;
	}
	unlock_device_hotplug(k);
	*ost = ACPI_OST_SUCCESS;
	return 0;
}

void acpi_memory_devices_free(struct kernel *k)
{
	for (size_t i = 0; i < sizeof(k->acpi_mem) / sizeof(k->acpi_mem[0]); i++) {
		if (!k->acpi_mem[i])
			continue;
		free(k->acpi_mem[i]->put_online);
		free(k->acpi_mem[i]);
		k->acpi_mem[i] = NULL;
	}
}
