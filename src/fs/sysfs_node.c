// SPDX-License-Identifier: MIT
/*
 * /sys/devices/system/node (drivers/base/node.c): the node state masks and
 * one nodeN directory per online node, with its CPUs, its memory blocks and
 * its statistics.
 */
#include "fs_internal.h"

#include <errno.h>
#include <string.h>

#include "../kernel/kernel.h"
#include "../kernel/params.h"

void node_mask_show(uint64_t mask, struct sbuf *out)
{
	bitmap_print_list(out, &mask, MAX_NUMNODES);
	sb_putc(out, '\n');
}

/* ---- the node state masks ---- */

static int mask_show(struct vfs_ctx *c, struct sbuf *out, enum node_states s)
{
	node_mask_show(c->k->node_states[s], out);
	return 0;
}

static int has_cpu_show(struct vfs_ctx *c, struct sbuf *out) { return mask_show(c, out, N_CPU); }
static int has_gi_show(struct vfs_ctx *c, struct sbuf *out) { return mask_show(c, out, N_GENERIC_INITIATOR); }
static int has_memory_show(struct vfs_ctx *c, struct sbuf *out) { return mask_show(c, out, N_MEMORY); }
static int has_normal_show(struct vfs_ctx *c, struct sbuf *out) { return mask_show(c, out, N_NORMAL_MEMORY); }
static int online_show(struct vfs_ctx *c, struct sbuf *out) { return mask_show(c, out, N_ONLINE); }
static int possible_show(struct vfs_ctx *c, struct sbuf *out) { return mask_show(c, out, N_POSSIBLE); }

/* ---- nodeN ---- */

static int ctx_nid(struct vfs_ctx *c)
{
	return (int)c->arg[0];	/* nodeN is the first dynamic component below /sys/devices/system/node */
}

static int cpu_node(struct kernel *k, int cpu)
{
	/* without a -numa configuration every CPU sits on node 0 */
	return k->boot.nr_nodes > 0 ? k->boot.cpu_to_node[cpu] : 0;
}

static int nr_cpus(struct kernel *k)
{
	int n = k->boot.nr_cpus;
	return n < 0 ? 0 : n > MAX_CPUS ? MAX_CPUS : n;
}

static void node_cpumask(struct kernel *k, int nid, uint64_t mask[MAX_CPUS / 64])
{
	memset(mask, 0, sizeof(uint64_t) * (MAX_CPUS / 64));
	for (int cpu = 0; cpu < nr_cpus(k); cpu++)
		if (cpu_node(k, cpu) == nid)
			mask[cpu / 64] |= 1ULL << (cpu % 64);
}

static int cpulist_show(struct vfs_ctx *c, struct sbuf *out)
{
	uint64_t mask[MAX_CPUS / 64];
	node_cpumask(c->k, ctx_nid(c), mask);
	bitmap_print_list(out, mask, (unsigned)nr_cpus(c->k));
	sb_putc(out, '\n');
	return 0;
}

static int cpumap_show(struct vfs_ctx *c, struct sbuf *out)
{
	uint64_t mask[MAX_CPUS / 64];
	node_cpumask(c->k, ctx_nid(c), mask);
	bitmap_print_hex(out, mask, (unsigned)nr_cpus(c->k));
	sb_putc(out, '\n');
	return 0;
}

static int distance_show(struct vfs_ctx *c, struct sbuf *out)
{
	int nid = ctx_nid(c);
	/* node_read_distance(): the separator depends on the node number, not on the position */
	for (int i = 0; i < MAX_NUMNODES; i++)
		if (node_online(c->k, i))
			sb_printf(out, "%s%d", i ? " " : "", i == nid ? 10 : 20);
	sb_putc(out, '\n');
	return 0;
}

static int meminfo_show(struct vfs_ctx *c, struct sbuf *out)
{
	node_meminfo_show(c->k, ctx_nid(c), out);
	return 0;
}

