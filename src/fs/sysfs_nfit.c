// SPDX-License-Identifier: MIT
/*
 * What libndctl reads of an NVDIMM bus beyond the nd_e820 tree (sysfs_nd.c),
 * as Linux 6.1 shows QEMU 7.2's NVDIMMs: the dimm devices nmemN
 * (drivers/nvdimm/dimm_devs.c: commands, dev, flags, state,
 * available_slots; their char devices /dev/nmemN), the nfit driver's nfit/
 * groups (drivers/acpi/nfit/core.c) of the bus, the dimms and the regions,
 * the region attributes that only a region with mappings has
 * (region_devs.c: mappingN, deep_flush, set_cookie), the uevent variables of
 * the bus, dimm and region devices, and libnvdimm's own drivers nd_bus,
 * nd_region and nvdimm, whose nd_region bind and unbind ndctl's
 * enable-region and disable-region write.
 */
#include "fs_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../acpi/nfit.h"
#include "../drivers/nvdimm/nd_e820.h"
#include "../kernel/kernel.h"
#include "../kernel/params.h"
#include "sysfs_nd.h"

/* nvdimm_major: register_chrdev(0, "dimmctl") gets 245 on Debian's 6.1, right below nvdimm_bus_major */
#define ND_DIMM_MAJOR	245

/* the directory is the nfit driver's bus ndbusB (nd_e820's has no nfit/ group and no commands) */
static bool is_nfit_bus(struct vfs_ctx *c)
{
	if (nd_kind(c) != ND_BUS)
		return false;
	int b = nd_dev_bus(c->k, c->arg[c->nargs - 1]);
	return nd_up(c->k) && b >= 0 && b < c->k->nd->nr_buses && !strcmp(c->k->nd->provider[b], "ACPI.NFIT");
}

/* the region of dimm nmemN: nfit.c gives each NVDIMM one region */
const struct nd_e820_region *nd_nmem_region(struct kernel *k, int nmem)
{
	for (int r = 0; nd_up(k) && r < k->nd->nr_regions; r++)
		if (k->nd->region[r].nfit && k->nd->region[r].nmem == nmem)
			return &k->nd->region[r];
	return NULL;
}

static const struct nd_e820_region *dimm_region(struct vfs_ctx *c)
{
	unsigned long id = c->arg[c->nargs - 1];
	return ND_KIND(id) == ND_NMEM ? nd_nmem_region(c->k, ND_REG(id)) : NULL;
}

static bool is_nmem(struct vfs_ctx *c) { return nd_kind(c) == ND_NMEM; }

bool sysfs_nd_is_dimm(struct vfs_ctx *c) { return is_nmem(c); }
bool sysfs_nd_is_bus_or_dimm(struct vfs_ctx *c) { return nd_kind(c) == ND_BUS || is_nmem(c); }

/* a region with a dimm mapping: the NFIT's (nd_e820's regions have ndr_mappings 0) */
bool sysfs_nd_is_mapped_region(struct vfs_ctx *c)
{
	const struct nd_e820_region *reg = nd_kind(c) == ND_REGION ? ctx_region(c) : NULL;
	return reg && reg->nfit;
}

bool sysfs_nd_has_nfit(struct vfs_ctx *c) { return is_nfit_bus(c) || is_nmem(c) || sysfs_nd_is_mapped_region(c); }

/*
 * The bus's commands (nvdimm_bus_descriptor.cmd_mask): the nfit driver
 * offers ND_CMD_CALL, QEMU's root _DSM nothing more; nd_e820 none. A dimm's:
 * ND_CMD_CALL and, for the Intel family, the label commands its _DSM has.
 */
int sysfs_nd_commands_show(struct vfs_ctx *c, struct sbuf *out)
{
	if (is_nmem(c)) {
		const struct nd_e820_region *reg = dimm_region(c);
		if (!reg)
			return -ENXIO;
		if (nfit_dimm_dsm_mask(reg))
			sb_puts(out, "get_size get_data set_data ");
		sb_puts(out, "cmd_call ");
	} else if (is_nfit_bus(c)) {
		sb_puts(out, "cmd_call ");
	}
	sb_puts(out, "\n");
	return 0;
}

