// SPDX-License-Identifier: MIT
/*
 * The threading contract of include/memhp/memhp.h, through the public API
 * only: reader threads (memhp_read of /proc/zoneinfo, /proc/meminfo and
 * memory block files, memhp_list) run against writer threads (online and
 * offline of a block, DIMM hot-add and hot-remove through memhp_monitor,
 * page allocation with the bytes checked under memhp_get_online_mems) on
 * one machine. Run under ThreadSanitizer in CI (make SAN=tsan check-threads):
 * any data race fails it. Then memhp_cancel_offline() semantics: a cancel
 * made before an offline does not touch it; one made from another thread
 * during a blocked offline ends it with -EINTR.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <memhp/memhp.h>

#include "check.h"

#define STATE32 "/sys/devices/system/memory/memory32/state"

static struct memhp *m;
static _Atomic int stop;
static _Atomic int unexpected;	/* a result outside what the operation may return */
static _Atomic long reads, onlines, offlines, hotplugs, page_rounds, bad_bytes;

static void note_unexpected(const char *what, int rc)
{
	atomic_fetch_add(&unexpected, 1);
	printf("#   unexpected: %s: %d\n", what, rc);
}

static void *reader(void *arg)
{
	static const char *const files[] = {
		"/proc/zoneinfo", "/proc/meminfo", STATE32, "/sys/devices/system/memory/memory32/valid_zones",
		"/sys/devices/system/memory/memory34/state", "/sys/devices/system/node/node0/meminfo",
	};
	unsigned i = (unsigned)(size_t)arg;
	while (!atomic_load(&stop)) {
		const char *path = files[i++ % (sizeof(files) / sizeof(files[0]))];
		char *out = NULL;
		int rc = memhp_read(m, path, &out);
		/* memory34 comes and goes with the hot-plugged DIMM */
		if (rc && !(rc == -ENOENT && strstr(path, "memory34")))
			note_unexpected(path, rc);
		if (!rc && !strcmp(path, STATE32) && strcmp(out, "online\n") && strcmp(out, "offline\n") &&
		    strcmp(out, "going-offline\n"))
			note_unexpected("a half-made state", 0);
		free(out);

		char **names;
		size_t n;
		rc = memhp_list(m, "/sys/devices/system/memory", &names, &n);
		if (rc || n < 8)
			note_unexpected("memhp_list", rc);
		memhp_free_list(names, n);
		atomic_fetch_add(&reads, 1);
	}
	return NULL;
}

/* online_movable and offline of memory32, again and again; offline may meet a cancel */
static void *online_offline(void *arg)
{
	for (int i = 0; i < 25; i++) {
		int rc = memhp_write(m, STATE32, "online_movable", 14);
		if (rc && rc != -EINVAL)	/* already online: state_store's -EINVAL */
			note_unexpected("online", rc);
		atomic_fetch_add(&onlines, 1);
		rc = memhp_write(m, STATE32, "offline", 7);
		if (rc && rc != -EINTR && rc != -EBUSY)
			note_unexpected("offline", rc);
		atomic_fetch_add(&offlines, 1);
	}
	return NULL;
}

static int monitor(const char *cmd)
{
	char *out = NULL;
	int rc = memhp_monitor(m, cmd, &out);
	if (rc)
		printf("#   (qemu) %s: %d %s", cmd, rc, out ? out : "\n");
	free(out);
	return rc;
}

/* a second DIMM (memory34, 35) hot-added offline and removed, again and again */
static void *hotplug(void *arg)
{
	for (int i = 0; i < 15; i++) {
		if (monitor("object_add memory-backend-ram,id=hot,size=256M") ||
		    monitor("device_add pc-dimm,id=hotdimm,memdev=hot") || monitor("device_del hotdimm") ||
		    monitor("object_del hot"))
			note_unexpected("hot-add/remove cycle", i);
		atomic_fetch_add(&hotplugs, 1);
	}
	return NULL;
}

/* movable pages filled with a pattern, checked after whatever migrated them, freed */
static void *pages(void *arg)
{
	enum { N = 32 };
	struct memhp_page *p[N];
	for (int round = 0; round < 25; round++) {
		for (int i = 0; i < N; i++) {
			p[i] = memhp_alloc_pages(m, MEMHP_ALLOC_MOVABLE, 0, -1);
			if (!p[i]) {
				note_unexpected("memhp_alloc_pages", round);
				continue;
			}
			memhp_get_online_mems(m);
			memset(memhp_page_data(m, p[i]), (round * N + i) & 0xff, 4096);
			memhp_put_online_mems(m);
		}
		for (int i = 0; i < N; i++) {
			if (!p[i])
				continue;
			memhp_get_online_mems(m);
			const unsigned char *d = memhp_page_data(m, p[i]);
			long bad = 0;
			for (int j = 0; j < 4096; j++)
				bad += d[j] != (unsigned char)((round * N + i) & 0xff);
			memhp_put_online_mems(m);
			atomic_fetch_add(&bad_bytes, bad);
			memhp_free_pages(m, p[i]);
		}
		atomic_fetch_add(&page_rounds, 1);
	}
	return NULL;
}

