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

static void ns_res_release(struct nd_e820_region *reg)
{
	if (reg->ns_res) {
		release_resource_free(reg->ns_res);
		reg->ns_res = NULL;
	}
}

/* pmem_attach_disk() and devm_nsio_enable(): nd_pmem requests the whole namespace under its name */
static int ns_res_request(struct kernel *k, int region, uint64_t len)
{
	struct nd_e820_region *reg = &k->nd->region[region];
	char name[32];
	snprintf(name, sizeof(name), "namespace%d.0", region);
	ns_res_release(reg);
	reg->ns_res = request_mem_region(&k->iomem_resource, nd_ns0_start(reg), len, name, IORESOURCE_MEM | IORESOURCE_BUSY);
	return reg->ns_res ? 0 : -EBUSY;
}

/* nd_pmem binds the unclaimed, enabled io namespaces of regions first..first+n-1 (pmem_attach_disk) */
void nd_pmem_attach(struct kernel *k, int first, int n)
{
	struct nd_e820_bus *bus = k->nd;
	if (!bus->nd_pmem)
		return;
	for (int i = first; i < first + n && i < bus->nr_regions; i++) {
		struct nd_e820_region *reg = &bus->region[i];
		if (reg->claim != ND_CLAIM_NONE || reg->ns_bound || reg->disabled || !nd_namespace_active(reg))
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

/* btt_meta_size arithmetic (drivers/nvdimm/btt.c alloc_arena), one arena, 4 KiB sectors */
#define BTT_PG_SIZE		4096ULL
#define BTT_NFREE		256ULL		/* ND_MAX_LANES */
#define BTT_LOG_GRP_SIZE	64ULL
#define BTT_MAP_ENT_SIZE	4ULL
#define BTT_INITIAL_OFFSET	4096ULL		/* the namespace's first page stays the info block's */
static uint64_t btt_size(uint64_t rawsize, uint64_t lbasize)
{
	uint64_t avail = rawsize - BTT_INITIAL_OFFSET;
	avail -= avail % BTT_PG_SIZE;
	avail -= 2 * BTT_PG_SIZE;			/* the info block and its copy */
	avail -= (BTT_NFREE * BTT_LOG_GRP_SIZE + BTT_PG_SIZE - 1) / BTT_PG_SIZE * BTT_PG_SIZE;	/* the log */
	uint64_t internal_nlba = (avail - BTT_PG_SIZE) / (lbasize + BTT_MAP_ENT_SIZE);
	return (internal_nlba - BTT_NFREE) * lbasize;
}

static struct nd_e820_region *nd_region(struct kernel *k, int region)
{
	return k->nd && k->nd->registered && region >= 0 && region < k->nd->nr_regions ? &k->nd->region[region] : NULL;
}

/* the dax claim: dax_pmem's info block in iomem under the namespace's name, and the dax bus device */
static int claim_dax(struct kernel *k, int region, uint64_t off, uint64_t end_trunc)
{
	struct nd_e820_region *reg = &k->nd->region[region];
	struct dev_dax *dd = mh_calloc(1, sizeof(*dd));
	if (!dd)
		return -ENOMEM;
	int rc = ns_res_request(k, region, off);
	if (rc) {
		free(dd);
		return rc;
	}
	dd->start = nd_ns0_start(reg) + off;
	dd->size = nd_ns0_size(reg) - off - end_trunc;
	dd->align = reg->align;
	dd->target_node = reg->target_node;
	dd->mgid = -1;
	reg->dax = dd;
	return 0;
}

int nd_namespace_claim(struct kernel *k, int region, enum nd_claim kind, const char *uuid, unsigned long align)
{
	struct nd_e820_region *reg = nd_region(k, region);
	if (!reg)
		return -ENODEV;
	if (reg->claim != ND_CLAIM_NONE || kind == ND_CLAIM_NONE)
		return -EBUSY;
	if (reg->disabled || !nd_namespace_active(reg))
		return -ENXIO;	/* a disabled region, or a labelled one's seed without capacity: nothing to probe */
	if (kind == ND_CLAIM_DAX ? !k->nd->dax_pmem : !k->nd->nd_pmem)
		return -ENXIO;	/* the seed has no driver to bind: ndctl reports the failed enable */
	uint64_t a = kind == ND_CLAIM_BTT ? 0 : align ? align : SZ_2M;
	uint64_t off = 0, end_trunc = 0;
	if (kind != ND_CLAIM_BTT) {
		uint64_t start = nd_ns0_start(reg), size = nd_ns0_size(reg);
		off = info_block_offset(start, size, (unsigned long)a);
		end_trunc = (start + size) - (start + size) / a * a;
		if (off >= size - end_trunc) {
			klog(k, "nd_pmem %s%d.%d: namespace%d.0 unable to satisfy requested alignment",
			     kind == ND_CLAIM_DAX ? "dax" : "pfn", region, reg->seed[kind], region);
			return -ENXIO;
		}
	}
	if (reg->ns_bound) {		/* ndctl disables the namespace first */
		ns_res_release(reg);
		reg->ns_bound = false;
	}
	if (kind != ND_CLAIM_BTT)
		reg->align = (unsigned long)a;
	int rc = kind == ND_CLAIM_DAX ? claim_dax(k, region, off, end_trunc) : ns_res_request(k, region, nd_ns0_size(reg));
	if (rc)
		return rc;
	if (kind != ND_CLAIM_DAX)	/* pfn and btt make the disk pmemR, pmemRs */
		reg->disk_minor = nd_blk_minor_alloc(k);
	reg->claim = kind;
	/*
	 * nd_region_advance_seeds(): a fresh seed takes the lowest id the
	 * region's ida of that kind has free; the claim is the only other one
	 */
	reg->claim_id = reg->seed[kind];
	reg->seed[kind] = reg->claim_id == 0 ? 1 : 0;
	reg->seed_ns = false;
	reg->seed_pmem = false;	/* the fresh seed's mode is "none" */
	reg->data_offset = off;
	reg->claim_size = kind == ND_CLAIM_BTT ? btt_size(nd_ns0_size(reg), 4096) : nd_ns0_size(reg) - off - end_trunc;
	snprintf(reg->uuid, sizeof(reg->uuid), "%s", uuid);
	nd_media_write_info(k, region);
	nd_pmem_ns_probed(reg, 0);
	if (kind == ND_CLAIM_DAX && k->nd->device_dax)
		dax_bus_bind(k, region, DAX_DRV_DEVICE_DAX);
	return 0;
}

/* dax_pmem's remove: the dax bus device and the info block's reservation go, the claim stays */
static int dax_pmem_remove(struct kernel *k, struct nd_e820_region *reg, int region)
{
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
	ns_res_release(reg);
	return 0;
}

int nd_dax_pmem_unbind(struct kernel *k, int region)
{
	struct nd_e820_region *reg = nd_region(k, region);
	if (!reg || reg->claim != ND_CLAIM_DAX || !reg->dax)
		return -ENODEV;
	return dax_pmem_remove(k, reg, region);
}

int nd_namespace_release(struct kernel *k, int region, bool rebind)
{
	struct nd_e820_region *reg = nd_region(k, region);
	if (!reg)
		return -ENODEV;
	int rc = dax_pmem_remove(k, reg, region);
	if (rc)
		return rc;
	reg->ns_bound = false;
	reg->seed_ns = false;
	reg->claim = ND_CLAIM_NONE;
	reg->claim_id = -1;
	reg->data_offset = 0;
	reg->claim_size = 0;
	reg->uuid[0] = '\0';
	reg->align = SZ_2M;	/* a fresh seed's default (nd_pfn_default_alignment) */
	if (rebind && k->nd->nd_pmem && !nd_media_probe(k, region) && !ns_res_request(k, region, nd_ns0_size(reg))) {
		reg->disk_minor = nd_blk_minor_alloc(k);
		reg->ns_bound = true;
	}
	return 0;
}


/* namespace_store() of an nd_pfn/nd_dax: a namespace another device claims is busy (nd_pmem's binding is not a claim) */
int nd_dax_seed_set_namespace(struct kernel *k, int region, bool attach)
{
	struct nd_e820_region *reg = nd_region(k, region);
	if (!reg || reg->claim != ND_CLAIM_NONE || (attach && reg->seed_ns))
		return -EBUSY;
	reg->seed_ns = attach;
	return 0;
}

/* nd_pmem's bind/unbind of namespaceR.0 (a namespace claimed by dax is not nd_pmem's) */
int nd_pmem_set_bound(struct kernel *k, int region, bool bind)
{
	struct nd_e820_region *reg = nd_region(k, region);
	if (!reg || !k->nd->nd_pmem || reg->ns_bound == bind)
		return -ENODEV;
	if (bind && (reg->claim != ND_CLAIM_NONE || reg->seed_ns || !nd_namespace_active(reg)))
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

/* dax_pmem_probe() of the seed: without an attached namespace there is nothing to probe */
int nd_dax_pmem_bind(struct kernel *k, int region)
{
	struct nd_e820_region *reg = nd_region(k, region);
	if (!reg || !k->nd->dax_pmem || !reg->seed_ns || reg->claim != ND_CLAIM_NONE)
		return -ENODEV;
	if (reg->ns_bound)
		return -EBUSY;
	if (!reg->seed_pmem)
		return -ENXIO;	/* nd_pfn_validate(): no info block mode chosen */
	char uuid[37];
	snprintf(uuid, sizeof(uuid), "%s", reg->uuid);
	if (nd_media_settings_mismatch(k, region, ND_CLAIM_DAX, uuid, reg->align)) {
		/* the probe fails, yet nd_bus_probe() advances the seeds on -EOPNOTSUPP: the seed keeps the namespace */
		nd_media_claim_unbound(k, region, ND_CLAIM_DAX, uuid, reg->align, true);
		return -EOPNOTSUPP;
	}
	return nd_namespace_claim(k, region, ND_CLAIM_DAX, uuid, reg->align);
}

void nd_e820_destroy(struct kernel *k)
{
	if (!k->nd)
		return;
	for (int i = 0; i < k->nd->nr_regions; i++) {
		free(k->nd->region[i].dax);
		nd_pmem_labels_free(&k->nd->region[i]);
	}
	free(k->nd);
	k->nd = NULL;
}