int sysfs_nd_dimm_dev_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_printf(out, "%d:%d\n", ND_DIMM_MAJOR, ND_REG(c->arg[c->nargs - 1]));
	return 0;
}

/* nvdimm flags_show(): "lock" and "alias" (NDD_LOCKED, NDD_ALIASING), neither for QEMU's DIMMs */
int sysfs_nd_dimm_flags_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_puts(out, "\n");
	return 0;
}

/*
 * state_show(): "active" while a region holds the dimm's label data
 * (nvdimm->busy): only a DIMM with a label area has any (nvdimm_probe()
 * keeps no drvdata without label commands), and only while its region is
 * enabled.
 */
int sysfs_nd_dimm_state_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = dimm_region(c);
	if (!reg)
		return -ENXIO;
	sb_puts(out, reg->label_area && !reg->disabled && !reg->dimm_disabled ? "active\n" : "idle\n");
	return 0;
}

/*
 * available_slots_show(): nd_label_nfree() - 1, ENXIO without label data.
 * No valid index: all of nvdimm_num_label_slots() with 256-byte labels;
 * ndctl init-labels writes a v1.1 index (128-byte labels, 1020 slots), each
 * namespace takes one label.
 */
int sysfs_nd_dimm_available_slots_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = dimm_region(c);
	const uint64_t config_size = 128 << 10;	/* what nd_label.c models: label-size=128K */
	if (!reg || !reg->label_area || reg->dimm_disabled)
		return -ENXIO;
	uint64_t label = reg->labels_valid ? 128 : 256;
	uint64_t index = 256;	/* __sizeof_namespace_index(): one NSINDEX_ALIGN unit for up to 1480 slots */
	int used = 0;	/* a label for each namespace with capacity */
	for (int i = 0; reg->pmem_ns && i < reg->nr_pmem_ns; i++)
		used += reg->pmem_ns[i].size != 0;
	uint64_t nfree = (config_size - 2 * index) / label - (uint64_t)used;
	sb_printf(out, "%llu\n", (unsigned long long)(nfree - 1));
	return 0;
}

/* ---- the nfit/ groups: acpi_nfit_attribute_group, _dimm_, _region_ ---- */

static uint16_t be16(uint16_t v) { return (uint16_t)(v >> 8 | v << 8); }
static uint32_t be32(uint32_t v) { return v >> 24 | (v >> 8 & 0xff00) | (v << 8 & 0xff0000) | v << 24; }

static int nfit_bus_dsm_mask_show(struct vfs_ctx *c, struct sbuf *out) { sb_puts(out, "0x0\n"); return 0; }
static int nfit_revision_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_printf(out, "%d\n", NFIT_TABLE_REVISION);
	return 0;
}
/*
 * hw_error_scrub: the scrub mode, HW_ERROR_SCRUB_OFF (0) until ON (1) is
 * written; kstrtol(), then only 0 or 1 (kstrtoint's range suffices)
 */
static int nfit_hw_error_scrub_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_printf(out, "%d\n", c->k->nd->hw_error_scrub);
	return 0;
}

static int nfit_hw_error_scrub_store(struct vfs_ctx *c, const char *buf)
{
	int v, rc = kstrtoint(buf, 0, &v);
	if (rc)
		return rc;
	if (v != 0 && v != 1)
		return -EINVAL;
	c->k->nd->hw_error_scrub = v;
	return 0;
}

/* the dimm attributes, from the DIMM's control region and memdev; dcr fields read big-endian as Linux does */
enum nfit_dimm_attr { NA_DEVICE, NA_DSM_MASK, NA_FAMILY, NA_FLAGS, NA_FORMAT, NA_FORMATS, NA_HANDLE, NA_ID, NA_PHYS_ID,
		      NA_REV_ID, NA_SERIAL, NA_SUB_DEVICE, NA_SUB_REV_ID, NA_SUB_VENDOR, NA_VENDOR };

