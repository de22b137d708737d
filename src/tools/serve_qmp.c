// SPDX-License-Identifier: MIT
/*
 * The QMP server of `memhp serve`: QEMU 7.2's JSON protocol on a unix
 * socket (docs/interop/qmp-spec), JSON by jansson.
 *
 *   S: {"QMP": {"version": {...}, "capabilities": ["oob"]}}
 *   C: {"execute": "qmp_capabilities"}          S: {"return": {}}
 *   C: {"execute": CMD, "arguments": {...}, "id": ID}
 *   S: {"return": ...,  "id": ID} or {"error": {"class": ..., "desc": ...}, "id": ID}
 *   S: {"timestamp": {"seconds": .., "microseconds": ..}, "event": NAME, "data": {...}}
 *
 * The input is a stream of JSON objects. It is cut into messages by
 * bracket depth (strings and escapes respected, like QEMU's json-streamer)
 * and each message is parsed by jansson (numbers beyond int64 hidden from
 * it, qmp_number.h); a message over 64 KiB is refused
 * and the input skipped to the next newline. Commands run under the
 * machine's lock; events raised meanwhile follow the reply.
 */
#include "serve.h"
#include "qmp_number.h"
#include "qmp_throttle.h"

#include <stdio.h>
#include <stdlib.h>

#ifndef MEMHP_HAVE_JANSSON

struct qmp_server *qmp_server_new(struct serve *s, const char *path)
{
	fprintf(stderr, "memhp serve: --qmp: built without jansson (Debian: libjansson-dev)\n");
	return NULL;
}
int qmp_server_start(struct qmp_server *q) { return -1; }
void qmp_server_stop(struct qmp_server *q) { }
void qmp_server_event(void *opaque, const char *event, const char *json_data) { }
void qmp_server_session(struct qmp_server *q, int fd, const char *input, size_t len) { }
void qmp_server_set_message_hook(struct qmp_server *q, qmp_message_hook fn, void *arg) { }

#else

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "memhp/memhp.h"
#include "../api/host.h"

#define QMP_MAX_MESSAGE		(64 * 1024)	/* bytes of one JSON message */
#define QMP_MAX_OUTPUT		(16 * 1024 * 1024)	/* unread output before a client is dropped */
#define QMP_MAX_CLIENTS		16


struct client {
	int fd;
	struct sbuf in, out;
	size_t out_off;
	bool negotiated, oob;
	bool discarding;	/* skipping an oversized message up to a newline */
	bool eof;
};

struct qmp_server {
	struct serve *s;
	char *path;
	int lfd;
	int wake[2];
	pthread_t thread;
	bool started;
	atomic_bool stop;
	bool quit;

	pthread_mutex_t ev_lock;
	struct sbuf events;	/* serialised events, one per line, not yet sent */
	struct qmp_throttle throttle;	/* rate-limited events held back (under ev_lock) */

	struct client *clients[QMP_MAX_CLIENTS];
	int nclients;

	qmp_message_hook message_hook;	/* qmp_server_session()'s, for the fuzzing harness */
	void *message_arg;
};

/* ---- output ---- */

static void client_send_json(struct client *c, json_t *obj)
{
	char *text = json_dumps(obj, JSON_ENCODE_ANY), *shown;

	if (!text)
		return;
	shown = qmp_numbers_show(text);	/* an "id" of the request that jansson could not hold */
	if (shown) {
		free(text);
		text = shown;
	}
	if (c->out.len - c->out_off < QMP_MAX_OUTPUT) {
		sb_puts(&c->out, text);
		sb_puts(&c->out, "\r\n");	/* QEMU ends each message with CRLF */
	} else {
		c->eof = true;	/* a client that reads nothing is dropped */
	}
	free(text);
}

static void client_flush(struct client *c)
{
	while (c->out_off < c->out.len) {
		ssize_t n = send(c->fd, c->out.s + c->out_off, c->out.len - c->out_off, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				c->eof = true;
			break;
		}
		c->out_off += (size_t)n;
	}
	if (c->out_off == c->out.len) {
		sb_reset(&c->out);
		c->out_off = 0;
	}
}

static json_t *error_obj(int cls, const char *desc)
{
	return json_pack("{s:{s:s,s:s}}", "error", "class", qmp_error_class_name(cls), "desc", desc);
}

/* {"return": ret} or {"error": ...}, then "id" if the request had one */
static void reply(struct client *c, json_t *rsp, json_t *id)
{
	if (id)
		json_object_set(rsp, "id", id);
	client_send_json(c, rsp);
	json_decref(rsp);
}

static void reply_error(struct client *c, int cls, const char *desc, json_t *id)
{
	reply(c, error_obj(cls, desc), id);
}

/* ---- events ---- */

