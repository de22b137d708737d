// SPDX-License-Identifier: MIT
/*
 * ndctl and daxctl (ndctl 76.1) for the legacy PMEM of memmap=nn!ss: the
 * commands and JSON the oracle's transcripts use. Like the real tools, they
 * read memory blocks and auto_online_blocks through sysfs and online or
 * offline blocks by writing their state files; the nvdimm and dax devices
 * are driven through the kernel's own entry points (src/drivers/nvdimm).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../drivers/nvdimm/nd_e820.h"
#include "../fs/vfs.h"
#include "../kernel/kernel.h"
#include "../api/api_internal.h"
#include "shell.h"

/* ---- a JSON writer with json-c's layout as ndctl prints it ---- */

struct jw {
	struct sbuf *out;
	int depth;
	bool first;
};

static void jw_indent(struct jw *j)
{
	for (int i = 0; i < j->depth; i++)
		sb_puts(j->out, "  ");
}

static void jw_key(struct jw *j, const char *key)
{
	sb_puts(j->out, j->first ? "\n" : ",\n");
	j->first = false;
	jw_indent(j);
	if (key)
		sb_printf(j->out, "\"%s\":", key);
}

static void jw_open(struct jw *j, const char *key, char c)
{
	if (j->depth || key)
		jw_key(j, key);
	sb_printf(j->out, "%c", c);
	j->depth++;
	j->first = true;
}

static void jw_close(struct jw *j, char c)
{
	j->depth--;
	sb_puts(j->out, "\n");
	jw_indent(j);
	sb_printf(j->out, "%c", c);
	j->first = false;
	if (!j->depth)
		sb_puts(j->out, "\n");
}

static void jw_str(struct jw *j, const char *key, const char *v)
{
	jw_key(j, key);
	sb_printf(j->out, "\"%s\"", v);
}

static void jw_num(struct jw *j, const char *key, unsigned long long v)
{
	jw_key(j, key);
	sb_printf(j->out, "%llu", v);
}

static void jw_bool(struct jw *j, const char *key, bool v)
{
	jw_key(j, key);
	sb_puts(j->out, v ? "true" : "false");
}

/* ---- memory blocks of a dax device, through sysfs ---- */

struct memblk_stat {
	int online, total;
	bool any_online, movable;
};

static int block_attr(struct kernel *k, unsigned long id, const char *attr, struct sbuf *val)
{
	char path[96];
	snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%lu/%s", id, attr);
	return vfs_read(k, path, val);
}

/* daxctl_memory_op(): walk the blocks of the kmem resource; op: 0 count, 1 online, 2 offline */
static int memblk_walk(struct kernel *k, const struct dev_dax *dd, int op, const char *how, struct memblk_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->movable = true;
	if (!dd->kmem_res)
		return 0;
	unsigned long bs = k->block_size;
	int rc = 0;
	for (unsigned long id = (unsigned long)(dd->kmem_res->start / bs); id <= dd->kmem_res->end / bs; id++) {
		struct sbuf state = SBUF_INIT;
		if (block_attr(k, id, "state", &state) < 0) {
			sb_free(&state);
			continue;
		}
		bool on = !strncmp(sb_str(&state), "online", 6);
		sb_free(&state);
		if (op == 1 && !on) {
			char path[96];
			snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%lu/state", id);
			int r = vfs_write(k, path, how, strlen(how));
			if (r < 0 && !rc)
				rc = r;
			on = r >= 0;
		} else if (op == 2 && on) {
			char path[96];
			snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%lu/state", id);
			int r = vfs_write(k, path, "offline", 7);
			if (r < 0 && !rc)
				rc = r;
			on = r < 0;
		}
		st->total++;
		if (on) {
			struct sbuf z = SBUF_INIT;
			st->online++;
			st->any_online = true;
			if (block_attr(k, id, "valid_zones", &z) >= 0 && strcmp(sb_str(&z), "Movable\n"))
				st->movable = false;
			sb_free(&z);
		}
	}
	return rc;
}

