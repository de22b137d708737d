/* SPDX-License-Identifier: MIT */
/*
 * Inside the pseudo file systems: the tables the router (vfs.c) walks, and
 * the renderers the tables point at. A directory is a table of fixed entries
 * plus "dynamic" children (memoryN, nodeN, ...) whose names carry a number;
 * the router binds that number into the context so that handlers further
 * down know which block, node or entry they serve.
 */
#ifndef MEMHP_FS_FS_INTERNAL_H
#define MEMHP_FS_FS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vfs.h"

struct kernel;
struct memory_block;

#define VFS_MAX_ARGS	4

/* What a path resolved to, beyond the entry itself: the numbers of its dynamic components. */
struct vfs_ctx {
	struct kernel *k;
	unsigned long arg[VFS_MAX_ARGS];	/* arg[0]: first dynamic component (memoryN -> N), ... */
	int nargs;
	/* the data of the directory holding the entry: lets one table serve several devices (power/) */
	const void *dir_data;
};

struct vfs_dir;

struct vfs_ent {
	const char *name;		/* NULL ends a table; unused for dynamic templates */
	enum vfs_type type;
	unsigned mode;
	const struct vfs_dir *dir;	/* VFS_DIR */
	/* VFS_FILE: read (append to out) / write (NUL-terminated); NULL = not readable / writable */
	int (*show)(struct vfs_ctx *c, struct sbuf *out);
	int (*store)(struct vfs_ctx *c, const char *buf);
	/* VFS_LINK: relative target */
	void (*link)(struct vfs_ctx *c, struct sbuf *target);
	/* optional: the entry exists only when this says so */
	bool (*visible)(struct vfs_ctx *c);
	/* optional: the mode when it differs between children of one dynamic template */
	unsigned (*mode_of)(struct vfs_ctx *c);
	/* procfs: writing a file without a write handler is -EIO there, not -EACCES */
	bool procfs;
	/* optional: what opening for writing with O_TRUNC does (tracefs: empty a filter, the buffer) */
	int (*truncate)(struct vfs_ctx *c);
};

/* Children whose names carry a number: memoryN, nodeN, cpuN, firmware memmap N, ... */
struct vfs_dyn {
	/* Does name exist now? Fills *id (pushed as the next ctx arg). */
	bool (*lookup)(struct vfs_ctx *c, const char *name, unsigned long *id);
	/* Add every current child name (unsorted). */
	void (*list)(struct vfs_ctx *c, struct strlist *names);
	const struct vfs_ent *ent;	/* what each child is */
};

struct vfs_dir {
	const struct vfs_ent *ents;	/* ends with name == NULL; may be NULL */
	const struct vfs_dyn *dyns;	/* ends with lookup == NULL; may be NULL */
	const void *data;		/* handed to its entries' handlers as ctx->dir_data */
};

/* Directory trees, one per file (see each file's header). */
extern const struct vfs_dir sysfs_memory_dir;		/* sysfs_memory.c: /sys/devices/system/memory */
extern const struct vfs_dir sysfs_node_dir;		/* sysfs_node.c: /sys/devices/system/node */
/*
 * A device's power/ directory (sysfs_misc.c): each kind of device has its own
 * vfs_dir over sysfs_power_ents, whose data is a sysfs_pm_owner.
 */
