// SPDX-License-Identifier: MIT
/* Unit tests: the iomem resource tree and /sys/firmware/memmap entries. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel.h"
#include "kernel/resource.h"
#include "base/firmware_memmap.h"
#include "lib/sbuf.h"

#include "check.h"

/* /proc/iomem format, so expectations read like the real file */
static void dump(const struct resource *r, int depth, struct sbuf *out)
{
	for (; r; r = r->sibling) {
		sb_printf(out, "%*s%08llx-%08llx : %s\n", 2 * depth, "",
			  (unsigned long long)r->start, (unsigned long long)r->end,
			  r->name ? r->name : "<BAD>");
		dump(r->child, depth + 1, out);
	}
}

static int tree_is(struct resource *root, const char *expect)
{
	struct sbuf b = SBUF_INIT;
	int ok;

	dump(root->child, 0, &b);
	ok = !strcmp(sb_str(&b) ? sb_str(&b) : "", expect);
	if (!ok)
		printf("# got:\n%s# expected:\n%s", sb_str(&b) ? sb_str(&b) : "", expect);
	sb_free(&b);
	return ok;
}

/* every child inside its parent, siblings sorted and disjoint, parent links right */
static int tree_sane(const struct resource *parent)
{
	const struct resource *r, *prev = NULL;

	for (r = parent->child; r; prev = r, r = r->sibling) {
		if (r->parent != parent || r->start < parent->start || r->end > parent->end)
			return 0;
		if (prev && prev->end >= r->start)
			return 0;
		if (!tree_sane(r))
			return 0;
	}
	return 1;
}

static struct resource iomem = { 0, UINT64_MAX, "PCI mem", IORESOURCE_MEM, NULL, NULL, NULL };

#define RAM (IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY)

static void test_request_resource(void)
{
	struct resource *a = resource_new(0x2000, 0x2fff, "B", IORESOURCE_MEM);
	struct resource *b = resource_new(0x1000, 0x1fff, "A", IORESOURCE_MEM);
	struct resource *c = resource_new(0x1800, 0x27ff, "C", IORESOURCE_MEM);

	check(!request_resource_conflict(&iomem, a), "request_resource into empty root");
	check(!request_resource_conflict(&iomem, b), "request_resource before a sibling");
	check(request_resource_conflict(&iomem, c) == b, "overlap returns the first conflicting sibling");
	check(tree_is(&iomem, "00001000-00001fff : A\n00002000-00002fff : B\n"),
	      "siblings kept in address order");
	check(!release_resource_free(a) && !release_resource_free(b), "release_resource_free");
	check(release_resource_free(c) == -EINVAL, "releasing an unlinked resource is -EINVAL");
	check(!iomem.child, "tree empty again");
	free(c->name);
	free(c);
}

static void test_request_mem_region(void)
{
	struct resource *r, *resv;

	resv = resource_new(0x100000000ULL, 0x1ffffffffULL, "Reserved", IORESOURCE_MEM);
	insert_resource_nested(&iomem, resv);
	r = request_mem_region(&iomem, 0x0, 0x40000000, "System RAM", RAM);
	check(r && r->parent == &iomem && (r->flags & IORESOURCE_BUSY), "region in a gap");
	r = request_mem_region(&iomem, 0x140000000ULL, 0x8000000, "System RAM (kmem)",
			       RAM | IORESOURCE_SYSRAM_DRIVER_MANAGED);
	check(r && r->parent == resv, "region inside a non-busy parent goes below it");
	check(!request_mem_region(&iomem, 0x144000000ULL, 0x8000000, "System RAM", RAM),
	      "overlap with a busy region fails");
	check(!request_mem_region(&iomem, 0x1f8000000ULL, 0x10000000, "System RAM", RAM),
	      "straddling a non-busy parent's end fails");
	check(!request_mem_region(&iomem, 0x3f000000, 0x2000000, "System RAM", RAM),
	      "straddling a busy region fails");
	check(!request_mem_region(&iomem, 0x200000000ULL, 0, "System RAM", RAM), "size 0 fails");
	r = request_mem_region(&iomem, 0x200000000ULL, 0x8000000, "System RAM", RAM);
	check(r != NULL, "adjacent region right after a parent");
	check(tree_is(&iomem,
		      "00000000-3fffffff : System RAM\n"
		      "100000000-1ffffffff : Reserved\n"
		      "  140000000-147ffffff : System RAM (kmem)\n"
		      "200000000-207ffffff : System RAM\n"),
	      "/proc/iomem layout after requests");
	check(system_ram_bytes_in(&iomem, 0, UINT64_MAX) == 0x40000000ULL + 0x10000000ULL,
	      "system_ram_bytes_in counts busy System RAM, nested included");
	check(system_ram_bytes_in(&iomem, 0x3ff00000, 0x140000fffULL) == 0x100000 + 0x1000,
	      "system_ram_bytes_in clips to the range");
	check(system_ram_bytes_in(&iomem, 0x40000000, 0x13fffffffULL) == 0, "no RAM in a hole");
	check(tree_sane(&iomem), "tree invariants hold");
	resource_free_tree(&iomem);
	check(!iomem.child, "resource_free_tree empties the root");
}

