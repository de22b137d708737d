// SPDX-License-Identifier: MIT
/*
 * The guest's pseudo file systems over FUSE (libfuse3, high-level API).
 *
 * Every operation goes straight to the vfs (vfs.h) under the machine's lock;
 * the kernel is asked afresh each time (no attribute or entry caching, and
 * direct_io, so a file's content is never cut to its reported size). The
 * semantics follow kernfs: files report st_size 4096 (0 in procfs and
 * debugfs), opening a file for an access its attribute lacks fails with
 * EACCES even for root, one write() is one store, whose -errno the writer
 * gets, and truncation (O_TRUNC of `echo x > FILE`) is accepted and ignored.
 */
#define FUSE_USE_VERSION 31

#include "../api/host.h"

#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vfs.h"
#include "../api/api_internal.h"

#define CONTROL_DIR	"/.memhp"

struct fuse_export {
	struct fuse_export_config cfg;
	struct fuse *fuse;
	bool mounted;
	uid_t uid;
	gid_t gid;
	struct timespec start;
	/* open files: the kernel may not send their RELEASE before we stop */
	pthread_mutex_t files_lock;
	struct open_file *files;
};

/* What an open file keeps: the content of its last read at offset 0. */
struct open_file {
	struct sbuf content;
	bool have;
	struct open_file *prev, *next;
};

static struct fuse_export *ctx_export(void)
{
	return fuse_get_context()->private_data;
}

static void lock(struct fuse_export *fx)
{
	api_lock(fx->cfg.m);
}

static void unlock(struct fuse_export *fx)
{
	api_unlock(fx->cfg.m);
}

/* vfs_stat() under the machine's lock */
static int locked_stat(struct fuse_export *fx, const char *path, struct vfs_stat *vs)
{
	lock(fx);
	int ret = vfs_stat(guest_kernel(fx->cfg.m), path, vs);
	unlock(fx);
	return ret;
}

/* ---- the control files (/.memhp/NAME) ---- */

static bool has_control_dir(struct fuse_export *fx)
{
	return fx->cfg.control_files || fx->cfg.control_read_files;
}

static bool is_control_dir(const char *path)
{
	return !strcmp(path, CONTROL_DIR);
}

static const char *find_control(const char *const *names, const char *path)
{
	size_t n = strlen(CONTROL_DIR);

	if (!names || strncmp(path, CONTROL_DIR "/", n + 1))
		return NULL;
	for (const char *const *c = names; *c; c++)
		if (!strcmp(path + n + 1, *c))
			return *c;
	return NULL;
}

/* a write-only control file's name, or NULL */
static const char *control_name(struct fuse_export *fx, const char *path)
{
	return find_control(fx->cfg.control_files, path);
}

/* a read-only control file's name (e.g. map.svg), or NULL */
static const char *control_read_name(struct fuse_export *fx, const char *path)
{
	return find_control(fx->cfg.control_read_files, path);
}

/* ---- attributes ---- */

/* sysfs reports 4096 bytes for every attribute; procfs and debugfs report 0 */
static off_t file_size(const char *path)
{
	if (!strncmp(path, "/proc/", 6) || !strncmp(path, "/sys/kernel/debug/", 18))
		return 0;
	return 4096;
}

static void fill_common(struct fuse_export *fx, struct stat *st)
{
	st->st_uid = fx->uid;
	st->st_gid = fx->gid;
	st->st_atim = fx->start;
	st->st_mtim = fx->start;
	st->st_ctim = fx->start;
	st->st_blksize = 4096;
}

static int fx_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	struct fuse_export *fx = ctx_export();
	struct vfs_stat vs;
	int ret;

	memset(st, 0, sizeof(*st));
	fill_common(fx, st);
	if (has_control_dir(fx) && is_control_dir(path)) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		return 0;
	}
	if (control_name(fx, path)) {
		st->st_mode = S_IFREG | 0200;
		st->st_nlink = 1;
		st->st_size = 4096;
		return 0;
	}
	if (control_read_name(fx, path)) {
		/* made at each read, of no size beforehand: 0, as procfs reports */
		st->st_mode = S_IFREG | 0444;
		st->st_nlink = 1;
		return 0;
	}
	ret = locked_stat(fx, path, &vs);
	if (ret < 0)
		return ret;
	switch (vs.type) {
	case VFS_DIR:
		st->st_mode = S_IFDIR | (vs.mode & 07777);
		st->st_nlink = 2;
		break;
	case VFS_LINK:
		st->st_mode = S_IFLNK | 0777;
		st->st_nlink = 1;
		st->st_size = (off_t)strlen(vs.target);
		break;
	case VFS_FILE:
		st->st_mode = S_IFREG | (vs.mode & 07777);
		st->st_nlink = 1;
		st->st_size = file_size(path);
		break;
	}
	return 0;
}