static int nfit_dimm_show(struct vfs_ctx *c, struct sbuf *out, enum nfit_dimm_attr a)
{
	const struct nd_e820_region *reg = dimm_region(c);
	if (!reg)
		return -ENXIO;
	int slot = reg->slot;
	unsigned long dsm = nfit_dimm_dsm_mask(reg);
	switch (a) {
	case NA_DEVICE: sb_printf(out, "0x%04x\n", be16(NFIT_DCR_DEVICE)); break;
	case NA_REV_ID: sb_printf(out, "0x%04x\n", be16(NFIT_DCR_REVISION)); break;
	case NA_VENDOR: sb_printf(out, "0x%04x\n", be16(NFIT_DCR_VENDOR)); break;
	case NA_SUB_DEVICE:
	case NA_SUB_REV_ID:
	case NA_SUB_VENDOR: sb_puts(out, "0x0000\n"); break;
	case NA_FORMAT: sb_printf(out, "0x%04x\n", NFIT_DCR_FIC); break;
	case NA_FORMATS: sb_puts(out, "1\n"); break;
	case NA_SERIAL: sb_printf(out, "0x%08x\n", be32(nfit_dcr_serial(slot))); break;
	case NA_ID: sb_printf(out, "%04x-%08x\n", be16(NFIT_DCR_VENDOR), be32(nfit_dcr_serial(slot))); break;
	case NA_HANDLE: sb_printf(out, "%#x\n", nfit_device_handle(slot)); break;
	case NA_PHYS_ID: sb_puts(out, "0x0\n"); break;	/* QEMU leaves the memdev's physical id 0 */
	case NA_FLAGS: sb_puts(out, "\n"); break;	/* no ACPI_NFIT_MEM_* flag */
	case NA_FAMILY:
	case NA_DSM_MASK:
		if (!dsm)
			return -ENXIO;	/* nfit_mem->family < 0 */
		if (a == NA_FAMILY)
			sb_puts(out, "0\n");	/* NVDIMM_FAMILY_INTEL */
		else
			sb_printf(out, "%#lx\n", dsm);
		break;
	}
	return 0;
}

#define NFIT_DIMM_SHOW(fn, a) \
	static int fn(struct vfs_ctx *c, struct sbuf *out) { return nfit_dimm_show(c, out, a); }
NFIT_DIMM_SHOW(nfit_device_show, NA_DEVICE)
NFIT_DIMM_SHOW(nfit_dsm_mask_show, NA_DSM_MASK)
NFIT_DIMM_SHOW(nfit_family_show, NA_FAMILY)
NFIT_DIMM_SHOW(nfit_flags_show, NA_FLAGS)
NFIT_DIMM_SHOW(nfit_format_show, NA_FORMAT)
NFIT_DIMM_SHOW(nfit_formats_show, NA_FORMATS)
NFIT_DIMM_SHOW(nfit_handle_show, NA_HANDLE)
NFIT_DIMM_SHOW(nfit_id_show, NA_ID)
NFIT_DIMM_SHOW(nfit_phys_id_show, NA_PHYS_ID)
NFIT_DIMM_SHOW(nfit_rev_id_show, NA_REV_ID)
NFIT_DIMM_SHOW(nfit_serial_show, NA_SERIAL)
NFIT_DIMM_SHOW(nfit_sub_device_show, NA_SUB_DEVICE)
NFIT_DIMM_SHOW(nfit_sub_rev_id_show, NA_SUB_REV_ID)
NFIT_DIMM_SHOW(nfit_sub_vendor_show, NA_SUB_VENDOR)
NFIT_DIMM_SHOW(nfit_vendor_show, NA_VENDOR)

/* dsm_mask: the bus's (nd_desc->bus_dsm_mask) and the dimm's */
static int nfit_any_dsm_mask_show(struct vfs_ctx *c, struct sbuf *out)
{
	return is_nmem(c) ? nfit_dsm_mask_show(c, out) : nfit_bus_dsm_mask_show(c, out);
}

/* range_index: the SPA range's index, nvdimm_slot_to_spa_index() */
static int nfit_range_index_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	sb_printf(out, "%u\n", nfit_spa_index(reg->slot));
	return 0;
}

static bool nfit_is_bus(struct vfs_ctx *c) { return nd_kind(c) == ND_BUS; }
static bool nfit_is_region(struct vfs_ctx *c) { return nd_kind(c) == ND_REGION; }

