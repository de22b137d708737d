// SPDX-License-Identifier: MIT
/*
 * memory-notifier-error-inject, after lib/memory-notifier-error-inject.c
 * and lib/notifier-error-inject.c.
 *
 * A memory notifier that vetoes MEM_GOING_ONLINE / MEM_GOING_OFFLINE with
 * the errno last written to its debugfs file. The values are read by the
 * callback (under mem_hotplug_lock) while a shell may write them, so they
 * are accessed atomically.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "kernel.h"
#include "notifier_inject.h"
#include "params.h"

#define MAX_ERRNO	4095

const char *const memory_notifier_inject_actions[] = {
	"MEM_GOING_OFFLINE",
	"MEM_GOING_ONLINE",
	NULL,
};

/* The error slot for an action name, or NULL. */
static int *action_slot(struct kernel *k, const char *action)
{
	if (!strcmp(action, "MEM_GOING_ONLINE"))
		return &k->inject_going_online;
	if (!strcmp(action, "MEM_GOING_OFFLINE"))
		return &k->inject_going_offline;
	return NULL;
}

static int inject_callback(struct notifier_block *nb, unsigned long action, void *data)
{
	struct kernel *k = (struct kernel *)((char *)nb - offsetof(struct kernel, inject_nb));
	const char *name;
	int err;

	switch (action) {
	case MEM_GOING_ONLINE:
		name = "MEM_GOING_ONLINE";
		err = __atomic_load_n(&k->inject_going_online, __ATOMIC_RELAXED);
		break;
	case MEM_GOING_OFFLINE:
		name = "MEM_GOING_OFFLINE";
		err = __atomic_load_n(&k->inject_going_offline, __ATOMIC_RELAXED);
		break;
	default:
		/* Linux answers every other event with notifier_from_errno(0) too */
		return NOTIFY_OK;
	}
	if (err)
		klog(k, "Injecting error (%d) to %s", err, name);
	return notifier_from_errno(err);
}

int memory_notifier_inject_load(struct kernel *k, int priority)
{
	int ret;

	if (k->notifier_inject_loaded)
		return 0;
	/* a fresh module instance starts with no error armed */
	__atomic_store_n(&k->inject_going_online, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&k->inject_going_offline, 0, __ATOMIC_RELAXED);
	memset(&k->inject_nb, 0, sizeof(k->inject_nb));
	k->inject_nb.notifier_call = inject_callback;
	k->inject_nb.priority = priority;
	ret = blocking_notifier_chain_register(&k->memory_chain, &k->inject_nb);
	if (ret)
		return ret;
	k->notifier_inject_loaded = true;
	return 0;
}

int memory_notifier_inject_unload(struct kernel *k)
{
	if (!k->notifier_inject_loaded)
		return -ENOENT;
	blocking_notifier_chain_unregister(&k->memory_chain, &k->inject_nb);
	k->notifier_inject_loaded = false;
	return 0;
}

int memory_notifier_inject_show(struct kernel *k, const char *action, struct sbuf *out)
{
	int *slot = k->notifier_inject_loaded ? action_slot(k, action) : NULL;

	if (!slot)
		return -ENOENT;
	sb_printf(out, "%d\n", __atomic_load_n(slot, __ATOMIC_RELAXED));
	return 0;
}

int memory_notifier_inject_store(struct kernel *k, const char *action, const char *buf)
{
	int *slot = k->notifier_inject_loaded ? action_slot(k, action) : NULL;
	char tmp[24];
	long long val;
	int ret, err;

	if (!slot)
		return -ENOENT;
	/* simple_attr_write() reads at most sizeof(set_buf) - 1 bytes */
	strncpy(tmp, buf, sizeof(tmp) - 1);
	tmp[sizeof(tmp) - 1] = '\0';
	ret = kstrtoll(tmp, 0, &val);
	if (ret)
		return ret;
	/*
	 * debugfs_errno_set() takes a u64 and clamps it as an int: the value
	 * is truncated to 32 bits first, then forced into [-MAX_ERRNO, 0].
	 */
	err = (int)(unsigned int)(unsigned long long)val;
	if (err < -MAX_ERRNO)
		err = -MAX_ERRNO;
	if (err > 0)
		err = 0;
	__atomic_store_n(slot, err, __ATOMIC_RELAXED);
	return 0;
}

bool memory_notifier_inject_is_module(const char *name)
{
	const char *want = "memory_notifier_error_inject";
	for (; *name && *want; name++, want++)
		if (*name != *want && !(*name == '-' && *want == '_'))
			return false;
	return !*name && !*want;
}