/* util_daxctl_dev_to_json() */
static void dev_json(struct kernel *k, struct jw *j, int region, const struct dev_dax *dd)
{
	char name[32];
	snprintf(name, sizeof(name), "dax%d.0", region);
	jw_open(j, NULL, '{');
	jw_str(j, "chardev", name);
	jw_num(j, "size", dd->size);
	jw_num(j, "target_node", (unsigned long long)dd->target_node);
	jw_num(j, "align", dd->align);
	jw_str(j, "mode", dd->driver == DAX_DRV_KMEM ? "system-ram" : "devdax");
	if (dd->driver == DAX_DRV_KMEM) {
		struct memblk_stat st;
		memblk_walk(k, dd, 0, NULL, &st);
		jw_num(j, "online_memblocks", (unsigned long long)st.online);
		jw_num(j, "total_memblocks", (unsigned long long)st.total);
		if (st.any_online)
			jw_bool(j, "movable", st.movable);
	}
	if (dd->driver == DAX_DRV_NONE)
		jw_str(j, "state", "disabled");
	jw_close(j, '}');
}

static void uuid_v4(char out[37])
{
	unsigned char b[16];
	FILE *f = fopen("/dev/urandom", "rb");
	if (!f || fread(b, 1, sizeof(b), f) != sizeof(b))
		for (int i = 0; i < 16; i++)
			b[i] = (unsigned char)rand();
	if (f)
		fclose(f);
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
		 b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* util_namespace_to_json(); with_region adds the daxregion as create-namespace prints it */
static void ns_json(struct kernel *k, struct jw *j, int r, bool with_region)
{
	const struct nd_e820_region *reg = &k->nd->region[r];
	char name[32];
	snprintf(name, sizeof(name), "namespace%d.0", r);
	jw_open(j, NULL, '{');
	jw_str(j, "dev", name);
	if (reg->claim == ND_CLAIM_DAX && reg->dax) {
		jw_str(j, "mode", "devdax");
		jw_str(j, "map", "dev");
		jw_num(j, "size", reg->dax->size);
		jw_str(j, "uuid", reg->uuid);
		if (with_region) {
			jw_open(j, "daxregion", '{');
			jw_num(j, "id", (unsigned long long)r);
			jw_num(j, "size", reg->dax->size);
			jw_num(j, "align", reg->align);
			jw_open(j, "devices", '[');
			dev_json(k, j, r, reg->dax);
			jw_close(j, ']');
			jw_close(j, '}');
		} else {
			snprintf(name, sizeof(name), "dax%d.0", r);
			jw_str(j, "chardev", name);
		}
		jw_num(j, "align", reg->align);
	} else {
		/*
		 * an unclaimed io namespace of a PAGEMAP region (nd_e820) reads mode
		 * "memory": ndctl's fsdax, map mem; an NFIT region's reads "raw"
		 */
		jw_str(j, "mode", reg->nfit ? "raw" : "fsdax");
		if (!reg->nfit)
			jw_str(j, "map", "mem");
		jw_num(j, "size", reg->size);
		jw_num(j, "sector_size", 512);
		if (reg->ns_bound) {
			snprintf(name, sizeof(name), "pmem%d", r);
			jw_str(j, "blockdev", name);
		}
	}
	jw_close(j, '}');
}

static int parse_devname(const char *s, const char *prefix, int *region)
{
	size_t pl = strlen(prefix);
	char *end;
	if (strncmp(s, prefix, pl))
		return -1;
	long r = strtol(s + pl, &end, 10);
	if (end == s + pl || strcmp(end, ".0") || r < 0 || r > 1000)
		return -1;
	*region = (int)r;
	return 0;
}

static bool nd_ready(struct kernel *k)
{
	return k->nd && k->nd->registered;
}

/*
 * util_dimm_to_json() for QEMU's NVDIMM: the id is the control region's
 * vendor and serial number as ndctl prints them (big-endian reads of
 * little-endian fields), the handle and phys_id those of its
 * memory-device-to-SPA structure.
 */
static void dimm_json(struct jw *j, const struct nd_e820_region *reg)
{
	char name[32], id[32];
	uint32_t sn = 0x123456u + (uint32_t)reg->slot;
	snprintf(name, sizeof(name), "nmem%d", reg->nmem);
	snprintf(id, sizeof(id), "%04x-%08x", 0x8680u, __builtin_bswap32(sn));
	jw_open(j, NULL, '{');
	jw_str(j, "dev", name);
	jw_str(j, "id", id);
	jw_num(j, "handle", (unsigned long long)reg->slot + 1);
	jw_num(j, "phys_id", 0);	/* QEMU's memory-device-to-SPA structures leave it 0 */
	jw_close(j, '}');
}

/* util_region_to_json(); its mappings when dimms are listed too, the namespaces nested when listed */
static void region_json(struct kernel *k, struct jw *j, int r, bool with_maps, bool with_ns)
{
	const struct nd_e820_region *reg = &k->nd->region[r];
	char name[32];
	snprintf(name, sizeof(name), "region%d", r);
	jw_open(j, NULL, '{');
	jw_str(j, "dev", name);
	jw_num(j, "size", reg->size);
	jw_num(j, "align", reg->size < (16ULL << 20) ? 4096ULL : 16ULL << 20);
	/* a label-less region has no free capacity: its io namespace covers it */
	uint64_t avail = reg->labels_valid ? nd_region_available(reg) : 0;
	jw_num(j, "available_size", avail);
	jw_num(j, "max_available_extent", avail);
	jw_str(j, "type", "pmem");
	if (reg->labels_valid)
		jw_num(j, "iset_id", nd_region_iset_cookie(reg));
	if (with_maps) {
		jw_open(j, "mappings", '[');
		jw_open(j, NULL, '{');
		snprintf(name, sizeof(name), "nmem%d", reg->nmem);
		jw_str(j, "dimm", name);
		jw_num(j, "offset", 0);
		jw_num(j, "length", reg->size);
		jw_num(j, "position", 0);
		jw_close(j, '}');
		jw_close(j, ']');
	}
	/* QEMU's NFIT has no platform capabilities structure: nothing says the domain */
	jw_str(j, "persistence_domain", "unknown");
	/* a labelled region's seed namespace (size 0) is not listed */
	if (with_ns && nd_namespace_active(reg)) {
		jw_open(j, "namespaces", '[');
		ns_json(k, j, r, false);
		jw_close(j, ']');
	}
	jw_close(j, '}');
}

/*
 * kernfs_name_hash(): readdir() of a sysfs directory returns its entries in
 * the order of this hash (the kernfs rbtree).
 */
static unsigned int kernfs_hash(const char *name)
{
	uint64_t h = 0;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h + ((uint64_t)*p << 4) + (*p >> 4)) * 11;	/* partial_name_hash() */
	unsigned int v = (unsigned int)((h * 0x61C8864680B583EBULL) >> 32) & 0x7fffffffU;	/* hash_long(h, 32) */
	return v < 2 ? v + 2 : v >= 0x7fffffffU ? 0x7ffffffeU : v;
}

