// SPDX-License-Identifier: MIT
/*
 * The public API as a program sees it: uevents in the order the kernel sends
 * them, flow tracing, the kernel log, the online-page callback rules, and an
 * offline that a pinned page keeps from finishing, ended by the timeout.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memhp/memhp.h>
#include "check.h"

static char events[2048];
static void on_uevent(void *arg, const char *action, const char *devpath, const char *subsystem)
{
	size_t n = strlen(events);
	snprintf(events + n, sizeof(events) - n, "%s %s %s\n", action, devpath, subsystem);
}

static int saw_online_pages;
static void on_trace(void *arg, const char *line)
{
	/* the function_graph view: online_pages opens a nested block under memory_subsys_online */
	saw_online_pages |= strstr(line, "  online_pages() {") != NULL;
}

static void keep_all(struct memhp *m, unsigned long pfn, unsigned int order, void *data)
{
	(*(int *)data)++;
	memhp_generic_online_page(m, pfn, order);
}

static int monitor(struct memhp *m, const char *cmd)
{
	char *out = NULL;
	int rc = memhp_monitor(m, cmd, &out);
	free(out);
	return rc;
}

/* Every function given a NULL machine, list or handle: an error or nothing, never a crash. */
static void test_null(void)
{
	char *out = (char *)"x";
	char **names = (char **)&out;
	size_t n = 7;
	int e = -EINVAL;
	check(memhp_monitor(NULL, "info memdev", &out) == e && out == NULL, "null: memhp_monitor(NULL)");
	check(memhp_read(NULL, "/proc/meminfo", &out) == e && out == NULL, "null: memhp_read(NULL)");
	check(memhp_write(NULL, "/proc/meminfo", "x", 1) == e, "null: memhp_write(NULL)");
	check(memhp_list(NULL, "/", &names, &n) == e && names == NULL && n == 0, "null: memhp_list(NULL)");
	check(memhp_list(NULL, "/", NULL, NULL) == e, "null: memhp_list with NULL names and count");
	check(memhp_shell(NULL, "ls", &out) == e && out == NULL, "null: memhp_shell(NULL)");
	check(memhp_dmesg(NULL, &out) == e && out == NULL, "null: memhp_dmesg(NULL)");
	check(memhp_register_memory_notifier(NULL, NULL, NULL, 0, NULL) == e, "null: register notifier");
	check(memhp_unregister_memory_notifier(NULL, NULL) == e, "null: unregister notifier");
	check(memhp_set_online_page_callback(NULL, keep_all, NULL) == e, "null: set online-page callback");
	check(memhp_restore_online_page_callback(NULL, keep_all) == e, "null: restore online-page callback");
	check(memhp_alloc_pages(NULL, MEMHP_ALLOC_MOVABLE, 0, -1) == NULL, "null: memhp_alloc_pages(NULL)");
	check(memhp_page_pfn(NULL) == -1UL && memhp_page_data(NULL, NULL) == NULL, "null: page pfn and data");
	memhp_free_list(NULL, 3);
	memhp_free_pages(NULL, NULL);
	memhp_pin_page(NULL, NULL);
	memhp_unpin_page(NULL, NULL);
	memhp_generic_online_page(NULL, 0, 0);
	memhp_get_online_mems(NULL);
	memhp_put_online_mems(NULL);
	memhp_set_offline_timeout(NULL, 1);
	memhp_cancel_offline(NULL);
	memhp_set_uevent_handler(NULL, on_uevent, NULL);
	memhp_set_trace_handler(NULL, on_trace, NULL);
	memhp_free(NULL);
	check(1, "null: the void functions return on NULL");

	struct memhp *m = memhp_new("-m 1G", NULL);
	check(memhp_monitor(m, NULL, &out) == e && out == NULL, "null: memhp_monitor(m, NULL)");
	check(memhp_monitor(m, "frobnicate", &out) == -ENOSYS && out && strstr(out, "unknown command"),
	      "api: an unknown monitor command is -ENOSYS");
	free(out);
	check(memhp_monitor(m, "device_add pc-dimm,id=d1,memdev=nosuch", &out) == -EIO && out &&
	      !strncmp(out, "Error: ", 7), "api: a refused device_add is -EIO, with QEMU's message");
	free(out);
	check(memhp_read(m, NULL, &out) == e && memhp_read(m, "/proc/meminfo", NULL) == e,
	      "null: memhp_read(m, NULL path / NULL out)");
	check(memhp_list(m, "/sys", NULL, &n) == e, "null: memhp_list(m, path, NULL, count)");
	check(memhp_dmesg(m, NULL) == e, "null: memhp_dmesg(m, NULL)");
	check(memhp_unregister_memory_notifier(m, NULL) == e, "null: unregister a NULL handle");
	check(strcmp(memhp_version(), MEMHP_VERSION_STRING) == 0 &&
	      MEMHP_VERSION == MEMHP_VERSION_NUMBER(MEMHP_VERSION_MAJOR, MEMHP_VERSION_MINOR, MEMHP_VERSION_PATCH),
	      "api: memhp_version() is the header's version");
	memhp_free(m);
}

