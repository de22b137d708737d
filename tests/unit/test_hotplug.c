// SPDX-License-Identifier: MIT
/*
 * Unit tests of the mm core and the hotplug paths, on a guest booted from a
 * hand-written firmware description (a 1 GiB QEMU pc guest, as SeaBIOS
 * describes it). After every operation the invariants must hold: free pages
 * on the buddy lists equal each zone's free count, managed <= present <=
 * spanned, MemTotal is the sum of managed pages; a refused operation changes
 * nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kernel/kernel.h"
#include "kernel/notifier.h"
#include "mm/internal.h"
#include "mm/memory_hotplug.h"
#include "mm/page_owner.h"
#include "acpi/acpi.h"
#include "base/firmware_memmap.h"

#include "check.h"

#define GUEST_SPAN (16ULL << 30)
static char *guest_ram;

static void *host_ptr(void *opaque, uint64_t paddr, uint64_t len)
{
	return paddr + len <= GUEST_SPAN ? guest_ram + paddr : NULL;
}

static struct kernel *boot_1g(const char *cmdline)
{
	struct boot_params bp;
	memset(&bp, 0, sizeof(bp));
	struct e820_entry e[] = {
		{ 0, 0x9fc00, E820_TYPE_RAM },
		{ 0x9fc00, 0x400, E820_TYPE_RESERVED },
		{ 0xf0000, 0x10000, E820_TYPE_RESERVED },
		{ 0x100000, 0x3ffe0000 - 0x100000, E820_TYPE_RAM },
		{ 0x3ffe0000, 0x20000, E820_TYPE_RESERVED },
		{ 0xfffc0000, 0x40000, E820_TYPE_RESERVED },
	};
	memcpy(bp.e820, e, sizeof(e));
	bp.nr_e820 = 6;
	bp.nr_cpus = 2;
	bp.cmdline = cmdline;
	bp.host_ptr = host_ptr;
	char err[128];
	struct kernel *k = kernel_boot(&bp, err, sizeof(err));
	if (!k)
		printf("# boot failed: %s\n", err);
	return k;
}

/* The invariants every operation must keep (mm/debug.c). */
static int invariants(struct kernel *k)
{
	struct sbuf why = SBUF_INIT;
	int ok = mm_verify(k, &why) == 0;
	if (!ok)
		printf("# %s\n", sb_str(&why));
	sb_free(&why);
	return ok;
}

/* A snapshot of everything a refused operation must leave alone. */
struct snapshot {
	unsigned long zone[MAX_NR_ZONES][5];
	unsigned long totalram, nr_blocks, states[64];
	uint64_t node_states[NR_NODE_STATES];
};

static void take(struct kernel *k, struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &k->node_data[0]->node_zones[z];
		/* free pages counted with the pcp lists: a failed offline leaves them drained, as Linux */
		unsigned long v[5] = { zone->zone_start_pfn, zone->spanned_pages, zone->present_pages,
				       zone->managed_pages, zone->nr_free_pages + (unsigned long)zone->pcp.count };
		memcpy(s->zone[z], v, sizeof(v));
	}
	s->totalram = k->totalram_pages;
	s->nr_blocks = k->nr_blocks;
	for (unsigned long i = 0; i < k->nr_blocks && i < 64; i++)
		s->states[i] = k->blocks[i]->state;
	memcpy(s->node_states, k->node_states, sizeof(s->node_states));
}

static struct memory_block *blk(struct kernel *k, unsigned long id)
{
	return find_memory_block_by_id(k, id);
}

