// SPDX-License-Identifier: MIT
/*
 * The QOM tree as qom-get, qom-set and qom-list see it (QEMU 7.2's
 * qom/qom-qmp-cmds.c): paths resolved as object_resolve_path() does (an
 * absolute path, or a partial one naming a unique child anywhere), the
 * properties of memory-backend-ram, pc-dimm and virtio-mem-pci with QEMU's
 * types and values, and the containers /objects and /machine/peripheral.
 * Values are produced as JSON text; HMP prints them as qobject_to_json_pretty().
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine_internal.h"

enum qom_kind { OBJ_NONE, OBJ_BACKEND, OBJ_DIMM, OBJ_VMEM, OBJ_CONTAINER };

struct qom_obj {
	enum qom_kind kind;
	struct backend *be;
	struct dimm *d;
	struct vmem_dev *v;
	const char *container;	/* "/", "/objects", "/machine/peripheral" */
};

/*
 * qom-list's order: qmp_qom_list() prepends each property it visits, and
 * object_property_iter visits the instance's properties before its classes',
 * so the class properties come first, reversed. These are QEMU 7.2's lists.
 */
static const struct qom_prop backend_props[] = {
	{ "type", "string" }, { "share", "bool" }, { "size", "int" }, { "dump", "bool" },
	{ "prealloc-threads", "int" }, { "x-use-canonical-path-for-ramblock-id", "bool" },
	{ "policy", "HostMemPolicy" }, { "prealloc-context", "link<thread-context>" },
	{ "prealloc", "bool" }, { "reserve", "bool" }, { "host-nodes", "int" }, { "merge", "bool" },
};

static const struct qom_prop dimm_props[] = {
	{ "type", "string" }, { "parent_bus", "link<bus>" }, { "realized", "bool" },
	{ "hotplugged", "bool" }, { "hotpluggable", "bool" }, { "memdev", "link<memory-backend>" },
	{ "node", "uint32" }, { "addr", "uint64" }, { "legacy-memdev", "str" }, { "slot", "int32" },
	{ "size", "uint64" },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static void json_string(struct sbuf *b, const char *s)
{
	sb_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			sb_printf(b, "\\%c", c);
		else if (c < 0x20)
			sb_printf(b, "\\u%04x", c);
		else
			sb_putc(b, (char)c);
	}
	sb_putc(b, '"');
}

/* A memory device by id or QOM path (memory_device.c) */
static bool find_device(struct machine *m, const char *name, enum memory_device_match how, struct qom_obj *o)
{
	struct memory_device md;

	if (!memory_device_find(m, name, how, &md))
		return false;
	o->kind = md.dimm ? OBJ_DIMM : OBJ_VMEM;
	o->d = md.dimm;
	o->v = md.vmem;
	return true;
}

static bool find_child(struct machine *m, const char *name, struct qom_obj *o)
{
	struct backend *be = qom_table_lookup(m->objects, name);

	if (be) {
		o->kind = OBJ_BACKEND;
		o->be = be;
		return true;
	}
	return find_device(m, name, MD_BY_ID, o);
}

/* object_resolve_path(): absolute paths by their components, partial ones by the last */
static bool resolve(struct machine *m, const char *path, struct qom_obj *o)
{
	memset(o, 0, sizeof(*o));
	if (!strcmp(path, "/") || !strcmp(path, "/objects") || !strcmp(path, "/machine/peripheral") ||
	    !strcmp(path, "/machine") || !strcmp(path, "/backend") || !strcmp(path, "/chardevs")) {
		o->kind = OBJ_CONTAINER;
		o->container = path;
		return true;
	}
	if (!strncmp(path, "/objects/", 9)) {
		o->be = qom_table_lookup(m->objects, path + 9);
		o->kind = o->be ? OBJ_BACKEND : OBJ_NONE;
		return o->be != NULL;
	}
	if (path[0] == '/')
		return find_device(m, path, MD_BY_PATH, o);
	return find_child(m, path, o);
}

static int not_found(const char *path, struct sbuf *err)
{
	sb_printf(err, "Device '%s' not found", path);
	return -QMP_ERROR_DEVICE_NOT_FOUND;
}

