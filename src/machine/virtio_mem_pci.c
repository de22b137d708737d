// SPDX-License-Identifier: MIT
/*
 * virtio-mem-pci devices (QEMU 7.2's hw/virtio/virtio-mem.c and
 * virtio-mem-pci.c), a memhp extension beyond the scenario format's list.
 *
 * A device owns a memory backend as its whole region (max-size) in the
 * device-memory area, placed like a DIMM, and a bitmap of plugged blocks
 * (block-size, 2 MiB by default). `size` is what the guest has plugged;
 * `requested-size` (qom-set) is what the host asks for. The guest driver
 * (src/drivers/virtio_mem.c) sends plug/unplug requests, checked here as
 * QEMU checks them. Devices cannot be unplugged (QEMU 7.2 refuses).
 */
#include <errno.h>
#include "../lib/alloc.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine_internal.h"
#include "../drivers/virtio_mem.h"

/* hw/virtio/virtio-mem.c */
#define VIRTIO_MEM_MIN_BLOCK_SIZE	(1 * MiB)
#define VIRTIO_MEM_DEFAULT_BLOCK_SIZE	(2 * MiB)	/* the host's THP size on x86-64 */
#define VIRTIO_MEM_USABLE_EXTENT	(2 * 128 * MiB)
/* the modern virtio-pci BAR (4 capabilities of 4 KiB) */
#define VIRTIO_PCI_BAR_SIZE		0x4000ULL
/* SeaBIOS places the first cold device's BAR here, the next ones below */
#define PCI_BAR32_TOP			0xfec00000ULL

struct vmem_dev *vmem_find(struct machine *m, const char *id)
{
	for (int i = 0; i < m->nr_vmem; i++) {
		struct vmem_dev *v = m->vmem[i];
		if ((v->id && !strcmp(v->id, id)) || !strcmp(v->path, id))
			return v;
	}
	return NULL;
}

bool vmem_is_driver(const char *args)
{
	struct opt_list l;
	bool is = false;

	opts_split(args, &l);
	for (size_t i = 0; i < l.n; i++) {
		const char *k = l.v[i].key, *v = l.v[i].val;
		if ((i == 0 && !v && !strcmp(k, "virtio-mem-pci")) ||
		    (!strcmp(k, "driver") && v && !strcmp(v, "virtio-mem-pci")))
			is = true;
	}
	opts_free(&l);
	return is;
}

uint64_t vmem_plugged_size(struct machine *m, int node)
{
	uint64_t sum = 0;
	for (int i = 0; i < m->nr_vmem; i++)
		if (node < 0 || (int)m->vmem[i]->node == node)
			sum += m->vmem[i]->size;
	return sum;
}

void *vmem_host_ptr(struct machine *m, uint64_t paddr, uint64_t len)
{
	for (int i = 0; i < m->nr_vmem; i++) {
		const struct vmem_dev *v = m->vmem[i];
		if (paddr >= v->addr && paddr - v->addr < v->be->size && len <= v->be->size - (paddr - v->addr))
			return (char *)v->be->host + (paddr - v->addr);
	}
	return NULL;
}

/* virtio_mem_resize_usable_region() */
static void resize_usable_region(struct vmem_dev *v, uint64_t requested, bool can_shrink)
{
	uint64_t newsize = requested + VIRTIO_MEM_USABLE_EXTENT;

	if (newsize > v->be->size)
		newsize = v->be->size;
	if (!requested)
		newsize = 0;
	newsize = ROUND_UP(newsize, v->block_size);
	if (newsize < v->usable_region_size && !can_shrink)
		return;
	v->usable_region_size = newsize;
}

/* ---- the virtqueue and the config space, as the guest driver sees them ---- */

static bool range_plugged(const struct vmem_dev *v, uint64_t first, uint64_t nb, bool plugged)
{
	for (uint64_t i = first; i < first + nb; i++)
		if (!!v->bitmap[i] != plugged)
			return false;
	return true;
}

/*
 * virtio_mem_pci_size_change_notify(): every change of the plugged size is a
 * MEMORY_DEVICE_SIZE_CHANGE event (the QMP server rate-limits it per qom-path).
 */
static void size_changed(struct vmem_dev *v)
{
	struct sbuf b = SBUF_INIT;

	if (!v->machine)
		return;
	sb_puts(&b, "{");
	if (v->id)
		sb_printf(&b, "\"id\": \"%s\", ", v->id);	/* ids are identifiers: nothing to escape */
	sb_printf(&b, "\"size\": %" PRIu64 ", \"qom-path\": \"%s\"}", v->size, v->path);
	machine_emit_event(v->machine, "MEMORY_DEVICE_SIZE_CHANGE", sb_str(&b));
	sb_free(&b);
}