static int numastat_show(struct vfs_ctx *c, struct sbuf *out)
{
	node_numastat_show(c->k, ctx_nid(c), out);
	return 0;
}

static int vmstat_show(struct vfs_ctx *c, struct sbuf *out)
{
	node_vmstat_show(c->k, ctx_nid(c), out);
	return 0;
}

static int compact_store(struct vfs_ctx *c, const char *buf)
{
	/* compaction of a node: any write triggers it; memhp's buddy has nothing to gain */
	return 0;
}

static void subsystem_link(struct vfs_ctx *c, struct sbuf *t)
{
	sb_puts(t, "../../../../bus/node");
}

/* hugepages/hugepages-2048kB: memhp never has huge pages, and the pool cannot grow */
static int zero_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_puts(out, "0\n");
	return 0;
}

static int nr_hugepages_store(struct vfs_ctx *c, const char *buf)
{
	unsigned long long n;
	/* a request the allocator cannot satisfy still succeeds: the pool stays smaller */
	return kstrtoull(buf, 10, &n) ? -EINVAL : 0;
}

static const struct vfs_ent hugepage_size_ents[] = {
	{ .name = "free_hugepages", .type = VFS_FILE, .mode = 0444, .show = zero_show },
	{ .name = "nr_hugepages", .type = VFS_FILE, .mode = 0644, .show = zero_show, .store = nr_hugepages_store },
	{ .name = "surplus_hugepages", .type = VFS_FILE, .mode = 0444, .show = zero_show },
	{ .name = NULL },
};
static const struct vfs_dir hugepage_size_dir = { .ents = hugepage_size_ents };

static const struct vfs_ent hugepages_ents[] = {
	{ .name = "hugepages-2048kB", .type = VFS_DIR, .mode = 0755, .dir = &hugepage_size_dir },
	{ .name = NULL },
};
static const struct vfs_dir hugepages_dir = { .ents = hugepages_ents };

static const struct vfs_dir empty_dir = { .ents = NULL };

/* cpuN links */
static bool node_cpu_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	unsigned long cpu;
	if (!vfs_parse_numbered(name, "cpu", &cpu) || cpu >= (unsigned long)nr_cpus(c->k))
		return false;
	if (cpu_node(c->k, (int)cpu) != ctx_nid(c))
		return false;
	*id = cpu;
	return true;
}

static void node_cpu_list(struct vfs_ctx *c, struct strlist *names)
{
	for (int cpu = 0; cpu < nr_cpus(c->k); cpu++)
		if (cpu_node(c->k, cpu) == ctx_nid(c))
			sl_addf(names, "cpu%d", cpu);
}

static void node_cpu_link(struct vfs_ctx *c, struct sbuf *t)
{
	sb_printf(t, "../../cpu/cpu%lu", c->arg[c->nargs - 1]);
}

/* memoryN links */
static bool node_memory_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	unsigned long n;
	if (!vfs_parse_numbered(name, "memory", &n))
		return false;
	struct memory_block *mem = find_memory_block_by_id(c->k, n);
	if (!mem || !((mem->node_links >> ctx_nid(c)) & 1))
		return false;
	*id = n;
	return true;
}

static void node_memory_list(struct vfs_ctx *c, struct strlist *names)
{
	unsigned long nr = nr_memory_blocks(c->k);
	for (unsigned long i = 0; i < nr; i++) {
		struct memory_block *mem = memory_block_at(c->k, i);
		if (mem && ((mem->node_links >> ctx_nid(c)) & 1))
			sl_addf(names, "memory%lu", mem->id);
	}
}

static void node_memory_link(struct vfs_ctx *c, struct sbuf *t)
{
	sb_printf(t, "../../memory/memory%lu", c->arg[c->nargs - 1]);
}

static const struct vfs_ent node_cpu_ent = { .type = VFS_LINK, .mode = 0777, .link = node_cpu_link };
static const struct vfs_ent node_memory_ent = { .type = VFS_LINK, .mode = 0777, .link = node_memory_link };