/* QEMU_CLOCK_REALTIME, in ms, for the throttle windows */
static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void queue_held(void *opaque, const char *text)
{
	struct qmp_server *q = opaque;

	sb_puts(&q->events, text);
	sb_puts(&q->events, "\r\n");
	/* called before poll(): make it return at once to send this */
	if (write(q->wake[1], "e", 1) < 0) {
		/* the pipe is full: a wakeup is pending anyway */
	}
}

/* the held events whose window closed; ms until the next window closes, or -1 */
static int release_held(struct qmp_server *q)
{
	int64_t next;

	pthread_mutex_lock(&q->ev_lock);
	next = qmp_throttle_expire(&q->throttle, now_ms(), queue_held, q);
	pthread_mutex_unlock(&q->ev_lock);
	return next < 0 ? -1 : (int)next;
}

void qmp_server_event(void *opaque, const char *event, const char *json_data)
{
	struct qmp_server *q = opaque;
	struct timeval tv;
	json_error_t jerr;
	json_t *data = json_data ? json_loads(json_data, 0, &jerr) : NULL;
	json_t *ev;
	char *text;

	if (!q)
		return;
	gettimeofday(&tv, NULL);
	ev = json_pack("{s:{s:I,s:I},s:s}", "timestamp", "seconds", (json_int_t)tv.tv_sec,
		       "microseconds", (json_int_t)tv.tv_usec, "event", event);
	if (!ev) {
		json_decref(data);
		return;
	}
	if (data)
		json_object_set_new(ev, "data", data);
	text = json_dumps(ev, 0);
	json_decref(ev);
	if (!text)
		return;
	pthread_mutex_lock(&q->ev_lock);
	/* qapi_event_throttle_hash(): MEMORY_DEVICE_SIZE_CHANGE per qom-path */
	if (qmp_throttle_offer(&q->throttle, event, json_string_value(json_object_get(data, "qom-path")) ?: "",
			       text, now_ms())) {
		sb_puts(&q->events, text);
		sb_puts(&q->events, "\r\n");
	}
	pthread_mutex_unlock(&q->ev_lock);
	free(text);
	if (write(q->wake[1], "e", 1) < 0) {
		/* the pipe is full: a wakeup is pending anyway */
	}
}

/* pending events to every client past capabilities negotiation */
static void broadcast_events(struct qmp_server *q)
{
	struct sbuf ev = SBUF_INIT;

	pthread_mutex_lock(&q->ev_lock);
	ev = q->events;
	q->events = (struct sbuf)SBUF_INIT;
	pthread_mutex_unlock(&q->ev_lock);
	if (ev.len) {
		for (int i = 0; i < q->nclients; i++) {
			struct client *c = q->clients[i];

			if (c->negotiated && !c->eof && c->out.len - c->out_off < QMP_MAX_OUTPUT)
				sb_add(&c->out, ev.s, ev.len);
		}
	}
	sb_free(&ev);
}

/* ---- argument checking, as QAPI's input visitor does ---- */

enum arg_kind { A_STR, A_INT, A_BOOL, A_STRLIST };

struct argspec {
	const char *name;
	enum arg_kind kind;
	bool optional;
};

static const char *const kind_names[] = {
	[A_STR] = "string", [A_INT] = "integer", [A_BOOL] = "boolean", [A_STRLIST] = "array",
};

/* a string of the client's, not a hidden number */
static bool is_str(json_t *v)
{
	return json_is_string(v) && !qmp_number_hidden(json_string_value(v), json_string_length(v));
}

static bool kind_ok(enum arg_kind k, json_t *v)
{
	switch (k) {
	case A_STR:
		return is_str(v);
	case A_INT:
		return json_is_integer(v);	/* an int64: a hidden number is not one */
	case A_BOOL:
		return json_is_boolean(v);
	case A_STRLIST:
		if (!json_is_array(v))
			return false;
		for (size_t i = 0; i < json_array_size(v); i++)
			if (!is_str(json_array_get(v, i)))
				return false;
		return true;
	}
	return false;
}

/* 0, or -1 with the visitor's message */
static int check_args(json_t *args, const struct argspec *spec, struct sbuf *err)
{
	const char *key;
	json_t *v;

	for (const struct argspec *a = spec; a && a->name; a++) {
		v = json_object_get(args, a->name);
		if (!v) {
			if (a->optional)
				continue;
			sb_printf(err, "Parameter '%s' is missing", a->name);
			return -1;
		}
		if (!kind_ok(a->kind, v)) {
			sb_printf(err, "Invalid parameter type for '%s', expected: %s", a->name,
				  kind_names[a->kind]);
			return -1;
		}
	}
	json_object_foreach(args, key, v) {
		bool known = false;

		for (const struct argspec *a = spec; a && a->name; a++)
			known |= !strcmp(a->name, key);
		if (!known) {
			sb_printf(err, "Parameter '%s' is unexpected", key);
			return -1;
		}
	}
	return 0;
}

