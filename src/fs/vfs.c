// SPDX-License-Identifier: MIT
/*
 * The path router of the guest's pseudo file systems. A path is walked
 * component by component through the directory tables (fs_internal.h);
 * symlinks met on the way are resolved relative to the directory holding
 * them, the walk restarting on the substituted path, so that handlers only
 * ever see canonical paths (/sys/bus/memory/devices/memory32/state ends in
 * the same handler as /sys/devices/system/memory/memory32/state).
 */
#include "fs_internal.h"
#include "../lib/alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "../kernel/kernel.h"

#define VFS_MAX_DEPTH	32	/* components of one path */
#define VFS_MAX_HOPS	40	/* symlinks followed in one walk, as Linux's MAXSYMLINKS */
#define VFS_NAME_MAX	255
#define SYSFS_WRITE_MAX	4095	/* sysfs hands a store at most PAGE_SIZE - 1 bytes */

/* ---- helpers shared by the tree files ---- */

bool vfs_parse_numbered(const char *name, const char *prefix, unsigned long *id)
{
	size_t pl = strlen(prefix);
	if (strncmp(name, prefix, pl) != 0)
		return false;
	const char *p = name + pl;
	if (*p < '0' || *p > '9')
		return false;
	if (p[0] == '0' && p[1] != '\0')	/* the kernel never names a device "memory032" */
		return false;
	unsigned long v = 0;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		unsigned d = (unsigned)(*p - '0');
		if (v > (~0UL - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*id = v;
	return true;
}

int sysfs_uevent_show(struct vfs_ctx *c, struct sbuf *out)
{
	/* memory and node devices add no uevent variables of their own */
	(void)c;
	(void)out;
	return 0;
}

unsigned int kernfs_name_hash(const char *name)
{
	uint64_t h = 0;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h + ((uint64_t)*p << 4) + (*p >> 4)) * 11;	/* partial_name_hash() */
	unsigned int v = (unsigned int)((h * 0x61C8864680B583EBULL) >> 32) & 0x7fffffffU;	/* hash_long(h, 32) */
	return v < 2 ? v + 2 : v >= 0x7fffffffU ? 0x7ffffffeU : v;	/* 0, 1 and INT_MAX are reserved */
}

/* kernfs_name_compare() without namespaces: hash, then name */
static int kernfs_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	unsigned int hx = kernfs_name_hash(x), hy = kernfs_name_hash(y);
	return hx != hy ? (hx < hy ? -1 : 1) : strcmp(x, y);
}

void vfs_sort_kernfs(struct strlist *names)
{
	if (names->n > 1)
		qsort(names->v, names->n, sizeof(names->v[0]), kernfs_cmp);
}

int sysfs_uevent_store(struct vfs_ctx *c, const char *buf)
{
	/* kobject_synth_uevent(): the first word must be a uevent action */
	static const char *const actions[] = {
		"add", "remove", "change", "move", "online", "offline", "bind", "unbind",
	};
	size_t n = strcspn(buf, " \n");
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (strlen(actions[i]) == n && strncmp(buf, actions[i], n) == 0)
			return 0;
	return -EINVAL;
}

static bool bit_test(const uint64_t *mask, unsigned bit)
{
	return (mask[bit / 64] >> (bit % 64)) & 1;
}

void bitmap_print_list(struct sbuf *out, const uint64_t *mask, unsigned nbits)
{
	bool first = true;
	for (unsigned i = 0; i < nbits; i++) {
		if (!bit_test(mask, i))
			continue;
		unsigned j = i;
		while (j + 1 < nbits && bit_test(mask, j + 1))
			j++;
		sb_printf(out, first ? "%u" : ",%u", i);
		if (j > i)
			sb_printf(out, "-%u", j);
		first = false;
		i = j;
	}
	if (first)
		sb_add(out, "", 0);	/* make sure the buffer is a string even when empty */
}

void bitmap_print_hex(struct sbuf *out, const uint64_t *mask, unsigned nbits)
{
	if (nbits == 0) {
		sb_add(out, "", 0);
		return;
	}
	/* bitmap_print_to_pagebuf(): 32-bit chunks, most significant first, the first one trimmed */
	unsigned chunks = (nbits + 31) / 32;
	for (unsigned c = chunks; c-- > 0;) {
		uint32_t v = 0;
		for (unsigned b = 0; b < 32; b++) {
			unsigned bit = c * 32 + b;
			if (bit < nbits && bit_test(mask, bit))
				v |= 1u << b;
		}
		if (c == chunks - 1) {
			unsigned rem = nbits - c * 32;	/* bits in the top chunk */
			sb_printf(out, "%0*x", (int)((rem + 3) / 4), v);
		} else {
			sb_printf(out, ",%08x", v);
		}
	}
}

