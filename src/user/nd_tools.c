// SPDX-License-Identifier: MIT
/*
 * ndctl (ndctl 76.1) in the guest shell for legacy PMEM and NVDIMMs: the
 * commands and JSON the oracle's transcripts use, and the JSON writer both
 * tools print with (daxctl is daxctl.c's). The nvdimm and dax devices are
 * driven through the kernel's own entry points (src/drivers/nvdimm).
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

/* ---- a JSON writer with json-c's layout as ndctl prints it ---- */


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

void jw_open(struct jw *j, const char *key, char c)
{
	if (j->depth || key)
		jw_key(j, key);
	sb_printf(j->out, "%c", c);
	j->depth++;
	j->first = true;
}

void jw_close(struct jw *j, char c)
{
	j->depth--;
	sb_puts(j->out, "\n");
	jw_indent(j);
	sb_printf(j->out, "%c", c);
	j->first = false;
	if (!j->depth)
		sb_puts(j->out, "\n");
}

void jw_str(struct jw *j, const char *key, const char *v)
{
	jw_key(j, key);
	sb_printf(j->out, "\"%s\"", v);
}

void jw_num(struct jw *j, const char *key, unsigned long long v)
{
	jw_key(j, key);
	sb_printf(j->out, "%llu", v);
}

void jw_bool(struct jw *j, const char *key, bool v)
{
	jw_key(j, key);
	sb_puts(j->out, v ? "true" : "false");
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

/* a labelled raw namespace: its label's uuid, the sector size, pmemR or pmemR.N (nvdimm_namespace_disk_name) */
static void pmem_raw_json(struct jw *j, int r, int n, const struct nd_namespace_pmem *ns, bool bound)
{
	char name[32];
	jw_str(j, "mode", "raw");
	jw_num(j, "size", ns->size);
	jw_str(j, "uuid", ns->uuid);
	jw_num(j, "sector_size", ns->lbasize ? ns->lbasize : 512);
	if (bound) {
		if (n)
			snprintf(name, sizeof(name), "pmem%d.%d", r, n);
		else
			snprintf(name, sizeof(name), "pmem%d", r);
		jw_str(j, "blockdev", name);
	}
}

/* nvdimm_namespace_disk_name(): pmemR for namespaceR.0, pmemR.N for the others; suffix "s" for a btt */
static void disk_name(char *buf, size_t len, int r, int n, const char *suffix)
{
	if (n)
		snprintf(buf, len, "pmem%d.%d%s", r, n, suffix);
	else
		snprintf(buf, len, "pmem%d%s", r, suffix);
}

/*
 * util_namespace_to_json(); with_region adds the daxregion as create-namespace
 * prints it; verbose (list -v) the node of a raw namespace (ndctl_list()
 * refuses -v for the other modes, whose verbose form is not modelled)
 */
static void ns_json(struct kernel *k, struct jw *j, int r, int n, bool with_region, bool verbose)
{
	const struct nd_e820_region *reg = &k->nd->region[r];
	const struct nd_namespace_pmem *ns = nd_pmem_ns(reg, n);
	const struct nd_ns_claim *cl = nd_ns_claim((struct nd_e820_region *)reg, n);
	char name[32];
	snprintf(name, sizeof(name), "namespace%d.%d", r, n);
	jw_open(j, NULL, '{');
	jw_str(j, "dev", name);
	if (ns && (!cl || cl->claim == ND_CLAIM_NONE)) {
		pmem_raw_json(j, r, n, ns, n ? ns->bound : reg->ns_bound);
		reg = NULL;	/* listed raw */
	}
	switch (reg && cl ? cl->claim : ND_CLAIM_NONE) {
	case ND_CLAIM_DAX:
		if (!cl->dax)	/* claimed by a disabled dax device: not listed (ns_active) */
			break;
		jw_str(j, "mode", "devdax");
		jw_str(j, "map", "dev");
		jw_num(j, "size", cl->dax->size);
		jw_str(j, "uuid", cl->uuid);
		if (with_region) {
			jw_open(j, "daxregion", '{');
			jw_num(j, "id", (unsigned long long)r);
			jw_num(j, "size", cl->dax->size);
			jw_num(j, "align", cl->align);
			jw_open(j, "devices", '[');
			dev_json(k, j, cl->dax);
			jw_close(j, ']');
			jw_close(j, '}');
		} else {
			jw_str(j, "chardev", cl->dax->name);
		}
		jw_num(j, "align", cl->align);
		break;
	case ND_CLAIM_PFN:	/* fsdax: the pfn device's size and align, the memmap in the device (dev) or RAM (mem) */
		jw_str(j, "mode", "fsdax");
		jw_str(j, "map", cl->pfn_mode == PFN_MODE_RAM ? "mem" : "dev");
		jw_num(j, "size", cl->claim_size);
		jw_str(j, "uuid", cl->uuid);
		jw_num(j, "sector_size", 512);
		jw_num(j, "align", cl->align);
		disk_name(name, sizeof(name), r, n, "");
		jw_str(j, "blockdev", name);
		break;
	case ND_CLAIM_BTT:	/* sector: the btt's sector size, block device pmemRs */
		jw_str(j, "mode", "sector");
		jw_num(j, "size", cl->claim_size);
		jw_str(j, "uuid", cl->uuid);
		jw_num(j, "sector_size", cl->lbasize ? cl->lbasize : 4096);
		disk_name(name, sizeof(name), r, n, "s");
		jw_str(j, "blockdev", name);
		break;
	case ND_CLAIM_NONE:
		if (!reg || n > 0)	/* only namespaceR.0 is an io namespace */
			break;
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
	if (ns && ns->alt_name[0])	/* the label's name comes last */
		jw_str(j, "name", ns->alt_name);
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

bool nd_ready(struct kernel *k)
{
	return k->nd && k->nd->registered;
}

/* namespaceR.N is claimed by a device whose driver is bound */
static bool claim_active(const struct nd_ns_claim *c)
{
	return c && c->claim != ND_CLAIM_NONE && !c->claim_idle && (c->claim != ND_CLAIM_DAX || c->dax);
}

/* an enabled namespace: bound raw, or claimed; ndctl lists only these without -i */
static bool ns_active(const struct nd_e820_region *reg)
{
	return reg->ns_bound || claim_active(&reg->c0);
}

/* namespaceR.N is enabled: namespaceR.0 as above, a labelled one while nd_pmem or its claim holds it */
static bool ns_enabled(const struct nd_e820_region *reg, int n)
{
	if (n == 0)
		return ns_active(reg);
	const struct nd_namespace_pmem *ns = nd_pmem_ns(reg, n);
	return ns && (ns->bound || claim_active(&ns->cl));
}

/*
 * The enabled namespaces of region r in the order ndctl lists them: like
 * regions (listing_order()), the reverse of the region directory's readdir
 * (kernfs hash) order. Their ids in ids[], the count returned.
 */
static int ns_listing_order(struct kernel *k, int r, int *ids)
{
	const struct nd_e820_region *reg = &k->nd->region[r];
	unsigned int h[ND_MAX_PMEM_NS];
	int cnt = 0;
	for (int n = 0; n < nd_region_nr_namespaces(reg) && n < ND_MAX_PMEM_NS; n++) {
		if (!ns_enabled(reg, n))
			continue;
		char name[32];
		snprintf(name, sizeof(name), "namespace%d.%d", r, n);
		unsigned int hn = kernfs_name_hash(name);
		int i = cnt++;
		for (; i > 0 && h[i - 1] < hn; i--) {
			h[i] = h[i - 1];
			ids[i] = ids[i - 1];
		}
		h[i] = hn;
		ids[i] = n;
	}
	return cnt;
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
	jw_num(j, "available_size", reg->labels_valid ? nd_region_available(reg) : 0);
	jw_num(j, "max_available_extent", reg->labels_valid ? nd_region_max_extent(reg) : 0);
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
	int ids[ND_MAX_PMEM_NS], cnt = with_ns && !reg->disabled ? ns_listing_order(k, r, ids) : 0;
	if (cnt) {
		jw_open(j, "namespaces", '[');
		for (int i = 0; i < cnt; i++)
			ns_json(k, j, r, ids[i], false, verbose);
		jw_close(j, ']');
	}
	jw_close(j, '}');
}

/*
 * The order ndctl lists buses, regions or dimms in: libndctl meets the
 * entries of /sys/class/nd (ndctlB), of a bus directory (regionN, nmemN)
 * or of /sys/bus/dax/devices (daxR.0) in readdir order and adds each at
 * the head of its list, so a listing is the reverse of readdir's. fmt
 * names entry i (a bus id, or a region whose nmem by_nmem names).
 */
static int listing_order(struct kernel *k, const char *fmt, bool by_nmem, int n, int *order)
{
	unsigned int h[ND_MAX_REGIONS];
	for (int r = 0; r < n; r++) {
		char name[32];
		snprintf(name, sizeof(name), fmt, by_nmem ? k->nd->region[r].nmem : r);
		h[r] = kernfs_name_hash(name);
		int j = r;
		for (; j > 0 && h[order[j - 1]] < h[r]; j--)
			order[j] = order[j - 1];
		order[j] = r;
	}
	return n;
}

/* what ndctl list lists: -R, -D, -N; -i adds disabled dimms and regions, -v the nodes */
struct list_opts {
	bool R, D, N, idle, verbose;
};

/* an array of the bus's (or, b < 0, every bus's) dimms, regions or namespaces, opened at the first */
static void list_items(struct kernel *k, struct jw *j, const char *key, int b, char what, const struct list_opts *o)
{
	int n = k->nd->nr_regions, order[ND_MAX_REGIONS], bus_order[ND_MAX_BUSES];
	bool open = false;
	listing_order(k, "ndctl%d", false, k->nd->nr_buses, bus_order);
	listing_order(k, what == 'D' ? "nmem%d" : "region%d", what == 'D', n, order);
	for (int bi = 0; bi < k->nd->nr_buses; bi++) {
		if (b >= 0 && bus_order[bi] != b)
			continue;
		for (int i = 0; i < n; i++) {
			const struct nd_e820_region *reg = &k->nd->region[order[i]];
			if (reg->bus != bus_order[bi])
				continue;	/* another bus's */
			if (what == 'D' && (!reg->nfit || (reg->dimm_disabled && !o->idle)))
				continue;	/* nd_e820's regions have no dimm; a disabled one is listed with -i */
			if (what == 'R' && reg->disabled && !o->idle)
				continue;
			/* only enabled namespaces: a labelled region's seed (size 0) is not listed */
			int ids[ND_MAX_PMEM_NS] = { 0 };
			int cnt = what != 'N' ? 1 : reg->disabled ? 0 : ns_listing_order(k, order[i], ids);
			if (!cnt)
				continue;
			if (!open)
				jw_open(j, key, '[');
			open = true;
			if (what == 'D')
				dimm_json(j, reg);
			else if (what == 'R')
				region_json(k, j, order[i], o->D, o->N, o->verbose);
			else
				for (int x = 0; x < cnt; x++)
					ns_json(k, j, order[i], ids[x], false, o->verbose);
		}
	}
	if (open)
		jw_close(j, ']');
}

/* ndctl list -B: each bus (util_bus_to_json()) with what else is listed of it */
static void list_buses(struct kernel *k, struct jw *j, const struct list_opts *o)
{
	int order[ND_MAX_BUSES];
	listing_order(k, "ndctl%d", false, k->nd->nr_buses, order);
	jw_open(j, NULL, '[');
	for (int i = 0; i < k->nd->nr_buses; i++) {
		char name[32];
		snprintf(name, sizeof(name), "ndbus%d", order[i]);
		jw_open(j, NULL, '{');
		jw_str(j, "provider", k->nd->provider[order[i]]);
		jw_str(j, "dev", name);
		if (o->D)
			list_items(k, j, "dimms", order[i], 'D', o);
		if (o->R || o->N)
			list_items(k, j, o->R ? "regions" : "namespaces", order[i], o->R ? 'R' : 'N', o);
		jw_close(j, '}');
	}
	jw_close(j, ']');
}

/*
 * cmd_list(): -B, -R, -D, -N; -i adds disabled dimms and regions (with
 * "state":"disabled"); -v the nodes of regions and raw namespaces; -H
 * adds nothing (QEMU's DIMMs answer no health command). What is listed
 * decides between an array and an object of arrays.
 */
static int ndctl_list(struct kernel *k, int argc, char **argv, struct jw *j, struct sh_io *io)
{
	struct list_opts o = { false, false, false, false, false };
	bool B = false;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--buses"))
			B = true;
		else if (!strcmp(a, "--regions"))
			o.R = true;
		else if (!strcmp(a, "--dimms"))
			o.D = true;
		else if (!strcmp(a, "--namespaces"))
			o.N = true;
		else if (!strcmp(a, "--idle"))
			o.idle = true;
		else if (!strcmp(a, "--verbose"))
			o.verbose = true;
		else if (a[0] == '-' && a[1] != '-' && a[1])
			for (const char *c = a + 1; *c; c++) {
				bool *f = *c == 'R' ? &o.R : *c == 'D' ? &o.D : *c == 'N' ? &o.N : *c == 'B' ? &B :
					  *c == 'i' ? &o.idle : *c == 'v' ? &o.verbose : NULL;
				if (f)
					*f = true;
				else if (*c != 'H') {
					sb_printf(io->err, "ndctl: list: memhp models -B, -R, -D, -N, -i, -v and -H, not -%c\n", *c);
					return 1;
				}
			}
		else {
			sb_printf(io->err, "ndctl: list: memhp models -B, -R, -D, -N, -i, -v and -H, not %s\n", a);
			return 1;
		}
	}
	if (!B && !o.R && !o.D)
		o.N = true;
	if (!nd_ready(k))
		return 0;	/* no bus: ndctl prints nothing */
	int n = k->nd->nr_regions, active = 0, dimms = 0, regions = 0;
	for (int r = 0; r < n; r++) {
		const struct nd_e820_region *reg = &k->nd->region[r];
		int ids[ND_MAX_PMEM_NS];
		active += reg->disabled ? 0 : ns_listing_order(k, r, ids);
		dimms += reg->nfit && (o.idle || !reg->dimm_disabled);	/* nd_e820's regions have no dimm */
		regions += o.idle || !reg->disabled;
		if (o.verbose && o.N && reg->claim != ND_CLAIM_NONE && ns_active(reg)) {
			sb_puts(io->err, "ndctl: list: memhp models -v only for raw namespaces\n");
			return 1;
		}
	}
	if (B) {
		list_buses(k, j, &o);
		return 0;
	}
	o.D = o.D && dimms;
	o.R = o.R && regions;
	if (!n || (!o.R && !o.D && !active))
		return 0;	/* nothing to list: ndctl prints nothing */
	/* list_display(): an object when more than one of dimms, regions and namespaces (nested or not) is listed */
	bool object = (o.D + o.R + (o.N && active)) > 1;
	if (object)
		jw_open(j, NULL, '{');
	if (o.D)
		list_items(k, j, object ? "dimms" : NULL, -1, 'D', &o);
	if (o.R || o.N)
		list_items(k, j, object ? (o.R ? "regions" : "namespaces") : NULL, -1, o.R ? 'R' : 'N', &o);
	if (object)
		jw_close(j, '}');
	return 0;
}

/*
 * ndctl_dax_enable() binds the dax seed through ndctl_bind(), which first
 * has libkmod insert the module of the seed's modalias (nd:t7, dax_pmem):
 * create-namespace -m devdax works without `modprobe dax_pmem`
 * (tests/golden/oracle/nvdimm/nvdimm-two-buses-hotplug).
 */
static int ndctl_claim(struct kernel *k, int r, int n, enum nd_claim kind, const struct nd_claim_cfg *cfg)
{
	if (kind == ND_CLAIM_DAX) {
		int rc = nd_modprobe(k, "dax_pmem");
		if (rc)
			return rc;
	}
	return nd_namespace_claim_ns(k, r, n, kind, cfg);
}

/* what create-namespace asks of a new namespace: -s, -u, -n (0 and NULL: ndctl's defaults), -M, -l */
struct ns_opts {
	uint64_t size;
	const char *uuid, *name;
	enum nd_pfn_mode pfn_mode;	/* -M dev: PFN_MODE_PMEM, -M mem: PFN_MODE_RAM */
	unsigned long lbasize;		/* -l: the btt's sector size */
};

/* libuuid's uuid_parse(): 36 characters, hex digits with dashes at 8, 13, 18 and 23 */
static bool uuid_valid(const char *u)
{
	if (strlen(u) != 36)
		return false;
	for (int i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ? u[i] != '-' : !isxdigit((unsigned char)u[i]))
			return false;
	return true;
}

/* usage_with_options() of cmd_create_namespace (ndctl v76), after an option it cannot parse */
static void create_usage(struct sh_io *io)
{
	static const char *const opts[] = {
		"    -b, --bus <bus-id>    limit namespace to a bus with an id or provider of <bus-id>",
		"    -r, --region <region-id>",
		"                          limit namespace to a region with an id or name of <region-id>",
		"    -v, --verbose         emit extra debug messages to stderr",
		"    -e, --reconfig <reconfig namespace>",
		"                          reconfigure existing namespace",
		"    -u, --uuid <uuid>     specify the uuid for the namespace (default: autogenerate)",
		"    -n, --name <name>     specify an optional free form name for the namespace",
		"    -s, --size <size>     specify the namespace size in bytes (default: available capacity)",
		"    -m, --mode <operation-mode>",
		"                          specify a mode for the namespace, 'sector', 'fsdax', 'devdax' or 'raw'",
		"    -M, --map <memmap-location>",
		"                          specify 'mem' or 'dev' for the location of the memmap",
		"    -l, --sector-size <lba-size>",
		"                          specify the logical sector size in bytes",
		"    -t, --type <type>     specify the type of namespace to create 'pmem' or 'blk'",
		"    -a, --align <align>   specify the namespace alignment in bytes (default: 2M)",
		"    -f, --force           reconfigure namespace even if currently active",
		"    -L, --autolabel       automatically initialize labels",
		"    -c, --continue        continue creating namespaces as long as the filter criteria are met",
		"    -R, --autorecover     automatically cleanup on failure",
	};
	sb_puts(io->err, "\n usage: ndctl create-namespace [<options>]\n\n");
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		sb_printf(io->err, "%s\n", opts[i]);
	sb_puts(io->err, "\n");
}

/* parse_size64(): a number with an optional binary K, M, G or T; ~0 when it is not one */
static uint64_t parse_size64(const char *s)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (end == s || errno)
		return ~0ULL;
	static const char suf[] = "kmgt";
	const char *p = *end ? strchr(suf, tolower((unsigned char)*end)) : NULL;
	if (*end && (!p || end[1]))
		return ~0ULL;
	for (int shift = p ? (int)(p - suf) + 1 : 0; shift > 0; shift--)
		v <<= 10;
	return v;
}

/*
 * create-namespace -r on a region with valid labels (namespace_create()):
 * region_get_namespace() takes namespaceR.0 while it is idle, else the
 * seed; setup_namespace() writes its uuid, alt_name, size and sector size
 * (the kernel allocates the DPA and writes the label), then enables it in
 * the mode: raw binds it to nd_pmem, the others have the kind's seed claim it.
 */
static int ndctl_create_in_labels(struct kernel *k, int r, enum nd_claim kind, unsigned long align,
				  const struct ns_opts *o, struct jw *j, struct sh_io *io)
{
	struct nd_e820_region *reg = &k->nd->region[r];
	if (!reg->labels_valid) {
		sb_printf(io->err, "ndctl: create-namespace: memhp models -r only on a region with initialised "
			  "labels; use -e namespace%d.0\n", r);
		return 1;
	}
	if (reg->disabled) {	/* a disabled region offers no capacity */
		sb_printf(io->err, "failed to create namespace: %s\n", strerror(ENOSPC));
		return 1;
	}
	const struct nd_namespace_pmem *ns0 = nd_pmem_ns(reg, 0);
	int n = ns0 && !ns0->size && !ns_enabled(reg, 0) ? 0 : nd_region_ns_seed(reg);
	if (!nd_pmem_ns(reg, n)) {
		sb_puts(io->err, "failed to create namespace: Resource temporarily unavailable\n");
		return 1;
	}
	/* validate_namespace_options(): no size takes the largest free extent; a size must be a multiple of the align */
	uint64_t size = o->size ? o->size : nd_region_max_extent(reg);
	uint64_t ralign = nd_region_align(reg);
	if (!size) {
		sb_printf(io->err, "failed to create namespace: %s\n", strerror(ENOSPC));
		return 1;
	}
	if (size % ralign) {
		sb_printf(io->err, "  Error: create namespace: region%d: align setting is %#llx size %#llx is misaligned\n\n",
			  r, (unsigned long long)ralign, (unsigned long long)size);
		return 1;
	}
	char uuid[37];
	if (o->uuid)
		snprintf(uuid, sizeof(uuid), "%s", o->uuid);
	else
		uuid_v4(uuid);
	int rc = nd_pmem_ns_set_uuid(k, r, n, uuid);
	if (!rc)
		rc = nd_pmem_ns_set_alt_name(k, r, n, o->name ? o->name : "");
	if (!rc)
		rc = nd_pmem_ns_set_size(k, r, n, size);
	if (!rc)
		rc = nd_pmem_ns_set_sector_size(k, r, n, 512);
	if (!rc && kind != ND_CLAIM_NONE) {
		struct nd_claim_cfg cfg = { .align = align, .mode = o->pfn_mode, .lbasize = o->lbasize };
		snprintf(cfg.uuid, sizeof(cfg.uuid), "%s", uuid);
		rc = ndctl_claim(k, r, n, kind, &cfg);
	} else if (!rc && n == 0)
		nd_pmem_attach(k, r, 1);
	else if (!rc)
		rc = nd_pmem_ns_bind(k, r, n, true);
	if (rc) {
		/* without --autorecover ndctl leaves what it configured (namespace_create()) */
		sb_printf(io->err, "failed to create namespace: %s\n", strerror(-rc));
		return 1;
	}
	ns_json(k, j, r, n, true, false);
	return 0;
}

/* "namespaceR.N": R and N, -1 when it names no namespace */
static int parse_ns_name(const char *s, int *region, int *n)
{
	char tail;
	if (sscanf(s, "namespace%d.%d%c", region, n, &tail) != 2 || *region < 0 || *region > 1000 || *n < 0)
		return -1;
	return 0;
}

/*
 * create-namespace -e namespaceR.N, N > 0, of a labelled region
 * (namespace_reconfig()): the namespace is disabled and set up again in
 * place, its size and name kept, under a fresh uuid; its claim (if any) goes
 * first, the kind's seed claims it anew.
 */
static int ndctl_reconfig_labelled(struct kernel *k, int r, int n, enum nd_claim kind, unsigned long align,
				   const struct ns_opts *o, bool force, const char *ns, struct jw *j, struct sh_io *io)
{
	struct nd_e820_region *reg = nd_ready(k) && r < k->nd->nr_regions ? &k->nd->region[r] : NULL;
	if (!reg || !nd_region_has_namespace(reg, n)) {
		sb_puts(io->err, "failed to reconfigure namespace: No such device or address\n");
		return 1;
	}
	if (ns_enabled(reg, n) && !force) {
		sb_printf(io->err, "  Error: %s is active, specify --force for re-configuration\n\n", ns);
		sb_puts(io->err, "failed to reconfigure namespace: Device or resource busy\n");
		return 1;
	}
	int rc = 0;
	if (nd_ns_claim(reg, n)->claim != ND_CLAIM_NONE)
		rc = nd_namespace_release_ns(k, r, n, false);
	else if (ns_enabled(reg, n))
		nd_pmem_ns_bind(k, r, n, false);
	char uuid[37];
	uuid_v4(uuid);
	if (!rc)
		rc = nd_pmem_ns_set_uuid(k, r, n, uuid);
	if (!rc && kind != ND_CLAIM_NONE) {
		struct nd_claim_cfg cfg = { .align = align, .mode = o->pfn_mode, .lbasize = o->lbasize };
		snprintf(cfg.uuid, sizeof(cfg.uuid), "%s", uuid);
		rc = ndctl_claim(k, r, n, kind, &cfg);
	} else if (!rc) {
		rc = nd_pmem_ns_bind(k, r, n, true);
	}
	if (rc) {
		sb_printf(io->err, "failed to reconfigure namespace: %s\n", strerror(-rc));
		return 1;
	}
	ns_json(k, j, r, n, true, false);
	return 0;
}

/*
 * zero_info_block(): with force_raw set, nd_pmem binds the namespace raw and
 * ndctl reads /dev/pmemR's first 8 KiB, zeroes them unless they are zero,
 * and disables the namespace again. 0: zeroed; 1: nothing to zero, or the
 * namespace could not be enabled (a disabled region).
 */
static int ndctl_zero_info_block(struct kernel *k, int r)
{
	const struct nd_e820_region *reg = &k->nd->region[r];
	if (reg->disabled || !nd_namespace_active(reg) || !k->nd->nd_pmem)
		return 1;
	return nd_media_zero_info(k, r) == 0 ? 0 : 1;
}

/* parse_size64(): a number with an optional K, M, G or T (binary) suffix */
static unsigned long long parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);
	const char *suffix = "KMGT";
	const char *p = *end ? strchr(suffix, *end & ~0x20) : NULL;
	return p ? v << (10 * (p - suffix + 1)) : v;
}

