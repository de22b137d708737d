// SPDX-License-Identifier: MIT
/*
 * should_fail() and its callers' filters against Linux 6.1's
 * lib/fault-inject.c, mm/failslab.c and mm/page_alloc.c. Debian's kernel
 * has no CONFIG_FAULT_INJECTION, so there is no recording to compare with:
 * each expectation below is written by hand, with the line of Linux it
 * follows.
 */
#include <stdlib.h>
#include <string.h>

#include <memhp/memhp.h>
#include "kernel/kernel.h"
#include "kernel/fault_inject.h"
#include "mm/internal.h"
#include "api/api_internal.h"
#include "check.h"

static struct kernel *k;

/* a fresh attribute as FAULT_ATTR_INITIALIZER leaves it, then the knobs a test sets */
static struct fault_attr *attr(unsigned long probability, int times)
{
	struct fault_attr *a = &k->fault_inject.slab;
	struct fault_inject fresh;

	fault_inject_init(&fresh);
	*a = fresh.slab;
	a->probability = probability;
	a->times = times;
	a->verbose = 0;
	return a;
}

/* how many of n calls of size bytes fail */
static int fails(struct fault_attr *a, int n, long size)
{
	int f = 0;

	for (int i = 0; i < n; i++)
		f += should_fail(k, a, size, false);
	return f;
}

/* the number of lines of the kernel log holding s */
static int log_count(struct memhp *m, const char *s)
{
	char *log = NULL;
	int n = 0;

	memhp_dmesg(m, &log);
	for (const char *p = log; p && (p = strstr(p, s)); p += strlen(s))
		n++;
	free(log);
	return n;
}

static int fuzz_ok(struct memhp *m)
{
	struct sbuf why = SBUF_INIT;
	int bad = mm_verify(guest_kernel(m), &why);

	sb_free(&why);
	return !bad;
}

