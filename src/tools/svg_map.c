// SPDX-License-Identifier: MIT
/*
 * The picture of physical memory (docs/map.md): the guest's address space
 * from 0 up, one row of up to 32 memory-block cells per 4 GiB (at 128 MiB
 * blocks), each run of memory (boot RAM, a DIMM, a virtio-mem device) under
 * a header, and the long empty ranges between them (the PCI hole, unused
 * device memory) shortened to one labelled row.
 *
 * Everything comes from what a user of the machine reads, through the
 * public API only: the memory blocks and their state, valid_zones and node
 * from sysfs (so the picture agrees with sysfs by construction), the boot
 * RAM and the PCI windows from /proc/iomem, the devices from the monitor's
 * `info memory-devices`, and the zone spans of a block that crosses zones
 * (valid_zones "none") from /proc/zoneinfo. The device-memory region is not
 * in any of them: QEMU's pc_memory_init() puts it at the end of boot RAM
 * rounded up to 1 GiB, and pc_pci_hole64_start() the 64-bit PCI window
 * right after it, which /proc/iomem shows; the region is what lies between.
 */
#include "svg_map.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memhp/memhp.h"

#define GIB		(1ULL << 30)
#define FOUR_GIB	(4ULL << 30)

/* geometry, in SVG user units (px) */
#define COLS		32	/* cells per row */
#define CELL		22
#define PITCH		24	/* cell + gap */
#define X0		150	/* left edge of the cells; addresses to its left */
#define ROW_H		32	/* a row: 8 above the cells for node labels */
#define HEAD_H		18	/* a run's header line */
#define GAP_H		26	/* a shortened empty range */
#define WIDTH		(X0 + COLS * PITCH + 60)

struct mblock {
	unsigned long long nr;
	char state[24];
	char zones[64];		/* valid_zones */
	int node;
};

struct range {			/* /proc/iomem top level; end inclusive */
	unsigned long long start, end;
	char name[48];
};

struct mdev {			/* info memory-devices */
	bool virtio;
	char id[64];
	unsigned long long addr, size, plugged;
	int node, slot;
};

struct zspan {			/* /proc/zoneinfo */
	int node;
	char zone[12];
	unsigned long long start_pfn, spanned;
};

enum run_kind { RUN_RAM, RUN_DIMM, RUN_VMEM, RUN_OTHER, RUN_GAP };

struct run {
	unsigned long long start, end;	/* end exclusive */
	enum run_kind kind;
	int dev;			/* index into devs for RUN_DIMM/RUN_VMEM */
};

struct map {
	unsigned long long bs;		/* block_size_bytes */
	struct mblock *blocks;
	size_t nblocks;
	struct range *iomem;
	size_t niomem;
	struct mdev *devs;
	size_t ndevs;
	struct zspan *zones;
	size_t nzones;
	unsigned long long hole_start;	/* the PCI hole: [hole_start, 4 GiB) */
	unsigned long long dm_start, dm_end;	/* device memory; dm_end == dm_start: none */
	struct run *runs;
	size_t nruns;
};

/* ---- growing arrays ---- */

static void *grow(void *v, size_t n, size_t size)
{
	/* capacity is the next power of two: grow when n is one */
	if (n && (n & (n - 1)))
		return v;
	void *nv = realloc(v, (n ? n * 2 : 8) * size);
	if (!nv)
		abort();
	return nv;
}

#define PUSH(arr, n) (*((arr) = grow((arr), (n), sizeof(*(arr))), &(arr)[(n)++]))

/* ---- reading the machine ---- */

static char *read_file(struct memhp *m, const char *path)
{
	char *s = NULL;

	if (memhp_read(m, path, &s) < 0)
		return NULL;
	return s;
}

/* Copy the first line of s (without its newline) into buf. */
static void first_line(const char *s, char *buf, size_t size)
{
	size_t n = s ? strcspn(s, "\n") : 0;

	if (n >= size)
		n = size - 1;
	memcpy(buf, s ? s : "", n);
	buf[n] = 0;
}