/* ---- /proc ---- */

static int show_iomem(struct vfs_ctx *c, struct sbuf *out) { proc_iomem_show(c->k, out); return 0; }
static int show_meminfo(struct vfs_ctx *c, struct sbuf *out) { proc_meminfo_show(c->k, out); return 0; }
static int show_zoneinfo(struct vfs_ctx *c, struct sbuf *out) { proc_zoneinfo_show(c->k, out); return 0; }
static int show_buddyinfo(struct vfs_ctx *c, struct sbuf *out) { proc_buddyinfo_show(c->k, out); return 0; }

static const struct vfs_ent procfs_ents[] = {
	{ .name = "buddyinfo", .type = VFS_FILE, .mode = 0444, .show = show_buddyinfo, .procfs = true },
	{ .name = "iomem", .type = VFS_FILE, .mode = 0444, .show = show_iomem, .procfs = true },
	{ .name = "meminfo", .type = VFS_FILE, .mode = 0444, .show = show_meminfo, .procfs = true },
	{ .name = "zoneinfo", .type = VFS_FILE, .mode = 0444, .show = show_zoneinfo, .procfs = true },
	{ .name = NULL },
};
const struct vfs_dir procfs_dir = { .ents = procfs_ents };

/* ---- the top of the tree ---- */

static const struct vfs_ent devices_system_ents[] = {
	{ .name = "cpu", .type = VFS_DIR, .mode = 0755, .dir = &sysfs_cpu_dir },
	{ .name = "memory", .type = VFS_DIR, .mode = 0755, .dir = &sysfs_memory_dir },
	{ .name = "node", .type = VFS_DIR, .mode = 0755, .dir = &sysfs_node_dir },
	{ .name = NULL },
};
static const struct vfs_dir devices_system_dir = { .ents = devices_system_ents };

static const struct vfs_ent devices_ents[] = {
	{ .name = "LNXSYSTM:00", .type = VFS_DIR, .mode = 0755, .dir = &sysfs_acpi_dir },
	{ .name = "platform", .type = VFS_DIR, .mode = 0755, .dir = &sysfs_platform_dir },
	{ .name = "system", .type = VFS_DIR, .mode = 0755, .dir = &devices_system_dir },
	{ .name = NULL },
};
static const struct vfs_dir devices_dir = { .ents = devices_ents };

static const struct vfs_ent sys_ents[] = {
	{ .name = "bus", .type = VFS_DIR, .mode = 0755, .dir = &sysfs_bus_dir },
	{ .name = "class", .type = VFS_DIR, .mode = 0755, .dir = &sysfs_class_dir },
	{ .name = "dev", .type = VFS_DIR, .mode = 0755, .dir = &sysfs_dev_dir },
	{ .name = "devices", .type = VFS_DIR, .mode = 0755, .dir = &devices_dir },
	{ .name = "firmware", .type = VFS_DIR, .mode = 0755, .dir = &sysfs_firmware_dir },
	{ .name = "kernel", .type = VFS_DIR, .mode = 0755, .dir = &sysfs_kernel_dir },
	{ .name = "module", .type = VFS_DIR, .mode = 0755, .dir = &sysfs_module_dir },
	{ .name = NULL },
};
static const struct vfs_dir sys_dir = { .ents = sys_ents };

static const struct vfs_ent root_ents[] = {
	{ .name = "proc", .type = VFS_DIR, .mode = 0555, .dir = &procfs_dir },
	{ .name = "sys", .type = VFS_DIR, .mode = 0555, .dir = &sys_dir },
	{ .name = NULL },
};
static const struct vfs_dir root_dir = { .ents = root_ents };
static const struct vfs_ent root_ent = { .name = "/", .type = VFS_DIR, .mode = 0755, .dir = &root_dir };

/* ---- the walk ---- */

struct vfs_resolved {
	const struct vfs_ent *ent;
	struct vfs_ctx ctx;
};

static unsigned ent_mode(const struct vfs_ent *e, struct vfs_ctx *c)
{
	return e->mode_of ? e->mode_of(c) : e->mode;
}

static bool ent_visible(const struct vfs_ent *e, struct vfs_ctx *c)
{
	return !e->visible || e->visible(c);
}

