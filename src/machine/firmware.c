// SPDX-License-Identifier: MIT
/*
 * What SeaBIOS and QEMU tell Linux about the machine at boot: the e820
 * map, the SRAT memory affinities, CPU-to-node mapping, the chipset's
 * resources that end up in /proc/iomem, and the way from a guest physical
 * address to the host memory behind it.
 */
#include <string.h>

#include "machine_internal.h"

static void e820_add(struct boot_params *bp, uint64_t addr, uint64_t size, enum e820_type type)
{
	if (!size || bp->nr_e820 >= E820_MAX_ENTRIES)
		return;
	bp->e820[bp->nr_e820++] = (struct e820_entry){ addr, size, type };
}

static void fw_add(struct boot_params *bp, uint64_t start, uint64_t end, const char *name, int depth)
{
	if (bp->nr_fw_res >= (int)(sizeof(bp->fw_res) / sizeof(bp->fw_res[0])))
		return;
	bp->fw_res[bp->nr_fw_res++] = (struct fw_resource){ start, end, name, depth };
}

static void memblk_add(struct boot_params *bp, uint64_t start, uint64_t len, int nid, bool hotpluggable)
{
	if (!len || bp->nr_memblk >= (int)(sizeof(bp->memblk) / sizeof(bp->memblk[0])))
		return;
	bp->memblk[bp->nr_memblk++] = (struct numa_memblk){ start, start + len, nid, hotpluggable };
}

/*
 * The length of the SMBIOS structure table the guest sees: QEMU 7.2's
 * smbios_get_tables() for the pc machine plus the type 0 that SeaBIOS adds
 * (smbios_romfile_setup()). Everything but the memory description is of
 * fixed size here (one socket: -smp N means N cores on 7.2 machines):
 * 335 bytes with one type 19. Each type 17 ("DIMM n", "QEMU") describes
 * up to 16 GiB of boot RAM and takes 40 bytes plus its strings; each type
 * 19 (one per e820 RAM range QEMU passes: below and above 4 GiB) 33 bytes.
 * Measured on the oracle: 580 bytes at -m 64G, 1222 at -m 256G.
 */
static uint64_t smbios_tables_len(const struct machine_config *cfg, const struct mem_layout *lay)
{
	uint64_t dimms = (cfg->ram_size + 16 * GiB - 1) / (16 * GiB);
	uint64_t len = 335 - 33;

	len += lay->below_4g ? 33 : 0;
	len += lay->above_4g ? 33 : 0;
	for (uint64_t i = 0; i < dimms; i++) {
		int digits = 1;

		for (uint64_t v = i; v >= 10; v /= 10)
			digits++;
		len += 40 + sizeof("DIMM ") - 1 + (uint64_t)digits + 1 + sizeof("QEMU") + 1;
	}
	return len;
}

/*
 * SeaBIOS's permanent allocations at the top of low RAM (ZoneHigh, handed
 * back to the e820 map page by page in malloc_prepboot()): top-down, the
 * SMBIOS structure table when it is larger than BUILD_MAX_SMBIOS_FSEG (600
 * bytes; smaller ones go to the f-segment), 16-byte aligned, then QEMU's
 * ACPI tables blob, which acpi_build() pads to ACPI_BUILD_TABLE_SIZE
 * (128 KiB), 64-byte aligned; with nvdimm=on, nvdimm_build_ssdt()'s DSM
 * buffer (etc/acpi/nvdimm-mem, one page, page aligned) below that. The
 * reserved range starts at the page below.
 */
static uint64_t seabios_zonehigh_start(const struct machine_config *cfg, const struct mem_layout *lay)
{
	uint64_t top = lay->below_4g, smb = smbios_tables_len(cfg, lay);

	if (smb > SEABIOS_MAX_SMBIOS_FSEG)
		top = (top - smb) & ~15ULL;
	top = (top - SEABIOS_ACPI_TABLES_SIZE) & ~63ULL;
	if (cfg->nvdimm)
		top = (top - NVDIMM_DSM_MEM_SIZE) & ~(NVDIMM_DSM_MEM_SIZE - 1);
	return top & ~0xfffULL;
}

