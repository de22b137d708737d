// SPDX-License-Identifier: MIT
/*
 * Locks: the per-CPU rwsem behind mem_hotplug_lock excludes writers from
 * readers under real threads (run under ThreadSanitizer in CI), and the
 * lock-order checker fires on the device_lock / mem_hotplug_lock inversion
 * only when device_hotplug_lock does not cover it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kernel/kernel.h"
#include "kernel/lockdep.h"
#include "kernel/locks.h"
#include "mm/memory_hotplug.h"
#include "acpi/acpi.h"

#include "check.h"

/* ---- percpu rwsem under threads ---- */

static struct percpu_rw_semaphore sem;
static long shared_a, shared_b;	/* written only under the write lock, always equal */
static _Atomic long torn;
static _Atomic int stop;

static void *reader(void *arg)
{
	long n = 0;
	while (!atomic_load(&stop) || n < 1000) {
		percpu_down_read(&sem);
		if (shared_a != shared_b)
			atomic_fetch_add(&torn, 1);
		percpu_up_read(&sem);
		n++;
	}
	return NULL;
}

static void *writer(void *arg)
{
	for (int i = 0; i < 2000; i++) {
		percpu_down_write(&sem);
		shared_a++;
		shared_b++;
		percpu_up_write(&sem);
	}
	return NULL;
}

static void test_percpu_rwsem(void)
{
	pthread_t r[3], w[2];
	percpu_init_rwsem(&sem, "test");
	for (int i = 0; i < 3; i++)
		pthread_create(&r[i], NULL, reader, NULL);
	for (int i = 0; i < 2; i++)
		pthread_create(&w[i], NULL, writer, NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(w[i], NULL);
	atomic_store(&stop, 1);
	for (int i = 0; i < 3; i++)
		pthread_join(r[i], NULL);
	check(shared_a == 4000 && shared_b == 4000, "rwsem: writers exclude each other");
	check(atomic_load(&torn) == 0, "rwsem: readers never see a half-done write");
	check(percpu_down_read_trylock(&sem), "rwsem: trylock succeeds with no writer");
	percpu_up_read(&sem);
	/* a nested reader leaves the inline path (it stores only 0 and 1) for the general one */
	percpu_down_read(&sem);
	percpu_down_read(&sem);
	percpu_down_read(&sem);
	percpu_up_read(&sem);
	percpu_up_read(&sem);
	long held = 0;
	for (int i = 0; i < PCPU_RWSEM_SLOTS; i++)
		held += atomic_load(&sem.slot[i].count);
	check(held == 1, "rwsem: a reader nested three deep is still counted once after two unlocks");
	percpu_up_read(&sem);
	percpu_down_write(&sem);	/* returns only once every count is back to 0 */
	held = 0;
	for (int i = 0; i < PCPU_RWSEM_SLOTS; i++)
		held += atomic_load(&sem.slot[i].count);
	percpu_up_write(&sem);
	check(held == 0, "rwsem: a writer gets the lock with no reader counted after nested readers leave");
	percpu_free_rwsem(&sem);
	/* readers on different threads use different cache lines */
	check(sizeof(struct pcpu_rwsem_slot) == 64, "rwsem: one cache line per reader slot");
}

/* ---- lock-order checker ---- */

static char *ram;
static void *host_ptr(void *o, uint64_t pa, uint64_t len) { return pa + len <= (8ULL << 30) ? ram + pa : NULL; }

static struct kernel *boot(void)
{
	struct boot_params bp;
	memset(&bp, 0, sizeof(bp));
	struct e820_entry e[] = {
		{ 0, 0x9fc00, E820_TYPE_RAM }, { 0x100000, 0x3ffe0000 - 0x100000, E820_TYPE_RAM },
	};
	memcpy(bp.e820, e, sizeof(e));
	bp.nr_e820 = 2;
	bp.nr_cpus = 1;
	bp.host_ptr = host_ptr;
	char err[64];
	return kernel_boot(&bp, err, sizeof(err));
}

static void test_lockdep(void)
{
	ram = mmap(NULL, 8ULL << 30, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	struct kernel *k = boot();
	lockdep_set_enabled(true);
	lockdep_reset();

	/* the kernel's own paths: both orders, each under device_hotplug_lock */
	acpi_memory_device_add(k, 0, 1ULL << 32, 512ULL << 20, 0);
	state_store(k, find_memory_block_by_id(k, 32), "online_movable\n");
	check(lockdep_nr_reports() == 0,
	      "lockdep: add (mem_hotplug_lock -> device_lock) and sysfs online "
	      "(device_lock -> mem_hotplug_lock) are safe under device_hotplug_lock");

	/* a driver onlining a block without device_hotplug_lock closes the cycle */
	device_online(k, find_memory_block_by_id(k, 33));
	check(lockdep_nr_reports() == 1, "lockdep: device_online() without device_hotplug_lock is reported");
	check(strstr(lockdep_last_report(), "device_lock --> mem_hotplug_lock") != NULL,
	      "lockdep: the report names device_lock --> mem_hotplug_lock");

	lockdep_reset();
	/* taking them the wrong way round by hand, unprotected */
	struct memory_block *mem = find_memory_block_by_id(k, 32);
	state_store(k, mem, "offline\n");		/* learns device_lock -> mem_hotplug_lock */
	mem_hotplug_begin(k);
	/* memory34 is offline: device_offline() only takes its lock, mem_hotplug_lock -> device_lock */
	device_offline(k, find_memory_block_by_id(k, 34));
	mem_hotplug_done(k);
	check(lockdep_nr_reports() >= 1, "lockdep: mem_hotplug_lock -> device_lock after the reverse is reported");
	lockdep_set_enabled(false);
	kernel_destroy(k);
	munmap(ram, 8ULL << 30);
}

int main(void)
{
	test_percpu_rwsem();
	test_lockdep();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
