// SPDX-License-Identifier: MIT
/*
 * test and [ as busybox 1.35's builtin: POSIX's rules for one to three
 * arguments, then ! -a -o ( ) over unary file and string tests and binary
 * string and integer comparisons. Errors exit 2 with ash's messages
 * ("sh: a: bad number", "sh: -eq: argument expected", "sh: missing ]").
 * Files are looked at as root does: -r and -w always hold, -x needs an
 * execute bit (or a directory).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../fs/vfs.h"
#include "../api/api_internal.h"
#include "shell.h"

struct tst {
	struct memhp *m;
	struct sh_io *io;
	char **arg;
	int n, pos;
	bool error;
};

static bool fail(struct tst *t, const char *what, const char *msg)
{
	if (!t->error) {
		if (what)
			sb_printf(t->io->err, "sh: %s: %s\n", what, msg);
		else
			sb_printf(t->io->err, "sh: %s\n", msg);
	}
	t->error = true;
	return false;
}

static bool is_unary(const char *s)
{
	return s[0] == '-' && s[1] && !s[2] && strchr("efdrwxsznLhbcpSGOkut", s[1]);
}

static bool is_binary(const char *s)
{
	static const char *const ops[] = { "=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge",
					    "-nt", "-ot", "-ef" };
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(s, ops[i]))
			return true;
	return false;
}

/* stat(2): the final symlinks followed. */
static int stat_follow(struct kernel *k, const char *path, struct vfs_stat *st)
{
	struct sbuf p = SBUF_INIT;
	sh_abspath(path, &p);
	int ret = -ELOOP;
	for (int hops = 0; hops < 40; hops++) {
		ret = vfs_stat(k, sb_str(&p), st);
		if (ret < 0 || st->type != VFS_LINK)
			break;
		ret = -ELOOP;
		struct sbuf next = SBUF_INIT;
		if (st->target[0] != '/') {
			const char *slash = strrchr(sb_str(&p), '/');
			sb_add(&next, p.s, (size_t)(slash - p.s) + 1);
		}
		sb_puts(&next, st->target);
		sb_free(&p);
		p = next;
	}
	sb_free(&p);
	return ret;
}

static bool file_test(struct tst *t, char op, const char *path)
{
	struct kernel *k = guest_kernel(t->m);
	struct vfs_stat st;
	if (op == 'L' || op == 'h') {
		struct sbuf abs = SBUF_INIT;
		sh_abspath(path, &abs);
		bool link = vfs_stat(k, sb_str(&abs), &st) == 0 && st.type == VFS_LINK;
		sb_free(&abs);
		return link;
	}
	if (!*path || stat_follow(k, path, &st) < 0)
		return false;
	switch (op) {
	case 'e': case 'r': case 'w': return true;
	case 'f': return st.type == VFS_FILE;
	case 'd': return st.type == VFS_DIR;
	case 'x': return st.type == VFS_DIR || (st.mode & 0111);
	case 's': return sh_file_size(path, &st) > 0;
	default: return false;	/* devices, pipes, sockets, set-id bits: none in the guest's files */
	}
}

/* ash's getn(): blanks around a decimal number allowed. */
static bool number(struct tst *t, const char *s, long long *v)
{
	char *end;
	errno = 0;
	*v = strtoll(s, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (errno == ERANGE)
		return fail(t, s, "out of range");
	if (end == s || *end || !*s)
		return fail(t, *s ? s : NULL, "bad number");
	return true;
}

static bool binary(struct tst *t, const char *l, const char *op, const char *r)
{
	if (!strcmp(op, "=") || !strcmp(op, "=="))
		return !strcmp(l, r);
	if (!strcmp(op, "!="))
		return strcmp(l, r) != 0;
	if (!strcmp(op, "<"))
		return strcmp(l, r) < 0;
	if (!strcmp(op, ">"))
		return strcmp(l, r) > 0;
	if (op[1] == 'n' || op[1] == 'o' || (op[1] == 'e' && op[2] == 'f'))
		return false;	/* -nt -ot -ef: the guest's files have no times to compare */
	long long a, b;
	if (!number(t, l, &a) || !number(t, r, &b))
		return false;
	switch (op[1] * 256 + op[2]) {
	case 'e' * 256 + 'q': return a == b;
	case 'n' * 256 + 'e': return a != b;
	case 'l' * 256 + 't': return a < b;
	case 'l' * 256 + 'e': return a <= b;
	case 'g' * 256 + 't': return a > b;
	default: return a >= b;
	}
}

static bool oexpr(struct tst *t);

static const char *next(struct tst *t)
{
	return t->pos < t->n ? t->arg[t->pos] : NULL;
}

static bool primary(struct tst *t)
{
	const char *a = next(t);
	if (!a)
		return fail(t, NULL, "argument expected");
	t->pos++;
	if (!strcmp(a, "!"))
		return !primary(t);
	if (!strcmp(a, "(") && t->pos < t->n) {
		bool v = oexpr(t);
		if (!next(t) || strcmp(next(t), ")"))
			return fail(t, NULL, "closing paren expected");
		t->pos++;
		return v;
	}
	if (is_unary(a) && next(t)) {
		const char *x = t->arg[t->pos++];
		if (a[1] == 'z')
			return !*x;
		if (a[1] == 'n')
			return *x != 0;
		if (a[1] == 't')
			return false;
		return file_test(t, a[1], x);
	}
	if (next(t) && is_binary(next(t))) {
		const char *op = t->arg[t->pos++];
		if (!next(t))
			return fail(t, op, "argument expected");
		return binary(t, a, op, t->arg[t->pos++]);
	}
	return *a != 0;
}

static bool aexpr(struct tst *t)
{
	bool v = primary(t);
	while (!t->error && next(t) && !strcmp(next(t), "-a")) {
		t->pos++;
		bool r = primary(t);
		v = v && r;
	}
	return v;
}

static bool oexpr(struct tst *t)
{
	bool v = aexpr(t);
	while (!t->error && next(t) && !strcmp(next(t), "-o")) {
		t->pos++;
		bool r = aexpr(t);
		v = v || r;
	}
	return v;
}

int sh_test(struct memhp *m, int argc, char **argv, struct sh_io *io)
{
	struct tst t = { m, io, argv + 1, argc - 1, 0, false };
	if (!strcmp(argv[0], "[")) {
		if (argc < 2 || strcmp(argv[argc - 1], "]")) {
			sb_puts(io->err, "sh: missing ]\n");
			return 2;
		}
		t.n--;
	}
	bool v;
	bool negate = t.n > 0 && t.n <= 4 && !strcmp(t.arg[0], "!");
	if (negate) {
		t.arg++;
		t.n--;
	}
	/* POSIX: with one argument it is a string; with three, a binary operator in the middle wins */
	if (t.n == 0)
		v = negate;	/* `[ ]` is false, `[ ! ]` true */
	else if (t.n == 1)
		v = t.arg[0][0] != 0;
	else if (t.n == 3 && is_binary(t.arg[1]))
		v = binary(&t, t.arg[0], t.arg[1], t.arg[2]);
	else {
		v = oexpr(&t);
		if (!t.error && t.pos < t.n)
			fail(&t, t.arg[t.pos], "unknown operand");
	}
	if (t.error) {
		io->errnum = EINVAL;
		return 2;
	}
	if (negate && t.n)
		v = !v;
	return v ? 0 : 1;
}
