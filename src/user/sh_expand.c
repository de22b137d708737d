// SPDX-License-Identifier: MIT
/*
 * Word expansion for the guest shell, in POSIX order: parameters ($X, ${X},
 * ${X:-w}, ${#X}, ${X##pat}...), $((...)), $(...) and `...`, then field
 * splitting of unquoted results on blanks (IFS is always the default), then
 * pathname expansion, then quote removal.
 */
#include <fnmatch.h>
#include "../lib/alloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh_interp.h"

struct xp {
	struct shell *sh;
	struct sh_io *io;
	enum sh_expand_mode mode;
	struct strlist *out;
	struct sbuf text, pat;	/* the field so far, and as a glob pattern (quoted characters escaped) */
	bool started, glob;
	bool failed;
};

static void add_char(struct xp *x, char c, bool quoted)
{
	sb_putc(&x->text, c);
	if (quoted && strchr("*?[]\\", c))
		sb_putc(&x->pat, '\\');
	sb_putc(&x->pat, c);
	if (!quoted && (c == '*' || c == '?' || c == '['))
		x->glob = true;
	x->started = true;
}

static void end_field(struct xp *x)
{
	if (!x->started)
		return;
	size_t before = x->out->n;
	if (x->mode == SX_PATTERN)
		sl_add(x->out, sb_str(&x->pat));
	else if (x->mode == SX_FIELDS && x->glob)
		sh_glob(x->sh->m, sb_str(&x->pat), x->out);
	if (x->out->n == before)	/* no match: the word stays as written */
		sl_add(x->out, sb_str(&x->text));
	sb_reset(&x->text);
	sb_reset(&x->pat);
	x->started = x->glob = false;
}

/* The result of an expansion: unquoted results are split on blanks where fields are wanted. */
static void add_result(struct xp *x, const char *s, bool quoted)
{
	for (; *s; s++) {
		if (!quoted && x->mode == SX_FIELDS && strchr(" \t\n", *s))
			end_field(x);
		else
			add_char(x, *s, quoted);
	}
}

/* The closer matching the opener just before p, skipping quoted text; NULL if none. */
static const char *match_closer(const char *p, char open, char close)
{
	int depth = 1;
	for (; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '\'' || *p == '"') {
			const char *q = strchr(p + 1, *p);
			if (!q)
				return NULL;
			p = q;
		} else if (*p == open) {
			depth++;
		} else if (*p == close && --depth == 0) {
			return p;
		}
	}
	return NULL;
}

static const char *match_paren(const char *p) { return match_closer(p, '(', ')'); }
static const char *match_brace(const char *p) { return match_closer(p, '{', '}'); }

static void command_subst(struct xp *x, const char *text, bool quoted)
{
	struct sbuf out = SBUF_INIT;
	struct sh_io cio = { &out, x->io->err, NULL, 0, 0 };
	x->sh->status = sh_run_text(x->sh, text, &cio);
	if (cio.errnum)
		x->io->errnum = cio.errnum;
	while (out.len && out.s[out.len - 1] == '\n')
		out.s[--out.len] = 0;
	add_result(x, sb_str(&out), quoted);
	sb_free(&out);
}

static void arith_subst(struct xp *x, const char *expr, bool quoted)
{
	char *e = sh_expand_one(x->sh, expr, SX_STRING, x->io);
	long long v;
	if (!e || sh_arith(x->sh, e, &v, x->io) < 0) {
		x->failed = true;
	} else {
		char num[32];
		snprintf(num, sizeof(num), "%lld", v);
		add_result(x, num, quoted);
	}
	free(e);
}

static bool name_char(char c, bool first)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
}

/* The value of a parameter, or NULL if unset. num is a buffer for $? and the like. */
static const char *param(struct shell *sh, const char *name, char num[32])
{
	if (!strcmp(name, "?")) {
		snprintf(num, 32, "%d", sh->status);
		return num;
	}
	if (!strcmp(name, "#"))
		return "0";
	if (!strcmp(name, "$"))
		return "1";
	if (!strcmp(name, "0"))
		return "sh";
	if (!strcmp(name, "-"))
		return "";
	if (strchr("@*!123456789", name[0]) && name[1] == 0)
		return NULL;
	return sh_getvar(sh, name);
}

