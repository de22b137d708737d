// SPDX-License-Identifier: MIT
/*
 * busybox 1.35's text filters: head, tail, wc, sort, uniq and tee, with
 * their own error wordings (head and wc say "APPLET: PATH: ERROR", tail and
 * uniq "can't open 'PATH'", tee reports a failed write as "I/O error", the
 * errno its stdio leaves once the kernel refused the write).
 */
#include <errno.h>
#include "../lib/alloc.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../api/api_internal.h"
#include "shell.h"

/* The data of FILE ("-" or NULL: standard input); 0 or -errno. */
static int input(struct memhp *m, const char *name, struct sh_io *io, struct sbuf *data)
{
	if (!name || !strcmp(name, "-")) {
		if (io->in)
			sb_add(data, io->in, io->in_len);
		return 0;
	}
	return sh_read_file(m, name, data);
}

struct lines {
	const char **v;		/* each line, NUL-terminated in a private copy */
	size_t n;
	char *buf;
};

static void split_lines(const char *s, size_t len, struct lines *l)
{
	l->buf = mh_malloc(len + 1);
	l->v = mh_malloc((len + 1) * sizeof(*l->v));
	if (!l->buf || !l->v)
		out_of_memory(ALLOC_WHERE, 0);
	memcpy(l->buf, s, len);
	l->buf[len] = 0;
	l->n = 0;
	for (size_t pos = 0; pos < len;) {
		char *nl = memchr(l->buf + pos, '\n', len - pos);
		l->v[l->n++] = l->buf + pos;
		if (!nl)
			break;
		*nl = 0;
		pos = (size_t)(nl - l->buf) + 1;
	}
}

static void lines_free(struct lines *l)
{
	free(l->v);
	free(l->buf);
}

/* -n N (or -nN, -N): a line count; false (reported) if N is not a number. */
static bool count_arg(const char *applet, const char *s, long *n, bool *from_start, struct sh_io *io)
{
	char *end;
	*from_start = *s == '+';
	errno = 0;
	*n = strtol(s + (*from_start ? 1 : 0), &end, 10);
	if (end == s || *end || errno || *n < 0) {
		sb_printf(io->err, "%s: invalid number '%s'\n", applet, s);
		io->errnum = EINVAL;
		return false;
	}
	return true;
}

/* Options of head and tail: -n N, -c N, -N, -q, -v; returns the index of the first file or -1. */
static int head_tail_opts(const char *applet, int argc, char **argv, long *n, bool *bytes, bool *from_start,
			  struct sh_io *io)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *o = argv[i] + 1;
		if (!strcmp(argv[i], "--"))
			return i + 1;
		if (*o >= '0' && *o <= '9') {
			if (!count_arg(applet, o, n, from_start, io))
				return -1;
			continue;
		}
		if (*o != 'n' && *o != 'c') {
			sb_printf(io->err, "%s: invalid option -- '%c'\n", applet, *o);
			io->errnum = EINVAL;
			return -1;
		}
		*bytes = *o == 'c';
		const char *v = o[1] ? o + 1 : i + 1 < argc ? argv[++i] : NULL;
		if (!v) {
			sb_printf(io->err, "%s: option requires an argument -- '%c'\n", applet, *o);
			io->errnum = EINVAL;
			return -1;
		}
		if (!count_arg(applet, v, n, from_start, io))
			return -1;
	}
	return i;
}

/* The part of data head (tail: !head) keeps. */
static void select_part(const char *d, size_t len, long n, bool bytes, bool head, bool from_start, struct sbuf *out)
{
	size_t cut;
	if (bytes) {
		size_t k = (size_t)n;
		if (head)
			cut = k < len ? k : len;
		else if (from_start)
			cut = k > 0 ? (k - 1 < len ? k - 1 : len) : 0;
		else
			cut = k < len ? len - k : 0;
		if (head)
			sb_add(out, d, cut);
		else
			sb_add(out, d + cut, len - cut);
		return;
	}
	/* count line ends from the chosen side */
	size_t pos = 0;
	if (head || from_start) {
		long want = head ? n : (n > 0 ? n - 1 : 0);
		for (long k = 0; k < want && pos < len; k++) {
			const char *nl = memchr(d + pos, '\n', len - pos);
			pos = nl ? (size_t)(nl - d) + 1 : len;
		}
		if (head)
			sb_add(out, d, pos);
		else
			sb_add(out, d + pos, len - pos);
		return;
	}
	pos = len;
	if (pos && d[pos - 1] == '\n')
		pos--;
	long k = 0;
	while (pos > 0) {
		if (d[pos - 1] == '\n' && ++k == n)
			break;
		pos--;
	}
	if (n == 0)
		pos = len;
	sb_add(out, d + pos, len - pos);
}

