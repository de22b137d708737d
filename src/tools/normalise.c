// SPDX-License-Identifier: MIT
/*
 * Transcript normalisation. Each rule of compare.py is written out by hand
 * (its regular expressions use Python's \s, \d and non-greedy matching,
 * which POSIX regex lacks); the comments give the expression each parser
 * stands for. "Whitespace" is Python's: space, \t \n \v \f \r and \x1c-\x1f.
 */
#include "normalise.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool is_ws(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static const char *skip_ws(const char *s)
{
	while (is_ws(*s))
		s++;
	return s;
}
static const char *skip_digits(const char *s)
{
	while (is_digit(*s))
		s++;
	return s;
}
static bool blank(const char *s) { return !*skip_ws(s); }
static bool starts(const char *s, const char *prefix) { return !strncmp(s, prefix, strlen(prefix)); }

static long long number(const char *s, const char *end)
{
	long long v = 0;
	for (; s < end; s++)
		v = v > (__LONG_LONG_MAX__ - 9) / 10 ? __LONG_LONG_MAX__ : v * 10 + (*s - '0');
	return v;
}

/* sl_addf() without its length limit: normalised lines can be long ("fields: ..."). */
__attribute__((format(printf, 2, 3))) static void add_fmt(struct strlist *l, const char *fmt, ...)
{
	struct sbuf b = SBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(&b, fmt, ap);
	va_end(ap);
	sl_add(l, sb_str(&b));
	sb_free(&b);
}

/* ---- blocks: (command, output lines) -------------------------------------- */

struct block {
	char *cmd;
	struct strlist lines;
};

struct blocks {
	struct block *v;
	size_t n, cap;
};

static char *rstrip_dup(const char *s, size_t n)
{
	while (n && is_ws(s[n - 1]))
		n--;
	char *d = strndup(s, n);
	if (!d)
		abort();
	return d;
}

static void add_block(struct blocks *b, char *cmd)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		struct block *v = realloc(b->v, b->cap * sizeof(*v));
		if (!v)
			abort();
		b->v = v;
	}
	b->v[b->n].cmd = cmd;
	memset(&b->v[b->n].lines, 0, sizeof(b->v[b->n].lines));
	b->n++;
}

/* Python's str.splitlines() breaks on these (the ASCII ones; \r\n is one break). */
static bool is_line_break(char c) { return c == '\n' || c == '\r' || c == '\v' || c == '\f' || (c >= 0x1c && c <= 0x1e); }

static void split_blocks(const char *text, size_t len, struct blocks *b)
{
	size_t pos = 0;
	while (pos < len) {
		size_t end = pos;
		while (end < len && !is_line_break(text[end]))
			end++;
		char *line = strndup(text + pos, end - pos);
		if (!line)
			abort();
		pos = end + (end < len && text[end] == '\r' && end + 1 < len && text[end + 1] == '\n' ? 2 : 1);

		if (line[0] == '#' && !b->n) {
			/* a comment before the first command */
		} else if (starts(line, "qemu ") || starts(line, "(qemu) ") || starts(line, "$ ")) {
			add_block(b, rstrip_dup(line, strlen(line)));
		} else if (b->n) {
			char *l = rstrip_dup(line, strlen(line));
			sl_add(&b->v[b->n - 1].lines, l);
			free(l);
		} else if (!blank(line)) {
			add_block(b, strdup("<before first command>"));
			char *l = rstrip_dup(line, strlen(line));
			sl_add(&b->v[b->n - 1].lines, l);
			free(l);
		}
		free(line);
	}
}

/* ---- baselines of the figures compared as deltas --------------------------- */

struct baselines {
	struct {
		char *key;
		long long value;
	} *v;
	size_t n, cap;
	bool booting;	/* no "(qemu) device_add" seen yet */
};

/* value minus the figure's value at boot (0 for a figure first seen after boot) */
static long long delta(struct baselines *b, const char *key, long long value)
{
	for (size_t i = 0; i < b->n; i++)
		if (!strcmp(b->v[i].key, key))
			return value - b->v[i].value;
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		void *v = realloc(b->v, b->cap * sizeof(*b->v));
		if (!v)
			abort();
		b->v = v;
	}
	b->v[b->n].key = strdup(key);
	if (!b->v[b->n].key)
		abort();
	b->v[b->n].value = b->booting ? value : 0;
	return value - b->v[b->n++].value;
}

/* ---- the per-file rules ----------------------------------------------------- */

