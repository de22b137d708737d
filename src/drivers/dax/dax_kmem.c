// SPDX-License-Identifier: MIT
/*
 * kmem (drivers/dax/kmem.c, Linux 6.1): a dax device becomes driver-managed
 * System RAM. Only whole memory blocks are added (dax_kmem_range): the range
 * is requested in iomem under the device's name and marked System RAM but
 * not busy, so that add_memory_driver_managed() can nest "System RAM (kmem)"
 * in it, all in one static memory group of the target node. The kernel's
 * auto-online policy applies as to any added memory. Removal is
 * remove_memory(): memory still online stays until reboot, as in 6.1.
 */
#include "../nvdimm/nd_e820.h"
#include "../../kernel/kernel.h"
#include "../../kernel/resource.h"
#include "../../mm/memory_hotplug.h"

#include <errno.h>
#include <stdlib.h>

int dev_dax_kmem_probe(struct kernel *k, struct dev_dax *dd, const char *name)
{
	if (dd->target_node < 0) {
		klog(k, "kmem %s: rejecting DAX region with invalid node: %d", name, dd->target_node);
		return -EINVAL;
	}
	uint64_t mbs = memory_block_size_bytes(k);
	uint64_t start = (dd->start + mbs - 1) / mbs * mbs;
	uint64_t end = (dd->start + dd->size) / mbs * mbs;	/* exclusive */
	if (start >= end) {
		klog(k, "kmem %s: rejecting DAX region without any memory after alignment", name);
		return -EINVAL;
	}
	int mgid = memory_group_register_static(k, dd->target_node, (unsigned long)((end - start) >> PAGE_SHIFT));
	if (mgid < 0)
		return mgid;
	struct resource *res = request_mem_region(&k->iomem_resource, start, end - start, name,
						  IORESOURCE_MEM | IORESOURCE_BUSY);
	if (!res) {
		klog(k, "kmem %s: mapping0: %#llx-%#llx could not reserve region", name,
		     (unsigned long long)start, (unsigned long long)(end - 1));
		memory_group_unregister(k, mgid);
		return -EBUSY;
	}
	/* Not busy: add_memory_driver_managed() nests its resource inside */
	res->flags = IORESOURCE_SYSTEM_RAM;
	int rc = add_memory_driver_managed(k, mgid, start, end - start, "System RAM (kmem)", MHP_NID_IS_MGID);
	if (rc) {
		klog(k, "kmem %s: mapping0: %#llx-%#llx memory add failed", name,
		     (unsigned long long)start, (unsigned long long)(end - 1));
		release_resource_free(res);
		memory_group_unregister(k, mgid);
		return rc;
	}
	dd->kmem_res = res;
	dd->mgid = mgid;
	return 0;
}

void dev_dax_kmem_remove(struct kernel *k, struct dev_dax *dd, const char *name)
{
	if (!dd->kmem_res)
		return;
	uint64_t start = dd->kmem_res->start, end = dd->kmem_res->end;
	int rc = remove_memory(k, start, end - start + 1);
	if (rc) {
		klog(k, "kmem %s: mapping0: %#llx-%#llx cannot be hotremoved until the next reboot", name,
		     (unsigned long long)start, (unsigned long long)end);
		return;
	}
	release_resource_free(dd->kmem_res);
	dd->kmem_res = NULL;
	memory_group_unregister(k, dd->mgid);
	dd->mgid = -1;
}
