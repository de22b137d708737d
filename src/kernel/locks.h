/* SPDX-License-Identifier: MIT */
/*
 * A per-CPU reader/writer semaphore (kernel/locking/percpu-rwsem.c): readers
 * touch only their own cache line, so get_online_mems() costs about a
 * nanosecond and scales; a writer raises a flag and waits for the reader
 * counts to drain.
 *
 * The reader's fast path is inline, as Linux's percpu_down_read() is: a
 * thread with a private slot (see locks.c) that holds no read lock yet stores
 * 1 into its own counter, then checks the writer flag; unlocking stores 0.
 * The stored values are constants chosen by a predicted branch, not computed
 * from the old count, so a lock/unlock loop is no chain of store-to-load
 * forwards. Everything else (a thread's first call, the shared slot, a
 * nested reader, a writer present) is out of line, in locks.c.
 */
#ifndef MEMHP_KERNEL_LOCKS_H
#define MEMHP_KERNEL_LOCKS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#define PCPU_RWSEM_SLOTS 64
#define PCPU_RWSEM_SHARED_SLOT (PCPU_RWSEM_SLOTS - 1)

struct pcpu_rwsem_slot {
	_Atomic long count;
	char pad[64 - sizeof(long)];
};

struct percpu_rw_semaphore {
	struct pcpu_rwsem_slot slot[PCPU_RWSEM_SLOTS];
	_Atomic int writer;		/* a writer holds or wants the lock */
	pthread_mutex_t writer_mutex;	/* writers, and readers waiting out a writer */
	const char *name;
};

/*
 * This thread's slot: -1 until its first reader call, then a private slot
 * below PCPU_RWSEM_SHARED_SLOT, or the shared one. Initial-exec TLS: one
 * load off the thread pointer, not a __tls_get_addr() call per lock.
 */
extern _Thread_local int pcpu_rwsem_my_slot __attribute__((tls_model("initial-exec")));

void percpu_init_rwsem(struct percpu_rw_semaphore *sem, const char *name);
void percpu_free_rwsem(struct percpu_rw_semaphore *sem);
bool percpu_down_read_trylock(struct percpu_rw_semaphore *sem);
void percpu_down_write(struct percpu_rw_semaphore *sem);
void percpu_up_write(struct percpu_rw_semaphore *sem);
/* The out-of-line halves of the reader calls below. */
void __percpu_down_read_slow(struct percpu_rw_semaphore *sem);
void __percpu_up_read_slow(struct percpu_rw_semaphore *sem);

static inline void percpu_down_read(struct percpu_rw_semaphore *sem)
{
	int i = pcpu_rwsem_my_slot;
	if (__builtin_expect((unsigned)i < PCPU_RWSEM_SHARED_SLOT, 1)) {
		_Atomic long *c = &sem->slot[i].count;
		if (__builtin_expect(atomic_load_explicit(c, memory_order_relaxed) == 0, 1)) {
			atomic_store_explicit(c, 1, memory_order_relaxed);
			/* the writer's membarrier() orders this store before its sum */
			atomic_signal_fence(memory_order_seq_cst);
			if (__builtin_expect(!atomic_load_explicit(&sem->writer, memory_order_acquire), 1))
				return;
			atomic_store_explicit(c, 0, memory_order_release);
		}
	}
	__percpu_down_read_slow(sem);
}

static inline void percpu_up_read(struct percpu_rw_semaphore *sem)
{
	int i = pcpu_rwsem_my_slot;
	if (__builtin_expect((unsigned)i < PCPU_RWSEM_SHARED_SLOT, 1)) {
		_Atomic long *c = &sem->slot[i].count;
		if (__builtin_expect(atomic_load_explicit(c, memory_order_relaxed) == 1, 1)) {
			atomic_store_explicit(c, 0, memory_order_release);
			return;
		}
	}
	__percpu_up_read_slow(sem);
}

#endif
