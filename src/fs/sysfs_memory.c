// SPDX-License-Identifier: MIT
/*
 * /sys/devices/system/memory (drivers/base/memory.c): the root of the
 * "memory" bus and one memoryN directory per memory block. The block state
 * files call into base/memory.c; the constant ones are rendered here.
 */
#include "fs_internal.h"
#include "../mm/internal.h"

#include <errno.h>
#include <string.h>

#include "../kernel/kernel.h"
#include "../kernel/params.h"

/* ---- the root directory ---- */

static int auto_online_blocks_show(struct vfs_ctx *c, struct sbuf *out)
{
	int t = c->k->params.default_online_type;
	if (t < MMOP_OFFLINE || t > MMOP_ONLINE_MOVABLE)
		return -EINVAL;
	sb_printf(out, "%s\n", online_type_to_str[t]);
	return 0;
}

static int auto_online_blocks_write(struct vfs_ctx *c, const char *buf)
{
	return auto_online_blocks_store(c->k, buf);
}

static int block_size_bytes_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_printf(out, "%lx\n", c->k->block_size);
	return 0;
}

/* soft_offline_page / hard_offline_page: base/memory.c's stores */
static int soft_offline_page_write(struct vfs_ctx *c, const char *buf)
{
	return soft_offline_page_store(c->k, buf);
}

static int hard_offline_page_write(struct vfs_ctx *c, const char *buf)
{
	return hard_offline_page_store(c->k, buf);
}

/* ---- memoryN ---- */

static struct memory_block *ctx_block(struct vfs_ctx *c)
{
	/* memoryN is always the first dynamic component below /sys/devices/system/memory */
	return find_memory_block_by_id(c->k, c->arg[0]);
}

static int block_online_show(struct vfs_ctx *c, struct sbuf *out)
{
	struct memory_block *mem = ctx_block(c);
	if (!mem)
		return -ENODEV;
	/* going-offline still reads as online */
	sb_puts(out, mem->state == MEM_OFFLINE ? "0\n" : "1\n");
	return 0;
}

static int block_online_write(struct vfs_ctx *c, const char *buf)
{
	struct memory_block *mem = ctx_block(c);
	/*
	 * write(2) into a device attribute: sysfs_kf_write and dev_attr_store
	 * end in tail calls, so the caller ftrace sees is kernfs_fop_write_iter
	 */
	ftrace_func_as(c->k, "kernfs_fop_write_iter");
	return mem ? online_store(c->k, mem, buf) : -ENODEV;
}

static int block_state_show(struct vfs_ctx *c, struct sbuf *out)
{
	struct memory_block *mem = ctx_block(c);
	if (!mem)
		return -ENODEV;
	state_show(c->k, mem, out);
	return 0;
}

static int block_state_write(struct vfs_ctx *c, const char *buf)
{
	struct memory_block *mem = ctx_block(c);
	/*
	 * write(2) into a device attribute: sysfs_kf_write and dev_attr_store
	 * end in tail calls, so the caller ftrace sees is kernfs_fop_write_iter
	 */
	ftrace_func_as(c->k, "kernfs_fop_write_iter");
	return mem ? state_store(c->k, mem, buf) : -ENODEV;
}

static int block_valid_zones_show(struct vfs_ctx *c, struct sbuf *out)
{
	struct memory_block *mem = ctx_block(c);
	if (!mem)
		return -ENODEV;
	valid_zones_show(c->k, mem, out);
	return 0;
}

static int block_phys_index_show(struct vfs_ctx *c, struct sbuf *out)
{
	struct memory_block *mem = ctx_block(c);
	if (!mem)
		return -ENODEV;
	sb_printf(out, "%08lx\n", mem->id);
	return 0;
}

static int block_phys_device_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_puts(out, "0\n");	/* arch_get_memory_phys_device(): 0 everywhere but old s390 */
	return 0;
}

static int block_removable_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_puts(out, "1\n");	/* CONFIG_MEMORY_HOTREMOVE=y: constant since 5.7 */
	return 0;
}

static bool block_has_firmware_node(struct vfs_ctx *c)
{
	struct memory_block *mem = ctx_block(c);
	return mem && mem->acpi_slot >= 0;
}

static void block_firmware_node_link(struct vfs_ctx *c, struct sbuf *t)
{
	struct memory_block *mem = ctx_block(c);
	/*
	 * QEMU's pc machine declares its memory slots (MPxx, _HID PNP0C80) in
	 * the container \_SB.MHPC (PNP0A06:04); Linux names the n-th slot's
	 * ACPI device PNP0C80:%02x (sysfs_acpi.c).
	 */
	sb_printf(t, "../../../LNXSYSTM:00/LNXSYBUS:00/PNP0A06:04/PNP0C80:%02x", mem ? mem->acpi_slot : 0);
}

static void block_subsystem_link(struct vfs_ctx *c, struct sbuf *t)
{
	sb_puts(t, "../../../../bus/memory");
}