/* memhp_cancel_offline() from yet another thread, as a signal would come */
static void *canceller(void *arg)
{
	struct timespec ts = { 0, 2 * 1000 * 1000 };
	while (!atomic_load(&stop)) {
		memhp_cancel_offline(m);
		nanosleep(&ts, NULL);
	}
	return NULL;
}

static void test_readers_and_writers(void)
{
	char *err = NULL;
	m = memhp_new("-m 1G,slots=4,maxmem=8G -smp 2 -append \"memhp_default_state=offline\"", &err);
	check(m != NULL, "threads: machine");
	if (!m) {
		printf("#   %s\n", err);
		free(err);
		return;
	}
	check(monitor("object_add memory-backend-ram,id=m1,size=256M") == 0 &&
	      monitor("device_add pc-dimm,id=d1,memdev=m1") == 0, "threads: a DIMM for memory32");

	pthread_t r[3], w[3], c;
	for (int i = 0; i < 3; i++)
		pthread_create(&r[i], NULL, reader, (void *)(size_t)i);
	pthread_create(&c, NULL, canceller, NULL);
	pthread_create(&w[0], NULL, online_offline, NULL);
	pthread_create(&w[1], NULL, hotplug, NULL);
	pthread_create(&w[2], NULL, pages, NULL);
	for (int i = 0; i < 3; i++)
		pthread_join(w[i], NULL);
	atomic_store(&stop, 1);
	for (int i = 0; i < 3; i++)
		pthread_join(r[i], NULL);
	pthread_join(c, NULL);

	printf("#   %ld reads, %ld onlines, %ld offlines, %ld hot-plug cycles, %ld page rounds\n",
	       atomic_load(&reads), atomic_load(&onlines), atomic_load(&offlines), atomic_load(&hotplugs),
	       atomic_load(&page_rounds));
	check(atomic_load(&unexpected) == 0, "threads: every call returned what it may return");
	check(atomic_load(&bad_bytes) == 0, "threads: page bytes survive concurrent offlines");
	check(atomic_load(&reads) > 0 && atomic_load(&hotplugs) == 15 && atomic_load(&page_rounds) == 25,
	      "threads: every thread ran to its end");

	/* after the storm the machine is whole: memory32 offlines, the hot DIMM is gone */
	memhp_write(m, STATE32, "offline", 7);
	char *state = NULL;
	memhp_read(m, STATE32, &state);
	check(state && !strcmp(state, "offline\n"), "threads: memory32 ends offline");
	free(state);
	check(memhp_read(m, "/sys/devices/system/memory/memory34/state", &state) == -ENOENT,
	      "threads: the hot-plugged DIMM is gone");
	memhp_free(m);
	m = NULL;
}

/* ---- memhp_cancel_offline() ---- */

static struct memhp_page *pinned;
static _Atomic int offline_rc = 1;

static void *blocked_offline(void *arg)
{
	atomic_store(&offline_rc, memhp_write(m, STATE32, "offline", 7));
	return NULL;
}

static void test_cancel(void)
{
	m = memhp_new("-m 1G,slots=4,maxmem=8G -smp 2", NULL);
	monitor("object_add memory-backend-ram,id=m1,size=256M");
	monitor("device_add pc-dimm,id=d1,memdev=m1");
	memhp_write(m, STATE32, "online_movable", 14);

	memhp_cancel_offline(m);
	check(memhp_write(m, STATE32, "offline", 7) == 0,
	      "cancel: a cancel made before an offline does not cancel it");
	memhp_write(m, STATE32, "online_movable", 14);

	pinned = memhp_alloc_pages(m, MEMHP_ALLOC_MOVABLE, 0, -1);
	memhp_pin_page(m, pinned);
	pthread_t t;
	pthread_create(&t, NULL, blocked_offline, NULL);
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	check(atomic_load(&offline_rc) == 1, "cancel: offline of a block with a pinned page waits");
	memhp_cancel_offline(m);
	pthread_join(t, NULL);
	check(atomic_load(&offline_rc) == -EINTR, "cancel: memhp_cancel_offline from another thread: EINTR");
	char *state = NULL;
	memhp_read(m, STATE32, &state);
	check(state && !strcmp(state, "online\n"), "cancel: the block is online again");
	free(state);
	memhp_unpin_page(m, pinned);
	check(memhp_write(m, STATE32, "offline", 7) == 0, "cancel: the spent cancel leaves the next offline alone");
	memhp_free_pages(m, pinned);
	memhp_free(m);
	m = NULL;
}

int main(void)
{
	test_readers_and_writers();
	test_cancel();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
