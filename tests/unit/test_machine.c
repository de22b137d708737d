// SPDX-License-Identifier: MIT
/*
 * The QEMU-like machine: option parsing and its error messages, the pc
 * memory layout, what the firmware hands the guest, DIMM placement, the
 * /objects hash order, and the monitor's exact output. Expected strings
 * come from QEMU 7.2.22 (Debian 12) and GLib 2.74.6 run on the same inputs.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "machine/machine.h"
#include "machine/machine_internal.h"

#include "check.h"

static void check_str(const char *got, const char *want, const char *name)
{
	int ok = got && !strcmp(got, want);

	check(ok, name);
	if (!ok)
		printf("#   want: \"%s\"\n#   got:  \"%s\"\n", want, got ? got : "(null)");
}

/* ---- helpers ---- */

/* split on spaces; "-append" takes the rest in double quotes */
static int split_args(const char *line, char **argv, int max)
{
	static char buf[4096];
	char *p = buf;
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	while (*p && n < max) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (*p == '"') {
			argv[n++] = ++p;
			while (*p && *p != '"')
				p++;
		} else {
			argv[n++] = p;
			while (*p && *p != ' ')
				p++;
		}
		if (*p)
			*p++ = 0;
	}
	return n;
}

static struct machine *boot(const char *line, struct sbuf *err)
{
	char *argv[64];
	int argc = split_args(line, argv, 64);

	return machine_new(argc, argv, err);
}

static char *hmp(struct machine *m, const char *cmd)
{
	struct sbuf out = SBUF_INIT;

	hmp_command(m, cmd, &out);
	return sb_detach(&out);
}

static void check_hmp(struct machine *m, const char *cmd, const char *want)
{
	char *got = hmp(m, cmd);
	char name[256];

	snprintf(name, sizeof(name), "hmp: %s", cmd);
	check_str(got, want, name);
	free(got);
}

/* ---- /objects order ---- */

struct order_buf {
	char s[1024];
};

static void append_key(const char *key, void *value, void *opaque)
{
	struct order_buf *b = opaque;

	if (b->s[0])
		strcat(b->s, " ");
	strcat(b->s, key);
}

static void test_qom_order(void)
{
	/* operation sequences and the order GLib 2.74.6 iterates them in */
	static const char *const cases[][2] = {
		{ "+pc.ram +m1 +odd +m2", "pc.ram m2 odd m1" },
		{ "+mem0 +mem1 +mem2 +mem3 +mem4 +mem5 +mem6 +mem7 +mem8 +mem9 +mem10 +mem11 +mem12 "
		  "+mem13 +mem14 +mem15 -mem3 -mem4 -mem9 +x +y",
		  "mem2 mem5 mem8 mem11 mem0 mem14 x mem6 mem12 mem1 mem15 y mem7 mem10 mem13" },
		{ "+r0 +r1 +r2 +r3 +r4 +r5 +r6 +r7 +r8 +r9 -r0 -r1 -r2 -r3 -r4 -r5 -r6 -r7 "
		  "+BiscuitOS-mem", "r8 r9 BiscuitOS-mem" },
		{ "+pc.ram +m1 -m1 +m1 +m2 -m2 +m3 +m4 -m3 +m5 +m6 +m7 -m4 +m8",
		  "pc.ram m5 m7 m6 m1 m8" },
	};

	check(qom_str_hash("") == 5381, "g_str_hash(\"\") is 5381");
	check(qom_str_hash("a") == 5381u * 33 + 'a', "g_str_hash is djb2");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct qom_table *t = qom_table_new();
		char ops[512], *save = NULL, name[64];
		struct order_buf b = { "" };

		snprintf(ops, sizeof(ops), "%s", cases[i][0]);
		for (char *op = strtok_r(ops, " ", &save); op; op = strtok_r(NULL, " ", &save)) {
			if (op[0] == '+')
				qom_table_insert(t, op + 1, op);
			else
				qom_table_remove(t, op + 1);
		}
		qom_table_foreach(t, append_key, &b);
		snprintf(name, sizeof(name), "GHashTable order, sequence %zu", i + 1);
		check_str(b.s, cases[i][1], name);
		qom_table_free(t);
	}
	{
		struct qom_table *t = qom_table_new();

		check(qom_table_insert(t, "a", (void *)1) == 0, "insert a new key");
		check(qom_table_insert(t, "a", (void *)2) < 0, "a duplicate key is refused");
		check(qom_table_lookup(t, "a") == (void *)1, "lookup finds the first value");
		check(qom_table_remove(t, "b") < 0, "removing a missing key fails");
		check(qom_table_remove(t, "a") == 0 && !qom_table_lookup(t, "a"), "remove");
		qom_table_free(t);
	}
}