/* Find name in dir; on a dynamic match push its number into c. */
static const struct vfs_ent *dir_lookup(const struct vfs_dir *dir, struct vfs_ctx *c, const char *name)
{
	if (dir->ents)
		for (const struct vfs_ent *e = dir->ents; e->name; e++)
			if (strcmp(e->name, name) == 0)
				return ent_visible(e, c) ? e : NULL;
	if (dir->dyns)
		for (const struct vfs_dyn *d = dir->dyns; d->lookup; d++) {
			unsigned long id;
			if (c->nargs >= VFS_MAX_ARGS)
				return NULL;
			if (d->lookup(c, name, &id)) {
				c->arg[c->nargs++] = id;
				return d->ent;
			}
		}
	return NULL;
}

struct vfs_frame {
	const struct vfs_ent *ent;
	int nargs;
	size_t canon_len;	/* length of the canonical path up to this frame */
};

/*
 * Resolve path. follow_last: resolve a final symlink too (read, write, list)
 * or report it as itself (stat). 0, -ENOENT, -ENOTDIR or -ELOOP.
 */
static int vfs_resolve(struct kernel *k, const char *path, bool follow_last, struct vfs_resolved *res)
{
	if (!k || !path)
		return -ENOENT;
	char *cur = mh_strdup(path);
	if (!cur)
		return -ENOMEM;
	struct sbuf canon = SBUF_INIT;
	struct sbuf target = SBUF_INIT;
	int ret = -ELOOP;

	for (int hop = 0; hop <= VFS_MAX_HOPS; hop++) {
		struct vfs_frame stack[VFS_MAX_DEPTH + 1];
		int depth = 0;
		struct vfs_ctx ctx = { .k = k };
		bool restarted = false;

		sb_reset(&canon);
		stack[0] = (struct vfs_frame){ &root_ent, 0, 0 };

		char *p = cur;
		while (*p) {
			while (*p == '/')
				p++;
			if (!*p)
				break;
			char *end = p + strcspn(p, "/");
			size_t len = (size_t)(end - p);
			char name[VFS_NAME_MAX + 1];
			if (len > VFS_NAME_MAX) {
				ret = -ENOENT;
				goto out;
			}
			memcpy(name, p, len);
			name[len] = 0;
			p = end;
			bool last = strspn(p, "/") == strlen(p);

			if (strcmp(name, ".") == 0)
				continue;
			if (strcmp(name, "..") == 0) {
				if (depth > 0)
					depth--;
				ctx.nargs = stack[depth].nargs;
				canon.len = stack[depth].canon_len;
				continue;
			}
			const struct vfs_ent *parent = stack[depth].ent;
			if (parent->type != VFS_DIR) {
				ret = -ENOTDIR;
				goto out;
			}
			ctx.dir_data = parent->dir->data;
			const struct vfs_ent *e = dir_lookup(parent->dir, &ctx, name);
			if (!e) {
				ret = -ENOENT;
				goto out;
			}
			if (e->type == VFS_LINK && (!last || follow_last)) {
				/* substitute the link: <dir>/<target><rest>, and walk again */
				sb_reset(&target);
				e->link(&ctx, &target);
				struct sbuf next = SBUF_INIT;
				if (sb_str(&target)[0] != '/') {
					sb_add(&next, sb_str(&canon), stack[depth].canon_len);
					sb_putc(&next, '/');
				}
				sb_puts(&next, sb_str(&target));
				sb_puts(&next, p);
				free(cur);
				cur = sb_detach(&next);
				restarted = true;
				break;
			}
			if (depth >= VFS_MAX_DEPTH) {
				ret = -ENOENT;
				goto out;
			}
			sb_putc(&canon, '/');
			sb_puts(&canon, name);
			stack[++depth] = (struct vfs_frame){ e, ctx.nargs, canon.len };
		}
		if (restarted)
			continue;
		res->ent = stack[depth].ent;
		res->ctx = ctx;
		ret = 0;
		goto out;
	}
out:
	free(cur);
	sb_free(&canon);
	sb_free(&target);
	return ret;
}

/* ---- the contract (vfs.h) ---- */

int vfs_stat(struct kernel *k, const char *path, struct vfs_stat *st)
{
	struct vfs_resolved r;
	int ret = vfs_resolve(k, path, false, &r);
	if (ret)
		return ret == -ENOTDIR || ret == -ELOOP ? ret : -ENOENT;
	memset(st, 0, sizeof(*st));
	st->type = r.ent->type;
	st->mode = ent_mode(r.ent, &r.ctx);
	if (r.ent->type == VFS_LINK) {
		struct sbuf t = SBUF_INIT;
		r.ent->link(&r.ctx, &t);
		strncpy(st->target, sb_str(&t), sizeof(st->target) - 1);
		sb_free(&t);
	}
	return 0;
}

