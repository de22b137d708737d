// SPDX-License-Identifier: MIT
/*
 * tracefs (fs/tracefs, kernel/trace/trace.c and ftrace.c), mounted by
 * `mount -t tracefs nodev /sys/kernel/tracing`: the files of the function
 * and function_graph tracers. Before the mount the directory is an empty
 * mount point, as sysfs_create_mount_point() leaves it.
 */
#include "fs_internal.h"
#include "../kernel/kernel.h"

#include <errno.h>

static bool mounted(struct vfs_ctx *c)
{
	return c->k->tracefs_mounted;
}

static int tracers_show(struct vfs_ctx *c, struct sbuf *out)
{
	ftrace_available_tracers_show(c->k, out);
	return 0;
}

static int tracer_show(struct vfs_ctx *c, struct sbuf *out)
{
	ftrace_current_tracer_show(c->k, out);
	return 0;
}

static int tracer_store(struct vfs_ctx *c, const char *buf)
{
	return ftrace_current_tracer_store(c->k, buf);
}

static int filter_show(struct vfs_ctx *c, struct sbuf *out)
{
	ftrace_filter_show(c->k, false, out);
	return 0;
}

/* the set was emptied at open if the shell's `>` asked for O_TRUNC (ftrace_regex_open) */
static int filter_store(struct vfs_ctx *c, const char *buf)
{
	return ftrace_filter_write(c->k, false, true, buf);
}

static int filter_truncate(struct vfs_ctx *c)
{
	return ftrace_filter_write(c->k, false, false, "");
}

static int graph_show(struct vfs_ctx *c, struct sbuf *out)
{
	ftrace_filter_show(c->k, true, out);
	return 0;
}

static int graph_store(struct vfs_ctx *c, const char *buf)
{
	return ftrace_filter_write(c->k, true, true, buf);
}

static int graph_truncate(struct vfs_ctx *c)
{
	return ftrace_filter_write(c->k, true, false, "");
}

static int depth_show(struct vfs_ctx *c, struct sbuf *out)
{
	ftrace_max_graph_depth_show(c->k, out);
	return 0;
}

static int depth_store(struct vfs_ctx *c, const char *buf)
{
	return ftrace_max_graph_depth_store(c->k, buf);
}

static int on_show(struct vfs_ctx *c, struct sbuf *out)
{
	ftrace_tracing_on_show(c->k, out);
	return 0;
}

static int on_store(struct vfs_ctx *c, const char *buf)
{
	return ftrace_tracing_on_store(c->k, buf);
}

static int trace_show(struct vfs_ctx *c, struct sbuf *out)
{
	ftrace_trace_show(c->k, out);
	return 0;
}

/* tracing_write_stub(): what is written is ignored; opening with O_TRUNC empties the buffer */
static int trace_store(struct vfs_ctx *c, const char *buf)
{
	return 0;
}

static int trace_truncate(struct vfs_ctx *c)
{
	ftrace_trace_reset(c->k);
	return 0;
}

static int functions_show(struct vfs_ctx *c, struct sbuf *out)
{
	ftrace_names_show(out);
	return 0;
}

#define TFILE(n, m, ...) { .name = n, .type = VFS_FILE, .mode = m, .visible = mounted, __VA_ARGS__ }

static const struct vfs_ent tracing_ents[] = {
	TFILE("available_filter_functions", 0444, .show = functions_show),
	TFILE("available_tracers", 0444, .show = tracers_show),
	TFILE("current_tracer", 0644, .show = tracer_show, .store = tracer_store),
	TFILE("max_graph_depth", 0644, .show = depth_show, .store = depth_store),
	TFILE("set_ftrace_filter", 0644, .show = filter_show, .store = filter_store,
	      .truncate = filter_truncate),
	TFILE("set_graph_function", 0644, .show = graph_show, .store = graph_store,
	      .truncate = graph_truncate),
	TFILE("trace", 0644, .show = trace_show, .store = trace_store, .truncate = trace_truncate),
	TFILE("tracing_on", 0644, .show = on_show, .store = on_store),
	{ .name = NULL },
};
const struct vfs_dir tracefs_dir = { .ents = tracing_ents };

int tracefs_mount(struct kernel *k)
{
	k->tracefs_mounted = true;
	return 0;
}
