/* SPDX-License-Identifier: MIT */
/*
 * A picture of the guest's physical address space as an SVG, drawn from
 * what a user of the machine sees: the memory blocks of
 * /sys/devices/system/memory (state, valid_zones, node), /proc/iomem,
 * /proc/zoneinfo and the monitor's `info memory-devices`. docs/map.md
 * describes the picture.
 */
#ifndef MEMHP_TOOLS_SVG_MAP_H
#define MEMHP_TOOLS_SVG_MAP_H

#include <stdio.h>

struct memhp;

/*
 * The picture now, as one <svg> element (malloc'd, NUL-terminated), or NULL
 * when the machine cannot be read. caption (may be NULL) is printed above it.
 */
char *svg_map(struct memhp *m, const char *caption);

/* memhp shell's `memhp map [FILE.svg]`: write the picture to FILE (stdout without one). 0 or 1. */
int svg_map_command(struct memhp *m, const char *args);

/* s (NULL: nothing) with <, >, & and " as entities: text or an attribute value of SVG or HTML */
void svg_put_escaped(FILE *f, const char *s);

#endif
