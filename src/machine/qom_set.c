// SPDX-License-Identifier: MIT
/*
 * qom-set once an object exists (QEMU 7.2's object_property_set()): what a
 * memory-backend-ram still lets change after host_memory_backend_memory_complete()
 * (backends/hostmem.c's setters), and the refusals of a realized pc-dimm or
 * virtio-mem-pci, in QEMU's words. A virtio-mem-pci shows its virtio-mem
 * child's properties as aliases (qdev_alias_all_properties()), so those are
 * refused on behalf of the child: an anonymous device of type 'virtio-mem'.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine_internal.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* hostmem.c's HostMemPolicy values */
static const char *const policies[] = { "default", "preferred", "bind", "interleave" };

/* qom-list of a virtio-mem-pci: QEMU 7.2's order (tests/qemu/recorded-virtio-mem.txt) */
const struct qom_prop vmem_qom_props[] = {
	{ "type", "string" }, { "parent_bus", "link<bus>" }, { "realized", "bool" },
	{ "hotplugged", "bool" }, { "hotpluggable", "bool" }, { "failover_pair_id", "str" },
	{ "romfile", "str" }, { "addr", "int32" }, { "romsize", "uint32" },
	{ "x-pcie-lnksta-dllla", "bool" }, { "rombar", "uint32" }, { "x-pcie-extcap-init", "bool" },
	{ "acpi-index", "uint32" }, { "multifunction", "bool" }, { "legacy-addr", "str" },
	{ "migrate-extra", "bool" }, { "ats", "bool" }, { "x-ignore-backend-features", "bool" },
	{ "x-pcie-pm-init", "bool" }, { "aer", "bool" }, { "x-pcie-flr-init", "bool" },
	{ "x-pcie-lnkctl-init", "bool" }, { "x-ats-page-aligned", "bool" }, { "page-per-vq", "bool" },
	{ "x-pcie-deverr-init", "bool" }, { "virtio-pci-bus-master-bug-migration", "bool" },
	{ "modern-pio-notify", "bool" }, { "x-disable-pcie", "bool" }, { "disable-legacy", "OnOffAuto" },
	{ "disable-modern", "bool" }, { "memaddr", "uint64" }, { "indirect_desc", "bool" },
	{ "virtio-pci-isr-virtio-mem[0]", "child<memory-region>" },
	{ "virtio-pci-device-virtio-mem[0]", "child<memory-region>" }, { "iommu_platform", "bool" },
	{ "memdev", "link<memory-backend>" }, { "use-disabled-flag", "bool" }, { "event_idx", "bool" },
	{ "node", "uint32" }, { "virtio-pci-notify-pio-virtio-mem[0]", "child<memory-region>" },
	{ "requested-size", "size" }, { "bus master container[0]", "child<memory-region>" },
	{ "x-disable-legacy-check", "bool" }, { "any_layout", "bool" }, { "queue_reset", "bool" },
	{ "notify_on_empty", "bool" }, { "packed", "bool" }, { "block-size", "size" },
	{ "prealloc", "bool" }, { "use-started", "bool" },
	{ "virtio-pci-notify-virtio-mem[0]", "child<memory-region>" },
	{ "virtio-pci-common-virtio-mem[0]", "child<memory-region>" },
	{ "unplugged-inaccessible", "OnOffAuto" }, { "virtio-pci[0]", "child<memory-region>" },
	{ "virtio-bus", "child<virtio-pci-bus>" }, { "bus master[0]", "child<memory-region>" },
	{ "size", "size" }, { "virtio-backend", "child<virtio-mem>" },
};
const size_t vmem_qom_nprops = ARRAY_LEN(vmem_qom_props);

/* the qdev properties of the virtio-mem child (virtio_mem_properties[] and virtio_properties[]) */
static const char *const vmem_child_props[] = {
	"memaddr", "indirect_desc", "iommu_platform", "use-disabled-flag", "event_idx", "node",
	"x-disable-legacy-check", "any_layout", "queue_reset", "notify_on_empty", "packed",
	"prealloc", "use-started", "unplugged-inaccessible",
};

/* properties with a getter and no setter: object_property_set() refuses them by the owner's type */
static const char *const vmem_readonly_props[] = {
	"type", "parent_bus", "hotplugged", "hotpluggable", "legacy-addr",
};
static const char *const dimm_readonly_props[] = {
	"type", "parent_bus", "hotplugged", "hotpluggable", "legacy-memdev", "size",
};

