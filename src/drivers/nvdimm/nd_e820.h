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
#define ND_MAX_BUSES	2	/* nd_e820's and the nfit driver's */

enum nd_claim { ND_CLAIM_NONE, ND_CLAIM_PFN, ND_CLAIM_BTT, ND_CLAIM_DAX };	/* ndctl's fsdax (map dev), sector, devdax */
enum dax_driver { DAX_DRV_NONE, DAX_DRV_DEVICE_DAX, DAX_DRV_KMEM };
/* nd_pfn's mode: where the memmap lives (pfn_devs.c: "none", "ram", "pmem") */
enum nd_pfn_mode { PFN_MODE_NONE, PFN_MODE_RAM, PFN_MODE_PMEM };

/*
 * What ndctl writes into a pfn, btt or dax device before nd_pmem or
 * dax_pmem probes it (pfn_devs.c, btt_devs.c): uuid ("" while unset), align
 * (0: the seed's default, nd_pfn_default_alignment()), mode, and the btt's
 * lbasize (0 until set).
 */
struct nd_claim_cfg {
	char uuid[37];
	unsigned long align;
	enum nd_pfn_mode mode;
	unsigned long lbasize;
};

/*
 * A device-dax instance (struct dev_dax): daxR.N on the dax bus, R the nd
 * region (alloc_dax_region()'s id), N the id __dax_pmem_probe() gives it.
 */
struct dev_dax {
	int region, id;
	char name[32];			/* "daxR.N" */
	int minor;			/* its char device 252:minor (dax_minor_ida: the lowest free) */
	uint64_t start, size;		/* the range after the info block */
	unsigned long align;
	int target_node;
	enum dax_driver driver;
	bool id_kmem, id_device_dax;	/* new_id entries naming this device */
	struct resource *kmem_res;	/* "daxR.N", the block-aligned part, parent of System RAM (kmem) */
	int mgid;
	struct resource *dax_res;	/* "daxR.N" over the whole range while device_dax holds it */
	struct dev_pm_info power, mapping_power;	/* daxR.N/power, daxR.N/mapping0/power */
};

/*
 * The claim on one namespace (claim.c's ndns->claim and the claiming
 * device's state): namespaceR.0's lives in the region (its fields are the
 * region's claim fields, below), a labelled namespaceR.N's in its
 * nd_namespace_pmem. ND_NS_CLAIM_FIELDS declares them once for both.
 */
#define ND_NS_CLAIM_FIELDS \
	enum nd_claim claim;		/* who holds the namespace */ \
	int claim_id;			/* the claiming device: pfnR.N, bttR.N or daxR.N (N), -1 without a claim */ \
	bool claim_idle;		/* the claiming device has no driver bound (unbound, or its probe failed): it keeps the namespace */ \
	enum nd_claim claim_class;	/* the namespace's holder_class as written: only ndctl sets and clears it */ \
	enum nd_pfn_mode pfn_mode;	/* the claim's pfn/dax mode */ \
	unsigned long lbasize;		/* the btt claim's sector size */ \
	bool force_raw;			/* force_raw: nd_pmem ignores the info block on the media (nd_media.c) */ \
	char uuid[37];			/* the claim's (or, namespaceR.0, the dax seed's) uuid */ \
	unsigned long align;		/* the claim's (or the dax seed's) align */ \
	uint64_t data_offset;		/* pfn/dax: the info block's reservation (nd_pfn_init) */ \
	uint64_t claim_size;		/* pfn/btt: the block device's size */ \
	struct resource *ns_res;	/* "namespaceR.N" in iomem: all of it (nd_pmem, R.0), or dax's info block */ \
	struct dev_dax *dax;		/* the dax bus device, once dax_pmem is bound */ \
	/* the new_id entries naming daxR.N while no such device exists: the drivers' id lists */ \
	/* (dax_bus.c's do_id_store) outlive it, the next daxR.N (disable/enable-region) matches */ \
	bool dax_id_kmem, dax_id_device_dax;

struct nd_ns_claim {
	ND_NS_CLAIM_FIELDS
};

/*
 * A labelled pmem namespace (namespace_devs.c's nd_namespace_pmem and its
 * label in the DIMM's label area): namespaceR.N of a region with valid labels.
 */
