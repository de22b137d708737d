/* SPDX-License-Identifier: MIT */
/*
 * Linux's fault-injection capabilities (lib/fault-inject.c,
 * Documentation/fault-injection/fault-injection.rst): fail_page_alloc
 * (mm/page_alloc.c's should_fail_alloc_page()) and failslab
 * (mm/failslab.c's should_failslab()), configured through debugfs.
 *
 * An extension: Debian's 6.1 kernel is built without
 * CONFIG_FAULT_INJECTION, so these follow 6.1's source, not a recording.
 * Differences: the random draw is a fixed-seed generator per capability
 * (transcripts stay reproducible), verbose 2's dump_stack() is not
 * printed (memhp has no guest stack to show), and the stacktrace filter
 * (CONFIG_FAULT_INJECTION_STACKTRACE_FILTER) and /proc/PID/make-it-fail
 * are not modelled: no task has make-it-fail set, so with task-filter
 * nothing fails.
 */
#ifndef MEMHP_KERNEL_FAULT_INJECT_H
#define MEMHP_KERNEL_FAULT_INJECT_H

#include <stdbool.h>
#include <stdint.h>

#include "printk.h"

struct kernel;
struct sbuf;

struct fault_attr {
	const char *name;		/* the debugfs directory */
	unsigned long probability;	/* percent */
	unsigned long interval;
	int times;			/* atomic_t: -1 is no limit */
	int space;			/* atomic_t */
	unsigned long verbose;
	bool task_filter;
	unsigned int ratelimit_interval;	/* jiffies, shown as verbose_ratelimit_interval_ms */
	unsigned int ratelimit_burst;
	unsigned long count;
	uint64_t rng;
	struct ratelimit_state rs;
};

struct fault_inject {
	struct fault_attr page_alloc;
	bool page_ignore_gfp_highmem, page_ignore_gfp_reclaim;
	unsigned int page_min_order;
	struct fault_attr slab;
	bool slab_ignore_gfp_reclaim, slab_cache_filter;
};

/* FAULT_ATTR_INITIALIZER and the two capabilities' defaults */
void fault_inject_init(struct fault_inject *fi);

/* should_fail(): true when this call of size bytes (or pages) must fail; logs as fail_dump() */
bool should_fail(struct kernel *k, struct fault_attr *attr, long size, bool nowarn);

/* __should_failslab(): an object of size bytes; reclaim: __GFP_DIRECT_RECLAIM; no cache is SLAB_FAILSLAB */
bool should_failslab(struct kernel *k, long size, bool reclaim, bool nowarn);

/* The debugfs files of DIR (fail_page_alloc, failslab), NULL-terminated; mode 0600 each. */
const char *const *fault_inject_files(const char *dir);
int fault_inject_show(struct kernel *k, const char *dir, const char *file, struct sbuf *out);
int fault_inject_store(struct kernel *k, const char *dir, const char *file, const char *buf);

#endif
