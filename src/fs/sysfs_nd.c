// SPDX-License-Identifier: MIT
/*
 * /sys/bus/nd (drivers/nvdimm/bus.c), Linux 6.1, as far as the transcripts
 * and the tools read them: the nd devices of nd_e820 (ndbus0, regionR,
 * namespaceR.0, pfnR.0, bttR.0 and the dax seeds daxR.N) and the nfit
 * driver's nmemN, regions and namespaces (the dax bus is sysfs_dax.c's).
 * The bus devices are links into the bus's device tree: /sys/devices/platform/e820_pmem/ndbus0 for
 * nd_e820, /sys/devices/LNXSYSTM:00/LNXSYBUS:00/ACPI0012:00/ndbus0 for nfit.
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
	sl_addf(names, "ndbus0");
	for (int r = 0; r < c->k->nd->nr_regions; r++) {
		const struct nd_e820_region *reg = &c->k->nd->region[r];
		sl_addf(names, "region%d", r);
		if (reg->disabled)
			continue;	/* nd_region_remove() unregistered the namespaces and seeds */
		sl_addf(names, "namespace%d.0", r);
		if (reg->ns_labelled)
			sl_addf(names, "namespace%d.1", r);	/* the region's next namespace seed */
		sl_addf(names, "pfn%d.%d", r, reg->seed[ND_CLAIM_PFN]);
		sl_addf(names, "btt%d.%d", r, reg->seed[ND_CLAIM_BTT]);
		sl_addf(names, "dax%d.%d", r, reg->seed[ND_CLAIM_DAX]);
		if (reg->claim != ND_CLAIM_NONE)	/* the device holding the namespace, seed no more */
			sl_addf(names, "%s%d.%d", reg->claim == ND_CLAIM_PFN ? "pfn" : reg->claim == ND_CLAIM_BTT ? "btt" : "dax",
				r, reg->claim_id);
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
			*id = kd == ND_BUS ? ND_ID(kd, 0, 0) : kd == ND_REGION || kd == ND_NMEM ? ND_ID(kd, r, 0) :
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
static int devtype_show(struct vfs_ctx *c, struct sbuf *out)
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
		if (ND_N(id) == reg->claim_id && reg->dax) {
			sb_printf(out, "%llu\n", (unsigned long long)reg->dax->size);
			return 0;
		}
		return -ENXIO;	/* nd_pfn's size_show(): only an enabled device knows its size */
	case ND_PFN:
	case ND_BTT:
		if (ND_N(id) == reg->claim_id && (reg->claim == ND_CLAIM_PFN) == (ND_KIND(id) == ND_PFN) &&
		    reg->claim != ND_CLAIM_NONE && reg->claim != ND_CLAIM_DAX) {
			sb_printf(out, "%llu\n", (unsigned long long)reg->claim_size);
			return 0;
		}
		return -ENXIO;
	default:
		return -ENXIO;
	}
}

/* the namespace's mode_show(): a claim by dax reads "dax"; a PAGEMAP region's free namespace "memory" */
static int mode_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	/* none, pfn, btt, dax; a free namespace of an NFIT region (no ND_REGION_PAGEMAP) reads "raw" */
	static const char *const by_claim[] = { "memory", "memory", "safe", "dax" };
	/* the dax seed holds the namespace from its namespace_store() on, probed or not */
	sb_printf(out, "%s\n", reg->seed_ns ? "dax" : reg->claim == ND_CLAIM_NONE && reg->nfit ? "raw" : by_claim[reg->claim]);
	return 0;
}

/* the bus's provider: nd_e820's "e820", the nfit driver's "ACPI.NFIT" */
static int provider_show(struct vfs_ctx *c, struct sbuf *out)
{
	if (!nd_up(c->k))
		return -ENXIO;
	sb_printf(out, "%s\n", c->k->nd->provider ? c->k->nd->provider : "e820");
	return 0;
}

static int nstype_show(struct vfs_ctx *c, struct sbuf *out)
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
void nd_bus_path(struct kernel *k, struct sbuf *t)
{
	bool nfit = k->nd && k->nd->provider && !strcmp(k->nd->provider, "ACPI.NFIT");
	sb_puts(t, nfit ? "devices/LNXSYSTM:00/LNXSYBUS:00/ACPI0012:00/ndbus0" : "devices/platform/e820_pmem/ndbus0");
}