static void test_release_adjustable(void)
{
	const uint64_t G = 0x40000000ULL, M128 = 0x8000000ULL;
	struct resource *r;

	request_mem_region(&iomem, G, G, "System RAM", RAM);
	request_mem_region(&iomem, 4 * G, M128, "System RAM", RAM);

	release_mem_region_adjustable(&iomem, 4 * G, M128);
	check(tree_is(&iomem, "40000000-7fffffff : System RAM\n"), "exact match deletes");

	release_mem_region_adjustable(&iomem, G, M128);
	check(tree_is(&iomem, "48000000-7fffffff : System RAM\n"), "same start trims the start");

	release_mem_region_adjustable(&iomem, 2 * G - M128, M128);
	check(tree_is(&iomem, "48000000-77ffffff : System RAM\n"), "same end trims the end");

	release_mem_region_adjustable(&iomem, G + 2 * M128, M128);
	check(tree_is(&iomem, "48000000-4fffffff : System RAM\n"
			      "58000000-77ffffff : System RAM\n"), "strictly inside splits");
	r = iomem.child->sibling;
	check(r && r->parent == &iomem && r->flags == iomem.child->flags &&
	      !strcmp(r->name, "System RAM") && r->name != iomem.child->name,
	      "split part keeps flags and owns a copy of the name");

	release_mem_region_adjustable(&iomem, 0x10000000, M128);
	check(tree_is(&iomem, "48000000-4fffffff : System RAM\n"
			      "58000000-77ffffff : System RAM\n"), "no containing resource: no change");

	release_mem_region_adjustable(&iomem, G + M128 - 0x1000, 0x2000);
	check(tree_is(&iomem, "48000000-4fffffff : System RAM\n"
			      "58000000-77ffffff : System RAM\n"), "range crossing an end: no change");
	resource_free_tree(&iomem);

	/* resources not added by hotplug (no SYSRAM) are left to their owners */
	request_mem_region(&iomem, G, G, "dax0.0", IORESOURCE_MEM);
	release_mem_region_adjustable(&iomem, G, G);
	check(tree_is(&iomem, "40000000-7fffffff : dax0.0\n"), "non-SYSRAM resource is not released");
	resource_free_tree(&iomem);

	/* a non-busy System RAM parent is descended into */
	r = resource_new(G, 2 * G - 1, "System RAM", IORESOURCE_SYSTEM_RAM);
	request_resource_conflict(&iomem, r);
	request_mem_region(&iomem, G, M128, "System RAM (virtio_mem)", RAM);
	release_mem_region_adjustable(&iomem, G, M128);
	check(tree_is(&iomem, "40000000-7fffffff : System RAM\n"), "busy child under a SYSRAM parent released");
	resource_free_tree(&iomem);
}

