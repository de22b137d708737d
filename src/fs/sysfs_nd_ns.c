// SPDX-License-Identifier: MIT
/*
 * The pmem namespaces of an NFIT region with valid labels, Linux 6.1
 * (drivers/nvdimm/namespace_devs.c: nd_namespace_attributes as
 * namespace_visible() shows them for a pmem namespace, size writable):
 * regionR/namespaceR.N with uuid, alt_name, size, sector_size, resource,
 * dpa_extents and the attributes an io namespace has too. The claim
 * attributes (holder, mode, force_raw) are served by sysfs_nd.c and
 * sysfs_nd_claim.c for every namespace;
 * the model is drivers/nvdimm/namespace_pmem.c.
 */
#include "fs_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../drivers/nvdimm/nd_e820.h"
#include "../kernel/kernel.h"
#include "sysfs_nd.h"

bool sysfs_nd_pmem_region(struct vfs_ctx *c)
{
	const struct nd_e820_region *reg = ctx_region(c);
	return reg && reg->labels_valid;
}

bool sysfs_nd_ns_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	unsigned long p = parent_id(c);
	int r, n;
	char tail;
	if (p == ~0UL || ND_KIND(p) != ND_REGION || !sysfs_nd_pmem_region(c))
		return false;
	if (sscanf(name, "namespace%d.%d%c", &r, &n, &tail) != 2 || r != ND_REG(p) || n < 0 || n >= ND_MAX_PMEM_NS)
		return false;
	if (!nd_region_has_namespace(ctx_region(c), n))
		return false;
	*id = ND_ID(ND_NS, r, n);
	return true;
}

void sysfs_nd_ns_list(struct vfs_ctx *c, struct strlist *names)
{
	unsigned long p = parent_id(c);
	if (p == ~0UL || ND_KIND(p) != ND_REGION || !sysfs_nd_pmem_region(c))
		return;
	const struct nd_e820_region *reg = ctx_region(c);
	for (int n = 0; n < nd_region_nr_namespaces(reg); n++)
		if (nd_region_has_namespace(reg, n))
			sl_addf(names, "namespace%d.%d", ND_REG(p), n);
}

static int ns_id(struct vfs_ctx *c) { return ND_N(c->arg[c->nargs - 1]); }
static int ns_region(struct vfs_ctx *c) { return ND_REG(c->arg[c->nargs - 1]); }

static const struct nd_namespace_pmem *this_ns(struct vfs_ctx *c)
{
	const struct nd_e820_region *reg = ctx_region(c);
	return reg ? nd_pmem_ns(reg, ns_id(c)) : NULL;
}

/* a store's text without its newline, at most len-1 bytes; -EINVAL when longer */
static int strip(const char *buf, char *out, size_t len)
{
	size_t n = strcspn(buf, "\n");
	if (n >= len)
		return -EINVAL;
	memcpy(out, buf, n);
	out[n] = '\0';
	return 0;
}

static int pmem_size_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_namespace_pmem *ns = this_ns(c);
	if (!ns)
		return -ENXIO;
	sb_printf(out, "%llu\n", (unsigned long long)ns->size);
	return 0;
}

/* size_store(): memparse() of the text, then __size_store() */
static int pmem_size_store(struct vfs_ctx *c, const char *buf)
{
	char *end;
	unsigned long long v = strtoull(buf, &end, 0);
	if (end == buf)
		return -EINVAL;
	static const char suf[] = "KMGTPE";
	const char *p = *end && *end != '\n' ? strchr(suf, *end & ~0x20) : NULL;
	for (int shift = p ? (int)(p - suf) + 1 : 0; shift > 0; shift--)
		v <<= 10;
	return nd_pmem_ns_set_size(c->k, ns_region(c), ns_id(c), v);
}

/* uuid_show(): an empty line until a uuid is set */
static int pmem_uuid_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_namespace_pmem *ns = this_ns(c);
	if (!ns)
		return -ENXIO;
	sb_printf(out, "%s\n", ns->uuid);
	return 0;
}

/* nd_uuid_store(): uuid_parse() of 36 characters, hex digits and dashes at 8, 13, 18, 23 */
static int pmem_uuid_store(struct vfs_ctx *c, const char *buf)
{
	char u[37];
	if (strip(buf, u, sizeof(u)) || strlen(u) != 36)
		return -EINVAL;
	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? u[i] != '-' : !strchr("0123456789abcdefABCDEF", u[i]))
			return -EINVAL;
		u[i] = (char)(u[i] >= 'A' && u[i] <= 'F' ? u[i] + 32 : u[i]);
	}
	return nd_pmem_ns_set_uuid(c->k, ns_region(c), ns_id(c), u);
}

static int pmem_alt_name_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_namespace_pmem *ns = this_ns(c);
	if (!ns)
		return -ENXIO;
	sb_printf(out, "%s\n", ns->alt_name);
	return 0;
}

