/* SPDX-License-Identifier: MIT */
/* The human monitor's help texts (hmp_help.c). */
#ifndef MEMHP_MACHINE_HMP_HELP_H
#define MEMHP_MACHINE_HMP_HELP_H

#include <stdbool.h>
#include <stddef.h>

#include "../lib/sbuf.h"

bool hmp_name_matches(const char *names, const char *name, size_t len);
void hmp_help(const char *args, struct sbuf *out);
void hmp_info_help(struct sbuf *out);
bool hmp_opts_want_help(const char *text);
int hmp_object_add_help(const char *text, struct sbuf *out);
int hmp_device_add_help(const char *text, struct sbuf *out);

#endif
