// SPDX-License-Identifier: MIT
/*
 * The human monitor (memhp_monitor): each line of the input is a command to
 * a fresh two-node guest with free DIMM slots; after a refused command the
 * state is as before, after every command the invariants hold.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct memhp *m = memhp_new(FUZZ_GUEST, NULL);

	if (!m)
		abort();
	memhp_set_offline_timeout(m, FUZZ_OFFLINE_TIMEOUT_MS);
	fuzz_each_line(data, size, 64, fuzz_monitor_line, m);
	memhp_free(m);
	return 0;
}