struct nd_namespace_pmem {
	uint64_t dpa, size;		/* its extent in the DIMM; size 0: idle (the seed, or destroyed) */
	char uuid[37];			/* "" until set */
	char alt_name[64];		/* NSLABEL_NAME_LEN, with its NUL */
	unsigned lbasize;		/* sector_size: 0 until set, 512 or 4096 */
	bool present;			/* the device namespaceR.N exists (ids are an ida's: there can be gaps) */
	bool bound;			/* N > 0: nd_pmem holds it raw (pmemR.N); N = 0 is the region's ns_bound */
	struct resource *res;		/* N > 0: "namespaceR.N" in iomem while bound */
	int minor;			/* N > 0: pmemR.N's blkext minor (259:minor) while bound */
	struct nd_ns_claim cl;		/* N > 0: its claim (R.0's is the region's) */
};

struct nd_e820_region {
	uint64_t start, size;
	int target_node;
	int seed[4];			/* by enum nd_claim: the id of the pfn, btt and dax seeds */
	bool ns_bound;			/* the raw namespace bound to nd_pmem (pmemR) */
	int disk_minor;			/* the blkext minor (259:N) of pmemR or the claim's pmemR/pmemRs, while it exists */
	enum nd_claim seed_ns;		/* the seed of this kind has namespaceR.<seed_ns_n> attached (namespace_store), unprobed */
	int seed_ns_n;
	struct nd_claim_cfg seed_cfg[4];	/* by enum nd_claim: the pfn, btt and dax seeds' configuration */
	/*
	 * namespaceR.0's claim: c0, or its fields by name (the code that knows
	 * only namespaceR.0 reads them so); nd_ns_claim() finds any namespace's.
	 */
	union {
		struct nd_ns_claim c0;
		struct { ND_NS_CLAIM_FIELDS };
	};
	/*
	 * An NFIT region (nfit.c): one NVDIMM's SPA range, its dimm nmemN.
	 * Without ND_REGION_PAGEMAP its free io namespace reads mode "raw".
	 */
	bool nfit;
	int bus;			/* the nvdimm bus it is on: ndbusB, an index into nd_e820_bus.provider */
	int nmem, slot;
	struct resource *spa_res;	/* "Persistent Memory" */
	/*
	 * Labels (nd_label.c): the DIMM has a label area (label-size=), its
	 * index is valid (ndctl init-labels: NDD_LABELING, the region's
	 * namespaces are then of type pmem). pmem_ns, by id: the namespaces
	 * while the region is enabled (those present, below nr_pmem_ns), the
	 * seed namespaceR.<pmem_ns_seed> among them; while it is disabled, the
	 * labels kept in the label area (those of size > 0).
	 */
	bool label_area, labels_valid;
	struct nd_namespace_pmem *pmem_ns;	/* ND_MAX_PMEM_NS of them once labels are valid */
	int nr_pmem_ns, pmem_ns_seed;
	bool disabled;			/* ndctl disable-region */
	bool dimm_disabled;		/* ndctl disable-dimm: nmemN without the nvdimm driver (no label data) */
};

struct nd_e820_bus {
	bool nd_e820, nd_pmem, dax_pmem, device_dax, kmem, nfit;	/* modules loaded */
	bool registered;			/* a bus exists */
	/*
	 * Each driver registers its own bus (nvdimm_bus_register()): ndbusB,
	 * /sys/class/nd/ndctlB and char device 246:B, B from one ida in the
	 * order the modules probe. provider[B]: "e820" or "ACPI.NFIT".
	 */
	const char *provider[ND_MAX_BUSES];
	int nr_buses;
	int nr_nmems;				/* NFIT dimms: nmem0 .. */
	int hw_error_scrub;			/* the nfit driver's scrub_mode: 0 off, 1 on (nfit/hw_error_scrub) */
	struct nd_e820_region region[ND_MAX_REGIONS];
	int nr_regions;
};

/* nvdimm_bus_register(): the new bus's id B (ndbusB), or -ENOSPC */
int nd_bus_register(struct nd_e820_bus *bus, const char *provider);
/* the id of the bus with this provider, -1 if none registered */
int nd_bus_find(const struct nd_e820_bus *bus, const char *provider);

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

