// SPDX-License-Identifier: MIT
/*
 * The builtins that change the shell itself (so they cannot be ordinary
 * commands): break, continue, exit, read, eval, export, unset, set, local.
 * Messages are ash's ("sh: break: line 0: Illegal number: 0"; ash numbers
 * lines of an eval'd string from 0).
 */
#include <errno.h>
#include "../lib/alloc.h"
#include <stdlib.h>
#include <string.h>

#include "sh_interp.h"

/* A non-negative decimal number, as ash's number() takes it; -1 if not one. */
static long number_arg(const char *s)
{
	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9)
		return -1;
	return strtol(s, NULL, 10);
}

static int illegal_number(struct shell *sh, const char *cmd, const char *arg, struct sh_io *io)
{
	struct sbuf msg = SBUF_INIT;
	sb_printf(&msg, "%s: line 0: Illegal number: %s", cmd, arg);
	sh_fatal(sh, io, sb_str(&msg));
	sb_free(&msg);
	return 2;
}

static int loop_control(struct shell *sh, int argc, char **argv, struct sh_io *io)
{
	long n = 1;
	if (argc > 1) {
		n = number_arg(argv[1]);
		if (n <= 0)
			return illegal_number(sh, argv[0], argv[1], io);
	}
	if (!sh->loops)
		return 0;
	sh->breaking = n > sh->loops ? sh->loops : (int)n;
	sh->continuing = argv[0][0] == 'c';
	return 0;
}

static int b_exit(struct shell *sh, int argc, char **argv, struct sh_io *io)
{
	int status = sh->status;
	if (argc > 1) {
		long n = number_arg(argv[1]);
		if (n < 0)
			return illegal_number(sh, "exit", argv[1], io);
		status = (int)(n & 255);
	}
	sh->status = status;
	sh->exiting = true;
	return status;
}

/* read [-r] [NAME...]: one line of the shell's input, split on blanks; the last name takes the rest. */
static int b_read(struct shell *sh, int argc, char **argv, struct sh_io *io)
{
	bool raw = false;
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "-r")) {
			sb_printf(io->err, "sh: read: invalid option -- '%c'\n", argv[i][1]);
			return 2;
		}
		raw = true;
	}
	struct sbuf line = SBUF_INIT;
	bool eol = false;
	while (io->in && io->in_len) {
		char c = *io->in++;
		io->in_len--;
		if (c == '\\' && !raw && io->in_len) {
			c = *io->in++;
			io->in_len--;
			if (c != '\n')
				sb_putc(&line, c);
			continue;
		}
		if (c == '\n') {
			eol = true;
			break;
		}
		sb_putc(&line, c);
	}
	char *reply[] = { "REPLY" };
	char **names = i < argc ? argv + i : reply;
	int nnames = i < argc ? argc - i : 1;
	const char *p = sb_str(&line);
	for (int k = 0; k < nnames; k++) {
		p += strspn(p, " \t");
		size_t n = k == nnames - 1 ? strlen(p) : strcspn(p, " \t");
		if (k == nnames - 1)
			while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
				n--;
		char *v = mh_strndup(p, n);
		if (!v)
			out_of_memory(ALLOC_WHERE, 0);
		sh_setvar(sh, names[k], v);
		free(v);
		p += n;
	}
	sb_free(&line);
	return eol ? 0 : 1;
}

static int b_eval(struct shell *sh, int argc, char **argv, struct sh_io *io)
{
	struct sbuf text = SBUF_INIT;
	for (int i = 1; i < argc; i++) {
		if (i > 1)
			sb_putc(&text, ' ');
		sb_puts(&text, argv[i]);
	}
	struct sh_node *tree;
	struct sbuf err = SBUF_INIT;
	int status = 0;
	if (sh->depth >= SH_MAX_DEPTH) {
		sh_fatal(sh, io, "memhp: eval nested too deeply");
		status = 2;
	} else if (sh_parse(sb_str(&text), &tree, &err) < 0) {
		sh_fatal(sh, io, sb_str(&err));
		status = 2;
	} else {
		sh->depth++;
		status = sh_exec(sh, tree, io);
		sh->depth--;
		sh_node_free(tree);
	}
	sb_free(&err);
	sb_free(&text);
	return status;
}

/* export/local NAME[=VALUE]...: the guest's commands read no environment, so only the value matters. */
static int b_export(struct shell *sh, int argc, char **argv, struct sh_io *io)
{
	for (int i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (!eq)
			continue;
		*eq = 0;
		sh_setvar(sh, argv[i], eq + 1);
		*eq = '=';
	}
	return 0;
}

static int b_unset(struct shell *sh, int argc, char **argv, struct sh_io *io)
{
	for (int i = 1; i < argc; i++)
		if (argv[i][0] != '-')
			sh_unsetvar(sh, argv[i]);
	return 0;
}

static int b_set(struct shell *sh, int argc, char **argv, struct sh_io *io)
{
	return 0;	/* options and positional parameters are not modelled */
}

static const struct {
	const char *name;
	sh_builtin_fn fn;
} builtins[] = {
	{ "break", loop_control },
	{ "continue", loop_control },
	{ "eval", b_eval },
	{ "exit", b_exit },
	{ "export", b_export },
	{ "local", b_export },
	{ "read", b_read },
	{ "set", b_set },
	{ "unset", b_unset },
};

sh_builtin_fn sh_find_builtin(const char *name)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (!strcmp(builtins[i].name, name))
			return builtins[i].fn;
	return NULL;
}
