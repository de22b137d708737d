// SPDX-License-Identifier: MIT
/*
 * The guest shell's parser: a command line into a tree (sh_ast.h), with
 * ash's grammar and syntax-error wording. ash reads the whole line before
 * running any of it, so a syntax error anywhere means nothing runs.
 */
#include <stdlib.h>
#include "../lib/alloc.h"
#include <string.h>

#include "sh_ast.h"

enum tkind { T_EOF, T_WORD, T_OP, T_REDIR };

struct tok {
	enum tkind kind;
	char text[4];		/* T_OP: the operator */
	char *word;		/* T_WORD: raw text (owned by the token until taken) */
	enum sh_redir_kind rkind;
	int fd;
};

struct parser {
	const char *p;
	struct tok cur;
	bool have;		/* cur holds the next token */
	struct sbuf *err;
	bool failed;
};

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static bool is_opchar(char c) { return c && strchr(";&|<>()", c) != NULL; }

static const char *skip_dquote(const char *p, const char **why);

/* Skip to the character after the `close` that balances the `open` already passed. */
static const char *skip_balanced(const char *p, char open, char close, const char **why)
{
	int depth = 1;
	while (*p) {
		if (*p == '\\' && p[1]) {
			p += 2;
			continue;
		}
		if (*p == '\'' || *p == '"' || *p == '`') {
			const char *q = *p == '"' ? skip_dquote(p, why) : strchr(p + 1, *p);
			if (!q)
				return NULL;
			p = *p == '"' ? q : q + 1;
			continue;
		}
		if (*p == open)
			depth++;
		else if (*p == close && --depth == 0)
			return p + 1;
		p++;
	}
	*why = close == '}' ? "missing '}'" : "unexpected end of file (expecting \")\")";
	return NULL;
}

/* After a '$': the end of the expansion, or NULL. */
static const char *skip_dollar(const char *p, const char **why)
{
	if (*p == '(')
		return skip_balanced(p + 1, '(', ')', why);
	if (*p == '{')
		return skip_balanced(p + 1, '{', '}', why);
	return p;
}

/* A "..." string starting at p; the end is after the closing quote. */
static const char *skip_dquote(const char *p, const char **why)
{
	for (p++; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '$') {
			const char *q = skip_dollar(p + 1, why);
			if (!q)
				return NULL;
			p = q - 1;
		} else if (*p == '`') {
			const char *q = strchr(p + 1, '`');
			if (!q)
				break;
			p = q;
		}
	}
	if (*p != '"') {
		*why = "unterminated quoted string";
		return NULL;
	}
	return p + 1;
}

const char *sh_word_end(const char *p, const char **why)
{
	while (*p && !is_blank(*p) && !is_opchar(*p)) {
		const char *q;
		switch (*p) {
		case '\\':
			p += p[1] ? 2 : 1;
			continue;
		case '\'':
		case '`':
			q = strchr(p + 1, *p);
			if (!q) {
				*why = "unterminated quoted string";
				return NULL;
			}
			p = q + 1;
			continue;
		case '"':
			q = skip_dquote(p, why);
			break;
		case '$':
			q = skip_dollar(p + 1, why);
			break;
		default:
			q = p + 1;
		}
		if (!q)
			return NULL;
		p = q;
	}
	return p;
}

static void fail(struct parser *P, const char *fmt, const char *a, const char *b)
{
	if (P->failed)
		return;
	P->failed = true;
	sb_printf(P->err, fmt, a, b);
}