struct dev_pm_info;
struct sysfs_pm_owner {
	struct dev_pm_info *(*info)(struct vfs_ctx *c);	/* the device's state, or NULL if it is gone */
	bool resume_latency;		/* cpus: pm_qos_resume_latency_us (dev_pm_qos_expose_latency_limit) */
};
extern const struct vfs_ent sysfs_power_ents[];
#define SYSFS_POWER_DIR(owner)	{ .ents = sysfs_power_ents, .data = (owner) }
extern const struct vfs_dir sysfs_acpi_dir;		/* sysfs_acpi.c: /sys/devices/LNXSYSTM:00 */
extern const struct vfs_dir sysfs_module_dir;		/* sysfs_misc.c: /sys/module */
extern const struct vfs_dir sysfs_firmware_dir;		/* sysfs_misc.c: /sys/firmware */
extern const struct vfs_dir sysfs_kernel_dir;		/* sysfs_misc.c: /sys/kernel (debugfs inside) */
extern const struct vfs_dir sysfs_bus_nd_dir, sysfs_bus_dax_dir;	/* sysfs_nd.c: /sys/bus/nd, /sys/bus/dax */
bool sysfs_bus_nd_visible(struct vfs_ctx *c);
extern const struct vfs_dir sysfs_platform_dir;		/* sysfs_nd.c: /sys/devices/platform (e820_pmem) */
extern const struct vfs_dir sysfs_class_dir;		/* sysfs_nd.c: /sys/class (nd) */
/* sysfs_nd.c: ACPI0012:00 under LNXSYBUS:00, the nfit driver's nvdimm bus ndbusB below it */
extern const struct vfs_dir sysfs_acpi_nfit_dir;
bool sysfs_acpi_nfit_visible(struct vfs_ctx *c);
extern const struct vfs_dir sysfs_dev_dir;		/* sysfs_nd.c: /sys/dev/{block,char} */
extern const struct vfs_dir sysfs_bus_dir;		/* sysfs_misc.c: /sys/bus */
extern const struct vfs_dir sysfs_cpu_dir;		/* sysfs_misc.c: /sys/devices/system/cpu */
extern const struct vfs_dir procfs_dir;
extern const struct vfs_dir tracefs_dir;		/* tracefs.c: /sys/kernel/tracing */			/* vfs.c: /proc */

/* Shared helpers (vfs.c) */
/* Strict decimal after a prefix: "memory32" with prefix "memory" -> 32. No sign, no leading zeros. */
bool vfs_parse_numbered(const char *name, const char *prefix, unsigned long *id);
/* A device's uevent file: empty, writes take a uevent action word. */
int sysfs_uevent_show(struct vfs_ctx *c, struct sbuf *out);
int sysfs_uevent_store(struct vfs_ctx *c, const char *buf);
/* Linux's "%*pbl": a bitmask as a range list "0,2-3" (no newline). */
void bitmap_print_list(struct sbuf *out, const uint64_t *mask, unsigned nbits);
/* Linux's "%*pb": a bitmask as hex words of 32 bits, comma separated (no newline). */
void bitmap_print_hex(struct sbuf *out, const uint64_t *mask, unsigned nbits);

