// SPDX-License-Identifier: MIT
/* The memhog workload (src/user/memhog.c): its pattern survives migration, and damage is caught. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memhp/memhp.h"
#include "mm/internal.h"
#include "api/api_internal.h"

#include "check.h"

/* Run a guest shell command; its output must be want exactly. */
static void sh(struct memhp *m, const char *cmd, const char *want)
{
	char *out = NULL, name[300];
	memhp_shell(m, cmd, &out);
	snprintf(name, sizeof(name), "$ %s", cmd);
	check(out && !strcmp(out, want), name);
	if (out && strcmp(out, want))
		printf("# got: %s# want: %s", out, want);
	free(out);
}

static void monitor(struct memhp *m, const char *cmd)
{
	char *out = NULL;
	check(memhp_monitor(m, cmd, &out) == 0 && out && !*out, cmd);
	free(out);
}

int main(void)
{
	char *err = NULL;
	struct memhp *m = memhp_new("-m 1G,slots=4,maxmem=8G -smp 2", &err);
	check(m != NULL, "machine");
	if (!m) {
		printf("# %s\n", err ? err : "?");
		printf("%d passed, %d failed\n", passed, failed);
		return 1;
	}
	monitor(m, "object_add memory-backend-ram,id=m1,size=512M");
	monitor(m, "device_add pc-dimm,id=d1,memdev=m1");
	for (int b = 32; b < 36; b++) {
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "echo online_movable > /sys/devices/system/memory/memory%d/state", b);
		sh(m, cmd, "");
	}
	sh(m, "memhog start a 256M", "");
	sh(m, "memhog check a", "memhog: a 256M verified\n");

	/* offlining migrates the memhog's pages out of the blocks; the bytes go with them */
	sh(m, "echo offline > /sys/devices/system/memory/memory32/state", "");
	sh(m, "echo offline > /sys/devices/system/memory/memory33/state", "");
	sh(m, "memhog check a", "memhog: a 256M verified\n");
	int outside = 1;
	for (size_t i = 0; i < (256u << 20) / 4096; i++) {
		unsigned long pfn = memhog_pfn(m, "a", i);
		/* memory32 and memory33: the DIMM's first 256 MiB at 4 GiB */
		if (pfn == -1UL || (pfn >= 0x100000 && pfn < 0x110000))
			outside = 0;
	}
	check(outside, "no page of the memhog is left in the offline blocks");

	/* damage one page behind the memhog's back */
	unsigned char *p = page_address(guest_kernel(m), memhog_pfn(m, "a", 513));
	check(p != NULL, "the page has host memory");
	if (p)
		p[100] ^= 0xff;
	sh(m, "memhog stop a", "memhog: a 1 pages corrupted\n");
	sh(m, "memhog check a", "memhog: a: not running\n");

	sh(m, "memhog start big 100G", "memhog: big: did not start\n");
	sh(m, "memhog start b 12Q", "memhog: bad command\n");
	sh(m, "memhog start c 4K; memhog stop c", "memhog: c 4K verified\n");
	/* as the oracle's guest tool: a second start of a running NAME takes the name over, silently */
	sh(m, "memhog start d 1M; memhog start d 2M; echo $?", "0\n");
	sh(m, "memhog check d", "memhog: d 2M verified\n");
	sh(m, "memhog stop d; memhog check d", "memhog: d 2M verified\nmemhog: d: not running\n");
	memhp_free(m);
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