static const char *type_name(const struct qom_obj *o)
{
	switch (o->kind) {
	case OBJ_BACKEND:
		return "memory-backend-ram";
	case OBJ_DIMM:
		return o->d && o->d->nvdimm ? "nvdimm" : "pc-dimm";
	case OBJ_VMEM:
		return "virtio-mem-pci";
	default:
		return "container";
	}
}

static int no_property(const struct qom_obj *o, const char *prop, struct sbuf *err)
{
	sb_printf(err, "Property '%s.%s' not found", type_name(o), prop);
	return -QMP_ERROR_GENERIC;
}

static int backend_get(struct machine *m, const struct backend *be, const char *p, struct sbuf *json)
{
	if (!strcmp(p, "type"))
		json_string(json, "memory-backend-ram");
	else if (!strcmp(p, "size"))
		sb_printf(json, "%" PRIu64, be->size);
	else if (!strcmp(p, "merge") || !strcmp(p, "dump") || !strcmp(p, "prealloc") || !strcmp(p, "share") ||
		 !strcmp(p, "reserve"))
		sb_puts(json, (p[0] == 'm' ? be->merge : p[0] == 'd' ? be->dump : p[0] == 'p' ? be->prealloc
			       : p[1] == 'h' ? be->share : be->reserve) ? "true" : "false");
	else if (!strcmp(p, "policy"))
		json_string(json, be->policy);
	else if (!strcmp(p, "prealloc-threads"))
		/* host_memory_backend_init(): the machine's CPUs unless set */
		sb_printf(json, "%u", be->prealloc_threads ? be->prealloc_threads : (unsigned int)m->cfg.smp);
	else if (!strcmp(p, "host-nodes"))
		backend_host_nodes_json(be, json);
	else if (!strcmp(p, "x-use-canonical-path-for-ramblock-id"))
		sb_puts(json, be->canonical_path ? "true" : "false");
	else if (!strcmp(p, "prealloc-context"))
		json_string(json, "");
	else
		return -1;
	return 0;
}

static int dimm_get(const struct dimm *d, const char *p, struct sbuf *json, struct sbuf *err)
{
	if (!strcmp(p, "type"))
		json_string(json, d->nvdimm ? "nvdimm" : "pc-dimm");
	else if (d->nvdimm && !strcmp(p, "label-size"))
		sb_printf(json, "%" PRIu64, d->label_size);
	else if (d->nvdimm && !strcmp(p, "unarmed"))
		sb_puts(json, d->unarmed ? "true" : "false");
	else if (!strcmp(p, "parent_bus"))
		json_string(json, "");	/* a DIMM sits on no bus */
	else if (!strcmp(p, "realized") || !strcmp(p, "hotpluggable"))
		sb_puts(json, "true");
	else if (!strcmp(p, "hotplugged"))
		sb_puts(json, d->hotplugged ? "true" : "false");
	else if (!strcmp(p, "memdev"))
		sb_printf(json, "\"/objects/%s\"", d->be->id);
	else if (!strcmp(p, "node"))
		sb_printf(json, "%d", d->node);
	else if (!strcmp(p, "addr"))
		sb_printf(json, "%" PRIu64, d->addr);
	else if (!strcmp(p, "slot"))
		sb_printf(json, "%d", d->slot);
	else if (!strcmp(p, "size"))
		sb_printf(json, "%" PRIu64, d->size);
	else if (!strcmp(p, "legacy-memdev")) {
		sb_puts(err, "Property 'pc-dimm.legacy-memdev' is not readable");
		return -2;
	} else
		return -1;
	return 0;
}

static int vmem_get(const struct vmem_dev *v, const char *p, struct sbuf *json)
{
	if (!strcmp(p, "type"))
		json_string(json, "virtio-mem-pci");
	else if (!strcmp(p, "requested-size"))
		sb_printf(json, "%" PRIu64, v->requested_size);
	else if (!strcmp(p, "size"))
		sb_printf(json, "%" PRIu64, v->size);
	else if (!strcmp(p, "block-size"))
		sb_printf(json, "%" PRIu64, v->block_size);
	else if (!strcmp(p, "memdev"))
		sb_printf(json, "\"/objects/%s\"", v->be->id);
	else if (!strcmp(p, "node"))
		sb_printf(json, "%u", v->node);
	else if (!strcmp(p, "addr"))
		sb_printf(json, "%" PRIu64, v->addr);
	else if (vmem_qom_has_prop(p))
		return -3;
	else
		return -1;
	return 0;
}