static void test_boot(void)
{
	struct kernel *k = boot_1g("");
	check(k != NULL, "boot: a 1 GiB guest boots");
	if (!k)
		return;
	struct zone *dma = &k->node_data[0]->node_zones[ZONE_DMA];
	struct zone *dma32 = &k->node_data[0]->node_zones[ZONE_DMA32];
	/* the real kernel: DMA start_pfn 1 spanned 4095 present 3998; DMA32 4096/258016 */
	check(dma->zone_start_pfn == 1 && dma->spanned_pages == 4095 && dma->present_pages == 3998,
	      "boot: ZONE_DMA spans pfn 1..4095 with 3998 present pages (page 0 is the kernel's)");
	check(dma32->zone_start_pfn == 4096 && dma32->spanned_pages == 258016 &&
	      dma32->present_pages == 258016, "boot: ZONE_DMA32 as Linux 6.1 shows it");
	check(dma->managed_pages == 3840, "boot: the low 1 MiB is reserved, DMA manages 3840 pages");
	check(k->block_size == 128UL << 20, "boot: 128 MiB memory blocks below 64 GiB");
	check(k->nr_blocks == 8, "boot: memory0..memory7");
	check(blk(k, 0)->zone == NULL && blk(k, 1)->zone == dma32,
	      "boot: memory0 spans DMA and DMA32 (zone none), memory1 is DMA32");
	check(k->node_data[0]->nr_file_pages == 1326 && page_cache_verify(k) == 0,
	      "boot: the rootfs page cache holds 1326 movable pages (nr_shmem on the oracle's guest)");
	check(state_store(k, blk(k, 1), "offline\n") == 0 && state_store(k, blk(k, 6), "offline\n") == 0,
	      "boot: boot blocks memory1 and memory6 can be offlined (as on Linux)");
	check(state_store(k, blk(k, 7), "offline\n") == -EINVAL, "boot: memory7 has a hole: EINVAL");
	check(invariants(k), "boot: invariants hold");
	kernel_destroy(k);
}

/* The first section of memory block id, if it is kept as a free run. */
static struct mem_section *run_of_block(struct kernel *k, unsigned long id)
{
	struct mem_section *ms = __nr_to_section(k, blk(k, id)->start_section_nr);
	return ms && (ms->flags & SECTION_FREE_RUN) ? ms : NULL;
}

/* Pages of [p, p + len) the host has backed with memory. */
static unsigned long resident_pages(void *p, size_t len)
{
	long psz = sysconf(_SC_PAGESIZE);
	size_t n = (len + (size_t)psz - 1) / (size_t)psz;
	unsigned char *vec = calloc(n, 1);
	unsigned long r = 0;
	if (vec && !mincore(p, len, vec))
		for (size_t i = 0; i < n; i++)
			r += vec[i] & 1;
	free(vec);
	return r;
}

/*
 * Fully free sections are free runs: boot writes none of their struct pages;
 * taking a page out of one writes its heads where they would have been; an
 * offline and online of the block makes it a run again. The free counts stay
 * what Linux shows, the invariants (mm_verify checks runs) hold throughout.
 */
static void test_free_runs(void)
{
	struct kernel *k = boot_1g("");
	if (!k)
		return;
	struct zone *dma32 = &k->node_data[0]->node_zones[ZONE_DMA32];
	struct mem_section *ms = run_of_block(k, 5);
	check(ms != NULL, "free runs: boot keeps memory5's free section as a run");
	if (!ms) {
		kernel_destroy(k);
		return;
	}
	check(resident_pages(ms->memmap, PAGES_PER_SECTION * sizeof(struct page)) == 0,
	      "free runs: boot wrote none of the run's struct pages");
	unsigned long start = ms->run.private, heads = dma32->free_area[MAX_ORDER - 1].nr_free;
	unsigned long free_pages = dma32->nr_free_pages;
	check(take_page_off_buddy(k, start + 5) && !(ms->flags & SECTION_FREE_RUN),
	      "free runs: taking a page out of the run splits it");
	check(dma32->free_area[MAX_ORDER - 1].nr_free == heads - 1 &&
	      dma32->nr_free_pages == free_pages - 1 && PageBuddy(pfn_to_page(k, start + 1024)),
	      "free runs: the split leaves 31 max-order heads and the halves of the first");
	check(invariants(k), "free runs: invariants hold after a split");
	check(run_of_block(k, 6) && state_store(k, blk(k, 6), "offline\n") == 0 && invariants(k) &&
	      !run_of_block(k, 6), "free runs: a block of runs goes offline whole");
	check(dma32->free_area[MAX_ORDER - 1].nr_free == heads - 1 - 32,
	      "free runs: offline takes the run's 32 heads off the lists");
	/* (the kernel's allocations after an online may take another block: nr_free is not compared) */
	check(state_store(k, blk(k, 6), "online\n") == 0 && run_of_block(k, 6) && invariants(k),
	      "free runs: onlining the block gives it back as a run");
	kernel_destroy(k);
}