/* the arguments object as typed pairs for the machine (qmp.c) */
/* an array's elements as "N,N,..." ("x" for one that is not a non-negative integer), at *area */
static const char *list_text(json_t *val, char **area)
{
	const char *start = *area;
	size_t k;
	json_t *e;

	json_array_foreach(val, k, e) {
		if (json_is_integer(e) && json_integer_value(e) >= 0)
			*area += sprintf(*area, "%s%lld", k ? "," : "", (long long)json_integer_value(e));
		else
			*area += sprintf(*area, "%sx", k ? "," : "");
	}
	*(*area)++ = 0;
	return start;
}

/* the qmp_arg array and its lists' text in one block: the caller frees the array */
static struct qmp_arg *to_qmp_args(json_t *args, size_t *n)
{
	const char *key, *num;
	json_t *val;
	size_t i = 0, text = 0;

	json_object_foreach(args, key, val)
		if (json_is_array(val))
			text += json_array_size(val) * 22 + 1;
	struct qmp_arg *v = calloc(1, (json_object_size(args) + 1) * sizeof(*v) + text);
	char *area = (char *)(v + json_object_size(args) + 1);

	if (!v)
		abort();
	json_object_foreach(args, key, val) {
		struct qmp_arg *a = &v[i++];

		a->key = key;
		switch (json_typeof(val)) {
		case JSON_ARRAY:
			a->type = QMP_ARG_LIST;
			a->str = list_text(val, &area);
			break;
		case JSON_STRING:
			num = qmp_number_hidden(json_string_value(val), json_string_length(val));
			if (num) {
				a->type = qmp_number_value(num, &a->u, &a->d) ? QMP_ARG_UINT : QMP_ARG_NUMBER;
				break;
			}
			a->type = QMP_ARG_STR;
			a->str = json_string_value(val);
			break;
		case JSON_INTEGER:
			a->type = QMP_ARG_INT;
			a->i = json_integer_value(val);
			break;
		case JSON_REAL:
			a->type = QMP_ARG_NUMBER;
			a->d = json_real_value(val);
			break;
		case JSON_TRUE:
		case JSON_FALSE:
			a->type = QMP_ARG_BOOL;
			a->b = json_is_true(val);
			break;
		case JSON_NULL:
			a->type = QMP_ARG_NULL;
			break;
		default:
			a->type = QMP_ARG_OTHER;
			break;
		}
	}
	*n = i;
	return v;
}

/* ---- commands ---- */

struct cmd_ctx {
	struct qmp_server *q;
	struct client *c;
	json_t *args;
	struct sbuf err;
	int cls;	/* error class when the command returns NULL */
};

typedef json_t *(*cmd_fn)(struct cmd_ctx *x);

static json_t *fail(struct cmd_ctx *x, int cls)
{
	x->cls = cls < 0 ? -cls : cls;
	return NULL;
}

static json_t *cmd_qmp_capabilities(struct cmd_ctx *x)
{
	static const struct argspec spec[] = { { "enable", A_STRLIST, true }, { NULL, 0, false } };
	json_t *en, *v;
	size_t i;

	if (check_args(x->args, spec, &x->err))
		return fail(x, QMP_ERROR_GENERIC);
	en = json_object_get(x->args, "enable");
	json_array_foreach(en, i, v) {
		if (strcmp(json_string_value(v), "oob")) {
			sb_printf(&x->err, "Parameter 'enable' does not accept value '%s'", json_string_value(v));
			return fail(x, QMP_ERROR_GENERIC);
		}
		x->c->oob = true;
	}
	x->c->negotiated = true;
	return json_object();
}

static json_t *cmd_object_add(struct cmd_ctx *x)
{
	size_t n;
	struct qmp_arg *a = to_qmp_args(x->args, &n);
	int ret = host_qmp_object_add(x->q->s->m, a, n, &x->err);

	free(a);
	return ret ? fail(x, ret) : json_object();
}

static json_t *cmd_object_del(struct cmd_ctx *x)
{
	static const struct argspec spec[] = { { "id", A_STR, false }, { NULL, 0, false } };
	int ret;

	if (check_args(x->args, spec, &x->err))
		return fail(x, QMP_ERROR_GENERIC);
	ret = host_qmp_object_del(x->q->s->m, json_string_value(json_object_get(x->args, "id")), &x->err);
	return ret ? fail(x, ret) : json_object();
}

static json_t *cmd_device_add(struct cmd_ctx *x)
{
	size_t n;
	struct qmp_arg *a = to_qmp_args(x->args, &n);
	int ret = host_qmp_device_add(x->q->s->m, a, n, &x->err);

	free(a);
	return ret ? fail(x, ret) : json_object();
}

