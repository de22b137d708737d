// SPDX-License-Identifier: MIT
/*
 * memory-backend-ram objects: the host memory behind guest RAM.
 *
 * Each backend is one anonymous private mapping with MAP_NORESERVE, whether
 * or not the user asked for reserve=off: the host commits pages only when
 * the guest first touches them, which is what lets a 64 GiB guest run on a
 * small host. Nothing here ever touches a page (even prealloc=on is only
 * reported): a machine's RSS stays tiny until its guest writes memory.
 */
#include <errno.h>
#include "../lib/alloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "machine_internal.h"

static const char *const policies[] = { "default", "preferred", "bind", "interleave" };

/*
 * Properties of memory-backend-ram, in the order QAPI's
 * MemoryBackendProperties visits them: type errors come out in this order.
 */
enum be_prop {
	P_DUMP, P_HOST_NODES, P_MERGE, P_POLICY, P_PREALLOC, P_PREALLOC_THREADS,
	P_PREALLOC_CONTEXT, P_SHARE, P_RESERVE, P_SIZE, P_CANONICAL, NR_P
};

static const char *const prop_names[NR_P] = {
	"dump", "host-nodes", "merge", "policy", "prealloc", "prealloc-threads",
	"prealloc-context", "share", "reserve", "size",
	"x-use-canonical-path-for-ramblock-id",
};

static int bool_prop(const char *name, const char *val, bool *out, struct sbuf *err)
{
	if (parse_bool(val, out)) {
		sb_printf(err, "Parameter '%s' expects 'on' or 'off'", name);
		return -1;
	}
	return 0;
}

/* one host node, as host_memory_backend_set_host_nodes() takes it */
static int add_host_node(struct backend_opts *bo, unsigned long n, struct sbuf *err)
{
	if (n >= BACKEND_MAX_HOST_NODES) {
		sb_printf(err, "Invalid host-nodes value: %lu", n);
		bo->setter_failed = true;
		return -1;
	}
	bo->host_nodes[n / 64] |= 1ull << (n % 64);
	return 0;
}

/*
 * host-nodes: -object's QemuOpts form "host-nodes=N[-M]" (repeatable), or the
 * keyval list "host-nodes.0=N,host-nodes.1=M" of object_add and object-add,
 * whose indexes must run from 0 without a gap.
 */
static int parse_host_nodes(const struct opt_list *l, bool keyval, struct backend_opts *bo, struct sbuf *err)
{
	size_t count = 0;

	for (size_t i = 0; i < l->n; i++) {
		const char *k = l->v[i].key, *v = l->v[i].val ? l->v[i].val : "";
		unsigned long lo, hi;
		char *end;

		if (!strcmp(k, "host-nodes") && keyval) {
			/* the keyval visitor wants host-nodes.0=... for a list */
			sb_puts(err, "Invalid parameter type for 'host-nodes', expected: array");
			return -1;
		}
		if (!strcmp(k, "host-nodes")) {
			if (*v < '0' || *v > '9')
				goto bad_range;
			lo = hi = strtoul(v, &end, 10);
			if (*end == '-') {
				if (end[1] < '0' || end[1] > '9')
					goto bad_range;
				hi = strtoul(end + 1, &end, 10);
			}
			if (*end || hi < lo || hi > UINT16_MAX)
				goto bad_range;
			for (unsigned long n = lo; n <= hi; n++)
				if (add_host_node(bo, n, err))
					return -1;
		} else if (!strncmp(k, "host-nodes.", 11)) {
			count++;
		}
	}
	for (size_t idx = 0; idx < count; idx++) {
		char key[32];
		const char *v = NULL;
		char *end;
		unsigned long n;

		snprintf(key, sizeof(key), "host-nodes.%zu", idx);
		for (size_t i = 0; i < l->n; i++)
			if (!strcmp(l->v[i].key, key))
				v = l->v[i].val ? l->v[i].val : "";
		if (!v) {
			sb_printf(err, "Parameter '%s' missing", key);
			return -1;
		}
		n = strtoul(v, &end, 10);
		if (*v < '0' || *v > '9' || *end) {
			sb_printf(err, "Parameter '%s' expects integer", key);
			return -1;
		}
		if (n > UINT16_MAX) {
			sb_printf(err, "Parameter '%s' expects uint16_t", key);
			return -1;
		}
		if (add_host_node(bo, n, err))
			return -1;
	}
	return 0;
bad_range:
	/* the opts visitor's words for a list element it cannot read */
	sb_puts(err, "Parameter 'host-nodes' expects a uint64 value or range");
	return -1;
}