/* ^Node (\d+), zone\s+(\S+)  ->  "Node N, zone Z" */
static bool zone_header(const char *l, struct sbuf *zone)
{
	if (!starts(l, "Node "))
		return false;
	const char *n = l + 5, *ne = skip_digits(n);
	if (ne == n || !starts(ne, ", zone"))
		return false;
	const char *z = ne + 6, *zs = skip_ws(z);
	if (zs == z || !*zs)
		return false;
	const char *ze = zs;
	while (*ze && !is_ws(*ze))
		ze++;
	sb_reset(zone);
	sb_puts(zone, "Node ");
	sb_add(zone, n, (size_t)(ne - n));
	sb_puts(zone, ", zone ");
	sb_add(zone, zs, (size_t)(ze - zs));
	return true;
}

/* ^\s+NAME\s+(\d+)\s*$ with NAME one of names; or, with colon, ^\s+NAME:\s+(\d+)\s*$ */
static const char *field(const char *l, const char *name, bool colon, const char **digits_end)
{
	const char *p = skip_ws(l);
	if (p == l || !starts(p, name))
		return NULL;
	p += strlen(name);
	if (colon && *p++ != ':')
		return NULL;
	const char *d = skip_ws(p);
	if (d == p)
		return NULL;
	const char *de = skip_digits(d);
	if (de == d || *skip_ws(de))
		return NULL;
	*digits_end = de;
	return d;
}

static bool key_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '_' || c == '(' || c == ')' ||
	       c == ' ';
}

/*
 * The field name of a /proc line:
 *   ^\s*([A-Za-z_()][A-Za-z0-9_() ]*?)\s*(:|\s\d|\s*$|\s+\()
 * (the shortest name that a terminator follows), else the first word.
 */
static void line_key(const char *l, struct sbuf *key)
{
	sb_reset(key);
	const char *s = skip_ws(l);
	char c = *s;
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '(' || c == ')') {
		for (const char *e = s + 1;; e++) {
			/* does \s*(:|\s\d|\s*$|\s+\() match at e? try every split of the blank run */
			const char *w = skip_ws(e);
			for (const char *p = e; p <= w; p++) {
				if (*p == ':' || (is_ws(*p) && is_digit(p[1])) || !*skip_ws(p) ||
				    (is_ws(*p) && *skip_ws(p) == '(')) {
					sb_add(key, s, (size_t)(e - s));
					return;
				}
			}
			if (!key_char(*e))
				break;
		}
	}
	/* l.strip().split(' ')[0] */
	const char *end = s + strlen(s);
	while (end > s && is_ws(end[-1]))
		end--;
	const char *e = s;
	while (e < end && *e != ' ')
		e++;
	sb_add(key, s, (size_t)(e - s));
}

static void norm_iomem(struct strlist *in, struct strlist *out)
{
	for (size_t i = 0; i < in->n; i++)
		if (strstr(in->v[i], "System RAM"))
			sl_add(out, in->v[i]);
}

static void flush_fields(struct strlist *out, struct strlist *keys)
{
	struct sbuf b = SBUF_INIT;
	sb_puts(&b, "  fields: ");
	for (size_t i = 0; i < keys->n; i++)
		sb_printf(&b, "%s%s", i ? " | " : "", keys->v[i]);
	sl_add(out, sb_str(&b));
	sb_free(&b);
}

static bool in_list(struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return true;
	return false;
}

static void norm_zoneinfo(struct strlist *in, struct baselines *base, struct strlist *out)
{
	struct sbuf zone = SBUF_INIT, key = SBUF_INIT, bkey = SBUF_INIT;
	struct strlist keys = { NULL, 0, 0 };
	bool have_zone = false;
	static const char *const names[] = { "spanned", "present", "managed" };
	for (size_t i = 0; i < in->n; i++) {
		const char *l = in->v[i];
		if (zone_header(l, &zone)) {
			if (have_zone)
				flush_fields(out, &keys);
			sl_free(&keys);
			have_zone = true;
			sl_add(out, sb_str(&zone));
			continue;
		}
		if (!have_zone)
			continue;
		line_key(l, &key);
		if (key.len && strncmp(key.s, "cpu", 3) && !in_list(&keys, key.s))
			sl_add(&keys, key.s);
		const char *d = NULL, *de = NULL;
		int which = -1;
		for (int f = 0; f < 3 && which < 0; f++)
			if ((d = field(l, names[f], false, &de)))
				which = f;
		if (which == 2) {
			sb_reset(&bkey);
			sb_printf(&bkey, "managed\x1f%s", sb_str(&zone));
			add_fmt(out, "  managed delta %+lld", delta(base, sb_str(&bkey), number(d, de)));
		} else if (which >= 0) {
			add_fmt(out, "  %s %lld", names[which], number(d, de));
		} else if ((d = field(l, "start_pfn", true, &de))) {
			add_fmt(out, "  start_pfn %.*s", (int)(de - d), d);
		}
	}
	if (have_zone)
		flush_fields(out, &keys);
	sl_free(&keys);
	sb_free(&zone);
	sb_free(&key);
	sb_free(&bkey);
}