static int vmem_request(void *opaque, int type, uint64_t addr, uint64_t nb_blocks)
{
	struct vmem_dev *v = opaque;
	uint64_t size = nb_blocks * v->block_size, first;

	if (type == VIRTIO_MEM_REQ_UNPLUG_ALL) {
		memset(v->bitmap, 0, v->nb_blocks);
		if (v->size) {
			v->size = 0;
			size_changed(v);
		}
		resize_usable_region(v, v->requested_size, true);
		return VIRTIO_MEM_RESP_ACK;
	}
	if (type != VIRTIO_MEM_REQ_PLUG && type != VIRTIO_MEM_REQ_UNPLUG)
		return VIRTIO_MEM_RESP_ERROR;
	/* virtio_mem_valid_range() */
	if (!nb_blocks || addr % v->block_size || addr < v->addr || size / v->block_size != nb_blocks ||
	    addr + size < addr || addr + size > v->addr + v->usable_region_size)
		return VIRTIO_MEM_RESP_ERROR;
	if (type == VIRTIO_MEM_REQ_PLUG && v->size + size > v->requested_size)
		return VIRTIO_MEM_RESP_NACK;
	first = (addr - v->addr) / v->block_size;
	if (!range_plugged(v, first, nb_blocks, type != VIRTIO_MEM_REQ_PLUG))
		return VIRTIO_MEM_RESP_ERROR;
	memset(v->bitmap + first, type == VIRTIO_MEM_REQ_PLUG, nb_blocks);
	if (type == VIRTIO_MEM_REQ_PLUG)
		v->size += size;
	else
		v->size -= size;
	size_changed(v);
	return VIRTIO_MEM_RESP_ACK;
}

static void vmem_get_config(void *opaque, struct virtio_mem_config *c)
{
	struct vmem_dev *v = opaque;

	c->block_size = v->block_size;
	c->node_id = (uint16_t)v->node;
	c->addr = v->addr;
	c->region_size = v->be->size;
	c->usable_region_size = v->usable_region_size;
	c->plugged_size = v->size;
	c->requested_size = v->requested_size;
}

static const struct virtio_mem_dev_ops vmem_ops = {
	.request = vmem_request,
	.get_config = vmem_get_config,
};

/* The guest's PCI core and virtio_pci find the device, virtio_mem binds to it. */
void vmem_guest_probe(struct machine *m, struct vmem_dev *v)
{
	struct virtio_mem_pci pci = {
		.pci_name = v->pci_name, .bar_start = v->bar_addr, .bar_size = VIRTIO_PCI_BAR_SIZE,
	};

	if (m->k && !v->drv)
		v->drv = virtio_mem_probe(m->k, &pci, &vmem_ops, v);
}

void vmem_probe_cold(struct machine *m)
{
	for (int i = 0; i < m->nr_vmem; i++)
		vmem_guest_probe(m, m->vmem[i]);
}

/* ---- device_add virtio-mem-pci ---- */

static int bad_prop(struct sbuf *out, const char *name, const char *type)
{
	sb_printf(out, "Error: Parameter '%s' expects %s\n", name, type);
	return -1;
}