/* cmd_create_namespace(): -e reconfigures the named namespace (-f if it is active); no -e takes an idle one */
static int ndctl_create(struct kernel *k, int argc, char **argv, struct sh_io *io, struct jw *j)
{
	const char *ns = NULL, *mode = "fsdax", *region = NULL, *map = "dev";
	unsigned long align = 0, lbasize = 4096;	/* ndctl's btt default for pmem: 4 KiB sectors */
	bool force = false;
	struct ns_opts o = { 0, NULL, NULL, PFN_MODE_PMEM, 4096 };
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "-e") && i + 1 < argc)
			ns = argv[++i];
		else if ((!strcmp(argv[i], "-s") || !strcmp(argv[i], "--size")) && i + 1 < argc) {
			o.size = parse_size64(argv[++i]);
			if (o.size == ~0ULL) {
				sb_printf(io->err, "  Error: invalid size: %s\n\n", argv[i]);
				return 1;
			}
		} else if ((!strcmp(argv[i], "-u") || !strcmp(argv[i], "--uuid")) && i + 1 < argc) {
			o.uuid = argv[++i];
			if (!uuid_valid(o.uuid)) {
				sb_printf(io->err, "  Error: failed to parse uuid: '%s'\n\n", o.uuid);
				create_usage(io);
				return 1;
			}
		} else if ((!strcmp(argv[i], "-n") || !strcmp(argv[i], "--name")) && i + 1 < argc)
			o.name = argv[++i];
		else if (!strcmp(argv[i], "-r") && i + 1 < argc)
			region = argv[++i];
		else if (!strcmp(argv[i], "-m") && i + 1 < argc)
			mode = argv[++i];
		else if (!strncmp(argv[i], "--mode=", 7))
			mode = argv[i] + 7;
		else if (!strcmp(argv[i], "-M") && i + 1 < argc)
			map = argv[++i];
		else if (!strncmp(argv[i], "--map=", 6))
			map = argv[i] + 6;
		else if (!strcmp(argv[i], "-l") && i + 1 < argc)
			lbasize = (unsigned long)parse_size(argv[++i]);
		else if (!strncmp(argv[i], "--sector-size=", 14))
			lbasize = (unsigned long)parse_size(argv[i] + 14);
		else if (!strcmp(argv[i], "-a") && i + 1 < argc)
			align = (unsigned long)parse_size(argv[++i]);
		else if (!strncmp(argv[i], "--align=", 8))
			align = (unsigned long)parse_size(argv[i] + 8);
		else if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--force"))
			force = true;
	}
	o.pfn_mode = strcmp(map, "mem") ? PFN_MODE_PMEM : PFN_MODE_RAM;
	o.lbasize = lbasize;
	enum nd_claim kind = !strcmp(mode, "devdax") || !strcmp(mode, "dax") ? ND_CLAIM_DAX :
			     !strcmp(mode, "fsdax") || !strcmp(mode, "memory") ? ND_CLAIM_PFN :
			     !strcmp(mode, "sector") || !strcmp(mode, "safe") ? ND_CLAIM_BTT : ND_CLAIM_NONE;
	if (kind == ND_CLAIM_NONE && strcmp(mode, "raw")) {
		sb_printf(io->err, "  Error: invalid mode '%s'\n\n", mode);
		return 1;
	}
	/* validate_namespace_options(): the name must fit a label's NSLABEL_NAME_LEN */
	if (o.name && strlen(o.name) >= 64) {
		sb_puts(io->err, "  Error: create namespace: validate_namespace_options: alt name overflow\n\n");
		return 1;
	}
	int r = -1;
	int n = 0;
	if (ns && !parse_ns_name(ns, &r, &n) && n > 0)
		return ndctl_reconfig_labelled(k, r, n, kind, align, &o, force, ns, j, io);
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
			return ndctl_create_in_labels(k, r, kind, align, &o, j, io);
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
			return ndctl_create_in_labels(k, r, kind, align, &o, j, io);
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
	/*
	 * fsdax with the memmap in system RAM is what a PAGEMAP region's raw
	 * namespace already is (nd_e820: mode "memory"): ndctl leaves it raw.
	 */
	bool map_mem = !strcmp(map, "mem");
	if (kind == ND_CLAIM_PFN && map_mem && !k->nd->region[r].nfit)
		kind = ND_CLAIM_NONE;
	/* validate_namespace_options(): the namespace's size must be a multiple of the alignment */
	uint64_t ns_size = nd_ns0_size(&k->nd->region[r]);
	if (align && kind != ND_CLAIM_NONE && kind != ND_CLAIM_BTT && ns_size % align) {
		sb_printf(io->err, "  Error: create namespace: '--size=' must align to interleave-width: 1 and "
			  "alignment: %lu\ndid you intend --size=%llu?\n\n", align,
			  (unsigned long long)((ns_size + align - 1) / align * align));
		return 1;
	}
	struct nd_claim_cfg cfg = { .align = align, .mode = o.pfn_mode, .lbasize = o.lbasize };
	uuid_v4(cfg.uuid);
	int rc = nd_namespace_release(k, r, kind == ND_CLAIM_NONE && !ns);
	if (!rc && ns) {
		/* namespace_reconfig() -> namespace_prep_reconfig(): the old info block goes first */
		ndctl_zero_info_block(k, r);
		if (kind == ND_CLAIM_NONE)
			nd_pmem_attach(k, r, 1);
	}
	if (!rc)	/* ndctl writes holder_class before it configures the seed ("" for raw) */
		k->nd->region[r].claim_class = kind;
	if (!rc && kind != ND_CLAIM_NONE)
		rc = ndctl_claim(k, r, 0, kind, &cfg);
	if (rc) {
		sb_printf(io->err, "failed to %s namespace: %s\n", ns ? "reconfigure" : "create", strerror(-rc));
		return 1;
	}
	ns_json(k, j, r, 0, true, false);
	return 0;
}

