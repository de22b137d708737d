// SPDX-License-Identifier: MIT
/*
 * `memhp compare`: the command-line face of compare.py, with a unified diff
 * (context 2, as compare.py asks difflib for) of the normalised lines.
 */
#include "compare.h"
#include "cli.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "normalise.h"

static int read_file(const char *path, struct sbuf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -errno;
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_add(out, buf, n);
	int ret = ferror(f) ? -EIO : 0;
	fclose(f);
	if (!out->s)
		sb_puts(out, "");
	return ret;
}

static int load(const char *path, struct strlist *lines)
{
	struct sbuf text = SBUF_INIT;
	int ret = read_file(path, &text);
	if (ret < 0) {
		fprintf(stderr, "memhp compare: %s: %s\n", path, strerror(-ret));
		sb_free(&text);
		return -1;
	}
	transcript_normalise(sb_str(&text), text.len, lines);
	sb_free(&text);
	return 0;
}

/* ---- a line diff: longest common subsequence, then unified hunks ------------ */

enum op_kind { OP_EQ, OP_DEL, OP_INS };

struct op {
	enum op_kind kind;
	size_t a, b;	/* positions in the two lists when this op happens */
};

struct ops {
	struct op *v;
	size_t n, cap;
};

static void add_op(struct ops *o, enum op_kind kind, size_t a, size_t b)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 256;
		struct op *v = realloc(o->v, o->cap * sizeof(*v));
		if (!v)
			abort();
		o->v = v;
	}
	o->v[o->n++] = (struct op){ kind, a, b };
}

/* Beyond this many table cells the unequal middle is shown as one replacement. */
#define MAX_CELLS (8u << 20)

static void diff(const struct strlist *x, const struct strlist *y, struct ops *o)
{
	size_t pre = 0, suf = 0;
	while (pre < x->n && pre < y->n && !strcmp(x->v[pre], y->v[pre]))
		pre++;
	while (suf < x->n - pre && suf < y->n - pre && !strcmp(x->v[x->n - 1 - suf], y->v[y->n - 1 - suf]))
		suf++;
	for (size_t i = 0; i < pre; i++)
		add_op(o, OP_EQ, i, i);
	size_t na = x->n - pre - suf, nb = y->n - pre - suf;
	/* an empty file's list has no array: no arithmetic on its NULL */
	char **a = x->v ? x->v + pre : NULL, **b = y->v ? y->v + pre : NULL;
	uint16_t *L = NULL;
	if (na && nb && (na + 1) * (nb + 1) <= MAX_CELLS)
		L = calloc((na + 1) * (nb + 1), sizeof(*L));
	if (L) {
		/* L[i][j]: LCS length of a[i..] and b[j..] */
#define AT(i, j) L[(i) * (nb + 1) + (j)]
		for (size_t i = na; i-- > 0;)
			for (size_t j = nb; j-- > 0;)
				AT(i, j) = !strcmp(a[i], b[j]) ? AT(i + 1, j + 1) + 1
				       : AT(i + 1, j) >= AT(i, j + 1) ? AT(i + 1, j) : AT(i, j + 1);
		size_t i = 0, j = 0;
		while (i < na || j < nb) {
			if (i < na && j < nb && !strcmp(a[i], b[j])) {
				add_op(o, OP_EQ, pre + i, pre + j);
				i++, j++;
			} else if (i < na && (j == nb || AT(i + 1, j) >= AT(i, j + 1))) {
				add_op(o, OP_DEL, pre + i, pre + j);
				i++;
			} else {
				add_op(o, OP_INS, pre + i, pre + j);
				j++;
			}
		}
#undef AT
		free(L);
	} else {
		for (size_t i = 0; i < na; i++)
			add_op(o, OP_DEL, pre + i, pre);
		for (size_t j = 0; j < nb; j++)
			add_op(o, OP_INS, pre + na, pre + j);
	}
	for (size_t i = 0; i < suf; i++)
		add_op(o, OP_EQ, pre + na + i, pre + nb + i);
}