/* ^(Node \d+ )? -- the length of that prefix, or 0 */
static size_t node_prefix(const char *l)
{
	if (!starts(l, "Node "))
		return 0;
	const char *d = l + 5, *de = skip_digits(d);
	return de > d && *de == ' ' ? (size_t)(de + 1 - l) : 0;
}

static void norm_meminfo(struct strlist *in, struct baselines *base, const char *key_prefix, struct strlist *out)
{
	struct sbuf fields = SBUF_INIT, bkey = SBUF_INIT;
	size_t nkeys = 0;
	sb_puts(&fields, "fields: ");
	for (size_t i = 0; i < in->n; i++) {
		const char *l = in->v[i];
		size_t np = node_prefix(l);
		/* ^(Node \d+ )?([^:]+): -- without the prefix when what follows it is a name */
		const char *colon = strchr(l + np, ':');
		if (np && colon == l + np)	/* "Node 0 :": the prefix itself is the name */
			np = 0;
		colon = strchr(l + np, ':');
		if (colon && colon > l + np) {
			sb_printf(&fields, "%s%.*s", nkeys++ ? " | " : "", (int)(colon - (l + np)), l + np);
		}
		/* ^(Node \d+ )?MemTotal:\s+(\d+) kB */
		size_t mp = node_prefix(l);
		const char *p = l + mp;
		if (!starts(p, "MemTotal:"))
			continue;
		p += 9;
		const char *d = skip_ws(p), *de = skip_digits(d);
		if (d == p || de == d || !starts(de, " kB"))
			continue;
		sb_reset(&bkey);
		sb_printf(&bkey, "meminfo\x1f%s\x1f%.*s\x1fMemTotal", key_prefix, mp ? (int)mp - 1 : 0, l);
		add_fmt(out, "%.*sMemTotal delta %+lld kB", (int)mp, l, delta(base, sb_str(&bkey), number(d, de)));
	}
	sl_add(out, sb_str(&fields));
	sb_free(&fields);
	sb_free(&bkey);
}

static void norm_free(const char *cmd, struct strlist *in, struct baselines *base, struct strlist *out)
{
	struct sbuf b = SBUF_INIT;
	for (size_t i = 0; i < in->n; i++) {
		const char *l = in->v[i];
		/* ^Mem:\s+(\d+) */
		if (starts(l, "Mem:")) {
			const char *d = skip_ws(l + 4), *de = skip_digits(d);
			if (d > l + 4 && de > d) {
				sb_reset(&b);
				sb_printf(&b, "free\x1f%s\x1ftotal", cmd);
				add_fmt(out, "Mem: total delta %+lld", delta(base, sb_str(&b), number(d, de)));
				continue;
			}
		}
		if (blank(l) || starts(l, "Swap:"))
			continue;
		/* 'header: ' + ' '.join(l.split()) */
		sb_reset(&b);
		sb_puts(&b, "header:");
		for (const char *p = skip_ws(l); *p; p = skip_ws(p)) {
			const char *e = p;
			while (*e && !is_ws(*e))
				e++;
			sb_putc(&b, ' ');
			sb_add(&b, p, (size_t)(e - p));
			p = e;
		}
		sl_add(out, sb_str(&b));
	}
	sb_free(&b);
}

/* ^Node (\d+), zone\s+(\S+)((\s+\d+)*)\s*$  ->  "Node N, zone Z, K orders" */
static void norm_buddyinfo(struct strlist *in, struct strlist *out)
{
	struct sbuf zone = SBUF_INIT;
	for (size_t i = 0; i < in->n; i++) {
		const char *l = in->v[i];
		if (!zone_header(l, &zone))
			continue;
		const char *p = strstr(l, ", zone") + 6;
		p = skip_ws(p);
		while (*p && !is_ws(*p))
			p++;
		int orders = 0;
		bool ok = true;
		for (;;) {
			const char *d = skip_ws(p);
			if (!*d)
				break;
			const char *de = skip_digits(d);
			if (d == p || de == d || (*de && !is_ws(*de))) {
				ok = false;
				break;
			}
			orders++;
			p = de;
		}
		if (ok)
			add_fmt(out, "%s, %d orders", sb_str(&zone), orders);
	}
	sb_free(&zone);
}

