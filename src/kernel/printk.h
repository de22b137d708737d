/* SPDX-License-Identifier: MIT */
/*
 * printk's timestamps and rate limiting (kernel/printk/printk.c's
 * print_time(), lib/ratelimit.c): the kernel log shows "[    0.000123] "
 * before each line, seconds since the guest booted, and a call site that
 * logs in a loop prints DEFAULT_RATELIMIT_BURST lines per interval, then
 * "FUNC: N callbacks suppressed" once the interval is over.
 */
#ifndef MEMHP_KERNEL_PRINTK_H
#define MEMHP_KERNEL_PRINTK_H

#include <stdbool.h>
#include <stdint.h>

struct kernel;
struct sbuf;

#define DEFAULT_RATELIMIT_INTERVAL_MS	5000	/* 5 * HZ */
#define DEFAULT_RATELIMIT_BURST		10

struct ratelimit_state {
	int64_t begin_ns;	/* 0: the window has not started */
	int printed, missed;
};

/* local_clock() of the guest: ns since the kernel's first log line (its boot) */
int64_t printk_clock_ns(struct kernel *k);
/* "[%5lu.%06lu] " for now */
void printk_time(struct kernel *k, struct sbuf *b);
/* __ratelimit(): true when the caller may print; func names the call site in the suppression line */
bool printk_ratelimit_state(struct kernel *k, struct ratelimit_state *rs, const char *func);
/* the same with a state's own interval (ns) and burst, as a ratelimit_state Linux configures */
bool ratelimit_check(struct kernel *k, struct ratelimit_state *rs, int64_t interval_ns, int burst,
		     const char *func);

#endif
