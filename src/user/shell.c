// SPDX-License-Identifier: MIT
/*
 * The guest shell: memhp_shell() runs one command line as busybox ash would
 * in the oracle's guest (cwd "/", stderr merged into stdout): lists (; && ||),
 * pipelines, redirections (> >> < N>&M, /dev/null), pathname expansion, and
 * the commands of shell.h. A redirection to a guest file is written with one
 * write(2) of everything the command printed, as echo does on the real guest.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../fs/vfs.h"
#include "memhp_internal.h"
#include "shell.h"
#include "shlex.h"

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
	int ret = vfs_read(memhp_kernel(m), sb_str(&abs), out);
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
	{ "cat", sh_cat },
	{ "dmesg", sh_dmesg },
	{ "echo", sh_echo },
	{ "false", sh_false },
	{ "free", sh_free },
	{ "grep", sh_grep },
	{ "ls", sh_ls },
	{ "memhog", sh_memhog },
	{ "modprobe", sh_modprobe },
	{ "rmmod", sh_rmmod },
	{ "sleep", sh_true },	/* the guest's work is synchronous: nothing to wait for */
	{ "sync", sh_true },
	{ "true", sh_true },
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

/*
 * Would open(path, O_WRONLY|O_CREAT|O_TRUNC) succeed on the guest? 0 or a
 * negative errno, as Linux decides it for sysfs/procfs/debugfs: a missing
 * name in an existing directory cannot be created there (no ->create: EACCES),
 * a directory is EISDIR, a file without write permission is EACCES (kernfs
 * refuses a writer of a file without ->store even for root).
 */
static int open_for_write(struct kernel *k, const char *abs)
{
	struct vfs_stat st;
	if (vfs_stat(k, abs, &st) < 0) {
		struct sbuf parent = SBUF_INIT;
		sb_puts(&parent, abs);
		while (parent.len > 1 && parent.s[parent.len - 1] == '/')
			parent.s[--parent.len] = 0;
		char *slash = strrchr(parent.s, '/');
		if (slash)
			slash[slash == parent.s ? 1 : 0] = 0;
		/* procfs looks names up itself and answers ENOENT; kernfs and debugfs leave it to ->create */
		int ret = vfs_stat(k, sb_str(&parent), &st) == 0 && st.type == VFS_DIR &&
				  strncmp(abs, "/proc/", 6) ? -EACCES : -ENOENT;
		sb_free(&parent);
		return ret;
	}
	if (st.type == VFS_DIR)
		return -EISDIR;
	if (st.type == VFS_FILE && !(st.mode & 0222))
		return -EACCES;
	return 0;
}

#define MAX_REDIR 8

struct capture {
	char *path;		/* as the user wrote it */
	struct sbuf data;
};

/* One simple command: tokens [b, e) of t. */
static int run_simple(struct memhp *m, const struct tokens *t, size_t b, size_t e, struct sh_io *io)
{
	struct kernel *k = memhp_kernel(m);
	struct strlist args = { NULL, 0, 0 };
	struct capture cap[MAX_REDIR];
	int ncap = 0, status = 0;
	struct sbuf devnull = SBUF_INIT, input = SBUF_INIT, abs = SBUF_INIT;
	struct sbuf *fd[3] = { NULL, io->out, io->err };
	bool have_input = false;

	for (size_t i = b; i < e; i++) {
		const struct token *tok = &t->v[i];
		if (tok->kind == TOK_WORD) {
			size_t before = args.n;
			if (tok->pattern)
				sh_glob(m, tok->pattern, &args);
			if (args.n == before)	/* no match: the word stays as written */
				sl_add(&args, tok->text);
			continue;
		}
		if (tok->kind == TOK_REDIR_DUP) {
			if (tok->fd >= 1 && tok->fd <= 2 && tok->fd2 >= 1 && tok->fd2 <= 2)
				fd[tok->fd] = fd[tok->fd2];
			continue;
		}
		/* the parser made sure a word follows every redirection */
		const char *path = t->v[++i].text;
		sb_reset(&abs);
		sh_abspath(path, &abs);
		if (tok->kind == TOK_REDIR_IN) {
			sb_reset(&input);
			int ret = vfs_read(k, sb_str(&abs), &input);
			if (ret < 0) {
				redir_error(fd[2], path, -ret, true);
				io->errnum = -ret;
				status = 1;
				goto out;
			}
			have_input = true;
			continue;
		}
		struct sbuf **target = tok->fd >= 1 && tok->fd <= 2 ? &fd[tok->fd] : NULL;
		if (!strcmp(path, "/dev/null")) {
			if (target)
				*target = &devnull;
			continue;
		}
		int ret = open_for_write(k, sb_str(&abs));
		if (ret < 0) {
			redir_error(fd[2], path, -ret, false);
			io->errnum = -ret;
			status = 1;
			goto out;
		}
		if (ncap == MAX_REDIR) {
			sb_printf(fd[2], "sh: %s: too many redirections\n", path);
			status = 1;
			goto out;
		}
		cap[ncap].path = strdup(path);
		if (!cap[ncap].path)
			abort();
		sb_init(&cap[ncap].data);
		if (target)
			*target = &cap[ncap].data;
		ncap++;
	}

	if (args.n == 0)	/* only redirections: the files were opened, nothing written */
		goto out;
	sh_cmd_fn fn = lookup(args.v[0]);
	if (!fn) {
		sb_printf(fd[2], "sh: %s: not found\n", args.v[0]);
		io->errnum = ENOENT;
		status = 127;
		goto out;
	}
	/* argv for the command: NULL-terminated, as main() gets it */
	sl_add(&args, "");
	free(args.v[args.n - 1]);
	args.v[--args.n] = NULL;
	struct sh_io cio = { fd[1], fd[2], io->in, io->in_len, 0 };
	if (have_input) {
		cio.in = sb_str(&input);
		cio.in_len = input.len;
	}
	status = fn(m, (int)args.n, args.v, &cio);
	if (cio.errnum)
		io->errnum = cio.errnum;

	for (int i = 0; i < ncap; i++) {
		if (!cap[i].data.len)
			continue;
		sb_reset(&abs);
		sh_abspath(cap[i].path, &abs);
		int ret = vfs_write(k, sb_str(&abs), cap[i].data.s, cap[i].data.len);
		if (ret >= 0)
			continue;
		if (ret == -EACCES || ret == -ENOENT || ret == -EISDIR)	/* refused at open */
			redir_error(fd[2], cap[i].path, -ret, false);
		else
			sb_printf(fd[2], "write error: %s\n", strerror(-ret));
		io->errnum = -ret;
		status = 1;
	}
out:
	for (int i = 0; i < ncap; i++) {
		free(cap[i].path);
		sb_free(&cap[i].data);
	}
	sl_free(&args);
	sb_free(&devnull);
	sb_free(&input);
	sb_free(&abs);
	return status;
}

