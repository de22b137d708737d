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
#include "nd_media.h"
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

int nd_bus_register(struct nd_e820_bus *bus, const char *provider)
{
	if (bus->nr_buses >= ND_MAX_BUSES)
		return -ENOSPC;
	bus->provider[bus->nr_buses] = provider;
	bus->registered = true;
	return bus->nr_buses++;
}

int nd_bus_find(const struct nd_e820_bus *bus, const char *provider)
{
	for (int b = 0; b < bus->nr_buses; b++)
		if (!strcmp(bus->provider[b], provider))
			return b;
	return -1;
}

/*
 * e820_pmem_probe(): one region per "Persistent Memory (legacy)" resource on
 * its own bus; without such a range there is no e820_pmem device to probe.
 */
static void nd_e820_register(struct kernel *k, struct nd_e820_bus *bus)
{
	int b = -1;
	for (struct resource *r = k->iomem_resource.child; r; r = r->sibling) {
		if (strcmp(r->name, "Persistent Memory (legacy)") || bus->nr_regions >= ND_MAX_REGIONS)
			continue;
		if (b < 0 && (b = nd_bus_register(bus, "e820")) < 0)
			return;
		struct nd_e820_region *reg = &bus->region[bus->nr_regions++];
		memset(reg, 0, sizeof(*reg));
		reg->start = r->start;
		reg->size = r->end - r->start + 1;
		reg->target_node = target_node_of(k, r->start);
		reg->claim_id = -1;
		reg->align = SZ_2M;
		reg->bus = b;
	}
}

static void claim_res_release(struct nd_ns_claim *c)
{
	if (c->ns_res) {
		release_resource_free(c->ns_res);
		c->ns_res = NULL;
	}
}

static void ns_res_release(struct nd_e820_region *reg)
{
	claim_res_release(&reg->c0);
}

/* pmem_attach_disk() and devm_nsio_enable(): the driver requests namespaceR.N's first len bytes under its name */
static int claim_res_request(struct kernel *k, int region, int n, uint64_t len)
{
	struct nd_e820_region *reg = &k->nd->region[region];
	struct nd_ns_claim *c = nd_ns_claim(reg, n);
	char name[32];
	snprintf(name, sizeof(name), "namespace%d.%d", region, n);
	claim_res_release(c);
	c->ns_res = request_mem_region(&k->iomem_resource, nd_ns_start(reg, n), len, name, IORESOURCE_MEM | IORESOURCE_BUSY);
	return c->ns_res ? 0 : -EBUSY;
}

static int ns_res_request(struct kernel *k, int region, uint64_t len)
{
	return claim_res_request(k, region, 0, len);
}

/* nd_pmem binds the unclaimed, enabled io namespaces of regions first..first+n-1 (pmem_attach_disk) */
void nd_pmem_attach(struct kernel *k, int first, int n)
{
	struct nd_e820_bus *bus = k->nd;
	if (!bus->nd_pmem)
		return;
	for (int i = first; i < first + n && i < bus->nr_regions; i++) {
		struct nd_e820_region *reg = &bus->region[i];
		if (reg->claim != ND_CLAIM_NONE || nd_seed_has_ns(reg, 0) || reg->ns_bound || reg->disabled ||
		    !nd_namespace_active(reg))
			continue;
		if (nd_media_probe(k, i))
			continue;	/* an info block on the media: its device claimed the namespace */
		if (!ns_res_request(k, i, nd_ns0_size(reg))) {
			reg->disk_minor = nd_blk_minor_alloc(k);
			reg->ns_bound = true;
			nd_pmem_ns_probed(reg, 0);
		}
	}
	for (int i = first; i < first + n && i < bus->nr_regions; i++)
		nd_pmem_ns_attach_all(k, i);
}