static int count_events[256];
static int event_log[64], nr_events;
static int veto_action, veto_errno;

static int recorder(struct notifier_block *nb, unsigned long action, void *data)
{
	if (nr_events < 64)
		event_log[nr_events++] = (int)action;
	count_events[action & 0xff]++;
	if ((int)action == veto_action)
		return notifier_from_errno(veto_errno);
	return NOTIFY_OK;
}

static void test_dimm_cycle(void)
{
	struct kernel *k = boot_1g("");
	if (!k)
		return;
	struct snapshot before, after;
	struct notifier_block nb = { .notifier_call = recorder, .priority = 0 };
	register_memory_notifier(k, &nb);

	check(acpi_memory_device_add(k, 0, 1ULL << 32, 512ULL << 20, 0) == 0,
	      "dimm: 512 MiB at 4 GiB is added");
	check(k->nr_blocks == 12 && blk(k, 32) && blk(k, 35) && blk(k, 32)->state == MEM_OFFLINE,
	      "dimm: memory32..35 appear offline");
	check(invariants(k), "dimm: invariants after add");

	struct zone *normal = &k->node_data[0]->node_zones[ZONE_NORMAL];
	struct zone *movable = &k->node_data[0]->node_zones[ZONE_MOVABLE];
	unsigned long total = k->totalram_pages;
	check(state_store(k, blk(k, 33), "online\n") == 0, "online: memory33 onlines");
	check(blk(k, 33)->zone == normal && normal->zone_start_pfn == 0x108000 &&
	      normal->spanned_pages == 32768 && normal->present_pages == 32768,
	      "online: memory33 lands in ZONE_NORMAL, which spans just it");
	check(k->totalram_pages == total + 32768, "online: MemTotal grows by 128 MiB");
	check(nr_events == 2 && event_log[0] == MEM_GOING_ONLINE && event_log[1] == MEM_ONLINE,
	      "online: notifier sees GOING_ONLINE then ONLINE");
	check(invariants(k), "online: invariants");

	/* the kernel's own allocations went into the new Normal block: offline is refused */
	take(k, &before);
	nr_events = 0;
	check(state_store(k, blk(k, 33), "offline\n") == -EBUSY,
	      "offline: the only ZONE_NORMAL block holds kernel pages (EBUSY, as Linux)");
	take(k, &after);
	check(!memcmp(&before, &after, sizeof(before)) && blk(k, 33)->state == MEM_ONLINE,
	      "offline: refused offline changes nothing");
	check(nr_events == 0, "offline: isolation failure sends no notifier event");
	check(invariants(k), "offline: invariants after EBUSY");

	check(state_store(k, blk(k, 33), "online\n") == -EINVAL, "state: online of online block is EINVAL");
	check(online_store(k, blk(k, 33), "1\n") == 0, "online file: 1 on online block is a no-op");
	check(state_store(k, blk(k, 32), "bogus\n") == -EINVAL, "state: bad word is EINVAL");

	/* a movable block goes and comes back */
	nr_events = 0;
	check(state_store(k, blk(k, 34), "online_movable\n") == 0 && blk(k, 34)->zone == movable,
	      "movable: memory34 onlines to ZONE_MOVABLE");
	check(state_store(k, blk(k, 34), "offline\n") == 0 && blk(k, 34)->state == MEM_OFFLINE,
	      "movable: and offlines again");
	check(movable->spanned_pages == 0 && movable->present_pages == 0 && movable->zone_start_pfn == 0,
	      "movable: the emptied zone has no span left");
	check(nr_events == 4 && event_log[2] == MEM_GOING_OFFLINE && event_log[3] == MEM_OFFLINE,
	      "movable: GOING_OFFLINE then OFFLINE");
	check(invariants(k), "movable: invariants");

	/* notifier veto: online refused, fully undone */
	take(k, &before);
	veto_action = MEM_GOING_ONLINE;
	veto_errno = -ENOMEM;
	nr_events = 0;
	check(state_store(k, blk(k, 35), "online_movable\n") == -ENOMEM,
	      "veto: GOING_ONLINE refusal fails the write with the notifier's errno");
	take(k, &after);
	check(!memcmp(&before, &after, sizeof(before)), "veto: the refused online changed nothing");
	check(nr_events == 2 && event_log[1] == MEM_CANCEL_ONLINE, "veto: CANCEL_ONLINE follows");
	veto_action = 0;

	/* offline veto after isolation: undone, CANCEL_OFFLINE */
	state_store(k, blk(k, 35), "online_movable\n");
	take(k, &before);
	veto_action = MEM_GOING_OFFLINE;
	veto_errno = -EBUSY;
	nr_events = 0;
	check(state_store(k, blk(k, 35), "offline\n") == -EBUSY, "veto: GOING_OFFLINE refusal");
	take(k, &after);
	check(!memcmp(&before, &after, sizeof(before)) && nr_events == 2 &&
	      event_log[1] == MEM_CANCEL_OFFLINE, "veto: offline undone, CANCEL_OFFLINE sent");
	check(page_cache_verify(k) == 0, "page cache: the rootfs pages are intact");
	veto_action = 0;
	check(invariants(k), "veto: invariants");

	/* eject fails while memory33 holds kernel pages; the blocks it offlined come back */
	int ost;
	check(acpi_memory_device_eject(k, 0, &ost) == -EBUSY && ost == ACPI_OST_EJECT_DEVICE_BUSY,
	      "eject: refused with DEVICE_BUSY while a block cannot be offlined");
	check(blk(k, 35) && blk(k, 35)->state == MEM_ONLINE && blk(k, 35)->zone == normal,
	      "eject: memory35 was re-onlined with the default type (Normal, not Movable)");
	check(invariants(k), "eject: invariants after the failed eject");
	unregister_memory_notifier(k, &nb);
	kernel_destroy(k);
}