/* A pipeline: tokens [b, e), commands separated by '|'; stdout of one is stdin of the next. */
static int run_pipeline(struct memhp *m, const struct tokens *t, size_t b, size_t e, struct sh_io *io)
{
	struct sbuf pipe_in = SBUF_INIT;
	bool have_in = false;
	int status = 0;
	size_t s = b;
	while (s < e) {
		size_t p = s;
		while (p < e && t->v[p].kind != TOK_PIPE)
			p++;
		struct sbuf pipe_out = SBUF_INIT;
		struct sh_io cio = { p == e ? io->out : &pipe_out, io->err, NULL, 0, 0 };
		if (have_in) {
			cio.in = sb_str(&pipe_in);
			cio.in_len = pipe_in.len;
		}
		status = run_simple(m, t, s, p, &cio);
		if (cio.errnum)
			io->errnum = cio.errnum;
		sb_free(&pipe_in);
		pipe_in = pipe_out;
		have_in = true;
		s = p + 1;
	}
	sb_free(&pipe_in);
	return status;
}

static const char *op_name(enum tok_kind k)
{
	switch (k) {
	case TOK_PIPE: return "|";
	case TOK_SEMI: return ";";
	case TOK_AND: return "&&";
	case TOK_OR: return "||";
	default: return "redirection";
	}
}

/* ash parses the whole line before running any of it: refuse what it would refuse. */
static int check_syntax(const struct tokens *t, struct sbuf *out)
{
	bool empty = true;	/* nothing since the last separator */
	for (size_t i = 0; i < t->n; i++) {
		enum tok_kind k = t->v[i].kind;
		if (k == TOK_WORD || k == TOK_REDIR_DUP) {
			empty = false;
		} else if (k == TOK_REDIR_OUT || k == TOK_REDIR_APPEND || k == TOK_REDIR_IN) {
			if (i + 1 == t->n || t->v[i + 1].kind != TOK_WORD) {
				sb_printf(out, "sh: syntax error: unexpected %s\n",
					  i + 1 == t->n ? "newline" : op_name(t->v[i + 1].kind));
				return -1;
			}
			i++;
			empty = false;
		} else {
			if (empty) {
				sb_printf(out, "sh: syntax error: unexpected \"%s\"\n", op_name(k));
				return -1;
			}
			empty = true;
		}
	}
	if (empty && t->n && t->v[t->n - 1].kind != TOK_SEMI) {
		sb_puts(out, "sh: syntax error: unexpected end of file\n");
		return -1;
	}
	return 0;
}

int memhp_shell(struct memhp *m, const char *command_line, char **out)
{
	struct sbuf buf = SBUF_INIT;
	struct tokens t = { NULL, 0, 0 };
	const char *err;
	int status = 0;
	struct sh_io io = { &buf, &buf, NULL, 0, 0 };

	if (out)
		*out = NULL;
	if (!m)
		return -EINVAL;
	if (shlex_split(command_line ? command_line : "", true, &t, &err) < 0) {
		sb_printf(&buf, "sh: syntax error: %s\n", err);
		status = 2;
		io.errnum = EINVAL;
	} else if (check_syntax(&t, &buf) < 0) {
		status = 2;
		io.errnum = EINVAL;
	} else {
		enum tok_kind conn = TOK_SEMI;
		size_t i = 0;
		while (i < t.n) {
			size_t end = i;
			while (end < t.n && t.v[end].kind != TOK_SEMI && t.v[end].kind != TOK_AND &&
			       t.v[end].kind != TOK_OR)
				end++;
			bool run = conn == TOK_SEMI || (conn == TOK_AND && status == 0) ||
				   (conn == TOK_OR && status != 0);
			if (end > i && run)
				status = run_pipeline(m, &t, i, end, &io);
			if (end < t.n)
				conn = t.v[end].kind;
			i = end + 1;
		}
	}
	tokens_free(&t);
	if (out)
		*out = sb_detach(&buf);
	sb_free(&buf);
	if (status == 0)
		return 0;
	return io.errnum ? -io.errnum : -EINVAL;
}
