/* SPDX-License-Identifier: MIT */
/*
 * The vocabulary the machine's QMP side and a QMP server share, as QEMU's
 * generated qapi-types: the version QEMU reports, QMP's error classes, a
 * command's typed arguments and the answers of the structured queries.
 * Types only: nothing here reaches a machine (that is machine.h, or for the
 * memhp program src/api/host.h).
 */
#ifndef MEMHP_MACHINE_QAPI_H
#define MEMHP_MACHINE_QAPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What QEMU 7.2.22 of Debian 12 says about itself (query-version, info version) */
#define QEMU_MAJOR	7
#define QEMU_MINOR	2
#define QEMU_MICRO	22
#define QEMU_PACKAGE	"Debian 1:7.2+dfsg-7+deb12u18+b3"

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

/* query-memory-devices: the DIMMs, sorted by address */
struct qmp_dimm_info {
	char *id;		/* NULL: unnamed */
	uint64_t addr, size;
	int slot, node;
	char *memdev;		/* QOM path: /objects/ID */
	bool hotplugged, hotpluggable;
};
/* query-memdev: the memory backends, in QEMU's order */
struct qmp_memdev_info {
	char *id;
	uint64_t size;
	bool merge, dump, prealloc, share, reserve;
	char policy[16];
	uint64_t host_nodes[2];		/* bitmap of the host nodes, 128 of them (QEMU's MAX_NODES) */
};

#endif