static int fx_readlink(const char *path, char *buf, size_t size)
{
	struct fuse_export *fx = ctx_export();
	struct vfs_stat vs;
	int ret;

	if (!size)
		return -EINVAL;
	ret = locked_stat(fx, path, &vs);
	if (ret < 0)
		return ret;
	if (vs.type != VFS_LINK)
		return -EINVAL;
	snprintf(buf, size, "%s", vs.target);	/* FUSE wants it NUL-terminated, cut if need be */
	return 0;
}

static int fx_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t offset,
		      struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	struct fuse_export *fx = ctx_export();
	struct strlist names = { NULL, 0, 0 };
	int ret;

	if (has_control_dir(fx) && is_control_dir(path)) {
		filler(buf, ".", NULL, 0, 0);
		filler(buf, "..", NULL, 0, 0);
		for (const char *const *c = fx->cfg.control_files; c && *c; c++)
			filler(buf, *c, NULL, 0, 0);
		for (const char *const *c = fx->cfg.control_read_files; c && *c; c++)
			filler(buf, *c, NULL, 0, 0);
		return 0;
	}
	lock(fx);
	ret = vfs_list(guest_kernel(fx->cfg.m), path, &names);
	unlock(fx);
	if (ret < 0) {
		sl_free(&names);
		return ret;
	}
	/* sysfs (kernfs) lists in its rbtree's hash order; procfs, debugfs and tracefs by name */
	if (!strncmp(path, "/sys", 4) && (path[4] == '/' || !path[4]) && strncmp(path, "/sys/kernel/debug", 17) &&
	    strncmp(path, "/sys/kernel/tracing", 19))
		vfs_sort_kernfs(&names);
	else
		sl_sort(&names);
	filler(buf, ".", NULL, 0, 0);
	filler(buf, "..", NULL, 0, 0);
	for (size_t i = 0; i < names.n; i++)
		if (filler(buf, names.v[i], NULL, 0, 0))
			break;
	sl_free(&names);
	return 0;
}

/* ---- files ---- */

static int fx_open(const char *path, struct fuse_file_info *fi)
{
	struct fuse_export *fx = ctx_export();
	struct open_file *of;
	int acc = fi->flags & O_ACCMODE;
	int ret;

	if (control_name(fx, path)) {
		if (acc != O_WRONLY)
			return -EACCES;
	} else if (control_read_name(fx, path)) {
		if (acc != O_RDONLY)
			return -EACCES;
	} else {
		/* kernfs_fop_open() or proc_reg_open(), as the guest decides them */
		lock(fx);
		ret = vfs_open(guest_kernel(fx->cfg.m), path, acc | (fi->flags & O_TRUNC));
		unlock(fx);
		if (ret < 0)
			return ret;
	}
	of = calloc(1, sizeof(*of));
	if (!of)
		return -ENOMEM;
	pthread_mutex_lock(&fx->files_lock);
	of->next = fx->files;
	if (fx->files)
		fx->files->prev = of;
	fx->files = of;
	pthread_mutex_unlock(&fx->files_lock);
	fi->fh = (uint64_t)(uintptr_t)of;
	fi->direct_io = 1;
	fi->keep_cache = 0;
	return 0;
}

static int fx_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	return -EACCES;		/* sysfs and procfs have no place for new files */
}

static int fx_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	struct fuse_export *fx = ctx_export();
	struct open_file *of = (struct open_file *)(uintptr_t)fi->fh;
	int ret;

	if (!of)
		return -EBADF;
	if (control_name(fx, path))
		return -EACCES;
	/* seq_file: the content is made at offset 0 and read on from there */
	if (off == 0 || !of->have) {
		const char *rd = control_read_name(fx, path);

		sb_reset(&of->content);
		if (rd) {
			/* the callback reads the machine through calls that take the lock */
			ret = fx->cfg.control_read ? fx->cfg.control_read(fx->cfg.control_arg, rd, &of->content)
						   : -EACCES;
		} else {
			lock(fx);
			ret = vfs_read(guest_kernel(fx->cfg.m), path, &of->content);
			unlock(fx);
		}
		if (ret < 0)
			return ret;
		of->have = true;
	}
	if (off < 0 || (size_t)off >= of->content.len)
		return 0;
	if (size > of->content.len - (size_t)off)
		size = of->content.len - (size_t)off;
	if (size > 0x7fffffff)
		size = 0x7fffffff;
	memcpy(buf, of->content.s + off, size);
	return (int)size;
}

static int fx_write(const char *path, const char *buf, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct fuse_export *fx = ctx_export();
	const char *ctl = control_name(fx, path);
	int ret;

	if (size > 0x7fffffff)
		size = 0x7fffffff;
	if (control_read_name(fx, path))
		return -EACCES;
	if (ctl) {
		ret = fx->cfg.control_write ? fx->cfg.control_write(fx->cfg.control_arg, ctl, buf, size)
					    : -EACCES;
		return ret < 0 ? ret : (int)size;
	}
	/* one write() is one store; sysfs ignores the offset */
	lock(fx);
	ret = vfs_write(guest_kernel(fx->cfg.m), path, buf, size);
	unlock(fx);
	return ret < 0 ? ret : (int)size;
}