/* from a directory `below` components under the bus device up to /sys: "../" for each component */
void nd_bus_to_sysfs(struct kernel *k, int below, struct sbuf *t)
{
	struct sbuf bus = SBUF_INIT;
	nd_bus_path(k, &bus);
	int depth = 1 + below;	/* the bus path has one component more than its slashes */
	for (const char *p = sb_str(&bus); *p; p++)
		depth += *p == '/';
	for (int i = 0; i < depth; i++)
		sb_puts(t, "../");
	sb_free(&bus);
}

/* /sys/bus/nd/devices/X: links into the bus's device tree; nmemN and regionR are the bus's children */
void nd_path(struct kernel *k, unsigned long id, struct sbuf *t)
{
	nd_bus_path(k, t);
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

/* "namespaceR.0" or "daxR.N" written to bind/unbind: R, with N in *n; -1 if no such name */
static int nd_written(struct kernel *k, const char *buf, const char *prefix, int *n)
{
	int r;
	char tail[4] = "";
	char fmt[32];
	snprintf(fmt, sizeof(fmt), "%s%%d.%%d%%3s", prefix);
	if (!nd_up(k) || sscanf(buf, fmt, &r, n, tail) < 2 || tail[0] || r < 0 || r >= k->nd->nr_regions)
		return -1;
	return r;
}

static int nd_drv_bind_store(struct vfs_ctx *c, const char *buf)
{
	bool dax = *(const int *)c->dir_data == ND_DRV_DAX_PMEM;
	int n, r = nd_written(c->k, buf, dax ? "dax" : "namespace", &n);
	if (r < 0 || (dax ? n != c->k->nd->region[r].seed[ND_CLAIM_DAX] : n != 0))
		return -ENODEV;
	return dax ? nd_dax_pmem_bind(c->k, r) : nd_pmem_set_bound(c->k, r, true);
}

static int nd_drv_unbind_store(struct vfs_ctx *c, const char *buf)
{
	bool dax = *(const int *)c->dir_data == ND_DRV_DAX_PMEM;
	int n, r = nd_written(c->k, buf, dax ? "dax" : "namespace", &n);
	if (r < 0)
		return -ENODEV;
	const struct nd_e820_region *reg = &c->k->nd->region[r];
	if (dax)
		return reg->claim == ND_CLAIM_DAX && n == reg->claim_id ? nd_dax_pmem_unbind(c->k, r) : -ENODEV;
	return n == 0 ? nd_pmem_set_bound(c->k, r, false) : -ENODEV;
}

/* the devices a driver holds (driver_sysfs_add): nd_pmem the raw namespaces, pfn and btt claims; dax_pmem dax */
static void nd_drv_dev_list(struct vfs_ctx *c, struct strlist *names)
{
	bool dax = *(const int *)c->dir_data == ND_DRV_DAX_PMEM;
	for (int r = 0; nd_up(c->k) && r < c->k->nd->nr_regions; r++) {
		const struct nd_e820_region *reg = &c->k->nd->region[r];
		if (dax && reg->claim == ND_CLAIM_DAX && reg->dax)
			sl_addf(names, "dax%d.%d", r, reg->claim_id);
		else if (!dax && reg->ns_bound)
			sl_addf(names, "namespace%d.0", r);
		else if (!dax && (reg->claim == ND_CLAIM_PFN || reg->claim == ND_CLAIM_BTT))
			sl_addf(names, "%s%d.%d", reg->claim == ND_CLAIM_PFN ? "pfn" : "btt", r, reg->claim_id);
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

static bool ndbus_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	if (!nd_up(c->k) || strcmp(name, "ndbus0"))
		return false;
	*id = ND_ID(ND_BUS, 0, 0);
	return true;
}

static void ndbus_list(struct vfs_ctx *c, struct strlist *names)
{
	if (nd_up(c->k))
		sl_addf(names, "ndbus0");
}

/* the children of an nd device: regions under the bus, namespace and seeds under a region */
static bool nd_child_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	unsigned long p = parent_id(c);
	if (p == ~0UL || !nd_lookup(c, name, id))
		return false;
	if (ND_KIND(p) == ND_BUS)
		return ND_KIND(*id) == ND_REGION || ND_KIND(*id) == ND_NMEM;
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

/* the dax seed's configuration attributes (pfn_devs.c, shared by nd_dax): uuid, align, mode, namespace */
static bool is_free_dax_seed(struct vfs_ctx *c)
{
	unsigned long id = c->arg[c->nargs - 1];
	return ND_KIND(id) == ND_DAX;
}

static struct nd_e820_region *seed_region(struct vfs_ctx *c)
{
	return (struct nd_e820_region *)ctx_region(c);
}

static int seed_uuid_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	sb_printf(out, "%s\n", reg->uuid);
	return 0;
}

static int seed_uuid_store(struct vfs_ctx *c, const char *buf)
{
	struct nd_e820_region *reg = seed_region(c);
	char u[40];
	if (!reg || reg->claim != ND_CLAIM_NONE)
		return -EBUSY;
	if (sscanf(buf, "%39s", u) != 1 || strlen(u) != 36)
		return -EINVAL;
	snprintf(reg->uuid, sizeof(reg->uuid), "%s", u);
	return 0;
}

static int seed_align_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	sb_printf(out, "%lu\n", reg->align);
	return 0;
}

