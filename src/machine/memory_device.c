// SPDX-License-Identifier: MIT
/*
 * What every memory device (pc-dimm, virtio-mem-pci) shares, as QEMU 7.2's
 * hw/mem/memory-device.c: the list of them by address that `info
 * memory-devices` and query-memory-devices print
 * (qmp_memory_device_list()), their plugged size (get_plugged_memory_size()),
 * a free place in the device-memory region (memory_device_get_free_addr())
 * and finding one by id or QOM path, for device_del and qom-get/set/list.
 * dimm.c and virtio_mem_pci.c keep what is their own (slots, blocks).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "machine_internal.h"
#include "../lib/alloc.h"

static int cmp_addr(const void *a, const void *b)
{
	const struct memory_device *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* never two at one address; a DIMM first all the same, for a total order */
	return (x->dimm == NULL) - (y->dimm == NULL);
}

int memory_device_list(struct machine *m, struct memory_device **list)
{
	/* QEMU's lists come from g_malloc(), which aborts: an empty list would be a wrong answer */
	struct memory_device *v = xcalloc(ACPI_MAX_RAM_SLOTS + VMEM_MAX, sizeof(*v));
	int n = 0;

	for (int i = 0; i < ACPI_MAX_RAM_SLOTS; i++) {
		struct dimm *d = m->slot[i];

		if (d)
			v[n++] = (struct memory_device){ .addr = d->addr, .size = d->size, .id = d->id, .dimm = d };
	}
	/* a virtio-mem device takes its whole region (max-size) */
	for (int i = 0; i < m->nr_vmem; i++) {
		struct vmem_dev *vm = m->vmem[i];

		v[n++] = (struct memory_device){ .addr = vm->addr, .size = vm->be->size, .id = vm->id, .vmem = vm };
	}
	qsort(v, (size_t)n, sizeof(*v), cmp_addr);
	*list = v;
	return n;
}

uint64_t get_plugged_memory_size(struct machine *m, int node)
{
	return dimm_plugged_size(m, node) + vmem_plugged_size(m, node);
}

bool memory_device_find(struct machine *m, const char *name, enum memory_device_match how,
			struct memory_device *md)
{
	memset(md, 0, sizeof(*md));
	for (int i = 0; i < ACPI_MAX_RAM_SLOTS; i++) {
		struct dimm *d = m->slot[i];

		if (!d)
			continue;
		if (((how & MD_BY_ID) && d->id && !strcmp(d->id, name)) ||
		    ((how & MD_BY_PATH) && !strcmp(d->path, name))) {
			*md = (struct memory_device){ .addr = d->addr, .size = d->size, .id = d->id, .dimm = d };
			return true;
		}
	}
	for (int i = 0; i < m->nr_vmem; i++) {
		struct vmem_dev *v = m->vmem[i];

		if (((how & MD_BY_ID) && v->id && !strcmp(v->id, name)) ||
		    ((how & MD_BY_PATH) && !strcmp(v->path, name))) {
			*md = (struct memory_device){ .addr = v->addr, .size = v->be->size, .id = v->id, .vmem = v };
			return true;
		}
	}
	return false;
}

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* the checks before the walk, in QEMU's order: region, space, alignments, range */
static int check_request(struct machine *m, uint64_t hint, uint64_t size, uint64_t align, struct sbuf *out)
{
	const uint64_t base = m->lay.devmem_base, as_size = m->lay.devmem_size;
	const uint64_t total = m->cfg.maxram_size - m->cfg.ram_size;
	uint64_t used = dimm_plugged_size(m, -1);

	for (int i = 0; i < m->nr_vmem; i++)
		used += m->vmem[i]->be->size;
	if (!as_size) {
		sb_puts(out, "Error: memory devices (e.g. for memory hotplug) are not enabled, "
			"please specify the maxmem option\n");
		return -1;
	}
	if (used + size < used || used + size > total) {
		sb_printf(out, "Error: not enough space, currently 0x%" PRIx64
			  " in use of total space for memory devices 0x%" PRIx64 "\n", used, total);
		return -1;
	}
	if (hint && !IS_ALIGNED(hint, align)) {
		sb_printf(out, "Error: address must be aligned to 0x%" PRIx64 " bytes\n", align);
		return -1;
	}
	if (!IS_ALIGNED(size, align)) {
		sb_printf(out, "Error: backend memory size must be multiple of 0x%" PRIx64 "\n", align);
		return -1;
	}
	if (hint && (hint + size < hint || hint < base || hint + size > base + as_size)) {
		sb_printf(out, "Error: can't add memory device [0x%" PRIx64 ":0x%" PRIx64
			  "], usable range for memory devices [0x%" PRIx64 ":0x%" PRIx64 "]\n",
			  hint, size, base, as_size);
		return -1;
	}
	return 0;
}

int memory_device_get_free_addr(struct machine *m, uint64_t hint, uint64_t size, uint64_t align,
				uint64_t *addr, struct sbuf *out)
{
	const uint64_t base = m->lay.devmem_base, as_size = m->lay.devmem_size;
	uint64_t new_addr = hint ? hint : base;
	struct memory_device *list;
	int n, ret = -1;

	if (check_request(m, hint, size, align, out))
		return -1;
	/* first fit: walk the memory devices by address, hopping over each one we overlap */
	n = memory_device_list(m, &list);
	for (int i = 0; i < n; i++) {
		const struct memory_device *d = &list[i];

		if (ranges_overlap(d->addr, d->size, new_addr, size)) {
			if (hint) {
				sb_printf(out, "Error: address range conflicts with memory device id='%s'\n",
					  d->id ? d->id : "(unnamed)");
				goto out;
			}
			new_addr = ROUND_UP(d->addr + d->size, align);
		} else if (d->addr > new_addr + size - 1) {
			break;
		}
	}
	if (new_addr < base || new_addr + size > base + as_size || new_addr + size < new_addr) {
		sb_puts(out, "Error: could not find position in guest address space for memory device - "
			"memory fragmented due to alignments\n");
		goto out;
	}
	*addr = new_addr;
	ret = 0;
out:
	free(list);
	return ret;
}