static bool in_list(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

bool vmem_qom_has_prop(const char *prop)
{
	for (size_t i = 0; i < vmem_qom_nprops; i++)
		if (!strcmp(vmem_qom_props[i].name, prop))
			return true;
	return false;
}

/* ---- values as the visitors read them ---- */

/* visit_type_bool(): the string input visitor (HMP) or a JSON boolean (QMP) */
static int get_bool(const char *prop, const struct qmp_arg *val, bool hmp, bool *b, struct sbuf *err)
{
	if (hmp ? val->type != QMP_ARG_STR || parse_bool(val->str, b) : val->type != QMP_ARG_BOOL) {
		if (hmp)
			sb_printf(err, "Parameter '%s' expects 'on' or 'off'", prop);
		else
			sb_printf(err, "Invalid parameter type for '%s', expected: boolean", prop);
		return -1;
	}
	if (!hmp)
		*b = val->b;
	return 0;
}

/* visit_type_uint32(): a uint64 first, then the range check */
static int get_u32(const char *prop, const struct qmp_arg *val, bool hmp, uint32_t *out, struct sbuf *err)
{
	uint64_t u = 0;
	bool ok;

	if (hmp && val->type == QMP_ARG_STR) {
		/* qemu_strtou64() takes "-N" and wraps it: beyond uint32 */
		const char *s = val->str[0] == '-' ? val->str + 1 : val->str;

		ok = !parse_uint64(s, &u);
		if (ok && val->str[0] == '-' && u)
			u = UINT64_MAX;
	} else {
		ok = val->type == QMP_ARG_UINT || (val->type == QMP_ARG_INT && val->i >= 0);
		u = val->type == QMP_ARG_UINT ? val->u : (uint64_t)val->i;
	}
	if (!ok) {
		sb_printf(err, "Parameter '%s' expects uint64", prop);
		return -1;
	}
	if (u > UINT32_MAX) {
		sb_printf(err, "Parameter '%s' expects uint32_t", prop);
		return -1;
	}
	*out = (uint32_t)u;
	return 0;
}

static int get_str(const char *prop, const struct qmp_arg *val, bool hmp, const char **s, struct sbuf *err)
{
	if (val->type != QMP_ARG_STR) {
		sb_printf(err, "Invalid parameter type for '%s', expected: string", prop);
		return -1;
	}
	(void)hmp;
	*s = val->str;
	return 0;
}

/*
 * host_memory_backend_set_host_nodes(): a uint16 list (HMP: the string input
 * visitor's "N[-M][,...]"; QMP: an array), each node below MAX_NODES set in
 * the bitmap, which is never cleared.
 */
static int set_host_nodes(struct backend *be, const struct qmp_arg *val, bool hmp, struct sbuf *err)
{
	uint64_t nodes[BACKEND_HOST_NODE_WORDS] = { 0 };
	const char *p;

	if (val->type != (hmp ? QMP_ARG_STR : QMP_ARG_LIST)) {
		sb_puts(err, "Invalid parameter type for 'host-nodes', expected: array");
		return -1;
	}
	p = val->str;
	while (*p) {
		char *end;
		unsigned long lo, hi;

		if (*p < '0' || *p > '9')
			goto bad;
		lo = hi = strtoul(p, &end, 10);
		if (hmp && *end == '-') {
			if (end[1] < '0' || end[1] > '9')
				goto bad;
			hi = strtoul(end + 1, &end, 10);
			if (hi < lo)
				goto bad;
		}
		if (*end && *end != ',')
			goto bad;
		for (unsigned long n = lo; n <= hi; n++) {
			if (n > UINT16_MAX) {
				sb_puts(err, "Parameter 'host-nodes' expects uint16_t");
				return -1;
			}
			if (n >= BACKEND_MAX_HOST_NODES) {
				sb_printf(err, "Invalid host-nodes value: %lu", n);
				return -1;
			}
			nodes[n / 64] |= 1ull << (n % 64);
		}
		p = *end ? end + 1 : end;
	}
	for (int i = 0; i < BACKEND_HOST_NODE_WORDS; i++)
		be->host_nodes[i] |= nodes[i];
	return 0;
bad:
	/* the string input visitor's list error names no parameter */
	sb_puts(err, hmp ? "Parameter 'null' expects list of uint64 values or ranges"
		: "Invalid parameter type for 'host-nodes', expected: array");
	return -1;
}

/* object_resolve_link() for a link to a type memhp has no object of: found or not */
static int link_target(struct machine *m, const char *prop, const char *path, const char *type,
		       struct sbuf *err)
{
	struct sbuf scratch = SBUF_INIT, e = SBUF_INIT;
	int r = qmp_qom_get(m, path, "type", &scratch, &e);

	sb_free(&scratch);
	sb_free(&e);
	if (r)
		sb_printf(err, "Device '%s' not found", path);
	else
		sb_printf(err, "Invalid parameter type for '%s', expected: %s", prop, type);
	return r ? -QMP_ERROR_DEVICE_NOT_FOUND : -QMP_ERROR_GENERIC;
}

int qom_backend_set(struct machine *m, struct backend *be, const char *prop, const struct qmp_arg *val,
		    bool hmp, struct sbuf *err)
{
	bool b;
	uint32_t u;
	const char *s;

	if (!strcmp(prop, "merge") || !strcmp(prop, "dump") || !strcmp(prop, "x-use-canonical-path-for-ramblock-id")) {
		if (get_bool(prop, val, hmp, &b, err))
			return -QMP_ERROR_GENERIC;
		/* set_merge()/set_dump(): madvise() on the mapping; memhp keeps the flags */
		if (prop[0] == 'm')
			be->merge = b;
		else if (prop[0] == 'd')
			be->dump = b;
		else
			be->canonical_path = b;
		return 0;
	}
	if (!strcmp(prop, "prealloc")) {
		if (get_bool(prop, val, hmp, &b, err))
			return -QMP_ERROR_GENERIC;
		if (!be->reserve && b) {
			sb_puts(err, "'prealloc=on' and 'reserve=off' are incompatible");
			return -QMP_ERROR_GENERIC;
		}
		/* the memory is preallocated once; prealloc=off afterwards changes nothing */
		be->prealloc |= b;
		return 0;
	}
	if (!strcmp(prop, "prealloc-threads")) {
		if (get_u32(prop, val, hmp, &u, err))
			return -QMP_ERROR_GENERIC;
		if (!u) {
			sb_printf(err, "property '%s' of memory-backend-ram doesn't take value '0'", prop);
			return -QMP_ERROR_GENERIC;
		}
		be->prealloc_threads = u;
		return 0;
	}
	if (!strcmp(prop, "policy")) {
		if (get_str(prop, val, hmp, &s, err))
			return -QMP_ERROR_GENERIC;
		for (size_t i = 0; i < ARRAY_LEN(policies); i++) {
			if (!strcmp(s, policies[i])) {
				/* set_policy() only records it: mbind() happened at creation */
				snprintf(be->policy, sizeof(be->policy), "%s", s);
				return 0;
			}
		}
		sb_printf(err, "Parameter 'policy' does not accept value '%s'", s);
		return -QMP_ERROR_GENERIC;
	}
	if (!strcmp(prop, "host-nodes"))
		return set_host_nodes(be, val, hmp, err) ? -QMP_ERROR_GENERIC : 0;
	if (!strcmp(prop, "prealloc-context")) {
		if (get_str(prop, val, hmp, &s, err))
			return -QMP_ERROR_GENERIC;
		return link_target(m, prop, s, "thread-context", err);
	}
	if (!strcmp(prop, "share") || !strcmp(prop, "reserve")) {
		sb_puts(err, "cannot change property value");
		return -QMP_ERROR_GENERIC;
	}
	if (!strcmp(prop, "size")) {
		/* host_memory_backend_set_size() once the memory exists (with its trailing space) */
		sb_printf(err, "cannot change property %s of %s ", prop, "memory-backend-ram");
		return -QMP_ERROR_GENERIC;
	}
	sb_printf(err, "Property 'memory-backend-ram.%s' is not writable", prop);
	return -QMP_ERROR_GENERIC;
}

/* qdev_prop_set_after_realize() */
static int after_realize(const char *prop, const char *id, const char *type, struct sbuf *err)
{
	if (id)
		sb_printf(err, "Attempt to set property '%s' on device '%s' (type '%s') after it was realized",
			  prop, id, type);
	else
		sb_printf(err, "Attempt to set property '%s' on anonymous device (type '%s') after it was realized",
			  prop, type);
	return -QMP_ERROR_GENERIC;
}

/* the properties every realized device shares: realized, the memdev link, read-only ones */
static int device_common(struct machine *m, const char *prop, const struct qmp_arg *val, bool hmp,
			 const char *id, const char *type, struct sbuf *err)
{
	bool b;
	const char *s;
	struct backend *be;

	if (!strcmp(prop, "realized")) {
		if (get_bool(prop, val, hmp, &b, err))
			return -QMP_ERROR_GENERIC;
		if (b)
			return 0;	/* device_set_realized(): already realized */
		/* QEMU 7.2 unrealizes without unplugging (and a virtio-mem-pci aborts it) */
		sb_printf(err, "memhp: realized=off is not modelled, use device_del %s", id ? id : "");
		return -QMP_ERROR_GENERIC;
	}
	if (!strcmp(prop, "memdev")) {
		if (get_str(prop, val, hmp, &s, err))
			return -QMP_ERROR_GENERIC;
		be = !strncmp(s, "/objects/", 9) ? qom_table_lookup(m->objects, s + 9)
			: s[0] != '/' ? qom_table_lookup(m->objects, s) : NULL;
		if (!be)
			return link_target(m, prop, s, "memory-backend", err);
		/* qdev_prop_allow_set_link_before_realize() prints dev->id as it is */
		sb_printf(err, "Attempt to set link property 'memdev' on device '%s' (type '%s') after it was realized",
			  id ? id : "(null)", type);
		return -QMP_ERROR_GENERIC;
	}
	return 1;
}

int qom_dimm_set(struct machine *m, struct dimm *d, const char *prop, const struct qmp_arg *val, bool hmp,
		 struct sbuf *err)
{
	int r;

	if (in_list(dimm_readonly_props, ARRAY_LEN(dimm_readonly_props), prop)) {
		sb_printf(err, "Property 'pc-dimm.%s' is not writable", prop);
		return -QMP_ERROR_GENERIC;
	}
	r = device_common(m, prop, val, hmp, d->id, "pc-dimm", err);
	if (r <= 0)
		return r;
	return after_realize(prop, d->id, "pc-dimm", err);
}

/* 1: requested-size or block-size, the device's own setters (vmem_qom_set()) */
int qom_vmem_set(struct machine *m, struct vmem_dev *v, const char *prop, const struct qmp_arg *val, bool hmp,
		 struct sbuf *err)
{
	int r;

	if (!strcmp(prop, "requested-size") || !strcmp(prop, "block-size"))
		return 1;
	if (!strcmp(prop, "size")) {
		sb_puts(err, "Property 'virtio-mem.size' is not writable");
		return -QMP_ERROR_GENERIC;
	}
	if (in_list(vmem_readonly_props, ARRAY_LEN(vmem_readonly_props), prop) || strchr(prop, '[') ||
	    !strcmp(prop, "virtio-bus") || !strcmp(prop, "virtio-backend")) {
		sb_printf(err, "Property 'virtio-mem-pci.%s' is not writable", prop);
		return -QMP_ERROR_GENERIC;
	}
	/* the link on the child: its dev->id is NULL */
	r = device_common(m, prop, val, hmp, !strcmp(prop, "memdev") ? NULL : v->id,
			  !strcmp(prop, "memdev") ? "virtio-mem" : "virtio-mem-pci", err);
	if (r <= 0)
		return r;
	if (in_list(vmem_child_props, ARRAY_LEN(vmem_child_props), prop))
		return after_realize(prop, NULL, "virtio-mem", err);
	return after_realize(prop, v->id, "virtio-mem-pci", err);
}

void backend_host_nodes_json(const struct backend *be, struct sbuf *json)
{
	bool first = true;

	sb_putc(json, '[');
	for (int n = 0; n < BACKEND_MAX_HOST_NODES; n++) {
		if (be->host_nodes[n / 64] & (1ull << (n % 64))) {
			sb_printf(json, "%s%d", first ? "" : ", ", n);
			first = false;
		}
	}
	sb_putc(json, ']');
}

/* the string output visitor's uint16 list: runs of consecutive nodes as "N-M" */
void backend_host_nodes_ranges(const struct backend *be, struct sbuf *out)
{
	bool first = true;

	for (int n = 0; n < BACKEND_MAX_HOST_NODES; n++) {
		int end = n;

		if (!(be->host_nodes[n / 64] & (1ull << (n % 64))))
			continue;
		while (end + 1 < BACKEND_MAX_HOST_NODES && (be->host_nodes[(end + 1) / 64] & (1ull << ((end + 1) % 64))))
			end++;
		sb_printf(out, end > n ? "%s%d-%d" : "%s%d", first ? "" : ",", n, end);
		first = false;
		n = end;
	}
}
