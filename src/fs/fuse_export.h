/* SPDX-License-Identifier: MIT */
/*
 * The guest's sysfs, procfs and debugfs (vfs.h) exported to the host as a
 * FUSE file system (libfuse3), so that real tools (lsmem, chmem, the
 * kernel's selftests, udev-style scripts) run against the guest unchanged:
 * MOUNT/sys/devices/system/memory/memory32/state is the guest's file, a
 * write refused by the guest kernel fails with its errno, and blocks appear
 * and vanish with hot-add and remove (nothing is cached).
 *
 * Built only when libfuse3 is installed (MEMHP_HAVE_FUSE).
 */
#ifndef MEMHP_FS_FUSE_EXPORT_H
#define MEMHP_FS_FUSE_EXPORT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "../lib/sbuf.h"

struct kernel;
struct fuse_export;

struct fuse_export_config {
	struct kernel *k;
	const char *mountpoint;
	bool allow_other;		/* let other users in (else the owner only) */
	pthread_mutex_t *lock;		/* held around every access to k (may be NULL) */
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
};

/* Mount at cfg->mountpoint; NULL with a message in err. */
struct fuse_export *fuse_export_new(const struct fuse_export_config *cfg, struct sbuf *err);
/*
 * Serve requests in the calling thread until SIGINT, SIGTERM or SIGHUP
 * (handlers installed for the duration) or an external unmount. Other
 * threads should block those signals. 0, or -1 on a FUSE error.
 */
int fuse_export_loop(struct fuse_export *fx);
/* Unmount and free. */
void fuse_export_free(struct fuse_export *fx);

#endif
