// SPDX-License-Identifier: MIT
/*
 * Embedding memhp: a program drives a machine through the public API only.
 *
 * It boots a 1 GiB guest, hot-plugs a 512 MiB DIMM, watches the memory
 * notifier chain, onlines a block to ZONE_MOVABLE, fills guest pages with a
 * pattern, takes the block offline again (the pages migrate) and checks
 * every byte, then ejects the DIMM. Exit status 0 when all went as Linux
 * would have it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memhp/memhp.h>

static int events[8], nr_events;

static int watch(struct memhp *m, unsigned long action, const struct memhp_memory_notify *arg,
		 void *data)
{
	if (nr_events < 8)
		events[nr_events++] = (int)action;
	printf("notifier: action %lu, pfn %#lx, %lu pages\n", action, arg->start_pfn, arg->nr_pages);
	return MEMHP_NOTIFY_OK;
}

static int fail(const char *what)
{
	fprintf(stderr, "embed: %s\n", what);
	return 1;
}

static int monitor(struct memhp *m, const char *cmd)
{
	char *out = NULL;
	int rc = memhp_monitor(m, cmd, &out);
	if (out && *out)
		printf("(qemu) %s\n%s", cmd, out);
	free(out);
	return rc;
}

int main(void)
{
	char *err = NULL;
	struct memhp *m = memhp_new("-m 1G,slots=4,maxmem=8G -smp 2", &err);
	if (!m) {
		fprintf(stderr, "embed: %s\n", err);
		free(err);
		return 1;
	}
	struct memhp_notifier *n;
	memhp_register_memory_notifier(m, watch, NULL, 0, &n);

	if (monitor(m, "object_add memory-backend-ram,id=mem1,size=512M") ||
	    monitor(m, "device_add pc-dimm,id=dimm1,memdev=mem1"))
		return fail("hot-plug refused");

	const char *state = "/sys/devices/system/memory/memory32/state";
	if (memhp_write(m, state, "online_movable\n", 15))
		return fail("online_movable refused");

	/* 256 pages of guest memory with a pattern; some land in the new Movable block */
	enum { N = 256 };
	struct memhp_page *pages[N];
	for (int i = 0; i < N; i++) {
		pages[i] = memhp_alloc_pages(m, MEMHP_ALLOC_MOVABLE, 0, -1);
		if (!pages[i])
			return fail("allocation failed");
		memhp_get_online_mems(m);
		memset(memhp_page_data(m, pages[i]), i & 0xff, 4096);
		memhp_put_online_mems(m);
	}
	printf("first page at pfn %#lx\n", memhp_page_pfn(pages[0]));

	if (memhp_write(m, state, "offline\n", 8))
		return fail("offline refused");
	int bad = 0;
	memhp_get_online_mems(m);
	for (int i = 0; i < N; i++) {
		const unsigned char *p = memhp_page_data(m, pages[i]);
		for (int j = 0; j < 4096; j++)
			bad += p[j] != (unsigned char)(i & 0xff);
		unsigned long pfn = memhp_page_pfn(pages[i]);
		bad += pfn >= 0x100000 && pfn < 0x108000;	/* nothing may stay in memory32 */
	}
	memhp_put_online_mems(m);
	printf("after offline: first page at pfn %#lx, %d bad bytes\n", memhp_page_pfn(pages[0]), bad);
	if (bad)
		return fail("bytes lost in migration");
	if (nr_events != 4 || events[0] != MEMHP_MEM_GOING_ONLINE || events[1] != MEMHP_MEM_ONLINE ||
	    events[2] != MEMHP_MEM_GOING_OFFLINE || events[3] != MEMHP_MEM_OFFLINE)
		return fail("unexpected notifier events");

	for (int i = 0; i < N; i++)
		memhp_free_pages(m, pages[i]);
	monitor(m, "device_del dimm1");
	char **names;
	size_t count;
	memhp_list(m, "/sys/devices/system/memory", &names, &count);
	int blocks = 0;
	for (size_t i = 0; i < count; i++)
		blocks += !strncmp(names[i], "memory", 6);
	memhp_free_list(names, count);
	printf("memory blocks after eject: %d\n", blocks);
	if (blocks != 8)
		return fail("the DIMM did not go away");
	memhp_unregister_memory_notifier(m, n);
	memhp_free(m);
	printf("embed: ok\n");
	return 0;
}
