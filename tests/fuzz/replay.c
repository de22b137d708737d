// SPDX-License-Identifier: MIT
/*
 * A harness of tests/fuzz/ without libFuzzer (make check): every file named
 * on the command line, or in a directory named there, is run through
 * LLVMFuzzerTestOneInput() once. Ends with "N passed, N failed" (a broken
 * invariant aborts).
 */
#include <dirent.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct sbuf b = SBUF_INIT;
	char chunk[8192];
	size_t n;

	if (!f)
		return 0;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sb_add(&b, chunk, n);
	fclose(f);
	LLVMFuzzerTestOneInput((const uint8_t *)(b.s ? b.s : ""), b.len);
	sb_free(&b);
	return 1;
}

int main(int argc, char **argv)
{
	int runs = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		DIR *d;
		struct dirent *e;

		if (stat(argv[i], &st))
			continue;
		if (!S_ISDIR(st.st_mode)) {
			runs += run_file(argv[i]);
			continue;
		}
		if (!(d = opendir(argv[i])))
			continue;
		while ((e = readdir(d))) {
			char path[4096];

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
			runs += run_file(path);
		}
		closedir(d);
	}
	printf("ok - %s: %d inputs of the seed corpus, invariants held after each\n", argv[0], runs);
	printf("%d passed, 0 failed\n", runs ? 1 : 0);
	return runs ? 0 : 1;
}
