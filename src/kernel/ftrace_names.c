// SPDX-License-Identifier: MIT
/*
 * The names Linux 6.1 can trace: data/available_filter_functions, the real
 * guest kernel's /sys/kernel/tracing/available_filter_functions (recorded
 * with the oracle, sorted, duplicates of static functions merged), built
 * into the program. ftrace_match_records() accepts only these; an inlined or
 * notrace function, or one that does not exist, is not among them. A
 * module's function is listed as Linux lists it, `name [module]` (the
 * virtio-mem driver's, which memhp's guest always has loaded); a filter
 * names it without the module, and the traced name keeps it.
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

/* a line's length: the name and its ` [module]` */
static size_t line_len(const char *s)
{
	const char *nl = strchr(s, '\n');
	return nl ? (size_t)(nl - s) : strlen(s);
}

/* the function's name alone (the lines sort alike by it: ' ' is below every name's byte) */
static size_t name_len(const char *s)
{
	size_t n = 0;
	while (s[n] && s[n] != '\n' && s[n] != ' ')
		n++;
	return n;
}

/* strcmp() of a NUL-terminated key against a line's function name */
static int cmp_name(const char *key, const char *name)
{
	size_t n = name_len(name), kl = strlen(key);
	int c = memcmp(key, name, kl < n ? kl : n);
	if (c)
		return c;
	return kl < n ? -1 : kl > n;
}

/* the line of the function called name, or NULL */
static const char *find_name(const char *name)
{
	pthread_once(&names_once, index_names);
	size_t lo = 0, hi = nr_names;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_name(name, names[mid]);
		if (!c)
			return names[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

bool ftrace_name_traceable(const char *name)
{
	return find_name(name) != NULL;
}

/* fn(arg, the line as ftrace prints the function: `name` or `name [module]`) */
static bool call_with_line(const char *line, void (*fn)(void *arg, const char *name), void *arg)
{
	char buf[256];
	size_t n = line_len(line);
	if (n >= sizeof(buf))
		return false;
	memcpy(buf, line, n);
	buf[n] = 0;
	fn(arg, buf);
	return true;
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
		const char *line = find_name(glob);
		return line && call_with_line(line, fn, arg);
	}
	size_t count = 0;
	for (size_t i = 0; i < nr_names; i++) {
		if (glob_match(glob, names[i], name_len(names[i])))
			count += call_with_line(names[i], fn, arg);
	}
	return count;
}
