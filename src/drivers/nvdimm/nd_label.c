// SPDX-License-Identifier: MIT
/*
 * NVDIMM labels as Linux 6.1 uses them on QEMU's NVDIMM (drivers/nvdimm/
 * label.c, dimm_devs.c, namespace_devs.c, region_devs.c): QEMU zero-fills the
 * label area of label-size=, so until `ndctl init-labels` writes a valid
 * index the region behaves as a label-less one (an io namespace over the
 * whole region). With a valid index the DIMM is NDD_LABELING, the region's
 * namespaces are of type pmem (nstype 5), namespaceR.0 starts as a seed of
 * size 0; the namespaces of chosen sizes are namespace_pmem.c's.
 */
#include "nd_e820.h"
#include "../../kernel/kernel.h"

#include <errno.h>

#define SZ_16M	(16ULL << 20)

bool nd_namespace_active(const struct nd_e820_region *reg)
{
	return nd_ns0_size(reg) > 0;
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

/*
 * acpi_nfit_init_interleave_set(): the v1.1 cookie is nd_fletcher64() over
 * { region_offset (0), serial number, pad } of each mapping.
 */
uint64_t nd_region_iset_cookie(const struct nd_e820_region *reg)
{
	uint32_t w[4] = { 0, 0, 0x123456u + (uint32_t)reg->slot, 0 }, lo = 0;
	uint64_t hi = 0;
	for (int i = 0; i < 4; i++) {
		lo += w[i];
		hi += lo;
	}
	return hi << 32 | lo;
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
	if (nd_region_claimed(reg))
		return -EBUSY;
	nd_pmem_detach(reg);
	nd_pmem_ns_detach_all(reg);
	reg->disabled = true;
	return 0;
}

int nd_region_enable(struct kernel *k, int region)
{
	struct nd_e820_region *reg = region_of(k, region);
	if (!reg)
		return -ENODEV;
	if (reg->disabled) {	/* the region's devices come back with fresh ids: the seeds are the .0 ones again */
		nd_pmem_labels_scan(reg);
		reg->seed[ND_CLAIM_PFN] = reg->seed[ND_CLAIM_BTT] = reg->seed[ND_CLAIM_DAX] = 0;
	}
	reg->disabled = false;
	nd_pmem_attach(k, region, 1);
	return 0;
}

/* ndctl init-labels [-f]: a fresh index in both slots, all labels gone; the DIMM's regions must be disabled */
int nvdimm_init_labels(struct kernel *k, int nmem, bool force)
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
	if (reg->labels_valid && !force)
		return -EEXIST;		/* action_init(): a valid index stays without --force */
	int rc = nd_pmem_labels_init(reg);
	if (rc)
		return rc;
	reg->labels_valid = true;
	return 0;
}