/* difflib's range format: "start,length", "start" for one line, "start-1,0" for none */
static void print_range(size_t start, size_t len)
{
	if (len == 1)
		printf("%zu", start + 1);
	else
		printf("%zu,%zu", len ? start + 1 : start, len);
}

static void print_unified(const struct strlist *x, const struct strlist *y, const char *xname,
			  const char *yname, size_t context)
{
	struct ops o = { NULL, 0, 0 };
	diff(x, y, &o);
	printf("--- %s\n+++ %s\n", xname, yname);
	size_t k = 0;
	while (k < o.n) {
		while (k < o.n && o.v[k].kind == OP_EQ)
			k++;
		if (k == o.n)
			break;
		size_t start = k > context ? k - context : 0, end = k;
		for (;;) {
			while (end < o.n && o.v[end].kind != OP_EQ)
				end++;
			size_t run = end;
			while (run < o.n && o.v[run].kind == OP_EQ)
				run++;
			if (run < o.n && run - end <= 2 * context) {
				end = run;	/* a short equal run joins two changes into one hunk */
				continue;
			}
			break;
		}
		size_t stop = end + context < o.n ? end + context : o.n;
		size_t alen = 0, blen = 0;
		for (size_t i = start; i < stop; i++) {
			alen += o.v[i].kind != OP_INS;
			blen += o.v[i].kind != OP_DEL;
		}
		printf("@@ -");
		print_range(o.v[start].a, alen);
		printf(" +");
		print_range(o.v[start].b, blen);
		printf(" @@\n");
		for (size_t i = start; i < stop; i++) {
			const struct op *p = &o.v[i];
			if (p->kind == OP_EQ)
				printf(" %s\n", x->v[p->a]);
			else if (p->kind == OP_DEL)
				printf("-%s\n", x->v[p->a]);
			else
				printf("+%s\n", y->v[p->b]);
		}
		k = stop;
	}
	free(o.v);
}

int compare_main(int argc, char **argv)
{
	enum { O_NORMALISE = 1 };
	static const struct cli_opt opts[] = {
		{ "normalise", 'n', false, O_NORMALISE }, { "normalize", 0, false, O_NORMALISE },
		{ NULL, 0, false, 0 },
	};
	const char *arg;
	bool normalise = false;
	int first = 1, id;

	while ((id = cli_next(argc, argv, &first, opts, false, &arg)) != 0) {
		if (id == CLI_HELP) {
			printf("usage: memhp compare EXPECTED ACTUAL\n"
			       "       memhp compare --normalise FILE\n"
			       "Compare two transcripts after the scenario format's normalisation (exit 0: equal,\n"
			       "1: different, 2: a file cannot be read), or print a transcript's normalised form.\n");
			return 0;
		}
		if (id == CLI_VERSION) {
			cli_print_version();
			return 0;
		}
		if (id != O_NORMALISE)
			return CLI_EXIT_USAGE;
		normalise = true;
	}
	if (argc - first != (normalise ? 1 : 2))
		return cli_usage_error("compare: %s", normalise ? "--normalise takes one file"
								: "two transcripts expected");
	argv += first - 1;
	struct strlist x = { NULL, 0, 0 }, y = { NULL, 0, 0 };
	int status;
	if (normalise) {
		if (load(argv[1], &x) < 0)
			return 2;
		for (size_t i = 0; i < x.n; i++)
			printf("%s%s", i ? "\n" : "", x.v[i]);
		printf("\n");
		status = 0;
	} else if (load(argv[1], &x) < 0 || load(argv[2], &y) < 0) {
		status = 2;
	} else {
		bool same = x.n == y.n;
		for (size_t i = 0; same && i < x.n; i++)
			same = !strcmp(x.v[i], y.v[i]);
		if (same) {
			printf("match: %zu lines\n", x.n);
			status = 0;
		} else {
			print_unified(&x, &y, argv[1], argv[2], 2);
			status = 1;
		}
	}
	sl_free(&x);
	sl_free(&y);
	return status;
}
