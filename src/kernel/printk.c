// SPDX-License-Identifier: MIT
/* printk's timestamps and ___ratelimit() (see printk.h). */
#include "printk.h"

#include <inttypes.h>
#include <time.h>

#include "kernel.h"

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t printk_clock_ns(struct kernel *k)
{
	/* the guest's clock starts with its first message, as the boot log's 0.000000 */
	if (!k->printk_epoch_ns)
		k->printk_epoch_ns = mono_ns();
	return mono_ns() - k->printk_epoch_ns;
}

void printk_time(struct kernel *k, struct sbuf *b)
{
	int64_t ns = printk_clock_ns(k);

	sb_printf(b, "[%5" PRId64 ".%06" PRId64 "] ", ns / 1000000000, (ns % 1000000000) / 1000);
}

/*
 * lib/ratelimit.c's ___ratelimit() with the default flags (the suppression is
 * reported when a window ends): interval 0 lets everything through, burst 0
 * nothing once a window has begun.
 */
bool ratelimit_check(struct kernel *k, struct ratelimit_state *rs, int64_t interval_ns, int burst,
		     const char *func)
{
	int64_t now = printk_clock_ns(k) + 1;	/* + 1: a window starting at 0 is still "started" */

	if (!interval_ns)
		return true;
	if (!rs->begin_ns)
		rs->begin_ns = now;
	if (now > rs->begin_ns + interval_ns) {
		if (rs->missed) {
			int missed = rs->missed;

			rs->missed = 0;
			klog(k, "%s: %d callbacks suppressed", func, missed);
		}
		rs->begin_ns = now;
		rs->printed = 0;
	}
	if (burst && burst > rs->printed) {
		rs->printed++;
		return true;
	}
	rs->missed++;
	return false;
}

bool printk_ratelimit_state(struct kernel *k, struct ratelimit_state *rs, const char *func)
{
	return ratelimit_check(k, rs, (int64_t)DEFAULT_RATELIMIT_INTERVAL_MS * 1000000, DEFAULT_RATELIMIT_BURST,
			       func);
}