/*
 * SeaBIOS's map: QEMU's RAM entries (etc/e820), carved by the EBDA below
 * 640 KiB, the BIOS segment at 0xf0000, SeaBIOS's own tables at the top of
 * low RAM, and the BIOS flash at the top of 4 GiB; QEMU adds the AMD
 * HyperTransport range.
 */
static void build_e820(const struct machine_config *cfg, const struct mem_layout *lay,
		       struct boot_params *bp)
{
	uint64_t low = lay->below_4g;
	uint64_t high = low > 0x100000 + SEABIOS_ACPI_TABLES_SIZE ? seabios_zonehigh_start(cfg, lay) : low;

	e820_add(bp, 0, 0x9fc00, E820_TYPE_RAM);
	e820_add(bp, 0x9fc00, 0x400, E820_TYPE_RESERVED);
	e820_add(bp, 0xf0000, 0x10000, E820_TYPE_RESERVED);
	if (high < low) {
		e820_add(bp, 0x100000, high - 0x100000, E820_TYPE_RAM);
		e820_add(bp, high, low - high, E820_TYPE_RESERVED);
	}
	e820_add(bp, 0xfffc0000, 0x40000, E820_TYPE_RESERVED);
	e820_add(bp, lay->above_4g_start, lay->above_4g, E820_TYPE_RAM);
	/* pc_memory_init() advertises the HT hole only to a CPU that can reach it */
	if (cfg->phys_bits >= 40)
		e820_add(bp, AMD_HT_START, AMD_HT_END - AMD_HT_START, E820_TYPE_RESERVED);
}

/*
 * build_srat(): node 0 owns [0, 640 KiB); then each node's RAM follows in
 * node order from 1 MiB, cut at the PCI hole and continued at 4 GiB. The
 * device-memory region is one hotpluggable range of the last node.
 */
static void build_srat(const struct machine *m, struct boot_params *bp)
{
	const struct machine_config *cfg = &m->cfg;
	const struct mem_layout *lay = &m->lay;
	uint64_t next_base = MiB;

	if (cfg->nr_nodes <= 0)
		return;
	memblk_add(bp, 0, 640 * KiB, 0, false);
	for (int i = 0; i < cfg->nr_nodes; i++) {
		uint64_t mem_base = next_base;
		uint64_t mem_len = cfg->node[i].mem;

		if (i == 0)
			mem_len = mem_len > MiB ? mem_len - MiB : 0;
		next_base = mem_base + mem_len;
		if (mem_base <= lay->below_4g && next_base > lay->below_4g) {
			memblk_add(bp, mem_base, lay->below_4g - mem_base, i, false);
			mem_len = next_base - lay->below_4g;
			mem_base = lay->above_4g_start;
			next_base = mem_base + mem_len;
		}
		memblk_add(bp, mem_base, mem_len, i, false);
	}
	if (lay->devmem_size)
		memblk_add(bp, lay->devmem_base, lay->devmem_size, cfg->nr_nodes - 1, true);
}

/*
 * The chipset's lines in /proc/iomem: the ACPI _CRS windows of PCI bus 0
 * (legacy VGA, the 32-bit hole above low RAM, the 64-bit window), the
 * option ROM the kernel calls "Video ROM", the BIOS ("System ROM", inside
 * the e820 reserved range at 0xf0000) and the PNP devices.
 */
static void build_fw_res(const struct mem_layout *lay, struct boot_params *bp)
{
	fw_add(bp, 0xa0000, 0xbffff, "PCI Bus 0000:00", 0);
	fw_add(bp, 0xc0000, 0xc05ff, "Video ROM", 0);
	fw_add(bp, 0xf0000, 0xfffff, "System ROM", 1);
	fw_add(bp, lay->below_4g, 0xfebfffff, "PCI Bus 0000:00", 0);
	fw_add(bp, 0xfec00000, 0xfec003ff, "IOAPIC 0", 0);
	fw_add(bp, 0xfed00000, 0xfed003ff, "HPET 0", 0);
	fw_add(bp, 0xfed00000, 0xfed003ff, "PNP0103:00", 1);
	fw_add(bp, 0xfee00000, 0xfee00fff, "Local APIC", 0);
	fw_add(bp, lay->hole64_start, lay->hole64_start + lay->hole64_size - 1, "PCI Bus 0000:00", 0);
}

