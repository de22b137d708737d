/* SPDX-License-Identifier: MIT */
/*
 * One guest kernel: everything Linux keeps in globals for memory hotplug,
 * gathered in one object so that a program can run several machines.
 */
#ifndef MEMHP_KERNEL_KERNEL_H
#define MEMHP_KERNEL_KERNEL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "../mm/mmzone.h"
#include "../base/memory.h"
#include "notifier.h"
#include "resource.h"
#include "locks.h"
#include "ftrace.h"
#include "../lib/sbuf.h"
#include "printk.h"
#include "fault_inject.h"

/* What the firmware (the machine) tells the kernel at boot. */
#define E820_MAX_ENTRIES	64
enum e820_type { E820_TYPE_RAM = 1, E820_TYPE_RESERVED = 2, E820_TYPE_PRAM = 12 };

struct e820_entry {
	uint64_t addr, size;
	enum e820_type type;
};

/* SRAT memory affinity: boot RAM of a node, or a hotpluggable range. */
struct numa_memblk {
	uint64_t start, end;	/* end exclusive */
	int nid;
	bool hotpluggable;
};

/* Non-RAM lines of /proc/iomem that the firmware and chipset contribute. */
struct fw_resource {
	uint64_t start, end;	/* inclusive */
	const char *name;
	int depth;		/* 0: top level, 1: child of the previous depth-0 entry */
};

struct boot_params {
	struct e820_entry e820[E820_MAX_ENTRIES];
	int nr_e820;
	struct numa_memblk memblk[MAX_NUMNODES * 2];
	int nr_memblk;
	int nr_nodes;			/* -numa nodes given; 0 = no NUMA config (one node) */
	int nr_cpus;
	int cpu_to_node[MAX_CPUS];
	struct fw_resource fw_res[32];
	int nr_fw_res;
	const char *cmdline;		/* -append */
	/* DIMMs present at power-on (-device pc-dimm): the ACPI scan at boot adds them */
	struct boot_dimm {
		int slot, node;
		uint64_t start, size;
	} cold_dimm[256];
	int nr_cold_dimms;
	int nr_mem_slots;		/* -m slots= */
	bool no_gbpages;		/* the CPU lacks 1 GiB pages (X86_FEATURE_GBPAGES) */
	/*
	 * The ACPI NFIT's NVDIMMs (QEMU's nvdimm_build_nfit(): one SPA range,
	 * memory-device-to-SPA map and control region each); hot-plugged ones
	 * are appended when QEMU notifies \_SB.NVDR and _FIT reports them.
	 */
	struct boot_nvdimm {
		int slot, node;
		uint64_t start, size, label_size;
	} nvdimm[256];			/* one per DIMM slot at most */
	int nr_nvdimms;
	/* the host memory behind guest physical addresses */
	void *(*host_ptr)(void *opaque, uint64_t paddr, uint64_t len);
	void *host_opaque;
};

/* A firmware memmap entry (/sys/firmware/memmap/N). */
struct firmware_map_entry {
	uint64_t start, end;	/* end inclusive */
	const char *type;
	int id;
	struct firmware_map_entry *next;
};

/* memory_hotplug parameters and boot options */
enum mhp_memmap_on_memory { MEMMAP_ON_MEMORY_DISABLE, MEMMAP_ON_MEMORY_ENABLE, MEMMAP_ON_MEMORY_FORCE };
enum online_policy { ONLINE_POLICY_CONTIG_ZONES, ONLINE_POLICY_AUTO_MOVABLE };

struct mhp_params {
	int default_online_type;	/* auto_online_blocks, MMOP_* */
	bool movable_node;
	int memmap_on_memory;
	int online_policy;
	unsigned int auto_movable_ratio;
	bool auto_movable_numa_aware;
	uint64_t max_mem_size;		/* mem= */
};

/* A message the kernel would print to its log (dmesg). */
typedef void (*klog_fn)(void *opaque, const char *line);
/* A uevent: ACTION and DEVPATH (SUBSYSTEM is always "memory" or "node"). */
struct kernel;
struct acpi_memory_device;
struct page_cache;
struct virtio_mem;
struct nd_e820_bus;
typedef void (*uevent_fn)(void *opaque, const char *action, const char *devpath, const char *subsystem);

/* Called per chunk while onlining: hand [pfn, pfn + 2^order) to the buddy, or keep it. */
typedef void (*online_page_callback_t)(struct kernel *k, unsigned long pfn, unsigned int order);

struct kernel {
	struct boot_params boot;
	struct mem_section *mem_section[NR_SECTION_ROOTS];
	pg_data_t *node_data[MAX_NUMNODES];
	uint64_t node_states[NR_NODE_STATES];	/* bit per node */
	struct resource iomem_resource;
	unsigned long max_pfn;
	bool add_pages_warned;		/* add_pages()'s WARN_ON_ONCE */
	unsigned long debug_checks_skipped;	/* mm_debug_check()'s count on big machines */
	unsigned long totalram_pages;
	unsigned long num_poisoned_pages;	/* HardwareCorrupted */
	unsigned long min_free_kbytes;
	unsigned long block_size;		/* memory block size in bytes */
	bool booted;				/* system_state == SYSTEM_RUNNING */

