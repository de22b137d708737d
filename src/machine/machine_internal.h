/* SPDX-License-Identifier: MIT */
/*
 * Private data of the QEMU-like machine, shared by the files of
 * src/machine/ only. Everything here mirrors one piece of QEMU 7.2's `pc`
 * machine: its option parsing (cmdline.c), memory layout and firmware
 * tables (layout.c, firmware.c), memory backends (backend.c), pc-dimm
 * devices (dimm.c), the /objects container's hash order (qom_order.c) and
 * the human monitor (hmp.c).
 */
#ifndef MEMHP_MACHINE_INTERNAL_H
#define MEMHP_MACHINE_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine.h"
#include "../kernel/kernel.h"
#include "../lib/sbuf.h"

#define KiB			(1ULL << 10)
#define MiB			(1ULL << 20)
#define GiB			(1ULL << 30)
#define TiB			(1ULL << 40)

#define ROUND_UP(x, a)		((((x) + (a) - 1) / (a)) * (a))
#define IS_ALIGNED(x, a)	(((x) % (a)) == 0)

/* hw/acpi/memory_hotplug.h: the DIMM slots the ACPI device can describe */
#define ACPI_MAX_RAM_SLOTS	256
/* QEMU's MAX_NODES; memhp's guest handles at most MAX_NUMNODES of them */
#define QEMU_MAX_NODES		128
/* pc-i440fx-7.2's max_cpus */
#define PC_MAX_CPUS		255
/* anonymous RAM backends are aligned to the THP size on x86-64 */
#define BACKEND_ALIGN		0x200000ULL
/* i440fx's default pci-hole64-size */
#define PCI_HOLE64_SIZE		(2 * GiB)
/* AMD HyperTransport hole below 1 TiB, reserved by QEMU >= 7.1 in e820 */
#define AMD_HT_START		0xfd00000000ULL
#define AMD_HT_END		0x10000000000ULL
#define AMD_ABOVE_1TB_START	AMD_HT_END
/* SeaBIOS keeps its high tables in the top 128 KiB of RAM below 4 GiB */
#define SEABIOS_ACPI_TABLES_SIZE	0x20000ULL	/* QEMU's ACPI_BUILD_TABLE_SIZE */
#define SEABIOS_MAX_SMBIOS_FSEG	600	/* BUILD_MAX_SMBIOS_FSEG */
#define NVDIMM_DSM_MEM_SIZE	0x1000ULL	/* sizeof(NvdimmDsmIn), also its alignment */

/* ---- qom_order.c: GLib 2.74 GHashTable with g_str_hash keys ---- */

struct qom_table;
typedef void (*qom_foreach_fn)(const char *key, void *value, void *opaque);

struct qom_table *qom_table_new(void);
void qom_table_free(struct qom_table *t);
/* -EEXIST if the key is there already (QEMU: duplicate property) */
int qom_table_insert(struct qom_table *t, const char *key, void *value);
void *qom_table_lookup(const struct qom_table *t, const char *key);
/* -ENOENT if absent; leaves a tombstone as GLib does */
int qom_table_remove(struct qom_table *t, const char *key);
/* in GHashTableIter order (bucket index order) */
void qom_table_foreach(const struct qom_table *t, qom_foreach_fn fn, void *opaque);
size_t qom_table_count(const struct qom_table *t);
uint32_t qom_str_hash(const char *s);

/* ---- backend.c: memory-backend-ram objects ---- */

#define BACKEND_MAX_HOST_NODES	128	/* QEMU's MAX_NODES */
#define BACKEND_HOST_NODE_WORDS	(BACKEND_MAX_HOST_NODES / 64)

struct backend {
	char *id;
	uint64_t size;
	bool merge, dump, prealloc, share, reserve;
	char policy[16];
	uint64_t host_nodes[BACKEND_HOST_NODE_WORDS];	/* set by qom-set host-nodes */
	uint32_t prealloc_threads;	/* 0: the machine's CPUs */
	bool canonical_path;		/* x-use-canonical-path-for-ramblock-id */
	void *host;		/* anonymous MAP_NORESERVE mapping, never touched here */
	bool mapped;		/* host_memory_backend_is_mapped(): a DIMM or NUMA node uses it */
};

