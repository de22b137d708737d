// SPDX-License-Identifier: MIT
/*
 * The host's view of the guest's persistent-memory disks (host.h): nd_pmem's
 * pmemR over the namespace's media (drivers/nvdimm/nd_media.c), by name,
 * under the machine's lock.
 */
#include "host.h"
#include "api_internal.h"
#include "../drivers/nvdimm/nd_e820.h"
#include "../drivers/nvdimm/nd_media.h"
#include "../kernel/kernel.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* "pmemR" of an existing region: R, else -1 */
static int disk_region(struct kernel *k, const char *name)
{
	int r, n = 0;
	if (!k->nd || !k->nd->registered || sscanf(name, "pmem%d%n", &r, &n) != 1 || name[n] || r < 0 ||
	    r >= k->nd->nr_regions)
		return -1;
	char canon[16];
	snprintf(canon, sizeof(canon), "pmem%d", r);
	return strcmp(canon, name) ? -1 : r;	/* no "pmem01" */
}

void host_blockdev_list(struct memhp *m, struct sbuf *names)
{
	api_lock(m);
	struct kernel *k = guest_kernel(m);
	for (int r = 0; k->nd && k->nd->registered && r < k->nd->nr_regions; r++)
		sb_printf(names, "pmem%d\n", r);
	api_unlock(m);
}

int host_blockdev_size(struct memhp *m, const char *name, uint64_t *size)
{
	api_lock(m);
	struct kernel *k = guest_kernel(m);
	int r = disk_region(k, name), ret = -ENOENT;
	uint64_t off;
	if (r >= 0)
		ret = nd_media_disk(k, r, &off, size);
	api_unlock(m);
	return ret;
}

long host_blockdev_io(struct memhp *m, const char *name, void *buf, size_t len, uint64_t off, bool write)
{
	api_lock(m);
	struct kernel *k = guest_kernel(m);
	int r = disk_region(k, name);
	uint64_t start, size;
	long ret = r < 0 ? -ENOENT : nd_media_disk(k, r, &start, &size);
	if (!ret) {
		if (off >= size)
			len = 0;
		else if (len > size - off)
			len = (size_t)(size - off);
		if (len > 0x7fffffff)
			len = 0x7fffffff;
		ret = write ? nd_media_write(k, r, start + off, buf, len) : nd_media_read(k, r, start + off, buf, len);
		if (!ret)
			ret = (long)len;
	}
	api_unlock(m);
	return ret;
}
