/* SPDX-License-Identifier: MIT */
/* Notifier chains (kernel/notifier.c): priority-ordered callbacks, NOTIFY_* results. */
#ifndef MEMHP_KERNEL_NOTIFIER_H
#define MEMHP_KERNEL_NOTIFIER_H

#include <pthread.h>

#define NOTIFY_DONE		0x0000
#define NOTIFY_OK		0x0001
#define NOTIFY_STOP_MASK	0x8000
#define NOTIFY_BAD		(NOTIFY_STOP_MASK | 0x0002)
#define NOTIFY_STOP		(NOTIFY_OK | NOTIFY_STOP_MASK)

struct notifier_block;
typedef int (*notifier_fn_t)(struct notifier_block *nb, unsigned long action, void *data);

struct notifier_block {
	notifier_fn_t notifier_call;
	struct notifier_block *next;
	int priority;
};

struct blocking_notifier_head {
	pthread_rwlock_t rwsem;
	struct notifier_block *head;
};

void blocking_notifier_init(struct blocking_notifier_head *nh);
void blocking_notifier_destroy(struct blocking_notifier_head *nh);
/* -EEXIST if nb is registered already. */
int blocking_notifier_chain_register(struct blocking_notifier_head *nh, struct notifier_block *nb);
int blocking_notifier_chain_unregister(struct blocking_notifier_head *nh, struct notifier_block *nb);
int blocking_notifier_call_chain(struct blocking_notifier_head *nh, unsigned long val, void *v);

static inline int notifier_from_errno(int err)
{
	return err ? (NOTIFY_STOP_MASK | (NOTIFY_OK - err)) : NOTIFY_OK;
}

static inline int notifier_to_errno(int ret)
{
	ret &= ~NOTIFY_STOP_MASK;
	return ret > NOTIFY_OK ? NOTIFY_OK - ret : 0;
}

#endif
