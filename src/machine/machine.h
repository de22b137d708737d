/* SPDX-License-Identifier: MIT */
/*
 * The QEMU-like machine: x86-64 `pc` boot layout, memory backends, DIMM
 * slots in the device-memory region, and the monitor (HMP).
 */
#ifndef MEMHP_MACHINE_MACHINE_H
#define MEMHP_MACHINE_MACHINE_H

#include <stdint.h>
#include "../lib/sbuf.h"

struct machine;
struct kernel;

/*
 * Parse QEMU options (the subset of scenario-format.md), lay out memory as
 * QEMU 7.2's pc machine does, create the backends (anonymous mmap,
 * MAP_NORESERVE) and boot the guest kernel. NULL + QEMU's message on error.
 */
struct machine *machine_new(int argc, char *const argv[], struct sbuf *err);
void machine_free(struct machine *m);
struct kernel *machine_guest(struct machine *m);

/* One HMP command line; output appended to out. 0, or -1 when it printed an Error. */
int hmp_command(struct machine *m, const char *line, struct sbuf *out);

/* QMP events the machine raises (DEVICE_DELETED, ACPI_DEVICE_OST), for a QMP server. */
typedef void (*machine_event_fn)(void *opaque, const char *event, const char *json_data);
void machine_set_event_handler(struct machine *m, machine_event_fn fn, void *opaque);

#endif
