// SPDX-License-Identifier: MIT
/*
 * ftrace over memhp's modelled functions: the function tracer
 * (function_trace_call: one event per call, with its caller), the
 * function_graph tracer (trace_graph_entry / trace_graph_return: entry and
 * return events, nested by the depth of the traced calls), the filter
 * (set_ftrace_filter), graph roots (set_graph_function), max_graph_depth and
 * tracing_on, and the `trace` file's output (print_graph_function,
 * trace_print_graph_duration, print_trace_fmt).
 *
 * Each thread keeps its own call stack of modelled frames, as each task has
 * its own in Linux (current->curr_ret_stack): the caller of a call is the
 * frame below it, traced or not.
 */
#include "ftrace.h"
#include "../lib/alloc.h"
#include "kernel.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum ftrace_ev_type { EV_FUNC, EV_ENTRY, EV_RETURN };

struct ftrace_event {
	unsigned char type;
	unsigned short depth;
	const char *fn, *parent;	/* names live as long as the program (literals, __func__) */
	uint64_t ts, dur;		/* ns since the tracer started, duration of a return */
};

struct name_set {
	char **v;
	size_t n, cap;
};

struct ftrace {
	pthread_mutex_t lock;
	enum ftrace_tracer tracer;
	bool tracing_on;
	unsigned max_graph_depth;
	struct name_set filter, graph;
	struct ftrace_event *ev;
	size_t nev, cap;
	uint64_t t0;
	/* memhp run --trace: a graph entry waits for its next event, to print a leaf as one line */
	void (*listener)(void *opaque, const char *line);
	void *listener_opaque;
	const char *pending;
	int pending_depth;
};

/* Buffer size: as Linux's ring buffer, the oldest events go first when it is full. */
#define FTRACE_MAX_EVENTS 200000
#define FTRACE_STACK 128

struct tl_frame {
	const char *fn;
	uint64_t t0;
	bool graph;		/* a graph entry was recorded */
	bool listened;		/* the listener saw its entry */
	bool root;		/* a set_graph_function root */
};

static _Thread_local struct tl_frame stack[FTRACE_STACK];
static _Thread_local int sp, graph_depth, listen_depth, in_graph;

static const char *const tracer_names[] = {
	[TRACER_NOP] = "nop", [TRACER_FUNCTION] = "function", [TRACER_FUNCTION_GRAPH] = "function_graph",
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

struct ftrace *ftrace_new(void)
{
	struct ftrace *ft = mh_calloc(1, sizeof(*ft));
	if (!ft)
		return NULL;
	pthread_mutex_init(&ft->lock, NULL);
	ft->tracing_on = true;
	ft->t0 = now_ns();
	return ft;
}

static void set_clear(struct name_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	s->n = 0;
}

void ftrace_free(struct ftrace *ft)
{
	if (!ft)
		return;
	set_clear(&ft->filter);
	set_clear(&ft->graph);
	free(ft->filter.v);
	free(ft->graph.v);
	free(ft->ev);
	pthread_mutex_destroy(&ft->lock);
	free(ft);
}

static bool set_has(const struct name_set *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], name))
			return true;
	return false;
}

static void set_add(struct name_set *s, const char *name)
{
	if (set_has(s, name))
		return;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = mh_realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v)
			out_of_memory(ALLOC_WHERE, 0);
	}
	s->v[s->n] = mh_strdup(name);
	if (!s->v[s->n])
		out_of_memory(ALLOC_WHERE, 0);
	s->n++;
}

static void set_del(struct name_set *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], name)) {
			free(s->v[i]);
			memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof(*s->v));
			s->n--;
			return;
		}
}

static void update_active(struct kernel *k)
{
	struct ftrace *ft = k->ftrace;
	k->ftrace_on = ft && (ft->tracer != TRACER_NOP || ft->listener);
}

void ftrace_set_listener(struct kernel *k, void (*fn)(void *opaque, const char *line), void *opaque)
{
	if (!k->ftrace)
		return;
	k->ftrace->listener = fn;
	k->ftrace->listener_opaque = opaque;
	update_active(k);
}

/* ---- recording ---- */