/* align_store(): one of the supported alignments, 4 KiB, 2 MiB or 1 GiB */
static int seed_align_store(struct vfs_ctx *c, const char *buf)
{
	struct nd_e820_region *reg = seed_region(c);
	unsigned long a;
	if (!reg || reg->claim != ND_CLAIM_NONE)
		return -EBUSY;
	if (sscanf(buf, "%lu", &a) != 1 || (a != 4096 && a != (2UL << 20) && a != (1UL << 30)))
		return -EINVAL;
	reg->align = a;
	return 0;
}

/* nd_pfn's mode: "none" until set; the claiming device's is "pmem" */
static int seed_mode_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	int n = ND_N(c->arg[c->nargs - 1]);
	bool pmem = (reg->claim == ND_CLAIM_DAX && n == reg->claim_id) || (n == reg->seed[ND_CLAIM_DAX] && reg->seed_pmem);
	sb_puts(out, pmem ? "pmem\n" : "none\n");
	return 0;
}

/* "ram" (the memmap in system RAM) is not modelled: memhp's info block always holds it */
static int seed_mode_store(struct vfs_ctx *c, const char *buf)
{
	struct nd_e820_region *reg = seed_region(c);
	if (!reg || ND_N(c->arg[c->nargs - 1]) != reg->seed[ND_CLAIM_DAX])
		return -EBUSY;
	if (!strncmp(buf, "pmem", 4))
		reg->seed_pmem = true;
	else if (!strncmp(buf, "none", 4))
		reg->seed_pmem = false;
	else
		return -EINVAL;
	return 0;
}

static int seed_namespace_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	int n = ND_N(c->arg[c->nargs - 1]);
	if ((reg->seed_ns && n == reg->seed[ND_CLAIM_DAX]) || (reg->claim == ND_CLAIM_DAX && n == reg->claim_id))
		sb_printf(out, "namespace%d.0", ND_REG(c->arg[c->nargs - 1]));
	sb_puts(out, "\n");
	return 0;
}

static int seed_namespace_store(struct vfs_ctx *c, const char *buf)
{
	int r = ND_REG(c->arg[c->nargs - 1]), w;
	char tail[4] = "";
	if (buf[0] == '\n' || buf[0] == '\0')
		return nd_dax_seed_set_namespace(c->k, r, false);
	if (sscanf(buf, "namespace%d.0%3s", &w, tail) < 1 || tail[0] || w != r)
		return -ENODEV;
	return nd_dax_seed_set_namespace(c->k, r, true);
}

/* nd_numa_attribute_group: the region's node, shared by its namespace and seeds */
static bool not_bus(struct vfs_ctx *c)
{
	int kd = ND_KIND(c->arg[c->nargs - 1]);
	return kd != ND_BUS && kd != ND_NMEM;
}