/* Read the next token into P->cur. */
static void lex(struct parser *P)
{
	const char *p = P->p;
	struct tok t = { T_EOF, "", NULL, SR_OUT, -1 };
	while (is_blank(*p))
		p++;
	if (*p == '#')
		p += strlen(p);
	if (!*p)
		goto out;
	if (is_opchar(*p) && *p != '<' && *p != '>') {
		t.kind = T_OP;
		t.text[0] = *p;
		if ((p[0] == '&' || p[0] == '|' || p[0] == ';') && p[1] == p[0])
			t.text[1] = *++p;
		p++;
		goto out;
	}
	if (*p != '<' && *p != '>') {
		const char *why = NULL;
		const char *e = sh_word_end(p, &why);
		if (!e) {
			fail(P, "syntax error: %s%s", why, "");
			p += strlen(p);
			goto out;
		}
		if ((*e == '<' || *e == '>') && strspn(p, "0123456789") == (size_t)(e - p) && e - p <= 2) {
			t.fd = atoi(p);
			p = e;
		} else {
			t.kind = T_WORD;
			t.word = mh_strndup(p, (size_t)(e - p));
			if (!t.word)
				out_of_memory(ALLOC_WHERE, 0);
			p = e;
			goto out;
		}
	}
	t.kind = T_REDIR;
	if (*p == '<') {
		t.rkind = p[1] == '&' ? SR_DUP : SR_IN;
		if (t.fd < 0)
			t.fd = 0;
		p += p[1] == '&' || p[1] == '>' ? 2 : 1;
	} else {
		t.rkind = p[1] == '>' ? SR_APPEND : p[1] == '&' ? SR_DUP : SR_OUT;
		if (t.fd < 0)
			t.fd = 1;
		p += p[1] == '>' || p[1] == '&' || p[1] == '|' ? 2 : 1;
	}
out:
	P->p = p;
	P->cur = t;
	P->have = true;
}

static struct tok *peek(struct parser *P)
{
	if (!P->have)
		lex(P);
	return &P->cur;
}

static void consume(struct parser *P)
{
	free(P->cur.word);
	P->have = false;
}

static char *take_word(struct parser *P)
{
	char *w = P->cur.word;
	P->cur.word = NULL;
	P->have = false;
	return w;
}

static bool is_op(struct parser *P, const char *op)
{
	struct tok *t = peek(P);
	return t->kind == T_OP && !strcmp(t->text, op);
}

static bool is_kw(struct parser *P, const char *kw)
{
	struct tok *t = peek(P);
	return t->kind == T_WORD && !strcmp(t->word, kw);
}

/* "unexpected X", with " (expecting "E")" when E is given. */
static void unexpected(struct parser *P, const char *expecting)
{
	struct tok *t = peek(P);
	struct sbuf what = SBUF_INIT;
	if (t->kind == T_EOF)
		sb_puts(&what, "end of file");
	else
		sb_printf(&what, "\"%s\"", t->kind == T_WORD ? t->word : t->kind == T_OP ? t->text : "redirection");
	if (expecting)
		fail(P, "syntax error: unexpected %s (expecting \"%s\")", sb_str(&what), expecting);
	else
		fail(P, "syntax error: unexpected %s%s", sb_str(&what), "");
	sb_free(&what);
}

static void expect_kw(struct parser *P, const char *kw)
{
	if (P->failed)
		return;
	if (is_kw(P, kw))
		consume(P);
	else
		unexpected(P, kw);
}

static struct sh_node *new_node(enum sh_node_kind kind)
{
	struct sh_node *n = mh_calloc(1, sizeof(*n));
	if (!n)
		out_of_memory(ALLOC_WHERE, 0);
	n->kind = kind;
	return n;
}

void sh_node_free(struct sh_node *n)
{
	if (!n)
		return;
	sl_free(&n->words);
	free(n->name);
	sh_node_free(n->a);
	sh_node_free(n->b);
	sh_node_free(n->c);
	for (size_t i = 0; i < n->nitems; i++) {
		sl_free(&n->items[i].patterns);
		sh_node_free(n->items[i].body);
	}
	free(n->items);
	for (size_t i = 0; i < n->nredirs; i++)
		free(n->redirs[i].word);
	free(n->redirs);
	free(n);
}

static struct sh_node *binary(enum sh_node_kind kind, struct sh_node *a, struct sh_node *b)
{
	struct sh_node *n = new_node(kind);
	n->a = a;
	n->b = b;
	return n;
}

static struct sh_node *parse_list(struct parser *P);

/* A list that must not be empty (the body of a compound command). */
static struct sh_node *need_list(struct parser *P)
{
	struct sh_node *n = parse_list(P);
	if (!n && !P->failed)
		unexpected(P, NULL);
	return n;
}

