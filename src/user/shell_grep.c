// SPDX-License-Identifier: MIT
/*
 * grep [-qcvilnhHsxFE] [-e PATTERN]... [PATTERN] [FILE...], as busybox's:
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

#include "memhp_internal.h"
#include "shell.h"

#define MAX_PATTERNS 16

struct grep {
	bool quiet, count, invert, icase, number, list, silent, line, fixed, ext;
	int with_name;		/* -1: only with several files; 0: -h; 1: -H */
	const char *pat[MAX_PATTERNS];
	int npat;
	regex_t re[MAX_PATTERNS];
};

static bool match_line(const struct grep *g, const char *line)
{
	for (int i = 0; i < g->npat; i++) {
		bool hit;
		if (g->fixed) {
			if (g->line)
				hit = g->icase ? !strcasecmp(line, g->pat[i]) : !strcmp(line, g->pat[i]);
			else
				hit = g->icase ? strcasestr(line, g->pat[i]) != NULL : strstr(line, g->pat[i]) != NULL;
		} else {
			regmatch_t rm;
			hit = regexec(&g->re[i], line, 1, &rm, 0) == 0;
			if (hit && g->line)	/* -x: the match must be the whole line */
				hit = rm.rm_so == 0 && line[rm.rm_eo] == 0;
		}
		if (hit)
			return true;
	}
	return false;
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
		if (show_name)
			sb_printf(out, "%s:", name);
		if (g->number)
			sb_printf(out, "%ld:", lineno);
		sb_printf(out, "%s\n", sb_str(&line));
	}
	sb_free(&line);
	return selected;
}

static int usage(struct sh_io *io)
{
	sb_puts(io->err, "Usage: grep [-qcvilnhHsxFE] [-e PATTERN] PATTERN [FILE]...\n");
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