static void test_eject_movable(void)
{
	struct kernel *k = boot_1g("memhp_default_state=online_movable");
	if (!k)
		return;
	unsigned long total = k->totalram_pages;
	acpi_memory_device_add(k, 0, 1ULL << 32, 512ULL << 20, 0);
	check(blk(k, 32)->state == MEM_ONLINE && blk(k, 35)->zone->idx == ZONE_MOVABLE,
	      "auto-online: online_movable default puts the DIMM in ZONE_MOVABLE");
	check(k->totalram_pages == total + 4 * 32768, "auto-online: MemTotal +512 MiB");
	int ost;
	check(acpi_memory_device_eject(k, 0, &ost) == 0 && ost == ACPI_OST_SUCCESS,
	      "eject: a Movable DIMM ejects");
	check(k->nr_blocks == 8 && k->totalram_pages == total, "eject: blocks gone, MemTotal back");
	check(invariants(k), "eject: invariants");
	kernel_destroy(k);
}

/* Movable pages with contents migrate when their block goes offline. */
struct owner_rec {
	struct page_owner o;
	unsigned long pfns[64];
};

static void moved(struct kernel *k, struct page_owner *o, unsigned long cookie, unsigned long old,
		  unsigned long new)
{
	((struct owner_rec *)o)->pfns[cookie] = new;
}

static void test_migration(void)
{
	struct kernel *k = boot_1g("memhp_default_state=online_movable");
	if (!k)
		return;
	acpi_memory_device_add(k, 0, 1ULL << 32, 256ULL << 20, 0);
	struct owner_rec rec = { .o = { .name = "test", .kind = OWNER_ANON, .migrated = moved } };
	int in_block = 0;
	for (unsigned long i = 0; i < 64; i++) {
		rec.pfns[i] = alloc_movable_pages(k, &rec.o, i, 0, 0);
		memset(page_address(k, rec.pfns[i]), (int)(i + 1), PAGE_SIZE);
		in_block += rec.pfns[i] >= 0x100000 && rec.pfns[i] < 0x108000;
	}
	check(in_block > 0, "migrate: movable pages land in the Movable block");
	check(state_store(k, blk(k, 32), "offline\n") == 0, "migrate: the block offlines anyway");
	int ok = 1;
	for (unsigned long i = 0; i < 64; i++) {
		unsigned char *p = page_address(k, rec.pfns[i]);
		ok &= rec.pfns[i] < 0x100000 || rec.pfns[i] >= 0x108000;
		for (unsigned j = 0; j < PAGE_SIZE; j++)
			ok &= p[j] == (unsigned char)(i + 1);
	}
	check(ok, "migrate: every byte moved out of the block, owners told the new place");
	check(invariants(k), "migrate: invariants");
	pin_page(k, rec.pfns[0]);
	kernel_destroy(k);
}

