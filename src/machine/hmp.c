// SPDX-License-Identifier: MIT
/*
 * The human monitor: the memory-related subset of QEMU 7.2's HMP, with its
 * argument parsing quirks (object_add takes the rest of the line, the others
 * one word; extra words are refused) and its exact output.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine_internal.h"
#include "../lib/alloc.h"
#include "hmp_help.h"

static const char *skip_space(const char *p)
{
	while (*p && isspace((unsigned char)*p))
		p++;
	return p;
}

/*
 * get_str(): one word, or a double-quoted string with C escapes.
 * Returns NULL (and prints) when the word is missing or malformed.
 */
static char *get_word(const char **pp, const char *cmd, struct sbuf *out)
{
	const char *p = skip_space(*pp);
	struct sbuf b = SBUF_INIT;

	if (!*p) {
		sb_printf(out, "%s: string expected\n", cmd);
		return NULL;
	}
	sb_add(&b, "", 0);
	if (*p == '"') {
		p++;
		while (*p && *p != '"') {
			if (*p == '\\' && p[1]) {
				p++;
				switch (*p) {
				case 'n': sb_putc(&b, '\n'); break;
				case 'r': sb_putc(&b, '\r'); break;
				case '\\': case '\'': case '"': sb_putc(&b, *p); break;
				default:
					sb_printf(out, "unsupported escape code: '\\%c'\n", *p);
					sb_free(&b);
					return NULL;
				}
				p++;
			} else {
				sb_putc(&b, *p++);
			}
		}
		if (*p != '"') {
			sb_puts(out, "unterminated string\n");
			sb_free(&b);
			return NULL;
		}
		p++;
	} else {
		while (*p && !isspace((unsigned char)*p))
			sb_putc(&b, *p++);
	}
	*pp = p;
	return sb_detach(&b);
}

static void try_help(struct sbuf *out, const char *cmd)
{
	sb_printf(out, "Try \"help %s\" for more information\n", cmd);
}

/* nothing may follow the arguments */
static bool at_end(const char *p, const char *name, const char *help, struct sbuf *out)
{
	if (*skip_space(p)) {
		sb_printf(out, "%s: extraneous characters at the end of line\n", name);
		try_help(out, help);
		return false;
	}
	return true;
}

/* ---- object_add / object_del ---- */

/* hmp_handle_error(): "Error: " and the message when ret says it failed; frees e */
static int handle_error(struct sbuf *out, int ret, struct sbuf *e)
{
	if (ret)
		sb_printf(out, "Error: %s\n", sb_str(e));
	sb_free(e);
	return ret;
}

static int hmp_object_add(struct machine *m, const char *args, struct sbuf *out)
{
	struct sbuf e = SBUF_INIT;
	const char *text = skip_space(args);

	if (!*text) {
		sb_puts(out, "object_add: string expected\n");
		try_help(out, "object_add");
		return -1;
	}
	if (hmp_object_add_help(text, out))
		return 0;
	return handle_error(out, user_creatable_add_opts(m, text, &e), &e);
}

static int hmp_object_del(struct machine *m, const char *args, struct sbuf *out)
{
	const char *p = args;
	char *id = get_word(&p, "object_del", out);
	struct sbuf e = SBUF_INIT;
	int ret = -1;

	if (!id) {
		try_help(out, "object_del");
		return -1;
	}
	if (at_end(p, "object_del", "object_del", out))
		ret = handle_error(out, user_creatable_del(m, id, &e), &e);
	free(id);
	return ret;
}

/* ---- device_add / device_del ---- */

static int hmp_device_add(struct machine *m, const char *args, struct sbuf *out)
{
	const char *p = skip_space(args);
	char *word = NULL;
	int ret;

	if (*p) {
		word = get_word(&p, "device_add", out);
		if (!word) {
			try_help(out, "device_add");
			return -1;
		}
		if (!at_end(p, "device_add", "device_add", out)) {
			free(word);
			return -1;
		}
	}
	if (word && hmp_device_add_help(word, out)) {
		free(word);
		return 0;
	}
	ret = dimm_device_add(m, word ? word : "", out);
	free(word);
	return ret;
}

static int hmp_device_del(struct machine *m, const char *args, struct sbuf *out)
{
	const char *p = args;
	char *id = get_word(&p, "device_del", out);
	int ret = -1;

	if (!id) {
		try_help(out, "device_del");
		return -1;
	}
	if (at_end(p, "device_del", "device_del", out))
		ret = dimm_device_del(m, id, out);
	free(id);
	return ret;
}

