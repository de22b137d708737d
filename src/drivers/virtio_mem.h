/* SPDX-License-Identifier: MIT */
/*
 * The virtio-mem guest driver (drivers/virtio/virtio_mem.c, Linux 6.1), Sub
 * Block Mode only. memhp extension: not part of the scenario format's list.
 *
 * The device side (QEMU's hw/virtio/virtio-mem.c) lives in src/machine/;
 * the two talk through struct virtio_mem_dev_ops, the virtqueue and the
 * config space reduced to function calls. Linux's workqueue becomes a
 * synchronous call: a config change runs the plug/unplug work at once.
 */
#ifndef MEMHP_DRIVERS_VIRTIO_MEM_H
#define MEMHP_DRIVERS_VIRTIO_MEM_H

#include <stdint.h>

struct kernel;
struct virtio_mem;

/* include/uapi/linux/virtio_mem.h */
#define VIRTIO_MEM_REQ_PLUG		0
#define VIRTIO_MEM_REQ_UNPLUG		1
#define VIRTIO_MEM_REQ_UNPLUG_ALL	2
#define VIRTIO_MEM_REQ_STATE		3

#define VIRTIO_MEM_RESP_ACK		0
#define VIRTIO_MEM_RESP_NACK		1
#define VIRTIO_MEM_RESP_BUSY		2
#define VIRTIO_MEM_RESP_ERROR		3

struct virtio_mem_config {
	uint64_t block_size;
	uint16_t node_id;
	uint64_t addr;
	uint64_t region_size;
	uint64_t usable_region_size;
	uint64_t plugged_size;
	uint64_t requested_size;
};

struct virtio_mem_dev_ops {
	/* one request on the virtqueue; returns a VIRTIO_MEM_RESP_* */
	int (*request)(void *opaque, int type, uint64_t addr, uint64_t nb_blocks);
	void (*get_config)(void *opaque, struct virtio_mem_config *cfg);
};

/*
 * The PCI side of the device as the guest's PCI core sees it: its name
 * ("0000:00:02.0") and its modern-virtio BAR, claimed in /proc/iomem.
 */
struct virtio_mem_pci {
	const char *pci_name;
	uint64_t bar_start, bar_size;
};

/* virtio_pci + virtio_mem probe; the device is named virtio<N>. NULL on failure. */
struct virtio_mem *virtio_mem_probe(struct kernel *k, const struct virtio_mem_pci *pci,
				    const struct virtio_mem_dev_ops *ops, void *opaque);
/* The config-change interrupt: the work runs now (plug or unplug toward requested_size). */
void virtio_mem_config_changed(struct virtio_mem *vm);
/* kernel teardown: forget every device (memory stays as it is) */
void virtio_mem_free_all(struct kernel *k);

#endif
