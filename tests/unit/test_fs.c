// SPDX-License-Identifier: MIT
/*
 * Unit tests of the pseudo file systems (src/fs): the /proc and node
 * renderers against lines copied from the reference transcripts of Linux 6.1
 * (../shared/reference), and the router's paths, symlinks and errnos.
 * The kernel is a small hand-built one: two nodes, a few zones and blocks,
 * the iomem tree of core/biscuitos.txt.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/vfs.h"
#include "fs/fs_internal.h"
#include "kernel/kernel.h"
#include "lib/sbuf.h"

static int passed, failed;

static void check(int ok, const char *what)
{
	printf("%s - %s\n", ok ? "ok" : "not ok", what);
	if (ok)
		passed++;
	else
		failed++;
}

static void check_str(const char *got, const char *want, const char *what)
{
	int ok = strcmp(got, want) == 0;
	check(ok, what);
	if (!ok)
		printf("# want: [%s]\n# got:  [%s]\n", want, got);
}

/* ---- reference texts (Linux 6.1 under QEMU 7.2) ---- */

/* core/numa-boot.txt: the first zone of the first `cat /proc/zoneinfo` */
static const char ref_zoneinfo_dma[] =
	"Node 0, zone      DMA\n"
	"  per-node stats\n"
	"      nr_inactive_anon 884\n"
	"      nr_active_anon 442\n"
	"      nr_inactive_file 0\n"
	"      nr_active_file 0\n"
	"      nr_unevictable 0\n"
	"      nr_slab_reclaimable 86\n"
	"      nr_slab_unreclaimable 909\n"
	"      nr_isolated_anon 0\n"
	"      nr_isolated_file 0\n"
	"      workingset_nodes 0\n"
	"      workingset_refault_anon 0\n"
	"      workingset_refault_file 0\n"
	"      workingset_activate_anon 0\n"
	"      workingset_activate_file 0\n"
	"      workingset_restore_anon 0\n"
	"      workingset_restore_file 0\n"
	"      workingset_nodereclaim 0\n"
	"      nr_anon_pages 17\n"
	"      nr_mapped    425\n"
	"      nr_file_pages 1326\n"
	"      nr_dirty     0\n"
	"      nr_writeback 0\n"
	"      nr_writeback_temp 0\n"
	"      nr_shmem     1326\n"
	"      nr_shmem_hugepages 0\n"
	"      nr_shmem_pmdmapped 0\n"
	"      nr_file_hugepages 0\n"
	"      nr_file_pmdmapped 0\n"
	"      nr_anon_transparent_hugepages 0\n"
	"      nr_vmscan_write 0\n"
	"      nr_vmscan_immediate_reclaim 0\n"
	"      nr_dirtied   0\n"
	"      nr_written   0\n"
	"      nr_throttled_written 0\n"
	"      nr_kernel_misc_reclaimable 0\n"
	"      nr_foll_pin_acquired 0\n"
	"      nr_foll_pin_released 0\n"
	"      nr_kernel_stack 424\n"
	"      nr_page_table_pages 3\n"
	"      nr_sec_page_table_pages 0\n"
	"      nr_swapcached 0\n"
	"      pgpromote_success 0\n"
	"      pgpromote_candidate 0\n"
	"  pages free     3776\n"
	"        boost    0\n"
	"        min      135\n"
	"        low      168\n"
	"        high     201\n"
	"        spanned  4095\n"
	"        present  3998\n"
	"        managed  3840\n"
	"        cma      0\n"
	"        protection: (0, 939, 939, 939, 939)\n"
	"      nr_free_pages 3776\n"
	"      nr_zone_inactive_anon 0\n"
	"      nr_zone_active_anon 0\n"
	"      nr_zone_inactive_file 0\n"
	"      nr_zone_active_file 0\n"
	"      nr_zone_unevictable 0\n"
	"      nr_zone_write_pending 0\n"
	"      nr_mlock     0\n"
	"      nr_bounce    0\n"
	"      nr_zspages   0\n"
	"      nr_free_cma  0\n"
	"      numa_hit     1\n"
	"      numa_miss    0\n"
	"      numa_foreign 0\n"
	"      numa_interleave 0\n"
	"      numa_local   1\n"
	"      numa_other   0\n"
	"  pagesets\n"
	"    cpu: 0\n"
	"              count: 0\n"
	"              high:  168\n"
	"              batch: 1\n"
	"  vm stats threshold: 4\n"
	"    cpu: 1\n"
	"              count: 0\n"
	"              high:  168\n"
	"              batch: 1\n"
	"  vm stats threshold: 4\n"
	"  node_unreclaimable:  0\n"
	"  start_pfn:           1\n";

/* core/numa-boot.txt: the same dump, an unpopulated zone */
static const char ref_zoneinfo_normal[] =
	"Node 0, zone   Normal\n"
	"  pages free     0\n"
	"        boost    0\n"
	"        min      0\n"
	"        low      0\n"
	"        high     0\n"
	"        spanned  0\n"
	"        present  0\n"
	"        managed  0\n"
	"        cma      0\n"
	"        protection: (0, 0, 0, 0, 0)\n";

