// SPDX-License-Identifier: MIT
/*
 * The guest shell: memhp_shell() runs one command line as busybox ash would
 * in the oracle's guest (cwd "/", stderr merged into stdout). This file runs
 * the parsed tree (sh_parse.c): lists, pipelines, compound commands,
 * redirections and simple commands. A redirection to a guest file is written
 * with one write(2) of everything the command printed, as echo does on the
 * real guest. Each line starts afresh, as the oracle runs each line in a
 * subshell: no variables carry over and $? starts at 0.
 */
#include <errno.h>
#include "../lib/alloc.h"
#include <fnmatch.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../fs/vfs.h"
#include "../api/api_internal.h"
#include "shell.h"
#include "sh_interp.h"

void sh_abspath(const char *path, struct sbuf *out)
{
	if (path[0] != '/')
		sb_putc(out, '/');
	sb_puts(out, path);
}

int sh_read_file(struct memhp *m, const char *path, struct sbuf *out)
{
	struct sbuf abs = SBUF_INIT;
	sh_abspath(path, &abs);
	int ret = vfs_read(guest_kernel(m), sb_str(&abs), out);
	sb_free(&abs);
	return ret;
}

static int sh_true(struct memhp *m, int argc, char **argv, struct sh_io *io) { return 0; }
static int sh_false(struct memhp *m, int argc, char **argv, struct sh_io *io) { return 1; }

static const struct {
	const char *name;
	sh_cmd_fn fn;
} commands[] = {
	{ ":", sh_true },
	{ "[", sh_test },
	{ "cat", sh_cat },
	{ "daxctl", sh_daxctl },
	{ "dmesg", sh_dmesg },
	{ "echo", sh_echo },
	{ "false", sh_false },
	{ "free", sh_free },
	{ "grep", sh_grep },
	{ "head", sh_head },
	{ "ls", sh_ls },
	{ "memhog", sh_memhog },
	{ "modprobe", sh_modprobe },
	{ "mount", sh_mount },
	{ "ndctl", sh_ndctl },
	{ "printf", sh_printf },
	{ "rmmod", sh_rmmod },
	{ "sleep", sh_true },	/* the guest's work is synchronous: nothing to wait for */
	{ "sort", sh_sort },
	{ "sync", sh_true },
	{ "tail", sh_tail },
	{ "tee", sh_tee },
	{ "test", sh_test },
	{ "true", sh_true },
	{ "uniq", sh_uniq },
	{ "wc", sh_wc },
};

static sh_cmd_fn lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return commands[i].fn;
	return NULL;
}

/* ash's wording of a failed redirection: ENOENT and ENOTDIR have words of their own. */
static void redir_error(struct sbuf *err, const char *path, int errnum, bool input)
{
	const char *what = input ? "no such file" : "nonexistent directory";
	if (errnum != ENOENT && errnum != ENOTDIR)
		what = strerror(errnum);
	/* "sh: can't create PATH: ..." is "sh: PATH: ..." after the oracle's canonicalisation */
	if (input)
		sb_printf(err, "sh: can't open %s: %s\n", path, what);
	else
		sb_printf(err, "sh: %s: %s\n", path, what);
}

/* Would open(path, O_WRONLY|O_CREAT|O_TRUNC) succeed on the guest? Each file system decides (vfs_open). */
static int open_for_write(struct kernel *k, const char *abs, bool append)
{
	return vfs_open(k, abs, O_WRONLY | (append ? O_APPEND : O_TRUNC));
}

int sh_open_write(struct memhp *m, const char *path)
{
	struct sbuf abs = SBUF_INIT;
	sh_abspath(path, &abs);
	int ret = open_for_write(guest_kernel(m), sb_str(&abs), false);
	sb_free(&abs);
	return ret;
}

int sh_write_file(struct memhp *m, const char *path, const char *data, size_t len)
{
	struct sbuf abs = SBUF_INIT;
	sh_abspath(path, &abs);
	int ret = vfs_write(guest_kernel(m), sb_str(&abs), data, len);
	sb_free(&abs);
	return ret < 0 ? ret : 0;
}

#define MAX_REDIR 8

struct capture {
	char *path;		/* as the user wrote it */
	struct sbuf data;
};

/* The redirections of one command, open while it runs. */
struct redirs {
	struct capture cap[MAX_REDIR];
	int ncap;
	struct sbuf devnull, input;
	struct sh_io io;	/* what the command sees */
};

