// SPDX-License-Identifier: MIT
/*
 * /sys/bus/nd and /sys/bus/dax (drivers/nvdimm/bus.c, drivers/dax/bus.c),
 * Linux 6.1, as far as the transcripts and the tools read them: the nd
 * devices of nd_e820 (ndbus0, regionR, namespaceR.0, pfnR.0, bttR.0 and the
 * dax seeds daxR.N), the dax bus devices with size, target_node, align and
 * resource, and the dax drivers' bind, unbind, new_id and remove_id.
 * Unlike Linux, bus devices are directories here rather than links into
 * /sys/devices/platform/e820_pmem.
 */
#include "fs_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../drivers/nvdimm/nd_e820.h"
#include "../kernel/kernel.h"

enum nd_kind { ND_BUS, ND_REGION, ND_NS, ND_PFN, ND_BTT, ND_DAX, ND_NMEM };
static const char *const kind_prefix[] = { "ndbus", "region", "namespace", "pfn", "btt", "dax", "nmem" };

#define ND_ID(kind, r, n)	(((unsigned long)(kind) << 24) | ((unsigned long)(r) << 12) | (unsigned long)(n))
#define ND_KIND(id)		((int)((id) >> 24))
#define ND_REG(id)		((int)(((id) >> 12) & 0xfff))
#define ND_N(id)		((int)((id) & 0xfff))

static bool nd_up(struct kernel *k)
{
	return k->nd && k->nd->registered;
}

static void nd_list(struct vfs_ctx *c, struct strlist *names)
{
	if (!nd_up(c->k))
		return;
	sl_addf(names, "ndbus0");
	for (int r = 0; r < c->k->nd->nr_regions; r++) {
		sl_addf(names, "region%d", r);
		sl_addf(names, "namespace%d.0", r);
		if (c->k->nd->region[r].ns_labelled)
			sl_addf(names, "namespace%d.1", r);	/* the region's next namespace seed */
		sl_addf(names, "pfn%d.0", r);
		sl_addf(names, "btt%d.0", r);
		for (int n = 0; n < c->k->nd->region[r].dax_seeds; n++)
			sl_addf(names, "dax%d.%d", r, n);
	}
	for (int i = 0; i < c->k->nd->nr_nmems; i++)
		sl_addf(names, "nmem%d", i);
}

static bool nd_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	struct strlist names = { NULL, 0, 0 };
	nd_list(c, &names);
	bool found = false;
	for (size_t i = 0; i < names.n && !found; i++) {
		if (strcmp(names.v[i], name))
			continue;
		for (int kd = ND_BUS; kd <= ND_NMEM; kd++) {
			int r = 0, n = 0;
			size_t pl = strlen(kind_prefix[kd]);
			if (strncmp(name, kind_prefix[kd], pl) || name[pl] < '0' || name[pl] > '9')
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

static const struct nd_e820_region *ctx_region(struct vfs_ctx *c)
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
		if (ND_N(id) == 0 && reg->dax) {
			sb_printf(out, "%llu\n", (unsigned long long)reg->dax->size);
			return 0;
		}
		sb_puts(out, "0\n");
		return 0;
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
	sb_printf(out, "%s\n", reg->claim == ND_CLAIM_DAX ? "dax" : reg->nfit ? "raw" : "memory");
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

static int resource_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	sb_printf(out, "%#llx\n", (unsigned long long)reg->start);
	return 0;
}

/*
 * default_align(): MEMREMAP_COMPAT_ALIGN_MAX (16 MiB), lcm'ed with the
 * mappings' page size, unless the region is smaller than it.
 */
static int region_align_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	sb_printf(out, "%#llx\n", reg->size < (16ULL << 20) ? 4096ULL : 16ULL << 20);
	return 0;
}

static bool is_ns(struct vfs_ctx *c) { return ND_KIND(c->arg[c->nargs - 1]) == ND_NS; }
static bool is_bus(struct vfs_ctx *c) { return ND_KIND(c->arg[c->nargs - 1]) == ND_BUS; }
static bool is_region(struct vfs_ctx *c) { return ND_KIND(c->arg[c->nargs - 1]) == ND_REGION; }
/* align and available_size were recorded for NFIT regions only */
static bool is_nfit_region(struct vfs_ctx *c)
{
	const struct nd_e820_region *reg = is_region(c) ? ctx_region(c) : NULL;
	return reg && reg->nfit;
}
static bool has_size(struct vfs_ctx *c)
{
	int kd = ND_KIND(c->arg[c->nargs - 1]);
	return kd == ND_REGION || kd == ND_NS || kd == ND_DAX;
}

