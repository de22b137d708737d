/* SPDX-License-Identifier: MIT */
/* The unit tests' one assertion: an "ok -"/"not ok -" line each, counted for the final "N passed, N failed". */
#ifndef MEMHP_TESTS_CHECK_H
#define MEMHP_TESTS_CHECK_H

#include <stdio.h>

static int passed, failed;

static inline void check(int cond, const char *name)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", name);
	if (cond)
		passed++;
	else
		failed++;
}

#endif