static void redirs_free(struct redirs *r)
{
	for (int i = 0; i < r->ncap; i++) {
		free(r->cap[i].path);
		sb_free(&r->cap[i].data);
	}
	sb_free(&r->devnull);
	sb_free(&r->input);
}

static struct sbuf **fd_slot(struct sh_io *io, int fd)
{
	return fd == 1 ? &io->out : fd == 2 ? &io->err : NULL;
}

/* One redirection whose target is already expanded; 0 or 1 (reported). */
static int redirect(struct shell *sh, const struct sh_redir *rd, const char *path, struct redirs *r)
{
	struct kernel *k = guest_kernel(sh->m);
	struct sh_io *io = &r->io;
	struct sbuf **slot = fd_slot(io, rd->fd);
	if (rd->kind == SR_DUP) {
		if (!strcmp(path, "-")) {
			if (slot)
				*slot = &r->devnull;
		} else if (strlen(path) == 1 && path[0] >= '0' && path[0] <= '9') {
			struct sbuf **from = fd_slot(io, path[0] - '0');
			if (slot && from)
				*slot = *from;
		} else {
			sb_printf(io->err, "sh: %s: bad number\n", path);
			return 1;
		}
		return 0;
	}
	struct sbuf abs = SBUF_INIT;
	sh_abspath(path, &abs);
	int ret = 0;
	if (rd->kind == SR_IN) {
		sb_reset(&r->input);
		ret = vfs_read(k, sb_str(&abs), &r->input);
		if (ret == 0 && rd->fd == 0) {
			io->in = sb_str(&r->input);
			io->in_len = r->input.len;
		}
	} else if (!strcmp(path, "/dev/null")) {
		if (slot)
			*slot = &r->devnull;
	} else if ((ret = open_for_write(k, sb_str(&abs), rd->kind == SR_APPEND)) == 0) {
		if (r->ncap == MAX_REDIR) {
			sb_printf(io->err, "sh: %s: too many redirections\n", path);
			sb_free(&abs);
			return 1;
		}
		struct capture *c = &r->cap[r->ncap++];
		c->path = mh_strdup(path);
		if (!c->path)
			out_of_memory(ALLOC_WHERE, 0);
		sb_init(&c->data);
		if (slot)
			*slot = &c->data;
	}
	sb_free(&abs);
	if (ret < 0) {
		redir_error(io->err, path, -ret, rd->kind == SR_IN);
		sh->errnum = -ret;
		return 1;
	}
	return 0;
}

static int redirs_open(struct shell *sh, const struct sh_node *n, struct sh_io *io, struct redirs *r)
{
	memset(r, 0, sizeof(*r));
	r->io = *io;
	for (size_t i = 0; i < n->nredirs; i++) {
		char *path = sh_expand_one(sh, n->redirs[i].word, SX_STRING, &r->io);
		int ret = path ? redirect(sh, &n->redirs[i], path, r) : 1;
		free(path);
		if (ret)
			return ret;
	}
	return 0;
}

/* Write what the command printed into each file; the command's status, or 1 if a write failed. */
static int redirs_close(struct shell *sh, struct redirs *r, int status)
{
	struct kernel *k = guest_kernel(sh->m);
	for (int i = 0; i < r->ncap; i++) {
		if (!r->cap[i].data.len)
			continue;
		struct sbuf abs = SBUF_INIT;
		sh_abspath(r->cap[i].path, &abs);
		int ret = vfs_write(k, sb_str(&abs), r->cap[i].data.s, r->cap[i].data.len);
		sb_free(&abs);
		if (ret >= 0)
			continue;
		if (ret == -EACCES || ret == -ENOENT || ret == -EISDIR)	/* refused at open */
			redir_error(r->io.err, r->cap[i].path, -ret, false);
		else
			sb_printf(r->io.err, "write error: %s\n", strerror(-ret));
		sh->errnum = -ret;
		status = 1;
	}
	return status;
}

void sh_fatal(struct shell *sh, struct sh_io *io, const char *msg)
{
	sb_printf(io->err, "sh: %s\n", msg);
	sh->status = 2;
	sh->exiting = true;
}

/* NAME=... with an unquoted valid name: an assignment. */
static size_t assignment_name(const char *w)
{
	size_t n = 0;
	while (w[n] == '_' || (w[n] >= 'a' && w[n] <= 'z') || (w[n] >= 'A' && w[n] <= 'Z') ||
	       (n && w[n] >= '0' && w[n] <= '9'))
		n++;
	return n && w[n] == '=' ? n : 0;
}

