// SPDX-License-Identifier: MIT
/*
 * grep [-qcvilnhHsxwoFE] [-e PATTERN]... [PATTERN] [FILE...], as busybox's:
 * POSIX basic regular expressions (extended with -E) through regcomp(3),
 * "FILE:" before each line when several files are searched, exit status
 * 0 (a line selected), 1 (none) or 2 (trouble).
 */
#include <errno.h>
#include <regex.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../api/api_internal.h"
#include "shell.h"

#define MAX_PATTERNS 16

struct grep {
	bool quiet, count, invert, icase, number, list, silent, line, fixed, ext, word, only;
	int with_name;		/* -1: only with several files; 0: -h; 1: -H */
	const char *pat[MAX_PATTERNS];
	int npat;
	regex_t re[MAX_PATTERNS];
};

static bool is_word_char(char c)
{
	return c == '_' || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

/* The first match of pattern i in line at or after from: [*so, *eo). */
static bool find_one(const struct grep *g, int i, const char *line, size_t from, size_t *so, size_t *eo)
{
	const char *s = line + from;
	if (g->fixed) {
		size_t n = strlen(g->pat[i]);
		const char *hit = g->icase ? strcasestr(s, g->pat[i]) : strstr(s, g->pat[i]);
		if (!hit)
			return false;
		*so = (size_t)(hit - line);
		*eo = *so + n;
		return true;
	}
	regmatch_t rm;
	if (regexec(&g->re[i], s, 1, &rm, from ? REG_NOTBOL : 0) != 0)
		return false;
	*so = from + (size_t)rm.rm_so;
	*eo = from + (size_t)rm.rm_eo;
	return true;
}

/* A match that -x and -w accept: the whole line, or a whole word (tried again further on if not). */
static bool find_match(const struct grep *g, int i, const char *line, size_t from, size_t *so, size_t *eo)
{
	size_t len = strlen(line);
	while (from <= len && find_one(g, i, line, from, so, eo)) {
		bool ok = true;
		if (g->line)
			ok = *so == 0 && *eo == len;
		else if (g->word)
			ok = (*so == 0 || !is_word_char(line[*so - 1])) && !is_word_char(line[*eo]) && *eo > *so;
		if (ok)
			return true;
		if (g->line)
			return false;
		from = *so + 1;
	}
	return false;
}

static bool match_line(const struct grep *g, const char *line)
{
	size_t so, eo;
	for (int i = 0; i < g->npat; i++)
		if (find_match(g, i, line, 0, &so, &eo))
			return true;
	return false;
}

/* -o: each match of the line on a line of its own, earliest first. */
static void print_matches(const struct grep *g, const char *line, const char *prefix, struct sbuf *out)
{
	size_t pos = 0, len = strlen(line);
	while (pos <= len) {
		size_t best_so = 0, best_eo = 0;
		bool any = false;
		for (int i = 0; i < g->npat; i++) {
			size_t so, eo;
			if (find_match(g, i, line, pos, &so, &eo) && (!any || so < best_so)) {
				best_so = so;
				best_eo = eo;
				any = true;
			}
		}
		if (!any)
			break;
		if (best_eo > best_so)
			sb_printf(out, "%s%.*s\n", prefix, (int)(best_eo - best_so), line + best_so);
		pos = best_eo > best_so ? best_eo : best_so + 1;
	}
}

/* Search one file's text; returns the number of selected lines, stops early for -q/-l. */
static long search(const struct grep *g, const char *name, const char *text, size_t len, bool show_name,
		   struct sbuf *out)
{
	long selected = 0, lineno = 0;
	struct sbuf line = SBUF_INIT;
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		sb_reset(&line);
		sb_add(&line, text + pos, n);
		pos += n + (nl ? 1 : 0);
		lineno++;
		if (match_line(g, sb_str(&line)) == g->invert)
			continue;
		selected++;
		if (g->quiet || g->list)
			break;
		if (g->count)
			continue;
		struct sbuf prefix = SBUF_INIT;
		if (show_name)
			sb_printf(&prefix, "%s:", name);
		if (g->number)
			sb_printf(&prefix, "%ld:", lineno);
		if (g->only && !g->invert)
			print_matches(g, sb_str(&line), sb_str(&prefix), out);
		else if (!g->only)
			sb_printf(out, "%s%s\n", sb_str(&prefix), sb_str(&line));
		sb_free(&prefix);
	}
	sb_free(&line);
	return selected;
}