static int cancel_calls;
static bool cancel_after_some(void *opaque)
{
	return ++cancel_calls > 50;	/* a signal arrives while migration keeps failing */
}

static void test_pinned_cancel(void)
{
	struct kernel *k = boot_1g("memhp_default_state=online_movable");
	if (!k)
		return;
	acpi_memory_device_add(k, 0, 1ULL << 32, 128ULL << 20, 0);
	struct owner_rec rec = { .o = { .name = "pinner", .kind = OWNER_ANON, .migrated = moved } };
	rec.pfns[0] = alloc_movable_pages(k, &rec.o, 0, 0, 0);
	check(rec.pfns[0] >= 0x100000 && rec.pfns[0] < 0x108000, "pin: the page sits in the Movable block");
	memset(page_address(k, rec.pfns[0]), 0xab, PAGE_SIZE);
	pin_page(k, rec.pfns[0]);
	k->offline_cancel = cancel_after_some;
	struct snapshot before, after;
	take(k, &before);
	int rc = state_store(k, blk(k, 32), "offline\n");
	take(k, &after);
	check(rc == -EINTR, "pin: a long-term pinned page makes offlining loop until a signal: EINTR");
	check(cancel_calls > 50, "pin: migration was retried pass after pass, as Linux retries");
	check(!memcmp(&before, &after, sizeof(before)) && blk(k, 32)->state == MEM_ONLINE,
	      "pin: after EINTR the block is online and nothing changed");
	check(((unsigned char *)page_address(k, rec.pfns[0]))[100] == 0xab, "pin: the pinned page kept its bytes");
	check(invariants(k), "pin: invariants after EINTR");
	unpin_page(k, rec.pfns[0]);
	k->offline_cancel = NULL;
	check(state_store(k, blk(k, 32), "offline\n") == 0 && rec.pfns[0] < 0x100000,
	      "pin: unpinned, the page migrates and the block goes offline");
	check(invariants(k), "pin: invariants");
	kernel_destroy(k);
}

static void test_hwpoison(void)
{
	struct kernel *k = boot_1g("memhp_default_state=online_movable");
	if (!k)
		return;
	acpi_memory_device_add(k, 0, 1ULL << 32, 128ULL << 20, 0);
	struct zone *movable = &k->node_data[0]->node_zones[ZONE_MOVABLE];
	unsigned long free_before = movable->nr_free_pages;
	check(soft_offline_page(k, 0x100123) == 0 && k->num_poisoned_pages == 1 &&
	      movable->nr_free_pages == free_before - 1, "hwpoison: soft offline takes a free page off the buddy");
	check(soft_offline_page(k, 0x100123) == 0 && k->num_poisoned_pages == 1,
	      "hwpoison: soft offline of a poisoned page succeeds without counting twice");
	check(memory_failure(k, 0x100123) == -EHWPOISON, "hwpoison: hard offline of a poisoned page: EHWPOISON");
	check(invariants(k), "hwpoison: invariants");

	struct owner_rec rec = { .o = { .name = "victim", .kind = OWNER_ANON, .migrated = moved } };
	rec.pfns[0] = alloc_movable_pages(k, &rec.o, 0, 0, 0);
	unsigned long old = rec.pfns[0];
	memset(page_address(k, old), 0x77, PAGE_SIZE);
	check(soft_offline_page(k, old) == 0 && rec.pfns[0] != old &&
	      ((unsigned char *)page_address(k, rec.pfns[0]))[7] == 0x77,
	      "hwpoison: soft offline migrates an in-use page first, keeping its bytes");
	check(k->num_poisoned_pages == 2 && (pfn_to_page(k, old)->flags & PG_hwpoison),
	      "hwpoison: and poisons the old frame");
	unsigned long kpfn = alloc_kernel_pages(k, 0, 0);
	check(memory_failure(k, kpfn) == -EBUSY, "hwpoison: a kernel page cannot be recovered: EBUSY");
	check(soft_offline_page(k, 0x7fffffffUL) == -ENXIO, "hwpoison: no memmap: ENXIO");
	check(state_store(k, blk(k, 32), "offline\n") == 0,
	      "hwpoison: a block with poisoned pages still goes offline (6.1)");
	check(invariants(k), "hwpoison: invariants after offline");
	check(state_store(k, blk(k, 32), "online_movable\n") == 0 &&
	      !(pfn_to_page(k, 0x100123)->flags & PG_hwpoison) && invariants(k),
	      "hwpoison: onlining again re-initialises the memmap, the poison is forgotten (6.1)");
	kernel_destroy(k);
}