static int fx_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	struct fuse_export *fx = ctx_export();
	struct vfs_stat vs;
	int ret;

	if (control_name(fx, path))
		return 0;
	if (control_read_name(fx, path))
		return -EACCES;
	ret = locked_stat(fx, path, &vs);
	if (ret < 0)
		return ret;
	if (vs.type == VFS_DIR)
		return -EISDIR;
	/* `echo x > FILE` without atomic O_TRUNC: tracefs empties its filter or buffer here */
	if (size == 0) {
		lock(fx);
		ret = vfs_open(guest_kernel(fx->cfg.m), path, O_WRONLY | O_TRUNC);
		unlock(fx);
		return ret < 0 && ret != -EACCES ? ret : 0;
	}
	return 0;
}

static void free_open_file(struct fuse_export *fx, struct open_file *of)
{
	pthread_mutex_lock(&fx->files_lock);
	if (of->prev)
		of->prev->next = of->next;
	else
		fx->files = of->next;
	if (of->next)
		of->next->prev = of->prev;
	pthread_mutex_unlock(&fx->files_lock);
	sb_free(&of->content);
	free(of);
}

static int fx_release(const char *path, struct fuse_file_info *fi)
{
	struct open_file *of = (struct open_file *)(uintptr_t)fi->fh;

	if (of)
		free_open_file(ctx_export(), of);
	fi->fh = 0;
	return 0;
}

static void *fx_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	/* the guest changes under us: nothing may be cached */
	cfg->entry_timeout = 0;
	cfg->attr_timeout = 0;
	cfg->negative_timeout = 0;
	cfg->direct_io = 1;
	cfg->kernel_cache = 0;
	cfg->use_ino = 0;
	return fuse_get_context()->private_data;
}

static const struct fuse_operations fx_ops = {
	.init = fx_init,
	.getattr = fx_getattr,
	.readlink = fx_readlink,
	.readdir = fx_readdir,
	.open = fx_open,
	.create = fx_create,
	.read = fx_read,
	.write = fx_write,
	.truncate = fx_truncate,
	.release = fx_release,
};

struct fuse_export *fuse_export_new(const struct fuse_export_config *cfg, struct sbuf *err)
{
	struct fuse_export *fx;
	char opts[256];
	char *argv[4];
	struct fuse_args args;

	if (!cfg || !cfg->m || !cfg->mountpoint) {
		sb_puts(err, "fuse_export_new: no machine or mount point");
		return NULL;
	}
	fx = calloc(1, sizeof(*fx));
	if (!fx) {
		sb_puts(err, "out of memory");
		return NULL;
	}
	fx->cfg = *cfg;
	pthread_mutex_init(&fx->files_lock, NULL);
	fx->uid = getuid();
	fx->gid = getgid();
	clock_gettime(CLOCK_REALTIME, &fx->start);

	snprintf(opts, sizeof(opts), "fsname=memhp,subtype=memhp,default_permissions%s",
		 cfg->allow_other ? ",allow_other" : "");
	argv[0] = (char *)"memhp";
	argv[1] = (char *)"-o";
	argv[2] = opts;
	argv[3] = NULL;
	args = (struct fuse_args)FUSE_ARGS_INIT(3, argv);
	fx->fuse = fuse_new(&args, &fx_ops, sizeof(fx_ops), fx);
	fuse_opt_free_args(&args);	/* fuse_new() may have copied them into its own array */
	if (!fx->fuse) {
		sb_puts(err, "cannot set up FUSE (fuse_new failed)");
		pthread_mutex_destroy(&fx->files_lock);
		free(fx);
		return NULL;
	}
	/* a Debian guest's systemd mounts tracefs at boot (sys-kernel-tracing.mount) */
	api_lock(cfg->m);
	tracefs_mount(guest_kernel(cfg->m));
	api_unlock(cfg->m);
	if (fuse_mount(fx->fuse, cfg->mountpoint)) {
		sb_printf(err, "cannot mount FUSE on %s (is /dev/fuse there, and fusermount3 for non-root?)",
			  cfg->mountpoint);
		fuse_destroy(fx->fuse);
		pthread_mutex_destroy(&fx->files_lock);
		free(fx);
		return NULL;
	}
	fx->mounted = true;
	return fx;
}

int fuse_export_loop(struct fuse_export *fx)
{
	struct fuse_session *se = fuse_get_session(fx->fuse);
	int ret;

	if (fuse_set_signal_handlers(se))
		return -1;
	ret = fuse_loop(fx->fuse);
	fuse_remove_signal_handlers(se);
	/* a signal ends the loop with its number: a clean stop */
	return ret < 0 ? -1 : 0;
}

void fuse_export_free(struct fuse_export *fx)
{
	if (!fx)
		return;
	if (fx->mounted)
		fuse_unmount(fx->fuse);
	fuse_destroy(fx->fuse);
	while (fx->files)
		free_open_file(fx, fx->files);
	pthread_mutex_destroy(&fx->files_lock);
	free(fx);
}