/* core/zones-mixed.txt: the first `cat /proc/meminfo` */
static const char ref_meminfo[] =
	"MemTotal:        1927396 kB\n"
	"MemFree:         1881516 kB\n"
	"MemAvailable:    1810956 kB\n"
	"Buffers:               0 kB\n"
	"Cached:             5292 kB\n"
	"SwapCached:            0 kB\n"
	"Active:             1764 kB\n"
	"Inactive:           3696 kB\n"
	"Active(anon):       1764 kB\n"
	"Inactive(anon):     3696 kB\n"
	"Active(file):          0 kB\n"
	"Inactive(file):        0 kB\n"
	"Unevictable:           0 kB\n"
	"Mlocked:               0 kB\n"
	"SwapTotal:             0 kB\n"
	"SwapFree:              0 kB\n"
	"Zswap:                 0 kB\n"
	"Zswapped:              0 kB\n"
	"Dirty:                 0 kB\n"
	"Writeback:             0 kB\n"
	"AnonPages:           252 kB\n"
	"Mapped:             1680 kB\n"
	"Shmem:              5292 kB\n"
	"KReclaimable:       8856 kB\n"
	"Slab:              15908 kB\n"
	"SReclaimable:       8856 kB\n"
	"SUnreclaim:         7052 kB\n"
	"KernelStack:         924 kB\n"
	"PageTables:           96 kB\n"
	"SecPageTables:         0 kB\n"
	"NFS_Unstable:          0 kB\n"
	"Bounce:                0 kB\n"
	"WritebackTmp:          0 kB\n"
	"CommitLimit:      963696 kB\n"
	"Committed_AS:       6984 kB\n"
	"VmallocTotal:   13743895347199 kB\n"
	"VmallocUsed:        5688 kB\n"
	"VmallocChunk:          0 kB\n"
	"Percpu:              520 kB\n"
	"HardwareCorrupted:     0 kB\n"
	"AnonHugePages:         0 kB\n"
	"ShmemHugePages:        0 kB\n"
	"ShmemPmdMapped:        0 kB\n"
	"FileHugePages:         0 kB\n"
	"FilePmdMapped:         0 kB\n"
	"HugePages_Total:       0\n"
	"HugePages_Free:        0\n"
	"HugePages_Rsvd:        0\n"
	"HugePages_Surp:        0\n"
	"Hugepagesize:       2048 kB\n"
	"Hugetlb:               0 kB\n"
	"DirectMap4k:       26496 kB\n"
	"DirectMap2M:     2070528 kB\n"
	"DirectMap1G:           0 kB\n";

/* core/numa-boot.txt: `cat /sys/devices/system/node/node0/meminfo` */
static const char ref_node_meminfo[] =
	"Node 0 MemTotal:         985456 kB\n"
	"Node 0 MemFree:          953628 kB\n"
	"Node 0 MemUsed:           31828 kB\n"
	"Node 0 SwapCached:            0 kB\n"
	"Node 0 Active:             1768 kB\n"
	"Node 0 Inactive:           3536 kB\n"
	"Node 0 Active(anon):       1768 kB\n"
	"Node 0 Inactive(anon):     3536 kB\n"
	"Node 0 Active(file):          0 kB\n"
	"Node 0 Inactive(file):        0 kB\n"
	"Node 0 Unevictable:           0 kB\n"
	"Node 0 Mlocked:               0 kB\n"
	"Node 0 Dirty:                 0 kB\n"
	"Node 0 Writeback:             0 kB\n"
	"Node 0 FilePages:          5304 kB\n"
	"Node 0 Mapped:             1700 kB\n"
	"Node 0 AnonPages:            68 kB\n"
	"Node 0 Shmem:              5304 kB\n"
	"Node 0 KernelStack:         424 kB\n"
	"Node 0 PageTables:           12 kB\n"
	"Node 0 SecPageTables:         0 kB\n"
	"Node 0 NFS_Unstable:          0 kB\n"
	"Node 0 Bounce:                0 kB\n"
	"Node 0 WritebackTmp:          0 kB\n"
	"Node 0 KReclaimable:        344 kB\n"
	"Node 0 Slab:               3980 kB\n"
	"Node 0 SReclaimable:        344 kB\n"
	"Node 0 SUnreclaim:         3636 kB\n"
	"Node 0 AnonHugePages:         0 kB\n"
	"Node 0 ShmemHugePages:        0 kB\n"
	"Node 0 ShmemPmdMapped:        0 kB\n"
	"Node 0 FileHugePages:        0 kB\n"
	"Node 0 FilePmdMapped:        0 kB\n"
	"Node 0 HugePages_Total:     0\n"
	"Node 0 HugePages_Free:      0\n"
	"Node 0 HugePages_Surp:      0\n";

/* core/biscuitos.txt: `cat /proc/iomem` after the DIMM was added and one block onlined */
static const char ref_iomem[] =
	"00000000-00000fff : Reserved\n"
	"00001000-0009fbff : System RAM\n"
	"0009fc00-0009ffff : Reserved\n"
	"000a0000-000bffff : PCI Bus 0000:00\n"
	"000c0000-000c05ff : Video ROM\n"
	"000f0000-000fffff : Reserved\n"
	"  000f0000-000fffff : System ROM\n"
	"00100000-3ffdffff : System RAM\n"
	"  01000000-01e01d31 : Kernel code\n"
	"  02000000-028eafff : Kernel rodata\n"
	"  02a00000-02c4897f : Kernel data\n"
	"  03310000-043fffff : Kernel bss\n"
	"3ffe0000-3fffffff : Reserved\n"
	"40000000-febfffff : PCI Bus 0000:00\n"
	"fec00000-fec003ff : IOAPIC 0\n"
	"fed00000-fed003ff : HPET 0\n"
	"  fed00000-fed003ff : PNP0103:00\n"
	"fee00000-fee00fff : Local APIC\n"
	"fffc0000-ffffffff : Reserved\n"
	"100000000-11fffffff : System RAM\n"
	"ac0000000-b3fffffff : PCI Bus 0000:00\n"
	"fd00000000-ffffffffff : Reserved\n";