/* Options of one memory-backend-ram, as -object / object_add give them. */
struct backend_opts {
	char *id;
	uint64_t size;
	bool have_size;
	bool merge, dump, prealloc, share, reserve;
	char policy[16];
	uint64_t host_nodes[BACKEND_HOST_NODE_WORDS];
	uint32_t prealloc_threads;	/* 0: not given */
	bool canonical_path;
	bool setter_failed;		/* backend.c's own: a setter refused a value */
};

/*
 * Parse "memory-backend-ram,id=..,size=..[,...]". Returns 0, or -1 with
 * QEMU's message in err. size_zero is set when the failure is size=0, which
 * QEMU reports without the option's location.
 */
int backend_parse(const char *text, struct backend_opts *bo, bool *size_zero, struct sbuf *err);
/* the same for object_add/object-add, whose keyval lists are "host-nodes.0=N,..." (size_zero: any
 * property setter's refusal, which QEMU reports without the option's location) */
int backend_parse_keyval(const char *text, struct backend_opts *bo, bool *size_zero, struct sbuf *err);
void backend_opts_release(struct backend_opts *bo);
/* Create the object and map its memory; -1 + message on mmap failure. */
struct backend *backend_create(const struct backend_opts *bo, struct sbuf *err);
void backend_destroy(struct backend *be);

/*
 * object_interfaces.c: object_add / object-add from QemuOpts text, and
 * object_del / object-del, for both monitors. 0, or -1 with QEMU's message
 * in err (no "Error: "; a parse error may add a hint line, which HMP shows).
 */
int user_creatable_add_opts(struct machine *m, const char *text, struct sbuf *err);
int user_creatable_del(struct machine *m, const char *id, struct sbuf *err);

/* ---- option parsing helpers (opts.c) ---- */

struct opt_kv {
	char *key;
	char *val;	/* NULL for a bare word ("pc", "node") */
};

struct opt_list {
	struct opt_kv *v;
	size_t n, cap;
};

/* Split "a=1,b=2,word" QemuOpts-style; ",," is a literal comma. */
void opts_split(const char *text, struct opt_list *l);
void opts_free(struct opt_list *l);
/* qemu_strtosz(): K/M/G/T/P/E suffixes, fractions; default_unit for bare numbers */
int parse_size(const char *s, uint64_t default_unit, uint64_t *out);
/* qemu_strtoi64 with base 0 (decimal, 0x hex, 0 octal) */
int parse_int64(const char *s, int64_t *out);
int parse_uint64(const char *s, uint64_t *out);
/* QAPI keyval booleans: on/off, yes/no, true/false */
int parse_bool(const char *s, bool *out);
/* QEMU identifiers: letters, digits, '-', '.', '_', starting with a letter */
bool id_wellformed(const char *id);

/* ---- the machine ---- */

struct dimm {
	char *id;		/* NULL for an unnamed device */
	char *path;		/* QOM path, for DEVICE_DELETED */
	int slot;
	int node;
	uint64_t addr, size;
	struct backend *be;
	bool hotplugged;	/* false for a -device on the command line */
	/* an nvdimm: size is the PMEM, the backend less the label area at its end, aligned down */
	bool nvdimm, unarmed;
	uint64_t label_size;
};

/* virtio-mem-pci (virtio_mem.c, a memhp extension) */
struct virtio_mem;
#define VMEM_MAX 16
struct vmem_dev {
	char *id, *path;
	struct backend *be;
	uint32_t node;
	uint64_t addr, block_size, requested_size, size, usable_region_size;
	uint8_t *bitmap;		/* one byte per block: plugged */
	uint64_t nb_blocks;
	int pci_slot;
	char pci_name[16];
	uint64_t bar_addr;
	bool hotplugged;
	struct virtio_mem *drv;		/* the guest driver bound to it */
	struct machine *machine;	/* for MEMORY_DEVICE_SIZE_CHANGE */
};


struct numa_node_cfg {
	bool present;
	char *memdev;		/* -numa node,memdev= */
	struct backend *be;
	uint64_t mem;		/* boot RAM of the node */
};

