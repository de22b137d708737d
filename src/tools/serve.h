/* SPDX-License-Identifier: MIT */
/*
 * memhp serve: one long-running machine, reachable from the host through a
 * FUSE mount of the guest's sysfs/procfs (src/fs/fuse_export.c), a QMP
 * socket (serve_qmp.c) and its kernel's uevents (printed as `udevadm
 * monitor --kernel` does, and/or handed to a command per event).
 */
#ifndef MEMHP_TOOLS_SERVE_H
#define MEMHP_TOOLS_SERVE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct memhp;
struct qmp_server;

struct serve {
	struct memhp *m;
	/* FUSE requests and QMP commands take turns under the machine's own lock (host_lock) */
	const char *mount, *qmp_path, *on_event;
	bool allow_other, monitor;
	struct qmp_server *qmp;
};

/* memhp serve ARGS / memhp monitor ARGS (= serve --monitor): exit status */
int serve_main(int argc, char **argv, bool monitor);

/* Ask the server to end, as SIGTERM does (QMP quit). */
void serve_request_quit(void);

/* ---- serve_qmp.c ---- */

/* Listen on path (mode 0600); NULL + message (stderr) on failure, or when built without jansson. */
struct qmp_server *qmp_server_new(struct serve *s, const char *path);
/* The server thread: accept clients, run commands under the machine's lock. */
int qmp_server_start(struct qmp_server *q);
void qmp_server_stop(struct qmp_server *q);	/* joins the thread, closes, unlinks */
/*
 * One client's whole input handled in the caller's thread, as the server
 * thread handles it arriving at once: the greeting and the replies are
 * written to fd, which is closed. For the QMP fuzzing harness
 * (tests/fuzz/fuzz_qmp.c); the server's thread must not be running.
 */
void qmp_server_session(struct qmp_server *q, int fd, const char *input, size_t len);
/* Called before each parsed request (phase 0) and after it (1: a return, -1: an error reply). */
typedef void (*qmp_message_hook)(void *arg, int phase);
void qmp_server_set_message_hook(struct qmp_server *q, qmp_message_hook fn, void *arg);
/* A machine event (DEVICE_DELETED, ACPI_DEVICE_OST): to every negotiated client. */
void qmp_server_event(void *opaque, const char *event, const char *json_data);

#endif
