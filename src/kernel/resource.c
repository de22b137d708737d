// SPDX-License-Identifier: MIT
/*
 * The iomem resource tree, after kernel/resource.c.
 *
 * Every level is a singly linked sibling list sorted by start address with
 * no overlaps; a child lies entirely inside its parent. /proc/iomem is a
 * depth-first walk of this tree, so the exact nesting Linux produces
 * (request vs. insert, adjustable release) is observable and reproduced here.
 *
 * Locking: callers serialise (memory hotplug holds mem_hotplug_lock for
 * write around every change; readers of /proc/iomem take it for read).
 */
#include <errno.h>
#include "../lib/alloc.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "resource.h"

/* The type bits a request inherits from its parent (IORESOURCE_TYPE_BITS). */
#define IORESOURCE_TYPE_BITS	0x00001f00UL

struct resource *resource_new(uint64_t start, uint64_t end, const char *name, unsigned long flags)
{
	struct resource *res = mh_calloc(1, sizeof(*res));

	if (!res)
		return NULL;
	res->start = start;
	res->end = end;
	res->flags = flags;
	if (name) {
		res->name = mh_strdup(name);
		if (!res->name) {
			free(res);
			return NULL;
		}
	}
	return res;
}

void resource_free(struct resource *res)
{
	if (res) {
		free(res->name);
		free(res);
	}
}

static void free_subtree(struct resource *res)
{
	while (res) {
		struct resource *next = res->sibling;

		free_subtree(res->child);
		free(res->name);
		free(res);
		res = next;
	}
}

void resource_free_tree(struct resource *root)
{
	free_subtree(root->child);
	root->child = NULL;
}

/*
 * Link @new into @root's child list if it fits in a gap. Returns NULL on
 * success, @root if @new does not fit inside @root at all, or the first
 * child that overlaps @new.
 */
static struct resource *__request_resource(struct resource *root, struct resource *new)
{
	struct resource **p = &root->child;

	if (new->end < new->start || new->start < root->start || new->end > root->end)
		return root;
	for (;;) {
		struct resource *tmp = *p;

		if (!tmp || tmp->start > new->end) {
			new->sibling = tmp;
			*p = new;
			new->parent = root;
			return NULL;
		}
		p = &tmp->sibling;
		if (tmp->end < new->start)
			continue;
		return tmp;
	}
}

struct resource *request_resource_conflict(struct resource *root, struct resource *res)
{
	return __request_resource(root, res);
}

struct resource *request_mem_region(struct resource *root, uint64_t start, uint64_t size,
				    const char *name, unsigned long flags)
{
	struct resource *parent = root;
	struct resource *res;

	if (!size || start + size - 1 < start)
		return NULL;
	res = resource_new(start, start + size - 1, name, 0);
	if (!res)
		return NULL;
	for (;;) {
		struct resource *conflict;

		/* Like Linux, the region takes its parent's type and is always busy. */
		res->flags = (parent->flags & IORESOURCE_TYPE_BITS) | IORESOURCE_BUSY | flags;
		conflict = __request_resource(parent, res);
		if (!conflict)
			return res;
		/*
		 * A non-busy resource (a bus window, "Reserved", a dax device)
		 * may host the region: retry one level down. If it does not
		 * contain the whole range, the retry returns the parent itself
		 * and the request fails as a straddle.
		 */
		if (conflict != parent && !(conflict->flags & IORESOURCE_BUSY)) {
			parent = conflict;
			continue;
		}
		free(res->name);
		free(res);
		return NULL;
	}
}

/* Unlink @old from its parent's child list; -EINVAL if it is not there. */
static int __release_resource(struct resource *old)
{
	struct resource **p;

	if (!old->parent)
		return -EINVAL;
	for (p = &old->parent->child; *p; p = &(*p)->sibling) {
		if (*p == old) {
			*p = old->sibling;
			old->sibling = NULL;
			old->parent = NULL;
			return 0;
		}
	}
	return -EINVAL;
}

int release_resource_free(struct resource *res)
{
	int ret = __release_resource(res);

	if (ret)
		return ret;
	/* Linux leaves orphaned children dangling; we own their memory. */
	free_subtree(res->child);
	free(res->name);
	free(res);
	return 0;
}

/*
 * Linux's __adjust_resource(): may @res become [start, end] without leaving
 * its parent, overlapping a sibling or cutting off a child?
 */
static int __adjust_resource(struct resource *res, uint64_t start, uint64_t end)
{
	struct resource *parent = res->parent, *tmp;

	if (end < start)
		return -EBUSY;
	if (parent && (start < parent->start || end > parent->end))
		return -EBUSY;
	if (parent) {
		for (tmp = parent->child; tmp; tmp = tmp->sibling) {
			if (tmp == res)
				continue;
			if (tmp->start <= end && tmp->end >= start)
				return -EBUSY;
		}
	}
	for (tmp = res->child; tmp; tmp = tmp->sibling) {
		if (tmp->start < start || tmp->end > end)
			return -EBUSY;
	}
	res->start = start;
	res->end = end;
	return 0;
}

