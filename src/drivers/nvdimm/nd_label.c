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
#include "../../acpi/nfit.h"
#include "../../kernel/kernel.h"

#include <errno.h>
#include <string.h>

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

/*
 * nd_region_remove(): child_unregister() deletes every device of the region
 * - the namespace (its driver, or the claiming device's, lets go first), the
 * claiming pfn/btt/dax device and the seeds - and the region forgets its
 * seeds. What the devices were configured with goes with them; the info
 * block stays on the media for the next probe (nd_region_enable).
 */
int nd_region_disable(struct kernel *k, int region)
{
	struct nd_e820_region *reg = region_of(k, region);
	if (!reg)
		return -ENODEV;
	if (reg->disabled)
		return 0;	/* ndctl_region_disable(): already disabled counts as done */
	/* every namespace's claim goes (a seed holding namespaceR.0 too); kmem memory that could not be removed refuses */
	for (int n = 0; n < nd_region_nr_namespaces(reg) || n == 0; n++) {
		const struct nd_ns_claim *c = nd_ns_claim(reg, n);
		if (!c || (c->claim == ND_CLAIM_NONE && (n || reg->seed_ns == ND_CLAIM_NONE)))
			continue;
		int rc = nd_namespace_release_ns(k, region, n, false);
		if (rc)
			return rc;
	}
	nd_pmem_detach(reg);
	nd_pmem_ns_detach_all(reg);
	memset(reg->seed_cfg, 0, sizeof(reg->seed_cfg));
	reg->force_raw = false;
	reg->claim_class = ND_CLAIM_NONE;
	reg->disabled = true;
	return 0;
}

/*
 * nd_region_probe(): the namespaces come back (from the labels when they
 * are valid) with new seeds, the .0 ones; nd_pmem's probe of the namespace
 * finds an info block on the media and a new pfn/btt/dax device claims it
 * (nd_media_probe), as after a reboot.
 */
int nd_region_enable(struct kernel *k, int region)
{
	struct nd_e820_region *reg = region_of(k, region);
	if (!reg)
		return -ENODEV;
	if (reg->disabled) {
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
