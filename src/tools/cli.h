/* SPDX-License-Identifier: MIT */
/*
 * util-linux's command-line conventions for the memhp program (cli.c):
 * long options as --opt VALUE or --opt=VALUE, --help on stdout with exit 0,
 * --version, and getopt_long()'s messages for a wrong option followed by
 * "Try 'memhp --help' for more information." (exit 1).
 */
#ifndef MEMHP_TOOLS_CLI_H
#define MEMHP_TOOLS_CLI_H

#include <stdbool.h>

#define CLI_EXIT_USAGE 1	/* util-linux's EXIT_FAILURE for a bad command line */

struct cli_opt {
	const char *name;	/* long name, without "--" */
	char short_name;	/* 0: none */
	bool has_arg;
	int id;
};

/* the ids every subcommand knows */
enum { CLI_HELP = -1, CLI_VERSION = -2 };

/*
 * The next memhp option at argv[*i] (options come before the QEMU options:
 * parsing stops at the first word that is not an option of memhp's, or after
 * "--"). Returns its id (*arg: its value), 0 at the end of memhp's options,
 * or -3 after printing getopt_long's message and the "Try" line.
 * qemu_follows: single-dash words are QEMU's, not memhp's.
 */
int cli_next(int argc, char **argv, int *i, const struct cli_opt *opts, bool qemu_follows, const char **arg);
/* "memhp: MESSAGE\nTry 'memhp --help' for more information.\n" on stderr: CLI_EXIT_USAGE */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_print_version(void);

#endif