static void record(struct ftrace *ft, enum ftrace_ev_type type, int depth, const char *fn,
		   const char *parent, uint64_t ts, uint64_t dur)
{
	pthread_mutex_lock(&ft->lock);
	if (ft->nev == FTRACE_MAX_EVENTS) {
		size_t drop = FTRACE_MAX_EVENTS / 4;
		memmove(ft->ev, ft->ev + drop, (ft->nev - drop) * sizeof(*ft->ev));
		ft->nev -= drop;
	}
	if (ft->nev == ft->cap) {
		ft->cap = ft->cap ? ft->cap * 2 : 256;
		ft->ev = mh_realloc(ft->ev, ft->cap * sizeof(*ft->ev));
		if (!ft->ev)
			out_of_memory(ALLOC_WHERE, 0);
	}
	ft->ev[ft->nev++] = (struct ftrace_event){ (unsigned char)type, (unsigned short)depth, fn, parent,
						    ts - ft->t0, dur };
	pthread_mutex_unlock(&ft->lock);
}

static void listen_line(struct ftrace *ft, int depth, const char *text)
{
	char line[300];
	snprintf(line, sizeof(line), "%*s%s", 2 * depth, "", text);
	ft->listener(ft->listener_opaque, line);
}

static void listen_flush(struct ftrace *ft)
{
	if (!ft->pending)
		return;
	char text[256];
	snprintf(text, sizeof(text), "%s() {", ft->pending);
	listen_line(ft, ft->pending_depth, text);
	ft->pending = NULL;
}

void __ftrace_entry(struct ftrace_frame *f, const char *fn)
{
	struct ftrace *ft = f->k->ftrace;
	if (!ft || sp == FTRACE_STACK)
		return;
	struct tl_frame *fr = &stack[sp];
	const char *parent = sp ? stack[sp - 1].fn : NULL;
	*fr = (struct tl_frame){ .fn = fn, .t0 = now_ns() };
	f->on = true;
	sp++;
	bool traced = !ft->filter.n || set_has(&ft->filter, fn);
	if (ft->tracer == TRACER_FUNCTION && traced && ft->tracing_on)
		record(ft, EV_FUNC, 0, fn, parent, fr->t0, 0);
	if (ft->tracer == TRACER_FUNCTION_GRAPH && traced) {
		/* ftrace_graph_ignore_func(): outside every graph root, or too deep */
		bool root = ft->graph.n && set_has(&ft->graph, fn);
		bool ok = (!ft->graph.n || root || in_graph) &&
			  (!ft->max_graph_depth || (unsigned)graph_depth < ft->max_graph_depth);
		if (ok && ft->tracing_on) {
			record(ft, EV_ENTRY, graph_depth, fn, parent, fr->t0, 0);
			fr->graph = true;
			fr->root = root;
			in_graph += root;
			graph_depth++;
		}
	}
	if (ft->listener) {
		listen_flush(ft);
		ft->pending = fn;
		ft->pending_depth = listen_depth;
		fr->listened = true;
		listen_depth++;
	}
}

void __ftrace_return(struct ftrace_frame *f)
{
	struct ftrace *ft = f->k->ftrace;
	struct tl_frame *fr = &stack[--sp];
	f->on = false;
	uint64_t t = now_ns();
	if (fr->graph) {
		graph_depth--;
		in_graph -= fr->root;
		if (ft->tracing_on)
			record(ft, EV_RETURN, graph_depth, fr->fn, NULL, t, t - fr->t0);
	}
	if (fr->listened) {
		listen_depth--;
		if (ft->listener) {
			char text[256];
			if (ft->pending == fr->fn && ft->pending_depth == listen_depth) {
				snprintf(text, sizeof(text), "%s();", fr->fn);
				ft->pending = NULL;
			} else {
				listen_flush(ft);
				snprintf(text, sizeof(text), "}");
			}
			listen_line(ft, listen_depth, text);
		}
	}
}

/* ---- tracefs files ---- */

void ftrace_available_tracers_show(struct kernel *k, struct sbuf *out)
{
	/* Debian's 6.1 kernel: blk and mmiotrace are built in too, and record nothing memhp models */
	sb_puts(out, "blk mmiotrace function_graph function nop\n");
}

void ftrace_current_tracer_show(struct kernel *k, struct sbuf *out)
{
	sb_printf(out, "%s\n", tracer_names[k->ftrace->tracer]);
}

static void reset_buffer(struct ftrace *ft)
{
	pthread_mutex_lock(&ft->lock);
	ft->nev = 0;
	ft->t0 = now_ns();
	pthread_mutex_unlock(&ft->lock);
}

