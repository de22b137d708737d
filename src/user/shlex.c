// SPDX-License-Identifier: MIT
/* Shell-like word splitting; see shlex.h. */
#include "shlex.h"
#include "../lib/alloc.h"

#include <stdlib.h>
#include <string.h>

#include "../lib/sbuf.h"

static void push(struct tokens *t, struct token tok)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct token *v = mh_realloc(t->v, cap * sizeof(*v));
		if (!v)
			out_of_memory(ALLOC_WHERE, 0);
		t->v = v;
		t->cap = cap;
	}
	t->v[t->n++] = tok;
}

void tokens_free(struct tokens *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].text);
		free(t->v[i].pattern);
	}
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static bool is_glob(char c) { return c == '*' || c == '?' || c == '['; }
static bool is_op(char c) { return c == '>' || c == '<' || c == '|' || c == ';' || c == '&'; }

/* The word being built: its text, its glob pattern, and how it was written. */
struct word {
	struct sbuf text, pat;
	bool started;		/* something (even "") was written */
	bool quoted;		/* some part was quoted or escaped */
	bool glob;		/* an unquoted glob character */
};

static void lit(struct word *w, char c, bool quoted)
{
	sb_putc(&w->text, c);
	/* In the pattern a quoted special character must stay literal. */
	if (quoted && (is_glob(c) || c == ']' || c == '\\'))
		sb_putc(&w->pat, '\\');
	sb_putc(&w->pat, c);
	w->started = true;
	if (quoted)
		w->quoted = true;
	else if (is_glob(c))
		w->glob = true;
}

static void end_word(struct word *w, struct tokens *out)
{
	if (!w->started)
		return;
	struct token tok = { TOK_WORD, sb_detach(&w->text), NULL, -1, -1 };
	if (w->glob)
		tok.pattern = sb_detach(&w->pat);
	sb_free(&w->pat);
	push(out, tok);
	w->started = w->quoted = w->glob = false;
}

/* An all-digit unquoted word right before '>' or '<' is a file descriptor number. */
static int take_fd(struct word *w)
{
	if (!w->started || w->quoted || w->text.len == 0 || w->text.len > 2)
		return -1;
	for (size_t i = 0; i < w->text.len; i++)
		if (w->text.s[i] < '0' || w->text.s[i] > '9')
			return -1;
	int fd = atoi(w->text.s);
	sb_free(&w->text);
	sb_free(&w->pat);
	w->started = false;
	return fd;
}

/* Parse the operator at *pp (unquoted); the word before it has been ended except for an fd number. */
static void operator(const char **pp, struct word *w, struct tokens *out)
{
	const char *p = *pp;
	struct token tok = { TOK_SEMI, NULL, NULL, -1, -1 };
	if (*p == '>' || *p == '<') {
		int fd = take_fd(w);
		end_word(w, out);
		if (*p == '<') {
			tok.kind = TOK_REDIR_IN;
			tok.fd = fd < 0 ? 0 : fd;
			p++;
		} else if (p[1] == '>') {
			tok.kind = TOK_REDIR_APPEND;
			tok.fd = fd < 0 ? 1 : fd;
			p += 2;
		} else if (p[1] == '&' && p[2] >= '0' && p[2] <= '9') {
			tok.kind = TOK_REDIR_DUP;
			tok.fd = fd < 0 ? 1 : fd;
			tok.fd2 = p[2] - '0';
			p += 3;
		} else {
			tok.kind = TOK_REDIR_OUT;
			tok.fd = fd < 0 ? 1 : fd;
			p++;
			if (*p == '|')	/* >| is > */
				p++;
		}
	} else {
		end_word(w, out);
		if (p[0] == '|' && p[1] == '|') {
			tok.kind = TOK_OR;
			p += 2;
		} else if (p[0] == '&' && p[1] == '&') {
			tok.kind = TOK_AND;
			p += 2;
		} else {
			tok.kind = *p == '|' ? TOK_PIPE : TOK_SEMI;
			p++;
		}
	}
	push(out, tok);
	*pp = p;
}

int shlex_split(const char *s, bool operators, struct tokens *out, const char **err)
{
	struct word w;
	memset(&w, 0, sizeof(w));
	const char *p = s;
	*err = NULL;
	while (*p) {
		char c = *p;
		if (is_blank(c)) {
			end_word(&w, out);
			p++;
		} else if (operators && is_op(c)) {
			operator(&p, &w, out);
		} else if (operators && c == '#' && !w.started) {
			break;	/* a comment runs to the end of the line */
		} else if (c == '\\') {
			if (!p[1]) {	/* a trailing backslash stays itself */
				lit(&w, '\\', true);
				p++;
			} else if (p[1] == '\n') {
				p += 2;	/* line continuation */
			} else {
				lit(&w, p[1], true);
				p += 2;
			}
		} else if (c == '\'') {
			const char *q = strchr(p + 1, '\'');
			if (!q) {
				*err = "unterminated quoted string";
				goto fail;
			}
			w.started = w.quoted = true;
			for (p++; p < q; p++)
				lit(&w, *p, true);
			p = q + 1;
		} else if (c == '"') {
			w.started = w.quoted = true;
			for (p++; *p && *p != '"'; p++) {
				/* Inside "...", a backslash escapes only these. */
				if (*p == '\\' && p[1] && strchr("\"\\$`\n", p[1])) {
					p++;
					if (*p == '\n')
						continue;
				}
				lit(&w, *p, true);
			}
			if (*p != '"') {
				*err = "unterminated quoted string";
				goto fail;
			}
			p++;
		} else {
			lit(&w, c, false);
			p++;
		}
	}
	end_word(&w, out);
	return 0;
fail:
	sb_free(&w.text);
	sb_free(&w.pat);
	return -1;
}