/* ---- a small kernel ---- */

static struct resource *res_add(struct resource *parent, uint64_t start, uint64_t end, const char *name)
{
	struct resource *r = calloc(1, sizeof(*r));
	r->start = start;
	r->end = end;
	r->name = strdup(name);
	r->flags = strncmp(name, "System RAM", 10) == 0 ? IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY : IORESOURCE_MEM;
	r->parent = parent;
	struct resource **pp = &parent->child;
	while (*pp)
		pp = &(*pp)->sibling;
	*pp = r;
	return r;
}

static void res_free(struct resource *r)
{
	while (r) {
		struct resource *next = r->sibling;
		res_free(r->child);
		free(r->name);
		free(r);
		r = next;
	}
}

static const char *const znames[MAX_NR_ZONES] = { "DMA", "DMA32", "Normal", "Movable", "Device" };

static struct memory_block *block_new(struct kernel *k, unsigned long id, int nid, unsigned long state)
{
	struct memory_block *mem = calloc(1, sizeof(*mem));
	mem->id = id;
	mem->start_section_nr = id;
	mem->state = state;
	mem->nid = nid;
	mem->node_links = 1ULL << nid;
	mem->acpi_slot = -1;
	k->blocks[k->nr_blocks++] = mem;
	return mem;
}

static struct firmware_map_entry fw[2] = {
	{ .start = 0, .end = 0x9fbff, .type = "System RAM", .id = 0, .next = &fw[1] },
	{ .start = 0x100000000ULL, .end = 0x11fffffffULL, .type = "System RAM", .id = 1, .next = NULL },
};

static struct kernel *fake_kernel(void)
{
	struct kernel *k = calloc(1, sizeof(*k));
	pthread_mutex_init(&k->zone_lock, NULL);
	k->block_size = 0x8000000;
	k->boot.nr_cpus = 2;
	k->boot.nr_nodes = 2;
	k->boot.cpu_to_node[0] = 0;
	k->boot.cpu_to_node[1] = 1;
	for (int nid = 0; nid < 2; nid++) {
		node_set_state(k, nid, N_POSSIBLE);
		node_set_state(k, nid, N_ONLINE);
		node_set_state(k, nid, N_NORMAL_MEMORY);
		node_set_state(k, nid, N_MEMORY);
		node_set_state(k, nid, N_CPU);
		pg_data_t *pgdat = calloc(1, sizeof(*pgdat));
		pgdat->node_id = nid;
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			pgdat->node_zones[z].zone_pgdat = pgdat;
			pgdat->node_zones[z].name = znames[z];
			pgdat->node_zones[z].idx = (enum zone_type)z;
		}
		k->node_data[nid] = pgdat;
	}
	/* node 0, zone DMA: the figures of the reference dump */
	struct zone *dma = &k->node_data[0]->node_zones[ZONE_DMA];
	dma->nr_free_pages = 3776;
	dma->_watermark[WMARK_MIN] = 135;
	dma->_watermark[WMARK_LOW] = 168;
	dma->_watermark[WMARK_HIGH] = 201;
	dma->spanned_pages = 4095;
	dma->present_pages = 3998;
	dma->managed_pages = 3840;
	dma->zone_start_pfn = 1;
	for (int z = 1; z < MAX_NR_ZONES; z++)
		dma->lowmem_reserve[z] = 939;
	dma->pcp.high = 168;
	dma->pcp.batch = 1;
	dma->stat_threshold = 4;
	static const unsigned long dma_free[MAX_ORDER] = { 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 3 };
	for (int o = 0; o < MAX_ORDER; o++)
		dma->free_area[o].nr_free = dma_free[o];
	struct zone *dma32 = &k->node_data[0]->node_zones[ZONE_DMA32];
	dma32->nr_free_pages = 234756;
	dma32->spanned_pages = dma32->present_pages = 258048;
	dma32->managed_pages = 242524;
	dma32->zone_start_pfn = 4096;
	struct zone *n1 = &k->node_data[1]->node_zones[ZONE_DMA32];
	n1->nr_free_pages = 229582;
	n1->spanned_pages = n1->present_pages = 262112;
	n1->managed_pages = 236209;
	n1->zone_start_pfn = 262144;
	k->node_data[0]->nr_anon_pages = 17;
	k->node_data[0]->nr_file_pages = 1326;
	k->totalram_pages = 3840 + 242524 + 236209;

	k->blocks = calloc(8, sizeof(*k->blocks));
	k->blocks_cap = 8;
	block_new(k, 0, 0, MEM_ONLINE)->zone = NULL;
	block_new(k, 1, 0, MEM_ONLINE)->zone = dma32;
	block_new(k, 8, 1, MEM_ONLINE)->zone = n1;
	block_new(k, 32, 1, MEM_OFFLINE)->acpi_slot = 0;

	struct resource *root = &k->iomem_resource;
	root->start = 0;
	root->end = PHYSMEM_END;
	root->name = "PCI mem";
	res_add(root, 0x0, 0xfff, "Reserved");
	res_add(root, 0x1000, 0x9fbff, "System RAM");
	res_add(root, 0x9fc00, 0x9ffff, "Reserved");
	res_add(root, 0xa0000, 0xbffff, "PCI Bus 0000:00");
	res_add(root, 0xc0000, 0xc05ff, "Video ROM");
	res_add(res_add(root, 0xf0000, 0xfffff, "Reserved"), 0xf0000, 0xfffff, "System ROM");
	struct resource *ram = res_add(root, 0x100000, 0x3ffdffff, "System RAM");
	res_add(ram, 0x1000000, 0x1e01d31, "Kernel code");
	res_add(ram, 0x2000000, 0x28eafff, "Kernel rodata");
	res_add(ram, 0x2a00000, 0x2c4897f, "Kernel data");
	res_add(ram, 0x3310000, 0x43fffff, "Kernel bss");
	res_add(root, 0x3ffe0000, 0x3fffffff, "Reserved");
	res_add(root, 0x40000000, 0xfebfffff, "PCI Bus 0000:00");
	res_add(root, 0xfec00000, 0xfec003ff, "IOAPIC 0");
	res_add(res_add(root, 0xfed00000, 0xfed003ff, "HPET 0"), 0xfed00000, 0xfed003ff, "PNP0103:00");
	res_add(root, 0xfee00000, 0xfee00fff, "Local APIC");
	res_add(root, 0xfffc0000, 0xffffffff, "Reserved");
	res_add(root, 0x100000000ULL, 0x11fffffffULL, "System RAM");
	res_add(root, 0xac0000000ULL, 0xb3fffffffULL, "PCI Bus 0000:00");
	res_add(root, 0xfd00000000ULL, 0xffffffffffULL, "Reserved");

	k->fw_memmap = &fw[0];
	k->params.default_online_type = MMOP_OFFLINE;
	return k;
}