static void read_attr(struct memhp *m, unsigned long long nr, const char *attr, char *buf, size_t size)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%llu/%s", nr, attr);
	char *s = read_file(m, path);
	first_line(s, buf, size);
	free(s);
}

/* The node of a block: its nodeN link (Linux 6.1's register_memory_node_under_compute_nodes). */
static int block_node(struct memhp *m, unsigned long long nr)
{
	char path[64], **names;
	size_t n;
	int node = -1;

	snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%llu", nr);
	if (memhp_list(m, path, &names, &n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!strncmp(names[i], "node", 4) && names[i][4] >= '0' && names[i][4] <= '9')
			node = atoi(names[i] + 4);
	memhp_free_list(names, n);
	return node;
}

static int cmp_block(const void *a, const void *b)
{
	const struct mblock *x = a, *y = b;
	return x->nr < y->nr ? -1 : x->nr > y->nr;
}

static int read_blocks(struct map *mp, struct memhp *m)
{
	char buf[32], **names;
	size_t n;

	char *s = read_file(m, "/sys/devices/system/memory/block_size_bytes");
	first_line(s, buf, sizeof(buf));
	free(s);
	mp->bs = strtoull(buf, NULL, 16);
	if (!mp->bs || memhp_list(m, "/sys/devices/system/memory", &names, &n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char *end;
		if (strncmp(names[i], "memory", 6) || names[i][6] < '0' || names[i][6] > '9')
			continue;
		unsigned long long nr = strtoull(names[i] + 6, &end, 10);
		if (*end)
			continue;
		struct mblock *b = &PUSH(mp->blocks, mp->nblocks);
		b->nr = nr;
		read_attr(m, nr, "state", b->state, sizeof(b->state));
		read_attr(m, nr, "valid_zones", b->zones, sizeof(b->zones));
		b->node = block_node(m, nr);
	}
	memhp_free_list(names, n);
	qsort(mp->blocks, mp->nblocks, sizeof(*mp->blocks), cmp_block);
	return 0;
}

static const struct mblock *find_block(const struct map *mp, unsigned long long nr)
{
	struct mblock key = { .nr = nr };
	return bsearch(&key, mp->blocks, mp->nblocks, sizeof(key), cmp_block);
}

static void read_iomem(struct map *mp, struct memhp *m)
{
	char *s = read_file(m, "/proc/iomem");

	for (char *line = s; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		struct range r;
		if (line[0] != ' ' && sscanf(line, "%llx-%llx : %47[^\n]", &r.start, &r.end, r.name) == 3)
			PUSH(mp->iomem, mp->niomem) = r;
		line = nl ? nl + 1 : NULL;
	}
	free(s);
}

/* `info memory-devices`: pc-dimm (addr, size, slot) and virtio-mem (memaddr, max-size, size). */
static void read_devices(struct map *mp, struct memhp *m)
{
	char *s = NULL;
	struct mdev *d = NULL;

	memhp_monitor(m, "info memory-devices", &s);
	for (char *line = s; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		char kind[24];
		if (sscanf(line, "Memory device [%23[^]]]", kind) == 1) {
			d = &PUSH(mp->devs, mp->ndevs);
			memset(d, 0, sizeof(*d));
			d->virtio = !strcmp(kind, "virtio-mem");
			d->slot = -1;
			char *q = strchr(line, '"');
			if (q)
				first_line(q + 1, d->id, sizeof(d->id));
			q = strrchr(d->id, '"');
			if (q)
				*q = 0;
		} else if (d) {
			unsigned long long v;
			int i;
			if (sscanf(line, "  addr: %llx", &v) == 1 || sscanf(line, "  memaddr: %llx", &v) == 1)
				d->addr = v;
			else if (sscanf(line, "  max-size: %llu", &v) == 1)
				d->size = v;
			else if (sscanf(line, "  size: %llu", &v) == 1) {
				d->plugged = v;
				if (!d->virtio)
					d->size = v;
			} else if (sscanf(line, "  node: %d", &i) == 1)
				d->node = i;
			else if (sscanf(line, "  slot: %d", &i) == 1)
				d->slot = i;
		}
		line = nl ? nl + 1 : NULL;
	}
	free(s);
}

static void read_zoneinfo(struct map *mp, struct memhp *m)
{
	char *s = read_file(m, "/proc/zoneinfo");
	struct zspan *z = NULL;

	for (char *line = s; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		int node;
		char name[12];
		unsigned long long v;
		if (sscanf(line, "Node %d, zone %11s", &node, name) == 2) {
			z = &PUSH(mp->zones, mp->nzones);
			memset(z, 0, sizeof(*z));
			z->node = node;
			snprintf(z->zone, sizeof(z->zone), "%s", name);
		} else if (z && sscanf(line, " spanned %llu", &v) == 1) {
			z->spanned = v;
		} else if (z && sscanf(line, " start_pfn: %llu", &v) == 1) {
			z->start_pfn = v;
		}
		line = nl ? nl + 1 : NULL;
	}
	free(s);
}

/* ---- the layout: runs of memory and the empty ranges between them ---- */

static bool in_device(const struct map *mp, unsigned long long start, unsigned long long end)
{
	for (size_t i = 0; i < mp->ndevs; i++)
		if (start < mp->devs[i].addr + mp->devs[i].size && end > mp->devs[i].addr)
			return true;
	return false;
}

static bool is_ram(const struct range *r)
{
	return !strcmp(r->name, "System RAM");
}

static void find_regions(struct map *mp)
{
	unsigned long long ram_top = FOUR_GIB, low_top = 0;

	for (size_t i = 0; i < mp->niomem; i++) {
		const struct range *r = &mp->iomem[i];
		if (!is_ram(r) || in_device(mp, r->start, r->end + 1))
			continue;
		if (r->start >= FOUR_GIB && r->end + 1 > ram_top)
			ram_top = r->end + 1;
		if (r->start < FOUR_GIB && r->end + 1 > low_top)
			low_top = r->end + 1;
	}
	/* pc_init1(): the PCI hole starts where RAM below 4 GiB ends; the first window above it */
	mp->hole_start = (low_top + mp->bs - 1) / mp->bs * mp->bs;
	for (size_t i = 0; i < mp->niomem; i++) {
		const struct range *r = &mp->iomem[i];
		if (!strncmp(r->name, "PCI Bus", 7) && r->start >= low_top && r->start < FOUR_GIB) {
			mp->hole_start = r->start;
			break;
		}
	}
	mp->dm_start = mp->dm_end = (ram_top + GIB - 1) / GIB * GIB;
	for (size_t i = 0; i < mp->niomem; i++) {
		const struct range *r = &mp->iomem[i];
		if (!strncmp(r->name, "PCI Bus", 7) && r->start >= mp->dm_start) {
			mp->dm_end = r->start;
			break;
		}
	}
	for (size_t i = 0; i < mp->ndevs; i++)
		if (mp->devs[i].addr + mp->devs[i].size > mp->dm_end)
			mp->dm_end = mp->devs[i].addr + mp->devs[i].size;
}

static void add_run(struct map *mp, unsigned long long start, unsigned long long end, enum run_kind kind,
		    int dev)
{
	struct run *r = &PUSH(mp->runs, mp->nruns);

	r->start = start / mp->bs * mp->bs;
	r->end = (end + mp->bs - 1) / mp->bs * mp->bs;
	r->kind = kind;
	r->dev = dev;
}

static bool covered(const struct map *mp, unsigned long long addr)
{
	for (size_t i = 0; i < mp->nruns; i++)
		if (addr >= mp->runs[i].start && addr < mp->runs[i].end)
			return true;
	return false;
}

static int cmp_run(const void *a, const void *b)
{
	const struct run *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

static void build_runs(struct map *mp)
{
	/* boot RAM: the System RAM outside the devices, widened to whole blocks and merged */
	for (size_t i = 0; i < mp->niomem; i++) {
		const struct range *r = &mp->iomem[i];
		if (!is_ram(r) || in_device(mp, r->start, r->end + 1))
			continue;
		unsigned long long s = r->start / mp->bs * mp->bs, e = (r->end / mp->bs + 1) * mp->bs;
		struct run *last = mp->nruns ? &mp->runs[mp->nruns - 1] : NULL;
		if (last && last->kind == RUN_RAM && s <= last->end) {
			if (e > last->end)
				last->end = e;
		} else {
			add_run(mp, s, e, RUN_RAM, -1);
		}
	}
	for (size_t i = 0; i < mp->ndevs; i++)
		add_run(mp, mp->devs[i].addr, mp->devs[i].addr + mp->devs[i].size,
			mp->devs[i].virtio ? RUN_VMEM : RUN_DIMM, (int)i);
	/* every sysfs block is drawn: one no device or RAM range explains gets a run of its own */
	for (size_t i = 0; i < mp->nblocks; i++) {
		unsigned long long a = mp->blocks[i].nr * mp->bs;
		if (covered(mp, a))
			continue;
		struct run *last = mp->nruns ? &mp->runs[mp->nruns - 1] : NULL;
		if (last && last->kind == RUN_OTHER && last->end == a)
			last->end += mp->bs;
		else
			add_run(mp, a, a + mp->bs, RUN_OTHER, -1);
	}
	qsort(mp->runs, mp->nruns, sizeof(*mp->runs), cmp_run);
}

/* ---- drawing ---- */

static void size_str(unsigned long long n, char *buf, size_t size)
{
	static const char *const unit[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;

	while (u < 4 && n >= 1024 && !(n % 1024)) {
		n /= 1024;
		u++;
	}
	if (u < 4 && n >= 1024) {	/* not a round number: one decimal of the next unit */
		double d = (double)n / 1024;
		while (u < 3 && d >= 1024) {
			d /= 1024;
			u++;
		}
		snprintf(buf, size, "%.1f %s", d, unit[u + 1]);
		return;
	}
	snprintf(buf, size, "%llu %s", n, unit[u]);
}

void svg_put_escaped(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static const struct {
	const char *name, *fill, *label;
} swatches[] = {
	{ "DMA", "#b39ddb", "online, ZONE_DMA" },
	{ "DMA32", "#64b5f6", "online, ZONE_DMA32" },
	{ "Normal", "#66bb6a", "online, ZONE_NORMAL" },
	{ "Movable", "#ffb74d", "online, ZONE_MOVABLE" },
	{ "offline", "#bdbdbd", "offline" },
	{ "absent", "#ffffff", "no memory block" },
};
#define OTHER_FILL "#e57373"	/* online in a zone without a swatch (none should be) */

static const char *fill_of(const char *zone)
{
	for (size_t i = 0; i < sizeof(swatches) / sizeof(swatches[0]); i++)
		if (!strcmp(swatches[i].name, zone))
			return swatches[i].fill;
	return OTHER_FILL;
}

/* The pages of block nr that zone z of the block's node spans. */
static unsigned long long zone_overlap(const struct map *mp, const struct zspan *z, unsigned long long nr)
{
	unsigned long long pages = mp->bs / 4096, s = nr * pages, e = s + pages;
	unsigned long long zs = z->start_pfn, ze = z->start_pfn + z->spanned;

	if (!z->spanned || ze <= s || zs >= e)
		return 0;
	return (ze < e ? ze : e) - (zs > s ? zs : s);
}

/* A block online in several zones (valid_zones "none"): a stripe per zone, widths by span. */
static void draw_zone_parts(FILE *f, const struct map *mp, const struct mblock *b, int x, int y,
			    const char **main_zone)
{
	unsigned long long best = 0, total = 0;

	for (size_t i = 0; i < mp->nzones; i++)
		if (mp->zones[i].node == b->node)
			total += zone_overlap(mp, &mp->zones[i], b->nr);
	if (!total)
		return;
	double at = x;
	for (size_t i = 0; i < mp->nzones; i++) {
		const struct zspan *z = &mp->zones[i];
		unsigned long long o = z->node == b->node ? zone_overlap(mp, z, b->nr) : 0;
		if (!o)
			continue;
		/* proportional, but never thinner than 4 px: 16 MiB of DMA in a 128 MiB block shows */
		double w = (double)CELL * o / total;
		if (w < 4)
			w = 4;
		if (at + w > x + CELL)
			w = x + CELL - at;
		if (w <= 0)
			continue;
		fprintf(f, "<rect class=\"zone-part\" data-zone=\"%s\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" "
			   "height=\"%d\" fill=\"%s\"/>\n", z->zone, at, y, w, CELL, fill_of(z->zone));
		at += w;
		if (o > best) {
			best = o;
			*main_zone = z->zone;
		}
	}
}

struct pen {
	FILE *f;
	int y;
	int prev_node;
};

static void draw_cell(struct pen *p, const struct map *mp, unsigned long long addr, int x, int y)
{
	const struct mblock *b = find_block(mp, addr / mp->bs);
	FILE *f = p->f;

	if (!b) {
		fprintf(f, "<rect class=\"absent\" data-addr=\"0x%llx\" x=\"%d\" y=\"%d\" width=\"%d\" "
			   "height=\"%d\" fill=\"%s\" stroke=\"#9e9e9e\" stroke-dasharray=\"2,2\"/>\n",
			addr, x, y, CELL, CELL, fill_of("absent"));
		return;
	}
	const char *zone = "offline";
	bool online = !strcmp(b->state, "online");
	if (online)
		zone = b->zones;
	/* parts first, so that the block's own rect, on top, keeps its data and outline */
	if (online && !strcmp(b->zones, "none"))
		draw_zone_parts(f, mp, b, x, y, &zone);
	bool parts = online && !strcmp(b->zones, "none") && strcmp(zone, "none");
	fprintf(f, "<rect class=\"block\" data-block=\"%llu\" data-state=\"", b->nr);
	svg_put_escaped(f, b->state);
	fprintf(f, "\" data-valid-zones=\"");
	svg_put_escaped(f, b->zones);
	fprintf(f, "\" data-node=\"%d\" data-fill-zone=\"", b->node);
	svg_put_escaped(f, zone);
	fprintf(f, "\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" %sstroke=\"#424242\">"
		   "<title>memory%llu: %s, %s, node %d</title></rect>\n",
		x, y, CELL, CELL, fill_of(zone), parts ? "fill-opacity=\"0\" " : "", b->nr, b->state,
		b->zones, b->node);
	fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"nr\">%llu</text>\n", x + CELL / 2, y + CELL / 2 + 3, b->nr);
	if (b->node != p->prev_node) {
		/* a node boundary: a bar before the first block of the node, and its name */
		fprintf(f, "<rect class=\"node-boundary\" data-node=\"%d\" x=\"%d\" y=\"%d\" width=\"3\" "
			   "height=\"%d\" fill=\"#c62828\"/>\n", b->node, x - 4, y - 8, CELL + 10);
		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"node\">node %d</text>\n", x + 2, y - 1, b->node);
		p->prev_node = b->node;
	}
}

static void run_header(const struct map *mp, const struct run *r, char *buf, size_t size)
{
	char sz[32], pl[32];

	size_str(r->end - r->start, sz, sizeof(sz));
	switch (r->kind) {
	case RUN_RAM:
		snprintf(buf, size, "boot RAM 0x%llx-0x%llx (%s)", r->start, r->end - 1, sz);
		break;
	case RUN_DIMM: {
		const struct mdev *d = &mp->devs[r->dev];
		snprintf(buf, size, "pc-dimm \"%s\" slot %d, node %d: 0x%llx-0x%llx (%s)", d->id, d->slot,
			 d->node, d->addr, d->addr + d->size - 1, sz);
		break;
	}
	case RUN_VMEM: {
		const struct mdev *d = &mp->devs[r->dev];
		size_str(d->plugged, pl, sizeof(pl));
		snprintf(buf, size, "virtio-mem \"%s\" node %d: 0x%llx-0x%llx (%s, %s plugged)", d->id,
			 d->node, d->addr, d->addr + d->size - 1, sz, pl);
		break;
	}
	default:
		snprintf(buf, size, "memory blocks 0x%llx-0x%llx (%s)", r->start, r->end - 1, sz);
	}
}

static const char *run_stroke(enum run_kind k)
{
	return k == RUN_DIMM ? "#1565c0" : k == RUN_VMEM ? "#6a1b9a" : "#757575";
}

static void draw_run(struct pen *p, const struct map *mp, const struct run *r)
{
	char head[256];
	unsigned long long n = (r->end - r->start) / mp->bs;
	int rows = (int)((n + COLS - 1) / COLS);
	FILE *f = p->f;

	run_header(mp, r, head, sizeof(head));
	fprintf(f, "<g class=\"run\" data-kind=\"%s\" data-start=\"0x%llx\" data-end=\"0x%llx\"",
		r->kind == RUN_RAM ? "ram" : r->kind == RUN_DIMM ? "dimm" : r->kind == RUN_VMEM ? "virtio-mem" : "other",
		r->start, r->end);
	if (r->dev >= 0) {
		fputs(" data-id=\"", f);
		svg_put_escaped(f, mp->devs[r->dev].id);
		fputc('"', f);
	}
	fputs(">\n", f);
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"%s\" "
		   "stroke-width=\"%d\" rx=\"4\"/>\n", X0 - 6, p->y + 2, COLS * PITCH + 8, HEAD_H + rows * ROW_H,
		run_stroke(r->kind), r->kind == RUN_DIMM || r->kind == RUN_VMEM ? 2 : 1);
	fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"head\">", X0, p->y + 15);
	svg_put_escaped(f, head);
	fputs("</text>\n", f);
	p->y += HEAD_H;
	for (unsigned long long i = 0; i < n; i++) {
		int col = (int)(i % COLS);
		unsigned long long addr = r->start + i * mp->bs;
		if (!col) {
			p->y += i ? ROW_H : 0;
			fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"addr\">0x%llx</text>\n", X0 - 12,
				p->y + 8 + CELL / 2 + 4, addr);
		}
		draw_cell(p, mp, addr, X0 + col * PITCH, p->y + 8);
	}
	p->y += ROW_H + 6;
	fputs("</g>\n", f);
}

