// SPDX-License-Identifier: MIT
/*
 * /sys/bus/nd (drivers/nvdimm/bus.c), Linux 6.1, as far as the transcripts
 * and the tools read them: the nd devices of nd_e820 (ndbusB, regionR,
 * namespaceR.0, pfnR.0, bttR.0 and the dax seeds daxR.N) and the nfit
 * driver's nmemN, regions and namespaces (the dax bus is sysfs_dax.c's).
 * The bus devices are links into the bus's device tree: /sys/devices/platform/e820_pmem/ndbusB for
 * nd_e820, /sys/devices/LNXSYSTM:00/LNXSYBUS:00/ACPI0012:00/ndbusB for nfit; each driver has its own
 * bus, numbered in the order they registered (nvdimm_bus_register()).
 */
#include "fs_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../drivers/nvdimm/nd_e820.h"
#include "../kernel/kernel.h"
#include "sysfs_nd.h"

const char *const nd_kind_prefix[] = { "ndbus", "region", "namespace", "pfn", "btt", "dax", "nmem" };

bool nd_up(struct kernel *k)
{
	return k->nd && k->nd->registered;
}

static void nd_list(struct vfs_ctx *c, struct strlist *names)
{
	if (!nd_up(c->k))
		return;
	for (int b = 0; b < c->k->nd->nr_buses; b++)
		sl_addf(names, "ndbus%d", b);
	for (int r = 0; r < c->k->nd->nr_regions; r++) {
		const struct nd_e820_region *reg = &c->k->nd->region[r];
		sl_addf(names, "region%d", r);
		if (reg->disabled)
			continue;	/* nd_region_remove() unregistered the namespaces and seeds */
		/* the io namespace, or the labelled ones up to the region's seed */
		for (int n = 0; n < nd_region_nr_namespaces(reg); n++)
			if (nd_region_has_namespace(reg, n))
				sl_addf(names, "namespace%d.%d", r, n);
		sl_addf(names, "pfn%d.%d", r, reg->seed[ND_CLAIM_PFN]);
		sl_addf(names, "btt%d.%d", r, reg->seed[ND_CLAIM_BTT]);
		sl_addf(names, "dax%d.%d", r, reg->seed[ND_CLAIM_DAX]);
		/* the devices holding a namespace, seeds no more */
		for (int n = 0; n < nd_region_nr_namespaces(reg) || n == 0; n++) {
			const struct nd_ns_claim *cl = nd_ns_claim((struct nd_e820_region *)reg, n);
			if (cl && cl->claim != ND_CLAIM_NONE)
				sl_addf(names, "%s%d.%d", cl->claim == ND_CLAIM_PFN ? "pfn" : cl->claim == ND_CLAIM_BTT ? "btt" : "dax",
					r, cl->claim_id);
		}
	}
	for (int i = 0; i < c->k->nd->nr_nmems; i++)
		sl_addf(names, "nmem%d", i);
}

bool nd_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	struct strlist names = { NULL, 0, 0 };
	nd_list(c, &names);
	bool found = false;
	for (size_t i = 0; i < names.n && !found; i++) {
		if (strcmp(names.v[i], name))
			continue;
		for (int kd = ND_BUS; kd <= ND_NMEM; kd++) {
			int r = 0, n = 0;
			size_t pl = strlen(nd_kind_prefix[kd]);
			if (strncmp(name, nd_kind_prefix[kd], pl) || name[pl] < '0' || name[pl] > '9')
				continue;
			if (sscanf(name + pl, "%d.%d", &r, &n) < 1)
				continue;
			*id = kd == ND_BUS || kd == ND_REGION || kd == ND_NMEM ? ND_ID(kd, r, 0) :
			      ND_ID(kd, r, n);
			found = true;
			break;
		}
	}
	sl_free(&names);
	return found;
}

const struct nd_e820_region *ctx_region(struct vfs_ctx *c)
{
	unsigned long id = c->arg[c->nargs - 1];
	int r = ND_REG(id);
	return nd_up(c->k) && r < c->k->nd->nr_regions ? &c->k->nd->region[r] : NULL;
}

/* devtype: nd_bus, nd_pmem (region), nd_namespace_io or _pmem, nd_pfn, nd_btt, nd_dax, nvdimm */
int devtype_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (ND_KIND(c->arg[c->nargs - 1]) == ND_NS && reg && reg->labels_valid) {
		sb_puts(out, "nd_namespace_pmem\n");
		return 0;
	}
	static const char *const t[] = { "nvdimm_bus", "nd_pmem", "nd_namespace_io", "nd_pfn", "nd_btt", "nd_dax",
					 "nvdimm" };
	sb_printf(out, "%s\n", t[ND_KIND(c->arg[c->nargs - 1])]);
	return 0;
}

/* size: the region's and the io namespace's size; a seed without a namespace has none */
static int size_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	unsigned long id = c->arg[c->nargs - 1];
	if (!reg)
		return -ENXIO;
	switch (ND_KIND(id)) {
	case ND_NS:
		/* a labelled region's seed has no capacity yet */
		if (ND_N(id) > 0 || !nd_namespace_active(reg)) {
			sb_puts(out, "0\n");
			return 0;
		}
		/* fall through */
	case ND_REGION:
		sb_printf(out, "%llu\n", (unsigned long long)reg->size);
		return 0;
	case ND_DAX:
		if (ctx_dev_claim(c) && ctx_dev_claim(c)->dax) {
			sb_printf(out, "%llu\n", (unsigned long long)ctx_dev_claim(c)->dax->size);
			return 0;
		}
		return -ENXIO;	/* nd_pfn's size_show(): only an enabled device knows its size */
	case ND_PFN:
	case ND_BTT:
		if (nd_dev_bound(c)) {
			sb_printf(out, "%llu\n", (unsigned long long)ctx_dev_claim(c)->claim_size);
			return 0;
		}
		return -ENXIO;	/* btt_devs.c/pfn_devs.c size_show(): only an enabled device knows its size */
	default:
		return -ENXIO;
	}
}