/* ---- cat /sys/kernel/tracing/trace ---------------------------------------- */

static size_t indent_of(const char *s)
{
	size_t n = 0;
	while (is_ws(s[n]))
		n++;
	return n;
}

/* ^\s*-{5,}\s*$ */
static bool dash_line(const char *l)
{
	l = skip_ws(l);
	size_t n = 0;
	while (l[n] == '-')
		n++;
	return n >= 5 && blank(l + n);
}

/*
 * ^\s*\d+\)\s+(?:[-+!#*@$ ]?\s*[\d.]+ us\s+)?\|(.*)$ : the text after the
 * '|' of a function_graph line, or NULL.
 */
static const char *graph_body(const char *l)
{
	const char *p = skip_ws(l), *d = skip_digits(p);
	if (d == p || *d != ')')
		return NULL;
	p = d + 1;
	if (!is_ws(*p))
		return NULL;
	p = skip_ws(p);
	if (*p == '|')
		return p + 1;
	/* optional duration: a mark, blanks, digits and dots, " us", blanks */
	if (*p && strchr("-+!#*@$", *p))
		p = skip_ws(p + 1);
	const char *n = p;
	while (is_digit(*n) || *n == '.')
		n++;
	if (n == p || strncmp(n, " us", 3) || !is_ws(n[3]))
		return NULL;
	p = skip_ws(n + 3);
	return *p == '|' ? p + 1 : NULL;
}

/*
 * ^\s*\S.*?-\d+\s+\[\d+\]\s+\S*\s*[\d.]+:\s+(.*)$ : the "FUNC <-CALLER" of a
 * function tracer line, or NULL. The task name may hold '-' and blanks: the
 * first "-PID [CPU]" that fits decides.
 */
static const char *function_body(const char *l)
{
	const char *p = skip_ws(l);
	if (!*p)
		return NULL;
	for (const char *dash = strchr(p + 1, '-'); dash; dash = strchr(dash + 1, '-')) {
		const char *q = dash + 1, *d = skip_digits(q);
		if (d == q || !is_ws(*d))
			continue;
		q = skip_ws(d);
		if (*q != '[')
			continue;
		d = skip_digits(q + 1);
		if (d == q + 1 || *d != ']')
			continue;
		q = d + 1;
		if (!is_ws(*q))
			continue;
		q = skip_ws(q);
		/* \S*\s*[\d.]+: the flags, then the timestamp (backtracking: flags may be absent) */
		for (const char *f = q;; f++) {
			const char *t = skip_ws(f), *e = t;
			while (is_digit(*e) || *e == '.')
				e++;
			if (e > t && *e == ':' && is_ws(e[1]))
				return skip_ws(e + 1);
			if (!*f || is_ws(*f))
				break;
		}
	}
	return NULL;
}

static void rstrip_in_place(char *s)
{
	size_t n = strlen(s);
	while (n && is_ws(s[n - 1]))
		s[--n] = 0;
}

static void norm_trace(struct strlist *in, struct strlist *out)
{
	for (size_t i = 0; i < in->n; i++) {
		const char *l = in->v[i];
		if (starts(l, "# tracer:")) {
			char *t = rstrip_dup(l, strlen(l));
			sl_add(out, skip_ws(t));
			free(t);
			continue;
		}
		if (l[0] == '#' || blank(l) || dash_line(l) || strstr(l, "=>"))
			continue;
		const char *body = graph_body(l);
		if (body) {
			body = starts(body, "  ") ? body + 2 : skip_ws(body);
			char *b = rstrip_dup(body, strlen(body));
			/* a closing brace's trailing comment (the function's name) is dropped */
			size_t ind = indent_of(b);
			if (b[ind] == '}') {
				const char *c = skip_ws(b + ind + 1);
				size_t cl = strlen(c);
				if (starts(c, "/*") && cl >= 4 && !strcmp(c + cl - 2, "*/"))
					b[ind + 1] = 0;
			}
			/* an opening line directly followed by its closing brace is the one-line call */
			if (out->n && b[ind] == '}' && !b[ind + 1]) {
				char *prev = out->v[out->n - 1];
				size_t pl = strlen(prev);
				if (pl >= 4 && !strcmp(prev + pl - 4, "() {") && indent_of(prev) == ind) {
					prev[pl - 2] = ';';
					prev[pl - 1] = 0;
					free(b);
					continue;
				}
			}
			sl_add(out, b);
			free(b);
			continue;
		}
		body = function_body(l);
		if (body) {
			char *b = strdup(body);
			if (!b)
				abort();
			rstrip_in_place(b);
			sl_add(out, b);
			free(b);
			continue;
		}
		char *t = rstrip_dup(l, strlen(l));
		sl_add(out, t);
		free(t);
	}
}

