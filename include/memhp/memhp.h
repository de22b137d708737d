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

#ifdef __cplusplus
}
#endif
#endif