static void fake_kernel_free(struct kernel *k)
{
	for (unsigned long i = 0; i < k->nr_blocks; i++)
		free(k->blocks[i]);
	free(k->blocks);
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		free(k->node_data[nid]);
	res_free(k->iomem_resource.child);
	pthread_mutex_destroy(&k->zone_lock);
	sb_free(&k->log);
	free(k);
}

/* ---- helpers ---- */

static char *read_file(struct kernel *k, const char *path, int *err)
{
	struct sbuf b = SBUF_INIT;
	*err = vfs_read(k, path, &b);
	return sb_detach(&b);
}

static void check_read(struct kernel *k, const char *path, const char *want)
{
	int err;
	char *got = read_file(k, path, &err);
	char what[512];
	snprintf(what, sizeof(what), "read %s", path);
	if (err) {
		check(0, what);
		printf("# error %d\n", err);
	} else {
		check_str(got, want, what);
	}
	free(got);
}

static void check_err(int got, int want, const char *what)
{
	check(got == want, what);
	if (got != want)
		printf("# want %d, got %d\n", want, got);
}

/* Sorted listing joined by spaces, as `ls` shows it. */
static char *list_dir(struct kernel *k, const char *path, int *err)
{
	struct strlist l = { 0 };
	struct sbuf b = SBUF_INIT;
	*err = vfs_list(k, path, &l);
	sl_sort(&l);
	for (size_t i = 0; i < l.n; i++) {
		if (i)
			sb_putc(&b, ' ');
		sb_puts(&b, l.v[i]);
	}
	sl_free(&l);
	return sb_detach(&b);
}

static void check_list(struct kernel *k, const char *path, const char *want)
{
	int err;
	char *got = list_dir(k, path, &err);
	char what[512];
	snprintf(what, sizeof(what), "ls %s", path);
	if (err) {
		check(0, what);
		printf("# error %d\n", err);
	} else {
		check_str(got, want, what);
	}
	free(got);
}

/* The n-th line of text (0-based), copied into buf. */
static const char *nth_line(const char *text, int n, char *buf, size_t len)
{
	for (; n > 0 && text; n--) {
		text = strchr(text, '\n');
		if (text)
			text++;
	}
	if (!text || !*text)
		return NULL;
	size_t l = strcspn(text, "\n");
	if (l >= len)
		l = len - 1;
	memcpy(buf, text, l);
	buf[l] = 0;
	return buf;
}

static int count_lines(const char *text)
{
	int n = 0;
	for (; *text; text++)
		n += *text == '\n';
	return n;
}

/* A zoneinfo line's "key": its text without the number that ends it (name and padding). */
static void line_key(const char *line, char *key, size_t len)
{
	size_t l = strlen(line);
	while (l > 0 && line[l - 1] >= '0' && line[l - 1] <= '9')
		l--;
	if (l >= len)
		l = len - 1;
	memcpy(key, line, l);
	key[l] = 0;
}

/*
 * Same field names, in the same order, and the same columns: the text up to
 * each number (padding included) is equal wherever the two numbers have the
 * same number of digits, and every number ends in the same column.
 */
