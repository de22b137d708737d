// SPDX-License-Identifier: MIT
/*
 * daxctl (daxctl 76.1) in the guest shell: list, reconfigure-device,
 * online-memory and offline-memory on the dax devices, the commands and
 * JSON the oracle's transcripts use. Like the real tool it reads memory
 * blocks and auto_online_blocks through sysfs and onlines or offlines
 * blocks by writing their state files (libdaxctl's daxctl_memory_op()).
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../acpi/nfit.h"
#include "../drivers/nvdimm/nd_e820.h"
#include "../drivers/nvdimm/nd_media.h"
#include "../fs/vfs.h"
#include "../kernel/kernel.h"
#include "../api/api_internal.h"
#include "shell.h"

#include "nd_tools.h"

/* ---- memory blocks of a dax device, through sysfs (libdaxctl's daxctl_memory_op) ---- */



static int block_path(struct dax_mem *m, unsigned long id, const char *attr, char *path, size_t len)
{
	return snprintf(path, len, "/sys/devices/system/node/node%d/memory%lu/%s", m->dd->target_node, id, attr);
}

/* memblock_is_online(): 1, 0, or -errno */
static int mb_online(struct dax_mem *m, unsigned long id)
{
	char path[128];
	struct sbuf v = SBUF_INIT;
	block_path(m, id, "state", path, sizeof(path));
	int rc = vfs_read(m->k, path, &v);
	if (rc >= 0)
		rc = !strncmp(sb_str(&v), "online", 6);
	sb_free(&v);
	return rc;
}

static int mb_write_state(struct dax_mem *m, unsigned long id, const char *state)
{
	char path[128];
	block_path(m, id, "state", path, sizeof(path));
	int rc = vfs_write(m->k, path, state, strlen(state));
	return rc < 0 ? rc : 0;
}

/* op_for_one_memblock(): 0 counts the block, > 0 skips it, < 0 ends the walk */
static int mb_op(struct dax_mem *m, unsigned long id, enum mem_op op)
{
	int on = mb_online(m, id), rc;
	if (on < 0)
		return on;
	switch (op) {
	case MEM_SET_ONLINE:
	case MEM_SET_ONLINE_NO_MOVABLE:
		if (on)
			return on;
		rc = mb_write_state(m, id, op == MEM_SET_ONLINE ? "online_movable" : "online");
		/* someone else (the kernel, udev) onlined it: the zone scan that follows tells */
		return rc && mb_online(m, id) == 1 ? 0 : rc;
	case MEM_SET_OFFLINE:
		if (!on)
			return 1;
		rc = mb_write_state(m, id, "offline");
		if (rc) {
			if (!mb_online(m, id))
				return 1;
			sb_printf(m->io->err, "libdaxctl: offline_one_memblock: %s: Failed to offline "
				  "/sys/devices/system/node/node%d/memory%lu/state: %s\n",
				  m->name, m->dd->target_node, id, strerror(-rc));
		}
		return rc;
	case MEM_IS_ONLINE:
		return !on;
	case MEM_COUNT:
		return 0;
	case MEM_GET_ZONE: {
		if (!on)
			return -ENXIO;
		char path[128];
		struct sbuf v = SBUF_INIT;
		block_path(m, id, "valid_zones", path, sizeof(path));
		rc = vfs_read(m->k, path, &v);
		enum mem_zone z = !strcmp(sb_str(&v), "Movable\n") ? MZ_MOVABLE :
				  !strcmp(sb_str(&v), "Normal\n") ? MZ_NORMAL : MZ_UNKNOWN;
		sb_free(&v);
		if (rc < 0)
			return rc;
		if (!m->zone)
			m->zone = z;
		else if (m->zone != z)
			m->zone = MZ_UNKNOWN;
		return 0;
	}
	}
	return -EINVAL;
}

static int cmp_hash(const void *a, const void *b)
{
	unsigned int x = ((const unsigned int *)a)[0], y = ((const unsigned int *)b)[0];
	return x < y ? -1 : x > y;
}

#define DAX_MAX_BLOCKS	4096

/* daxctl_memory_op(): the target node's blocks whose start lies in the device's range, in readdir order */
int mem_walk(struct dax_mem *m, enum mem_op op)
{
	unsigned long bs = m->k->block_size, first = (unsigned long)(m->dd->start / bs);
	unsigned long last = (unsigned long)((m->dd->start + m->dd->size - 1) / bs);
	static _Thread_local unsigned int order[DAX_MAX_BLOCKS][2];	/* hash, block id */
	int n = 0, count = 0;
	for (unsigned long id = first; id <= last && n < DAX_MAX_BLOCKS; id++) {
		if ((uint64_t)id * bs < m->dd->start || mb_online(m, id) < 0)
			continue;	/* not in the device, or no such block in the node */
		char name[32];
		snprintf(name, sizeof(name), "memory%lu", id);
		order[n][0] = kernfs_name_hash(name);
		order[n++][1] = (unsigned int)id;
	}
	qsort(order, (size_t)n, sizeof(order[0]), cmp_hash);
	for (int i = 0; i < n; i++) {
		int rc = mb_op(m, order[i][1], op);
		if (rc < 0)
			return rc;
		if (rc == 0)
			count++;
	}
	return count;
}