static int pmem_alt_name_store(struct vfs_ctx *c, const char *buf)
{
	return nd_pmem_ns_set_alt_name(c->k, ns_region(c), ns_id(c), buf);
}

/* nd_size_select_show() over pmem_lbasize_supported: the current one in brackets */
static int pmem_sector_size_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_namespace_pmem *ns = this_ns(c);
	if (!ns)
		return -ENXIO;
	static const unsigned sizes[] = { 512, 4096 };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		sb_printf(out, ns->lbasize == sizes[i] ? "[%u] " : "%u ", sizes[i]);
	sb_puts(out, "\n");
	return 0;
}

static int pmem_sector_size_store(struct vfs_ctx *c, const char *buf)
{
	char *end;
	unsigned long v = strtoul(buf, &end, 0);
	if (end == buf || (*end && *end != '\n'))
		return -EINVAL;
	return nd_pmem_ns_set_sector_size(c->k, ns_region(c), ns_id(c), (unsigned)v);
}

/* resource_show(): the namespace's start; no address while it has no allocation */
static int pmem_resource_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	const struct nd_namespace_pmem *ns = this_ns(c);
	if (!ns || !ns->size)
		return -ENXIO;
	sb_printf(out, "%#llx\n", (unsigned long long)(reg->start + ns->dpa));
	return 0;
}

/* dpa_extents_show(): the DIMM extents labelled with the namespace's uuid (one, or none) */
static int pmem_dpa_extents_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_namespace_pmem *ns = this_ns(c);
	if (!ns)
		return -ENXIO;
	sb_printf(out, "%d\n", ns->size && ns->uuid[0] ? 1 : 0);
	return 0;
}

/* nd_device_uevent's MODALIAS: ND_DEVICE_NAMESPACE_PMEM */
static int pmem_modalias_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_puts(out, "nd:t5\n");
	return 0;
}

/* every namespace's claim: the shared handlers find namespaceR.N's (sysfs_nd_claim.c, sysfs_nd.c) */
static int pmem_mode_show(struct vfs_ctx *c, struct sbuf *out) { return mode_show(c, out); }
static int pmem_holder_show(struct vfs_ctx *c, struct sbuf *out) { return nd_attr_holder_show(c, out); }
static int pmem_holder_class_show(struct vfs_ctx *c, struct sbuf *out) { return nd_attr_holder_class_show(c, out); }

/* __holder_class_store(): busy while a driver holds the namespace */
static int pmem_holder_class_store(struct vfs_ctx *c, const char *buf) { return nd_attr_holder_class_store(c, buf); }

static int pmem_force_raw_show(struct vfs_ctx *c, struct sbuf *out) { return nd_attr_force_raw_show(c, out); }
static int pmem_force_raw_store(struct vfs_ctx *c, const char *buf) { return nd_attr_force_raw_store(c, buf); }

static bool pmem_has_driver(struct vfs_ctx *c)
{
	if (ns_id(c) == 0)
		return nd_has_driver(c);
	const struct nd_namespace_pmem *ns = this_ns(c);
	return ns && ns->bound;
}

/*
 * The disk of a raw pmem namespace (nvdimm_namespace_disk_name()): pmemR
 * for namespaceR.0, pmemR.N for the others; blkext major 259 and the lowest
 * minor free when the disk was made. Only what ndctl reads of it is served.
 */
static void pmem_blk_name(struct vfs_ctx *c, char *buf, size_t len)
{
	if (ns_id(c))
		snprintf(buf, len, "pmem%d.%d", ns_region(c), ns_id(c));
	else
		snprintf(buf, len, "pmem%d", ns_region(c));
}

static bool pmem_blk_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	char want[32];
	pmem_blk_name(c, want, sizeof(want));
	*id = c->arg[c->nargs - 1];
	return !strcmp(name, want);
}

static void pmem_blk_list(struct vfs_ctx *c, struct strlist *names)
{
	char want[32];
	pmem_blk_name(c, want, sizeof(want));
	sl_addf(names, "%s", want);
}

static int pmem_blk_dev_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_namespace_pmem *ns = this_ns(c);
	if (!ns)
		return -ENXIO;
	sb_printf(out, "259:%d\n", ns_id(c) ? ns->minor : ctx_region(c)->disk_minor);
	return 0;
}

static int pmem_blk_size_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_namespace_pmem *ns = this_ns(c);
	if (!ns)
		return -ENXIO;
	sb_printf(out, "%llu\n", (unsigned long long)(ns->size >> 9));
	return 0;
}

static int pmem_blk_ro_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_puts(out, "0\n");
	return 0;
}

static void pmem_blk_device_link(struct vfs_ctx *c, struct sbuf *t)
{
	sb_printf(t, "../../../namespace%d.%d", ns_region(c), ns_id(c));
}

