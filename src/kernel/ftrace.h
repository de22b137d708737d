/* SPDX-License-Identifier: MIT */
/*
 * The guest's ftrace (kernel/trace/ftrace.c, trace_functions.c,
 * trace_functions_graph.c): the `function` and `function_graph` tracers over
 * the functions memhp models, under their Linux 6.1 names, entered where
 * Linux enters them. tracefs (src/fs/tracefs.c) is its user interface;
 * `memhp run --trace` reads the same graph as it happens.
 *
 * A modelled function opens a frame with ftrace_func(k) (its C name is the
 * Linux name) or ftrace_func_as(k, "name"); the frame closes when the C scope
 * ends (the compiler's cleanup attribute). With no tracer and no --trace
 * handler, a frame is one predictable branch and an empty cleanup.
 */
#ifndef MEMHP_KERNEL_FTRACE_H
#define MEMHP_KERNEL_FTRACE_H

#include <stdbool.h>
#include <stddef.h>

#include "../lib/sbuf.h"

struct kernel;

struct ftrace_frame {
	struct kernel *k;
	bool on;		/* pushed on this thread's call stack */
};

void __ftrace_entry(struct ftrace_frame *f, const char *fn);
void __ftrace_return(struct ftrace_frame *f);

static inline void ftrace_frame_end(struct ftrace_frame *f)
{
	if (__builtin_expect(f->on, 0))
		__ftrace_return(f);
}

#define FTRACE_CAT2(a, b) a##b
#define FTRACE_CAT(a, b) FTRACE_CAT2(a, b)

/* Enter the Linux function `name` until the end of this C scope. */
#define ftrace_func_as(kern, name)								\
	struct ftrace_frame FTRACE_CAT(__ftrace_frame_, __LINE__)				\
		__attribute__((cleanup(ftrace_frame_end))) = { (kern), false };		\
	if (__builtin_expect(ftrace_active(kern), 0))						\
		__ftrace_entry(&FTRACE_CAT(__ftrace_frame_, __LINE__), (name))

/* This C function is the Linux function of the same name. */
#define ftrace_func(kern) ftrace_func_as(kern, __func__)

/*
 * A call Linux makes whose effect memhp keeps elsewhere (or which has none
 * here): the function is entered and left at this point.
 */
#define ftrace_leaf(kern, name)			\
	do {					\
		ftrace_func_as(kern, name);	\
	} while (0)

/* expr runs inside a frame for `name`: a call site where Linux calls name out of line. */
#define ftrace_call(kern, name, expr)		\
	do {					\
		ftrace_func_as(kern, name);	\
		expr;				\
	} while (0)

/* ---- state (one per guest kernel) ---- */

enum ftrace_tracer { TRACER_NOP, TRACER_FUNCTION, TRACER_FUNCTION_GRAPH };

struct ftrace *ftrace_new(void);
void ftrace_free(struct ftrace *ft);
/* Is any tracer or listener on? (kernel.h must be included where it is used) */
#define ftrace_active(kern) ((kern)->ftrace_on)
/* memhp run --trace: each graph line of every modelled function, as it happens */
void ftrace_set_listener(struct kernel *k, void (*fn)(void *opaque, const char *line), void *opaque);

/* The tracefs files (tracefs.c): each returns 0 or -errno, as Linux's handlers do. */
void ftrace_available_tracers_show(struct kernel *k, struct sbuf *out);
void ftrace_current_tracer_show(struct kernel *k, struct sbuf *out);
int ftrace_current_tracer_store(struct kernel *k, const char *buf);
/* set_ftrace_filter (graph = false) and set_graph_function (graph = true); append: opened with >> */
void ftrace_filter_show(struct kernel *k, bool graph, struct sbuf *out);
int ftrace_filter_write(struct kernel *k, bool graph, bool append, const char *buf);
void ftrace_max_graph_depth_show(struct kernel *k, struct sbuf *out);
int ftrace_max_graph_depth_store(struct kernel *k, const char *buf);
void ftrace_tracing_on_show(struct kernel *k, struct sbuf *out);
int ftrace_tracing_on_store(struct kernel *k, const char *buf);
void ftrace_trace_show(struct kernel *k, struct sbuf *out);
void ftrace_trace_reset(struct kernel *k);

/* ---- the traceable names (ftrace_names.c): Linux 6.1's available_filter_functions ---- */

bool ftrace_name_traceable(const char *name);
/* Each traceable name, in byte order, one a line. */
void ftrace_names_show(struct sbuf *out);
/* Call fn for each traceable name matching the glob (only '*' wildcards); the count matched. */
size_t ftrace_names_match(const char *glob, void (*fn)(void *arg, const char *name), void *arg);

#endif