/* daxctl_memory_is_movable(): 1, 0, or < 0 while a block is offline */
static int mem_movable(struct dax_mem *m)
{
	m->zone = MZ_NONE;
	int rc = mem_walk(m, MEM_GET_ZONE);
	return rc < 0 ? rc : m->zone == MZ_MOVABLE;
}

void dax_mem_init(struct dax_mem *m, struct kernel *k, const struct dev_dax *dd, struct sh_io *io)
{
	memset(m, 0, sizeof(*m));
	m->k = k;
	m->dd = dd;
	m->io = io;
	snprintf(m->name, sizeof(m->name), "%s", dd->name);
}

/* util_daxctl_dev_to_json() */
void dev_json(struct kernel *k, struct jw *j, const struct dev_dax *dd)
{
	struct dax_mem m;
	dax_mem_init(&m, k, dd, NULL);
	jw_open(j, NULL, '{');
	jw_str(j, "chardev", m.name);
	jw_num(j, "size", dd->size);
	jw_num(j, "target_node", (unsigned long long)dd->target_node);
	jw_num(j, "align", dd->align);
	jw_str(j, "mode", dd->driver == DAX_DRV_KMEM ? "system-ram" : "devdax");
	if (dd->driver == DAX_DRV_KMEM) {
		jw_num(j, "online_memblocks", (unsigned long long)mem_walk(&m, MEM_IS_ONLINE));
		jw_num(j, "total_memblocks", (unsigned long long)mem_walk(&m, MEM_COUNT));
		int mov = mem_movable(&m);
		if (mov >= 0)
			jw_bool(j, "movable", mov);
	}
	if (dd->driver == DAX_DRV_NONE)
		jw_str(j, "state", "disabled");
	jw_close(j, '}');
}

/* ---- daxctl (daxctl/device.c) ---- */

static struct dev_dax *find_dax(struct kernel *k, const char *name)
{
	int r, n;
	char tail;
	if (!nd_ready(k) || sscanf(name, "dax%d.%d%c", &r, &n, &tail) != 2)
		return NULL;
	struct dev_dax *dd = nd_dev_dax_find(k, r, n);
	return dd && !strcmp(dd->name, name) ? dd : NULL;
}

#define DAX_LIST_MAX	64	/* daxctl list's devices memhp lists (the rest are left out) */

/* daxctl list: every dax device (or only one), the reverse of /sys/bus/dax/devices' readdir (listing_order()) */
static void dax_list_json(struct kernel *k, struct jw *j, const struct dev_dax *only)
{
	const struct dev_dax *devs[DAX_LIST_MAX];
	unsigned int h[DAX_LIST_MAX];
	int cnt = 0;
	for (int r = 0; nd_ready(k) && r < k->nd->nr_regions; r++) {
		struct nd_e820_region *reg = &k->nd->region[r];
		for (int n = 0; (n < nd_region_nr_namespaces(reg) || n == 0) && cnt < DAX_LIST_MAX; n++) {
			const struct nd_ns_claim *c = nd_ns_claim(reg, n);
			if (!c || !c->dax || (only && only != c->dax))
				continue;
			unsigned int hn = kernfs_name_hash(c->dax->name);
			int i = cnt++;
			for (; i > 0 && h[i - 1] < hn; i--) {
				h[i] = h[i - 1];
				devs[i] = devs[i - 1];
			}
			h[i] = hn;
			devs[i] = c->dax;
		}
	}
	jw_open(j, NULL, '[');
	for (int i = 0; i < cnt; i++)
		dev_json(k, j, devs[i]);
	jw_close(j, ']');
}

/* daxctl_dev_will_auto_online_memory(): auto_online_blocks starts with "online" */
static bool will_auto_online(struct kernel *k)
{
	struct sbuf v = SBUF_INIT;
	bool on = vfs_read(k, "/sys/devices/system/memory/auto_online_blocks", &v) >= 0 &&
		  !strncmp(sb_str(&v), "online", 6);
	sb_free(&v);
	return on;
}

struct dax_opts {
	bool no_online, no_movable, force;
};

