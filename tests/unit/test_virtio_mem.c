// SPDX-License-Identifier: MIT
/*
 * virtio-mem (a memhp extension): QEMU 7.2's virtio-mem-pci device and the
 * Linux 6.1 guest driver in Sub Block Mode. Expectations are those of the
 * oracle recordings in tests/golden/oracle/virtio/ (Linux 6.1.0-56, QEMU
 * 7.2), plus what the driver's source implies where no recording exists:
 * the offline threshold (1 GiB of added-but-offline memory) stops plugging
 * when blocks are not onlined, unplugging a partial block leaves the
 * unplugged subblocks fake-offline (not in MemTotal), and shrinking takes
 * the highest blocks first.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memhp/memhp.h>

#include "check.h"

static char *mon(struct memhp *m, const char *cmd)
{
	char *out = NULL;
	memhp_monitor(m, cmd, &out);
	return out;
}

static void check_mon(struct memhp *m, const char *cmd, const char *want)
{
	char *got = mon(m, cmd), name[256];
	snprintf(name, sizeof(name), "hmp: %s", cmd);
	check(got && !strcmp(got, want), name);
	if (!got || strcmp(got, want))
		printf("#   want: \"%s\"\n#   got:  \"%s\"\n", want, got ? got : "(null)");
	free(got);
}

static long memtotal_kb(struct memhp *m)
{
	char *s = NULL;
	long kb = -1;
	if (!memhp_read(m, "/proc/meminfo", &s) && s)
		sscanf(s, "MemTotal: %ld kB", &kb);
	free(s);
	return kb;
}

static int nr_blocks_from(struct memhp *m, int first)
{
	char **names = NULL;
	size_t n = 0;
	int cnt = 0;
	if (memhp_list(m, "/sys/devices/system/memory", &names, &n))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!strncmp(names[i], "memory", 6) && names[i][6] >= '0' && names[i][6] <= '9' &&
		    atoi(names[i] + 6) >= first)
			cnt++;
	memhp_free_list(names, n);
	return cnt;
}

static bool has_text(struct memhp *m, const char *path, const char *text)
{
	char *s = NULL;
	bool ok = !memhp_read(m, path, &s) && s && strstr(s, text);
	free(s);
	return ok;
}

static void test_cold_and_resize(void)
{
	char *err = NULL;
	struct memhp *m = memhp_new("-m 1G,maxmem=8G -smp 2 -object memory-backend-ram,id=vmem0,size=4G "
				    "-device virtio-mem-pci,id=vm0,memdev=vmem0,node=0,requested-size=512M "
				    "-append \"memhp_default_state=online_movable\"", &err);
	check(m != NULL, "a cold-plugged virtio-mem-pci device boots");
	if (!m) {
		printf("#   %s\n", err ? err : "");
		free(err);
		return;
	}
	long base = memtotal_kb(m);
	check(nr_blocks_from(m, 32) == 4, "512M requested: memory32..35 added");
	check(has_text(m, "/sys/devices/system/memory/memory35/valid_zones", "Movable"), "auto-onlined movable");
	check(has_text(m, "/proc/iomem", "100000000-1ffffffff : virtio0\n  100000000-11fffffff : System RAM (virtio_mem)\n"),
	      "iomem: parent virtio0, one merged System RAM (virtio_mem)");
	check(has_text(m, "/proc/iomem", "  febfc000-febfffff : 0000:00:02.0\n    febfc000-febfffff : virtio-pci-modern\n"),
	      "iomem: the device's BAR");
	check_mon(m, "info memory-devices", "Memory device [virtio-mem]: \"vm0\"\n  memaddr: 0x100000000\n  node: 0\n"
		  "  requested-size: 536870912\n  size: 536870912\n  max-size: 4294967296\n  block-size: 2097152\n"
		  "  memdev: /objects/vmem0\n");

	check_mon(m, "qom-set vm0 requested-size 1G", "");
	check(nr_blocks_from(m, 32) == 8, "grow to 1G: memory32..39");
	check_mon(m, "qom-set vm0 requested-size 256M", "");
	check(nr_blocks_from(m, 32) == 2 && has_text(m, "/sys/devices/system/memory/memory33/state", "online"),
	      "shrink to 256M: the highest blocks go, memory32..33 stay");
	check_mon(m, "qom-set vm0 requested-size 6M", "");
	check(nr_blocks_from(m, 32) == 1, "shrink to 6M: one partially plugged block stays");
	check(memtotal_kb(m) == base - 512 * 1024 + 6 * 1024,
	      "unplugged subblocks are fake-offline: MemTotal counts only the 6 MiB plugged");
	check_mon(m, "qom-set vm0 requested-size 200M", "");
	check(nr_blocks_from(m, 32) == 2 && memtotal_kb(m) == base - 512 * 1024 + 200 * 1024,
	      "grow again: the partial block is filled first, then memory33 is added");

	check_mon(m, "qom-set vm0 requested-size 3M", "Error: 'requested-size' has to be multiples of 'block-size' (0x200000)\n");
	check_mon(m, "qom-set vm0 requested-size 5G", "Error: 'requested-size' cannot exceed the memory backend size(0x100000000)\n");
	check_mon(m, "qom-set vm0 block-size 4M", "Error: 'block-size' cannot be changed\n");
	check_mon(m, "device_del vm0", "Error: virtio based memory devices cannot be unplugged.\n");
	check_mon(m, "object_del vmem0", "Error: object 'vmem0' is in use, can not be deleted\n");
	memhp_free(m);
}

static void test_offline_threshold(void)
{
	struct memhp *m = memhp_new("-m 1G,maxmem=8G -smp 2 -object memory-backend-ram,id=vmem0,size=4G "
				    "-device virtio-mem-pci,id=vm0,memdev=vmem0,requested-size=2G "
				    "-append \"memhp_default_state=offline\"", NULL);
	check(m != NULL, "offline-by-default machine with virtio-mem boots");
	if (!m)
		return;
	/* at most 1 GiB added but offline: 8 blocks, the rest waits for onlining */
	check(nr_blocks_from(m, 32) == 8, "offline threshold: 8 offline blocks, no more");
	char *out = mon(m, "info memory-devices");
	check(out && strstr(out, "  size: 1073741824\n"), "the device has 1G plugged");
	free(out);
	/* an offline, fully plugged block is unplugged and removed first on shrink */
	check_mon(m, "qom-set vm0 requested-size 640M", "");
	check(nr_blocks_from(m, 32) == 5, "shrink with offline blocks: memory37..39 removed");
	memhp_free(m);
}

