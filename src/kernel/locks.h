/* SPDX-License-Identifier: MIT */
/*
 * A per-CPU reader/writer semaphore (kernel/locking/percpu-rwsem.c): readers
 * touch only their own cache line, so get_online_mems() costs a few ns and
 * scales; a writer raises a flag and waits for the reader counts to drain.
 */
#ifndef MEMHP_KERNEL_LOCKS_H
#define MEMHP_KERNEL_LOCKS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#define PCPU_RWSEM_SLOTS 64

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

void percpu_init_rwsem(struct percpu_rw_semaphore *sem, const char *name);
void percpu_free_rwsem(struct percpu_rw_semaphore *sem);
void percpu_down_read(struct percpu_rw_semaphore *sem);
void percpu_up_read(struct percpu_rw_semaphore *sem);
bool percpu_down_read_trylock(struct percpu_rw_semaphore *sem);
void percpu_down_write(struct percpu_rw_semaphore *sem);
void percpu_up_write(struct percpu_rw_semaphore *sem);

#endif
