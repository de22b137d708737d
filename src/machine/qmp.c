// SPDX-License-Identifier: MIT
/*
 * The machine's QMP commands: object-add, object-del, device_add,
 * device_del and the memory queries, with typed arguments.
 *
 * QEMU 7.2 visits object-add's arguments with the QObject input visitor
 * (strict JSON types: "size" must be a number, "merge" a boolean), while
 * device_add turns its dictionary into QemuOpts (every scalar becomes a
 * string). Both end in the same code as the human monitor: the backend and
 * pc-dimm property parsers (backend.c, dimm.c), so the messages are the
 * ones HMP prints, without the "Error: " in front.
 */
#include <inttypes.h>
#include "../lib/alloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine_internal.h"

const char *qmp_error_class_name(int qmp_error)
{
	switch (qmp_error < 0 ? -qmp_error : qmp_error) {
	case QMP_ERROR_COMMAND_NOT_FOUND:
		return "CommandNotFound";
	case QMP_ERROR_DEVICE_NOT_FOUND:
		return "DeviceNotFound";
	default:
		return "GenericError";
	}
}

/* QemuOpts text: a ',' inside a key or value is written ",," */
static void opts_escape(struct sbuf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == ',')
			sb_putc(b, ',');
		sb_putc(b, *s);
	}
}

/* A scalar as QemuOpts sees it (qemu_opts_from_qdict_entry()); false for lists, objects, null. */
static bool arg_to_opt(struct sbuf *b, const struct qmp_arg *a)
{
	char num[64];

	switch (a->type) {
	case QMP_ARG_STR:
		opts_escape(b, a->str ? a->str : "");
		return true;
	case QMP_ARG_INT:
		sb_printf(b, "%lld", a->i);
		return true;
	case QMP_ARG_UINT:
		sb_printf(b, "%llu", a->u);
		return true;
	case QMP_ARG_BOOL:
		sb_puts(b, a->b ? "on" : "off");
		return true;
	case QMP_ARG_NUMBER:
		snprintf(num, sizeof(num), "%.17g", a->d);
		sb_puts(b, num);
		return true;
	default:
		return false;
	}
}

/*
 * "Error: MESSAGE\n[HINT\n]" from the HMP-shaped internals -> MESSAGE, and its
 * class: QEMU raises DeviceNotFound for an unknown device or link target.
 */
static int take_error(const struct sbuf *out, struct sbuf *err)
{
	const char *s = sb_str(out);
	size_t len;

	if (!strncmp(s, "Error: ", 7))
		s += 7;
	/* the first line: QMP's desc leaves out the hint HMP prints below it */
	len = strcspn(s, "\n");
	sb_add(err, s, len);
	if (len >= 19 && !strncmp(s, "Device '", 8) && !strncmp(s + len - 11, "' not found", 11))
		return -QMP_ERROR_DEVICE_NOT_FOUND;
	return -QMP_ERROR_GENERIC;
}

/* ---- object-add / object-del ---- */

/* A shared error in QMP's desc: its first line (the hint HMP prints below is left out) */
static int first_line(struct sbuf *err)
{
	char *nl = strchr(err->s ? err->s : "", '\n');

	if (nl) {
		*nl = 0;
		err->len = (size_t)(nl - err->s);
	}
	return -QMP_ERROR_GENERIC;
}

enum prop_kind { K_BOOL, K_U32, K_U64, K_STR, K_LIST };

/* MemoryBackendProperties in QAPI's visit order (as backend.c), with their JSON types */
static const struct {
	const char *name;
	enum prop_kind kind;
} backend_props[] = {
	{ "dump", K_BOOL }, { "host-nodes", K_LIST }, { "merge", K_BOOL }, { "policy", K_STR },
	{ "prealloc", K_BOOL }, { "prealloc-threads", K_U32 }, { "prealloc-context", K_STR },
	{ "share", K_BOOL }, { "reserve", K_BOOL }, { "size", K_U64 },
	{ "x-use-canonical-path-for-ramblock-id", K_BOOL },
};

