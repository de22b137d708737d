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
#include "../api/host.h"
#include "cli.h"
#include "compare.h"
#include "progress.h"
#include "interactive.h"
#include "report_html.h"
#include "serve.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: memhp                          run the BiscuitOS session (examples/biscuitos.scn)\n"
		   "       memhp run FILE.scn             run a scenario, print its transcript\n"
		   "       memhp run --trace FILE.scn     the same, with the kernel's flow (\"  | \" lines)\n"
		   "       memhp run --html REPORT.html FILE.scn  also write the transcript and pictures of memory\n"
		   "       memhp run --strict FILE.scn    fail (exit 3) on a command the monitor or guest does not know\n"
		   "       memhp shell [QEMU OPTIONS]     an interactive machine (monitor and guest shell)\n"
		   "       memhp compare EXPECTED ACTUAL  compare two transcripts after normalisation\n"
		   "       memhp compare --normalise FILE print a transcript's normalised form\n"
		   "       memhp serve [--mount DIR] [--qmp SOCKET] [--on-event CMD] [--allow-other]\n"
		   "                   [--monitor] QEMU-OPTIONS...   a long-running machine (FUSE, QMP)\n"
		   "       memhp monitor [SERVE OPTIONS] QEMU-OPTIONS...  serve, printing kernel uevents\n"
		   "       memhp --help | --version\n"
		   "Every subcommand takes --help and --version; long options take --opt VALUE or --opt=VALUE,\n"
		   "before the QEMU options. Exit status: 0 success, 1 a bad command line or QEMU refused\n"
		   "its options, 2 a file that cannot be read or a malformed scenario, 3 (run --strict)\n"
		   "an unknown command; compare: 1 when the transcripts differ.\n"
		   "A scenario is the format of docs/scenario-format.md: one \"qemu OPTIONS\" line,\n"
		   "then \"(qemu) MONITOR COMMAND\" and \"$ GUEST SHELL COMMAND\" lines.\n");
}

static int run_file(const char *path)
{
	scenario_set_line_hooks(progress_begin, progress_end);
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

static void run_usage(void)
{
	printf("usage: memhp run [--trace | --html REPORT.html] [--strict] FILE.scn\n"
	       "Run a scenario and print its transcript (FILE.scn may be - for standard input).\n"
	       "  -t, --trace    also print the modelled kernel's steps (\"  | \" lines)\n"
	       "      --html REPORT.html  also write the transcript and a picture of memory after\n"
	       "                 each step that changes it, as one self-contained HTML page\n"
	       "      --strict   exit 3 when the monitor or the guest shell does not know a command\n"
	       "  -h, --help     this text\n"
	       "  -V, --version  the version\n"
	       "Every line that cannot be run is listed (file:line) and nothing runs; exit status 2.\n");
}

enum { RUN_TRACE = 1, RUN_STRICT, RUN_HTML };

static int run_main(int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		{ "trace", 't', false, RUN_TRACE }, { "strict", 0, false, RUN_STRICT },
		{ "html", 0, true, RUN_HTML }, { NULL, 0, false, 0 },
	};
	const char *arg, *html = NULL;
	bool trace = false;
	int i = 1, id;

	while ((id = cli_next(argc, argv, &i, opts, false, &arg)) != 0) {
		switch (id) {
		case CLI_HELP:
			run_usage();
			return 0;
		case CLI_VERSION:
			cli_print_version();
			return 0;
		case RUN_TRACE:
			scenario_set_trace(stdout);
			trace = true;
			break;
		case RUN_HTML:
			html = arg;
			break;
		case RUN_STRICT:
			scenario_set_strict(true);
			break;
		default:
			return CLI_EXIT_USAGE;
		}
	}
	if (i >= argc)
		return cli_usage_error("run: no scenario file given");
	if (i + 1 < argc)
		return cli_usage_error("run: one scenario file at a time (extra '%s')", argv[i + 1]);
	if (html && trace)
		return cli_usage_error("run: --html and --trace cannot be combined");
	if (!html)
		return run_file(argv[i]);
	/* the transcript and the pictures of memory as one HTML page */
	if (report_html_open(html, argv[i]))
		return 2;
	int status = run_file(argv[i]);
	return report_html_close() && !status ? 2 : status;
}

int main(int argc, char **argv)
{
	static const struct cli_opt none[] = { { NULL, 0, false, 0 } };
	const char *arg;
	int i = 1, id;

	if (argc < 2)
		return run_default();
	while ((id = cli_next(argc, argv, &i, none, false, &arg)) != 0) {
		if (id == CLI_HELP) {
			usage(stdout);
			return 0;
		}
		if (id == CLI_VERSION) {
			cli_print_version();
			return 0;
		}
		return CLI_EXIT_USAGE;
	}
	if (i >= argc)
		return run_default();
	const char *cmd = argv[i];
	if (!strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "run"))
		return run_main(argc - i, argv + i);
	if (!strcmp(cmd, "shell"))
		return interactive_main(argc - i - 1, argv + i + 1);
	if (!strcmp(cmd, "serve"))
		return serve_main(argc - i - 1, argv + i + 1, false);
	if (!strcmp(cmd, "monitor"))
		return serve_main(argc - i - 1, argv + i + 1, true);
	if (!strcmp(cmd, "compare"))
		return compare_main(argc - i, argv + i);
	return cli_usage_error("unknown command '%s'", cmd);
}