/* the namespace's mode_show(): a claim by dax reads "dax"; a PAGEMAP region's free namespace "memory" */
int mode_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	/* none, pfn, btt, dax; a free namespace of an NFIT region (no ND_REGION_PAGEMAP) reads "raw" */
	static const char *const by_claim[] = { "memory", "memory", "safe", "dax" };
	/* a seed holds the namespace from its namespace_store() on, probed or not */
	int ns = ctx_ns_index(c);
	const struct nd_ns_claim *cl = ctx_ns_claim(c);
	if (!cl)
		return -ENXIO;	/* the namespace went */
	sb_printf(out, "%s\n", nd_seed_has_ns(reg, ns) ? by_claim[reg->seed_ns] :
			       cl->claim == ND_CLAIM_NONE && reg->nfit ? "raw" : by_claim[cl->claim]);
	return 0;
}

/* the bus's provider: nd_e820's "e820", the nfit driver's "ACPI.NFIT" */
static int provider_show(struct vfs_ctx *c, struct sbuf *out)
{
	int b = ND_REG(c->arg[c->nargs - 1]);
	if (!nd_up(c->k) || b >= c->k->nd->nr_buses)
		return -ENXIO;
	sb_printf(out, "%s\n", c->k->nd->provider[b]);
	return 0;
}

int nstype_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	sb_printf(out, "%d\n", nd_region_nstype(reg));
	return 0;
}

static int available_size_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	sb_printf(out, "%llu\n", (unsigned long long)nd_region_available(reg));
	return 0;
}

/* region_devs.c align_show: default_align() for both providers (nd_region_align()) */
static int region_align_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	sb_printf(out, "%#llx\n", (unsigned long long)nd_region_align(reg));
	return 0;
}

static bool is_ns(struct vfs_ctx *c) { return ND_KIND(c->arg[c->nargs - 1]) == ND_NS; }
int nd_kind(struct vfs_ctx *c) { return ND_KIND(c->arg[c->nargs - 1]); }
static bool is_bus(struct vfs_ctx *c) { return nd_kind(c) == ND_BUS; }
static bool is_region(struct vfs_ctx *c) { return nd_kind(c) == ND_REGION; }
/* available_size was recorded for NFIT regions only */
static bool is_nfit_region(struct vfs_ctx *c)
{
	const struct nd_e820_region *reg = is_region(c) ? ctx_region(c) : NULL;
	return reg && reg->nfit;
}

/* the bus device's path: under the ACPI0012 device for the nfit driver, e820_pmem's for nd_e820 */
void nd_bus_path(struct kernel *k, int bus, struct sbuf *t)
{
	bool nfit = nd_up(k) && bus >= 0 && bus < k->nd->nr_buses && !strcmp(k->nd->provider[bus], "ACPI.NFIT");
	sb_printf(t, "%s/ndbus%d", nfit ? "devices/LNXSYSTM:00/LNXSYBUS:00/ACPI0012:00" : "devices/platform/e820_pmem", bus);
}

/* the bus of an nd device: a bus is its own, regions and their devices say theirs, nmems are the NFIT's */
int nd_dev_bus(struct kernel *k, unsigned long id)
{
	if (!nd_up(k) || ND_KIND(id) == ND_BUS)
		return ND_REG(id);
	if (ND_KIND(id) == ND_NMEM)
		return nd_bus_find(k->nd, "ACPI.NFIT");
	return ND_REG(id) < k->nd->nr_regions ? k->nd->region[ND_REG(id)].bus : 0;
}

/* from a directory `below` components under the bus device up to /sys: "../" for each component */
void nd_bus_to_sysfs(struct kernel *k, int bus, int below, struct sbuf *t)
{
	struct sbuf bus_path = SBUF_INIT;
	nd_bus_path(k, bus, &bus_path);
	int depth = 1 + below;	/* the bus path has one component more than its slashes */
	for (const char *p = sb_str(&bus_path); *p; p++)
		depth += *p == '/';
	for (int i = 0; i < depth; i++)
		sb_puts(t, "../");
	sb_free(&bus_path);
}

/* /sys/bus/nd/devices/X: links into the bus's device tree; nmemN and regionR are the bus's children */
void nd_path(struct kernel *k, unsigned long id, struct sbuf *t)
{
	nd_bus_path(k, nd_dev_bus(k, id), t);
	if (ND_KIND(id) == ND_BUS)
		return;
	if (ND_KIND(id) == ND_NMEM) {
		sb_printf(t, "/nmem%d", ND_REG(id));
		return;
	}
	sb_printf(t, "/region%d", ND_REG(id));
	if (ND_KIND(id) != ND_REGION)
		sb_printf(t, "/%s%d.%d", nd_kind_prefix[ND_KIND(id)], ND_REG(id), ND_N(id));
}

static void nd_bus_dev_link(struct vfs_ctx *c, struct sbuf *t)
{
	sb_puts(t, "../../../");
	nd_path(c->k, c->arg[c->nargs - 1], t);
}

static const struct vfs_ent nd_bus_dev_ent = { .type = VFS_LINK, .mode = 0777, .link = nd_bus_dev_link };
static const struct vfs_dyn nd_devices_dyns[] = {
	{ .lookup = nd_lookup, .list = nd_list, .ent = &nd_bus_dev_ent },
	{ .lookup = NULL },
};
static const struct vfs_dir nd_devices_dir = { .dyns = nd_devices_dyns };

/* /sys/bus/nd/drivers/{nd_pmem,dax_pmem}: bind and unbind, the way ndctl enables and disables */
enum nd_drv { ND_DRV_PMEM, ND_DRV_DAX_PMEM };

static int nd_drv_bind_store(struct vfs_ctx *c, const char *buf)
{
	return sysfs_nd_drv_bind(c, buf, *(const int *)c->dir_data == ND_DRV_DAX_PMEM);
}

static int nd_drv_unbind_store(struct vfs_ctx *c, const char *buf)
{
	return sysfs_nd_drv_unbind(c, buf, *(const int *)c->dir_data == ND_DRV_DAX_PMEM);
}

