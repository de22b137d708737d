// SPDX-License-Identifier: MIT
/*
 * /proc/iomem (kernel/resource.c, r_show): the iomem resource tree in
 * depth-first order, two spaces of indent per level, addresses in
 * lower-case hex padded to 8 digits (4 if the whole space ended below 64K).
 */
#include "fs_internal.h"

#include "../kernel/kernel.h"

#define MAX_IORES_LEVEL	5	/* r_show() stops counting indentation here */

/* Linux's next_resource(): child first, then sibling, then the parents' siblings. */
static struct resource *next_resource(struct resource *root, struct resource *p)
{
	if (p->child)
		return p->child;
	while (!p->sibling && p->parent && p->parent != root)
		p = p->parent;
	return p->parent == NULL ? NULL : p->sibling;
}

void proc_iomem_show(struct kernel *k, struct sbuf *out)
{
	struct resource *root = &k->iomem_resource;
	int width = root->end < 0x10000 ? 4 : 8;

	for (struct resource *r = root->child; r; r = next_resource(root, r)) {
		int depth = 0;
		for (struct resource *p = r; depth < MAX_IORES_LEVEL; depth++, p = p->parent)
			if (!p->parent || p->parent == root)
				break;
		sb_printf(out, "%*s%0*llx-%0*llx : %s\n", depth * 2, "",
			  width, (unsigned long long)r->start,
			  width, (unsigned long long)r->end,
			  r->name ? r->name : "<BAD>");
	}
	sb_add(out, "", 0);
}