/* An empty range [a, b): one row, its size and what it is. */
static void draw_gap(struct pen *p, const struct map *mp, unsigned long long a, unsigned long long b)
{
	char sz[32];
	const char *what = "unused";

	if (a >= mp->hole_start && b <= FOUR_GIB)
		what = "PCI hole";
	else if (a >= mp->dm_start && b <= mp->dm_end)
		what = "device memory, no device";
	size_str(b - a, sz, sizeof(sz));
	fprintf(p->f, "<g class=\"gap\" data-start=\"0x%llx\" data-end=\"0x%llx\">\n"
		      "<text x=\"%d\" y=\"%d\" class=\"addr\">0x%llx</text>\n"
		      "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f5f5f5\" stroke=\"#bdbdbd\" "
		      "stroke-dasharray=\"6,3\"/>\n"
		      "<text x=\"%d\" y=\"%d\" class=\"gap\">\u2026 %s %s (0x%llx-0x%llx) \u2026</text>\n</g>\n",
		a, b, X0 - 12, p->y + 16, a, X0 - 6, p->y + 3, COLS * PITCH + 8, GAP_H - 6,
		X0 + COLS * PITCH / 2, p->y + 19, sz, what, a, b - 1);
	p->y += GAP_H;
}

/* Entering the device-memory region: its name above its first row, once. */
static void enter_devmem(struct pen *p, const struct map *mp, unsigned long long a, int *dm_top)
{
	char sz[32];

	if (*dm_top >= 0 || mp->dm_end <= mp->dm_start || a < mp->dm_start || a >= mp->dm_end)
		return;
	size_str(mp->dm_end - mp->dm_start, sz, sizeof(sz));
	*dm_top = p->y;
	fprintf(p->f, "<text x=\"%d\" y=\"%d\" class=\"region\">device memory 0x%llx-0x%llx (%s): "
		      "where DIMMs and virtio-mem devices are plugged</text>\n",
		X0, p->y + 13, mp->dm_start, mp->dm_end - 1, sz);
	p->y += HEAD_H;
}

