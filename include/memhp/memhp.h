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
 * Functions return 0 or a negative errno, as the kernel does. Strings handed
 * out (char **out) are malloc'd; free() them.
 */
#ifndef MEMHP_MEMHP_H
#define MEMHP_MEMHP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct memhp;

/*
 * Create a machine from QEMU options, e.g.
 * "-m 1G,slots=8,maxmem=32G -smp 2 -append \"memhp_default_state=online\"".
 * On failure returns NULL and, if errmsg is given, QEMU's message.
 */
struct memhp *memhp_new(const char *qemu_options, char **errmsg);
struct memhp *memhp_new_argv(int argc, char *const argv[], char **errmsg);
void memhp_free(struct memhp *m);

/* A QEMU monitor (HMP) command. *out gets what the monitor prints ("Error: ...\n" on refusal). */
int memhp_monitor(struct memhp *m, const char *command, char **out);

/* The guest's files: sysfs, procfs, debugfs. */
int memhp_read(struct memhp *m, const char *path, char **out);
int memhp_write(struct memhp *m, const char *path, const char *data, size_t len);
/* Directory entries, sorted as LC_ALL=C ls; free with memhp_free_list(). */
int memhp_list(struct memhp *m, const char *path, char ***names, size_t *count);
void memhp_free_list(char **names, size_t count);

/* A command in the guest's shell (cat, echo >, ls, free, grep, memhog, modprobe): what it prints. */
int memhp_shell(struct memhp *m, const char *command_line, char **out);

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

/* Higher priority runs first; a refusal of GOING_* cancels and undoes the operation. */
int memhp_register_memory_notifier(struct memhp *m, memhp_memory_notifier_fn fn, void *data,
				   int priority, struct memhp_notifier **out);
int memhp_unregister_memory_notifier(struct memhp *m, struct memhp_notifier *n);

/*
 * The online-page callback: called per chunk of 2^order pages while a block
 * onlines. Give pages to the buddy with memhp_generic_online_page(), or keep
 * them (a balloon): kept pages count as present, not managed. One custom
 * callback at a time (-EINVAL otherwise), as in Linux.
 */
typedef void (*memhp_online_page_fn)(struct memhp *m, unsigned long pfn, unsigned int order,
				     void *data);
int memhp_set_online_page_callback(struct memhp *m, memhp_online_page_fn fn, void *data);
int memhp_restore_online_page_callback(struct memhp *m, memhp_online_page_fn fn);
void memhp_generic_online_page(struct memhp *m, unsigned long pfn, unsigned int order);

/*
 * Guest pages. A movable allocation may be migrated when its memory block
 * goes offline: the handle follows it and its bytes move with it. Unmovable
 * ones pin their block (offline fails with EBUSY).
 */
enum memhp_alloc_type { MEMHP_ALLOC_UNMOVABLE, MEMHP_ALLOC_MOVABLE };
struct memhp_page;
/* nid -1: the local node. NULL when the guest has no such memory. */
struct memhp_page *memhp_alloc_pages(struct memhp *m, enum memhp_alloc_type type,
				     unsigned int order, int nid);
void memhp_free_pages(struct memhp *m, struct memhp_page *page);
unsigned long memhp_page_pfn(const struct memhp_page *page);
/* The page's bytes (4096 << order). Hold memhp_get_online_mems() while using them. */
void *memhp_page_data(struct memhp *m, const struct memhp_page *page);
/* A long-term pin (FOLL_LONGTERM): the page cannot migrate; offlining its block never ends. */
void memhp_pin_page(struct memhp *m, struct memhp_page *page);
void memhp_unpin_page(struct memhp *m, struct memhp_page *page);

/* get_online_mems()/put_online_mems(): keep memory from going away (a few ns). */
void memhp_get_online_mems(struct memhp *m);
void memhp_put_online_mems(struct memhp *m);

/*
 * Offlining waits for migration as long as it takes, as Linux does, until a
 * signal. With a timeout (ms, 0 = none) it ends with -EINTR instead, the
 * block back online; memhp_cancel_offline() does the same from another thread.
 */
void memhp_set_offline_timeout(struct memhp *m, unsigned int ms);
void memhp_cancel_offline(struct memhp *m);

/*
 * The guest kernel's uevents as udev receives them: ACTION (add, remove,
 * online, offline), DEVPATH (/devices/system/memory/memory32) and SUBSYSTEM
 * (memory, node). fn runs synchronously in the thread that caused the event,
 * while the kernel holds its hotplug locks: it must not call back into m
 * (queue the event instead). fn NULL stops the delivery.
 */
typedef void (*memhp_uevent_fn)(void *arg, const char *action, const char *devpath,
				const char *subsystem);
void memhp_set_uevent_handler(struct memhp *m, memhp_uevent_fn fn, void *arg);

/*
 * Flow tracing: one line per modelled kernel step of hot-add, online,
 * offline and remove, naming the Linux function ("online_pages(pfn=0x108000,
 * nr_pages=32768, zone=Normal, node 0)", "memory_notify(MEM_GOING_ONLINE, ...)").
 * fn NULL turns it off.
 */
typedef void (*memhp_trace_fn)(void *arg, const char *line);
void memhp_set_trace_handler(struct memhp *m, memhp_trace_fn fn, void *arg);

/* The guest kernel's log (dmesg). */
int memhp_dmesg(struct memhp *m, char **out);

#ifdef __cplusplus
}
#endif
#endif