static void check_layout(const char *got, const char *want, const char *what)
{
	int ok = count_lines(got) == count_lines(want);
	if (!ok)
		printf("# %d lines, want %d\n", count_lines(got), count_lines(want));
	char g[256], w[256];
	for (int i = 0; ok && nth_line(want, i, w, sizeof(w)); i++) {
		if (!nth_line(got, i, g, sizeof(g))) {
			ok = 0;
			break;
		}
		const char *gc = strchr(g, ':'), *wc = strchr(w, ':');
		if (!gc || !wc || gc - g != wc - w || strncmp(g, w, (size_t)(gc - g)) != 0) {
			ok = 0;
		} else if (strlen(g) != strlen(w) && strlen(w) < 40) {
			ok = 0;	/* right-aligned numbers: same line length unless a number overflows its width */
		}
		if (!ok)
			printf("# line %d: want [%s] got [%s]\n", i, w, g);
	}
	check(ok, what);
}

/* ---- tests ---- */

static void test_iomem(struct kernel *k)
{
	struct sbuf b = SBUF_INIT;
	proc_iomem_show(k, &b);
	check_str(sb_str(&b), ref_iomem, "/proc/iomem matches core/biscuitos.txt");
	sb_free(&b);
}

static void test_zoneinfo(struct kernel *k)
{
	struct sbuf b = SBUF_INIT;
	proc_zoneinfo_show(k, &b);
	const char *s = sb_str(&b);

	/* every line of the reference DMA zone: same key; same value where memhp sets it */
	static const char *const exact[] = {
		"Node 0, zone      DMA", "  per-node stats", "  pages free     3776", "        boost    0",
		"        min      135", "        low      168", "        high     201", "        spanned  4095",
		"        present  3998", "        managed  3840", "        cma      0",
		"        protection: (0, 939, 939, 939, 939)", "  pagesets", "    cpu: 0", "    cpu: 1",
		"              high:  168", "              batch: 1", "  vm stats threshold: 4",
		"  node_unreclaimable:  0", "  start_pfn:           1",
	};
	int nref = count_lines(ref_zoneinfo_dma), ok = 1;
	char g[256], w[256], gk[256], wk[256];
	for (int i = 0; i < nref; i++) {
		if (!nth_line(s, i, g, sizeof(g)) || !nth_line(ref_zoneinfo_dma, i, w, sizeof(w))) {
			ok = 0;
			break;
		}
		line_key(g, gk, sizeof(gk));
		line_key(w, wk, sizeof(wk));
		if (strcmp(gk, wk) != 0) {
			printf("# line %d: want key [%s] got [%s]\n", i, wk, gk);
			ok = 0;
		}
		for (size_t e = 0; e < sizeof(exact) / sizeof(exact[0]); e++)
			if (strcmp(w, exact[e]) == 0 && strcmp(g, w) != 0) {
				printf("# line %d: want [%s] got [%s]\n", i, w, g);
				ok = 0;
			}
	}
	check(ok, "/proc/zoneinfo: populated zone lines as core/numa-boot.txt");

	const char *normal = strstr(s, "Node 0, zone   Normal\n");
	check(normal && strncmp(normal, ref_zoneinfo_normal, strlen(ref_zoneinfo_normal)) == 0 &&
	      strncmp(normal + strlen(ref_zoneinfo_normal), "Node 0, zone  Movable\n", 22) == 0,
	      "/proc/zoneinfo: unpopulated zone stops after protection");
	check(strstr(s, "Node 1, zone    DMA32\n  per-node stats\n") != NULL,
	      "/proc/zoneinfo: per-node stats on a node's first populated zone");
	check(strstr(s, "Node 1, zone      DMA\n  pages free     0\n") != NULL,
	      "/proc/zoneinfo: no per-node stats on an unpopulated first zone");
	check(strstr(s, "  start_pfn:           262144\n") != NULL, "/proc/zoneinfo: start_pfn of node 1");
	int zones = 0;
	for (const char *p = s; (p = strstr(p, ", zone ")); p++)
		zones++;
	check(zones == 2 * MAX_NR_ZONES, "/proc/zoneinfo: every zone of every online node");
	sb_free(&b);
}

static void test_buddyinfo(struct kernel *k)
{
	struct sbuf b = SBUF_INIT;
	proc_buddyinfo_show(k, &b);
	check_str(sb_str(&b),
		  "Node 0, zone      DMA      0      0      0      0      0      0      1      1      0      1      3 \n"
		  "Node 0, zone    DMA32      0      0      0      0      0      0      0      0      0      0      0 \n"
		  "Node 1, zone    DMA32      0      0      0      0      0      0      0      0      0      0      0 \n",
		  "/proc/buddyinfo: populated zones, 11 orders");
	sb_free(&b);
}