/*
 * The order ndctl lists regions (by_nmem false) or dimms in: libndctl meets
 * the bus directory's regionN / nmemN entries in readdir order and adds each
 * at the head of its list, so the listing is the reverse of readdir's.
 */
static int listing_order(struct kernel *k, bool by_nmem, int *order)
{
	int n = k->nd->nr_regions;
	unsigned int h[ND_MAX_REGIONS];
	for (int r = 0; r < n; r++) {
		char name[32];
		snprintf(name, sizeof(name), by_nmem ? "nmem%d" : "region%d", by_nmem ? k->nd->region[r].nmem : r);
		h[r] = kernfs_hash(name);
		int j = r;
		for (; j > 0 && h[order[j - 1]] < h[r]; j--)
			order[j] = order[j - 1];
		order[j] = r;
	}
	return n;
}

/* ndctl list [-R] [-D] [-N]: what is listed decides between an array and an object of arrays */
static int ndctl_list(struct kernel *k, int argc, char **argv, struct jw *j, struct sh_io *io)
{
	bool R = false, D = false, N = false;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--regions"))
			R = true;
		else if (!strcmp(a, "--dimms"))
			D = true;
		else if (!strcmp(a, "--namespaces"))
			N = true;
		else if (a[0] == '-' && a[1] != '-' && a[1])
			for (const char *c = a + 1; *c; c++) {
				if (*c == 'R')
					R = true;
				else if (*c == 'D')
					D = true;
				else if (*c == 'N')
					N = true;
				else {
					sb_printf(io->err, "ndctl: list: memhp models -R, -D and -N, not -%c\n", *c);
					return 1;
				}
			}
		else {
			sb_printf(io->err, "ndctl: list: memhp models -R, -D and -N, not %s\n", a);
			return 1;
		}
	}
	if (!R && !D)
		N = true;
	int n = nd_ready(k) ? k->nd->nr_regions : 0, active = 0;
	for (int r = 0; r < n; r++)
		active += nd_namespace_active(&k->nd->region[r]);
	if (!n || (!R && !D && !active))
		return 0;	/* nothing to list: ndctl prints nothing */
	for (int r = 0; (R || D) && r < n; r++)
		if (!k->nd->region[r].nfit) {
			sb_puts(io->err, "ndctl: list: memhp models regions and dimms of the ACPI.NFIT bus only\n");
			return 1;
		}
	bool object = D && (R || N);
	if (object)
		jw_open(j, NULL, '{');
	if (D) {
		if (object)
			jw_open(j, "dimms", '[');
		else
			jw_open(j, NULL, '[');
		int order[ND_MAX_REGIONS];
		listing_order(k, true, order);
		for (int i = 0; i < n; i++)
			dimm_json(j, &k->nd->region[order[i]]);
		jw_close(j, ']');
	}
	if (R || N) {
		if (object)
			jw_open(j, R ? "regions" : "namespaces", '[');
		else
			jw_open(j, NULL, '[');
		int order[ND_MAX_REGIONS];
		listing_order(k, false, order);
		for (int i = 0; i < n; i++) {
			if (R)
				region_json(k, j, order[i], D, N);
			else if (nd_namespace_active(&k->nd->region[order[i]]))
				ns_json(k, j, order[i], false);
		}
		jw_close(j, ']');
	}
	if (object)
		jw_close(j, '}');
	return 0;
}

