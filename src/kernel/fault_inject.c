// SPDX-License-Identifier: MIT
/* lib/fault-inject.c's should_fail() and the debugfs knobs of fault_create_debugfs_attr() */
#include "fault_inject.h"

#include <errno.h>
#include <string.h>

#include "kernel.h"
#include "params.h"

#define HZ 250	/* Debian's CONFIG_HZ: the ratelimit interval is kept in jiffies */

static void fault_attr_init(struct fault_attr *a, const char *name, uint64_t seed)
{
	/* FAULT_ATTR_INITIALIZER */
	memset(a, 0, sizeof(*a));
	a->name = name;
	a->interval = 1;
	a->times = 1;
	a->verbose = 2;
	a->ratelimit_interval = 5 * HZ;
	a->ratelimit_burst = 10;
	a->rng = seed;
}

void fault_inject_init(struct fault_inject *fi)
{
	fault_attr_init(&fi->page_alloc, "fail_page_alloc", 0x9e3779b97f4a7c15ULL);
	fi->page_ignore_gfp_reclaim = true;
	fi->page_ignore_gfp_highmem = true;
	fi->page_min_order = 1;
	fault_attr_init(&fi->slab, "failslab", 0xbf58476d1ce4e5b9ULL);
	fi->slab_ignore_gfp_reclaim = true;
	fi->slab_cache_filter = false;
}

