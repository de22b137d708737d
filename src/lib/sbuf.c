// SPDX-License-Identifier: MIT
#include "sbuf.h"
#include "alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void sb_grow(struct sbuf *b, size_t need)
{
	if (b->len + need + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + need + 1)
		cap *= 2;
	char *s = mh_realloc(b->s, cap);
	if (!s)
		out_of_memory(ALLOC_WHERE, 0);
	b->s = s;
	b->cap = cap;
}

void sb_init(struct sbuf *b) { b->s = NULL; b->len = b->cap = 0; }
void sb_free(struct sbuf *b) { free(b->s); sb_init(b); }
void sb_reset(struct sbuf *b) { b->len = 0; if (b->s) b->s[0] = 0; }

void sb_add(struct sbuf *b, const char *s, size_t n)
{
	sb_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

void sb_puts(struct sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }
void sb_putc(struct sbuf *b, char c) { sb_add(b, &c, 1); }

void sb_vprintf(struct sbuf *b, const char *fmt, va_list ap)
{
	char small[256];
	if (!fmt)
		return;
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(small, sizeof(small), fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	sb_grow(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(b, fmt, ap);
	va_end(ap);
}

char *sb_detach(struct sbuf *b)
{
	char *s = b->s ? b->s : mh_strdup("");
	if (!s)
		out_of_memory(ALLOC_WHERE, 0);
	sb_init(b);
	return s;
}

const char *sb_str(const struct sbuf *b) { return b->s ? b->s : ""; }

void sl_add(struct strlist *l, const char *s)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char **v = mh_realloc(l->v, cap * sizeof(*v));
		if (!v)
			out_of_memory(ALLOC_WHERE, 0);
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n] = mh_strdup(s);
	if (!l->v[l->n])
		out_of_memory(ALLOC_WHERE, 0);
	l->n++;
}

void sl_addf(struct strlist *l, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sl_add(l, buf);
}

static int cmp_c(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void sl_sort(struct strlist *l)
{
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), cmp_c);
}

void sl_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
