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

bool nd_up(struct kernel *k);					/* a bus is registered */
bool nd_lookup(struct vfs_ctx *c, const char *name, unsigned long *id);	/* an nd device's name to its id */
int nd_kind(struct vfs_ctx *c);					/* the kind of the directory's device */
const struct nd_e820_region *ctx_region(struct vfs_ctx *c);		/* the region of the directory's device */
unsigned long parent_id(struct vfs_ctx *c);				/* the id of the directory's device, ~0 at the top */
void nd_bus_path(struct kernel *k, int bus, struct sbuf *t);		/* ndbusB's path below /sys */
void nd_bus_to_sysfs(struct kernel *k, int bus, int below, struct sbuf *t);	/* "../" up to /sys from below ndbusB */
int nd_dev_bus(struct kernel *k, unsigned long id);			/* the bus B of an nd device's id */

/*
 * sysfs_nd_claim.c: the configuration and binding of the claiming devices
 * pfnR.N, bttR.N, daxR.N, and the namespace's holder attributes
 */
bool nd_is_claim_dev(struct vfs_ctx *c);	/* a pfn, btt or dax device's directory */
/* the namespace of a namespace's directory (its N), else namespaceR.0; and its claim */
int ctx_ns_index(struct vfs_ctx *c);
struct nd_ns_claim *ctx_ns_claim(struct vfs_ctx *c);
/* a claiming device's directory: the namespace it holds (-1: none, a seed) and that namespace's claim (NULL) */
int ctx_dev_ns(struct vfs_ctx *c);
const struct nd_ns_claim *ctx_dev_claim(struct vfs_ctx *c);
bool nd_dev_bound(struct vfs_ctx *c);		/* ... whose driver holds it */
int nd_attr_uuid_show(struct vfs_ctx *c, struct sbuf *out);
int nd_attr_uuid_store(struct vfs_ctx *c, const char *buf);
int nd_attr_align_show(struct vfs_ctx *c, struct sbuf *out);
int nd_attr_align_store(struct vfs_ctx *c, const char *buf);
int nd_attr_pfn_mode_show(struct vfs_ctx *c, struct sbuf *out);
int nd_attr_pfn_mode_store(struct vfs_ctx *c, const char *buf);
int nd_attr_namespace_show(struct vfs_ctx *c, struct sbuf *out);
int nd_attr_namespace_store(struct vfs_ctx *c, const char *buf);
int nd_attr_sector_size_show(struct vfs_ctx *c, struct sbuf *out);
int nd_attr_sector_size_store(struct vfs_ctx *c, const char *buf);
int nd_attr_supported_alignments_show(struct vfs_ctx *c, struct sbuf *out);
int nd_attr_log_zero_flags_show(struct vfs_ctx *c, struct sbuf *out);
int nd_attr_force_raw_show(struct vfs_ctx *c, struct sbuf *out);
int nd_attr_force_raw_store(struct vfs_ctx *c, const char *buf);
int nd_attr_holder_show(struct vfs_ctx *c, struct sbuf *out);
int nd_attr_holder_class_show(struct vfs_ctx *c, struct sbuf *out);
int nd_attr_holder_class_store(struct vfs_ctx *c, const char *buf);
/* /sys/bus/nd/drivers/{nd_pmem,dax_pmem}/bind and unbind */
int sysfs_nd_drv_bind(struct vfs_ctx *c, const char *buf, bool dax_pmem);
int sysfs_nd_drv_unbind(struct vfs_ctx *c, const char *buf, bool dax_pmem);
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
void sysfs_dax_path(struct kernel *k, unsigned long id, struct sbuf *t);
/* the directory id of the dax bus device with char minor 252:minor, ~0 if none */
unsigned long sysfs_dax_minor_id(struct kernel *k, int minor);
/* the dax bus device under its nd dax device, and that device's dax_region/ */
extern const struct vfs_ent sysfs_dax_dev_ent;
extern const struct vfs_dir sysfs_dax_region_dir;
bool sysfs_dax_child_lookup(struct vfs_ctx *c, const char *name, unsigned long *id);
void sysfs_dax_child_list(struct vfs_ctx *c, struct strlist *names);
bool sysfs_has_dax_region(struct vfs_ctx *c);

/* sysfs_nd.c's namespaceR.0 and shared attributes that a labelled region's namespace dir (sysfs_nd_ns.c) uses, with sysfs_nd_claim.c's force_raw, holder and holder_class */
int devtype_show(struct vfs_ctx *c, struct sbuf *out);
int mode_show(struct vfs_ctx *c, struct sbuf *out);
int nstype_show(struct vfs_ctx *c, struct sbuf *out);
int nd_node_show(struct vfs_ctx *c, struct sbuf *out);
void nd_driver_link(struct vfs_ctx *c, struct sbuf *t);
void nd_subsystem_link(struct vfs_ctx *c, struct sbuf *t);
bool nd_has_driver(struct vfs_ctx *c);

/*
 * sysfs_nd_ns.c: the pmem namespaces of a region with valid labels
 * (namespace_devs.c's pmem attributes), children of regionR
 */
bool sysfs_nd_pmem_region(struct vfs_ctx *c);		/* the directory's region has valid labels */
bool sysfs_nd_ns_lookup(struct vfs_ctx *c, const char *name, unsigned long *id);
void sysfs_nd_ns_list(struct vfs_ctx *c, struct strlist *names);
extern const struct vfs_ent sysfs_nd_ns_ent;

#endif
