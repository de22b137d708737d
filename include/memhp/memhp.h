/* SPDX-License-Identifier: MIT */
/*
 * memhp: Linux memory hotplug as a library.
 *
 * A struct memhp is one QEMU-like x86-64 `pc` machine with a Linux-6.1-like
 * guest kernel inside. Drive it as a person drives QEMU: monitor commands
 * (object_add, device_add pc-dimm, device_del, ...) and the guest's files
 * (/sys/devices/system/memory/..., /proc/meminfo, ...). Memory is real:
 * guest pages are host memory, and their bytes survive migration.
 *
 * Build against it with `pkg-config --cflags --libs memhp` (add --static for
 * libmemhp.a). The library exports only the memhp_* names declared here.
 *
 * Conventions, for every function below unless its comment says otherwise:
 *
 *  - Errors: 0 on success or a negative errno, as the kernel returns them.
 *    -EINVAL also means a NULL machine, path or output pointer. Functions
 *    that return nothing do nothing when given a NULL machine or handle.
 *
 *  - Ownership: a string handed out through `char **out` is malloc'd and
 *    the caller free()s it; *out is NULL whenever the function gives no
 *    string. Lists from memhp_list() go back with memhp_free_list(); pages
 *    from memhp_alloc_pages() with memhp_free_pages(); notifier handles with
 *    memhp_unregister_memory_notifier(). memhp_free() releases the machine
 *    and everything it still holds: registered notifiers (their handles
 *    become invalid), the guest shell's memhog processes and the guest's
 *    memory. Page handles the caller has not freed become invalid too but
 *    their small host allocations are not reclaimed: free pages first.
 *
 *  - Host allocation failure (malloc() returning NULL), by layer:
 *    the guest kernel (memory hotplug, sysfs/procfs stores, boot) behaves
 *    as Linux does: the operation fails with -ENOMEM (or the error Linux
 *    reports for it) and its state is rolled back; memhp_new() returns
 *    NULL with a message. The machine model, the monitor, the guest shell
 *    and its tools follow QEMU's g_malloc() and a user-space process:
 *    memhp prints "memhp: out of memory (FILE:LINE, N bytes)" naming the
 *    allocation and aborts. Never a crash or a silently different result.
 *
 *  - Threads: one machine may be used from several threads at once. Every
 *    function takes the machine's lock (a recursive one), so calls on one
 *    machine run one at a time; different machines are independent. The
 *    exceptions, which take no lock: memhp_get_online_mems(),
 *    memhp_put_online_mems() (about two ns a pair; the reader side of the guest's
 *    mem_hotplug_lock), memhp_page_pfn(), memhp_page_data() and
 *    memhp_cancel_offline() (any thread, or a signal handler).
 *    While holding memhp_get_online_mems() call no other function of the
 *    same machine except those five: an offline in another thread holds
 *    the machine's lock while it waits for readers to leave.
 *
 *  - Callbacks (memory notifiers, the online-page callback, the uevent and
 *    trace handlers) run in the thread whose call caused them, with the
 *    machine's lock held. A memory notifier or online-page callback may
 *    call memhp_generic_online_page() and read the guest's files (the lock
 *    is recursive), but must not hot-plug, online, offline, free the
 *    machine or (un)register notifiers. Uevent and trace handlers must not
 *    call back into the machine at all: queue the event and act on it
 *    later, from another thread if need be.
 */
#ifndef MEMHP_MEMHP_H
#define MEMHP_MEMHP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version: the header's, and memhp_version() for the one linked. */
#define MEMHP_VERSION_MAJOR 0
#define MEMHP_VERSION_MINOR 1
#define MEMHP_VERSION_PATCH 0
#define MEMHP_VERSION_STRING "0.1.0"
/* (major << 16) | (minor << 8) | patch, to compare: MEMHP_VERSION >= MEMHP_VERSION_NUMBER(0, 1, 0) */
#define MEMHP_VERSION_NUMBER(major, minor, patch) (((major) << 16) | ((minor) << 8) | (patch))
#define MEMHP_VERSION MEMHP_VERSION_NUMBER(MEMHP_VERSION_MAJOR, MEMHP_VERSION_MINOR, MEMHP_VERSION_PATCH)

/* Marks what the shared library exports; everything else in it is hidden. */
#if defined(__GNUC__) && __GNUC__ >= 4
#define MEMHP_API __attribute__((visibility("default")))
#else
#define MEMHP_API
#endif

/* The version of the library linked, as "MAJOR.MINOR.PATCH" (static storage, never freed). */
MEMHP_API const char *memhp_version(void);

struct memhp;

/*
 * Create a machine from QEMU options, e.g.
 * "-m 1G,slots=8,maxmem=32G -smp 2 -append \"memhp_default_state=online\"".
 * On failure returns NULL and, if errmsg is given, *errmsg gets QEMU's
 * message (one line, no newline; free() it); on success *errmsg is NULL.
 * memhp_new() splits the string as a POSIX shell would (quotes, backslash).
 */
