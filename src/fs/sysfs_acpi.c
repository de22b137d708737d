// SPDX-License-Identifier: MIT
/*
 * /sys/devices/LNXSYSTM:00: the part of the ACPI device tree
 * (drivers/acpi/device_sysfs.c, scan.c, glue.c) that a memory block's
 * firmware_node leads to. QEMU's pc machine declares its memory slots as
 * \_SB.MHPC.MPxx (_HID PNP0C80, _UID "0xNN") under the memory-hotplug
 * container \_SB.MHPC (PNP0A06, the fifth PNP0A06 the guest enumerates, so
 * PNP0A06:04). Every slot has its ACPI device from boot on, plugged or not;
 * only its _STA changes. With nvdimm=on, \_SB.NVDR (ACPI0012:00) holds the
 * nfit driver's nvdimm bus (sysfs_nd.c), shown once that bus is registered.
 * The rest of the ACPI tree (the PCI root, the buttons, the CPUs,
 * /sys/bus/acpi, ACPI0012's own hid, path, ...) is not modelled, so those
 * directories list only what leads to the memory and nvdimm devices.
 */
#include "fs_internal.h"

#include <errno.h>
#include <string.h>

#include "../acpi/acpi.h"
#include "../kernel/kernel.h"

/* What distinguishes the fixed devices on the way (their acpi_device_attrs) */
struct acpi_fixed_dev {
	const char *hid, *path, *uid;
	int status;		/* _STA, or -1 where the device has none */
	int pm;			/* index in k->acpi_bus_pm */
};

struct acpi_dir_data {
	struct sysfs_pm_owner pm_owner;		/* first: the data of the device's power/ too */
	const struct acpi_fixed_dev *fixed;	/* NULL: a memory slot (PNP0C80:NN, slot in the last arg) */
};

static const struct acpi_dir_data *acpi_data(struct vfs_ctx *c)
{
	return c->dir_data;
}

static int mem_slot(struct vfs_ctx *c)
{
	return (int)c->arg[0];	/* PNP0C80:NN is the only dynamic component on the way */
}

/* _STA of \_SB.MHPC.MPxx (QEMU's MRST): 0xF while the slot holds a DIMM the guest knows */
static int slot_status(struct vfs_ctx *c)
{
	int slot = mem_slot(c);
	return slot >= 0 && slot < 256 && c->k->acpi_mem[slot] ? 15 : 0;
}

static int acpi_hid_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct acpi_dir_data *d = acpi_data(c);
	sb_printf(out, "%s\n", d->fixed ? d->fixed->hid : "PNP0C80");
	return 0;
}

static int acpi_path_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct acpi_dir_data *d = acpi_data(c);
	if (d->fixed)
		sb_printf(out, "%s\n", d->fixed->path);
	else
		sb_printf(out, "\\_SB_.MHPC.MP%02X\n", mem_slot(c));
	return 0;
}

static int acpi_uid_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct acpi_dir_data *d = acpi_data(c);
	if (d->fixed)
		sb_printf(out, "%s\n", d->fixed->uid);
	else
		sb_printf(out, "0x%02X\n", mem_slot(c));	/* QEMU's _UID is this string */
	return 0;
}

static int acpi_status_show(struct vfs_ctx *c, struct sbuf *out)
{
	const struct acpi_dir_data *d = acpi_data(c);
	sb_printf(out, "%d\n", d->fixed ? d->fixed->status : slot_status(c));
	return 0;
}

/* create_pnp_modalias(): nothing for a device that is not present */
static void modalias(struct vfs_ctx *c, struct sbuf *out)
{
	const struct acpi_dir_data *d = acpi_data(c);
	if (d->fixed)
		sb_printf(out, "acpi:%s:", d->fixed->hid);
	else if (slot_status(c))
		sb_puts(out, "acpi:PNP0C80:");
}

static int acpi_modalias_show(struct vfs_ctx *c, struct sbuf *out)
{
	struct sbuf m = SBUF_INIT;
	modalias(c, &m);
	if (m.len)
		sb_printf(out, "%s\n", sb_str(&m));
	else
		sb_add(out, "", 0);
	sb_free(&m);
	return 0;
}

/* acpi_device_uevent(): MODALIAS= even when empty */
static int acpi_uevent_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_puts(out, "MODALIAS=");
	modalias(c, out);
	sb_puts(out, "\n");
	return 0;
}

/*
 * acpi_eject_store(): "1..." queues the eject (acpi_hotplug_schedule with
 * ACPI_OST_EC_OSPM_EJECT) and the write returns at once; a slot the memory
 * handler does not hold is -ENODEV. The eject then runs as a device_del's
 * does, and QEMU drops the DIMM on _EJ0 (k->acpi_eject, set by the machine).
 */
