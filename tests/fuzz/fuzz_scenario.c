// SPDX-License-Identifier: MIT
/*
 * Scenario files (scenario_run, what `memhp run` does): any text is run or
 * refused with an exit status of the documented ones, and the invariants
 * hold after every line that ran on a machine.
 */
#include "fuzz.h"
#include "user/scenario.h"

static void after_line(void *arg, struct memhp *m, const char *line, const char *output)
{
	if (m && fuzz_verify(m, line))
		fuzz_fail("mm_verify", line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	FILE *in;
	int rc;

	if (size > 64 * 1024)
		return 0;
	if (!null && !(null = fopen("/dev/null", "w")))
		abort();
	in = fmemopen((void *)data, size ? size : 1, "r");
	if (!in)
		abort();
	if (!size)
		fgetc(in);	/* an empty file: fmemopen() takes no empty buffer */
	scenario_set_step_hook(after_line, NULL);
	rc = scenario_run(in, "fuzz.scn", null, null);
	fclose(in);
	if (rc < 0 || rc > 3) {
		char status[32];

		snprintf(status, sizeof(status), "exit status %d", rc);
		fuzz_fail(status, "the scenario");
	}
	return 0;
}
