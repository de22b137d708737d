// SPDX-License-Identifier: MIT
#include "lockdep.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#ifdef MEMHP_DEBUG
bool lockdep_enabled = true;
#else
bool lockdep_enabled;
#endif

static const char *const class_names[NR_LOCK_CLASSES] = {
	"device_hotplug_lock", "device_lock", "cpu_hotplug_lock", "mem_hotplug_lock",
};

/* What this thread holds, innermost last. */
static _Thread_local enum lock_class held[16];
static _Thread_local int nr_held;

/*
 * order[a][b]: b was taken while a was held. Bit 0: seen with
 * device_hotplug_lock held; bit 1: seen without it.
 */
static _Atomic unsigned order[NR_LOCK_CLASSES][NR_LOCK_CLASSES];
static _Atomic unsigned long nr_reports;
static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;
static char last_report[512];

static bool holding(enum lock_class c)
{
	for (int i = 0; i < nr_held; i++)
		if (held[i] == c)
			return true;
	return false;
}

static void report(enum lock_class a, enum lock_class b)
{
	pthread_mutex_lock(&report_lock);
	snprintf(last_report, sizeof(last_report),
		 "WARNING: possible circular locking dependency detected: "
		 "%s --> %s here, %s --> %s seen before, not both under %s",
		 class_names[a], class_names[b], class_names[b], class_names[a],
		 class_names[LOCK_DEVICE_HOTPLUG]);
	fprintf(stderr, "memhp lockdep: %s\n", last_report);
	pthread_mutex_unlock(&report_lock);
	atomic_fetch_add(&nr_reports, 1);
}

void lockdep_acquire_slow(enum lock_class c)
{
	bool protected = holding(LOCK_DEVICE_HOTPLUG);
	unsigned bit = protected ? 1u : 2u;
	bool reported = false;
	for (int i = 0; i < nr_held; i++) {
		enum lock_class a = held[i];
		if (a == c)
			continue;
		atomic_fetch_or(&order[a][c], bit);
		unsigned reverse = atomic_load(&order[c][a]);
		/* a cycle is harmless only if every path through it held device_hotplug_lock */
		if (reverse && (!protected || (reverse & 2u)) && !reported) {
			report(a, c);
			reported = true;	/* one report per acquisition */
		}
	}
	if (nr_held < (int)(sizeof(held) / sizeof(held[0])))
		held[nr_held++] = c;
}

void lockdep_release_slow(enum lock_class c)
{
	for (int i = nr_held - 1; i >= 0; i--) {
		if (held[i] == c) {
			memmove(&held[i], &held[i + 1], sizeof(held[0]) * (size_t)(nr_held - i - 1));
			nr_held--;
			return;
		}
	}
}

void lockdep_set_enabled(bool on) { lockdep_enabled = on; }
unsigned long lockdep_nr_reports(void) { return atomic_load(&nr_reports); }
const char *lockdep_last_report(void) { return last_report; }

void lockdep_reset(void)
{
	for (int a = 0; a < NR_LOCK_CLASSES; a++)
		for (int b = 0; b < NR_LOCK_CLASSES; b++)
			atomic_store(&order[a][b], 0);
	atomic_store(&nr_reports, 0);
	last_report[0] = 0;
}