static void test_meminfo(struct kernel *k)
{
	struct sbuf b = SBUF_INIT;
	proc_meminfo_show(k, &b);
	check_layout(sb_str(&b), ref_meminfo, "/proc/meminfo: fields and columns of core/zones-mixed.txt");
	char line[128];
	snprintf(line, sizeof(line), "MemTotal:       %8lu kB\n", k->totalram_pages * 4);
	check(strncmp(sb_str(&b), line, strlen(line)) == 0, "/proc/meminfo: MemTotal is totalram_pages");
	check(strstr(sb_str(&b), "VmallocTotal:   13743895347199 kB\n") != NULL, "/proc/meminfo: VmallocTotal overflows its column");
	/*
	 * direct map of 0x1000-0x9efff (4k), 0x100000-0x3ffdffff (1M+1.875M in 4k, the rest in 2M)
	 * and 0x100000000-0x11fffffff (2M)
	 */
	check(strstr(sb_str(&b), "DirectMap4k:        3576 kB\n") != NULL &&
	      strstr(sb_str(&b), "DirectMap2M:     1568768 kB\n") != NULL, "/proc/meminfo: DirectMap from System RAM");
	sb_reset(&b);

	node_meminfo_show(k, 0, &b);
	check_layout(sb_str(&b), ref_node_meminfo, "node0/meminfo: fields and columns of core/numa-boot.txt");
	char first[128];
	nth_line(sb_str(&b), 0, first, sizeof(first));
	check_str(first, "Node 0 MemTotal:         985456 kB", "node0/meminfo: MemTotal is the node's managed pages");
	check(strstr(sb_str(&b), "Node 0 FileHugePages:        0 kB\n") != NULL, "node0/meminfo: FileHugePages quirk");
	sb_free(&b);
}

static void test_bitmaps(void)
{
	struct sbuf b = SBUF_INIT;
	node_mask_show(0x3, &b);
	node_mask_show(0xd, &b);
	node_mask_show(0, &b);
	node_mask_show(1ULL << 63, &b);
	check_str(sb_str(&b), "0-1\n0,2-3\n\n63\n", "node masks as range lists");
	sb_reset(&b);
	uint64_t m[2] = { 0x2, 0x1 };
	bitmap_print_hex(&b, m, 2);
	sb_putc(&b, ' ');
	bitmap_print_hex(&b, m, 65);
	check_str(sb_str(&b), "2 1,00000000,00000002", "cpumap as 32-bit hex words");
	sb_free(&b);
}

static void test_sysfs_memory(struct kernel *k)
{
	check_list(k, "/sys/devices/system/memory",
		   "auto_online_blocks block_size_bytes hard_offline_page memory0 memory1 memory32 memory8 "
		   "power soft_offline_page uevent");
	check_list(k, "/sys/devices/system/memory/memory8",
		   "node1 online phys_device phys_index power removable state subsystem uevent valid_zones");
	check_list(k, "/sys/devices/system/memory/memory32/",
		   "firmware_node node1 online phys_device phys_index power removable state subsystem uevent valid_zones");
	check_list(k, "/sys/devices/system/memory/power",
		   "async autosuspend_delay_ms control runtime_active_kids runtime_active_time runtime_enabled "
		   "runtime_status runtime_suspended_time runtime_usage");
	/* kernfs refuses a writer of a read-only file at open; procfs lets root open it (the write is EIO) */
	check(vfs_open(k, "/sys/devices/system/memory/block_size_bytes", O_WRONLY) == -EACCES, "vfs_open(k, \"/sys/devices/system/memory/block_size_bytes\", O_WRONLY) == -EACCES");
	check(vfs_open(k, "/proc/meminfo", O_WRONLY) == 0, "vfs_open(k, \"/proc/meminfo\", O_WRONLY) == 0");
	check(vfs_write(k, "/proc/meminfo", "1\n", 2) == -EIO, "vfs_write(k, \"/proc/meminfo\", \"1\\n\", 2) == -EIO");
	check(vfs_open(k, "/proc/nonexistent", O_WRONLY) == -ENOENT, "vfs_open(k, \"/proc/nonexistent\", O_WRONLY) == -ENOENT");
	check(vfs_open(k, "/sys/devices/system/memory/nonexistent", O_WRONLY) == -EACCES, "vfs_open(k, \"/sys/devices/system/memory/nonexistent\", O_WRONLY) == -EACCES");
	check(vfs_open(k, "/sys/devices/system/memory/soft_offline_page", O_RDONLY) == -EACCES, "vfs_open(k, \"/sys/devices/system/memory/soft_offline_page\", O_RDONLY) == -EACCES");
	check_read(k, "/sys/devices/system/memory/block_size_bytes", "8000000\n");
	check_read(k, "/sys/devices/system/memory/auto_online_blocks", "offline\n");
	check_read(k, "/sys/devices/system/memory/memory32/phys_index", "00000020\n");
	check_read(k, "/sys/devices/system/memory/memory32/phys_device", "0\n");
	check_read(k, "/sys/devices/system/memory/memory32/removable", "1\n");
	check_read(k, "/sys/devices/system/memory/memory32/online", "0\n");
	check_read(k, "/sys/devices/system/memory/memory8/online", "1\n");
	check_read(k, "/sys/devices/system/memory/uevent", "");

	struct vfs_stat st;
	check(vfs_stat(k, "/sys/devices/system/memory/memory32/node1", &st) == 0 && st.type == VFS_LINK &&
	      strcmp(st.target, "../../node/node1") == 0, "stat memoryN/nodeM is a link to ../../node/nodeM");
	check(vfs_stat(k, "/sys/devices/system/memory/memory32/subsystem", &st) == 0 &&
	      strcmp(st.target, "../../../../bus/memory") == 0, "stat memoryN/subsystem");
	check(vfs_stat(k, "/sys/devices/system/memory/memory32/firmware_node", &st) == 0 && st.type == VFS_LINK,
	      "firmware_node on an ACPI-bound block");
	check_err(vfs_stat(k, "/sys/devices/system/memory/memory8/firmware_node", &st), -ENOENT,
		  "no firmware_node on a boot block");
	check(vfs_stat(k, "/sys/devices/system/memory/memory32/state", &st) == 0 && st.type == VFS_FILE &&
	      st.mode == 0644, "stat state: 0644 file");
	check(vfs_stat(k, "/sys/devices/system/memory/soft_offline_page", &st) == 0 && st.mode == 0200,
	      "stat soft_offline_page: 0200");
	check(vfs_stat(k, "/sys/devices/system/memory/memory32", &st) == 0 && st.type == VFS_DIR,
	      "stat memoryN: directory");
}

