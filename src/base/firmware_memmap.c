// SPDX-License-Identifier: MIT
/*
 * /sys/firmware/memmap, after drivers/firmware/memmap.c.
 *
 * Entries are kept in insertion order; an entry's directory number is the
 * value of a counter at the time it got its directory and is never reused, so
 * a remove followed by an add of the same range yields a new number, as the
 * kernel's map_entries_nr does. The firmware's (e820) entries get their
 * directories only in firmware_memmap_init(), a late initcall, while a hot-add
 * makes its directory at once: memory that the ACPI scan adds during boot (DIMMs
 * present at power-on) takes the first numbers, before the e820 entries.
 *
 * Locking: Linux guards the list with a spinlock; here every caller holds
 * the device-hotplug lock (boot, add_memory, remove_memory) or reads under
 * it, which is enough.
 */
#include <errno.h>
#include <stdbool.h>
#include "../lib/alloc.h"
#include <stdlib.h>
#include <string.h>

#include "../kernel/kernel.h"
#include "firmware_memmap.h"

static struct firmware_map_entry *find_entry(struct kernel *k, uint64_t start, uint64_t last,
					     const char *type)
{
	struct firmware_map_entry *e;

	for (e = k->fw_memmap; e; e = e->next)
		if (e->start == start && e->end == last && !strcmp(e->type, type))
			return e;
	return NULL;
}

/* in_sysfs: whether the entry gets its directory number now (add_sysfs_fw_map_entry()) */
static int add_entry(struct kernel *k, uint64_t start, uint64_t end, const char *type,
		     bool in_sysfs)
{
	struct firmware_map_entry *e, **p;
	char *t;

	/* end is exclusive here; an empty or wrapping range is a caller bug */
	if (end <= start)
		return -EINVAL;
	e = mh_calloc(1, sizeof(*e));
	t = mh_strdup(type);
	if (!e || !t) {
		free(e);
		free(t);
		return -ENOMEM;
	}
	e->start = start;
	e->end = end - 1;
	e->type = t;
	e->id = in_sysfs ? k->fw_memmap_next_id++ : -1;
	for (p = &k->fw_memmap; *p; p = &(*p)->next)
		;
	*p = e;
	return 0;
}

int firmware_map_add_early(struct kernel *k, uint64_t start, uint64_t end, const char *type)
{
	return add_entry(k, start, end, type, false);
}

int firmware_map_add_hotplug(struct kernel *k, uint64_t start, uint64_t end, const char *type)
{
	/* re-adding memory that is still listed must not create a second directory */
	if (end > start && find_entry(k, start, end - 1, type))
		return 0;
	return add_entry(k, start, end, type, true);
}

void firmware_memmap_init(struct kernel *k)
{
	for (struct firmware_map_entry *e = k->fw_memmap; e; e = e->next)
		if (e->id < 0)
			e->id = k->fw_memmap_next_id++;
}

int firmware_map_remove(struct kernel *k, uint64_t start, uint64_t end, const char *type)
{
	struct firmware_map_entry **p, *e;

	if (end <= start)
		return -EINVAL;
	for (p = &k->fw_memmap; (e = *p); p = &e->next) {
		if (e->start == start && e->end == end - 1 && !strcmp(e->type, type)) {
			*p = e->next;
			free((char *)e->type);
			free(e);
			return 0;
		}
	}
	return -EINVAL;
}

struct firmware_map_entry *firmware_map_find(struct kernel *k, int id)
{
	struct firmware_map_entry *e;

	if (id < 0)
		return NULL;
	for (e = k->fw_memmap; e; e = e->next)
		if (e->id == id)
			return e;
	return NULL;
}

void firmware_map_free_all(struct kernel *k)
{
	struct firmware_map_entry *e, *next;

	for (e = k->fw_memmap; e; e = next) {
		next = e->next;
		free((char *)e->type);
		free(e);
	}
	k->fw_memmap = NULL;
}
