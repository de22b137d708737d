// SPDX-License-Identifier: MIT
/*
 * Where QEMU 7.2's pc (i440fx) machine puts memory in guest physical space
 * (pc_memory_init(), pc_get_device_memory_range(), pc_pci_hole64_start()).
 *
 *   [0, below_4g)                 boot RAM, low part
 *   [below_4g, 4 GiB)             32-bit PCI hole, IOAPIC, HPET, LAPIC, BIOS
 *   [4 GiB, 4 GiB + above_4g)     boot RAM, high part
 *   [devmem_base, +devmem_size)   device memory: where DIMMs go; 1 GiB aligned
 *   [hole64_start, +2 GiB)        64-bit PCI window
 *
 * If the top of that (the 64-bit PCI window) would reach AMD's
 * HyperTransport hole just below 1 TiB, QEMU moves everything above 4 GiB
 * to 1 TiB, which then no longer fits qemu64's default 40 physical address
 * bits: -cpu qemu64,phys-bits=N (cpu.c) makes room, up to 52 bits.
 */
#include <inttypes.h>

#include "machine_internal.h"

static void place_above_4g(const struct machine_config *cfg, struct mem_layout *lay)
{
	uint64_t above_end = lay->above_4g_start + lay->above_4g;

	lay->devmem_base = 0;
	lay->devmem_size = 0;
	if (cfg->ram_size < cfg->maxram_size) {
		lay->devmem_base = ROUND_UP(above_end, GiB);
		/* enforce_aligned_dimm: room for every slot's alignment waste */
		lay->devmem_size = cfg->maxram_size - cfg->ram_size + (uint64_t)cfg->ram_slots * GiB;
		lay->hole64_start = ROUND_UP(lay->devmem_base + lay->devmem_size, GiB);
	} else {
		lay->hole64_start = ROUND_UP(above_end, GiB);
	}
	lay->hole64_size = PCI_HOLE64_SIZE;
}

/*
 * pc_max_used_gpa(): the top of the 64-bit PCI window; a CPU of 32 bits or
 * fewer has no such window, so QEMU takes its whole space as used (and then
 * neither relocates above 1 TiB nor refuses anything).
 */
static uint64_t max_used_gpa(const struct machine_config *cfg, const struct mem_layout *lay)
{
	if (cfg->phys_bits <= 32)
		return (1ULL << cfg->phys_bits) - 1;
	return lay->hole64_start + lay->hole64_size - 1;
}

int machine_compute_layout(const struct machine_config *cfg, struct mem_layout *lay, struct sbuf *err)
{
	const uint64_t lowmem = 0xe0000000ULL;	/* max_ram_below_4g default */
	uint64_t max_used, max_phys;

	*lay = (struct mem_layout){ 0 };
	/*
	 * Guests with 3.5 GiB or more get a gigabyte-aligned split (3 GiB
	 * below 4 GiB) so that 1 GiB host pages line up with guest memory.
	 */
	if (cfg->ram_size >= lowmem) {
		lay->below_4g = 0xc0000000ULL;
		lay->above_4g = cfg->ram_size - lay->below_4g;
	} else {
		lay->below_4g = cfg->ram_size;
		lay->above_4g = 0;
	}
	lay->above_4g_start = 4 * GiB;

	if (cfg->ram_size < cfg->maxram_size) {
		if (cfg->ram_slots > ACPI_MAX_RAM_SLOTS) {
			sb_printf(err, "unsupported amount of memory slots: %u", cfg->ram_slots);
			return -1;
		}
		if (!IS_ALIGNED(cfg->maxram_size, 4096)) {
			sb_puts(err, "maximum memory size must by aligned to multiple of 4096 bytes");
			return -1;
		}
	}
	/* sizes near 2^64 would wrap the sums below */
	if (cfg->maxram_size > (1ULL << 62)) {
		sb_printf(err, "unsupported amount of maximum memory: 0x%" PRIx64, cfg->maxram_size);
		return -1;
	}

	place_above_4g(cfg, lay);
	max_used = max_used_gpa(cfg, lay);
	/* the CPU is AMD under TCG (qemu64, max): avoid the HT hole */
	if (max_used >= AMD_HT_START) {
		lay->above_4g_start = AMD_ABOVE_1TB_START;
		place_above_4g(cfg, lay);
		max_used = max_used_gpa(cfg, lay);
	}
	max_phys = (1ULL << cfg->phys_bits) - 1;
	if (max_used > max_phys) {
		sb_printf(err, "Address space limit 0x%" PRIx64 " < 0x%" PRIx64 " phys-bits too low (%u)",
			  max_phys, max_used, cfg->phys_bits);
		return -1;
	}
	return 0;
}

/*
 * Boot RAM is one address space [0, ram_size) made of the NUMA nodes'
 * memdevs in node order (or of pc.ram), mapped below and above 4 GiB.
 */
void machine_build_ram_segments(struct machine *m)
{
	uint64_t off = 0;

	m->nr_ram = 0;
	if (m->cfg.numa_memdev) {
		for (int i = 0; i < m->cfg.nr_nodes; i++) {
			struct backend *be = m->cfg.node[i].be;

			if (!be)
				continue;
			m->ram[m->nr_ram++] = (struct ram_segment){ be, off, be->size };
			off += be->size;
		}
	} else {
		struct backend *be = qom_table_lookup(m->objects, "pc.ram");

		if (be)
			m->ram[m->nr_ram++] = (struct ram_segment){ be, 0, be->size };
	}
}