	/* memory block devices, sorted by id */
	struct memory_block **blocks;
	unsigned long nr_blocks, blocks_cap;
	struct memory_group **groups;	/* by id, as Linux's memory_groups xarray (no limit) */
	int nr_groups, groups_cap;

	struct mhp_params params;
	struct blocking_notifier_head memory_chain;
	online_page_callback_t online_page_callback;
	struct firmware_map_entry *fw_memmap;
	int fw_memmap_next_id;

	/* locks, outermost first */
	pthread_mutex_t device_hotplug_lock;
	struct percpu_rw_semaphore mem_hotplug_lock;
	struct percpu_rw_semaphore cpu_hotplug_lock;
	pthread_mutex_t zone_lock;		/* all zones' free lists (one lock: simpler, enough here) */

	/* ACPI memory devices (PNP0C80), one per DIMM slot */
	struct acpi_memory_device *acpi_mem[256];

	/*
	 * power/ of devices whose life is the kernel's (memory and node roots,
	 * nodes, cpus, ACPI devices, which stay registered when their slot empties)
	 */
	struct dev_pm_info memory_root_pm, node_root_pm;
	struct dev_pm_info node_pm[MAX_NUMNODES];
	struct dev_pm_info cpu_pm[MAX_CPUS];
	struct dev_pm_info acpi_mem_pm[256];
	struct dev_pm_info acpi_bus_pm[3];	/* LNXSYSTM:00, LNXSYBUS:00, PNP0A06:04 */
	int pxm_to_node_map[256];		/* ACPI proximity domain -> node id (srat.c) */
	int nr_pxm_nodes;

	/* memory notifier error injection (memory-notifier-error-inject) */
	bool notifier_inject_loaded;
	struct fault_inject fault_inject;	/* fail_page_alloc, failslab (debugfs) */
	bool vmemmap_alloc_warned;		/* vmemmap_alloc_block()'s static "warned" */
	int inject_going_online, inject_going_offline;
	struct notifier_block inject_nb;

	/*
	 * Asked between migration passes of offline_pages(): true ends it with
	 * -EINTR, as a pending signal does. offline_start_ns: when it began.
	 */
	bool (*offline_cancel)(void *opaque);
	long long offline_start_ns;

	/* virtio-mem devices bound to the driver (src/drivers/virtio_mem.c), newest first */
	struct virtio_mem *virtio_mem_devices;
	int virtio_index;			/* next virtio<N> device name */

	/* memmap=nn!ss/nn$ss/nn@ss of the command line (e820_user.c); nd_e820/dax/kmem (src/drivers/nvdimm) */
	struct e820_entry user_e820[8];
	int nr_user_e820;
	struct nd_e820_bus *nd;

	struct page_cache *page_cache;		/* the rootfs page cache (mm/filemap.c) */

	/* the kernel's own long-lived allocations after onlines (boot.c), oldest freed first */
	unsigned long kalloc_ring[2048];
	unsigned kalloc_head, kalloc_count;

	/* the kernel log (dmesg), newest last; trimmed from the front past 1 MiB */
	struct sbuf log;
	int64_t printk_epoch_ns;		/* printk.c: the clock of the log's timestamps */
	struct ratelimit_state migrate_rs;	/* do_migrate_range()'s messages */

	/* ftrace (ftrace.h): tracefs's tracers and `memhp run --trace` */
	struct ftrace *ftrace;
	bool ftrace_on;
	bool tracefs_mounted;

	klog_fn klog;
	uevent_fn uevent;
	/* a guest-initiated eject of an ACPI memory slot (sysfs eject): the platform's _EJ0 path */
	void (*acpi_eject)(void *opaque, int slot);
	void *hook_opaque;
};

static inline bool node_state(struct kernel *k, int nid, enum node_states s)
{
	return (k->node_states[s] >> nid) & 1;
}
static inline void node_set_state(struct kernel *k, int nid, enum node_states s)
{
	k->node_states[s] |= 1ULL << nid;
}
static inline void node_clear_state(struct kernel *k, int nid, enum node_states s)
{
	k->node_states[s] &= ~(1ULL << nid);
}
static inline bool node_online(struct kernel *k, int nid) { return node_state(k, nid, N_ONLINE); }
static inline pg_data_t *NODE_DATA(struct kernel *k, int nid) { return k->node_data[nid]; }
static inline unsigned long memory_block_pages(struct kernel *k) { return k->block_size >> PAGE_SHIFT; }
static inline unsigned long sections_per_block(struct kernel *k)
{
	return k->block_size >> SECTION_SIZE_BITS;
}
static inline unsigned long memory_block_id(struct kernel *k, unsigned long section_nr)
{
	return section_nr / sections_per_block(k);
}

/* Boot the guest kernel on the firmware's description; NULL on failure (err filled). */
struct kernel *kernel_boot(const struct boot_params *bp, char *err, size_t errlen);
void kernel_destroy(struct kernel *k);
__attribute__((format(printf, 2, 3))) void klog(struct kernel *k, const char *fmt, ...);
void kobject_uevent(struct kernel *k, const char *action, const char *devpath, const char *subsystem);
/* Parse the kernel command line's memory-hotplug options into k->params. */
void parse_kernel_cmdline(struct kernel *k, const char *cmdline);

#endif
