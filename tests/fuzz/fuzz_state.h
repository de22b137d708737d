/* SPDX-License-Identifier: MIT */
/*
 * What every fuzzing test asserts after an input (the libFuzzer harnesses
 * of tests/fuzz/ and the fixed-seed tests/unit/test_fuzz.c): the mm
 * invariants hold (mm_verify), and a refused monitor command or file write
 * left the guest's and the machine's state as it was, as Linux's and
 * QEMU's error paths roll back.
 */
#ifndef MEMHP_TESTS_FUZZ_STATE_H
#define MEMHP_TESTS_FUZZ_STATE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memhp/memhp.h>
#include "lib/sbuf.h"
#include "mm/internal.h"
#include "api/api_internal.h"

/*
 * The state a refused command must not change: iomem, every memory block's
 * state, the auto-online policy, the machine's devices and backends. Not
 * zoneinfo's free counts: a refused soft_offline_page has drained the
 * per-CPU lists first, as Linux's does.
 */
static inline void fuzz_dump(struct memhp *m, struct sbuf *d)
{
	static const char *const files[] = { "/proc/iomem", "/sys/devices/system/memory/auto_online_blocks" };
	char **names = NULL, *s;
	size_t n = 0;

	sb_reset(d);
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		int rc = memhp_read(m, files[i], &s);

		sb_printf(d, "== %s %d\n%s", files[i], rc, s ? s : "");
		free(s);
	}
	if (memhp_list(m, "/sys/devices/system/memory", &names, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			char path[160];

			if (strncmp(names[i], "memory", 6) || names[i][6] < '0' || names[i][6] > '9')
				continue;
			snprintf(path, sizeof(path), "/sys/devices/system/memory/%s/state", names[i]);
			if (memhp_read(m, path, &s) == 0)
				sb_printf(d, "%s %s", names[i], s);
			free(s);
		}
		memhp_free_list(names, n);
	}
	memhp_monitor(m, "info memory-devices", &s);
	sb_puts(d, s ? s : "");
	free(s);
	memhp_monitor(m, "info memdev", &s);
	sb_puts(d, s ? s : "");
	free(s);
}

/* mm_verify() of m's guest: 0, or 1 with the broken invariant printed after what was input. */
static inline int fuzz_verify(struct memhp *m, const char *input)
{
	struct sbuf why = SBUF_INIT;
	int bad = mm_verify(guest_kernel(m), &why);

	if (bad)
		printf("# mm_verify after '%s': %s\n", input, sb_str(&why));
	sb_free(&why);
	return bad;
}

#endif