int qmp_qom_get(struct machine *m, const char *path, const char *prop, struct sbuf *json, struct sbuf *err)
{
	struct qom_obj o;
	int r = -1;

	if (!resolve(m, path, &o))
		return not_found(path, err);
	switch (o.kind) {
	case OBJ_BACKEND:
		r = backend_get(m, o.be, prop, json);
		break;
	case OBJ_DIMM:
		r = dimm_get(o.d, prop, json, err);
		break;
	case OBJ_VMEM:
		r = vmem_get(o.v, prop, json);
		break;
	case OBJ_CONTAINER:
		if (!strcmp(prop, "type")) {
			json_string(json, strcmp(o.container, "/machine") ? "container" : "pc-i440fx-7.2-machine");
			r = 0;
		} else if (!strcmp(o.container, "/machine")) {
			r = -3;	/* the machine's own properties are not modelled */
		}
		break;
	default:
		break;
	}
	if (r == -2)
		return -QMP_ERROR_GENERIC;
	if (r == -3) {
		sb_printf(err, "memhp: qom-get of %s's '%s' is not modelled", type_name(&o), prop);
		return -QMP_ERROR_GENERIC;
	}
	if (r)
		return no_property(&o, prop, err);
	return 0;
}

static void list_props(struct sbuf *json, const struct qom_prop *p, size_t n, bool *first)
{
	for (size_t i = 0; i < n; i++) {
		sb_printf(json, "%s{\"name\": ", *first ? "" : ", ");
		json_string(json, p[i].name);
		sb_puts(json, ", \"type\": ");
		json_string(json, p[i].type);
		sb_putc(json, '}');
		*first = false;
	}
}

static void list_child(struct sbuf *json, const char *name, const char *type, bool *first)
{
	struct sbuf t = SBUF_INIT;

	sb_printf(&t, "child<%s>", type);
	struct qom_prop p = { name, sb_str(&t) };
	list_props(json, &p, 1, first);
	sb_free(&t);
}

int qmp_qom_list(struct machine *m, const char *path, struct sbuf *json, struct sbuf *err)
{
	struct qom_obj o;
	bool first = true;
	static const struct qom_prop type_only = { "type", "string" };

	if (!resolve(m, path, &o))
		return not_found(path, err);
	sb_putc(json, '[');
	switch (o.kind) {
	case OBJ_BACKEND:
		list_props(json, backend_props, ARRAY_LEN(backend_props), &first);
		/* the RAM region is the backend's child, named after it */
		sb_printf(json, ", {\"name\": \"%s[0]\", \"type\": \"child<memory-region>\"}", o.be->id);
		break;
	case OBJ_DIMM:
		if (o.d->nvdimm)
			goto unmodelled;	/* the nvdimm's own properties and their order were not recorded */
		list_props(json, dimm_props, ARRAY_LEN(dimm_props), &first);
		break;
	case OBJ_VMEM:
		list_props(json, vmem_qom_props, vmem_qom_nprops, &first);
		break;
	case OBJ_CONTAINER:
		list_props(json, &type_only, 1, &first);
		if (!strcmp(o.container, "/")) {
			/* the root's children in QEMU 7.2's order (tests/qemu/recorded-virtio-mem.txt) */
			list_child(json, "backend", "container", &first);
			list_child(json, "objects", "container", &first);
			list_child(json, "machine", "pc-i440fx-7.2-machine", &first);
			list_child(json, "chardevs", "container", &first);
		} else if (!strcmp(o.container, "/objects")) {
			/* qmp_qom_list() prepends: the table's order reversed, as query-memdev */
			size_t n;
			struct backend **v = backends_query_order(m, &n);

			for (size_t i = 0; i < n; i++)
				list_child(json, v[i]->id, "memory-backend-ram", &first);
			free(v);
		} else if (strcmp(o.container, "/machine/peripheral")) {
			sb_free(json);
			sb_printf(err, "memhp: qom-list of %s is not modelled", o.container);
			return -QMP_ERROR_GENERIC;
		} else {
			for (int i = 0; i < ACPI_MAX_RAM_SLOTS; i++)
				if (m->slot[i] && m->slot[i]->id)
					list_child(json, m->slot[i]->id, m->slot[i]->nvdimm ? "nvdimm" : "pc-dimm",
						   &first);
			for (int i = 0; i < m->nr_vmem; i++)
				if (m->vmem[i]->id)
					list_child(json, m->vmem[i]->id, "virtio-mem-pci", &first);
		}
		break;
	default:
	unmodelled:
		sb_free(json);
		sb_printf(err, "memhp: qom-list of a %s is not modelled", type_name(&o));
		return -QMP_ERROR_GENERIC;
	}
	sb_putc(json, ']');
	return 0;
}