/* the devices a driver holds (driver_sysfs_add): nd_pmem the raw namespaces, pfn and btt claims; dax_pmem dax */
static void nd_drv_dev_list(struct vfs_ctx *c, struct strlist *names)
{
	bool dax = *(const int *)c->dir_data == ND_DRV_DAX_PMEM;
	for (int r = 0; nd_up(c->k) && r < c->k->nd->nr_regions; r++) {
		const struct nd_e820_region *reg = &c->k->nd->region[r];
		if (!dax && reg->ns_bound)
			sl_addf(names, "namespace%d.0", r);
		for (int n = 0; n < nd_region_nr_namespaces(reg) || n == 0; n++) {
			const struct nd_ns_claim *cl = nd_ns_claim((struct nd_e820_region *)reg, n);
			if (!cl)
				continue;
			if (dax && cl->claim == ND_CLAIM_DAX && cl->dax)
				sl_addf(names, "dax%d.%d", r, cl->claim_id);
			else if (!dax && (cl->claim == ND_CLAIM_PFN || cl->claim == ND_CLAIM_BTT) && !cl->claim_idle)
				sl_addf(names, "%s%d.%d", cl->claim == ND_CLAIM_PFN ? "pfn" : "btt", r, cl->claim_id);
			if (!dax && n > 0 && nd_pmem_ns(reg, n)->bound)
				sl_addf(names, "namespace%d.%d", r, n);
		}
	}
}

static bool nd_drv_dev_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	struct strlist names = { NULL, 0, 0 };
	nd_drv_dev_list(c, &names);
	bool found = false;
	for (size_t i = 0; i < names.n && !found; i++)
		found = !strcmp(names.v[i], name);
	sl_free(&names);
	return found && nd_lookup(c, name, id);
}

static void nd_drv_dev_link(struct vfs_ctx *c, struct sbuf *t)
{
	sb_puts(t, "../../../../");
	nd_path(c->k, c->arg[c->nargs - 1], t);
}

static void nd_drv_module_link(struct vfs_ctx *c, struct sbuf *t)
{
	bool dax = *(const int *)c->dir_data == ND_DRV_DAX_PMEM;
	sb_printf(t, "../../../../module/%s", dax ? "dax_pmem" : "nd_pmem");
}

static const struct vfs_ent nd_drv_dev_ent = { .type = VFS_LINK, .mode = 0777, .link = nd_drv_dev_link };
static const struct vfs_dyn nd_drv_dyns[] = {
	{ .lookup = nd_drv_dev_lookup, .list = nd_drv_dev_list, .ent = &nd_drv_dev_ent },
	{ .lookup = NULL },
};

static const struct vfs_ent nd_drv_ents[] = {
	{ .name = "bind", .type = VFS_FILE, .mode = 0200, .store = nd_drv_bind_store },
	{ .name = "module", .type = VFS_LINK, .mode = 0777, .link = nd_drv_module_link },
	{ .name = "uevent", .type = VFS_FILE, .mode = 0200, .store = sysfs_uevent_store },
	{ .name = "unbind", .type = VFS_FILE, .mode = 0200, .store = nd_drv_unbind_store },
	{ .name = NULL },
};
static const int nd_drv_pmem = ND_DRV_PMEM, nd_drv_dax_pmem = ND_DRV_DAX_PMEM;
static const struct vfs_dir nd_pmem_drv_dir = { .ents = nd_drv_ents, .dyns = nd_drv_dyns, .data = &nd_drv_pmem };
static const struct vfs_dir dax_pmem_drv_dir = { .ents = nd_drv_ents, .dyns = nd_drv_dyns, .data = &nd_drv_dax_pmem };
static bool nd_pmem_loaded(struct vfs_ctx *c) { return c->k->nd && c->k->nd->nd_pmem; }
static bool dax_pmem_loaded(struct vfs_ctx *c) { return c->k->nd && c->k->nd->dax_pmem; }
static const struct vfs_ent nd_drivers_ents[] = {
	{ .name = "dax_pmem", .type = VFS_DIR, .mode = 0755, .dir = &dax_pmem_drv_dir, .visible = dax_pmem_loaded },
	{ .name = "nd_bus", .type = VFS_DIR, .mode = 0755, .dir = &sysfs_nd_bus_drv_dir },
	{ .name = "nd_pmem", .type = VFS_DIR, .mode = 0755, .dir = &nd_pmem_drv_dir, .visible = nd_pmem_loaded },
	{ .name = "nd_region", .type = VFS_DIR, .mode = 0755, .dir = &sysfs_nd_region_drv_dir },
	{ .name = "nvdimm", .type = VFS_DIR, .mode = 0755, .dir = &sysfs_nvdimm_drv_dir },
	{ .name = NULL },
};
static const struct vfs_dir nd_drivers_dir = { .ents = nd_drivers_ents };

static const struct vfs_ent nd_bus_ents[] = {
	{ .name = "devices", .type = VFS_DIR, .mode = 0755, .dir = &nd_devices_dir },
	{ .name = "drivers", .type = VFS_DIR, .mode = 0755, .dir = &nd_drivers_dir },
	{ .name = NULL },
};
const struct vfs_dir sysfs_bus_nd_dir = { .ents = nd_bus_ents };

/* the buses exist once a module registered them (libnvdimm, the dax core) */
bool sysfs_bus_nd_visible(struct vfs_ctx *c) { return c->k->nd != NULL; }

/* ---- /sys/devices/platform/e820_pmem: the device tree the bus links point into ---- */

unsigned long parent_id(struct vfs_ctx *c)
{
	return c->nargs ? c->arg[c->nargs - 1] : ~0UL;
}

/* the buses of one provider under its device: e820_pmem's, or ACPI0012:00's */
static void ndbus_list_of(struct vfs_ctx *c, const char *provider, struct strlist *names)
{
	for (int b = 0; nd_up(c->k) && b < c->k->nd->nr_buses; b++)
		if (!strcmp(c->k->nd->provider[b], provider))
			sl_addf(names, "ndbus%d", b);
}