static json_t *cmd_device_del(struct cmd_ctx *x)
{
	static const struct argspec spec[] = { { "id", A_STR, false }, { NULL, 0, false } };
	int ret;

	if (check_args(x->args, spec, &x->err))
		return fail(x, QMP_ERROR_GENERIC);
	ret = host_qmp_device_del(x->q->s->m, json_string_value(json_object_get(x->args, "id")), &x->err);
	return ret ? fail(x, ret) : json_object();
}

static json_t *cmd_query_memory_devices(struct cmd_ctx *x)
{
	struct sbuf json = SBUF_INIT;
	json_t *v;

	if (check_args(x->args, NULL, &x->err))
		return fail(x, QMP_ERROR_GENERIC);
	host_qmp_query_memory_devices_json(x->q->s->m, &json);
	v = json_loads(sb_str(&json), 0, NULL);
	sb_free(&json);
	return v ? v : json_array();
}

static json_t *cmd_query_memdev(struct cmd_ctx *x)
{
	struct qmp_memdev_info *b;
	size_t n;
	json_t *list;

	if (check_args(x->args, NULL, &x->err))
		return fail(x, QMP_ERROR_GENERIC);
	host_qmp_query_memdev(x->q->s->m, &b, &n);
	list = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *nodes = json_array();

		for (int k = 0; k < 128; k++)
			if (b[i].host_nodes[k / 64] & (1ull << (k % 64)))
				json_array_append_new(nodes, json_integer(k));
		/* in QEMU 7.2's member order (its QDict's hash order, recorded) */
		json_array_append_new(list, json_pack("{s:b,s:b,s:b,s:o,s:I,s:b,s:b,s:s,s:s}",
						      "share", b[i].share, "reserve", b[i].reserve,
						      "prealloc", b[i].prealloc, "host-nodes", nodes,
						      "size", (json_int_t)b[i].size, "merge", b[i].merge,
						      "dump", b[i].dump, "policy", b[i].policy, "id", b[i].id));
	}
	host_qmp_free_memdev(b, n);
	return list;
}

static json_t *cmd_query_memory_size_summary(struct cmd_ctx *x)
{
	uint64_t base, plugged;
	bool has_plugged;
	json_t *r;

	if (check_args(x->args, NULL, &x->err))
		return fail(x, QMP_ERROR_GENERIC);
	host_qmp_query_memory_size_summary(x->q->s->m, &base, &plugged, &has_plugged);
	r = json_pack("{s:I}", "base-memory", (json_int_t)base);
	if (has_plugged)
		json_object_set_new(r, "plugged-memory", json_integer((json_int_t)plugged));
	return r;
}

static json_t *cmd_human_monitor_command(struct cmd_ctx *x)
{
	static const struct argspec spec[] = {
		{ "command-line", A_STR, false }, { "cpu-index", A_INT, true }, { NULL, 0, false },
	};
	struct sbuf out = SBUF_INIT, crlf = SBUF_INIT;
	json_t *r;

	if (check_args(x->args, spec, &x->err))
		return fail(x, QMP_ERROR_GENERIC);
	host_hmp_command(x->q->s->m, json_string_value(json_object_get(x->args, "command-line")), &out);
	if (host_quit_requested(x->q->s->m))
		x->q->quit = true;
	/* the monitor writes "\r\n" for "\n" */
	for (size_t i = 0; i < out.len; i++) {
		if (out.s[i] == '\n')
			sb_putc(&crlf, '\r');
		sb_putc(&crlf, out.s[i]);
	}
	r = json_string(sb_str(&crlf));
	sb_free(&out);
	sb_free(&crlf);
	return r ? r : json_string("");
}

static json_t *cmd_query_version(struct cmd_ctx *x)
{
	if (check_args(x->args, NULL, &x->err))
		return fail(x, QMP_ERROR_GENERIC);
	return json_pack("{s:{s:i,s:i,s:i},s:s}", "qemu", "micro", QEMU_MICRO, "minor", QEMU_MINOR,
			 "major", QEMU_MAJOR, "package", QEMU_PACKAGE);
}

static json_t *cmd_query_status(struct cmd_ctx *x)
{
	if (check_args(x->args, NULL, &x->err))
		return fail(x, QMP_ERROR_GENERIC);
	return json_pack("{s:s,s:b,s:b}", "status", "running", "singlestep", 0, "running", 1);
}

static json_t *cmd_query_commands(struct cmd_ctx *x);

/* a JSON text the machine produced, as a value */
static json_t *from_text(struct sbuf *json)
{
	json_t *v = json_loads(sb_str(json), JSON_DECODE_ANY, NULL);

	sb_free(json);
	return v ? v : json_null();
}