static const char *const kind_names[] = {
	[K_BOOL] = "boolean", [K_STR] = "string", [K_LIST] = "array",
};

static const struct qmp_arg *find_arg(const struct qmp_arg *args, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(args[i].key, key))
			return &args[i];
	return NULL;
}

/*
 * qobject_input_type_uint64(): an int64 or a uint64 (a negative int64 taken
 * modulo 2^64, for backward compatibility); a double, a string or anything
 * else "expects uint64".
 */
static bool arg_uint64(const struct qmp_arg *a, unsigned long long *v)
{
	if (a->type == QMP_ARG_UINT)
		*v = a->u;
	else if (a->type == QMP_ARG_INT)
		*v = (unsigned long long)a->i;
	else
		return false;
	return true;
}

/* a uint16 list's elements (host-nodes), as the visitor reads each */
static int list_check(const char *name, const char *text, struct sbuf *err)
{
	for (int i = 0; *text; i++) {
		char *end;
		unsigned long v = strtoul(text, &end, 10);

		if (*text == 'x') {
			sb_printf(err, "Parameter '%s[%d]' expects uint64", name, i);
			return -QMP_ERROR_GENERIC;
		}
		if (v > 0xffff) {
			/* QEMU 7.2 names no parameter here: visit_type_uint16() gets the element's NULL name */
			sb_puts(err, "Parameter 'null' expects uint16_t");
			return -QMP_ERROR_GENERIC;
		}
		text = *end ? end + 1 : end;
	}
	return 0;
}

/* The visitor's message for a wrong value, or 0 */
static int kind_check(enum prop_kind k, const char *name, const struct qmp_arg *a, struct sbuf *err)
{
	unsigned long long v;
	bool ok;

	switch (k) {
	case K_U32:	/* visit_type_uint32(): a uint64, then its range */
	case K_U64:
		if (!arg_uint64(a, &v)) {
			sb_printf(err, "Parameter '%s' expects uint64", name);
			return -QMP_ERROR_GENERIC;
		}
		if (k == K_U32 && v > 0xffffffffULL) {
			sb_printf(err, "Parameter '%s' expects uint32_t", name);
			return -QMP_ERROR_GENERIC;
		}
		return 0;
	case K_BOOL:
		ok = a->type == QMP_ARG_BOOL;
		break;
	case K_STR:
		ok = a->type == QMP_ARG_STR;
		break;
	case K_LIST:
	default:
		ok = a->type == QMP_ARG_LIST;
		if (ok)
			return list_check(name, a->str, err);
		break;
	}
	if (ok)
		return 0;
	sb_printf(err, "Invalid parameter type for '%s', expected: %s", name, kind_names[k]);
	return -QMP_ERROR_GENERIC;
}

/* The qom-type and id members: present strings */
static int want_string(const struct qmp_arg *args, size_t n, const char *key, const char **val,
		       struct sbuf *err)
{
	const struct qmp_arg *a = find_arg(args, n, key);

	if (!a) {
		sb_printf(err, "Parameter '%s' is missing", key);
		return -QMP_ERROR_GENERIC;
	}
	if (a->type != QMP_ARG_STR) {
		sb_printf(err, "Invalid parameter type for '%s', expected: string", key);
		return -QMP_ERROR_GENERIC;
	}
	*val = a->str;
	return 0;
}