static bool ndbus_lookup_of(struct vfs_ctx *c, const char *provider, const char *name, unsigned long *id)
{
	unsigned long b;
	if (strncmp(name, "ndbus", 5) || !vfs_parse_numbered(name + 5, "", &b) || !nd_up(c->k) ||
	    b >= (unsigned long)c->k->nd->nr_buses || strcmp(c->k->nd->provider[b], provider))
		return false;
	*id = ND_ID(ND_BUS, b, 0);
	return true;
}

static bool e820_bus_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	return ndbus_lookup_of(c, "e820", name, id);
}
static void e820_bus_list(struct vfs_ctx *c, struct strlist *names) { ndbus_list_of(c, "e820", names); }
static bool nfit_bus_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	return ndbus_lookup_of(c, "ACPI.NFIT", name, id);
}
static void nfit_bus_list(struct vfs_ctx *c, struct strlist *names) { ndbus_list_of(c, "ACPI.NFIT", names); }

/* the children of an nd device: regions under the bus, namespace and seeds under a region */
static bool nd_child_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	unsigned long p = parent_id(c);
	if (p == ~0UL || !nd_lookup(c, name, id))
		return false;
	if (ND_KIND(p) == ND_BUS)
		return (ND_KIND(*id) == ND_REGION || ND_KIND(*id) == ND_NMEM) && nd_dev_bus(c->k, *id) == ND_REG(p);
	/* a labelled region's pmem namespaces are sysfs_nd_ns.c's */
	if (ND_KIND(*id) == ND_NS && sysfs_nd_pmem_region(c))
		return false;
	return ND_KIND(p) == ND_REGION && ND_KIND(*id) > ND_REGION && ND_KIND(*id) != ND_NMEM && ND_REG(*id) == ND_REG(p);
}

static void nd_child_list(struct vfs_ctx *c, struct strlist *names)
{
	struct strlist all = { NULL, 0, 0 };
	nd_list(c, &all);
	for (size_t i = 0; i < all.n; i++) {
		unsigned long id;
		if (nd_child_lookup(c, all.v[i], &id))
			sl_addf(names, "%s", all.v[i]);
	}
	sl_free(&all);
}

/* nd_numa_attribute_group: the region's node, shared by its namespace and seeds */
static bool not_bus(struct vfs_ctx *c)
{
	int kd = ND_KIND(c->arg[c->nargs - 1]);
	return kd != ND_BUS && kd != ND_NMEM;
}

int nd_node_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	sb_printf(out, "%d\n", reg->target_node);
	return 0;
}

/* mode: the namespace's (read-only), a pfn or dax device's (pfn_devs.c mode_store; btt has none) */
static bool has_mode(struct vfs_ctx *c)
{
	return is_ns(c) || nd_kind(c) == ND_DAX || nd_kind(c) == ND_PFN;
}

static unsigned mode_mode(struct vfs_ctx *c)
{
	return is_ns(c) ? 0444 : 0644;
}

static int any_mode_show(struct vfs_ctx *c, struct sbuf *out)
{
	return is_ns(c) ? mode_show(c, out) : nd_attr_pfn_mode_show(c, out);
}

static int any_mode_store(struct vfs_ctx *c, const char *buf)
{
	return is_ns(c) ? -EOPNOTSUPP : nd_attr_pfn_mode_store(c, buf);
}

/* the region's align is read-only here (region_devs.c align_store is not modelled) */
static int any_align_show(struct vfs_ctx *c, struct sbuf *out)
{
	return is_region(c) ? region_align_show(c, out) : nd_attr_align_show(c, out);
}

static int any_align_store(struct vfs_ctx *c, const char *buf)
{
	return is_region(c) ? -EOPNOTSUPP : nd_attr_align_store(c, buf);
}

/*
 * The attributes libndctl reads (drivers/nvdimm/bus.c, region_devs.c,
 * namespace_devs.c, pfn_devs.c, btt_devs.c, dax_devs.c), as Linux 6.1
 * answers them for an nd_e820 bus (tests/golden/oracle/dax/dax-ndctl-sysfs).
 */
static bool is_pfn(struct vfs_ctx *c) { return nd_kind(c) == ND_PFN; }
static bool is_btt(struct vfs_ctx *c) { return nd_kind(c) == ND_BTT; }
static bool is_pfn_or_dax(struct vfs_ctx *c) { return is_pfn(c) || nd_kind(c) == ND_DAX; }
static bool is_pfn_or_btt(struct vfs_ctx *c) { return is_pfn(c) || is_btt(c); }
static bool is_region_or_ns(struct vfs_ctx *c) { return is_region(c) || is_ns(c); }

/* bus: no ioctl commands on nd_e820 (an empty line), its provider, and wait_probe's flush of the probes */
static int bus_wait_probe_show(struct vfs_ctx *c, struct sbuf *out) { sb_puts(out, "1\n"); return 0; }

static int region_seed_show(struct vfs_ctx *c, struct sbuf *out, enum nd_claim kind, const char *prefix)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	if (reg->disabled) {	/* nd_region_remove() cleared the seeds */
		sb_puts(out, "\n");
		return 0;
	}
	int ns_seed = nd_region_ns_seed(reg);
	if (reg->disabled) {	/* nd_region_remove() dropped the seeds */
		sb_puts(out, "\n");
		return 0;
	}
	sb_printf(out, "%s%d.%d\n", prefix, ND_REG(c->arg[c->nargs - 1]), kind == ND_CLAIM_NONE ? ns_seed : reg->seed[kind]);
	return 0;
}
static int region_btt_seed_show(struct vfs_ctx *c, struct sbuf *out) { return region_seed_show(c, out, ND_CLAIM_BTT, "btt"); }
static int region_dax_seed_show(struct vfs_ctx *c, struct sbuf *out) { return region_seed_show(c, out, ND_CLAIM_DAX, "dax"); }
static int region_pfn_seed_show(struct vfs_ctx *c, struct sbuf *out) { return region_seed_show(c, out, ND_CLAIM_PFN, "pfn"); }
static int region_ns_seed_show(struct vfs_ctx *c, struct sbuf *out) { return region_seed_show(c, out, ND_CLAIM_NONE, "namespace"); }
static int zero_show(struct vfs_ctx *c, struct sbuf *out) { sb_puts(out, "0\n"); return 0; }
/* nd_device_uevent's MODALIAS: nd:t<ND_DEVICE_*> (region pmem 2, io namespace 4 also for pfn and btt, dax 7) */
static int nd_modalias_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_printf(out, "nd:t%d\n", nd_kind(c) == ND_NMEM ? 1 : nd_kind(c) == ND_REGION ? 2 : nd_kind(c) == ND_DAX ? 7 : 4);
	return 0;
}

