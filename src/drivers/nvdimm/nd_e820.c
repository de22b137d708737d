// SPDX-License-Identifier: MIT
/*
 * nd_e820, libnvdimm's region and namespace devices, nd_pmem and dax_pmem
 * (drivers/nvdimm/e820.c, region_devs.c, namespace_devs.c, pfn_devs.c,
 * drivers/dax/pmem.c), Linux 6.1, for the legacy PMEM of memmap=nn!ss.
 *
 * Each "Persistent Memory (legacy)" range becomes regionR with the io
 * namespace namespaceR.0 and the seeds bttR.0, pfnR.0, daxR.0. Reconfiguring
 * the namespace to devdax claims it with the dax seed; binding that seed to
 * dax_pmem writes the info block, whose reservation (nd_pfn_init: 8 KiB plus
 * 64 bytes of struct page per pfn, rounded up to the alignment) is requested
 * in iomem under the namespace's name, and creates the dax bus device over the
 * rest. Only the state that sysfs, /proc/iomem and the tools observe is kept.
 */
#include "nd_e820.h"
#include "../../kernel/kernel.h"
#include "../../kernel/resource.h"
#include "../../lib/alloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SZ_8K		8192ULL
#define SZ_2M		(2ULL << 20)
#define MAX_STRUCT_PAGE_SIZE 64ULL

static const char *const nd_modules[] = { "nd_e820", "nd_pmem", "dax_pmem", "device_dax", "kmem", "nfit" };

bool nd_is_module(const char *name)
{
	for (size_t i = 0; i < sizeof(nd_modules) / sizeof(nd_modules[0]); i++)
		if (!strcmp(nd_modules[i], name))
			return true;
	return false;
}

static bool *module_flag(struct nd_e820_bus *bus, const char *name)
{
	if (!strcmp(name, "nd_e820"))
		return &bus->nd_e820;
	if (!strcmp(name, "nd_pmem"))
		return &bus->nd_pmem;
	if (!strcmp(name, "dax_pmem"))
		return &bus->dax_pmem;
	if (!strcmp(name, "device_dax"))
		return &bus->device_dax;
	if (!strcmp(name, "kmem"))
		return &bus->kmem;
	if (!strcmp(name, "nfit"))
		return &bus->nfit;
	return NULL;
}

bool nd_module_loaded(struct kernel *k, const char *name)
{
	bool *f = k->nd ? module_flag(k->nd, name) : NULL;
	return f && *f;
}

/* phys_to_target_node(): the SRAT node of boot memory holding addr, else 0 */
static int target_node_of(struct kernel *k, uint64_t addr)
{
	for (int i = 0; i < k->boot.nr_memblk; i++) {
		const struct numa_memblk *b = &k->boot.memblk[i];
		if (addr >= b->start && addr < b->end)
			return b->nid;
	}
	return 0;
}

/* e820_pmem_probe(): one region per "Persistent Memory (legacy)" resource */
static void nd_e820_register(struct kernel *k, struct nd_e820_bus *bus)
{
	if (!bus->registered)
		bus->provider = "e820";
	bus->registered = true;
	for (struct resource *r = k->iomem_resource.child; r; r = r->sibling) {
		if (strcmp(r->name, "Persistent Memory (legacy)") || bus->nr_regions >= ND_MAX_REGIONS)
			continue;
		struct nd_e820_region *reg = &bus->region[bus->nr_regions++];
		memset(reg, 0, sizeof(*reg));
		reg->start = r->start;
		reg->size = r->end - r->start + 1;
		reg->target_node = target_node_of(k, r->start);
		reg->dax_seeds = 1;
		reg->align = SZ_2M;
	}
}

/*
 * nd_pmem binds every unclaimed io namespace: pmem_attach_disk() requests
 * the namespace's range under its name, below the region's resource.
 */
void nd_pmem_attach(struct kernel *k, struct nd_e820_bus *bus)
{
	if (!bus->nd_pmem)
		return;
	for (int i = 0; i < bus->nr_regions; i++) {
		struct nd_e820_region *reg = &bus->region[i];
		if (reg->claim != ND_CLAIM_NONE || reg->ns_bound || reg->disabled || !nd_namespace_active(reg))
			continue;
		char name[32];
		snprintf(name, sizeof(name), "namespace%d.0", i);
		reg->pmem_res = request_mem_region(&k->iomem_resource, reg->start, reg->size, name,
						   IORESOURCE_MEM | IORESOURCE_BUSY);
		reg->ns_bound = true;
	}
}

/* nd_pmem lets go of the namespace (a claim by the dax seed unbinds it) */
void nd_pmem_detach(struct nd_e820_region *reg)
{
	if (reg->pmem_res)
		release_resource_free(reg->pmem_res);
	reg->pmem_res = NULL;
	reg->ns_bound = false;
}