/*
 * auto-movable's arithmetic (mm/memory_hotplug.c, auto_movable_can_online_movable):
 * on a 1 GiB guest the early kernel pages are DMA+DMA32 present = 3998 + 258016
 * = 262014; ratio 301 allows 301 * 262014 / 100 = 788662 movable pages, i.e.
 * 24 blocks (786432). The 25th block goes to the kernel zone.
 */
static void test_auto_movable(void)
{
	struct kernel *k = boot_1g("memhp_default_state=online memory_hotplug.online_policy=auto-movable");
	if (!k)
		return;
	int movable = 0, normal = 0;
	for (int i = 0; i < 26; i++) {
		uint64_t start = (1ULL << 32) + (uint64_t)i * (128ULL << 20);
		add_memory(k, 0, start, 128ULL << 20, MHP_NONE);
		struct memory_block *mem = blk(k, 32 + (unsigned long)i);
		if (mem->zone && mem->zone->idx == ZONE_MOVABLE)
			movable++;
		else if (mem->zone && mem->zone->idx == ZONE_NORMAL)
			normal++;
	}
	check(movable == 24 && normal == 2, "auto-movable: 24 blocks fit the 301% ratio, then ZONE_NORMAL");
	check(blk(k, 55)->zone->idx == ZONE_MOVABLE && blk(k, 56)->zone->idx == ZONE_NORMAL,
	      "auto-movable: the 25th block is the first kernel one");

	check(invariants(k), "auto-movable: invariants");
	kernel_destroy(k);

	/*
	 * A dynamic group (virtio-mem style) may count its own kernel pages. With
	 * ratio 100 the allowance is 262014 pages: 7 blocks (229376) fit, the 8th
	 * (262144) goes Normal; that Normal block then raises the group's
	 * allowance to 294782, so its 9th block is Movable again.
	 */
	k = boot_1g("memhp_default_state=online memory_hotplug.online_policy=auto-movable "
		    "memory_hotplug.auto_movable_ratio=100");
	int mgid = memory_group_register_dynamic(k, 0, 32768);
	for (int i = 0; i < 9; i++)
		add_memory(k, mgid, (1ULL << 32) + (uint64_t)i * (128ULL << 20), 128ULL << 20,
			   MHP_NID_IS_MGID);
	check(blk(k, 38)->zone->idx == ZONE_MOVABLE && blk(k, 39)->zone->idx == ZONE_NORMAL,
	      "auto-movable: ratio 100, a dynamic group's 8th block exceeds the allowance: Normal");
	check(blk(k, 40)->zone->idx == ZONE_MOVABLE,
	      "auto-movable: the group's own Normal block lets its 9th block go Movable");
	check(memory_group_unregister(k, mgid) == -EBUSY, "groups: a group with blocks cannot go");
	check(invariants(k), "auto-movable: invariants with a dynamic group");
	kernel_destroy(k);
}

