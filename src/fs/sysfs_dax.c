// SPDX-License-Identifier: MIT
/*
 * /sys/bus/dax (drivers/dax/bus.c), Linux 6.1: the dax bus devices daxR.0
 * that dax_pmem makes over a devdax namespace, with size, target_node,
 * align, resource and mapping0, the drivers device_dax and kmem with bind,
 * unbind, new_id and remove_id, and the nd dax device's dax_region/.
 * The device itself lives below the nd dax device that claimed the
 * namespace (sysfs_nd.c builds that tree).
 */
#include "fs_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../drivers/nvdimm/nd_e820.h"
#include "../kernel/kernel.h"
#include "sysfs_nd.h"

/* the directory id of the dax bus device daxR.N */
#define DAX_DEV_ID(r, n)	(((unsigned long)(r) << 12) | (unsigned long)(n))
#define DAX_DEV_REG(id)		((int)((id) >> 12))
#define DAX_DEV_N(id)		((int)((id) & 0xfff))

/* from a dax bus device (BUS/regionR/daxR.M/daxR.N) up to /sys */
static void dax_dev_to_sysfs(struct vfs_ctx *c, struct sbuf *t)
{
	nd_bus_to_sysfs(c->k, nd_dev_bus(c->k, ND_ID(ND_REGION, DAX_DEV_REG(c->arg[c->nargs - 1]), 0)), 3, t);
}

static struct dev_dax *dax_of_id(struct kernel *k, unsigned long id)
{
	return nd_up(k) ? nd_dev_dax_find(k, DAX_DEV_REG(id), DAX_DEV_N(id)) : NULL;
}

/* the dax device a name ("daxR.N", optionally with a newline if nl) names, NULL if none */
static struct dev_dax *dax_by_name(struct kernel *k, const char *name, bool nl)
{
	int r, n;
	char tail[4] = "";
	if (!nd_up(k) || sscanf(name, "dax%d.%d%3s", &r, &n, tail) < 2 || (tail[0] && !(nl && !strcmp(tail, "\n"))))
		return NULL;
	struct dev_dax *dd = nd_dev_dax_find(k, r, n);
	if (!dd || strncmp(dd->name, name, strlen(dd->name)) || (name[strlen(dd->name)] && !nl))
		return NULL;
	return dd;
}

bool sysfs_dax_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	const struct dev_dax *dd = dax_by_name(c->k, name, false);
	if (!dd)
		return false;
	*id = DAX_DEV_ID(dd->region, dd->id);
	return true;
}

/* every dax bus device, in region and id order */
static void dax_each(struct kernel *k, void (*fn)(struct dev_dax *dd, void *arg), void *arg)
{
	for (int r = 0; nd_up(k) && r < k->nd->nr_regions; r++) {
		struct nd_e820_region *reg = &k->nd->region[r];
		for (int n = 0; n < nd_region_nr_namespaces(reg) || n == 0; n++) {
			struct nd_ns_claim *cl = nd_ns_claim(reg, n);
			if (cl && cl->dax)
				fn(cl->dax, arg);
		}
	}
}

struct dax_list_arg {
	struct strlist *names;
	int drv;	/* -1: any */
};

static void dax_list_one(struct dev_dax *dd, void *arg)
{
	struct dax_list_arg *a = arg;
	if (a->drv < 0 || (int)dd->driver == a->drv)
		sl_addf(a->names, "%s", dd->name);
}

static void dax_list(struct vfs_ctx *c, struct strlist *names)
{
	struct dax_list_arg a = { names, -1 };
	dax_each(c->k, dax_list_one, &a);
}

static const struct dev_dax *ctx_dax(struct vfs_ctx *c)
{
	return dax_of_id(c->k, c->arg[c->nargs - 1]);
}

/* the dax device's attributes that read one of its fields (dev_dax_attributes, dax_mapping_attributes) */
enum dax_field { DAX_SIZE, DAX_TARGET_NODE, DAX_ALIGN, DAX_START, DAX_END };

