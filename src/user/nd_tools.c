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

#include "../acpi/nfit.h"
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

/* ---- memory blocks of a dax device, through sysfs (libdaxctl's daxctl_memory_op) ---- */

enum mem_op { MEM_SET_OFFLINE, MEM_SET_ONLINE, MEM_SET_ONLINE_NO_MOVABLE, MEM_IS_ONLINE, MEM_COUNT, MEM_GET_ZONE };
enum mem_zone { MZ_NONE, MZ_UNKNOWN, MZ_MOVABLE, MZ_NORMAL };

struct dax_mem {
	struct kernel *k;
	const struct dev_dax *dd;
	char name[32];
	struct sh_io *io;
	enum mem_zone zone;
};

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
static int mem_walk(struct dax_mem *m, enum mem_op op)
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

static void dax_mem_init(struct dax_mem *m, struct kernel *k, int region, const struct dev_dax *dd, struct sh_io *io)
{
	memset(m, 0, sizeof(*m));
	m->k = k;
	m->dd = dd;
	m->io = io;
	snprintf(m->name, sizeof(m->name), "dax%d.0", region);
}

/* util_daxctl_dev_to_json() */
static void dev_json(struct kernel *k, struct jw *j, int region, const struct dev_dax *dd)
{
	struct dax_mem m;
	dax_mem_init(&m, k, region, dd, NULL);
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

/*
 * util_namespace_to_json(); with_region adds the daxregion as create-namespace
 * prints it; verbose (list -v) the node of a raw namespace (ndctl_list()
 * refuses -v for the other modes, whose verbose form is not modelled)
 */
static void ns_json(struct kernel *k, struct jw *j, int r, bool with_region, bool verbose)
{
	const struct nd_e820_region *reg = &k->nd->region[r];
	char name[32];
	snprintf(name, sizeof(name), "namespace%d.0", r);
	jw_open(j, NULL, '{');
	jw_str(j, "dev", name);
	switch (reg->claim) {
	case ND_CLAIM_DAX:
		if (!reg->dax)	/* claimed by a disabled dax device: not listed (ns_active) */
			break;
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
		break;
	case ND_CLAIM_PFN:	/* fsdax with the memmap in the device: the pfn device's size and align */
		jw_str(j, "mode", "fsdax");
		jw_str(j, "map", "dev");
		jw_num(j, "size", reg->claim_size);
		jw_str(j, "uuid", reg->uuid);
		jw_num(j, "sector_size", 512);
		jw_num(j, "align", reg->align);
		snprintf(name, sizeof(name), "pmem%d", r);
		jw_str(j, "blockdev", name);
		break;
	case ND_CLAIM_BTT:	/* sector: the btt's 4 KiB sectors, block device pmemRs */
		jw_str(j, "mode", "sector");
		jw_num(j, "size", reg->claim_size);
		jw_str(j, "uuid", reg->uuid);
		jw_num(j, "sector_size", 4096);
		snprintf(name, sizeof(name), "pmem%ds", r);
		jw_str(j, "blockdev", name);
		break;
	case ND_CLAIM_NONE:
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
		if (verbose) {
			jw_num(j, "numa_node", (unsigned long long)reg->target_node);
			jw_num(j, "target_node", (unsigned long long)reg->target_node);
		}
		break;
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

/* an enabled namespace: bound raw, or claimed; ndctl lists only these without -i */
static bool ns_active(const struct nd_e820_region *reg)
{
	return reg->ns_bound || (reg->claim != ND_CLAIM_NONE && (reg->claim != ND_CLAIM_DAX || reg->dax));
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
	snprintf(name, sizeof(name), "nmem%d", reg->nmem);
	snprintf(id, sizeof(id), "%04x-%08x", (unsigned)__builtin_bswap16(NFIT_DCR_VENDOR),
		 __builtin_bswap32(nfit_dcr_serial(reg->slot)));
	jw_open(j, NULL, '{');
	jw_str(j, "dev", name);
	jw_str(j, "id", id);
	jw_num(j, "handle", nfit_device_handle(reg->slot));
	jw_num(j, "phys_id", 0);	/* QEMU's memory-device-to-SPA structures leave it 0 */
	if (reg->dimm_disabled)	/* listed with -i only */
		jw_str(j, "state", "disabled");
	jw_close(j, '}');
}

/*
 * util_region_to_json(); its mappings when dimms are listed too, the
 * namespaces nested when listed. nd_e820's and a label-less NFIT region
 * have nothing available for new namespaces; neither gives flush hints or
 * platform capabilities, so the persistence domain is unknown.
 */
static void region_json(struct kernel *k, struct jw *j, int r, bool with_maps, bool with_ns, bool verbose)
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
	if (verbose) {
		jw_num(j, "numa_node", (unsigned long long)reg->target_node);
		jw_num(j, "target_node", (unsigned long long)reg->target_node);
	}
	if (reg->labels_valid)
		jw_num(j, "iset_id", nd_region_iset_cookie(reg));
	if (with_maps && reg->nfit) {
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
	if (reg->disabled)	/* listed with -i only */
		jw_str(j, "state", "disabled");
	/* QEMU's NFIT has no platform capabilities structure: nothing says the domain */
	jw_str(j, "persistence_domain", "unknown");
	/* only enabled namespaces: a labelled region's seed (size 0) is not listed */
	if (with_ns && ns_active(reg) && !reg->disabled) {
		jw_open(j, "namespaces", '[');
		ns_json(k, j, r, false, verbose);
		jw_close(j, ']');
	}
	jw_close(j, '}');
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
		h[r] = kernfs_name_hash(name);
		int j = r;
		for (; j > 0 && h[order[j - 1]] < h[r]; j--)
			order[j] = order[j - 1];
		order[j] = r;
	}
	return n;
}

/* list -B: util_bus_to_json() of the one bus */
static void bus_json(struct kernel *k, struct jw *j)
{
	jw_open(j, NULL, '[');
	jw_open(j, NULL, '{');
	jw_str(j, "provider", k->nd->provider ? k->nd->provider : "e820");
	jw_str(j, "dev", "ndbus0");
	jw_close(j, '}');
	jw_close(j, ']');
}

/*
 * cmd_list(): -R, -D, -N; -B alone; -i adds disabled dimms and regions (with
 * "state":"disabled"); -v the nodes of regions and raw namespaces; -H
 * adds nothing (QEMU's DIMMs answer no health command).
 */
static int ndctl_list(struct kernel *k, int argc, char **argv, struct jw *j, struct sh_io *io)
{
	bool R = false, D = false, N = false, B = false, idle = false, verbose = false;
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
				bool *f = *c == 'R' ? &R : *c == 'D' ? &D : *c == 'N' ? &N : *c == 'B' ? &B :
					  *c == 'i' ? &idle : *c == 'v' ? &verbose : NULL;
				if (f)
					*f = true;
				else if (*c != 'H') {
					sb_printf(io->err, "ndctl: list: memhp models -R, -D, -N, -B, -i, -v and -H, not -%c\n", *c);
					return 1;
				}
			}
		else {
			sb_printf(io->err, "ndctl: list: memhp models -R, -D, -N, -B, -i, -v and -H, not %s\n", a);
			return 1;
		}
	}
	if (B && (R || D || N)) {
		sb_puts(io->err, "ndctl: list: memhp models -B only alone\n");
		return 1;
	}
	if (B) {
		if (nd_ready(k))
			bus_json(k, j);
		return 0;
	}
	if (!R && !D)
		N = true;
	int n = nd_ready(k) ? k->nd->nr_regions : 0, active = 0, dimms = 0, regions = 0;
	for (int r = 0; r < n; r++) {
		const struct nd_e820_region *reg = &k->nd->region[r];
		active += ns_active(reg) && !reg->disabled;
		dimms += reg->nfit && (idle || !reg->dimm_disabled);	/* nd_e820's regions have no dimm */
		regions += idle || !reg->disabled;
		if (verbose && N && reg->claim != ND_CLAIM_NONE && ns_active(reg)) {
			sb_puts(io->err, "ndctl: list: memhp models -v only for raw namespaces\n");
			return 1;
		}
	}
	D = D && dimms;
	R = R && regions;
	if (!n || (!R && !D && !active))
		return 0;	/* nothing to list: ndctl prints nothing */
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
		for (int i = 0; i < n; i++) {
			const struct nd_e820_region *reg = &k->nd->region[order[i]];
			if (reg->nfit && (idle || !reg->dimm_disabled))
				dimm_json(j, reg);
		}
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
			const struct nd_e820_region *reg = &k->nd->region[order[i]];
			if (R && (idle || !reg->disabled))
				region_json(k, j, order[i], D, N, verbose);
			else if (!R && ns_active(reg) && !reg->disabled)
				ns_json(k, j, order[i], false, verbose);
		}
		jw_close(j, ']');
	}
	if (object)
		jw_close(j, '}');
	return 0;
}

