/* SPDX-License-Identifier: MIT */
/*
 * memory-notifier-error-inject (lib/memory-notifier-error-inject.c): a
 * memory notifier that fails MEM_GOING_ONLINE / MEM_GOING_OFFLINE with an
 * errno written to debugfs, as the kernel selftest uses it.
 */
#ifndef MEMHP_KERNEL_NOTIFIER_INJECT_H
#define MEMHP_KERNEL_NOTIFIER_INJECT_H

#include <stdbool.h>

#include "../lib/sbuf.h"

struct kernel;

/* Is name this module's, as modprobe matches names ('-' and '_' alike)? */
bool memory_notifier_inject_is_module(const char *name);
/* modprobe memory-notifier-error-inject [priority=N]; loading twice is a no-op. */
int memory_notifier_inject_load(struct kernel *k, int priority);
int memory_notifier_inject_unload(struct kernel *k);
/* Action names under .../memory/actions/, in listing order, NULL-terminated. */
extern const char *const memory_notifier_inject_actions[];
/*
 * .../actions/<ACTION>/error: show "%d\n". Store parses a signed number
 * (kstrtoll, base 0; garbage -EINVAL, overflow -ERANGE) and clamps it to
 * [-4095, 0] as Linux's debugfs_errno_set(): "-5000" is stored as -4095.
 * -ENOENT if the module is not loaded or the action is unknown.
 */
int memory_notifier_inject_show(struct kernel *k, const char *action, struct sbuf *out);
int memory_notifier_inject_store(struct kernel *k, const char *action, const char *buf);

#endif
