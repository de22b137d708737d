/* SPDX-License-Identifier: MIT */
/*
 * What the libFuzzer harnesses of tests/fuzz/ share. Each harness defines
 * LLVMFuzzerTestOneInput(); `make fuzz` links it with clang's libFuzzer
 * under ASan+UBSan, and `make check` links it with replay.c, which runs
 * the seed corpus through it once. A broken invariant is a crash
 * (fuzz_fail aborts), so libFuzzer keeps the input that broke it.
 */
#ifndef MEMHP_TESTS_FUZZ_H
#define MEMHP_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "fuzz_state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The harnesses' guest: two nodes with memory, a third without (a DIMM there brings a new node online). */
#define FUZZ_GUEST \
	"-m 2G,slots=8,maxmem=16G -smp 2 -object memory-backend-ram,id=r0,size=1G " \
	"-object memory-backend-ram,id=r1,size=1G -numa node,nodeid=0,cpus=0,memdev=r0 " \
	"-numa node,nodeid=1,cpus=1,memdev=r1 -numa node,nodeid=2"

/*
 * An offline whose pages cannot be migrated anywhere retries until a signal,
 * as Linux 6.1's offline_pages() does: a harness's guest ends it after this
 * long (memhp_set_offline_timeout), as a user would with Ctrl-C.
 */
#define FUZZ_OFFLINE_TIMEOUT_MS	2000

/* A broken invariant: say which, after what input, and abort. */
__attribute__((noreturn)) static inline void fuzz_fail(const char *what, const char *input)
{
	fprintf(stderr, "fuzz: %s after '%s'\n", what, input);
	abort();
}

/* data[0, size) as a string, cut at the first NUL and at most max bytes (free it). */
static inline char *fuzz_string(const uint8_t *data, size_t size, size_t max)
{
	size_t n = strnlen((const char *)data, size < max ? size : max);
	char *s = malloc(n + 1);

	if (!s)
		abort();
	memcpy(s, data, n);
	s[n] = 0;
	return s;
}

/*
 * The lines of data (at most max_lines), each handed to fn with m. A
 * harness's machine is made anew for every input, so that an input's
 * effect does not depend on the inputs before it.
 */
static inline void fuzz_each_line(const uint8_t *data, size_t size, int max_lines,
				  void (*fn)(struct memhp *m, const char *line), struct memhp *m)
{
	char *text = fuzz_string(data, size, 64 * 1024), *save = NULL;
	int n = 0;

	for (char *line = strtok_r(text, "\n", &save); line && n < max_lines;
	     line = strtok_r(NULL, "\n", &save), n++)
		fn(m, line);
	free(text);
}

/* Run one monitor command; if refused, the state must be as before; the invariants must hold. */
static inline void fuzz_monitor_line(struct memhp *m, const char *line)
{
	struct sbuf before = SBUF_INIT, after = SBUF_INIT;
	char *out = NULL;

	fuzz_dump(m, &before);
	if (memhp_monitor(m, line, &out) < 0) {
		fuzz_dump(m, &after);
		if (strcmp(sb_str(&before), sb_str(&after))) {
			fprintf(stderr, "--- before\n%s--- after\n%s", sb_str(&before), sb_str(&after));
			fuzz_fail("a refused monitor command changed the state", line);
		}
	}
	free(out);
	sb_free(&before);
	sb_free(&after);
	if (fuzz_verify(m, line))
		fuzz_fail("mm_verify", line);
}

#endif