/* create-namespace on a region with valid labels: the seed takes the whole region, then the mode's claim */
static int ndctl_create_in_labels(struct kernel *k, int r, enum nd_claim kind, unsigned long align, struct jw *j,
				  struct sh_io *io)
{
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
	if (!rc && kind != ND_CLAIM_NONE)
		rc = nd_namespace_claim(k, r, kind, uuid, align);
	else if (!rc)
		nd_pmem_attach(k, r, 1);
	if (rc) {
		sb_printf(io->err, "failed to create namespace: %s\n", strerror(-rc));
		return 1;
	}
	ns_json(k, j, r, true, false);
	return 0;
}

/* cmd_create_namespace(): -e reconfigures the named namespace (-f if it is active); no -e takes an idle one */
static int ndctl_create(struct kernel *k, int argc, char **argv, struct sh_io *io, struct jw *j)
{
	const char *ns = NULL, *mode = "fsdax", *region = NULL;
	unsigned long align = 0;
	bool force = false;
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
		else if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--force"))
			force = true;
	}
	enum nd_claim kind = !strcmp(mode, "devdax") || !strcmp(mode, "dax") ? ND_CLAIM_DAX :
			     !strcmp(mode, "fsdax") || !strcmp(mode, "memory") ? ND_CLAIM_PFN :
			     !strcmp(mode, "sector") || !strcmp(mode, "safe") ? ND_CLAIM_BTT : ND_CLAIM_NONE;
	if (kind == ND_CLAIM_NONE && strcmp(mode, "raw")) {
		sb_printf(io->err, "  Error: invalid mode '%s'\n\n", mode);
		return 1;
	}
	int r = -1;
	if (ns) {
		if (parse_devname(ns, "namespace", &r) || !nd_ready(k) || r >= k->nd->nr_regions) {
			sb_puts(io->err, "failed to create namespace: No such device or address\n");
			return 1;
		}
		if (ns_active(&k->nd->region[r]) && !force) {
			sb_printf(io->err, "  Error: %s is active, specify --force for re-configuration\n\n", ns);
			sb_puts(io->err, "failed to reconfigure namespace: Device or resource busy\n");
			return 1;
		}
	} else if (region) {
		char tail;
		if (!nd_ready(k) || sscanf(region, "region%d%c", &r, &tail) != 1 || r < 0 || r >= k->nd->nr_regions) {
			sb_puts(io->err, "failed to create namespace: No such device or address\n");
			return 1;
		}
		/* a label-less region's only namespace is taken when idle; the labels path says why not */
		if (ns_active(&k->nd->region[r]))
			return ndctl_create_in_labels(k, r, kind, align, j, io);
	} else {
		for (int i = 0; nd_ready(k) && i < k->nd->nr_regions && r < 0; i++)
			if (!ns_active(&k->nd->region[i]) && !k->nd->region[i].disabled)
				r = i;
		if (r < 0) {
			sb_puts(io->err, "failed to create namespace: Resource temporarily unavailable\n");
			return 1;
		}
	}
	if (!ns)	/* labels: a new namespace in the region's free capacity */
		if (k->nd->region[r].labels_valid)
			return ndctl_create_in_labels(k, r, kind, align, j, io);
	/*
	 * validate_namespace_options(): reconfiguring to the namespace's own
	 * mode keeps its align (PAGE_SIZE for a raw one, which ndctl calls
	 * fsdax too); otherwise the seed's default, 2 MiB.
	 */
	if (!align && ns) {
		const struct nd_e820_region *reg = &k->nd->region[r];
		enum nd_claim cur = reg->claim == ND_CLAIM_NONE ? ND_CLAIM_PFN : reg->claim;
		if (cur == kind)
			align = reg->claim == ND_CLAIM_NONE ? 4096 : reg->align;
	}
	char uuid[37];
	uuid_v4(uuid);
	int rc = nd_namespace_release(k, r, kind == ND_CLAIM_NONE);
	if (!rc && kind != ND_CLAIM_NONE)
		rc = nd_namespace_claim(k, r, kind, uuid, align);
	if (rc) {
		sb_printf(io->err, "failed to %s namespace: %s\n", ns ? "reconfigure" : "create", strerror(-rc));
		return 1;
	}
	ns_json(k, j, r, true, false);
	return 0;
}

