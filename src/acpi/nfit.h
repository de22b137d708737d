/* SPDX-License-Identifier: MIT */
/*
 * What QEMU 7.2's NFIT and _DSM (hw/acpi/nvdimm.c) tell Linux 6.1's nfit
 * driver about one NVDIMM, as its sysfs shows it (nfit.c).
 */
#ifndef MEMHP_ACPI_NFIT_H
#define MEMHP_ACPI_NFIT_H

#include <stdbool.h>
#include <stdint.h>

struct nd_e820_region;

/* the NVDIMM control region: Intel's vendor id, device and revision 1, format interface code 0x301 */
#define NFIT_DCR_VENDOR		0x8086
#define NFIT_DCR_DEVICE		0x0001
#define NFIT_DCR_REVISION	0x0001
#define NFIT_DCR_FIC		0x0301
#define NFIT_TABLE_REVISION	1	/* the NFIT header's revision (acpi_desc->acpi_header.revision) */

uint32_t nfit_dcr_serial(int slot);	/* nvdimm_slot_to_sn() */
uint32_t nfit_device_handle(int slot);	/* nvdimm_slot_to_handle() */
uint16_t nfit_spa_index(int slot);	/* nvdimm_slot_to_spa_index() */
/*
 * The _DSM functions the DIMM's function 0 reports under the Intel GUID: the
 * label-area ones (get size, get data, set data: bits 4-6) when the NVDIMM has
 * label-size=, else none, so the nfit driver finds no command family (-1).
 */
unsigned long nfit_dimm_dsm_mask(const struct nd_e820_region *reg);
/* the interleave-set cookies of a one-DIMM region: v1.1 (cookie1) and v1.2 (cookie2) */
uint64_t nfit_iset_cookie1(int slot);
uint64_t nfit_iset_cookie2(int slot);

#endif