/* resource (0400): the region's and namespace's start; a claiming pfn or dax device's data start */
static int nd_resource_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	if (is_region_or_ns(c)) {
		sb_printf(out, "%#llx\n", (unsigned long long)reg->start);
		return 0;
	}
	if (!nd_dev_bound(c))
		return -ENXIO;	/* only an enabled device knows its resource */
	sb_printf(out, "%#llx\n", (unsigned long long)(nd_ns_start(reg, ctx_dev_ns(c)) + ctx_dev_claim(c)->data_offset));
	return 0;
}

/* driver links: nd_bus and nd_region hold the bus and regions; nd_pmem the raw namespace, pfn and btt; dax_pmem dax */
bool nd_has_driver(struct vfs_ctx *c)
{
	const struct nd_e820_region *reg = ctx_region(c);
	switch (nd_kind(c)) {
	case ND_BUS:
		return true;
	case ND_NMEM:
		return nd_nmem_region(c->k, ND_REG(c->arg[c->nargs - 1])) &&
		       !nd_nmem_region(c->k, ND_REG(c->arg[c->nargs - 1]))->dimm_disabled;
	case ND_REGION:
		return reg && !reg->disabled;
	case ND_NS:
		return reg && reg->ns_bound;
	default:
		return nd_dev_bound(c);
	}
}

static void nd_up_to_sys(struct vfs_ctx *c, struct sbuf *t)
{
	/* BUS, BUS/nmemN or BUS/regionR, BUS/regionR/dev back to /sys */
	int kd = nd_kind(c);
	nd_bus_to_sysfs(c->k, nd_dev_bus(c->k, c->arg[c->nargs - 1]), kd == ND_BUS ? 0 : kd == ND_REGION || kd == ND_NMEM ? 1 : 2, t);
}

void nd_driver_link(struct vfs_ctx *c, struct sbuf *t)
{
	static const char *const drv[] = { "nd_bus", "nd_region", "nd_pmem", "nd_pmem", "nd_pmem", "dax_pmem", "nvdimm" };
	nd_up_to_sys(c, t);
	sb_printf(t, "bus/nd/drivers/%s", drv[nd_kind(c)]);
}

void nd_subsystem_link(struct vfs_ctx *c, struct sbuf *t)
{
	nd_up_to_sys(c, t);
	sb_puts(t, "bus/nd");
}

/* ndbusB/nd/ndctlB: the bus's control char device (class nd, major 246 as Debian's 6.1 allocates it, minor B) */
#define ND_CTL_MAJOR	246
static int ctx_bus(struct vfs_ctx *c) { return ND_REG(c->arg[c->nargs - 1]); }
static int ndctl_dev_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_printf(out, "%d:%d\n", ND_CTL_MAJOR, ctx_bus(c));
	return 0;
}
static void ndctl_device_link(struct vfs_ctx *c, struct sbuf *t) { sb_printf(t, "../../../ndbus%d", ctx_bus(c)); }
static void ndctl_subsystem_link(struct vfs_ctx *c, struct sbuf *t)
{
	nd_bus_to_sysfs(c->k, ctx_bus(c), 2, t);	/* BUS/nd/ndctlB */
	sb_puts(t, "class/nd");
}
static const struct vfs_ent ndctl_ents[] = {
	{ .name = "dev", .type = VFS_FILE, .mode = 0444, .show = ndctl_dev_show },
	{ .name = "device", .type = VFS_LINK, .mode = 0777, .link = ndctl_device_link },
	{ .name = "subsystem", .type = VFS_LINK, .mode = 0777, .link = ndctl_subsystem_link },
	{ .name = "uevent", .type = VFS_FILE, .mode = 0644, .show = sysfs_uevent_show, .store = sysfs_uevent_store },
	{ .name = NULL },
};
static const struct vfs_dir ndctl_dir = { .ents = ndctl_ents };
static const struct vfs_ent ndctl_ent = { .type = VFS_DIR, .mode = 0755, .dir = &ndctl_dir };
/* the bus directory's own ndctlB; its id stays the bus's */
static bool bus_ndctl_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	unsigned long b;
	*id = c->arg[c->nargs - 1];
	return !strncmp(name, "ndctl", 5) && vfs_parse_numbered(name + 5, "", &b) && b == (unsigned long)ctx_bus(c);
}
static void bus_ndctl_list(struct vfs_ctx *c, struct strlist *names) { sl_addf(names, "ndctl%d", ctx_bus(c)); }
static const struct vfs_dyn bus_nd_dyns[] = {
	{ .lookup = bus_ndctl_lookup, .list = bus_ndctl_list, .ent = &ndctl_ent },
	{ .lookup = NULL },
};
static const struct vfs_dir bus_nd_dir = { .dyns = bus_nd_dyns };
static const struct vfs_dir empty_dir = { .ents = NULL };

/*
 * The pmem block device (pmem.c's pmem_attach_disk): under the raw
 * namespace (pmemR), the claiming pfn (pmemR) or btt (pmemRs) device;
 * blkext major 259. Only what ndctl reads of it is served.
 */
static bool has_block(struct vfs_ctx *c)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return false;
	if (is_ns(c))
		return reg->ns_bound && reg->claim == ND_CLAIM_NONE;
	return is_pfn_or_btt(c) && nd_dev_bound(c);
}

/* pmemR (namespaceR.0) or pmemR.N, "s" for a btt */
static void blk_name(struct vfs_ctx *c, unsigned long id, char *buf, size_t len)
{
	int ns = is_ns(c) ? 0 : ctx_dev_ns(c);
	if (ns > 0)
		snprintf(buf, len, "pmem%d.%d%s", ND_REG(id), ns, ND_KIND(id) == ND_BTT ? "s" : "");
	else
		snprintf(buf, len, "pmem%d%s", ND_REG(id), ND_KIND(id) == ND_BTT ? "s" : "");
}

