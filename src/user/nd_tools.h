/* SPDX-License-Identifier: MIT */
/*
 * What the guest's ndctl (nd_tools.c) and daxctl (daxctl.c) share: json-c's
 * layout as both tools print it, daxctl's view of a dax device's memory
 * blocks (ndctl's disable-region asks whether any is online) and a dax
 * device's JSON (ndctl's create-namespace prints it in its daxregion).
 */
#ifndef MEMHP_USER_ND_TOOLS_H
#define MEMHP_USER_ND_TOOLS_H

#include <stdbool.h>

#include "../lib/sbuf.h"

struct kernel;
struct dev_dax;
struct sh_io;

/* a JSON writer with json-c's layout as ndctl prints it */
struct jw {
	struct sbuf *out;
	int depth;
	bool first;
};
void jw_open(struct jw *j, const char *key, char bracket);
void jw_close(struct jw *j, char bracket);
void jw_str(struct jw *j, const char *key, const char *v);
void jw_num(struct jw *j, const char *key, unsigned long long v);
void jw_bool(struct jw *j, const char *key, bool v);

/* memory blocks of a dax device, through sysfs (libdaxctl's daxctl_memory_op) */
enum mem_op { MEM_SET_OFFLINE, MEM_SET_ONLINE, MEM_SET_ONLINE_NO_MOVABLE, MEM_IS_ONLINE, MEM_COUNT, MEM_GET_ZONE };
enum mem_zone { MZ_NONE, MZ_UNKNOWN, MZ_MOVABLE, MZ_NORMAL };
struct dax_mem {
	struct kernel *k;
	const struct dev_dax *dd;
	char name[32];
	struct sh_io *io;
	enum mem_zone zone;
};
void dax_mem_init(struct dax_mem *m, struct kernel *k, const struct dev_dax *dd, struct sh_io *io);
/* the op on each of the device's blocks in readdir order: how many it applied to, or -errno */
int mem_walk(struct dax_mem *m, enum mem_op op);

/* libnvdimm is up: a bus is registered */
bool nd_ready(struct kernel *k);

/* util_daxctl_dev_to_json() */
void dev_json(struct kernel *k, struct jw *j, const struct dev_dax *dd);

#endif
