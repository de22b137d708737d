/* SPDX-License-Identifier: MIT */
/* memmap= of the kernel command line (arch/x86/kernel/e820.c: parse_memmap_opt, e820__update_table). */
#ifndef MEMHP_KERNEL_E820_USER_H
#define MEMHP_KERNEL_E820_USER_H

#include "kernel.h"

/* Record memmap=nn[@#$!]ss[,...] ranges in k->user_e820 (always 0: Linux never calls it malformed). */
int e820_parse_memmap(struct kernel *k, const char *val);
/* Lay the recorded ranges over e820 as e820__update_table() does: on overlap the larger type wins. */
void e820_apply_user(struct kernel *k, struct e820_entry *e820, int *nr, int max);
/* /proc/iomem's name of an e820 type (e820_type_to_string) */
const char *e820_type_name(enum e820_type type);

#endif
