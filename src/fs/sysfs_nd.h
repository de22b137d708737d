/* SPDX-License-Identifier: MIT */
/*
 * What sysfs_nd.c (the nd bus and its device tree) and sysfs_dax.c (the dax
 * bus) share: an nd device's id in a vfs argument, the lookups of the bus's
 * devices and the paths of its device tree.
 */
#ifndef MEMHP_FS_SYSFS_ND_H
#define MEMHP_FS_SYSFS_ND_H

#include "fs_internal.h"

struct kernel;
struct nd_e820_region;

enum nd_kind { ND_BUS, ND_REGION, ND_NS, ND_PFN, ND_BTT, ND_DAX, ND_NMEM };
extern const char *const nd_kind_prefix[];

#define ND_ID(kind, r, n)	(((unsigned long)(kind) << 24) | ((unsigned long)(r) << 12) | (unsigned long)(n))
#define ND_KIND(id)		((int)((id) >> 24))
#define ND_REG(id)		((int)(((id) >> 12) & 0xfff))
#define ND_N(id)		((int)((id) & 0xfff))

bool nd_up(struct kernel *k);					/* the bus is registered */
bool nd_lookup(struct vfs_ctx *c, const char *name, unsigned long *id);	/* an nd device's name to its id */
int nd_kind(struct vfs_ctx *c);					/* the kind of the directory's device */
const struct nd_e820_region *ctx_region(struct vfs_ctx *c);		/* the region of the directory's device */
unsigned long parent_id(struct vfs_ctx *c);				/* the id of the directory's device, ~0 at the top */
void nd_bus_path(struct kernel *k, struct sbuf *t);			/* the bus device's path below /sys */
void nd_bus_to_sysfs(struct kernel *k, int below, struct sbuf *t);	/* "../" up to /sys from below the bus */
void nd_path(struct kernel *k, unsigned long id, struct sbuf *t);	/* an nd device's path below /sys */

/* sysfs_nfit.c: the dimms, the nfit/ groups, a mapped region's attributes, libnvdimm's own drivers */
const struct nd_e820_region *nd_nmem_region(struct kernel *k, int nmem);	/* dimm nmemN's region */
bool sysfs_nd_is_dimm(struct vfs_ctx *c);
bool sysfs_nd_is_bus_or_dimm(struct vfs_ctx *c);
bool sysfs_nd_is_mapped_region(struct vfs_ctx *c);
bool sysfs_nd_has_nfit(struct vfs_ctx *c);
int sysfs_nd_commands_show(struct vfs_ctx *c, struct sbuf *out);
int sysfs_nd_dimm_dev_show(struct vfs_ctx *c, struct sbuf *out);
int sysfs_nd_dimm_flags_show(struct vfs_ctx *c, struct sbuf *out);
int sysfs_nd_dimm_state_show(struct vfs_ctx *c, struct sbuf *out);
int sysfs_nd_dimm_available_slots_show(struct vfs_ctx *c, struct sbuf *out);
int sysfs_nd_mapping0_show(struct vfs_ctx *c, struct sbuf *out);
int sysfs_nd_mappings_show(struct vfs_ctx *c, struct sbuf *out);
int sysfs_nd_deep_flush_show(struct vfs_ctx *c, struct sbuf *out);
int sysfs_nd_set_cookie_show(struct vfs_ctx *c, struct sbuf *out);
int sysfs_nd_badblocks_show(struct vfs_ctx *c, struct sbuf *out);
int sysfs_nd_init_namespaces_show(struct vfs_ctx *c, struct sbuf *out);
int sysfs_nd_max_extent_show(struct vfs_ctx *c, struct sbuf *out);
int sysfs_nd_uevent_show(struct vfs_ctx *c, struct sbuf *out);
bool sysfs_nd_dimm_chardev_lookup(struct vfs_ctx *c, const char *name, unsigned long *id);
void sysfs_nd_dimm_chardev_list(struct vfs_ctx *c, struct strlist *names);
extern const struct vfs_dir sysfs_nfit_group_dir;
extern const struct vfs_dir sysfs_nd_bus_drv_dir, sysfs_nd_region_drv_dir, sysfs_nvdimm_drv_dir;

/* sysfs_dax.c: a dax bus device's name to its id (its region), its path below /sys */
bool sysfs_dax_lookup(struct vfs_ctx *c, const char *name, unsigned long *id);
void sysfs_dax_path(struct kernel *k, unsigned long r, struct sbuf *t);
/* the dax bus device under its nd dax device, and that device's dax_region/ */
extern const struct vfs_ent sysfs_dax_dev_ent;
extern const struct vfs_dir sysfs_dax_region_dir;
bool sysfs_dax_child_lookup(struct vfs_ctx *c, const char *name, unsigned long *id);
void sysfs_dax_child_list(struct vfs_ctx *c, struct strlist *names);
bool sysfs_has_dax_region(struct vfs_ctx *c);

#endif
