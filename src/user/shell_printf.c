// SPDX-License-Identifier: MIT
/*
 * printf FORMAT [ARGUMENT...] as busybox 1.35's (ash's builtin, so its
 * messages start "sh: "): the format is reused while arguments remain,
 * missing arguments read as "" or 0, a bad number is reported and read as
 * 0 with exit status 1, 'C reads as the code of C.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"

struct pf {
	struct sh_io *io;
	char **arg;
	int n, pos;
	bool bad;
	bool stop;		/* \c: no more output at all */
};

/* One backslash escape at p (after the backslash); returns the characters used. */
static size_t escape(const char *p, struct sbuf *out, bool in_b)
{
	static const char map[] = "a\ab\bf\fn\nr\rt\tv\ve\033\\\\";
	for (const char *m = map; *m; m += 2)
		if (*p == m[0]) {
			sb_putc(out, m[1]);
			return 1;
		}
	if (*p == 'x' && strchr("0123456789abcdefABCDEF", p[1]) && p[1]) {
		int v = 0, n = 1;
		for (; n <= 2 && p[n] && strchr("0123456789abcdefABCDEF", p[n]); n++)
			v = v * 16 + (p[n] <= '9' ? p[n] - '0' : (p[n] | 32) - 'a' + 10);
		sb_putc(out, (char)v);
		return (size_t)n;
	}
	if (*p >= '0' && *p <= '7') {
		/* %b takes \0NNN, the format \NNN */
		size_t n = in_b && *p == '0' ? 1 : 0, start = n;
		int v = 0;
		for (; n < start + 3 && p[n] >= '0' && p[n] <= '7'; n++)
			v = v * 8 + (p[n] - '0');
		sb_putc(out, (char)v);
		return n;
	}
	sb_putc(out, '\\');
	sb_putc(out, *p);
	return 1;
}

static const char *next_arg(struct pf *f)
{
	return f->pos < f->n ? f->arg[f->pos++] : NULL;
}

static void bad_number(struct pf *f, const char *s)
{
	sb_printf(f->io->err, "sh: invalid number '%s'\n", s);
	f->bad = true;
}

/*
 * An integer argument: 'c or "c is the code of c, else strtoll() (is_signed)
 * or strtoull() of all of it; a bad one is reported and gives 0, or the
 * clamped value on overflow, as coreutils' and dash's printf do.
 */
static unsigned long long integer_arg(struct pf *f, bool is_signed)
{
	const char *s = next_arg(f);
	if (!s)
		s = "";	/* a missing number is an empty one: "invalid number ''" */
	if (*s == '\'' || *s == '"')
		return (unsigned char)s[1];
	char *end;
	errno = 0;
	unsigned long long v = is_signed ? (unsigned long long)strtoll(s, &end, 0) : strtoull(s, &end, 0);
	int err = errno;
	if (end == s || *end || err) {
		bad_number(f, s);
		return err == ERANGE ? v : 0;
	}
	return v;
}

static double double_arg(struct pf *f)
{
	const char *s = next_arg(f);
	if (!s)
		s = "";
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end) {
		bad_number(f, s);
		return 0;
	}
	return v;
}

/* %b: the argument with escapes, \c ending all output. */
static void print_b(struct pf *f, const char *s, struct sbuf *out)
{
	for (; *s; s++) {
		if (*s != '\\' || !s[1]) {
			sb_putc(out, *s);
		} else if (s[1] == 'c') {
			f->stop = true;
			return;
		} else {
			s += escape(s + 1, out, true);
		}
	}
}

/* One conversion; p after the '%'. Returns the position after it, or NULL for an invalid one. */
static const char *conversion(struct pf *f, const char *p, struct sbuf *out)
{
	char spec[64] = "%";
	size_t n = 1;
	while (*p && strchr("-+ #0", *p) && n < 20)
		spec[n++] = *p++;
	for (int part = 0; part < 2; part++) {
		if (part == 1) {
			if (*p != '.')
				break;
			spec[n++] = *p++;
		}
		if (*p == '*') {
			n += (size_t)snprintf(spec + n, sizeof(spec) - n, "%d", (int)(long long)integer_arg(f, true));
			p++;
		} else {
			while (*p >= '0' && *p <= '9' && n < 40)
				spec[n++] = *p++;
		}
	}
	while (*p && strchr("hlLqjzt", *p))
		p++;
	char conv = *p;
	if (!conv || !strchr("diouxXcsbeEfgGaA%", conv))
		return NULL;
	struct sbuf tmp = SBUF_INIT;
	const char *s;
	switch (conv) {
	case '%':
		sb_putc(out, '%');
		break;
	case 'd':
	case 'i':
		strcpy(spec + n, "lld");
		sb_printf(out, spec, (long long)integer_arg(f, true));
		break;
	case 'o': case 'u': case 'x': case 'X':
		spec[n] = 'l';
		spec[n + 1] = 'l';
		spec[n + 2] = conv;
		spec[n + 3] = 0;
		sb_printf(out, spec, integer_arg(f, false));
		break;
	case 'c':
		s = next_arg(f);
		strcpy(spec + n, "c");
		sb_printf(out, spec, s ? s[0] : 0);
		break;
	case 's':
		s = next_arg(f);
		strcpy(spec + n, "s");
		sb_printf(out, spec, s ? s : "");
		break;
	case 'b':
		s = next_arg(f);
		print_b(f, s ? s : "", &tmp);
		strcpy(spec + n, "s");
		sb_printf(out, spec, sb_str(&tmp));
		break;
	default:
		spec[n] = conv;
		spec[n + 1] = 0;
		sb_printf(out, spec, double_arg(f));
	}
	sb_free(&tmp);
	return p + 1;
}

int sh_printf(struct memhp *m, int argc, char **argv, struct sh_io *io)
{
	if (argc < 2) {
		sb_puts(io->err, "sh: usage: printf FORMAT [ARGUMENT...]\n");
		return 2;
	}
	struct pf f = { io, argv + 2, argc - 2, 0, false, false };
	const char *fmt = argv[1];
	do {
		int before = f.pos;
		for (const char *p = fmt; *p && !f.stop;) {
			if (*p == '\\' && p[1] == 'c')
				return f.bad;
			if (*p == '\\' && p[1]) {
				p += 1 + escape(p + 1, io->out, false);
			} else if (*p == '%' && p[1]) {
				const char *q = conversion(&f, p + 1, io->out);
				if (!q) {
					size_t len = strcspn(p + 1, "diouxXcsbeEfgGaA%") + 2;
					sb_printf(io->err, "sh: %.*s: invalid format\n", (int)len, p);
					return 1;
				}
				p = q;
			} else {
				sb_putc(io->out, *p++);
			}
		}
		if (f.pos == before)	/* a format without conversions prints once */
			break;
	} while (f.pos < f.n && !f.stop);
	return f.bad ? 1 : 0;
}