static int head_tail(struct memhp *m, int argc, char **argv, struct sh_io *io, bool head)
{
	const char *applet = head ? "head" : "tail";
	long n = 10;
	bool bytes = false, from_start = false;
	int i = head_tail_opts(applet, argc, argv, &n, &bytes, &from_start, io);
	if (i < 0)
		return 1;
	char *none[] = { "-" };
	char **files = i < argc ? argv + i : none;
	int nfiles = i < argc ? argc - i : 1;
	int status = 0, shown = 0;
	for (int f = 0; f < nfiles; f++) {
		struct sbuf data = SBUF_INIT;
		int ret = input(m, files[f], io, &data);
		if (ret < 0) {
			if (head)
				sb_printf(io->err, "head: %s: %s\n", files[f], strerror(ret == -EISDIR ? EIO : -ret));
			else
				sb_printf(io->err, "tail: can't open '%s': %s\n", files[f], strerror(-ret));
			io->errnum = -ret;
			status = 1;
		} else {
			if (nfiles > 1)
				sb_printf(io->out, "%s==> %s <==\n", (head ? f : shown) ? "\n" : "",
					  strcmp(files[f], "-") ? files[f] : "standard input");
			select_part(data.s ? data.s : "", data.len, n, bytes, head, from_start, io->out);
			shown++;
		}
		sb_free(&data);
	}
	if (!head && !shown)
		sb_puts(io->err, "tail: no files\n");
	return status;
}

int sh_head(struct memhp *m, int argc, char **argv, struct sh_io *io)
{
	return head_tail(m, argc, argv, io, true);
}

int sh_tail(struct memhp *m, int argc, char **argv, struct sh_io *io)
{
	return head_tail(m, argc, argv, io, false);
}

/* wc [-lwc]: one column and one file print bare; otherwise columns 9 wide. */
static void wc_line(struct sbuf *out, const unsigned long v[3], const bool col[3], bool pad, const char *name)
{
	bool first = true;
	for (int c = 0; c < 3; c++) {
		if (!col[c])
			continue;
		sb_printf(out, pad ? (first ? "%9lu" : " %9lu") : "%lu", v[c]);
		first = false;
	}
	if (name)
		sb_printf(out, " %s", name);
	sb_putc(out, '\n');
}

int sh_wc(struct memhp *m, int argc, char **argv, struct sh_io *io)
{
	bool col[3] = { false, false, false };	/* lines, words, bytes */
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (const char *o = argv[i] + 1; *o; o++) {
			const char *hit = strchr("lwc", *o);
			if (!hit) {
				sb_printf(io->err, "wc: invalid option -- '%c'\n", *o);
				io->errnum = EINVAL;
				return 1;
			}
			col[hit - "lwc"] = true;
		}
	}
	if (!col[0] && !col[1] && !col[2])
		col[0] = col[1] = col[2] = true;
	int ncols = col[0] + col[1] + col[2];
	int nfiles = argc - i;
	bool pad = ncols > 1 || nfiles > 1;
	unsigned long total[3] = { 0, 0, 0 };
	int status = 0;
	for (int f = 0; f < (nfiles ? nfiles : 1); f++) {
		const char *name = nfiles ? argv[i + f] : NULL;
		struct sbuf data = SBUF_INIT;
		unsigned long v[3] = { 0, 0, 0 };
		int ret = input(m, name, io, &data);
		if (ret < 0) {
			sb_printf(io->err, "wc: %s: %s\n", name, strerror(-ret));
			io->errnum = -ret;
			status = 1;
		}
		if (ret < 0 && ret != -EISDIR) {	/* a directory opens, reads nothing: a line of zeros */
			sb_free(&data);
			continue;
		}
		bool in_word = false;
		for (size_t k = 0; k < data.len; k++) {
			char c = data.s[k];
			bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
			v[0] += c == '\n';
			if (!space && !in_word)
				v[1]++;
			in_word = !space;
		}
		v[2] = data.len;
		for (int c = 0; c < 3; c++)
			total[c] += v[c];
		wc_line(io->out, v, col, pad, name);
		sb_free(&data);
	}
	if (nfiles > 1)
		wc_line(io->out, total, col, pad, "total");
	return status;
}

struct sort_opts {
	bool numeric, reverse;
};

static const struct sort_opts *sort_by;

static int compare_lines(const char *a, const char *b)
{
	if (sort_by->numeric) {
		double x = strtod(a, NULL), y = strtod(b, NULL);
		if (x != y)
			return x < y ? -1 : 1;
	}
	return strcmp(a, b);
}

static int sort_cmp(const void *pa, const void *pb)
{
	int r = compare_lines(*(const char *const *)pa, *(const char *const *)pb);
	return sort_by->reverse ? -r : r;
}

/* Lines that -u folds together: equal keys (for -n, equal numbers). */
static bool same_key(const struct sort_opts *o, const char *a, const char *b)
{
	if (o->numeric)
		return strtod(a, NULL) == strtod(b, NULL);
	return !strcmp(a, b);
}