/* create-namespace -r regionR -m devdax on a region with valid labels: the whole region */
static int ndctl_create_in_labels(struct kernel *k, const char *region, const char *mode, unsigned long align,
				  struct jw *j, struct sh_io *io)
{
	int r = -1;
	char tail;
	if (!nd_ready(k) || sscanf(region, "region%d%c", &r, &tail) != 1 || r < 0 || r >= k->nd->nr_regions) {
		sb_puts(io->err, "failed to create namespace: No such device or address\n");
		return 1;
	}
	if (!mode || strcmp(mode, "devdax")) {
		sb_printf(io->err, "ndctl: create-namespace: mode %s: memhp models devdax only\n",
			  mode ? mode : "(default)");
		return 1;
	}
	if (!k->nd->region[r].labels_valid) {
		sb_printf(io->err, "ndctl: create-namespace: memhp models -r only on a region with initialised "
			  "labels; use -e namespace%d.0\n", r);
		return 1;
	}
	int rc = nd_namespace_create_labelled(k, r);
	if (rc == -EINVAL) {
		sb_puts(io->err, "ndctl: create-namespace: memhp models namespaces of the whole region only\n");
		return 1;
	}
	char uuid[37];
	uuid_v4(uuid);
	if (!rc)
		rc = nd_namespace_to_devdax(k, r, uuid, align);
	if (rc) {
		sb_printf(io->err, "failed to create namespace: %s\n", strerror(-rc));
		return 1;
	}
	ns_json(k, j, r, true);
	return 0;
}

/* disable-region / enable-region regionR, init-labels nmemN: the count on stderr as ndctl prints it */
static int ndctl_region_cmd(struct kernel *k, const char *cmd, const char *dev, struct sh_io *io)
{
	int id = -1, rc;
	char tail;
	bool labels = !strcmp(cmd, "init-labels");
	if (!nd_ready(k) || sscanf(dev, labels ? "nmem%d%c" : "region%d%c", &id, &tail) != 1 || id < 0)
		rc = -ENODEV;
	else if (labels)
		rc = nvdimm_init_labels(k, id);
	else
		rc = cmd[0] == 'd' ? nd_region_disable(k, id) : nd_region_enable(k, id);
	/* action_init(): a DIMM whose regions are enabled keeps its labels */
	if (labels && rc == -EBUSY)
		sb_printf(io->err, "%s: regions active, abort label write\n", dev);
	else if (rc && rc != -ENODEV)
		sb_printf(io->err, "ndctl: %s: %s: %s\n", cmd, dev, strerror(-rc));
	/* the count, plural only above one */
	if (labels)
		sb_printf(io->err, "initialized %d nmem\n", rc ? 0 : 1);
	else
		sb_printf(io->err, "%s %d region\n", cmd[0] == 'd' ? "disabled" : "enabled", rc ? 0 : 1);
	return rc ? 1 : 0;
}

