/* SPDX-License-Identifier: MIT */
/*
 * Kernel command line and module parameters of memory hotplug
 * (mm/memory_hotplug.c, kernel/params.c): boot-time parsing with Linux's
 * messages, and /sys/module/memory_hotplug/parameters/ show/store.
 */
#ifndef MEMHP_KERNEL_PARAMS_H
#define MEMHP_KERNEL_PARAMS_H

#include <stdbool.h>
#include "../lib/sbuf.h"

struct kernel;
struct mhp_params;

/* Linux 6.1 defaults: offline, contig-zones, ratio 301, NUMA aware, no mem= limit. */
void mhp_params_init(struct mhp_params *p);

/* Names under /sys/module/memory_hotplug/parameters, in listing order. */
extern const char *const memory_hotplug_param_names[];
extern const int memory_hotplug_nr_params;

/* Show a parameter's value (with the trailing newline); -ENOENT if unknown. */
int mhp_param_show(struct kernel *k, const char *name, struct sbuf *out);
/* Store; -EACCES for read-only ones (mode 0444), -EINVAL/-ERANGE as Linux. */
int mhp_param_store(struct kernel *k, const char *name, const char *buf);
/* File mode of a parameter (0444 or 0644), 0 if unknown. */
unsigned mhp_param_mode(const char *name);

/* Linux's parsers (lib/kstrtox.c, lib/string_helpers.c) */
bool sysfs_streq(const char *s1, const char *s2);
int kstrtobool(const char *s, bool *res);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);
int kstrtoint(const char *s, unsigned int base, int *res);
int kstrtoll(const char *s, unsigned int base, long long *res);
/* memparse(): a number with optional K/M/G/T/P/E suffix; *end after it. */
unsigned long long memparse(const char *ptr, char **retptr);

#endif