/* VM counters (vmstat.c): Linux 6.1's items, in its order; VS_ keeps them apart from mm's own names */
enum vs_node_item {
	VS_NR_INACTIVE_ANON, VS_NR_ACTIVE_ANON, VS_NR_INACTIVE_FILE, VS_NR_ACTIVE_FILE, VS_NR_UNEVICTABLE,
	VS_NR_SLAB_RECLAIMABLE_B, VS_NR_SLAB_UNRECLAIMABLE_B, VS_NR_ISOLATED_ANON, VS_NR_ISOLATED_FILE,
	VS_WORKINGSET_NODES, VS_WORKINGSET_REFAULT_ANON, VS_WORKINGSET_REFAULT_FILE,
	VS_WORKINGSET_ACTIVATE_ANON, VS_WORKINGSET_ACTIVATE_FILE, VS_WORKINGSET_RESTORE_ANON,
	VS_WORKINGSET_RESTORE_FILE, VS_WORKINGSET_NODERECLAIM, VS_NR_ANON_MAPPED, VS_NR_FILE_MAPPED,
	VS_NR_FILE_PAGES, VS_NR_FILE_DIRTY, VS_NR_WRITEBACK, VS_NR_WRITEBACK_TEMP, VS_NR_SHMEM, VS_NR_SHMEM_THPS,
	VS_NR_SHMEM_PMDMAPPED, VS_NR_FILE_THPS, VS_NR_FILE_PMDMAPPED, VS_NR_ANON_THPS, VS_NR_VMSCAN_WRITE,
	VS_NR_VMSCAN_IMMEDIATE, VS_NR_DIRTIED, VS_NR_WRITTEN, VS_NR_THROTTLED_WRITTEN,
	VS_NR_KERNEL_MISC_RECLAIMABLE, VS_NR_FOLL_PIN_ACQUIRED, VS_NR_FOLL_PIN_RELEASED,
	VS_NR_KERNEL_STACK_KB, VS_NR_PAGETABLE, VS_NR_SECONDARY_PAGETABLE, VS_NR_SWAPCACHE,
	VS_PGPROMOTE_SUCCESS, VS_PGPROMOTE_CANDIDATE,
	VS_NR_VM_NODE_STAT_ITEMS
};
enum vs_zone_item {
	VS_NR_FREE_PAGES, VS_NR_ZONE_INACTIVE_ANON, VS_NR_ZONE_ACTIVE_ANON, VS_NR_ZONE_INACTIVE_FILE,
	VS_NR_ZONE_ACTIVE_FILE, VS_NR_ZONE_UNEVICTABLE, VS_NR_ZONE_WRITE_PENDING, VS_NR_MLOCK, VS_NR_BOUNCE,
	VS_NR_ZSPAGES, VS_NR_FREE_CMA_PAGES,
	VS_NR_VM_ZONE_STAT_ITEMS
};
enum vs_numa_item {
	VS_NUMA_HIT, VS_NUMA_MISS, VS_NUMA_FOREIGN, VS_NUMA_INTERLEAVE_HIT, VS_NUMA_LOCAL, VS_NUMA_OTHER,
	VS_NR_VM_NUMA_EVENT_ITEMS
};
extern const char *const vs_node_names[VS_NR_VM_NODE_STAT_ITEMS];
extern const char *const vs_zone_names[VS_NR_VM_ZONE_STAT_ITEMS];
extern const char *const vs_numa_names[VS_NR_VM_NUMA_EVENT_ITEMS];
struct pglist_data;
struct zone;
void vs_node_values(const struct pglist_data *pgdat, unsigned long v[VS_NR_VM_NODE_STAT_ITEMS]);
void vs_zone_values(const struct zone *z, unsigned long v[VS_NR_VM_ZONE_STAT_ITEMS]);
void vs_zone_numa_values(const struct zone *z, unsigned long v[VS_NR_VM_NUMA_EVENT_ITEMS]);

/* Renderers: each appends the whole file to out. */
void proc_iomem_show(struct kernel *k, struct sbuf *out);		/* proc_iomem.c */
void proc_meminfo_show(struct kernel *k, struct sbuf *out);		/* proc_meminfo.c */
void node_meminfo_show(struct kernel *k, int nid, struct sbuf *out);	/* proc_meminfo.c */
void proc_zoneinfo_show(struct kernel *k, struct sbuf *out);		/* proc_zoneinfo.c */
void proc_buddyinfo_show(struct kernel *k, struct sbuf *out);		/* proc_zoneinfo.c */
void node_vmstat_show(struct kernel *k, int nid, struct sbuf *out);	/* vmstat.c */
void node_numastat_show(struct kernel *k, int nid, struct sbuf *out);	/* vmstat.c */
/* /sys/devices/system/node/{possible,online,...}: one node_states mask. */
void node_mask_show(uint64_t mask, struct sbuf *out);			/* sysfs_node.c */

/* Online node directories (nodeN), shared by /sys/devices/system/node and /sys/bus/node/devices. */
bool sysfs_node_lookup(struct vfs_ctx *c, const char *name, unsigned long *id);
void sysfs_node_list(struct vfs_ctx *c, struct strlist *names);

#endif