int qmp_object_add(struct machine *m, const struct qmp_arg *args, size_t n, struct sbuf *err)
{
	struct sbuf text = SBUF_INIT;
	const char *type, *id;
	int ret;

	ret = want_string(args, n, "qom-type", &type, err);
	if (!ret)
		ret = want_string(args, n, "id", &id, err);
	if (ret)
		return ret;
	opts_escape(&text, type);
	sb_puts(&text, ",id=");
	opts_escape(&text, id);
	if (!strcmp(type, "memory-backend-ram")) {
		/* strict JSON types, in visit order */
		for (size_t p = 0; p < sizeof(backend_props) / sizeof(backend_props[0]); p++) {
			const struct qmp_arg *a = find_arg(args, n, backend_props[p].name);

			if (!a)
				continue;
			ret = kind_check(backend_props[p].kind, backend_props[p].name, a, err);
			if (ret) {
				sb_free(&text);
				return ret;
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(args[i].key, "qom-type") || !strcmp(args[i].key, "id"))
			continue;
		if (args[i].type == QMP_ARG_LIST) {
			/* the keyval form of a list: KEY.0=N,KEY.1=M */
			const char *e = args[i].str;

			for (int k = 0; *e; k++) {
				size_t len = strcspn(e, ",");

				sb_putc(&text, ',');
				opts_escape(&text, args[i].key);
				sb_printf(&text, ".%d=%.*s", k, (int)len, e);
				e += len + (e[len] == ',');
			}
			continue;
		}
		sb_putc(&text, ',');
		opts_escape(&text, args[i].key);
		unsigned long long v;

		if (!strcmp(args[i].key, "size") && arg_uint64(&args[i], &v)) {
			/* a uint64: the visitor takes a negative number modulo 2^64 */
			sb_printf(&text, "=%llu", v);
			continue;
		}
		sb_putc(&text, '=');
		arg_to_opt(&text, &args[i]);
	}

	/* from here as HMP's object_add */
	ret = user_creatable_add_opts(m, sb_str(&text), err);
	sb_free(&text);
	return ret ? first_line(err) : 0;
}

int qmp_object_del(struct machine *m, const char *id, struct sbuf *err)
{
	return user_creatable_del(m, id, err) ? first_line(err) : 0;
}

/* ---- device_add / device_del ---- */

int qmp_device_add(struct machine *m, const struct qmp_arg *args, size_t n, struct sbuf *err)
{
	struct sbuf text = SBUF_INIT, out = SBUF_INIT;
	const struct qmp_arg *drv = find_arg(args, n, "driver");
	int ret = 0;

	/* qemu_opts_from_qdict(): the driver first, then the others as given */
	if (drv && drv->type != QMP_ARG_OTHER && drv->type != QMP_ARG_LIST && drv->type != QMP_ARG_NULL) {
		sb_puts(&text, "driver=");
		arg_to_opt(&text, drv);
	}
	for (size_t i = 0; i < n; i++) {
		struct sbuf v = SBUF_INIT;

		if (&args[i] == drv)
			continue;
		if (!arg_to_opt(&v, &args[i])) {	/* lists, objects, null: ignored */
			sb_free(&v);
			continue;
		}
		if (text.len)
			sb_putc(&text, ',');
		opts_escape(&text, args[i].key);
		sb_putc(&text, '=');
		sb_puts(&text, sb_str(&v));
		sb_free(&v);
	}
	if (dimm_device_add(m, sb_str(&text), &out))
		ret = take_error(&out, err);
	sb_free(&text);
	sb_free(&out);
	return ret;
}

int qmp_device_del(struct machine *m, const char *id, struct sbuf *err)
{
	struct sbuf out = SBUF_INIT;
	int ret = 0;

	if (dimm_device_del(m, id ? id : "", &out))
		ret = take_error(&out, err);
	sb_free(&out);
	return ret;
}

/* ---- queries ---- */

static char *qmp_strdup(const char *s)
{
	char *d = mh_strdup(s ? s : "");

	if (!d)
		out_of_memory(ALLOC_WHERE, 0);
	return d;
}

int qmp_query_memory_devices(struct machine *m, struct qmp_dimm_info **list, size_t *count)
{
	struct dimm **v;
	int n = dimm_list_sorted(m, &v);
	struct qmp_dimm_info *out = mh_calloc((size_t)n + 1, sizeof(*out));

	if (!out)
		out_of_memory(ALLOC_WHERE, 0);
	for (int i = 0; i < n; i++) {
		struct sbuf p = SBUF_INIT;

		out[i].id = v[i]->id ? qmp_strdup(v[i]->id) : NULL;
		out[i].addr = v[i]->addr;
		out[i].size = v[i]->size;
		out[i].slot = v[i]->slot;
		out[i].node = v[i]->node;
		sb_printf(&p, "/objects/%s", v[i]->be->id);
		out[i].memdev = sb_detach(&p);
		out[i].hotplugged = v[i]->hotplugged;
		out[i].hotpluggable = true;
	}
	free(v);
	*list = out;
	*count = (size_t)n;
	return 0;
}

void qmp_free_memory_devices(struct qmp_dimm_info *list, size_t n)
{
	for (size_t i = 0; list && i < n; i++) {
		free(list[i].id);
		free(list[i].memdev);
	}
	free(list);
}

int qmp_query_memdev(struct machine *m, struct qmp_memdev_info **list, size_t *count)
{
	size_t n;
	struct backend **v = backends_query_order(m, &n);
	struct qmp_memdev_info *out = mh_calloc(n + 1, sizeof(*out));

	if (!out)
		out_of_memory(ALLOC_WHERE, 0);
	for (size_t i = 0; i < n; i++) {
		const struct backend *be = v[i];

		out[i].id = qmp_strdup(be->id);
		out[i].size = be->size;
		out[i].merge = be->merge;
		out[i].dump = be->dump;
		out[i].prealloc = be->prealloc;
		out[i].share = be->share;
		out[i].reserve = be->reserve;
		snprintf(out[i].policy, sizeof(out[i].policy), "%s", be->policy);
		memcpy(out[i].host_nodes, be->host_nodes, sizeof(out[i].host_nodes));
	}
	*list = out;
	*count = n;
	free(v);
	return 0;
}

void qmp_free_memdev(struct qmp_memdev_info *list, size_t n)
{
	for (size_t i = 0; list && i < n; i++)
		free(list[i].id);
	free(list);
}

void qmp_query_memory_size_summary(struct machine *m, uint64_t *base, uint64_t *plugged, bool *has_plugged)
{
	*base = m->cfg.ram_size;
	*plugged = get_plugged_memory_size(m, -1);
	/* QEMU reports plugged-memory only when the machine has a device-memory region */
	*has_plugged = m->lay.devmem_size != 0;
}

/* a QOM id in JSON (ids are identifiers: letters, digits, '-', '.', '_') */
static void json_id(struct sbuf *b, const char *key, const char *id)
{
	if (id)
		sb_printf(b, ", \"%s\": \"%s\"", key, id);
}

/*
 * query-memory-devices: DIMMs and virtio-mem devices by address, as
 * qmp_memory_device_list() sorts them, each in QEMU 7.2's member order.
 */
void qmp_query_memory_devices_json(struct machine *m, struct sbuf *json)
{
	struct memory_device *list;
	int n = memory_device_list(m, &list);

	sb_putc(json, '[');
	for (int i = 0; i < n; i++) {
		const struct vmem_dev *v = list[i].vmem;
		const struct dimm *d = list[i].dimm;

		if (v)
			sb_printf(json, "%s{\"type\": \"virtio-mem\", \"data\": {\"memdev\": \"/objects/%s\", "
				  "\"memaddr\": %" PRIu64 ", \"block-size\": %" PRIu64 ", \"size\": %" PRIu64
				  ", \"node\": %u, \"max-size\": %" PRIu64 ", \"requested-size\": %" PRIu64,
				  i ? ", " : "", v->be->id, v->addr, v->block_size, v->size, v->node, v->be->size,
				  v->requested_size);
		else
			sb_printf(json, "%s{\"type\": \"%s\", \"data\": {\"memdev\": \"/objects/%s\", "
				  "\"hotplugged\": %s, \"addr\": %" PRIu64 ", \"hotpluggable\": true, \"size\": %" PRIu64
				  ", \"slot\": %d, \"node\": %d", i ? ", " : "", d->nvdimm ? "nvdimm" : "dimm", d->be->id,
				  d->hotplugged ? "true" : "false", d->addr, d->size, d->slot, d->node);
		json_id(json, "id", list[i].id);
		sb_puts(json, "}}");
	}
	sb_putc(json, ']');
	free(list);
}
