// SPDX-License-Identifier: MIT
/*
 * Labelled pmem namespaces (src/drivers/nvdimm/namespace_pmem.c, sysfs_nd_ns.c)
 * at the edges the recorded transcripts do not reach: a region filled with
 * the smallest namespaces its align allows, ids reused lowest first, the
 * seed after a full region, the labels rescanned in DPA order, and sysfs
 * writes that Linux refuses. The rules are those the oracle transcripts of
 * tests/golden/oracle/nvdimm/nvdimm-ns-*.txt show (NOTES.md).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memhp/memhp.h"

static int passed, failed;

static void check(int ok, const char *what)
{
	printf("%s - %s\n", ok ? "ok" : "not ok", what);
	if (ok)
		passed++;
	else
		failed++;
}

/* the guest shell's output of one command line (freed by the caller) */
static char *sh(struct memhp *m, const char *line)
{
	char *out = NULL;
	memhp_shell(m, line, &out);
	return out ? out : strdup("");
}

static bool sh_has(struct memhp *m, const char *line, const char *want)
{
	char *out = sh(m, line);
	bool ok = strstr(out, want) != NULL;
	if (!ok)
		printf("# %s:\n%s\n# wanted: %s\n", line, out, want);
	free(out);
	return ok;
}

static int wr(struct memhp *m, const char *path, const char *text)
{
	return memhp_write(m, path, text, strlen(text));
}

#define NS "/sys/bus/nd/devices/"