static const struct vfs_ent nd_dev_ents[] = {
	{ .name = "align", .type = VFS_FILE, .mode = 0644, .show = region_align_show, .visible = is_nfit_region },
	{ .name = "available_size", .type = VFS_FILE, .mode = 0444, .show = available_size_show, .visible = is_nfit_region },
	{ .name = "devtype", .type = VFS_FILE, .mode = 0444, .show = devtype_show },
	{ .name = "mode", .type = VFS_FILE, .mode = 0444, .show = mode_show, .visible = is_ns },
	{ .name = "nstype", .type = VFS_FILE, .mode = 0444, .show = nstype_show, .visible = is_region },
	{ .name = "provider", .type = VFS_FILE, .mode = 0444, .show = provider_show, .visible = is_bus },
	{ .name = "resource", .type = VFS_FILE, .mode = 0400, .show = resource_show, .visible = is_region },
	{ .name = "size", .type = VFS_FILE, .mode = 0444, .show = size_show, .visible = has_size },
	{ .name = "uevent", .type = VFS_FILE, .mode = 0644, .show = sysfs_uevent_show, .store = sysfs_uevent_store },
	{ .name = NULL },
};
static const struct vfs_dir nd_dev_dir = { .ents = nd_dev_ents };
static const struct vfs_ent nd_dev_ent = { .type = VFS_DIR, .mode = 0755, .dir = &nd_dev_dir };
static const struct vfs_dyn nd_devices_dyns[] = {
	{ .lookup = nd_lookup, .list = nd_list, .ent = &nd_dev_ent },
	{ .lookup = NULL },
};
static const struct vfs_dir nd_devices_dir = { .dyns = nd_devices_dyns };

static const struct vfs_ent nd_bus_ents[] = {
	{ .name = "devices", .type = VFS_DIR, .mode = 0755, .dir = &nd_devices_dir },
	{ .name = NULL },
};
const struct vfs_dir sysfs_bus_nd_dir = { .ents = nd_bus_ents };

/* ---- /sys/bus/dax ---- */

static bool dax_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	int r, n;
	char tail;
	if (!nd_up(c->k) || sscanf(name, "dax%d.%d%c", &r, &n, &tail) != 2 || n != 0 || r < 0 ||
	    r >= c->k->nd->nr_regions || !c->k->nd->region[r].dax)
		return false;
	char canon[32];
	snprintf(canon, sizeof(canon), "dax%d.0", r);
	if (strcmp(canon, name))
		return false;
	*id = (unsigned long)r;
	return true;
}

static void dax_list(struct vfs_ctx *c, struct strlist *names)
{
	for (int r = 0; nd_up(c->k) && r < c->k->nd->nr_regions; r++)
		if (c->k->nd->region[r].dax)
			sl_addf(names, "dax%d.0", r);
}

static const struct dev_dax *ctx_dax(struct vfs_ctx *c)
{
	unsigned long r = c->arg[c->nargs - 1];
	return nd_up(c->k) && r < (unsigned long)c->k->nd->nr_regions ? c->k->nd->region[r].dax : NULL;
}

static int dax_size_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct dev_dax *dd = ctx_dax(c);
	if (!dd)
		return -ENXIO;
	sb_printf(out, "%llu\n", (unsigned long long)dd->size);
	return 0;
}

static int dax_target_node_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct dev_dax *dd = ctx_dax(c);
	if (!dd)
		return -ENXIO;
	sb_printf(out, "%d\n", dd->target_node);
	return 0;
}

static int dax_align_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct dev_dax *dd = ctx_dax(c);
	if (!dd)
		return -ENXIO;
	sb_printf(out, "%lu\n", dd->align);
	return 0;
}

/* resource_show(): the start of the first range */
static int dax_resource_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct dev_dax *dd = ctx_dax(c);
	if (!dd)
		return -ENXIO;
	sb_printf(out, "%#llx\n", (unsigned long long)dd->start);
	return 0;
}

