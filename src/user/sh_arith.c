// SPDX-License-Identifier: MIT
/*
 * $((...)) for the guest shell, as ash evaluates it: 64-bit signed integers
 * that wrap, C's operators and precedence (with assignment, ++/--, ?:),
 * decimal, 0x hex and 0 octal constants, and variables whose values are
 * themselves evaluated (an unset or empty one is 0; `x=abc` reads abc).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh_interp.h"

struct ar {
	struct shell *sh;
	const char *p;
	const char *error;	/* the first error met */
	int depth;
};

static long long expr(struct ar *a);
static long long assign(struct ar *a);

static void blanks(struct ar *a)
{
	while (*a->p == ' ' || *a->p == '\t' || *a->p == '\n')
		a->p++;
}

static bool is_name(char c, bool first)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
}

static long long error(struct ar *a, const char *msg)
{
	if (!a->error)
		a->error = msg;
	return 0;
}

/* Operators that look alike: the longest one at p, from a list. */
static bool take(struct ar *a, const char *op)
{
	blanks(a);
	size_t n = strlen(op);
	if (strncmp(a->p, op, n))
		return false;
	/* "<" must not take the start of "<<" or "<=", "&" of "&&", "=" of "==", and so on */
	char next = a->p[n];
	if (n == 1 && strchr("<>&|=!", op[0]) && (next == op[0] || next == '='))
		return false;
	if (n == 2 && op[0] == op[1] && strchr("<>", op[0]) && next == '=')
		return false;
	if (n == 1 && strchr("+-*/%^", op[0]) && (next == '=' || (next == op[0] && strchr("+-", op[0]))))
		return false;
	a->p += n;
	return true;
}

static long long number(struct ar *a)
{
	const char *s = a->p;
	int base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	unsigned long long v = 0;
	const char *q = s;
	for (;; q++) {
		int d;
		if (*q >= '0' && *q <= '9')
			d = *q - '0';
		else if (*q >= 'a' && *q <= 'z')
			d = *q - 'a' + 10;
		else if (*q >= 'A' && *q <= 'Z')
			d = *q - 'A' + 10;
		else
			break;
		if (d >= base)
			return error(a, "arithmetic syntax error");
		v = v * (unsigned)base + (unsigned)d;
	}
	if (q == s)
		return error(a, "arithmetic syntax error");
	a->p = q;
	return (long long)v;
}

/* A variable's value as a number: its text is an expression of its own. */
static long long var_value(struct ar *a, const char *name)
{
	const char *v = sh_getvar(a->sh, name);
	if (!v || !*v)
		return 0;
	if (a->depth > 16)
		return error(a, "expression recursion loop detected");
	struct ar sub = { a->sh, v, NULL, a->depth + 1 };
	long long r = expr(&sub);
	blanks(&sub);
	if (!sub.error && *sub.p)
		sub.error = "arithmetic syntax error";
	if (sub.error)
		return error(a, sub.error);
	return r;
}

static void set_value(struct ar *a, const char *name, long long v)
{
	char num[32];
	snprintf(num, sizeof(num), "%lld", v);
	sh_setvar(a->sh, name, num);
}

/* Take the variable name at a->p into name (cut to its size). */
static void take_name(struct ar *a, char *name, size_t size)
{
	const char *s = a->p;
	while (is_name(*a->p, false))
		a->p++;
	size_t n = (size_t)(a->p - s) < size - 1 ? (size_t)(a->p - s) : size - 1;
	memcpy(name, s, n);
	name[n] = 0;
}

/* name, name++, name--, or name OP= expression */
static long long variable(struct ar *a)
{
	char name[128];
	take_name(a, name, sizeof(name));
	long long v = var_value(a, name);
	blanks(a);
	if (!strncmp(a->p, "++", 2) || !strncmp(a->p, "--", 2)) {
		set_value(a, name, (long long)((unsigned long long)v + (*a->p == '+' ? 1 : -1ULL)));
		a->p += 2;
		return v;
	}
	static const char *const ops[] = { "<<=", ">>=", "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "=" };
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t len = strlen(ops[i]);
		if (strncmp(a->p, ops[i], len) || (len == 1 && a->p[1] == '='))
			continue;
		a->p += len;
		long long r = assign(a);
		unsigned long long u = (unsigned long long)v, ur = (unsigned long long)r;
		switch (ops[i][0]) {
		case '=': v = r; break;
		case '+': v = (long long)(u + ur); break;
		case '-': v = (long long)(u - ur); break;
		case '*': v = (long long)(u * ur); break;
		case '&': v &= r; break;
		case '^': v ^= r; break;
		case '|': v |= r; break;
		case '<': v = (long long)(u << (r & 63)); break;
		case '>': v >>= (r & 63); break;
		default:
			if (!r)
				return error(a, "divide by zero");
			if (r)
				v = ops[i][0] == '/' ? (v == INT64_MIN && r == -1 ? v : v / r)
						     : (r == -1 ? 0 : v % r);
		}
		set_value(a, name, v);
		return v;
	}
	return v;
}