static bool blk_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	char want[32];
	blk_name(c, c->arg[c->nargs - 1], want, sizeof(want));
	*id = c->arg[c->nargs - 1];
	return !strcmp(name, want);
}

static void blk_list(struct vfs_ctx *c, struct strlist *names)
{
	char want[32];
	blk_name(c, c->arg[c->nargs - 1], want, sizeof(want));
	sl_addf(names, "%s", want);
}

static int blk_dev_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	int ns = is_ns(c) ? 0 : ctx_dev_ns(c);
	/* the lowest blkext minor free when the disk was made */
	sb_printf(out, "259:%d\n", ns > 0 ? reg->pmem_ns[ns].minor : reg->disk_minor);
	return 0;
}

static int blk_size_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	const struct nd_ns_claim *cl = is_ns(c) ? NULL : ctx_dev_claim(c);
	if (!is_ns(c) && !cl)
		return -ENXIO;
	sb_printf(out, "%llu\n", (unsigned long long)((is_ns(c) ? reg->size : cl->claim_size) >> 9));
	return 0;
}

static void blk_device_link(struct vfs_ctx *c, struct sbuf *t)
{
	unsigned long id = c->arg[c->nargs - 1];
	sb_printf(t, "../../../%s%d.%d", nd_kind_prefix[ND_KIND(id)], ND_REG(id), ND_N(id));
}

static void blk_subsystem_link(struct vfs_ctx *c, struct sbuf *t)
{
	nd_bus_to_sysfs(c->k, nd_dev_bus(c->k, c->arg[c->nargs - 1]), 4, t);	/* BUS/regionR/{namespace,pfn,btt}R.N/block/pmemR[s] */
	sb_puts(t, "class/block");
}

static const struct vfs_ent blk_ents[] = {
	{ .name = "dev", .type = VFS_FILE, .mode = 0444, .show = blk_dev_show },
	{ .name = "device", .type = VFS_LINK, .mode = 0777, .link = blk_device_link },
	{ .name = "ro", .type = VFS_FILE, .mode = 0444, .show = zero_show },
	{ .name = "size", .type = VFS_FILE, .mode = 0444, .show = blk_size_show },
	{ .name = "subsystem", .type = VFS_LINK, .mode = 0777, .link = blk_subsystem_link },
	{ .name = NULL },
};
static const struct vfs_dir blk_dir = { .ents = blk_ents };
static const struct vfs_ent blk_ent = { .type = VFS_DIR, .mode = 0755, .dir = &blk_dir };
static const struct vfs_dyn block_dyns[] = {
	{ .lookup = blk_lookup, .list = blk_list, .ent = &blk_ent },
	{ .lookup = NULL },
};
static const struct vfs_dir block_dir = { .dyns = block_dyns };

static bool has_resource(struct vfs_ctx *c) { return !is_bus(c) && !is_btt(c) && nd_kind(c) != ND_NMEM; }
static bool not_bus_dev(struct vfs_ctx *c) { return !is_bus(c); }
static bool align_visible(struct vfs_ctx *c) { return is_region(c) || is_pfn_or_dax(c); }
static unsigned region_ro_mode(struct vfs_ctx *c) { return 0644; }