int main(void)
{
	test_null();
	char *err = NULL;
	struct memhp *bad = memhp_new("-m 1G,slots=2", &err);
	check(!bad && err && strstr(err, "slots specified but no max-size"),
	      "api: a bad command line gives QEMU's message");
	free(err);

	struct memhp *m = memhp_new("-m 1G,slots=4,maxmem=8G -smp 2", NULL);
	memhp_set_uevent_handler(m, on_uevent, NULL);
	memhp_set_trace_handler(m, on_trace, NULL);
	monitor(m, "object_add memory-backend-ram,id=m1,size=256M");
	monitor(m, "device_add pc-dimm,id=d1,memdev=m1");
	check(strstr(events, "add /devices/system/memory/memory32 memory\nadd /devices/system/memory/memory33 memory\n") != NULL,
	      "api: uevents: add for each new block, in order");

	int chunks = 0;
	check(memhp_set_online_page_callback(m, keep_all, &chunks) == 0, "api: online-page callback set");
	check(memhp_set_online_page_callback(m, keep_all, &chunks) == -EINVAL, "api: a second callback is refused");
	check(memhp_write(m, "/sys/devices/system/memory/memory32/state", "online_movable", 14) == 0 && chunks == 32,
	      "api: the callback sees 32 chunks of 4 MiB for a 128 MiB block");
	check(memhp_restore_online_page_callback(m, keep_all) == 0, "api: callback restored");
	check(saw_online_pages, "api: the trace shows online_pages()");
	check(strstr(events, "online /devices/system/memory/memory32 memory\n") != NULL, "api: uevent online");

	char *log = NULL;
	check(memhp_dmesg(m, &log) == 0 && strstr(log, "Built 1 zonelists") != NULL,
	      "api: dmesg shows the zonelist rebuild of the first Movable online");
	free(log);

	struct memhp_page *p = memhp_alloc_pages(m, MEMHP_ALLOC_MOVABLE, 0, -1);
	check(p && memhp_page_pfn(p) >= 0x100000 && memhp_page_pfn(p) < 0x108000,
	      "api: a movable allocation comes from the Movable block");
	memhp_pin_page(m, p);
	memhp_set_offline_timeout(m, 50);
	check(memhp_write(m, "/sys/devices/system/memory/memory32/state", "offline", 7) == -EINTR,
	      "api: a pinned page keeps offlining busy until the timeout: EINTR");
	char *state = NULL;
	memhp_read(m, "/sys/devices/system/memory/memory32/state", &state);
	check(state && !strcmp(state, "online\n"), "api: the block is online again after EINTR");
	free(state);
	memhp_unpin_page(m, p);
	check(memhp_write(m, "/sys/devices/system/memory/memory32/state", "offline", 7) == 0 &&
	      memhp_page_pfn(p) < 0x100000, "api: unpinned, the page migrates and the block goes offline");
	memhp_free_pages(m, p);
	memhp_set_uevent_handler(m, NULL, NULL);
	memhp_free(m);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
