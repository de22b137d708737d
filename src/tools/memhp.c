// SPDX-License-Identifier: MIT
/*
 * memhp: run a scenario, drive a machine by hand, or compare transcripts.
 *
 *   memhp                         the BiscuitOS session (examples/biscuitos.scn)
 *   memhp run FILE.scn            the transcript of a scenario
 *   memhp shell [QEMU OPTIONS]    an interactive machine
 *   memhp compare EXPECTED ACTUAL / memhp compare --normalise FILE
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memhp/memhp.h"
#include "../user/scenario.h"
#include "compare.h"
#include "interactive.h"
#include "report_html.h"
#include "serve.h"


static void usage(FILE *f)
{
	fprintf(f, "usage: memhp                          run the BiscuitOS session (examples/biscuitos.scn)\n"
		   "       memhp run FILE.scn             run a scenario, print its transcript\n"
		   "       memhp run --trace FILE.scn     the same, with the kernel's flow (\"  | \" lines)\n"
		   "       memhp run --html REPORT.html FILE.scn  also write the transcript and pictures of memory\n"
		   "       memhp shell [QEMU OPTIONS]     an interactive machine (monitor and guest shell)\n"
		   "       memhp compare EXPECTED ACTUAL  compare two transcripts after normalisation\n"
		   "       memhp compare --normalise FILE print a transcript's normalised form\n"
		   "       memhp serve [--mount DIR] [--qmp SOCKET] [--on-event CMD] [--allow-other]\n"
		   "                   [--monitor] QEMU-OPTIONS...   a long-running machine (FUSE, QMP)\n"
		   "       memhp monitor [SERVE OPTIONS] QEMU-OPTIONS...  serve, printing kernel uevents\n"
		   "       memhp --help | --version\n"
		   "A scenario is the format of docs/scenario-format.md: one \"qemu OPTIONS\" line,\n"
		   "then \"(qemu) MONITOR COMMAND\" and \"$ GUEST SHELL COMMAND\" lines.\n");
}

static int run_file(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f) {
		fprintf(stderr, "memhp: %s: %s\n", path, strerror(errno));
		return 2;
	}
	int status = scenario_run(f, path, stdout, stderr);
	if (f != stdin)
		fclose(f);
	if (fflush(stdout) != 0 && !status)
		status = 2;
	return status;
}

/* examples/biscuitos.scn beside the build directory of this program, else under the current directory. */
static int run_default(void)
{
	char exe[PATH_MAX], path[PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = 0;
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = 0;
			snprintf(path, sizeof(path), "%s/../examples/biscuitos.scn", exe);
			if (access(path, R_OK) == 0)
				return run_file(path);
		}
	}
	if (access("examples/biscuitos.scn", R_OK) == 0)
		return run_file("examples/biscuitos.scn");
	fprintf(stderr, "memhp: examples/biscuitos.scn not found (run memhp from the source tree, "
			"or give a scenario: memhp run FILE.scn)\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return run_default();
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("memhp %s (Linux 6.1 memory hotplug, QEMU 7.2 pc machine)\n", memhp_version());
		return 0;
	}
	if (!strcmp(cmd, "run")) {
		/* --trace: the kernel's flow, interleaved with the transcript on stdout */
		if (argc == 4 && !strcmp(argv[2], "--trace")) {
			scenario_set_trace(stdout);
			return run_file(argv[3]);
		}
		/* --html REPORT: the transcript and the pictures of memory as one HTML page */
		if (argc == 5 && !strcmp(argv[2], "--html")) {
			if (report_html_open(argv[3], argv[4]))
				return 2;
			int status = run_file(argv[4]);
			return report_html_close() && !status ? 2 : status;
		}
		if (argc != 3) {
			usage(stderr);
			return 2;
		}
		return run_file(argv[2]);
	}
	if (!strcmp(cmd, "shell"))
		return interactive_main(argc - 2, argv + 2);
	if (!strcmp(cmd, "serve"))
		return serve_main(argc - 2, argv + 2, false);
	if (!strcmp(cmd, "monitor"))
		return serve_main(argc - 2, argv + 2, true);
	if (!strcmp(cmd, "compare"))
		return compare_main(argc - 1, argv + 1);
	fprintf(stderr, "memhp: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