static int dax_field_show(struct vfs_ctx *c, struct sbuf *out, enum dax_field f)
{
	const struct dev_dax *dd = ctx_dax(c);
	if (!dd)
		return -ENXIO;
	switch (f) {
	case DAX_SIZE:
		sb_printf(out, "%llu\n", (unsigned long long)dd->size);
		break;
	case DAX_TARGET_NODE:
		sb_printf(out, "%d\n", dd->target_node);
		break;
	case DAX_ALIGN:
		sb_printf(out, "%lu\n", dd->align);
		break;
	case DAX_START:	/* resource_show() and mapping0/start: the start of the one range */
		sb_printf(out, "%#llx\n", (unsigned long long)dd->start);
		break;
	case DAX_END:
		sb_printf(out, "%#llx\n", (unsigned long long)(dd->start + dd->size - 1));
		break;
	}
	return 0;
}

static int dax_size_show(struct vfs_ctx *c, struct sbuf *out) { return dax_field_show(c, out, DAX_SIZE); }
static int dax_target_node_show(struct vfs_ctx *c, struct sbuf *out) { return dax_field_show(c, out, DAX_TARGET_NODE); }
static int dax_align_show(struct vfs_ctx *c, struct sbuf *out) { return dax_field_show(c, out, DAX_ALIGN); }
static int dax_start_show(struct vfs_ctx *c, struct sbuf *out) { return dax_field_show(c, out, DAX_START); }
static int dax_end_show(struct vfs_ctx *c, struct sbuf *out) { return dax_field_show(c, out, DAX_END); }

/* dev: the char device's numbers; dax_cdev major is dynamic, the first free one (252 on Debian's 6.1) */
static int dax_dev_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct dev_dax *dd = ctx_dax(c);
	if (!dd)
		return -ENXIO;
	sb_printf(out, "252:%d\n", dd->minor);
	return 0;
}

/* modalias_show(): "dax:t0" for a static (pmem) region */
static int dax_modalias_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_puts(out, "dax:t0\n");
	return 0;
}

static void dax_subsystem_link(struct vfs_ctx *c, struct sbuf *t)
{
	dax_dev_to_sysfs(c, t);
	sb_puts(t, "bus/dax");
}

static bool dax_bound(struct vfs_ctx *c)
{
	const struct dev_dax *dd = ctx_dax(c);
	return dd && dd->driver != DAX_DRV_NONE;
}

static void dax_driver_link(struct vfs_ctx *c, struct sbuf *t)
{
	const struct dev_dax *dd = ctx_dax(c);
	dax_dev_to_sysfs(c, t);
	sb_printf(t, "bus/dax/drivers/%s", dd && dd->driver == DAX_DRV_KMEM ? "kmem" : "device_dax");
}

/* mapping0 (dax_mapping_attributes): the one range of a static region; page_offset is its pgoff */
static int mapping_page_offset_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_puts(out, "0x0\n");
	return 0;
}

static struct dev_pm_info *dax_pm(struct vfs_ctx *c)
{
	struct dev_dax *dd = (struct dev_dax *)ctx_dax(c);
	return dd ? &dd->power : NULL;
}
static struct dev_pm_info *mapping_pm(struct vfs_ctx *c)
{
	struct dev_dax *dd = (struct dev_dax *)ctx_dax(c);
	return dd ? &dd->mapping_power : NULL;
}
static const struct sysfs_pm_owner dax_pm_owner = { .info = dax_pm };
static const struct sysfs_pm_owner mapping_pm_owner = { .info = mapping_pm };
static const struct vfs_dir dax_power_dir = SYSFS_POWER_DIR(&dax_pm_owner);
static const struct vfs_dir mapping_power_dir = SYSFS_POWER_DIR(&mapping_pm_owner);

static const struct vfs_ent mapping_ents[] = {
	{ .name = "end", .type = VFS_FILE, .mode = 0400, .show = dax_end_show },
	{ .name = "page_offset", .type = VFS_FILE, .mode = 0400, .show = mapping_page_offset_show },
	{ .name = "power", .type = VFS_DIR, .mode = 0755, .dir = &mapping_power_dir },
	{ .name = "start", .type = VFS_FILE, .mode = 0400, .show = dax_start_show },
	{ .name = "uevent", .type = VFS_FILE, .mode = 0644, .show = sysfs_uevent_show, .store = sysfs_uevent_store },
	{ .name = NULL },
};
static const struct vfs_dir mapping_dir = { .ents = mapping_ents };

