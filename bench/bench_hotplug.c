// SPDX-License-Identifier: MIT
/*
 * Hot-add throughput: plug a 256 GiB DIMM, online it (ZONE_MOVABLE), offline
 * and eject it again, in seconds per TiB. The baseline, run in the same
 * process, is what Linux spends at the least for the same memory: writing
 * its memmap (64 bytes of struct page per 4 KiB page) once. CPU time of the
 * process, one run (bench_online has the per-GiB figures, best of several).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <memhp/memhp.h>

#define DIMM_GIB 256UL

/* CPU time of this process (user + system, page faults included), not wall time: the machine is shared. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double memmap_write_seconds(size_t gib)
{
	size_t bytes = gib * (1UL << 30) / 4096 * 64;
	char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return 0;
	double t0 = now();
	memset(p, 0, bytes);
	double t = now() - t0;
	munmap(p, bytes);
	return t;
}

static void monitor(struct memhp *m, const char *cmd)
{
	char *out = NULL;
	memhp_monitor(m, cmd, &out);
	free(out);
}

int main(void)
{
	struct memhp *m = memhp_new("-m 2G,slots=4,maxmem=300G -append memhp_default_state=online_movable", NULL);
	if (!m)
		return 1;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "object_add memory-backend-ram,id=big,size=%luG", DIMM_GIB);
	monitor(m, cmd);
	double t0 = now();
	monitor(m, "device_add pc-dimm,id=d,memdev=big");
	double t_add = now() - t0;
	t0 = now();
	monitor(m, "device_del d");
	double t_del = now() - t0;
	memhp_free(m);
	double base = memmap_write_seconds(DIMM_GIB);
	double tib = DIMM_GIB / 1024.0;
	printf("bench_hotplug: %lu GiB DIMM: add + online %.3f s (%.2f s/TiB), offline + eject %.3f s (%.2f s/TiB)\n",
	       DIMM_GIB, t_add, t_add / tib, t_del, t_del / tib);
	printf("bench_hotplug: baseline, writing Linux's memmap for it once: %.3f s (%.2f s/TiB); "
	       "add+online is %.2fx that, offline+eject %.2fx\n",
	       base, base / tib, t_add / base, t_del / base);
	return 0;
}
