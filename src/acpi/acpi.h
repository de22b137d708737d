/* SPDX-License-Identifier: MIT */
/*
 * The guest's ACPI memory-device driver (drivers/acpi/acpi_memhotplug.c) as
 * the machine reaches it: a DIMM plugged into slot N raises a device-check
 * notification (acpi_hotplug_work_fn -> acpi_bus_scan ->
 * acpi_memory_device_add -> __add_memory); device_del raises an eject request.
 */
#ifndef MEMHP_ACPI_ACPI_H
#define MEMHP_ACPI_ACPI_H

#include <stdint.h>

struct kernel;

/* _OST status codes the guest reports back */
#define ACPI_OST_SUCCESS		0x00
#define ACPI_OST_FAILURE		0x01
#define ACPI_OST_EJECT_NOT_SUPPORTED	0x80
#define ACPI_OST_EJECT_DEVICE_IN_USE	0x81
#define ACPI_OST_EJECT_DEVICE_BUSY	0x82

/* Hot-add: the guest adds [start, start+size) on node pxm. 0 or -errno. */
int acpi_memory_device_add(struct kernel *k, int slot, uint64_t start, uint64_t size, int pxm);
/*
 * Eject request for slot: offline every bound memory block (re-onlining them
 * if one fails), then remove the memory. 0 when the guest ejected it (QEMU
 * may then unplug the DIMM), -errno otherwise; *ost gets the _OST status.
 */
int acpi_memory_device_eject(struct kernel *k, int slot, int *ost);

/* SRAT: proximity domains to node ids (srat.c) */
#define MAX_PXM_DOMAINS 256
void acpi_numa_init(struct kernel *k);
int acpi_map_pxm_to_node(struct kernel *k, int pxm);
int pxm_to_node(struct kernel *k, int pxm);

/*
 * The NFIT (nfit.c): QEMU's nvdimm_acpi_plug_cb() notifies \_SB.NVDR; the
 * NVDIMM joins the table _FIT returns and, with the nfit driver loaded,
 * acpi_nfit_notify() registers its region.
 */
struct boot_nvdimm;
void acpi_nfit_notify(struct kernel *k, const struct boot_nvdimm *d);

/* Teardown with the kernel: forget every ACPI memory device. */
void acpi_memory_devices_free(struct kernel *k);

#endif