MEMHP_API struct memhp *memhp_new(const char *qemu_options, char **errmsg);
MEMHP_API struct memhp *memhp_new_argv(int argc, char *const argv[], char **errmsg);
/* Release the machine and all it holds (see Ownership above). NULL: nothing. No other
 * thread may be inside a call on m, or make one after. */
MEMHP_API void memhp_free(struct memhp *m);

/*
 * A QEMU monitor (HMP) command. *out (when out is not NULL) gets what the
 * monitor prints, also on failure ("Error: ...\n" as QEMU words it).
 *   0        the command ran (it may still print, e.g. `info memory-devices`)
 *   -EINVAL  m or command is NULL
 *   -ENOSYS  no such monitor command ("unknown command: 'x'")
 *   -EIO     the machine refused the command (bad or missing property, no free
 *            slot, maxmem reached, a duplicate id, a backend in use...); *out says why
 */
MEMHP_API int memhp_monitor(struct memhp *m, const char *command, char **out);

/*
 * The guest's files: sysfs, procfs, debugfs, as root in the guest sees them.
 * Errors are those of the guest's open/read/write(2): -ENOENT (no such file),
 * -EISDIR, -ENOTDIR, -EACCES (no such access for the attribute), -EIO,
 * and for writes whatever the attribute's store returns (-EINVAL for a
 * value it does not take, -EBUSY for an offline a pinned page blocks,
 * -EINTR for an offline ended by memhp_cancel_offline() or the timeout...).
 * memhp_read(): *out gets the whole content (free() it), NULL on error.
 * memhp_write(): one write(2) of len bytes; data may be NULL when len is 0.
 */
MEMHP_API int memhp_read(struct memhp *m, const char *path, char **out);
MEMHP_API int memhp_write(struct memhp *m, const char *path, const char *data, size_t len);
/*
 * Directory entries, sorted as LC_ALL=C ls; *names and *count are set to
 * NULL/0 on error. -EINVAL also when names or count is NULL; -ENOENT, -ENOTDIR.
 * Free with memhp_free_list(names, count), which frees every string and the array
 * (NULL names: nothing).
 */
MEMHP_API int memhp_list(struct memhp *m, const char *path, char ***names, size_t *count);
MEMHP_API void memhp_free_list(char **names, size_t count);

/*
 * A command line in the guest's shell (busybox ash: cat, echo >, ls, free,
 * grep, memhog, modprobe, loops...). *out (when out is not NULL) gets what
 * it prints (stdout and stderr as a terminal interleaves them; free() it). 0 when the line's exit
 * status is 0; otherwise the -errno of the last failed system call when
 * there was one (-EBUSY of a refused offline...), else -EINVAL.
 */
MEMHP_API int memhp_shell(struct memhp *m, const char *command_line, char **out);

/* ---- Embedding: the guest kernel's memory-hotplug interfaces ---- */

/* Memory notifier actions (include/linux/memory.h) */
enum {
	MEMHP_MEM_ONLINE = 1,
	MEMHP_MEM_GOING_OFFLINE = 2,
	MEMHP_MEM_OFFLINE = 4,
	MEMHP_MEM_GOING_ONLINE = 8,
	MEMHP_MEM_CANCEL_ONLINE = 16,
	MEMHP_MEM_CANCEL_OFFLINE = 32,
};

/* Notifier results (include/linux/notifier.h) */
enum {
	MEMHP_NOTIFY_DONE = 0x0000,
	MEMHP_NOTIFY_OK = 0x0001,
	MEMHP_NOTIFY_STOP = 0x8001,
	MEMHP_NOTIFY_BAD = 0x8002,
};
/* notifier_from_errno(): refuse with a specific -errno */
static inline int memhp_notify_errno(int err) { return err ? (0x8000 | (1 - err)) : MEMHP_NOTIFY_OK; }

struct memhp_memory_notify {
	unsigned long start_pfn;
	unsigned long nr_pages;
	int status_change_nid_normal;	/* node gaining/losing normal memory, or -1 */
	int status_change_nid;		/* node gaining/losing all memory, or -1 */
};

typedef int (*memhp_memory_notifier_fn)(struct memhp *m, unsigned long action,
					const struct memhp_memory_notify *arg, void *data);
struct memhp_notifier;

/*
 * Higher priority runs first; a refusal of GOING_* cancels and undoes the
 * operation, and the writer of the state file gets the errno
 * (memhp_notify_errno(), -EINVAL for a plain MEMHP_NOTIFY_BAD). fn runs
 * under the machine's lock (see Callbacks above). *out (may be NULL) gets
 * the handle: pass it to memhp_unregister_memory_notifier(), which frees
 * it, or leave it to memhp_free(). -EINVAL: m or fn NULL; -ENOMEM.
 * Unregister: 0, -EINVAL (NULL), -ENOENT (not registered on m).
 */
MEMHP_API int memhp_register_memory_notifier(struct memhp *m, memhp_memory_notifier_fn fn,
					     void *data, int priority, struct memhp_notifier **out);