/* The driver entry points: dax/kmem-style adds and virtio-mem-style offline_and_remove_memory(). */
static void test_driver_paths(void)
{
	struct kernel *k = boot_1g("");
	if (!k)
		return;
	uint64_t base = 1ULL << 32, sz = 256ULL << 20;
	check(add_memory_driver_managed(k, 0, base, sz, "kmem", MHP_NONE) == -EINVAL,
	      "driver: a resource name not of the form \"System RAM (...)\" is refused");
	check(add_memory_driver_managed(k, 0, base, sz, "System RAM (kmem)", MHP_NONE) == 0,
	      "driver: add_memory_driver_managed(\"System RAM (kmem)\")");
	struct resource *r = k->iomem_resource.child;
	while (r && r->start != base)
		r = r->sibling;
	check(r && !strcmp(r->name, "System RAM (kmem)") && (r->flags & IORESOURCE_SYSRAM_DRIVER_MANAGED),
	      "driver: the iomem resource is named and flagged driver-managed");
	bool in_fw_map = false;
	for (struct firmware_map_entry *e = k->fw_memmap; e; e = e->next)
		in_fw_map |= e->start == base;
	check(!in_fw_map, "driver: driver-managed memory gets no /sys/firmware/memmap entry");
	check(add_memory(k, 0, base, sz, MHP_NONE) == -EEXIST, "driver: adding it twice: EEXIST");
	check(add_memory(k, 0, base + (64ULL << 20), sz, MHP_NONE) == -EEXIST,
	      "driver: an overlapping add: EEXIST");
	check(add_memory(k, 0, base + sz + (64ULL << 20), sz, MHP_NONE) == -EINVAL,
	      "driver: an add not aligned to the block size: EINVAL");
	check(add_memory(k, 0, 0xfffffffff0000000ULL, 1ULL << 30, MHP_NONE) == -E2BIG,
	      "driver: an add beyond the addressable range: E2BIG");

	state_store(k, blk(k, 32), "online_movable\n");
	state_store(k, blk(k, 33), "online_movable\n");
	check(offline_and_remove_memory(k, base, sz) == 0 && !blk(k, 32) && !blk(k, 33),
	      "driver: offline_and_remove_memory() offlines both blocks and removes them");
	check(invariants(k), "driver: invariants");

	/* with a block the kernel pins, everything it offlined comes back as it was */
	add_memory(k, 0, base, sz, MHP_NONE);
	state_store(k, blk(k, 32), "online_movable\n");
	state_store(k, blk(k, 33), "online\n");
	check(offline_and_remove_memory(k, base, sz) == -EBUSY, "driver: a pinned block makes it fail: EBUSY");
	check(blk(k, 32)->state == MEM_ONLINE && blk(k, 32)->zone->idx == ZONE_MOVABLE &&
	      blk(k, 33)->state == MEM_ONLINE,
	      "driver: the block it had offlined is onlined again with its old zone type");
	check(remove_memory(k, base, sz) == -EBUSY, "driver: remove_memory() of online blocks: EBUSY");
	check(invariants(k), "driver: invariants after the rollback");
	kernel_destroy(k);
}

static void test_memmap_force(void)
{
	/* memhp extension (Linux >= 6.8 rules): a 4-block DIMM, each block hosting its memmap */
	struct kernel *k = boot_1g("memory_hotplug.memmap_on_memory=force memhp_default_state=online_movable");
	if (!k)
		return;
	unsigned long total = k->totalram_pages;
	check(acpi_memory_device_add(k, 0, 1ULL << 32, 512ULL << 20, 0) == 0, "force: 512 MiB DIMM added");
	struct zone *movable = &k->node_data[0]->node_zones[ZONE_MOVABLE];
	check(blk(k, 32)->nr_vmemmap_pages == 512 && blk(k, 35)->nr_vmemmap_pages == 512,
	      "force: every block carries 512 memmap pages (2 MiB per 128 MiB)");
	check(movable->present_pages == 4 * 32768 && movable->managed_pages == 4 * (32768 - 512),
	      "force: memmap pages are present but not managed");
	check(k->totalram_pages == total + 4 * (32768 - 512), "force: MemTotal grows by 4 x 126 MiB");
	check(invariants(k), "force: invariants");
	int ost;
	check(acpi_memory_device_eject(k, 0, &ost) == 0 && k->totalram_pages == total && k->nr_blocks == 8,
	      "force: the DIMM ejects block by block");
	check(invariants(k), "force: invariants after eject");
	kernel_destroy(k);

	/* Linux 6.1 with Y: a multi-block request gets no memmap on memory */
	k = boot_1g("memory_hotplug.memmap_on_memory=1");
	acpi_memory_device_add(k, 0, 1ULL << 32, 512ULL << 20, 0);
	acpi_memory_device_add(k, 1, (1ULL << 32) + (512ULL << 20), 128ULL << 20, 0);
	check(blk(k, 32)->nr_vmemmap_pages == 0 && blk(k, 36)->nr_vmemmap_pages == 512,
	      "memmap_on_memory=Y: only the one-block DIMM hosts its memmap (6.1)");
	kernel_destroy(k);
}

