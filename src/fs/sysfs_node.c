// SPDX-License-Identifier: MIT
/*
 * /sys/devices/system/node (drivers/base/node.c): the node state masks and
 * one nodeN directory per online node, with its CPUs, its memory blocks and
 * its statistics.
 */
#include "fs_internal.h"

#include <ctype.h>
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

/*
 * hugepages/ (mm/hugetlb.c, hugetlb_register_node): one directory per huge
 * page size x86-64 has, 2 MiB and, with pdpe1gb (QEMU's -cpu max), 1 GiB;
 * the gigantic size can be demoted to 2 MiB, so it also has demote and
 * demote_size.
 *
 * memhp models hugetlb as an allocator that never gets a huge page: a pool
 * stays empty (nothing else in memhp would own such pages, migrate them on
 * offline or count them in meminfo). Linux takes the same path when its
 * allocations fail, and it does not report that either: a valid
 * nr_hugepages write succeeds and the count stays smaller than asked. On
 * the real guest `echo 3 > .../hugepages-2048kB/nr_hugepages` does allocate
 * three pages (HugePages_Total: 3 in meminfo); memhp reads back 0.
 */
static int zero_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_puts(out, "0\n");
	return 0;
}

/* __nr_hugepages_store_common(): kstrtoul(buf, 10) decides which writes are refused */
static int nr_hugepages_store(struct vfs_ctx *c, const char *buf)
{
	unsigned long long n;
	return kstrtoull(buf, 10, &n);
}

/* demote_store(): demotes up to N free pages; the pool has none */
static int demote_store(struct vfs_ctx *c, const char *buf)
{
	unsigned long long n;
	return kstrtoull(buf, 10, &n);
}

static int demote_size_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_puts(out, "2048kB\n");	/* the only smaller size */
	return 0;
}

/* demote_size_store(): memparse() must name a smaller huge page size; only 2 MiB is one */
static int demote_size_store(struct vfs_ctx *c, const char *buf)
{
	unsigned long long v = 0;
	const char *p = buf;
	int base = 10;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2])) {
		base = 16;
		p += 2;
	} else if (p[0] == '0') {
		base = 8;
	}
	for (; isxdigit((unsigned char)*p); p++) {
		unsigned d = isdigit((unsigned char)*p) ? (unsigned)(*p - '0') : (unsigned)(tolower(*p) - 'a' + 10);
		if (d >= (unsigned)base)
			break;
		v = v * (unsigned)base + d;
		if (v > (1ULL << 40))
			return -EINVAL;
	}
	switch (*p) {
	case 'G': case 'g': v <<= 10; /* fall through */
	case 'M': case 'm': v <<= 10; /* fall through */
	case 'K': case 'k': v <<= 10;
	default: break;
	}
	return v == 2ULL << 20 ? 0 : -EINVAL;
}

static const struct vfs_ent hugepage_2m_ents[] = {
	{ .name = "free_hugepages", .type = VFS_FILE, .mode = 0444, .show = zero_show },
	{ .name = "nr_hugepages", .type = VFS_FILE, .mode = 0644, .show = zero_show, .store = nr_hugepages_store },
	{ .name = "surplus_hugepages", .type = VFS_FILE, .mode = 0444, .show = zero_show },
	{ .name = NULL },
};
static const struct vfs_dir hugepage_2m_dir = { .ents = hugepage_2m_ents };

static const struct vfs_ent hugepage_1g_ents[] = {
	{ .name = "demote", .type = VFS_FILE, .mode = 0200, .store = demote_store },
	{ .name = "demote_size", .type = VFS_FILE, .mode = 0644, .show = demote_size_show,
	  .store = demote_size_store },
	{ .name = "free_hugepages", .type = VFS_FILE, .mode = 0444, .show = zero_show },
	{ .name = "nr_hugepages", .type = VFS_FILE, .mode = 0644, .show = zero_show, .store = nr_hugepages_store },
	{ .name = "surplus_hugepages", .type = VFS_FILE, .mode = 0444, .show = zero_show },
	{ .name = NULL },
};
static const struct vfs_dir hugepage_1g_dir = { .ents = hugepage_1g_ents };

static const struct vfs_ent hugepages_ents[] = {
	{ .name = "hugepages-1048576kB", .type = VFS_DIR, .mode = 0755, .dir = &hugepage_1g_dir },
	{ .name = "hugepages-2048kB", .type = VFS_DIR, .mode = 0755, .dir = &hugepage_2m_dir },
	{ .name = NULL },
};
static const struct vfs_dir hugepages_dir = { .ents = hugepages_ents };

static struct dev_pm_info *node_pm(struct vfs_ctx *c)
{
	return ctx_nid(c) < MAX_NUMNODES ? &c->k->node_pm[ctx_nid(c)] : NULL;
}
static const struct sysfs_pm_owner node_pm_owner = { .info = node_pm };
static const struct vfs_dir node_power_dir = SYSFS_POWER_DIR(&node_pm_owner);

static struct dev_pm_info *node_root_pm(struct vfs_ctx *c)
{
	return &c->k->node_root_pm;
}
static const struct sysfs_pm_owner node_root_pm_owner = { .info = node_root_pm };
static const struct vfs_dir node_root_power_dir = SYSFS_POWER_DIR(&node_root_pm_owner);

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
	{ .name = "power", .type = VFS_DIR, .mode = 0755, .dir = &node_power_dir },
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
	{ .name = "power", .type = VFS_DIR, .mode = 0755, .dir = &node_root_power_dir },
	{ .name = "uevent", .type = VFS_FILE, .mode = 0644, .show = sysfs_uevent_show, .store = sysfs_uevent_store },
	{ .name = NULL },
};

static const struct vfs_dyn sysfs_node_dyns[] = {
	{ .lookup = sysfs_node_lookup, .list = sysfs_node_list, .ent = &node_ent },
	{ .lookup = NULL },
};

const struct vfs_dir sysfs_node_dir = { .ents = sysfs_node_ents, .dyns = sysfs_node_dyns };
