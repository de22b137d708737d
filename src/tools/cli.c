// SPDX-License-Identifier: MIT
/*
 * Option parsing for the memhp subcommands, with getopt_long()'s wording
 * (glibc: "unrecognized option '--x'", "option '--x' requires an argument",
 * "option '--x' doesn't allow an argument", "invalid option -- 'x'") and
 * util-linux's errtryhelp() line after it. getopt_long() itself cannot be
 * used where QEMU's single-dash options follow memhp's, so this walks the
 * words the same way and stops at the first one that is not memhp's.
 */
#include "cli.h"
#include "memhp/memhp.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("memhp: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'memhp --help' for more information.\n", stderr);
	return CLI_EXIT_USAGE;
}

void cli_print_version(void)
{
	printf("memhp %s (Linux 6.1 memory hotplug, QEMU 7.2 pc machine)\n", memhp_version());
}

static const struct cli_opt common[] = {
	{ "help", 'h', false, CLI_HELP },
	{ "version", 'V', false, CLI_VERSION },
	{ NULL, 0, false, 0 },
};

static const struct cli_opt *find_long(const struct cli_opt *opts, const char *name, size_t len)
{
	for (const struct cli_opt *o = opts; o->name; o++)
		if (strlen(o->name) == len && !strncmp(o->name, name, len))
			return o;
	for (const struct cli_opt *o = common; o->name; o++)
		if (strlen(o->name) == len && !strncmp(o->name, name, len))
			return o;
	return NULL;
}

static const struct cli_opt *find_short(const struct cli_opt *opts, char c)
{
	for (const struct cli_opt *o = opts; o->name; o++)
		if (o->short_name == c)
			return o;
	for (const struct cli_opt *o = common; o->name; o++)
		if (o->short_name == c)
			return o;
	return NULL;
}

int cli_next(int argc, char **argv, int *i, const struct cli_opt *opts, bool qemu_follows, const char **arg)
{
	const char *w;
	const struct cli_opt *o;

	*arg = NULL;
	if (*i >= argc)
		return 0;
	w = argv[*i];
	if (!strcmp(w, "--")) {
		(*i)++;
		return 0;
	}
	if (w[0] != '-' || !w[1])
		return 0;
	if (w[1] != '-') {
		/* -h and -V, or a short option of memhp's; else QEMU's options begin here */
		o = w[2] ? NULL : find_short(opts, w[1]);
		if (!o) {
			if (qemu_follows)
				return 0;
			cli_usage_error("invalid option -- '%c'", w[1]);
			return -3;
		}
		(*i)++;
		if (o->has_arg) {
			if (*i >= argc) {
				cli_usage_error("option requires an argument -- '%c'", w[1]);
				return -3;
			}
			*arg = argv[(*i)++];
		}
		return o->id;
	}
	size_t len = strcspn(w + 2, "=");

	o = find_long(opts, w + 2, len);
	if (!o) {
		cli_usage_error("unrecognized option '%s'", w);
		return -3;
	}
	(*i)++;
	if (w[2 + len] == '=') {
		if (!o->has_arg) {
			cli_usage_error("option '--%s' doesn't allow an argument", o->name);
			return -3;
		}
		*arg = w + 3 + len;
	} else if (o->has_arg) {
		if (*i >= argc) {
			cli_usage_error("option '--%s' requires an argument", o->name);
			return -3;
		}
		*arg = argv[(*i)++];
	}
	return o->id;
}