static int nd_node_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	sb_printf(out, "%d\n", reg->target_node);
	return 0;
}

/* mode: the namespace's (read-only) and the dax seed's (pfn_devs.c mode_store) */
static bool has_mode(struct vfs_ctx *c)
{
	return is_ns(c) || is_free_dax_seed(c) || ND_KIND(c->arg[c->nargs - 1]) == ND_PFN;
}

static unsigned mode_mode(struct vfs_ctx *c)
{
	return is_ns(c) ? 0444 : 0644;
}

static int pfn_mode_show(struct vfs_ctx *c, struct sbuf *out);
static int any_mode_show(struct vfs_ctx *c, struct sbuf *out)
{
	if (ND_KIND(c->arg[c->nargs - 1]) == ND_PFN)
		return pfn_mode_show(c, out);
	return is_ns(c) ? mode_show(c, out) : seed_mode_show(c, out);
}

/* the configuration ndctl writes before a dax_pmem bind; the pfn, btt and region ones are not modelled */
static int dax_only_mode_store(struct vfs_ctx *c, const char *buf)
{
	return is_free_dax_seed(c) ? seed_mode_store(c, buf) : -EOPNOTSUPP;
}

static int dax_only_align_store(struct vfs_ctx *c, const char *buf)
{
	return is_free_dax_seed(c) ? seed_align_store(c, buf) : -EOPNOTSUPP;
}

static int dax_only_uuid_store(struct vfs_ctx *c, const char *buf)
{
	return is_free_dax_seed(c) ? seed_uuid_store(c, buf) : -EOPNOTSUPP;
}

static bool holds_ns(struct vfs_ctx *c);
/*
 * namespace_store() of the dax device that claimed the namespace: busy while
 * dax_pmem holds it; once unbound, "" detaches the namespace (ndctl's
 * ndctl_dax_delete() on destroy-namespace), and the claim goes.
 */
static int dax_only_namespace_store(struct vfs_ctx *c, const char *buf)
{
	if (!is_free_dax_seed(c))
		return -EOPNOTSUPP;
	if (holds_ns(c)) {
		const struct nd_e820_region *reg = ctx_region(c);
		if (reg->dax)
			return -EBUSY;
		if (buf[0] != '\n' && buf[0] != '\0')
			return -EBUSY;
		return nd_namespace_release(c->k, ND_REG(c->arg[c->nargs - 1]), false);
	}
	return seed_namespace_store(c, buf);
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
static bool is_claim_dev(struct vfs_ctx *c) { return nd_kind(c) >= ND_PFN && nd_kind(c) <= ND_DAX; }
static bool is_region_or_ns(struct vfs_ctx *c) { return is_region(c) || is_ns(c); }

/* the device of this kind and id holds the namespace */
static bool holds_ns(struct vfs_ctx *c)
{
	const struct nd_e820_region *reg = ctx_region(c);
	static const enum nd_claim claim_of[] = { [ND_PFN] = ND_CLAIM_PFN, [ND_BTT] = ND_CLAIM_BTT, [ND_DAX] = ND_CLAIM_DAX };
	int kd = nd_kind(c);
	return reg && kd >= ND_PFN && kd <= ND_DAX && reg->claim == claim_of[kd] && ND_N(c->arg[c->nargs - 1]) == reg->claim_id;
}

/* bus: no ioctl commands on nd_e820 (an empty line), its provider, and wait_probe's flush of the probes */
static int bus_wait_probe_show(struct vfs_ctx *c, struct sbuf *out) { sb_puts(out, "1\n"); return 0; }

static int region_seed_show(struct vfs_ctx *c, struct sbuf *out, enum nd_claim kind, const char *prefix)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	/* a labelled region's seed moves on to namespaceR.1 once namespaceR.0 has its capacity */
	int ns_seed = reg->ns_labelled ? 1 : 0;
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
	if (!holds_ns(c) || (nd_kind(c) == ND_DAX && !reg->dax))
		return -ENXIO;	/* only an enabled device knows its resource */
	sb_printf(out, "%#llx\n", (unsigned long long)(reg->start + reg->data_offset));
	return 0;
}