static const struct vfs_ent nfit_group_ents[] = {
	{ .name = "device", .type = VFS_FILE, .mode = 0444, .show = nfit_device_show, .visible = is_nmem },
	{ .name = "dsm_mask", .type = VFS_FILE, .mode = 0444, .show = nfit_any_dsm_mask_show,
	  .visible = sysfs_nd_is_bus_or_dimm },
	{ .name = "family", .type = VFS_FILE, .mode = 0444, .show = nfit_family_show, .visible = is_nmem },
	{ .name = "flags", .type = VFS_FILE, .mode = 0444, .show = nfit_flags_show, .visible = is_nmem },
	{ .name = "format", .type = VFS_FILE, .mode = 0444, .show = nfit_format_show, .visible = is_nmem },
	{ .name = "formats", .type = VFS_FILE, .mode = 0444, .show = nfit_formats_show, .visible = is_nmem },
	{ .name = "handle", .type = VFS_FILE, .mode = 0444, .show = nfit_handle_show, .visible = is_nmem },
	{ .name = "hw_error_scrub", .type = VFS_FILE, .mode = 0644, .show = nfit_hw_error_scrub_show,
	  .store = nfit_hw_error_scrub_store, .visible = nfit_is_bus },
	{ .name = "id", .type = VFS_FILE, .mode = 0444, .show = nfit_id_show, .visible = is_nmem },
	{ .name = "phys_id", .type = VFS_FILE, .mode = 0444, .show = nfit_phys_id_show, .visible = is_nmem },
	{ .name = "range_index", .type = VFS_FILE, .mode = 0444, .show = nfit_range_index_show, .visible = nfit_is_region },
	{ .name = "rev_id", .type = VFS_FILE, .mode = 0444, .show = nfit_rev_id_show, .visible = is_nmem },
	{ .name = "revision", .type = VFS_FILE, .mode = 0444, .show = nfit_revision_show, .visible = nfit_is_bus },
	{ .name = "serial", .type = VFS_FILE, .mode = 0444, .show = nfit_serial_show, .visible = is_nmem },
	{ .name = "subsystem_device", .type = VFS_FILE, .mode = 0444, .show = nfit_sub_device_show, .visible = is_nmem },
	{ .name = "subsystem_rev_id", .type = VFS_FILE, .mode = 0444, .show = nfit_sub_rev_id_show, .visible = is_nmem },
	{ .name = "subsystem_vendor", .type = VFS_FILE, .mode = 0444, .show = nfit_sub_vendor_show, .visible = is_nmem },
	{ .name = "vendor", .type = VFS_FILE, .mode = 0444, .show = nfit_vendor_show, .visible = is_nmem },
	{ .name = NULL },
};
const struct vfs_dir sysfs_nfit_group_dir = { .ents = nfit_group_ents };

/* ---- region attributes of a region with mappings ---- */

/* mappingN: "nmemN,offset,length,position" (one mapping, DPA 0, position 0) */
int sysfs_nd_mapping0_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg || !reg->nfit)
		return -ENXIO;
	sb_printf(out, "nmem%d,0,%llu,0\n", reg->nmem, (unsigned long long)reg->size);
	return 0;
}

/* mappings: ndr_mappings, 0 for nd_e820 */
int sysfs_nd_mappings_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	sb_printf(out, "%d\n", reg->nfit ? 1 : 0);
	return 0;
}

/*
 * deep_flush: nvdimm_has_flush() is 0, QEMU's NFIT has no flush hint
 * address structure (and the region no async flush), so the attribute is
 * read-only and reads 0: the platform's persistence is assumed.
 */
int sysfs_nd_deep_flush_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_puts(out, "0\n");
	return 0;
}

/*
 * set_cookie_show(): with the dimm's label data (a label area) the cookie of
 * its index version, v1.2's while no index is valid; without it cookie1.
 */
int sysfs_nd_set_cookie_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg || !reg->nfit)
		return -ENXIO;
	bool v12 = reg->label_area && !reg->labels_valid;
	sb_printf(out, "%#llx\n", (unsigned long long)(v12 ? nfit_iset_cookie2(reg->slot) : nfit_iset_cookie1(reg->slot)));
	return 0;
}

/* badblocks and init_namespaces need the region's driver data: ENXIO once it is disabled */
int sysfs_nd_badblocks_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	return !reg || reg->disabled ? -ENXIO : 0;
}

