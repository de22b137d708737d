// SPDX-License-Identifier: MIT
/*
 * get_online_mems()/put_online_mems() against pthread_rwlock read
 * lock/unlock, measured in the same process: single-thread ns per pair and
 * the ratio, then aggregate throughput with one reader per online CPU.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "kernel/locks.h"

#define ITERS 20000000L

static struct percpu_rw_semaphore sem;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static _Atomic int go;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void *run_pcpu(void *arg)
{
	long n = *(long *)arg;
	while (!atomic_load(&go))
		;
	for (long i = 0; i < n; i++) {
		percpu_down_read(&sem);
		percpu_up_read(&sem);
	}
	return NULL;
}

static void *run_rw(void *arg)
{
	long n = *(long *)arg;
	while (!atomic_load(&go))
		;
	for (long i = 0; i < n; i++) {
		pthread_rwlock_rdlock(&rw);
		pthread_rwlock_unlock(&rw);
	}
	return NULL;
}

/* Seconds for nthreads threads doing n pairs each. */
static double timed(void *(*fn)(void *), int nthreads, long n)
{
	pthread_t t[64];
	atomic_store(&go, 0);
	for (int i = 0; i < nthreads; i++)
		pthread_create(&t[i], NULL, fn, &n);
	double t0 = now();
	atomic_store(&go, 1);
	for (int i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);
	return now() - t0;
}

int main(void)
{
	percpu_init_rwsem(&sem, "mem_hotplug_lock");
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpus < 1)
		cpus = 1;
	if (cpus > 64)
		cpus = 64;
	timed(run_pcpu, 1, ITERS / 10);	/* warm up */
	double p1 = timed(run_pcpu, 1, ITERS), r1 = timed(run_rw, 1, ITERS);
	printf("bench_locks: get/put_online_mems pair, 1 thread: %.2f ns/op; pthread_rwlock rd pair: %.2f ns/op; ratio %.2f\n",
	       p1 * 1e9 / ITERS, r1 * 1e9 / ITERS, p1 / r1);
	double pn = timed(run_pcpu, (int)cpus, ITERS), rn = timed(run_rw, (int)cpus, ITERS);
	printf("bench_locks: %ld threads x %ld pairs: percpu %.2f ns/op/thread, pthread_rwlock %.2f ns/op/thread; ratio %.2f\n",
	       cpus, ITERS, pn * 1e9 / ITERS, rn * 1e9 / ITERS, pn / rn);
	printf("bench_locks: note: this machine has %ld CPUs online; if they give about one core's worth of "
	       "parallel speed, the multi-thread figure shows contention cost, not scaling - measure scaling on a machine with real cores\n",
	       cpus);
	percpu_free_rwsem(&sem);
	return 0;
}
