// SPDX-License-Identifier: MIT
/*
 * The guest's file commands: cat, echo, ls [-1adl], and the module commands
 * (modprobe, rmmod) for memory-notifier-error-inject. Messages are
 * busybox's, as the oracle's transcripts show them.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../drivers/nvdimm/nd_e820.h"
#include "../fs/vfs.h"
#include "../kernel/notifier_inject.h"
#include "../api/api_internal.h"
#include "shell.h"

int sh_cat(struct memhp *m, int argc, char **argv, struct sh_io *io)
{
	int status = 0;
	int first = 1;
	if (argc > 1 && !strcmp(argv[1], "--"))
		first = 2;
	if (first >= argc) {	/* no files: stdin */
		if (io->in)
			sb_add(io->out, io->in, io->in_len);
		return 0;
	}
	for (int i = first; i < argc; i++) {
		if (!strcmp(argv[i], "-")) {
			if (io->in)
				sb_add(io->out, io->in, io->in_len);
			continue;
		}
		struct sbuf data = SBUF_INIT;
		int ret = sh_read_file(m, argv[i], &data);
		if (ret == 0) {
			sb_add(io->out, sb_str(&data), data.len);
		} else if (ret == -ENOENT || ret == -EACCES || ret == -ENOTDIR) {
			/* open(2) failed: busybox's "can't open 'PATH'", canonicalised */
			sb_printf(io->err, "cat: %s: %s\n", argv[i], strerror(-ret));
		} else {
			/* open succeeded, read(2) failed (a directory reads as EISDIR) */
			sb_printf(io->err, "cat: read error: %s\n", strerror(-ret));
		}
		if (ret < 0) {
			io->errnum = -ret;
			status = 1;
		}
		sb_free(&data);
	}
	return status;
}

/* busybox echo: -n (no newline), -e (backslash escapes), -E (none, the default). */
int sh_echo(struct memhp *m, int argc, char **argv, struct sh_io *io)
{
	bool newline = true, escapes = false;
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *o = argv[i] + 1;
		if (strspn(o, "neE") != strlen(o))
			break;	/* not an option: echo it */
		for (; *o; o++) {
			if (*o == 'n')
				newline = false;
			else
				escapes = *o == 'e';
		}
	}
	for (int first = i; i < argc; i++) {
		if (i > first)
			sb_putc(io->out, ' ');
		if (!escapes) {
			sb_puts(io->out, argv[i]);
			continue;
		}
		for (const char *p = argv[i]; *p; p++) {
			if (*p != '\\' || !p[1]) {
				sb_putc(io->out, *p);
				continue;
			}
			const char *map = "n\nt\tr\rb\ba\af\fv\v\\\\";
			const char *hit = strchr(map, p[1]);
			if (p[1] == 'c')
				return 0;	/* \c: stop output here, no newline */
			if (hit && (hit - map) % 2 == 0) {
				sb_putc(io->out, hit[1]);
				p++;
			} else if (p[1] == '0') {
				int v = 0, n = 0;
				for (p += 2; n < 3 && *p >= '0' && *p <= '7'; p++, n++)
					v = v * 8 + (*p - '0');
				sb_putc(io->out, (char)v);
				p--;
			} else {
				sb_putc(io->out, *p);
			}
		}
	}
	if (newline)
		sb_putc(io->out, '\n');
	return 0;
}

/* The size stat(2) shows: sysfs attributes are 4096 bytes, the rest (procfs, debugfs, directories, links) 0. */
unsigned long sh_file_size(const char *path, const struct vfs_stat *st)
{
	struct sbuf abs = SBUF_INIT;
	sh_abspath(path, &abs);
	bool sysfs = !strncmp(sb_str(&abs), "/sys/", 5) && strncmp(sb_str(&abs), "/sys/kernel/debug/", 18);
	sb_free(&abs);
	return st->type == VFS_FILE && sysfs ? 4096 : 0;
}

/* A directory's links: "." and ".." plus one for each subdirectory's "..". */
static unsigned long dir_links(struct kernel *k, const char *abs)
{
	struct strlist names = { NULL, 0, 0 };
	unsigned long n = 2;
	if (vfs_list(k, abs, &names) == 0) {
		for (size_t i = 0; i < names.n; i++) {
			struct sbuf child = SBUF_INIT;
			struct vfs_stat st;
			sb_printf(&child, "%s/%s", abs, names.v[i]);
			if (vfs_stat(k, sb_str(&child), &st) == 0 && st.type == VFS_DIR)
				n++;
			sb_free(&child);
		}
	}
	sl_free(&names);
	return n;
}

/*
 * One line of ls -l, as busybox prints it in the oracle's guest: owner and
 * group are numbers (the initramfs has no /etc/passwd), and the time is the
 * guest clock's start, memhp having no wall clock (the real guest shows
 * when the inode was first looked up, which no two runs share).
 */