/* nd_pmem lets go of the namespace (disable-region unbinds it) */
void nd_pmem_detach(struct nd_e820_region *reg)
{
	if (!reg->ns_bound)
		return;
	ns_res_release(reg);
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
	int first = bus->nr_regions;
	if (!strcmp(name, "nd_e820"))
		nd_e820_register(k, bus);
	if (!strcmp(name, "nfit"))
		acpi_nfit_register(k, bus);
	/* nd_pmem probes the new regions' namespaces, or, as it loads, every one left unbound */
	if (!strcmp(name, "nd_pmem"))
		nd_pmem_attach(k, 0, bus->nr_regions);
	else
		nd_pmem_attach(k, first, bus->nr_regions - first);
	if (!strcmp(name, "device_dax"))
		for (int i = 0; i < bus->nr_regions; i++)
			for (int n = 0; n < nd_region_nr_namespaces(&bus->region[i]) || n == 0; n++) {
				struct nd_ns_claim *c = nd_ns_claim(&bus->region[i], n);
				if (c && c->dax && c->dax->driver == DAX_DRV_NONE)
					dax_bus_bind(k, c->dax, DAX_DRV_DEVICE_DAX);
			}
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

/* btt_init(): the disk's size, sectors of 512 bytes, or 4096 from a 4 KiB lbasize on */
static uint64_t btt_size(uint64_t rawsize, uint64_t lbasize)
{
	return nd_btt_external_nlba(rawsize, lbasize) * (lbasize >= 4096 ? 4096 : 512);
}

static struct nd_e820_region *nd_region(struct kernel *k, int region)
{
	return k->nd && k->nd->registered && region >= 0 && region < k->nd->nr_regions ? &k->nd->region[region] : NULL;
}

static bool dax_minor_taken(struct kernel *k, int minor)
{
	for (int r = 0; r < k->nd->nr_regions; r++) {
		struct nd_e820_region *reg = &k->nd->region[r];
		for (int n = 0; n < nd_region_nr_namespaces(reg) || n == 0; n++) {
			const struct nd_ns_claim *c = nd_ns_claim(reg, n);
			if (c && c->dax && c->dax->minor == minor)
				return true;
		}
	}
	return false;
}

/*
 * The dax claim: dax_pmem's info block in iomem under the namespace's name,
 * and the dax bus device, which __dax_pmem_probe() names after the
 * namespace: daxR.N for namespaceR.N.
 */
static int claim_dax(struct kernel *k, int region, int n, uint64_t off, uint64_t end_trunc)
{
	struct nd_e820_region *reg = &k->nd->region[region];
	struct nd_ns_claim *c = nd_ns_claim(reg, n);
	struct dev_dax *dd = mh_calloc(1, sizeof(*dd));
	if (!dd)
		return -ENOMEM;
	int rc = claim_res_request(k, region, n, off);
	if (rc) {
		free(dd);
		return rc;
	}
	dd->region = region;
	dd->id = n;
	while (dax_minor_taken(k, dd->minor))	/* dax_cdev's ida: the lowest free minor */
		dd->minor++;
	snprintf(dd->name, sizeof(dd->name), "dax%d.%d", region, n);
	dd->start = nd_ns_start(reg, n) + off;
	dd->size = nd_ns_size(reg, n) - off - end_trunc;
	dd->align = c->align;
	dd->target_node = reg->target_node;
	dd->mgid = -1;
	dd->id_kmem = c->dax_id_kmem;
	dd->id_device_dax = c->dax_id_device_dax;
	c->dax = dd;
	return 0;
}

/* nd_pfn_init(): where the data starts; 0 with *end_trunc set, or -ENXIO/-EINVAL as the probe fails */
static int pfn_layout(struct kernel *k, const struct nd_e820_region *reg, int ns, enum nd_claim kind, int id,
		      const struct nd_claim_cfg *cfg, uint64_t *off, uint64_t *end_trunc)
{
	uint64_t a = cfg->align ? cfg->align : SZ_2M;
	uint64_t start = nd_ns_start(reg, ns), size = nd_ns_size(reg, ns), end = start + size;
	int r = (int)(reg - k->nd->region);
	/* dev_err() of the probed device: its driver's name, then its own */
	const char *drv = kind == ND_CLAIM_DAX ? "dax_pmem" : "nd_pmem", *dev = kind == ND_CLAIM_DAX ? "dax" : "pfn";
	if (a < SZ_2M)
		a = SZ_2M;	/* max(align, memremap_compat_align()) */
	if (start % SZ_2M) {
		klog(k, "%s %s%d.%d: namespace%d.%d: start 0x%016llx misaligned to %#llx", drv, dev, r, id, r, ns,
		     (unsigned long long)start, SZ_2M);
		return -EINVAL;
	}
	*end_trunc = end - end / a * a;
	if (cfg->mode == PFN_MODE_PMEM)
		*off = info_block_offset(start, size, (unsigned long)a);
	else if (cfg->mode == PFN_MODE_RAM)
		*off = (start + SZ_8K + a - 1) / a * a - start;
	else
		return -ENXIO;
	if (*off >= size - *end_trunc) {
		klog(k, "%s %s%d.%d: namespace%d.%d unable to satisfy requested alignment", drv, dev, r, id, r, ns);
		return -ENXIO;
	}
	return 0;
}

int nd_namespace_claim(struct kernel *k, int region, enum nd_claim kind, const char *uuid, unsigned long align)
{
	struct nd_claim_cfg cfg = { .align = align, .mode = PFN_MODE_PMEM, .lbasize = 4096 };
	snprintf(cfg.uuid, sizeof(cfg.uuid), "%s", uuid);
	return nd_namespace_claim_cfg(k, region, kind, &cfg);
}

/* a claim of the kind in the region holds device id (namespaceR.N's claim for any N) */
static bool claim_id_used(struct nd_e820_region *reg, enum nd_claim kind, int id)
{
	for (int n = 0; n < nd_region_nr_namespaces(reg) || n == 0; n++) {
		const struct nd_ns_claim *c = nd_ns_claim(reg, n);
		if (c && c->claim == kind && c->claim_id == id)
			return true;
	}
	return false;
}

int nd_claim_free_id(struct nd_e820_region *reg, enum nd_claim kind)
{
	int id = 0;
	for (;; id++) {
		bool used = id == reg->seed[kind];
		for (int n = 1; !used && n < nd_region_nr_namespaces(reg); n++) {
			const struct nd_ns_claim *c = nd_ns_claim(reg, n);
			used = c && c->claim == kind && c->claim_id == id;
		}
		if (!used)
			return id;
	}
}

/* nd_region_advance_seeds(): a fresh seed takes the lowest id the region's ida of that kind has free */
static void advance_seed(struct nd_e820_region *reg, enum nd_claim kind)
{
	int id = 0;
	while (claim_id_used(reg, kind, id))
		id++;
	reg->seed[kind] = id;
	memset(&reg->seed_cfg[kind], 0, sizeof(reg->seed_cfg[kind]));
}

/* nd_pmem lets go of namespaceR.N before a claiming device takes it (ndctl disables the namespace first) */
static void raw_unbind(struct kernel *k, struct nd_e820_region *reg, int region, int n)
{
	if (n == 0 && reg->ns_bound) {
		ns_res_release(reg);
		reg->ns_bound = false;
	} else if (n > 0 && reg->pmem_ns[n].bound) {
		nd_pmem_ns_bind(k, region, n, false);
	}
}

/*
 * The claim: the seed of the kind is probed and the region's seed moves on
 * (nd_region_advance_seeds), or a claiming device whose driver was unbound
 * is probed again under its own name. Each namespace of a labelled region
 * has its own claim.
 */
int nd_namespace_claim_ns(struct kernel *k, int region, int n, enum nd_claim kind, const struct nd_claim_cfg *cfg)
{
	struct nd_e820_region *reg = nd_region(k, region);
	struct nd_ns_claim *c = reg ? nd_ns_claim(reg, n) : NULL;
	if (!c)
		return -ENODEV;
	bool again = c->claim == kind && c->claim_idle;
	if ((c->claim != ND_CLAIM_NONE && !again) || kind == ND_CLAIM_NONE)
		return -EBUSY;
	if (reg->disabled || !nd_ns_size(reg, n))
		return -ENXIO;	/* a disabled region, or a labelled one's seed without capacity: nothing to probe */
	if (kind == ND_CLAIM_DAX ? !k->nd->dax_pmem : !k->nd->nd_pmem)
		return -ENXIO;	/* the seed has no driver to bind: ndctl reports the failed enable */
	int id = again ? c->claim_id : reg->seed[kind];
	uint64_t off = 0, end_trunc = 0, size = nd_ns_size(reg, n);
	if (kind != ND_CLAIM_BTT) {
		int rc = pfn_layout(k, reg, n, kind, id, cfg, &off, &end_trunc);
		if (rc)
			return rc;
	}
	raw_unbind(k, reg, region, n);
	if (kind != ND_CLAIM_BTT)
		c->align = cfg->align ? cfg->align : SZ_2M;
	int rc = kind == ND_CLAIM_DAX ? claim_dax(k, region, n, off, end_trunc) : claim_res_request(k, region, n, size);
	if (rc)
		return rc;
	if (kind != ND_CLAIM_DAX) {	/* pfn and btt make the disk pmemR[.N], pmemR[.N]s */
		int minor = nd_blk_minor_alloc(k);
		if (n == 0)
			reg->disk_minor = minor;
		else
			reg->pmem_ns[n].minor = minor;
	}
	c->claim = kind;
	c->claim_id = id;
	c->claim_idle = false;
	if (!again)
		advance_seed(reg, kind);
	if (nd_seed_has_ns(reg, n))
		reg->seed_ns = ND_CLAIM_NONE;
	c->data_offset = off;
	c->pfn_mode = kind == ND_CLAIM_BTT ? PFN_MODE_NONE : cfg->mode;
	c->lbasize = kind == ND_CLAIM_BTT ? cfg->lbasize : 0;
	c->claim_size = kind == ND_CLAIM_BTT ? btt_size(size, cfg->lbasize) : size - off - end_trunc;
	snprintf(c->uuid, sizeof(c->uuid), "%s", cfg->uuid);
	if (n == 0)	/* the media model reads namespaceR.0's range (nd_media.c) */
		nd_media_write_info(k, region);
	nd_pmem_ns_probed(reg, n);
	/* device_add() -> bus probe: kmem takes a device its new_id names, else device_dax (match_always) */
	if (kind == ND_CLAIM_DAX && k->nd->kmem && c->dax->id_kmem)
		dax_bus_bind(k, c->dax, DAX_DRV_KMEM);
	else if (kind == ND_CLAIM_DAX && k->nd->device_dax)
		dax_bus_bind(k, c->dax, DAX_DRV_DEVICE_DAX);
	return 0;
}

int nd_namespace_claim_cfg(struct kernel *k, int region, enum nd_claim kind, const struct nd_claim_cfg *cfg)
{
	return nd_namespace_claim_ns(k, region, 0, kind, cfg);
}

/* dax_pmem's remove: the dax bus device and the info block's reservation go, the claim stays */
static int dax_pmem_remove(struct kernel *k, struct nd_ns_claim *c)
{
	if (c->dax) {
		if (c->dax->driver != DAX_DRV_NONE) {
			int rc = dax_bus_unbind(k, c->dax);
			if (rc)
				return rc;
		}
		if (c->dax->kmem_res)	/* memory kmem could not remove stays until reboot */
			return -EBUSY;
		c->dax_id_kmem = c->dax->id_kmem;
		c->dax_id_device_dax = c->dax->id_device_dax;
		free(c->dax);
		c->dax = NULL;
	}
	claim_res_release(c);
	return 0;
}

/* the claiming device's driver lets go (nd_pmem_remove, dax_pmem's remove): the claim stays */
int nd_claim_driver_remove_ns(struct kernel *k, int region, int n)
{
	struct nd_e820_region *reg = nd_region(k, region);
	struct nd_ns_claim *c = reg ? nd_ns_claim(reg, n) : NULL;
	if (!c || c->claim == ND_CLAIM_NONE || c->claim_idle)
		return -ENODEV;
	int rc = dax_pmem_remove(k, c);
	if (rc)
		return rc;
	c->claim_idle = true;
	return 0;
}

int nd_claim_driver_remove(struct kernel *k, int region)
{
	return nd_claim_driver_remove_ns(k, region, 0);
}

int nd_namespace_release_ns(struct kernel *k, int region, int n, bool rebind)
{
	struct nd_e820_region *reg = nd_region(k, region);
	struct nd_ns_claim *c = reg ? nd_ns_claim(reg, n) : NULL;
	if (!c)
		return -ENODEV;
	int rc = dax_pmem_remove(k, c);
	if (rc)
		return rc;
	if (n == 0)
		reg->ns_bound = false;
	if (nd_seed_has_ns(reg, n))
		reg->seed_ns = ND_CLAIM_NONE;
	c->claim = ND_CLAIM_NONE;
	c->claim_id = -1;
	c->claim_idle = false;
	c->pfn_mode = PFN_MODE_NONE;
	c->lbasize = 0;
	c->data_offset = 0;
	c->claim_size = 0;
	c->uuid[0] = '\0';
	c->align = SZ_2M;	/* a fresh seed's default (nd_pfn_default_alignment) */
	if (n > 0) {
		if (rebind && k->nd->nd_pmem)
			nd_pmem_ns_bind(k, region, n, true);
		return 0;
	}
	if (rebind && k->nd->nd_pmem && !nd_media_probe(k, region) && !ns_res_request(k, region, nd_ns0_size(reg))) {
		reg->disk_minor = nd_blk_minor_alloc(k);
		reg->ns_bound = true;
	}
	return 0;
}

int nd_namespace_release(struct kernel *k, int region, bool rebind)
{
	return nd_namespace_release_ns(k, region, 0, rebind);
}


/* nd_pmem's bind/unbind of namespaceR.0 (a namespace claimed by dax is not nd_pmem's) */
int nd_pmem_set_bound(struct kernel *k, int region, bool bind)
{
	struct nd_e820_region *reg = nd_region(k, region);
	if (!reg || !k->nd->nd_pmem || reg->ns_bound == bind)
		return -ENODEV;
	if (bind && (reg->claim != ND_CLAIM_NONE || nd_seed_has_ns(reg, 0) || !nd_namespace_active(reg)))
		return -ENXIO;	/* nd_pmem_probe(): a claimed namespace, or a seed without capacity, is not the raw disk's */
	if (bind && nd_media_probe(k, region))
		return -ENXIO;	/* ... nor one whose media holds an info block */
	if (bind && ns_res_request(k, region, nd_ns0_size(reg)))
		return -EBUSY;
	if (!bind)
		ns_res_release(reg);
	else
		reg->disk_minor = nd_blk_minor_alloc(k);
	reg->ns_bound = bind;
	if (bind)
		nd_pmem_ns_probed(reg, 0);
	return 0;
}

void nd_e820_destroy(struct kernel *k)
{
	if (!k->nd)
		return;
	for (int i = 0; i < k->nd->nr_regions; i++) {
		struct nd_e820_region *reg = &k->nd->region[i];
		free(reg->dax);
		for (int n = 1; reg->pmem_ns && n < reg->nr_pmem_ns; n++)
			free(reg->pmem_ns[n].cl.dax);
		nd_pmem_labels_free(reg);
	}
	free(k->nd);
	k->nd = NULL;
}
