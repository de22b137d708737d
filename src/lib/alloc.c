// SPDX-License-Identifier: MIT
#include "alloc.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_ulong fail_at;	/* 0: off; else the count at which to fail */
static atomic_ulong counter;
static atomic_int failed;
static atomic_int held;

void alloc_fail_nth(unsigned long n)
{
	atomic_store(&counter, 0);
	atomic_store(&failed, 0);
	atomic_store(&fail_at, n);
}

void alloc_fail_hold(int on) { atomic_store(&held, on); }

unsigned long alloc_count(void) { return atomic_load(&counter); }
int alloc_failed(void) { return atomic_load(&failed); }

static int should_fail(void)
{
	if (atomic_load(&held))
		return 0;
	unsigned long c = atomic_fetch_add(&counter, 1) + 1;
	unsigned long at = atomic_load(&fail_at);
	if (at && c == at) {
		atomic_store(&failed, 1);
		return 1;
	}
	return 0;
}

void *mh_malloc(size_t size)
{
	if (should_fail())
		return NULL;
	return malloc(size ? size : 1);
}

void *mh_calloc(size_t n, size_t size)
{
	if (should_fail())
		return NULL;
	return calloc(n ? n : 1, size ? size : 1);
}

void *mh_realloc(void *p, size_t size)
{
	if (should_fail())
		return NULL;
	return realloc(p, size ? size : 1);
}

char *mh_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = mh_malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

char *mh_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *d = mh_malloc(len + 1);
	if (d) {
		memcpy(d, s, len);
		d[len] = 0;
	}
	return d;
}

void out_of_memory(const char *what, size_t size)
{
	fprintf(stderr, "memhp: out of memory (%s, %zu bytes)\n", what, size);
	fflush(stderr);
	abort();
}

void *xmalloc_what(size_t size, const char *what)
{
	void *p = mh_malloc(size);
	if (!p)
		out_of_memory(what, size);
	return p;
}

void *xcalloc_what(size_t n, size_t size, const char *what)
{
	void *p = mh_calloc(n, size);
	if (!p)
		out_of_memory(what, n * size);
	return p;
}

void *xrealloc_what(void *p, size_t size, const char *what)
{
	void *q = mh_realloc(p, size);
	if (!q)
		out_of_memory(what, size);
	return q;
}

char *xstrdup_what(const char *s, const char *what)
{
	char *d = mh_strdup(s);
	if (!d)
		out_of_memory(what, strlen(s) + 1);
	return d;
}

char *xstrndup_what(const char *s, size_t n, const char *what)
{
	char *d = mh_strndup(s, n);
	if (!d)
		out_of_memory(what, n + 1);
	return d;
}
