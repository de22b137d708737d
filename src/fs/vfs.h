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

/*
 * Absolute paths (a relative one is taken from /); a trailing '/', repeated
 * '/', "." and ".." are accepted. Symlinks inside a path are followed
 * relative to their directory (/sys/bus/memory/devices/memory32/state,
 * /sys/devices/system/node/node0/memory0/online); more than 40 in one walk
 * give -ELOOP. A file inside a file gives -ENOTDIR.
 */
/* lstat(): a final symlink is reported as a link, with its target. 0 or -ENOENT (-ENOTDIR, -ELOOP). */
int vfs_stat(struct kernel *k, const char *path, struct vfs_stat *st);
/*
 * open(path, acc) by root (acc: O_RDONLY, O_WRONLY or O_RDWR; a write open
 * also creates a missing name): 0 or -errno, as each file system decides it
 * at open time. kernfs (sysfs) refuses a reader of a file without ->show and
 * a writer of one without ->store, root or not (kernfs_fop_open), and cannot
 * create names (EACCES). procfs leaves it to the permission check, which
 * root's CAP_DAC_OVERRIDE passes for any regular file: `echo 1 >
 * /proc/meminfo` opens, and the write fails (vfs_write: -EIO); a missing
 * procfs name is ENOENT. A directory is EISDIR for writing.
 */
/* flags may add O_TRUNC (the shell's `>`): tracefs's filters and buffer are emptied at open. */
int vfs_open(struct kernel *k, const char *path, int flags);
/*
 * Read a file, appending its whole content to out (nothing on failure):
 * 0, -ENOENT, -EISDIR, -EACCES (write-only file), or the show's -errno (-EIO, ...).
 */
int vfs_read(struct kernel *k, const char *path, struct sbuf *out);
/*
 * Write a file: 0 (all consumed), -ENOENT, -EISDIR, -EACCES (read-only sysfs
 * file), -EIO (procfs file), or the store's -errno. As sysfs, the store sees
 * at most 4095 bytes, NUL-terminated.
 */
int vfs_write(struct kernel *k, const char *path, const char *buf, size_t len);
/* mount -t tracefs nodev /sys/kernel/tracing (tracefs.c) */
int tracefs_mount(struct kernel *k);
/* List a directory, adding names to names (unsorted, no "." or ".."): 0, -ENOENT, -ENOTDIR */
int vfs_list(struct kernel *k, const char *path, struct strlist *names);

/*
 * kernfs_name_hash(): kernfs keeps a directory's entries in an rbtree by
 * this hash (then by name), and readdir() returns them in that order: the
 * order libndctl and libdaxctl meet devices in, e.g. memory10, memory11,
 * memory9. vfs_sort_kernfs() puts a listing in that order.
 */
unsigned int kernfs_name_hash(const char *name);
void vfs_sort_kernfs(struct strlist *names);

#endif