/* ---- command-line errors ---- */

static void test_cmdline_errors(void)
{
	static const char *const cases[][2] = {
		{ "-m 1G,slots=2", "slots specified but no max-size" },
		{ "-m 2G,slots=2,maxmem=1G", "invalid value of maxmem: maximum memory size (0x40000000) "
		  "must be at least the initial memory size (0x80000000)" },
		{ "-m 1G,slots=2,maxmem=1G", "invalid value of maxmem: memory slots were specified but "
		  "maximum memory size (0x40000000) is equal to the initial memory size (0x40000000)" },
		{ "-m 1G,slots=300,maxmem=8G", "unsupported amount of memory slots: 300" },
		{ "-m foo", "-m foo: Parameter 'size' expects a non-negative number below 2^64" },
		{ "-m 1G,slots=2,maxmem=4G,foo=1", "-m 1G,slots=2,maxmem=4G,foo=1: Invalid parameter 'foo'" },
		{ "-m 1G,slots=4,maxmem=1009G", "Address space limit 0xffffffffff < 0x1fd7fffffff "
		  "phys-bits too low (40)" },
		{ "-m 1G -smp 300", "Invalid SMP CPUs 300. The max CPUs supported by machine "
		  "'pc-i440fx-7.2' is 255" },
		{ "-m 1G -smp foo", "Parameter 'smp.cpus' expects integer" },
		{ "-m 1G,slots=2,maxmem=4G -object memory-backend-ram,id=r0,size=512M "
		  "-numa node,nodeid=0,memdev=r0",
		  "total memory for NUMA nodes (0x20000000) should equal RAM size (0x40000000)" },
		{ "-m 2G -object memory-backend-ram,id=r0,size=1G -numa node,nodeid=0,memdev=r0 "
		  "-numa node,nodeid=1,memdev=r0", "memory backend r0 can't be used multiple times." },
		{ "-m 2G -object memory-backend-ram,id=r0,size=1G -numa node,nodeid=0,memdev=r0 "
		  "-numa node,nodeid=0,memdev=r0", "-numa node,nodeid=0,memdev=r0: Duplicate NUMA nodeid: 0" },
		{ "-m 2G -object memory-backend-ram,id=r0,size=2G -numa node,nodeid=1,memdev=r0",
		  "numa: Node ID missing: 0" },
		{ "-m 1G -numa node,nodeid=0,memdev=nosuch",
		  "-numa node,nodeid=0,memdev=nosuch: memdev=nosuch is ambiguous" },
		{ "-m 1G,slots=2,maxmem=4G -numa node,nodeid=0,cpus=0-3 -smp 2",
		  "-numa node,nodeid=0,cpus=0-3: CPU index (2) should be smaller than maxcpus (2)" },
		{ "-m 2G -numa node,nodeid=0,mem=1G", "-numa node,nodeid=0,mem=1G: Parameter -numa node,mem "
		  "is not supported by this machine type\nUse -numa node,memdev instead" },
		{ "-m 2G -object memory-backend-ram,id=r0,size=2G -numa node,nodeid=128,memdev=r0",
		  "-numa node,nodeid=128,memdev=r0: Max number of NUMA nodes reached: 128" },
		{ "-m 1G,slots=2,maxmem=4G -numa node -numa node",
		  "total memory for NUMA nodes (0x0) should equal RAM size (0x40000000)" },
		{ "-object memory-backend-ram,id=r0,size=1G -object memory-backend-ram,id=r0,size=1G",
		  "-object memory-backend-ram,id=r0,size=1G: Duplicate ID 'r0' for object" },
		{ "-object memory-backend-ram,id=r0", "-object memory-backend-ram,id=r0: Parameter 'size' is missing" },
		{ "-object memory-backend-ram,size=1G", "-object memory-backend-ram,size=1G: Parameter 'id' is missing" },
		{ "-object memory-backend-ram,id=r0,size=0",
		  "property 'size' of memory-backend-ram doesn't take value '0'" },
		{ "-object memory-backend-ram,id=r0,size=1G,reserve=maybe",
		  "-object memory-backend-ram,id=r0,size=1G,reserve=maybe: Parameter 'reserve' expects 'on' or 'off'" },
		{ "-bogus", "-bogus: invalid option" },
		{ "-m", "-m: requires an argument" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sbuf err = SBUF_INIT;
		struct machine *m = boot(cases[i][0], &err);
		char name[300];

		snprintf(name, sizeof(name), "qemu %s: refused", cases[i][0]);
		check(m == NULL, name);
		snprintf(name, sizeof(name), "qemu %s: QEMU's message", cases[i][0]);
		check_str(sb_str(&err), cases[i][1], name);
		machine_free(m);
		sb_free(&err);
	}
	{
		char *argv[] = { "qemu", "-M", "pc", "-nographic", "-m", "size=512M,slots=1,maxmem=1G",
				 "-smp", "cpus=2", "-append", "memhp_default_state=offline" };
		struct sbuf err = SBUF_INIT;
		struct machine *m = machine_new(10, argv, &err);

		check(m != NULL, "program name, -M pc, -nographic, -m size=, -smp cpus= are accepted");
		if (m) {
			check(m->cfg.ram_size == 512 * MiB && m->cfg.maxram_size == GiB && m->cfg.ram_slots == 1 &&
			      m->cfg.smp == 2, "-m size=512M,slots=1,maxmem=1G and -smp cpus=2 parsed");
			check_str(m->bp.cmdline, "memhp_default_state=offline", "-append becomes the kernel command line");
		} else {
			printf("#   %s\n", sb_str(&err));
		}
		machine_free(m);
		sb_free(&err);
	}
}

/* ---- layout ---- */

static void layout_of(const char *what, uint64_t ram, uint64_t maxram, unsigned int slots,
		      uint64_t below, uint64_t above, uint64_t dbase, uint64_t dsize, uint64_t hole64)
{
	struct machine_config cfg = { .ram_size = ram, .maxram_size = maxram, .ram_slots = slots, .smp = 1 };
	struct mem_layout lay;
	struct sbuf err = SBUF_INIT;
	int ret = machine_compute_layout(&cfg, &lay, &err);
	char name[200];

	snprintf(name, sizeof(name), "layout %s", what);
	check(ret == 0 && lay.below_4g == below && lay.above_4g == above && lay.devmem_base == dbase &&
	      lay.devmem_size == dsize && lay.hole64_start == hole64 && lay.hole64_size == 2 * GiB, name);
	if (ret)
		printf("#   %s\n", sb_str(&err));
	else
		printf("#   below %" PRIx64 " above %" PRIx64 " devmem %" PRIx64 "+%" PRIx64 " hole64 %" PRIx64 "\n",
		       lay.below_4g, lay.above_4g, lay.devmem_base, lay.devmem_size, lay.hole64_start);
	sb_free(&err);
}

static void test_layout(void)
{
	/* the 64-bit PCI windows of core/biscuitos.txt and core/numa-boot.txt */
	layout_of("1G,slots=32,maxmem=8G", GiB, 8 * GiB, 32, GiB, 0, 4 * GiB, 39 * GiB, 0xac0000000ULL);
	layout_of("2G,slots=4,maxmem=16G", 2 * GiB, 16 * GiB, 4, 2 * GiB, 0, 4 * GiB, 18 * GiB, 0x580000000ULL);
	/* 3.5 GiB and more: gigabyte-aligned split, DIMMs from 5 GiB (checked on QEMU) */
	layout_of("4G,slots=2,maxmem=8G", 4 * GiB, 8 * GiB, 2, 3 * GiB, GiB, 5 * GiB, 6 * GiB, 11 * GiB);
	layout_of("3584M", 3584 * MiB, 3584 * MiB, 0, 3 * GiB, 512 * MiB, 0, 0, 5 * GiB);
	layout_of("3583M", 3583 * MiB, 3583 * MiB, 0, 3583 * MiB, 0, 0, 0, 4 * GiB);
	layout_of("1G,maxmem=8G (no slots)", GiB, 8 * GiB, 0, GiB, 0, 4 * GiB, 7 * GiB, 11 * GiB);
	layout_of("64G,slots=4,maxmem=128G", 64 * GiB, 128 * GiB, 4, 3 * GiB, 61 * GiB, 65 * GiB, 68 * GiB,
		  133 * GiB);
}

/* ---- what the guest is told ---- */

static void test_boot_params(void)
{
	struct sbuf err = SBUF_INIT;
	struct machine *m = boot("qemu -m 2G,slots=4,maxmem=16G -smp 3 -object memory-backend-ram,id=r0,size=1G "
				 "-object memory-backend-ram,id=r1,size=1G -numa node,nodeid=0,cpus=0,memdev=r0 "
				 "-numa node,nodeid=1,cpus=1,memdev=r1", &err);
	static const struct e820_entry e820_2g[] = {
		{ 0, 0x9fc00, E820_TYPE_RAM },
		{ 0x9fc00, 0x400, E820_TYPE_RESERVED },
		{ 0xf0000, 0x10000, E820_TYPE_RESERVED },
		{ 0x100000, 0x7fee0000, E820_TYPE_RAM },
		{ 0x7ffe0000, 0x20000, E820_TYPE_RESERVED },
		{ 0xfffc0000, 0x40000, E820_TYPE_RESERVED },
		{ 0xfd00000000ULL, 0x300000000ULL, E820_TYPE_RESERVED },
	};
	static const struct numa_memblk srat[] = {
		{ 0, 0xa0000, 0, false },
		{ 0x100000, 0x40000000, 0, false },
		{ 0x40000000, 0x80000000, 1, false },
		{ 0x100000000ULL, 0x580000000ULL, 1, true },
	};
	bool same;

	check(m != NULL, "two-node machine boots");
	if (!m) {
		printf("#   %s\n", sb_str(&err));
		sb_free(&err);
		return;
	}
	same = m->bp.nr_e820 == 7;
	for (int i = 0; same && i < 7; i++)
		same = m->bp.e820[i].addr == e820_2g[i].addr && m->bp.e820[i].size == e820_2g[i].size &&
		       m->bp.e820[i].type == e820_2g[i].type;
	check(same, "e820 of a 2 GiB guest: SeaBIOS's map with the AMD HT hole");
	same = m->bp.nr_memblk == 4;
	for (int i = 0; same && i < 4; i++)
		same = m->bp.memblk[i].start == srat[i].start && m->bp.memblk[i].end == srat[i].end &&
		       m->bp.memblk[i].nid == srat[i].nid && m->bp.memblk[i].hotpluggable == srat[i].hotpluggable;
	check(same, "SRAT: nodes in order from 1 MiB, device memory hotpluggable on the last node");
	check(m->bp.nr_nodes == 2 && m->bp.nr_cpus == 3 && m->bp.cpu_to_node[0] == 0 &&
	      m->bp.cpu_to_node[1] == 1 && m->bp.cpu_to_node[2] == 0, "CPUs: -numa cpus=, the rest on node 0");
	check(m->bp.nr_fw_res == 9 && m->bp.fw_res[3].start == 0x80000000 && m->bp.fw_res[3].end == 0xfebfffff &&
	      !strcmp(m->bp.fw_res[3].name, "PCI Bus 0000:00") && m->bp.fw_res[2].depth == 1 &&
	      !strcmp(m->bp.fw_res[2].name, "System ROM") && m->bp.fw_res[8].start == 0x580000000ULL &&
	      m->bp.fw_res[8].end == 0x5ffffffffULL, "chipset resources: 32-bit hole from low RAM's end, hole64");

	/* host memory: node 0's memdev then node 1's */
	{
		struct backend *r0 = qom_table_lookup(m->objects, "r0"), *r1 = qom_table_lookup(m->objects, "r1");
		void *(*hp)(void *, uint64_t, uint64_t) = m->bp.host_ptr;
		void *o = m->bp.host_opaque;

		check(r0 && r1 && hp(o, 0x1000, 4096) == (char *)r0->host + 0x1000 &&
		      hp(o, 0x40001000, 4096) == (char *)r1->host + 0x1000, "host_ptr: boot RAM in node order");
		check(hp(o, 0x3ffff000, 0x2000) == NULL, "host_ptr: a range across two backends is refused");
		check(hp(o, 0x80000000, 4096) == NULL && hp(o, 0x100000000ULL, 4096) == NULL,
		      "host_ptr: holes and empty device memory are unmapped");
		free(hmp(m, "object_add memory-backend-ram,id=m1,size=512M"));
		free(hmp(m, "device_add pc-dimm,id=d1,memdev=m1,node=1"));
		{
			struct backend *m1 = qom_table_lookup(m->objects, "m1");

			check(m1 && hp(o, 0x100000000ULL + 0x2000, 4096) == (char *)m1->host + 0x2000,
			      "host_ptr: a plugged DIMM's range reaches its backend");
		}
		check_hmp(m, "info numa", "2 nodes\nnode 0 cpus: 0 2\nnode 0 size: 1024 MB\nnode 0 plugged: 0 MB\n"
			  "node 1 cpus: 1\nnode 1 size: 1536 MB\nnode 1 plugged: 512 MB\n");
	}
	machine_free(m);

	/* a 4 GiB guest: RAM above 4 GiB continues pc.ram at 3 GiB */
	m = boot("qemu -m 4G -smp 1", &err);
	check(m != NULL, "4 GiB guest boots");
	if (m) {
		struct backend *ram = qom_table_lookup(m->objects, "pc.ram");

		check(ram && m->bp.host_ptr(m->bp.host_opaque, 0x100000000ULL, 4096) == (char *)ram->host + 3 * GiB,
		      "host_ptr: 4 GiB maps to pc.ram + 3 GiB");
		check(m->bp.nr_nodes == 0 && m->bp.nr_memblk == 0, "no maxmem, no -numa: no SRAT");
		check(m->bp.nr_e820 == 8 && m->bp.e820[6].addr == 4 * GiB && m->bp.e820[6].size == GiB,
		      "e820: RAM above 4 GiB");
		check_hmp(m, "info numa", "0 nodes\n");
	}
	machine_free(m);
	sb_free(&err);
}

/* ---- the monitor ---- */

static const char *last_event;
static char last_event_data[512];
static int nr_deleted, nr_ost;

static void on_event(void *opaque, const char *event, const char *data)
{
	last_event = event;
	snprintf(last_event_data, sizeof(last_event_data), "%s", data);
	if (!strcmp(event, "DEVICE_DELETED"))
		nr_deleted++;
	else
		nr_ost++;
}

#define MEMDEV(id, size) "memory backend: " id "\n  size:  " size "\n  merge: true\n  dump: true\n" \
	"  prealloc: false\n  share: false\n  reserve: true\n  policy: default\n  host nodes: \n"

static void test_hmp_errors(void)
{
	struct sbuf err = SBUF_INIT;
	struct machine *m = boot("qemu -m 1G,slots=2,maxmem=4G -smp 2", &err);

	check(m != NULL, "qemu-errors machine boots");
	if (!m) {
		sb_free(&err);
		return;
	}
	/* core/qemu-errors.txt */
	check_hmp(m, "object_add memory-backend-ram,id=m1,size=1G", "");
	check_hmp(m, "object_add memory-backend-ram,id=m1,size=1G",
		  "Error: attempt to add duplicate property 'm1' to object (type 'container')\n");
	check_hmp(m, "object_add memory-backend-ram,id=odd,size=3M", "");
	check_hmp(m, "device_add pc-dimm,id=d0,memdev=odd", "Error: backend memory size must be multiple of 0x200000\n");
	check_hmp(m, "device_add pc-dimm,id=d1,memdev=nosuch", "Error: Device 'nosuch' not found\n");
	check_hmp(m, "device_add pc-dimm,id=d1,memdev=m1", "");
	check_hmp(m, "device_add pc-dimm,id=d2,memdev=m1", "Error: can't use already busy memdev: m1\n");
	check_hmp(m, "object_add memory-backend-ram,id=m2,size=4G", "");
	check_hmp(m, "device_add pc-dimm,id=d2,memdev=m2",
		  "Error: not enough space, currently 0x40000000 in use of total space for memory devices 0xc0000000\n");
	check_hmp(m, "object_del m1", "Error: object 'm1' is in use, can not be deleted\n");
	check_hmp(m, "device_del nosuch", "Error: Device 'nosuch' not found\n");
	check_hmp(m, "info memdev", MEMDEV("m1", "1073741824") MEMDEV("odd", "3145728")
		  MEMDEV("m2", "4294967296") MEMDEV("pc.ram", "1073741824") "\n");
	check_hmp(m, "info memory-devices", "Memory device [dimm]: \"d1\"\n  addr: 0x100000000\n  slot: 0\n"
		  "  node: 0\n  size: 1073741824\n  memdev: /objects/m1\n  hotplugged: true\n  hotpluggable: true\n");

	/* more of QEMU 7.2's answers, in its order of checks */
	check_hmp(m, "object_add memory-backend-ram,id=m3,size=256M", "");
	check_hmp(m, "device_add pc-dimm,id=d3", "Error: 'memdev' property must be set\n");
	check_hmp(m, "device_add pc-dimm,id=d3,memdev=m3,node=1",
		  "Error: 'DIMM property node has value 1' which exceeds the number of numa nodes: 1\n");
	check_hmp(m, "device_add pc-dimm,id=d3,memdev=m3,node=-1", "Error: Parameter 'node' expects uint32_t\n");
	check_hmp(m, "device_add pc-dimm,id=d3,memdev=m3,slot=5", "Error: invalid slot number 5, valid range is [0-1]\n");
	check_hmp(m, "device_add pc-dimm,id=d3,memdev=m3,slot=0", "Error: slot 0 is busy\n");
	check_hmp(m, "device_add pc-dimm,id=d3,memdev=m3,addr=2", "Error: address must be aligned to 0x200000 bytes\n");
	check_hmp(m, "device_add pc-dimm,id=d3,memdev=m3,addr=0x200000",
		  "Error: can't add memory device [0x200000:0x10000000], usable range for memory devices "
		  "[0x100000000:0x140000000]\n");
	check_hmp(m, "device_add pc-dimm,id=d3,memdev=m3,addr=0x120000000",
		  "Error: address range conflicts with memory device id='d1'\n");
	check_hmp(m, "device_add pc-dimm,id=d1,memdev=m3", "Error: Duplicate device ID 'd1'\n");
	check_hmp(m, "device_add pc-dimm,id=d3,memdev=m3,bogus=1", "Error: Property 'pc-dimm.bogus' not found\n");
	check_hmp(m, "device_add e1000,id=n0", "Error: 'e1000' is not a valid device model name\n");
	check_hmp(m, "device_add", "Error: Parameter 'driver' is missing\n");
	check_hmp(m, "device_add pc-dimm,id=d3,memdev=m3,addr=0x180000000", "");
	check_hmp(m, "object_add memory-backend-ram,id=m4,size=256M", "");
	check_hmp(m, "device_add pc-dimm,id=d4,memdev=m4", "Error: no free slots available\n");
	check_hmp(m, "device_add pc-dimm,id=d4", "Error: no free slots available\n");
	check_hmp(m, "info memory_size_summary", "base memory: 1073741824\nplugged memory: 1342177280\n");
	check_hmp(m, "object_add memory-backend-ram,id=x,size=0",
		  "Error: property 'size' of memory-backend-ram doesn't take value '0'\n");
	check_hmp(m, "object_add memory-backend-ram,id=x,size=1G,bogus=1", "Error: Parameter 'bogus' is unexpected\n");
	check_hmp(m, "object_add memory-backend-ram,id=1x,size=1G", "Error: Parameter 'id' expects an identifier\n"
		  "Identifiers consist of letters, digits, '-', '.', '_', starting with a letter.\n");
	check_hmp(m, "object_add foo,id=x", "Error: Parameter 'qom-type' does not accept value 'foo'\n");
	check_hmp(m, "object_add", "object_add: string expected\nTry \"help object_add\" for more information\n");
	check_hmp(m, "object_del nosuch", "Error: object 'nosuch' not found\n");
	check_hmp(m, "object_del pc.ram", "Error: object 'pc.ram' is in use, can not be deleted\n");
	check_hmp(m, "device_del", "device_del: string expected\nTry \"help device_del\" for more information\n");
	check_hmp(m, "device_del a b", "device_del: extraneous characters at the end of line\n"
		  "Try \"help device_del\" for more information\n");
	check_hmp(m, "info numa x", "numa: extraneous characters at the end of line\n"
		  "Try \"help info numa\" for more information\n");
	check_hmp(m, "xyz abc", "unknown command: 'xyz'\n");
	check_hmp(m, "info foo", "unknown command: 'info foo'\n");
	check_hmp(m, "", "");
	check_hmp(m, "object_del odd", "");
	check_hmp(m, "object_add memory-backend-ram,id=odd,size=2M,share=on,merge=off,reserve=off", "");
	/* odd's tombstone is reused: GLib 2.74 iterates m3 pc.ram m2 m4 odd m1, QEMU reverses it */
	check_hmp(m, "info memdev", MEMDEV("m1", "1073741824") "memory backend: odd\n  size:  2097152\n"
		  "  merge: false\n  dump: true\n  prealloc: false\n  share: true\n  reserve: false\n"
		  "  policy: default\n  host nodes: \n" MEMDEV("m4", "268435456") MEMDEV("m2", "4294967296")
		  MEMDEV("pc.ram", "1073741824") MEMDEV("m3", "268435456") "\n");
	machine_free(m);
	sb_free(&err);
}

static void test_dimm_lifecycle(void)
{
	struct sbuf err = SBUF_INIT;
	struct machine *m = boot("qemu -m 1G,slots=4,maxmem=8G -smp 2 -append \"memhp_default_state=offline\"", &err);
	char *out;

	check(m != NULL, "offline-by-default machine boots");
	if (!m) {
		printf("#   %s\n", sb_str(&err));
		sb_free(&err);
		return;
	}
	machine_set_event_handler(m, on_event, NULL);
	check_hmp(m, "object_add memory-backend-ram,id=a,size=256M", "");
	check_hmp(m, "object_add memory-backend-ram,id=b,size=512M", "");
	check_hmp(m, "object_add memory-backend-ram,id=c,size=128M", "");
	check_hmp(m, "device_add pc-dimm,id=da,memdev=a", "");
	check(last_event && !strcmp(last_event, "ACPI_DEVICE_OST") &&
	      !strcmp(last_event_data, "{\"info\": {\"device\": \"da\", \"slot\": \"0\", \"slot-type\": \"DIMM\", "
		      "\"source\": 1, \"status\": 0}}"), "device_add: the guest's _OST reaches QMP");
	check_hmp(m, "device_add pc-dimm,id=db,memdev=b", "");
	check_hmp(m, "device_del da", "");
	check(nr_deleted == 1 && !strcmp(last_event, "ACPI_DEVICE_OST"), "device_del of offline memory: DEVICE_DELETED");
	check_hmp(m, "object_del a", "");
	/* the freed first 256 MiB: first fit puts a 128 MiB DIMM there, in the lowest slot */
	check_hmp(m, "device_add pc-dimm,id=dc,memdev=c", "");
	out = hmp(m, "info memory-devices");
	check(strstr(out, "\"dc\"\n  addr: 0x100000000\n  slot: 0\n") != NULL &&
	      strstr(out, "\"db\"\n  addr: 0x110000000\n  slot: 1\n") != NULL &&
	      strstr(out, "\"dc\"") < strstr(out, "\"db\""), "first fit reuses the hole; list sorted by address");
	free(out);
	/* whatever the guest answers, the monitor prints nothing and stays consistent */
	{
		int before = nr_deleted;

		check_hmp(m, "device_del db", "");
		out = hmp(m, "info memory-devices");
		check((nr_deleted == before + 1) == (strstr(out, "\"db\"") == NULL),
		      "device_del: the DIMM goes exactly when DEVICE_DELETED is raised");
		free(out);
	}
	machine_free(m);
	sb_free(&err);
}

/* ---- memory: backends are never touched ---- */

static long rss_kib(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size = 0, res = 0;

	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &size, &res) != 2)
		res = -1;
	fclose(f);
	return res * (sysconf(_SC_PAGESIZE) / 1024);
}