/* tracing_set_trace_write(): trailing blanks stripped, an unknown tracer is EINVAL */
int ftrace_current_tracer_store(struct kernel *k, const char *buf)
{
	struct ftrace *ft = k->ftrace;
	size_t n = strlen(buf);
	while (n && (buf[n - 1] == ' ' || (buf[n - 1] >= '\t' && buf[n - 1] <= '\r')))
		n--;
	int t = -1;
	for (int i = 0; i < 3; i++)
		if (strlen(tracer_names[i]) == n && !strncmp(buf, tracer_names[i], n))
			t = i;
	if (t < 0)
		return -EINVAL;
	if ((enum ftrace_tracer)t == ft->tracer)
		return 0;
	/* tracer_init(): the buffer starts empty for the new tracer */
	ft->tracer = (enum ftrace_tracer)t;
	reset_buffer(ft);
	update_active(k);
	return 0;
}

void ftrace_filter_show(struct kernel *k, bool graph, struct sbuf *out)
{
	struct name_set *s = graph ? &k->ftrace->graph : &k->ftrace->filter;
	if (!s->n) {
		sb_puts(out, "#### all functions enabled ####\n");
		return;
	}
	for (size_t i = 0; i < s->n; i++)
		sb_printf(out, "%s\n", s->v[i]);
}

struct match_arg {
	struct name_set *set;
	bool del;
};

static void match_one(void *arg, const char *name)
{
	struct match_arg *m = arg;
	if (m->del)
		set_del(m->set, name);
	else
		set_add(m->set, name);
}

/*
 * ftrace_regex_write(): names separated by blanks or newlines, each matched
 * against the traceable functions (ftrace_match_records); a name matching
 * none fails the write with EINVAL, and those before it stay. `!name'
 * removes. Opening with O_TRUNC (`>`) emptied the set first (ftrace_regex_open).
 */
int ftrace_filter_write(struct kernel *k, bool graph, bool append, const char *buf)
{
	struct name_set *s = graph ? &k->ftrace->graph : &k->ftrace->filter;
	if (!append)
		set_clear(s);
	const char *p = buf;
	for (;;) {
		while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
			p++;
		if (!*p)
			break;
		const char *e = p;
		while (*e && !(*e == ' ' || (*e >= '\t' && *e <= '\r')))
			e++;
		char tok[256];
		size_t n = (size_t)(e - p);
		if (n >= sizeof(tok))
			return -EINVAL;
		memcpy(tok, p, n);
		tok[n] = 0;
		p = e;
		struct match_arg m = { s, tok[0] == '!' };
		const char *name = m.del ? tok + 1 : tok;
		size_t hits = ftrace_names_match(name, match_one, &m);
		/* removing a name not in the filter is no error; matching no function is */
		if (!hits)
			return -EINVAL;
	}
	return 0;
}

void ftrace_max_graph_depth_show(struct kernel *k, struct sbuf *out)
{
	sb_printf(out, "%u\n", k->ftrace->max_graph_depth);
}

/* kstrtouint_from_user(): decimal, one trailing newline */
static int parse_uint(const char *buf, unsigned long max, unsigned long *v)
{
	char *end;
	if (!(*buf >= '0' && *buf <= '9') && *buf != '+')
		return -EINVAL;
	errno = 0;
	*v = strtoul(buf, &end, 0);
	if (end == buf || errno || *v > max)
		return errno == ERANGE || *v > max ? -ERANGE : -EINVAL;
	if (*end == '\n')
		end++;
	return *end ? -EINVAL : 0;
}

int ftrace_max_graph_depth_store(struct kernel *k, const char *buf)
{
	unsigned long v;
	int rc = parse_uint(buf, 0xffffffffUL, &v);
	if (rc)
		return rc;
	k->ftrace->max_graph_depth = (unsigned)v;
	return 0;
}

void ftrace_tracing_on_show(struct kernel *k, struct sbuf *out)
{
	sb_printf(out, "%d\n", k->ftrace->tracing_on);
}

int ftrace_tracing_on_store(struct kernel *k, const char *buf)
{
	unsigned long v;
	int rc = parse_uint(buf, ~0UL, &v);
	if (rc)
		return rc;
	k->ftrace->tracing_on = v != 0;
	return 0;
}