static void test_insert_nested(void)
{
	struct resource *pci = resource_new(0xc0000000, 0xfebfffff, "PCI Bus 0000:00", IORESOURCE_MEM);
	struct resource *bar = resource_new(0xfd000000, 0xfdffffff, "0000:00:02.0", IORESOURCE_MEM);
	struct resource *mmcfg = resource_new(0xb0000000, 0xbfffffff, "PCI MMCONFIG 0000 [bus 00-ff]", IORESOURCE_MEM);
	struct resource *resv = resource_new(0xb0000000, 0xbfffffff, "Reserved", IORESOURCE_MEM | IORESOURCE_BUSY);
	struct resource *rom = resource_new(0xf0000, 0xfffff, "System ROM", IORESOURCE_MEM | IORESOURCE_BUSY);
	struct resource *lowresv = resource_new(0xf0000, 0xfffff, "Reserved", IORESOURCE_MEM | IORESOURCE_BUSY);
	struct resource *ram1 = resource_new(0x1000, 0x9fbff, "System RAM", RAM);
	struct resource *ram2 = resource_new(0x100000, 0x3ffdffff, "System RAM", RAM);
	struct resource *kcode = resource_new(0x1000000, 0x1ffffff, "Kernel code", IORESOURCE_MEM | IORESOURCE_BUSY);
	struct resource *window = resource_new(0x0, 0xfffffffffULL, "window", IORESOURCE_MEM);
	struct resource *bad = resource_new(0x3ff00000, 0x4fffffff, "bad", IORESOURCE_MEM);

	check(!insert_resource_nested(&iomem, bar), "insert a lone resource");
	check(!insert_resource_nested(&iomem, pci), "insert a resource covering a sibling");
	check(bar->parent == pci, "covered sibling becomes a child");
	check(!insert_resource_nested(&iomem, mmcfg) && !insert_resource_nested(&iomem, resv),
	      "insert equal ranges");
	check(resv->parent == mmcfg, "equal range: the later one nests inside");
	check(!insert_resource_nested(&iomem, ram2) && !insert_resource_nested(&iomem, ram1),
	      "insert RAM");
	check(!insert_resource_nested(&iomem, lowresv) && !insert_resource_nested(&iomem, rom),
	      "insert ROM under Reserved");
	check(!insert_resource_nested(&iomem, kcode) && kcode->parent == ram2,
	      "a range inside an existing one goes deeper");
	check(insert_resource_nested(&iomem, bad) == ram2, "partial overlap returns the conflict");
	free(bad->name);
	free(bad);
	check(tree_is(&iomem,
		      "00001000-0009fbff : System RAM\n"
		      "000f0000-000fffff : Reserved\n"
		      "  000f0000-000fffff : System ROM\n"
		      "00100000-3ffdffff : System RAM\n"
		      "  01000000-01ffffff : Kernel code\n"
		      "b0000000-bfffffff : PCI MMCONFIG 0000 [bus 00-ff]\n"
		      "  b0000000-bfffffff : Reserved\n"
		      "c0000000-febfffff : PCI Bus 0000:00\n"
		      "  fd000000-fdffffff : 0000:00:02.0\n"),
	      "boot /proc/iomem shape");
	check(!insert_resource_nested(&iomem, window), "a window covering everything");
	check(iomem.child == window && !window->sibling && window->child->start == 0x1000,
	      "all top-level resources moved under the window");
	check(tree_sane(&iomem), "tree invariants hold after insertions");
	resource_free_tree(&iomem);
}

static void test_firmware_memmap(void)
{
	struct kernel *k = calloc(1, sizeof(*k));
	struct firmware_map_entry *e;

	firmware_map_add_early(k, 0, 0x9fc00, "System RAM");
	firmware_map_add_early(k, 0x9fc00, 0xa0000, "Reserved");
	firmware_map_add_early(k, 0x100000, 0x40000000, "System RAM");
	check(!firmware_map_find(k, 0), "early entries have no directory before the initcall");
	/* a DIMM present at power-on, added by the ACPI scan before the late initcall */
	check(!firmware_map_add_hotplug(k, 0x100000000ULL, 0x108000000ULL, "System RAM"),
	      "boot-time hot-add entry added");
	e = firmware_map_find(k, 0);
	check(e && e->start == 0x100000000ULL, "a boot-time hot-add takes number 0");
	firmware_memmap_init(k);
	e = firmware_map_find(k, 2);
	check(e && e->start == 0x9fc00 && e->end == 0x9ffff && !strcmp(e->type, "Reserved"),
	      "early entries numbered in order after it, end stored inclusive");
	check(!firmware_map_remove(k, 0x100000000ULL, 0x108000000ULL, "System RAM") &&
	      !firmware_map_find(k, 0), "boot-time entry removed");
	check(!firmware_map_add_hotplug(k, 0x140000000ULL, 0x148000000ULL, "System RAM"),
	      "hotplug entry added");
	e = firmware_map_find(k, 4);
	check(e && e->end == 0x147ffffffULL, "hotplug entry gets the next number");
	check(!firmware_map_add_hotplug(k, 0x140000000ULL, 0x148000000ULL, "System RAM") &&
	      !firmware_map_find(k, 5), "identical hotplug entry not duplicated");
	check(firmware_map_remove(k, 0x140000000ULL, 0x150000000ULL, "System RAM") == -EINVAL,
	      "remove needs an exact match");
	check(!firmware_map_remove(k, 0x140000000ULL, 0x148000000ULL, "System RAM") &&
	      !firmware_map_find(k, 4), "remove deletes the entry");
	firmware_map_add_hotplug(k, 0x140000000ULL, 0x148000000ULL, "System RAM");
	check(firmware_map_find(k, 5) && !firmware_map_find(k, 4), "numbers are never reused");
	check(firmware_map_add_early(k, 5, 5, "x") == -EINVAL, "empty range rejected");
	firmware_map_free_all(k);
	check(!k->fw_memmap && !firmware_map_find(k, 0), "free_all empties the list");
	free(k);
}

int main(void)
{
	test_request_resource();
	test_request_mem_region();
	test_release_adjustable();
	test_insert_nested();
	test_firmware_memmap();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