static int run_command(struct shell *sh, int argc, char **argv, struct sh_io *io)
{
	sh_builtin_fn b = sh_find_builtin(argv[0]);
	if (b)
		return b(sh, argc, argv, io);
	sh_cmd_fn fn = lookup(argv[0]);
	if (!fn) {
		sb_printf(io->err, "sh: %s: not found\n", argv[0]);
		sh->errnum = ENOENT;
		return 127;
	}
	io->errnum = 0;
	int status = fn(sh->m, argc, argv, io);
	if (io->errnum)
		sh->errnum = io->errnum;
	return status;
}

static int exec_simple(struct shell *sh, const struct sh_node *n, struct sh_io *io)
{
	struct strlist args = { NULL, 0, 0 };
	size_t nassign = 0;
	while (nassign < n->words.n && assignment_name(n->words.v[nassign]))
		nassign++;
	for (size_t i = nassign; i < n->words.n; i++)
		if (sh_expand(sh, n->words.v[i], SX_FIELDS, &args, io) < 0) {
			sl_free(&args);
			return sh->status;
		}
	int status = 0;
	if (!args.n) {	/* assignments only: the status is that of the last $(...) in them */
		sh->substed = false;
		for (size_t i = 0; i < nassign && !sh->exiting; i++) {
			const char *w = n->words.v[i];
			size_t len = assignment_name(w);
			char *value = sh_expand_one(sh, w + len + 1, SX_STRING, io);
			if (!value)
				break;
			char *name = mh_strndup(w, len);
			if (!name)
				out_of_memory(ALLOC_WHERE, 0);
			sh_setvar(sh, name, value);
			free(name);
			free(value);
		}
		if (sh->exiting)
			return sh->status;
		status = sh->substed ? sh->status : 0;
	}
	struct redirs r;
	if (redirs_open(sh, n, io, &r)) {
		status = 1;
	} else if (args.n) {
		sl_add(&args, "");	/* argv ends in NULL, as main() gets it */
		free(args.v[args.n - 1]);
		args.v[--args.n] = NULL;
		bool own_input = r.io.in != io->in;
		status = run_command(sh, (int)args.n, args.v, &r.io);
		if (!own_input) {	/* what it read from the shell's input is gone for the next command */
			io->in = r.io.in;
			io->in_len = r.io.in_len;
		}
		status = redirs_close(sh, &r, status);
	}
	redirs_free(&r);
	sl_free(&args);
	return status;
}

/* Variables as they are, to be put back when a subshell ends. */
struct saved_vars {
	struct sh_var *v;
	size_t n;
};

static void vars_save(struct shell *sh, struct saved_vars *s)
{
	s->n = sh->nvars;
	s->v = mh_calloc(s->n ? s->n : 1, sizeof(*s->v));
	if (!s->v)
		out_of_memory(ALLOC_WHERE, 0);
	for (size_t i = 0; i < s->n; i++) {
		s->v[i].name = mh_strdup(sh->vars[i].name);
		s->v[i].value = mh_strdup(sh->vars[i].value);
		if (!s->v[i].name || !s->v[i].value)
			out_of_memory(ALLOC_WHERE, 0);
	}
}

static void vars_restore(struct shell *sh, struct saved_vars *s)
{
	for (size_t i = 0; i < sh->nvars; i++) {
		free(sh->vars[i].name);
		free(sh->vars[i].value);
	}
	free(sh->vars);
	sh->vars = s->v;
	sh->nvars = s->n;
}

/* A subshell: ( ), a pipeline's parts, $(...). Nothing it sets, and no exit or break, reaches us. */
static int exec_subshell(struct shell *sh, const struct sh_node *n, struct sh_io *io)
{
	struct saved_vars s;
	int loops = sh->loops;
	vars_save(sh, &s);
	sh->loops = 0;
	int status = sh_exec(sh, n, io);
	vars_restore(sh, &s);
	sh->loops = loops;
	sh->breaking = 0;
	sh->continuing = false;
	/* a limit or fatal error ends the whole line: memhp must stop */
	if (sh->iterations <= SH_MAX_ITERATIONS)
		sh->exiting = false;
	sh->status = status;
	return status;
}