/* cmd_destroy_namespace(): an io namespace cannot be deleted, only disabled (its claim undone) */
static int ndctl_destroy(struct kernel *k, int argc, char **argv, struct sh_io *io)
{
	const char *ns = NULL;
	bool force = false;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--force"))
			force = true;
		else
			ns = argv[i];
	}
	int r, destroyed = 0, rc = 0;
	if (ns && !parse_devname(ns, "namespace", &r) && nd_ready(k) && r < k->nd->nr_regions) {
		if (ns_active(&k->nd->region[r]) && !force) {
			sb_printf(io->err, "  Error: %s is active, specify --force for re-configuration\n\n", ns);
			rc = -EBUSY;
		} else {
			rc = nd_namespace_disable(k, r);
			destroyed = !rc;
		}
	}
	if (rc)
		sb_printf(io->err, "error destroying namespaces: %s\n", strerror(-rc));
	sb_printf(io->err, "destroyed %d namespace%s\n", destroyed, destroyed == 1 ? "" : "s");
	return rc ? 1 : 0;
}

/* init-labels nmemN: the count on stderr as ndctl prints it (no plural) */
static int ndctl_init_labels(struct kernel *k, const char *dev, struct sh_io *io)
{
	int id = -1, rc;
	char tail;
	if (!nd_ready(k) || sscanf(dev, "nmem%d%c", &id, &tail) != 1 || id < 0)
		rc = -ENODEV;
	else
		rc = nvdimm_init_labels(k, id);
	/* action_init(): a DIMM whose regions are enabled keeps its labels */
	if (rc == -EBUSY)
		sb_printf(io->err, "%s: regions active, abort label write\n", dev);
	else if (rc && rc != -ENODEV)
		sb_printf(io->err, "ndctl: init-labels: %s: %s\n", dev, strerror(-rc));
	sb_printf(io->err, "initialized %d nmem\n", rc ? 0 : 1);
	return rc ? 1 : 0;
}