int main(void)
{
	struct memhp *m = memhp_new("-m 1G -smp 2", NULL);
	struct fault_attr *a;
	int n, before;

	k = guest_kernel(m);

	/* FAULT_ATTR_INITIALIZER: interval 1, times 1, verbose 2, ratelimit 5 * HZ and 10 */
	a = attr(0, 1);
	check(a->interval == 1 && a->times == 1 && a->space == 0 && a->ratelimit_burst == 10 &&
	      a->ratelimit_interval == 5 * 250, "should_fail: FAULT_ATTR_INITIALIZER's defaults");

	/* "if (attr->probability == 0) return false;" before anything else: space is not consumed */
	a = attr(0, -1);
	a->space = 100;
	check(fails(a, 1000, 1) == 0 && a->space == 100, "should_fail: probability 0 never fails, space untouched");

	/* "if (atomic_read(&attr->times) == 0) return false;" (before the space check) */
	a = attr(100, 0);
	a->space = 100;
	check(fails(a, 100, 1) == 0 && a->space == 100, "should_fail: times 0 never fails, space untouched");

	/* probability 100: "attr->probability <= prandom_u32_max(100)" is never true (0..99) */
	/* times 1: atomic_dec_not_zero() after the first failure, then "times == 0" stops it */
	a = attr(100, 1);
	check(fails(a, 1, 1) == 1 && fails(a, 50, 1) == 0 && a->times == 0,
	      "should_fail: times 1 fails once, then reads 0");

	a = attr(100, 3);
	check(fails(a, 20, 1) == 3 && a->times == 0, "should_fail: times 3 fails the first three calls");

	/* "if (atomic_read(&attr->times) != -1) atomic_dec_not_zero(...)": -1 is no limit */
	a = attr(100, -1);
	check(fails(a, 500, 1) == 500 && a->times == -1, "should_fail: times -1 fails every call and stays -1");

	/* interval > 1: "attr->count++; if (attr->count % attr->interval) return false;" */
	a = attr(100, -1);
	a->interval = 3;
	n = 0;
	for (int i = 1; i <= 9; i++)
		n |= should_fail(k, a, 1, false) << (i - 1);
	check(n == ((1 << 2) | (1 << 5) | (1 << 8)), "should_fail: interval 3 fails the 3rd, 6th and 9th calls");

	/* interval 1 (or 0): count is not even kept */
	a = attr(100, -1);
	a->interval = 0;
	check(fails(a, 10, 1) == 10 && a->count == 0, "should_fail: interval 0 and 1 do not count calls");

	/*
	 * space: "if (atomic_read(&attr->space) > size) { atomic_sub(size, &attr->space);
	 * return false; }": space 8, size 4: the first call takes it to 4, the second
	 * (4 > 4 is false) fails, space stays 4.
	 */
	a = attr(100, -1);
	a->space = 8;
	check(!should_fail(k, a, 4, false) && a->space == 4 && should_fail(k, a, 4, false) && a->space == 4,
	      "should_fail: space lets the first bytes through, a size equal to the rest fails");
	a = attr(100, -1);
	a->space = 4096;
	check(fails(a, 4, 1024) == 1 && a->space == 1024, "should_fail: space 4096 in 1024-byte calls: the 4th fails");

	/* probability 50: fails when prandom_u32_max(100) < 50, about half of the calls */
	a = attr(50, -1);
	n = fails(a, 10000, 1);
	check(n > 4500 && n < 5500, "should_fail: probability 50 fails about half of 10000 calls");
	a = attr(1, -1);
	n = fails(a, 10000, 1);
	check(n > 50 && n < 160, "should_fail: probability 1 fails about 1 in 100");

	/* task-filter: fail_task() needs the task's make-it-fail, which no guest task has */
	a = attr(100, -1);
	a->task_filter = true;
	check(fails(a, 100, 1) == 0, "should_fail: task-filter without make-it-fail never fails");

	/* fail_dump(): verbose 0 prints nothing; verbose 1 the two lines, times before its decrement */
	a = attr(100, 2);
	before = log_count(m, "FAULT_INJECTION: forcing a failure.");
	should_fail(k, a, 1, false);
	check(log_count(m, "FAULT_INJECTION: forcing a failure.") == before, "fail_dump: verbose 0 prints nothing");
	a = attr(100, 2);
	a->verbose = 1;
	should_fail(k, a, 1, false);
	check(log_count(m, "FAULT_INJECTION: forcing a failure.") == before + 1 &&
	      log_count(m, "name failslab, interval 1, probability 100, space 0, times 2") == 1,
	      "fail_dump: verbose 1 prints the attributes with times before the decrement");

	/* ___ratelimit() with the knobs' burst: verbose_ratelimit_burst 3 lets 3 lines through a window */
	a = attr(100, -1);
	a->verbose = 1;
	a->ratelimit_burst = 3;
	before = log_count(m, "FAULT_INJECTION: forcing a failure.");
	fails(a, 20, 1);
	check(log_count(m, "FAULT_INJECTION: forcing a failure.") == before + 3,
	      "fail_dump: verbose_ratelimit_burst 3 prints 3 of 20 failures in a window");
	/* ... and an interval of 0 does not limit ("if (!interval) return 1;") */
	a = attr(100, -1);
	a->verbose = 1;
	a->ratelimit_interval = 0;
	before = log_count(m, "FAULT_INJECTION: forcing a failure.");
	fails(a, 20, 1);
	check(log_count(m, "FAULT_INJECTION: forcing a failure.") == before + 20,
	      "fail_dump: verbose_ratelimit_interval_ms 0 prints every failure");

	/* __should_failslab(): "failslab.ignore_gfp_reclaim && (gfpflags & __GFP_DIRECT_RECLAIM)" */
	a = attr(100, -1);
	check(!should_failslab(k, 64, true, false) && should_failslab(k, 64, false, false),
	      "failslab: ignore-gfp-wait (default Y) spares allocations that may reclaim");
	k->fault_inject.slab_ignore_gfp_reclaim = false;
	check(should_failslab(k, 64, true, false), "failslab: ignore-gfp-wait N fails GFP_KERNEL too");
	/* "failslab.cache_filter && !(s->flags & SLAB_FAILSLAB)": no cache has the flag set */
	k->fault_inject.slab_cache_filter = true;
	check(!should_failslab(k, 64, false, false), "failslab: cache-filter with no cache marked fails nothing");
	k->fault_inject.slab_cache_filter = false;
	k->fault_inject.slab_ignore_gfp_reclaim = true;
	a->probability = 0;

	/*
	 * __should_fail_alloc_page(): "order < fail_page_alloc.min_order" (default 1), then
	 * ignore-gfp-highmem and ignore-gfp-wait (both Y by default) are checked before should_fail()
	 */
	{
		struct fault_inject *fi = &k->fault_inject;
		unsigned long pfn;

		fi->page_alloc.probability = 100;
		fi->page_alloc.times = -1;
		fi->page_alloc.verbose = 0;
		pfn = __alloc_pages(k, 0, 0, 0);
		check(pfn != -1UL, "fail_page_alloc: an order-0 page is below min-order 1");
		if (pfn != -1UL)
			__free_pages(k, pfn, 0);
		check(__alloc_pages(k, 0, 1, 0) == -1UL, "fail_page_alloc: an order-1 GFP_NOWAIT allocation fails");
		pfn = __alloc_pages(k, GFP_KERNEL, 1, 0);
		check(pfn != -1UL, "fail_page_alloc: ignore-gfp-wait spares GFP_KERNEL");
		if (pfn != -1UL)
			__free_pages(k, pfn, 1);
		fi->page_ignore_gfp_reclaim = false;
		pfn = __alloc_pages(k, GFP_HIGHUSER_MOVABLE, 1, 0);
		check(pfn != -1UL, "fail_page_alloc: ignore-gfp-highmem spares GFP_HIGHUSER_MOVABLE");
		if (pfn != -1UL)
			__free_pages(k, pfn, 1);
		check(__alloc_pages(k, GFP_KERNEL, 1, 0) == -1UL, "fail_page_alloc: ignore-gfp-wait N fails GFP_KERNEL");
		fi->page_min_order = 0;
		check(__alloc_pages(k, GFP_KERNEL, 0, 0) == -1UL, "fail_page_alloc: min-order 0 fails order 0 too");
		fi->page_alloc.probability = 0;
		check(fuzz_ok(m), "fail_page_alloc: the invariants hold after the refused allocations");
	}

	memhp_free(m);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