/* The empty range [a, b), cut where it changes meaning (PCI hole, 4 GiB, device memory). */
static void draw_gaps(struct pen *p, const struct map *mp, unsigned long long a, unsigned long long b,
		      int *dm_top)
{
	unsigned long long cuts[] = { mp->hole_start, FOUR_GIB, mp->dm_start, mp->dm_end };

	while (a < b) {
		unsigned long long next = b;
		for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++)
			if (cuts[i] > a && cuts[i] < next)
				next = cuts[i];
		enter_devmem(p, mp, a, dm_top);
		draw_gap(p, mp, a, next);
		a = next;
	}
}

static void draw_legend(struct pen *p)
{
	FILE *f = p->f;
	int x = 10;

	for (size_t i = 0; i < sizeof(swatches) / sizeof(swatches[0]); i++) {
		fprintf(f, "<rect class=\"legend\" data-zone=\"%s\" x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" "
			   "fill=\"%s\" stroke=\"#424242\"%s/>\n<text x=\"%d\" y=\"%d\" class=\"legend\">%s</text>\n",
			swatches[i].name, x, p->y, swatches[i].fill,
			!strcmp(swatches[i].name, "absent") ? " stroke-dasharray=\"2,2\"" : "", x + 18, p->y + 11,
			swatches[i].label);
		x += 18 + 7 * (int)strlen(swatches[i].label) + 16;
	}
	p->y += 22;
	x = 10;
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"3\" height=\"14\" fill=\"#c62828\"/>"
		   "<text x=\"%d\" y=\"%d\" class=\"legend\">node boundary</text>\n", x + 5, p->y, x + 18, p->y + 11);
	x += 140;
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>"
		   "<text x=\"%d\" y=\"%d\" class=\"legend\">pc-dimm</text>\n", x, p->y, run_stroke(RUN_DIMM), x + 18,
		p->y + 11);
	x += 90;
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>"
		   "<text x=\"%d\" y=\"%d\" class=\"legend\">virtio-mem</text>\n", x, p->y, run_stroke(RUN_VMEM),
		x + 18, p->y + 11);
	x += 110;
	fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"legend\">block: online in several zones = one stripe per "
		   "zone; \u2026 N \u2026 = an empty range shortened</text>\n", x, p->y + 11);
	p->y += 30;
}