static const struct vfs_ent nd_tree_ents[] = {
	{ .name = "align", .type = VFS_FILE, .mode = 0644, .show = any_align_show, .store = any_align_store,
	  .visible = align_visible },
	{ .name = "available_slots", .type = VFS_FILE, .mode = 0444, .show = sysfs_nd_dimm_available_slots_show,
	  .visible = sysfs_nd_is_dimm },
	{ .name = "available_size", .type = VFS_FILE, .mode = 0444, .show = available_size_show, .visible = is_nfit_region },
	{ .name = "badblocks", .type = VFS_FILE, .mode = 0444, .show = sysfs_nd_badblocks_show, .visible = is_region },
	{ .name = "block", .type = VFS_DIR, .mode = 0755, .dir = &block_dir, .visible = has_block },
	{ .name = "btt_seed", .type = VFS_FILE, .mode = 0444, .show = region_btt_seed_show, .visible = is_region },
	{ .name = "commands", .type = VFS_FILE, .mode = 0444, .show = sysfs_nd_commands_show,
	  .visible = sysfs_nd_is_bus_or_dimm },
	{ .name = "dax_region", .type = VFS_DIR, .mode = 0755, .dir = &sysfs_dax_region_dir, .visible = sysfs_has_dax_region },
	{ .name = "dax_seed", .type = VFS_FILE, .mode = 0444, .show = region_dax_seed_show, .visible = is_region },
	{ .name = "deep_flush", .type = VFS_FILE, .mode = 0444, .show = sysfs_nd_deep_flush_show,
	  .visible = sysfs_nd_is_mapped_region },
	{ .name = "dev", .type = VFS_FILE, .mode = 0444, .show = sysfs_nd_dimm_dev_show, .visible = sysfs_nd_is_dimm },
	{ .name = "devtype", .type = VFS_FILE, .mode = 0444, .show = devtype_show, .visible = not_bus_dev },
	{ .name = "driver", .type = VFS_LINK, .mode = 0777, .link = nd_driver_link, .visible = nd_has_driver },
	{ .name = "firmware", .type = VFS_DIR, .mode = 0755, .dir = &empty_dir, .visible = sysfs_nd_is_bus_or_dimm },
	{ .name = "flags", .type = VFS_FILE, .mode = 0444, .show = sysfs_nd_dimm_flags_show, .visible = sysfs_nd_is_dimm },
	{ .name = "force_raw", .type = VFS_FILE, .mode = 0644, .show = nd_attr_force_raw_show, .store = nd_attr_force_raw_store,
	  .visible = is_ns },
	{ .name = "holder", .type = VFS_FILE, .mode = 0444, .show = nd_attr_holder_show, .visible = is_ns },
	{ .name = "holder_class", .type = VFS_FILE, .mode = 0644, .show = nd_attr_holder_class_show,
	  .store = nd_attr_holder_class_store, .visible = is_ns },
	{ .name = "init_namespaces", .type = VFS_FILE, .mode = 0444, .show = sysfs_nd_init_namespaces_show, .visible = is_region },
	{ .name = "log_zero_flags", .type = VFS_FILE, .mode = 0444, .show = nd_attr_log_zero_flags_show, .visible = is_btt },
	{ .name = "mapping0", .type = VFS_FILE, .mode = 0444, .show = sysfs_nd_mapping0_show,
	  .visible = sysfs_nd_is_mapped_region },
	{ .name = "mappings", .type = VFS_FILE, .mode = 0444, .show = sysfs_nd_mappings_show, .visible = is_region },
	{ .name = "max_available_extent", .type = VFS_FILE, .mode = 0444, .show = sysfs_nd_max_extent_show,
	  .visible = is_region },
	{ .name = "modalias", .type = VFS_FILE, .mode = 0444, .show = nd_modalias_show, .visible = not_bus_dev },
	{ .name = "mode", .type = VFS_FILE, .mode = 0644, .show = any_mode_show, .store = any_mode_store,
	  .visible = has_mode, .mode_of = mode_mode },
	{ .name = "namespace", .type = VFS_FILE, .mode = 0644, .show = nd_attr_namespace_show,
	  .store = nd_attr_namespace_store, .visible = nd_is_claim_dev },
	{ .name = "namespace_seed", .type = VFS_FILE, .mode = 0444, .show = region_ns_seed_show, .visible = is_region },
	{ .name = "nd", .type = VFS_DIR, .mode = 0755, .dir = &bus_nd_dir, .visible = is_bus },
	{ .name = "nfit", .type = VFS_DIR, .mode = 0755, .dir = &sysfs_nfit_group_dir, .visible = sysfs_nd_has_nfit },
	{ .name = "nstype", .type = VFS_FILE, .mode = 0444, .show = nstype_show, .visible = is_region_or_ns },
	{ .name = "numa_node", .type = VFS_FILE, .mode = 0444, .show = nd_node_show, .visible = not_bus },
	{ .name = "pfn_seed", .type = VFS_FILE, .mode = 0444, .show = region_pfn_seed_show, .visible = is_region },
	{ .name = "provider", .type = VFS_FILE, .mode = 0444, .show = provider_show, .visible = is_bus },
	{ .name = "read_only", .type = VFS_FILE, .mode = 0644, .show = zero_show, .visible = is_region,
	  .mode_of = region_ro_mode },
	{ .name = "resource", .type = VFS_FILE, .mode = 0400, .show = nd_resource_show, .visible = has_resource },
	{ .name = "sector_size", .type = VFS_FILE, .mode = 0644, .show = nd_attr_sector_size_show,
	  .store = nd_attr_sector_size_store, .visible = is_btt },
	{ .name = "set_cookie", .type = VFS_FILE, .mode = 0444, .show = sysfs_nd_set_cookie_show,
	  .visible = sysfs_nd_is_mapped_region },
	{ .name = "size", .type = VFS_FILE, .mode = 0444, .show = size_show, .visible = not_bus },
	{ .name = "state", .type = VFS_FILE, .mode = 0444, .show = sysfs_nd_dimm_state_show, .visible = sysfs_nd_is_dimm },
	{ .name = "subsystem", .type = VFS_LINK, .mode = 0777, .link = nd_subsystem_link },
	{ .name = "supported_alignments", .type = VFS_FILE, .mode = 0444, .show = nd_attr_supported_alignments_show,
	  .visible = is_pfn_or_dax },
	{ .name = "target_node", .type = VFS_FILE, .mode = 0444, .show = nd_node_show, .visible = not_bus },
	{ .name = "uevent", .type = VFS_FILE, .mode = 0644, .show = sysfs_nd_uevent_show, .store = sysfs_uevent_store },
	{ .name = "uuid", .type = VFS_FILE, .mode = 0644, .show = nd_attr_uuid_show, .store = nd_attr_uuid_store,
	  .visible = nd_is_claim_dev },
	{ .name = "wait_probe", .type = VFS_FILE, .mode = 0444, .show = bus_wait_probe_show, .visible = is_bus },
	{ .name = NULL },
};
static const struct vfs_dir nd_tree_dir;
static const struct vfs_ent nd_tree_ent = { .type = VFS_DIR, .mode = 0755, .dir = &nd_tree_dir };
static const struct vfs_dyn nd_tree_dyns[] = {
	{ .lookup = nd_child_lookup, .list = nd_child_list, .ent = &nd_tree_ent },
	{ .lookup = sysfs_nd_ns_lookup, .list = sysfs_nd_ns_list, .ent = &sysfs_nd_ns_ent },
	{ .lookup = sysfs_dax_child_lookup, .list = sysfs_dax_child_list, .ent = &sysfs_dax_dev_ent },
	{ .lookup = NULL },
};
static const struct vfs_dir nd_tree_dir = { .ents = nd_tree_ents, .dyns = nd_tree_dyns };

static const struct vfs_dyn e820_pmem_dyns[] = {
	{ .lookup = e820_bus_lookup, .list = e820_bus_list, .ent = &nd_tree_ent },
	{ .lookup = NULL },
};
static const struct vfs_dyn acpi_nfit_dyns[] = {
	{ .lookup = nfit_bus_lookup, .list = nfit_bus_list, .ent = &nd_tree_ent },
	{ .lookup = NULL },
};
static const struct vfs_ent e820_pmem_ents[] = {
	{ .name = "uevent", .type = VFS_FILE, .mode = 0644, .show = sysfs_uevent_show, .store = sysfs_uevent_store },
	{ .name = NULL },
};
static const struct vfs_dir e820_pmem_dir = { .ents = e820_pmem_ents, .dyns = e820_pmem_dyns };

static bool nd_provider_is(struct vfs_ctx *c, const char *provider)
{
	return nd_up(c->k) && nd_bus_find(c->k->nd, provider) >= 0;
}