MEMHP_API int memhp_unregister_memory_notifier(struct memhp *m, struct memhp_notifier *n);

/*
 * The online-page callback: called per chunk of 2^order pages while a block
 * onlines, under the machine's lock. Give pages to the buddy with
 * memhp_generic_online_page() (allowed inside the callback), or keep them
 * (a balloon): kept pages count as present, not managed. One custom
 * callback at a time, as in Linux: -EINVAL for a second one, for NULL m or
 * fn, and for restoring a callback that is not the one set.
 */
typedef void (*memhp_online_page_fn)(struct memhp *m, unsigned long pfn, unsigned int order,
				     void *data);
MEMHP_API int memhp_set_online_page_callback(struct memhp *m, memhp_online_page_fn fn, void *data);
MEMHP_API int memhp_restore_online_page_callback(struct memhp *m, memhp_online_page_fn fn);
MEMHP_API void memhp_generic_online_page(struct memhp *m, unsigned long pfn, unsigned int order);

/*
 * Guest pages. A movable allocation may be migrated when its memory block
 * goes offline: the handle follows it and its bytes move with it. Unmovable
 * ones pin their block (offline fails with EBUSY).
 */
enum memhp_alloc_type { MEMHP_ALLOC_UNMOVABLE, MEMHP_ALLOC_MOVABLE };
struct memhp_page;
/*
 * 2^order pages on node nid (-1: the local node). NULL when m is NULL, order
 * is MAX_ORDER (11) or more, nid is out of range, or the guest has no such free memory.
 * The handle is the caller's until memhp_free_pages(m, page), which gives the
 * pages back (unpinning them) and frees the handle; NULL page: nothing.
 */
MEMHP_API struct memhp_page *memhp_alloc_pages(struct memhp *m, enum memhp_alloc_type type,
					       unsigned int order, int nid);
MEMHP_API void memhp_free_pages(struct memhp *m, struct memhp_page *page);
/* The first pfn, which migration changes; -1UL for NULL. Read it under memhp_get_online_mems(). */
MEMHP_API unsigned long memhp_page_pfn(const struct memhp_page *page);
/* The page's bytes (4096 << order), NULL for NULL. Hold memhp_get_online_mems() while using them. */
MEMHP_API void *memhp_page_data(struct memhp *m, const struct memhp_page *page);
/* A long-term pin (FOLL_LONGTERM): the page cannot migrate; offlining its block never ends. */
MEMHP_API void memhp_pin_page(struct memhp *m, struct memhp_page *page);
MEMHP_API void memhp_unpin_page(struct memhp *m, struct memhp_page *page);

/* get_online_mems()/put_online_mems(): keep memory from going away (about two ns a pair, no lock). */
MEMHP_API void memhp_get_online_mems(struct memhp *m);
MEMHP_API void memhp_put_online_mems(struct memhp *m);

/*
 * Offlining waits for migration as long as it takes, as Linux does, until a
 * signal. With a timeout (ms, 0 = none) it ends with -EINTR instead, the
 * block back online.
 *
 * memhp_cancel_offline() is that signal: an offline of m in progress when
 * it is called ends with -EINTR, the block back online. It affects only
 * offlines that began before the call: one called while no offline runs is
 * spent and does not cancel a later offline. It takes no lock and is
 * async-signal-safe, for a SIGINT handler or any other thread.
 */
MEMHP_API void memhp_set_offline_timeout(struct memhp *m, unsigned int ms);
MEMHP_API void memhp_cancel_offline(struct memhp *m);

/*
 * The guest kernel's uevents as udev receives them: ACTION (add, remove,
 * online, offline), DEVPATH (/devices/system/memory/memory32) and SUBSYSTEM
 * (memory, node). fn runs synchronously in the thread that caused the event,
 * while the kernel holds its hotplug locks and the machine's lock: it must
 * not call back into m (queue the event instead). The strings are valid
 * only during the call. fn NULL stops the delivery.
 */
typedef void (*memhp_uevent_fn)(void *arg, const char *action, const char *devpath,
				const char *subsystem);
MEMHP_API void memhp_set_uevent_handler(struct memhp *m, memhp_uevent_fn fn, void *arg);

/*
 * Flow tracing: one line per modelled kernel step of hot-add, online,
 * offline and remove, naming the Linux function ("online_pages(pfn=0x108000,
 * nr_pages=32768, zone=Normal, node 0)", "memory_notify(MEM_GOING_ONLINE, ...)").
 * fn NULL turns it off.
 */
typedef void (*memhp_trace_fn)(void *arg, const char *line);
MEMHP_API void memhp_set_trace_handler(struct memhp *m, memhp_trace_fn fn, void *arg);

/* The guest kernel's log (dmesg) into *out (free() it). -EINVAL (NULL m or out), -ENOMEM. */
MEMHP_API int memhp_dmesg(struct memhp *m, char **out);

#ifdef __cplusplus
}
#endif
#endif