static void test_hotplug_and_errors(void)
{
	struct memhp *m = memhp_new("-m 1G,maxmem=8G -smp 2 -append \"memhp_default_state=online_movable\"", NULL);
	check(m != NULL, "machine without devices boots");
	if (!m)
		return;
	check_mon(m, "object_add memory-backend-ram,id=vmem1,size=1G", "");
	check_mon(m, "device_add virtio-mem-pci,id=vm1,memdev=vmem1,requested-size=128M", "");
	check(has_text(m, "/proc/iomem", "  2c0000000-2c0003fff : 0000:00:02.0\n    2c0000000-2c0003fff : virtio-pci-modern\n"),
	      "hot-added device: BAR in the 64-bit window");
	check(nr_blocks_from(m, 32) == 1, "hot-added device plugs 128M");
	check_mon(m, "object_add memory-backend-ram,id=vmem2,size=512M", "");
	check_mon(m, "device_add pc-dimm,id=vm1,memdev=vmem2", "Error: Duplicate device ID 'vm1'\n");
	check_mon(m, "device_add virtio-mem-pci,id=vm3,requested-size=128M", "Error: 'memdev' property must be set\n");
	check_mon(m, "device_add virtio-mem-pci,id=vm3,memdev=vmem1", "Error: 'memdev' property specifies a busy memdev: vmem1\n");
	check_mon(m, "device_add virtio-mem-pci,id=vm3,memdev=vmem2,requested-size=3M",
		  "Error: 'requested-size' property has to be multiples of 'block-size' (0x200000)\n");
	/* a DIMM after the virtio-mem region */
	check_mon(m, "device_add pc-dimm,id=d0,memdev=vmem2", "Error: no slots where allocated, please specify the 'slots' option\n");
	memhp_free(m);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_cold_and_resize();
	test_offline_threshold();
	test_hotplug_and_errors();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