/* the same claim with the configuration a pfn, btt or dax device was given through sysfs */
int nd_namespace_claim_cfg(struct kernel *k, int region, enum nd_claim kind, const struct nd_claim_cfg *cfg);
/* a seed has namespaceR.N attached, unprobed */
static inline bool nd_seed_has_ns(const struct nd_e820_region *reg, int n)
{
	return reg->seed_ns != ND_CLAIM_NONE && reg->seed_ns_n == n;
}
/*
 * nd_*_alloc() for a device that namespaceR.0's info block makes (not the
 * seed): the lowest id of the kind that neither the seed nor another
 * namespace's claim holds
 */
int nd_claim_free_id(struct nd_e820_region *reg, enum nd_claim kind);
/* the claim, release and driver remove of any namespace namespaceR.N (the _cfg and plain ones: N = 0) */
int nd_namespace_claim_ns(struct kernel *k, int region, int n, enum nd_claim kind, const struct nd_claim_cfg *cfg);
int nd_namespace_release_ns(struct kernel *k, int region, int n, bool rebind);
int nd_claim_driver_remove_ns(struct kernel *k, int region, int n);

/*
 * The sysfs ABI ndctl drives for the claiming devices pfnR.N, bttR.N and
 * daxR.N (nd_claim_devs.c: pfn_devs.c, btt_devs.c, claim.c's
 * nd_namespace_store, nd_pmem's and dax_pmem's bind and unbind).
 * kindR.n exists if it is the kind's seed or the device claiming the
 * namespace; get copies its configuration, configure replaces it (-EBUSY
 * while a driver holds it).
 */
bool nd_claim_dev_get(const struct nd_e820_region *reg, enum nd_claim kind, int n, struct nd_claim_cfg *cfg);
bool nd_claim_dev_bound(const struct nd_e820_region *reg, enum nd_claim kind, int n);
bool nd_claim_dev_holds(const struct nd_e820_region *reg, enum nd_claim kind, int n);
int nd_claim_dev_configure(struct kernel *k, int region, enum nd_claim kind, int n, const struct nd_claim_cfg *cfg);
/* namespace_store(): name is "" (detach) or a namespace of the region, without its newline */
int nd_claim_dev_set_namespace(struct kernel *k, int region, enum nd_claim kind, int n, const char *name);
/* the driver's probe (nd_pmem for pfn and btt, dax_pmem for dax) and remove */
int nd_claim_dev_bind(struct kernel *k, int region, enum nd_claim kind, int n);
int nd_claim_dev_unbind(struct kernel *k, int region, enum nd_claim kind, int n);
/* nd_pmem's bind/unbind of the raw namespaceR.0 */
int nd_pmem_set_bound(struct kernel *k, int region, bool bind);
/* the claiming device's driver lets go (nd_pmem_remove, dax_pmem's remove): the claim stays, idle */
int nd_claim_driver_remove(struct kernel *k, int region);

/* the dax bus (dax_bus.c): driver names "device_dax", "kmem" */
int dax_bus_bind(struct kernel *k, struct dev_dax *dd, enum dax_driver drv);
int dax_bus_unbind(struct kernel *k, struct dev_dax *dd);
int dax_bus_new_id(struct kernel *k, struct dev_dax *dd, enum dax_driver drv, bool add);
/* kmem (dax_kmem.c) */
int dev_dax_kmem_probe(struct kernel *k, struct dev_dax *dd, const char *name);
void dev_dax_kmem_remove(struct kernel *k, struct dev_dax *dd, const char *name);

void nd_e820_destroy(struct kernel *k);

/* nd_label.c: ndctl's disable-region, init-labels (-f: over a valid index), enable-region */
int nd_region_disable(struct kernel *k, int region);
int nd_region_enable(struct kernel *k, int region);
int nvdimm_init_labels(struct kernel *k, int nmem, bool force);
/* the region's namespace has capacity: a label-less io namespace, or one created in the labels */
bool nd_namespace_active(const struct nd_e820_region *reg);
/* nd_region_to_nstype(): ND_DEVICE_NAMESPACE_PMEM (5) with valid labels, else _IO (4) */
int nd_region_nstype(const struct nd_e820_region *reg);
uint64_t nd_region_align(const struct nd_e820_region *reg);
/* available_size_show(): what a new labelled namespace could take */
uint64_t nd_region_available(const struct nd_e820_region *reg);
/* the interleave-set cookie of a one-DIMM NFIT region (iset_id) */
uint64_t nd_region_iset_cookie(const struct nd_e820_region *reg);