static int exec_pipe(struct shell *sh, const struct sh_node *n, struct sh_io *io)
{
	struct sbuf data = SBUF_INIT;
	struct sh_io left = *io;
	left.out = &data;
	exec_subshell(sh, n->a, &left);
	struct sh_io right = *io;
	right.in = sb_str(&data);
	right.in_len = data.len;
	int status = exec_subshell(sh, n->b, &right);
	sb_free(&data);
	return status;
}

/* One more loop iteration: false (and the line stopped) past the limit. */
static bool iterate(struct shell *sh, struct sh_io *io)
{
	if (++sh->iterations <= SH_MAX_ITERATIONS)
		return true;
	if (sh->iterations == SH_MAX_ITERATIONS + 1)
		sh_fatal(sh, io, "memhp: loop limit exceeded");
	sh->exiting = true;
	return false;
}

/* After a part of a loop: should the loop end (break, or continue of an outer loop)? */
static bool loop_ends(struct shell *sh)
{
	if (sh->exiting)
		return true;
	if (!sh->breaking)
		return false;
	if (--sh->breaking == 0 && sh->continuing) {
		sh->continuing = false;
		return false;
	}
	return true;
}

static int exec_while(struct shell *sh, const struct sh_node *n, struct sh_io *io)
{
	int status = 0;
	sh->loops++;
	while (iterate(sh, io)) {
		int cond = sh_exec(sh, n->a, io);
		if (loop_ends(sh))
			break;
		if ((cond == 0) != (n->kind == SN_WHILE))
			break;
		if (sh->continuing)	/* a continue in the condition: next iteration */
			continue;
		status = sh_exec(sh, n->b, io);
		if (loop_ends(sh))
			break;
	}
	sh->loops--;
	return status;
}

static int exec_for(struct shell *sh, const struct sh_node *n, struct sh_io *io)
{
	struct strlist items = { NULL, 0, 0 };
	for (size_t i = 0; i < n->words.n; i++)
		if (sh_expand(sh, n->words.v[i], SX_FIELDS, &items, io) < 0) {
			sl_free(&items);
			return sh->status;
		}
	int status = 0;
	sh->loops++;
	for (size_t i = 0; i < items.n && iterate(sh, io); i++) {
		sh_setvar(sh, n->name, items.v[i]);
		status = sh_exec(sh, n->b, io);
		if (loop_ends(sh))
			break;
	}
	sh->loops--;
	sl_free(&items);
	return status;
}

static int exec_case(struct shell *sh, const struct sh_node *n, struct sh_io *io)
{
	char *subject = sh_expand_one(sh, n->name, SX_STRING, io);
	if (!subject)
		return sh->status;
	int status = 0;
	for (size_t i = 0; i < n->nitems && !sh->exiting; i++) {
		bool hit = false;
		for (size_t j = 0; j < n->items[i].patterns.n && !hit; j++) {
			char *pat = sh_expand_one(sh, n->items[i].patterns.v[j], SX_PATTERN, io);
			hit = pat && fnmatch(pat, subject, 0) == 0;
			free(pat);
		}
		if (hit) {
			status = n->items[i].body ? sh_exec(sh, n->items[i].body, io) : 0;
			break;
		}
	}
	free(subject);
	return status;
}

static int exec_node(struct shell *sh, const struct sh_node *n, struct sh_io *io)
{
	int s;
	switch (n->kind) {
	case SN_SIMPLE:
		return exec_simple(sh, n, io);
	case SN_PIPE:
		return exec_pipe(sh, n, io);
	case SN_AND:
	case SN_OR:
		s = sh_exec(sh, n->a, io);
		if (sh->exiting || sh->breaking || (s == 0) != (n->kind == SN_AND))
			return s;
		return sh_exec(sh, n->b, io);
	case SN_SEQ:
		s = sh_exec(sh, n->a, io);
		if (sh->exiting || sh->breaking)
			return s;
		return sh_exec(sh, n->b, io);
	case SN_NOT:
		return !sh_exec(sh, n->a, io);
	case SN_IF:
		s = sh_exec(sh, n->a, io);
		if (sh->exiting || sh->breaking)
			return s;
		if (s == 0)
			return sh_exec(sh, n->b, io);
		return n->c ? sh_exec(sh, n->c, io) : 0;
	case SN_WHILE:
	case SN_UNTIL:
		return exec_while(sh, n, io);
	case SN_FOR:
		return exec_for(sh, n, io);
	case SN_CASE:
		return exec_case(sh, n, io);
	case SN_SUBSHELL:
		return exec_subshell(sh, n->a, io);
	case SN_GROUP:
		return sh_exec(sh, n->a, io);
	}
	return 0;
}