/* dev_online_memory(): 0, 1 when all was online already, or -errno */
static int dev_online_memory(struct dax_mem *m, const struct dax_opts *o)
{
	int total = mem_walk(m, MEM_COUNT), on = mem_walk(m, MEM_IS_ONLINE);
	if (on < 0) {
		sb_printf(m->io->err, "%s: failed to determine online state: %s\n", m->name, strerror(-on));
		return on;
	}
	if (on)
		sb_printf(m->io->err, "%s:\n  WARNING: detected a race while onlining memory\n"
			  "  Some memory may not be in the expected zone. It is\n"
			  "  recommended to disable any other onlining mechanisms,\n"
			  "  and retry. If onlining is to be left to other agents,\n"
			  "  use the --no-online option to suppress this warning\n", m->name);
	if (on == total) {
		sb_printf(m->io->err, "%s: all memory sections (%d) already online\n", m->name, on);
		return 1;
	}
	if (on > 0)
		sb_printf(m->io->err, "%s: %d memory section%s already online\n", m->name, on, on == 1 ? "" : "s");
	int rc = mem_walk(m, o->no_movable ? MEM_SET_ONLINE_NO_MOVABLE : MEM_SET_ONLINE);
	/* daxctl_memory_online_with_zone() checks the zones only when it onlined nothing */
	if (rc == 0) {
		m->zone = MZ_NONE;
		rc = mem_walk(m, MEM_GET_ZONE);
		if (!rc && m->zone != (o->no_movable ? MZ_NORMAL : MZ_MOVABLE)) {
			sb_printf(m->io->err, "libdaxctl: daxctl_memory_online_with_zone: %s:\n"
				  "  WARNING: detected a race while onlining memory\n"
				  "  See 'man daxctl-reconfigure-device' for more details\n", m->name);
			rc = -EBUSY;
		}
	}
	if (rc < 0) {
		sb_printf(m->io->err, "%s: failed to online memory: %s\n", m->name, strerror(-rc));
		return rc;
	}
	on = mem_walk(m, MEM_IS_ONLINE);
	if (on < total) {
		sb_printf(m->io->err, "%s: failed to online %d memory sections\n", m->name, total - on);
		return -ENXIO;
	}
	return 0;
}

/* dev_offline_memory(): 0, 1 when all was offline already, or -errno */
static int dev_offline_memory(struct dax_mem *m)
{
	int total = mem_walk(m, MEM_COUNT), on = mem_walk(m, MEM_IS_ONLINE);
	if (on < 0) {
		sb_printf(m->io->err, "%s: failed to determine online state: %s\n", m->name, strerror(-on));
		return on;
	}
	int off = total - on;
	if (off == total) {
		sb_printf(m->io->err, "%s: all memory sections (%d) already offline\n", m->name, off);
		return 1;
	}
	if (off)
		sb_printf(m->io->err, "%s: %d memory section%s already offline\n", m->name, off, off == 1 ? "" : "s");
	int rc = mem_walk(m, MEM_SET_OFFLINE);
	if (rc < 0) {
		sb_printf(m->io->err, "%s: failed to offline memory: %s\n", m->name, strerror(-rc));
		return rc;
	}
	on = mem_walk(m, MEM_IS_ONLINE);
	if (on) {
		sb_printf(m->io->err, "%s: failed to offline %d memory sections\n", m->name, on);
		return -ENXIO;
	}
	return 0;
}

/* daxctl_dev_enable(): load the mode's module (daxctl_insert_kmod_for_mode), then new_id and bind */
static int dax_enable(struct kernel *k, struct dev_dax *dd, enum dax_driver drv)
{
	if (dd->driver != DAX_DRV_NONE)
		return 0;
	nd_modprobe(k, drv == DAX_DRV_KMEM ? "kmem" : "device_dax");
	if (dd->driver == DAX_DRV_NONE) {
		dax_bus_new_id(k, dd, drv, true);
		if (dd->driver == DAX_DRV_NONE)
			dax_bus_bind(k, dd, drv);
	}
	return dd->driver != DAX_DRV_NONE ? 0 : -ENXIO;
}

/* daxctl_dev_disable() -> daxctl_unbind(): remove_id, then unbind */
static void dax_disable(struct kernel *k, struct dev_dax *dd)
{
	if (dd->driver == DAX_DRV_NONE)
		return;
	dax_bus_new_id(k, dd, dd->driver, false);
	dax_bus_unbind(k, dd);
}

/* reconfig_mode_system_ram() */
static int reconfig_system_ram(struct dax_mem *m, const struct dax_opts *o)
{
	struct dev_dax *dd = (struct dev_dax *)m->dd;
	bool skip_enable = false;
	if ((o->no_online || !o->no_movable) && !o->force && will_auto_online(m->k)) {
		sb_printf(m->io->err, "%s: error: kernel policy will auto-online memory, aborting\n", m->name);
		return -EBUSY;
	}
	if (dd->driver == DAX_DRV_KMEM) {
		sb_printf(m->io->err, "%s was already in system-ram mode\n", m->name);
		skip_enable = true;
	} else {
		dax_disable(m->k, dd);
	}
	if (!skip_enable) {
		int rc = dax_enable(m->k, dd, DAX_DRV_KMEM);
		if (rc) {
			sb_printf(m->io->err, "libdaxctl: daxctl_dev_enable: %s: failed to enable\n", m->name);
			return rc;
		}
	}
	return o->no_online ? 0 : dev_online_memory(m, o);
}