/* ---- qom-get / qom-set / qom-list (hmp_qom_get(), hmp_qom_set(), hmp_qom_list()) ---- */

static void print_error(struct sbuf *out, const struct sbuf *err)
{
	sb_printf(out, "Error: %s\n", sb_str(err));
}

/*
 * qobject_to_json_pretty() of a scalar or a list of scalars (host-nodes), as
 * qom-get prints it: one element a line, indented by four
 */
static void print_pretty(struct sbuf *out, const char *json)
{
	const char *p = json + 1;

	if (json[0] != '[') {
		sb_printf(out, "%s\n", json);
		return;
	}
	sb_puts(out, "[\n");
	while (*p && *p != ']') {
		size_t n = strcspn(p, ",]");

		sb_printf(out, "    %.*s%s\n", (int)n, p, p[n] == ',' ? "," : "");
		p += n + (p[n] == ',');
		p += strspn(p, " ");
	}
	sb_puts(out, "]\n");
}

static int hmp_qom_get(struct machine *m, const char *args, struct sbuf *out)
{
	const char *p = args;
	char *path = NULL, *prop = NULL;
	struct sbuf json = SBUF_INIT, err = SBUF_INIT;
	int ret = -1;

	path = get_word(&p, "qom-get", out);
	if (path)
		prop = get_word(&p, "qom-get", out);
	if (!prop)
		try_help(out, "qom-get");
	else if (at_end(p, "qom-get", "qom-get", out)) {
		ret = qmp_qom_get(m, path, prop, &json, &err);
		if (ret)
			print_error(out, &err);
		else
			print_pretty(out, sb_str(&json));
	}
	free(path);
	free(prop);
	sb_free(&json);
	sb_free(&err);
	return ret ? -1 : 0;
}

static int hmp_qom_list(struct machine *m, const char *args, struct sbuf *out)
{
	const char *p = skip_space(args);
	char *path = NULL;
	struct sbuf json = SBUF_INIT, err = SBUF_INIT;
	int ret = 0;

	if (!*p) {
		/* the path is optional and its absence answers the root's name */
		sb_puts(out, "/\n");
		return 0;
	}
	path = get_word(&p, "qom-list", out);
	if (!path) {
		try_help(out, "qom-list");
		return -1;
	}
	if (!at_end(p, "qom-list", "qom-list", out)) {
		free(path);
		return -1;
	}
	ret = qmp_qom_list(m, path, &json, &err);
	if (ret) {
		print_error(out, &err);
	} else {
		/* "NAME (TYPE)" per entry: the JSON array's objects, in its order */
		const char *s = sb_str(&json);

		while ((s = strstr(s, "{\"name\": \""))) {
			const char *name = s + 10, *name_end = strchr(name, '"');
			const char *type = strstr(name_end, "\"type\": \"") + 9, *type_end = strchr(type, '"');

			sb_printf(out, "%.*s (%.*s)\n", (int)(name_end - name), name, (int)(type_end - type), type);
			s = type_end;
		}
	}
	free(path);
	sb_free(&json);
	sb_free(&err);
	return ret ? -1 : 0;
}

/* qom-set -j: a JSON scalar (true, false, an integer, a string) */
static int json_scalar(const char *text, struct qmp_arg *a, struct sbuf *err)
{
	char *end;

	if (!strcmp(text, "true") || !strcmp(text, "false")) {
		a->type = QMP_ARG_BOOL;
		a->b = text[0] == 't';
		return 0;
	}
	if (text[0] == '"' && strlen(text) >= 2 && text[strlen(text) - 1] == '"') {
		a->type = QMP_ARG_STR;
		a->str = text + 1;	/* caller trims the closing quote */
		return 0;
	}
	a->type = QMP_ARG_INT;
	errno = 0;
	a->i = strtoll(text, &end, 10);
	if (errno == ERANGE && text[0] != '-') {
		/* parse_literal(): an integer beyond int64 is a uint64 if it fits */
		errno = 0;
		a->type = QMP_ARG_UINT;
		a->u = strtoull(text, &end, 10);
	}
	if (!*text || *end || errno == ERANGE) {
		sb_puts(err, "memhp: qom-set -j takes a JSON boolean, integer or string");
		return -1;
	}
	return 0;
}