int sysfs_nd_init_namespaces_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg || reg->disabled)
		return -ENXIO;
	sb_puts(out, "1/1\n");
	return 0;
}

/*
 * max_available_extent_show(): a labelled region's largest free DPA extent;
 * without valid labels all that is available on a one-DIMM region
 */
int sysfs_nd_max_extent_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct nd_e820_region *reg = ctx_region(c);
	if (!reg)
		return -ENXIO;
	sb_printf(out, "%llu\n", (unsigned long long)(reg->labels_valid ? nd_region_max_extent(reg) : nd_region_available(reg)));
	return 0;
}

/* ---- uevent: nvdimm_bus_uevent(), nvdimm and region device types, the driver core's DRIVER= ---- */

int sysfs_nd_uevent_show(struct vfs_ctx *c, struct sbuf *out)
{
	unsigned long id = c->arg[c->nargs - 1];
	const struct nd_e820_region *reg = ctx_region(c);
	switch (nd_kind(c)) {
	case ND_BUS:
		sb_puts(out, "DRIVER=nd_bus\nMODALIAS=nd:t0\n");
		break;
	case ND_NMEM:
		reg = nd_nmem_region(c->k, ND_REG(id));
		sb_printf(out, "MAJOR=%d\nMINOR=%d\nDEVNAME=nmem%d\nDEVTYPE=nvdimm\n%sMODALIAS=nd:t1\n",
			  ND_DIMM_MAJOR, ND_REG(id), ND_REG(id), reg && reg->dimm_disabled ? "" : "DRIVER=nvdimm\n");
		break;
	case ND_REGION:
		sb_printf(out, "DEVTYPE=nd_pmem\n%sMODALIAS=nd:t2\n", reg && reg->disabled ? "" : "DRIVER=nd_region\n");
		break;
	default:
		break;	/* the namespace and claim devices' variables are not modelled */
	}
	return 0;
}

/* ---- /sys/dev/char/245:N, the dimms' char devices ---- */

bool sysfs_nd_dimm_chardev_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	unsigned long n;
	char pfx[16];
	snprintf(pfx, sizeof(pfx), "%d:", ND_DIMM_MAJOR);
	if (strncmp(name, pfx, strlen(pfx)) || !vfs_parse_numbered(name + strlen(pfx), "", &n) ||
	    !nd_nmem_region(c->k, (int)n))
		return false;
	*id = ND_ID(ND_NMEM, n, 0);
	return true;
}

void sysfs_nd_dimm_chardev_list(struct vfs_ctx *c, struct strlist *names)
{
	for (int i = 0; nd_up(c->k) && i < c->k->nd->nr_nmems; i++)
		if (nd_nmem_region(c->k, i))
			sl_addf(names, "%d:%d", ND_DIMM_MAJOR, i);
}

/* ---- libnvdimm's own drivers: nd_bus, nd_region, nvdimm ---- */

enum nd_core_drv { NDC_BUS, NDC_REGION, NDC_DIMM };
static const int ndc_bus = NDC_BUS, ndc_region = NDC_REGION, ndc_dimm = NDC_DIMM;

static int core_drv(struct vfs_ctx *c) { return *(const int *)c->dir_data; }

/* "regionN" or "nmemN" written to nd_region's or nvdimm's bind or unbind: its region, or NULL */
static struct nd_e820_region *written_dev(struct vfs_ctx *c, const char *buf)
{
	int n;
	char tail[4] = "";
	bool dimm = core_drv(c) == NDC_DIMM;
	if (core_drv(c) == NDC_BUS || !nd_up(c->k) || sscanf(buf, dimm ? "nmem%d%3s" : "region%d%3s", &n, tail) < 1 ||
	    tail[0] || n < 0)
		return NULL;
	if (dimm)
		return (struct nd_e820_region *)nd_nmem_region(c->k, n);
	return n < c->k->nd->nr_regions ? &c->k->nd->region[n] : NULL;
}

/*
 * nd_region's bind (enable-region: ndctl writes the name to each nd driver's
 * bind until one takes it) probes the region again; unbind (disable-region,
 * after ndctl disabled its namespaces) is nd_region_remove(). nvdimm's
 * (enable-dimm, disable-dimm: ndctl skips an active dimm) gives the dimm its
 * label data back or drops it. The bus keeps nd_bus (no bind attributes).
 */
