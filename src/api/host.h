/* SPDX-License-Identifier: MIT */
/*
 * The host interface: what the memhp program (src/tools) needs beyond the
 * public API (memhp/memhp.h) to play QEMU's part on the host side — the
 * human monitor's terminal, a QMP server with its events, modprobe of the
 * guest's test modules, the FUSE view of the guest's file systems and the
 * scenario runner. src/tools includes this header and memhp/memhp.h and
 * nothing else of the library.
 *
 * Not installed and not exported: the functions are hidden (no MEMHP_API),
 * so libmemhp.a and libmemhp.so still show only memhp_*; the program links
 * the internal archive. Every function takes the public handle, never the
 * machine or the guest kernel, and holds the machine's lock (the public
 * API's) for its duration, but for the QMP commands, which are called
 * with it held. host_lock() lets a
 * caller run several calls as one step (a QMP command, an HMP line); the
 * lock is recursive.
 *
 * Strings are the library's growable buffer (lib/sbuf.h). The QMP
 * vocabulary (argument types, error classes, query answers, the QEMU
 * version) is the machine's qapi.h, types only.
 */
#ifndef MEMHP_API_HOST_H
#define MEMHP_API_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memhp/memhp.h"
#include "../lib/sbuf.h"
#include "../machine/qapi.h"
#include "../user/scenario.h"

/* ---- the machine's lock ---- */

/* Hold the lock every public function takes (recursive); NULL-safe. */
void host_lock(struct memhp *m);
void host_unlock(struct memhp *m);

/* ---- what the QEMU command line asked of the host ---- */

/* -qmp unix:PATH,server=on,wait=off: PATH (the machine's, valid for its life), or NULL */
const char *host_qmp_path(struct memhp *m);
/* -monitor stdio was given */
bool host_monitor_stdio(struct memhp *m);
/* HMP or QMP `quit` was given: the host should end the machine, as QEMU exits. */
bool host_quit_requested(struct memhp *m);

/* ---- the human monitor ---- */

/* One HMP command line, output appended to out: 0, or -1 when it printed an Error. */
int host_hmp_command(struct memhp *m, const char *line, struct sbuf *out);

/* ---- QMP: the machine's side of QEMU 7.2's commands (machine/qmp.c, qom.c) ----
 *
 * Called with host_lock() held, as QEMU runs a QMP command under its big
 * lock: a command and the events it raises are one step for every other
 * thread. Arguments arrive typed, as a JSON parser gives them. Each call
 * returns 0, or a negative enum qmp_error_class with QEMU's message (one
 * line, no "Error: ") in err. JSON answers are appended to json as text.
 */
int host_qmp_object_add(struct memhp *m, const struct qmp_arg *args, size_t n, struct sbuf *err);
int host_qmp_object_del(struct memhp *m, const char *id, struct sbuf *err);
int host_qmp_device_add(struct memhp *m, const struct qmp_arg *args, size_t n, struct sbuf *err);
/* the unplug, and its events, complete before the return */
int host_qmp_device_del(struct memhp *m, const char *id, struct sbuf *err);
void host_qmp_query_memory_devices_json(struct memhp *m, struct sbuf *json);
/* *list (n entries) is the caller's, freed with host_qmp_free_memdev() */
int host_qmp_query_memdev(struct memhp *m, struct qmp_memdev_info **list, size_t *n);
void host_qmp_free_memdev(struct qmp_memdev_info *list, size_t n);
void host_qmp_query_memory_size_summary(struct memhp *m, uint64_t *base, uint64_t *plugged,
					bool *has_plugged);
void host_qmp_query_acpi_ospm_status(struct memhp *m, struct sbuf *json);
int host_qmp_qom_get(struct memhp *m, const char *path, const char *prop, struct sbuf *json,
		     struct sbuf *err);
int host_qmp_qom_list(struct memhp *m, const char *path, struct sbuf *json, struct sbuf *err);
int host_qmp_qom_set(struct memhp *m, const char *path, const char *prop, const struct qmp_arg *value,
		     struct sbuf *err);

/*
 * QMP events the machine raises (DEVICE_DELETED, ACPI_DEVICE_OST), with
 * their "data" member as JSON text. fn runs with the machine's lock held,
 * inside the command that caused the event: it must not block on another
 * thread that waits for the lock. fn NULL: no more events.
 */