/*
 * namespace_pmem.c: labelled pmem namespaces. ND_MAX_PMEM_NS bounds the
 * namespaces of a region, as the label slots do in Linux (about 500 in
 * QEMU's smallest label area, 128 KiB of 256-byte labels).
 */
#define ND_MAX_PMEM_NS	512
/* namespaceR.N of an enabled region with valid labels, else NULL */
struct nd_namespace_pmem *nd_pmem_ns(const struct nd_e820_region *reg, int n);
/* namespaceR.N's claim state: R.0's the region's, a labelled R.N's its own; NULL if there is no such namespace */
struct nd_ns_claim *nd_ns_claim(struct nd_e820_region *reg, int n);
/* some namespace of the region is claimed by a pfn, btt or dax device */
bool nd_region_claimed(const struct nd_e820_region *reg);
/* namespaceR.N's extent in the physical address space */
uint64_t nd_ns_start(const struct nd_e820_region *reg, int n);
uint64_t nd_ns_size(const struct nd_e820_region *reg, int n);
/* the dax bus device daxR.N (by its own id), NULL if none */
struct dev_dax *nd_dev_dax_find(struct kernel *k, int region, int id);
/* the namespace (its id) that the claiming device kindR.n holds, -1 if none */
int nd_claim_dev_ns(const struct nd_e820_region *reg, enum nd_claim kind, int n);
/* namespaceR.N exists: the io namespace R.0 without labels, a present pmem namespace with them */
bool nd_region_has_namespace(const struct nd_e820_region *reg, int n);
/* namespace ids of the region are below this */
int nd_region_nr_namespaces(const struct nd_e820_region *reg);
/* the namespace seed's id */
int nd_region_ns_seed(const struct nd_e820_region *reg);
/* namespaceR.0's extent: the whole region for an io namespace, its label's for a pmem one */
uint64_t nd_ns0_start(const struct nd_e820_region *reg);
uint64_t nd_ns0_size(const struct nd_e820_region *reg);
/* max_available_extent: the largest free extent of the DIMM */
uint64_t nd_region_max_extent(const struct nd_e820_region *reg);
/* init-labels (region disabled): an empty label area; enable: the namespaces from the labels, sorted by DPA */
int nd_pmem_labels_init(struct nd_e820_region *reg);
void nd_pmem_labels_scan(struct nd_e820_region *reg);
/*
 * size_store() of namespaceR.N: allocate (first fit in DPA order) or, with
 * 0, free its extent (a namespace neither R.0 nor the seed then goes);
 * uuid_store(), alt_name_store(), sector_size_store(). A namespace with a
 * driver is -EBUSY.
 */
int nd_pmem_ns_set_size(struct kernel *k, int region, int n, uint64_t size);
int nd_pmem_ns_set_uuid(struct kernel *k, int region, int n, const char *uuid);
int nd_pmem_ns_set_alt_name(struct kernel *k, int region, int n, const char *name);
int nd_pmem_ns_set_sector_size(struct kernel *k, int region, int n, unsigned lbasize);
/* blk_alloc_ext_minor(): the lowest blkext minor no pmem disk holds, for a disk made now */
int nd_blk_minor_alloc(struct kernel *k);
/* a driver (nd_pmem or a claim's) probed namespaceR.N: the seed, with a size, makes way for a new seed */
void nd_pmem_ns_probed(struct nd_e820_region *reg, int n);
/* nd_pmem's probe and remove of namespaceR.N, N > 0 (R.0 is nd_pmem_set_bound's) */
int nd_pmem_ns_bind(struct kernel *k, int region, int n, bool bind);
/* nd_pmem binds every sized namespace N > 0 of the region, detach unbinds them */
void nd_pmem_ns_attach_all(struct kernel *k, int region);
void nd_pmem_ns_detach_all(struct nd_e820_region *reg);
void nd_pmem_labels_free(struct nd_e820_region *reg);

/* nfit.c: the NFIT's regions on the bus (acpi_nfit_init()); nd_pmem_attach() binds their namespaces */
void acpi_nfit_register(struct kernel *k, struct nd_e820_bus *bus);
/* nd_pmem binds the free io namespaces of regions first .. first+n-1; detach: it unbinds one */
void nd_pmem_attach(struct kernel *k, int first, int n);
void nd_pmem_detach(struct nd_e820_region *reg);

#endif