static int parse(const char *text, bool keyval, struct backend_opts *bo, bool *size_zero, struct sbuf *err)
{
	struct opt_list l;
	const char *val[NR_P] = { 0 };
	const char *type = NULL, *id = NULL;
	const char *unexpected = NULL;
	int ret = -1;

	memset(bo, 0, sizeof(*bo));
	bo->merge = bo->dump = bo->reserve = true;
	strcpy(bo->policy, "default");
	*size_zero = false;

	opts_split(text, &l);
	for (size_t i = 0; i < l.n; i++) {
		const char *k = l.v[i].key, *v = l.v[i].val;
		bool known = false;

		if (i == 0 && !v) {		/* the implied key of object_add */
			type = k;
			continue;
		}
		if (!strcmp(k, "qom-type")) {
			type = v;
			continue;
		}
		if (!strcmp(k, "id")) {
			id = v;
			continue;
		}
		if (!strncmp(k, "host-nodes.", 11)) {
			val[P_HOST_NODES] = "";
			continue;
		}
		for (int p = 0; p < NR_P; p++) {
			if (!strcmp(k, prop_names[p])) {
				val[p] = v ? v : "";
				known = true;
			}
		}
		if (!known && !unexpected)
			unexpected = k;
	}

	if (!type) {
		sb_puts(err, "Parameter 'qom-type' is missing");
		goto out;
	}
	if (!strcmp(type, "memory-backend-file") || !strcmp(type, "memory-backend-memfd") ||
	    !strcmp(type, "memory-backend-epc")) {
		/* real QEMU types memhp does not model: say what QEMU would miss first */
		if (!strcmp(type, "memory-backend-file") && !strstr(text, "mem-path="))
			sb_puts(err, "Parameter 'mem-path' is missing");
		else
			sb_printf(err, "memhp models only memory-backend-ram, not '%s'", type);
		goto out;
	}
	if (strcmp(type, "memory-backend-ram")) {
		sb_printf(err, "Parameter 'qom-type' does not accept value '%s'", type);
		goto out;
	}
	if (!id) {
		sb_puts(err, "Parameter 'id' is missing");
		goto out;
	}
	if (!id_wellformed(id)) {
		sb_puts(err, "Parameter 'id' expects an identifier\n"
			"Identifiers consist of letters, digits, '-', '.', '_', starting with a letter.");
		goto out;
	}
	if (val[P_DUMP] && bool_prop("dump", val[P_DUMP], &bo->dump, err))
		goto out;
	if (val[P_HOST_NODES] && parse_host_nodes(&l, keyval, bo, err)) {
		*size_zero = bo->setter_failed;
		goto out;
	}
	if (val[P_MERGE] && bool_prop("merge", val[P_MERGE], &bo->merge, err))
		goto out;
	if (val[P_POLICY]) {
		bool ok = false;

		for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++)
			ok |= !strcmp(val[P_POLICY], policies[i]);
		if (!ok) {
			sb_printf(err, "Parameter 'policy' does not accept value '%s'", val[P_POLICY]);
			goto out;
		}
		strcpy(bo->policy, val[P_POLICY]);
	}
	if (val[P_PREALLOC] && bool_prop("prealloc", val[P_PREALLOC], &bo->prealloc, err))
		goto out;
	if (val[P_PREALLOC_THREADS]) {
		uint64_t n;

		if (parse_uint64(val[P_PREALLOC_THREADS], &n) || n > UINT32_MAX) {
			sb_puts(err, "Parameter 'prealloc-threads' expects uint32_t");
			goto out;
		}
		if (!n) {
			sb_puts(err, "property 'prealloc-threads' of memory-backend-ram doesn't take value '0'");
			*size_zero = true;	/* a setter's refusal: no location either */
			goto out;
		}
		bo->prealloc_threads = (uint32_t)n;
	}
	if (val[P_SHARE] && bool_prop("share", val[P_SHARE], &bo->share, err))
		goto out;
	if (val[P_RESERVE] && bool_prop("reserve", val[P_RESERVE], &bo->reserve, err))
		goto out;
	if (!val[P_SIZE]) {
		sb_puts(err, "Parameter 'size' is missing");
		goto out;
	}
	if (parse_size(val[P_SIZE], 1, &bo->size)) {
		sb_puts(err, "Parameter 'size' expects size");
		goto out;
	}
	if (val[P_CANONICAL] && bool_prop(prop_names[P_CANONICAL], val[P_CANONICAL], &bo->canonical_path, err))
		goto out;
	if (unexpected) {
		sb_printf(err, "Parameter '%s' is unexpected", unexpected);
		goto out;
	}
	/* the property setter runs after the whole struct was visited */
	if (bo->size == 0) {
		sb_puts(err, "property 'size' of memory-backend-ram doesn't take value '0'");
		*size_zero = true;
		goto out;
	}
	bo->have_size = true;
	bo->id = mh_strdup(id);
	ret = bo->id ? 0 : -1;
	if (ret)
		sb_puts(err, "out of memory");
out:
	opts_free(&l);
	return ret;
}

/* -object's QemuOpts ("host-nodes=0-1") */
int backend_parse(const char *text, struct backend_opts *bo, bool *size_zero, struct sbuf *err)
{
	return parse(text, false, bo, size_zero, err);
}