/*
 * cmd_destroy_namespace(): an io namespace cannot be deleted, only disabled
 * (its claim undone); a labelled one is disabled and its size set to 0,
 * which deletes its label.
 */
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
	int r, n, destroyed = 0, rc = 0;
	if (ns && !parse_ns_name(ns, &r, &n) && nd_ready(k) && r < k->nd->nr_regions &&
	    nd_region_has_namespace(&k->nd->region[r], n)) {
		struct nd_e820_region *reg = &k->nd->region[r];
		if (ns_enabled(reg, n) && !force) {
			sb_printf(io->err, "  Error: %s is active, specify --force for re-configuration\n\n", ns);
			rc = -EBUSY;
		} else {
			/* zero_info_block(): enabling an idle namespace to read its info block fails; ndctl goes on */
			const struct nd_namespace_pmem *pns = nd_pmem_ns(reg, n);
			bool idle = pns && !pns->size;
			if (idle)
				sb_printf(io->err, "libndctl: ndctl_namespace_enable: %s: failed to enable\n"
					  "  Error: destroy namespace: %s failed to enable for zeroing, continuing\n\n", ns, ns);
			struct nd_ns_claim *cl = nd_ns_claim(reg, n);
			if (n == 0 || cl->claim != ND_CLAIM_NONE)
				rc = nd_namespace_release_ns(k, r, n, false);
			else if (ns_enabled(reg, n))
				rc = nd_pmem_ns_bind(k, r, n, false);
			if (!rc)	/* ndctl clears holder_class once the claim is gone */
				cl->claim_class = ND_CLAIM_NONE;
			/*
			 * namespace_prep_reconfig(): a legacy (io) namespace counts
			 * as destroyed only when zero_info_block() zeroed something;
			 * a labelled one is deleted and counts anyway. memhp's media
			 * is namespaceR.0's (nd_media.c).
			 */
			int zeroed = rc || n != 0 || idle ? 1 : ndctl_zero_info_block(k, r);
			if (!rc && reg->labels_valid)
				rc = nd_pmem_ns_set_size(k, r, n, 0);
			destroyed = !rc && (zeroed == 0 || reg->labels_valid);
		}
	}
	if (rc)
		sb_printf(io->err, "error destroying namespaces: %s\n", strerror(-rc));
	sb_printf(io->err, "destroyed %d namespace%s\n", destroyed, destroyed == 1 ? "" : "s");
	return rc ? 1 : 0;
}