/*
 * force_raw_store(): libndctl sets it to probe a namespace raw while it
 * looks for an old info block, and clears it after. memhp's raw namespace
 * carries no info block of a former claim, so raw is what nd_pmem sees anyway.
 */
static int ns_force_raw_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	sb_printf(out, "%d\n", reg->force_raw);
	return 0;
}

static int ns_force_raw_store(struct vfs_ctx *c, const char *buf)
{
	struct nd_e820_region *reg = seed_region(c);
	if (!reg)
		return -ENXIO;
	/* kstrtobool() */
	if (strchr("0nN", buf[0]) && buf[0])
		reg->force_raw = false;
	else if (strchr("1yY", buf[0]) && buf[0])
		reg->force_raw = true;
	else
		return -EINVAL;
	return 0;
}

/*
 * __holder_class_store(): -EBUSY while a driver or a claim holds the
 * namespace; libndctl writes "" to clear it. Naming a class ahead of a
 * claim only matters to label namespaces, which nd_e820 has not.
 */
static int ns_holder_class_store(struct vfs_ctx *c, const char *buf)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	if (reg->ns_bound || reg->claim != ND_CLAIM_NONE || reg->seed_ns)
		return -EBUSY;
	static const char *const ok[] = { "", "btt", "pfn", "dax" };
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		size_t n = strlen(ok[i]);
		if (!strncmp(buf, ok[i], n) && (buf[n] == '\0' || buf[n] == '\n'))
			return 0;
	}
	return -EINVAL;
}

/* namespace: holder and holder_class name the claiming device */
static int ns_holder_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	int r = ND_REG(c->arg[c->nargs - 1]);
	if (reg->claim != ND_CLAIM_NONE)
		sb_printf(out, "%s%d.%d", reg->claim == ND_CLAIM_PFN ? "pfn" : reg->claim == ND_CLAIM_BTT ? "btt" : "dax",
			  r, reg->claim_id);
	else if (reg->seed_ns)
		sb_printf(out, "dax%d.%d", r, reg->seed[ND_CLAIM_DAX]);
	sb_puts(out, "\n");
	return 0;
}

static int ns_holder_class_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	static const char *const cls[] = { "", "pfn", "btt", "dax" };
	sb_printf(out, "%s\n", reg->seed_ns ? "dax" : cls[reg->claim]);
	return 0;
}

/* pfn and btt: uuid, namespace, mode and align of the claiming device (a seed's are unset) */
static int claim_uuid_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	sb_printf(out, "%s\n", holds_ns(c) ? reg->uuid : "");
	return 0;
}

static int claim_namespace_show(struct vfs_ctx *c, struct sbuf *out)
{
	if (holds_ns(c))
		sb_printf(out, "namespace%d.0", ND_REG(c->arg[c->nargs - 1]));
	sb_puts(out, "\n");
	return 0;
}

static int pfn_mode_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_puts(out, holds_ns(c) ? "pmem\n" : "none\n");
	return 0;
}

static int pfn_align_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	sb_printf(out, "%lu\n", holds_ns(c) ? reg->align : 2UL << 20);	/* nd_pfn_devinit(): PMD_SIZE */
	return 0;
}

static int any_align_show(struct vfs_ctx *c, struct sbuf *out)
{
	return is_region(c) ? region_align_show(c, out) : is_pfn(c) ? pfn_align_show(c, out) : seed_align_show(c, out);
}

static int any_uuid_show(struct vfs_ctx *c, struct sbuf *out)
{
	return nd_kind(c) == ND_DAX ? seed_uuid_show(c, out) : claim_uuid_show(c, out);
}

static int any_namespace_show(struct vfs_ctx *c, struct sbuf *out)
{
	return nd_kind(c) == ND_DAX ? seed_namespace_show(c, out) : claim_namespace_show(c, out);
}

/* nd_pfn_supported_alignments(): 4 KiB, PMD and PUD sizes on x86 */
static int supported_alignments_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_puts(out, "4096 2097152 1073741824 \n");
	return 0;
}