int sh_sort(struct memhp *m, int argc, char **argv, struct sh_io *io)
{
	struct sort_opts o = { false, false };
	bool unique = false;
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (const char *c = argv[i] + 1; *c; c++) {
			if (*c == 'n')
				o.numeric = true;
			else if (*c == 'r')
				o.reverse = true;
			else if (*c == 'u')
				unique = true;
			else {
				sb_printf(io->err, "sort: invalid option -- '%c'\n", *c);
				io->errnum = EINVAL;
				return 2;
			}
		}
	}
	struct sbuf all = SBUF_INIT;
	for (int f = i; f < (argc > i ? argc : i + 1); f++) {
		const char *name = f < argc ? argv[f] : NULL;
		struct sbuf data = SBUF_INIT;
		int ret = input(m, name, io, &data);
		if (ret < 0) {
			sb_printf(io->err, "sort: %s: %s\n", name, strerror(-ret));
			io->errnum = -ret;
			sb_free(&data);
			sb_free(&all);
			return 2;
		}
		sb_add(&all, data.s ? data.s : "", data.len);
		if (data.len && data.s[data.len - 1] != '\n')
			sb_putc(&all, '\n');
		sb_free(&data);
	}
	struct lines l;
	split_lines(all.s ? all.s : "", all.len, &l);
	sort_by = &o;
	qsort(l.v, l.n, sizeof(*l.v), sort_cmp);
	for (size_t k = 0; k < l.n; k++) {
		if (unique && k && same_key(&o, l.v[k - 1], l.v[k]))
			continue;
		sb_printf(io->out, "%s\n", l.v[k]);
	}
	lines_free(&l);
	sb_free(&all);
	return 0;
}

/* uniq [-c -d -u] [INPUT]: adjacent equal lines once. */
int sh_uniq(struct memhp *m, int argc, char **argv, struct sh_io *io)
{
	bool count = false, dups = false, uniques = false;
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (const char *c = argv[i] + 1; *c; c++) {
			if (*c == 'c')
				count = true;
			else if (*c == 'd')
				dups = true;
			else if (*c == 'u')
				uniques = true;
			else {
				sb_printf(io->err, "uniq: invalid option -- '%c'\n", *c);
				io->errnum = EINVAL;
				return 1;
			}
		}
	}
	struct sbuf data = SBUF_INIT;
	const char *name = i < argc ? argv[i] : NULL;
	int ret = input(m, name, io, &data);
	if (ret < 0) {
		sb_printf(io->err, "uniq: can't open '%s': %s\n", name, strerror(-ret));
		io->errnum = -ret;
		sb_free(&data);
		return 1;
	}
	struct lines l;
	split_lines(data.s ? data.s : "", data.len, &l);
	for (size_t k = 0; k < l.n;) {
		size_t run = 1;
		while (k + run < l.n && !strcmp(l.v[k], l.v[k + run]))
			run++;
		if (!(dups && run == 1) && !(uniques && run > 1)) {
			if (count)
				sb_printf(io->out, "%7zu ", run);
			sb_printf(io->out, "%s\n", l.v[k]);
		}
		k += run;
	}
	lines_free(&l);
	sb_free(&data);
	return 0;
}

/* tee [-a] FILE...: standard input to standard output and to each file (one write each). */
int sh_tee(struct memhp *m, int argc, char **argv, struct sh_io *io)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (const char *c = argv[i] + 1; *c; c++) {
			if (*c != 'a' && *c != 'i') {
				sb_printf(io->err, "tee: invalid option -- '%c'\n", *c);
				io->errnum = EINVAL;
				return 1;
			}
		}
	}
	int status = 0;
	bool *opened = mh_calloc((size_t)(argc > 0 ? argc : 1), sizeof(*opened));
	if (!opened)
		out_of_memory(ALLOC_WHERE, 0);
	for (int f = i; f < argc; f++) {
		int ret = sh_open_write(m, argv[f]);
		if (ret < 0) {
			sb_printf(io->err, "tee: %s: %s\n", argv[f], strerror(-ret));
			io->errnum = -ret;
			status = 1;
		}
		opened[f] = ret == 0;
	}
	if (io->in)
		sb_add(io->out, io->in, io->in_len);
	for (int f = i; f < argc; f++) {
		if (!opened[f] || !io->in || !io->in_len)
			continue;
		int ret = sh_write_file(m, argv[f], io->in, io->in_len);
		if (ret < 0) {
			/* the text the oracle guest shows for a refused write, whatever the errno */
			sb_printf(io->err, "tee: %s: I/O error\n", argv[f]);
			io->errnum = -ret;
			status = 1;
		}
	}
	if (io->in) {	/* tee read it all */
		io->in += io->in_len;
		io->in_len = 0;
	}
	free(opened);
	return status;
}
