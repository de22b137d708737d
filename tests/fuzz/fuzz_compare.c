// SPDX-License-Identifier: MIT
/*
 * The normaliser and `memhp compare`: the input is two transcripts
 * separated by a NUL byte (the second empty without one). Both are
 * normalised; each compared with itself matches (exit 0), and the two
 * compared give 0 or 1, never a crash.
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "tools/compare.h"

static int file_of(const uint8_t *data, size_t size, char *path, size_t pathlen)
{
	int fd = memfd_create("transcript", 0);

	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size))
		abort();
	snprintf(path, pathlen, "/proc/self/fd/%d", fd);
	return fd;
}

static int compare(const char *a, const char *b)
{
	char *argv[] = { "compare", (char *)a, (char *)b, NULL };

	return compare_main(3, argv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int quiet;
	const uint8_t *nul = memchr(data, 0, size);
	size_t alen = nul ? (size_t)(nul - data) : size;
	char a[64], b[64];
	int fa, fb, rc, saved;

	/* compare prints a diff on stdout: not wanted at millions of runs */
	if (quiet < 0 || (quiet == 0 && (quiet = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0))
		abort();
	fflush(stdout);
	saved = dup(1);
	if (saved < 0 || dup2(quiet, 1) < 0)
		abort();
	fa = file_of(data, alen, a, sizeof(a));
	fb = nul ? file_of(nul + 1, size - alen - 1, b, sizeof(b)) : file_of(data, 0, b, sizeof(b));
	if (compare(a, a) != 0)
		fuzz_fail("a transcript compared with itself differs", "the first transcript");
	if (compare(b, b) != 0)
		fuzz_fail("a transcript compared with itself differs", "the second transcript");
	rc = compare(a, b);
	if (rc != 0 && rc != 1)
		fuzz_fail("compare gave neither 0 nor 1", "the two transcripts");
	fflush(stdout);
	if (dup2(saved, 1) < 0)
		abort();
	close(saved);
	close(fa);
	close(fb);
	return 0;
}
