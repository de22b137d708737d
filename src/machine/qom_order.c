// SPDX-License-Identifier: MIT
/*
 * The order in which QEMU lists the children of /objects.
 *
 * QOM keeps an object's properties (its children among them) in a GLib
 * GHashTable keyed by name, and `info memdev` walks that table: the order a
 * user sees is GLib's bucket order. To print what QEMU 7.2 on Debian 12
 * prints we model GLib 2.74's table exactly: open addressing over a power
 * of two number of buckets, the first probe at (hash * 11) % prime, then
 * quadratic steps masked by the size, tombstones for removed keys, and the
 * grow/shrink policy of g_hash_table_maybe_resize() with its in-place
 * rehash (which evicts entries in a particular order, so it is modelled
 * literally, not just "insert everything again").
 */
#include <errno.h>
#include "../lib/alloc.h"
#include <stdlib.h>
#include <string.h>

#include "machine_internal.h"

#define HASH_TABLE_MIN_SHIFT	3
#define UNUSED_HASH		0u
#define TOMBSTONE_HASH		1u
#define HASH_IS_REAL(h)		((h) >= 2)

/* the first prime below each power of two, as GLib's prime_mod[] */
static const uint32_t prime_mod[] = {
	1, 2, 3, 7, 13, 31, 61, 127, 251, 509, 1021, 2039, 4093, 8191,
	16381, 32749, 65521, 131071, 262139, 524287, 1048573, 2097143,
	4194301, 8388593, 16777213, 33554393, 67108859, 134217689,
	268435399, 536870909, 1073741789, 2147483647,
};

struct qom_table {
	uint32_t size, mod, mask;
	int nnodes, noccupied;		/* noccupied counts tombstones too */
	uint32_t *hashes;
	char **keys;
	void **values;
};

/* g_str_hash(): Bernstein's djb2 over signed chars, 32-bit */
uint32_t qom_str_hash(const char *s)
{
	uint32_t h = 5381;

	for (const signed char *p = (const signed char *)s; *p; p++)
		h = (h << 5) + h + (uint32_t)(int32_t)*p;
	return h;
}

static void set_shift(struct qom_table *t, int shift)
{
	t->size = 1u << shift;
	t->mod = prime_mod[shift];
	t->mask = t->size - 1;
}

static int closest_shift(int n)
{
	int i;

	for (i = 0; n; i++)
		n >>= 1;
	return i;
}

static uint32_t hash_to_index(const struct qom_table *t, uint32_t hash)
{
	return (hash * 11u) % t->mod;
}

static bool realloc_arrays(struct qom_table *t)
{
	uint32_t *h = mh_realloc(t->hashes, t->size * sizeof(*h));
	char **k;
	void **v;

	if (!h)
		return false;
	t->hashes = h;
	k = mh_realloc(t->keys, t->size * sizeof(*k));
	if (!k)
		return false;
	t->keys = k;
	v = mh_realloc(t->values, t->size * sizeof(*v));
	if (!v)
		return false;
	t->values = v;
	return true;
}

struct qom_table *qom_table_new(void)
{
	struct qom_table *t = mh_calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	set_shift(t, HASH_TABLE_MIN_SHIFT);
	t->hashes = mh_calloc(t->size, sizeof(*t->hashes));
	t->keys = mh_calloc(t->size, sizeof(*t->keys));
	t->values = mh_calloc(t->size, sizeof(*t->values));
	if (!t->hashes || !t->keys || !t->values) {
		qom_table_free(t);
		return NULL;
	}
	return t;
}

void qom_table_free(struct qom_table *t)
{
	if (!t)
		return;
	if (t->keys && t->hashes)	/* a half-built table (qom_table_new out of memory) */
		for (uint32_t i = 0; i < t->size; i++)
			if (HASH_IS_REAL(t->hashes[i]))
				free(t->keys[i]);
	free(t->hashes);
	free(t->keys);
	free(t->values);
	free(t);
}

static bool bit_get(const uint32_t *bm, uint32_t i)
{
	return (bm[i / 32] >> (i % 32)) & 1;
}

static void bit_set(uint32_t *bm, uint32_t i)
{
	bm[i / 32] |= 1u << (i % 32);
}

/*
 * g_hash_table_resize(): pick the size for nnodes * 1.333, then move every
 * entry to its new home in place, evicting whatever sits there and carrying
 * the evicted entry on (a bitmap marks buckets already settled).
 */