int sh_exec(struct shell *sh, const struct sh_node *n, struct sh_io *io)
{
	if (!n || sh->exiting || sh->breaking)
		return sh->status;
	int status;
	if (n->kind == SN_SIMPLE || !n->nredirs) {
		status = exec_node(sh, n, io);
	} else {
		struct redirs r;
		if (redirs_open(sh, n, io, &r))
			status = 1;
		else
			status = redirs_close(sh, &r, exec_node(sh, n, &r.io));
		redirs_free(&r);
	}
	if (!sh->exiting)
		sh->status = status;
	return sh->status;
}

/* Parse and run text in this shell; a syntax error is reported as ash does, status 2. */
static int run_line(struct shell *sh, const char *text, struct sh_io *io)
{
	struct sbuf err = SBUF_INIT;
	struct sh_node *tree;
	int status;
	if (sh_parse(text, &tree, &err) < 0) {
		sb_printf(io->err, "sh: %s\n", sb_str(&err));
		sh->errnum = EINVAL;
		status = sh->status = 2;
	} else {
		status = sh_exec(sh, tree, io);
		sh_node_free(tree);
	}
	sb_free(&err);
	return status;
}

int sh_run_text(struct shell *sh, const char *text, struct sh_io *io)
{
	sh->substed = true;
	if (sh->depth >= SH_MAX_DEPTH) {
		sh_fatal(sh, io, "memhp: command substitution nested too deeply");
		return 2;
	}
	struct saved_vars s;
	int loops = sh->loops;
	vars_save(sh, &s);
	sh->depth++;
	sh->loops = 0;
	int status = run_line(sh, text, io);
	sh->depth--;
	sh->loops = loops;
	vars_restore(sh, &s);
	sh->breaking = 0;
	sh->continuing = false;
	if (sh->iterations <= SH_MAX_ITERATIONS)
		sh->exiting = false;
	sh->substed = true;
	return status;
}

const char *sh_getvar(struct shell *sh, const char *name)
{
	for (size_t i = 0; i < sh->nvars; i++)
		if (!strcmp(sh->vars[i].name, name))
			return sh->vars[i].value;
	return NULL;
}

void sh_setvar(struct shell *sh, const char *name, const char *value)
{
	char *v = mh_strdup(value);
	if (!v)
		out_of_memory(ALLOC_WHERE, 0);
	for (size_t i = 0; i < sh->nvars; i++)
		if (!strcmp(sh->vars[i].name, name)) {
			free(sh->vars[i].value);
			sh->vars[i].value = v;
			return;
		}
	struct sh_var *nv = mh_realloc(sh->vars, (sh->nvars + 1) * sizeof(*nv));
	if (!nv)
		out_of_memory(ALLOC_WHERE, 0);
	sh->vars = nv;
	sh->vars[sh->nvars].name = mh_strdup(name);
	if (!sh->vars[sh->nvars].name)
		out_of_memory(ALLOC_WHERE, 0);
	sh->vars[sh->nvars++].value = v;
}

void sh_unsetvar(struct shell *sh, const char *name)
{
	for (size_t i = 0; i < sh->nvars; i++)
		if (!strcmp(sh->vars[i].name, name)) {
			free(sh->vars[i].name);
			free(sh->vars[i].value);
			sh->vars[i] = sh->vars[--sh->nvars];
			return;
		}
}

int memhp_shell(struct memhp *m, const char *command_line, char **out)
{
	struct sbuf buf = SBUF_INIT;
	struct sh_io io = { &buf, &buf, NULL, 0, 0 };
	struct shell sh;

	if (out)
		*out = NULL;
	if (!m)
		return -EINVAL;
	memset(&sh, 0, sizeof(sh));
	sh.m = m;
	/* what the oracle's guest shell has: the kernel's HOME for init, and init's PATH */
	sh_setvar(&sh, "HOME", "/");
	sh_setvar(&sh, "PATH", "/bin");
	sh_setvar(&sh, "PWD", "/");
	api_lock(m);
	int status = run_line(&sh, command_line ? command_line : "", &io);
	api_unlock(m);
	for (size_t i = 0; i < sh.nvars; i++) {
		free(sh.vars[i].name);
		free(sh.vars[i].value);
	}
	free(sh.vars);
	if (out)
		*out = sb_detach(&buf);
	sb_free(&buf);
	if (status == 0)
		return 0;
	return sh.errnum ? -sh.errnum : -EINVAL;
}
