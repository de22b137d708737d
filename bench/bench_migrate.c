// SPDX-License-Identifier: MIT
/*
 * Migration throughput: offlining a ZONE_MOVABLE block full of movable
 * pages copies every byte elsewhere. Measured against memcpy() of the same
 * number of bytes in the same process, into fresh memory (what migration
 * writes to) and into warm memory. Per folio size: 4 KiB and 2 MiB.
 * CPU time, the best of three runs of each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <memhp/memhp.h>

#define BLOCKS 4	/* 512 MiB of movable memory per run */

/* CPU time of this process (user + system, page faults included), not wall time: the machine is shared. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double memcpy_seconds(size_t bytes, int fresh)
{
	char *src = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *dst = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(src, 0x5a, bytes);
	if (!fresh)
		memset(dst, 0, bytes);
	double t0 = now();
	for (size_t off = 0; off < bytes; off += 4096)
		memcpy(dst + off, src + off, 4096);
	double t = now() - t0;
	volatile char sink = dst[bytes - 1];
	(void)sink;
	munmap(src, bytes);
	munmap(dst, bytes);
	return t;
}

/* Seconds spent offlining BLOCKS movable blocks filled with order-`order` pages. */
static double migrate_seconds(unsigned order, size_t *bytes_out)
{
	struct memhp *m = memhp_new("-m 2G,slots=4,maxmem=8G -append memhp_default_state=online_movable", NULL);
	char *out = NULL;
	memhp_monitor(m, "object_add memory-backend-ram,id=b,size=512M", &out);
	free(out);
	memhp_monitor(m, "device_add pc-dimm,id=d,memdev=b", &out);
	free(out);
	size_t per = 4096UL << order, n = (size_t)BLOCKS * (128UL << 20) / per;
	struct memhp_page **pages = calloc(n, sizeof(*pages));
	size_t got = 0;
	memhp_get_online_mems(m);
	for (; got < n; got++) {
		pages[got] = memhp_alloc_pages(m, MEMHP_ALLOC_MOVABLE, order, -1);
		if (!pages[got])
			break;
		memset(memhp_page_data(m, pages[got]), (int)got, per);
	}
	memhp_put_online_mems(m);
	double t0 = now();
	for (int b = 0; b < BLOCKS; b++) {
		char path[64];
		snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%d/state", 32 + b);
		if (memhp_write(m, path, "offline", 7))
			fprintf(stderr, "bench_migrate: offline of memory%d failed\n", 32 + b);
	}
	double t = now() - t0;
	*bytes_out = got * per;
	for (size_t i = 0; i < got; i++)
		memhp_free_pages(m, pages[i]);
	free(pages);
	memhp_free(m);
	return t;
}

int main(void)
{
	for (unsigned order = 0; order <= 9; order += 9) {
		size_t bytes = 0;
		double tm = 1e30, tf = 1e30, tw = 1e30;
		for (int r = 0; r < 3; r++) {
			double a = migrate_seconds(order, &bytes);
			double b = memcpy_seconds(bytes, 1), c = memcpy_seconds(bytes, 0);
			tm = a < tm ? a : tm;
			tf = b < tf ? b : tf;
			tw = c < tw ? c : tw;
		}
		printf("bench_migrate: %s folios: %zu MiB migrated in %.3f s of CPU = %.2f GB/s; "
		       "memcpy to fresh memory %.2f GB/s (migration at %.0f%%), to warm memory %.2f GB/s (%.0f%%)\n",
		       order ? "2 MiB" : "4 KiB", bytes >> 20, tm, bytes / tm / 1e9, bytes / tf / 1e9,
		       100 * tf / tm, bytes / tw / 1e9, 100 * tw / tm);
	}
	return 0;
}
