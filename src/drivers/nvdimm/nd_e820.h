/* SPDX-License-Identifier: MIT */
/*
 * Legacy persistent memory as Linux 6.1 drives it: nd_e820 (an nvdimm bus
 * over the e820 type-12 ranges), libnvdimm's regions, io namespaces and
 * their btt/pfn/dax seeds, nd_pmem, dax_pmem (the devdax info block), the
 * dax bus (drivers/dax/bus.c) with device_dax and kmem (drivers/dax/kmem.c).
 */
#ifndef MEMHP_DRIVERS_NVDIMM_ND_E820_H
#define MEMHP_DRIVERS_NVDIMM_ND_E820_H

#include <stdbool.h>
#include <stdint.h>

#include "../../base/power.h"

struct kernel;
struct resource;

#define ND_MAX_REGIONS	264	/* an NFIT NVDIMM per DIMM slot (256) and the legacy ranges */

enum nd_claim { ND_CLAIM_NONE, ND_CLAIM_PFN, ND_CLAIM_BTT, ND_CLAIM_DAX };	/* ndctl's fsdax (map dev), sector, devdax */
enum dax_driver { DAX_DRV_NONE, DAX_DRV_DEVICE_DAX, DAX_DRV_KMEM };

/* a device-dax instance (struct dev_dax): daxR.0 on the dax bus */
struct dev_dax {
	uint64_t start, size;		/* the range after the info block */
	unsigned long align;
	int target_node;
	enum dax_driver driver;
	bool id_kmem, id_device_dax;	/* new_id entries naming this device */
	struct resource *kmem_res;	/* "daxR.0", the block-aligned part, parent of System RAM (kmem) */
	int mgid;
	struct resource *dax_res;	/* "daxR.0" over the whole range while device_dax holds it */
	struct dev_pm_info power, mapping_power;	/* daxR.0/power, daxR.0/mapping0/power */
};

struct nd_e820_region {
	uint64_t start, size;
	int target_node;
	enum nd_claim claim;		/* who holds namespaceR.0 */
	int claim_id;			/* the claiming device: pfnR.N, bttR.N or daxR.N (N), -1 without a claim */
	int seed[4];			/* by enum nd_claim: the id of the pfn, btt and dax seeds */
	bool ns_bound;			/* the raw namespace bound to nd_pmem (pmemR) */
	bool seed_ns;			/* namespaceR.0 written to the dax seed's namespace attribute */
	bool seed_pmem;			/* the dax seed's mode: "pmem" (the memmap in the device), else "none" */
	bool force_raw;			/* namespaceR.0/force_raw: nd_pmem ignores info blocks (memhp keeps none on a raw namespace) */
	char uuid[37];			/* the claim's (or the dax seed's) uuid */
	unsigned long align;		/* the claim's (or the dax seed's) align */
	uint64_t data_offset;		/* pfn/dax: the info block's reservation (nd_pfn_init) */
	uint64_t claim_size;		/* pfn/btt: the block device's size */
	struct resource *ns_res;	/* "namespaceR.0" in iomem: all of it (nd_pmem), or dax's info block */
	struct dev_dax *dax;		/* the dax bus device, once dax_pmem is bound */
	/*
	 * An NFIT region (nfit.c): one NVDIMM's SPA range, its dimm nmemN.
	 * Without ND_REGION_PAGEMAP its free io namespace reads mode "raw".
	 */
	bool nfit;
	int nmem, slot;
	struct resource *spa_res;	/* "Persistent Memory" */
	/*
	 * Labels (nd_label.c): the DIMM has a label area (label-size=), its
	 * index is valid (ndctl init-labels: NDD_LABELING, the region's
	 * namespaces are then of type pmem), namespaceR.0 was created in it.
	 */
	bool label_area, labels_valid, ns_labelled;
	bool disabled;			/* ndctl disable-region */
	bool dimm_disabled;		/* ndctl disable-dimm: nmemN without the nvdimm driver (no label data) */
};