static bool e820_pmem_visible(struct vfs_ctx *c) { return nd_provider_is(c, "e820"); }

/* \_SB.NVDR (ACPI0012), the nfit driver's device: its nvdimm bus hangs below it */
bool sysfs_acpi_nfit_visible(struct vfs_ctx *c) { return nd_provider_is(c, "ACPI.NFIT"); }
const struct vfs_dir sysfs_acpi_nfit_dir = { .ents = e820_pmem_ents, .dyns = acpi_nfit_dyns };

static const struct vfs_ent platform_ents[] = {
	{ .name = "e820_pmem", .type = VFS_DIR, .mode = 0755, .dir = &e820_pmem_dir, .visible = e820_pmem_visible },
	{ .name = NULL },
};
const struct vfs_dir sysfs_platform_dir = { .ents = platform_ents };

/* ---- /sys/dev/char/MAJOR:MINOR: the dax char devices (dax_cdev major 252) ---- */

#define NDCTL_CHARDEV(b)	(~0UL - 1 - (unsigned long)(b))	/* the id of /sys/dev/char/246:B */
#define NDCTL_CHARDEV_BUS(id)	((int)(~0UL - 1 - (id)))
static bool chardev_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	unsigned long r;
	if (!strncmp(name, "246:", 4) && vfs_parse_numbered(name + 4, "", &r)) {
		*id = NDCTL_CHARDEV(r);
		return nd_up(c->k) && r < (unsigned long)c->k->nd->nr_buses;
	}
	if (sysfs_nd_dimm_chardev_lookup(c, name, id))
		return true;
	if (strncmp(name, "252:", 4) || !vfs_parse_numbered(name + 4, "", &r) || r > 1u << 20)
		return false;
	*id = sysfs_dax_minor_id(c->k, (int)r);
	return *id != ~0UL;
}

static void chardev_list(struct vfs_ctx *c, struct strlist *names)
{
	for (int b = 0; nd_up(c->k) && b < c->k->nd->nr_buses; b++)
		sl_addf(names, "%d:%d", ND_CTL_MAJOR, b);
	sysfs_nd_dimm_chardev_list(c, names);
	for (int r = 0; nd_up(c->k) && r < c->k->nd->nr_regions; r++) {
		struct nd_e820_region *reg = &c->k->nd->region[r];
		for (int n = 0; n < nd_region_nr_namespaces(reg) || n == 0; n++) {
			const struct nd_ns_claim *cl = nd_ns_claim(reg, n);
			if (cl && cl->dax)
				sl_addf(names, "252:%d", cl->dax->minor);
		}
	}
}

static void chardev_link(struct vfs_ctx *c, struct sbuf *t)
{
	sb_puts(t, "../../");
	unsigned long id = c->arg[c->nargs - 1];
	if (id >= NDCTL_CHARDEV(ND_MAX_BUSES - 1) && id <= NDCTL_CHARDEV(0)) {
		nd_bus_path(c->k, NDCTL_CHARDEV_BUS(id), t);
		sb_printf(t, "/nd/ndctl%d", NDCTL_CHARDEV_BUS(id));
		return;
	}
	if (ND_KIND(c->arg[c->nargs - 1]) == ND_NMEM) {
		nd_path(c->k, c->arg[c->nargs - 1], t);
		return;
	}
	sysfs_dax_path(c->k, c->arg[c->nargs - 1], t);
}

static const struct vfs_ent chardev_ent = { .type = VFS_LINK, .mode = 0777, .link = chardev_link };
static const struct vfs_dyn chardev_dyns[] = {
	{ .lookup = chardev_lookup, .list = chardev_list, .ent = &chardev_ent },
	{ .lookup = NULL },
};
static const struct vfs_dir chardev_dir = { .dyns = chardev_dyns };
static const struct vfs_dir blockdev_dir = { .ents = NULL };
static const struct vfs_ent dev_ents[] = {
	{ .name = "block", .type = VFS_DIR, .mode = 0755, .dir = &blockdev_dir },
	{ .name = "char", .type = VFS_DIR, .mode = 0755, .dir = &chardev_dir },
	{ .name = NULL },
};
const struct vfs_dir sysfs_dev_dir = { .ents = dev_ents };

/* ---- /sys/class/nd: each bus's control device ndctlB, where libndctl finds the buses ---- */

static bool class_ndctl_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	return !strncmp(name, "ndctl", 5) && vfs_parse_numbered(name + 5, "", id) && nd_up(c->k) &&
	       *id < (unsigned long)c->k->nd->nr_buses;
}

static void class_ndctl_list(struct vfs_ctx *c, struct strlist *names)
{
	for (int b = 0; nd_up(c->k) && b < c->k->nd->nr_buses; b++)
		sl_addf(names, "ndctl%d", b);
}

static void class_ndctl_link(struct vfs_ctx *c, struct sbuf *t)
{
	int b = (int)c->arg[c->nargs - 1];
	sb_puts(t, "../../");
	nd_bus_path(c->k, b, t);
	sb_printf(t, "/nd/ndctl%d", b);
}

static const struct vfs_ent class_ndctl_ent = { .type = VFS_LINK, .mode = 0777, .link = class_ndctl_link };
static const struct vfs_dyn class_nd_dyns[] = {
	{ .lookup = class_ndctl_lookup, .list = class_ndctl_list, .ent = &class_ndctl_ent },
	{ .lookup = NULL },
};
static const struct vfs_dir class_nd_dir = { .dyns = class_nd_dyns };
/* nvdimm_bus_init() creates the class as libnvdimm loads, which nd_e820, nfit, nd_pmem and dax_pmem pull in */
static bool class_nd_visible(struct vfs_ctx *c)
{
	const struct nd_e820_bus *nd = c->k->nd;
	return nd && (nd->nd_e820 || nd->nfit || nd->nd_pmem || nd->dax_pmem);
}
static const struct vfs_ent class_ents[] = {
	{ .name = "nd", .type = VFS_DIR, .mode = 0755, .dir = &class_nd_dir, .visible = class_nd_visible },
	{ .name = NULL },
};
const struct vfs_dir sysfs_class_dir = { .ents = class_ents };
