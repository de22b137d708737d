// SPDX-License-Identifier: MIT
/*
 * What every benchmark measures with: this process's CPU time (user +
 * system, so the host's page faults count) and its resident set.
 */
#ifndef MEMHP_BENCH_CLOCK_H
#define MEMHP_BENCH_CLOCK_H

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static inline double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* resident set size in MiB, from /proc/self/statm; 0 if unread */
static inline double rss_mib(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * (double)sysconf(_SC_PAGESIZE) / (1 << 20);
}

#endif
