// SPDX-License-Identifier: MIT
/*
 * User-defined e820 ranges of the kernel command line (arch/x86/kernel/e820.c):
 * memmap=nn@ss (RAM), nn#ss (ACPI data), nn$ss (reserved), nn!ss (legacy
 * persistent memory, type 12, which nd_e820 turns into an nvdimm region).
 * parse_memmap_one() appends them to the table; e820__update_table() then
 * resolves overlaps, the larger type winning.
 */
#include "e820_user.h"
#include "params.h"
#include "../lib/alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define E820_TYPE_ACPI 3

static void add_user_range(struct kernel *k, uint64_t start, uint64_t size, enum e820_type type)
{
	/* e820__range_add(): a full table drops the range with a message */
	int n = (int)(sizeof(k->user_e820) / sizeof(k->user_e820[0]));
	if (k->nr_user_e820 >= n) {
		klog(k, "e820: too many entries; ignoring [mem %#018llx-%#018llx]",
		     (unsigned long long)start, (unsigned long long)(start + size - 1));
		return;
	}
	k->user_e820[k->nr_user_e820++] = (struct e820_entry){ start, size, type };
}

/* parse_memmap_one(): one comma-separated item */
static void parse_memmap_one(struct kernel *k, const char *p)
{
	char *end;
	unsigned long long size = memparse(p, &end);
	if (end == p || !strncmp(p, "exactmap", 8))
		return;
	char c = *end;
	if (c == '@' || c == '#' || c == '$' || c == '!') {
		unsigned long long start = memparse(end + 1, &end);
		enum e820_type t = c == '@' ? E820_TYPE_RAM : c == '#' ? (enum e820_type)E820_TYPE_ACPI :
				   c == '$' ? E820_TYPE_RESERVED : E820_TYPE_PRAM;
		if (size)
			add_user_range(k, start, size, t);
	} else if (c == '\0' || c == ',') {
		/* memmap=nn: e820_remove_range() of RAM above nn, as mem= */
		if (size && size < k->params.max_mem_size)
			k->params.max_mem_size = size;
	}
}

int e820_parse_memmap(struct kernel *k, const char *val)
{
	if (!val)
		return 0;
	char *copy = mh_strdup(val);
	if (!copy)
		return -ENOMEM;	/* the kernel layer's policy: refuse, never drop the option silently */
	for (char *s = copy; s;) {
		char *comma = strchr(s, ',');
		if (comma)
			*comma++ = '\0';
		parse_memmap_one(k, s);
		s = comma;
	}
	free(copy);
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

void e820_apply_user(struct kernel *k, struct e820_entry *e820, int *nr, int max)
{
	if (!k->nr_user_e820)
		return;
	struct e820_entry all[E820_MAX_ENTRIES + 8];
	int n = 0;
	for (int i = 0; i < *nr; i++)
		all[n++] = e820[i];
	for (int i = 0; i < k->nr_user_e820; i++)
		all[n++] = k->user_e820[i];
	uint64_t pts[2 * (E820_MAX_ENTRIES + 8)];
	int np = 0;
	for (int i = 0; i < n; i++) {
		pts[np++] = all[i].addr;
		pts[np++] = all[i].addr + all[i].size;
	}
	qsort(pts, (size_t)np, sizeof(pts[0]), cmp_u64);
	int out = 0;
	for (int p = 0; p + 1 < np; p++) {
		uint64_t s = pts[p], e = pts[p + 1];
		if (s == e)
			continue;
		int type = 0;
		for (int i = 0; i < n; i++)
			if (all[i].addr <= s && all[i].addr + all[i].size >= e && (int)all[i].type > type)
				type = (int)all[i].type;
		if (!type)
			continue;
		if (out && e820[out - 1].addr + e820[out - 1].size == s && (int)e820[out - 1].type == type) {
			e820[out - 1].size += e - s;
			continue;
		}
		if (out >= max)
			break;
		e820[out++] = (struct e820_entry){ s, e - s, (enum e820_type)type };
	}
	*nr = out;
}

const char *e820_type_name(enum e820_type type)
{
	switch ((int)type) {
	case E820_TYPE_RAM:
		return "System RAM";
	case E820_TYPE_ACPI:
		return "ACPI Tables";
	case E820_TYPE_PRAM:
		return "Persistent Memory (legacy)";
	default:
		return "Reserved";
	}
}