static void long_entry(struct kernel *k, const char *abs, const char *shown, const struct vfs_stat *st,
		       struct sbuf *out)
{
	char mode[11];
	mode[0] = st->type == VFS_DIR ? 'd' : st->type == VFS_LINK ? 'l' : '-';
	unsigned bits = st->type == VFS_LINK ? 0777 : st->mode;
	for (int i = 0; i < 9; i++)
		mode[1 + i] = bits & (0400u >> i) ? "rwxrwxrwx"[i] : '-';
	mode[10] = 0;
	unsigned long links = st->type == VFS_DIR ? dir_links(k, abs) : 1;
	sb_printf(out, "%s %4lu %-8s %-8s %9lu Jan  1 00:00 %s", mode, links, "0", "0", sh_file_size(abs, st),
		  shown);
	if (st->type == VFS_LINK)
		sb_printf(out, " -> %s", st->target);
	sb_putc(out, '\n');
}

struct ls_opts {
	bool all, lng, dirs;	/* -a, -l, -d */
};

/* A name given on the command line, or found in a directory (dir: its absolute path, or NULL). */
static void entry(struct kernel *k, const struct ls_opts *o, const char *dir, const char *name, struct sbuf *out)
{
	if (!o->lng) {
		sb_printf(out, "%s\n", name);
		return;
	}
	struct sbuf abs = SBUF_INIT;
	struct vfs_stat st;
	if (dir)
		sb_printf(&abs, "%s/%s", strcmp(dir, "/") ? dir : "", name);
	else
		sh_abspath(name, &abs);
	if (vfs_stat(k, sb_str(&abs), &st) == 0)
		long_entry(k, sb_str(&abs), name, &st, out);
	sb_free(&abs);
}

static void list_dir(struct kernel *k, const struct ls_opts *o, const char *abs, struct strlist *names,
		     struct sbuf *out)
{
	sl_sort(names);
	if (o->lng)
		sb_puts(out, "total 0\n");	/* no file in the guest's pseudo file systems has blocks */
	if (o->all) {
		entry(k, o, abs, ".", out);
		entry(k, o, abs, "..", out);
	}
	for (size_t j = 0; j < names->n; j++) {
		if (!o->all && names->v[j][0] == '.')
			continue;
		entry(k, o, abs, names->v[j], out);
	}
}

/* ls [-1adl] [PATH...]: one name per line (output is not a terminal), sorted as LC_ALL=C. */
int sh_ls(struct memhp *m, int argc, char **argv, struct sh_io *io)
{
	struct kernel *k = guest_kernel(m);
	struct ls_opts o = { false, false, false };
	int status = 0, i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		for (const char *c = argv[i] + 1; *c; c++) {
			if (*c == 'a')
				o.all = true;
			else if (*c == 'l')
				o.lng = true;
			else if (*c == 'd')
				o.dirs = true;
			else if (*c != '1') {
				sb_printf(io->err, "ls: invalid option -- '%c'\n", *c);
				io->errnum = EINVAL;
				return 1;
			}
		}
	}
	char *dot[] = { "/", NULL };
	char **paths = i < argc ? argv + i : dot;
	int npaths = i < argc ? argc - i : 1;

	/* As ls does: missing names first (as errors), then files, then each directory's listing. */
	struct strlist files = { NULL, 0, 0 }, dirs = { NULL, 0, 0 };
	for (int j = 0; j < npaths; j++) {
		struct sbuf abs = SBUF_INIT;
		struct vfs_stat st;
		sh_abspath(paths[j], &abs);
		if (vfs_stat(k, sb_str(&abs), &st) < 0) {
			sb_printf(io->err, "ls: %s: No such file or directory\n", paths[j]);
			io->errnum = ENOENT;
			status = 1;
		} else if (st.type == VFS_FILE || o.dirs || (o.lng && st.type == VFS_LINK)) {
			sl_add(&files, paths[j]);
		} else {
			sl_add(&dirs, paths[j]);	/* a symlink is followed, as for a command-line argument */
		}
		sb_free(&abs);
	}
	sl_sort(&files);
	sl_sort(&dirs);
	for (size_t j = 0; j < files.n; j++)
		entry(k, &o, NULL, files.v[j], io->out);
	bool headers = files.n + dirs.n > 1 || status;
	for (size_t j = 0; j < dirs.n; j++) {
		struct sbuf abs = SBUF_INIT;
		struct strlist names = { NULL, 0, 0 };
		sh_abspath(dirs.v[j], &abs);
		int ret = vfs_list(k, sb_str(&abs), &names);
		if (ret == -ENOTDIR) {	/* a symlink to a file */
			sb_printf(io->out, "%s\n", dirs.v[j]);
		} else if (ret < 0) {
			sb_printf(io->err, "ls: %s: %s\n", dirs.v[j], strerror(-ret));
			io->errnum = -ret;
			status = 1;
		} else {
			if (headers)
				sb_printf(io->out, "%s%s:\n", j || files.n ? "\n" : "", dirs.v[j]);
			list_dir(k, &o, sb_str(&abs), &names, io->out);
		}
		sl_free(&names);
		sb_free(&abs);
	}
	sl_free(&files);
	sl_free(&dirs);
	return status;
}