int sh_ndctl(struct memhp *m, int argc, char **argv, struct sh_io *io)
{
	struct kernel *k = guest_kernel(m);
	struct jw j = { io->out, 0, true };
	if (argc >= 2 && !strcmp(argv[1], "list"))
		return ndctl_list(k, argc, argv, &j, io);
	if (argc >= 2 && !strcmp(argv[1], "create-namespace")) {
		const char *ns = NULL, *mode = NULL, *region = NULL;
		unsigned long align = 0;
		for (int i = 2; i < argc; i++) {
			if (!strcmp(argv[i], "-e") && i + 1 < argc)
				ns = argv[++i];
			else if (!strcmp(argv[i], "-r") && i + 1 < argc)
				region = argv[++i];
			else if (!strcmp(argv[i], "-m") && i + 1 < argc)
				mode = argv[++i];
			else if (!strncmp(argv[i], "--mode=", 7))
				mode = argv[i] + 7;
			else if (!strcmp(argv[i], "-a") && i + 1 < argc)
				align = strtoul(argv[++i], NULL, 0);
		}
		int r;
		if (!ns && region)
			return ndctl_create_in_labels(k, region, mode, align, &j, io);
		if (!ns || parse_devname(ns, "namespace", &r) || !nd_ready(k) || r >= k->nd->nr_regions) {
			sb_puts(io->err, "failed to create namespace: No such device or address\n");
			return 1;
		}
		if (!mode || strcmp(mode, "devdax")) {
			sb_printf(io->err, "ndctl: create-namespace: mode %s: memhp models devdax only\n",
				  mode ? mode : "(default)");
			return 1;
		}
		char uuid[37];
		uuid_v4(uuid);
		if (k->nd->region[r].claim == ND_CLAIM_DAX)
			nd_namespace_to_fsdax(k, r);
		int rc = nd_namespace_to_devdax(k, r, uuid, align);
		if (rc) {
			sb_printf(io->err, "failed to reconfigure namespace: %s\n", strerror(-rc));
			return 1;
		}
		ns_json(k, &j, r, true);
		return 0;
	}
	if (argc == 3 && (!strcmp(argv[1], "disable-region") || !strcmp(argv[1], "enable-region") ||
			  !strcmp(argv[1], "init-labels")))
		return ndctl_region_cmd(k, argv[1], argv[2], io);
	sb_puts(io->err, "ndctl: memhp models list, create-namespace, disable-region, enable-region and "
		"init-labels\n");
	return 1;
}


/* ---- daxctl ---- */

static struct dev_dax *find_dax(struct kernel *k, const char *name, int *region)
{
	if (!nd_ready(k) || parse_devname(name, "dax", region) || *region >= k->nd->nr_regions)
		return NULL;
	return k->nd->region[*region].dax;
}

static void dax_list_json(struct kernel *k, struct jw *j, int only)
{
	jw_open(j, NULL, '[');
	for (int r = 0; nd_ready(k) && r < k->nd->nr_regions; r++)
		if (k->nd->region[r].dax && (only < 0 || only == r))
			dev_json(k, j, r, k->nd->region[r].dax);
	jw_close(j, ']');
}

/* daxctl_dev_will_auto_online_memory(): auto_online_blocks is not "offline" */
static bool will_auto_online(struct kernel *k)
{
	struct sbuf v = SBUF_INIT;
	bool on = vfs_read(k, "/sys/devices/system/memory/auto_online_blocks", &v) >= 0 &&
		  strcmp(sb_str(&v), "offline\n");
	sb_free(&v);
	return on;
}