/* init-labels [-f] nmemN: the count on stderr as ndctl prints it (no plural) */
static int ndctl_init_labels(struct kernel *k, const char *dev, bool force, struct sh_io *io)
{
	int id = -1, rc;
	char tail;
	if (!nd_ready(k) || sscanf(dev, "nmem%d%c", &id, &tail) != 1 || id < 0)
		rc = -ENODEV;
	else
		rc = nvdimm_init_labels(k, id, force);
	/* action_init(): a DIMM whose regions are enabled keeps its labels */
	if (rc == -EBUSY)
		sb_printf(io->err, "%s: regions active, abort label write\n", dev);
	else if (rc == -EEXIST)
		sb_printf(io->err, "%s: error: labels already initialized\n", dev);
	else if (rc && rc != -ENODEV)
		sb_printf(io->err, "ndctl: init-labels: %s: %s\n", dev, strerror(-rc));
	sb_printf(io->err, "initialized %d nmem\n", rc ? 0 : 1);
	return rc ? 1 : 0;
}

/* util_region_filter(): "all", regionR or the bare id R */
static bool region_matches(int r, const char *arg)
{
	char name[32];
	snprintf(name, sizeof(name), "region%d", r);
	if (!strcmp(arg, "all") || !strcmp(arg, name))
		return true;
	char *end;
	long id = strtol(arg, &end, 10);
	return end != arg && !*end && id == r;
}