/* virtio_mem, virtio_pci and what they depend on (modprobe matches '-' and '_' alike) */
static bool is_virtio_module(const char *name)
{
	static const char *const mods[] = { "virtio_mem", "virtio_pci", "virtio", "virtio_ring",
					    "virtio_pci_modern_dev", "virtio_pci_legacy_dev" };
	for (size_t i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
		const char *a = name, *b = mods[i];
		while (*a && *b && (*a == *b || ((*a == '-' || *a == '_') && *b == '_')))
			a++, b++;
		if (!*a && !*b)
			return true;
	}
	return false;
}

int sh_modprobe(struct memhp *m, int argc, char **argv, struct sh_io *io)
{
	bool remove = false, quiet = false;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'r')
				remove = true;
			else if (*o == 'q')
				quiet = true;
			else if (*o != 'v' && *o != 'b' && *o != 's') {
				sb_printf(io->err, "modprobe: invalid option -- '%c'\n", *o);
				io->errnum = EINVAL;
				return 1;
			}
		}
	}
	if (i >= argc) {
		sb_puts(io->err, "modprobe: missing module name\n");
		io->errnum = EINVAL;
		return 1;
	}
	int status = 0;
	for (; i < argc; i++) {
		const char *name = argv[i];
		/* the nvdimm/dax modules (src/drivers/nvdimm) load one after another; they stay */
		if (nd_is_module(name)) {
			int ret = remove ? -EBUSY : nd_modprobe(guest_kernel(m), name);
			if (ret < 0) {
				sb_printf(io->err, "modprobe: %s '%s': %s\n", remove ? "remove" : "can't load module",
					  name, strerror(-ret));
				io->errnum = -ret;
				return 1;
			}
			continue;
		}
		/*
		 * virtio-mem's driver and the virtio PCI transport are built into
		 * memhp's guest and bound at boot: loading them again is the no-op
		 * it is for a module already loaded; they cannot be removed here.
		 */
		if (is_virtio_module(name)) {
			if (remove) {
				sb_printf(io->err, "modprobe: remove '%s': %s\n", name, strerror(EBUSY));
				io->errnum = EBUSY;
				return 1;
			}
			continue;
		}
		if (!memory_notifier_inject_is_module(name)) {
			if (!quiet)
				sb_printf(io->err, "modprobe: module %s not found in modules.dep\n", name);
			io->errnum = ENOENT;
			return 1;
		}
		if (remove) {
			int ret = memory_notifier_inject_unload(guest_kernel(m));
			/* busybox modprobe -r of a module that is not loaded says nothing and succeeds */
			if (ret < 0 && ret != -ENOENT) {
				sb_printf(io->err, "modprobe: remove '%s': %s\n", name, strerror(-ret));
				io->errnum = -ret;
				status = 1;
			}
			continue;
		}
		/* the rest are the module's parameters */
		int priority = 0;
		for (i++; i < argc; i++) {
			char *end;
			if (strncmp(argv[i], "priority=", 9) != 0) {
				sb_printf(io->err, "modprobe: can't load module %s: Invalid argument\n", name);
				io->errnum = EINVAL;
				return 1;
			}
			long v = strtol(argv[i] + 9, &end, 0);
			if (end == argv[i] + 9 || *end || v < -2147483647L - 1 || v > 2147483647L) {
				sb_printf(io->err, "modprobe: can't load module %s: Invalid argument\n", name);
				io->errnum = EINVAL;
				return 1;
			}
			priority = (int)v;
		}
		int ret = memory_notifier_inject_load(guest_kernel(m), priority);
		if (ret < 0) {
			sb_printf(io->err, "modprobe: can't load module %s: %s\n", name, strerror(-ret));
			io->errnum = -ret;
			return 1;
		}
	}
	return status;
}

int sh_rmmod(struct memhp *m, int argc, char **argv, struct sh_io *io)
{
	for (int i = 1; i < argc; i++) {
		if (!memory_notifier_inject_is_module(argv[i])) {
			sb_printf(io->err, "rmmod: can't unload module '%s': No such file or directory\n", argv[i]);
			io->errnum = ENOENT;
			return 1;
		}
		int ret = memory_notifier_inject_unload(guest_kernel(m));
		if (ret < 0) {
			sb_printf(io->err, "rmmod: can't unload module '%s': %s\n", argv[i], strerror(-ret));
			io->errnum = -ret;
			return 1;
		}
	}
	return 0;
}

/* dmesg: the guest kernel's log */
int sh_dmesg(struct memhp *m, int argc, char **argv, struct sh_io *io)
{
	char *log = NULL;
	if (memhp_dmesg(m, &log))
		return 1;
	sb_puts(io->out, log);
	free(log);
	return 0;
}