static int hmp_qom_set(struct machine *m, const char *args, struct sbuf *out)
{
	const char *p = skip_space(args);
	char *path = NULL, *prop = NULL, *value = NULL;
	struct sbuf err = SBUF_INIT;
	struct qmp_arg a = { .key = "value", .type = QMP_ARG_STR };
	bool json = false;
	int ret = -1;

	if (!strncmp(p, "-j", 2) && (!p[2] || p[2] == ' ' || p[2] == '\t')) {
		json = true;
		p += 2;
	}
	path = get_word(&p, "qom-set", out);
	if (path)
		prop = get_word(&p, "qom-set", out);
	if (prop) {
		/* the value is the rest of the line (an 'S' argument) */
		p = skip_space(p);
		if (*p)
			value = xstrdup(p);
		else
			sb_puts(out, "qom-set: string expected\n");
	}
	if (!value) {
		try_help(out, "qom-set");
		goto out;
	}
	if (json) {
		if (json_scalar(value, &a, &err)) {
			print_error(out, &err);
			goto out;
		}
		if (a.type == QMP_ARG_STR)
			value[strlen(value) - 1] = 0;
	} else {
		a.str = value;
	}
	ret = qom_set_value(m, path, prop, &a, !json, &err);
	if (ret) {
		print_error(out, &err);
		ret = -1;
	}
out:
	free(path);
	free(prop);
	free(value);
	sb_free(&err);
	return ret;
}

/* ---- info ---- */

static void hmp_info_memdev(struct machine *m, struct sbuf *out)
{
	size_t n;
	struct backend **v = backends_query_order(m, &n);

	for (size_t i = 0; i < n; i++) {
		const struct backend *be = v[i];

		sb_printf(out, "memory backend: %s\n", be->id);
		sb_printf(out, "  size:  %" PRIu64 "\n", be->size);
		sb_printf(out, "  merge: %s\n", be->merge ? "true" : "false");
		sb_printf(out, "  dump: %s\n", be->dump ? "true" : "false");
		sb_printf(out, "  prealloc: %s\n", be->prealloc ? "true" : "false");
		sb_printf(out, "  share: %s\n", be->share ? "true" : "false");
		sb_printf(out, "  reserve: %s\n", be->reserve ? "true" : "false");
		sb_printf(out, "  policy: %s\n", be->policy);
		sb_puts(out, "  host nodes: ");
		backend_host_nodes_ranges(be, out);
		sb_putc(out, '\n');
	}
	sb_puts(out, "\n");
	free(v);
}

static void hmp_info_memory_devices(struct machine *m, struct sbuf *out)
{
	struct memory_device *list;
	int n = memory_device_list(m, &list);

	for (int i = 0; i < n; i++) {
		const struct dimm *d = list[i].dimm;

		if (!d) {
			vmem_info(list[i].vmem, out);
			continue;
		}

		sb_printf(out, "Memory device [%s]: \"%s\"\n", d->nvdimm ? "nvdimm" : "dimm", d->id ? d->id : "");
		sb_printf(out, "  addr: 0x%" PRIx64 "\n", d->addr);
		sb_printf(out, "  slot: %d\n", d->slot);
		sb_printf(out, "  node: %d\n", d->node);
		sb_printf(out, "  size: %" PRIu64 "\n", d->size);
		sb_printf(out, "  memdev: /objects/%s\n", d->be->id);
		sb_printf(out, "  hotplugged: %s\n", d->hotplugged ? "true" : "false");
		sb_puts(out, "  hotpluggable: true\n");
	}
	free(list);
}

static void hmp_info_numa(struct machine *m, struct sbuf *out)
{
	int nodes = m->cfg.nr_nodes;

	sb_printf(out, "%d nodes\n", nodes);
	for (int i = 0; i < nodes; i++) {
		uint64_t plugged = get_plugged_memory_size(m, i);

		sb_printf(out, "node %d cpus:", i);
		for (int c = 0; c < m->cfg.smp; c++)
			if (m->cfg.cpu_node[c] == i)
				sb_printf(out, " %d", c);
		sb_puts(out, "\n");
		sb_printf(out, "node %d size: %" PRIu64 " MB\n", i, (m->cfg.node[i].mem + plugged) >> 20);
		sb_printf(out, "node %d plugged: %" PRIu64 " MB\n", i, plugged >> 20);
	}
}

