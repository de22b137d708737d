// SPDX-License-Identifier: MIT
/*
 * The dax bus (drivers/dax/bus.c), Linux 6.1: device_dax matches every dax
 * device (match_always), kmem only those named through its new_id; bind of a
 * device the driver does not match is -ENODEV, of a bound device -EBUSY.
 */
#include "../nvdimm/nd_e820.h"
#include "../../kernel/kernel.h"
#include "../../kernel/resource.h"

#include <errno.h>
#include <stdio.h>

/* daxR.N: the dax device of namespace R.N's dax claim (struct dev_dax keeps its region and id) */
struct dev_dax *nd_dev_dax_find(struct kernel *k, int region, int id)
{
	if (!k->nd || region < 0 || region >= k->nd->nr_regions || id < 0)
		return NULL;
	struct nd_e820_region *reg = &k->nd->region[region];
	for (int n = 0; n < nd_region_nr_namespaces(reg) || n == 0; n++) {
		struct nd_ns_claim *c = nd_ns_claim(reg, n);
		if (c && c->dax && c->dax->id == id)
			return c->dax;
	}
	return NULL;
}

static bool driver_loaded(struct kernel *k, enum dax_driver drv)
{
	return drv == DAX_DRV_KMEM ? k->nd->kmem : k->nd->device_dax;
}

/* dax_bus_match(): an id in the driver's list, or device_dax's match_always */
static bool dax_bus_match(const struct dev_dax *dd, enum dax_driver drv)
{
	if (drv == DAX_DRV_KMEM)
		return dd->id_kmem;
	return true;
}

int dax_bus_bind(struct kernel *k, struct dev_dax *dd, enum dax_driver drv)
{
	if (!dd || !driver_loaded(k, drv))
		return -ENODEV;
	if (dd->driver != DAX_DRV_NONE)
		return -EBUSY;
	if (!dax_bus_match(dd, drv))
		return -ENODEV;
	const char *name = dd->name;
	if (drv == DAX_DRV_KMEM) {
		int rc = dev_dax_kmem_probe(k, dd, name);
		if (rc)
			return rc;
	} else {
		/* dev_dax_probe(): the whole range is requested under the device's name */
		dd->dax_res = request_mem_region(&k->iomem_resource, dd->start, dd->size, name,
						 IORESOURCE_MEM | IORESOURCE_BUSY);
		if (!dd->dax_res) {
			klog(k, "dax_pmem %s: could not reserve region [%#llx-%#llx]", name,
			     (unsigned long long)dd->start, (unsigned long long)(dd->start + dd->size - 1));
			return -EBUSY;
		}
	}
	dd->driver = drv;
	return 0;
}

int dax_bus_unbind(struct kernel *k, struct dev_dax *dd)
{
	if (!dd || dd->driver == DAX_DRV_NONE)
		return -ENODEV;
	if (dd->driver == DAX_DRV_KMEM) {
		dev_dax_kmem_remove(k, dd, dd->name);
	} else if (dd->dax_res) {
		release_resource_free(dd->dax_res);
		dd->dax_res = NULL;
	}
	dd->driver = DAX_DRV_NONE;
	return 0;
}

/* do_id_store(): add or remove the id; adding attaches the driver to a free device it now matches */
int dax_bus_new_id(struct kernel *k, struct dev_dax *dd, enum dax_driver drv, bool add)
{
	if (!dd)
		return -EINVAL;
	bool *id = drv == DAX_DRV_KMEM ? &dd->id_kmem : &dd->id_device_dax;
	*id = add;
	if (add && dd->driver == DAX_DRV_NONE)
		(void)dax_bus_bind(k, dd, drv);
	return 0;
}
