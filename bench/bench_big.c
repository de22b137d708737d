// SPDX-License-Identifier: MIT
/*
 * Issue 12's big machine: a 64 TiB guest within 10 s of CPU and 2 GiB of
 * RSS. With 4-level paging (qemu64 has no la57) the guest addresses 46 bits,
 * so its memory must end at 64 TiB, and QEMU puts RAM above 4 GiB at 1 TiB
 * when it would reach the AMD HyperTransport hole: 2 TiB of boot memory
 * (1 TiB..3 TiB-3 GiB), which must hold the memmap of the rest, and two DIMMs
 * of 31 TiB and 30 TiB + 3 GiB that fill the device-memory region up to
 * 64 TiB, hot-added and onlined into ZONE_MOVABLE: 63 TiB of RAM, the most
 * such a guest can have. CPU time of this
 * process (user + system, so page faults count), against a baseline run in
 * the same process: memset() of Linux's memmap (64 bytes per 4 KiB page) for
 * the same memory, into fresh pages.
 *
 * By default the machine is the same shape at 1/64 of the size (32 GiB boot,
 * DIMMs of 496 and 480 GiB) and the figures are also given as a linear
 * projection; MEMHP_BENCH_SCALE=1 runs the full size (about 7 s of CPU and
 * 2 GiB of RSS). The run fails unless the guest's MemTotal grew by the
 * DIMMs' sizes: a DIMM the guest refuses must not count as onlined.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <memhp/memhp.h>
#include "bench_clock.h"

#define TARGET_S	10.0
#define TARGET_MIB	2048.0

static int monitor(struct memhp *m, const char *cmd)
{
	char *out = NULL;
	int rc = memhp_monitor(m, cmd, &out);
	if (!rc && out && *out)
		rc = -1;	/* the monitor printed an error */
	free(out);
	return rc;
}

/* MemTotal of the guest's /proc/meminfo, in KiB; 0 if unread */
static unsigned long long mem_total_kib(struct memhp *m)
{
	char *text = NULL;
	unsigned long long kib = 0;
	if (memhp_read(m, "/proc/meminfo", &text) == 0 && text)
		sscanf(text, "MemTotal: %llu kB", &kib);
	free(text);
	return kib;
}

/* boot + hot-add + online of the machine at 1/scale: CPU seconds, RSS growth in MiB */
static int big_guest(unsigned scale, double *cpu, double *rss)
{
	unsigned long boot_g = 2048 / scale;
	unsigned long dimm_g[2] = { 31744 / scale, 30720 / scale + (scale == 1 ? 3 : 0) };
	char opts[256], cmd[128];

	snprintf(opts, sizeof(opts),
		 "-m %luG,slots=4,maxmem=64T -cpu qemu64,phys-bits=47 "
		 "-object memory-backend-ram,id=r0,size=%luG,reserve=off -numa node,nodeid=0,memdev=r0 "
		 "-append memhp_default_state=online_movable", boot_g, boot_g);
	double r0 = rss_mib(), t0 = cpu_now();
	struct memhp *m = memhp_new(opts, NULL);
	if (!m)
		return -1;
	for (int i = 0; i < 2; i++) {
		snprintf(cmd, sizeof(cmd), "object_add memory-backend-ram,id=m%d,size=%luG,reserve=off", i, dimm_g[i]);
		if (monitor(m, cmd))
			goto fail;
		snprintf(cmd, sizeof(cmd), "device_add pc-dimm,id=d%d,memdev=m%d", i, i);
		if (monitor(m, cmd))
			goto fail;
	}
	*cpu = cpu_now() - t0;
	*rss = rss_mib() - r0;
	if (mem_total_kib(m) < (boot_g + dimm_g[0] + dimm_g[1]) * 1024 * 1024 * 63 / 64) {
		fprintf(stderr, "bench_big: the guest did not online both DIMMs\n");
		goto fail;
	}
	memhp_free(m);
	return 0;
fail:
	memhp_free(m);
	return -1;
}

/* memset() of Linux's memmap for one GiB (16 MiB) into fresh pages, per GiB */
static double memmap_memset_gib(void)
{
	size_t bytes = (1UL << 30) / 4096 * 64;
	double best = 1e30;
	for (int r = 0; r < 5; r++) {
		char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return -1;
		double t0 = cpu_now();
		memset(p, r + 1, bytes);
		double t = cpu_now() - t0;
		volatile char sink = p[bytes - 1];
		(void)sink;
		munmap(p, bytes);
		if (t < best)
			best = t;
	}
	return best;
}

int main(void)
{
	const char *s = getenv("MEMHP_BENCH_SCALE");
	unsigned scale = s ? (unsigned)atoi(s) : 64;
	double cpu, rss;

	if (scale != 1 && scale != 2 && scale != 4 && scale != 8 && scale != 16 && scale != 32 && scale != 64) {
		fprintf(stderr, "bench_big: MEMHP_BENCH_SCALE is 1, 2, 4, ... or 64\n");
		return 1;
	}
	double ms = memmap_memset_gib();
	if (big_guest(scale, &cpu, &rss)) {
		printf("bench_big: the 64 TiB guest at 1/%u could not be built\n", scale);
		return 1;
	}
	double gib = (2048.0 + 31744.0 + 30720.0) / scale;
	printf("bench_big: 64 TiB guest at 1/%u (%.0f GiB boot + DIMMs of %.0f and %.0f GiB, onlined): %.2f s CPU, "
	       "%.0f MiB RSS; %.2fx a fresh memset of its memmap (%.3f ms/GiB)\n",
	       scale, 2048.0 / scale, 31744.0 / scale, 30720.0 / scale + (scale == 1 ? 3 : 0), cpu, rss,
	       cpu / (ms * gib), ms * 1e3);
	printf("bench_big: at 64 TiB (x%u, linear): %.1f s CPU (target <= %.0f s: %.2fx), %.0f MiB RSS "
	       "(target <= %.0f MiB: %.2fx)\n",
	       scale, cpu * scale, TARGET_S, cpu * scale / TARGET_S, rss * scale, TARGET_MIB,
	       rss * scale / TARGET_MIB);
	return 0;
}