static void hmp_info_memory_size_summary(struct machine *m, struct sbuf *out)
{
	sb_printf(out, "base memory: %" PRIu64 "\n", m->cfg.ram_size);
	sb_printf(out, "plugged memory: %" PRIu64 "\n", get_plugged_memory_size(m, -1));
}

static void hmp_info_version(struct machine *m, struct sbuf *out)
{
	(void)m;
	sb_printf(out, "%d.%d.%d%s\n", QEMU_MAJOR, QEMU_MINOR, QEMU_MICRO, QEMU_PACKAGE);
}

static void hmp_info_status(struct machine *m, struct sbuf *out)
{
	(void)m;
	sb_puts(out, "VM status: running\n");	/* the guest has booted */
}

static int hmp_info_balloon(struct machine *m, struct sbuf *out)
{
	(void)m;
	sb_puts(out, "Error: No balloon device has been activated\n");
	return -1;
}

static const struct {
	const char *name;
	void (*fn)(struct machine *m, struct sbuf *out);
} info_cmds[] = {
	{ "version", hmp_info_version },
	{ "status", hmp_info_status },
	{ "memdev", hmp_info_memdev },
	{ "memory-devices", hmp_info_memory_devices },
	{ "numa", hmp_info_numa },
	{ "memory_size_summary", hmp_info_memory_size_summary },
};

static int hmp_info(struct machine *m, const char *args, struct sbuf *out)
{
	const char *p = skip_space(args), *start = p;
	char name[64], help[80];
	size_t len;

	while (*p && !isspace((unsigned char)*p))
		p++;
	len = (size_t)(p - start);
	if (!len) {
		hmp_info_help(out);
		return 0;
	}
	if (len == 7 && !strncmp(start, "balloon", 7))
		return at_end(p, "balloon", "info balloon", out) ? hmp_info_balloon(m, out) : -1;
	for (size_t i = 0; i < sizeof(info_cmds) / sizeof(info_cmds[0]); i++) {
		if (strlen(info_cmds[i].name) != len || strncmp(info_cmds[i].name, start, len))
			continue;
		snprintf(name, sizeof(name), "%s", info_cmds[i].name);
		snprintf(help, sizeof(help), "info %s", info_cmds[i].name);
		if (!at_end(p, name, help, out))
			return -1;
		info_cmds[i].fn(m, out);
		return 0;
	}
	sb_printf(out, "unknown command: 'info %.*s'\n", (int)len, start);
	return -1;
}

int hmp_command(struct machine *m, const char *line, struct sbuf *out)
{
	const char *p, *start;
	size_t len;
	struct sbuf text = SBUF_INIT;
	int ret = 0;

	if (!m || !line)
		return -1;
	/* a trailing newline is the end of the line, not part of it */
	sb_add(&text, line, strlen(line));
	while (text.len && (text.s[text.len - 1] == '\n' || text.s[text.len - 1] == '\r'))
		text.s[--text.len] = 0;

	p = skip_space(sb_str(&text));
	start = p;
	while (*p && !isspace((unsigned char)*p))
		p++;
	len = (size_t)(p - start);
	if (!len)
		goto out;	/* an empty line does nothing */
#define IS(cmd) (len == strlen(cmd) && !strncmp(start, cmd, len))
	if (IS("object_add"))
		ret = hmp_object_add(m, p, out);
	else if (IS("object_del"))
		ret = hmp_object_del(m, p, out);
	else if (IS("device_add"))
		ret = hmp_device_add(m, p, out);
	else if (IS("device_del"))
		ret = hmp_device_del(m, p, out);
	else if (IS("qom-set"))
		ret = hmp_qom_set(m, p, out);
	else if (IS("qom-get"))
		ret = hmp_qom_get(m, p, out);
	else if (IS("qom-list"))
		ret = hmp_qom_list(m, p, out);
	else if (IS("quit") || IS("q")) {
		/* the server or shell that owns the machine ends it (machine_quit_requested()) */
		if (at_end(p, "quit", "quit", out))
			m->quit_requested = true;
		else
			ret = -1;
	} else if (IS("help") || IS("?"))
		hmp_help(p, out);
	else if (IS("info"))
		ret = hmp_info(m, p, out);
	else {
		sb_printf(out, "unknown command: '%.*s'\n", (int)len, start);
		ret = -1;
	}
#undef IS
out:
	sb_free(&text);
	return ret;
}

bool machine_quit_requested(const struct machine *m)
{
	return m && m->quit_requested;
}