/* reconfig_mode_devdax() with disable_system_ram_device() */
static int reconfig_devdax(struct dax_mem *m, const struct dax_opts *o)
{
	struct dev_dax *dd = (struct dev_dax *)m->dd;
	if (m->dd->driver != DAX_DRV_NONE) {
		if (m->dd->driver != DAX_DRV_KMEM) {
			sb_printf(m->io->err, "%s was already in devdax mode\n", m->name);
			return 1;
		}
		if (o->force) {
			int rc = dev_offline_memory(m);
			if (rc < 0)
				return rc;
		}
		if (mem_walk(m, MEM_IS_ONLINE) > 0)
			return -EBUSY;
		dax_disable(m->k, dd);
	}
	return dax_enable(m->k, dd, DAX_DRV_DEVICE_DAX);
}

int sh_daxctl(struct memhp *mh, int argc, char **argv, struct sh_io *io)
{
	struct kernel *k = guest_kernel(mh);
	struct jw j = { io->out, 0, true };
	if (argc >= 2 && !strcmp(argv[1], "list")) {
		bool any = false;
		for (int r = 0; nd_ready(k) && r < k->nd->nr_regions && !any; r++)
			for (int n = 0; n < nd_region_nr_namespaces(&k->nd->region[r]) || n == 0; n++) {
				const struct nd_ns_claim *c = nd_ns_claim(&k->nd->region[r], n);
				any |= c && c->dax;
			}
		if (any)
			dax_list_json(k, &j, NULL);
		return 0;
	}
	const char *mode = NULL, *dev = NULL;
	struct dax_opts o = { false, false, false };
	for (int i = 2; i < argc; i++) {
		if (!strncmp(argv[i], "--mode=", 7))
			mode = argv[i] + 7;
		else if ((!strcmp(argv[i], "-m") || !strcmp(argv[i], "--mode")) && i + 1 < argc)
			mode = argv[++i];
		else if (!strcmp(argv[i], "-N") || !strcmp(argv[i], "--no-online"))
			o.no_online = true;
		else if (!strcmp(argv[i], "--no-movable"))
			o.no_movable = true;
		else if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--force"))
			o.force = true;
		else if (!strcmp(argv[i], "--movable"))
			o.no_movable = false;
		else
			dev = argv[i];
	}
	if (argc < 2 || !dev) {
		sb_puts(io->err, "daxctl: memhp models list, reconfigure-device, online-memory and offline-memory\n");
		return 1;
	}
	int rc = -ENXIO, processed = 0;
	struct dev_dax *dd = find_dax(k, dev);
	const char *cmd = argv[1];
	struct dax_mem m;
	if (dd)
		dax_mem_init(&m, k, dd, io);
	if (!strcmp(cmd, "reconfigure-device")) {
		if (dd) {
			if (mode && !strcmp(mode, "system-ram"))
				rc = reconfig_system_ram(&m, &o);
			else if (mode && !strcmp(mode, "devdax"))
				rc = reconfig_devdax(&m, &o);
			else
				rc = -EINVAL;
			if (rc >= 0) {
				rc = 0;
				processed = 1;
			}
		}
		if (rc < 0)
			sb_printf(io->err, "error reconfiguring devices: %s\n", strerror(-rc));
		sb_printf(io->err, "reconfigured %d device%s\n", processed, processed == 1 ? "" : "s");
		/* the JSON goes to a buffered stdout, flushed at exit: after the unbuffered stderr */
		if (processed)
			dax_list_json(k, &j, dd);
		return rc < 0 ? 1 : 0;
	}
	if (!strcmp(cmd, "online-memory") || !strcmp(cmd, "offline-memory")) {
		bool on = cmd[1] == 'n';
		if (dd && dd->driver != DAX_DRV_KMEM)
			sb_printf(io->err, "%s: memory operations are not applicable in devdax mode\n", m.name);
		else if (dd)
			rc = on ? dev_online_memory(&m, &o) : dev_offline_memory(&m);
		processed = rc == 0;
		if (rc < 0)
			sb_printf(io->err, "error %slining memory: %s\n", on ? "on" : "off", strerror(-rc));
		sb_printf(io->err, "%slined memory for %d device%s\n", on ? "on" : "off", processed,
			  processed == 1 ? "" : "s");
		return rc < 0 ? 1 : 0;
	}
	sb_printf(io->err, "daxctl: %s: memhp models list, reconfigure-device, online-memory and offline-memory\n", cmd);
	return 1;
}
