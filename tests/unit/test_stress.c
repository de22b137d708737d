// SPDX-License-Identifier: MIT
/*
 * Stress: GiBs of movable guest pages, each filled with a pattern derived
 * from its index, while random memory blocks go offline (their pages
 * migrate) and online again, many times. Every byte is checked along the
 * way and at the end: nothing may be lost. Size: MEMHP_STRESS_MIB (default
 * 2048), rounds: MEMHP_STRESS_ROUNDS (default 64).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memhp/memhp.h>

#include "check.h"

struct chunk {
	struct memhp_page *page;
	unsigned long first_pfn;	/* where it was allocated */
	size_t first;		/* index of its first 4 KiB page */
	unsigned order;
};

static inline uint64_t word(size_t page, size_t i)
{
	return (page * 0x9E3779B97F4A7C15ULL) ^ (i * 0xBF58476D1CE4E5B9ULL) ^ 0x1234;
}

static void fill(struct memhp *m, struct chunk *c)
{
	uint64_t *p = memhp_page_data(m, c->page);
	for (size_t pg = 0; pg < (1UL << c->order); pg++)
		for (size_t i = 0; i < 512; i++)
			p[pg * 512 + i] = word(c->first + pg, i);
}

/* Pages of the chunk whose bytes are not what was written. */
static size_t corrupted(struct memhp *m, struct chunk *c)
{
	const uint64_t *p = memhp_page_data(m, c->page);
	size_t bad = 0;
	for (size_t pg = 0; pg < (1UL << c->order); pg++)
		for (size_t i = 0; i < 512; i++)
			if (p[pg * 512 + i] != word(c->first + pg, i)) {
				bad++;
				break;
			}
	return bad;
}

static size_t verify_all(struct memhp *m, struct chunk *c, size_t n)
{
	size_t bad = 0;
	memhp_get_online_mems(m);
	for (size_t i = 0; i < n; i++)
		bad += corrupted(m, &c[i]);
	memhp_put_online_mems(m);
	return bad;
}

static uint64_t rng = 88172645463325252ULL;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

int main(void)
{
	const char *e = getenv("MEMHP_STRESS_MIB");
	size_t mib = e ? strtoul(e, NULL, 0) : 2048;
	e = getenv("MEMHP_STRESS_ROUNDS");
	int rounds = e ? atoi(e) : 64;
	char *err = NULL;
	struct memhp *m = memhp_new("-m 2G,slots=4,maxmem=16G -smp 2 "
				    "-append memhp_default_state=online_movable", &err);
	if (!m) {
		printf("not ok - machine: %s\n0 passed, 1 failed\n", err);
		return 1;
	}
	char *out = NULL;
	memhp_monitor(m, "object_add memory-backend-ram,id=big,size=4G", &out);
	free(out);
	memhp_monitor(m, "device_add pc-dimm,id=d,memdev=big", &out);
	free(out);

	/* half the memory in 2 MiB pages, half in 4 KiB pages, as THP faults fall back */
	size_t pages = mib * 256, n = 0, cap = pages;
	struct chunk *c = calloc(cap, sizeof(*c));
	size_t idx = 0;
	memhp_get_online_mems(m);
	while (idx < pages) {
		unsigned order = idx < pages / 2 && pages - idx >= 512 ? 9 : 0;
		struct memhp_page *p = memhp_alloc_pages(m, MEMHP_ALLOC_MOVABLE, order, -1);
		if (!p)
			break;
		c[n] = (struct chunk){ p, memhp_page_pfn(p), idx, order };
		fill(m, &c[n]);
		idx += 1UL << order;
		n++;
	}
	memhp_put_online_mems(m);
	check(idx == pages, "stress: all movable memory allocated and filled");
	printf("# %zu MiB in %zu allocations\n", idx / 256, n);

	int offlined = 0, onlined = 0, refused = 0;
	size_t bad = 0;
	for (int r = 0; r < rounds; r++) {
		char path[64];
		int blk = 32 + (int)(next_rand() % 32);
		snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%d/state", blk);
		char *v = NULL;
		memhp_read(m, path, &v);
		bool online = v && !strcmp(v, "online\n");
		free(v);
		/* plain "online" could pick ZONE_NORMAL once Movable's span shrank, and the kernel would pin it */
		const char *req = online ? "offline" : "online_movable";
		int rc = memhp_write(m, path, req, strlen(req));
		if (rc)
			printf("# memory%d: %s: %s\n", blk, req, strerror(-rc));
		if (rc)
			refused++;
		else if (online)
			offlined++;
		else
			onlined++;
		if (r % 16 == 15)
			bad += verify_all(m, c, n);
	}
	printf("# %d offlined, %d onlined, %d refused\n", offlined, onlined, refused);
	check(offlined > rounds / 4, "stress: blocks holding live pages went offline");
	check(refused == 0, "stress: no offline or online was refused (all movable, room to migrate)");
	bad += verify_all(m, c, n);
	size_t moved = 0;
	for (size_t i = 0; i < n; i++)
		moved += memhp_page_pfn(c[i].page) != c[i].first_pfn;
	printf("# %zu of %zu allocations migrated at least once\n", moved, n);
	check(moved > n / 8, "stress: a good share of the pages really moved");
	check(bad == 0, "stress: every byte survived every migration (0 pages corrupted)");

	for (size_t i = 0; i < n; i++)
		memhp_free_pages(m, c[i].page);
	free(c);
	memhp_free(m);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