/* prandom_u32_max(100), from a fixed seed (splitmix64) */
static unsigned int draw_percent(struct fault_attr *a)
{
	uint64_t z = (a->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (unsigned int)(((z >> 32) * 100) >> 32);
}

/*
 * fail_dump(): ratelimited by attr->ratelimit_state, whose interval (jiffies,
 * whatever the knob's name says) and burst the debugfs knobs set; verbose > 1
 * adds a stack dump
 */
static void fail_dump(struct kernel *k, struct fault_attr *a, bool nowarn)
{
	if (nowarn || !a->verbose)
		return;
	if (!ratelimit_check(k, &a->rs, (int64_t)a->ratelimit_interval * (1000000000 / HZ),
			     (int)a->ratelimit_burst, "fail_dump"))
		return;
	klog(k, "FAULT_INJECTION: forcing a failure.");
	klog(k, "name %s, interval %lu, probability %lu, space %d, times %d", a->name, a->interval,
	     a->probability, a->space, a->times);
	/* verbose > 1: Linux adds dump_stack(); memhp has no guest stack to show */
}

bool should_fail(struct kernel *k, struct fault_attr *a, long size, bool nowarn)
{
	/* no need to look further with probability 0 */
	if (a->probability == 0)
		return false;
	/*
	 * task-filter: only tasks with /proc/PID/make-it-fail set fail (fail_task()), and
	 * memhp's guest has no such file, so no task has it: nothing fails
	 */
	if (a->task_filter)
		return false;
	if (a->times == 0)
		return false;
	/* space: let the first bytes through */
	if (a->space > size) {
		a->space -= (int)size;
		return false;
	}
	if (a->interval > 1) {
		a->count++;
		if (a->count % a->interval)
			return false;
	}
	if (a->probability <= draw_percent(a))
		return false;
	fail_dump(k, a, nowarn);
	if (a->times != -1 && a->times != 0)
		a->times--;
	return true;
}

bool should_failslab(struct kernel *k, long size, bool reclaim, bool nowarn)
{
	struct fault_inject *fi = &k->fault_inject;

	if (fi->slab_ignore_gfp_reclaim && reclaim)
		return false;
	/* cache-filter: only caches whose /sys/kernel/slab/CACHE/failslab is 1, and none is */
	if (fi->slab_cache_filter)
		return false;
	return should_fail(k, &fi->slab, size, nowarn);
}

/* ---- debugfs ---- */

enum knob_type { KT_ULONG, KT_ATOMIC, KT_BOOL, KT_U32 };

struct knob {
	const char *name;
	enum knob_type type;
};

#define COMMON_KNOBS \
	{ "probability", KT_ULONG }, { "interval", KT_ULONG }, { "times", KT_ATOMIC }, \
	{ "space", KT_ATOMIC }, { "verbose", KT_ULONG }, { "verbose_ratelimit_interval_ms", KT_U32 }, \
	{ "verbose_ratelimit_burst", KT_U32 }, { "task-filter", KT_BOOL }

static const struct knob page_knobs[] = {
	COMMON_KNOBS, { "ignore-gfp-wait", KT_BOOL }, { "ignore-gfp-highmem", KT_BOOL },
	{ "min-order", KT_U32 }, { NULL, 0 },
};
static const struct knob slab_knobs[] = {
	COMMON_KNOBS, { "ignore-gfp-wait", KT_BOOL }, { "cache-filter", KT_BOOL }, { NULL, 0 },
};

static const char *const page_files[] = {
	"probability", "interval", "times", "space", "verbose", "verbose_ratelimit_interval_ms",
	"verbose_ratelimit_burst", "task-filter", "ignore-gfp-wait", "ignore-gfp-highmem", "min-order", NULL,
};
static const char *const slab_files[] = {
	"probability", "interval", "times", "space", "verbose", "verbose_ratelimit_interval_ms",
	"verbose_ratelimit_burst", "task-filter", "ignore-gfp-wait", "cache-filter", NULL,
};

const char *const *fault_inject_files(const char *dir)
{
	if (!strcmp(dir, "fail_page_alloc"))
		return page_files;
	if (!strcmp(dir, "failslab"))
		return slab_files;
	return NULL;
}

/* the variable behind dir/file, and its type */
static void *knob_ptr(struct fault_inject *fi, const char *dir, const char *file, enum knob_type *type)
{
	bool page = !strcmp(dir, "fail_page_alloc");
	const struct knob *kn = page ? page_knobs : !strcmp(dir, "failslab") ? slab_knobs : NULL;
	struct fault_attr *a = page ? &fi->page_alloc : &fi->slab;

	for (; kn && kn->name; kn++) {
		if (strcmp(kn->name, file))
			continue;
		*type = kn->type;
		if (!strcmp(file, "probability"))
			return &a->probability;
		if (!strcmp(file, "interval"))
			return &a->interval;
		if (!strcmp(file, "times"))
			return &a->times;
		if (!strcmp(file, "space"))
			return &a->space;
		if (!strcmp(file, "verbose"))
			return &a->verbose;
		if (!strcmp(file, "verbose_ratelimit_interval_ms"))
			return &a->ratelimit_interval;
		if (!strcmp(file, "verbose_ratelimit_burst"))
			return &a->ratelimit_burst;
		if (!strcmp(file, "task-filter"))
			return &a->task_filter;
		if (!strcmp(file, "ignore-gfp-wait"))
			return page ? &fi->page_ignore_gfp_reclaim : &fi->slab_ignore_gfp_reclaim;
		if (!strcmp(file, "ignore-gfp-highmem"))
			return &fi->page_ignore_gfp_highmem;
		if (!strcmp(file, "min-order"))
			return &fi->page_min_order;
		if (!strcmp(file, "cache-filter"))
			return &fi->slab_cache_filter;
	}
	return NULL;
}

int fault_inject_show(struct kernel *k, const char *dir, const char *file, struct sbuf *out)
{
	enum knob_type t;
	void *p = knob_ptr(&k->fault_inject, dir, file, &t);

	if (!p)
		return -ENOENT;
	switch (t) {
	case KT_ULONG:	/* debugfs_ulong_get(), "%llu\n" */
		sb_printf(out, "%lu\n", *(unsigned long *)p);
		break;
	case KT_ATOMIC:	/* debugfs_atomic_t_get(), "%lld\n" */
		sb_printf(out, "%d\n", *(int *)p);
		break;
	case KT_U32:
		sb_printf(out, "%u\n", *(unsigned int *)p);
		break;
	case KT_BOOL:	/* debugfs_read_file_bool() */
		sb_puts(out, *(bool *)p ? "Y\n" : "N\n");
		break;
	}
	return 0;
}

int fault_inject_store(struct kernel *k, const char *dir, const char *file, const char *buf)
{
	enum knob_type t;
	void *p = knob_ptr(&k->fault_inject, dir, file, &t);
	char tmp[24];
	unsigned long long u;
	long long s;
	bool b;
	int ret;

	if (!p)
		return -ENOENT;
	/* simple_attr_write() reads at most 23 bytes */
	strncpy(tmp, buf, sizeof(tmp) - 1);
	tmp[sizeof(tmp) - 1] = '\0';
	switch (t) {
	case KT_ULONG:
	case KT_U32:
		ret = kstrtoull(tmp, 0, &u);
		if (ret)
			return ret;
		if (t == KT_ULONG)
			*(unsigned long *)p = (unsigned long)u;
		else
			*(unsigned int *)p = (unsigned int)u;	/* debugfs_u32_set() truncates */
		return 0;
	case KT_ATOMIC:	/* signed: "echo -1 > times" */
		ret = kstrtoll(tmp, 0, &s);
		if (ret)
			return ret;
		*(int *)p = (int)s;
		return 0;
	case KT_BOOL:
		ret = kstrtobool(buf, &b);
		if (ret)
			return ret;
		*(bool *)p = b;
		return 0;
	}
	return -EINVAL;
}
