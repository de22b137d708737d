/* SPDX-License-Identifier: MIT */
/*
 * A small lock-order checker, in the spirit of lockdep, for the locks of
 * memory hotplug. It learns the order in which lock classes nest and reports
 * the inversion seeds 003/004 describe: device_online() takes device_lock
 * then mem_hotplug_lock, add_memory_resource() takes mem_hotplug_lock then
 * device_lock (registering the block device). Both are safe only under
 * device_hotplug_lock; an acquisition that completes a cycle while either
 * side ran without it is reported.
 *
 * Enabled by default in debug builds (make DEBUG=1); lockdep_set_enabled()
 * turns it on at run time. When off, each hook is one predictable branch.
 */
#ifndef MEMHP_KERNEL_LOCKDEP_H
#define MEMHP_KERNEL_LOCKDEP_H

#include <stdbool.h>

enum lock_class {
	LOCK_DEVICE_HOTPLUG,	/* device_hotplug_lock */
	LOCK_DEVICE,		/* device_lock() of a memory block */
	LOCK_CPU_HOTPLUG,	/* cpus_read_lock() */
	LOCK_MEM_HOTPLUG,	/* mem_hotplug_lock (write) */
	NR_LOCK_CLASSES
};

extern bool lockdep_enabled;
void lockdep_acquire_slow(enum lock_class c);
void lockdep_release_slow(enum lock_class c);

static inline void lockdep_acquire(enum lock_class c)
{
	if (__builtin_expect(lockdep_enabled, 0))
		lockdep_acquire_slow(c);
}

static inline void lockdep_release(enum lock_class c)
{
	if (__builtin_expect(lockdep_enabled, 0))
		lockdep_release_slow(c);
}

void lockdep_set_enabled(bool on);
/* Reports made so far; the last report's text (empty if none). */
unsigned long lockdep_nr_reports(void);
const char *lockdep_last_report(void);
/* Forget learned orders (tests). */
void lockdep_reset(void);

#endif