void release_mem_region_adjustable(struct resource *root, uint64_t start, uint64_t size)
{
	struct resource **p = &root->child;
	struct resource *res;
	uint64_t end = start + size - 1;

	if (start < root->start || end > root->end || !size)
		return;

	while ((res = *p)) {
		if (res->start >= end)
			break;
		/* not the one containing the range: try the next sibling */
		if (res->start > start || res->end < end) {
			p = &res->sibling;
			continue;
		}
		/*
		 * Only memory added by memory hotplug carries SYSRAM; anything
		 * else (HMM, devm) releases its regions itself, so back off.
		 */
		if (!(res->flags & IORESOURCE_SYSRAM) || !(res->flags & IORESOURCE_MEM))
			break;
		if (!(res->flags & IORESOURCE_BUSY)) {
			p = &res->child;
			continue;
		}

		if (res->start == start && res->end == end) {
			*p = res->sibling;
			res->sibling = NULL;
			free_subtree(res);
		} else if (res->start == start) {
			__adjust_resource(res, end + 1, res->end);
		} else if (res->end == end) {
			__adjust_resource(res, res->start, start - 1);
		} else {
			/* split: the upper part becomes a new sibling right after res */
			struct resource *new_res = resource_new(end + 1, res->end, res->name, res->flags);

			if (!new_res)
				break;
			/* children are assumed to stay in the lower part, as in Linux */
			if (__adjust_resource(res, res->start, start - 1)) {
				free_subtree(new_res);
				break;
			}
			new_res->parent = res->parent;
			new_res->sibling = res->sibling;
			res->sibling = new_res;
		}
		break;
	}
}

static uint64_t ram_bytes(const struct resource *res, uint64_t start, uint64_t end)
{
	uint64_t sum = 0;

	for (; res; res = res->sibling) {
		uint64_t lo, hi;

		if (res->end < start || res->start > end)
			continue;
		if ((res->flags & IORESOURCE_BUSY) &&
		    (res->flags & IORESOURCE_SYSTEM_RAM) == IORESOURCE_SYSTEM_RAM) {
			/* counted whole: nested RAM below it must not count twice */
			lo = res->start > start ? res->start : start;
			hi = res->end < end ? res->end : end;
			sum += hi - lo + 1;
			continue;
		}
		sum += ram_bytes(res->child, start, end);
	}
	return sum;
}

uint64_t system_ram_bytes_in(struct resource *root, uint64_t start, uint64_t end)
{
	if (end < start)
		return 0;
	return ram_bytes(root->child, start, end);
}

struct resource *insert_resource_nested(struct resource *root, struct resource *res)
{
	struct resource *parent = root, *first, *next;

	/* descend while an existing resource contains the new one */
	for (;; parent = first) {
		first = __request_resource(parent, res);
		if (!first || first == parent || first == res)
			return first;
		if (first->start > res->start || first->end < res->end)
			break;
		/*
		 * Equal ranges: memhp's boot code inserts outer resources first,
		 * so the later one goes inside; Linux would put it on top.
		 */
	}

	/* res straddles or covers siblings: it must cover each one entirely */
	for (next = first;; next = next->sibling) {
		if (next->start < res->start || next->end > res->end)
			return next;
		if (!next->sibling || next->sibling->start > res->end)
			break;
	}

	res->parent = parent;
	res->sibling = next->sibling;
	res->child = first;
	next->sibling = NULL;
	for (next = first; next; next = next->sibling)
		next->parent = res;

	if (parent->child == first) {
		parent->child = res;
	} else {
		next = parent->child;
		while (next->sibling != first)
			next = next->sibling;
		next->sibling = res;
	}
	return NULL;
}

static bool system_ram_resources_mergeable(const struct resource *r1, const struct resource *r2)
{
	return r1->flags == r2->flags && r1->end + 1 == r2->start && !strcmp(r1->name, r2->name) &&
	       !r1->child && !r2->child;
}

void merge_system_ram_resource(struct resource *res)
{
	const unsigned long flags = IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY;
	struct resource *cur, *prev = NULL;

	if ((res->flags & flags) != flags || !res->parent)
		return;
	/* the next sibling */
	cur = res->sibling;
	if (cur && system_ram_resources_mergeable(res, cur)) {
		res->end = cur->end;
		res->sibling = cur->sibling;
		cur->sibling = NULL;
		cur->parent = NULL;
		free(cur->name);
		free(cur);
	}
	/* the previous sibling absorbs res */
	for (cur = res->parent->child; cur && cur != res; cur = cur->sibling)
		prev = cur;
	if (prev && system_ram_resources_mergeable(prev, res)) {
		prev->end = res->end;
		prev->sibling = res->sibling;
		res->sibling = NULL;
		res->parent = NULL;
		free(res->name);
		free(res);
	}
}