/* ndctl_dax_has_active_memory(): one of the region's dax devices is system-ram with a block online */
static bool dax_has_online_memory(struct kernel *k, int r)
{
	struct nd_e820_region *reg = &k->nd->region[r];
	for (int n = 0; n < nd_region_nr_namespaces(reg) || n == 0; n++) {
		const struct nd_ns_claim *c = nd_ns_claim(reg, n);
		if (!c || !c->dax || c->dax->driver != DAX_DRV_KMEM)
			continue;
		struct dax_mem m;
		dax_mem_init(&m, k, c->dax, NULL);
		if (mem_walk(&m, MEM_IS_ONLINE) > 0)
			return true;
	}
	return false;
}

/*
 * disable-region / enable-region regionR|R|all and disable-dimm /
 * enable-dimm nmemN|all, in ndctl's listing order: a device already in the
 * state counts as done (ndctl_region_disable() returns 0 then);
 * disable-dimm skips an active dimm, disable-region quietly a region whose
 * dax memory is online as system-ram (ndctl_namespace_disable_safe()). The
 * count on stderr: "regions" unless 1, "nmems" above 1.
 */
static int ndctl_xable(struct kernel *k, const char *cmd, const char *dev, struct sh_io *io)
{
	bool disable = cmd[0] == 'd', dimm = strstr(cmd, "dimm") != NULL;
	int order[ND_MAX_REGIONS], n = nd_ready(k) ? k->nd->nr_regions : 0, count = 0, rc = 0;
	if (n)
		listing_order(k, dimm ? "nmem%d" : "region%d", dimm, n, order);
	for (int i = 0; i < n; i++) {
		struct nd_e820_region *reg = &k->nd->region[order[i]];
		char name[32];
		if (dimm && !reg->nfit)
			continue;
		snprintf(name, sizeof(name), dimm ? "nmem%d" : "region%d", dimm ? reg->nmem : order[i]);
		if (dimm ? strcmp(dev, "all") && strcmp(dev, name) : !region_matches(order[i], dev))
			continue;
		if (!dimm && disable && !reg->disabled && dax_has_online_memory(k, order[i]))
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
		return ndctl_init_labels(k, argv[2], false, io);
	if (argc == 4 && !strcmp(argv[1], "init-labels") && (!strcmp(argv[2], "-f") || !strcmp(argv[2], "--force")))
		return ndctl_init_labels(k, argv[3], true, io);
	sb_puts(io->err, "ndctl: memhp models list, create-namespace, destroy-namespace, disable-region, "
		"enable-region, disable-dimm, enable-dimm and init-labels\n");
	return 1;
}