static int usage(struct sh_io *io)
{
	sb_puts(io->err, "Usage: grep [-qcvilnhHsxwoFE] [-e PATTERN] PATTERN [FILE]...\n");
	io->errnum = EINVAL;
	return 2;
}

int sh_grep(struct memhp *m, int argc, char **argv, struct sh_io *io)
{
	struct grep g;
	memset(&g, 0, sizeof(g));
	g.with_name = -1;
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		bool consumed = false;	/* -e took the rest of this argument */
		for (const char *o = argv[i] + 1; *o && !consumed; o++) {
			switch (*o) {
			case 'q': g.quiet = true; break;
			case 'c': g.count = true; break;
			case 'v': g.invert = true; break;
			case 'i': g.icase = true; break;
			case 'l': g.list = true; break;
			case 'n': g.number = true; break;
			case 'h': g.with_name = 0; break;
			case 'H': g.with_name = 1; break;
			case 's': g.silent = true; break;
			case 'x': g.line = true; break;
			case 'F': g.fixed = true; break;
			case 'E': g.ext = true; break;
			case 'w': g.word = true; break;
			case 'o': g.only = true; break;
			case 'e':
				/* -ePAT or -e PAT */
				if (g.npat == MAX_PATTERNS)
					return usage(io);
				if (o[1]) {
					g.pat[g.npat++] = o + 1;
				} else if (i + 1 < argc) {
					g.pat[g.npat++] = argv[++i];
				} else {
					return usage(io);
				}
				consumed = true;
				break;
			default:
				sb_printf(io->err, "grep: invalid option -- '%c'\n", *o);
				return usage(io);
			}
		}
	}
	if (!g.npat) {
		if (i >= argc)
			return usage(io);
		g.pat[g.npat++] = argv[i++];
	}
	if (!g.fixed) {
		int cflags = (g.ext ? REG_EXTENDED : 0) | (g.icase ? REG_ICASE : 0);
		for (int p = 0; p < g.npat; p++) {
			int rc = regcomp(&g.re[p], g.pat[p], cflags);
			if (rc) {
				char msg[128];
				regerror(rc, &g.re[p], msg, sizeof(msg));
				sb_printf(io->err, "grep: bad regex '%s': %s\n", g.pat[p], msg);
				for (int q = 0; q < p; q++)
					regfree(&g.re[q]);
				io->errnum = EINVAL;
				return 2;
			}
		}
	}

	char *stdin_only[] = { "-", NULL };
	char **files = i < argc ? argv + i : stdin_only;
	int nfiles = i < argc ? argc - i : 1;
	bool show_name = g.with_name == 1 || (g.with_name == -1 && nfiles > 1);
	bool any = false, trouble = false;
	for (int f = 0; f < nfiles && !(any && g.quiet); f++) {
		const char *name = files[f];
		struct sbuf text = SBUF_INIT;
		const char *data = NULL;
		size_t len = 0;
		if (!strcmp(name, "-")) {
			name = "(standard input)";
			data = io->in ? io->in : "";
			len = io->in ? io->in_len : 0;
		} else {
			int ret = sh_read_file(m, name, &text);
			if (ret < 0) {
				if (!g.silent)
					sb_printf(io->err, "grep: %s: %s\n", name, strerror(-ret));
				io->errnum = -ret;
				trouble = true;
				sb_free(&text);
				continue;
			}
			data = sb_str(&text);
			len = text.len;
		}
		long n = search(&g, name, data, len, show_name, io->out);
		if (n)
			any = true;
		if (g.quiet) {
			/* nothing printed */
		} else if (g.list) {
			if (n)
				sb_printf(io->out, "%s\n", name);
		} else if (g.count) {
			if (show_name)
				sb_printf(io->out, "%s:", name);
			sb_printf(io->out, "%ld\n", n);
		}
		sb_free(&text);
	}
	if (!g.fixed)
		for (int p = 0; p < g.npat; p++)
			regfree(&g.re[p]);
	if (any && g.quiet)
		return 0;
	return trouble ? 2 : any ? 0 : 1;
}