struct machine_config {
	uint64_t ram_size, maxram_size;
	unsigned int ram_slots;
	int smp;
	int nr_nodes;			/* -numa nodes, or 1 when QEMU enables NUMA for memory hotplug */
	bool numa_given;		/* -numa on the command line */
	bool numa_memdev;		/* nodes take their RAM from memdev backends */
	struct numa_node_cfg node[QEMU_MAX_NODES];
	int cpu_node[MAX_CPUS];		/* -1: not in any -numa cpus= */
	char *append;
	/* -device pc-dimm,...: plugged before the guest boots (text and its "-device TEXT" location) */
	char **cold_dimm, **cold_dimm_loc;
	int nr_cold_dimms;
	bool no_acpi;			/* -no-acpi: DIMMs cannot be plugged */
	bool nvdimm;			/* -machine nvdimm=on: NVDIMMs and the ACPI NFIT */
	char *qmp_path;			/* -qmp unix:PATH,server=on,wait=off */
	bool monitor_stdio;		/* -monitor stdio */
	bool kvm;			/* -enable-kvm, -accel kvm */
	char *cpu_features;		/* the last -cpu qemu64,FEATURES: FEATURES */
	uint32_t phys_bits;		/* the CPU's, once realized (cpu.c) */
	bool gbpages;			/* the CPU has 1 GiB pages (X86_FEATURE_GBPAGES) */
};

/* -cpu's properties that set the physical address width */
struct cpu_phys_props {
	uint32_t phys_bits;		/* 0: not given */
	bool host_phys_bits;
	uint8_t host_phys_bits_limit;
	bool pdpe1gb;			/* +pdpe1gb, pdpe1gb=on */
};

/* x86_cpu_parse_featurestr() and the global properties' parsing (cpu.c) */
int cpu_parse_features(struct cpu_phys_props *p, const char *features, struct sbuf *err);
/* host_cpu_realizefn() and x86_cpu_realizefn(): the width, or QEMU's refusal */
int cpu_realize_phys_bits(const struct cpu_phys_props *p, bool kvm, uint32_t *out, struct sbuf *err);

struct mem_layout {
	uint64_t below_4g, above_4g;	/* RAM sizes */
	uint64_t above_4g_start;	/* 4 GiB (1 TiB with AMD HT relocation) */
	uint64_t devmem_base, devmem_size;	/* device_memory region, size 0 if none */
	uint64_t hole64_start, hole64_size;
};

/* One piece of boot RAM: RAM space offset [ram_off, ram_off+size) is be at be_off. */
struct ram_segment {
	struct backend *be;
	uint64_t ram_off, size;
};

struct machine {
	struct machine_config cfg;
	struct mem_layout lay;

	struct ram_segment ram[QEMU_MAX_NODES];
	int nr_ram;

	/* /objects: user-creatable objects, in GLib hash order */
	struct qom_table *objects;

	/*
	 * Plugged DIMMs, by slot. host_ptr() runs on guest threads while the
	 * monitor plugs and unplugs: dimm_lock guards this table.
	 */
	pthread_rwlock_t dimm_lock;
	struct dimm *slot[ACPI_MAX_RAM_SLOTS];
	unsigned int anon_devices;	/* /machine/peripheral-anon/device[N] */
	/* virtio-mem-pci devices, in creation order (also under dimm_lock) */
	struct vmem_dev *vmem[VMEM_MAX];
	int nr_vmem;
	int nr_hot_pci;			/* hot-added PCI devices: their BARs in the 64-bit window */
	bool quit_requested;		/* HMP quit */
	/* the guest's last _OST per DIMM slot (query-acpi-ospm-status) */
	int ost_event[ACPI_MAX_RAM_SLOTS], ost_status[ACPI_MAX_RAM_SLOTS];

	struct boot_params bp;
	struct kernel *k;

	machine_event_fn event_fn;
	void *event_opaque;
};

/* cmdline.c: argv -> cfg, backends created into m->objects */
int machine_parse_cmdline(struct machine *m, int argc, char *const argv[], struct sbuf *err);
void machine_config_release(struct machine_config *cfg);

/* layout.c */
int machine_compute_layout(const struct machine_config *cfg, struct mem_layout *lay, struct sbuf *err);
void machine_build_ram_segments(struct machine *m);

/* firmware.c: what SeaBIOS + QEMU hand to Linux */
void machine_fill_boot_params(struct machine *m, struct boot_params *bp);
void *machine_host_ptr(void *opaque, uint64_t paddr, uint64_t len);