int vmem_device_add(struct machine *m, const char *args, struct sbuf *out)
{
	struct opt_list l;
	const char *id = NULL, *memdev = NULL, *unknown = NULL;
	uint64_t requested = 0, block_size = 0, addr_hint = 0;
	int64_t node = 0;
	struct backend *be;
	struct vmem_dev *v = NULL;
	uint64_t addr;
	int ret = -1, nodes;

	opts_split(args, &l);
	for (size_t i = 0; i < l.n; i++) {
		const char *k = l.v[i].key, *val = l.v[i].val ? l.v[i].val : "";
		if ((i == 0 && !l.v[i].val) || !strcmp(k, "driver"))
			continue;
		if (!strcmp(k, "id"))
			id = val;
		else if (!strcmp(k, "memdev"))
			memdev = val;
		else if (strcmp(k, "node") && strcmp(k, "requested-size") && strcmp(k, "block-size") &&
			 strcmp(k, "memaddr") && !unknown)
			unknown = k;
	}
	if (id) {
		if (!id_wellformed(id)) {
			sb_puts(out, "Error: Parameter 'id' expects an identifier\n"
				"Identifiers consist of letters, digits, '-', '.', '_', starting with a letter.\n");
			goto out;
		}
		if (vmem_find(m, id) || dimm_id_in_use(m, id)) {
			sb_printf(out, "Error: Duplicate device ID '%s'\n", id);
			goto out;
		}
	}
	if (memdev && !qom_table_lookup(m->objects, memdev)) {
		sb_printf(out, "Error: Device '%s' not found\n", memdev);
		goto out;
	}
	if (unknown && vmem_qom_has_prop(unknown)) {
		/* QEMU has it (device_add virtio-mem-pci,help): not silently dropped, not "not found" */
		sb_printf(out, "Error: memhp: property 'virtio-mem-pci.%s' is not modelled\n", unknown);
		goto out;
	}
	if (unknown) {
		sb_printf(out, "Error: Property 'virtio-mem-pci.%s' not found\n", unknown);
		goto out;
	}
	for (size_t i = 0; i < l.n; i++) {
		const char *k = l.v[i].key, *val = l.v[i].val ? l.v[i].val : "";
		if (!strcmp(k, "node")) {
			if (parse_int64(val, &node) || node < 0 || node > UINT32_MAX) {
				bad_prop(out, "node", "uint32_t");
				goto out;
			}
		} else if (!strcmp(k, "requested-size")) {
			if (parse_size(val, 1, &requested)) {
				bad_prop(out, "requested-size", "a non-negative number below 2^64");
				goto out;
			}
		} else if (!strcmp(k, "block-size")) {
			if (parse_size(val, 1, &block_size)) {
				bad_prop(out, "block-size", "a non-negative number below 2^64");
				goto out;
			}
			if (block_size < VIRTIO_MEM_MIN_BLOCK_SIZE) {
				sb_printf(out, "Error: 'block-size' property has to be at least 0x%" PRIx64 "\n",
					  (uint64_t)VIRTIO_MEM_MIN_BLOCK_SIZE);
				goto out;
			}
			if (block_size & (block_size - 1)) {
				sb_puts(out, "Error: 'block-size' property has to be a power of two\n");
				goto out;
			}
		} else if (!strcmp(k, "memaddr")) {
			if (parse_uint64(val, &addr_hint)) {
				bad_prop(out, "memaddr", "integer");
				goto out;
			}
		}
	}
	if (!block_size)
		block_size = VIRTIO_MEM_DEFAULT_BLOCK_SIZE;
	if (!memdev) {
		sb_puts(out, "Error: 'memdev' property must be set\n");
		goto out;
	}
	be = qom_table_lookup(m->objects, memdev);
	/* memory_device_pre_plug(): the place, aligned to the block size */
	if (memory_device_get_free_addr(m, addr_hint, be->size,
					block_size > BACKEND_ALIGN ? block_size : BACKEND_ALIGN, &addr, out))
		goto out;
	/* virtio_mem_device_realize() */
	nodes = m->cfg.nr_nodes;
	if ((nodes > 0 && node >= nodes) || (!nodes && node)) {
		sb_printf(out, "Error: 'node' property has value '%" PRId64 "', which exceeds the number of "
			  "numa nodes: %d\n", node, nodes ? nodes : 1);
		goto out;
	}
	if (be->mapped) {
		sb_printf(out, "Error: 'memdev' property specifies a busy memdev: %s\n", be->id);
		goto out;
	}
	if (requested % block_size) {
		sb_printf(out, "Error: 'requested-size' property has to be multiples of 'block-size' (0x%"
			  PRIx64 ")\n", block_size);
		goto out;
	}
	if (be->size % block_size) {
		sb_printf(out, "Error: 'size' property has to be multiples of 'block-size' (0x%" PRIx64 ")\n",
			  block_size);
		goto out;
	}
	/* (a requested-size above the backend's size is accepted at realize on QEMU 7.2) */
	if (m->nr_vmem >= VMEM_MAX) {
		sb_puts(out, "Error: too many virtio-mem devices\n");
		goto out;
	}

	v = mh_calloc(1, sizeof(*v));
	if (v)
		v->machine = m;
	if (!v)
		goto oom;
	v->nb_blocks = be->size / block_size;
	v->bitmap = mh_calloc(v->nb_blocks ? v->nb_blocks : 1, 1);
	v->id = id ? mh_strdup(id) : NULL;
	{
		struct sbuf p = SBUF_INIT;
		if (!id)
			m->anon_devices++;
		if (id)
			sb_printf(&p, "/machine/peripheral/%s", id);
		else
			sb_printf(&p, "/machine/peripheral-anon/device[%u]", m->anon_devices - 1);
		v->path = sb_detach(&p);
	}
	if (!v->bitmap || (id && !v->id) || !v->path)
		goto oom;
	v->be = be;
	v->node = (uint32_t)node;
	v->addr = addr;
	v->block_size = block_size;
	v->requested_size = requested;
	resize_usable_region(v, requested, true);
	v->hotplugged = m->k != NULL;
	/* the next free PCI slot after the host bridge and the PIIX3 (00:00.0, 00:01.x) */
	v->pci_slot = 2 + m->nr_vmem;
	snprintf(v->pci_name, sizeof(v->pci_name), "0000:00:%02x.0", v->pci_slot);
	if (v->hotplugged) {
		/* the guest's PCI core assigns hot-added BARs in the 64-bit window */
		v->bar_addr = m->lay.hole64_start + VIRTIO_PCI_BAR_SIZE * (uint64_t)m->nr_hot_pci;
		m->nr_hot_pci++;
	} else {
		/* SeaBIOS: 32-bit BARs from the top of the PCI hole down */
		v->bar_addr = PCI_BAR32_TOP - VIRTIO_PCI_BAR_SIZE * (uint64_t)(m->nr_vmem + 1);
	}
	be->mapped = true;

	pthread_rwlock_wrlock(&m->dimm_lock);
	m->vmem[m->nr_vmem++] = v;
	pthread_rwlock_unlock(&m->dimm_lock);
	vmem_guest_probe(m, v);
	ret = 0;
	goto out;
oom:
	if (v) {
		free(v->bitmap);
		free(v->id);
		free(v->path);
		free(v);
	}
	sb_puts(out, "Error: out of memory\n");
out:
	opts_free(&l);
	return ret;
}