static json_t *cmd_qom_get(struct cmd_ctx *x)
{
	static const struct argspec spec[] = {
		{ "path", A_STR, false }, { "property", A_STR, false }, { NULL, 0, false },
	};
	struct sbuf json = SBUF_INIT;
	int ret;

	if (check_args(x->args, spec, &x->err))
		return fail(x, QMP_ERROR_GENERIC);
	ret = host_qmp_qom_get(x->q->s->m, json_string_value(json_object_get(x->args, "path")),
			  json_string_value(json_object_get(x->args, "property")), &json, &x->err);
	if (ret) {
		sb_free(&json);
		return fail(x, ret);
	}
	return from_text(&json);
}

static json_t *cmd_qom_list(struct cmd_ctx *x)
{
	static const struct argspec spec[] = { { "path", A_STR, false }, { NULL, 0, false } };
	struct sbuf json = SBUF_INIT;
	int ret;

	if (check_args(x->args, spec, &x->err))
		return fail(x, QMP_ERROR_GENERIC);
	ret = host_qmp_qom_list(x->q->s->m, json_string_value(json_object_get(x->args, "path")), &json, &x->err);
	if (ret) {
		sb_free(&json);
		return fail(x, ret);
	}
	return from_text(&json);
}

static json_t *cmd_qom_set(struct cmd_ctx *x)
{
	static const struct argspec spec[] = {
		{ "path", A_STR, false }, { "property", A_STR, false }, { NULL, 0, false },
	};
	json_t *value = json_object_get(x->args, "value");
	struct qmp_arg *args, *a = NULL;
	size_t n;
	int ret;

	/* "value" is 'any': checked by the property's own visitor */
	if (value)
		json_incref(value);
	json_object_del(x->args, "value");
	ret = check_args(x->args, spec, &x->err);
	if (value)
		json_object_set_new(x->args, "value", value);
	if (ret)
		return fail(x, QMP_ERROR_GENERIC);
	if (!value) {
		sb_puts(&x->err, "Parameter 'value' is missing");
		return fail(x, QMP_ERROR_GENERIC);
	}
	args = to_qmp_args(x->args, &n);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(args[i].key, "value"))
			a = &args[i];
	ret = host_qmp_qom_set(x->q->s->m, json_string_value(json_object_get(x->args, "path")),
			  json_string_value(json_object_get(x->args, "property")), a, &x->err);
	free(args);
	return ret ? fail(x, ret) : json_object();
}

static json_t *cmd_query_acpi_ospm_status(struct cmd_ctx *x)
{
	struct sbuf json = SBUF_INIT;

	if (check_args(x->args, NULL, &x->err))
		return fail(x, QMP_ERROR_GENERIC);
	host_qmp_query_acpi_ospm_status(x->q->s->m, &json);
	return from_text(&json);
}

static json_t *cmd_quit(struct cmd_ctx *x)
{
	if (check_args(x->args, NULL, &x->err))
		return fail(x, QMP_ERROR_GENERIC);
	x->q->quit = true;
	return json_object();
}

/*
 * memhp's own command, not QEMU's (absent from query-commands): a line for
 * the guest's shell, e.g. the guest's `modprobe kmem` that libkmod's install
 * command runs when the host's daxctl loads a module (tests/tools/dax_tools.py).
 * memhp_shell() takes the machine's lock itself.
 */
static json_t *cmd_x_memhp_guest_shell(struct cmd_ctx *x)
{
	static const struct argspec spec[] = { { "command-line", A_STR, false }, { NULL, 0, false } };
	char *out = NULL;

	if (check_args(x->args, spec, &x->err))
		return fail(x, QMP_ERROR_GENERIC);
	memhp_shell(x->q->s->m, json_string_value(json_object_get(x->args, "command-line")), &out);
	json_t *r = json_string(out ? out : "");
	free(out);
	return r ? r : json_string("");
}

static const struct {
	const char *name;
	cmd_fn fn;
} commands[] = {
	/* in QEMU 7.2's registration order, which query-commands shows */
	{ "device_add", cmd_device_add },
	{ "query-acpi-ospm-status", cmd_query_acpi_ospm_status },
	{ "human-monitor-command", cmd_human_monitor_command },
	{ "query-memory-devices", cmd_query_memory_devices },
	{ "query-memory-size-summary", cmd_query_memory_size_summary },
	{ "query-memdev", cmd_query_memdev },
	{ "device_del", cmd_device_del },
	{ "object-del", cmd_object_del },
	{ "object-add", cmd_object_add },
	{ "qom-set", cmd_qom_set },
	{ "qom-get", cmd_qom_get },
	{ "qom-list", cmd_qom_list },
	{ "quit", cmd_quit },
	{ "query-commands", cmd_query_commands },
	{ "query-version", cmd_query_version },
	{ "qmp_capabilities", cmd_qmp_capabilities },
	{ "query-status", cmd_query_status },
};
#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static json_t *cmd_query_commands(struct cmd_ctx *x)
{
	json_t *list;

	if (check_args(x->args, NULL, &x->err))
		return fail(x, QMP_ERROR_GENERIC);
	list = json_array();
	for (size_t i = 0; i < NR_COMMANDS; i++)
		json_array_append_new(list, json_pack("{s:s}", "name", commands[i].name));
	return list;
}

