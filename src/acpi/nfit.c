// SPDX-License-Identifier: MIT
/*
 * The ACPI NFIT as Linux 6.1's nfit driver reads it (drivers/acpi/nfit/core.c)
 * from QEMU 7.2's table (hw/acpi/nvdimm.c, nvdimm_build_nfit()): per NVDIMM
 * one System Physical Address range (the PMEM type GUID, the DIMM's node as
 * proximity domain), one memory-device-to-SPA map (device handle slot + 1,
 * physical id = slot) and one control region (vendor 0x8086, serial
 * 0x123456 + slot). acpi_nfit_init() registers the "ACPI.NFIT" nvdimm bus, an
 * nmemN per DIMM and, per SPA range, a pmem region whose "Persistent Memory"
 * resource it inserts into iomem. QEMU's NVDIMMs carry no labels the guest has
 * initialised, so each region gets libnvdimm's label-less io namespace, which
 * nd_pmem binds and ndctl can reconfigure to devdax as nd_e820's.
 */
#include "acpi.h"
#include "nfit.h"
#include "../drivers/nvdimm/nd_e820.h"
#include "../kernel/kernel.h"
#include "../kernel/resource.h"
#include "../mm/memory_hotplug.h"

#include <stdio.h>
#include <string.h>

#define SZ_2M	(2ULL << 20)

uint32_t nfit_dcr_serial(int slot) { return 0x123456u + (uint32_t)slot; }
uint32_t nfit_device_handle(int slot) { return (uint32_t)slot + 1; }
uint16_t nfit_spa_index(int slot) { return (uint16_t)((slot + 1) << 1); }

/*
 * QEMU 7.2's nvdimm_dsm_device(): function 0 of a DIMM without a label area
 * reports no function; with one, the three label functions. The nfit
 * driver keeps NVDIMM_FAMILY_INTEL's documented commands among them
 * (acpi_nfit_add_dimm()), function 0 itself cleared.
 */
unsigned long nfit_dimm_dsm_mask(const struct nd_e820_region *reg)
{
	return reg->label_area ? 1UL << 4 | 1UL << 5 | 1UL << 6 : 0;
}

/* nd_fletcher64() over little-endian 32-bit words, as acpi_nfit_init_interleave_set() runs it */
static uint64_t fletcher64(const uint32_t *w, int n)
{
	uint32_t lo = 0;
	uint64_t hi = 0;
	for (int i = 0; i < n; i++) {
		lo += w[i];
		hi += lo;
	}
	return hi << 32 | lo;
}

/* struct nfit_set_info: { region_offset (64 bits, 0), serial number, pad } per mapping */
uint64_t nfit_iset_cookie1(int slot)
{
	uint32_t w[4] = { 0, 0, nfit_dcr_serial(slot), 0 };
	return fletcher64(w, 4);
}

/*
 * struct nfit_set_info2: { region_offset, serial, vendor id, manufacturing
 * date (0), location (0), 31 reserved bytes } per mapping: 48 bytes
 */
uint64_t nfit_iset_cookie2(int slot)
{
	uint32_t w[12] = { 0, 0, nfit_dcr_serial(slot), NFIT_DCR_VENDOR };
	return fletcher64(w, 12);
}

/* acpi_nfit_register_region() for the SPA range of one NVDIMM; nmem: its dimm's id */
static void nfit_register_region(struct kernel *k, struct nd_e820_bus *bus, const struct boot_nvdimm *d, int nmem)
{
	int b = nd_bus_find(bus, "ACPI.NFIT");
	if (bus->nr_regions >= ND_MAX_REGIONS || b < 0)
		return;
	int node = pxm_to_node(k, d->node);
	struct nd_e820_region *reg = &bus->region[bus->nr_regions++];

	memset(reg, 0, sizeof(*reg));
	reg->start = d->start;
	reg->size = d->size;
	reg->target_node = node < 0 ? 0 : node;
	reg->claim_id = -1;
	reg->align = SZ_2M;
	reg->nfit = true;
	reg->bus = b;
	reg->nmem = nmem;
	reg->slot = d->slot;
	/* QEMU's label area starts zeroed: no valid index until ndctl init-labels */
	reg->label_area = d->label_size > 0;
	/* acpi_nfit_insert_resource(): the range, IORES_DESC_PERSISTENT_MEMORY */
	struct resource *res = resource_new(d->start, d->start + d->size - 1, "Persistent Memory", IORESOURCE_MEM);
	if (res && insert_resource_nested(&k->iomem_resource, res)) {
		resource_free(res);
		res = NULL;
	}
	reg->spa_res = res;
}

/*
 * acpi_nfit_init(): nfit_mem_init() sorts the DIMMs by device handle (slot
 * + 1), so nmem ids follow the slots; the SPA ranges are sorted by type and
 * address (nfit_spa_cmp()), so region ids follow the addresses.
 */
void acpi_nfit_register(struct kernel *k, struct nd_e820_bus *bus)
{
	int n = k->boot.nr_nvdimms, by_addr[256];

	if (nd_bus_register(bus, "ACPI.NFIT") < 0)
		return;
	for (int i = 0; i < n; i++) {
		int j = i;
		for (; j > 0 && k->boot.nvdimm[by_addr[j - 1]].start > k->boot.nvdimm[i].start; j--)
			by_addr[j] = by_addr[j - 1];
		by_addr[j] = i;
	}
	for (int i = 0; i < n; i++) {
		const struct boot_nvdimm *d = &k->boot.nvdimm[by_addr[i]];
		int rank = 0;
		for (int j = 0; j < n; j++)
			rank += k->boot.nvdimm[j].slot < d->slot;
		nfit_register_region(k, bus, d, bus->nr_nmems + rank);
	}
	bus->nr_nmems += n;
}

/*
 * acpi_nfit_notify() -> acpi_nfit_update_notify(): _FIT returns the table
 * with the new NVDIMM; the driver adds what it did not know.
 */
void acpi_nfit_notify(struct kernel *k, const struct boot_nvdimm *d)
{
	lock_device_hotplug(k);
	if (k->boot.nr_nvdimms < (int)(sizeof(k->boot.nvdimm) / sizeof(k->boot.nvdimm[0]))) {
		k->boot.nvdimm[k->boot.nr_nvdimms++] = *d;
		if (k->nd && k->nd->nfit && k->nd->nr_regions < ND_MAX_REGIONS) {
			nfit_register_region(k, k->nd, d, k->nd->nr_nmems++);
			nd_pmem_attach(k, k->nd->nr_regions - 1, 1);
		}
	}
	unlock_device_hotplug(k);
}
