// SPDX-License-Identifier: MIT
/*
 * The guest shell (memhp_shell): each line of the input is a command line
 * in a fresh guest with a DIMM plugged; the invariants hold after each.
 */
#include "fuzz.h"

static void shell_line(struct memhp *m, const char *line)
{
	char *out = NULL;

	memhp_shell(m, line, &out);
	free(out);
	if (fuzz_verify(m, line))
		fuzz_fail("mm_verify", line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct memhp *m = memhp_new("-m 1G,slots=4,maxmem=8G -smp 2", NULL);
	char *out = NULL;

	if (!m)
		abort();
	memhp_set_offline_timeout(m, FUZZ_OFFLINE_TIMEOUT_MS);
	memhp_monitor(m, "object_add memory-backend-ram,id=m1,size=512M", &out);
	free(out);
	memhp_monitor(m, "device_add pc-dimm,id=d1,memdev=m1", &out);
	free(out);
	fuzz_each_line(data, size, 32, shell_line, m);
	memhp_free(m);
	return 0;
}