static void draw_map(struct pen *p, const struct map *mp)
{
	unsigned long long at = 0;
	int dm_top = -1, dm_bottom = -1;

	for (size_t i = 0; i < mp->nruns; i++) {
		const struct run *r = &mp->runs[i];
		if (r->start > at)
			draw_gaps(p, mp, at, r->start, &dm_top);
		enter_devmem(p, mp, r->start, &dm_top);
		draw_run(p, mp, r);
		if (r->end > at)
			at = r->end;
	}
	if (mp->dm_end > at)
		draw_gaps(p, mp, at, mp->dm_end, &dm_top);
	dm_bottom = p->y;
	fprintf(p->f, "<text x=\"%d\" y=\"%d\" class=\"addr\">0x%llx</text>\n", X0 - 12, p->y + 10,
		at > mp->dm_end ? at : mp->dm_end);
	p->y += 18;
	if (dm_top >= 0) {
		int x = X0 + COLS * PITCH + 14;
		fprintf(p->f, "<path class=\"device-memory\" data-start=\"0x%llx\" data-end=\"0x%llx\" "
			      "d=\"M%d %d h8 V%d h-8\" fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2\"/>\n",
			mp->dm_start, mp->dm_end, x, dm_top + 2, dm_bottom - 2);
	}
}