void machine_fill_boot_params(struct machine *m, struct boot_params *bp)
{
	memset(bp, 0, sizeof(*bp));
	build_e820(&m->cfg, &m->lay, bp);
	build_srat(m, bp);
	bp->nr_nodes = m->cfg.nr_nodes;
	bp->nr_cpus = m->cfg.smp;
	for (int c = 0; c < m->cfg.smp && c < MAX_CPUS; c++)
		bp->cpu_to_node[c] = m->cfg.nr_nodes ? m->cfg.cpu_node[c] : 0;
	build_fw_res(&m->lay, bp);
	/* DIMMs plugged before power-on are ACPI memory devices the guest finds at boot */
	for (int s = 0; s < ACPI_MAX_RAM_SLOTS && bp->nr_cold_dimms < 256; s++) {
		const struct dimm *d = m->slot[s];
		if (d && !d->hotplugged && !d->nvdimm)
			bp->cold_dimm[bp->nr_cold_dimms++] =
				(struct boot_dimm){ d->slot, d->node, d->addr, d->size };
	}
	/* NVDIMMs are no ACPI memory devices: the NFIT describes them */
	for (int s = 0; s < ACPI_MAX_RAM_SLOTS && bp->nr_nvdimms < 256; s++) {
		const struct dimm *d = m->slot[s];
		if (d && d->nvdimm)
			bp->nvdimm[bp->nr_nvdimms++] =
				(struct boot_nvdimm){ d->slot, d->node, d->addr, d->size, d->label_size };
	}
	bp->nr_mem_slots = (int)m->cfg.ram_slots;
	bp->no_gbpages = !m->cfg.gbpages;
	bp->cmdline = m->cfg.append;
	bp->host_ptr = machine_host_ptr;
	bp->host_opaque = m;
}

static void *ram_ptr(struct machine *m, uint64_t ram_off, uint64_t len)
{
	for (int i = 0; i < m->nr_ram; i++) {
		const struct ram_segment *s = &m->ram[i];

		if (ram_off >= s->ram_off && ram_off - s->ram_off < s->size &&
		    len <= s->size - (ram_off - s->ram_off))
			return (char *)s->be->host + (ram_off - s->ram_off);
	}
	return NULL;
}

void *machine_host_ptr(void *opaque, uint64_t paddr, uint64_t len)
{
	struct machine *m = opaque;
	const struct mem_layout *lay = &m->lay;
	void *p = NULL;

	if (!m || paddr + len < paddr)
		return NULL;
	if (paddr < lay->below_4g) {
		if (len <= lay->below_4g - paddr)
			return ram_ptr(m, paddr, len);
		return NULL;
	}
	if (paddr >= lay->above_4g_start && paddr - lay->above_4g_start < lay->above_4g) {
		uint64_t off = paddr - lay->above_4g_start;

		if (len <= lay->above_4g - off)
			return ram_ptr(m, lay->below_4g + off, len);
		return NULL;
	}
	pthread_rwlock_rdlock(&m->dimm_lock);
	for (int i = 0; i < ACPI_MAX_RAM_SLOTS; i++) {
		const struct dimm *d = m->slot[i];

		if (d && paddr >= d->addr && paddr - d->addr < d->size && len <= d->size - (paddr - d->addr)) {
			p = (char *)d->be->host + (paddr - d->addr);
			break;
		}
	}
	if (!p)
		p = vmem_host_ptr(m, paddr, len);
	pthread_rwlock_unlock(&m->dimm_lock);
	return p;
}