/* btt_lbasize_supported, with the claim's 4096 selected (nd_size_select_show) */
static int btt_sector_size_show(struct vfs_ctx *c, struct sbuf *out)
{
	static const unsigned sizes[] = { 512, 520, 528, 4096, 4104, 4160, 4224 };
	bool held = holds_ns(c);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		sb_printf(out, held && sizes[i] == 4096 ? "[%u] " : "%u ", sizes[i]);
	sb_puts(out, "\n");
	return 0;
}

static int log_zero_flags_show(struct vfs_ctx *c, struct sbuf *out) { sb_puts(out, "Y\n"); return 0; }

/* driver links: nd_bus and nd_region hold the bus and regions; nd_pmem the raw namespace, pfn and btt; dax_pmem dax */
static bool nd_has_driver(struct vfs_ctx *c)
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
	case ND_DAX:
		return holds_ns(c) && reg->dax;
	default:
		return holds_ns(c);
	}
}

static void nd_up_to_sys(struct vfs_ctx *c, struct sbuf *t)
{
	/* BUS, BUS/nmemN or BUS/regionR, BUS/regionR/dev back to /sys */
	int kd = nd_kind(c);
	nd_bus_to_sysfs(c->k, kd == ND_BUS ? 0 : kd == ND_REGION || kd == ND_NMEM ? 1 : 2, t);
}

static void nd_driver_link(struct vfs_ctx *c, struct sbuf *t)
{
	static const char *const drv[] = { "nd_bus", "nd_region", "nd_pmem", "nd_pmem", "nd_pmem", "dax_pmem", "nvdimm" };
	nd_up_to_sys(c, t);
	sb_printf(t, "bus/nd/drivers/%s", drv[nd_kind(c)]);
}

static void nd_subsystem_link(struct vfs_ctx *c, struct sbuf *t)
{
	nd_up_to_sys(c, t);
	sb_puts(t, "bus/nd");
}

/* ndbus0/nd/ndctl0: the bus's control char device (class nd, major 246 as Debian's 6.1 allocates it) */
#define ND_CTL_MAJOR	246
static int ndctl_dev_show(struct vfs_ctx *c, struct sbuf *out) { sb_printf(out, "%d:0\n", ND_CTL_MAJOR); return 0; }
static void ndctl_device_link(struct vfs_ctx *c, struct sbuf *t) { sb_puts(t, "../../../ndbus0"); }
static void ndctl_subsystem_link(struct vfs_ctx *c, struct sbuf *t)
{
	nd_bus_to_sysfs(c->k, 2, t);	/* BUS/nd/ndctl0 */
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
static const struct vfs_ent bus_nd_ents[] = {
	{ .name = "ndctl0", .type = VFS_DIR, .mode = 0755, .dir = &ndctl_dir },
	{ .name = NULL },
};
static const struct vfs_dir bus_nd_dir = { .ents = bus_nd_ents };
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
	return is_pfn_or_btt(c) && holds_ns(c);
}

static void blk_name(struct vfs_ctx *c, unsigned long id, char *buf, size_t len)
{
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
	sb_printf(out, "259:%d\n", ND_REG(c->arg[c->nargs - 1]));
	return 0;
}

static int blk_size_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	sb_printf(out, "%llu\n", (unsigned long long)((is_ns(c) ? reg->size : reg->claim_size) >> 9));
	return 0;
}

static void blk_device_link(struct vfs_ctx *c, struct sbuf *t)
{
	unsigned long id = c->arg[c->nargs - 1];
	sb_printf(t, "../../../%s%d.%d", nd_kind_prefix[ND_KIND(id)], ND_REG(id), ND_N(id));
}