/* ${NAME#pat}, ##, %, %%: remove the shortest or longest matching prefix or suffix. */
static char *remove_affix(const char *v, const char *pat, bool suffix, bool longest)
{
	size_t len = strlen(v);
	char *tmp = mh_strdup(v);
	if (!tmp)
		out_of_memory(ALLOC_WHERE, 0);
	for (size_t k = 0; k <= len; k++) {
		size_t n = longest ? len - k : k;	/* length of the part tested */
		bool hit;
		if (suffix) {
			hit = fnmatch(pat, v + len - n, 0) == 0;
		} else {
			char c = tmp[n];
			tmp[n] = 0;
			hit = fnmatch(pat, tmp, 0) == 0;
			tmp[n] = c;
		}
		if (hit) {
			if (suffix)
				tmp[len - n] = 0;
			else
				memmove(tmp, tmp + n, len - n + 1);
			return tmp;
		}
	}
	return tmp;
}

/* ${...}: body is the text between the braces. */
static void brace_param(struct xp *x, const char *body, bool quoted)
{
	char num[32], name[64];
	size_t n = 0;
	bool length = body[0] == '#' && body[1];
	const char *p = body + (length ? 1 : 0);
	if (strchr("?#$0123456789-@*!", *p) && *p) {
		name[n++] = *p++;
	} else {
		while (name_char(*p, n == 0) && n < sizeof(name) - 1)
			name[n++] = *p++;
	}
	name[n] = 0;
	if (!n || (length && *p)) {
		struct sbuf msg = SBUF_INIT;
		sb_printf(&msg, "syntax error: bad substitution");
		sh_fatal(x->sh, x->io, sb_str(&msg));
		sb_free(&msg);
		x->failed = true;
		return;
	}
	const char *v = param(x->sh, name, num);
	if (length) {
		snprintf(num, sizeof(num), "%zu", v ? strlen(v) : 0);
		add_result(x, num, quoted);
		return;
	}
	if (!*p) {
		if (v)
			add_result(x, v, quoted);
		return;
	}
	bool colon = *p == ':';
	if (colon)
		p++;
	char op = *p++;
	bool twice = (op == '#' || op == '%') && *p == op && !colon;
	if (twice)
		p++;
	bool unset = !v || (colon && !*v);
	char *word = NULL;
	switch (op) {
	case '-':
	case '=':
	case '+':
	case '?':
		if ((op == '+') == unset) {
			if (v)
				add_result(x, v, quoted);
			return;
		}
		word = sh_expand_one(x->sh, p, SX_STRING, x->io);
		if (!word) {
			x->failed = true;
			return;
		}
		if (op == '=')
			sh_setvar(x->sh, name, word);
		if (op == '?') {
			struct sbuf msg = SBUF_INIT;
			sb_printf(&msg, "%s: %s", name, *word ? word : "parameter not set");
			sh_fatal(x->sh, x->io, sb_str(&msg));
			sb_free(&msg);
			x->failed = true;
		} else {
			add_result(x, word, quoted);
		}
		free(word);
		return;
	case '#':
	case '%':
		if (colon)
			break;
		word = sh_expand_one(x->sh, p, SX_PATTERN, x->io);
		if (!word) {
			x->failed = true;
			return;
		}
		char *r = remove_affix(v ? v : "", word, op == '%', twice);
		add_result(x, r, quoted);
		free(r);
		free(word);
		return;
	default:
		break;
	}
	sh_fatal(x->sh, x->io, "syntax error: bad substitution");
	x->failed = true;
}

