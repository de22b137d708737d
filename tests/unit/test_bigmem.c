// SPDX-License-Identifier: MIT
/*
 * Big machines: the physical address width of -cpu qemu64,phys-bits=N lets
 * memory reach 64 TiB, and a hot-added DIMM's memmap comes from the guest's
 * own memory, so a small guest cannot take a huge DIMM. Through the public
 * API, as a program would see it.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memhp/memhp.h>

#include "check.h"

static char *monitor(struct memhp *m, const char *cmd)
{
	char *out = NULL;
	memhp_monitor(m, cmd, &out);
	return out ? out : strdup("");
}

static long meminfo_kib(struct memhp *m, const char *field)
{
	char *text = NULL, *p;
	long v = -1;

	if (memhp_read(m, "/proc/meminfo", &text))
		return -1;
	p = strstr(text, field);
	if (p)
		v = strtol(p + strlen(field) + 1, NULL, 10);
	free(text);
	return v;
}

static int nr_blocks(struct memhp *m)
{
	char **names = NULL;
	size_t n = 0;
	int blocks = 0;

	if (memhp_list(m, "/sys/devices/system/memory", &names, &n))
		return -1;
	for (size_t i = 0; i < n; i++)
		blocks += !strncmp(names[i], "memory", 6) && names[i][6] >= '0' && names[i][6] <= '9';
	memhp_free_list(names, n);
	return blocks;
}

static bool dmesg_has(struct memhp *m, const char *s)
{
	char *log = NULL;
	bool r = !memhp_dmesg(m, &log) && strstr(log, s);
	free(log);
	return r;
}

/* a 2 GiB guest: DIMM_GIB takes 1/64 of it in memmap, or fails the add */
static void dimm_into_2g(unsigned dimm_gib, bool fits)
{
	char name[128], cmd[128], *out;
	struct memhp *m = memhp_new("-m 2G,slots=4,maxmem=1T -cpu qemu64,phys-bits=46", NULL);

	snprintf(name, sizeof(name), "2 GiB guest boots with phys-bits=46 and maxmem=1T (%u GiB DIMM)", dimm_gib);
	check(m != NULL, name);
	if (!m)
		return;
	long free0 = meminfo_kib(m, "MemFree:");
	snprintf(cmd, sizeof(cmd), "object_add memory-backend-ram,id=m1,size=%uG,reserve=off", dimm_gib);
	free(monitor(m, cmd));
	out = monitor(m, "device_add pc-dimm,id=d1,memdev=m1");
	snprintf(name, sizeof(name), "device_add of a %u GiB DIMM: QEMU plugs it whatever the guest does", dimm_gib);
	check(!strcmp(out, ""), name);
	free(out);
	long free1 = meminfo_kib(m, "MemFree:");
	int blocks = nr_blocks(m);
	if (fits) {
		snprintf(name, sizeof(name), "%u GiB DIMM: its blocks appear, its memmap (%u MiB) comes from MemFree",
			 dimm_gib, dimm_gib * 16);
		check(blocks == 16 + (int)dimm_gib * 8 && free0 - free1 >= (long)dimm_gib * 16 * 1024, name);
	} else {
		snprintf(name, sizeof(name), "%u GiB DIMM: no block added, add_memory failed, memmaps already "
			 "allocated stay (MemFree %ld kB)", dimm_gib, free1);
		check(blocks == 16 && dmesg_has(m, "acpi PNP0C80:00: add_memory failed") &&
		      dmesg_has(m, "vmemmap alloc failure: order:9") && free1 < free0 / 8, name);
	}
	memhp_free(m);
}

/* memory at the top of a 47-bit device-memory region: the guest addresses 46 bits */
static void test_64t(void)
{
	struct memhp *m = memhp_new("-m 2G,slots=4,maxmem=64T -cpu qemu64,phys-bits=47", NULL);
	char *out;

	check(m != NULL, "phys-bits=47: a guest with maxmem=64T boots");
	if (!m)
		return;
	free(monitor(m, "object_add memory-backend-ram,id=m1,size=1G"));
	free(monitor(m, "object_add memory-backend-ram,id=m2,size=1G"));
	out = monitor(m, "device_add pc-dimm,id=d1,memdev=m1,addr=0x3fffc0000000");
	check(!strcmp(out, "") && nr_blocks(m) == 24, "a DIMM ending at 64 TiB is added (memory524280..524287)");
	free(out);
	check(!memhp_write(m, "/sys/devices/system/memory/memory524287/state", "online_movable", 14),
	      "the block just below 64 TiB goes online");
	out = monitor(m, "device_add pc-dimm,id=d2,memdev=m2,addr=0x400000000000");
	check(!strcmp(out, "") && nr_blocks(m) == 24 &&
	      dmesg_has(m, "Hotplug memory [0x400000000000-0x400040000000] exceeds maximum addressable range "
			"[0-0x3fffffffffff]"), "QEMU plugs a DIMM at 64 TiB; the guest's 46 bits refuse it");
	free(out);
	memhp_free(m);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	dimm_into_2g(96, true);
	dimm_into_2g(128, false);
	test_64t();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