/* nodeM links of a block: one per node holding a memoryN link (boot blocks may span nodes) */
static bool block_node_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	struct memory_block *mem = ctx_block(c);
	unsigned long nid;
	if (!mem || !vfs_parse_numbered(name, "node", &nid) || nid >= MAX_NUMNODES)
		return false;
	if (!((mem->node_links >> nid) & 1))
		return false;
	*id = nid;
	return true;
}

static void block_node_list(struct vfs_ctx *c, struct strlist *names)
{
	struct memory_block *mem = ctx_block(c);
	if (!mem)
		return;
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		if ((mem->node_links >> nid) & 1)
			sl_addf(names, "node%d", nid);
}

static void block_node_link(struct vfs_ctx *c, struct sbuf *t)
{
	sb_printf(t, "../../node/node%lu", c->arg[c->nargs - 1]);
}

static const struct vfs_ent block_node_ent = { .type = VFS_LINK, .mode = 0777, .link = block_node_link };

static struct dev_pm_info *block_pm(struct vfs_ctx *c)
{
	struct memory_block *mem = ctx_block(c);
	return mem ? &mem->power : NULL;
}
static const struct sysfs_pm_owner block_pm_owner = { .info = block_pm };
static const struct vfs_dir block_power_dir = SYSFS_POWER_DIR(&block_pm_owner);

static struct dev_pm_info *memory_root_pm(struct vfs_ctx *c)
{
	return &c->k->memory_root_pm;
}
static const struct sysfs_pm_owner memory_root_pm_owner = { .info = memory_root_pm };
static const struct vfs_dir memory_root_power_dir = SYSFS_POWER_DIR(&memory_root_pm_owner);

static const struct vfs_ent memory_block_ents[] = {
	{ .name = "firmware_node", .type = VFS_LINK, .mode = 0777, .link = block_firmware_node_link,
	  .visible = block_has_firmware_node },
	{ .name = "online", .type = VFS_FILE, .mode = 0644, .show = block_online_show, .store = block_online_write },
	{ .name = "phys_device", .type = VFS_FILE, .mode = 0444, .show = block_phys_device_show },
	{ .name = "phys_index", .type = VFS_FILE, .mode = 0444, .show = block_phys_index_show },
	{ .name = "power", .type = VFS_DIR, .mode = 0755, .dir = &block_power_dir },
	{ .name = "removable", .type = VFS_FILE, .mode = 0444, .show = block_removable_show },
	{ .name = "state", .type = VFS_FILE, .mode = 0644, .show = block_state_show, .store = block_state_write },
	{ .name = "subsystem", .type = VFS_LINK, .mode = 0777, .link = block_subsystem_link },
	{ .name = "uevent", .type = VFS_FILE, .mode = 0644, .show = sysfs_uevent_show, .store = sysfs_uevent_store },
	{ .name = "valid_zones", .type = VFS_FILE, .mode = 0444, .show = block_valid_zones_show },
	{ .name = NULL },
};

static const struct vfs_dyn memory_block_dyns[] = {
	{ .lookup = block_node_lookup, .list = block_node_list, .ent = &block_node_ent },
	{ .lookup = NULL },
};

static const struct vfs_dir memory_block_dir = { .ents = memory_block_ents, .dyns = memory_block_dyns };

static bool memory_block_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	unsigned long n;
	if (!vfs_parse_numbered(name, "memory", &n) || !find_memory_block_by_id(c->k, n))
		return false;
	*id = n;
	return true;
}

static void memory_block_list(struct vfs_ctx *c, struct strlist *names)
{
	unsigned long nr = nr_memory_blocks(c->k);
	for (unsigned long i = 0; i < nr; i++) {
		struct memory_block *mem = memory_block_at(c->k, i);
		if (mem)
			sl_addf(names, "memory%lu", mem->id);
	}
}

static const struct vfs_ent memory_block_ent = { .type = VFS_DIR, .mode = 0755, .dir = &memory_block_dir };

static const struct vfs_ent sysfs_memory_ents[] = {
	{ .name = "auto_online_blocks", .type = VFS_FILE, .mode = 0644, .show = auto_online_blocks_show,
	  .store = auto_online_blocks_write },
	{ .name = "block_size_bytes", .type = VFS_FILE, .mode = 0444, .show = block_size_bytes_show },
	{ .name = "hard_offline_page", .type = VFS_FILE, .mode = 0200, .store = hard_offline_page_write },
	{ .name = "power", .type = VFS_DIR, .mode = 0755, .dir = &memory_root_power_dir },
	{ .name = "soft_offline_page", .type = VFS_FILE, .mode = 0200, .store = soft_offline_page_write },
	{ .name = "uevent", .type = VFS_FILE, .mode = 0644, .show = sysfs_uevent_show, .store = sysfs_uevent_store },
	{ .name = NULL },
};

static const struct vfs_dyn sysfs_memory_dyns[] = {
	{ .lookup = memory_block_lookup, .list = memory_block_list, .ent = &memory_block_ent },
	{ .lookup = NULL },
};

const struct vfs_dir sysfs_memory_dir = { .ents = sysfs_memory_ents, .dyns = sysfs_memory_dyns };
