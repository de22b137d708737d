// SPDX-License-Identifier: MIT
/*
 * The reader pair of mem_hotplug_lock: get_online_mems()/put_online_mems()
 * (inline, inside the library) and memhp_get/put_online_mems() (the public
 * API), against a pthread_rwlock read pair and, where liburcu-dev was found
 * at build time, liburcu's inlined read side (urcu-memb, the flavour that
 * also leaves the ordering to the writer's membarrier()).
 *
 * Everything is CPU time of this thread (CLOCK_THREAD_CPUTIME_ID), the
 * minimum of several runs, so that other load on the machine adds as little
 * as possible; ratios are against the baselines run in the same process.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#ifdef MEMHP_HAVE_URCU
#define _LGPL_SOURCE
#include <urcu/urcu-memb.h>
#endif

#include <memhp/memhp.h>
#include "kernel/kernel.h"
#include "mm/memory_hotplug.h"
#include "api/api_internal.h"

#define ITERS 10000000L
#define RUNS 7

static struct percpu_rw_semaphore sem;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static struct memhp *machine;
static _Atomic int go;

static double cpu_now(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void loop_kernel(long n)
{
	struct kernel *k = guest_kernel(machine);
	for (long i = 0; i < n; i++) {
		get_online_mems(k);
		put_online_mems(k);
	}
}

static void loop_api(long n)
{
	for (long i = 0; i < n; i++) {
		memhp_get_online_mems(machine);
		memhp_put_online_mems(machine);
	}
}

static void loop_pcpu(long n)
{
	for (long i = 0; i < n; i++) {
		percpu_down_read(&sem);
		percpu_up_read(&sem);
	}
}

static void loop_rw(long n)
{
	for (long i = 0; i < n; i++) {
		pthread_rwlock_rdlock(&rw);
		pthread_rwlock_unlock(&rw);
	}
}

#ifdef MEMHP_HAVE_URCU
static void loop_urcu(long n)
{
	for (long i = 0; i < n; i++) {
		urcu_memb_read_lock();
		urcu_memb_read_unlock();
	}
}
#endif

/* ns of this thread's CPU time per pair: the best of RUNS runs. */
static double ns_per_pair(void (*fn)(long))
{
	double best = 1e30;
	fn(ITERS / 10);		/* warm up: the slot, the caches, the branch predictor */
	for (int r = 0; r < RUNS; r++) {
		double t0 = cpu_now(CLOCK_THREAD_CPUTIME_ID);
		fn(ITERS);
		double t = cpu_now(CLOCK_THREAD_CPUTIME_ID) - t0;
		if (t < best)
			best = t;
	}
	return best * 1e9 / ITERS;
}

struct thread_arg {
	void (*fn)(long);
	long n;
};

static void *thread_main(void *p)
{
	struct thread_arg *a = p;
#ifdef MEMHP_HAVE_URCU
	urcu_memb_register_thread();
#endif
	while (!atomic_load(&go))
		;
	a->fn(a->n);
#ifdef MEMHP_HAVE_URCU
	urcu_memb_unregister_thread();
#endif
	return NULL;
}

/* Process CPU ns per pair with nthreads readers at once (spinning at the start counts too). */
static double ns_per_pair_threads(void (*fn)(long), int nthreads)
{
	pthread_t t[64];
	struct thread_arg a = { fn, ITERS };
	atomic_store(&go, 0);
	for (int i = 0; i < nthreads; i++)
		pthread_create(&t[i], NULL, thread_main, &a);
	double t0 = cpu_now(CLOCK_PROCESS_CPUTIME_ID);
	atomic_store(&go, 1);
	for (int i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);
	return (cpu_now(CLOCK_PROCESS_CPUTIME_ID) - t0) * 1e9 / ((double)ITERS * nthreads);
}

int main(void)
{
	percpu_init_rwsem(&sem, "bench");
	machine = memhp_new("-m 1G", NULL);
	if (!machine)
		return 1;
#ifdef MEMHP_HAVE_URCU
	urcu_memb_register_thread();
#endif
	double kern = ns_per_pair(loop_kernel), api = ns_per_pair(loop_api);
	double pcpu = ns_per_pair(loop_pcpu), rwl = ns_per_pair(loop_rw);
	printf("bench_locks: reader pair, 1 thread, CPU ns (min of %d x %ld): get/put_online_mems %.2f, "
	       "memhp_get/put_online_mems %.2f, pthread_rwlock rd %.2f\n", RUNS, ITERS, kern, api, rwl);
	printf("bench_locks: ratio to pthread_rwlock: get/put_online_mems %.3f, public API %.3f "
	       "(target: <= 1.5 ns each)\n", kern / rwl, api / rwl);
#ifdef MEMHP_HAVE_URCU
	double urcu = ns_per_pair(loop_urcu);
	printf("bench_locks: liburcu (memb, inlined) read pair %.2f ns; get/put_online_mems %.2fx that, "
	       "public API %.2fx\n", urcu, kern / urcu, api / urcu);
#else
	printf("bench_locks: liburcu: not built (liburcu-dev not found)\n");
#endif
	(void)pcpu;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpus < 1)
		cpus = 1;
	if (cpus > 32)
		cpus = 32;
	double pn = ns_per_pair_threads(loop_pcpu, (int)cpus), rn = ns_per_pair_threads(loop_rw, (int)cpus);
	printf("bench_locks: %ld threads x %ld pairs, process CPU ns per pair: percpu %.2f, pthread_rwlock %.2f; "
	       "ratio %.3f\n", cpus, ITERS, pn, rn, pn / rn);
	printf("bench_locks: note: with %ld CPUs shared with other work, the multi-thread figure shows "
	       "contention on shared lines (pthread_rwlock) against none (percpu), not scaling\n", cpus);
#ifdef MEMHP_HAVE_URCU
	urcu_memb_unregister_thread();
#endif
	memhp_free(machine);
	percpu_free_rwsem(&sem);
	return 0;
}