static int core_drv_bind_store(struct vfs_ctx *c, const char *buf)
{
	struct nd_e820_region *reg = written_dev(c, buf);
	if (!reg)
		return -ENODEV;
	bool dimm = core_drv(c) == NDC_DIMM;
	if (!(dimm ? reg->dimm_disabled : reg->disabled))
		return -EBUSY;	/* driver_bind(): the device has a driver already */
	if (dimm) {
		reg->dimm_disabled = false;
		return 0;
	}
	return nd_region_enable(c->k, (int)(reg - c->k->nd->region));
}

static int core_drv_unbind_store(struct vfs_ctx *c, const char *buf)
{
	struct nd_e820_region *reg = written_dev(c, buf);
	bool dimm = core_drv(c) == NDC_DIMM;
	if (!reg || (dimm ? reg->dimm_disabled : reg->disabled))
		return -ENODEV;
	if (dimm) {
		reg->dimm_disabled = true;
		return 0;
	}
	return nd_region_disable(c->k, (int)(reg - c->k->nd->region));
}

static void core_drv_list(struct vfs_ctx *c, struct strlist *names)
{
	if (!nd_up(c->k))
		return;
	switch (core_drv(c)) {
	case NDC_BUS:
		for (int b = 0; b < c->k->nd->nr_buses; b++)
			sl_addf(names, "ndbus%d", b);
		break;
	case NDC_REGION:
		for (int r = 0; r < c->k->nd->nr_regions; r++)
			if (!c->k->nd->region[r].disabled)
				sl_addf(names, "region%d", r);
		break;
	default:
		for (int i = 0; i < c->k->nd->nr_nmems; i++)
			if (nd_nmem_region(c->k, i) && !nd_nmem_region(c->k, i)->dimm_disabled)
				sl_addf(names, "nmem%d", i);
		break;
	}
}

static bool core_drv_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	struct strlist names = { NULL, 0, 0 };
	core_drv_list(c, &names);
	bool found = false;
	for (size_t i = 0; i < names.n && !found; i++)
		found = !strcmp(names.v[i], name);
	sl_free(&names);
	return found && nd_lookup(c, name, id);
}

static void core_drv_dev_link(struct vfs_ctx *c, struct sbuf *t)
{
	sb_puts(t, "../../../../");
	nd_path(c->k, c->arg[c->nargs - 1], t);
}

static void core_drv_module_link(struct vfs_ctx *c, struct sbuf *t)
{
	sb_puts(t, "../../../../module/libnvdimm");
}

/* nd_bus_driver sets suppress_bind_attrs: no bind or unbind */
static bool core_drv_bindable(struct vfs_ctx *c) { return core_drv(c) != NDC_BUS; }

static const struct vfs_ent core_drv_dev_ent = { .type = VFS_LINK, .mode = 0777, .link = core_drv_dev_link };
static const struct vfs_dyn core_drv_dyns[] = {
	{ .lookup = core_drv_lookup, .list = core_drv_list, .ent = &core_drv_dev_ent },
	{ .lookup = NULL },
};
static const struct vfs_ent core_drv_ents[] = {
	{ .name = "bind", .type = VFS_FILE, .mode = 0200, .store = core_drv_bind_store, .visible = core_drv_bindable },
	{ .name = "module", .type = VFS_LINK, .mode = 0777, .link = core_drv_module_link },
	{ .name = "uevent", .type = VFS_FILE, .mode = 0200, .store = sysfs_uevent_store },
	{ .name = "unbind", .type = VFS_FILE, .mode = 0200, .store = core_drv_unbind_store, .visible = core_drv_bindable },
	{ .name = NULL },
};
const struct vfs_dir sysfs_nd_bus_drv_dir = { .ents = core_drv_ents, .dyns = core_drv_dyns, .data = &ndc_bus };
const struct vfs_dir sysfs_nd_region_drv_dir = { .ents = core_drv_ents, .dyns = core_drv_dyns, .data = &ndc_region };
const struct vfs_dir sysfs_nvdimm_drv_dir = { .ents = core_drv_ents, .dyns = core_drv_dyns, .data = &ndc_dimm };