static const struct vfs_ent node_ents[] = {
	{ .name = "compact", .type = VFS_FILE, .mode = 0200, .store = compact_store },
	{ .name = "cpulist", .type = VFS_FILE, .mode = 0444, .show = cpulist_show },
	{ .name = "cpumap", .type = VFS_FILE, .mode = 0444, .show = cpumap_show },
	{ .name = "distance", .type = VFS_FILE, .mode = 0444, .show = distance_show },
	{ .name = "hugepages", .type = VFS_DIR, .mode = 0755, .dir = &hugepages_dir },
	{ .name = "meminfo", .type = VFS_FILE, .mode = 0444, .show = meminfo_show },
	{ .name = "numastat", .type = VFS_FILE, .mode = 0444, .show = numastat_show },
	{ .name = "power", .type = VFS_DIR, .mode = 0755, .dir = &sysfs_power_dir },
	{ .name = "subsystem", .type = VFS_LINK, .mode = 0777, .link = subsystem_link },
	{ .name = "uevent", .type = VFS_FILE, .mode = 0644, .show = sysfs_uevent_show, .store = sysfs_uevent_store },
	{ .name = "vmstat", .type = VFS_FILE, .mode = 0444, .show = vmstat_show },
	{ .name = "x86", .type = VFS_DIR, .mode = 0755, .dir = &empty_dir },
	{ .name = NULL },
};

static const struct vfs_dyn node_dyns[] = {
	{ .lookup = node_cpu_lookup, .list = node_cpu_list, .ent = &node_cpu_ent },
	{ .lookup = node_memory_lookup, .list = node_memory_list, .ent = &node_memory_ent },
	{ .lookup = NULL },
};

static const struct vfs_dir node_dir = { .ents = node_ents, .dyns = node_dyns };

/* Node devices exist for online nodes: registered at boot or by __try_online_node(). */
bool sysfs_node_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	unsigned long nid;
	if (!vfs_parse_numbered(name, "node", &nid) || nid >= MAX_NUMNODES)
		return false;
	if (!node_online(c->k, (int)nid) || !NODE_DATA(c->k, (int)nid))
		return false;
	*id = nid;
	return true;
}

void sysfs_node_list(struct vfs_ctx *c, struct strlist *names)
{
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		if (node_online(c->k, nid) && NODE_DATA(c->k, nid))
			sl_addf(names, "node%d", nid);
}

static const struct vfs_ent node_ent = { .type = VFS_DIR, .mode = 0755, .dir = &node_dir };

static const struct vfs_ent sysfs_node_ents[] = {
	{ .name = "has_cpu", .type = VFS_FILE, .mode = 0444, .show = has_cpu_show },
	{ .name = "has_generic_initiator", .type = VFS_FILE, .mode = 0444, .show = has_gi_show },
	{ .name = "has_memory", .type = VFS_FILE, .mode = 0444, .show = has_memory_show },
	{ .name = "has_normal_memory", .type = VFS_FILE, .mode = 0444, .show = has_normal_show },
	{ .name = "online", .type = VFS_FILE, .mode = 0444, .show = online_show },
	{ .name = "possible", .type = VFS_FILE, .mode = 0444, .show = possible_show },
	{ .name = "power", .type = VFS_DIR, .mode = 0755, .dir = &sysfs_power_dir },
	{ .name = "uevent", .type = VFS_FILE, .mode = 0644, .show = sysfs_uevent_show, .store = sysfs_uevent_store },
	{ .name = NULL },
};

static const struct vfs_dyn sysfs_node_dyns[] = {
	{ .lookup = sysfs_node_lookup, .list = sysfs_node_list, .ent = &node_ent },
	{ .lookup = NULL },
};

const struct vfs_dir sysfs_node_dir = { .ents = sysfs_node_ents, .dyns = sysfs_node_dyns };
