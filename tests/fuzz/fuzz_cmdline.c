// SPDX-License-Identifier: MIT
/*
 * The QEMU command line (memhp_new): any text is either refused with a
 * message or boots a guest whose mm invariants hold, and which is freed
 * without a leak (LeakSanitizer).
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = fuzz_string(data, size, 4096), *err = NULL;
	struct memhp *m = memhp_new(line, &err);

	if (m) {
		if (err)
			fuzz_fail("a message with a machine", line);
		if (fuzz_verify(m, line))
			fuzz_fail("mm_verify", line);
		memhp_free(m);
	} else if (!err || !*err) {
		fuzz_fail("refused without a message", line);
	}
	free(err);
	free(line);
	return 0;
}
