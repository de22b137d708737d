// SPDX-License-Identifier: MIT
/*
 * busybox 1.35 `free [-b|-k|-m|-g]`. busybox takes total/free/shared/buffers
 * from sysinfo(2) (in bytes) and Cached, SReclaimable and MemAvailable from
 * /proc/meminfo; all of these are /proc/meminfo figures, so they are read
 * from there. Values are bytes rounded to the nearest unit (checked against
 * Debian's busybox 1.35: free -m shows 24106 for MemTotal 24684092 kB).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../api/api_internal.h"
#include "shell.h"

struct meminfo {
	unsigned long long total, free, available, buffers, cached, shmem, sreclaimable, swap_total, swap_free;
};

static void parse_meminfo(const char *text, struct meminfo *mi)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
		{ "MemTotal", offsetof(struct meminfo, total) },
		{ "MemFree", offsetof(struct meminfo, free) },
		{ "MemAvailable", offsetof(struct meminfo, available) },
		{ "Buffers", offsetof(struct meminfo, buffers) },
		{ "Cached", offsetof(struct meminfo, cached) },
		{ "Shmem", offsetof(struct meminfo, shmem) },
		{ "SReclaimable", offsetof(struct meminfo, sreclaimable) },
		{ "SwapTotal", offsetof(struct meminfo, swap_total) },
		{ "SwapFree", offsetof(struct meminfo, swap_free) },
	};
	memset(mi, 0, sizeof(*mi));
	for (const char *line = text; line && *line;) {
		const char *colon = strchr(line, ':');
		const char *nl = strchr(line, '\n');
		if (colon && (!nl || colon < nl)) {
			size_t n = (size_t)(colon - line);
			for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
				if (strlen(fields[i].name) == n && !strncmp(line, fields[i].name, n)) {
					*(unsigned long long *)((char *)mi + fields[i].off) = strtoull(colon + 1, NULL, 10);
					break;
				}
			}
		}
		line = nl ? nl + 1 : NULL;
	}
}

int sh_free(struct memhp *m, int argc, char **argv, struct sh_io *io)
{
	/* the unit as a shift of bytes */
	int steps = 10;
	if (argc > 1 && argv[1][0] == '-') {
		switch (argv[1][1]) {
		case 'b': steps = 0; break;
		case 'k': steps = 10; break;
		case 'm': steps = 20; break;
		case 'g': steps = 30; break;
		default:
			sb_puts(io->err, "Usage: free [-bkmg]\n");
			io->errnum = EINVAL;
			return 1;
		}
	}
	struct sbuf text = SBUF_INIT;
	int ret = sh_read_file(m, "/proc/meminfo", &text);
	if (ret < 0) {
		sb_printf(io->err, "free: /proc/meminfo: %s\n", strerror(-ret));
		io->errnum = -ret;
		sb_free(&text);
		return 1;
	}
	struct meminfo mi;
	parse_meminfo(sb_str(&text), &mi);
	sb_free(&text);

	unsigned long long cached = mi.cached + mi.buffers + mi.sreclaimable;
	unsigned long long busy = cached + mi.free;
	unsigned long long used = mi.total > busy ? mi.total - busy : 0;
	unsigned long long swap_used = mi.swap_total > mi.swap_free ? mi.swap_total - mi.swap_free : 0;
	/* busybox 1.35 rounds to the nearest unit (1004 MiB for 1027812 kB), from bytes */
#define SCALE(kb) (steps ? (((kb) << 10) + (1ULL << (steps - 1))) >> steps : (kb) << 10)
	sb_printf(io->out, "       %12s%12s%12s%12s%12s%12s\n", "total", "used", "free", "shared", "buff/cache",
		  "available");
	sb_printf(io->out, "Mem:   %12llu %11llu %11llu %11llu %11llu %11llu\n", SCALE(mi.total), SCALE(used),
		  SCALE(mi.free), SCALE(mi.shmem), SCALE(cached), SCALE(mi.available));
	sb_printf(io->out, "Swap:   %11llu %11llu %11llu\n", SCALE(mi.swap_total), SCALE(swap_used),
		  SCALE(mi.swap_free));
#undef SCALE
	return 0;
}
