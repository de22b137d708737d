/* SPDX-License-Identifier: MIT */
/*
 * The guest kernel's uevents (kobject_uevent(): memory blocks and nodes
 * added, removed, onlined, offlined), handed to a program as udev would
 * receive them: ACTION, DEVPATH (/devices/system/memory/memory32) and
 * SUBSYSTEM (memory, node).
 */
#ifndef MEMHP_USER_EVENTS_H
#define MEMHP_USER_EVENTS_H

struct memhp;

typedef void (*memhp_uevent_fn)(void *arg, const char *action, const char *devpath,
				const char *subsystem);

/*
 * Call fn(arg, ...) for every uevent of m's guest, synchronously, from the
 * thread that caused it (while the kernel holds its hotplug locks: do not
 * call back into m from fn). fn NULL stops the delivery; do that before
 * memhp_free(m), which does not know of the handler.
 */
void memhp_set_uevent_handler(struct memhp *m, memhp_uevent_fn fn, void *arg);

#endif