static const struct vfs_ent dax_dev_ents[] = {
	{ .name = "align", .type = VFS_FILE, .mode = 0444, .show = dax_align_show },
	{ .name = "dev", .type = VFS_FILE, .mode = 0444, .show = dax_dev_show },
	{ .name = "driver", .type = VFS_LINK, .mode = 0777, .link = dax_driver_link, .visible = dax_bound },
	{ .name = "mapping0", .type = VFS_DIR, .mode = 0755, .dir = &mapping_dir },
	{ .name = "modalias", .type = VFS_FILE, .mode = 0444, .show = dax_modalias_show },
	{ .name = "numa_node", .type = VFS_FILE, .mode = 0444, .show = dax_target_node_show },
	{ .name = "power", .type = VFS_DIR, .mode = 0755, .dir = &dax_power_dir },
	{ .name = "resource", .type = VFS_FILE, .mode = 0400, .show = dax_start_show },
	{ .name = "size", .type = VFS_FILE, .mode = 0444, .show = dax_size_show },
	{ .name = "subsystem", .type = VFS_LINK, .mode = 0777, .link = dax_subsystem_link },
	{ .name = "target_node", .type = VFS_FILE, .mode = 0444, .show = dax_target_node_show },
	{ .name = "uevent", .type = VFS_FILE, .mode = 0644, .show = sysfs_uevent_show, .store = sysfs_uevent_store },
	{ .name = NULL },
};
static const struct vfs_dir dax_dev_dir = { .ents = dax_dev_ents };
const struct vfs_ent sysfs_dax_dev_ent = { .type = VFS_DIR, .mode = 0755, .dir = &dax_dev_dir };

/* a dax bus device is the child of the nd dax device that claimed its namespace */
void sysfs_dax_path(struct kernel *k, unsigned long id, struct sbuf *t)
{
	int r = DAX_DEV_REG(id), n = DAX_DEV_N(id);
	const struct nd_ns_claim *cl = nd_up(k) && r < k->nd->nr_regions ? nd_ns_claim(&k->nd->region[r], n) : NULL;
	nd_bus_path(k, nd_dev_bus(k, ND_ID(ND_REGION, r, 0)), t);
	sb_printf(t, "/region%d/dax%d.%d/dax%d.%d", r, r, cl ? cl->claim_id : 0, r, n);
}

unsigned long sysfs_dax_minor_id(struct kernel *k, int minor)
{
	for (int r = 0; nd_up(k) && r < k->nd->nr_regions; r++) {
		struct nd_e820_region *reg = &k->nd->region[r];
		for (int n = 0; n < nd_region_nr_namespaces(reg) || n == 0; n++) {
			const struct nd_ns_claim *cl = nd_ns_claim(reg, n);
			if (cl && cl->dax && cl->dax->minor == minor)
				return DAX_DEV_ID(r, n);
		}
	}
	return ~0UL;
}

static void dax_bus_dev_link(struct vfs_ctx *c, struct sbuf *t)
{
	sb_puts(t, "../../../");
	sysfs_dax_path(c->k, c->arg[c->nargs - 1], t);
}

static const struct vfs_ent dax_bus_dev_ent = { .type = VFS_LINK, .mode = 0777, .link = dax_bus_dev_link };
static const struct vfs_dyn dax_devices_dyns[] = {
	{ .lookup = sysfs_dax_lookup, .list = dax_list, .ent = &dax_bus_dev_ent },
	{ .lookup = NULL },
};
static const struct vfs_dir dax_devices_dir = { .dyns = dax_devices_dyns };

/* a driver's directory: dir_data is its enum dax_driver */
static enum dax_driver ctx_drv(struct vfs_ctx *c)
{
	return (enum dax_driver)(*(const int *)c->dir_data);
}