/* The directory a missing name would be created in: does it exist? */
static bool parent_is_dir(struct kernel *k, const char *path)
{
	struct sbuf parent = SBUF_INIT;
	struct vfs_resolved r;
	sb_puts(&parent, path);
	while (parent.len > 1 && parent.s[parent.len - 1] == '/')
		parent.s[--parent.len] = 0;
	char *slash = strrchr(parent.s, '/');
	if (slash)
		slash[slash == parent.s ? 1 : 0] = 0;
	bool ok = vfs_resolve(k, sb_str(&parent), true, &r) == 0 && r.ent->type == VFS_DIR;
	sb_free(&parent);
	return ok;
}

int vfs_open(struct kernel *k, const char *path, int flags)
{
	int acc = flags & O_ACCMODE;
	bool rd = acc == O_RDONLY || acc == O_RDWR, wr = acc == O_WRONLY || acc == O_RDWR;
	struct vfs_resolved r;
	int ret = vfs_resolve(k, path, true, &r);
	if (ret == -ENOENT && wr && path && strncmp(path, "/proc/", 6) != 0 && parent_is_dir(k, path))
		return -EACCES;	/* kernfs and debugfs directories have no ->create */
	if (ret)
		return ret;
	if (r.ent->type == VFS_DIR)
		return wr ? -EISDIR : 0;
	if (r.ent->procfs)
		return 0;	/* proc_reg_open(): the permission check was root's to pass */
	unsigned mode = ent_mode(r.ent, &r.ctx);
	if (rd && (!(mode & 0444) || !r.ent->show))
		return -EACCES;
	if (wr && (!(mode & 0222) || !r.ent->store))
		return -EACCES;
	if (wr && (flags & O_TRUNC) && r.ent->truncate)
		return r.ent->truncate(&r.ctx);
	return 0;
}

int vfs_read(struct kernel *k, const char *path, struct sbuf *out)
{
	struct vfs_resolved r;
	int ret = vfs_resolve(k, path, true, &r);
	if (ret)
		return ret;
	if (r.ent->type == VFS_DIR)
		return -EISDIR;
	if (!r.ent->show || !(ent_mode(r.ent, &r.ctx) & 0444))
		return -EACCES;
	size_t before = out->len;
	ret = r.ent->show(&r.ctx, out);
	if (ret < 0 && out->s) {
		/* a failed read returns nothing */
		out->len = before;
		out->s[before] = 0;
	}
	sb_add(out, "", 0);	/* out is a string even when the file is empty */
	return ret < 0 ? ret : 0;
}

int vfs_write(struct kernel *k, const char *path, const char *buf, size_t len)
{
	struct vfs_resolved r;
	int ret = vfs_resolve(k, path, true, &r);
	if (ret)
		return ret;
	if (r.ent->type == VFS_DIR)
		return -EISDIR;
	if (!r.ent->store)
		return r.ent->procfs ? -EIO : -EACCES;
	if (!(ent_mode(r.ent, &r.ctx) & 0222))
		return -EACCES;
	if (!buf)
		len = 0;
	/* the stores see a NUL-terminated page, as sysfs gives them */
	if (len > SYSFS_WRITE_MAX)
		len = SYSFS_WRITE_MAX;
	char *copy = mh_malloc(len + 1);
	if (!copy)
		return -ENOMEM;
	if (len)
		memcpy(copy, buf, len);
	copy[len] = 0;
	ret = r.ent->store(&r.ctx, copy);
	free(copy);
	return ret < 0 ? ret : 0;
}

int vfs_list(struct kernel *k, const char *path, struct strlist *names)
{
	struct vfs_resolved r;
	int ret = vfs_resolve(k, path, true, &r);
	if (ret)
		return ret;
	if (r.ent->type != VFS_DIR)
		return -ENOTDIR;
	const struct vfs_dir *dir = r.ent->dir;
	r.ctx.dir_data = dir->data;
	if (dir->ents)
		for (const struct vfs_ent *e = dir->ents; e->name; e++)
			if (ent_visible(e, &r.ctx))
				sl_add(names, e->name);
	if (dir->dyns)
		for (const struct vfs_dyn *d = dir->dyns; d->lookup; d++)
			if (d->list)
				d->list(&r.ctx, names);
	return 0;
}