/* reconfig_mode_system_ram() / reconfig_mode_devdax() */
static int dax_reconfig(struct kernel *k, int r, struct dev_dax *dd, const char *mode, bool no_online,
			bool no_movable, bool force, struct sh_io *io)
{
	char name[32];
	snprintf(name, sizeof(name), "dax%d.0", r);
	if (!strcmp(mode, "system-ram")) {
		if ((no_online || !no_movable) && !force && will_auto_online(k)) {
			sb_printf(io->err, "%s: error: kernel policy will auto-online memory, aborting\n", name);
			return -EBUSY;
		}
		if (dd->driver == DAX_DRV_KMEM)
			return 0;
		if (dd->driver != DAX_DRV_NONE)
			dax_bus_unbind(k, r);
		if (!k->nd->kmem)
			nd_modprobe(k, "kmem");	/* daxctl_insert_kmod_for_mode() */
		int rc = dax_bus_new_id(k, r, DAX_DRV_KMEM, true);
		if (!rc && dd->driver != DAX_DRV_KMEM)
			rc = dax_bus_bind(k, r, DAX_DRV_KMEM);
		if (rc)
			return rc;
		if (!no_online) {
			struct memblk_stat st;
			return memblk_walk(k, dd, 1, no_movable ? "online" : "online_movable", &st);
		}
		return 0;
	}
	if (!strcmp(mode, "devdax")) {
		if (dd->driver == DAX_DRV_KMEM) {
			struct memblk_stat st;
			int rc = memblk_walk(k, dd, 2, NULL, &st);
			if (rc) {
				sb_printf(io->err, "%s: unable to offline memory: %s\n", name, strerror(-rc));
				return rc;
			}
			dax_bus_unbind(k, r);
			dax_bus_new_id(k, r, DAX_DRV_KMEM, false);
		}
		if (dd->driver == DAX_DRV_NONE) {
			if (!k->nd->device_dax)
				nd_modprobe(k, "device_dax");
			else
				dax_bus_bind(k, r, DAX_DRV_DEVICE_DAX);
		}
		return 0;
	}
	sb_printf(io->err, "daxctl: invalid mode: %s\n", mode);
	return -EINVAL;
}

int sh_daxctl(struct memhp *m, int argc, char **argv, struct sh_io *io)
{
	struct kernel *k = guest_kernel(m);
	struct jw j = { io->out, 0, true };
	if (argc >= 2 && !strcmp(argv[1], "list")) {
		bool any = false;
		for (int r = 0; nd_ready(k) && r < k->nd->nr_regions; r++)
			any |= k->nd->region[r].dax != NULL;
		if (any)
			dax_list_json(k, &j, -1);
		return 0;
	}
	const char *mode = NULL, *dev = NULL;
	bool no_online = false, no_movable = false, force = false;
	for (int i = 2; i < argc; i++) {
		if (!strncmp(argv[i], "--mode=", 7))
			mode = argv[i] + 7;
		else if ((!strcmp(argv[i], "-m") || !strcmp(argv[i], "--mode")) && i + 1 < argc)
			mode = argv[++i];
		else if (!strcmp(argv[i], "-N") || !strcmp(argv[i], "--no-online"))
			no_online = true;
		else if (!strcmp(argv[i], "--no-movable"))
			no_movable = true;
		else if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--force"))
			force = true;
		else if (!strcmp(argv[i], "--movable"))
			no_movable = false;
		else
			dev = argv[i];
	}
	if (argc < 2 || !dev) {
		sb_puts(io->err, "daxctl: memhp models list, reconfigure-device, online-memory and offline-memory\n");
		return 1;
	}
	int r;
	struct dev_dax *dd = find_dax(k, dev, &r);
	const char *cmd = argv[1];
	if (!strcmp(cmd, "reconfigure-device")) {
		int rc = dd ? dax_reconfig(k, r, dd, mode ? mode : "", no_online, no_movable, force, io) : -ENXIO;
		sb_printf(io->err, "reconfigured %d device%s\n", rc ? 0 : 1, rc ? "s" : "");
		if (rc)
			return 1;
		dax_list_json(k, &j, r);
		return 0;
	}
	if (!strcmp(cmd, "online-memory") || !strcmp(cmd, "offline-memory")) {
		bool on = cmd[1] == 'n';
		int rc = -ENXIO;
		if (dd && dd->driver == DAX_DRV_KMEM) {
			struct memblk_stat st;
			rc = memblk_walk(k, dd, on ? 1 : 2, no_movable ? "online" : "online_movable", &st);
		}
		sb_printf(io->err, "%slined memory for %d device%s\n", on ? "on" : "off", rc ? 0 : 1, rc ? "s" : "");
		return rc ? 1 : 0;
	}
	sb_printf(io->err, "daxctl: %s: memhp models list, reconfigure-device, online-memory and offline-memory\n", cmd);
	return 1;
}
