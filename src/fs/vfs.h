/* SPDX-License-Identifier: MIT */
/*
 * The guest's pseudo file systems: sysfs (/sys/devices/system/memory,
 * /sys/devices/system/node, /sys/module/memory_hotplug/parameters,
 * /sys/firmware/memmap), debugfs (/sys/kernel/debug/notifier-error-inject)
 * and procfs (/proc/iomem, meminfo, zoneinfo, buddyinfo), generated from the
 * kernel's state on every access, with the kernel's formats and errnos.
 */
#ifndef MEMHP_FS_VFS_H
#define MEMHP_FS_VFS_H

#include <stdbool.h>
#include <stddef.h>
#include "../lib/sbuf.h"

struct kernel;

enum vfs_type { VFS_DIR, VFS_FILE, VFS_LINK };

struct vfs_stat {
	enum vfs_type type;
	unsigned mode;		/* permission bits, as the kernel shows them (0444, 0644, 0200, 0755, 0777) */
	char target[256];	/* symlink target, relative, as readlink shows it */
};

/* Absolute paths; a trailing '/' and repeated '/' are accepted. */
int vfs_stat(struct kernel *k, const char *path, struct vfs_stat *st);	/* 0 or -ENOENT */
/* Read a file: 0, -ENOENT, -EISDIR, -EACCES (write-only file), -EIO */
int vfs_read(struct kernel *k, const char *path, struct sbuf *out);
/* Write a file: 0 (all consumed), -ENOENT, -EISDIR, -EACCES (read-only file), or the store's -errno */
int vfs_write(struct kernel *k, const char *path, const char *buf, size_t len);
/* List a directory (unsorted): 0, -ENOENT, -ENOTDIR */
int vfs_list(struct kernel *k, const char *path, struct strlist *names);

#endif