/*
 * disable-region / enable-region regionR|all and disable-dimm / enable-dimm
 * nmemN|all, in ndctl's listing order: a device already in the state counts
 * as done (ndctl_region_disable() returns 0 then); disable-dimm skips an
 * active dimm. The count on stderr: "regions" unless 1, "nmems" above 1.
 */
static int ndctl_xable(struct kernel *k, const char *cmd, const char *dev, struct sh_io *io)
{
	bool disable = cmd[0] == 'd', dimm = strstr(cmd, "dimm") != NULL;
	int order[ND_MAX_REGIONS], n = nd_ready(k) ? k->nd->nr_regions : 0, count = 0, rc = 0;
	if (n)
		listing_order(k, dimm, order);
	for (int i = 0; i < n; i++) {
		struct nd_e820_region *reg = &k->nd->region[order[i]];
		char name[32];
		if (dimm && !reg->nfit)
			continue;
		snprintf(name, sizeof(name), dimm ? "nmem%d" : "region%d", dimm ? reg->nmem : order[i]);
		if (strcmp(dev, "all") && strcmp(dev, name))
			continue;
		int err = 0;
		if (dimm && disable && !reg->dimm_disabled && reg->label_area && !reg->disabled) {
			sb_printf(io->err, "%s is active, skipping...\n", name);
			err = -EBUSY;
		} else if (dimm) {
			reg->dimm_disabled = disable;
		} else if (disable != reg->disabled) {
			err = disable ? nd_region_disable(k, order[i]) : nd_region_enable(k, order[i]);
			if (err)
				sb_printf(io->err, "ndctl: %s: %s: %s\n", cmd, name, strerror(-err));
		}
		count += !err;
		rc = rc ? rc : err;
	}
	if (dimm)
		sb_printf(io->err, "%s %d nmem%s\n", disable ? "disabled" : "enabled", count, count > 1 ? "s" : "");
	else
		sb_printf(io->err, "%s %d region%s\n", disable ? "disabled" : "enabled", count, count == 1 ? "" : "s");
	return rc || !count ? 1 : 0;
}

