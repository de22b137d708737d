// SPDX-License-Identifier: MIT
/*
 * Blocking notifier chains, after kernel/notifier.c.
 *
 * The chain is a singly linked list sorted by priority, highest first;
 * among equal priorities registration order is kept, because callers (and
 * the kselftest's error injection with -p) rely on who runs first.
 * Callbacks run under the read side of the chain's rwlock, so they may not
 * (un)register on the same chain, exactly as in Linux.
 */
#include <errno.h>

#include "notifier.h"

void blocking_notifier_init(struct blocking_notifier_head *nh)
{
	pthread_rwlock_init(&nh->rwsem, NULL);
	nh->head = NULL;
}

void blocking_notifier_destroy(struct blocking_notifier_head *nh)
{
	nh->head = NULL;
	pthread_rwlock_destroy(&nh->rwsem);
}

static int notifier_chain_register(struct notifier_block **nl, struct notifier_block *n)
{
	struct notifier_block **pos = NULL;

	for (; *nl; nl = &(*nl)->next) {
		/* Linux WARNs here: a double registration would corrupt the list */
		if (*nl == n)
			return -EEXIST;
		if (!pos && n->priority > (*nl)->priority)
			pos = nl;
	}
	if (!pos)
		pos = nl;
	n->next = *pos;
	*pos = n;
	return 0;
}

static int notifier_chain_unregister(struct notifier_block **nl, struct notifier_block *n)
{
	for (; *nl; nl = &(*nl)->next) {
		if (*nl == n) {
			*nl = n->next;
			n->next = NULL;
			return 0;
		}
	}
	return -ENOENT;
}

int blocking_notifier_chain_register(struct blocking_notifier_head *nh, struct notifier_block *nb)
{
	int ret;

	pthread_rwlock_wrlock(&nh->rwsem);
	ret = notifier_chain_register(&nh->head, nb);
	pthread_rwlock_unlock(&nh->rwsem);
	return ret;
}

int blocking_notifier_chain_unregister(struct blocking_notifier_head *nh, struct notifier_block *nb)
{
	int ret;

	pthread_rwlock_wrlock(&nh->rwsem);
	ret = notifier_chain_unregister(&nh->head, nb);
	pthread_rwlock_unlock(&nh->rwsem);
	return ret;
}

int blocking_notifier_call_chain(struct blocking_notifier_head *nh, unsigned long val, void *v)
{
	struct notifier_block *nb, *next;
	int ret = NOTIFY_DONE;

	pthread_rwlock_rdlock(&nh->rwsem);
	for (nb = nh->head; nb; nb = next) {
		/* read next first: Linux does, so a callback may clear its own link */
		next = nb->next;
		ret = nb->notifier_call(nb, val, v);
		if (ret & NOTIFY_STOP_MASK)
			break;
	}
	pthread_rwlock_unlock(&nh->rwsem);
	return ret;
}