/* ---- dispatch (qmp_dispatch() and monitor_qmp_dispatch()) ---- */

/* Run one request and send its reply: 0, or -1 when the reply is an error. */
static int dispatch(struct qmp_server *q, struct client *c, json_t *req)
{
	const char *key, *name = NULL;
	json_t *v, *id, *args = NULL, *ret;
	struct cmd_ctx x = { q, c, NULL, SBUF_INIT, 0 };
	bool oob = false;
	cmd_fn fn = NULL;

	if (!json_is_object(req)) {
		reply_error(c, QMP_ERROR_GENERIC, "QMP input must be a JSON object", NULL);
		return -1;
	}
	id = json_object_get(req, "id");
	json_object_foreach(req, key, v) {
		if (!strcmp(key, "execute") || !strcmp(key, "exec-oob")) {
			if (!is_str(v)) {
				sb_printf(&x.err, "QMP input member '%s' must be a string", key);
				goto error;
			}
			if (key[4] == '-') {
				if (!c->oob) {
					sb_puts(&x.err, "QMP input member 'exec-oob' is unexpected");
					goto error;
				}
				oob = true;
			}
			if (name) {
				sb_puts(&x.err, "QMP input must not have both 'execute' and 'exec-oob'");
				goto error;
			}
			name = json_string_value(v);
		} else if (!strcmp(key, "arguments")) {
			if (!json_is_object(v)) {
				sb_puts(&x.err, "QMP input member 'arguments' must be an object");
				goto error;
			}
			args = v;
		} else if (strcmp(key, "id") && strcmp(key, "control")) {
			sb_printf(&x.err, "QMP input member '%s' is unexpected", key);
			goto error;
		}
	}
	if (!name) {
		sb_puts(&x.err, "QMP input lacks member 'execute'");
		goto error;
	}
	for (size_t i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			fn = commands[i].fn;
	bool own_lock = !fn && !strcmp(name, "x-memhp-guest-shell");
	if (own_lock)
		fn = cmd_x_memhp_guest_shell;
	if (!c->negotiated && (!fn || fn != cmd_qmp_capabilities)) {
		x.cls = QMP_ERROR_COMMAND_NOT_FOUND;
		sb_puts(&x.err, "Expecting capabilities negotiation with 'qmp_capabilities'");
		goto error_cls;
	}
	if (c->negotiated && fn == cmd_qmp_capabilities) {
		x.cls = QMP_ERROR_COMMAND_NOT_FOUND;
		sb_puts(&x.err, "Capabilities negotiation is already complete, command ignored");
		goto error_cls;
	}
	if (!fn) {
		x.cls = QMP_ERROR_COMMAND_NOT_FOUND;
		sb_printf(&x.err, "The command %s has not been found", name);
		goto error_cls;
	}
	if (oob) {
		sb_printf(&x.err, "The command %s does not support OOB", name);
		goto error;
	}
	x.args = args ? json_incref(args) : json_object();
	if (!own_lock)
		host_lock(q->s->m);
	ret = fn(&x);
	if (!own_lock)
		host_unlock(q->s->m);
	json_decref(x.args);
	if (ret) {
		reply(c, json_pack("{s:o}", "return", ret), id);
		sb_free(&x.err);
		return 0;
	}
	if (!x.cls)
		x.cls = QMP_ERROR_GENERIC;
	goto error_cls;
error:
	x.cls = QMP_ERROR_GENERIC;
error_cls:
	reply_error(c, x.cls, sb_str(&x.err), id);
	sb_free(&x.err);
	return -1;
}

/* ---- input: cutting the stream into messages ---- */

/*
 * The end of the first message in buf[start, len): the offset just past
 * it, 0 when it is not complete yet. A message is a bracketed value; any
 * other text runs to the end of its line.
 */
static size_t message_end(const char *buf, size_t start, size_t len)
{
	int depth = 0;
	bool in_str = false;

	if (buf[start] != '{' && buf[start] != '[') {
		const char *nl = memchr(buf + start, '\n', len - start);

		return nl ? (size_t)(nl - buf) + 1 : 0;
	}
	for (size_t i = start; i < len; i++) {
		char ch = buf[i];

		if (in_str) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				in_str = false;
			continue;
		}
		if (ch == '"')
			in_str = true;
		else if (ch == '{' || ch == '[')
			depth++;
		else if ((ch == '}' || ch == ']') && --depth == 0)
			return i + 1;
	}
	return 0;
}