struct nd_e820_bus {
	bool nd_e820, nd_pmem, dax_pmem, device_dax, kmem, nfit;	/* modules loaded */
	bool registered;			/* ndbus0 exists */
	const char *provider;			/* the bus's provider: "e820" or "ACPI.NFIT" (the first to load) */
	int nr_nmems;				/* NFIT dimms: nmem0 .. */
	int hw_error_scrub;			/* the nfit driver's scrub_mode: 0 off, 1 on (nfit/hw_error_scrub) */
	struct nd_e820_region region[ND_MAX_REGIONS];
	int nr_regions;
};

/* modprobe NAME: 0, -ENOENT (not one of these modules), or -errno */
int nd_modprobe(struct kernel *k, const char *name);
bool nd_is_module(const char *name);
bool nd_module_loaded(struct kernel *k, const char *name);

/*
 * ndctl create-namespace -e namespaceR.0 -m devdax|fsdax|sector: claim the
 * namespace with the kind's seed (nd_namespace_attach + the driver's probe),
 * which moves on to a fresh seed. dax needs dax_pmem, pfn and btt nd_pmem.
 */
int nd_namespace_claim(struct kernel *k, int region, enum nd_claim kind, const char *uuid, unsigned long align);
/* undo a claim (the claiming device goes away); rebind: nd_pmem takes the raw namespace again */
int nd_namespace_release(struct kernel *k, int region, bool rebind);
/* ndctl destroy-namespace of an io namespace: release the claim, leave the namespace disabled */
static inline int nd_namespace_disable(struct kernel *k, int region) { return nd_namespace_release(k, region, false); }

/*
 * The sysfs ABI ndctl drives (nd_namespace_store, bind/unbind of nd_pmem and
 * dax_pmem): attach the namespace to the dax seed, unbind or bind nd_pmem,
 * and bind dax_pmem to the seed, which writes the info block.
 */
int nd_dax_seed_set_namespace(struct kernel *k, int region, bool attach);
int nd_pmem_set_bound(struct kernel *k, int region, bool bind);
int nd_dax_pmem_bind(struct kernel *k, int region);
/* unbind dax_pmem: the dax device goes, daxR.N keeps its claim on the namespace */
int nd_dax_pmem_unbind(struct kernel *k, int region);

/* the dax bus (dax_bus.c): driver names "device_dax", "kmem" */
int dax_bus_bind(struct kernel *k, int region, enum dax_driver drv);
int dax_bus_unbind(struct kernel *k, int region);
int dax_bus_new_id(struct kernel *k, int region, enum dax_driver drv, bool add);
/* kmem (dax_kmem.c) */
int dev_dax_kmem_probe(struct kernel *k, struct dev_dax *dd, const char *name);
void dev_dax_kmem_remove(struct kernel *k, struct dev_dax *dd, const char *name);

void nd_e820_destroy(struct kernel *k);

/* nd_label.c: ndctl's disable-region, init-labels, enable-region, create-namespace -r */
int nd_region_disable(struct kernel *k, int region);
int nd_region_enable(struct kernel *k, int region);
int nvdimm_init_labels(struct kernel *k, int nmem);
int nd_namespace_create_labelled(struct kernel *k, int region);
/* the region's namespace has capacity: a label-less io namespace, or one created in the labels */
bool nd_namespace_active(const struct nd_e820_region *reg);
/* nd_region_to_nstype(): ND_DEVICE_NAMESPACE_PMEM (5) with valid labels, else _IO (4) */
int nd_region_nstype(const struct nd_e820_region *reg);
uint64_t nd_region_align(const struct nd_e820_region *reg);
/* available_size_show(): what a new labelled namespace could take */
uint64_t nd_region_available(const struct nd_e820_region *reg);
/* the interleave-set cookie of a one-DIMM NFIT region (iset_id) */
uint64_t nd_region_iset_cookie(const struct nd_e820_region *reg);

/* nfit.c: the NFIT's regions on the bus (acpi_nfit_init()); nd_pmem_attach() binds their namespaces */
void acpi_nfit_register(struct kernel *k, struct nd_e820_bus *bus);
/* nd_pmem binds the free io namespaces of regions first .. first+n-1; detach: it unbinds one */
void nd_pmem_attach(struct kernel *k, int first, int n);
void nd_pmem_detach(struct nd_e820_region *reg);

#endif