static int acpi_eject_store(struct vfs_ctx *c, const char *buf)
{
	int slot = mem_slot(c);
	if (buf[0] != '1')
		return -EINVAL;
	if (!slot_status(c))
		return -ENODEV;
	if (c->k->acpi_eject)
		c->k->acpi_eject(c->k->hook_opaque, slot);
	return 0;
}

static bool acpi_has_uid(struct vfs_ctx *c)
{
	const struct acpi_dir_data *d = acpi_data(c);
	return !d->fixed || d->fixed->uid;
}

static bool acpi_has_status(struct vfs_ctx *c)
{
	const struct acpi_dir_data *d = acpi_data(c);
	return !d->fixed || d->fixed->status >= 0;
}

static bool acpi_is_slot(struct vfs_ctx *c)
{
	return !acpi_data(c)->fixed;
}

static void acpi_subsystem_link(struct vfs_ctx *c, struct sbuf *t)
{
	/* one "../" per level below /sys/devices, then to /sys/bus/acpi */
	const struct acpi_dir_data *d = acpi_data(c);
	int depth = d->fixed ? d->fixed->pm + 1 : 4;
	for (int i = 0; i < depth + 1; i++)
		sb_puts(t, "../");
	sb_puts(t, "bus/acpi");
}

/*
 * physical_node, physical_node1, ...: acpi_bind_one() links the memory blocks
 * of a slot in the order they were bound (by id, as __add_memory creates them).
 */
static struct memory_block *slot_block(struct vfs_ctx *c, unsigned long index)
{
	unsigned long nr = nr_memory_blocks(c->k), n = 0;
	for (unsigned long i = 0; i < nr; i++) {
		struct memory_block *mem = memory_block_at(c->k, i);
		if (mem && mem->acpi_slot == mem_slot(c) && n++ == index)
			return mem;
	}
	return NULL;
}

static bool physical_node_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	unsigned long index = 0;
	if (acpi_data(c)->fixed)
		return false;
	if (strcmp(name, "physical_node") != 0 &&
	    (!vfs_parse_numbered(name, "physical_node", &index) || index == 0))
		return false;
	if (!slot_block(c, index))
		return false;
	*id = index;
	return true;
}

static void physical_node_list(struct vfs_ctx *c, struct strlist *names)
{
	if (acpi_data(c)->fixed)
		return;
	for (unsigned long i = 0; slot_block(c, i); i++) {
		if (i == 0)
			sl_add(names, "physical_node");
		else
			sl_addf(names, "physical_node%lu", i);
	}
}

static void physical_node_link(struct vfs_ctx *c, struct sbuf *t)
{
	struct memory_block *mem = slot_block(c, c->arg[c->nargs - 1]);
	sb_printf(t, "../../../../system/memory/memory%lu", mem ? mem->id : 0UL);
}

static const struct vfs_ent physical_node_ent = { .type = VFS_LINK, .mode = 0777, .link = physical_node_link };

static struct dev_pm_info *fixed_pm(struct vfs_ctx *c);
static struct dev_pm_info *slot_pm(struct vfs_ctx *c);

/* The attributes every ACPI device directory has (acpi_device_setup_files), power/ excepted. */
#define ACPI_DEVICE_ATTRS(power_dir)								\
	{ .name = "eject", .type = VFS_FILE, .mode = 0200, .store = acpi_eject_store,		\
	  .visible = acpi_is_slot },								\
	{ .name = "hid", .type = VFS_FILE, .mode = 0444, .show = acpi_hid_show },		\
	{ .name = "modalias", .type = VFS_FILE, .mode = 0444, .show = acpi_modalias_show },	\
	{ .name = "path", .type = VFS_FILE, .mode = 0444, .show = acpi_path_show },		\
	{ .name = "power", .type = VFS_DIR, .mode = 0755, .dir = (power_dir) },		\
	{ .name = "status", .type = VFS_FILE, .mode = 0444, .show = acpi_status_show,		\
	  .visible = acpi_has_status },								\
	{ .name = "subsystem", .type = VFS_LINK, .mode = 0777, .link = acpi_subsystem_link },	\
	{ .name = "uevent", .type = VFS_FILE, .mode = 0644, .show = acpi_uevent_show,		\
	  .store = sysfs_uevent_store },							\
	{ .name = "uid", .type = VFS_FILE, .mode = 0444, .show = acpi_uid_show,		\
	  .visible = acpi_has_uid }

