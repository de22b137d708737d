// SPDX-License-Identifier: MIT
/*
 * The names Linux 6.1 can trace: data/available_filter_functions, the real
 * guest kernel's /sys/kernel/tracing/available_filter_functions (recorded
 * with the oracle, sorted, duplicates of static functions merged), built
 * into the program. ftrace_match_records() accepts only these; an inlined or
 * notrace function, or one that does not exist, is not among them.
 */
#include "ftrace.h"
#include "../lib/alloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

__asm__(".section .rodata\n"
	".balign 8\n"
	"ftrace_names_blob:\n"
	".incbin \"data/available_filter_functions\"\n"
	".byte 0\n"
	".previous\n");
extern const char ftrace_names_blob[];

static const char **names;
static size_t nr_names;
static pthread_once_t names_once = PTHREAD_ONCE_INIT;

static void index_names(void)
{
	size_t n = 0;
	for (const char *p = ftrace_names_blob; *p; p++)
		n += *p == '\n';
	names = mh_malloc((n + 1) * sizeof(*names));
	if (!names)
		out_of_memory(ALLOC_WHERE, 0);
	for (const char *p = ftrace_names_blob; *p;) {
		const char *nl = strchr(p, '\n');
		names[nr_names++] = p;
		if (!nl)
			break;
		p = nl + 1;
	}
}

static size_t name_len(const char *s)
{
	const char *nl = strchr(s, '\n');
	return nl ? (size_t)(nl - s) : strlen(s);
}

/* strcmp() of a NUL-terminated key against a newline-terminated name */
static int cmp_name(const char *key, const char *name)
{
	size_t n = name_len(name), kl = strlen(key);
	int c = memcmp(key, name, kl < n ? kl : n);
	if (c)
		return c;
	return kl < n ? -1 : kl > n;
}

bool ftrace_name_traceable(const char *name)
{
	pthread_once(&names_once, index_names);
	size_t lo = 0, hi = nr_names;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_name(name, names[mid]);
		if (!c)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

void ftrace_names_show(struct sbuf *out)
{
	sb_puts(out, ftrace_names_blob);
}

/* A glob with '*' only (ftrace's filter_parse_regex: MATCH_FRONT_ONLY, _MIDDLE_, _END_, full) */
static bool glob_match(const char *g, const char *s, size_t n)
{
	if (!*g)
		return n == 0;
	if (*g == '*') {
		for (size_t i = 0; i <= n; i++)
			if (glob_match(g + 1, s + i, n - i))
				return true;
		return false;
	}
	return n && *g == *s && glob_match(g + 1, s + 1, n - 1);
}

size_t ftrace_names_match(const char *glob, void (*fn)(void *arg, const char *name), void *arg)
{
	pthread_once(&names_once, index_names);
	if (!strchr(glob, '*')) {
		if (!ftrace_name_traceable(glob))
			return 0;
		fn(arg, glob);
		return 1;
	}
	size_t count = 0;
	char buf[256];
	for (size_t i = 0; i < nr_names; i++) {
		size_t n = name_len(names[i]);
		if (n >= sizeof(buf) || !glob_match(glob, names[i], n))
			continue;
		memcpy(buf, names[i], n);
		buf[n] = 0;
		fn(arg, buf);
		count++;
	}
	return count;
}