int main(void)
{
	struct memhp *m = memhp_new("-m 2G,slots=4,maxmem=8G -smp 2 -machine pc,nvdimm=on "
				    "-object memory-backend-ram,id=nvm1,size=1026M "
				    "-device nvdimm,id=nv1,memdev=nvm1,label-size=128K", NULL);
	check(m != NULL, "nd_label: an NVDIMM machine with a label area");
	if (!m)
		return 1;
	free(sh(m, "modprobe nfit"));
	free(sh(m, "modprobe nd_pmem"));
	free(sh(m, "ndctl disable-region region0"));
	free(sh(m, "ndctl init-labels nmem0"));
	free(sh(m, "ndctl enable-region region0"));

	/* 1 GiB in namespaces of the region's 16 MiB align: 64 of them, then nothing left */
	int made = 0;
	for (int i = 0; i < 64; i++) {
		char *out = sh(m, "ndctl create-namespace -r region0 -s 16M -m raw");
		made += strstr(out, "\"size\":16777216") != NULL;
		free(out);
	}
	check(made == 64, "nd_label: 64 namespaces of 16 MiB fill a 1 GiB region");
	check(sh_has(m, "cat " NS "region0/available_size " NS "region0/max_available_extent " NS "region0/namespace_seed",
		     "0\n0\nnamespace0.64\n"), "nd_label: a full region: nothing available, the seed namespace0.64");
	check(sh_has(m, "ndctl create-namespace -r region0 -s 16M -m raw", "No space left on device"),
	      "nd_label: a full region refuses one more (ENOSPC)");
	check(sh_has(m, "cat " NS "namespace0.63/resource", "0x13f000000"),
	      "nd_label: the last namespace lies at the region's end (first fit)");

	/* destroyed: .5 goes (neither .0 nor the seed), .0 stays idle; ids come back lowest first */
	free(sh(m, "ndctl destroy-namespace -f namespace0.5"));
	free(sh(m, "ndctl destroy-namespace -f namespace0.0"));
	char *all = sh(m, "ls " NS);
	check(strstr(all, "namespace0.4\n") && !strstr(all, "namespace0.5\n"), "nd_label: namespace0.5 is unregistered");
	free(all);
	check(sh_has(m, "cat " NS "namespace0.0/size", "0\n"), "nd_label: namespace0.0 stays, idle");
	check(sh_has(m, "ndctl create-namespace -r region0 -s 16M -m raw", "\"dev\":\"namespace0.0\""),
	      "nd_label: ndctl takes the idle namespace0.0 first");
	check(sh_has(m, "ndctl create-namespace -r region0 -s 16M -m raw", "\"dev\":\"namespace0.64\""),
	      "nd_label: then the seed");
	check(sh_has(m, "cat " NS "region0/namespace_seed", "namespace0.5\n"),
	      "nd_label: the next seed takes the lowest free id");

	/* sysfs writes Linux refuses on the seed */
	check(wr(m, NS "namespace0.5/size", "16777216") == -ENXIO, "nd_label: size before uuid: ENXIO");
	check(wr(m, NS "namespace0.5/uuid", "not-a-uuid") == -EINVAL, "nd_label: a malformed uuid: EINVAL");
	check(wr(m, NS "namespace0.5/uuid", "0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9\n") == 0, "nd_label: uuid set");
	check(wr(m, NS "namespace0.5/size", "16777216") == -ENOSPC, "nd_label: a full region: ENOSPC");
	check(wr(m, NS "namespace0.5/size", "4096") == -EINVAL, "nd_label: a size off the align: EINVAL");
	char name[80];
	memset(name, 'x', 70);
	name[70] = '\0';
	check(wr(m, NS "namespace0.5/alt_name", name) == -EINVAL, "nd_label: an alt_name longer than a label's: EINVAL");
	check(wr(m, NS "namespace0.5/sector_size", "520") == -EINVAL, "nd_label: sector_size 520: EINVAL");
	check(wr(m, NS "namespace0.1/size", "0") == -EBUSY, "nd_label: a bound namespace's size: EBUSY");

	/* the labels outlast the region: renumbered in DPA order, the seed after them */
	free(sh(m, "ndctl disable-region region0"));
	char *ls = sh(m, "ls " NS);
	check(strstr(ls, "region0") && !strstr(ls, "namespace"), "nd_label: a disabled region has no namespaces");
	free(ls);
	free(sh(m, "ndctl enable-region region0"));
	check(sh_has(m, "cat " NS "region0/namespace_seed " NS "namespace0.0/resource " NS "namespace0.63/resource",
		     "namespace0.64\n0x100000000\n0x13f000000\n"),
	      "nd_label: after enable-region 64 namespaces in DPA order and the seed");
	check(sh_has(m, "ndctl init-labels nmem0", "nmem0: regions active, abort label write"),
	      "nd_label: init-labels with the region enabled");
	memhp_free(m);

	/*
	 * A claim on namespace0.1 made through the sysfs ABI libndctl drives:
	 * the dax seed dax0.0 takes it, and dax_pmem's probe names the dax bus
	 * device after the namespace (__dax_pmem_probe() reads region and id
	 * from "namespace%d.%d"): dax0.1, below nd dax0.0, the first dax char
	 * device (252:0). The namespace's holder and mode follow the claim; its
	 * holder_class is busy while claimed (__holder_class_store()).
	 */
	m = memhp_new("-m 2G,slots=4,maxmem=8G -smp 2 -machine pc,nvdimm=on "
		      "-object memory-backend-ram,id=nvm1,size=1026M "
		      "-device nvdimm,id=nv1,memdev=nvm1,label-size=128K", NULL);
	check(m != NULL, "nd_label: a second NVDIMM machine");
	if (!m)
		return 1;
	free(sh(m, "modprobe nfit"));
	free(sh(m, "modprobe nd_pmem"));
	free(sh(m, "modprobe dax_pmem"));
	free(sh(m, "ndctl disable-region region0"));
	free(sh(m, "ndctl init-labels nmem0"));
	free(sh(m, "ndctl enable-region region0"));
	free(sh(m, "ndctl create-namespace -r region0 -s 256M -m raw"));
	free(sh(m, "ndctl create-namespace -r region0 -s 256M -m raw"));
	check(wr(m, "/sys/bus/nd/drivers/nd_pmem/unbind", "namespace0.1\n") == 0, "nd_label: nd_pmem lets go of namespace0.1");
	check(wr(m, NS "namespace0.1/holder_class", "dax\n") == 0, "nd_label: namespace0.1's holder_class dax");
	check(wr(m, NS "dax0.0/uuid", "5c9b0cf3-dc66-4c7a-a1a1-a1d1f6bd7e2b\n") == 0 &&
	      wr(m, NS "dax0.0/mode", "pmem\n") == 0 && wr(m, NS "dax0.0/namespace", "namespace0.1\n") == 0,
	      "nd_label: the dax seed configured with namespace0.1");
	check(sh_has(m, "cat " NS "namespace0.1/holder " NS "namespace0.1/mode " NS "dax0.0/namespace",
		     "dax0.0\ndax\nnamespace0.1\n"), "nd_label: namespace0.1 held by the unprobed seed dax0.0");
	check(wr(m, "/sys/bus/nd/drivers/dax_pmem/bind", "dax0.0\n") == 0, "nd_label: dax_pmem binds dax0.0");
	check(sh_has(m, "ls /sys/bus/dax/devices " NS "dax0.0", "dax0.1\n") &&
	      sh_has(m, "cat " NS "region0/dax_seed /sys/bus/dax/devices/dax0.1/dev " NS "dax0.0/dax_region/id",
		     "dax0.1\n252:0\n0\n"),
	      "nd_label: the dax bus device dax0.1 (namespace0.1's id) below nd dax0.0, the seed dax0.1");
	check(wr(m, NS "namespace0.1/holder_class", "\n") == -EBUSY, "nd_label: a claimed namespace's holder_class: EBUSY");
	check(wr(m, NS "namespace0.1/size", "0") == -EBUSY, "nd_label: a claimed namespace's size: EBUSY");
	/* without device_dax loaded nothing requests the dax device's range (nvdimm-ns-claims-dax) */
	check(sh_has(m, "cat /proc/iomem", "  100000000-10fffffff : namespace0.0\n  110000000-1105fffff : namespace0.1\n380"),
	      "nd_label: namespace0.1's 6 MiB info block in iomem under its own name");
	check(wr(m, NS "dax0.0/namespace", "\n") == -EBUSY, "nd_label: the bound claim keeps its namespace");
	check(wr(m, "/sys/bus/nd/drivers/dax_pmem/unbind", "dax0.0\n") == 0 && wr(m, NS "dax0.0/namespace", "\n") == 0,
	      "nd_label: unbound, dax0.0 gives namespace0.1 back");
	char *ls2 = sh(m, "ls " NS " /sys/bus/dax/devices");
	check(!strstr(ls2, "dax0.0") && strstr(ls2, "dax0.1") && strstr(ls2, "namespace0.1"),
	      "nd_label: dax0.0 unregistered, its dax bus device gone, namespace0.1 kept");
	free(ls2);
	memhp_free(m);

	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