/* A balloon-like driver: keeps every other 4 MiB chunk, as virtio-mem keeps unplugged parts. */
static unsigned long kept[64];
static int nr_kept;

static void balloon_online_page(struct kernel *k, unsigned long pfn, unsigned int order)
{
	if ((pfn >> order) & 1) {
		for (unsigned long i = 0; i < (1UL << order); i++) {
			struct page *p = pfn_to_page(k, pfn + i);
			p->flags = PG_offline;	/* logically offline, still referenced */
		}
		if (nr_kept < 64)
			kept[nr_kept++] = pfn;
		return;
	}
	generic_online_page(k, pfn, order);
}

static void other_online_page(struct kernel *k, unsigned long pfn, unsigned int order)
{
	generic_online_page(k, pfn, order);
}

static int balloon_notifier(struct notifier_block *nb, unsigned long action, void *data)
{
	struct kernel *k = *(struct kernel **)(nb + 1);
	int delta = action == MEM_GOING_OFFLINE ? -1 : action == MEM_CANCEL_OFFLINE ? 1 : 0;
	if (!delta)
		return NOTIFY_OK;
	for (int c = 0; c < nr_kept; c++)
		for (unsigned long i = 0; i < MAX_ORDER_NR_PAGES; i++)
			pfn_to_page(k, kept[c] + i)->_refcount += delta;
	/* 6.1 takes all pages out of managed on offline; the driver gives its kept pages back */
	if (action == MEM_GOING_OFFLINE)
		adjust_managed_page_count(k, page_zone(k, kept[0]), (long)nr_kept * MAX_ORDER_NR_PAGES);
	return NOTIFY_OK;
}

static void test_online_page_callback(void)
{
	struct kernel *k = boot_1g("");
	if (!k)
		return;
	check(set_online_page_callback(k, balloon_online_page) == 0, "callback: set when the default is installed");
	check(set_online_page_callback(k, other_online_page) == -EINVAL, "callback: only one custom callback at a time");
	check(restore_online_page_callback(k, other_online_page) == -EINVAL,
	      "callback: restoring a callback that is not installed fails");
	struct { struct notifier_block nb; struct kernel *k; } bn = { { .notifier_call = balloon_notifier }, k };
	register_memory_notifier(k, &bn.nb);
	acpi_memory_device_add(k, 0, 1ULL << 32, 128ULL << 20, 0);
	struct zone *movable = &k->node_data[0]->node_zones[ZONE_MOVABLE];
	unsigned long total = k->totalram_pages;
	check(state_store(k, blk(k, 32), "online_movable\n") == 0, "callback: block onlines");
	check(nr_kept == 16 && movable->present_pages == 32768 && movable->managed_pages == 16384,
	      "callback: kept pages are present but not managed");
	check(k->totalram_pages == total + 16384 && invariants(k), "callback: MemTotal counts only given pages");
	check(state_store(k, blk(k, 32), "offline\n") == 0,
	      "callback: offline succeeds once the driver drops its references in GOING_OFFLINE");
	check(k->totalram_pages == total && invariants(k), "callback: accounting back to before");
	check(restore_online_page_callback(k, balloon_online_page) == 0 &&
	      k->online_page_callback == generic_online_page, "callback: restore reinstalls the default");
	unregister_memory_notifier(k, &bn.nb);
	kernel_destroy(k);
}

int main(void)
{
	guest_ram = mmap(NULL, GUEST_SPAN, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (guest_ram == MAP_FAILED)
		return 1;
	test_boot();
	test_free_runs();
	test_dimm_cycle();
	test_eject_movable();
	test_migration();
	test_memmap_force();
	test_online_page_callback();
	test_pinned_cancel();
	test_hwpoison();
	test_auto_movable();
	test_driver_paths();
	munmap(guest_ram, GUEST_SPAN);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
