/* SPDX-License-Identifier: MIT */
/*
 * The guest shell's interpreter state, shared by the executor (shell.c),
 * word expansion (sh_expand.c), arithmetic (sh_arith.c) and the builtins
 * that change the shell (shell_builtins.c).
 */
#ifndef MEMHP_USER_SH_INTERP_H
#define MEMHP_USER_SH_INTERP_H

#include <stdbool.h>

#include "sh_ast.h"
#include "shell.h"

/*
 * busybox would loop forever on `while true; do :; done`; memhp must not, so
 * one command line may run at most this many loop iterations (all loops
 * together) before it stops with "sh: loop limit exceeded".
 */
#define SH_MAX_ITERATIONS 100000
/* Nesting of $(...) and eval-like recursion. */
#define SH_MAX_DEPTH 32

struct sh_var {
	char *name, *value;
};

struct shell {
	struct memhp *m;
	struct sh_var *vars;
	size_t nvars;
	int status;		/* $? */
	int breaking;		/* loops still to leave (break N) */
	bool continuing;	/* the innermost loop being left continues */
	int loops;		/* loops we are in */
	bool exiting;		/* exit, or a fatal error: stop the line */
	long iterations;
	int depth;
	bool substed;		/* a $(...) ran: an assignment-only command takes its status */
	int errnum;		/* the last errno a command met */
};

const char *sh_getvar(struct shell *sh, const char *name);
void sh_setvar(struct shell *sh, const char *name, const char *value);
void sh_unsetvar(struct shell *sh, const char *name);

/* A shell-level error ("sh: MSG"): the line stops, $? is 2 (as ash's non-interactive errors). */
void sh_fatal(struct shell *sh, struct sh_io *io, const char *msg);

enum sh_expand_mode {
	SX_FIELDS,	/* field splitting and pathname expansion: command words, for lists */
	SX_STRING,	/* one string, no splitting: assignments, redirection targets, case subjects */
	SX_PATTERN,	/* one fnmatch pattern, quoted characters escaped: case patterns, ${x#pat} */
};

/* Expand a raw word, adding its fields to out. 0, or -1 after a fatal error (already reported). */
int sh_expand(struct shell *sh, const char *raw, enum sh_expand_mode mode, struct strlist *out, struct sh_io *io);
/* The same, for exactly one string (SX_STRING or SX_PATTERN); the caller frees it; NULL on error. */
char *sh_expand_one(struct shell *sh, const char *raw, enum sh_expand_mode mode, struct sh_io *io);

/* Evaluate an arithmetic expression (already expanded); 0 or -1 after an error (reported). */
int sh_arith(struct shell *sh, const char *expr, long long *result, struct sh_io *io);

/* Run a command line's text in this shell (command substitution); its output goes to io->out. */
int sh_run_text(struct shell *sh, const char *text, struct sh_io *io);
/* Run a parsed tree. */
int sh_exec(struct shell *sh, const struct sh_node *n, struct sh_io *io);

/* Builtins that see the shell; NULL if name is not one. */
typedef int (*sh_builtin_fn)(struct shell *sh, int argc, char **argv, struct sh_io *io);
sh_builtin_fn sh_find_builtin(const char *name);

#endif