/* ^\$ cat (\S+)\s*$ on a right-stripped command: the one file, or NULL */
static const char *cat_target(const char *cmd)
{
	if (!starts(cmd, "$ cat "))
		return NULL;
	const char *t = cmd + 6;
	if (!*t)
		return NULL;
	for (const char *p = t; *p; p++)
		if (is_ws(*p))
			return NULL;
	return t;
}

/* ^/sys/devices/system/node/node\d+/meminfo$ */
static bool node_meminfo(const char *t)
{
	const char *prefix = "/sys/devices/system/node/node";
	if (!starts(t, prefix))
		return false;
	const char *d = t + strlen(prefix), *de = skip_digits(d);
	return de > d && !strcmp(de, "/meminfo");
}

/* ^\$ free( -[mkbg])?\s*$ on a right-stripped command */
static bool is_free(const char *cmd)
{
	return !strcmp(cmd, "$ free") ||
	       (starts(cmd, "$ free -") && cmd[8] && strchr("mkbg", cmd[8]) && !cmd[9]);
}

static bool lhex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }
static bool word_char(char c) { return is_digit(c) || c == '_' || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }

/* A UUID is made afresh on every run (ndctl create-namespace): it reads <uuid>. */
static bool uuid_at(const char *s, const char *start)
{
	static const int group[] = { 8, 4, 4, 4, 12 };
	if (s > start && word_char(s[-1]))
		return false;
	for (int g = 0; g < 5; g++) {
		for (int i = 0; i < group[g]; i++, s++)
			if (!lhex(*s))
				return false;
		if (g < 4 && *s++ != '-')
			return false;
	}
	return !word_char(*s);
}

static void add_line_uuids(struct strlist *out, const char *l)
{
	struct sbuf b = SBUF_INIT;
	sb_puts(&b, "    ");
	for (const char *p = l; *p;) {
		if (uuid_at(p, l)) {
			sb_puts(&b, "<uuid>");
			p += 36;
		} else {
			sb_add(&b, p++, 1);
		}
	}
	sl_add(out, sb_str(&b));
	sb_free(&b);
}

void transcript_normalise(const char *text, size_t len, struct strlist *out)
{
	struct blocks b = { NULL, 0, 0 };
	struct baselines base = { NULL, 0, 0, true };
	split_blocks(text, len, &b);
	for (size_t i = 0; i < b.n; i++) {
		const char *cmd = b.v[i].cmd;
		struct strlist *in = &b.v[i].lines, norm = { NULL, 0, 0 }, *lines = &norm;
		if (starts(cmd, "(qemu) device_add"))
			base.booting = false;
		const char *target = cat_target(cmd);
		if (target && !strcmp(target, "/proc/iomem"))
			norm_iomem(in, &norm);
		else if (target && !strcmp(target, "/proc/zoneinfo"))
			norm_zoneinfo(in, &base, &norm);
		else if (target && !strcmp(target, "/proc/meminfo"))
			norm_meminfo(in, &base, "", &norm);
		else if (target && node_meminfo(target))
			norm_meminfo(in, &base, target, &norm);
		else if (target && !strcmp(target, "/proc/buddyinfo"))
			norm_buddyinfo(in, &norm);
		else if (target && !strcmp(target, "/sys/kernel/tracing/trace"))
			norm_trace(in, &norm);
		else if (is_free(cmd))
			norm_free(cmd, in, &base, &norm);
		else
			lines = in;
		/* trailing blank lines never matter */
		size_t n = lines->n;
		while (n && blank(lines->v[n - 1]))
			n--;
		sl_add(out, cmd);
		for (size_t j = 0; j < n; j++)
			add_line_uuids(out, lines->v[j]);
		sl_free(&norm);
	}
	for (size_t i = 0; i < b.n; i++) {
		free(b.v[i].cmd);
		sl_free(&b.v[i].lines);
	}
	free(b.v);
	for (size_t i = 0; i < base.n; i++)
		free(base.v[i].key);
	free(base.v);
}
