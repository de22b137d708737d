// SPDX-License-Identifier: MIT
/*
 * Issue 13's reliability bugs, each pinned: mem= leaving no RAM, guests
 * smaller than the kernel image (their leaks show under make SAN=asan, LSan
 * at exit), more than 64 memory groups, offline_and_remove_memory over more
 * than 4096 blocks.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <memhp/memhp.h>
#include "kernel/kernel.h"
#include "mm/memory_hotplug.h"
#include "api/api_internal.h"
#include "check.h"

static void on_alarm(int sig)
{
	(void)sig;
	static const char msg[] = "not ok - a boot hangs (mem= leaving no RAM)\n";
	ssize_t w = write(1, msg, sizeof(msg) - 1);
	(void)w;
	_exit(1);
}

int main(void)
{
	char *err = NULL, *out = NULL;

	/* mem= below one page of RAM: Linux cannot run; the boot fails, with a reason, promptly */
	signal(SIGALRM, on_alarm);
	alarm(20);
	static const char *const none[] = { "-m 1G -append mem=4K", "-m 1G -append mem=300" };
	for (int i = 0; i < 2; i++) {
		struct memhp *m = memhp_new(none[i], &err);
		char name[128];
		snprintf(name, sizeof(name), "%s: the guest fails to boot with a message", none[i]);
		check(!m && err && strstr(err, "failed to boot"), name);
		free(err);
		err = NULL;
		memhp_free(m);
	}
	alarm(0);

	/* smaller than the kernel image: boots, without the image's resources, and frees everything */
	static const char *const small[] = { "-m 64", "-m 1G -append mem=17M", "-m 1G -append mem=1100K" };
	for (int i = 0; i < 3; i++) {
		struct memhp *m = memhp_new(small[i], &err);
		int ok = m && memhp_read(m, "/proc/iomem", &out) == 0;
		char name[128];
		snprintf(name, sizeof(name), "%s: boots and reads /proc/iomem (no leak under LSan)", small[i]);
		check(ok, name);
		free(out);
		out = NULL;
		free(err);
		err = NULL;
		memhp_free(m);
	}

	/* 66 DIMMs, each its own memory group: every one gets its memory block (Linux has no 64 limit) */
	struct memhp *m = memhp_new("-m 1G,slots=256,maxmem=64G", &err);
	int missing = 0;
	for (int i = 0; m && i < 66; i++) {
		char cmd[128], path[96];
		snprintf(cmd, sizeof(cmd), "object_add memory-backend-ram,id=m%d,size=128M", i);
		memhp_monitor(m, cmd, &out);
		free(out);
		snprintf(cmd, sizeof(cmd), "device_add pc-dimm,id=d%d,memdev=m%d", i, i);
		memhp_monitor(m, cmd, &out);
		free(out);
		/* DIMMs go up from 4 GiB in 128 MiB steps: block 32 + i */
		snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%d/state", 32 + i);
		if (memhp_read(m, path, &out) || strcmp(out, "offline\n"))
			missing++;
		free(out);
	}
	check(m && !missing, "66 DIMMs: each has its memory block (no 64-group limit)");

	/* offline_and_remove_memory over 4097 blocks: no artificial -ENOMEM */
	struct kernel *k = guest_kernel(m);
	uint64_t bs = k->block_size;
	int rc = offline_and_remove_memory(k, 1ULL << 40, 4097 * bs);
	check(rc != -ENOMEM, "offline_and_remove_memory over 4097 blocks is not refused for its size");
	memhp_free(m);

	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