int qom_set_value(struct machine *m, const char *path, const char *prop, const struct qmp_arg *val, bool hmp,
		  struct sbuf *err)
{
	struct qom_obj o;
	struct sbuf scratch = SBUF_INIT;
	int r;

	if (!resolve(m, path, &o))
		return not_found(path, err);
	switch (o.kind) {
	case OBJ_BACKEND:
		if (backend_get(m, o.be, prop, &scratch)) {
			sb_free(&scratch);
			return no_property(&o, prop, err);
		}
		sb_free(&scratch);
		return qom_backend_set(m, o.be, prop, val, hmp, err);
	case OBJ_DIMM:
		r = dimm_get(o.d, prop, &scratch, &scratch);
		sb_free(&scratch);
		if (r == -1)
			return no_property(&o, prop, err);
		return qom_dimm_set(m, o.d, prop, val, hmp, err);
	case OBJ_VMEM: {
		struct sbuf out = SBUF_INIT;
		char num[32];
		const char *text;

		r = vmem_get(o.v, prop, &scratch);
		sb_free(&scratch);
		if (r == -1)
			return no_property(&o, prop, err);
		r = qom_vmem_set(m, o.v, prop, val, hmp, err);
		if (r <= 0)
			return r;
		if (val->type == QMP_ARG_INT || val->type == QMP_ARG_UINT) {
			snprintf(num, sizeof(num), "%llu",
				 val->type == QMP_ARG_UINT ? val->u : (unsigned long long)val->i);
			text = num;
		} else if (hmp) {
			text = val->str;	/* HMP's string: sizes with suffixes */
		} else {
			sb_printf(err, "Parameter '%s' expects uint64", prop);
			return -QMP_ERROR_GENERIC;
		}
		r = vmem_qom_set(m, o.v->id ? o.v->id : o.v->path, prop, text, &out);
		if (r) {
			const char *s = sb_str(&out);

			if (!strncmp(s, "Error: ", 7))
				s += 7;
			sb_add(err, s, strcspn(s, "\n"));
			r = -QMP_ERROR_GENERIC;
		}
		sb_free(&out);
		return r;
	}
	default:
		if (!strcmp(prop, "type")) {
			sb_puts(err, "Property 'container.type' is not writable");
			return -QMP_ERROR_GENERIC;
		}
		return no_property(&o, prop, err);
	}
}

/*
 * query-acpi-ospm-status: every DIMM slot of the ACPI memory hotplug device
 * with the last _OST the guest reported for it (acpi_memory_ospm_status()).
 */
void qmp_query_acpi_ospm_status(struct machine *m, struct sbuf *json)
{
	sb_putc(json, '[');
	for (unsigned int i = 0; i < m->cfg.ram_slots; i++) {
		if (i)
			sb_puts(json, ", ");
		sb_putc(json, '{');
		/* an NVDIMM takes a slot number but is no device of the memory hotplug block */
		if (m->slot[i] && m->slot[i]->id && !m->slot[i]->nvdimm) {
			sb_puts(json, "\"device\": ");
			json_string(json, m->slot[i]->id);
			sb_puts(json, ", ");
		}
		sb_printf(json, "\"source\": %d, \"status\": %d, \"slot\": \"%u\", \"slot-type\": \"DIMM\"}",
			  m->ost_event[i], m->ost_status[i], i);
	}
	sb_putc(json, ']');
}

int qmp_qom_set(struct machine *m, const char *path, const char *prop, const struct qmp_arg *value,
		struct sbuf *err)
{
	return qom_set_value(m, path, prop, value, false, err);
}