static bool parse_redir(struct parser *P, struct sh_node *n)
{
	struct tok *t = peek(P);
	if (t->kind != T_REDIR)
		return false;
	struct sh_redir r = { t->rkind, t->fd, NULL };
	consume(P);
	if (peek(P)->kind != T_WORD) {
		unexpected(P, NULL);
		return false;
	}
	r.word = take_word(P);
	struct sh_redir *v = mh_realloc(n->redirs, (n->nredirs + 1) * sizeof(*v));
	if (!v)
		out_of_memory(ALLOC_WHERE, 0);
	n->redirs = v;
	n->redirs[n->nredirs++] = r;
	return true;
}

static bool valid_name(const char *s)
{
	if (!s || !(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return false;
	return strspn(s, "_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == strlen(s);
}

static struct sh_node *parse_if(struct parser *P)
{
	struct sh_node *n = new_node(SN_IF);
	n->a = need_list(P);
	expect_kw(P, "then");
	if (!P->failed)
		n->b = need_list(P);
	if (P->failed)
		return n;
	if (is_kw(P, "elif")) {
		consume(P);
		n->c = parse_if(P);
		return n;	/* the inner if took the "fi" */
	}
	if (is_kw(P, "else")) {
		consume(P);
		n->c = need_list(P);
	}
	expect_kw(P, "fi");
	return n;
}

static struct sh_node *parse_loop(struct parser *P, enum sh_node_kind kind)
{
	struct sh_node *n = new_node(kind);
	n->a = need_list(P);
	expect_kw(P, "do");
	if (!P->failed)
		n->b = need_list(P);
	expect_kw(P, "done");
	return n;
}

static struct sh_node *parse_for(struct parser *P)
{
	struct sh_node *n = new_node(SN_FOR);
	if (peek(P)->kind != T_WORD || !valid_name(P->cur.word)) {
		fail(P, "syntax error: bad for loop variable%s%s", "", "");
		return n;
	}
	n->name = take_word(P);
	if (is_kw(P, "in")) {
		consume(P);
		n->has_in = true;
		while (peek(P)->kind == T_WORD) {
			char *w = take_word(P);
			sl_add(&n->words, w);
			free(w);
		}
		if (!is_op(P, ";")) {
			unexpected(P, NULL);
			return n;
		}
		consume(P);
	} else if (is_op(P, ";")) {
		consume(P);
	}
	expect_kw(P, "do");
	if (!P->failed)
		n->b = need_list(P);
	expect_kw(P, "done");
	return n;
}

static struct sh_node *parse_case(struct parser *P)
{
	struct sh_node *n = new_node(SN_CASE);
	if (peek(P)->kind != T_WORD) {
		unexpected(P, NULL);
		return n;
	}
	n->name = take_word(P);
	expect_kw(P, "in");
	while (!P->failed && !is_kw(P, "esac")) {
		struct sh_case_item item = { { NULL, 0, 0 }, NULL };
		if (is_op(P, "("))
			consume(P);
		for (;;) {
			if (peek(P)->kind != T_WORD) {
				unexpected(P, NULL);
				break;
			}
			char *w = take_word(P);
			sl_add(&item.patterns, w);
			free(w);
			if (!is_op(P, "|"))
				break;
			consume(P);
		}
		if (!P->failed && !is_op(P, ")"))
			unexpected(P, ")");
		if (!P->failed) {
			consume(P);
			item.body = parse_list(P);
		}
		struct sh_case_item *v = mh_realloc(n->items, (n->nitems + 1) * sizeof(*v));
		if (!v)
			out_of_memory(ALLOC_WHERE, 0);
		n->items = v;
		n->items[n->nitems++] = item;
		if (P->failed)
			break;
		if (is_op(P, ";;"))
			consume(P);
		else if (!is_kw(P, "esac"))
			unexpected(P, "esac");
	}
	expect_kw(P, "esac");
	return n;
}

static struct sh_node *parse_simple(struct parser *P)
{
	struct sh_node *n = new_node(SN_SIMPLE);
	while (!P->failed) {
		struct tok *t = peek(P);
		if (t->kind == T_WORD) {
			char *w = take_word(P);
			sl_add(&n->words, w);
			free(w);
		} else if (!parse_redir(P, n)) {
			break;
		}
	}
	return n;
}

/* A command, or NULL where a list ends (a terminating keyword, an operator, the end). */
static struct sh_node *parse_command(struct parser *P)
{
	static const char *const terminators[] = { "then", "else", "elif", "fi", "do", "done", "esac", "}" };
	struct tok *t = peek(P);
	struct sh_node *n = NULL;
	if (t->kind == T_OP) {
		if (strcmp(t->text, "("))
			return NULL;
		consume(P);
		n = new_node(SN_SUBSHELL);
		n->a = need_list(P);
		if (!P->failed && !is_op(P, ")"))
			unexpected(P, ")");
		if (!P->failed)
			consume(P);
	} else if (t->kind == T_EOF) {
		return NULL;
	} else if (t->kind == T_WORD) {
		for (size_t i = 0; i < sizeof(terminators) / sizeof(terminators[0]); i++)
			if (!strcmp(t->word, terminators[i]))
				return NULL;
		const char *w = t->word;
		if (!strcmp(w, "if") || !strcmp(w, "while") || !strcmp(w, "until") || !strcmp(w, "for") ||
		    !strcmp(w, "case") || !strcmp(w, "{")) {
			char kw = w[0] == 'u' ? 'U' : w[0];
			consume(P);
			switch (kw) {
			case 'i': n = parse_if(P); break;
			case 'w': n = parse_loop(P, SN_WHILE); break;
			case 'U': n = parse_loop(P, SN_UNTIL); break;
			case 'f': n = parse_for(P); break;
			case 'c': n = parse_case(P); break;
			default:
				n = new_node(SN_GROUP);
				n->a = need_list(P);
				expect_kw(P, "}");
			}
		}
	}
	if (!n)
		return parse_simple(P);
	while (!P->failed && parse_redir(P, n))
		;
	return n;
}

static struct sh_node *parse_pipeline(struct parser *P)
{
	bool negate = false;
	while (is_kw(P, "!")) {
		consume(P);
		negate = !negate;
	}
	struct sh_node *n = parse_command(P);
	while (n && !P->failed && is_op(P, "|")) {
		consume(P);
		struct sh_node *r = parse_command(P);
		if (!r) {
			unexpected(P, NULL);
			break;
		}
		n = binary(SN_PIPE, n, r);
	}
	if (!n && negate && !P->failed)
		unexpected(P, NULL);
	if (n && negate) {
		struct sh_node *x = new_node(SN_NOT);
		x->a = n;
		n = x;
	}
	return n;
}

static struct sh_node *parse_andor(struct parser *P)
{
	struct sh_node *n = parse_pipeline(P);
	while (n && !P->failed && (is_op(P, "&&") || is_op(P, "||"))) {
		enum sh_node_kind kind = is_op(P, "&&") ? SN_AND : SN_OR;
		consume(P);
		struct sh_node *r = parse_pipeline(P);
		if (!r) {
			if (!P->failed)
				unexpected(P, NULL);
			break;
		}
		n = binary(kind, n, r);
	}
	return n;
}

/* and-or lists separated by ';' or '&' (run in the foreground: the guest's work is synchronous). */
static struct sh_node *parse_list(struct parser *P)
{
	struct sh_node *list = NULL;
	while (!P->failed) {
		struct sh_node *n = parse_andor(P);
		if (!n)
			break;
		list = list ? binary(SN_SEQ, list, n) : n;
		if (P->failed || !(is_op(P, ";") || is_op(P, "&")))
			break;
		consume(P);
	}
	return list;
}

int sh_parse(const char *line, struct sh_node **tree, struct sbuf *err)
{
	struct parser P = { line, { T_EOF, "", NULL, SR_OUT, -1 }, false, err, false };
	*tree = parse_list(&P);
	if (!P.failed && peek(&P)->kind != T_EOF)
		unexpected(&P, NULL);
	if (P.have)
		consume(&P);
	if (P.failed) {
		sh_node_free(*tree);
		*tree = NULL;
		return -1;
	}
	return 0;
}
