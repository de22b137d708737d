/* SPDX-License-Identifier: MIT */
/*
 * The QEMU-like machine: x86-64 `pc` boot layout, memory backends, DIMM
 * slots in the device-memory region, and the monitor (HMP).
 */
#ifndef MEMHP_MACHINE_MACHINE_H
#define MEMHP_MACHINE_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include "../lib/sbuf.h"

struct machine;
struct kernel;

/*
 * Parse QEMU options (the subset of scenario-format.md), lay out memory as
 * QEMU 7.2's pc machine does, create the backends (anonymous mmap,
 * MAP_NORESERVE) and boot the guest kernel. NULL + QEMU's message on error.
 */
/* What QEMU 7.2.22 of Debian 12 says about itself (query-version, info version) */
#define QEMU_MAJOR	7
#define QEMU_MINOR	2
#define QEMU_MICRO	22
#define QEMU_PACKAGE	"Debian 1:7.2+dfsg-7+deb12u18+b3"

struct machine *machine_new(int argc, char *const argv[], struct sbuf *err);
void machine_free(struct machine *m);
struct kernel *machine_guest(struct machine *m);

/* One HMP command line; output appended to out. 0, or -1 when it printed an Error. */
int hmp_command(struct machine *m, const char *line, struct sbuf *out);
/* -qmp unix:PATH,server=on,wait=off: PATH, or NULL; -monitor stdio given */
const char *machine_qmp_path(const struct machine *m);
bool machine_monitor_stdio(const struct machine *m);
/* HMP `quit` was given: whoever runs the machine should end it, as QEMU exits. */
bool machine_quit_requested(const struct machine *m);
/* The guest ejects the DIMM in slot by itself (sysfs eject): 0, or -errno when it stays. */
int machine_acpi_eject(struct machine *m, int slot);

/* QMP events the machine raises (DEVICE_DELETED, ACPI_DEVICE_OST), for a QMP server. */
typedef void (*machine_event_fn)(void *opaque, const char *event, const char *json_data);
void machine_set_event_handler(struct machine *m, machine_event_fn fn, void *opaque);

/*
 * ---- QMP (qmp.c): the structured monitor, for a QMP server ----
 *
 * Arguments arrive typed, as a JSON parser gives them; the machine checks
 * them as QEMU 7.2's QAPI visitors do and answers with QEMU's error class
 * and message. Each call returns 0, or a negative enum qmp_error_class with
 * the message (one line, no "Error: ") in err.
 */
#include <stdbool.h>
#include <stddef.h>

enum qmp_error_class {
	QMP_ERROR_GENERIC = 1,		/* GenericError */
	QMP_ERROR_COMMAND_NOT_FOUND,	/* CommandNotFound */
	QMP_ERROR_DEVICE_NOT_FOUND,	/* DeviceNotFound */
};
const char *qmp_error_class_name(int qmp_error);	/* "GenericError", ... */

/*
 * QMP_ARG_INT: an int64; QMP_ARG_UINT: a uint64 above INT64_MAX (QEMU's QNUM_U64); QMP_ARG_NUMBER: a double;
 * QMP_ARG_LIST: an array, its elements in str as "N,N,...", each "x" that is not a non-negative integer
 */
enum qmp_arg_type {
	QMP_ARG_STR, QMP_ARG_INT, QMP_ARG_BOOL, QMP_ARG_NUMBER, QMP_ARG_NULL, QMP_ARG_OTHER, QMP_ARG_UINT,
	QMP_ARG_LIST
};

/* One member of a command's "arguments" object. */
struct qmp_arg {
	const char *key;
	enum qmp_arg_type type;
	const char *str;	/* QMP_ARG_STR */
	long long i;		/* QMP_ARG_INT */
	bool b;			/* QMP_ARG_BOOL */
	double d;		/* QMP_ARG_NUMBER */
	unsigned long long u;	/* QMP_ARG_UINT */
};

/* object-add {qom-type, id, props...}: memory-backend-ram only */
int qmp_object_add(struct machine *m, const struct qmp_arg *args, size_t n, struct sbuf *err);
/* object-del {id} */
int qmp_object_del(struct machine *m, const char *id, struct sbuf *err);
/* device_add {driver, id, memdev, slot, node, addr}: values are taken as QemuOpts strings */
int qmp_device_add(struct machine *m, const struct qmp_arg *args, size_t n, struct sbuf *err);
/* device_del {id}: id or QOM path; the unplug (and its events) completes before the return */
int qmp_device_del(struct machine *m, const char *id, struct sbuf *err);

/* query-memory-devices as JSON text: DIMMs and virtio-mem devices by address */
void qmp_query_memory_devices_json(struct machine *m, struct sbuf *json);
/* qom-get {path, property}: the value as JSON text in json (qom.c) */
int qmp_qom_get(struct machine *m, const char *path, const char *prop, struct sbuf *json, struct sbuf *err);
/* qom-list {path}: a JSON array of {"name", "type"} in QEMU's order */
int qmp_qom_list(struct machine *m, const char *path, struct sbuf *json, struct sbuf *err);
/* qom-set {path, property, value} */
int qmp_qom_set(struct machine *m, const char *path, const char *prop, const struct qmp_arg *value,
		struct sbuf *err);
/* query-acpi-ospm-status: a JSON array of ACPIOSTInfo, one per DIMM slot */
void qmp_query_acpi_ospm_status(struct machine *m, struct sbuf *json);

/* query-memory-devices: the DIMMs, sorted by address */
struct qmp_dimm_info {
	char *id;		/* NULL: unnamed */
	uint64_t addr, size;
	int slot, node;
	char *memdev;		/* QOM path: /objects/ID */
	bool hotplugged, hotpluggable;
};
int qmp_query_memory_devices(struct machine *m, struct qmp_dimm_info **list, size_t *n);
void qmp_free_memory_devices(struct qmp_dimm_info *list, size_t n);

/* query-memdev: the memory backends, in QEMU's order */
struct qmp_memdev_info {
	char *id;
	uint64_t size;
	bool merge, dump, prealloc, share, reserve;
	char policy[16];
	uint64_t host_nodes[2];		/* bitmap of the host nodes, 128 of them (QEMU's MAX_NODES) */
};
int qmp_query_memdev(struct machine *m, struct qmp_memdev_info **list, size_t *n);
void qmp_free_memdev(struct qmp_memdev_info *list, size_t n);

/* query-memory-size-summary; has_plugged false when the machine has no device memory */
void qmp_query_memory_size_summary(struct machine *m, uint64_t *base, uint64_t *plugged, bool *has_plugged);

#endif