static void test_errors(struct kernel *k)
{
	struct sbuf b = SBUF_INIT;
	struct strlist l = { 0 };
	check_err(vfs_read(k, "/sys/devices/system/memory/memory99/state", &b), -ENOENT, "missing block: ENOENT");
	check_err(vfs_read(k, "/sys/devices/system/memory/memory032/state", &b), -ENOENT, "memory032: ENOENT");
	check_err(vfs_read(k, "/sys/devices/system/memory/memory-1/state", &b), -ENOENT, "memory-1: ENOENT");
	check_err(vfs_read(k, "/sys/devices/system/memory/memory99999999999999999999999/state", &b), -ENOENT,
		  "overflowing block number: ENOENT");
	check_err(vfs_read(k, "/sys/devices/system/memory", &b), -EISDIR, "read a directory: EISDIR");
	check_err(vfs_write(k, "/sys/devices/system/memory", "x", 1), -EISDIR, "write a directory: EISDIR");
	check_err(vfs_write(k, "/sys/devices/system/memory/block_size_bytes", "0\n", 2), -EACCES,
		  "write block_size_bytes: EACCES");
	check_err(vfs_read(k, "/sys/devices/system/memory/soft_offline_page", &b), -EACCES,
		  "read soft_offline_page: EACCES");
	check_err(vfs_write(k, "/proc/meminfo", "1\n", 2), -EIO, "write /proc/meminfo: EIO");
	check_err(vfs_list(k, "/proc/meminfo", &l), -ENOTDIR, "list a file: ENOTDIR");
	check_err(vfs_read(k, "/sys/devices/system/memory/block_size_bytes/x", &b), -ENOTDIR,
		  "a file in the middle of a path: ENOTDIR");
	check_err(vfs_read(k, NULL, &b), -ENOENT, "NULL path: ENOENT");
	check_err(vfs_read(k, "", &b), -EISDIR, "empty path is the root: EISDIR");
	check_err(vfs_read(k, "/nosuch", &b), -ENOENT, "unknown top directory: ENOENT");
	check_err(vfs_write(k, "/sys/devices/system/memory/soft_offline_page", "zzz\n", 4), -EINVAL,
		  "soft_offline_page: bad address EINVAL");
	check_err(vfs_write(k, "/sys/devices/system/memory/hard_offline_page", "0x1000\n", 7), -ENXIO,
		  "hard_offline_page: no memmap ENXIO");
	check_err(vfs_write(k, "/sys/devices/system/memory/uevent", "bogus\n", 6), -EINVAL, "uevent: bad action");
	check_err(vfs_write(k, "/sys/devices/system/memory/uevent", "change\n", 7), 0, "uevent: change");

	char longname[600];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[0] = '/';
	longname[sizeof(longname) - 1] = 0;
	check_err(vfs_read(k, longname, &b), -ENOENT, "overlong component: ENOENT");
	struct sbuf deep = SBUF_INIT;
	for (int i = 0; i < 2000; i++)
		sb_puts(&deep, "/sys/..");
	sb_puts(&deep, "/sys/devices/system/memory/block_size_bytes");
	sb_reset(&b);
	check_err(vfs_read(k, sb_str(&deep), &b), 0, "a long path of .. components");
	sb_free(&deep);
	/* memory32/node1/memory32/node1/...: every component a link, over Linux's 40 */
	struct sbuf loop = SBUF_INIT;
	sb_puts(&loop, "/sys/devices/system/memory");
	for (int i = 0; i < 30; i++)
		sb_puts(&loop, "/memory32/node1");
	check_err(vfs_list(k, sb_str(&loop), &l), -ELOOP, "more than 40 links in one walk: ELOOP");
	sb_free(&loop);
	sl_free(&l);
	sb_free(&b);
}

static void test_links(struct kernel *k)
{
	check_read(k, "/sys/devices/system/node/node1/memory32/phys_index", "00000020\n");
	check_read(k, "/sys/bus/memory/devices/memory32/phys_index", "00000020\n");
	check_read(k, "/sys/devices/system/memory/memory32/node1/memory8/phys_index", "00000008\n");
	check_read(k, "/sys/devices/system/memory/memory8/subsystem/devices/memory1/phys_index", "00000001\n");
	check_read(k, "//sys/./devices/system/memory/../memory/memory1/online", "1\n");
	check_read(k, "/sys/devices/system/node/node1/cpu1/node1/distance", "20 10\n");
	check_list(k, "/sys/bus/memory/devices/", "memory0 memory1 memory32 memory8");
	check_list(k, "/sys/devices/system/memory/memory8/node1/hugepages",
		   "hugepages-1048576kB hugepages-2048kB");
}

