/* SPDX-License-Identifier: MIT */
/* A growable string: every view and transcript is built into one of these. */
#ifndef MEMHP_LIB_SBUF_H
#define MEMHP_LIB_SBUF_H

#include <stddef.h>
#include <stdarg.h>

struct sbuf {
	char *s;	/* always NUL-terminated once anything was added */
	size_t len, cap;
};

#define SBUF_INIT { NULL, 0, 0 }

void sb_init(struct sbuf *b);
void sb_free(struct sbuf *b);
void sb_reset(struct sbuf *b);
void sb_add(struct sbuf *b, const char *s, size_t n);
void sb_puts(struct sbuf *b, const char *s);
void sb_putc(struct sbuf *b, char c);
__attribute__((format(printf, 2, 3))) void sb_printf(struct sbuf *b, const char *fmt, ...);
void sb_vprintf(struct sbuf *b, const char *fmt, va_list ap);
/* Hand the string to the caller (malloc'd, never NULL); the buffer is left empty. */
char *sb_detach(struct sbuf *b);
const char *sb_str(const struct sbuf *b);

/* A list of names, for directory listings. */
struct strlist {
	char **v;
	size_t n, cap;
};
void sl_add(struct strlist *l, const char *s);
__attribute__((format(printf, 2, 3))) void sl_addf(struct strlist *l, const char *fmt, ...);
void sl_sort(struct strlist *l);	/* byte order, as LC_ALL=C ls */
void sl_free(struct strlist *l);

#endif