typedef void (*host_event_fn)(void *opaque, const char *event, const char *json_data);
void host_set_event_handler(struct memhp *m, host_event_fn fn, void *opaque);

/* ---- modprobe of the guest's modules (memory-notifier-error-inject, the
 * NVDIMM and device-dax modules) ---- */

/* Is name a module the guest can load ('-' and '_' alike, as modprobe)? */
bool host_module_known(const char *name);
/* Does the module take priority= (only memory-notifier-error-inject)? */
bool host_module_takes_priority(const char *name);
/*
 * modprobe NAME [priority=N] / modprobe -r NAME: 0 or -errno (-ENOENT:
 * unknown module; -EBUSY: removing an NVDIMM or device-dax module, which the
 * guest never unloads, as in its shell).
 */
int host_module_load(struct memhp *m, const char *name, int priority);
int host_module_unload(struct memhp *m, const char *name);

/* ---- the guest's persistent-memory disks (src/api/api_blockdev.c) ----
 *
 * nd_pmem's block devices over the namespaces' media: pmemR for each
 * region on the nvdimm bus, the raw namespace's disk or the fsdax (pfn)
 * one after its info block. Bytes read and written are the guest memory
 * behind the namespace, as the guest's kernel sees them.
 */

/* The names a disk may have now or later, one per line ("pmem0\n..."). */
void host_blockdev_list(struct memhp *m, struct sbuf *names);
/* 0 and the disk's size in bytes; -ENXIO: the name exists but nd_pmem attaches no disk now; -ENOENT: no such name */
int host_blockdev_size(struct memhp *m, const char *name, uint64_t *size);
/*
 * len bytes at off: the bytes done (fewer at the disk's end, 0 past it), or
 * -errno (-ENXIO: no disk attached now, -EIO: no memory behind it).
 */
long host_blockdev_io(struct memhp *m, const char *name, void *buf, size_t len, uint64_t off, bool write);

/* ---- the FUSE view (src/fs/fuse_export.c, only when built with libfuse3) ----
 *
 * The guest's sysfs, procfs and debugfs exported to the host as a FUSE file
 * system, so that real tools (lsmem, chmem, the kernel's selftests,
 * udev-style scripts) run against the guest unchanged:
 * MOUNT/sys/devices/system/memory/memory32/state is the guest's file, a
 * write refused by the guest kernel fails with its errno, and blocks appear
 * and vanish with hot-add and remove (nothing is cached). Each request holds
 * the machine's lock.
 */
struct fuse_export;

struct fuse_export_config {
	struct memhp *m;
	const char *mountpoint;
	bool allow_other;		/* let other users in (else the owner only) */
	/*
	 * Control files outside the guest's tree: MOUNT/.memhp/NAME for each
	 * name of control_files (NULL-terminated), write-only; a write calls
	 * control_write(arg, NAME, buf, len) without the lock held, which
	 * returns 0 or a negative errno for the writer.
	 */
	const char *const *control_files;
	int (*control_write)(void *arg, const char *name, const char *buf, size_t len);
	/*
	 * Read-only files beside them: MOUNT/.memhp/NAME for each name of
	 * control_read_files (NULL-terminated), made afresh at each read from
	 * offset 0 by control_read(arg, NAME, out) without the lock held;
	 * 0 or a negative errno for the reader.
	 */
	const char *const *control_read_files;
	int (*control_read)(void *arg, const char *name, struct sbuf *out);
	void *control_arg;
	/*
	 * MOUNT/.memhp/dev/NAME for each of host_blockdev_list()'s disks,
	 * read/write at any offset (opened with direct_io, so O_DIRECT works):
	 * what a mount namespace binds over /dev/NAME. Opening one whose disk
	 * is not attached fails with ENXIO, as a stale device node does.
	 */
	bool block_devices;
};

/* Mount at cfg->mountpoint; NULL with a message in err. */
struct fuse_export *fuse_export_new(const struct fuse_export_config *cfg, struct sbuf *err);
/*
 * Serve requests in the calling thread until SIGINT, SIGTERM or SIGHUP
 * (handlers installed for the duration) or an external unmount. Other
 * threads should block those signals. 0, or -1 on a FUSE error.
 */
int fuse_export_loop(struct fuse_export *fx);
/* Unmount and free; NULL-safe. */
void fuse_export_free(struct fuse_export *fx);

#endif
