/* SPDX-License-Identifier: MIT */
/*
 * The guest shell (a busybox ash subset): what each command needs and how
 * it reports. Output goes into buffers; errors are worded as busybox's after
 * the oracle's canonicalisation (scenario-format.md, "The transcript").
 */
#ifndef MEMHP_USER_SHELL_H
#define MEMHP_USER_SHELL_H

#include <stddef.h>

#include "../lib/sbuf.h"

struct memhp;
struct kernel;

struct sh_io {
	struct sbuf *out;	/* file descriptor 1 */
	struct sbuf *err;	/* file descriptor 2: the same buffer as out unless redirected */
	const char *in;		/* file descriptor 0: the data of a pipe or < redirection, or NULL */
	size_t in_len;
	int errnum;		/* the last errno a command met, for memhp_shell's return value */
};

/* A command: argv[0] is its name; returns its exit status. */
typedef int (*sh_cmd_fn)(struct memhp *m, int argc, char **argv, struct sh_io *io);

int sh_cat(struct memhp *m, int argc, char **argv, struct sh_io *io);
int sh_echo(struct memhp *m, int argc, char **argv, struct sh_io *io);
int sh_ls(struct memhp *m, int argc, char **argv, struct sh_io *io);
int sh_modprobe(struct memhp *m, int argc, char **argv, struct sh_io *io);
/* mount -t tracefs or debugfs SOURCE DIR (shell_mount.c) */
int sh_mount(struct memhp *m, int argc, char **argv, struct sh_io *io);
int sh_rmmod(struct memhp *m, int argc, char **argv, struct sh_io *io);
int sh_free(struct memhp *m, int argc, char **argv, struct sh_io *io);
int sh_grep(struct memhp *m, int argc, char **argv, struct sh_io *io);
int sh_memhog(struct memhp *m, int argc, char **argv, struct sh_io *io);
int sh_dmesg(struct memhp *m, int argc, char **argv, struct sh_io *io);
int sh_test(struct memhp *m, int argc, char **argv, struct sh_io *io);	/* test and [ */
int sh_printf(struct memhp *m, int argc, char **argv, struct sh_io *io);
int sh_head(struct memhp *m, int argc, char **argv, struct sh_io *io);
int sh_tail(struct memhp *m, int argc, char **argv, struct sh_io *io);
int sh_wc(struct memhp *m, int argc, char **argv, struct sh_io *io);
int sh_sort(struct memhp *m, int argc, char **argv, struct sh_io *io);
int sh_uniq(struct memhp *m, int argc, char **argv, struct sh_io *io);
int sh_tee(struct memhp *m, int argc, char **argv, struct sh_io *io);
/* ndctl (nd_tools.c) and daxctl (daxctl.c) for legacy PMEM and NVDIMMs */
int sh_ndctl(struct memhp *m, int argc, char **argv, struct sh_io *io);
int sh_daxctl(struct memhp *m, int argc, char **argv, struct sh_io *io);

/* Would opening a guest file for writing succeed (0), or its -errno; then one write(2) of data. */
int sh_open_write(struct memhp *m, const char *path);
int sh_write_file(struct memhp *m, const char *path, const char *data, size_t len);

/* A path as the kernel sees it: commands run in "/", so "a/b" is "/a/b". */
void sh_abspath(const char *path, struct sbuf *out);

/* Expand a glob pattern (shlex.h's escaped form) against the guest's files; matches are added sorted. */
void sh_glob(struct memhp *m, const char *pattern, struct strlist *matches);

struct vfs_stat;
/* The size stat(2) shows: a sysfs attribute 4096, procfs and debugfs files and directories 0. */
unsigned long sh_file_size(const char *path, const struct vfs_stat *st);

/* Read a guest file whose name the user gave (relative or absolute). */
int sh_read_file(struct memhp *m, const char *path, struct sbuf *out);

#endif