int nd_modprobe(struct kernel *k, const char *name)
{
	if (!nd_is_module(name))
		return -ENOENT;
	if (!k->nd) {
		k->nd = mh_calloc(1, sizeof(*k->nd));
		if (!k->nd)
			return -ENOMEM;
	}
	struct nd_e820_bus *bus = k->nd;
	bool *f = module_flag(bus, name);
	if (*f)
		return 0;
	/* module dependencies: nd_e820, nd_pmem and dax_pmem pull in libnvdimm; kmem and device_dax the dax core */
	*f = true;
	if (!strcmp(name, "nd_e820"))
		nd_e820_register(k, bus);
	if (!strcmp(name, "nfit"))
		acpi_nfit_register(k, bus);
	nd_pmem_attach(k, bus);
	if (!strcmp(name, "device_dax"))
		for (int i = 0; i < bus->nr_regions; i++)
			if (bus->region[i].dax && bus->region[i].dax->driver == DAX_DRV_NONE)
				dax_bus_bind(k, i, DAX_DRV_DEVICE_DAX);
	return 0;
}

/* nd_pfn_init() for PFN_MODE_PMEM: the info block and the memmap of every pfn, aligned */
static uint64_t info_block_offset(uint64_t start, uint64_t size, unsigned long align)
{
	uint64_t npfns = (size - SZ_8K) >> 12;
	uint64_t a = align > SZ_2M ? align : SZ_2M;	/* max(align, memremap_compat_align()) */
	uint64_t end = start + SZ_8K + MAX_STRUCT_PAGE_SIZE * npfns;
	return (end + a - 1) / a * a - start;
}

int nd_namespace_to_devdax(struct kernel *k, int region, const char *uuid, unsigned long align)
{
	struct nd_e820_bus *bus = k->nd;
	if (!bus || region < 0 || region >= bus->nr_regions)
		return -ENODEV;
	struct nd_e820_region *reg = &bus->region[region];
	if (reg->claim == ND_CLAIM_DAX)
		return -EBUSY;
	if (!bus->dax_pmem)
		return -ENXIO;	/* the seed has no driver to bind: ndctl reports the failed enable */
	uint64_t a = align ? align : SZ_2M;
	uint64_t off = info_block_offset(reg->start, reg->size, (unsigned long)a);
	uint64_t end_trunc = (reg->start + reg->size) - (reg->start + reg->size) / a * a;
	if (off >= reg->size - end_trunc) {
		klog(k, "nd_pmem pfn%d.0: namespace%d.0 unable to satisfy requested alignment", region, region);
		return -ENXIO;
	}
	struct dev_dax *dd = mh_calloc(1, sizeof(*dd));
	if (!dd)
		return -ENOMEM;
	nd_pmem_detach(reg);
	char name[32];
	snprintf(name, sizeof(name), "namespace%d.0", region);
	/* __dax_pmem_probe(): the info block area is requested under the namespace's name */
	reg->ns_res = request_mem_region(&k->iomem_resource, reg->start, off, name, IORESOURCE_MEM | IORESOURCE_BUSY);
	if (!reg->ns_res) {
		free(dd);
		return -EBUSY;
	}
	reg->ns_bound = false;
	reg->claim = ND_CLAIM_DAX;
	reg->data_offset = off;
	reg->align = (unsigned long)a;
	snprintf(reg->uuid, sizeof(reg->uuid), "%s", uuid);
	dd->start = reg->start + off;
	dd->size = reg->size - off - end_trunc;
	dd->align = (unsigned long)a;
	dd->target_node = reg->target_node;
	dd->mgid = -1;
	reg->dax = dd;
	reg->dax_seeds++;	/* nd_region's dax_seed moves on to a fresh daxR.N */
	if (bus->device_dax)
		dax_bus_bind(k, region, DAX_DRV_DEVICE_DAX);
	return 0;
}

int nd_namespace_to_fsdax(struct kernel *k, int region)
{
	struct nd_e820_bus *bus = k->nd;
	if (!bus || region < 0 || region >= bus->nr_regions)
		return -ENODEV;
	struct nd_e820_region *reg = &bus->region[region];
	if (reg->dax) {
		if (reg->dax->driver != DAX_DRV_NONE) {
			int rc = dax_bus_unbind(k, region);
			if (rc)
				return rc;
		}
		if (reg->dax->kmem_res)	/* memory kmem could not remove stays until reboot */
			return -EBUSY;
		free(reg->dax);
		reg->dax = NULL;
	}
	if (reg->ns_res) {
		release_resource_free(reg->ns_res);
		reg->ns_res = NULL;
	}
	reg->claim = ND_CLAIM_NONE;
	reg->data_offset = 0;
	reg->uuid[0] = '\0';
	nd_pmem_attach(k, bus);
	return 0;
}

void nd_e820_destroy(struct kernel *k)
{
	if (!k->nd)
		return;
	for (int i = 0; i < k->nd->nr_regions; i++)
		free(k->nd->region[i].dax);
	free(k->nd);
	k->nd = NULL;
}
