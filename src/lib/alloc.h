/* SPDX-License-Identifier: MIT */
/*
 * Every host allocation of libmemhp goes through here, so that a test can
 * fail the Nth one (alloc_fail_nth()) and a scenario can fail guest-kernel
 * allocations through debugfs fault injection (src/kernel/fault_inject.c).
 *
 * Two kinds of call, by layer (docs/DESIGN.md, "Allocation failure"):
 *   mh_*()  may return NULL: the caller returns -ENOMEM and rolls back, as
 *           the Linux function it models does (guest kernel, sysfs/procfs,
 *           machine model where QEMU reports an error);
 *   x*()    never return NULL: on failure they print "memhp: out of memory
 *           (WHAT, N bytes)" to stderr and abort(), as QEMU's g_malloc()
 *           and the guest's user space (the shell) would die.
 */
#ifndef MEMHP_LIB_ALLOC_H
#define MEMHP_LIB_ALLOC_H

#include <stddef.h>

void *mh_malloc(size_t size);
void *mh_calloc(size_t n, size_t size);
void *mh_realloc(void *p, size_t size);
char *mh_strdup(const char *s);
char *mh_strndup(const char *s, size_t n);

/* Abort-on-failure variants; `what` names the allocation in the message. */
__attribute__((noreturn)) void out_of_memory(const char *what, size_t size);
void *xmalloc_what(size_t size, const char *what);
void *xcalloc_what(size_t n, size_t size, const char *what);
void *xrealloc_what(void *p, size_t size, const char *what);
char *xstrdup_what(const char *s, const char *what);
char *xstrndup_what(const char *s, size_t n, const char *what);
#define ALLOC_WHERE__(f, l) f ":" #l
#define ALLOC_WHERE_(f, l) ALLOC_WHERE__(f, l)
#define ALLOC_WHERE ALLOC_WHERE_(__FILE__, __LINE__)
#define xmalloc(n) xmalloc_what((n), ALLOC_WHERE)
#define xcalloc(n, s) xcalloc_what((n), (s), ALLOC_WHERE)
#define xrealloc(p, n) xrealloc_what((p), (n), ALLOC_WHERE)
#define xstrdup(s) xstrdup_what((s), ALLOC_WHERE)
#define xstrndup(s, n) xstrndup_what((s), (n), ALLOC_WHERE)

/*
 * Test hook (the library's own, not LD_PRELOAD): from now on, the nth
 * allocation (1 = the next one) fails; 0 disarms. alloc_count() is the
 * number of allocations since the last alloc_fail_nth() call, and
 * alloc_failed() says whether the armed failure has happened. Process-wide.
 */
void alloc_fail_nth(unsigned long n);
/* While held (on != 0), allocations are neither counted nor failed: a test's own reads. */
void alloc_fail_hold(int on);
unsigned long alloc_count(void);
int alloc_failed(void);


#endif