static long long primary(struct ar *a)
{
	blanks(a);
	if (a->error)
		return 0;
	char c = *a->p;
	if (c == '(') {
		a->p++;
		long long v = expr(a);
		if (!take(a, ")"))
			return error(a, "arithmetic syntax error");
		return v;
	}
	if ((c == '+' || c == '-') && a->p[1] == c) {	/* ++x, --x */
		a->p += 2;
		blanks(a);
		if (!is_name(*a->p, true))
			return error(a, "arithmetic syntax error");
		char name[128];
		take_name(a, name, sizeof(name));
		long long v = var_value(a, name);
		v = (long long)((unsigned long long)v + (c == '+' ? 1 : -1ULL));
		set_value(a, name, v);
		return v;
	}
	if (c == '-' || c == '+' || c == '!' || c == '~') {
		a->p++;
		long long v = primary(a);
		switch (c) {
		case '-': return (long long)(0ULL - (unsigned long long)v);
		case '!': return !v;
		case '~': return ~v;
		default: return v;
		}
	}
	if (c >= '0' && c <= '9')
		return number(a);
	if (is_name(c, true))
		return variable(a);
	return error(a, "arithmetic syntax error");
}

/* Binary operators by precedence level, lowest first (below ?: and assignment). */
static const char *const levels[][4] = {
	{ "||" }, { "&&" }, { "|" }, { "^" }, { "&" }, { "==", "!=" }, { "<=", ">=", "<", ">" },
	{ "<<", ">>" }, { "+", "-" }, { "*", "/", "%" },
};
#define NLEVELS (int)(sizeof(levels) / sizeof(levels[0]))

static long long apply(struct ar *a, const char *op, long long l, long long r)
{
	unsigned long long ul = (unsigned long long)l, ur = (unsigned long long)r;
	switch (op[0]) {
	case '|': return op[1] ? (l || r) : (l | r);
	case '&': return op[1] ? (l && r) : (l & r);
	case '^': return l ^ r;
	case '=': return l == r;
	case '!': return l != r;
	case '<': return op[1] == '=' ? l <= r : op[1] == '<' ? (long long)(ul << (r & 63)) : l < r;
	case '>': return op[1] == '=' ? l >= r : op[1] == '>' ? l >> (r & 63) : l > r;
	case '+': return (long long)(ul + ur);
	case '-': return (long long)(ul - ur);
	case '*': return (long long)(ul * ur);
	default:
		if (!r)
			return error(a, "divide by zero");
		if (r == -1)
			return op[0] == '/' ? (long long)(0ULL - ul) : 0;
		return op[0] == '/' ? l / r : l % r;
	}
}

static long long binary(struct ar *a, int level)
{
	if (level == NLEVELS)
		return primary(a);
	long long l = binary(a, level + 1);
	for (;;) {
		const char *op = NULL;
		for (int i = 0; i < 4 && levels[level][i]; i++)
			if (take(a, levels[level][i])) {
				op = levels[level][i];
				break;
			}
		if (!op || a->error)
			return l;
		/* ash evaluates both sides of && and || (and of ?:): 0 && 1/0 is "divide by zero" */
		long long r = binary(a, level + 1);
		l = apply(a, op, l, r);
	}
}

static long long ternary(struct ar *a)
{
	long long c = binary(a, 0);
	if (!take(a, "?"))
		return c;
	long long t = assign(a);
	if (!take(a, ":"))
		return error(a, "arithmetic syntax error");
	long long f = ternary(a);
	return c ? t : f;
}

static long long assign(struct ar *a)
{
	return ternary(a);
}

static long long expr(struct ar *a)
{
	long long v = assign(a);
	while (!a->error && take(a, ","))
		v = assign(a);
	return v;
}

int sh_arith(struct shell *sh, const char *text, long long *result, struct sh_io *io)
{
	struct ar a = { sh, text, NULL, 0 };
	blanks(&a);
	*result = *a.p ? expr(&a) : 0;
	blanks(&a);
	if (!a.error && *a.p)
		a.error = "arithmetic syntax error";
	if (a.error) {
		sh_fatal(sh, io, a.error);
		return -1;
	}
	return 0;
}