/* object_add's and object-add's keyval ("host-nodes.0=0,host-nodes.1=1") */
int backend_parse_keyval(const char *text, struct backend_opts *bo, bool *size_zero, struct sbuf *err)
{
	return parse(text, true, bo, size_zero, err);
}

void backend_opts_release(struct backend_opts *bo)
{
	free(bo->id);
	bo->id = NULL;
}

/*
 * host_memory_backend_memory_complete(): the policy and the host nodes go
 * together, then mbind() of the mapping as QEMU does (the host's own nodes
 * decide, as they do for QEMU).
 */
static int bind_host_nodes(const struct backend_opts *bo, void *p, struct sbuf *err)
{
	unsigned long maxnode = 0;
	int mode = 0;

	for (int n = 0; n < BACKEND_MAX_HOST_NODES; n++)
		if (bo->host_nodes[n / 64] & (1ull << (n % 64)))
			maxnode = (unsigned long)n + 1;
	for (int i = 0; i < (int)(sizeof(policies) / sizeof(policies[0])); i++)
		if (!strcmp(bo->policy, policies[i]))
			mode = i;	/* MPOL_DEFAULT, MPOL_PREFERRED, MPOL_BIND, MPOL_INTERLEAVE */
	if (maxnode && !mode) {
		sb_puts(err, "host-nodes must be empty for policy default, or you should explicitly specify a "
			"policy other than default");
		return -1;
	}
	if (!maxnode && mode) {
		sb_printf(err, "host-nodes must be set for policy %s", bo->policy);
		return -1;
	}
	/* MPOL_MF_STRICT | MPOL_MF_MOVE: nothing is allocated yet, nothing moves */
	if (maxnode && syscall(SYS_mbind, p, ROUND_UP(bo->size, 4096), mode, bo->host_nodes, maxnode + 1,
			       (1u << 0) | (1u << 1))) {
		sb_printf(err, "cannot bind memory to host NUMA nodes: %s", strerror(errno));
		return -1;
	}
	return 0;
}

struct backend *backend_create(const struct backend_opts *bo, struct sbuf *err)
{
	struct backend *be = mh_calloc(1, sizeof(*be));
	void *p;

	if (!be || !(be->id = mh_strdup(bo->id))) {
		free(be);
		sb_printf(err, "cannot set up guest memory '%s': %s", bo->id, strerror(ENOMEM));
		return NULL;
	}
	/* more than a 47-bit address space can map: fail as mmap would, without trying */
	if (bo->size > (1ULL << 46)) {
		sb_printf(err, "cannot set up guest memory '%s': %s", bo->id, strerror(ENOMEM));
		free(be->id);
		free(be);
		return NULL;
	}
	/*
	 * QEMU aligns RAM blocks to the host page size; round up so the last
	 * partial page is mapped too (the guest only sees bo->size anyway).
	 */
	p = mmap(NULL, ROUND_UP(bo->size, 4096), PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		sb_printf(err, "cannot set up guest memory '%s': %s", bo->id, strerror(errno));
		free(be->id);
		free(be);
		return NULL;
	}
	if (bind_host_nodes(bo, p, err)) {
		munmap(p, ROUND_UP(bo->size, 4096));
		free(be->id);
		free(be);
		return NULL;
	}
	be->host = p;
	be->size = bo->size;
	memcpy(be->host_nodes, bo->host_nodes, sizeof(be->host_nodes));
	be->prealloc_threads = bo->prealloc_threads;
	be->canonical_path = bo->canonical_path;
	be->merge = bo->merge;
	be->dump = bo->dump;
	be->prealloc = bo->prealloc;
	be->share = bo->share;
	be->reserve = bo->reserve;
	memcpy(be->policy, bo->policy, sizeof(be->policy));
	return be;
}

void backend_destroy(struct backend *be)
{
	if (!be)
		return;
	if (be->host)
		munmap(be->host, ROUND_UP(be->size, 4096));
	free(be->id);
	free(be);
}

static void collect_backend(const char *key, void *value, void *opaque)
{
	struct backend ***tail = opaque;
	if (value)
		*(*tail)++ = value;
}

/*
 * The backends as query-memdev lists them: QEMU walks the /objects hash table
 * and prepends each, so the list is that table's iteration order reversed.
 */
struct backend **backends_query_order(struct machine *m, size_t *n)
{
	struct backend **v = mh_calloc(qom_table_count(m->objects) + 1, sizeof(*v)), **tail = v;
	if (!v)
		out_of_memory(ALLOC_WHERE, 0);
	qom_table_foreach(m->objects, collect_backend, &tail);
	*n = (size_t)(tail - v);
	for (size_t i = 0; i < *n / 2; i++) {
		struct backend *t = v[i];
		v[i] = v[*n - 1 - i];
		v[*n - 1 - i] = t;
	}
	return v;
}