void ftrace_trace_reset(struct kernel *k)
{
	reset_buffer(k->ftrace);
}

/* trace_find_mark(): the duration's order of magnitude */
static char duration_mark(uint64_t ns)
{
	static const struct { uint64_t over; char mark; } marks[] = {
		{ 1000000000ULL, '$' }, { 100000000ULL, '@' }, { 10000000ULL, '*' },
		{ 1000000ULL, '#' }, { 100000ULL, '!' }, { 10000ULL, '+' },
	};
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (ns > marks[i].over)
			return marks[i].mark;
	return ' ';
}

/* print_graph_duration() + trace_print_graph_duration(): 14 columns before the '|' */
static void graph_duration(struct sbuf *out, bool has, uint64_t ns)
{
	if (!has) {
		sb_puts(out, "              ");
		return;
	}
	char us[24], frac[8];
	snprintf(us, sizeof(us), "%llu", (unsigned long long)(ns / 1000));
	size_t len = strlen(us);
	sb_printf(out, "%c %s", duration_mark(ns), us);
	if (len < 7) {
		snprintf(frac, 8 - len < sizeof(frac) ? 8 - len : sizeof(frac), "%03llu",
			 (unsigned long long)(ns % 1000));
		sb_printf(out, ".%s", frac);
		len += strlen(frac) + 1;
	}
	sb_puts(out, " us ");
	for (; len < 8; len++)
		sb_putc(out, ' ');
}

static void graph_line(struct sbuf *out, bool has, uint64_t ns, int depth, const char *text)
{
	sb_puts(out, " 0) ");
	graph_duration(out, has, ns);
	sb_printf(out, "|  %*s%s\n", 2 * depth, "", text);
}

static void show_graph(struct ftrace *ft, struct sbuf *out)
{
	sb_puts(out, "# tracer: function_graph\n#\n"
		     "# CPU  DURATION                  FUNCTION CALLS\n"
		     "# |     |   |                     |   |   |   |\n");
	char text[300];
	for (size_t i = 0; i < ft->nev; i++) {
		const struct ftrace_event *e = &ft->ev[i];
		if (e->type == EV_ENTRY) {
			const struct ftrace_event *n = i + 1 < ft->nev ? &ft->ev[i + 1] : NULL;
			if (n && n->type == EV_RETURN && n->depth == e->depth && n->fn == e->fn) {
				snprintf(text, sizeof(text), "%s();", e->fn);
				graph_line(out, true, n->dur, e->depth, text);
				i++;
			} else {
				snprintf(text, sizeof(text), "%s() {", e->fn);
				graph_line(out, false, 0, e->depth, text);
			}
		} else if (e->type == EV_RETURN) {
			graph_line(out, true, e->dur, e->depth, "}");
		}
	}
}

static void show_function(struct ftrace *ft, struct sbuf *out, const char *name)
{
	sb_printf(out, "# tracer: %s\n#\n", name);
	sb_printf(out, "# entries-in-buffer/entries-written: %zu/%zu   #P:2\n", ft->nev, ft->nev);
	sb_puts(out, "#\n"
		     "#                                _-----=> irqs-off/BH-disabled\n"
		     "#                               / _----=> need-resched\n"
		     "#                              | / _---=> hardirq/softirq\n"
		     "#                              || / _--=> preempt-depth\n"
		     "#                              ||| / _-=> migrate-disable\n"
		     "#                              |||| /     delay\n"
		     "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
		     "#              | |         |   |||||     |         |\n");
	for (size_t i = 0; i < ft->nev; i++) {
		const struct ftrace_event *e = &ft->ev[i];
		if (e->type != EV_FUNC)
			continue;
		sb_printf(out, "%16s-%-7d [%03d] ..... %5llu.%06llu: %s <-%s\n", "sh", 1, 0,
			  (unsigned long long)(e->ts / 1000000000ULL),
			  (unsigned long long)(e->ts / 1000 % 1000000), e->fn, e->parent ? e->parent : "0x0");
	}
}

void ftrace_trace_show(struct kernel *k, struct sbuf *out)
{
	struct ftrace *ft = k->ftrace;
	pthread_mutex_lock(&ft->lock);
	if (ft->tracer == TRACER_FUNCTION_GRAPH)
		show_graph(ft, out);
	else
		show_function(ft, out, tracer_names[ft->tracer]);
	pthread_mutex_unlock(&ft->lock);
}
