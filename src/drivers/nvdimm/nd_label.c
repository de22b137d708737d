// SPDX-License-Identifier: MIT
/*
 * NVDIMM labels as Linux 6.1 uses them on QEMU's NVDIMM (drivers/nvdimm/
 * label.c, dimm_devs.c, namespace_devs.c, region_devs.c): QEMU zero-fills the
 * label area of label-size=, so until `ndctl init-labels` writes a valid
 * index the region behaves as a label-less one (an io namespace over the
 * whole region). With a valid index the DIMM is NDD_LABELING, the region's
 * namespaces are of type pmem (nstype 5), namespaceR.0 starts as a seed of
 * size 0 and `ndctl create-namespace -r regionR` gives it the region's
 * capacity and a label; the region's next seed is namespaceR.1. Only whole-
 * region namespaces are modelled, which is what create-namespace makes by
 * default on a one-DIMM region.
 */
#include "nd_e820.h"
#include "../../acpi/nfit.h"
#include "../../kernel/kernel.h"

#include <errno.h>

#define SZ_16M	(16ULL << 20)

bool nd_namespace_active(const struct nd_e820_region *reg)
{
	return !reg->labels_valid || reg->ns_labelled;
}

int nd_region_nstype(const struct nd_e820_region *reg)
{
	return reg->labels_valid ? 5 : 4;
}

/* default_align(): 16 MiB (MEMREMAP_COMPAT_ALIGN_MAX) unless the region is smaller */
uint64_t nd_region_align(const struct nd_e820_region *reg)
{
	return reg->size < SZ_16M ? 4096 : SZ_16M;
}

uint64_t nd_region_available(const struct nd_e820_region *reg)
{
	/* nd_region_available_dpa(): no label data (no label area, or nd_e820's no mapping): nothing to allocate */
	if (!reg->label_area || reg->ns_labelled)
		return 0;
	return reg->size / nd_region_align(reg) * nd_region_align(reg);
}

/* acpi_nfit_init_interleave_set(): the labels ndctl writes are v1.1, whose cookie is cookie1 */
uint64_t nd_region_iset_cookie(const struct nd_e820_region *reg)
{
	return nfit_iset_cookie1(reg->slot);
}

static struct nd_e820_region *region_of(struct kernel *k, int region)
{
	if (!k->nd || !k->nd->registered || region < 0 || region >= k->nd->nr_regions)
		return NULL;
	return &k->nd->region[region];
}

/* nd_region_remove(): its namespace's driver lets go first; a dax device keeps it busy here */
int nd_region_disable(struct kernel *k, int region)
{
	struct nd_e820_region *reg = region_of(k, region);
	if (!reg)
		return -ENODEV;
	if (reg->claim != ND_CLAIM_NONE)
		return -EBUSY;
	nd_pmem_detach(reg);
	reg->disabled = true;
	return 0;
}

int nd_region_enable(struct kernel *k, int region)
{
	struct nd_e820_region *reg = region_of(k, region);
	if (!reg)
		return -ENODEV;
	reg->disabled = false;
	nd_pmem_attach(k, region, 1);
	return 0;
}

/* ndctl init-labels: a fresh index in both slots; the DIMM's regions must be disabled */
int nvdimm_init_labels(struct kernel *k, int nmem)
{
	struct nd_e820_region *reg = NULL;
	for (int r = 0; k->nd && r < k->nd->nr_regions; r++)
		if (k->nd->region[r].nfit && k->nd->region[r].nmem == nmem)
			reg = &k->nd->region[r];
	if (!reg)
		return -ENODEV;
	if (!reg->label_area)
		return -ENOTTY;		/* no label commands: the DIMM has no label area */
	if (!reg->disabled)
		return -EBUSY;
	reg->labels_valid = true;
	reg->ns_labelled = false;
	return 0;
}

/* create-namespace -r: the seed takes the whole available capacity, then becomes the next seed's */
int nd_namespace_create_labelled(struct kernel *k, int region)
{
	struct nd_e820_region *reg = region_of(k, region);
	if (!reg)
		return -ENODEV;
	if (!reg->labels_valid || reg->disabled)
		return -ENXIO;
	if (reg->ns_labelled)
		return -ENOSPC;
	if (nd_region_available(reg) != reg->size)
		return -EINVAL;		/* a namespace smaller than the region is not modelled */
	reg->ns_labelled = true;
	return 0;
}
