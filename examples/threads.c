// SPDX-License-Identifier: MIT
/*
 * One machine, several threads: what the threading contract of
 * <memhp/memhp.h> allows.
 *
 * A watcher thread polls /proc/meminfo until MemTotal has grown by the
 * DIMM's 512 MiB. Meanwhile the main thread hot-plugs the DIMM and onlines
 * its four blocks, and a worker thread keeps guest pages filled with a
 * pattern, reading them under memhp_get_online_mems() (the lock-free reader
 * path). Every call takes the machine's lock by itself: the program needs
 * none of its own. Exit status 0 when the watcher saw the growth and no
 * byte changed.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <memhp/memhp.h>

static struct memhp *m;
static _Atomic int done;

static long mem_total_kb(void)
{
	char *info = NULL;
	long kb = -1;
	if (memhp_read(m, "/proc/meminfo", &info) == 0)
		sscanf(info, "MemTotal: %ld kB", &kb);
	free(info);
	return kb;
}

static void *watcher(void *arg)
{
	long boot = *(long *)arg, now = boot;
	struct timespec ms = { 0, 1000 * 1000 };
	while (now - boot < 512 * 1024 && !atomic_load(&done)) {
		nanosleep(&ms, NULL);
		now = mem_total_kb();
	}
	now = mem_total_kb();	/* after the last online, if the loop ended on done */
	printf("watcher: MemTotal %ld kB -> %ld kB\n", boot, now);
	return (void *)(size_t)(now - boot >= 512 * 1024);
}

static void *worker(void *arg)
{
	(void)arg;
	long bad = 0;
	for (int round = 0; round < 20; round++) {
		struct memhp_page *p = memhp_alloc_pages(m, MEMHP_ALLOC_MOVABLE, 0, -1);
		if (!p)
			return (void *)-1L;
		memhp_get_online_mems(m);
		unsigned char *d = memhp_page_data(m, p);
		memset(d, round, 4096);
		for (int i = 0; i < 4096; i++)
			bad += d[i] != round;
		memhp_put_online_mems(m);
		memhp_free_pages(m, p);
	}
	printf("worker: 20 pages written and read back, %ld bad bytes\n", bad);
	return (void *)bad;
}

int main(void)
{
	char *err = NULL;
	m = memhp_new("-m 1G,slots=4,maxmem=8G -smp 2", &err);
	if (!m) {
		fprintf(stderr, "threads: %s\n", err);
		free(err);
		return 1;
	}
	long boot = mem_total_kb();
	pthread_t w, k;
	pthread_create(&w, NULL, watcher, &boot);
	pthread_create(&k, NULL, worker, NULL);

	int rc = memhp_monitor(m, "object_add memory-backend-ram,id=mem1,size=512M", NULL);
	if (!rc)
		rc = memhp_monitor(m, "device_add pc-dimm,id=dimm1,memdev=mem1", NULL);
	for (int b = 32; b < 36 && !rc; b++) {
		char path[64];
		snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%d/state", b);
		rc = memhp_write(m, path, "online", 6);
	}
	if (rc)
		fprintf(stderr, "threads: hot-plug failed: %d\n", rc);
	atomic_store(&done, 1);	/* the watcher stops even if the memory never came */

	void *saw, *bad;
	pthread_join(w, &saw);
	pthread_join(k, &bad);
	memhp_free(m);
	int ok = !rc && saw && bad == NULL;
	printf("threads: %s\n", ok ? "ok" : "FAILED");
	return !ok;
}
