/* SPDX-License-Identifier: MIT */
/* What the parts of src/user share about one struct memhp. */
#ifndef MEMHP_USER_MEMHP_INTERNAL_H
#define MEMHP_USER_MEMHP_INTERNAL_H

#include "memhp/memhp.h"

struct machine;
struct kernel;
struct memhog;

struct memhp {
	struct machine *machine;
	struct memhog *memhogs;		/* the guest's running memhog processes (memhog.c) */
};

struct kernel *memhp_kernel(struct memhp *m);

/* memhog.c: end every memhog of m (memhp_free). */
void memhog_free_all(struct memhp *m);
/* memhog.c, for tests: the pfn behind page index of memhog name, or -1UL. */
unsigned long memhog_pfn(struct memhp *m, const char *name, size_t index);

#endif