static void blk_subsystem_link(struct vfs_ctx *c, struct sbuf *t)
{
	nd_bus_to_sysfs(c->k, 4, t);	/* BUS/regionR/{namespace,pfn,btt}R.N/block/pmemR[s] */
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
	{ .name = "align", .type = VFS_FILE, .mode = 0644, .show = any_align_show, .store = dax_only_align_store,
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
	{ .name = "force_raw", .type = VFS_FILE, .mode = 0644, .show = ns_force_raw_show, .store = ns_force_raw_store,
	  .visible = is_ns },
	{ .name = "holder", .type = VFS_FILE, .mode = 0444, .show = ns_holder_show, .visible = is_ns },
	{ .name = "holder_class", .type = VFS_FILE, .mode = 0644, .show = ns_holder_class_show,
	  .store = ns_holder_class_store, .visible = is_ns },
	{ .name = "init_namespaces", .type = VFS_FILE, .mode = 0444, .show = sysfs_nd_init_namespaces_show, .visible = is_region },
	{ .name = "log_zero_flags", .type = VFS_FILE, .mode = 0444, .show = log_zero_flags_show, .visible = is_btt },
	{ .name = "mapping0", .type = VFS_FILE, .mode = 0444, .show = sysfs_nd_mapping0_show,
	  .visible = sysfs_nd_is_mapped_region },
	{ .name = "mappings", .type = VFS_FILE, .mode = 0444, .show = sysfs_nd_mappings_show, .visible = is_region },
	{ .name = "max_available_extent", .type = VFS_FILE, .mode = 0444, .show = sysfs_nd_max_extent_show,
	  .visible = is_region },
	{ .name = "modalias", .type = VFS_FILE, .mode = 0444, .show = nd_modalias_show, .visible = not_bus_dev },
	{ .name = "mode", .type = VFS_FILE, .mode = 0644, .show = any_mode_show, .store = dax_only_mode_store,
	  .visible = has_mode, .mode_of = mode_mode },
	{ .name = "namespace", .type = VFS_FILE, .mode = 0644, .show = any_namespace_show,
	  .store = dax_only_namespace_store, .visible = is_claim_dev },
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
	{ .name = "sector_size", .type = VFS_FILE, .mode = 0644, .show = btt_sector_size_show, .visible = is_btt },
	{ .name = "set_cookie", .type = VFS_FILE, .mode = 0444, .show = sysfs_nd_set_cookie_show,
	  .visible = sysfs_nd_is_mapped_region },
	{ .name = "size", .type = VFS_FILE, .mode = 0444, .show = size_show, .visible = not_bus },
	{ .name = "state", .type = VFS_FILE, .mode = 0444, .show = sysfs_nd_dimm_state_show, .visible = sysfs_nd_is_dimm },
	{ .name = "subsystem", .type = VFS_LINK, .mode = 0777, .link = nd_subsystem_link },
	{ .name = "supported_alignments", .type = VFS_FILE, .mode = 0444, .show = supported_alignments_show,
	  .visible = is_pfn_or_dax },
	{ .name = "target_node", .type = VFS_FILE, .mode = 0444, .show = nd_node_show, .visible = not_bus },
	{ .name = "uevent", .type = VFS_FILE, .mode = 0644, .show = sysfs_nd_uevent_show, .store = sysfs_uevent_store },
	{ .name = "uuid", .type = VFS_FILE, .mode = 0644, .show = any_uuid_show, .store = dax_only_uuid_store,
	  .visible = is_claim_dev },
	{ .name = "wait_probe", .type = VFS_FILE, .mode = 0444, .show = bus_wait_probe_show, .visible = is_bus },
	{ .name = NULL },
};
static const struct vfs_dir nd_tree_dir;
static const struct vfs_ent nd_tree_ent = { .type = VFS_DIR, .mode = 0755, .dir = &nd_tree_dir };
static const struct vfs_dyn nd_tree_dyns[] = {
	{ .lookup = nd_child_lookup, .list = nd_child_list, .ent = &nd_tree_ent },
	{ .lookup = sysfs_dax_child_lookup, .list = sysfs_dax_child_list, .ent = &sysfs_dax_dev_ent },
	{ .lookup = NULL },
};
static const struct vfs_dir nd_tree_dir = { .ents = nd_tree_ents, .dyns = nd_tree_dyns };

static const struct vfs_dyn e820_pmem_dyns[] = {
	{ .lookup = ndbus_lookup, .list = ndbus_list, .ent = &nd_tree_ent },
	{ .lookup = NULL },
};
static const struct vfs_ent e820_pmem_ents[] = {
	{ .name = "uevent", .type = VFS_FILE, .mode = 0644, .show = sysfs_uevent_show, .store = sysfs_uevent_store },
	{ .name = NULL },
};
static const struct vfs_dir e820_pmem_dir = { .ents = e820_pmem_ents, .dyns = e820_pmem_dyns };

static bool nd_provider_is(struct vfs_ctx *c, const char *provider)
{
	return nd_up(c->k) && c->k->nd->provider && !strcmp(c->k->nd->provider, provider);
}

static bool e820_pmem_visible(struct vfs_ctx *c) { return nd_provider_is(c, "e820"); }

/* \_SB.NVDR (ACPI0012), the nfit driver's device: its nvdimm bus ndbus0 hangs below it */
bool sysfs_acpi_nfit_visible(struct vfs_ctx *c) { return nd_provider_is(c, "ACPI.NFIT"); }
const struct vfs_dir sysfs_acpi_nfit_dir = { .ents = e820_pmem_ents, .dyns = e820_pmem_dyns };

static const struct vfs_ent platform_ents[] = {
	{ .name = "e820_pmem", .type = VFS_DIR, .mode = 0755, .dir = &e820_pmem_dir, .visible = e820_pmem_visible },
	{ .name = NULL },
};
const struct vfs_dir sysfs_platform_dir = { .ents = platform_ents };

/* ---- /sys/dev/char/MAJOR:MINOR: the dax char devices (dax_cdev major 252) ---- */

#define NDCTL_CHARDEV	(~0UL - 1)	/* the id of /sys/dev/char/246:0 */
static bool chardev_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	unsigned long r;
	char dax[32];
	if (nd_up(c->k) && !strcmp(name, "246:0")) {
		*id = NDCTL_CHARDEV;
		return true;
	}
	if (sysfs_nd_dimm_chardev_lookup(c, name, id))
		return true;
	if (strncmp(name, "252:", 4) || !vfs_parse_numbered(name + 4, "", &r))
		return false;
	snprintf(dax, sizeof(dax), "dax%lu.0", r);
	return sysfs_dax_lookup(c, dax, id);
}