int sh_ndctl(struct memhp *m, int argc, char **argv, struct sh_io *io)
{
	struct kernel *k = guest_kernel(m);
	struct jw j = { io->out, 0, true };
	if (argc >= 2 && !strcmp(argv[1], "list"))
		return ndctl_list(k, argc, argv, &j, io);
	if (argc >= 2 && !strcmp(argv[1], "create-namespace"))
		return ndctl_create(k, argc, argv, io, &j);
	if (argc >= 2 && !strcmp(argv[1], "destroy-namespace"))
		return ndctl_destroy(k, argc, argv, io);
	if (argc == 3 && (!strcmp(argv[1], "disable-region") || !strcmp(argv[1], "enable-region") ||
			  !strcmp(argv[1], "disable-dimm") || !strcmp(argv[1], "enable-dimm")))
		return ndctl_xable(k, argv[1], argv[2], io);
	if (argc == 3 && !strcmp(argv[1], "init-labels"))
		return ndctl_init_labels(k, argv[2], io);
	sb_puts(io->err, "ndctl: memhp models list, create-namespace, destroy-namespace, disable-region, "
		"enable-region, disable-dimm, enable-dimm and init-labels\n");
	return 1;
}


/* ---- daxctl (daxctl/device.c) ---- */

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
static int dax_enable(struct kernel *k, int r, enum dax_driver drv)
{
	struct dev_dax *dd = k->nd->region[r].dax;
	if (dd->driver != DAX_DRV_NONE)
		return 0;
	nd_modprobe(k, drv == DAX_DRV_KMEM ? "kmem" : "device_dax");
	if (dd->driver == DAX_DRV_NONE) {
		dax_bus_new_id(k, r, drv, true);
		if (dd->driver == DAX_DRV_NONE)
			dax_bus_bind(k, r, drv);
	}
	return dd->driver != DAX_DRV_NONE ? 0 : -ENXIO;
}

/* daxctl_dev_disable() -> daxctl_unbind(): remove_id, then unbind */
static void dax_disable(struct kernel *k, int r)
{
	struct dev_dax *dd = k->nd->region[r].dax;
	if (dd->driver == DAX_DRV_NONE)
		return;
	dax_bus_new_id(k, r, dd->driver, false);
	dax_bus_unbind(k, r);
}

/* reconfig_mode_system_ram() */
static int reconfig_system_ram(struct dax_mem *m, int r, const struct dax_opts *o)
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
		dax_disable(m->k, r);
	}
	if (!skip_enable) {
		int rc = dax_enable(m->k, r, DAX_DRV_KMEM);
		if (rc) {
			sb_printf(m->io->err, "libdaxctl: daxctl_dev_enable: %s: failed to enable\n", m->name);
			return rc;
		}
	}
	return o->no_online ? 0 : dev_online_memory(m, o);
}

/* reconfig_mode_devdax() with disable_system_ram_device() */
static int reconfig_devdax(struct dax_mem *m, int r, const struct dax_opts *o)
{
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
		dax_disable(m->k, r);
	}
	return dax_enable(m->k, r, DAX_DRV_DEVICE_DAX);
}

int sh_daxctl(struct memhp *mh, int argc, char **argv, struct sh_io *io)
{
	struct kernel *k = guest_kernel(mh);
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
	int r, rc = -ENXIO, processed = 0;
	struct dev_dax *dd = find_dax(k, dev, &r);
	const char *cmd = argv[1];
	struct dax_mem m;
	if (dd)
		dax_mem_init(&m, k, r, dd, io);
	if (!strcmp(cmd, "reconfigure-device")) {
		if (dd) {
			if (mode && !strcmp(mode, "system-ram"))
				rc = reconfig_system_ram(&m, r, &o);
			else if (mode && !strcmp(mode, "devdax"))
				rc = reconfig_devdax(&m, r, &o);
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
			dax_list_json(k, &j, r);
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
