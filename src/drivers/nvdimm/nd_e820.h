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

struct kernel;
struct resource;

#define ND_MAX_REGIONS	264	/* an NFIT NVDIMM per DIMM slot (256) and the legacy ranges */

enum nd_claim { ND_CLAIM_NONE, ND_CLAIM_DAX };
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
};

struct nd_e820_region {
	uint64_t start, size;
	int target_node;
	enum nd_claim claim;		/* who holds namespaceR.0 */
	bool ns_bound;			/* namespaceR.0 bound to nd_pmem (pmemR) */
	char uuid[37];			/* the dax seed's uuid */
	unsigned long align;		/* the dax seed's align */
	uint64_t data_offset;		/* the info block's reservation (nd_pfn_init) */
	struct resource *ns_res;	/* "namespaceR.0": the reservation in iomem */
	struct dev_dax *dax;		/* the dax bus device, once dax_pmem is bound */
	int dax_seeds;			/* nd dax devices: daxR.0 .. daxR.(n-1) */
	struct resource *pmem_res;	/* "namespaceR.0" over the region while nd_pmem holds it */
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
};

struct nd_e820_bus {
	bool nd_e820, nd_pmem, dax_pmem, device_dax, kmem, nfit;	/* modules loaded */
	bool registered;			/* ndbus0 exists */
	const char *provider;			/* the bus's provider: "e820" or "ACPI.NFIT" (the first to load) */
	int nr_nmems;				/* NFIT dimms: nmem0 .. */
	struct nd_e820_region region[ND_MAX_REGIONS];
	int nr_regions;
};

/* modprobe NAME: 0, -ENOENT (not one of these modules), or -errno */
int nd_modprobe(struct kernel *k, const char *name);
bool nd_is_module(const char *name);
bool nd_module_loaded(struct kernel *k, const char *name);

/* ndctl create-namespace -e namespaceR.0 -m devdax: reconfigure through the dax seed */
int nd_namespace_to_devdax(struct kernel *k, int region, const char *uuid, unsigned long align);
/* ... -m fsdax (back to the raw namespace with nd_pmem) */
int nd_namespace_to_fsdax(struct kernel *k, int region);

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
/* available_size_show(): what a new labelled namespace could take */
uint64_t nd_region_available(const struct nd_e820_region *reg);
/* the interleave-set cookie of a one-DIMM NFIT region (iset_id) */
uint64_t nd_region_iset_cookie(const struct nd_e820_region *reg);

/* nfit.c: the NFIT's regions on the bus (acpi_nfit_init()); nd_pmem_attach() binds their namespaces */
void acpi_nfit_register(struct kernel *k, struct nd_e820_bus *bus);
void nd_pmem_attach(struct kernel *k, struct nd_e820_bus *bus);
void nd_pmem_detach(struct nd_e820_region *reg);

#endif