static void chardev_list(struct vfs_ctx *c, struct strlist *names)
{
	if (nd_up(c->k))
		sl_addf(names, "%d:0", ND_CTL_MAJOR);
	sysfs_nd_dimm_chardev_list(c, names);
	for (int r = 0; nd_up(c->k) && r < c->k->nd->nr_regions; r++)
		if (c->k->nd->region[r].dax)
			sl_addf(names, "252:%d", r);
}

static void chardev_link(struct vfs_ctx *c, struct sbuf *t)
{
	sb_puts(t, "../../");
	if (c->arg[c->nargs - 1] == NDCTL_CHARDEV) {
		nd_bus_path(c->k, t);
		sb_puts(t, "/nd/ndctl0");
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

/* ---- /sys/class/nd: the bus's control device ndctl0, where libndctl finds the buses ---- */

static bool class_ndctl_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	*id = 0;
	return nd_up(c->k) && !strcmp(name, "ndctl0");
}

static void class_ndctl_list(struct vfs_ctx *c, struct strlist *names)
{
	if (nd_up(c->k))
		sl_addf(names, "ndctl0");
}

static void class_ndctl_link(struct vfs_ctx *c, struct sbuf *t)
{
	sb_puts(t, "../../");
	nd_bus_path(c->k, t);
	sb_puts(t, "/nd/ndctl0");
}

static const struct vfs_ent class_ndctl_ent = { .type = VFS_LINK, .mode = 0777, .link = class_ndctl_link };
static const struct vfs_dyn class_nd_dyns[] = {
	{ .lookup = class_ndctl_lookup, .list = class_ndctl_list, .ent = &class_ndctl_ent },
	{ .lookup = NULL },
};
static const struct vfs_dir class_nd_dir = { .dyns = class_nd_dyns };
/* the class exists once libnvdimm registered it with the first bus, nd_e820's or the nfit driver's */
static bool class_nd_visible(struct vfs_ctx *c) { return nd_up(c->k); }
static const struct vfs_ent class_ents[] = {
	{ .name = "nd", .type = VFS_DIR, .mode = 0755, .dir = &class_nd_dir, .visible = class_nd_visible },
	{ .name = NULL },
};
const struct vfs_dir sysfs_class_dir = { .ents = class_ents };