/* dimm.c */
int dimm_device_add(struct machine *m, const char *args, struct sbuf *out);
int dimm_device_del(struct machine *m, const char *id, struct sbuf *out);
/* DIMMs sorted by address (qmp_memory_device_list); caller frees the array */
int dimm_list_sorted(struct machine *m, struct dimm ***list);
uint64_t dimm_plugged_size(struct machine *m, int node);	/* node -1: all */
void dimm_release_all(struct machine *m);
bool dimm_id_in_use(struct machine *m, const char *id);

/* memory_device.c: what pc-dimm and virtio-mem-pci share (hw/mem/memory-device.c) */
struct memory_device {
	uint64_t addr, size;		/* the region it takes (a virtio-mem device: max-size) */
	const char *id;			/* NULL: unnamed */
	struct dimm *dimm;		/* one of the two */
	struct vmem_dev *vmem;
};
/* Every memory device by address (qmp_memory_device_list()); caller frees the array */
int memory_device_list(struct machine *m, struct memory_device **list);
/* get_plugged_memory_size(), of one node or (node -1) all */
uint64_t get_plugged_memory_size(struct machine *m, int node);
enum memory_device_match { MD_BY_ID = 1, MD_BY_PATH = 2 };
/* The device whose id and/or QOM path is name: DIMMs by slot, then virtio-mem */
bool memory_device_find(struct machine *m, const char *name, enum memory_device_match how,
			struct memory_device *md);
/*
 * memory_device_get_free_addr(): the first fit in the device-memory region
 * at align, or hint (0: anywhere) checked; -1 with HMP's "Error: ..." in out.
 */
int memory_device_get_free_addr(struct machine *m, uint64_t hint, uint64_t size, uint64_t align,
				uint64_t *addr, struct sbuf *out);

/* virtio_mem.c */
bool vmem_is_driver(const char *args);
struct vmem_dev *vmem_find(struct machine *m, const char *id);
int vmem_device_add(struct machine *m, const char *args, struct sbuf *out);
int vmem_qom_set(struct machine *m, const char *path, const char *prop, const char *value, struct sbuf *out);
uint64_t vmem_plugged_size(struct machine *m, int node);
void *vmem_host_ptr(struct machine *m, uint64_t paddr, uint64_t len);
void vmem_info(const struct vmem_dev *v, struct sbuf *out);
void vmem_guest_probe(struct machine *m, struct vmem_dev *v);
void vmem_probe_cold(struct machine *m);
void vmem_release_all(struct machine *m);

/* machine.c */
void machine_emit_event(struct machine *m, const char *event, const char *json_data);

/* backend.c: every backend, in the order query-memdev and `info memdev` list them (free the array). */
struct backend **backends_query_order(struct machine *m, size_t *n);

/* the host nodes as qom-get (a JSON array) and info memdev ("0-2,5") print them (qom_set.c) */
void backend_host_nodes_json(const struct backend *be, struct sbuf *json);
void backend_host_nodes_ranges(const struct backend *be, struct sbuf *out);

/* qom_set.c: a property's name and QOM type, qom-list's entries */
struct qom_prop {
	const char *name, *type;
};
extern const struct qom_prop vmem_qom_props[];
extern const size_t vmem_qom_nprops;
bool vmem_qom_has_prop(const char *prop);
/* qom-set after creation: 0, or -QMP_ERROR_* with QEMU's message; qom_vmem_set: 1 for its own setters */
int qom_backend_set(struct machine *m, struct backend *be, const char *prop, const struct qmp_arg *val,
		    bool hmp, struct sbuf *err);
int qom_dimm_set(struct machine *m, struct dimm *d, const char *prop, const struct qmp_arg *val, bool hmp,
		 struct sbuf *err);
int qom_vmem_set(struct machine *m, struct vmem_dev *v, const char *prop, const struct qmp_arg *val, bool hmp,
		 struct sbuf *err);

/* qom.c: qom-set (hmp: the value is HMP's string, parsed as the string input visitor does) */
int qom_set_value(struct machine *m, const char *path, const char *prop, const struct qmp_arg *val, bool hmp,
		  struct sbuf *err);

#endif