static void pmem_blk_subsystem_link(struct vfs_ctx *c, struct sbuf *t)
{
	nd_bus_to_sysfs(c->k, nd_dev_bus(c->k, ND_ID(ND_REGION, ns_region(c), 0)), 4, t);	/* BUS/regionR/namespaceR.N/block/pmemR.N */
	sb_puts(t, "class/block");
}

static const struct vfs_ent pmem_blk_ents[] = {
	{ .name = "dev", .type = VFS_FILE, .mode = 0444, .show = pmem_blk_dev_show },
	{ .name = "device", .type = VFS_LINK, .mode = 0777, .link = pmem_blk_device_link },
	{ .name = "ro", .type = VFS_FILE, .mode = 0444, .show = pmem_blk_ro_show },
	{ .name = "size", .type = VFS_FILE, .mode = 0444, .show = pmem_blk_size_show },
	{ .name = "subsystem", .type = VFS_LINK, .mode = 0777, .link = pmem_blk_subsystem_link },
	{ .name = NULL },
};
static const struct vfs_dir pmem_blk_dir = { .ents = pmem_blk_ents };
static const struct vfs_ent pmem_blk_ent = { .type = VFS_DIR, .mode = 0755, .dir = &pmem_blk_dir };
static const struct vfs_dyn pmem_block_dyns[] = {
	{ .lookup = pmem_blk_lookup, .list = pmem_blk_list, .ent = &pmem_blk_ent },
	{ .lookup = NULL },
};
static const struct vfs_dir pmem_block_dir = { .dyns = pmem_block_dyns };

/* block/ while nd_pmem holds the namespace raw (namespaceR.0's claims have their disks under pfn/btt) */
static bool pmem_has_block(struct vfs_ctx *c)
{
	const struct nd_e820_region *reg = ctx_region(c);
	const struct nd_namespace_pmem *ns = this_ns(c);
	if (!ns)
		return false;
	return ns_id(c) ? ns->bound : reg->ns_bound && reg->claim == ND_CLAIM_NONE;
}


static const struct vfs_ent pmem_ns_ents[] = {
	{ .name = "alt_name", .type = VFS_FILE, .mode = 0644, .show = pmem_alt_name_show, .store = pmem_alt_name_store },
	{ .name = "block", .type = VFS_DIR, .mode = 0755, .dir = &pmem_block_dir, .visible = pmem_has_block },
	{ .name = "devtype", .type = VFS_FILE, .mode = 0444, .show = devtype_show },
	{ .name = "dpa_extents", .type = VFS_FILE, .mode = 0444, .show = pmem_dpa_extents_show },
	{ .name = "driver", .type = VFS_LINK, .mode = 0777, .link = nd_driver_link, .visible = pmem_has_driver },
	{ .name = "force_raw", .type = VFS_FILE, .mode = 0644, .show = pmem_force_raw_show, .store = pmem_force_raw_store },
	{ .name = "holder", .type = VFS_FILE, .mode = 0444, .show = pmem_holder_show },
	{ .name = "holder_class", .type = VFS_FILE, .mode = 0644, .show = pmem_holder_class_show,
	  .store = pmem_holder_class_store },
	{ .name = "modalias", .type = VFS_FILE, .mode = 0444, .show = pmem_modalias_show },
	{ .name = "mode", .type = VFS_FILE, .mode = 0444, .show = pmem_mode_show },
	{ .name = "nstype", .type = VFS_FILE, .mode = 0444, .show = nstype_show },
	{ .name = "numa_node", .type = VFS_FILE, .mode = 0444, .show = nd_node_show },
	{ .name = "resource", .type = VFS_FILE, .mode = 0400, .show = pmem_resource_show },
	{ .name = "sector_size", .type = VFS_FILE, .mode = 0644, .show = pmem_sector_size_show,
	  .store = pmem_sector_size_store },
	{ .name = "size", .type = VFS_FILE, .mode = 0644, .show = pmem_size_show, .store = pmem_size_store },
	{ .name = "subsystem", .type = VFS_LINK, .mode = 0777, .link = nd_subsystem_link },
	{ .name = "target_node", .type = VFS_FILE, .mode = 0444, .show = nd_node_show },
	{ .name = "uevent", .type = VFS_FILE, .mode = 0644, .show = sysfs_uevent_show, .store = sysfs_uevent_store },
	{ .name = "uuid", .type = VFS_FILE, .mode = 0644, .show = pmem_uuid_show, .store = pmem_uuid_store },
	{ .name = NULL },
};
static const struct vfs_dir pmem_ns_dir = { .ents = pmem_ns_ents };
const struct vfs_ent sysfs_nd_ns_ent = { .type = VFS_DIR, .mode = 0755, .dir = &pmem_ns_dir };