/* the device a name written names: "daxR.N" with an optional newline */
static struct dev_dax *written_dax(struct kernel *k, const char *buf)
{
	return dax_by_name(k, buf, true);
}

static int drv_bind_store(struct vfs_ctx *c, const char *buf)
{
	struct dev_dax *dd = written_dax(c->k, buf);
	return !dd ? -ENODEV : dax_bus_bind(c->k, dd, ctx_drv(c));
}

static int drv_unbind_store(struct vfs_ctx *c, const char *buf)
{
	struct dev_dax *dd = written_dax(c->k, buf);
	if (!dd || dd->driver != ctx_drv(c))
		return -ENODEV;
	return dax_bus_unbind(c->k, dd);
}

static int drv_new_id_store(struct vfs_ctx *c, const char *buf)
{
	struct dev_dax *dd = written_dax(c->k, buf);
	return !dd ? -EINVAL : dax_bus_new_id(c->k, dd, ctx_drv(c), true);
}

static int drv_remove_id_store(struct vfs_ctx *c, const char *buf)
{
	struct dev_dax *dd = written_dax(c->k, buf);
	return !dd ? -EINVAL : dax_bus_new_id(c->k, dd, ctx_drv(c), false);
}

/* a driver's links to the devices it holds (driver_sysfs_add) */
static bool drv_dev_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	const struct dev_dax *dd = dax_by_name(c->k, name, false);
	if (!dd || dd->driver != ctx_drv(c))
		return false;
	*id = DAX_DEV_ID(dd->region, dd->id);
	return true;
}

static void drv_dev_list(struct vfs_ctx *c, struct strlist *names)
{
	struct dax_list_arg a = { names, (int)ctx_drv(c) };
	dax_each(c->k, dax_list_one, &a);
}

static void drv_dev_link(struct vfs_ctx *c, struct sbuf *t)
{
	sb_puts(t, "../../../../");
	sysfs_dax_path(c->k, c->arg[c->nargs - 1], t);
}

static void drv_module_link(struct vfs_ctx *c, struct sbuf *t)
{
	sb_printf(t, "../../../../module/%s", ctx_drv(c) == DAX_DRV_KMEM ? "kmem" : "device_dax");
}

static const struct vfs_ent drv_dev_ent = { .type = VFS_LINK, .mode = 0777, .link = drv_dev_link };
static const struct vfs_dyn dax_drv_dyns[] = {
	{ .lookup = drv_dev_lookup, .list = drv_dev_list, .ent = &drv_dev_ent },
	{ .lookup = NULL },
};

static const struct vfs_ent dax_drv_ents[] = {
	{ .name = "bind", .type = VFS_FILE, .mode = 0200, .store = drv_bind_store },
	{ .name = "module", .type = VFS_LINK, .mode = 0777, .link = drv_module_link },
	{ .name = "new_id", .type = VFS_FILE, .mode = 0200, .store = drv_new_id_store },
	{ .name = "remove_id", .type = VFS_FILE, .mode = 0200, .store = drv_remove_id_store },
	{ .name = "uevent", .type = VFS_FILE, .mode = 0200, .store = sysfs_uevent_store },
	{ .name = "unbind", .type = VFS_FILE, .mode = 0200, .store = drv_unbind_store },
	{ .name = NULL },
};
static const int drv_device_dax = DAX_DRV_DEVICE_DAX, drv_kmem = DAX_DRV_KMEM;
static const struct vfs_dir device_dax_drv_dir = { .ents = dax_drv_ents, .dyns = dax_drv_dyns, .data = &drv_device_dax };
static const struct vfs_dir kmem_drv_dir = { .ents = dax_drv_ents, .dyns = dax_drv_dyns, .data = &drv_kmem };

static bool device_dax_loaded(struct vfs_ctx *c) { return c->k->nd && c->k->nd->device_dax; }
static bool kmem_loaded(struct vfs_ctx *c) { return c->k->nd && c->k->nd->kmem; }