static void table_resize(struct qom_table *t)
{
	uint32_t old_size = t->size;
	uint32_t *bitmap;

	int shift = closest_shift((int)(t->nnodes * 1.333));

	set_shift(t, shift < HASH_TABLE_MIN_SHIFT ? HASH_TABLE_MIN_SHIFT : shift);

	if (t->size > old_size) {
		if (!realloc_arrays(t))
			out_of_memory(ALLOC_WHERE, 0);	/* out of memory for a few dozen pointers */
		memset(&t->hashes[old_size], 0, (t->size - old_size) * sizeof(uint32_t));
		memset(&t->keys[old_size], 0, (t->size - old_size) * sizeof(char *));
		memset(&t->values[old_size], 0, (t->size - old_size) * sizeof(void *));
		bitmap = mh_calloc((t->size + 31) / 32, sizeof(uint32_t));
	} else {
		bitmap = mh_calloc((old_size + 31) / 32, sizeof(uint32_t));
	}
	if (!bitmap)
		out_of_memory(ALLOC_WHERE, 0);

	for (uint32_t i = 0; i < old_size; i++) {
		uint32_t node_hash = t->hashes[i];
		char *key;
		void *value;

		if (!HASH_IS_REAL(node_hash)) {
			t->hashes[i] = UNUSED_HASH;	/* tombstones go */
			continue;
		}
		if (bit_get(bitmap, i))
			continue;	/* already moved here through an eviction */

		t->hashes[i] = UNUSED_HASH;
		key = t->keys[i];
		value = t->values[i];
		t->keys[i] = NULL;
		t->values[i] = NULL;

		for (;;) {
			uint32_t idx = hash_to_index(t, node_hash);
			uint32_t step = 0, replaced;

			while (bit_get(bitmap, idx)) {
				step++;
				idx = (idx + step) & t->mask;
			}
			bit_set(bitmap, idx);
			replaced = t->hashes[idx];
			t->hashes[idx] = node_hash;
			if (!HASH_IS_REAL(replaced)) {
				t->keys[idx] = key;
				t->values[idx] = value;
				break;
			}
			/* carry the evicted entry on to its own new bucket */
			node_hash = replaced;
			{
				char *k2 = t->keys[idx];
				void *v2 = t->values[idx];

				t->keys[idx] = key;
				t->values[idx] = value;
				key = k2;
				value = v2;
			}
		}
	}
	free(bitmap);

	if (t->size < old_size && !realloc_arrays(t))
		out_of_memory(ALLOC_WHERE, 0);
	t->noccupied = t->nnodes;
}

static void maybe_resize(struct qom_table *t)
{
	int noccupied = t->noccupied;
	int size = (int)t->size;

	if ((size > t->nnodes * 4 && size > 1 << HASH_TABLE_MIN_SHIFT) ||
	    size <= noccupied + noccupied / 16)
		table_resize(t);
}

/* g_hash_table_lookup_node(): the key's bucket, or where it would go */
static uint32_t lookup_node(const struct qom_table *t, const char *key, uint32_t *hash_ret)
{
	uint32_t hash = qom_str_hash(key);
	uint32_t idx, step = 0, first_tombstone = 0;
	bool have_tombstone = false;

	if (!HASH_IS_REAL(hash))
		hash = 2;
	*hash_ret = hash;

	idx = hash_to_index(t, hash);
	while (t->hashes[idx] != UNUSED_HASH) {
		uint32_t h = t->hashes[idx];

		if (h == hash) {
			if (strcmp(t->keys[idx], key) == 0)
				return idx;
		} else if (h == TOMBSTONE_HASH && !have_tombstone) {
			first_tombstone = idx;
			have_tombstone = true;
		}
		step++;
		idx = (idx + step) & t->mask;
	}
	return have_tombstone ? first_tombstone : idx;
}

int qom_table_insert(struct qom_table *t, const char *key, void *value)
{
	uint32_t hash, idx, old;
	char *copy;

	idx = lookup_node(t, key, &hash);
	old = t->hashes[idx];
	if (HASH_IS_REAL(old))
		return -EEXIST;
	copy = mh_strdup(key);
	if (!copy)
		return -ENOMEM;
	t->hashes[idx] = hash;
	t->keys[idx] = copy;
	t->values[idx] = value;
	t->nnodes++;
	/* only a fresh bucket can push the load factor over the limit */
	if (old == UNUSED_HASH) {
		t->noccupied++;
		maybe_resize(t);
	}
	return 0;
}

void *qom_table_lookup(const struct qom_table *t, const char *key)
{
	uint32_t hash, idx = lookup_node(t, key, &hash);

	return HASH_IS_REAL(t->hashes[idx]) ? t->values[idx] : NULL;
}

int qom_table_remove(struct qom_table *t, const char *key)
{
	uint32_t hash, idx = lookup_node(t, key, &hash);

	if (!HASH_IS_REAL(t->hashes[idx]))
		return -ENOENT;
	t->hashes[idx] = TOMBSTONE_HASH;
	free(t->keys[idx]);
	t->keys[idx] = NULL;
	t->values[idx] = NULL;
	t->nnodes--;
	maybe_resize(t);
	return 0;
}

void qom_table_foreach(const struct qom_table *t, qom_foreach_fn fn, void *opaque)
{
	for (uint32_t i = 0; i < t->size; i++)
		if (HASH_IS_REAL(t->hashes[i]))
			fn(t->keys[i], t->values[i], opaque);
}

size_t qom_table_count(const struct qom_table *t)
{
	return (size_t)t->nnodes;
}