/* After a '$' at p: expand it and return the position after it. */
static const char *dollar(struct xp *x, const char *p, bool quoted)
{
	char num[32];
	if (p[0] == '(' ) {
		bool arith = p[1] == '(';
		const char *e = match_paren(p + 1);
		if (!e) {
			add_char(x, '$', quoted);
			return p;
		}
		char *inner = mh_strndup(p + 1, (size_t)(e - p - 1));
		if (!inner)
			out_of_memory(ALLOC_WHERE, 0);
		if (arith && inner[0] == '(' && strlen(inner) >= 2 && inner[strlen(inner) - 1] == ')') {
			inner[strlen(inner) - 1] = 0;
			arith_subst(x, inner + 1, quoted);
		} else {
			command_subst(x, inner, quoted);
		}
		free(inner);
		return e + 1;
	}
	if (p[0] == '{') {
		const char *e = match_brace(p + 1);
		if (!e) {
			sh_fatal(x->sh, x->io, "syntax error: missing '}'");
			x->failed = true;
			return p + strlen(p);
		}
		char *body = mh_strndup(p + 1, (size_t)(e - p - 1));
		if (!body)
			out_of_memory(ALLOC_WHERE, 0);
		brace_param(x, body, quoted);
		free(body);
		return e + 1;
	}
	if (*p && strchr("?#$0123456789-@*!", *p)) {
		char name[2] = { *p, 0 };
		const char *v = param(x->sh, name, num);
		if (v)
			add_result(x, v, quoted);
		return p + 1;
	}
	if (name_char(*p, true)) {
		const char *s = p;
		while (name_char(*p, false))
			p++;
		char *name = mh_strndup(s, (size_t)(p - s));
		if (!name)
			out_of_memory(ALLOC_WHERE, 0);
		const char *v = sh_getvar(x->sh, name);
		if (v)
			add_result(x, v, quoted);
		free(name);
		return p;
	}
	add_char(x, '$', quoted);
	return p;
}

/* `...`: inside, a backslash escapes only $ ` and \. */
static const char *backquote(struct xp *x, const char *p, bool quoted)
{
	struct sbuf cmd = SBUF_INIT;
	for (; *p && *p != '`'; p++) {
		if (*p == '\\' && p[1] && strchr("$`\\", p[1]))
			p++;
		sb_putc(&cmd, *p);
	}
	command_subst(x, sb_str(&cmd), quoted);
	sb_free(&cmd);
	return *p ? p + 1 : p;
}

static const char *dquote(struct xp *x, const char *p)
{
	x->started = true;	/* "" is a field of its own */
	while (*p && *p != '"' && !x->failed) {
		if (*p == '\\' && p[1] && strchr("$`\"\\\n", p[1])) {
			add_char(x, p[1], true);
			p += 2;
		} else if (*p == '$') {
			p = dollar(x, p + 1, true);
		} else if (*p == '`') {
			p = backquote(x, p + 1, true);
		} else {
			add_char(x, *p++, true);
		}
	}
	return *p ? p + 1 : p;
}

static void expand(struct xp *x, const char *raw)
{
	const char *p = raw;
	while (*p && !x->failed) {
		if (*p == '\\') {
			add_char(x, p[1] ? p[1] : '\\', true);
			p += p[1] ? 2 : 1;
		} else if (*p == '\'') {
			const char *q = strchr(p + 1, '\'');
			if (!q)
				q = p + strlen(p);
			x->started = true;
			for (p++; p < q; p++)
				add_char(x, *p, true);
			p = *q ? q + 1 : q;
		} else if (*p == '"') {
			p = dquote(x, p + 1);
		} else if (*p == '$') {
			p = dollar(x, p + 1, false);
		} else if (*p == '`') {
			p = backquote(x, p + 1, false);
		} else {
			add_char(x, *p++, false);
		}
	}
}

int sh_expand(struct shell *sh, const char *raw, enum sh_expand_mode mode, struct strlist *out, struct sh_io *io)
{
	struct xp x = { sh, io, mode, out, SBUF_INIT, SBUF_INIT, false, false, false };
	expand(&x, raw);
	if (mode != SX_FIELDS)
		x.started = true;	/* one string, even an empty one */
	if (!x.failed)
		end_field(&x);
	sb_free(&x.text);
	sb_free(&x.pat);
	return x.failed ? -1 : 0;
}

char *sh_expand_one(struct shell *sh, const char *raw, enum sh_expand_mode mode, struct sh_io *io)
{
	struct strlist l = { NULL, 0, 0 };
	char *r = NULL;
	if (sh_expand(sh, raw, mode, &l, io) == 0) {
		r = mh_strdup(l.n ? l.v[0] : "");
		if (!r)
			out_of_memory(ALLOC_WHERE, 0);
	}
	sl_free(&l);
	return r;
}