static const struct vfs_ent dax_drivers_ents[] = {
	{ .name = "device_dax", .type = VFS_DIR, .mode = 0755, .dir = &device_dax_drv_dir, .visible = device_dax_loaded },
	{ .name = "kmem", .type = VFS_DIR, .mode = 0755, .dir = &kmem_drv_dir, .visible = kmem_loaded },
	{ .name = NULL },
};
static const struct vfs_dir dax_drivers_dir = { .ents = dax_drivers_ents };

static int one_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_puts(out, "1\n");
	return 0;
}

static int autoprobe_store(struct vfs_ctx *c, const char *buf)
{
	return 0;
}

/* bus_probe_device() of the named device: -ENODEV unless it is a free dax device the drivers take */
static int dax_drivers_probe_store(struct vfs_ctx *c, const char *buf)
{
	struct dev_dax *dd = written_dax(c->k, buf);
	if (!dd)
		return -ENODEV;
	if (dd->driver == DAX_DRV_NONE && c->k->nd->device_dax)
		(void)dax_bus_bind(c->k, dd, DAX_DRV_DEVICE_DAX);
	return 0;
}

static const struct vfs_ent dax_bus_ents[] = {
	{ .name = "devices", .type = VFS_DIR, .mode = 0755, .dir = &dax_devices_dir },
	{ .name = "drivers", .type = VFS_DIR, .mode = 0755, .dir = &dax_drivers_dir },
	{ .name = "drivers_autoprobe", .type = VFS_FILE, .mode = 0644, .show = one_show, .store = autoprobe_store },
	{ .name = "drivers_probe", .type = VFS_FILE, .mode = 0200, .store = dax_drivers_probe_store },
	{ .name = "uevent", .type = VFS_FILE, .mode = 0200, .store = sysfs_uevent_store },
	{ .name = NULL },
};
const struct vfs_dir sysfs_bus_dax_dir = { .ents = dax_bus_ents };

/* the dax bus device of the namespace the nd dax device (the directory's parent) claims, NULL if none */
static struct dev_dax *nd_dax_child(struct vfs_ctx *c)
{
	unsigned long p = parent_id(c);
	if (p == ~0UL || ND_KIND(p) != ND_DAX || !nd_up(c->k) || ND_REG(p) >= c->k->nd->nr_regions)
		return NULL;
	struct nd_e820_region *reg = &c->k->nd->region[ND_REG(p)];
	int ns = nd_claim_dev_ns(reg, ND_CLAIM_DAX, ND_N(p));
	return ns < 0 ? NULL : nd_ns_claim(reg, ns)->dax;
}

/* the dax bus device under the nd dax device that holds it */
bool sysfs_dax_child_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	const struct dev_dax *dd = nd_dax_child(c);
	if (!dd || strcmp(dd->name, name))
		return false;
	*id = DAX_DEV_ID(dd->region, dd->id);
	return true;
}

void sysfs_dax_child_list(struct vfs_ctx *c, struct strlist *names)
{
	const struct dev_dax *dd = nd_dax_child(c);
	if (dd)
		sl_addf(names, "%s", dd->name);
}

/* dax_region/ (drivers/dax/bus.c): a static region shows id, size and align only */
bool sysfs_has_dax_region(struct vfs_ctx *c)
{
	return nd_dax_child(c) != NULL;
}

static int dax_region_id_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_printf(out, "%d\n", ND_REG(parent_id(c)));
	return 0;
}

static int dax_region_size_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct dev_dax *dd = nd_dax_child(c);
	if (!dd)
		return -ENXIO;
	sb_printf(out, "%llu\n", (unsigned long long)dd->size);
	return 0;
}

static int dax_region_align_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct dev_dax *dd = nd_dax_child(c);
	if (!dd)
		return -ENXIO;
	sb_printf(out, "%lu\n", dd->align);
	return 0;
}

static const struct vfs_ent dax_region_ents[] = {
	{ .name = "align", .type = VFS_FILE, .mode = 0444, .show = dax_region_align_show },
	{ .name = "id", .type = VFS_FILE, .mode = 0444, .show = dax_region_id_show },
	{ .name = "size", .type = VFS_FILE, .mode = 0444, .show = dax_region_size_show },
	{ .name = NULL },
};
const struct vfs_dir sysfs_dax_region_dir = { .ents = dax_region_ents };