static void handle_input(struct qmp_server *q, struct client *c)
{
	size_t pos = 0;

	while (pos < c->in.len && !c->eof) {
		const char *buf = c->in.s;
		size_t end;

		if (c->discarding) {
			const char *nl = memchr(buf + pos, '\n', c->in.len - pos);

			if (!nl) {
				pos = c->in.len;
				break;
			}
			pos = (size_t)(nl - buf) + 1;
			c->discarding = false;
			continue;
		}
		while (pos < c->in.len && strchr(" \t\r\n", buf[pos]) && buf[pos])
			pos++;
		if (pos >= c->in.len)
			break;
		end = message_end(buf, pos, c->in.len);
		if (!end) {
			if (c->in.len - pos > QMP_MAX_MESSAGE) {
				reply_error(c, QMP_ERROR_GENERIC,
					    "JSON parse error, message too large (over 65536 bytes)", NULL);
				c->discarding = true;
				pos = c->in.len;
			}
			break;
		}
		if (end - pos > QMP_MAX_MESSAGE) {
			reply_error(c, QMP_ERROR_GENERIC,
				    "JSON parse error, message too large (over 65536 bytes)", NULL);
		} else {
			json_error_t jerr;
			size_t hlen = 0;
			char *hidden = qmp_numbers_hide(buf + pos, end - pos, &hlen);
			json_t *req = hidden ? json_loadb(hidden, hlen, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr)
					     : json_loadb(buf + pos, end - pos, JSON_REJECT_DUPLICATES, &jerr);

			free(hidden);

			if (!req) {
				struct sbuf e = SBUF_INIT;

				sb_printf(&e, "JSON parse error, %s", jerr.text);
				reply_error(c, QMP_ERROR_GENERIC, sb_str(&e), NULL);
				sb_free(&e);
			} else {
				if (q->message_hook)
					q->message_hook(q->message_arg, 0);
				int r = dispatch(q, c, req);
				if (q->message_hook)
					q->message_hook(q->message_arg, r < 0 ? -1 : 1);
				json_decref(req);
			}
		}
		pos = end;
		broadcast_events(q);
	}
	/* keep the unread rest */
	if (pos) {
		memmove(c->in.s, c->in.s + pos, c->in.len - pos);
		c->in.len -= pos;
		c->in.s[c->in.len] = 0;
	}
}

/* ---- the server thread ---- */

static void greet(struct client *c)
{
	json_t *g = json_pack("{s:{s:{s:{s:i,s:i,s:i},s:s},s:[s]}}", "QMP", "version", "qemu", "micro",
			      QEMU_MICRO, "minor", QEMU_MINOR, "major", QEMU_MAJOR, "package",
			      QEMU_PACKAGE, "capabilities", "oob");

	client_send_json(c, g);
	json_decref(g);
}