static void test_backend_memory(void)
{
	struct backend_opts bo = { .id = "big", .size = 64 * GiB, .merge = true, .dump = true,
				   .reserve = false, .policy = "default" };
	struct sbuf err = SBUF_INIT;
	long before = rss_kib();
	struct backend *be = backend_create(&bo, &err);
	long after = rss_kib();

	check(be != NULL, "a 64 GiB reserve=off backend can be created");
	check(be && after - before < 1024, "creating it does not touch its pages (RSS grows < 1 MiB)");
	backend_destroy(be);
	sb_free(&err);
}

/* ---- garbage never crashes ---- */

static void test_garbage(void)
{
	static const char *const lines[] = {
		"device_add pc-dimm,,,,id=", "device_add ,", "device_add =,=,=", "device_add pc-dimm,id=\"",
		"device_del \"unterminated", "device_del \"\\q\"", "object_add memory-backend-ram,id=z,size=1.5",
		"object_add memory-backend-ram,id=z,size=99999999999999999999G", "object_add ,,,",
		"object_add memory-backend-ram,id=z,size=0x", "object_add =", "info", "i numa", "\t\n",
		"device_add pc-dimm,id=q,memdev=pc.ram,addr=18446744073709551615",
		"device_add pc-dimm,slot=99999999999", "object_add memory-backend-ram,id=huge,size=16E",
	};
	static const char *const argvs[] = {
		"-m", "-m ,,,", "-m 1G,slots=,maxmem=", "-m 16E", "-m 1G,maxmem=16E,slots=1", "-numa",
		"-numa node,cpus=3-1", "-numa ,,,", "-object ,", "-smp -1", "-m 1G,slots=2,maxmem=4G -numa node,nodeid=x",
	};
	struct sbuf err = SBUF_INIT;
	struct machine *m = boot("qemu -m 1G,slots=2,maxmem=4G", &err);
	bool alive = m != NULL;

	for (size_t i = 0; m && i < sizeof(lines) / sizeof(lines[0]); i++)
		free(hmp(m, lines[i]));
	machine_free(m);
	for (size_t i = 0; i < sizeof(argvs) / sizeof(argvs[0]); i++) {
		sb_reset(&err);
		m = boot(argvs[i], &err);
		alive &= m == NULL && err.len > 0;
		machine_free(m);
	}
	check(alive, "malformed monitor lines and options are refused without crashing");
	sb_free(&err);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_qom_order();
	test_cmdline_errors();
	test_layout();
	test_boot_params();
	test_hmp_errors();
	test_dimm_lifecycle();
	test_backend_memory();
	test_garbage();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
