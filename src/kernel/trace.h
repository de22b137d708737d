/* SPDX-License-Identifier: MIT */
/*
 * Flow tracing for learners: each step of hot-add, online, offline and
 * remove names the kernel function it models, with its arguments
 * (`memhp run --trace`, memhp_set_trace_handler()). Off, it costs a branch.
 */
#ifndef MEMHP_KERNEL_TRACE_H
#define MEMHP_KERNEL_TRACE_H

#include "kernel.h"

__attribute__((format(printf, 3, 4)))
void __trace_mhp(struct kernel *k, const char *fn, const char *fmt, ...);

#define trace_mhp(k, ...)						\
	do {								\
		if (__builtin_expect((k)->trace != NULL, 0))		\
			__trace_mhp((k), __func__, __VA_ARGS__);	\
	} while (0)

#endif