static void accept_client(struct qmp_server *q)
{
	int fd = accept4(q->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	struct client *c;

	if (fd < 0)
		return;
	if (q->nclients >= QMP_MAX_CLIENTS) {
		close(fd);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->fd = fd;
	q->clients[q->nclients++] = c;
	greet(c);
	client_flush(c);
}

static void drop_client(struct qmp_server *q, int i)
{
	struct client *c = q->clients[i];

	close(c->fd);
	sb_free(&c->in);
	sb_free(&c->out);
	free(c);
	q->clients[i] = q->clients[--q->nclients];
}

static void read_client(struct qmp_server *q, struct client *c)
{
	char buf[8192];

	for (;;) {
		ssize_t n = recv(c->fd, buf, sizeof(buf), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
				c->eof = true;
			break;
		}
		sb_add(&c->in, buf, (size_t)n);
		/* parse as we go, so that a flood is cut off at the size limit */
		handle_input(q, c);
		if (c->eof || q->quit)
			break;
	}
}

void qmp_server_set_message_hook(struct qmp_server *q, qmp_message_hook fn, void *arg)
{
	q->message_hook = fn;
	q->message_arg = arg;
}

void qmp_server_session(struct qmp_server *q, int fd, const char *input, size_t len)
{
	struct client *c;

	if (q->nclients >= QMP_MAX_CLIENTS) {
		close(fd);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	c->fd = fd;
	q->clients[q->nclients++] = c;
	greet(c);
	sb_add(&c->in, input, len);
	handle_input(q, c);
	broadcast_events(q);
	client_flush(c);
	q->quit = false;
	for (int i = 0; i < q->nclients; i++)
		if (q->clients[i] == c)
			drop_client(q, i);
}

/* the last words before quitting: give each client a second to read them */
static void final_flush(struct qmp_server *q)
{
	for (int i = 0; i < q->nclients; i++) {
		struct client *c = q->clients[i];

		for (int tries = 0; tries < 10 && !c->eof && c->out_off < c->out.len; tries++) {
			struct pollfd p = { c->fd, POLLOUT, 0 };

			if (poll(&p, 1, 100) > 0)
				client_flush(c);
		}
	}
}

static void *server_thread(void *arg)
{
	struct qmp_server *q = arg;
	struct pollfd p[QMP_MAX_CLIENTS + 2];

	while (!atomic_load(&q->stop)) {
		int n = 0;

		p[n++] = (struct pollfd){ q->wake[0], POLLIN, 0 };
		p[n++] = (struct pollfd){ q->lfd, POLLIN, 0 };
		for (int i = 0; i < q->nclients; i++) {
			struct client *c = q->clients[i];

			p[n++] = (struct pollfd){ c->fd,
						  (short)(POLLIN | (c->out_off < c->out.len ? POLLOUT : 0)), 0 };
		}
		if (poll(p, (nfds_t)n, release_held(q)) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents & POLLIN) {
			char drain[64];

			while (read(q->wake[0], drain, sizeof(drain)) > 0)
				;
		}
		if (p[1].revents & POLLIN)
			accept_client(q);
		/* clients by their poll slots; a new client was not polled yet */
		for (int i = 0, k = 2; k < n && i < q->nclients; i++, k++) {
			struct client *c = q->clients[i];

			if (p[k].revents & (POLLIN | POLLHUP | POLLERR))
				read_client(q, c);
		}
		broadcast_events(q);
		for (int i = 0; i < q->nclients; i++)
			client_flush(q->clients[i]);
		/* a closed or failing socket takes no more output (what could be sent was) */
		for (int i = q->nclients; i-- > 0;)
			if (q->clients[i]->eof)
				drop_client(q, i);
		if (q->quit) {
			qmp_server_event(q, "SHUTDOWN", "{\"guest\": false, \"reason\": \"host-qmp-quit\"}");
			broadcast_events(q);
			final_flush(q);
			serve_request_quit();
			q->quit = false;
		}
	}
	return NULL;
}

struct qmp_server *qmp_server_new(struct serve *s, const char *path)
{
	struct qmp_server *q;
	struct sockaddr_un sa;
	struct stat st;
	mode_t old;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "memhp serve: --qmp %s: path too long for a unix socket\n", path);
		return NULL;
	}
	q = calloc(1, sizeof(*q));
	if (!q)
		abort();
	q->s = s;
	q->path = strdup(path);
	pthread_mutex_init(&q->ev_lock, NULL);
	q->lfd = -1;
	q->wake[0] = q->wake[1] = -1;
	if (pipe2(q->wake, O_NONBLOCK | O_CLOEXEC)) {
		fprintf(stderr, "memhp serve: pipe: %s\n", strerror(errno));
		goto fail;
	}
	q->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (q->lfd < 0) {
		fprintf(stderr, "memhp serve: socket: %s\n", strerror(errno));
		goto fail;
	}
	/* QEMU's server=on replaces a stale socket, never another file */
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	old = umask(0177);	/* the socket is the owner's only (0600) */
	if (bind(q->lfd, (struct sockaddr *)&sa, sizeof(sa))) {
		umask(old);
		fprintf(stderr, "memhp serve: --qmp %s: %s\n", path, strerror(errno));
		goto fail;
	}
	umask(old);
	chmod(path, 0600);
	if (listen(q->lfd, 8)) {
		fprintf(stderr, "memhp serve: --qmp %s: %s\n", path, strerror(errno));
		unlink(path);
		goto fail;
	}
	return q;
fail:
	if (q->lfd >= 0)
		close(q->lfd);
	if (q->wake[0] >= 0) {
		close(q->wake[0]);
		close(q->wake[1]);
	}
	pthread_mutex_destroy(&q->ev_lock);
	free(q->path);
	free(q);
	return NULL;
}

int qmp_server_start(struct qmp_server *q)
{
	if (pthread_create(&q->thread, NULL, server_thread, q)) {
		fprintf(stderr, "memhp serve: cannot start the QMP thread\n");
		return -1;
	}
	q->started = true;
	return 0;
}

void qmp_server_stop(struct qmp_server *q)
{
	if (!q)
		return;
	atomic_store(&q->stop, true);
	if (q->started) {
		if (write(q->wake[1], "s", 1) < 0) {
			/* full pipe: the thread wakes anyway */
		}
		pthread_join(q->thread, NULL);
	}
	while (q->nclients)
		drop_client(q, q->nclients - 1);
	close(q->lfd);
	close(q->wake[0]);
	close(q->wake[1]);
	unlink(q->path);
	sb_free(&q->events);
	qmp_throttle_release(&q->throttle);
	pthread_mutex_destroy(&q->ev_lock);
	free(q->path);
	free(q);
}

#endif /* MEMHP_HAVE_JANSSON */
