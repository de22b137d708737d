// SPDX-License-Identifier: MIT
/*
 * The per-CPU rwsem in user space. Threads stand in for CPUs: each of the
 * first PCPU_RWSEM_SLOTS-1 threads owns a counter slot that only it writes,
 * so a reader's lock/unlock is a plain increment and decrement of its own
 * cache line, with no atomic read-modify-write and no fence.
 *
 * The ordering the fence would give comes from the writer instead, as
 * Linux's rcu_sync does for percpu_rw_semaphore: the writer raises its flag
 * and then runs membarrier(), which makes every running thread pass a full
 * barrier. After that, a reader either is already counted or sees the flag.
 * Threads past the private slots, kernels without membarrier and
 * ThreadSanitizer builds (which cannot see membarrier's ordering) use the
 * last slot with sequentially consistent atomics.
 */
#include "locks.h"

#include <linux/membarrier.h>
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__SANITIZE_THREAD__)
#define TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TSAN 1
#endif
#endif

#define SHARED_SLOT PCPU_RWSEM_SHARED_SLOT

_Thread_local int pcpu_rwsem_my_slot __attribute__((tls_model("initial-exec"))) = -1;
static _Atomic unsigned next_slot;
static _Atomic int membarrier_state;	/* 0 unknown, 1 usable, -1 not */

static bool membarrier_usable(void)
{
	int s = atomic_load_explicit(&membarrier_state, memory_order_relaxed);
	if (s)
		return s > 0;
#ifdef TSAN
	s = -1;
#else
	s = syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0 ? 1 : -1;
#endif
	atomic_store(&membarrier_state, s);
	return s > 0;
}

static inline int this_slot(void)
{
	if (__builtin_expect(pcpu_rwsem_my_slot < 0, 0)) {
		unsigned n = atomic_fetch_add(&next_slot, 1);
		pcpu_rwsem_my_slot = n < SHARED_SLOT && membarrier_usable() ? (int)n : SHARED_SLOT;
	}
	return pcpu_rwsem_my_slot;
}

void percpu_init_rwsem(struct percpu_rw_semaphore *sem, const char *name)
{
	for (int i = 0; i < PCPU_RWSEM_SLOTS; i++)
		atomic_init(&sem->slot[i].count, 0);
	atomic_init(&sem->writer, 0);
	pthread_mutex_init(&sem->writer_mutex, NULL);
	sem->name = name;
	membarrier_usable();
}

void percpu_free_rwsem(struct percpu_rw_semaphore *sem)
{
	pthread_mutex_destroy(&sem->writer_mutex);
}

bool percpu_down_read_trylock(struct percpu_rw_semaphore *sem)
{
	int i = this_slot();
	struct pcpu_rwsem_slot *s = &sem->slot[i];
	if (__builtin_expect(i != SHARED_SLOT, 1)) {
		long c = atomic_load_explicit(&s->count, memory_order_relaxed);
		atomic_store_explicit(&s->count, c + 1, memory_order_relaxed);
		atomic_signal_fence(memory_order_seq_cst);
		if (__builtin_expect(!atomic_load_explicit(&sem->writer, memory_order_acquire), 1))
			return true;
		atomic_store_explicit(&s->count, c, memory_order_release);
		return false;
	}
	atomic_fetch_add(&s->count, 1);
	if (!atomic_load(&sem->writer))
		return true;
	atomic_fetch_sub(&s->count, 1);
	return false;
}

/*
 * The reader's slow path: the thread's first call, the shared slot, or a
 * writer seen by the inline fast path (which has already undone its count).
 */
void __percpu_down_read_slow(struct percpu_rw_semaphore *sem)
{
	while (!percpu_down_read_trylock(sem)) {
		/* wait for the writer to finish, then try again */
		pthread_mutex_lock(&sem->writer_mutex);
		pthread_mutex_unlock(&sem->writer_mutex);
	}
}

void __percpu_up_read_slow(struct percpu_rw_semaphore *sem)
{
	int i = this_slot();
	struct pcpu_rwsem_slot *s = &sem->slot[i];
	if (i != SHARED_SLOT)
		atomic_store_explicit(&s->count,
				      atomic_load_explicit(&s->count, memory_order_relaxed) - 1,
				      memory_order_release);
	else
		atomic_fetch_sub_explicit(&s->count, 1, memory_order_release);
}

void percpu_down_write(struct percpu_rw_semaphore *sem)
{
	pthread_mutex_lock(&sem->writer_mutex);
	atomic_store(&sem->writer, 1);
	if (atomic_load(&membarrier_state) > 0)
		syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
	for (;;) {
		long sum = 0;
		for (int i = 0; i < PCPU_RWSEM_SLOTS; i++)
			sum += atomic_load(&sem->slot[i].count);
		if (sum == 0)
			break;
		sched_yield();
	}
}

void percpu_up_write(struct percpu_rw_semaphore *sem)
{
	atomic_store(&sem->writer, 0);
	pthread_mutex_unlock(&sem->writer_mutex);
}
