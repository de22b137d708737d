/* SPDX-License-Identifier: MIT */
/* QEMU's host-side options (cmdline_host.c). */
#ifndef MEMHP_MACHINE_CMDLINE_HOST_H
#define MEMHP_MACHINE_CMDLINE_HOST_H

#include <stdbool.h>

#include "machine_internal.h"

/* 1: the option takes an argument, 0: it takes none, -1: not a host-side option */
int cmdline_host_takes_arg(const char *opt);
/* 1: handled, 0: not a host-side option, -1: refused (message in err, prefixed with loc) */
int cmdline_host_option(struct machine_config *h, const char *opt, const char *arg, const char *loc,
			struct sbuf *err);

#endif