static void test_sysfs_node(struct kernel *k)
{
	check_list(k, "/sys/devices/system/node",
		   "has_cpu has_generic_initiator has_memory has_normal_memory node0 node1 online possible power uevent");
	check_list(k, "/sys/devices/system/node/node1",
		   "compact cpu1 cpulist cpumap distance hugepages meminfo memory32 memory8 numastat power "
		   "subsystem uevent vmstat x86");
	check_read(k, "/sys/devices/system/node/possible", "0-1\n");
	check_read(k, "/sys/devices/system/node/has_generic_initiator", "\n");
	check_read(k, "/sys/devices/system/node/node0/distance", "10 20\n");
	check_read(k, "/sys/devices/system/node/node1/cpulist", "1\n");
	check_read(k, "/sys/devices/system/node/node1/cpumap", "2\n");
	check_read(k, "/sys/devices/system/node/node0/numastat",
		   "numa_hit 0\nnuma_miss 0\nnuma_foreign 0\ninterleave_hit 0\nlocal_node 0\nother_node 0\n");
	int err;
	char *v = read_file(k, "/sys/devices/system/node/node0/vmstat", &err);
	check(err == 0 && strncmp(v, "nr_free_pages 238532\n", 21) == 0 && strstr(v, "\nnuma_hit 0\n") &&
	      strstr(v, "\nnr_file_pages 1326\n") && strstr(v, "\npgpromote_candidate 0\n"),
	      "node0/vmstat: zone, numa and node items");
	free(v);
	v = read_file(k, "/sys/devices/system/node/node1/meminfo", &err);
	check(err == 0 && strncmp(v, "Node 1 MemTotal:         944836 kB\n", 35) == 0, "node1/meminfo through the router");
	free(v);
	struct sbuf b = SBUF_INIT;
	check_err(vfs_read(k, "/sys/devices/system/node/node2/meminfo", &b), -ENOENT, "offline node: ENOENT");
	check_err(vfs_read(k, "/sys/devices/system/node/node0/compact", &b), -EACCES, "compact is write-only");
	check_err(vfs_write(k, "/sys/devices/system/node/node0/compact", "1\n", 2), 0, "compact takes a write");
	check_err(vfs_read(k, "/sys/devices/system/node/node0/memory8", &b), -ENOENT, "node0 has no memory8");
	sb_free(&b);
}

static void test_misc(struct kernel *k)
{
	struct sbuf b = SBUF_INIT;
	struct vfs_stat st;
	check_list(k, "/sys/firmware/memmap", "0 1");
	check_list(k, "/sys/firmware/memmap/1", "end start type");
	check_read(k, "/sys/firmware/memmap/1/start", "0x100000000\n");
	check_read(k, "/sys/firmware/memmap/1/end", "0x11fffffff\n");
	check_read(k, "/sys/firmware/memmap/0/type", "System RAM\n");
	check_err(vfs_read(k, "/sys/firmware/memmap/2/type", &b), -ENOENT, "missing firmware memmap entry");
	check_err(vfs_read(k, "/sys/firmware/memmap/01/type", &b), -ENOENT, "memmap 01 is not 1");

	check_list(k, "/sys/module/memory_hotplug", "parameters uevent");
	check(vfs_stat(k, "/sys/module/memory_hotplug/parameters/memmap_on_memory", &st) == 0 && st.mode == 0444,
	      "memmap_on_memory: 0444");
	check(vfs_stat(k, "/sys/module/memory_hotplug/parameters/online_policy", &st) == 0 && st.mode == 0644,
	      "online_policy: 0644");
	check_err(vfs_write(k, "/sys/module/memory_hotplug/parameters/memmap_on_memory", "Y\n", 2), -EACCES,
		  "memmap_on_memory is read-only");
	check_err(vfs_read(k, "/sys/module/memory_hotplug/parameters/nosuch", &b), -ENOENT, "unknown parameter");

	check_err(vfs_list(k, "/sys/kernel/debug/notifier-error-inject/memory/actions", &(struct strlist){ 0 }),
		  -ENOENT, "notifier-error-inject absent until loaded");
	k->notifier_inject_loaded = true;
	check_list(k, "/sys/kernel/debug/notifier-error-inject/memory", "actions");
	check(vfs_stat(k, "/sys/kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_ONLINE/error", &st) == 0 &&
	      st.mode == 0600, "actions/MEM_GOING_ONLINE/error: 0600");
	check_err(vfs_stat(k, "/sys/kernel/debug/notifier-error-inject/memory/actions/MEM_ONLINE/error", &st),
		  -ENOENT, "unknown action");
	k->notifier_inject_loaded = false;

	check_list(k, "/proc", "buddyinfo iomem meminfo zoneinfo");
	check_list(k, "/", "proc sys");
	sb_free(&b);
}

int main(void)
{
	struct kernel *k = fake_kernel();
	test_iomem(k);
	test_zoneinfo(k);
	test_buddyinfo(k);
	test_meminfo(k);
	test_bitmaps();
	test_sysfs_memory(k);
	test_errors(k);
	test_links(k);
	test_sysfs_node(k);
	test_misc(k);
	fake_kernel_free(k);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