/* PNP0C80:NN */
static const struct acpi_dir_data slot_data = { .pm_owner = { .info = slot_pm } };
static const struct vfs_dir slot_power_dir = SYSFS_POWER_DIR(&slot_data.pm_owner);
static const struct vfs_ent slot_ents[] = {
	ACPI_DEVICE_ATTRS(&slot_power_dir),
	{ .name = NULL },
};
static const struct vfs_dyn slot_dyns[] = {
	{ .lookup = physical_node_lookup, .list = physical_node_list, .ent = &physical_node_ent },
	{ .lookup = NULL },
};
static const struct vfs_dir slot_dir = { .ents = slot_ents, .dyns = slot_dyns, .data = &slot_data };
static const struct vfs_ent slot_ent = { .type = VFS_DIR, .mode = 0755, .dir = &slot_dir };

static struct dev_pm_info *slot_pm(struct vfs_ctx *c)
{
	int slot = mem_slot(c);
	return slot >= 0 && slot < 256 ? &c->k->acpi_mem_pm[slot] : NULL;
}

/* "PNP0C80:%02x": acpi_device_set_name() numbers the instances of one _HID in scan order, the slots' */
static bool slot_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	static const char hex[] = "0123456789abcdef";
	if (strncmp(name, "PNP0C80:", 8) != 0 || strlen(name) != 10)
		return false;
	const char *h = strchr(hex, name[8]), *l = strchr(hex, name[9]);
	if (!name[8] || !name[9] || !h || !l)
		return false;
	unsigned long slot = (unsigned long)((h - hex) * 16 + (l - hex));
	if (slot >= (unsigned long)c->k->boot.nr_mem_slots)
		return false;
	*id = slot;
	return true;
}

static void slot_list(struct vfs_ctx *c, struct strlist *names)
{
	for (int s = 0; s < c->k->boot.nr_mem_slots && s < 256; s++)
		sl_addf(names, "PNP0C80:%02x", s);
}

static const struct vfs_dyn mhpc_dyns[] = {
	{ .lookup = slot_lookup, .list = slot_list, .ent = &slot_ent },
	{ .lookup = NULL },
};

/* The fixed devices: \, \_SB, \_SB.MHPC */
static const struct acpi_fixed_dev lnxsystm = { "LNXSYSTM", "\\", NULL, -1, 0 };
static const struct acpi_fixed_dev lnxsybus = { "LNXSYBUS", "\\_SB_", NULL, -1, 1 };
static const struct acpi_fixed_dev mhpc = { "PNP0A06", "\\_SB_.MHPC", "DIMM devices", 11, 2 };

static const struct acpi_dir_data lnxsystm_data = { .pm_owner = { .info = fixed_pm }, .fixed = &lnxsystm };
static const struct acpi_dir_data lnxsybus_data = { .pm_owner = { .info = fixed_pm }, .fixed = &lnxsybus };
static const struct acpi_dir_data mhpc_data = { .pm_owner = { .info = fixed_pm }, .fixed = &mhpc };

static struct dev_pm_info *fixed_pm(struct vfs_ctx *c)
{
	/* power/'s dir_data is the owner, the first member of the device's acpi_dir_data */
	const struct acpi_dir_data *d = (const struct acpi_dir_data *)c->dir_data;
	return d && d->fixed ? &c->k->acpi_bus_pm[d->fixed->pm] : NULL;
}

static const struct vfs_dir mhpc_power_dir = SYSFS_POWER_DIR(&mhpc_data.pm_owner);
static const struct vfs_ent mhpc_ents[] = {
	ACPI_DEVICE_ATTRS(&mhpc_power_dir),
	{ .name = NULL },
};
static const struct vfs_dir mhpc_dir = { .ents = mhpc_ents, .dyns = mhpc_dyns, .data = &mhpc_data };

static const struct vfs_dir lnxsybus_power_dir = SYSFS_POWER_DIR(&lnxsybus_data.pm_owner);
static const struct vfs_ent lnxsybus_ents[] = {
	{ .name = "ACPI0012:00", .type = VFS_DIR, .mode = 0755, .dir = &sysfs_acpi_nfit_dir,
	  .visible = sysfs_acpi_nfit_visible },
	{ .name = "PNP0A06:04", .type = VFS_DIR, .mode = 0755, .dir = &mhpc_dir },
	ACPI_DEVICE_ATTRS(&lnxsybus_power_dir),
	{ .name = NULL },
};
static const struct vfs_dir lnxsybus_dir = { .ents = lnxsybus_ents, .data = &lnxsybus_data };

static const struct vfs_dir lnxsystm_power_dir = SYSFS_POWER_DIR(&lnxsystm_data.pm_owner);
static const struct vfs_ent lnxsystm_ents[] = {
	{ .name = "LNXSYBUS:00", .type = VFS_DIR, .mode = 0755, .dir = &lnxsybus_dir },
	ACPI_DEVICE_ATTRS(&lnxsystm_power_dir),
	{ .name = NULL },
};
const struct vfs_dir sysfs_acpi_dir = { .ents = lnxsystm_ents, .data = &lnxsystm_data };