static void map_free(struct map *mp)
{
	free(mp->blocks);
	free(mp->iomem);
	free(mp->devs);
	free(mp->zones);
	free(mp->runs);
}

char *svg_map(struct memhp *m, const char *caption)
{
	struct map mp = { 0 };
	char *body = NULL, *svg = NULL;
	size_t blen = 0, slen = 0;

	if (!m || read_blocks(&mp, m) < 0) {
		map_free(&mp);
		return NULL;
	}
	read_iomem(&mp, m);
	read_devices(&mp, m);
	read_zoneinfo(&mp, m);
	find_regions(&mp);
	build_runs(&mp);

	struct pen p = { .f = open_memstream(&body, &blen), .y = 10, .prev_node = -1 };
	if (!p.f)
		abort();
	if (caption && *caption) {
		fprintf(p.f, "<text x=\"10\" y=\"%d\" class=\"caption\">", p.y + 12);
		svg_put_escaped(p.f, caption);
		fputs("</text>\n", p.f);
		p.y += 24;
	}
	draw_legend(&p);
	draw_map(&p, &mp);
	fclose(p.f);

	FILE *f = open_memstream(&svg, &slen);
	if (!f)
		abort();
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"memhp-map\" width=\"%d\" height=\"%d\" "
		   "viewBox=\"0 0 %d %d\" data-block-size=\"0x%llx\" font-family=\"sans-serif\">\n"
		   "<style>text{font-size:11px;fill:#212121}text.addr{font-family:monospace;text-anchor:end}"
		   "text.nr{font-size:8px;text-anchor:middle;pointer-events:none}text.node{font-size:8px;fill:#c62828}"
		   "text.gap{text-anchor:middle;fill:#616161}text.caption{font-size:13px;font-weight:bold}"
		   "text.region{fill:#1565c0}text.head{font-weight:bold}</style>\n"
		   "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n%s</svg>\n",
		WIDTH, p.y, WIDTH, p.y, mp.bs, body);
	fclose(f);
	free(body);
	map_free(&mp);
	return svg;
}

int svg_map_command(struct memhp *m, const char *args)
{
	char path[4096];
	const char *a = args + strspn(args, " \t");
	size_t n = strcspn(a, " \t");

	if (n >= sizeof(path) || a[n + strspn(a + n, " \t")]) {
		fprintf(stderr, "usage: memhp map [FILE.svg]\n");
		return 1;
	}
	memcpy(path, a, n);
	path[n] = 0;
	char *svg = svg_map(m, NULL);
	if (!svg) {
		fprintf(stderr, "memhp map: cannot read the guest's memory blocks\n");
		return 1;
	}
	FILE *f = n ? fopen(path, "w") : stdout;
	if (!f) {
		fprintf(stderr, "memhp map: %s: %s\n", path, strerror(errno));
		free(svg);
		return 1;
	}
	fputs(svg, f);
	int bad = ferror(f);
	if (f != stdout)
		bad |= fclose(f);
	else
		bad |= fflush(f);
	free(svg);
	if (bad) {
		fprintf(stderr, "memhp map: %s: write error\n", n ? path : "stdout");
		return 1;
	}
	return 0;
}