static const struct vfs_ent dax_dev_ents[] = {
	{ .name = "align", .type = VFS_FILE, .mode = 0444, .show = dax_align_show },
	{ .name = "numa_node", .type = VFS_FILE, .mode = 0444, .show = dax_target_node_show },
	{ .name = "resource", .type = VFS_FILE, .mode = 0400, .show = dax_resource_show },
	{ .name = "size", .type = VFS_FILE, .mode = 0444, .show = dax_size_show },
	{ .name = "target_node", .type = VFS_FILE, .mode = 0444, .show = dax_target_node_show },
	{ .name = "uevent", .type = VFS_FILE, .mode = 0644, .show = sysfs_uevent_show, .store = sysfs_uevent_store },
	{ .name = NULL },
};
static const struct vfs_dir dax_dev_dir = { .ents = dax_dev_ents };
static const struct vfs_ent dax_dev_ent = { .type = VFS_DIR, .mode = 0755, .dir = &dax_dev_dir };
static const struct vfs_dyn dax_devices_dyns[] = {
	{ .lookup = dax_lookup, .list = dax_list, .ent = &dax_dev_ent },
	{ .lookup = NULL },
};
static const struct vfs_dir dax_devices_dir = { .dyns = dax_devices_dyns };

/* a driver's directory: dir_data is its enum dax_driver */
static enum dax_driver ctx_drv(struct vfs_ctx *c)
{
	return (enum dax_driver)(*(const int *)c->dir_data);
}

/* the name written: "daxR.0" with an optional newline */
static int written_region(struct kernel *k, const char *buf)
{
	int r;
	char tail[4] = "";
	if (!nd_up(k) || sscanf(buf, "dax%d.0%3s", &r, tail) < 1 || tail[0] || r < 0 || r >= k->nd->nr_regions ||
	    !k->nd->region[r].dax)
		return -1;
	return r;
}

static int drv_bind_store(struct vfs_ctx *c, const char *buf)
{
	int r = written_region(c->k, buf);
	return r < 0 ? -ENODEV : dax_bus_bind(c->k, r, ctx_drv(c));
}

static int drv_unbind_store(struct vfs_ctx *c, const char *buf)
{
	int r = written_region(c->k, buf);
	if (r < 0 || c->k->nd->region[r].dax->driver != ctx_drv(c))
		return -ENODEV;
	return dax_bus_unbind(c->k, r);
}

static int drv_new_id_store(struct vfs_ctx *c, const char *buf)
{
	int r = written_region(c->k, buf);
	return r < 0 ? -EINVAL : dax_bus_new_id(c->k, r, ctx_drv(c), true);
}

static int drv_remove_id_store(struct vfs_ctx *c, const char *buf)
{
	int r = written_region(c->k, buf);
	return r < 0 ? -EINVAL : dax_bus_new_id(c->k, r, ctx_drv(c), false);
}

static const struct vfs_ent dax_drv_ents[] = {
	{ .name = "bind", .type = VFS_FILE, .mode = 0200, .store = drv_bind_store },
	{ .name = "new_id", .type = VFS_FILE, .mode = 0200, .store = drv_new_id_store },
	{ .name = "remove_id", .type = VFS_FILE, .mode = 0200, .store = drv_remove_id_store },
	{ .name = "uevent", .type = VFS_FILE, .mode = 0200, .store = sysfs_uevent_store },
	{ .name = "unbind", .type = VFS_FILE, .mode = 0200, .store = drv_unbind_store },
	{ .name = NULL },
};
static const int drv_device_dax = DAX_DRV_DEVICE_DAX, drv_kmem = DAX_DRV_KMEM;
static const struct vfs_dir device_dax_drv_dir = { .ents = dax_drv_ents, .data = &drv_device_dax };
static const struct vfs_dir kmem_drv_dir = { .ents = dax_drv_ents, .data = &drv_kmem };

static bool device_dax_loaded(struct vfs_ctx *c) { return c->k->nd && c->k->nd->device_dax; }
static bool kmem_loaded(struct vfs_ctx *c) { return c->k->nd && c->k->nd->kmem; }

static const struct vfs_ent dax_drivers_ents[] = {
	{ .name = "device_dax", .type = VFS_DIR, .mode = 0755, .dir = &device_dax_drv_dir, .visible = device_dax_loaded },
	{ .name = "kmem", .type = VFS_DIR, .mode = 0755, .dir = &kmem_drv_dir, .visible = kmem_loaded },
	{ .name = NULL },
};
static const struct vfs_dir dax_drivers_dir = { .ents = dax_drivers_ents };

static const struct vfs_ent dax_bus_ents[] = {
	{ .name = "devices", .type = VFS_DIR, .mode = 0755, .dir = &dax_devices_dir },
	{ .name = "drivers", .type = VFS_DIR, .mode = 0755, .dir = &dax_drivers_dir },
	{ .name = NULL },
};
const struct vfs_dir sysfs_bus_dax_dir = { .ents = dax_bus_ents };

/* the buses exist once a module registered them (libnvdimm, the dax core) */
bool sysfs_bus_nd_visible(struct vfs_ctx *c) { return c->k->nd != NULL; }
