// SPDX-License-Identifier: MIT
#include "locks.h"

#include <sched.h>
#include <stdint.h>

/* Each thread keeps to one slot, chosen once; threads stand in for CPUs. */
static _Thread_local int my_slot = -1;
static _Atomic unsigned next_slot;

static inline int this_slot(void)
{
	if (__builtin_expect(my_slot < 0, 0))
		my_slot = (int)(atomic_fetch_add(&next_slot, 1) % PCPU_RWSEM_SLOTS);
	return my_slot;
}

void percpu_init_rwsem(struct percpu_rw_semaphore *sem, const char *name)
{
	for (int i = 0; i < PCPU_RWSEM_SLOTS; i++)
		atomic_init(&sem->slot[i].count, 0);
	atomic_init(&sem->writer, 0);
	pthread_mutex_init(&sem->writer_mutex, NULL);
	sem->name = name;
}

void percpu_free_rwsem(struct percpu_rw_semaphore *sem)
{
	pthread_mutex_destroy(&sem->writer_mutex);
}

bool percpu_down_read_trylock(struct percpu_rw_semaphore *sem)
{
	struct pcpu_rwsem_slot *s = &sem->slot[this_slot()];
	/* seq_cst pairs with the writer's store+scan: one of us sees the other */
	atomic_fetch_add(&s->count, 1);
	if (__builtin_expect(!atomic_load(&sem->writer), 1))
		return true;
	atomic_fetch_sub(&s->count, 1);
	return false;
}

void percpu_down_read(struct percpu_rw_semaphore *sem)
{
	while (!percpu_down_read_trylock(sem)) {
		/* wait for the writer to finish, then try again */
		pthread_mutex_lock(&sem->writer_mutex);
		pthread_mutex_unlock(&sem->writer_mutex);
	}
}

void percpu_up_read(struct percpu_rw_semaphore *sem)
{
	atomic_fetch_sub_explicit(&sem->slot[this_slot()].count, 1, memory_order_release);
}

void percpu_down_write(struct percpu_rw_semaphore *sem)
{
	pthread_mutex_lock(&sem->writer_mutex);
	atomic_store(&sem->writer, 1);
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