/* ---- qom-set ID requested-size SIZE ---- */

int vmem_qom_set(struct machine *m, const char *path, const char *prop, const char *value, struct sbuf *out)
{
	struct vmem_dev *v = vmem_find(m, path);
	uint64_t val;

	if (!v) {
		sb_printf(out, "Error: Device '%s' not found\n", path);
		return -1;
	}
	if (!strcmp(prop, "block-size")) {
		sb_puts(out, "Error: 'block-size' cannot be changed\n");
		return -1;
	}
	if (!strcmp(prop, "size")) {
		sb_puts(out, "Error: Property 'virtio-mem-pci.size' is read-only\n");
		return -1;
	}
	if (strcmp(prop, "requested-size")) {
		sb_printf(out, "Error: Property '%s' not found\n", prop);
		return -1;
	}
	if (parse_size(value, 1, &val)) {
		sb_printf(out, "Error: Parameter 'requested-size' expects a non-negative number below 2^64\n");
		return -1;
	}
	if (val % v->block_size) {
		sb_printf(out, "Error: 'requested-size' has to be multiples of 'block-size' (0x%" PRIx64 ")\n",
			  v->block_size);
		return -1;
	}
	if (val > v->be->size) {
		sb_printf(out, "Error: 'requested-size' cannot exceed the memory backend size(0x%" PRIx64 ")\n",
			  v->be->size);
		return -1;
	}
	if (val == v->requested_size)
		return 0;
	v->requested_size = val;
	resize_usable_region(v, val, false);
	/* virtio_notify_config(): the guest driver's work runs now */
	if (v->drv)
		virtio_mem_config_changed(v->drv);
	return 0;
}

void vmem_info(const struct vmem_dev *v, struct sbuf *out)
{
	sb_printf(out, "Memory device [virtio-mem]: \"%s\"\n", v->id ? v->id : "");
	sb_printf(out, "  memaddr: 0x%" PRIx64 "\n", v->addr);
	sb_printf(out, "  node: %" PRIu32 "\n", v->node);
	sb_printf(out, "  requested-size: %" PRIu64 "\n", v->requested_size);
	sb_printf(out, "  size: %" PRIu64 "\n", v->size);
	sb_printf(out, "  max-size: %" PRIu64 "\n", v->be->size);
	sb_printf(out, "  block-size: %" PRIu64 "\n", v->block_size);
	sb_printf(out, "  memdev: /objects/%s\n", v->be->id);
}

void vmem_release_all(struct machine *m)
{
	pthread_rwlock_wrlock(&m->dimm_lock);
	for (int i = 0; i < m->nr_vmem; i++) {
		free(m->vmem[i]->bitmap);
		free(m->vmem[i]->id);
		free(m->vmem[i]->path);
		free(m->vmem[i]);
		m->vmem[i] = NULL;
	}
	m->nr_vmem = 0;
	pthread_rwlock_unlock(&m->dimm_lock);
}
